/* ty_poly.c — explicitly polymorphic annotations on let-bound names, as
 * OCaml types `let f : 'a. t = e` and `let f : type a. t = e` (a
 * Ppat_constraint with a Ptyp_poly): the name is bound to the type
 * scheme of the annotation before e is typed, so that recursive uses
 * instantiate it (polymorphic recursion); e is typed against an instance
 * whose universal variables must stay distinct and generalizable, else
 * the definition is "less general" than its annotation.
 *
 * natml has no polytypes inside types: a scheme (generic variables) is
 * what a name bound with `'a.` gets, which is all OCaml 4.13 lets such
 * an annotation do on a let-binding. */
#include <string.h>

#include "typecheck.h"

Type *ty_poly_type(Typer *T, TyExpr *te, TyVarScope *sc, Type ***vars) {
  if (te->kind != TE_POLY) {
    if (vars) *vars = NULL;
    return ty_typexpr(T, te, sc);
  }
  int base = sc->n;
  Type **vs = ARENA_ARRAY(T->arena, Type *, te->npoly + 1);
  for (int i = 0; i < te->npoly; i++) vs[i] = ty_scope_bind(T, sc, te->poly_vars[i]);
  Type *t = ty_typexpr(T, te->a, sc);
  /* The universal variables are seen only under their binder: hide the
   * names, keeping the variables the body made for other names. */
  for (int i = 0; i < te->npoly; i++) sc->names[base + i] = "";
  if (vars) *vars = vs;
  return t;
}

/* Whether the instances iv[0..n) of universal variables (NULL: not in
 * the type) stayed distinct variables, generalized. */
static bool still_general(Type **iv, int n) {
  for (int i = 0; i < n; i++) {
    if (!iv[i]) continue;
    Type *v = ty_repr(iv[i]);
    if (v->kind != TY_VAR || v->level != TY_GENERIC_LEVEL) return false;
    for (int k = 0; k < i; k++)
      if (iv[k] && ty_repr(iv[k]) == v) return false;
  }
  return true;
}

bool ty_poly_binding(const Binding *b) {
  return b->pat->kind == PAT_CONSTRAINT && b->pat->tyexpr->kind == TE_POLY && b->pat->arg->kind == PAT_VAR;
}

static Type *instance_of(Type *scheme, Type *inst, Type *v, int depth) {
  scheme = ty_repr(scheme);
  inst = ty_repr(inst);
  if (scheme == v) return inst;
  if (depth > 1000 || scheme->kind == TY_VAR || scheme->kind != inst->kind) return NULL;
  if (scheme->kind == TY_ARROW) {
    Type *r = instance_of(scheme->a, inst->a, v, depth + 1);
    return r ? r : instance_of(scheme->b, inst->b, v, depth + 1);
  }
  for (int i = 0; i < scheme->nargs && i < inst->nargs; i++) {
    Type *r = instance_of(scheme->args[i], inst->args[i], v, depth + 1);
    if (r) return r;
  }
  return NULL;
}

Type *ty_instance_of(Type *scheme, Type *inst, Type *v) { return instance_of(scheme, inst, v, 0); }

Type *ty_poly_bind(Typer *T, Binding *b, PatVars *pv, Type ***univars) {
  TyExpr *te = b->pat->tyexpr;
  /* The scheme: the universal variables generic, the annotation's other
   * variables (`_`, 'b) shared with the instance, to be found by the
   * body as usual. */
  Type **vs;
  Type *scheme = ty_poly_type(T, te, T->annot, &vs);
  for (int i = 0; i < te->npoly; i++) ty_repr(vs[i])->level = TY_GENERIC_LEVEL;
  ty_generalize(T, scheme);
  ty_pattern(T, b->pat->arg, scheme, pv);
  /* The instance the expression must have: its universal variables
   * fresh at the current level. */
  Type *inst = ty_instance(T, scheme);
  Type **iv = ARENA_ARRAY(T->arena, Type *, te->npoly + 1);
  for (int i = 0; i < te->npoly; i++) {
    iv[i] = instance_of(scheme, inst, ty_repr(vs[i]), 0);
    if (!iv[i]) iv[i] = ty_new_var(T); /* unused in the type */
  }
  *univars = iv;
  b->pat->ty = inst;
  return inst;
}

/* ---- "less general" --------------------------------------------------------- */

typedef struct LessGeneral {
  Typer *T;
  const char *what; /* "This definition has type" */
  Type *ty;
  Type *scheme;
  Type **univars;
  int n;
} LessGeneral;

static void less_general_msg(Fmt *f, void *arg) {
  LessGeneral *m = arg;
  TyNames n1, n2;
  ty_names_init(&n1, m->T, false);
  ty_names_init(&n2, m->T, false);
  fmt_open_box(f, FMT_B, 0);
  fmt_string(f, m->what);
  fmt_break(f, 1, 2);
  ty_fmt_type(f, &n1, m->ty);
  fmt_space(f);
  fmt_string(f, "which is less general than");
  fmt_break(f, 1, 2);
  /* `'a 'b. t` as Printtyp prints a Tpoly. */
  fmt_open_box(f, FMT_HOV, 2);
  for (int i = 0; i < m->n; i++) ty_names_mark(&n2, m->univars[i]);
  for (int i = 0; i < m->n; i++) {
    if (i) fmt_string(f, " ");
    ty_fmt_type(f, &n2, m->univars[i]);
  }
  fmt_string(f, ".");
  fmt_space(f);
  ty_fmt_type(f, &n2, m->scheme);
  fmt_close_box(f);
  fmt_close_box(f);
  ty_names_done(&n1);
  ty_names_done(&n2);
}

void ty_poly_check(Typer *T, Binding *b, Type *ty, Type **univars) {
  TyExpr *te = b->pat->tyexpr;
  if (still_general(univars, te->npoly)) {
    /* What the body found for the annotation's other variables. */
    ty_generalize(T, b->pat->arg->var->ty);
    return;
  }
  /* The annotation printed afresh, its variables as written. */
  Type **vs;
  Type *scheme = ty_poly_type(T, te, T->annot, &vs);
  LessGeneral m = {T, "This definition has type", ty, scheme, vs, te->npoly};
  ty_error_text(T, b->expr->loc, ty_error_layout(T, less_general_msg, &m));
}

/* ---- Polymorphic record fields ------------------------------------------------ */

void ty_poly_field(Typer *T, Expr *arg, TypeDecl *d, Type **params, FieldDesc *f) {
  Type *scheme = ty_subst_params_only(T, d, params, f->ty);
  ty_begin_def(T);
  Type *inst = ty_instance(T, scheme);
  Type **iv = ARENA_ARRAY(T->arena, Type *, f->nuniv + 1);
  for (int i = 0; i < f->nuniv; i++) iv[i] = instance_of(scheme, inst, ty_repr(f->univars[i]), 0);
  ty_expr_expect(T, arg, inst, WHY_NONE);
  ty_end_def(T);
  if (!ty_nonexpansive(arg)) ty_generalize_expansive(T, inst);
  ty_generalize(T, inst);
  if (still_general(iv, f->nuniv)) return;
  LessGeneral m = {T, "This field value has type", inst, scheme, f->univars, f->nuniv};
  ty_error_text(T, arg->loc, ty_error_layout(T, less_general_msg, &m));
}
