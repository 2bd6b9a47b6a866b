/* ty_format.c — typed format strings (OCaml's "terrible hack for format
 * strings" in typecore): a string literal whose expected type expands to
 * CamlinternalFormatBasics.format6 is parsed as a format at type-checking
 * time and given its format type, conversion by conversion, the way OCaml
 * types the CamlinternalFormatBasics.fmt value it builds from the string.
 * The parser follows CamlinternalFormat.fmt_ebb_of_string in legacy mode
 * (the compiler's default), with its error messages.
 *
 * At run time a format is the string itself (stdlib/printf.ml reads it
 * again with the same rules), so lowering needs nothing.
 *
 * Each conversion is typed as a constructor whose result is
 *   (T1 -> ... -> Tn -> 'a, 'b, 'c, 'd, 'e, 'f) fmt
 * and whose argument is the rest ('a, 'b, 'c, 'd, 'e, 'f) fmt; the end of
 * the format is End_of_format : ('f, 'b, 'c, 'e, 'e, 'f) fmt. Unifying the
 * results with the expected fmt type in order gives OCaml's type and, on a
 * mismatch, OCaml's message at the literal.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "typecheck.h"

/* The type of a conversion's argument. */
typedef enum ArgKind {
  ARG_NONE,
  ARG_INT,
  ARG_INT32,
  ARG_INT64,
  ARG_NATIVEINT,
  ARG_FLOAT,
  ARG_STRING,
  ARG_CHAR,
  ARG_BOOL,
} ArgKind;

typedef enum Pad { PAD_NONE, PAD_LIT, PAD_ARG } Pad;

typedef struct FmtParse {
  Typer *T;
  Loc loc;
  const char *s;
  int len;
} FmtParse;

__attribute__((noreturn, format(printf, 3, 4))) static void fmt_fail(FmtParse *P, int ind, const char *fmt,
                                                                     ...) {
  Buf b;
  buf_init(&b);
  buf_puts(&b, "invalid format ");
  buf_caml_string(&b, P->s, P->len);
  buf_printf(&b, ": at character number %d, ", ind);
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(&b, fmt, ap);
  va_end(ap);
  const char *text = arena_strdup(P->T->arena, b.data);
  buf_free(&b);
  ty_error_text(P->T, P->loc, text);
}

__attribute__((noreturn)) static void unexpected_end(FmtParse *P) {
  fmt_fail(P, P->len, "unexpected end of format");
}

__attribute__((noreturn)) static void incompatible_flag(FmtParse *P, int pct, int ind, char symb,
                                                        const char *option) {
  Buf b;
  buf_init(&b);
  buf_caml_string(&b, P->s + pct, ind - pct);
  const char *sub = arena_strdup(P->T->arena, b.data);
  buf_free(&b);
  fmt_fail(P, pct, "%s is incompatible with '%c' in sub-format %s", option, symb, sub);
}

/* Reads digits at *i; fails at the end of the string. */
static int parse_positive(FmtParse *P, int *i) {
  if (*i == P->len) unexpected_end(P);
  const long long limit = 144115188075855863LL; /* Sys.max_string_length */
  long long n = 0;
  while (*i < P->len && P->s[*i] >= '0' && P->s[*i] <= '9') {
    n = n * 10 + (P->s[*i] - '0');
    if (n > limit) {
      Buf b;
      buf_init(&b);
      buf_puts(&b, "invalid format ");
      buf_caml_string(&b, P->s, P->len);
      buf_printf(&b, ": integer %lld is greater than the limit %lld", n, limit);
      ty_error_text(P->T, P->loc, arena_strdup(P->T->arena, b.data));
    }
    (*i)++;
  }
  return (int)n;
}

static bool is_int_base(char c) {
  return c == 'd' || c == 'i' || c == 'x' || c == 'X' || c == 'o' || c == 'u';
}

/* One conversion, as the constructor OCaml builds for it. */
typedef enum ConvShape {
  SHAPE_NONE,    /* literal-like: %% %@ %! %, and ignored (%_d) ones */
  SHAPE_PADPREC, /* Int/Float (conv, pad, prec, rest) */
  SHAPE_PAD,     /* String/Caml_string/Bool (pad, rest) */
  SHAPE_SIMPLE,  /* Char/Caml_char/Scan_get_counter (rest) */
  SHAPE_ALPHA,   /* %a */
  SHAPE_THETA,   /* %t */
} ConvShape;

typedef struct Conv {
  ConvShape shape;
  ArgKind value; /* the argument's type */
  Pad pad, prec; /* SHAPE_PAD: pad is the merged padding/precision */
} Conv;

/* Parses the conversion starting at the '%' at pct into *cv; returns the
 * index after it. */
static int parse_conversion(FmtParse *P, int pct, Conv *cv) {
  const char *s = P->s;
  int i = pct + 1;
  if (i == P->len) unexpected_end(P);
  bool ign = false;
  if (s[i] == '_') {
    ign = true;
    i++;
  }
  bool zero = false, minus = false;
  for (;; i++) {
    if (i == P->len) unexpected_end(P);
    char c = s[i];
    if (c == '0') zero = true;
    else if (c == '-') minus = true;
    else if (c == '+' || c == '#' || c == ' ') continue;
    else break;
  }
  /* Padding. */
  Pad pad = PAD_NONE;
  bool pad_zeros = zero && !minus;
  if (s[i] >= '0' && s[i] <= '9') {
    parse_positive(P, &i);
    pad = PAD_LIT;
  } else if (s[i] == '*') {
    pad = PAD_ARG;
    i++;
  } else if (pad_zeros) {
    pad = PAD_LIT; /* a lone '0': width 0 */
  }
  if (i == P->len) unexpected_end(P);
  /* Precision. */
  Pad prec = PAD_NONE;
  if (s[i] == '.') {
    i++;
    if (i == P->len) unexpected_end(P);
    if (s[i] >= '0' && s[i] <= '9') {
      parse_positive(P, &i);
      prec = PAD_LIT;
    } else if (s[i] == '+' || s[i] == '-') {
      i++;
      parse_positive(P, &i);
      prec = PAD_LIT;
    } else if (s[i] == '*') {
      prec = PAD_ARG;
      i++;
    } else {
      prec = PAD_LIT; /* legacy: '.' alone is ".0" */
    }
  }
  if (i == P->len) unexpected_end(P);
  /* %s-like conversions merge a precision into a missing padding. */
  Pad padprec = pad != PAD_NONE ? pad : prec;
  char symb = s[i++];
  Conv c = {SHAPE_NONE, ARG_NONE, pad, prec};
  bool ign_ok = true;
  switch (symb) {
  case ',':
  case '%':
  case '@':
  case '!': break;
  case 'c':
    if (pad == PAD_ARG) incompatible_flag(P, pct, i, 'c', "'*'");
    c.shape = SHAPE_SIMPLE;
    c.value = ARG_CHAR;
    break;
  case 'C':
    c.shape = SHAPE_SIMPLE;
    c.value = ARG_CHAR;
    break;
  case 's':
  case 'S':
  case 'b':
  case 'B':
    c.shape = SHAPE_PAD;
    c.pad = padprec;
    c.value = symb == 'b' || symb == 'B' ? ARG_BOOL : ARG_STRING;
    break;
  case 'd':
  case 'i':
  case 'x':
  case 'X':
  case 'o':
  case 'u':
    c.shape = SHAPE_PADPREC;
    c.value = ARG_INT;
    break;
  case 'f':
  case 'e':
  case 'E':
  case 'g':
  case 'G':
  case 'F':
  case 'h':
  case 'H':
    c.shape = SHAPE_PADPREC;
    c.value = ARG_FLOAT;
    break;
  case 'l':
  case 'n':
  case 'L':
    if (i < P->len && is_int_base(s[i])) {
      c.shape = SHAPE_PADPREC;
      c.value = symb == 'l' ? ARG_INT32 : symb == 'n' ? ARG_NATIVEINT : ARG_INT64;
      i++;
      break;
    }
    c.shape = SHAPE_SIMPLE; /* a scanning counter: printf prints the int */
    c.value = ARG_INT;
    break;
  case 'N':
    c.shape = SHAPE_SIMPLE;
    c.value = ARG_INT;
    break;
  case 'a':
    c.shape = SHAPE_ALPHA;
    ign_ok = false;
    break;
  case 't':
    c.shape = SHAPE_THETA;
    ign_ok = false;
    break;
  case '-':
  case '+':
  case '#':
  case ' ':
  case '_': fmt_fail(P, pct, "flag '%c' is only allowed after the '%%', before padding and precision", symb);
  case 'r':
  case '{':
  case '(':
  case '[': ty_error_textf(P->T, P->loc, "natml: the format conversion \"%%%c\" is not supported", symb);
  default: fmt_fail(P, i - 1, "invalid conversion \"%%%c\"", symb);
  }
  if (ign) {
    if (!ign_ok) incompatible_flag(P, pct, i, symb, "'_'");
    c.shape = SHAPE_NONE;
  }
  *cv = c;
  return i;
}

typedef struct FmtDecls {
  TypeDecl *fmt, *padding, *precision;
} FmtDecls;

static Type *fmt_type(Typer *T, FmtDecls *D, Type **args) {
  return ty_new_constr(T, D->fmt, args, 6, "CamlinternalFormatBasics.fmt");
}

static Type *pair_type(Typer *T, TypeDecl *d, const char *path, Type *a, Type *b) {
  Type *args[2] = {a, b};
  return ty_new_constr(T, d, args, 2, path);
}

static Type *value_type(Typer *T, ArgKind k) {
  switch (k) {
  case ARG_INT: return ty_predef(T, TYB_INT);
  case ARG_INT32: return ty_predef(T, TYB_INT32);
  case ARG_INT64: return ty_predef(T, TYB_INT64);
  case ARG_NATIVEINT: return ty_predef(T, TYB_NATIVEINT);
  case ARG_FLOAT: return ty_predef(T, TYB_FLOAT);
  case ARG_STRING: return ty_predef(T, TYB_STRING);
  case ARG_CHAR: return ty_predef(T, TYB_CHAR);
  case ARG_BOOL: return ty_predef(T, TYB_BOOL);
  default: break;
  }
  NML_UNREACHABLE();
}

static TypeDecl *basics_decl(Typer *T, const char *name, int nparams) {
  const char *mods[] = {"CamlinternalFormatBasics"};
  ModuleDesc *md = env_find_module_path(T->env, mods, 1, NULL);
  TypeDecl *d = md && md->env ? env_find(md->env, NS_TYPE, name) : NULL;
  return d && d->nparams == nparams ? d : NULL;
}

/* Types one argument of a constructor: its instance found against the
 * type the constructor expects there. */
static void unify_part(Typer *T, Expr *e, Type *found, Type *expected) {
  if (!ty_unify(T, found, expected)) ty_error_expr_mismatch(T, e->loc, WHY_NONE, false, NULL);
}

/* The padding (or precision) constructor's type: No_ and Lit_ are
 * ('a, 'a), Arg_ is (int -> 'a, 'a). */
static Type *pad_found(Typer *T, TypeDecl *d, const char *path, Pad p) {
  Type *a = ty_new_var(T);
  Type *first = p == PAD_ARG ? ty_new_arrow(T, ty_predef(T, TYB_INT), a) : a;
  return pair_type(T, d, path, first, a);
}

/* Types one conversion against cur, the fmt type expected for the rest of
 * the format from it on; returns the fmt type expected after it. */
static Type *type_conversion(Typer *T, Expr *e, FmtDecls *D, Conv *c, Type *cur) {
  Type *v[6];
  for (int k = 0; k < 6; k++) v[k] = ty_new_var(T);
  Type *first;
  Type *x = ty_new_var(T);
  switch (c->shape) {
  case SHAPE_NONE: return cur;
  case SHAPE_SIMPLE: first = ty_new_arrow(T, value_type(T, c->value), v[0]); break;
  case SHAPE_ALPHA: { /* ('b -> 'x -> 'c) -> 'x -> 'a */
    Type *fn = ty_new_arrow(T, v[1], ty_new_arrow(T, x, v[2]));
    first = ty_new_arrow(T, fn, ty_new_arrow(T, x, v[0]));
    break;
  }
  case SHAPE_THETA: first = ty_new_arrow(T, ty_new_arrow(T, v[1], v[2]), v[0]); break;
  default: first = x; break; /* the padding and precision decide */
  }
  Type *res[6] = {first, v[1], v[2], v[3], v[4], v[5]};
  unify_part(T, e, fmt_type(T, D, res), cur);
  const char *padp = "CamlinternalFormatBasics.padding";
  const char *precp = "CamlinternalFormatBasics.precision";
  Type *arg = ty_new_arrow(T, value_type(T, c->value == ARG_NONE ? ARG_INT : c->value), v[0]);
  if (c->shape == SHAPE_PAD) {
    /* pad : ('x, T -> 'a) padding */
    unify_part(T, e, pad_found(T, D->padding, padp, c->pad), pair_type(T, D->padding, padp, x, arg));
  } else if (c->shape == SHAPE_PADPREC) {
    /* pad : ('x, 'y) padding, prec : ('y, T -> 'a) precision */
    Type *y = ty_new_var(T);
    unify_part(T, e, pad_found(T, D->padding, padp, c->pad), pair_type(T, D->padding, padp, x, y));
    unify_part(T, e, pad_found(T, D->precision, precp, c->prec), pair_type(T, D->precision, precp, y, arg));
  }
  return fmt_type(T, D, v);
}

bool ty_format_literal(Typer *T, Expr *e, Type *expected) {
  Type *h = ty_expand_head(T, expected);
  if (h->kind != TY_CONSTR || h->nargs != 6 || !h->decl->path ||
      strcmp(h->decl->path, "CamlinternalFormatBasics.format6") != 0)
    return false;
  FmtDecls D = {basics_decl(T, "fmt", 6), basics_decl(T, "padding", 2), basics_decl(T, "precision", 2)};
  if (!D.fmt || !D.padding || !D.precision) return false;
  FmtParse P = {T, e->loc, e->cst.s, (int)e->cst.slen};
  /* Format (fmt, str): the fmt expected is format6's arguments. */
  Type *cur = fmt_type(T, &D, h->args);
  int i = 0;
  while (i < P.len) {
    if (P.s[i] != '%') {
      i++;
      continue;
    }
    Conv c;
    i = parse_conversion(&P, i, &c);
    cur = type_conversion(T, e, &D, &c, cur);
  }
  /* End_of_format : ('f, 'b, 'c, 'e, 'e, 'f) fmt */
  Type *f = ty_new_var(T), *b = ty_new_var(T), *c = ty_new_var(T), *ee = ty_new_var(T);
  Type *end_args[6] = {f, b, c, ee, ee, f};
  unify_part(T, e, fmt_type(T, &D, end_args), cur);
  e->ty = expected;
  return true;
}
