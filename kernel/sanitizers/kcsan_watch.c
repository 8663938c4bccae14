/* kcsan_watch.c -- KCSAN's watchpoint table (see kcsan_watch.h). Pure:
 * no hardware, so the host tests run it as it is. */
#if LAB >= 5
#include "sanitizers/kcsan_watch.h"

bool kcsan_overlap(uintptr_t a, size_t an, uintptr_t b, size_t bn)
{
    /* Written without a + an, which could wrap at the top of memory. */
    return an > 0 && bn > 0 && (a <= b ? b - a < an : a - b < bn);
}

bool kcsan_addr_watchable(uintptr_t addr, size_t size, uintptr_t limit)
{
    const uintptr_t low = 0x100000;         /* below: BIOS, VGA, trampoline */
    return size > 0 && addr >= low && addr < limit && limit - addr >= size;
}

bool kcsan_is_race(const struct kcsan_access *watcher, const struct kcsan_access *other)
{
    if (!kcsan_overlap(watcher->addr, watcher->size, other->addr, other->size))
        return false;
    if (!watcher->write && !other->write)
        return false;                       /* two reads never conflict */
    return !(watcher->atomic && other->atomic);
}

int kcsan_arm(struct kcsan_watch *table, int n, const struct kcsan_access *a)
{
    for (int i = 0; i < n; i++) {
        uint32_t s = __atomic_load_n(&table[i].state, __ATOMIC_RELAXED);
        if (kcsan_phase_of(s) != KCSAN_FREE)
            continue;
        uint32_t setup = kcsan_state(kcsan_gen_of(s) + 1, KCSAN_SETUP);
        if (!__atomic_compare_exchange_n(&table[i].state, &s, setup, false, __ATOMIC_ACQUIRE,
                                         __ATOMIC_RELAXED))
            continue;
        table[i].watcher = *a;
        /* Release: a CPU that sees ARMED sees the fields written above. */
        __atomic_store_n(&table[i].state, kcsan_state(kcsan_gen_of(setup), KCSAN_ARMED),
                         __ATOMIC_RELEASE);
        return i;
    }
    return -1;
}

int kcsan_find(struct kcsan_watch *table, int n, const struct kcsan_access *a, uint32_t *state)
{
    for (int i = 0; i < n; i++) {
        uint32_t s = __atomic_load_n(&table[i].state, __ATOMIC_ACQUIRE);
        if (kcsan_phase_of(s) != KCSAN_ARMED)
            continue;
        /* The fields may change under us if the slot is disarmed and
         * armed again; kcsan_claim()'s compare-and-swap on the generation
         * then fails, so a torn read here is never reported. Each field
         * is read once, atomically (relaxed), to make that explicit. */
        struct kcsan_access w = {
            .addr = __atomic_load_n(&table[i].watcher.addr, __ATOMIC_RELAXED),
            .size = __atomic_load_n(&table[i].watcher.size, __ATOMIC_RELAXED),
            .write = __atomic_load_n(&table[i].watcher.write, __ATOMIC_RELAXED),
            .atomic = __atomic_load_n(&table[i].watcher.atomic, __ATOMIC_RELAXED),
            .cpu = __atomic_load_n(&table[i].watcher.cpu, __ATOMIC_RELAXED),
        };
        if (w.cpu == a->cpu || !kcsan_is_race(&w, a))
            continue;
        *state = s;
        return i;
    }
    return -1;
}

bool kcsan_claim(struct kcsan_watch *slot, uint32_t state, const struct kcsan_access *other)
{
    uint32_t claimed = kcsan_state(kcsan_gen_of(state), KCSAN_CLAIMED);
    if (!__atomic_compare_exchange_n(&slot->state, &state, claimed, false, __ATOMIC_ACQUIRE,
                                     __ATOMIC_RELAXED))
        return false;
    slot->other = *other;
    __atomic_store_n(&slot->state, kcsan_state(kcsan_gen_of(state), KCSAN_REPORTED),
                     __ATOMIC_RELEASE);
    return true;
}

bool kcsan_disarm(struct kcsan_watch *slot, struct kcsan_access *other, uint32_t spins)
{
    uint32_t s = __atomic_load_n(&slot->state, __ATOMIC_ACQUIRE);
    uint32_t gen = kcsan_gen_of(s);
    uint32_t armed = kcsan_state(gen, KCSAN_ARMED);
    if (__atomic_compare_exchange_n(&slot->state, &armed, kcsan_state(gen, KCSAN_FREE), false,
                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return false;                       /* nobody touched it */
    /* Claimed: the claimer is copying its access in (interrupts off, a
     * few dozen instructions); wait until it says REPORTED. */
    bool complete = false;
    for (uint32_t i = 0; i <= spins; i++)
        if (kcsan_phase_of(__atomic_load_n(&slot->state, __ATOMIC_ACQUIRE)) == KCSAN_REPORTED) {
            complete = true;
            break;
        }
    if (complete)
        *other = slot->other;
    __atomic_store_n(&slot->state, kcsan_state(gen, KCSAN_FREE), __ATOMIC_RELEASE);
    return complete;
}
#endif /* LAB >= 5 */
