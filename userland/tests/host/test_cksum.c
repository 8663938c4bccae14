/*
 * test_cksum.c -- the POSIX cksum CRC (lib/cksum.c) against known values
 * and against the host's own `cksum` (coreutils) on generated data.
 */
#if LAB >= 6
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cksum.h"

static uint32_t cksum_of(const void *buf, size_t n)
{
    struct cksum c;

    cksum_init(&c);
    cksum_update(&c, buf, n);
    return cksum_final(&c);
}

/* Values printed by coreutils' cksum (`printf '...' | cksum`). */
Test(cksum, known_values)
{
    cr_assert_eq(cksum_of("", 0), 4294967295u);
    cr_assert_eq(cksum_of("hello", 5), 3287646509u);
    cr_assert_eq(cksum_of("123456789", 9), 930766865u);
}

/* The CRC must not depend on how the data is cut into updates. */
Test(cksum, split_updates_same_result)
{
    const char *s = "The quick brown fox jumps over the lazy dog";
    size_t n = strlen(s);

    for (size_t cut = 0; cut <= n; cut++) {
        struct cksum c;

        cksum_init(&c);
        cksum_update(&c, s, cut);
        cksum_update(&c, s + cut, n - cut);
        cr_assert_eq(cksum_final(&c), cksum_of(s, n), "cut at %zu", cut);
    }
}

/* Lengths that need 1, 2 and 3 length bytes, and some odd ones, with
 * bytes from a fixed LCG: compared with the host's cksum on the same
 * file. Skipped if the host has no cksum. */
Test(cksum, matches_host_cksum)
{
    static const size_t sizes[] = { 1, 255, 256, 257, 4095, 65536, 70001, 1 << 20 };
    uint8_t *buf = malloc(1 << 20);
    char path[] = "/tmp/test_cksum_XXXXXX";
    uint32_t x = 12345;

    cr_assert_not_null(buf);
    for (size_t i = 0; i < (1u << 20); i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (uint8_t)(x >> 16);
    }
    if (system("command -v cksum >/dev/null 2>&1") != 0) {
        free(buf);
        cr_skip_test("no cksum on the host");
    }
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        char cmd[128];
        unsigned long host_crc = 0, host_len = 0;

        cr_assert_eq(ftruncate(fd, 0), 0);
        cr_assert_eq(pwrite(fd, buf, sizes[k], 0), (ssize_t)sizes[k]);
        snprintf(cmd, sizeof cmd, "cksum < %s", path);
        FILE *p = popen(cmd, "r");
        cr_assert_not_null(p);
        cr_assert_eq(fscanf(p, "%lu %lu", &host_crc, &host_len), 2);
        pclose(p);
        cr_assert_eq(host_len, sizes[k]);
        cr_assert_eq(cksum_of(buf, sizes[k]), (uint32_t)host_crc, "size %zu", sizes[k]);
    }
    close(fd);
    unlink(path);
    free(buf);
}

#endif /* LAB >= 6 */
