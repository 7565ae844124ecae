/* list_assert.h: a cmocka assertion on a whole process list written as one
 * string of "position:name" pairs, e.g. assert_list(pl, "1:A 2a:B 2b:C").
 * Include after <cmocka.h>. */
#ifndef SAVU_TEST_LIST_ASSERT_H
#define SAVU_TEST_LIST_ASSERT_H

#include <stdio.h>
#include <string.h>
#include "process_list.h"

static inline void list_describe(const savu_process_list *pl, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; i < pl->n; i++) {
        size_t len = strlen(out);
        snprintf(out + len, size - len, "%s%s:%s", i ? " " : "", pl->entries[i]->pos,
                 pl->entries[i]->name);
    }
}

#define assert_list(pl, expected)                                                                  \
    do {                                                                                           \
        char got_[1024];                                                                           \
        list_describe((pl), got_, sizeof got_);                                                    \
        assert_string_equal(got_, (expected));                                                     \
    } while (0)

#endif
