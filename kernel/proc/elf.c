/*
 * elf.c -- checking an ELF32 i386 executable before execve loads it
 * (see elf.h).
 *
 * The file is user data: every field that decides where bytes are read
 * from or written to is checked here, so the loader can copy segments
 * without checking anything again. Checks run in the order of enum
 * elf_error, each over the whole file, so a file with several faults
 * always reports the one with the lowest number.
 *
 * Bounds are checked as "size <= room left" (room = end - start, with
 * start <= end already known), never as "start + size <= end", which
 * wraps when size is near 2^32 and would let a huge segment pass.
 *
 * Decisions the ABI leaves open:
 *  - Headers other than PT_LOAD are skipped, but they are part of the
 *    program-header table, whose every entry must be inside the file.
 *    What they point to is not checked: the kernel never reads it.
 *  - A PT_LOAD with filesz 0 and memsz 0 loads nothing and owns no page,
 *    so it is skipped like a non-PT_LOAD header (not counted against
 *    ELF_MAX_SEGMENTS, not handed back): it is harmless, so there is no
 *    reason to refuse a file for it.
 *    memsz 0 with filesz > 0 is still ELF_FILESZ_OVER_MEMSZ.
 *  - e_phnum == PN_XNUM (0xffff) means "the count is in section header
 *    0", an extension for huge tables that we do not follow: ELF_BAD_PHDRS.
 *  - The entry point must lie in [vaddr, vaddr + memsz) of a segment
 *    with PF_X; p_flags bits other than R/W/X (OS- or processor-specific)
 *    are dropped.
 *  - user_lo and user_hi are expected page-aligned: the loader maps whole
 *    pages, and a segment inside [user_lo, user_hi) then has all of its
 *    pages inside too.
 *  - *image is written only when the answer is ELF_OK.
 */
#if LAB >= 4
#include "proc/elf.h"
#include <stdbool.h>
#include <string.h>

/* The on-disk layouts (System V ABI, "ELF Header" and "Program Header"),
 * ELF32 only. They are read with memcpy, never by casting a pointer into
 * the file: the file need not be aligned for these structures. */
typedef uint32_t Elf32_Addr;
typedef uint32_t Elf32_Off;
typedef uint16_t Elf32_Half;
typedef uint32_t Elf32_Word;

#define EI_NIDENT 16

typedef struct {
    unsigned char e_ident[EI_NIDENT];
    Elf32_Half e_type;
    Elf32_Half e_machine;
    Elf32_Word e_version;
    Elf32_Addr e_entry;
    Elf32_Off e_phoff;
    Elf32_Off e_shoff;
    Elf32_Word e_flags;
    Elf32_Half e_ehsize;
    Elf32_Half e_phentsize;
    Elf32_Half e_phnum;
    Elf32_Half e_shentsize;
    Elf32_Half e_shnum;
    Elf32_Half e_shstrndx;
} Elf32_Ehdr;

typedef struct {
    Elf32_Word p_type;
    Elf32_Off p_offset;
    Elf32_Addr p_vaddr;
    Elf32_Addr p_paddr;
    Elf32_Word p_filesz;
    Elf32_Word p_memsz;
    Elf32_Word p_flags;
    Elf32_Word p_align;
} Elf32_Phdr;

/* The ABI fixes these sizes; the compiler adds no padding to them. */
_Static_assert(sizeof(Elf32_Ehdr) == 52, "Elf32_Ehdr is 52 bytes");
_Static_assert(sizeof(Elf32_Phdr) == 32, "Elf32_Phdr is 32 bytes");
/* memcpy into these structures reads the file's little-endian fields
 * correctly only on a little-endian machine: i386, and the x86-64 host. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "elf.c reads fields in host order");

#define EI_CLASS      4
#define EI_DATA       5
#define EI_VERSION    6
#define ELFCLASS32    1
#define ELFDATA2LSB   1
#define EV_CURRENT    1
#define EM_386        3
#define ET_EXEC       2
#define PT_LOAD       1
#define PN_XNUM       0xffff
#define PF_X          1
#define PF_W          2
#define PF_R          4

#define PAGE_SHIFT    12

_Static_assert(ELF_SEG_X == PF_X && ELF_SEG_W == PF_W && ELF_SEG_R == PF_R,
               "elf.h's segment flags are ELF's p_flags bits");

static enum elf_error check_ident(const Elf32_Ehdr *eh)
{
    if (memcmp(eh->e_ident, "\x7f" "ELF", 4) != 0)
        return ELF_BAD_MAGIC;
    if (eh->e_ident[EI_CLASS] != ELFCLASS32)
        return ELF_NOT_32BIT;
    if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
        return ELF_NOT_LITTLE_ENDIAN;
    if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
        return ELF_BAD_VERSION;
    if (eh->e_machine != EM_386)
        return ELF_NOT_I386;
    if (eh->e_type != ET_EXEC)
        return ELF_NOT_EXECUTABLE;
    return ELF_OK;
}

/* The whole program-header table lies inside the file. */
static enum elf_error check_phdr_table(const Elf32_Ehdr *eh, size_t size)
{
    if (eh->e_phentsize != sizeof(Elf32_Phdr) || eh->e_phnum == PN_XNUM)
        return ELF_BAD_PHDRS;
    /* At most 0xfffe * 32 bytes: no overflow, even in a 32-bit size_t. */
    size_t table = (size_t)eh->e_phnum * sizeof(Elf32_Phdr);
    if (eh->e_phoff > size || table > size - eh->e_phoff)
        return ELF_BAD_PHDRS;
    return ELF_OK;
}

static void read_phdr(const unsigned char *file, const Elf32_Ehdr *eh, int i, Elf32_Phdr *ph)
{
    memcpy(ph, file + eh->e_phoff + (size_t)i * sizeof *ph, sizeof *ph);
}

/* Does this header describe bytes to load? (See the top of the file.) */
static bool loadable(const Elf32_Phdr *ph)
{
    return ph->p_type == PT_LOAD && (ph->p_filesz != 0 || ph->p_memsz != 0);
}

/* Copy the loadable headers into img, or say there are none or too many. */
static enum elf_error collect_segments(const unsigned char *file, const Elf32_Ehdr *eh,
                                       struct elf_image *img)
{
    img->nsegments = 0;
    for (int i = 0; i < eh->e_phnum; i++) {
        Elf32_Phdr ph;
        read_phdr(file, eh, i, &ph);
        if (!loadable(&ph))
            continue;
        if (img->nsegments == ELF_MAX_SEGMENTS)
            return ELF_TOO_MANY_SEGMENTS;
        img->segments[img->nsegments++] = (struct elf_segment){
            .vaddr = ph.p_vaddr,
            .memsz = ph.p_memsz,
            .offset = ph.p_offset,
            .filesz = ph.p_filesz,
            .flags = ph.p_flags & (ELF_SEG_R | ELF_SEG_W | ELF_SEG_X),
        };
    }
    return img->nsegments == 0 ? ELF_NO_SEGMENTS : ELF_OK;
}

static bool inside_file(const struct elf_segment *s, size_t size)
{
    return s->offset <= size && s->filesz <= size - s->offset;
}

static bool inside_user(const struct elf_segment *s, uint32_t lo, uint32_t hi)
{
    return s->vaddr >= lo && s->vaddr <= hi && s->memsz <= hi - s->vaddr;
}

/* The pages [first, last] a segment touches. Only for segments already
 * inside user space with memsz >= 1, so vaddr + memsz - 1 cannot wrap. */
static uint32_t first_page(const struct elf_segment *s)
{
    return s->vaddr >> PAGE_SHIFT;
}

static uint32_t last_page(const struct elf_segment *s)
{
    return (s->vaddr + s->memsz - 1) >> PAGE_SHIFT;
}

/* Two segments may not share even a page: the page could carry only one
 * set of permissions, and one segment's bytes would land in the other's. */
static bool share_a_page(const struct elf_segment *a, const struct elf_segment *b)
{
    return first_page(a) <= last_page(b) && first_page(b) <= last_page(a);
}

static bool contains(const struct elf_segment *s, uint32_t addr)
{
    return addr >= s->vaddr && addr - s->vaddr < s->memsz;
}

/* Each check over all segments in turn, in the order of enum elf_error. */
static enum elf_error check_segments(const struct elf_image *img, size_t size,
                                     uint32_t user_lo, uint32_t user_hi)
{
    const struct elf_segment *s = img->segments;
    int n = img->nsegments;

    for (int i = 0; i < n; i++)
        if (!inside_file(&s[i], size))
            return ELF_SEGMENT_OUTSIDE_FILE;
    for (int i = 0; i < n; i++)
        if (s[i].filesz > s[i].memsz)
            return ELF_FILESZ_OVER_MEMSZ;
    /* From here on every memsz >= 1: empty segments were skipped, and
     * memsz 0 with filesz > 0 failed just above. */
    for (int i = 0; i < n; i++)
        if (!inside_user(&s[i], user_lo, user_hi))
            return ELF_SEGMENT_OUTSIDE_USER;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (share_a_page(&s[i], &s[j]))
                return ELF_SEGMENTS_OVERLAP;
    return ELF_OK;
}

static enum elf_error check_entry(const struct elf_image *img)
{
    for (int i = 0; i < img->nsegments; i++) {
        const struct elf_segment *s = &img->segments[i];
        if ((s->flags & ELF_SEG_X) && contains(s, img->entry))
            return ELF_OK;
    }
    return ELF_BAD_ENTRY;
}

enum elf_error elf_parse(const void *file, size_t size, uint32_t user_lo, uint32_t user_hi,
                         struct elf_image *image)
{
    Elf32_Ehdr eh;
    struct elf_image img;
    enum elf_error err;

    if (size < sizeof eh)
        return ELF_TOO_SHORT;
    memcpy(&eh, file, sizeof eh);
    if ((err = check_ident(&eh)) != ELF_OK)
        return err;
    if ((err = check_phdr_table(&eh, size)) != ELF_OK)
        return err;
    if ((err = collect_segments(file, &eh, &img)) != ELF_OK)
        return err;
    if ((err = check_segments(&img, size, user_lo, user_hi)) != ELF_OK)
        return err;
    img.entry = eh.e_entry;
    if ((err = check_entry(&img)) != ELF_OK)
        return err;
    *image = img;
    return ELF_OK;
}

static const char *const elf_messages[ELF_ERROR_COUNT] = {
    [ELF_OK] = "ok",
    [ELF_TOO_SHORT] = "too short: smaller than an ELF header",
    [ELF_BAD_MAGIC] = "bad magic: not an ELF file",
    [ELF_NOT_32BIT] = "not a 32-bit ELF file",
    [ELF_NOT_LITTLE_ENDIAN] = "not little-endian",
    [ELF_BAD_VERSION] = "bad ELF version (not 1)",
    [ELF_NOT_I386] = "not an i386 program",
    [ELF_NOT_EXECUTABLE] = "not an executable (ET_EXEC)",
    [ELF_BAD_PHDRS] = "bad program-header table (entry size, or outside the file)",
    [ELF_TOO_MANY_SEGMENTS] = "too many PT_LOAD segments",
    [ELF_NO_SEGMENTS] = "no PT_LOAD segment",
    [ELF_SEGMENT_OUTSIDE_FILE] = "a segment's bytes run past the end of the file",
    [ELF_FILESZ_OVER_MEMSZ] = "a segment's filesz is larger than its memsz",
    [ELF_SEGMENT_OUTSIDE_USER] = "a segment lies outside user space",
    [ELF_SEGMENTS_OVERLAP] = "two segments share a page",
    [ELF_BAD_ENTRY] = "the entry point is not in an executable segment",
};

const char *elf_strerror(enum elf_error error)
{
    if ((unsigned)error >= ELF_ERROR_COUNT)
        return "unknown ELF error";
    return elf_messages[error];
}
#endif /* LAB >= 4 */
