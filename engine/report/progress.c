/* progress.c: a section's progress on rank 0, as a bar on a terminal or as
 * plain lines for a calling program (progress.h). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "progress.h"
#include "console.h"

#define BAR_WIDTH 16
#define TERMINAL_INTERVAL_S 0.25
#define PLAIN_INTERVAL_S 2.0

struct progress {
    int index, n_sections;
    char *name;
    long total, done;
    bool enabled, terminal;
    FILE *out;
    double start, last_shown;
    bool bar_drawn;           /* a bar is on the terminal line, no newline yet */
    char bar[256];            /* the bar as last drawn, for progress_show */
};

static double (*clock_source)(void);
static FILE *chosen_stream;
static bool chosen_is_terminal;
static progress *drawn_bar;   /* the progress whose bar is on the terminal */
static pthread_mutex_t progress_lock = PTHREAD_MUTEX_INITIALIZER;

void progress_set_clock(double (*now_seconds)(void))
{
    clock_source = now_seconds;
}

void progress_set_stream(FILE *f, bool is_terminal)
{
    chosen_stream = f;
    chosen_is_terminal = is_terminal;
}

static double now_seconds(void)
{
    if (clock_source)
        return clock_source();
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int percent_done(const progress *p)
{
    if (p->total <= 0)
        return 100;
    return (int)((long long)p->done * 100 / p->total);
}

/* Seconds left, or -1 before anything is done. */
static long eta_seconds(const progress *p, double now)
{
    if (p->done <= 0)
        return -1;
    return lround((now - p->start) * (double)(p->total - p->done) / (double)p->done);
}

/* "0:14", "12:05", "1:02:05". */
static void format_duration(long s, char *out, size_t size)
{
    if (s >= 3600)
        snprintf(out, size, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(out, size, "%ld:%02ld", s / 60, s % 60);
}

static void draw_bar(progress *p, double now, bool final)
{
    char hashes[BAR_WIDTH + 1];
    int filled = p->total > 0 ? (int)((long long)p->done * BAR_WIDTH / p->total) : BAR_WIDTH;
    for (int i = 0; i < BAR_WIDTH; i++)
        hashes[i] = i < filled ? '#' : '.';
    hashes[BAR_WIDTH] = '\0';
    char when[48], duration[32];
    long eta = eta_seconds(p, now);
    if (final) {
        format_duration(lround(now - p->start), duration, sizeof duration);
        snprintf(when, sizeof when, "done in %s", duration);
    } else if (eta < 0) {
        snprintf(when, sizeof when, "ETA -:--");
    } else {
        format_duration(eta, duration, sizeof duration);
        snprintf(when, sizeof when, "ETA %s", duration);
    }
    snprintf(p->bar, sizeof p->bar, "[%d/%d] %s  [%s] %3d%%  %ld/%ld blocks  %s", p->index,
             p->n_sections, p->name, hashes, percent_done(p), p->done, p->total, when);
    fprintf(p->out, "\r%s\033[K%s", p->bar, final ? "\n" : "");
    p->bar_drawn = !final;
}

static void print_line(const progress *p, double now, bool final)
{
    fprintf(p->out, "progress: section %d/%d %s: %d%% (%ld/%ld blocks), ", p->index,
            p->n_sections, p->name, percent_done(p), p->done, p->total);
    long eta = eta_seconds(p, now);
    if (final)
        fprintf(p->out, "done in %ld s\n", lround(now - p->start));
    else if (eta < 0)
        fprintf(p->out, "ETA unknown\n");
    else
        fprintf(p->out, "ETA %ld s\n", eta);
}

static void show(progress *p, double now, bool final)
{
    if (p->terminal)
        draw_bar(p, now, final);
    else
        print_line(p, now, final);
    fflush(p->out);
    p->last_shown = now;
    drawn_bar = p->bar_drawn ? p : NULL;
}

progress *progress_begin(int section_index, int n_sections, const char *section_name,
                         long total_units, bool enabled)
{
    progress *p = calloc(1, sizeof *p);
    if (!p || !(p->name = strdup(section_name ? section_name : ""))) {
        free(p);
        return NULL;
    }
    p->index = section_index;
    p->n_sections = n_sections;
    p->total = total_units > 0 ? total_units : 0;
    p->enabled = enabled;
    p->out = chosen_stream ? chosen_stream : stdout;
    p->terminal = chosen_stream ? chosen_is_terminal : console_is_terminal(STDOUT_FILENO);
    p->start = now_seconds();
    if (enabled) {
        pthread_mutex_lock(&progress_lock);
        show(p, p->start, false);
        pthread_mutex_unlock(&progress_lock);
    }
    return p;
}

void progress_update(progress *p, long units_done)
{
    if (!p)
        return;
    double now = p->enabled ? now_seconds() : 0;
    double interval = p->terminal ? TERMINAL_INTERVAL_S : PLAIN_INTERVAL_S;
    pthread_mutex_lock(&progress_lock); /* show() and progress_show() read done */
    p->done = units_done < 0 ? 0 : units_done > p->total ? p->total : units_done;
    if (p->enabled && now - p->last_shown >= interval)
        show(p, now, false);
    pthread_mutex_unlock(&progress_lock);
}

static void release(progress *p)
{
    if (drawn_bar == p)
        drawn_bar = NULL;
    free(p->name);
    free(p);
}

void progress_end(progress *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&progress_lock);
    if (p->enabled) {
        p->done = p->total;
        show(p, now_seconds(), true);
    }
    release(p);
    pthread_mutex_unlock(&progress_lock);
}

void progress_cancel(progress *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&progress_lock);
    if (p->bar_drawn) {
        fputc('\n', p->out);
        fflush(p->out);
    }
    release(p);
    pthread_mutex_unlock(&progress_lock);
}

void progress_hide(void)
{
    pthread_mutex_lock(&progress_lock);
    if (drawn_bar) {
        fputs("\r\033[K", drawn_bar->out);
        fflush(drawn_bar->out);
    }
    pthread_mutex_unlock(&progress_lock);
}

void progress_show(void)
{
    pthread_mutex_lock(&progress_lock);
    if (drawn_bar) {
        fprintf(drawn_bar->out, "\r%s\033[K", drawn_bar->bar);
        fflush(drawn_bar->out);
    }
    pthread_mutex_unlock(&progress_lock);
}
