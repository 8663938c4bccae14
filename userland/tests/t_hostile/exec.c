/*
 * exec.c -- group "exec": execve of what is not a program, by paths that
 * are not paths, with more arguments than the kernel takes.
 *
 * usertests' exec_garbage runs the five malformed ELF files of /bad, a
 * text file and an empty one; t_efault the bad pointers. Here: a
 * directory (EACCES), random bytes with and without the ELF magic
 * (ENOEXEC), an empty path (ENOENT), a path one byte too long
 * (ENAMETOOLONG), a file used as a directory (ENOTDIR), and argument
 * vectors past EXEC_MAX_ARGS strings or EXEC_MAX_BYTES bytes
 * (kernel/proc/process.h: 64 and 8 KiB; E2BIG) -- among them "a billion
 * arguments": an argv that never ends, filling the heap to its last page;
 * and strings that fill the 8 KiB exactly (the exec works), then one
 * more string in argv or envp (E2BIG).
 * An exec from a process with two threads is EAGAIN (docs/abi.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <tidepool.h>
#include <unistd.h>

#include <rlimit.h>     /* kernel/abi: TP_PATH_MAX */
#include <ktap.h>

#include "hostile.h"

#define EXEC_MAX_ARGS  64
#define EXEC_MAX_BYTES 8192

static char *const one_arg[] = {"x", NULL};
static char *const no_env[] = {NULL};

static long exec3(const char *path, char *const *argv, char *const *envp)
{
    return sys3(SYS_execve, word(path), word(argv), word(envp));
}

static long exec_path(long which)
{
    static const char *const paths[] = {"/bin", "/", "", "/bin/hello/"};
    return exec3(paths[which], one_arg, no_env);
}

/* A file of 4 KiB of pseudo-random bytes (a fixed LCG: reproducible),
 * starting with the ELF magic if `elf`. */
static long exec_garbage(long elf)
{
    static unsigned char junk[4096];
    unsigned x = 12345;
    for (size_t i = 0; i < sizeof junk; i++) {
        x = x * 1103515245u + 12345u;
        junk[i] = (unsigned char)(x >> 16);
    }
    if (elf)
        memcpy(junk, "\177ELF\1\1\1", 7);
    int fd = open("/hostile.junk", O_CREAT | O_TRUNC | O_WRONLY, 0755);
    if (fd < 0 || write(fd, junk, sizeof junk) != sizeof junk)
        return -7000;
    close(fd);
    long r = exec3("/hostile.junk", one_arg, no_env);
    unlink("/hostile.junk");
    return r;
}

static long exec_long_path(long unused)
{
    (void)unused;
    static char path[TP_PATH_MAX + 1];
    memset(path, 'a', TP_PATH_MAX);
    path[0] = '/';
    return exec3(path, one_arg, no_env);
}

/* An argv of `n` copies of "x", NULL-terminated if `n` fits, else filling
 * the heap up to heap_end with no NULL at all: the kernel must stop at
 * its limit, not walk on to the unmapped page. */
static char **many_args(long n)
{
    uintptr_t room = PAGE_SIZE / sizeof(char *);
    char **v = at(heap_end - PAGE_SIZE);        /* make_heap_end's page: ours */
    for (uintptr_t i = 0; i < room; i++)
        v[i] = "x";
    if ((uintptr_t)n < room)
        v[n] = NULL;
    return v;
}

static long exec_argv_count(long n)
{
    return exec3("/bin/t_args", many_args(n), no_env);
}

static long exec_envp_count(long n)
{
    return exec3("/bin/t_args", one_arg, many_args(n));
}

/* One argument longer than all the room there is. */
static long exec_huge_string(long unused)
{
    (void)unused;
    static char big[EXEC_MAX_BYTES + 16];
    memset(big, 'y', sizeof big - 1);
    char *argv[] = {"t_args", big, NULL};
    return exec3("/bin/t_args", argv, no_env);
}

/* Strings that fill EXEC_MAX_BYTES exactly ("t_args" and its NUL, then
 * one long string), followed by `more` strings: with none, the exec
 * works (t_args then exits 2: its argv[1] is not "argc=..."); with one
 * more in argv or in envp there is no room left: E2BIG, as for any
 * string that does not fit (not EFAULT: every pointer is good). */
static long exec_full_bytes(long where)
{
    static char exact[EXEC_MAX_BYTES - sizeof "t_args"];
    memset(exact, 'z', sizeof exact - 1);
    char *argv[] = {"t_args", exact, where == 1 ? "x" : NULL, NULL};
    char *envp[] = {where == 2 ? "T_ARGS_0=x" : NULL, NULL};
    return exec3("/bin/t_args", argv, envp);
}

/* /bin/hello with its writable segment's memsz made `memsz` (a bss of
 * that size): a valid program that wants more than TP_MEM_MAX. The exec
 * must fail with ENOMEM, and before it takes the frames: while it held
 * them, every other process's page fault would find none and die. */
static long exec_memory_bomb(long memsz)
{
    static unsigned char elf[64 * 1024];
    int fd = open("/bin/hello", O_RDONLY);
    long n = fd >= 0 ? read(fd, elf, sizeof elf) : -1;
    close(fd);
    if (n < 52 || n == (long)sizeof elf)
        return -29000;
    uint32_t phoff, count = 0;
    uint16_t phnum;
    memcpy(&phoff, elf + 28, 4);            /* e_phoff */
    memcpy(&phnum, elf + 44, 2);            /* e_phnum */
    for (uint16_t i = 0; i < phnum && phoff + 32u * (i + 1u) <= (uint32_t)n; i++) {
        unsigned char *ph = elf + phoff + 32u * i;
        uint32_t type, flags;
        memcpy(&type, ph, 4);
        memcpy(&flags, ph + 24, 4);
        if (type == 1 && (flags & 2)) {     /* PT_LOAD, PF_W */
            uint32_t m = (uint32_t)memsz;
            memcpy(ph + 20, &m, 4);         /* p_memsz */
            count++;
        }
    }
    fd = open("/hostile.bomb", O_CREAT | O_TRUNC | O_WRONLY, 0755);
    if (count != 1 || fd < 0 || write(fd, elf, (size_t)n) != n)
        return -29001;
    close(fd);
    long before = freeframes();
    long r = exec3("/hostile.bomb", one_arg, no_env);
    long after = freeframes();
    unlink("/hostile.bomb");
    if (r == -ENOMEM && before - after > 64)
        ktap_diag("free frames %ld before the exec, %ld after it failed", before, after);
    return r;
}

static char thread_stack[4096] __attribute__((aligned(16)));

__attribute__((noreturn)) static int block_forever(void *arg)
{
    (void)arg;
    for (;;)
        sleep_ticks(1000);
}

static long exec_with_two_threads(long unused)
{
    (void)unused;
    if (thread_create(block_forever, NULL, thread_stack + sizeof thread_stack) < 0)
        return -8000;
    return exec3("/bin/t_args", one_arg, no_env);
}

static const struct hcase cases[] = {
    {"exec.directory", RETURNS, -EACCES, exec_path, 0},
    {"exec.root_directory", RETURNS, -EACCES, exec_path, 1},
    {"exec.empty_path", RETURNS, -ENOENT, exec_path, 2},
    {"exec.file_as_directory", RETURNS, -ENOTDIR, exec_path, 3},
    {"exec.path_too_long", RETURNS, -ENAMETOOLONG, exec_long_path, 0},
    {"exec.garbage", RETURNS, -ENOEXEC, exec_garbage, 0},
    {"exec.garbage_with_elf_magic", RETURNS, -ENOEXEC, exec_garbage, 1},
    {"exec.argv.one_too_many", RETURNS, -E2BIG, exec_argv_count, EXEC_MAX_ARGS + 1},
    {"exec.argv.a_billion_no_end", RETURNS, -E2BIG, exec_argv_count, 1 << 30},
    {"exec.argv.string_too_long", RETURNS, -E2BIG, exec_huge_string, 0},
    {"exec.argv.bytes_exactly_full", EXITS, 2, exec_full_bytes, 0},
    {"exec.argv.one_string_past_full", RETURNS, -E2BIG, exec_full_bytes, 1},
    {"exec.envp.one_string_past_full", RETURNS, -E2BIG, exec_full_bytes, 2},
    {"exec.envp.one_too_many", RETURNS, -E2BIG, exec_envp_count, EXEC_MAX_ARGS},
    {"exec.envp.a_billion_no_end", RETURNS, -E2BIG, exec_envp_count, 1 << 30},
    {"exec.with_two_threads", RETURNS, -EAGAIN, exec_with_two_threads, 0},
    {"exec.bss_over_mem_cap", RETURNS, -ENOMEM, exec_memory_bomb, 0x30000000},
    {"exec.bss_over_all_memory", RETURNS, -ENOMEM, exec_memory_bomb, (long)0x80000000u},
};

const struct hgroup exec_cases = HGROUP(cases);
