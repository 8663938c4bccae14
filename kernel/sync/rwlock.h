/*
 * rwlock.h -- a reader-writer lock: readers share, a writer is alone.
 *
 * Contract:
 *   - Any number of threads may hold it for reading at once; a writer
 *     holds it alone (no readers, no other writer).
 *   - Writers are not starved: once a writer waits, new readers wait
 *     behind it; when it is done, waiting writers go first, then the
 *     readers that queued meanwhile all enter together.
 *   - Both sides may sleep (never with a spinlock held or in an interrupt
 *     handler). Not recursive: a reader that takes it again while a
 *     writer waits deadlocks; a writer taking it again is reported.
 *   - Release only what you hold (reported otherwise).
 */
#ifndef SYNC_RWLOCK_H
#define SYNC_RWLOCK_H

#if LAB >= 5
#include "proc/waitqueue.h"
#include "sync/spinlock.h"
#include <stdint.h>

struct thread;

struct rwlock {
    struct spinlock lock;           /* protects everything below */
    int readers;                    /* threads holding it for reading */
    struct thread *writer;          /* the thread holding it for writing */
    int writers_waiting;
    struct waitqueue readq, writeq;
    const char *name;
    uint16_t lockdep_class;
};

void rwlock_init(struct rwlock *rw, const char *name);
void read_lock(struct rwlock *rw);
void read_unlock(struct rwlock *rw);
void write_lock(struct rwlock *rw);
void write_unlock(struct rwlock *rw);
#endif /* LAB >= 5 */

#endif
