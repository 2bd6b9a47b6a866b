/* ty_ascribe.c — a module seen through a signature it matches
 * (`module M : S = me`, recursive modules' bodies): the signature's
 * declarations, with its variants and records the implementation's and
 * its values the implementation's, retyped or copied. No coercion is
 * made at run time: a functor keeps its own type when its code would not
 * serve the signature's layouts. */
#include <string.h>

#include "typecheck.h"

/* ---- Ascription ------------------------------------------------------------------ */

/* Whether the values of me's module are its own (a structure's, an
 * application's), which ascription may retype in place. */
bool ty_owns_values(ModExpr *me) {
  while (me->kind == MOD_CONSTRAINT) me = me->fn;
  return me->kind == MOD_STRUCT || me->kind == MOD_APPLY;
}

/* Whether code that reads a module as `reader` says serves a module laid
 * out as `writer` says (see mod_item_has_field): reader's runtime
 * components are the first of writer's, in order, through submodules;
 * a functor's argument is written as the reader's parameter says and
 * read as the writer's, its result the other way round. */
static bool reads_as(ModuleDesc *reader, ModuleDesc *writer) {
  if (reader->is_functor || writer->is_functor)
    return reader->is_functor && writer->is_functor && reads_as(writer->param_type, reader->param_type) &&
           reads_as(reader->result, writer->result);
  for (int i = 0, j = 0;; i++, j++) {
    while (i < reader->nitems && !mod_item_has_field(&reader->items[i])) i++;
    while (j < writer->nitems && !mod_item_has_field(&writer->items[j])) j++;
    if (i == reader->nitems) return true;
    if (j == writer->nitems) return false;
    ModItem *x = &reader->items[i], *y = &writer->items[j];
    if (x->kind != y->kind || strcmp(x->name, y->name) != 0) return false;
    if (x->kind == MI_MODULE && !reads_as(x->desc, y->desc)) return false;
  }
}

/* The signature's variants and records are impl's, re-exported (its
 * abstract types stay its own), through submodules too. */
static void expose_types(Typer *T, ModuleDesc *impl, ModuleDesc *sig) {
  for (int i = 0; i < sig->nitems; i++) {
    ModItem *it = &sig->items[i];
    if (it->kind == MI_MODULE) {
      ModuleDesc *ms = it->desc, *mi = env_find(impl->env, NS_MODULE, it->name);
      if (mi && mi->env && ms->env && !ms->is_functor && !mi->is_functor) expose_types(T, mi, ms);
      continue;
    }
    if (it->kind != MI_TYPE) continue;
    TypeDecl *sd = it->desc, *id = env_find(impl->env, NS_TYPE, it->name);
    if (sd == id || sd->manifest || sd->kind == TD_ABSTRACT) continue;
    /* A recursive module's body type already the signature's (anchored
     * in ty_recmod.c): the signature's stays the type. */
    if (id->manifest && ty_repr(id->manifest)->kind == TY_CONSTR &&
        ty_same_decl(ty_repr(id->manifest)->decl, sd))
      continue;
    sd->manifest = ty_new_constr(T, id, sd->params, sd->nparams, id->path);
    sd->manifest_implied = true;
    /* Its constructors and fields are impl's (the same representation,
     * checked) and say so, so that a pattern expecting the type (which
     * expands to impl's) finds them; their types stay the signature's. */
    for (int k = 0; k < sd->nconstrs; k++) sd->constrs[k]->decl = id;
    for (int k = 0; k < sd->nfields; k++) sd->fields[k]->decl = id;
  }
}

/* Makes sig's values, exceptions and submodules impl's. */
static void ascribe_values(Typer *T, ModuleDesc *impl, ModuleDesc *sig, bool owned) {
  /* The module's values are impl's own descriptors (the toplevel rebinds
   * those as globals) seen with the signature's types. */
  for (int i = 0; i < sig->env->len; i++) {
    EnvEntry *en = &sig->env->entries[i];
    if (en->ns != NS_VALUE) continue;
    ValueDesc *vs = en->desc, *vi = env_find(impl->env, NS_VALUE, en->name);
    if (!vi || vs->kind == VAL_PRIM) continue;
    if (vi->session) {
      /* Already a global of an earlier phrase: a phrase copy that reads the
       * same slot. */
      ValueDesc *c = ARENA_NEW(T->arena, ValueDesc);
      *c = *vi;
      c->session = false;
      c->committed = NULL;
      vi = c;
    } else if (!owned && vi->kind != VAL_PRIM) {
      /* Another module's value (module M : S = N): a copy with the
       * signature's type that reads vi's variable or slot. */
      ValueDesc *c = ARENA_NEW(T->arena, ValueDesc);
      *c = *vi;
      c->committed = NULL;
      c->origin = vi;
      vi = c;
    } else if (!owned) {
      ValueDesc *c = ARENA_NEW(T->arena, ValueDesc);
      *c = *vi;
      c->committed = NULL;
      vi = c;
    }
    vi->ty = vs->ty;
    en->desc = vi;
    for (int k = 0; k < sig->nitems; k++)
      if (sig->items[k].desc == vs) sig->items[k].desc = vi;
  }
  /* Exceptions are impl's own constructors (their blocks live there). */
  for (int i = 0; i < sig->env->len; i++) {
    EnvEntry *en = &sig->env->entries[i];
    ConstrDesc *cs = en->desc;
    if (en->ns != NS_CONSTR || !cs->is_exn) continue;
    ConstrDesc *ci = env_find(impl->env, NS_CONSTR, en->name);
    if (!ci || !ci->is_exn) continue;
    en->desc = ci;
    for (int k = 0; k < sig->nitems; k++)
      if (sig->items[k].desc == cs) sig->items[k].desc = ci;
  }
  /* Submodules are impl's, seen through the signature's. */
  for (int i = 0; i < sig->nitems; i++) {
    ModItem *it = &sig->items[i];
    if (it->kind != MI_MODULE) continue;
    ModuleDesc *ms = it->desc, *mi = env_find(impl->env, NS_MODULE, it->name);
    if (ms->is_functor || mi->is_functor) {
      if (reads_as(ms, mi)) {
        ms->fval = mi->fval;
        continue;
      }
      /* Code compiled for impl's functor type: it keeps that type. */
      for (int k = 0; k < sig->nitems; k++)
        if (sig->items[k].desc == ms) sig->items[k].desc = mi;
      for (int k = 0; k < sig->env->len; k++)
        if (sig->env->entries[k].desc == ms) sig->env->entries[k].desc = mi;
    } else if (!ms->is_abstract) {
      ascribe_values(T, mi, ms, owned);
    }
  }
}

/* Returns the module impl as seen through sig, which it matches (see
 * ty_include_check): sig's declarations, impl's values with sig's types
 * (retyped in place when `owned`, else copies). */
ModuleDesc *ty_ascribe(Typer *T, ModuleDesc *impl, ModuleDesc *sig, Loc loc, bool owned) {
  ty_include_check(T, impl, sig, loc, false);
  if (sig->is_abstract) {
    ModuleDesc *r = ARENA_NEW(T->arena, ModuleDesc);
    *r = *sig; /* seen through sig: printed as sig's name */
    r->session = false;
    r->fval = impl->fval;
    return r;
  }
  if (impl->is_functor || sig->is_functor) {
    /* A functor is seen with sig's type when its code, compiled for its
     * own parameter and result, serves sig's layouts (ascription makes no
     * coercion); else it keeps its own type. */
    if (!impl->is_functor || !sig->is_functor || !reads_as(sig, impl)) return impl;
    ModuleDesc *r = ARENA_NEW(T->arena, ModuleDesc);
    *r = *sig;
    r->session = false;
    r->fval = impl->fval;
    return r;
  }
  expose_types(T, impl, sig);
  ascribe_values(T, impl, sig, owned);
  return sig;
}
