/*
 * test_shparse.c -- the shell's lexer and parser (userland/bin/sh/).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shparse.h"

/* The variables the tests expand: $? is 3, $HOME is /home/me, $E is
 * empty, $SP has a space in it; anything else is unset. */
static const char *lookup(const char *name, size_t len, void *ctx)
{
    (void)ctx;
    static const char *vars[][2] = {
        {"?", "3"}, {"HOME", "/home/me"}, {"E", ""}, {"SP", "a b"}, {"$", "42"}, {"!", "41"}, {"#", "2"}, {"0", "sh"},
    };
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        if (strlen(vars[i][0]) == len && memcmp(vars[i][0], name, len) == 0)
            return vars[i][1];
    }
    return NULL;
}

static struct sh_job job;
static struct sh_parser ps;

/* Parses the first job of input, which must parse. */
static struct sh_job *parse_one(const char *input)
{
    sh_parser_init(&ps, input, lookup, NULL);
    enum sh_parse_result r = sh_parse_job(&ps, &job);
    cr_assert_eq(r, SH_PARSE_JOB, "parsing \"%s\": %d (%s)", input, r, ps.error);
    return &job;
}

/* The first error of input, which must have one. */
static const char *error_of(const char *input)
{
    enum sh_parse_result r;

    sh_parser_init(&ps, input, lookup, NULL);
    while ((r = sh_parse_job(&ps, &job)) == SH_PARSE_JOB)
        ;
    cr_assert_eq(r, SH_PARSE_ERROR, "\"%s\" parsed without an error", input);
    return ps.error;
}

static void assert_argv(const struct sh_cmd *cmd, const char **want)
{
    int n = 0;
    while (want[n] != NULL) {
        cr_assert_lt(n, cmd->argc, "argv has %d words, wanted more", cmd->argc);
        cr_assert_str_eq(cmd->argv[n], want[n], "argv[%d]", n);
        n++;
    }
    cr_assert_eq(cmd->argc, n, "argv has %d words, wanted %d", cmd->argc, n);
    cr_assert_null(cmd->argv[n]);
}

#define ARGV(...) ((const char *[]){__VA_ARGS__, NULL})

Test(shparse, plain_words)
{
    struct sh_job *j = parse_one("  ls\t-l   /bin  ");
    cr_assert_eq(j->ncmds, 1);
    cr_assert_not(j->background);
    assert_argv(&j->cmds[0], ARGV("ls", "-l", "/bin"));
    cr_assert_eq(j->cmds[0].nredirs, 0);
}

Test(shparse, single_quotes_are_literal)
{
    struct sh_job *j = parse_one("echo 'a  b' '$HOME' 'x\\y' '|;&<>#'");
    assert_argv(&j->cmds[0], ARGV("echo", "a  b", "$HOME", "x\\y", "|;&<>#"));
}

Test(shparse, double_quotes_expand_and_escape)
{
    struct sh_job *j = parse_one("echo \"a  $HOME\" \"$?\" \"\\$x \\\" \\\\ \\n\" \"'q'\"");
    assert_argv(&j->cmds[0], ARGV("echo", "a  /home/me", "3", "$x \" \\ \\n", "'q'"));
}

Test(shparse, quotes_join_parts_of_one_word)
{
    struct sh_job *j = parse_one("echo a'b c'\"d\"e");
    assert_argv(&j->cmds[0], ARGV("echo", "ab cde"));
}

Test(shparse, empty_quotes_make_an_empty_word)
{
    struct sh_job *j = parse_one("echo '' \"\" x");
    assert_argv(&j->cmds[0], ARGV("echo", "", "", "x"));
}

Test(shparse, backslash_outside_quotes)
{
    struct sh_job *j = parse_one("echo a\\ b \\| \\; \\' \\\" \\$HOME \\\\ \\#x");
    assert_argv(&j->cmds[0], ARGV("echo", "a b", "|", ";", "'", "\"", "$HOME", "\\", "#x"));
}

Test(shparse, quoted_parentheses_are_characters)
{
    struct sh_job *j = parse_one("echo '(' \")\" \\( a\\)b");
    assert_argv(&j->cmds[0], ARGV("echo", "(", ")", "(", "a)b"));
}

Test(shparse, backslash_newline_continues)
{
    struct sh_job *j = parse_one("echo ab\\\ncd \\\n ef");
    assert_argv(&j->cmds[0], ARGV("echo", "abcd", "ef"));
}

Test(shparse, trailing_backslash_stays)
{
    struct sh_job *j = parse_one("echo a\\");
    assert_argv(&j->cmds[0], ARGV("echo", "a\\"));
}

Test(shparse, dollar_expansions)
{
    struct sh_job *j = parse_one("echo $? $HOME/x ${HOME}y $$ $! $0 $UNSET. a$ $ $- \"$!\" $#");
    assert_argv(&j->cmds[0], ARGV("echo", "3", "/home/me/x", "/home/mey", "42", "41", "sh", ".",
                                  "a$", "$", "$-", "41", "2"));
}

Test(shparse, empty_unquoted_expansion_drops_the_word)
{
    struct sh_job *j = parse_one("echo $UNSET $E x \"$E\"");
    assert_argv(&j->cmds[0], ARGV("echo", "x", ""));
}

Test(shparse, expansion_is_not_split)
{
    struct sh_job *j = parse_one("echo $SP");
    assert_argv(&j->cmds[0], ARGV("echo", "a b"));
}

Test(shparse, expansion_result_is_not_reparsed)
{
    /* The value's characters are data, not syntax. */
    struct sh_job *j = parse_one("echo $SP'|'");
    assert_argv(&j->cmds[0], ARGV("echo", "a b|"));
}

Test(shparse, bad_substitution)
{
    cr_assert(strstr(error_of("echo ${HOME"), "bad substitution"));
    cr_assert(strstr(error_of("echo ${}"), "bad substitution"));
    cr_assert(strstr(error_of("echo ${1x}"), "bad substitution"));
}

Test(shparse, comments)
{
    struct sh_job *j = parse_one("echo a#b # the rest ; | >");
    assert_argv(&j->cmds[0], ARGV("echo", "a#b"));
    cr_assert_eq(sh_parse_job(&ps, &job), SH_PARSE_END);

    sh_parser_init(&ps, "# only a comment\n   \n", lookup, NULL);
    cr_assert_eq(sh_parse_job(&ps, &job), SH_PARSE_END);
}

Test(shparse, empty_input)
{
    sh_parser_init(&ps, "", lookup, NULL);
    cr_assert_eq(sh_parse_job(&ps, &job), SH_PARSE_END);
    sh_parser_init(&ps, " \t\n\n", lookup, NULL);
    cr_assert_eq(sh_parse_job(&ps, &job), SH_PARSE_END);
}

Test(shparse, pipelines_of_one_to_max_commands)
{
    char line[SH_MAX_CMDS * 8];

    for (int n = 1; n <= SH_MAX_CMDS; n++) {
        line[0] = '\0';
        for (int i = 0; i < n; i++)
            snprintf(line + strlen(line), sizeof line - strlen(line), "%sc%d a", i ? " | " : "",
                     i);
        struct sh_job *j = parse_one(line);
        cr_assert_eq(j->ncmds, n, "%s", line);
        for (int i = 0; i < n; i++) {
            char name[16];
            snprintf(name, sizeof name, "c%d", i);
            assert_argv(&j->cmds[i], ARGV(name, "a"));
        }
    }
}

Test(shparse, pipe_needs_no_blanks)
{
    struct sh_job *j = parse_one("a|b|c");
    cr_assert_eq(j->ncmds, 3);
    assert_argv(&j->cmds[2], ARGV("c"));
}

Test(shparse, too_long_pipeline)
{
    char line[SH_MAX_CMDS * 8] = "a";
    for (int i = 0; i < SH_MAX_CMDS; i++)
        strcat(line, " | a");
    cr_assert(strstr(error_of(line), "too many commands"), "%s", ps.error);
}

Test(shparse, redirection_forms)
{
    struct sh_job *j = parse_one("cmd <in >out >>app 2>err 2>>err2 2>&1 >&2 0<in0");
    struct sh_cmd *c = &j->cmds[0];
    struct { enum sh_redir_kind kind; int fd; int dup; const char *path; } want[] = {
        {SH_REDIR_IN, 0, -1, "in"},       {SH_REDIR_OUT, 1, -1, "out"},
        {SH_REDIR_APPEND, 1, -1, "app"},  {SH_REDIR_OUT, 2, -1, "err"},
        {SH_REDIR_APPEND, 2, -1, "err2"}, {SH_REDIR_DUP, 2, 1, NULL},
        {SH_REDIR_DUP, 1, 2, NULL},       {SH_REDIR_IN, 0, -1, "in0"},
    };
    assert_argv(c, ARGV("cmd"));
    cr_assert_eq(c->nredirs, SH_MAX_REDIRS);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        cr_assert_eq(c->redirs[i].kind, want[i].kind, "redirection %zu", i);
        cr_assert_eq(c->redirs[i].fd, want[i].fd, "redirection %zu", i);
        if (want[i].kind == SH_REDIR_DUP)
            cr_assert_eq(c->redirs[i].dup_fd, want[i].dup, "redirection %zu", i);
        else
            cr_assert_str_eq(c->redirs[i].path, want[i].path, "redirection %zu", i);
    }
    cr_assert(strstr(error_of("cmd <a <a <a <a <a <a <a <a <a"), "too many redirections"));

    j = parse_one("cmd 3>|x 4>&- 5<&0");
    c = &j->cmds[0];
    cr_assert_eq(c->nredirs, 3);
    cr_assert_eq(c->redirs[0].kind, SH_REDIR_OUT);
    cr_assert_eq(c->redirs[0].fd, 3);
    cr_assert_eq(c->redirs[1].kind, SH_REDIR_CLOSE);
    cr_assert_eq(c->redirs[1].fd, 4);
    cr_assert_eq(c->redirs[2].kind, SH_REDIR_DUP);
    cr_assert_eq(c->redirs[2].fd, 5);
    cr_assert_eq(c->redirs[2].dup_fd, 0);
}

Test(shparse, redirections_anywhere_and_without_blanks)
{
    struct sh_job *j = parse_one(">out echo a<in b 2>/dev/e c|wc>'my file'");
    cr_assert_eq(j->ncmds, 2);
    assert_argv(&j->cmds[0], ARGV("echo", "a", "b", "c"));
    cr_assert_eq(j->cmds[0].nredirs, 3);
    cr_assert_str_eq(j->cmds[0].redirs[0].path, "out");
    cr_assert_str_eq(j->cmds[0].redirs[1].path, "in");
    cr_assert_str_eq(j->cmds[0].redirs[2].path, "/dev/e");
    assert_argv(&j->cmds[1], ARGV("wc"));
    cr_assert_str_eq(j->cmds[1].redirs[0].path, "my file");
}

Test(shparse, digits_are_a_descriptor_only_right_before_the_operator)
{
    struct sh_job *j = parse_one("echo 2 >f a2>g '2'>h");
    assert_argv(&j->cmds[0], ARGV("echo", "2", "a2", "2"));
    cr_assert_eq(j->cmds[0].redirs[0].fd, 1);
    cr_assert_eq(j->cmds[0].redirs[1].fd, 1);
    cr_assert_eq(j->cmds[0].redirs[2].fd, 1);
}

Test(shparse, redirection_target_is_expanded_and_kept_when_empty)
{
    struct sh_job *j = parse_one("cat <$HOME/f >$E");
    cr_assert_str_eq(j->cmds[0].redirs[0].path, "/home/me/f");
    cr_assert_str_eq(j->cmds[0].redirs[1].path, "");
}

Test(shparse, redirections_only)
{
    struct sh_job *j = parse_one(">f");
    cr_assert_eq(j->cmds[0].argc, 0);
    cr_assert_eq(j->cmds[0].nredirs, 1);
}

Test(shparse, separators_and_background)
{
    sh_parser_init(&ps, "a 1; b &c\n\nd&", lookup, NULL);
    cr_assert_eq(sh_parse_job(&ps, &job), SH_PARSE_JOB);
    assert_argv(&job.cmds[0], ARGV("a", "1"));
    cr_assert_not(job.background);
    cr_assert_eq(sh_parse_job(&ps, &job), SH_PARSE_JOB);
    assert_argv(&job.cmds[0], ARGV("b"));
    cr_assert(job.background);
    cr_assert_eq(sh_parse_job(&ps, &job), SH_PARSE_JOB);
    assert_argv(&job.cmds[0], ARGV("c"));
    cr_assert_not(job.background);
    cr_assert_eq(sh_parse_job(&ps, &job), SH_PARSE_JOB);
    assert_argv(&job.cmds[0], ARGV("d"));
    cr_assert(job.background);
    cr_assert_eq(sh_parse_job(&ps, &job), SH_PARSE_END);
    cr_assert_eq(sh_parse_job(&ps, &job), SH_PARSE_END, "END again after END");
}

Test(shparse, background_pipeline)
{
    struct sh_job *j = parse_one("a | b &");
    cr_assert_eq(j->ncmds, 2);
    cr_assert(j->background);
}

/* $? is looked up when the job is parsed, so a shell that runs each
 * job before parsing the next gets the status of the one before. */
static int status_now;
static const char *status_lookup(const char *name, size_t len, void *ctx)
{
    static char buf[8];
    (void)ctx;
    if (len == 1 && name[0] == '?') {
        snprintf(buf, sizeof buf, "%d", status_now);
        return buf;
    }
    return NULL;
}

Test(shparse, expansion_happens_job_by_job)
{
    sh_parser_init(&ps, "false; echo $?", status_lookup, NULL);
    status_now = 0;
    cr_assert_eq(sh_parse_job(&ps, &job), SH_PARSE_JOB);
    status_now = 1;
    cr_assert_eq(sh_parse_job(&ps, &job), SH_PARSE_JOB);
    assert_argv(&job.cmds[0], ARGV("echo", "1"));
}

Test(shparse, syntax_errors)
{
    cr_assert_str_eq(error_of("| a"), "syntax error near '|'");
    cr_assert_str_eq(error_of("a |"), "syntax error: unexpected end of line");
    cr_assert_str_eq(error_of("a | | b"), "syntax error near '|'");
    cr_assert_str_eq(error_of("a |\nb"), "syntax error: unexpected end of line");
    cr_assert_str_eq(error_of("a | # c"), "syntax error: unexpected end of line");
    cr_assert_str_eq(error_of("a >"), "syntax error: unexpected end of line");
    cr_assert_str_eq(error_of("a > | b"), "syntax error near '|'");
    cr_assert_str_eq(error_of("a < ;"), "syntax error near ';'");
    cr_assert_str_eq(error_of("a 2>> &"), "syntax error near '&'");
    cr_assert_str_eq(error_of("a >> >x"), "syntax error near '>'");
    cr_assert_str_eq(error_of("; a"), "syntax error near ';'");
    cr_assert_str_eq(error_of("a ;; b"), "syntax error near ';'");
    cr_assert_str_eq(error_of("& a"), "syntax error near '&'");
    cr_assert_str_eq(error_of("a && b"), "syntax error near '&'");
    cr_assert_str_eq(error_of("a || b"), "syntax error near '|'");
    cr_assert_str_eq(error_of("a & ; b"), "syntax error near ';'");
    cr_assert_str_eq(error_of("echo 'abc"), "syntax error: unterminated quote '");
    cr_assert_str_eq(error_of("echo \"abc"), "syntax error: unterminated quote \"");
    cr_assert_str_eq(error_of("echo \"a\\\""), "syntax error: unterminated quote \"");
    cr_assert(strstr(error_of("a >&x"), "needs a descriptor number"));
    cr_assert_str_eq(error_of("(echo a)"), "syntax error near '(' (no ( ) subshells)");
    cr_assert_str_eq(error_of("echo a)"), "syntax error near ')' (no ( ) subshells)");
    cr_assert(strstr(error_of("a 2>&"), "unexpected end of line"));
}

Test(shparse, check_syntax_looks_at_the_whole_input)
{
    char err[SH_ERROR_MAX];
    cr_assert(sh_check_syntax("a; b | c & d > e", &job, err, sizeof err));
    cr_assert_not(sh_check_syntax("a; b; c |", &job, err, sizeof err));
    cr_assert_str_eq(err, "syntax error: unexpected end of line");
    cr_assert_not(sh_check_syntax("echo ok\necho 'x", &job, err, sizeof err));
    cr_assert(sh_check_syntax("", &job, err, sizeof err));
}

Test(shparse, max_args_and_one_more)
{
    char line[SH_MAX_ARGS * 4 + 8] = "c";
    for (int i = 1; i < SH_MAX_ARGS; i++)
        strcat(line, " a");
    struct sh_job *j = parse_one(line);
    cr_assert_eq(j->cmds[0].argc, SH_MAX_ARGS);
    cr_assert_null(j->cmds[0].argv[SH_MAX_ARGS]);
    strcat(line, " a");
    cr_assert_str_eq(error_of(line), "too many arguments (at most 64)");
}

Test(shparse, long_input_fills_the_text_then_fails_cleanly)
{
    /* One word of SH_TEXT_MAX - 1 bytes fits (with its NUL), one more
     * byte does not. */
    size_t n = SH_TEXT_MAX - 1;
    char *line = malloc(n + 2);
    memset(line, 'x', n);
    line[n] = '\0';
    struct sh_job *j = parse_one(line);
    cr_assert_eq(strlen(j->cmds[0].argv[0]), n);
    line[n] = 'y';
    line[n + 1] = '\0';
    cr_assert(strstr(error_of(line), "too long"), "%s", ps.error);
    free(line);

    /* Expansion can overflow too: 2000 $HOME of 8 bytes each. */
    char *big = malloc(2000 * 5 + 1);
    big[0] = '\0';
    for (int i = 0; i < 2000; i++)
        strcat(big, "$HOME");
    cr_assert(strstr(error_of(big), "too long"), "%s", ps.error);
    free(big);
}

Test(shparse, very_long_input_of_many_jobs)
{
    /* 10000 jobs: each fits, the text is reused job by job. */
    size_t size = 10000 * 10 + 1;
    char *line = malloc(size);
    line[0] = '\0';
    size_t len = 0;
    for (int i = 0; i < 10000; i++)
        len += (size_t)snprintf(line + len, size - len, "echo %04d;", i);
    sh_parser_init(&ps, line, lookup, NULL);
    int jobs = 0;
    while (sh_parse_job(&ps, &job) == SH_PARSE_JOB)
        jobs++;
    cr_assert_eq(jobs, 10000);
    cr_assert_str_eq(job.cmds[0].argv[1], "9999");
    free(line);
}

Test(shparse, every_byte_value_is_handled)
{
    /* No input may crash the parser: every byte 1..255 alone, and
     * after each of the characters that open something. */
    const char *openers[] = {"", "'", "\"", "\\", "$", "${", "2", "2>", ">&", "a|", "#"};
    char line[8];
    for (size_t o = 0; o < sizeof openers / sizeof openers[0]; o++) {
        for (int c = 1; c < 256; c++) {
            snprintf(line, sizeof line, "%s%c", openers[o], c);
            sh_parser_init(&ps, line, lookup, NULL);
            while (sh_parse_job(&ps, &job) == SH_PARSE_JOB)
                ;
        }
    }
}
