/* tcp_ring.c -- the fixed-size byte rings behind a TCB's send and
 * receive buffers. The send ring holds everything from SND.UNA on (sent
 * but unacknowledged, then unsent): it is the retransmission queue too. */
#if LAB >= 6
#include "net/tcp_int.h"

void ring_reset(struct tcp_ring *r)
{
    r->head = 0;
    r->len = 0;
}

uint32_t ring_free(const struct tcp_ring *r)
{
    return TCP_BUF_SIZE - r->len;
}

/* Append as much of src as fits; returns how much did. */
uint32_t ring_write(struct tcp_ring *r, const uint8_t *src, uint32_t len)
{
    if (len > ring_free(r))
        len = ring_free(r);
    for (uint32_t i = 0; i < len; i++)
        r->data[(r->head + r->len + i) % TCP_BUF_SIZE] = src[i];
    r->len += len;
    return len;
}

/* Copy len bytes starting off bytes after the oldest (off + len <= r->len). */
void ring_peek(const struct tcp_ring *r, uint32_t off, uint8_t *dst, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++)
        dst[i] = r->data[(r->head + off + i) % TCP_BUF_SIZE];
}

/* Forget the len oldest bytes (acknowledged, or read by the user). */
void ring_drop(struct tcp_ring *r, uint32_t len)
{
    if (len > r->len)
        len = r->len;
    r->head = (r->head + len) % TCP_BUF_SIZE;
    r->len -= len;
}
#endif /* LAB >= 6 */
