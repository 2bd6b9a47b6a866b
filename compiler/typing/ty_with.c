/* ty_with.c — `with` constraints on signatures (Typemod.merge_constraint):
 * `with type [M.]t = u` and `:= u`, `with module [M.]N = P` and `:= P`,
 * `with module type [M.]P = mty` and `:= mty` (OCaml 4.13's module type
 * substitution); and whether a module type brings fresh types, which an
 * applicative functor's body may not make. */
#include <string.h>

#include "ty_include.h"
#include "typecheck.h"

/* ---- with type, with module ------------------------------------------------------- */

/* The submodule of md that a `with` constraint's path goes through, or
 * NULL. */
static ModuleDesc *sub_signature(ModuleDesc *md, const char *name) {
  for (int i = 0; i < md->nitems; i++)
    if (md->items[i].kind == MI_MODULE && strcmp(md->items[i].name, name) == 0) return md->items[i].desc;
  return NULL;
}

/* Removes component desc (of item kind and namespace ns) from md's items
 * and components: a destructive `with`. */
static void remove_component(Typer *T, ModuleDesc *md, ModItemKind kind, EnvNs ns, void *desc) {
  int w = 0;
  for (int i = 0; i < md->nitems; i++)
    if (!(md->items[i].kind == kind && md->items[i].desc == desc)) md->items[w++] = md->items[i];
  md->nitems = w;
  EnvEntry *es = ARENA_ARRAY(T->arena, EnvEntry, md->env->len + 1);
  int n = 0;
  for (int i = 0; i < md->env->len; i++)
    if (!(md->env->entries[i].ns == ns && md->env->entries[i].desc == desc)) es[n++] = md->env->entries[i];
  md->env = env_freeze_entries(T->arena, es, n);
}

/* The signature within md that a `with` constraint's dotted path ends
 * in (md itself for a bare name), or NULL; *last gets the path's last
 * component. The submodules passed through print with the constraint. */
static ModuleDesc *with_owner(Typer *T, ModuleDesc *md, const char *path, const char **last) {
  ModuleDesc *owner = md;
  const char *p = path;
  for (const char *dot; owner && (dot = strchr(p, '.'));) {
    owner = sub_signature(owner, arena_strndup(T->arena, p, (size_t)(dot - p)));
    if (owner) owner->sig_name = NULL;
    p = dot + 1;
  }
  *last = p;
  return owner;
}

/* The type d of the constrained module stands for the type of the same
 * name in target: each is mapped in ds (for :=) or given it as its
 * definition (for =), through nested modules too. */
static void equate_module_types(Typer *T, ModuleDesc *sub, ModuleDesc *target, DeclSubst *ds) {
  if (sub->is_functor || target->is_functor || !target->env) return;
  for (int i = 0; i < sub->nitems; i++) {
    ModItem *it = &sub->items[i];
    if (it->kind == MI_MODULE) {
      ModuleDesc *t2 = env_find(target->env, NS_MODULE, it->name);
      if (t2) equate_module_types(T, it->desc, t2, ds);
      continue;
    }
    if (it->kind != MI_TYPE) continue;
    TypeDecl *d = it->desc, *e = env_find(target->env, NS_TYPE, it->name);
    if (!e || e->nparams != d->nparams) continue;
    Type *u = ty_new_constr(T, e, d->params, d->nparams, e->path);
    if (ds) ty_copymap_put(ds->expand, d, u);
    else d->manifest = u;
  }
}

/* S with module [P.]M = N, or := N: M's signature becomes N's (its types
 * equal to N's), or M leaves the signature, N's types replacing its
 * own. */
static ModuleDesc *with_module(Typer *T, ModuleDesc *md, TypeDeclAst *a, Loc loc, const char *name) {
  const char *p;
  ModuleDesc *owner = with_owner(T, md, a->name, &p);
  ModuleDesc *sub = owner && !owner->is_functor ? sub_signature(owner, p) : NULL;
  if (!sub) ty_error_textf(T, loc, "The signature constrained by `with' has no component named %s", a->name);
  ModuleDesc *target = ty_lookup_module(T, &a->with_target, true);
  if (!a->destructive) {
    equate_module_types(T, sub, target, NULL);
    ModuleDesc *c = ARENA_NEW(T->arena, ModuleDesc);
    *c = *target;
    c->session = false;
    c->name = sub->name;
    c->path = sub->path;
    c->is_alias = false;
    c->sig_name = NULL;
    for (int i = 0; i < owner->nitems; i++)
      if (owner->items[i].desc == sub) owner->items[i].desc = c;
    EnvEntry *es = ARENA_ARRAY(T->arena, EnvEntry, owner->env->len + 1);
    for (int i = 0; i < owner->env->len; i++) {
      es[i] = owner->env->entries[i];
      if (es[i].desc == sub) es[i].desc = c;
    }
    owner->env = env_freeze_entries(T->arena, es, owner->env->len);
    return md;
  }
  DeclSubst ds = {ty_copymap_new(T), ty_copymap_new(T), ty_copymap_new(T)};
  equate_module_types(T, sub, target, &ds);
  remove_component(T, owner, MI_MODULE, NS_MODULE, sub);
  ModuleDesc *r = ty_copy_fresh(T, &ds, md, name, false);
  r->sig_name = NULL;
  return r;
}

/* S with type [M.]t = u, or := u: u becomes t's definition, or replaces
 * t, which leaves the signature. Returns the constrained signature. */
ModuleDesc *ty_with_type(Typer *T, ModuleDesc *md, TypeDeclAst *a, Loc loc, const char *name) {
  if (a->with_module) return with_module(T, md, a, loc, name);
  if (a->with_modtype) return ty_with_modtype(T, md, a, loc);
  const char *p;
  ModuleDesc *owner = with_owner(T, md, a->name, &p);
  TypeDecl *d = owner && !owner->is_functor ? env_find(owner->env, NS_TYPE, p) : NULL;
  if (!d) ty_error_textf(T, loc, "The signature constrained by `with' has no component named %s", a->name);
  /* What t becomes (Typedecl.transl_with_constraint): the constraint's
   * definition, keeping t's variant or record when the arities agree;
   * it must be included in t. */
  bool arity_ok = a->nparams == d->nparams;
  TypeDecl *nd = ARENA_NEW(T->arena, TypeDecl);
  *nd = *d;
  nd->session = false;
  nd->stamp = ++T->next_stamp;
  nd->manifest_implied = false;
  nd->nparams = a->nparams;
  nd->params = d->params;
  if (!arity_ok) {
    nd->params = ARENA_ARRAY(T->arena, Type *, a->nparams + 1);
    for (int i = 0; i < a->nparams; i++) {
      nd->params[i] = ty_new_generic_var(T);
      nd->params[i]->name = a->params[i];
    }
  }
  TyVarScope sc = {0};
  sc.closed = true;
  sc.n = sc.cap = nd->nparams;
  sc.names = a->params;
  sc.vars = nd->params;
  Type *u = a->manifest ? ty_typexpr(T, a->manifest, &sc) : NULL;
  nd->manifest = u;
  nd->private_ = a->private_ || (arity_ok && d->kind != TD_ABSTRACT && d->private_);
  if (!arity_ok || !u) {
    nd->kind = TD_ABSTRACT;
    nd->constrs = NULL;
    nd->nconstrs = 0;
    nd->fields = NULL;
    nd->nfields = 0;
  }
  ty_compute_variance(T, nd);
  ty_declared_variance(nd, a->variances);
  if (nd->kind != TD_ABSTRACT && u) ty_include_reexport(T, nd, a->loc);
  ty_include_with(T, nd, d, a->name, loc);
  if (!a->destructive) {
    if (u) {
      d->manifest = u;
      d->manifest_implied = false;
      d->private_ = nd->private_;
      d->variance = nd->variance;
    }
    return md;
  }
  ty_check_subst_params(T, nd, a, loc);
  remove_component(T, owner, MI_TYPE, NS_TYPE, d);
  DeclSubst ds = {ty_copymap_new(T), ty_copymap_new(T), ty_copymap_new(T)};
  /* t := u's constructor applied to t's own parameters: a path for a
   * path, the arguments kept as written (Subst.add_type_path). */
  Type *ur = u ? ty_repr(u) : NULL;
  if (ur && ty_subst_is_alias(a) && ur->kind == TY_CONSTR && ur->decl->nparams == d->nparams)
    ty_copymap_put(ds.decls, d, ur->decl);
  else ty_copymap_put(ds.expand, d, u);
  ModuleDesc *r = ty_copy_fresh(T, &ds, md, name, false);
  r->sig_name = NULL;
  return r;
}

/* ---- with module type ----------------------------------------------------------- */

/* Whether sub, a module of the signature, has module type old (named
 * name): an abstract module type is known by its stamp, another by the
 * name its modules print. */
static bool of_type(const ModuleDesc *sub, const ModuleDesc *old, const char *name) {
  if (old->is_abstract) return sub->is_abstract && sub->abstract_stamp == old->abstract_stamp;
  return sub->sig_name && strcmp(sub->sig_name, name) == 0;
}

typedef struct Subst {
  ModuleDesc *old;
  const char *name;
  ModType *mty;
  bool keep_name; /* `=`: the modules still print as P */
} Subst;

/* mty typed anew for a module of it (its abstract types its own). */
static ModuleDesc *instance(Typer *T, Subst *s, ModuleDesc *use) {
  ModuleDesc *c = ty_module_type(T, s->mty, use->name);
  c->name = use->name;
  c->path = use->path;
  if (s->keep_name) c->sig_name = use->sig_name;
  return c;
}

static ModuleDesc *replace_in(Typer *T, Subst *s, ModuleDesc *md);

/* md's modules of type P (through functors' parameters and results)
 * replaced, in place for signatures, by copy for functors. */
static void replace_uses(Typer *T, Subst *s, ModuleDesc *sig) {
  if (sig->is_functor || !sig->env) return;
  for (int i = 0; i < sig->nitems; i++) {
    ModItem *it = &sig->items[i];
    if (it->kind != MI_MODULE) continue;
    ModuleDesc *sub = it->desc, *r = replace_in(T, s, sub);
    if (r == sub) continue;
    it->desc = r;
    EnvEntry *es = ARENA_ARRAY(T->arena, EnvEntry, sig->env->len + 1);
    for (int k = 0; k < sig->env->len; k++) {
      es[k] = sig->env->entries[k];
      if (es[k].ns == NS_MODULE && es[k].desc == sub) es[k].desc = r;
    }
    sig->env = env_freeze_entries(T->arena, es, sig->env->len);
  }
}

static ModuleDesc *replace_in(Typer *T, Subst *s, ModuleDesc *md) {
  if (of_type(md, s->old, s->name)) return instance(T, s, md);
  if (md->is_functor) {
    ModuleDesc *p = replace_in(T, s, md->param_type), *r = replace_in(T, s, md->result);
    if (p == md->param_type && r == md->result) return md;
    ModuleDesc *c = ARENA_NEW(T->arena, ModuleDesc);
    *c = *md;
    c->session = false;
    c->param_type = p;
    c->result = r;
    return c;
  }
  if (!md->is_abstract) replace_uses(T, s, md);
  return md;
}

/* Whether t mentions the package type of module type old. */
static bool mentions_package(Type *t, ModuleDesc *old, int depth) {
  t = ty_repr(t);
  if (depth > 100) return false;
  if (t->kind == TY_PACKAGE && t->pkg == old) return true;
  if (t->kind == TY_ARROW)
    return mentions_package(t->a, old, depth + 1) || mentions_package(t->b, old, depth + 1);
  for (int i = 0; i < t->nargs && t->kind != TY_ARROW; i++)
    if (mentions_package(t->args[i], old, depth + 1)) return true;
  return false;
}

static bool sig_mentions_package(ModuleDesc *md, ModuleDesc *old) {
  if (md->is_functor || !md->env) return false;
  for (int i = 0; i < md->nitems; i++) {
    ModItem *it = &md->items[i];
    if (it->kind == MI_VALUE && mentions_package(((ValueDesc *)it->desc)->ty, old, 0)) return true;
    if (it->kind == MI_MODULE && sig_mentions_package(it->desc, old)) return true;
  }
  return false;
}

typedef struct PackedMsg {
  Typer *T;
  const char *path;
  ModuleDesc *mty;
} PackedMsg;

static void packed_msg(Fmt *f, void *arg) {
  PackedMsg *m = arg;
  fmt_open_box(f, FMT_B, 0);
  fmt_string(f, "This `with' constraint");
  fmt_space(f);
  fmt_string(f, m->path);
  fmt_string(f, " := ");
  ty_print_module_type(f, m->T, m->mty);
  fmt_space(f);
  fmt_string(f, "makes a packed module ill-formed.");
  fmt_close_box(f);
}

/* The declaration `module type P = mty` (modtype_decl's way of naming). */
static ModuleDesc *new_decl(Typer *T, ModType *mty, const char *name) {
  ModuleDesc *d = ty_module_type(T, mty, name);
  d->name = name;
  if (d->is_abstract) return d;
  if (mty->kind == MTY_IDENT) d->body_name = d->sig_name;
  d->sig_name = name;
  return d;
}

ModuleDesc *ty_with_modtype(Typer *T, ModuleDesc *md, TypeDeclAst *a, Loc loc) {
  const char *last;
  ModuleDesc *owner = with_owner(T, md, a->name, &last), *old = NULL;
  for (int i = 0; owner && !owner->is_functor && i < owner->nitems; i++)
    if (owner->items[i].kind == MI_MODTYPE && strcmp(owner->items[i].name, last) == 0)
      old = owner->items[i].desc;
  if (!old) ty_error_textf(T, loc, "The signature constrained by `with' has no component named %s", a->name);
  ModuleDesc *nm = ty_module_type(T, a->with_mty, last);
  if (!old->is_abstract && !(ty_include_matches(T, nm, old) && ty_include_matches(T, old, nm)))
    ty_error_textf(T, loc,
                   "In this `with' constraint, the new definition of %s\n"
                   "       does not match its original definition in the constrained signature",
                   a->name);
  Subst s = {old, last, a->with_mty, !a->destructive};
  if (!a->destructive) {
    ModuleDesc *d = new_decl(T, a->with_mty, last);
    for (int i = 0; i < owner->nitems; i++)
      if (owner->items[i].desc == old) owner->items[i].desc = d;
    EnvEntry *es = ARENA_ARRAY(T->arena, EnvEntry, owner->env->len + 1);
    for (int k = 0; k < owner->env->len; k++) {
      es[k] = owner->env->entries[k];
      if (es[k].desc == old) es[k].desc = d;
    }
    owner->env = env_freeze_entries(T->arena, es, owner->env->len);
  } else {
    /* A package type needs a path: mty itself may do, not its body. */
    if (a->with_mty->kind != MTY_IDENT && sig_mentions_package(md, old)) {
      /* Named as the package type names it, from where it is. */
      PackedMsg m = {T, sig_mentions_package(owner, old) ? last : a->name, nm};
      ty_error_text(T, loc, ty_error_layout(T, packed_msg, &m));
    }
    remove_component(T, owner, MI_MODTYPE, NS_MODTYPE, old);
  }
  replace_uses(T, &s, md);
  return md;
}

/* ---- Fresh types in applicative functors ---------------------------------------- */

bool ty_mty_contains_type(ModuleDesc *md) {
  if (md->is_functor) return false;
  if (md->is_abstract) return true;
  for (int i = 0; i < md->nitems; i++) {
    ModItem *it = &md->items[i];
    if (it->kind == MI_TYPE) {
      TypeDecl *d = it->desc;
      if (!d->manifest || (d->private_ && d->kind == TD_ABSTRACT)) return true;
    } else if (it->kind == MI_MODULE && ty_mty_contains_type(it->desc)) {
      return true;
    } else if (it->kind == MI_MODTYPE) {
      return true;
    }
  }
  return false;
}

void ty_error_fresh_types(Typer *T, Loc loc) {
  ty_error_text(
      T, loc, "This expression creates fresh types.\n       It is not allowed inside applicative functors.");
}
