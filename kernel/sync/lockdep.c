/* lockdep.c -- lockdep-lite's kernel side (see lockdep.h). */
#if LAB >= 5
#include "sync/lockdep.h"
#include "sync/check.h"
#include "sync/held.h"
#include "sync/lockdep_graph.h"
#include "sync/rawlock.h"
#include "arch/i386/cpu.h"
#include "arch/i386/percpu.h"
#include "backtrace.h"
#include "symbols.h"
#include <stdbool.h>
#include <stdio.h>

static rawlock_t graph_lock;            /* protects graph and full */
static struct lockdep_graph graph;
static bool full;                       /* out of room: checking has stopped */

int lockdep_class(const char *name, uint16_t *cls)
{
    int c = (int)__atomic_load_n(cls, __ATOMIC_RELAXED) - 1;
    if (c >= 0)
        return c;
    uint32_t s = rawlock_take(&graph_lock);
    c = lockdep_graph_class(&graph, name);
    rawlock_give(&graph_lock, s);
    if (c >= 0)
        __atomic_store_n(cls, (uint16_t)(c + 1), __ATOMIC_RELAXED);
    return c;
}

/* What a report needs from the graph, copied while graph_lock is held. */
struct inversion {
    int path_len;
    struct lockdep_edge path[4];
};

static const char *fn_at(uintptr_t pc, uintptr_t *off)
{
    const char *fn = ksym_lookup(pc - 1, off);
    return fn ? fn : "??";
}

static void report_inversion(const struct held_lock *h, const char *name, uintptr_t where,
                             const uintptr_t *pcs, int n, const struct inversion *inv)
{
    uintptr_t off_h = 0, off_w = 0;
    const char *fn_h = fn_at(h->where, &off_h), *fn_w = fn_at(where, &off_w);
    sync_report_begin(SYNC_LOCK_ORDER,
                      "lock order inversion (AB-BA): thread %d '%s' on CPU %d takes '%s' "
                      "(at %s+0x%x) while holding '%s' (taken at %s+0x%x), but earlier '%s' "
                      "was taken while '%s' was held. Two threads taking them in the two "
                      "orders at once deadlock, each waiting for the lock the other holds. "
                      "Pick one order and keep it (kernel/sync/README.md).",
                      sync_thread_id(), sync_thread_name(), this_cpu()->id, name, fn_w,
                      (unsigned)(off_w + 1), h->name, fn_h, (unsigned)(off_h + 1), h->name,
                      name);
    for (int i = 0; i < inv->path_len; i++) {
        const struct lockdep_edge *e = &inv->path[i];
        char title[160];
        snprintf(title, sizeof title, "Earlier: '%s' taken while '%s' was held, first at",
                 lockdep_graph_name(&graph, e->to), lockdep_graph_name(&graph, e->from));
        sync_report_stack(title, e->stack, e->depth);
    }
    char title[160];
    snprintf(title, sizeof title, "Now: '%s' taken while '%s' is held, at", name, h->name);
    sync_report_stack(title, pcs, n);
    sync_report_end();
}

/* Record held -> cls; report if it closes a cycle. */
static void add_order(const struct held_lock *h, int cls, const char *name, uintptr_t where)
{
    if (h->cls < 0 || h->cls == cls)
        return;
    /* The common case: known. Read without graph_lock: bits are only ever
     * set, so a stale 0 just sends us to the locked path below. */
    if (lockdep_graph_has_edge(&graph, h->cls, cls))
        return;
    uintptr_t pcs[LOCKDEP_STACK];
    int n = backtrace_walk(cpu_read_ebp(), pcs, LOCKDEP_STACK);
    int path[4], path_len = 0;
    struct inversion inv = { 0 };
    uint32_t s = rawlock_take(&graph_lock);
    enum lockdep_result r = full ? LOCKDEP_FULL
                                 : lockdep_graph_add(&graph, h->cls, cls, pcs, n, path,
                                                     &path_len, 4);
    if (r == LOCKDEP_FULL)
        full = true;
    if (r == LOCKDEP_CYCLE) {
        inv.path_len = path_len;
        for (int i = 0; i < path_len; i++)
            inv.path[i] = *lockdep_graph_edge(&graph, path[i]);
    }
    rawlock_give(&graph_lock, s);
    if (r == LOCKDEP_CYCLE)
        report_inversion(h, name, where, pcs, n, &inv);
}

int lockdep_before(const void *lock, const char *name, uint16_t *cls, uintptr_t where)
{
    (void)lock;
    int c = lockdep_class(name, cls);
    if (c < 0 || full)
        return c;
    struct held_lock mine[16];
    int n = held_mine(mine, 16);
    for (int i = 0; i < n; i++)
        add_order(&mine[i], c, name, where);
    return c;
}
#endif /* LAB >= 5 */
