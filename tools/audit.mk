# tools/audit.mk -- make audit and make lint (docs/audit.md); included by
# the top Makefile after the kernel's, libk's and userland's source lists.
#
# audit: every unsafe site (inline asm, port I/O, MMIO, volatile,
# integer<->pointer casts) of kernel/, libk/ and userland/, found on
# clang's AST with the flags each file is built with, and whether a
# SAFETY: comment covers it; exits 1 on an undocumented one.
# AUDIT_ARGS=--list prints every site.

AUDIT_KERNEL_SRCS := $(filter %.c,$(KERNEL_SRCS)) $(LIBK_SRCS)
AUDIT_USER_SRCS   := $(filter %.c,$(ULIBC_SRCS) $(UPROG_SRCS) $(UTEST_SRCS) $(UPROG_PARTS))
AUDIT_ARGS        ?=

.PHONY: audit lint
audit:                                  ## list every unsafe site (asm, port I/O, MMIO, volatile, int<->pointer casts) and fail on one without SAFETY:
	$(Q)$(PYTHON) -B tools/audit.py -j2 \
	    --tu kernel "$(CFLAGS) $(LIBK_CFLAGS)" "$(AUDIT_KERNEL_SRCS)" \
	    $(if $(AUDIT_USER_SRCS),--tu userland "$(U_CFLAGS)" "$(AUDIT_USER_SRCS)") \
	    $(AUDIT_ARGS) kernel libk $(wildcard userland)
