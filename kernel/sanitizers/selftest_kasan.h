/* selftest_kasan.h -- KASAN's deliberate bugs (selftest=kasan-*). Each
 * commits its bug, prints "selftest: NAME done" and ends the kernel
 * cleanly, so a test sees the report and then a normal end. */
#ifndef SANITIZERS_SELFTEST_KASAN_H
#define SANITIZERS_SELFTEST_KASAN_H

#if LAB >= 3
void selftest_kasan_oob(void);
void selftest_kasan_global_oob(void);
void selftest_kasan_stack_oob(void);
void selftest_kasan_uaf(void);
void selftest_kasan_double_free(void);
void selftest_kasan_invalid_free(void);
#endif

#endif
