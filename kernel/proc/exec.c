/*
 * exec.c -- execve: a new program in a process.
 *
 * The program comes from the file system (read whole into kernel memory
 * by vfs_load(), so a program written at run time runs too) as an ELF
 * file that elf_parse() has checked field by field. We build the new address space
 * completely -- segments, bss zeroed, the stack with argv, envp and the
 * auxiliary vector -- before touching the process: a bad file leaves the
 * caller running its old program, with -ENOEXEC.
 *
 * The new address space is not the one in CR3, so we write into it
 * through the direct map (as_write), page by page.
 */
#if LAB >= 4
#include "proc/elf.h"
#include "proc/process.h"
#include "proc/thread.h"
#include "proc/sched.h"
#include "fs/file.h"
#include "fs/vfs.h"
#include "mm/uvm.h"
#include "abi/auxv.h"
#include "abi/errno.h"
#include "abi/rlimit.h"
#include "abi/syscall.h"
#include "arch/i386/fpu.h"
#include "arch/i386/syscall_arch.h"
#include "console.h"
#include "lab.h"
#include "trace.h"
#include <string.h>

#define PAGE_UP(x) (((x) + PAGE_SIZE - 1) & ~(uintptr_t)(PAGE_SIZE - 1))

/* Copy n bytes to user address va of `as` (mapped, any permission). */
static int as_write(struct addr_space *as, uintptr_t va, const void *src, size_t n)
{
    const uint8_t *from = src;
    while (n > 0) {
        paddr_t pa;
        if (!vm_lookup(as, va, &pa, NULL))
            return -EFAULT;
        size_t chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1));
        if (chunk > n)
            chunk = n;
        /* SAFETY: integer -> pointer through the direct map: pa is a user
         * frame of `as` (below KERNEL_DIRECT_END), chunk stays in its page. */
        memcpy((void *)(uintptr_t)pa, from, chunk);
        va += chunk;
        from += chunk;
        n -= chunk;
    }
    return 0;
}

/* One PT_LOAD segment: map [vaddr, vaddr + memsz) with zeroed frames,
 * then copy filesz bytes from the file; the rest stays zero (bss). */
static int load_segment(struct addr_space *as, const uint8_t *file, const struct elf_segment *seg)
{
#if SOLVED >= 4
    uint32_t flags = seg->flags & ELF_SEG_W ? PTE_W : 0;
    int err = uvm_map_zeroed(as, seg->vaddr, seg->memsz, flags);
    if (err != 0)
        return err;
    return as_write(as, seg->vaddr, file + seg->offset, seg->filesz);
#else
    /* LAB 4 exercise 7: map fresh zeroed user pages over [vaddr, vaddr +
     * memsz) -- writable only if the segment is (ELF_SEG_W) -- with
     * uvm_map_zeroed(), then copy the segment's filesz bytes from
     * file + offset to vaddr with as_write(). Why does nothing have to
     * clear the bss part? */
    (void)as; (void)file; (void)seg; (void)as_write;
    LAB_TODO(4, 7, "load_segment()");
    return -ENOEXEC;
#endif
}

/* Lay out argc, argv, envp, auxv and the strings below USER_STACK_TOP
 * (see abi/auxv.h); the new esp, or 0 if they do not fit. */
static uintptr_t build_stack(struct addr_space *as, char *const argv[], int argc,
                             char *const envp[], int envc)
{
    uintptr_t stack_low = USER_STACK_TOP - PROC_STACK_PAGES * PAGE_SIZE;
    uintptr_t sp = USER_STACK_TOP;
    uint32_t ptrs[EXEC_MAX_ARGS + 1];       /* user addresses of the strings */
#if SOLVED >= 4
    /* The strings first, at the top; each one's address is remembered. */
    for (int i = argc + envc - 1; i >= 0; i--) {
        const char *s = i < argc ? argv[i] : envp[i - argc];
        size_t len = strlen(s) + 1;
        if (sp - stack_low < len + 1024)
            return 0;
        sp -= len;
        if (as_write(as, sp, s, len) != 0)
            return 0;
        ptrs[i] = sp;
    }
    /* Then the vectors, from the auxv at the top down to argc at esp. */
    uint32_t words[EXEC_MAX_ARGS + 12];
    int n = 0;
    words[n++] = (uint32_t)argc;
    for (int i = 0; i < argc; i++)
        words[n++] = ptrs[i];
    words[n++] = 0;
    for (int i = 0; i < envc; i++)
        words[n++] = ptrs[argc + i];
    words[n++] = 0;
    words[n++] = AT_PAGESZ;
    words[n++] = PAGE_SIZE;
    words[n++] = AT_SYSENTER;
    words[n++] = sysenter_enabled;
    words[n++] = AT_NULL;
    words[n++] = 0;
    sp = (sp - n * sizeof(uint32_t)) & ~15u;    /* argc 16-byte aligned */
    if (sp < stack_low || as_write(as, sp, words, n * sizeof(uint32_t)) != 0)
        return 0;
    return sp;
#else
    /* LAB 4 exercise 8: copy the argv and envp strings to the top of the
     * stack (as_write), then below them the words
     *     argc, argv[0..argc-1], 0, envp[0..envc-1], 0,
     *     AT_PAGESZ, 4096, AT_SYSENTER, sysenter_enabled, AT_NULL, 0
     * with argc's address 16-byte aligned; return that address (the new
     * esp), or 0 if it would not fit above stack_low. */
    (void)as; (void)argv; (void)argc; (void)envp; (void)envc; (void)sp; (void)ptrs;
    (void)stack_low;
    LAB_TODO(4, 8, "build_stack()");
    return 0;
#endif
}

/* The name a program runs under: the last part of its path. */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

/* A program file read whole into frames (fs/vfs.h). */
struct loaded_file {
    uint8_t *data;
    size_t size;
    size_t pages;
};

static int exec_image(struct process *p, struct trapframe *tf, const char *path,
                      const struct loaded_file *f, char *const argv[], int argc,
                      char *const envp[], int envc);

int exec_into(struct process *p, struct trapframe *tf, const char *path,
              char *const argv[], int argc, char *const envp[], int envc)
{
    struct loaded_file f;
    int err = vfs_load(p, path, &f.data, &f.size, &f.pages);
    if (err != 0)
        return err;
    err = exec_image(p, tf, path, &f, argv, argc, envp, envc);
    vfs_unload(f.data, f.pages);
    if (err == 0)
        file_table_exec(p);     /* the new program: without the FD_CLOEXEC files */
    return err;
}

/* The pages the image's segments cover (they share none: elf_parse
 * refuses that, and every segment has memsz >= 1). */
static size_t image_pages(const struct elf_image *image)
{
    size_t pages = 0;
    for (int i = 0; i < image->nsegments; i++) {
        const struct elf_segment *s = &image->segments[i];
        pages += ((s->vaddr + s->memsz - 1) >> PAGE_SHIFT) - (s->vaddr >> PAGE_SHIFT) + 1;
    }
    return pages;
}

/* exec_into's work on the file's bytes, in kernel memory. */
static int exec_image(struct process *p, struct trapframe *tf, const char *path,
                      const struct loaded_file *f, char *const argv[], int argc,
                      char *const envp[], int envc)
{
    int err = 0;
    struct elf_image image;
    enum elf_error bad = elf_parse(f->data, f->size, USER_BASE,
                                   USER_STACK_TOP - PROC_STACK_PAGES * PAGE_SIZE - PAGE_SIZE,
                                   &image);
    if (bad != ELF_OK) {
        kprintf("exec %s: not an executable: %s\n", path, elf_strerror(bad));
        return -ENOEXEC;
    }
    /* Over the memory cap before a frame is taken: a bss of 2 GiB would
     * otherwise take every free frame before the check below, and any
     * other process faulting meanwhile would find none and be killed. */
    if (image_pages(&image) + PROC_STACK_PAGES > TP_MEM_MAX / PAGE_SIZE)
        return -ENOMEM;
    struct addr_space *as = uvm_create();
    if (as == NULL)
        return -ENOMEM;
    uintptr_t end = USER_BASE;
    for (int i = 0; i < image.nsegments && err == 0; i++) {
        err = load_segment(as, f->data, &image.segments[i]);
        if (image.segments[i].vaddr + image.segments[i].memsz > end)
            end = image.segments[i].vaddr + image.segments[i].memsz;
    }
    uintptr_t stack_low = USER_STACK_TOP - PROC_STACK_PAGES * PAGE_SIZE;
    if (err == 0)
        err = uvm_map_zeroed(as, stack_low, PROC_STACK_PAGES * PAGE_SIZE, PTE_W);
    uintptr_t sp = err == 0 ? build_stack(as, argv, argc, envp, envc) : 0;
    size_t pages = uvm_mapped_pages(as);
    if (err == 0 && sp != 0 && pages > TP_MEM_MAX / PAGE_SIZE)
        err = -ENOMEM;          /* the program alone is over the memory cap */
    if (err != 0 || sp == 0) {
        uvm_destroy(as);
        return err != 0 ? err : -E2BIG;
    }

    /* Past the point of no return: the old program is gone. */
    struct addr_space *old = proc_set_as(p, as);
    if (proc_current() == p)
        vm_activate(as);
    if (old != NULL)
        uvm_destroy(old);
    p->heap_start = p->brk = PAGE_UP(end);
    p->image_pages = pages;     /* what TP_MEM_MAX counts besides the heap */
    memset(p->name, 0, sizeof p->name);
    strncpy(p->name, base_name(path), PROC_NAME_MAX - 1);
    if (proc_current() == p) {
        strncpy(current_thread->name, p->name, THREAD_NAME_MAX - 1);
        trace_thread_named(current_thread);
    }
    uint32_t sysenter_marker = tf->err;
    memset(&tf->edi, 0, (size_t)((char *)&tf->vector - (char *)&tf->edi));  /* the registers */
    tf->err = sysenter_marker;
    tf->eip = image.entry;
    tf->esp = sp;
    if (proc_current() == p)
        fpu_init_state(current_thread->fpu_state), fpu_restore(current_thread->fpu_state);
    return 0;
}
#endif /* LAB >= 4 */
