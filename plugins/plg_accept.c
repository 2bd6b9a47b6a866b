/* plg_accept.c — the rules by which a loader accepts a checked plugin,
 * written once for natml's two loaders: the toplevel's #load and
 * `natml lib.so script.ml` (compiler/toplevel/top_plugin.c), and the
 * embedding API's natml_load (plg_host.c). natml_plugin_check has already
 * vouched for the file; this step compares the plugin with the units the
 * loader has loaded, which each loader describes through a lookup, and
 * words every refusal as OCaml's toplevel and Dynlink do.
 */
#include "natml.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static bool refuse(PlgRefusal *why, PlgRefusalKind kind, const char *unit, const char *fmt, ...) {
  why->kind = kind;
  why->unit = unit;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why->text, sizeof why->text, fmt, ap);
  va_end(ap);
  return false;
}

static void lookup_unit(PlgLookup *lookup, void *env, const char *name, PlgLoadedUnit *out) {
  memset(out, 0, sizeof *out);
  lookup(env, name, out);
}

/* None of the plugin's units may be loaded already, unless a reload may
 * replace it (units of plugins, never those of the main program). */
static bool units_are_new(const char *path, const NatmlPluginInfo *info, bool reload, PlgLookup *lookup,
                          void *env, PlgRefusal *why) {
  for (int i = 0; i < info->nunits; i++) {
    const char *name = info->units[i].name;
    PlgLoadedUnit lu;
    lookup_unit(lookup, env, name, &lu);
    if (lu.loaded && !(reload && lu.replaceable))
      return refuse(why, PLG_REFUSED_LOADED, name,
                    "Cannot load %s: the module `%s' is already loaded (either by the main "
                    "program or a previously-dynlinked library).",
                    path, name);
  }
  return true;
}

/* Every import must be loaded, initialised, reachable and of the
 * interface the plugin was compiled against. */
static bool imports_agree(const char *path, const NatmlPluginInfo *info, PlgLookup *lookup, void *env,
                          PlgRefusal *why) {
  for (int i = 0; i < info->nimports; i++) {
    const NatmlPluginImport *im = &info->imports[i];
    PlgLoadedUnit lu;
    lookup_unit(lookup, env, im->name, &lu);
    if (lu.failed)
      return refuse(why, PLG_REFUSED_FAILED_IMPORT, im->name,
                    "Cannot load %s: it uses unit %s, whose earlier initialisation failed (the "
                    "failed code would be used).",
                    path, im->name);
    if (!lu.loaded)
      return refuse(why, PLG_REFUSED_UNDEFINED, im->name, "Error: Reference to undefined global `%s'",
                    im->name);
    /* Plugins bind to units' slots through the process's global symbol
     * scope, where the first definition of a name wins: a later plugin
     * would reach the replaced unit, not the one loaded now. */
    if (lu.reloaded)
      return refuse(why, PLG_REFUSED_RELOADED_IMPORT, im->name,
                    "Cannot load %s: it uses unit %s, which was reloaded (only the units of "
                    "plugins loaded once can be used by other plugins).",
                    path, im->name);
    if (!lu.has_digest || memcmp(lu.digest, im->digest, NATML_DIGEST_SIZE) != 0) {
      snprintf(why->other, sizeof why->other, "%s", lu.file ? lu.file : im->name);
      return refuse(why, PLG_REFUSED_DISAGREE, im->name, "The files %s and %s disagree over interface %s",
                    path, why->other, im->name);
    }
  }
  return true;
}

bool plg_accept(const char *path, const NatmlPluginInfo *info, bool reload, PlgLookup *lookup, void *env,
                PlgRefusal *why) {
  memset(why, 0, sizeof *why);
  why->kind = PLG_ACCEPTED;
  return units_are_new(path, info, reload, lookup, env, why) && imports_agree(path, info, lookup, env, why);
}
