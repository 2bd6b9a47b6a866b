/* test_parser.c — unit tests of the parser (compiler/parse*.c): operator
 * precedence and associativity, desugaring, node locations, structure items
 * and directives, the toplevel's incremental phrase reading, and syntax
 * errors with OCaml 4.13's exact words and locations (each expected error
 * was checked against the real `ocaml` toplevel or `ocamlc -stop-after
 * parsing`).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "parse.h"

typedef struct Fixture {
  Arena arena, perm;
  Ctx ctx;
} Fixture;

static Fixture *fx_new(const char *src) {
  Fixture *f = test_calloc(1, sizeof *f);
  arena_init(&f->arena);
  arena_init(&f->perm);
  ctx_init(&f->ctx, &f->arena, &f->perm, src, (int)strlen(src));
  return f;
}

static void fx_free(Fixture *f) {
  arena_free(&f->arena);
  arena_free(&f->perm);
  test_free(f);
}

static const Diag *first_error(const Fixture *f) {
  const Diag *d = f->ctx.diags;
  while (d && d->sev != DIAG_ERROR) d = d->next;
  return d;
}

/* One parse of a fixture's source, run under ctx_protect. */
typedef enum ParseMode { PARSE_PHRASE, PARSE_PARTIAL, PARSE_FILE } ParseMode;
typedef struct ParseRun {
  ParseMode mode;
  Item **items;
  int n, end;
  PhraseStatus st; /* PARSE_PARTIAL */
} ParseRun;

static void parse_run(Ctx *ctx, void *arg) {
  ParseRun *r = arg;
  switch (r->mode) {
  case PARSE_PHRASE: r->items = parse_phrase(ctx, &r->n); break;
  case PARSE_PARTIAL: r->st = parse_phrase_partial(ctx, false, &r->items, &r->n, &r->end); break;
  case PARSE_FILE: r->items = parse_implementation(ctx, &r->n); break;
  }
}

/* Parses f's source; false after a syntax error (its diagnostic in f). */
static bool fx_parse(Fixture *f, ParseMode mode, ParseRun *r) {
  memset(r, 0, sizeof *r);
  r->mode = mode;
  return ctx_protect(&f->ctx, parse_run, r);
}

/* Parses f's source, failing the test on a syntax error. */
static Item **fx_parse_ok(Fixture *f, ParseMode mode, int *n, const char *what) {
  ParseRun r;
  if (!fx_parse(f, mode, &r)) {
    const Diag *d = first_error(f);
    fail_msg("%s: unexpected error %s", what, d ? d->text : "?");
  }
  *n = r.n;
  return r.items;
}

/* ---- A compact S-expression view of expressions for precedence tests ---- */

static void sx_path(Buf *b, const Path *p) {
  for (int i = 0; i < p->nmods; i++) buf_printf(b, "%s.", p->mods[i]);
  buf_puts(b, p->name);
}

static void sx(Buf *b, const Expr *e) {
  switch (e->kind) {
  case EXP_CONST:
    if (e->cst.kind == CONST_INT) buf_printf(b, "%lld", (long long)e->cst.i);
    else if (e->cst.kind == CONST_FLOAT) buf_puts(b, e->cst.s);
    else if (e->cst.kind == CONST_CHAR) buf_printf(b, "'%c'", (char)e->cst.i);
    else buf_printf(b, "\"%.*s\"", e->cst.slen, e->cst.s);
    break;
  case EXP_IDENT: sx_path(b, &e->path); break;
  case EXP_CONSTRUCT:
    if (!e->a) {
      sx_path(b, &e->path);
      break;
    }
    buf_puts(b, "(");
    sx_path(b, &e->path);
    buf_puts(b, " ");
    sx(b, e->a);
    buf_puts(b, ")");
    break;
  case EXP_APPLY:
    buf_puts(b, "(");
    sx(b, e->a);
    for (int i = 0; i < e->nargs; i++) {
      buf_puts(b, " ");
      sx(b, e->args[i]);
    }
    buf_puts(b, ")");
    break;
  case EXP_TUPLE:
    buf_puts(b, "(,");
    for (int i = 0; i < e->nargs; i++) {
      buf_puts(b, " ");
      sx(b, e->args[i]);
    }
    buf_puts(b, ")");
    break;
  case EXP_IF:
    buf_puts(b, "(if ");
    sx(b, e->a);
    buf_puts(b, " ");
    sx(b, e->b);
    if (e->c) {
      buf_puts(b, " ");
      sx(b, e->c);
    }
    buf_puts(b, ")");
    break;
  case EXP_SEQ:
    buf_puts(b, "(; ");
    sx(b, e->a);
    buf_puts(b, " ");
    sx(b, e->b);
    buf_puts(b, ")");
    break;
  case EXP_FIELD:
    buf_puts(b, "(. ");
    sx(b, e->a);
    buf_puts(b, " ");
    sx_path(b, &e->path);
    buf_puts(b, ")");
    break;
  case EXP_SETFIELD:
    buf_puts(b, "(<- ");
    sx(b, e->a);
    buf_puts(b, " ");
    sx_path(b, &e->path);
    buf_puts(b, " ");
    sx(b, e->b);
    buf_puts(b, ")");
    break;
  case EXP_FUN:
    buf_printf(b, "(fun/%d ", e->nparams);
    sx(b, e->a);
    buf_puts(b, ")");
    break;
  case EXP_MATCH:
    buf_printf(b, "(match/%d ", e->ncases);
    sx(b, e->a);
    for (int i = 0; i < e->ncases; i++) {
      buf_puts(b, " ");
      sx(b, e->cases[i].body);
    }
    buf_puts(b, ")");
    break;
  case EXP_LET:
    buf_printf(b, "(let%s/%d ", e->rec ? " rec" : "", e->nbinds);
    sx(b, e->binds[0].expr);
    buf_puts(b, " ");
    sx(b, e->a);
    buf_puts(b, ")");
    break;
  case EXP_CONSTRAINT:
    buf_puts(b, "(: ");
    sx(b, e->a);
    buf_puts(b, ")");
    break;
  case EXP_LETOPEN:
    buf_puts(b, "(open ");
    sx_path(b, &e->path);
    buf_puts(b, " ");
    sx(b, e->a);
    buf_puts(b, ")");
    break;
  case EXP_ARRAY: buf_printf(b, "[|%d|]", e->nargs); break;
  case EXP_RECORD: buf_printf(b, "{%d%s}", e->nfields, e->a ? " with" : ""); break;
  default: buf_printf(b, "<%d>", (int)e->kind); break;
  }
}

/* Parses "src;;" as a phrase holding one expression; returns its view. */
static void check_expr(const char *src, const char *want) {
  char text[512];
  snprintf(text, sizeof text, "%s;;", src);
  Fixture *f = fx_new(text);
  int n;
  Item **items = fx_parse_ok(f, PARSE_PHRASE, &n, src);
  assert_int_equal(n, 1);
  assert_int_equal(items[0]->kind, ITEM_EVAL);
  Buf b;
  buf_init(&b);
  sx(&b, items[0]->expr);
  if (strcmp(b.data, want) != 0) fail_msg("%s: got %s, want %s", src, b.data, want);
  buf_free(&b);
  fx_free(f);
}

static void test_parser_arith_precedence(void **state) {
  (void)state;
  check_expr("1 + 2 * 3", "(+ 1 (* 2 3))");
  check_expr("1 - 2 - 3", "(- (- 1 2) 3)");
  check_expr("2 ** 3 ** 4", "(** 2 (** 3 4))");
  check_expr("a * b mod c", "(mod (* a b) c)");
  check_expr("1 + 2 lsl 3", "(+ 1 (lsl 2 3))");
  check_expr("- a * b", "(* (~- a) b)");
  check_expr("- f x", "(~- (f x))");
  check_expr("-2. ** 2.", "(** -2. 2.)");
  check_expr("f x - 1", "(- (f x) 1)");
  check_expr("f x -1", "(- (f x) 1)");
  check_expr("f (-1)", "(f -1)");
  check_expr("- -1", "1");
  check_expr("a +. b *. c", "(+. a (*. b c))");
  check_expr("x |> f |> g", "(|> (|> x f) g)");
  check_expr("f @@ g @@ x", "(@@ f (@@ g x))");
}

static void test_parser_logic_and_lists(void **state) {
  (void)state;
  check_expr("a || b && c", "(|| a (&& b c))");
  check_expr("a && b && c", "(&& a (&& b c))");
  check_expr("a = b || c <> d", "(|| (= a b) (<> c d))");
  check_expr("1 :: 2 :: l", "(:: (, 1 (:: (, 2 l))))");
  check_expr("a @ b @ c", "(@ a (@ b c))");
  check_expr("a ^ b = c", "(= (^ a b) c)");
  check_expr("x :: l @ m", "(@ (:: (, x l)) m)");
  check_expr("[1; 2]", "(:: (, 1 (:: (, 2 []))))");
  check_expr("[]", "[]");
  check_expr("[1, 2]", "(:: (, (, 1 2) []))");
  check_expr("1, 2 + 3, f x", "(, 1 (+ 2 3) (f x))");
}

static void test_parser_prefix_and_postfix(void **state) {
  (void)state;
  check_expr("!r", "(! r)");
  check_expr("!r.x", "(! (. r x))");
  check_expr("r := !r + 1", "(:= r (+ (! r) 1))");
  check_expr("a := b := c", "(:= a (:= b c))");
  check_expr("a.(i) <- v", "(Array.set a i v)");
  check_expr("a.(i).(j)", "(Array.get (Array.get a i) j)");
  check_expr("s.[0]", "(String.get s 0)");
  check_expr("r.M.x <- 1", "(<- r M.x 1)");
  check_expr("r.x <- 1 + 2", "(<- r x (+ 1 2))");
  check_expr("List.map f l", "(List.map f l)");
  check_expr("List.( @ )", "List.@");
  check_expr("( + ) 1", "(+ 1)");
  check_expr("( * )", "*");
  check_expr("( mod )", "mod");
  check_expr("M.(x + y)", "(open M (+ x y))");
  check_expr("M.N.[1]", "(open M.N (:: (, 1 [])))");
  check_expr("Some x", "(Some x)");
  check_expr("Some (1, 2)", "(Some (, 1 2))");
  check_expr("f Some x", "(f Some x)");
  check_expr("M.C x", "(M.C x)");
  check_expr("assert (x > 0)", "<19>");
  check_expr("()", "()");
  check_expr("begin end", "()");
  check_expr("(x : int)", "(: x)");
  check_expr("~-1", "(~- 1)");
}

static void test_parser_control_constructs(void **state) {
  (void)state;
  check_expr("if a then b else c; d", "(; (if a b c) d)");
  check_expr("if a then b; c", "(; (if a b) c)");
  check_expr("if a then 1 else 2, 3", "(if a 1 (, 2 3))");
  check_expr("if a then x := 1 else y", "(if a (:= x 1) y)");
  check_expr("1 + if a then 1 else 2 * 3", "(+ 1 (if a 1 (* 2 3)))");
  check_expr("let x = 1 in x; y", "(let/1 1 (; x y))");
  check_expr("let rec f x = f x and g = 1 in f", "(let rec/2 (fun/1 (f x)) f)");
  check_expr("fun x y -> x; y", "(fun/2 (; x y))");
  check_expr("match x with A -> 1 | B -> 2; 3", "(match/2 x 1 (; 2 3))");
  check_expr("f (match x with A -> 1) 2", "(f (match/1 x 1) 2)");
  check_expr("x :: match l with [] -> [] | l -> l", "(:: (, x (match/2 l [] l)))");
  check_expr("a; b; c", "(; a (; b c))");
  check_expr("(a; b;)", "(; a b)");
  check_expr("{ r with x = 1; y }", "{2 with}");
  check_expr("{ M.x = 1; y = 2; }", "{2}");
  check_expr("[| 1; 2 |]", "[|2|]");
  check_expr("[||]", "[|0|]");
  check_expr("let open M in x", "(open M x)");
}

/* ---- Bindings, patterns, items ------------------------------------------ */

static Item **parse_ok(Fixture *f, int *n) { return fx_parse_ok(f, PARSE_FILE, n, f->ctx.src); }

static void test_parser_let_binding_forms(void **state) {
  (void)state;
  Fixture *f = fx_new("let f x (y, z) : int = x\nlet x : int = 1\nlet (a, b) = p\nlet ( +! ) a b = a");
  int n;
  Item **it = parse_ok(f, &n);
  assert_int_equal(n, 4);
  Binding *b = &it[0]->binds[0];
  assert_int_equal(b->pat->kind, PAT_VAR);
  assert_string_equal(b->pat->name, "f");
  assert_int_equal(b->expr->kind, EXP_FUN);
  assert_int_equal(b->expr->nparams, 2);
  assert_int_equal(b->expr->params[1]->kind, PAT_TUPLE);
  assert_int_equal(b->expr->a->kind, EXP_CONSTRAINT);
  /* The binding spans from `let` to the end of its expression. */
  assert_int_equal(b->loc.col1, 0);
  assert_int_equal(b->loc.col2, 24);
  b = &it[1]->binds[0];
  assert_int_equal(b->pat->kind, PAT_CONSTRAINT);
  assert_int_equal(b->expr->kind, EXP_CONSTRAINT);
  assert_int_equal(it[2]->binds[0].pat->kind, PAT_TUPLE);
  assert_string_equal(it[3]->binds[0].pat->name, "+!");
  assert_int_equal(it[3]->binds[0].expr->kind, EXP_FUN);
  fx_free(f);
}

static void test_parser_patterns(void **state) {
  (void)state;
  Fixture *f = fx_new("let _ = function\n"
                      "  | (0 | -1) as z -> z\n"
                      "  | 'a'..'z' -> 1\n"
                      "  | x :: (y :: _ as rest) -> 2\n"
                      "  | Some (a, b) | C [a; b] -> 3\n"
                      "  | { x; y = _; _ } -> 4\n"
                      "  | [| p |] -> 5\n"
                      "  | (x : int) -> 6\n"
                      "  | exception Not_found -> 7\n");
  int n;
  Item **it = parse_ok(f, &n);
  Expr *fn = it[0]->binds[0].expr;
  assert_int_equal(fn->kind, EXP_FUNCTION);
  assert_int_equal(fn->ncases, 8);
  Pattern *p0 = fn->cases[0].pat;
  assert_int_equal(p0->kind, PAT_ALIAS);
  assert_int_equal(p0->arg->kind, PAT_OR);
  assert_int_equal(p0->arg->arg2->cst.i, -1);
  assert_int_equal(fn->cases[1].pat->kind, PAT_RANGE);
  Pattern *p2 = fn->cases[2].pat;
  assert_int_equal(p2->kind, PAT_CONSTRUCT);
  assert_string_equal(p2->constr.name, "::");
  assert_int_equal(p2->nitems, 2);
  assert_int_equal(p2->items[1]->kind, PAT_ALIAS);
  Pattern *p3 = fn->cases[3].pat;
  assert_int_equal(p3->kind, PAT_OR);
  assert_int_equal(p3->arg->nitems, 2); /* Some (a, b): two arguments */
  assert_int_equal(fn->cases[4].pat->kind, PAT_RECORD);
  assert_true(fn->cases[4].pat->open);
  assert_int_equal(fn->cases[4].pat->nfields, 2);
  assert_int_equal(fn->cases[5].pat->kind, PAT_ARRAY);
  assert_int_equal(fn->cases[6].pat->kind, PAT_CONSTRAINT);
  assert_int_equal(fn->cases[7].pat->kind, PAT_EXCEPTION);
  fx_free(f);
}

static void test_parser_type_declarations(void **state) {
  (void)state;
  Fixture *f = fx_new("type t = A | B of int * string | C of (int -> int)\n"
                      "and ('a, 'b) r = { mutable x : 'a; y : 'b list; }\n"
                      "type u = int list\n"
                      "type v = M.t = X | Y\n"
                      "type w = private int\n"
                      "type 'a abs\n"
                      "exception E of t * u\n"
                      "exception F\n"
                      "external f : int -> int = \"prim\"\n");
  int n;
  Item **it = parse_ok(f, &n);
  assert_int_equal(n, 8);
  TypeDeclAst *t = &it[0]->types[0];
  assert_int_equal(it[0]->ntypes, 2);
  assert_int_equal(t->kind, TDK_VARIANT);
  assert_int_equal(t->nconstrs, 3);
  assert_int_equal(t->constrs[1].nargs, 2);
  assert_int_equal(t->constrs[2].nargs, 1);
  assert_int_equal(t->constrs[2].args[0]->kind, TE_ARROW);
  TypeDeclAst *r = &it[0]->types[1];
  assert_int_equal(r->nparams, 2);
  assert_string_equal(r->params[1], "b");
  assert_int_equal(r->kind, TDK_RECORD);
  assert_true(r->fields[0].mutable_);
  assert_int_equal(r->fields[1].ty->kind, TE_CONSTR);
  assert_int_equal(it[1]->types[0].manifest->kind, TE_CONSTR);
  assert_non_null(it[2]->types[0].manifest);
  assert_int_equal(it[2]->types[0].nconstrs, 2);
  assert_true(it[3]->types[0].private_);
  assert_int_equal(it[4]->types[0].kind, TDK_ABSTRACT);
  assert_int_equal(it[5]->exn->nargs, 2);
  assert_int_equal(it[6]->kind, ITEM_EXCEPTION);
  assert_int_equal(it[7]->kind, ITEM_EXTERNAL);
  assert_string_equal(it[7]->prims[0], "prim");
  fx_free(f);
}

static void test_parser_modules(void **state) {
  (void)state;
  Fixture *f =
      fx_new("module type S = sig type t val x : t exception E module M : sig end include T open L end\n"
             "module F (X : S) (Y : S) : S with type t = X.t = struct let x = X.x end\n"
             "module G = functor (X : S) -> F (X) (X)\n"
             "module L = List\n"
             "open Printf\n"
             "include struct let z = 1 end\n");
  int n;
  Item **it = parse_ok(f, &n);
  assert_int_equal(n, 6);
  assert_int_equal(it[0]->kind, ITEM_MODTYPE);
  assert_int_equal(it[0]->mty->kind, MTY_SIG);
  assert_int_equal(it[0]->mty->nitems, 6);
  ModExpr *fm = it[1]->mexpr;
  assert_int_equal(fm->kind, MOD_FUNCTOR);
  assert_string_equal(fm->param, "X");
  assert_int_equal(fm->body->kind, MOD_FUNCTOR);
  assert_int_equal(fm->body->body->kind, MOD_CONSTRAINT);
  assert_int_equal(fm->body->body->mty->kind, MTY_WITH);
  ModExpr *app = it[2]->mexpr->body;
  assert_int_equal(app->kind, MOD_APPLY);
  assert_int_equal(app->fn->kind, MOD_APPLY);
  assert_int_equal(it[3]->mexpr->kind, MOD_IDENT);
  assert_string_equal(it[3]->mexpr->path.name, "List");
  assert_int_equal(it[4]->kind, ITEM_OPEN);
  assert_string_equal(it[4]->path.name, "Printf");
  assert_int_equal(it[5]->kind, ITEM_INCLUDE);
  fx_free(f);
}

static void test_parser_phrases_and_directives(void **state) {
  (void)state;
  struct {
    const char *src;
    int n;
    ItemKind k;
  } cases[] = {
      {"let a = 1 let b = 2;;", 2, ITEM_VALUE},    {"let x = 1 in x;;", 1, ITEM_EVAL},
      {"#use \"f.ml\";;", 1, ITEM_DIRECTIVE},      {"#quit;;", 1, ITEM_DIRECTIVE},
      {"  (* only a comment *)  ", 0, ITEM_VALUE}, {";;", 0, ITEM_VALUE},
      {"type t = A;; ignored", 1, ITEM_TYPE},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    Fixture *f = fx_new(cases[i].src);
    int n;
    Item **it = fx_parse_ok(f, PARSE_PHRASE, &n, cases[i].src);
    assert_int_equal(n, cases[i].n);
    if (n) assert_int_equal(it[0]->kind, cases[i].k);
    fx_free(f);
  }
  Fixture *f = fx_new("#use \"f.ml\";;");
  int n;
  Item **it = fx_parse_ok(f, PARSE_PHRASE, &n, "#use");
  assert_string_equal(it[0]->name, "use");
  assert_true(it[0]->dir_has_arg);
  assert_string_equal(it[0]->dir_arg, "f.ml");
  fx_free(f);
}

static void test_parser_partial_phrases(void **state) {
  (void)state;
  struct {
    const char *src;
    PhraseStatus st;
  } cases[] = {
      {"let x =\n", PHRASE_INCOMPLETE},    {"let x = \"abc\n", PHRASE_INCOMPLETE},
      {"(* comment\n", PHRASE_INCOMPLETE}, {"module M = struct let a = 1;;\n", PHRASE_INCOMPLETE},
      {"let x = 1;;\n", PHRASE_OK},        {"module M = struct let a = 1;; end;;\n", PHRASE_OK},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    Fixture *f = fx_new(cases[i].src);
    ParseRun r;
    if (!fx_parse(f, PARSE_PARTIAL, &r)) fail_msg("%s: unexpected error", cases[i].src);
    assert_int_equal(r.st, cases[i].st);
    assert_null(f->ctx.diags);
    fx_free(f);
  }
  /* An error before the end is reported at once, as OCaml does. */
  Fixture *f = fx_new("let = \n");
  ParseRun r;
  assert_false(fx_parse(f, PARSE_PARTIAL, &r));
  assert_string_equal(first_error(f)->text, "Syntax error");
  fx_free(f);
}

static void test_parser_locations(void **state) {
  (void)state;
  Fixture *f = fx_new("let x = f a (b + c) in (x : int), [1]");
  int n;
  Item **it = parse_ok(f, &n);
  Expr *let = it[0]->expr;
  assert_int_equal(let->loc.col1, 0);
  assert_int_equal(let->loc.col2, 37);
  Expr *app = let->binds[0].expr;
  assert_int_equal(app->loc.col1, 8);
  assert_int_equal(app->loc.col2, 19);
  assert_int_equal(app->args[1]->loc.col1, 12); /* parentheses included */
  assert_int_equal(app->args[1]->loc.col2, 19);
  Expr *tup = let->a;
  assert_int_equal(tup->args[0]->loc.col1, 23);
  assert_int_equal(tup->args[0]->loc.col2, 32);
  assert_int_equal(tup->args[1]->loc.col1, 34);
  assert_int_equal(tup->args[1]->loc.col2, 37);
  fx_free(f);
}

/* ---- Syntax errors -------------------------------------------------------- */

typedef struct ErrCase {
  const char *src;
  const char *text;
  int line, col1, col2;
  int extra_col1, extra_col2; /* -1: no second location */
  const char *extra;
} ErrCase;

static void check_error(const ErrCase *c, bool phrase) {
  Fixture *f = fx_new(c->src);
  ParseRun r;
  if (!fx_parse(f, phrase ? PARSE_PHRASE : PARSE_FILE, &r)) {
    const Diag *d = first_error(f);
    assert_non_null(d);
    if (strcmp(d->text, c->text) != 0) fail_msg("%s: got '%s', want '%s'", c->src, d->text, c->text);
    if (d->loc.line1 != c->line || d->loc.col1 != c->col1 || d->loc.col2 != c->col2)
      fail_msg("%s: at %d:%d-%d, want %d:%d-%d", c->src, d->loc.line1, d->loc.col1, d->loc.col2, c->line,
               c->col1, c->col2);
    assert_int_equal(d->has_extra, c->extra_col1 >= 0);
    if (d->has_extra) {
      assert_int_equal(d->extra_loc.col1, c->extra_col1);
      assert_int_equal(d->extra_loc.col2, c->extra_col2);
      assert_string_equal(d->extra_text, c->extra);
    }
    fx_free(f);
    return;
  }
  fail_msg("%s: no error", c->src);
}

static void test_parser_syntax_errors_toplevel(void **state) {
  (void)state;
  static const ErrCase cases[] = {
      /* The corpus (t5_syntax_01, t5_recover_02). */
      {"let x = ;;", "Syntax error", 1, 8, 10, -1, -1, NULL},
      {"1 + ;;", "Syntax error", 1, 4, 6, -1, -1, NULL},
      {"(1 + 2;;", "Syntax error: ')' expected", 1, 6, 8, 0, 1, "This '(' might be unmatched"},
      {"let = 5;;", "Syntax error", 1, 4, 5, -1, -1, NULL},
      {"[1; 2;;;", "Syntax error: ']' expected", 1, 5, 7, 0, 1, "This '[' might be unmatched"},
      {"if then else;;", "Syntax error", 1, 3, 7, -1, -1, NULL},
      {"type t = A | B | ;;", "Syntax error", 1, 17, 19, -1, -1, NULL},
      {"exception;;", "Syntax error", 1, 9, 11, -1, -1, NULL},
      /* Checked against ocaml 4.13.1. */
      {"(f (1 + ;;", "Syntax error", 1, 8, 10, -1, -1, NULL},
      {"(1 + f (2 ;;", "Syntax error: ')' expected", 1, 10, 12, 7, 8, "This '(' might be unmatched"},
      {"begin 1 + 2 ;;", "Syntax error: 'end' expected", 1, 12, 14, 0, 5, "This 'begin' might be unmatched"},
      {"let x = {a = 1; b = 2 ;;", "Syntax error: '}' expected", 1, 22, 24, 8, 9,
       "This '{' might be unmatched"},
      {"[|1;2;;", "Syntax error: '|]' expected", 1, 5, 7, 0, 2, "This '[|' might be unmatched"},
      {"let f (x, y = 1;;", "Syntax error: ')' expected", 1, 12, 13, 6, 7, "This '(' might be unmatched"},
      {"let x : (int = 1;;", "Syntax error", 1, 13, 14, -1, -1, NULL},
      {"a.(1;;", "Syntax error: ')' expected", 1, 4, 6, 2, 3, "This '(' might be unmatched"},
      {"let f = function A | ;;", "Syntax error: pattern expected.", 1, 21, 23, -1, -1, NULL},
      {"let f = function x as ;;", "Syntax error: identifier expected.", 1, 22, 24, -1, -1, NULL},
      {"let _ = _;;", "Syntax error: wildcard \"_\" not expected.", 1, 8, 9, -1, -1, NULL},
      {"Some 1 2;;", "Syntax error", 1, 7, 8, -1, -1, NULL},
      {"assert f x;;", "Syntax error", 1, 9, 10, -1, -1, NULL},
      {"1 + 2 let x = 3;;", "Syntax error", 1, 6, 9, -1, -1, NULL},
      {"let x = 1", "Syntax error", 1, 9, 9, -1, -1, NULL},
      {"(; 1);;", "Syntax error: operator expected.", 1, 1, 2, -1, -1, NULL},
      {"(mod 1);;", "Syntax error: ')' expected", 1, 5, 6, 0, 1, "This '(' might be unmatched"},
      {"val x : int;;", "Value declarations are only allowed in signatures", 1, 0, 11, -1, -1, NULL},
      {"4611686018427387905;;", "Integer literal exceeds the range of representable integers of type int", 1,
       0, 19, -1, -1, NULL},
      {"1x;;", "Unknown modifier 'x' for literal 1x", 1, 0, 2, -1, -1, NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) check_error(&cases[i], true);
}

static void test_parser_syntax_errors_files(void **state) {
  (void)state;
  static const ErrCase cases[] = {
      /* programs/t5_prog_syntaxerror_01.ml */
      {"let () = print_endline \"x\"\nlet f x = match x with\n  | 0 -> \"zero\"\n"
       "  | n -> \"other\" in\nlet () = print_endline (f 1)\n",
       "Syntax error", 4, 17, 19, -1, -1, NULL},
      {"module M = struct let x = 1 ;;\n", "Syntax error: 'end' expected", 2, 0, 0, 11, 17,
       "This 'struct' might be unmatched"},
      {"type t = { a : int ;;", "Syntax error", 1, 19, 21, -1, -1, NULL},
      {"module F (M : S = struct end", "Syntax error", 1, 16, 17, -1, -1, NULL},
      {"let x = y <- 1", "The value y is not an instance variable", 1, 8, 14, -1, -1, NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) check_error(&cases[i], false);
}

/* `t as 'a` binds looser than the arrow: 'a list -> 'b as 'a is
 * ('a list -> 'b) as 'a; it nests inside parentheses. */
static void test_parser_type_aliases(void **state) {
  (void)state;
  Fixture *f = fx_new("type t = 'a list -> 'b as 'a\n"
                      "type u = ('a -> 'a as 'a) list * int\n");
  int n;
  Item **it = parse_ok(f, &n);
  assert_int_equal(n, 2);
  Buf b;
  buf_init(&b);
  ast_print_type(&b, it[0]->types[0].manifest);
  buf_puts(&b, " / ");
  ast_print_type(&b, it[1]->types[0].manifest);
  assert_string_equal(b.data, "((('a) list -> 'b) as 'a) / (((('a -> 'a) as 'a)) list * int)");
  buf_free(&b);
  fx_free(f);
}

static void test_parser_ast_dump(void **state) {
  (void)state;
  Fixture *f = fx_new("let f x = x + 1");
  int n;
  Item **it = parse_ok(f, &n);
  Buf b;
  buf_init(&b);
  ast_print_items(&b, it, n);
  assert_string_equal(b.data, "Item_value (1:0-1:15)\n"
                              "  binding (1:0-1:15)\n"
                              "    Pvar f (1:4-1:5)\n"
                              "    Pfun (1:6-1:15)\n"
                              "      Pvar x (1:6-1:7)\n"
                              "      Papply (1:10-1:15)\n"
                              "        Pident + (1:12-1:13)\n"
                              "        Pident x (1:10-1:11)\n"
                              "        Pconst 1 (1:14-1:15)\n");
  buf_free(&b);
  fx_free(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parser_arith_precedence),
      cmocka_unit_test(test_parser_logic_and_lists),
      cmocka_unit_test(test_parser_prefix_and_postfix),
      cmocka_unit_test(test_parser_control_constructs),
      cmocka_unit_test(test_parser_let_binding_forms),
      cmocka_unit_test(test_parser_patterns),
      cmocka_unit_test(test_parser_type_declarations),
      cmocka_unit_test(test_parser_modules),
      cmocka_unit_test(test_parser_phrases_and_directives),
      cmocka_unit_test(test_parser_partial_phrases),
      cmocka_unit_test(test_parser_locations),
      cmocka_unit_test(test_parser_syntax_errors_toplevel),
      cmocka_unit_test(test_parser_syntax_errors_files),
      cmocka_unit_test(test_parser_type_aliases),
      cmocka_unit_test(test_parser_ast_dump),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
