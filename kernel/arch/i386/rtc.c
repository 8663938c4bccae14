/*
 * rtc.c -- the MC146818 CMOS clock as a periodic interrupt source.
 *
 * Registers are reached through an index port (0x70) and a data port
 * (0x71). Register A's low 4 bits choose the periodic rate, register B's
 * bit 6 enables the periodic interrupt, and register C must be read after
 * each interrupt or the chip raises no more. Bit 7 of the index port
 * disables NMIs while we touch the chip.
 */
#if LAB >= 2
#include "arch/i386/rtc.h"
#include "arch/i386/io.h"
#include "arch/i386/irq.h"
#include "arch/i386/intc.h"
#include "arch/i386/pic.h"
#if LAB >= 4
#include "sync/spinlock.h"
#endif
#include <stddef.h>

enum { CMOS_INDEX = 0x70, CMOS_DATA = 0x71, NMI_OFF = 0x80,
       RTC_A = 0x0A, RTC_B = 0x0B, RTC_C = 0x0C, RTC_B_PERIODIC = 0x40 };

/* SAFETY: volatile because the IRQ 8 handler counts it while tests poll
 * it; one writer (the handler), aligned 32-bit stores, no other use. */
volatile uint32_t rtc_ticks;
irq_handler_t rtc_hook;

/* SAFETY (every port access in this file): 0x70/0x71 are the CMOS index
 * and data ports; callers hold cmos_lock with interrupts off (from lab 4;
 * before, interrupts off alone, on the one CPU), so no other index write,
 * from this CPU's IRQ 8 handler or from another CPU, can come between
 * the index and its data access. */
#if LAB >= 4
static struct spinlock cmos_lock = SPINLOCK_INIT("cmos");
#endif

static inline uint32_t cmos_lock_take(void)
{
#if LAB >= 4
    return spin_lock_irqsave(&cmos_lock);
#else
    return irq_save();
#endif
}

static inline void cmos_lock_drop(uint32_t saved)
{
#if LAB >= 4
    spin_unlock_irqrestore(&cmos_lock, saved);
#else
    irq_restore(saved);
#endif
}

static uint8_t cmos_read(uint8_t reg)
{
    outb(CMOS_INDEX, NMI_OFF | reg);
    return inb(CMOS_DATA);
}

static void cmos_write(uint8_t reg, uint8_t value)
{
    outb(CMOS_INDEX, NMI_OFF | reg);
    outb(CMOS_DATA, value);
}

static void rtc_irq(struct trapframe *tf)
{
    uint32_t saved = cmos_lock_take();
    cmos_read(RTC_C);           /* acknowledge the chip, or no next interrupt */
    cmos_lock_drop(saved);
    rtc_ticks++;
    if (rtc_hook != NULL)
        rtc_hook(tf);
}

void rtc_start_periodic(int rate)
{
    uint32_t saved = cmos_lock_take();
    cmos_write(RTC_A, (uint8_t)((cmos_read(RTC_A) & 0xF0) | (rate & 0x0F)));
    cmos_write(RTC_B, cmos_read(RTC_B) | RTC_B_PERIODIC);
    cmos_read(RTC_C);           /* clear a pending flag */
    rtc_ticks = 0;
    cmos_lock_drop(saved);
    /* Outside cmos_lock: the handler takes it, and may run on another
     * CPU as soon as it is registered. */
    irq_register(IRQ_RTC, rtc_irq);
}

void rtc_stop_periodic(void)
{
    uint32_t saved = cmos_lock_take();
    cmos_write(RTC_B, cmos_read(RTC_B) & (uint8_t)~RTC_B_PERIODIC);
    intc_mask(IRQ_RTC);
    cmos_lock_drop(saved);
}
#endif /* LAB >= 2 */
