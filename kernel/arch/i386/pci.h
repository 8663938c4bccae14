/*
 * pci.h -- the PCI bus: configuration space, the devices on it, their
 * BARs and interrupt lines.
 *
 * Configuration mechanism #1 (PCI Local Bus Specification 3.0, 3.2.2.3.2):
 * the address of a 32-bit configuration register goes to port 0xCF8, the
 * register itself is read or written at 0xCFC. pci_scan() walks bus 0 and
 * every bus behind a PCI-to-PCI bridge once at boot and keeps what it
 * found in a table that lspci and drivers read.
 */
#ifndef ARCH_I386_PCI_H
#define ARCH_I386_PCI_H

#if LAB >= 6
#include <stdbool.h>
#include <stdint.h>

#define PCI_MAX_FUNCS 32
#define PCI_NBARS     6

/* Configuration-space offsets (PCI 3.0, 6.1, figure 6-1, header type 0). */
#define PCI_VENDOR_ID      0x00
#define PCI_COMMAND        0x04
#define PCI_CLASS_REV      0x08
#define PCI_HEADER_TYPE    0x0E
#define PCI_BAR0           0x10
#define PCI_SECONDARY_BUS  0x19     /* type 1 (bridge) header */
#define PCI_INTERRUPT_LINE 0x3C
#define PCI_INTERRUPT_PIN  0x3D

/* Command register bits (PCI 3.0, 6.2.2). */
#define PCI_CMD_IO          0x0001
#define PCI_CMD_MEMORY      0x0002
#define PCI_CMD_BUS_MASTER  0x0004

struct pci_bar {
    uint32_t base;      /* physical address (memory) or port (I/O); 0: unused */
    uint32_t size;      /* bytes the device decodes */
    bool io;            /* an I/O-space BAR */
    bool prefetchable;
};

struct pci_func {
    uint8_t bus, dev, fn;
    uint16_t vendor, device;
    uint8_t class_code, subclass, prog_if, revision;
    uint8_t irq_line;   /* the 8259/ISA IRQ the firmware routed INTx to; 0xFF: none */
    uint8_t irq_pin;    /* 0: no interrupt, 1-4: INTA#-INTD# */
    struct pci_bar bar[PCI_NBARS];
};

uint32_t pci_config_read32(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t offset);
void pci_config_write32(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t offset, uint32_t value);

/* Enumerate the bus (once; later calls return the same count). */
int pci_scan(void);
int pci_count(void);
const struct pci_func *pci_at(int i);
/* The first function with this vendor and device id, or NULL. */
const struct pci_func *pci_find(uint16_t vendor, uint16_t device);
/* Turn on memory and I/O decoding and bus mastering (DMA). */
void pci_enable(const struct pci_func *f);
/* "Ethernet controller" and friends; "unknown" otherwise. */
const char *pci_class_name(uint8_t class_code, uint8_t subclass);
#endif /* LAB >= 6 */

#endif
