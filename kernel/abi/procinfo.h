/* procinfo.h -- one process as procinfo() reports it (for ps). */
#ifndef ABI_PROCINFO_H
#define ABI_PROCINFO_H

#define PI_NAME_MAX 16

enum { PI_RUNNING = 'R', PI_SLEEPING = 'S', PI_ZOMBIE = 'Z' };

struct procinfo {
    int pid, ppid, pgid;
    int threads;                /* live threads */
    char state;                 /* PI_*: R if any thread runs or is ready */
    unsigned int mem_pages;     /* user pages mapped */
    unsigned int ticks;         /* timer ticks its threads have run */
    char name[PI_NAME_MAX];
};

#endif
