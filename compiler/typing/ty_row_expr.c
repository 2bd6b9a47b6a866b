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
    ty_error_textf(T, p->constr.loc, "The type %s\nis not a polymorphic variant type",
                   ty_path_string(T, &p->constr));
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
    ty_error_textf(T, p->constr.loc, "The type %s\nis not a polymorphic variant type",
                   ty_path_string(T, &p->constr));
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
  case PAT_VARIANT: return true;
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
