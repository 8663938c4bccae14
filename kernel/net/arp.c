/* arp.c -- ARP cache, requests, replies and the pending queue (arp.h). */
#if LAB >= 6
#include "net/arp.h"
#include "abi/errno.h"
#include "lab.h"
#include "net/bytes.h"
#include "net/net.h"
#include "net/netstat.h"
#include <string.h>

#define ARP_HTYPE_ETHERNET 1

void arp_init(struct arp_table *t)
{
    memset(t, 0, sizeof *t);
}

/* ---- the cache */

static struct arp_entry *arp_find(struct arp_table *t, uint32_t ip)
{
    for (int i = 0; i < ARP_CACHE_SIZE; i++)
        if (t->entry[i].state != ARP_FREE && t->entry[i].ip == ip)
            return &t->entry[i];
    return NULL;
}

/* A resolved entry is good until its deadline (ARP_ENTRY_TTL_MS after
 * the last reply or request from that host confirmed it). */
static bool arp_expired(const struct arp_entry *e, uint32_t now_ms)
{
#if SOLVED >= 6
    return e->state == ARP_RESOLVED && !net_time_before(now_ms, e->deadline);
#else
    /* LAB 6 exercise 5: true when e is ARP_RESOLVED and its deadline has
     * come (now_ms is not before e->deadline). The clock wraps after 49
     * days: compare with net_time_before() (net.h), never with <. */
    (void)e; (void)now_ms;
    LAB_TODO_ONCE(6, 5, "arp_expired() (kernel/net/arp.c)");
    return true;
#endif
}

/* A slot for a new entry: a free one, else an expired one, else the
 * resolved entry closest to expiry. Pending entries are not evicted (their
 * packets would be lost); if all are pending there is no slot. */
static struct arp_entry *arp_slot(struct arp_table *t, uint32_t now_ms)
{
    struct arp_entry *victim = NULL;
    for (int i = 0; i < ARP_CACHE_SIZE; i++) {
        struct arp_entry *e = &t->entry[i];
        if (e->state == ARP_FREE || arp_expired(e, now_ms))
            return e;
        if (e->state == ARP_RESOLVED &&
            (victim == NULL || net_time_before(e->deadline, victim->deadline)))
            victim = e;
    }
    return victim;
}

bool arp_lookup(struct netif *nif, uint32_t ip, uint8_t mac[ETH_ALEN], uint32_t now_ms)
{
#if SOLVED >= 6
    struct arp_entry *e = arp_find(&nif->arp, ip);
    if (e == NULL || e->state != ARP_RESOLVED || arp_expired(e, now_ms))
        return false;
    memcpy(mac, e->mac, ETH_ALEN);
    return true;
#else
    /* LAB 6 exercise 5: find ip's entry (arp_find); only a resolved entry
     * that has not expired answers: copy its MAC to mac and return true.
     * A pending entry (request sent, no reply yet) does not. */
    (void)nif; (void)ip; (void)mac; (void)now_ms;
    LAB_TODO_ONCE(6, 5, "arp_lookup() (kernel/net/arp.c)");
    return false;
#endif
}

/* ---- sending ARP packets */

/* RFC 826 "Packet format". A whole padded frame on the stack: the netif's
 * scratch buffer may hold the IP packet this request is for. */
static void arp_send(struct netif *nif, uint16_t op, const uint8_t eth_dst[ETH_ALEN],
                     const uint8_t target_mac[ETH_ALEN], uint32_t target_ip)
{
    uint8_t frame[ETH_MIN_FRAME];
    memset(frame, 0, sizeof frame);
    memcpy(frame, eth_dst, ETH_ALEN);
    memcpy(frame + 6, nif->mac, ETH_ALEN);
    put_be16(frame + 12, ETHERTYPE_ARP);
    uint8_t *a = frame + ETH_HLEN;
    put_be16(a + 0, ARP_HTYPE_ETHERNET);
    put_be16(a + 2, ETHERTYPE_IPV4);
    a[4] = ETH_ALEN;
    a[5] = 4;
    put_be16(a + 6, op);
    memcpy(a + 8, nif->mac, ETH_ALEN);
    put_be32(a + 14, nif->ip);
    memcpy(a + 18, target_mac, ETH_ALEN);
    put_be32(a + 24, target_ip);
    net_transmit(nif, frame, sizeof frame);
}

static void arp_request(struct netif *nif, uint32_t ip)
{
    static const uint8_t unknown[ETH_ALEN];     /* tha is ignored in a request */
    arp_send(nif, ARP_OP_REQUEST, eth_broadcast, unknown, ip);
}

/* ---- the pending queue */

int arp_pending_count(const struct arp_table *t)
{
    int n = 0;
    for (int i = 0; i < ARP_PENDING_MAX; i++)
        n += t->pending[i].used;
    return n;
}

static int arp_enqueue(struct arp_table *t, uint32_t nexthop, const struct netbuf *nb)
{
    for (int i = 0; i < ARP_PENDING_MAX; i++) {
        struct arp_pending *p = &t->pending[i];
        if (p->used)
            continue;
        p->used = true;
        p->nexthop = nexthop;
        p->seq = t->next_seq++;
        p->nb.off = nb->off;
        p->nb.len = nb->len;
        memcpy(p->nb.data + nb->off, nb->data + nb->off, nb->len);
        return 0;
    }
    net_drop(NET_DROP_ARP_QUEUE_FULL);
    return -EAGAIN;
}

/* The oldest queued packet for nexthop, or NULL. */
static struct arp_pending *arp_oldest(struct arp_table *t, uint32_t nexthop)
{
    struct arp_pending *oldest = NULL;
    for (int i = 0; i < ARP_PENDING_MAX; i++) {
        struct arp_pending *p = &t->pending[i];
        if (p->used && p->nexthop == nexthop &&
            (oldest == NULL || (int32_t)(p->seq - oldest->seq) < 0))
            oldest = p;
    }
    return oldest;
}

/* The MAC of e is now known: send its packets, oldest first. */
static void arp_flush(struct netif *nif, const struct arp_entry *e)
{
    struct arp_pending *p;
    while ((p = arp_oldest(&nif->arp, e->ip)) != NULL) {
        eth_output(nif, e->mac, ETHERTYPE_IPV4, &p->nb);
        p->used = false;
    }
}

/* No answer: the queued packets for ip are lost. */
static void arp_give_up(struct netif *nif, struct arp_entry *e)
{
    struct arp_pending *p;
    while ((p = arp_oldest(&nif->arp, e->ip)) != NULL) {
        net_drop(NET_DROP_ARP_UNRESOLVED);
        p->used = false;
    }
    e->state = ARP_FREE;
}

/* ---- receiving */

/* Record ip -> mac, confirmed now; send what waited for it. */
static void arp_update(struct netif *nif, struct arp_entry *e, uint32_t ip,
                       const uint8_t mac[ETH_ALEN], uint32_t now_ms)
{
    bool was_pending = e->state == ARP_PENDING;
    e->ip = ip;
    memcpy(e->mac, mac, ETH_ALEN);
    e->state = ARP_RESOLVED;
    e->tries = 0;
    e->deadline = now_ms + ARP_ENTRY_TTL_MS;
    if (was_pending)
        arp_flush(nif, e);
}

static bool arp_header_ok(const uint8_t *pkt)
{
    uint16_t op = get_be16(pkt + 6);
    return get_be16(pkt) == ARP_HTYPE_ETHERNET && get_be16(pkt + 2) == ETHERTYPE_IPV4 &&
           pkt[4] == ETH_ALEN && pkt[5] == 4 && (op == ARP_OP_REQUEST || op == ARP_OP_REPLY);
}

/* A sender that is broadcast or multicast would poison the cache. */
static bool arp_sender_ok(const uint8_t *sha, uint32_t spa)
{
    return !(sha[0] & 1) && spa != 0xffffffffu && (spa >> 28) != 0xe;
}

void arp_input(struct netif *nif, const uint8_t *pkt, size_t len, uint32_t now_ms)
{
    /* Bytes past 28 are Ethernet padding. */
    if (len < ARP_PKT_LEN) {
        net_drop(NET_DROP_TRUNCATED);
        return;
    }
    if (!arp_header_ok(pkt)) {
        net_drop(NET_DROP_BAD_HEADER);
        return;
    }
    const uint8_t *sha = pkt + 8;
    uint32_t spa = get_be32(pkt + 14);
    uint32_t tpa = get_be32(pkt + 24);
    if (!arp_sender_ok(sha, spa)) {
        net_drop(NET_DROP_BAD_SOURCE);
        return;
    }
    /* RFC 826 "Packet Reception": update the sender if we know it ... */
    bool merged = false;
    struct arp_entry *e = spa != 0 ? arp_find(&nif->arp, spa) : NULL;
    if (e != NULL) {
        arp_update(nif, e, spa, sha, now_ms);
        merged = true;
    }
    /* ... and go on only if we are the target. */
    if (nif->ip == 0 || tpa != nif->ip) {
        if (!merged)
            net_drop(NET_DROP_WRONG_ADDRESS);
        return;
    }
    if (!merged && spa != 0 && (e = arp_slot(&nif->arp, now_ms)) != NULL)
        arp_update(nif, e, spa, sha, now_ms);
    if (get_be16(pkt + 6) == ARP_OP_REQUEST)
        arp_send(nif, ARP_OP_REPLY, sha, sha, spa);
}

/* ---- sending IP packets */

int arp_output(struct netif *nif, uint32_t nexthop, struct netbuf *nb, uint32_t now_ms)
{
    struct arp_table *t = &nif->arp;
    struct arp_entry *e = arp_find(t, nexthop);
    if (e != NULL && e->state == ARP_RESOLVED && !arp_expired(e, now_ms))
        return eth_output(nif, e->mac, ETHERTYPE_IPV4, nb);
    if (e == NULL || e->state == ARP_RESOLVED) {
        /* Unknown, or known but expired: ask (again). */
        if (e == NULL)
            e = arp_slot(t, now_ms);
        if (e == NULL) {
            net_drop(NET_DROP_ARP_QUEUE_FULL);      /* every entry is pending */
            return -EAGAIN;
        }
        e->ip = nexthop;
        e->state = ARP_PENDING;
        e->tries = 1;
        e->deadline = now_ms + ARP_RETRY_MS;
        arp_request(nif, nexthop);
    }
    return arp_enqueue(t, nexthop, nb);
}

void arp_tick(struct netif *nif, uint32_t now_ms)
{
    for (int i = 0; i < ARP_CACHE_SIZE; i++) {
        struct arp_entry *e = &nif->arp.entry[i];
        if (e->state == ARP_FREE)
            continue;
        if (arp_expired(e, now_ms)) {
            e->state = ARP_FREE;
        } else if (e->state == ARP_PENDING && !net_time_before(now_ms, e->deadline)) {
            if (e->tries >= ARP_MAX_TRIES) {
                arp_give_up(nif, e);
                continue;
            }
            e->tries++;
            e->deadline = now_ms + ARP_RETRY_MS;
            arp_request(nif, e->ip);
        }
    }
}
#endif /* LAB >= 6 */
