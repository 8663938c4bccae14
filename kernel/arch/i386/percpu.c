/* percpu.c -- the CPUs' own data (see percpu.h). */
#include "arch/i386/percpu.h"

struct cpu cpus[MAX_CPUS] = { [0] = { .self = &cpus[0], .id = 0, .online = true } };
int ncpus = 1;
