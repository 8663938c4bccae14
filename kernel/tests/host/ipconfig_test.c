/* ipconfig_test.c -- host tests for kernel/net/ipconfig.c: the command
 * line's ip=a.b.c.d/nn[,gw]. */
#if LAB >= 6
#include <criterion/criterion.h>
#include "abi/errno.h"
#include "net/bytes.h"
#include "net/ipconfig.h"

TestSuite(ipconfig, .timeout = 60);

Test(ipconfig, address_prefix_and_gateway)
{
    struct ipconfig c;
    cr_assert_eq(ipconfig_parse("10.0.2.15/24,10.0.2.2", &c), 0);
    cr_assert_eq(c.ip, IP4(10, 0, 2, 15));
    cr_assert_eq(c.netmask, IP4(255, 255, 255, 0));
    cr_assert_eq(c.gateway, IP4(10, 0, 2, 2));
    cr_assert_eq(ipconfig_parse("192.168.7.1/16", &c), 0);
    cr_assert_eq(c.netmask, IP4(255, 255, 0, 0));
    cr_assert_eq(c.gateway, 0);
    cr_assert_eq(ipconfig_parse("172.16.0.9/32", &c), 0);
    cr_assert_eq(c.netmask, 0xFFFFFFFFu);
    cr_assert_eq(ipconfig_parse("172.16.0.9/1", &c), 0);
    cr_assert_eq(c.netmask, 0x80000000u);
}

Test(ipconfig, the_prefix_defaults_to_24)
{
    struct ipconfig c;
    cr_assert_eq(ipconfig_parse("10.1.2.3", &c), 0);
    cr_assert_eq(c.netmask, IP4(255, 255, 255, 0));
    cr_assert_eq(ipconfig_parse("10.1.2.3,10.1.2.1", &c), 0);
    cr_assert_eq(c.gateway, IP4(10, 1, 2, 1));
}

Test(ipconfig, malformed_values_are_refused_and_change_nothing)
{
    static const char *const bad[] = {
        "", "10.0.2", "10.0.2.", "10.0.2.256", "10.0.2.15/", "10.0.2.15/0", "10.0.2.15/33",
        "10.0.2.15/24,", "10.0.2.15/24,10.0.2", "10.0.2.15 ", "10..2.15", "a.b.c.d",
        "0.0.0.0/8", "10.0.2.15/24,10.0.2.2,1", "1000.0.0.1", "10.0.2.0015",
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct ipconfig c = { 1, 2, 3 };
        cr_assert_eq(ipconfig_parse(bad[i], &c), -EINVAL, "\"%s\"", bad[i]);
        cr_assert(c.ip == 1 && c.netmask == 2 && c.gateway == 3, "\"%s\" changed the output", bad[i]);
    }
    struct ipconfig c;
    cr_assert_eq(ipconfig_parse(NULL, &c), -EINVAL);
}
#endif /* LAB >= 6 */
