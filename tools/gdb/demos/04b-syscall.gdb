# tools/gdb/demos/04b-syscall.gdb -- the second GDB demo of lab 4's
# lecture (part 2: user processes and system calls).
#
# `make demo LAB=4 DEMO=syscall` plays it and waits for Enter between
# steps; with DEMO_PAUSE=0 it runs straight through and checks the expect
# lines; `make test-demos` does that for every demo. The format is
# described in tools/gdb/tpgdb/demofile.py (see also 01-boot.gdb).
#
# It needs lab 4 solved, with its user programs: the initrd beside the
# kernel (`# initrd: yes`) and build/.../userland/bin/hello with symbols.
#
# What it shows: one write() of /bin/hello, followed from main into the
# kernel and back. The libc's wrapper, the door it calls through the
# pointer chosen at start from the auxiliary vector (AT_SYSENTER), the
# two-word frame the door builds for sysexit, the sysenter instruction
# (stepi: ring 3 to ring 0 in one instruction), the small frame that
# sysenter_entry's fast path builds on the thread's kernel stack before
# it calls the handler from syscall_table, sys_write with its
# arguments and the user's string read through the process's page
# tables, and the way back through sysexit (stepi: ring 0 to ring 3).
# Why this program: run=/bin/hello makes it process 1, alone, and its
# only write() is the printf of one line, so every stop is the same on
# every run. Every stop is a tbreak; the three stepi cross one
# instruction each (a jmp, sysenter, sysexit) and the expect lines after
# them check where they landed.
#
# title: Lab 4 -- one system call, from main() into the kernel and back
# cmdline: run=/bin/hello
# initrd: yes

## A user program, and its symbols
# QEMU is stopped before the BIOS. GDB has the kernel's symbols; the
# program's are in build/.../userland/bin/hello (the initrd has a
# stripped copy of the same file). usymbols loads them: every program is
# linked at 0x40000000 (userland/user.ld), so no offset is needed.
usymbols hello
# expect-re: ^usymbols: \S*userland/bin/hello: symbols of the program 'hello' \(entry 0x40000000\)$
# A breakpoint on a user address, set before the program exists: QEMU
# compares it with the virtual pc in every address space -- it would
# stop any process that runs code at 0x40000020.
tbreak main
# expect-re: ^Temporary breakpoint \d+ at 0x4000[0-9a-f]{4}: file userland/bin/hello\.c, line \d+\.$
continue
# expect-re: ^Temporary breakpoint \d+, main \(\) at userland/bin/hello\.c:\d+$
# The CPU is in ring 3: the low two bits of cs are the privilege level.
p $cs & 3
# expect-re: ^\$\d+ = 3$
tasks
# expect-re: ^\s+2  running   hello\s+1 hello\s+-\s+user mode, pc 0x4000[0-9a-f]{4} in main \(userland/bin/hello\.c:\d+\)$

## Into the libc: write()
# printf formats the line into stdout's buffer; stdout is the console,
# so it is line-buffered, and at the '\n' the buffer goes to write(fd,
# buf, n), the libc's wrapper for system call 4. GDB's own backtrace
# works in user space (the libc has debug information; inlined frames
# are marked).
tbreak write
continue
# expect-re: ^Temporary breakpoint \d+, write \(fd=(fd@entry=)?1, buf=(buf@entry=)?0x[0-9a-f]+( <stdout_buf>)?, n=n@entry=25\) at userland/lib/syscalls\.c:\d+$
bt
# expect-re: ^#\d+\s+0x[0-9a-f]{8} in printf \(
# expect-re: ^#\d+\s+0x[0-9a-f]{8} in main \(\) at userland/bin/hello\.c:\d+$
x/s buf
# expect-re: ^0x[0-9a-f]+( <stdout_buf>)?:\s+"hello from ring 3, pid 1\\n"$

## Which door: int $0x80 or sysenter
# Every wrapper loads the ABI's registers itself (userland/lib/libc.h:
# libc_syscall3, inlined into write: eax = 4, ebx = fd, ecx = buf,
# edx = n) and calls through a pointer: the door the libc chose once, at
# start.
tbreak *$insn_addr($pc, "call")
continue
# expect-re: ^Temporary breakpoint \d+, .*(write|libc_syscall3)
x/i $pc
# expect-re: =>.*:\s+call\s+\*0x[0-9a-f]+$
p libc_door
# expect-re: ^\$\d+ = \(void \(\*\)\(void\)\) 0x4000[0-9a-f]{4} <sysenter_door>$
# Why sysenter: the kernel said it takes it. exec put the auxiliary
# vector on the new stack, pairs of (type, value): AT_PAGESZ (6) = 4096,
# AT_SYSENTER (0x7401) = 1, AT_NULL. (SYSCALL=int80 in the environment
# would pick int $0x80.)
p/x auxv[0]@6
# expect-re: ^\$\d+ = \{0x6, 0x1000, 0x7401, 0x1, 0x0, 0x0\}$

## The door builds the frame sysexit will need
# One instruction, the call, into sysenter_door (userland/lib/
# syscall_entry.S). sysenter saves neither the user's eip nor its esp,
# so the door leaves them on the user stack and points ebp at them.
stepi
# expect-re: ^sysenter_door \(\) at userland/lib/syscall_entry\.S:\d+$
x/16i $pc
# expect-re: :\s+push\s+\$0x4000[0-9a-f]{4}$
# expect-re: :\s+sysenter\s*$
tbreak *$insn_addr($pc, "sysenter")
continue
# expect-re: ^Temporary breakpoint \d+, sysenter_door \(\) at userland/lib/syscall_entry\.S:\d+$
x/i $pc
# expect-re: =>.*:\s+sysenter\s*$
# eax = 4 (SYS_write), ebx = fd, ecx = buf, edx = n: the ABI's registers.
info registers eax ebx ecx edx ebp
# expect-re: ^eax\s+0x4\s+4$
# expect-re: ^ebx\s+0x1\s+1$
# expect-re: ^edx\s+0x19\s+25$
# [ebp] = where to return (the label 1: after sysenter), then the
# caller's ebp, on the user stack just below 0xfffff000 (docs/abi.md).
x/2wx $ebp
# expect-re: ^0x[0-9a-f]+:\s+0x4000[0-9a-f]{4}\s+0xfff[0-9a-f]{5}$
info symbol *(unsigned *)$ebp
# expect-re: ^sysenter_door \+ \d+ in section \.text of \S*userland/bin/hello$

## sysenter: ring 0 in one instruction
# The CPU loads cs, eip and esp from the SYSENTER MSRs
# (syscall_arch_init): the kernel's code segment, sysenter_entry, and
# a small scratch stack: sysenter_scratch_top (from lab 5 on, each CPU
# has its own, sysenter_stacks[cpu], whose top word holds its esp0: the
# running thread's kernel stack top).
stepi
# expect-re: ^sysenter_entry \(\) at kernel/arch/i386/sysenter\.S:\d+$
p/x $cs
# expect-re: ^\$\d+ = 0x8$
p $esp == (unsigned)&sysenter_scratch_top || *(unsigned *)$esp == current_thread->stack.top
# expect-re: ^\$\d+ = 1$
# hello's thread is in the kernel now, but not yet in a system call:
# syscall_run() has not set current_thread->tf.
tasks
# expect-re: ^\s+2  running   hello\s+1 hello\s+-\s+kernel: running, pc 0x[0-9a-f]{8} in sysenter_entry \(kernel/arch/i386/sysenter\.S:\d+\)$

## The fast frame
# sysenter_entry moves to the thread's own kernel stack (tss.esp0) and,
# when nothing needs more (tracing off, a call that does not need the
# trap frame, ebp in user space), takes the fast path: it saves only what
# the way back needs -- the user's ds and es, the return address it
# reads from [ebp], eax -- pushes the five arguments and calls the
# handler straight from syscall_table. No struct trapframe, no C in
# between (int $0x80, and sysenter's full path, build the whole frame).
tbreak *$insn_addr(&sysenter_entry, "call")
continue
# expect-re: ^Temporary breakpoint \d+, sysenter_entry \(\) at kernel/arch/i386/sysenter\.S:\d+$
x/i $pc
# expect-re: =>.*:\s+call\s+\*0x[0-9a-f]+\(,%eax,4\)$
# Nine words (arch/i386/sysenter.h): ebx ecx edx esi edi -- the
# arguments fd, buf, n and two unused --, then eax = 4 (SYS_write), the
# user's return address, es and ds.
x/9wx $esp
# expect-re: ^0x[0-9a-f]+:\s+0x00000001\s+0x[0-9a-f]{8}\s+0x00000019\s+0x[0-9a-f]{8}$
# expect-re: ^0x[0-9a-f]+:\s+0x[0-9a-f]{8}\s+0x00000004\s+0x4000[0-9a-f]{4}\s+0x00000023$
# expect-re: ^0x[0-9a-f]+:\s+0x00000023$
info symbol *(unsigned *)($esp + 24)
# expect-re: ^sysenter_door \+ \d+ in section \.text of \S*userland/bin/hello$
# It sits at the very top of hello's kernel stack: 36 bytes (40 from
# lab 5 on, which saves the user's fs above ds: the kernel's is per CPU).
p current_thread->stack.top - (unsigned)$esp
# expect-re: ^\$\d+ = (36|40)$

## The system call: sys_write(fd, buf, n)
tbreak sys_write
continue
# expect-re: ^Temporary breakpoint \d+, sys_write \(fd=1, ubuf=\d+, n=25, a4=\d+, a5=\d+\) at kernel/fs/sys_file\.c:\d+$
# No trap frame: current_thread->tf, which syscall_run() sets on the
# full path (fork and execve need it), stays NULL here.
p current_thread->tf
# expect-re: ^\$\d+ = \(struct trapframe \*\) 0x0$
tasks
# expect-re: ^\s+2  running   hello\s+1 hello\s+-\s+system call write: running, pc 0x[0-9a-f]{8} in sys_write \(kernel/fs/sys_file\.c:\d+\)$
# ktrace knows the fast frame too, and crosses it into hello's frames:
ktrace
# expect-re: ^#\d+\s+0x[0-9a-f]{8} in sysenter_entry\+0x[0-9a-f]+ \(kernel/arch/i386/sysenter\.S:\d+\)$
# expect-re: ^--- trap: vector 128 \(system call\), err 0x1, eip 0x4000[0-9a-f]{4}, from user mode ---$
# expect-re: ^#\d+\s+0x4000[0-9a-f]{4} in sysenter_door\+0x[0-9a-f]+ \(userland/lib/syscall_entry\.S:\d+\)$
# expect-re: ^#\d+\s+0x4000[0-9a-f]{4} in write\+0x[0-9a-f]+ \(userland/lib/syscalls\.c:\d+\)$
# expect-re: ^#\d+\s+0x4000[0-9a-f]{4} in main\+0x[0-9a-f]+ \(userland/bin/hello\.c:\d+\)$
# ubuf is a user address. CR3 holds hello's page directory, so GDB reads
# it as the kernel would (copyin checks it first): the page is a user
# page (US = 1), somewhere in physical memory.
x/s ubuf
# expect-re: ^0x[0-9a-f]+( <stdout_buf>)?:\s+"hello from ring 3, pid 1\\n"$
pagewalk ubuf
# expect-re: ^\s+PTE \[0x[0-9a-f]{3}\] at 0x[0-9a-f]{8} = 0x[0-9a-f]{8}\s+P RW US\b
# expect-re: => physical 0x[0-9a-f]{8}: 4 KiB page; writable; user and kernel \(US = 1\)$

## Back to ring 3: sysexit
# The result, 25 bytes written, stays in eax, for the user.
finish
# expect-re: ^Value returned is \$\d+ = 25$
tbreak *$insn_addr(&sysenter_entry, "sysexit")
continue
# expect-re: ^Temporary breakpoint \d+, sysenter_entry \(\) at kernel/arch/i386/sysenter\.S:\d+$
x/i $pc
# expect-re: =>.*:\s+sysexit\s*$
# sysexit jumps to edx with esp = ecx, in ring 3: the door's label 1:
# and its frame (ebp + 4), with the result in eax.
p/x $edx
# expect-re: ^\$\d+ = 0x4000[0-9a-f]{4}$
p $eax
# expect-re: ^\$\d+ = 25$
stepi
# expect-re: ^sysenter_door \(\) at userland/lib/syscall_entry\.S:\d+$
p $cs & 3
# expect-re: ^\$\d+ = 3$
p $eax
# expect-re: ^\$\d+ = 25$
x/i $pc
# expect-re: =>.*:\s+pop\s+%ebp$
tasks
# expect-re: ^\s+2  running   hello\s+1 hello\s+-\s+user mode, pc 0x4000[0-9a-f]{4} in sysenter_door \(userland/lib/syscall_entry\.S:\d+\)$
# The door keeps no frame pointer and has no unwind information, so
# GDB's bt is lost here; ktrace knows the door's frame (docs/gdb.md):
ktrace
# expect-re: ^#1\s+0x4000[0-9a-f]{4} in write\+0x[0-9a-f]+ \(userland/lib/syscalls\.c:\d+\)$
# expect-re: in main\+0x[0-9a-f]+ \(userland/bin/hello\.c:\d+\)$

## The other door
# int $0x80 reaches the same table: the one IDT gate that ring 3 may
# use (DPL 3); it leaves by iret. The kernel counts both doors.
idt 128
# expect-re: ^\s+DPL\s+3 \(int N allowed from ring 3\)$
# expect-re: ^\s+handler\s+0x0008:0x[0-9a-f]{8}\s+trap_vector128$
p syscalls_by_int80
# expect-re: ^\$\d+ = 0$
p syscalls_by_sysenter
# expect-re: ^\$\d+ = [1-9]\d*$
