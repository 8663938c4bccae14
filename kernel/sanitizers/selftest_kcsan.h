/* selftest_kcsan.h -- KCSAN's deliberate races (selftest=kcsan-race,
 * selftest=kcsan-norace); see selftest_kcsan.c. */
#ifndef SANITIZERS_SELFTEST_KCSAN_H
#define SANITIZERS_SELFTEST_KCSAN_H

#if LAB >= 5
#include <stdbool.h>

/* Two CPUs increment one counter, the second without the lock (`locked`
 * false: the race) or with it too (`locked` true: no race), then the
 * machine exits (after "selftest: NAME done"). */
void selftest_kcsan_counter(bool locked);
#endif

#endif
