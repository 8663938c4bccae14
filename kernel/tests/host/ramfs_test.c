/* ramfs_test.c -- host tests for kernel/fs/ramfs.c (the in-memory file system's tree and data). */
#if LAB >= 4
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "abi/errno.h"
#include "fs/ramfs.h"

/* A fake allocator that counts what is out and can fail: `allocs_left`
 * is how many more allocations succeed (-1: all of them). */
static long allocs_left = -1;
static long live_allocs, live_blocks;
/* Everything handed out and not yet freed, for the teardown. */
#define MAX_LIVE 4096
static void *live[MAX_LIVE];

static void *remember(void *p)
{
    for (int i = 0; i < MAX_LIVE; i++)
        if (live[i] == NULL) {
            live[i] = p;
            return p;
        }
    cr_assert_fail("more than %d live allocations", MAX_LIVE);
    return NULL;
}

static void forget(void *p)
{
    for (int i = 0; i < MAX_LIVE; i++)
        if (live[i] == p) {
            live[i] = NULL;
            return;
        }
    cr_assert_fail("free of %p, which the fake allocator never handed out", p);
}

static bool may_allocate(void)
{
    if (allocs_left == 0)
        return false;
    if (allocs_left > 0)
        allocs_left--;
    return true;
}

static void *fake_zalloc(size_t n)
{
    if (!may_allocate())
        return NULL;
    live_allocs++;
    return remember(calloc(1, n));
}

static void fake_free(void *p)
{
    live_allocs--;
    forget(p);
    free(p);
}

static void *fake_block_alloc(void)
{
    if (!may_allocate())
        return NULL;
    live_blocks++;
    void *b = malloc(RAMFS_BLOCK);
    memset(b, 0xA5, RAMFS_BLOCK);       /* garbage: ramfs must clear what it shows */
    return remember(b);
}

static void fake_block_free(void *b)
{
    live_blocks--;
    forget(b);
    free(b);
}

static const struct ramfs_alloc fake = {fake_zalloc, fake_free, fake_block_alloc, fake_block_free};
static struct ramfs fs;

static void setup(void)
{
    allocs_left = -1;
    live_allocs = live_blocks = 0;
    cr_assert_eq(ramfs_init(&fs, &fake), 0);
}

static struct ramfs_node *lookup(const char *path)
{
    struct ramfs_node *n = NULL;
    int err = ramfs_resolve(&fs, NULL, path, &n);
    cr_assert_eq(err, 0, "resolve(\"%s\") = %d, expected 0", path, err);
    return n;
}

static int resolve_err(struct ramfs_node *cwd, const char *path)
{
    struct ramfs_node *n;
    return ramfs_resolve(&fs, cwd, path, &n);
}

/* Create path's last component in its parent (mkdir -p is not needed). */
static int make(const char *path, uint32_t mode, struct ramfs_node **out)
{
    struct ramfs_node *dir;
    char name[NAME_MAX + 1];
    bool slash;
    int err = ramfs_resolve_parent(&fs, NULL, path, &dir, name, &slash);
    return err != 0 ? err : ramfs_create(&fs, dir, name, mode, out);
}

static struct ramfs_node *file_with(const char *path, const char *text)
{
    struct ramfs_node *f;
    cr_assert_eq(make(path, S_IFREG | 0644, &f), 0, "create %s", path);
    size_t n = strlen(text);
    cr_assert_eq(ramfs_write(&fs, f, 0, text, n), (int)n);
    return f;
}

/* Every name of dir's listing, joined by spaces. */
static void listing(struct ramfs_node *dir, char *out, size_t size)
{
    struct dirent d[3];
    uint32_t pos = 0;
    int got;
    out[0] = '\0';
    while ((got = ramfs_getdents(dir, &pos, d, 3)) > 0)
        for (int i = 0; i < got; i++) {
            if (out[0] != '\0')
                strncat(out, " ", size - strlen(out) - 1);
            strncat(out, d[i].d_name, size - strlen(out) - 1);
        }
    cr_assert_geq(got, 0);
}

/* Everything is freed: no node other than the root, no block, nothing
 * allocated but the root. */
static void expect_empty_fs(void)
{
    cr_assert_eq(fs.nodes, 1, "%u nodes left, expected the root only", fs.nodes);
    cr_assert_eq(fs.blocks, 0);
    cr_assert_eq(fs.tables, 0);
    cr_assert_eq(live_blocks, 0);
    cr_assert_eq(live_allocs, 1, "%ld allocations live, expected the root's", live_allocs);
}

/* Free what a test left (a test that checks for leaks has none). */
static void teardown(void)
{
    for (int i = 0; i < MAX_LIVE; i++) {
        free(live[i]);
        live[i] = NULL;
    }
}

TestSuite(ramfs, .init = setup, .fini = teardown, .timeout = 120);

Test(ramfs, create_and_lookup_with_dots_and_slashes)
{
    struct ramfs_node *bin, *sh;
    cr_assert_eq(make("/bin", S_IFDIR | 0755, &bin), 0);
    cr_assert_eq(make("/bin/sh", S_IFREG | 0755, &sh), 0);
    cr_assert_eq(lookup("/bin/sh"), sh);
    cr_assert_eq(lookup("//bin///sh"), sh);
    cr_assert_eq(lookup("/bin/./../bin/sh"), sh);
    cr_assert_eq(lookup("/../../bin/sh"), sh, "/.. is /");
    cr_assert_eq(lookup("bin/"), bin);
    cr_assert_eq(lookup("/"), fs.root);
    struct ramfs_node *n;
    cr_assert_eq(ramfs_resolve(&fs, bin, "sh", &n), 0, "relative to a cwd");
    cr_assert_eq(n, sh);
    cr_assert_eq(ramfs_resolve(&fs, bin, "../bin/.", &n), 0);
    cr_assert_eq(n, bin);
    cr_assert_eq(resolve_err(NULL, "/bin/sh/"), -ENOTDIR, "a trailing slash on a file");
    cr_assert_eq(resolve_err(NULL, "/bin/sh/x"), -ENOTDIR);
    cr_assert_eq(resolve_err(NULL, "/bin/nope"), -ENOENT);
    cr_assert_eq(resolve_err(NULL, ""), -ENOENT);
    char long_name[NAME_MAX + 3];
    memset(long_name, 'x', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    cr_assert_eq(resolve_err(NULL, long_name), -ENAMETOOLONG);
    cr_assert_eq(make(long_name, S_IFREG, NULL), -ENAMETOOLONG);
    long_name[NAME_MAX] = '\0';
    cr_assert_eq(make(long_name, S_IFREG, NULL), 0, "NAME_MAX bytes are fine");
    char long_path[300];
    memset(long_path, '/', sizeof long_path - 1);
    long_path[sizeof long_path - 1] = '\0';
    cr_assert_eq(resolve_err(NULL, long_path), -ENAMETOOLONG, "a path of TP_PATH_MAX or more");
}

Test(ramfs, eexist_and_special_names)
{
    cr_assert_eq(make("/a", S_IFDIR | 0755, NULL), 0);
    cr_assert_eq(make("/a", S_IFDIR | 0755, NULL), -EEXIST);
    cr_assert_eq(make("/a", S_IFREG | 0644, NULL), -EEXIST);
    cr_assert_eq(make("/a/.", S_IFDIR | 0755, NULL), -EEXIST);
    cr_assert_eq(make("/", S_IFDIR | 0755, NULL), -EEXIST);
    cr_assert_eq(make("/nodir/x", S_IFREG, NULL), -ENOENT);
    cr_assert_eq(ramfs_unlink(&fs, fs.root, "a"), -EISDIR);
    cr_assert_eq(ramfs_rmdir(&fs, lookup("/a"), "."), -EINVAL);
}

Test(ramfs, nlink_counts_subdirectories)
{
    struct ramfs_node *a;
    cr_assert_eq(make("/a", S_IFDIR | 0755, &a), 0);
    cr_assert_eq(make("/a/b", S_IFDIR | 0755, NULL), 0);
    cr_assert_eq(make("/a/f", S_IFREG | 0644, NULL), 0);
    struct stat st;
    ramfs_stat(a, &st);
    cr_assert_eq(st.st_nlink, 3, "a: itself, its entry, b's ..");
    cr_assert(S_ISDIR(st.st_mode));
    ramfs_stat(fs.root, &st);
    cr_assert_eq(st.st_nlink, 3);
    ramfs_stat(lookup("/a/f"), &st);
    cr_assert_eq(st.st_nlink, 1);
    cr_assert(S_ISREG(st.st_mode));
    cr_assert_eq(st.st_mode & 0777, 0644);
}

Test(ramfs, getdents_lists_dots_first_then_in_order)
{
    cr_assert_eq(make("/d", S_IFDIR | 0755, NULL), 0);
    for (int i = 0; i < 5; i++) {
        char path[16];
        snprintf(path, sizeof path, "/d/f%d", i);
        cr_assert_eq(make(path, S_IFREG | 0644, NULL), 0);
    }
    char out[200];
    listing(lookup("/d"), out, sizeof out);
    cr_assert_str_eq(out, ". .. f0 f1 f2 f3 f4");
    struct dirent d[2];
    uint32_t pos = 0;
    cr_assert_eq(ramfs_getdents(lookup("/d"), &pos, d, 2), 2);
    cr_assert_eq(d[0].d_type, DT_DIR);
    cr_assert_eq(d[1].d_ino, fs.root->ino, ".. of /d is /");
    /* Removing entries between two calls skips none of the rest. */
    cr_assert_eq(ramfs_getdents(lookup("/d"), &pos, d, 2), 2);
    cr_assert_str_eq(d[1].d_name, "f1");
    cr_assert_eq(ramfs_unlink(&fs, lookup("/d"), "f0"), 0);
    cr_assert_eq(ramfs_unlink(&fs, lookup("/d"), "f1"), 0);
    cr_assert_eq(ramfs_getdents(lookup("/d"), &pos, d, 2), 2);
    cr_assert_str_eq(d[0].d_name, "f2");
    cr_assert_str_eq(d[1].d_name, "f3");
    cr_assert_eq(d[0].d_type, DT_REG);
    cr_assert_eq(ramfs_getdents(lookup("/d/f2"), &pos, d, 2), -ENOTDIR);
}

Test(ramfs, write_read_at_offsets_and_holes)
{
    struct ramfs_node *f = file_with("/f", "hello");
    char buf[16] = {0};
    cr_assert_eq(ramfs_read(f, 0, buf, sizeof buf), 5);
    cr_assert_str_eq(buf, "hello");
    cr_assert_eq(ramfs_write(&fs, f, 3, "LO!", 3), 3);
    memset(buf, 0, sizeof buf);
    cr_assert_eq(ramfs_read(f, 0, buf, sizeof buf), 6);
    cr_assert_str_eq(buf, "helLO!");
    cr_assert_eq(ramfs_read(f, 6, buf, sizeof buf), 0, "at the end");
    cr_assert_eq(ramfs_read(f, 100, buf, sizeof buf), 0, "past the end");
    /* A write far away leaves a hole that reads as zeros and owns no block. */
    uint32_t far = 5 * RAMFS_BLOCK + 10;
    cr_assert_eq(ramfs_write(&fs, f, far, "x", 1), 1);
    cr_assert_eq(f->size, far + 1);
    cr_assert_eq(fs.blocks, 2, "the first and the last block only");
    cr_assert_eq(fs.tables, 0, "blocks 0 and 5 are direct");
    static char big[6 * RAMFS_BLOCK];
    cr_assert_eq(ramfs_read(f, 0, big, sizeof big), far + 1);
    cr_assert_eq(memcmp(big, "helLO!", 6), 0);
    for (uint32_t i = 6; i < far; i++)
        cr_assert_eq(big[i], 0, "byte %u of the hole is %d", i, big[i]);
    cr_assert_eq(big[far], 'x');
    /* A write across a block boundary. */
    char across[100];
    memset(across, 'y', sizeof across);
    cr_assert_eq(ramfs_write(&fs, f, RAMFS_BLOCK - 50, across, sizeof across), 100);
    cr_assert_eq(ramfs_read(f, RAMFS_BLOCK - 50, big, 100), 100);
    cr_assert_eq(memcmp(big, across, 100), 0);
    cr_assert_eq(ramfs_write(&fs, f, RAMFS_MAX_SIZE, "z", 1), -ENOSPC, "past the largest file");
}

Test(ramfs, truncate_shrinks_frees_and_zeroes)
{
    struct ramfs_node *f = file_with("/f", "");
    static char data[3 * RAMFS_BLOCK];
    memset(data, 'q', sizeof data);
    cr_assert_eq(ramfs_write(&fs, f, 0, data, sizeof data), (int)sizeof data);
    cr_assert_eq(fs.blocks, 3);
    cr_assert_eq(ramfs_truncate(&fs, f, 10), 0);
    cr_assert_eq(f->size, 10);
    cr_assert_eq(fs.blocks, 1);
    /* Growing again shows zeros, not the old 'q's. */
    cr_assert_eq(ramfs_truncate(&fs, f, 2 * RAMFS_BLOCK), 0);
    static char back[2 * RAMFS_BLOCK];
    cr_assert_eq(ramfs_read(f, 0, back, sizeof back), sizeof back);
    cr_assert_eq(memcmp(back, data, 10), 0);
    for (size_t i = 10; i < sizeof back; i++)
        cr_assert_eq(back[i], 0, "byte %zu after shrink and grow is %d", i, back[i]);
    /* A block of the second table (the first stays a hole); shrinking
     * below it gives the table back. */
    uint32_t second = (uint32_t)((RAMFS_DIRECT + RAMFS_PER_TABLE) * RAMFS_BLOCK) + 7;
    char t = 1;
    cr_assert_eq(ramfs_write(&fs, f, second, "t", 1), 1);
    cr_assert_eq(fs.tables, 1);
    cr_assert_eq(ramfs_read(f, second - 4096, &t, 1), 1, "the first table's hole");
    cr_assert_eq(t, 0);
    cr_assert_eq(ramfs_read(f, second, &t, 1), 1);
    cr_assert_eq(t, 't');
    cr_assert_eq(ramfs_truncate(&fs, f, 10), 0);
    cr_assert_eq(fs.tables, 0);
    cr_assert_eq(fs.blocks, 1);
    cr_assert_eq(ramfs_truncate(&fs, f, 0), 0);
    cr_assert_eq(fs.blocks, 0);
    cr_assert_eq(fs.tables, 0);
    cr_assert_eq(ramfs_unlink(&fs, fs.root, "f"), 0);
    expect_empty_fs();
}

Test(ramfs, unlink_while_held_keeps_the_data)
{
    struct ramfs_node *f = file_with("/f", "still here");
    ramfs_hold(f);
    cr_assert_eq(ramfs_unlink(&fs, fs.root, "f"), 0);
    cr_assert_eq(resolve_err(NULL, "/f"), -ENOENT);
    char buf[16] = {0};
    cr_assert_eq(ramfs_read(f, 0, buf, sizeof buf), 10);
    cr_assert_str_eq(buf, "still here");
    cr_assert_eq(f->nlink, 0);
    cr_assert_eq(fs.nodes, 2);
    ramfs_release(&fs, f);
    expect_empty_fs();
}

Test(ramfs, rmdir_needs_an_empty_directory)
{
    cr_assert_eq(make("/d", S_IFDIR | 0755, NULL), 0);
    cr_assert_eq(make("/d/f", S_IFREG | 0644, NULL), 0);
    cr_assert_eq(ramfs_rmdir(&fs, fs.root, "d"), -ENOTEMPTY);
    cr_assert_eq(ramfs_rmdir(&fs, lookup("/d"), "f"), -ENOTDIR);
    cr_assert_eq(ramfs_rmdir(&fs, fs.root, "nope"), -ENOENT);
    cr_assert_eq(ramfs_unlink(&fs, lookup("/d"), "f"), 0);
    /* A removed directory that is someone's cwd: no new names, no "..". */
    struct ramfs_node *d = lookup("/d");
    ramfs_hold(d);
    cr_assert_eq(ramfs_rmdir(&fs, fs.root, "d"), 0);
    cr_assert_eq(ramfs_create(&fs, d, "x", S_IFREG, NULL), -ENOENT);
    cr_assert_eq(resolve_err(d, ".."), -ENOENT);
    char buf[32];
    cr_assert_eq(ramfs_path(d, buf, sizeof buf), -ENOENT);
    struct dirent de[2];
    uint32_t pos = 0;
    cr_assert_eq(ramfs_getdents(d, &pos, de, 2), 0);
    ramfs_release(&fs, d);
    struct stat st;
    ramfs_stat(fs.root, &st);
    cr_assert_eq(st.st_nlink, 2);
    expect_empty_fs();
}

Test(ramfs, rename_files_and_directories)
{
    cr_assert_eq(make("/a", S_IFDIR | 0755, NULL), 0);
    cr_assert_eq(make("/a/sub", S_IFDIR | 0755, NULL), 0);
    cr_assert_eq(make("/b", S_IFDIR | 0755, NULL), 0);
    struct ramfs_node *f = file_with("/a/f", "one");
    struct ramfs_node *g = file_with("/b/g", "two");
    /* A file over another file: the old one goes. */
    cr_assert_eq(ramfs_rename(&fs, lookup("/a"), "f", lookup("/b"), "g"), 0);
    cr_assert_eq(lookup("/b/g"), f);
    cr_assert_eq(resolve_err(NULL, "/a/f"), -ENOENT);
    (void)g;
    cr_assert_eq(fs.nodes, 5, "root, a, sub, b and f (now g): the old g is freed");
    /* A directory moves with its contents; the link counts follow. */
    cr_assert_eq(ramfs_rename(&fs, lookup("/a"), "sub", lookup("/b"), "moved"), 0);
    cr_assert_eq(lookup("/b/moved/.."), lookup("/b"));
    struct stat st;
    ramfs_stat(lookup("/a"), &st);
    cr_assert_eq(st.st_nlink, 2);
    ramfs_stat(lookup("/b"), &st);
    cr_assert_eq(st.st_nlink, 3);
    char path[64];
    cr_assert_eq(ramfs_path(lookup("/b/moved"), path, sizeof path), 9);
    cr_assert_str_eq(path, "/b/moved");
    /* Into its own subtree, or onto itself. */
    cr_assert_eq(ramfs_rename(&fs, fs.root, "b", lookup("/b/moved"), "x"), -EINVAL);
    cr_assert_eq(ramfs_rename(&fs, fs.root, "b", lookup("/b"), "x"), -EINVAL);
    cr_assert_eq(ramfs_rename(&fs, fs.root, "b", fs.root, "b"), 0);
    /* Kinds must match; a directory replaces only an empty one. */
    cr_assert_eq(ramfs_rename(&fs, lookup("/b"), "g", fs.root, "a"), -EISDIR);
    cr_assert_eq(ramfs_rename(&fs, fs.root, "a", lookup("/b"), "g"), -ENOTDIR);
    cr_assert_eq(ramfs_rename(&fs, fs.root, "a", fs.root, "b"), -ENOTEMPTY);
    cr_assert_eq(ramfs_rename(&fs, lookup("/b"), "moved", fs.root, "a"), 0);
    cr_assert_eq(resolve_err(NULL, "/b/moved"), -ENOENT);
    cr_assert_eq(ramfs_rename(&fs, fs.root, "nope", fs.root, "x"), -ENOENT);
    cr_assert_eq(ramfs_rename(&fs, fs.root, "a", fs.root, ".."), -EINVAL);
    char out[64];
    listing(fs.root, out, sizeof out);
    cr_assert_str_eq(out, ". .. b a", "a renamed entry goes to the end");
}

Test(ramfs, getcwd_paths)
{
    char buf[64];
    cr_assert_eq(ramfs_path(fs.root, buf, sizeof buf), 2);
    cr_assert_str_eq(buf, "/");
    cr_assert_eq(make("/usr", S_IFDIR | 0755, NULL), 0);
    cr_assert_eq(make("/usr/lib", S_IFDIR | 0755, NULL), 0);
    cr_assert_eq(ramfs_path(lookup("/usr/lib"), buf, sizeof buf), 9);
    cr_assert_str_eq(buf, "/usr/lib");
    cr_assert_eq(ramfs_path(lookup("/usr/lib"), buf, 9), 9, "exactly fits");
    cr_assert_eq(ramfs_path(lookup("/usr/lib"), buf, 8), -ERANGE);
}

/* Out of memory after every possible number of allocations: each call
 * either succeeds or returns -ENOSPC, and the tree stays consistent and
 * leak-free. */
Test(ramfs, allocation_failure_leaves_a_consistent_tree)
{
    static char data[3 * RAMFS_BLOCK + 5];
    memset(data, 'd', sizeof data);
    for (long budget = 0; budget < 12; budget++) {
        setup();
        allocs_left = budget;
        struct ramfs_node *d = NULL, *f = NULL;
        int e1 = make("/d", S_IFDIR | 0755, &d);
        int e2 = e1 == 0 ? make("/d/f", S_IFREG | 0644, &f) : -ENOSPC;
        /* Direct blocks, then the first table and blocks through it. */
        uint32_t off = (RAMFS_DIRECT - 2) * RAMFS_BLOCK;
        int wrote = e2 == 0 ? ramfs_write(&fs, f, off, data, sizeof data) : -ENOSPC;
        cr_assert(e1 == 0 || e1 == -ENOSPC, "budget %ld: mkdir gave %d", budget, e1);
        cr_assert(e2 == 0 || e2 == -ENOSPC, "budget %ld: create gave %d", budget, e2);
        cr_assert(wrote == -ENOSPC || (wrote > 0 && wrote <= (int)sizeof data),
                  "budget %ld: write gave %d", budget, wrote);
        if (e1 != 0)
            cr_assert_eq(resolve_err(NULL, "/d"), -ENOENT, "a failed mkdir leaves no name");
        if (e1 == 0 && e2 != 0)
            cr_assert_eq(resolve_err(NULL, "/d/f"), -ENOENT);
        if (e2 == 0) {
            uint32_t want = wrote > 0 ? (uint32_t)wrote : 0;
            cr_assert_eq(f->size, want > 0 ? off + want : 0, "budget %ld: size %u after writing %d",
                         budget, f->size, wrote);
            static char back[sizeof data];
            cr_assert_eq(ramfs_read(f, off, back, sizeof back), want);
            cr_assert_eq(memcmp(back, data, want), 0);
        }
        /* With memory back, everything can be removed and nothing leaks. */
        allocs_left = -1;
        if (e2 == 0)
            cr_assert_eq(ramfs_unlink(&fs, d, "f"), 0);
        if (e1 == 0)
            cr_assert_eq(ramfs_rmdir(&fs, fs.root, "d"), 0);
        expect_empty_fs();
        teardown();
    }
}
#endif /* LAB >= 4 */
