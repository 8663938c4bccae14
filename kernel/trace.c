/*
 * trace.c -- the scheduler trace's ring buffer and its dump (trace.h,
 * docs/trace.md for the format and the tools that read it).
 *
 * No lock: a writer claims its slot with one atomic increment of
 * trace_head, so writers on several CPUs (and an interrupt on this one)
 * never share a slot; each record carries its CPU number. Interrupts
 * stay off while a record is written, so that one CPU's records are in
 * order. trace_put() is called with the scheduler's lock held: it must
 * take no lock itself.
 */
#if LAB >= 4
#include "arch/i386/cpu.h"
#include "trace.h"
#include "cmdline.h"
#include "proc/process.h"
#include "proc/thread.h"
#include "proc/sched.h"
#include "arch/i386/irq.h"
#include "arch/i386/percpu.h"
#include "arch/i386/serial.h"
#include "console.h"
#include <stdio.h>
#include <string.h>

bool trace_on;
struct trace_record trace_ring[TRACE_RING_RECORDS];
uint32_t trace_head;            /* atomic: the next slot to claim */

void trace_init(const char *cmdline)
{
    char value[16];
    if (cmdline_value(cmdline, "trace", value, sizeof value) && strcmp(value, "sched") == 0) {
        trace_on = true;
        kprintf("trace: recording the scheduler into %u records (dumped to COM2 at exit)\n",
                TRACE_RING_RECORDS);
    }
}

static void trace_put(enum trace_type type, uint8_t cpu, uint16_t tid, uint32_t arg)
{
    uint32_t s = irq_save();    /* this CPU's records stay in order */
    struct trace_record *r =
        &trace_ring[trace_slot(__atomic_fetch_add(&trace_head, 1, __ATOMIC_RELAXED))];
    r->tsc = cpu_read_tsc();
    r->type = (uint8_t)type;
    r->cpu = cpu;
    r->tid = tid;
    r->arg = arg;
    irq_restore(s);
}

void trace_record(enum trace_type type, uint32_t arg)
{
    struct thread *t = current_thread;
    trace_put(type, (uint8_t)cpu_id(), t != NULL ? (uint16_t)t->tid : TRACE_NO_THREAD, arg);
}

void trace_thread_named(const struct thread *t)
{
    if (!trace_on)
        return;
    /* The name in 4-byte chunks, little-endian, up to its NUL. */
    for (uint8_t chunk = 0; chunk * 4 < THREAD_NAME_MAX; chunk++) {
        uint32_t word;
        memcpy(&word, t->name + chunk * 4, 4);
        trace_put(TR_NAME, chunk, (uint16_t)t->tid, word);
        if (memchr(t->name + chunk * 4, '\0', 4) != NULL)
            break;
    }
    trace_put(TR_PROC, 0, (uint16_t)t->tid, t->proc != NULL ? (uint32_t)t->proc->pid : 0);
}

/* ---- the dump: base64 lines on COM2 (docs/trace.md) */

static void com2_puts(const char *s)
{
    while (*s != '\0')
        serial_putc(COM2, *s++);
}

static void com2_put_base64(const uint8_t *p, uint32_t n)
{
    static const char digits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (uint32_t i = 0; i < n; i += 3) {
        uint32_t left = n - i;
        uint32_t v = (uint32_t)p[i] << 16 | (left > 1 ? (uint32_t)p[i + 1] << 8 : 0) |
                     (left > 2 ? p[i + 2] : 0);
        serial_putc(COM2, digits[v >> 18 & 63]);
        serial_putc(COM2, digits[v >> 12 & 63]);
        serial_putc(COM2, left > 1 ? digits[v >> 6 & 63] : '=');
        serial_putc(COM2, left > 2 ? digits[v & 63] : '=');
    }
}

void trace_dump(void)
{
    if (!trace_on)
        return;
    uint32_t s = irq_save();
    /* The dump itself is not traced; at exit the other CPUs are idle or
     * stopped, so no record is still being written. */
    __atomic_store_n(&trace_on, false, __ATOMIC_RELAXED);
    uint32_t head = __atomic_load_n(&trace_head, __ATOMIC_ACQUIRE);
    char line[128];
    snprintf(line, sizeof line, "trace: begin version=%u record=16 count=%u lost=%u cpus=%d\n",
             TRACE_FORMAT_VERSION, trace_kept(head), trace_lost(head), ncpus);
    com2_puts(line);
    /* Oldest first, three records (48 bytes, 64 characters) a line. */
    uint32_t slot = trace_oldest_slot(head);
    for (uint32_t done = 0; done < trace_kept(head);) {
        uint32_t n = trace_kept(head) - done;
        if (n > 3)
            n = 3;
        if (n > TRACE_RING_RECORDS - slot)
            n = TRACE_RING_RECORDS - slot;
        com2_puts("trace: ");
        /* SAFETY: the records are plain bytes (16 each, no padding). */
        com2_put_base64((const uint8_t *)&trace_ring[slot], n * sizeof(struct trace_record));
        com2_puts("\n");
        done += n;
        slot = trace_slot(slot + n);
    }
    com2_puts("trace: end\n");
    kprintf("trace: %u events dumped to COM2 (%u lost)\n", trace_kept(head), trace_lost(head));
    irq_restore(s);
}
#endif /* LAB >= 4 */
