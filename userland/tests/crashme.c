/*
 * crashme.c -- does one forbidden thing, to be killed for it.
 *
 *     crashme MODE
 *
 * Used by t_crash, which says what each MODE must be killed with. Each
 * mode is one instruction in inline assembly, so the compiler can
 * neither drop nor change it. If the process survives, it says so and
 * exits 1; an unknown MODE exits 2.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define KERNEL_ADDRESS "0x00100000"

static void read_null(void)
{
    /* SAFETY: meant to fault: address 0 is below USER_BASE, so it is
     * either unmapped or the kernel's (supervisor-only). */
    __asm__ volatile("movl 0, %%eax" ::: "eax", "memory");
}

static void write_null(void)
{
    /* SAFETY: meant to fault: as in read_null. */
    __asm__ volatile("movl $0, 0" ::: "memory");
}

static void divide_by_zero(void)
{
    /* SAFETY: meant to fault: divl by a zero ecx is a divide error. */
    __asm__ volatile("xorl %%ecx, %%ecx\n\t"
                     "movl $1, %%eax\n\t"
                     "xorl %%edx, %%edx\n\t"
                     "divl %%ecx" ::: "eax", "ecx", "edx");
}

static void clear_interrupts(void)
{
    /* SAFETY: meant to fault: cli needs CPL <= IOPL, and user code runs
     * with IOPL 0. */
    __asm__ volatile("cli");
}

static void halt(void)
{
    /* SAFETY: meant to fault: hlt is privileged (CPL 0 only). */
    __asm__ volatile("hlt");
}

static void port_output(void)
{
    /* SAFETY: meant to fault: port I/O needs CPL <= IOPL (there is no
     * I/O bitmap allowing it). Port 0x80 is the POST port, harmless if a
     * broken kernel lets the write through. */
    __asm__ volatile("movb $0, %%al\n\t"
                     "outb %%al, $0x80" ::: "eax");
}

static void read_kernel(void)
{
    /* SAFETY: meant to fault: the kernel's pages are supervisor-only. */
    __asm__ volatile("movl " KERNEL_ADDRESS ", %%eax" ::: "eax", "memory");
}

static void jump_to_kernel(void)
{
    /* SAFETY: meant to fault: fetching an instruction from a supervisor
     * page in ring 3 is a page fault. */
    __asm__ volatile("movl $" KERNEL_ADDRESS ", %%eax\n\t"
                     "jmp *%%eax" ::: "eax");
}

static void write_text(void)
{
    /* SAFETY: meant to fault: the text segment is mapped read-only. The
     * address written is that of the writing instruction itself. */
    __asm__ volatile("movl $1f, %%eax\n\t"
                     "1: movb $0x90, (%%eax)" ::: "eax", "memory");
}

static void invalid_opcode(void)
{
    /* SAFETY: meant to fault: ud2 is the defined invalid opcode. */
    __asm__ volatile("ud2");
}

static void software_interrupt(void)
{
    /* SAFETY: meant to fault: vector 14's gate (page fault) has DPL 0,
     * so `int $14` from ring 3 is a general-protection fault. */
    __asm__ volatile("int $14");
}

static const struct {
    const char *name;
    void (*crash)(void);
} modes[] = {
    {"null", read_null},
    {"null-write", write_null},
    {"div0", divide_by_zero},
    {"cli", clear_interrupts},
    {"hlt", halt},
    {"outb", port_output},
    {"kernel-read", read_kernel},
    {"kernel-jump", jump_to_kernel},
    {"wrtext", write_text},
    {"ud2", invalid_opcode},
    {"int14", software_interrupt},
};

int main(int argc, char **argv)
{
    for (size_t i = 0; argc == 2 && i < sizeof modes / sizeof modes[0]; i++) {
        if (strcmp(argv[1], modes[i].name) == 0) {
            modes[i].crash();
            printf("# crashme %s: still alive after the fault; the kernel should have "
                   "killed this process\n", argv[1]);
            return 1;
        }
    }
    printf("# crashme: usage: crashme MODE, MODE one of:");
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
        printf(" %s", modes[i].name);
    printf("\n");
    return 2;
}
