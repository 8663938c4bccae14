/*
 * qsort.c -- sorting an array: a heapsort.
 *
 * Heapsort is O(n log n) on every input (no quicksort worst case to
 * trip over on sorted data), needs no extra memory and no recursion, and
 * is short enough to read. It is not stable, which C allows.
 */
#include <stddef.h>
#include <stdlib.h>

static void swap_bytes(unsigned char *a, unsigned char *b, size_t size)
{
    while (size-- > 0) {
        unsigned char t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

/* Moves element `root` down the heap of the first n elements until
 * both its children are no greater than it. */
static void sift_down(unsigned char *base, size_t root, size_t n, size_t size,
                      int (*cmp)(const void *, const void *))
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && cmp(base + child * size, base + (child + 1) * size) < 0)
            child++;
        if (cmp(base + root * size, base + child * size) >= 0)
            return;
        swap_bytes(base + root * size, base + child * size, size);
        root = child;
    }
}

void qsort(void *array, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    unsigned char *base = array;

    if (n < 2 || size == 0)
        return;
    for (size_t i = n / 2; i-- > 0;)
        sift_down(base, i, n, size, cmp);
    for (size_t end = n - 1; end > 0; end--) {
        swap_bytes(base, base + end * size, size);
        sift_down(base, 0, end, size, cmp);
    }
}
