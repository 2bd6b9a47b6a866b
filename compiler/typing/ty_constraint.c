/* ty_constraint.c — type parameters constrained by `constraint 'a = ty`
 * (OCaml's Typedecl and Typetexp): a declaration's parameters are types,
 * not only distinct variables, once its constraints are unified into
 * them. Uses of the type must be instances of its parameters, and its
 * expansion instantiates parameters and body together, then unifies the
 * parameters' copies with the arguments (Ctype.expand_abbrev). */
#include <string.h>

#include "typecheck.h"

bool ty_decl_constrained(const TypeDecl *d) {
  for (int i = 0; i < d->nparams; i++) {
    Type *p = ty_repr(d->params[i]);
    if (p->kind != TY_VAR) return true;
    for (int k = 0; k < i; k++)
      if (ty_repr(d->params[k]) == p) return true;
  }
  return false;
}

void ty_decl_constraints(Typer *T, TypeDeclAst *a, TyVarScope *sc) {
  if (!a->ncstrs) return;
  /* The constraints may name variables the parameters do not: they join
   * the declaration's scope. */
  bool closed = sc->closed;
  sc->closed = false;
  for (int i = 0; i < a->ncstrs; i++) {
    Type *x = ty_typexpr(T, a->cstrs[2 * i], sc);
    Type *y = ty_typexpr(T, a->cstrs[2 * i + 1], sc);
    if (!ty_unify(T, x, y))
      ty_error_unify_head(T, a->cstr_locs[i], "The type constraints are not consistent.", "Type",
                          "is not compatible with type");
  }
  sc->closed = closed;
}

void ty_check_constrained_use(Typer *T, TypeDecl *d, Type **args, TyExpr **arg_exprs) {
  if (!ty_decl_constrained(d)) return;
  Type **ps = ty_instance_params(T, d, NULL, NULL);
  for (int i = 0; i < d->nparams; i++)
    if (!ty_unify(T, args[i], ps[i]))
      ty_error_unify(T, arg_exprs[i]->loc, "This type", "should be an instance of type", WHY_NONE);
}

Type *ty_expand_constrained(Typer *T, TypeDecl *d, Type **args, Type *t) {
  Type *body = NULL;
  Type **ps = ty_instance_params(T, d, t, &body);
  /* A failure here is the caller's to find (it compares the arguments
   * with the expansion); the unifier's report in progress is kept. */
  UnifyErr saved = T->uerr;
  TracePair *pairs = saved.npairs ? ARENA_ARRAY(T->arena, TracePair, saved.npairs) : NULL;
  if (pairs) memcpy(pairs, saved.pairs, sizeof *pairs * (size_t)saved.npairs);
  int nup = T->nupairs;
  for (int i = 0; i < d->nparams; i++) (void)ty_unify(T, ps[i], args[i]);
  if (pairs) memcpy(T->uerr.pairs, pairs, sizeof *pairs * (size_t)saved.npairs);
  T->uerr.npairs = saved.npairs;
  T->uerr.occ_var = saved.occ_var;
  T->uerr.occ_in = saved.occ_in;
  T->nupairs = nup;
  return body;
}

/* Whether a's definition is its type constructor applied to its own
 * parameters in order (Typemod.type_decl_is_alias): a path, not a body. */
bool ty_subst_is_alias(const TypeDeclAst *a) {
  const TyExpr *m = a->manifest;
  if (!m || m->kind != TE_CONSTR || m->nitems != a->nparams) return false;
  for (int i = 0; i < m->nitems; i++)
    if (m->items[i]->kind != TE_VAR || strcmp(m->items[i]->var, a->params[i]) != 0) return false;
  return true;
}

void ty_check_subst_params(Typer *T, TypeDecl *d, const TypeDeclAst *a, Loc loc) {
  if (ty_subst_is_alias(a) || !ty_decl_constrained(d)) return;
  ty_error_text(T, loc,
                "Destructive substitutions are not supported for constrained \n"
                "       types (other than when replacing a type constructor with \n"
                "       a type constructor with the same arguments).");
}
