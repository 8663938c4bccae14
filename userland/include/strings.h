/* strings.h -- where POSIX puts strcasecmp and strncasecmp: string.h. */
#include <string.h>
