/* ty_with_modtype.c — `S with module type P = mty` and `:= mty` (OCaml
 * 4.13's module type substitution, Typemod.merge_constraint): P, a
 * module type the signature declares (through submodules: M.P), gets mty
 * as its definition, or leaves the signature with mty replacing it. The
 * modules the signature declares of type P then have mty's components. */
#include <string.h>

#include "typecheck.h"

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
  ModuleDesc *owner = ty_with_owner(T, md, a->name, &last), *old = NULL;
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
    ty_sig_remove(T, owner, MI_MODTYPE, NS_MODTYPE, old);
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
