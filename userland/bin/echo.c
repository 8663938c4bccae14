/*
 * echo.c -- print the arguments, separated by spaces, and a newline.
 *
 * The whole line goes out in one write() (printf's chunk) when it fits,
 * so that tests reading the console see it whole.
 */
#include <stdio.h>

int main(int argc, char **argv)
{
    char line[STDIO_CHUNK];
    size_t len = 0;

    line[0] = '\0';
    for (int i = 1; i < argc; i++) {
        int n = snprintf(line + len, sizeof line - len, "%s%s", i > 1 ? " " : "", argv[i]);

        if (n < 0 || (size_t)n >= sizeof line - len) {
            /* Too long for one chunk: print what is gathered, go on. */
            fputs(line, stdout);
            printf("%s%s", i > 1 ? " " : "", argv[i]);
            len = 0;
            line[0] = '\0';
            continue;
        }
        len += (size_t)n;
    }
    return puts(line) < 0 ? 1 : 0;
}
