# tools/gdb/demos/02-interrupts.gdb -- the GDB demo of lab 2's lecture
# (interrupts and exceptions).
#
# `make demo LAB=2` plays it and waits for Enter between steps;
# `make demo LAB=2 DEMO_PAUSE=0` runs it straight through and checks the
# expect lines; `make test-demos` does that for every demo. The format is
# described in tools/gdb/tpgdb/demofile.py (see also 01-boot.gdb).
#
# It needs lab 2 solved (LAB=2 with the default SOLVED, or the full
# kernel): exercises 1-4 give the stubs, the gates, the EOI and the timer.
#
# Why this command line: with an empty one the kernel ends in the monitor,
# and the first timer tick lands wherever the boot happens to be. The test
# case timer.ticks sleeps in sleep_ticks() (sti; hlt) for three ticks, and
# the demo waits for the ticks at the loop's cli, so every tick it catches
# interrupts the same instruction; trap.general_protection then raises a
# #GP on purpose, with an error code, and goes on. The cases run in link
# order: timer_test.c before trap_test.c. While GDB holds the CPU, QEMU's
# virtual clock stands still: no tick comes between two steps, however
# long the lecturer talks.
#
# Every stop is a tbreak (or a finish) and the demo never resumes from a
# location that still has a breakpoint: GDB would have to single-step over
# it, and on a loaded host QEMU's gdbstub sometimes reports that step
# without executing it, so GDB reports the same breakpoint again. For the
# same reason there is no stepi.
#
# title: Lab 2 -- a timer interrupt and a #GP, from the IDT to the trap frame
# cmdline: test=timer.ticks,trap.general_protection

## Before the IDT: interrupts off
# We stop at the start of idt_init(), called by trap_init() from kmain.
# IDTR still holds what the BIOS left: no IDT of ours. An interrupt now
# would send the CPU through garbage gates, so the kernel has run with
# eflags.IF = 0 since the cli in _start: `info registers` lists IF among
# the flags when it is set, and here it is not.
tbreak idt_init
continue
# expect-re: ^Temporary breakpoint \d+, idt_init \(\)
idt
# expect: no IDT is loaded yet
info registers eflags
# expect-re: ^eflags\s+0x[0-9a-f]+\s+\[((?!IF).)*\]$

## idt_init() has loaded our IDT
# 48 gates, all built by idt_make_gate() (exercise 2): vectors 0-31 for
# the CPU's exceptions, 32-47 for the 16 IRQ lines of the two PICs. Each
# gate points to a stub in trapentry.S (exercise 1). All are interrupt
# gates (the CPU clears IF on entry), all with DPL 0: `int N` from user
# mode will be a #GP (lab 4 adds the one gate ring 3 may use, 0x80).
finish
# expect-re: ^Value returned is \$\d+ = true
idt
# expect: 256 gates, 48 present (the kernel's idt[])
# expect-re: ^\s+0\s+#DE\s+0x0008:0x[0-9a-f]{8}\s+interrupt32\s+0\s+1\s+trap_vector0$
# expect-re: ^\s+3\s+#BP\s+0x0008:0x[0-9a-f]{8}\s+interrupt32\s+0\s+1\s+trap_vector3$
# expect-re: ^\s+13\s+#GP\s+0x0008:0x[0-9a-f]{8}\s+interrupt32\s+0\s+1\s+trap_vector13$
# expect-re: ^\s+14\s+#PF\s+0x0008:0x[0-9a-f]{8}\s+interrupt32\s+0\s+1\s+trap_vector14$
# expect-re: ^\s+32\s+irq 0\s+0x0008:0x[0-9a-f]{8}\s+interrupt32\s+0\s+1\s+trap_vector32$
# expect: not present: 48-255

## One gate, bit by bit
# A gate is 8 bytes: the handler's address cut in two 16-bit halves
# around the selector and the type byte 0x8e (present, DPL 0, 32-bit
# interrupt gate). Compare the decoded gate with the struct in memory.
idt 14
# expect-re: ^vector 14 \(#PF page fault\): gate at 0x[0-9a-f]{8} = 0x[0-9a-f]{4}8e000008[0-9a-f]{4}$
# expect-re: ^\s+type\s+interrupt32 \(type field 0xe\)
# expect-re: ^\s+handler\s+0x0008:0x[0-9a-f]{8}\s+trap_vector14$
p/x idt[14]
# expect-re: offset_low = 0x[0-9a-f]+, selector = 0x8, zero = 0x0, type_attr = 0x8e, offset_high = 0x[0-9a-f]+
p/x (idt[14].offset_high << 16) | idt[14].offset_low
info symbol $
# expect-re: ^trap_vector14 in section \.text

## Interrupts on: the timer test sleeps
# trap_init() went on: pic_init() moved the IRQs to vectors 32-47,
# pit_init() started the timer at 100 Hz and unmasked IRQ 0, and sti set
# IF. Now the test case timer.ticks waits for three ticks in sleep_ticks().
# Its loop checks pit_ticks with interrupts off (cli) and sleeps with
# sti; hlt: the CPU stops until an interrupt comes. sti takes effect
# after the next instruction, so no tick can slip in between the two.
x/4i $insn_addr("sleep_ticks", "sti")
# expect-re: <sleep_ticks\+\d+>:\s+sti\s*$
# expect-re: <sleep_ticks\+\d+>:\s+hlt\s*$
# expect-re: <sleep_ticks\+\d+>:\s+cli\s*$
# We stop once at the loop's cli: from there on, a tick can only come
# during the hlt, so every tick we catch interrupts the same place.
# (GDB names the source of that cli: irq_disable(), inlined in sleep_ticks.)
tbreak *$insn_addr("sleep_ticks", "cli")
continue
# expect-re: ^Temporary breakpoint \d+, 
info symbol $pc
# expect-re: ^sleep_ticks \+ \d+ in section \.text
info registers eflags
# expect-re: ^eflags\s+0x[0-9a-f]+\s+\[.*\bIF\b.*\]$
kmsg -n 1
# expect: trap: interrupts on, timer at 100 Hz

## A tick: in the timer handler
# IRQ 0 -> vector 32 -> trap_vector32 -> alltraps -> trap(tf) ->
# irq_dispatch() -> pit_irq(tf), the handler pit_init() registered.
# tf points to the struct trapframe on the stack: what alltraps and the
# stub pushed (the registers, the vector, a 0 error code), and above
# them what the CPU pushed: eip, cs, eflags. (esp and ss are pushed only
# on a change to ring 0, from lab 4 on: here they are just the next words
# of the stack.)
tbreak pit_irq
continue
# expect-re: ^Temporary breakpoint \d+, pit_irq \(tf=0x[0-9a-f]+\) at kernel/arch/i386/pit\.c:\d+
p/x *tf
# expect-re: vector = 0x20, err = 0x0, eip = 0x[0-9a-f]+, cs = 0x8, eflags = 0x[0-9a-f]+,
# The interrupted instruction: right after the hlt, where sleep_ticks()
# goes on once this interrupt returns.
info symbol tf->eip
# expect-re: ^sleep_ticks \+ \d+ in section \.text
x/i tf->eip
# expect-re: <sleep_ticks\+\d+>:\s+cli\s*$

## IF: saved on, now off
# The saved eflags has IF (0x200): interrupts were on when the tick came.
# The CPU's eflags now has no IF: passing an interrupt gate cleared it, so
# no second interrupt can come in the middle of this one. iret restores
# the saved eflags, and with it IF.
p/x tf->eflags & 0x200
# expect-re: ^\$\d+ = 0x200$
info registers eflags
# expect-re: ^eflags\s+0x[0-9a-f]+\s+\[((?!IF).)*\]$

## The backtrace across the interrupt
# ktrace follows the frame-pointer chain and, at alltraps, reads the trap
# frame: the line "--- trap: ..." is the interrupt boundary, and the
# frames below it are the code that was interrupted, back to _start.
# (irq_dispatch is inlined into trap. pit_irq has no frame of its own --
# GCC builds this small leaf without `push %ebp` -- so at its first
# instruction ktrace takes [esp] as the return address into trap, because
# that word follows a call.)
ktrace
# expect-re: ^#0\s+0x[0-9a-f]{8} in pit_irq\+0x0 \(kernel/arch/i386/pit\.c:\d+\)
# expect-re: ^#1\s+0x[0-9a-f]{8} in trap\+0x[0-9a-f]+ \(kernel/arch/i386/trap\.c:\d+\)
# expect-re: ^#2\s+0x[0-9a-f]{8} in alltraps\+0x[0-9a-f]+ \(kernel/arch/i386/trapentry\.S:\d+\)
# expect-re: ^--- trap: vector 32 \(irq 0\), err 0x0, eip 0x[0-9a-f]{8} ---$
# expect-re: ^#3\s+0x[0-9a-f]{8} in sleep_ticks\+0x[0-9a-f]+
# expect-re: ^#4\s+0x[0-9a-f]{8} in ktest_fn_timer_ticks\+0x[0-9a-f]+
# expect-re: ^#\d+\s+0x[0-9a-f]{8} in _start\+0x[0-9a-f]+
# GDB's own bt does not know that alltraps was not called: after it, it
# reads the trap frame's words as return addresses and loses its way.
bt
# expect-re: ^#\d+\s+0x[0-9a-f]{8} in alltraps \(\) at kernel/arch/i386/trapentry\.S:\d+

## The PICs: IRQ 0 in service
# QEMU's monitor shows the two 8259As (`monitor info pic`; the pipe to
# grep leaves out QEMU's I/O APIC, unused here). pic0 is the master:
# irq_base 0x20 = vector 32; imr, the mask, lets IRQs 0 (timer),
# 1 (keyboard), 2 (the slave) and 4 (COM1) through: 0xe8 = 1110 1000.
# isr = 01: IRQ 0 is in service, and stays so until trap() sends the EOI
# (exercise 3) after pit_irq() returns. Until then the master delivers no
# IRQ of the same or lower priority.
pipe monitor info pic | grep ^pic
# expect-re: ^pic1: irr=[0-9a-f]{2} imr=ff isr=00 .*irq_base=28
# expect-re: ^pic0: irr=[0-9a-f]{2} imr=e8 isr=01 .*irq_base=20
# The kernel can ask the PICs too (GDB calls the function in the kernel):
p/x pic_in_service()
# expect-re: ^\$\d+ = 0x1$

## The next tick, at its stub
# This time we stop at the first instruction of vector 32's stub, the
# moment the CPU has gone through the gate. It pushed three words: eip
# (again right after the hlt), cs and eflags (with IF). No error code for
# an IRQ: the stub pushes a 0 in its place, then the vector, 0x20.
# pit_ticks went up by one: the first tick's handler has finished.
set $before = pit_ticks
tbreak *trap_vector32
continue
# expect-re: ^Temporary breakpoint \d+, trap_vector32 \(\)
x/3i $pc
# expect-re: <trap_vector32>:\s+push\s+\$0x0$
# expect-re: <trap_vector32\+2>:\s+push\s+\$0x20$
x/3wx $esp
# expect-re: :\s+0x[0-9a-f]{8}\s+0x00000008\s+0x[0-9a-f]{8}$
info symbol *(unsigned *)$esp
# expect-re: ^sleep_ticks \+ \d+ in section \.text
p pit_ticks - $before
# expect-re: ^\$\d+ = 1$

## An exception with an error code: #GP
# Some exceptions come with an error code pushed by the CPU (SDM 3A,
# table 6-1). Their stub pushes only the vector: trap_vector13 (#GP) has
# no push $0. Getting this wrong (exercise 1) shifts the whole trapframe
# by one word. The test case trap.general_protection loads the selector
# 0x1230 into fs: far beyond the GDT's limit, so the CPU raises #GP with
# that selector as the error code. At the stub, on the stack, the CPU's
# four words: error code, eip (the faulting instruction itself: a fault
# can be retried), cs, eflags.
x/2i trap_vector13
# expect-re: <trap_vector13>:\s+push\s+\$0xd$
# expect-re: <trap_vector13\+2>:\s+jmp\s+0x[0-9a-f]+ <alltraps>$
tbreak *trap_vector13
continue
# expect-re: ^Temporary breakpoint \d+, trap_vector13 \(\)
x/4wx $esp
# expect-re: :\s+0x00001230\s+0x[0-9a-f]{8}\s+0x00000008\s+0x[0-9a-f]{8}$
info symbol *(unsigned *)($esp + 4)
# expect-re: ^ktest_fn_trap_general_protection \+ \d+ in section \.text
# In alltraps, the stub has pushed the vector: 0xd on top of the error
# code. (IF is off: no tick can come in between.)
tbreak *alltraps
continue
# expect-re: ^Temporary breakpoint \d+, alltraps \(\)
x/5wx $esp
# expect-re: :\s+0x0000000d\s+0x00001230\s+0x[0-9a-f]{8}\s+0x00000008$

## #GP: the trap frame and ktrace
# In trap() the same words are fields of the struct trapframe. The
# condition is how to stop for one vector only: the timer's ticks go
# through trap() too (here none can come before, with IF off).
tbreak trap if tf->vector == 13
continue
# expect-re: ^Temporary breakpoint \d+, trap \(tf=0x[0-9a-f]+\)
p/x *tf
# expect-re: vector = 0xd, err = 0x1230, eip = 0x[0-9a-f]+, cs = 0x8,
x/i tf->eip
# expect-re: <ktest_fn_trap_general_protection\+\d+>:\s+mov\s+%eax,%fs$
ktrace
# expect-re: ^#0\s+0x[0-9a-f]{8} in trap\+0x0 \(kernel/arch/i386/trap\.c:\d+\)
# expect-re: ^--- trap: vector 13 \(#GP general protection\), err 0x1230, eip 0x[0-9a-f]{8} ---$
# expect-re: ^#2\s+0x[0-9a-f]{8} in ktest_fn_trap_general_protection\+0x[0-9a-f]+ \(kernel/tests/trap_test\.c:\d+\)
# (The same with CMDLINE=test=trap.page_fault and `break trap if
# tf->vector == 14`: error codes 0x2 and 0x3, the address in $cr2, and
# `pagewalk $cr2`: docs/gdb.md.)

## Back from the exception
# A kernel fault normally ends in a panic. This test announced its fault
# (trap_expect), so trap() records the frame and writes the address to
# resume at into tf->eip: iret goes wherever the frame says. The test
# then checks the recorded vector, eip and error code, and passes.
set $tf = tf
set $fault_eip = tf->eip
finish
x/i $tf->eip
# expect-re: <ktest_fn_trap_general_protection\+\d+>:
# The resume address is the faulting mov's own address plus its length:
p $tf->eip - $fault_eip
# expect-re: ^\$\d+ = 2$
tbreak machine_exit
continue
# expect-re: ^Temporary breakpoint \d+, machine_exit \(
kmsg -n 3
# expect: ktest: ok timer.ticks
# expect: ktest: ok trap.general_protection
# From here, `continue` lets machine_exit() write QEMU's exit port: the
# kernel and QEMU end.
