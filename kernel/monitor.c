/*
 * monitor.c -- the kernel monitor.
 *
 * A command line on the serial console, as in JOS: it lets a student poke
 * at the running kernel long before there are processes or a shell. Later
 * labs add commands to monitor_commands[].
 */
#include "monitor.h"
#include "backtrace.h"
#include "console.h"
#include "lab.h"
#include "multiboot.h"
#include "arch/i386/cpu.h"
#include "arch/i386/power.h"
#include "sanitizers/kasan.h"
#include <string.h>
#if LAB >= 2
#include "trap.h"
#include "arch/i386/pit.h"
#endif
#if LAB >= 2
#include <stdlib.h>
#endif
#if LAB >= 3
#include "mm/kmalloc.h"
#include "mm/pmm.h"
#include "arch/i386/paging.h"
#endif
#if LAB >= 4
#include "proc/sched.h"
#include "proc/thread.h"
#include "arch/i386/irq.h"
#endif
#if LAB >= 5
#include "sync/check.h"
#include "sync/held.h"
#include "arch/i386/intc.h"
#include "arch/i386/percpu.h"
#include "arch/i386/smp.h"
#include "abi/cpuinfo.h"
#endif
#if LAB >= 6
#include "arch/i386/pci.h"
#endif

struct monitor_command {
    const char *name;
    const char *help;
    int (*run)(int argc, char **argv);
};

static int cmd_help(int argc, char **argv);

static int cmd_backtrace(int argc, char **argv)
{
    (void)argc; (void)argv;
    uintptr_t pcs[BACKTRACE_MAX];
    kprintf("Backtrace:\n");
    backtrace_print(pcs, backtrace_walk(cpu_read_ebp(), pcs, BACKTRACE_MAX));
    return 0;
}

static int cmd_mem(int argc, char **argv)
{
    (void)argc; (void)argv;
    kprintf("memory: %llu KiB usable in %d regions\n",
            boot_info.usable_bytes / 1024, boot_info.nregions);
    for (int i = 0; i < boot_info.nregions; i++) {
        const struct mem_region *r = &boot_info.regions[i];
        kprintf("  [mem 0x%09llx-0x%09llx] type %u\n", r->base,
                r->base + r->length - 1, r->type);
    }
#if LAB >= 3
    kprintf("frames: %u free, %u used (4 KiB each)\n", (unsigned)pmm_free_frames(),
            (unsigned)pmm_used_frames());
    kprintf("heap: %u bytes in %u blocks in use, %u bytes free, heap size %u, %u errors\n",
            (unsigned)kheap.bytes_in_use, (unsigned)kheap.blocks_in_use,
            (unsigned)heap_free_bytes(&kheap), (unsigned)(kheap.end - kheap.start),
            (unsigned)kheap.errors);
    kprintf("demand-zero faults: %u\n", demand_zero_faults);
#ifdef CONFIG_KASAN
    kasan_print_usage(&kheap);      /* what KASAN costs (make KASAN=1) */
#endif
#endif
    return 0;
}

#if LAB >= 3
static int cmd_pt(int argc, char **argv)
{
    if (argc != 2) {
        kprintf("usage: pt VADDR\n");
        return -1;
    }
    uintptr_t va = strtoul(argv[1], NULL, 16);
    paddr_t pa;
    uint32_t flags;
    if (kernel_as.pd == NULL) {
        kprintf("pt: paging is off\n");
        return -1;
    }
    if (!vm_lookup(&kernel_as, va, &pa, &flags)) {
        kprintf("pt: 0x%08x is not mapped (PDE 0x%08x)\n", (unsigned)va,
                kernel_as.pd[PDX(va)]);
        return 0;
    }
    kprintf("pt: 0x%08x -> 0x%08x %s%s%s%s\n", (unsigned)va, (unsigned)pa,
            flags & PTE_W ? "writable" : "read-only", flags & PTE_U ? " user" : " kernel",
            flags & PTE_G ? " global" : "", flags & 0x20 ? " accessed" : "");
    return 0;
}
#endif

static int cmd_reboot(int argc, char **argv)
{
    (void)argc; (void)argv;
    kprintf("rebooting\n");
    machine_reboot();
}

#if LAB >= 2
static int cmd_ticks(int argc, char **argv)
{
    (void)argc; (void)argv;
    kprintf("ticks: %u at %u Hz\n", pit_ticks, pit_hz);
    return 0;
}

static int cmd_uptime(int argc, char **argv)
{
    (void)argc; (void)argv;
    uint32_t ticks = pit_ticks, seconds = ticks / pit_hz;
    kprintf("uptime: %u.%02u s (%u ticks)\n", seconds,
            (ticks % pit_hz) * 100 / pit_hz, ticks);
    return 0;
}

static int cmd_sleep(int argc, char **argv)
{
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 0;
    if (argc != 2 || n == 0 || n > 100000) {
        kprintf("usage: sleep TICKS (1..100000)\n");
        return -1;
    }
    sleep_ticks((uint32_t)n);
    return 0;
}

/* Print the arguments: lets a test see typed input arrive intact. */
static int cmd_echo(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        kprintf("%s%s", argv[i], i + 1 < argc ? " " : "");
    kprintf("\n");
    return 0;
}

static int cmd_irqstat(int argc, char **argv)
{
    (void)argc; (void)argv;
    kprintf("vector  count  name\n");
    for (int v = 0; v < 256; v++)
        if (trap_counts[v] != 0)
            kprintf("%6d %6u  %s\n", v, trap_counts[v], trap_name((uint32_t)v));
    kprintf("spurious IRQ 7/15: %u\n", spurious_irqs);
    return 0;
}
#endif

#if LAB >= 4
/* ps's snapshot of the threads; only the monitor's one thread uses it. */
#define PS_MAX 64
static struct ps_row {
    int tid;
    const char *state, *waits;      /* static strings */
    uint32_t ticks;
    char name[THREAD_NAME_MAX];
} ps_rows[PS_MAX];

static int cmd_ps(int argc, char **argv)
{
    (void)argc; (void)argv;
    if (!sched_started()) {
        kprintf("ps: threads are off (see the boot messages)\n");
        return -1;
    }
    /* A snapshot under sched_lock (it guards all_threads and each
     * thread's state), printed after: nothing, the console's lock
     * included, may be taken while sched_lock is held. */
    int n = 0, more = 0;
    uint32_t s = sched_lock_irqsave();
    struct thread *t;
    list_for_each_entry(t, &all_threads, all_node) {
        if (n == PS_MAX) {
            more++;
            continue;
        }
        struct ps_row *r = &ps_rows[n++];
        r->tid = t->tid;
        r->state = thread_state_name(t->state);
        r->ticks = t->ticks;
        r->waits = t->waiting_on ? t->waiting_on->name :
                   timerq_queued(&t->sleep_timer) ? "sleep" : "-";
        memcpy(r->name, t->name, sizeof r->name);
    }
    sched_unlock_irqrestore(s);
    kprintf("  TID  STATE     TICKS  WAITS ON  NAME\n");
    for (int i = 0; i < n; i++)
        kprintf("%5d  %-8s %6u  %-8s  %s\n", ps_rows[i].tid, ps_rows[i].state,
                ps_rows[i].ticks, ps_rows[i].waits, ps_rows[i].name);
    if (more > 0)
        kprintf("(%d more)\n", more);
    kprintf("idle: %u ticks halted; %u context switches\n", sched_idle_halted_ticks,
            sched_switches);
    return 0;
}

/* Threads started by `spawn`: the monitor joins them once they exit. */
#define MAX_SPAWNED 16
static struct thread *spawned[MAX_SPAWNED];

/* A worker for `spawn`: for `arg` ticks, spin one tick, sleep one tick. */
static int spawn_worker(void *arg)
{
    /* SAFETY: pointer -> integer: cmd_spawn passes the tick count. */
    uint32_t ticks = (uint32_t)(uintptr_t)arg, start = pit_ticks;
    while (pit_ticks - start < ticks) {
        uint32_t t = pit_ticks;
        while (pit_ticks == t)
            ;
        thread_sleep(1);
    }
    return 0;
}

static void reap_spawned(void)
{
    for (int i = 0; i < MAX_SPAWNED; i++)
        if (spawned[i] != NULL && spawned[i]->state == THREAD_ZOMBIE) {
            /* Copy what we print: thread_join() frees the struct. */
            struct thread copy = *spawned[i];
            int status = thread_join(spawned[i]);
            kprintf("spawn: thread %d '%s' exited with status %d\n", copy.tid, copy.name,
                    status);
            spawned[i] = NULL;
        }
}

static int cmd_spawn(int argc, char **argv)
{
    unsigned long ticks = argc == 3 ? strtoul(argv[2], NULL, 10) : 0;
    if (ticks == 0 || ticks > 1000000) {
        kprintf("usage: spawn NAME TICKS (a thread that works and sleeps for TICKS ticks)\n");
        return -1;
    }
    for (int i = 0; i < MAX_SPAWNED; i++)
        if (spawned[i] == NULL) {
            /* SAFETY: integer -> pointer, the worker's argument. */
            spawned[i] = thread_create(spawn_worker, (void *)(uintptr_t)ticks, argv[1]);
            if (spawned[i] == NULL) {
                kprintf("spawn: no thread (out of memory, or lab 4 not done)\n");
                return -1;
            }
            kprintf("spawn: thread %d '%s'\n", spawned[i]->tid, spawned[i]->name);
            return 0;
        }
    kprintf("spawn: %d threads at most\n", MAX_SPAWNED);
    return -1;
}
#endif

#if LAB >= 5
/* What runs where: the same snapshot and rows as /bin/cpus (SYS_cpuinfo). */
static int cmd_cpus(int argc, char **argv)
{
    (void)argc; (void)argv;
    static struct cpus_info info;       /* the monitor's: one caller */
    char line[CPUINFO_LINE_MAX];
    cpus_snapshot(&info);
    cpus_format_head(line, sizeof line, &info);
    kprintf("%s", line);
    for (uint32_t i = 0; i < info.ncpus; i++) {
        cpu_info_format(line, sizeof line, &info.cpu[i]);
        kprintf("%s", line);
    }
    return 0;
}

/* Held locks: the same rows as /bin/locks (SYS_lockinfo). */
static int cmd_locks(int argc, char **argv)
{
    (void)argc; (void)argv;
    held_print();
    return 0;
}
#endif

#if LAB >= 6
/* One line per function as lspci prints it, then its BARs and IRQ. */
static int cmd_lspci(int argc, char **argv)
{
    (void)argc; (void)argv;
    pci_scan();
    for (int i = 0; i < pci_count(); i++) {
        const struct pci_func *f = pci_at(i);
        kprintf("%02x:%02x.%x %04x:%04x class %02x.%02x %s\n", f->bus, f->dev, f->fn,
                f->vendor, f->device, f->class_code, f->subclass,
                pci_class_name(f->class_code, f->subclass));
        for (int b = 0; b < PCI_NBARS; b++)
            if (f->bar[b].size != 0)
                kprintf("    BAR%d %s 0x%x size 0x%x\n", b, f->bar[b].io ? "io " : "mem",
                        f->bar[b].base, f->bar[b].size);
        if (f->irq_pin != 0)
            kprintf("    INT%c# -> IRQ %u\n", 'A' + f->irq_pin - 1, f->irq_line);
    }
    return 0;
}
#endif

static const struct monitor_command monitor_commands[] = {
    { "help", "list the commands", cmd_help },
    { "backtrace", "print the stack backtrace of the monitor", cmd_backtrace },
    { "mem", "print the memory map the boot loader passed", cmd_mem },
    { "reboot", "reset the machine", cmd_reboot },
#if LAB >= 2
    { "ticks", "timer ticks since boot", cmd_ticks },
    { "uptime", "time since the timer started", cmd_uptime },
    { "irqstat", "how often each interrupt vector arrived", cmd_irqstat },
    { "echo", "print the arguments", cmd_echo },
    { "sleep", "wait TICKS timer ticks (halted, not spinning)", cmd_sleep },
#endif
#if LAB >= 3
    { "pt", "what maps virtual address VADDR (hex)", cmd_pt },
#endif
#if LAB >= 4
    { "ps", "list the threads: id, state, ticks used, what they wait for", cmd_ps },
    { "spawn", "start a thread NAME that works and sleeps for TICKS ticks", cmd_spawn },
#endif
#if LAB >= 5
    { "locks", "held locks: name, kind, holder CPU and thread, where taken", cmd_locks },
    { "cpus", "each CPU: APIC id, ticks, interrupts, IPIs, the thread it runs", cmd_cpus },
#endif
#if LAB >= 6
    { "lspci", "the PCI functions: address, vendor:device, class, BARs, IRQ", cmd_lspci },
#endif
};
#define NCOMMANDS (int)(sizeof monitor_commands / sizeof monitor_commands[0])

static int cmd_help(int argc, char **argv)
{
    (void)argc; (void)argv;
    for (int i = 0; i < NCOMMANDS; i++)
        kprintf("%-10s %s\n", monitor_commands[i].name, monitor_commands[i].help);
    return 0;
}

int monitor_split(char *line, char **argv, int max)
{
    int argc = 0;
#if SOLVED >= 1
    char *p = line;
    while (*p != '\0') {
        while (*p == ' ' || *p == '\t')
            *p++ = '\0';
        if (*p == '\0')
            break;
        if (argc == max)
            return argc;          /* extra words are dropped */
        argv[argc++] = p;
        while (*p != '\0' && *p != ' ' && *p != '\t')
            p++;
    }
#else
    /* LAB 1 exercise 5: split line into words separated by spaces or
     * tabs: write '\0' over the separators and store a pointer to each
     * word's first character in argv[], at most max words. Return how
     * many words you found ("  help  " has one). */
    (void)line; (void)argv; (void)max;
    LAB_TODO(1, 5, "monitor_split()");
#endif
    return argc;
}

int monitor_run(char *line)
{
    char *argv[MONITOR_MAX_ARGS];
    int argc = monitor_split(line, argv, MONITOR_MAX_ARGS);
#if LAB >= 4
    reap_spawned();
#endif
    if (argc == 0)
        return 0;
    for (int i = 0; i < NCOMMANDS; i++)
        if (strcmp(argv[0], monitor_commands[i].name) == 0)
            return monitor_commands[i].run(argc, argv);
    kprintf("unknown command '%s' (try 'help')\n", argv[0]);
    return -1;
}

/* The next typed character. Lab 1 polls the UART; from lab 2 on, the
 * serial and keyboard interrupts fill a buffer and we sleep until then. */
static int monitor_getc(void)
{
#if LAB >= 2
    return console_getc();
#else
    int c;
    while ((c = console_getc_nowait()) < 0)
        /* SAFETY: pause is a spin-wait hint; it changes no state. */
        __asm__ volatile("pause");
    return c;
#endif
}

/* Read one line with echo and backspace. */
static void monitor_read_line(char *buf, int cap)
{
    int len = 0;
    for (;;) {
        int c = monitor_getc();
        if (c == '\r' || c == '\n') {
            console_write("\n", 1);
            buf[len] = '\0';
            return;
        }
        if ((c == '\b' || c == 0x7F) && len > 0) {
            len--;
            console_write("\b \b", 3);
        } else if (((c >= ' ' && c < 0x7F) || c == '\t') && len < cap - 1) {
            buf[len++] = (char)c;
            char ch = (char)c;
            console_write(&ch, 1);
        }
    }
}

void monitor_main(void)
{
    char line[128];
    kprintf("monitor: type 'help' for a list of commands\n");
    for (;;) {
        kprintf("K> ");
        monitor_read_line(line, sizeof line);
        monitor_run(line);
    }
}
