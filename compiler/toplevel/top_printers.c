/* top_printers.c — how values print: #print_depth and #print_length
 * (Genprintval's limits), and the user's printers of #install_printer /
 * #remove_printer, which printval.c calls through PvOptions.custom.
 *
 * A printer is a function of the session whose type is `t -> unit` (an
 * old-style printer: it writes to standard output itself) or, once the
 * environment has a Format module, `Format.formatter -> t -> unit`. It
 * prints every value whose type is an instance of t, the latest
 * installed first, as OCaml's toplevel does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env.h"
#include "natml_runtime.h"
#include "top_directive.h"

/* One installed printer. */
typedef struct TopPrinter {
  ValueDesc *vd;   /* the printer's binding: identifies it for removal */
  Type *arg;       /* the type it prints (a scheme, in the session arena) */
  value *closure;  /* a GC root holding the function */
  const char *raw; /* the name as the directive gave it */
} TopPrinter;

TopStatus top_dir_print_depth(Session *s, Ctx *ctx, const TopDirArg *arg) {
  (void)ctx;
  s->print_depth = (int)(arg->n > 1000000000 ? 1000000000 : arg->n);
  return TOP_OK;
}

TopStatus top_dir_print_length(Session *s, Ctx *ctx, const TopDirArg *arg) {
  (void)ctx;
  s->print_length = (int)(arg->n > 1000000000 ? 1000000000 : arg->n);
  return TOP_OK;
}

ValueDesc *top_lookup_value(Session *s, const Path *p) {
  Env *env = ty_env(s->ty);
  const Env *scope = env;
  if (p->nmods) {
    int missing;
    ModuleDesc *md = env_find_module_path(env, p->mods, p->nmods, &missing);
    if (!md || !md->env) return NULL;
    scope = md->env;
  }
  return env_find(scope, NS_VALUE, p->name);
}

value *top_value_slot(Session *s, ValueDesc *vd) {
  vd = ty_committed(vd);
  while (vd->origin) vd = vd->origin;
  if (vd->kind != VAL_GLOBAL || !vd->symbol || !s->dl) return NULL;
  return dl_lookup(s->dl, vd->symbol);
}

/* "List.map" for messages, from the directive's path. */
static const char *path_text(Ctx *ctx, const Path *p) {
  Buf b;
  buf_init(&b);
  for (int i = 0; i < p->nmods; i++) buf_printf(&b, "%s.", p->mods[i]);
  buf_puts(&b, p->name);
  const char *r = arena_strdup(ctx->arena, b.data);
  buf_free(&b);
  return r;
}

/* The type a printer prints, from its type: t for `t -> unit`. NULL when
 * the type is not a printer's. */
static Type *printer_arg(Session *s, Type *ty) {
  Type *t = ty_expand_head(s->ty, ty);
  if (t->kind != TY_ARROW) return NULL;
  Type *res = ty_expand_head(s->ty, t->b);
  /* A result of any type ('a, as failwith's) unifies with unit. */
  if (!ty_is_constr(res, TYB_UNIT) && res->kind != TY_VAR) return NULL;
  return t->a;
}

/* Finds the printer named by the directive, with its type; prints
 * OCaml's message and returns NULL when there is none. */
static ValueDesc *find_printer_value(Session *s, Ctx *ctx, const TopDirArg *arg, Type **ty_arg) {
  const char *name = path_text(ctx, &arg->path);
  ValueDesc *vd = top_lookup_value(s, &arg->path);
  if (!vd) {
    fprintf(s->out, "Unbound value %s.\n", name);
    return NULL;
  }
  *ty_arg = printer_arg(s, vd->ty);
  if (!*ty_arg || !top_value_slot(s, vd)) {
    fprintf(s->out, "%s has a wrong type for a printing function.\n", name);
    return NULL;
  }
  return ty_committed(vd);
}

TopStatus top_dir_install_printer(Session *s, Ctx *ctx, const TopDirArg *arg) {
  Type *ty_arg;
  ValueDesc *vd = find_printer_value(s, ctx, arg, &ty_arg);
  if (!vd) return TOP_OK;
  TopPrinter *p = ARENA_NEW(&s->perm, TopPrinter);
  p->vd = vd;
  p->arg = ty_arg;
  p->raw = arena_strdup(&s->perm, arg->text);
  p->closure = nml_alloc_roots(1);
  *p->closure = *top_value_slot(s, vd);
  /* Installing a printer again moves it first, as OCaml's list does. */
  for (int i = 0; i < s->printers.len; i++) {
    TopPrinter *q = s->printers.items[i];
    if (q->vd == vd) {
      nml_free_roots(q->closure);
      memmove(&s->printers.items[i], &s->printers.items[i + 1],
              sizeof(void *) * (size_t)(s->printers.len - i - 1));
      s->printers.len--;
      break;
    }
  }
  ptrvec_push(&s->perm, &s->printers, p);
  return TOP_OK;
}

TopStatus top_dir_remove_printer(Session *s, Ctx *ctx, const TopDirArg *arg) {
  Type *ty_arg;
  ValueDesc *vd = find_printer_value(s, ctx, arg, &ty_arg);
  if (!vd) return TOP_OK;
  for (int i = 0; i < s->printers.len; i++) {
    TopPrinter *q = s->printers.items[i];
    if (q->vd != vd) continue;
    nml_free_roots(q->closure);
    memmove(&s->printers.items[i], &s->printers.items[i + 1],
            sizeof(void *) * (size_t)(s->printers.len - i - 1));
    s->printers.len--;
    return TOP_OK;
  }
  fprintf(s->out, "No printer named %s.\n", path_text(ctx, &arg->path));
  return TOP_OK;
}

/* Calls a printer from C under a trap frame of its own. nml_callback1
 * comes from the support object that natml links (natmlc, which never
 * prints values, has none): it is looked up in the process, once. */
static value (*callback1)(value f, value a);

typedef struct PrinterCall {
  value f, arg;
} PrinterCall;

static value call_printer(void *arg) {
  PrinterCall *c = arg;
  return callback1(c->f, c->arg);
}

static bool run_printer(value f, value v, value *exn) {
  PrinterCall c = {f, v};
  value result;
  return nml_run_trapped_arg(call_printer, &c, &result, exn);
}

/* PvOptions.custom: the latest printer whose type v's type is an instance
 * of prints v. An old-style printer writes to ML's standard output as
 * the value is reached, so its text comes before the toplevel's report
 * of the phrase, as in OCaml; what it leaves in the report is nothing.
 * A printer that raises shows as OCaml shows it. */
static bool custom_printer(void *ctx, Type *ty, value v, const char **text) {
  Session *s = ctx;
  if (!callback1) {
    void *sym = s->dl ? dl_lookup(s->dl, "nml_callback1") : NULL;
    if (!sym) return false;
    memcpy(&callback1, &sym, sizeof sym);
  }
  for (int i = s->printers.len - 1; i >= 0; i--) {
    TopPrinter *p = s->printers.items[i];
    if (!ty_moregeneral(s->ty, p->arg, ty)) continue;
    value exn = Val_unit;
    if (run_printer(*p->closure, v, &exn)) {
      *text = "";
      return true;
    }
    /* Rare: the message's few bytes stay in the session arena. */
    char *e = nml_format_exception(exn);
    *text = arena_printf(&s->perm, "<printer %s raised an exception: %s>", p->raw, e);
    free(e);
    return true;
  }
  return false;
}

PvOptions top_printers_options(Session *s) {
  PvOptions o = {0};
  o.limits = true;
  o.max_depth = s->print_depth;
  o.max_steps = s->print_length;
  if (s->printers.len) o.custom = custom_printer;
  o.ctx = s;
  return o;
}
