/* cpuinfo.c -- what each CPU runs and counts, for the monitor's `cpus`
 * and SYS_cpuinfo (/bin/cpus); the row format is abi/cpuinfo.h's. */
#if LAB >= 5
#include "arch/i386/intc.h"
#include "arch/i386/percpu.h"
#include "arch/i386/smp.h"
#include "abi/cpuinfo.h"
#include "abi/errno.h"
#include "mm/usercopy.h"
#include "proc/sched.h"
#include "proc/syscall.h"
#include "proc/thread.h"
#include <string.h>

_Static_assert(CPUINFO_MAX >= MAX_CPUS, "abi/cpuinfo.h: a row for every CPU");
_Static_assert(CPUINFO_NAME_MAX >= THREAD_NAME_MAX, "abi/cpuinfo.h: room for a thread's name");

/* Under sched_lock: a CPU's thread changes only under it, and a thread
 * that runs somewhere has not exited and been freed, so its name is
 * still there to copy (the unlocked read the monitor once did could
 * copy a name from freed memory; a system call must not). */
void cpus_snapshot(struct cpus_info *out)
{
    memset(out, 0, sizeof *out);
    strncpy(out->intc, intc_name(), sizeof out->intc - 1);
    out->tlb_shootdowns = tlb_shootdowns;
    out->ncpus = (uint32_t)ncpus;
    uint32_t s = sched_lock_irqsave();
    for (int i = 0; i < ncpus; i++) {
        const struct cpu *c = &cpus[i];
        struct cpu_info *row = &out->cpu[i];
        const struct thread *t = c->thread;
        if (t == NULL && i == cpu_id())
            t = current_thread;     /* before the scheduler sets cpus[].thread */
        *row = (struct cpu_info){ .id = c->id, .apic_id = c->apic_id, .online = c->online,
                                  .ticks = c->ticks, .interrupts = c->interrupts,
                                  .ipis = c->ipis, .tid = t != NULL ? t->tid : -1 };
        if (t != NULL)
            memcpy(row->thread, t->name, THREAD_NAME_MAX);
        row->thread[sizeof row->thread - 1] = '\0';
    }
    sched_unlock_irqrestore(s);
}

/* (struct cpus_info *buf, size_t size): size must be sizeof *buf, so a
 * program built against another layout gets EINVAL, not garbage. */
int32_t sys_cpuinfo(uint32_t ubuf, uint32_t size, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a3; (void)a4; (void)a5;
    if (size != sizeof(struct cpus_info))
        return -EINVAL;
    if (!user_range_ok(ubuf, size))
        return -EFAULT;
    struct cpus_info info;      /* ~450 bytes: the kernel stack has room */
    cpus_snapshot(&info);
    return copyout(ubuf, &info, sizeof info) != 0 ? -EFAULT : 0;
}
#endif /* LAB >= 5 */
