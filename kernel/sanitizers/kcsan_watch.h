/*
 * kcsan_watch.h -- KCSAN's table of watchpoints (pure logic, host-tested).
 *
 * The design is the Linux kernel's KCSAN (Documentation/dev-tools/kcsan.rst):
 * a CPU that samples one of its plain accesses "arms a soft watchpoint"
 * on that address, waits a short while, and disarms it. Any other CPU
 * whose access overlaps an armed watchpoint, while at least one of the
 * two is a plain write, has raced with it: the two accesses really
 * happened at the same time. It "claims" the watchpoint and leaves its
 * own access and stack in it; the watcher finds the claim when it
 * disarms and reports both.
 *
 * One slot per watchpoint. Its `state` word is the only thing two CPUs
 * fight over (always with __atomic builtins): the phase in the low bits,
 * a generation above them. The generation changes at every arming, so a
 * CPU that read a slot's fields while it was armed can claim it only if
 * it is still that same arming (a compare-and-swap of the whole word):
 * a slot disarmed and armed again for another address in between is
 * never claimed with the old address.
 *
 *   FREE --arm--> SETUP --fields written--> ARMED --disarm--> FREE
 *                                            |
 *                                          claim (another CPU)
 *                                            v
 *                                         CLAIMED --other's access written--> REPORTED --disarm--> FREE
 */
#ifndef SANITIZERS_KCSAN_WATCH_H
#define SANITIZERS_KCSAN_WATCH_H

#if LAB >= 5

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KCSAN_SLOTS 8           /* armed at once: one per CPU is enough */
#define KCSAN_STACK 12          /* frames kept of the claimer's stack */
#define KCSAN_WATCH_MAX 8       /* the widest access a watchpoint watches */

enum kcsan_phase { KCSAN_FREE, KCSAN_SETUP, KCSAN_ARMED, KCSAN_CLAIMED, KCSAN_REPORTED };
#define KCSAN_PHASE_BITS 3u
#define KCSAN_PHASE_MASK ((1u << KCSAN_PHASE_BITS) - 1)

/* One access: what, where, by whom, from where. */
struct kcsan_access {
    uintptr_t addr;
    uint32_t size;
    bool write;
    bool atomic;                /* an __atomic builtin (never arms a watchpoint) */
    int cpu;
    char who[40];               /* "thread 'NAME' (tid N)" (claimer; copied: it may exit) */
    uintptr_t pc;               /* return address of the __tsan_* hook */
    int npcs;                   /* the stack below pc (claimer only) */
    uintptr_t pcs[KCSAN_STACK];
    int nlocks;                 /* spinlocks/mutexes held (claimer only) */
    const void *locks[4];
    const char *lock_names[4];
};

struct kcsan_watch {
    uint32_t state;             /* generation << 3 | phase; __atomic only */
    struct kcsan_access watcher;/* written in SETUP, read while ARMED */
    struct kcsan_access other;  /* written by the claimer in CLAIMED */
};

static inline uint32_t kcsan_state(uint32_t gen, enum kcsan_phase phase)
{
    return gen << KCSAN_PHASE_BITS | (uint32_t)phase;
}

static inline enum kcsan_phase kcsan_phase_of(uint32_t state)
{
    return (enum kcsan_phase)(state & KCSAN_PHASE_MASK);
}

static inline uint32_t kcsan_gen_of(uint32_t state)
{
    return state >> KCSAN_PHASE_BITS;
}

/* Do [a, a+an) and [b, b+bn) share a byte? */
bool kcsan_overlap(uintptr_t a, size_t an, uintptr_t b, size_t bn);

/* Is an access here one the checker may watch and read? Only ordinary
 * kernel memory: the direct map from 1 MiB and the kernel stacks, below
 * `limit` (the MMIO window): reading a device register to see whether
 * its value changed could have side effects (a read-to-clear status
 * register), and user addresses may fault. */
bool kcsan_addr_watchable(uintptr_t addr, size_t size, uintptr_t limit);

/* Is `other`, overlapping `watcher`, a data race? At least one write and
 * not both atomic (the watcher is plain: atomics never arm). */
bool kcsan_is_race(const struct kcsan_access *watcher, const struct kcsan_access *other);

/* Take a free slot for access `a` (copied in), armed on return; its index,
 * or -1 when every slot is busy (the access then goes unwatched). */
int kcsan_arm(struct kcsan_watch *table, int n, const struct kcsan_access *a);

/* The armed slot that access `a` races with, or -1; *state gets the state
 * word it was seen with, for kcsan_claim(). Slots armed by a->cpu are
 * skipped (a CPU does not race with itself). */
int kcsan_find(struct kcsan_watch *table, int n, const struct kcsan_access *a, uint32_t *state);

/* Claim slot i seen armed with `state`, leaving `other` in it; false if it
 * was disarmed or claimed by someone else meanwhile. */
bool kcsan_claim(struct kcsan_watch *slot, uint32_t state, const struct kcsan_access *other);

/* Free slot i. True if another CPU claimed it: its access is copied to
 * *other (waiting at most `spins` rounds for the claimer to finish
 * writing it; false if it never does, which only a claimer stopped in
 * the middle -- an NMI, a crash -- can cause). */
bool kcsan_disarm(struct kcsan_watch *slot, struct kcsan_access *other, uint32_t spins);

#endif /* LAB >= 5 */

#endif
