/* cpio_test.c -- host tests for kernel/fs/cpio.c (the newc archive reader).
 *
 * Two sources of archives: the real GNU cpio tool, run at test time on
 * files written to a temporary directory (skipped if cpio is missing),
 * and a small builder here that writes newc headers itself, so that the
 * malformed cases can break exactly one thing. Every truncated archive
 * is copied into a buffer of exactly its length: a read past the end is
 * then a heap overflow that ASan reports. */
#if LAB >= 4
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fs/cpio.h"

#define HEADER_LEN 110
#define FIELD(f)   (6 + 8 * (f))        /* where header field f starts */
enum { F_INO, F_MODE, F_FILESIZE = 6, F_NAMESIZE = 11, F_CHECK = 12, NFIELDS = 13 };

/* ---- building archives by hand ---- */

struct archive {
    unsigned char buf[16384];
    size_t len;
};

static size_t pad4(size_t n)
{
    return (n + 3) & ~(size_t)3;
}

/* Append a member whose name is namesize bytes at name (NUL included if
 * the caller wants one), then padding; returns where its header starts. */
static size_t add_raw(struct archive *a, const char *name, size_t namesize, uint32_t mode,
                      uint32_t ino, const void *data, size_t size)
{
    size_t at = a->len;
    char hdr[HEADER_LEN + 1];
    snprintf(hdr, sizeof hdr, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
             ino, mode, 1000u, 1000u, 1u, 0x5F000000u, (unsigned)size, 0u, 0u, 0u, 0u,
             (unsigned)namesize, 0u);
    cr_assert_leq(pad4(pad4(at + HEADER_LEN + namesize) + size), sizeof a->buf);
    memset(a->buf + at, 0, pad4(pad4(at + HEADER_LEN + namesize) + size) - at);
    memcpy(a->buf + at, hdr, HEADER_LEN);
    memcpy(a->buf + at + HEADER_LEN, name, namesize);
    a->len = pad4(at + HEADER_LEN + namesize);
    memcpy(a->buf + a->len, data, size);
    a->len = pad4(a->len + size);
    return at;
}

static size_t add(struct archive *a, const char *name, uint32_t mode, uint32_t ino,
                  const char *data)
{
    return add_raw(a, name, strlen(name) + 1, mode, ino, data, strlen(data));
}

static size_t add_trailer(struct archive *a)
{
    return add(a, "TRAILER!!!", 0, 0, "");
}

/* Overwrite header field f of the member at `at` with 8 characters. */
static void set_field(struct archive *a, size_t at, int f, const char *eight)
{
    memcpy(a->buf + at + FIELD(f), eight, 8);
}

/* A copy of buf[0..n) in a heap block of exactly n bytes. */
static void *exact_copy(const void *buf, size_t n)
{
    void *p = malloc(n);
    cr_assert(p != NULL || n == 0);
    if (n > 0)
        memcpy(p, buf, n);
    return p;
}

/* ---- what an archive should hold ---- */

struct member {
    const char *name;
    uint32_t mode, ino;
    const char *data;
    size_t size;
};

/* Walk archive[0..len): the members must be want[0..], in order; returns
 * the status that ended the walk and sets *count (members seen) and *end
 * (the offset after the walk). */
static int walk(const void *archive, size_t len, const struct member *want, size_t nwant,
                size_t *count, size_t *end)
{
    size_t off = 0, n = 0;
    struct cpio_entry e;
    int st;
    while ((st = cpio_next(archive, len, &off, &e)) == CPIO_ENTRY) {
        cr_assert_lt(n, nwant, "member %zu (%.*s) is one too many", n, (int)e.namelen, e.name);
        const struct member *m = &want[n];
        cr_assert_eq(e.namelen, strlen(m->name), "member %zu: namelen %zu, expected %zu", n,
                     e.namelen, strlen(m->name));
        cr_assert_str_eq(e.name, m->name, "member %zu: name", n);
        cr_assert_eq(e.size, m->size, "member %zu (%s): size %zu, expected %zu", n, m->name,
                     e.size, m->size);
        cr_assert(m->size == 0 || memcmp(e.data, m->data, m->size) == 0,
                  "member %zu (%s): wrong data", n, m->name);
        cr_assert_eq(e.mode, m->mode, "member %zu (%s): mode %#o, expected %#o", n, m->name,
                     e.mode, m->mode);
        cr_assert_eq(e.ino, m->ino, "member %zu (%s): ino %u, expected %u", n, m->name, e.ino,
                     m->ino);
        cr_assert_leq(off, len);
        cr_assert_eq(off % 4, 0, "member %zu: the next header is not 4-aligned", n);
        n++;
    }
    *count = n;
    *end = off;
    return st;
}

/* Every prefix of a complete archive: shorter than `end` (where the
 * trailer ends) it is cut inside a member, so the walk must stop with
 * exactly CPIO_TRUNCATED (the bytes it has are all valid) after a prefix
 * of the members; from `end` on, it is the whole archive. */
static void check_every_prefix(const void *archive, size_t len, const struct member *want,
                               size_t nwant)
{
    size_t count, end;
    cr_assert_eq(walk(archive, len, want, nwant, &count, &end), CPIO_END);
    cr_assert_eq(count, nwant);
    for (size_t n = 0; n <= len; n++) {
        void *cut = exact_copy(archive, n);
        size_t seen, stop;
        int st = walk(cut, n, want, nwant, &seen, &stop);
        if (n < end) {
            cr_assert_eq(st, CPIO_TRUNCATED, "cut at %zu of %zu: %s", n, len, cpio_strerror(st));
        } else {
            cr_assert_eq(st, CPIO_END, "cut at %zu (after the trailer): %s", n,
                         cpio_strerror(st));
            cr_assert_eq(seen, nwant);
            cr_assert_eq(stop, end);
        }
        free(cut);
    }
}

/* The status of reading the first member of a[0..len) (exact copy). */
static int first_status(const struct archive *a, size_t len)
{
    void *copy = exact_copy(a->buf, len);
    size_t off = 0;
    struct cpio_entry e;
    int st = cpio_next(copy, len, &off, &e);
    free(copy);
    return st;
}

static const struct member small[] = {
    {"a", 0100644, 11, "x", 1},
    {"bb", 0100600, 12, "yy", 2},
    {"dir", 0040755, 13, "", 0},
    {"dir/file", 0100755, 14, "#!/bin/sh\necho hi\n", 18},
};
#define NSMALL (sizeof small / sizeof small[0])

static struct archive ar;

static void build_small(void)
{
    memset(&ar, 0xA5, sizeof ar);
    ar.len = 0;
    for (size_t i = 0; i < NSMALL; i++)
        add(&ar, small[i].name, small[i].mode, small[i].ino, small[i].data);
    add_trailer(&ar);
}

TestSuite(cpio, .init = build_small, .timeout = 120);

Test(cpio, built_archive_walks)
{
    size_t count, end;
    cr_assert_eq(walk(ar.buf, ar.len, small, NSMALL, &count, &end), CPIO_END);
    cr_assert_eq(count, NSMALL);
    cr_assert_eq(end, ar.len, "CPIO_END should move the offset past the trailer");
}

Test(cpio, entry_points_into_the_archive)
{
    size_t off = 0;
    struct cpio_entry e;
    cr_assert_eq(cpio_next(ar.buf, ar.len, &off, &e), CPIO_ENTRY);
    cr_assert_eq((const unsigned char *)e.name, ar.buf + HEADER_LEN);
    cr_assert_eq((const unsigned char *)e.data, ar.buf + pad4(HEADER_LEN + 2));
    cr_assert_eq(off, pad4(pad4(HEADER_LEN + 2) + 1));
}

Test(cpio, every_truncation_of_a_built_archive)
{
    check_every_prefix(ar.buf, ar.len, small, NSMALL);
}

/* Names of 1..8 bytes and data of 0..7 bytes: every padding residue on
 * both sides, checked by walking every prefix. */
Test(cpio, every_padding_residue)
{
    static const char *names[] = {"a", "bb", "ccc", "dddd", "eeeee", "ffffff", "ggggggg",
                                  "hhhhhhhh"};
    static const char *datas[] = {"", "1", "12", "123", "1234", "12345", "123456", "1234567"};
    struct member want[8 * 8];
    size_t n = 0;
    ar.len = 0;
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 8; j++) {
            want[n] = (struct member){names[i], 0100644, (uint32_t)n, datas[j], strlen(datas[j])};
            add(&ar, names[i], 0100644, (uint32_t)n, datas[j]);
            n++;
        }
    add_trailer(&ar);
    check_every_prefix(ar.buf, ar.len, want, n);
}

Test(cpio, trailer_only)
{
    ar.len = 0;
    add_trailer(&ar);
    size_t off = 0;
    struct cpio_entry e;
    cr_assert_eq(cpio_next(ar.buf, ar.len, &off, &e), CPIO_END);
    cr_assert_eq(off, pad4(HEADER_LEN + 11));
}

Test(cpio, bytes_after_the_trailer_are_not_read)
{
    /* cpio pads archives to 512-byte blocks; anything there is ignored. */
    size_t len = ar.len;
    memset(ar.buf + len, 'Z', 100);
    size_t count, end;
    cr_assert_eq(walk(ar.buf, len + 100, small, NSMALL, &count, &end), CPIO_END);
    cr_assert_eq(end, len);
}

Test(cpio, lowercase_hex_is_accepted)
{
    set_field(&ar, 0, F_MODE, "000081a4");
    size_t off = 0;
    struct cpio_entry e;
    cr_assert_eq(cpio_next(ar.buf, ar.len, &off, &e), CPIO_ENTRY);
    cr_assert_eq(e.mode, 0100644);
}

Test(cpio, no_trailer_is_truncated)
{
    ar.len = 0;
    for (size_t i = 0; i < NSMALL; i++)
        add(&ar, small[i].name, small[i].mode, small[i].ino, small[i].data);
    size_t count, end;
    cr_assert_eq(walk(ar.buf, ar.len, small, NSMALL, &count, &end), CPIO_TRUNCATED);
    cr_assert_eq(count, NSMALL);
    cr_assert_eq(first_status(&ar, 0), CPIO_TRUNCATED, "an empty archive has no trailer");
}

Test(cpio, offset_past_the_end_is_truncated)
{
    struct cpio_entry e;
    size_t off = ar.len + 1;
    cr_assert_eq(cpio_next(ar.buf, ar.len, &off, &e), CPIO_TRUNCATED);
    off = SIZE_MAX;
    cr_assert_eq(cpio_next(ar.buf, ar.len, &off, &e), CPIO_TRUNCATED);
    cr_assert_eq(off, SIZE_MAX, "an error moved the offset");
}

Test(cpio, bad_magic)
{
    static const char *magics[] = {"070702", "070707", "070700", "170701", "07070", "\0\0\0\0\0\0"};
    for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++) {
        build_small();
        memcpy(ar.buf, magics[i], 6);
        cr_assert_eq(first_status(&ar, ar.len), CPIO_BAD_MAGIC, "magic %zu", i);
    }
}

Test(cpio, bad_magic_in_a_later_member)
{
    size_t at = 0;
    ar.len = 0;
    for (size_t i = 0; i < NSMALL; i++)
        at = add(&ar, small[i].name, small[i].mode, small[i].ino, small[i].data);
    add_trailer(&ar);
    ar.buf[at + 5] = '7';        /* the last member's header: "070707" */
    size_t count, end;
    cr_assert_eq(walk(ar.buf, ar.len, small, NSMALL, &count, &end), CPIO_BAD_MAGIC);
    cr_assert_eq(count, NSMALL - 1);
    cr_assert_eq(end, at, "the offset should stay at the bad header");
}

/* A non-hex character at the first, a middle and the last digit of each
 * of the 13 fields, even the ones the reader does not use. */
Test(cpio, non_hex_digit_in_any_field)
{
    static const char bad[] = {'g', 'G', ' ', 'x', '-', '+', '\0', (char)0xC1};
    for (int f = 0; f < NFIELDS; f++)
        for (int pos = 0; pos < 8; pos += 3)
            for (size_t b = 0; b < sizeof bad; b++) {
                build_small();
                ar.buf[FIELD(f) + pos] = (unsigned char)bad[b];
                cr_assert_eq(first_status(&ar, ar.len), CPIO_BAD_NUMBER,
                             "field %d digit %d = %#x", f, pos, (unsigned char)bad[b]);
            }
}

Test(cpio, header_cut_before_a_bad_field_is_truncated)
{
    ar.buf[FIELD(F_CHECK) + 7] = 'g';
    cr_assert_eq(first_status(&ar, HEADER_LEN - 1), CPIO_TRUNCATED);
    cr_assert_eq(first_status(&ar, HEADER_LEN), CPIO_BAD_NUMBER);
}

Test(cpio, namesize_zero)
{
    set_field(&ar, 0, F_NAMESIZE, "00000000");
    cr_assert_eq(first_status(&ar, ar.len), CPIO_BAD_NAME);
    /* Even with nothing after the header (0 name bytes always "fit"). */
    cr_assert_eq(first_status(&ar, HEADER_LEN), CPIO_BAD_NAME);
}

Test(cpio, name_without_nul)
{
    ar.len = 0;
    add_raw(&ar, "abc", 3, 0100644, 1, "", 0);   /* namesize 3: "abc", no NUL */
    add_trailer(&ar);
    cr_assert_eq(first_status(&ar, ar.len), CPIO_BAD_NAME);
}

Test(cpio, namesize_one_short_of_the_nul)
{
    set_field(&ar, 0, F_NAMESIZE, "00000001");      /* "a\0": says 1, so no NUL */
    cr_assert_eq(first_status(&ar, ar.len), CPIO_BAD_NAME);
}

Test(cpio, name_with_an_earlier_nul)
{
    ar.len = 0;
    add_raw(&ar, "bin\0sh", 7, 0100644, 1, "", 0);  /* strlen 3, namelen would say 6 */
    add_trailer(&ar);
    cr_assert_eq(first_status(&ar, ar.len), CPIO_BAD_NAME);
}

Test(cpio, empty_name_is_allowed)
{
    /* namesize 1: just the NUL. Odd but well formed; the file system
     * decides what a name means. */
    ar.len = 0;
    add(&ar, "", 0100644, 1, "z");
    add_trailer(&ar);
    size_t off = 0;
    struct cpio_entry e;
    cr_assert_eq(cpio_next(ar.buf, ar.len, &off, &e), CPIO_ENTRY);
    cr_assert_eq(e.namelen, 0);
    cr_assert_str_eq(e.name, "");
}

Test(cpio, namesize_near_2_32)
{
    static const char *sizes[] = {"FFFFFFFF", "FFFFFFFE", "FFFFFFFD", "FFFFFFFC", "80000000",
                                  "00001000"};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        build_small();
        set_field(&ar, 0, F_NAMESIZE, sizes[i]);
        cr_assert_eq(first_status(&ar, ar.len), CPIO_TRUNCATED, "namesize %s", sizes[i]);
    }
}

/* A filesize near 2^32 must not wrap a bound and pass. Cut the buffer
 * just after the first member's name so ASan would see any read. */
Test(cpio, filesize_near_2_32)
{
    static const char *sizes[] = {"FFFFFFFF", "FFFFFFFE", "FFFFFFFD", "FFFFFFFC", "FFFFFF00",
                                  "80000000", "00000FFF"};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        build_small();
        set_field(&ar, 0, F_FILESIZE, sizes[i]);
        cr_assert_eq(first_status(&ar, ar.len), CPIO_TRUNCATED, "filesize %s", sizes[i]);
        cr_assert_eq(first_status(&ar, pad4(HEADER_LEN + 2)), CPIO_TRUNCATED, "filesize %s",
                     sizes[i]);
    }
}

Test(cpio, data_one_byte_past_the_end)
{
    /* The last member before the trailer claims one byte more than the
     * archive holds once the trailer is cut off. */
    ar.len = 0;
    size_t at = add(&ar, "f", 0100644, 1, "1234");
    set_field(&ar, at, F_FILESIZE, "00000005");
    cr_assert_eq(first_status(&ar, ar.len), CPIO_TRUNCATED);
    cr_assert_eq(first_status(&ar, ar.len + 1), CPIO_TRUNCATED, "padding after the data");
    cr_assert_eq(first_status(&ar, ar.len + 4), CPIO_ENTRY);
}

Test(cpio, error_leaves_offset_and_entry_alone)
{
    set_field(&ar, 0, F_FILESIZE, "FFFFFFFF");
    size_t off = 0;
    struct cpio_entry e, before;
    memset(&e, 0x5A, sizeof e);
    before = e;
    cr_assert_eq(cpio_next(ar.buf, ar.len, &off, &e), CPIO_TRUNCATED);
    cr_assert_eq(off, 0);
    cr_assert(memcmp(&e, &before, sizeof e) == 0, "an error wrote *entry");
}

Test(cpio, near_trailer_names_are_members)
{
    ar.len = 0;
    add(&ar, "TRAILER!!", 0100644, 1, "");
    add(&ar, "TRAILER!!!x", 0100644, 2, "");
    add(&ar, "trailer!!!", 0100644, 3, "");
    add_trailer(&ar);
    static const struct member want[] = {
        {"TRAILER!!", 0100644, 1, "", 0},
        {"TRAILER!!!x", 0100644, 2, "", 0},
        {"trailer!!!", 0100644, 3, "", 0},
    };
    size_t count, end;
    cr_assert_eq(walk(ar.buf, ar.len, want, 3, &count, &end), CPIO_END);
    cr_assert_eq(count, 3);
}

Test(cpio, strerror_names_every_status)
{
    static const int statuses[] = {CPIO_ENTRY, CPIO_END, CPIO_TRUNCATED, CPIO_BAD_MAGIC,
                                   CPIO_BAD_NUMBER, CPIO_BAD_NAME};
    const size_t n = sizeof statuses / sizeof statuses[0];
    for (size_t i = 0; i < n; i++) {
        const char *s = cpio_strerror(statuses[i]);
        cr_assert(s != NULL && s[0] != '\0', "status %d", statuses[i]);
        for (size_t j = 0; j < i; j++)
            cr_assert_str_neq(s, cpio_strerror(statuses[j]), "statuses %d and %d", statuses[i],
                              statuses[j]);
    }
    cr_assert(cpio_strerror(-99) != NULL);
    cr_assert(cpio_strerror(42) != NULL);
}

/* ---- an archive written by the real cpio tool ---- */

struct tool_file {
    const char *name;
    const char *data;       /* NULL: a directory; starts with '@': a symlink to the rest */
};

/* Name lengths 1..4 and more, data of 0..3 mod 4, a directory, a nested
 * file, a symlink: what an initrd holds. */
static const struct tool_file tool_files[] = {
    {"a", "x"},
    {"bb", "yy"},
    {"ccc", "zzz"},
    {"dddd", "0123"},
    {"empty", ""},
    {"bin", NULL},
    {"bin/init", "#!/bin/sh\n# the first user program would be an ELF file\nexec /bin/sh\n"},
    {"link", "@bin/init"},
};
#define NTOOL (sizeof tool_files / sizeof tool_files[0])

static void write_file(const char *path, const char *data)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f != NULL, "cannot create %s", path);
    cr_assert_eq(fwrite(data, 1, strlen(data), f), strlen(data));
    cr_assert_eq(fclose(f), 0);
}

static char *read_whole(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f != NULL, "cannot open %s", path);
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
        cr_assert(buf != NULL);
    }
    fclose(f);
    *len = n;
    return buf;
}

static int run(const char *cmd)
{
    int st = system(cmd);
    return st == -1 ? -1 : WEXITSTATUS(st);
}

/* Make the files in a fresh directory, archive them with `cpio -o -H
 * newc` in tool_files order; fill want[] from lstat (mode and inode as
 * cpio records them). Returns the archive (malloc'ed). */
static char *make_tool_archive(char *dir, struct member *want, char paths[][256], size_t *len)
{
    if (run("command -v cpio >/dev/null 2>&1") != 0)
        cr_skip_test("the cpio tool is not installed (apt-get install cpio)");
    cr_assert(mkdtemp(dir) != NULL, "mkdtemp %s", dir);
    char list[1024] = "";
    for (size_t i = 0; i < NTOOL; i++) {
        const struct tool_file *t = &tool_files[i];
        snprintf(paths[i], 256, "%s/%s", dir, t->name);
        if (t->data == NULL)
            cr_assert_eq(mkdir(paths[i], 0755), 0);
        else if (t->data[0] == '@')
            cr_assert_eq(symlink(t->data + 1, paths[i]), 0);
        else
            write_file(paths[i], t->data);
        strcat(list, t->name);
        strcat(list, "\\n");
    }
    for (size_t i = 0; i < NTOOL; i++) {
        const struct tool_file *t = &tool_files[i];
        struct stat st;
        cr_assert_eq(lstat(paths[i], &st), 0);
        const char *data = t->data == NULL ? "" : t->data[0] == '@' ? t->data + 1 : t->data;
        want[i] = (struct member){t->name, (uint32_t)st.st_mode, (uint32_t)st.st_ino, data,
                                  strlen(data)};
    }
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cd '%s' && printf '%s' | cpio -o -H newc --quiet > archive.cpio",
             dir, list);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    char path[300];
    snprintf(path, sizeof path, "%s/archive.cpio", dir);
    return read_whole(path, len);
}

static void remove_dir(const char *dir)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(run(cmd), 0);
}

TestSuite(cpio_tool, .timeout = 120);

Test(cpio_tool, archive_from_the_cpio_tool)
{
    char dir[] = "/tmp/tidepool-cpio-XXXXXX";
    struct member want[NTOOL];
    char paths[NTOOL][256];
    size_t len;
    char *archive = make_tool_archive(dir, want, paths, &len);
    remove_dir(dir);

    void *exact = exact_copy(archive, len);
    size_t count, end;
    cr_assert_eq(walk(exact, len, want, NTOOL, &count, &end), CPIO_END);
    cr_assert_eq(count, NTOOL);
    cr_assert_eq(len % 512, 0, "cpio pads archives to 512-byte blocks");
    for (size_t i = end; i < len; i++)
        cr_assert_eq(archive[i], 0, "byte %zu after the trailer is not padding", i);
    free(exact);
    free(archive);
}

Test(cpio_tool, every_truncation_of_a_cpio_tool_archive)
{
    char dir[] = "/tmp/tidepool-cpio-XXXXXX";
    struct member want[NTOOL];
    char paths[NTOOL][256];
    size_t len;
    char *archive = make_tool_archive(dir, want, paths, &len);
    remove_dir(dir);
    check_every_prefix(archive, len, want, NTOOL);
    free(archive);
}
#endif /* LAB >= 4 */
