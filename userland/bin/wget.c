/*
 * wget.c -- fetch one file over HTTP and save it.
 *
 *     wget [-O FILE] [-T SECS] http://A.B.C.D[:PORT]/PATH
 *
 * Sends one "GET /PATH HTTP/1.0" (RFC 1945; 1.0 so that the answer is
 * never chunked) with Host and "Connection: close", reads the status
 * line and headers, and on a 200 saves the body to FILE: by default the
 * last component of PATH ("index.html" if that is empty); "-O -" writes
 * it to standard output. The body ends at Content-Length bytes if the
 * server sent one (fewer is an error: the transfer was cut), else when
 * the server closes. Then one line: "saved N bytes to FILE".
 *
 * Numeric addresses only (there is no DNS). SECS (default 20) bounds
 * every wait for the server (SO_RCVTIMEO, which covers connect too).
 *
 * Errors, one line on stderr each, and the exit status (GNU wget's):
 *   2  usage, a URL that is not http://A.B.C.D[:PORT]/...
 *   3  the file cannot be written
 *   4  network: connection refused, reset, timed out, cut short
 *   8  the server answered, but not 200 ("server said 404 Not Found");
 *      nothing is saved then
 */
#if LAB >= 6
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define EXIT_USAGE   2
#define EXIT_FILE    3
#define EXIT_NETWORK 4
#define EXIT_SERVER  8
#define HEAD_MAX     8192
#define CHUNK        (16 * 1024)

struct url {
    struct sockaddr_in addr;
    char host[32];              /* "a.b.c.d:port", for the Host header */
    const char *path;           /* from the first '/' on */
};

static char head[HEAD_MAX + 1];
static char chunk[CHUNK];
static unsigned timeout_secs = 20;

static __attribute__((noreturn)) void die(int status, const char *what)
{
    fprintf(stderr, "wget: %s\n", what);
    exit(status);
}

static __attribute__((noreturn)) void die_errno(int status, const char *what)
{
    int e = errno;

    if (e == EAGAIN)
        fprintf(stderr, "wget: %s: timed out after %u s\n", what, timeout_secs);
    else
        fprintf(stderr, "wget: %s: %s\n", what, strerror(e));
    exit(status);
}

/* "http://A.B.C.D[:PORT]/PATH" (RFC 9110 4.2.1, the numeric subset). */
static bool parse_url(const char *s, struct url *u)
{
    char addr[16];
    unsigned port = 80;

    if (strncmp(s, "http://", 7) != 0)
        return false;
    s += 7;
    size_t n = strcspn(s, ":/");
    if (n == 0 || n >= sizeof addr)
        return false;
    memcpy(addr, s, n);
    addr[n] = '\0';
    s += n;
    if (*s == ':') {
        char *end;
        port = (unsigned)strtoul(s + 1, &end, 10);
        if (end == s + 1 || port == 0 || port > 65535 || (*end != '/' && *end != '\0'))
            return false;
        s = end;
    }
    u->path = *s ? s : "/";
    u->addr.sin_family = AF_INET;
    u->addr.sin_port = htons((uint16_t)port);
    snprintf(u->host, sizeof u->host, "%s:%u", addr, port);
    return inet_aton(addr, &u->addr.sin_addr) != 0;
}

/* The last component of the path, without a query. */
static const char *default_name(const char *path)
{
    static char name[128];
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t n = strcspn(base, "?#");

    if (n == 0 || n >= sizeof name)
        return "index.html";
    memcpy(name, base, n);
    name[n] = '\0';
    return name;
}

static int connect_to(const struct url *u)
{
    struct timeval tv = { .tv_sec = (long)timeout_secs, .tv_usec = 0 };
    char what[64];
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    if (fd < 0)
        die_errno(EXIT_NETWORK, "socket");
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&u->addr, sizeof u->addr) < 0) {
        snprintf(what, sizeof what, "connect to %s", u->host);
        die_errno(EXIT_NETWORK, what);
    }
    return fd;
}

static void send_request(int fd, const struct url *u)
{
    char req[512];
    int n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: tidepool-wget\r\n"
                     "Connection: close\r\n\r\n", u->path, u->host);

    if (n >= (int)sizeof req)
        die(EXIT_USAGE, "URL too long");
    for (int sent = 0; sent < n; ) {
        ssize_t w = send(fd, req + sent, (size_t)(n - sent), 0);
        if (w <= 0)
            die_errno(EXIT_NETWORK, "send");
        sent += (int)w;
    }
}

/* The length of the head in buf[0..n) through its empty line ("\r\n\r\n"
 * or "\n\n"), or 0 if it is not all there. Body bytes (NULs included)
 * may follow it in the same read. */
static size_t head_end(const char *buf, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if (buf[i] != '\n')
            continue;
        if (buf[i + 1] == '\n')
            return i + 2;
        if (buf[i + 1] == '\r' && i + 2 < n && buf[i + 2] == '\n')
            return i + 3;
    }
    return 0;
}

/* Reads the response head into head[]; returns its length (through the
 * empty line) and sets *have to all the bytes read. */
static size_t read_head(int fd, size_t *have)
{
    size_t n = 0, len;

    while ((len = head_end(head, n)) == 0) {
        if (n == HEAD_MAX)
            die(EXIT_NETWORK, "response head too long");
        ssize_t r = recv(fd, head + n, HEAD_MAX - n, 0);
        if (r < 0)
            die_errno(EXIT_NETWORK, "reading the response");
        if (r == 0)
            die(EXIT_NETWORK, n ? "connection closed inside the response head"
                                : "connection closed without a response");
        n += (size_t)r;
    }
    if (memchr(head, '\0', len))
        die(EXIT_NETWORK, "not an HTTP response");
    head[len - 1] = '\0';      /* the head's last LF: it is a string now */
    *have = n;
    return len;
}

/* The status code of "HTTP/1.x NNN reason"; exits unless it is 200. */
static void check_status(void)
{
    const char *c = head + 9;

    if (strncmp(head, "HTTP/1.", 7) != 0 || head[8] != ' ' ||
        !(c[0] >= '1' && c[0] <= '5' && c[1] >= '0' && c[1] <= '9' && c[2] >= '0' && c[2] <= '9'))
        die(EXIT_NETWORK, "not an HTTP response");
    if (strncmp(c, "200", 3) != 0) {
        size_t n = strcspn(head + 9, "\r\n");
        fprintf(stderr, "wget: server said %.*s\n", (int)(n > 80 ? 80 : n), head + 9);
        exit(EXIT_SERVER);
    }
}

/* Content-Length's value, or -1 if there is none. */
static long content_length(size_t head_len)
{
    for (char *line = strchr(head, '\n'); line && (size_t)(line - head) < head_len;
         line = strchr(line + 1, '\n')) {
        if (strncasecmp(line + 1, "Content-Length:", 15) == 0)
            return strtol(line + 16, NULL, 10);
    }
    return -1;
}

static void write_all(int fd, const char *buf, size_t n, const char *name)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w <= 0)
            die_errno(EXIT_FILE, name);
        buf += w;
        n -= (size_t)w;
    }
}

/* Copies the body (the `early` bytes after the head, then the rest of
 * the connection) to out; returns its length. */
static long save_body(int fd, int out, const char *name, const char *early, size_t n, long want)
{
    long got = 0;

    if (want >= 0 && (long)n > want)
        n = (size_t)want;
    write_all(out, early, n, name);
    got = (long)n;
    while (want < 0 || got < want) {
        ssize_t r = recv(fd, chunk, sizeof chunk, 0);
        if (r < 0) {
            fprintf(stderr, "wget: after %ld bytes: ", got);
            die_errno(EXIT_NETWORK, "reading the body");
        }
        if (r == 0)
            break;
        if (want >= 0 && got + r > want)
            r = want - got;
        write_all(out, chunk, (size_t)r, name);
        got += r;
    }
    if (want >= 0 && got < want) {
        fprintf(stderr, "wget: connection closed after %ld of %ld bytes\n", got, want);
        exit(EXIT_NETWORK);
    }
    return got;
}

int main(int argc, char **argv)
{
    const char *name = NULL;
    struct url u;
    int opt;

    while ((opt = getopt(argc, argv, "O:T:")) != -1) {
        if (opt == 'O')
            name = optarg;
        else if (opt == 'T' && (timeout_secs = (unsigned)atoi(optarg)) > 0)
            continue;
        else
            die(EXIT_USAGE, "usage: wget [-O FILE] [-T SECS] http://A.B.C.D[:PORT]/PATH");
    }
    if (optind != argc - 1 || !parse_url(argv[optind], &u))
        die(EXIT_USAGE, "usage: wget [-O FILE] [-T SECS] http://A.B.C.D[:PORT]/PATH");
    if (name == NULL)
        name = default_name(u.path);

    int fd = connect_to(&u);
    send_request(fd, &u);
    size_t have, head_len = read_head(fd, &have);
    check_status();
    bool to_stdout = strcmp(name, "-") == 0;
    int out = to_stdout ? STDOUT_FILENO : open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0)
        die_errno(EXIT_FILE, name);
    long got = save_body(fd, out, name, head + head_len, have - head_len, content_length(head_len));
    close(fd);
    if (!to_stdout && close(out) < 0)
        die_errno(EXIT_FILE, name);
    fprintf(to_stdout ? stderr : stdout, "saved %ld bytes to %s\n", got,
            to_stdout ? "standard output" : name);
    return 0;
}

#endif /* LAB >= 6 */
