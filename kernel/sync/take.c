/* take.c -- the take-once static (see take.h). */
#if LAB >= 5
#include "sync/take.h"
#include "panic.h"
#include <stddef.h>

void *take_once(struct take_once *t)
{
    /* ACQ_REL: the winner sees the object as it was published. */
    if (__atomic_exchange_n(&t->taken, 1, __ATOMIC_ACQ_REL) != 0)
        return NULL;
    return t->object;
}

void *take_once_or_panic(struct take_once *t)
{
    void *object = take_once(t);
    if (object == NULL)
        panic("take_once(%s): taken already; it has one owner", t->name);
    return object;
}

bool take_once_taken(const struct take_once *t)
{
    return __atomic_load_n(&t->taken, __ATOMIC_ACQUIRE) != 0;
}
#endif /* LAB >= 5 */
