/* ty_apppath.c — OCaml's applicative functors: a functor applied to a
 * module path gives types named by the application, `F(X).t`, the same
 * every time F is applied to X, whether the application is a module
 * expression (`module M = F(X)`, `include F(X)`) or a type path written
 * `F(X).t`. Modules get identities (aliases share them), applications
 * of one identity to another get one too, and the abstract types of an
 * application's result are memoised per (application, name). */
#include <string.h>

#include "ty_include.h"
#include "typecheck.h"

struct AppMemo {
  int f, arg;      /* what is applied to what (module identities) */
  int id;          /* the application's own identity */
  const char *rel; /* a type's dotted name within the result, or NULL */
  TypeDecl *decl;  /* that type, abstract, printed `F(X).t` */
};

int ty_module_id(Typer *T, ModuleDesc *md) {
  if (!md->id) md->id = ++T->next_mod_id;
  return md->id;
}

static struct AppMemo *memo_push(Typer *T) {
  if (T->napps == T->capps) {
    int cap = T->capps ? T->capps * 2 : 32;
    struct AppMemo *n = ARENA_ARRAY(T->perm, struct AppMemo, cap);
    if (T->napps) memcpy(n, T->apps, sizeof *n * (size_t)T->napps);
    T->apps = n;
    T->capps = cap;
  }
  struct AppMemo *m = &T->apps[T->napps++];
  memset(m, 0, sizeof *m);
  return m;
}

int ty_app_id(Typer *T, int f, int arg) {
  for (int i = 0; i < T->napps; i++)
    if (!T->apps[i].rel && T->apps[i].f == f && T->apps[i].arg == arg) return T->apps[i].id;
  struct AppMemo *m = memo_push(T);
  m->f = f;
  m->arg = arg;
  m->id = ++T->next_mod_id;
  return m->id;
}

/* The abstract type rel of application app: made once. */
static TypeDecl *app_type(Typer *T, int app, const char *rel, TypeDecl *d, const char *path) {
  for (int i = 0; i < T->napps; i++)
    if (T->apps[i].rel && T->apps[i].id == app && strcmp(T->apps[i].rel, rel) == 0) return T->apps[i].decl;
  TypeDecl *p = ARENA_NEW(T->arena, TypeDecl);
  p->name = d->name;
  p->path = path;
  p->path_whole = true;
  p->stamp = ++T->next_stamp;
  p->params = d->params;
  p->nparams = d->nparams;
  p->kind = TD_ABSTRACT;
  p->variance = d->variance;
  p->loc = d->loc;
  struct AppMemo *m = memo_push(T);
  m->id = app;
  m->rel = arena_strdup(T->arena, rel);
  m->decl = p;
  return p;
}

static bool strengthen(Typer *T, ModuleDesc *r, int app, const char *rel, const char *name) {
  bool changed = false;
  if (r->is_functor || !r->env) return false;
  for (int i = 0; i < r->nitems; i++) {
    ModItem *it = &r->items[i];
    const char *sub = *rel ? arena_printf(T->arena, "%s.%s", rel, it->name) : it->name;
    if (it->kind == MI_MODULE) {
      changed |= strengthen(T, it->desc, app, sub, arena_printf(T->arena, "%s.%s", name, it->name));
      continue;
    }
    if (it->kind != MI_TYPE) continue;
    TypeDecl *d = it->desc;
    /* A public abbreviation stays; a private one is the application's
     * type, public (Mtype.strengthen). */
    if (d->manifest && !(d->private_ && d->kind == TD_ABSTRACT)) continue;
    if (d->manifest) d->private_ = false;
    TypeDecl *p = app_type(T, app, sub, d, arena_printf(T->arena, "%s.%s", name, d->name));
    d->manifest = ty_new_constr(T, p, d->params, d->nparams, p->path);
    changed = true;
  }
  return changed;
}

bool ty_app_strengthen(Typer *T, ModuleDesc *r, int app, const char *name) {
  return strengthen(T, r, app, "", name);
}

/* ---- Type paths through applications ------------------------------------------ */

/* Env's Generative_used_as_applicative: words that break as they fit. */
static void generative_msg(Fmt *f, void *arg) {
  const char *words[] = {"it", "cannot", "be", "applied", "in", "type", "expressions"};
  fmt_open_box(f, FMT_B, 0);
  fmt_string(f, "The functor ");
  fmt_string(f, arg);
  fmt_string(f, " is generative,");
  for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
    fmt_space(f);
    fmt_string(f, words[i]);
  }
  fmt_close_box(f);
}

ModuleDesc *ty_lookup_app_path(Typer *T, const Path *p) {
  ModuleDesc *m = NULL;
  const char *cur = NULL; /* the path so far, as it prints */
  for (int i = 0; i < p->nmods; i++) {
    ModuleDesc *next = i == 0 || m->env ? env_find(i == 0 ? T->env : m->env, NS_MODULE, p->mods[i]) : NULL;
    if (!next) {
      Path q = {p->mods, i, p->mods[i], p->loc, NULL};
      ty_error_unbound(T, p->loc, "module", NS_MODULE, &q);
    }
    m = next;
    ty_module_id(T, m);
    cur = i == 0 ? p->mods[0] : arena_printf(T->arena, "%s.%s", cur, p->mods[i]);
    for (PathApp *a = p->apps ? p->apps[i] : NULL; a; a = a->next) {
      /* The argument is looked up first; its errors show the whole path. */
      Path argp = a->arg;
      argp.loc = p->loc;
      ModuleDesc *arg = ty_lookup_module(T, &argp, false);
      ty_module_id(T, arg);
      if (m->is_abstract) ty_error_textf(T, p->loc, "The module %s is abstract, it cannot be applied", cur);
      if (!m->is_functor)
        ty_error_textf(T, p->loc, "The module %s is not a functor, it cannot be applied", cur);
      if (!m->param) ty_error_text(T, p->loc, ty_error_layout(T, generative_msg, (void *)cur));
      const char *argname = ty_path_string(T, &a->arg);
      ty_include_check(T, ty_incl_strengthen(T, arg, argname), m->param_type, p->loc, true);
      const char *name = arena_printf(T->arena, "%s(%s)", cur, argname);
      ModuleDesc *r = ty_apply_sig(T, m, arg, name);
      r->id = ty_app_id(T, m->id, arg->id);
      ty_app_strengthen(T, r, r->id, name);
      m = r;
      cur = name;
    }
  }
  return m;
}

/* ---- Commit and rollback -------------------------------------------------------- */

void ty_app_commit(Typer *T, CopyMap *map) {
  for (int i = T->apps_mark; i < T->napps; i++) {
    struct AppMemo *m = &T->apps[i];
    if (!m->rel) continue;
    m->rel = arena_strdup(T->perm, m->rel);
    m->decl = ty_copy_decl(T, map, m->decl);
  }
  T->apps_mark = T->napps;
}

void ty_app_rollback(Typer *T) { T->napps = T->apps_mark; }
