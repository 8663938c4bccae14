# tools/gdb/demos/04-threads.gdb -- the GDB demo of lab 4's lecture
# (kernel threads, the context switch, the scheduler).
#
# `make demo LAB=4` plays it and waits for Enter between steps;
# `make demo LAB=4 DEMO_PAUSE=0` runs it straight through and checks the
# expect lines; `make test-demos` does that for every demo. The format is
# described in tools/gdb/tpgdb/demofile.py (see also 01-boot.gdb).
#
# It needs lab 4 solved (LAB=4 with the default SOLVED, or the full
# kernel): context_switch and context_init, schedule, thread_exit and
# thread_join.
#
# What it shows: the boot flow becoming thread 1 "main", two threads
# that hand the CPU to each other with thread_yield(), a new thread's
# first instruction, and one context switch up close: esp on one
# thread's stack before `movl %edx, %esp` and on the other's after it,
# with `tasks` before and after and `ktrace TID` of the thread that was
# switched out. Why this command line: sched.yield_alternates runs its
# two threads with interrupts off, so only their yields switch (no
# preemption, no timer): every stop below is the same on every run. The
# stacks come from the kernel's stack area at 0x38000000, 32 KiB slots
# (16 KiB mapped, 16 KiB guard below): the idle thread gets slot 0,
# yield-a slot 1, yield-b slot 2; main keeps the boot stack.
#
# As in 02-interrupts.gdb and 03-paging.gdb, every stop is a tbreak, no
# stop resumes from a location that still has a breakpoint, and there is
# no stepi: on a loaded host QEMU's gdbstub sometimes reports a single
# step it has not executed. The step over `movl %edx, %esp` is a tbreak
# on the next instruction.
#
# title: Lab 4 -- two threads, one CPU: inside a context switch
# cmdline: test=sched.yield_alternates

## One flow of control, on the boot stack
# We stop at sched_init(), called from kmain once paging, the heap and
# the timer work. Until now there is one flow of control, and no thread
# to describe it: current_thread is still 0.
tbreak sched_init
continue
# expect-re: ^Temporary breakpoint [\d.]+, sched_init \(\) at kernel/proc/sched\.c:\d+
tasks
# expect: tasks: no threads yet: current_thread = 0.
# It runs on the boot stack that boot.S set up, in .bss: esp lies just
# below boot_stack_top.
p/x $esp
# expect-re: ^\$\d+ = 0x[0-9a-f]+$
p/x (unsigned)boot_stack_top
# expect-re: ^\$\d+ = 0x[0-9a-f]+$

## The boot flow becomes thread 1, "main"
# sched_init() made the idle thread (tid 0, with a stack of its own, not
# run yet) and adopted the boot flow as thread "main": its struct thread
# describes the boot stack. Then the test case starts.
tbreak ktest_fn_sched_yield_alternates
continue
# expect-re: ^Temporary breakpoint [\d.]+, ktest_fn_sched_yield_alternates \(\)
tasks
# expect-re: ^\s+0  runnable  idle\s+-\s+-\s+not started yet: will run idle_main$
# expect-re: ^\s+1  running   main\s+-\s+-\s+running, pc 0x[0-9a-f]{8} in ktest_fn_sched_yield_alternates \(
p/x current_thread->stack
# expect-re: ^\$\d+ = \{base = 0x[0-9a-f]+, top = 0x[0-9a-f]+, guard = 0x1000\}$
p current_thread->stack.top == (unsigned)boot_stack_top
# expect-re: ^\$\d+ = 1$

## Two threads, and the first switch
# The test creates yield-a and yield-b (RUNNABLE, on the run queue) and
# waits for yield-a in thread_join(): main blocks on yield-a's "join"
# wait queue, and schedule() picks the front of the run queue, yield-a.
# Each of the two logs its number and yields, 100 times.
tbreak log_and_yield
continue
# expect-re: ^Temporary breakpoint [\d.]+, log_and_yield \(arg=0x1\)
tasks
# expect-re: ^\s+1  blocked   main\s+-\s+join\s+thread_join \(kernel/proc/thread\.c:\d+\)$
# expect-re: ^\s+2  running   yield-a\s+-\s+-\s+running, pc 0x[0-9a-f]{8} in log_and_yield \(
# expect-re: ^\s+3  runnable  yield-b\s+-\s+-\s+not started yet: will run log_and_yield$
# yield-a runs on its own stack, in the stack area:
set $a = current_thread
p/x $a->stack
# expect-re: ^\$\d+ = \{base = 0x380[0-9a-f]{5}, top = 0x380[0-9a-f]{5}, guard = 0x4000\}$
p/x $esp
# expect-re: ^\$\d+ = 0x380[0-9a-f]{5}$

## A thread's first instruction
# yield-a logs 1 and yields: it goes to the back of the run queue, and
# yield-b, which has never run, is switched to. Its stack holds only
# what context_init() put there: a struct context whose eip is
# thread_start. context_switch() pops it and its `ret` "returns" into
# thread_start, which calls the thread's function.
tbreak thread_start
continue
# expect-re: ^Temporary breakpoint [\d.]+, thread_start \(\) at kernel/proc/thread\.c:\d+
set $b = current_thread
p $b->name
# expect-re: ^\$\d+ = "yield-b
# Its stack is empty but for one word: the zero that context_init() put
# above the context, thread_start's "return address", which ends every
# backtrace of the thread.
p $b->stack.top - (unsigned)$esp
# expect-re: ^\$\d+ = 4$
x/wx $esp
# expect-re: ^0x380[0-9a-f]{5}:\s+0x00000000$
# yield-a is not running now: its registers are saved on its stack, and
# `ktrace 2` walks its frames from there (context->eip, context->ebp):
# schedule, thread_yield, log_and_yield, thread_start.
ktrace 2
# expect-re: ^thread 2 'yield-a' \(runnable\), from its saved context at 0x380[0-9a-f]{5}: eip 0x[0-9a-f]{8}, ebp 0x380[0-9a-f]{5}$
# expect-re: ^#0\s+0x[0-9a-f]{8} in schedule\+0x[0-9a-f]+ \(kernel/proc/sched\.c:\d+\)$
# expect-re: ^#\d+\s+0x[0-9a-f]{8} in log_and_yield\+0x[0-9a-f]+ \(kernel/tests/thread_test\.c:\d+\)$
# expect-re: ^#\d+\s+0x[0-9a-f]{8} in thread_start\+0x[0-9a-f]+ \(kernel/proc/thread\.c:\d+\)$

## Inside context_switch
# yield-b logs 2 and yields back to yield-a. We stop on the first
# instruction of context_switch(&prev->context, next->context), the
# whole switch in 13 instructions (kernel/arch/i386/switch.S):
tbreak context_switch
continue
# expect-re: ^Temporary breakpoint [\d.]+, context_switch \(\) at kernel/arch/i386/switch\.S:\d+
x/13i $pc
# expect-re: :\s+push\s+%ebp$
# expect-re: :\s+mov\s+%esp,\(%eax\)$
# expect-re: :\s+mov\s+%edx,%esp$
# expect-re: :\s+ret\s*$
# switch_to() has already made yield-a the current thread, but the CPU
# is still on yield-b's stack: `tasks` finds the running thread by esp.
p current_thread->name
# expect-re: ^\$\d+ = "yield-a
tasks
# expect-re: ^\s+2  running   yield-a\s+-\s+-\s+switching in, log_and_yield \(kernel/tests/thread_test\.c:\d+\)$
# expect-re: ^\s+3  runnable  yield-b\s+-\s+-\s+switching out, pc 0x[0-9a-f]{8} in context_switch \(
p/x $esp
# expect-re: ^\$\d+ = 0x380[0-9a-f]{5}$
p $esp >= $b->stack.base && $esp < $b->stack.top
# expect-re: ^\$\d+ = 1$

## The stack switch
# Four pushes made a struct context on yield-b's stack, and
# `movl %esp, (%eax)` stored its address in yield-b's thread->context.
# We stop on the next instruction, the one that changes threads:
tbreak *($insn_addr("context_switch", "pop") - 2)
continue
# expect-re: ^Temporary breakpoint [\d.]+, context_switch \(\) at kernel/arch/i386/switch\.S:\d+
x/i $pc
# expect-re: =>.*:\s+mov\s+%edx,%esp$
p/x $esp
# expect-re: ^\$\d+ = 0x380[0-9a-f]{5}$
p $esp == (unsigned)$b->context
# expect-re: ^\$\d+ = 1$
# edx holds `load`: yield-a's saved context, on yield-a's stack.
p $edx == (unsigned)$a->context
# expect-re: ^\$\d+ = 1$
# One instruction later (a tbreak on the first pop, not stepi):
tbreak *$insn_addr("context_switch", "pop")
continue
# expect-re: ^Temporary breakpoint [\d.]+, context_switch \(\) at kernel/arch/i386/switch\.S:\d+
p/x $esp
# expect-re: ^\$\d+ = 0x380[0-9a-f]{5}$
p $esp >= $a->stack.base && $esp < $a->stack.top
# expect-re: ^\$\d+ = 1$
# Same code, same instruction pointer, another thread: esp points at
# yield-a's struct context, the words the pops and the ret take:
# edi, esi, ebx, ebp, and eip, where yield-a's own call of
# context_switch() returns to, in schedule().
p/x *(struct context *)$esp
# expect-re: ^\$\d+ = \{edi = 0x[0-9a-f]+, esi = 0x[0-9a-f]+, ebx = 0x[0-9a-f]+, ebp = 0x380[0-9a-f]{5}, eip = 0x[0-9a-f]+\}$
info symbol ((struct context *)$esp)->eip
# expect-re: ^schedule \+ \d+ in section \.text$

## After the switch
# yield-a is on the CPU; yield-b is where its thread_yield() call
# stopped, and `ktrace 3` follows its frames from its saved context.
tasks
# expect-re: ^\s+2  running   yield-a\s+-\s+-\s+running, pc 0x[0-9a-f]{8} in context_switch \(
# expect-re: ^\s+3  runnable  yield-b\s+-\s+-\s+log_and_yield \(kernel/tests/thread_test\.c:\d+\)$
ktrace 3
# expect-re: ^thread 3 'yield-b' \(runnable\), from its saved context at 0x380[0-9a-f]{5}: eip 0x[0-9a-f]{8}, ebp 0x380[0-9a-f]{5}$
# expect-re: ^#0\s+0x[0-9a-f]{8} in schedule\+0x[0-9a-f]+ \(kernel/proc/sched\.c:\d+\)$
# expect-re: ^#\d+\s+0x[0-9a-f]{8} in thread_yield\+0x[0-9a-f]+ \(kernel/proc/sched\.c:\d+\)$
# expect-re: ^#\d+\s+0x[0-9a-f]{8} in log_and_yield\+0x[0-9a-f]+ \(kernel/tests/thread_test\.c:\d+\)$
# expect-re: ^#\d+\s+0x[0-9a-f]{8} in thread_start\+0x[0-9a-f]+ \(kernel/proc/thread\.c:\d+\)$
# The two keep alternating, 100 yields each; then main's joins return
# and the test checks the log: 1 2 1 2 ...
tbreak machine_exit
continue
# expect-re: ^Temporary breakpoint [\d.]+, machine_exit \(
kmsg -n 2
# expect: ktest: ok sched.yield_alternates
# From here, `continue` lets machine_exit() end the kernel and QEMU.
