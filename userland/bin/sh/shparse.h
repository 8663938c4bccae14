/*
 * shparse.h -- the shell's command language, as pure code (no system
 * calls): shlex.c cuts the input into tokens, quoting and expanding
 * words as it goes; shparse.c groups the tokens into jobs. sh.c runs
 * them; the host tests (userland/tests/host/test_shparse.c) check them.
 *
 * The language (a subset of POSIX sh):
 *
 *   line     := job (SEP job)* [SEP]          SEP is ';', '&' or newline
 *   job      := command ('|' command)*        '&' after it: in the background
 *   command  := (word | redirection)+
 *   redirection := [N]<word  [N]>word  [N]>>word  [N]>|word  [N]>&M  [N]<&M  [N]>&-
 *
 * Words: 'single quotes' keep everything literally; "double quotes" keep
 * everything but $ expansions and the backslash before $ " \ and
 * newline; outside quotes a backslash keeps the next character
 * literally, and a backslash-newline disappears. $NAME, ${NAME}, $?, $$,
 * $!, $# and $0..$9 are replaced by what the lookup function returns
 * (or nothing). A word that was only unquoted expansions and came out empty
 * is dropped, as POSIX shells do ("echo $UNSET x" has two words). An
 * unquoted '#' at the start of a word starts a comment.
 *
 * Not there: field splitting of expansions, globbing, && ||, ( ) (an
 * error) and { } (plain words),
 * here-documents, control flow, quotes spanning lines of input.
 */
#ifndef SH_SHPARSE_H
#define SH_SHPARSE_H

#include <stdbool.h>
#include <stddef.h>

/* The limits of one job (bounded so that a job fits in a static buffer
 * and nothing of it can overflow: going over one is an error message). */
#define SH_MAX_ARGS   64        /* words of one command (argv without its NULL) */
#define SH_MAX_REDIRS 8         /* redirections of one command */
#define SH_MAX_CMDS   16        /* commands of one pipeline */
#define SH_TEXT_MAX   4096      /* bytes of one job's words after expansion */
#define SH_ERROR_MAX  96        /* bytes of an error message */

enum sh_redir_kind {
    SH_REDIR_IN,                /* N<path     (N = 0 if left out) */
    SH_REDIR_OUT,               /* N>path     (N = 1 if left out): create or truncate */
    SH_REDIR_APPEND,            /* N>>path    create, or append */
    SH_REDIR_DUP,               /* N>&M, N<&M: N becomes a copy of M */
    SH_REDIR_CLOSE,             /* N>&-, N<&-: N is closed */
};

struct sh_redir {
    enum sh_redir_kind kind;
    int fd;                     /* the descriptor redirected */
    int dup_fd;                 /* SH_REDIR_DUP: the one copied */
    char *path;                 /* IN, OUT, APPEND: the file (in the job's text) */
};

struct sh_cmd {
    int argc;                   /* 0 for a command of redirections only */
    char *argv[SH_MAX_ARGS + 1];        /* NULL-terminated */
    int nredirs;
    struct sh_redir redirs[SH_MAX_REDIRS];      /* in the order written */
};

struct sh_job {
    int ncmds;                  /* >= 1 */
    bool background;            /* ended by '&' */
    struct sh_cmd cmds[SH_MAX_CMDS];
    size_t text_used;
    char text[SH_TEXT_MAX];     /* the words, each NUL-terminated */
};

/* What $NAME expands to: the value of the variable called name[0..len)
 * (not NUL-terminated; "?" for $?, "$" for $$, "!" for $!, "#" for $#,
 * "0".."9"), or NULL for nothing. */
typedef const char *sh_lookup_fn(const char *name, size_t len, void *ctx);

struct sh_parser {
    const char *pos;            /* the next character of the input */
    sh_lookup_fn *lookup;       /* NULL: every expansion is empty */
    void *ctx;
    char error[SH_ERROR_MAX];   /* after SH_PARSE_ERROR: what was wrong */
};

enum sh_parse_result {
    SH_PARSE_JOB,               /* *job holds the next job */
    SH_PARSE_END,               /* no job left */
    SH_PARSE_ERROR,             /* ps->error says why; stop parsing this input */
};

/* Starts parsing input (a NUL-terminated string, which must outlive the
 * parser: tokens point into it while they are read). */
void sh_parser_init(struct sh_parser *ps, const char *input, sh_lookup_fn *lookup, void *ctx);

/* Parses the next job, expanding its words with the lookup function
 * as they are read: so a shell that runs each job before parsing the
 * next sees "false; echo $?" print 1. Blank lines and comments are
 * skipped. */
enum sh_parse_result sh_parse_job(struct sh_parser *ps, struct sh_job *job);

/* Parses all of input without expanding anything (scratch is only
 * work space): true if it is well formed, else false with the message
 * in error. A shell checks a line first so that a syntax error late in
 * it stops the whole line from running, as POSIX shells do. */
bool sh_check_syntax(const char *input, struct sh_job *scratch, char *error, size_t size);

/* ---- the lexer (shlex.c), used by shparse.c */

enum sh_token_kind {
    SH_TOK_WORD,
    SH_TOK_REDIR,               /* redir_kind and fd set; the target follows */
    SH_TOK_PIPE,
    SH_TOK_SEMI,
    SH_TOK_AMP,
    SH_TOK_NEWLINE,
    SH_TOK_END,
    SH_TOK_ERROR,               /* ps->error says why */
};

struct sh_token {
    enum sh_token_kind kind;
    const char *start;          /* where it is in the input (for messages) */
    size_t len;
    char *word;                 /* SH_TOK_WORD: the expanded word, in job->text */
    bool dropped;               /* SH_TOK_WORD: only empty unquoted expansions */
    enum sh_redir_kind redir_kind;      /* SH_TOK_REDIR: IN, OUT, APPEND or DUP (for >& <&) */
    int fd;                     /* SH_TOK_REDIR: the descriptor */
};

/* Reads the next token; a word is stored in job->text. */
void sh_next_token(struct sh_parser *ps, struct sh_job *job, struct sh_token *tok);

#endif
