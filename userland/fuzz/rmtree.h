/* rmtree.h -- remove a directory and everything in it (the workers'
 * directories after the run: what they created must not stay behind,
 * or the leak check would count the files as lost heap). */
#ifndef FUZZ_RMTREE_H
#define FUZZ_RMTREE_H

/* 0, or -1 if something could not be removed (errno says why). */
int rmtree(const char *path);

#endif
