/*
 * hello.c -- the first user program: proof that ring 3 works.
 */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    printf("hello from ring 3, pid %d\n", getpid());
    return 0;
}
