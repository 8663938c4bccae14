/* selftest_ubsan.h -- undefined behaviour and a stack smash on purpose,
 * for selftest=ubsan-* and selftest=stack-smash (kernel/selftest.c). */
#ifndef SANITIZERS_SELFTEST_UBSAN_H
#define SANITIZERS_SELFTEST_UBSAN_H

/* Each commits its bug, prints "selftest: NAME done" and powers off
 * cleanly: under make UBSAN=1 the console shows the report in between. */
void selftest_ubsan_overflow(void);
void selftest_ubsan_shift(void);
void selftest_ubsan_oob(void);
void selftest_ubsan_misaligned(void);
void selftest_ubsan_null(void);
/* Overruns a local buffer into its canary: the stack protector (always
 * on) panics naming selftest_smash_frame. Does not return. */
void selftest_stack_smash(void);

#endif
