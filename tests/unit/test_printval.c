/* test_printval.c — unit tests of compiler/printval.c, the toplevel's value
 * printer: values are built by hand with the runtime's allocator, types by
 * hand as the typer would make them, and the printed text is compared with
 * OCaml 4.13.1's toplevel.
 *
 * How the expectations were obtained: each phrase quoted above a test was
 * fed to `ocaml -noprompt -no-version -noinit -color=never` (OCaml 4.13.1)
 * and its output pasted here. The type part of each line is printed by a
 * stand-in type printer that writes the text it is given, since the real
 * type printer belongs to the typer.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "natml_runtime.h"
#include "printval.h"

/* The typer defines ty_repr; this weak copy lets the test link before
 * (and without) ty_typer.c. */
__attribute__((weak)) Type *ty_repr(Type *t) {
  while (t->kind == TY_VAR && t->link) t = t->link;
  return t;
}

/* ---- Building types ------------------------------------------------------ */

static Arena arena; /* test-only: every type of every test lives here */
static int next_id = 1;

static Type *mk_var(void) {
  Type *t = ARENA_NEW(&arena, Type);
  t->kind = TY_VAR;
  t->level = TY_GENERIC_LEVEL;
  t->id = next_id++;
  return t;
}

static TypeDecl *mk_decl(const char *name, TypeDeclKindT kind, int builtin, int nparams) {
  TypeDecl *d = ARENA_NEW(&arena, TypeDecl);
  d->name = name;
  d->stamp = next_id++;
  d->kind = kind;
  d->builtin = builtin;
  d->nparams = nparams;
  d->params = ARENA_ARRAY(&arena, Type *, nparams + 1);
  for (int i = 0; i < nparams; i++) d->params[i] = mk_var();
  return d;
}

static Type *mk_con(TypeDecl *d, const char *path, int nargs, ...) {
  Type *t = ARENA_NEW(&arena, Type);
  t->kind = TY_CONSTR;
  t->id = next_id++;
  t->decl = d;
  t->path = path;
  t->nargs = nargs;
  t->args = ARENA_ARRAY(&arena, Type *, nargs + 1);
  va_list ap;
  va_start(ap, nargs);
  for (int i = 0; i < nargs; i++) t->args[i] = va_arg(ap, Type *);
  va_end(ap);
  return t;
}

static Type *mk_tuple(int n, ...) {
  Type *t = ARENA_NEW(&arena, Type);
  t->kind = TY_TUPLE;
  t->id = next_id++;
  t->nargs = n;
  t->args = ARENA_ARRAY(&arena, Type *, n);
  va_list ap;
  va_start(ap, n);
  for (int i = 0; i < n; i++) t->args[i] = va_arg(ap, Type *);
  va_end(ap);
  return t;
}

static Type *mk_arrow(Type *a, Type *b) {
  Type *t = ARENA_NEW(&arena, Type);
  t->kind = TY_ARROW;
  t->id = next_id++;
  t->a = a;
  t->b = b;
  return t;
}

/* Adds a constructor to a variant declaration, numbering it as the typer
 * does: constant ones and ones with arguments each count from 0. */
static ConstrDesc *add_constr(TypeDecl *d, const char *name, int nargs, ...) {
  ConstrDesc *c = ARENA_NEW(&arena, ConstrDesc);
  c->name = name;
  c->decl = d;
  c->nargs = nargs;
  c->constant = nargs == 0;
  c->args = ARENA_ARRAY(&arena, Type *, nargs + 1);
  va_list ap;
  va_start(ap, nargs);
  for (int i = 0; i < nargs; i++) c->args[i] = va_arg(ap, Type *);
  va_end(ap);
  int consts = 0, blocks = 0;
  for (int i = 0; i < d->nconstrs; i++) {
    if (d->constrs[i]->constant) consts++;
    else blocks++;
  }
  c->tag = c->constant ? consts : blocks;
  ConstrDesc **n = ARENA_ARRAY(&arena, ConstrDesc *, d->nconstrs + 1);
  if (d->nconstrs) memcpy(n, d->constrs, sizeof(ConstrDesc *) * (size_t)d->nconstrs);
  n[d->nconstrs++] = c;
  d->constrs = n;
  return c;
}

static void add_field(TypeDecl *d, const char *name, Type *ty) {
  FieldDesc *f = ARENA_NEW(&arena, FieldDesc);
  f->name = name;
  f->decl = d;
  f->index = d->nfields;
  f->ty = ty;
  FieldDesc **n = ARENA_ARRAY(&arena, FieldDesc *, d->nfields + 1);
  if (d->nfields) memcpy(n, d->fields, sizeof(FieldDesc *) * (size_t)d->nfields);
  n[d->nfields++] = f;
  d->fields = n;
}

/* The predefined types. */
static TypeDecl *d_int, *d_float, *d_char, *d_string, *d_bytes, *d_bool, *d_unit, *d_exn, *d_list, *d_option,
    *d_array, *d_ref;

static Type *t_int(void) { return mk_con(d_int, "int", 0); }
static Type *t_float(void) { return mk_con(d_float, "float", 0); }
static Type *t_string(void) { return mk_con(d_string, "string", 0); }
static Type *t_list(Type *a) { return mk_con(d_list, "list", 1, a); }
static Type *t_option(Type *a) { return mk_con(d_option, "option", 1, a); }

static void make_predefined(void) {
  d_int = mk_decl("int", TD_ABSTRACT, TYB_INT, 0);
  d_float = mk_decl("float", TD_ABSTRACT, TYB_FLOAT, 0);
  d_char = mk_decl("char", TD_ABSTRACT, TYB_CHAR, 0);
  d_string = mk_decl("string", TD_ABSTRACT, TYB_STRING, 0);
  d_bytes = mk_decl("bytes", TD_ABSTRACT, TYB_BYTES, 0);
  d_bool = mk_decl("bool", TD_VARIANT, TYB_BOOL, 0);
  d_unit = mk_decl("unit", TD_VARIANT, TYB_UNIT, 0);
  d_exn = mk_decl("exn", TD_ABSTRACT, TYB_EXN, 0);
  d_list = mk_decl("list", TD_VARIANT, TYB_LIST, 1);
  d_option = mk_decl("option", TD_VARIANT, TYB_OPTION, 1);
  d_array = mk_decl("array", TD_ABSTRACT, TYB_ARRAY, 1);
  /* type 'a ref = { mutable contents : 'a }, an ordinary record. */
  d_ref = mk_decl("ref", TD_RECORD, 0, 1);
  add_field(d_ref, "contents", d_ref->params[0]);
}

/* ---- Building values ----------------------------------------------------- */

static value block(tag_t tag, int n, ...) {
  value b = nml_alloc((mlsize_t)n, tag);
  va_list ap;
  va_start(ap, n);
  for (int i = 0; i < n; i++) Field(b, i) = va_arg(ap, value);
  va_end(ap);
  return b;
}

static value int_list(int from, int to) {
  value l = Val_emptylist;
  for (int i = to - 1; i >= from; i--) l = nml_cons(Val_int(i), l);
  return l;
}

/* ---- Printing ------------------------------------------------------------ */

/* The stand-in type printer: ctx is the type's text. */
static void print_type_text(Fmt *f, Type *ty, void *ctx) {
  (void)ty;
  fmt_string(f, ctx);
}

/* Prints "- : TYPE = VALUE" and returns it (valid until the next call). */
static const char *eval_text(Buf *b, const char *type_text, Type *ty, value v, const PvOptions *opt) {
  buf_clear(b);
  Fmt *f = fmt_new(b);
  printval_print_eval(f, ty, v, opt, print_type_text, (void *)type_text);
  fmt_free(f);
  return b->data;
}

#define EXPECT_EVAL(expected, type_text, ty, v)                                                              \
  do {                                                                                                       \
    Buf b_;                                                                                                  \
    buf_init(&b_);                                                                                           \
    assert_string_equal(eval_text(&b_, type_text, ty, v, NULL), expected);                                   \
    buf_free(&b_);                                                                                           \
  } while (0)

/* ---- Tests --------------------------------------------------------------- */

/* -5;;  Some (-1);;  [-1; -2];;  (-1, -2.5);; */
static void test_printval_negative_numbers(void **state) {
  (void)state;
  EXPECT_EVAL("- : int = -5\n", "int", t_int(), Val_int(-5));
  EXPECT_EVAL("- : int option = Some (-1)\n", "int option", t_option(t_int()), block(0, 1, Val_int(-1)));
  EXPECT_EVAL("- : int list = [-1; -2]\n", "int list", t_list(t_int()),
              nml_cons(Val_int(-1), nml_cons(Val_int(-2), Val_emptylist)));
  EXPECT_EVAL("- : int * float = (-1, -2.5)\n", "int * float", mk_tuple(2, t_int(), t_float()),
              block(0, 2, Val_int(-1), nml_copy_double(-2.5)));
}

/* [1.; 0.1; -0.; nan; infinity; neg_infinity; 1e+20; 0.3 -. 0.1 -. 0.2];;
 * (Some (-0.), Some neg_infinity, Some nan, Some 2.5);; */
static void test_printval_floats(void **state) {
  (void)state;
  double ds[] = {1.0, 0.1, -0.0, NAN, INFINITY, -INFINITY, 1e20, 0.3 - 0.1 - 0.2};
  value l = Val_emptylist;
  for (int i = 7; i >= 0; i--) l = nml_cons(nml_copy_double(ds[i]), l);
  EXPECT_EVAL("- : float list =\n"
              "[1.; 0.1; -0.; nan; infinity; neg_infinity; 1e+20; -2.77555756156289135e-17]\n",
              "float list", t_list(t_float()), l);
  Type *fo = t_option(t_float());
  EXPECT_EVAL("- : float option * float option * float option * float option =\n"
              "(Some (-0.), Some (neg_infinity), Some nan, Some 2.5)\n",
              "float option * float option * float option * float option", mk_tuple(4, fo, fo, fo, fo),
              block(0, 4, block(0, 1, nml_copy_double(-0.0)), block(0, 1, nml_copy_double(-INFINITY)),
                    block(0, 1, nml_copy_double(NAN)), block(0, 1, nml_copy_double(2.5))));
}

/* ['a'; '\n'; '\\'; '\''; '\t'; '\r'; '\b'; '\000'; '\255'; '"'; ' '; '\127'];; */
static void test_printval_chars(void **state) {
  (void)state;
  const unsigned char cs[] = {'a', '\n', '\\', '\'', '\t', '\r', '\b', 0, 255, '"', ' ', 127};
  value l = Val_emptylist;
  for (int i = 11; i >= 0; i--) l = nml_cons(Val_int(cs[i]), l);
  EXPECT_EVAL("- : char list =\n"
              "['a'; '\\n'; '\\\\'; '\\''; '\\t'; '\\r'; '\\b'; '\\000'; '\\255'; '\"'; ' '; '\\127']\n",
              "char list", t_list(mk_con(d_char, "char", 0)), l);
}

/* "a\"b\\c\n\t\r\b\001\127\xc3\xa9'x";;  (strings keep UTF-8 bytes)
 * Bytes.of_string "ab\255\"'";;  Some (Bytes.of_string "x");; */
static void test_printval_strings_and_bytes(void **state) {
  (void)state;
  const char s[] = "a\"b\\c\n\t\r\b\001\177\xc3\xa9'x";
  EXPECT_EVAL("- : string = \"a\\\"b\\\\c\\n\\t\\r\\b\\001\\127\xc3\xa9'x\"\n", "string", t_string(),
              nml_copy_string_len(s, sizeof s - 1));
  Type *bytes = mk_con(d_bytes, "bytes", 0);
  EXPECT_EVAL("- : bytes = Bytes.of_string \"ab\\255\\\"'\"\n", "bytes", bytes, nml_copy_string("ab\377\"'"));
  EXPECT_EVAL("- : bytes option = Some (Bytes.of_string \"x\")\n", "bytes option", t_option(bytes),
              block(0, 1, nml_copy_string("x")));
}

/* (String.make 400 (Char.chr 97), 1);;  (truncated to the steps left) */
static void test_printval_long_string_truncated(void **state) {
  (void)state;
  char s[401];
  memset(s, 'a', 400);
  s[400] = 0;
  EXPECT_EVAL("- : string * int =\n"
              "(\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
              "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
              "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
              "aaaaaaaaaaaaaaaaaaa\"... (* string length 400; truncated *),\n"
              " 1)\n",
              "string * int", mk_tuple(2, t_string(), t_int()), block(0, 2, nml_copy_string(s), Val_int(1)));
}

/* (true, false, ());; */
static void test_printval_bool_unit(void **state) {
  (void)state;
  EXPECT_EVAL("- : bool * bool * unit = (true, false, ())\n", "bool * bool * unit",
              mk_tuple(3, mk_con(d_bool, "bool", 0), mk_con(d_bool, "bool", 0), mk_con(d_unit, "unit", 0)),
              block(0, 3, Val_true, Val_false, Val_unit));
}

/* List.init 100 (fun i -> i);; */
static void test_printval_long_list_wraps(void **state) {
  (void)state;
  EXPECT_EVAL("- : int list =\n"
              "[0; 1; 2; 3; 4; 5; 6; 7; 8; 9; 10; 11; 12; 13; 14; 15; 16; 17; 18; 19; 20;\n"
              " 21; 22; 23; 24; 25; 26; 27; 28; 29; 30; 31; 32; 33; 34; 35; 36; 37; 38; 39;\n"
              " 40; 41; 42; 43; 44; 45; 46; 47; 48; 49; 50; 51; 52; 53; 54; 55; 56; 57; 58;\n"
              " 59; 60; 61; 62; 63; 64; 65; 66; 67; 68; 69; 70; 71; 72; 73; 74; 75; 76; 77;\n"
              " 78; 79; 80; 81; 82; 83; 84; 85; 86; 87; 88; 89; 90; 91; 92; 93; 94; 95; 96;\n"
              " 97; 98; 99]\n",
              "int list", t_list(t_int()), int_list(0, 100));
}

/* let x = List.init 100 (fun i -> i);;  let a = 1 and b = "x";; */
static void test_printval_val_bindings(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  PvBinding x = {"x", t_list(t_int()), int_list(0, 100)};
  printval_print_bindings(f, &x, 1, NULL, print_type_text, "int list");
  assert_string_equal(b.data, "val x : int list =\n"
                              "  [0; 1; 2; 3; 4; 5; 6; 7; 8; 9; 10; 11; 12; 13; 14; 15; 16; 17; 18; 19; 20;\n"
                              "   21; 22; 23; 24; 25; 26; 27; 28; 29; 30; 31; 32; 33; 34; 35; 36; 37; 38;\n"
                              "   39; 40; 41; 42; 43; 44; 45; 46; 47; 48; 49; 50; 51; 52; 53; 54; 55; 56;\n"
                              "   57; 58; 59; 60; 61; 62; 63; 64; 65; 66; 67; 68; 69; 70; 71; 72; 73; 74;\n"
                              "   75; 76; 77; 78; 79; 80; 81; 82; 83; 84; 85; 86; 87; 88; 89; 90; 91; 92;\n"
                              "   93; 94; 95; 96; 97; 98; 99]\n");
  buf_clear(&b);
  /* Two items: the caller's vertical box, as printval_print_bindings makes, with
   * each item's own type text. */
  PvBinding ab[] = {{"a", t_int(), Val_int(1)}, {"b", t_string(), nml_copy_string("x")}};
  fmt_open_box(f, FMT_V, 0);
  printval_print_val_item(f, ab[0].name, ab[0].ty, ab[0].v, NULL, print_type_text, "int");
  fmt_space(f);
  printval_print_val_item(f, ab[1].name, ab[1].ty, ab[1].v, NULL, print_type_text, "string");
  fmt_close_box(f);
  fmt_flush_newline(f);
  assert_string_equal(b.data, "val a : int = 1\nval b : string = \"x\"\n");
  fmt_free(f);
  buf_free(&b);
}

/* let ( +! ) a b = a + b;; */
static void test_printval_operator_name(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  value clos = block(Closure_tag, 2, (value)0, Val_int(2));
  PvBinding op = {"+!", mk_arrow(t_int(), mk_arrow(t_int(), t_int())), clos};
  printval_print_bindings(f, &op, 1, NULL, print_type_text, "int -> int -> int");
  assert_string_equal(b.data, "val ( +! ) : int -> int -> int = <fun>\n");
  assert_true(printval_is_operator_name("mod"));
  assert_false(printval_is_operator_name("x'1"));
  fmt_free(f);
  buf_free(&b);
}

/* List.init 1000 (fun i -> i);;  (300 steps: "..." after 298) */
static void test_printval_steps_limit(void **state) {
  (void)state;
  EXPECT_EVAL("- : int list =\n"
              "[0; 1; 2; 3; 4; 5; 6; 7; 8; 9; 10; 11; 12; 13; 14; 15; 16; 17; 18; 19; 20;\n"
              " 21; 22; 23; 24; 25; 26; 27; 28; 29; 30; 31; 32; 33; 34; 35; 36; 37; 38; 39;\n"
              " 40; 41; 42; 43; 44; 45; 46; 47; 48; 49; 50; 51; 52; 53; 54; 55; 56; 57; 58;\n"
              " 59; 60; 61; 62; 63; 64; 65; 66; 67; 68; 69; 70; 71; 72; 73; 74; 75; 76; 77;\n"
              " 78; 79; 80; 81; 82; 83; 84; 85; 86; 87; 88; 89; 90; 91; 92; 93; 94; 95; 96;\n"
              " 97; 98; 99; 100; 101; 102; 103; 104; 105; 106; 107; 108; 109; 110; 111; 112;\n"
              " 113; 114; 115; 116; 117; 118; 119; 120; 121; 122; 123; 124; 125; 126; 127;\n"
              " 128; 129; 130; 131; 132; 133; 134; 135; 136; 137; 138; 139; 140; 141; 142;\n"
              " 143; 144; 145; 146; 147; 148; 149; 150; 151; 152; 153; 154; 155; 156; 157;\n"
              " 158; 159; 160; 161; 162; 163; 164; 165; 166; 167; 168; 169; 170; 171; 172;\n"
              " 173; 174; 175; 176; 177; 178; 179; 180; 181; 182; 183; 184; 185; 186; 187;\n"
              " 188; 189; 190; 191; 192; 193; 194; 195; 196; 197; 198; 199; 200; 201; 202;\n"
              " 203; 204; 205; 206; 207; 208; 209; 210; 211; 212; 213; 214; 215; 216; 217;\n"
              " 218; 219; 220; 221; 222; 223; 224; 225; 226; 227; 228; 229; 230; 231; 232;\n"
              " 233; 234; 235; 236; 237; 238; 239; 240; 241; 242; 243; 244; 245; 246; 247;\n"
              " 248; 249; 250; 251; 252; 253; 254; 255; 256; 257; 258; 259; 260; 261; 262;\n"
              " 263; 264; 265; 266; 267; 268; 269; 270; 271; 272; 273; 274; 275; 276; 277;\n"
              " 278; 279; 280; 281; 282; 283; 284; 285; 286; 287; 288; 289; 290; 291; 292;\n"
              " 293; 294; 295; 296; 297; 298; ...]\n",
              "int list", t_list(t_int()), int_list(0, 1000));
}

/* ([], [||], [|1; 2|]);;  (printed types: 'a list * '_weak1 array * int array) */
static void test_printval_empty_list_and_arrays(void **state) {
  (void)state;
  Type *a = mk_var();
  EXPECT_EVAL(
      "- : 'a list * '_weak1 array * int array = ([], [||], [|1; 2|])\n",
      "'a list * '_weak1 array * int array",
      mk_tuple(3, t_list(a), mk_con(d_array, "array", 1, mk_var()), mk_con(d_array, "array", 1, t_int())),
      block(0, 3, Val_emptylist, nml_alloc(0, 0), block(0, 2, Val_int(1), Val_int(2))));
}

/* type pt = {x : int; y : int};;  {x = 1; y = -2};;
 * module Vec = struct type t = {x : float; y : float} end;;  {Vec.x = 3.; y = 4.};;
 * ref [1; 2];; */
static bool qualify_vec(void *ctx, Type *ty, const char *name, bool is_label) {
  (void)ctx;
  (void)name;
  return is_label && strncmp(ty->path, "Vec.", 4) == 0;
}

static void test_printval_records(void **state) {
  (void)state;
  TypeDecl *pt = mk_decl("pt", TD_RECORD, 0, 0);
  add_field(pt, "x", t_int());
  add_field(pt, "y", t_int());
  EXPECT_EVAL("- : pt = {x = 1; y = -2}\n", "pt", mk_con(pt, "pt", 0), block(0, 2, Val_int(1), Val_int(-2)));

  TypeDecl *vec = mk_decl("t", TD_RECORD, 0, 0);
  add_field(vec, "x", t_float());
  add_field(vec, "y", t_float());
  PvOptions opt = {.qualify = qualify_vec};
  Buf b;
  buf_init(&b);
  assert_string_equal(eval_text(&b, "Vec.t", mk_con(vec, "Vec.t", 0),
                                block(0, 2, nml_copy_double(3.0), nml_copy_double(4.0)), &opt),
                      "- : Vec.t = {Vec.x = 3.; y = 4.}\n");
  buf_free(&b);

  EXPECT_EVAL("- : int list ref = {contents = [1; 2]}\n", "int list ref",
              mk_con(d_ref, "ref", 1, t_list(t_int())), block(0, 1, int_list(1, 3)));
}

/* type r = {name : string; age : int; tags : string list};;
 * [{name = "alice"; ...}; {name = "bob"; ...}];; */
static void test_printval_record_list_wraps(void **state) {
  (void)state;
  TypeDecl *r = mk_decl("r", TD_RECORD, 0, 0);
  add_field(r, "name", t_string());
  add_field(r, "age", t_int());
  add_field(r, "tags", t_list(t_string()));
  value tags1 = nml_cons(nml_copy_string("a"), nml_cons(nml_copy_string("b"), Val_emptylist));
  value tags2 =
      nml_cons(nml_copy_string("ccccccccccc"), nml_cons(nml_copy_string("dddddddddd"), Val_emptylist));
  value l = nml_cons(block(0, 3, nml_copy_string("alice"), Val_int(30), tags1),
                     nml_cons(block(0, 3, nml_copy_string("bob"), Val_int(40), tags2), Val_emptylist));
  EXPECT_EVAL("- : r list =\n"
              "[{name = \"alice\"; age = 30; tags = [\"a\"; \"b\"]};\n"
              " {name = \"bob\"; age = 40; tags = [\"ccccccccccc\"; \"dddddddddd\"]}]\n",
              "r list", t_list(mk_con(r, "r", 0)), l);
}

/* List.init 30 (fun i -> (i, string_of_int i));; */
static void test_printval_tuple_list_wraps(void **state) {
  (void)state;
  value l = Val_emptylist;
  for (int i = 29; i >= 0; i--) {
    char s[8];
    snprintf(s, sizeof s, "%d", i);
    l = nml_cons(block(0, 2, Val_int(i), nml_copy_string(s)), l);
  }
  EXPECT_EVAL("- : (int * string) list =\n"
              "[(0, \"0\"); (1, \"1\"); (2, \"2\"); (3, \"3\"); (4, \"4\"); (5, \"5\"); (6, \"6\");\n"
              " (7, \"7\"); (8, \"8\"); (9, \"9\"); (10, \"10\"); (11, \"11\"); (12, \"12\");\n"
              " (13, \"13\"); (14, \"14\"); (15, \"15\"); (16, \"16\"); (17, \"17\"); (18, \"18\");\n"
              " (19, \"19\"); (20, \"20\"); (21, \"21\"); (22, \"22\"); (23, \"23\"); (24, \"24\");\n"
              " (25, \"25\"); (26, \"26\"); (27, \"27\"); (28, \"28\"); (29, \"29\")]\n",
              "(int * string) list", t_list(mk_tuple(2, t_int(), t_string())), l);
}

/* type tree = Leaf | Node of tree * int * tree;;
 * Node (Leaf, 1, Node (Leaf, -2, Leaf));;
 * type 'a wrap = W of 'a;;  W (-3);;  W (Some 1);;  W [1];; */
static void test_printval_variants(void **state) {
  (void)state;
  TypeDecl *tree = mk_decl("tree", TD_VARIANT, 0, 0);
  Type *t_tree = mk_con(tree, "tree", 0);
  add_constr(tree, "Leaf", 0);
  add_constr(tree, "Node", 3, t_tree, t_int(), t_tree);
  value leaf = Val_int(0);
  EXPECT_EVAL("- : tree = Node (Leaf, 1, Node (Leaf, -2, Leaf))\n", "tree", t_tree,
              block(0, 3, leaf, Val_int(1), block(0, 3, leaf, Val_int(-2), leaf)));

  TypeDecl *wrap = mk_decl("wrap", TD_VARIANT, 0, 1);
  add_constr(wrap, "W", 1, wrap->params[0]);
  EXPECT_EVAL("- : int wrap = W (-3)\n", "int wrap", mk_con(wrap, "wrap", 1, t_int()),
              block(0, 1, Val_int(-3)));
  EXPECT_EVAL("- : int option wrap = W (Some 1)\n", "int option wrap",
              mk_con(wrap, "wrap", 1, t_option(t_int())), block(0, 1, block(0, 1, Val_int(1))));
  EXPECT_EVAL("- : int list wrap = W [1]\n", "int list wrap", mk_con(wrap, "wrap", 1, t_list(t_int())),
              block(0, 1, int_list(1, 2)));
}

/* type t = N | S of t;;  let rec mk n = ...;;  mk 150;;  (depth 100, with
 * the boxes OCaml leaves open when "..." cuts a constructor short) */
static void test_printval_depth_limit(void **state) {
  (void)state;
  TypeDecl *t = mk_decl("t", TD_VARIANT, 0, 0);
  Type *ty = mk_con(t, "t", 0);
  add_constr(t, "N", 0);
  add_constr(t, "S", 1, ty);
  value v = Val_int(0);
  for (int i = 0; i < 150; i++) v = block(0, 1, v);
  EXPECT_EVAL("- : t =\n"
              "S\n"
              " (S\n"
              "   (S\n"
              "     (S\n"
              "       (S\n"
              "         (S\n"
              "           (S\n"
              "             (S\n"
              "               (S\n"
              "                 (S\n"
              "                   (S\n"
              "                     (S\n"
              "                       (S\n"
              "                         (S\n"
              "                           (S\n"
              "                             (S\n"
              "                               (S\n"
              "                                 (S\n"
              "                                   (S\n"
              "                                     (S\n"
              "                                       (S\n"
              "                                         (S\n"
              "                                           (S\n"
              "                                             (S\n"
              "                                               (S\n"
              "                                                 (S\n"
              "                                                   (S\n"
              "                                                     (S\n"
              "                                                       (S\n"
              "                                                         (S\n"
              "                                                           (S\n"
              "                                                             (S\n"
              "                                                               (S\n"
              "                                                                 (S\n"
              "                                                                   (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S\n"
              "                                                                    (S "
              "...)))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))"
              ")))))))))\n",
              "t", ty, v);
}

/* (Obj.magic (Some 1) : 'a option);;  ((fun x -> x), 1);;
 * type m = int;;  (3 : m);; */
static void test_printval_poly_fun_abbrev(void **state) {
  (void)state;
  EXPECT_EVAL("- : 'a option = Some <poly>\n", "'a option", t_option(mk_var()), block(0, 1, Val_int(1)));
  Type *a = mk_var();
  value clos = block(Closure_tag, 2, (value)0, Val_int(1));
  EXPECT_EVAL("- : ('a -> 'a) * int = (<fun>, 1)\n", "('a -> 'a) * int", mk_tuple(2, mk_arrow(a, a), t_int()),
              block(0, 2, clos, Val_int(1)));
  TypeDecl *m = mk_decl("m", TD_ABSTRACT, 0, 0);
  m->manifest = t_int();
  EXPECT_EVAL("- : m = 3\n", "m", mk_con(m, "m", 0), Val_int(3));
  TypeDecl *abs = mk_decl("t", TD_ABSTRACT, 0, 0);
  EXPECT_EVAL("- : M.t = <abstr>\n", "M.t", mk_con(abs, "M.t", 0), Val_int(3));
}

/* let rec l = 1 :: l;;  (printed as a val binding) */
static void test_printval_cycle(void **state) {
  (void)state;
  value cell = nml_cons(Val_int(1), Val_emptylist);
  Field(cell, 1) = cell;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  PvBinding l = {"l", t_list(t_int()), cell};
  printval_print_bindings(f, &l, 1, NULL, print_type_text, "int list");
  assert_string_equal(b.data, "val l : int list = [1; <cycle>]\n");
  fmt_free(f);
  buf_free(&b);
}

/* exception E of int * string;;  raise Not_found;;  failwith "x";;
 * raise (E (1, "a"));;  Not_found;;  f 0 (stack overflow);;
 * match 3 with 4 -> 1;;  assert false;;
 * let module M = struct exception X of int list * int * string * float end
 *   in raise (M.X ([1], -2, "s", 1.5));;  (unknown to the environment) */
typedef struct ExnEnv {
  value e_constr;
  ConstrDesc *e_desc;
} ExnEnv;

static ConstrDesc *find_exn(void *ctx, value constr) {
  ExnEnv *env = ctx;
  return constr == env->e_constr ? env->e_desc : NULL;
}

static const char *exn_text(Buf *b, value exn, const PvOptions *opt) {
  buf_clear(b);
  Fmt *f = fmt_new(b);
  printval_print_exception(f, exn, opt);
  fmt_free(f);
  return b->data;
}

static void test_printval_exceptions(void **state) {
  (void)state;
  ExnEnv env = {nml_new_exception("E"), ARENA_NEW(&arena, ConstrDesc)};
  env.e_desc->name = "E";
  env.e_desc->is_exn = true;
  env.e_desc->nargs = 2;
  env.e_desc->args = ARENA_ARRAY(&arena, Type *, 2);
  env.e_desc->args[0] = t_int();
  env.e_desc->args[1] = t_string();
  PvOptions opt = {.find_exn = find_exn, .ctx = &env};
  Buf b;
  buf_init(&b);
  assert_string_equal(exn_text(&b, nml_exn_Not_found, &opt), "Exception: Not_found.\n");
  assert_string_equal(exn_text(&b, block(0, 2, nml_exn_Failure, nml_copy_string("x")), &opt),
                      "Exception: Failure \"x\".\n");
  assert_string_equal(exn_text(&b, block(0, 3, env.e_constr, Val_int(1), nml_copy_string("a")), &opt),
                      "Exception: E (1, \"a\").\n");
  assert_string_equal(exn_text(&b, nml_exn_Stack_overflow, &opt),
                      "Stack overflow during evaluation (looping recursion?).\n");
  value loc = block(0, 3, nml_copy_string("//toplevel//"), Val_int(1), Val_int(0));
  assert_string_equal(exn_text(&b, block(0, 2, nml_exn_Match_failure, loc), &opt),
                      "Exception: Match_failure (\"//toplevel//\", 1, 0).\n");
  assert_string_equal(exn_text(&b, block(0, 2, nml_exn_Assert_failure, loc), NULL),
                      "Exception: Assert_failure (\"//toplevel//\", 1, 0).\n");
  value x = nml_new_exception("X");
  assert_string_equal(
      exn_text(&b, block(0, 5, x, int_list(1, 2), Val_int(-2), nml_copy_string("s"), nml_copy_double(1.5)),
               &opt),
      "Exception: X (_, -2, \"s\", 1.5).\n");
  assert_string_equal(eval_text(&b, "exn", mk_con(d_exn, "exn", 0), nml_exn_Not_found, &opt),
                      "- : exn = Not_found\n");
  buf_free(&b);
}

/* type d = D of d list;;
 * let rec mk n = if n = 0 then D [] else D [mk (n-1); mk 0];;  mk 60;;
 * (the steps run out inside a list nested in constructors) */
static value mk_d(int n) {
  value l = Val_emptylist;
  if (n > 0) l = nml_cons(mk_d(n - 1), nml_cons(mk_d(0), Val_emptylist));
  return block(0, 1, l);
}

static void test_printval_steps_inside_nested_lists(void **state) {
  (void)state;
  TypeDecl *d = mk_decl("d", TD_VARIANT, 0, 0);
  Type *ty = mk_con(d, "d", 0);
  add_constr(d, "D", 1, t_list(ty));
  EXPECT_EVAL("- : d =\n"
              "D\n"
              " [D\n"
              "   [D\n"
              "     [D\n"
              "       [D\n"
              "         [D\n"
              "           [D\n"
              "             [D\n"
              "               [D\n"
              "                 [D\n"
              "                   [D\n"
              "                     [D\n"
              "                       [D\n"
              "                         [D\n"
              "                           [D\n"
              "                             [D\n"
              "                               [D\n"
              "                                 [D\n"
              "                                   [D\n"
              "                                     [D\n"
              "                                       [D\n"
              "                                         [D\n"
              "                                           [D\n"
              "                                             [D\n"
              "                                               [D\n"
              "                                                 [D\n"
              "                                                   [D\n"
              "                                                     [D\n"
              "                                                       [D\n"
              "                                                         [D\n"
              "                                                           [D\n"
              "                                                             [D\n"
              "                                                               [D\n"
              "                                                                 [D\n"
              "                                                                   [D\n"
              "                                                                    [D\n"
              "                                                                    [D\n"
              "                                                                    [D\n"
              "                                                                    [D\n"
              "                                                                    [D\n"
              "                                                                    [D\n"
              "                                                                    [D\n"
              "                                                                    [D\n"
              "                                                                    [D\n"
              "                                                                    [D\n"
              "                                                                    [D\n"
              "                                                                    [D\n"
              "                                                                    [D\n"
              "                                                                    [D\n"
              "                                                                    [D\n"
              "                                                                    [D ...];\n"
              "                                                                    D []];\n"
              "                                                                    D []];\n"
              "                                                                    D []];\n"
              "                                                                    D []];\n"
              "                                                                    D []];\n"
              "                                                                    D []];\n"
              "                                                                    D []];\n"
              "                                                                    D []];\n"
              "                                                                    D []];\n"
              "                                                                    D []];\n"
              "                                                                    D []];\n"
              "                                                                    D []];\n"
              "                                                                    D []];\n"
              "                                                                    D []];\n"
              "                                                                    D []];\n"
              "                                                                    D []];\n"
              "                                                                   D []];\n"
              "                                                                 D []];\n"
              "                                                               D []];\n"
              "                                                             D []];\n"
              "                                                           D []];\n"
              "                                                         D []];\n"
              "                                                       D []];\n"
              "                                                     D []];\n"
              "                                                   D []];\n"
              "                                                 D []];\n"
              "                                               D []];\n"
              "                                             D []];\n"
              "                                           D []];\n"
              "                                         D []];\n"
              "                                       D []];\n"
              "                                     D []];\n"
              "                                   D []];\n"
              "                                 D []];\n"
              "                               D []];\n"
              "                             D []];\n"
              "                           D []];\n"
              "                         D []];\n"
              "                       D []];\n"
              "                     D []];\n"
              "                   D []];\n"
              "                 D []];\n"
              "               D []];\n"
              "             D []];\n"
              "           D []];\n"
              "         D []];\n"
              "       D []];\n"
              "     D []];\n"
              "   D []]\n",
              "d", ty, mk_d(60));
}

/* type rr = {a : int; b : rr option};;
 * let rec mr n = {a = n; b = if n = 0 then None else Some (mr (n-1))};;
 * mr 60;; */
static void test_printval_depth_inside_records(void **state) {
  (void)state;
  TypeDecl *rr = mk_decl("rr", TD_RECORD, 0, 0);
  Type *ty = mk_con(rr, "rr", 0);
  add_field(rr, "a", t_int());
  add_field(rr, "b", t_option(ty));
  value v = block(0, 2, Val_int(0), Val_none);
  for (int i = 1; i <= 60; i++) v = block(0, 2, Val_int(i), block(0, 1, v));
  EXPECT_EVAL("- : rr =\n"
              "{a = 60;\n"
              " b =\n"
              "  Some\n"
              "   {a = 59;\n"
              "    b =\n"
              "     Some\n"
              "      {a = 58;\n"
              "       b =\n"
              "        Some\n"
              "         {a = 57;\n"
              "          b =\n"
              "           Some\n"
              "            {a = 56;\n"
              "             b =\n"
              "              Some\n"
              "               {a = 55;\n"
              "                b =\n"
              "                 Some\n"
              "                  {a = 54;\n"
              "                   b =\n"
              "                    Some\n"
              "                     {a = 53;\n"
              "                      b =\n"
              "                       Some\n"
              "                        {a = 52;\n"
              "                         b =\n"
              "                          Some\n"
              "                           {a = 51;\n"
              "                            b =\n"
              "                             Some\n"
              "                              {a = 50;\n"
              "                               b =\n"
              "                                Some\n"
              "                                 {a = 49;\n"
              "                                  b =\n"
              "                                   Some\n"
              "                                    {a = 48;\n"
              "                                     b =\n"
              "                                      Some\n"
              "                                       {a = 47;\n"
              "                                        b =\n"
              "                                         Some\n"
              "                                          {a = 46;\n"
              "                                           b =\n"
              "                                            Some\n"
              "                                             {a = 45;\n"
              "                                              b =\n"
              "                                               Some\n"
              "                                                {a = 44;\n"
              "                                                 b =\n"
              "                                                  Some\n"
              "                                                   {a = 43;\n"
              "                                                    b =\n"
              "                                                     Some\n"
              "                                                      {a = 42;\n"
              "                                                       b =\n"
              "                                                        Some\n"
              "                                                         {a = 41;\n"
              "                                                          b =\n"
              "                                                           Some\n"
              "                                                            {a = 40;\n"
              "                                                             b =\n"
              "                                                              Some\n"
              "                                                               {a = 39;\n"
              "                                                                b =\n"
              "                                                                 Some\n"
              "                                                                  {a = 38;\n"
              "                                                                   b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 37;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 36;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 35;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 34;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 33;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 32;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 31;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 30;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 29;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 28;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 27;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 26;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 25;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 24;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 23;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 22;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 21;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 20;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 19;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 18;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 17;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 16;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 15;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 14;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 13;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 12;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = 11;\n"
              "                                                                    b =\n"
              "                                                                    Some\n"
              "                                                                    {a = ...;\n"
              "                                                                    b = "
              "...}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}\n",
              "rr", ty, v);
}

/* [Some [1;2]; None];; */
static void test_printval_nested_options(void **state) {
  (void)state;
  EXPECT_EVAL("- : int list option list = [Some [1; 2]; None]\n", "int list option list",
              t_list(t_option(t_list(t_int()))),
              nml_cons(block(0, 1, int_list(1, 3)), nml_cons(Val_none, Val_emptylist)));
}

static int setup(void **state) {
  (void)state;
  arena_init(&arena);
  make_predefined();
  return 0;
}

static int teardown(void **state) {
  (void)state;
  arena_free(&arena);
  return 0;
}

int main(void) {
  int stack_base;
  nml_init(&stack_base);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_printval_negative_numbers),
      cmocka_unit_test(test_printval_floats),
      cmocka_unit_test(test_printval_chars),
      cmocka_unit_test(test_printval_strings_and_bytes),
      cmocka_unit_test(test_printval_long_string_truncated),
      cmocka_unit_test(test_printval_bool_unit),
      cmocka_unit_test(test_printval_long_list_wraps),
      cmocka_unit_test(test_printval_val_bindings),
      cmocka_unit_test(test_printval_operator_name),
      cmocka_unit_test(test_printval_steps_limit),
      cmocka_unit_test(test_printval_empty_list_and_arrays),
      cmocka_unit_test(test_printval_records),
      cmocka_unit_test(test_printval_record_list_wraps),
      cmocka_unit_test(test_printval_tuple_list_wraps),
      cmocka_unit_test(test_printval_variants),
      cmocka_unit_test(test_printval_depth_limit),
      cmocka_unit_test(test_printval_poly_fun_abbrev),
      cmocka_unit_test(test_printval_cycle),
      cmocka_unit_test(test_printval_exceptions),
      cmocka_unit_test(test_printval_nested_options),
      cmocka_unit_test(test_printval_steps_inside_nested_lists),
      cmocka_unit_test(test_printval_depth_inside_records),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
