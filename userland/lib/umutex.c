/*
 * umutex.c -- the futex mutex (usync.h), after Ulrich Drepper, "Futexes
 * Are Tricky" (2011), mutex 2.
 *
 * state: 0 unlocked, 1 locked (nobody sleeps), 2 locked and maybe
 * somebody sleeps. Locking a free mutex is one compare-and-swap 0 -> 1,
 * unlocking one nobody waits for is one atomic decrement 1 -> 0: no
 * system call. A thread that finds it held marks it 2 and sleeps in the
 * kernel while it stays 2; the unlocker of a 2 stores 0 and wakes one.
 * A woken thread takes the lock as 2 (it cannot know whether others
 * still sleep), so at worst one futex_wake too many is made, never one
 * too few.
 */
#if LAB >= 5
#include <tidepool.h>
#include <usync.h>

/* How many times a contended lock looks again before it sleeps: another
 * CPU's holder usually lets go within a few hundred cycles, and a system
 * call costs more than that. With one CPU the holder cannot run while we
 * spin, and this is only a short waste. */
#define SPINS 64

void umutex_init(struct umutex *m)
{
    __atomic_store_n(&m->state, 0, __ATOMIC_RELAXED);
}

static bool cas(unsigned *word, unsigned from, unsigned to)
{
    /* ACQUIRE on success: the protected data is read after the lock is ours. */
    return __atomic_compare_exchange_n(word, &from, to, false, __ATOMIC_ACQUIRE,
                                       __ATOMIC_RELAXED);
}

bool umutex_trylock(struct umutex *m)
{
    return cas(&m->state, 0, 1);
}

void umutex_lock(struct umutex *m)
{
    if (cas(&m->state, 0, 1))
        return;                 /* the fast path: free, now ours */
    for (int i = 0; i < SPINS; i++) {
        /* SAFETY: `pause` only tells the CPU this is a spin-wait loop. */
        __asm__ volatile("pause" ::: "memory");
        if (__atomic_load_n(&m->state, __ATOMIC_RELAXED) == 0 && cas(&m->state, 0, 1))
            return;
    }
    /* Announce a sleeper (2); if the old state was 0 the lock is ours. */
    while (__atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE) != 0)
        futex_wait(&m->state, 2);   /* -EAGAIN: it changed already; look again */
}

void umutex_unlock(struct umutex *m)
{
    /* RELEASE: everything written under the lock is visible to the next
     * holder. 1 -> 0: nobody sleeps, done. 2 -> 1: somebody may sleep. */
    if (__atomic_fetch_sub(&m->state, 1, __ATOMIC_RELEASE) != 1) {
        __atomic_store_n(&m->state, 0, __ATOMIC_RELEASE);
        futex_wake(&m->state, 1);
    }
}
#endif /* LAB >= 5 */
