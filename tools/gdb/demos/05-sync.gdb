# tools/gdb/demos/05-sync.gdb -- the GDB demo of lab 5's lecture
# (several CPUs, the ticket lock).
#
# `make demo LAB=5` plays it and waits for Enter between steps;
# `make demo LAB=5 DEMO_PAUSE=0` runs it straight through and checks the
# expect lines; `make test-demos` does that for every demo. The format is
# described in tools/gdb/tpgdb/demofile.py (see also 01-boot.gdb).
#
# It needs lab 5's exercise 1 solved (LAB=5 with the default SOLVED, or
# the full kernel): with the stub the kernel stops as soon as the second
# CPU is online.
#
# What it shows: QEMU's gdbstub presents each vCPU as a GDB thread, so
# `info threads` lists two; the in-kernel case mpdemo.contended takes the
# spinlock `demo` on one CPU and starts a thread that asks for it on the
# other. When the holder reaches demo_both_cpus_here(), the other CPU has
# drawn ticket 1 and spins in the lock, waiting for owner to reach it.
# Both CPUs are stopped at once (all-stop mode), and we look at each.
# Then the holder lets go, and the waiter is served.
#
# Why it is the same on every run: the holder waits, spinning, until the
# waiter has its ticket (next - owner == 2) before it calls
# demo_both_cpus_here(), so at that stop the waiter is always inside the
# lock's wait loop; and while GDB holds the CPUs, neither moves. Which CPU
# runs which thread may differ from run to run, so the expectations do not
# name CPUs. As in the other demos every stop is a tbreak and there is no
# stepi (QEMU's gdbstub on a loaded host sometimes reports a step it has
# not executed).
#
# title: Lab 5 -- two CPUs, one ticket lock: a holder and a spinning waiter
# cmdline: test=mpdemo.contended
# smp: 2

## The holder: one CPU holds the lock, the other waits for it
# QEMU starts every CPU stopped, at the reset vector. Only CPU 0 (the
# bootstrap processor) runs the boot; CPU 1 waits until the kernel sends
# it INIT and SIPI. We let the kernel boot, start CPU 1 and run
# mpdemo.contended up to the point where both CPUs are where we want
# them. A breakpoint stops every CPU (all-stop): GDB says which one hit.
tbreak demo_both_cpus_here
continue
# expect-re: Temporary breakpoint [\d.]+, demo_both_cpus_here \(\)
# GDB shows one thread per vCPU.
info threads
# expect-re: Thread 1\.1 \(CPU#0
# expect-re: Thread 1\.2 \(CPU#1
bt 2
# expect-re: ^#1\s+0x[0-9a-f]+ in ktest_fn_mpdemo_contended \(\)
# The lock: two tickets handed out (next = 2), ticket 0 is being served
# (owner = 0): that is us. holder is the struct cpu of the CPU that
# holds it, and held_at where it was taken.
p demo_lock
# expect-re: next = 2, owner = 0, name = 0x[0-9a-f]+ "demo", holder = 0x[0-9a-f]+ <cpus(\+\d+)?>
p demo_lock.holder->id
# expect-re: ^\$\d+ = [01]$
info symbol demo_lock.held_at
# expect-re: ktest_fn_mpdemo_contended

## The waiter: the other CPU spins in the lock
# Every CPU's backtrace at once. One is ours; the other is inside
# spin_lock(), in the loop that waits for owner to reach its ticket:
# the `pause` of cpu_relax() and a load of owner, over and over (and
# every 64th turn tlb_shootdown_handle(), in case the holder waits for
# this CPU to answer a TLB shootdown). After 32 turns a waiter stops
# spinning and halts its CPU in cpu_halt_unless() until the release
# wakes it (kernel/sync/spin_halt.h: a vCPU is a host thread, and a
# spinning one takes a host core from the holder). If the holder's vCPU
# was slow to get here, that is what you see. (And a timer interrupt
# may just be entering on the waiter's CPU: trap_vector48 on top, the
# loop below it.)
thread apply all bt 6
# (GDB lists the threads from the highest number down; which CPU holds
# and which waits can differ between runs.)
# expect-re: ^#[0-5]\s+(0x[0-9a-f]+ in )?(demo_both_cpus_here|ticket_lock) \(
# expect-re: ^#[0-5]\s+(0x[0-9a-f]+ in )?(demo_both_cpus_here|ticket_lock) \(
# The waiter holds ticket 1. Its CPU's registers say it is in the wait
# loop, at its pause, its load or its count of turns (or, halted, just
# after the hlt; or at an interrupt's entry). ticket_lock() is inlined
# into spin_lock(), so the pc's symbol may be spin_lock's; bt above
# still names the inlined frame.
thread apply all x/i $pc
# expect-re: <(spin_lock(_irqsave)?|ticket_lock|spin_wait_turn|cpu_relax|tlb_shootdown_handle|cpu_halt_unless(_resume)?|trap_vector\d+)(\+\d+)?>:

## The hand-over
# The holder advances owner to 1 (a release store: a plain movw on x86)
# and the waiter, on the other CPU, sees its number come up.
tbreak demo_waiter_has_it
continue
# expect-re: Temporary breakpoint [\d.]+, demo_waiter_has_it \(\)
p demo_lock
# expect-re: next = 2, owner = 1, name = 0x[0-9a-f]+ "demo"
info symbol demo_lock.held_at
# expect-re: demo_waiter
bt 2
# expect-re: ^#1\s+0x[0-9a-f]+ in demo_waiter \(arg=
