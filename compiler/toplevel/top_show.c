/* top_show.c — the environment queries: #show_val, #show_type,
 * #show_constructor, #show_exception, #show_module, #show_module_type,
 * #show_class, #show_class_type, and #show, which prints whatever the
 * name denotes in each namespace (values, types, constructors,
 * exceptions, modules, module types, in that order).
 *
 * Each query prints the signature item the name denotes. A name that
 * denotes nothing gets the typer's message as a phrase error located
 * nowhere ("Line 1:"), as OCaml's lookup errors are; #show, which asks
 * every namespace, says "Unknown element." instead. */
#include <string.h>

#include "env.h"
#include "top_directive.h"

/* What a query found, ready to print. */
typedef enum ShowKind { SHOW_VALUE, SHOW_TYPE, SHOW_EXCEPTION, SHOW_MODULE, SHOW_MODTYPE } ShowKind;

typedef struct Shown {
  ShowKind kind;
  void *desc;
  const char *name; /* the name the query gave, for an alias's line */
} Shown;

typedef bool (*ShowFn)(Session *s, Ctx *ctx, const Path *p, Shown *out);

/* A lookup under its own protection: the typer's errors unwind to it. */
typedef struct Query {
  Session *s;
  const Path *p;
  ShowFn fn;
  Shown *out;
  bool found;
} Query;

static void run_query(Ctx *ctx, void *arg) {
  Query *q = arg;
  q->found = q->fn(q->s, ctx, q->p, q->out);
}

static bool show_val(Session *s, Ctx *ctx, const Path *p, Shown *out) {
  (void)ctx;
  out->kind = SHOW_VALUE;
  out->desc = ty_lookup_value(s->ty, p);
  return true;
}

static bool show_type(Session *s, Ctx *ctx, const Path *p, Shown *out) {
  (void)ctx;
  const char *printed;
  out->kind = SHOW_TYPE;
  out->desc = ty_lookup_type(s->ty, p, &printed);
  return true;
}

/* A constructor shows its type's declaration; an exception is shown
 * by #show_exception only. */
static bool show_constructor(Session *s, Ctx *ctx, const Path *p, Shown *out) {
  ConstrDesc *cd = ty_lookup_constr(s->ty, p, NULL, false);
  if (cd->is_exn || !cd->decl) return false;
  /* OCaml names the type by its full path here: `type Stdlib.open_flag`. */
  TypeDecl *d = ARENA_NEW(ctx->arena, TypeDecl);
  *d = *cd->decl;
  if (d->path) d->name = d->path;
  out->kind = SHOW_TYPE;
  out->desc = d;
  return true;
}

static bool show_exception(Session *s, Ctx *ctx, const Path *p, Shown *out) {
  (void)ctx;
  ConstrDesc *cd = ty_lookup_constr(s->ty, p, NULL, false);
  if (!cd->is_exn) return false;
  out->kind = SHOW_EXCEPTION;
  out->desc = cd;
  return true;
}

static bool show_module(Session *s, Ctx *ctx, const Path *p, Shown *out) {
  (void)ctx;
  out->kind = SHOW_MODULE;
  out->desc = ty_lookup_module(s->ty, p, true);
  return true;
}

static bool show_modtype(Session *s, Ctx *ctx, const Path *p, Shown *out) {
  Env *env = ty_env(s->ty);
  const Env *scope = env;
  if (p->nmods)
    scope = ty_lookup_module(s->ty, &(Path){p->mods, p->nmods - 1, p->mods[p->nmods - 1], p->loc, NULL}, true)
                ->env;
  ModuleDesc *mt = scope ? env_find(scope, NS_MODTYPE, p->name) : NULL;
  if (!mt) {
    const char *name = ty_path_string(s->ty, p);
    Diag *d = ctx_add_diag(ctx, DIAG_ERROR, p->loc, arena_printf(ctx->arena, "Unbound module type %s", name));
    if (scope && env_find(scope, NS_MODULE, p->name))
      d->text =
          arena_printf(ctx->arena, "%s\nHint: There is a module named %s, but modules are not module types",
                       d->text, p->name);
    ctx_bail(ctx);
  }
  out->kind = SHOW_MODTYPE;
  out->desc = mt;
  return true;
}

/* natml has no classes yet: every class name is unbound. */
static bool show_class(Session *s, Ctx *ctx, const Path *p, Shown *out) {
  (void)out;
  ctx_errorf(ctx, p->loc, "Unbound class %s", ty_path_string(s->ty, p));
}

static bool show_class_type(Session *s, Ctx *ctx, const Path *p, Shown *out) {
  (void)out;
  ctx_errorf(ctx, p->loc, "Unbound class type %s", ty_path_string(s->ty, p));
}

/* A unit of the standard library is, in OCaml, an alias of its file's
 * module (Stdlib.List = Stdlib__List), printed under the short name. */
static bool is_stdlib_alias(Session *s, ModuleDesc *md) {
  if (strcmp(md->name, "Stdlib") == 0) return false;
  TopUnit *u = top_find_unit(s, md->name);
  return u && u->stdlib && u->md == md;
}

static void print_shown(Session *s, Fmt *f, const Shown *sh) {
  switch (sh->kind) {
  case SHOW_VALUE: ty_print_val(f, s->ty, sh->desc); break;
  case SHOW_TYPE: ty_print_type_decl(f, s->ty, sh->desc, true); break;
  case SHOW_EXCEPTION: ty_print_exception(f, s->ty, sh->desc); break;
  case SHOW_MODTYPE: ty_print_modtype(f, s->ty, sh->desc); break;
  case SHOW_MODULE: {
    /* Its chain of aliases, one line each, then its signature. */
    ModuleDesc *md = sh->desc;
    if (md->is_alias || is_stdlib_alias(s, md)) {
      fmt_printf(f, "module %s = %s", sh->name, md->is_alias ? md->alias_of : md->name);
      fmt_flush_newline(f);
    }
    ModuleDesc named = *md;
    named.name = sh->name;
    named.is_alias = false;
    ty_print_module(f, s->ty, &named);
    break;
  }
  }
  fmt_flush_newline(f);
}

/* Runs the queries in order and prints what they find. With one query,
 * its error is the directive's; with several, errors only mean "not
 * that kind". */
static TopStatus show(Session *s, Ctx *ctx, const TopDirArg *arg, const ShowFn *fns, int n) {
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  int found = 0;
  ty_begin_phrase(s->ty, ctx);
  for (int i = 0; i < n; i++) {
    Shown sh = {0};
    sh.name = arg->path.name;
    Query q = {s, &arg->path, fns[i], &sh, false};
    if (ctx_protect(ctx, run_query, &q)) {
      if (q.found) {
        print_shown(s, f, &sh);
        found++;
      }
      continue;
    }
    if (n == 1) {
      /* The lookup's error, located nowhere: "Line 1:". */
      for (Diag *d = ctx->diags; d; d = d->next) {
        d->has_loc = d->loc_line_only = true;
        d->loc.line1 = d->loc.line2 = 1;
      }
      fmt_free(f);
      buf_free(&b);
      top_print_diags(s, ctx);
      return TOP_ERROR;
    }
    ctx_clear_diags(ctx);
  }
  fmt_free(f);
  fputs(found ? b.data : "Unknown element.\n", s->out);
  buf_free(&b);
  return TOP_OK;
}

static TopStatus show1(Session *s, Ctx *ctx, const TopDirArg *arg, ShowFn fn) {
  return show(s, ctx, arg, &fn, 1);
}

TopStatus top_dir_show_val(Session *s, Ctx *ctx, const TopDirArg *arg) {
  return show1(s, ctx, arg, show_val);
}
TopStatus top_dir_show_type(Session *s, Ctx *ctx, const TopDirArg *arg) {
  return show1(s, ctx, arg, show_type);
}
TopStatus top_dir_show_exception(Session *s, Ctx *ctx, const TopDirArg *arg) {
  return show1(s, ctx, arg, show_exception);
}
TopStatus top_dir_show_constructor(Session *s, Ctx *ctx, const TopDirArg *arg) {
  return show1(s, ctx, arg, show_constructor);
}
TopStatus top_dir_show_module(Session *s, Ctx *ctx, const TopDirArg *arg) {
  return show1(s, ctx, arg, show_module);
}
TopStatus top_dir_show_module_type(Session *s, Ctx *ctx, const TopDirArg *arg) {
  return show1(s, ctx, arg, show_modtype);
}
TopStatus top_dir_show_class(Session *s, Ctx *ctx, const TopDirArg *arg) {
  return show1(s, ctx, arg, show_class);
}
TopStatus top_dir_show_class_type(Session *s, Ctx *ctx, const TopDirArg *arg) {
  return show1(s, ctx, arg, show_class_type);
}

TopStatus top_dir_show(Session *s, Ctx *ctx, const TopDirArg *arg) {
  static const ShowFn all[] = {show_val,       show_type,   show_constructor,
                               show_exception, show_module, show_modtype};
  return show(s, ctx, arg, all, (int)(sizeof all / sizeof all[0]));
}
