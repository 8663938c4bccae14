/* bench.h -- benchmarks selected with bench=NAME on the command line. */
#ifndef BENCH_H
#define BENCH_H

#if LAB >= 3
void bench_run(const char *which);
#endif

#endif
