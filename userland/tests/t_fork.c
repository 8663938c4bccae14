/*
 * t_fork.c -- fork, getpid/getppid and waitpid (KTAP on stdout).
 *
 * What each case expects:
 *   fork_returns_zero_in_child     the child's fork() returns 0
 *   fork_returns_pid_in_parent     the parent's fork() returns a pid > 0
 *                                  that is not the parent's own
 *   child_getpid_differs           the child's getpid() is not the parent's
 *   child_getppid_is_parent        the child's getppid() is the parent's getpid()
 *   waitpid_returns_child          waitpid(pid, &st, 0) returns pid
 *   exit_status_42                 a child that calls exit(42) has
 *                                  WIFEXITED and WEXITSTATUS == 42
 *   waitpid_null_status            waitpid(pid, NULL, 0) reaps the child
 *                                  and returns pid (POSIX allows NULL)
 *   waitpid_reaped_child_echild    waiting again for a reaped child:
 *                                  -1, errno ECHILD
 *   waitpid_no_children_echild     waitpid(-1) with no children: ECHILD
 *   waitpid_not_a_child_echild     waitpid(getppid()) -- our parent is
 *                                  not our child: ECHILD (skipped if
 *                                  getppid() is 0: no parent)
 *   two_children_any_order         two children exiting 1 and 2 are both
 *                                  reaped by waitpid(-1), each pid once,
 *                                  each with its own status, in either
 *                                  order; a third waitpid(-1) is ECHILD
 *
 * The first child reports its own checks through its exit status (one
 * bit per failed check) and prints "# child: ..." lines for them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ktap.h>

#define CHILD_FORK_NOT_ZERO   1
#define CHILD_PID_SAME        2
#define CHILD_PPID_WRONG      4

/* The child of the first fork: check, report, exit with the bits. */
__attribute__((noreturn)) static void first_child(pid_t fork_result, pid_t parent)
{
    int failed = 0;
    pid_t self = getpid();
    pid_t ppid = getppid();

    if (fork_result != 0) {
        printf("# child: fork() returned %d in the child, expected 0\n", fork_result);
        failed |= CHILD_FORK_NOT_ZERO;
    }
    if (self == parent) {
        printf("# child: getpid() = %d, the same as the parent's\n", self);
        failed |= CHILD_PID_SAME;
    }
    if (ppid != parent) {
        printf("# child: getppid() = %d, expected the parent's pid %d\n", ppid, parent);
        failed |= CHILD_PPID_WRONG;
    }
    _exit(failed);
}

/* Cases 1-5: one fork, the child checks itself. Returns the child's pid. */
static pid_t test_fork_basics(void)
{
    pid_t parent = getpid();
    pid_t pid = fork();

    if (pid == 0)
        first_child(pid, parent);
    if (pid < 0) {
        ktap_diag("fork failed: %s", ktap_errno(pid, errno));
        for (int i = 0; i < 5; i++)
            ktap_result(false, "fork_basics_%d", i + 1);
        return -1;
    }
    int status = 0;
    pid_t waited = waitpid(pid, &status, 0);
    int bits = WIFEXITED(status) ? WEXITSTATUS(status) : 0xff;
    if (!WIFEXITED(status))
        ktap_diag("the child was %s, expected it to exit", ktap_status(status));

    ktap_result(!(bits & CHILD_FORK_NOT_ZERO), "fork_returns_zero_in_child");
    if (pid == parent)
        ktap_diag("fork() returned %d in the parent: the parent's own pid", pid);
    ktap_result(pid > 0 && pid != parent, "fork_returns_pid_in_parent");
    ktap_result(!(bits & CHILD_PID_SAME), "child_getpid_differs");
    ktap_result(!(bits & CHILD_PPID_WRONG), "child_getppid_is_parent");
    if (waited != pid)
        ktap_diag("waitpid(%d) returned %s", pid, ktap_errno(waited, errno));
    ktap_result(waited == pid, "waitpid_returns_child");
    return pid;
}

static void test_exit_status(void)
{
    pid_t pid = fork();

    if (pid == 0)
        exit(42);
    int status = 0;
    pid_t waited = waitpid(pid, &status, 0);
    bool ok = waited == pid && WIFEXITED(status) && WEXITSTATUS(status) == 42;
    if (!ok)
        ktap_diag("expected waitpid = %d and \"exited with 42\", got %s and \"%s\" (raw 0x%x)",
                  pid, ktap_errno(waited, errno), ktap_status(status), status);
    ktap_result(ok, "exit_status_42");
}

static void test_null_status(void)
{
    pid_t pid = fork();

    if (pid == 0)
        _exit(0);
    pid_t waited = waitpid(pid, NULL, 0);
    if (waited != pid)
        ktap_diag("waitpid(%d, NULL, 0): expected %d, got %s", pid, pid,
                  ktap_errno(waited, errno));
    ktap_result(waited == pid, "waitpid_null_status");
}

/* waitpid(pid) must fail with ECHILD; `what` says why it should. */
static void expect_echild(pid_t pid, const char *name, const char *what)
{
    int status;
    errno = 0;
    pid_t r = waitpid(pid, &status, 0);
    bool ok = r == -1 && errno == ECHILD;

    if (!ok)
        ktap_diag("waitpid(%d) %s: expected -1 (errno ECHILD), got %s", pid, what,
                  ktap_errno(r, errno));
    ktap_result(ok, "%s", name);
}

static void test_two_children(void)
{
    pid_t child[2];
    bool seen[2] = {false, false};
    bool ok = true;

    for (int i = 0; i < 2; i++) {
        child[i] = fork();
        if (child[i] == 0)
            _exit(i + 1);
    }
    for (int n = 0; n < 2; n++) {
        int status = 0;
        pid_t pid = waitpid(-1, &status, 0);
        int i = pid == child[0] ? 0 : pid == child[1] ? 1 : -1;

        if (i < 0 || seen[i]) {
            ktap_diag("waitpid(-1) #%d returned %s; the children are %d and %d%s", n + 1,
                      ktap_errno(pid, errno), child[0], child[1], i >= 0 ? " (again)" : "");
            ok = false;
            continue;
        }
        seen[i] = true;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != i + 1) {
            ktap_diag("child %d: expected \"exited with %d\", got \"%s\"", pid, i + 1,
                      ktap_status(status));
            ok = false;
        }
    }
    errno = 0;
    pid_t extra = waitpid(-1, NULL, 0);
    if (extra != -1 || errno != ECHILD) {
        ktap_diag("a third waitpid(-1): expected -1 (errno ECHILD), got %s",
                  ktap_errno(extra, errno));
        ok = false;
    }
    ktap_result(ok, "two_children_any_order");
}

int main(void)
{
    ktap_plan(11);
    pid_t first = test_fork_basics();
    test_exit_status();
    test_null_status();
    expect_echild(first, "waitpid_reaped_child_echild", "of a child reaped already");
    expect_echild(-1, "waitpid_no_children_echild", "with no children left");
    if (getppid() > 0)
        expect_echild(getppid(), "waitpid_not_a_child_echild", "of our own parent");
    else
        ktap_skip("waitpid_not_a_child_echild", "getppid() is 0: no parent to try");
    test_two_children();
    return ktap_finish();
}
