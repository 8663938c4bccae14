/*
 * elf_fuzz.c -- libFuzzer harness over execve's ELF checker
 * (kernel/proc/elf.c): any bytes as the program file, checked against
 * the user range exec.c passes (USER_BASE up to the stack's guard page)
 * and against a small range of a few pages, where every bound is near.
 *
 * Oracles when elf_parse() says ELF_OK, recomputed here in 64 bits so
 * that no wrap-around can hide: 1..ELF_MAX_SEGMENTS segments, each with
 * its file bytes inside the file (touched, as exec's loader copies them:
 * the file is a heap block of exactly its size), filesz <= memsz, memsz
 * >= 1, [vaddr, vaddr + memsz) inside the range, flags only R/W/X, no two
 * sharing a page, the entry inside an executable one. Every answer has a
 * message, and the same file gets the same answer twice.
 *
 *   make fuzz-elf FUZZ_SECONDS=60        (make test-fuzz: a few seconds)
 */
#include "fuzz.h"

#if LAB >= 4
#include "abi/syscall.h"
#include "proc/elf.h"

#define PAGE 4096u
/* exec.c's range: the user stack (16 pages, process.h) and a guard page
 * below it are not for segments. */
#define EXEC_USER_HI (USER_STACK_TOP - 16 * PAGE - PAGE)

static void check_segment(const struct elf_segment *s, const uint8_t *file, size_t size,
                          uint32_t lo, uint32_t hi)
{
    CHECK((uint64_t)s->offset + s->filesz <= size);
    CHECK(s->filesz <= s->memsz && s->memsz >= 1);
    CHECK(s->vaddr >= lo && (uint64_t)s->vaddr + s->memsz <= hi);
    CHECK((s->flags & ~(uint32_t)(ELF_SEG_R | ELF_SEG_W | ELF_SEG_X)) == 0);
    fuzz_touch(file + s->offset, s->filesz);    /* as exec's loader copies them */
}

static int pages_meet(const struct elf_segment *a, const struct elf_segment *b)
{
    uint64_t a0 = a->vaddr / PAGE, a1 = ((uint64_t)a->vaddr + a->memsz - 1) / PAGE;
    uint64_t b0 = b->vaddr / PAGE, b1 = ((uint64_t)b->vaddr + b->memsz - 1) / PAGE;
    return a0 <= b1 && b0 <= a1;
}

static void check_image(const struct elf_image *img, const uint8_t *file, size_t size,
                        uint32_t lo, uint32_t hi)
{
    int entry_ok = 0;
    CHECK(img->nsegments >= 1 && img->nsegments <= ELF_MAX_SEGMENTS);
    for (int i = 0; i < img->nsegments; i++) {
        const struct elf_segment *s = &img->segments[i];
        check_segment(s, file, size, lo, hi);
        for (int j = i + 1; j < img->nsegments; j++)
            CHECK(!pages_meet(s, &img->segments[j]));
        if ((s->flags & ELF_SEG_X) && img->entry >= s->vaddr &&
            (uint64_t)img->entry < (uint64_t)s->vaddr + s->memsz)
            entry_ok = 1;
    }
    CHECK(entry_ok);
}

static void parse_in(const uint8_t *file, size_t size, uint32_t lo, uint32_t hi)
{
    struct elf_image img, again;
    memset(&img, 0xa5, sizeof img);
    enum elf_error err = elf_parse(file, size, lo, hi, &img);
    CHECK(elf_strerror(err) != NULL);
    CHECK(elf_parse(file, size, lo, hi, &again) == err);
    if (err == ELF_OK) {
        check_image(&img, file, size, lo, hi);
        CHECK(memcmp(&img, &again, sizeof img) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *file = fuzz_copy(data, size, 0);
    parse_in(file, size, USER_BASE, EXEC_USER_HI);
    parse_in(file, size, 0x08048000u, 0x0804c000u);
    free(file);
    return 0;
}
#endif /* LAB >= 4 */
