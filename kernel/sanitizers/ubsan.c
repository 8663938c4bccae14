/*
 * ubsan.c -- the run-time half of make UBSAN=1: what GCC's
 * -fsanitize=undefined code calls when it catches undefined behaviour.
 *
 * The compiler adds a test before each operation that can be undefined
 * (a signed add, a shift, an array index, a dereference ...) and, when
 * it fails, calls __ubsan_handle_KIND(data, values...). `data` is a
 * static record the compiler emits per check: the source location and
 * type descriptors (names and sizes of the types involved); the values
 * come as "value handles": the value itself when it fits in a pointer,
 * else a pointer to it. The layouts below are GCC's ABI, shared with
 * LLVM's compiler-rt (ubsan_handlers.h, ubsan_value.h); Linux's
 * lib/ubsan.c implements the same contract.
 *
 * Every handler reports once per source location (a loop that overflows
 * a million times reports once) and returns: recover mode
 * (-fsanitize-recover=all in ubsan.mk), the kernel goes on, except after
 * __builtin_unreachable(), where there is nothing sensible to go on to.
 */
#ifdef CONFIG_UBSAN
#include "sanitizers/report.h"
#include "sanitizers/ubsan_value.h"
#include "console.h"
#include "panic.h"
#include <stdbool.h>
#include <stdint.h>

struct source_location {
    const char *file;
    uint32_t line;
    uint32_t column;        /* bit 31: already reported (ours, see below) */
};

struct overflow_data {
    struct source_location loc;
    const struct type_descriptor *type;
};

struct shift_out_of_bounds_data {
    struct source_location loc;
    const struct type_descriptor *lhs_type;
    const struct type_descriptor *rhs_type;
};

struct out_of_bounds_data {
    struct source_location loc;
    const struct type_descriptor *array_type;
    const struct type_descriptor *index_type;
};

struct type_mismatch_data_v1 {
    struct source_location loc;
    const struct type_descriptor *type;
    uint8_t log_alignment;  /* the type's alignment is 1 << log_alignment */
    uint8_t type_check_kind;
};

struct vla_bound_data {
    struct source_location loc;
    const struct type_descriptor *type;
};

struct invalid_value_data {
    struct source_location loc;
    const struct type_descriptor *type;
};

struct invalid_builtin_data {
    struct source_location loc;
    uint8_t kind;           /* 0: ctz, 1: clz */
};

struct nonnull_arg_data {
    struct source_location loc;
    struct source_location attr_loc;
    int arg_index;
};

struct nonnull_return_data {
    struct source_location attr_loc;
};

struct pointer_overflow_data {
    struct source_location loc;
};

struct unreachable_data {
    struct source_location loc;
};

#define LOC_REPORTED 0x80000000u

/* Claim the location's one report: true the first time only. The data
 * records are writable statics (.data), so a bit of the column serves as
 * the "reported" flag, as in Linux's lib/ubsan.c; atomic, because two
 * CPUs can run the same check at once. */
static bool first_report_at(struct source_location *loc)
{
    return (__atomic_fetch_or(&loc->column, LOC_REPORTED, __ATOMIC_RELAXED) & LOC_REPORTED) == 0;
}

/* Begin a report for a check at loc, committed in the function that
 * called the handler (pc: the handler's return address). */
static bool ubsan_begin(const char *kind, struct source_location *loc, uintptr_t pc)
{
    if (!first_report_at(loc))
        return false;
    return san_report_begin("UBSAN", kind, pc, "%s:%u:%u", loc->file, (unsigned)loc->line,
                            (unsigned)(loc->column & ~LOC_REPORTED));
}

static void ubsan_end(void)
{
    kprintf("(");
    san_print_context();
    kprintf(")\n");
    san_report_end();
}

/* The handler's return address: inside the function whose check failed.
 * SAFETY: pointer -> integer: a code address, only looked up in the
 * symbol table and compared with backtrace entries. */
#define CALLER_PC() ((uintptr_t)__builtin_return_address(0))

/* ---- values ---------------------------------------------------------- */

static void print_value(const struct type_descriptor *t, uintptr_t handle)
{
    if (!ubsan_type_is_int(t))
        kprintf("<value of type %s>", t->name);
    else if (ubsan_type_is_signed(t))
        kprintf("%lld", (long long)ubsan_value_signed(t, handle));
    else
        kprintf("%llu", (unsigned long long)ubsan_value_bits(t, handle));
}

/* ---- arithmetic ------------------------------------------------------ */

static void report_overflow(struct overflow_data *d, uintptr_t lhs, uintptr_t rhs,
                            char op, uintptr_t pc)
{
    if (!ubsan_begin("signed-integer-overflow", &d->loc, pc))
        return;
    kprintf("%s integer overflow: ", ubsan_type_is_signed(d->type) ? "signed" : "unsigned");
    print_value(d->type, lhs);
    kprintf(" %c ", op);
    print_value(d->type, rhs);
    kprintf(" cannot be represented in type %s\n", d->type->name);
    ubsan_end();
}

void __ubsan_handle_add_overflow(struct overflow_data *d, uintptr_t lhs, uintptr_t rhs)
{
    report_overflow(d, lhs, rhs, '+', CALLER_PC());
}

void __ubsan_handle_sub_overflow(struct overflow_data *d, uintptr_t lhs, uintptr_t rhs)
{
    report_overflow(d, lhs, rhs, '-', CALLER_PC());
}

void __ubsan_handle_mul_overflow(struct overflow_data *d, uintptr_t lhs, uintptr_t rhs)
{
    report_overflow(d, lhs, rhs, '*', CALLER_PC());
}

void __ubsan_handle_negate_overflow(struct overflow_data *d, uintptr_t old)
{
    if (!ubsan_begin("signed-integer-overflow", &d->loc, CALLER_PC()))
        return;
    kprintf("negation of ");
    print_value(d->type, old);
    kprintf(" cannot be represented in type %s\n", d->type->name);
    ubsan_end();
}

/* x / 0, x % 0, and INT_MIN / -1 (whose quotient does not fit). */
void __ubsan_handle_divrem_overflow(struct overflow_data *d, uintptr_t lhs, uintptr_t rhs)
{
    bool by_zero = ubsan_value_bits(d->type, rhs) == 0;
    if (!ubsan_begin(by_zero ? "integer-divide-by-zero" : "signed-integer-overflow",
                     &d->loc, CALLER_PC()))
        return;
    if (by_zero) {
        kprintf("division by zero\n");
    } else {
        kprintf("division of ");
        print_value(d->type, lhs);
        kprintf(" by -1 cannot be represented in type %s\n", d->type->name);
    }
    ubsan_end();
}

void __ubsan_handle_shift_out_of_bounds(struct shift_out_of_bounds_data *d,
                                        uintptr_t lhs, uintptr_t rhs)
{
    const struct type_descriptor *lt = d->lhs_type, *rt = d->rhs_type;
    if (!ubsan_begin("shift-out-of-bounds", &d->loc, CALLER_PC()))
        return;
    if (ubsan_value_is_negative(rt, rhs)) {
        kprintf("shift exponent ");
        print_value(rt, rhs);
        kprintf(" is negative\n");
    } else if (ubsan_value_bits(rt, rhs) >= ubsan_type_bits(lt)) {
        kprintf("shift exponent ");
        print_value(rt, rhs);
        kprintf(" is too large for %u-bit type %s\n", ubsan_type_bits(lt), lt->name);
    } else if (ubsan_value_is_negative(lt, lhs)) {
        kprintf("left shift of negative value ");
        print_value(lt, lhs);
        kprintf("\n");
    } else {
        kprintf("left shift of ");
        print_value(lt, lhs);
        kprintf(" by ");
        print_value(rt, rhs);
        kprintf(" places cannot be represented in type %s\n", lt->name);
    }
    ubsan_end();
}

/* ---- memory ---------------------------------------------------------- */

void __ubsan_handle_out_of_bounds(struct out_of_bounds_data *d, uintptr_t index)
{
    if (!ubsan_begin("out-of-bounds", &d->loc, CALLER_PC()))
        return;
    kprintf("index ");
    print_value(d->index_type, index);
    kprintf(" is out of range for type %s\n", d->array_type->name);
    ubsan_end();
}

/* What the access was, by type_check_kind (compiler-rt's TypeCheckKind;
 * the C compiler only emits the first two and member access). */
static const char *const type_check_kinds[] = {
    "load of", "store to", "reference binding to", "member access within",
    "member call on", "constructor call on", "downcast of", "downcast of",
    "upcast of", "cast to virtual base of", "_Nonnull binding to",
    "dynamic operation on",
};

static const char *type_check_kind(uint8_t k)
{
    return k < sizeof type_check_kinds / sizeof type_check_kinds[0] ? type_check_kinds[k]
                                                                    : "access to";
}

/* One handler, three checks: a null pointer (null), a pointer not
 * aligned for its type (alignment), an object too small for the type
 * (object-size, left out in ubsan.mk, but its calls come here too). */
void __ubsan_handle_type_mismatch_v1(struct type_mismatch_data_v1 *d, uintptr_t ptr)
{
    uintptr_t alignment = (uintptr_t)1 << d->log_alignment;
    const char *what = type_check_kind(d->type_check_kind);
    if (ptr == 0) {
        if (!ubsan_begin("null-dereference", &d->loc, CALLER_PC()))
            return;
        kprintf("%s null pointer of type %s\n", what, d->type->name);
    } else if (alignment != 0 && (ptr & (alignment - 1)) != 0) {
        if (!ubsan_begin("misaligned-access", &d->loc, CALLER_PC()))
            return;
        kprintf("%s misaligned address 0x%08x for type %s, which requires %u byte alignment\n",
                what, (unsigned)ptr, d->type->name, (unsigned)alignment);
    } else {
        if (!ubsan_begin("object-size-mismatch", &d->loc, CALLER_PC()))
            return;
        kprintf("%s address 0x%08x with insufficient space for an object of type %s\n",
                what, (unsigned)ptr, d->type->name);
    }
    ubsan_end();
}

void __ubsan_handle_pointer_overflow(struct pointer_overflow_data *d, uintptr_t base,
                                     uintptr_t result)
{
    if (!ubsan_begin("pointer-overflow", &d->loc, CALLER_PC()))
        return;
    if (base == 0 && result == 0)
        kprintf("applying zero offset to null pointer\n");
    else if (base == 0)
        kprintf("applying non-zero offset 0x%08x to null pointer\n", (unsigned)result);
    else if (result == 0)
        kprintf("applying non-zero offset to non-null pointer 0x%08x produced null pointer\n",
                (unsigned)base);
    else
        kprintf("pointer index expression with base 0x%08x overflowed to 0x%08x\n",
                (unsigned)base, (unsigned)result);
    ubsan_end();
}

/* ---- values a type cannot hold --------------------------------------- */

void __ubsan_handle_load_invalid_value(struct invalid_value_data *d, uintptr_t val)
{
    if (!ubsan_begin("invalid-load", &d->loc, CALLER_PC()))
        return;
    kprintf("load of value ");
    print_value(d->type, val);
    kprintf(", which is not a valid value for type %s\n", d->type->name);
    ubsan_end();
}

void __ubsan_handle_vla_bound_not_positive(struct vla_bound_data *d, uintptr_t bound)
{
    if (!ubsan_begin("vla-bound", &d->loc, CALLER_PC()))
        return;
    kprintf("variable length array bound evaluates to non-positive value ");
    print_value(d->type, bound);
    kprintf("\n");
    ubsan_end();
}

void __ubsan_handle_invalid_builtin(struct invalid_builtin_data *d)
{
    if (!ubsan_begin("invalid-builtin-use", &d->loc, CALLER_PC()))
        return;
    kprintf("passing zero to %s, which is not a valid argument\n",
            d->kind == 0 ? "ctz()" : "clz()");
    ubsan_end();
}

/* ---- attributes ------------------------------------------------------ */

void __ubsan_handle_nonnull_arg(struct nonnull_arg_data *d)
{
    if (!ubsan_begin("nonnull-attribute", &d->loc, CALLER_PC()))
        return;
    kprintf("null pointer passed as argument %d, which is declared to never be null\n",
            d->arg_index);
    if (d->attr_loc.file != NULL)
        kprintf("(the nonnull attribute is at %s:%u)\n", d->attr_loc.file,
                (unsigned)d->attr_loc.line);
    ubsan_end();
}

void __ubsan_handle_nonnull_return_v1(struct nonnull_return_data *d,
                                      struct source_location *loc)
{
    if (!ubsan_begin("returns-nonnull-attribute", loc, CALLER_PC()))
        return;
    kprintf("null pointer returned from function declared to never return null\n");
    if (d->attr_loc.file != NULL)
        kprintf("(the returns_nonnull attribute is at %s:%u)\n", d->attr_loc.file,
                (unsigned)d->attr_loc.line);
    ubsan_end();
}

/* __builtin_unreachable() reached: the compiler assumed this never
 * happens and may have laid out no code after it. Report, then stop. */
__attribute__((noreturn))
void __ubsan_handle_builtin_unreachable(struct unreachable_data *d)
{
    if (ubsan_begin("unreachable", &d->loc, CALLER_PC())) {
        kprintf("execution reached an unreachable program point\n");
        ubsan_end();
    }
    panic("UBSAN: __builtin_unreachable() reached at %s:%u", d->loc.file,
          (unsigned)d->loc.line);
}
#endif /* CONFIG_UBSAN */
