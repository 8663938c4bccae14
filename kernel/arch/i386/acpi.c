/*
 * acpi.c -- the RSDP, RSDT/XSDT and MADT parser (see acpi.h).
 *
 * Pure: no hardware, no globals. Memory is reached only through the
 * caller's map function, and every multi-byte field is read with memcpy
 * (tables are packed: fields are unaligned). The rule that keeps
 * malformed tables harmless: a length is checked against what was mapped
 * before anything at that length is read, and every loop advances by at
 * least the two bytes of an entry header.
 */
#if LAB >= 5
#include "arch/i386/acpi.h"
#include <stdio.h>
#include <string.h>

#define SDT_HEADER_LEN  36      /* ACPI 6.5 5.2.6, table 5.4 */
#define MADT_FIXED_LEN  44      /* header, local APIC address, flags */
#define RSDP_V1_LEN     20
#define RSDP_V2_LEN     36
#define EBDA_PTR        0x40E   /* BIOS data area: the EBDA's segment */
#define BIOS_AREA       0xE0000u
#define BIOS_AREA_LEN   0x20000u

enum madt_type {
    MADT_LAPIC = 0, MADT_IOAPIC = 1, MADT_OVERRIDE = 2, MADT_NMI_SOURCE = 3,
    MADT_LAPIC_NMI = 4, MADT_LAPIC_ADDR = 5,
};

/* Each known entry type's minimum length (ACPI 6.5 5.2.12.2-5.2.12.8). */
static const uint8_t madt_min_len[] = { 8, 12, 10, 8, 6, 12 };

#define MADT_CPU_ENABLED  0x1
#define MADT_PCAT_COMPAT  0x1
#define INTI_POLARITY(f)  ((f) & 3)         /* 0 bus default, 1 high, 3 low */
#define INTI_TRIGGER(f)   (((f) >> 2) & 3)  /* 0 bus default, 1 edge, 3 level */

static uint16_t le16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static uint32_t le32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t le64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

static bool checksum_ok(const uint8_t *p, uint32_t len)
{
    uint8_t sum = 0;
    for (uint32_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + p[i]);
    return sum == 0;
}

static int fail(struct acpi_madt_info *info, int err, const char *what, uint64_t where)
{
    snprintf(info->why, sizeof info->why, "%s (0x%llx)", what, (unsigned long long)where);
    return err;
}

/* ---- finding the RSDP (ACPI 6.5 5.2.5.1) ---- */

/* A valid RSDP at p, with `room` bytes readable from p? */
static bool rsdp_ok(const uint8_t *p, uint32_t room)
{
    if (room < RSDP_V1_LEN || memcmp(p, "RSD PTR ", 8) != 0 || !checksum_ok(p, RSDP_V1_LEN))
        return false;
    if (p[15] < 2)
        return true;            /* ACPI 1.0: 20 bytes, no XSDT */
    uint32_t len = le32(p + 20);
    return len >= RSDP_V2_LEN && len <= room && checksum_ok(p, len);
}

/* Scan [pa, pa + len) on 16-byte boundaries; the RSDP's address or 0. */
static uint64_t scan_rsdp(acpi_map_fn map, void *ctx, uint64_t pa, uint32_t len)
{
    const uint8_t *area = map(ctx, pa, len);
    if (area == NULL)
        return 0;
    for (uint32_t off = 0; off + RSDP_V1_LEN <= len; off += 16)
        if (rsdp_ok(area + off, len - off))
            return pa + off;
    return 0;
}

static uint64_t find_rsdp(acpi_map_fn map, void *ctx)
{
    const uint8_t *bda = map(ctx, EBDA_PTR, 2);
    if (bda != NULL) {
        uint64_t ebda = (uint64_t)le16(bda) << 4;
        /* Only a plausible EBDA: above the BDA, below the 640 KiB line. */
        if (ebda >= 0x500 && ebda + 1024 <= 0xA0000) {
            uint64_t at = scan_rsdp(map, ctx, ebda, 1024);
            if (at != 0)
                return at;
        }
    }
    return scan_rsdp(map, ctx, BIOS_AREA, BIOS_AREA_LEN);
}

/* ---- tables ---- */

/* Map the table at pa whole, after checking its header: the signature
 * (if sig is not NULL), a length that holds at least min_len bytes and at
 * most ACPI_MAX_TABLE_LEN, and the checksum. NULL and info->why set if
 * anything is wrong. */
static const uint8_t *map_table(acpi_map_fn map, void *ctx, uint64_t pa, const char *sig,
                                uint32_t min_len, struct acpi_madt_info *info)
{
    const uint8_t *h = map(ctx, pa, SDT_HEADER_LEN);
    if (h == NULL) {
        fail(info, 0, "table header not in memory", pa);
        return NULL;
    }
    if (sig != NULL && memcmp(h, sig, 4) != 0) {
        fail(info, 0, "wrong table signature", pa);
        return NULL;
    }
    uint32_t len = le32(h + 4);
    if (len < min_len || len > ACPI_MAX_TABLE_LEN) {
        snprintf(info->why, sizeof info->why, "%.4s at 0x%llx: length %u out of range",
                 (const char *)h, (unsigned long long)pa, len);
        return NULL;
    }
    const uint8_t *t = map(ctx, pa, len);
    if (t == NULL) {
        snprintf(info->why, sizeof info->why, "%.4s at 0x%llx: length %u runs past memory",
                 (const char *)h, (unsigned long long)pa, len);
        return NULL;
    }
    if (!checksum_ok(t, len)) {
        snprintf(info->why, sizeof info->why, "%.4s at 0x%llx: bad checksum",
                 (const char *)t, (unsigned long long)pa);
        return NULL;
    }
    return t;
}

/* The RSDT or XSDT the RSDP names: the XSDT if it is there, below 4 GiB
 * and good, else the RSDT. */
static const uint8_t *map_sdt(acpi_map_fn map, void *ctx, const uint8_t *rsdp,
                              struct acpi_madt_info *info)
{
    if (rsdp[15] >= 2) {
        uint64_t xsdt = le64(rsdp + 24);
        if (xsdt != 0 && xsdt < 0x100000000ull) {
            const uint8_t *t = map_table(map, ctx, xsdt, "XSDT", SDT_HEADER_LEN, info);
            if (t != NULL) {
                info->xsdt = true;
                info->sdt_addr = xsdt;
                return t;
            }
        }
    }
    info->sdt_addr = le32(rsdp + 16);
    return map_table(map, ctx, info->sdt_addr, "RSDT", SDT_HEADER_LEN, info);
}

/* The MADT's address from the RSDT/XSDT's entries, or 0. Entries that
 * point nowhere are counted and skipped: the MADT may still be there. */
static uint64_t find_madt(acpi_map_fn map, void *ctx, const uint8_t *sdt,
                          struct acpi_madt_info *info)
{
    uint32_t len = le32(sdt + 4), width = info->xsdt ? 8 : 4;
    for (uint32_t off = SDT_HEADER_LEN; off + width <= len; off += width) {
        uint64_t pa = width == 8 ? le64(sdt + off) : le32(sdt + off);
        const uint8_t *h = pa < 0x100000000ull ? map(ctx, pa, SDT_HEADER_LEN) : NULL;
        if (h == NULL) {
            info->bad_entries_skipped++;
            continue;
        }
        if (memcmp(h, "APIC", 4) == 0)
            return pa;
    }
    return 0;
}

/* ---- the MADT's entries (ACPI 6.5 5.2.12) ---- */

static void add_cpu(struct acpi_madt_info *info, const uint8_t *e)
{
    uint8_t uid = e[2], apic_id = e[3];
    if (!(le32(e + 4) & MADT_CPU_ENABLED)) {
        info->cpus_offline++;           /* online-capable (hot-plug) or absent */
        return;
    }
    for (int i = 0; i < info->ncpus; i++)
        if (info->apic_ids[i] == apic_id) {
            info->cpus_dropped++;       /* starting one CPU twice would be worse */
            return;
        }
    if (info->ncpus == ACPI_MAX_CPUS) {
        info->cpus_dropped++;
        return;
    }
    info->acpi_uids[info->ncpus] = uid;
    info->apic_ids[info->ncpus++] = apic_id;
}

static void add_ioapic(struct acpi_madt_info *info, const uint8_t *e)
{
    if (info->nioapics == ACPI_MAX_IOAPICS) {
        info->ioapics_dropped++;
        return;
    }
    info->ioapics[info->nioapics++] = (struct acpi_ioapic){ e[2], le32(e + 4), le32(e + 8) };
}

/* Interrupt source override: ISA IRQ e[3] arrives on GSI e[4..7]. */
static void add_override(struct acpi_madt_info *info, const uint8_t *e)
{
    uint8_t bus = e[2], irq = e[3];
    uint16_t flags = le16(e + 8);
    info->noverrides++;
    if (bus != 0 || irq >= ACPI_ISA_IRQS)
        return;                         /* only ISA is defined */
    /* "Conforms to the bus": ISA lines are active high, edge triggered. */
    info->isa[irq] = (struct acpi_irq_route){
        .gsi = le32(e + 4),
        .active_low = INTI_POLARITY(flags) == 3,
        .level = INTI_TRIGGER(flags) == 3,
    };
}

static void add_lapic_nmi(struct acpi_madt_info *info, const uint8_t *e)
{
    if (info->nlapic_nmis == ACPI_MAX_LAPIC_NMI)
        return;
    uint16_t flags = le16(e + 3);
    info->lapic_nmis[info->nlapic_nmis++] = (struct acpi_lapic_nmi){
        .acpi_uid = e[2], .lint = e[5],
        .active_low = INTI_POLARITY(flags) == 3, .level = INTI_TRIGGER(flags) == 3,
    };
}

static void add_entry(struct acpi_madt_info *info, const uint8_t *e)
{
    switch (e[0]) {
    case MADT_LAPIC:      add_cpu(info, e); break;
    case MADT_IOAPIC:     add_ioapic(info, e); break;
    case MADT_OVERRIDE:   add_override(info, e); break;
    case MADT_NMI_SOURCE: info->nmi_sources++; break;
    case MADT_LAPIC_NMI:  add_lapic_nmi(info, e); break;
    case MADT_LAPIC_ADDR: info->lapic_addr = le64(e + 4); break;
    default:              info->unknown_entries++; break;
    }
}

int acpi_parse_madt(const uint8_t *madt, uint32_t len, struct acpi_madt_info *info)
{
    if (len < MADT_FIXED_LEN)
        return fail(info, ACPI_EMADT, "MADT shorter than its fixed part", len);
    info->lapic_addr = le32(madt + 36);
    info->pcat_compat = le32(madt + 40) & MADT_PCAT_COMPAT;
    for (int irq = 0; irq < ACPI_ISA_IRQS; irq++)
        info->isa[irq] = (struct acpi_irq_route){ .gsi = (uint32_t)irq };
    uint32_t off = MADT_FIXED_LEN;
    while (off < len) {
        if (len - off < 2)
            return fail(info, ACPI_EENTRY, "MADT entry header cut off at offset", off);
        const uint8_t *e = madt + off;
        uint8_t type = e[0], elen = e[1];
        /* A length of 0 or 1 would never advance: the classic trap. */
        if (elen < 2)
            return fail(info, ACPI_EENTRY, "MADT entry of length < 2 at offset", off);
        if (elen > len - off)
            return fail(info, ACPI_EENTRY, "MADT entry runs past the table at offset", off);
        if (type < sizeof madt_min_len && elen < madt_min_len[type])
            return fail(info, ACPI_EENTRY, "MADT entry too short for its type at offset", off);
        add_entry(info, e);
        off += elen;
    }
    if (info->ncpus == 0)
        return fail(info, ACPI_ENOCPU, "MADT lists no enabled processor", info->madt_addr);
    return ACPI_OK;
}

int acpi_parse(acpi_map_fn map, void *ctx, struct acpi_madt_info *info)
{
    memset(info, 0, sizeof *info);
    info->rsdp_addr = find_rsdp(map, ctx);
    if (info->rsdp_addr == 0)
        return fail(info, ACPI_ENORSDP, "no RSDP with a good checksum below", 0x100000);
    const uint8_t *rsdp = map(ctx, info->rsdp_addr, RSDP_V1_LEN);
    if (rsdp == NULL)
        return fail(info, ACPI_ENORSDP, "RSDP vanished", info->rsdp_addr);
    memcpy(info->oem_id, rsdp + 9, 6);
    if (rsdp[15] >= 2 && (rsdp = map(ctx, info->rsdp_addr, RSDP_V2_LEN)) == NULL)
        return fail(info, ACPI_ENORSDP, "RSDP vanished", info->rsdp_addr);

    const uint8_t *sdt = map_sdt(map, ctx, rsdp, info);
    if (sdt == NULL)
        return ACPI_ESDT;               /* map_table() said why */
    info->madt_addr = find_madt(map, ctx, sdt, info);
    if (info->madt_addr == 0) {
        snprintf(info->why, sizeof info->why, "%s lists no MADT (%d entries unreachable)",
                 info->xsdt ? "XSDT" : "RSDT", info->bad_entries_skipped);
        return ACPI_ENOMADT;
    }
    const uint8_t *madt = map_table(map, ctx, info->madt_addr, "APIC", MADT_FIXED_LEN, info);
    if (madt == NULL)
        return ACPI_EMADT;
    return acpi_parse_madt(madt, le32(madt + 4), info);
}

/* ---- using the result ---- */

bool acpi_boot_cpu_first(struct acpi_madt_info *info, uint8_t boot_apic_id)
{
    for (int i = 0; i < info->ncpus; i++) {
        if (info->apic_ids[i] != boot_apic_id)
            continue;
        uint8_t id = info->apic_ids[i], uid = info->acpi_uids[i];
        memmove(&info->apic_ids[1], &info->apic_ids[0], (size_t)i);
        memmove(&info->acpi_uids[1], &info->acpi_uids[0], (size_t)i);
        info->apic_ids[0] = id;
        info->acpi_uids[0] = uid;
        return true;
    }
    return false;
}

struct acpi_irq_route acpi_isa_route(const struct acpi_madt_info *info, int irq)
{
    if (irq < 0 || irq >= ACPI_ISA_IRQS)
        return (struct acpi_irq_route){ .gsi = ACPI_NO_GSI };
    struct acpi_irq_route r = info->isa[irq];
    if (r.gsi != (uint32_t)irq)
        return r;                       /* overridden */
    for (int other = 0; other < ACPI_ISA_IRQS; other++)
        if (other != irq && info->isa[other].gsi == r.gsi)
            return (struct acpi_irq_route){ .gsi = ACPI_NO_GSI };
    return r;
}

const char *acpi_strerror(int err)
{
    static const char *const names[] = {
        [ACPI_OK] = "ok",
        [ACPI_ENORSDP] = "no RSDP",
        [ACPI_ESDT] = "bad RSDT/XSDT",
        [ACPI_ENOMADT] = "no MADT",
        [ACPI_EMADT] = "bad MADT",
        [ACPI_EENTRY] = "bad MADT entry",
        [ACPI_ENOCPU] = "no enabled CPU",
    };
    if (err < 0 || err >= (int)(sizeof names / sizeof names[0]))
        return "unknown error";
    return names[err];
}
#endif /* LAB >= 5 */
