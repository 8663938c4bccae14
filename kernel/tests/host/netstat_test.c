/* netstat_test.c -- host tests for kernel/net/netstat.c (drop counters). */
#if LAB >= 6
#include <criterion/criterion.h>
#include <string.h>
#include "net/netstat.h"

TestSuite(netstat, .init = netstat_reset, .timeout = 120);

Test(netstat, every_reason_has_its_own_name)
{
    for (int r = 0; r < NET_DROP_COUNT; r++) {
        cr_assert_str_neq(net_drop_name(r), "?", "reason %d has no name", r);
        for (int s = 0; s < r; s++)
            cr_assert_str_neq(net_drop_name(r), net_drop_name(s), "reasons %d and %d", s, r);
    }
    cr_assert_str_eq(net_drop_name(NET_DROP_COUNT), "?");
    cr_assert_str_eq(net_drop_name(-1), "?");
}

Test(netstat, drops_are_counted_by_reason)
{
    net_drop(NET_DROP_BAD_CHECKSUM);
    net_drop(NET_DROP_BAD_CHECKSUM);
    net_drop(NET_DROP_FRAGMENT);
    cr_assert_eq(netstat.drops[NET_DROP_BAD_CHECKSUM], 2);
    cr_assert_eq(netstat.drops[NET_DROP_FRAGMENT], 1);
    cr_assert_eq(netstat_drops_total(), 3);
    netstat_reset();
    cr_assert_eq(netstat_drops_total(), 0);
}

Test(netstat, an_out_of_range_reason_stays_inside_the_array)
{
    net_drop(NET_DROP_COUNT);
    net_drop(1000);
    cr_assert_eq(netstat.drops[NET_DROP_BAD_HEADER], 2);
    cr_assert_eq(netstat_drops_total(), 2);
}
#endif /* LAB >= 6 */
