/*
 * cpu.c -- group "cpu": what ring 3 can ask of the processor itself.
 *
 *   int        `int $N` for every N but 0x80 (which is the system call):
 *              each gate but 0x80's has DPL 0, so the CPU raises #GP
 *              before any kernel handler runs (a DPL-3 gate of a vector
 *              whose exception pushes an error code would reach the
 *              kernel with a frame one word off; one of an IRQ would
 *              fake an interrupt). Every vector must end the process with
 *              SIGSEGV; the one-byte int3, into and bound too. (icebp,
 *              0xF1, is left out: QEMU decodes it as #UD, real CPUs as #DB.)
 *   far        far calls and jumps through selectors that are not the
 *              user's code segment (null, kernel code and data, the TSSes,
 *              an LDT that does not exist, past the GDT's limit); a far
 *              return and an iret to ring 0; an iret with NT set (a task
 *              return): all #GP or #TS, SIGSEGV. A far call through the
 *              user's own code selector works (the control).
 *   seg        loading the kernel's selectors into segment registers
 *              (#GP: SIGSEGV), a null %ss (#GP), mov to %cs (#UD: SIGILL);
 *              and system calls made with a null %ds or %es, or the code
 *              segment in %ds, through both doors: they work, and the
 *              kernel's entry copes.
 *   flags      system calls with NT, DF or TF set in eflags: they work
 *              (with TF, int $0x80 returns into a single-step trap: the
 *              process dies with SIGSEGV; sysenter drops TF); IOPL 3
 *              asked for by popf is not granted (cli still faults).
 *   priv       privileged instructions: #GP, SIGSEGV.
 *   addr       jumps to, reads of and writes to addresses outside user
 *              space: SIGSEGV. A system call with esp pointing into the
 *              kernel works (the CPU switches stacks).
 *   sysenter   sysenter with ebp (where the user stub keeps its return
 *              address) null, in the kernel, unmapped, or straddling
 *              USER_TOP: the process dies with SIGSEGV.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <tidepool.h>
#include <unistd.h>

#include <ktap.h>

#include "hostile.h"

#define SEL_KERNEL_CODE 0x08
#define SEL_KERNEL_DATA 0x10
#define SEL_USER_CODE   0x1b
#define SEL_USER_DATA   0x23
#define SEL_TSS         0x28
#define SEL_DF_TSS      0x30
#define SEL_CPU_TSS     0x38
#define SEL_LDT_0       0x07        /* index 0 of an LDT (TI = 1), RPL 3 */
#define SEL_PAST_GDT    0xfffb
#define EFLAGS_TF       0x100
#define EFLAGS_DF       0x400
#define EFLAGS_IOPL3    0x3000
#define EFLAGS_NT       0x4000

/* ---- int $N: 256 stubs of `int $N; ret` (3 bytes each, `.byte 0xcd`
 * so that N = 3 stays the two-byte form, not int3).
 * SAFETY: code only, in .text; nothing calls a stub but int_vector(),
 * in a child process that the interrupt is meant to end. */
__asm__(".pushsection .text\n"
        ".balign 4\n"
        "int_stubs:\n"
        ".set vector, 0\n"
        ".rept 256\n"
        ".byte 0xcd, vector\n"
        "ret\n"
        ".set vector, vector + 1\n"
        ".endr\n"
        ".popsection\n");
extern const char int_stubs[];

static void int_vector(unsigned v)
{
    /* SAFETY: pointer -> integer -> function pointer: the stub of vector
     * v, 3 bytes each from int_stubs (above), is `int $v; ret`. */
    void (*stub)(void) = (void (*)(void))(uintptr_t)(word(int_stubs) + 3 * v);
    stub();
}

/* Every vector in [lo, hi] but 0x80, each in a child of its own: how
 * many did not end their process with SIGSEGV (0 passes). */
static long int_range(long range)
{
    unsigned lo = (unsigned)range & 0xff, hi = (unsigned)range >> 8;
    long wrong = 0;
    for (unsigned v = lo; v <= hi; v++) {
        if (v == 0x80)
            continue;
        pid_t pid = fork();
        if (pid == 0) {
            int_vector(v);
            _exit(SURVIVED);
        }
        int st = 0;
        waitpid(pid, &st, 0);
        if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGSEGV) {
            if (wrong++ < 4)
                ktap_diag("int $%u: expected killed by signal %d, the process %s", v,
                          SIGSEGV, ktap_status(st));
        }
    }
    return wrong;
}

#define RANGE(lo, hi) ((lo) | (hi) << 8)

static long one_byte_traps(long which)
{
    static const int32_t bounds[2] = {10, 20};
    switch (which) {
    case 0:
        /* SAFETY: meant to fault: int3 (0xCC) checks the gate's DPL like
         * int $N; vector 3's is 0. */
        __asm__ volatile("int3");
        break;
    case 1:
        /* SAFETY: meant to fault: into with OF set is `int $4`: #GP. */
        __asm__ volatile("movl $0x7fffffff, %%eax\n\t"
                         "addl $1, %%eax\n\t"
                         "into" ::: "eax", "cc");
        break;
    default:
        /* SAFETY: meant to fault: 0 lies outside [10, 20]: #BR. */
        __asm__ volatile("xorl %%eax, %%eax\n\t"
                         "boundl %%eax, %0" : : "m"(bounds) : "eax");
        break;
    }
    return 0;
}

/* ---- far transfers */

struct far_pointer {
    uint32_t offset;
    uint16_t selector;
} __attribute__((packed));

/* The control's target: a far return to the caller.
 * SAFETY: code only, in .text, reached only by far_call's lcall through
 * the user code selector, which pushed the cs:eip that lret pops. */
__asm__(".pushsection .text\n"
        "far_target:\n"
        "lret\n"
        ".popsection\n");
extern const char far_target[];

static long far_call(long selector)
{
    struct far_pointer fp = {(uint32_t)word(far_target), (uint16_t)selector};
    /* SAFETY: a far call through fp; unless the selector is the user's
     * own code segment (then far_target returns at once), the CPU
     * refuses it with #GP and the process dies. */
    __asm__ volatile("lcall *%0" : : "m"(fp) : "memory");
    return 0;
}

static long far_jump(long selector)
{
    struct far_pointer fp = {(uint32_t)word(far_target), (uint16_t)selector};
    /* SAFETY: meant to fault: a far jump to a ring-0 selector is #GP. */
    __asm__ volatile("ljmp *%0" : : "m"(fp) : "memory");
    return 0;
}

/* lret or iret to ring 0's code selector, at the next instruction. */
static long return_to_ring0(long use_iret)
{
    if (use_iret)
        /* SAFETY: meant to fault: iret to a more privileged level is #GP. */
        __asm__ volatile("pushfl\n\t"
                         "pushl $0x08\n\t"
                         "pushl $1f\n\t"
                         "iret\n"
                         "1:" ::: "memory");
    else
        /* SAFETY: meant to fault: lret to a more privileged level is #GP. */
        __asm__ volatile("pushl $0x08\n\t"
                         "pushl $1f\n\t"
                         "lret\n"
                         "1:" ::: "memory");
    return 0;
}

/* iret with NT set is a task return through the TSS's back link. */
static long iret_nested_task(long unused)
{
    (void)unused;
    /* SAFETY: meant to fault: NT in eflags makes iret a task return; the
     * user has no task to return to (#TS or #GP). The frame, if the CPU
     * took it as a plain iret, would return to 1: with NT still set. */
    __asm__ volatile("pushfl\n\t"
                     "orl $0x4000, (%%esp)\n\t"
                     "popfl\n\t"
                     "pushfl\n\t"
                     "pushl %%cs\n\t"
                     "pushl $1f\n\t"
                     "iret\n"
                     "1:" ::: "memory", "cc");
    return 0;
}

/* ---- segment registers */

static long load_segment(long which)
{
    uint16_t kdata = SEL_KERNEL_DATA, tss = SEL_TSS, null = 0;
    switch (which) {
    case 0:
        /* SAFETY: meant to fault: a DPL-0 data segment from ring 3 is #GP. */
        __asm__ volatile("movw %0, %%ds" : : "r"(kdata));
        break;
    case 1:
        /* SAFETY: meant to fault: as above, for %ss. */
        __asm__ volatile("movw %0, %%ss" : : "r"(kdata));
        break;
    case 2:
        /* SAFETY: meant to fault: a null %ss is #GP. */
        __asm__ volatile("movw %0, %%ss" : : "r"(null));
        break;
    case 3:
        /* SAFETY: meant to fault: a TSS is not a data segment: #GP. */
        __asm__ volatile("movw %0, %%fs" : : "r"(tss));
        break;
    default:
        /* SAFETY: meant to fault: mov to %cs does not exist: #UD. */
        __asm__ volatile(".byte 0x8e, 0xc8" : : "a"(kdata));    /* movw %ax, %cs */
        break;
    }
    return 0;
}

/* getpid through one door with sel in %ds (or %es), and the user data
 * selector put back right after. */
static long segment_door(bool sysenter, uint16_t sel, bool es)
{
    long r;
    uint16_t user = SEL_USER_DATA;
    if (sysenter && !getauxval(AT_SYSENTER))
        return getpid();
    if (!sysenter && !es)
        /* SAFETY: loads a selector ring 3 may load (null, or its own
         * readable code segment) into %ds for one int $0x80 (which reads
         * no user memory) and the user data selector back right after,
         * before any memory access. */
        __asm__ volatile("movw %w2, %%ds\n\t"
                         "int $0x80\n\t"
                         "movw %w3, %%ds"
                         : "=a"(r) : "a"(SYS_getpid), "r"(sel), "r"(user) : "memory");
    else if (!sysenter)
        /* SAFETY: as above, for %es. */
        __asm__ volatile("movw %w2, %%es\n\t"
                         "int $0x80\n\t"
                         "movw %w3, %%es"
                         : "=a"(r) : "a"(SYS_getpid), "r"(sel), "r"(user) : "memory");
    else
        /* SAFETY: as above, through sysenter; the return frame the
         * kernel reads (docs/abi.md: the return address at [ebp]) is
         * built on this stack before %ds changes, and ss-relative pushes
         * do not use %ds. ecx and edx are lost to sysexit. */
        __asm__ volatile("pushl %%ebp\n\t"
                         "pushl $1f\n\t"
                         "movl %%esp, %%ebp\n\t"
                         "movw %w2, %%ds\n\t"
                         "movw %w2, %%es\n\t"
                         "sysenter\n"
                         "1:\tmovw %w3, %%ds\n\t"
                         "movw %w3, %%es\n\t"
                         "popl %%ebp"
                         : "=a"(r) : "a"(SYS_getpid), "b"(sel), "S"(user)
                         : "ecx", "edx", "memory");
    return r;
}

/* arg: bit 0 sysenter, bit 1 %es instead of %ds, bit 2 the code
 * selector instead of null. Our pid back. */
static long segment_syscall(long arg)
{
    uint16_t sel = (arg & 4) ? SEL_USER_CODE : 0;
    long r = segment_door(arg & 1, sel, arg & 2);
    return r == getpid() ? 0 : r;
}

/* ---- eflags */

static void set_flags(uint32_t bits)
{
    /* SAFETY: sets bits of eflags a user may set (NT, DF, TF, IOPL: the
     * CPU ignores an IOPL change at CPL 3). */
    __asm__ volatile("pushfl\n\t"
                     "orl %0, (%%esp)\n\t"
                     "popfl" : : "r"(bits) : "memory", "cc");
}

static void clear_flags(uint32_t bits)
{
    /* SAFETY: clears eflags bits again (see set_flags). */
    __asm__ volatile("pushfl\n\t"
                     "andl %0, (%%esp)\n\t"
                     "popfl" : : "r"(~bits) : "memory", "cc");
}

/* getpid with NT set, by either door: our pid (0 if so). */
static long nt_syscall(long sysenter)
{
    if (sysenter && !getauxval(AT_SYSENTER))
        return 0;
    set_flags(EFLAGS_NT);
    long r = sysenter ? syscall_sysenter(SYS_getpid, 0, 0, 0, 0, 0)
                      : syscall_int80(SYS_getpid, 0, 0, 0, 0, 0);
    clear_flags(EFLAGS_NT);
    return r == getpid() ? 0 : r;
}

/* fork by sysenter with NT set (the full path, and the child's first
 * iret): the child exits 5, the parent reaps it. */
static long nt_fork(long unused)
{
    (void)unused;
    if (!getauxval(AT_SYSENTER))
        return 5;
    set_flags(EFLAGS_NT);
    long pid = syscall_sysenter(SYS_fork, 0, 0, 0, 0, 0);
    clear_flags(EFLAGS_NT);
    if (pid == 0)
        _exit(5);
    int st = 0;
    if (pid < 0 || waitpid((pid_t)pid, &st, 0) != pid)
        return -15000;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -15001;
}

/* write and read a pipe with DF set: the kernel must copy forwards. */
static long df_syscall(long sysenter)
{
    int p[2];
    char got[8] = {0};
    if (pipe(p) != 0)
        return -errno;
    bool door = sysenter && getauxval(AT_SYSENTER);
    set_flags(EFLAGS_DF);
    long w = door ? syscall_sysenter(SYS_write, p[1], word("abcdef"), 6, 0, 0)
                  : syscall_int80(SYS_write, p[1], word("abcdef"), 6, 0, 0);
    long r = door ? syscall_sysenter(SYS_read, p[0], word(got), 6, 0, 0)
                  : syscall_int80(SYS_read, p[0], word(got), 6, 0, 0);
    clear_flags(EFLAGS_DF);
    return w == 6 && r == 6 && memcmp(got, "abcdef", 6) == 0 ? 0 : -16000 - w;
}

/* getpid with TF set by the popf right before the door (TF set by
 * popf traps after the instruction that follows it: the door itself).
 * By int $0x80 the gate clears TF and the iret brings it back: the next
 * user instruction traps (#DB from ring 3), and the process dies. By
 * sysenter the trap comes on the kernel's first instruction, which
 * drops TF, and sysexit returns with the kernel's flags: it lives. */
static long tf_syscall(long sysenter)
{
    long r;
    if (!sysenter)
        /* SAFETY: TF for one int $0x80; the single-step trap after the
         * return ends the process (the kernel has no debugger to give it
         * to), so the popf after it runs only on a broken kernel. */
        __asm__ volatile("pushfl\n\t"
                         "orl $0x100, (%%esp)\n\t"
                         "popfl\n\t"
                         "int $0x80\n\t"
                         "pushfl\n\t"
                         "andl $~0x100, (%%esp)\n\t"
                         "popfl"
                         : "=a"(r) : "a"(SYS_getpid) : "memory", "cc");
    else if (getauxval(AT_SYSENTER))
        /* SAFETY: TF for one sysenter, with the return frame the kernel
         * reads (docs/abi.md: the return address at [ebp]); ecx and edx
         * are lost to sysexit. */
        __asm__ volatile("pushl %%ebp\n\t"
                         "pushl $1f\n\t"
                         "movl %%esp, %%ebp\n\t"
                         "pushfl\n\t"
                         "orl $0x100, (%%esp)\n\t"
                         "popfl\n\t"
                         "sysenter\n"
                         "1:\tpopl %%ebp"
                         : "=a"(r) : "a"(SYS_getpid) : "ecx", "edx", "memory", "cc");
    else
        return 0;
    return r == getpid() ? 0 : r;
}

static long iopl3_then_cli(long unused)
{
    (void)unused;
    set_flags(EFLAGS_IOPL3);
    /* SAFETY: meant to fault: popf at CPL 3 left IOPL at 0, so cli is #GP. */
    __asm__ volatile("cli");
    return 0;
}

/* ---- privileged instructions */

static long privileged(long which)
{
    static const uint8_t table[6] = {0};
    uint32_t zero = 0;
    switch (which) {
    case 0:
        /* SAFETY: meant to fault: lgdt is privileged. */
        __asm__ volatile("lgdt %0" : : "m"(table));
        break;
    case 1:
        /* SAFETY: meant to fault: lidt is privileged. */
        __asm__ volatile("lidt %0" : : "m"(table));
        break;
    case 2:
        /* SAFETY: meant to fault: ltr is privileged. */
        __asm__ volatile("ltr %w0" : : "r"(SEL_TSS));
        break;
    case 3:
        /* SAFETY: meant to fault: lldt is privileged. */
        __asm__ volatile("lldt %w0" : : "r"(zero));
        break;
    case 4:
        /* SAFETY: meant to fault: moves to and from control registers
         * are privileged. */
        __asm__ volatile("movl %%cr3, %%eax\n\tmovl %%eax, %%cr3" ::: "eax");
        break;
    case 5:
        /* SAFETY: meant to fault: rdmsr is privileged. */
        __asm__ volatile("rdmsr" : : "c"(0x174) : "eax", "edx");
        break;
    case 6:
        /* SAFETY: meant to fault: wrmsr is privileged (0x176 would be
         * SYSENTER_EIP). */
        __asm__ volatile("wrmsr" : : "c"(0x176), "a"(0), "d"(0));
        break;
    case 7:
        /* SAFETY: meant to fault: invlpg is privileged. */
        __asm__ volatile("invlpg (%0)" : : "r"(int_stubs) : "memory");
        break;
    case 8:
        /* SAFETY: meant to fault: sysexit is for ring 0 only. */
        __asm__ volatile("sysexit" : : "c"(0), "d"(0));
        break;
    case 9:
        /* SAFETY: meant to fault: clts is privileged. */
        __asm__ volatile("clts");
        break;
    case 10:
        /* SAFETY: meant to fault: port input with IOPL 0: #GP. */
        __asm__ volatile("inb $0x64, %%al" ::: "eax");
        break;
    default:
        /* SAFETY: meant to fault: sti with IOPL 0: #GP. */
        __asm__ volatile("sti");
        break;
    }
    return 0;
}

/* ---- addresses outside user space */

static const uintptr_t outside[] = {
    0xFFFFF000u,            /* the page above USER_TOP */
    0x3FFFF000u,            /* the last page below USER_BASE */
    0x38000000u,            /* the kernel stacks' area (KSTACK_AREA) */
    0x00000000u,            /* NULL */
};

static long jump_to(long i)
{
    /* SAFETY: meant to fault: fetching code outside user space. */
    __asm__ volatile("call *%0" : : "r"(outside[i]) : "memory");
    return 0;
}

static long read_at(long i)
{
    /* SAFETY: meant to fault: reading outside user space. */
    __asm__ volatile("movl (%0), %%eax" : : "r"(outside[i]) : "eax", "memory");
    return 0;
}

static long write_at(long i)
{
    /* SAFETY: meant to fault: writing outside user space (the last word
     * of the page). */
    __asm__ volatile("movl $0, 4092(%0)" : : "r"(outside[i]) : "memory");
    return 0;
}

/* A system call while esp points into the kernel: the CPU takes the
 * kernel stack from the TSS, and the user's esp is only saved. */
static long syscall_kernel_esp(long unused)
{
    (void)unused;
    long r;
    /* SAFETY: esp holds a kernel address for one int $0x80 only, and
     * nothing is pushed meanwhile (edi keeps the real one). */
    __asm__ volatile("movl %%esp, %%edi\n\t"
                     "movl %2, %%esp\n\t"
                     "int $0x80\n\t"
                     "movl %%edi, %%esp"
                     : "=a"(r) : "a"(SYS_getpid), "r"(KERNEL_ADDR + 64) : "edi", "memory");
    return r == getpid() ? 0 : r;
}

/* sysenter with ebp (the stub's return-address pointer) at `bad`. */
static long sysenter_bad_ebp(long bad)
{
    if (!getauxval(AT_SYSENTER))
        /* SAFETY: no sysenter here: die as the case expects instead. */
        __asm__ volatile("movl $0, 0" ::: "memory");
    /* SAFETY: meant to die: the kernel reads the return address at
     * [ebp] and must end the process when it cannot. */
    __asm__ volatile("pushl %%ebp\n\t"
                     "movl %0, %%ebp\n\t"
                     "sysenter\n\t"
                     "popl %%ebp" : : "r"(bad), "a"(SYS_getpid) : "ecx", "edx", "memory");
    return 0;
}

static const struct hcase cases[] = {
    {"cpu.int.exceptions_0_31", RETURNS, 0, int_range, RANGE(0, 31)},
    {"cpu.int.irqs_32_47", RETURNS, 0, int_range, RANGE(32, 47)},
    {"cpu.int.apic_48_63", RETURNS, 0, int_range, RANGE(48, 63)},
    {"cpu.int.unused_64_127", RETURNS, 0, int_range, RANGE(64, 127)},
    {"cpu.int.unused_129_255", RETURNS, 0, int_range, RANGE(129, 255)},
    {"cpu.int.int3", KILLED_BY, SIGSEGV, one_byte_traps, 0},
    {"cpu.int.into", KILLED_BY, SIGSEGV, one_byte_traps, 1},
    {"cpu.int.bound", KILLED_BY, SIGSEGV, one_byte_traps, 2},
    {"cpu.far.call.user_code_works", RETURNS, 0, far_call, SEL_USER_CODE},
    {"cpu.far.call.null", KILLED_BY, SIGSEGV, far_call, 0},
    {"cpu.far.call.kernel_code", KILLED_BY, SIGSEGV, far_call, SEL_KERNEL_CODE},
    {"cpu.far.call.kernel_data", KILLED_BY, SIGSEGV, far_call, SEL_KERNEL_DATA},
    {"cpu.far.call.user_data", KILLED_BY, SIGSEGV, far_call, SEL_USER_DATA},
    {"cpu.far.call.tss", KILLED_BY, SIGSEGV, far_call, SEL_TSS},
    {"cpu.far.call.double_fault_tss", KILLED_BY, SIGSEGV, far_call, SEL_DF_TSS},
    {"cpu.far.call.cpu_tss", KILLED_BY, SIGSEGV, far_call, SEL_CPU_TSS},
    {"cpu.far.call.ldt", KILLED_BY, SIGSEGV, far_call, SEL_LDT_0},
    {"cpu.far.call.past_gdt", KILLED_BY, SIGSEGV, far_call, SEL_PAST_GDT},
    {"cpu.far.jump.kernel_code", KILLED_BY, SIGSEGV, far_jump, SEL_KERNEL_CODE},
    {"cpu.far.jump.double_fault_tss", KILLED_BY, SIGSEGV, far_jump, SEL_DF_TSS},
    {"cpu.far.lret_to_ring0", KILLED_BY, SIGSEGV, return_to_ring0, 0},
    {"cpu.far.iret_to_ring0", KILLED_BY, SIGSEGV, return_to_ring0, 1},
    {"cpu.far.iret_nested_task", KILLED_BY, SIGSEGV, iret_nested_task, 0},
    {"cpu.seg.ds_kernel_data", KILLED_BY, SIGSEGV, load_segment, 0},
    {"cpu.seg.ss_kernel_data", KILLED_BY, SIGSEGV, load_segment, 1},
    {"cpu.seg.ss_null", KILLED_BY, SIGSEGV, load_segment, 2},
    {"cpu.seg.fs_tss", KILLED_BY, SIGSEGV, load_segment, 3},
    {"cpu.seg.mov_to_cs", KILLED_BY, SIGILL, load_segment, 4},
    {"cpu.seg.null_ds_int80", RETURNS, 0, segment_syscall, 0},
    {"cpu.seg.null_ds_es_sysenter", RETURNS, 0, segment_syscall, 1},
    {"cpu.seg.null_es_int80", RETURNS, 0, segment_syscall, 2},
    {"cpu.seg.code_in_ds_int80", RETURNS, 0, segment_syscall, 4},
    {"cpu.seg.code_in_ds_es_sysenter", RETURNS, 0, segment_syscall, 5},
    {"cpu.flags.nt_int80", RETURNS, 0, nt_syscall, 0},
    {"cpu.flags.nt_sysenter", RETURNS, 0, nt_syscall, 1},
    {"cpu.flags.nt_fork_by_sysenter", RETURNS, 5, nt_fork, 0},
    {"cpu.flags.df_int80", RETURNS, 0, df_syscall, 0},
    {"cpu.flags.df_sysenter", RETURNS, 0, df_syscall, 1},
    {"cpu.flags.tf_int80", KILLED_BY, SIGSEGV, tf_syscall, 0},
    {"cpu.flags.tf_sysenter", RETURNS, 0, tf_syscall, 1},
    {"cpu.flags.iopl3_not_granted", KILLED_BY, SIGSEGV, iopl3_then_cli, 0},
    {"cpu.priv.lgdt", KILLED_BY, SIGSEGV, privileged, 0},
    {"cpu.priv.lidt", KILLED_BY, SIGSEGV, privileged, 1},
    {"cpu.priv.ltr", KILLED_BY, SIGSEGV, privileged, 2},
    {"cpu.priv.lldt", KILLED_BY, SIGSEGV, privileged, 3},
    {"cpu.priv.mov_cr3", KILLED_BY, SIGSEGV, privileged, 4},
    {"cpu.priv.rdmsr", KILLED_BY, SIGSEGV, privileged, 5},
    {"cpu.priv.wrmsr_sysenter_eip", KILLED_BY, SIGSEGV, privileged, 6},
    {"cpu.priv.invlpg", KILLED_BY, SIGSEGV, privileged, 7},
    {"cpu.priv.sysexit", KILLED_BY, SIGSEGV, privileged, 8},
    {"cpu.priv.clts", KILLED_BY, SIGSEGV, privileged, 9},
    {"cpu.priv.inb", KILLED_BY, SIGSEGV, privileged, 10},
    {"cpu.priv.sti", KILLED_BY, SIGSEGV, privileged, 11},
    {"cpu.addr.jump_above_top", KILLED_BY, SIGSEGV, jump_to, 0},
    {"cpu.addr.jump_below_base", KILLED_BY, SIGSEGV, jump_to, 1},
    {"cpu.addr.jump_kernel_stacks", KILLED_BY, SIGSEGV, jump_to, 2},
    {"cpu.addr.call_null", KILLED_BY, SIGSEGV, jump_to, 3},
    {"cpu.addr.read_above_top", KILLED_BY, SIGSEGV, read_at, 0},
    {"cpu.addr.read_kernel_stacks", KILLED_BY, SIGSEGV, read_at, 2},
    {"cpu.addr.write_above_top", KILLED_BY, SIGSEGV, write_at, 0},
    {"cpu.addr.write_below_base", KILLED_BY, SIGSEGV, write_at, 1},
    {"cpu.addr.syscall_with_kernel_esp", RETURNS, 0, syscall_kernel_esp, 0},
    {"cpu.sysenter.ebp_null", KILLED_BY, SIGSEGV, sysenter_bad_ebp, 0},
    {"cpu.sysenter.ebp_kernel", KILLED_BY, SIGSEGV, sysenter_bad_ebp, KERNEL_ADDR},
    {"cpu.sysenter.ebp_unmapped", KILLED_BY, SIGSEGV, sysenter_bad_ebp, UNMAPPED_ADDR},
    {"cpu.sysenter.ebp_straddles_top", KILLED_BY, SIGSEGV, sysenter_bad_ebp, 0xFFFFEFFE},
};

const struct hgroup cpu_cases = HGROUP(cases);
