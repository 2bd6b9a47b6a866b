/* test_codegen.c — unit tests of the back end: lowering (lower.c),
 * closure conversion (closure.c) and LLVM code generation (cg_*.c).
 * Phrases are parsed and typed against a prelude of %-primitives, their
 * flat IR is compared with golden text, and their objects (codegen.h,
 * the LLVM module verified) are linked with dynlink, loaded and run: the
 * unit's entry must return the list of the values the phrase binds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codegen.h"
#include "dynlink.h"
#include "lower.h"
#include "natml_runtime.h"
#include "parse.h"
#include "typecheck.h"

static const char *prelude = "external ( + ) : int -> int -> int = \"%addint\" "
                             "external ( - ) : int -> int -> int = \"%subint\" "
                             "external ( * ) : int -> int -> int = \"%mulint\" "
                             "external ( / ) : int -> int -> int = \"%divint\" "
                             "external ( = ) : 'a -> 'a -> bool = \"%equal\" "
                             "external ( +. ) : float -> float -> float = \"%addfloat\" "
                             "external ( ^ ) : string -> string -> string = \"nml_string_concat\";;";

typedef struct Fixture {
  Arena perm;
  Typer *T;
  CgSession *cg;
  DlContext *dl;
  int units;
} Fixture;

static int setup(void **state) {
  Fixture *fx = calloc(1, sizeof *fx);
  arena_init(&fx->perm);
  fx->T = ty_new(&fx->perm);
  fx->cg = cg_session_new(0, 0);
  cg_session_verify(fx->cg, true);
  DlError err;
  fx->dl = dl_create(&err);
  assert_non_null(fx->dl);
  *state = fx;
  return 0;
}

static int teardown(void **state) {
  Fixture *fx = *state;
  dl_destroy(fx->dl);
  cg_session_free(fx->cg);
  ty_free(fx->T);
  arena_free(&fx->perm);
  free(fx);
  return 0;
}

/* A phrase to compile, under ctx_protect: its source, then its flat IR
 * unit. */
typedef struct Compile {
  Fixture *fx;
  IrUnit *u;
} Compile;

/* Parses and types the phrase (prelude first), lowers it. */
static void compile(Ctx *ctx, void *arg) {
  Compile *c = arg;
  int n;
  Item **items = parse_implementation(ctx, &n);
  ty_begin_phrase(c->fx->T, ctx);
  for (int i = 0; i < n; i++) ty_item(c->fx->T, items[i]);
  char name[16];
  snprintf(name, sizeof name, "u%d", ++c->fx->units);
  c->u = lower_unit(ctx, arena_strdup(ctx->arena, name), items, n, "//test//", NULL, NULL, "");
  assert_true(closure_convert(ctx->arena, c->u));
}

/* Sets up ctx over the prelude and src, in arena. */
static void fixture_ctx(Fixture *fx, Ctx *ctx, Arena *arena, const char *src) {
  char *text = arena_printf(arena, "%s\n%s", prelude, src);
  ctx_init(ctx, arena, &fx->perm, text, (int)strlen(text));
}

/* The flat IR of src as text; NULL after a diagnostic. */
static char *ir_of(Fixture *fx, const char *src) {
  Arena arena;
  arena_init(&arena);
  Ctx ctx;
  fixture_ctx(fx, &ctx, &arena, src);
  Compile c = {fx, NULL};
  char *r = NULL;
  if (ctx_protect(&ctx, compile, &c)) {
    Buf b;
    buf_init(&b);
    ir_print_unit(&b, c.u);
    r = b.data;
  }
  ty_rollback(fx->T);
  arena_free(&arena);
  return r;
}

/* Compiles src to native code, loads it and returns its entry. */
static value (*run_entry(Fixture *fx, const char *src))(void) {
  Arena arena;
  arena_init(&arena);
  Ctx ctx;
  fixture_ctx(fx, &ctx, &arena, src);
  Compile c = {fx, NULL};
  if (!ctx_protect(&ctx, compile, &c)) fail_msg("compilation failed: %s", ctx.diags ? ctx.diags->text : "?");
  CgObject obj = {0};
  CgError err;
  if (!cg_unit_object(fx->cg, &arena, c.u, NULL, &obj, NULL, &err)) fail_msg("%s", err.msg);
  assert_memory_equal(obj.data, "\177ELF", 4);
  DlImage img;
  DlError derr;
  assert_true(dl_link(fx->dl, obj.data, obj.size, DL_PREBIND, &img, &derr));
  cg_object_free(&obj);
  DlUnit *unit = dl_load(fx->dl, &img, &derr);
  dl_image_free(&img);
  assert_non_null(unit);
  char entry[32];
  snprintf(entry, sizeof entry, "nml_entry_%s", c.u->name);
  void *p = dl_unit_symbol(unit, entry);
  assert_non_null(p);
  value (*fn)(void);
  memcpy(&fn, &p, sizeof fn);
  ty_rollback(fx->T);
  arena_free(&arena);
  return fn;
}

/* Compiles and runs src; returns its value list. */
static value run(Fixture *fx, const char *src) {
  value list, exn;
  if (!nml_run_trapped(run_entry(fx, src), &list, &exn)) fail_msg("%s raised", src);
  return list;
}

static value nth(value list, int n) {
  while (n-- > 0) list = Field(list, 1);
  return Field(list, 0);
}

static void test_codegen_ir_of_a_function(void **state) {
  char *ir = ir_of(*state, "let f x = x + 1;;");
  assert_non_null(ir);
  assert_string_equal(ir, "(function nml_u1_f_0 v1\n"
                          "  (+ v1 1))\n"
                          "(entry\n"
                          "  (let v0 (closure nml_u1_f_0)\n"
                          "  (block tag=0 v0 0)))\n");
  free(ir);
}

static void test_codegen_free_variables_become_closure_fields(void **state) {
  char *ir = ir_of(*state, "let add a = let c = a + 1 in fun b -> c + b;;");
  assert_non_null(ir);
  /* The inner function captures `c` as its only free variable. */
  assert_non_null(strstr(ir, "[env v1]"));
  assert_non_null(strstr(ir, "(+ env.0 v2)"));
  free(ir);
}

/* fun a -> function ... is one function of two parameters, as in
 * OCaml; fun a -> fun b -> e stays a function returning a closure. */
static void test_codegen_curried_functions_merge(void **state) {
  char *ir = ir_of(*state, "let rec len n = function [] -> n | _ :: r -> len (n + 1) r;;");
  assert_non_null(ir);
  assert_non_null(strstr(ir, "(function nml_u1_len_0 v1 v2\n"));
  assert_null(strstr(ir, "[env"));
  assert_null(strstr(ir, "apply"));
  free(ir);
  ir = ir_of(*state, "let add a = fun b -> a + b;;");
  assert_non_null(ir);
  assert_non_null(strstr(ir, "[env v1]"));
  free(ir);
}

static void test_codegen_known_calls_are_direct(void **state) {
  char *ir = ir_of(*state, "let rec loop n = if n = 0 then 0 else loop (n - 1);;");
  assert_non_null(ir);
  assert_non_null(strstr(ir, "(call nml_u1_loop_0"));
  assert_null(strstr(ir, "(apply"));
  /* Comparison of ints is specialised, not a runtime call. */
  assert_non_null(strstr(ir, "(==i v1 0)"));
  free(ir);
}

static void test_codegen_runs_arithmetic(void **state) {
  value l = run(*state, "let x = 6 * 7 let y = x / 5 - 1;;");
  assert_int_equal(Long_val(nth(l, 0)), 42);
  assert_int_equal(Long_val(nth(l, 1)), 7);
}

static void test_codegen_runs_closures_and_partial_application(void **state) {
  value l = run(*state, "let add3 a b c = a + b + c\n"
                        "let p = add3 1\n"
                        "let q = p 2\n"
                        "let r = q 3\n"
                        "let s = (fun f -> f 10 20) (add3 100);;");
  assert_int_equal(Long_val(nth(l, 3)), 6);
  assert_int_equal(Long_val(nth(l, 4)), 130);
  assert_int_equal(Tag_val(nth(l, 1)), Closure_tag);
}

static void test_codegen_runs_deep_tail_recursion(void **state) {
  /* 10^7 iterations in constant stack: tail calls are guaranteed. */
  value l = run(*state, "let rec loop n acc = if n = 0 then acc else loop (n - 1) (acc + 1)\n"
                        "let r = loop 10000000 0;;");
  assert_int_equal(Long_val(nth(l, 1)), 10000000);
}

static void test_codegen_runs_tuples_strings_floats(void **state) {
  value l = run(*state, "let t = (1, \"ab\" ^ \"cd\", 1.5 +. 2.25);;");
  value t = nth(l, 0);
  assert_int_equal(Wosize_val(t), 3);
  assert_string_equal(String_val(Field(t, 1)), "abcd");
  assert_true(Double_val(Field(t, 2)) == 3.75);
}

static void test_codegen_division_by_zero_raises(void **state) {
  value list, exn;
  bool ok = nml_run_trapped(run_entry(*state, "let z = 1 / (1 - 1);;"), &list, &exn);
  assert_false(ok);
  assert_true(exn == nml_exn_Division_by_zero);
}

/* A functor is a closure from a module block to a module block; the
 * application binds the result's fields to the values the item binds. */
static void test_codegen_functor_application_binds_result_values(void **state) {
  value l = run(*state, "module F (X : sig val v : int end) = struct let w = X.v * 2 let z = w + 1 end\n"
                        "module A = F (struct let v = 20 end)\n"
                        "let r = A.z;;");
  assert_int_equal(Tag_val(nth(l, 0)), Closure_tag); /* F */
  assert_int_equal(Long_val(nth(l, 1)), 40);         /* A.w */
  assert_int_equal(Long_val(nth(l, 2)), 41);         /* A.z */
  assert_int_equal(Long_val(nth(l, 3)), 41);         /* r */
}

/* The argument's block has the parameter's fields in the parameter's
 * order, picked by name; extra values are left out. */
static void test_codegen_functor_argument_is_coerced_by_name(void **state) {
  Fixture *fx = *state;
  const char *src = "module F (X : sig val a : int val b : string end) = struct let s = X.b end\n"
                    "module A = F (struct let b = \"bee\" let c = 3 let a = 1 end);;";
  char *ir = ir_of(fx, src);
  assert_non_null(ir);
  assert_non_null(strstr(ir, "(field 1 ")); /* the body reads X.b */
  free(ir);
  value l = run(fx, src);
  assert_string_equal(String_val(nth(l, 1)), "bee");
}

static void test_codegen_functor_curried_with_submodules(void **state) {
  value l = run(*state, "module type N = sig val n : int end\n"
                        "module Add (A : N) (B : N) = struct module Sum = struct let n = A.n + B.n end end\n"
                        "module One = struct let n = 1 end\n"
                        "module Three = Add (One) (struct let n = 2 end)\n"
                        "module Six = Add (Three.Sum) (Three.Sum)\n"
                        "let r = Six.Sum.n;;");
  int n = 0;
  for (value v = l; Is_block(v); v = Field(v, 1)) n++;
  assert_int_equal(Long_val(nth(l, n - 1)), 6);
}

static void test_codegen_let_module_and_let_exception(void **state) {
  value l = run(*state, "let f x = let module M = struct let y = x * 10 end in M.y\n"
                        "external raise : exn -> 'a = \"%raise\"\n"
                        "let g () = let exception E of int in try raise (E 5) with E n -> n\n"
                        "let r = f 4 + g ();;");
  assert_int_equal(Long_val(nth(l, 2)), 45);
}

/* ---- Patchable entries (#trace) ------------------------------------------ */

static void test_codegen_patch_bytes_are_recognised(void **state) {
  (void)state;
  /* LLVM's padding: NOPs of any length, prefixed or not, filling exactly
   * the prefix and the entry. */
  unsigned char code[32];
  memset(code, 0x90, CG_PATCH_PREFIX);
  memcpy(code + CG_PATCH_PREFIX, "\x66\x90\x55", 3);
  assert_true(cg_patchable_entry(code + CG_PATCH_PREFIX));
  static const unsigned char long_nops[CG_PATCH_PREFIX] = {0x2e, 0x66, 0x0f, 0x1f, 0x84, 0,   0,
                                                           0,    0,    0,    0x0f, 0x1f, 0x00};
  memcpy(code, long_nops, sizeof long_nops);
  assert_true(cg_patchable_entry(code + CG_PATCH_PREFIX));
  /* A prologue at the entry, or a NOP running past it, is no patchable
   * entry. */
  code[CG_PATCH_PREFIX] = 0x55;
  assert_false(cg_patchable_entry(code + CG_PATCH_PREFIX));
  memcpy(code + CG_PATCH_PREFIX, "\x0f\x1f\x00", 3);
  assert_false(cg_patchable_entry(code + CG_PATCH_PREFIX));
  /* The jump: movabs $target, %r11; jmp *%r11; then jmp rel8 back to it. */
  unsigned char jump[CG_PATCH_BYTES];
  cg_patch_jump(jump, (void *)(uintptr_t)0x1122334455667788u);
  static const unsigned char want[CG_PATCH_BYTES] = {0x49, 0xbb, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33,
                                                     0x22, 0x11, 0x41, 0xff, 0xe3, 0xeb, 0xf1};
  assert_memory_equal(jump, want, CG_PATCH_BYTES);
}

/* What the test tracer saw. */
typedef struct Seen {
  int calls, partials;
  value body; /* the traced function's body: its entry past the patch */
  value (*invoke)(value code, value clos, value *args, intptr_t n);
} Seen;

static value test_hook(void *ctx, NmlTraceEvent ev, value clos, value *args, intptr_t nargs) {
  Seen *seen = ctx;
  if (ev == NML_TRACE_PARTIAL) {
    seen->partials++;
    return args[0];
  }
  assert_int_equal(ev, NML_TRACE_CALL);
  seen->calls++;
  return seen->invoke(seen->body, clos, args, nargs);
}

/* A unit compiled with patchable entries runs as without them; once its
 * entry is patched to the trace stub of its arity, every call of the
 * function reaches the hook (through the closure, and its recursive
 * calls), the body past the patch computes as before, and restoring the
 * bytes brings the function back. At opt level 0 self tail calls leave
 * through the entry too. */
static void test_codegen_patched_entry_sees_every_call(void **state) {
  Fixture *fx = *state;
  cg_session_patchable(fx->cg, true);
  value l = run(fx, "let rec sum n = if n = 0 then 0 else n + sum (n - 1)\n"
                    "let rec count n acc = if n = 0 then acc else count (n - 1) (acc + 1)\n"
                    "let add a b = a + b;;");
  value sum = nth(l, 0), count = nth(l, 1), add = nth(l, 2);
  unsigned char *code = (unsigned char *)Field(sum, 0);
  assert_true(cg_patchable_entry(code));
  assert_true(cg_patchable_entry((void *)Field(count, 0)));
  void *stub1 = dl_lookup(fx->dl, "nml_trace_stub1"), *invoke = dl_lookup(fx->dl, "nml_trace_invoke");
  void *stub2 = dl_lookup(fx->dl, "nml_trace_stub2");
  void *apply1 = dl_lookup(fx->dl, "nml_callback1"), *apply2 = dl_lookup(fx->dl, "nml_callback2");
  assert_non_null(stub1);
  assert_non_null(invoke);
  assert_false(cg_patchable_entry(stub1)); /* the support code has none */
  value (*call1)(value, value), (*call2)(value, value, value);
  memcpy(&call1, &apply1, sizeof call1);
  memcpy(&call2, &apply2, sizeof call2);
  Seen seen = {0};
  memcpy(&seen.invoke, &invoke, sizeof invoke);
  nml_set_trace_hook(test_hook, &seen);

  unsigned char saved[CG_PATCH_BYTES], jump[CG_PATCH_BYTES];
  memcpy(saved, code - CG_PATCH_PREFIX, CG_PATCH_BYTES);
  cg_patch_jump(jump, stub1);
  DlError err;
  assert_true(dl_patch_code(code - CG_PATCH_PREFIX, jump, CG_PATCH_BYTES, &err));
  seen.body = (value)(code + CG_PATCH_ENTRY);
  assert_int_equal(Long_val(call1(sum, Val_long(4))), 10);
  assert_int_equal(seen.calls, 5);
  assert_true(dl_patch_code(code - CG_PATCH_PREFIX, saved, CG_PATCH_BYTES, &err));
  assert_int_equal(Long_val(call1(sum, Val_long(4))), 10);
  assert_int_equal(seen.calls, 5);

  /* A tail-recursive function: each iteration enters again. */
  code = (unsigned char *)Field(count, 0);
  cg_patch_jump(jump, stub2);
  assert_true(dl_patch_code(code - CG_PATCH_PREFIX, jump, CG_PATCH_BYTES, &err));
  seen.body = (value)(code + CG_PATCH_ENTRY);
  seen.calls = 0;
  assert_int_equal(Long_val(call2(count, Val_long(3), Val_long(0))), 3);
  assert_int_equal(seen.calls, 4);

  /* While something is traced, the apply helpers show partial
   * applications to the tracer. */
  nml_trace_active = 1;
  value p = call1(add, Val_long(1));
  nml_trace_active = 0;
  assert_int_equal(seen.partials, 1);
  assert_int_equal(Long_val(call1(p, Val_long(2))), 3);
  nml_set_trace_hook(NULL, NULL);
}

/* Without patchable entries a function starts with its prologue. */
static void test_codegen_entries_are_not_patchable_by_default(void **state) {
  value l = run(*state, "let f x = x + 1;;");
  assert_false(cg_patchable_entry((void *)Field(nth(l, 0), 0)));
}

int main(void) {
  int anchor;
  nml_init(&anchor);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_codegen_ir_of_a_function, setup, teardown),
      cmocka_unit_test_setup_teardown(test_codegen_curried_functions_merge, setup, teardown),
      cmocka_unit_test_setup_teardown(test_codegen_free_variables_become_closure_fields, setup, teardown),
      cmocka_unit_test_setup_teardown(test_codegen_known_calls_are_direct, setup, teardown),
      cmocka_unit_test_setup_teardown(test_codegen_runs_arithmetic, setup, teardown),
      cmocka_unit_test_setup_teardown(test_codegen_runs_closures_and_partial_application, setup, teardown),
      cmocka_unit_test_setup_teardown(test_codegen_runs_deep_tail_recursion, setup, teardown),
      cmocka_unit_test_setup_teardown(test_codegen_runs_tuples_strings_floats, setup, teardown),
      cmocka_unit_test_setup_teardown(test_codegen_division_by_zero_raises, setup, teardown),
      cmocka_unit_test_setup_teardown(test_codegen_functor_application_binds_result_values, setup, teardown),
      cmocka_unit_test_setup_teardown(test_codegen_functor_argument_is_coerced_by_name, setup, teardown),
      cmocka_unit_test_setup_teardown(test_codegen_functor_curried_with_submodules, setup, teardown),
      cmocka_unit_test_setup_teardown(test_codegen_let_module_and_let_exception, setup, teardown),
      cmocka_unit_test(test_codegen_patch_bytes_are_recognised),
      cmocka_unit_test_setup_teardown(test_codegen_patched_entry_sees_every_call, setup, teardown),
      cmocka_unit_test_setup_teardown(test_codegen_entries_are_not_patchable_by_default, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
