/* kcsan_runtime.h -- what the parts of KCSAN's run time say to each other
 * (kcsan_tsan.c -> kcsan.c -> kcsan_report.c); not for the rest of the kernel. */
#ifndef SANITIZERS_KCSAN_RUNTIME_H
#define SANITIZERS_KCSAN_RUNTIME_H

#if LAB >= 5

#include "sanitizers/kcsan_watch.h"
#include <stdbool.h>
#include <stdint.h>

/* One instrumented access of `size` bytes at `addr`; pc is the return
 * address of the __tsan_* hook (inside the instrumented function). */
void kcsan_access(uintptr_t addr, uint32_t size, bool write, bool atomic, uintptr_t pc);

/* Report a race seen by watcher `w`: `other` claimed the watchpoint, or
 * (other NULL) the value changed from `before` to `after` unseen. */
void kcsan_report(const struct kcsan_access *w, const struct kcsan_access *other,
                  uint64_t before, uint64_t after);

#endif /* LAB >= 5 */

#endif
