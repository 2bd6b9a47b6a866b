/* ty_row.c — polymorphic variant rows (OCaml's row_desc, btype.ml's
 * row_repr and row_field_repr, ctype.ml's unify_row and unify_row_field):
 * building rows, reading a row whole through the links unification left,
 * and unifying two rows with OCaml's rules for open, closed and bounded
 * rows and for the undecided (RF_EITHER) fields of conjunctive types.
 * The walks over types (copy, generalization, levels) live in
 * ty_unify.c, which calls in here for TY_VARIANT nodes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "typecheck.h"

long ty_hash_variant(const char *tag) {
  uint64_t accu = 0;
  for (const unsigned char *p = (const unsigned char *)tag; *p; p++) accu = 223 * accu + *p;
  accu &= (1ULL << 31) - 1;
  long h = (long)accu;
  return h > 0x3FFFFFFF ? h - (1L << 31) : h;
}

RowField *ty_rf_new(Typer *T, RowFieldKind k, Type **args, int nargs, bool constant, bool matched) {
  RowField *f = ARENA_NEW(T->arena, RowField);
  f->kind = k;
  f->nargs = nargs;
  f->args = nargs ? ARENA_ARRAY(T->arena, Type *, nargs) : NULL;
  for (int i = 0; i < nargs; i++) f->args[i] = args[i];
  f->constant = constant;
  f->matched = matched;
  return f;
}

void ty_rf_view(Typer *T, RowField *f, RfView *v) {
  int total = 0, hops = 0;
  for (RowField *g = f; g; g = g->link, hops++)
    if (g->kind == RF_EITHER || !g->link) total += g->nargs;
  RowField *last = f;
  while (last->link) last = last->link;
  v->kind = last->kind;
  v->constant = last->constant;
  v->matched = last->matched;
  v->last = last;
  if (hops == 1) {
    v->args = f->args;
    v->nargs = f->nargs;
    return;
  }
  /* An undecided field settled as present keeps its first conjunct. */
  Type **args = ARENA_ARRAY(T->arena, Type *, total + 1);
  int n = 0;
  for (RowField *g = f; g; g = g->link)
    for (int i = 0; i < g->nargs; i++) args[n++] = g->args[i];
  v->args = args;
  v->nargs = n;
  if (last->kind == RF_PRESENT && n > 1) v->nargs = 1;
  if (last->kind == RF_ABSENT) v->nargs = 0;
}

void ty_rf_set(Typer *T, RowField *f, RowField *to) {
  if (f == to) return;
  if (f->session || T->trail_all) ty_trail_field(T, f);
  f->link = to;
}

RowDesc *ty_row_new(Typer *T, int n) {
  RowDesc *r = ARENA_NEW(T->arena, RowDesc);
  r->n = n;
  r->tags = ARENA_ARRAY(T->arena, const char *, n + 1);
  r->fields = ARENA_ARRAY(T->arena, RowField *, n + 1);
  return r;
}

void ty_row_sort(RowDesc *r) {
  for (int i = 1; i < r->n; i++) {
    const char *t = r->tags[i];
    RowField *f = r->fields[i];
    int j = i;
    for (; j > 0 && strcmp(r->tags[j - 1], t) > 0; j--) {
      r->tags[j] = r->tags[j - 1];
      r->fields[j] = r->fields[j - 1];
    }
    r->tags[j] = t;
    r->fields[j] = f;
  }
}

/* The row of node t itself (not what t is linked to: unification links
 * the first node to the second before their rows meet). */
static RowDesc *flatten(Typer *T, Type *t) {
  RowDesc *r = t->row;
  Type *m = ty_repr(r->more);
  if (m->kind != TY_VARIANT) return r;
  int n = r->n;
  Type *end = t;
  for (Type *x = m; x->kind == TY_VARIANT; x = ty_repr(x->row->more)) {
    n += x->row->n;
    end = x;
  }
  RowDesc *f = ty_row_new(T, n);
  *f = *end->row;
  f->n = n;
  f->tags = ARENA_ARRAY(T->arena, const char *, n + 1);
  f->fields = ARENA_ARRAY(T->arena, RowField *, n + 1);
  f->more = ty_repr(end->row->more);
  int k = 0;
  for (Type *x = t; x->kind == TY_VARIANT; x = ty_repr(x->row->more))
    for (int i = 0; i < x->row->n; i++) {
      f->tags[k] = x->row->tags[i];
      f->fields[k++] = x->row->fields[i];
    }
  ty_row_sort(f);
  return f;
}

RowDesc *ty_row_flatten(Typer *T, Type *t) { return flatten(T, ty_repr(t)); }

static RowFieldKind rf_kind(RowField *f) {
  while (f->link) f = f->link;
  return f->kind;
}

bool ty_row_static(Typer *T, RowDesc *r) {
  (void)T;
  if (!r->closed) return false;
  for (int i = 0; i < r->n; i++)
    if (rf_kind(r->fields[i]) == RF_EITHER) return false;
  return true;
}

RowField *ty_row_field(RowDesc *r, const char *tag) {
  for (int i = 0; i < r->n; i++)
    if (strcmp(r->tags[i], tag) == 0) return r->fields[i];
  return NULL;
}

static bool may_be_generic(Type *t) { return ty_repr(t)->level == TY_GENERIC_LEVEL; }

Type *ty_new_variant(Typer *T, RowDesc *r) {
  Type *t = ARENA_NEW(T->arena, Type);
  t->kind = TY_VARIANT;
  t->id = ++T->next_type_id;
  t->row = r;
  bool gen = may_be_generic(r->more);
  for (int i = 0; i < r->n && !gen; i++)
    for (RowField *f = r->fields[i]; f && !gen; f = f->link)
      for (int k = 0; k < f->nargs && !gen; k++) gen = may_be_generic(f->args[k]);
  for (int i = 0; i < r->nname_args && !gen; i++) gen = may_be_generic(r->name_args[i]);
  t->level = gen ? TY_GENERIC_LEVEL : 0;
  return t;
}

Type *ty_row_proxy(Typer *T, Type *t) {
  t = ty_repr(t);
  if (t->kind != TY_VARIANT) return t;
  RowDesc *r = ty_row_flatten(T, t);
  if (ty_row_static(T, r)) return t;
  return r->more;
}

/* ---- Unification ----------------------------------------------------------- */

static bool row_fail(Typer *T, RowErr e, bool second, const char **tags, int n) {
  UnifyErr *u = &T->uerr;
  if (u->row_err) return false; /* the innermost explanation stands */
  u->row_err = e;
  u->row_second = second;
  u->row_tags = tags;
  u->nrow_tags = n;
  u->row_inner = u->npairs;
  return false;
}

/* The fields of a that b lacks. */
static int fields_missing(Typer *T, RowDesc *a, RowDesc *b, const char ***tags, RowField ***fields) {
  *tags = ARENA_ARRAY(T->arena, const char *, a->n + 1);
  *fields = ARENA_ARRAY(T->arena, RowField *, a->n + 1);
  int n = 0;
  for (int i = 0; i < a->n; i++)
    if (!ty_row_field(b, a->tags[i])) {
      (*tags)[n] = a->tags[i];
      (*fields)[n++] = a->fields[i];
    }
  return n;
}

static bool all_absent(RowField **fs, int n) {
  for (int i = 0; i < n; i++)
    if (rf_kind(fs[i]) != RF_ABSENT) return false;
  return true;
}

static Type *level_var(Typer *T, int level) {
  Type *v = ty_new_var(T);
  v->level = level;
  return v;
}

/* Adds the fields rest to row (its variable is linked to a row that has
 * them, ending in more), as OCaml's set_more. */
static bool set_more(Typer *T, RowDesc *row, bool second, const char **tags, RowField **fields, int n,
                     Type *more, bool closed, bool fixed, const RowDesc *name) {
  const char **rt = ARENA_ARRAY(T->arena, const char *, n + 1);
  RowField **rf = ARENA_ARRAY(T->arena, RowField *, n + 1);
  int k = 0;
  for (int i = 0; i < n; i++) {
    if (closed) {
      RfView v;
      ty_rf_view(T, fields[i], &v);
      if (v.kind == RF_ABSENT) continue;
      if (row->closed && v.kind == RF_EITHER && !v.matched) {
        ty_rf_set(T, v.last, ty_rf_new(T, RF_ABSENT, NULL, 0, false, false));
        continue;
      }
    }
    rt[k] = tags[i];
    rf[k++] = fields[i];
  }
  if (!row->fixed) {
    if (k > 0 && row->closed) return row_fail(T, ROWERR_NO_TAGS, second, rt, k);
  } else {
    if (closed && !row->closed) return row_fail(T, ROWERR_FIXED_CLOSE, second, NULL, 0);
    if (k > 0) return row_fail(T, ROWERR_FIXED_TAGS, second, rt, k);
  }
  Type *rm = ty_repr(row->more);
  if (row->fixed) {
    if (rm == ty_repr(more)) return true;
    if (rm->kind == TY_VAR) {
      ty_link(T, rm, more);
      return true;
    }
    return ty_unify_rec(T, rm, more);
  }
  RowDesc *ext = ty_row_new(T, k);
  for (int i = 0; i < k; i++) {
    ext->tags[i] = rt[i];
    ext->fields[i] = rf[i];
  }
  ext->more = more;
  ext->closed = closed;
  ext->fixed = fixed;
  if (name) {
    ext->name = name->name;
    ext->name_args = name->name_args;
    ext->nname_args = name->nname_args;
    ext->name_path = name->name_path;
  }
  Type *ty = ty_new_variant(T, ext);
  if (rm->level != TY_GENERIC_LEVEL) ty_limit_level(T, ty, rm->level);
  ty_link(T, rm, ty);
  return true;
}

static bool unify_args(Typer *T, Type **a, int na, Type *b) {
  for (int i = 0; i < na; i++)
    if (!ty_unify_rec(T, a[i], b)) return false;
  return true;
}

static bool in_list(Type *t, Type **l, int n) {
  for (int i = 0; i < n; i++)
    if (ty_repr(l[i]) == ty_repr(t)) return true;
  return false;
}

/* OCaml's unify_row_field for tag l, present in both rows. */
/* lev1, lev2: the levels of the rows' variables before they were linked
 * (a compound node has no level of its own here). */
static bool unify_field(Typer *T, bool fixed1, bool fixed2, int lev1, int lev2, const char *l, RowField *f1,
                        RowField *f2) {
  RfView a, b;
  ty_rf_view(T, f1, &a);
  ty_rf_view(T, f2, &b);
  const char **tl = ARENA_ARRAY(T->arena, const char *, 1);
  tl[0] = l;
  if (a.last == b.last) return true;
  bool either_fixed = fixed1 || fixed2;
  if (a.kind == RF_PRESENT && b.kind == RF_PRESENT) {
    if (a.nargs != b.nargs) return false;
    return a.nargs == 0 || ty_unify_rec(T, a.args[0], b.args[0]);
  }
  if (a.kind == RF_EITHER && b.kind == RF_EITHER) {
    if (either_fixed && !(a.constant || b.constant) && a.nargs == b.nargs) {
      RowField *f = ty_rf_new(T, RF_EITHER, NULL, 0, a.constant || b.constant, a.matched || b.matched);
      ty_rf_set(T, a.last, f);
      ty_rf_set(T, b.last, f);
      for (int i = 0; i < a.nargs; i++)
        if (!ty_unify_rec(T, a.args[i], b.args[i])) return false;
      return true;
    }
    bool redo = false;
    if (!either_fixed && (a.matched || b.matched) && a.nargs + b.nargs > 0) {
      if (a.constant || b.constant) return false;
      Type *t1 = a.nargs ? a.args[0] : b.args[0];
      for (int i = 0; i < a.nargs; i++)
        if (!ty_unify_rec(T, t1, a.args[i])) return false;
      for (int i = 0; i < b.nargs; i++)
        if (!ty_unify_rec(T, t1, b.args[i])) return false;
      redo = a.last->link || b.last->link;
    }
    if (redo) return unify_field(T, fixed1, fixed2, lev1, lev2, l, f1, f2);
    /* Each side gets the other's conjuncts it lacks; both then end in one
     * undecided field, settled once for both. */
    Type **x1 = ARENA_ARRAY(T->arena, Type *, b.nargs + 1), **x2 = ARENA_ARRAY(T->arena, Type *, a.nargs + 1);
    int n1 = 0, n2 = 0;
    for (int i = 0; i < b.nargs; i++)
      if (!in_list(b.args[i], a.args, a.nargs)) x1[n1++] = b.args[i];
    for (int i = 0; i < a.nargs; i++)
      if (!in_list(a.args[i], b.args, b.nargs)) x2[n2++] = a.args[i];
    for (int i = 0; i < n2; i++)
      if (lev2 != TY_GENERIC_LEVEL) ty_limit_level(T, x2[i], lev2);
    for (int i = 0; i < n1; i++)
      if (lev1 != TY_GENERIC_LEVEL) ty_limit_level(T, x1[i], lev1);
    RowField *e = ty_rf_new(T, RF_EITHER, NULL, 0, a.constant || b.constant, a.matched || b.matched);
    RowField *g1 = ty_rf_new(T, RF_EITHER, x1, n1, e->constant, e->matched);
    RowField *g2 = ty_rf_new(T, RF_EITHER, x2, n2, e->constant, e->matched);
    g1->link = e;
    g2->link = e;
    ty_rf_set(T, a.last, g1);
    ty_rf_set(T, b.last, g2);
    return true;
  }
  if (a.kind == RF_ABSENT && b.kind == RF_ABSENT) return true;
  if (a.kind == RF_EITHER && !a.matched && b.kind == RF_ABSENT) {
    if (fixed1) return row_fail(T, ROWERR_FIXED_TAGS, false, tl, 1);
    ty_rf_set(T, a.last, b.last);
    return true;
  }
  if (a.kind == RF_ABSENT && b.kind == RF_EITHER && !b.matched) {
    if (fixed2) return row_fail(T, ROWERR_FIXED_TAGS, true, tl, 1);
    ty_rf_set(T, b.last, a.last);
    return true;
  }
  if (a.kind == RF_EITHER && b.kind == RF_PRESENT) {
    if (b.nargs == 0 ? !(a.constant && a.nargs == 0) : a.constant) return false;
    if (fixed1) return row_fail(T, ROWERR_FIXED_TAGS, false, tl, 1);
    ty_rf_set(T, a.last, b.last);
    if (b.nargs) {
      if (lev1 != TY_GENERIC_LEVEL) ty_limit_level(T, b.args[0], lev1);
      if (!unify_args(T, a.args, a.nargs, b.args[0])) {
        a.last->link = NULL;
        return false;
      }
    }
    return true;
  }
  if (a.kind == RF_PRESENT && b.kind == RF_EITHER) {
    if (a.nargs == 0 ? !(b.constant && b.nargs == 0) : b.constant) return false;
    if (fixed2) return row_fail(T, ROWERR_FIXED_TAGS, true, tl, 1);
    ty_rf_set(T, b.last, a.last);
    if (a.nargs) {
      if (lev2 != TY_GENERIC_LEVEL) ty_limit_level(T, a.args[0], lev2);
      if (!unify_args(T, b.args, b.nargs, a.args[0])) {
        b.last->link = NULL;
        return false;
      }
    }
    return true;
  }
  return false;
}

bool ty_unify_row(Typer *T, Type *t1, Type *t2) {
  RowDesc *row1 = flatten(T, t1), *row2 = flatten(T, t2);
  Type *rm1 = ty_repr(row1->more), *rm2 = ty_repr(row2->more);
  if (rm1 == rm2) return true;
  const char **t1s, **t2s;
  RowField **f1s, **f2s;
  int n1 = fields_missing(T, row1, row2, &t1s, &f1s); /* in row1 only */
  int n2 = fields_missing(T, row2, row1, &t2s, &f2s); /* in row2 only */
  /* Tags are told apart by their hashes at run time. */
  for (int i = 0; i < n1; i++)
    for (int j = 0; j < n2; j++)
      if (ty_hash_variant(t1s[i]) == ty_hash_variant(t2s[j])) {
        const char **tl = ARENA_ARRAY(T->arena, const char *, 2);
        tl[0] = t2s[j];
        tl[1] = t1s[i];
        return row_fail(T, ROWERR_HASH, false, tl, 2);
      }
  bool fixed1 = row1->fixed, fixed2 = row2->fixed;
  Type *more;
  if (fixed1 && fixed2) more = rm2->level < rm1->level ? rm2 : rm1;
  else if (fixed1) more = rm1;
  else if (fixed2) more = rm2;
  else more = level_var(T, rm1->level < rm2->level ? rm1->level : rm2->level);
  bool closed = row1->closed || row2->closed;
  if (closed && (all_absent(f1s, n1) || row2->closed) && (all_absent(f2s, n2) || row1->closed)) {
    bool none = true;
    for (int i = 0; i < row1->n && none; i++) {
      RowField *g = ty_row_field(row2, row1->tags[i]);
      if (g && rf_kind(row1->fields[i]) != RF_ABSENT && rf_kind(g) != RF_ABSENT) none = false;
    }
    if (none) return row_fail(T, ROWERR_NO_INTERSECTION, false, NULL, 0);
  }
  /* The name the row keeps (OCaml's rule): a row's, when the other adds
   * nothing it lacks and takes nothing it has. */
  bool keep12 = true, keep21 = true;
  for (int i = 0; i < row1->n; i++) {
    RowField *g = ty_row_field(row2, row1->tags[i]);
    if (!g) continue;
    RowFieldKind k1 = rf_kind(row1->fields[i]), k2 = rf_kind(g);
    if (k1 != RF_ABSENT && k2 == RF_ABSENT) keep12 = false;
    if (k2 != RF_ABSENT && k1 == RF_ABSENT) keep21 = false;
  }
  bool e1 = all_absent(f1s, n1), e2 = all_absent(f2s, n2);
  const RowDesc *name = NULL;
  if (row1->name && (row1->closed || e2) && (!row2->closed || (keep12 && e1))) name = row1;
  else if (row2->name && (row2->closed || e1) && (!row1->closed || (keep21 && e2))) name = row2;
  Type *old1 = rm1->link, *old2 = rm2->link;
  int lev1 = rm1->level, lev2 = rm2->level;
  bool fixed = fixed1 || fixed2;
  bool ok = set_more(T, row2, true, t1s, f1s, n1, more, closed, fixed, name) &&
            set_more(T, row1, false, t2s, f2s, n2, more, closed, fixed, name);
  for (int i = 0; ok && i < row1->n; i++) {
    RowField *g = ty_row_field(row2, row1->tags[i]);
    if (!g) continue;
    if (!unify_field(T, fixed1, fixed2, lev1, lev2, row1->tags[i], row1->fields[i], g)) {
      const char **tl = ARENA_ARRAY(T->arena, const char *, 1);
      tl[0] = row1->tags[i];
      row_fail(T, ROWERR_INCOMPATIBLE, false, tl, 1);
      ok = false;
    }
  }
  if (!ok) {
    rm1->link = old1;
    rm2->link = old2;
  }
  return ok;
}

/* ---- Patterns ---------------------------------------------------------------- */

void ty_row_close(Typer *T, Type *t) {
  t = ty_expand_head(T, t);
  if (t->kind != TY_VARIANT) return;
  RowDesc *r = ty_row_flatten(T, t);
  if (r->fixed) return;
  bool dropped = false;
  for (int i = 0; i < r->n; i++) {
    RfView v;
    ty_rf_view(T, r->fields[i], &v);
    if (v.kind == RF_EITHER && !v.matched) {
      ty_rf_set(T, v.last, ty_rf_new(T, RF_ABSENT, NULL, 0, false, false));
      dropped = true;
    }
  }
  if (r->closed && !dropped) return;
  RowDesc *c = ty_row_new(T, 0);
  c->more = ty_new_var(T);
  c->closed = true;
  if (!dropped) {
    c->name = r->name;
    c->name_args = r->name_args;
    c->nname_args = r->nname_args;
    c->name_path = r->name_path;
  }
  ty_unify_rec(T, r->more, ty_new_variant(T, c));
}

void ty_row_finalize_tag(Typer *T, Type *t, const char *tag) {
  t = ty_expand_head(T, t);
  if (t->kind != TY_VARIANT) return;
  RowDesc *r = ty_row_flatten(T, t);
  RowField *f = ty_row_field(r, tag);
  if (!f) return;
  RfView v;
  ty_rf_view(T, f, &v);
  if (v.kind != RF_EITHER) return;
  if (!r->closed && v.constant && v.nargs == 0) {
    ty_rf_set(T, v.last, ty_rf_new(T, RF_PRESENT, NULL, 0, false, false));
  } else if (!r->closed && !v.constant && v.nargs > 0) {
    ty_rf_set(T, v.last, ty_rf_new(T, RF_PRESENT, v.args, 1, false, false));
    for (int i = 1; i < v.nargs; i++) ty_unify_rec(T, v.args[0], v.args[i]);
  } else if (v.matched && !r->fixed) {
    ty_rf_set(T, v.last, ty_rf_new(T, RF_EITHER, NULL, 0, v.constant, false));
  }
}

/* ---- Type expressions ----------------------------------------------------- */

typedef struct RowBuild {
  RowDesc *r;
  int cap;
} RowBuild;

typedef struct MismatchMsg {
  Typer *T;
  Type *t1, *t2;
} MismatchMsg;

static void mismatch_msg(Fmt *f, void *arg) {
  MismatchMsg *m = arg;
  TyNames nm;
  ty_names_init(&nm, m->T, false);
  ty_names_mark(&nm, m->t1);
  ty_names_mark(&nm, m->t2);
  fmt_open_box(f, FMT_HOV, 0);
  fmt_string(f, "This variant type contains a constructor ");
  ty_fmt_type(f, &nm, m->t1);
  fmt_space(f);
  fmt_string(f, "which should be");
  fmt_space(f);
  ty_fmt_type(f, &nm, m->t2);
  fmt_close_box(f);
  ty_names_done(&nm);
}

/* OCaml's Constructor_mismatch: a tag given two types. */
__attribute__((noreturn)) static void mismatch_error(Typer *T, Loc loc, Type *t1, Type *t2) {
  MismatchMsg m = {T, t1, t2};
  ty_error_text(T, loc, ty_error_layout(T, mismatch_msg, &m));
}

/* OCaml's Present_has_no_type, its breaks where typetexp.ml has them. */
static void no_type_msg(Fmt *f, void *arg) {
  const char *tag = arg;
  static const char *const part1[] = {
      " is missing from the upper bound", "(between '<'",      "and '>')",
      "of this polymorphic variant",      "but is present in", "its lower bound (after '>')."};
  fmt_open_box(f, FMT_V, 0);
  fmt_open_box(f, FMT_B, 0);
  fmt_string(f, "The constructor ");
  fmt_string(f, tag);
  for (size_t i = 0; i < sizeof part1 / sizeof part1[0]; i++) {
    if (i) fmt_space(f);
    fmt_string(f, part1[i]);
  }
  fmt_close_box(f);
  fmt_cut(f);
  fmt_open_box(f, FMT_B, 0);
  fmt_string(f, "Hint: Either add `");
  fmt_string(f, tag);
  fmt_string(f, " in the upper bound,");
  fmt_space(f);
  fmt_string(f, "or remove it");
  fmt_space(f);
  fmt_string(f, "from the lower bound.");
  fmt_close_box(f);
  fmt_close_box(f);
}

/* Adds tag's field; a tag met twice must have one type (OCaml's
 * add_typed_field, without its hash-conflict check). */
static void add_field(Typer *T, RowBuild *b, const char *tag, RowField *f, Loc loc) {
  RowDesc *r = b->r;
  RowField *old = ty_row_field(r, tag);
  if (old) {
    RowDesc *r1 = ty_row_new(T, 1), *r2 = ty_row_new(T, 1);
    r1->tags[0] = r2->tags[0] = tag;
    r1->fields[0] = f;
    r2->fields[0] = old;
    r1->more = ty_new_var(T);
    r2->more = ty_new_var(T);
    r1->closed = r2->closed = true;
    Type *t1 = ty_new_variant(T, r1), *t2 = ty_new_variant(T, r2);
    if (!ty_unify(T, t1, t2)) mismatch_error(T, loc, t1, t2);
    return;
  }
  if (r->n == b->cap) {
    int cap = b->cap ? b->cap * 2 : 8;
    const char **tags = ARENA_ARRAY(T->arena, const char *, cap);
    RowField **fields = ARENA_ARRAY(T->arena, RowField *, cap);
    if (r->n) {
      memcpy(tags, r->tags, sizeof(char *) * (size_t)r->n);
      memcpy(fields, r->fields, sizeof(RowField *) * (size_t)r->n);
    }
    r->tags = tags;
    r->fields = fields;
    b->cap = cap;
  }
  r->tags[r->n] = tag;
  r->fields[r->n++] = f;
}

static bool in_present(TyExpr *te, const char *tag) {
  for (int i = 0; i < te->npresent; i++)
    if (strcmp(te->present[i], tag) == 0) return true;
  return false;
}

/* The fields of an inherited type `[ t | ... ]`, which must expand to a
 * static row. */
static void add_inherited(Typer *T, RowBuild *b, TyExpr *te, TyRowField *rf, TyVarScope *sc) {
  if (rf->inherit->kind == TE_VAR) /* perhaps a tag misspelt (OCaml's hint) */
    ty_error_textf(T, rf->loc,
                   "The type '%s does not expand to a polymorphic variant type\nHint: Did you mean `%s?",
                   rf->inherit->var, rf->inherit->var);
  Type *ty = ty_typexpr(T, rf->inherit, sc);
  Type *c = ty_repr(ty);
  bool named = c->kind == TY_CONSTR;
  if (named && b->r->n == 0) {
    b->r->name = c->decl;
    b->r->name_args = c->args;
    b->r->nname_args = c->nargs;
    b->r->name_path = c->path;
  } else {
    b->r->name = NULL;
  }
  Type *e = ty_expand_head(T, ty);
  RowDesc *ir = e->kind == TY_VARIANT ? ty_row_flatten(T, e) : NULL;
  if (!ir || !ty_row_static(T, ir)) {
    TyNames nm;
    ty_names_init(&nm, T, false);
    Buf buf;
    buf_init(&buf);
    Fmt *f = fmt_new(&buf);
    fmt_open_box(f, FMT_B, 0);
    fmt_string(f, "The type ");
    ty_fmt_type(f, &nm, ty);
    fmt_space(f);
    fmt_string(f, "does not expand to a polymorphic variant type");
    fmt_close_box(f);
    fmt_flush(f);
    fmt_free(f);
    const char *msg = arena_strdup(T->arena, buf.data);
    buf_free(&buf);
    ty_names_done(&nm);
    ty_error_text(T, rf->loc, msg);
  }
  for (int i = 0; i < ir->n; i++) {
    RfView v;
    ty_rf_view(T, ir->fields[i], &v);
    if (v.kind == RF_ABSENT) continue;
    RowField *f;
    if (te->row_kind == ROW_CLOSED && !in_present(te, ir->tags[i]))
      f = ty_rf_new(T, RF_EITHER, v.args, v.nargs, v.nargs == 0, false);
    else f = ty_rf_new(T, RF_PRESENT, v.args, v.nargs, false, false);
    add_field(T, b, ir->tags[i], f, rf->loc);
  }
}

Type *ty_row_typexpr(Typer *T, TyExpr *te, TyVarScope *sc) {
  RowBuild b = {ty_row_new(T, 0), 0};
  b.r->n = 0;
  for (int i = 0; i < te->nrfields; i++) {
    TyRowField *rf = &te->rfields[i];
    if (!rf->tag) {
      add_inherited(T, &b, te, rf, sc);
      continue;
    }
    b.r->name = NULL;
    Type **args = ARENA_ARRAY(T->arena, Type *, rf->nargs + 1);
    for (int k = 0; k < rf->nargs; k++) args[k] = ty_typexpr(T, rf->args[k], sc);
    RowField *f;
    if (te->row_kind == ROW_CLOSED && !in_present(te, rf->tag)) {
      f = ty_rf_new(T, RF_EITHER, args, rf->nargs, rf->nargs == 0 || rf->amp, false);
    } else {
      if (rf->nargs > 1 || (rf->amp && rf->nargs))
        ty_error_textf(T, te->loc, "The present constructor %s has a conjunctive type", rf->tag);
      f = ty_rf_new(T, RF_PRESENT, args, rf->nargs, false, false);
    }
    add_field(T, &b, rf->tag, f, rf->loc);
  }
  for (int i = 0; i < te->npresent; i++)
    if (!ty_row_field(b.r, te->present[i]))
      ty_error_text(T, te->loc, ty_error_layout(T, no_type_msg, (void *)te->present[i]));
  b.r->closed = te->row_kind != ROW_OPEN;
  /* A declaration's rows are generic, as its parameters: expansions and
   * instances copy them. */
  b.r->more = sc->closed ? ty_new_generic_var(T) : ty_new_var(T);
  ty_row_sort(b.r);
  return ty_new_variant(T, b.r);
}

/* A declared variant type's row prints as the declaration's name
 * (OCaml's set_row_name); a private one is fixed: no unification may
 * add tags to it or close it. Its row variable then stays one for every
 * expansion, as OCaml's abstract row type does. */
void ty_row_decl(Typer *T, TypeDecl *d) {
  Type *m = ty_repr(d->manifest);
  if (d->kind != TD_ABSTRACT || m->kind != TY_VARIANT) return;
  RowDesc *r = ty_row_flatten(T, m);
  RowDesc *c = ty_row_new(T, 0);
  *c = *r;
  bool stat = ty_row_static(T, r);
  if (d->private_ && !stat) {
    c->fixed = true;
    /* The row variable stands for OCaml's abstract `d#row`: it knows d,
     * which such a row prints as (see ty_print_row). */
    Type *rigid = ty_new_var(T);
    rigid->level = 0;
    rigid->decl = d;
    c->more = rigid;
    if (!c->name || d->nparams) {
      c->name = d;
      c->name_args = d->params;
      c->nname_args = d->nparams;
      c->name_path = d->name;
    }
  } else if (stat) {
    c->name = d;
    c->name_args = d->params;
    c->nname_args = d->nparams;
    c->name_path = d->name;
  } else {
    return;
  }
  /* In place: a recursive row (`[ `A of 'a ] as 'a`) keeps its cycle. */
  m->row = c;
  m->level = TY_GENERIC_LEVEL;
}

Type *ty_row_map(Typer *T, Type *t, Type *(*fn)(Typer *, Type *, void *), void *arg,
                 TypeDecl *(*decl_fn)(Typer *, TypeDecl *, void *)) {
  RowDesc *r = ty_row_flatten(T, t);
  RowDesc *c = ty_row_new(T, r->n);
  *c = *r;
  c->tags = ARENA_ARRAY(T->arena, const char *, r->n + 1);
  c->fields = ARENA_ARRAY(T->arena, RowField *, r->n + 1);
  bool changed = false;
  for (int i = 0; i < r->n; i++) {
    RfView v;
    ty_rf_view(T, r->fields[i], &v);
    c->tags[i] = r->tags[i];
    Type **args = ARENA_ARRAY(T->arena, Type *, v.nargs + 1);
    bool fchanged = false;
    for (int k = 0; k < v.nargs; k++) {
      args[k] = fn(T, v.args[k], arg);
      fchanged |= args[k] != v.args[k];
    }
    c->fields[i] = fchanged ? ty_rf_new(T, v.kind, args, v.nargs, v.constant, v.matched) : r->fields[i];
    changed |= fchanged;
  }
  if (r->nname_args) {
    c->name_args = ARENA_ARRAY(T->arena, Type *, r->nname_args);
    for (int i = 0; i < r->nname_args; i++) {
      c->name_args[i] = fn(T, r->name_args[i], arg);
      changed |= c->name_args[i] != r->name_args[i];
    }
  }
  if (r->name && decl_fn) {
    c->name = decl_fn(T, r->name, arg);
    changed |= c->name != r->name;
  }
  if (!changed) return ty_repr(t);
  Type *n = ty_new_variant(T, c);
  if (ty_repr(t)->level == TY_GENERIC_LEVEL) n->level = TY_GENERIC_LEVEL;
  return n;
}

/* ---- Walks and copies ------------------------------------------------------ */

/* Calls fn on each type a row holds: its fields' arguments, its row
 * variable and the arguments of its name, through the chain of rows. */
void ty_row_iter(Typer *T, Type *t, void (*fn)(Typer *, Type *, void *), void *arg) {
  for (Type *x = ty_repr(t); x->kind == TY_VARIANT; x = ty_repr(x->row->more)) {
    RowDesc *r = x->row;
    for (int i = 0; i < r->n; i++)
      for (RowField *f = r->fields[i]; f; f = f->link)
        for (int k = 0; k < f->nargs; k++) fn(T, f->args[k], arg);
    for (int i = 0; i < r->nname_args; i++) fn(T, r->name_args[i], arg);
    if (ty_repr(r->more)->kind != TY_VARIANT) fn(T, r->more, arg);
  }
}

/* A row field into the session arena, memoised in m as types are, so
 * that fields shared by several rows stay shared. */
RowField *ty_copy_field_to_session(Typer *T, CopyMap *m, RowField *f) {
  if (f->session) return f;
  RowField *c = ty_copymap_get(m, f);
  if (c) return c;
  c = ARENA_NEW(T->perm, RowField);
  *c = *f;
  c->session = true;
  ty_copymap_put(m, f, c);
  c->args = f->nargs ? ARENA_ARRAY(T->perm, Type *, f->nargs) : NULL;
  for (int i = 0; i < f->nargs; i++) c->args[i] = ty_copy_to_session(T, m, f->args[i]);
  if (f->link) c->link = ty_copy_field_to_session(T, m, f->link);
  return c;
}

RowDesc *ty_copy_row_to_session(Typer *T, CopyMap *m, RowDesc *r) {
  RowDesc *c = ARENA_NEW(T->perm, RowDesc);
  *c = *r;
  c->tags = ARENA_ARRAY(T->perm, const char *, r->n + 1);
  c->fields = ARENA_ARRAY(T->perm, RowField *, r->n + 1);
  for (int i = 0; i < r->n; i++) {
    c->tags[i] = arena_strdup(T->perm, r->tags[i]);
    c->fields[i] = ty_copy_field_to_session(T, m, r->fields[i]);
  }
  c->more = ty_copy_to_session(T, m, r->more);
  if (r->name) c->name = ty_copy_decl(T, m, r->name);
  if (r->name_path) c->name_path = arena_strdup(T->perm, r->name_path);
  if (r->nname_args) {
    c->name_args = ARENA_ARRAY(T->perm, Type *, r->nname_args);
    for (int i = 0; i < r->nname_args; i++) c->name_args[i] = ty_copy_to_session(T, m, r->name_args[i]);
  }
  return c;
}

/* ---- Declarations: an unbound row variable -------------------------------- */

typedef struct UnboundMsg {
  Typer *T;
  Type *row;
} UnboundMsg;

static void unbound_msg(Fmt *f, void *arg) {
  UnboundMsg *m = arg;
  TyNames nm;
  ty_names_init(&nm, m->T, false);
  fmt_open_box(f, FMT_V, 0);
  fmt_string(f, "A type variable is unbound in this type declaration.");
  fmt_cut(f);
  fmt_open_box(f, FMT_HOV, 2);
  fmt_string(f, "In type");
  fmt_space(f);
  ty_fmt_type(f, &nm, m->row);
  fmt_string(f, " as 'a");
  fmt_break(f, 1, -2);
  fmt_string(f, "the variable 'a is unbound");
  fmt_close_box(f);
  fmt_close_box(f);
  ty_names_done(&nm);
}

void ty_row_check_bound(Typer *T, TypeDecl *d, Loc loc) {
  if (d->kind != TD_ABSTRACT || !d->manifest || d->private_) return; /* a private row's own */
  Type *m = ty_repr(d->manifest);
  if (m->kind != TY_VARIANT) return;
  RowDesc *r = ty_row_flatten(T, m);
  if (ty_row_static(T, r) || r->fixed) return;
  for (int i = 0; i < d->nparams; i++)
    if (ty_repr(d->params[i]) == m) return; /* `[> `A ] as 'a` with 'a a parameter */
  UnboundMsg msg = {T, m};
  ty_error_text(T, loc, ty_error_layout(T, unbound_msg, &msg));
}

static bool occurs_in(Type *t, Type *v, int depth, int max_depth) {
  t = ty_repr(t);
  if (t == v) return true;
  if (depth > max_depth) return false;
  switch (t->kind) {
  case TY_ARROW: return occurs_in(t->a, v, depth + 1, max_depth) || occurs_in(t->b, v, depth + 1, max_depth);
  case TY_VARIANT:
    for (Type *x = t; x->kind == TY_VARIANT; x = ty_repr(x->row->more))
      for (int i = 0; i < x->row->n; i++)
        for (RowField *f = x->row->fields[i]; f; f = f->link)
          for (int k = 0; k < f->nargs; k++)
            if (occurs_in(f->args[k], v, depth + 1, max_depth)) return true;
    return false;
  default:
    for (int i = 0; i < t->nargs; i++)
      if (occurs_in(t->args[i], v, depth + 1, max_depth)) return true;
    return false;
  }
}

bool ty_occurs(Type *v, Type *t, int max_depth) { return occurs_in(t, v, 0, max_depth); }

void ty_row_decl_injective(TypeDecl *d) {
  if (!d->private_ || !d->manifest || !d->variance) return;
  Type *m = ty_repr(d->manifest);
  if (m->kind != TY_VARIANT || !m->row->fixed) return;
  /* A parameter the row's present tags carry is determined by the type. */
  for (int i = 0; i < d->nparams; i++) {
    Type *p = ty_repr(d->params[i]);
    for (int k = 0; k < m->row->n; k++) {
      RowField *f = m->row->fields[k];
      if (f->kind == RF_PRESENT && !f->link && f->nargs && ty_occurs(p, f->args[0], 30))
        d->variance[i] |= VAR_INJ;
    }
  }
}
