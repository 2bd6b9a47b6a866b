/* plg_host.c — the embedding API for C programs that load plugins
 * (natml.h): start the runtime and the stdlib, load plugins with every
 * check done before dlopen, look values up by "Unit.name" and call
 * closures. Acceptance is plg_accept's (shared with the toplevel).
 * Loading goes through dynlink (a fresh path per load, so a
 * rebuilt plugin is mapped anew: hot reload); no compiler, no LLVM.
 */
#include "natml.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynlink.h"
#include "natml_runtime.h"

/* Provided by the support code (natmlc -support). */
extern value nml_callback1(value f, value a);
extern value nml_callback2(value f, value a, value b);
extern value nml_callback3(value f, value a, value b, value c);
extern value nml_callback4(value f, value a, value b, value c, value d);

struct NatmlPlugin {
  char *path;
  NatmlPluginInfo info;
  DlUnit *unit;
  bool *replaced;    /* per unit: a later reload took its name */
  bool *reloaded;    /* per unit: it took the name of an earlier one */
  NatmlPlugin *prev; /* the plugin loaded before this one */
};

/* The process's loaded plugins, newest first. */
static struct {
  bool started;
  DlContext *dl;
  NatmlPlugin *newest;
  /* Units of plugins whose initialisation raised: their code stays
   * mapped, first in the global symbol scope, so plugins using a unit of
   * that name would bind to it and are refused. */
  char **failed;
  int nfailed;
} host;

static bool failed_unit(const char *name) {
  for (int i = 0; i < host.nfailed; i++)
    if (strcmp(host.failed[i], name) == 0) return true;
  return false;
}

static void record_failed(const NatmlPluginInfo *info) {
  char **f = realloc(host.failed, (size_t)(host.nfailed + info->nunits) * sizeof *f);
  if (!f) return;
  host.failed = f;
  for (int i = 0; i < info->nunits; i++) {
    char *name = strdup(info->units[i].name);
    if (name) host.failed[host.nfailed++] = name;
  }
}

static void set_err(char *err, size_t errsz, const char *fmt, ...) {
  if (!err || errsz == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errsz, fmt, ap);
  va_end(ap);
}

bool natml_start(void *stack_base, char *err, size_t errsz) {
  if (host.started) return true;
  nml_init(stack_base);
  DlError derr;
  host.dl = dl_create(&derr);
  if (!host.dl) {
    set_err(err, errsz, "natml: %s", derr.msg);
    return false;
  }
  for (int i = 0; i < nml_stdlib_nunits; i++) {
    value r, exn;
    if (!nml_run_trapped(nml_stdlib_units[i].entry, &r, &exn)) {
      set_err(err, errsz, "natml: the initialisation of %s raised an exception", nml_stdlib_units[i].name);
      return false;
    }
  }
  host.started = true;
  return true;
}

/* ---- Which interfaces are loaded ------------------------------------------- */

/* The newest loaded plugin holding unit `name` (not replaced), and the
 * unit's index in it. */
static NatmlPlugin *find_plugin_unit(const char *name, int *index) {
  for (NatmlPlugin *p = host.newest; p; p = p->prev)
    for (int i = 0; i < p->info.nunits; i++)
      if (!p->replaced[i] && strcmp(p->info.units[i].name, name) == 0) {
        *index = i;
        return p;
      }
  return NULL;
}

static const NmlLinkedUnit *find_stdlib_unit(const char *name) {
  for (int i = 0; i < nml_stdlib_nunits; i++)
    if (strcmp(nml_stdlib_units[i].name, name) == 0) return &nml_stdlib_units[i];
  return NULL;
}

/* Reads a hex digest as natmlc -stdlib writes it; false if malformed. */
static bool digest_of_hex(const char *hex, unsigned char out[NATML_DIGEST_SIZE]) {
  if (!hex || strlen(hex) != 2 * NATML_DIGEST_SIZE) return false;
  for (int i = 0; i < NATML_DIGEST_SIZE; i++) {
    unsigned byte;
    if (sscanf(hex + 2 * i, "%2x", &byte) != 1) return false;
    out[i] = (unsigned char)byte;
  }
  return true;
}

/* plg_accept's view of the host's units: the stdlib's (named after their
 * source, as the toplevel names them) and the loaded plugins'. */
typedef struct HostLookup {
  char stdlib_file[256]; /* out->file for a stdlib unit */
} HostLookup;

static void lookup_loaded(void *env, const char *name, PlgLoadedUnit *out) {
  HostLookup *hl = env;
  out->failed = failed_unit(name);
  const NmlLinkedUnit *su = find_stdlib_unit(name);
  if (su) {
    snprintf(hl->stdlib_file, sizeof hl->stdlib_file, "stdlib/%s.ml", name);
    out->loaded = true;
    out->file = hl->stdlib_file;
    out->has_digest = digest_of_hex(su->digest, out->digest);
    return;
  }
  int k;
  NatmlPlugin *p = find_plugin_unit(name, &k);
  if (!p) return;
  out->loaded = out->replaceable = out->has_digest = true;
  out->reloaded = p->reloaded[k];
  out->file = p->path;
  memcpy(out->digest, p->info.units[k].digest, NATML_DIGEST_SIZE);
}

static bool check_against_loaded(const char *path, const NatmlPluginInfo *info, bool reload, char *err,
                                 size_t errsz) {
  HostLookup hl;
  PlgRefusal why;
  if (plg_accept(path, info, reload, lookup_loaded, &hl, &why)) return true;
  set_err(err, errsz, "%s", why.text);
  return false;
}

/* ---- Loading ------------------------------------------------------------------ */

static void free_plugin(NatmlPlugin *p) {
  natml_plugin_info_free(&p->info);
  free(p->replaced);
  free(p->reloaded);
  free(p->path);
  free(p);
}

static bool run_entries(NatmlPlugin *p, char *err, size_t errsz) {
  for (int i = 0; i < p->info.nunits; i++) {
    void *sym = dl_unit_symbol(p->unit, p->info.units[i].entry);
    value (*entry)(void);
    if (!sym) {
      set_err(err, errsz, "Cannot load %s: unit %s has no entry", p->path, p->info.units[i].name);
      return false;
    }
    memcpy(&entry, &sym, sizeof entry);
    value r, exn;
    if (!nml_run_trapped(entry, &r, &exn)) {
      char *msg = nml_format_exception(exn);
      set_err(err, errsz, "Cannot load %s: the initialisation of %s raised %s.", p->path,
              p->info.units[i].name, msg ? msg : "an exception");
      free(msg);
      return false;
    }
  }
  return true;
}

NatmlPlugin *natml_load(const char *path, bool reload, char *err, size_t errsz) {
  if (!host.started) {
    set_err(err, errsz, "natml_load: natml_start has not been called.");
    return NULL;
  }
  size_t size;
  unsigned char *data = natml_read_file(path, &size);
  if (!data) {
    set_err(err, errsz, "Cannot find file %s.", path);
    return NULL;
  }
  NatmlPlugin *p = calloc(1, sizeof *p);
  if (!p || !(p->path = strdup(path))) {
    free(p);
    free(data);
    set_err(err, errsz, "Out of memory.");
    return NULL;
  }
  bool ok = natml_plugin_check(path, data, size, &p->info, err, errsz) == NATML_CHECK_OK &&
            check_against_loaded(path, &p->info, reload, err, errsz);
  if (ok) {
    p->replaced = calloc((size_t)p->info.nunits, sizeof *p->replaced);
    p->reloaded = calloc((size_t)p->info.nunits, sizeof *p->reloaded);
    bool mem = p->replaced && p->reloaded;
    DlImage img = {data, size};
    DlError derr;
    ok = mem && (p->unit = dl_load_shared(host.dl, &img, &derr)) != NULL;
    if (!ok) set_err(err, errsz, "Cannot load %s: %s", path, mem ? derr.msg : "out of memory");
  }
  free(data);
  if (!ok) {
    free_plugin(p);
    return NULL;
  }
  natml_plugin_register_roots(&p->info, dl_unit_symbol(p->unit, NATML_PLUGIN_SYMBOL));
  if (!run_entries(p, err, errsz)) {
    /* Its code may be referenced by values its entries made: it stays
     * mapped, but nothing finds it. */
    record_failed(&p->info);
    free_plugin(p);
    return NULL;
  }
  for (int i = 0; i < p->info.nunits; i++) {
    int k;
    NatmlPlugin *old = find_plugin_unit(p->info.units[i].name, &k);
    if (old) {
      old->replaced[k] = true;
      p->reloaded[i] = true;
    }
  }
  p->prev = host.newest;
  host.newest = p;
  return p;
}

/* ---- Values -------------------------------------------------------------------- */

value *natml_lookup(const char *qualified_name) {
  const char *dot = strchr(qualified_name, '.');
  if (!dot || dot == qualified_name) return NULL;
  char unit[256];
  size_t n = (size_t)(dot - qualified_name);
  if (n >= sizeof unit) return NULL;
  memcpy(unit, qualified_name, n);
  unit[n] = 0;
  int k;
  NatmlPlugin *p = find_plugin_unit(unit, &k);
  if (!p) return NULL;
  const NatmlPluginUnit *u = &p->info.units[k];
  for (int j = u->nvalues - 1; j >= 0; j--)
    if (strcmp(u->values[j].name, dot + 1) == 0) return dl_unit_symbol(p->unit, u->values[j].symbol);
  return NULL;
}

/* A call in progress, for nml_run_trapped_arg. */
typedef struct Call {
  value f;
  int n;
  const value *args;
} Call;

static value call_thunk(void *arg) {
  const Call *c = arg;
  const value *a = c->args;
  switch (c->n) {
  case 1: return nml_callback1(c->f, a[0]);
  case 2: return nml_callback2(c->f, a[0], a[1]);
  case 3: return nml_callback3(c->f, a[0], a[1], a[2]);
  default: return nml_callback4(c->f, a[0], a[1], a[2], a[3]);
  }
}

bool natml_call(value f, int nargs, const value *args, value *result, value *exn) {
  if (nargs < 1 || nargs > 4 || !Is_block(f) || Tag_val(f) != Closure_tag) {
    *exn = Val_unit;
    return false;
  }
  Call c = {f, nargs, args};
  return nml_run_trapped_arg(call_thunk, &c, result, exn);
}

int natml_plugin_units(const NatmlPlugin *p) { return p ? p->info.nunits : 0; }

const char *natml_plugin_unit_name(const NatmlPlugin *p, int i) {
  return p && i >= 0 && i < p->info.nunits ? p->info.units[i].name : NULL;
}
