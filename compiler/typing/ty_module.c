/* ty_module.c — the module language: structures (typed in a scope of the
 * session environment, then frozen into their own Env), module aliases,
 * signatures and ascription (`module M : S = ...`, with OCaml's
 * "Signature mismatch" messages), functors and their application,
 * `open`, `include` and `module type`. Type paths of a closed module's
 * declarations get the module's name as prefix ("M.t"). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "typecheck.h"

/* A signature under construction: its items and the environment entries
 * that make up the module's components. */
typedef struct SigBuild {
  ModItem *items;
  int nitems, cap;
  EnvEntry *entries;
  int nentries, ecap;
} SigBuild;

static void sig_add_item(Typer *T, SigBuild *s, ModItemKind k, const char *name, void *desc) {
  if (k == MI_VALUE || k == MI_MODULE || k == MI_MODTYPE) {
    /* A later definition hides an earlier one from the signature. */
    for (int i = 0; i < s->nitems; i++)
      if (s->items[i].kind == k && strcmp(s->items[i].name, name) == 0) {
        memmove(&s->items[i], &s->items[i + 1], sizeof(ModItem) * (size_t)(s->nitems - i - 1));
        s->nitems--;
        break;
      }
  }
  if (s->nitems == s->cap) {
    int cap = s->cap ? s->cap * 2 : 16;
    ModItem *n = ARENA_ARRAY(T->arena, ModItem, cap);
    if (s->nitems) memcpy(n, s->items, sizeof(ModItem) * (size_t)s->nitems);
    s->items = n;
    s->cap = cap;
  }
  s->items[s->nitems++] = (ModItem){k, name, desc, false, false};
}

static void sig_add_entry(Typer *T, SigBuild *s, const EnvEntry *e) {
  if (s->nentries == s->ecap) {
    int cap = s->ecap ? s->ecap * 2 : 32;
    EnvEntry *n = ARENA_ARRAY(T->arena, EnvEntry, cap);
    if (s->nentries) memcpy(n, s->entries, sizeof(EnvEntry) * (size_t)s->nentries);
    s->entries = n;
    s->ecap = cap;
  }
  s->entries[s->nentries++] = *e;
}

/* Records the bindings env entries [from, to) made by one item. */
static void sig_collect(Typer *T, SigBuild *s, int from, int to, bool exn_item, bool type_group) {
  int first_type = s->nitems;
  for (int i = from; i < to; i++) {
    EnvEntry *e = &T->env->entries[i];
    sig_add_entry(T, s, e);
    switch (e->ns) {
    case NS_VALUE: sig_add_item(T, s, MI_VALUE, e->name, e->desc); break;
    case NS_TYPE: sig_add_item(T, s, MI_TYPE, e->name, e->desc); break;
    case NS_CONSTR:
      if (exn_item && ((ConstrDesc *)e->desc)->is_exn) sig_add_item(T, s, MI_EXCEPTION, e->name, e->desc);
      break;
    case NS_MODULE:
      /* module _ = …: run for its effects, no component. */
      if (strcmp(e->name, "_") != 0) sig_add_item(T, s, MI_MODULE, e->name, e->desc);
      break;
    case NS_MODTYPE: sig_add_item(T, s, MI_MODTYPE, e->name, e->desc); break;
    default: break;
    }
  }
  /* The types of one declaration are one `and` group (not those an
   * include brings, which keep their own groups). */
  for (int i = first_type; type_group && i + 1 < s->nitems; i++)
    if (s->items[i].kind == MI_TYPE && s->items[i + 1].kind == MI_TYPE) s->items[i].rec_next = true;
}

/* The modules items [first, end) are one `module rec … and …` group. */
static void mark_rec_group(SigBuild *s, int first) {
  for (int i = first; i < s->nitems; i++) {
    s->items[i].rec_module = true;
    s->items[i].rec_next = i + 1 < s->nitems;
  }
}

static ModuleDesc *sig_finish(Typer *T, SigBuild *s, const char *name) {
  ModuleDesc *md = ARENA_NEW(T->arena, ModuleDesc);
  md->name = name;
  md->path = name;
  md->env = env_freeze_entries(T->arena, s->entries, s->nentries);
  md->items = s->items;
  md->nitems = s->nitems;
  return md;
}

/* ---- Names defined once only -------------------------------------------------- */

/* A structure or signature defines each type, module, module type and
 * exception name once (Typemod's Signature_names); later items may
 * shadow values only. What its items defined so far: */
typedef struct Defined {
  EnvNs ns;
  const char *name;
} Defined;

typedef struct DefinedSet {
  Defined *v;
  int n, cap;
} DefinedSet;

/* The place OCaml reports a name defined again: its declaration in a
 * type group, a signature's module name, else the whole item. */
static Loc redefinition_loc(EnvNs ns, const char *name, Loc item_loc, TypeDeclAst *types, int ntypes,
                            const SigItem *si) {
  if (ns == NS_TYPE)
    for (int i = 0; i < ntypes; i++)
      if (strcmp(types[i].name, name) == 0) return types[i].loc;
  if (ns == NS_MODULE && si) return si->name_loc;
  return item_loc;
}

/* Checks the names env entries [from, to) bind (one item's) against
 * those defined before, then records them. */
static void check_unique(Typer *T, DefinedSet *set, int from, int to, Loc item_loc, TypeDeclAst *types,
                         int ntypes, const SigItem *si, bool exn_item) {
  for (int i = from; i < to; i++) {
    EnvEntry *e = &T->env->entries[i];
    const char *what = e->ns == NS_TYPE      ? "type"
                       : e->ns == NS_MODULE  ? "module"
                       : e->ns == NS_MODTYPE ? "module type"
                       : e->ns == NS_CONSTR && exn_item && ((ConstrDesc *)e->desc)->is_exn
                           ? "extension constructor"
                           : NULL;
    if (!what || strcmp(e->name, "_") == 0) continue;
    for (int k = 0; k < set->n; k++)
      if (set->v[k].ns == e->ns && strcmp(set->v[k].name, e->name) == 0)
        ty_error_textf(T, redefinition_loc(e->ns, e->name, item_loc, types, ntypes, si),
                       "Multiple definition of the %s name %s.\n"
                       "       Names must be unique in a given structure or signature.",
                       what, e->name);
    if (set->n == set->cap) {
      int cap = set->cap ? set->cap * 2 : 16;
      Defined *v = ARENA_ARRAY(T->arena, Defined, cap);
      if (set->n) memcpy(v, set->v, sizeof *v * (size_t)set->n);
      set->v = v;
      set->cap = cap;
    }
    set->v[set->n++] = (Defined){e->ns, e->name};
  }
}

/* A signature's include may bring a type defined explicitly before it:
 * defined twice. A type an include brought may be defined again by a
 * later item, which shadows it: the included one leaves the signature
 * (Typemod's Signature_names). */
static void check_include(Typer *T, DefinedSet *defined, DefinedSet *included, int from, int to, Loc loc) {
  for (int i = from; i < to; i++) {
    EnvEntry *e = &T->env->entries[i];
    if (e->ns != NS_TYPE) continue;
    for (int k = 0; k < defined->n; k++)
      if (defined->v[k].ns == NS_TYPE && strcmp(defined->v[k].name, e->name) == 0)
        ty_error_textf(T, loc,
                       "Multiple definition of the type name %s.\n"
                       "       Names must be unique in a given structure or signature.",
                       e->name);
    if (included->n == included->cap) {
      int cap = included->cap ? included->cap * 2 : 16;
      Defined *v = ARENA_ARRAY(T->arena, Defined, cap);
      if (included->n) memcpy(v, included->v, sizeof *v * (size_t)included->n);
      included->v = v;
      included->cap = cap;
    }
    included->v[included->n++] = (Defined){NS_TYPE, e->name};
  }
}

static void shadow_included(Typer *T, SigBuild *s, DefinedSet *included, int from, int to) {
  for (int i = from; i < to; i++) {
    EnvEntry *e = &T->env->entries[i];
    if (e->ns != NS_TYPE) continue;
    for (int k = 0; k < included->n; k++) {
      if (strcmp(included->v[k].name, e->name) != 0) continue;
      int w = 0;
      for (int j = 0; j < s->nitems; j++)
        if (!(s->items[j].kind == MI_TYPE && strcmp(s->items[j].name, e->name) == 0))
          s->items[w++] = s->items[j];
      s->nitems = w;
      included->v[k] = included->v[--included->n];
      break;
    }
  }
}

/* ---- Paths of a closed module's declarations ------------------------------ */

static void fix_type_paths(Typer *T, CopyMap *seen, Type *t) {
  t = ty_repr(t);
  if (t->session || ty_copymap_get(seen, t)) return;
  ty_copymap_put(seen, t, t);
  if (t->kind == TY_CONSTR && t->decl->path) t->path = t->decl->path;
  if (t->kind == TY_ARROW) {
    fix_type_paths(T, seen, t->a);
    fix_type_paths(T, seen, t->b);
  }
  for (int i = 0; i < t->nargs && t->kind != TY_ARROW; i++) fix_type_paths(T, seen, t->args[i]);
}

static void prefix_decls(Typer *T, CopyMap *seen, ModuleDesc *md, const char *name, int stamp_lo) {
  for (int i = 0; i < md->nitems; i++) {
    ModItem *it = &md->items[i];
    if (ty_copymap_get(seen, it->desc)) continue;
    ty_copymap_put(seen, it->desc, it->desc);
    if (it->kind == MI_TYPE) {
      TypeDecl *d = it->desc;
      if (d->stamp > stamp_lo && !d->session) d->path = arena_printf(T->arena, "%s.%s", name, d->path);
    } else if (it->kind == MI_EXCEPTION) {
      ConstrDesc *c = it->desc;
      if (!c->session) c->exn_path = arena_printf(T->arena, "%s.%s", name, c->exn_path);
    } else if (it->kind == MI_MODULE && !((ModuleDesc *)it->desc)->session) {
      ModuleDesc *sub = it->desc;
      sub->path = arena_printf(T->arena, "%s.%s", name, sub->path);
      prefix_decls(T, seen, sub, name, stamp_lo);
    }
  }
}

static void fix_module_types(Typer *T, CopyMap *seen, ModuleDesc *md) {
  for (int i = 0; i < md->nitems; i++) {
    ModItem *it = &md->items[i];
    switch (it->kind) {
    case MI_VALUE: fix_type_paths(T, seen, ((ValueDesc *)it->desc)->ty); break;
    case MI_TYPE: {
      TypeDecl *d = it->desc;
      if (d->manifest) fix_type_paths(T, seen, d->manifest);
      for (int k = 0; k < d->nconstrs; k++) {
        fix_type_paths(T, seen, d->constrs[k]->res);
        for (int a = 0; a < d->constrs[k]->nargs; a++) fix_type_paths(T, seen, d->constrs[k]->args[a]);
      }
      for (int k = 0; k < d->nfields; k++) {
        fix_type_paths(T, seen, d->fields[k]->res);
        fix_type_paths(T, seen, d->fields[k]->ty);
      }
      break;
    }
    case MI_EXCEPTION: {
      ConstrDesc *c = it->desc;
      for (int a = 0; a < c->nargs; a++) fix_type_paths(T, seen, c->args[a]);
      break;
    }
    case MI_MODULE: fix_module_types(T, seen, it->desc); break;
    case MI_MODTYPE: break;
    }
  }
}

static void close_module(Typer *T, ModuleDesc *md, const char *name, int stamp_lo) {
  if (!name || !*name) return; /* anonymous structures keep bare paths */
  prefix_decls(T, ty_copymap_new(T), md, name, stamp_lo);
  fix_module_types(T, ty_copymap_new(T), md);
}

void ty_close_module(Typer *T, ModuleDesc *md, const char *name, int stamp_lo) {
  close_module(T, md, name, stamp_lo);
}

/* ---- Structures ---------------------------------------------------------------- */

static ModuleDesc *type_struct_items(Typer *T, Item **items, int n, const char *name);

/* A structure's [@@@warning] items hold until its end. */
static ModuleDesc *type_struct(Typer *T, Item **items, int n, const char *name) {
  WarnSettings *w = T->ctx->warnings, saved;
  if (w) saved = *w;
  ModuleDesc *md = type_struct_items(T, items, n, name);
  if (w) *w = saved;
  return md;
}

static ModuleDesc *type_struct_items(Typer *T, Item **items, int n, const char *name) {
  int mark = env_mark(T->env);
  int stamp_lo = T->next_stamp;
  PtrVec *outer = T->bound;
  SigBuild s = {0};
  DefinedSet defined = {0};
  /* A recursive module's body anchors its own type declarations only,
   * not those of its submodules. */
  ModuleDesc *anchor = T->rec_anchor;
  T->rec_anchor = NULL;
  for (int i = 0; i < n; i++) {
    Item *sub = items[i];
    int m0 = env_mark(T->env);
    if (sub->kind == ITEM_TYPE) T->rec_anchor = anchor;
    if (sub->kind == ITEM_MODULE && anchor && anchor->env && sub->mexpr->kind == MOD_STRUCT)
      T->rec_anchor = env_find(anchor->env, NS_MODULE, sub->name);
    ty_item(T, sub);
    T->rec_anchor = NULL;
    if (outer)
      for (int k = 0; k < sub->bound.len; k++) ptrvec_push(T->arena, outer, sub->bound.items[k]);
    if (sub->kind == ITEM_OPEN || sub->kind == ITEM_DIRECTIVE || sub->kind == ITEM_WARNING || sub->is_open)
      continue;
    if (sub->kind != ITEM_INCLUDE)
      check_unique(T, &defined, m0, env_mark(T->env), sub->loc, sub->types, sub->ntypes, NULL,
                   sub->kind == ITEM_EXCEPTION);
    int first = s.nitems;
    sig_collect(T, &s, m0, env_mark(T->env), sub->kind == ITEM_EXCEPTION || sub->kind == ITEM_INCLUDE,
                sub->kind == ITEM_TYPE);
    if (sub->kind == ITEM_RECMODULE) mark_rec_group(&s, first);
  }
  ModuleDesc *md = sig_finish(T, &s, name);
  env_rollback(T->env, mark);
  close_module(T, md, name, stamp_lo);
  return md;
}

void ty_items(Typer *T, Item **items, int n) {
  DefinedSet defined = {0};
  for (int i = 0; i < n; i++) {
    Item *sub = items[i];
    int m0 = env_mark(T->env);
    ty_item(T, sub);
    if (n == 1 || sub->kind == ITEM_OPEN || sub->kind == ITEM_DIRECTIVE || sub->is_open ||
        sub->kind == ITEM_INCLUDE)
      continue;
    check_unique(T, &defined, m0, env_mark(T->env), sub->loc, sub->types, sub->ntypes, NULL,
                 sub->kind == ITEM_EXCEPTION);
  }
}

/* ---- Signatures ------------------------------------------------------------------- */

static ModuleDesc *modtype_decl(Typer *T, ModType *mt, const char *name);

static void type_sig_item(Typer *T, SigItem *si) {
  switch (si->kind) {
  case SIG_VALUE: {
    if (si->nprims) {
      Item it = {0};
      it.kind = ITEM_EXTERNAL;
      it.name = si->name;
      it.ty = si->ty;
      it.prims = si->prims;
      it.nprims = si->nprims;
      PtrVec *saved = T->bound;
      T->bound = &it.bound;
      ty_external(T, &it);
      T->bound = saved;
      return;
    }
    TyVarScope sc = {0};
    ty_begin_def(T);
    Type *t = ty_typexpr(T, si->ty, &sc);
    ty_end_def(T);
    ty_generalize(T, t);
    ValueDesc *v = ty_new_local(T, si->name, t, si->loc);
    env_add(T->env, NS_VALUE, si->name, v);
    return;
  }
  case SIG_TYPE: {
    Item it = {0};
    it.kind = ITEM_TYPE;
    it.types = si->types;
    it.ntypes = si->ntypes;
    ty_type_decls(T, &it);
    return;
  }
  case SIG_EXCEPTION: ty_exception_decl(T, si->exn); return;
  case SIG_MODULE: {
    if (si->subst) { /* module N := P: P for the items after */
      env_add(T->env, NS_MODULE, si->name, ty_lookup_module(T, &si->path, false));
      return;
    }
    if (si->alias) { /* module N = M: M itself, printed as an alias */
      ModuleDesc *m = ty_lookup_module(T, &si->path, true);
      ModuleDesc *c = ARENA_NEW(T->arena, ModuleDesc);
      *c = *m;
      c->session = false;
      c->name = si->name;
      c->is_alias = !m->is_functor;
      c->alias_of = m->is_alias ? m->alias_of : ty_path_string(T, &si->path);
      env_add(T->env, NS_MODULE, si->name, c);
      return;
    }
    /* Its types are M.t in the rest of the signature, as a structure's. */
    int lo = T->next_stamp;
    ModuleDesc *md = ty_module_type(T, si->mty, si->name);
    close_module(T, md, si->name, lo);
    md->loc = si->loc;
    env_add(T->env, NS_MODULE, si->name, md);
    return;
  }
  case SIG_RECMODULE: ty_recmodule_sig(T, si); return;
  case SIG_MODTYPE: env_add(T->env, NS_MODTYPE, si->name, modtype_decl(T, si->mty, si->name)); return;
  case SIG_OPEN: ty_open(T, &si->path); return;
  case SIG_INCLUDE: {
    ModuleDesc *md = ty_module_type(T, si->mty, si->name);
    if (md->env) env_open(T->env, md->env);
    return;
  }
  }
}

/* Copies a signature with fresh type declarations, so that each module
 * ascribed the same named module type gets its own abstract types. */
static ModuleDesc *fresh_sig(Typer *T, ModuleDesc *sig, const char *name);

/* An empty signature: a generative functor's parameter (`()`), and what
 * an abstract module type holds. */
static ModuleDesc *empty_sig(Typer *T, const char *name) {
  SigBuild s = {0};
  return sig_finish(T, &s, name);
}

/* `module type A` with no definition: an abstract module type. */
static ModuleDesc *abstract_modtype(Typer *T, const char *name) {
  ModuleDesc *md = empty_sig(T, name);
  md->is_abstract = true;
  md->abstract_stamp = T->next_stamp++;
  md->sig_name = name;
  return md;
}

/* A functor's parameter: its name (NULL for a generative functor's
 * `()`) and its signature, declared for the body. */
static ModuleDesc *functor_param(Typer *T, const char *param, ModType *param_type) {
  if (!param_type) return empty_sig(T, NULL);
  int lo = T->next_stamp;
  ModuleDesc *md = ty_module_type(T, param_type, param);
  /* Inside the body the parameter's types are E.t. */
  close_module(T, md, param, lo);
  return md;
}

static ModuleDesc *copy_fresh(Typer *T, DeclSubst *ds, ModuleDesc *md, const char *name, bool fresh_values);

ModuleDesc *ty_module_type(Typer *T, ModType *mt, const char *name) {
  if (!mt) return abstract_modtype(T, name);
  switch (mt->kind) {
  case MTY_SIG: {
    int mark = env_mark(T->env);
    SigBuild s = {0};
    /* Local substitutions (type t := u): declared for the items after
     * them, then replaced by their definitions, not part of the
     * signature. */
    DeclSubst ds = {NULL, NULL, NULL};
    DefinedSet defined = {0}, included = {0};
    for (int i = 0; i < mt->nitems; i++) {
      SigItem *si = mt->items[i];
      if (si->kind == SIG_TYPE && si->ntypes > 0 && si->types[0].destructive) {
        TypeDecl **subs = ARENA_ARRAY(T->arena, TypeDecl *, si->ntypes);
        ty_type_substs(T, si->types, si->ntypes, subs);
        if (!ds.expand) ds = (DeclSubst){ty_copymap_new(T), ty_copymap_new(T), ty_copymap_new(T)};
        for (int k = 0; k < si->ntypes; k++) ty_copymap_put(ds.expand, subs[k], subs[k]->manifest);
        continue;
      }
      int m0 = env_mark(T->env);
      type_sig_item(T, si);
      /* module type P := mty: P for the items after, not a component. */
      if (si->kind == SIG_OPEN || si->subst) continue;
      if (si->kind != SIG_INCLUDE) {
        check_unique(T, &defined, m0, env_mark(T->env), si->loc, si->types, si->ntypes, si,
                     si->kind == SIG_EXCEPTION);
        shadow_included(T, &s, &included, m0, env_mark(T->env));
      } else {
        check_include(T, &defined, &included, m0, env_mark(T->env), si->loc);
      }
      int first = s.nitems;
      sig_collect(T, &s, m0, env_mark(T->env), si->kind == SIG_EXCEPTION, si->kind == SIG_TYPE);
      if (si->kind == SIG_RECMODULE) mark_rec_group(&s, first);
    }
    ModuleDesc *md = sig_finish(T, &s, name);
    env_rollback(T->env, mark);
    if (ds.expand) md = copy_fresh(T, &ds, md, name, false);
    return md;
  }
  case MTY_IDENT: {
    Env *scope = mt->path.nmods ? ty_lookup_module(T, &mt->path, false)->env : T->env;
    ModuleDesc *md = env_find(scope, NS_MODTYPE, mt->path.name);
    if (!md) ty_error_unbound(T, mt->path.loc, "module type", NS_MODTYPE, &mt->path);
    ModuleDesc *c = fresh_sig(T, md, name);
    c->sig_name = ty_path_string(T, &mt->path);
    return c;
  }
  case MTY_FUNCTOR: {
    ModuleDesc *md = ARENA_NEW(T->arena, ModuleDesc);
    md->name = name;
    md->is_functor = true;
    md->param = mt->param;
    md->param_type = functor_param(T, mt->param, mt->param_type);
    int mark = env_mark(T->env);
    if (mt->param) env_add(T->env, NS_MODULE, mt->param, md->param_type);
    md->result = ty_module_type(T, mt->body, name);
    env_rollback(T->env, mark);
    md->fval = ty_new_local(T, name && *name ? name : "functor",
                            ty_new_arrow(T, ty_predef(T, TYB_UNIT), ty_predef(T, TYB_UNIT)), mt->loc);
    return md;
  }
  case MTY_TYPEOF: {
    /* The module's own signature, not strengthened: its abstract types
     * are new ones, unrelated to the module's (OCaml 4.13). */
    PtrVec *saved = T->bound;
    PtrVec scratch = {0};
    T->bound = &scratch;
    ModuleDesc *md = ty_module_expr(T, mt->typeof_expr, "");
    T->bound = saved;
    if (md->is_alias) md = ty_lookup_module(T, &mt->typeof_expr->path, true);
    ModuleDesc *c = fresh_sig(T, md, name);
    if (c == md) {
      c = ARENA_NEW(T->arena, ModuleDesc);
      *c = *md;
      c->session = false;
    }
    c->sig_name = NULL;
    c->is_alias = false;
    c->name = name;
    return c;
  }
  case MTY_WITH: {
    ModuleDesc *md = ty_module_type(T, mt->base, name);
    md->sig_name = NULL;
    for (int i = 0; i < mt->nwith; i++) md = ty_with_type(T, md, &mt->with_types[i], mt->loc, name);
    return md;
  }
  }
  NML_UNREACHABLE();
}

/* ---- Substitution of type declarations (fresh signatures, functors) ---------- */

static Type *subst_type(Typer *T, DeclSubst *ds, Type *t);

static Type *subst_row_item(Typer *T, Type *t, void *ds) { return subst_type(T, ds, t); }

static TypeDecl *subst_row_decl(Typer *T, TypeDecl *d, void *arg) {
  (void)T;
  DeclSubst *ds = arg;
  /* A name a destructive substitution removes goes: the row prints whole. */
  if (ds->expand && ty_copymap_get(ds->expand, d)) return NULL;
  TypeDecl *n = ty_copymap_get(ds->decls, d);
  return n ? n : d;
}

static Type **subst_types(Typer *T, DeclSubst *ds, Type **ts, int n) {
  Type **c = ARENA_ARRAY(T->arena, Type *, n + 1);
  for (int i = 0; i < n; i++) c[i] = subst_type(T, ds, ts[i]);
  return c;
}

static Type *subst_type(Typer *T, DeclSubst *ds, Type *t) {
  t = ty_repr(t);
  if (t->kind == TY_VAR) return t; /* generic variables stay shared */
  Type *c = ty_copymap_get(ds->types, t);
  if (c) return c;
  /* A cyclic type (-rectypes) comes back to t while its copy is being
   * made: the copy's references to t go through a variable that is then
   * linked to the copy. */
  Type *ph = NULL;
  if (T->rectypes || t->kind == TY_VARIANT) { /* rows may be cyclic */
    ph = ty_new_generic_var(T);
    ty_copymap_put(ds->types, t, ph);
  }
  switch (t->kind) {
  case TY_VARIANT: c = ty_row_map(T, t, subst_row_item, ds, subst_row_decl); break;
  case TY_ARROW: c = ty_copy_arrow(T, t, subst_type(T, ds, t->a), subst_type(T, ds, t->b)); break;
  case TY_TUPLE: c = ty_new_tuple(T, subst_types(T, ds, t->args, t->nargs), t->nargs); break;
  case TY_PACKAGE:
    c = ty_new_package(T, t->pkg, t->path, t->pkg_names, subst_types(T, ds, t->args, t->nargs), t->nargs);
    break;
  case TY_CONSTR: {
    Type *x = ds->expand ? ty_copymap_get(ds->expand, t->decl) : NULL;
    if (x) {
      /* With parameters (a destructive `with type 'a t := …`), x is in
       * terms of the declaration's parameters: instantiate it. */
      c = t->nargs ? subst_type(T, ds, ty_subst_params(T, t->decl, t->args, x)) : x;
      break;
    }
    TypeDecl *d = ty_copymap_get(ds->decls, t->decl);
    if (!d) d = t->decl;
    c = ty_new_constr(T, d, subst_types(T, ds, t->args, t->nargs), t->nargs, d->path);
    break;
  }
  case TY_VAR: break;
  }
  if (ph) ph->link = c;
  ty_copymap_put(ds->types, t, c);
  return c;
}

static TypeDecl *fresh_decl(Typer *T, DeclSubst *ds, TypeDecl *d) {
  TypeDecl *c = ARENA_NEW(T->arena, TypeDecl);
  *c = *d;
  c->session = false;
  c->stamp = ++T->next_stamp;
  c->time = T->next_type_id;
  ty_copymap_put(ds->decls, d, c);
  return c;
}

/* Fills the copied declaration's body once every declaration is mapped. */
static void fill_fresh_decl(Typer *T, DeclSubst *ds, TypeDecl *d, TypeDecl *c) {
  if (d->manifest) c->manifest = subst_type(T, ds, d->manifest);
  Type *res = ty_new_constr(T, c, c->params, c->nparams, c->path);
  if (d->nconstrs) {
    c->constrs = ARENA_ARRAY(T->arena, ConstrDesc *, d->nconstrs + 1);
    for (int i = 0; i < d->nconstrs; i++) {
      ConstrDesc *k = ARENA_NEW(T->arena, ConstrDesc);
      *k = *d->constrs[i];
      k->session = false;
      k->decl = c;
      k->res = res;
      k->args = subst_types(T, ds, d->constrs[i]->args, d->constrs[i]->nargs);
      c->constrs[i] = k;
      ty_copymap_put(ds->types, d->constrs[i], k);
    }
  }
  if (d->nfields) {
    c->fields = ARENA_ARRAY(T->arena, FieldDesc *, d->nfields + 1);
    for (int i = 0; i < d->nfields; i++) {
      FieldDesc *k = ARENA_NEW(T->arena, FieldDesc);
      *k = *d->fields[i];
      k->session = false;
      k->decl = c;
      k->res = res;
      k->ty = subst_type(T, ds, d->fields[i]->ty);
      c->fields[i] = k;
      ty_copymap_put(ds->types, d->fields[i], k);
    }
  }
}

static ModuleDesc *subst_module(Typer *T, DeclSubst *ds, ModuleDesc *md, const char *name, bool fresh_values);

/* Makes v (a copy) a new variable of the phrase. */
static void fresh_local(Typer *T, ValueDesc *v) {
  v->session = false;
  v->committed = NULL;
  v->kind = VAL_LOCAL;
  v->id = ++T->next_local_id;
  v->symbol = NULL;
  v->origin = NULL;
}

/* Records the run-time components of md (a functor application's
 * result) as values the current item binds, in block order. */
static void bind_fields(Typer *T, ModuleDesc *md) {
  if (!T->bound) return;
  if (md->is_functor) {
    if (md->fval) ptrvec_push(T->arena, T->bound, md->fval);
    return;
  }
  for (int i = 0; i < md->nitems; i++) {
    ModItem *it = &md->items[i];
    if (!mod_item_has_field(it)) continue;
    if (it->kind == MI_VALUE) ptrvec_push(T->arena, T->bound, it->desc);
    else if (it->kind == MI_EXCEPTION) ptrvec_push(T->arena, T->bound, ((ConstrDesc *)it->desc)->exn_val);
    else bind_fields(T, it->desc);
  }
}

static void *subst_entry(Typer *T, DeclSubst *ds, EnvNs ns, void *desc, bool fresh_values) {
  void *done = ty_copymap_get(ds->types, desc);
  if (done) return done;
  void *r = desc;
  switch (ns) {
  case NS_VALUE: {
    ValueDesc *v = ARENA_NEW(T->arena, ValueDesc);
    *v = *(ValueDesc *)desc;
    v->session = false;
    v->committed = NULL;
    v->ty = subst_type(T, ds, v->ty);
    if (fresh_values && v->kind != VAL_PRIM) fresh_local(T, v);
    r = v;
    break;
  }
  case NS_TYPE:
    r = ty_copymap_get(ds->decls, desc);
    if (!r) r = desc;
    break;
  case NS_CONSTR: {
    ConstrDesc *c = desc;
    if (c->is_exn) {
      ConstrDesc *k = ARENA_NEW(T->arena, ConstrDesc);
      *k = *c;
      k->session = false;
      k->args = subst_types(T, ds, c->args, c->nargs);
      if (fresh_values && c->exn_val) {
        k->exn_val = ARENA_NEW(T->arena, ValueDesc);
        *k->exn_val = *c->exn_val;
        fresh_local(T, k->exn_val);
      }
      r = k;
    }
    break;
  }
  case NS_FIELD: break;
  case NS_MODULE: r = subst_module(T, ds, desc, ((ModuleDesc *)desc)->name, fresh_values); break;
  case NS_MODTYPE:
    if (!((ModuleDesc *)desc)->is_abstract) r = subst_module(T, ds, desc, ((ModuleDesc *)desc)->name, false);
    break;
  case NS_COUNT: break;
  }
  ty_copymap_put(ds->types, desc, r);
  return r;
}

static void map_decls(Typer *T, DeclSubst *ds, ModuleDesc *md, PtrVec *fresh) {
  if (md->is_functor) {
    /* A partial application: the inner result's types are generative
     * too, and the inner parameter's may mention the outer one's. */
    map_decls(T, ds, md->param_type, fresh);
    map_decls(T, ds, md->result, fresh);
    return;
  }
  for (int i = 0; i < md->nitems; i++) {
    if (md->items[i].kind == MI_TYPE && !ty_copymap_get(ds->decls, md->items[i].desc)) {
      ptrvec_push(T->arena, fresh, md->items[i].desc);
      ptrvec_push(T->arena, fresh, fresh_decl(T, ds, md->items[i].desc));
    } else if (md->items[i].kind == MI_MODULE) {
      map_decls(T, ds, md->items[i].desc, fresh);
    } else if (md->items[i].kind == MI_MODTYPE && !((ModuleDesc *)md->items[i].desc)->is_abstract) {
      /* A module type declared inside may speak of the signature's
       * types: its copy speaks of the copies. */
      map_decls(T, ds, md->items[i].desc, fresh);
    }
  }
}

static ModuleDesc *subst_module(Typer *T, DeclSubst *ds, ModuleDesc *md, const char *name,
                                bool fresh_values) {
  ModuleDesc *c = ARENA_NEW(T->arena, ModuleDesc);
  *c = *md;
  c->session = false;
  c->name = name;
  c->path = name;
  if (md->is_functor) {
    c->param_type = subst_module(T, ds, md->param_type, md->param_type->name, false);
    c->result = subst_module(T, ds, md->result, md->result->name, false);
    if (md->fval) {
      /* Each copy is its own variable: a parameter's is bound by unpacking. */
      c->fval = ARENA_NEW(T->arena, ValueDesc);
      *c->fval = *md->fval;
      fresh_local(T, c->fval);
    }
    return c;
  }
  EnvEntry *es = ARENA_ARRAY(T->arena, EnvEntry, md->env->len + 1);
  for (int i = 0; i < md->env->len; i++) {
    es[i] = md->env->entries[i];
    if (es[i].ns == NS_CONSTR && !((ConstrDesc *)es[i].desc)->is_exn) {
      ConstrDesc *k = ty_copymap_get(ds->types, es[i].desc);
      if (k) es[i].desc = k;
    } else if (es[i].ns == NS_FIELD) {
      FieldDesc *k = ty_copymap_get(ds->types, es[i].desc);
      if (k) es[i].desc = k;
    } else {
      es[i].desc = subst_entry(T, ds, es[i].ns, es[i].desc, fresh_values);
    }
  }
  c->env = env_freeze_entries(T->arena, es, md->env->len);
  c->items = ARENA_ARRAY(T->arena, ModItem, md->nitems + 1);
  for (int i = 0; i < md->nitems; i++) {
    c->items[i] = md->items[i];
    EnvNs ns = md->items[i].kind == MI_VALUE       ? NS_VALUE
               : md->items[i].kind == MI_TYPE      ? NS_TYPE
               : md->items[i].kind == MI_EXCEPTION ? NS_CONSTR
               : md->items[i].kind == MI_MODULE    ? NS_MODULE
                                                   : NS_MODTYPE;
    c->items[i].desc = subst_entry(T, ds, ns, md->items[i].desc, fresh_values);
  }
  return c;
}

/* Copies md with fresh declarations for its own types (and those mapped
 * in ds already), optionally fresh values. */
ModuleDesc *ty_copy_fresh(Typer *T, DeclSubst *ds, ModuleDesc *md, const char *name, bool fresh_values) {
  return copy_fresh(T, ds, md, name, fresh_values);
}

static ModuleDesc *copy_fresh(Typer *T, DeclSubst *ds, ModuleDesc *md, const char *name, bool fresh_values) {
  PtrVec fresh = {0};
  map_decls(T, ds, md, &fresh);
  for (int i = 0; i < fresh.len; i += 2) fill_fresh_decl(T, ds, fresh.items[i], fresh.items[i + 1]);
  return subst_module(T, ds, md, name, fresh_values);
}

static ModuleDesc *fresh_sig(Typer *T, ModuleDesc *sig, const char *name) {
  if (sig->is_functor) {
    /* Each use gets its own descriptor (its names are set by the user). */
    ModuleDesc *c = ARENA_NEW(T->arena, ModuleDesc);
    *c = *sig;
    c->session = false;
    return c;
  }
  DeclSubst ds = {ty_copymap_new(T), ty_copymap_new(T), NULL};
  return copy_fresh(T, &ds, sig, name, false);
}

/* ---- Module expressions -------------------------------------------------------------- */

/* Maps the types of functor f's parameter to those of the argument:
 * its declarations, or for an anonymous argument, the abbreviations they
 * stand for (they cannot be named). */
static DeclSubst arg_subst(Typer *T, ModuleDesc *f, ModuleDesc *arg, bool named_arg) {
  DeclSubst ds = {ty_copymap_new(T), ty_copymap_new(T), NULL};
  for (int i = 0; i < f->param_type->nitems; i++) {
    ModItem *it = &f->param_type->items[i];
    if (it->kind != MI_TYPE) continue;
    TypeDecl *ad = env_find(arg->env, NS_TYPE, it->name);
    if (!ad) continue;
    if (!named_arg && ad->manifest && ad->nparams == 0) {
      if (!ds.expand) ds.expand = ty_copymap_new(T);
      ty_copymap_put(ds.expand, it->desc, ad->manifest);
    } else {
      ty_copymap_put(ds.decls, it->desc, ad);
    }
  }
  return ds;
}

/* How an anonymous module argument's types print: `Twice(IntShow).t`. */
static const char *mod_expr_name(Typer *T, ModExpr *me) {
  if (me->kind == MOD_IDENT) return ty_path_string(T, &me->path);
  if (me->kind == MOD_APPLY) {
    const char *f = mod_expr_name(T, me->fn), *a = mod_expr_name(T, me->arg);
    if (*f && *a) return arena_printf(T->arena, "%s(%s)", f, a);
  }
  return "";
}

static ModuleDesc *module_expr(Typer *T, ModExpr *me, const char *name);
static ModuleDesc *unpack_module(Typer *T, ModExpr *me, const char *name);

/* How a functor's argument is shown in errors: its path, "" for a
 * structure, NULL for `()` (OCaml's functor_arg_descr). */
static const char *arg_descr(Typer *T, ModExpr *arg) {
  if (arg->kind == MOD_IDENT) return ty_path_string(T, &arg->path);
  if (arg->kind == MOD_STRUCT && arg->nitems == 0) return NULL;
  return "";
}

/* One application of the chain F(A)(B)...: f applied to node->arg,
 * typed already. */
/* f applied to arg: the parameter's types become the argument's and the
 * body's own types are fresh for each application; fresh_values gives
 * the result's values variables of their own. */
static ModuleDesc *apply_sig(Typer *T, ModuleDesc *f, ModuleDesc *arg, bool named_arg, const char *name,
                             bool fresh_values) {
  DeclSubst ds = arg_subst(T, f, arg, named_arg);
  int stamp_lo = T->next_stamp;
  ModuleDesc *r = copy_fresh(T, &ds, f->result, name, fresh_values);
  r->is_alias = false;
  r->id = 0;
  for (int i = 0; i < r->nitems; i++)
    if (r->items[i].kind == MI_TYPE)
      ((TypeDecl *)r->items[i].desc)->path = ((TypeDecl *)r->items[i].desc)->name;
  close_module(T, r, name, stamp_lo);
  return r;
}

ModuleDesc *ty_apply_sig(Typer *T, ModuleDesc *f, ModuleDesc *arg, const char *name) {
  return apply_sig(T, f, arg, true, name, false);
}

static ModuleDesc *apply_one(Typer *T, ModExpr *node, ModuleDesc *f, const char *name) {
  ModuleDesc *arg = node->arg->md;
  const char *app = mod_expr_name(T, node);
  ModuleDesc *r = apply_sig(T, f, arg, *mod_expr_name(T, node->arg) != 0, name, true);
  bind_fields(T, r);
  /* An application of paths is applicative: its abstract types are
   * F(X).t, the same for every application of F to X; a strengthened
   * result no longer prints as its named module type. */
  if (*app && f->id && arg->id) {
    r->id = ty_app_id(T, f->id, arg->id);
    if (ty_app_strengthen(T, r, r->id, app)) r->sig_name = NULL;
  }
  return r;
}

/* F(A)(B)... as OCaml's Typemod.type_application: the arguments are
 * typed first, last first, then F; then each application in turn, and
 * when an argument does not match (or F takes fewer), the error shows
 * the whole application against F's parameters. */
static ModuleDesc *apply_chain(Typer *T, ModExpr *me, const char *name) {
  int n = 0;
  for (ModExpr *m = me; m->kind == MOD_APPLY; m = m->fn) n++;
  ModExpr **nodes = ARENA_ARRAY(T->arena, ModExpr *, n);
  n = 0;
  for (ModExpr *m = me; m->kind == MOD_APPLY; m = m->fn) nodes[n++] = m;
  PtrVec *saved = T->bound;
  PtrVec scratch = {0};
  T->bound = &scratch; /* the arguments' values are not the phrase's */
  for (int i = 0; i < n; i++) ty_module_expr(T, nodes[i]->arg, mod_expr_name(T, nodes[i]->arg));
  T->bound = saved;
  ModuleDesc *head = ty_module_expr(T, nodes[n - 1]->fn, name), *f = head;
  for (int i = n - 1; i >= 0; i--) {
    ModExpr *node = nodes[i];
    bool ok = f->is_functor;
    if (ok && !f->param) {
      if (arg_descr(T, node->arg))
        ty_error_text(T, node->fn->loc, "This is a generative functor. It can only be applied to ()");
      if (T->funct_body && ty_mty_contains_type(f->result)) ty_error_fresh_types(T, node->loc);
    } else if (ok) {
      ok = ty_include_matches(T, node->arg->md, f->param_type);
    }
    if (!ok) {
      const char **names = ARENA_ARRAY(T->arena, const char *, n);
      ModuleDesc **args = ARENA_ARRAY(T->arena, ModuleDesc *, n);
      for (int k = 0; k < n; k++) {
        names[k] = arg_descr(T, nodes[n - 1 - k]->arg);
        args[k] = nodes[n - 1 - k]->arg->md;
      }
      ty_include_apply_error(T, me->loc, head, names, args, n);
    }
    if (f->param && !*mod_expr_name(T, node->arg)) ty_check_nondep(T, f, node->arg->md, node->loc);
    f = apply_one(T, node, f, name);
    if (i > 0) node->md = f;
  }
  return f;
}

ModuleDesc *ty_module_expr(Typer *T, ModExpr *me, const char *name) {
  me->md = module_expr(T, me, name);
  return me->md;
}

static ModuleDesc *module_expr(Typer *T, ModExpr *me, const char *name) {
  switch (me->kind) {
  case MOD_STRUCT: return type_struct(T, me->items, me->nitems, name);
  case MOD_IDENT: {
    ty_recmod_note_use(T, me->path.nmods ? me->path.mods[0] : me->path.name);
    ModuleDesc *m = ty_lookup_module(T, &me->path, true);
    ty_module_id(T, m); /* the alias is the same module */
    ModuleDesc *c = ARENA_NEW(T->arena, ModuleDesc);
    *c = *m;
    c->session = false;
    c->name = name;
    c->is_alias = !m->is_functor;
    c->alias_of = m->is_alias ? m->alias_of : ty_path_string(T, &me->path);
    return c;
  }
  case MOD_CONSTRAINT: {
    ModuleDesc *impl = ty_module_expr(T, me->fn, name);
    int stamp_lo = T->next_stamp;
    ModuleDesc *sig = ty_module_type(T, me->mty, name);
    ModuleDesc *r = ty_ascribe(T, impl, sig, me->fn->loc, ty_owns_values(me->fn));
    r->name = name;
    r->is_alias = false;
    close_module(T, r, name, stamp_lo);
    return r;
  }
  case MOD_FUNCTOR: {
    ModuleDesc *md = ARENA_NEW(T->arena, ModuleDesc);
    md->name = name;
    md->is_functor = true;
    md->param = me->param;
    md->param_type = functor_param(T, me->param, me->param_type);
    int mark = env_mark(T->env);
    if (me->param) env_add(T->env, NS_MODULE, me->param, md->param_type);
    PtrVec *saved = T->bound;
    PtrVec scratch = {0};
    T->bound = &scratch; /* the body's values are not the phrase's */
    md->stamp_lo = T->next_stamp;
    bool saved_funct = T->funct_body;
    T->funct_body = me->param != NULL; /* a generative functor's body may */
    /* The body's own types are local to it: they print bare. */
    md->result = ty_module_expr(T, me->body, "");
    T->funct_body = saved_funct;
    md->stamp_hi = T->next_stamp;
    md->result->is_alias = false;
    T->bound = saved;
    env_rollback(T->env, mark);
    /* At run time a functor is a closure from its argument's block to its
     * result's block (see mod_item_has_field), held in fval. */
    md->fval = ty_new_local(T, name && *name ? name : "functor",
                            ty_new_arrow(T, ty_predef(T, TYB_UNIT), ty_predef(T, TYB_UNIT)), me->loc);
    if (T->bound) ptrvec_push(T->arena, T->bound, md->fval);
    return md;
  }
  case MOD_UNPACK: return unpack_module(T, me, name);
  case MOD_APPLY: return apply_chain(T, me, name);
  }
  NML_UNREACHABLE();
}

void ty_module_item(Typer *T, Item *item) {
  ModuleDesc *md = ty_module_expr(T, item->mexpr, item->name);
  md->name = item->name;
  env_add(T->env, NS_MODULE, item->name, md);
}

/* A module type declaration `module type name = mt`: modules of its
 * type print as its name, and it prints its body, or the module type
 * that body names. */
static ModuleDesc *modtype_decl(Typer *T, ModType *mt, const char *name) {
  ModuleDesc *md = ty_module_type(T, mt, name);
  md->name = name;
  /* Another name for an abstract module type still prints as its name. */
  if (md->is_abstract) return md;
  if (mt && mt->kind == MTY_IDENT) md->body_name = md->sig_name;
  md->sig_name = name;
  return md;
}

void ty_modtype_item(Typer *T, Item *item) {
  env_add(T->env, NS_MODTYPE, item->name, modtype_decl(T, item->mty, item->name));
}

void ty_open(Typer *T, const Path *p) {
  ModuleDesc *md = ty_lookup_module(T, p, true);
  if (md->env) env_open(T->env, md->env);
}

void ty_include(Typer *T, Item *item) {
  ModuleDesc *md = ty_module_expr(T, item->mexpr, "");
  if (md->env) env_open(T->env, md->env);
}

void ty_module_out_of_scope(Typer *T, ModuleDesc *md) {
  if (md->is_functor) return;
  for (int i = 0; i < md->nitems; i++) {
    ModItem *it = &md->items[i];
    if (it->kind == MI_TYPE && !((TypeDecl *)it->desc)->session) ((TypeDecl *)it->desc)->out_of_scope = true;
    else if (it->kind == MI_MODULE && !((ModuleDesc *)it->desc)->session) ty_module_out_of_scope(T, it->desc);
  }
}

/* ---- First-class modules ------------------------------------------------------ */

static int name_cmp(const void *a, const void *b) {
  return strcmp(((const char *const *)a)[0], ((const char *const *)b)[0]);
}

/* The declaration of the type at a dotted path ("t", "M.t") in md. */
static TypeDecl *sig_type(ModuleDesc *md, const char *path) {
  const char *dot = strchr(path, '.');
  if (!md->env) return NULL;
  if (!dot) return env_find(md->env, NS_TYPE, path);
  char head[256];
  size_t n = (size_t)(dot - path);
  if (n >= sizeof head) return NULL;
  memcpy(head, path, n);
  head[n] = 0;
  ModuleDesc *sub = env_find(md->env, NS_MODULE, head);
  return sub ? sig_type(sub, dot + 1) : NULL;
}

Type *ty_package_type(Typer *T, TyExpr *te, TyVarScope *sc) {
  Env *scope = te->path.nmods ? ty_lookup_module(T, &te->path, false)->env : T->env;
  ModuleDesc *mty = env_find(scope, NS_MODTYPE, te->path.name);
  if (!mty) ty_error_unbound(T, te->path.loc, "module type", NS_MODTYPE, &te->path);
  int n = te->nitems;
  /* OCaml keeps the constraints sorted by name. */
  const char **pairs = ARENA_ARRAY(T->arena, const char *, 2 * n + 2);
  for (int i = 0; i < n; i++) {
    pairs[2 * i] = te->pkg_names[i];
    pairs[2 * i + 1] = (const char *)(intptr_t)i;
  }
  qsort(pairs, (size_t)n, 2 * sizeof(const char *), name_cmp);
  const char **names = ARENA_ARRAY(T->arena, const char *, n + 1);
  Type **args = ARENA_ARRAY(T->arena, Type *, n + 1);
  for (int i = 0; i < n; i++) {
    int k = (int)(intptr_t)pairs[2 * i + 1];
    names[i] = pairs[2 * i];
    if (i > 0 && strcmp(names[i], names[i - 1]) == 0)
      ty_error_textf(T, te->loc, "Multiple constraints for type %s", names[i]);
    TypeDecl *d = sig_type(mty, names[i]);
    if (!d || d->nparams > 0 || d->kind != TD_ABSTRACT || d->manifest)
      ty_error_textf(T, te->loc,
                     "In this `with' constraint, the new definition of %s\ndoes not match its original "
                     "definition in the constrained signature",
                     names[i]);
    args[i] = ty_typexpr(T, te->items[k], sc);
  }
  return ty_new_package(T, mty, ty_path_string(T, &te->path), names, args, n);
}

/* The signature a package type stands for: a copy of its module type
 * whose constrained types are the package's; fresh_values for a module
 * unpacked from a value, whose values are then the block's fields. */
static ModuleDesc *package_sig(Typer *T, Type *pkg, const char *name, bool fresh_values) {
  DeclSubst ds = {ty_copymap_new(T), ty_copymap_new(T), NULL};
  ModuleDesc *sig = copy_fresh(T, &ds, pkg->pkg, name, fresh_values);
  for (int i = 0; i < pkg->nargs; i++) {
    TypeDecl *d = sig_type(sig, pkg->pkg_names[i]);
    if (d) d->manifest = pkg->args[i];
  }
  if (pkg->nargs == 0) sig->sig_name = pkg->path;
  return sig;
}

static void package_unknown(Typer *T, Loc loc) {
  ty_error_text(T, loc, "The signature for this packaged module couldn't be inferred.");
}

/* (module me : S): as in OCaml, me is checked against S's signature and
 * the package's constrained types are me's own (`(module S with type t =
 * I.t)`), then the package meets the annotation and the expected type. */
void ty_pack(Typer *T, Expr *e, Type *expected) {
  Type *target = e->tyexpr ? ty_package_type(T, e->tyexpr, T->annot) : expected;
  Type *pkg = ty_expand_head(T, target);
  if (pkg->kind != TY_PACKAGE) package_unknown(T, e->loc);
  PtrVec *saved = T->bound;
  PtrVec scratch = {0};
  T->bound = &scratch; /* the module's values are not the phrase's */
  ModuleDesc *impl = ty_module_expr(T, e->mexpr, "");
  T->bound = saved;
  Type base = *pkg;
  base.nargs = 0;
  ModuleDesc *sig = package_sig(T, &base, NULL, false);
  ty_include_check(T, impl, sig, e->mexpr->loc, false);
  Type **args = ARENA_ARRAY(T->arena, Type *, pkg->nargs + 1);
  for (int i = 0; i < pkg->nargs; i++) {
    TypeDecl *d = sig_type(impl, pkg->pkg_names[i]);
    if (!d) NML_UNREACHABLE(); /* ascribe checked that impl has it */
    args[i] = ty_new_constr(T, d, NULL, 0, d->path ? d->path : d->name);
  }
  e->mod = sig;
  e->ty = ty_new_package(T, pkg->pkg, pkg->path, pkg->pkg_names, args, pkg->nargs);
  if (e->tyexpr && !ty_unify(T, e->ty, target)) ty_error_expr_mismatch(T, e->loc, WHY_NONE, false, e);
  if (e->tyexpr) e->ty = target;
}

static ModuleDesc *unpack_module(Typer *T, ModExpr *me, const char *name) {
  Type *pkg;
  if (me->pkg_type) {
    pkg = ty_package_type(T, me->pkg_type, T->annot);
    ty_expr_expect(T, me->unpacked, pkg, WHY_NONE);
  } else {
    pkg = ty_expand_head(T, ty_expr(T, me->unpacked));
    if (pkg->kind != TY_PACKAGE) package_unknown(T, me->loc);
  }
  int stamp_lo = T->next_stamp;
  ModuleDesc *r = package_sig(T, ty_expand_head(T, pkg), name, true);
  if (T->funct_body && ty_mty_contains_type(r)) ty_error_fresh_types(T, me->loc);
  bind_fields(T, r);
  r->is_alias = false;
  close_module(T, r, name, stamp_lo);
  return r;
}
