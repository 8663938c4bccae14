/*
 * t_crash.c -- a faulting program dies alone (KTAP on stdout).
 *
 * For each mode, a child execs /bin/crashme MODE, which does one
 * forbidden thing; the case passes if waitpid reports the child killed
 * (WIFSIGNALED) with the expected signal. t_crash itself goes on: it is
 * still here to report the next case. What each fault is and why it
 * maps to its signal (kernel/abi/wait.h; the same choice as Linux's):
 *
 *   null         read address 0 (below USER_BASE): page fault SIGSEGV
 *   null-write   write address 0: page fault                  SIGSEGV
 *   div0         divl by 0: divide error (#DE, vector 0)      SIGFPE
 *   cli          cli with IOPL 0: general protection (#GP)    SIGSEGV
 *   hlt          privileged instruction: #GP                  SIGSEGV
 *   outb         port I/O with IOPL 0 and no I/O bitmap: #GP  SIGSEGV
 *   kernel-read  read 0x00100000 (supervisor page): page fault  SIGSEGV
 *   kernel-jump  jump to 0x00100000: page fault on the fetch  SIGSEGV
 *   wrtext       write to its own (read-only) text: page fault  SIGSEGV
 *   ud2          invalid opcode (#UD, vector 6)               SIGILL
 *   int14        `int $14`: the gate has DPL 0, so #GP        SIGSEGV
 *
 * A privileged instruction in ring 3 raises #GP, not #UD, so cli, hlt and
 * outb end with SIGSEGV; only a truly invalid opcode gives SIGILL.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ktap.h>

#define EXEC_FAILED 127

static const struct {
    const char *mode;
    int signal;
} cases[] = {
    {"null", SIGSEGV},        {"null-write", SIGSEGV},  {"div0", SIGFPE},
    {"cli", SIGSEGV},         {"hlt", SIGSEGV},         {"outb", SIGSEGV},
    {"kernel-read", SIGSEGV}, {"kernel-jump", SIGSEGV}, {"wrtext", SIGSEGV},
    {"ud2", SIGILL},          {"int14", SIGSEGV},
};

#define CASES (sizeof cases / sizeof cases[0])

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGILL:
        return "SIGILL";
    case SIGFPE:
        return "SIGFPE";
    case SIGKILL:
        return "SIGKILL";
    case SIGSEGV:
        return "SIGSEGV";
    default:
        return "an unknown signal";
    }
}

static void run_case(const char *mode, int expected)
{
    pid_t pid = fork();

    if (pid == 0) {
        char *argv[] = {"crashme", (char *)mode, NULL};

        execve("/bin/crashme", argv, environ);
        printf("# child: execve(\"/bin/crashme\") returned %s\n", ktap_errno(-1, errno));
        _exit(EXEC_FAILED);
    }
    int status = 0;
    pid_t waited = pid > 0 ? waitpid(pid, &status, 0) : -1;
    bool ok = waited == pid && WIFSIGNALED(status) && WTERMSIG(status) == expected;
    if (waited != pid)
        ktap_diag("fork/waitpid failed: %s", ktap_errno(-1, errno));
    else if (!ok)
        ktap_diag("crashme %s: expected killed by %s (%d), but it %s%s", mode,
                  signal_name(expected), expected, ktap_status(status),
                  WIFSIGNALED(status) ? "" : " (it survived the fault, or could not run)");
    ktap_result(ok, "crash_%s", mode);
}

int main(void)
{
    ktap_plan((int)CASES);
    for (size_t i = 0; i < CASES; i++)
        run_case(cases[i].mode, cases[i].signal);
    return ktap_finish();
}
