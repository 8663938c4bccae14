/* sys_netstat.c -- SYS_netstat: the stack's counters and sockets for the
 * netstat program (abi/netstat.h). */
#if LAB >= 6
#include "net/netstat_nic.h"
#include "net/loopback.h"
#include "net/net.h"
#include "net/netstat.h"
#include "net/socket.h"
#include "net/stack.h"
#include "net/tcp.h"
#include "proc/syscall.h"
#include "mm/kmalloc.h"
#include "mm/usercopy.h"
#include "abi/errno.h"
#include "abi/netstat.h"
#include <string.h>

_Static_assert(NET_DROP_COUNT <= NETSTAT_DROPS_MAX, "abi/netstat.h: room for every drop reason");

__attribute__((weak)) int net_nic_stats(struct netstat_counter *out, int max)
{
    (void)out;
    (void)max;
    return 0;
}

static void fill_iface(struct netstat_info *ni)
{
    struct netif *nif = net_iface();
    ni->has_iface = nif != NULL;
    ni->has_nic = net_have_nic();
    ni->configured = net_configured();
    if (nif != NULL) {
        memcpy(ni->mac, nif->mac, sizeof ni->mac);
        ni->ip = nif->ip;
        ni->netmask = nif->netmask;
        ni->gateway = nif->gateway;
    }
}

/* TCP's control blocks come from a fixed pool (tcp_tcb.c): one that is
 * never given back is lost for good, and the pool runs dry after
 * TCP_MAX_TCB of them. Counted here so that a soak can see, once every
 * connection has ended and its TIME_WAIT run out, that only the
 * listeners are left. */
static uint32_t tcbs_in_use(void)
{
    uint32_t n = 0;
    for (int i = 0; i < TCP_MAX_TCB; i++)
        if (tcp_tcb_at(i) != NULL)
            n++;
    return n;
}

static void fill_counters(struct netstat_info *ni)
{
    ni->rx_frames = netstat.rx_frames;
    ni->tx_frames = netstat.tx_frames;
    ni->rx_delivered = netstat.rx_delivered;
    ni->loopback_frames = loopback_frames();
    ni->ndrops = NET_DROP_COUNT;
    for (int i = 0; i < NET_DROP_COUNT; i++) {
        ni->drops[i] = netstat.drops[i];
        strncpy(ni->drop_names[i], net_drop_name((enum net_drop_reason)i),
                NETSTAT_NAME_LEN - 1);
    }
    ni->tcp_segs_in = tcp_stats.segs_in;
    ni->tcp_segs_out = tcp_stats.segs_out;
    ni->tcp_retransmits = tcp_stats.retransmits;
    ni->tcp_resets_sent = tcp_stats.resets_sent;
    ni->tcp_out_of_order = tcp_stats.out_of_order;
    ni->tcp_backlog_full = tcp_stats.backlog_full;
    ni->tcp_timeouts = tcp_stats.timeouts;
    ni->tcp_tcbs_in_use = tcbs_in_use();
    sock_dgram_counters(ni);
    int n = net_nic_stats(ni->nic, NETSTAT_NIC_MAX);
    ni->nnic = n < 0 ? 0 : n > NETSTAT_NIC_MAX ? NETSTAT_NIC_MAX : (uint32_t)n;
}

int32_t sys_netstat(uint32_t ubuf, uint32_t size, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a3; (void)a4; (void)a5;
    if (size != sizeof(struct netstat_info))
        return -EINVAL;         /* a program built against another layout */
    struct netstat_info *ni = kcalloc(1, sizeof *ni);
    if (ni == NULL)
        return -ENOMEM;
    ni->version = NETSTAT_VERSION;
    uint32_t irq = sock_lock();
    fill_iface(ni);
    fill_counters(ni);
    sock_unlock(irq);
    sock_netstat(ni);           /* takes the lock itself */
    int32_t err = copyout(ubuf, ni, sizeof *ni) != 0 ? -EFAULT : 0;
    kfree(ni);
    return err;
}
#endif /* LAB >= 6 */
