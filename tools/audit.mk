# tools/audit.mk -- make audit and make lint (docs/audit.md); included by
# the top Makefile after the kernel's, libk's and userland's source lists.
#
# audit: every unsafe site (inline asm, port I/O, MMIO, volatile,
# integer<->pointer casts) of kernel/, libk/ and userland/, found on
# clang's AST with the flags each file is built with, and whether a
# SAFETY: comment covers it; exits 1 on an undocumented one.
# AUDIT_ARGS=--list prints every site.

AUDIT_KERNEL_SRCS := $(filter %.c,$(KERNEL_SRCS)) $(LIBK_SRCS)
AUDIT_USER_SRCS   := $(filter %.c,$(ULIBC_SRCS) $(UPROG_SRCS) $(UTEST_SRCS) $(UPROG_PARTS) $(UTEST_PARTS) \
                                 $(UFUZZ_SRCS))
AUDIT_ARGS        ?=

.PHONY: audit lint
audit:                                  ## list every unsafe site (asm, port I/O, MMIO, volatile, int<->pointer casts) and fail on one without SAFETY:
	$(Q)$(PYTHON) -B tools/audit.py -j2 \
	    --tu kernel "$(CFLAGS) $(LIBK_CFLAGS)" "$(AUDIT_KERNEL_SRCS)" \
	    $(if $(AUDIT_USER_SRCS),--tu userland "$(U_CFLAGS)" "$(AUDIT_USER_SRCS)") \
	    $(AUDIT_ARGS) kernel libk $(wildcard userland)

# lint: three static analyzers over the same files, each with the flags
# the file is built with: cppcheck, GCC's -fanalyzer and clang's static
# analyzer (clang --analyze). One log per file and analyzer under
# $(BUILD)/lint, so `make lint -j2` runs them side by side and a second
# run only redoes files that changed. Suppressions: tools/lint.supp
# (cppcheck's; each with a one-line reason) and, for the two compilers,
# a SAFETY:-style comment at the line with the pragma -- see docs/audit.md.
LINT_DIR      := $(BUILD)/lint
# The checkers' selftests (kernel/sanitizers/selftest_*.c) commit their
# bugs on purpose, for selftest=NAME: an analyzer that finds them is right.
LINT_KERNEL   := $(filter-out kernel/sanitizers/selftest_%.c,$(AUDIT_KERNEL_SRCS))
LINT_USER     := $(AUDIT_USER_SRCS)
LINT_FILES    := $(LINT_KERNEL) $(LINT_USER)
# -Werror stays: a finding fails the file. -O2 as in the build: the
# analyzer follows what the optimizer keeps.
LINT_GCC      := -fanalyzer -Wno-analyzer-too-complex
# Without ccache: it cannot keep a result whose output is /dev/null, and
# on its way to that answer it ran the compiler twice over (gcc's pass
# over every file: 124 CPU s through ccache, 41 without, 2026-12-06).
LINT_CC       := $(filter-out $(CCACHE),$(CC))
# LINT_CLANG_MODE=shallow: clang's analyzer explores fewer paths, about
# 10x faster (kernel/proc/process.c: 9 s -> under 1 s), finding less:
# for make check; the default explores fully.
LINT_CLANG_MODE ?= deep
LINT_CLANG    := --analyze -Xclang -analyzer-output=text \
                 $(if $(filter shallow,$(LINT_CLANG_MODE)),-Xclang -analyzer-config -Xclang mode=shallow) \
                 -Xclang -analyzer-checker=core,unix.Malloc,deadcode,security.insecureAPI.UncheckedReturn \
                 -Xclang -analyzer-disable-checker=deadcode.DeadStores
LINT_CPPCHECK := cppcheck -q --std=c11 --platform=unix32 --enable=warning,portability \
                 --inline-suppr --suppressions-list=tools/lint.supp --error-exitcode=1 \
                 -D__i386__ -D__GNUC__ --library=gnu
# LINT_ANALYZERS: which of the three run (all, by default; make check
# runs all three, clang's in its shallow mode). Over every file, without
# ccache: gcc's about 45 CPU s, clang's shallow mode 52, cppcheck 5.
LINT_ANALYZERS ?= cppcheck gcc clang
LINT_LOGS     := $(if $(filter gcc,$(LINT_ANALYZERS)),$(patsubst %,$(LINT_DIR)/gcc/%.log,$(LINT_FILES))) \
                 $(if $(filter clang,$(LINT_ANALYZERS)),$(patsubst %,$(LINT_DIR)/clang/%.log,$(LINT_FILES))) \
                 $(if $(filter cppcheck,$(LINT_ANALYZERS)),$(LINT_DIR)/cppcheck-kernel.log \
                                                         $(LINT_DIR)/cppcheck-userland.log)

# The flags a file is built with (the kernel's, or the user programs').
# stack_protector.c is the one kernel file built without canaries (its
# .mk adds the flag to that object only; it #errors without it).
lint_flags = $(if $(filter userland/%,$(1)),$(U_CFLAGS),$(CFLAGS) $(if $(filter libk/%,$(1)),$(LIBK_CFLAGS)) \
             $(if $(filter kernel/sanitizers/stack_protector.c,$(1)),-fno-stack-protector))
# clang: the same -D/-I flags, clang's own freestanding headers.
# Asked of clang the first time a lint recipe needs it, not at every make
# run: clang's start-up (relocating libLLVM) costs about 80 ms.
CLANG_INCLUDE = $(eval CLANG_INCLUDE := $$(shell clang -print-resource-dir 2>/dev/null)/include)$(CLANG_INCLUDE)
clang_flags = -target i686-unknown-none-elf -std=gnu11 -ffreestanding -nostdinc \
              -isystem $(CLANG_INCLUDE) $(filter -I% -D%,$(call lint_flags,$(1)))

# Each analyzer's run writes the headers its file includes (-MMD, into
# its own .d: make check runs clang's without gcc's): a header's change
# redoes the analyses of the files that include it.
# Read only when linting: the 250 files cost every other make run (a
# mutant's build, a test's make print-kernel) 0.14 CPU s to parse.
ifneq ($(filter lint $(LINT_DIR)/%,$(MAKECMDGOALS)),)
-include $(patsubst %,$(LINT_DIR)/gcc/%.d,$(LINT_FILES)) $(patsubst %,$(LINT_DIR)/clang/%.d,$(LINT_FILES))
endif
LINT_HEADERS := $(wildcard kernel/*.h kernel/*/*.h kernel/arch/i386/*.h libk/include/*.h \
                  userland/include/*.h userland/include/*/*.h userland/lib/*.h)

lint: $(LINT_LOGS)                      ## static analysis: cppcheck, gcc -fanalyzer, clang --analyze (kernel, libk, userland)
	@echo "lint: clean ($(words $(LINT_FILES)) files; $(LINT_ANALYZERS); logs in $(LINT_DIR))"

$(LINT_DIR)/gcc/%.log: % tools/audit.mk
	@mkdir -p $(@D)
	$(call say,ANALYZE,$<)$(LINT_CC) $(call lint_flags,$<) $(LINT_GCC) -c $< -o /dev/null \
	    -MF $(LINT_DIR)/gcc/$<.d -MT $@ > $@.tmp 2>&1 \
	    || { cat $@.tmp; rm -f $@.tmp; exit 1; }; mv $@.tmp $@

# clang's analyzer has no suppression file: a file's exception is a
# LINT_CLANG_<file> variable here, each with its reason.
# exec.c: ptrs[i] is set for every i < argc + envc by the loop above its
# reads, for the same i (the code is a lab 4 solution: it stays as is).
LINT_CLANG_kernel/proc/exec.c := -Xclang -analyzer-disable-checker=core.uninitialized.Assign \
                                 -Xclang -analyzer-disable-checker=core.UndefinedBinaryOperatorResult
# The libc's allocator and strdup: clang models malloc/free/realloc/strndup
# by name and, inside their own implementation, sees realloc's split tail
# freed as the caller's block (a false positive: these ARE the allocator).
LINT_CLANG_userland/lib/malloc.c := -Xclang -analyzer-disable-checker=unix.Malloc
LINT_CLANG_userland/lib/strings.c := -Xclang -analyzer-disable-checker=unix.Malloc

$(LINT_DIR)/clang/%.log: % tools/audit.mk
	@mkdir -p $(@D)
	$(call say,CLANG-SA,$<)clang $(call clang_flags,$<) $(LINT_CLANG) $(LINT_CLANG_$<) -o /dev/null $< \
	    -MMD -MP -MF $(LINT_DIR)/clang/$<.d -MT $@ > $@.tmp 2>&1; \
	    if grep -q 'warning:' $@.tmp; then cat $@.tmp; rm -f $@.tmp; exit 1; fi; mv $@.tmp $@

$(LINT_DIR)/cppcheck-kernel.log: $(LINT_KERNEL) $(LINT_HEADERS) tools/lint.supp
	@mkdir -p $(@D)
	$(call say,CPPCHECK,kernel libk)$(LINT_CPPCHECK) $(filter -I% -D%,$(CFLAGS)) $(LINT_KERNEL) > $@.tmp 2>&1 \
	    || { cat $@.tmp; rm -f $@.tmp; exit 1; }; mv $@.tmp $@

$(LINT_DIR)/cppcheck-userland.log: $(LINT_USER) $(LINT_HEADERS) tools/lint.supp
	@mkdir -p $(@D)
	$(call say,CPPCHECK,userland)$(LINT_CPPCHECK) $(filter -I% -D%,$(U_CFLAGS)) $(LINT_USER) > $@.tmp 2>&1 \
	    || { cat $@.tmp; rm -f $@.tmp; exit 1; }; mv $@.tmp $@
