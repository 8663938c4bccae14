/*
 * cmdline_fuzz.c -- libFuzzer harness over the kernel command line
 * (kernel/cmdline.c): any bytes as the line the boot loader passes, read
 * the way the kernel reads it -- every key= the kernel looks up, with its
 * buffer's size; run= split into argv; test= as comma-separated globs
 * over test names (glob.c); from lab 6, ip= through ipconfig_parse().
 *
 * Oracles besides ASan and UBSan: a value found fits its buffer, has no
 * space, and is what follows "key=" in the line; argv has at most its
 * room, ends with NULL, and every word lies inside the split buffer.
 * Every buffer is a heap block of exactly its size.
 *
 *   make fuzz-cmdline FUZZ_SECONDS=60    (make test-fuzz: a few seconds)
 */
#include <stdbool.h>
#include "cmdline.h"
#include "fuzz.h"
#include "glob.h"
#include "multiboot.h"
#if LAB >= 6
#include "net/ipconfig.h"
#endif

/* The keys the kernel reads (grep cmdline_value kernel/), with the size
 * of the buffer each is read into there. */
static const struct { const char *key; size_t cap; } keys[] = {
    { "timer_hz", 16 }, { "kmalloc_debug", 8 }, { "sched_slice", 16 },
    { "sync_checks", 16 }, { "selftest", BOOT_CMDLINE_MAX }, { "bench", BOOT_CMDLINE_MAX },
    { "test", BOOT_CMDLINE_MAX }, { "ktest_skip", 16 }, { "ktest_timeout", 12 },
    { "ip", 48 }, { "nic", 4 }, { "net_poll", 4 }, { "net_irq", 4 }, { "apic", 8 },
    { "trace", 16 }, { "sanitize", 32 }, { "kcsan_selftest_s", 16 },
    { "k", 1 }, { "", 2 },
};

static const char *const test_names[] = {
    "boot.multiboot", "boot.cmdline", "trap.divide", "memory.frames", "a", "",
};

/* The value is what follows "key=" in the line, cut to cap - 1 bytes. */
static void check_value(const char *line, const char *key, const char *val, size_t cap)
{
    size_t len = strlen(val);
    CHECK(len < cap);
    CHECK(strchr(val, ' ') == NULL);
    CHECK(cmdline_has(line, key));
    const char *rest = cmdline_rest(line, key);
    CHECK(rest != NULL && strncmp(rest, val, len) == 0);
}

static void read_keys(const char *line)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char *buf = malloc(keys[i].cap);
        if (buf == NULL)
            abort();
        const char *v = cmdline_value(line, keys[i].key, buf, keys[i].cap);
        CHECK(v == NULL || v == buf);
        if (v != NULL)
            check_value(line, keys[i].key, v, keys[i].cap);
        CHECK(cmdline_value(line, keys[i].key, buf, 0) == NULL);
        free(buf);
    }
}

/* main.c's run_from_cmdline(): the rest of the line after run=, split. */
static void split_run(const char *line)
{
    char *words = calloc(1, BOOT_CMDLINE_MAX);
    char *argv[33];
    if (words == NULL)
        abort();
    const char *rest = cmdline_rest(line, "run");
    strncpy(words, rest != NULL ? rest : "", BOOT_CMDLINE_MAX - 1);
    int argc = cmdline_split(words, argv, 32);
    CHECK(argc >= 0 && argc <= 32 && argv[argc] == NULL);
    for (int i = 0; i < argc; i++) {
        CHECK(argv[i] >= words && argv[i] < words + BOOT_CMDLINE_MAX);
        CHECK(memchr(argv[i], '\0', (size_t)(words + BOOT_CMDLINE_MAX - argv[i])) != NULL);
    }
    free(words);
}

/* ktest.c's ktest_selected(): comma-separated globs against a name. */
static void select_tests(const char *line)
{
    char *globs = malloc(BOOT_CMDLINE_MAX);
    if (globs == NULL)
        abort();
    if (cmdline_value(line, "test", globs, BOOT_CMDLINE_MAX) != NULL)
        for (size_t t = 0; t < sizeof test_names / sizeof test_names[0]; t++)
            for (const char *g = globs; *g != '\0';) {
                size_t len = strcspn(g, ",");
                bool hit = glob_match(g, len, test_names[t]);
                /* A pattern without wildcards matches only itself. */
                if (len > 0 && strcspn(g, "*?") >= len)
                    CHECK(hit == (strlen(test_names[t]) == len &&
                                  memcmp(g, test_names[t], len) == 0));
                g += len;
                if (*g == ',')
                    g++;
            }
    free(globs);
}

#if LAB >= 6
static void read_ip(const char *line)
{
    char value[48];
    struct ipconfig c;
    if (cmdline_value(line, "ip", value, sizeof value) != NULL &&
        ipconfig_parse(value, &c) == 0)
        CHECK(c.netmask != 0 && (~c.netmask & (~c.netmask + 1)) == 0);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The line, NUL-terminated in a block of exactly its size (an
     * embedded NUL ends it early, as it would in the kernel). */
    char *line = (char *)fuzz_copy(data, size, 1);
    read_keys(line);
    split_run(line);
    select_tests(line);
#if LAB >= 6
    read_ip(line);
#endif
    free(line);
    return 0;
}
