/*
 * shparse.c -- the shell's parser: tokens (shlex.c) to jobs.
 *
 * One call parses one job: the commands of a pipeline up to ';', '&',
 * a newline or the end. Every way a job can be malformed ends in
 * SH_PARSE_ERROR with a message, never in a write outside *job.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "shparse.h"

void sh_parser_init(struct sh_parser *ps, const char *input, sh_lookup_fn *lookup, void *ctx)
{
    ps->pos = input;
    ps->lookup = lookup;
    ps->ctx = ctx;
    ps->error[0] = '\0';
}

/* "syntax error near '|'", or "... unexpected end of line" when the
 * input ran out (or the line ended) where something had to follow. */
static enum sh_parse_result syntax_error(struct sh_parser *ps, const struct sh_token *tok)
{
    if (tok->kind == SH_TOK_END || tok->kind == SH_TOK_NEWLINE)
        snprintf(ps->error, sizeof ps->error, "syntax error: unexpected end of line");
    else
        snprintf(ps->error, sizeof ps->error, "syntax error near '%.*s'",
                 (int)(tok->len > 16 ? 16 : tok->len), tok->start);
    return SH_PARSE_ERROR;
}

static enum sh_parse_result limit_error(struct sh_parser *ps, const char *what, int max)
{
    snprintf(ps->error, sizeof ps->error, "too many %s (at most %d)", what, max);
    return SH_PARSE_ERROR;
}

/* The target of >&M / <&M: a descriptor number, or '-' to close. */
static bool parse_dup_target(const char *word, struct sh_redir *r)
{
    if (strcmp(word, "-") == 0) {
        r->kind = SH_REDIR_CLOSE;
        return true;
    }
    int fd = 0;
    if (*word == '\0')
        return false;
    for (const char *p = word; *p != '\0'; p++) {
        if (*p < '0' || *p > '9' || fd >= 1000)
            return false;
        fd = fd * 10 + (*p - '0');
    }
    r->dup_fd = fd;
    return true;
}

/* tok is a redirection operator: reads its target into cmd. */
static enum sh_parse_result parse_redirection(struct sh_parser *ps, struct sh_job *job,
                                              struct sh_cmd *cmd, const struct sh_token *op)
{
    struct sh_token target;

    sh_next_token(ps, job, &target);
    if (target.kind == SH_TOK_ERROR)
        return SH_PARSE_ERROR;
    if (target.kind != SH_TOK_WORD)
        return syntax_error(ps, &target);
    if (cmd->nredirs == SH_MAX_REDIRS)
        return limit_error(ps, "redirections in one command", SH_MAX_REDIRS);

    struct sh_redir *r = &cmd->redirs[cmd->nredirs++];
    r->kind = op->redir_kind;
    r->fd = op->fd;
    r->dup_fd = -1;
    r->path = target.word;
    if (r->kind == SH_REDIR_DUP && !parse_dup_target(target.word, r)) {
        snprintf(ps->error, sizeof ps->error,
                 "syntax error: '%.*s' needs a descriptor number or '-', not '%.16s'",
                 (int)op->len, op->start, target.word);
        return SH_PARSE_ERROR;
    }
    return SH_PARSE_JOB;
}

/*
 * Reads words and redirections into cmd until an operator, which is
 * left in *end. *written says whether there was any word at all: a
 * command of words that all expanded to nothing ("$EMPTY | cat") is
 * still a command, one that does nothing; no words is a syntax error.
 */
static enum sh_parse_result parse_command(struct sh_parser *ps, struct sh_job *job,
                                          struct sh_cmd *cmd, struct sh_token *end,
                                          bool *written)
{
    memset(cmd, 0, sizeof *cmd);
    *written = false;
    for (;;) {
        struct sh_token tok;

        sh_next_token(ps, job, &tok);
        if (tok.kind == SH_TOK_ERROR)
            return SH_PARSE_ERROR;
        if (tok.kind == SH_TOK_WORD || tok.kind == SH_TOK_REDIR)
            *written = true;
        if (tok.kind == SH_TOK_WORD) {
            if (tok.dropped)
                continue;
            if (cmd->argc == SH_MAX_ARGS)
                return limit_error(ps, "arguments", SH_MAX_ARGS);
            cmd->argv[cmd->argc++] = tok.word;
            cmd->argv[cmd->argc] = NULL;
        } else if (tok.kind == SH_TOK_REDIR) {
            if (parse_redirection(ps, job, cmd, &tok) != SH_PARSE_JOB)
                return SH_PARSE_ERROR;
        } else {
            *end = tok;
            return SH_PARSE_JOB;
        }
    }
}

enum sh_parse_result sh_parse_job(struct sh_parser *ps, struct sh_job *job)
{
    struct sh_token tok;

    job->ncmds = 0;
    job->background = false;
    job->text_used = 0;

    /* Blank lines (and comment lines) between jobs are nothing. */
    for (;;) {
        const char *before = ps->pos;
        sh_next_token(ps, job, &tok);
        if (tok.kind == SH_TOK_END)
            return SH_PARSE_END;
        if (tok.kind != SH_TOK_NEWLINE) {
            ps->pos = before;   /* read it again as part of the command */
            job->text_used = 0;
            break;
        }
    }

    for (;;) {
        if (job->ncmds == SH_MAX_CMDS)
            return limit_error(ps, "commands in one pipeline", SH_MAX_CMDS);
        struct sh_cmd *cmd = &job->cmds[job->ncmds];
        bool written;
        if (parse_command(ps, job, cmd, &tok, &written) != SH_PARSE_JOB)
            return SH_PARSE_ERROR;
        if (!written)
            return syntax_error(ps, &tok);
        job->ncmds++;
        if (tok.kind != SH_TOK_PIPE)
            break;
    }
    /* tok ends the job: ';' '&' newline or the end (left for the next
     * call to see). */
    if (tok.kind == SH_TOK_END)
        ps->pos = tok.start;
    job->background = tok.kind == SH_TOK_AMP;
    return SH_PARSE_JOB;
}

bool sh_check_syntax(const char *input, struct sh_job *scratch, char *error, size_t size)
{
    struct sh_parser ps;
    enum sh_parse_result r;

    sh_parser_init(&ps, input, NULL, NULL);
    while ((r = sh_parse_job(&ps, scratch)) == SH_PARSE_JOB)
        ;
    if (r == SH_PARSE_ERROR) {
        snprintf(error, size, "%s", ps.error);
        return false;
    }
    return true;
}
