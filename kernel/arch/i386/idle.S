/*
 * idle.S -- how a CPU with nothing to do waits.
 *
 *     void cpu_idle_halt(void);
 *
 * sti takes effect only after the next instruction, so no interrupt can
 * arrive between the two: the caller checked its run queue with
 * interrupts off, and any wake-up after that check wakes the hlt. The
 * label after hlt is where an interrupt that woke the CPU finds eip:
 * the timer counts the ticks that found the CPU halted there
 * (cpu_was_halted()), which is how `ps` and the tests know that an idle
 * CPU really halts instead of spinning.
 */
#if LAB >= 4
        .text
        .global cpu_idle_halt
        .type cpu_idle_halt, @function
cpu_idle_halt:
        sti
        hlt
        .global cpu_idle_halt_resume
cpu_idle_halt_resume:
        ret
        .size cpu_idle_halt, . - cpu_idle_halt

#if LAB >= 5
/*
 *     void cpu_halt_unless(const uint16_t *word, uint16_t value, bool irqs_on);
 *
 * Halt unless *word == value; with irqs_on, as sti; hlt. For a spinlock
 * waiter (kernel/sync/spin_halt.c), which calls it with interrupts off
 * after telling the releaser which ticket it waits for. The releaser
 * wakes it with an NMI, which ends a hlt even with interrupts off. An NMI
 * that came after the compare but before the hlt would be lost, and the
 * CPU would halt for good: so the NMI handler moves eip from anywhere in
 * [cpu_halt_unless, cpu_halt_unless_resume) to cpu_halt_unless_resume
 * (cpu_halt_window_skip()), and the caller looks at the lock again.
 */
        .global cpu_halt_unless
        .type cpu_halt_unless, @function
cpu_halt_unless:
        movl 4(%esp), %eax
        movl 8(%esp), %edx
        cmpw %dx, (%eax)
        je cpu_halt_unless_resume
        cmpb $0, 12(%esp)       /* a bool: only its low byte is defined */
        je 1f
        sti
1:      hlt
        .global cpu_halt_unless_resume
cpu_halt_unless_resume:
        ret
        .size cpu_halt_unless, . - cpu_halt_unless
#endif /* LAB >= 5 */
#endif /* LAB >= 4 */
