/* loopback.c -- the queue of frames to ourselves (loopback.h). */
#if LAB >= 6
#include "net/loopback.h"
#include "abi/errno.h"
#include "net/bytes.h"
#include "net/net.h"
#include "net/netbuf.h"
#include "net/netstat.h"
#include <string.h>

struct loopback_frame {
    uint16_t len;
    uint8_t data[LOOPBACK_FRAME_MAX];
};

/* A ring of whole frames; one interface, so one queue. The caller's lock
 * (net_lock in the kernel) protects it. */
static struct loopback_frame ring[LOOPBACK_QUEUE];
static uint32_t head, count;        /* oldest frame, frames queued */
static uint32_t queued_total;

int loopback_output(struct netif *nif, struct netbuf *nb)
{
    if (count == LOOPBACK_QUEUE || nb->len + ETH_HLEN > LOOPBACK_FRAME_MAX) {
        net_drop(NET_DROP_NO_MEMORY);
        return -ENOBUFS;
    }
    struct loopback_frame *f = &ring[(head + count) % LOOPBACK_QUEUE];
    memcpy(f->data, nif->mac, ETH_ALEN);              /* to us */
    memcpy(f->data + ETH_ALEN, nif->mac, ETH_ALEN);   /* from us */
    put_be16(f->data + 12, ETHERTYPE_IPV4);
    memcpy(f->data + ETH_HLEN, netbuf_head(nb), nb->len);
    f->len = (uint16_t)(ETH_HLEN + nb->len);
    count++;
    queued_total++;
    net_count(&netstat.tx_frames);
    return 0;
}

int loopback_drain(struct netif *nif, uint32_t now_ms)
{
    /* The frame being delivered is copied out first: its delivery may
     * queue more (an ACK, a reply) into the slot it came from. */
    static struct loopback_frame cur;
    int n = 0;
    while (count > 0 && n < LOOPBACK_DRAIN_MAX) {
        cur = ring[head];
        head = (head + 1) % LOOPBACK_QUEUE;
        count--;
        net_input(nif, cur.data, cur.len, now_ms);
        n++;
    }
    return n;
}

bool loopback_pending(void)
{
    return count > 0;
}

uint32_t loopback_frames(void)
{
    return queued_total;
}

void loopback_reset(void)
{
    head = count = queued_total = 0;
}
#endif /* LAB >= 6 */
