/*
 * m32/main.c -- the differential tests again, as a 32-bit program.
 *
 * The Criterion tests run on x86-64, where long, size_t and pointers
 * are 64 bits and every variadic argument takes an 8-byte slot.  The
 * kernel is i386: long is 32 bits, and a long long argument takes two
 * 4-byte slots, so a formatter that fetches the wrong type goes out of
 * step only there.  This program (built with -m32 by `make test-libk`,
 * without Criterion, which has no 32-bit build here) compares libk with
 * the 32-bit C library on the same generated cases.
 */
#include <stdio.h>

#include "../diff_format.h"
#include "../diff_strtol.h"

int main(void)
{
    int format_compared, table_compared, random_compared;
    int bad = diff_format_run(DIFF_FORMAT_SEED, 100000, 20, &format_compared);

    bad += diff_strtol_table(&table_compared);
    bad += diff_strtol_random(42, 50000, &random_compared);
    printf("libk 32-bit differential tests (sizeof(long) = %zu): "
           "%d snprintf and %d strtol comparisons, %d mismatches\n",
           sizeof(long), format_compared, table_compared + random_compared, bad);
    return bad == 0 ? 0 : 1;
}
