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
#endif /* LAB >= 4 */
