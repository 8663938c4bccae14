/*
 * udpecho.c -- the UDP echo service (RFC 862): every datagram goes back
 * to its sender, unchanged, forever.
 *
 *     udpecho [PORT]          (default 7)
 *
 * One socket bound to PORT on every address (INADDR_ANY); each
 * recvfrom() is answered with a sendto() of the same bytes to the
 * address it came from. Datagrams up to 64 KiB are echoed whole (a
 * larger one would be cut by recvfrom, as for any UDP program with a
 * smaller buffer). A send that fails (no route, queue full) is dropped
 * silently: the service must not stop for one bad peer, and printing
 * per datagram would flood the console under a flood of datagrams.
 *
 * Prints one line when it listens. Exit status 1 if the socket cannot
 * be made or bound (EADDRINUSE: another udpecho runs already).
 */
#if LAB >= 6
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define DEFAULT_PORT 7
#define MAX_DATAGRAM 65536

static char buf[MAX_DATAGRAM];

static int bind_udp(unsigned port)
{
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                                .sin_addr = { htonl(INADDR_ANY) } };
    int fd = socket(AF_INET, SOCK_DGRAM, 0);

    if (fd < 0) {
        fprintf(stderr, "udpecho: socket: %s\n", strerror(errno));
        return -1;
    }
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        fprintf(stderr, "udpecho: bind udp port %u: %s\n", port, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

int main(int argc, char **argv)
{
    unsigned port = DEFAULT_PORT;

    if (argc > 2 || (argc == 2 && ((port = (unsigned)atoi(argv[1])) == 0 || port > 65535))) {
        fprintf(stderr, "usage: udpecho [PORT]\n");
        return 2;
    }
    int fd = bind_udp(port);
    if (fd < 0)
        return 1;
    printf("udpecho: listening on udp port %u\n", port);
    fflush(stdout);
    for (;;) {
        struct sockaddr_in from;
        socklen_t fromlen = sizeof from;
        ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fromlen);

        if (n < 0) {
            if (errno == EBADF || errno == ENOTSOCK)
                return 1;       /* cannot get better: do not spin */
            continue;
        }
        sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fromlen);
    }
}

#endif /* LAB >= 6 */
