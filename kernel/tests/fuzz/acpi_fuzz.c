/*
 * acpi_fuzz.c -- libFuzzer harness over the ACPI parser
 * (kernel/arch/i386/acpi.c: RSDP -> RSDT/XSDT -> MADT). An input is
 * physical memory in the format of the host tests' fixtures (fuzz_mem.h),
 * so the fixtures dumped from QEMU and Bochs are the seeds as they are.
 * The parser reaches memory only through its map function, here
 * fuzz_mem_map(): each range a heap block of exactly the length asked.
 *
 * Every table carries a checksum, which random mutations nearly always
 * break, and the parser then stops at the first table. So each input is
 * parsed twice: as it is, then with every checksum made right (an RSDP's
 * two, each table's own), which lets the mutations reach the RSDT's
 * entries and the MADT's. Each MADT-looking chunk also goes straight to
 * acpi_parse_madt() with its chunk's length.
 *
 * Oracles on ACPI_OK: 1..ACPI_MAX_CPUS enabled CPUs with distinct APIC
 * ids, the I/O APICs and LAPIC NMIs within their arrays; the boot CPU can
 * be moved first, every ISA IRQ has a route. On an error: a reason in
 * `why`, a name for the code.
 *
 *   make fuzz-acpi FUZZ_SECONDS=60       (make test-fuzz: a few seconds)
 */
#include "fuzz.h"

#if LAB >= 5
#include "arch/i386/acpi.h"
#include "fuzz_mem.h"

static const void *map(void *ctx, uint64_t pa, uint32_t len)
{
    (void)ctx;
    return fuzz_mem_map(pa, len);
}

static uint32_t get32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* Make p[at] such that the bytes p[0..len) sum to 0. */
static void fix_checksum(uint8_t *p, uint32_t len, uint32_t at)
{
    uint8_t sum = 0;
    p[at] = 0;
    for (uint32_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + p[i]);
    p[at] = (uint8_t)-sum;
}

static void fix_chunk(const struct fuzz_chunk *c)
{
    if (c->len >= 20 && memcmp(c->data, "RSD PTR ", 8) == 0) {
        fix_checksum(c->data, 20, 8);
        uint32_t len = c->len >= 36 ? get32(c->data + 20) : 0;
        if (c->data[15] >= 2 && len >= 36 && len <= c->len)
            fix_checksum(c->data, len, 32);
    } else if (c->len >= 36) {
        uint32_t len = get32(c->data + 4);
        if (len >= 36 && len <= c->len)
            fix_checksum(c->data, len, 9);
    }
}

static void fix_checksums(uint8_t *data, size_t size)
{
    size_t off = 0;
    struct fuzz_chunk c;
    while (fuzz_chunk_next(data, size, &off, &c))
        fix_chunk(&c);
}

static void check_found(struct acpi_madt_info *info)
{
    CHECK(info->ncpus >= 1 && info->ncpus <= ACPI_MAX_CPUS);
    for (int i = 0; i < info->ncpus; i++)
        for (int j = i + 1; j < info->ncpus; j++)
            CHECK(info->apic_ids[i] != info->apic_ids[j]);
    CHECK(info->nioapics >= 0 && info->nioapics <= ACPI_MAX_IOAPICS);
    CHECK(info->nlapic_nmis >= 0 && info->nlapic_nmis <= ACPI_MAX_LAPIC_NMI);
    CHECK(memchr(info->oem_id, '\0', sizeof info->oem_id) != NULL);
    uint8_t last = info->apic_ids[info->ncpus - 1];
    CHECK(acpi_boot_cpu_first(info, last) && info->apic_ids[0] == last);
    for (int irq = -1; irq <= ACPI_ISA_IRQS; irq++)
        (void)acpi_isa_route(info, irq);
}

static void check_answer(int err, struct acpi_madt_info *info)
{
    CHECK(acpi_strerror(err) != NULL);
    if (err == ACPI_OK)
        check_found(info);
    else
        CHECK(info->why[0] != '\0' && memchr(info->why, '\0', sizeof info->why) != NULL);
}

static void parse_memory(uint8_t *data, size_t size)
{
    struct acpi_madt_info info;
    fuzz_mem_load(data, size);
    check_answer(acpi_parse(map, NULL, &info), &info);
    fuzz_mem_reset();
}

/* A chunk that starts like a MADT, walked as one of its own length. */
static void parse_madts(uint8_t *data, size_t size)
{
    size_t off = 0;
    struct fuzz_chunk c;
    while (fuzz_chunk_next(data, size, &off, &c)) {
        if (c.len < 4 || memcmp(c.data, "APIC", 4) != 0)
            continue;
        uint8_t *madt = fuzz_copy(c.data, c.len, 0);
        struct acpi_madt_info info;
        memset(&info, 0, sizeof info);
        check_answer(acpi_parse_madt(madt, c.len, &info), &info);
        free(madt);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = fuzz_copy(data, size, 0);
    parse_memory(copy, size);
    fix_checksums(copy, size);
    parse_memory(copy, size);
    parse_madts(copy, size);
    free(copy);
    return 0;
}
#endif /* LAB >= 5 */
