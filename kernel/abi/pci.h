/* pci.h -- one PCI function as SYS_pcilist reports it (for lspci). */
#ifndef ABI_PCI_H
#define ABI_PCI_H

#if LAB >= 6
#include <stdint.h>

#define PCI_INFO_MAX     32     /* the kernel never reports more */
#define PCI_INFO_NAME_MAX 32

struct pci_info {
    uint8_t bus, dev, fn;
    uint8_t class_code, subclass, prog_if, revision;
    uint8_t irq_line;           /* ISA IRQ the firmware routed it to; 0 or 0xFF: none */
    uint16_t vendor, device;
    uint32_t bar[6];            /* base: memory address, or I/O port | 1 */
    uint32_t bar_size[6];       /* bytes decoded; 0: BAR unused */
    char class_name[PCI_INFO_NAME_MAX];   /* "Ethernet controller" */
};
#endif /* LAB >= 6 */

#endif
