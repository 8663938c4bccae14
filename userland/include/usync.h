/*
 * usync.h -- user-space synchronization for threads (lab 5): a mutex, a
 * condition variable, a counting semaphore and a barrier, on futexes.
 *
 * Each is a few words of ordinary memory that the threads of a process
 * share (a static, or inside a struct they share). An uncontended
 * operation is a single atomic instruction in user space; only a thread
 * that must wait, or one that must wake a waiter, enters the kernel
 * (futex_wait/futex_wake of tidepool.h). Not shared between processes:
 * a fork's child gets its own copy, like any memory.
 *
 *     static struct umutex lock = UMUTEX_INIT;
 *     static struct ucond nonempty = UCOND_INIT;
 *     static int items;               // protected by lock
 *
 *     umutex_lock(&lock);
 *     while (items == 0)
 *         ucond_wait(&nonempty, &lock);
 *     items--;
 *     umutex_unlock(&lock);
 *
 * None of them can be used from a process's two sides of a fork at once,
 * and none checks misuse (unlocking a mutex another thread holds is
 * undefined, as in POSIX's default mutex).
 */
#ifndef USER_USYNC_H
#define USER_USYNC_H

#if LAB >= 5
#include <stdbool.h>

/* ---- mutex (lib/umutex.c): Drepper's three-state futex mutex
 * state 0: unlocked; 1: locked, nobody sleeps; 2: locked, maybe sleepers
 * (so unlock must wake one). */
struct umutex {
    unsigned state;
};
#define UMUTEX_INIT { 0 }

void umutex_init(struct umutex *m);
void umutex_lock(struct umutex *m);
/* Takes m if it is free: true; false at once if another thread holds it. */
bool umutex_trylock(struct umutex *m);
void umutex_unlock(struct umutex *m);

/* ---- condition variable (lib/ucond.c): a sequence number that every
 * signal bumps; a waiter sleeps only if it has not changed since it let
 * go of the mutex, so no signal between the two is lost. */
struct ucond {
    unsigned seq;               /* signals so far: the futex word */
    unsigned waiters;           /* threads in ucond_wait (a signal with
                                   none makes no system call) */
};
#define UCOND_INIT { 0, 0 }

void ucond_init(struct ucond *c);
/* Call holding m: releases it, sleeps until a signal or broadcast (or
 * spuriously), and takes m again before returning. Check the condition
 * again in a loop. */
void ucond_wait(struct ucond *c, struct umutex *m);
/* Wake one waiter / every waiter (with or without holding the mutex). */
void ucond_signal(struct ucond *c);
void ucond_broadcast(struct ucond *c);

/* ---- counting semaphore (lib/usem.c) */
struct usem {
    unsigned value;             /* units available */
    unsigned waiters;           /* threads about to sleep or asleep */
};
#define USEM_INIT(n) { (n), 0 }

void usem_init(struct usem *s, unsigned value);
/* Take one unit, sleeping while there is none. */
void usem_wait(struct usem *s);
/* Take one unit if there is one: true; false at once if not. */
bool usem_trywait(struct usem *s);
/* Give one unit back, waking a waiter if there is one. */
void usem_post(struct usem *s);

/* ---- barrier (lib/ubarrier.c): `count` threads meet, again and again */
struct ubarrier {
    struct umutex lock;
    struct ucond all_arrived;
    unsigned count;             /* threads that meet each time */
    unsigned arrived;           /* this round's, so far; protected by lock */
    unsigned round;             /* rounds completed; protected by lock */
};

void ubarrier_init(struct ubarrier *b, unsigned count);
/* Waits until `count` threads have called it (this round); then all
 * return, the last to arrive with true and the others with false. */
bool ubarrier_wait(struct ubarrier *b);
#endif /* LAB >= 5 */

#endif
