/*
 * ioapic.h -- the I/O APIC: device interrupt lines -> vectors on CPUs.
 *
 * An I/O APIC has 24 inputs (on a PC) and one 64-bit redirection entry
 * per input that says which vector to raise on which local APIC, with
 * what polarity and trigger mode, or that the input is masked. Inputs are
 * numbered system-wide as GSIs ("global system interrupts"); an ISA IRQ
 * is GSI = IRQ unless the MADT overrides it (on QEMU and Bochs the PIT's
 * IRQ0 is wired to GSI 2). 82093AA datasheet, 3.2; ACPI 6.5 5.2.12.5.
 */
#ifndef ARCH_I386_IOAPIC_H
#define ARCH_I386_IOAPIC_H

#if LAB >= 5
#include <stdbool.h>
#include <stdint.h>

/* Redirection entry bits (82093AA datasheet 3.2.4). Delivery mode 000
 * (fixed) and destination mode 0 (physical: dest is an APIC id). */
#define IOAPIC_ACTIVE_LOW  (1u << 13)
#define IOAPIC_LEVEL       (1u << 15)
#define IOAPIC_MASKED      (1u << 16)
#define IOAPIC_DEST_SHIFT  56

/* The redirection entry that delivers `vector` to the local APIC with id
 * dest. Pure: host-tested. */
static inline uint64_t ioapic_entry(uint8_t vector, uint8_t dest, bool active_low, bool level,
                                    bool masked)
{
    return (uint64_t)dest << IOAPIC_DEST_SHIFT | (masked ? IOAPIC_MASKED : 0) |
           (level ? IOAPIC_LEVEL : 0) | (active_low ? IOAPIC_ACTIVE_LOW : 0) | vector;
}

/* Map every I/O APIC the MADT lists (acpi_init() first) and mask all of
 * their inputs. False if there is none. */
bool ioapic_init(void);
/* Deliver ISA IRQ isa_irq (0-15) as `vector` to the CPU whose local APIC
 * id is apic_id, with the MADT's override (GSI, polarity, trigger) if
 * there is one, and unmask it. */
void ioapic_route(int isa_irq, int vector, int apic_id);
/* The same for any GSI (a PCI device's line, from its own tables);
 * false if no I/O APIC has that input. */
bool ioapic_route_gsi(uint32_t gsi, int vector, int apic_id, bool active_low, bool level);
/* Mask an ISA IRQ's input again (its override followed). */
void ioapic_mask(int isa_irq);
/* The redirection entry of a GSI as the chip has it (tests, `cpus`);
 * false if no I/O APIC has that input. */
bool ioapic_read_entry(uint32_t gsi, uint64_t *entry);
/* Inputs of all I/O APICs together (0 before ioapic_init()). */
int ioapic_inputs(void);
#endif /* LAB >= 5 */

#endif
