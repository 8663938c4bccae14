/* kcsan_test.c -- host tests for KCSAN's pure parts: the watchpoint table
 * (kernel/sanitizers/kcsan_watch.c) and the sampler (kcsan_sample.c). */
#if LAB >= 5
#include <criterion/criterion.h>
#include <string.h>
#include "sanitizers/kcsan_sample.h"
#include "sanitizers/kcsan_watch.h"

static struct kcsan_watch table[KCSAN_SLOTS];

static void setup(void)
{
    memset(table, 0, sizeof table);
}

static struct kcsan_access access_at(uintptr_t addr, uint32_t size, bool write, bool atomic,
                                     int cpu)
{
    return (struct kcsan_access){ .addr = addr, .size = size, .write = write, .atomic = atomic,
                                  .cpu = cpu, .pc = 0x1000 + (uintptr_t)cpu };
}

TestSuite(kcsan, .init = setup);

Test(kcsan, state_word_keeps_phase_and_generation)
{
    uint32_t s = kcsan_state(12345, KCSAN_CLAIMED);
    cr_assert_eq(kcsan_phase_of(s), KCSAN_CLAIMED);
    cr_assert_eq(kcsan_gen_of(s), 12345u);
    cr_assert_eq(kcsan_phase_of(kcsan_state(0, KCSAN_FREE)), KCSAN_FREE);
}

Test(kcsan, overlap)
{
    cr_assert(kcsan_overlap(100, 4, 100, 4));
    cr_assert(kcsan_overlap(100, 4, 103, 1));
    cr_assert(kcsan_overlap(103, 1, 100, 4));
    cr_assert(kcsan_overlap(98, 4, 100, 1));
    cr_assert_not(kcsan_overlap(100, 4, 104, 4));   /* adjacent words */
    cr_assert_not(kcsan_overlap(104, 4, 100, 4));
    cr_assert_not(kcsan_overlap(100, 0, 100, 4));   /* empty */
    cr_assert(kcsan_overlap(UINTPTR_MAX - 1, 2, UINTPTR_MAX, 1));   /* no wrap-around */
    cr_assert_not(kcsan_overlap(UINTPTR_MAX - 1, 1, 0, 8));
}

Test(kcsan, watchable_is_kernel_ram_only)
{
    const uintptr_t limit = 0x3C000000;             /* the MMIO window */
    cr_assert(kcsan_addr_watchable(0x100000, 4, limit));
    cr_assert(kcsan_addr_watchable(limit - 4, 4, limit));
    cr_assert_not(kcsan_addr_watchable(limit - 2, 4, limit));   /* runs into MMIO */
    cr_assert_not(kcsan_addr_watchable(limit, 4, limit));
    cr_assert_not(kcsan_addr_watchable(0xB8000, 2, limit));     /* VGA, below 1 MiB */
    cr_assert_not(kcsan_addr_watchable(0, 4, limit));
    cr_assert_not(kcsan_addr_watchable(0x40000000, 4, limit));  /* user space */
}

Test(kcsan, race_rule)
{
    struct kcsan_access w = access_at(0x200000, 4, false, false, 0);
    struct kcsan_access r = access_at(0x200000, 4, false, false, 1);
    struct kcsan_access wr = access_at(0x200002, 2, true, false, 1);
    struct kcsan_access aw = access_at(0x200000, 4, true, true, 1);
    struct kcsan_access far = access_at(0x200004, 4, true, false, 1);
    cr_assert_not(kcsan_is_race(&w, &r), "two reads");
    cr_assert(kcsan_is_race(&w, &wr), "plain read vs overlapping plain write");
    cr_assert(kcsan_is_race(&w, &aw), "plain read vs atomic write");
    cr_assert_not(kcsan_is_race(&w, &far), "no overlap");
    struct kcsan_access a1 = access_at(0x200000, 4, true, true, 0);
    cr_assert_not(kcsan_is_race(&a1, &aw), "both atomic");
}

Test(kcsan, arm_find_claim_disarm)
{
    struct kcsan_access w = access_at(0x300000, 4, true, false, 0);
    int i = kcsan_arm(table, KCSAN_SLOTS, &w);
    cr_assert_geq(i, 0);
    cr_assert_eq(kcsan_phase_of(table[i].state), KCSAN_ARMED);

    uint32_t state;
    struct kcsan_access self = access_at(0x300000, 4, false, false, 0);
    cr_assert_eq(kcsan_find(table, KCSAN_SLOTS, &self, &state), -1, "a CPU never races itself");
    struct kcsan_access o = access_at(0x300001, 1, false, false, 1);
    cr_assert_eq(kcsan_find(table, KCSAN_SLOTS, &o, &state), i);
    cr_assert(kcsan_claim(&table[i], state, &o));
    cr_assert_eq(kcsan_phase_of(table[i].state), KCSAN_REPORTED);
    cr_assert_not(kcsan_claim(&table[i], state, &o), "claimed once only");

    struct kcsan_access got;
    cr_assert(kcsan_disarm(&table[i], &got, 10));
    cr_assert_eq(got.cpu, 1);
    cr_assert_eq(got.addr, 0x300001u);
    cr_assert_eq(kcsan_phase_of(table[i].state), KCSAN_FREE);
}

Test(kcsan, disarm_unclaimed)
{
    struct kcsan_access w = access_at(0x300000, 4, false, false, 0);
    int i = kcsan_arm(table, KCSAN_SLOTS, &w);
    struct kcsan_access got;
    cr_assert_not(kcsan_disarm(&table[i], &got, 10));
    cr_assert_eq(kcsan_phase_of(table[i].state), KCSAN_FREE);
    uint32_t state;
    struct kcsan_access o = access_at(0x300000, 4, true, false, 1);
    cr_assert_eq(kcsan_find(table, KCSAN_SLOTS, &o, &state), -1, "disarmed: nothing to find");
}

Test(kcsan, stale_generation_cannot_claim)
{
    struct kcsan_access w = access_at(0x300000, 4, false, false, 0);
    int i = kcsan_arm(table, KCSAN_SLOTS, &w);
    uint32_t state;
    struct kcsan_access o = access_at(0x300000, 4, true, false, 1);
    cr_assert_eq(kcsan_find(table, KCSAN_SLOTS, &o, &state), i);
    /* Meanwhile the watcher disarms and the slot is armed again elsewhere. */
    struct kcsan_access got;
    kcsan_disarm(&table[i], &got, 10);
    struct kcsan_access w2 = access_at(0x400000, 4, false, false, 0);
    cr_assert_eq(kcsan_arm(table, KCSAN_SLOTS, &w2), i);
    cr_assert_not(kcsan_claim(&table[i], state, &o), "the old arming's state must not claim");
    cr_assert_not(kcsan_disarm(&table[i], &got, 10));
}

Test(kcsan, full_table)
{
    for (int i = 0; i < KCSAN_SLOTS; i++) {
        struct kcsan_access w = access_at(0x300000 + 8 * (uintptr_t)i, 4, true, false, i % 4);
        cr_assert_eq(kcsan_arm(table, KCSAN_SLOTS, &w), i);
    }
    struct kcsan_access one_more = access_at(0x500000, 4, true, false, 0);
    cr_assert_eq(kcsan_arm(table, KCSAN_SLOTS, &one_more), -1);
}

Test(kcsan, claim_not_finished_gives_up)
{
    struct kcsan_access w = access_at(0x300000, 4, false, false, 0);
    int i = kcsan_arm(table, KCSAN_SLOTS, &w);
    /* A claimer stopped between CLAIMED and REPORTED (an NMI, a crash). */
    table[i].state = kcsan_state(kcsan_gen_of(table[i].state), KCSAN_CLAIMED);
    struct kcsan_access got;
    cr_assert_not(kcsan_disarm(&table[i], &got, 100));
    cr_assert_eq(kcsan_phase_of(table[i].state), KCSAN_FREE);
}

Test(kcsan, sampler_watches_about_one_in_every)
{
    struct kcsan_sampler s;
    kcsan_sampler_init(&s, 42, 0, 100);
    int watched = 0;
    for (int i = 0; i < 100000; i++)
        watched += kcsan_sample(&s, 100);
    cr_assert(watched > 700 && watched < 1300, "watched %d of 100000 (every 100)", watched);
}

Test(kcsan, sampler_gap_bounds_and_every_one)
{
    struct kcsan_sampler s;
    kcsan_sampler_init(&s, 7, 1, 10);
    for (int i = 0; i < 1000; i++) {
        uint32_t g = kcsan_next_gap(&s, 10);
        cr_assert(g >= 6 && g <= 15, "gap %u", g);
    }
    kcsan_sampler_init(&s, 7, 1, 1);
    for (int i = 0; i < 10; i++)
        cr_assert(kcsan_sample(&s, 1), "every=1 watches every access");
}

Test(kcsan, sampler_is_deterministic_per_seed_and_cpu)
{
    struct kcsan_sampler a, b, c;
    kcsan_sampler_init(&a, 99, 0, 50);
    kcsan_sampler_init(&b, 99, 0, 50);
    kcsan_sampler_init(&c, 99, 1, 50);
    bool differs = false;
    for (int i = 0; i < 1000; i++) {
        bool x = kcsan_sample(&a, 50), y = kcsan_sample(&b, 50), z = kcsan_sample(&c, 50);
        cr_assert_eq(x, y);
        differs |= x != z;
    }
    cr_assert(differs, "two CPUs sample in lock step");
}

Test(kcsan, sampler_huge_every_does_not_wrap)
{
    struct kcsan_sampler s;
    kcsan_sampler_init(&s, 5, 0, 4000000000u);
    for (int i = 0; i < 1000; i++)
        cr_assert_geq(kcsan_next_gap(&s, 4000000000u), (UINT32_MAX / 2) / 2 + 1);
}

Test(kcsan, sampler_never_wraps)
{
    struct kcsan_sampler s;
    kcsan_sampler_init(&s, 3, 0, 100);
    s.left = 0;                     /* another CPU's racy countdown went past 1 */
    cr_assert(kcsan_sample(&s, 100));
    cr_assert(s.left >= 1 && s.left <= 150);
}
#endif /* LAB >= 5 */
