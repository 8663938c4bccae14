/* held.c -- the registry of held locks (see held.h). */
#if LAB >= 5
#include "sync/held.h"
#include "sync/rawlock.h"
#include "arch/i386/percpu.h"
#include "proc/sched.h"
#include "proc/thread.h"
#include "console.h"
#include "symbols.h"
#include "sync/check.h"
#include "abi/lockinfo.h"
#include <string.h>
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

/* One row, filled under held_lock: while its entry is in the registry
 * the holder holds the lock, so it has not exited and its name is there. */
static void fill_info(struct lock_info *out, const struct held_lock *h)
{
    uintptr_t off = 0;
    const char *fn = ksym_lookup(h->where - 1, &off);
    memset(out, 0, sizeof *out);
    strncpy(out->name, h->name, sizeof out->name - 1);
    strncpy(out->kind, lock_kind_name(h->kind), sizeof out->kind - 1);
    out->cpu = h->cpu->id;
    out->tid = h->thread != NULL ? h->thread->tid : -1;
    if (h->thread != NULL)
        strncpy(out->thread, h->thread->name, sizeof out->thread - 1);
    strncpy(out->where, fn != NULL ? fn : "??", sizeof out->where - 1);
    out->offset = (uint32_t)(off + 1);
}

int held_info(struct lock_info *out, int max)
{
    uint32_t s = rawlock_take(&held_lock);
    int n = nheld;
    for (int i = 0; i < n && i < max; i++)
        fill_info(&out[i], &held[i]);
    rawlock_give(&held_lock, s);
    return n;
}

bool held_overflowed(void)
{
    return __atomic_load_n(&held_dropped, __ATOMIC_RELAXED) != 0;
}

void held_print(void)
{
    static struct lock_info rows[HELD_MAX];     /* the monitor's: one caller at a time */
    static struct locks_info head;              /* likewise (its lock[] goes unused) */
    head.checks_on = sync_checks;
    head.overflowed = held_overflowed();
    char line[LOCKINFO_LINE_MAX];
    int n = held_info(rows, HELD_MAX);
    head.nheld = (uint32_t)n;
    locks_format_head(line, sizeof line, &head);
    kprintf("%s", line);
    for (int i = 0; i < n && i < HELD_MAX; i++) {
        lock_info_format(line, sizeof line, &rows[i]);
        kprintf("%s", line);
    }
}
#endif /* LAB >= 5 */
