/*
 * dgram_queue.h -- a datagram socket's receive queue.
 *
 * Whole datagrams with their sender, oldest first, in a fixed number of
 * slots (no allocation). A datagram that finds the queue full is dropped
 * (UDP promises nothing: RFC 768); a reader whose buffer is too small
 * gets the first bytes and the rest is discarded, as POSIX says for
 * message-based sockets. Pure logic, host-tested.
 */
#ifndef NET_DGRAM_QUEUE_H
#define NET_DGRAM_QUEUE_H

#if LAB >= 6
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DGRAM_MAX       1480    /* an Ethernet MTU minus the IPv4 header */
#define DGRAM_QUEUE_LEN 8

struct dgram {
    uint32_t ip;                /* sender, host order */
    uint16_t port;
    uint16_t len;
    uint8_t data[DGRAM_MAX];
};

struct dgram_queue {
    uint32_t head, count;
    struct dgram slot[DGRAM_QUEUE_LEN];
};

void dgq_init(struct dgram_queue *q);
/* false (nothing queued) when full or len > DGRAM_MAX. */
bool dgq_push(struct dgram_queue *q, uint32_t ip, uint16_t port, const void *data, size_t len);
/* The oldest datagram's first min(n, its length) bytes into buf, and its
 * sender; removed unless peek. The bytes copied, or -1 if empty. */
int dgq_pop(struct dgram_queue *q, void *buf, size_t n, uint32_t *ip, uint16_t *port, bool peek);
bool dgq_empty(const struct dgram_queue *q);
/* Bytes of the datagrams waiting (netstat). */
uint32_t dgq_bytes(const struct dgram_queue *q);
#endif /* LAB >= 6 */

#endif
