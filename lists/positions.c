/* positions.c: Savu plugin positions — "3" or "3a" — parsed, formatted and
 * put in natural order (2 < 3 < 3a < 3b < 4 < 10). */
#include "process_list.h"
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

int savu_pos_parse(const char *text, savu_pos *out, savu_error *err)
{
    const char *s = text ? text : "";
    while (isspace((unsigned char)*s))
        s++;
    long number = 0;
    int digits = 0;
    while (isdigit((unsigned char)*s)) {
        number = number * 10 + (*s - '0');
        if (number > 99999)
            return savu_error_set(err, "Incorrect plugin position '%s'.", text ? text : "");
        s++;
        digits++;
    }
    char letter = '\0';
    if (*s >= 'a' && *s <= 'z')
        letter = *s++;
    while (isspace((unsigned char)*s))
        s++;
    if (digits == 0 || number < 1 || *s != '\0')
        return savu_error_set(err, "Incorrect plugin position '%s'.", text ? text : "");
    out->number = (int)number;
    out->letter = letter;
    return 0;
}

void savu_pos_format(savu_pos p, char out[SAVU_POS_MAX])
{
    if (p.letter)
        snprintf(out, SAVU_POS_MAX, "%d%c", p.number, p.letter);
    else
        snprintf(out, SAVU_POS_MAX, "%d", p.number);
}

int savu_pos_compare(savu_pos a, savu_pos b)
{
    if (a.number != b.number)
        return a.number < b.number ? -1 : 1;
    if (a.letter != b.letter)
        return (unsigned char)a.letter < (unsigned char)b.letter ? -1 : 1;
    return 0;
}
