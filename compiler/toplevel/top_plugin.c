/* top_plugin.c — plugins in a session: `#load "lib.so"`, `natml lib.so
 * script.ml`, and natmlc reading the plugins a new one is compiled
 * against.
 *
 *   file bytes ── natml_plugin_check (ELF, descriptor, checksum, ABI)
 *     ── plg_accept: units not loaded yet, imports loaded with the same
 *        digests (the rules natml_load applies too)
 *     ── re-type each unit's source as module U (one phrase), its digest
 *        equal to the recorded one
 *     ── dl_load_shared (the checked bytes) ── GC roots ── run entries
 *     ── commit: the units' values become globals read from their slots
 *
 * Each step can refuse the plugin; before the commit everything is rolled
 * back, so a refused plugin leaves the session as it was. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "iface.h"
#include "natml.h"
#include "natml_runtime.h"
#include "parse.h"
#include "session.h"

static FILE *msg_stream(Session *s) { return s->msgs; }

/* OCaml's "@[<hv 0>The files %s@ and %s@ disagree over interface %s@]@."
 * (Topdirs): on one line when it fits, else one part a line. */
static void print_disagree(Session *s, const char *user, const char *auth, const char *intf) {
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_open_box(f, FMT_HV, 0);
  fmt_printf(f, "The files %s", user);
  fmt_space(f);
  fmt_printf(f, "and %s", auth);
  fmt_space(f);
  fmt_printf(f, "disagree over interface %s", intf);
  fmt_close_box(f);
  fmt_flush(f);
  fmt_free(f);
  fprintf(msg_stream(s), "%s\n", b.data ? b.data : "");
  buf_free(&b);
}

/* plg_accept's view of the session's units; a unit whose initialisation
 * raised never joined them, and is only remembered as failed. */
static void lookup_session_unit(void *env, const char *name, PlgLoadedUnit *out) {
  Session *s = env;
  for (int k = 0; k < s->failed_units.len; k++)
    if (strcmp(s->failed_units.items[k], name) == 0) out->failed = true;
  TopUnit *u = top_find_unit(s, name);
  if (!u) return;
  out->loaded = out->has_digest = true;
  out->file = u->file;
  memcpy(out->digest, top_unit_digest(s, u), NATML_DIGEST_SIZE);
}

/* Units must be new; imports must be known with the same interface
 * (plugins/plg_accept.c). */
static bool check_against_session(Session *s, const char *path, const NatmlPluginInfo *info) {
  PlgRefusal why;
  if (plg_accept(path, info, false, lookup_session_unit, s, &why)) return true;
  if (why.kind == PLG_REFUSED_DISAGREE) print_disagree(s, path, why.other, why.unit);
  else fprintf(msg_stream(s), "%s\n", why.text);
  return false;
}

/* Types every unit's source as a module in the current phrase and checks
 * that each gets the interface natmlc recorded. Errors unwind. */
static void retype_units(Session *s, Ctx *ctx, const char *path, const NatmlPluginInfo *info, Item **mods) {
  for (int i = 0; i < info->nunits; i++) {
    const NatmlPluginUnit *u = &info->units[i];
    ctx->src = u->source;
    ctx->srclen = (int)u->source_len;
    ctx->filename = arena_printf(ctx->arena, "%s(%s)", path, u->name);
    int n;
    Item **items = parse_implementation(ctx, &n);
    mods[i] = top_type_unit(s, ctx, u->name, items, n);
    ModuleDesc *md = env_find(ty_env(s->ty), NS_MODULE, u->name);
    unsigned char d[IFACE_DIGEST_SIZE];
    if (!md || !iface_digest(s->ty, md, d) || memcmp(d, u->digest, sizeof d) != 0)
      ctx_error_noloc(ctx, arena_printf(ctx->arena,
                                        "The interface of unit %s in %s is not the one it was "
                                        "compiled with",
                                        u->name, path));
  }
}

/* Maps the checked bytes, registers the slots as roots and runs the
 * units' entries in order. Returns false after printing a message. */
static bool load_and_run(Session *s, const char *path, const NatmlPluginInfo *info, const unsigned char *data,
                         size_t size) {
  DlImage img = {(unsigned char *)data, size};
  DlError derr;
  DlUnit *unit = dl_load_shared(s->dl, &img, &derr);
  if (!unit) {
    fprintf(msg_stream(s), "Cannot load %s: %s\n", path, derr.msg);
    return false;
  }
  natml_plugin_register_roots(info, dl_unit_symbol(unit, NATML_PLUGIN_SYMBOL));
  nml_catch_break(true);
  for (int i = 0; i < info->nunits; i++) {
    void *sym = dl_unit_symbol(unit, info->units[i].entry);
    if (!sym) {
      fprintf(msg_stream(s), "Cannot load %s: unit %s has no entry\n", path, info->units[i].name);
      return false;
    }
    value (*entry)(void);
    memcpy(&entry, &sym, sizeof entry);
    value list, exn;
    bool ok = nml_run_trapped(entry, &list, &exn);
    nml_flush_std();
    if (!ok) {
      /* The code stays mapped (values it made may point into it), but
       * nothing in the environment names it. */
      top_print_exception(s, exn);
      for (int k = 0; k < info->nunits; k++)
        ptrvec_push(&s->perm, &s->failed_units, arena_strdup(&s->perm, info->units[k].name));
      return false;
    }
  }
  return true;
}

/* A checked plugin to declare (and load) at the boundary. */
typedef struct Plugin {
  const char *path;
  const NatmlPluginInfo *info;
  const unsigned char *data;
  size_t size;
  bool declare_only;
} Plugin;

/* Types the plugin's units in one phrase; unless declare_only, loads
 * them and runs their entries; commits only when all of that worked.
 * Type errors unwind. */
static TopStatus declare_plugin(Session *s, Ctx *ctx, void *arg) {
  const Plugin *pl = arg;
  const NatmlPluginInfo *info = pl->info;
  Item **mods = ARENA_ARRAY(ctx->arena, Item *, info->nunits);
  ty_begin_phrase(s->ty, ctx);
  retype_units(s, ctx, pl->path, info, mods);
  if (!pl->declare_only && !load_and_run(s, pl->path, info, pl->data, pl->size)) {
    ty_rollback(s->ty);
    return TOP_ERROR;
  }
  ty_commit(s->ty);
  for (int i = 0; i < info->nunits; i++) {
    top_bind_unit(s, mods[i], pl->path);
    TopUnit *u = &s->units[s->nunits - 1];
    memcpy(u->digest, info->units[i].digest, NATML_DIGEST_SIZE);
    u->has_digest = true;
  }
  return TOP_OK;
}

TopStatus top_plugin_load(Session *s, const char *path, bool declare_only) {
  size_t size;
  unsigned char *data = natml_read_file(path, &size);
  if (!data) {
    fprintf(msg_stream(s), "Cannot find file %s.\n", path);
    return TOP_ERROR;
  }
  NatmlPluginInfo info;
  char err[600];
  if (natml_plugin_check(path, data, size, &info, err, sizeof err) != NATML_CHECK_OK) {
    fprintf(msg_stream(s), "%s\n", err);
    free(data);
    return TOP_ERROR;
  }
  TopStatus st = TOP_ERROR;
  /* Refused before anything is typed, or at the boundary. */
  if (check_against_session(s, path, &info)) {
    Plugin pl = {path, &info, data, size, declare_only};
    st = top_phrase(s, "", 0, declare_plugin, &pl);
  }
  fflush(msg_stream(s));
  natml_plugin_info_free(&info);
  free(data);
  return st;
}

TopStatus top_load(Session *s, const char *path) { return top_plugin_load(s, path, false); }
