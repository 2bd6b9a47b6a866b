/* parmatch.c — exhaustiveness and redundancy of pattern matching, after
 * OCaml 4.13's parmatch.ml, run by the typer once the cases of a match,
 * function, try or let are typed (see parmatch.h).
 *
 * Patterns are first translated to a small form (Pm) without variables,
 * aliases or constraints; char ranges become or-patterns of chars as in
 * OCaml's typer. Both analyses work on clause matrices, one row per case
 * and one column per sub-value still to look at:
 *   exhaust      finds the first value no row matches (Maranget's
 *                algorithm as parmatch.ml orders it, so that the
 *                counter-example is the one OCaml prints);
 *   satisfiable  tells whether a pattern matches a value no earlier row
 *                matches (usefulness), for warnings 11 and 12.
 * Counter-examples are printed with OCaml's Printpat syntax.
 */
#include "parmatch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types.h"
#include "util.h"

typedef enum PmKind {
  PK_ANY,
  PK_EXT,
  PK_CONST,
  PK_CONSTR,
  PK_TUPLE,
  PK_RECORD,
  PK_ARRAY,
  PK_OR,
  PK_VARIANT
} PmKind;

typedef struct Pm Pm;
struct Pm {
  PmKind kind;
  Loc loc;
  Const cst;          /* PK_CONST */
  ConstrDesc *cd;     /* PK_CONSTR */
  FieldDesc **labels; /* PK_RECORD: the field of each argument */
  Pm **args;          /* PK_CONSTR, PK_TUPLE, PK_RECORD, PK_ARRAY */
  int nargs;
  const char *tag; /* PK_VARIANT: the tag, its argument in args (0 or 1) */
  Type *row;       /* PK_VARIANT: the variant type node of its row */
  Pm *l, *r;       /* PK_OR */
  bool range;      /* PK_OR made from a char range: one alternative
                           for warning 12 */
};

/* A clause matrix: rows of `width` patterns each. */
typedef struct Mat {
  Pm ***rows;
  int len, cap;
} Mat;

typedef struct PmCtx {
  Arena *a;
  long fuel;   /* bounds the work on pathological matches */
  PmTyper *ty; /* types counter-examples (GADTs), or NULL */
  int explode; /* how deep wildcards are exploded when typed */
  bool split;  /* or-patterns typed keep their first good alternative */
} PmCtx;

static Pm omega_pat = {.kind = PK_ANY};
#define OMEGA (&omega_pat)

static Pm *parmatch_new(PmCtx *P, PmKind k) {
  Pm *p = ARENA_NEW(P->a, Pm);
  p->kind = k;
  return p;
}

static Pm **omegas(PmCtx *P, int n) {
  Pm **v = ARENA_ARRAY(P->a, Pm *, n > 0 ? n : 1);
  for (int i = 0; i < n; i++) v[i] = OMEGA;
  return v;
}

static void mat_push(PmCtx *P, Mat *m, Pm **row) {
  if (m->len == m->cap) {
    int cap = m->cap ? m->cap * 2 : 8;
    Pm ***n = ARENA_ARRAY(P->a, Pm **, cap);
    if (m->len) memcpy(n, m->rows, sizeof(Pm **) * (size_t)m->len);
    m->rows = n;
    m->cap = cap;
  }
  m->rows[m->len++] = row;
}

/* head :: args @ rest, as a new row. */
static Pm **row_cons(PmCtx *P, Pm **args, int nargs, Pm **rest, int nrest) {
  Pm **r = ARENA_ARRAY(P->a, Pm *, nargs + nrest > 0 ? nargs + nrest : 1);
  for (int i = 0; i < nargs; i++) r[i] = args[i];
  for (int i = 0; i < nrest; i++) r[nargs + i] = rest[i];
  return r;
}

/* ---- From typed patterns ------------------------------------------------- */

static int field_cmp(const void *a, const void *b) {
  const PatField *x = a, *y = b;
  return x->desc->index - y->desc->index;
}

static Pm *of_pat(PmCtx *P, const Pattern *p) {
  switch (p->kind) {
  case PAT_ANY:
  case PAT_VAR:
  case PAT_UNPACK: return OMEGA;
  case PAT_ALIAS:
  case PAT_CONSTRAINT:
  case PAT_OPEN:
  case PAT_EXCEPTION: return of_pat(P, p->arg);
  case PAT_CONST: {
    Pm *q = parmatch_new(P, PK_CONST);
    q->cst = p->cst;
    q->loc = p->loc;
    return q;
  }
  case PAT_RANGE: {
    /* 'a'..'c' is 'a' | ('b' | 'c'), as OCaml's typer builds it. */
    int64_t lo = p->cst.i, hi = p->cst2.i;
    if (lo > hi) {
      int64_t t = lo;
      lo = hi;
      hi = t;
    }
    Pm *acc = NULL;
    for (int64_t c = hi; c >= lo; c--) {
      Pm *k = parmatch_new(P, PK_CONST);
      k->cst.kind = CONST_CHAR;
      k->cst.i = c;
      k->loc = p->loc;
      if (!acc) {
        acc = k;
        continue;
      }
      Pm *o = parmatch_new(P, PK_OR);
      o->l = k;
      o->r = acc;
      o->loc = p->loc;
      o->range = true;
      acc = o;
    }
    return acc;
  }
  case PAT_TUPLE:
  case PAT_ARRAY:
  case PAT_CONSTRUCT: {
    Pm *q = parmatch_new(P, p->kind == PAT_TUPLE ? PK_TUPLE : p->kind == PAT_ARRAY ? PK_ARRAY : PK_CONSTR);
    q->loc = p->loc;
    q->cd = p->cdesc;
    q->nargs = p->kind == PAT_CONSTRUCT ? p->cdesc->nargs : p->nitems;
    q->args = ARENA_ARRAY(P->a, Pm *, q->nargs > 0 ? q->nargs : 1);
    for (int i = 0; i < q->nargs; i++) q->args[i] = i < p->nitems ? of_pat(P, p->items[i]) : OMEGA;
    return q;
  }
  case PAT_RECORD: {
    /* Typed record patterns list their fields in declaration order. */
    PatField *fs = ARENA_ARRAY(P->a, PatField, p->nfields);
    memcpy(fs, p->fields, sizeof(PatField) * (size_t)p->nfields);
    qsort(fs, (size_t)p->nfields, sizeof(PatField), field_cmp);
    Pm *q = parmatch_new(P, PK_RECORD);
    q->loc = p->loc;
    q->nargs = p->nfields;
    q->args = ARENA_ARRAY(P->a, Pm *, q->nargs);
    q->labels = ARENA_ARRAY(P->a, FieldDesc *, q->nargs);
    for (int i = 0; i < q->nargs; i++) {
      q->labels[i] = fs[i].desc;
      q->args[i] = of_pat(P, fs[i].pat);
    }
    return q;
  }
  case PAT_OR: {
    Pm *q = parmatch_new(P, PK_OR);
    q->loc = p->loc;
    q->l = of_pat(P, p->arg);
    q->r = of_pat(P, p->arg2);
    return q;
  }
  case PAT_VARIANT: {
    Pm *q = parmatch_new(P, PK_VARIANT);
    q->loc = p->loc;
    q->tag = p->name;
    q->row = p->row_ty;
    q->nargs = p->arg ? 1 : 0;
    q->args = ARENA_ARRAY(P->a, Pm *, 1);
    if (p->arg) q->args[0] = of_pat(P, p->arg);
    return q;
  }
  case PAT_TYPE: return OMEGA; /* the typer makes it an or-pattern */
  }
  NML_UNREACHABLE();
}

bool parmatch_has_gadt(const Pattern *p) {
  if (!p) return false;
  if (p->kind == PAT_CONSTRUCT && p->cdesc && p->cdesc->gadt) return true;
  if (parmatch_has_gadt(p->arg) || parmatch_has_gadt(p->arg2)) return true;
  for (int i = 0; i < p->nitems; i++)
    if (parmatch_has_gadt(p->items[i])) return true;
  for (int i = 0; i < p->nfields; i++)
    if (parmatch_has_gadt(p->fields[i].pat)) return true;
  return false;
}

bool parmatch_has_constructor(const Pattern *p) {
  if (!p) return false;
  switch (p->kind) {
  case PAT_CONSTRUCT: return true;
  case PAT_RECORD:
    for (int i = 0; i < p->nfields; i++)
      if (parmatch_has_constructor(p->fields[i].pat)) return true;
    return false;
  case PAT_TUPLE:
  case PAT_ARRAY:
    for (int i = 0; i < p->nitems; i++)
      if (parmatch_has_constructor(p->items[i])) return true;
    return false;
  case PAT_OR: return parmatch_has_constructor(p->arg) || parmatch_has_constructor(p->arg2);
  default: return parmatch_has_constructor(p->arg);
  }
}

/* ---- Heads ------------------------------------------------------------------ */

static bool constr_equal(const ConstrDesc *a, const ConstrDesc *b) {
  if (a == b) return true;
  if (a->is_exn || b->is_exn) return a->is_exn && b->is_exn && a->exn_val == b->exn_val;
  return a->constant == b->constant && a->tag == b->tag;
}

/* Whether two non-variable heads are the same constructor (OCaml's
 * simple_match). */
static bool head_equal(const Pm *a, const Pm *b) {
  switch (a->kind) {
  case PK_CONSTR: return b->kind == PK_CONSTR && constr_equal(a->cd, b->cd);
  case PK_CONST: return b->kind == PK_CONST && ast_const_equal(&a->cst, &b->cst);
  case PK_ARRAY: return b->kind == PK_ARRAY && a->nargs == b->nargs;
  case PK_TUPLE: return b->kind == PK_TUPLE;
  case PK_RECORD: return b->kind == PK_RECORD;
  case PK_VARIANT: return b->kind == PK_VARIANT && strcmp(a->tag, b->tag) == 0;
  default: return false;
  }
}

static int head_arity(const Pm *h) { return h->kind == PK_CONST ? 0 : h->nargs; }

/* The arguments of p seen as a head like discr (simple_match_args). */
static Pm **match_args(PmCtx *P, const Pm *discr, const Pm *p) {
  int n = head_arity(discr);
  if (p->kind == PK_ANY || p->kind == PK_EXT) return omegas(P, n);
  if (p->kind != PK_RECORD) return p->args;
  Pm **v = omegas(P, n);
  for (int i = 0; i < n; i++)
    for (int k = 0; k < p->nargs; k++)
      if (p->labels[k]->index == discr->labels[i]->index) v[i] = p->args[k];
  return v;
}

/* Or-patterns at the head of rows become several rows. */
static void expand_row(PmCtx *P, Mat *out, Pm *head, Pm **row, int width) {
  if (head->kind == PK_OR) {
    expand_row(P, out, head->l, row, width);
    expand_row(P, out, head->r, row, width);
    return;
  }
  Pm **r = row_cons(P, &head, 1, row + 1, width - 1);
  mat_push(P, out, r);
}

static Mat simplify_first_col(PmCtx *P, const Mat *m, int width) {
  Mat out = {0};
  P->fuel -= m->len; /* or-patterns in the rows can make matrices grow */
  for (int i = 0; i < m->len; i++) expand_row(P, &out, m->rows[i][0], m->rows[i], width);
  return out;
}

/* OCaml's discr_pat: starting from q, the head that stands for the first
 * column: a tuple, or a record with every field some row mentions (new
 * fields in front); otherwise q itself. */
static Pm *discr_pat(PmCtx *P, Pm *q, const Mat *m) {
  if (q->kind != PK_ANY && q->kind != PK_RECORD) return q;
  Pm *acc = q;
  for (int i = 0; i < m->len; i++) {
    Pm *h = m->rows[i][0];
    if (h->kind == PK_ANY || h->kind == PK_EXT) continue;
    if (h->kind == PK_TUPLE) return h;
    if (h->kind != PK_RECORD) return acc;
    int nacc = acc->kind == PK_RECORD ? acc->nargs : 0;
    Pm *d = parmatch_new(P, PK_RECORD);
    d->labels = ARENA_ARRAY(P->a, FieldDesc *, h->nargs + nacc + 1);
    for (int k = 0; k < h->nargs; k++) {
      bool seen = false;
      for (int j = 0; j < nacc; j++) seen |= acc->labels[j]->index == h->labels[k]->index;
      if (!seen) d->labels[d->nargs++] = h->labels[k];
    }
    for (int j = 0; j < nacc; j++) d->labels[d->nargs++] = acc->labels[j];
    d->args = omegas(P, d->nargs);
    acc = d;
  }
  return acc;
}

/* The sub-matrices of a matrix whose first column is simplified: one per
 * head constructor in order of first appearance (rows with that head,
 * then the rows with a variable head), and the default matrix (rows with
 * a variable head), all without the first column. */
typedef struct Groups {
  Pm **heads;
  Mat *mats;
  int n;
  Mat deflt;
} Groups;

static Groups specialize_all(PmCtx *P, Pm *discr, const Mat *m, int width) {
  Groups g = {0};
  g.heads = ARENA_ARRAY(P->a, Pm *, m->len + 1);
  g.mats = ARENA_ARRAY(P->a, Mat, m->len + 1);
  if (discr->kind == PK_TUPLE || discr->kind == PK_RECORD) {
    g.heads[0] = discr;
    g.n = 1;
  }
  for (int i = 0; i < m->len; i++) {
    Pm *h = m->rows[i][0];
    if (h->kind == PK_ANY || h->kind == PK_EXT) {
      mat_push(P, &g.deflt, m->rows[i] + 1);
      continue;
    }
    int k = 0;
    while (k < g.n && !head_equal(g.heads[k], h)) k++;
    if (k == g.n) g.heads[g.n++] = h;
    Pm *d = g.heads[k];
    mat_push(P, &g.mats[k], row_cons(P, match_args(P, d, h), head_arity(d), m->rows[i] + 1, width - 1));
  }
  for (int k = 0; k < g.n; k++)
    for (int i = 0; i < g.deflt.len; i++)
      mat_push(
          P, &g.mats[k],
          row_cons(P, omegas(P, head_arity(g.heads[k])), head_arity(g.heads[k]), g.deflt.rows[i], width - 1));
  return g;
}

/* ---- Polymorphic variant rows ---------------------------------------------- */

/* A row as the checks read it: its tags, sorted, each with its field
 * settled as far as it is, and the flags of the row's end. */
typedef struct RowInfo {
  const char **tags;
  RowField **fields; /* the last field of each tag's chain */
  bool *has_arg;     /* some field of the chain has an argument */
  int n;
  bool closed, fixed;
} RowInfo;

static RowInfo row_info(PmCtx *P, Type *t) {
  RowInfo ri = {0};
  int n = 0;
  Type *x;
  for (x = ty_repr(t); x->kind == TY_VARIANT; x = ty_repr(x->row->more)) n += x->row->n;
  ri.tags = ARENA_ARRAY(P->a, const char *, n + 1);
  ri.fields = ARENA_ARRAY(P->a, RowField *, n + 1);
  ri.has_arg = ARENA_ARRAY(P->a, bool, n + 1);
  for (x = ty_repr(t); x->kind == TY_VARIANT; x = ty_repr(x->row->more)) {
    RowDesc *r = x->row;
    ri.closed = r->closed;
    ri.fixed = r->fixed;
    for (int i = 0; i < r->n; i++) {
      RowField *f = r->fields[i];
      bool arg = false;
      for (;; f = f->link) {
        arg |= f->nargs > 0;
        if (!f->link) break;
      }
      int k = ri.n++;
      for (; k > 0 && strcmp(ri.tags[k - 1], r->tags[i]) > 0; k--) {
        ri.tags[k] = ri.tags[k - 1];
        ri.fields[k] = ri.fields[k - 1];
        ri.has_arg[k] = ri.has_arg[k - 1];
      }
      ri.tags[k] = r->tags[i];
      ri.fields[k] = f;
      ri.has_arg[k] = arg;
    }
  }
  return ri;
}

static bool group_has_tag(const Groups *g, const char *tag) {
  for (int k = 0; k < g->n; k++)
    if (strcmp(g->heads[k]->tag, tag) == 0) return true;
  return false;
}

/* OCaml's full_match for variants: when closing, the tags that are not
 * matched explicitly may still be dropped from the row. */
static bool full_match_variant(PmCtx *P, const Groups *g, bool closing) {
  RowInfo ri = row_info(P, g->heads[0]->row);
  if (closing && !ri.fixed) {
    for (int i = 0; i < ri.n; i++) {
      RowField *f = ri.fields[i];
      if (f->kind == RF_ABSENT || (f->kind == RF_EITHER && !f->matched)) continue;
      if (!group_has_tag(g, ri.tags[i])) return false;
    }
    return true;
  }
  if (!ri.closed) return false;
  for (int i = 0; i < ri.n; i++)
    if (ri.fields[i]->kind != RF_ABSENT && !group_has_tag(g, ri.tags[i])) return false;
  return true;
}

/* A tag its row has lost matches nothing (OCaml's is_absent_pat). */
static bool is_absent_pat(PmCtx *P, const Pm *p) {
  if (p->kind != PK_VARIANT || !p->row) return false;
  RowInfo ri = row_info(P, p->row);
  for (int i = 0; i < ri.n; i++)
    if (strcmp(ri.tags[i], p->tag) == 0) return ri.fields[i]->kind == RF_ABSENT;
  return true;
}

static Pm *variant_pat(PmCtx *P, const Pm *like, const char *tag, bool constant) {
  Pm *p = parmatch_new(P, PK_VARIANT);
  p->tag = tag;
  p->row = like->row;
  p->nargs = constant ? 0 : 1;
  p->args = omegas(P, 1);
  return p;
}

/* The tags the heads miss, as an or-pattern in the row's order; a tag
 * the row cannot have (`AnyOtherTag) when it misses none. */
static Pm *build_other_variant(PmCtx *P, const Groups *g) {
  const Pm *h = g->heads[0];
  RowInfo ri = row_info(P, h->row);
  Pm *acc = NULL;
  for (int i = ri.n - 1; i >= 0; i--) {
    if (group_has_tag(g, ri.tags[i]) || ri.fields[i]->kind == RF_ABSENT) continue;
    bool constant = ri.fields[i]->kind == RF_EITHER ? ri.fields[i]->constant : !ri.has_arg[i];
    Pm *p = variant_pat(P, h, ri.tags[i], constant);
    if (!acc) {
      acc = p;
      continue;
    }
    Pm *o = parmatch_new(P, PK_OR);
    o->l = p;
    o->r = acc;
    acc = o;
  }
  if (acc) return acc;
  if (ri.fixed) return variant_pat(P, h, "<some private tag>", true);
  const char *tag = "AnyOtherTag";
  while (group_has_tag(g, tag)) tag = arena_printf(P->a, "%s'", tag);
  return variant_pat(P, h, tag, true);
}

/* Whether the heads cover every value of their type (full_match). */

static bool full_match(PmCtx *P, const Groups *g) {
  if (g->n == 0) return false;
  const Pm *h = g->heads[0];
  switch (h->kind) {
  case PK_VARIANT: return full_match_variant(P, g, false);
  case PK_CONSTR:
    if (h->cd->is_exn) return false;
    return g->n == h->cd->nconsts + h->cd->nblocks;
  case PK_CONST: return h->cst.kind == CONST_CHAR && g->n == 256;
  case PK_TUPLE:
  case PK_RECORD: return true;
  default: return false;
  }
}

/* ---- Counter-examples ------------------------------------------------------- */

static Pm *with_args(PmCtx *P, const Pm *head, Pm **args) {
  Pm *p = parmatch_new(P, head->kind);
  *p = *head;
  int n = head_arity(head);
  p->args = ARENA_ARRAY(P->a, Pm *, n > 0 ? n : 1);
  for (int i = 0; i < n; i++) p->args[i] = args[i];
  return p;
}

/* alts[0] | alts[1] | ..., nested to the right as OCaml's orify_many;
 * NULL when n is 0. */
static Pm *or_of(PmCtx *P, Pm **alts, int n) {
  if (n == 0) return NULL;
  Pm *acc = alts[n - 1];
  for (int i = n - 2; i >= 0; i--) {
    Pm *o = parmatch_new(P, PK_OR);
    o->l = alts[i];
    o->r = acc;
    acc = o;
  }
  return acc;
}

static Pm *constr_pat(PmCtx *P, ConstrDesc *cd) {
  Pm *p = parmatch_new(P, PK_CONSTR);
  p->cd = cd;
  p->nargs = cd->nargs;
  p->args = omegas(P, cd->nargs);
  return p;
}

static bool const_used(const Groups *g, const Const *c) {
  for (int k = 0; k < g->n; k++)
    if (ast_const_equal(&g->heads[k]->cst, c)) return true;
  return false;
}

/* A value of the first column's type that no head matches (build_other). */
static Pm *build_other(PmCtx *P, const Groups *g) {
  const Pm *h = g->heads[0];
  if (h->kind == PK_VARIANT) return build_other_variant(P, g);
  if (h->kind == PK_CONSTR) {
    if (h->cd->is_exn) return parmatch_new(P, PK_EXT);
    TypeDecl *d = h->cd->decl;
    if (!d) return OMEGA;
    /* The missing constructors, constant ones first, as an or-pattern. */
    Pm *missing[d->nconstrs + 1];
    int n = 0;
    for (int pass = 0; pass < 2; pass++)
      for (int i = 0; i < d->nconstrs; i++) {
        ConstrDesc *c = d->constrs[i];
        if (c->constant != (pass == 0)) continue;
        bool used = false;
        for (int k = 0; k < g->n && !used; k++) used = constr_equal(g->heads[k]->cd, c);
        if (!used) missing[n++] = constr_pat(P, c);
      }
    return n == 0 ? OMEGA : or_of(P, missing, n);
  }
  if (h->kind == PK_ARRAY) {
    for (int len = 0;; len++) {
      bool used = false;
      for (int k = 0; k < g->n && !used; k++) used = g->heads[k]->nargs == len;
      if (!used) {
        Pm *p = parmatch_new(P, PK_ARRAY);
        p->nargs = len;
        p->args = omegas(P, len);
        return p;
      }
    }
  }
  if (h->kind != PK_CONST) return OMEGA;
  Pm *p = parmatch_new(P, PK_CONST);
  Const *c = &p->cst;
  c->kind = h->cst.kind;
  switch (h->cst.kind) {
  case CONST_CHAR: {
    static const int ranges[][2] = {{'a', 'z'}, {'A', 'Z'}, {'0', '9'}, {' ', '~'}, {0, 255}};
    for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++)
      for (int ch = ranges[r][0]; ch <= ranges[r][1]; ch++) {
        c->i = ch;
        if (!const_used(g, c)) return p;
      }
    return OMEGA;
  }
  case CONST_INT:
    for (c->i = 0; const_used(g, c); c->i++) {}
    return p;
  case CONST_STRING: {
    /* The shortest string of stars whose length no constant has. */
    for (int len = 0;; len++) {
      bool used = false;
      for (int k = 0; k < g->n && !used; k++) used = g->heads[k]->cst.slen == len;
      if (!used) {
        char *s = ARENA_ARRAY(P->a, char, len + 1);
        memset(s, '*', (size_t)len);
        c->s = s;
        c->slen = len;
        return p;
      }
    }
  }
  case CONST_FLOAT:
    for (c->f = 0.0; const_used(g, c); c->f += 1.0) {}
    c->s = arena_printf(P->a, "%.12g.", c->f); /* string_of_float of an integer */
    return p;
  }
  return OMEGA;
}

/* OCaml's exhaust, a sequence of the rows of values (width patterns)
 * that no row of m matches, in its order: each is handed to k, which
 * says whether to stop (true) or to look for the next. Continuations
 * rebuild the whole row from the part found below them. */
typedef struct Kont Kont;
struct Kont {
  bool (*fn)(PmCtx *P, Kont *k, Pm **row);
  Kont *up;
  Pm *head; /* the pattern put in front of the part found */
  int ar;   /* head's arity: that many patterns of the part are its args */
  int width;
};

static bool k_prefix(PmCtx *P, Kont *k, Pm **w) {
  Pm *p = k->ar ? with_args(P, k->head, w) : k->head;
  return k->up->fn(P, k->up, row_cons(P, &p, 1, w + k->ar, k->width - 1));
}

static bool exhaust(PmCtx *P, const Mat *m0, int width, Kont *k) {
  if (--P->fuel < 0) return false;
  if (m0->len == 0) return k->fn(P, k, omegas(P, width));
  if (width == 0) return false;
  Mat m = simplify_first_col(P, m0, width);
  Pm *q0 = discr_pat(P, OMEGA, &m);
  Groups g = specialize_all(P, q0, &m, width);
  if (g.n == 0) {
    Kont kk = {k_prefix, k, OMEGA, 0, width};
    return exhaust(P, &g.deflt, width - 1, &kk);
  }
  for (int i = 0; i < g.n; i++) {
    int ar = head_arity(g.heads[i]);
    if (is_absent_pat(P, g.heads[i])) continue;
    Kont kk = {k_prefix, k, g.heads[i], ar, width};
    if (exhaust(P, &g.mats[i], ar + width - 1, &kk)) return true;
  }
  if (full_match(P, &g)) return false;
  Kont kk = {k_prefix, k, build_other(P, &g), 0, width};
  return exhaust(P, &g.deflt, width - 1, &kk);
}

/* Whether the row qs (width patterns) matches a value that no row of m
 * matches (OCaml's satisfiable, for types without GADTs). */
static bool satisfiable(PmCtx *P, const Mat *m0, Pm **qs, int width) {
  if (m0->len == 0) return true;
  if (width == 0) return false;
  if (--P->fuel < 0) return true;
  Pm *q = qs[0];
  if (q->kind == PK_OR)
    return satisfiable(P, m0, row_cons(P, &q->l, 1, qs + 1, width - 1), width) ||
           satisfiable(P, m0, row_cons(P, &q->r, 1, qs + 1, width - 1), width);
  if (is_absent_pat(P, q)) return false;
  Mat m = simplify_first_col(P, m0, width);
  if (q->kind == PK_ANY || q->kind == PK_EXT) {
    Pm *q0 = discr_pat(P, OMEGA, &m);
    Groups g = specialize_all(P, q0, &m, width);
    if (!full_match(P, &g)) return satisfiable(P, &g.deflt, qs + 1, width - 1);
    for (int k = 0; k < g.n; k++) {
      int ar = head_arity(g.heads[k]);
      if (satisfiable(P, &g.mats[k], row_cons(P, omegas(P, ar), ar, qs + 1, width - 1), ar + width - 1))
        return true;
    }
    return false;
  }
  Pm *q0 = discr_pat(P, q, &m);
  int ar = head_arity(q0);
  Mat s = {0};
  for (int i = 0; i < m.len; i++) {
    Pm *h = m.rows[i][0];
    if (h->kind == PK_ANY || h->kind == PK_EXT || head_equal(q0, h))
      mat_push(P, &s, row_cons(P, match_args(P, q0, h), ar, m.rows[i] + 1, width - 1));
  }
  return satisfiable(P, &s, row_cons(P, match_args(P, q0, q), ar, qs + 1, width - 1), ar + width - 1);
}

/* Whether some row of m may match the value qs (do_match). */
static bool do_match(PmCtx *P, const Mat *m0, Pm **qs, int width) {
  if (width == 0) return m0->len > 0;
  Pm *q = qs[0];
  if (q->kind == PK_OR)
    return do_match(P, m0, row_cons(P, &q->l, 1, qs + 1, width - 1), width) ||
           do_match(P, m0, row_cons(P, &q->r, 1, qs + 1, width - 1), width);
  Mat s = {0};
  if (q->kind == PK_ANY || q->kind == PK_EXT) {
    for (int i = 0; i < m0->len; i++) mat_push(P, &s, m0->rows[i] + 1);
    return do_match(P, &s, qs + 1, width - 1);
  }
  Mat m = simplify_first_col(P, m0, width);
  int ar = head_arity(q);
  for (int i = 0; i < m.len; i++) {
    Pm *h = m.rows[i][0];
    if (h->kind == PK_ANY || h->kind == PK_EXT || head_equal(q, h))
      mat_push(P, &s, row_cons(P, match_args(P, q, h), ar, m.rows[i] + 1, width - 1));
  }
  return do_match(P, &s, row_cons(P, q->args, ar, qs + 1, width - 1), ar + width - 1);
}

static bool contains_extension(const Pm *p) {
  switch (p->kind) {
  case PK_EXT: return true;
  case PK_OR: return contains_extension(p->l) || contains_extension(p->r);
  default:
    for (int i = 0; i < head_arity(p); i++)
      if (contains_extension(p->args[i])) return true;
    return false;
  }
}

/* ---- Printing (OCaml's Printpat) ---------------------------------------------- */

static void print_pm(Buf *b, const Pm *p);

static void print_char_lit(Buf *b, int c) {
  switch (c) {
  case '\\': buf_puts(b, "'\\\\'"); return;
  case '\'': buf_puts(b, "'\\''"); return;
  case '\n': buf_puts(b, "'\\n'"); return;
  case '\t': buf_puts(b, "'\\t'"); return;
  case '\r': buf_puts(b, "'\\r'"); return;
  case '\b': buf_puts(b, "'\\b'"); return;
  default:
    if (c >= 32 && c <= 126) buf_printf(b, "'%c'", c);
    else buf_printf(b, "'\\%03d'", c);
  }
}

static bool is_cons(const Pm *p) {
  return p->kind == PK_CONSTR && p->nargs == 2 && strcmp(p->cd->name, "::") == 0;
}

static void print_vals(Buf *b, Pm **ps, int n, const char *sep) {
  for (int i = 0; i < n; i++) {
    if (i) buf_printf(b, "%s ", sep);
    print_pm(b, ps[i]);
  }
}

static void print_car(Buf *b, const Pm *p) {
  if (is_cons(p)) {
    buf_putc(b, '(');
    print_pm(b, p);
    buf_putc(b, ')');
  } else {
    print_pm(b, p);
  }
}

static void print_cdr(Buf *b, const Pm *p) {
  if (is_cons(p)) {
    print_car(b, p->args[0]);
    buf_puts(b, "::");
    print_cdr(b, p->args[1]);
  } else {
    print_pm(b, p);
  }
}

static void print_or(Buf *b, const Pm *p) {
  if (p->kind == PK_OR) {
    print_or(b, p->l);
    buf_putc(b, '|');
    print_or(b, p->r);
  } else {
    print_pm(b, p);
  }
}

static void print_const(Buf *b, const Const *c) {
  switch (c->kind) {
  case CONST_INT: buf_printf(b, "%lld", (long long)c->i); return;
  case CONST_CHAR: print_char_lit(b, (int)c->i); return;
  case CONST_STRING: buf_caml_string(b, c->s, c->slen); return;
  case CONST_FLOAT: buf_puts(b, c->s); return;
  }
}

static void print_pm(Buf *b, const Pm *p) {
  switch (p->kind) {
  case PK_ANY: buf_putc(b, '_'); return;
  case PK_EXT: buf_puts(b, "*extension*"); return;
  case PK_CONST: print_const(b, &p->cst); return;
  case PK_TUPLE:
    buf_putc(b, '(');
    print_vals(b, p->args, p->nargs, ",");
    buf_putc(b, ')');
    return;
  case PK_CONSTR:
    if (p->nargs == 0) {
      buf_puts(b, p->cd->name);
    } else if (is_cons(p)) {
      print_car(b, p->args[0]);
      buf_puts(b, "::");
      print_cdr(b, p->args[1]);
    } else if (p->nargs == 1) {
      buf_printf(b, "%s ", p->cd->name);
      const Pm *a = p->args[0];
      bool paren = (a->kind == PK_CONSTR || a->kind == PK_VARIANT) && a->nargs > 0;
      if (paren) buf_putc(b, '(');
      print_pm(b, a);
      if (paren) buf_putc(b, ')');
    } else {
      buf_printf(b, "%s (", p->cd->name);
      print_vals(b, p->args, p->nargs, ",");
      buf_putc(b, ')');
    }
    return;
  case PK_RECORD: {
    int shown = 0;
    for (int i = 0; i < p->nargs; i++) {
      if (p->args[i]->kind == PK_ANY) continue;
      buf_puts(b, shown ? "; " : "{");
      buf_printf(b, "%s=", p->labels[i]->name);
      print_pm(b, p->args[i]);
      shown++;
    }
    if (!shown) {
      buf_putc(b, '_');
      return;
    }
    if (p->labels[0]->decl && p->labels[0]->decl->nfields > shown) buf_puts(b, "; _ ");
    buf_putc(b, '}');
    return;
  }
  case PK_ARRAY:
    buf_puts(b, "[| ");
    print_vals(b, p->args, p->nargs, " ;");
    buf_puts(b, " |]");
    return;
  case PK_OR:
    buf_putc(b, '(');
    print_or(b, p);
    buf_putc(b, ')');
    return;
  case PK_VARIANT: {
    buf_printf(b, "`%s", p->tag);
    if (p->nargs == 0) return;
    const Pm *a = p->args[0];
    bool paren = (a->kind == PK_CONSTR || a->kind == PK_VARIANT) && a->nargs > 0;
    buf_puts(b, paren ? " (" : " ");
    print_pm(b, a);
    if (paren) buf_putc(b, ')');
    return;
  }
  }
}

/* ---- The checks --------------------------------------------------------------- */

static PmCtx parmatch_ctx(Arena *a, PmTyper *ty) { return (PmCtx){a, 2000000, ty, 0, false}; }

/* ---- Typing counter-examples (GADTs) ------------------------------------------ */

static bool has_gadt(const Pm *p) {
  if (p->kind == PK_CONSTR && p->cd->gadt) return true;
  if (p->kind == PK_OR) return has_gadt(p->l) || has_gadt(p->r);
  if (p->kind == PK_ANY || p->kind == PK_EXT || p->kind == PK_CONST) return false;
  for (int i = 0; i < p->nargs; i++)
    if (has_gadt(p->args[i])) return true;
  return false;
}

static void flatten_or(PmCtx *P, Pm *o, PtrVec *alts);

/* Typing a counter-example goes depth first, left to right, each part in
 * the state (equations) the parts before it left, and gives the typed
 * pattern to a continuation, which types what follows it: an alternative
 * that leads nowhere further on is backtracked over (OCaml's type_pat in
 * counter-example mode, with its continuations). */
typedef struct PmK PmK;
struct PmK {
  Pm *(*fn)(PmCtx *P, PmK *k, Pm *typed);
  PmK *up;
  Pm *head;  /* k_arg: the pattern whose arguments are being typed */
  Pm **args; /* their typed forms so far */
  Type **tys;
  int i, fuel;
};

static Pm *pm_typed(PmCtx *P, Pm *q, Type *ty, PmK *k);

static Pm *k_done(PmCtx *P, PmK *k, Pm *typed) {
  (void)P;
  (void)k;
  return typed;
}

static Pm *k_arg(PmCtx *P, PmK *k, Pm *typed) {
  k->args[k->i] = typed;
  int n = head_arity(k->head);
  if (k->i + 1 == n) return k->up->fn(P, k->up, with_args(P, k->head, k->args));
  PmK next = *k;
  next.i = k->i + 1;
  return pm_typed(P, k->head->args[next.i], k->tys[next.i], &next);
}

/* Back from an exploded wildcard: what follows has the fuel it had. */
static Pm *k_fuel(PmCtx *P, PmK *k, Pm *typed) {
  int inner = P->explode;
  P->explode = k->fuel;
  Pm *r = k->up->fn(P, k->up, typed);
  P->explode = inner;
  return r;
}

/* An or-pattern: alternatives with GADT constructors (or wildcards to
 * explode) are tried in turn, the first that leads to a typed whole is
 * kept (OCaml's split_or); other alternatives are typed each on its own
 * and the ones that can be are kept together (Refine_or). */
static Pm *or_typed(PmCtx *P, Pm *q, Type *ty, PmK *k) {
  PtrVec alts = {0};
  flatten_or(P, q, &alts);
  bool split = P->split;
  for (int i = 0; i < alts.len; i++) split |= has_gadt(alts.items[i]);
  PmTyper *T = P->ty;
  if (split) {
    for (int i = 0; i < alts.len; i++) {
      PmMark m = T->mark(T->cl);
      Pm *r = pm_typed(P, alts.items[i], ty, k);
      if (r) return r;
      T->undo(T->cl, m);
    }
    return NULL;
  }
  Pm **kept = ARENA_ARRAY(P->a, Pm *, alts.len + 1);
  int n = 0;
  for (int i = 0; i < alts.len; i++) {
    PmMark m = T->mark(T->cl);
    PmK done = {k_done, NULL, NULL, NULL, NULL, 0, 0};
    Pm *a = pm_typed(P, alts.items[i], ty, &done);
    T->undo(T->cl, m);
    if (a) kept[n++] = a;
  }
  if (n == 0) return NULL;
  return k->fn(P, k, or_of(P, kept, n));
}

/* A wildcard checked as the values of its type it stands for, while the
 * fuel lasts (OCaml's explosion of wildcards in counter-examples): the
 * constructors of a GADT, a tuple or record of wildcards; nothing when
 * the type has no value at all. */
static Pm *explode_any(PmCtx *P, Pm *q, Type *ty, PmK *k) {
  PmTyper *T = P->ty;
  TypeDecl *d = NULL;
  int n = 0;
  Pm *e = NULL;
  int cost = 1;
  switch (T->shape(T->cl, ty, &d, &n)) {
  case PM_EMPTY: return NULL;
  case PM_CONSTRS:
    if (d->nconstrs == 0) return NULL;
    Pm **cs = ARENA_ARRAY(P->a, Pm *, d->nconstrs);
    for (int i = 0; i < d->nconstrs; i++) cs[i] = constr_pat(P, d->constrs[i]);
    e = or_of(P, cs, d->nconstrs);
    if (d->nconstrs > 1) cost = 5;
    break;
  case PM_TUPLE:
    e = parmatch_new(P, PK_TUPLE);
    e->nargs = n;
    e->args = omegas(P, n);
    break;
  case PM_RECORD:
    e = parmatch_new(P, PK_RECORD);
    e->nargs = d->nfields;
    e->labels = d->fields;
    e->args = omegas(P, d->nfields);
    break;
  default: return k->fn(P, k, q);
  }
  PmK back = {k_fuel, k, NULL, NULL, NULL, 0, P->explode};
  P->explode -= cost;
  Pm *r = pm_typed(P, e, ty, &back);
  P->explode = back.fuel;
  return r;
}

/* q as a pattern of type ty, handed to k; NULL when no value of that
 * type has its shape, or none leads to a typed whole. */
static Pm *pm_typed(PmCtx *P, Pm *q, Type *ty, PmK *k) {
  PmTyper *T = P->ty;
  int n = head_arity(q);
  Type **tys = ARENA_ARRAY(P->a, Type *, n + 1);
  switch (q->kind) {
  case PK_OR: return or_typed(P, q, ty, k);
  case PK_ANY: return P->explode > 0 ? explode_any(P, q, ty, k) : k->fn(P, k, q);
  case PK_CONSTR:
    if (!q->cd->decl) return k->fn(P, k, q); /* exceptions */
    if (!T->constr(T->cl, q->cd, ty, tys)) return NULL;
    break;
  case PK_TUPLE:
    if (!T->tuple(T->cl, ty, n, tys)) return NULL;
    break;
  case PK_RECORD:
    if (!T->record(T->cl, ty, q->labels, n, tys)) return NULL;
    break;
  default: return k->fn(P, k, q);
  }
  if (n == 0) return k->fn(P, k, q);
  PmK karg = {k_arg, k, q, ARENA_ARRAY(P->a, Pm *, n), tys, 0, 0};
  return pm_typed(P, q->args[0], tys[0], &karg);
}

/* q typed at the matched type (see pm_typed), the typer's state as it
 * was afterwards. */
static Pm *pm_check(PmCtx *P, Pm *q) {
  PmMark m = P->ty->mark(P->ty->cl);
  PmK done = {k_done, NULL, NULL, NULL, NULL, 0, 0};
  Pm *typed = pm_typed(P, q, P->ty->ty, &done);
  P->ty->undo(P->ty->cl, m);
  return typed;
}

static bool k_first(PmCtx *P, Kont *k, Pm **row) {
  k->head = row[0];
  if (!P->ty) return true;
  k->head = pm_check(P, row[0]);
  return k->head != NULL;
}

/* The first counter-example of the unguarded cases, or NULL. */
static Pm *counter_example(PmCtx *P, Pm **pats, int n) {
  Mat m = {0};
  for (int i = 0; i < n; i++) mat_push(P, &m, &pats[i]);
  Kont k = {k_first, NULL, NULL, 0, 1};
  return exhaust(P, &m, 1, &k) ? k.head : NULL;
}

const char *parmatch_counter_example(Arena *a, Pattern **pats, int n) {
  PmCtx P = parmatch_ctx(a, NULL);
  Pm **ps = ARENA_ARRAY(a, Pm *, n > 0 ? n : 1);
  for (int i = 0; i < n; i++) ps[i] = of_pat(&P, pats[i]);
  Pm *w = counter_example(&P, ps, n);
  if (!w) return NULL;
  Buf b;
  buf_init(&b);
  print_pm(&b, w);
  const char *s = arena_strdup(a, b.data ? b.data : "");
  buf_free(&b);
  return s;
}

/* Whether p matches every value q matches (OCaml's le_pat: p is more
 * general), structurally where the heads agree, else by usefulness. */
static bool le_pm(PmCtx *P, Pm *p, Pm *q) {
  if (p->kind == PK_ANY) return true;
  if (p->kind != PK_OR && q->kind != PK_OR && p->kind == q->kind) {
    switch (p->kind) {
    case PK_CONST: return ast_const_equal(&p->cst, &q->cst);
    case PK_CONSTR:
      if (!constr_equal(p->cd, q->cd)) return false;
      break;
    case PK_VARIANT:
      if (strcmp(p->tag, q->tag) != 0 || p->nargs != q->nargs) return false;
      break;
    case PK_ARRAY:
      if (p->nargs != q->nargs) return false;
      break;
    case PK_TUPLE: break;
    default: goto enumerate;
    }
    for (int i = 0; i < head_arity(p); i++)
      if (!le_pm(P, p->args[i], q->args[i])) return false;
    return true;
  }
enumerate:;
  Mat m = {0};
  mat_push(P, &m, &p);
  return !satisfiable(P, &m, &q, 1);
}

/* The rows no other row is more general than (OCaml's get_mins): two
 * passes, each dropping a row a later one covers. */
static int get_mins(PmCtx *P, Pm **ps, int n) {
  for (int pass = 0; pass < 2; pass++) {
    Pm **kept = ARENA_ARRAY(P->a, Pm *, n > 0 ? n : 1);
    int k = 0;
    for (int i = 0; i < n; i++) {
      bool covered = false;
      for (int j = i + 1; j < n && !covered; j++) covered = le_pm(P, ps[j], ps[i]);
      if (!covered) kept[k++] = ps[i];
    }
    /* select_rec returns the kept rows reversed. */
    for (int i = 0; i < k; i++) ps[i] = kept[k - 1 - i];
    n = k;
  }
  return n;
}

static void check_partial(Ctx *ctx, PmCtx *P, Loc loc, Pm **pats, Case **cases, int n) {
  Pm **unguarded = ARENA_ARRAY(P->a, Pm *, n > 0 ? n : 1);
  int nu = 0;
  Mat guarded = {0};
  for (int i = 0; i < n; i++) {
    if (cases && cases[i]->guard) mat_push(P, &guarded, &pats[i]);
    else unguarded[nu++] = pats[i];
  }
  nu = get_mins(P, unguarded, nu);
  /* A match of one case explodes the wildcards of its counter-examples
   * (OCaml's check_partial). */
  P->explode = n == 1 ? 5 : 0;
  Pm *w = counter_example(P, unguarded, nu);
  P->explode = 0;
  if (!w) return;
  Buf b;
  buf_init(&b);
  buf_puts(&b,
           "this pattern-matching is not exhaustive.\nHere is an example of a case that is not matched:\n");
  print_pm(&b, w);
  if (do_match(P, &guarded, &w, 1)) buf_puts(&b, "\n(However, some guarded clause may match this value.)");
  if (contains_extension(w))
    buf_puts(&b, "\nMatching over values of extensible variant types (the *extension* above)\n"
                 "must include a wild card pattern in order to be exhaustive.");
  ctx_warn(ctx, loc, 8, "partial-match", b.data);
  buf_free(&b);
}

/* p with the node `at` replaced by `by`. */
static Pm *replace(PmCtx *P, Pm *p, const Pm *at, Pm *by) {
  if (p == at) return by;
  if (p->kind == PK_OR) {
    Pm *l = replace(P, p->l, at, by), *r = replace(P, p->r, at, by);
    if (l == p->l && r == p->r) return p;
    Pm *q = parmatch_new(P, PK_OR);
    *q = *p;
    q->l = l;
    q->r = r;
    return q;
  }
  int n = head_arity(p);
  if (p->kind == PK_ANY || p->kind == PK_EXT || n == 0) return p;
  Pm **args = NULL;
  for (int i = 0; i < n; i++) {
    Pm *a = replace(P, p->args[i], at, by);
    if (a != p->args[i] && !args) {
      args = ARENA_ARRAY(P->a, Pm *, n);
      memcpy(args, p->args, sizeof(Pm *) * (size_t)n);
    }
    if (args) args[i] = a;
  }
  return args ? with_args(P, p, args) : p;
}

static void flatten_or(PmCtx *P, Pm *o, PtrVec *alts) {
  if (o->kind == PK_OR && !o->range) {
    flatten_or(P, o->l, alts);
    flatten_or(P, o->r, alts);
  } else {
    ptrvec_push(P->a, alts, o);
  }
}

static void check_subpatterns(Ctx *ctx, PmCtx *P, Mat *prev, Pm *q, Pm *node);

/* Warning 12 for each alternative of the or-pattern `node` of q that
 * matches nothing the previous rows and the earlier alternatives leave. */
static void check_or(Ctx *ctx, PmCtx *P, Mat *prev, Pm *q, Pm *node) {
  PtrVec alts = {0};
  flatten_or(P, node, &alts);
  Mat ctxm = *prev;
  Mat m = {0};
  for (int i = 0; i < ctxm.len; i++) mat_push(P, &m, ctxm.rows[i]);
  for (int k = 0; k < alts.len; k++) {
    Pm *alt = alts.items[k];
    Pm *qk = replace(P, q, node, alt);
    if (!satisfiable(P, &m, &qk, 1)) {
      ctx_warn(ctx, alt->loc, 12, "redundant-subpat", "this sub-pattern is unused.");
    } else {
      check_subpatterns(ctx, P, &m, qk, alt);
    }
    Pm **row = ARENA_ARRAY(P->a, Pm *, 1);
    row[0] = qk;
    mat_push(P, &m, row);
  }
}

/* Looks for or-patterns inside node (a part of q) that are not inside
 * another or-pattern of node. */
static void check_subpatterns(Ctx *ctx, PmCtx *P, Mat *prev, Pm *q, Pm *node) {
  if (node->kind == PK_OR) {
    if (!node->range) check_or(ctx, P, prev, q, node);
    return;
  }
  for (int i = 0; i < head_arity(node); i++)
    if (node->kind != PK_ANY && node->kind != PK_EXT) check_subpatterns(ctx, P, prev, q, node->args[i]);
}

/* OCaml's list_satisfying_vectors: the rows of values (width patterns)
 * that qs matches and no row of m does, as patterns, appended to out. */
static void sat_vectors(PmCtx *P, const Mat *m, Pm **qs, int width, PtrVec *out) {
  if (--P->fuel < 0) return;
  if (m->len == 0) {
    ptrvec_push(P->a, out, qs);
    return;
  }
  if (width == 0) return;
  Pm *q = qs[0];
  if (q->kind == PK_OR) {
    Pm **l = row_cons(P, &q->l, 1, qs + 1, width - 1), **r = row_cons(P, &q->r, 1, qs + 1, width - 1);
    sat_vectors(P, m, l, width, out);
    sat_vectors(P, m, r, width, out);
    return;
  }
  Mat s = simplify_first_col(P, m, width);
  Pm *q0 = discr_pat(P, q->kind == PK_EXT ? OMEGA : q, &s);
  Groups g = specialize_all(P, q0, &s, width);
  if (q->kind == PK_ANY || q->kind == PK_EXT) {
    /* For each head of the column, then the values none of them has. */
    bool full = full_match(P, &g);
    if (g.n > 0 && !full && g.heads[0]->kind == PK_CONSTR) {
      PtrVec w = {0};
      sat_vectors(P, &g.deflt, qs + 1, width - 1, &w);
      Pm *other = build_other(P, &g);
      for (int k = 0; k < w.len; k++) ptrvec_push(P->a, out, row_cons(P, &other, 1, w.items[k], width - 1));
    } else if (g.n == 0 || !full) {
      PtrVec w = {0};
      sat_vectors(P, &g.deflt, qs + 1, width - 1, &w);
      for (int k = 0; k < w.len; k++)
        ptrvec_push(P->a, out, row_cons(P, (Pm *[]){OMEGA}, 1, w.items[k], width - 1));
      return;
    }
    for (int i = 0; i < g.n; i++) {
      int ar = head_arity(g.heads[i]);
      PtrVec w = {0};
      sat_vectors(P, &g.mats[i], row_cons(P, omegas(P, ar), ar, qs + 1, width - 1), ar + width - 1, &w);
      for (int k = 0; k < w.len; k++) {
        Pm **row = w.items[k];
        Pm *p = with_args(P, g.heads[i], row);
        ptrvec_push(P->a, out, row_cons(P, &p, 1, row + ar, width - 1));
      }
    }
    return;
  }
  /* A head: the rows with that head (and the wildcard rows). */
  int ar = head_arity(q0);
  Mat sub = {0};
  int k = 0;
  while (k < g.n && !head_equal(g.heads[k], q0)) k++;
  if (k < g.n) {
    sub = g.mats[k];
  } else {
    for (int i = 0; i < g.deflt.len; i++)
      mat_push(P, &sub, row_cons(P, omegas(P, ar), ar, g.deflt.rows[i], width - 1));
  }
  PtrVec w = {0};
  sat_vectors(P, &sub, row_cons(P, match_args(P, q0, q), ar, qs + 1, width - 1), ar + width - 1, &w);
  for (int i = 0; i < w.len; i++) {
    Pm **row = w.items[i];
    Pm *p = with_args(P, q0, row);
    ptrvec_push(P->a, out, row_cons(P, &p, 1, row + ar, width - 1));
  }
}

/* The values q matches that no earlier row does, typed (and wildcards
 * exploded): NULL when none can have the matched type. */
static Pm *reachable_by(PmCtx *P, Mat *prev, Pm *q) {
  PtrVec vs = {0};
  sat_vectors(P, prev, &q, 1, &vs);
  if (vs.len == 0) return NULL;
  Pm **firsts = ARENA_ARRAY(P->a, Pm *, vs.len);
  for (int i = 0; i < vs.len; i++) firsts[i] = ((Pm **)vs.items[i])[0];
  Pm *u = or_of(P, firsts, vs.len);
  P->explode = 5;
  P->split = true;
  Pm *typed = pm_check(P, u);
  P->explode = 0;
  P->split = false;
  return typed;
}

static void check_unused(Ctx *ctx, PmCtx *P, Pm **pats, Case **cases, int n) {
  Mat prev = {0};
  for (int i = 0; i < n; i++) {
    Pm *q = pats[i];
    Pattern *p = cases[i]->pat;
    if (p->kind == PAT_EXCEPTION) p = p->arg;
    bool refute = cases[i]->body->kind == EXP_UNREACHABLE;
    bool used = satisfiable(P, &prev, &q, 1);
    /* Cases the types keep from being reached (OCaml's check_unused):
     * `p -> .` must be one, another one is warned about (56). */
    if (used && P->ty && P->ty->unreachable && (refute || prev.len > 0)) {
      Pm *reach = reachable_by(P, &prev, q);
      if (reach && refute) {
        Buf b, pat;
        buf_init(&b);
        buf_init(&pat);
        print_pm(&pat, reach);
        /* Typecore's "@[%s@ %s@ %a@]" after "Error: " (7 columns). */
        const char *l2 = "Here is an example of a value that would reach it:";
        bool fits = 7 + (int)strlen(l2) + 1 + pat.len <= 80;
        buf_printf(&b, "This match case could not be refuted.\n       %s%s%s", l2, fits ? " " : "\n       ",
                   pat.data);
        P->ty->err = arena_strdup(P->a, b.data);
        buf_free(&pat);
        P->ty->err_loc = p->loc;
        buf_free(&b);
        return;
      }
      if (!reach && !refute) {
        ctx_warn(
            ctx, p->loc, 56, "unreachable-case",
            "this match case is unreachable.\nConsider replacing it with a refutation case '<pat> -> .'");
        used = false;
        if (!cases[i]->guard) mat_push(P, &prev, &pats[i]);
        continue;
      }
    }
    if (!used) {
      if (!refute) ctx_warn(ctx, p->loc, 11, "redundant-case", "this match case is unused.");
    } else {
      check_subpatterns(ctx, P, &prev, q, q);
    }
    if (!cases[i]->guard) mat_push(P, &prev, &pats[i]);
  }
}

/* A case's alternatives `p | exception q` split into value and exception
 * patterns (OCaml's split_cases): *val and *exn are NULL when none. */
static void split_case(PmCtx *P, const Pattern *p, Pm **val, Pm **exn) {
  if (p->kind == PAT_EXCEPTION) {
    *val = NULL;
    *exn = of_pat(P, p->arg);
    return;
  }
  if (p->kind != PAT_OR) {
    *val = of_pat(P, p);
    *exn = NULL;
    return;
  }
  Pm *lv, *le, *rv, *re;
  split_case(P, p->arg, &lv, &le);
  split_case(P, p->arg2, &rv, &re);
  Pm *parts[2][2] = {{lv, rv}, {le, re}};
  Pm **outs[2] = {val, exn};
  for (int k = 0; k < 2; k++) {
    Pm *a = parts[k][0], *b = parts[k][1];
    if (a && b) {
      Pm *o = parmatch_new(P, PK_OR);
      o->loc = p->loc;
      o->l = a;
      o->r = b;
      *outs[k] = o;
    } else {
      *outs[k] = a ? a : b;
    }
  }
}

void parmatch_check_cases(Ctx *ctx, Loc loc, Case *cases, int ncases, bool partial, PmTyper *ty) {
  parmatch_check_partial(ctx, loc, cases, ncases, partial, ty);
  parmatch_check_unused(ctx, cases, ncases, ty);
}

/* The value and exception patterns of the cases. */
typedef struct SplitCases {
  Case **vals, **exns;
  Pm **vpats, **epats;
  int nv, ne;
} SplitCases;

static SplitCases split_cases(PmCtx *P, Case *cases, int ncases) {
  SplitCases c = {0};
  c.vals = ARENA_ARRAY(P->a, Case *, ncases + 1);
  c.exns = ARENA_ARRAY(P->a, Case *, ncases + 1);
  c.vpats = ARENA_ARRAY(P->a, Pm *, ncases + 1);
  c.epats = ARENA_ARRAY(P->a, Pm *, ncases + 1);
  for (int i = 0; i < ncases; i++) {
    Pm *v, *x;
    split_case(P, cases[i].pat, &v, &x);
    if (x) {
      c.exns[c.ne] = &cases[i];
      c.epats[c.ne++] = x;
    }
    if (v) {
      c.vals[c.nv] = &cases[i];
      c.vpats[c.nv++] = v;
    }
  }
  return c;
}

void parmatch_check_partial(Ctx *ctx, Loc loc, Case *cases, int ncases, bool partial, PmTyper *ty) {
  if (!partial) return;
  PmCtx P = parmatch_ctx(ctx->arena, ty);
  SplitCases c = split_cases(&P, cases, ncases);
  if (c.nv > 0) check_partial(ctx, &P, loc, c.vpats, c.vals, c.nv);
}

void parmatch_check_unused(Ctx *ctx, Case *cases, int ncases, PmTyper *ty) {
  PmCtx P = parmatch_ctx(ctx->arena, ty);
  SplitCases c = split_cases(&P, cases, ncases);
  check_unused(ctx, &P, c.vpats, c.vals, c.nv);
  check_unused(ctx, &P, c.epats, c.exns, c.ne);
}

void parmatch_check_let(Ctx *ctx, Loc loc, Pattern *p) {
  PmCtx P = parmatch_ctx(ctx->arena, NULL);
  Pm *q = of_pat(&P, p);
  check_partial(ctx, &P, loc, &q, NULL, 1);
}

/* ---- Closing variant rows (OCaml's pressure_variants) ---------------------- */

typedef struct Pressure {
  void (*close)(void *arg, Type *row);
  void *arg;
} Pressure;

static bool pressure(PmCtx *P, Pressure *pc, const Mat *m0, int width, bool tdefs);

/* Every group pressed, whatever the earlier ones answer. */
static bool press_groups(PmCtx *P, Pressure *pc, const Groups *g, int width, bool tdefs) {
  bool ok = true;
  for (int k = 0; k < g->n; k++) {
    int ar = head_arity(g->heads[k]);
    ok = pressure(P, pc, &g->mats[k], ar + width - 1, tdefs) && ok;
  }
  return ok;
}

/* Rows with a head other than `_` end in a constant, so that they never
 * count as reaching the end of the matrix (OCaml's mark_partial). */
static Mat mark_partial(PmCtx *P, const Mat *m, int width) {
  static Pm zero = {.kind = PK_CONST, .cst = {.kind = CONST_INT}};
  Mat out = {0};
  for (int i = 0; i < m->len; i++) {
    Pm **row = m->rows[i];
    if (row[0]->kind != PK_ANY && row[0]->kind != PK_EXT) {
      row = row_cons(P, row, width, NULL, 0);
      row[width - 1] = &zero;
    }
    mat_push(P, &out, row);
  }
  return out;
}

/* Whether some row may reach the end of m; closes (through pc) the rows
 * of the variant heads that the rows cover without a catch-all, when
 * tdefs. */
static bool pressure(PmCtx *P, Pressure *pc, const Mat *m0, int width, bool tdefs) {
  if (m0->len == 0) return false;
  if (width == 0) return true;
  if (--P->fuel < 0) return true;
  Mat m = simplify_first_col(P, m0, width);
  Pm *q0 = discr_pat(P, OMEGA, &m);
  Groups g = specialize_all(P, q0, &m, width);
  if (g.n == 0) return pressure(P, pc, &g.deflt, width - 1, tdefs);
  bool is_variant = g.heads[0]->kind == PK_VARIANT;
  bool full = is_variant ? full_match_variant(P, &g, !tdefs) : full_match(P, &g);
  if (full) return press_groups(P, pc, &g, width, tdefs);
  if (!tdefs) return pressure(P, pc, &g.deflt, width - 1, false);
  bool closing_full = is_variant ? full_match_variant(P, &g, true) : full;
  bool ok;
  if (closing_full) {
    ok = press_groups(P, pc, &g, width, tdefs);
  } else {
    Mat mp = mark_partial(P, &m, width);
    Mat ms = simplify_first_col(P, &mp, width);
    Groups gp = specialize_all(P, discr_pat(P, OMEGA, &ms), &ms, width);
    ok = press_groups(P, pc, &gp, width, tdefs);
  }
  if (is_variant) {
    RowInfo ri = row_info(P, g.heads[0]->row);
    if (!ri.fixed && !pressure(P, pc, &g.deflt, width - 1, false)) pc->close(pc->arg, g.heads[0]->row);
  }
  return ok;
}

void parmatch_pressure_variants(Arena *a, Pattern **pats, int n, void (*close)(void *arg, Type *row),
                                void *arg) {
  PmCtx P = parmatch_ctx(a, NULL);
  Pressure pc = {close, arg};
  Mat m = {0};
  /* Each row ends in a `_` column, which mark_partial marks. */
  for (int i = 0; i < n; i++) {
    Pattern *p = pats[i];
    if (p->kind == PAT_EXCEPTION) continue;
    Pm **row = ARENA_ARRAY(a, Pm *, 2);
    row[0] = of_pat(&P, p);
    row[1] = OMEGA;
    mat_push(&P, &m, row);
  }
  pressure(&P, &pc, &m, 2, true);
}
