/*
 * held.h -- the registry of held locks: who holds what, taken where.
 *
 * Every lock the kernel holds (spinlocks, mutexes, rwlocks) has an entry
 * here while sync_checks is on: the `locks` monitor command and /bin/locks
 * (SYS_lockinfo, sys_locks.c) print them, the sleep check names the
 * spinlocks in the way, and lockdep asks which locks the current context
 * holds when it takes another one. A
 * spinlock belongs to its CPU (its holder cannot be preempted or
 * migrate); a sleeping lock belongs to its thread, which may sleep and
 * wake up on another CPU while holding it.
 */
#ifndef SYNC_HELD_H
#define SYNC_HELD_H

#if LAB >= 5
#include <stdbool.h>
#include <stdint.h>

#define HELD_MAX 128

enum lock_kind { LOCK_SPIN, LOCK_MUTEX, LOCK_READ, LOCK_WRITE };

struct cpu;
struct thread;

struct held_lock {
    const void *lock;
    const char *name;
    enum lock_kind kind;
    int cls;                    /* lockdep class, -1 if none */
    struct cpu *cpu;            /* where it was taken */
    struct thread *thread;      /* by whom (NULL before threads) */
    uintptr_t where;            /* return address of the lock call */
};

/* Record that this context now holds `lock`. */
void held_push(const void *lock, const char *name, enum lock_kind kind, int cls,
               uintptr_t where);
/* Forget this context's entry for `lock`; false if there was none. */
bool held_pop(const void *lock, enum lock_kind kind);
/* Copy the current context's held locks (the spinlocks of this CPU and
 * the sleeping locks of this thread), oldest first; returns how many. */
int held_mine(struct held_lock *out, int max);
/* Copy every held lock; returns how many. */
int held_all(struct held_lock *out, int max);
/* Every held lock as abi/lockinfo.h's rows (at most max of them, oldest
 * first); returns how many are held, which may be more than max. */
struct lock_info;
int held_info(struct lock_info *out, int max);
/* Did the registry ever run out of room (so some locks are missing)? */
bool held_overflowed(void);
/* The `locks` monitor command: one line per held lock. */
void held_print(void);
const char *lock_kind_name(enum lock_kind kind);
#endif /* LAB >= 5 */

#endif
