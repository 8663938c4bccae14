/*
 * t_segs.c -- the user's %fs and %gs survive every way into the kernel
 * (KTAP).
 *
 * From lab 5 every kernel entry loads %fs with its CPU's per-CPU segment
 * (this_cpu()) and must give the user back its own on the way out. A
 * kernel that forgot would return with a ring-0 selector in %fs, which
 * the CPU's iret/sysexit checks turn into a null selector: so the test
 * loads %fs and %gs with the user data selector and checks that they are
 * still that after system calls by int $0x80, by sysenter, and after
 * timer interrupts (a busy loop long enough to be interrupted).
 *
 *   fs_gs_after_int80       int $0x80 getpid x 100
 *   fs_gs_after_sysenter    sysenter getpid x 100 (skipped without sysenter)
 *   fs_gs_after_interrupts  a busy loop over at least 3 clock ticks
 *                           (timer interrupts, and uptime() calls)
 */
#include <stdbool.h>
#include <stdint.h>
#include <tidepool.h>

#include <ktap.h>

#define USER_DATA_SELECTOR 0x23     /* GDT_USER_DATA: index 4, RPL 3 */

static void load_fs_gs(uint16_t sel)
{
    /* SAFETY: a ring-3 data selector of this process's own segments. */
    __asm__ volatile("movw %w0, %%fs\n\tmovw %w0, %%gs" : : "r"(sel));
}

static bool fs_gs_are(uint16_t sel)
{
    uint16_t fs, gs;
    /* SAFETY: reads two segment registers. */
    __asm__ volatile("movw %%fs, %w0\n\tmovw %%gs, %w1" : "=r"(fs), "=r"(gs));
    if (fs == sel && gs == sel)
        return true;
    ktap_diag("%%fs 0x%x, %%gs 0x%x, expected 0x%x", fs, gs, sel);
    return false;
}

int main(void)
{
    ktap_plan(3);
    load_fs_gs(USER_DATA_SELECTOR);
    for (int i = 0; i < 100; i++)
        syscall_int80(SYS_getpid, 0, 0, 0, 0, 0);
    ktap_result(fs_gs_are(USER_DATA_SELECTOR), "fs_gs_after_int80");

    if (getauxval(AT_SYSENTER)) {
        load_fs_gs(USER_DATA_SELECTOR);
        for (int i = 0; i < 100; i++)
            syscall_sysenter(SYS_getpid, 0, 0, 0, 0, 0);
        ktap_result(fs_gs_are(USER_DATA_SELECTOR), "fs_gs_after_sysenter");
    } else {
        ktap_skip("fs_gs_after_sysenter", "no sysenter");
    }

    load_fs_gs(USER_DATA_SELECTOR);
    bool ok = true;
    unsigned long start = uptime();
    while (ok && uptime() - start < 3)      /* uptime() is a system call too */
        ok = fs_gs_are(USER_DATA_SELECTOR);
    ktap_result(ok, "fs_gs_after_interrupts");
    return ktap_finish();
}
