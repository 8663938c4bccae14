/* netbuf.c -- a packet buffer with headroom (netbuf.h). */
#if LAB >= 6
#include "net/netbuf.h"
#include <string.h>

void netbuf_init(struct netbuf *nb, size_t headroom)
{
    nb->off = headroom < NETBUF_SIZE ? headroom : NETBUF_SIZE;
    nb->len = 0;
}

uint8_t *netbuf_put(struct netbuf *nb, size_t n)
{
    /* Written as a subtraction: off + len + n could wrap for a huge n. */
    if (n > NETBUF_SIZE - nb->off - nb->len)
        return NULL;
    uint8_t *tail = nb->data + nb->off + nb->len;
    nb->len += n;
    return tail;
}

uint8_t *netbuf_push(struct netbuf *nb, size_t n)
{
    if (n > nb->off)
        return NULL;
    nb->off -= n;
    nb->len += n;
    return nb->data + nb->off;
}

uint8_t *netbuf_pull(struct netbuf *nb, size_t n)
{
    if (n > nb->len)
        return NULL;
    nb->off += n;
    nb->len -= n;
    return nb->data + nb->off;
}

int netbuf_append(struct netbuf *nb, const void *src, size_t n)
{
    uint8_t *dst = netbuf_put(nb, n);
    if (dst == NULL)
        return -1;
    if (n > 0)
        memcpy(dst, src, n);
    return 0;
}
#endif /* LAB >= 6 */
