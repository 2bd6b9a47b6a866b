/* ty_decl.c — type expressions (annotations) and declarations: `type`
 * (variants, records, abbreviations, parameters, mutual recursion,
 * re-exported `= M.t =` manifests), `exception` and `external`. Each
 * declaration becomes TypeDecl / ConstrDesc / FieldDesc / ValueDesc
 * records in the phrase arena, bound in the environment. */
#include <string.h>

#include "typecheck.h"

/* ---- Type expressions -------------------------------------------------------- */

/* The latest binding of name: universal variables (`'a. t`) shadow. */
static Type *scope_find(TyVarScope *sc, const char *name) {
  for (int i = sc->n - 1; i >= 0; i--)
    if (strcmp(sc->names[i], name) == 0) return sc->vars[i];
  return NULL;
}

static Type *scope_var(Typer *T, TyVarScope *sc, TyExpr *te) {
  if (te->var[0] == '_')
    ty_error_textf(T, te->loc, "The type variable name '%s is not allowed in programs", te->var);
  Type *found = scope_find(sc, te->var);
  if (found) return found;
  if (sc->closed && te->kind != TE_ALIAS)
    ty_error_textf(T, te->loc, "The type variable '%s is unbound in this type declaration. ", te->var);
  return ty_scope_bind(T, sc, te->var);
}

Type *ty_scope_bind(Typer *T, TyVarScope *sc, const char *name) {
  if (sc->n == sc->cap) {
    int cap = sc->cap ? sc->cap * 2 : 8;
    const char **ns = ARENA_ARRAY(T->arena, const char *, cap);
    Type **vs = ARENA_ARRAY(T->arena, Type *, cap);
    if (sc->n) {
      memcpy(ns, sc->names, sizeof(char *) * (size_t)sc->n);
      memcpy(vs, sc->vars, sizeof(Type *) * (size_t)sc->n);
    }
    sc->names = ns;
    sc->vars = vs;
    sc->cap = cap;
  }
  Type *v = ty_new_var(T);
  v->name = name;
  sc->names[sc->n] = name;
  sc->vars[sc->n++] = v;
  return v;
}

TypeDecl *ty_lookup_type(Typer *T, const Path *p, const char **printed) {
  Env *scope = p->nmods ? ty_lookup_module(T, p, false)->env : T->env;
  TypeDecl *d = scope ? env_find(scope, NS_TYPE, p->name) : NULL;
  if (!d) ty_error_unbound(T, p->loc, "type constructor", NS_TYPE, p);
  if (printed) *printed = d->path ? d->path : ty_path_string(T, p);
  return d;
}

/* `t as 'a` (OCaml's Ptyp_alias): 'a is bound to t, and stands for it
 * inside t too when it is new, which makes a cyclic type; only -rectypes
 * lets the occurs check through (`'a list as 'a`). Even a declaration may
 * bind a new name so. */
static Type *type_alias(Typer *T, TyExpr *te, TyVarScope *sc) {
  Type *v = scope_find(sc, te->var);
  if (!v) v = scope_var(T, sc, te);
  Type *t = ty_typexpr(T, te->a, sc);
  if (!ty_unify(T, t, v))
    ty_error_unify(T, te->loc, "This alias is bound to type", "but is used as an instance of type", WHY_NONE);
  return v;
}

Type *ty_typexpr(Typer *T, TyExpr *te, TyVarScope *sc) {
  switch (te->kind) {
  case TE_VAR: return scope_var(T, sc, te);
  case TE_ANY:
    if (sc->closed) ty_error_text(T, te->loc, "A type variable is unbound in this type declaration.");
    return ty_new_var(T);
  case TE_ARROW: {
    Type *a = ty_typexpr(T, te->a, sc);
    if (te->label.kind == LBL_OPTIONAL) a = ty_predef1(T, TYB_OPTION, a);
    return ty_new_arrow_l(T, te->label, a, ty_typexpr(T, te->b, sc));
  }
  case TE_PACKAGE: return ty_package_type(T, te, sc);
  case TE_TUPLE: {
    Type **items = ARENA_ARRAY(T->arena, Type *, te->nitems);
    for (int i = 0; i < te->nitems; i++) items[i] = ty_typexpr(T, te->items[i], sc);
    return ty_new_tuple(T, items, te->nitems);
  }
  case TE_ALIAS: return type_alias(T, te, sc);
  case TE_POLY: return ty_poly_type(T, te, sc, NULL);
  case TE_VARIANT: return ty_row_typexpr(T, te, sc);
  case TE_CONSTR: {
    const char *printed;
    TypeDecl *d = ty_lookup_type(T, &te->path, &printed);
    if (d->nparams != te->nitems)
      ty_error_type_arity(T, te->loc, ty_path_string(T, &te->path), d->nparams, te->nitems);
    Type **args = ARENA_ARRAY(T->arena, Type *, te->nitems + 1);
    for (int i = 0; i < te->nitems; i++) args[i] = ty_typexpr(T, te->items[i], sc);
    ty_check_constrained_use(T, d, args, te->items);
    return ty_new_constr(T, d, args, te->nitems, printed);
  }
  }
  NML_UNREACHABLE();
}

/* ---- Type declarations ------------------------------------------------------ */

static TypeDecl *new_decl(Typer *T, TypeDeclAst *a) {
  TypeDecl *d = ARENA_NEW(T->arena, TypeDecl);
  d->name = a->name;
  d->path = a->name;
  d->stamp = ++T->next_stamp;
  d->time = T->next_type_id;
  d->loc = a->loc;
  d->private_ = a->private_;
  d->nparams = a->nparams;
  d->params = ARENA_ARRAY(T->arena, Type *, a->nparams + 1);
  for (int i = 0; i < a->nparams; i++) {
    Type *v = ty_new_generic_var(T);
    v->name = a->params[i];
    d->params[i] = v;
  }
  return d;
}

static TyVarScope decl_scope(Typer *T, TypeDecl *d, TypeDeclAst *a) {
  TyVarScope sc = {0};
  sc.closed = true;
  sc.n = sc.cap = d->nparams;
  sc.names = ARENA_ARRAY(T->arena, const char *, d->nparams + 1);
  sc.vars = ARENA_ARRAY(T->arena, Type *, d->nparams + 1);
  for (int i = 0; i < d->nparams; i++) {
    if (a->params[i][0] == '_' && a->params[i][1] && a->param_locs)
      ty_error_textf(T, a->param_locs[i], "The type variable name '%s is not allowed in programs",
                     a->params[i]);
    for (int k = 0; k < i; k++)
      if (strcmp(a->params[i], "_") != 0 && strcmp(a->params[k], a->params[i]) == 0)
        ty_error_textf(T, a->loc, "The type parameter '%s occurs several times", a->params[i]);
    sc.names[i] = a->params[i];
    sc.vars[i] = d->params[i];
  }
  return sc;
}

/* `C : args -> res`: the constructor's type variables are its own (the
 * declaration's parameters are not in scope), and res must be the type
 * being defined applied to some types; the constructor's types are
 * generic, as a declaration's parameters are. */
static void gadt_constr(Typer *T, TypeDecl *d, ConstrDesc *c, ConstrDecl *cd) {
  if (d->nonrec) ty_error_text(T, cd->loc, "GADT case syntax cannot be used in a 'nonrec' block.");
  TyVarScope own = {0};
  ty_begin_def(T);
  Type *res = ty_typexpr(T, cd->ret, &own);
  for (int k = 0; k < cd->nargs; k++) c->args[k] = ty_typexpr(T, cd->args[k], &own);
  ty_end_def(T);
  Type *r = ty_repr(res);
  if (r->kind != TY_CONSTR || r->decl != d) {
    Type *expected = ty_new_constr(T, d, d->params, d->nparams, NULL);
    ty_error_constraint_instance(T, cd->ret->loc, res, expected);
  }
  ty_generalize(T, res);
  for (int k = 0; k < cd->nargs; k++) ty_generalize(T, c->args[k]);
  c->res = res;
  c->gadt = true;
}

static void fill_variant(Typer *T, TypeDecl *d, TypeDeclAst *a, TyVarScope *sc) {
  d->kind = TD_VARIANT;
  d->nconstrs = a->nconstrs;
  d->constrs = ARENA_ARRAY(T->arena, ConstrDesc *, a->nconstrs + 1);
  int nconsts = 0, nblocks = 0;
  for (int i = 0; i < a->nconstrs; i++) {
    if (a->constrs[i].nargs) nblocks++;
    else nconsts++;
  }
  Type *res = ty_new_constr(T, d, d->params, d->nparams, NULL);
  int ci = 0, bi = 0;
  for (int i = 0; i < a->nconstrs; i++) {
    ConstrDecl *cd = &a->constrs[i];
    for (int k = 0; k < i; k++)
      if (strcmp(a->constrs[k].name, cd->name) == 0)
        ty_error_textf(T, cd->loc, "Two constructors are named %s", cd->name);
    ConstrDesc *c = ARENA_NEW(T->arena, ConstrDesc);
    c->name = cd->name;
    c->decl = d;
    c->res = res;
    c->nargs = cd->nargs;
    c->args = ARENA_ARRAY(T->arena, Type *, cd->nargs + 1);
    if (cd->ret) gadt_constr(T, d, c, cd);
    else
      for (int k = 0; k < cd->nargs; k++) c->args[k] = ty_typexpr(T, cd->args[k], sc);
    c->constant = cd->nargs == 0;
    c->tag = c->constant ? ci++ : bi++;
    c->nconsts = nconsts;
    c->nblocks = nblocks;
    d->constrs[i] = c;
  }
}

static void fill_record(Typer *T, TypeDecl *d, TypeDeclAst *a, TyVarScope *sc) {
  d->kind = TD_RECORD;
  d->nfields = a->nfields;
  d->fields = ARENA_ARRAY(T->arena, FieldDesc *, a->nfields + 1);
  Type *res = ty_new_constr(T, d, d->params, d->nparams, NULL);
  bool all_float = a->nfields > 0;
  for (int i = 0; i < a->nfields; i++) {
    FieldDecl *fd = &a->fields[i];
    for (int k = 0; k < i; k++)
      if (strcmp(a->fields[k].name, fd->name) == 0)
        ty_error_textf(T, fd->loc, "Two labels are named %s", fd->name);
    FieldDesc *f = ARENA_NEW(T->arena, FieldDesc);
    f->name = fd->name;
    f->decl = d;
    f->index = i;
    f->mutable_ = fd->mutable_;
    if (fd->ty->kind == TE_POLY) {
      f->ty = ty_poly_type(T, fd->ty, sc, &f->univars);
      f->nuniv = fd->ty->npoly;
      for (int k = 0; k < f->nuniv; k++) ty_repr(f->univars[k])->level = TY_GENERIC_LEVEL;
      ty_generalize(T, f->ty);
    } else {
      f->ty = ty_typexpr(T, fd->ty, sc);
    }
    f->res = res;
    all_float &= ty_is_constr(f->ty, TYB_FLOAT);
    d->fields[i] = f;
  }
  d->float_record = all_float;
}

/* A re-exported variant (`type t = M.t = A | B`) must agree with M.t
 * (ty_include.c); its constructors keep M.t's representation. */
static void check_reexport(Typer *T, TypeDecl *d, TypeDeclAst *a) {
  ty_include_reexport(T, d, a->loc);
  Type *m = ty_repr(d->manifest);
  for (int i = 0; i < d->nconstrs; i++) d->constrs[i]->tag = m->decl->constrs[i]->tag;
}

/* An abstract or private type's parameters vary as annotated (`type +'a
 * t`), invariant when not: what its definition, hidden or not yet
 * known, may do is unknown (OCaml's Typedecl_variance for abstract and
 * private types). */
void ty_declared_variance(TypeDecl *d, const char *variances) {
  if (!(d->kind == TD_ABSTRACT && !d->manifest) && !d->private_) return;
  for (int i = 0; i < d->nparams; i++) {
    char v = variances ? variances[i] : ' ';
    d->variance[i] = v == '+' || v == 'p' ? VAR_CO : v == '-' || v == 'm' ? VAR_CONTRA : VAR_INV;
    if (v == 'p' || v == 'm' || v == '!') d->variance[i] |= VAR_INJ;
  }
}

/* Makes every variable of d generic again (OCaml's generalize_decl). */
static void generalize_decl(Typer *T, TypeDecl *d) {
  for (int i = 0; i < d->nparams; i++) ty_generalize(T, d->params[i]);
  if (d->manifest) ty_generalize(T, d->manifest);
  for (int i = 0; i < d->nconstrs; i++) {
    ty_generalize(T, d->constrs[i]->res);
    for (int k = 0; k < d->constrs[i]->nargs; k++) ty_generalize(T, d->constrs[i]->args[k]);
  }
  for (int i = 0; i < d->nfields; i++) {
    ty_generalize(T, d->fields[i]->res);
    ty_generalize(T, d->fields[i]->ty);
  }
}

/* A parameter that constraints made a type varies as annotated, else
 * not at all (Typedecl_variance gives constrained parameters full
 * variance). */
static void constrained_variance(TypeDecl *d, const char *variances) {
  for (int i = 0; i < d->nparams && d->variance; i++) {
    if (ty_repr(d->params[i])->kind == TY_VAR) continue;
    /* Used both ways by its own type (`[> `Foo of 'a -> unit] as 'a`):
     * invariant, whatever the annotation says. */
    unsigned char used = d->variance[i];
    if ((used & VAR_INV) || (used & (VAR_CO | VAR_CONTRA)) == (VAR_CO | VAR_CONTRA)) {
      d->variance[i] = VAR_INV;
      continue;
    }
    char v = variances ? variances[i] : ' ';
    d->variance[i] = v == '+' || v == 'p' ? VAR_CO : v == '-' || v == 'm' ? VAR_CONTRA : VAR_INV;
    if (v == 'p' || v == 'm' || v == '!') d->variance[i] |= VAR_INJ;
  }
}

void ty_type_decls(Typer *T, Item *item) {
  int n = item->ntypes;
  TypeDecl **ds = ARENA_ARRAY(T->arena, TypeDecl *, n + 1);
  for (int i = 0; i < n; i++) {
    for (int k = 0; k < i; k++)
      if (strcmp(item->types[k].name, item->types[i].name) == 0)
        ty_error_textf(T, item->types[i].loc,
                       "Multiple definition of the type name %s.\n"
                       "       Names must be unique in a given structure or signature.",
                       item->types[i].name);
    ds[i] = new_decl(T, &item->types[i]);
    ds[i]->nonrec = item->types[i].nonrec;
    /* type nonrec: the group's names are not in scope in its bodies. */
    if (!ds[i]->nonrec) env_add(T->env, NS_TYPE, ds[i]->name, ds[i]);
  }
  /* Constraints, and uses of constrained types, may make parameters
   * non-generic types: the group is generalized again once typed. */
  ty_begin_def(T);
  for (int i = 0; i < n; i++) {
    TypeDeclAst *a = &item->types[i];
    TypeDecl *d = ds[i];
    TyVarScope sc = decl_scope(T, d, a);
    ty_decl_constraints(T, a, &sc);
    if (a->manifest) d->manifest = ty_typexpr(T, a->manifest, &sc);
    if (d->manifest) {
      ty_row_check_bound(T, d, a->loc);
      ty_row_decl(T, d);
    }
    if (a->kind == TDK_VARIANT) fill_variant(T, d, a, &sc);
    else if (a->kind == TDK_RECORD) fill_record(T, d, a, &sc);
  }
  ty_end_def(T);
  for (int i = 0; i < n; i++) generalize_decl(T, ds[i]);
  for (int i = 0; i < n; i++)
    if (ds[i]->nonrec) env_add(T->env, NS_TYPE, ds[i]->name, ds[i]);
  Loc *locs = ARENA_ARRAY(T->arena, Loc, n + 1);
  for (int i = 0; i < n; i++) locs[i] = item->types[i].loc;
  ty_check_decl_group(T, ds, locs, n);
  for (int i = 0; i < n; i++) {
    TypeDecl *d = ds[i];
    if (d->manifest && d->kind != TD_ABSTRACT) check_reexport(T, d, &item->types[i]);
    ty_compute_variance(T, d);
    ty_declared_variance(d, item->types[i].variances);
    constrained_variance(d, item->types[i].variances);
    ty_row_decl_injective(d);
  }
  if (T->rec_anchor) ty_recmod_enrich(T, ds, n);
  for (int i = 0; i < n; i++) {
    TypeDecl *d = ds[i];
    for (int k = 0; k < d->nconstrs; k++) env_add(T->env, NS_CONSTR, d->constrs[k]->name, d->constrs[k]);
    for (int k = 0; k < d->nfields; k++) env_add(T->env, NS_FIELD, d->fields[k]->name, d->fields[k]);
  }
}

void ty_type_substs(Typer *T, TypeDeclAst *types, int n, TypeDecl **out) {
  for (int i = 0; i < n; i++) {
    out[i] = new_decl(T, &types[i]);
    TyVarScope sc = decl_scope(T, out[i], &types[i]);
    out[i]->manifest = ty_typexpr(T, types[i].manifest, &sc);
    ty_check_subst_params(T, out[i], &types[i], types[i].loc);
  }
  for (int i = 0; i < n; i++) env_add(T->env, NS_TYPE, out[i]->name, out[i]);
}

/* ---- Exceptions and externals -------------------------------------------------- */

ConstrDesc *ty_exception_decl(Typer *T, ExnDecl *ed) {
  ConstrDesc *c = ARENA_NEW(T->arena, ConstrDesc);
  c->name = ed->name;
  c->is_exn = true;
  c->exn_path = ed->name; /* prefixed when its module closes */
  c->res = ty_predef(T, TYB_EXN);
  if (ed->rebind.name) {
    ConstrDesc *o = env_find(ed->rebind.nmods ? ty_lookup_module(T, &ed->rebind, false)->env : T->env,
                             NS_CONSTR, ed->rebind.name);
    if (!o) ty_error_unbound(T, ed->rebind.loc, "constructor", NS_CONSTR, &ed->rebind);
    if (!o->is_exn)
      ty_error_textf(T, ed->rebind.loc, "The constructor %s is not an extension constructor",
                     ed->rebind.name);
    *c = *o;
    c->name = ed->name;
    c->session = false;
  } else {
    TyVarScope sc = {0};
    sc.closed = true;
    c->nargs = ed->nargs;
    c->args = ARENA_ARRAY(T->arena, Type *, ed->nargs + 1);
    for (int i = 0; i < ed->nargs; i++) c->args[i] = ty_typexpr(T, ed->args[i], &sc);
    c->constant = ed->nargs == 0;
    c->exn_val = ty_new_local(T, ed->name, c->res, ed->loc);
  }
  env_add(T->env, NS_CONSTR, c->name, c);
  return c;
}

static int syntactic_arity(const TyExpr *te) {
  int n = 0;
  for (; te->kind == TE_ARROW; te = te->b) n++;
  return n;
}

void ty_external(Typer *T, Item *item) {
  TyVarScope sc = {0};
  ty_begin_def(T);
  Type *t = ty_typexpr(T, item->ty, &sc);
  ty_end_def(T);
  ty_generalize(T, t);
  ValueDesc *v = ARENA_NEW(T->arena, ValueDesc);
  v->name = item->name;
  v->ty = t;
  v->kind = VAL_PRIM;
  v->prim = item->nprims ? item->prims[0] : "";
  v->prim_arity = syntactic_arity(item->ty);
  v->loc = item->loc;
  env_add(T->env, NS_VALUE, v->name, v);
  ptrvec_push(T->arena, T->bound, v);
}
