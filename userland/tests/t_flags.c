/*
 * t_flags.c -- eflags a user may set do not reach the kernel (KTAP).
 *
 * sysenter clears only IF and VM. A program can arrive with NT (nested
 * task) set -- the kernel's next iret would then attempt a task return
 * and fault -- or with TF (single step) -- the trap would land on the
 * kernel's first instruction. Both once panicked the kernel.
 *
 *   nt_then_sysenter_fork   NT set, fork by sysenter; the child's first
 *                           return to ring 3 (an iret) works; it exits 3
 *   tf_then_sysenter        a child sets TF and calls getpid by sysenter:
 *                           the kernel survives (the child may be killed
 *                           by its own single-step trap); we go on
 *   nt_then_sysenter_yield  NT set, yield by sysenter (its fast path)
 *                           to a thread that the timer preempted: that
 *                           thread leaves the kernel by iret, with the
 *                           flags the yielding thread switched with
 *                           (the context switch keeps no eflags), so NT
 *                           must not have stayed in the kernel's flags
 *   null_ds_then_sysenter   ds = 0 (a null selector, which ring 3 may
 *                           load), getpid by sysenter: the kernel must
 *                           not use ds before it loads its own (on a
 *                           CPU or Bochs that would be a #GP in ring 0;
 *                           QEMU's TCG does not check null selectors),
 *                           the answer is getpid's, and the user's ds
 *                           = 0 comes back (the fast path restores it)
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/wait.h>
#include <tidepool.h>
#include <unistd.h>

#include <ktap.h>

static void set_eflags_bits(uint32_t bits)
{
    /* SAFETY: sets flags of this process only (NT, TF): ring 3 may. */
    __asm__ volatile("pushfl\n\torl %0, (%%esp)\n\tpopfl" : : "r"(bits) : "cc", "memory");
}

static void clear_eflags_bits(uint32_t bits)
{
    /* SAFETY: as above. */
    __asm__ volatile("pushfl\n\tandl %0, (%%esp)\n\tpopfl" : : "r"(~bits) : "cc", "memory");
}

#define NT_YIELDS 20

/* SAFETY: volatile: main sets it while the spinner thread reads it in
 * a loop that makes no call; each iteration must load it again. */
static volatile int spinner_stop;

/* Runs in ring 3 until told to stop, so that the timer preempts it in
 * user mode: it leaves the kernel each time through an iret. */
static int spinner(void *arg)
{
    (void)arg;
    while (!spinner_stop)
        ;
    return 0;
}

static char spinner_stack[16384] __attribute__((aligned(16)));

static bool nt_then_sysenter_yield(void)
{
    int tid = thread_create(spinner, NULL, spinner_stack + sizeof spinner_stack);
    if (tid < 0) {
        ktap_diag("thread_create failed");
        return false;
    }
    for (int i = 0; i < NT_YIELDS; i++) {
        set_eflags_bits(0x4000);
        syscall_sysenter(SYS_yield, 0, 0, 0, 0, 0);
        clear_eflags_bits(0x4000);
    }
    spinner_stop = 1;
    return thread_join(tid) == 0;
}

/* getpid by sysenter with ds = 0; returns what eax brought back and
 * leaves the ds it came back with in *ds_after. */
static long getpid_with_null_ds(uint32_t *ds_after)
{
    long r;
    uint32_t ds;
    /* SAFETY: the stub's sysenter frame (docs/abi.md) built by hand:
     * [ebp] = 1:, and ebp's own value saved above it, so the pop at 1:
     * restores it. ds is 0 only between the two moves; nothing in
     * between uses ds (the stack uses ss). esi keeps the old ds: the
     * kernel preserves it (only ecx and edx are clobbered by sysexit). */
    __asm__ volatile("movl %%ds, %%esi\n\t"
                     "xorl %%eax, %%eax\n\t"
                     "movl %%eax, %%ds\n\t"
                     "movl %[nr], %%eax\n\t"
                     "pushl %%ebp\n\t"
                     "pushl $1f\n\t"
                     "movl %%esp, %%ebp\n\t"
                     "sysenter\n"
                     "1:\tpopl %%ebp\n\t"
                     "movl %%ds, %%edx\n\t"
                     "movl %%esi, %%ds"
                     : "=&a"(r), "=&d"(ds)
                     : [nr] "i"(SYS_getpid)
                     : "ecx", "esi", "memory");
    *ds_after = ds & 0xFFFF;
    return r;
}

int main(void)
{
    ktap_plan(4);
    if (!getauxval(AT_SYSENTER)) {
        ktap_skip("nt_then_sysenter_fork", "no sysenter");
        ktap_skip("tf_then_sysenter", "no sysenter");
        ktap_skip("nt_then_sysenter_yield", "no sysenter");
        ktap_skip("null_ds_then_sysenter", "no sysenter");
        return ktap_finish();
    }
    int status = 0;
    set_eflags_bits(0x4000);
    long pid = syscall_sysenter(SYS_fork, 0, 0, 0, 0, 0);
    clear_eflags_bits(0x4000);
    if (pid == 0)
        _exit(3);
    bool ok = pid > 0 && waitpid((pid_t)pid, &status, 0) == pid && WIFEXITED(status) &&
              WEXITSTATUS(status) == 3;
    if (!ok)
        ktap_diag("fork with NT set: pid %ld, child %s, expected it to exit with 3", pid,
                  ktap_status(status));
    ktap_result(ok, "nt_then_sysenter_fork");

    pid_t child = fork();
    if (child == 0) {
        set_eflags_bits(0x100);
        syscall_sysenter(SYS_getpid, 0, 0, 0, 0, 0);
        _exit(0);
    }
    ok = child > 0 && waitpid(child, &status, 0) == child;
    if (!ok)
        ktap_diag("the child that set TF was not reaped");
    else
        ktap_diag("the child that set TF %s (either is fine; the kernel lived)",
                  ktap_status(status));
    ktap_result(ok, "tf_then_sysenter");

    ktap_result(nt_then_sysenter_yield(), "nt_then_sysenter_yield");

    uint32_t ds_after = 1;
    long pid_ds0 = getpid_with_null_ds(&ds_after);
    ok = pid_ds0 == getpid() && ds_after == 0;
    if (!ok)
        ktap_diag("getpid by sysenter with ds = 0: %ld (getpid() = %d), ds after: %#x",
                  pid_ds0, (int)getpid(), (unsigned)ds_after);
    ktap_result(ok, "null_ds_then_sysenter");
    return ktap_finish();
}
