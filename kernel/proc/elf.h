/*
 * elf.h -- checking an ELF32 i386 executable before loading it.
 *
 * execve() trusts nothing in a file: elf_parse() checks every header
 * field it will use (magic, class, byte order, version, machine, type,
 * the program-header table's bounds, each PT_LOAD segment's bounds in
 * the file and in user space, filesz <= memsz, no overlaps, the entry
 * point inside an executable segment) and only then hands back the
 * segments to load. Pure logic: the host tests feed it broken files.
 * (System V ABI, "ELF header" and "Program header"; the i386 supplement.)
 */
#ifndef PROC_ELF_H
#define PROC_ELF_H

#if LAB >= 4
#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGMENTS 8

#define ELF_SEG_X 1     /* p_flags: PF_X, PF_W, PF_R */
#define ELF_SEG_W 2
#define ELF_SEG_R 4

struct elf_segment {
    uint32_t vaddr;     /* where it goes (need not be page-aligned) */
    uint32_t memsz;     /* bytes in memory; those past filesz are zero (bss) */
    uint32_t offset;    /* where its bytes are in the file */
    uint32_t filesz;
    uint32_t flags;     /* ELF_SEG_R/W/X */
};

struct elf_image {
    uint32_t entry;
    int nsegments;
    struct elf_segment segments[ELF_MAX_SEGMENTS];
};

enum elf_error {
    ELF_OK = 0,
    ELF_TOO_SHORT,          /* smaller than an ELF header */
    ELF_BAD_MAGIC,          /* not \x7fELF */
    ELF_NOT_32BIT,          /* EI_CLASS is not ELFCLASS32 */
    ELF_NOT_LITTLE_ENDIAN,  /* EI_DATA is not ELFDATA2LSB */
    ELF_BAD_VERSION,        /* EI_VERSION or e_version is not 1 */
    ELF_NOT_I386,           /* e_machine is not EM_386 */
    ELF_NOT_EXECUTABLE,     /* e_type is not ET_EXEC */
    ELF_BAD_PHDRS,          /* e_phentsize wrong, or the table is outside the file */
    ELF_TOO_MANY_SEGMENTS,  /* more than ELF_MAX_SEGMENTS PT_LOAD segments */
    ELF_NO_SEGMENTS,        /* no PT_LOAD segment */
    ELF_SEGMENT_OUTSIDE_FILE,   /* offset + filesz past the end of the file (or wraps) */
    ELF_FILESZ_OVER_MEMSZ,  /* filesz > memsz */
    ELF_SEGMENT_OUTSIDE_USER,   /* [vaddr, vaddr + memsz) not inside [user_lo, user_hi) (or wraps) */
    ELF_SEGMENTS_OVERLAP,   /* two segments share a page */
    ELF_BAD_ENTRY,          /* the entry point is not inside an executable segment */
    ELF_ERROR_COUNT
};

/* Check file[0..size) and fill *image; user_lo/user_hi bound where
 * segments may go. ELF_OK, or what is wrong first. */
enum elf_error elf_parse(const void *file, size_t size, uint32_t user_lo, uint32_t user_hi,
                         struct elf_image *image);
const char *elf_strerror(enum elf_error error);
#endif /* LAB >= 4 */

#endif
