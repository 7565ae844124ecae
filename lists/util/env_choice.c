/* env_choice.c: an environment variable with named choices (see
 * env_choice.h). */
#include "env_choice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int savu_env_choice(const char *name, const char *const *choices, savu_error *err)
{
    const char *value = getenv(name);
    if (!value || !*value)
        return 0;
    int n = 0;
    for (; choices[n]; n++)
        if (!strcmp(value, choices[n]))
            return n;
    char expected[256] = "";
    size_t used = 0;
    for (int i = 0; i < n && used < sizeof expected; i++) {
        const char *joint = i == 0 ? "" : i == n - 1 ? " or " : ", ";
        int w = snprintf(expected + used, sizeof expected - used, "%s'%s'", joint, choices[i]);
        used += w > 0 ? (size_t)w : 0;
    }
    return savu_error_set(err, "%s='%s': expected %s", name, value, expected);
}
