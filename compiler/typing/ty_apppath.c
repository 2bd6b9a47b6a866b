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

/* ---- Functors applied to structures ---------------------------------------------- */

/* Whether t names one of bad[0..n), the parameter's types that the
 * argument cannot stand for, where expanding abbreviations does not take
 * it away (OCaml's nondep_type). */
static bool mentions(Typer *T, Type *t, TypeDecl **bad, int n, int depth) {
  t = ty_repr(t);
  if (depth > 50) return false;
  switch (t->kind) {
  case TY_VAR: return false;
  case TY_ARROW: return mentions(T, t->a, bad, n, depth + 1) || mentions(T, t->b, bad, n, depth + 1);
  case TY_CONSTR:
    for (int i = 0; i < n; i++)
      if (ty_same_decl(t->decl, bad[i])) return true;
    for (int i = 0; i < t->nargs; i++)
      if (mentions(T, t->args[i], bad, n, depth + 1)) {
        Type *e = ty_expand_once(T, t);
        return !e || mentions(T, e, bad, n, depth + 1);
      }
    return false;
  default:
    for (int i = 0; i < t->nargs; i++)
      if (mentions(T, t->args[i], bad, n, depth + 1)) return true;
    return false;
  }
}

static bool sig_mentions(Typer *T, ModuleDesc *md, TypeDecl **bad, int n) {
  if (md->is_functor) return sig_mentions(T, md->result, bad, n);
  for (int i = 0; i < md->nitems; i++) {
    ModItem *it = &md->items[i];
    if (it->kind == MI_VALUE && mentions(T, ((ValueDesc *)it->desc)->ty, bad, n, 0)) return true;
    if (it->kind == MI_MODULE && sig_mentions(T, it->desc, bad, n)) return true;
    /* A type declaration that needs one is made abstract instead
     * (nondep_sig): no error. */
  }
  return false;
}

static void nondep_msg(Fmt *f, void *arg) {
  void **a = arg;
  fmt_open_box(f, FMT_B, 0);
  fmt_string(f, "This functor has type");
  fmt_space(f);
  ty_print_module_type(f, a[0], a[1]);
  fmt_space(f);
  fmt_string(f, "The parameter cannot be eliminated in the result type.");
  fmt_space(f);
  fmt_string(f, "Please bind the argument to a module identifier.");
  fmt_close_box(f);
}

void ty_check_nondep(Typer *T, ModuleDesc *f, ModuleDesc *arg, Loc loc) {
  ModuleDesc *p = f->param_type;
  if (!p || p->is_functor || !arg->env) return;
  TypeDecl **bad = ARENA_ARRAY(T->arena, TypeDecl *, p->nitems + 1);
  int n = 0;
  for (int i = 0; i < p->nitems; i++) {
    if (p->items[i].kind != MI_TYPE) continue;
    TypeDecl *ad = env_find(arg->env, NS_TYPE, p->items[i].name);
    if (ad && !ad->manifest) bad[n++] = p->items[i].desc;
  }
  if (n == 0 || !sig_mentions(T, f->result, bad, n)) return;
  ModuleDesc *shown = ARENA_NEW(T->arena, ModuleDesc);
  *shown = *f;
  shown->sig_name = NULL;
  void *a[2] = {T, shown};
  ty_error_text(T, loc, ty_error_layout(T, nondep_msg, a));
}
