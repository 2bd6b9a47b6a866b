/* ty_unify.c — types as the checker builds them: construction, unification
 * with an occurs check and level adjustment (Rémy), abbreviation
 * expansion, instantiation, generalization (plain and OCaml's relaxed
 * value restriction), and the copy of types into the session arena.
 *
 * Levels: a variable's level is the let-depth where it was created; a
 * compound type's level is TY_GENERIC_LEVEL when it may contain generic
 * variables (so instantiation can share the parts that cannot), else 0.
 * Session-level variables sit at level 0 and are never generalized.
 *
 * Under -rectypes the occurs check lets a variable be linked to a type
 * that contains it, and every walk here is written to end on the cycles
 * that makes: marks (ty_new_mark), memo tables, or the path walked. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "typecheck.h"

Type *ty_repr(Type *t) {
  while (t->link) t = t->link;
  return t;
}

static Type *alloc_type(Typer *T, TypeKind k) {
  Type *t = ARENA_NEW(T->arena, Type);
  t->kind = k;
  t->id = ++T->next_type_id;
  t->birth = T->level;
  return t;
}

Type *ty_new_var(Typer *T) {
  Type *t = alloc_type(T, TY_VAR);
  t->level = T->level;
  return t;
}

Type *ty_new_generic_var(Typer *T) {
  Type *t = alloc_type(T, TY_VAR);
  t->level = TY_GENERIC_LEVEL;
  return t;
}

static bool may_be_generic(Type *t) { return ty_repr(t)->level == TY_GENERIC_LEVEL; }

unsigned ty_new_mark(Typer *T) { return ++T->next_mark; }

bool ty_decl_contractive(const TypeDecl *d) {
  if (d->kind == TD_VARIANT || d->kind == TD_RECORD) return true;
  return d->builtin != 0 && !d->manifest;
}

/* A variable that stands for a node being copied, before the copy
 * exists: the copies of the node's cyclic references point to it, and it
 * is linked to the copy once that is built. Its level says "may be
 * generic" until then, which errs on the safe side (see Levels above). */
static Type *placeholder(Typer *T) {
  Type *t = alloc_type(T, TY_VAR);
  t->level = TY_GENERIC_LEVEL;
  return t;
}

Type *ty_new_arrow(Typer *T, Type *a, Type *b) { return ty_new_arrow_l(T, (ArgLabel){LBL_NONE, NULL}, a, b); }

Type *ty_new_arrow_l(Typer *T, ArgLabel label, Type *a, Type *b) {
  Type *t = alloc_type(T, TY_ARROW);
  t->a = a;
  t->b = b;
  t->label = label;
  t->level = may_be_generic(a) || may_be_generic(b) ? TY_GENERIC_LEVEL : 0;
  return t;
}

Type *ty_copy_arrow(Typer *T, Type *t, Type *a, Type *b) {
  Type *c = ty_new_arrow_l(T, t->label, a, b);
  c->commu_unknown = t->commu_unknown;
  return c;
}

Type *ty_new_tuple(Typer *T, Type **items, int n) {
  Type *t = alloc_type(T, TY_TUPLE);
  t->args = ARENA_ARRAY(T->arena, Type *, n);
  t->nargs = n;
  for (int i = 0; i < n; i++) {
    t->args[i] = items[i];
    if (may_be_generic(items[i])) t->level = TY_GENERIC_LEVEL;
  }
  return t;
}

Type *ty_new_package(Typer *T, ModuleDesc *mty, const char *path, const char **names, Type **args,
                     int nargs) {
  Type *t = alloc_type(T, TY_PACKAGE);
  t->pkg = mty;
  t->path = path;
  t->pkg_names = names;
  t->args = args;
  t->nargs = nargs;
  for (int i = 0; i < nargs; i++)
    if (may_be_generic(args[i])) t->level = TY_GENERIC_LEVEL;
  return t;
}

/* Packages of the same module type with the same constrained names (a
 * module type may be reached through several copies: compare names). */
bool ty_same_package(const Type *a, const Type *b) {
  if (a->nargs != b->nargs) return false;
  if (a->pkg != b->pkg && strcmp(a->path, b->path) != 0) return false;
  for (int i = 0; i < a->nargs; i++)
    if (strcmp(a->pkg_names[i], b->pkg_names[i]) != 0) return false;
  return true;
}

Type *ty_new_constr(Typer *T, TypeDecl *d, Type **args, int nargs, const char *path) {
  Type *t = alloc_type(T, TY_CONSTR);
  t->decl = d;
  t->path = path ? path : d->path ? d->path : d->name;
  t->nargs = nargs;
  t->args = nargs ? ARENA_ARRAY(T->arena, Type *, nargs) : NULL;
  for (int i = 0; i < nargs; i++) {
    t->args[i] = args[i];
    if (may_be_generic(args[i])) t->level = TY_GENERIC_LEVEL;
  }
  return t;
}

Type *ty_predef(Typer *T, int tyb) { return ty_new_constr(T, T->predef[tyb], NULL, 0, NULL); }
Type *ty_predef1(Typer *T, int tyb, Type *arg) { return ty_new_constr(T, T->predef[tyb], &arg, 1, NULL); }

bool ty_same_decl(const TypeDecl *a, const TypeDecl *b) { return a == b || (a && b && a->stamp == b->stamp); }

bool ty_is_constr(Type *t, int tyb) {
  t = ty_repr(t);
  return t->kind == TY_CONSTR && t->decl->builtin == tyb;
}

/* ---- Instances and substitution ----------------------------------------- */

typedef struct Subst {
  Type **from, **to;
  int n, cap;
  bool fresh;      /* unmapped generic variables become fresh ones */
  bool drop_names; /* instances forget 'a names, as OCaml's do */
  CopyMap *memo;   /* -rectypes: each compound node's copy, so that cycles
                      and sharing are copied as they are */
  CopyMap *rows;   /* each variant's copy by its row variable: a row is
                      copied once however often it occurs (OCaml's Tsubst
                      on row_more), which also ends the copy on the cycles
                      rows may make without -rectypes */
} Subst;

static Type *subst_get(Typer *T, Subst *s, Type *v) {
  for (int i = 0; i < s->n; i++)
    if (s->from[i] == v) return s->to[i];
  if (!s->fresh) return v;
  if (s->n == s->cap) {
    int cap = s->cap ? s->cap * 2 : 8;
    Type **f = ARENA_ARRAY(T->arena, Type *, cap), **t = ARENA_ARRAY(T->arena, Type *, cap);
    if (s->n) {
      memcpy(f, s->from, sizeof(Type *) * (size_t)s->n);
      memcpy(t, s->to, sizeof(Type *) * (size_t)s->n);
    }
    s->from = f;
    s->to = t;
    s->cap = cap;
  }
  Type *nv = ty_new_var(T);
  nv->name = s->drop_names ? NULL : v->name;
  s->from[s->n] = v;
  s->to[s->n++] = nv;
  return nv;
}

static Type *copy_node(Typer *T, Subst *s, Type *t);

static Type *copy_variant(Typer *T, Subst *s, Type *t);

static Type *copy_generic(Typer *T, Subst *s, Type *t) {
  t = ty_repr(t);
  if (t->level != TY_GENERIC_LEVEL) return t;
  if (t->kind == TY_VAR) return subst_get(T, s, t);
  if (t->kind == TY_VARIANT) return copy_variant(T, s, t);
  /* Without -rectypes types are trees as far as copying goes: no memo. */
  if (!T->rectypes) return copy_node(T, s, t);
  if (!s->memo) s->memo = ty_copymap_new(T);
  Type *c = ty_copymap_get(s->memo, t);
  if (c) return c;
  Type *ph = placeholder(T);
  ty_copymap_put(s->memo, t, ph);
  c = copy_node(T, s, t);
  ph->link = c;
  ty_copymap_put(s->memo, t, c);
  return c;
}

static Type *copy_node(Typer *T, Subst *s, Type *t) {
  switch (t->kind) {
  case TY_VAR: break;
  case TY_VARIANT: return copy_variant(T, s, t);
  case TY_ARROW: return ty_copy_arrow(T, t, copy_generic(T, s, t->a), copy_generic(T, s, t->b));
  case TY_TUPLE: {
    Type **items = ARENA_ARRAY(T->arena, Type *, t->nargs);
    for (int i = 0; i < t->nargs; i++) items[i] = copy_generic(T, s, t->args[i]);
    return ty_new_tuple(T, items, t->nargs);
  }
  case TY_CONSTR: {
    Type **items = ARENA_ARRAY(T->arena, Type *, t->nargs ? t->nargs : 1);
    for (int i = 0; i < t->nargs; i++) items[i] = copy_generic(T, s, t->args[i]);
    return ty_new_constr(T, t->decl, items, t->nargs, t->path);
  }
  case TY_PACKAGE: {
    Type **items = ARENA_ARRAY(T->arena, Type *, t->nargs ? t->nargs : 1);
    for (int i = 0; i < t->nargs; i++) items[i] = copy_generic(T, s, t->args[i]);
    return ty_new_package(T, t->pkg, t->path, t->pkg_names, items, t->nargs);
  }
  }
  NML_UNREACHABLE();
}

/* A variant's copy (OCaml's copy_row): a row variable that is not
 * generic is kept, and then so are the undecided fields, which the copy
 * shares with the original. */
static Type *copy_variant(Typer *T, Subst *s, Type *t) {
  RowDesc *r = ty_row_flatten(T, t);
  Type *more = ty_repr(r->more);
  if (!s->rows) s->rows = ty_copymap_new(T);
  Type *c = ty_copymap_get(s->rows, more);
  if (c) return c;
  bool keep = more->level != TY_GENERIC_LEVEL || r->fixed;
  Type *ph = placeholder(T);
  ty_copymap_put(s->rows, more, ph);
  RowDesc *n = ty_row_new(T, r->n);
  *n = *r;
  n->tags = ARENA_ARRAY(T->arena, const char *, r->n + 1);
  n->fields = ARENA_ARRAY(T->arena, RowField *, r->n + 1);
  n->more = keep ? more : subst_get(T, s, more);
  for (int i = 0; i < r->n; i++) {
    RfView v;
    ty_rf_view(T, r->fields[i], &v);
    n->tags[i] = r->tags[i];
    if (v.kind == RF_EITHER && keep) {
      n->fields[i] = r->fields[i];
      continue;
    }
    Type **args = ARENA_ARRAY(T->arena, Type *, v.nargs + 1);
    for (int k = 0; k < v.nargs; k++) args[k] = copy_generic(T, s, v.args[k]);
    bool matched = r->fixed ? true : v.matched;
    n->fields[i] = v.kind == RF_ABSENT ? v.last : ty_rf_new(T, v.kind, args, v.nargs, v.constant, matched);
  }
  if (r->nname_args) {
    n->name_args = ARENA_ARRAY(T->arena, Type *, r->nname_args);
    for (int i = 0; i < r->nname_args; i++) n->name_args[i] = copy_generic(T, s, r->name_args[i]);
  }
  c = ty_new_variant(T, n);
  ph->link = c;
  ty_copymap_put(s->rows, more, c);
  return c;
}

Type *ty_instance(Typer *T, Type *t) {
  Subst s = {0};
  s.fresh = true;
  s.drop_names = true;
  return copy_generic(T, &s, t);
}

Type *ty_instance_constr(Typer *T, ConstrDesc *cd, Type **args_out) {
  Subst s = {0};
  s.fresh = true;
  s.drop_names = true;
  for (int i = 0; i < cd->nargs; i++) args_out[i] = copy_generic(T, &s, cd->args[i]);
  return copy_generic(T, &s, cd->res);
}

Type *ty_instance_field(Typer *T, FieldDesc *fd, Type **field_ty) {
  Subst s = {0};
  s.fresh = true;
  s.drop_names = true;
  *field_ty = copy_generic(T, &s, fd->ty);
  return copy_generic(T, &s, fd->res);
}

Type **ty_instance_params(Typer *T, TypeDecl *d, Type *body, Type **body_out) {
  Subst s = {0};
  s.fresh = true;
  s.drop_names = true;
  Type **ps = ARENA_ARRAY(T->arena, Type *, d->nparams + 1);
  for (int i = 0; i < d->nparams; i++) ps[i] = copy_generic(T, &s, d->params[i]);
  if (body_out) *body_out = copy_generic(T, &s, body);
  return ps;
}

Type *ty_subst_params_only(Typer *T, TypeDecl *d, Type **args, Type *t) {
  Subst s = {0};
  s.from = ARENA_ARRAY(T->arena, Type *, d->nparams + 1);
  s.to = ARENA_ARRAY(T->arena, Type *, d->nparams + 1);
  s.cap = d->nparams + 1;
  for (int i = 0; i < d->nparams; i++) {
    s.from[i] = ty_repr(d->params[i]);
    s.to[i] = args[i];
  }
  s.n = d->nparams;
  return copy_generic(T, &s, t);
}

Type *ty_subst_params(Typer *T, TypeDecl *d, Type **args, Type *t) {
  if (ty_decl_constrained(d)) return ty_expand_constrained(T, d, args, t);
  Subst s = {0};
  s.fresh = true;
  s.from = ARENA_ARRAY(T->arena, Type *, d->nparams + 1);
  s.to = ARENA_ARRAY(T->arena, Type *, d->nparams + 1);
  s.cap = d->nparams + 1;
  for (int i = 0; i < d->nparams; i++) {
    s.from[i] = ty_repr(d->params[i]);
    s.to[i] = args[i];
  }
  s.n = d->nparams;
  return copy_generic(T, &s, t);
}

Type *ty_expand_once(Typer *T, Type *t) {
  t = ty_repr(t);
  if (t->kind != TY_CONSTR) return NULL;
  if (t->decl->eq) {
    /* A GADT equation (no parameters): both sides now belong to its
     * scope (OCaml's expand_abbrev_gen updates their scopes). */
    Type *e = ty_repr(t->decl->eq);
    int s = t->decl->eq_scope;
    if (t->scope < s) t->scope = s;
    if (e->scope < s) e->scope = s;
    return e;
  }
  if (!t->decl->manifest) return NULL;
  return ty_subst_params(T, t->decl, t->args, t->decl->manifest);
}

Type *ty_expand_head(Typer *T, Type *t) {
  t = ty_repr(t);
  for (int guard = 0; guard < 1000; guard++) {
    Type *e = ty_expand_once(T, t);
    if (!e) return t;
    t = ty_repr(e);
  }
  return t;
}

/* ---- Unification ----------------------------------------------------------- */

/* Records a change to a session-level variable so that rollback can undo
 * it and commit can copy its new link into the session arena. */
static TrailEntry *trail_grow(Typer *T) {
  if (T->ntrail == T->ctrail) {
    int cap = T->ctrail ? T->ctrail * 2 : 64;
    TrailEntry *n = realloc(T->trail, sizeof(TrailEntry) * (size_t)cap);
    if (!n) nml_fatal("out of memory");
    T->trail = n;
    T->ctrail = cap;
  }
  return &T->trail[T->ntrail++];
}

static void trail_push(Typer *T, Type *v) {
  *trail_grow(T) = (TrailEntry){v, v->link, v->level, v->name, NULL, NULL};
}

/* Records a change to an undecided row field's link, as trail_push. */
void ty_trail_field(Typer *T, RowField *f) { *trail_grow(T) = (TrailEntry){NULL, NULL, 0, NULL, f, f->link}; }

static void set_level(Typer *T, Type *v, int level) {
  if (v->session || T->trail_all) trail_push(T, v);
  v->level = level;
}

/* Links v (a variable, or under -rectypes any node being unified) to t. */
static void link_var(Typer *T, Type *v, Type *t) {
  if (ty_repr(t) == v) return; /* already one: a link would close a loop */
  if (v->session || T->trail_all) trail_push(T, v);
  v->link = t;
}

void ty_link(Typer *T, Type *v, Type *t) { link_var(T, v, t); }

/* The nodes from where a walk started down to the one at hand. */
typedef struct TyPath {
  Type *t;
  const struct TyPath *up;
} TyPath;

static bool on_path(const TyPath *p, const Type *t) {
  for (; p; p = p->up)
    if (p->t == t) return true;
  return false;
}

static void limit_rec(Typer *T, Type *t, int level, unsigned mark);

/* OCaml's occur check under -rectypes (Ctype.occur_rec with
 * allow_recursive): v may occur inside t under any type constructor that
 * is contractive, or under an arrow or a tuple; not as t itself, nor
 * under an abbreviation or an abstract type, which may stand for its
 * argument (`type 'a id = 'a`), unless expanding the head takes v away. */
static bool occurs_rec(Typer *T, Type *v, Type *t, const TyPath *path) {
  t = ty_repr(t);
  if (t == v) return true;
  if (t->kind != TY_CONSTR || ty_decl_contractive(t->decl)) return false;
  if (!on_path(path, t)) {
    TyPath here = {t, path};
    bool found = false;
    for (int i = 0; i < t->nargs && !found; i++) found = occurs_rec(T, v, t->args[i], &here);
    if (!found) return false;
  }
  Type *e = ty_expand_once(T, t);
  return !e || occurs_rec(T, v, ty_expand_head(T, e), path);
}

/* Occurs check of v in t, lowering the levels of t's variables to v's. */
static bool occur_adjust(Typer *T, Type *v, Type *t) {
  if (T->rectypes) {
    if (occurs_rec(T, v, t, NULL)) return false;
    limit_rec(T, t, v->level, ty_new_mark(T));
    return true;
  }
  t = ty_repr(t);
  switch (t->kind) {
  case TY_VAR:
    if (t == v) return false;
    if (t->level > v->level && t->level != TY_GENERIC_LEVEL) set_level(T, t, v->level);
    return true;
  default: break;
  }
  /* A node younger than v that went through a GADT equation younger
   * than v: v would stand for an ambiguous type (OCaml's update_level
   * on a node's scope). */
  if (t->birth > v->level && v->level != TY_GENERIC_LEVEL) {
    if (t->scope > v->level) {
      T->uerr.ambiguous = t;
      return false;
    }
    t->birth = v->level;
  }
  switch (t->kind) {
  case TY_VAR: return true;
  case TY_ARROW: return occur_adjust(T, v, t->a) && occur_adjust(T, v, t->b);
  case TY_VARIANT:
    /* A variable may occur in a row: recursive variants need no
     * -rectypes (OCaml's occur_rec stops at rows). */
    limit_rec(T, t, v->level, ty_new_mark(T));
    return true;
  case TY_CONSTR:
    /* A local type younger than v: v cannot stand for it, unless an
     * equation says what it is (OCaml's update_level on Tconstr). */
    if (t->decl->local && t->decl->scope > v->level && v->level != TY_GENERIC_LEVEL) {
      if (!t->decl->eq) {
        T->uerr.escaped = t->decl;
        return false;
      }
      return occur_adjust(T, v, t->decl->eq);
    }
    /* fall through */
  case TY_TUPLE:
  case TY_PACKAGE:
    for (int i = 0; i < t->nargs; i++)
      if (!occur_adjust(T, v, t->args[i])) return false;
    return true;
  }
  return true;
}

static void trace_push(Typer *T, Type *a, Type *ae, Type *b, Type *be) {
  UnifyErr *u = &T->uerr;
  if (u->npairs == u->cap) {
    int cap = u->cap ? u->cap * 2 : 8;
    TracePair *n = ARENA_ARRAY(T->arena, TracePair, cap);
    if (u->npairs) memcpy(n, u->pairs, sizeof(TracePair) * (size_t)u->npairs);
    u->pairs = n;
    u->cap = cap;
  }
  u->pairs[u->npairs++] = (TracePair){a, ae, b, be};
}

static bool unify_rec(Typer *T, Type *a, Type *b);

bool ty_labels_compatible(Typer *T, ArgLabel a, ArgLabel b) {
  if (ast_label_equal(a, b)) return true;
  return T->classic && a.kind != LBL_OPTIONAL && b.kind != LBL_OPTIONAL;
}

/* Whether x and y are the same type at a glance: one node, or nodes of
 * one kind (and constructor) over the same nodes. Expanding a recursive
 * abbreviation copies it afresh each time (`type 'a t = 'a t list`: the
 * expansion of int t holds a new int t), and such copies must count as
 * the node they copy for unification to end. */
static bool same_node(Type *x, Type *y) {
  if (x == y) return true;
  if (x->kind != y->kind || x->kind == TY_VAR || x->kind == TY_VARIANT) return false;
  if (x->kind == TY_ARROW)
    return ast_label_equal(x->label, y->label) && ty_repr(x->a) == ty_repr(y->a) &&
           ty_repr(x->b) == ty_repr(y->b);
  if (x->nargs != y->nargs || (x->kind == TY_CONSTR && !ty_same_decl(x->decl, y->decl)) ||
      (x->kind == TY_PACKAGE && !ty_same_package(x, y)))
    return false;
  for (int i = 0; i < x->nargs; i++)
    if (ty_repr(x->args[i]) != ty_repr(y->args[i])) return false;
  return true;
}

bool ty_same_node(Type *x, Type *y) { return same_node(x, y); }

/* Under -rectypes: whether the current unification already met the pair
 * a, b (two nodes that are not variables); else records it. A pair met
 * again is being (or has been) unified, so it may be taken as equal: that
 * is how unification ends on cyclic types, where OCaml links the two
 * nodes of each pair before unifying their contents. */
static bool unify_seen(Typer *T, Type *a, Type *b) {
  for (int i = 0; i < T->nupairs; i += 2) {
    Type *x = T->upairs[i], *y = T->upairs[i + 1];
    if ((same_node(x, a) && same_node(y, b)) || (same_node(x, b) && same_node(y, a))) return true;
  }
  if (T->nupairs + 2 > T->cupairs) {
    int cap = T->cupairs ? T->cupairs * 2 : 64;
    Type **n = realloc(T->upairs, sizeof(Type *) * (size_t)cap);
    if (!n) nml_fatal("out of memory");
    T->upairs = n;
    T->cupairs = cap;
  }
  T->upairs[T->nupairs++] = a;
  T->upairs[T->nupairs++] = b;
  return false;
}

static bool unify_var(Typer *T, Type *v, Type *t) {
  if (!occur_adjust(T, v, t)) {
    if (!T->uerr.escaped && !T->uerr.ambiguous) {
      T->uerr.occ_var = v;
      T->uerr.occ_in = t;
    }
    return false;
  }
  link_var(T, v, t);
  return true;
}

static bool unify_struct(Typer *T, Type *a, Type *b) {
  if (a->kind != b->kind) return false;
  switch (a->kind) {
  case TY_ARROW:
    if (!ty_labels_compatible(T, a->label, b->label)) return false;
    if (!unify_rec(T, a->a, b->a) || !unify_rec(T, a->b, b->b)) return false;
    /* An arrow met by a known one is known. */
    if (a->commu_unknown != b->commu_unknown) a->commu_unknown = b->commu_unknown = false;
    return true;
  case TY_TUPLE:
    if (a->nargs != b->nargs) return false;
    for (int i = 0; i < a->nargs; i++)
      if (!unify_rec(T, a->args[i], b->args[i])) return false;
    return true;
  case TY_PACKAGE:
    if (!ty_same_package(a, b)) return false;
    for (int i = 0; i < a->nargs; i++)
      if (!unify_rec(T, a->args[i], b->args[i])) return false;
    return true;
  case TY_CONSTR:
    if (!ty_same_decl(a->decl, b->decl) || a->nargs != b->nargs) return false;
    for (int i = 0; i < a->nargs; i++)
      if (!unify_rec(T, a->args[i], b->args[i])) return false;
    return true;
  case TY_VARIANT: return ty_unify_row(T, a, b);
  case TY_VAR: break;
  }
  return false;
}

/* Whether a variable, bound or not, is reachable from t. */
static bool has_var(Type *t, unsigned mark) {
  if (t->kind == TY_VAR) return true;
  if (t->mark == mark) return false;
  t->mark = mark;
  if (t->kind == TY_ARROW) return has_var(t->a, mark) || has_var(t->b, mark);
  for (int i = 0; i < t->nargs; i++)
    if (has_var(t->args[i], mark)) return true;
  return false;
}

/* Under -rectypes, x (a node as found, its head expanded) is linked to
 * to (the other node, unexpanded) while their contents are unified, and
 * stays so when they unify, as OCaml's unify3 does: the two nodes become
 * one, so that cyclic types keep OCaml's shape (and print as OCaml's
 * do), and a cycle met again finds one node. A failure unlinks x, so that
 * the error shows the types as they were.
 * A node without variables is left alone: declarations and type schemes
 * hold such nodes, and their instances share them as they are (OCaml's
 * copy them, its declarations being generic throughout); linking one
 * would change every type that holds it. No cycle goes through such a
 * node, so its shape is never printed as an alias. */
static bool unify_struct_linked(Typer *T, Type *x, Type *y, Type *to) {
  if (x->kind == TY_VARIANT && y->kind == TY_VARIANT && x != to) {
    /* Two rows become one node (OCaml's link_type before unify_row):
     * the type then prints as one, and a cycle met again ends. A row
     * goes to the other row rather than to an abbreviation of it, so
     * that patterns find their rows without expanding. */
    if (to->kind != TY_VARIANT) to = y;
    link_var(T, x, to);
    bool ok = unify_struct(T, x, y);
    if (!ok) x->link = NULL;
    return ok;
  }
  if (!T->rectypes || x == to || !has_var(x, ty_new_mark(T))) return unify_struct(T, x, y);
  link_var(T, x, to);
  bool ok = unify_struct(T, x, y);
  if (!ok) x->link = NULL;
  return ok;
}

/* Pattern mode (the pattern of a GADT match): an abstract type that may
 * be refined meets another type, and an equation says they are equal
 * from now on in the case; two types that cannot be unified but may be
 * equal (mcomp) give no information and no error. a, b: heads,
 * expanded, not variables. */
static bool unify_pattern(Typer *T, Type *a, Type *b) {
  if (a->kind == TY_CONSTR && b->kind == TY_CONSTR && ty_same_decl(a->decl, b->decl))
    return unify_struct(T, a, b);
  bool ia = a->kind == TY_CONSTR && ty_gadt_instantiable(a->decl);
  bool ib = b->kind == TY_CONSTR && ty_gadt_instantiable(b->decl);
  if (ia && ib) {
    if (a->decl->scope > b->decl->scope) ty_gadt_add_eq(T, a->decl, b);
    else ty_gadt_add_eq(T, b->decl, a);
    return true;
  }
  if (ia || ib) {
    Type *src = ia ? a : b, *dst = ia ? b : a;
    if (!ty_gadt_reify(T, dst)) return false;
    ty_gadt_add_eq(T, src->decl, dst);
    return true;
  }
  if (a->kind == TY_CONSTR || b->kind == TY_CONSTR) {
    if (!ty_gadt_reify(T, a) || !ty_gadt_reify(T, b)) return false;
    return ty_gadt_compatible(T, a, b, 0);
  }
  return unify_struct(T, a, b);
}

/* The level of the variable a0 is, when it is one that stands for a
 * type already, else none. */
static int var_level(Type *a0) {
  return a0->kind == TY_VAR && a0->link && a0->level != TY_GENERIC_LEVEL ? a0->level : TY_GENERIC_LEVEL;
}

/* Two heads met, one of them (or both) the expansion of a GADT equation,
 * the other what a variable older than the equation stands for: that
 * variable would be made the equation's type, ambiguous outside its
 * scope (OCaml's update_level and update_scope on the nodes unify2
 * meets; natml's nodes without variables are shared and have no level
 * of their own, so the variables decide). */
static bool scopes_agree(Typer *T, Type *a0, Type *b0, Type *ea, Type *eb) {
  if (eb->scope > var_level(a0)) {
    T->uerr.ambiguous = eb;
    return false;
  }
  if (ea->scope > var_level(b0)) {
    T->uerr.ambiguous = ea;
    return false;
  }
  return true;
}
bool ty_unify_rec(Typer *T, Type *a, Type *b) { return unify_rec(T, a, b); }

static bool unify_rec(Typer *T, Type *a0, Type *b0) {
  Type *a = ty_repr(a0), *b = ty_repr(b0);
  if (a == b) return true;
  bool ok;
  Type *ea = a, *eb = b;
  if (a->kind == TY_VAR && b->kind == TY_VAR) {
    /* a goes to b, as in OCaml, even when a is a session (weak) variable
     * and b a phrase one: the trail undoes it on rollback, and the weak
     * variable's name goes with the node it was given to ('_weakN names
     * then change as OCaml's do). */
    if (a->level < b->level) set_level(T, b, a->level);
    if (!b->name && a->name && !b->session) {
      if (T->trail_all) trail_push(T, b);
      b->name = a->name;
    }
    link_var(T, a, b);
    return true;
  }
  if (a->kind == TY_VAR) ok = unify_var(T, a, b);
  else if (b->kind == TY_VAR) ok = unify_var(T, b, a);
  else if (T->rectypes && unify_seen(T, a, b)) return true;
  else if (a->kind == TY_CONSTR && b->kind == TY_CONSTR && ty_same_decl(a->decl, b->decl))
    ok = unify_struct_linked(T, a, b, b);
  else {
    ea = ty_expand_head(T, a);
    eb = ty_expand_head(T, b);
    if (ea->kind == TY_VAR || eb->kind == TY_VAR) ok = unify_rec(T, ea, eb);
    else if (T->rectypes && (ea != a || eb != b) && unify_seen(T, ea, eb)) ok = true;
    else if (T->gadt_lev) ok = unify_pattern(T, ea, eb);
    else ok = scopes_agree(T, a0, b0, ea, eb) && unify_struct_linked(T, ea, eb, b);
  }
  if (!ok) {
    /* The trace shows expansions (OCaml's expand_trace), also of a type a
     * variable could not take (escape, ambiguity). */
    if (ea == a) ea = ty_expand_head(T, a);
    if (eb == b) eb = ty_expand_head(T, b);
    trace_push(T, a, ea, b, eb);
  }
  return ok;
}

bool ty_unifiable(Typer *T, Type *a, Type *b) {
  UnifyErr saved = T->uerr;
  T->uerr = (UnifyErr){0};
  int mark = T->ntrail, eqs = T->neqs;
  bool was = T->trail_all;
  T->trail_all = true;
  bool ok = ty_unify(T, a, b);
  ty_trail_undo(T, mark);
  ty_gadt_undo(T, eqs);
  T->trail_all = was;
  T->uerr = saved;
  return ok;
}

bool ty_unify(Typer *T, Type *a, Type *b) {
  T->nupairs = 0;
  T->uerr.npairs = 0;
  T->uerr.occ_var = T->uerr.occ_in = NULL;
  T->uerr.escaped = NULL;
  T->uerr.ambiguous = NULL;
  T->uerr.row_err = ROWERR_NONE;
  if (unify_rec(T, a, b)) return true;
  /* Pairs were pushed innermost first: reverse to outermost first. */
  UnifyErr *u = &T->uerr;
  if (u->row_err) {
    /* The pairs below a row mismatch are not shown: it explains. */
    memmove(u->pairs, u->pairs + u->row_inner, sizeof(TracePair) * (size_t)(u->npairs - u->row_inner));
    u->npairs -= u->row_inner;
  }
  for (int i = 0, j = u->npairs - 1; i < j; i++, j--) {
    TracePair p = u->pairs[i];
    u->pairs[i] = u->pairs[j];
    u->pairs[j] = p;
  }
  return false;
}

/* ---- Generalization --------------------------------------------------------- */

void ty_begin_def(Typer *T) { T->level++; }
void ty_end_def(Typer *T) { T->level--; }

/* Generalizes the variables of t above T->level and marks the compound
 * nodes that hold one; *grew says whether some compound node was newly
 * marked. A node met again in the same walk answers what is known of it
 * so far, which on a cycle may be too little: ty_generalize then walks
 * again until nothing changes. */
typedef struct GenArg {
  unsigned mark;
  bool *grew, any;
} GenArg;
static bool generalize_rec(Typer *T, Type *t, unsigned mark, bool *grew);
static void generalize_row_item(Typer *T, Type *t, void *arg) {
  GenArg *g = arg;
  g->any |= generalize_rec(T, t, g->mark, g->grew);
}

static bool generalize_rec(Typer *T, Type *t, unsigned mark, bool *grew) {
  t = ty_repr(t);
  if (t->session || t->mark == mark) return t->level == TY_GENERIC_LEVEL;
  t->mark = mark;
  switch (t->kind) {
  case TY_VAR:
    if (t->level > T->level && t->level != TY_GENERIC_LEVEL) t->level = TY_GENERIC_LEVEL;
    return t->level == TY_GENERIC_LEVEL;
  case TY_ARROW: {
    bool x = generalize_rec(T, t->a, mark, grew);
    bool y = generalize_rec(T, t->b, mark, grew);
    if ((x || y) && t->level != TY_GENERIC_LEVEL) {
      t->level = TY_GENERIC_LEVEL;
      *grew = true;
    }
    break;
  }
  case TY_VARIANT: {
    GenArg g = {mark, grew, false};
    ty_row_iter(T, t, generalize_row_item, &g);
    if (g.any && t->level != TY_GENERIC_LEVEL) {
      t->level = TY_GENERIC_LEVEL;
      *grew = true;
    }
    break;
  }
  case TY_TUPLE:
  case TY_CONSTR:
  case TY_PACKAGE: {
    bool any = false;
    for (int i = 0; i < t->nargs; i++) any |= generalize_rec(T, t->args[i], mark, grew);
    if (any && t->level != TY_GENERIC_LEVEL) {
      t->level = TY_GENERIC_LEVEL;
      *grew = true;
    }
    break;
  }
  }
  return t->level == TY_GENERIC_LEVEL;
}

static void generalize_structure_item(Typer *T, Type *t, void *arg) {
  (void)arg;
  ty_generalize_structure(T, t);
}

void ty_generalize_structure(Typer *T, Type *t) {
  if (t->kind == TY_VAR || t->session || t->level == TY_GENERIC_LEVEL) return;
  t->level = TY_GENERIC_LEVEL;
  if (t->kind == TY_VARIANT) {
    /* The row variable is the row's structure too: instances copy it. */
    RowDesc *r = ty_row_flatten(T, t);
    Type *m = ty_repr(r->more);
    if (!m->session && m->level != TY_GENERIC_LEVEL && m->level > T->level) m->level = TY_GENERIC_LEVEL;
    ty_row_iter(T, t, generalize_structure_item, NULL);
  } else if (t->kind == TY_ARROW) {
    ty_generalize_structure(T, t->a);
    ty_generalize_structure(T, t->b);
  } else {
    for (int i = 0; i < t->nargs; i++) ty_generalize_structure(T, t->args[i]);
  }
}

void ty_generalize(Typer *T, Type *t) {
  bool grew;
  do {
    grew = false;
    generalize_rec(T, t, ty_new_mark(T), &grew);
  } while (T->rectypes && grew);
}

typedef struct LimitArg {
  int level;
  unsigned mark;
} LimitArg;
static void limit_row_item(Typer *T, Type *t, void *arg) {
  LimitArg *l = arg;
  limit_rec(T, t, l->level, l->mark);
}

static void limit_rec(Typer *T, Type *t, int level, unsigned mark) {
  t = ty_repr(t);
  if (t->mark == mark) return;
  t->mark = mark;
  switch (t->kind) {
  case TY_VARIANT: {
    LimitArg l = {level, mark};
    ty_row_iter(T, t, limit_row_item, &l);
    return;
  }
  case TY_VAR:
    if (t->level > level && t->level != TY_GENERIC_LEVEL) set_level(T, t, level);
    return;
  case TY_ARROW:
    limit_rec(T, t->a, level, mark);
    limit_rec(T, t->b, level, mark);
    return;
  case TY_TUPLE:
  case TY_CONSTR:
  case TY_PACKAGE:
    for (int i = 0; i < t->nargs; i++) limit_rec(T, t->args[i], level, mark);
    return;
  }
}

void ty_limit_level(Typer *T, Type *t, int level) { limit_rec(T, t, level, ty_new_mark(T)); }

/* seen (-rectypes only): the nodes already walked, as OCaml's visited
 * table. It cannot be marks: ty_limit_level marks nodes inside this walk. */
static void expansive_rec(Typer *T, Type *t, CopyMap *seen);
static void expansive_row_item(Typer *T, Type *t, void *arg) { expansive_rec(T, t, arg); }

static void expansive_rec(Typer *T, Type *t, CopyMap *seen) {
  t = ty_repr(t);
  if (t->kind == TY_VARIANT && !seen) seen = ty_copymap_new(T); /* rows may be cyclic */
  if (seen) {
    if (ty_copymap_get(seen, t)) return;
    ty_copymap_put(seen, t, t);
  }
  switch (t->kind) {
  case TY_VAR: return;
  case TY_VARIANT: ty_row_iter(T, t, expansive_row_item, seen); return;
  case TY_ARROW:
    ty_limit_level(T, t->a, T->level);
    expansive_rec(T, t->b, seen);
    return;
  case TY_TUPLE:
    for (int i = 0; i < t->nargs; i++) expansive_rec(T, t->args[i], seen);
    return;
  case TY_PACKAGE: /* invariant */
    for (int i = 0; i < t->nargs; i++) ty_limit_level(T, t->args[i], T->level);
    return;
  case TY_CONSTR:
    for (int i = 0; i < t->nargs; i++) {
      if (ty_param_covariant(t->decl, i)) expansive_rec(T, t->args[i], seen);
      else ty_limit_level(T, t->args[i], T->level);
    }
    return;
  }
}

void ty_generalize_expansive(Typer *T, Type *t) {
  expansive_rec(T, t, T->rectypes ? ty_copymap_new(T) : NULL);
}

/* ---- Variance ------------------------------------------------------------------ */

enum { V_CO = 1, V_CONTRA = 2, V_INV = 4 };

/* seen (-rectypes only): the polarities each node was already walked
 * with, so that a cyclic type is walked once per polarity. */
typedef struct VarArg {
  TypeDecl *d;
  int pol;
  CopyMap *seen;
} VarArg;
static void variance_walk(Typer *T, TypeDecl *d, Type *t, int pol, CopyMap *seen);
static void variance_row_item(Typer *T, Type *t, void *arg) {
  VarArg *v = arg;
  variance_walk(T, v->d, t, v->pol, v->seen);
}

static void variance_walk(Typer *T, TypeDecl *d, Type *t, int pol, CopyMap *seen) {
  t = ty_repr(t);
  if (t->kind == TY_VARIANT && !seen) seen = ty_copymap_new(T); /* rows may be cyclic */
  if (seen) {
    uintptr_t pols = (uintptr_t)ty_copymap_get(seen, t);
    if (pols & (uintptr_t)(1 << pol)) return;
    ty_copymap_put(seen, t, (void *)(pols | (uintptr_t)(1 << pol)));
  }
  /* A parameter a constraint made a type (`constraint 'a = [> ...]`)
   * is used wherever that type is. */
  if (t->kind != TY_VAR)
    for (int i = 0; i < d->nparams; i++)
      if (ty_repr(d->params[i]) == t) d->variance[i] |= (unsigned char)pol;
  switch (t->kind) {
  case TY_VAR:
    for (int i = 0; i < d->nparams; i++)
      if (ty_repr(d->params[i]) == t) d->variance[i] |= (unsigned char)pol;
    return;
  case TY_ARROW: {
    int flip = pol == V_CO ? V_CONTRA : pol == V_CONTRA ? V_CO : V_INV;
    variance_walk(T, d, t->a, flip, seen);
    variance_walk(T, d, t->b, pol, seen);
    return;
  }
  case TY_TUPLE:
    for (int i = 0; i < t->nargs; i++) variance_walk(T, d, t->args[i], pol, seen);
    return;
  case TY_PACKAGE:
    for (int i = 0; i < t->nargs; i++) variance_walk(T, d, t->args[i], V_INV, seen);
    return;
  case TY_VARIANT: {
    /* A row that may still grow or shrink is invariant in its fields
     * (OCaml's compute_variance: only a static row is covariant). */
    RowDesc *r = ty_row_flatten(T, t);
    VarArg v = {d, ty_row_static(T, r) ? pol : V_INV, seen};
    ty_row_iter(T, t, variance_row_item, &v);
    return;
  }
  case TY_CONSTR:
    for (int i = 0; i < t->nargs; i++) {
      int p = pol;
      TypeDecl *e = t->decl;
      if (!e->variance_busy && !ty_same_decl(e, d)) {
        bool co = ty_param_covariant(e, i);
        if (!co) {
          unsigned char v = e->variance ? e->variance[i] : V_INV;
          p = (v & V_INV) || v == (V_CO | V_CONTRA) ? V_INV
              : (v & V_CONTRA)                      ? (pol == V_CO       ? V_CONTRA
                                                       : pol == V_CONTRA ? V_CO
                                                                         : V_INV)
                                                    : pol;
        }
      }
      variance_walk(T, d, t->args[i], p, seen);
    }
    return;
  }
}

bool ty_param_covariant(TypeDecl *d, int i) {
  if (!d->variance) {
    /* Predefined covariant constructors; anything else without computed
     * variances (abstract types) is invariant, as in OCaml. */
    return d->builtin == TYB_LIST || d->builtin == TYB_OPTION || d->builtin == TYB_LAZY;
  }
  return !(d->variance[i] & (V_CONTRA | V_INV));
}

void ty_compute_variance(Typer *T, TypeDecl *d) {
  d->variance = ARENA_ARRAY(T->arena, unsigned char, d->nparams + 1);
  if (d->kind == TD_ABSTRACT && !d->manifest) {
    for (int i = 0; i < d->nparams; i++) d->variance[i] = V_INV;
    return;
  }
  d->variance_busy = true;
  CopyMap *seen = T->rectypes ? ty_copymap_new(T) : NULL;
  if (d->manifest) variance_walk(T, d, d->manifest, V_CO, seen);
  for (int c = 0; c < d->nconstrs; c++)
    for (int a = 0; a < d->constrs[c]->nargs; a++) variance_walk(T, d, d->constrs[c]->args[a], V_CO, seen);
  for (int f = 0; f < d->nfields; f++)
    variance_walk(T, d, d->fields[f]->ty, d->fields[f]->mutable_ ? V_INV : V_CO, seen);
  /* A GADT's parameters are constrained by its constructors' results:
   * taken as invariant. */
  for (int c = 0; c < d->nconstrs; c++)
    if (d->constrs[c]->gadt)
      for (int i = 0; i < d->nparams; i++) d->variance[i] = V_INV;
  d->variance_busy = false;
}

/* ---- Copy into the session arena --------------------------------------------- */

struct CopyMap {
  const void **keys;
  void **vals;
  int n, cap; /* cap is a power of two */
  Arena *a;
};

CopyMap *ty_copymap_new(Typer *T) {
  CopyMap *m = ARENA_NEW(T->arena, CopyMap);
  m->a = T->arena;
  m->cap = 64;
  m->keys = ARENA_ARRAY(m->a, const void *, m->cap);
  m->vals = ARENA_ARRAY(m->a, void *, m->cap);
  return m;
}

static unsigned ptr_hash(const void *p) {
  unsigned long long x = (unsigned long long)(size_t)p;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return (unsigned)x;
}

void *ty_copymap_get(CopyMap *m, const void *key) {
  for (unsigned i = ptr_hash(key) & (unsigned)(m->cap - 1);; i = (i + 1) & (unsigned)(m->cap - 1)) {
    if (!m->keys[i]) return NULL;
    if (m->keys[i] == key) return m->vals[i];
  }
}

void ty_copymap_put(CopyMap *m, const void *key, void *val) {
  if (2 * (m->n + 1) > m->cap) {
    CopyMap old = *m;
    m->cap *= 2;
    m->n = 0;
    m->keys = ARENA_ARRAY(m->a, const void *, m->cap);
    m->vals = ARENA_ARRAY(m->a, void *, m->cap);
    for (int i = 0; i < old.cap; i++)
      if (old.keys[i]) ty_copymap_put(m, old.keys[i], old.vals[i]);
  }
  unsigned i = ptr_hash(key) & (unsigned)(m->cap - 1);
  while (m->keys[i] && m->keys[i] != key) i = (i + 1) & (unsigned)(m->cap - 1);
  if (!m->keys[i]) m->n++;
  m->keys[i] = key;
  m->vals[i] = val;
}

Type *ty_copy_to_session(Typer *T, CopyMap *m, Type *t) {
  t = ty_repr(t);
  if (t->session) return t;
  Type *c = ty_copymap_get(m, t);
  if (c) return c;
  c = ARENA_NEW(T->perm, Type);
  *c = *t;
  c->session = true;
  ty_copymap_put(m, t, c);
  switch (t->kind) {
  case TY_VAR:
    /* A variable that survives a phrase without being generalized is a
     * weak one: level 0 keeps later phrases from generalizing it. */
    if (c->level != TY_GENERIC_LEVEL) c->level = 0;
    if (t->name) c->name = arena_strdup(T->perm, t->name);
    if (t->decl) c->decl = ty_copy_decl(T, m, t->decl);
    c->link = NULL;
    break;
  case TY_ARROW:
    if (t->label.name) c->label.name = arena_strdup(T->perm, t->label.name);
    c->a = ty_copy_to_session(T, m, t->a);
    c->b = ty_copy_to_session(T, m, t->b);
    break;
  case TY_VARIANT: c->row = ty_copy_row_to_session(T, m, t->row); break;
  case TY_CONSTR:
    c->decl = ty_copy_decl(T, m, t->decl);
    c->path = arena_strdup(T->perm, t->path);
    /* fallthrough */
  case TY_PACKAGE:
    if (t->kind == TY_PACKAGE) {
      c->pkg = ty_copy_module(T, m, t->pkg);
      c->path = arena_strdup(T->perm, t->path);
      c->pkg_names = t->nargs ? ARENA_ARRAY(T->perm, const char *, t->nargs) : NULL;
      for (int i = 0; i < t->nargs; i++) c->pkg_names[i] = arena_strdup(T->perm, t->pkg_names[i]);
    }
    /* fallthrough */
  case TY_TUPLE:
    c->args = t->nargs ? ARENA_ARRAY(T->perm, Type *, t->nargs) : NULL;
    for (int i = 0; i < t->nargs; i++) c->args[i] = ty_copy_to_session(T, m, t->args[i]);
    break;
  }
  return c;
}

/* Undoes the trail down to mark (rollback), newest change first. */
void ty_trail_undo(Typer *T, int mark) {
  while (T->ntrail > mark) {
    TrailEntry *e = &T->trail[--T->ntrail];
    if (e->field) {
      e->field->link = e->old_flink;
      continue;
    }
    e->var->link = e->old_link;
    e->var->level = e->old_level;
    e->var->name = e->old_name;
  }
}

/* Copies the new links of trailed session variables into the session
 * arena (commit), then forgets the trail. */
void ty_trail_commit(Typer *T, CopyMap *m) {
  for (int i = 0; i < T->ntrail; i++) {
    RowField *f = T->trail[i].field;
    if (f) {
      if (f->link && !f->link->session) f->link = ty_copy_field_to_session(T, m, f->link);
      continue;
    }
    Type *v = T->trail[i].var;
    if (v->link && !v->link->session) v->link = ty_copy_to_session(T, m, v->link);
    if (v->level > 0 && v->level != TY_GENERIC_LEVEL) v->level = 0;
  }
  T->ntrail = 0;
}

/* ---- Matching (Ctype.moregeneral) ------------------------------------------- */

/* The bindings of a scheme's generic variables during ty_moregeneral. */
typedef struct MatchMap {
  Type **from, **to;
  int n, cap;
  /* -rectypes: the pairs of nodes already being matched, three entries
   * a pair (p, t, and whether p's variables may be bound): a pair met
   * again holds, as in unification (see unify_seen). */
  Type **seen;
  int nseen, cseen;
} MatchMap;

static bool match_types(Typer *T, MatchMap *m, bool bind, Type *p, Type *t, int depth);

static bool match_seen(Typer *T, MatchMap *m, bool bind, Type *p, Type *t) {
  for (int i = 0; i < m->nseen; i += 3)
    if (same_node(m->seen[i], p) && same_node(m->seen[i + 1], t) && (m->seen[i + 2] != NULL) == bind)
      return true;
  if (m->nseen + 3 > m->cseen) {
    int cap = m->cseen ? 2 * m->cseen : 48;
    Type **n = ARENA_ARRAY(T->arena, Type *, cap);
    if (m->nseen) memcpy(n, m->seen, sizeof *n * (size_t)m->nseen);
    m->seen = n;
    m->cseen = cap;
  }
  m->seen[m->nseen++] = p;
  m->seen[m->nseen++] = t;
  m->seen[m->nseen++] = bind ? p : NULL;
  return false;
}

/* A bound variable must stand for the same type at each occurrence. */
static bool match_var(Typer *T, MatchMap *m, Type *p, Type *t, int depth) {
  for (int i = 0; i < m->n; i++)
    if (m->from[i] == p) return match_types(T, m, false, m->to[i], t, depth + 1);
  if (m->n == m->cap) {
    int cap = m->cap ? 2 * m->cap : 8;
    Type **from = ARENA_ARRAY(T->arena, Type *, cap), **to = ARENA_ARRAY(T->arena, Type *, cap);
    if (m->n) {
      memcpy(from, m->from, sizeof *from * (size_t)m->n);
      memcpy(to, m->to, sizeof *to * (size_t)m->n);
    }
    m->from = from;
    m->to = to;
    m->cap = cap;
  }
  m->from[m->n] = p;
  m->to[m->n++] = t;
  return true;
}

static bool match_fields(Typer *T, MatchMap *m, bool bind, bool may_inst, RfView *a, RfView *b, int depth) {
  if (a->last == b->last) return true;
  if (a->kind == RF_PRESENT && b->kind == RF_PRESENT)
    return a->nargs == b->nargs &&
           (a->nargs == 0 || match_types(T, m, bind, a->args[0], b->args[0], depth + 1));
  if (a->kind == RF_EITHER && b->kind == RF_PRESENT && may_inst) {
    if (b->nargs == 0) return a->constant && a->nargs == 0;
    if (a->constant) return false;
    for (int i = 0; i < a->nargs; i++)
      if (!match_types(T, m, bind, a->args[i], b->args[0], depth + 1)) return false;
    return true;
  }
  if (a->kind == RF_EITHER && b->kind == RF_EITHER) {
    if (a->constant && !b->constant) return false;
    if (a->nargs == b->nargs) {
      for (int i = 0; i < a->nargs; i++)
        if (!match_types(T, m, bind, a->args[i], b->args[i], depth + 1)) return false;
      return true;
    }
    if (b->nargs == 0) return a->nargs == 0;
    for (int i = 0; i < a->nargs; i++)
      if (!match_types(T, m, bind, a->args[i], b->args[0], depth + 1)) return false;
    return true;
  }
  if (a->kind == RF_EITHER && b->kind == RF_ABSENT) return may_inst;
  return a->kind == RF_ABSENT && b->kind == RF_ABSENT;
}

/* OCaml's moregen_row, reading the rows without settling their fields:
 * p's row may stand for t's when its row variable may be bound and it
 * has no tag that t's lacks, or both rows are the same. */
static bool match_rows(Typer *T, MatchMap *m, bool bind, Type *p, Type *t, int depth) {
  RowDesc *r1 = ty_row_flatten(T, p), *r2 = ty_row_flatten(T, t);
  Type *rm1 = ty_repr(r1->more), *rm2 = ty_repr(r2->more);
  if (rm1 == rm2) return true;
  bool may_inst = bind && rm1->kind == TY_VAR && rm1->level == TY_GENERIC_LEVEL && !r1->fixed;
  int extra2 = 0;
  for (int i = 0; i < r1->n; i++) {
    if (ty_row_field(r2, r1->tags[i])) continue;
    RfView v;
    ty_rf_view(T, r1->fields[i], &v);
    if (r2->closed && (v.kind == RF_ABSENT || (v.kind == RF_EITHER && may_inst))) continue;
    return false;
  }
  for (int i = 0; i < r2->n; i++) {
    if (ty_row_field(r1, r2->tags[i])) continue;
    RfView v;
    ty_rf_view(T, r2->fields[i], &v);
    if (r2->closed && v.kind == RF_ABSENT) continue;
    extra2++;
  }
  if (r1->closed && (!r2->closed || extra2)) return false;
  if (!ty_row_static(T, r1)) {
    if (!may_inst) return false;
    if (!match_var(T, m, rm1, rm2, depth)) return false;
  }
  for (int i = 0; i < r1->n; i++) {
    RowField *g = ty_row_field(r2, r1->tags[i]);
    if (!g) continue;
    RfView a, b;
    ty_rf_view(T, r1->fields[i], &a);
    ty_rf_view(T, g, &b);
    if (!match_fields(T, m, bind, may_inst, &a, &b, depth)) return false;
  }
  return true;
}

/* With bind, p's generic variables may be bound (in m); without, p's
 * variables too stand for themselves. t's variables stand for
 * themselves. Abbreviations expand on either side when heads differ. */
static bool match_types(Typer *T, MatchMap *m, bool bind, Type *p, Type *t, int depth) {
  if (depth > 1000) return false; /* a non-regular expansion: no match */
  p = ty_repr(p);
  t = ty_repr(t);
  if (p == t) return true;
  if (bind && p->kind == TY_VAR && p->level == TY_GENERIC_LEVEL) return match_var(T, m, p, t, depth);
  if (T->rectypes && p->kind != TY_VAR && t->kind != TY_VAR && match_seen(T, m, bind, p, t)) return true;
  if (p->kind == TY_CONSTR && t->kind == TY_CONSTR && ty_same_decl(p->decl, t->decl) &&
      p->nargs == t->nargs) {
    for (int i = 0; i < p->nargs; i++)
      if (!match_types(T, m, bind, p->args[i], t->args[i], depth + 1)) return false;
    return true;
  }
  if (p->kind == TY_CONSTR || t->kind == TY_CONSTR) {
    Type *e = p->kind == TY_CONSTR ? ty_expand_once(T, p) : NULL;
    if (e) return match_types(T, m, bind, e, t, depth + 1);
    e = t->kind == TY_CONSTR ? ty_expand_once(T, t) : NULL;
    return e && match_types(T, m, bind, p, e, depth + 1);
  }
  if (p->kind != t->kind) return false;
  switch (p->kind) {
  case TY_VARIANT: return match_rows(T, m, bind, p, t, depth);
  case TY_ARROW:
    return ty_labels_compatible(T, p->label, t->label) && match_types(T, m, bind, p->a, t->a, depth + 1) &&
           match_types(T, m, bind, p->b, t->b, depth + 1);
  case TY_PACKAGE:
    if (!ty_same_package(p, t)) return false;
    /* fallthrough */
  case TY_TUPLE:
    if (p->nargs != t->nargs) return false;
    for (int i = 0; i < p->nargs; i++)
      if (!match_types(T, m, bind, p->args[i], t->args[i], depth + 1)) return false;
    return true;
  default: return false; /* distinct variables */
  }
}

bool ty_moregeneral(Typer *T, Type *scheme, Type *ty) {
  MatchMap m = {0};
  return match_types(T, &m, true, scheme, ty, 0);
}
