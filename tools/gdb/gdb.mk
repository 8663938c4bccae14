# tools/gdb/gdb.mk -- GDB tooling: the kernel-aware commands' tests and
# the lecture demos. Included by the top-level Makefile, after KERNEL,
# LAB, QEMU and PYTHON are defined:
#     -include tools/gdb/gdb.mk
#
#   make demo [LAB=n] [DEMO_PAUSE=0]   play lab n's demo (tools/gdb/demos/0n-*.gdb)
#   make test-gdb-commands             batch GDB tests of gdt, idt, pagewalk, ktrace, tasks, usymbols, kmsg
#   make test-demos                    every demo straight through, expect lines checked

GDB_TOOLS   := tools/gdb
DEMOS       := $(sort $(wildcard $(GDB_TOOLS)/demos/[0-9][0-9]-*.gdb))
# The labs that have a demo: 01-boot.gdb -> 1.
DEMO_LABS   := $(foreach d,$(DEMOS),$(patsubst 0%,%,$(firstword $(subst -, ,$(notdir $(d))))))
# LAB given (command line or environment): that lab's demo. Otherwise the
# highest lab with a demo that the tree's default LAB contains.
DEMO_LAB    := $(if $(filter command line environment,$(origin LAB)),$(LAB),$(lastword \
               $(foreach n,$(DEMO_LABS),$(if $(filter-out 0,$(shell expr $(n) \<= $(LAB))),$(n)))))
DEMO_FILE    = $(firstword $(wildcard $(GDB_TOOLS)/demos/$(shell printf %02d $(DEMO_LAB) 2>/dev/null)-*.gdb))
DEMO_PAUSE  ?= 1

# Say so before building anything when there is no such demo.
ifneq ($(filter demo,$(MAKECMDGOALS)),)
ifeq ($(DEMO_FILE),)
$(error no GDB demo for lab '$(DEMO_LAB)' in $(GDB_TOOLS)/demos (labs with a demo: $(DEMO_LABS)))
endif
endif

.PHONY: demo test-demos test-gdb-commands

demo: kernel                            ## play lab LAB's GDB lecture demo (DEMO_PAUSE=0: no pauses, checked)
	@QEMU=$(QEMU) ACCEL=$(ACCEL) $(PYTHON) -B $(GDB_TOOLS)/run-demo.py --kernel $(KERNEL) \
	    --pause $(DEMO_PAUSE) --log $(BUILD)/demo-$(notdir $(DEMO_FILE:.gdb=.log)) \
	    $(if $(DEMO_QUIET),--quiet) $(DEMO_FILE)

# Each demo runs on its own lab's checkpoint (LAB=n), as in the lecture.
test-demos:                             ## run every GDB lecture demo straight through, check its expect lines
	@set -e; for n in $(DEMO_LABS); do \
	    $(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) demo LAB=$$n \
	        DEMO_PAUSE=0 DEMO_QUIET=1; done

test-gdb-commands: kernel               ## batch GDB tests of the kernel-aware commands (gdt, idt, pagewalk, ktrace, tasks, usymbols, kmsg)
	TIDEPOOL_KERNEL=$(KERNEL) QEMU=$(QEMU) NM=$(NM) $(PYTHON) -B -m pytest -p no:cacheprovider -q \
	    $(GDB_TOOLS)/tests $(GDB_TEST_ARGS)
