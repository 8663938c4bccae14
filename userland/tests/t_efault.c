/*
 * t_efault.c -- every pointer a system call takes is checked (KTAP on
 * stdout), table-driven in the style of Pintos' tests.
 *
 * One case per (system call argument, kind of pointer). Each case runs
 * in a child process of its own, through syscall_raw() (the kernel's
 * answer as it is, no libc in between), and passes if the call returned
 * what the row expects -- -EFAULT for a bad pointer -- and the child then
 * went on to exit normally. A child that the kernel killed instead shows
 * up as "killed by signal N": the kernel must refuse the call, not end
 * the caller. A case's child never disturbs the next.
 *
 * The kinds of pointer (their names end each case's name):
 *   valid        a good pointer: the control, expects success
 *   null         0
 *   kernel       0x00100000: the kernel's memory, below USER_BASE
 *   unmapped     0x90000000: inside user space, but nothing is there
 *   user_top     a buffer or string that begins below USER_TOP and runs
 *                past it: USER_TOP - 8 with 32 bytes (a buffer), 16 (a
 *                struct stat), USER_TOP - 2 (an int); for a string, the 8
 *                bytes below USER_TOP are made non-NUL first (they are
 *                the top of the stack, writable)
 *   mapping_end  the same at the end of the heap: the break is moved to a
 *                page boundary, so that the page after it is unmapped,
 *                and the buffer or string starts just below it
 *   long_straddle (read and write only) a 1024-byte buffer that starts 600
 *                bytes below USER_TOP: its first 600 bytes are fine, so a
 *                kernel that checks only where a buffer starts copies a
 *                part and returns a short count; the whole call must
 *                fail with -EFAULT, moving no byte
 *
 * Which calls, and what "success" is for the control and the special
 * rows:
 *   read.buf, write.buf    read/write 32 bytes (fd: /bin/hello, fd 1)
 *   open.path, stat.path   "/bin/hello"
 *   stat.st, fstat.st      a struct stat
 *   execve.path            "/bin/t_args" with argv {"t_args", "argc=2
 *                          envc=0"} and an empty envp: t_args exits 0
 *   execve.argv            the argv array itself; user_top: a one-entry
 *                          array in the last 4 bytes below USER_TOP, so
 *                          its NULL would be past the top
 *   execve.argv_string     argv[1] points at the bad string
 *   waitpid.status         of a child that exited; NULL is allowed by
 *                          POSIX (status not stored): expects the pid
 *   thread_create.stack    the new thread's stack_top: the kernel writes
 *                          the thread's argument and a zero return
 *                          address below it (docs/abi.md), and must
 *                          refuse with -EFAULT when it cannot; these rows
 *                          come last, as they test that contract
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <tidepool.h>
#include <unistd.h>

#include <ktap.h>

#define PAGE_SIZE 4096u
#define BUF_LEN 32
#define KERNEL_ADDRESS 0x00100000u
#define UNMAPPED_ADDRESS 0x90000000u
#define VALID_PATH "/bin/hello"
#define EXEC_PATH "/bin/t_args"

enum kind { VALID, NUL, KERNEL, UNMAPPED, USER_TOP_STRADDLE, MAPPING_END, LONG_STRADDLE, KINDS };
static const char *const kind_names[KINDS] = {"valid", "null", "kernel", "unmapped",
                                              "user_top", "mapping_end", "long_straddle"};

#define LONG_STRADDLE_BELOW 600     /* where the long buffer starts, below USER_TOP */
#define LONG_STRADDLE_LEN   1024

/* Set up by main() before the first case; every child inherits them. */
static int file_fd;         /* /bin/hello, open for reading */
static uintptr_t heap_end;  /* a page-aligned break with nothing mapped above */

/* ---- the bad pointers */

/* SAFETY: integer -> pointer, everywhere below: these addresses are only
 * handed to the kernel (which must check them), or written by this
 * process where the comment next to the write says why it may. */
static void *at(uintptr_t address)
{
    return (void *)address;
}

/* Where a bad object of `size` bytes of kind k starts. */
static void *bad_object(enum kind k, size_t size)
{
    switch (k) {
    case NUL:
        return NULL;
    case KERNEL:
        return at(KERNEL_ADDRESS);
    case UNMAPPED:
        return at(UNMAPPED_ADDRESS);
    case USER_TOP_STRADDLE:
        return at(USER_TOP - (size >= 8 ? 8 : size / 2));
    case MAPPING_END:
        return at(heap_end - (size >= 8 ? 8 : size / 2));
    case LONG_STRADDLE:
        return at(USER_TOP - LONG_STRADDLE_BELOW);
    default:
        return NULL;
    }
}

/* A string of kind k: for the two "runs off the end" kinds, the bytes up
 * to the end are made non-NUL, so the string has no end inside. */
static char *bad_string(enum kind k)
{
    if (k == USER_TOP_STRADDLE) {
        /* The 8 bytes below USER_TOP are the top of this process's
         * stack (USER_STACK_TOP == USER_TOP), mapped and writable; they
         * hold the end of the argument strings, which this child no
         * longer needs. */
        memset(at(USER_TOP - 8), 'A', 8);
        return at(USER_TOP - 8);
    }
    if (k == MAPPING_END) {
        memset(at(heap_end - 16), 'A', 16);     /* main() mapped this page */
        return at(heap_end - 16);
    }
    return bad_object(k, 1);
}

/* ---- one function per row group: the call, and what it must return */

struct outcome {
    long got;
    long want;
};

static long sys(long nr, long a1, long a2, long a3)
{
    return syscall_raw(nr, a1, a2, a3, 0, 0);
}

/* SAFETY: pointer -> integer: pointers travel to the kernel as words. */
static long word(const void *p)
{
    return (long)(uintptr_t)p;
}

static struct outcome try_read(enum kind k)
{
    char buf[BUF_LEN];
    void *p = k == VALID ? buf : bad_object(k, BUF_LEN);
    long n = k == LONG_STRADDLE ? LONG_STRADDLE_LEN : BUF_LEN;

    return (struct outcome){sys(SYS_read, file_fd, word(p), n), k == VALID ? BUF_LEN : -EFAULT};
}

static struct outcome try_write(enum kind k)
{
    static const char line[BUF_LEN] = "# t_efault: write.buf.valid ok\n";
    const void *p = k == VALID ? line : bad_object(k, BUF_LEN);
    long n = k == VALID ? (long)strlen(line) : k == LONG_STRADDLE ? LONG_STRADDLE_LEN : BUF_LEN;

    return (struct outcome){sys(SYS_write, STDOUT_FILENO, word(p), n), k == VALID ? n : -EFAULT};
}

static struct outcome try_open(enum kind k)
{
    const char *path = k == VALID ? VALID_PATH : bad_string(k);
    long r = sys(SYS_open, word(path), O_RDONLY, 0);

    /* Any descriptor will do for the control: report success as 0. */
    return (struct outcome){k == VALID && r >= 0 ? 0 : r, k == VALID ? 0 : -EFAULT};
}

static struct outcome try_stat_path(enum kind k)
{
    struct stat st;
    const char *path = k == VALID ? VALID_PATH : bad_string(k);

    return (struct outcome){sys(SYS_stat, word(path), word(&st), 0), k == VALID ? 0 : -EFAULT};
}

static struct outcome try_stat_st(enum kind k)
{
    struct stat st;
    void *p = k == VALID ? &st : bad_object(k, sizeof st);

    return (struct outcome){sys(SYS_stat, word(VALID_PATH), word(p), 0), k == VALID ? 0 : -EFAULT};
}

static struct outcome try_fstat_st(enum kind k)
{
    struct stat st;
    void *p = k == VALID ? &st : bad_object(k, sizeof st);

    return (struct outcome){sys(SYS_fstat, file_fd, word(p), 0), k == VALID ? 0 : -EFAULT};
}

static char *exec_argv[] = {"t_args", "argc=2 envc=0", NULL};
static char *empty_env[] = {NULL};

/* On success execve does not return: t_args then exits 0 for the
 * control row, which the parent takes as the pass it is. */
static struct outcome try_execve_path(enum kind k)
{
    const char *path = k == VALID ? EXEC_PATH : bad_string(k);

    return (struct outcome){sys(SYS_execve, word(path), word(exec_argv), word(empty_env)),
                            k == VALID ? 0 : -EFAULT};
}

static struct outcome try_execve_argv(enum kind k)
{
    char **argv = bad_object(k, 2 * sizeof(char *));

    if (k == USER_TOP_STRADDLE) {
        argv = at(USER_TOP - sizeof(char *));   /* the stack's top word: see bad_string */
        argv[0] = exec_argv[0];
    } else if (k == MAPPING_END) {
        argv = at(heap_end - 2 * sizeof(char *));
        argv[0] = exec_argv[0];
        argv[1] = exec_argv[1];
    }
    return (struct outcome){sys(SYS_execve, word(EXEC_PATH), word(argv), word(empty_env)),
                            -EFAULT};
}

static struct outcome try_execve_argv_string(enum kind k)
{
    char *argv[] = {exec_argv[0], bad_string(k), NULL};

    return (struct outcome){sys(SYS_execve, word(EXEC_PATH), word(argv), word(empty_env)),
                            -EFAULT};
}

/* NULL is a valid status pointer: waitpid reaps the child and returns
 * its pid; so does the control. */
static struct outcome try_waitpid_status(enum kind k)
{
    int status;
    pid_t child = fork();

    if (child == 0)
        _exit(7);
    void *p = k == VALID ? &status : bad_object(k, sizeof status);
    long want = k == VALID || k == NUL ? child : -EFAULT;
    return (struct outcome){sys(SYS_waitpid, child, word(p), 0), want};
}

__attribute__((noreturn)) static void efault_thread(void *arg)
{
    (void)arg;
    thread_exit(0);
}

static struct outcome try_thread_create_stack(enum kind k)
{
    /* The stack top is an end, not a start: the bad kinds place it so
     * that the 8 bytes the kernel writes below it are bad. */
    uintptr_t top;

    switch (k) {
    case USER_TOP_STRADDLE:
        top = USER_TOP + 4;
        break;
    case MAPPING_END:
        top = heap_end + 4;
        break;
    default:
        /* SAFETY: pointer -> integer: the bad address as a number. */
        top = (uintptr_t)bad_object(k, 8);
        break;
    }
    /* SAFETY: function pointer -> integer: the user address the thread
     * would start at. */
    long entry = (long)(uintptr_t)efault_thread;
    return (struct outcome){sys(SYS_thread_create, entry, 0, (long)top), -EFAULT};
}

/* ---- the table */

struct row {
    const char *name;
    struct outcome (*try)(enum kind k);
    unsigned kinds;     /* a bit per enum kind */
};

#define K(k) (1u << (k))
#define BAD_KINDS (K(NUL) | K(KERNEL) | K(UNMAPPED) | K(USER_TOP_STRADDLE) | K(MAPPING_END))

static const struct row rows[] = {
    {"read.buf", try_read, K(VALID) | BAD_KINDS | K(LONG_STRADDLE)},
    {"write.buf", try_write, K(VALID) | BAD_KINDS | K(LONG_STRADDLE)},
    {"open.path", try_open, K(VALID) | BAD_KINDS},
    {"stat.path", try_stat_path, K(VALID) | BAD_KINDS},
    {"stat.st", try_stat_st, BAD_KINDS},
    {"fstat.st", try_fstat_st, K(VALID) | BAD_KINDS},
    {"execve.path", try_execve_path, K(VALID) | BAD_KINDS},
    {"execve.argv", try_execve_argv, BAD_KINDS},
    {"execve.argv_string", try_execve_argv_string, BAD_KINDS & ~K(NUL)},
    {"waitpid.status", try_waitpid_status, K(VALID) | BAD_KINDS},
    {"thread_create.stack", try_thread_create_stack, BAD_KINDS},
};

#define ROWS (sizeof rows / sizeof rows[0])

static int count_cases(void)
{
    int n = 0;

    for (size_t r = 0; r < ROWS; r++)
        n += __builtin_popcount(rows[r].kinds);
    return n;
}

/* The child's side of a case: make the call, say what went wrong. */
__attribute__((noreturn)) static void run_case_child(const struct row *row, enum kind k)
{
    struct outcome o = row->try(k);

    if (o.got == o.want)
        _exit(0);
    printf("# %s.%s: expected %s, got %s\n", row->name, kind_names[k], ktap_raw(o.want),
           ktap_raw(o.got));
    _exit(1);
}

static void run_case(const struct row *row, enum kind k)
{
    if (k == MAPPING_END && heap_end == 0) {
        ktap_diag("no page-aligned heap end to test (sbrk failed above)");
        ktap_result(false, "%s.%s", row->name, kind_names[k]);
        return;
    }
    pid_t pid = fork();

    if (pid == 0)
        run_case_child(row, k);
    int status = 0;
    pid_t waited = pid > 0 ? waitpid(pid, &status, 0) : -1;
    if (waited != pid || pid < 0)
        ktap_diag("fork/waitpid for the case failed: %s", ktap_errno(-1, errno));
    else if (WIFSIGNALED(status))
        ktap_diag("the process was %s: a bad pointer must make the call fail with "
                  "-EFAULT, not end the caller", ktap_status(status));
    else if (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 1)
        ktap_diag("the process %s (an execve that should have failed ran t_args?)",
                  ktap_status(status));
    ktap_result(waited == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s.%s",
                row->name, kind_names[k]);
}

/* Moves the break to a page boundary with at least one whole page of
 * heap below it. Assumes (docs/abi.md) that the kernel maps exactly the
 * pages below the break, so the page at heap_end is unmapped. */
static bool make_heap_end(void)
{
    char *brk = sbrk(0);

    if (brk == SBRK_FAILED)
        return false;
    /* SAFETY: pointer -> integer, for the distance to the next page. */
    uintptr_t start = (uintptr_t)brk;
    uintptr_t pad = -start & (PAGE_SIZE - 1);
    if (sbrk((intptr_t)(pad + PAGE_SIZE)) == SBRK_FAILED)
        return false;
    heap_end = start + pad + PAGE_SIZE;
    return true;
}

int main(void)
{
    ktap_plan(count_cases());
    file_fd = open(VALID_PATH, O_RDONLY);
    if (file_fd < 0)
        ktap_diag("open(\"%s\") failed (%s): the read and fstat rows cannot pass",
                  VALID_PATH, strerror(errno));
    if (!make_heap_end())
        ktap_diag("sbrk failed (%s): the mapping_end rows cannot pass", strerror(errno));
    for (size_t r = 0; r < ROWS; r++) {
        for (enum kind k = 0; k < KINDS; k++) {
            if (rows[r].kinds & K(k))
                run_case(&rows[r], k);
        }
    }
    return ktap_finish();
}
