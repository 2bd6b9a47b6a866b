/* natml_runtime.h — the public interface of natml's runtime: allocation,
 * exceptions, the stack check, and the C primitives that generated code and
 * the standard library bind to. The runtime links no LLVM: a C program that
 * only loads prebuilt plugins needs this library and the stdlib alone.
 *
 * Everything marked NML_EXPORT is part of the ABI that dlopen'd code binds
 * to (by symbol, pre-bound by dynlink). Names: nml_ for the ABI, and
 * nml_<module>_<fn> for primitives behind stdlib `external`s.
 *
 * Rooting rule (GC): a nursery with a copying minor collector in front of
 * Boehm's collector (runtime/minor.c). Both are conservative over C stacks
 * and registers, so a C local holding a value keeps it alive and in place.
 * Heap values must never be stored in memory the collectors do not scan:
 * use nml_alloc_roots for long-lived C-side tables of values, and call
 * nml_write_barrier after storing a value into a block that may be old.
 * Dynamically loaded units are not scanned (GC_no_dls): their writable
 * data must not hold heap pointers.
 */
#ifndef NML_RUNTIME_H
#define NML_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "value.h"

#define NML_EXPORT   __attribute__((visibility("default")))
#define NML_NORETURN __attribute__((noreturn))

/* ---- Start-up ---------------------------------------------------------- */

/* Initialises the collector, the stack limit and the signal handling. Call
 * once from the main thread, before any other runtime function. stack_base
 * is an address near the bottom of the main thread's stack (the address of
 * a local in main). */
NML_EXPORT void nml_init(void *stack_base);

/* ---- Allocation (the one allocation interface) ------------------------- */

/* Allocates a block of wosize fields with the given tag. Fields of scanned
 * blocks (tag < No_scan_tag) are initialised to Val_unit. wosize may be 0
 * only for atoms (it then returns a static zero-size block). */
NML_EXPORT value nml_alloc(mlsize_t wosize, tag_t tag);
/* The young generation (runtime/minor.c). Blocks of at most
 * NML_MAX_YOUNG_WOSIZE fields are bump-allocated downwards in the current
 * nursery chunk: generated code subtracts the block's size (header
 * included) from nml_young_ptr and, if the result is still >=
 * nml_young_limit, stores it back, writes the header there and then stores
 * every field; otherwise it calls nml_alloc_young, which moves to the next
 * chunk or runs a minor collection, and returns a block with its header
 * written and its fields not initialised. Single-threaded. */
#define NML_MAX_YOUNG_WOSIZE 256
NML_EXPORT extern char *nml_young_ptr;
NML_EXPORT extern char *nml_young_limit;
NML_EXPORT value nml_alloc_young(mlsize_t wosize, tag_t tag);
/* The write barrier: after storing a value into a field (or a global
 * slot) that may belong to an old block, call nml_write_barrier with the
 * field's address; it records old-to-young pointers for the next minor
 * collection. Initialising stores into a block just allocated by
 * nml_alloc_young need none. nml_remember_block records a whole block
 * instead (bulk copies into it: blit, fill). */
NML_EXPORT void nml_write_barrier(value *field);
NML_EXPORT void nml_remember_block(value block);
/* Empties the nursery, promoting what survives. */
NML_EXPORT void nml_minor_collection(void);
/* Whether v is a block in the nursery; the number of minor collections. */
NML_EXPORT bool nml_is_young(value v);
NML_EXPORT uint64_t nml_minor_collections(void);
/* Allocates a string (tag String_tag) of len bytes, OCaml's layout: the
 * bytes, a NUL, padding; the last byte of the block holds
 * wosize * 8 - 1 - len. Contents are zero. */
NML_EXPORT value nml_alloc_string(mlsize_t len);
/* Copies a NUL-terminated C string / a byte range into a new ML string. */
NML_EXPORT value nml_copy_string(const char *s);
NML_EXPORT value nml_copy_string_len(const char *s, size_t len);
/* Boxes a double (tag Double_tag, one word). */
NML_EXPORT value nml_copy_double(double d);
/* Length in bytes of an ML string. */
NML_EXPORT mlsize_t nml_string_length(value s);
/* Allocates n words of memory that the collector scans but never frees
 * (environment slots of the toplevel, tables of roots). */
NML_EXPORT value *nml_alloc_roots(size_t n);
/* Releases memory from nml_alloc_roots. */
NML_EXPORT void nml_free_roots(value *p);
/* Makes the words in [start, end) GC roots (scanned, never freed). nml_init
 * registers the writable data of the main executable and of the object that
 * holds the runtime; a host whose stdlib or globals live in another shared
 * object registers that object's data with this. */
NML_EXPORT void nml_register_roots(void *start, void *end);

/* ---- Lists, tuples ----------------------------------------------------- */

/* Cons cell (tag 0, two fields). */
NML_EXPORT value nml_cons(value hd, value tl);

/* ---- Exceptions -------------------------------------------------------- */

/* An exception constructor is a block of tag Object_tag with two fields:
 * its name (ML string, e.g. "Failure", "Stdlib.Exit") and a unique id
 * (tagged int). A constant exception is its constructor block itself; an
 * exception with arguments is a block of tag 0 whose field 0 is the
 * constructor and whose next fields are the arguments. */
NML_EXPORT value nml_new_exception(const char *name);
/* Makes the stdlib's own Exit or Sys.Break (which = "Exit" / "Break") the
 * runtime's nml_exn_Exit / nml_exn_Break. */
NML_EXPORT value nml_register_exn(value which, value exn);
/* nml_new_exception for generated code: the name is an ML string. */
NML_EXPORT value nml_new_exception_ml(value name);

/* The predefined exceptions (constructor blocks), set by nml_init. */
NML_EXPORT extern value nml_exn_Out_of_memory, nml_exn_Sys_error, nml_exn_Failure, nml_exn_Invalid_argument,
    nml_exn_End_of_file, nml_exn_Division_by_zero, nml_exn_Not_found, nml_exn_Match_failure,
    nml_exn_Stack_overflow, nml_exn_Sys_blocked_io, nml_exn_Assert_failure,
    nml_exn_Undefined_recursive_module, nml_exn_Exit, nml_exn_Break;

/* A trap frame: one per active `try`, linked from nml_trap_top. It lives
 * in the frame of the function that enters the try (an alloca of
 * NML_TRAP_WORDS words). Entering a try: store prev = nml_trap_top, set
 * nml_trap_top = frame, save a context in frame->jb. Leaving it
 * normally: nml_trap_top = prev. nml_raise pops the top frame and jumps
 * to its context; the handler then reads nml_exn_bucket. Both are O(1).
 *
 * The context is natml's own, a few stores and no call (glibc's
 * setjmp/longjmp mangle pointers and walk cancellation handlers):
 * jb[0] frame pointer, jb[1] resume address, jb[2] stack pointer — the
 * layout of LLVM's llvm.eh.sjlj.setjmp, which generated code uses (it
 * stores jb[0] and jb[2] itself; the function then keeps nothing in
 * registers across the try) — then jb[3..7] rbx, r12..r15 (saved only
 * by nml_setjmp, for C code) and jb[NML_TRAP_MAGIC_WORD], whose low 32
 * bits both store as NML_TRAP_MAGIC. C code enters a try with
 * `if (nml_setjmp(trap.jb) == 0) ...`; it returns 1 after a raise. A
 * frame set up with glibc's _setjmp(*(jmp_buf *)trap.jb) still works
 * (glibc stores 0 in that word; nml_raise then uses _longjmp). */
typedef struct NmlTrap {
  struct NmlTrap *prev;
  uintptr_t jb[25]; /* room for glibc's jmp_buf (200 bytes) too */
} NmlTrap;
#define NML_TRAP_WORDS      (sizeof(NmlTrap) / sizeof(uintptr_t))
#define NML_TRAP_JB_OFFSET  8
#define NML_TRAP_MAGIC_WORD 8          /* glibc's __mask_was_saved */
#define NML_TRAP_MAGIC      0x6e6d6c6a /* "jlmn" */
NML_EXPORT __attribute__((returns_twice)) int nml_setjmp(uintptr_t *jb);

NML_EXPORT extern NmlTrap *nml_trap_top;
NML_EXPORT extern value nml_exn_bucket;

/* Runs ML code from C: calls entry (a unit's entry, or any function of
 * no argument that runs ML code) inside a trap frame of its own. Returns
 * true with entry's result in *result, or false with the exception it
 * raised in *exn (nothing is then written to *result). This is how C
 * enters ML: the toplevel runs each unit's entry with it, the plugin host
 * its plugins' entries and closures, so an exception never escapes into
 * C frames that have no handler. Frames nest: ML code may call C code
 * that calls nml_run_trapped again. */
NML_EXPORT bool nml_run_trapped(value (*entry)(void), value *result, value *exn);
/* The same for C code calling ML with arguments: runs fn(arg). */
NML_EXPORT bool nml_run_trapped_arg(value (*fn)(void *arg), void *arg, value *result, value *exn);

/* Raises an exception value. Never returns. With no trap frame it prints
 * "Fatal error: exception ..." and exits with 2 (never reached from the
 * toplevel, which installs a frame around every unit entry). */
NML_EXPORT NML_NORETURN void nml_raise(value exn);
NML_EXPORT NML_NORETURN void nml_raise_constant(value constr);
NML_EXPORT NML_NORETURN void nml_raise_with_arg(value constr, value arg);
NML_EXPORT NML_NORETURN void nml_raise_with_string(value constr, const char *msg);
NML_EXPORT NML_NORETURN void nml_failwith(const char *msg);
NML_EXPORT NML_NORETURN void nml_invalid_argument(const char *msg);
NML_EXPORT NML_NORETURN void nml_raise_division_by_zero(void);
NML_EXPORT NML_NORETURN void nml_raise_not_found(void);
NML_EXPORT NML_NORETURN void nml_array_bound_error(void);
/* Raises Match_failure / Assert_failure (file, line, column). */
NML_EXPORT NML_NORETURN void nml_raise_match_failure(value file, value line, value col);
NML_EXPORT NML_NORETURN void nml_raise_assert_failure(value file, value line, value col);
/* As in OCaml, Match_failure and Assert_failure carry one argument, the
 * tuple (file, line, column): the exception block has two fields. */

/* Formats an exception as OCaml's runtime does for an uncaught one:
 * `Failure("boom")`, `Not_found`, `Match_failure("f.ml", 1, 2)` (string
 * arguments quoted verbatim, other blocks as `_`). Returns a malloc'd C
 * string that the caller frees. */
NML_EXPORT char *nml_format_exception(value exn);

/* ---- Stack limit and interrupts ----------------------------------------- */

/* Every ML function's prologue compares the stack pointer with
 * nml_stack_limit and calls nml_stack_check_failed when below. The SIGINT
 * handler raises the limit to force that path (Poly/ML's way), so one
 * check serves both Stack_overflow and Ctrl-C (Sys.Break). */
NML_EXPORT extern char *nml_stack_limit;
NML_EXPORT void nml_stack_check_failed(void);
/* Makes SIGINT raise Sys.Break at the next poll instead of killing the
 * process (the toplevel turns this on). */
NML_EXPORT void nml_catch_break(bool on);

/* ---- Output and the program's arguments -------------------------------- */

/* Records the arguments that Sys.argv returns (the script and its
 * arguments, as `ocaml FILE.ml args` gives them). The strings must live as
 * long as the program. */
NML_EXPORT void nml_sys_set_argv(int argc, char **argv);

/* Flushes ML's standard output and error channels. */
NML_EXPORT void nml_flush_std(void);

/* ---- Polymorphic comparison and hashing -------------------------------- */

/* compare: -1, 0 or 1 as a tagged int, OCaml's total order (nan equal to
 * itself, less than everything). Raises Invalid_argument "compare:
 * functional value" on closures. */
NML_EXPORT value nml_compare(value a, value b);
/* = <> < > <= >=: OCaml's structural comparisons, tagged bools
 * (nan is not equal to itself here). */
NML_EXPORT value nml_equal(value a, value b);
NML_EXPORT value nml_notequal(value a, value b);
NML_EXPORT value nml_lessthan(value a, value b);
NML_EXPORT value nml_greaterthan(value a, value b);
NML_EXPORT value nml_lessequal(value a, value b);
NML_EXPORT value nml_greaterequal(value a, value b);

/* ---- The primitive table ----------------------------------------------- */

/* One entry per line of primitives.def: the C symbol, its address and its
 * arity (every argument and the result a value). The table lets a host find
 * every primitive even when the runtime is linked statically and its symbols
 * are not in the dynamic symbol table. It ends with a {NULL, NULL, 0} entry;
 * nml_prim_count does not count that entry. */
typedef struct NmlPrimEntry {
  const char *name;
  void *addr;
  int arity;
} NmlPrimEntry;
NML_EXPORT extern const NmlPrimEntry nml_prim_table[];
NML_EXPORT extern const size_t nml_prim_count;
/* The entry named name, or NULL. */
NML_EXPORT const NmlPrimEntry *nml_prim_lookup(const char *name);

/* ---- Units linked into a host ------------------------------------------ */

/* A unit of natml code linked statically into a host rather than loaded
 * as a plugin: its name, its source (whose interface a compiling session
 * re-reads at start-up), its entry, which fills the unit's value slots and
 * returns its value list, and the digest of its interface as 32 hex
 * digits (what plugins compiled against it record; plugins/natml.h). The
 * standard library's table is generated by `natmlc -stdlib -embed` into
 * stdlib_units.c; the toplevel, natmlc and the embedding API read it. The
 * type lives here, in the one header all three and the generated file
 * already see, so that no library needs another's private folder. */
typedef struct NmlLinkedUnit {
  const char *name;
  const char *source;
  value (*entry)(void);
  const char *digest;
} NmlLinkedUnit;
/* The standard library's units in dependency order (natml_stdlib). */
extern const NmlLinkedUnit nml_stdlib_units[];
extern const int nml_stdlib_nunits;

/* ---- Tracing (the toplevel's #trace) ----------------------------------- *
 *
 * The toplevel traces a function by redirecting it to a stub of the
 * support object (cg_support.c): either its entry, a patchable run of
 * NOPs that the toplevel overwrites with a jump, or the code pointer of
 * its closure. The runtime forwards three kinds of events to the hook the
 * toplevel installs, which prints the trace and runs the code:
 * - NML_TRACE_CALL: a stub was entered with closure clos and its nargs
 *   arguments (in a stack array); the hook returns the call's result.
 * - NML_TRACE_WRAPPED: a closure that traces a functional result (code
 *   nml_trace_wrap) was applied to args[0].
 * - NML_TRACE_PARTIAL: nml_apply<N> just built the partial application
 *   args[0] of clos to nargs arguments; the hook returns it or what
 *   stands for it.
 * The hook sets up its own trap frames to report exceptions, which it
 * raises again. nml_trace_active counts the closures traced (abi.def). */
typedef enum NmlTraceEvent { NML_TRACE_CALL, NML_TRACE_WRAPPED, NML_TRACE_PARTIAL } NmlTraceEvent;
typedef value (*NmlTraceHook)(void *ctx, NmlTraceEvent ev, value clos, value *args, intptr_t nargs);
/* Installs the hook (NULL removes it); ctx is passed back to it. */
NML_EXPORT void nml_set_trace_hook(NmlTraceHook hook, void *ctx);

/* ---- Float formatting shared with the value printer --------------------- */

/* Writes d as OCaml's toplevel prints a float: the first of %.12g, %.15g,
 * %.18g that reads back to d, with a "." appended when it looks like an
 * integer; "nan", "infinity", "neg_infinity". buf has room for 32 bytes. */
NML_EXPORT void nml_format_float_repr(double d, char *buf);

/* ---- What generated code names (abi.def) --------------------------------
 *
 * The functions and variables above that generated code calls and reads
 * by name, declared once more from the list codegen is generated from: a
 * signature that drifts from the list no longer compiles. */
#define NML_ABI_FN(sym, ret, params, arity, flags) NML_EXPORT ret sym params;
#define NML_ABI_VAR(sym, type)                     NML_EXPORT extern type sym;
#include "abi.def"

#endif
