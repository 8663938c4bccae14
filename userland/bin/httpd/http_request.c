/*
 * http_request.c -- httpd's request reader (see http_request.h).
 *
 * The head is checked as it arrives (http_head_length), so that garbage
 * or an endless request line gets its 400 at once instead of waiting for
 * an empty line that may never come; then parsed once complete.
 */
#if LAB >= 6
#include "http_request.h"

#include <string.h>

/* RFC 9110 5.6.2: a method is a token. httpd takes the common subset,
 * upper-case letters, so that binary garbage fails on its first byte. */
static bool is_method_char(char c)
{
    return c >= 'A' && c <= 'Z';
}

/* Control characters other than CR and LF (and tab inside header
 * values) never appear in a request head (RFC 9112 2.2, 5). */
static bool is_bad_control(char c)
{
    unsigned char u = (unsigned char)c;

    return (u < 0x20 && c != '\r' && c != '\n' && c != '\t') || u == 0x7f;
}

/* Checks the start of the request line received so far: false if no
 * continuation can make it valid. */
static bool request_line_prefix_ok(const char *buf, size_t n)
{
    size_t i = 0;

    while (i < n && is_method_char(buf[i]))
        i++;
    if (i > HTTP_METHOD_MAX)
        return false;
    if (i < n && (buf[i] != ' ' || i == 0))
        return false;       /* the method ends with anything but one SP */
    for (size_t j = i; j < n && buf[j] != '\n'; j++)
        if (is_bad_control(buf[j]) || buf[j] == '\t')
            return false;
    return true;
}

int http_head_length(const char *buf, size_t n)
{
    const char *nl = memchr(buf, '\n', n);
    size_t line_len = nl ? (size_t)(nl - buf) : n;

    if (!request_line_prefix_ok(buf, line_len) || line_len > HTTP_LINE_MAX)
        return -1;
    /* The head ends at an empty line: "\n\n" or "\n\r\n". */
    for (size_t i = line_len; i < n && i < HTTP_HEAD_MAX; i++) {
        if (buf[i] != '\n')
            continue;
        if (i + 1 < n && buf[i + 1] == '\n')
            return (int)(i + 2);
        if (i + 2 < n && buf[i + 1] == '\r' && buf[i + 2] == '\n')
            return (int)(i + 3);
    }
    return n >= HTTP_HEAD_MAX ? -1 : 0;
}

/* The next line of [*p, end) without its CR LF (or LF) into line/len;
 * advances *p past it. False at the end. */
static bool next_line(const char **p, const char *end, const char **line, size_t *len)
{
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));

    if (nl == NULL)
        return false;
    *line = *p;
    *len = (size_t)(nl - *p);
    if (*len > 0 && nl[-1] == '\r')
        (*len)--;
    *p = nl + 1;
    return true;
}

static enum http_method method_of(const char *name)
{
    static const struct { const char *name; enum http_method m; } known[] = {
        { "GET", HTTP_GET }, { "HEAD", HTTP_HEAD }, { "PUT", HTTP_PUT }, { "POST", HTTP_POST },
    };

    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(name, known[i].name) == 0)
            return known[i].m;
    return HTTP_OTHER;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The target (origin-form, RFC 9112 3.2.1: "/path?query") of length n
 * into req->path, %XX decoded (RFC 3986 2.1), the query dropped. */
static int parse_target(const char *t, size_t n, struct http_request *req)
{
    size_t out = 0;

    if (n == 0 || t[0] != '/')
        return 400;
    for (size_t i = 0; i < n && t[i] != '?' && t[i] != '#'; i++) {
        char c = t[i];
        if (c == '%') {
            int hi = i + 2 < n ? hex_value(t[i + 1]) : -1;
            int lo = i + 2 < n ? hex_value(t[i + 2]) : -1;
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return 400;     /* a bad escape, or a NUL in a file name */
            c = (char)(hi << 4 | lo);
            i += 2;
        }
        if (out + 1 >= sizeof req->path)
            return 400;
        req->path[out++] = c;
    }
    req->path[out] = '\0';
    return 0;
}

/* "METHOD SP TARGET SP HTTP/1.x" (RFC 9112 3). */
static int parse_request_line(const char *line, size_t len, struct http_request *req)
{
    const char *sp1 = memchr(line, ' ', len);
    if (sp1 == NULL || sp1 == line || (size_t)(sp1 - line) > HTTP_METHOD_MAX)
        return 400;
    const char *rest = sp1 + 1;
    const char *sp2 = memchr(rest, ' ', len - (size_t)(rest - line));
    if (sp2 == NULL)
        return 400;
    const char *version = sp2 + 1;
    size_t vlen = len - (size_t)(version - line);

    memcpy(req->method_name, line, (size_t)(sp1 - line));
    req->method_name[sp1 - line] = '\0';
    for (const char *c = req->method_name; *c; c++)
        if (!is_method_char(*c))
            return 400;
    req->method = method_of(req->method_name);
    if (vlen != 8 || memcmp(version, "HTTP/1.", 7) != 0 || (version[7] != '0' && version[7] != '1'))
        return 400;
    req->minor = version[7] - '0';
    return parse_target(rest, (size_t)(sp2 - rest), req);
}

/* Content-Length (RFC 9110 8.6): digits only; a value this server
 * cannot count (>= 1 GiB) is as bad as a malformed one. */
static int parse_content_length(const char *v, size_t n, struct http_request *req)
{
    long value = 0;

    if (n == 0 || n > 10)
        return 400;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9')
            return 400;
        value = value * 10 + (v[i] - '0');
    }
    if (value >= (1L << 30) || (req->content_length >= 0 && req->content_length != value))
        return 400;
    req->content_length = value;
    return 0;
}

static bool name_is(const char *name, size_t n, const char *want)
{
    return n == strlen(want) && strncasecmp(name, want, n) == 0;
}

/* "Name: value" (RFC 9112 5): no space before the colon, optional
 * whitespace around the value; no obsolete line folding. */
static int parse_header(const char *line, size_t len, struct http_request *req)
{
    const char *colon = memchr(line, ':', len);
    if (colon == NULL || colon == line)
        return 400;
    size_t name_len = (size_t)(colon - line);
    for (size_t i = 0; i < name_len; i++)
        if (line[i] == ' ' || line[i] == '\t' || is_bad_control(line[i]))
            return 400;
    const char *v = colon + 1, *end = line + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    for (const char *c = v; c < end; c++)
        if (is_bad_control(*c))
            return 400;
    if (name_is(line, name_len, "Content-Length"))
        return parse_content_length(v, (size_t)(end - v), req);
    if (name_is(line, name_len, "Expect"))
        req->expect_continue = (size_t)(end - v) == 12 && strncasecmp(v, "100-continue", 12) == 0;
    if (name_is(line, name_len, "Transfer-Encoding"))
        req->chunked = true;
    return 0;
}

int http_parse_request(const char *head, size_t n, struct http_request *req)
{
    const char *p = head, *end = head + n, *line;
    size_t len;
    int status;

    memset(req, 0, sizeof *req);
    req->content_length = -1;
    if (!next_line(&p, end, &line, &len) || len > HTTP_LINE_MAX)
        return 400;
    if ((status = parse_request_line(line, len, req)) != 0)
        return status;
    while (next_line(&p, end, &line, &len) && len > 0) {
        if (line[0] == ' ' || line[0] == '\t')
            return 400;     /* obs-fold: RFC 9112 5.2 lets a server reject it */
        if ((status = parse_header(line, len, req)) != 0)
            return status;
    }
    return 0;
}

bool http_path_is_safe(const char *path)
{
    for (const char *s = path; *s; ) {
        while (*s == '/')
            s++;
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == 2 && s[0] == '.' && s[1] == '.')
            return false;
        s += n;
    }
    return true;
}

#endif /* LAB >= 6 */
