/*
 * ringbuf.c -- single-producer single-consumer byte FIFO; see
 * include/ringbuf.h for the rules.
 *
 * Ordering: a release store of a counter makes every memory access
 * before it visible to whoever acquire-loads the counter's new value.
 * So when the consumer sees head advance, the byte is already there;
 * when the producer sees tail advance, the consumer is done reading that
 * slot and it may be reused.  On x86 these compile to plain moves that
 * the compiler may not reorder -- no fence instruction, no lock.
 */
#include "ringbuf.h"

#include "assert.h"

static size_t load_acquire(const size_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store_release(size_t *p, size_t value)
{
    __atomic_store_n(p, value, __ATOMIC_RELEASE);
}

void ringbuf_init(struct ringbuf *rb, uint8_t *storage, size_t capacity)
{
    /* A power of two has exactly one bit set. */
    assert(capacity != 0 && (capacity & (capacity - 1)) == 0);
    rb->data = storage;
    rb->mask = capacity - 1;
    rb->head = 0;
    rb->tail = 0;
}

size_t ringbuf_capacity(const struct ringbuf *rb)
{
    return rb->mask + 1;
}

size_t ringbuf_count(const struct ringbuf *rb)
{
    return load_acquire(&rb->head) - load_acquire(&rb->tail);
}

size_t ringbuf_space(const struct ringbuf *rb)
{
    return ringbuf_capacity(rb) - ringbuf_count(rb);
}

bool ringbuf_push(struct ringbuf *rb, uint8_t byte)
{
    size_t head = rb->head; /* ours: no one else writes it */
    size_t tail = load_acquire(&rb->tail);

    if (head - tail == ringbuf_capacity(rb))
        return false; /* full: never overwrite */
    rb->data[head & rb->mask] = byte;
    store_release(&rb->head, head + 1); /* publish the byte */
    return true;
}

bool ringbuf_pop(struct ringbuf *rb, uint8_t *byte)
{
    size_t tail = rb->tail; /* ours: no one else writes it */
    size_t head = load_acquire(&rb->head);

    if (head == tail)
        return false; /* empty */
    *byte = rb->data[tail & rb->mask];
    store_release(&rb->tail, tail + 1); /* hand the slot back */
    return true;
}
