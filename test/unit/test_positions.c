/* test_positions.c: the process-list model — every insertion, removal and
 * move rule of reference savu-config.md §3, lettered sub-positions, and
 * iterate groups following the edits. Entries are named by letters so that
 * the list can be checked as one string: "1:A 2:B 3a:X 3b:C". */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "process_list.h"
#include "list_assert.h"


static savu_entry *named(const char *name)
{
    return savu_entry_new(name, "test.id", NULL);
}

/* A list A..(count letters) at positions 1..count. */
static savu_process_list *letters(int count)
{
    savu_process_list *pl = savu_plist_new();
    for (int i = 0; i < count; i++) {
        char name[2] = {(char)('A' + i), 0};
        assert_int_equal(savu_plist_insert(pl, named(name), NULL, NULL), 0);
    }
    return pl;
}

static void test_parse_and_order(void **state)
{
    (void)state;
    savu_pos p;
    savu_error err;
    assert_int_equal(savu_pos_parse("3a", &p, &err), 0);
    assert_int_equal(p.number, 3);
    assert_int_equal(p.letter, 'a');
    assert_int_equal(savu_pos_parse("   1 ", &p, &err), 0); /* legacy padded */
    assert_int_equal(p.number, 1);
    assert_int_equal(p.letter, 0);
    assert_int_equal(savu_pos_parse("0", &p, &err), -1);
    assert_string_equal(err.msg, "Incorrect plugin position '0'.");
    assert_int_equal(savu_pos_parse("3A", &p, &err), -1);
    assert_int_equal(savu_pos_parse("a", &p, &err), -1);
    assert_int_equal(savu_pos_parse("3ab", &p, &err), -1);
    assert_int_equal(savu_pos_parse("", &p, &err), -1);
    assert_int_equal(savu_pos_parse("-1", &p, &err), -1);
    savu_pos two = {2, 0}, three = {3, 0}, three_a = {3, 'a'}, three_b = {3, 'b'}, ten = {10, 0};
    assert_true(savu_pos_compare(two, three) < 0);
    assert_true(savu_pos_compare(three, three_a) < 0);
    assert_true(savu_pos_compare(three_a, three_b) < 0);
    assert_true(savu_pos_compare(three_b, ten) < 0);
    assert_int_equal(savu_pos_compare(three_a, three_a), 0);
    char buf[SAVU_POS_MAX];
    savu_pos_format(three_b, buf);
    assert_string_equal(buf, "3b");
}

static void test_append_and_insert_plain(void **state)
{
    (void)state;
    savu_process_list *pl = letters(4);
    assert_list(pl, "1:A 2:B 3:C 4:D");
    assert_int_equal(savu_plist_insert(pl, named("P"), "2", NULL), 0);
    assert_list(pl, "1:A 2:P 3:B 4:C 5:D");
    assert_int_equal(savu_plist_insert(pl, named("Q"), "99", NULL), 0); /* beyond the end */
    assert_list(pl, "1:A 2:P 3:B 4:C 5:D 6:Q");
    assert_int_equal(savu_plist_insert(pl, named("R"), "1", NULL), 0);
    assert_list(pl, "1:R 2:A 3:P 4:B 5:C 6:D 7:Q");
    savu_error err;
    assert_int_equal(savu_plist_insert(pl, named("S"), "x", &err), -1);
    assert_string_equal(err.msg, "Incorrect plugin position 'x'.");
    assert_int_equal(pl->n, 7);
    savu_plist_free(pl);
}

static void test_insert_lettered(void **state)
{
    (void)state;
    savu_process_list *pl = letters(4);
    /* the reference's example: add P 3a on 1,2,3,4 -> 1, 2, 3a(P), 3b(old 3), 4 */
    assert_int_equal(savu_plist_insert(pl, named("P"), "3a", NULL), 0);
    assert_list(pl, "1:A 2:B 3a:P 3b:C 4:D");
    assert_int_equal(savu_plist_insert(pl, named("Q"), "3b", NULL), 0);
    assert_list(pl, "1:A 2:B 3a:P 3b:Q 3c:C 4:D");
    assert_int_equal(savu_plist_insert(pl, named("R"), "3z", NULL), 0); /* end of the group */
    assert_list(pl, "1:A 2:B 3a:P 3b:Q 3c:C 3d:R 4:D");
    /* plain insert before a lettered group keeps the letters */
    assert_int_equal(savu_plist_insert(pl, named("S"), "3", NULL), 0);
    assert_list(pl, "1:A 2:B 3:S 4a:P 4b:Q 4c:C 4d:R 5:D");
    /* lettered beyond the end appends */
    assert_int_equal(savu_plist_insert(pl, named("T"), "9a", NULL), 0);
    assert_list(pl, "1:A 2:B 3:S 4a:P 4b:Q 4c:C 4d:R 5:D 6:T");
    savu_plist_free(pl);
}

static void test_remove(void **state)
{
    (void)state;
    savu_process_list *pl = letters(5);
    assert_int_equal(savu_plist_remove(pl, "2", NULL), 0);
    assert_list(pl, "1:A 2:C 3:D 4:E");
    /* rem 1 3 in Savu removes in ascending order, renumbering after each */
    assert_int_equal(savu_plist_remove(pl, "1", NULL), 0);
    assert_int_equal(savu_plist_remove(pl, "3", NULL), 0);
    assert_list(pl, "1:C 2:D");
    savu_error err;
    assert_int_equal(savu_plist_remove(pl, "7", &err), -1);
    assert_string_equal(err.msg, "Incorrect plugin position '7': there is no plugin there.");
    assert_int_equal(savu_plist_remove(pl, "1", NULL), 0);
    assert_int_equal(savu_plist_remove(pl, "1", NULL), 0);
    assert_int_equal(savu_plist_remove(pl, "1", &err), -1);
    assert_string_equal(err.msg, "There are no items to access in your list.");
    savu_plist_free(pl);
}

static void test_remove_lettered(void **state)
{
    (void)state;
    savu_process_list *pl = letters(4);
    savu_plist_insert(pl, named("P"), "2a", NULL);
    savu_plist_insert(pl, named("Q"), "2c", NULL);
    assert_list(pl, "1:A 2a:P 2b:B 2c:Q 3:C 4:D");
    assert_int_equal(savu_plist_remove(pl, "2a", NULL), 0);
    assert_list(pl, "1:A 2a:B 2b:Q 3:C 4:D");
    /* a group of one becomes a plain position again */
    assert_int_equal(savu_plist_remove(pl, "2b", NULL), 0);
    assert_list(pl, "1:A 2:B 3:C 4:D");
    /* removing a plain number renumbers lettered groups after it, letters kept */
    savu_plist_insert(pl, named("R"), "3a", NULL);
    assert_list(pl, "1:A 2:B 3a:R 3b:C 4:D");
    assert_int_equal(savu_plist_remove(pl, "1", NULL), 0);
    assert_list(pl, "1:B 2a:R 2b:C 3:D");
    savu_plist_free(pl);
}

static void test_move(void **state)
{
    (void)state;
    savu_process_list *pl = letters(4);
    /* reference: move 4 2 on 1..4 -> old 4 becomes 2, old 2, 3 become 3, 4 */
    assert_int_equal(savu_plist_move(pl, "4", "2", NULL), 0);
    assert_list(pl, "1:A 2:D 3:B 4:C");
    assert_int_equal(savu_plist_move(pl, "1", "3", NULL), 0);
    assert_list(pl, "1:D 2:B 3:A 4:C");
    assert_int_equal(savu_plist_move(pl, "2", "4", NULL), 0);
    assert_list(pl, "1:D 2:A 3:C 4:B");
    savu_error err;
    assert_int_equal(savu_plist_move(pl, "2", "9", &err), -1);
    assert_string_equal(err.msg, "Incorrect plugin position '9': there is no plugin numbered 9.");
    assert_int_equal(savu_plist_move(pl, "8", "1", &err), -1);
    assert_list(pl, "1:D 2:A 3:C 4:B");
    /* into and out of sub-positions */
    assert_int_equal(savu_plist_move(pl, "4", "2a", NULL), 0);
    assert_list(pl, "1:D 2a:B 2b:A 3:C");
    assert_int_equal(savu_plist_move(pl, "2b", "2a", NULL), 0);
    assert_list(pl, "1:D 2a:A 2b:B 3:C");
    assert_int_equal(savu_plist_move(pl, "2a", "3", NULL), 0);
    assert_list(pl, "1:D 2:B 3:A 4:C");
    savu_plist_free(pl);
}

static void test_duplicate_replace_active(void **state)
{
    (void)state;
    savu_process_list *pl = letters(3);
    json_object_set_new(pl->entries[1]->params, "size", json_integer(31));
    assert_int_equal(savu_plist_duplicate(pl, "2", NULL, NULL), 0);
    assert_list(pl, "1:A 2:B 3:C 4:B");
    /* a deep copy: changing the copy leaves the original */
    json_object_set_new(pl->entries[3]->params, "size", json_integer(5));
    assert_int_equal(json_integer_value(json_object_get(pl->entries[1]->params, "size")), 31);
    assert_int_equal(savu_plist_duplicate(pl, "1", "2a", NULL), 0);
    assert_list(pl, "1:A 2a:A 2b:B 3:C 4:B");
    assert_int_equal(savu_plist_replace(pl, "2b", named("Z"), NULL), 0);
    assert_list(pl, "1:A 2a:A 2b:Z 3:C 4:B");
    assert_int_equal(savu_plist_set_active(pl, "3", false, NULL), 0);
    assert_false(pl->entries[3]->active);
    assert_true(pl->entries[2]->active);
    savu_error err;
    assert_int_equal(savu_plist_replace(pl, "9", named("Y"), &err), -1);
    assert_int_equal(savu_plist_set_active(pl, "2", true, &err), -1); /* "2" is lettered now */
    savu_plist_free(pl);
}

static void test_iterate_groups(void **state)
{
    (void)state;
    savu_process_list *pl = letters(6);
    savu_error err;
    assert_int_equal(savu_plist_add_iterate(pl, 3, 4, 5, &err), 0);
    assert_int_equal(savu_plist_add_iterate(pl, 4, 5, 2, &err), -1);
    assert_string_equal(err.msg, "Iterate loop 4 to 5 overlaps loop (1), 3 to 4.");
    assert_int_equal(savu_plist_add_iterate(pl, 5, 9, 2, &err), -1);
    assert_int_equal(savu_plist_add_iterate(pl, 5, 6, 0, &err), -1);
    assert_int_equal(savu_plist_add_iterate(pl, 6, 6, 2, &err), 0);
    /* adding before a loop shifts it */
    savu_plist_insert(pl, named("P"), "1", NULL);
    assert_int_equal(pl->groups[0].start, 4);
    assert_int_equal(pl->groups[0].end, 5);
    assert_int_equal(pl->groups[1].start, 7);
    /* adding after the loops changes nothing */
    savu_plist_insert(pl, named("Q"), NULL, NULL);
    assert_int_equal(pl->n_groups, 2);
    assert_int_equal(pl->groups[1].end, 7);
    /* removing before shifts back */
    savu_plist_remove(pl, "2", NULL);
    assert_int_equal(pl->groups[0].start, 3);
    assert_int_equal(pl->groups[1].start, 6);
    /* adding inside the first loop deletes it, the second shifts */
    savu_plist_insert(pl, named("R"), "4", NULL);
    assert_int_equal(pl->n_groups, 1);
    assert_int_equal(pl->groups[0].start, 7);
    assert_int_equal(pl->groups[0].iterations, 2);
    /* moving the loop's plugin away deletes the loop */
    savu_plist_move(pl, "7", "1", NULL);
    assert_int_equal(pl->n_groups, 0);
    assert_int_equal(savu_plist_add_iterate(pl, 2, 3, 4, &err), 0);
    assert_int_equal(savu_plist_remove_iterate(pl, 2, &err), -1);
    assert_string_equal(err.msg, "There is no iterate loop (2); the list has 1.");
    assert_int_equal(savu_plist_remove_iterate(pl, 1, &err), 0);
    assert_int_equal(pl->n_groups, 0);
    savu_plist_free(pl);
}

static void test_clone_is_deep(void **state)
{
    (void)state;
    savu_process_list *pl = letters(3);
    savu_plist_add_iterate(pl, 1, 2, 3, NULL);
    json_object_set_new(pl->entries[0]->params, "k", json_string("v"));
    savu_process_list *c = savu_plist_clone(pl);
    assert_non_null(c);
    assert_list(c, "1:A 2:B 3:C");
    assert_int_equal(c->n_groups, 1);
    savu_plist_remove(pl, "1", NULL);
    json_object_set_new(c->entries[0]->params, "k", json_string("changed"));
    assert_list(c, "1:A 2:B 3:C");
    assert_int_equal(c->n_groups, 1);
    savu_plist_clear(c);
    assert_int_equal(c->n, 0);
    savu_plist_free(c);
    savu_plist_free(pl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_and_order),
        cmocka_unit_test(test_append_and_insert_plain),
        cmocka_unit_test(test_insert_lettered),
        cmocka_unit_test(test_remove),
        cmocka_unit_test(test_remove_lettered),
        cmocka_unit_test(test_move),
        cmocka_unit_test(test_duplicate_replace_active),
        cmocka_unit_test(test_iterate_groups),
        cmocka_unit_test(test_clone_is_deep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
