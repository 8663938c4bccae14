# tools/gdb/gdb.mk -- GDB tooling: the kernel-aware commands' tests and
# the lecture demos. Included by the top-level Makefile, after KERNEL,
# LAB, QEMU and PYTHON are defined:
#     -include tools/gdb/gdb.mk
#
#   make demo [LAB=n] [DEMO=name] [DEMO_PAUSE=0]
#                                      play lab n's demo (tools/gdb/demos/0n-*.gdb)
#   make test-gdb-commands             batch GDB tests of gdt, idt, pagewalk, ktrace, tasks, usymbols, kmsg
#   make test-demos                    every demo straight through, expect lines checked
#
# Demos are tools/gdb/demos/NN-name.gdb, for lab NN. A lab may have more
# than one: the others are NNb-name.gdb, NNc-name.gdb, ... (04-threads.gdb,
# 04b-syscall.gdb). `make demo LAB=4` plays the lab's first in name order
# (NN-name.gdb), `make demo LAB=4 DEMO=syscall` the one with that name.

GDB_TOOLS   := tools/gdb
DEMOS       := $(sort $(wildcard $(GDB_TOOLS)/demos/[0-9][0-9]*-*.gdb))
# A demo's lab and name: 04b-syscall.gdb -> 4 and syscall.
demo_prefix  = $(firstword $(subst -, ,$(notdir $(1))))
# 04b -> 4: the prefix's two digits, the leading zero dropped (in make:
# a $(shell expr) per demo cost every make run 14 processes).
demo_lab     = $(patsubst 0%,%,$(firstword $(subst b, ,$(subst c, ,$(subst d, ,$(call demo_prefix,$(1)))))))
demo_name    = $(patsubst $(call demo_prefix,$(1))-%.gdb,%,$(notdir $(1)))
# The labs that have a demo: 1 2 3 4.
DEMO_LABS   := $(sort $(foreach d,$(DEMOS),$(call demo_lab,$(d))))
# LAB given (command line or environment): that lab's demo. Otherwise the
# highest lab with a demo that the tree's default LAB contains.
DEMO_LAB    := $(if $(filter command line environment,$(origin LAB)),$(LAB),$(lastword \
               $(foreach n,$(DEMO_LABS),$(if $(filter $(n),$(wordlist 1,$(LAB),1 2 3 4 5 6 7 8 9)),$(n)))))
LAB_DEMOS    = $(strip $(foreach d,$(DEMOS),$(if $(filter $(DEMO_LAB),$(call demo_lab,$(d))),$(d))))
DEMO_FILE    = $(firstword $(if $(DEMO),$(foreach d,$(LAB_DEMOS),$(if \
               $(filter $(DEMO),$(call demo_name,$(d))),$(d))),$(LAB_DEMOS)))
DEMO_PAUSE  ?= 1

# Say so before building anything when there is no such demo.
ifneq ($(filter demo,$(MAKECMDGOALS)),)
ifeq ($(DEMO_FILE),)
$(error no GDB demo $(if $(DEMO),'$(DEMO)' )for lab '$(DEMO_LAB)' in $(GDB_TOOLS)/demos \
        ($(if $(LAB_DEMOS),lab $(DEMO_LAB)'s demos: $(foreach d,$(LAB_DEMOS),$(call demo_name,$(d))),labs with a demo: $(DEMO_LABS))))
endif
endif

.PHONY: demo test-demos test-gdb-commands

demo: kernel                            ## play lab LAB's GDB lecture demo (DEMO=name: another of the lab's; DEMO_PAUSE=0: no pauses, checked)
	$(if $(and $(if $(DEMO),,1),$(word 2,$(LAB_DEMOS))),@echo "demo: lab $(DEMO_LAB) has more demos:\
	    $(foreach d,$(wordlist 2,99,$(LAB_DEMOS)),make demo LAB=$(DEMO_LAB) DEMO=$(call demo_name,$(d)))")
	@QEMU=$(QEMU) ACCEL=$(ACCEL) $(PYTHON) -B $(GDB_TOOLS)/run-demo.py --kernel $(KERNEL) \
	    --pause $(DEMO_PAUSE) --log $(BUILD)/demo-$(notdir $(DEMO_FILE:.gdb=.log)) \
	    $(if $(DEMO_QUIET),--quiet) $(DEMO_FILE)

# Each demo runs on its own lab's checkpoint, as in the lecture: LAB=n with
# labs up to n solved (SOLVED=n, or this tree's SOLVED if lower: a
# handout), the kernels tools/check-labs.py then grades as they are.
test-demos:                             ## run every GDB lecture demo straight through, check its expect lines
	@set -e; for run in $(foreach d,$(DEMOS),$(call demo_lab,$(d)):$(call demo_name,$(d))); do \
	    lab=$${run%%:*}; solved=$$(( lab < $(SOLVED) ? lab : $(SOLVED) )); \
	    $(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) demo LAB=$$lab \
	        SOLVED=$$solved DEMO=$${run#*:} DEMO_PAUSE=0 DEMO_QUIET=1; done

test-gdb-commands: kernel               ## batch GDB tests of the kernel-aware commands (gdt, idt, pagewalk, ktrace, tasks, usymbols, kmsg, trace-dump)
	TIDEPOOL_KERNEL=$(KERNEL) QEMU=$(QEMU) NM=$(NM) $(PYTHON) -B -m pytest -p no:cacheprovider -q \
	    $(GDB_TOOLS)/tests $(GDB_TEST_ARGS)
