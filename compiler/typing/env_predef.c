/* env_predef.c — the initial environment: OCaml's predefined types (int,
 * char, string, ..., 'a list, 'a option), their constructors, and the
 * predefined exceptions, whose constructor blocks the runtime holds in the
 * globals nml_exn_<Name> (runtime/natml_runtime.h). Everything lives in the
 * session arena: it is never rolled back. */
#include <string.h>

#include "typecheck.h"

typedef struct Predef {
  Arena *perm;
  Env *env;
  int *stamp;
  int ids;
} Predef;

static Type *mk(Predef *P, TypeKind k) {
  Type *t = ARENA_NEW(P->perm, Type);
  t->kind = k;
  t->id = --P->ids; /* negative: never collides with the typer's stamps */
  t->session = true;
  return t;
}

static Type *constr(Predef *P, TypeDecl *d, Type **args, int n) {
  Type *t = mk(P, TY_CONSTR);
  t->decl = d;
  t->path = d->name;
  t->nargs = n;
  if (n) {
    t->args = ARENA_ARRAY(P->perm, Type *, n);
    memcpy(t->args, args, sizeof(Type *) * (size_t)n);
    t->level = TY_GENERIC_LEVEL;
  }
  return t;
}

static TypeDecl *decl(Predef *P, const char *name, int builtin, int nparams) {
  TypeDecl *d = ARENA_NEW(P->perm, TypeDecl);
  d->name = name;
  d->stamp = ++*P->stamp;
  d->path = name;
  d->builtin = builtin;
  d->session = true;
  d->nparams = nparams;
  if (nparams) {
    d->params = ARENA_ARRAY(P->perm, Type *, nparams);
    for (int i = 0; i < nparams; i++) {
      Type *v = mk(P, TY_VAR);
      v->level = TY_GENERIC_LEVEL;
      d->params[i] = v;
    }
  }
  env_add(P->env, NS_TYPE, name, d);
  return d;
}

static Type *self(Predef *P, TypeDecl *d) { return constr(P, d, d->params, d->nparams); }

/* Adds the constructors of a variant; nargs[i] arguments of types args[i]. */
static void variant(Predef *P, TypeDecl *d, int n, const char **names, int *nargs, Type ***args) {
  d->kind = TD_VARIANT;
  d->nconstrs = n;
  d->constrs = ARENA_ARRAY(P->perm, ConstrDesc *, n);
  int nconsts = 0, nblocks = 0;
  for (int i = 0; i < n; i++) {
    if (nargs[i]) nblocks++;
    else nconsts++;
  }
  int ci = 0, bi = 0;
  Type *res = self(P, d);
  for (int i = 0; i < n; i++) {
    ConstrDesc *c = ARENA_NEW(P->perm, ConstrDesc);
    c->name = names[i];
    c->decl = d;
    c->res = res;
    c->nargs = nargs[i];
    c->args = args ? args[i] : NULL;
    c->constant = nargs[i] == 0;
    c->tag = c->constant ? ci++ : bi++;
    c->nconsts = nconsts;
    c->nblocks = nblocks;
    c->session = true;
    d->constrs[i] = c;
    env_add(P->env, NS_CONSTR, names[i], c);
  }
}

static void exception(Predef *P, TypeDecl *exn, const char *name, Type **args, int nargs) {
  ConstrDesc *c = ARENA_NEW(P->perm, ConstrDesc);
  c->name = name;
  c->res = self(P, exn);
  c->nargs = nargs;
  if (nargs) {
    c->args = ARENA_ARRAY(P->perm, Type *, nargs);
    memcpy(c->args, args, sizeof(Type *) * (size_t)nargs);
  }
  c->constant = nargs == 0;
  c->is_exn = true;
  c->exn_path = name;
  c->session = true;
  ValueDesc *v = ARENA_NEW(P->perm, ValueDesc);
  v->name = name;
  v->ty = c->res;
  v->kind = VAL_GLOBAL;
  v->symbol = arena_printf(P->perm, "nml_exn_%s", name);
  v->session = true;
  c->exn_val = v;
  env_add(P->env, NS_CONSTR, name, c);
}

Env *env_initial(Arena *perm, int *next_stamp) {
  Predef P = {perm, env_new(), next_stamp, 0};
  static const struct {
    const char *name;
    int builtin, nparams;
  } simple[] = {
      {"int", TYB_INT, 0},        {"char", TYB_CHAR, 0},
      {"string", TYB_STRING, 0},  {"bytes", TYB_BYTES, 0},
      {"float", TYB_FLOAT, 0},    {"bool", TYB_BOOL, 0},
      {"unit", TYB_UNIT, 0},      {"exn", TYB_EXN, 0},
      {"array", TYB_ARRAY, 1},    {"list", TYB_LIST, 1},
      {"option", TYB_OPTION, 1},  {"int32", TYB_INT32, 0},
      {"int64", TYB_INT64, 0},    {"nativeint", TYB_NATIVEINT, 0},
      {"format6", TYB_FORMAT, 6}, {"lazy_t", TYB_LAZY, 1},
  };
  TypeDecl *d[TYB_EXTENSIBLE + 1] = {0};
  for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++)
    d[simple[i].builtin] = decl(&P, simple[i].name, simple[i].builtin, simple[i].nparams);

  const char *bools[] = {"false", "true"};
  int zero2[] = {0, 0};
  variant(&P, d[TYB_BOOL], 2, bools, zero2, NULL);
  const char *units[] = {"()"};
  variant(&P, d[TYB_UNIT], 1, units, zero2, NULL);

  TypeDecl *list = d[TYB_LIST];
  Type **cons_args = ARENA_ARRAY(perm, Type *, 2);
  cons_args[0] = list->params[0];
  cons_args[1] = self(&P, list);
  const char *lists[] = {"[]", "::"};
  int list_n[] = {0, 2};
  Type **list_a[] = {NULL, cons_args};
  variant(&P, list, 2, lists, list_n, list_a);

  TypeDecl *opt = d[TYB_OPTION];
  Type **some_args = ARENA_ARRAY(perm, Type *, 1);
  some_args[0] = opt->params[0];
  const char *opts[] = {"None", "Some"};
  int opt_n[] = {0, 1};
  Type **opt_a[] = {NULL, some_args};
  variant(&P, opt, 2, opts, opt_n, opt_a);

  TypeDecl *exn = d[TYB_EXN];
  Type *str = self(&P, d[TYB_STRING]), *i = self(&P, d[TYB_INT]);
  /* Match_failure, Assert_failure and Undefined_recursive_module take one
   * argument, a tuple, as in OCaml (the runtime raises them that way). */
  Type *sii_items[] = {str, i, i};
  Type *sii = mk(&P, TY_TUPLE);
  sii->nargs = 3;
  sii->args = ARENA_ARRAY(perm, Type *, 3);
  memcpy(sii->args, sii_items, sizeof sii_items);
  exception(&P, exn, "Out_of_memory", NULL, 0);
  exception(&P, exn, "Sys_error", &str, 1);
  exception(&P, exn, "Failure", &str, 1);
  exception(&P, exn, "Invalid_argument", &str, 1);
  exception(&P, exn, "End_of_file", NULL, 0);
  exception(&P, exn, "Division_by_zero", NULL, 0);
  exception(&P, exn, "Not_found", NULL, 0);
  exception(&P, exn, "Match_failure", &sii, 1);
  exception(&P, exn, "Stack_overflow", NULL, 0);
  exception(&P, exn, "Sys_blocked_io", NULL, 0);
  exception(&P, exn, "Assert_failure", &sii, 1);
  exception(&P, exn, "Undefined_recursive_module", &sii, 1);
  return P.env;
}
