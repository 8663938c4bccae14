/*
 * strerror.c -- errno, and the message for each error number.
 *
 * The texts are glibc's, so that a student's "No such file or directory"
 * reads the same here as on Linux; so is strerrorname_np(), which gives
 * the macro's name ("ENOENT") for tests' messages.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

int errno;

static const char *const messages[] = {
    [0] = "Success",
    [EPERM] = "Operation not permitted",
    [ENOENT] = "No such file or directory",
    [ESRCH] = "No such process",
    [EINTR] = "Interrupted system call",
    [EIO] = "Input/output error",
    [E2BIG] = "Argument list too long",
    [ENOEXEC] = "Exec format error",
    [EBADF] = "Bad file descriptor",
    [ECHILD] = "No child processes",
    [EAGAIN] = "Resource temporarily unavailable",
    [ENOMEM] = "Cannot allocate memory",
    [EACCES] = "Permission denied",
    [EFAULT] = "Bad address",
    [EEXIST] = "File exists",
    [ENOTDIR] = "Not a directory",
    [EISDIR] = "Is a directory",
    [EINVAL] = "Invalid argument",
    [EMFILE] = "Too many open files",
    [ENOTTY] = "Inappropriate ioctl for device",
    [ENOSPC] = "No space left on device",
    [ESPIPE] = "Illegal seek",
    [EROFS] = "Read-only file system",
    [EPIPE] = "Broken pipe",
    [ERANGE] = "Numerical result out of range",
    [ENAMETOOLONG] = "File name too long",
    [ENOSYS] = "Function not implemented",
    [ENOTEMPTY] = "Directory not empty",
    [EADDRINUSE] = "Address already in use",
    [ECONNRESET] = "Connection reset by peer",
    [ENOBUFS] = "No buffer space available",
    [ENOTCONN] = "Transport endpoint is not connected",
    [ETIMEDOUT] = "Connection timed out",
    [ECONNREFUSED] = "Connection refused",
#if LAB >= 6
    [ENOTSOCK] = "Socket operation on non-socket",
    [EDESTADDRREQ] = "Destination address required",
    [EMSGSIZE] = "Message too long",
    [EPROTOTYPE] = "Protocol wrong type for socket",
    [ENOPROTOOPT] = "Protocol not available",
    [EPROTONOSUPPORT] = "Protocol not supported",
    [EOPNOTSUPP] = "Operation not supported",
    [EAFNOSUPPORT] = "Address family not supported by protocol",
    [EADDRNOTAVAIL] = "Cannot assign requested address",
    [ENETUNREACH] = "Network is unreachable",
    [ECONNABORTED] = "Software caused connection abort",
    [EISCONN] = "Transport endpoint is already connected",
    [EHOSTUNREACH] = "No route to host",
    [EALREADY] = "Operation already in progress",
    [EINPROGRESS] = "Operation now in progress",
#endif
};

#define NAME(e) [e] = #e
static const char *const names[] = {
    NAME(EPERM),   NAME(ENOENT),  NAME(ESRCH),  NAME(EINTR),  NAME(EIO),
    NAME(E2BIG),   NAME(ENOEXEC), NAME(EBADF),  NAME(ECHILD), NAME(EAGAIN),
    NAME(ENOMEM),  NAME(EACCES),  NAME(EFAULT), NAME(EEXIST), NAME(ENOTDIR),
    NAME(EISDIR),  NAME(EINVAL),  NAME(EMFILE), NAME(ENOSPC), NAME(ESPIPE),
    NAME(EROFS),   NAME(EPIPE),   NAME(ERANGE), NAME(ENAMETOOLONG),
    NAME(ENOSYS),  NAME(ENOTEMPTY),
    NAME(ENOTTY),
    NAME(EADDRINUSE), NAME(ECONNRESET), NAME(ENOBUFS), NAME(ENOTCONN),
    NAME(ETIMEDOUT),  NAME(ECONNREFUSED),
#if LAB >= 6
    NAME(ENOTSOCK), NAME(EDESTADDRREQ), NAME(EMSGSIZE), NAME(EPROTOTYPE),
    NAME(ENOPROTOOPT), NAME(EPROTONOSUPPORT), NAME(EOPNOTSUPP), NAME(EAFNOSUPPORT),
    NAME(EADDRNOTAVAIL), NAME(ENETUNREACH), NAME(ECONNABORTED), NAME(EISCONN),
    NAME(EHOSTUNREACH), NAME(EALREADY), NAME(EINPROGRESS),
#endif
};

const char *strerrorname_np(int errnum)
{
    if (errnum > 0 && (size_t)errnum < sizeof names / sizeof names[0])
        return names[errnum];
    return NULL;
}

char *strerror(int errnum)
{
    static char unknown[32];

    if (errnum >= 0 && (size_t)errnum < sizeof messages / sizeof messages[0] && messages[errnum] != NULL)
        return (char *)messages[errnum];
    snprintf(unknown, sizeof unknown, "Unknown error %d", errnum);
    return unknown;
}
