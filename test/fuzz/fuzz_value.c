/* fuzz_value.c: libFuzzer target for the value grammar. Each input is typed
 * text: it is parsed, expanded as a tuning value, normalised, stored as a
 * parameter value, checked and evaluated as a preview entry, and everything
 * that parses is written back as JSON. Beyond crashes and leaks it checks
 * that the JSON written reads back equal to the parsed value, and that an
 * entry that evaluates also passes the length-free check. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_format.h"
#include "preview.h"
#include "value.h"

static void fail(const char *what, const char *input)
{
    fprintf(stderr, "fuzz_value: %s for input '%s'\n", what, input);
    abort();
}

/* savu_json_dumps must give text that jansson reads back as the same value. */
static void check_dump_round_trip(const json_t *value, const char *input)
{
    char *text = savu_json_dumps(value);
    if (!text)
        fail("savu_json_dumps returned NULL", input);
    json_t *back = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (!back || !json_equal(back, value))
        fail("the dumped JSON does not read back equal", input);
    json_decref(back);
    free(text);
}

static void fuzz_parse(const char *text)
{
    savu_error err;
    json_t *value = savu_value_parse(text, &err);
    if (!value)
        return;
    check_dump_round_trip(value, text);
    if (json_is_array(value))
        savu_preview_check_value(value, &err);
    json_decref(value);
}

static void fuzz_tuning(const char *text)
{
    savu_error err;
    bool applied;
    (void)savu_value_is_tuned(text);
    json_t *values = savu_tuning_expand(text, &err);
    if (values) {
        if (!json_is_array(values) || json_array_size(values) == 0 ||
            json_array_size(values) > 10000)
            fail("savu_tuning_expand gave no array or a wrong number of values", text);
        check_dump_round_trip(values, text);
        json_decref(values);
    }
    for (int is_preview = 0; is_preview <= 1; is_preview++) {
        char *normalised = savu_tuning_normalise(text, is_preview, &applied);
        if (!normalised)
            fail("savu_tuning_normalise returned NULL", text);
        json_t *stored = savu_value_for_parameter(normalised, is_preview, &err);
        if (stored)
            check_dump_round_trip(stored, text);
        json_decref(stored);
        free(normalised);
    }
}

static void fuzz_preview(const char *text, long dim_len)
{
    savu_error err;
    savu_slice s;
    int checked = savu_preview_check(text, &err);
    if (savu_preview_eval(text, dim_len, &s, &err) < 0)
        return;
    if (checked < 0)
        fail("an entry that evaluates fails savu_preview_check", text);
    if (s.start < 0 || s.stop > dim_len || s.start >= s.stop || s.step < 1 || s.chunk < 1)
        fail("savu_preview_eval gave a slice outside the dimension", text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    fuzz_parse(text);
    fuzz_tuning(text);
    fuzz_preview(text, size ? (long)data[0] : 10);
    free(text);
    return 0;
}
