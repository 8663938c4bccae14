/* glob_test.c -- host tests for kernel/glob.c (how test=GLOB selects). */
#include <criterion/criterion.h>
#include <string.h>
#include "glob.h"

static bool match(const char *pattern, const char *name)
{
    return glob_match(pattern, strlen(pattern), name);
}

Test(glob, literal)
{
    cr_expect(match("boot.cmdline", "boot.cmdline"));
    cr_expect(!match("boot.cmdline", "boot.cmdlin"));
    cr_expect(!match("boot.cmdlin", "boot.cmdline"));
    cr_expect(match("", ""));
    cr_expect(!match("", "x"));
}

Test(glob, star)
{
    cr_expect(match("*", ""));
    cr_expect(match("*", "anything.at.all"));
    cr_expect(match("boot.*", "boot.cmdline"));
    cr_expect(match("boot.*", "boot."));
    cr_expect(!match("boot.*", "gdt.loaded"));
    cr_expect(match("*.loaded", "gdt.loaded"));
    cr_expect(match("b*e.*d", "backtrace.nested"));
    cr_expect(!match("b*t.*e", "backtrace.nested"));
    cr_expect(match("**a**", "banana"));
}

Test(glob, backtracking)
{
    /* The greedy first choice for '*' is wrong here; the matcher must
     * retry with the star swallowing more. */
    cr_expect(match("*ab", "aab"));
    cr_expect(match("a*b*c", "aXbYbZc"));
    cr_expect(!match("a*b*c", "aXbYbZ"));
    cr_expect(match("*a*a*a", "aaaa"));
}

Test(glob, question_mark)
{
    cr_expect(match("gdt.???????", "gdt.encoded"));
    cr_expect(!match("gdt.??????", "gdt.encoded"));
    cr_expect(match("?*", "x"));
    cr_expect(!match("?*", ""));
}

Test(glob, pattern_length_limits_the_pattern)
{
    /* test=a.*,b.* hands each glob over as a slice of one string. */
    const char *list = "boot.*,gdt.*";
    cr_expect(glob_match(list, 6, "boot.cmdline"));
    cr_expect(!glob_match(list, 6, "gdt.loaded"));
    cr_expect(glob_match(list + 7, 5, "gdt.loaded"));
}
