/* acpi_test.c -- host tests for kernel/arch/i386/acpi.c on the real tables
 * of QEMU and Bochs (fixtures/acpi/, made by tools/acpi-fixtures.sh) and on
 * malformed variants of them made here.
 *
 * Memory model: the first MiB is one zeroed buffer with the fixture's
 * low chunks (the EBDA pointer, the RSDP) in place; every table above it
 * is its own malloc'd buffer of exactly its length, so a read one byte
 * past a table is an ASan report, and the map function returns NULL for
 * anything not wholly inside one of them. */
#if LAB >= 5
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arch/i386/acpi.h"
#include "arch/i386/ioapic.h"

#define FIXTURES "kernel/tests/host/fixtures/acpi/"
#define LOW_MEM  0x100000u
#define MAX_CHUNKS 16

struct chunk {
    uint32_t addr, len;
    uint8_t *data;
};

struct mem {
    uint8_t *low;
    int n;
    struct chunk high[MAX_CHUNKS];
    uint32_t rsdp;                      /* where the fixture's RSDP is */
};

static struct mem m;
static struct acpi_madt_info info;

static const void *mem_map(void *ctx, uint64_t pa, uint32_t len)
{
    struct mem *mm = ctx;
    if (pa + len <= LOW_MEM)
        return mm->low + pa;
    for (int i = 0; i < mm->n; i++) {
        struct chunk *c = &mm->high[i];
        if (pa >= c->addr && pa + len <= (uint64_t)c->addr + c->len)
            return c->data + (pa - c->addr);
    }
    return NULL;
}

static void load(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, FIXTURES "%s.bin", name);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "fixture %s (run from the top directory)", path);
    memset(&m, 0, sizeof m);
    m.low = calloc(1, LOW_MEM);
    uint32_t hdr[2];
    while (fread(hdr, sizeof hdr, 1, f) == 1) {
        uint8_t *data = malloc(hdr[1]);
        cr_assert(fread(data, 1, hdr[1], f) == hdr[1]);
        if (hdr[0] < LOW_MEM) {
            memcpy(m.low + hdr[0], data, hdr[1]);
            if (hdr[1] >= 8 && memcmp(data, "RSD PTR ", 8) == 0)
                m.rsdp = hdr[0];
            free(data);
        } else {
            cr_assert(m.n < MAX_CHUNKS);
            m.high[m.n++] = (struct chunk){ hdr[0], hdr[1], data };
        }
    }
    fclose(f);
    cr_assert_neq(m.rsdp, 0);
}

static void unload(void)
{
    free(m.low);
    for (int i = 0; i < m.n; i++)
        free(m.high[i].data);
}

static int parse(void)
{
    return acpi_parse(mem_map, &m, &info);
}

/* The chunk holding the table with signature sig. */
static struct chunk *table(const char *sig)
{
    for (int i = 0; i < m.n; i++)
        if (memcmp(m.high[i].data, sig, 4) == 0)
            return &m.high[i];
    cr_assert_fail("no %s table in the fixture", sig);
    return NULL;
}

static void fix_checksum(uint8_t *p, uint32_t len, uint32_t at)
{
    p[at] = 0;
    uint8_t sum = 0;
    for (uint32_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + p[i]);
    p[at] = (uint8_t)-sum;
}

static void fix_table(struct chunk *c)
{
    fix_checksum(c->data, c->len, 9);
}

static void set32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

/* Replace a table's bytes (a new buffer of exactly len bytes). */
static void resize(struct chunk *c, uint32_t len)
{
    uint8_t *data = calloc(1, len);
    memcpy(data, c->data, len < c->len ? len : c->len);
    free(c->data);
    c->data = data;
    c->len = len;
}

/* ---- the real tables ---- */

static void expect_cpus(int n)
{
    cr_assert_eq(parse(), ACPI_OK, "%s", info.why);
    cr_assert_eq(info.ncpus, n);
    for (int i = 0; i < n; i++)
        cr_assert_eq(info.apic_ids[i], i, "CPU %d has APIC id %d", i, info.apic_ids[i]);
    cr_assert_eq(info.lapic_addr, 0xFEE00000u);
    cr_assert_eq(info.nioapics, 1);
    cr_assert_eq(info.ioapics[0].addr, 0xFEC00000u);
    cr_assert_eq(info.ioapics[0].gsi_base, 0);
    cr_assert(info.pcat_compat);
    cr_assert_not(info.xsdt);
    cr_assert_eq(info.unknown_entries, 0);
    cr_assert_eq(info.cpus_dropped + info.cpus_offline, 0);
    struct acpi_irq_route timer = acpi_isa_route(&info, 0);
    cr_assert_eq(timer.gsi, 2, "IRQ0 -> GSI%u", timer.gsi);
    cr_assert_not(timer.active_low || timer.level);
    struct acpi_irq_route kbd = acpi_isa_route(&info, 1);
    cr_assert_eq(kbd.gsi, 1);
    cr_assert_not(kbd.active_low || kbd.level);
    /* IRQ0 took GSI2: the cascade line IRQ2 reaches nothing. */
    cr_assert_eq(acpi_isa_route(&info, 2).gsi, ACPI_NO_GSI);
    cr_assert_eq(acpi_isa_route(&info, 16).gsi, ACPI_NO_GSI);
}

/* QEMU: I/O APIC id 0, PCI lines 5, 9, 10, 11 level-triggered, active high,
 * and one local APIC NMI on LINT1 for every processor. */
static void expect_qemu(int n)
{
    expect_cpus(n);
    cr_assert_eq(info.ioapics[0].id, 0);
    cr_assert_eq(info.noverrides, 5);
    int irqs[] = { 5, 9, 10, 11 };
    for (int i = 0; i < 4; i++) {
        struct acpi_irq_route r = acpi_isa_route(&info, irqs[i]);
        cr_assert_eq(r.gsi, (uint32_t)irqs[i]);
        cr_assert(r.level && !r.active_low, "IRQ%d", irqs[i]);
    }
    cr_assert_eq(info.nlapic_nmis, 1);
    cr_assert_eq(info.lapic_nmis[0].acpi_uid, 0xFF);
    cr_assert_eq(info.lapic_nmis[0].lint, 1);
    cr_assert_str_eq(info.oem_id, "BOCHS ");
}

/* Bochs: the I/O APIC's id follows the CPUs' ids; only IRQ0 is overridden. */
static void expect_bochs(int n)
{
    expect_cpus(n);
    cr_assert_eq(info.ioapics[0].id, n);
    cr_assert_eq(info.noverrides, 1);
    cr_assert_eq(info.nlapic_nmis, 0);
}

Test(acpi, qemu_smp1, .fini = unload) { load("qemu-smp1"); expect_qemu(1); }
Test(acpi, qemu_smp2, .fini = unload) { load("qemu-smp2"); expect_qemu(2); }
Test(acpi, qemu_smp4, .fini = unload) { load("qemu-smp4"); expect_qemu(4); }
Test(acpi, qemu_smp4_sockets4, .fini = unload) { load("qemu-smp4-sockets4"); expect_qemu(4); }
Test(acpi, bochs_cpu1, .fini = unload) { load("bochs-cpu1"); expect_bochs(1); }
Test(acpi, bochs_cpu2, .fini = unload) { load("bochs-cpu2"); expect_bochs(2); }
Test(acpi, bochs_cpu4, .fini = unload) { load("bochs-cpu4"); expect_bochs(4); }

/* Hot-pluggable CPUs QEMU was told about but did not start: listed with
 * Enabled clear, and not started by the kernel. */
Test(acpi, qemu_smp1_maxcpus4_lists_absent_cpus, .fini = unload)
{
    load("qemu-smp1-maxcpus4");
    cr_assert_eq(parse(), ACPI_OK, "%s", info.why);
    cr_assert_eq(info.ncpus, 1);
    cr_assert_eq(info.apic_ids[0], 0);
    cr_assert_eq(info.cpus_offline, 3);
}

Test(acpi, rsdp_in_ebda_is_found_first, .fini = unload)
{
    load("qemu-smp2");
    uint32_t ebda = (uint32_t)(m.low[0x40E] | m.low[0x40F] << 8) << 4;
    memcpy(m.low + ebda + 0x10, m.low + m.rsdp, 20);
    memset(m.low + m.rsdp, 0, 20);
    cr_assert_eq(parse(), ACPI_OK, "%s", info.why);
    cr_assert_eq(info.rsdp_addr, ebda + 0x10);
    cr_assert_eq(info.ncpus, 2);
}

Test(acpi, boot_cpu_moves_first, .fini = unload)
{
    load("qemu-smp4");
    cr_assert_eq(parse(), ACPI_OK);
    cr_assert(acpi_boot_cpu_first(&info, 2));
    uint8_t want[] = { 2, 0, 1, 3 };
    cr_assert_arr_eq(info.apic_ids, want, 4);
    cr_assert_eq(info.acpi_uids[0], 2);
    cr_assert_not(acpi_boot_cpu_first(&info, 7));
}

/* A version-2 RSDP with an XSDT built from the RSDT: the XSDT is used. */
static void make_xsdt(uint64_t xsdt_addr)
{
    struct chunk *rsdt = table("RSDT");
    uint32_t n = (rsdt->len - 36) / 4, len = 36 + 8 * n;
    uint8_t *x = calloc(1, len);
    memcpy(x, rsdt->data, 36);
    memcpy(x, "XSDT", 4);
    set32(x + 4, len);
    for (uint32_t i = 0; i < n; i++) {
        uint64_t e = get32(rsdt->data + 36 + 4 * i);
        memcpy(x + 36 + 8 * i, &e, 8);
    }
    fix_checksum(x, len, 9);
    m.high[m.n++] = (struct chunk){ 0x7000000, len, x };
    uint8_t *r = m.low + m.rsdp;
    r[15] = 2;
    set32(r + 20, 36);
    memcpy(r + 24, &xsdt_addr, 8);
    fix_checksum(r, 20, 8);
    fix_checksum(r, 36, 32);
}

Test(acpi, xsdt_preferred, .fini = unload)
{
    load("qemu-smp4");
    make_xsdt(0x7000000);
    cr_assert_eq(parse(), ACPI_OK, "%s", info.why);
    cr_assert(info.xsdt);
    cr_assert_eq(info.sdt_addr, 0x7000000);
    cr_assert_eq(info.ncpus, 4);
}

Test(acpi, xsdt_bad_falls_back_to_rsdt, .fini = unload)
{
    load("qemu-smp4");
    make_xsdt(0x7000000);
    table("XSDT")->data[20] ^= 1;
    cr_assert_eq(parse(), ACPI_OK, "%s", info.why);
    cr_assert_not(info.xsdt);
    cr_assert_eq(info.ncpus, 4);
}

Test(acpi, xsdt_above_4g_falls_back_to_rsdt, .fini = unload)
{
    load("qemu-smp2");
    make_xsdt(0x100000000ull);
    cr_assert_eq(parse(), ACPI_OK, "%s", info.why);
    cr_assert_not(info.xsdt);
    cr_assert_eq(info.ncpus, 2);
}

Test(acpi, rsdp_extended_checksum_checked, .fini = unload)
{
    load("qemu-smp2");
    make_xsdt(0x7000000);
    m.low[m.rsdp + 33] ^= 0x40;         /* reserved byte: only the v2 sum sees it */
    cr_assert_eq(parse(), ACPI_ENORSDP);
}

/* ---- malformed tables ---- */

Test(acpi, rsdp_bad_checksum, .fini = unload)
{
    load("qemu-smp4");
    m.low[m.rsdp + 8] ^= 1;
    cr_assert_eq(parse(), ACPI_ENORSDP);
    cr_assert(strstr(info.why, "RSDP") != NULL, "%s", info.why);
}

Test(acpi, no_rsdp_at_all, .fini = unload)
{
    load("bochs-cpu1");
    memset(m.low + m.rsdp, 0, 8);
    cr_assert_eq(parse(), ACPI_ENORSDP);
}

Test(acpi, madt_bad_checksum, .fini = unload)
{
    load("qemu-smp4");
    table("APIC")->data[50] ^= 0x10;
    cr_assert_eq(parse(), ACPI_EMADT);
    cr_assert(strstr(info.why, "checksum") != NULL, "%s", info.why);
}

Test(acpi, rsdt_bad_checksum, .fini = unload)
{
    load("bochs-cpu2");
    table("RSDT")->data[40] ^= 0x10;
    cr_assert_eq(parse(), ACPI_ESDT);
    cr_assert(strstr(info.why, "checksum") != NULL, "%s", info.why);
}

/* The table's length says more than memory holds. */
Test(acpi, madt_truncated_in_memory, .fini = unload)
{
    load("qemu-smp4");
    struct chunk *madt = table("APIC");
    resize(madt, madt->len - 7);
    cr_assert_eq(parse(), ACPI_EMADT);
    cr_assert(strstr(info.why, "past memory") != NULL, "%s", info.why);
}

/* The length (and checksum) agree, but the last entry is cut off. */
Test(acpi, madt_truncated_entry, .fini = unload)
{
    load("qemu-smp4");
    struct chunk *madt = table("APIC");
    resize(madt, madt->len - 3);
    set32(madt->data + 4, madt->len);
    fix_table(madt);
    cr_assert_eq(parse(), ACPI_EENTRY);
    cr_assert(strstr(info.why, "past the table") != NULL, "%s", info.why);
}

Test(acpi, madt_length_larger_than_table, .fini = unload)
{
    load("qemu-smp1");
    struct chunk *madt = table("APIC");
    set32(madt->data + 4, 0x100000);
    fix_table(madt);
    cr_assert_eq(parse(), ACPI_EMADT);
    cr_assert(strstr(info.why, "out of range") != NULL, "%s", info.why);
}

Test(acpi, madt_shorter_than_fixed_part, .fini = unload)
{
    load("qemu-smp1");
    struct chunk *madt = table("APIC");
    set32(madt->data + 4, 40);
    fix_table(madt);
    cr_assert_eq(parse(), ACPI_EMADT);
}

static void entry_length(uint8_t len)
{
    struct chunk *madt = table("APIC");
    madt->data[44 + 8 + 1] = len;       /* the second entry */
    fix_table(madt);
}

Test(acpi, zero_length_entry, .fini = unload, .timeout = 30)
{
    load("qemu-smp4");
    entry_length(0);
    cr_assert_eq(parse(), ACPI_EENTRY);
    cr_assert(strstr(info.why, "length < 2") != NULL, "%s", info.why);
}

Test(acpi, one_byte_entry, .fini = unload, .timeout = 30)
{
    load("bochs-cpu4");
    entry_length(1);
    cr_assert_eq(parse(), ACPI_EENTRY);
}

Test(acpi, entry_longer_than_table, .fini = unload)
{
    load("qemu-smp4");
    entry_length(0xFF);
    cr_assert_eq(parse(), ACPI_EENTRY);
    cr_assert(strstr(info.why, "past the table") != NULL, "%s", info.why);
}

Test(acpi, entry_too_short_for_its_type, .fini = unload)
{
    load("qemu-smp1");
    struct chunk *madt = table("APIC");
    cr_assert_eq(madt->data[44 + 8], 1);    /* the I/O APIC entry */
    madt->data[44 + 8 + 1] = 8;             /* needs 12 */
    /* Keep the walk in step: the 4 bytes left become an unknown entry. */
    madt->data[44 + 16] = 0x7F;
    madt->data[44 + 17] = 4;
    fix_table(madt);
    cr_assert_eq(parse(), ACPI_EENTRY);
    cr_assert(strstr(info.why, "too short") != NULL, "%s", info.why);
}

Test(acpi, unknown_entries_counted_and_skipped, .fini = unload)
{
    load("bochs-cpu2");
    struct chunk *madt = table("APIC");
    uint32_t old = madt->len;
    resize(madt, old + 16);
    madt->data[old] = 9;                /* processor local x2APIC */
    madt->data[old + 1] = 16;
    set32(madt->data + 4, madt->len);
    fix_table(madt);
    cr_assert_eq(parse(), ACPI_OK, "%s", info.why);
    cr_assert_eq(info.unknown_entries, 1);
    cr_assert_eq(info.ncpus, 2);
}

Test(acpi, lapic_address_override, .fini = unload)
{
    load("bochs-cpu1");
    struct chunk *madt = table("APIC");
    uint32_t old = madt->len;
    resize(madt, old + 12);
    madt->data[old] = 5;
    madt->data[old + 1] = 12;
    set32(madt->data + old + 4, 0xFEE10000);
    set32(madt->data + 4, madt->len);
    fix_table(madt);
    cr_assert_eq(parse(), ACPI_OK, "%s", info.why);
    cr_assert_eq(info.lapic_addr, 0xFEE10000u);
}

Test(acpi, disabled_cpu_not_listed, .fini = unload)
{
    load("qemu-smp4");
    struct chunk *madt = table("APIC");
    madt->data[44 + 8 + 4] = 2;         /* APIC id 1: online capable, not enabled */
    madt->data[44 + 16 + 4] = 0;        /* APIC id 2: absent */
    fix_table(madt);
    cr_assert_eq(parse(), ACPI_OK, "%s", info.why);
    cr_assert_eq(info.ncpus, 2);
    cr_assert_eq(info.apic_ids[1], 3);
    cr_assert_eq(info.cpus_offline, 2);
}

Test(acpi, no_enabled_cpu, .fini = unload)
{
    load("qemu-smp1");
    struct chunk *madt = table("APIC");
    madt->data[44 + 4] = 0;
    fix_table(madt);
    cr_assert_eq(parse(), ACPI_ENOCPU);
}

Test(acpi, repeated_apic_id_dropped, .fini = unload)
{
    load("qemu-smp2");
    struct chunk *madt = table("APIC");
    madt->data[44 + 8 + 3] = 0;         /* the second CPU claims id 0 too */
    fix_table(madt);
    cr_assert_eq(parse(), ACPI_OK, "%s", info.why);
    cr_assert_eq(info.ncpus, 1);
    cr_assert_eq(info.cpus_dropped, 1);
}

/* The RSDT's MADT entry points outside memory: skipped, and then there
 * is no MADT. */
static void point_rsdt_entry(uint32_t to)
{
    struct chunk *rsdt = table("RSDT"), *madt = table("APIC");
    for (uint32_t off = 36; off + 4 <= rsdt->len; off += 4)
        if (get32(rsdt->data + off) == madt->addr)
            set32(rsdt->data + off, to);
    fix_table(rsdt);
}

Test(acpi, rsdt_entry_outside_memory, .fini = unload)
{
    load("qemu-smp4");
    point_rsdt_entry(0xDEAD0000);
    cr_assert_eq(parse(), ACPI_ENOMADT);
    cr_assert_eq(info.bad_entries_skipped, 1);
    cr_assert(strstr(info.why, "no MADT") != NULL, "%s", info.why);
}

Test(acpi, rsdt_entry_straddling_a_table_end, .fini = unload)
{
    load("qemu-smp4");
    struct chunk *hpet = table("HPET");
    point_rsdt_entry(hpet->addr + hpet->len - 10);
    cr_assert_eq(parse(), ACPI_ENOMADT);
}

Test(acpi, rsdt_pointing_at_garbage, .fini = unload)
{
    load("qemu-smp2");
    uint8_t *r = m.low + m.rsdp;
    set32(r + 16, table("FACP")->addr); /* a table, but not an RSDT */
    fix_checksum(r, 20, 8);
    cr_assert_eq(parse(), ACPI_ESDT);
    cr_assert(strstr(info.why, "signature") != NULL, "%s", info.why);
    set32(r + 16, 0xFFFFFF00);          /* nothing there at all */
    fix_checksum(r, 20, 8);
    cr_assert_eq(parse(), ACPI_ESDT);
    cr_assert(strstr(info.why, "not in memory") != NULL, "%s", info.why);
}

/* Random damage with the checksums made right again: the parser may
 * accept or refuse, but never reads outside a table (ASan) or loops. */
Test(acpi, random_damage_stays_in_bounds, .fini = unload, .timeout = 60)
{
    load("qemu-smp4");
    struct chunk *madt = table("APIC"), *rsdt = table("RSDT");
    uint8_t *madt0 = malloc(madt->len), *rsdt0 = malloc(rsdt->len);
    memcpy(madt0, madt->data, madt->len);
    memcpy(rsdt0, rsdt->data, rsdt->len);
    srand(14);
    int ok = 0;
    for (int round = 0; round < 5000; round++) {
        memcpy(madt->data, madt0, madt->len);
        memcpy(rsdt->data, rsdt0, rsdt->len);
        struct chunk *c = round % 4 == 0 ? rsdt : madt;
        for (int k = 1 + rand() % 3; k > 0; k--)
            c->data[4 + rand() % (c->len - 4)] = (uint8_t)rand();
        fix_table(c);
        ok += parse() == ACPI_OK;
        cr_assert(info.ncpus <= ACPI_MAX_CPUS && info.nioapics <= ACPI_MAX_IOAPICS);
    }
    cr_assert_gt(ok, 0);
    free(madt0);
    free(rsdt0);
}

Test(ioapic, redirection_entry_encoding)
{
    /* 82093AA 3.2.4: vector 7:0, polarity 13, trigger 15, mask 16, dest 63:56. */
    cr_assert_eq(ioapic_entry(0x20, 0, false, false, false), 0x20ull);
    cr_assert_eq(ioapic_entry(0x29, 3, true, true, false), 0x030000000000A029ull);
    cr_assert_eq(ioapic_entry(0x30, 1, false, false, true), 0x0100000000010030ull);
}

Test(acpi, strerror_names_every_code)
{
    for (int e = ACPI_OK; e <= ACPI_ENOCPU; e++)
        cr_assert_str_neq(acpi_strerror(e), "unknown error");
    cr_assert_str_eq(acpi_strerror(99), "unknown error");
}
#endif /* LAB >= 5 */
