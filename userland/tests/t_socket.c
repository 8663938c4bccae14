/*
 * t_socket.c -- BSD sockets over loopback, and poll() (lab 6; KTAP on stdout).
 *
 * Every case talks to 127.0.0.1 (the kernel delivers to its own address
 * without a wire: kernel/net/loopback.h), so no NIC is needed; the
 * grader boots it with none. With a NIC, 127.0.0.1 is the address DHCP
 * gives: the program first waits (up to CONFIG_WAIT_S) until netstat
 * says the interface is configured.
 *
 *   udp_echo_between_processes   a child sends datagrams to the parent's
 *                                bound port, the parent echoes each one
 *                                upper-cased to the sender's address:
 *                                the child gets every one back intact
 *   udp_connected_and_names      a connected UDP socket sends with send(),
 *                                hears only its peer; getsockname and
 *                                getpeername give 127.0.0.1 and the ports
 *   tcp_echo_between_processes   a child writes 20000 bytes (more than
 *                                TCP's 8 KiB buffers) and shuts down its
 *                                side; the parent echoes until recv 0;
 *                                the child reads the same bytes back
 *   tcp_between_threads          one thread of this process accepts and
 *                                echoes three messages while another
 *                                connects and waits for each echo (two
 *                                threads blocked in one process's
 *                                sockets at once)
 *   tcp_accept_backlog           three connects before any accept (the
 *                                backlog is 3); a fourth is not answered
 *                                (ETIMEDOUT at SO_RCVTIMEO, counted as
 *                                backlog_full); three accepts hand them
 *                                out oldest first (the peer ports match),
 *                                then a non-blocking accept is EAGAIN
 *   connect_refused              connect to a port nobody listens on:
 *                                ECONNREFUSED (the peer's RST); connect
 *                                to 192.0.2.1 (TEST-NET-1: nobody
 *                                answers) with SO_RCVTIMEO 300 ms:
 *                                ETIMEDOUT well before TCP's own retries
 *   bind_addr_in_use             a second bind of a TCP port, and of a
 *                                UDP port: EADDRINUSE
 *   poll_readiness               poll on a pipe (empty: 0; data: POLLIN;
 *                                writer gone: POLLHUP), on the console
 *                                (POLLOUT; no POLLIN: nothing typed), on a TCP pair
 *                                (POLLOUT, no POLLIN until data), on a
 *                                listener (POLLIN when a connection
 *                                waits), on a closed fd (POLLNVAL); a
 *                                poll with nothing ready times out
 *   shutdown_fin_gives_eof       shutdown(SHUT_WR) on one side: the other
 *                                side's recv returns 0, and can still
 *                                send back; send after shutdown: EPIPE
 *   reset_gives_econnreset       a server closes with unread data (a RST:
 *                                RFC 2525 2.17): the client's recv is
 *                                ECONNRESET
 *   rcvtimeo_gives_eagain        SO_RCVTIMEO 200 ms on an idle socket:
 *                                recv is EAGAIN after about that long
 *   ping_socket_echo             an ICMP echo request on a ping socket to
 *                                127.0.0.1 comes back as an echo reply
 *                                with our sequence number and data
 *   nonblocking_connect          connect on a SOCK_NONBLOCK socket is
 *                                EINPROGRESS; poll says POLLOUT when the
 *                                handshake is done and SO_ERROR is 0; to a
 *                                closed port, POLLERR and SO_ERROR is
 *                                ECONNREFUSED; a UDP socket polls POLLIN
 *                                only once a datagram waits
 *   bad_arguments                EAFNOSUPPORT, EFAULT, EINVAL, EBADF,
 *                                ENOTSOCK, ENOTCONN, EOPNOTSUPP for the
 *                                usual mistakes, and no crash
 *   netstat_lists_sockets        SYS_netstat: named drop reasons, the
 *                                NIC's receive counters (with a NIC), and
 *                                a listener this program holds, in LISTEN
 */
#if LAB >= 6
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <tidepool.h>
#include <tpnet.h>
#include <unistd.h>

#include <ktap.h>

#define PORT_BASE   7100            /* each case its own ports: no TIME_WAIT clashes */
#define TIMEOUT_MS  10000           /* a blocked call gives up instead of hanging */
#define TCP_BYTES   20000
#define UDP_ROUNDS  5
#define CONFIG_WAIT_S 30            /* DHCP, when there is a NIC */

static struct sockaddr_in loopback(uint16_t port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

#define SA(a) ((struct sockaddr *)&(a))

static void set_timeout(int fd, int ms)
{
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

static int tcp_listener(uint16_t port, int backlog)
{
    int one = 1;
    struct sockaddr_in a = loopback(port);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    set_timeout(fd, TIMEOUT_MS);
    if (bind(fd, SA(a), sizeof a) != 0 || listen(fd, backlog) != 0) {
        ktap_diag("listener on %u: %s", port, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static int tcp_connect_to(uint16_t port)
{
    struct sockaddr_in a = loopback(port);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    set_timeout(fd, TIMEOUT_MS);
    if (connect(fd, SA(a), sizeof a) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* A connected pair through a listener on port (closed after). */
static bool tcp_pair(uint16_t port, int *client, int *server)
{
    int l = tcp_listener(port, 1);
    *client = l >= 0 ? tcp_connect_to(port) : -1;
    *server = *client >= 0 ? accept(l, NULL, NULL) : -1;
    if (l >= 0)
        close(l);
    if (*server < 0) {
        ktap_diag("tcp pair on %u: %s", port, strerror(errno));
        if (*client >= 0)
            close(*client);
        return false;
    }
    set_timeout(*server, TIMEOUT_MS);
    return true;
}

static uint8_t pattern(uint32_t i)
{
    return (uint8_t)(i * 7 + (i >> 8));
}

/* fork() with stdout flushed (the child must not print the parent's
 * buffered lines again). */
static pid_t fork_flushed(void)
{
    fflush(stdout);
    return fork();
}

static bool child_ok(pid_t pid, const char *what)
{
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) {
        ktap_diag("%s: waitpid: %s", what, strerror(errno));
        return false;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        ktap_diag("%s: the child %s", what, ktap_status(status));
        return false;
    }
    return true;
}

/* ---- UDP */

static int udp_child(uint16_t port)
{
    struct sockaddr_in to = loopback(port);
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    set_timeout(fd, TIMEOUT_MS);
    for (int i = 0; i < UDP_ROUNDS; i++) {
        char msg[32], want[32], got[64];
        snprintf(msg, sizeof msg, "hello %d", i);
        snprintf(want, sizeof want, "HELLO %d", i);
        if (sendto(fd, msg, strlen(msg), 0, SA(to), sizeof to) != (ssize_t)strlen(msg))
            return 1;
        struct sockaddr_in from;
        socklen_t flen = sizeof from;
        ssize_t n = recvfrom(fd, got, sizeof got, 0, SA(from), &flen);
        if (n != (ssize_t)strlen(want) || memcmp(got, want, (size_t)n) != 0)
            return 2;
        if (from.sin_port != htons(port))
            return 3;
    }
    return 0;
}

static void test_udp_echo(void)
{
    uint16_t port = PORT_BASE + 1;
    struct sockaddr_in a = loopback(port);
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    bool ok = fd >= 0 && bind(fd, SA(a), sizeof a) == 0;
    if (!ok)
        ktap_diag("udp socket/bind: %s", strerror(errno));
    set_timeout(fd, TIMEOUT_MS);
    pid_t pid = ok ? fork_flushed() : -1;
    if (pid == 0) {
        close(fd);
        _exit(udp_child(port));
    }
    for (int i = 0; ok && i < UDP_ROUNDS; i++) {
        char buf[64];
        struct sockaddr_in from;
        socklen_t flen = sizeof from;
        ssize_t n = recvfrom(fd, buf, sizeof buf, 0, SA(from), &flen);
        if (n <= 0 || flen != sizeof from || from.sin_addr.s_addr != htonl(INADDR_LOOPBACK) ||
            from.sin_port == 0) {
            ktap_diag("round %d: recvfrom %s from %s:%u", i, ktap_errno(n, errno),
                      inet_ntoa(from.sin_addr), ntohs(from.sin_port));
            ok = false;
            break;
        }
        for (ssize_t k = 0; k < n; k++)
            if (buf[k] >= 'a' && buf[k] <= 'z')
                buf[k] = (char)(buf[k] - 'a' + 'A');
        ok = sendto(fd, buf, (size_t)n, 0, SA(from), flen) == n;
    }
    if (pid > 0 && !child_ok(pid, "udp child"))
        ok = false;
    close(fd);
    ktap_result(ok, "udp_echo_between_processes");
}

static void test_udp_connected(void)
{
    uint16_t pa = PORT_BASE + 2, pb = PORT_BASE + 3, pc = PORT_BASE + 4;
    struct sockaddr_in a = loopback(pa), b = loopback(pb), c = loopback(pc);
    int fa = socket(AF_INET, SOCK_DGRAM, 0), fb = socket(AF_INET, SOCK_DGRAM, 0);
    int fc = socket(AF_INET, SOCK_DGRAM, 0);
    bool ok = bind(fa, SA(a), sizeof a) == 0 && bind(fb, SA(b), sizeof b) == 0 &&
              bind(fc, SA(c), sizeof c) == 0 && connect(fb, SA(a), sizeof a) == 0;
    if (!ok)
        ktap_diag("bind/connect: %s", strerror(errno));
    set_timeout(fb, 300);
    /* a stranger (c) writes to b: b is connected to a and must not hear it */
    ok = ok && sendto(fc, "stranger", 8, 0, SA(b), sizeof b) == 8;
    ok = ok && send(fb, "to a", 4, 0) == 4;
    char buf[16];
    struct sockaddr_in from;
    socklen_t flen = sizeof from;
    ssize_t n = ok ? recvfrom(fa, buf, sizeof buf, 0, SA(from), &flen) : -1;
    if (ok && (n != 4 || memcmp(buf, "to a", 4) != 0 || from.sin_port != htons(pb))) {
        ktap_diag("a got %s from port %u", ktap_errno(n, errno), ntohs(from.sin_port));
        ok = false;
    }
    ok = ok && sendto(fa, "back", 4, 0, SA(from), flen) == 4;
    n = ok ? recv(fb, buf, sizeof buf, 0) : -1;
    if (ok && (n != 4 || memcmp(buf, "back", 4) != 0)) {
        ktap_diag("b got %s (not \"back\": did it hear the stranger?)", ktap_errno(n, errno));
        ok = false;
    }
    /* = { 0 }: the diagnostic prints them even when a call failed. */
    struct sockaddr_in name = { 0 }, peer = { 0 };
    socklen_t nl = sizeof name, pl = sizeof peer;
    if (ok && (getsockname(fb, SA(name), &nl) != 0 || getpeername(fb, SA(peer), &pl) != 0 ||
               name.sin_port != htons(pb) || peer.sin_port != htons(pa) ||
               peer.sin_addr.s_addr != htonl(INADDR_LOOPBACK) || nl != sizeof name)) {
        ktap_diag("names: %s:%u -> %u", inet_ntoa(name.sin_addr), ntohs(name.sin_port),
                  ntohs(peer.sin_port));
        ok = false;
    }
    close(fa);
    close(fb);
    close(fc);
    ktap_result(ok, "udp_connected_and_names");
}

/* ---- TCP */

static int tcp_echo_child(uint16_t port)
{
    static uint8_t back[TCP_BYTES];
    int fd = tcp_connect_to(port);
    if (fd < 0)
        return 1;
    /* Write all of it first: the parent echoes as it reads, and the
     * echo waits in our receive buffer meanwhile (8 KiB), so a writer
     * that never reads would stall: write in pieces and read between. */
    uint32_t sent = 0, got = 0;
    while (got < TCP_BYTES) {
        if (sent < TCP_BYTES) {
            uint8_t piece[1000];
            uint32_t k = TCP_BYTES - sent < sizeof piece ? TCP_BYTES - sent : sizeof piece;
            for (uint32_t i = 0; i < k; i++)
                piece[i] = pattern(sent + i);
            ssize_t w = write(fd, piece, k);
            if (w <= 0)
                return 2;
            sent += (uint32_t)w;
            if (sent == TCP_BYTES && shutdown(fd, SHUT_WR) != 0)
                return 3;
        }
        ssize_t r = recv(fd, back + got, TCP_BYTES - got, sent < TCP_BYTES ? MSG_DONTWAIT : 0);
        if (r == 0)
            return 4;                   /* EOF before everything came back */
        if (r < 0 && errno != EAGAIN)
            return 5;
        if (r > 0)
            got += (uint32_t)r;
    }
    for (uint32_t i = 0; i < TCP_BYTES; i++)
        if (back[i] != pattern(i))
            return 6;
    char extra;
    if (recv(fd, &extra, 1, 0) != 0)   /* the parent's FIN */
        return 7;
    close(fd);
    return 0;
}

static void test_tcp_echo(void)
{
    uint16_t port = PORT_BASE + 10;
    int l = tcp_listener(port, 2);
    pid_t pid = l >= 0 ? fork_flushed() : -1;
    if (pid == 0) {
        close(l);
        _exit(tcp_echo_child(port));
    }
    int c = pid > 0 ? accept(l, NULL, NULL) : -1;
    bool ok = c >= 0;
    if (!ok)
        ktap_diag("accept: %s", strerror(errno));
    set_timeout(c, TIMEOUT_MS);
    uint32_t total = 0;
    while (ok) {
        char buf[1500];
        ssize_t n = read(c, buf, sizeof buf);
        if (n == 0)
            break;
        if (n < 0) {
            ktap_diag("server read after %u bytes: %s", total, strerror(errno));
            ok = false;
            break;
        }
        total += (uint32_t)n;
        ok = write(c, buf, (size_t)n) == n;
    }
    if (ok && total != TCP_BYTES) {
        ktap_diag("server got %u bytes, expected %u", total, TCP_BYTES);
        ok = false;
    }
    if (c >= 0)
        close(c);
    if (pid > 0 && !child_ok(pid, "tcp child"))
        ok = false;
    if (l >= 0)
        close(l);
    ktap_result(ok, "tcp_echo_between_processes");
}

#define THREAD_STACK 16384
#define THREAD_ROUNDS 3

/* The echo thread: accept one connection on the listener, echo what it
 * reads until EOF. Returns 0 on success. */
static int echo_thread(void *arg)
{
    int l = *(int *)arg;
    int c = accept(l, NULL, NULL);
    if (c < 0)
        return 1;
    set_timeout(c, TIMEOUT_MS);
    char buf[64];
    ssize_t n;
    while ((n = recv(c, buf, sizeof buf, 0)) > 0)
        if (send(c, buf, (size_t)n, 0) != n)
            return 2;
    close(c);
    return n == 0 ? 0 : 3;
}

static void test_threads(void)
{
    uint16_t port = PORT_BASE + 95;
    static int l;
    l = tcp_listener(port, 1);
    char *stack = malloc(THREAD_STACK);
    int tid = l >= 0 && stack != NULL ? thread_create(echo_thread, &l, stack + THREAD_STACK) : -1;
    bool ok = tid > 0;
    if (!ok)
        ktap_diag("thread_create: %s", strerror(errno));
    int c = ok ? tcp_connect_to(port) : -1;
    ok = ok && c >= 0;
    for (int i = 0; ok && i < THREAD_ROUNDS; i++) {
        char msg[16], back[16];
        int len = snprintf(msg, sizeof msg, "round %d", i);
        ssize_t n = send(c, msg, (size_t)len, 0) == len ? recv(c, back, sizeof back, 0) : -1;
        if (n != len || memcmp(back, msg, (size_t)len) != 0) {
            ktap_diag("round %d: echo %s", i, ktap_errno(n, errno));
            ok = false;
        }
    }
    if (c >= 0)
        close(c);               /* EOF: the thread's loop ends */
    if (tid > 0) {
        int status = thread_join(tid);
        if (status != 0) {
            ktap_diag("echo thread returned %d", status);
            ok = false;
        }
    }
    free(stack);
    if (l >= 0)
        close(l);
    ktap_result(ok, "tcp_between_threads");
}

static void test_accept_backlog(void)
{
    uint16_t port = PORT_BASE + 11;
    int l = tcp_listener(port, 3);
    int c[3] = {-1, -1, -1}, s[3] = {-1, -1, -1};
    bool ok = l >= 0;
    for (int i = 0; ok && i < 3; i++) {
        c[i] = tcp_connect_to(port);
        if (c[i] < 0) {
            ktap_diag("connect %d: %s", i, strerror(errno));
            ok = false;
        }
    }
    /* A fourth, beyond the backlog: its SYN is dropped (and counted), so
     * the connect gives up at SO_RCVTIMEO. */
    static struct netstat_info before, after;
    ok = ok && netstat_get(&before) == 0;
    if (ok) {
        struct sockaddr_in a4 = loopback(port);
        int c4 = socket(AF_INET, SOCK_STREAM, 0);
        set_timeout(c4, 300);
        int r = connect(c4, SA(a4), sizeof a4);
        int e = errno;
        close(c4);
        if (!(r == -1 && e == ETIMEDOUT) || netstat_get(&after) != 0 ||
            after.tcp_backlog_full <= before.tcp_backlog_full) {
            ktap_diag("connect beyond the backlog: %s, backlog_full %u -> %u, expected "
                      "ETIMEDOUT and a count", ktap_errno(r, e), before.tcp_backlog_full,
                      after.tcp_backlog_full);
            ok = false;
        }
    }
    for (int i = 0; ok && i < 3; i++) {
        struct sockaddr_in peer = { 0 }, mine = { 0 };     /* printed on failure */
        socklen_t pl = sizeof peer, ml = sizeof mine;
        s[i] = accept(l, SA(peer), &pl);
        if (s[i] < 0 || getsockname(c[i], SA(mine), &ml) != 0 || peer.sin_port != mine.sin_port) {
            ktap_diag("accept %d: %s, peer port %u, connector %d's port %u", i,
                      ktap_errno(s[i], errno), ntohs(peer.sin_port), i, ntohs(mine.sin_port));
            ok = false;
        }
    }
    if (ok) {
        int flags = 0;
        (void)flags;
        struct pollfd p = {l, POLLIN, 0};
        int r = poll(&p, 1, 0);
        if (r != 0) {
            ktap_diag("poll on an empty listener: %d revents %#x", r, p.revents);
            ok = false;
        }
        /* MSG_DONTWAIT has no accept twin: a non-blocking listener. */
        int nl = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        struct sockaddr_in a = loopback(PORT_BASE + 12);
        if (bind(nl, SA(a), sizeof a) != 0 || listen(nl, 1) != 0) {
            ktap_diag("non-blocking listener: %s", strerror(errno));
            ok = false;
        } else {
            int e = accept(nl, NULL, NULL);
            if (e != -1 || errno != EAGAIN) {
                ktap_diag("non-blocking accept: %s, expected EAGAIN", ktap_errno(e, errno));
                ok = false;
            }
        }
        close(nl);
    }
    for (int i = 0; i < 3; i++) {
        if (c[i] >= 0)
            close(c[i]);
        if (s[i] >= 0)
            close(s[i]);
    }
    if (l >= 0)
        close(l);
    ktap_result(ok, "tcp_accept_backlog");
}

static bool has_nic;                /* netstat says so: slirp may answer for the world */

static void test_refused(void)
{
    int fd = tcp_connect_to(PORT_BASE + 20);
    bool ok = fd == -1 && errno == ECONNREFUSED;
    if (!ok)
        ktap_diag("connect to a closed port: %s, expected ECONNREFUSED", ktap_errno(fd, errno));
    if (fd >= 0)
        close(fd);
    struct sockaddr_in nowhere = loopback(80);
    nowhere.sin_addr.s_addr = htonl(0xc0000201);       /* 192.0.2.1 */
    fd = socket(AF_INET, SOCK_STREAM, 0);
    set_timeout(fd, 300);
    unsigned long t0 = uptime();
    int r = connect(fd, SA(nowhere), sizeof nowhere);
    int e = errno;
    unsigned long took = uptime() - t0;
    /* Through slirp, the host may refuse at once instead. */
    bool timed_out = r == -1 && (e == ETIMEDOUT || (has_nic && (e == ECONNREFUSED ||
                                                                e == EHOSTUNREACH)));
    if (!timed_out || took > 500) {
        ktap_diag("connect to nobody: %s after %lu ticks, expected ETIMEDOUT",
                  ktap_errno(r, e), took);
        ok = false;
    }
    close(fd);
    ktap_result(ok, "connect_refused");
}

static void test_addr_in_use(void)
{
    struct sockaddr_in a = loopback(PORT_BASE + 21);
    int t1 = socket(AF_INET, SOCK_STREAM, 0), t2 = socket(AF_INET, SOCK_STREAM, 0);
    int u1 = socket(AF_INET, SOCK_DGRAM, 0), u2 = socket(AF_INET, SOCK_DGRAM, 0);
    bool ok = bind(t1, SA(a), sizeof a) == 0 && listen(t1, 1) == 0 &&
              bind(u1, SA(a), sizeof a) == 0;
    if (!ok)
        ktap_diag("first binds: %s", strerror(errno));
    int r = bind(t2, SA(a), sizeof a);
    if (ok && !(r == -1 && errno == EADDRINUSE)) {
        ktap_diag("second TCP bind: %s, expected EADDRINUSE", ktap_errno(r, errno));
        ok = false;
    }
    r = bind(u2, SA(a), sizeof a);
    if (ok && !(r == -1 && errno == EADDRINUSE)) {
        ktap_diag("second UDP bind: %s, expected EADDRINUSE", ktap_errno(r, errno));
        ok = false;
    }
    close(t1);
    close(t2);
    close(u1);
    close(u2);
    ktap_result(ok, "bind_addr_in_use");
}

static bool expect_poll(struct pollfd *p, int timeout, int want_r, short want, short not_want,
                        const char *what)
{
    p->revents = 0;
    int r = poll(p, 1, timeout);
    if (r != want_r || (p->revents & want) != want || (p->revents & not_want) != 0) {
        ktap_diag("poll %s: returned %s revents %#x", what, ktap_errno(r, errno), p->revents);
        return false;
    }
    return true;
}

static void test_poll(void)
{
    int fds[2];
    bool ok = pipe(fds) == 0;
    struct pollfd p = {fds[0], POLLIN, 0};
    ok = ok && expect_poll(&p, 0, 0, 0, POLLIN, "empty pipe");
    ok = ok && write(fds[1], "x", 1) == 1 && expect_poll(&p, 1000, 1, POLLIN, 0, "pipe with data");
    char ch;
    ok = ok && read(fds[0], &ch, 1) == 1;
    ok = ok && close(fds[1]) == 0 && expect_poll(&p, 1000, 1, POLLHUP, 0, "pipe without writer");
    close(fds[0]);
    /* a closed fd */
    struct pollfd bad = {fds[0], POLLIN, 0};
    ok = ok && expect_poll(&bad, 0, 1, POLLNVAL, 0, "closed fd");
    /* the console: writable; nothing typed, so not readable */
    struct pollfd con = {1, POLLIN | POLLOUT, 0};
    ok = ok && expect_poll(&con, 0, 1, POLLOUT, POLLIN, "console");

    int c = -1, s = -1;
    ok = ok && tcp_pair(PORT_BASE + 30, &c, &s);
    struct pollfd pc = {c, POLLIN | POLLOUT, 0};
    ok = ok && expect_poll(&pc, 0, 1, POLLOUT, POLLIN, "fresh TCP socket");
    struct pollfd ps = {s, POLLIN, 0};
    unsigned long t0 = uptime();
    ok = ok && expect_poll(&ps, 150, 0, 0, POLLIN, "idle TCP socket (timeout)");
    if (ok && uptime() == t0) {
        ktap_diag("a 150 ms poll timeout took no timer tick");
        ok = false;
    }
    ok = ok && send(c, "abc", 3, 0) == 3 && expect_poll(&ps, 1000, 1, POLLIN, 0, "data sent");
    if (c >= 0)
        close(c);
    if (s >= 0)
        close(s);

    int l = tcp_listener(PORT_BASE + 31, 1);
    struct pollfd pl = {l, POLLIN, 0};
    ok = ok && l >= 0 && expect_poll(&pl, 0, 0, 0, POLLIN, "listener, nobody connecting");
    int k = ok ? tcp_connect_to(PORT_BASE + 31) : -1;
    ok = ok && k >= 0 && expect_poll(&pl, 1000, 1, POLLIN, 0, "listener with a connection");
    if (k >= 0)
        close(k);
    if (l >= 0)
        close(l);
    ktap_result(ok, "poll_readiness");
}

static void test_shutdown(void)
{
    int c = -1, s = -1;
    bool ok = tcp_pair(PORT_BASE + 40, &c, &s);
    char buf[8];
    ok = ok && send(c, "req", 3, 0) == 3 && shutdown(c, SHUT_WR) == 0;
    ssize_t n = ok ? recv(s, buf, sizeof buf, 0) : -1;
    ok = ok && n == 3;
    n = ok ? recv(s, buf, sizeof buf, 0) : -1;
    if (ok && n != 0) {
        ktap_diag("recv after the peer's FIN: %s, expected 0", ktap_errno(n, errno));
        ok = false;
    }
    ok = ok && send(s, "reply", 5, 0) == 5;
    n = ok ? recv(c, buf, sizeof buf, 0) : -1;
    if (ok && (n != 5 || memcmp(buf, "reply", 5) != 0)) {
        ktap_diag("half-closed client's recv: %s", ktap_errno(n, errno));
        ok = false;
    }
    n = ok ? send(c, "more", 4, MSG_NOSIGNAL) : 0;
    if (ok && !(n == -1 && errno == EPIPE)) {
        ktap_diag("send after SHUT_WR: %s, expected EPIPE", ktap_errno(n, errno));
        ok = false;
    }
    if (c >= 0)
        close(c);
    if (s >= 0)
        close(s);
    ktap_result(ok, "shutdown_fin_gives_eof");
}

static void test_reset(void)
{
    int c = -1, s = -1;
    bool ok = tcp_pair(PORT_BASE + 50, &c, &s);
    ok = ok && send(c, "unread", 6, 0) == 6;
    /* Wait until the bytes are in the server's buffer, then close it
     * unread: RST. */
    struct pollfd ps = {s, POLLIN, 0};
    ok = ok && expect_poll(&ps, 1000, 1, POLLIN, 0, "server with data");
    if (s >= 0)
        close(s);
    char buf[8];
    ssize_t n = ok ? recv(c, buf, sizeof buf, 0) : 0;
    if (ok && !(n == -1 && errno == ECONNRESET)) {
        ktap_diag("recv after the peer's RST: %s, expected ECONNRESET", ktap_errno(n, errno));
        ok = false;
    }
    if (c >= 0)
        close(c);
    ktap_result(ok, "reset_gives_econnreset");
}

static void test_rcvtimeo(void)
{
    struct sockaddr_in a = loopback(PORT_BASE + 60);
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    bool ok = bind(fd, SA(a), sizeof a) == 0;
    set_timeout(fd, 200);
    char buf[4];
    unsigned long t0 = uptime();
    ssize_t n = ok ? recv(fd, buf, sizeof buf, 0) : 0;
    unsigned long took = uptime() - t0;
    if (ok && !(n == -1 && errno == EAGAIN)) {
        ktap_diag("recv on an idle socket with SO_RCVTIMEO: %s, expected EAGAIN",
                  ktap_errno(n, errno));
        ok = false;
    }
    if (ok && took == 0) {
        ktap_diag("gave up after %lu ticks: did not wait at all", took);
        ok = false;
    }
    struct timeval tv;
    socklen_t len = sizeof tv;
    if (ok && (getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, &len) != 0 || tv.tv_sec != 0 ||
               tv.tv_usec != 200000)) {
        ktap_diag("getsockopt SO_RCVTIMEO: %ld s %ld us", tv.tv_sec, tv.tv_usec);
        ok = false;
    }
    close(fd);
    ktap_result(ok, "rcvtimeo_gives_eagain");
}

static uint16_t checksum(const uint8_t *p, size_t n)
{
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        sum += (uint32_t)p[n - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static void test_ping(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
    bool ok = fd >= 0;
    if (!ok)
        ktap_diag("ping socket: %s", strerror(errno));
    set_timeout(fd, TIMEOUT_MS);
    uint8_t req[8 + 16] = {8, 0, 0, 0, 0, 0, 0, 7};     /* echo request, seq 7 */
    memcpy(req + 8, "tidepool-ping-16", 16);
    uint16_t cs = checksum(req, sizeof req);
    req[2] = (uint8_t)(cs >> 8);
    req[3] = (uint8_t)cs;
    struct sockaddr_in to = loopback(0);
    ok = ok && sendto(fd, req, sizeof req, 0, SA(to), sizeof to) == (ssize_t)sizeof req;
    uint8_t rep[64];
    struct sockaddr_in from;
    socklen_t flen = sizeof from;
    ssize_t n = ok ? recvfrom(fd, rep, sizeof rep, 0, SA(from), &flen) : -1;
    if (ok && (n != (ssize_t)sizeof req || rep[0] != 0 || rep[7] != 7 ||
               memcmp(rep + 8, req + 8, 16) != 0 || checksum(rep, (size_t)n) != 0 ||
               from.sin_addr.s_addr != htonl(INADDR_LOOPBACK))) {
        ktap_diag("reply: %s, type %u seq %u from %s", ktap_errno(n, errno), rep[0], rep[7],
                  inet_ntoa(from.sin_addr));
        ok = false;
    }
    uint8_t notecho[8] = {13, 0};       /* a timestamp request: not for a ping socket */
    n = ok ? sendto(fd, notecho, sizeof notecho, 0, SA(to), sizeof to) : -1;
    if (ok && !(n == -1 && errno == EINVAL)) {
        ktap_diag("sending ICMP type 13: %s, expected EINVAL", ktap_errno(n, errno));
        ok = false;
    }
    close(fd);
    ktap_result(ok, "ping_socket_echo");
}

static int so_error(int fd)
{
    int e = -1;
    socklen_t len = sizeof e;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) != 0)
        return -1;
    return e;
}

static void test_nonblocking_connect(void)
{
    uint16_t port = PORT_BASE + 90;
    int l = tcp_listener(port, 1);
    struct sockaddr_in a = loopback(port), closed = loopback(PORT_BASE + 91);
    int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int r = connect(c, SA(a), sizeof a);
    bool ok = l >= 0 && (r == 0 || (r == -1 && errno == EINPROGRESS));
    if (!ok)
        ktap_diag("non-blocking connect: %s, expected EINPROGRESS", ktap_errno(r, errno));
    struct pollfd p = {c, POLLOUT, 0};
    ok = ok && expect_poll(&p, 1000, 1, POLLOUT, POLLERR, "connecting socket");
    if (ok && so_error(c) != 0) {
        ktap_diag("SO_ERROR after a good connect: %d", so_error(c));
        ok = false;
    }
    close(c);
    c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    r = connect(c, SA(closed), sizeof closed);
    ok = ok && (r == -1 && (errno == EINPROGRESS || errno == ECONNREFUSED));
    p.fd = c;
    ok = ok && expect_poll(&p, 1000, 1, POLLERR, 0, "refused connect");
    int e = ok ? so_error(c) : 0;
    if (ok && e != ECONNREFUSED) {
        ktap_diag("SO_ERROR after a refused connect: %d, expected ECONNREFUSED", e);
        ok = false;
    }
    close(c);
    if (l >= 0)
        close(l);
    /* UDP readiness */
    struct sockaddr_in u = loopback(PORT_BASE + 92);
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    ok = ok && bind(fd, SA(u), sizeof u) == 0;
    struct pollfd pu = {fd, POLLIN | POLLOUT, 0};
    ok = ok && expect_poll(&pu, 0, 1, POLLOUT, POLLIN, "empty UDP socket");
    ok = ok && sendto(fd, "me", 2, 0, SA(u), sizeof u) == 2;
    ok = ok && expect_poll(&pu, 1000, 1, POLLIN, 0, "UDP socket with a datagram");
    close(fd);
    ktap_result(ok, "nonblocking_connect");
}

/* One expectation of bad_arguments. */
static bool expect_err(long r, int err, int want, const char *what)
{
    if (r == -1 && err == want)
        return true;
    ktap_diag("%s: %s, expected %s", what, ktap_errno(r, err), strerrorname_np(want));
    return false;
}

static void test_bad_arguments(void)
{
    struct sockaddr_in a = loopback(PORT_BASE + 70);
    /* SAFETY: integer -> pointer: an address in the kernel's half, never
     * the caller's memory; it is only handed to system calls, which must
     * refuse it (EFAULT), never dereferenced here. */
    void *kernel = (void *)0xC0100000;
    bool ok = true;
    long r;
    r = socket(1 /* AF_UNIX */, SOCK_STREAM, 0);
    ok &= expect_err(r, errno, EAFNOSUPPORT, "socket(AF_UNIX)");
    r = socket(AF_INET, SOCK_STREAM, IPPROTO_UDP);
    ok &= expect_err(r, errno, EPROTONOSUPPORT, "socket(STREAM, UDP)");
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    r = bind(fd, NULL, sizeof a);
    ok &= expect_err(r, errno, EFAULT, "bind(NULL)");
    r = bind(fd, kernel, sizeof a);
    ok &= expect_err(r, errno, EFAULT, "bind(kernel address)");
    r = bind(fd, SA(a), 3);
    ok &= expect_err(r, errno, EINVAL, "bind(length 3)");
    r = bind(99, SA(a), sizeof a);
    ok &= expect_err(r, errno, EBADF, "bind(fd 99)");
    r = bind(1, SA(a), sizeof a);
    ok &= expect_err(r, errno, ENOTSOCK, "bind(the console)");
    r = sendto(fd, kernel, 8, 0, SA(a), sizeof a);
    ok &= expect_err(r, errno, EFAULT, "sendto(kernel buffer)");
    r = send(fd, "x", 1, 0);
    ok &= expect_err(r, errno, EDESTADDRREQ, "send on an unconnected UDP socket");
    r = listen(fd, 1);
    ok &= expect_err(r, errno, EOPNOTSUPP, "listen(UDP)");
    close(fd);
    int t = socket(AF_INET, SOCK_STREAM, 0);
    r = send(t, "x", 1, MSG_NOSIGNAL);
    ok &= expect_err(r, errno, ENOTCONN, "send on an unconnected TCP socket");
    r = accept(t, NULL, NULL);
    ok &= expect_err(r, errno, EINVAL, "accept on a socket that does not listen");
    r = shutdown(t, 7);
    ok &= expect_err(r, errno, EINVAL, "shutdown(how 7)");
    r = poll(NULL, 1, 0);
    ok &= expect_err(r, errno, EFAULT, "poll(NULL, 1)");
    r = setsockopt(t, SOL_SOCKET, SO_RCVTIMEO, kernel, 8);
    ok &= expect_err(r, errno, EFAULT, "setsockopt(kernel value)");
    r = setsockopt(t, SOL_SOCKET, 12345, &r, sizeof r);
    ok &= expect_err(r, errno, ENOPROTOOPT, "setsockopt(unknown option)");
    close(t);
    ktap_result(ok, "bad_arguments");
}

static void test_netstat(void)
{
    static struct netstat_info ni;
    uint16_t port = PORT_BASE + 80;
    int l = tcp_listener(port, 1);
    bool ok = l >= 0 && netstat_get(&ni) == 0;
    if (!ok)
        ktap_diag("netstat_get: %s", strerror(errno));
    if (ok && (ni.version != NETSTAT_VERSION || ni.ndrops == 0 || ni.drop_names[0][0] == '\0')) {
        ktap_diag("version %u, %u drop reasons, first named \"%s\"", ni.version, ni.ndrops,
                  ni.drop_names[0]);
        ok = false;
    }
    /* With a NIC, its statistics: DHCP's replies came in. */
    bool rx_seen = false;
    for (uint32_t i = 0; ok && i < ni.nnic && i < NETSTAT_NIC_MAX; i++)
        if (ni.nic[i].name[0] != '\0' && ni.nic[i].value > 0 && strstr(ni.nic[i].name, "rx"))
            rx_seen = true;
    if (ok && has_nic && !rx_seen) {
        ktap_diag("a NIC, but no receive counter above 0 among %u NIC counters", ni.nnic);
        ok = false;
    }
    bool found = false;
    for (uint32_t i = 0; ok && i < ni.nsockets; i++)
        if (ni.sockets[i].proto == NETSTAT_PROTO_TCP && ni.sockets[i].local_port == port &&
            strcmp(ni.sockets[i].state, "LISTEN") == 0)
            found = true;
    if (ok && !found) {
        ktap_diag("no TCP socket in LISTEN on port %u among %u sockets", port, ni.nsockets);
        ok = false;
    }
    if (l >= 0)
        close(l);
    ktap_result(ok, "netstat_lists_sockets");
}

/* With a NIC, loopback needs the address DHCP brings: wait for the
 * event (netstat's configured flag), checked every 100 ms, with a limit. */
static void wait_for_address(void)
{
    static struct netstat_info ni;
    for (int i = 0; i < CONFIG_WAIT_S * 10; i++) {
        if (netstat_get(&ni) != 0)
            return;
        has_nic = ni.has_nic;
        if (ni.configured)
            return;
        if (i == 0)
            ktap_diag("waiting for the interface's address (DHCP)");
        usleep(100000);
    }
    ktap_diag("no address after %d s: the cases below will fail", CONFIG_WAIT_S);
}

int main(void)
{
    ktap_plan(15);
    wait_for_address();
    test_udp_echo();
    test_udp_connected();
    test_tcp_echo();
    test_threads();
    test_accept_backlog();
    test_refused();
    test_addr_in_use();
    test_poll();
    test_shutdown();
    test_reset();
    test_rcvtimeo();
    test_ping();
    test_nonblocking_connect();
    test_bad_arguments();
    test_netstat();
    return ktap_finish();
}
#endif /* LAB >= 6 */
