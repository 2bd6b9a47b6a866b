/* ty_row_expr.c — typing of polymorphic variant expressions and patterns
 * (OCaml's typecore for Pexp_variant, Ppat_variant and Ppat_type): a tag
 * builds an open row with that tag present; a tag pattern an open row
 * where the tag is undecided and matched; `#t` the or-pattern of t's
 * tags. After a match's patterns are typed, the rows they leave open are
 * closed where the match covers them (Parmatch.pressure_variants) and
 * their undecided fields settled (finalize_variant). */
#include <string.h>

#include "parmatch.h"
#include "typecheck.h"

void ty_variant_expr(Typer *T, Expr *e, Type *expected, ExpectWhy why) {
  /* The expected type's field gives the argument its expected type. */
  Type *exp = ty_expand_head(T, expected);
  if (e->a && exp->kind == TY_VARIANT) {
    RowField *f = ty_row_field(ty_row_flatten(T, exp), e->var);
    RfView v;
    if (f) ty_rf_view(T, f, &v);
    if (f && v.kind == RF_PRESENT && v.nargs == 1) {
      ty_expr_expect(T, e->a, v.args[0], WHY_NONE);
      e->ty = expected;
      return;
    }
  }
  Type *arg = NULL;
  if (e->a) arg = ty_expr(T, e->a);
  RowDesc *r = ty_row_new(T, 1);
  r->tags[0] = e->var;
  r->fields[0] = ty_rf_new(T, RF_PRESENT, &arg, arg ? 1 : 0, false, false);
  r->more = ty_new_var(T);
  e->ty = ty_new_variant(T, r);
  if (!ty_unify(T, e->ty, expected)) ty_error_expr_mismatch(T, e->loc, why, true, e);
}

static void unify_pat(Typer *T, Pattern *p, Type *actual, Type *expected) {
  if (!ty_unify(T, actual, expected)) ty_error_pattern_mismatch(T, p->loc);
}

void ty_pat_variant(Typer *T, Pattern *p, Type *expected, PatVars *pv) {
  Type *arg = p->arg ? ty_new_var(T) : NULL;
  RowDesc *r = ty_row_new(T, 1);
  r->tags[0] = p->name;
  r->fields[0] = ty_rf_new(T, RF_EITHER, &arg, arg ? 1 : 0, !p->arg, true);
  r->more = ty_new_var(T);
  Type *rt = ty_new_variant(T, r);
  unify_pat(T, p, rt, expected);
  p->ty = expected;
  p->row_ty = rt;
  if (p->arg) ty_pattern(T, p->arg, arg, pv);
}

static Pattern *new_pat(Typer *T, PatKind k, Loc loc, Type *ty) {
  Pattern *q = ARENA_NEW(T->arena, Pattern);
  q->kind = k;
  q->loc = loc;
  q->ty = ty;
  return q;
}

/* #t: the static row of t, as an open row whose fields are all
 * undecided and matched, named t; p becomes the or-pattern of its tags. */
void ty_pat_type(Typer *T, Pattern *p, Type *expected, PatVars *pv) {
  (void)pv;
  const char *printed;
  TypeDecl *d = ty_lookup_type(T, &p->constr, &printed);
  Type **params = ARENA_ARRAY(T->arena, Type *, d->nparams + 1);
  for (int i = 0; i < d->nparams; i++) params[i] = ty_new_var(T);
  Type *c = ty_new_constr(T, d, params, d->nparams, printed);
  Type *e = ty_expand_head(T, c);
  RowDesc *r0 = e->kind == TY_VARIANT ? ty_row_flatten(T, e) : NULL;
  if (!r0 || !ty_row_static(T, r0))
    ty_error_textf(T, p->constr.loc, "The type %s is not a variant type", ty_path_string(T, &p->constr));
  RowDesc *r = ty_row_new(T, r0->n);
  r->n = 0;
  for (int i = 0; i < r0->n; i++) {
    RfView v;
    ty_rf_view(T, r0->fields[i], &v);
    if (v.kind != RF_PRESENT) continue;
    r->tags[r->n] = r0->tags[i];
    r->fields[r->n++] = ty_rf_new(T, RF_EITHER, v.args, v.nargs, v.nargs == 0, true);
  }
  if (r->n == 0)
    ty_error_textf(T, p->constr.loc, "The type %s is not a variant type", ty_path_string(T, &p->constr));
  r->more = ty_new_var(T);
  r->name = d;
  r->name_args = params;
  r->nname_args = d->nparams;
  r->name_path = printed;
  Type *rt = ty_new_variant(T, r);
  unify_pat(T, p, rt, expected);
  /* The alternatives, right-nested in the row's order. */
  Pattern *acc = NULL;
  for (int i = r->n - 1; i >= 0; i--) {
    Pattern *alt = new_pat(T, PAT_VARIANT, p->loc, rt);
    alt->name = r->tags[i];
    alt->row_ty = rt;
    RfView v;
    ty_rf_view(T, r->fields[i], &v);
    if (v.nargs) alt->arg = new_pat(T, PAT_ANY, p->loc, v.args[0]);
    if (!acc) {
      acc = alt;
      continue;
    }
    Pattern *o = new_pat(T, PAT_OR, p->loc, rt);
    o->row_ty = rt;
    o->arg = alt;
    o->arg2 = acc;
    acc = o;
  }
  Loc loc = p->loc;
  *p = *acc;
  p->loc = loc;
  p->ty = expected;
}

/* ---- Aliases ------------------------------------------------------------- */

static bool has_variants(const Pattern *p);

static Type *as_type(Typer *T, Pattern *p) {
  switch (p->kind) {
  case PAT_VARIANT: {
    Type *arg = p->arg ? as_type(T, p->arg) : NULL;
    RowDesc *r = ty_row_new(T, 1);
    r->tags[0] = p->name;
    r->fields[0] = ty_rf_new(T, RF_PRESENT, &arg, arg ? 1 : 0, false, false);
    r->more = ty_new_var(T);
    return ty_new_variant(T, r);
  }
  case PAT_OR: {
    if (p->row_ty) {
      /* #t: its row, open. */
      RowDesc *r0 = ty_row_flatten(T, p->row_ty);
      RowDesc *r = ty_row_new(T, r0->n);
      for (int i = 0; i < r0->n; i++) {
        RfView v;
        ty_rf_view(T, r0->fields[i], &v);
        r->tags[i] = r0->tags[i];
        r->fields[i] = ty_rf_new(T, RF_PRESENT, v.args, v.nargs ? 1 : 0, false, false);
      }
      r->more = ty_new_var(T);
      return ty_new_variant(T, r);
    }
    Type *t1 = as_type(T, p->arg), *t2 = as_type(T, p->arg2);
    if (!ty_unify(T, t2, t1)) ty_error_pattern_mismatch(T, p->arg2->loc);
    return t1;
  }
  case PAT_ALIAS: return as_type(T, p->arg);
  case PAT_CONSTRAINT: {
    /* The inner pattern's as-type, constrained afresh (OCaml's #1655). */
    Type *a = as_type(T, p->arg);
    Type *t = ty_typexpr(T, p->tyexpr, T->annot);
    ty_generalize_structure(T, t);
    Type *i = ty_instance(T, t);
    if (!ty_unify(T, a, i)) ty_error_pattern_mismatch(T, p->loc);
    return i;
  }
  case PAT_TUPLE: {
    if (!has_variants(p)) return p->ty;
    Type **items = ARENA_ARRAY(T->arena, Type *, p->nitems + 1);
    for (int i = 0; i < p->nitems; i++) items[i] = as_type(T, p->items[i]);
    return ty_new_tuple(T, items, p->nitems);
  }
  default: return p->ty;
  }
}

Type *ty_as_type(Typer *T, Pattern *p, Type *expected) {
  if (!has_variants(p)) return expected;
  return as_type(T, p);
}

/* ---- After the patterns of a match ---------------------------------------- */

static bool has_variants(const Pattern *p) {
  if (!p) return false;
  switch (p->kind) {
  case PAT_VARIANT:
  case PAT_TYPE: return true;
  case PAT_RECORD:
    for (int i = 0; i < p->nfields; i++)
      if (has_variants(p->fields[i].pat)) return true;
    return false;
  case PAT_TUPLE:
  case PAT_ARRAY:
  case PAT_CONSTRUCT:
    for (int i = 0; i < p->nitems; i++)
      if (has_variants(p->items[i])) return true;
    return p->kind == PAT_CONSTRUCT && !p->items && has_variants(p->arg);
  case PAT_OR: return has_variants(p->arg) || has_variants(p->arg2);
  default: return has_variants(p->arg);
  }
}

static void finalize(Typer *T, Pattern *p) {
  if (!p) return;
  switch (p->kind) {
  case PAT_VARIANT:
    ty_row_finalize_tag(T, p->row_ty, p->name);
    finalize(T, p->arg);
    return;
  case PAT_RECORD:
    for (int i = 0; i < p->nfields; i++) finalize(T, p->fields[i].pat);
    return;
  case PAT_TUPLE:
  case PAT_ARRAY:
  case PAT_CONSTRUCT:
    for (int i = 0; i < p->nitems; i++) finalize(T, p->items[i]);
    return;
  case PAT_OR:
    finalize(T, p->arg);
    finalize(T, p->arg2);
    return;
  default: finalize(T, p->arg); return;
  }
}

static void close_row(void *arg, Type *row) { ty_row_close(arg, row); }

void ty_pressure_variants(Typer *T, Pattern **pats, int n) {
  bool any = false;
  for (int i = 0; i < n && !any; i++) any = has_variants(pats[i]);
  if (!any) return;
  parmatch_pressure_variants(T->arena, pats, n, close_row, T);
  for (int i = 0; i < n; i++) finalize(T, pats[i]);
}

/* ---- The patterns of a match ---------------------------------------------- */

static bool has_either(Typer *T, Type *t, int depth) {
  t = ty_repr(t);
  if (depth > 50) return false;
  switch (t->kind) {
  case TY_VARIANT: {
    RowDesc *r = ty_row_flatten(T, t);
    for (int i = 0; i < r->n; i++) {
      RfView v;
      ty_rf_view(T, r->fields[i], &v);
      if (v.kind == RF_EITHER && !r->fixed) return true;
    }
    return false;
  }
  case TY_ARROW: return has_either(T, t->a, depth + 1) || has_either(T, t->b, depth + 1);
  case TY_TUPLE:
  case TY_CONSTR:
    for (int i = 0; i < t->nargs; i++)
      if (has_either(T, t->args[i], depth + 1)) return true;
    return false;
  default: return false;
  }
}

/* ty_arg as a pattern may see it (OCaml's instance ~partial): its closed
 * rows with undecided fields open and without those fields. Parts with
 * no such row are shared. */
static Type *partial_copy(Typer *T, Type *t, int depth) {
  t = ty_repr(t);
  if (depth > 50) return t;
  switch (t->kind) {
  case TY_VARIANT: {
    RowDesc *r = ty_row_flatten(T, t);
    if (!r->closed || r->fixed) return t;
    RowDesc *c = ty_row_new(T, r->n);
    c->n = 0;
    bool either = false;
    for (int i = 0; i < r->n; i++) {
      RfView v;
      ty_rf_view(T, r->fields[i], &v);
      if (v.kind == RF_EITHER) {
        either = true;
        continue;
      }
      c->tags[c->n] = r->tags[i];
      c->fields[c->n++] = r->fields[i];
    }
    if (!either) return t;
    c->more = ty_new_var(T);
    return ty_new_variant(T, c);
  }
  case TY_TUPLE: {
    bool changed = false;
    Type **items = ARENA_ARRAY(T->arena, Type *, t->nargs + 1);
    for (int i = 0; i < t->nargs; i++) {
      items[i] = partial_copy(T, t->args[i], depth + 1);
      changed |= items[i] != ty_repr(t->args[i]);
    }
    return changed ? ty_new_tuple(T, items, t->nargs) : t;
  }
  case TY_CONSTR: {
    bool changed = false;
    Type **items = ARENA_ARRAY(T->arena, Type *, t->nargs + 1);
    for (int i = 0; i < t->nargs; i++) {
      items[i] = partial_copy(T, t->args[i], depth + 1);
      changed |= items[i] != ty_repr(t->args[i]);
    }
    return changed ? ty_new_constr(T, t->decl, items, t->nargs, t->path) : t;
  }
  default: return t;
  }
}

/* One case's pattern, its GADT equations saved for its body. */
static void case_pattern(Typer *T, Pattern *p, Type *ty, PatVars *pv, CaseTyping *ct, int i) {
  int mark = T->neqs, saved = T->pat_lev;
  T->pat_lev = ct->lev;
  ty_case_pattern(T, p, ty, pv, ct->match);
  T->pat_lev = saved;
  ct->eqs[i] = ct->lev ? ty_gadt_save(T, mark) : NULL;
}

void ty_case_patterns(Typer *T, Case *cases, int n, Type *ty_arg, PatVars *pvs, CaseTyping *ct) {
  Pattern **pats = ARENA_ARRAY(T->arena, Pattern *, n + 1);
  bool any = false;
  for (int i = 0; i < n; i++) {
    pats[i] = cases[i].pat;
    any |= has_variants(pats[i]);
  }
  bool erase = any && has_either(T, ty_arg, 0);
  if (!erase) {
    for (int i = 0; i < n; i++) case_pattern(T, pats[i], ty_arg, &pvs[i], ct, i);
    if (any) ty_pressure_variants(T, pats, n);
    return;
  }
  Type **tys = ARENA_ARRAY(T->arena, Type *, n + 1);
  for (int i = 0; i < n; i++) {
    Pattern *p = pats[i]->kind == PAT_EXCEPTION ? NULL : pats[i];
    tys[i] = p ? partial_copy(T, ty_arg, 0) : ty_arg;
    case_pattern(T, pats[i], tys[i], &pvs[i], ct, i);
  }
  Type *all = ty_new_var(T);
  for (int i = 0; i < n; i++)
    if (pats[i]->kind != PAT_EXCEPTION && !ty_unify(T, tys[i], all))
      ty_error_pattern_mismatch(T, pats[i]->loc);
  ty_pressure_variants(T, pats, n);
  for (int i = 0; i < n; i++)
    if (pats[i]->kind != PAT_EXCEPTION && !ty_unify(T, tys[i], ty_arg))
      ty_error_pattern_mismatch(T, pats[i]->loc);
}

/* ---- Delayed checks ------------------------------------------------------- */

typedef struct DelayedCases {
  Case *cases;
  int n;
} DelayedCases;

/* A tag pattern whose type has lost the tag (OCaml's
 * check_absent_variant): unifying it with a row that has the tag fails,
 * and that failure is the error. */
static void check_absent(Typer *T, Pattern *p) {
  if (!p) return;
  switch (p->kind) {
  case PAT_VARIANT: {
    check_absent(T, p->arg);
    RowDesc *r = ty_row_flatten(T, p->row_ty);
    RowField *f = ty_row_field(r, p->name);
    RfView v;
    if (f) ty_rf_view(T, f, &v);
    if ((f && v.kind != RF_ABSENT) || (!r->fixed && !ty_row_static(T, r))) return;
    Type *arg = p->arg ? p->arg->ty : NULL;
    RowDesc *n = ty_row_new(T, 1);
    n->tags[0] = p->name;
    n->fields[0] = ty_rf_new(T, RF_EITHER, &arg, arg ? 1 : 0, !p->arg, true);
    n->more = ty_new_var(T);
    if (!ty_unify(T, ty_new_variant(T, n), p->row_ty)) ty_error_pattern_mismatch(T, p->loc);
    return;
  }
  case PAT_RECORD:
    for (int i = 0; i < p->nfields; i++) check_absent(T, p->fields[i].pat);
    return;
  case PAT_TUPLE:
  case PAT_ARRAY:
  case PAT_CONSTRUCT:
    for (int i = 0; i < p->nitems; i++) check_absent(T, p->items[i]);
    return;
  case PAT_OR:
    check_absent(T, p->arg);
    check_absent(T, p->arg2);
    return;
  default: check_absent(T, p->arg); return;
  }
}

bool ty_delay_unused_cases(Typer *T, Case *cases, int n) {
  bool any = false;
  for (int i = 0; i < n && !any; i++) any = has_variants(cases[i].pat);
  if (!any || T->item_depth == 0) return false;
  DelayedCases *d = ARENA_NEW(T->arena, DelayedCases);
  d->cases = cases;
  d->n = n;
  ptrvec_push(T->arena, &T->delayed, d);
  return true;
}

void ty_run_delayed(Typer *T) {
  PtrVec todo = T->delayed;
  T->delayed = (PtrVec){0};
  for (int k = 0; k < todo.len; k++) {
    DelayedCases *d = todo.items[k];
    for (int i = 0; i < d->n; i++) check_absent(T, d->cases[i].pat);
    parmatch_check_unused(T->ctx, d->cases, d->n, NULL);
  }
}
