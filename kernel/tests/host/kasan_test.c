/* kasan_test.c -- host tests for KASAN's pure parts: the shadow encoding
 * (kernel/sanitizers/kasan_shadow.c), the quarantine FIFO
 * (kasan_quarantine.c) and the redzone layout of a block (kasan_layout.c). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>
#include "sanitizers/kasan_layout.h"
#include "sanitizers/kasan_quarantine.h"
#include "sanitizers/kasan_shadow.h"

/* A fake address range [BASE, BASE + 8 * sizeof shadow) whose shadow is
 * this array: shadow(a) = (a >> 3) + offset lands in it. No memory at
 * BASE is ever touched: the functions only read and write shadow. */
#define BASE 0x10000u
static uint8_t shadow[64];
static struct kasan_shadow map;

static void setup(void)
{
    memset(shadow, 0, sizeof shadow);
    map.offset = (uintptr_t)shadow - (BASE >> KASAN_SHADOW_SHIFT);
}

TestSuite(kasan_shadow, .init = setup);

Test(kasan_shadow, partial_granule_counts_valid_bytes)
{
    kasan_shadow_poison(&map, BASE, 32, KASAN_HEAP_FREE);
    kasan_shadow_unpoison(&map, BASE, 13);
    cr_assert_eq(shadow[0], 0);
    cr_assert_eq(shadow[1], 5, "13 bytes: the second granule holds 5");
    cr_assert_eq(shadow[2], KASAN_HEAP_FREE, "beyond the object: untouched");
}

Test(kasan_shadow, whole_granules_leave_no_partial_byte)
{
    kasan_shadow_poison(&map, BASE, 32, KASAN_HEAP_RIGHT);
    kasan_shadow_unpoison(&map, BASE, 16);
    cr_assert_eq(shadow[0], 0);
    cr_assert_eq(shadow[1], 0);
    cr_assert_eq(shadow[2], KASAN_HEAP_RIGHT);
}

Test(kasan_shadow, first_bad_finds_the_first_byte_past_the_object)
{
    kasan_shadow_poison(&map, BASE, 64, KASAN_HEAP_RIGHT);
    kasan_shadow_unpoison(&map, BASE, 13);
    cr_assert_eq(kasan_shadow_first_bad(&map, BASE, 13), 0, "the object itself is fine");
    cr_assert_eq(kasan_shadow_first_bad(&map, BASE + 12, 1), 0);
    cr_assert_eq(kasan_shadow_first_bad(&map, BASE + 13, 1), BASE + 13);
    cr_assert_eq(kasan_shadow_first_bad(&map, BASE + 10, 4), BASE + 13, "a 4-byte straddle");
    cr_assert_eq(kasan_shadow_first_bad(&map, BASE, 64), BASE + 13);
    cr_assert_eq(kasan_shadow_first_bad(&map, BASE + 16, 8), BASE + 16);
}

Test(kasan_shadow, code_of_a_partial_granule_is_the_next_ones)
{
    kasan_shadow_poison(&map, BASE, 64, KASAN_HEAP_RIGHT);
    kasan_shadow_unpoison(&map, BASE, 13);
    cr_assert_eq(kasan_shadow_code(&map, BASE + 13), KASAN_HEAP_RIGHT);
    cr_assert_eq(kasan_shadow_code(&map, BASE + 20), KASAN_HEAP_RIGHT);
}

Test(kasan_shadow, freed_memory_is_bad_everywhere)
{
    kasan_shadow_unpoison(&map, BASE, 40);
    kasan_shadow_poison(&map, BASE, 40, KASAN_HEAP_FREED);
    for (uintptr_t a = BASE; a < BASE + 40; a++)
        cr_assert_eq(kasan_shadow_first_bad(&map, a, 1), a, "byte %#lx", (unsigned long)a);
    cr_assert_eq(kasan_shadow_code(&map, BASE + 7), KASAN_HEAP_FREED);
}

Test(kasan_shadow, stack_codes_are_negative)
{
    /* GCC's inline stack code writes 0xF1..0xF3; they must read as bad. */
    shadow[0] = KASAN_STACK_LEFT;
    shadow[1] = 0;
    shadow[2] = KASAN_STACK_RIGHT;
    cr_assert_eq(kasan_shadow_first_bad(&map, BASE, 1), BASE);
    cr_assert_eq(kasan_shadow_first_bad(&map, BASE + 8, 8), 0);
    cr_assert_eq(kasan_shadow_first_bad(&map, BASE + 8, 9), BASE + 16);
}

/* ---- the quarantine ---- */

Test(kasan_quarantine, keeps_blocks_until_over_budget)
{
    struct kasan_quarantine q;
    struct kasan_qnode n[3];
    kasan_quarantine_init(&q, 100);
    kasan_quarantine_put(&q, &n[0], 60);
    cr_assert_null(kasan_quarantine_evict(&q), "60 of 100: nothing leaves");
    kasan_quarantine_put(&q, &n[1], 40);
    cr_assert_null(kasan_quarantine_evict(&q), "exactly the budget: nothing leaves");
    kasan_quarantine_put(&q, &n[2], 30);
    cr_assert_eq(q.bytes, 130);
    cr_assert_eq(q.count, 3);
    cr_assert_eq(kasan_quarantine_evict(&q), &n[0], "the oldest leaves first");
    cr_assert_null(kasan_quarantine_evict(&q), "70 of 100 now");
    cr_assert_eq(q.bytes, 70);
    cr_assert_eq(q.count, 2);
}

Test(kasan_quarantine, fifo_order_and_empty)
{
    struct kasan_quarantine q;
    struct kasan_qnode n[4];
    kasan_quarantine_init(&q, 0);
    for (int i = 0; i < 4; i++)
        kasan_quarantine_put(&q, &n[i], 8);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(kasan_quarantine_evict(&q), &n[i], "block %d", i);
    cr_assert_null(kasan_quarantine_evict(&q));
    cr_assert_null(q.head);
    cr_assert_null(q.tail);
    kasan_quarantine_put(&q, &n[1], 8);     /* usable again after emptying */
    cr_assert_eq(kasan_quarantine_evict(&q), &n[1]);
}

/* ---- the layout ---- */

Test(kasan_layout, redzone_then_metadata)
{
    for (size_t size = 1; size < 200; size++) {
        size_t meta = kasan_layout_meta_offset(size), total = kasan_layout_total(size);
        cr_assert(meta >= size + KASAN_RIGHT_REDZONE, "size %zu: redzone too small", size);
        cr_assert(meta < size + KASAN_RIGHT_REDZONE + KASAN_GRANULE, "size %zu: too big", size);
        cr_assert_eq(meta % KASAN_GRANULE, 0, "size %zu: metadata not aligned", size);
        cr_assert_eq(total, meta + sizeof(struct kasan_meta));
        cr_assert_eq(kasan_layout_meta_offset_from_total(total), meta);
    }
}

Test(kasan_layout, huge_sizes_are_refused)
{
    cr_assert_eq(kasan_layout_total((size_t)-1), 0);
    cr_assert_eq(kasan_layout_total((size_t)-1 / 2 + 1), 0);
}
