/* block_reader.c: input blocks read one ahead in a thread (see
 * block_reader.h). */
#include <pthread.h>
#include <stdlib.h>
#include "block_reader.h"

struct block_reader {
    struct run *run;
    struct section_input *in;
    int slice_dim;
    float *buffer[2];
    int next;              /* the buffer the next start fills */
    pthread_t thread;
    bool running;
    long first, n;
    int rc;
    savu_error err;
};

block_reader *block_reader_new(struct run *run, struct section_input *in, int slice_dim,
                               size_t block_floats)
{
    block_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    *r = (struct block_reader){.run = run, .in = in, .slice_dim = slice_dim};
    for (int i = 0; i < 2; i++)
        if (!(r->buffer[i] = malloc(sizeof(float) * (block_floats ? block_floats : 1)))) {
            block_reader_free(r);
            return NULL;
        }
    return r;
}

static void *read_block(void *arg)
{
    block_reader *r = arg;
    float *out = r->buffer[r->next];
    if (r->in->kind == INPUT_FILE) {
        r->rc = result_file_read(r->in->file, r->first, r->n, out, &r->err);
        return NULL;
    }
    nxtomo_input *input = r->run->plan->input;
    r->rc = r->slice_dim == 0 ? nxtomo_input_read_projections(input, r->first, r->n, out, &r->err)
                              : nxtomo_input_read_sinograms(input, r->first, r->n, out, &r->err);
    return NULL;
}

void block_reader_start(block_reader *r, long first, long n)
{
    r->next ^= 1;
    r->first = first;
    r->n = n;
    r->rc = 0;
    if (n <= 0)
        return;
    r->running = pthread_create(&r->thread, NULL, read_block, r) == 0;
    if (!r->running)
        read_block(r);
}

void block_reader_finish(block_reader *r)
{
    if (r->running)
        pthread_join(r->thread, NULL);
    r->running = false;
}

const float *block_reader_take(block_reader *r, savu_error *err)
{
    block_reader_finish(r);
    if (r->rc != 0) {
        *err = r->err;
        return NULL;
    }
    return r->buffer[r->next];
}

void block_reader_free(block_reader *r)
{
    if (!r)
        return;
    block_reader_finish(r);
    free(r->buffer[0]);
    free(r->buffer[1]);
    free(r);
}
