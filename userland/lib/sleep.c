/*
 * sleep.c -- sleep(), usleep(), msleep(): time in seconds over timer ticks.
 *
 * The kernel sleeps in timer ticks (SYS_sleep), at timer_hz ticks per
 * second: 100 unless the kernel command line says otherwise. The ABI does
 * not tell a program the rate yet; if kernel/abi/auxv.h gains AT_CLKTCK
 * (Linux's name for it) and the kernel passes it, the libc uses it.
 * Every conversion rounds up, so a sleep is never shorter than asked.
 */
#include <errno.h>
#include <stdint.h>
#include <tidepool.h>
#include <unistd.h>

#define DEFAULT_TICKS_PER_SECOND 100

unsigned long ticks_per_second(void)
{
#ifdef AT_CLKTCK
    unsigned long hz = getauxval(AT_CLKTCK);
    if (hz != 0)
        return hz;
#endif
    return DEFAULT_TICKS_PER_SECOND;
}

/* amount / per_second seconds in ticks, rounded up; 64-bit so that
 * usleep(4000000000) cannot overflow, and clamped to what SYS_sleep takes. */
static unsigned ticks_for(uint64_t amount, uint64_t per_second)
{
    uint64_t ticks = (amount * ticks_per_second() + per_second - 1) / per_second;

    return ticks > UINT32_MAX ? UINT32_MAX : (unsigned)ticks;
}

unsigned sleep(unsigned seconds)
{
    sleep_ticks(ticks_for(seconds, 1));
    return 0;
}

int usleep(useconds_t usec)
{
    return sleep_ticks(ticks_for(usec, 1000000));
}

int msleep(unsigned ms)
{
    return sleep_ticks(ticks_for(ms, 1000));
}
