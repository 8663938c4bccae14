/*
 * lapic.c -- the local APIC (lapic.h). Intel SDM vol. 3A, chapter 11:
 * 11.4 (base address, enabling), 11.5.4 (timer), 11.6 (IPIs: the ICR),
 * 11.8.5 (EOI), 11.9 (spurious interrupt).
 *
 * Calibrating the timer without spinning: the boot CPU lets its LAPIC
 * timer count down from 0xFFFFFFFF (masked: no interrupt) and reads the
 * count at each of CAL_TICKS + 1 PIT interrupts -- ticks the kernel
 * takes anyway. Counts per PIT tick = the median of the differences
 * (robust against a late interrupt on a busy host). CPU 0 itself keeps
 * the PIT as its scheduler tick (so sleepers still wake exactly on the
 * PIT tick they asked for); the APs run their LAPIC timers at the PIT's
 * rate. An AP that starts before the measurement is done uses QEMU's
 * APIC bus clock (1 GHz, hw/intc/apic_internal.h
 * APIC_BUS_CYCLE_NS) as a provisional period and corrects itself on its
 * next tick once the measurement exists (lapic_timer_tick()).
 */
#if LAB >= 5
#include "arch/i386/lapic.h"
#include "arch/i386/idt.h"
#include "arch/i386/irq.h"
#include "arch/i386/mmio.h"
#include "arch/i386/msr.h"
#include "arch/i386/percpu.h"
#include "console.h"

enum {
    LAPIC_ID = 0x20, LAPIC_VERSION = 0x30, LAPIC_TPR = 0x80, LAPIC_EOI = 0xB0,
    LAPIC_SVR = 0xF0, LAPIC_ESR = 0x280, LAPIC_ICR_LOW = 0x300, LAPIC_ICR_HIGH = 0x310,
    LAPIC_LVT_TIMER = 0x320, LAPIC_LVT_LINT0 = 0x350, LAPIC_LVT_LINT1 = 0x360,
    LAPIC_LVT_ERROR = 0x370, LAPIC_TIMER_INIT = 0x380, LAPIC_TIMER_CURRENT = 0x390,
    LAPIC_TIMER_DIVIDE = 0x3E0,

    SVR_ENABLE = 1u << 8,
    LVT_MASKED = 1u << 16,
    LVT_PERIODIC = 1u << 17,
    TIMER_DIVIDE_16 = 0x3,
    ICR_NMI = 4u << 8, ICR_INIT = 5u << 8, ICR_STARTUP = 6u << 8,
    ICR_PENDING = 1u << 12,         /* delivery status: not yet accepted */
    ICR_ASSERT = 1u << 14,
    ICR_LEVEL = 1u << 15,

    APIC_BASE_ENABLE = 1u << 11,    /* IA32_APIC_BASE: global enable */
    CAL_TICKS = 15,                 /* PIT tick intervals measured */
    QEMU_APIC_HZ = 1000000000,      /* provisional: QEMU's APIC bus clock */
    IPI_WAIT_LOOPS = 1000000,       /* polls of the delivery status */
};

static void *lapic;     /* the registers (mmio_map), the same on every CPU */
uint32_t lapic_timer_per_tick;
static uint32_t provisional_per_tick;

/* SAFETY: `lapic` is the local APIC's 4 KiB page, mapped uncached by
 * lapic_init before any caller; every CPU sees its own APIC at that
 * address, and reg is one of the aligned registers of lapic.h. */
static uint32_t lapic_read(uint32_t reg)
{
    return mmio_read32(lapic, reg);
}

/* SAFETY: as lapic_read. */
static void lapic_write(uint32_t reg, uint32_t value)
{
    mmio_write32(lapic, reg, value);
}

static bool cpu_has_apic(void)
{
    uint32_t eax = 1, ebx, ecx, edx;
    /* SAFETY: cpuid only reads CPU identification into registers. */
    __asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
    return edx & (1u << 9);
}

bool lapic_init(void)
{
    if (!cpu_has_apic())
        return false;
    uint64_t base = rdmsr(MSR_APIC_BASE);
    /* Firmware leaves it enabled; say so again (11.4.3). */
    wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    lapic = mmio_map(base & 0xFFFFF000u, 0x1000);
    return lapic != NULL;
}

bool lapic_present(void)
{
    return lapic != NULL;
}

void lapic_init_cpu(bool keep_lint0)
{
    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
    lapic_write(LAPIC_SVR, SVR_ENABLE | T_LAPIC_SPURIOUS);
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
    lapic_write(LAPIC_LVT_ERROR, LVT_MASKED);
    if (!keep_lint0)
        lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
    lapic_write(LAPIC_ESR, 0);      /* back-to-back writes clear it (11.5.3) */
    lapic_write(LAPIC_ESR, 0);
    lapic_write(LAPIC_TPR, 0);      /* accept every priority */
    lapic_eoi();                    /* nothing may stay in service from before */
}

uint8_t lapic_id(void)
{
    return (uint8_t)(lapic_read(LAPIC_ID) >> 24);
}

void lapic_eoi(void)
{
    lapic_write(LAPIC_EOI, 0);
}

static bool icr_idle(void)
{
    for (int i = 0; i < IPI_WAIT_LOOPS; i++) {
        if (!(lapic_read(LAPIC_ICR_LOW) & ICR_PENDING))
            return true;
        /* SAFETY: `pause` only hints a spin-wait loop. */
        __asm__ volatile("pause");
    }
    return false;
}

/* Write the ICR, high word (destination) first: writing the low word
 * sends. Interrupts off, so that an interrupt handler's own IPI cannot
 * land between the two writes. */
static bool icr_send(uint8_t apic_id, uint32_t low)
{
    uint32_t s = irq_save();
    bool ok = icr_idle();
    if (ok) {
        lapic_write(LAPIC_ICR_HIGH, (uint32_t)apic_id << 24);
        lapic_write(LAPIC_ICR_LOW, low);
        ok = icr_idle();
    }
    irq_restore(s);
    return ok;
}

bool lapic_send_ipi(uint8_t apic_id, uint8_t vector)
{
    return icr_send(apic_id, vector);       /* fixed delivery, physical */
}

bool lapic_send_nmi(uint8_t apic_id)
{
    return icr_send(apic_id, ICR_NMI);
}

bool lapic_send_init(uint8_t apic_id)
{
    return icr_send(apic_id, ICR_INIT | ICR_LEVEL | ICR_ASSERT);
}

bool lapic_send_startup(uint8_t apic_id, uint32_t page_pa)
{
    return icr_send(apic_id, ICR_STARTUP | (page_pa >> 12));
}

/* ---- the timer ---- */

static void timer_periodic(uint32_t count)
{
    lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_16);
    lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | T_LAPIC_TIMER);
    lapic_write(LAPIC_TIMER_INIT, count);
    this_cpu()->lapic_timer_count = count;
}

void lapic_timer_start_calibration(void)
{
    lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_16);
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);       /* one-shot, silent */
    lapic_write(LAPIC_TIMER_INIT, 0xFFFFFFFFu);
}

/* The median of n counts (n small): one PIT interrupt handled late
 * makes one difference long and the next one short; the median ignores
 * both. */
static uint32_t median(uint32_t *v, int n)
{
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            uint32_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return v[n / 2];
}

void lapic_timer_calibrate_tick(uint32_t pit_hz)
{
    static uint32_t ticks_seen, last_count, per_tick[CAL_TICKS];
    if (lapic_timer_per_tick != 0)
        return;
    if (provisional_per_tick == 0)
        provisional_per_tick = QEMU_APIC_HZ / 16 / pit_hz;
    uint32_t now = lapic_read(LAPIC_TIMER_CURRENT);
    if (ticks_seen > 0)
        per_tick[ticks_seen - 1] = last_count - now;    /* counts down */
    last_count = now;
    if (++ticks_seen <= CAL_TICKS)
        return;
    uint32_t count = median(per_tick, CAL_TICKS);
    if (count == 0) {           /* the timer does not count: try again */
        ticks_seen = 0;
        return;
    }
    lapic_timer_per_tick = count;
    lapic_write(LAPIC_TIMER_INIT, 0);       /* CPU 0 keeps the PIT */
    kprintf("lapic: timer %u counts per %u Hz tick (bus ~%u MHz; QEMU's is 1000)\n",
            count, pit_hz, (unsigned)((uint64_t)count * 16 * pit_hz / 1000000));
}

void lapic_timer_start(void)
{
    uint32_t count = lapic_timer_per_tick ? lapic_timer_per_tick : provisional_per_tick;
    if (count == 0)
        count = QEMU_APIC_HZ / 16 / 100;
    timer_periodic(count);
}

void lapic_timer_tick(void)
{
    uint32_t want = lapic_timer_per_tick;
    if (want != 0 && this_cpu()->lapic_timer_count != want)
        timer_periodic(want);
}
#endif /* LAB >= 5 */
