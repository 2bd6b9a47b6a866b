/* ty_decl_check.c — the checks a group of type declarations passes once
 * its types are built (ty_type_decls in ty_decl.c), after OCaml's
 * typedecl.ml: every abbreviation is well-founded (check_well_founded:
 * `type t = t` is cyclic; `type t = t list` is cyclic too, unless
 * -rectypes lets a recursive type go through a datatype, an arrow or a
 * tuple), and a recursive abbreviation is regular (check_recursion:
 * `type 'a t = 'a list t list` is refused, so that expanding such types
 * stays finite, which unification of cyclic types relies on).
 *
 * The well-foundedness walk follows OCaml's closely, down to the order in
 * which it meets nodes, because that decides which of OCaml's messages a
 * bad group gets: "The type abbreviation t is cyclic" or "The definition
 * of t contains a cycle: u". OCaml's expansions are memoised in the
 * nodes they expand, and expanding t's body turns the occurrences of t
 * inside it back into the node being expanded; Expander does both. */
#include <string.h>

#include "typecheck.h"

/* ---- Expansions as OCaml memoises them ------------------------------------ */

/* The abbreviations being expanded above a node: an occurrence of one of
 * them in a body being copied is that node (OCaml's Tlink to the
 * memorised abbreviation). */
typedef struct Chain {
  TypeDecl *decl;
  Type *node;
  const struct Chain *up;
} Chain;

/* Its maps are made on the first expansion: most declarations (those of
 * the standard library too, typed at start-up) expand nothing. */
typedef struct Expander {
  Typer *T;
  CopyMap *expansion; /* node -> its expansion */
  CopyMap *chain;     /* node made by an expansion -> the Chain it was made under */
} Expander;

static Expander expander(Typer *T) { return (Expander){T, NULL, NULL}; }

typedef struct BodyCopy {
  Expander *x;
  TypeDecl *d;
  Type **args;
  const Chain *chain;
  CopyMap *done; /* body node -> copy (bodies may share nodes, or be cyclic) */
} BodyCopy;

static Type *copy_body(BodyCopy *c, Type *t) {
  Typer *T = c->x->T;
  t = ty_repr(t);
  if (t->kind == TY_VAR) {
    for (int i = 0; i < c->d->nparams; i++)
      if (ty_repr(c->d->params[i]) == t) return c->args[i];
    return t;
  }
  Type *done = ty_copymap_get(c->done, t);
  if (done) return done;
  if (t->kind == TY_CONSTR)
    for (const Chain *ch = c->chain; ch; ch = ch->up)
      if (ty_same_decl(ch->decl, t->decl)) return ch->node;
  Type *n = ARENA_NEW(T->arena, Type);
  *n = *t;
  n->id = ++T->next_type_id;
  n->session = false;
  n->mark = 0;
  ty_copymap_put(c->done, t, n);
  if (t->kind == TY_ARROW) {
    n->a = copy_body(c, t->a);
    n->b = copy_body(c, t->b);
  } else {
    n->args = ARENA_ARRAY(T->arena, Type *, t->nargs + 1);
    for (int i = 0; i < t->nargs; i++) n->args[i] = copy_body(c, t->args[i]);
  }
  if (n->kind == TY_CONSTR) ty_copymap_put(c->x->chain, n, (void *)c->chain);
  return n;
}

/* t's expansion, made once (OCaml's try_expand_once), or NULL when t is
 * no abbreviation. */
static Type *expand(Expander *x, Type *t) {
  t = ty_repr(t);
  if (t->kind != TY_CONSTR || !t->decl->manifest) return NULL;
  if (!x->expansion) {
    x->expansion = ty_copymap_new(x->T);
    x->chain = ty_copymap_new(x->T);
  }
  Type *e = ty_copymap_get(x->expansion, t);
  if (e) return e;
  Chain *ch = ARENA_NEW(x->T->arena, Chain);
  *ch = (Chain){t->decl, t, ty_copymap_get(x->chain, t)};
  BodyCopy c = {x, t->decl, t->args, ch, ty_copymap_new(x->T)};
  e = copy_body(&c, t->decl->manifest);
  ty_copymap_put(x->expansion, t, e);
  return e;
}

/* ---- Sets of nodes ------------------------------------------------------------ */

typedef struct NodeSet {
  Type **items;
  int n;
} NodeSet;

static bool set_has(NodeSet s, const Type *t) {
  for (int i = 0; i < s.n; i++)
    if (s.items[i] == t) return true;
  return false;
}

static NodeSet set_add(Typer *T, NodeSet s, Type *t) {
  if (set_has(s, t)) return s;
  NodeSet r = {ARENA_ARRAY(T->arena, Type *, s.n + 1), s.n + 1};
  if (s.n) memcpy(r.items, s.items, sizeof(Type *) * (size_t)s.n);
  r.items[s.n] = t;
  return r;
}

static bool set_subset(NodeSet a, NodeSet b) {
  for (int i = 0; i < a.n; i++)
    if (!set_has(b, a.items[i])) return false;
  return true;
}

static NodeSet set_union(Typer *T, NodeSet a, NodeSet b) {
  for (int i = 0; i < b.n; i++) a = set_add(T, a, b.items[i]);
  return a;
}

/* ---- Well-founded abbreviations (Typedecl.check_well_founded) ------------- */

typedef struct WfCheck {
  Typer *T;
  Expander *x;
  TypeDecl *self;   /* the declaration being checked */
  TypeDecl **group; /* the declarations whose expansions the walk follows */
  int ngroup;
  Type **visited;    /* the nodes walked, each with the parents it was */
  NodeSet *vparents; /* walked under; the latest entry of a node counts */
  int nvisited, cvisited;
} WfCheck;

/* A cycle found: in `self` itself, or through the node ty0. */
typedef struct WfError {
  Type *ty0;
} WfError;

static bool to_check(WfCheck *w, TypeDecl *d) {
  for (int i = 0; i < w->ngroup; i++)
    if (ty_same_decl(w->group[i], d)) return true;
  return false;
}

static NodeSet *visited_find(WfCheck *w, Type *t) {
  for (int i = w->nvisited - 1; i >= 0; i--)
    if (w->visited[i] == t) return &w->vparents[i];
  return NULL;
}

static void visited_push(WfCheck *w, Type *t, NodeSet parents) {
  if (w->nvisited == w->cvisited) {
    int cap = w->cvisited ? w->cvisited * 2 : 32;
    Type **v = ARENA_ARRAY(w->T->arena, Type *, cap);
    NodeSet *p = ARENA_ARRAY(w->T->arena, NodeSet, cap);
    if (w->nvisited) {
      memcpy(v, w->visited, sizeof(Type *) * (size_t)w->nvisited);
      memcpy(p, w->vparents, sizeof(NodeSet) * (size_t)w->nvisited);
    }
    w->visited = v;
    w->vparents = p;
    w->cvisited = cap;
  }
  w->visited[w->nvisited] = t;
  w->vparents[w->nvisited++] = parents;
}

static WfError *wf_error(WfCheck *w, Type *ty0) {
  WfError *e = ARENA_NEW(w->T->arena, WfError);
  e->ty0 = ty0;
  return e;
}

static WfError *wf_children(WfCheck *w, Type *ty0, NodeSet parents, Type *ty);

/* parents: the nodes above ty that no type constructor able to carry a
 * recursive type separates from it; meeting one of them again is a
 * cycle. Returns the first cycle found, or NULL. */
static WfError *wf_walk(WfCheck *w, Type *ty0, NodeSet parents, Type *ty) {
  Typer *T = w->T;
  ty = ty_repr(ty);
  if (set_has(parents, ty)) return wf_error(w, ty0);
  NodeSet *prev = visited_find(w, ty);
  if (prev) {
    if (set_subset(parents, *prev)) return NULL;
    parents = set_union(T, parents, *prev);
  }
  bool rec_ok = ty->kind == TY_CONSTR ? T->rectypes && ty_decl_contractive(ty->decl) : T->rectypes;
  visited_push(w, ty, parents);
  int mark = w->nvisited;
  NodeSet below = rec_ok ? (NodeSet){0} : set_add(T, parents, ty);
  WfError *arg_err = wf_children(w, ty0, below, ty);
  /* What a failed walk below visited is forgotten, as OCaml's visited
   * table is reset when the exception comes up. */
  if (arg_err) w->nvisited = mark;
  if (ty->kind != TY_CONSTR || (!arg_err && !to_check(w, ty->decl))) return arg_err;
  if (to_check(w, ty->decl)) {
    if (arg_err) return arg_err;
  } else {
    WfError *e = wf_children(w, ty0, (NodeSet){0}, ty);
    if (e) return e;
  }
  Type *e = expand(w->x, ty);
  if (!e) return arg_err;
  return wf_walk(w, parents.n == 0 ? ty : ty0, set_add(T, parents, ty), e);
}

static WfError *wf_children(WfCheck *w, Type *ty0, NodeSet parents, Type *ty) {
  WfError *e = NULL;
  if (ty->kind == TY_ARROW) {
    e = wf_walk(w, ty0, parents, ty->a);
    if (!e) e = wf_walk(w, ty0, parents, ty->b);
  } else if (ty->kind != TY_VAR) {
    for (int i = 0; i < ty->nargs && !e; i++) e = wf_walk(w, ty0, parents, ty->args[i]);
  }
  return e;
}

typedef struct CycleMsg {
  Typer *T;
  const char *name;
  Type *ty;
} CycleMsg;

static void cycle_msg(Fmt *f, void *arg) {
  CycleMsg *m = arg;
  TyNames nm;
  ty_names_init(&nm, m->T, false);
  fmt_open_box(f, FMT_V, 0);
  fmt_printf(f, "The definition of %s contains a cycle:", m->name);
  fmt_space(f);
  ty_fmt_type(f, &nm, m->ty);
  fmt_close_box(f);
  ty_names_done(&nm);
}

/* How the messages name d: by its path once its module is known (a
 * recursive module's `A.t`), its name while its module is being typed. */
static const char *decl_name(const TypeDecl *d) { return d->path ? d->path : d->name; }

static void wf_report(WfCheck *w, WfError *e, Loc loc) {
  Type *ty0 = ty_repr(e->ty0);
  if (ty0->kind == TY_CONSTR && ty_same_decl(ty0->decl, w->self))
    ty_error_textf(w->T, loc, "The type abbreviation %s is cyclic", decl_name(w->self));
  CycleMsg m = {w->T, decl_name(w->self), ty0};
  ty_error_text(w->T, loc, ty_error_layout(w->T, cycle_msg, &m));
}

/* One walk from ty, as OCaml starts one per type of a declaration. */
static void wf_check(Typer *T, Expander *x, TypeDecl *self, TypeDecl **group, int ngroup, Type *ty, Loc loc) {
  WfCheck w = {T, x, self, group, ngroup, NULL, NULL, 0, 0};
  WfError *e = wf_walk(&w, ty, (NodeSet){0}, ty);
  if (e) wf_report(&w, e, loc);
}

/* The abbreviation itself: `d args` expanded must not come back to d
 * (Typedecl.check_well_founded_manifest). */
static void wf_manifest(Typer *T, TypeDecl *d, Loc loc) {
  if (!d->manifest) return;
  Type **args = ARENA_ARRAY(T->arena, Type *, d->nparams + 1);
  for (int i = 0; i < d->nparams; i++) args[i] = ty_new_var(T);
  Type *self = ty_new_constr(T, d, args, d->nparams, NULL);
  Expander x = expander(T);
  wf_check(T, &x, d, &d, 1, self, loc);
}

/* Every type of the declaration, through the group's abbreviations
 * (Typedecl.check_well_founded_decl). */
static void wf_decl(Typer *T, TypeDecl *d, TypeDecl **group, int n, Loc loc) {
  Expander x = expander(T);
  for (int i = 0; i < d->nparams; i++) wf_check(T, &x, d, group, n, d->params[i], loc);
  if (d->manifest) wf_check(T, &x, d, group, n, d->manifest, loc);
  for (int c = 0; c < d->nconstrs; c++)
    for (int a = 0; a < d->constrs[c]->nargs; a++) wf_check(T, &x, d, group, n, d->constrs[c]->args[a], loc);
  for (int f = 0; f < d->nfields; f++) wf_check(T, &x, d, group, n, d->fields[f]->ty, loc);
}

/* ---- Regular abbreviations (Typedecl.check_recursion) ------------------- */

/* Whether a and b are the same types, variables standing for themselves
 * (Ctype.is_equal without renaming). pairs: those already being compared,
 * taken as equal (cyclic types). */
static bool same_type(Type *a, Type *b, Type **pairs, int npairs) {
  a = ty_repr(a);
  b = ty_repr(b);
  if (a == b) return true;
  if (a->kind != b->kind || a->kind == TY_VAR) return false;
  for (int i = 0; i < npairs; i += 2)
    if (pairs[i] == a && pairs[i + 1] == b) return true;
  if (npairs >= 64) return false;
  Type *more[66];
  if (npairs) memcpy(more, pairs, sizeof(Type *) * (size_t)npairs);
  more[npairs] = a;
  more[npairs + 1] = b;
  if (a->kind == TY_ARROW)
    return same_type(a->a, b->a, more, npairs + 2) && same_type(a->b, b->b, more, npairs + 2);
  if (a->nargs != b->nargs || (a->kind == TY_CONSTR && !ty_same_decl(a->decl, b->decl))) return false;
  for (int i = 0; i < a->nargs; i++)
    if (!same_type(a->args[i], b->args[i], more, npairs + 2)) return false;
  return true;
}

typedef struct Expansion {
  Type *ty, *body;
  const struct Expansion *up; /* the one before */
} Expansion;

typedef struct RegCheck {
  Typer *T;
  TypeDecl *d; /* the declaration checked */
  Type **args; /* its parameters, fresh */
  TypeDecl **group;
  int ngroup;
  CopyMap *visited;
  Loc loc;
} RegCheck;

typedef struct RegMsg {
  Typer *T;
  TypeDecl *d;
  Type *used_as, *defined_as;
  const Expansion *exps;
} RegMsg;

/* The expansions in the order they were made: e is the last one. */
static void pr_expansions(Fmt *f, TyNames *nm, const Expansion *e) {
  if (!e) return;
  if (e->up) {
    pr_expansions(f, nm, e->up);
    fmt_string(f, ",");
    fmt_break(f, 1, 2);
  }
  ty_fmt_type(f, nm, e->ty);
  fmt_string(f, " = ");
  ty_fmt_type(f, nm, e->body);
}

static void regular_msg(Fmt *f, void *arg) {
  RegMsg *m = arg;
  TyNames nm;
  ty_names_init(&nm, m->T, false);
  ty_names_mark(&nm, m->used_as);
  ty_names_mark(&nm, m->defined_as);
  fmt_open_box(f, FMT_HV, 0);
  fmt_string(f, "This recursive type is not regular.");
  fmt_space(f);
  fmt_printf(f, "The type constructor %s is defined as", m->d->name);
  fmt_break(f, 1, 2);
  fmt_string(f, "type ");
  ty_fmt_type(f, &nm, m->defined_as);
  fmt_space(f);
  fmt_string(f, "but it is used as");
  fmt_break(f, 1, 2);
  ty_fmt_type(f, &nm, m->used_as);
  if (m->exps) {
    fmt_space(f);
    fmt_string(f, "after the following expansion(s):");
    fmt_break(f, 1, 2);
    pr_expansions(f, &nm, m->exps);
  } else {
    fmt_string(f, ".");
  }
  fmt_space(f);
  fmt_string(f, "All uses need to match the definition for the recursive type to be regular.");
  fmt_close_box(f);
  ty_names_done(&nm);
}

static bool in_group(RegCheck *r, TypeDecl *d) {
  for (int i = 0; i < r->ngroup; i++)
    if (ty_same_decl(r->group[i], d)) return true;
  return false;
}

/* expanded: the declarations whose expansion the walk is inside, which it
 * does not expand again (a non-regular one would go on forever). */
static void regular_walk(RegCheck *r, const Expansion *exps, TypeDecl **expanded, int nexpanded, Type *ty) {
  Typer *T = r->T;
  ty = ty_repr(ty);
  if (ty_copymap_get(r->visited, ty)) return;
  ty_copymap_put(r->visited, ty, ty);
  if (ty->kind == TY_ARROW) {
    regular_walk(r, exps, expanded, nexpanded, ty->a);
    regular_walk(r, exps, expanded, nexpanded, ty->b);
    return;
  }
  if (ty->kind == TY_CONSTR) {
    TypeDecl *p = ty->decl;
    if (ty_same_decl(p, r->d)) {
      bool same = true;
      for (int i = 0; i < ty->nargs && same; i++) same = same_type(r->args[i], ty->args[i], NULL, 0);
      if (!same) {
        RegMsg m = {T, r->d, ty, ty_new_constr(T, r->d, r->args, r->d->nparams, NULL), exps};
        ty_error_text(T, r->loc, ty_error_layout(T, regular_msg, &m));
      }
    } else if (p->manifest && in_group(r, p)) {
      bool seen = false;
      for (int i = 0; i < nexpanded; i++) seen |= ty_same_decl(expanded[i], p);
      if (!seen) {
        Type *body = ty_subst_params(T, p, ty->args, p->manifest);
        TypeDecl **more = ARENA_ARRAY(T->arena, TypeDecl *, nexpanded + 1);
        if (nexpanded) memcpy(more, expanded, sizeof(TypeDecl *) * (size_t)nexpanded);
        more[nexpanded] = p;
        Expansion e = {ty, body, exps};
        regular_walk(r, &e, more, nexpanded + 1, body);
      }
    }
  }
  for (int i = 0; ty->kind != TY_ARROW && ty->kind != TY_VAR && i < ty->nargs; i++)
    regular_walk(r, exps, expanded, nexpanded, ty->args[i]);
}

static void regular(Typer *T, TypeDecl *d, TypeDecl **group, int n, Loc loc) {
  if (d->nparams == 0 || !d->manifest) return;
  Type **args = ARENA_ARRAY(T->arena, Type *, d->nparams + 1);
  for (int i = 0; i < d->nparams; i++) {
    args[i] = ty_new_var(T);
    args[i]->name = ty_repr(d->params[i])->kind == TY_VAR ? ty_repr(d->params[i])->name : NULL;
  }
  RegCheck r = {T, d, args, group, n, ty_copymap_new(T), loc};
  Type *body = ty_subst_params(T, d, args, d->manifest);
  for (int i = 0; i < d->nparams; i++) regular_walk(&r, NULL, NULL, 0, args[i]);
  regular_walk(&r, NULL, NULL, 0, body);
}

void ty_check_recmod_decls(Typer *T, TypeDecl **ds, const Loc *locs, int n) {
  for (int i = 0; i < n; i++) wf_decl(T, ds[i], ds, n, locs[i]);
  for (int i = 0; i < n; i++) regular(T, ds[i], ds, n, locs[i]);
}

void ty_check_decl_group(Typer *T, TypeDecl **ds, const Loc *locs, int n) {
  for (int i = 0; i < n; i++) wf_manifest(T, ds[i], locs[i]);
  for (int i = 0; i < n; i++) wf_decl(T, ds[i], ds, n, locs[i]);
  for (int i = 0; i < n; i++) regular(T, ds[i], ds, n, locs[i]);
}
