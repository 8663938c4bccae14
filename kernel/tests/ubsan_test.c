/*
 * ubsan_test.c -- make UBSAN=1's runtime seen from inside: undefined
 * behaviour produces a report and the report is counted (report.h).
 * Suite "sanitizers": graded runs under the checkers require zero
 * reports, so this case runs only when asked for (test=sanitizers.*).
 */
#include "ktest.h"
#include "sanitizers/report.h"

/* noipa: the exponent is unknown to the compiler, so the shift is
 * checked at run time (and not refused at compile time). */
__attribute__((noipa)) unsigned ktest_ubsan_shift(unsigned value, int bits)
{
    return value << bits;
}

KTEST(sanitizers, ubsan_report_counted)
{
#ifndef CONFIG_UBSAN
    ktest_skip("kernel built without the checker (make UBSAN=1)");
#else
    unsigned before = san_reports_of("UBSAN");
    unsigned total_before = san_reports();
    unsigned r = ktest_ubsan_shift(1, 40);
    (void)r;
    KEXPECT_EQ(san_reports_of("UBSAN"), before + 1);
    KEXPECT_EQ(san_reports(), total_before + 1);
#endif
}
