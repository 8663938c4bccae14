/*
 * ubarrier.c -- a reusable barrier (usync.h) from the mutex and the
 * condition variable. Each waiter remembers the round it arrived in and
 * waits for that round to end, so a thread that races ahead into the
 * next round cannot be mistaken for a late arrival of this one.
 */
#if LAB >= 5
#include <usync.h>

void ubarrier_init(struct ubarrier *b, unsigned count)
{
    umutex_init(&b->lock);
    ucond_init(&b->all_arrived);
    b->count = count;
    b->arrived = 0;
    b->round = 0;
}

bool ubarrier_wait(struct ubarrier *b)
{
    umutex_lock(&b->lock);
    unsigned round = b->round;
    bool last = ++b->arrived == b->count;
    if (last) {
        b->arrived = 0;
        b->round++;
        ucond_broadcast(&b->all_arrived);
    } else {
        while (b->round == round)
            ucond_wait(&b->all_arrived, &b->lock);
    }
    umutex_unlock(&b->lock);
    return last;
}
#endif /* LAB >= 5 */
