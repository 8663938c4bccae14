/* abs.c -- abs() and labs(). As in C, the most negative value has no
 * positive twin: abs(INT_MIN) is undefined (here it stays INT_MIN). */
#include <stdlib.h>

int abs(int x)
{
    return x < 0 ? (int)(0u - (unsigned)x) : x;
}

long labs(long x)
{
    return x < 0 ? (long)(0ul - (unsigned long)x) : x;
}
