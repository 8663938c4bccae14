/* stack_protector.h -- the canary -fstack-protector-strong checks (always
 * on; kernel/sanitizers/stack_protector.c says how and why). */
#ifndef SANITIZERS_STACK_PROTECTOR_H
#define SANITIZERS_STACK_PROTECTOR_H

#include <stdint.h>

/* The guard's value until stack_protector_init() chooses one (and its
 * fallback should the mixing ever give 0). */
#define STACK_GUARD_FALLBACK 0x2f8a5c00u

/* The value every protected frame's canary is a copy of. */
extern uintptr_t __stack_chk_guard;

/* Choose the guard; called once by _start (boot.S) before kmain. */
void stack_protector_init(void);
/* Called by a protected function whose canary changed: panics. */
__attribute__((noreturn)) void __stack_chk_fail(void);

#endif
