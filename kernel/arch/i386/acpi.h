/*
 * acpi.h -- find the CPUs and I/O APICs: RSDP -> RSDT/XSDT -> MADT.
 *
 * The parser is pure: it reads memory only through the caller's
 * acpi_map_fn, which turns a physical range into a pointer (or NULL if
 * the range is not memory it can reach). The kernel passes one that uses
 * the direct map or mmio_map() (acpi_boot.c); the host tests pass one over
 * fixture buffers (kernel/tests/host/acpi_test.c). Every table is checked
 * (signature, length, checksum) before a byte of it is believed, and no
 * input, however malformed, makes it read outside what map returned or
 * loop: each failure is an error code and a sentence in info->why.
 *
 * ACPI 6.5: 5.2.5 (RSDP), 5.2.6 (table header), 5.2.7 (RSDT),
 * 5.2.8 (XSDT), 5.2.12 (MADT and its entries). docs/smp-boot.md walks
 * through the byte layouts.
 */
#ifndef ARCH_I386_ACPI_H
#define ARCH_I386_ACPI_H

#if LAB >= 5
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ACPI_MAX_CPUS      32
#define ACPI_MAX_IOAPICS   4
#define ACPI_MAX_LAPIC_NMI 4
#define ACPI_ISA_IRQS      16
#define ACPI_MAX_TABLE_LEN 0x10000u  /* larger is garbage for the tables we read */

/* A pointer to [pa, pa + len), or NULL if that is not reachable memory. */
typedef const void *(*acpi_map_fn)(void *ctx, uint64_t pa, uint32_t len);

enum acpi_error {
    ACPI_OK = 0,
    ACPI_ENORSDP,       /* no RSDP with good checksums in the EBDA or BIOS area */
    ACPI_ESDT,          /* the RSDT/XSDT is unreachable, or its header is bad */
    ACPI_ENOMADT,       /* no valid "APIC" table is listed */
    ACPI_EMADT,         /* the MADT's header, length or checksum is bad */
    ACPI_EENTRY,        /* a MADT entry's length is < 2, past the table, or short */
    ACPI_ENOCPU,        /* the MADT lists no enabled processor */
};

/* Polarity and trigger of an interrupt line, as the I/O APIC needs them. */
struct acpi_irq_route {
    uint32_t gsi;           /* global system interrupt: I/O APIC input */
    bool active_low;
    bool level;
};

struct acpi_ioapic {
    uint8_t id;
    uint32_t addr;          /* physical address of its registers */
    uint32_t gsi_base;      /* the GSI of its input 0 */
};

struct acpi_lapic_nmi {
    uint8_t acpi_uid;       /* 0xFF: every processor */
    uint8_t lint;           /* LINT0 or LINT1 */
    bool active_low, level;
};

struct acpi_madt_info {
    uint64_t rsdp_addr, sdt_addr, madt_addr;
    bool xsdt;              /* the tables came through the XSDT */
    char oem_id[7];         /* the RSDP's, NUL-terminated */
    uint64_t lapic_addr;    /* after any type-5 override */
    bool pcat_compat;       /* MADT flag: 8259s present (mask them when switching) */

    int ncpus;              /* enabled processors, in MADT order */
    uint8_t apic_ids[ACPI_MAX_CPUS];
    uint8_t acpi_uids[ACPI_MAX_CPUS];
    int cpus_offline;       /* listed but not enabled (online-capable or absent) */
    int cpus_dropped;       /* enabled but past ACPI_MAX_CPUS, or a repeated id */

    int nioapics;
    struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
    int ioapics_dropped;

    struct acpi_irq_route isa[ACPI_ISA_IRQS];   /* identity unless overridden */
    int noverrides;
    int nmi_sources;        /* type 3 entries (counted, not used) */
    int nlapic_nmis;
    struct acpi_lapic_nmi lapic_nmis[ACPI_MAX_LAPIC_NMI];
    int unknown_entries;    /* types this parser skips (x2APIC, GIC, ...) */
    int bad_entries_skipped;/* RSDT/XSDT entries not reachable or not tables */

    char why[128];          /* on error: what was wrong, where */
};

/* Find the RSDP, follow the RSDT (the XSDT if there is one and it is
 * good), and read the MADT into *info. ACPI_OK or an error, with the
 * reason in info->why. */
int acpi_parse(acpi_map_fn map, void *ctx, struct acpi_madt_info *info);

/* Walk one MADT already mapped: [madt, madt + len), len from its header.
 * (acpi_parse() uses it; tests call it on hand-made tables.) */
int acpi_parse_madt(const uint8_t *madt, uint32_t len, struct acpi_madt_info *info);

/* Move boot_apic_id to apic_ids[0] (the spec asks firmware to list the
 * boot processor first, but does not require it). False if it is not
 * listed at all. */
bool acpi_boot_cpu_first(struct acpi_madt_info *info, uint8_t boot_apic_id);

/* How ISA IRQ irq (0-15) reaches the I/O APIC: its own override, or
 * identity (GSI irq, active high, edge). An IRQ without an override
 * whose GSI another IRQ's override took (IRQ 2 on QEMU and Bochs, where
 * IRQ0 -> GSI2) is not connected: gsi = ACPI_NO_GSI. */
#define ACPI_NO_GSI 0xFFFFFFFFu
struct acpi_irq_route acpi_isa_route(const struct acpi_madt_info *info, int irq);

const char *acpi_strerror(int err);

/* ---- the kernel's side (acpi_boot.c) ---- */

/* What acpi_init() found (zero if nothing). */
extern struct acpi_madt_info acpi_madt;

/* Read the MADT from physical memory, print one line about it, and fill
 * cpus[].apic_id and ncpus (percpu.h) with the enabled CPUs, the boot
 * CPU first. False (and ncpus = 1, with the reason printed) if the
 * tables are missing or malformed. */
bool acpi_init(void);
#endif /* LAB >= 5 */

#endif
