/* ty_include.c — signature matching, after OCaml's Includemod and
 * Includecore: whether a module matches a module type (every component
 * of the type provided, each type declaration, value, exception,
 * submodule and module type compatible) and, when it does not, OCaml
 * 4.13's explanation ("Signature mismatch", includemod_errorprinter.ml).
 * Ascription and functor application (ty_module.c) call it before they
 * build the module as seen through the signature. */
#include <stdio.h>
#include <string.h>

#include "typecheck.h"

/* ---- Which declaration a type stands for ------------------------------------ */

/* OCaml substitutes the expected signature's type identifiers by the
 * implementation's before comparing; here comparisons look declarations
 * up in this map instead (the expected signature's declaration -> the
 * one it stands for). A functor's parameter maps the implementation's
 * parameter to the expected one's, which the bodies are compared under. */
typedef struct Incl {
  Typer *T;
  TypeDecl **from, **to;
  int npairs, cap;
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
  case TY_ARROW: return eq(I, r, a->a, b->a, depth + 1) && eq(I, r, a->b, b->b, depth + 1);
  case TY_CONSTR:
    if (!same_decl(I, a->decl, b->decl)) return false;
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
} Moregen;

/* t with the declarations the map replaces replaced (what OCaml's
 * substitution makes of the expected signature's types). */
static Type *canon_type(Incl *I, Type *t, int depth) {
  t = ty_repr(t);
  if (depth > 1000) return t;
  switch (t->kind) {
  case TY_VAR: return t;
  case TY_ARROW: return ty_new_arrow(I->T, canon_type(I, t->a, depth + 1), canon_type(I, t->b, depth + 1));
  case TY_TUPLE:
  case TY_CONSTR: {
    Type **args = ARENA_ARRAY(I->T->arena, Type *, t->nargs + 1);
    for (int i = 0; i < t->nargs; i++) args[i] = canon_type(I, t->args[i], depth + 1);
    if (t->kind == TY_TUPLE) return ty_new_tuple(I->T, args, t->nargs);
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
  case TY_VAR: return NULL;
  case TY_ARROW: {
    Type *a = for_weak(I, v, t->a, depth + 1), *b = a ? for_weak(I, v, t->b, depth + 1) : NULL;
    return !b ? NULL : a == t->a && b == t->b ? t : ty_new_arrow(I->T, a, b);
  }
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

static bool moregen(Moregen *m, Type *p, Type *s, int depth) {
  if (depth > 1000) return false;
  p = ty_repr(p);
  s = ty_repr(s);
  if (p == s) return true;
  if (p->kind == TY_VAR) return moregen_var(m, p, s);
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
  case TY_ARROW: return moregen(m, p->a, s->a, depth + 1) && moregen(m, p->b, s->b, depth + 1);
  case TY_CONSTR:
    if (!same_decl(m->I, p->decl, s->decl)) return false;
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
  Moregen m = {I, {0}, NULL, NULL, 0, 0};
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

typedef enum TmKind {
  TM_ARITY,
  TM_CONSTRAINT, /* a re-exported type's parameters are not its own */
  TM_PRIVACY,
  TM_KIND,
  TM_MANIFEST, /* nothing more is said */
  TM_VARIANCE,
  TM_CONSTR,         /* constructors c1, c2 differ: sub */
  TM_CONSTR_NAMES,   /* constructors number n have different names */
  TM_CONSTR_MISSING, /* name only present in the first (first) or second */
  TM_FIELD,          /* fields f1, f2 differ: sub */
  TM_FIELD_NAMES,
  TM_FIELD_MISSING,
  TM_FLOAT_REPR, /* only the first (first) or second uses unboxed floats */
} TmKind;

typedef enum TmSub { TMS_TYPES, TMS_ARITY, TMS_MUTABLE } TmSub;

typedef struct TypeMismatch {
  TmKind kind;
  TmSub sub;
  int n;
  bool first;
  ConstrDesc *c1, *c2;
  FieldDesc *f1, *f2;
  const char *name1, *name2;
} TypeMismatch;

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

/* A manifest as the comparison sees it: the one a signature implied for
 * a re-exported variant is not the declaration's own. */
static Type *own_manifest(TypeDecl *d) { return d->manifest_implied ? NULL : d->manifest; }

/* Whether m1 (of d1) equals m2 (of d2), private m2 letting m1 expand
 * through private abbreviations (Ctype.equal_private). */
static bool manifests_equal(Incl *I, TypeDecl *d1, Type *m1, TypeDecl *d2, Type *m2) {
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
  Type *m1 = own_manifest(d1), *m2 = own_manifest(d2);
  if (d1->private_ && !d2->private_ && !(d2->kind == TD_ABSTRACT && (!m2 || d1->kind != TD_ABSTRACT))) {
    tm->kind = TM_PRIVACY;
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
    if ((co1 && !co2) || (cn1 && !cn2)) {
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
static TypeDecl *strengthen_decl(Incl *I, TypeDecl *d, const char *path) {
  if (!path) return d;
  Type *m = own_manifest(d);
  if (m && (!d->private_ || d->kind != TD_ABSTRACT)) return d;
  TypeDecl *alias = ARENA_NEW(I->T->arena, TypeDecl);
  *alias = *d;
  alias->session = false;
  alias->path = join_path(I->T, path, d->name);
  alias->path_whole = true;
  TypeDecl *s = ARENA_NEW(I->T->arena, TypeDecl);
  *s = *d;
  s->session = false;
  s->manifest = ty_new_constr(I->T, alias, s->params, s->nparams, alias->path);
  s->manifest_implied = false;
  if (s->kind == TD_ABSTRACT) s->private_ = false;
  return s;
}

/* The signature of md as seen through path: its types strengthened, its
 * submodules aliases (`module N = P.N`), its abstract module types
 * `module type S = P.S`. Only for showing: components are looked up in
 * md itself. */
static ModuleDesc *strengthen(Incl *I, ModuleDesc *md, const char *path) {
  if (!path || md->is_functor || md->is_abstract) return md;
  Typer *T = I->T;
  ModuleDesc *c = ARENA_NEW(T->arena, ModuleDesc);
  *c = *md;
  c->session = false;
  c->sig_name = NULL;
  c->items = ARENA_ARRAY(T->arena, ModItem, md->nitems + 1);
  for (int i = 0; i < md->nitems; i++) {
    ModItem it = md->items[i];
    if (it.kind == MI_TYPE) {
      it.desc = strengthen_decl(I, it.desc, path);
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

typedef struct MtyDiff MtyDiff;

/* How a module type fails to match (Includemod.Error.module_type_symptom). */
typedef enum SymKind {
  SYM_CORE,           /* abstract module types, nothing more to say */
  SYM_SIG,            /* missing or incompatible components */
  SYM_FUNCTOR_PARAMS, /* the functors' parameters differ */
  SYM_FUNCTOR_RESULT, /* the functors' results do not match */
} SymKind;

/* A functor's parameter: named (`_` for an anonymous one) or the `()` of
 * a generative functor (name NULL). */
typedef struct FParam {
  const char *name;
  ModuleDesc *mty;
} FParam;

/* One step of the edit script between two functors' parameter lists
 * (OCaml's Diffing.change): a parameter kept (it matches), changed (it
 * does not, or one functor is generative there and the other not),
 * inserted in the expected list or deleted from the implementation's. */
typedef enum ChangeKind { CH_KEEP, CH_CHANGE, CH_INSERT, CH_DELETE } ChangeKind;
typedef struct Change {
  ChangeKind kind;
  FParam *got, *expected;
  MtyDiff *mismatch; /* CH_CHANGE of two named parameters */
} Change;

/* How a module type declaration fails to match its expected one. */
typedef enum MtdKind { MTD_NOT_LESS, MTD_NOT_GREATER, MTD_INCOMPARABLE, MTD_PERMUTATION } MtdKind;

typedef struct ItemDiff {
  ModItemKind kind;
  const char *name;
  void *got, *expected;                     /* ValueDesc, TypeDecl, ConstrDesc, ModuleDesc */
  const char *got_prefix, *expected_prefix; /* their modules' paths */
  TypeMismatch tm;                          /* MI_TYPE, MI_EXCEPTION */
  MtyDiff *mty;                             /* MI_MODULE, MI_MODTYPE */
  MtdKind mtd;                              /* MI_MODTYPE */
  const char *perm1, *perm2;                /* MTD_PERMUTATION: `value "x"` */
  const char *perm_where;                   /* MTD_PERMUTATION: "N.O", or "" */
} ItemDiff;

struct MtyDiff {
  ModuleDesc *got, *expected; /* as shown (got strengthened) */
  SymKind sym;
  ModItem **missing; /* SYM_SIG: expected components not provided */
  int nmissing;
  ItemDiff *item;  /* SYM_SIG: the first incompatible one */
  Change *changes; /* SYM_FUNCTOR_PARAMS: the edit script */
  int nchanges;
  MtyDiff *result; /* SYM_FUNCTOR_RESULT */
};

static MtyDiff *modtypes(Incl *I, ModuleDesc *got, const char *path, ModuleDesc *expected);

static MtyDiff *new_diff(Incl *I, ModuleDesc *got, const char *path, ModuleDesc *expected, SymKind sym) {
  MtyDiff *d = ARENA_NEW(I->T->arena, MtyDiff);
  d->got = strengthen(I, got, path);
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

static const char *kind_word(ModItemKind k) {
  switch (k) {
  case MI_VALUE: return "value";
  case MI_TYPE: return "type";
  case MI_EXCEPTION: return "exception";
  case MI_MODULE: return "module";
  case MI_MODTYPE: return "module type";
  }
  return "";
}

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
    d->perm1 = arena_printf(I->T->arena, "%s \"%s\"", kind_word(rt[i]->kind), rt[i]->name);
    d->perm2 = arena_printf(I->T->arena, "%s \"%s\"", kind_word(rt[pos[i]]->kind), rt[pos[i]]->name);
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
static ModuleDesc *modtype_body(Typer *T, ModuleDesc *md) {
  if (md->is_abstract || md->sig_name == md->body_name) return md;
  ModuleDesc *c = ARENA_NEW(T->arena, ModuleDesc);
  *c = *md;
  c->session = false;
  c->sig_name = md->body_name;
  return c;
}

static ItemDiff *modtype_decl(Incl *I, ModuleDesc *m1, ModuleDesc *m2, ItemDiff *d) {
  if (m2->is_abstract) return NULL;
  m1 = modtype_body(I->T, m1);
  m2 = modtype_body(I->T, m2);
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

static const char *prefix_of(ModuleDesc *md) { return md && md->path && *md->path ? md->path : NULL; }

/* Checks one paired component; the difference, or NULL. */
static ItemDiff *item_incl(Incl *I, ModItem *g, const char *path, ModItem *e, ModuleDesc *got,
                           ModuleDesc *expected) {
  ItemDiff *d = ARENA_NEW(I->T->arena, ItemDiff);
  d->kind = e->kind;
  d->name = e->name;
  d->got = g->desc;
  d->expected = e->desc;
  d->got_prefix = prefix_of(got);
  d->expected_prefix = prefix_of(expected);
  switch (e->kind) {
  case MI_VALUE: return value_incl(I, g->desc, e->desc) ? NULL : d;
  case MI_TYPE:
    d->got = strengthen_decl(I, g->desc, path);
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

/* A functor application's argument is an FParam too: name is its module
 * path, "" for a structure, NULL for `()`. */
static const char *arg_path(FParam *a) {
  return a->mty->is_alias && a->mty->alias_of ? a->mty->alias_of : NULL;
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
  ch->mismatch = app ? modtypes(I, a->mty, arg_path(a), b->mty) : modtypes(I, b->mty, NULL, a->mty);
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

/* ---- Elision of big module types ------------------------------------------------ */

/* OCaml prints "..." for a pair of module types whose marshalled size
 * exceeds Clflags.error_size, 500 bytes (Includemod_errorprinter's
 * is_big). These estimate that size from the module types' shapes:
 * bytes per component and per type node, measured on OCaml 4.13.1's
 * own Types values (a type variable is shared after its first use). */
typedef struct SizeCtx {
  Type **vars;
  int n, cap;
  Arena *a;
} SizeCtx;

static int size_type(SizeCtx *s, Type *t, int depth) {
  t = ty_repr(t);
  if (depth > 100) return 0;
  switch (t->kind) {
  case TY_VAR:
    for (int i = 0; i < s->n; i++)
      if (s->vars[i] == t) return 3;
    if (s->n == s->cap) {
      int cap = s->cap ? s->cap * 2 : 16;
      Type **v = ARENA_ARRAY(s->a, Type *, cap);
      if (s->n) memcpy(v, s->vars, sizeof *v * (size_t)s->n);
      s->vars = v;
      s->cap = cap;
    }
    s->vars[s->n++] = t;
    return 18;
  case TY_ARROW: return 12 + size_type(s, t->a, depth + 1) + size_type(s, t->b, depth + 1);
  case TY_TUPLE:
  case TY_CONSTR: {
    int n = t->kind == TY_TUPLE ? 10 : 18;
    for (int i = 0; i < t->nargs; i++) n += 1 + size_type(s, t->args[i], depth + 1);
    return n;
  }
  }
  return 0;
}

static int size_mty(SizeCtx *s, ModuleDesc *md, int depth);

static int size_item(SizeCtx *s, ModItem *it, int depth) {
  int n = (int)strlen(it->name);
  switch (it->kind) {
  case MI_VALUE: {
    ValueDesc *v = it->desc;
    return 33 + n + size_type(s, v->ty, 0) + (v->kind == VAL_PRIM ? 11 : 0);
  }
  case MI_TYPE: {
    TypeDecl *d = it->desc;
    n += d->kind == TD_ABSTRACT ? 48 : d->kind == TD_VARIANT ? 40 : 47;
    for (int i = 0; i < d->nparams; i++) n += 1 + size_type(s, d->params[i], 0);
    if (own_manifest(d)) n += 3 + size_type(s, d->manifest, 0);
    for (int i = 0; i < d->nconstrs; i++) {
      n += 30 + (int)strlen(d->constrs[i]->name);
      for (int k = 0; k < d->constrs[i]->nargs; k++) n += 1 + size_type(s, d->constrs[i]->args[k], 0);
    }
    for (int i = 0; i < d->nfields; i++)
      n += 30 + (int)strlen(d->fields[i]->name) + size_type(s, d->fields[i]->ty, 0);
    return n;
  }
  case MI_EXCEPTION: {
    ConstrDesc *c = it->desc;
    n += 45;
    for (int k = 0; k < c->nargs; k++) n += 1 + size_type(s, c->args[k], 0);
    return n;
  }
  case MI_MODULE: {
    ModuleDesc *m = it->desc;
    if (m->is_alias && m->alias_of) return 20 + n + (int)strlen(m->alias_of);
    return 33 + n + size_mty(s, m, depth + 1);
  }
  case MI_MODTYPE: {
    ModuleDesc *m = it->desc;
    if (m->is_abstract) return 40 + n;
    ModuleDesc body = *m;
    body.sig_name = m->body_name;
    return 40 + n + size_mty(s, &body, depth + 1);
  }
  }
  return 0;
}

static int size_mty(SizeCtx *s, ModuleDesc *md, int depth) {
  if (depth > 50) return 0;
  if (md->sig_name) return 8 + (int)strlen(md->sig_name);
  if (md->is_functor)
    return 12 + (md->param ? (int)strlen(md->param) : 0) + size_mty(s, md->param_type, depth + 1) +
           size_mty(s, md->result, depth + 1);
  int n = 2;
  for (int i = 0; i < md->nitems; i++) n += 1 + size_item(s, &md->items[i], depth);
  return n;
}

static bool is_big(Typer *T, ModuleDesc *a, ModuleDesc *b, int extra) {
  SizeCtx s = {NULL, 0, 0, T->arena};
  int n = 37 + extra + size_mty(&s, a, 0);
  s.n = 0; /* the two sides share no variables */
  return n + size_mty(&s, b, 0) > 500;
}

/* ---- Messages (Includemod_errorprinter) --------------------------------------- */

/* Where a message applies: the submodules (and module types) it is in. */
typedef struct MsgCtx {
  const char **names;
  bool *modtype;
  int n;
} MsgCtx;

typedef struct Printer {
  Typer *T;
  Fmt *f;
  bool started; /* a message was printed: the next one starts a line */
} Printer;

static void with_prefix(Printer *p, const char *prefix, void (*fn)(Printer *, void *), void *arg) {
  const char *saved = p->T->print_prefix;
  char *buf = prefix ? (char *)arena_printf(p->T->arena, "%s.", prefix) : NULL;
  p->T->print_prefix = buf;
  fn(p, arg);
  p->T->print_prefix = saved;
}

static void pr_mty(Printer *p, void *md) { ty_print_module_type(p->f, p->T, md); }

/* Context.context: `module N : ...`, `module type S = ...`, each inner
 * one within `sig ... end`, down to `<here>`. */
static void pr_ctx_mty(Printer *p, MsgCtx *c, int i);

static void pr_ctx_items(Printer *p, MsgCtx *c, int i) {
  if (i == c->n) {
    fmt_string(p->f, "<here>");
    return;
  }
  fmt_open_box(p->f, FMT_B, 2);
  fmt_string(p->f, c->modtype[i] ? "module type " : "module ");
  fmt_string(p->f, c->names[i]);
  fmt_string(p->f, c->modtype[i] ? " =" : " :");
  fmt_space(p->f);
  pr_ctx_mty(p, c, i + 1);
  fmt_close_box(p->f);
}

static void pr_ctx_mty(Printer *p, MsgCtx *c, int i) {
  if (i == c->n) {
    fmt_string(p->f, "<here>");
    return;
  }
  fmt_open_box(p->f, FMT_B, 2);
  fmt_string(p->f, "sig");
  fmt_space(p->f);
  pr_ctx_items(p, c, i);
  fmt_break(p->f, 1, -2);
  fmt_string(p->f, "end");
  fmt_close_box(p->f);
}

/* "In module N.O:" or "At position module type S = <here>", then a break. */
static void pr_context(Printer *p, MsgCtx *c) {
  if (c->n == 0) return;
  bool all_modules = true;
  for (int i = 0; i < c->n; i++) all_modules &= !c->modtype[i];
  if (all_modules) {
    fmt_string(p->f, "In module ");
    for (int i = 0; i < c->n; i++) {
      if (i) fmt_string(p->f, ".");
      fmt_string(p->f, c->names[i]);
    }
    fmt_string(p->f, ":");
  } else {
    fmt_open_box(p->f, FMT_HV, 2);
    fmt_string(p->f, "At position");
    fmt_space(p->f);
    pr_ctx_items(p, c, 0);
    fmt_close_box(p->f);
  }
  fmt_space(p->f);
}

static void msg_start(Printer *p, MsgCtx *c) {
  if (p->started) fmt_space(p->f);
  p->started = true;
  if (c) pr_context(p, c);
}

static void pr_modules(Printer *p, MtyDiff *d, bool eqmode) {
  fmt_open_box(p->f, FMT_HV, 2);
  fmt_string(p->f, eqmode ? "Module types do not match:" : "Modules do not match:");
  fmt_space(p->f);
  with_prefix(p, prefix_of(d->got), pr_mty, d->got);
  fmt_break(p->f, 1, -2);
  fmt_string(p->f, eqmode ? "is not equal to" : "is not included in");
  fmt_space(p->f);
  with_prefix(p, prefix_of(d->expected), pr_mty, d->expected);
  fmt_close_box(p->f);
}

static void pr_missing(Printer *p, ModItem *it) {
  fmt_printf(p->f, "The %s `%s' is required but not provided", kind_word(it->kind), it->name);
}

static void pr_val(Printer *p, void *v) { ty_print_val(p->f, p->T, v); }
static void pr_decl(Printer *p, void *d) { ty_print_type_decl(p->f, p->T, d, true); }

static void pr_exn_ext(Printer *p, void *c) {
  /* `type exn += E of int`, as Oprint shows an extension constructor */
  fmt_open_box(p->f, FMT_HV, 2);
  fmt_string(p->f, "type exn +=");
  fmt_break(p->f, 1, 2);
  ty_print_constr(p->f, p->T, c);
  fmt_close_box(p->f);
}

static void pr_constr(Printer *p, void *c) { ty_print_constr(p->f, p->T, c); }
static void pr_label(Printer *p, void *fd) { ty_print_label(p->f, p->T, fd); }

/* "Constructors do not match: ... is not compatible with: ... why" */
static void pr_compat(Printer *p, ItemDiff *d, const char *what, void (*pr)(Printer *, void *), void *a,
                      void *b, const char *why) {
  fmt_open_box(p->f, FMT_HV, 0);
  fmt_string(p->f, what);
  fmt_break(p->f, 1, 2);
  with_prefix(p, d->got_prefix, pr, a);
  fmt_space(p->f);
  fmt_string(p->f, "is not compatible with:");
  fmt_break(p->f, 1, 2);
  with_prefix(p, d->expected_prefix, pr, b);
  fmt_space(p->f);
  if (!why) return; /* the caller says why and closes the box */
  fmt_string(p->f, why);
  fmt_close_box(p->f);
}

/* How Includecore.report_type_mismatch names the two declarations. */
typedef struct TmWords {
  const char *first, *second, *decl;
} TmWords;

static const TmWords sig_words = {"the first", "the second", "declaration"};

static const char *ordinal(const TmWords *w, bool first) { return first ? w->first : w->second; }

/* "The first is mutable and the second is not." */
static void pr_mutability(Fmt *f, const TmWords *w, bool first) {
  const char *a = ordinal(w, first), *b = ordinal(w, !first);
  fmt_printf(f, "%c%s is mutable and %s is not.", a[0] - 'a' + 'A', a + 1, b);
}

/* Includecore.report_type_mismatch */
static void pr_type_mismatch(Printer *p, ItemDiff *d, const TmWords *w) {
  TypeMismatch *tm = &d->tm;
  Fmt *f = p->f;
  switch (tm->kind) {
  case TM_MANIFEST: return;
  case TM_CONSTRAINT:
    fmt_space(f);
    fmt_string(f, "Their constraints differ.");
    return;
  case TM_ARITY:
    fmt_space(f);
    fmt_string(f, "They have different arities.");
    return;
  case TM_PRIVACY:
    fmt_space(f);
    fmt_string(f, "A private type would be revealed.");
    return;
  case TM_KIND:
    fmt_space(f);
    fmt_string(f, "Their kinds differ.");
    return;
  case TM_VARIANCE:
    fmt_space(f);
    fmt_string(f, "Their variances do not agree.");
    return;
  case TM_CONSTR:
    fmt_space(f);
    pr_compat(p, d, "Constructors do not match:", pr_constr, tm->c1, tm->c2,
              tm->sub == TMS_ARITY ? "They have different arities." : "The types are not equal.");
    return;
  case TM_CONSTR_NAMES:
    fmt_space(f);
    fmt_printf(f, "Constructors number %d have different names, %s and %s.", tm->n, tm->name1, tm->name2);
    return;
  case TM_CONSTR_MISSING:
    fmt_space(f);
    fmt_printf(f, "The constructor %s is only present in %s %s.", tm->name1, ordinal(w, tm->first), w->decl);
    return;
  case TM_FIELD:
    fmt_space(f);
    pr_compat(p, d, "Fields do not match:", pr_label, tm->f1, tm->f2,
              tm->sub == TMS_TYPES ? "The types are not equal." : NULL);
    if (tm->sub == TMS_MUTABLE) pr_mutability(f, w, tm->first);
    fmt_close_box(f);
    return;
  case TM_FIELD_NAMES:
    fmt_space(f);
    fmt_open_box(f, FMT_HV, 0);
    fmt_printf(f, "Fields number %d have different names, %s and %s.", tm->n, tm->name1, tm->name2);
    fmt_close_box(f);
    return;
  case TM_FIELD_MISSING:
    fmt_space(f);
    fmt_open_box(f, FMT_HV, 0);
    fmt_printf(f, "The field %s is only present in %s %s.", tm->name1, ordinal(w, tm->first), w->decl);
    fmt_close_box(f);
    return;
  case TM_FLOAT_REPR:
    fmt_space(f);
    fmt_open_box(f, FMT_HV, 0);
    fmt_printf(f, "Their internal representations differ:@ %s %s uses unboxed float representation.",
               ordinal(w, tm->first), w->decl);
    fmt_close_box(f);
    return;
  }
}

/* "Values do not match: ... is not included in ..." and its kin. */
static void pr_core(Printer *p, ItemDiff *d) {
  Fmt *f = p->f;
  switch (d->kind) {
  case MI_VALUE:
    fmt_open_box(f, FMT_HV, 2);
    fmt_string(f, "Values do not match:");
    fmt_space(f);
    with_prefix(p, d->got_prefix, pr_val, d->got);
    fmt_break(f, 1, -2);
    fmt_string(f, "is not included in");
    fmt_space(f);
    with_prefix(p, d->expected_prefix, pr_val, d->expected);
    fmt_close_box(f);
    return;
  case MI_TYPE:
  case MI_EXCEPTION: {
    bool exn = d->kind == MI_EXCEPTION;
    fmt_open_box(f, FMT_V, 0);
    fmt_open_box(f, FMT_HV, 0);
    fmt_string(f, exn ? "Extension declarations do not match:" : "Type declarations do not match:");
    fmt_break(f, 1, 2);
    with_prefix(p, d->got_prefix, exn ? pr_exn_ext : pr_decl, d->got);
    fmt_space(f);
    fmt_string(f, "is not included in");
    fmt_break(f, 1, 2);
    with_prefix(p, d->expected_prefix, exn ? pr_exn_ext : pr_decl, d->expected);
    fmt_close_box(f);
    pr_type_mismatch(p, d, &sig_words);
    fmt_close_box(f);
    return;
  }
  default: return;
  }
}

static void pr_module_type_diff(Printer *p, MtyDiff *d, MsgCtx *c, bool eqmode, bool tok);

static void ctx_push(Typer *T, MsgCtx *c, const char *name, bool modtype) {
  const char **n = ARENA_ARRAY(T->arena, const char *, c->n + 1);
  bool *m = ARENA_ARRAY(T->arena, bool, c->n + 1);
  if (c->n) {
    memcpy(n, c->names, sizeof *n * (size_t)c->n);
    memcpy(m, c->modtype, sizeof *m * (size_t)c->n);
  }
  n[c->n] = name;
  m[c->n] = modtype;
  c->names = n;
  c->modtype = m;
  c->n++;
}

static void pr_modtype_decl_item(Printer *p, void *md) { ty_print_modtype(p->f, p->T, md); }

/* One incompatible component (Includemod_errorprinter.sigitem); tok:
 * whether details are wanted (OCaml's expansion_token). */
static void pr_item_diff(Printer *p, ItemDiff *d, MsgCtx *c, bool tok) {
  switch (d->kind) {
  case MI_MODULE: {
    MsgCtx sub = *c;
    ctx_push(p->T, &sub, d->name, false);
    pr_module_type_diff(p, d->mty, &sub, false, tok);
    return;
  }
  case MI_MODTYPE: {
    if (is_big(p->T, modtype_body(p->T, d->got), modtype_body(p->T, d->expected), 40)) {
      msg_start(p, NULL);
      fmt_string(p->f, "...");
    } else {
      msg_start(p, c);
      fmt_open_box(p->f, FMT_HV, 2);
      fmt_string(p->f, "Module type declarations do not match:");
      fmt_space(p->f);
      with_prefix(p, d->got_prefix, pr_modtype_decl_item, d->got);
      fmt_break(p->f, 1, -2);
      fmt_string(p->f, "does not match");
      fmt_space(p->f);
      with_prefix(p, d->expected_prefix, pr_modtype_decl_item, d->expected);
      fmt_close_box(p->f);
    }
    MsgCtx sub = *c;
    ctx_push(p->T, &sub, d->name, true);
    switch (d->mtd) {
    case MTD_NOT_LESS:
      msg_start(p, NULL);
      fmt_string(p->f, "The first module type is not included in the second");
      break;
    case MTD_NOT_GREATER:
      msg_start(p, NULL);
      fmt_string(p->f, "The second module type is not included in the first");
      break;
    case MTD_INCOMPARABLE: break;
    case MTD_PERMUTATION:
      msg_start(p, &sub);
      fmt_open_box(p->f, FMT_HV, 2);
      fmt_string(p->f, "Illegal permutation of runtime components in a module type.");
      fmt_space(p->f);
      fmt_open_box(p->f, FMT_B, 0);
      fmt_string(p->f, "For example,");
      fmt_space(p->f);
      if (*d->perm_where) fmt_printf(p->f, "in module %s,", d->perm_where);
      fmt_close_box(p->f);
      fmt_space(p->f);
      fmt_open_box(p->f, FMT_B, 0);
      fmt_printf(p->f,
                 "the %s@ and the %s are not in the same order@ in the expected and actual module types.",
                 d->perm1, d->perm2);
      fmt_close_box(p->f);
      fmt_close_box(p->f);
      return;
    }
    pr_module_type_diff(p, d->mty, &sub, true, tok);
    return;
  }
  default:
    msg_start(p, c);
    pr_core(p, d);
    return;
  }
}

/* ---- Functor parameters in messages (Functor_suberror) ---- */

/* A parameter's module type is shown by a shorthand ($S1, $T2) in the
 * parameter lists when it is a signature or a functor type, and spelled
 * out in the explanation of its position. */
typedef struct Shorthand {
  FParam *param; /* NULL: `()` */
  char name[16]; /* "$S1"; "" when the module type is shown itself */
} Shorthand;

static Shorthand shorthand(FParam *param, bool got, int pos) {
  Shorthand sh = {param, ""};
  if (param && param->name) {
    ModuleDesc *m = param->mty;
    bool original = m->sig_name || (!m->is_functor && m->nitems == 0) || m->is_abstract;
    if (!original) snprintf(sh.name, sizeof sh.name, "%s%d", got ? "$S" : "$T", pos);
  }
  return sh;
}

static bool anonymous(const char *name) { return strcmp(name, "_") == 0; }

static void pr_short(Printer *p, Shorthand *sh) {
  if (*sh->name) fmt_string(p->f, sh->name);
  else with_prefix(p, prefix_of(sh->param->mty), pr_mty, sh->param->mty);
}

/* With_shorthand.qualified_param */
static void pr_qualified_param(Printer *p, Shorthand *sh) {
  if (!sh->param || !sh->param->name) {
    fmt_string(p->f, "()");
  } else if (anonymous(sh->param->name)) {
    ModuleDesc *m = sh->param->mty;
    if (!*sh->name && !m->sig_name && !m->is_functor && !m->is_abstract && m->nitems == 0)
      fmt_string(p->f, "(sig end)");
    else pr_short(p, sh);
  } else {
    fmt_printf(p->f, "(%s : ", sh->param->name);
    pr_short(p, sh);
    fmt_string(p->f, ")");
  }
}

/* With_shorthand.definition: `$S1 = sig ... end`, or the module type. */
static void pr_definition(Printer *p, Shorthand *sh) {
  if (!sh->param || !sh->param->name) {
    fmt_string(p->f, "()");
    return;
  }
  if (*sh->name) {
    fmt_string(p->f, sh->name);
    fmt_space(p->f);
    fmt_string(p->f, "=");
    fmt_space(p->f);
  }
  with_prefix(p, prefix_of(sh->param->mty), pr_mty, sh->param->mty);
}

/* With_shorthand.param */
static void pr_param_short(Printer *p, Shorthand *sh) {
  if (!sh->param || !sh->param->name) fmt_string(p->f, "()");
  else pr_short(p, sh);
}

static void pr_mty_symptom(Printer *p, MtyDiff *d, MsgCtx *c, bool tok);

/* subcase_list: a mismatch's explanations, if it has any, in a box two
 * columns left of the current one. */
static void pr_subcases(Printer *p, MtyDiff *mismatch, bool tok) {
  Buf b;
  buf_init(&b);
  Fmt *probe = fmt_new(&b);
  Printer pp = {p->T, probe, false};
  MsgCtx none = {0};
  pr_mty_symptom(&pp, mismatch, &none, tok);
  fmt_flush(probe);
  fmt_free(probe);
  bool any = b.len > 0;
  buf_free(&b);
  if (!any) return;
  Printer sub = {p->T, p->f, false};
  fmt_break(p->f, 1, -2);
  fmt_open_box(p->f, FMT_B, 0);
  pr_mty_symptom(&sub, mismatch, &none, tok);
  fmt_close_box(p->f);
}

/* What one step of the parameters' edit script says. */
static void pr_param_change(Printer *p, Change *ch, int pos, bool tok) {
  Shorthand g = shorthand(ch->got, true, pos), e = shorthand(ch->expected, false, pos);
  Fmt *f = p->f;
  switch (ch->kind) {
  case CH_INSERT:
  case CH_DELETE:
    fmt_string(f, ch->kind == CH_INSERT ? "An argument appears to be missing with module type"
                                        : "An extra argument is provided of module type");
    fmt_break(f, 1, 2);
    fmt_open_box(f, FMT_B, 0);
    pr_definition(p, ch->kind == CH_INSERT ? &e : &g);
    fmt_close_box(f);
    return;
  case CH_KEEP:
    fmt_string(f, "Module types ");
    pr_param_short(p, &g);
    fmt_string(f, " and ");
    pr_param_short(p, &e);
    fmt_string(f, " match");
    return;
  case CH_CHANGE:
    if (!ch->mismatch) {
      fmt_string(f, ch->got->name ? "The functor was expected to be generative at this position"
                                  : "The functor was expected to be applicative at this position");
      return;
    }
    fmt_string(f, "Module types do not match:");
    fmt_space(f);
    fmt_open_box(f, FMT_B, 0);
    pr_definition(p, &g);
    fmt_close_box(f);
    fmt_break(f, 1, -2);
    fmt_string(f, "does not include");
    fmt_space(f);
    fmt_open_box(f, FMT_B, 0);
    pr_definition(p, &e);
    fmt_close_box(f);
    pr_subcases(p, ch->mismatch, tok);
    return;
  }
}

static void pr_param_list(Printer *p, MtyDiff *d, bool got) {
  bool first = true;
  for (int i = 0; i < d->nchanges; i++) {
    Change *ch = &d->changes[i];
    if (got ? ch->kind == CH_INSERT : ch->kind == CH_DELETE) continue;
    if (!first) fmt_space(p->f);
    first = false;
    Shorthand sh = shorthand(got ? ch->got : ch->expected, got, i + 1);
    pr_qualified_param(p, &sh);
  }
}

/* Includemod_errorprinter.functor_params: the parameter lists, then what
 * each step of the edit script says (the first one that is no match in
 * detail, later ones briefly). */
static void pr_functor_params(Printer *p, MtyDiff *d, MsgCtx *c, bool tok) {
  Fmt *f = p->f;
  msg_start(p, c);
  fmt_open_box(f, FMT_HV, 2);
  fmt_string(f, "Modules do not match:");
  fmt_space(f);
  fmt_open_box(f, FMT_B, 0);
  fmt_string(f, "functor");
  fmt_space(f);
  pr_param_list(p, d, true);
  fmt_space(f);
  fmt_string(f, "-> ...");
  fmt_close_box(f);
  fmt_break(f, 1, -2);
  fmt_string(f, "is not included in");
  fmt_space(f);
  fmt_open_box(f, FMT_B, 0);
  fmt_string(f, "functor");
  fmt_space(f);
  pr_param_list(p, d, false);
  fmt_space(f);
  fmt_string(f, "-> ...");
  fmt_close_box(f);
  fmt_close_box(f);
  if (!tok) return;
  bool detail = true;
  for (int i = 0; i < d->nchanges; i++) {
    msg_start(p, NULL);
    if (d->nchanges > 1) fmt_printf(f, "%d. ", i + 1);
    fmt_open_box(f, FMT_HV, 2);
    pr_param_change(p, &d->changes[i], i + 1, detail);
    fmt_close_box(f);
    if (d->changes[i].kind != CH_KEEP) detail = false;
  }
}

/* ---- Module type mismatches (module_type, module_type_symptom) ---- */

static void pr_mty_symptom(Printer *p, MtyDiff *d, MsgCtx *c, bool tok) {
  switch (d->sym) {
  case SYM_CORE: return;
  case SYM_SIG:
    if (d->nmissing) {
      /* OCaml lists them last first, the context with the first, then
       * reverses its messages: the context ends up before the last. */
      if (!tok) return;
      for (int i = 0; i < d->nmissing; i++) {
        msg_start(p, i == d->nmissing - 1 ? c : NULL);
        pr_missing(p, d->missing[i]);
      }
      return;
    }
    pr_item_diff(p, d->item, c, tok);
    return;
  case SYM_FUNCTOR_PARAMS: pr_functor_params(p, d, c, tok); return;
  case SYM_FUNCTOR_RESULT: pr_module_type_diff(p, d->result, c, false, tok); return;
  }
}

static void pr_module_type_diff(Printer *p, MtyDiff *d, MsgCtx *c, bool eqmode, bool tok) {
  if (d->sym == SYM_FUNCTOR_PARAMS) {
    pr_functor_params(p, d, c, tok);
    return;
  }
  if (is_big(p->T, d->got, d->expected, 0)) {
    msg_start(p, NULL);
    fmt_string(p->f, "...");
  } else {
    msg_start(p, c);
    pr_modules(p, d, eqmode);
  }
  pr_mty_symptom(p, d, c, tok);
}

typedef struct TopMsg {
  Typer *T;
  MtyDiff *d;
  bool functor_arg;
} TopMsg;

/* Typemod's "Signature mismatch:" and its messages, one a line. */
static void signature_mismatch_msg(Fmt *f, void *arg) {
  TopMsg *m = arg;
  Printer p = {m->T, f, false};
  MsgCtx none = {0};
  if (m->functor_arg) {
    /* A functor's argument (Includemod_errorprinter.App.single_diff):
     * the explanations in a box two columns left of "Modules". */
    fmt_string(f, "Modules do not match:");
    fmt_space(f);
    fmt_open_box(f, FMT_B, 0);
    with_prefix(&p, prefix_of(m->d->got), pr_mty, m->d->got);
    fmt_close_box(f);
    fmt_break(f, 1, -2);
    fmt_string(f, "is not included in");
    fmt_space(f);
    fmt_open_box(f, FMT_B, 0);
    with_prefix(&p, prefix_of(m->d->expected), pr_mty, m->d->expected);
    fmt_close_box(f);
    if (m->d->sym != SYM_CORE) {
      fmt_break(f, 1, -2);
      fmt_open_box(f, FMT_B, 0);
      pr_mty_symptom(&p, m->d, &none, true);
      fmt_close_box(f);
    }
    return;
  }
  fmt_open_box(f, FMT_V, 0);
  fmt_string(f, "Signature mismatch:");
  p.started = true;
  pr_module_type_diff(&p, m->d, &none, false, true);
  fmt_close_box(f);
}

/* ---- Functor applications (Includemod_errorprinter.report_apply_error) ---- */

/* Whether module type md is shown itself among parameters and arguments
 * rather than by a shorthand (With_shorthand.modtype). */
static bool shown_itself(ModuleDesc *md) {
  return md->sig_name || md->is_abstract || (!md->is_functor && md->nitems == 0);
}

/* A module type as an argument shows it: a module path's strengthened. */
static void pr_arg_mty(Printer *p, FParam *a) {
  Incl I = {p->T, NULL, NULL, 0, 0};
  with_prefix(p, prefix_of(a->mty), pr_mty, strengthen(&I, a->mty, arg_path(a)));
}

/* With_shorthand.arg: the path, `()`, or the structure's shorthand. */
static void pr_app_arg(Printer *p, FParam *a, const char *shorthand) {
  if (!a->name) fmt_string(p->f, "()");
  else if (*a->name) fmt_string(p->f, a->name);
  else if (shorthand) fmt_string(p->f, shorthand);
  else pr_arg_mty(p, a);
}

/* With_shorthand.definition_of_argument */
static void pr_app_definition(Printer *p, FParam *a, const char *shorthand) {
  if (!a->name) {
    fmt_string(p->f, "()");
    return;
  }
  const char *label = *a->name ? a->name : shorthand;
  if (label) {
    fmt_string(p->f, label);
    fmt_space(p->f);
    fmt_string(p->f, ":");
    fmt_space(p->f);
  }
  pr_arg_mty(p, a);
}

typedef struct ApplyMsg {
  Typer *T;
  Change *changes;
  int n;
} ApplyMsg;

static const char *app_got_short(Typer *T, Change *ch, int pos) {
  if (!ch->got || !ch->got->name || *ch->got->name || shown_itself(ch->got->mty)) return NULL;
  return ch->kind == CH_DELETE ? "..." : arena_printf(T->arena, "$S%d", pos);
}

static Shorthand app_expected_short(Change *ch, int pos) {
  Shorthand sh = shorthand(ch->expected, false, pos);
  if (ch->kind == CH_KEEP && *sh.name) strcpy(sh.name, "...");
  return sh;
}

/* One step of an application's edit script (functor_app_diff). */
static void pr_app_change(Printer *p, Change *ch, int pos, bool tok) {
  Fmt *f = p->f;
  const char *gs = app_got_short(p->T, ch, pos);
  Shorthand e = shorthand(ch->expected, false, pos);
  switch (ch->kind) {
  case CH_INSERT:
    fmt_string(f, "An argument appears to be missing with module type");
    fmt_break(f, 1, 2);
    fmt_open_box(f, FMT_B, 0);
    pr_definition(p, &e);
    fmt_close_box(f);
    return;
  case CH_DELETE:
    fmt_string(f, "The following extra argument is provided");
    fmt_break(f, 1, 2);
    fmt_open_box(f, FMT_B, 0);
    pr_app_definition(p, ch->got, gs);
    fmt_close_box(f);
    return;
  case CH_KEEP:
    fmt_string(f, "Module ");
    pr_app_arg(p, ch->got, gs);
    fmt_string(f, " matches the expected module type");
    if (ch->expected->name && shown_itself(ch->expected->mty)) {
      fmt_string(f, " ");
      with_prefix(p, prefix_of(ch->expected->mty), pr_mty, ch->expected->mty);
    }
    return;
  case CH_CHANGE:
    if (!ch->mismatch) {
      fmt_string(f, ch->got->name ? "The functor was expected to be generative at this position"
                                  : "The functor was expected to be applicative at this position");
      return;
    }
    fmt_string(f, "Modules do not match:");
    fmt_space(f);
    fmt_open_box(f, FMT_B, 0);
    pr_app_definition(p, ch->got, gs);
    fmt_close_box(f);
    fmt_break(f, 1, -2);
    fmt_string(f, "is not included in");
    fmt_space(f);
    fmt_open_box(f, FMT_B, 0);
    pr_definition(p, &e);
    fmt_close_box(f);
    pr_subcases(p, ch->mismatch, tok);
    return;
  }
}

/* "The functor application is ill-typed." with its arguments and the
 * functor's parameters, then one line per step. */
static void apply_msg(Fmt *f, void *arg) {
  ApplyMsg *m = arg;
  Printer p = {m->T, f, false};
  fmt_open_box(f, FMT_V, 0);
  fmt_open_box(f, FMT_HV, 0);
  fmt_string(f, "The functor application is ill-typed.");
  fmt_space(f);
  fmt_string(f, "These arguments:");
  fmt_break(f, 1, 2);
  fmt_open_box(f, FMT_B, 0);
  bool first = true;
  for (int i = 0; i < m->n; i++) {
    Change *ch = &m->changes[i];
    if (ch->kind == CH_INSERT) continue;
    if (!first) fmt_space(f);
    first = false;
    pr_app_arg(&p, ch->got, app_got_short(m->T, ch, i + 1));
  }
  fmt_close_box(f);
  fmt_space(f);
  fmt_string(f, "do not match these parameters:");
  fmt_break(f, 1, 2);
  fmt_open_box(f, FMT_B, 0);
  fmt_string(f, "functor");
  fmt_space(f);
  first = true;
  for (int i = 0; i < m->n; i++) {
    Change *ch = &m->changes[i];
    if (ch->kind == CH_DELETE) continue;
    if (!first) fmt_space(f);
    first = false;
    Shorthand sh = app_expected_short(ch, i + 1);
    pr_qualified_param(&p, &sh);
  }
  fmt_space(f);
  fmt_string(f, "-> ...");
  fmt_close_box(f);
  fmt_close_box(f);
  bool detail = true;
  for (int i = 0; i < m->n; i++) {
    fmt_cut(f);
    if (m->n > 1) fmt_printf(f, "%d. ", i + 1);
    fmt_open_box(f, FMT_HV, 2);
    pr_app_change(&p, &m->changes[i], i + 1, detail);
    fmt_close_box(f);
    if (m->changes[i].kind != CH_KEEP) detail = false;
  }
  fmt_close_box(f);
}

void ty_include_apply_error(Typer *T, Loc loc, ModuleDesc *f, const char **names, ModuleDesc **args,
                            int nargs) {
  Incl I = {T, NULL, NULL, 0, 0};
  FParam *a = ARENA_ARRAY(T->arena, FParam, nargs + 1);
  for (int i = 0; i < nargs; i++) a[i] = (FParam){names[i], args[i]};
  int np;
  ModuleDesc *res;
  FParam *ps = functor_params(&I, f, &np, &res);
  int n;
  Change *script = edit_script(&I, a, nargs, ps, np, true, &n);
  /* Parameters left over are a partial application, no error. */
  while (n > 0 && script[n - 1].kind == CH_INSERT) n--;
  if (n == 1 && script[0].kind == CH_CHANGE) {
    Change *ch = &script[0];
    if (!ch->mismatch)
      ty_error_text(T, loc,
                    ch->got->name ? "The functor was expected to be generative at this position"
                                  : "The functor was expected to be applicative at this position");
    TopMsg m = {T, ch->mismatch, true};
    ty_error_text(T, loc, ty_error_layout(T, signature_mismatch_msg, &m));
  }
  ApplyMsg m = {T, script, n};
  ty_error_text(T, loc, ty_error_layout(T, apply_msg, &m));
}

bool ty_include_matches(Typer *T, ModuleDesc *impl, ModuleDesc *sig) {
  Incl I = {T, NULL, NULL, 0, 0};
  const char *path = impl->is_alias && impl->alias_of ? impl->alias_of : NULL;
  return modtypes(&I, impl, path, sig) == NULL;
}

/* ---- Re-exported variants and records (Typedecl.check_coherence) ---------- */

static const TmWords reexport_words = {"the original", "this", "definition"};

typedef struct ReexportMsg {
  Typer *T;
  Type *ty;
  ItemDiff *d;
} ReexportMsg;

static void reexport_msg(Fmt *f, void *arg) {
  ReexportMsg *m = arg;
  fmt_open_box(f, FMT_V, 0);
  fmt_open_box(f, FMT_HOV, 0);
  fmt_string(f, "This variant or record definition");
  fmt_space(f);
  fmt_string(f, "does not match that of type");
  fmt_break(f, 1, 2);
  TyNames nm;
  ty_names_init(&nm, m->T, false);
  ty_fmt_type(f, &nm, m->ty);
  ty_names_done(&nm);
  fmt_close_box(f);
  if (m->d) {
    Printer p = {m->T, f, true};
    pr_type_mismatch(&p, m->d, &reexport_words);
  }
  fmt_close_box(f);
}

void ty_include_reexport(Typer *T, TypeDecl *d, Loc loc) {
  Type *m = ty_repr(d->manifest);
  ReexportMsg msg = {T, m, NULL};
  if (m->kind == TY_CONSTR) {
    ItemDiff *diff = ARENA_NEW(T->arena, ItemDiff);
    diff->kind = MI_TYPE;
    diff->got = m->decl;
    diff->expected = d;
    msg.d = diff;
    bool own_params = m->nargs == d->nparams;
    for (int i = 0; i < m->nargs && own_params; i++)
      own_params = ty_repr(m->args[i]) == ty_repr(d->params[i]);
    if (m->nargs != d->nparams) {
      diff->tm.kind = TM_ARITY;
    } else if (!own_params) {
      diff->tm.kind = TM_CONSTRAINT;
    } else {
      /* d's own name stands for the original type in its definition. */
      Incl I = {T, NULL, NULL, 0, 0};
      incl_pair(&I, d, m->decl);
      if (type_decl_incl(&I, m->decl, d, &diff->tm)) return;
    }
  }
  ty_error_text(T, loc, ty_error_layout(T, reexport_msg, &msg));
}

/* ---- with constraints (Typemod.merge_constraint) ------------------------------- */

typedef struct WithMsg {
  Typer *T;
  const char *lid;
  ItemDiff *d;
} WithMsg;

static void with_msg(Fmt *f, void *arg) {
  WithMsg *m = arg;
  fmt_open_box(f, FMT_V, 0);
  fmt_open_box(f, FMT_B, 0);
  fmt_printf(f,
             "In this `with' constraint, the new definition of %s@ does not match its original definition@ "
             "in the constrained signature:",
             m->lid);
  fmt_close_box(f);
  fmt_space(f);
  Printer p = {m->T, f, true};
  pr_core(&p, m->d);
  fmt_close_box(f);
}

void ty_include_with(Typer *T, TypeDecl *newdecl, TypeDecl *decl, const char *lid, Loc loc) {
  Incl I = {T, NULL, NULL, 0, 0};
  ItemDiff *d = ARENA_NEW(T->arena, ItemDiff);
  d->kind = MI_TYPE;
  d->name = decl->name;
  d->got = newdecl;
  d->expected = decl;
  if (type_decl_incl(&I, newdecl, decl, &d->tm)) return;
  WithMsg m = {T, lid, d};
  ty_error_text(T, loc, ty_error_layout(T, with_msg, &m));
}

/* ---- Entry point ---------------------------------------------------------------- */

void ty_include_check(Typer *T, ModuleDesc *impl, ModuleDesc *sig, Loc loc, bool functor_arg) {
  Incl I = {T, NULL, NULL, 0, 0};
  /* A module known by a path (`= A`) is seen through it (Mtype.strengthen). */
  const char *path = impl->is_alias && impl->alias_of ? impl->alias_of : NULL;
  MtyDiff *d = modtypes(&I, impl, path, sig);
  if (!d) return;
  TopMsg m = {T, d, functor_arg};
  ty_error_text(T, loc, ty_error_layout(T, signature_mismatch_msg, &m));
}
