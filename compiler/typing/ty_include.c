/* ty_include.c — signature matching, after OCaml's Includemod and
 * Includecore: whether a module matches a module type (every component
 * of the type provided, each type declaration, value, exception,
 * submodule and module type compatible) and, when it does not, why, as
 * a tree (ty_include.h) that ty_include_msg.c turns into OCaml 4.13's
 * messages. Ascription, functor application and with constraints
 * (ty_module.c) and re-exported types (ty_decl.c) call it. */
#include <string.h>

#include "ty_include.h"

/* ---- Which declaration a type stands for ------------------------------------ */

/* OCaml substitutes the expected signature's type identifiers by the
 * implementation's before comparing; here comparisons look declarations
 * up in this map instead (the expected signature's declaration -> the
 * one it stands for). A functor's parameter maps the implementation's
 * parameter to the expected one's, which the bodies are compared under. */
typedef struct RowPair {
  Type *a, *b;
  const struct RowPair *up;
} RowPair;

typedef struct Incl {
  Typer *T;
  TypeDecl **from, **to;
  int npairs, cap;
  const RowPair *rows; /* the rows eq is comparing: met again, they are
                          equal (rows may be cyclic) */
} Incl;

static void incl_pair(Incl *I, TypeDecl *from, TypeDecl *to) {
  if (ty_same_decl(from, to)) return;
  for (int i = 0; i < I->npairs; i++)
    if (I->from[i] == from && I->to[i] == to) return;
  if (I->npairs == I->cap) {
    int cap = I->cap ? I->cap * 2 : 32;
    TypeDecl **f = ARENA_ARRAY(I->T->arena, TypeDecl *, cap), **t = ARENA_ARRAY(I->T->arena, TypeDecl *, cap);
    if (I->npairs) {
      memcpy(f, I->from, sizeof *f * (size_t)I->npairs);
      memcpy(t, I->to, sizeof *t * (size_t)I->npairs);
    }
    I->from = f;
    I->to = t;
    I->cap = cap;
  }
  I->from[I->npairs] = from;
  I->to[I->npairs++] = to;
}

static TypeDecl *canon(Incl *I, TypeDecl *d) {
  for (int guard = 0; guard < 32; guard++) {
    int k = -1;
    for (int i = I->npairs - 1; i >= 0; i--)
      if (ty_same_decl(I->from[i], d)) {
        k = i;
        break;
      }
    if (k < 0) return d;
    d = I->to[k];
  }
  return d;
}

static bool same_decl(Incl *I, TypeDecl *a, TypeDecl *b) { return ty_same_decl(canon(I, a), canon(I, b)); }

/* One expansion of an abbreviation, through the map. Private
 * abbreviations expand only when asked (Ctype.expand_head keeps them). */
static Type *expand_once(Incl *I, Type *t, bool through_private) {
  t = ty_repr(t);
  if (t->kind != TY_CONSTR) return NULL;
  TypeDecl *d = canon(I, t->decl);
  if (!d->manifest || d->nparams != t->nargs) return NULL;
  if (d->private_ && d->kind == TD_ABSTRACT && !through_private) return NULL;
  return ty_subst_params(I->T, d, t->args, d->manifest);
}

static Type *expand_head(Incl *I, Type *t) {
  t = ty_repr(t);
  for (int guard = 0; guard < 100; guard++) {
    Type *e = expand_once(I, t, false);
    if (!e) return t;
    t = ty_repr(e);
  }
  return t;
}

/* ---- Equality (Ctype.equal) ------------------------------------------------- */

/* With renaming, variables correspond one to one; without, a variable
 * equals only itself. */
typedef struct Ren {
  Type **a, **b;
  int n, cap;
} Ren;

static bool ren_var(Incl *I, Ren *r, Type *a, Type *b) {
  if (!r) return a == b;
  for (int i = 0; i < r->n; i++) {
    if (r->a[i] == a) return r->b[i] == b;
    if (r->b[i] == b) return false;
  }
  if (r->n == r->cap) {
    int cap = r->cap ? r->cap * 2 : 16;
    Type **na = ARENA_ARRAY(I->T->arena, Type *, cap), **nb = ARENA_ARRAY(I->T->arena, Type *, cap);
    if (r->n) {
      memcpy(na, r->a, sizeof *na * (size_t)r->n);
      memcpy(nb, r->b, sizeof *nb * (size_t)r->n);
    }
    r->a = na;
    r->b = nb;
    r->cap = cap;
  }
  r->a[r->n] = a;
  r->b[r->n++] = b;
  return true;
}

static bool eq(Incl *I, Ren *r, Type *a, Type *b, int depth);

/* Two rows are equal with the same fields, arguments and closedness, and
 * row variables that correspond when they are not static. */
static bool eq_rows_in(Incl *I, Ren *r, Type *a, Type *b, int depth);

static bool eq_rows(Incl *I, Ren *r, Type *a, Type *b, int depth) {
  for (const RowPair *p = I->rows; p; p = p->up)
    if (p->a == a && p->b == b) return true;
  RowPair here = {a, b, I->rows};
  I->rows = &here;
  bool ok = eq_rows_in(I, r, a, b, depth);
  I->rows = here.up;
  return ok;
}

static bool eq_rows_in(Incl *I, Ren *r, Type *a, Type *b, int depth) {
  Typer *T = I->T;
  RowDesc *ra = ty_row_flatten(T, a), *rb = ty_row_flatten(T, b);
  if (ra->closed != rb->closed) return false;
  for (int pass = 0; pass < 2; pass++) {
    RowDesc *x = pass ? rb : ra, *y = pass ? ra : rb;
    for (int i = 0; i < x->n; i++) {
      RfView v, w;
      ty_rf_view(T, x->fields[i], &v);
      RowField *g = ty_row_field(y, x->tags[i]);
      if (!g) {
        if (v.kind == RF_ABSENT || (x->closed && v.kind == RF_EITHER && !pass)) continue;
        return false;
      }
      if (pass) continue;
      ty_rf_view(T, g, &w);
      if (v.kind != w.kind || v.nargs != w.nargs || v.constant != w.constant) return false;
      for (int k = 0; k < v.nargs; k++)
        if (!eq(I, r, v.args[k], w.args[k], depth + 1)) return false;
    }
  }
  if (ty_row_static(T, ra) && ty_row_static(T, rb)) return true;
  return ren_var(I, r, ty_repr(ra->more), ty_repr(rb->more));
}

static bool eq(Incl *I, Ren *r, Type *a, Type *b, int depth) {
  if (depth > 1000) return false; /* cyclic types */
  a = ty_repr(a);
  b = ty_repr(b);
  if (a == b) return true;
  if (a->kind == TY_VAR && b->kind == TY_VAR) return ren_var(I, r, a, b);
  if (a->kind == TY_CONSTR && b->kind == TY_CONSTR && a->nargs == 0 && b->nargs == 0 &&
      same_decl(I, a->decl, b->decl))
    return true;
  a = expand_head(I, a);
  b = expand_head(I, b);
  if (a == b) return true;
  if (a->kind != b->kind) return false;
  switch (a->kind) {
  case TY_VAR: return ren_var(I, r, a, b);
  case TY_VARIANT: return eq_rows(I, r, a, b, depth);
  case TY_ARROW:
    return ast_label_equal(a->label, b->label) && eq(I, r, a->a, b->a, depth + 1) &&
           eq(I, r, a->b, b->b, depth + 1);
  case TY_PACKAGE:
    if (!ty_same_package(a, b)) return false;
    /* fall through */
  case TY_CONSTR:
    if (a->kind == TY_CONSTR && !same_decl(I, a->decl, b->decl)) return false;
    /* fall through */
  case TY_TUPLE:
    if (a->nargs != b->nargs) return false;
    for (int i = 0; i < a->nargs; i++)
      if (!eq(I, r, a->args[i], b->args[i], depth + 1)) return false;
    return true;
  }
  return false;
}

/* Equality of two lists under one renaming, as Ctype.equal compares a
 * declaration's parameters together with what uses them. */
static bool eq_lists(Incl *I, Type **as, int na, Type **as2, int na2, Type **bs, int nb, Type **bs2,
                     int nb2) {
  Ren r = {0};
  if (na != nb || na2 != nb2) return false;
  for (int i = 0; i < na; i++)
    if (!eq(I, &r, as[i], bs[i], 0)) return false;
  for (int i = 0; i < na2; i++)
    if (!eq(I, &r, as2[i], bs2[i], 0)) return false;
  return true;
}

/* ---- Instances (Ctype.moregeneral) ------------------------------------------ */

/* A scheme matches another when an instance of it is the other: its
 * generic variables may stand for any type (bound in vars), its
 * non-generic ("weak") ones for closed types, which they are then bound
 * to; the other's variables stand for themselves. */
typedef struct Moregen {
  Incl *I;
  Ren vars; /* generic variable -> what it stands for */
  Type **weak;
  Type **weak_old;
  int nweak, cweak;
  Type **pairs; /* pairs of nodes being matched: cyclic types (-rectypes) */
  int npairs, cpairs;
} Moregen;

/* t with the declarations the map replaces replaced (what OCaml's
 * substitution makes of the expected signature's types). */
static Type *canon_type(Incl *I, Type *t, int depth);
static Type *canon_row_item(Typer *T, Type *t, void *I) {
  (void)T;
  return canon_type(I, t, 500);
}
static TypeDecl *canon_row_decl(Typer *T, TypeDecl *d, void *I) {
  (void)T;
  return canon(I, d);
}

static Type *canon_type(Incl *I, Type *t, int depth) {
  t = ty_repr(t);
  if (depth > 1000) return t;
  switch (t->kind) {
  case TY_VAR: return t;
  case TY_VARIANT: return depth >= 500 ? t : ty_row_map(I->T, t, canon_row_item, I, canon_row_decl);
  case TY_ARROW:
    return ty_copy_arrow(I->T, t, canon_type(I, t->a, depth + 1), canon_type(I, t->b, depth + 1));
  case TY_TUPLE:
  case TY_PACKAGE:
  case TY_CONSTR: {
    Type **args = ARENA_ARRAY(I->T->arena, Type *, t->nargs + 1);
    for (int i = 0; i < t->nargs; i++) args[i] = canon_type(I, t->args[i], depth + 1);
    if (t->kind == TY_TUPLE) return ty_new_tuple(I->T, args, t->nargs);
    if (t->kind == TY_PACKAGE) return ty_new_package(I->T, t->pkg, t->path, t->pkg_names, args, t->nargs);
    TypeDecl *d = canon(I, t->decl);
    return ty_new_constr(I->T, d, args, t->nargs, d == t->decl ? t->path : d->path);
  }
  }
  return t;
}

/* What weak variable v may stand for when t is expected: t, with the
 * abbreviations of types declared after v was made expanded; NULL when
 * t has variables or such types that are no abbreviations
 * (Ctype.moregen_occur and its level check). */
static Type *for_weak(Incl *I, Type *v, Type *t, int depth) {
  t = ty_repr(t);
  if (depth > 1000) return NULL;
  switch (t->kind) {
  case TY_VAR:
  case TY_VARIANT: return NULL; /* rows have variables */
  case TY_ARROW: {
    Type *a = for_weak(I, v, t->a, depth + 1), *b = a ? for_weak(I, v, t->b, depth + 1) : NULL;
    return !b ? NULL : a == t->a && b == t->b ? t : ty_copy_arrow(I->T, t, a, b);
  }
  case TY_PACKAGE: return NULL; /* not for a weak variable here */
  case TY_CONSTR:
  case TY_TUPLE: {
    if (t->kind == TY_CONSTR && t->decl->time > v->id) {
      Type *e = expand_once(I, t, false);
      return e ? for_weak(I, v, e, depth + 1) : NULL;
    }
    Type **args = ARENA_ARRAY(I->T->arena, Type *, t->nargs + 1);
    bool same = true;
    for (int i = 0; i < t->nargs; i++) {
      if (!(args[i] = for_weak(I, v, t->args[i], depth + 1))) return NULL;
      same &= args[i] == t->args[i];
    }
    if (same) return t;
    if (t->kind == TY_TUPLE) return ty_new_tuple(I->T, args, t->nargs);
    return ty_new_constr(I->T, t->decl, args, t->nargs, t->path);
  }
  }
  return NULL;
}

/* Binds the weak variable v to t: session variables through the
 * unifier, which records them for commit and rollback; phrase ones
 * directly, remembered to be unbound if the match fails (OCaml's
 * toplevel backtracks them before printing the error). */
static bool bind_weak(Moregen *m, Type *v, Type *t) {
  Typer *T = m->I->T;
  t = for_weak(m->I, v, canon_type(m->I, t, 0), 0);
  if (!t) return false;
  if (v->session) return ty_unify(T, v, t);
  if (m->nweak == m->cweak) {
    int cap = m->cweak ? m->cweak * 2 : 8;
    Type **w = ARENA_ARRAY(T->arena, Type *, cap), **o = ARENA_ARRAY(T->arena, Type *, cap);
    if (m->nweak) {
      memcpy(w, m->weak, sizeof *w * (size_t)m->nweak);
      memcpy(o, m->weak_old, sizeof *o * (size_t)m->nweak);
    }
    m->weak = w;
    m->weak_old = o;
    m->cweak = cap;
  }
  m->weak[m->nweak] = v;
  m->weak_old[m->nweak++] = v->link;
  v->link = t;
  return true;
}

static bool moregen(Moregen *m, Type *p, Type *s, int depth);

static bool moregen_var(Moregen *m, Type *p, Type *s) {
  if (p->level != TY_GENERIC_LEVEL) return bind_weak(m, p, s);
  Ren *r = &m->vars;
  for (int i = 0; i < r->n; i++)
    if (r->a[i] == p) return eq(m->I, NULL, r->b[i], s, 0);
  if (r->n == r->cap) {
    int cap = r->cap ? r->cap * 2 : 16;
    Type **na = ARENA_ARRAY(m->I->T->arena, Type *, cap), **nb = ARENA_ARRAY(m->I->T->arena, Type *, cap);
    if (r->n) {
      memcpy(na, r->a, sizeof *na * (size_t)r->n);
      memcpy(nb, r->b, sizeof *nb * (size_t)r->n);
    }
    r->a = na;
    r->b = nb;
    r->cap = cap;
  }
  r->a[r->n] = p;
  r->b[r->n++] = s;
  return true;
}

/* OCaml's moregen_row, without settling fields: p's row may be s's when
 * its variable may stand for s's extra tags. */
static bool moregen_row(Moregen *m, Type *p, Type *s, int depth) {
  Typer *T = m->I->T;
  RowDesc *r1 = ty_row_flatten(T, p), *r2 = ty_row_flatten(T, s);
  Type *rm1 = ty_repr(r1->more), *rm2 = ty_repr(r2->more);
  if (rm1 == rm2) return true;
  bool may_inst = rm1->kind == TY_VAR && rm1->level == TY_GENERIC_LEVEL && !r1->fixed;
  for (int i = 0; i < r1->n; i++) {
    if (ty_row_field(r2, r1->tags[i])) continue;
    RfView v;
    ty_rf_view(T, r1->fields[i], &v);
    if (r2->closed && (v.kind == RF_ABSENT || (v.kind == RF_EITHER && may_inst))) continue;
    return false;
  }
  int extra = 0;
  for (int i = 0; i < r2->n; i++) {
    RfView v;
    ty_rf_view(T, r2->fields[i], &v);
    if (!ty_row_field(r1, r2->tags[i]) && !(r2->closed && v.kind == RF_ABSENT)) extra++;
  }
  if (r1->closed && (!r2->closed || extra)) return false;
  if (!ty_row_static(T, r1)) {
    if (!may_inst || !moregen_var(m, rm1, rm2)) return false;
  }
  for (int i = 0; i < r1->n; i++) {
    RowField *g = ty_row_field(r2, r1->tags[i]);
    if (!g) continue;
    RfView a, b;
    ty_rf_view(T, r1->fields[i], &a);
    ty_rf_view(T, g, &b);
    if (a.kind == RF_ABSENT && b.kind == RF_ABSENT) continue;
    if (a.kind == RF_PRESENT && b.kind == RF_PRESENT) {
      if (a.nargs != b.nargs || (a.nargs && !moregen(m, a.args[0], b.args[0], depth + 1))) return false;
      continue;
    }
    if (a.kind == RF_EITHER && b.kind != RF_ABSENT && may_inst) {
      if (b.kind == RF_EITHER && a.constant && !b.constant) return false;
      if (b.nargs == 0 && a.nargs && !a.constant) return false;
      for (int k = 0; k < a.nargs && b.nargs; k++)
        if (!moregen(m, a.args[k], b.args[k < b.nargs ? k : 0], depth + 1)) return false;
      continue;
    }
    if (a.kind == RF_EITHER && b.kind == RF_ABSENT && may_inst) continue;
    if (a.kind == RF_EITHER && b.kind == RF_EITHER) {
      if (a.constant && !b.constant) return false;
      for (int k = 0; k < a.nargs && b.nargs; k++)
        if (!moregen(m, a.args[k], b.args[k < b.nargs ? k : 0], depth + 1)) return false;
      continue;
    }
    return false;
  }
  return true;
}

static bool moregen(Moregen *m, Type *p, Type *s, int depth) {
  if (depth > 1000) return false;
  p = ty_repr(p);
  s = ty_repr(s);
  if (p == s) return true;
  if (p->kind == TY_VAR) return moregen_var(m, p, s);
  /* A pair met again inside itself matches (cyclic types). */
  for (int i = 0; i < m->npairs; i += 2)
    if (m->pairs[i] == p && m->pairs[i + 1] == s) return true;
  if (m->npairs + 2 > m->cpairs) {
    int cap = m->cpairs ? 2 * m->cpairs : 32;
    Type **n = ARENA_ARRAY(m->I->T->arena, Type *, cap);
    if (m->npairs) memcpy(n, m->pairs, sizeof *n * (size_t)m->npairs);
    m->pairs = n;
    m->cpairs = cap;
  }
  m->pairs[m->npairs++] = p;
  m->pairs[m->npairs++] = s;
  if (p->kind == TY_CONSTR && s->kind == TY_CONSTR && p->nargs == 0 && s->nargs == 0 &&
      same_decl(m->I, p->decl, s->decl))
    return true;
  p = expand_head(m->I, p);
  s = expand_head(m->I, s);
  if (p == s) return true;
  if (p->kind == TY_VAR) return moregen_var(m, p, s);
  if (p->kind != s->kind) return false;
  switch (p->kind) {
  case TY_VAR: return false;
  case TY_VARIANT: return moregen_row(m, p, s, depth);
  case TY_ARROW:
    return ty_labels_compatible(m->I->T, p->label, s->label) && moregen(m, p->a, s->a, depth + 1) &&
           moregen(m, p->b, s->b, depth + 1);
  case TY_PACKAGE:
    if (!ty_same_package(p, s)) return false;
    /* fall through */
  case TY_CONSTR:
    if (p->kind == TY_CONSTR && !same_decl(m->I, p->decl, s->decl)) return false;
    /* fall through */
  case TY_TUPLE:
    if (p->nargs != s->nargs) return false;
    for (int i = 0; i < p->nargs; i++)
      if (!moregen(m, p->args[i], s->args[i], depth + 1)) return false;
    return true;
  }
  return false;
}

/* Whether value v1 (the implementation's) may be seen as v2. */
static bool value_incl(Incl *I, ValueDesc *v1, ValueDesc *v2) {
  Moregen m = {I, {0}, NULL, NULL, 0, 0, NULL, 0, 0};
  int trail = I->T->ntrail;
  bool ok = moregen(&m, v1->ty, v2->ty, 0);
  if (ok && v2->kind == VAL_PRIM) {
    /* A primitive is expected: the same primitive. */
    ok = v1->kind == VAL_PRIM && strcmp(v1->prim, v2->prim) == 0 && v1->prim_arity == v2->prim_arity;
  }
  if (!ok) {
    for (int i = m.nweak - 1; i >= 0; i--) m.weak[i]->link = m.weak_old[i];
    ty_trail_undo(I->T, trail);
  }
  return ok;
}

/* ---- Type declarations (Includecore.type_declarations) ---------------------- */

/* Compares constructors c1, c2 (arguments and parameters together, as
 * Includecore.compare_constructor_arguments). */
static bool constr_args(Incl *I, Type **params1, Type **params2, int np, ConstrDesc *c1, ConstrDesc *c2,
                        TypeMismatch *tm) {
  tm->c1 = c1;
  tm->c2 = c2;
  if (c1->nargs != c2->nargs) {
    tm->sub = TMS_ARITY;
    return false;
  }
  if (!eq_lists(I, params1, np, c1->args, c1->nargs, params2, np, c2->args, c2->nargs)) {
    tm->sub = TMS_TYPES;
    return false;
  }
  return true;
}

static bool variants(Incl *I, TypeDecl *d1, TypeDecl *d2, TypeMismatch *tm) {
  for (int i = 0;; i++) {
    if (i == d1->nconstrs && i == d2->nconstrs) return true;
    tm->n = i + 1;
    if (i == d1->nconstrs || i == d2->nconstrs) {
      tm->kind = TM_CONSTR_MISSING;
      tm->first = i < d1->nconstrs;
      tm->name1 = tm->first ? d1->constrs[i]->name : d2->constrs[i]->name;
      return false;
    }
    ConstrDesc *c1 = d1->constrs[i], *c2 = d2->constrs[i];
    if (strcmp(c1->name, c2->name) != 0) {
      tm->kind = TM_CONSTR_NAMES;
      tm->name1 = c1->name;
      tm->name2 = c2->name;
      return false;
    }
    tm->kind = TM_CONSTR;
    if (!constr_args(I, d1->params, d2->params, d1->nparams, c1, c2, tm)) return false;
  }
}

static bool records(Incl *I, TypeDecl *d1, TypeDecl *d2, TypeMismatch *tm) {
  /* Each field is compared with the parameters and the fields before it
   * (Includecore.compare_records, PR#7378). */
  int n = d1->nparams;
  Type **l1 = ARENA_ARRAY(I->T->arena, Type *, n + d1->nfields + 1);
  Type **l2 = ARENA_ARRAY(I->T->arena, Type *, n + d2->nfields + 1);
  memcpy(l1, d1->params, sizeof *l1 * (size_t)n);
  memcpy(l2, d2->params, sizeof *l2 * (size_t)n);
  for (int i = 0;; i++) {
    if (i == d1->nfields && i == d2->nfields) break;
    tm->n = i + 1;
    if (i == d1->nfields || i == d2->nfields) {
      tm->kind = TM_FIELD_MISSING;
      tm->first = i < d1->nfields;
      tm->name1 = tm->first ? d1->fields[i]->name : d2->fields[i]->name;
      return false;
    }
    FieldDesc *f1 = d1->fields[i], *f2 = d2->fields[i];
    if (strcmp(f1->name, f2->name) != 0) {
      tm->kind = TM_FIELD_NAMES;
      tm->name1 = f1->name;
      tm->name2 = f2->name;
      return false;
    }
    tm->kind = TM_FIELD;
    tm->f1 = f1;
    tm->f2 = f2;
    if (f1->mutable_ != f2->mutable_) {
      tm->sub = TMS_MUTABLE;
      tm->first = f1->mutable_;
      return false;
    }
    if (!eq_lists(I, l1, n, &f1->ty, 1, l2, n, &f2->ty, 1)) {
      tm->sub = TMS_TYPES;
      return false;
    }
    l1[n] = f1->ty;
    l2[n++] = f2->ty;
  }
  if (d1->float_record != d2->float_record) {
    tm->kind = TM_FLOAT_REPR;
    tm->first = d1->float_record;
    return false;
  }
  return true;
}

/* The variances a parameter may have: covariant (co), contravariant (cn). */
static void upper_variance(TypeDecl *d, int i, bool *co, bool *cn) {
  if (!d->variance) {
    *co = true;
    *cn = !ty_param_covariant(d, i);
    return;
  }
  unsigned char v = d->variance[i];
  *co = (v & (VAR_CO | VAR_INV)) != 0;
  *cn = (v & (VAR_CONTRA | VAR_INV)) != 0;
}

/* Whether parameter i of d is injective (t a = t b implies a = b): as
 * declared for an abstract type, always for a variant or record, when it
 * occurs in an abbreviation's definition (an approximation of OCaml's
 * computation through the constructors' injectivity). */

static bool injective(TypeDecl *d, int i) {
  if (d->variance && (d->variance[i] & VAR_INJ)) return true;
  if (d->kind != TD_ABSTRACT) return true;
  Type *m = ty_incl_own_manifest(d);
  return m && !d->private_ && ty_occurs(ty_repr(d->params[i]), m, 100);
}

/* A private row m2 (of d2) seen from row m1 (of d1), as Includecore's
 * type_manifest: m1 has no tag m2 lacks when m2 is closed, m2 none m1
 * lacks, and the tags both have agree, a present one with an undecided
 * one of its argument. */
static bool private_row_incl(Incl *I, TypeDecl *d1, Type *m1, TypeDecl *d2, Type *m2) {
  Typer *T = I->T;
  Type *e1 = expand_head(I, m1), *e2 = expand_head(I, m2);
  if (e1->kind != TY_VARIANT || e2->kind != TY_VARIANT) return false;
  Ren r = {0};
  for (int i = 0; i < d1->nparams; i++)
    if (!eq(I, &r, d1->params[i], d2->params[i], 0)) return false;
  RowDesc *r1 = ty_row_flatten(T, e1), *r2 = ty_row_flatten(T, e2);
  if (r2->closed && !r1->closed) return false;
  for (int i = 0; i < r2->n; i++) {
    RfView v;
    ty_rf_view(T, r2->fields[i], &v);
    if (!ty_row_field(r1, r2->tags[i]) && v.kind != RF_ABSENT) return false;
  }
  for (int i = 0; i < r1->n; i++) {
    RfView a, b;
    ty_rf_view(T, r1->fields[i], &a);
    RowField *g = ty_row_field(r2, r1->tags[i]);
    if (!g) {
      if (r2->closed && a.kind != RF_ABSENT) return false;
      continue;
    }
    ty_rf_view(T, g, &b);
    bool ok;
    if (a.kind == RF_PRESENT && a.nargs)
      ok = (b.kind == RF_PRESENT || (b.kind == RF_EITHER && !b.constant && b.nargs == 1)) && b.nargs &&
           eq(I, &r, a.args[0], b.args[0], 0);
    else if (a.kind == RF_PRESENT)
      ok = (b.kind == RF_PRESENT && !b.nargs) || (b.kind == RF_EITHER && b.constant && !b.nargs);
    else if (a.kind == RF_EITHER && b.kind == RF_EITHER) {
      ok = a.constant == b.constant && a.nargs == b.nargs;
      for (int k = 0; ok && k < a.nargs; k++) ok = eq(I, &r, a.args[k], b.args[k], 0);
    } else ok = a.kind == RF_ABSENT && b.kind != RF_PRESENT;
    if (!ok) return false;
  }
  return true;
}

/* Whether m1 (of d1) equals m2 (of d2), private m2 letting m1 expand
 * through private abbreviations (Ctype.equal_private). */
static bool manifests_equal(Incl *I, TypeDecl *d1, Type *m1, TypeDecl *d2, Type *m2) {
  Type *r2 = ty_repr(m2);
  if (d2->private_ && r2->kind == TY_VARIANT && r2->row->fixed) return private_row_incl(I, d1, m1, d2, m2);
  for (int guard = 0; guard < 100; guard++) {
    if (eq_lists(I, d1->params, d1->nparams, &m1, 1, d2->params, d2->nparams, &m2, 1)) return true;
    if (!d2->private_) return false;
    Type *e = expand_once(I, expand_head(I, m1), true);
    if (!e) return false;
    m1 = e;
  }
  return false;
}

/* Whether declaration d1 (the implementation's) may be seen as d2. */
static bool type_decl_incl(Incl *I, TypeDecl *d1, TypeDecl *d2, TypeMismatch *tm) {
  memset(tm, 0, sizeof *tm);
  if (d1->nparams != d2->nparams) {
    tm->kind = TM_ARITY;
    return false;
  }
  Type *m1 = ty_incl_own_manifest(d1), *m2 = ty_incl_own_manifest(d2);
  if (d1->private_ && !d2->private_ && !(d2->kind == TD_ABSTRACT && (!m2 || d1->kind != TD_ABSTRACT))) {
    tm->kind = TM_PRIVACY;
    return false;
  }
  /* Without a manifest to compare in d2, the parameters are (Includecore:
   * constraints may make them types). */
  if ((!m2 || !m1) && !eq_lists(I, d1->params, d1->nparams, NULL, 0, d2->params, d2->nparams, NULL, 0)) {
    tm->kind = TM_CONSTRAINT;
    return false;
  }
  tm->kind = TM_MANIFEST;
  if (m2 && m1 && !manifests_equal(I, d1, m1, d2, m2)) return false;
  if (m2 && !m1) {
    Type *t1 = ty_new_constr(I->T, d1, d2->params, d2->nparams, d1->path);
    if (!eq(I, NULL, t1, m2, 0)) return false;
  }
  if (d2->kind != TD_ABSTRACT) {
    if (d1->kind != d2->kind) {
      tm->kind = TM_KIND;
      return false;
    }
    if (d1->kind == TD_VARIANT && !variants(I, d1, d2, tm)) return false;
    if (d1->kind == TD_RECORD && !records(I, d1, d2, tm)) return false;
  }
  bool abstr = d2->kind == TD_ABSTRACT && !m2;
  if (!abstr && !d1->private_) return true;
  abstr = abstr || d2->private_;
  for (int i = 0; i < d1->nparams && abstr; i++) {
    bool co1, cn1, co2, cn2;
    upper_variance(d1, i, &co1, &cn1);
    upper_variance(d2, i, &co2, &cn2);
    bool inj2 = d2->variance && (d2->variance[i] & VAR_INJ);
    if ((co1 && !co2) || (cn1 && !cn2) || (inj2 && !injective(d1, i))) {
      tm->kind = TM_VARIANCE;
      return false;
    }
  }
  return true;
}

/* Exceptions (Includecore.extension_constructors). */
static bool exn_incl(Incl *I, ConstrDesc *c1, ConstrDesc *c2, TypeMismatch *tm) {
  memset(tm, 0, sizeof *tm);
  tm->kind = TM_CONSTR;
  return constr_args(I, NULL, NULL, 0, c1, c2, tm);
}

/* ---- Strengthening (Mtype.strengthen) ------------------------------------- */

static const char *join_path(Typer *T, const char *path, const char *name) {
  return path && *path ? arena_printf(T->arena, "%s.%s", path, name) : name;
}

/* A module known by a path shows its types as that path's: an abstract
 * type, a variant or a record `type t` of module P is `type t = P.t`. */
static TypeDecl *strengthen_decl(Typer *T, TypeDecl *d, const char *path) {
  if (!path) return d;
  Type *m = ty_incl_own_manifest(d);
  if (m && (!d->private_ || d->kind != TD_ABSTRACT)) return d;
  TypeDecl *alias = ARENA_NEW(T->arena, TypeDecl);
  *alias = *d;
  alias->session = false;
  alias->path = join_path(T, path, d->name);
  alias->path_whole = true;
  TypeDecl *s = ARENA_NEW(T->arena, TypeDecl);
  *s = *d;
  s->session = false;
  s->manifest = ty_new_constr(T, alias, s->params, s->nparams, alias->path);
  s->manifest_implied = false;
  if (s->kind == TD_ABSTRACT) s->private_ = false;
  return s;
}

/* The signature of md as seen through path: its types strengthened, its
 * submodules aliases (`module N = P.N`), its abstract module types
 * `module type S = P.S`. Only for showing: components are looked up in
 * md itself. */
ModuleDesc *ty_incl_strengthen(Typer *T, ModuleDesc *md, const char *path) {
  if (!path || md->is_functor || md->is_abstract) return md;
  ModuleDesc *c = ARENA_NEW(T->arena, ModuleDesc);
  *c = *md;
  c->session = false;
  c->sig_name = NULL;
  c->items = ARENA_ARRAY(T->arena, ModItem, md->nitems + 1);
  for (int i = 0; i < md->nitems; i++) {
    ModItem it = md->items[i];
    if (it.kind == MI_TYPE) {
      it.desc = strengthen_decl(T, it.desc, path);
    } else if (it.kind == MI_MODULE && !((ModuleDesc *)it.desc)->is_alias) {
      ModuleDesc *a = ARENA_NEW(T->arena, ModuleDesc);
      *a = *(ModuleDesc *)it.desc;
      a->session = false;
      a->is_alias = true;
      a->alias_of = join_path(T, path, it.name);
      it.desc = a;
    } else if (it.kind == MI_MODTYPE && ((ModuleDesc *)it.desc)->is_abstract) {
      ModuleDesc *a = ARENA_NEW(T->arena, ModuleDesc);
      *a = *(ModuleDesc *)it.desc;
      a->session = false;
      a->sig_name = join_path(T, path, it.name);
      it.desc = a;
    }
    c->items[i] = it;
  }
  return c;
}

/* ---- Module types (Includemod.modtypes) ------------------------------------- */

static MtyDiff *modtypes(Incl *I, ModuleDesc *got, const char *path, ModuleDesc *expected);

static MtyDiff *new_diff(Incl *I, ModuleDesc *got, const char *path, ModuleDesc *expected, SymKind sym) {
  MtyDiff *d = ARENA_NEW(I->T->arena, MtyDiff);
  d->got = ty_incl_strengthen(I->T, got, path);
  d->expected = expected;
  d->sym = sym;
  return d;
}

/* md's component of that kind and name (the last one: later ones shadow). */
static ModItem *find_item(ModuleDesc *md, ModItemKind kind, const char *name) {
  for (int i = md->nitems - 1; i >= 0; i--)
    if (md->items[i].kind == kind && strcmp(md->items[i].name, name) == 0) return &md->items[i];
  return NULL;
}

static bool is_sig(ModuleDesc *md) { return md && !md->is_functor && !md->is_abstract && md->env; }

/* Pairs the types of expected with got's, through submodules too. */
static void pair_types(Incl *I, ModuleDesc *got, ModuleDesc *expected, int depth) {
  if (!is_sig(got) || !is_sig(expected) || depth > 50) return;
  for (int i = 0; i < expected->nitems; i++) {
    ModItem *e = &expected->items[i];
    if (e->kind != MI_TYPE && e->kind != MI_MODULE) continue;
    ModItem *g = find_item(got, e->kind, e->name);
    if (!g) continue;
    if (e->kind == MI_TYPE) incl_pair(I, e->desc, g->desc);
    else pair_types(I, g->desc, e->desc, depth + 1);
  }
}

/* Runtime components of md, in order (for module type equivalence). */
static bool runtime_item(const ModItem *it) { return mod_item_has_field(it); }

/* Whether the coercion from m1 to m2 (each matching the other) moves a
 * runtime component, which OCaml refuses in a module type equality
 * (Includemod_errorprinter.Illegal_permutation): then names the two
 * components of m1 at the first position out of order, and where
 * (`in module N,`, or "" at the top). */
static bool permuted(Incl *I, ModuleDesc *m1, ModuleDesc *m2, ItemDiff *d, const char *where) {
  if (!is_sig(m1) || !is_sig(m2)) return false;
  ModItem **rt = ARENA_ARRAY(I->T->arena, ModItem *, m1->nitems + 1);
  int nrt = 0;
  for (int k = 0; k < m1->nitems; k++)
    if (runtime_item(&m1->items[k])) rt[nrt++] = &m1->items[k];
  int *pos = ARENA_ARRAY(I->T->arena, int, m2->nitems + 1);
  ModItem **sub1 = ARENA_ARRAY(I->T->arena, ModItem *, m2->nitems + 1),
          **sub2 = ARENA_ARRAY(I->T->arena, ModItem *, m2->nitems + 1);
  int n = 0;
  for (int i = 0; i < m2->nitems; i++) {
    ModItem *it = &m2->items[i];
    if (!runtime_item(it)) continue;
    int p = -1;
    for (int k = nrt - 1; k >= 0 && p < 0; k--)
      if (rt[k]->kind == it->kind && strcmp(rt[k]->name, it->name) == 0) p = k;
    if (p < 0) return false;
    pos[n] = p;
    sub1[n] = rt[p];
    sub2[n++] = it;
  }
  for (int i = 0; i < n; i++) {
    if (pos[i] == i) continue;
    d->perm1 = arena_printf(I->T->arena, "%s \"%s\"", ty_incl_kind_word(rt[i]->kind), rt[i]->name);
    d->perm2 = arena_printf(I->T->arena, "%s \"%s\"", ty_incl_kind_word(rt[pos[i]]->kind), rt[pos[i]]->name);
    d->perm_where = where;
    return true;
  }
  for (int i = 0; i < n; i++) {
    if (sub1[i]->kind != MI_MODULE) continue;
    const char *w = *where ? arena_printf(I->T->arena, "%s.%s", where, sub1[i]->name) : sub1[i]->name;
    if (permuted(I, sub1[i]->desc, sub2[i]->desc, d, w)) return true;
  }
  return false;
}

/* Module type declarations: equal both ways (Includemod.modtype_infos). */
/* A module type declaration's body, shown as a signature (its own name
 * is the declaration's). */
ModuleDesc *ty_incl_modtype_body(Typer *T, ModuleDesc *md) {
  if (md->is_abstract || md->sig_name == md->body_name) return md;
  ModuleDesc *c = ARENA_NEW(T->arena, ModuleDesc);
  *c = *md;
  c->session = false;
  c->sig_name = md->body_name;
  return c;
}

static ItemDiff *modtype_decl(Incl *I, ModuleDesc *m1, ModuleDesc *m2, ItemDiff *d) {
  if (m2->is_abstract) return NULL;
  m1 = ty_incl_modtype_body(I->T, m1);
  m2 = ty_incl_modtype_body(I->T, m2);
  int mark = I->npairs;
  MtyDiff *less = modtypes(I, m1, NULL, m2);
  I->npairs = mark;
  MtyDiff *greater = modtypes(I, m2, NULL, m1);
  I->npairs = mark;
  if (!less && !greater) {
    if (!permuted(I, m1, m2, d, "")) return NULL;
    d->mtd = MTD_PERMUTATION;
  } else if (!less) {
    d->mtd = MTD_NOT_GREATER;
    d->mty = greater;
  } else if (!greater) {
    d->mtd = MTD_NOT_LESS;
    d->mty = less;
  } else {
    d->mtd = MTD_INCOMPARABLE;
    d->mty = less;
  }
  return d;
}

/* Checks one paired component; the difference, or NULL. */
static ItemDiff *item_incl(Incl *I, ModItem *g, const char *path, ModItem *e, ModuleDesc *got,
                           ModuleDesc *expected) {
  ItemDiff *d = ARENA_NEW(I->T->arena, ItemDiff);
  d->kind = e->kind;
  d->name = e->name;
  d->got = g->desc;
  d->expected = e->desc;
  d->got_prefix = ty_incl_prefix(got);
  d->expected_prefix = ty_incl_prefix(expected);
  switch (e->kind) {
  case MI_VALUE: return value_incl(I, g->desc, e->desc) ? NULL : d;
  case MI_TYPE:
    d->got = strengthen_decl(I->T, g->desc, path);
    return type_decl_incl(I, d->got, e->desc, &d->tm) ? NULL : d;
  case MI_EXCEPTION: return exn_incl(I, g->desc, e->desc, &d->tm) ? NULL : d;
  case MI_MODULE: {
    ModuleDesc *sub = g->desc;
    const char *sub_path = sub->is_alias && sub->alias_of ? sub->alias_of : join_path(I->T, path, e->name);
    d->mty = modtypes(I, sub, sub_path, e->desc);
    return d->mty ? d : NULL;
  }
  case MI_MODTYPE: return modtype_decl(I, g->desc, e->desc, d);
  }
  return NULL;
}

static MtyDiff *signatures(Incl *I, ModuleDesc *got, const char *path, ModuleDesc *expected) {
  ModItem **paired = ARENA_ARRAY(I->T->arena, ModItem *, expected->nitems + 1);
  MtyDiff *diff = NULL;
  for (int i = 0; i < expected->nitems; i++) {
    ModItem *e = &expected->items[i];
    paired[i] = find_item(got, e->kind, e->name);
    if (paired[i]) continue;
    if (!diff) {
      diff = new_diff(I, got, path, expected, SYM_SIG);
      diff->missing = ARENA_ARRAY(I->T->arena, ModItem *, expected->nitems + 1);
    }
    diff->missing[diff->nmissing++] = e;
  }
  if (diff) return diff;
  pair_types(I, got, expected, 0);
  for (int i = 0; i < expected->nitems; i++) {
    ItemDiff *d = item_incl(I, paired[i], path, &expected->items[i], got, expected);
    if (!d) continue;
    diff = new_diff(I, got, path, expected, SYM_SIG);
    diff->item = d;
    return diff;
  }
  return NULL;
}

/* ---- Functors (Includemod.modtypes, Functor_inclusion_diff) ------------------ */

/* The parameters of a functor type, outermost first, and its result. */
static FParam *functor_params(Incl *I, ModuleDesc *md, int *n, ModuleDesc **res) {
  int k = 0;
  for (ModuleDesc *m = md; m->is_functor; m = m->result) k++;
  FParam *ps = ARENA_ARRAY(I->T->arena, FParam, k + 1);
  k = 0;
  for (; md->is_functor; md = md->result) ps[k++] = (FParam){md->param, md->param_type};
  *n = k;
  *res = md;
  return ps;
}

/* Whether parameter a (the implementation's) accepts what b (the
 * expected one's) is given: b's module type included in a's; for an
 * application (app), whether argument a matches parameter b. */
static bool param_incl(Incl *I, FParam *a, FParam *b, Change *ch, bool app) {
  ch->got = a;
  ch->expected = b;
  ch->mismatch = NULL;
  ch->kind = CH_CHANGE;
  if (!a->name || !b->name) {
    if (a->name || b->name) return false;
    ch->kind = CH_KEEP;
    return true;
  }
  ch->mismatch = app ? modtypes(I, a->mty, ty_incl_arg_path(a), b->mty) : modtypes(I, b->mty, NULL, a->mty);
  if (ch->mismatch) return false;
  ch->kind = CH_KEEP;
  return true;
}

static bool anonymous_param(const char *name) { return !name || strcmp(name, "_") == 0; }

static int change_weight(Change *ch, bool app) {
  if (ch->kind != CH_KEEP) return 10;
  /* A small penalty when the kept parameters' (or argument path's and
   * parameter's) names differ. */
  const char *a = ch->got->name, *b = ch->expected->name;
  if (app) {
    if (!a || !*a) return anonymous_param(b) ? 0 : 1;
    return !anonymous_param(b) && strcmp(a, b) == 0 ? 0 : 1;
  }
  bool anon_a = anonymous_param(a), anon_b = anonymous_param(b);
  if (anon_a && anon_b) return 0;
  return !anon_a && !anon_b && strcmp(a, b) == 0 ? 0 : 1;
}

/* Pairs the declarations of the parameters kept or changed on the way
 * to cell (i, j), as OCaml's diffing state accumulates them. */
static void replay_params(Incl *I, Change *cells, int cols, int i, int j, bool app) {
  while (i > 0 || j > 0) {
    Change *ch = &cells[i * cols + j];
    if (ch->kind == CH_INSERT) {
      j--;
      continue;
    }
    if (ch->kind == CH_DELETE) {
      i--;
      continue;
    }
    if (ch->got->name && ch->expected->name) {
      if (app) pair_types(I, ch->got->mty, ch->expected->mty, 0);
      else pair_types(I, ch->expected->mty, ch->got->mty, 0);
    }
    i--;
    j--;
  }
}

/* The cheapest edit script from the implementation's parameters (or an
 * application's arguments, app) to the expected parameters
 * (Wagner-Fischer, as OCaml's Diffing), each kept or changed pair
 * checked under the pairs of those before it. */
static Change *edit_script(Incl *I, FParam *p1, int n1, FParam *p2, int n2, bool app, int *nchanges) {
  int cols = n2 + 1, base = I->npairs;
  Change *cells = ARENA_ARRAY(I->T->arena, Change, (n1 + 1) * cols);
  int *w = ARENA_ARRAY(I->T->arena, int, (n1 + 1) * cols);
  for (int i = 0; i <= n1; i++)
    for (int j = 0; j <= n2; j++) {
      Change *c = &cells[i * cols + j];
      if (i == 0 && j == 0) {
        w[0] = 0;
        continue;
      }
      if (i == 0 || j == 0) {
        *c = i == 0 ? (Change){CH_INSERT, NULL, &p2[j - 1], NULL}
                    : (Change){CH_DELETE, &p1[i - 1], NULL, NULL};
        w[i * cols + j] = 10 + (i == 0 ? w[j - 1] : w[(i - 1) * cols]);
        continue;
      }
      I->npairs = base;
      replay_params(I, cells, cols, i - 1, j - 1, app);
      Change diag;
      param_incl(I, &p1[i - 1], &p2[j - 1], &diag, app);
      int best = w[(i - 1) * cols + j - 1] + change_weight(&diag, app);
      *c = diag;
      if (w[(i - 1) * cols + j] + 10 < best) {
        best = w[(i - 1) * cols + j] + 10;
        *c = (Change){CH_DELETE, &p1[i - 1], NULL, NULL};
      }
      if (w[i * cols + j - 1] + 10 < best) {
        best = w[i * cols + j - 1] + 10;
        *c = (Change){CH_INSERT, NULL, &p2[j - 1], NULL};
      }
      w[i * cols + j] = best;
    }
  I->npairs = base;
  Change *script = ARENA_ARRAY(I->T->arena, Change, n1 + n2 + 1);
  int n = 0;
  for (int i = n1, j = n2; i > 0 || j > 0;) {
    Change *c = &cells[i * cols + j];
    script[n++] = *c;
    if (c->kind != CH_INSERT) i--;
    if (c->kind != CH_DELETE) j--;
  }
  for (int a = 0, b = n - 1; a < b; a++, b--) {
    Change t = script[a];
    script[a] = script[b];
    script[b] = t;
  }
  *nchanges = n;
  return script;
}

static MtyDiff *params_diff(Incl *I, ModuleDesc *got, ModuleDesc *expected) {
  int n1, n2;
  ModuleDesc *r1, *r2;
  FParam *p1 = functor_params(I, got, &n1, &r1), *p2 = functor_params(I, expected, &n2, &r2);
  MtyDiff *d = new_diff(I, got, NULL, expected, SYM_FUNCTOR_PARAMS);
  d->changes = edit_script(I, p1, n1, p2, n2, false, &d->nchanges);
  return d;
}

/* A functor matches another when each parameter of the other matches its
 * own (contravariantly) and, under those, the results match. */
static MtyDiff *functors(Incl *I, ModuleDesc *got, ModuleDesc *expected) {
  int mark = I->npairs;
  if (got->is_functor && expected->is_functor) {
    FParam a = {got->param, got->param_type}, b = {expected->param, expected->param_type};
    Change ch;
    bool ok = param_incl(I, &a, &b, &ch, false);
    MtyDiff *res = modtypes(I, got->result, NULL, expected->result);
    I->npairs = mark;
    if (ok && !res) return NULL;
    if (ok && res->sym != SYM_FUNCTOR_PARAMS) {
      MtyDiff *d = new_diff(I, got, NULL, expected, SYM_FUNCTOR_RESULT);
      d->result = res;
      return d;
    }
  }
  return params_diff(I, got, expected);
}

static MtyDiff *modtypes(Incl *I, ModuleDesc *got, const char *path, ModuleDesc *expected) {
  if (expected->is_abstract) {
    if (got->is_abstract && got->abstract_stamp == expected->abstract_stamp) return NULL;
    if (got->is_functor) return params_diff(I, got, expected);
    return new_diff(I, got, path, expected, SYM_CORE);
  }
  if (got->is_abstract) return new_diff(I, got, path, expected, SYM_CORE);
  if (got->is_functor || expected->is_functor) return functors(I, got, expected);
  return signatures(I, got, path, expected);
}

void ty_include_apply_error(Typer *T, Loc loc, ModuleDesc *f, const char **names, ModuleDesc **args,
                            int nargs) {
  Incl I = {T, NULL, NULL, 0, 0, NULL};
  FParam *a = ARENA_ARRAY(T->arena, FParam, nargs + 1);
  for (int i = 0; i < nargs; i++) a[i] = (FParam){names[i], args[i]};
  int np;
  ModuleDesc *res;
  FParam *ps = functor_params(&I, f, &np, &res);
  int n;
  Change *script = edit_script(&I, a, nargs, ps, np, true, &n);
  /* Parameters left over are a partial application, no error. */
  while (n > 0 && script[n - 1].kind == CH_INSERT) n--;
  ty_incl_report_apply(T, loc, script, n);
}

bool ty_include_matches(Typer *T, ModuleDesc *impl, ModuleDesc *sig) {
  Incl I = {T, NULL, NULL, 0, 0, NULL};
  const char *path = impl->is_alias && impl->alias_of ? impl->alias_of : NULL;
  return modtypes(&I, impl, path, sig) == NULL;
}

/* ---- Re-exported variants and records (Typedecl.check_coherence) ---------- */

void ty_include_reexport(Typer *T, TypeDecl *d, Loc loc) {
  Type *m = ty_repr(d->manifest);
  ItemDiff *diff = NULL;
  if (m->kind == TY_CONSTR) {
    diff = ARENA_NEW(T->arena, ItemDiff);
    diff->kind = MI_TYPE;
    diff->got = m->decl;
    diff->expected = d;
    bool own_params = m->nargs == d->nparams;
    for (int i = 0; i < m->nargs && own_params; i++)
      own_params = ty_repr(m->args[i]) == ty_repr(d->params[i]);
    if (m->nargs != d->nparams) {
      diff->tm.kind = TM_ARITY;
    } else if (!own_params) {
      diff->tm.kind = TM_CONSTRAINT;
    } else {
      /* d's own name stands for the original type in its definition. */
      Incl I = {T, NULL, NULL, 0, 0, NULL};
      incl_pair(&I, d, m->decl);
      if (type_decl_incl(&I, m->decl, d, &diff->tm)) return;
    }
  }
  ty_incl_report_reexport(T, loc, m, diff);
}

/* ---- with constraints (Typemod.merge_constraint) ------------------------------- */

void ty_include_with(Typer *T, TypeDecl *newdecl, TypeDecl *decl, const char *lid, Loc loc) {
  Incl I = {T, NULL, NULL, 0, 0, NULL};
  ItemDiff *d = ARENA_NEW(T->arena, ItemDiff);
  d->kind = MI_TYPE;
  d->name = decl->name;
  d->got = newdecl;
  d->expected = decl;
  if (type_decl_incl(&I, newdecl, decl, &d->tm)) return;
  ty_incl_report_with(T, loc, lid, d);
}

/* ---- Entry point ---------------------------------------------------------------- */

void ty_include_check(Typer *T, ModuleDesc *impl, ModuleDesc *sig, Loc loc, bool functor_arg) {
  Incl I = {T, NULL, NULL, 0, 0, NULL};
  /* A module known by a path (`= A`) is seen through it (Mtype.strengthen). */
  const char *path = impl->is_alias && impl->alias_of ? impl->alias_of : NULL;
  MtyDiff *d = modtypes(&I, impl, path, sig);
  if (!d) return;
  ty_incl_report(T, loc, d, functor_arg);
}
