/* netstat.c -- the stack's counters and drop reasons (netstat.h). */
#if LAB >= 6
#include "net/netstat.h"
#include <string.h>

struct netstat netstat;

static const char *const drop_names[NET_DROP_COUNT] = {
    [NET_DROP_TRUNCATED] = "truncated header",
    [NET_DROP_BAD_CHECKSUM] = "bad checksum",
    [NET_DROP_BAD_LENGTH] = "bad length",
    [NET_DROP_BAD_HEADER] = "bad header",
    [NET_DROP_UNKNOWN_ETHERTYPE] = "unknown ethertype",
    [NET_DROP_UNKNOWN_PROTOCOL] = "unknown protocol",
    [NET_DROP_WRONG_ADDRESS] = "wrong address",
    [NET_DROP_BAD_SOURCE] = "bad source address",
    [NET_DROP_FRAGMENT] = "fragment",
    [NET_DROP_NO_PORT] = "no such port",
    [NET_DROP_ICMP_TYPE] = "unhandled ICMP type",
    [NET_DROP_ARP_QUEUE_FULL] = "ARP queue full",
    [NET_DROP_ARP_UNRESOLVED] = "ARP unresolved",
    [NET_DROP_TOO_BIG] = "too big",
    [NET_DROP_OUT_OF_WINDOW] = "out of window",
    [NET_DROP_NO_MEMORY] = "no memory",
};

void net_count(uint32_t *counter)
{
    __atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

void net_drop(enum net_drop_reason reason)
{
    /* A bad reason is a bug in the caller; count it somewhere visible
     * rather than write outside the array. */
    if ((unsigned)reason >= NET_DROP_COUNT)
        reason = NET_DROP_BAD_HEADER;
    net_count(&netstat.drops[reason]);
}

const char *net_drop_name(enum net_drop_reason reason)
{
    if ((unsigned)reason >= NET_DROP_COUNT || drop_names[reason] == NULL)
        return "?";
    return drop_names[reason];
}

uint32_t netstat_drops_total(void)
{
    uint32_t total = 0;
    for (int r = 0; r < NET_DROP_COUNT; r++)
        total += __atomic_load_n(&netstat.drops[r], __ATOMIC_RELAXED);
    return total;
}

void netstat_reset(void)
{
    memset(&netstat, 0, sizeof netstat);
}
#endif /* LAB >= 6 */
