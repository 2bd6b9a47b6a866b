/* ty_gadt.c — what GADTs add to the checker (OCaml's ctype.ml pattern
 * mode and typecore.ml's type_cases):
 *
 * - local abstract types: `type a` (newtypes), the existentials a
 *   pattern introduces (`$C_'a`) and the types an equation needs for a
 *   variable of its right-hand side (`$'a`, OCaml's reify);
 * - equations: while the pattern of a GADT match is typed, unifying such
 *   an abstract type with another type does not fail but records an
 *   equation (`a = int`), in force in that case's guard and body
 *   (TypeDecl.eq, expanded as a manifest would be);
 * - compatibility: two types that unification cannot make equal in a
 *   pattern still match when nothing known tells them apart (mcomp);
 * - scopes: a variable older than a local type cannot stand for it
 *   (Escape, "would escape its scope").
 *
 * Equations live in the declarations they refine and in Typer.eqs, a
 * log that says which are in force; a case saves its own when its
 * pattern has been typed, and puts them back for its body. */
#include <stdio.h>
#include <string.h>

#include "parmatch.h"
#include "typecheck.h"

/* ---- Local abstract types --------------------------------------------------- */

struct ReifiedName {
  const char *name;
  int count;
  struct ReifiedName *next;
};

/* OCaml's get_new_abstract_name: the first `$C_'a` of an item keeps its
 * name, the next ones are numbered; a name ending in `$` is always. */
static const char *new_abstract_name(Typer *T, const char *s) {
  struct ReifiedName *r = T->reified;
  while (r && strcmp(r->name, s) != 0) r = r->next;
  if (!r) {
    r = ARENA_NEW(T->arena, struct ReifiedName);
    r->name = s;
    r->count = -1;
    r->next = T->reified;
    T->reified = r;
  }
  int index = ++r->count;
  size_t len = strlen(s);
  if (index == 0 && len > 0 && s[len - 1] != '$') return s;
  return arena_printf(T->arena, "%s%d", s, index);
}

TypeDecl *ty_local_type(Typer *T, const char *name, int scope) {
  TypeDecl *d = ARENA_NEW(T->arena, TypeDecl);
  d->name = d->path = name;
  d->stamp = ++T->next_stamp;
  d->time = T->next_type_id;
  d->kind = TD_ABSTRACT;
  d->params = ARENA_ARRAY(T->arena, Type *, 1);
  d->local = true;
  d->scope = scope;
  return d;
}

static Type *local_type_instance(Typer *T, const char *name, int scope) {
  TypeDecl *d = ty_local_type(T, new_abstract_name(T, name), scope);
  return ty_new_constr(T, d, NULL, 0, d->name);
}

/* OCaml's non_aliasable: a type of the current unit (its path has no
 * module) that is not a local abstract type can never get an equation,
 * and is known to differ from every other such type. */
static bool non_aliasable(const TypeDecl *d) { return !d->local && (!d->path || !strchr(d->path, '.')); }

bool ty_gadt_instantiable(const TypeDecl *d) {
  return d->kind == TD_ABSTRACT && d->nparams == 0 && !d->manifest && !d->eq && !d->private_ && !d->builtin &&
         !non_aliasable(d);
}

/* ---- Existentials of a constructor pattern -------------------------------------- */

/* Adds the variables of t not yet in vars to vars. */
static void collect_vars(Typer *T, PtrVec *vars, Type *t, int depth) {
  t = ty_repr(t);
  if (depth > 1000) return;
  if (t->kind == TY_VAR) {
    for (int k = 0; k < vars->len; k++)
      if (vars->items[k] == t) return;
    ptrvec_push(T->arena, vars, t);
    return;
  }
  if (t->kind == TY_ARROW) {
    collect_vars(T, vars, t->a, depth + 1);
    collect_vars(T, vars, t->b, depth + 1);
    return;
  }
  for (int k = 0; k < t->nargs; k++) collect_vars(T, vars, t->args[k], depth + 1);
}

/* The node of the instance args that stands for the generic variable v
 * of c's arguments. */
static Type *arg_instance(ConstrDesc *c, Type **args, Type *v) {
  Type *r = NULL;
  for (int k = 0; k < c->nargs && !r; k++) r = ty_instance_of(c->args[k], args[k], v);
  return r;
}

int ty_constr_existentials(Typer *T, ConstrDesc *c, Type ***out) {
  if (!c->gadt) return 0;
  PtrVec vars = {0};
  for (int k = 0; k < c->nargs; k++) collect_vars(T, &vars, c->args[k], 0);
  Type **ex = ARENA_ARRAY(T->arena, Type *, vars.len + 1);
  int n = 0;
  for (int k = 0; k < vars.len; k++)
    if (!ty_occurs(vars.items[k], c->res, 1000)) ex[n++] = vars.items[k];
  if (out) *out = ex;
  return n;
}

const char *ty_existential_name(Typer *T, ConstrDesc *c, Type *ex) {
  ex = ty_repr(ex);
  if (ex->kind == TY_VAR && ex->name) return arena_printf(T->arena, "$%s_'%s", c->name, ex->name);
  return arena_printf(T->arena, "$%s", c->name);
}

int ty_gadt_instance_named(Typer *T, ConstrDesc *c, Type **args, Type **res, Type ***ex_out) {
  Type **ex;
  int nex = ty_constr_existentials(T, c, &ex);
  *res = ty_instance_constr(T, c, args);
  Type **out = ARENA_ARRAY(T->arena, Type *, nex + 1);
  for (int e = 0; e < nex; e++) out[e] = arg_instance(c, args, ex[e]);
  *ex_out = out;
  return nex;
}

Type *ty_gadt_instance_constr(Typer *T, ConstrDesc *c, Type **args, int scope) {
  Type **ex;
  int nex = ty_constr_existentials(T, c, &ex);
  Type *res = ty_instance_constr(T, c, args);
  if (nex == 0) return res;
  for (int e = 0; e < nex; e++) {
    Type *iv = arg_instance(c, args, ex[e]);
    if (iv && (iv = ty_repr(iv))->kind == TY_VAR)
      ty_link(T, iv, local_type_instance(T, ty_existential_name(T, c, ex[e]), scope));
  }
  return res;
}

/* ---- Equations ------------------------------------------------------------------ */

/* OCaml's reify: the variables of an equation's right-hand side become
 * fresh abstract types; a variable older than the match cannot. */
bool ty_gadt_reify(Typer *T, Type *t) {
  t = ty_repr(t);
  switch (t->kind) {
  case TY_VAR: {
    const char *name = t->name ? arena_printf(T->arena, "$'%s", t->name) : "$";
    Type *c = local_type_instance(T, name, T->gadt_lev);
    bool escapes = t->level < T->gadt_lev;
    ty_link(T, t, c);
    if (escapes) {
      T->uerr.escaped = c->decl;
      return false;
    }
    return true;
  }
  case TY_ARROW: return ty_gadt_reify(T, t->a) && ty_gadt_reify(T, t->b);
  case TY_TUPLE:
  case TY_CONSTR:
  case TY_PACKAGE:
    for (int i = 0; i < t->nargs; i++)
      if (!ty_gadt_reify(T, t->args[i])) return false;
    return true;
  default: return true; /* rows keep their variables (not reified yet) */
  }
}

static bool mentions_decl(Type *t, TypeDecl *d, int depth) {
  t = ty_repr(t);
  if (depth > 1000) return false;
  if (t->kind == TY_CONSTR && t->decl == d) return true;
  /* Through the equations in force: `$1 = o` makes `o = $1 -> $1`
   * recursive too. */
  if (t->kind == TY_CONSTR && t->decl->eq && mentions_decl(t->decl->eq, d, depth + 1)) return true;
  if (t->kind == TY_ARROW) return mentions_decl(t->a, d, depth + 1) || mentions_decl(t->b, d, depth + 1);
  if (t->kind == TY_VAR) return false;
  for (int i = 0; i < t->nargs; i++)
    if (mentions_decl(t->args[i], d, depth + 1)) return true;
  return false;
}

/* A copy of t's structure (variables shared): the equation's own nodes,
 * which its scope marks (OCaml's duplicate_type). */
static Type *duplicate(Typer *T, Type *t, int depth) {
  t = ty_repr(t);
  if (depth > 100 ||
      (t->kind != TY_ARROW && t->kind != TY_TUPLE && t->kind != TY_PACKAGE && t->kind != TY_CONSTR))
    return t; /* variables, rows: shared */
  if (t->kind == TY_ARROW)
    return ty_copy_arrow(T, t, duplicate(T, t->a, depth + 1), duplicate(T, t->b, depth + 1));
  Type **args = ARENA_ARRAY(T->arena, Type *, t->nargs + 1);
  for (int i = 0; i < t->nargs; i++) args[i] = duplicate(T, t->args[i], depth + 1);
  if (t->kind == TY_TUPLE) return ty_new_tuple(T, args, t->nargs);
  if (t->kind == TY_PACKAGE) return ty_new_package(T, t->pkg, t->path, t->pkg_names, args, t->nargs);
  return ty_new_constr(T, t->decl, args, t->nargs, t->path);
}

/* Puts d = eq in force, from the level scope on. */
static void put_eq(Typer *T, TypeDecl *d, Type *eq, int scope) {
  if (T->neqs == T->ceqs) {
    int cap = T->ceqs ? T->ceqs * 2 : 16;
    TypeDecl **n = ARENA_ARRAY(T->perm, TypeDecl *, cap);
    if (T->neqs) memcpy(n, T->eqs, sizeof(TypeDecl *) * (size_t)T->neqs);
    T->eqs = n;
    T->ceqs = cap;
  }
  d->eq = eq;
  d->eq_scope = scope;
  T->eqs[T->neqs++] = d;
}

void ty_gadt_add_eq(Typer *T, TypeDecl *d, Type *dest) {
  /* A recursive equation would make a cyclic abbreviation: OCaml adds
   * none (local_non_recursive_abbrev). */
  if (mentions_decl(dest, d, 0)) return;
  put_eq(T, d, duplicate(T, dest, 0), d->scope > T->gadt_lev ? d->scope : T->gadt_lev);
}

struct GadtEqs {
  TypeDecl **decls;
  Type **eqs;
  int *scopes;
  int n;
};

GadtEqs *ty_gadt_save(Typer *T, int mark) {
  GadtEqs *s = ARENA_NEW(T->arena, GadtEqs);
  s->n = T->neqs - mark;
  s->decls = ARENA_ARRAY(T->arena, TypeDecl *, s->n + 1);
  s->eqs = ARENA_ARRAY(T->arena, Type *, s->n + 1);
  s->scopes = ARENA_ARRAY(T->arena, int, s->n + 1);
  for (int i = 0; i < s->n; i++) {
    TypeDecl *d = T->eqs[mark + i];
    s->decls[i] = d;
    s->eqs[i] = d->eq;
    s->scopes[i] = d->eq_scope;
  }
  ty_gadt_undo(T, mark);
  return s;
}

void ty_gadt_restore(Typer *T, GadtEqs *s) {
  for (int i = 0; i < s->n; i++) put_eq(T, s->decls[i], s->eqs[i], s->scopes[i]);
}

void ty_gadt_undo(Typer *T, int mark) {
  while (T->neqs > mark) {
    TypeDecl *d = T->eqs[--T->neqs];
    d->eq = NULL;
    d->eq_scope = 0;
  }
}

/* ---- Compatibility (OCaml's mcomp) ------------------------------------------------- */

static bool is_datatype(const TypeDecl *d) { return d->kind != TD_ABSTRACT; }

bool ty_gadt_compatible(Typer *T, Type *a, Type *b, int depth) {
  a = ty_expand_head(T, a);
  b = ty_expand_head(T, b);
  if (a == b || a->kind == TY_VAR || b->kind == TY_VAR || depth > 100) return true;
  if (a->kind == TY_CONSTR && b->kind == TY_CONSTR) {
    if (ty_same_decl(a->decl, b->decl)) {
      /* Arguments of a datatype (and of predefined types) are injective. */
      if (!is_datatype(a->decl) && !a->decl->builtin) return true;
      for (int i = 0; i < a->nargs && i < b->nargs; i++)
        if (!ty_gadt_compatible(T, a->args[i], b->args[i], depth + 1)) return false;
      return true;
    }
    if (non_aliasable(a->decl) && non_aliasable(b->decl)) return false;
    if (a->decl->kind == TD_ABSTRACT && !non_aliasable(a->decl)) return true;
    if (b->decl->kind == TD_ABSTRACT && !non_aliasable(b->decl)) return true;
    return false;
  }
  if (a->kind == TY_CONSTR || b->kind == TY_CONSTR) {
    TypeDecl *d = a->kind == TY_CONSTR ? a->decl : b->decl;
    return !(non_aliasable(d) || is_datatype(d));
  }
  if (a->kind != b->kind) return false;
  switch (a->kind) {
  case TY_ARROW:
    return ty_gadt_compatible(T, a->a, b->a, depth + 1) && ty_gadt_compatible(T, a->b, b->b, depth + 1);
  case TY_TUPLE:
    if (a->nargs != b->nargs) return false;
    for (int i = 0; i < a->nargs; i++)
      if (!ty_gadt_compatible(T, a->args[i], b->args[i], depth + 1)) return false;
    return true;
  default: return true;
  }
}

/* ---- Typing counter-examples (parmatch.h's PmTyper) ---------------------------- */

static PmMark pm_mark(void *cl) {
  Typer *T = cl;
  return (PmMark){T->ntrail, T->neqs};
}

static void pm_undo(void *cl, PmMark m) {
  Typer *T = cl;
  ty_trail_undo(T, m.trail);
  ty_gadt_undo(T, m.eqs);
}

static bool pm_constr(void *cl, ConstrDesc *c, Type *ty, Type **args) {
  Typer *T = cl;
  Type *res = c->gadt ? ty_gadt_instance_constr(T, c, args, T->gadt_lev) : ty_instance_constr(T, c, args);
  return ty_unify(T, res, ty);
}

static bool pm_tuple(void *cl, Type *ty, int n, Type **items) {
  Typer *T = cl;
  for (int i = 0; i < n; i++) items[i] = ty_new_var(T);
  return ty_unify(T, ty_new_tuple(T, items, n), ty);
}

static bool pm_record(void *cl, Type *ty, FieldDesc **fields, int n, Type **tys) {
  Typer *T = cl;
  if (n == 0) return true;
  TypeDecl *d = fields[0]->decl;
  Type **params = ARENA_ARRAY(T->arena, Type *, d->nparams + 1);
  for (int i = 0; i < d->nparams; i++) params[i] = ty_new_var(T);
  if (!ty_unify(T, ty_new_constr(T, d, params, d->nparams, fields[0]->res->path), ty)) return false;
  for (int i = 0; i < n; i++) tys[i] = ty_subst_params(T, d, params, fields[i]->ty);
  return true;
}

static int pm_shape(void *cl, Type *ty, TypeDecl **decl, int *n) {
  Typer *T = cl;
  Type *t = ty_expand_head(T, ty);
  if (t->kind == TY_TUPLE) {
    *n = t->nargs;
    return PM_TUPLE;
  }
  if (t->kind != TY_CONSTR) return PM_ANY;
  TypeDecl *d = t->decl;
  *decl = d;
  if (d->kind == TD_RECORD) return PM_RECORD;
  if (d->kind != TD_VARIANT) return PM_ANY;
  if (d->nconstrs == 0) return PM_EMPTY;
  bool all_gadt = true;
  for (int i = 0; i < d->nconstrs; i++) all_gadt &= d->constrs[i]->gadt;
  return all_gadt || d->nconstrs <= 1 ? PM_CONSTRS : PM_ANY;
}

void ty_check_cases(Typer *T, Loc loc, Case *cases, int n, bool partial, Type *ty_arg) {
  bool gadt = false;
  for (int i = 0; i < n; i++)
    gadt |= parmatch_has_gadt(cases[i].pat) || cases[i].body->kind == EXP_UNREACHABLE;
  /* Counter-examples are typed in pattern mode at a level of their own,
   * every change trailed and undone afterwards. */
  PmTyper pt = {T, ty_arg, pm_mark, pm_undo, pm_constr, pm_tuple, pm_record, pm_shape, gadt, NULL, {0}};
  bool trail_all = T->trail_all;
  int saved_lev = T->gadt_lev, trail = T->ntrail, eqs = T->neqs;
  T->trail_all = true;
  ty_begin_def(T);
  T->gadt_lev = T->level;
  parmatch_check_partial(T->ctx, loc, cases, n, partial, &pt);
  if (!ty_delay_unused_cases(T, cases, n)) parmatch_check_unused(T->ctx, cases, n, &pt);
  ty_end_def(T);
  T->gadt_lev = saved_lev;
  ty_trail_undo(T, trail);
  ty_gadt_undo(T, eqs);
  T->trail_all = trail_all;
  if (pt.err) ty_error_text(T, pt.err_loc, pt.err);
}
