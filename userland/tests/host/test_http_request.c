/*
 * test_http_request.c -- httpd's request reader (bin/httpd/http_request.c):
 * when a head is complete, what is a 400 at once, what a request parses to.
 */
#if LAB >= 6
#include <criterion/criterion.h>
#include <string.h>

#include "httpd/http_request.h"

static int head_len(const char *s)
{
    return http_head_length(s, strlen(s));
}

static int parse(const char *s, struct http_request *r)
{
    return http_parse_request(s, strlen(s), r);
}

Test(http_request, head_complete_only_at_empty_line)
{
    cr_assert_eq(head_len("GET / HTTP/1.1\r\nHost: x\r\n"), 0);
    cr_assert_eq(head_len("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 27);
    cr_assert_eq(head_len("GET / HTTP/1.0\n\nbody"), 16);
    cr_assert_eq(head_len("GE"), 0);
    cr_assert_eq(head_len(""), 0);
}

Test(http_request, garbage_is_rejected_before_the_end)
{
    cr_assert_eq(head_len("\x16\x03\x01\x02"), -1);         /* a TLS hello */
    cr_assert_eq(head_len("get / HTTP/1.1"), -1);           /* lower case */
    cr_assert_eq(head_len(" GET"), -1);
    cr_assert_eq(head_len("GET /a\x01"), -1);
    cr_assert_eq(head_len("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), -1);   /* method too long */
}

Test(http_request, long_request_line_or_head_is_rejected)
{
    static char buf[HTTP_HEAD_MAX + 10];

    memcpy(buf, "GET /", 5);
    memset(buf + 5, 'a', HTTP_LINE_MAX);
    cr_assert_eq(http_head_length(buf, HTTP_LINE_MAX + 5), -1);
    strcpy(buf, "GET / HTTP/1.1\r\n");
    for (size_t n = strlen(buf); n < HTTP_HEAD_MAX; n += 10)
        memcpy(buf + n, "X-A: bbb\r\n", 10);
    cr_assert_eq(http_head_length(buf, HTTP_HEAD_MAX), -1);
}

Test(http_request, get_parses)
{
    struct http_request r;

    cr_assert_eq(parse("GET /dir/a%20b.txt?x=1 HTTP/1.1\r\nHost: h\r\n\r\n", &r), 0);
    cr_assert_eq(r.method, HTTP_GET);
    cr_assert_str_eq(r.path, "/dir/a b.txt");
    cr_assert_eq(r.minor, 1);
    cr_assert_eq(r.content_length, -1);
    cr_assert_eq(parse("HEAD / HTTP/1.0\n\n", &r), 0);
    cr_assert_eq(r.method, HTTP_HEAD);
    cr_assert_eq(r.minor, 0);
    cr_assert_eq(parse("DELETE /x HTTP/1.1\r\n\r\n", &r), 0);
    cr_assert_eq(r.method, HTTP_OTHER);
    cr_assert_str_eq(r.method_name, "DELETE");
}

Test(http_request, upload_headers)
{
    struct http_request r;

    cr_assert_eq(parse("PUT /upload HTTP/1.1\r\ncontent-length:  1048576 \r\n"
                       "Expect: 100-continue\r\n\r\n", &r), 0);
    cr_assert_eq(r.method, HTTP_PUT);
    cr_assert_eq(r.content_length, 1048576);
    cr_assert(r.expect_continue);
    cr_assert_eq(parse("POST /upload HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
                       &r), 400);
    cr_assert_eq(parse("POST /upload HTTP/1.1\r\nContent-Length: -5\r\n\r\n", &r), 400);
    cr_assert_eq(parse("POST /upload HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n", &r), 400);
}

Test(http_request, bad_requests_are_400)
{
    struct http_request r;
    static const char *bad[] = {
        "GET\r\n\r\n", "GET /\r\n\r\n", "GET / HTTP/2.0\r\n\r\n", "GET / HTTP/1.1 x\r\n\r\n",
        "GET x HTTP/1.1\r\n\r\n", "GET /%zz HTTP/1.1\r\n\r\n", "GET /%00 HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nNoColon\r\n\r\n", "GET / HTTP/1.1\r\nA : b\r\n\r\n",
        "GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", "G3T / HTTP/1.1\r\n\r\n",
    };

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(parse(bad[i], &r), 400, "%s", bad[i]);
}

Test(http_request, dot_dot_is_unsafe)
{
    cr_assert(http_path_is_safe("/"));
    cr_assert(http_path_is_safe("/a/..b/c..d"));
    cr_assert_not(http_path_is_safe("/.."));
    cr_assert_not(http_path_is_safe("/a/../../etc"));
    cr_assert_not(http_path_is_safe("//..//x"));
}

#endif /* LAB >= 6 */
