/*
 * pci.c -- PCI configuration space through ports 0xCF8/0xCFC, and the
 * enumeration of buses, devices and functions (see pci.h).
 */
#if LAB >= 6
#include "arch/i386/pci.h"
#include "arch/i386/io.h"
#include "lab.h"
#include "sync/spinlock.h"

#define PCI_CONFIG_ADDRESS 0xCF8
#define PCI_CONFIG_DATA    0xCFC

/* The address and data ports are one shared register pair: a second CPU
 * writing 0xCF8 between our write and our read would make us read its
 * register. */
static struct spinlock pci_lock = SPINLOCK_INIT("pci");

static struct pci_func funcs[PCI_MAX_FUNCS];    /* written once, by pci_scan */
static int nfuncs = -1;                         /* -1: not scanned yet */

/* PCI 3.0, 3.2.2.3.2, figure 3-2: enable bit, bus, device, function,
 * register (dword aligned). */
static uint32_t config_address(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t offset)
{
#if SOLVED >= 6
    return 0x80000000u | (uint32_t)bus << 16 | (uint32_t)(dev & 31) << 11 |
           (uint32_t)(fn & 7) << 8 | (offset & 0xFC);
#else
    /* LAB 6 exercise 1: the dword for port 0xCF8 (PCI 3.0, figure 3-2):
     * bit 31 enable, bits 23-16 bus, 15-11 device (5 bits), 10-8
     * function (3 bits), 7-2 the register number (offset & 0xFC: config
     * space is read a dword at a time). Without the enable bit the
     * chipset ignores the access and every read is all ones: no device. */
    (void)bus; (void)dev; (void)fn; (void)offset;
    LAB_TODO_ONCE(6, 1, "config_address() (kernel/arch/i386/pci.c)");
    return 0;
#endif
}

/* SAFETY: 0xCF8/0xCFC (configuration mechanism #1) are the chipset's, and
 * only this file touches them; an access is an address write then a data
 * access, so both happen under pci_lock with interrupts off -- another
 * CPU or an interrupt handler cannot move the address in between. */
uint32_t pci_config_read32(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t offset)
{
    uint32_t s = spin_lock_irqsave(&pci_lock);
    outl(PCI_CONFIG_ADDRESS, config_address(bus, dev, fn, offset));
    uint32_t value = inl(PCI_CONFIG_DATA);
    spin_unlock_irqrestore(&pci_lock, s);
    return value;
}

/* SAFETY: as pci_config_read32: the address/data pair under pci_lock. */
void pci_config_write32(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t offset, uint32_t value)
{
    uint32_t s = spin_lock_irqsave(&pci_lock);
    outl(PCI_CONFIG_ADDRESS, config_address(bus, dev, fn, offset));
    outl(PCI_CONFIG_DATA, value);
    spin_unlock_irqrestore(&pci_lock, s);
}

/* A BAR's size: write all ones, read back which bits stick, restore
 * (PCI 3.0, 6.2.5.1). Decoding is off meanwhile so the device does not
 * answer at the all-ones address. Returns the size; *raw gets the BAR. */
static uint32_t bar_size(const struct pci_func *f, int i, uint32_t *raw)
{
    uint8_t off = (uint8_t)(PCI_BAR0 + 4 * i);
    uint32_t cmd = pci_config_read32(f->bus, f->dev, f->fn, PCI_COMMAND);
    pci_config_write32(f->bus, f->dev, f->fn, PCI_COMMAND,
                       cmd & ~(uint32_t)(PCI_CMD_IO | PCI_CMD_MEMORY) & 0xFFFF);
    *raw = pci_config_read32(f->bus, f->dev, f->fn, off);
    pci_config_write32(f->bus, f->dev, f->fn, off, 0xFFFFFFFFu);
    uint32_t mask = pci_config_read32(f->bus, f->dev, f->fn, off);
    pci_config_write32(f->bus, f->dev, f->fn, off, *raw);
    pci_config_write32(f->bus, f->dev, f->fn, PCI_COMMAND, cmd & 0xFFFF);
    mask &= (*raw & 1) ? ~3u : ~15u;        /* drop the type bits */
    if (*raw & 1)
        mask |= 0xFFFF0000u;                /* I/O BARs may leave the top bits 0 */
    return mask == 0 ? 0 : ~mask + 1;
}

/* Fill f->bar[]: memory BARs (bit 0 = 0) with type 00 (32-bit) or 10
 * (64-bit: the next BAR holds the high half, which must be 0 for us),
 * and I/O BARs (bit 0 = 1). */
static void read_bars(struct pci_func *f)
{
    for (int i = 0; i < PCI_NBARS; i++) {
        uint32_t raw;
        uint32_t size = bar_size(f, i, &raw);
        struct pci_bar *b = &f->bar[i];
        b->io = raw & 1;
        b->base = raw & (b->io ? ~3u : ~15u);
        b->size = size;
        b->prefetchable = !b->io && (raw & 8);
        if (!b->io && ((raw >> 1) & 3) == 2 && i + 1 < PCI_NBARS) {
            if (pci_config_read32(f->bus, f->dev, f->fn, (uint8_t)(PCI_BAR0 + 4 * (i + 1))) != 0)
                b->base = b->size = 0;      /* above 4 GiB: out of our reach */
            i++;
        }
    }
}

static void scan_bus(uint8_t bus, int depth);

static void add_function(uint8_t bus, uint8_t dev, uint8_t fn, uint32_t id, int depth)
{
    uint32_t class_rev = pci_config_read32(bus, dev, fn, PCI_CLASS_REV);
    uint32_t header = pci_config_read32(bus, dev, fn, PCI_HEADER_TYPE & 0xFC) >> 16 & 0x7F;
    if (nfuncs < PCI_MAX_FUNCS) {
        struct pci_func *f = &funcs[nfuncs++];
        f->bus = bus, f->dev = dev, f->fn = fn;
        f->vendor = (uint16_t)id, f->device = (uint16_t)(id >> 16);
        f->class_code = (uint8_t)(class_rev >> 24), f->subclass = (uint8_t)(class_rev >> 16);
        f->prog_if = (uint8_t)(class_rev >> 8), f->revision = (uint8_t)class_rev;
        uint32_t irq = pci_config_read32(bus, dev, fn, PCI_INTERRUPT_LINE);
        f->irq_line = (uint8_t)irq, f->irq_pin = (uint8_t)(irq >> 8);
        if (header == 0)
            read_bars(f);
    }
    /* A PCI-to-PCI bridge (class 06.04, header type 1): its secondary
     * bus holds more devices. depth bounds a firmware's loop of buses. */
    if (header == 1 && depth < 8) {
        uint8_t secondary = (uint8_t)(pci_config_read32(bus, dev, fn, PCI_SECONDARY_BUS & 0xFC) >> 8);
        if (secondary > bus)
            scan_bus(secondary, depth + 1);
    }
}

static void scan_bus(uint8_t bus, int depth)
{
    for (uint8_t dev = 0; dev < 32; dev++) {
        uint32_t id = pci_config_read32(bus, dev, 0, PCI_VENDOR_ID);
        if ((id & 0xFFFF) == 0xFFFF)
            continue;                       /* nobody answers: no device */
        /* Header type bit 7: a multi-function device (PCI 3.0, 6.2.1). */
        bool multi = pci_config_read32(bus, dev, 0, PCI_HEADER_TYPE & 0xFC) >> 16 & 0x80;
        for (uint8_t fn = 0; fn < (multi ? 8 : 1); fn++) {
            uint32_t fid = fn == 0 ? id : pci_config_read32(bus, dev, fn, PCI_VENDOR_ID);
            if ((fid & 0xFFFF) != 0xFFFF)
                add_function(bus, dev, fn, fid, depth);
        }
    }
}

int pci_scan(void)
{
    if (nfuncs < 0) {
        nfuncs = 0;
        scan_bus(0, 0);
    }
    return nfuncs;
}

int pci_count(void)
{
    return nfuncs < 0 ? 0 : nfuncs;
}

const struct pci_func *pci_at(int i)
{
    return i >= 0 && i < pci_count() ? &funcs[i] : 0;
}

const struct pci_func *pci_find(uint16_t vendor, uint16_t device)
{
    for (int i = 0; i < pci_count(); i++)
        if (funcs[i].vendor == vendor && funcs[i].device == device)
            return &funcs[i];
    return 0;
}

void pci_enable(const struct pci_func *f)
{
    uint32_t cmd = pci_config_read32(f->bus, f->dev, f->fn, PCI_COMMAND) & 0xFFFF;
    cmd |= PCI_CMD_IO | PCI_CMD_MEMORY | PCI_CMD_BUS_MASTER;
    pci_config_write32(f->bus, f->dev, f->fn, PCI_COMMAND, cmd);
}

/* PCI Code and ID Assignment Specification, section 1 (base classes). */
const char *pci_class_name(uint8_t class_code, uint8_t subclass)
{
    static const struct { uint8_t cls, sub; const char *name; } names[] = {
        { 0x01, 0x01, "IDE interface" },    { 0x01, 0x06, "SATA controller" },
        { 0x01, 0xFF, "Mass storage controller" },
        { 0x02, 0x00, "Ethernet controller" }, { 0x02, 0xFF, "Network controller" },
        { 0x03, 0x00, "VGA compatible controller" }, { 0x03, 0xFF, "Display controller" },
        { 0x04, 0xFF, "Multimedia controller" }, { 0x05, 0xFF, "Memory controller" },
        { 0x06, 0x00, "Host bridge" },      { 0x06, 0x01, "ISA bridge" },
        { 0x06, 0x04, "PCI bridge" },       { 0x06, 0x80, "Bridge" },
        { 0x06, 0xFF, "Bridge" },           { 0x0C, 0x03, "USB controller" },
        { 0x0C, 0x05, "SMBus" },            { 0x0C, 0xFF, "Serial bus controller" },
    };
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].cls == class_code && (names[i].sub == subclass || names[i].sub == 0xFF))
            return names[i].name;
    return "unknown";
}
#endif /* LAB >= 6 */
