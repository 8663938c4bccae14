# tools/gdb/demos/01-boot.gdb -- the GDB demo of lab 1's lecture (booting).
#
# `make demo LAB=1` plays it and waits for Enter between steps;
# `make demo LAB=1 DEMO_PAUSE=0` runs it straight through and checks the
# expect lines; `make test-demos` does that for every demo. The format is
# described in tools/gdb/tpgdb/demofile.py: "## " starts a step, "# " lines
# in a step are shown to the audience, "# expect:" lines are checked, the
# other lines are GDB commands. It is also a plain GDB script (`source` it).
#
# It must hold on the lab-1 checkpoint (LAB=1) and on kernels up to LAB=4:
# from lab 5 on, gdt_early_init() loads the GDT before the banner, so the
# lgdt step below comes too late (tools/gdb/tests/test_demo.py, LAST_LAB).
#
# title: Lab 1 -- from the Multiboot entry to the banner and our own GDT
# cmdline:

## Before the first instruction
# QEMU started paused (-S): the CPU sits at the x86 reset vector,
# cs:ip = f000:fff0, in real mode (CR0.PE = 0). The BIOS runs first;
# nothing of ours has run, and there are no descriptor tables yet.
info registers eip cs cr0
# expect-re: ^cr0\s+0x60000010
gdt
# expect: gdt: the CPU is in real mode (CR0.PE = 0)

## The Multiboot entry point: _start
# The loader (QEMU's -kernel here, GRUB on a real machine) has loaded our
# ELF image at 1 MiB, switched to 32-bit protected mode with paging off,
# and jumps to _start (kernel/arch/i386/boot.S). The Multiboot spec fixes:
#   eax = 0x2badb002   proof that a Multiboot loader started us
#   ebx = the physical address of the struct multiboot_info
break _start
continue
# expect-re: ^Breakpoint 1, _start \(\)
x/6i $pc
info registers eax ebx
# expect-re: ^eax\s+0x2badb002
p/x *(struct multiboot_info *)$ebx
# expect-re: flags = 0x[0-9a-f]+, mem_lower = 0x[0-9a-f]+, mem_upper

## Whose GDT is this?
# We are in protected mode, so some GDT is loaded: the loader's, somewhere
# we did not choose. The Multiboot spec says the kernel must not rely on
# it. Our own gdt[] (lab 1, exercise 2) is not loaded yet.
gdt
# expect: (not the kernel's gdt[])
# expect: note: GDTR does not point to the kernel's gdt[]
info registers cs ds ss
# No IDT either: IDTR still holds the BIOS's real-mode vector table.
# This is why _start begins with cli.
idt
# expect: no IDT is loaded yet
# And the kernel has printed nothing yet:
kmsg
# expect: kmsg: the log is empty

## C begins: kmain
# _start zeroes .bss, sets up a stack, pushes a zero frame that ends the
# frame-pointer chain, and calls kmain(magic, info).
break kmain
continue
# expect-re: ^Breakpoint 2, kmain \(
# ktrace walks the frame-pointer chain like the kernel's backtrace()
# (lab 1, exercise 4) and ends at that zero frame:
ktrace
# expect-re: ^#1\s+0x[0-9a-f]{8} in _start\+0x[0-9a-f]+

## The banner
# kmain starts the consoles and prints the banner. Every byte printed also
# goes to kmsg_buf, a ring buffer GDB can read even when the screen and the
# serial line are gone (after a crash, for instance).
break multiboot_parse
continue
kmsg
# expect-re: ^Tidepool \d+\.\d+ \(i386\) -- LAB=\d+ SOLVED=\d+$

## Just before lgdt
# gdt_init() has filled gdt[] with gdt_encode(); gdt_load() is inline
# assembly: lgdt, a far jump to reload CS, movs to reload the others.
# $insn_addr finds the lgdt instruction, which has no line of its own.
break *$insn_addr("gdt_init", "lgdt")
continue
x/8i $pc
# lgdt's operand: the table's limit (size - 1) and its linear address.
p/x *gp
p/x &gdt
gdt
# expect: (not the kernel's gdt[])

## One instruction: lgdt
stepi
gdt
# expect: (the kernel's gdt[])
# expect-re: ^0x08\s+0x00cf9a000000ffff\s+0x00000000\s+0xffffffff\s+1 0\s+code 32-bit execute/read\s+<- CS
# expect-re: ^0x18\s.*\s1 3\s+code 32-bit
# GDTR now points to our table: kernel code 0x08 and data 0x10 with DPL 0,
# user code 0x18 and data 0x20 with DPL 3, all flat 4 GiB, and the TSS.
# The selectors did not change (QEMU's loader happens to use 0x08 and 0x10
# too), but each segment register keeps a cached copy of the old
# descriptor until it is loaded again.

## Reloading the segment registers
# CS can only be loaded by a far jump (or a far call or return); the
# others by mov: ds, es, fs, gs, ss.
stepi
x/i $pc
stepi 6
info registers cs ds es fs gs ss
# expect-re: ^cs\s+0x8\s
# expect-re: ^ss\s+0x10\s

## The task-state segment
# gdt_init() ends with ltr: TR now selects the TSS descriptor (0x28), which
# the CPU marks busy; `gdt` names the variable its base points at, tss.
# The TSS matters from lab 4 on (ring 3 -> ring 0).
finish
gdt
# expect-re: ^0x28\s.*TSS32 busy\s+\(tss\)\s+<- TR
# Compare with step 7: loading the selectors also set the "accessed" bit
# of the data descriptor 0x10 (0x92 -> 0x93 in its access byte).

## The boot log
# The boot ends in the kernel monitor. Everything it printed on the way:
break monitor_main
continue
kmsg
# expect-re: ^Tidepool \d+\.\d+ \(i386\)
# expect: gdt: loaded
# And who called whom, down to _start:
ktrace
# expect-re: ^#0\s+0x[0-9a-f]{8} in monitor_main\+0x[0-9a-f]+
# expect-re: ^#\d+\s+0x[0-9a-f]{8} in kmain\+
