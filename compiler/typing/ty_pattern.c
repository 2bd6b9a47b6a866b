/* ty_pattern.c — typing of patterns (OCaml's type_pat): each pattern is
 * checked against an expected type, constructors and record fields are
 * disambiguated by that type when it is known, and the variables a
 * pattern binds are collected (not yet bound) so that or-patterns can
 * check both sides bind the same ones. */
#include <string.h>

#include "typecheck.h"

ValueDesc *ty_new_local(Typer *T, const char *name, Type *ty, Loc loc) {
  ValueDesc *v = ARENA_NEW(T->arena, ValueDesc);
  v->name = name;
  v->ty = ty;
  v->kind = VAL_LOCAL;
  v->id = ++T->next_local_id;
  v->loc = loc;
  return v;
}

static void printval_add(Typer *T, PatVars *pv, ValueDesc *v, Pattern *p) {
  if (pv->n == pv->cap) {
    int cap = pv->cap ? pv->cap * 2 : 8;
    ValueDesc **n = ARENA_ARRAY(T->arena, ValueDesc *, cap);
    Pattern **ps = ARENA_ARRAY(T->arena, Pattern *, cap);
    if (pv->n) {
      memcpy(n, pv->vars, sizeof(ValueDesc *) * (size_t)pv->n);
      memcpy(ps, pv->pats, sizeof(Pattern *) * (size_t)pv->n);
    }
    pv->vars = n;
    pv->pats = ps;
    pv->cap = cap;
  }
  pv->vars[pv->n] = v;
  pv->pats[pv->n++] = p;
}

static ValueDesc *printval_find(PatVars *pv, const char *name) {
  for (int i = 0; i < pv->n; i++)
    if (strcmp(pv->vars[i]->name, name) == 0) return pv->vars[i];
  return NULL;
}

void ty_bind_patvars(Typer *T, PatVars *pv) {
  for (int i = 0; i < pv->ntypes; i++) env_add(T->env, NS_TYPE, pv->types[i]->name, pv->types[i]);
  for (int i = 0; i < pv->n; i++) env_add(T->env, NS_VALUE, pv->vars[i]->name, pv->vars[i]);
}

static void bind_var(Typer *T, Pattern *p, Type *ty, PatVars *pv) {
  if (printval_find(pv, p->name))
    ty_error_textf(T, p->kind == PAT_VAR ? p->loc : p->name_loc,
                   "Variable %s is bound several times in this matching", p->name);
  Loc loc = p->kind == PAT_VAR ? p->loc : p->name_loc;
  p->var = ty_new_local(T, p->name, ty, loc);
  printval_add(T, pv, p->var, p);
}

static void unify_pat(Typer *T, Pattern *p, Type *actual, Type *expected) {
  if (!ty_unify(T, actual, expected)) ty_error_pattern_mismatch(T, p->loc);
}

/* ---- Constructors and fields, disambiguated by the expected type --------- */

static Env *path_scope(Typer *T, const Path *p) {
  if (p->nmods == 0) return T->env;
  return ty_lookup_module(T, p, false)->env;
}

ConstrDesc *ty_lookup_constr(Typer *T, const Path *p, Type *expected, bool pattern) {
  Env *scope = path_scope(T, p);
  Type *e = expected ? ty_expand_head(T, expected) : NULL;
  if (e && e->kind == TY_CONSTR && e->decl->kind == TD_VARIANT && p->nmods == 0) {
    for (int i = env_find_index(scope, NS_CONSTR, p->name); i >= 0; i = env_find_next(scope, i)) {
      ConstrDesc *c = scope->entries[i].desc;
      if (!c->is_exn && ty_same_decl(c->decl, e->decl)) return c;
    }
    /* Not in scope: OCaml takes it from the expected type's declaration
     * (warning 40, off by default). */
    for (int i = 0; i < e->decl->nconstrs; i++)
      if (strcmp(e->decl->constrs[i]->name, p->name) == 0) return e->decl->constrs[i];
    ty_error_no_constr(T, p->loc, pattern, expected, p->name);
  }
  ConstrDesc *c = env_find(scope, NS_CONSTR, p->name);
  if (!c) ty_error_unbound(T, p->loc, "constructor", NS_CONSTR, p);
  /* A qualified constructor where a known variant is expected: one of
   * that type if the module has it, else OCaml's Name_type_mismatch. */
  if (e && e->kind == TY_CONSTR && e->decl->kind == TD_VARIANT && !c->is_exn && c->decl &&
      !ty_same_decl(c->decl, e->decl)) {
    for (int i = env_find_index(scope, NS_CONSTR, p->name); i >= 0; i = env_find_next(scope, i)) {
      ConstrDesc *k = scope->entries[i].desc;
      if (!k->is_exn && ty_same_decl(k->decl, e->decl)) return k;
    }
    ty_error_textf(T, p->loc,
                   "The constructor %s belongs to the variant type %s\n"
                   "       but a constructor was expected belonging to the variant type %s",
                   ty_path_string(T, p), c->decl->path, e->decl->path);
  }
  return c;
}

/* The field `name` of record type d, or NULL. */
static FieldDesc *decl_field(TypeDecl *d, const char *name) {
  for (int i = 0; i < d->nfields; i++)
    if (strcmp(d->fields[i]->name, name) == 0) return d->fields[i];
  return NULL;
}

/* The record type of a list of fields: the expected type when it is a
 * known record, else the newest type having the first field and all the
 * others (OCaml's disambiguation for closed records). */
TypeDecl *ty_record_decl(Typer *T, Path *first, const char **names, int n, Type *expected, bool pattern,
                         Loc loc) {
  Type *e = expected ? ty_expand_head(T, expected) : NULL;
  if (e && e->kind == TY_CONSTR && e->decl->kind == TD_RECORD && first->nmods == 0) {
    for (int k = 0; k < n; k++)
      if (!decl_field(e->decl, names[k]))
        ty_error_no_field(T, loc, expected, names[k], pattern ? NULL : e->decl);
    return e->decl;
  }
  Env *scope = path_scope(T, first);
  int i0 = env_find_index(scope, NS_FIELD, first->name);
  if (i0 < 0) ty_error_unbound(T, first->loc, "record field", NS_FIELD, first);
  for (int i = i0; i >= 0; i = env_find_next(scope, i)) {
    FieldDesc *f = scope->entries[i].desc;
    bool all = true;
    for (int k = 0; k < n && all; k++) all = decl_field(f->decl, names[k]) != NULL;
    if (all) return f->decl;
  }
  return ((FieldDesc *)scope->entries[i0].desc)->decl;
}

FieldDesc *ty_record_field(Typer *T, TypeDecl *d, Path *p) {
  FieldDesc *f = decl_field(d, p->name);
  if (f) return f;
  Env *scope = path_scope(T, p);
  FieldDesc *other = env_find(scope, NS_FIELD, p->name);
  if (!other) ty_error_unbound(T, p->loc, "record field", NS_FIELD, p);
  ty_error_textf(
      T, p->loc,
      "The record field %s belongs to the type %s\n       but is mixed here with fields of type %s", p->name,
      other->decl->name, d->name);
}

/* ---- Patterns ----------------------------------------------------------------- */

static Type *const_type(Typer *T, const Const *c) {
  switch (c->kind) {
  case CONST_INT: return ty_predef(T, TYB_INT);
  case CONST_CHAR: return ty_predef(T, TYB_CHAR);
  case CONST_STRING: return ty_predef(T, TYB_STRING);
  case CONST_FLOAT: return ty_predef(T, TYB_FLOAT);
  }
  NML_UNREACHABLE();
}

/* Splits a constructor's argument as OCaml does: a tuple gives several
 * arguments when the constructor takes several, `_` matches them all. */
static void split_pat_args(Typer *T, Pattern *p, int arity) {
  Pattern *a = p->arg;
  if (!a) {
    if (p->nitems == 0) p->items = NULL;
    return;
  }
  if (a->kind == PAT_TUPLE && arity > 1) {
    p->items = a->items;
    p->nitems = a->nitems;
  } else if (a->kind == PAT_ANY && arity != 1) {
    p->nitems = arity;
    p->items = ARENA_ARRAY(T->arena, Pattern *, arity > 0 ? arity : 1);
    for (int i = 0; i < arity; i++) p->items[i] = a;
  } else {
    p->items = ARENA_ARRAY(T->arena, Pattern *, 1);
    p->items[0] = a;
    p->nitems = 1;
  }
}

/* Typecore's Unexpected_existential. */
__attribute__((noreturn)) static void existential_error(Typer *T, Pattern *p, ConstrDesc *c, Type *ex) {
  static const char *const why[] = {
      [NOEX_TOPLEVEL] = "Existential types are not allowed in toplevel bindings",
      [NOEX_GROUP] = "Existential types are not allowed in \"let ... and ...\" bindings",
      [NOEX_REC] = "Existential types are not allowed in recursive bindings",
  };
  const char *name = ty_existential_name(T, c, ex);
  if (strcmp(name + 1, c->name) == 0)
    ty_error_textf(T, p->loc, "%s,\n       but the constructor %s introduces existential types.",
                   why[T->no_existentials], c->name);
  ty_error_textf(T, p->loc, "%s,\n       but this pattern introduces the existential type %s.",
                 why[T->no_existentials], name);
}

/* `C (type a b) (p : t)`, and `C (p1, p2 : t)` for a constructor of
 * several arguments: t is the type of C's arguments taken together, in
 * which a, b are new abstract types that must stand for C's existentials,
 * one each (OCaml's solve_constructor_annotation). The names are in scope
 * in the case after the pattern. */
static void constructor_annotation(Typer *T, Pattern *p, ConstrDesc *c, TyExpr *ann, Type **args, Type **ex,
                                   int nex, PatVars *pv) {
  int lev = T->pat_lev ? T->pat_lev : T->level;
  int mark = env_mark(T->env);
  TypeDecl **named = ARENA_ARRAY(T->arena, TypeDecl *, p->nnewtypes + 1);
  for (int i = 0; i < p->nnewtypes; i++) {
    named[i] = ty_local_type(T, p->newtypes[i], lev);
    env_add(T->env, NS_TYPE, p->newtypes[i], named[i]);
  }
  Type *t = ty_typexpr(T, ann, T->annot);
  env_rollback(T->env, mark);
  Type *argt = c->nargs == 1 ? args[0] : ty_new_tuple(T, args, c->nargs);
  if (!ty_unify(T, t, argt)) ty_error_pattern_mismatch(T, ann->loc);
  if (p->nnewtypes == 0) return;
  bool all = nex == p->nnewtypes;
  for (int e = 0; e < nex && all; e++) {
    Type *r = ty_repr(ex[e]);
    bool found = false;
    for (int i = 0; i < p->nnewtypes; i++) found |= r->kind == TY_CONSTR && r->decl == named[i];
    for (int k = 0; k < e && found; k++) found = ty_repr(ex[k]) != r;
    all = found;
  }
  if (!all) ty_error_unbound_existentials(T, ann->loc, p->newtypes, p->nnewtypes, t);
  for (int i = 0; i < p->nnewtypes; i++) {
    if (pv->ntypes % 8 == 0) {
      TypeDecl **n = ARENA_ARRAY(T->arena, TypeDecl *, pv->ntypes + 8);
      for (int k = 0; k < pv->ntypes; k++) n[k] = pv->types[k];
      pv->types = n;
    }
    pv->types[pv->ntypes++] = named[i];
  }
}

static void pat_construct(Typer *T, Pattern *p, Type *expected, PatVars *pv) {
  ConstrDesc *c = ty_lookup_constr(T, &p->constr, expected, true);
  p->cdesc = c;
  TyExpr *ann = NULL;
  if (p->arg && p->arg->kind == PAT_CONSTRAINT && (p->nnewtypes || c->nargs > 1)) {
    ann = p->arg->tyexpr;
    p->arg = p->arg->arg;
  } else if (p->nnewtypes) {
    ty_error_text(T, p->arg->loc,
                  "Existential types introduced in a constructor pattern\n"
                  "       must be bound by a type constraint on the argument.");
  }
  if (ann && c->nargs == 0) ty_error_constr_arity(T, p->loc, p->constr.name, 0, 1);
  split_pat_args(T, p, c->nargs);
  if (p->nitems != c->nargs) ty_error_constr_arity(T, p->loc, p->constr.name, c->nargs, p->nitems);
  Type **args = ARENA_ARRAY(T->arena, Type *, c->nargs + 1);
  Type *res;
  if (p->nnewtypes) {
    Type **ex;
    int nex = ty_gadt_instance_named(T, c, args, &res, &ex);
    int saved = T->gadt_lev;
    T->gadt_lev = c->gadt ? T->pat_lev : 0;
    unify_pat(T, p, res, expected);
    T->gadt_lev = saved;
    constructor_annotation(T, p, c, ann, args, ex, nex, pv);
  } else if (c->gadt) {
    Type **ex;
    if (ty_constr_existentials(T, c, &ex) && T->no_existentials) existential_error(T, p, c, ex[0]);
    /* OCaml's unify_head_only: the expected type must be c's type
     * before anything is refined. */
    Type **params = ARENA_ARRAY(T->arena, Type *, c->decl->nparams + 1);
    for (int i = 0; i < c->decl->nparams; i++) params[i] = ty_new_var(T);
    unify_pat(T, p, ty_new_constr(T, c->decl, params, c->decl->nparams, ty_repr(c->res)->path), expected);
    int lev = T->pat_lev;
    res = ty_gadt_instance_constr(T, c, args, lev ? lev : T->level);
    /* This unification alone may add equations (OCaml's
     * solve_Ppat_construct); the rest of the pattern is typed as usual. */
    int saved = T->gadt_lev;
    T->gadt_lev = lev;
    unify_pat(T, p, res, expected);
    T->gadt_lev = saved;
  } else {
    res = ty_instance_constr(T, c, args);
    unify_pat(T, p, res, expected);
  }
  if (ann && !p->nnewtypes) constructor_annotation(T, p, c, ann, args, NULL, 0, pv);
  for (int i = 0; i < c->nargs; i++) ty_pattern(T, p->items[i], args[i], pv);
}

static void pat_record(Typer *T, Pattern *p, Type *expected, PatVars *pv) {
  const char **names = ARENA_ARRAY(T->arena, const char *, p->nfields + 1);
  for (int i = 0; i < p->nfields; i++) names[i] = p->fields[i].field.name;
  TypeDecl *d =
      ty_record_decl(T, &p->fields[0].field, names, p->nfields, expected, true, p->fields[0].field.loc);
  /* One instance of the record type shared by all the fields. */
  Type **params = ARENA_ARRAY(T->arena, Type *, d->nparams + 1);
  for (int i = 0; i < d->nparams; i++) params[i] = ty_new_var(T);
  const char *path = d->fields[0]->res->path;
  Type *rec = ty_new_constr(T, d, params, d->nparams, path);
  unify_pat(T, p, rec, expected);
  for (int i = 0; i < p->nfields; i++) {
    for (int k = 0; k < i; k++)
      if (strcmp(names[k], names[i]) == 0)
        ty_error_textf(T, p->loc, "The record field label %s is defined several times", names[i]);
    FieldDesc *f = ty_record_field(T, d, &p->fields[i].field);
    p->fields[i].desc = f;
    /* A variable on a polymorphic field is as polymorphic as the field. */
    Pattern *fp = p->fields[i].pat;
    bool scheme = f->nuniv && (fp->kind == PAT_VAR || fp->kind == PAT_ANY);
    ty_pattern(T, fp, (scheme ? ty_subst_params_only : ty_subst_params)(T, d, params, f->ty), pv);
  }
}

static void pat_or(Typer *T, Pattern *p, Type *expected, PatVars *pv) {
  PatVars l = {0}, r = {0};
  /* Equations an alternative needs hold for it alone (OCaml types each
   * side of a GADT or-pattern in its own environment). */
  int eqs = T->neqs;
  bool exn_ok = T->exn_pat_ok;
  ty_pattern(T, p->arg, expected, &l);
  ty_gadt_undo(T, eqs);
  T->exn_pat_ok = exn_ok;
  ty_pattern(T, p->arg2, expected, &r);
  ty_gadt_undo(T, eqs);
  for (int i = 0; i < l.n; i++)
    if (!printval_find(&r, l.vars[i]->name))
      ty_error_textf(T, p->loc, "Variable %s must occur on both sides of this | pattern", l.vars[i]->name);
  for (int i = 0; i < r.n; i++)
    if (!printval_find(&l, r.vars[i]->name))
      ty_error_textf(T, p->loc, "Variable %s must occur on both sides of this | pattern", r.vars[i]->name);
  /* Both sides bind the left side's variables: one ValueDesc each. */
  for (int i = 0; i < r.n; i++) {
    ValueDesc *lv = printval_find(&l, r.vars[i]->name);
    if (!ty_unify(T, r.vars[i]->ty, lv->ty)) ty_error_pattern_mismatch(T, r.pats[i]->loc);
    r.pats[i]->var = lv;
  }
  for (int i = 0; i < l.n; i++) {
    if (printval_find(pv, l.vars[i]->name))
      ty_error_textf(T, l.pats[i]->loc, "Variable %s is bound several times in this matching",
                     l.vars[i]->name);
    printval_add(T, pv, l.vars[i], l.pats[i]);
  }
}

void ty_case_pattern(Typer *T, Pattern *p, Type *expected, PatVars *pv, bool match) {
  T->exn_pat_ok = match;
  ty_pattern(T, p, expected, pv);
  T->exn_pat_ok = false;
}

void ty_pattern(Typer *T, Pattern *p, Type *expected, PatVars *pv) {
  /* `exception p` only at the top of a match case, or in an or-pattern
   * there (OCaml's computation patterns). */
  bool exn_ok = T->exn_pat_ok;
  T->exn_pat_ok = false;
  if (p->kind == PAT_EXCEPTION && exn_ok) {
    p->ty = expected;
    ty_pattern(T, p->arg, ty_predef(T, TYB_EXN), pv);
    return;
  }
  if (p->kind == PAT_OR && exn_ok) {
    T->exn_pat_ok = true;
    pat_or(T, p, expected, pv);
    T->exn_pat_ok = false;
    return;
  }
  p->ty = expected;
  switch (p->kind) {
  case PAT_ANY: return;
  case PAT_VAR: bind_var(T, p, expected, pv); return;
  case PAT_ALIAS:
    ty_pattern(T, p->arg, expected, pv);
    bind_var(T, p, ty_as_type(T, p->arg, expected), pv);
    return;
  case PAT_CONST: unify_pat(T, p, const_type(T, &p->cst), expected); return;
  case PAT_RANGE:
    if (p->cst.kind != CONST_CHAR || p->cst2.kind != CONST_CHAR)
      ty_error_text(T, p->loc, "Only character intervals are supported in patterns.");
    unify_pat(T, p, ty_predef(T, TYB_CHAR), expected);
    return;
  case PAT_TUPLE: {
    Type **items = ARENA_ARRAY(T->arena, Type *, p->nitems);
    for (int i = 0; i < p->nitems; i++) items[i] = ty_new_var(T);
    unify_pat(T, p, ty_new_tuple(T, items, p->nitems), expected);
    for (int i = 0; i < p->nitems; i++) ty_pattern(T, p->items[i], items[i], pv);
    return;
  }
  case PAT_CONSTRUCT: pat_construct(T, p, expected, pv); return;
  case PAT_RECORD: pat_record(T, p, expected, pv); return;
  case PAT_ARRAY: {
    Type *elt = ty_new_var(T);
    unify_pat(T, p, ty_predef1(T, TYB_ARRAY, elt), expected);
    for (int i = 0; i < p->nitems; i++) ty_pattern(T, p->items[i], elt, pv);
    return;
  }
  case PAT_OR: pat_or(T, p, expected, pv); return;
  case PAT_CONSTRAINT: {
    /* As OCaml's solve_Ppat_constraint: the pattern has an instance of
     * the annotation, and what it binds has the annotation with its
     * structure generic, which each use copies around the same
     * variables. The types are the same either way, but cyclic ones
     * (-rectypes) take OCaml's shape, and print as OCaml prints them. */
    Type *t = ty_typexpr(T, p->tyexpr, T->annot);
    ty_generalize_structure(T, t);
    Type *inst = ty_instance(T, t);
    unify_pat(T, p, inst, expected);
    ty_pattern(T, p->arg, t, pv);
    p->ty = inst;
    return;
  }
  case PAT_EXCEPTION:
    /* A match's case, `exception p`, is typed by ty_case_pattern. */
    ty_error_text(T, p->loc, "Exception patterns are not allowed in this position.");
  case PAT_OPEN: {
    int mark = env_mark(T->env);
    Path mp = p->constr;
    mp.name = mp.mods[--mp.nmods];
    ty_lookup_module(T, &mp, true);
    ty_open(T, &mp);
    ty_pattern(T, p->arg, expected, pv);
    env_rollback(T->env, mark);
    /* Later passes see the pattern it opens, typed. */
    *p = *p->arg;
    return;
  }
  case PAT_VARIANT: ty_pat_variant(T, p, expected, pv); return;
  case PAT_TYPE: ty_pat_type(T, p, expected, pv); return;
  case PAT_UNPACK: /* only whole parameters and cases (the parser's) */
    ty_error_text(T, p->loc, "Modules are not allowed in this pattern.");
  }
}
