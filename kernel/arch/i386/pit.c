/*
 * pit.c -- the timer tick.
 *
 * Channel 0 of the PIT counts down from a divisor at 1.193182 MHz and
 * raises IRQ 0 each time it reaches zero, so the tick rate is
 * 1193182 / divisor. Intel 82C54 datasheet; OSDev "Programmable Interval
 * Timer" for the command byte.
 */
#if LAB >= 2
#include "arch/i386/pit.h"
#include "arch/i386/io.h"
#include "arch/i386/irq.h"
#include "arch/i386/pic.h"
#include "trap.h"
#include "lab.h"
#include "panic.h"
#include "ktest.h"
#if LAB >= 4
#include "proc/sched.h"
#endif
#if LAB >= 5
#include "arch/i386/intc.h"
#include "arch/i386/lapic.h"
#include "arch/i386/percpu.h"
#endif

enum {
    PIT_CHANNEL0 = 0x40,
    PIT_COMMAND = 0x43,
    /* channel 0, access lobyte/hibyte, mode 3 (square wave), binary */
    PIT_CMD_CH0_RATE = 0x36,
    /* channel 0, lobyte/hibyte, mode 2 (rate generator: one short low
     * pulse per period), binary. Lab 5's I/O APIC path: QEMU 7.2's
     * interrupts twice per period in mode 3 (measured: timer.rate 2x
     * fast under -icount), once in mode 2. */
    PIT_CMD_CH0_PULSE = 0x34,
};

/* SAFETY: volatile because the timer interrupt advances it while waiting
 * loops (pit_wait, the tests) read it: each read must reach memory. Only
 * the boot CPU's IRQ 0 handler writes it (one aligned 32-bit store, so a
 * reader never sees half a value); it is a counter, not a lock. */
volatile uint32_t pit_ticks;
uint32_t pit_hz;

uint16_t pit_divisor(uint32_t hz)
{
#if SOLVED >= 2
    /* Round to nearest; a 16-bit divisor of 0 means 65536 (18.2 Hz), the
     * slowest rate, so clamp to what fits. */
    uint32_t d = (PIT_INPUT_HZ + hz / 2) / hz;
    if (d > 0xFFFF)
        d = 0;          /* 0 encodes 65536 */
    if (d == 1)
        d = 2;          /* mode 3 cannot divide by 1 */
    return (uint16_t)d;
#else
    /* LAB 2 exercise 4: the 16-bit value that makes channel 0 count
     * PIT_INPUT_HZ / hz (rounded to nearest). Hint: the register has 16
     * bits and 0 means 65536. */
    (void)hz;
    LAB_TODO(2, 4, "pit_divisor()");
    return 0;
#endif
}

static void pit_irq(struct trapframe *tf)
{
    pit_ticks++;
    ktest_tick();
#if LAB >= 5
    /* With the APICs the PIT interrupts CPU 0 only: the global clock,
     * CPU 0's scheduler tick, and the yardstick for the APs' LAPIC
     * timers (their scheduler ticks, T_LAPIC_TIMER in trap.c). */
    if (intc_mode != INTC_PIC)
        lapic_timer_calibrate_tick(pit_hz);
    this_cpu()->ticks++;
#endif
#if LAB >= 4
    sched_tick(tf);
#else
    (void)tf;
#endif
}

void pit_init(uint32_t hz)
{
    if (hz < 19 || hz > PIT_INPUT_HZ / 2)
        panic("pit: rate %u Hz out of range (19..%u)", hz, PIT_INPUT_HZ / 2);
    uint16_t divisor = pit_divisor(hz);
    pit_hz = hz;
    /* SAFETY: 0x40/0x43 are the PIT's channel 0 and command ports; only
     * this file programs them, at boot with interrupts off. */
#if LAB >= 5
    outb(PIT_COMMAND, intc_mode == INTC_IOAPIC ? PIT_CMD_CH0_PULSE : PIT_CMD_CH0_RATE);
#else
    outb(PIT_COMMAND, PIT_CMD_CH0_RATE);
#endif
    outb(PIT_CHANNEL0, (uint8_t)divisor);
    outb(PIT_CHANNEL0, (uint8_t)(divisor >> 8));
    irq_register(IRQ_TIMER, pit_irq);
}

void sleep_ticks(uint32_t n)
{
    if (!irq_enabled())
        panic("sleep_ticks with interrupts off would never wake up");
#if LAB >= 4
    if (sched_started()) {
        thread_sleep(n);    /* the CPU is free for other threads meanwhile */
        return;
    }
#endif
    uint32_t start = pit_ticks;
    /* Unsigned subtraction: still right when pit_ticks wraps around. */
    for (;;) {
        irq_disable();
        if (pit_ticks - start >= n)
            break;
        irq_wait();      /* sti; hlt: a tick between the check and hlt is not lost */
    }
    irq_enable();
}
#endif /* LAB >= 2 */
