/* tcp_hook.c -- what IPv4 calls for protocol 6 until TCP is there.
 *
 * TCP (kernel/net/tcp*.c) defines the real tcp_input(); this weak default
 * only keeps the receive path linkable without it, and counts the segment
 * as a protocol nobody handles. */
#if LAB >= 6
#include "net/ipv4.h"
#include "net/netstat.h"

__attribute__((weak)) void tcp_input(const struct ip_hdr_info *ip, const uint8_t *seg,
                                     size_t len, uint32_t now_ms)
{
    (void)ip;
    (void)seg;
    (void)len;
    (void)now_ms;
    net_drop(NET_DROP_UNKNOWN_PROTOCOL);
}
#endif /* LAB >= 6 */
