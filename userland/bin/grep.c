/*
 * grep.c -- print the lines that match a regular expression.
 *
 *     grep [-cilnqsv] [-e PATTERN | PATTERN] [FILE...]
 *
 *     PATTERN   a basic regular expression, the subset in re.h: literal
 *               characters, \c, ., [set], [^set], [[:class:]], *, ^, $
 *     -v   select the lines that do not match
 *     -i   ignore case
 *     -c   print only the number of selected lines ("N", or "FILE:N")
 *     -l   print only the names of the FILEs with a selected line
 *     -n   put the line number before each line ("N:line")
 *     -q   print nothing; exit 0 at the first selected line
 *     -s   say nothing of FILEs that cannot be read (the status still
 *          says so)
 *     FILE "-", or no FILE: standard input, named "(standard input)"
 *
 * Output: each selected line, with "FILE:" before it when there are
 * several FILEs (and "FILE:N:" with -n). Exit status, as POSIX says:
 * 0 if a line was selected, 1 if none was, 2 on an error (a bad
 * PATTERN: "grep: PATTERN: <why>"; a FILE that cannot be read:
 * "grep: FILE: <why>") -- except that -q exits 0 once a line is selected
 * whatever else happened. A line holding NUL bytes (a binary file) is
 * searched piece by piece and printed up to its first NUL. Not done: -E -F -x -w -h -H, several -e,
 * -f FILE, and the parts of BREs re.h leaves out (\( \) \{ \} \1).
 */
#include <errno.h>
#include <re.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool invert, count_only, names_only, numbers, quiet, silent;
static int re_flags;
static bool several;            /* more than one FILE: prefix the name */

/* Whether the len bytes at line (NUL after them) match. A line of a
 * binary file may hold NULs: each piece between them is searched as a
 * string of its own, so that `grep -c ELF /bin/ls` finds what is there. */
static bool line_matches(const char *re, const char *line, size_t len)
{
    for (const char *p = line; p <= line + len; p += strlen(p) + 1)
        if (re_search(re, p, re_flags))
            return true;
    return false;
}

/* Searches one open stream; the number of selected lines, or -1 on a
 * read error (errno set). Exits 0 at once with -q on a selected line. */
static long grep_stream(const char *re, FILE *f, const char *name)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long selected = 0, line_no = 0;

    errno = 0;
    while ((len = getline(&line, &cap, f)) >= 0) {
        line_no++;
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        if (line_matches(re, line, (size_t)len) == invert)
            continue;
        selected++;
        if (quiet)
            exit(0);
        if (names_only)
            break;
        if (count_only)
            continue;
        if (several)
            printf("%s:", name);
        if (numbers)
            printf("%ld:", line_no);
        printf("%s\n", line);
    }
    free(line);
    if (ferror(f))
        return -1;
    return selected;
}

/* Searches one FILE; -1 on error (reported), else lines selected. */
static long grep_file(const char *re, const char *path)
{
    bool std = strcmp(path, "-") == 0;
    const char *name = std ? "(standard input)" : path;
    FILE *f = std ? stdin : fopen(path, "r");
    long n = f ? grep_stream(re, f, name) : -1;

    if (n < 0 && !silent)
        fprintf(stderr, "grep: %s: %s\n", path, strerror(errno));
    if (f && !std)
        fclose(f);
    if (n < 0)
        return -1;
    if (count_only && !names_only) {
        if (several)
            printf("%s:", name);
        printf("%ld\n", n);
    }
    if (names_only && n > 0)
        printf("%s\n", name);
    return n;
}

int main(int argc, char **argv)
{
    const char *re = NULL;
    int c;

    while ((c = getopt(argc, argv, "ce:ilnqsv")) != -1) {
        switch (c) {
        case 'c': count_only = true; break;
        case 'e': re = optarg; break;
        case 'i': re_flags |= RE_ICASE; break;
        case 'l': names_only = true; break;
        case 'n': numbers = true; break;
        case 'q': quiet = true; break;
        case 's': silent = true; break;
        case 'v': invert = true; break;
        default: goto usage;
        }
    }
    if (!re) {
        if (optind == argc)
            goto usage;
        re = argv[optind++];
    }
    const char *why = re_error(re);
    if (why) {
        fprintf(stderr, "grep: %s: %s\n", re, why);
        return 2;
    }

    static char *just_stdin[] = { "-" };
    char **files = optind < argc ? argv + optind : just_stdin;
    int nfiles = optind < argc ? argc - optind : 1;
    bool error = false, any = false;

    several = nfiles > 1;
    for (int i = 0; i < nfiles; i++) {
        long n = grep_file(re, files[i]);
        error |= n < 0;
        any |= n > 0;
    }
    return error ? 2 : any ? 0 : 1;
usage:
    fprintf(stderr, "usage: grep [-cilnqsv] [-e PATTERN | PATTERN] [FILE...]\n");
    return 2;
}
