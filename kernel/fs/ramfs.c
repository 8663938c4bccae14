/* ramfs.c -- the in-memory file system's tree and data (ramfs.h). */
#if LAB >= 4
#include "fs/ramfs.h"
#include "abi/errno.h"
#include "abi/rlimit.h"
#include <string.h>

#define MIN(a, b) ((a) < (b) ? (a) : (b))

/* ---- nodes */

static struct ramfs_node *node_new(struct ramfs *fs, uint32_t mode)
{
    struct ramfs_node *n = fs->alloc->zalloc(sizeof *n);
    if (n == NULL)
        return NULL;
    n->ino = fs->next_ino++;
    n->mode = mode;
    list_init(&n->children);
    list_init(&n->sibling);
    n->next_cookie = 2;         /* 0 and 1 are "." and ".." */
    fs->nodes++;
    return n;
}

/* Free *slot's block if it lies at or past `first`. */
static void free_block_at(struct ramfs *fs, uint8_t **slot, uint32_t index, uint32_t first)
{
    if (index >= first && *slot != NULL) {
        fs->alloc->block_free(*slot);
        *slot = NULL;
        fs->blocks--;
    }
}

/* Give back every data block from index `first` on, and the tables
 * that then cover nothing. */
static void free_blocks_from(struct ramfs *fs, struct ramfs_node *n, uint32_t first)
{
    for (uint32_t i = 0; i < RAMFS_DIRECT; i++)
        free_block_at(fs, &n->direct[i], i, first);
    for (uint32_t t = 0; t < RAMFS_TABLES; t++) {
        uint8_t **table = n->tables[t];
        if (table == NULL)
            continue;
        uint32_t base = RAMFS_DIRECT + t * (uint32_t)RAMFS_PER_TABLE;
        for (uint32_t i = 0; i < RAMFS_PER_TABLE; i++)
            free_block_at(fs, &table[i], base + i, first);
        if (base >= first) {
            fs->alloc->block_free(table);
            n->tables[t] = NULL;
            fs->tables--;
        }
    }
}

static void node_free(struct ramfs *fs, struct ramfs_node *n)
{
    free_blocks_from(fs, n, 0);
    fs->alloc->free(n);
    fs->nodes--;
}

/* Free n if nothing holds it any more. */
static void node_maybe_free(struct ramfs *fs, struct ramfs_node *n)
{
    if (n->nlink == 0 && n->refs == 0)
        node_free(fs, n);
}

void ramfs_hold(struct ramfs_node *node)
{
    node->refs++;
}

void ramfs_release(struct ramfs *fs, struct ramfs_node *node)
{
    node->refs--;
    node_maybe_free(fs, node);
}

/* Put n into dir under name (the caller checked that it is free). */
static void link_child(struct ramfs_node *dir, struct ramfs_node *n, const char *name)
{
    strcpy(n->name, name);
    n->parent = dir;
    n->cookie = dir->next_cookie++;
    list_push_back(&dir->children, &n->sibling);
    dir->nchildren++;
    if (ramfs_is_dir(n))
        dir->nlink++;           /* the child's ".." */
}

static void unlink_child(struct ramfs_node *dir, struct ramfs_node *n)
{
    list_remove(&n->sibling);
    dir->nchildren--;
    if (ramfs_is_dir(n))
        dir->nlink--;
    n->parent = NULL;
}

int ramfs_init(struct ramfs *fs, const struct ramfs_alloc *alloc)
{
    memset(fs, 0, sizeof *fs);
    fs->alloc = alloc;
    fs->next_ino = 1;
    fs->root = node_new(fs, S_IFDIR | 0755);
    if (fs->root == NULL)
        return -ENOSPC;
    fs->root->parent = fs->root;
    fs->root->nlink = 2;
    return 0;
}

/* ---- names and paths */

static bool is_special(const char *name)
{
    return name[0] == '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

struct ramfs_node *ramfs_child(struct ramfs_node *dir, const char *name)
{
    if (!ramfs_is_dir(dir))
        return NULL;
    if (strcmp(name, ".") == 0)
        return dir;
    if (strcmp(name, "..") == 0)
        return dir->parent;     /* NULL for a removed directory */
    struct ramfs_node *n;
    list_for_each_entry(n, &dir->children, sibling)
        if (strcmp(n->name, name) == 0)
            return n;
    return NULL;
}

/* Walk the components of path[0..len) from start. */
static int walk(struct ramfs_node *start, const char *path, size_t len, struct ramfs_node **out)
{
    struct ramfs_node *at = start;
    size_t i = 0;
    while (i < len) {
        while (i < len && path[i] == '/')
            i++;
        size_t n = 0;
        while (i + n < len && path[i + n] != '/')
            n++;
        if (n == 0)
            break;
        if (n > NAME_MAX)
            return -ENAMETOOLONG;
        if (!ramfs_is_dir(at))
            return -ENOTDIR;
        char name[NAME_MAX + 1];
        memcpy(name, path + i, n);
        name[n] = '\0';
        at = ramfs_child(at, name);
        if (at == NULL)
            return -ENOENT;
        i += n;
    }
    *out = at;
    return 0;
}

static struct ramfs_node *start_of(struct ramfs *fs, struct ramfs_node *cwd, const char *path)
{
    return path[0] == '/' || cwd == NULL ? fs->root : cwd;
}

int ramfs_resolve(struct ramfs *fs, struct ramfs_node *cwd, const char *path,
                  struct ramfs_node **out)
{
    size_t len = strlen(path);
    if (len == 0)
        return -ENOENT;
    if (len >= TP_PATH_MAX)
        return -ENAMETOOLONG;
    int err = walk(start_of(fs, cwd, path), path, len, out);
    if (err == 0 && path[len - 1] == '/' && !ramfs_is_dir(*out))
        return -ENOTDIR;
    return err;
}

int ramfs_resolve_parent(struct ramfs *fs, struct ramfs_node *cwd, const char *path,
                         struct ramfs_node **dir, char *name, bool *slash)
{
    size_t len = strlen(path);
    if (len == 0)
        return -ENOENT;
    if (len >= TP_PATH_MAX)
        return -ENAMETOOLONG;
    size_t end = len;
    while (end > 0 && path[end - 1] == '/')
        end--;
    *slash = end < len;
    size_t start = end;
    while (start > 0 && path[start - 1] != '/')
        start--;
    if (end - start > NAME_MAX)
        return -ENAMETOOLONG;
    int err = walk(start_of(fs, cwd, path), path, start, dir);
    if (err != 0)
        return err;
    if (!ramfs_is_dir(*dir))
        return -ENOTDIR;
    memcpy(name, path + start, end - start);
    name[end - start] = '\0';
    return 0;
}

/* ---- changing the tree */

int ramfs_create(struct ramfs *fs, struct ramfs_node *dir, const char *name, uint32_t mode,
                 struct ramfs_node **out)
{
    if (!ramfs_is_dir(dir))
        return -ENOTDIR;
    if (strlen(name) > NAME_MAX)
        return -ENAMETOOLONG;
    if (is_special(name) || ramfs_child(dir, name) != NULL)
        return -EEXIST;
    if (dir->nlink == 0)
        return -ENOENT;         /* no new names in a removed directory */
    if (!S_ISREG(mode) && !S_ISDIR(mode))
        return -EINVAL;
    struct ramfs_node *n = node_new(fs, mode);
    if (n == NULL)
        return -ENOSPC;
    n->nlink = S_ISDIR(mode) ? 2 : 1;
    link_child(dir, n, name);
    if (out != NULL)
        *out = n;
    return 0;
}

/* Take n out of the tree (it lives on while it is held). */
static void remove_node(struct ramfs *fs, struct ramfs_node *dir, struct ramfs_node *n)
{
    unlink_child(dir, n);
    n->nlink = 0;
    node_maybe_free(fs, n);
}

int ramfs_unlink(struct ramfs *fs, struct ramfs_node *dir, const char *name)
{
    if (!ramfs_is_dir(dir))
        return -ENOTDIR;
    if (is_special(name))
        return -EISDIR;
    struct ramfs_node *n = ramfs_child(dir, name);
    if (n == NULL)
        return -ENOENT;
    if (ramfs_is_dir(n))
        return -EISDIR;
    remove_node(fs, dir, n);
    return 0;
}

int ramfs_rmdir(struct ramfs *fs, struct ramfs_node *dir, const char *name)
{
    if (!ramfs_is_dir(dir))
        return -ENOTDIR;
    if (is_special(name))
        return -EINVAL;
    struct ramfs_node *n = ramfs_child(dir, name);
    if (n == NULL)
        return -ENOENT;
    if (!ramfs_is_dir(n))
        return -ENOTDIR;
    if (n->nchildren > 0)
        return -ENOTEMPTY;
    remove_node(fs, dir, n);
    return 0;
}

/* Is `n` dir itself or somewhere below it? */
static bool is_within(const struct ramfs_node *n, const struct ramfs_node *dir)
{
    for (;;) {
        if (n == dir)
            return true;
        if (n == NULL || n->parent == n)
            return false;
        n = n->parent;
    }
}

int ramfs_rename(struct ramfs *fs, struct ramfs_node *odir, const char *oname,
                 struct ramfs_node *ndir, const char *nname)
{
    if (!ramfs_is_dir(odir) || !ramfs_is_dir(ndir))
        return -ENOTDIR;
    if (strlen(nname) > NAME_MAX)
        return -ENAMETOOLONG;
    if (is_special(oname) || is_special(nname))
        return -EINVAL;
    struct ramfs_node *n = ramfs_child(odir, oname);
    if (n == NULL || ndir->nlink == 0)
        return -ENOENT;
    if (ramfs_is_dir(n) && is_within(ndir, n))
        return -EINVAL;         /* a directory into itself or below */
    struct ramfs_node *old = ramfs_child(ndir, nname);
    if (old == n)
        return 0;
    if (old != NULL) {
        if (ramfs_is_dir(n) && !ramfs_is_dir(old))
            return -ENOTDIR;
        if (!ramfs_is_dir(n) && ramfs_is_dir(old))
            return -EISDIR;
        if (ramfs_is_dir(old) && old->nchildren > 0)
            return -ENOTEMPTY;
        remove_node(fs, ndir, old);
    }
    unlink_child(odir, n);
    link_child(ndir, n, nname);
    return 0;
}

/* ---- data */

/* Block index of file, or NULL for a hole. */
static const uint8_t *block_at(const struct ramfs_node *file, uint32_t index)
{
    if (index < RAMFS_DIRECT)
        return file->direct[index];
    index -= RAMFS_DIRECT;
    uint8_t *const *table = file->tables[index / RAMFS_PER_TABLE];
    return table != NULL ? table[index % RAMFS_PER_TABLE] : NULL;
}

size_t ramfs_read(const struct ramfs_node *file, uint32_t off, void *buf, size_t n)
{
    if (off >= file->size)
        return 0;
    n = MIN(n, file->size - off);
    uint8_t *to = buf;
    size_t done = 0;
    while (done < n) {
        uint32_t at = off + (uint32_t)done;
        uint32_t index = at / RAMFS_BLOCK, in = at % RAMFS_BLOCK;
        size_t chunk = MIN(n - done, RAMFS_BLOCK - in);
        const uint8_t *block = block_at(file, index);
        if (block != NULL)
            memcpy(to + done, block + in, chunk);
        else
            memset(to + done, 0, chunk);        /* a hole */
        done += chunk;
    }
    return n;
}

/* A zeroed block, or NULL when out of memory. */
static void *zeroed_block(struct ramfs *fs)
{
    void *b = fs->alloc->block_alloc();
    if (b != NULL)
        memset(b, 0, RAMFS_BLOCK);
    return b;
}

/* Where block index's pointer lives, its table allocated (zeroed) if
 * missing; NULL when out of memory. */
static uint8_t **block_slot(struct ramfs *fs, struct ramfs_node *file, uint32_t index)
{
    if (index < RAMFS_DIRECT)
        return &file->direct[index];
    index -= RAMFS_DIRECT;
    uint8_t ***table = &file->tables[index / RAMFS_PER_TABLE];
    if (*table == NULL) {
        if ((*table = zeroed_block(fs)) == NULL)
            return NULL;
        fs->tables++;
    }
    return &(*table)[index % RAMFS_PER_TABLE];
}

/* The block at index, allocated (zeroed) if it was a hole; NULL when
 * out of memory (a table made on the way stays: truncate or free takes
 * it). */
static uint8_t *block_for_write(struct ramfs *fs, struct ramfs_node *file, uint32_t index)
{
    uint8_t **slot = block_slot(fs, file, index);
    if (slot == NULL)
        return NULL;
    if (*slot == NULL) {
        if ((*slot = zeroed_block(fs)) == NULL)
            return NULL;
        fs->blocks++;
    }
    return *slot;
}

int ramfs_write(struct ramfs *fs, struct ramfs_node *file, uint32_t off, const void *buf,
                size_t n)
{
    if (n == 0)
        return 0;
    if (off >= RAMFS_MAX_SIZE)
        return -ENOSPC;
    n = MIN(n, RAMFS_MAX_SIZE - off);
    const uint8_t *from = buf;
    size_t done = 0;
    while (done < n) {
        uint32_t at = off + (uint32_t)done;
        uint32_t in = at % RAMFS_BLOCK;
        uint8_t *block = block_for_write(fs, file, at / RAMFS_BLOCK);
        if (block == NULL)
            break;
        size_t chunk = MIN(n - done, RAMFS_BLOCK - in);
        memcpy(block + in, from + done, chunk);
        done += chunk;
    }
    if (done == 0)
        return -ENOSPC;
    if (off + done > file->size)
        file->size = off + (uint32_t)done;
    return (int)done;
}

int ramfs_truncate(struct ramfs *fs, struct ramfs_node *file, uint32_t size)
{
    if (size > RAMFS_MAX_SIZE)
        return -ENOSPC;
    if (size < file->size) {
        uint32_t keep = (size + RAMFS_BLOCK - 1) / RAMFS_BLOCK;
        free_blocks_from(fs, file, keep);
        uint32_t in = size % RAMFS_BLOCK;
        /* SAFETY: dropping const: block_at's pointer is into this file's
         * own (writable) block. */
        uint8_t *last = in != 0 ? (uint8_t *)block_at(file, keep - 1) : NULL;
        if (last != NULL)
            memset(last + in, 0, RAMFS_BLOCK - in);
    }
    file->size = size;
    return 0;
}

/* ---- directories, status, paths */

static unsigned char dirent_type(const struct ramfs_node *n)
{
    return ramfs_is_dir(n) ? DT_DIR : DT_REG;
}

static void fill_dirent(struct dirent *d, const struct ramfs_node *n, const char *name)
{
    memset(d, 0, sizeof *d);
    d->d_ino = n->ino;
    d->d_type = dirent_type(n);
    strcpy(d->d_name, name);
}

int ramfs_getdents(const struct ramfs_node *dir, uint32_t *pos, struct dirent *out, size_t max)
{
    if (!ramfs_is_dir(dir))
        return -ENOTDIR;
    if (dir->nlink == 0)
        return 0;               /* removed: empty, not even "." */
    size_t filled = 0;
    if (*pos == 0 && filled < max) {
        fill_dirent(&out[filled++], dir, ".");
        *pos = 1;
    }
    if (*pos == 1 && filled < max) {
        fill_dirent(&out[filled++], dir->parent, "..");
        *pos = 2;
    }
    const struct ramfs_node *n;
    list_for_each_entry(n, &dir->children, sibling) {
        if (filled == max)
            break;
        if (n->cookie < *pos)
            continue;
        fill_dirent(&out[filled++], n, n->name);
        *pos = n->cookie + 1;
    }
    return (int)filled;
}

void ramfs_stat(const struct ramfs_node *node, struct stat *st)
{
    memset(st, 0, sizeof *st);
    st->st_ino = node->ino;
    st->st_mode = node->mode;
    st->st_nlink = node->nlink;
    st->st_size = ramfs_is_dir(node) ? (node->nchildren + 2) * sizeof(struct dirent) : node->size;
}

int ramfs_path(const struct ramfs_node *node, char *buf, size_t n)
{
    if (node->nlink == 0)
        return -ENOENT;
    /* Build it backwards from the end of buf, then move it to the front. */
    if (n < 2)
        return -ERANGE;
    size_t at = n - 1;
    buf[at] = '\0';
    for (const struct ramfs_node *p = node; p->parent != p; p = p->parent) {
        size_t len = strlen(p->name);
        if (at < len + 1)
            return -ERANGE;
        at -= len;
        memcpy(buf + at, p->name, len);
        buf[--at] = '/';
    }
    if (at == n - 1)
        buf[--at] = '/';        /* the root */
    size_t total = n - at;
    memmove(buf, buf + at, total);
    return (int)total;
}
#endif /* LAB >= 4 */
