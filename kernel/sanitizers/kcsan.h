/*
 * kcsan.h -- the data-race detector (make KCSAN=1) and its annotations.
 *
 * kcsan_init() turns the checker on once every CPU is up; before that and
 * in a kernel built without KCSAN=1 it costs nothing.
 *
 * The annotations tell the checker (and the reader) that an access is
 * meant to race, as Linux's READ_ONCE()/WRITE_ONCE()/data_race() do:
 *   READ_ONCE(x), WRITE_ONCE(x, v)   one relaxed atomic access: the value
 *                                    may be stale, but never torn, and
 *                                    the compiler does it exactly once;
 *   data_race(expr)                  a plain access whose race is benign
 *                                    (a statistic, a hint): not watched.
 * Every use needs a comment saying why the race is harmless.
 */
#ifndef SANITIZERS_KCSAN_H
#define SANITIZERS_KCSAN_H

#define READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

#if LAB < 5
#define data_race(expr) (expr)
#endif

#if LAB >= 5
#ifdef CONFIG_KCSAN
void kcsan_disable_current(void);
void kcsan_enable_current(void);
#define data_race(expr)                                                       \
    ({                                                                        \
        kcsan_disable_current();                                              \
        __typeof__(expr) data_race_value_ = (expr);                           \
        kcsan_enable_current();                                               \
        data_race_value_;                                                     \
    })
/* Turn the checker on (all CPUs), with kcsan_every=N (watch one access
 * in about N), kcsan_delay=N (how long a watchpoint stays armed, in
 * busy-loop rounds) and kcsan_seed=N from the command line. */
void kcsan_init(const char *cmdline);
#else
#define data_race(expr) (expr)
static inline void kcsan_init(const char *cmdline)
{
    (void)cmdline;
}
#endif /* CONFIG_KCSAN */
#endif /* LAB >= 5 */

#endif
