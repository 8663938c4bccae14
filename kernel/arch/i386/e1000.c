/*
 * e1000.c -- the Intel 82540EM driver: reset, MAC, descriptor rings,
 * interrupts, statistics (see e1000.h). Section numbers: the PCI/PCI-X
 * Family of Gigabit Ethernet Controllers Software Developer's Manual.
 */
#if LAB >= 6
#include "arch/i386/e1000.h"
#include "arch/i386/e1000_regs.h"
#include "arch/i386/mmio.h"
#include "arch/i386/pci.h"
#include "abi/errno.h"
#include "console.h"
#include "lab.h"
#include "mm/pmm.h"
#include "trap.h"
#include <string.h>

static void *regs;                  /* BAR 0, mapped uncached; NULL: no card */
static int irq_line = -1;
static uint8_t mac_addr[6];
static void (*wakeup)(void);

/* The rings and their buffers live in frames from the direct map, where
 * virtual == physical: the address the CPU writes is the one the card's
 * DMA uses. Protected by the caller's lock (net_lock), see e1000.h. */
static struct e1000_rx_desc *rx_ring;
static struct e1000_tx_desc *tx_ring;
static uint8_t *rx_buf[E1000_RX_RING];
static uint8_t *tx_buf[E1000_TX_RING];
static unsigned rx_next;            /* next descriptor the card will fill */
static unsigned tx_next;            /* next descriptor we fill (= TDT) */
static struct e1000_stats stats;

/* SAFETY: regs is BAR 0 of the card e1000_init probed, mapped uncached
 * (128 KiB); reg is one of e1000.h's aligned register offsets. */
static uint32_t rd(uint32_t reg) { return mmio_read32(regs, reg); }
/* SAFETY: as rd. */
static void wr(uint32_t reg, uint32_t v) { mmio_write32(regs, reg, v); }

/* A zeroed frame, as a pointer; NULL when memory is out. */
static void *dma_frame(void)
{
    paddr_t pa = frame_alloc();
    if (pa == 0)
        return NULL;
    /* SAFETY: integer -> pointer: frames come from the direct map below
     * PMM_LIMIT, where the kernel's virtual address is the physical one,
     * so the card's DMA to pa and our accesses through this pointer hit
     * the same bytes. The frame is ours until the card is reset. */
    void *p = (void *)(uintptr_t)pa;
    memset(p, 0, PAGE_SIZE);
    return p;
}

/* SAFETY: pointer -> integer: a direct-map address is its own physical
 * address (see dma_frame), which is what descriptors and ring base
 * registers hold. */
static uint32_t phys(const void *p) { return (uint32_t)(uintptr_t)p; }

/* The card resets itself in about a microsecond (13.4.1: RST is
 * self-clearing); poll a bounded number of times instead of sleeping. */
static bool reset(void)
{
    wr(E1000_IMC, 0xFFFFFFFFu);             /* no interrupts while we set up */
    wr(E1000_CTRL, rd(E1000_CTRL) | E1000_CTRL_RST);
    for (int i = 0; i < 1000000; i++)
        if (!(rd(E1000_CTRL) & E1000_CTRL_RST)) {
            wr(E1000_IMC, 0xFFFFFFFFu);     /* 13.4.20: reset sets no mask, but be sure */
            (void)rd(E1000_ICR);            /* and forget causes from before */
            wr(E1000_CTRL, rd(E1000_CTRL) | E1000_CTRL_SLU | E1000_CTRL_ASDE);
            return true;
        }
    return false;
}

/* One 16-bit EEPROM word through EERD (13.4.4); false if the read never
 * completes (a card without EEPROM access). */
static bool eeprom_read(uint8_t addr, uint16_t *word)
{
    wr(E1000_EERD, E1000_EERD_ADDR(addr) | E1000_EERD_START);
    for (int i = 0; i < 100000; i++) {
        uint32_t v = rd(E1000_EERD);
        if (v & E1000_EERD_DONE) {
            *word = E1000_EERD_DATA(v);
            return true;
        }
    }
    return false;
}

/* The MAC: EEPROM words 0-2 (5.6.1, table 5-2), little-endian byte
 * pairs; if the EEPROM does not answer, what the card loaded into RAL0/
 * RAH0 at reset. Written back to RAL0/RAH0 with Address Valid so the
 * receive filter accepts frames for it (13.5.2). */
static void read_mac(void)
{
    uint16_t w[3];
    if (eeprom_read(0, &w[0]) && eeprom_read(1, &w[1]) && eeprom_read(2, &w[2])) {
        for (int i = 0; i < 3; i++) {
            mac_addr[2 * i] = (uint8_t)w[i];
            mac_addr[2 * i + 1] = (uint8_t)(w[i] >> 8);
        }
    } else {
        uint32_t lo = rd(E1000_RAL0), hi = rd(E1000_RAH0);
        for (int i = 0; i < 4; i++)
            mac_addr[i] = (uint8_t)(lo >> (8 * i));
        mac_addr[4] = (uint8_t)hi, mac_addr[5] = (uint8_t)(hi >> 8);
    }
    wr(E1000_RAL0, (uint32_t)mac_addr[0] | (uint32_t)mac_addr[1] << 8 |
                   (uint32_t)mac_addr[2] << 16 | (uint32_t)mac_addr[3] << 24);
    wr(E1000_RAH0, (uint32_t)mac_addr[4] | (uint32_t)mac_addr[5] << 8 | E1000_RAH_AV);
}

/* Receive (14.4): every descriptor gets a buffer; the card owns all but
 * one (head 0, tail N-1: head == tail would mean "none free"). */
static bool rx_init(void)
{
    if ((rx_ring = dma_frame()) == NULL)
        return false;
    for (unsigned i = 0; i < E1000_RX_RING; i += PAGE_SIZE / E1000_BUF_SIZE) {
        uint8_t *page = dma_frame();
        if (page == NULL)
            return false;
        for (unsigned j = 0; j < PAGE_SIZE / E1000_BUF_SIZE && i + j < E1000_RX_RING; j++) {
            rx_buf[i + j] = page + j * E1000_BUF_SIZE;
            rx_ring[i + j].addr = phys(rx_buf[i + j]);
        }
    }
    for (unsigned i = 0; i < 128; i++)
        wr(E1000_MTA + 4 * i, 0);           /* no multicast */
    wr(E1000_RDBAL, phys(rx_ring));
    wr(E1000_RDBAH, 0);
    wr(E1000_RDLEN, E1000_RX_RING * sizeof(struct e1000_rx_desc));
    wr(E1000_RDH, 0);
    wr(E1000_RDT, E1000_RX_RING - 1);
    rx_next = 0;
    wr(E1000_RCTL, E1000_RCTL_EN | E1000_RCTL_BAM | E1000_RCTL_BSIZE_2048 | E1000_RCTL_SECRC);
    return true;
}

/* Transmit (14.5): descriptors start "done" (DD set), so a descriptor is
 * free exactly when DD is set. */
static bool tx_init(void)
{
    if ((tx_ring = dma_frame()) == NULL)
        return false;
    for (unsigned i = 0; i < E1000_TX_RING; i += PAGE_SIZE / E1000_BUF_SIZE) {
        uint8_t *page = dma_frame();
        if (page == NULL)
            return false;
        for (unsigned j = 0; j < PAGE_SIZE / E1000_BUF_SIZE && i + j < E1000_TX_RING; j++) {
            tx_buf[i + j] = page + j * E1000_BUF_SIZE;
            tx_ring[i + j].addr = phys(tx_buf[i + j]);
            tx_ring[i + j].status = E1000_TXD_STAT_DD;
        }
    }
    wr(E1000_TDBAL, phys(tx_ring));
    wr(E1000_TDBAH, 0);
    wr(E1000_TDLEN, E1000_TX_RING * sizeof(struct e1000_tx_desc));
    wr(E1000_TDH, 0);
    wr(E1000_TDT, 0);
    tx_next = 0;
    wr(E1000_TCTL, E1000_TCTL_EN | E1000_TCTL_PSP | E1000_TCTL_CT(0x10) | E1000_TCTL_COLD(0x40));
    wr(E1000_TIPG, E1000_TIPG_VALUE);
    return true;
}

/* Reading ICR clears the causes and lowers the interrupt line (13.4.17);
 * 0 means the (possibly shared) line was raised by another device. The
 * rings are left to the network thread. */
static void e1000_interrupt(struct trapframe *tf)
{
    (void)tf;
    uint32_t icr = rd(E1000_ICR);
    if (icr == 0)
        return;
    __atomic_fetch_add(&stats.irqs, 1, __ATOMIC_RELAXED);
    void (*fn)(void) = wakeup;
    if (fn != NULL)
        fn();
}

/* The line the firmware routed INTA# to, if it is one we can take: an ISA
 * IRQ that is not the timer, the cascade or already a known device's. */
static int usable_irq(const struct pci_func *f)
{
    if (f->irq_pin == 0 || f->irq_line == 0 || f->irq_line >= 16 || f->irq_line == 2)
        return -1;
    return f->irq_line;
}

bool e1000_probe(bool use_irq)
{
    pci_scan();
    const struct pci_func *f = pci_find(E1000_VENDOR_INTEL, E1000_DEV_82540EM);
    if (f == NULL)
        return false;
    if (f->bar[0].io || f->bar[0].base == 0 || f->bar[0].size < 0x6000) {
        kprintf("e1000: BAR 0 is not a memory BAR (%x, size %x)\n", f->bar[0].base, f->bar[0].size);
        return false;
    }
    pci_enable(f);                          /* memory decoding and bus mastering (DMA) */
    regs = mmio_map(f->bar[0].base, f->bar[0].size);
    if (regs == NULL || !reset()) {
        kprintf("e1000: %s\n", regs == NULL ? "no room in the MMIO window" : "reset never finished");
        regs = NULL;
        return false;
    }
    read_mac();
    if (!rx_init() || !tx_init()) {
        kprintf("e1000: out of memory for the descriptor rings\n");
        wr(E1000_RCTL, 0), wr(E1000_TCTL, 0);
        regs = NULL;
        return false;
    }
    irq_line = use_irq ? usable_irq(f) : -1;
    if (irq_line >= 0) {
        irq_register(irq_line, e1000_interrupt);
        wr(E1000_IMS, E1000_INT_RXT0 | E1000_INT_RXO | E1000_INT_RXDMT0 | E1000_INT_LSC);
    }
    kprintf("e1000: %02x:%02x.%x mem %x irq %d mac %02x:%02x:%02x:%02x:%02x:%02x link %s\n",
            f->bus, f->dev, f->fn, f->bar[0].base, irq_line, mac_addr[0], mac_addr[1],
            mac_addr[2], mac_addr[3], mac_addr[4], mac_addr[5], e1000_link_up() ? "up" : "down");
    return true;
}

bool e1000_present(void) { return regs != NULL; }
int e1000_irq(void) { return irq_line; }
void e1000_set_wakeup(void (*fn)(void)) { wakeup = fn; }

void e1000_get_mac(uint8_t mac[6])
{
    memcpy(mac, mac_addr, 6);
}

bool e1000_link_up(void)
{
    return regs != NULL && (rd(E1000_STATUS) & E1000_STATUS_LU);
}

int e1000_transmit(const uint8_t *frame, size_t len)
{
    if (regs == NULL)
        return -EINVAL;
    if (len > E1000_BUF_SIZE || len == 0)
        return -EINVAL;
#if SOLVED >= 6
    struct e1000_tx_desc *d = &tx_ring[tx_next];
    /* SAFETY: volatile read of a status byte the card writes by DMA:
     * the compiler must load it every time, not reuse an old value. */
    if (!(*(volatile uint8_t *)&d->status & E1000_TXD_STAT_DD)) {
        stats.tx_ring_full++;               /* the card has not sent it yet */
        return -ENOBUFS;
    }
    memcpy(tx_buf[tx_next], frame, len);
    d->length = (uint16_t)len;
    d->cmd = E1000_TXD_CMD_EOP | E1000_TXD_CMD_IFCS | E1000_TXD_CMD_RS;
    d->status = 0;
    tx_next = (tx_next + 1) % E1000_TX_RING;
    /* The descriptor is complete before the tail moves past it: the card
     * may fetch it the moment TDT changes. mmio_write32's barrier keeps
     * the compiler's order, x86 keeps the stores' (3.3.1). */
    wr(E1000_TDT, tx_next);
    return 0;
#else
    /* LAB 6 exercise 2: the descriptor tx_ring[tx_next] is free when the
     * card has set DD in its status (read it through a volatile pointer:
     * the card writes it by DMA); if not, count stats.tx_ring_full and
     * return -ENOBUFS. Copy the frame into tx_buf[tx_next] (its physical
     * address is already in the descriptor), set length, cmd EOP | IFCS |
     * RS and status 0, and only then move the tail: tx_next one on
     * (modulo E1000_TX_RING), written to TDT. The card reads the
     * descriptor as soon as TDT passes it (manual 3.3, 3.4). */
    (void)frame;
    LAB_TODO_ONCE(6, 2, "e1000_transmit() (kernel/arch/i386/e1000.c)");
    return -EIO;
#endif
}

bool e1000_rx_pending(void)
{
    /* SAFETY: volatile read of a status byte the card writes by DMA. */
    return regs != NULL && (*(volatile uint8_t *)&rx_ring[rx_next].status & E1000_RXD_STAT_DD);
}

/* Hand descriptor rx_next back to the card: clear it, move the tail onto
 * it (the card fills up to, not including, the tail). */
static void rx_give_back(void)
{
    rx_ring[rx_next].status = 0;
    unsigned done = rx_next;
    rx_next = (rx_next + 1) % E1000_RX_RING;
    wr(E1000_RDT, done);
}

size_t e1000_receive(uint8_t *buf, size_t cap)
{
#if SOLVED >= 6
    while (e1000_rx_pending()) {
        /* DD was set after the card wrote length, errors and the data;
         * the compiler must not load those before it read DD. */
        __asm__ volatile("" : : : "memory");    /* SAFETY: compiler barrier only */
        struct e1000_rx_desc *d = &rx_ring[rx_next];
        size_t len = d->length;
        bool good = (d->status & E1000_RXD_STAT_EOP) && d->errors == 0 && len <= cap &&
                    len <= E1000_BUF_SIZE;
        if (good)
            memcpy(buf, rx_buf[rx_next], len);
        else
            stats.rx_errors++;              /* a bad frame, or one spread over buffers */
        rx_give_back();
        if (good)
            return len;
    }
    return 0;
#else
    /* LAB 6 exercise 3: while e1000_rx_pending() (DD set in
     * rx_ring[rx_next]): a compiler barrier (the card wrote length,
     * errors and the data before DD), then take the frame if it is whole
     * and clean -- EOP set, no errors, length <= cap and <= E1000_BUF_SIZE
     * -- by copying it from rx_buf[rx_next] into buf; else count
     * stats.rx_errors. Either way rx_give_back() the descriptor, and
     * return the length of the first good frame; 0 when none is left.
     * Until then every frame is thrown away here (netd must not spin on
     * a ring that stays full). */
    (void)buf; (void)cap;
    LAB_TODO_ONCE(6, 3, "e1000_receive() (kernel/arch/i386/e1000.c)");
    while (e1000_rx_pending()) {
        stats.rx_errors++;
        rx_give_back();
    }
    return 0;
#endif
}

void e1000_get_stats(struct e1000_stats *out)
{
    if (regs != NULL) {
        stats.crc_errors += rd(E1000_CRCERRS);
        stats.missed += rd(E1000_MPC);
        stats.no_buffers += rd(E1000_RNBC);
        stats.rx_packets += rd(E1000_GPRC);
        stats.tx_packets += rd(E1000_GPTC);
        /* The octet counters clear when their high half is read (13.7). */
        stats.rx_bytes += rd(E1000_GORCL) | (uint64_t)rd(E1000_GORCH) << 32;
        stats.tx_bytes += rd(E1000_GOTCL) | (uint64_t)rd(E1000_GOTCH) << 32;
    }
    *out = stats;
}
#endif /* LAB >= 6 */
