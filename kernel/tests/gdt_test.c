/*
 * gdt_test.c -- lab 1: is our GDT the one the CPU uses?
 */
#include "ktest.h"
#include "arch/i386/gdt.h"
#include <string.h>

struct gdtr {
    uint16_t limit;
    uint32_t base;
} __attribute__((packed));

static uint16_t read_selector_cs(void)
{
    uint16_t v;
    /* SAFETY: reads a segment register, no side effects. */
    __asm__ volatile("movw %%cs, %0" : "=r"(v));
    return v;
}

static uint16_t read_selector_ds(void)
{
    uint16_t v;
    /* SAFETY: reads a segment register, no side effects. */
    __asm__ volatile("movw %%ds, %0" : "=r"(v));
    return v;
}

static uint16_t read_selector_ss(void)
{
    uint16_t v;
    /* SAFETY: reads a segment register, no side effects. */
    __asm__ volatile("movw %%ss, %0" : "=r"(v));
    return v;
}

KTEST(gdt, loaded)
{
    struct gdtr g;
    /* SAFETY: sgdt stores 6 bytes into g, which is 6 bytes (packed). */
    __asm__ volatile("sgdt %0" : "=m"(g));
    /* SAFETY: pointer -> integer, to compare with GDTR's base. */
    KEXPECT_EQ(g.base, (uintptr_t)gdt);
    KEXPECT_EQ(g.limit, sizeof gdt - 1);
    KEXPECT_EQ(read_selector_cs(), GDT_KERNEL_CODE);
    KEXPECT_EQ(read_selector_ds(), GDT_KERNEL_DATA);
    KEXPECT_EQ(read_selector_ss(), GDT_KERNEL_DATA);
}

KTEST(gdt, encode)
{
    /* Every field distinct, so a byte in the wrong place shows. */
    struct gdt_entry e = gdt_encode(0x12345678, 0xABCDE, 0x9A, 0xC);
    const uint8_t expected[8] = { 0xDE, 0xBC, 0x78, 0x56, 0x34, 0x9A, 0xCA, 0x12 };
    uint8_t got[8];
    memcpy(got, &e, sizeof got);
    for (int i = 0; i < 8; i++)
        if (got[i] != expected[i])
            ktest_fail(__FILE__, __LINE__, "descriptor byte %d: expected 0x%02x, got 0x%02x",
                       i, expected[i], got[i]);
}

KTEST(gdt, user_segments)
{
    /* Ring-3 descriptors must say DPL 3, or lab 4's user mode faults. */
    KEXPECT_EQ((gdt[GDT_USER_CODE >> 3].access >> 5) & 3, 3);
    KEXPECT_EQ((gdt[GDT_USER_DATA >> 3].access >> 5) & 3, 3);
    KEXPECT_EQ((gdt[GDT_KERNEL_CODE >> 3].access >> 5) & 3, 0);
    KEXPECT(gdt[GDT_TSS >> 3].access & SEG_PRESENT);
}
