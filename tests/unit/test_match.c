/* test_match.c — unit tests of pattern matching: the decision trees that
 * lower_match.c builds (their IR shape) and the warnings of parmatch.c
 * (exhaustiveness with OCaml's counter-examples, unused cases and
 * sub-patterns). Every expected warning text and location below was
 * printed by the real OCaml 4.13.1 toplevel for the same phrase. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "ir.h"
#include "lower.h"
#include "parse.h"
#include "typecheck.h"

typedef struct MT {
  Arena perm;
  Typer *T;
  Buf out;
  int units;
} MT;

/* A phrase to type (and lower), under ctx_protect. */
typedef struct MatchRun {
  MT *t;
  bool ir;
} MatchRun;

static void type_phrase(Ctx *ctx, void *arg) {
  MatchRun *r = arg;
  MT *t = r->t;
  int n;
  Item **items = parse_phrase(ctx, &n);
  ty_begin_phrase(t->T, ctx);
  for (int i = 0; i < n; i++) ty_item(t->T, items[i]);
  if (r->ir) {
    char name[16];
    snprintf(name, sizeof name, "m%d", ++t->units);
    IrUnit *u = lower_unit(ctx, arena_strdup(ctx->arena, name), items, n, "//test//", NULL, NULL, "");
    ir_print_unit(&t->out, u);
  } else {
    for (Diag *d = ctx->diags; d; d = d->next)
      buf_printf(&t->out, "%sW%d %d:%d-%d %s", t->out.len ? "\n" : "", d->warn_num, d->loc.line1, d->loc.col1,
                 d->loc.col2, d->text);
  }
  ty_commit(t->T);
}

/* Types (and, when ir is set, lowers) one phrase. Returns its warnings,
 * one per line as "W<n> <line>:<col1>-<col2> <text>" with the text's
 * newlines kept, or with ir set the phrase's IR. Errors give "error: ". */
static const char *run(MT *t, const char *src, bool ir) {
  Arena arena;
  arena_init(&arena);
  Ctx ctx;
  ctx_init(&ctx, &arena, &t->perm, src, (int)strlen(src));
  buf_clear(&t->out);
  MatchRun r = {t, ir};
  if (!ctx_protect(&ctx, type_phrase, &r)) {
    ty_rollback(t->T);
    buf_puts(&t->out, "error: ");
    if (ctx.diags) buf_puts(&t->out, ctx.diags->text);
  }
  arena_free(&arena);
  return t->out.data ? t->out.data : "";
}

static int setup(void **state) {
  MT *t = calloc(1, sizeof(MT));
  arena_init(&t->perm);
  t->T = ty_new(&t->perm);
  buf_init(&t->out);
  const char *prelude[] = {
      "type t = A | B of int | C | D of int * bool;;",
      "type r = {a : int; b : bool};;",
      "type 'a ref = {mutable contents : 'a};;",
      "exception Ex of int;;",
      "external ( > ) : 'a -> 'a -> bool = \"%greaterthan\";;",
  };
  for (size_t i = 0; i < sizeof prelude / sizeof prelude[0]; i++) {
    const char *r = run(t, prelude[i], false);
    if (*r) {
      fprintf(stderr, "prelude failed: %s\n=> %s\n", prelude[i], r);
      return -1;
    }
  }
  *state = t;
  return 0;
}

static int teardown(void **state) {
  MT *t = *state;
  ty_free(t->T);
  arena_free(&t->perm);
  buf_free(&t->out);
  free(t);
  return 0;
}

#define PARTIAL                                                                                              \
  "this pattern-matching is not exhaustive.\nHere is an example of a case that is not matched:\n"
#define CHECK(src, expected) assert_string_equal(run(t, src, false), expected)

static int count(const char *s, const char *sub) {
  int n = 0;
  for (const char *p = strstr(s, sub); p; p = strstr(p + 1, sub)) n++;
  return n;
}

/* ---- Counter-examples (OCaml 4.13.1's, verified with the real toplevel) --- */

static void test_match_counter_example_variants(void **state) {
  MT *t = *state;
  CHECK("let f = function A -> 1 | B _ -> 2;;", "W8 1:8-34 " PARTIAL "(C|D (_, _))");
  CHECK("let f = function A -> 1 | B 1 -> 2 | C -> 3 | D _ -> 4;;", "W8 1:8-54 " PARTIAL "B 0");
  CHECK("let f = function (A, _) -> 1 | (_, B _) -> 2;;",
        "W8 1:8-44 " PARTIAL "((C|B _|D (_, _)), (A|C|D (_, _)))");
  CHECK("let f = function Some (Some 1) -> 1 | Some None -> 2;;", "W8 1:8-52 " PARTIAL "Some (Some 0)");
  CHECK("let f = function (true, true) -> 1 | (false, false) -> 2;;", "W8 1:8-56 " PARTIAL "(true, false)");
  CHECK("let f = function (A | B _) as t -> t;;", "W8 1:8-36 " PARTIAL "(C|D (_, _))");
  CHECK("let g x = match x with (A, _) -> 1 | (_, A) -> 2 | (B _, B _) -> 3;;",
        "W8 1:10-66 " PARTIAL "(B _, (C|D (_, _)))");
}

static void test_match_counter_example_lists(void **state) {
  MT *t = *state;
  CHECK("let f = function [] -> 0 | [_] -> 1 | [_; _] -> 2;;", "W8 1:8-49 " PARTIAL "_::_::_::_");
  CHECK("let f = function Some [] -> 0 | None -> 1;;", "W8 1:8-41 " PARTIAL "Some (_::_)");
  CHECK("let f = function [[]; []] -> 1;;", "W8 1:8-30 " PARTIAL "[]::[]::_::_");
  CHECK("let f = function (x :: y :: _) :: _ -> 1;;", "W8 1:8-40 " PARTIAL "(_::[])::_");
  CHECK("let f = function 1 :: 2 :: [] -> 1;;", "W8 1:8-34 " PARTIAL "1::2::_::_");
  CHECK("let f = function [[1]] -> 1;;", "W8 1:8-27 " PARTIAL "(1::[])::_::_");
  CHECK("let g l = match l with x :: _ -> x;;", "W8 1:10-34 " PARTIAL "[]");
}

static void test_match_counter_example_constants(void **state) {
  MT *t = *state;
  CHECK("let f = function (0, 0) -> 1 | (1, _) -> 2;;", "W8 1:8-42 " PARTIAL "(0, 1)");
  CHECK("let p = function (0, _) -> \"a\" | (_, 0) -> \"b\";;", "W8 1:8-46 " PARTIAL "(1, 1)");
  CHECK("let f = function Some (-3) -> 1 | Some 0 -> 2;;", "W8 1:8-45 " PARTIAL "Some 1");
  CHECK("let f = function \"a\" -> 1 | \"\" -> 2 | \"*\" -> 3;;", "W8 1:8-46 " PARTIAL "\"**\"");
  CHECK("let s = function \"a\" -> 1 | \"b\" -> 2;;", "W8 1:8-36 " PARTIAL "\"\"");
  CHECK("let f = function 1.0 -> 1 | -1.0 -> 2;;", "W8 1:8-37 " PARTIAL "0.");
  CHECK("let f = function 0.0 -> 1;;", "W8 1:8-25 " PARTIAL "1.");
}

static void test_match_counter_example_chars(void **state) {
  MT *t = *state;
  CHECK("let c = function 'a'..'m' -> true;;", "W8 1:8-33 " PARTIAL "'n'");
  CHECK("let f = function 'a' .. 'z' | 'A' .. 'Z' | '0' .. '9' -> 1;;", "W8 1:8-58 " PARTIAL "' '");
  CHECK("let f = function ' ' .. '~' -> 1 | '\\000' .. '\\031' -> 2;;", "W8 1:8-56 " PARTIAL "'\\127'");
  CHECK("let f = function ' ' .. '~' -> 1;;", "W8 1:8-32 " PARTIAL "'\\000'");
}

static void test_match_counter_example_records_arrays(void **state) {
  MT *t = *state;
  CHECK("let f = function {a = 1; b = true} -> 1 | {b = false; _} -> 2;;",
        "W8 1:8-61 " PARTIAL "{a=0; b=true}");
  CHECK("let f = function {b = true; _} -> 1;;", "W8 1:8-35 " PARTIAL "{b=false; _ }");
  CHECK("let f = function Some {a = 0; _} -> 1 | None -> 2;;", "W8 1:8-49 " PARTIAL "Some {a=1; _ }");
  CHECK("let r = function { contents = 0 } -> \"zero\";;", "W8 1:8-43 " PARTIAL "{contents=1}");
  CHECK("let f = function [| |] -> 0 | [| _ |] -> 1 | [| _; _ |] -> 2;;",
        "W8 1:8-60 " PARTIAL "[| _ ; _ ; _ |]");
  CHECK("let arr = function [| a; b |] -> a;;", "W8 1:10-34 " PARTIAL "[|  |]");
}

static void test_match_counter_example_exceptions(void **state) {
  MT *t = *state;
  CHECK("let f = function Ex 0 -> 1;;", "W8 1:8-26 " PARTIAL "Ex 1");
  CHECK("let f = function Not_found -> 1;;",
        "W8 1:8-31 " PARTIAL "*extension*\nMatching over values of extensible variant types "
        "(the *extension* above)\nmust include a wild card pattern in order to be exhaustive.");
  /* try handlers are not checked for exhaustiveness. */
  CHECK("let f x = try x with Ex 0 -> 1;;", "");
}

static void test_match_guards_and_lets(void **state) {
  MT *t = *state;
  CHECK("let f x = match x with Some x when x > 0 -> 1 | Some 0 -> 2 | None -> 3;;",
        "W8 1:10-71 " PARTIAL "Some 1\n(However, some guarded clause may match this value.)");
  CHECK("let f x = match x with Some y when y > 0 -> 1 | None -> 2;;",
        "W8 1:10-57 " PARTIAL "Some _\n(However, some guarded clause may match this value.)");
  /* let at top level and with `and`: the pattern's location. */
  CHECK("let [p] = [1; 2];;", "W8 1:4-7 " PARTIAL "_::_::_");
  CHECK("let h l = let x = l and [a] = l in (x, a);;", "W8 1:24-27 " PARTIAL "_::_::_");
  CHECK("let h l = let (_, 1) = l in 1;;", "W8 1:14-20 " PARTIAL "(_, 0)");
  /* one binding with a constructor is typed as a match: the whole let. */
  CHECK("let h l = let [a] = l in a;;", "W8 1:10-26 " PARTIAL "_::_::_");
  CHECK("let h l = let (x, Some 1) = l in 1;;", "W8 1:10-34 " PARTIAL "(_, Some 0)");
  /* fun p1 p2 -> e: each parameter's function, from it to the end. */
  CHECK("let g x y (Some z) = z;;", "W8 1:10-22 " PARTIAL "None");
  CHECK("let g = fun (Some x) y -> x;;", "W8 1:8-27 " PARTIAL "None");
  CHECK("let first (a :: _) = a;;", "W8 1:10-22 " PARTIAL "[]");
}

static void test_match_unused_cases(void **state) {
  MT *t = *state;
  CHECK("let f x = match x with 0 -> 1 | 1 -> 2 | 0 -> 3 | _ -> 4;;",
        "W11 1:41-42 this match case is unused.");
  CHECK("let f x = match x with _ -> 1 | 2 -> 3;;", "W11 1:32-33 this match case is unused.");
  CHECK("let f x = match x with Some _ -> 1 | None -> 2 | _ -> 3;;",
        "W11 1:49-50 this match case is unused.");
  CHECK("let f x = match x with (1|2), (3|4) -> 1 | (2|1), 3 -> 2 | _ -> 3;;",
        "W11 1:43-51 this match case is unused.");
  CHECK("let f x = try x with Not_found -> 1 | Not_found -> 2;;", "W11 1:38-47 this match case is unused.");
  CHECK("let f x = match x with | (Some 1 | None) -> 1 | Some 1 -> 2 | Some _ -> 3;;",
        "W11 1:48-54 this match case is unused.");
  CHECK("let f = function [A; B 1] -> 1 | _ -> 2 | [] -> 3;;", "W11 1:42-44 this match case is unused.");
  CHECK("let f x = match x with Ex _ -> 1 | Ex 1 -> 2 | _ -> 3;;", "W11 1:35-39 this match case is unused.");
  /* A guarded case does not hide the ones below it. */
  CHECK("let f x = match x with Some y when y > 0 -> 1 | Some _ -> 2 | None -> 3;;", "");
  /* Exhaustiveness first, then the unused cases. */
  CHECK("let h = function Some (A | B _) -> 0 | Some _ -> 1 | None -> 2 | Some A -> 3;;",
        "W11 1:65-71 this match case is unused.");
}

static void test_match_unused_subpatterns(void **state) {
  MT *t = *state;
  CHECK("let f x = match x with (1 | 2 | 1) -> 1 | _ -> 2;;", "W12 1:32-33 this sub-pattern is unused.");
  CHECK("let f = function A | B _ | C | D _ | A -> 1;;", "W12 1:37-38 this sub-pattern is unused.");
  CHECK("let f x = match x with 1 | 1 -> 2 | _ -> 3;;", "W12 1:27-28 this sub-pattern is unused.");
  CHECK("let f = function ' ' .. '~' | 'a'..'z' -> 1;;",
        "W8 1:8-43 " PARTIAL "'\\000'\nW12 1:30-38 this sub-pattern is unused.");
}

/* ---- Decision trees -------------------------------------------------------- */

static void test_match_tree_variant_switch(void **state) {
  MT *t = *state;
  const char *ir = run(t,
                       "let f = function A -> 1 | B 0 -> 2 | B n -> n | C -> 3 | D (x, true) -> x "
                       "| D (_, false) -> 4;;",
                       true);
  /* One test of the immediate/block split, one switch on tags, one on
   * constant constructors; B's and D's arguments are tested once each. */
  assert_int_equal(count(ir, "(isint v1)"), 1);
  assert_int_equal(count(ir, "(switch-tag v1"), 1);
  assert_int_equal(count(ir, "(switch v1"), 1);
  assert_int_equal(count(ir, "(field 0 v1)"), 2);
  assert_non_null(strstr(ir, "case 0:"));
  assert_non_null(strstr(ir, "case 1:"));
  /* Exhaustive: no Match_failure is raised. */
  assert_null(strstr(ir, "Match_failure"));
}

static void test_match_tree_shared_actions(void **state) {
  MT *t = *state;
  /* The second case is reached from two leaves: its body is a shared
   * handler; a Match_failure is raised from one place. */
  const char *ir = run(t, "let f = function (1, _) -> 10 | (_, 2) -> 20 | (3, 3) -> 30;;", true);
  assert_int_equal(count(ir, "with ("), 2);
  assert_int_equal(count(ir, "Match_failure"), 1);
  assert_int_equal(count(ir, " 20)"), 1); /* the body 20: lowered once */
  /* Or-patterns of constants share their subtree. */
  ir = run(t, "let g = function 'a'..'z' -> 1 | '0' | '1' -> 2 | _ -> 3;;", true);
  assert_int_equal(count(ir, "(switch v1"), 1);
  assert_int_equal(count(ir, "default: 3"), 1);
}

static void test_match_tree_exceptions_and_arrays(void **state) {
  MT *t = *state;
  const char *ir = run(t, "let f = function Ex 0 -> 1 | Not_found -> 2 | _ -> 3;;", true);
  /* Ex has an argument: field 0 is compared with its constructor block. */
  assert_non_null(strstr(ir, "(if (== (field 0 v1) v2)")); /* v2: Ex's block */
  assert_non_null(strstr(ir, "(let v3 (field 1 v1)"));
  assert_non_null(strstr(ir, "(== v1 (global nml_exn_Not_found))"));
  ir = run(t, "let g = function [||] -> 0 | [|x|] -> x | [|x; y|] -> y | _ -> 9;;", true);
  assert_int_equal(count(ir, "(switch (size v1)"), 1);
  /* match e with exception: the try covers the scrutinee only. */
  ir = run(t, "let h x = match x () with exception Not_found -> 0 | n -> n;;", true);
  assert_non_null(strstr(ir, "(let v1 (try (apply v3 0)"));
  assert_non_null(strstr(ir, "(exit 1 v4)"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_match_counter_example_variants, setup, teardown),
      cmocka_unit_test_setup_teardown(test_match_counter_example_lists, setup, teardown),
      cmocka_unit_test_setup_teardown(test_match_counter_example_constants, setup, teardown),
      cmocka_unit_test_setup_teardown(test_match_counter_example_chars, setup, teardown),
      cmocka_unit_test_setup_teardown(test_match_counter_example_records_arrays, setup, teardown),
      cmocka_unit_test_setup_teardown(test_match_counter_example_exceptions, setup, teardown),
      cmocka_unit_test_setup_teardown(test_match_guards_and_lets, setup, teardown),
      cmocka_unit_test_setup_teardown(test_match_unused_cases, setup, teardown),
      cmocka_unit_test_setup_teardown(test_match_unused_subpatterns, setup, teardown),
      cmocka_unit_test_setup_teardown(test_match_tree_variant_switch, setup, teardown),
      cmocka_unit_test_setup_teardown(test_match_tree_shared_actions, setup, teardown),
      cmocka_unit_test_setup_teardown(test_match_tree_exceptions_and_arrays, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
