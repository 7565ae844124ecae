/* value_scalar.c: numbers and keywords of the value grammar (value_scalar.h). */
#include "value_scalar.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Matches [+-]? (D+ [. D*]? | . D+) ([eE] [+-]? D+)? over all len bytes;
 * *is_integer says whether there was neither '.' nor an exponent. */
static bool looks_like_number(const char *s, size_t len, bool *is_integer)
{
    size_t i = 0, int_digits = 0, frac_digits = 0;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
    while (i < len && is_digit(s[i]))
        i++, int_digits++;
    *is_integer = true;
    if (i < len && s[i] == '.') {
        *is_integer = false;
        i++;
        while (i < len && is_digit(s[i]))
            i++, frac_digits++;
    }
    if (int_digits + frac_digits == 0)
        return false;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        *is_integer = false;
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t exp_digits = 0;
        while (i < len && is_digit(s[i]))
            i++, exp_digits++;
        if (exp_digits == 0)
            return false;
    }
    return i == len;
}

static bool word_is(const char *text, size_t len, const char *word)
{
    return strlen(word) == len && memcmp(text, word, len) == 0;
}

static int parse_number(const char *text, size_t len, bool is_integer, json_t **out,
                        savu_error *err)
{
    char *copy = strndup(text, len);
    if (!copy)
        return savu_error_set(err, "out of memory");
    errno = 0;
    if (is_integer) {
        long long v = strtoll(copy, NULL, 10);
        if (errno == ERANGE) {
            savu_error_set(err, "the integer %.64s is too large (the limit is %lld)", copy,
                           v < 0 ? -9223372036854775807LL - 1 : 9223372036854775807LL);
            free(copy);
            return -1;
        }
        *out = json_integer(v);
    } else {
        double v = strtod(copy, NULL);
        if (isinf(v)) {
            savu_error_set(err, "the number %.64s is too large", copy);
            free(copy);
            return -1;
        }
        *out = json_real(v);
    }
    free(copy);
    return *out ? 0 : savu_error_set(err, "out of memory");
}

int savu_scalar_parse(const char *text, size_t len, json_t **out, savu_error *err)
{
    bool is_integer;
    *out = NULL;
    if (word_is(text, len, "True") || word_is(text, len, "true"))
        *out = json_true();
    else if (word_is(text, len, "False") || word_is(text, len, "false"))
        *out = json_false();
    else if (word_is(text, len, "None") || word_is(text, len, "null"))
        *out = json_null();
    else if (looks_like_number(text, len, &is_integer))
        return parse_number(text, len, is_integer, out, err);
    return 0;
}
