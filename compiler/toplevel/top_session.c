/* top_session.c — creating a toplevel session: the runtime, the type
 * environment, the code generator's state, the dynlink context, and the standard
 * library the host links (its interfaces re-read from the embedded
 * sources, its entries run to fill its value slots). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "natml_runtime.h"
#include "iface.h"
#include "parse.h"
#include "session.h"

const char *top_unit_name_of_path(Arena *a, const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *dot = strrchr(base, '.');
  size_t n = dot ? (size_t)(dot - base) : strlen(base);
  char *name = arena_strndup(a, base, n);
  name[0] = (char)toupper((unsigned char)name[0]);
  return name;
}

/* Symbols keep [A-Za-z0-9_]; other bytes of operator names become _xHH. */
const char *top_unit_slot_symbol(Arena *a, const char *unit, int index, const char *name) {
  Buf b;
  buf_init(&b);
  buf_printf(&b, "nml_%s__%d_", unit, index);
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
    if (isalnum(*p) || *p == '_') buf_putc(&b, (char)*p);
    else buf_printf(&b, "_x%02X", *p);
  }
  const char *r = arena_strdup(a, b.data);
  buf_free(&b);
  return r;
}

const char *top_unit_exn_prefix(Arena *a, const char *unit) {
  if (strcmp(unit, "Stdlib") == 0) return "Stdlib.";
  return arena_printf(a, "Stdlib.%s.", unit);
}

Item *top_type_unit(Session *s, Ctx *ctx, const char *name, Item **items, int n) {
  Arena *a = ctx->arena;
  ModExpr *me = ARENA_NEW(a, ModExpr);
  me->kind = MOD_STRUCT;
  me->items = items;
  me->nitems = n;
  Item *mod = ARENA_NEW(a, Item);
  mod->kind = ITEM_MODULE;
  mod->name = name;
  mod->mexpr = me;
  ty_item(s->ty, mod);
  return mod;
}

void top_bind_unit(Session *s, Item *mod, const char *file) {
  const char *name = mod->name;
  for (int i = 0; i < mod->bound.len; i++) {
    ValueDesc *vd = mod->bound.items[i];
    ty_rebind_global(s->ty, vd, top_unit_slot_symbol(&s->perm, name, i, vd->name));
  }
  ModuleDesc *md = env_find(ty_env(s->ty), NS_MODULE, name);
  NML_ASSERT(md != NULL);
  if (strcmp(name, "Stdlib") == 0) {
    NML_ASSERT(md->env);
    env_open(ty_env(s->ty), md->env);
  }
  if (s->nunits == s->units_cap) {
    s->units_cap = s->units_cap ? 2 * s->units_cap : 32;
    s->units = realloc(s->units, (size_t)s->units_cap * sizeof *s->units);
    if (!s->units) nml_fatal("out of memory");
  }
  TopUnit *u = &s->units[s->nunits++];
  memset(u, 0, sizeof *u);
  u->name = arena_strdup(&s->perm, name);
  u->file = arena_strdup(&s->perm, file ? file : name);
  u->md = md;
}

Item *top_declare_unit(Session *s, Ctx *ctx, const char *name, Item **items, int n) {
  ty_begin_phrase(s->ty, ctx);
  Item *mod = top_type_unit(s, ctx, name, items, n);
  ty_commit(s->ty);
  top_bind_unit(s, mod, ctx->filename);
  return mod;
}

TopUnit *top_find_unit(Session *s, const char *name) {
  for (int i = s->nunits - 1; i >= 0; i--)
    if (strcmp(s->units[i].name, name) == 0) return &s->units[i];
  return NULL;
}

const unsigned char *top_unit_digest(Session *s, TopUnit *u) {
  if (!u->has_digest) {
    iface_digest(s->ty, u->md, u->digest);
    u->has_digest = true;
  }
  return u->digest;
}

int top_unit_values(Arena *a, ModuleDesc *md, const char ***names, const char ***symbols) {
  int n = 0;
  *names = ARENA_ARRAY(a, const char *, md->nitems ? md->nitems : 1);
  *symbols = ARENA_ARRAY(a, const char *, md->nitems ? md->nitems : 1);
  for (int i = 0; i < md->nitems; i++) {
    if (md->items[i].kind != MI_VALUE) continue;
    ValueDesc *vd = md->items[i].desc;
    if (vd->kind != VAL_GLOBAL) continue;
    (*names)[n] = vd->name;
    (*symbols)[n] = vd->symbol;
    n++;
  }
  return n;
}

/* Declares a linked unit from its source (at the boundary). */
static TopStatus declare_linked_unit(Session *s, Ctx *ctx, void *arg) {
  const NmlLinkedUnit *u = arg;
  ctx->filename = arena_printf(ctx->arena, "stdlib/%s.ml", u->name);
  int n;
  Item **items = parse_implementation(ctx, &n);
  top_declare_unit(s, ctx, u->name, items, n);
  return TOP_OK;
}

/* Reads a linked unit's interface and runs its entry. */
static bool load_linked_unit(Session *s, const NmlLinkedUnit *u) {
  TopStatus st = top_phrase(s, u->source, (int)strlen(u->source), declare_linked_unit, (void *)u);
  if (st != TOP_OK) return false;
  s->units[s->nunits - 1].stdlib = true;
  if (s->opt.batch) return true;
  value list, exn;
  if (!nml_run_trapped(u->entry, &list, &exn)) {
    fprintf(stderr, "natml: the initialisation of %s raised an exception\n", u->name);
    return false;
  }
  return true;
}

/* OCaml's Stdlib holds the other standard modules as submodules, so
 * that Stdlib.List.length names List.length: once every unit is
 * declared, Stdlib's components gain those modules. */
static void stdlib_submodules(Session *s, const NmlLinkedUnit *units, int n) {
  Env *top = ty_env(s->ty);
  ModuleDesc *std = env_find(top, NS_MODULE, "Stdlib");
  if (!std || !std->env) return;
  Env *e = env_new();
  env_open(e, std->env);
  for (int i = 0; i < n; i++) {
    const char *name = units[i].name;
    ModuleDesc *md = env_find(top, NS_MODULE, name);
    if (md && strcmp(name, "Stdlib") != 0 && strncmp(name, "Caml", 4) != 0)
      env_add(e, NS_MODULE, md->name, md);
  }
  std->env = env_freeze(&s->perm, e, 0);
  env_free(e);
}

Session *top_session_new(const TopOptions *opt, const NmlLinkedUnit *stdlib, int nstdlib) {
  Session *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->opt = *opt;
  s->out = stdout;
  s->err = stderr;
  s->msgs = opt->script ? s->err : s->out;
  s->silent = opt->script;
  s->color = top_color_wanted(opt->color);
  warn_defaults(&s->warnings);
  s->file = "//toplevel//";
  s->print_depth = 100; /* OCaml's toplevel's */
  s->print_length = 300;
  arena_init(&s->perm);
  s->ty = ty_new(&s->perm);
  ty_set_rectypes(s->ty, opt->rectypes);
  s->cg = cg_session_new(opt->codegen_level, opt->opt_level);
  /* Units the toplevel runs get patchable entries, so that #trace sees
   * every call of their functions (top_trace.c). */
  if (!opt->batch) cg_session_patchable(s->cg, true);
  top_path_init(s);
  if (!opt->batch) {
    DlError err;
    s->dl = dl_create(&err);
    if (!s->dl) {
      fprintf(stderr, "natml: %s\n", err.msg);
      top_session_free(s);
      return NULL;
    }
    if (opt->keep_dir) dl_set_keep_dir(s->dl, opt->keep_dir);
  }
  for (int i = 0; i < nstdlib; i++) {
    if (!load_linked_unit(s, &stdlib[i])) {
      top_session_free(s);
      return NULL;
    }
  }
  stdlib_submodules(s, stdlib, nstdlib);
  /* The stdlib's interfaces are read as written, whatever the mode. */
  ty_set_classic(s->ty, opt->nolabels);
  for (int i = 0; i < opt->nwarn_specs; i++) {
    char *alert;
    warn_parse(&s->warnings, opt->warn_specs[i].spec, opt->warn_specs[i].error, &alert);
    free(alert); /* the caller printed it when it checked the spec */
  }
  return s;
}

void top_set_interactive(Session *s, bool interactive) {
  if (!s->dl) return;
  ModuleDesc *sys = env_find(ty_env(s->ty), NS_MODULE, "Sys");
  ValueDesc *vd = sys && sys->env ? env_find(sys->env, NS_VALUE, "interactive") : NULL;
  if (!vd || vd->kind != VAL_GLOBAL) return;
  value *slot = dl_lookup(s->dl, vd->symbol);
  /* The slot holds the ref; its field is an immediate: no barrier. */
  if (slot && Is_block(*slot)) Field(*slot, 0) = Val_bool(interactive);
}

double top_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void top_print_timings(Session *s) {
  static const char *names[TOP_NSTEPS] = {"parse", "type", "lower", "codegen", "emit",
                                          "link",  "load", "run",   "print"};
  double total = 0;
  for (int i = 0; i < TOP_NSTEPS; i++) total += s->step_ms[i];
  for (int i = 0; i < TOP_NSTEPS; i++)
    fprintf(stderr, "%-8s %9.3f ms  %5.1f%%\n", names[i], s->step_ms[i],
            total > 0 ? 100 * s->step_ms[i] / total : 0);
  fprintf(stderr, "%-8s %9.3f ms over %d units\n", "total", total, s->unit_counter);
}

void top_session_free(Session *s) {
  if (!s) return;
  if (s->opt.dtimings) top_print_timings(s);
  top_trace_free(s);
  if (s->dl) dl_destroy(s->dl);
  free(s->units);
  cg_session_free(s->cg);
  ty_free(s->ty);
  arena_free(&s->perm);
  free(s);
}
