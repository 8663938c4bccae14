/*
 * httpd.c -- a small HTTP/1.0 and 1.1 server for the files under a
 * directory.
 *
 *     httpd [-p PORT] [-d DIR]        (defaults: 80, /www)
 *
 * One request per connection, always answered with "Connection: close"
 * and a Content-Length (RFC 9112 9.6, 6.3), then the connection is
 * closed. What it answers:
 *
 *   GET, HEAD /path     200 with the file DIR/path ("/" and any path
 *                       ending in "/" or naming a directory: its
 *                       index.html); 404 if there is none or the path
 *                       climbs out of DIR ("..")
 *   PUT, POST /upload   reads the Content-Length bytes of the body and
 *                       throws them away; 200 with the body
 *                       "bytes=N crc=xxxxxxxx" (N decimal, the POSIX
 *                       cksum CRC in 8 lower-case hex digits, the number
 *                       `cksum` prints in decimal): the upload benchmark
 *                       checks it. "Expect: 100-continue" gets its
 *                       "100 Continue" first (curl waits a second for it
 *                       otherwise). No Content-Length: 411.
 *   other methods       405, with the Allow header (RFC 9110 15.5.6)
 *   garbage             400: a request line or head that cannot parse,
 *                       is too long (http_request.h's limits), or a
 *                       connection that goes quiet for IDLE_SECS first
 *
 * Every connection is served by a child process (fork), at most
 * MAX_CHILDREN at once: with that many running, the server waits for
 * one to end before it accepts the next, and new connections wait in
 * the listen backlog. So a slow client delays nobody else. Ended
 * children are reaped within REAP_MS (poll on the listening socket).
 *
 * One line per request on standard output (the console when init
 * starts it): peer, request line, status, body bytes sent.
 *
 * Closing: after the answer the child shuts down its sending side and
 * reads what the client still sends until it closes too (at most
 * LINGER_SECS, DRAIN_MAX bytes), then closes. Closing a socket with
 * unread data may make TCP send a RST (RFC 1122 4.2.2.13; Linux does),
 * and a RST can reach the client before it has read the answer: a 400
 * for a too-long request line would then be lost.
 */
#if LAB >= 6
#include <arpa/inet.h>
#include <cksum.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <tidepool.h>
#include <unistd.h>

#include "httpd/http_request.h"

#define DEFAULT_PORT  80
#define DEFAULT_ROOT  "/www"
#define MAX_CHILDREN  8
#define BACKLOG       SOMAXCONN
#define IDLE_SECS     10        /* a client silent this long is dropped */
#define LINGER_SECS   2
#define DRAIN_MAX     (256 * 1024)
#define CHUNK         (16 * 1024)
#define REAP_MS       1000
#define PATH_MAX_LEN  (HTTP_PATH_MAX + 128)

struct conn {
    int fd;
    struct sockaddr_in peer;
    char head[HTTP_HEAD_MAX];
    size_t have;                /* bytes in head[] */
    int head_len;               /* http_head_length() of them */
    struct http_request req;
    long sent;                  /* body bytes sent, for the log */
};

static const char *root = DEFAULT_ROOT;
static char chunk[CHUNK];

static const char *reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 411: return "Length Required";
    default:  return "Internal Server Error";
    }
}

static bool send_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;

    while (n > 0) {
        ssize_t w = send(fd, p, n, 0);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

static void set_recv_timeout(int fd, long secs)
{
    struct timeval tv = { .tv_sec = secs, .tv_usec = 0 };

    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

static void log_request(const struct conn *c, int status)
{
    char line[160];
    const char *path = c->head_len > 0 ? c->req.path : "-";
    const char *method = c->head_len > 0 ? c->req.method_name : "-";

    /* One write per line: children share the console. */
    int n = snprintf(line, sizeof line, "httpd: %s:%u \"%s %.60s\" %d %ld\n",
                     inet_ntoa(c->peer.sin_addr), ntohs(c->peer.sin_port), method, path,
                     status, c->sent);
    write(STDOUT_FILENO, line, (size_t)(n < (int)sizeof line ? n : (int)sizeof line - 1));
}

/* The status line and headers; the body (if any) follows. */
static bool send_head(struct conn *c, int status, const char *type, long length)
{
    char h[320];
    int n = snprintf(h, sizeof h,
                     "HTTP/1.1 %d %s\r\nServer: tidepool-httpd\r\nContent-Type: %s\r\n"
                     "Content-Length: %ld\r\n%sConnection: close\r\n\r\n",
                     status, reason(status), type, length,
                     status == 405 ? "Allow: GET, HEAD, PUT, POST\r\n" : "");
    return send_all(c->fd, h, (size_t)n);
}

/* A whole small answer: head and a text body (not for HEAD). */
static int answer_text(struct conn *c, int status, const char *body)
{
    long len = (long)strlen(body);

    if (send_head(c, status, "text/plain", len) &&
        !(c->head_len > 0 && c->req.method == HTTP_HEAD) && send_all(c->fd, body, (size_t)len))
        c->sent = len;
    return status;
}

static int answer_error(struct conn *c, int status)
{
    char body[64];

    snprintf(body, sizeof body, "%d %s\n", status, reason(status));
    return answer_text(c, status, body);
}

/* Reads until the head is complete: its length, -1 if it is bad (or
 * the client stopped sending in the middle), 0 if the client sent
 * nothing at all. */
static int read_head(struct conn *c)
{
    for (;;) {
        int len = http_head_length(c->head, c->have);
        if (len != 0)
            return len;
        ssize_t n = recv(c->fd, c->head + c->have, sizeof c->head - c->have, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return c->have == 0 ? 0 : -1;
        c->have += (size_t)n;
    }
}

static const char *content_type(const char *path)
{
    const char *dot = strrchr(path, '.');

    if (dot && (strcmp(dot, ".html") == 0 || strcmp(dot, ".htm") == 0))
        return "text/html";
    if (dot && strcmp(dot, ".txt") == 0)
        return "text/plain";
    return "application/octet-stream";
}

/* Opens DIR/path (or its index.html); -1 if there is no such file. */
static int open_file(const char *path, char *full, size_t size)
{
    struct stat st;

    snprintf(full, size, "%s%s%s", root, path, path[strlen(path) - 1] == '/' ? "index.html" : "");
    if (stat(full, &st) == 0 && S_ISDIR(st.st_mode))
        snprintf(full, size, "%s%s/index.html", root, path);
    if (stat(full, &st) != 0 || !S_ISREG(st.st_mode))
        return -1;
    return open(full, O_RDONLY);
}

static int serve_file(struct conn *c)
{
    char full[PATH_MAX_LEN];
    struct stat st;

    if (!http_path_is_safe(c->req.path))
        return answer_error(c, 404);
    int fd = open_file(c->req.path, full, sizeof full);
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0)
            close(fd);
        return answer_error(c, 404);
    }
    if (send_head(c, 200, content_type(full), (long)st.st_size) && c->req.method == HTTP_GET) {
        ssize_t n;
        while ((n = read(fd, chunk, sizeof chunk)) > 0 && send_all(c->fd, chunk, (size_t)n))
            c->sent += n;
    }
    close(fd);
    return 200;
}

/* PUT/POST /upload: counts and checksums the body, keeps none of it. */
static int serve_upload(struct conn *c)
{
    struct cksum sum;
    long want = c->req.content_length;

    if (want < 0)
        return answer_error(c, 411);
    if (c->req.expect_continue && !send_all(c->fd, "HTTP/1.1 100 Continue\r\n\r\n", 25))
        return 400;
    cksum_init(&sum);
    /* Body bytes that came in with the head. */
    long early = (long)c->have - c->head_len;
    early = early < want ? early : want;
    cksum_update(&sum, c->head + c->head_len, (size_t)early);
    for (long got = early; got < want; ) {
        size_t ask = (size_t)(want - got) < sizeof chunk ? (size_t)(want - got) : sizeof chunk;
        ssize_t n = recv(c->fd, chunk, ask, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return answer_error(c, 400);   /* the body ended early or went quiet */
        cksum_update(&sum, chunk, (size_t)n);
        got += n;
    }
    char body[64];
    snprintf(body, sizeof body, "bytes=%ld crc=%08x\n", want, (unsigned)cksum_final(&sum));
    return answer_text(c, 200, body);
}

static int dispatch(struct conn *c)
{
    switch (c->req.method) {
    case HTTP_GET:
    case HTTP_HEAD:
        return serve_file(c);
    case HTTP_PUT:
    case HTTP_POST:
        return strcmp(c->req.path, "/upload") == 0 ? serve_upload(c) : answer_error(c, 405);
    default:
        return answer_error(c, 405);
    }
}

/* Shuts our side, reads what the client still sends, closes (see the
 * top comment for why). */
static void linger_close(int fd)
{
    long drained = 0;
    ssize_t n;

    shutdown(fd, SHUT_WR);
    set_recv_timeout(fd, LINGER_SECS);
    while (drained < DRAIN_MAX && (n = recv(fd, chunk, sizeof chunk, 0)) > 0)
        drained += n;
    close(fd);
}

static void serve(struct conn *c)
{
    int status;

    set_recv_timeout(c->fd, IDLE_SECS);
    c->head_len = read_head(c);
    if (c->head_len == 0) {             /* connected and said nothing */
        close(c->fd);
        return;
    }
    if (c->head_len < 0 || http_parse_request(c->head, (size_t)c->head_len, &c->req) != 0) {
        c->head_len = -1;
        status = answer_error(c, 400);
    } else {
        status = dispatch(c);
    }
    log_request(c, status);
    linger_close(c->fd);
}

static int listen_on(unsigned port)
{
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                                .sin_addr = { htonl(INADDR_ANY) } };
    int one = 1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    if (fd < 0) {
        fprintf(stderr, "httpd: socket: %s\n", strerror(errno));
        return -1;
    }
    /* A restarted httpd must not wait for old connections' TIME_WAIT. */
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, BACKLOG) < 0) {
        fprintf(stderr, "httpd: tcp port %u: %s\n", port, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/* Reaps ended children; with `block`, waits for at least one. */
static int reap(int children, bool block)
{
    int status;

    while (children > 0 && waitpid(-1, &status, block ? 0 : WNOHANG) > 0) {
        children--;
        block = false;
    }
    return children;
}

__attribute__((noreturn)) static void accept_loop(int lfd)
{
    int children = 0;

    for (;;) {
        children = reap(children, false);
        while (children >= MAX_CHILDREN)
            children = reap(children, true);
        /* With children running, wait for a client at most REAP_MS, so
         * that ended children are reaped within that time and do not
         * linger as zombies until the next client comes. */
        struct pollfd p = { .fd = lfd, .events = POLLIN };
        if (children > 0 && poll(&p, 1, REAP_MS) == 0)
            continue;
        static struct conn c;
        socklen_t len = sizeof c.peer;
        memset(&c, 0, sizeof c);
        c.fd = accept(lfd, (struct sockaddr *)&c.peer, &len);
        if (c.fd < 0) {
            if (errno != EINTR && errno != ECONNABORTED)
                msleep(100);            /* out of something: do not spin */
            continue;
        }
        pid_t pid = fork();
        if (pid == 0) {
            close(lfd);
            serve(&c);
            exit(0);
        }
        if (pid < 0)
            serve(&c);                  /* no process to spare: serve it here */
        else
            children++;
        if (pid > 0)
            close(c.fd);
    }
}

int main(int argc, char **argv)
{
    unsigned port = DEFAULT_PORT;
    int opt;

    while ((opt = getopt(argc, argv, "p:d:")) != -1) {
        if (opt == 'p' && (port = (unsigned)atoi(optarg)) > 0 && port < 65536)
            continue;
        if (opt == 'd') {
            root = optarg;
            continue;
        }
        fprintf(stderr, "usage: httpd [-p PORT] [-d DIR]\n");
        return 2;
    }
    /* A client that goes away mid-answer must cost an EPIPE, not the
     * child: it still logs its line. */
    signal(SIGPIPE, SIG_IGN);
    int lfd = listen_on(port);
    if (lfd < 0)
        return 1;
    printf("httpd: serving %s on tcp port %u\n", root, port);
    fflush(stdout);
    accept_loop(lfd);
}

#endif /* LAB >= 6 */
