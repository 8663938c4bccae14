/* futex_queue_test.c -- host tests for kernel/sync/futex_queue.c (futex waiters by key). */
#if LAB >= 5
#include <criterion/criterion.h>
#include <stdint.h>
#include "sync/futex_queue.h"

#define NWAITERS 16

static struct futex_queue q;
static struct futex_waiter w[NWAITERS];
static struct list_node taken;
static int space_a, space_b;    /* two address spaces: only their addresses matter */

static struct futex_key key(const void *space, uintptr_t addr)
{
    return (struct futex_key){ space, addr };
}

static void setup(void)
{
    futex_queue_init(&q);
    list_init(&taken);
    for (int i = 0; i < NWAITERS; i++)
        list_init(&w[i].node);
}

static void add(int i, struct futex_key k)
{
    w[i].key = k;
    w[i].woken = true;          /* garbage: add must clear it */
    futex_queue_add(&q, &w[i]);
}

/* The index of the waiter at `node`. */
static int index_of(struct list_node *node)
{
    return (int)(list_entry(node, struct futex_waiter, node) - w);
}

TestSuite(futex_queue, .init = setup);

Test(futex_queue, take_picks_only_the_key_oldest_first)
{
    struct futex_key k1 = key(&space_a, 0x40001000), k2 = key(&space_a, 0x40001004);
    add(0, k1);
    add(1, k2);
    add(2, k1);
    add(3, k1);
    cr_assert(!w[0].woken && !w[1].woken, "a queued waiter is not woken");
    cr_assert_eq(futex_queue_take(&q, k1, 2, &taken), 2);
    cr_assert_eq(list_length(&taken), 2);
    cr_assert_eq(index_of(list_front(&taken)), 0, "the longest waiting goes first");
    cr_assert_eq(index_of(list_back(&taken)), 2);
    cr_assert(w[0].woken && w[2].woken && !w[3].woken && !w[1].woken);
    cr_assert_eq(list_length(&q.waiters), 2, "waiters 1 (other key) and 3 stay queued");
}

Test(futex_queue, take_more_than_there_are)
{
    struct futex_key k = key(&space_a, 0x40002000);
    add(0, k);
    add(1, k);
    cr_assert_eq(futex_queue_take(&q, k, 1000, &taken), 2);
    cr_assert(list_empty(&q.waiters));
    cr_assert_eq(futex_queue_take(&q, k, 1000, &taken), 0, "nobody is left to wake");
}

Test(futex_queue, take_zero_wakes_nobody)
{
    struct futex_key k = key(&space_a, 0x40002000);
    add(0, k);
    cr_assert_eq(futex_queue_take(&q, k, 0, &taken), 0);
    cr_assert(!w[0].woken);
    cr_assert(list_empty(&taken));
}

Test(futex_queue, same_address_other_space_is_another_word)
{
    add(0, key(&space_a, 0x40003000));
    add(1, key(&space_b, 0x40003000));
    cr_assert_eq(futex_queue_take(&q, key(&space_b, 0x40003000), 5, &taken), 1);
    cr_assert(w[1].woken && !w[0].woken);
}

Test(futex_queue, remove_a_waiter_that_gives_up)
{
    struct futex_key k = key(&space_a, 0x40004000);
    add(0, k);
    add(1, k);
    add(2, k);
    cr_assert(futex_queue_remove(&w[1]));
    cr_assert(!futex_queue_remove(&w[1]), "removed once only");
    cr_assert_eq(futex_queue_take(&q, k, 5, &taken), 2);
    cr_assert_eq(index_of(list_pop_front(&taken)), 0);
    cr_assert_eq(index_of(list_pop_front(&taken)), 2);
    cr_assert(!futex_queue_remove(&w[0]), "a waiter popped off `taken` is on no list");
}

Test(futex_queue, hash_stays_in_range_and_spreads_neighbours)
{
    unsigned used[64] = { 0 };
    for (uintptr_t a = 0x40000000; a < 0x40000000 + 64 * 4; a += 4) {
        unsigned h = futex_hash(key(&space_a, a), 64);
        cr_assert_lt(h, 64);
        used[h]++;
    }
    int distinct = 0;
    for (int i = 0; i < 64; i++)
        distinct += used[i] != 0;
    cr_assert_gt(distinct, 32, "64 adjacent words should use many buckets, used %d", distinct);
    cr_assert_eq(futex_hash(key(&space_a, 0x40000010), 64),
                 futex_hash(key(&space_a, 0x40000010), 64), "the same word, the same bucket");
}
#endif /* LAB >= 5 */
