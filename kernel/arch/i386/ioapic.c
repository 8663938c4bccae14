/*
 * ioapic.c -- the I/O APIC driver (ioapic.h).
 *
 * The chip has two registers in its MMIO page: IOREGSEL selects an
 * internal register, IOWIN reads or writes it. That select-then-access
 * pair is not atomic, so every access takes ioapic_lock (with interrupts
 * off: an interrupt handler on this CPU must not select another register
 * in between). 82093AA datasheet, 3.0-3.2.
 */
#if LAB >= 5
#include "arch/i386/ioapic.h"
#include "arch/i386/acpi.h"
#include "arch/i386/mmio.h"
#include "console.h"
#include "sync/spinlock.h"

#define IOREGSEL   0x00
#define IOWIN      0x10
#define REG_ID     0x00
#define REG_VER    0x01     /* bits 16-23: the highest redirection entry's index */
#define REG_REDIR  0x10     /* entry n: low word at 0x10 + 2n, high word after it */

struct ioapic {
    void *regs;             /* mmio_map() of its registers */
    uint8_t id;
    uint32_t gsi_base;
    int inputs;
};

static struct spinlock ioapic_lock = SPINLOCK_INIT("ioapic");
/* protected by ioapic_lock (filled once by ioapic_init before any use): */
static struct ioapic chips[ACPI_MAX_IOAPICS];
static int nchips;

/* SAFETY: c->regs is the chip's register window, mapped uncached by
 * ioapic_init (mmio_map of the MADT's address); IOREGSEL then IOWIN is an
 * index/data pair, so callers hold ioapic_lock (or run alone at boot). */
static uint32_t read_reg(struct ioapic *c, uint32_t reg)
{
    mmio_write32(c->regs, IOREGSEL, reg);
    return mmio_read32(c->regs, IOWIN);
}

/* SAFETY: as read_reg: the index/data pair under ioapic_lock. */
static void write_reg(struct ioapic *c, uint32_t reg, uint32_t value)
{
    mmio_write32(c->regs, IOREGSEL, reg);
    mmio_write32(c->regs, IOWIN, value);
}

/* Write entry n, masked while half-written: the high word (destination)
 * first with the low word masked, then the low word as wanted. */
static void write_entry(struct ioapic *c, int n, uint64_t entry)
{
    write_reg(c, REG_REDIR + 2 * (uint32_t)n, IOAPIC_MASKED);
    write_reg(c, REG_REDIR + 2 * (uint32_t)n + 1, (uint32_t)(entry >> 32));
    write_reg(c, REG_REDIR + 2 * (uint32_t)n, (uint32_t)entry);
}

/* The chip with input gsi, and the input's index there; NULL if none. */
static struct ioapic *chip_of(uint32_t gsi, int *n)
{
    for (int i = 0; i < nchips; i++)
        if (gsi >= chips[i].gsi_base && gsi - chips[i].gsi_base < (uint32_t)chips[i].inputs) {
            *n = (int)(gsi - chips[i].gsi_base);
            return &chips[i];
        }
    return NULL;
}

bool ioapic_init(void)
{
    uint32_t s = spin_lock_irqsave(&ioapic_lock);
    nchips = 0;
    for (int i = 0; i < acpi_madt.nioapics; i++) {
        struct ioapic *c = &chips[nchips];
        c->regs = mmio_map(acpi_madt.ioapics[i].addr, 0x20);
        if (c->regs == NULL)
            continue;
        c->id = acpi_madt.ioapics[i].id;
        c->gsi_base = acpi_madt.ioapics[i].gsi_base;
        c->inputs = (int)((read_reg(c, REG_VER) >> 16) & 0xFF) + 1;
        for (int n = 0; n < c->inputs; n++)
            write_entry(c, n, IOAPIC_MASKED);
        nchips++;
    }
    spin_unlock_irqrestore(&ioapic_lock, s);
    for (int i = 0; i < nchips; i++)
        kprintf("ioapic: id %u, GSIs %u-%u, all masked\n", chips[i].id,
                (unsigned)chips[i].gsi_base, (unsigned)(chips[i].gsi_base + chips[i].inputs - 1));
    return nchips > 0;
}

bool ioapic_route_gsi(uint32_t gsi, int vector, int apic_id, bool active_low, bool level)
{
    uint32_t s = spin_lock_irqsave(&ioapic_lock);
    int n;
    struct ioapic *c = chip_of(gsi, &n);
    if (c != NULL)
        write_entry(c, n, ioapic_entry((uint8_t)vector, (uint8_t)apic_id, active_low, level,
                                       false));
    spin_unlock_irqrestore(&ioapic_lock, s);
    return c != NULL;
}

void ioapic_route(int isa_irq, int vector, int apic_id)
{
    struct acpi_irq_route r = acpi_isa_route(&acpi_madt, isa_irq);
    if (r.gsi == ACPI_NO_GSI || !ioapic_route_gsi(r.gsi, vector, apic_id, r.active_low, r.level))
        kprintf("ioapic: IRQ%d reaches no I/O APIC input: not routed\n", isa_irq);
}

void ioapic_mask(int isa_irq)
{
    struct acpi_irq_route r = acpi_isa_route(&acpi_madt, isa_irq);
    uint32_t s = spin_lock_irqsave(&ioapic_lock);
    int n;
    struct ioapic *c = r.gsi == ACPI_NO_GSI ? NULL : chip_of(r.gsi, &n);
    if (c != NULL)
        write_reg(c, REG_REDIR + 2 * (uint32_t)n,
                  read_reg(c, REG_REDIR + 2 * (uint32_t)n) | IOAPIC_MASKED);
    spin_unlock_irqrestore(&ioapic_lock, s);
}

bool ioapic_read_entry(uint32_t gsi, uint64_t *entry)
{
    uint32_t s = spin_lock_irqsave(&ioapic_lock);
    int n;
    struct ioapic *c = chip_of(gsi, &n);
    if (c != NULL)
        *entry = (uint64_t)read_reg(c, REG_REDIR + 2 * (uint32_t)n + 1) << 32 |
                 read_reg(c, REG_REDIR + 2 * (uint32_t)n);
    spin_unlock_irqrestore(&ioapic_lock, s);
    return c != NULL;
}

int ioapic_inputs(void)
{
    int total = 0;
    for (int i = 0; i < nchips; i++)
        total += chips[i].inputs;
    return total;
}
#endif /* LAB >= 5 */
