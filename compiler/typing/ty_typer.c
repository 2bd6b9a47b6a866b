/* ty_typer.c — the type checker's entry points (see typecheck.h): the
 * session's Typer, one structure item at a time, and the phrase
 * boundary: commit copies what the phrase added to the environment into
 * the session arena, rollback removes it and unlinks the weak variables
 * the phrase bound. */
#include <stdlib.h>
#include <string.h>

#include "typecheck.h"

Typer *ty_new(Arena *perm) {
  Typer *T = calloc(1, sizeof(Typer));
  if (!T) nml_fatal("out of memory");
  T->perm = perm;
  T->env = env_initial(perm, &T->next_stamp);
  static const char *names[] = {
      [TYB_INT] = "int",     [TYB_CHAR] = "char",           [TYB_STRING] = "string",  [TYB_BYTES] = "bytes",
      [TYB_FLOAT] = "float", [TYB_BOOL] = "bool",           [TYB_UNIT] = "unit",      [TYB_EXN] = "exn",
      [TYB_ARRAY] = "array", [TYB_LIST] = "list",           [TYB_OPTION] = "option",  [TYB_INT32] = "int32",
      [TYB_INT64] = "int64", [TYB_NATIVEINT] = "nativeint", [TYB_FORMAT] = "format6", [TYB_LAZY] = "lazy_t",
  };
  for (int i = 0; i <= TYB_EXTENSIBLE; i++)
    if (i < (int)(sizeof names / sizeof names[0]) && names[i])
      T->predef[i] = env_find(T->env, NS_TYPE, names[i]);
  T->mod_prefix = "";
  T->phrase_mark = env_mark(T->env);
  return T;
}

void ty_free(Typer *T) {
  if (!T) return;
  env_free(T->env);
  free(T->trail);
  free(T->upairs);
  free(T);
}

void ty_set_classic(Typer *T, bool classic) { T->classic = classic; }

Env *ty_env(Typer *T) { return T->env; }

void ty_set_rectypes(Typer *T, bool on) { T->rectypes = on; }

void ty_begin_phrase(Typer *T, Ctx *ctx) {
  T->ctx = ctx;
  T->arena = ctx->arena;
  T->level = 1;
  T->phrase_mark = env_mark(T->env);
  T->ntrail = 0;
  T->mod_prefix = "";
  T->ghost_rec = NULL;
  /* An error may have unwound out of a recursive module's body. */
  T->recdeps = NULL;
  T->rec_anchor = NULL;
  T->funct_body = false;
  memset(&T->uerr, 0, sizeof T->uerr);
  /* A failed phrase may have left GADT equations in force. */
  ty_gadt_undo(T, 0);
  T->gadt_lev = T->pat_lev = 0;
  T->trail_all = false;
  T->no_existentials = NOEX_NONE;
  T->reified = NULL;
  T->delayed = (PtrVec){0};
  T->item_depth = 0;
}

void ty_item(Typer *T, Item *item) {
  PtrVec *saved = T->bound;
  struct TyVarScope *saved_annot = T->annot;
  T->bound = &item->bound;
  TyVarScope annot = {0};
  T->annot = &annot;
  /* Expressions are no functor body, even inside one. */
  bool saved_funct = T->funct_body;
  if (item->kind == ITEM_VALUE || item->kind == ITEM_EVAL) T->funct_body = false;
  T->item_depth++;
  switch (item->kind) {
  case ITEM_VALUE: ty_let_bindings(T, item->binds, item->nbinds, item->rec, &item->bound); break;
  case ITEM_EVAL:
    ty_begin_def(T);
    ty_expr(T, item->expr);
    ty_end_def(T);
    if (!ty_nonexpansive(item->expr)) ty_generalize_expansive(T, item->expr->ty);
    ty_generalize(T, item->expr->ty);
    /* A bare identifier prints its declared type, with the names of its
     * variables, which an instance forgets (OCaml's type_expression). */
    if (item->expr->kind == EXP_IDENT) item->expr->ty = item->expr->val->ty;
    break;
  case ITEM_TYPE: ty_type_decls(T, item); break;
  case ITEM_EXCEPTION: {
    ConstrDesc *c = ty_exception_decl(T, item->exn);
    if (!item->exn->rebind.name) ptrvec_push(T->arena, &item->bound, c->exn_val);
    break;
  }
  case ITEM_EXTERNAL: ty_external(T, item); break;
  case ITEM_OPEN: ty_open(T, &item->path); break;
  case ITEM_MODULE: ty_module_item(T, item); break;
  case ITEM_RECMODULE: ty_recmodule_item(T, item); break;
  case ITEM_MODTYPE: ty_modtype_item(T, item); break;
  case ITEM_INCLUDE: ty_include(T, item); break;
  case ITEM_DIRECTIVE: break;
  case ITEM_WARNING: {
    /* What follows in the structure (at the toplevel: the session) has
     * these warnings; an ill-formed spec is ignored. */
    char *alert = NULL;
    if (T->ctx->warnings) warn_parse(T->ctx->warnings, item->name, false, &alert);
    free(alert);
    break;
  }
  }
  if (--T->item_depth == 0) ty_run_delayed(T);
  T->bound = saved;
  T->annot = saved_annot;
  T->funct_body = saved_funct;
}

/* ---- Commit: copies into the session arena ------------------------------------ */

static const char *perm_str(Typer *T, CopyMap *m, const char *s) {
  if (!s) return NULL;
  const char *c = ty_copymap_get(m, s);
  if (c) return c;
  c = arena_strdup(T->perm, s);
  ty_copymap_put(m, s, (void *)c);
  return c;
}

static ValueDesc *copy_value(Typer *T, CopyMap *m, ValueDesc *v) {
  if (!v || v->session) return v;
  ValueDesc *c = ty_copymap_get(m, v);
  if (c) return c;
  c = ARENA_NEW(T->perm, ValueDesc);
  *c = *v;
  c->session = true;
  c->committed = NULL;
  ty_copymap_put(m, v, c);
  c->name = perm_str(T, m, v->name);
  c->ty = ty_copy_to_session(T, m, v->ty);
  c->symbol = perm_str(T, m, v->symbol);
  c->prim = perm_str(T, m, v->prim);
  v->committed = c;
  c->origin = copy_value(T, m, v->origin);
  return c;
}

static Type **copy_types(Typer *T, CopyMap *m, Type **ts, int n) {
  if (!ts) return NULL;
  Type **c = ARENA_ARRAY(T->perm, Type *, n + 1);
  for (int i = 0; i < n; i++) c[i] = ty_copy_to_session(T, m, ts[i]);
  return c;
}

static ConstrDesc *copy_constr(Typer *T, CopyMap *m, ConstrDesc *cd) {
  if (!cd || cd->session) return cd;
  ConstrDesc *c = ty_copymap_get(m, cd);
  if (c) return c;
  c = ARENA_NEW(T->perm, ConstrDesc);
  *c = *cd;
  c->session = true;
  ty_copymap_put(m, cd, c);
  c->name = perm_str(T, m, cd->name);
  c->decl = ty_copy_decl(T, m, cd->decl);
  c->res = ty_copy_to_session(T, m, cd->res);
  c->args = copy_types(T, m, cd->args, cd->nargs);
  c->exn_val = copy_value(T, m, cd->exn_val);
  c->exn_path = perm_str(T, m, cd->exn_path);
  return c;
}

static FieldDesc *copy_field(Typer *T, CopyMap *m, FieldDesc *fd) {
  if (!fd || fd->session) return fd;
  FieldDesc *c = ty_copymap_get(m, fd);
  if (c) return c;
  c = ARENA_NEW(T->perm, FieldDesc);
  *c = *fd;
  c->session = true;
  ty_copymap_put(m, fd, c);
  c->name = perm_str(T, m, fd->name);
  c->decl = ty_copy_decl(T, m, fd->decl);
  c->ty = ty_copy_to_session(T, m, fd->ty);
  c->res = ty_copy_to_session(T, m, fd->res);
  c->univars = copy_types(T, m, fd->univars, fd->nuniv);
  return c;
}

TypeDecl *ty_copy_decl(Typer *T, CopyMap *m, TypeDecl *d) {
  if (!d || d->session) return d;
  TypeDecl *c = ty_copymap_get(m, d);
  if (c) return c;
  c = ARENA_NEW(T->perm, TypeDecl);
  *c = *d;
  c->session = true;
  ty_copymap_put(m, d, c);
  c->name = perm_str(T, m, d->name);
  c->path = perm_str(T, m, d->path);
  c->params = copy_types(T, m, d->params, d->nparams);
  c->manifest = d->manifest ? ty_copy_to_session(T, m, d->manifest) : NULL;
  if (d->constrs) {
    c->constrs = ARENA_ARRAY(T->perm, ConstrDesc *, d->nconstrs + 1);
    for (int i = 0; i < d->nconstrs; i++) c->constrs[i] = copy_constr(T, m, d->constrs[i]);
  }
  if (d->fields) {
    c->fields = ARENA_ARRAY(T->perm, FieldDesc *, d->nfields + 1);
    for (int i = 0; i < d->nfields; i++) c->fields[i] = copy_field(T, m, d->fields[i]);
  }
  if (d->variance) {
    c->variance = ARENA_ARRAY(T->perm, unsigned char, d->nparams + 1);
    memcpy(c->variance, d->variance, (size_t)d->nparams);
  }
  return c;
}

static void *copy_desc(Typer *T, CopyMap *m, EnvNs ns, void *desc) {
  switch (ns) {
  case NS_VALUE: return copy_value(T, m, desc);
  case NS_TYPE: return ty_copy_decl(T, m, desc);
  case NS_CONSTR: return copy_constr(T, m, desc);
  case NS_FIELD: return copy_field(T, m, desc);
  case NS_MODULE:
  case NS_MODTYPE: return ty_copy_module(T, m, desc);
  case NS_COUNT: break;
  }
  NML_UNREACHABLE();
}

ModuleDesc *ty_copy_module(Typer *T, CopyMap *m, ModuleDesc *md) {
  if (!md || md->session) return md;
  ModuleDesc *c = ty_copymap_get(m, md);
  if (c) return c;
  c = ARENA_NEW(T->perm, ModuleDesc);
  *c = *md;
  c->session = true;
  ty_copymap_put(m, md, c);
  c->name = perm_str(T, m, md->name);
  c->path = perm_str(T, m, md->path);
  c->alias_of = perm_str(T, m, md->alias_of);
  c->sig_name = perm_str(T, m, md->sig_name);
  c->body_name = perm_str(T, m, md->body_name);
  c->param = perm_str(T, m, md->param);
  c->param_type = ty_copy_module(T, m, md->param_type);
  c->result = ty_copy_module(T, m, md->result);
  c->fval = copy_value(T, m, md->fval);
  if (md->env) {
    Env *e = ARENA_NEW(T->perm, Env);
    *e = *md->env;
    e->entries = ARENA_ARRAY(T->perm, EnvEntry, md->env->len + 1);
    e->buckets = ARENA_ARRAY(T->perm, int, md->env->nbuckets);
    memcpy(e->buckets, md->env->buckets, sizeof(int) * (size_t)md->env->nbuckets);
    for (int i = 0; i < md->env->len; i++) {
      e->entries[i] = md->env->entries[i];
      e->entries[i].name = perm_str(T, m, md->env->entries[i].name);
      e->entries[i].desc = copy_desc(T, m, md->env->entries[i].ns, md->env->entries[i].desc);
    }
    c->env = e;
  }
  if (md->items) {
    c->items = ARENA_ARRAY(T->perm, ModItem, md->nitems + 1);
    for (int i = 0; i < md->nitems; i++) {
      ModItem *it = &c->items[i];
      *it = md->items[i];
      it->name = perm_str(T, m, it->name);
      EnvNs ns = it->kind == MI_VALUE       ? NS_VALUE
                 : it->kind == MI_TYPE      ? NS_TYPE
                 : it->kind == MI_EXCEPTION ? NS_CONSTR
                 : it->kind == MI_MODULE    ? NS_MODULE
                                            : NS_MODTYPE;
      it->desc = copy_desc(T, m, ns, it->desc);
    }
  }
  return c;
}

void ty_commit(Typer *T) {
  CopyMap *m = ty_copymap_new(T);
  /* Weak variables first: descriptors copied next may reach them. */
  ty_trail_commit(T, m);
  for (int i = T->phrase_mark; i < T->env->len; i++) {
    EnvEntry *en = &T->env->entries[i];
    env_set_entry(T->env, i, perm_str(T, m, en->name), copy_desc(T, m, en->ns, en->desc));
  }
  ty_app_commit(T, m);
  T->phrase_mark = env_mark(T->env);
}

void ty_rollback(Typer *T) {
  env_rollback(T->env, T->phrase_mark);
  ty_app_rollback(T);
  ty_trail_undo(T, 0);
  ty_gadt_undo(T, 0);
  T->level = 1;
  T->mod_prefix = "";
}

ValueDesc *ty_committed(ValueDesc *v) { return v && !v->session && v->committed ? v->committed : v; }

ValueDesc *ty_rebind_global(Typer *T, ValueDesc *v, const char *symbol) {
  ValueDesc *c = ty_committed(v);
  if (c->kind == VAL_PRIM) return c; /* externals stay primitives */
  /* A value hidden by a signature has no session copy: nothing outside
   * the phrase can name it, and the phrase's own code (natmlc lowers a
   * unit after declaring it) must keep reading it locally. */
  if (!c->session) return c;
  c->kind = VAL_GLOBAL;
  c->symbol = arena_strdup(T->perm, symbol);
  return c;
}

/* ---- What the toplevel prints for declarations ----------------------------- */

void ty_print_item(Fmt *f, Typer *T, Item *item) {
  switch (item->kind) {
  case ITEM_TYPE:
    for (int i = 0; i < item->ntypes; i++) {
      TypeDecl *d = NULL;
      /* The newest binding of each name is this item's declaration. */
      d = env_find(T->env, NS_TYPE, item->types[i].name);
      if (!d) continue;
      ty_print_type_decl(f, T, d, i == 0);
      fmt_flush_newline(f);
    }
    return;
  case ITEM_EXCEPTION: {
    ConstrDesc *c = env_find(T->env, NS_CONSTR, item->exn->name);
    if (!c) return;
    ty_print_exception(f, T, c);
    fmt_flush_newline(f);
    return;
  }
  case ITEM_EXTERNAL:
    for (int i = 0; i < item->bound.len; i++) {
      ty_print_val(f, T, ty_committed(item->bound.items[i]));
      fmt_flush_newline(f);
    }
    return;
  case ITEM_MODULE: {
    if (strcmp(item->name, "_") == 0) return; /* module _ = …: no module to report */
    ModuleDesc *md = env_find(T->env, NS_MODULE, item->name);
    if (!md) return;
    ty_print_module(f, T, md);
    fmt_flush_newline(f);
    return;
  }
  case ITEM_RECMODULE:
    for (int i = 0, shown = 0; i < item->nrecs; i++) {
      if (strcmp(item->recs[i].name, "_") == 0) continue; /* no module to report */
      ModuleDesc *md = env_find(T->env, NS_MODULE, item->recs[i].name);
      if (!md) continue;
      ty_print_module_kw(f, T, md, shown++ == 0 ? "module rec " : "and ");
      fmt_flush_newline(f);
    }
    return;
  case ITEM_MODTYPE: {
    ModuleDesc *md = env_find(T->env, NS_MODTYPE, item->name);
    if (!md) return;
    ty_print_modtype(f, T, md);
    fmt_flush_newline(f);
    return;
  }
  default: return;
  }
}
