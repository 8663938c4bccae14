/* held.c -- the registry of held locks (see held.h). */
#if LAB >= 5
#include "sync/held.h"
#include "sync/rawlock.h"
#include "arch/i386/percpu.h"
#include "proc/sched.h"
#include "proc/thread.h"
#include "console.h"
#include "symbols.h"
#include <stddef.h>
#include <stdio.h>

static rawlock_t held_lock;                 /* protects the three below */
static struct held_lock held[HELD_MAX];
static int nheld;
static int held_dropped;                    /* pushes that found no room */

const char *lock_kind_name(enum lock_kind kind)
{
    static const char *const names[] = { "spin", "mutex", "read", "write" };
    return names[kind];
}

static bool is_mine(const struct held_lock *h)
{
    if (h->kind == LOCK_SPIN)
        return h->cpu == this_cpu();
    return h->thread == current_thread;
}

void held_push(const void *lock, const char *name, enum lock_kind kind, int cls,
               uintptr_t where)
{
    uint32_t s = rawlock_take(&held_lock);
    if (nheld < HELD_MAX)
        held[nheld++] = (struct held_lock){ lock, name, kind, cls, this_cpu(), current_thread,
                                            where };
    else
        held_dropped++;
    rawlock_give(&held_lock, s);
}

bool held_pop(const void *lock, enum lock_kind kind)
{
    bool found = false;
    uint32_t s = rawlock_take(&held_lock);
    /* The newest matching entry: locks are mostly released in reverse. */
    for (int i = nheld - 1; i >= 0; i--)
        if (held[i].lock == lock && held[i].kind == kind && is_mine(&held[i])) {
            for (int j = i; j < nheld - 1; j++)
                held[j] = held[j + 1];
            nheld--;
            found = true;
            break;
        }
    rawlock_give(&held_lock, s);
    return found;
}

static int copy_held(struct held_lock *out, int max, bool only_mine)
{
    int n = 0;
    uint32_t s = rawlock_take(&held_lock);
    for (int i = 0; i < nheld && n < max; i++)
        if (!only_mine || is_mine(&held[i]))
            out[n++] = held[i];
    rawlock_give(&held_lock, s);
    return n;
}

int held_mine(struct held_lock *out, int max)
{
    return copy_held(out, max, true);
}

int held_all(struct held_lock *out, int max)
{
    return copy_held(out, max, false);
}

void held_print(void)
{
    static struct held_lock copy[HELD_MAX];     /* the monitor's: one caller */
    int n = held_all(copy, HELD_MAX);
    kprintf("%d lock%s held%s\n", n, n == 1 ? "" : "s",
            held_dropped ? " (the registry overflowed: some are missing)" : "");
    if (n > 0)
        kprintf("  %-26s %-5s %-3s %-20s %s\n", "LOCK", "KIND", "CPU", "THREAD", "TAKEN AT");
    for (int i = 0; i < n; i++) {
        const struct held_lock *h = &copy[i];
        uintptr_t off = 0;
        const char *fn = ksym_lookup(h->where - 1, &off);
        char who[24] = "-";
        if (h->thread != NULL)
            snprintf(who, sizeof who, "%d %s", h->thread->tid, h->thread->name);
        kprintf("  %-26s %-5s %-3d %-20s %s+0x%x\n", h->name, lock_kind_name(h->kind),
                h->cpu->id, who, fn ? fn : "??", (unsigned)(off + 1));
    }
}
#endif /* LAB >= 5 */
