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
 */
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

int main(void)
{
    ktap_plan(2);
    if (!getauxval(AT_SYSENTER)) {
        ktap_skip("nt_then_sysenter_fork", "no sysenter");
        ktap_skip("tf_then_sysenter", "no sysenter");
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
    return ktap_finish();
}
