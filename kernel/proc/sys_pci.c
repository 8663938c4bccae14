/* sys_pci.c -- SYS_pcilist: the PCI functions pci_scan() found, for lspci. */
#if LAB >= 6
#include "proc/syscall.h"
#include "abi/errno.h"
#include "abi/pci.h"
#include "arch/i386/pci.h"
#include "mm/usercopy.h"
#include <string.h>

static void fill_info(struct pci_info *out, const struct pci_func *f)
{
    memset(out, 0, sizeof *out);
    out->bus = f->bus, out->dev = f->dev, out->fn = f->fn;
    out->class_code = f->class_code, out->subclass = f->subclass;
    out->prog_if = f->prog_if, out->revision = f->revision;
    out->irq_line = f->irq_pin ? f->irq_line : 0;
    out->vendor = f->vendor, out->device = f->device;
    for (int i = 0; i < PCI_NBARS; i++) {
        out->bar[i] = f->bar[i].base | (f->bar[i].io ? 1u : 0u);
        out->bar_size[i] = f->bar[i].size;
    }
    strncpy(out->class_name, pci_class_name(f->class_code, f->subclass),
            sizeof out->class_name - 1);
}

/* (struct pci_info *buf, int max) -> how many filled; one at a time
 * through a kernel copy, so no lock is held across copyout. */
int32_t sys_pcilist(uint32_t ubuf, uint32_t max, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a3; (void)a4; (void)a5;
    if ((int32_t)max < 0)
        return -EINVAL;
    int n = pci_count();
    if ((int)max < n)
        n = (int)max;
    if (n > PCI_INFO_MAX)
        n = PCI_INFO_MAX;
    if (n > 0 && !user_range_ok(ubuf, (size_t)n * sizeof(struct pci_info)))
        return -EFAULT;
    for (int i = 0; i < n; i++) {
        struct pci_info info;
        fill_info(&info, pci_at(i));
        if (copyout(ubuf + (uint32_t)i * sizeof info, &info, sizeof info) != 0)
            return -EFAULT;
    }
    return n;
}
#endif /* LAB >= 6 */
