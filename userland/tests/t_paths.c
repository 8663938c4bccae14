/*
 * t_paths.c -- int $0x80 and sysenter reach the same system calls
 * (KTAP on stdout).
 *
 * Each check runs twice, through syscall_int80() and syscall_sysenter(),
 * and compares the raw result with the truth (the libc's answer, or a
 * number fixed by the ABI). The sysenter half of each is skipped ("#
 * SKIP no sysenter") when the kernel's auxiliary vector says
 * AT_SYSENTER = 0, since sysenter would then fault.
 *
 *   getpid.*       = getpid()
 *   getppid.*      = getppid()
 *   uptime.*       between two uptime() calls made just before and just
 *                  after (ticks never go backwards; equality allowed)
 *   write.*        writing a known "# ..." line to stdout returns its
 *                  length (the line shows up as a KTAP diagnostic)
 *   bad_number.*   numbers 0, 255, SYS_MAX, 1000 and -1 return -ENOSYS
 *   read_null.*    read(fd of /bin/hello, NULL, 16) returns -EFAULT
 *   sbrk0.*        sbrk(0) returns the break the libc's sbrk(0) sees
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <tidepool.h>
#include <unistd.h>

#include <ktap.h>

typedef long (*entry_fn)(long nr, long a1, long a2, long a3, long a4, long a5);

struct path {
    const char *name;
    entry_fn call;
};

static long call0(const struct path *p, long nr)
{
    return p->call(nr, 0, 0, 0, 0, 0);
}

/* Each check: true if the result is right, else it says what it got. */

static bool check_getpid(const struct path *p)
{
    long got = call0(p, SYS_getpid), want = getpid();

    if (got != want)
        ktap_diag("getpid via %s: expected %ld, got %s", p->name, want, ktap_raw(got));
    return got == want;
}

static bool check_getppid(const struct path *p)
{
    long got = call0(p, SYS_getppid), want = getppid();

    if (got != want)
        ktap_diag("getppid via %s: expected %ld, got %s", p->name, want, ktap_raw(got));
    return got == want;
}

static bool check_uptime(const struct path *p)
{
    unsigned long before = uptime();
    unsigned long got = (unsigned long)call0(p, SYS_uptime);
    unsigned long after = uptime();
    bool ok = before <= got && got <= after;

    if (!ok)
        ktap_diag("uptime via %s: expected between %lu and %lu, got %lu", p->name, before, after,
                  got);
    return ok;
}

static bool check_write(const struct path *p)
{
    char line[64];
    int len = snprintf(line, sizeof line, "# t_paths: this line was written via %s\n", p->name);
    /* SAFETY: pointer -> integer: the buffer's address for the kernel. */
    long got = p->call(SYS_write, STDOUT_FILENO, (long)(uintptr_t)line, len, 0, 0);

    if (got != len)
        ktap_diag("write via %s: expected %d, got %s", p->name, len, ktap_raw(got));
    return got == len;
}

static bool check_bad_numbers(const struct path *p)
{
    static const long numbers[] = {0, 255, SYS_MAX, 1000, -1};
    bool ok = true;

    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        long got = call0(p, numbers[i]);

        if (got != -ENOSYS) {
            ktap_diag("system call %ld via %s: expected %s, got %s", numbers[i], p->name,
                      ktap_raw(-ENOSYS), ktap_raw(got));
            ok = false;
        }
    }
    return ok;
}

static int file_fd = -1;

static bool check_read_null(const struct path *p)
{
    long got = p->call(SYS_read, file_fd, 0, 16, 0, 0);

    if (got != -EFAULT)
        ktap_diag("read(fd %d, NULL, 16) via %s: expected %s, got %s", file_fd, p->name,
                  ktap_raw(-EFAULT), ktap_raw(got));
    return got == -EFAULT;
}

static bool check_sbrk0(const struct path *p)
{
    long got = call0(p, SYS_sbrk);
    /* SAFETY: pointer -> integer: the break as the kernel reports it. */
    long want = (long)(uintptr_t)sbrk(0);

    if (got != want)
        ktap_diag("sbrk(0) via %s: expected 0x%lx, got %s", p->name, (unsigned long)want,
                  ktap_raw(got));
    return got == want;
}

static const struct {
    const char *name;
    bool (*check)(const struct path *p);
} checks[] = {
    {"getpid", check_getpid},       {"getppid", check_getppid},
    {"uptime", check_uptime},       {"write", check_write},
    {"bad_number", check_bad_numbers}, {"read_null", check_read_null},
    {"sbrk0", check_sbrk0},
};

#define CHECKS (sizeof checks / sizeof checks[0])

int main(void)
{
    const struct path int80 = {"int80", syscall_int80};
    const struct path sysenter = {"sysenter", syscall_sysenter};
    bool have_sysenter = getauxval(AT_SYSENTER) == 1;

    ktap_plan(2 * (int)CHECKS);
    ktap_diag("AT_SYSENTER = %lu; the libc takes the %s path", getauxval(AT_SYSENTER),
              syscall_uses_sysenter() ? "sysenter" : "int $0x80");
    file_fd = open("/bin/hello", O_RDONLY);
    if (file_fd < 0)
        ktap_diag("open(\"/bin/hello\"): %s; read_null reads fd -1 instead", strerror(errno));

    for (size_t i = 0; i < CHECKS; i++) {
        char name[40];

        ktap_result(checks[i].check(&int80), "%s.int80", checks[i].name);
        snprintf(name, sizeof name, "%s.sysenter", checks[i].name);
        if (have_sysenter)
            ktap_result(checks[i].check(&sysenter), "%s", name);
        else
            ktap_skip(name, "no sysenter");
    }
    return ktap_finish();
}
