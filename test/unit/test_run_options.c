/* test_run_options.c: the one table of the engine's options
 * (lists/run_options.h) against the engine's parser and usage
 * (engine/options.c, engine/options_usage.c), so that they cannot drift:
 * every option of the table, by its long and its short name, with each of
 * its choices or a sample value, is accepted; a word that is not a choice
 * is refused with one line listing the choices; --help lists every option;
 * each option's help names its choices; and the words of --cpu-bind and
 * --balance set what they say. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "options.h"
#include "run_options.h"

#define MAX_ARGS 16

/* A value the engine takes for each option whose argument is not a
 * choice. An option added to the table without one here fails the test. */
static const char *sample_value(savu_run_option_id id)
{
    switch (id) {
    case SAVU_OPT_FOLDER: return "named";
    case SAVU_OPT_TMP: return "/tmp";
    case SAVU_OPT_MAX_MEMORY: return "1G";
    case SAVU_OPT_THREADS: return "2";
    case SAVU_OPT_IO_THREADS: return "3";
    case SAVU_OPT_OUTPUT_RANGE: return "0:1";
    default: return NULL;
    }
}

/* savu NAME [VALUE] [what the option needs besides] d p o. */
static int parse_one(savu_run_option_id id, const char *name, const char *value,
                     struct engine_options *opt, savu_error *err)
{
    char *argv[MAX_ARGS];
    int argc = 0;
    argv[argc++] = "savu";
    argv[argc++] = (char *)name;
    if (value)
        argv[argc++] = (char *)value;
    if (id == SAVU_OPT_OUTPUT_RANGE) { /* it goes with uint16, and uint16 with it */
        argv[argc++] = "--output-dtype";
        argv[argc++] = "uint16";
    } else if (id == SAVU_OPT_OUTPUT_DTYPE && strcmp(value, "uint16") == 0) {
        argv[argc++] = "--output-range";
        argv[argc++] = "0:1";
    }
    argv[argc++] = "d";
    argv[argc++] = "p";
    argv[argc++] = "o";
    argv[argc] = NULL;
    err->msg[0] = '\0';
    return engine_options_parse(argc, argv, 1, opt, err);
}

/* Parses option id with value, by its long and its short name: both must
 * be accepted. */
static void assert_accepted(savu_run_option_id id, const char *value)
{
    const savu_run_option *o = savu_run_option_at(id);
    const char *names[] = {o->long_name, o->short_name};
    for (size_t i = 0; i < 2 && names[i]; i++) {
        struct engine_options opt;
        savu_error err;
        if (parse_one(id, names[i], value, &opt, &err) != 0)
            fail_msg("savu %s %s: refused: %s", names[i], value ? value : "", err.msg);
        assert_true(opt.show_help == (id == SAVU_OPT_HELP));
        assert_true(opt.show_version == (id == SAVU_OPT_VERSION));
    }
}

static void test_every_option_is_accepted(void **state)
{
    (void)state;
    for (int id = 0; id < SAVU_RUN_OPTION_COUNT; id++) {
        const savu_run_option *o = savu_run_option_at(id);
        if (!o->arg_name) {
            assert_null(o->choices);
            assert_accepted(id, NULL);
            continue;
        }
        const char *sample[] = {sample_value(id), NULL};
        if (!o->choices && !sample[0])
            fail_msg("%s: no sample value in this test", o->long_name);
        for (const char *const *value = o->choices ? o->choices : sample; *value; value++)
            assert_accepted(id, *value);
    }
    assert_null(savu_run_option_at(SAVU_RUN_OPTION_COUNT));
}

static void test_bad_choice_is_refused(void **state)
{
    (void)state;
    struct engine_options opt;
    savu_error err;
    assert_int_equal(parse_one(SAVU_OPT_BALANCE, "--balance", "sideways", &opt, &err), -1);
    assert_string_equal(err.msg, "--balance: expected auto or off, not 'sideways'");
    assert_int_equal(parse_one(SAVU_OPT_CPU_BIND, "--cpu-bind", "all", &opt, &err), -1);
    assert_string_equal(err.msg, "--cpu-bind: expected auto or none, not 'all'");
    assert_int_equal(parse_one(SAVU_OPT_OUTPUT_DTYPE, "--output-dtype", "int8", &opt, &err), -1);
    assert_string_equal(err.msg, "--output-dtype: expected float32, float16 or uint16, not 'int8'");
    for (int id = 0; id < SAVU_RUN_OPTION_COUNT; id++) {
        const savu_run_option *o = savu_run_option_at(id);
        if (!o->choices)
            continue;
        char message[256];
        assert_int_equal(savu_run_option_choice(o, "sideways", message, sizeof message), -1);
        assert_int_equal(parse_one(id, o->long_name, "sideways", &opt, &err), -1);
        assert_string_equal(err.msg, message);
        assert_int_equal(savu_run_option_choice(o, o->choices[1], message, sizeof message), 1);
    }
}

/* "-f, --folder NAME" or "--max-memory SIZE" on a line of --help. */
static void test_usage_lists_every_option(void **state)
{
    (void)state;
    const char *usage = engine_usage();
    assert_int_equal(strncmp(usage, "usage: savu DATA PROCESS_LIST OUT_FOLDER", 40), 0);
    for (int id = 0; id < SAVU_RUN_OPTION_COUNT; id++) {
        const savu_run_option *o = savu_run_option_at(id);
        char names[128];
        snprintf(names, sizeof names, "%s%s%s%s%s ", o->short_name ? o->short_name : "    ",
                 o->short_name ? ", " : "", o->long_name, o->arg_name ? " " : "",
                 o->arg_name ? o->arg_name : "");
        if (!strstr(usage, names))
            fail_msg("savu --help does not list '%s':\n%s", names, usage);
    }
}

static void test_help_names_the_choices(void **state)
{
    (void)state;
    for (int id = 0; id < SAVU_RUN_OPTION_COUNT; id++) {
        const savu_run_option *o = savu_run_option_at(id);
        assert_non_null(o->long_name);
        assert_non_null(o->help);
        assert_null(strchr(o->help, '\n'));
        for (size_t i = 0; o->choices && o->choices[i]; i++)
            if (!strstr(o->help, o->choices[i]))
                fail_msg("the help of %s does not name %s", o->long_name, o->choices[i]);
    }
}

static void test_cpu_bind_and_balance_words(void **state)
{
    (void)state;
    struct engine_options opt;
    savu_error err;
    assert_int_equal(parse_one(SAVU_OPT_CPU_BIND, "--cpu-bind", "auto", &opt, &err), 0);
    assert_true(opt.cpu_bind_auto);
    assert_int_equal(parse_one(SAVU_OPT_CPU_BIND, "--cpu-bind", "none", &opt, &err), 0);
    assert_false(opt.cpu_bind_auto);
    assert_int_equal(parse_one(SAVU_OPT_BALANCE, "--balance", "off", &opt, &err), 0);
    assert_true(opt.balance_off);
    assert_int_equal(parse_one(SAVU_OPT_BALANCE, "--balance", "auto", &opt, &err), 0);
    assert_false(opt.balance_off);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_option_is_accepted),
        cmocka_unit_test(test_bad_choice_is_refused),
        cmocka_unit_test(test_usage_lists_every_option),
        cmocka_unit_test(test_help_names_the_choices),
        cmocka_unit_test(test_cpu_bind_and_balance_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
