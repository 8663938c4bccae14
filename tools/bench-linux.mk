# tools/bench-linux.mk -- `make bench-linux`: the benchmark on Linux, in
# the same QEMU with the same -icount flags (docs/bench.md, "Linux column").
#
# Opt-in, not in `make check`. Included by the top Makefile after
# BENCH_QEMU. The program is the one `make bench` runs on Tidepool,
# compiled by the host gcc as a static 32-bit Linux program against
# userland/linux (Tidepool's user API on glibc, and a main that runs it
# as /init and powers off), put alone in a newc initramfs as /init, and
# booted on Debian's i386 linux-image-686 kernel (fetched once into
# $(BLX) by tools/bench-linux-kernel.sh; nothing else is downloaded).
# Its "bench:" lines go to stdout, like `make bench`'s, and to
# $(BENCH_DIR)/linux.txt (door=linux), which `make bench` keeps and
# tools/bench-table.py shows as the Linux column.

BLX := $(BUILD)/bench-linux
# The program `make bench` runs on Tidepool (the same source).
BLX_PROG := userland/bin/bench.c
BLX_SRCS := $(BLX_PROG) $(wildcard userland/linux/*.c)
BLX_CC   := gcc -m32 -march=i686 -static -no-pie
BLX_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -Iuserland/linux
# The same QEMU and flags as `make bench` (BENCH_QEMU), but Linux's
# kernel and initramfs. The kernel is told to say nothing on the console
# (quiet loglevel=0) so that only the program's lines are there; on a
# panic it reboots at once (panic=-1), which -no-reboot turns into QEMU's
# exit rather than a hang. The program's own arguments follow "--".
BLX_QEMU = $(subst -kernel $(KERNEL),,$(BENCH_QEMU)) \
           -m 256 -kernel $(BLX)/vmlinuz -initrd $(BLX)/initramfs.cpio \
           -append "console=ttyS0 quiet loglevel=0 panic=-1 -- $(BENCH_LINUX_ARGS)"
BENCH_LINUX_ARGS ?=

.PHONY: bench-linux deps-bench-linux
bench-linux: $(BLX)/vmlinuz $(BLX)/initramfs.cpio  ## the benchmark on Debian's Linux 6.1 (i386) in the same QEMU, -icount: the fourth column (opt-in)
	@mkdir -p $(BENCH_DIR)
	@{ echo "bench: linux kernel $$(cat $(BLX)/kernel-version)"; \
	   $(BLX_QEMU) | tr -d '\r' | grep '^bench:'; } | tee $(BENCH_DIR)/linux.txt.tmp
	@mv $(BENCH_DIR)/linux.txt.tmp $(BENCH_DIR)/linux.txt

deps-bench-linux:
	@sh tools/deps.sh bench-linux

$(BLX)/vmlinuz: tools/bench-linux-kernel.sh | deps-bench-linux
	@sh tools/bench-linux-kernel.sh $(BLX)

# -Dmain=tidepool_main: userland/linux/linux.c's main wraps the program's.
$(BLX)/init: $(BLX_SRCS) $(wildcard userland/linux/*.h) | deps-bench-linux
	@mkdir -p $(@D)
	$(call say,CC,$@)$(BLX_CC) $(BLX_CFLAGS) -Dmain=tidepool_main -c $(BLX_PROG) -o $(BLX)/prog.o
	$(Q)$(BLX_CC) $(BLX_CFLAGS) -o $@ $(BLX)/prog.o $(wildcard userland/linux/*.c)

$(BLX)/initramfs.cpio: $(BLX)/init
	$(call say,CPIO,$@)rm -rf $(BLX)/root && mkdir -p $(BLX)/root && cp $< $(BLX)/root/init && \
	    (cd $(BLX)/root && echo init | cpio -o -H newc -R 0:0 --reproducible --quiet) > $@
