# stack_protector.mk -- the stack protector is always on (Makefile's CFLAGS:
# -fstack-protector-strong -mstack-protector-guard=global). Its runtime
# chooses the guard, so it must itself run without canaries (see the
# comment on stack_protector_init() in stack_protector.c).
$(BUILD)/kernel/sanitizers/stack_protector.c.o: CFLAGS += -fno-stack-protector
