/*
 * ktap.c -- KTAP lines for the user-space tests (ktap.h says the format).
 *
 * Each line goes out in one printf and is flushed at once, whatever
 * stdout's buffering (line-buffered on the console, fully buffered into
 * a pipe or file): so a child's diagnostic and its parent's result line
 * never break into each other's middle, and a child that forks after a
 * KTAP line and exit()s does not print that line a second time.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include <ktap.h>

static int planned = -1;
static int reported;
static int failed;

void ktap_plan(int cases)
{
    planned = cases;
    printf("KTAP version 1\n1..%d\n", cases);
    fflush(stdout);
}

void ktap_diag(const char *fmt, ...)
{
    char line[STDIO_CHUNK];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    printf("# %s\n", line);
    fflush(stdout);
}

bool ktap_result(bool passed, const char *name_fmt, ...)
{
    char name[128];
    va_list ap;

    va_start(ap, name_fmt);
    vsnprintf(name, sizeof name, name_fmt, ap);
    va_end(ap);
    reported++;
    if (!passed)
        failed++;
    printf("%s %d %s\n", passed ? "ok" : "not ok", reported, name);
    fflush(stdout);
    return passed;
}

void ktap_skip(const char *name, const char *reason)
{
    reported++;
    printf("ok %d %s # SKIP %s\n", reported, name, reason);
    fflush(stdout);
}

int ktap_finish(void)
{
    if (reported != planned) {
        ktap_diag("the plan said %d cases, %d were reported", planned, reported);
        return 1;
    }
    return failed == 0 ? 0 : 1;
}

/* Four buffers in turn, so that a printf can show a few results. */
static char *next_buffer(void)
{
    static char buffers[4][48];
    static unsigned next;

    return buffers[next++ % 4];
}

static const char *error_name(int error)
{
    const char *name = strerrorname_np(error);

    return name != NULL ? name : "unknown errno";
}

const char *ktap_raw(long result)
{
    char *buf = next_buffer();

    if (result < 0 && result >= -4095)
        snprintf(buf, 48, "%ld (%s)", result, error_name((int)-result));
    else
        snprintf(buf, 48, "%ld", result);
    return buf;
}

const char *ktap_errno(long result, int error)
{
    char *buf = next_buffer();

    if (result == -1)
        snprintf(buf, 48, "-1 (errno %s)", error_name(error));
    else
        snprintf(buf, 48, "%ld", result);
    return buf;
}

const char *ktap_status(int status)
{
    char *buf = next_buffer();

    if (WIFSIGNALED(status))
        snprintf(buf, 48, "killed by signal %d", WTERMSIG(status));
    else
        snprintf(buf, 48, "exited with %d", WEXITSTATUS(status));
    return buf;
}
