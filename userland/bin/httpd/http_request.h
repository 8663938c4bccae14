/*
 * http_request.h -- httpd's request reader: pure parsing, no I/O, so the
 * host tests (userland/tests/host/test_http_request.c) drive it.
 *
 * RFC 9112 (HTTP/1.1 message syntax): a request is a request line
 * "METHOD SP TARGET SP HTTP/1.x CRLF", header lines "Name: value CRLF",
 * and an empty line; a body follows only if Content-Length says so
 * (section 6.3). A bare LF is accepted as a line end (section 2.2 allows
 * it). Everything else is a 400: httpd never guesses.
 */
#ifndef HTTPD_HTTP_REQUEST_H
#define HTTPD_HTTP_REQUEST_H

#if LAB >= 6
#include <stdbool.h>
#include <stddef.h>

#define HTTP_LINE_MAX   2048    /* a longer request line is a 400 */
#define HTTP_HEAD_MAX   8192    /* request line + headers + empty line */
#define HTTP_METHOD_MAX 16
#define HTTP_PATH_MAX   256     /* the decoded path; longer is a 400 */

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_PUT, HTTP_POST, HTTP_OTHER };

struct http_request {
    enum http_method method;
    char method_name[HTTP_METHOD_MAX + 1];
    char path[HTTP_PATH_MAX];   /* %XX decoded, without the "?query" */
    int minor;                  /* HTTP/1.minor: 0 or 1 */
    long content_length;        /* -1: no Content-Length header */
    bool expect_continue;       /* "Expect: 100-continue" */
    bool chunked;               /* a Transfer-Encoding header (not supported) */
};

/* How much of the n bytes received so far is the request head:
 *   > 0   its length, through the empty line
 *   0     not complete yet, and nothing wrong so far: read more
 *   -1    it can never be a valid request (garbage in the request line,
 *         a request line or head too long): answer 400 now */
int http_head_length(const char *buf, size_t n);

/* Parses a complete head (http_head_length's bytes) into *req; 0, or
 * 400 for a bad request. */
int http_parse_request(const char *head, size_t n, struct http_request *req);

/* True if path (decoded, starting with '/') names something under the
 * document root: no ".." segment. */
bool http_path_is_safe(const char *path);

#endif /* LAB >= 6 */
#endif
