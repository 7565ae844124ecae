/* cmd_iterate.c: `iterate`: showing, adding (--set START END ITERATIONS)
 * and removing (--remove [N ...]) iterative loops over plugin ranges. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "command_table.h"

static void show_loops(const savu_process_list *pl)
{
    if (pl->n_groups == 0) {
        printf("There are no iterative loops in the current process list.\n");
        return;
    }
    printf("Iterative loops added:\n");
    for (size_t g = 0; g < pl->n_groups; g++)
        printf("(%zu) start plugin index: %d, end index: %d, iterations number: %d\n", g + 1,
               pl->groups[g].start, pl->groups[g].end, pl->groups[g].iterations);
}

static int parse_count(const char *text, const char *what, long *out, savu_error *err)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (*end || end == text || v < 1 || v > 1000000)
        return savu_error_set(err, "iterate: %s must be a whole number from 1, not '%s'. Please "
                                   "type 'iterate -h' for help.", what, text);
    *out = v;
    return 0;
}

static int compare_desc(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x < y) - (x > y);
}

static int remove_loops(shell_session *s, char **numbers, int n, savu_error *err)
{
    savu_process_list *pl = s->list;
    if (n == 0) {
        while (pl->n_groups)
            if (savu_plist_remove_iterate(pl, pl->n_groups, err) < 0)
                return -1;
        shell_session_changed(s);
        return 0;
    }
    long *which = malloc((size_t)n * sizeof *which);
    if (!which)
        return savu_error_set(err, "out of memory");
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        rc = parse_count(numbers[i], "a loop number", &which[i], err);
        if (rc == 0 && (size_t)which[i] > pl->n_groups)
            rc = savu_error_set(err, "There is no iterative loop (%ld); the list has %zu.",
                                which[i], pl->n_groups);
    }
    qsort(which, (size_t)n, sizeof *which, compare_desc);
    for (int i = 0; i < n && rc == 0; i++) {
        if (i > 0 && which[i] == which[i - 1])
            continue;
        rc = savu_plist_remove_iterate(pl, (size_t)which[i], err);
        shell_session_changed(s);
    }
    free(which);
    return rc;
}

int cmd_iterate(shell_session *s, const shell_args *a, savu_error *err)
{
    if (shell_args_has(a, ITERATE_SET) && shell_args_has(a, ITERATE_REMOVE))
        return savu_error_set(err, "iterate: give either --set or --remove, not both. Please type "
                                   "'iterate -h' for help.");
    if (shell_args_has(a, ITERATE_REMOVE)) {
        if (remove_loops(s, a->values[ITERATE_REMOVE], a->n_values[ITERATE_REMOVE], err) < 0)
            return -1;
    } else if (shell_args_has(a, ITERATE_SET)) {
        char **v = a->values[ITERATE_SET];
        long start, end, iterations;
        if (parse_count(v[0], "START", &start, err) < 0 || parse_count(v[1], "END", &end, err) < 0 ||
            parse_count(v[2], "ITERATIONS", &iterations, err) < 0)
            return -1;
        if (savu_plist_add_iterate(s->list, (int)start, (int)end, (int)iterations, err) < 0)
            return -1;
        shell_session_changed(s);
    }
    show_loops(s->list);
    return 0;
}
