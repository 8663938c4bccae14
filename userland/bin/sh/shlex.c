/*
 * shlex.c -- the shell's lexer: input characters to tokens.
 *
 * Quoting and $ expansion happen here, while a word is read, so that a
 * word reaches the parser as the final argv string. The words are
 * written one after another into job->text; running out of it is an
 * error ("too long"), never an overflow.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "shparse.h"

/* Where a word is being built: job->text from `start` on. */
struct word_buf {
    struct sh_job *job;
    char *start;
    bool overflow;
};

static void put_char(struct word_buf *w, char c)
{
    struct sh_job *job = w->job;

    /* One byte stays free for the word's NUL. */
    if (job->text_used + 1 >= SH_TEXT_MAX) {
        w->overflow = true;
        return;
    }
    job->text[job->text_used++] = c;
}

static void put_string(struct word_buf *w, const char *s)
{
    for (; s != NULL && *s != '\0'; s++)
        put_char(w, *s);
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Characters that end an unquoted word. */
static bool is_word_end(char c)
{
    return c == '\0' || is_blank(c) || c == '\n' || c == '|' || c == ';' || c == '&' ||
           c == '<' || c == '>' || c == '(' || c == ')';
}

static bool is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(char c)
{
    return is_name_start(c) || (c >= '0' && c <= '9');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static void set_error(struct sh_parser *ps, const char *msg)
{
    snprintf(ps->error, sizeof ps->error, "%s", msg);
}

static void expand_name(struct sh_parser *ps, struct word_buf *w, const char *name, size_t len)
{
    if (ps->lookup != NULL)
        put_string(w, ps->lookup(name, len, ps->ctx));
}

/*
 * ps->pos is just past a '$'. Expands what follows into w and moves
 * past it; a '$' that starts no expansion stays a '$'. Returns false
 * (with the message set) for a malformed ${...}.
 */
static bool expand_dollar(struct sh_parser *ps, struct word_buf *w)
{
    const char *p = ps->pos;

    if (*p == '?' || *p == '$' || *p == '!' || *p == '#' || is_digit(*p)) {
        expand_name(ps, w, p, 1);
        ps->pos = p + 1;
        return true;
    }
    if (*p == '{') {
        const char *name = p + 1;
        const char *q = name;
        while (is_name_char(*q))
            q++;
        if (*q != '}' || q == name || !is_name_start(*name)) {
            set_error(ps, "bad substitution: ${ needs a NAME and a }");
            return false;
        }
        expand_name(ps, w, name, (size_t)(q - name));
        ps->pos = q + 1;
        return true;
    }
    if (is_name_start(*p)) {
        const char *q = p;
        while (is_name_char(*q))
            q++;
        expand_name(ps, w, p, (size_t)(q - p));
        ps->pos = q;
        return true;
    }
    put_char(w, '$');
    return true;
}

/* ps->pos is just past an opening '. */
static bool read_single_quoted(struct sh_parser *ps, struct word_buf *w)
{
    const char *p = ps->pos;

    while (*p != '\'') {
        if (*p == '\0') {
            set_error(ps, "syntax error: unterminated quote '");
            return false;
        }
        put_char(w, *p++);
    }
    ps->pos = p + 1;
    return true;
}

/* ps->pos is just past an opening ". */
static bool read_double_quoted(struct sh_parser *ps, struct word_buf *w)
{
    for (;;) {
        char c = *ps->pos;

        if (c == '\0') {
            set_error(ps, "syntax error: unterminated quote \"");
            return false;
        }
        ps->pos++;
        if (c == '"')
            return true;
        if (c == '$') {
            if (!expand_dollar(ps, w))
                return false;
        } else if (c == '\\' && strchr("$\"\\\n", *ps->pos) != NULL && *ps->pos != '\0') {
            char next = *ps->pos++;
            if (next != '\n')   /* backslash-newline: both go */
                put_char(w, next);
        } else {
            put_char(w, c);
        }
    }
}

/* Reads a word starting at ps->pos into tok (the caller has checked
 * that one starts there). */
static void read_word(struct sh_parser *ps, struct sh_job *job, struct sh_token *tok)
{
    struct word_buf w = {job, job->text + job->text_used, false};
    bool quoted = false;
    bool ok = true;

    tok->start = ps->pos;
    while (ok && !is_word_end(*ps->pos)) {
        char c = *ps->pos++;

        if (c == '\'') {
            quoted = true;
            ok = read_single_quoted(ps, &w);
        } else if (c == '"') {
            quoted = true;
            ok = read_double_quoted(ps, &w);
        } else if (c == '\\') {
            quoted = true;
            if (*ps->pos == '\n')
                ps->pos++;      /* a continued line */
            else if (*ps->pos == '\0')
                put_char(&w, '\\');     /* nothing left to escape */
            else
                put_char(&w, *ps->pos++);
        } else if (c == '$') {
            ok = expand_dollar(ps, &w);
        } else {
            put_char(&w, c);
        }
    }
    tok->len = (size_t)(ps->pos - tok->start);
    if (!ok) {
        tok->kind = SH_TOK_ERROR;
        return;
    }
    if (w.overflow) {
        snprintf(ps->error, sizeof ps->error,
                 "command too long (at most %d bytes of words after expansion)",
                 SH_TEXT_MAX - 1);
        tok->kind = SH_TOK_ERROR;
        return;
    }
    job->text[job->text_used++] = '\0';     /* put_char kept room for it */
    tok->kind = SH_TOK_WORD;
    tok->word = w.start;
    tok->dropped = !quoted && w.start[0] == '\0';
}

/*
 * A redirection operator at ps->pos, after the optional descriptor
 * number (fd, or -1 if none was written): < > >> >| <& >&.
 */
static void read_redirection(struct sh_parser *ps, int fd, struct sh_token *tok)
{
    char op = *ps->pos++;

    if (op == '<') {
        tok->redir_kind = SH_REDIR_IN;
        if (*ps->pos == '&') {
            ps->pos++;
            tok->redir_kind = SH_REDIR_DUP;
        }
        tok->fd = fd >= 0 ? fd : 0;
    } else {
        tok->redir_kind = SH_REDIR_OUT;
        if (*ps->pos == '>') {
            ps->pos++;
            tok->redir_kind = SH_REDIR_APPEND;
        } else if (*ps->pos == '&') {
            ps->pos++;
            tok->redir_kind = SH_REDIR_DUP;
        } else if (*ps->pos == '|') {
            ps->pos++;          /* >| : there is no noclobber to override */
        }
        tok->fd = fd >= 0 ? fd : 1;
    }
    tok->kind = SH_TOK_REDIR;
    tok->len = (size_t)(ps->pos - tok->start);
}

/* Digits right before < or > name the descriptor ("2>err"); returns
 * it and moves past them, or returns -1 and moves nowhere. */
static int read_io_number(struct sh_parser *ps)
{
    const char *p = ps->pos;
    int fd = 0;

    while (is_digit(*p) && fd < 1000)
        fd = fd * 10 + (*p++ - '0');
    if (p == ps->pos || (*p != '<' && *p != '>') || fd >= 1000)
        return -1;
    ps->pos = p;
    return fd;
}

static void skip_blanks_and_comment(struct sh_parser *ps)
{
    for (;;) {
        while (is_blank(*ps->pos))
            ps->pos++;
        if (ps->pos[0] == '\\' && ps->pos[1] == '\n') {
            ps->pos += 2;       /* a continued line between words */
            continue;
        }
        break;
    }
    if (*ps->pos == '#') {
        while (*ps->pos != '\0' && *ps->pos != '\n')
            ps->pos++;
    }
}

void sh_next_token(struct sh_parser *ps, struct sh_job *job, struct sh_token *tok)
{
    memset(tok, 0, sizeof *tok);
    skip_blanks_and_comment(ps);
    tok->start = ps->pos;
    tok->len = 1;

    char c = *ps->pos;
    switch (c) {
    case '\0':
        tok->kind = SH_TOK_END;
        tok->len = 0;
        return;
    case '\n':
        tok->kind = SH_TOK_NEWLINE;
        break;
    case '|':
        tok->kind = SH_TOK_PIPE;
        break;
    case ';':
        tok->kind = SH_TOK_SEMI;
        break;
    case '&':
        tok->kind = SH_TOK_AMP;
        break;
    case '<':
    case '>':
        read_redirection(ps, -1, tok);
        return;
    case '(':
    case ')':
        /* Operators in POSIX sh (subshells), which this one lacks: an
         * error rather than a command named "(echo". */
        snprintf(ps->error, sizeof ps->error, "syntax error near '%c' (no ( ) subshells)", c);
        tok->kind = SH_TOK_ERROR;
        break;
    default: {
        int fd = read_io_number(ps);
        if (fd >= 0)
            read_redirection(ps, fd, tok);
        else
            read_word(ps, job, tok);
        return;
    }
    }
    ps->pos++;
}
