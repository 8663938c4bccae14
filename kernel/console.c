/*
 * console.c -- kprintf and friends.
 *
 * Every byte goes to three places: COM1 (what `make qemu` and the grader
 * see), the VGA screen (what a lecturer's QEMU window shows) and kmsg_buf
 * (what GDB can still read after a crash). Formatting is libk's vformat().
 */
#include "console.h"
#include "arch/i386/serial.h"
#include "arch/i386/vga.h"
#include <stdio.h>
#if LAB >= 2
#include "arch/i386/irq.h"
#include <ringbuf.h>
#endif
#if LAB >= 4
#include "proc/process.h"
#include "proc/sched.h"
#include "proc/waitqueue.h"
#include "fs/tty.h"
#endif

char kmsg_buf[KMSG_SIZE];
size_t kmsg_written;

#if LAB >= 2
/* Typed characters, from the serial and keyboard interrupt handlers (the
 * producers, interrupts off) to console_getc() (the one consumer). */
static uint8_t input_storage[256];
static struct ringbuf input;
unsigned console_input_dropped;
#endif

void console_init(void)
{
    serial_init(COM1);
    vga_init();
#if LAB >= 2
    ringbuf_init(&input, input_storage, sizeof input_storage);
#endif
}

void console_putc(char c)
{
    /* Serial terminals want CR LF; the screen and the log keep plain LF. */
    if (c == '\n')
        serial_putc(COM1, '\r');
    serial_putc(COM1, c);
    vga_putc(c);
    kmsg_buf[kmsg_written++ % KMSG_SIZE] = c;
}

void console_write(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        console_putc(s[i]);
    vga_sync_cursor();
}

static void emit_to_console(char c, void *ctx)
{
    (void)ctx;
    console_putc(c);
}

int kvprintf(const char *fmt, va_list ap)
{
#if LAB >= 4
    /* One message at a time: a thread preempted halfway through its
     * line would otherwise get another thread's text in the middle. */
    uint32_t s = irq_save();
#endif
    int n = vformat(emit_to_console, NULL, fmt, ap);
    vga_sync_cursor();
#if LAB >= 4
    irq_restore(s);
#endif
    return n;
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvprintf(fmt, ap);
    va_end(ap);
    return n;
}

#if LAB >= 2
#if LAB >= 4
/* Threads waiting for typed input (console_getc_blocking). */
static struct waitqueue input_waiters = WAITQUEUE_INIT(input_waiters, "console");
#endif

void console_input(char c)
{
    if (!ringbuf_push(&input, (uint8_t)c))
        console_input_dropped++;
#if LAB >= 4
    /* Without threads nobody sleeps on the queue (console_getc halts
     * instead); and an unfinished lab 4 must not print its "not written
     * yet" on every key of lab 2's tests. */
    if (sched_started())
        waitqueue_wake_all(&input_waiters);
    /* While programs run, the line discipline takes the byte now: it
     * echoes as typed and Ctrl-C works on a program that never reads. */
    tty_input_arrived();
#endif
}

#if LAB >= 4
int console_getc_blocking(void)
{
    uint8_t c;
    uint32_t s = irq_save();
    bool got;
    while (!(got = ringbuf_pop(&input, &c)) && !proc_killed())
        waitqueue_sleep(&input_waiters);
    irq_restore(s);
    return got ? c : -1;
}
#endif

int console_getc_nowait(void)
{
    uint8_t c;
    uint32_t saved = irq_save();
    bool got = ringbuf_pop(&input, &c);
    irq_restore(saved);
    return got ? c : -1;
}

char console_getc(void)
{
    /* Without interrupts (early boot, or lab 2 not done yet) nothing fills
     * the buffer: read the UART itself. */
    if (!irq_enabled()) {
        int c;
        while ((c = serial_getc_nowait(COM1)) < 0)
            /* SAFETY: pause is a spin-wait hint; it changes no state. */
            __asm__ volatile("pause");
        return (char)c;
    }
#if LAB >= 4
    if (sched_started())
        return (char)console_getc_blocking();   /* the CPU is free meanwhile */
#endif
    for (;;) {
        irq_disable();
        uint8_t c;
        if (ringbuf_pop(&input, &c)) {
            irq_enable();
            return (char)c;
        }
        irq_wait();     /* sti; hlt: an input interrupt cannot slip past */
    }
}
#else
int console_getc_nowait(void)
{
    return serial_getc_nowait(COM1);
}
#endif
