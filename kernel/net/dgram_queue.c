/* dgram_queue.c -- a datagram socket's receive queue (dgram_queue.h). */
#if LAB >= 6
#include "net/dgram_queue.h"
#include <string.h>

void dgq_init(struct dgram_queue *q)
{
    q->head = q->count = 0;
}

bool dgq_push(struct dgram_queue *q, uint32_t ip, uint16_t port, const void *data, size_t len)
{
    if (q->count == DGRAM_QUEUE_LEN || len > DGRAM_MAX)
        return false;
    struct dgram *d = &q->slot[(q->head + q->count) % DGRAM_QUEUE_LEN];
    d->ip = ip;
    d->port = port;
    d->len = (uint16_t)len;
    memcpy(d->data, data, len);
    q->count++;
    return true;
}

int dgq_pop(struct dgram_queue *q, void *buf, size_t n, uint32_t *ip, uint16_t *port, bool peek)
{
    if (q->count == 0)
        return -1;
    struct dgram *d = &q->slot[q->head];
    size_t got = n < d->len ? n : d->len;
    memcpy(buf, d->data, got);
    if (ip != NULL)
        *ip = d->ip;
    if (port != NULL)
        *port = d->port;
    if (!peek) {
        q->head = (q->head + 1) % DGRAM_QUEUE_LEN;
        q->count--;
    }
    return (int)got;
}

bool dgq_empty(const struct dgram_queue *q)
{
    return q->count == 0;
}

uint32_t dgq_bytes(const struct dgram_queue *q)
{
    uint32_t total = 0;
    for (uint32_t i = 0; i < q->count; i++)
        total += q->slot[(q->head + i) % DGRAM_QUEUE_LEN].len;
    return total;
}
#endif /* LAB >= 6 */
