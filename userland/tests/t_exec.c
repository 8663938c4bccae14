/*
 * t_exec.c -- execve: arguments and environment, bad files, missing
 * files (KTAP on stdout).
 *
 *   exec_passes_args_and_env   a forked child execs /bin/t_args with 3
 *                              arguments and 2 environment strings;
 *                              t_args checks them (t_args.c says how)
 *                              and exits 0 iff all is as sent
 *   exec_bad_magic_enoexec     execve of each malformed file in /bad/
 *   exec_wrong_machine_enoexec   (made by tools/make-bad-elves.py from
 *   exec_kernel_segment_enoexec  /bin/hello; that script says what is
 *   exec_filesz_over_memsz_enoexec  wrong with each) returns -1 with
 *   exec_truncated_enoexec     errno ENOEXEC -- in this process, which
 *                              must go on running its own program
 *   exec_missing_enoent        execve of a path that does not exist:
 *                              -1 with errno ENOENT
 *   caller_goes_on             after those six failed execve calls this
 *                              is still t_exec: same pid, its data intact
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ktap.h>

#define EXEC_RETURNED 99    /* the child's status if execve came back */

static const char marker[] = "t_exec data";
static char writable_marker[] = "t_exec data";

static void test_args_and_env(void)
{
    char *argv[] = {"t_args", "argc=4 envc=2", "2:two words", "3:three", NULL};
    char *envp[] = {"T_ARGS_0=zero", "T_ARGS_1=one with spaces", NULL};
    pid_t pid = fork();

    if (pid == 0) {
        int r = execve("/bin/t_args", argv, envp);
        printf("# child: execve(\"/bin/t_args\") returned %s\n", ktap_errno(r, errno));
        _exit(EXEC_RETURNED);
    }
    int status = 0;
    pid_t waited = waitpid(pid, &status, 0);
    bool ok = waited == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!ok)
        ktap_diag("expected t_args to exit with 0, it %s (1: a mismatch, shown above; "
                  "2: bad argv[1]; %d: execve failed)",
                  ktap_status(status), EXEC_RETURNED);
    ktap_result(ok, "exec_passes_args_and_env");
}

/* execve(path) must return -1 with errno `want`, here, in this process. */
static void expect_exec_error(const char *path, int want, const char *name)
{
    struct stat st;
    char *argv[] = {(char *)path, NULL};

    if (want != ENOENT && stat(path, &st) < 0)
        ktap_diag("%s is missing from the initrd (stat: %s)", path, strerror(errno));
    errno = 0;
    int r = execve(path, argv, environ);
    bool ok = r == -1 && errno == want;
    if (!ok)
        ktap_diag("execve(\"%s\"): expected -1 (errno %s), got %s", path, strerrorname_np(want),
                  ktap_errno(r, errno));
    ktap_result(ok, "%s", name);
}

int main(void)
{
    static const struct {
        const char *path;
        const char *name;
    } bad[] = {
        {"/bad/bad-magic", "exec_bad_magic_enoexec"},
        {"/bad/wrong-machine", "exec_wrong_machine_enoexec"},
        {"/bad/kernel-segment", "exec_kernel_segment_enoexec"},
        {"/bad/filesz-over-memsz", "exec_filesz_over_memsz_enoexec"},
        {"/bad/truncated", "exec_truncated_enoexec"},
    };
    pid_t self = getpid();

    ktap_plan(8);
    test_args_and_env();
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_exec_error(bad[i].path, ENOEXEC, bad[i].name);
    expect_exec_error("/bin/no-such-program", ENOENT, "exec_missing_enoent");

    bool same_pid = getpid() == self;
    bool data_intact = strcmp(marker, "t_exec data") == 0 &&
                       strcmp(writable_marker, "t_exec data") == 0;
    if (!same_pid || !data_intact)
        ktap_diag("after the failed execs: pid %d (was %d), data %s", getpid(), self,
                  data_intact ? "intact" : "changed");
    ktap_result(same_pid && data_intact, "caller_goes_on");
    return ktap_finish();
}
