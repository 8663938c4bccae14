/*
 * t_fpu.c -- each process keeps its own FPU state (KTAP on stdout).
 *
 * User code computes with the x87 FPU: the libc is built for -march=i686
 * (no SSE) with -mfpmath=387, so every double below lives in the x87
 * register stack, and the #error below makes sure it stays so. The
 * kernel must save and restore the x87 registers and control word of a
 * process it preempts (and copy them on fork).
 *
 *   fpu_control_word_default    a new process starts with the control
 *                               word 0x037F (what fninit sets: all
 *                               exceptions masked, 64-bit precision,
 *                               round to nearest)
 *   fork_copies_control_word    with rounding set toward zero (0x0F7F)
 *                               before a fork, the child sees 0x0F7F
 *                               (POSIX: the child inherits the floating-
 *                               point environment)
 *   parent_series_bit_exact     parent and child then each compute a
 *   child_series_bit_exact      long series (ITERATIONS terms, each a
 *                               division, the running sum kept in an x87
 *                               register) with different constants, at
 *                               the same time, so that the timer
 *                               preempts them many times in the middle
 *                               of the loop; each result must equal, bit
 *                               for bit, the one the same function gave
 *                               for the same constants before the fork
 */
#if !defined(__i386__) || defined(__SSE_MATH__)
#error "t_fpu tests the x87 FPU: build it for i386 with -mfpmath=387 (userland.mk does)"
#endif

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <tidepool.h>
#include <unistd.h>

#include <ktap.h>

#define ITERATIONS 2000000
#define FCW_DEFAULT 0x037F
#define FCW_ROUND_TO_ZERO 0x0F7F

static uint16_t get_control_word(void)
{
    uint16_t cw;

    /* SAFETY: fnstcw only stores the FPU control word to memory. */
    __asm__ volatile("fnstcw %0" : "=m"(cw));
    return cw;
}

static void set_control_word(uint16_t cw)
{
    /* SAFETY: fldcw loads the control word; the values used here mask
     * every exception, so no later instruction can trap because of it. */
    __asm__ volatile("fldcw %0" : : "m"(cw));
}

/*
 * An alternating harmonic-like series: sum of sign * scale / (k + shift).
 * noinline: the pre-fork reference and the later run must be the very
 * same machine code, so that "bit-exact" is a fair demand (x87 keeps 80
 * bits in registers, and different code could round differently).
 */
__attribute__((noinline)) static double series(double scale, double shift, int n)
{
    double sum = 0.0;
    double sign = 1.0;

    for (int k = 1; k <= n; k++) {
        sum += sign * scale / ((double)k + shift);
        sign = -sign;
    }
    return sum;
}

static uint64_t bits_of(double d)
{
    uint64_t b;

    memcpy(&b, &d, sizeof b);
    return b;
}

static void test_default_control_word(void)
{
    uint16_t cw = get_control_word();

    if (cw != FCW_DEFAULT)
        ktap_diag("the control word at start is 0x%04x, expected 0x%04x (as after fninit)", cw,
                  FCW_DEFAULT);
    ktap_result(cw == FCW_DEFAULT, "fpu_control_word_default");
}

static void test_fork_copies_control_word(void)
{
    set_control_word(FCW_ROUND_TO_ZERO);
    pid_t pid = fork();
    if (pid == 0)
        _exit(get_control_word() == FCW_ROUND_TO_ZERO ? 0 : 1);
    set_control_word(FCW_DEFAULT);

    int status = 0;
    pid_t waited = pid > 0 ? waitpid(pid, &status, 0) : -1;
    bool ok = waited == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!ok)
        ktap_diag("the child %s; expected exit 0, which means it saw 0x%04x", ktap_status(status),
                  FCW_ROUND_TO_ZERO);
    ktap_result(ok, "fork_copies_control_word");
}

struct constants {
    double scale;
    double shift;
};

static const struct constants parent_constants = {1.0, 0.5};
static const struct constants child_constants = {3.0, 0.25};

/* Computes the series again and compares it with expected; prints the
 * difference if there is one. */
static bool series_matches(const char *who, const struct constants *c, double expected)
{
    unsigned long start = uptime();
    double got = series(c->scale, c->shift, ITERATIONS);
    unsigned long ticks = uptime() - start;

    if (bits_of(got) != bits_of(expected)) {
        printf("# %s: the series gave 0x%016llx, expected 0x%016llx (computed before the "
               "fork); %lu ticks\n", who, (unsigned long long)bits_of(got),
               (unsigned long long)bits_of(expected), ticks);
        return false;
    }
    printf("# %s: the series matched bit for bit after %lu ticks\n", who, ticks);
    return true;
}

static void test_series(void)
{
    double parent_expected = series(parent_constants.scale, parent_constants.shift, ITERATIONS);
    double child_expected = series(child_constants.scale, child_constants.shift, ITERATIONS);

    pid_t pid = fork();
    if (pid == 0)
        _exit(series_matches("child", &child_constants, child_expected) ? 0 : 1);
    bool parent_ok = series_matches("parent", &parent_constants, parent_expected);

    int status = 0;
    pid_t waited = pid > 0 ? waitpid(pid, &status, 0) : -1;
    bool child_ok = waited == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (waited != pid)
        ktap_diag("fork/waitpid failed: %s", ktap_errno(-1, errno));
    else if (!WIFEXITED(status))
        ktap_diag("the child was %s", ktap_status(status));
    ktap_result(parent_ok, "parent_series_bit_exact");
    ktap_result(child_ok, "child_series_bit_exact");
}

int main(void)
{
    ktap_plan(4);
    test_default_control_word();
    test_fork_copies_control_word();
    test_series();
    return ktap_finish();
}
