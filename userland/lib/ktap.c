/*
 * ktap.c -- KTAP lines for the user-space tests (ktap.h says the format).
 *
 * Each line goes out in one printf (one write), so a child's diagnostic
 * and its parent's result line never break into each other's middle.
 */
#include <stdarg.h>
#include <stdio.h>

#include <ktap.h>

static int planned = -1;
static int reported;
static int failed;

void ktap_plan(int cases)
{
    planned = cases;
    printf("KTAP version 1\n1..%d\n", cases);
}

void ktap_diag(const char *fmt, ...)
{
    char line[STDIO_CHUNK];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    printf("# %s\n", line);
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
    return passed;
}

void ktap_skip(const char *name, const char *reason)
{
    reported++;
    printf("ok %d %s # SKIP %s\n", reported, name, reason);
}

int ktap_finish(void)
{
    if (reported != planned) {
        ktap_diag("the plan said %d cases, %d were reported", planned, reported);
        return 1;
    }
    return failed == 0 ? 0 : 1;
}
