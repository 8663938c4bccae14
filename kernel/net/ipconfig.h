/*
 * ipconfig.h -- the kernel command line's static address: ip=a.b.c.d/nn[,gw]
 * (for a peer that speaks no DHCP, such as the grader's scapy peer on
 * -netdev dgram). Pure: host-tested.
 */
#ifndef NET_IPCONFIG_H
#define NET_IPCONFIG_H

#if LAB >= 6
#include <stdint.h>

struct ipconfig {
    uint32_t ip, netmask, gateway;  /* host order; gateway 0 if not given */
};

/* Parse "a.b.c.d", "a.b.c.d/nn" (nn 1..32; /24 if left out) and either of
 * them followed by ",a.b.c.d" (the gateway). 0, or -EINVAL for anything
 * else: a part above 255, a missing part, junk after the last one. */
int ipconfig_parse(const char *s, struct ipconfig *out);
/* Parse one dotted quad at *s, advancing *s past it; 0 or -EINVAL. */
int ipconfig_parse_addr(const char **s, uint32_t *addr);
#endif /* LAB >= 6 */

#endif
