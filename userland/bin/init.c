/*
 * init.c -- the first process: keeps a shell running, reaps orphans.
 *
 * The kernel starts it with fds 0, 1 and 2 open on the console, so init
 * opens nothing. It starts /bin/sh with its own environment, then waits
 * for any child with waitpid(-1, ...): that reaps the shell's leftover
 * children too, which the kernel hands to init when their parent dies.
 * When the shell itself ends, init says so in one line and starts a new
 * one. If the shell could not even be exec'd (the child exits 127),
 * init waits a second (timer_hz ticks at the default rate) before the
 * next try, so that a missing /bin/sh costs a line a second, not a flood.
 * A shell that runs but dies within a second, FAST_FAILURES times in a
 * row (a broken sh, a console that always reads EOF), gets the same
 * pause before each new try, until one lives longer.
 *
 * The shell starts with SIGINT at its default: init itself must never
 * be ended by a Ctrl-C, and the shell sets up its own signals.
 *
 * Lab 6: the network servers. init asks SYS_netstat. Without a NIC (a
 * loopback-only kernel) nothing is started, so tests that bind ports 7
 * or 80 themselves find them free. With a NIC whose interface is
 * already configured (DHCP answered during boot, or ip= was on the
 * command line: netstat's `configured`), init starts /bin/udpecho (udp
 * port 7) and /bin/httpd (tcp port 80, /www) in the background and
 * waits, polling every NET_POLL_MS for at most NET_LISTEN_SECS, until
 * the socket table shows both listening; only then does it start the
 * shell. So their "listening" lines come before the first prompt, and a
 * test that sees the prompt can connect at once. With a NIC but no
 * address yet, a helper process polls `configured` for at most
 * NET_WAIT_SECS, starts the servers when it turns true and exits; the
 * shell does not wait for that. Servers are never restarted; orphans,
 * they are init's to reap.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <tidepool.h>
#include <unistd.h>
#if LAB >= 6
#include <stdbool.h>
#include <stdint.h>
#include <tpnet.h>
#endif

#define SHELL "/bin/sh"
#define EXEC_FAILED 127
#define RETRY_TICKS 100
#define FAST_TICKS 100          /* a shell that dies sooner "failed fast" */
#define FAST_FAILURES 3

/* Forks and execs the shell; returns its pid, or -1. */
static pid_t start_shell(void)
{
    pid_t pid = fork();

    if (pid < 0) {
        fprintf(stderr, "init: fork: %s\n", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        char *argv[] = {"sh", NULL};

        signal(SIGINT, SIG_DFL);
        execve(SHELL, argv, environ);
        fprintf(stderr, "init: exec %s: %s\n", SHELL, strerror(errno));
        exit(EXEC_FAILED);
    }
    return pid;
}

#if LAB >= 6
#define NET_POLL_MS     20
#define NET_WAIT_SECS   60
#define NET_LISTEN_SECS 5
#define UDPECHO_PORT    7
#define HTTPD_PORT      80

static struct netstat_info net_info;    /* ~5 KiB: not on the stack */

static void start_server(char *path, char *name)
{
    char *argv[] = {name, NULL};
    pid_t pid = fork();

    if (pid == 0) {
        execve(path, argv, environ);
        fprintf(stderr, "init: exec %s: %s\n", path, strerror(errno));
        exit(EXEC_FAILED);
    }
    if (pid < 0)
        fprintf(stderr, "init: fork for %s: %s\n", path, strerror(errno));
}

/* True if net_info's socket table has proto bound to port (for TCP: in
 * LISTEN). */
static bool has_listener(uint32_t proto, uint32_t port)
{
    for (uint32_t i = 0; i < net_info.nsockets && i < NETSTAT_SOCKETS_MAX; i++) {
        const struct netstat_socket *s = &net_info.sockets[i];
        if (s->proto == proto && s->local_port == port &&
            (proto != NETSTAT_PROTO_TCP || strcmp(s->state, "LISTEN") == 0))
            return true;
    }
    return false;
}

/* Starts both servers, then waits (bounded) until both listen. */
static void start_servers_and_wait(void)
{
    start_server("/bin/udpecho", "udpecho");
    start_server("/bin/httpd", "httpd");
    for (unsigned waited = 0; waited < NET_LISTEN_SECS * 1000; waited += NET_POLL_MS) {
        if (netstat_get(&net_info) == 0 && has_listener(NETSTAT_PROTO_UDP, UDPECHO_PORT) &&
            has_listener(NETSTAT_PROTO_TCP, HTTPD_PORT))
            return;
        msleep(NET_POLL_MS);
    }
    printf("init: httpd and udpecho are not both listening after %d s\n", NET_LISTEN_SECS);
}

/* The helper of a NIC without an address yet. */
static void start_servers_when_configured(void)
{
    for (unsigned waited = 0; waited < NET_WAIT_SECS * 1000; waited += NET_POLL_MS) {
        if (netstat_get(&net_info) == 0 && net_info.configured) {
            start_servers_and_wait();
            exit(0);
        }
        msleep(NET_POLL_MS);
    }
    printf("init: the network has no address after %d s; not starting httpd, udpecho\n",
           NET_WAIT_SECS);
    exit(1);
}

static void start_network_servers(void)
{
    if (netstat_get(&net_info) < 0 || !net_info.has_nic)
        return;
    if (net_info.configured) {
        start_servers_and_wait();
        return;
    }
    pid_t pid = fork();
    if (pid == 0)
        start_servers_when_configured();
    if (pid < 0)
        fprintf(stderr, "init: fork: %s\n", strerror(errno));
}
#endif /* LAB >= 6 */

static void report_shell_end(pid_t pid, int status)
{
    if (WIFSIGNALED(status))
        printf("init: sh (pid %d) killed by signal %d, starting a new one\n", pid,
               WTERMSIG(status));
    else if (WEXITSTATUS(status) == EXEC_FAILED)
        printf("init: sh (pid %d) could not run %s, trying again\n", pid, SHELL);
    else
        printf("init: sh (pid %d) exited with status %d, starting a new one\n", pid,
               WEXITSTATUS(status));
}

int main(void)
{
    /* Errors are ignored: a kernel without signal() has no Ctrl-C. */
    signal(SIGINT, SIG_IGN);
#if LAB >= 6
    start_network_servers();
#endif

    pid_t shell = start_shell();
    unsigned long started = uptime();
    int fast_failures = 0;

    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, 0);

        if (pid < 0) {
            /* No child at all: the fork of the shell failed. Try again
             * later rather than spin. */
            sleep_ticks(RETRY_TICKS);
            shell = start_shell();
            started = uptime();
            continue;
        }
        if (pid != shell)
            continue;           /* an orphan, reaped */
        report_shell_end(pid, status);
        fast_failures = uptime() - started < FAST_TICKS ? fast_failures + 1 : 0;
        if (WIFEXITED(status) && WEXITSTATUS(status) == EXEC_FAILED) {
            sleep_ticks(RETRY_TICKS);
        } else if (fast_failures >= FAST_FAILURES) {
            printf("init: sh died %d times within a second, pausing before the next\n",
                   fast_failures);
            sleep_ticks(RETRY_TICKS);
        }
        shell = start_shell();
        started = uptime();
    }
}
