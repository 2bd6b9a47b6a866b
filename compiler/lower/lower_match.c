/* lower_match.c — the pattern-match compiler: match, function and try
 * cases and let/fun destructuring become decision trees (Maranget,
 * "Compiling pattern matching to good decision trees", 2008) over the
 * subject and its parts.
 *
 * A clause matrix has one row per case (or-patterns split into several
 * rows) and one column per part of the subject still to test, each held
 * in an IR variable (an occurrence). The compiler picks the first column
 * the first row tests, switches on it (IR_SWITCH on immediates, on block
 * tags or on array lengths; equality tests for strings, floats and
 * exceptions) and specializes the matrix for each head constructor; the
 * rows whose head is a variable form the default matrix. When the first
 * row only binds variables, it has matched: a leaf.
 *
 * Case bodies are lowered once, as handlers of static exceptions
 * (IR_CATCH / IR_EXIT) that receive the pattern's variables; a body
 * reached from a single leaf is put in place of its exit instead. A
 * guard is evaluated at its leaf; when false, matching goes on with the
 * rows below. The failure continuation (Match_failure, or re-raising in
 * a try) is shared the same way.
 */
#include "lower.h"

#include <string.h>

#include "natml_runtime.h"

/* A binding made on the way: pattern variable vd is occurrence var. */
typedef struct Bind {
  ValueDesc *vd;
  int var;
  struct Bind *next;
} Bind;

typedef struct Row {
  Pattern **ps; /* one per column */
  Bind *binds;
  int action;
} Row;

typedef struct Action {
  int label;
  ValueDesc **vds; /* the variables the case binds */
  int *vars;       /* their IR variables */
  int nvars;
  Expr *guard;
  Expr *body_expr; /* lowered once it is known to be reachable */
  Ir *body;
  PtrVec exits; /* the IR_EXIT nodes that reach it */
} Action;

typedef struct Mc {
  Lower *L;
  Action *acts;
  int nacts;
  int fail_label;
  PtrVec fail_exits;
} Mc;

static Ir *exit_to(Lower *L, int label) {
  Ir *e = ir_new(L->a, IR_EXIT);
  e->imm = label;
  return e;
}

static Ir *catch_(Lower *L, Ir *body, int label, int *vars, int nvars, Ir *handler) {
  Ir *e = ir_new(L->a, IR_CATCH);
  e->a = body;
  e->imm = label;
  e->vars = vars;
  e->nvars = nvars;
  e->b = handler;
  return e;
}

static Ir *fail(Mc *M) {
  Ir *e = exit_to(M->L, M->fail_label);
  ptrvec_push(M->L->a, &M->fail_exits, e);
  return e;
}

/* ---- Patterns ---------------------------------------------------------------- */

/* Collects the variables a pattern binds (the left side's for an
 * or-pattern: the typer gives both sides the same ValueDescs). */
static void pat_vars(Lower *L, Pattern *p, PtrVec *out) {
  if (!p) return;
  switch (p->kind) {
  case PAT_VAR: ptrvec_push(L->a, out, p->var); return;
  case PAT_ALIAS:
    pat_vars(L, p->arg, out);
    ptrvec_push(L->a, out, p->var);
    return;
  case PAT_OR: pat_vars(L, p->arg, out); return;
  case PAT_RECORD:
    for (int i = 0; i < p->nfields; i++) pat_vars(L, p->fields[i].pat, out);
    return;
  case PAT_CONSTRUCT:
  case PAT_TUPLE:
  case PAT_ARRAY:
    for (int i = 0; i < p->nitems; i++) pat_vars(L, p->items[i], out);
    return;
  default: pat_vars(L, p->arg, out); return;
  }
}

static Pattern any_pat = {.kind = PAT_ANY};

/* Whether p matches everything (it may bind variables). */
static bool irrefutable_head(const Pattern *p) {
  while (p->kind == PAT_CONSTRAINT || p->kind == PAT_ALIAS) p = p->arg;
  return p->kind == PAT_ANY || p->kind == PAT_VAR;
}

/* Marks in seen the constructors that the alternatives of or-pattern p
 * match whatever their arguments; false if an alternative is something
 * else or binds a variable. */
static bool or_constructors(const Pattern *p, TypeDecl *d, bool *seen) {
  while (p->kind == PAT_CONSTRAINT) p = p->arg;
  if (p->kind == PAT_OR) return or_constructors(p->arg, d, seen) && or_constructors(p->arg2, d, seen);
  if (p->kind != PAT_CONSTRUCT || !p->cdesc || p->cdesc->decl != d || p->cdesc->is_exn) return false;
  if (p->arg && p->nitems == 0) return false; /* arguments not split: be safe */
  for (int i = 0; i < p->nitems; i++) {
    const Pattern *a = p->items[i];
    while (a->kind == PAT_CONSTRAINT) a = a->arg;
    if (a->kind != PAT_ANY) return false;
  }
  for (int i = 0; i < d->nconstrs; i++)
    if (d->constrs[i] == p->cdesc || strcmp(d->constrs[i]->name, p->cdesc->name) == 0) seen[i] = true;
  return true;
}

/* Whether or-pattern p binds nothing and lists every constructor of its
 * type: it is then `_`. Splitting such patterns into rows would make the
 * decision tree exponential in their number (`(A|B), (A|B), ...`). */
static bool or_matches_all(Lower *L, const Pattern *p) {
  const Pattern *q = p;
  while (q->kind == PAT_OR) q = q->arg;
  while (q->kind == PAT_CONSTRAINT) q = q->arg;
  if (q->kind != PAT_CONSTRUCT || !q->cdesc || !q->cdesc->decl || q->cdesc->is_exn) return false;
  TypeDecl *d = q->cdesc->decl;
  if (d->kind != TD_VARIANT || d->nconstrs == 0) return false;
  bool *seen = ARENA_ARRAY(L->a, bool, d->nconstrs);
  if (!or_constructors(p, d, seen)) return false;
  for (int i = 0; i < d->nconstrs; i++)
    if (!seen[i]) return false;
  return true;
}

/* Whether p matches everything and binds nothing: its column can go. */
static bool pure_any(const Pattern *p) {
  while (p->kind == PAT_CONSTRAINT) p = p->arg;
  return p->kind == PAT_ANY;
}

static Bind *bind(Lower *L, Bind *next, ValueDesc *vd, int var) {
  Bind *b = ARENA_NEW(L->a, Bind);
  b->vd = vd;
  b->var = var;
  b->next = next;
  return b;
}

typedef struct Rows {
  Row *v;
  int len, cap;
} Rows;

static void rows_push(Lower *L, Rows *rs, Row r) {
  if (rs->len == rs->cap) {
    int cap = rs->cap ? rs->cap * 2 : 8;
    Row *n = ARENA_ARRAY(L->a, Row, cap);
    if (rs->len) memcpy(n, rs->v, sizeof(Row) * (size_t)rs->len);
    rs->v = n;
    rs->cap = cap;
  }
  rs->v[rs->len++] = r;
}

/* Puts row r, whose column c holds p, into out with p's constraints,
 * aliases and variables peeled off (as bindings of occurrence occ) and
 * its or-patterns split into several rows. */
static void normalize(Lower *L, Rows *out, Row r, int width, int c, Pattern *p, int occ) {
  for (;;) {
    if (p->kind == PAT_CONSTRAINT) {
      p = p->arg;
    } else if (p->kind == PAT_ALIAS) {
      r.binds = bind(L, r.binds, p->var, occ);
      p = p->arg;
    } else if (p->kind == PAT_VAR) {
      r.binds = bind(L, r.binds, p->var, occ);
      p = &any_pat;
    } else {
      break;
    }
  }
  if (p->kind == PAT_OR && or_matches_all(L, p)) p = &any_pat;
  if (p->kind == PAT_OR) {
    normalize(L, out, r, width, c, p->arg, occ);
    normalize(L, out, r, width, c, p->arg2, occ);
    return;
  }
  Pattern **ps = ARENA_ARRAY(L->a, Pattern *, width);
  memcpy(ps, r.ps, sizeof(Pattern *) * (size_t)width);
  ps[c] = p;
  r.ps = ps;
  rows_push(L, out, r);
}

/* ---- Matrices ----------------------------------------------------------------- */

static Ir *compile(Mc *M, int *occ, int width, Row *rows, int nrows);

/* The matrix with column c replaced by n argument columns: args(row) gives
 * row's patterns for them (NULL: the row does not match). Argument
 * columns that only hold `_` are dropped; the others get fresh
 * occurrences loaded by load(i) around the result. */
typedef Pattern **(*ArgsFn)(Lower *L, Pattern *head, void *data, int n);

static Ir *specialize(Mc *M, int *occ, int width, Row *rows, int nrows, int c, int n, ArgsFn args, void *data,
                      Ir *(*load)(Lower *, int subj, int i, void *), void *ldata) {
  Lower *L = M->L;
  Pattern ***argv = ARENA_ARRAY(L->a, Pattern **, nrows + 1);
  int nsel = 0;
  for (int i = 0; i < nrows; i++) argv[i] = args(L, rows[i].ps[c], data, n);
  bool *keep = ARENA_ARRAY(L->a, bool, n + 1);
  int nkeep = 0;
  for (int k = 0; k < n; k++) {
    for (int i = 0; i < nrows && !keep[k]; i++) keep[k] = argv[i] && !pure_any(argv[i][k]);
    nkeep += keep[k];
  }
  int w2 = width - 1 + nkeep;
  int *occ2 = ARENA_ARRAY(L->a, int, w2 + 1);
  int *fresh = ARENA_ARRAY(L->a, int, n + 1);
  int j = 0;
  for (int x = 0; x < c; x++) occ2[j++] = occ[x];
  for (int k = 0; k < n; k++)
    if (keep[k]) occ2[j++] = fresh[k] = lower_new_var(L);
  for (int x = c + 1; x < width; x++) occ2[j++] = occ[x];
  Row *sel = ARENA_ARRAY(L->a, Row, nrows + 1);
  for (int i = 0; i < nrows; i++) {
    if (!argv[i]) continue;
    Pattern **ps = ARENA_ARRAY(L->a, Pattern *, w2 + 1);
    j = 0;
    for (int x = 0; x < c; x++) ps[j++] = rows[i].ps[x];
    for (int k = 0; k < n; k++)
      if (keep[k]) ps[j++] = argv[i][k];
    for (int x = c + 1; x < width; x++) ps[j++] = rows[i].ps[x];
    sel[nsel] = rows[i];
    sel[nsel++].ps = ps;
  }
  Ir *r = compile(M, occ2, w2, sel, nsel);
  for (int k = n - 1; k >= 0; k--)
    if (keep[k]) r = ir_let(L->a, fresh[k], load(L, occ[c], k, ldata), r);
  return r;
}

static Pattern **anys(Lower *L, int n) {
  Pattern **v = ARENA_ARRAY(L->a, Pattern *, n + 1);
  for (int i = 0; i < n; i++) v[i] = &any_pat;
  return v;
}

/* Rows whose head is `_` match any head with `_` arguments. */
static Pattern **args_constr(Lower *L, Pattern *h, void *data, int n) {
  ConstrDesc *cd = data;
  if (h->kind == PAT_ANY) return anys(L, n);
  if (h->kind != PAT_CONSTRUCT) return NULL;
  ConstrDesc *hc = h->cdesc;
  bool same = cd->is_exn ? hc == cd || (hc->is_exn && hc->exn_val == cd->exn_val)
                         : hc->constant == cd->constant && hc->tag == cd->tag;
  if (!same) return NULL;
  return h->nitems >= n && n > 0 ? h->items : anys(L, n);
}

static Pattern **args_default(Lower *L, Pattern *h, void *data, int n) {
  (void)data;
  return h->kind == PAT_ANY ? anys(L, n) : NULL;
}

static Pattern **args_tuple(Lower *L, Pattern *h, void *data, int n) {
  (void)data;
  return h->kind == PAT_ANY ? anys(L, n) : h->items;
}

static Pattern **args_array(Lower *L, Pattern *h, void *data, int n) {
  (void)data;
  if (h->kind == PAT_ANY) return anys(L, n);
  if (h->nitems != n) return NULL;
  return n > 0 ? h->items : anys(L, 0);
}

typedef struct RecordCols {
  int *index;           /* field index of each column */
  const TypeDecl *decl; /* the record type */
} RecordCols;

static Pattern **args_record(Lower *L, Pattern *h, void *data, int n) {
  RecordCols *rc = data;
  Pattern **v = anys(L, n);
  if (h->kind == PAT_ANY) return v;
  for (int k = 0; k < n; k++)
    for (int f = 0; f < h->nfields; f++)
      if (h->fields[f].desc->index == rc->index[k]) v[k] = h->fields[f].pat;
  return v;
}

typedef struct ConstSel {
  Const *c;
} ConstSel;

static bool const_matches(const Pattern *h, const Const *c) {
  if (h->kind == PAT_CONST) return ast_const_equal(&h->cst, c);
  if (h->kind == PAT_RANGE) {
    int64_t lo = h->cst.i, hi = h->cst2.i;
    if (lo > hi) {
      int64_t t = lo;
      lo = hi;
      hi = t;
    }
    return c->i >= lo && c->i <= hi;
  }
  return false;
}

static Pattern **args_const(Lower *L, Pattern *h, void *data, int n) {
  ConstSel *s = data;
  if (h->kind == PAT_ANY || const_matches(h, s->c)) return anys(L, n);
  return NULL;
}

static Ir *load_field0(Lower *L, int subj, int i, void *d) {
  (void)d;
  return ir_prim_field(L->a, ir_var(L->a, subj), i);
}

static Ir *load_field1(Lower *L, int subj, int i, void *d) {
  (void)d;
  return ir_prim_field(L->a, ir_var(L->a, subj), i + 1);
}

static Ir *load_record(Lower *L, int subj, int i, void *d) {
  RecordCols *rc = d;
  return lower_record_field(L, ir_var(L->a, subj), rc->decl, rc->index[i]);
}

/* The default matrix: rows whose head in column c is `_`, without it. */
static Ir *default_matrix(Mc *M, int *occ, int width, Row *rows, int nrows, int c) {
  return specialize(M, occ, width, rows, nrows, c, 0, args_default, NULL, load_field0, NULL);
}

/* ---- Switches ------------------------------------------------------------------- */

static Ir *new_switch(Lower *L, Ir *scrut, int n, bool on_tag) {
  Ir *s = ir_new(L->a, IR_SWITCH);
  s->a = scrut;
  s->switch_tag = on_tag;
  s->args = ARENA_ARRAY(L->a, Ir *, n + 1);
  s->ints = ARENA_ARRAY(L->a, int64_t, n + 1);
  return s;
}

static Ir *is_block(Lower *L, int x) {
  return ir_prim(L->a, P_BOOLNOT, 1, ir_prim(L->a, P_IS_INT, 1, ir_var(L->a, x)));
}

/* Variant constructors: a switch on immediates for the constant ones, on
 * tags for the others. */
static Ir *switch_variant(Mc *M, int *occ, int width, Row *rows, int nrows, int c) {
  Lower *L = M->L;
  ConstrDesc **seen = ARENA_ARRAY(L->a, ConstrDesc *, nrows + 1);
  int nseen = 0, nc = 0, nb = 0;
  for (int i = 0; i < nrows; i++) {
    Pattern *h = rows[i].ps[c];
    if (h->kind != PAT_CONSTRUCT) continue;
    bool dup = false;
    for (int k = 0; k < nseen && !dup; k++)
      dup = seen[k]->constant == h->cdesc->constant && seen[k]->tag == h->cdesc->tag;
    if (dup) continue;
    seen[nseen++] = h->cdesc;
    if (h->cdesc->constant) nc++;
    else nb++;
  }
  ConstrDesc *cd0 = seen[0];
  bool full_c = nc == cd0->nconsts, full_b = nb == cd0->nblocks;
  int x = occ[c];
  /* The default matrix, shared through a label when both halves use it. */
  int dlabel = -1;
  bool d_imm = cd0->nconsts > 0 && !full_c, d_blk = cd0->nblocks > 0 && !full_b;
  if (d_imm && d_blk) dlabel = lower_new_label(L);
  Ir *imm = NULL, *blk = NULL;
  for (int half = 0; half < 2; half++) {
    bool consts = half == 0;
    int total = consts ? cd0->nconsts : cd0->nblocks, n = consts ? nc : nb;
    if (total == 0) continue;
    bool full = consts ? full_c : full_b;
    Ir *dd = NULL;
    if (!full) dd = dlabel >= 0 ? exit_to(L, dlabel) : default_matrix(M, occ, width, rows, nrows, c);
    Ir *part;
    if (n == 0) {
      part = dd;
    } else {
      Ir *sw = new_switch(L, ir_var(L->a, x), n, !consts);
      for (int k = 0; k < nseen; k++) {
        ConstrDesc *cd = seen[k];
        if (cd->constant != consts) continue;
        sw->ints[sw->nargs] = consts ? 2 * (int64_t)cd->tag + 1 : cd->tag;
        sw->args[sw->nargs++] =
            specialize(M, occ, width, rows, nrows, c, cd->nargs, args_constr, cd, load_field0, NULL);
      }
      sw->b = dd;
      part = (full && n == 1) ? sw->args[0] : sw;
    }
    if (consts) imm = part;
    else blk = part;
  }
  Ir *r = !imm ? blk : !blk ? imm : ir_if(L->a, is_block(L, x), blk, imm);
  if (dlabel >= 0) r = catch_(L, r, dlabel, NULL, 0, default_matrix(M, occ, width, rows, nrows, c));
  return r;
}

/* Rows whose head is `_` match any tag with `_` argument. */
static Pattern **args_polyvariant(Lower *L, Pattern *h, void *data, int n) {
  Pattern *d = data;
  if (h->kind == PAT_ANY) return anys(L, n);
  if (h->kind != PAT_VARIANT || strcmp(h->name, d->name) != 0 || (h->arg != NULL) != (d->arg != NULL))
    return NULL;
  return n ? &h->arg : anys(L, 0);
}

/* Polymorphic variants: a constant tag is the immediate integer of its
 * hash, a tag with an argument a block [hash; argument]: a switch on the
 * immediate, or on the block's first field. Rows may always hold other
 * tags as far as the code knows: both halves keep a default. */
static Ir *switch_polyvariant(Mc *M, int *occ, int width, Row *rows, int nrows, int c) {
  Lower *L = M->L;
  Pattern **seen = ARENA_ARRAY(L->a, Pattern *, nrows + 1);
  int nseen = 0, nc = 0, nb = 0;
  for (int i = 0; i < nrows; i++) {
    Pattern *h = rows[i].ps[c];
    if (h->kind != PAT_VARIANT) continue;
    bool dup = false;
    for (int k = 0; k < nseen && !dup; k++) dup = strcmp(seen[k]->name, h->name) == 0;
    if (dup) continue;
    seen[nseen++] = h;
    if (h->arg) nb++;
    else nc++;
  }
  int x = occ[c];
  int dlabel = lower_new_label(L);
  Ir *halves[2];
  for (int half = 0; half < 2; half++) {
    bool consts = half == 0;
    int n = consts ? nc : nb;
    if (n == 0) {
      halves[half] = exit_to(L, dlabel);
      continue;
    }
    Ir *scrut = consts ? ir_var(L->a, x) : ir_prim_field(L->a, ir_var(L->a, x), 0);
    Ir *sw = new_switch(L, scrut, n, false);
    for (int k = 0; k < nseen; k++) {
      Pattern *h = seen[k];
      if ((h->arg == NULL) != consts) continue;
      sw->ints[sw->nargs] = 2 * (int64_t)ty_hash_variant(h->name) + 1;
      sw->args[sw->nargs++] =
          specialize(M, occ, width, rows, nrows, c, h->arg ? 1 : 0, args_polyvariant, h, load_field1, NULL);
    }
    sw->b = exit_to(L, dlabel);
    halves[half] = sw;
  }
  Ir *r = ir_if(L->a, is_block(L, x), halves[1], halves[0]);
  return catch_(L, r, dlabel, NULL, 0, default_matrix(M, occ, width, rows, nrows, c));
}

/* Exceptions are compared with their constructor blocks, in order. */
static Ir *test_exceptions(Mc *M, int *occ, int width, Row *rows, int nrows, int c) {
  Lower *L = M->L;
  ConstrDesc **seen = ARENA_ARRAY(L->a, ConstrDesc *, nrows + 1);
  int nseen = 0;
  for (int i = 0; i < nrows; i++) {
    Pattern *h = rows[i].ps[c];
    if (h->kind != PAT_CONSTRUCT) continue;
    bool dup = false;
    for (int k = 0; k < nseen && !dup; k++)
      dup = seen[k] == h->cdesc || seen[k]->exn_val == h->cdesc->exn_val;
    if (!dup) seen[nseen++] = h->cdesc;
  }
  int x = occ[c];
  Ir *r = default_matrix(M, occ, width, rows, nrows, c);
  for (int k = nseen - 1; k >= 0; k--) {
    ConstrDesc *cd = seen[k];
    Ir *ref = lower_value_ref(L, cd->exn_val, rows[0].ps[c]->loc);
    Ir *v = cd->constant ? ir_var(L->a, x) : ir_prim_field(L->a, ir_var(L->a, x), 0);
    Ir *yes = specialize(M, occ, width, rows, nrows, c, cd->nargs, args_constr, cd, load_field1, NULL);
    r = ir_if(L->a, ir_prim(L->a, P_EQ, 2, v, ref), yes, r);
  }
  return r;
}

static Ir *const_ir(Lower *L, const Const *c) {
  switch (c->kind) {
  case CONST_INT:
  case CONST_CHAR: return ir_int(L->a, c->i);
  case CONST_STRING: {
    Ir *e = ir_new(L->a, IR_STRING);
    e->str = c->s;
    e->slen = c->slen;
    return e;
  }
  case CONST_FLOAT: {
    Ir *e = ir_new(L->a, IR_FLOAT);
    e->f = c->f;
    return e;
  }
  }
  NML_UNREACHABLE();
}

/* The distinct constants of column c in order (ranges give every char). */
static Const *column_consts(Lower *L, Row *rows, int nrows, int c, int *n_out) {
  int cap = 16, n = 0;
  Const *v = ARENA_ARRAY(L->a, Const, cap);
  for (int i = 0; i < nrows; i++) {
    Pattern *h = rows[i].ps[c];
    int64_t lo = 0, hi = -1;
    if (h->kind == PAT_CONST) lo = hi = 0;
    else if (h->kind == PAT_RANGE) {
      lo = h->cst.i < h->cst2.i ? h->cst.i : h->cst2.i;
      hi = h->cst.i < h->cst2.i ? h->cst2.i : h->cst.i;
    }
    for (int64_t ch = lo; ch <= hi; ch++) {
      Const k = h->cst;
      if (h->kind == PAT_RANGE) k.i = ch;
      bool dup = false;
      for (int j = 0; j < n && !dup; j++) dup = ast_const_equal(&v[j], &k);
      if (dup) continue;
      if (n == cap) {
        Const *w = ARENA_ARRAY(L->a, Const, cap * 2);
        memcpy(w, v, sizeof(Const) * (size_t)n);
        v = w;
        cap *= 2;
      }
      v[n++] = k;
    }
  }
  *n_out = n;
  return v;
}

/* Ints and chars: one switch; constants that select the same rows share
 * one subtree through a label. Strings and floats: equality tests. */
static Ir *switch_consts(Mc *M, int *occ, int width, Row *rows, int nrows, int c) {
  Lower *L = M->L;
  int n;
  Const *ks = column_consts(L, rows, nrows, c, &n);
  int x = occ[c];
  if (ks[0].kind == CONST_STRING || ks[0].kind == CONST_FLOAT) {
    Ir *r = default_matrix(M, occ, width, rows, nrows, c);
    for (int k = n - 1; k >= 0; k--) {
      ConstSel s = {&ks[k]};
      Ir *eq = ir_prim(L->a, ks[k].kind == CONST_FLOAT ? P_FLOAT_EQ : P_EQUAL, 2, ir_var(L->a, x),
                       const_ir(L, &ks[k]));
      r = ir_if(L->a, eq, specialize(M, occ, width, rows, nrows, c, 0, args_const, &s, load_field0, NULL), r);
    }
    return r;
  }
  /* Group the constants by the rows they select. */
  int *group = ARENA_ARRAY(L->a, int, n);
  bool **sel = ARENA_ARRAY(L->a, bool *, n);
  int ngroups = 0;
  int *first = ARENA_ARRAY(L->a, int, n), *count = ARENA_ARRAY(L->a, int, n);
  for (int k = 0; k < n; k++) {
    sel[k] = ARENA_ARRAY(L->a, bool, nrows + 1);
    for (int i = 0; i < nrows; i++) sel[k][i] = const_matches(rows[i].ps[c], &ks[k]);
    group[k] = -1;
    for (int g = 0; g < ngroups && group[k] < 0; g++)
      if (memcmp(sel[first[g]], sel[k], (size_t)nrows) == 0) group[k] = g;
    if (group[k] < 0) {
      first[ngroups] = k;
      count[ngroups] = 0;
      group[k] = ngroups++;
    }
    count[group[k]]++;
  }
  int *labels = ARENA_ARRAY(L->a, int, ngroups);
  Ir **trees = ARENA_ARRAY(L->a, Ir *, ngroups);
  for (int g = 0; g < ngroups; g++) {
    ConstSel s = {&ks[first[g]]};
    trees[g] = specialize(M, occ, width, rows, nrows, c, 0, args_const, &s, load_field0, NULL);
    labels[g] = count[g] > 1 ? lower_new_label(L) : -1;
  }
  Ir *sw = new_switch(L, ir_var(L->a, x), n, false);
  for (int k = 0; k < n; k++) {
    int g = group[k];
    sw->ints[sw->nargs] = 2 * ks[k].i + 1;
    sw->args[sw->nargs++] = labels[g] >= 0 ? exit_to(L, labels[g]) : trees[g];
  }
  bool full = ks[0].kind == CONST_CHAR && n == 256;
  sw->b = full ? NULL : default_matrix(M, occ, width, rows, nrows, c);
  Ir *r = sw;
  for (int g = 0; g < ngroups; g++)
    if (labels[g] >= 0) r = catch_(L, r, labels[g], NULL, 0, trees[g]);
  return r;
}

static Ir *switch_arrays(Mc *M, int *occ, int width, Row *rows, int nrows, int c) {
  Lower *L = M->L;
  int *lens = ARENA_ARRAY(L->a, int, nrows + 1);
  int n = 0;
  for (int i = 0; i < nrows; i++) {
    Pattern *h = rows[i].ps[c];
    if (h->kind != PAT_ARRAY) continue;
    bool dup = false;
    for (int k = 0; k < n && !dup; k++) dup = lens[k] == h->nitems;
    if (!dup) lens[n++] = h->nitems;
  }
  Ir *sw = new_switch(L, ir_prim(L->a, P_BLOCK_SIZE, 1, ir_var(L->a, occ[c])), n, false);
  for (int k = 0; k < n; k++) {
    sw->ints[sw->nargs] = 2 * (int64_t)lens[k] + 1;
    sw->args[sw->nargs++] =
        specialize(M, occ, width, rows, nrows, c, lens[k], args_array, NULL, load_field0, NULL);
  }
  sw->b = default_matrix(M, occ, width, rows, nrows, c);
  return sw;
}

static Ir *split_record(Mc *M, int *occ, int width, Row *rows, int nrows, int c) {
  Lower *L = M->L;
  int nf = 0;
  const TypeDecl *decl = NULL;
  for (int i = 0; i < nrows; i++)
    if (rows[i].ps[c]->kind == PAT_RECORD) {
      decl = rows[i].ps[c]->fields[0].desc->decl;
      nf = decl->nfields;
      break;
    }
  bool *used = ARENA_ARRAY(L->a, bool, nf + 1);
  for (int i = 0; i < nrows; i++) {
    Pattern *h = rows[i].ps[c];
    if (h->kind == PAT_RECORD)
      for (int f = 0; f < h->nfields; f++) used[h->fields[f].desc->index] = true;
  }
  RecordCols rc = {ARENA_ARRAY(L->a, int, nf + 1), decl};
  int n = 0;
  for (int f = 0; f < nf; f++)
    if (used[f]) rc.index[n++] = f;
  return specialize(M, occ, width, rows, nrows, c, n, args_record, &rc, load_record, &rc);
}

/* ---- Leaves ------------------------------------------------------------------------ */

static int bound_var(Row *r, ValueDesc *vd) {
  for (Bind *b = r->binds; b; b = b->next)
    if (b->vd == vd) return b->var;
  NML_UNREACHABLE();
}

/* Row 0 matches: bind its variables, check its guard, go to its body. */
static Ir *leaf(Mc *M, int *occ, int width, Row *rows, int nrows) {
  Lower *L = M->L;
  Row r = rows[0];
  /* Peel the variables still in its columns. */
  for (int c = 0; c < width; c++) {
    Rows tmp = {0};
    normalize(L, &tmp, r, width, c, r.ps[c], occ[c]);
    r = tmp.v[0];
  }
  Action *a = &M->acts[r.action];
  Ir *e = exit_to(L, a->label);
  e->nargs = a->nvars;
  e->args = ARENA_ARRAY(L->a, Ir *, a->nvars + 1);
  ptrvec_push(L->a, &a->exits, e);
  if (!a->guard) {
    for (int i = 0; i < a->nvars; i++) e->args[i] = ir_var(L->a, bound_var(&r, a->vds[i]));
    return e;
  }
  for (int i = 0; i < a->nvars; i++) e->args[i] = ir_var(L->a, a->vars[i]);
  /* A false guard goes on with the next case, not with the other sides
   * of the case's or-patterns (the rows of the same action). */
  Row *rest = ARENA_ARRAY(L->a, Row, nrows);
  int nrest = 0;
  for (int i = 1; i < nrows; i++)
    if (rows[i].action != r.action) rest[nrest++] = rows[i];
  Ir *t = ir_if(L->a, lower_expr(L, a->guard), e, compile(M, occ, width, rest, nrest));
  for (int i = a->nvars - 1; i >= 0; i--)
    t = ir_let(L->a, a->vars[i], ir_var(L->a, bound_var(&r, a->vds[i])), t);
  return t;
}

static Ir *compile(Mc *M, int *occ, int width, Row *rows, int nrows) {
  Lower *L = M->L;
  if (nrows == 0) return fail(M);
  int c = 0;
  while (c < width && irrefutable_head(rows[0].ps[c])) c++;
  if (c == width) return leaf(M, occ, width, rows, nrows);
  Rows rs = {0};
  for (int i = 0; i < nrows; i++) normalize(L, &rs, rows[i], width, c, rows[i].ps[c], occ[c]);
  Pattern *h = NULL;
  for (int i = 0; i < rs.len && !h; i++)
    if (rs.v[i].ps[c]->kind != PAT_ANY) h = rs.v[i].ps[c];
  /* Row 0 was an or-pattern with a variable side: it now matches. */
  if (!h || rs.v[0].ps[c]->kind == PAT_ANY) return compile(M, occ, width, rs.v, rs.len);
  switch (h->kind) {
  case PAT_CONSTRUCT:
    return h->cdesc->is_exn ? test_exceptions(M, occ, width, rs.v, rs.len, c)
                            : switch_variant(M, occ, width, rs.v, rs.len, c);
  case PAT_CONST:
  case PAT_RANGE: return switch_consts(M, occ, width, rs.v, rs.len, c);
  case PAT_VARIANT: return switch_polyvariant(M, occ, width, rs.v, rs.len, c);
  case PAT_TUPLE:
    return specialize(M, occ, width, rs.v, rs.len, c, h->nitems, args_tuple, NULL, load_field0, NULL);
  case PAT_RECORD: return split_record(M, occ, width, rs.v, rs.len, c);
  case PAT_ARRAY: return switch_arrays(M, occ, width, rs.v, rs.len, c);
  case PAT_EXCEPTION:
    ctx_error(L->ctx, h->loc, "exception patterns are only allowed at the top of match cases");
  default: NML_UNREACHABLE();
  }
}

/* ---- Entry points ----------------------------------------------------------------- */

/* An exit node becomes its target's body, with the variables bound. */
static void inline_exit(Lower *L, Ir *exit, int *vars, int nvars, Ir *body) {
  Ir *r = body;
  for (int i = nvars - 1; i >= 0; i--) {
    Ir *arg = exit->args[i];
    if (arg->kind == IR_VAR && arg->var == vars[i]) continue;
    r = ir_let(L->a, vars[i], arg, r);
  }
  *exit = *r;
}

static Ir *finish(Mc *M, Ir *tree, Ir *on_fail) {
  Lower *L = M->L;
  for (int k = 0; k < M->nacts; k++) {
    Action *a = &M->acts[k];
    if (a->exits.len == 0) continue;
    Ir *body = a->body ? a->body : lower_expr(L, a->body_expr);
    if (a->exits.len == 1) inline_exit(L, a->exits.items[0], a->vars, a->nvars, body);
    else tree = catch_(L, tree, a->label, a->vars, a->nvars, body);
  }
  if (M->fail_exits.len == 1) inline_exit(L, M->fail_exits.items[0], NULL, 0, on_fail);
  else if (M->fail_exits.len > 1) tree = catch_(L, tree, M->fail_label, NULL, 0, on_fail);
  return tree;
}

static void init_action(Mc *M, Action *a, Pattern *p) {
  Lower *L = M->L;
  PtrVec vds = {0};
  pat_vars(L, p, &vds);
  a->label = lower_new_label(L);
  a->nvars = vds.len;
  a->vds = (ValueDesc **)vds.items;
  a->vars = ARENA_ARRAY(L->a, int, vds.len + 1);
  for (int i = 0; i < vds.len; i++) a->vars[i] = lower_var_of(L, vds.items[i]);
}

static Ir *match_rows(Mc *M, int subject, Pattern **pats, int n) {
  Lower *L = M->L;
  Row *rows = ARENA_ARRAY(L->a, Row, n + 1);
  for (int i = 0; i < n; i++) {
    rows[i].ps = ARENA_ARRAY(L->a, Pattern *, 1);
    rows[i].ps[0] = pats[i];
    rows[i].action = i;
  }
  int occ[1] = {subject};
  return compile(M, occ, 1, rows, n);
}

Ir *lower_cases(Lower *L, int subject, Case *cases, int ncases, Ir *on_fail) {
  Mc M = {L, ARENA_ARRAY(L->a, Action, ncases + 1), ncases, lower_new_label(L), {0}};
  Pattern **pats = ARENA_ARRAY(L->a, Pattern *, ncases + 1);
  for (int i = 0; i < ncases; i++) {
    pats[i] = cases[i].pat;
    init_action(&M, &M.acts[i], pats[i]);
    M.acts[i].guard = cases[i].guard;
    M.acts[i].body_expr = cases[i].body;
  }
  return finish(&M, match_rows(&M, subject, pats, ncases), on_fail);
}

Ir *lower_bind(Lower *L, Pattern *p, int subject, Ir *body, Ir *on_fail) {
  Mc M = {L, ARENA_NEW(L->a, Action), 1, lower_new_label(L), {0}};
  init_action(&M, &M.acts[0], p);
  M.acts[0].body = body;
  return finish(&M, match_rows(&M, subject, &p, 1), on_fail);
}
