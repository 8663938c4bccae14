# tools/gdb/demos/03-paging.gdb -- the GDB demo of lab 3's lecture
# (physical memory, paging, kernel heap).
#
# `make demo LAB=3` plays it and waits for Enter between steps;
# `make demo LAB=3 DEMO_PAUSE=0` runs it straight through and checks the
# expect lines; `make test-demos` does that for every demo. The format is
# described in tools/gdb/tpgdb/demofile.py (see also 01-boot.gdb).
#
# It needs lab 3 solved (LAB=3 with the default SOLVED, or the full
# kernel): frames_reserve, pte_walk, vm_unmap and vm_handle_fault.
#
# What it shows: `pagewalk` following one virtual address to its frame
# before and after each change of a mapping (tables built but not loaded,
# paging on, vm_map, vm_unmap), and a demand-zero page arriving on first
# touch. Why this command line: the two test cases change mappings at
# addresses fixed by memory_test.c (TEST_VA = KSTACK_AREA + 0x7800000 =
# 0x3f800000, in a 4 MiB block nothing else uses), so the directory index
# (0x0fe) and the faulting addresses are the same on every build; only the
# frames differ, and the expect lines leave those open. The cases run in
# the order of the kernel's test table, vm.demand_zero before
# vm.map_lookup_unmap, whatever the order on the command line.
#
# As in 02-interrupts.gdb, every stop is a tbreak (or a finish), no stop
# resumes from a location that still has a breakpoint, and there is no
# stepi: on a loaded host QEMU's gdbstub sometimes reports a single step
# it has not executed. vm_map, vm_unmap and tlb_invalidate are also
# inlined in places; a tbreak on them has several locations, all deleted
# by the first hit.
#
# title: Lab 3 -- following an address through the page tables, and a demand-zero fault
# cmdline: test=vm.demand_zero,vm.map_lookup_unmap

## Before paging: frames from the memory map
# We stop at the start of paging_init(), called from memory_init() in
# kmain. pmm_init() has run: the usable regions of the memory map went
# into the frame allocator, minus the first MiB, the kernel image, the
# loader's data and the modules (exercise 1). Paging is still off
# (CR0.PG, bit 31, is 0): every address is a physical address.
tbreak paging_init
continue
# expect-re: ^Temporary breakpoint [\d.]+, paging_init \(\) at kernel/arch/i386/paging\.c:\d+
kmsg -n 1
# expect-re: ^pmm: \d+ frames free \(\d+ KiB\), \d+ reserved or above 768 MiB$
p/x $cr0
# expect-re: ^\$\d+ = 0x11$
pagewalk 0x00100000
# expect: paging is off (CR0.PG = 0): the linear address is the physical address, 0x00100000.

## The two bitmaps
# frames.c keeps one bit per frame in two bitmaps: `managed` (usable RAM,
# not reserved) and `used` (handed out). Nothing is handed out yet: every
# managed frame is free, nfree = nmanaged. (fa is static in pmm.c, hence
# the 'pmm.c':: in front.)
p 'pmm.c'::fa
# expect-re: nfree = (\d+), nmanaged = \1, hint = 0\}$
# Bit n of word n / 32 is frame n. The first MiB is frames 0-255: eight
# words of zeros, never managed. The kernel image follows from 1 MiB, so
# the first ones appear only after it.
x/12wx 'pmm.c'::managed_words
# expect-re: <managed_words>:\s+0x00000000\s+0x00000000\s+0x00000000\s+0x00000000$
# expect-re: <managed_words\+16>:\s+0x00000000\s+0x00000000\s+0x00000000\s+0x00000000$
p/x &__kernel_end
# expect-re: ^\$\d+ = 0x1[0-9a-f]{5}$

## The tables are built, not loaded yet
# paging_init() has allocated the page directory, mapped every page of RAM
# at its own address (the direct map, exercise 2's pte_walk doing the
# work) and unmapped the guard page below the boot stack. We stop at the
# invlpg of that vm_unmap(), just before the inline assembly that loads
# CR3. The MMU knows nothing of these tables yet: pagewalk reads them
# from memory when we give it the directory with cr3=.
tbreak *$insn_addr("paging_init", "invlpg")
continue
# expect-re: ^Temporary breakpoint [\d.]+, 0x[0-9a-f]+ in tlb_invalidate
x/i $pc
# expect-re: <paging_init\+\d+>:\s+invlpg\s+\(%[a-z]+\)$
set $pd = (unsigned)kernel_as.pd
p/x $pd
# expect-re: ^\$\d+ = 0x[0-9a-f]+$
pagewalk 0x00100000 cr3=$pd
# expect: (cr3= given; paging is off, CR4.PSE 0)
# expect: directory index 0x000 (bits 31..22), table index 0x100 (bits 21..12), offset 0x000
# expect-re: ^\s+PTE \[0x100\] at 0x[0-9a-f]{8} = 0x00100[0-9a-f]{3}\s+P RW\b.*-> 4 KiB page at 0x00100000$
# expect: => physical 0x00100000: 4 KiB page; writable; kernel only (US = 0)
# The code that runs now, and its stack, are mapped where they are: when
# CR0.PG goes on, the next instruction is fetched through these tables
# from the same address.
pagewalk $pc cr3=$pd
# expect-re: => physical 0x[0-9a-f]{8}: 4 KiB page; writable; kernel only
# The guard page below the boot stack is not mapped: a stack overflow will
# fault there instead of writing over .bss.
pagewalk &boot_stack_guard cr3=$pd
# expect-re: ^\s+PTE \[0x[0-9a-f]{3}\] at 0x[0-9a-f]{8} = 0x00000000\s+-\s+not present$

## Paging on
# The inline assembly sets CR4.PGE (global pages), loads CR3 and sets
# CR0.PG and CR0.WP. We stop in kheap_init(), the next thing memory_init()
# does.
tbreak kheap_init
continue
# expect-re: ^Temporary breakpoint [\d.]+, kheap_init \(debug=true\)
kmsg -n 1
# expect-re: ^paging: on, \d+ MiB direct-mapped, cr0 0x80010011$
info registers cr0 cr3 cr4
# expect-re: ^cr0\s+0x80010011\s+\[ PG WP ET PE \]
# expect-re: ^cr4\s+0x80\s+\[ PGE \]
# The same walk, now by the MMU's rules from CR3. The CPU has used the
# entries since: it set the accessed bit (A) in PDE and PTE.
pagewalk 0x00100000
# expect-re: ^pagewalk 0x00100000: paging on, CR3 0x[0-9a-f]{8}, CR4\.PSE 0$
# expect-re: ^\s+PDE \[0x000\] at 0x[0-9a-f]{8} = 0x[0-9a-f]{5}023\s+P RW A\s+-> page table at 0x[0-9a-f]{8}$
# expect-re: ^\s+PTE \[0x100\] at 0x[0-9a-f]{8} = 0x00100[0-9a-f]{3}\s+P RW( A)?( D)? G\s+-> 4 KiB page at 0x00100000$
# Page 0 is not mapped: a NULL dereference faults.
pagewalk 0
# expect: => no translation: PTE not present (P=0): an access faults (#PF)
# QEMU's own view: the mapped ranges. The first starts at 0x1000 (page 0
# is missing); the hole after it is the guard page.
monitor info mem
# expect-re: ^0000000000001000-[0-9a-f]{16} [0-9a-f]{16} -rw$
p/x (unsigned)&boot_stack_guard
# expect-re: ^\$\d+ = 0x[0-9a-f]+$

## vm_map: a new page table, a new entry
# The test case vm.demand_zero first maps one page at TEST_VA, 0x3f800000,
# so that the page table for these 4 MiB exists before its faults. We
# stop at that vm_map(): directory index 0x0fe has no table yet.
tbreak ktest_fn_vm_demand_zero
continue
# expect-re: ^Temporary breakpoint [\d.]+, ktest_fn_vm_demand_zero \(\)
tbreak vm_map
continue
# expect-re: ^Temporary breakpoint [\d.]+, vm_map \(as=0x[0-9a-f]+ <kernel_as>,
p/x va
# expect-re: ^\$\d+ = 0x3f800000$
set $va = va
set $frame = pa
pagewalk $va
# expect: directory index 0x0fe (bits 31..22), table index 0x000 (bits 21..12), offset 0x000
# expect-re: ^\s+PDE \[0x0fe\] at 0x[0-9a-f]{8} = 0x00000000\s+-\s+not present$
# After vm_map(): pte_walk() allocated a zeroed frame for the table and
# installed it in the directory (P, W); the entry in it points to `pa`.
finish
# expect-re: ^Value returned is \$\d+ = 0$
pagewalk $va
# expect-re: ^\s+PDE \[0x0fe\] at 0x[0-9a-f]{8} = 0x[0-9a-f]{5}0[0-9a-f]{2}\s+P RW\b.*-> page table at 0x[0-9a-f]{8}$
# expect-re: ^\s+PTE \[0x000\] at 0x[0-9a-f]{8} = 0x[0-9a-f]{5}003\s+P RW\s+-> 4 KiB page at 0x[0-9a-f]{8}$
p/x $frame
# expect-re: ^\$\d+ = 0x[0-9a-f]+$

## vm_unmap: the entry goes, the table stays
# The test unmaps the page again at once (it only wanted the table).
# vm_unmap() clears the entry, invalidates the TLB entry for the page
# with invlpg (exercise 3) and returns the frame.
tbreak vm_unmap
continue
# expect-re: ^Temporary breakpoint [\d.]+, vm_unmap \(as=0x[0-9a-f]+ <kernel_as>,
x/i $insn_addr("vm_unmap", "invlpg")
# expect-re: <vm_unmap\+\d+>:\s+invlpg\s+\(%[a-z]+\)$
finish
p $ == $frame
# expect-re: ^\$\d+ = 1$
pagewalk $va
# expect-re: ^\s+PDE \[0x0fe\] at 0x[0-9a-f]{8} = 0x[0-9a-f]{8}\s+P RW\b.*-> page table at 0x[0-9a-f]{8}$
# expect-re: ^\s+PTE \[0x000\] at 0x[0-9a-f]{8} = 0x00000000\s+-\s+not present$

## A demand-zero fault arrives
# The region [TEST_VA + 16 pages, + 8 pages) was registered with
# vm_demand_zero(): no frames yet. The test reads page 2 of it, word 100:
# not present, so #PF. trap() asks vm_handle_fault() (exercise 5) first.
tbreak vm_handle_fault
continue
# expect-re: ^Temporary breakpoint [\d.]+, vm_handle_fault \(addr=\d+, err=0\) at kernel/arch/i386/paging\.c:\d+
# CR2 holds the faulting address; the error code 0 says: not present
# (bit 0), a read (bit 1), in kernel mode (bit 2).
p/x $cr2
# expect-re: ^\$\d+ = 0x3f812190$
p/x addr
# expect-re: ^\$\d+ = 0x3f812190$
set $fault = addr
# How we got here: the test's read, the trap, trap() calling us.
ktrace
# expect-re: ^#0\s+0x[0-9a-f]{8} in vm_handle_fault\+0x[0-9a-f]+ \(kernel/arch/i386/paging\.c:\d+\)
# expect-re: ^--- trap: vector 14 \(#PF page fault\), err 0x0, eip 0x[0-9a-f]{8} ---$
# expect-re: ^#\d+\s+0x[0-9a-f]{8} in ktest_fn_vm_demand_zero\+0x[0-9a-f]+ \(kernel/tests/memory_test\.c:\d+\)
pagewalk $fault
# expect-re: ^\s+PTE \[0x012\] at 0x[0-9a-f]{8} = 0x00000000\s+-\s+not present$
p demand_zero_faults
# expect-re: ^\$\d+ = 0$

## A fresh zeroed frame
# vm_handle_fault() takes a frame, zeroes it, maps it at the faulting page
# with the region's flags, counts the fault and returns true. trap()
# returns, iret goes back to the faulting instruction, and this time the
# read finds a page.
finish
# expect-re: ^Value returned is \$\d+ = true$
# (GDB names the line of read_cr2(), inlined into trap(), where the call
# returns to.)
pagewalk $fault
# expect-re: ^\s+PTE \[0x012\] at 0x[0-9a-f]{8} = 0x[0-9a-f]{5}003\s+P RW\s+-> 4 KiB page at 0x[0-9a-f]{8}$
# expect: => physical
x/4wx $fault & ~0xfff
# expect-re: ^0x3f812000:\s+0x00000000\s+0x00000000\s+0x00000000\s+0x00000000$
p demand_zero_faults
# expect-re: ^\$\d+ = 1$

## The next fault, on another page
# The read ran again and got 0; the test wrote 7 to the same word and read
# it back without a fault: the page is there now. Its next read is in
# page 5 of the region.
tbreak vm_handle_fault
continue
# expect-re: ^Temporary breakpoint [\d.]+, vm_handle_fault \(addr=\d+, err=0\)
p/x addr
# expect-re: ^\$\d+ = 0x3f815008$
x/wx $fault
# expect-re: ^0x3f812190:\s+0x00000007$
finish
# expect-re: ^Value returned is \$\d+ = true$
p demand_zero_faults
# expect-re: ^\$\d+ = 2$
# Two pages of the eight have frames; the others still cost nothing.
monitor info mem
# expect-re: ^000000003f812000-000000003f813000 0000000000001000 -rw$
# expect-re: ^000000003f815000-000000003f816000 0000000000001000 -rw$

## vm.map_lookup_unmap: through the mapping, and back out
# The next test case maps a frame at TEST_VA, writes 0xc0ffee through the
# mapping and reads it back through the direct map. We stop at its
# vm_unmap(): the same word, seen at both addresses.
tbreak ktest_fn_vm_map_lookup_unmap
continue
# expect-re: ^Temporary breakpoint [\d.]+, ktest_fn_vm_map_lookup_unmap \(\)
tbreak vm_unmap
continue
# expect-re: ^Temporary breakpoint [\d.]+, vm_unmap \(
pagewalk $va
# expect-re: ^\s+PTE \[0x000\] at 0x[0-9a-f]{8} = 0x[0-9a-f]{5}0[0-9a-f]{2}\s+P RW\b.*-> 4 KiB page at 0x[0-9a-f]{8}$
# The same walk by hand, in GDB's C: the directory entry's top 20 bits
# are the table's frame, the entry's top 20 bits the page's frame. Both
# are reachable at their own address, through the direct map.
set $pde = kernel_as.pd[$va >> 22]
set $pte = ((unsigned *)($pde & ~0xfff))[($va >> 12) & 0x3ff]
p/x $pte
# expect-re: ^\$\d+ = 0x[0-9a-f]+$
set $frame = $pte & ~0xfff
x/wx $va
# expect-re: ^0x3f800000:\s+0x00c0ffee$
x/wx $frame
# expect-re: ^0x[0-9a-f]+:\s+0x00c0ffee$
# QEMU agrees:
monitor gva2gpa 0x3f800000
# expect-re: ^gpa: 0x[0-9a-f]+$
# After vm_unmap() the translation is gone, and the test checks that a
# read now faults: without the invlpg, the CPU would still find the old
# translation in its TLB (the test read the page just before).
finish
p $ == $frame
# expect-re: ^\$\d+ = 1$
pagewalk $va
# expect-re: ^\s+PTE \[0x000\] at 0x[0-9a-f]{8} = 0x00000000\s+-\s+not present$
tbreak machine_exit
continue
# expect-re: ^Temporary breakpoint [\d.]+, machine_exit \(
kmsg -n 3
# expect: ktest: ok vm.demand_zero
# expect: ktest: ok vm.map_lookup_unmap
# From here, `continue` lets machine_exit() end the kernel and QEMU.
