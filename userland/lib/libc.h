/*
 * libc.h -- what the libc's own files share and programs do not see.
 */
#ifndef USER_LIBC_H
#define USER_LIBC_H

#include <stdbool.h>
#include <stdint.h>

/* syscall_path.c: set the path syscall_raw() takes (start.c, once). */
void syscall_choose_path(bool sysenter);

/* file.c: writes out every stdio stream's output (exit() calls it). */
void stdio_flush_all(void);

/* start.c: remembers the auxiliary vector for getauxval(). */
void auxv_remember(const uintptr_t *auxv);

/*
 * The system-call helpers of syscalls.c. A pointer argument travels to
 * the kernel as a 32-bit word; user_arg() is the one place that turns it
 * into one. sys_result() turns the kernel's -ENAME into errno and -1.
 */
static inline long user_arg(const void *p)
{
    /* SAFETY: pointer -> integer: on i386 a pointer and a long are both
     * 32 bits, and the kernel checks every address it is given (copyin,
     * copyout: a bad one gives -EFAULT), so no value here is unsafe. */
    return (long)(uintptr_t)p;
}

long sys_result(long r);

/*
 * How the libc's own wrappers enter the kernel: libc_syscall0() ..
 * libc_syscall3() for calls with that many arguments, libc_syscall() for
 * four or five. Inlined into every wrapper, with one way of calling in
 * each build, so that a call with few arguments costs little through
 * every door (issue 13: the columns of `make bench` may differ by the
 * privilege switch and nothing else).
 *
 * A handler's arguments beyond the call's own (docs/abi.md lists them)
 * are not set: whatever the registers or stack words hold, as the kernel
 * never reads them. That is what makes a zero-argument call cheap.
 */
/* The doors into a kernel in ring 0 (syscall_entry.S; syscall_path.c picks). */
extern void (*libc_door)(void);
void int80_door(void);
void sysenter_door(void);

#ifdef UNIKERNEL
/*
 * A unikernel build (docs/unikernel.md) runs in ring 0, and the call is
 * the door: a plain call of the kernel's handler, from the libc's copy of
 * the kernel's table (syscall_path.c: unikernel_door_open(), from crt0,
 * filled the holes with a handler that says ENOSYS, so there is no NULL
 * to check). No trap, no trap frame, no choice at run time.
 */
#include <errno.h>
#include <syscall.h>
#include <unikernel_door.h>
extern unikernel_handler unikernel_calls[SYS_MAX];
/* SAFETY: volatile: the kernel sets the flag from another thread (exit,
 * a fault, kill) while this one runs: every check reads it again. */
extern const volatile bool *unikernel_exiting;
/* stop() never returns (unikernel_door.h): saying so lets the compiler
 * keep the wrapper's fast path free of the frame the call would need. */
typedef void (*unikernel_stop_fn)(void) __attribute__((noreturn));
extern unikernel_stop_fn unikernel_stop;
/* crt0.S, first thing: keep what the kernel's door holds. */
void unikernel_door_open(const struct unikernel_door *door);

/* As the kernel does on the way back to ring 3: a thread of a process
 * that is ending (exit, a fault, kill) goes no further. */
static inline long unikernel_after(long r)
{
    if (__builtin_expect(*unikernel_exiting, 0))
        unikernel_stop();
    return r;
}

/*
 * The handler's C type takes five words (unikernel_door.h). For a call
 * with fewer arguments, the asm below pushes the call's own and leaves
 * the others' stack words as they are, which the handler never reads
 * (the same as the other doors' unset registers). `nr` is one of the
 * libc's SYS_ constants, below SYS_MAX; its table entry is a global, so
 * the operand is an absolute address, unmoved by the asm's own pushes.
 * Clobbers: what a C function may (eax, ecx, edx, flags) and memory (the
 * handler reads and writes the program's).
 */
#define UNIKERNEL_CALL(room, pushes) \
    "subl $" #room ", %%esp\n\t" pushes "call *%[fn]\n\taddl $20, %%esp"

static inline long libc_syscall0(long nr)
{
    long r;
    /* SAFETY: a cdecl call of the kernel's handler (a ring-0 function of
     * the kernel's table) with its five argument words on our stack, and
     * the stack put back; see UNIKERNEL_CALL. */
    __asm__ volatile(UNIKERNEL_CALL(20, "")
                     : "=a"(r) : [fn] "m"(unikernel_calls[nr]) : "ecx", "edx", "memory", "cc");
    return unikernel_after(r);
}

static inline long libc_syscall1(long nr, long a1)
{
    long r;
    /* SAFETY: as in libc_syscall0, with a1 as the first word. */
    __asm__ volatile(UNIKERNEL_CALL(16, "pushl %[a1]\n\t")
                     : "=a"(r) : [fn] "m"(unikernel_calls[nr]), [a1] "ri"(a1)
                     : "ecx", "edx", "memory", "cc");
    return unikernel_after(r);
}

static inline long libc_syscall2(long nr, long a1, long a2)
{
    long r;
    /* SAFETY: as in libc_syscall0, with a1, a2 as the first words. */
    __asm__ volatile(UNIKERNEL_CALL(12, "pushl %[a2]\n\tpushl %[a1]\n\t")
                     : "=a"(r) : [fn] "m"(unikernel_calls[nr]), [a1] "ri"(a1), [a2] "ri"(a2)
                     : "ecx", "edx", "memory", "cc");
    return unikernel_after(r);
}

static inline long libc_syscall3(long nr, long a1, long a2, long a3)
{
    long r;
    /* SAFETY: as in libc_syscall0, with a1 .. a3 as the first words. */
    __asm__ volatile(UNIKERNEL_CALL(8, "pushl %[a3]\n\tpushl %[a2]\n\tpushl %[a1]\n\t")
                     : "=a"(r)
                     : [fn] "m"(unikernel_calls[nr]), [a1] "ri"(a1), [a2] "ri"(a2), [a3] "ri"(a3)
                     : "ecx", "edx", "memory", "cc");
    return unikernel_after(r);
}

/* Four or five arguments, or a number from outside the libc
 * (syscall_raw): a C call of the handler's own type. */
static inline long libc_syscall(long nr, long a1, long a2, long a3, long a4, long a5)
{
    unikernel_handler fn = (unsigned long)nr < SYS_MAX ? unikernel_calls[nr] : 0;
    if (fn == 0)
        return -ENOSYS;
    return unikernel_after(fn((uint32_t)a1, (uint32_t)a2, (uint32_t)a3, (uint32_t)a4,
                              (uint32_t)a5));
}
#elif defined(__clang_analyzer__)
/* For clang's static analyzer (make lint) only: it does not take an asm's
 * "memory" clobber as the kernel writing through the arguments, so after
 * fstat(fd, &st) it would call st uninitialized. Opaque calls instead,
 * which it assumes may write wherever the arguments point. */
long libc_syscall0(long nr);
long libc_syscall1(long nr, long a1);
long libc_syscall2(long nr, long a1, long a2);
long libc_syscall3(long nr, long a1, long a2, long a3);
long libc_syscall(long nr, long a1, long a2, long a3, long a4, long a5);
#else
/*
 * The door chosen at start (syscall_path.c): int80_door or sysenter_door
 * (syscall_entry.S). A door takes the kernel's own registers -- eax = nr,
 * ebx, ecx, edx, esi, edi = a1 .. a5 -- and returns the result in eax, so
 * a wrapper loads only its own arguments. The kernel may change every
 * register but esp and ebp (docs/abi.md), so each one the call does not
 * take as an argument is clobbered, and the compiler saves only those
 * the wrapper needs kept.
 */

#define LIBC_DOOR "call *%[door]"

static inline long libc_syscall0(long nr)
{
    long r = nr;
    /* SAFETY: calls the door that syscall_path.c chose (the kernel
     * offers it); everything the kernel may change is an output or a
     * clobber, and memory, which the call may read or write. */
    __asm__ volatile(LIBC_DOOR
                     : "+a"(r) : [door] "m"(libc_door)
                     : "ebx", "ecx", "edx", "esi", "edi", "memory", "cc");
    return r;
}

static inline long libc_syscall1(long nr, long a1)
{
    long r = nr;
    /* SAFETY: as in libc_syscall0, a1 in ebx. */
    __asm__ volatile(LIBC_DOOR
                     : "+a"(r), "+b"(a1) : [door] "m"(libc_door)
                     : "ecx", "edx", "esi", "edi", "memory", "cc");
    return r;
}

static inline long libc_syscall2(long nr, long a1, long a2)
{
    long r = nr;
    /* SAFETY: as in libc_syscall0, a1, a2 in ebx, ecx. */
    __asm__ volatile(LIBC_DOOR
                     : "+a"(r), "+b"(a1), "+c"(a2) : [door] "m"(libc_door)
                     : "edx", "esi", "edi", "memory", "cc");
    return r;
}

static inline long libc_syscall3(long nr, long a1, long a2, long a3)
{
    long r = nr;
    /* SAFETY: as in libc_syscall0, a1 .. a3 in ebx, ecx, edx. */
    __asm__ volatile(LIBC_DOOR
                     : "+a"(r), "+b"(a1), "+c"(a2), "+d"(a3) : [door] "m"(libc_door)
                     : "esi", "edi", "memory", "cc");
    return r;
}

static inline long libc_syscall(long nr, long a1, long a2, long a3, long a4, long a5)
{
    long r = nr;
    /* SAFETY: as in libc_syscall0, a1 .. a5 in ebx, ecx, edx, esi, edi;
     * libc_door is a global: its operand is an absolute address, which
     * needs no free register. */
    __asm__ volatile(LIBC_DOOR
                     : "+a"(r), "+b"(a1), "+c"(a2), "+d"(a3), "+S"(a4), "+D"(a5)
                     : [door] "m"(libc_door)
                     : "memory", "cc");
    return r;
}
#endif

#endif
