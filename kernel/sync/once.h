/*
 * once.h -- one-time initialization (Hermit's OnceCell), and LAZY on top
 * (Hermit's / Rust's Lazy).
 *
 * Contract:
 *   - once_call(&o, fn, arg) runs fn(arg) exactly once per struct once,
 *     however many threads on however many CPUs call it at the same time.
 *   - Every call returns only after fn has finished: the callers that
 *     lose the race sleep until then (no CPU used), and everything fn
 *     wrote is visible to them (release/acquire on the state).
 *   - fn must not call once_call() on the same struct once (it would wait
 *     for itself: reported as recursion). Callers may sleep: not with a
 *     spinlock held, not in an interrupt handler, unless already done.
 *   - After the first call has finished, once_call() is one load.
 *
 * LAZY(type, name, init) defines a static `type` that init() computes the
 * first time it is used, and a function name() that returns a pointer to
 * it:
 *
 *     static struct table build_table(void) { ... }
 *     LAZY(struct table, boot_table, build_table)
 *     ... boot_table()->entries[3] ...
 */
#ifndef SYNC_ONCE_H
#define SYNC_ONCE_H

#if LAB >= 5
#include "proc/waitqueue.h"
#include "sync/spinlock.h"
#include <stdbool.h>

enum once_state { ONCE_NEW, ONCE_RUNNING, ONCE_DONE };

struct thread;

struct once {
    int state;                  /* enum once_state; written under lock, read atomically */
    struct spinlock lock;       /* protects state's changes and runner */
    struct thread *runner;      /* the thread running fn */
    struct waitqueue done;      /* callers waiting for fn to finish */
};

#define ONCE_INIT(o)                                                          \
    { .state = ONCE_NEW, .lock = SPINLOCK_INIT("once internals"),             \
      .done = WAITQUEUE_INIT((o).done, "once") }

void once_call(struct once *o, void (*fn)(void *), void *arg);
/* True once fn has finished. */
bool once_done(const struct once *o);

#define LAZY(type, name, init)                                                \
    static type name##_lazy_value;                                            \
    static struct once name##_lazy_once = ONCE_INIT(name##_lazy_once);        \
    static void name##_lazy_init(void *p)                                     \
    {                                                                         \
        *(type *)p = init();                                                  \
    }                                                                         \
    static inline type *name(void)                                            \
    {                                                                         \
        once_call(&name##_lazy_once, name##_lazy_init, &name##_lazy_value);   \
        return &name##_lazy_value;                                            \
    }
#endif /* LAB >= 5 */

#endif
