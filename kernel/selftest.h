/* selftest.h -- deliberate failures the grader uses to test its own
 * handling of panics, crashes, hangs and floods (docs/protocol.md). */
#ifndef SELFTEST_H
#define SELFTEST_H

/* Run the failure named by `which` (panic, fault, hang, flood). Returns
 * only for an unknown name. */
void selftest_run(const char *which);

#endif
