/*
 * worker.h -- one fuzzing process and its threads (worker.c).
 *
 * The controller (sysfuzz.c) forks the workers; each closes every
 * descriptor but its report line (FD_REPORT, the console), makes its
 * own directory its current one, starts its threads, and each thread
 * makes its share of the calls from its own random stream.
 */
#ifndef FUZZ_WORKER_H
#define FUZZ_WORKER_H

#include <stdint.h>

#define MAX_THREADS 4

struct fuzz_opts {
    uint32_t seed;
    uint32_t calls;             /* in all, over every worker and thread */
    int workers;
    int threads;                /* per odd-numbered worker; even ones have one */
    int only;                   /* replay: run only this worker (-1: all) */
    int verbose;                /* print each call before making it */
    const char *only_calls;     /* "read,write": only these calls (NULL: all) */
};

/* Threads worker w runs (even workers are single-threaded, so their
 * sequence replays exactly and their execve calls get past EAGAIN). */
int worker_threads(const struct fuzz_opts *o, int w);
/* The calls thread t of worker w makes: the same for every thread. */
uint32_t worker_share(const struct fuzz_opts *o, int w, int t);
/* Runs worker w in this (forked) process; returns its exit status:
 * 0, or 1 if a check failed (it printed what and how to replay it). */
int worker_run(const struct fuzz_opts *o, int w, const char *dir);

#endif
