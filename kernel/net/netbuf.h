/*
 * netbuf.h -- a packet buffer with headroom.
 *
 * An outgoing packet is built from the inside out: the payload first,
 * then each layer pushes its header in front of it (UDP, then IPv4, then
 * Ethernet). The buffer keeps NETBUF_HEADROOM bytes free in front so that
 * pushing a header never moves the payload. The storage is inside the
 * struct: whoever owns the struct (a netif, an ARP queue slot, a test)
 * owns the memory, and nothing here allocates.
 */
#ifndef NET_NETBUF_H
#define NET_NETBUF_H

#if LAB >= 6
#include <stddef.h>
#include <stdint.h>

#define NETBUF_SIZE     1600    /* headroom + a whole MTU-sized IP packet (64 + 1500) */
#define NETBUF_HEADROOM 64      /* Ethernet 14 + IPv4 20 + TCP 20 + room for options */

struct netbuf {
    size_t off;                 /* where the packet starts in data[] */
    size_t len;                 /* bytes of packet from data[off] on */
    uint8_t data[NETBUF_SIZE];
};

/* Empty packet with `headroom` bytes free in front. */
void netbuf_init(struct netbuf *nb, size_t headroom);
/* Room for n more bytes at the end, or NULL if they do not fit. */
uint8_t *netbuf_put(struct netbuf *nb, size_t n);
/* Room for an n-byte header in front, or NULL if the headroom is too small. */
uint8_t *netbuf_push(struct netbuf *nb, size_t n);
/* Drop n bytes from the front (a header that was read), or NULL if too short. */
uint8_t *netbuf_pull(struct netbuf *nb, size_t n);
/* Copy src..src+n to the end; 0, or -1 if it does not fit. */
int netbuf_append(struct netbuf *nb, const void *src, size_t n);

static inline uint8_t *netbuf_head(struct netbuf *nb)
{
    return nb->data + nb->off;
}
#endif /* LAB >= 6 */

#endif
