/*
 * lockdep.h -- lockdep-lite: the kernel checks the order of its locks.
 *
 * Each time a lock is about to be taken (before any spinning or sleeping),
 * lockdep_before() records "L taken while holding H" for every lock H the
 * current context holds (held.h), as an edge between the locks' classes
 * (their names) in lockdep_graph.c. If the opposite order was ever seen
 * (by any thread, at any time), the two orders can deadlock: one thread
 * holding A waits for B while another holding B waits for A. lockdep
 * reports it then, with the stack that first took the earlier order and
 * the stack of this acquisition: before any deadlock, even if the two
 * orders ran one after the other on one CPU.
 *
 * Classes are names: give locks that play different roles different
 * names. Two locks of one class nested (a parent's and a child's "proc"
 * lock) are not checked.
 */
#ifndef SYNC_LOCKDEP_H
#define SYNC_LOCKDEP_H

#if LAB >= 5
#include <stdint.h>

/* Before taking `lock` called `name`; *cls caches its class (0: not yet
 * known, else class + 1). Returns the class for held_push(), -1 if the
 * class table is full. `where`: the lock call's return address. */
int lockdep_before(const void *lock, const char *name, uint16_t *cls, uintptr_t where);
/* Only the class (for a trylock, which never waits: no order to check). */
int lockdep_class(const char *name, uint16_t *cls);
#endif /* LAB >= 5 */

#endif
