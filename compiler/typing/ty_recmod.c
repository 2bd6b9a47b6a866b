/* ty_recmod.c — recursive modules, `module rec M1 : S1 = me1 and …` in
 * structures and `module rec M1 : S1 and …` in signatures, as OCaml's
 * Typemod does: each Si is first approximated (its types abstract, its
 * values left out) so that the Si can name one another's types, then
 * typed for good in a scope holding the approximations, whose types are
 * then made abbreviations of the final ones; the bodies are typed with
 * every Mi : Si in scope and each checked against its Si. Then, as
 * OCaml's Translmod, the order the bodies run in: modules made only of
 * functions are "safe" (stubs stand for their functions until their
 * body has run, lower_recmod.c); an unsafe one runs after the modules
 * it uses, and a cycle of unsafe modules is an error. */
#include <string.h>

#include "typecheck.h"

struct RecDeps {
  RecModule *recs;
  ModuleDesc **sigs;
  int n;
  bool *used; /* of the body being typed, per module of the group */
};

void ty_recmod_note_use(Typer *T, const char *head) {
  struct RecDeps *r = T->recdeps;
  if (!r || !head) return;
  for (int i = 0; i < r->n; i++)
    if (strcmp(r->recs[i].name, head) == 0 && env_find(T->env, NS_MODULE, head) == r->sigs[i])
      r->used[i] = true;
}

void ty_recmod_enrich(Typer *T, TypeDecl **ds, int n) {
  ModuleDesc *sig = T->rec_anchor;
  if (!sig || sig->is_functor || !sig->env) return;
  for (int i = 0; i < n; i++) {
    TypeDecl *d = ds[i], *sd = env_find(sig->env, NS_TYPE, d->name);
    if (d->manifest || !sd || sd->nparams != d->nparams) continue;
    /* OCaml enriches when the two are compatible (Ctype.mcomp); here
     * when the declared type is, or stands for, an abstract type, or is
     * a variant or record as the body's is. */
    Type *m = ty_new_constr(T, sd, d->params, d->nparams, sd->path);
    Type *e = ty_expand_head(T, m);
    bool fits =
        e->kind == TY_CONSTR && e->decl->kind == TD_ABSTRACT && !e->decl->manifest && !e->decl->builtin;
    if (!fits && !(sd->kind == d->kind && d->kind != TD_ABSTRACT && !sd->manifest)) continue;
    d->manifest = m;
  }
}

/* ---- Approximations (Typemod.approx_modtype) ---------------------------------- */

static ModType *approx_mty(Typer *T, ModType *mt);

static SigItem *approx_item(Typer *T, SigItem *si) {
  SigItem *c = ARENA_NEW(T->arena, SigItem);
  *c = *si;
  switch (si->kind) {
  case SIG_VALUE:
  case SIG_EXCEPTION: return NULL;
  case SIG_TYPE:
    if (si->ntypes && si->types[0].destructive) return c;
    c->types = ARENA_ARRAY(T->arena, TypeDeclAst, si->ntypes);
    for (int i = 0; i < si->ntypes; i++) {
      TypeDeclAst a = {0};
      a.name = si->types[i].name;
      a.loc = si->types[i].loc;
      a.params = si->types[i].params;
      a.nparams = si->types[i].nparams;
      a.kind = TDK_ABSTRACT;
      c->types[i] = a;
    }
    return c;
  case SIG_MODULE:
    if (!si->alias) c->mty = approx_mty(T, si->mty);
    return c;
  case SIG_RECMODULE:
    c->recs = ARENA_ARRAY(T->arena, RecModule, si->nrecs);
    for (int i = 0; i < si->nrecs; i++) {
      c->recs[i] = si->recs[i];
      c->recs[i].mty = approx_mty(T, si->recs[i].mty);
    }
    return c;
  case SIG_INCLUDE: c->mty = approx_mty(T, si->mty); return c;
  case SIG_MODTYPE:
  case SIG_OPEN: return c;
  }
  return c;
}

static ModType *approx_mty(Typer *T, ModType *mt) {
  if (!mt) return NULL;
  ModType *c = ARENA_NEW(T->arena, ModType);
  *c = *mt;
  switch (mt->kind) {
  case MTY_SIG:
    c->items = ARENA_ARRAY(T->arena, SigItem *, mt->nitems + 1);
    c->nitems = 0;
    for (int i = 0; i < mt->nitems; i++) {
      SigItem *a = approx_item(T, mt->items[i]);
      if (a) c->items[c->nitems++] = a;
    }
    return c;
  case MTY_WITH: return approx_mty(T, mt->base);
  case MTY_FUNCTOR: c->body = approx_mty(T, mt->body); return c;
  default: return mt;
  }
}

/* The approximation's types become the final ones, so that what the
 * signatures say of one another's types holds. */
static void patch(Typer *T, ModuleDesc *a, ModuleDesc *s, PtrVec *pairs) {
  if (!a || !s || a->is_functor || s->is_functor || !a->env || !s->env) return;
  for (int i = 0; i < a->nitems; i++) {
    ModItem *it = &a->items[i];
    if (it->kind == MI_MODULE) {
      patch(T, it->desc, env_find(s->env, NS_MODULE, it->name), pairs);
      continue;
    }
    if (it->kind != MI_TYPE) continue;
    TypeDecl *ad = it->desc, *sd = env_find(s->env, NS_TYPE, it->name);
    if (!sd || sd == ad || sd->nparams != ad->nparams || ad->manifest) continue;
    /* The same declaration from now on, stamp included: a type the
     * signatures built over the approximation is the final one, as for
     * OCaml, where both are one path. */
    *ad = *sd;
    ptrvec_push(T->arena, pairs, ad);
    ptrvec_push(T->arena, pairs, sd);
  }
}

/* The type declarations of md, through its submodules. */
static void collect_decls(Typer *T, ModuleDesc *md, PtrVec *out) {
  if (md->is_functor || !md->env) return;
  for (int i = 0; i < md->nitems; i++) {
    if (md->items[i].kind == MI_TYPE) ptrvec_push(T->arena, out, md->items[i].desc);
    else if (md->items[i].kind == MI_MODULE) collect_decls(T, md->items[i].desc, out);
  }
}

/* Declares the group's modules with their types: on return the
 * environment binds each to its signature (out[i]). */
static void declare_group(Typer *T, RecModule *recs, int n, ModuleDesc **out, PtrVec *pairs) {
  for (int j = 1; j < n; j++)
    for (int i = 0; i < j; i++)
      if (strcmp(recs[i].name, "_") != 0 && strcmp(recs[i].name, recs[j].name) == 0)
        ty_error_textf(T, recs[j].loc,
                       "Multiple definition of the module name %s.\n"
                       "       Names must be unique in a given structure or signature.",
                       recs[j].name);
  int mark = env_mark(T->env);
  ModuleDesc **approx = ARENA_ARRAY(T->arena, ModuleDesc *, n);
  for (int i = 0; i < n; i++) {
    int lo = T->next_stamp;
    approx[i] = ty_module_type(T, approx_mty(T, recs[i].mty), recs[i].name);
    ty_close_module(T, approx[i], recs[i].name, lo);
    if (strcmp(recs[i].name, "_") != 0) env_add(T->env, NS_MODULE, recs[i].name, approx[i]);
  }
  for (int i = 0; i < n; i++) {
    int lo = T->next_stamp;
    out[i] = ty_module_type(T, recs[i].mty, recs[i].name);
    ty_close_module(T, out[i], recs[i].name, lo);
    out[i]->name = recs[i].name;
    out[i]->loc = recs[i].loc;
  }
  for (int i = 0; i < n; i++) patch(T, approx[i], out[i], pairs);
  /* The declared types, one group (Typemod.check_recmod_typedecls): an
   * abbreviation that comes back to itself through the others is cyclic. */
  PtrVec decls = {0};
  int *owner = ARENA_ARRAY(T->arena, int, 1);
  for (int i = 0; i < n; i++) {
    int from = decls.len;
    collect_decls(T, out[i], &decls);
    int *o = ARENA_ARRAY(T->arena, int, decls.len + 1);
    memcpy(o, owner, sizeof(int) * (size_t)from);
    for (int k = from; k < decls.len; k++) o[k] = i;
    owner = o;
  }
  Loc *locs = ARENA_ARRAY(T->arena, Loc, decls.len + 1);
  for (int i = 0; i < decls.len; i++) locs[i] = recs[owner[i]].loc;
  ty_check_recmod_decls(T, (TypeDecl **)decls.items, locs, decls.len);
  env_rollback(T->env, mark);
  for (int i = 0; i < n; i++)
    if (strcmp(recs[i].name, "_") != 0) env_add(T->env, NS_MODULE, recs[i].name, out[i]);
}

void ty_recmodule_sig(Typer *T, SigItem *si) {
  ModuleDesc **sigs = ARENA_ARRAY(T->arena, ModuleDesc *, si->nrecs);
  PtrVec pairs = {0};
  declare_group(T, si->recs, si->nrecs, sigs, &pairs);
}

/* ---- Run-time components ---------------------------------------------------------- */

/* md's run-time components, depth first in signature order: values,
 * exceptions' blocks, functors' closures (see mod_item_has_field). */
static void collect_vals(Typer *T, ModuleDesc *md, PtrVec *out) {
  if (md->is_functor) {
    if (md->fval) ptrvec_push(T->arena, out, md->fval);
    return;
  }
  if (md->is_abstract) return;
  for (int i = 0; i < md->nitems; i++) {
    ModItem *it = &md->items[i];
    if (!mod_item_has_field(it)) continue;
    if (it->kind == MI_VALUE) ptrvec_push(T->arena, out, it->desc);
    else if (it->kind == MI_EXCEPTION) ptrvec_push(T->arena, out, ((ConstrDesc *)it->desc)->exn_val);
    else collect_vals(T, it->desc, out);
  }
}

/* A copy of md's structure (environment, items, submodules), sharing
 * its declarations: ascription rewrites the copy, while what the bodies
 * already found in md (the declared values) stays as it is. */
static ModuleDesc *dup_module(Typer *T, ModuleDesc *md) {
  ModuleDesc *c = ARENA_NEW(T->arena, ModuleDesc);
  *c = *md;
  c->session = false;
  if (md->is_functor || !md->env) return c;
  EnvEntry *es = ARENA_ARRAY(T->arena, EnvEntry, md->env->len + 1);
  c->items = ARENA_ARRAY(T->arena, ModItem, md->nitems + 1);
  memcpy(c->items, md->items, sizeof(ModItem) * (size_t)md->nitems);
  for (int i = 0; i < md->env->len; i++) {
    es[i] = md->env->entries[i];
    if (es[i].ns != NS_MODULE) continue;
    ModuleDesc *sub = dup_module(T, es[i].desc);
    for (int k = 0; k < md->nitems; k++)
      if (md->items[k].kind == MI_MODULE && md->items[k].desc == es[i].desc) c->items[k].desc = sub;
    es[i].desc = sub;
  }
  c->env = env_freeze_entries(T->arena, es, md->env->len);
  return c;
}

/* ---- Safety (Translmod.init_shape) -------------------------------------------------- */

typedef enum UnsafeWhy { SAFE, UNSAFE_MODULE, UNSAFE_FUNCTOR, UNSAFE_TYPEXT, UNSAFE_VALUE } UnsafeWhy;

typedef struct Unsafe {
  UnsafeWhy why;
  const char *subid;
  Loc loc;
} Unsafe;

/* Whether md's components can all be made before its body runs (only
 * functions and lazy values); else why not, the first reason met. */
static bool shape_ok(Typer *T, ModuleDesc *md, const char *name, Loc loc, Unsafe *u) {
  if (md->is_abstract) {
    *u = (Unsafe){UNSAFE_MODULE, name, loc};
    return false;
  }
  if (md->is_functor) {
    *u = (Unsafe){UNSAFE_FUNCTOR, name, loc};
    return false;
  }
  for (int i = 0; i < md->nitems; i++) {
    ModItem *it = &md->items[i];
    if (it->kind == MI_VALUE) {
      ValueDesc *v = it->desc;
      if (v->kind == VAL_PRIM) continue;
      Type *t = ty_expand_head(T, v->ty);
      if (t->kind == TY_ARROW || ty_is_constr(t, TYB_LAZY)) continue;
      *u = (Unsafe){UNSAFE_VALUE, v->name, v->loc};
      return false;
    }
    if (it->kind == MI_EXCEPTION) {
      ConstrDesc *c = it->desc;
      *u = (Unsafe){UNSAFE_TYPEXT, c->name, c->exn_val ? c->exn_val->loc : loc};
      return false;
    }
    if (it->kind == MI_MODULE) {
      ModuleDesc *sub = it->desc;
      if (!shape_ok(T, sub, it->name, sub->loc, u)) return false;
    }
  }
  return true;
}

/* ---- Evaluation order (Translmod.reorder_rec_bindings) ------------------------------- */

typedef struct Order {
  Typer *T;
  RecModule *recs;
  int n;
  bool *used; /* used[i * n + j]: body i uses module j */
  Unsafe *unsafe;
  int *status; /* 0 undefined, 1 in progress, 2 defined */
  int *parent; /* in progress: the module whose body needed it, or -1 */
  int *order;
  int norder;
} Order;

static const char *unsafe_text(Typer *T, const char *mod, const Unsafe *u) {
  const char *what = u->why == UNSAFE_MODULE    ? "module"
                     : u->why == UNSAFE_FUNCTOR ? "functor"
                     : u->why == UNSAFE_TYPEXT  ? "extension constructor"
                                                : "value";
  return arena_printf(T->arena, "Module %s defines an unsafe %s, %s .", mod, what, u->subid);
}

typedef struct CycleMsg {
  const char **names;
  int n;
} CycleMsg;

static void cycle_msg(Fmt *f, void *arg) {
  CycleMsg *c = arg;
  const char *words[] = {"Cannot", "safely", "evaluate",  "the",  "definition",
                         "of",     "the",    "following", "cycle"};
  fmt_open_box(f, FMT_B, 0);
  for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
    if (i) fmt_string(f, " ");
    fmt_string(f, words[i]);
  }
  fmt_space(f);
  fmt_string(f, "of recursively-defined modules:");
  fmt_space(f);
  for (int i = 0; i <= c->n; i++) {
    if (i) {
      fmt_space(f);
      fmt_string(f, "-> ");
    }
    fmt_string(f, c->names[i % c->n]);
  }
  fmt_string(f, ".");
  fmt_space(f);
  fmt_string(f, "There are no safe modules in this cycle");
  fmt_space(f);
  fmt_string(f, "(see manual section 10.2).");
  fmt_close_box(f);
}

/* OCaml's Circular_dependency: the cycle through start, from start, then
 * each module's reason, located. */
__attribute__((noreturn)) static void cycle_error(Order *o, int start) {
  Typer *T = o->T;
  int *cyc = ARENA_ARRAY(T->arena, int, o->n + 1);
  int k = 0;
  for (int i = o->parent[start]; k < o->n; i = o->parent[i]) {
    cyc[k++] = i;
    if (i == start || i < 0) break;
  }
  /* Collected backwards from start's parent: reverse, start first. */
  CycleMsg m = {ARENA_ARRAY(T->arena, const char *, k + 1), k};
  int *ord = ARENA_ARRAY(T->arena, int, k + 1);
  for (int i = 0; i < k; i++) ord[i] = cyc[k - 1 - i];
  for (int i = 0; i < k; i++) m.names[i] = o->recs[ord[i]].name;
  Diag *d = ctx_add_diag(T->ctx, DIAG_ERROR, o->recs[start].mexpr->loc, ty_error_layout(T, cycle_msg, &m));
  Diag *last = d;
  for (int i = 0; i < k; i++) {
    Diag *e = ARENA_NEW(T->arena, Diag);
    e->has_extra = true;
    e->extra_loc = o->unsafe[ord[i]].loc;
    e->extra_text = unsafe_text(T, o->recs[ord[i]].name, &o->unsafe[ord[i]]);
    last->more = e;
    last = e;
  }
  ctx_bail(T->ctx);
}

static void emit(Order *o, int parent, int i) {
  if (o->status[i] == 2) return;
  if (o->status[i] == 1) {
    o->parent[i] = parent;
    cycle_error(o, i);
  }
  if (o->unsafe[i].why != SAFE) {
    o->status[i] = 1;
    o->parent[i] = parent;
    for (int j = 0; j < o->n; j++)
      if (o->used[i * o->n + j]) emit(o, i, j);
  }
  o->order[o->norder++] = i;
  o->status[i] = 2;
}

/* Whether v is read through one of the group's declared components
 * (a body that only names a module of the group: `= M`). */
static bool reads_group(RecModule *recs, int n, ValueDesc *v) {
  while (v->origin) v = v->origin;
  for (int i = 0; i < n; i++)
    for (int k = 0; k < recs[i].nvals; k++)
      if (recs[i].rec_vals[k] == v) return true;
  return false;
}

/* Replaces the component `from` of md (values, exceptions' blocks,
 * functors' closures, depth first) by `to`. */
static void replace_val(Typer *T, ModuleDesc *md, ValueDesc *from, ValueDesc *to) {
  if (md->is_functor) {
    if (md->fval == from) md->fval = to;
    return;
  }
  if (md->is_abstract || !md->env) return;
  for (int i = 0; i < md->nitems; i++) {
    ModItem *it = &md->items[i];
    if (it->kind == MI_VALUE && it->desc == from) it->desc = to;
    else if (it->kind == MI_MODULE) replace_val(T, it->desc, from, to);
  }
  for (int i = 0; i < md->env->len; i++)
    if (md->env->entries[i].ns == NS_VALUE && md->env->entries[i].desc == from) {
      EnvEntry *es = ARENA_ARRAY(T->arena, EnvEntry, md->env->len + 1);
      memcpy(es, md->env->entries, sizeof(EnvEntry) * (size_t)md->env->len);
      es[i].desc = to;
      md->env = env_freeze_entries(T->arena, es, md->env->len);
      return;
    }
}

/* A module of the group whose components are read through the group's
 * declared ones holds them in variables of its own, bound once the group
 * is made, which later phrases reach as globals. */
static void own_values(Typer *T, RecModule *recs, int n, int i) {
  RecModule *r = &recs[i];
  r->final_vals = ARENA_ARRAY(T->arena, ValueDesc *, r->nvals + 1);
  for (int k = 0; k < r->nvals; k++) {
    r->final_vals[k] = NULL;
    ValueDesc *v = r->impl_vals[k];
    if (v->kind != VAL_LOCAL || !reads_group(recs, n, v)) continue;
    ValueDesc *c = ARENA_NEW(T->arena, ValueDesc);
    *c = *v;
    c->origin = NULL;
    c->committed = NULL;
    c->id = ++T->next_local_id;
    replace_val(T, r->md, v, c);
    r->final_vals[k] = c;
    if (T->bound) ptrvec_push(T->arena, T->bound, c);
  }
}

/* ---- Structures -------------------------------------------------------------------- */

void ty_recmodule_item(Typer *T, Item *item) {
  int n = item->nrecs;
  RecModule *recs = item->recs;
  int mark = env_mark(T->env);
  ModuleDesc **sigs = ARENA_ARRAY(T->arena, ModuleDesc *, n);
  PtrVec pairs = {0};
  declare_group(T, recs, n, sigs, &pairs);
  Order o = {T,
             recs,
             n,
             ARENA_ARRAY(T->arena, bool, n *n + 1),
             ARENA_ARRAY(T->arena, Unsafe, n),
             ARENA_ARRAY(T->arena, int, n),
             ARENA_ARRAY(T->arena, int, n),
             ARENA_ARRAY(T->arena, int, n),
             0};
  memset(o.used, 0, sizeof(bool) * (size_t)(n * n + 1));
  for (int i = 0; i < n; i++) {
    PtrVec rv = {0};
    collect_vals(T, sigs[i], &rv);
    recs[i].rec_vals = (ValueDesc **)rv.items;
    recs[i].nvals = rv.len;
    o.unsafe[i] = (Unsafe){SAFE, NULL, {0}};
    recs[i].safe = shape_ok(T, sigs[i], recs[i].name, recs[i].mexpr->loc, &o.unsafe[i]);
    o.status[i] = 0;
  }
  struct RecDeps deps = {recs, sigs, n, NULL};
  struct RecDeps *saved = T->recdeps;
  /* Every body sees the declared signatures: none is seen through its
   * implementation (which ascription makes of it) before all are typed. */
  ModuleDesc **impls = ARENA_ARRAY(T->arena, ModuleDesc *, n);
  for (int i = 0; i < n; i++) {
    deps.used = &o.used[i * n];
    T->recdeps = &deps;
    ModuleDesc *saved_anchor = T->rec_anchor;
    T->rec_anchor = recs[i].mexpr->kind == MOD_STRUCT ? sigs[i] : NULL;
    impls[i] = ty_module_expr(T, recs[i].mexpr, recs[i].name);
    T->rec_anchor = saved_anchor;
    T->recdeps = saved;
  }
  for (int i = 0; i < n; i++) {
    ModuleDesc *r =
        ty_ascribe(T, impls[i], dup_module(T, sigs[i]), recs[i].mexpr->loc, ty_owns_values(recs[i].mexpr));
    r->name = recs[i].name;
    r->is_alias = false;
    recs[i].md = r;
    PtrVec iv = {0};
    collect_vals(T, r, &iv);
    if (iv.len != recs[i].nvals)
      ty_error_textf(T, recs[i].mexpr->loc, "This recursive module cannot be compiled by natml");
    recs[i].impl_vals = (ValueDesc **)iv.items;
  }
  for (int i = 0; i < n; i++) own_values(T, recs, n, i);
  /* Ascription made the declared variants and records the bodies' own:
   * the approximations follow. */
  for (int i = 0; i < pairs.len; i += 2) *(TypeDecl *)pairs.items[i] = *(TypeDecl *)pairs.items[i + 1];
  for (int i = 0; i < n; i++)
    if (o.status[i] == 0) emit(&o, -1, i);
  item->rec_order = o.order;
  env_rollback(T->env, mark);
  for (int i = 0; i < n; i++)
    if (strcmp(recs[i].name, "_") != 0) env_add(T->env, NS_MODULE, recs[i].name, recs[i].md);
}
