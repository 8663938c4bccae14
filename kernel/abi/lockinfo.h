/*
 * lockinfo.h -- the kernel's held locks as SYS_lockinfo reports them
 * (for /bin/locks), and the one function that prints them, shared by the
 * kernel monitor's `locks` command and the user program:
 *
 *     struct locks_info li;
 *     lockinfo(&li);                 // libc: SYS_lockinfo(&li, sizeof li)
 *     char line[LOCKINFO_LINE_MAX];
 *     locks_format_head(line, sizeof line, &li);
 *     lock_info_format(line, sizeof line, &li.lock[0]);
 *
 * The kernel records held locks only while its lock checks are on
 * (sync_checks=1, the default); with them off the list is empty and
 * checks_on says why. The kernel holds its own mutex "lockinfo" while
 * it takes the snapshot (its buffer is shared), so a lockinfo() caller
 * always sees at least that one, held by itself.
 */
#ifndef ABI_LOCKINFO_H
#define ABI_LOCKINFO_H

#if LAB >= 5
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>      /* snprintf: libk's in the kernel and in the libc */

#define LOCKINFO_MAX      32    /* rows reported at most (nheld says how many there were) */
#define LOCKINFO_NAME_MAX 32
#define LOCKINFO_LINE_MAX 160   /* room for one formatted row, or the head */

struct lock_info {
    char name[LOCKINFO_NAME_MAX];   /* the lock's name, NUL-terminated */
    char kind[8];                   /* "spin", "mutex", "read", "write" */
    int32_t cpu;                    /* the CPU it was taken on */
    int32_t tid;                    /* the holder; -1: before threads */
    char thread[16];                /* the holder's name */
    char where[LOCKINFO_NAME_MAX];  /* the function that took it ("??": unknown) */
    uint32_t offset;                /* ... and the offset of the call in it */
};

struct locks_info {
    uint32_t checks_on;             /* 0: sync_checks=0, nothing is recorded */
    uint32_t overflowed;            /* 1: the kernel's registry lost some */
    uint32_t nheld;                 /* locks held; rows in lock[]: at most LOCKINFO_MAX */
    struct lock_info lock[LOCKINFO_MAX];
};

/* The head: a note if nothing is recorded, the count, the column names
 * (those only if some lock is held). Returns what snprintf returns. */
static inline int locks_format_head(char *buf, size_t n, const struct locks_info *li)
{
    int used = snprintf(buf, n, "%s%u lock%s held%s\n",
                        li->checks_on ? ""
                                      : "locks: the lock checks are off (sync_checks=0): "
                                        "nothing is recorded\n",
                        (unsigned)li->nheld, li->nheld == 1 ? "" : "s",
                        li->overflowed ? " (the registry overflowed: some are missing)" : "");
    size_t at = used < 0 ? 0 : (size_t)used < n ? (size_t)used : n;
    if (li->nheld == 0)
        return used;
    return used + snprintf(buf + at, n - at, "  %-26s %-5s %-3s %-20s %s\n", "LOCK", "KIND",
                           "CPU", "THREAD", "TAKEN AT");
}

/* One lock's row, with its newline. */
static inline int lock_info_format(char *buf, size_t n, const struct lock_info *l)
{
    char who[32] = "-";         /* the tid (up to 11 characters), a space, a 16-byte name */
    if (l->tid >= 0)
        snprintf(who, sizeof who, "%d %.*s", (int)l->tid, (int)sizeof l->thread, l->thread);
    return snprintf(buf, n, "  %-26.*s %-5.*s %-3d %-20s %.*s+0x%x\n", LOCKINFO_NAME_MAX,
                    l->name, (int)sizeof l->kind, l->kind, (int)l->cpu, who,
                    LOCKINFO_NAME_MAX, l->where, (unsigned)l->offset);
}
#endif /* LAB >= 5 */

#endif
