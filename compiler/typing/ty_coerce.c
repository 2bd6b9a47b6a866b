/* ty_coerce.c — coercions (e :> t) and (e : t0 :> t), after OCaml's
 * typecore (Pexp_coerce) and ctype (enlarge_type, subtype): with one
 * type, e's type is unified with the largest type t may be coerced
 * from (t's closed variant rows opened downwards, through tuples,
 * arrows with their variance and declared types with theirs), or, when
 * both types are ground, checked to be a subtype of t; with two, t0 is
 * checked to be a subtype of t. Subtyping falls back to equality where
 * the types' shapes differ, as OCaml's does. */
#include <string.h>

#include "typecheck.h"

/* ---- Enlarging (build_subtype) --------------------------------------------- */

typedef struct Seen {
  Type *t;
  const struct Seen *up;
} Seen;

static bool seen_in(const Seen *s, Type *t) {
  for (; s; s = s->up)
    if (s->t == t) return true;
  return false;
}

/* The largest type that coerces to t when posi (the smallest that t
 * coerces to otherwise); *changed says whether it differs from t. */
static Type *build_subtype(Typer *T, Type *t, bool posi, int level, const Seen *seen, bool *changed) {
  t = ty_repr(t);
  if (seen_in(seen, t)) return t;
  Seen here = {t, seen};
  switch (t->kind) {
  case TY_VAR:
  case TY_PACKAGE: return t;
  case TY_ARROW: {
    bool c1 = false, c2 = false;
    Type *a = build_subtype(T, t->a, !posi, level, &here, &c1);
    Type *b = build_subtype(T, t->b, posi, level, &here, &c2);
    if (!c1 && !c2) return t;
    *changed = true;
    return ty_copy_arrow(T, t, a, b);
  }
  case TY_TUPLE: {
    bool c = false;
    Type **items = ARENA_ARRAY(T->arena, Type *, t->nargs + 1);
    for (int i = 0; i < t->nargs; i++) items[i] = build_subtype(T, t->args[i], posi, level, &here, &c);
    if (!c) return t;
    *changed = true;
    return ty_new_tuple(T, items, t->nargs);
  }
  case TY_CONSTR: {
    if (level > 0 && t->decl->manifest) {
      Type *e = ty_expand_once(T, t);
      bool c = false;
      Type *r = build_subtype(T, e, posi, level % 2 ? level : level - 1, &here, &c);
      if (c) {
        *changed = true;
        return r;
      }
      return t;
    }
    bool c = false;
    Type **args = ARENA_ARRAY(T->arena, Type *, t->nargs + 1);
    for (int i = 0; i < t->nargs; i++) {
      unsigned char v = t->decl->variance ? t->decl->variance[i] : 0;
      bool co = t->decl->variance ? (v & (VAR_CO | VAR_INV)) != 0 : true;
      bool cn = t->decl->variance ? (v & (VAR_CONTRA | VAR_INV)) != 0 : !ty_param_covariant(t->decl, i);
      if (!t->decl->variance && ty_param_covariant(t->decl, i)) co = true, cn = false;
      if (cn && co) args[i] = t->args[i];
      else if (cn) args[i] = build_subtype(T, t->args[i], !posi, level, &here, &c);
      else if (co) args[i] = build_subtype(T, t->args[i], posi, level, &here, &c);
      else {
        args[i] = ty_new_var(T);
        c = true;
      }
    }
    if (!c) return t;
    *changed = true;
    return ty_new_constr(T, t->decl, args, t->nargs, t->path);
  }
  case TY_VARIANT: {
    RowDesc *r = ty_row_flatten(T, t);
    if (!ty_row_static(T, r)) return t;
    int lv = level - 1;
    RowDesc *n = ty_row_new(T, r->n);
    n->n = 0;
    bool c = false;
    for (int i = 0; i < r->n; i++) {
      RfView v;
      ty_rf_view(T, r->fields[i], &v);
      if (v.kind == RF_ABSENT) continue;
      RowField *f;
      if (v.nargs == 0) {
        f = posi ? ty_rf_new(T, RF_EITHER, NULL, 0, true, false) : r->fields[i];
      } else {
        Type *a = build_subtype(T, v.args[0], posi, lv, &here, &c);
        f = posi && level > 0 ? ty_rf_new(T, RF_EITHER, &a, 1, false, false)
                              : ty_rf_new(T, RF_PRESENT, &a, 1, false, false);
      }
      n->tags[n->n] = r->tags[i];
      n->fields[n->n++] = f;
    }
    n->more = ty_new_var(T);
    n->closed = posi;
    if (!c) {
      n->name = r->name;
      n->name_args = r->name_args;
      n->nname_args = r->nname_args;
      n->name_path = r->name_path;
    }
    *changed = true;
    return ty_new_variant(T, n);
  }
  }
  return t;
}

/* ---- Subtyping (Ctype.subtype) ------------------------------------------------ */

typedef struct Cstr {
  Type **a, **b;
  int n, cap;
} Cstr;

static void cstr_add(Typer *T, Cstr *c, Type *a, Type *b) {
  if (c->n == c->cap) {
    int cap = c->cap ? c->cap * 2 : 8;
    Type **na = ARENA_ARRAY(T->arena, Type *, cap), **nb = ARENA_ARRAY(T->arena, Type *, cap);
    if (c->n) {
      memcpy(na, c->a, sizeof(Type *) * (size_t)c->n);
      memcpy(nb, c->b, sizeof(Type *) * (size_t)c->n);
    }
    c->a = na;
    c->b = nb;
    c->cap = cap;
  }
  c->a[c->n] = a;
  c->b[c->n++] = b;
}

static void subtype_rec(Typer *T, Type *t1, Type *t2, const Seen *seen, Cstr *c, int depth);

/* OCaml's subtype_row: a closed row with no tag the other lacks. */
static bool subtype_row(Typer *T, Type *t1, Type *t2, const Seen *seen, Cstr *c, int depth) {
  RowDesc *r1 = ty_row_flatten(T, t1), *r2 = ty_row_flatten(T, t2);
  if (!r1->closed) return false;
  for (int i = 0; i < r1->n; i++)
    if (!ty_row_field(r2, r1->tags[i])) return false;
  for (int i = 0; i < r1->n; i++) {
    RfView a, b;
    ty_rf_view(T, r1->fields[i], &a);
    ty_rf_view(T, ty_row_field(r2, r1->tags[i]), &b);
    if (a.kind == RF_ABSENT) continue;
    if (b.kind != RF_PRESENT) return false;
    if (b.nargs == 0) {
      if (!(a.kind == RF_PRESENT ? a.nargs == 0 : a.constant)) return false;
      continue;
    }
    if (a.nargs == 0 || (a.kind == RF_EITHER && a.constant)) return false;
    subtype_rec(T, a.args[0], b.args[0], seen, c, depth + 1);
  }
  return true;
}

static void subtype_rec(Typer *T, Type *t1, Type *t2, const Seen *seen, Cstr *c, int depth) {
  t1 = ty_repr(t1);
  t2 = ty_repr(t2);
  if (t1 == t2 || depth > 200) return;
  for (const Seen *s = seen; s; s = s->up->up)
    if (s->t == t1 && s->up->t == t2) return;
  Seen h2 = {t2, seen}, h1 = {t1, &h2};
  if (t1->kind == TY_VAR || t2->kind == TY_VAR) {
    cstr_add(T, c, t1, t2);
    return;
  }
  if (t1->kind == TY_ARROW && t2->kind == TY_ARROW && ast_label_equal(t1->label, t2->label)) {
    subtype_rec(T, t2->a, t1->a, &h1, c, depth + 1);
    subtype_rec(T, t1->b, t2->b, &h1, c, depth + 1);
    return;
  }
  if (t1->kind == TY_TUPLE && t2->kind == TY_TUPLE && t1->nargs == t2->nargs) {
    for (int i = 0; i < t1->nargs; i++) subtype_rec(T, t1->args[i], t2->args[i], &h1, c, depth + 1);
    return;
  }
  if (t1->kind == TY_CONSTR && t2->kind == TY_CONSTR && ty_same_decl(t1->decl, t2->decl) &&
      !t1->decl->manifest) {
    for (int i = 0; i < t1->nargs; i++) {
      TypeDecl *d = t1->decl;
      unsigned char v = d->variance ? d->variance[i] : (ty_param_covariant(d, i) ? VAR_CO : VAR_INV);
      bool co = v & (VAR_CO | VAR_INV), cn = v & (VAR_CONTRA | VAR_INV);
      if (co && cn) cstr_add(T, c, t1->args[i], t2->args[i]);
      else if (co) subtype_rec(T, t1->args[i], t2->args[i], &h1, c, depth + 1);
      else if (cn) subtype_rec(T, t2->args[i], t1->args[i], &h1, c, depth + 1);
    }
    return;
  }
  if (t1->kind == TY_CONSTR && t1->decl->manifest) {
    subtype_rec(T, ty_expand_once(T, t1), t2, &h1, c, depth + 1);
    return;
  }
  if (t2->kind == TY_CONSTR && t2->decl->manifest) {
    subtype_rec(T, t1, ty_expand_once(T, t2), &h1, c, depth + 1);
    return;
  }
  if (t1->kind == TY_VARIANT && t2->kind == TY_VARIANT && subtype_row(T, t1, t2, &h1, c, depth)) return;
  cstr_add(T, c, t1, t2);
}

/* ---- Messages --------------------------------------------------------------- */

typedef struct SubMsg {
  Typer *T;
  Type *t1, *t2;
  UnifyErr err;
} SubMsg;

static void sub_msg(Fmt *f, void *arg) {
  SubMsg *m = arg;
  TyNames nm;
  ty_names_init(&nm, m->T, false);
  ty_names_mark(&nm, m->t1);
  ty_names_mark(&nm, m->t2);
  fmt_open_box(f, FMT_V, 0);
  fmt_open_box(f, FMT_HOV, 0);
  fmt_string(f, "Type");
  fmt_break(f, 1, 2);
  ty_fmt_type(f, &nm, m->t1);
  fmt_space(f);
  fmt_string(f, "is not a subtype of");
  fmt_break(f, 1, 2);
  ty_fmt_type(f, &nm, m->t2);
  fmt_string(f, " ");
  fmt_close_box(f);
  ty_explain_row(f, &m->err);
  fmt_close_box(f);
  ty_names_done(&nm);
}

__attribute__((noreturn)) static void not_subtype(Typer *T, Loc loc, Type *t1, Type *t2) {
  SubMsg m = {T, t1, t2, T->uerr};
  ty_error_text(T, loc, ty_error_layout(T, sub_msg, &m));
}

/* Checks t1 <= t2, unifying what subtyping leaves to equality. */
static void subtype(Typer *T, Loc loc, Type *t1, Type *t2) {
  Cstr c = {0};
  subtype_rec(T, t1, t2, NULL, &c, 0);
  for (int i = 0; i < c.n; i++)
    if (!ty_unify(T, c.a[i], c.b[i])) not_subtype(T, loc, t1, t2);
}

static bool has_free_vars(Typer *T, Type *t, unsigned mark) {
  t = ty_repr(t);
  if (t->mark == mark) return false;
  t->mark = mark;
  switch (t->kind) {
  case TY_VAR: return true;
  case TY_ARROW: return has_free_vars(T, t->a, mark) || has_free_vars(T, t->b, mark);
  case TY_VARIANT: {
    RowDesc *r = ty_row_flatten(T, t);
    if (!ty_row_static(T, r)) return true;
    for (int i = 0; i < r->n; i++) {
      RfView v;
      ty_rf_view(T, r->fields[i], &v);
      for (int k = 0; k < v.nargs; k++)
        if (has_free_vars(T, v.args[k], mark)) return true;
    }
    return false;
  }
  default:
    for (int i = 0; i < t->nargs; i++)
      if (has_free_vars(T, t->args[i], mark)) return true;
    return false;
  }
}

/* OCaml's Coercion_failure: "cannot be coerced to type t; it has type". */
static void coerce_pre(Fmt *f, TyNames *nm, void *arg) {
  Type *target = arg;
  fmt_string(f, "This expression cannot be coerced to type");
  fmt_break(f, 1, 2);
  ty_fmt_type(f, nm, target);
  fmt_string(f, ";");
  fmt_space(f);
  fmt_string(f, "it has type");
}

void ty_coerce(Typer *T, Expr *e, Type *expected, ExpectWhy why) {
  Type *target;
  if (!e->tyexpr2) {
    target = ty_typexpr(T, e->tyexpr, T->annot);
    ty_begin_def(T);
    Type *arg = ty_expr(T, e->a);
    ty_end_def(T);
    bool gen = ty_repr(arg)->level > T->level;
    ty_limit_level(T, arg, T->level);
    bool ground = !has_free_vars(T, arg, ty_new_mark(T)) && !has_free_vars(T, target, ty_new_mark(T));
    bool changed = false;
    Type *big = build_subtype(T, target, true, 4, NULL, &changed);
    /* Unification does not see through a private abbreviation: only
     * subtyping does. */
    Type *head = ty_repr(arg);
    bool priv = head->kind == TY_CONSTR && head->decl->private_ && head->decl->manifest;
    if (ground) {
      if (gen || priv || !ty_unifiable(T, arg, big)) subtype(T, e->loc, arg, target);
      else ty_unify(T, arg, big);
    } else if (!ty_unify(T, arg, big)) {
      ty_error_unify_pre(T, e->a->loc, coerce_pre, target, "but is here used with type");
    }
  } else {
    Type *from = ty_typexpr(T, e->tyexpr2, T->annot);
    target = ty_typexpr(T, e->tyexpr, T->annot);
    ty_generalize_structure(T, from);
    ty_generalize_structure(T, target);
    ty_expr_expect(T, e->a, ty_instance(T, from), WHY_NONE);
    target = ty_instance(T, target);
    subtype(T, e->loc, ty_instance(T, from), target);
  }
  e->ty = target;
  if (!ty_unify(T, target, expected)) ty_error_expr_mismatch(T, e->loc, why, true, e);
}
