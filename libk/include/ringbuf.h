/*
 * ringbuf.h -- a byte FIFO over caller-provided storage.
 *
 * Made for one producer and one consumer that may run concurrently,
 * such as a keyboard or serial interrupt handler (pushes) and a thread
 * reading input (pops), with no lock between them:
 *   - only the producer writes `head`, only the consumer writes `tail`;
 *   - the producer stores the byte before it publishes the new head,
 *     and the consumer reads the byte before it publishes the new tail
 *     (release stores, acquire loads: see ringbuf.c).
 * That holds on one CPU with interrupts and across CPUs.  Two producers
 * (or two consumers) at once need a lock around their side.
 *
 * A full buffer refuses new bytes (push returns false): unread data is
 * never overwritten.  The capacity must be a power of two.
 */
#ifndef LIBK_RINGBUF_H
#define LIBK_RINGBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ringbuf {
    uint8_t *data; /* capacity bytes, caller's */
    size_t mask;   /* capacity - 1 */
    /*
     * Free-running counts of bytes ever pushed and popped.  They are
     * never reduced modulo the capacity, so head - tail is the fill
     * level even when the counters wrap around, and "full" (head -
     * tail == capacity) differs from "empty" (head == tail) without a
     * wasted slot.  A byte's slot is its count & mask.
     */
    size_t head; /* written by the producer only */
    size_t tail; /* written by the consumer only */
};

/* capacity: a power of two, >= 1.  The buffer starts empty. */
void ringbuf_init(struct ringbuf *rb, uint8_t *storage, size_t capacity);

/* Producer side: false (and nothing stored) if the buffer is full. */
bool ringbuf_push(struct ringbuf *rb, uint8_t byte);

/* Consumer side: false (and *byte untouched) if the buffer is empty. */
bool ringbuf_pop(struct ringbuf *rb, uint8_t *byte);

size_t ringbuf_capacity(const struct ringbuf *rb);
/*
 * Bytes waiting / free slots.  Call them from the producer or the
 * consumer: with the other side running, the result is a snapshot that
 * can only get better for the caller (more bytes for the consumer, more
 * space for the producer) until it acts on it.
 */
size_t ringbuf_count(const struct ringbuf *rb);
size_t ringbuf_space(const struct ringbuf *rb);

#endif /* LIBK_RINGBUF_H */
