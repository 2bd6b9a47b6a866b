/* test_typer.c — unit tests of the type checker: phrases are parsed
 * (parse.h), typed against a small prelude of externals, committed, and
 * what the toplevel would print for their types (or the error message,
 * in OCaml 4.13's words and layout) is compared with the expected text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "fmt.h"
#include "parse.h"
#include "typecheck.h"

typedef struct TT {
  Arena perm;
  Typer *T;
  Buf out;
} TT;

/* A phrase to type and print, under ctx_protect. */
typedef struct TyRun {
  TT *t;
  Fmt *f;
} TyRun;

static void type_and_print(Ctx *ctx, void *arg) {
  TyRun *r = arg;
  TT *t = r->t;
  Fmt *f = r->f;
  int n;
  Item **items = parse_phrase(ctx, &n);
  ty_begin_phrase(t->T, ctx);
  for (int i = 0; i < n; i++) ty_item(t->T, items[i]);
  ty_commit(t->T);
  for (Diag *d = ctx->diags; d; d = d->next) {
    fmt_printf(f, "Warning %d: %s", d->warn_num, d->text);
    fmt_flush_newline(f);
  }
  for (int i = 0; i < n; i++) {
    Item *it = items[i];
    if (it->kind == ITEM_EVAL) {
      fmt_string(f, "- : ");
      ty_print_scheme(f, t->T, it->expr->ty);
      fmt_flush_newline(f);
    } else if (it->kind == ITEM_VALUE) {
      for (int j = 0; j < it->bound.len; j++) {
        ty_print_val(f, t->T, ty_committed(it->bound.items[j]));
        fmt_flush_newline(f);
      }
    } else {
      ty_print_item(f, t->T, it);
    }
  }
}

/* Types one phrase; returns what the toplevel would print about types:
 * `val x : t` per bound value, `- : t` for expressions, declarations, or
 * the diagnostics. Warnings come first as "Warning N: text". */
static const char *phrase(TT *t, const char *src) {
  Arena arena;
  arena_init(&arena);
  Ctx ctx;
  ctx_init(&ctx, &arena, &t->perm, src, (int)strlen(src));
  buf_clear(&t->out);
  Fmt *f = fmt_new(&t->out);
  TyRun r = {t, f};
  if (!ctx_protect(&ctx, type_and_print, &r)) {
    ty_rollback(t->T);
    for (Diag *d = ctx.diags; d; d = d->next) {
      fmt_string(f, d->text);
      if (d->hint) {
        fmt_string(f, "\n  ");
        fmt_string(f, d->hint);
      }
      fmt_flush_newline(f);
    }
  }
  fmt_free(f);
  arena_free(&arena);
  /* Drop the final newline for easier comparisons. */
  if (t->out.len && t->out.data[t->out.len - 1] == '\n') t->out.data[--t->out.len] = 0;
  return t->out.data ? t->out.data : "";
}

static const char *prelude[] = {
    "external ( + ) : int -> int -> int = \"%addint\";;",
    "external ( - ) : int -> int -> int = \"%subint\";;",
    "external ( * ) : int -> int -> int = \"%mulint\";;",
    "external ( +. ) : float -> float -> float = \"%addfloat\";;",
    "external ( = ) : 'a -> 'a -> bool = \"%equal\";;",
    "external ( < ) : 'a -> 'a -> bool = \"%lessthan\";;",
    "external ( ^ ) : string -> string -> string = \"nml_string_concat\";;",
    "external ignore : 'a -> unit = \"%ignore\";;",
    "external raise : exn -> 'a = \"%raise\";;",
    "external print_int : int -> unit = \"nml_print_int\";;",
    "type 'a ref = { mutable contents : 'a };;",
    "external ref : 'a -> 'a ref = \"%makemutable\";;",
    "external ( ! ) : 'a ref -> 'a = \"%field0\";;",
    "external ( := ) : 'a ref -> 'a -> unit = \"%setfield0\";;",
    "type ('a, 'b) result = Ok of 'a | Error of 'b;;",
    "let rec ( @ ) l1 l2 = match l1 with [] -> l2 | h :: t -> h :: (t @ l2);;",
    "let failwith s = raise (Failure s);;",
    "module List = struct let rec length l = match l with [] -> 0 | _ :: t -> 1 + length t "
    "let rec map f l = match l with [] -> [] | h :: t -> f h :: map f t "
    "let rev l = l end;;",
    "module String = struct type t = string external length : t -> int = \"%string_length\" end;;",
};

static int setup(void **state) {
  TT *t = calloc(1, sizeof(TT));
  arena_init(&t->perm);
  t->T = ty_new(&t->perm);
  buf_init(&t->out);
  for (size_t i = 0; i < sizeof prelude / sizeof prelude[0]; i++) {
    const char *r = phrase(t, prelude[i]);
    if (strncmp(r, "val", 3) && strncmp(r, "type", 4) && strncmp(r, "external", 8) &&
        strncmp(r, "module", 6)) {
      fprintf(stderr, "prelude failed: %s\n=> %s\n", prelude[i], r);
      return -1;
    }
  }
  *state = t;
  return 0;
}

static int teardown(void **state) {
  TT *t = *state;
  ty_free(t->T);
  arena_free(&t->perm);
  buf_free(&t->out);
  free(t);
  return 0;
}

#define CHECK(src, expected) assert_string_equal(phrase(t, src), expected)

static void test_typer_basic_types(void **state) {
  TT *t = *state;
  CHECK("1;;", "- : int");
  CHECK("let x = 1.5;;", "val x : float");
  CHECK("let s = \"a\" ^ \"b\";;", "val s : string");
  CHECK("'c';;", "- : char");
  CHECK("();;", "- : unit");
  CHECK("(1, \"a\", true);;", "- : int * string * bool");
  CHECK("[1; 2];;", "- : int list");
  CHECK("[|1.0|];;", "- : float array");
  CHECK("Some [None];;", "- : 'a option list option");
}

static void test_typer_polymorphism(void **state) {
  TT *t = *state;
  CHECK("let id x = x;;", "val id : 'a -> 'a");
  CHECK("let pair x y = (x, y);;", "val pair : 'a -> 'b -> 'a * 'b");
  CHECK("let fst3 (a, _, _) = a;;", "val fst3 : 'a * 'b * 'c -> 'a");
  CHECK("fun f x -> f (f x);;", "- : ('a -> 'a) -> 'a -> 'a");
  CHECK("let app f x = f x;;", "val app : ('a -> 'b) -> 'a -> 'b");
  CHECK("let rec loop x = loop x;;", "val loop : 'a -> 'b");
  CHECK("let h x = x 1;;", "val h : (int -> 'a) -> 'a");
  CHECK("List.length;;", "- : 'a list -> int");
  CHECK("let f (x : 'a) (y : 'b) = x + 1;;", "val f : int -> 'b -> int");
  CHECK("let g (x : 'foo) = x;;", "val g : 'foo -> 'foo");
  CHECK("let l = List.map (fun x -> x + 1) [1];;", "val l : int list");
}

static void test_typer_labels(void **state) {
  TT *t = *state;
  CHECK("let f ~x ?(y = 1) z = x + y + z;;", "val f : x:int -> ?y:int -> int -> int");
  CHECK("f ~x:1 2;;", "- : int");
  CHECK("f 2 ~x:1;;", "- : int");
  CHECK("f ~y:3;;", "- : x:int -> int -> int");
  CHECK("f ?y:None;;", "- : x:int -> int -> int");
  CHECK("let g ?x () = x;;", "val g : ?x:'a -> unit -> 'a option");
  CHECK("let p = f 1;;", "val p : x:int -> int");
  CHECK("fun ~x:(a, b) -> a + b;;", "- : x:int * int -> int");
  CHECK("let h (k : x:int -> int) = k ~x:1;;", "val h : (x:int -> int) -> int");
  CHECK("let u h = h ~x:1 ~y:2;;", "val u : (x:int -> y:int -> 'a) -> 'a");
  CHECK("List.map (f ~x:1 ~y:1) [];;", "- : int list");
}
static void test_typer_weak_variables(void **state) {
  TT *t = *state;
  CHECK("let r = ref [];;", "val r : '_weak1 list ref");
  CHECK("r := [1];;", "- : unit");
  CHECK("r;;", "- : int list ref");
  CHECK("let r2 = ref None;;", "val r2 : '_weak2 option ref");
  CHECK("let f = (fun x -> x) (fun y -> y);;", "val f : '_weak3 -> '_weak3");
  CHECK("f;;", "- : '_weak3 -> '_weak3");
  CHECK("f \"s\";;", "- : string");
  CHECK("f;;", "- : string -> string");
  CHECK("let g = List.map (fun x -> x);;", "val g : '_weak4 list -> '_weak4 list");
  CHECK("let e = [] @ [];;", "val e : 'a list");
  CHECK("let h = fun x -> f x;;", "val h : string -> string");
  CHECK("[||];;", "- : 'a array");
  CHECK("let m = ref [||];;", "val m : '_weak5 array ref");
}

static void test_typer_weak_rollback(void **state) {
  TT *t = *state;
  CHECK("let c = ref [];;", "val c : '_weak1 list ref");
  /* A failed phrase must not keep the binding of c's variable. */
  CHECK("c := [1]; 1 + \"a\";;",
        "This expression has type string but an expression was expected of type\n         int");
  CHECK("c;;", "- : '_weak1 list ref");
  CHECK("c := [\"x\"];;", "- : unit");
  CHECK("c;;", "- : string list ref");
}

/* Polymorphic variants: tags are OCaml's hashes; rows print as Printtyp
 * prints them; a weak row extended by a failed phrase loses the tags it
 * got, and one extended by a committed phrase keeps them. */
static void test_typer_polymorphic_variants(void **state) {
  TT *t = *state;
  assert_int_equal(ty_hash_variant("A"), 65);
  assert_int_equal(ty_hash_variant("Abc"), 3254338);
  assert_int_equal(ty_hash_variant("Some_long_tag_name"), -555996600);
  assert_int_equal(ty_hash_variant("zz"), 27328);
  CHECK("`A;;", "- : [> `A ]");
  CHECK("let f = function `B -> 1 | `A x -> x;;", "val f : [< `A of int | `B ] -> int");
  CHECK("let g x = match x with `A -> x | _ -> x;;", "val g : ([> `A ] as 'a) -> 'a");
  CHECK("let r = ref [];;", "val r : '_weak1 list ref");
  CHECK("r := [`A]; 1 + \"a\";;",
        "This expression has type string but an expression was expected of type\n         int");
  CHECK("r;;", "- : '_weak1 list ref");
  CHECK("r := [`B];;", "- : unit");
  CHECK("r;;", "- : _[> `B ] list ref");
  CHECK("r := [`C];;", "- : unit");
  CHECK("r;;", "- : _[> `B | `C ] list ref");
  CHECK("type t = [ `X | `Y of int ];;", "type t = [ `X | `Y of int ]");
  CHECK("let h = function #t -> 0;;", "val h : [< t ] -> int");
  CHECK("let c (x : t) = (x :> [ t | `Z ]);;", "val c : t -> [ `X | `Y of int | `Z ]");
}

static void test_typer_declarations(void **state) {
  TT *t = *state;
  CHECK("type t = A | B of int;;", "type t = A | B of int");
  CHECK("type point = { x : int; mutable y : int };;", "type point = { x : int; mutable y : int; }");
  CHECK("{ x = 1; y = 2 };;", "- : point");
  CHECK("type ('k, 'v) assoc = ('k * 'v) list;;", "type ('k, 'v) assoc = ('k * 'v) list");
  CHECK("let al : (string, int) assoc = [(\"a\", 1)];;", "val al : (string, int) assoc");
  CHECK("type json = JNull | JBool of bool | JNum of float | JStr of string | JList of json list "
        "| JObj of (string * json) list;;",
        "type json =\n    JNull\n  | JBool of bool\n  | JNum of float\n  | JStr of string\n"
        "  | JList of json list\n  | JObj of (string * json) list");
  CHECK("type forest = Forest of tree list and tree = T of int * forest;;",
        "type forest = Forest of tree list\nand tree = T of int * forest");
  CHECK("type tup = T of (int * int);;", "type tup = T of (int * int)");
  CHECK("exception E of int * string;;", "exception E of int * string");
  CHECK("E (1, \"a\");;", "- : exn");
  CHECK("type 'a box = { content : 'a; label : string };;",
        "type 'a box = { content : 'a; label : string; }");
  CHECK("let b = { content = [1]; label = \"l\" };;", "val b : int list box");
  CHECK("let b2 = { b with content = \"s\" };;", "val b2 : string box");
  CHECK("let map_box f bx = { bx with content = f bx.content };;",
        "val map_box : ('a -> 'b) -> 'a box -> 'b box");
  CHECK("Ok 5;;", "- : (int, 'a) result");
  CHECK("let sum { x; y } = x + y;;", "val sum : point -> int");
}

static void test_typer_disambiguation(void **state) {
  TT *t = *state;
  CHECK("type v = X | Y;;", "type v = X | Y");
  CHECK("type w = X | Z;;", "type w = X | Z");
  CHECK("X;;", "- : w");
  CHECK("(X : v);;", "- : v");
  CHECK("let f (a : v) = match a with X -> 1 | Y -> 2;;", "val f : v -> int");
  CHECK("type r = { a : int; b : int };;", "type r = { a : int; b : int; }");
  CHECK("type s = { a : int };;", "type s = { a : int; }");
  CHECK("{ a = 1; b = 2 };;", "- : r");
  CHECK("{ a = 1 };;", "- : s");
}

static void test_typer_mismatch_errors(void **state) {
  TT *t = *state;
  CHECK("1 + \"two\";;",
        "This expression has type string but an expression was expected of type\n         int");
  CHECK("1 +. 2.0;;", "This expression has type int but an expression was expected of type\n         float\n"
                      "  Hint: Did you mean `1.'?");
  CHECK("if 1 then 2 else 3;;",
        "This expression has type int but an expression was expected of type\n         bool\n"
        "       because it is in the condition of an if-statement");
  CHECK("let f (x : int list) = (x : string list);;",
        "This expression has type int list\n       but an expression was expected of type string list\n"
        "       Type int is not compatible with type string ");
  CHECK("type id = int;;", "type id = int");
  CHECK("let x : id = \"s\";;",
        "This expression has type string but an expression was expected of type\n         id = int");
  CHECK("[[1]; [[2]]];;",
        "This expression has type 'a list\n       but an expression was expected of type int");
  CHECK("let (a, b, c) = (1, 2);;",
        "This expression has type 'a * 'b\n       but an expression was expected of type 'c * 'd * 'e");
  CHECK("let pair = (1, 2);;", "val pair : int * int");
  CHECK("let (a, b, c) = pair;;",
        "This expression has type int * int\n       but an expression was expected of type 'a * 'b * 'c");
  CHECK("match (1, 2) with (x, y, z) -> x;;",
        "This pattern matches values of type 'a * 'b * 'c\n"
        "       but a pattern was expected which matches values of type int * int");
  CHECK("if true then 1;;",
        "This expression has type int but an expression was expected of type\n         unit\n"
        "       because it is in the result of a conditional with no else branch");
}

static void test_typer_occurs_check(void **state) {
  TT *t = *state;
  CHECK("let rec f x = f;;",
        "This expression has type 'a -> 'b\n       but an expression was expected of type 'b\n"
        "       The type variable 'a occurs inside 'a -> 'b");
  CHECK("let self x = x x;;",
        "This expression has type 'a -> 'b\n       but an expression was expected of type 'a\n"
        "       The type variable 'a occurs inside 'a -> 'b");
  CHECK("let rec loop x = loop (x, x);;",
        "This expression has type 'a * 'b\n       but an expression was expected of type 'a\n"
        "       The type variable 'a occurs inside 'a * 'b");
}

/* -rectypes: unification links a variable to a type that holds it; the
 * walks over the cyclic graphs it makes (unify, copy and instance,
 * generalization, commit to the session arena, rollback, printing) end,
 * and the types print as OCaml's Printtyp prints them. */
static void test_typer_rectypes(void **state) {
  TT *t = *state;
  ty_set_rectypes(t->T, true);
  CHECK("let self x = x x;;", "val self : ('a -> 'b as 'a) -> 'b");
  CHECK("let rec f x = f;;", "val f : 'b -> 'a as 'a");
  /* Two instances of a cyclic scheme unified with each other. */
  CHECK("let t () = self self;;", "val t : unit -> 'a");
  CHECK("fun (x : 'a -> 'a as 'a) (y : 'b -> ('b -> 'b) as 'b) -> x = y;;",
        "- : ('a -> 'a as 'a) -> 'a -> bool");
  CHECK("let k x = (x x, x);;", "val k : ('a -> 'b as 'a) -> 'b * 'a");
  /* A weak variable made cyclic by a phrase is committed with its cycle. */
  CHECK("let w = ref (fun x -> x);;", "val w : ('_weak1 -> '_weak1) ref");
  CHECK("w := (fun x -> x x);;", "- : unit");
  CHECK("w;;", "- : (('a -> 'a as 'a) -> 'a) ref");
  /* A failed phrase leaves no cycle behind. */
  CHECK("let r = ref [];;", "val r : '_weak2 list ref");
  CHECK("r := [!r]; 1 + true;;",
        "This expression has type bool but an expression was expected of type\n         int");
  CHECK("r;;", "- : '_weak2 list ref");
  CHECK("type t = t list;;", "type t = t list");
  CHECK("type u = u;;", "The type abbreviation u is cyclic");
}

static void test_typer_application_errors(void **state) {
  TT *t = *state;
  CHECK("let f x y = x + y;;", "val f : int -> int -> int");
  CHECK("f 1 2 3;;", "This function has type int -> int -> int\n"
                     "       It is applied to too many arguments; maybe you forgot a `;'.");
  CHECK("3 4;;", "This expression has type int\n       This is not a function; it cannot be applied.");
  CHECK("List.length [1] [2];;", "This function has type 'a list -> int\n"
                                 "       It is applied to too many arguments; maybe you forgot a `;'.");
  CHECK("(fun x -> x) 1 2;;",
        "This expression has type int but an expression was expected of type\n         'a -> 'b");
  CHECK("let x : int = fun y -> y;;", "This expression should not be a function, the expected type is int");
}

static void test_typer_unbound(void **state) {
  TT *t = *state;
  CHECK("undefined_value;;", "Unbound value undefined_value");
  CHECK("let lenght = 1;;", "val lenght : int");
  CHECK("lengt;;", "Unbound value lengt\nHint: Did you mean lenght?");
  CHECK("List.lenth;;", "Unbound value List.lenth\nHint: Did you mean length?");
  CHECK("N.x;;", "Unbound module N");
  CHECK("Foo;;", "Unbound constructor Foo");
  CHECK("let v = Some 1;;", "val v : int option");
  CHECK("match v with Baz -> 0 | _ -> 1;;", "This variant pattern is expected to have type int option\n"
                                            "       There is no constructor Baz within type option");
  CHECK("{ nofield = 1 };;", "Unbound record field nofield");
  CHECK("let x : foo = 1;;", "Unbound type constructor foo");
  CHECK("let x : int list list = [];;", "val x : int list list");
  CHECK("let x : list = [];;",
        "The type constructor list expects 1 argument(s),\n       but is here applied to 0 argument(s)");
}

static void test_typer_constructor_and_record_errors(void **state) {
  TT *t = *state;
  CHECK("exception E of int;;", "exception E of int");
  CHECK("raise E;;", "The constructor E expects 1 argument(s),\n       but is applied here to 0 argument(s)");
  CHECK("None 1;;",
        "The constructor None expects 0 argument(s),\n       but is applied here to 1 argument(s)");
  CHECK("type q = { qa : int; qb : int };;", "type q = { qa : int; qb : int; }");
  CHECK("{ qa = 1 };;", "Some record fields are undefined: qb");
  CHECK("let v = { qa = 1; qb = 2 };;", "val v : q");
  CHECK("v.qb <- 3;;", "The record field qb is not mutable");
  CHECK("let f = function (x, 1) | (1, y) -> 0;;", "Variable x must occur on both sides of this | pattern");
  CHECK("let (x, x) = (1, 2);;", "Variable x is bound several times in this matching");
  CHECK("let rec x = x + 1;;", "This kind of expression is not allowed as right-hand side of `let rec'");
  CHECK("let rec ones = 1 :: ones;;", "val ones : int list");
  CHECK("(fun (x : q) -> x.qc);;", "This expression has type q There is no field qc within type q");
}

static void test_typer_warnings(void **state) {
  TT *t = *state;
  CHECK("let f x = x + 1;;", "val f : int -> int");
  CHECK("f 1; 2;;", "Warning 10: this expression should have type unit.\n- : int");
  CHECK("let g x y = x + y;;", "val g : int -> int -> int");
  CHECK("ignore (g 1);;",
        "Warning 5: this function application is partial,\nmaybe some arguments are missing.\n- : unit");
  CHECK("let h x = x; 3;;", "val h : 'a -> int");
}

static void test_typer_modules(void **state) {
  TT *t = *state;
  CHECK("module M = struct type t = A | B let x = A let y = 1 end;;",
        "module M : sig type t = A | B val x : t val y : int end");
  CHECK("M.x;;", "- : M.t");
  CHECK("M.y;;", "- : int");
  CHECK("M.z;;", "Unbound value M.z");
  CHECK("String.length;;", "- : String.t -> int");
  CHECK("let open M in x;;", "- : M.t");
  CHECK("M.(y + 1);;", "- : int");
  CHECK("module type S = sig type t val make : int -> t val get : t -> int end;;",
        "module type S = sig type t val make : int -> t val get : t -> int end");
  CHECK("module N : S = struct type t = int let make x = x let get x = x end;;", "module N : S");
  CHECK("N.make 5;;", "- : N.t");
  CHECK("N.get 5;;", "This expression has type int but an expression was expected of type\n         N.t");
  CHECK(
      "module Bad : S = struct type t = int let make x = x end;;",
      "Signature mismatch:\n       Modules do not match:\n         sig type t = int val make : 'a -> 'a end\n"
      "       is not included in\n         S\n       The value `get' is required but not provided");
  CHECK("module L = List;;", "module L = List");
  CHECK("L.length [1];;", "- : int");
  CHECK("module F (X : S) = struct let z = X.get (X.make 1) end;;",
        "module F : functor (X : S) -> sig val z : int end");
  CHECK("module B = F (N);;", "module B : sig val z : int end");
  CHECK("B.z;;", "- : int");
  CHECK("module P = struct type t = A module N = struct type u = B of t let y = B A end let z = N.y end;;",
        "module P :\n  sig type t = A module N : sig type u = B of t val y : u end val z : N.u end");
  CHECK("P.z;;", "- : P.N.u");
  CHECK("open M;;", "");
  CHECK("y;;", "- : int");
}

/* Signature matching (ty_include.c): declarations compared as OCaml's
 * Includecore does, values as instances, weak variables bound by the
 * signature, functor parameters contravariantly. */
static void test_typer_signature_matching(void **state) {
  TT *t = *state;
  CHECK("module A : sig type t = A | B end = struct type t = B | A end;;",
        "Signature mismatch:\n       Modules do not match:\n         sig type t = B | A end\n"
        "       is not included in\n         sig type t = A | B end\n"
        "       Type declarations do not match:\n         type t = B | A\n"
        "       is not included in\n         type t = A | B\n"
        "       Constructors number 1 have different names, B and A.");
  CHECK("module R : sig type t = { mutable x : int } end = struct type t = { x : int } end;;",
        "Signature mismatch:\n       Modules do not match:\n         sig type t = { x : int; } end\n"
        "       is not included in\n         sig type t = { mutable x : int; } end\n"
        "       Type declarations do not match:\n         type t = { x : int; }\n"
        "       is not included in\n         type t = { mutable x : int; }\n"
        "       Fields do not match:\n         x : int;\n       is not compatible with:\n"
        "         mutable x : int;\n       The second is mutable and the first is not.");
  CHECK("module V : sig val f : int -> int end = struct let f x = x end;;",
        "module V : sig val f : int -> int end");
  CHECK("module W = struct let r = ref [] end;;", "module W : sig val r : '_weak1 list ref end");
  CHECK("module W2 : sig val r : int list ref end = W;;", "module W2 : sig val r : int list ref end");
  CHECK("W.r;;", "- : int list ref");
  CHECK("module Ab : sig type u val x : u end = struct type u = int let x = 1 end;;",
        "module Ab : sig type u val x : u end");
  CHECK("Ab.x + 1;;", "This expression has type Ab.u but an expression was expected of type\n         int");
  CHECK("module Fn : functor (X : sig val n : int end) -> sig val m : int end = "
        "functor (X : sig end) -> struct let m = 1 end;;",
        "module Fn : functor (X : sig val n : int end) -> sig val m : int end");
  CHECK("module Fv : functor (X : sig end) -> sig end = functor (X : sig val n : int end) -> struct end;;",
        "Signature mismatch:\n       Modules do not match:\n         functor (X : $S1) -> ...\n"
        "       is not included in\n         functor (X : sig end) -> ...\n"
        "       Module types do not match:\n         $S1 = sig val n : int end\n"
        "       does not include\n         sig end\n       The value `n' is required but not provided");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_typer_basic_types, setup, teardown),
      cmocka_unit_test_setup_teardown(test_typer_polymorphism, setup, teardown),
      cmocka_unit_test_setup_teardown(test_typer_labels, setup, teardown),
      cmocka_unit_test_setup_teardown(test_typer_weak_variables, setup, teardown),
      cmocka_unit_test_setup_teardown(test_typer_weak_rollback, setup, teardown),
      cmocka_unit_test_setup_teardown(test_typer_polymorphic_variants, setup, teardown),
      cmocka_unit_test_setup_teardown(test_typer_declarations, setup, teardown),
      cmocka_unit_test_setup_teardown(test_typer_disambiguation, setup, teardown),
      cmocka_unit_test_setup_teardown(test_typer_mismatch_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(test_typer_occurs_check, setup, teardown),
      cmocka_unit_test_setup_teardown(test_typer_rectypes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_typer_application_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(test_typer_unbound, setup, teardown),
      cmocka_unit_test_setup_teardown(test_typer_constructor_and_record_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(test_typer_warnings, setup, teardown),
      cmocka_unit_test_setup_teardown(test_typer_modules, setup, teardown),
      cmocka_unit_test_setup_teardown(test_typer_signature_matching, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
