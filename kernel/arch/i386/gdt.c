/*
 * gdt.c -- our own segments.
 *
 * The Multiboot loader leaves a GDT of its own somewhere in memory we may
 * overwrite later, so the first thing the kernel does is build its own:
 * flat 4 GiB code and data segments for ring 0 and ring 3, and a TSS.
 * Segmentation is then "off" in the sense that every segment covers all
 * of memory; paging (lab 3) does the real protection.
 */
#include "arch/i386/gdt.h"
#include "lab.h"

struct gdt_entry gdt[GDT_ENTRIES];
struct tss tss;

/* The operand of lgdt: size-1 and linear address of the table. */
struct gdt_pointer {
    uint16_t limit;
    uint32_t base;
} __attribute__((packed));

struct gdt_entry gdt_encode(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
    struct gdt_entry e = { 0 };
#if SOLVED >= 1
    e.limit_low = limit & 0xFFFF;
    e.base_low = base & 0xFFFF;
    e.base_mid = (base >> 16) & 0xFF;
    e.access = access;
    e.limit_flags = (uint8_t)(((limit >> 16) & 0x0F) | ((flags & 0x0F) << 4));
    e.base_high = (base >> 24) & 0xFF;
#else
    /* LAB 1 exercise 2: scatter base (32 bits), limit (20 bits), the access
     * byte and the flags nibble over the fields of struct gdt_entry, as in
     * Intel SDM vol. 3A, figure 3-8. */
    (void)base; (void)limit; (void)access; (void)flags;
    LAB_TODO(1, 2, "gdt_encode()");
#endif
    return e;
}

/* Load GDTR, then reload every segment register: the CPU keeps using the
 * old descriptors' cached copies until a selector is loaded again, and CS
 * can only be reloaded by a far jump (or call/return). */
static void gdt_load(const struct gdt_pointer *gp)
{
    /* SAFETY: the table gp points to is static and holds valid flat
     * descriptors at GDT_KERNEL_CODE/GDT_KERNEL_DATA, so every reloaded
     * selector names a present segment covering the code and stack in use. */
    __asm__ volatile(
        "lgdt (%0)\n\t"
        "ljmp %1, $1f\n"
        "1:\n\t"
        "movw %w2, %%ax\n\t"
        "movw %%ax, %%ds\n\t"
        "movw %%ax, %%es\n\t"
        "movw %%ax, %%fs\n\t"
        "movw %%ax, %%gs\n\t"
        "movw %%ax, %%ss\n\t"
        : : "r"(gp), "i"(GDT_KERNEL_CODE), "r"((uint32_t)GDT_KERNEL_DATA)
        : "eax", "memory");
}

static void tss_load(uint16_t selector)
{
    /* SAFETY: selector names a TSS descriptor installed by gdt_init()
     * (or gdt_fill_cpus()), marked available; ltr marks it busy, so each
     * CPU's runs once per boot. */
    __asm__ volatile("ltr %w0" : : "r"(selector));
}

#if LAB >= 5
_Static_assert(GDT_MAX_CPUS == MAX_CPUS, "gdt.h's GDT_MAX_CPUS must equal percpu.h's MAX_CPUS");

static struct tss ap_tss[MAX_CPUS];     /* [0] unused: the boot CPU has `tss` */
static bool gdt_built;

/* Every CPU's TSS and %fs segment. A CPU's segment covers exactly its
 * struct cpu: a stray %fs access past it faults instead of reading the
 * next CPU's data. */
static void gdt_fill_cpus(void)
{
    for (int i = 0; i < MAX_CPUS; i++) {
        struct tss *t = i == 0 ? &tss : &ap_tss[i];
        t->ss0 = GDT_KERNEL_DATA;
        t->iomap_base = sizeof *t;
        /* SAFETY: pointers -> integers for the descriptors' bases; flat
         * segments make linear == the C pointer value. */
        gdt[GDT_CPU_TSS(i) >> 3] = gdt_encode((uint32_t)(uintptr_t)t, sizeof *t - 1,
                                              SEG_PRESENT | SEG_TSS32, 0);
        gdt[GDT_CPU_FS(i) >> 3] = gdt_encode((uint32_t)(uintptr_t)&cpus[i], sizeof cpus[i] - 1,
                                             SEG_PRESENT | SEG_DPL(0) | SEG_CODE_DATA | SEG_DATA,
                                             SEG_32BIT);
        cpus[i].self = &cpus[i];
        cpus[i].id = i;
        cpus[i].tss = t;
    }
}

static void fs_load(uint16_t selector)
{
    /* SAFETY: selector names the per-CPU data segment gdt_fill_cpus()
     * made, present, DPL 0, covering that CPU's struct cpu. */
    __asm__ volatile("movw %w0, %%fs" : : "r"(selector) : "memory");
}
#endif

void gdt_init(void)
{
#if LAB >= 5
    if (gdt_built) {    /* gdt_early_init() did the work before the console */
        kprintf("gdt: loaded, per-CPU %%fs and TSS for %d CPUs\n", MAX_CPUS);
        return;
    }
#endif
    const uint8_t ring0 = SEG_PRESENT | SEG_DPL(0) | SEG_CODE_DATA;
    const uint8_t ring3 = SEG_PRESENT | SEG_DPL(3) | SEG_CODE_DATA;
    const uint8_t flat = SEG_4K | SEG_32BIT;

    gdt[0] = (struct gdt_entry){ 0 };   /* the CPU never uses entry 0 */
    gdt[GDT_KERNEL_CODE >> 3] = gdt_encode(0, 0xFFFFF, ring0 | SEG_CODE, flat);
    gdt[GDT_KERNEL_DATA >> 3] = gdt_encode(0, 0xFFFFF, ring0 | SEG_DATA, flat);
    gdt[GDT_USER_CODE >> 3] = gdt_encode(0, 0xFFFFF, ring3 | SEG_CODE, flat);
    gdt[GDT_USER_DATA >> 3] = gdt_encode(0, 0xFFFFF, ring3 | SEG_DATA, flat);

    tss.ss0 = GDT_KERNEL_DATA;
    tss.iomap_base = sizeof tss;        /* no I/O permission bitmap */
    /* SAFETY: pointer -> integer, to store the TSS's linear address in its
     * descriptor; with flat segments linear == the C pointer value. */
    uint32_t tss_base = (uint32_t)(uintptr_t)&tss;
    gdt[GDT_TSS >> 3] = gdt_encode(tss_base, sizeof tss - 1,
                                   SEG_PRESENT | SEG_TSS32, 0);

    /* A stub gdt_encode() returns empty descriptors: loading those would
     * fault, so keep the loader's GDT and let the grader see it. */
    if (!(gdt[GDT_KERNEL_CODE >> 3].access & SEG_PRESENT)) {
        kprintf("gdt: NOT loaded, still on the boot loader's GDT\n");
        return;
    }
    /* SAFETY: pointer -> integer for GDTR's base, as for the TSS above. */
    struct gdt_pointer gp = { sizeof gdt - 1, (uint32_t)(uintptr_t)gdt };
    gdt_load(&gp);
#if LAB >= 5
    gdt_fill_cpus();
    tss_load(GDT_CPU_TSS(0));
    fs_load(GDT_CPU_FS(0));
    gdt_built = true;
#else
    tss_load(GDT_TSS);
    kprintf("gdt: loaded\n");
#endif
}

#if LAB >= 5
void gdt_early_init(void)
{
    gdt_init();
}

void gdt_init_cpu(int cpu)
{
    /* SAFETY: pointer -> integer for GDTR's base, as in gdt_init(). */
    struct gdt_pointer gp = { sizeof gdt - 1, (uint32_t)(uintptr_t)gdt };
    gdt_load(&gp);
    tss_load(GDT_CPU_TSS(cpu));
    fs_load(GDT_CPU_FS(cpu));
}
#endif
