/* test_env_choice.c: savu_env_choice picks the first choice when the
 * variable is unset or empty, the named one otherwise, and answers any
 * other value with one line naming the variable, the value and the
 * choices (two and three of them). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "env_choice.h"

#define VAR "SAVU_TEST_ENV_CHOICE"

static void test_choices(void **state)
{
    (void)state;
    static const char *const two[] = {"on", "off", NULL};
    savu_error err = {""};
    unsetenv(VAR);
    assert_int_equal(savu_env_choice(VAR, two, &err), 0);
    setenv(VAR, "", 1);
    assert_int_equal(savu_env_choice(VAR, two, &err), 0);
    setenv(VAR, "on", 1);
    assert_int_equal(savu_env_choice(VAR, two, &err), 0);
    setenv(VAR, "off", 1);
    assert_int_equal(savu_env_choice(VAR, two, &err), 1);
    assert_string_equal(err.msg, "");
}

static void test_other_values_are_one_line_errors(void **state)
{
    (void)state;
    static const char *const two[] = {"on", "off", NULL};
    static const char *const three[] = {"a", "b", "c", NULL};
    savu_error err = {""};
    setenv(VAR, "maybe", 1);
    assert_int_equal(savu_env_choice(VAR, two, &err), -1);
    assert_string_equal(err.msg, VAR "='maybe': expected 'on' or 'off'");
    setenv(VAR, "OFF", 1);
    assert_int_equal(savu_env_choice(VAR, two, &err), -1);
    assert_string_equal(err.msg, VAR "='OFF': expected 'on' or 'off'");
    setenv(VAR, "d", 1);
    assert_int_equal(savu_env_choice(VAR, three, &err), -1);
    assert_string_equal(err.msg, VAR "='d': expected 'a', 'b' or 'c'");
    unsetenv(VAR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_choices),
        cmocka_unit_test(test_other_values_are_one_line_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
