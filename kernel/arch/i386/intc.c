/* intc.c -- the interrupt controller switch (intc.h), lab 5. */
#if LAB >= 5
#include "arch/i386/intc.h"
#include "arch/i386/acpi.h"
#include "arch/i386/ioapic.h"
#include "arch/i386/idt.h"
#include "arch/i386/pic.h"
#include "arch/i386/lapic.h"
#include "arch/i386/percpu.h"
#include "cmdline.h"
#include "console.h"
#include "multiboot.h"

enum intc_mode intc_mode = INTC_PIC;

/* The APICs only with several CPUs (or apic=1 on the command line): with
 * one CPU the 8259 does everything the kernel needs, exactly as in lab 4
 * (and the lab-5 handout's -smp 1 runs, and Bochs, stay on it). */
static bool apic_wanted(void)
{
    char value[4];
    if (cmdline_value(boot_info.harness_cmdline, "apic", value, sizeof value))
        return value[0] == '1';
    return ncpus > 1;
}

static void apic_init(void)
{
    if (!acpi_init() || !apic_wanted() || !lapic_init()) {
        ncpus = 1;
        return;
    }
    bool ioapic = ioapic_init();
    lapic_init_cpu(!ioapic);
    cpus[0].apic_id = lapic_id();
    if (ioapic) {
        pic_disable();          /* every 8259 line masked from now on */
        intc_mode = INTC_IOAPIC;
    } else {
        intc_mode = INTC_PIC_LAPIC;
    }
    lapic_timer_start_calibration();
}

void intc_init(void)
{
    pic_init();
    apic_init();
    kprintf("intc: %s, %d CPU%s\n", intc_name(), ncpus, ncpus == 1 ? "" : "s");
}

void intc_unmask(int irq)
{
    if (intc_mode == INTC_IOAPIC) {
        ioapic_route(irq, T_IRQ0 + irq, cpus[0].apic_id);   /* all to the boot CPU */
        return;
    }
    pic_unmask(irq);
}

void intc_eoi(int irq)
{
    if (intc_mode == INTC_IOAPIC) {
        lapic_eoi();
        return;
    }
    pic_send_eoi(irq);
}

bool intc_is_spurious(int irq)
{
    return intc_mode != INTC_IOAPIC && pic_is_spurious(irq);
}

const char *intc_name(void)
{
    switch (intc_mode) {
    case INTC_PIC_LAPIC:
        return "8259 PIC for ISA IRQs, local APICs for timers and IPIs";
    case INTC_IOAPIC:
        return "I/O APIC and local APICs";
    default:
        return "8259 PIC";
    }
}
#endif /* LAB >= 5 */
