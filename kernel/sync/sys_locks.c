/* sys_locks.c -- SYS_lockinfo: the held-lock registry (held.h) for
 * /bin/locks, in abi/lockinfo.h's layout. */
#if LAB >= 5
#include "sync/check.h"
#include "sync/guard.h"
#include "sync/held.h"
#include "sync/mutex.h"
#include "abi/errno.h"
#include "abi/lockinfo.h"
#include "mm/usercopy.h"
#include "proc/syscall.h"
#include <string.h>

/* The snapshot is too big for a kernel stack (~3 KiB), so it is one
 * buffer shared by all callers, under a mutex: copyout may fault and
 * sleep. The mutex is itself a held lock: every caller sees it in the
 * list, held by itself (abi/lockinfo.h promises so). */
static struct mutex lockinfo_mutex = MUTEX_INIT(lockinfo_mutex, "lockinfo");
static struct locks_info snapshot;     /* protected by lockinfo_mutex */

/* (struct locks_info *buf, size_t size): size must be sizeof *buf. */
int32_t sys_lockinfo(uint32_t ubuf, uint32_t size, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a3; (void)a4; (void)a5;
    if (size != sizeof(struct locks_info))
        return -EINVAL;
    if (!user_range_ok(ubuf, size))
        return -EFAULT;
    MUTEX_GUARD(&lockinfo_mutex);
    memset(&snapshot, 0, sizeof snapshot);
    snapshot.checks_on = sync_checks;
    snapshot.overflowed = held_overflowed();
    snapshot.nheld = (uint32_t)held_info(snapshot.lock, LOCKINFO_MAX);
    return copyout(ubuf, &snapshot, sizeof snapshot) != 0 ? -EFAULT : 0;
}
#endif /* LAB >= 5 */
