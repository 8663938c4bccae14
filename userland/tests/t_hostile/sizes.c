/*
 * sizes.c -- group "size": counts, lengths and offsets of 0, -1
 * (0xffffffff), 2^31 (0x80000000, negative as an int) and 2^31 - 1
 * (0x7fffffff), with a buffer that is fine; the exact sizes at the
 * edge (getcwd's length with the NUL, one dirent) and one byte less;
 * and system-call numbers
 * outside the table, through both doors (int $0x80 and sysenter).
 *
 * The rule the cases hold the kernel to (docs/abi.md): a count that is
 * negative as an int is EINVAL; one so large that the buffer would run
 * past user space is EFAULT; 0 does nothing and succeeds; a file cannot
 * grow past what ramfs holds (ENOSPC); an unknown number is ENOSYS.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <tidepool.h>
#include <unistd.h>

#include <dirent.h>     /* kernel/abi: struct dirent */

#include "hostile.h"
#if LAB >= 5
#include <futex.h>      /* kernel/abi: FUTEX_WAKE */
#endif

#define MINUS1 0xffffffffL
#define TWO_GB ((long)0x80000000u)
#define MAX_INT 0x7fffffffL

/* The buffers are on the stack, near USER_TOP: with a count of 2^31 - 1
 * (or 2^31 as an unsigned) the range runs past user space, so the
 * kernel must refuse it whole (EFAULT) -- not copy until it faults. */

static long read_n(long n)
{
    char buf[64] = "";
    lseek(file_fd, 0, SEEK_SET);
    return sys3(SYS_read, file_fd, word(buf), n);
}

static long write_n(long n)
{
    char buf[64] = "";
    int p[2];
    if (pipe(p) != 0)
        return -errno;
    return sys3(SYS_write, p[1], word(buf), n);
}

static long getdents_n(long n)
{
    struct dirent buf[4] = {0};
    lseek(dir_fd, 0, SEEK_SET);
    return sys3(SYS_getdents, dir_fd, word(buf), n);
}

static long getcwd_n(long n)
{
    char buf[64] = "";
    return sys3(SYS_getcwd, word(buf), n, 0);
}

static long procinfo_n(long n)
{
    static struct procinfo info[4];
    return sys3(SYS_procinfo, word(info), n, 0);
}

static long lseek_set(long offset) { return sys3(SYS_lseek, file_fd, offset, SEEK_SET); }
static long lseek_whence(long whence) { return sys3(SYS_lseek, file_fd, 0, whence); }

/* SEEK_END + 2^31 - 1 would pass 2^31: EINVAL, the offset unmoved. */
static long lseek_end_max(long unused)
{
    (void)unused;
    lseek(file_fd, 5, SEEK_SET);
    long r = sys3(SYS_lseek, file_fd, MAX_INT, SEEK_END);
    return lseek(file_fd, 0, SEEK_CUR) == 5 ? r : -5000;
}

static long ftruncate_n(long n)
{
    int fd = open("/hostile.size", O_CREAT | O_TRUNC | O_RDWR, 0644);
    unlink("/hostile.size");
    return sys3(SYS_ftruncate, fd, n, 0);
}

/* A file whose offset is 2^31 - 1: a write there has no room. */
static long write_at_max_offset(long unused)
{
    (void)unused;
    int fd = open("/hostile.size", O_CREAT | O_TRUNC | O_RDWR, 0644);
    unlink("/hostile.size");
    if (lseek(fd, MAX_INT, SEEK_SET) != MAX_INT)
        return -6000;
    return sys3(SYS_write, fd, word("x"), 1);
}

/* A child sleeps `ticks`, which is long whatever its high bits: it must
 * still be asleep (procinfo: S) 3 ticks after it went to sleep, and then
 * it is killed. 0 if so; a kernel whose timer queue compares ticks
 * modulo 2^32 wakes it at once (it then exits 1). */
static bool child_asleep(pid_t pid)
{
    static struct procinfo info[64];
    long n = sys3(SYS_procinfo, word(info), 64, 0);
    for (long i = 0; i < n; i++)
        if (info[i].pid == pid)
            return info[i].state == PI_SLEEPING;
    return false;
}

static long sleep_long(long ticks)
{
    pid_t pid = fork();
    if (pid == 0) {
        sys3(SYS_sleep, ticks, 0, 0);
        _exit(1);
    }
    for (long tries = 0; tries < 100000 && !child_asleep(pid); tries++)
        yield();
    sleep_ticks(3);
    bool asleep = child_asleep(pid);
    kill(pid, SIGKILL);
    int st = 0;
    waitpid(pid, &st, 0);
    return asleep && WIFSIGNALED(st) ? 0 : -25000 - st;
}

static long sbrk_n(long n) { return sys3(SYS_sbrk, n, 0, 0); }
static long kill_sig(long sig) { return sys3(SYS_kill, getpid(), sig, 0); }
static long signal_sig(long sig) { return sys3(SYS_signal, sig, SIG_DISPOSITION_IGN, 0); }
static long waitpid_options(long options) { return sys3(SYS_waitpid, -1, 0, options); }
static long thread_join_tid(long tid) { return sys3(SYS_thread_join, tid, 0, 0); }
static long setpgid_pgid(long pgid) { return sys3(SYS_setpgid, 0, pgid, 0); }
static long getpgid_pid(long pid) { return sys3(SYS_getpgid, pid, 0, 0); }

#if LAB >= 5
static long futex_wake_n(long n)
{
    static unsigned futex_word;
    return sys3(SYS_futex, word(&futex_word), FUTEX_WAKE, n);
}
#endif

#if LAB >= 6
static long poll_n(long n)
{
    static struct { int fd; short events, revents; } fds[2];
    return sys3(SYS_poll, word(fds), n, 0);
}
#endif

static long nr_int80(long nr) { return syscall_int80(nr, 0, 0, 0, 0, 0); }

static long nr_sysenter(long nr)
{
    if (!getauxval(AT_SYSENTER))
        return -ENOSYS;         /* no second door: the same answer */
    return syscall_sysenter(nr, 0, 0, 0, 0, 0);
}

static const struct hcase cases[] = {
    {"size.read.zero", RETURNS, 0, read_n, 0},
    {"size.read.minus1", RETURNS, -EINVAL, read_n, MINUS1},
    {"size.read.2g", RETURNS, -EINVAL, read_n, TWO_GB},
    {"size.read.maxint", RETURNS, -EFAULT, read_n, MAX_INT},
    {"size.write.zero", RETURNS, 0, write_n, 0},
    {"size.write.minus1", RETURNS, -EINVAL, write_n, MINUS1},
    {"size.write.2g", RETURNS, -EINVAL, write_n, TWO_GB},
    {"size.write.maxint", RETURNS, -EFAULT, write_n, MAX_INT},
    {"size.write.at_max_offset", RETURNS, -ENOSPC, write_at_max_offset, 0},
    {"size.getdents.zero", RETURNS, -EINVAL, getdents_n, 0},
    {"size.getdents.minus1", RETURNS, -EFAULT, getdents_n, MINUS1},
    {"size.getdents.2g", RETURNS, -EFAULT, getdents_n, TWO_GB},
    {"size.getdents.one_record", RETURNS, sizeof(struct dirent), getdents_n,
     sizeof(struct dirent)},
    {"size.getdents.one_byte_short", RETURNS, -EINVAL, getdents_n, sizeof(struct dirent) - 1},
    {"size.getcwd.zero", RETURNS, -ERANGE, getcwd_n, 0},
    {"size.getcwd.minus1", RETURNS, 2, getcwd_n, MINUS1},
    {"size.getcwd.exact", RETURNS, 2, getcwd_n, 2},
    {"size.getcwd.one_short", RETURNS, -ERANGE, getcwd_n, 1},
    {"size.procinfo.zero", RETURNS, 0, procinfo_n, 0},
    {"size.procinfo.minus1", RETURNS, -EINVAL, procinfo_n, MINUS1},
    {"size.procinfo.2g", RETURNS, -EINVAL, procinfo_n, TWO_GB},
    {"size.lseek.offset.minus1", RETURNS, -EINVAL, lseek_set, MINUS1},
    {"size.lseek.offset.2g", RETURNS, -EINVAL, lseek_set, TWO_GB},
    {"size.lseek.offset.maxint", RETURNS, MAX_INT, lseek_set, MAX_INT},
    {"size.lseek.end_plus_maxint", RETURNS, -EINVAL, lseek_end_max, 0},
    {"size.lseek.whence.minus1", RETURNS, -EINVAL, lseek_whence, MINUS1},
    {"size.lseek.whence.2g", RETURNS, -EINVAL, lseek_whence, TWO_GB},
    {"size.ftruncate.zero", RETURNS, 0, ftruncate_n, 0},
    {"size.ftruncate.minus1", RETURNS, -ENOSPC, ftruncate_n, MINUS1},
    {"size.ftruncate.2g", RETURNS, -ENOSPC, ftruncate_n, TWO_GB},
    {"size.sleep.3g", RETURNS, 0, sleep_long, (long)0xC0000000u},
    {"size.sleep.minus1", RETURNS, 0, sleep_long, MINUS1},
    {"size.sbrk.maxint", RETURNS, -ENOMEM, sbrk_n, MAX_INT},
    {"size.sbrk.minus_maxint", RETURNS, -EINVAL, sbrk_n, -MAX_INT},
    {"size.kill.sig.minus1", RETURNS, -EINVAL, kill_sig, MINUS1},
    {"size.kill.sig.2g", RETURNS, -EINVAL, kill_sig, TWO_GB},
    {"size.kill.sig.32", RETURNS, -EINVAL, kill_sig, 32},
    {"size.signal.sig.2g", RETURNS, -EINVAL, signal_sig, TWO_GB},
    {"size.waitpid.options.minus1", RETURNS, -EINVAL, waitpid_options, MINUS1},
    {"size.thread_join.tid.minus1", RETURNS, -ESRCH, thread_join_tid, MINUS1},
    {"size.thread_join.tid.2g", RETURNS, -ESRCH, thread_join_tid, TWO_GB},
    {"size.setpgid.pgid.2g", RETURNS, -EINVAL, setpgid_pgid, TWO_GB},
    {"size.getpgid.pid.2g", RETURNS, -ESRCH, getpgid_pid, TWO_GB},
#if LAB >= 5
    {"size.futex.wake.minus1", RETURNS, -EINVAL, futex_wake_n, MINUS1},
    {"size.futex.wake.2g", RETURNS, -EINVAL, futex_wake_n, TWO_GB},
#endif
#if LAB >= 6
    {"size.poll.nfds.minus1", RETURNS, -EINVAL, poll_n, MINUS1},
    {"size.poll.nfds.2g", RETURNS, -EINVAL, poll_n, TWO_GB},
#endif
    {"size.syscall.nr.unused_int80", RETURNS, -ENOSYS, nr_int80, 9},
    {"size.syscall.nr.max_int80", RETURNS, -ENOSYS, nr_int80, SYS_MAX},
    {"size.syscall.nr.minus1_int80", RETURNS, -ENOSYS, nr_int80, MINUS1},
    {"size.syscall.nr.2g_int80", RETURNS, -ENOSYS, nr_int80, TWO_GB},
    {"size.syscall.nr.unused_sysenter", RETURNS, -ENOSYS, nr_sysenter, 9},
    {"size.syscall.nr.max_sysenter", RETURNS, -ENOSYS, nr_sysenter, SYS_MAX},
    {"size.syscall.nr.minus1_sysenter", RETURNS, -ENOSYS, nr_sysenter, MINUS1},
    {"size.syscall.nr.2g_sysenter", RETURNS, -ENOSYS, nr_sysenter, TWO_GB},
};

const struct hgroup size_cases = HGROUP(cases);
