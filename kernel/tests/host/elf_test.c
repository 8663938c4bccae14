/* elf_test.c -- host tests for kernel/proc/elf.c (checking an ELF32 i386 executable).
 *
 * A valid two-segment executable is built in memory with the host's
 * <elf.h> types (the kernel's elf.c defines its own); each error test
 * breaks one field of it. A real static i386 program compiled by
 * gcc -m32 at test time checks the parser against what the linker
 * writes (skipped if gcc cannot build 32-bit programs). Truncated files
 * are copied into heap blocks of exactly their length, so ASan reports
 * any read past the end. */
#if LAB >= 4
#include <criterion/criterion.h>
#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "proc/elf.h"

#define USER_LO 0x40000000u
#define USER_HI 0xC0000000u
#define PAGE    0x1000u
#define TEXT_VA (USER_LO + 0x1000)
#define DATA_VA (USER_LO + 0x2000)
#define PH_ROOM 10              /* program headers the file has room for */

/* The whole file: header, program headers, text, data. The data is
 * last and ends the file, so cutting any byte off breaks the file. */
struct file {
    Elf32_Ehdr eh;
    Elf32_Phdr ph[PH_ROOM];
    unsigned char text[0x40];
    unsigned char data[0x20];
};
_Static_assert(offsetof(struct file, ph) == sizeof(Elf32_Ehdr), "phdrs follow the header");
_Static_assert(sizeof(struct file) == offsetof(struct file, data) + 0x20, "no tail padding");

static struct file f;

static void valid_file(void)
{
    memset(&f, 0, sizeof f);
    memcpy(f.eh.e_ident, ELFMAG, SELFMAG);
    f.eh.e_ident[EI_CLASS] = ELFCLASS32;
    f.eh.e_ident[EI_DATA] = ELFDATA2LSB;
    f.eh.e_ident[EI_VERSION] = EV_CURRENT;
    f.eh.e_type = ET_EXEC;
    f.eh.e_machine = EM_386;
    f.eh.e_version = EV_CURRENT;
    f.eh.e_entry = TEXT_VA + 0x10;
    f.eh.e_phoff = offsetof(struct file, ph);
    f.eh.e_ehsize = sizeof(Elf32_Ehdr);
    f.eh.e_phentsize = sizeof(Elf32_Phdr);
    f.eh.e_phnum = 2;
    f.ph[0] = (Elf32_Phdr){.p_type = PT_LOAD, .p_offset = offsetof(struct file, text),
                           .p_vaddr = TEXT_VA, .p_paddr = TEXT_VA, .p_filesz = sizeof f.text,
                           .p_memsz = sizeof f.text, .p_flags = PF_R | PF_X, .p_align = PAGE};
    f.ph[1] = (Elf32_Phdr){.p_type = PT_LOAD, .p_offset = offsetof(struct file, data),
                           .p_vaddr = DATA_VA, .p_paddr = DATA_VA, .p_filesz = sizeof f.data,
                           .p_memsz = 0x1000, .p_flags = PF_R | PF_W, .p_align = PAGE};
    memset(f.text, 0x90, sizeof f.text);        /* nop */
    memset(f.data, 0x11, sizeof f.data);
}

static struct elf_image img;

/* Parse file[0..size) from an exactly-sized heap copy, within user space
 * [lo, hi). On an error, *img must be untouched. */
static enum elf_error parse_in(const void *file, size_t size, uint32_t lo, uint32_t hi)
{
    void *copy = malloc(size);
    cr_assert(copy != NULL || size == 0);
    if (size > 0)
        memcpy(copy, file, size);
    struct elf_image before;
    memset(&img, 0xA5, sizeof img);
    before = img;
    enum elf_error err = elf_parse(copy, size, lo, hi, &img);
    free(copy);
    if (err != ELF_OK)
        cr_assert(memcmp(&img, &before, sizeof img) == 0, "%s, but *image was written",
                  elf_strerror(err));
    return err;
}

static enum elf_error parse(void)
{
    return parse_in(&f, sizeof f, USER_LO, USER_HI);
}

/* The file breaks exactly with `want`: names both sides on failure. */
static void expect(enum elf_error want)
{
    enum elf_error got = parse();
    cr_assert_eq(got, want, "got %d (%s), expected %d (%s)", got, elf_strerror(got), want,
                 elf_strerror(want));
}

static void check_segment(int i, uint32_t vaddr, uint32_t memsz, uint32_t offset,
                          uint32_t filesz, uint32_t flags)
{
    const struct elf_segment *s = &img.segments[i];
    cr_assert_eq(s->vaddr, vaddr, "segment %d: vaddr %#x, expected %#x", i, s->vaddr, vaddr);
    cr_assert_eq(s->memsz, memsz, "segment %d: memsz %#x, expected %#x", i, s->memsz, memsz);
    cr_assert_eq(s->offset, offset, "segment %d: offset %#x, expected %#x", i, s->offset, offset);
    cr_assert_eq(s->filesz, filesz, "segment %d: filesz %#x, expected %#x", i, s->filesz, filesz);
    cr_assert_eq(s->flags, flags, "segment %d: flags %#x, expected %#x", i, s->flags, flags);
}

/* Program header i: a PT_LOAD of one page at page `page` of user space,
 * file bytes from the text. */
static void one_page_segment(int i, uint32_t page, uint32_t flags)
{
    f.ph[i] = (Elf32_Phdr){.p_type = PT_LOAD, .p_offset = offsetof(struct file, text),
                           .p_vaddr = USER_LO + page * PAGE, .p_filesz = sizeof f.text,
                           .p_memsz = PAGE, .p_flags = flags, .p_align = PAGE};
}

TestSuite(elf, .init = valid_file, .timeout = 120);

Test(elf, valid_file_parses)
{
    expect(ELF_OK);
    cr_assert_eq(img.entry, TEXT_VA + 0x10);
    cr_assert_eq(img.nsegments, 2);
    check_segment(0, TEXT_VA, sizeof f.text, offsetof(struct file, text), sizeof f.text,
                  ELF_SEG_R | ELF_SEG_X);
    check_segment(1, DATA_VA, 0x1000, offsetof(struct file, data), sizeof f.data,
                  ELF_SEG_R | ELF_SEG_W);
}

Test(elf, every_truncation_fails)
{
    const size_t phdrs_end = offsetof(struct file, ph) + 2 * sizeof(Elf32_Phdr);
    for (size_t n = 0; n < sizeof f; n++) {
        enum elf_error want = n < sizeof(Elf32_Ehdr) ? ELF_TOO_SHORT
                              : n < phdrs_end        ? ELF_BAD_PHDRS
                                                     : ELF_SEGMENT_OUTSIDE_FILE;
        enum elf_error got = parse_in(&f, n, USER_LO, USER_HI);
        cr_assert_eq(got, want, "cut at %zu of %zu: %s, expected %s", n, sizeof f,
                     elf_strerror(got), elf_strerror(want));
    }
}

Test(elf, bad_magic)
{
    for (int i = 0; i < SELFMAG; i++) {
        valid_file();
        f.eh.e_ident[i] ^= 0x20;
        expect(ELF_BAD_MAGIC);
    }
}

Test(elf, class_64)
{
    f.eh.e_ident[EI_CLASS] = ELFCLASS64;
    expect(ELF_NOT_32BIT);
    f.eh.e_ident[EI_CLASS] = ELFCLASSNONE;
    expect(ELF_NOT_32BIT);
}

Test(elf, big_endian)
{
    f.eh.e_ident[EI_DATA] = ELFDATA2MSB;
    expect(ELF_NOT_LITTLE_ENDIAN);
    f.eh.e_ident[EI_DATA] = ELFDATANONE;
    expect(ELF_NOT_LITTLE_ENDIAN);
}

Test(elf, ident_version_0)
{
    f.eh.e_ident[EI_VERSION] = EV_NONE;
    expect(ELF_BAD_VERSION);
}

Test(elf, e_version_0_or_2)
{
    f.eh.e_version = EV_NONE;
    expect(ELF_BAD_VERSION);
    f.eh.e_version = 2;
    expect(ELF_BAD_VERSION);
}

Test(elf, machine_x86_64)
{
    f.eh.e_machine = EM_X86_64;
    expect(ELF_NOT_I386);
    f.eh.e_machine = EM_NONE;
    expect(ELF_NOT_I386);
}

Test(elf, type_not_exec)
{
    static const Elf32_Half types[] = {ET_DYN, ET_REL, ET_CORE, ET_NONE};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        f.eh.e_type = types[i];
        expect(ELF_NOT_EXECUTABLE);
    }
}

Test(elf, phentsize_wrong)
{
    static const Elf32_Half sizes[] = {0, 31, 33, sizeof(Elf64_Phdr), 0xffff};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        f.eh.e_phentsize = sizes[i];
        expect(ELF_BAD_PHDRS);
    }
}

Test(elf, phoff_past_the_end)
{
    f.eh.e_phoff = sizeof f;
    expect(ELF_BAD_PHDRS);
    f.eh.e_phoff = sizeof f - 2 * sizeof(Elf32_Phdr) + 1;  /* the table straddles the end */
    expect(ELF_BAD_PHDRS);
    f.eh.e_phoff = 0xFFFFFFF0;      /* phoff + table wraps 2^32 */
    expect(ELF_BAD_PHDRS);
    f.eh.e_phoff = 0xFFFFFFFF;
    expect(ELF_BAD_PHDRS);
}

Test(elf, phdr_table_ending_at_the_end_is_fine)
{
    /* Put the table last: move it over the data, which now holds it. */
    uint32_t at = sizeof f - 2 * sizeof(Elf32_Phdr);
    f.ph[1].p_offset = offsetof(struct file, text);
    f.ph[1].p_filesz = 0;
    memcpy((unsigned char *)&f + at, f.ph, 2 * sizeof(Elf32_Phdr));
    f.eh.e_phoff = at;
    expect(ELF_OK);
}

Test(elf, phnum_huge)
{
    f.eh.e_phnum = PH_ROOM + 100;
    expect(ELF_BAD_PHDRS);
    f.eh.e_phnum = 0xfffe;
    expect(ELF_BAD_PHDRS);
    f.eh.e_phnum = PN_XNUM;
    expect(ELF_BAD_PHDRS);
}

Test(elf, eight_segments_are_fine)
{
    f.eh.e_phnum = ELF_MAX_SEGMENTS;
    for (int i = 0; i < ELF_MAX_SEGMENTS; i++)
        one_page_segment(i, 1 + i, PF_R | PF_X);
    expect(ELF_OK);
    cr_assert_eq(img.nsegments, ELF_MAX_SEGMENTS);
}

Test(elf, nine_pt_load_segments)
{
    f.eh.e_phnum = ELF_MAX_SEGMENTS + 1;
    for (int i = 0; i < ELF_MAX_SEGMENTS + 1; i++)
        one_page_segment(i, 1 + i, PF_R | PF_X);
    expect(ELF_TOO_MANY_SEGMENTS);
}

Test(elf, nine_headers_but_one_is_not_pt_load)
{
    f.eh.e_phnum = ELF_MAX_SEGMENTS + 1;
    for (int i = 0; i < ELF_MAX_SEGMENTS + 1; i++)
        one_page_segment(i, 1 + i, PF_R | PF_X);
    f.ph[4].p_type = PT_NOTE;
    expect(ELF_OK);
    cr_assert_eq(img.nsegments, ELF_MAX_SEGMENTS);
}

Test(elf, no_pt_load)
{
    f.ph[0].p_type = PT_NOTE;
    f.ph[1].p_type = PT_GNU_STACK;
    expect(ELF_NO_SEGMENTS);
    f.eh.e_phnum = 0;
    expect(ELF_NO_SEGMENTS);
}

Test(elf, other_headers_are_ignored)
{
    /* A PT_NOTE pointing nowhere sensible: the kernel never reads it. */
    f.eh.e_phnum = 4;
    f.ph[2] = (Elf32_Phdr){.p_type = PT_NOTE, .p_offset = 0xFFFFFF00, .p_vaddr = 0x10,
                           .p_filesz = 0x1000, .p_memsz = 0};
    f.ph[3] = (Elf32_Phdr){.p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W};
    expect(ELF_OK);
    cr_assert_eq(img.nsegments, 2);
}

Test(elf, other_headers_must_be_in_the_file)
{
    /* Move the table to the end: its two PT_LOAD entries fit, the third
     * entry (a PT_NOTE) runs 16 bytes past the end of the file. */
    uint32_t at = sizeof f - 2 * sizeof(Elf32_Phdr) - 16;
    memcpy((unsigned char *)&f + at, f.ph, 2 * sizeof(Elf32_Phdr));
    f.eh.e_phoff = at;
    f.eh.e_phnum = 2;
    expect(ELF_OK);
    f.eh.e_phnum = 3;
    expect(ELF_BAD_PHDRS);
}

Test(elf, empty_pt_load_is_skipped)
{
    /* memsz 0 and filesz 0: nothing to load, so nothing to check. */
    f.eh.e_phnum = 3;
    f.ph[2] = (Elf32_Phdr){.p_type = PT_LOAD, .p_offset = 0xFFFFFFFF, .p_vaddr = 0x10,
                           .p_flags = PF_R | PF_X};
    expect(ELF_OK);
    cr_assert_eq(img.nsegments, 2);
    f.ph[0].p_type = f.ph[1].p_type = PT_NULL;
    expect(ELF_NO_SEGMENTS);
}

Test(elf, memsz_0_with_file_bytes)
{
    f.ph[1].p_memsz = 0;
    expect(ELF_FILESZ_OVER_MEMSZ);
}

Test(elf, offset_plus_filesz_past_the_file)
{
    f.ph[1].p_filesz += 1;
    f.ph[1].p_memsz = 0x1000;
    expect(ELF_SEGMENT_OUTSIDE_FILE);
    valid_file();
    f.ph[1].p_offset += 1;
    expect(ELF_SEGMENT_OUTSIDE_FILE);
    valid_file();
    f.ph[1].p_offset = sizeof f + 1;
    f.ph[1].p_filesz = 0;
    expect(ELF_SEGMENT_OUTSIDE_FILE);
}

Test(elf, offset_plus_filesz_wraps_2_32)
{
    /* offset + filesz = 2^32 + 0x10: a 32-bit sum would be 0x10. */
    f.ph[0].p_filesz = 0xFFFFFFFFu - f.ph[0].p_offset + 1 + 0x10;
    f.ph[0].p_memsz = f.ph[0].p_filesz;
    expect(ELF_SEGMENT_OUTSIDE_FILE);
    valid_file();
    f.ph[0].p_offset = 0xFFFFFFF0;
    f.ph[0].p_filesz = 0x20;            /* sums to 0x10 */
    expect(ELF_SEGMENT_OUTSIDE_FILE);
}

Test(elf, filesz_over_memsz)
{
    f.ph[1].p_memsz = f.ph[1].p_filesz - 1;
    expect(ELF_FILESZ_OVER_MEMSZ);
}

Test(elf, filesz_equal_memsz_is_fine)
{
    f.ph[1].p_memsz = f.ph[1].p_filesz;
    expect(ELF_OK);
}

Test(elf, segment_below_user_lo)
{
    f.ph[1].p_vaddr = USER_LO - PAGE;
    expect(ELF_SEGMENT_OUTSIDE_USER);
    f.ph[1].p_vaddr = USER_LO - 1;      /* starts one byte below, ends above */
    expect(ELF_SEGMENT_OUTSIDE_USER);
    f.ph[1].p_vaddr = 0;
    expect(ELF_SEGMENT_OUTSIDE_USER);
}

Test(elf, segment_at_user_lo_is_fine)
{
    f.ph[1].p_vaddr = USER_LO;
    expect(ELF_OK);
}

Test(elf, segment_ending_past_user_hi)
{
    f.ph[1].p_vaddr = USER_HI - f.ph[1].p_memsz + 1;
    expect(ELF_SEGMENT_OUTSIDE_USER);
    f.ph[1].p_vaddr = USER_HI;
    expect(ELF_SEGMENT_OUTSIDE_USER);
    f.ph[1].p_vaddr = 0xFFFFF000;
    expect(ELF_SEGMENT_OUTSIDE_USER);
}

Test(elf, segment_ending_at_user_hi_is_fine)
{
    f.ph[1].p_vaddr = USER_HI - f.ph[1].p_memsz;
    expect(ELF_OK);
}

Test(elf, vaddr_plus_memsz_wraps_2_32)
{
    /* With user space up to 0xffffffff only the wrap is wrong: the
     * 32-bit sum 0x50000000 + 0xb0001000 is 0x1000, "below" user_hi. */
    f.ph[1].p_vaddr = 0x50000000;
    f.ph[1].p_memsz = 0xB0001000;
    cr_assert_eq(parse_in(&f, sizeof f, USER_LO, 0xFFFFFFFF), ELF_SEGMENT_OUTSIDE_USER);
    f.ph[1].p_memsz = 0xFFFFFFFF;
    cr_assert_eq(parse_in(&f, sizeof f, USER_LO, 0xFFFFFFFF), ELF_SEGMENT_OUTSIDE_USER);
    f.ph[1].p_memsz = 0xAFFFFFFF;       /* ends exactly at user_hi: fine */
    cr_assert_eq(parse_in(&f, sizeof f, USER_LO, 0xFFFFFFFF), ELF_OK);
}

Test(elf, empty_user_space)
{
    cr_assert_eq(parse_in(&f, sizeof f, USER_HI, USER_LO), ELF_SEGMENT_OUTSIDE_USER);
}

Test(elf, segments_overlapping_bytes)
{
    f.ph[1].p_vaddr = TEXT_VA + 0x20;
    expect(ELF_SEGMENTS_OVERLAP);
    f.ph[1].p_vaddr = TEXT_VA;
    expect(ELF_SEGMENTS_OVERLAP);
}

Test(elf, segments_sharing_a_page)
{
    /* Text ends at +0x40, data starts at +0x800: no byte in common, but
     * one page would need both R-X and RW-. */
    f.ph[1].p_vaddr = TEXT_VA + 0x800;
    f.ph[1].p_memsz = 0x100;
    expect(ELF_SEGMENTS_OVERLAP);
    /* Text moved to the middle of its page; data comes from the page
     * below and ends in text's page, before text starts. */
    f.ph[0].p_vaddr = TEXT_VA + 0x800;
    f.eh.e_entry = TEXT_VA + 0x800;
    f.ph[1].p_vaddr = TEXT_VA - 0x100;
    f.ph[1].p_memsz = 0x200;
    expect(ELF_SEGMENTS_OVERLAP);
    f.ph[1].p_memsz = 0x100;            /* ends at text's page: fine */
    expect(ELF_OK);
}

Test(elf, segments_on_adjacent_pages_are_fine)
{
    /* Text fills its page exactly; data starts on the next one. */
    f.ph[0].p_memsz = PAGE;
    f.ph[1].p_vaddr = TEXT_VA + PAGE;
    expect(ELF_OK);
    /* And the other way round: data just below text's page. */
    f.ph[1].p_vaddr = TEXT_VA - f.ph[1].p_memsz;
    expect(ELF_OK);
}

Test(elf, overlap_between_non_neighbours)
{
    f.eh.e_phnum = 3;
    one_page_segment(2, 0x100, PF_R);
    f.ph[2].p_filesz = 0;
    f.ph[2].p_memsz = 1;
    expect(ELF_OK);
    f.ph[2].p_vaddr = TEXT_VA + 0xFFF;  /* the last byte of text's page only */
    expect(ELF_SEGMENTS_OVERLAP);
}

Test(elf, entry_outside_every_segment)
{
    f.eh.e_entry = USER_LO + 0x10000;
    expect(ELF_BAD_ENTRY);
    f.eh.e_entry = 0;
    expect(ELF_BAD_ENTRY);
}

Test(elf, entry_in_a_segment_that_is_not_executable)
{
    f.eh.e_entry = DATA_VA;
    expect(ELF_BAD_ENTRY);
}

Test(elf, entry_at_the_edges_of_text)
{
    f.eh.e_entry = TEXT_VA;
    expect(ELF_OK);
    f.eh.e_entry = TEXT_VA + sizeof f.text - 1;
    expect(ELF_OK);
    f.eh.e_entry = TEXT_VA + sizeof f.text;     /* one past the end */
    expect(ELF_BAD_ENTRY);
    f.eh.e_entry = TEXT_VA - 1;
    expect(ELF_BAD_ENTRY);
}

Test(elf, flags_other_than_rwx_are_dropped)
{
    f.ph[0].p_flags |= PF_MASKPROC | 0x00100000; /* processor and OS bits */
    expect(ELF_OK);
    cr_assert_eq(img.segments[0].flags, ELF_SEG_R | ELF_SEG_X);
}

Test(elf, the_lowest_numbered_error_wins)
{
    /* Segment 0 has filesz > memsz, segment 1 runs past the file: the
     * file check comes first in enum elf_error, whatever the order of
     * the segments. */
    f.ph[0].p_memsz = f.ph[0].p_filesz - 1;
    f.ph[1].p_filesz = 0x1000;
    expect(ELF_SEGMENT_OUTSIDE_FILE);
    valid_file();
    f.eh.e_machine = EM_X86_64;
    f.eh.e_phentsize = 0;
    expect(ELF_NOT_I386);
    valid_file();
    f.ph[0].p_vaddr = 0;                /* outside user space */
    f.ph[1].p_memsz = 1;                /* filesz > memsz */
    expect(ELF_FILESZ_OVER_MEMSZ);
}

Test(elf, strerror_names_every_error)
{
    for (int i = 0; i < ELF_ERROR_COUNT; i++) {
        const char *s = elf_strerror((enum elf_error)i);
        cr_assert(s != NULL && s[0] != '\0', "error %d has no message", i);
        for (int j = 0; j < i; j++)
            cr_assert_str_neq(s, elf_strerror((enum elf_error)j), "errors %d and %d", i, j);
    }
    cr_assert(elf_strerror(ELF_ERROR_COUNT) != NULL);
    cr_assert(elf_strerror((enum elf_error)-1) != NULL);
}

/* ---- a real program, linked by GNU ld ---- */

static const char program[] =
    "static const char msg[] = \"hello\";\n"
    "int counter = 3;\n"
    "char buf[8192];\n"
    "void _start(void)\n"
    "{\n"
    "    buf[0] = msg[counter];\n"
    "    for (;;)\n"
    "        ;\n"
    "}\n";

static int run(const char *cmd)
{
    int st = system(cmd);
    return st == -1 ? -1 : WEXITSTATUS(st);
}

/* Compile `program` as a static i386 executable linked at USER_LO and
 * return its bytes (malloc'ed), or skip the test without gcc -m32. */
static unsigned char *build_program(size_t *len)
{
    char dir[] = "/tmp/tidepool-elf-XXXXXX";
    cr_assert(mkdtemp(dir) != NULL);
    char path[64], cmd[512];
    snprintf(path, sizeof path, "%s/p.c", dir);
    FILE *src = fopen(path, "w");
    cr_assert(src != NULL);
    cr_assert_eq(fputs(program, src) >= 0, 1);
    cr_assert_eq(fclose(src), 0);
    snprintf(cmd, sizeof cmd,
             "cd '%s' && gcc -m32 -static -nostdlib -fno-pie -no-pie -O1 "
             "-Wl,-Ttext-segment=%#x -Wl,--build-id=none p.c -o p 2>/dev/null",
             dir, USER_LO);
    int built = run(cmd);
    unsigned char *bytes = NULL;
    if (built == 0) {
        snprintf(path, sizeof path, "%s/p", dir);
        FILE *in = fopen(path, "rb");
        cr_assert(in != NULL);
        cr_assert_eq(fseek(in, 0, SEEK_END), 0);
        long n = ftell(in);
        cr_assert_gt(n, 0);
        rewind(in);
        bytes = malloc((size_t)n);
        cr_assert(bytes != NULL);
        cr_assert_eq(fread(bytes, 1, (size_t)n, in), (size_t)n);
        fclose(in);
        *len = (size_t)n;
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(run(cmd), 0);
    if (built != 0)
        cr_skip_test("gcc -m32 cannot build a static i386 program (install gcc-multilib)");
    return bytes;
}

/* The host's reading of the program headers: what elf_parse must agree with. */
static const Elf32_Phdr *phdr(const unsigned char *file, int i)
{
    const Elf32_Ehdr *eh = (const Elf32_Ehdr *)file;
    return (const Elf32_Phdr *)(file + eh->e_phoff) + i;
}

TestSuite(elf_gcc, .timeout = 120);

Test(elf_gcc, real_static_program)
{
    size_t len;
    unsigned char *file = build_program(&len);
    cr_assert_eq(parse_in(file, len, USER_LO, USER_HI), ELF_OK);

    const Elf32_Ehdr *eh = (const Elf32_Ehdr *)file;
    cr_assert_eq(img.entry, eh->e_entry);
    int n = 0;
    bool has_bss = false;
    for (int i = 0; i < eh->e_phnum; i++) {
        const Elf32_Phdr *ph = phdr(file, i);
        if (ph->p_type != PT_LOAD)
            continue;
        cr_assert_lt(n, img.nsegments);
        check_segment(n, ph->p_vaddr, ph->p_memsz, ph->p_offset, ph->p_filesz,
                      ph->p_flags & (PF_R | PF_W | PF_X));
        has_bss |= ph->p_memsz > ph->p_filesz;
        n++;
    }
    cr_assert_eq(img.nsegments, n);
    cr_assert_geq(n, 2, "expected text and data segments, got %d", n);
    cr_assert(has_bss, "buf[] should make a segment with memsz > filesz");
    free(file);
}

/* Every prefix of the real program: an error until the last byte any
 * segment or header needs is in, and ELF_OK from there on (the section
 * headers at the end are not needed). */
Test(elf_gcc, every_truncation_of_a_real_program)
{
    size_t len;
    unsigned char *file = build_program(&len);
    const Elf32_Ehdr *eh = (const Elf32_Ehdr *)file;
    size_t needed = eh->e_phoff + eh->e_phnum * sizeof(Elf32_Phdr);
    for (int i = 0; i < eh->e_phnum; i++) {
        const Elf32_Phdr *ph = phdr(file, i);
        if (ph->p_type == PT_LOAD && ph->p_offset + ph->p_filesz > needed)
            needed = ph->p_offset + ph->p_filesz;
    }
    cr_assert_leq(needed, len);
    for (size_t n = 0; n <= len; n++) {
        enum elf_error got = parse_in(file, n, USER_LO, USER_HI);
        if (n < needed)
            cr_assert_neq(got, ELF_OK, "cut at %zu of %zu (needs %zu) parsed", n, len, needed);
        else
            cr_assert_eq(got, ELF_OK, "cut at %zu of %zu: %s", n, len, elf_strerror(got));
    }
    free(file);
}
#endif /* LAB >= 4 */
