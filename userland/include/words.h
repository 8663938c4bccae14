/*
 * words.h -- splitting a command line into words (lib/words.c; tidepool.h
 * includes this). Pure logic: the host tests run it too.
 */
#ifndef USER_WORDS_H
#define USER_WORDS_H

/* Splits line in place into words separated by spaces or tabs (a
 * newline or carriage return ends the line), stores pointers to them in
 * words[0..n-1] and NULL in words[n], and returns n. If the line has
 * more than max_words - 1 words, returns -1 (words is then unusable). */
int split_words(char *line, char *words[], int max_words);

#endif
