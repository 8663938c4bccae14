/*
 * lspci.c -- the PCI functions the kernel found (SYS_pcilist).
 *
 *     lspci [-v]
 *
 * One line per function, in the kernel's (bus, device, function)
 * order:
 *
 *     00:03.0 8086:100e class 02.00 Ethernet controller
 *
 * bus:device.function in hex as Linux's lspci writes them, vendor and
 * device IDs, the class code and subclass (PCI Local Bus spec 3.0,
 * section 6.2.1 and appendix D), and the class's name from the kernel.
 * -v adds, under each function, its IRQ line and every BAR in use:
 * "mem" or "io", base and size (6.2.5.1). Exit status 1 if the kernel
 * has no SYS_pcilist.
 */
#if LAB >= 6
#include <errno.h>
#include <pci.h>        /* kernel/abi */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <tidepool.h>
#include <unistd.h>

static struct pci_info funcs[PCI_INFO_MAX];

/* SYS_pcilist: the number of functions filled, or -1 and errno. */
static int pcilist(struct pci_info *buf, int max)
{
    /* SAFETY: pointer -> integer: the kernel takes the user address as a
     * register value and checks the whole buffer is user memory. */
    long r = syscall_raw(SYS_pcilist, (long)(uintptr_t)buf, max, 0, 0, 0);

    if (r < 0) {
        errno = (int)-r;
        return -1;
    }
    return (int)r;
}

static void print_bars(const struct pci_info *f)
{
    if (f->irq_line != 0 && f->irq_line != 0xff)
        printf("\tIRQ %u\n", f->irq_line);
    for (int i = 0; i < 6; i++) {
        if (f->bar_size[i] == 0)
            continue;
        bool io = f->bar[i] & 1;
        printf("\tBAR%d: %s 0x%08x size 0x%x\n", i, io ? "io " : "mem",
               (unsigned)(io ? f->bar[i] & ~3u : f->bar[i] & ~15u), (unsigned)f->bar_size[i]);
    }
}

int main(int argc, char **argv)
{
    bool verbose = argc > 1 && strcmp(argv[1], "-v") == 0;

    if (argc > 2 || (argc == 2 && !verbose)) {
        fprintf(stderr, "usage: lspci [-v]\n");
        return 2;
    }
    int n = pcilist(funcs, PCI_INFO_MAX);
    if (n < 0) {
        fprintf(stderr, "lspci: %s\n", strerror(errno));
        return 1;
    }
    for (int i = 0; i < n && i < PCI_INFO_MAX; i++) {
        const struct pci_info *f = &funcs[i];

        printf("%02x:%02x.%x %04x:%04x class %02x.%02x %.*s\n", f->bus, f->dev, f->fn, f->vendor,
               f->device, f->class_code, f->subclass, PCI_INFO_NAME_MAX, f->class_name);
        if (verbose)
            print_bars(f);
    }
    return 0;
}

#endif /* LAB >= 6 */
