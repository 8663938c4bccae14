/*
 * poll.h -- waiting for "something may have changed" on any file.
 *
 * One generation counter for the whole kernel: whoever makes a file
 * readable or writable (a pipe write, console input, a socket event)
 * calls poll_notify(), which bumps it and wakes every waiter. A waiter
 * reads the generation FIRST, then checks its condition under that
 * condition's own lock, and sleeps only if the generation is unchanged:
 *
 *     uint32_t gen = poll_generation();
 *     if (!condition())                    // under its own lock
 *         poll_wait(gen, deadline, true);  // returns at once if gen moved on
 *
 * so a notify between the check and the sleep is never lost, and the
 * waiter needs no lock in common with the notifier. This is the
 * thundering herd on purpose: a teaching kernel has few waiters, and one
 * mechanism serves poll() across pipes, the console and sockets, and the
 * socket calls' own blocking (with timeouts).
 *
 * Timeouts are in PIT ticks (pit_ticks); a ticker thread wakes the timed
 * waiters every POLL_TICK_TICKS so they see their deadline pass.
 */
#ifndef FS_POLL_H
#define FS_POLL_H

#if LAB >= 6
#include <stdbool.h>
#include <stdint.h>

#define POLL_NO_DEADLINE 0      /* poll_wait's deadline: wait for a notify only */

uint32_t poll_generation(void);
/* Any context, any locks held that are ordered before poll's leaf lock. */
void poll_notify(void);
/* Sleep until poll_notify() after gen, the tick `deadline` (if not
 * POLL_NO_DEADLINE) or a kill. 0, -ETIMEDOUT at the deadline, -EINTR. */
int poll_wait(uint32_t gen, uint32_t deadline);
/* pit_ticks + ms converted to ticks (at least 1); never POLL_NO_DEADLINE. */
uint32_t poll_deadline_ms(uint32_t ms);
bool poll_deadline_passed(uint32_t deadline);

/* The console's readiness for poll (fs/tty.c). */
bool tty_readable(void);
#endif /* LAB >= 6 */

#endif
