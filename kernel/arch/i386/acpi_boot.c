/*
 * acpi_boot.c -- the kernel's side of the ACPI parser: physical memory for
 * it to read, and what it found handed to the SMP code (acpi.h).
 *
 * The tables live where the firmware put them: the RSDP in the BIOS area
 * below 1 MiB, the rest usually at the top of RAM in a region the memory
 * map calls reserved or ACPI -- outside the kernel's direct map. phys_map
 * gives the parser the direct map where it covers a range and an
 * mmio_map() window mapping where the memory map says the firmware has
 * memory; anything else (an RSDT entry pointing at nothing) is NULL, so a
 * garbage address costs no mapping.
 */
#if LAB >= 5
#include "arch/i386/acpi.h"
#include "arch/i386/mmio.h"
#include "arch/i386/paging.h"
#include "arch/i386/percpu.h"
#include "console.h"
#include "multiboot.h"

struct acpi_madt_info acpi_madt;

/* [pa, pa + len) mapped by the direct map (va == pa), or paging is off. */
static bool direct_mapped(uint64_t pa, uint32_t len)
{
    if (kernel_as.pd == NULL)
        return true;            /* paging off: linear addresses are physical */
    for (uint64_t page = pa & ~(uint64_t)(PAGE_SIZE - 1); page < pa + len; page += PAGE_SIZE) {
        paddr_t at;
        if (page >= KERNEL_DIRECT_END || !vm_lookup(&kernel_as, (uintptr_t)page, &at, NULL) ||
            at != page)
            return false;
    }
    return true;
}

/* [pa, pa + len) inside the first MiB or one region of the memory map. */
static bool firmware_memory(uint64_t pa, uint32_t len)
{
    if (pa + len <= 0x100000)
        return true;
    for (int i = 0; i < boot_info.nregions; i++) {
        const struct mem_region *r = &boot_info.regions[i];
        if (pa >= r->base && pa + len <= r->base + r->length)
            return true;
    }
    return false;
}

static const void *phys_map(void *ctx, uint64_t pa, uint32_t len)
{
    (void)ctx;
    if (len == 0 || pa + len > 0x100000000ull || !firmware_memory(pa, len))
        return NULL;
    if (direct_mapped(pa, len))
        /* SAFETY: integer -> pointer: the direct map has va == pa for
         * every page of the range (checked just above), read only here. */
        return (const void *)(uintptr_t)pa;
    return mmio_map(pa, len);
}

/* This CPU's initial APIC id, from CPUID leaf 1 (EBX bits 31-24): known
 * before its local APIC is mapped. */
static uint8_t boot_apic_id(void)
{
    uint32_t eax = 1, ebx, ecx = 0, edx;
    /* SAFETY: CPUID has no side effects; every i686 has leaf 1. */
    __asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
    return (uint8_t)(ebx >> 24);
}

static void print_madt(const struct acpi_madt_info *m)
{
    kprintf("acpi: MADT lists %d CPU%s (APIC ids", m->ncpus, m->ncpus == 1 ? "" : "s");
    for (int i = 0; i < m->ncpus; i++)
        kprintf(" %u", m->apic_ids[i]);
    kprintf(")");
    for (int i = 0; i < m->nioapics; i++)
        kprintf(", I/O APIC %u at 0x%08x", m->ioapics[i].id, (unsigned)m->ioapics[i].addr);
    for (int irq = 0; irq < ACPI_ISA_IRQS; irq++) {
        struct acpi_irq_route r = acpi_isa_route(m, irq);
        if (r.gsi != (uint32_t)irq && r.gsi != ACPI_NO_GSI)
            kprintf(", IRQ%d->GSI%u", irq, (unsigned)r.gsi);
    }
    kprintf("\n");
    if (m->cpus_offline || m->cpus_dropped || m->unknown_entries)
        kprintf("acpi: %d CPU entries not enabled, %d dropped, %d entries of unknown type\n",
                m->cpus_offline, m->cpus_dropped, m->unknown_entries);
}

bool acpi_init(void)
{
    int err = acpi_parse(phys_map, NULL, &acpi_madt);
    if (err != ACPI_OK) {
        kprintf("acpi: %s: %s; one CPU\n", acpi_strerror(err), acpi_madt.why);
        acpi_madt.ncpus = 0;
        acpi_madt.nioapics = 0;
        ncpus = 1;
        return false;
    }
    uint8_t me = boot_apic_id();
    if (!acpi_boot_cpu_first(&acpi_madt, me)) {
        kprintf("acpi: this CPU (APIC id %u) is not in the MADT; one CPU\n", me);
        ncpus = 1;
        return false;
    }
    print_madt(&acpi_madt);
    ncpus = acpi_madt.ncpus < MAX_CPUS ? acpi_madt.ncpus : MAX_CPUS;
    if (acpi_madt.ncpus > ncpus)
        kprintf("acpi: using %d of %d CPUs (MAX_CPUS)\n", ncpus, acpi_madt.ncpus);
    for (int i = 0; i < ncpus; i++)
        cpus[i].apic_id = acpi_madt.apic_ids[i];
    return true;
}
#endif /* LAB >= 5 */
