/*
 * malloc.c -- a first-fit heap over sbrk(), after K&R (section 8.7).
 *
 * Free blocks form a ring sorted by address, entered at freep; malloc
 * takes the first block that is large enough (splitting off its tail),
 * free puts a block back in its place and merges it with free
 * neighbours, and when nothing fits the heap grows by sbrk(). Every
 * block starts with a header, and sizes are counted in headers (16
 * bytes), so every pointer malloc returns is 16-byte aligned.
 *
 * An allocated block's header points at allocated_mark instead of a
 * neighbour: free() and realloc() check it and abort on a pointer that
 * malloc did not return or that was freed already, where K&R's would
 * quietly corrupt the ring.
 *
 * The host tests (userland/tests/host/test_malloc.c) build this file
 * with the names renamed and sbrk() faked.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* make lint: gcc -fanalyzer knows malloc/free by name and, inside their
 * own implementation, reports the blocks this file hands out or takes
 * back as leaked (a false positive: this IS the allocator). */
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"

#define HEAP_ALIGN 16

union header {
    struct {
        union header *next; /* free: the next free block; allocated: &allocated_mark */
        size_t units;       /* the block's size in headers, its own included */
    } h;
    _Alignas(HEAP_ALIGN) unsigned char size[HEAP_ALIGN]; /* a header is 16 bytes */
};

/* Ask sbrk for at least this many units (16 KiB) at a time. */
#define MIN_GROWTH_UNITS 1024
/* Larger requests could overflow the unit arithmetic (or sbrk's int). */
#define MAX_REQUEST ((size_t)INTPTR_MAX - MIN_GROWTH_UNITS * sizeof(union header))

static union header base;           /* a block of size 0 that is always in the ring */
static union header *freep;         /* where the next search starts; NULL before the first */
static union header allocated_mark; /* what an allocated block's next points at */

__attribute__((noreturn)) static void heap_corrupt(const char *who, void *ptr)
{
    fprintf(stderr, "%s(%p): not a block from malloc, or freed already\n", who, ptr);
    abort();
}

static union header *header_of(void *ptr, const char *who)
{
    union header *block = (union header *)ptr - 1;

    if (block->h.next != &allocated_mark)
        heap_corrupt(who, ptr);
    return block;
}

/* Moves the break up to a multiple of HEAP_ALIGN, so that what sbrk
 * returns next is aligned. */
static bool align_break(void)
{
    char *brk = sbrk(0);

    if (brk == SBRK_FAILED)
        return false;
    /* SAFETY: pointer -> integer, only to compute the distance to the
     * next multiple of HEAP_ALIGN. */
    size_t pad = -(uintptr_t)brk & (HEAP_ALIGN - 1);
    return pad == 0 || sbrk((intptr_t)pad) != SBRK_FAILED;
}

/* Grows the heap by at least units and frees the new block into the
 * ring; returns freep, or NULL with errno = ENOMEM. */
static union header *morecore(size_t units)
{
    if (units < MIN_GROWTH_UNITS)
        units = MIN_GROWTH_UNITS;
    char *p = align_break() ? sbrk((intptr_t)(units * sizeof(union header))) : SBRK_FAILED;
    if (p == SBRK_FAILED) {
        errno = ENOMEM;         /* whatever sbrk said: malloc's error is this */
        return NULL;
    }
    /* SAFETY: pointer -> integer, only to check the alignment that
     * align_break() arranged (another sbrk() caller could have moved the
     * break in between: the heap is not thread-safe, stdlib.h says so). */
    if (((uintptr_t)p & (HEAP_ALIGN - 1)) != 0) {
        fprintf(stderr, "malloc: sbrk returned %p, not %d-byte aligned\n", (void *)p,
                HEAP_ALIGN);
        abort();
    }
    union header *block = (union header *)p;
    block->h.units = units;
    block->h.next = &allocated_mark;
    free(block + 1);
    return freep;
}

static size_t units_for(size_t nbytes)
{
    return (nbytes + sizeof(union header) - 1) / sizeof(union header) + 1;
}

void *malloc(size_t nbytes)
{
    if (nbytes > MAX_REQUEST) {
        errno = ENOMEM;
        return NULL;
    }
    size_t units = units_for(nbytes);
    if (freep == NULL) {
        base.h.next = freep = &base;
        base.h.units = 0;
    }
    union header *prev = freep;
    for (union header *p = prev->h.next;; prev = p, p = p->h.next) {
        if (p->h.units >= units) {
            if (p->h.units == units) {
                prev->h.next = p->h.next;
            } else {            /* hand out the tail: p stays in the ring */
                p->h.units -= units;
                p += p->h.units;
                p->h.units = units;
            }
            freep = prev;
            p->h.next = &allocated_mark;
            return p + 1;
        }
        if (p == freep) {       /* around the ring once: nothing fits */
            p = morecore(units);
            if (p == NULL)
                return NULL;
        }
    }
}

void free(void *ptr)
{
    if (ptr == NULL)
        return;
    union header *block = header_of(ptr, "free");

    /* Find p with p < block < p->next, or the ring's end around which it
     * goes (p is the highest block and block is above it or below all). */
    union header *p = freep;
    while (!(block > p && block < p->h.next)) {
        if (p >= p->h.next && (block > p || block < p->h.next))
            break;
        p = p->h.next;
    }
    if (block + block->h.units == p->h.next) {  /* merge with the next */
        block->h.units += p->h.next->h.units;
        block->h.next = p->h.next->h.next;
    } else {
        block->h.next = p->h.next;
    }
    if (p + p->h.units == block) {              /* merge with the previous */
        p->h.units += block->h.units;
        p->h.next = block->h.next;
    } else {
        p->h.next = block;
    }
    freep = p;
}

void *calloc(size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = malloc(n * size);
    if (p != NULL)
        memset(p, 0, n * size);
    return p;
}

/* Shrinks in place, giving the tail back to the free ring when it is at
 * least one unit; grows by moving (a new block, a copy, a free). Either
 * way the first min(old, new) bytes are kept. */
void *realloc(void *ptr, size_t size)
{
    if (ptr == NULL)
        return malloc(size);
    if (size == 0) {
        free(ptr);
        return NULL;
    }
    if (size > MAX_REQUEST) {
        errno = ENOMEM;
        return NULL;
    }
    union header *block = header_of(ptr, "realloc");
    size_t units = units_for(size);
    if (units <= block->h.units) {
        if (units < block->h.units) {
            union header *tail = block + units;
            tail->h.units = block->h.units - units;
            tail->h.next = &allocated_mark;
            block->h.units = units;
            free(tail + 1);
        }
        return ptr;
    }
    size_t have = (block->h.units - 1) * sizeof(union header);
    void *moved = malloc(size);
    if (moved == NULL)
        return NULL;            /* ptr is untouched, as C says */
    memcpy(moved, ptr, have);
    free(ptr);
    return moved;
}
