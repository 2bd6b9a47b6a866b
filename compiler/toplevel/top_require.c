/* top_require.c — natml's packages: `#require "name"` loads the plugin
 * name.so found on the search path (top_path.c) after the plugins it was
 * compiled against; `#load_rec "file.so"` does the same for a file;
 * `#list` shows the plugins that #require can find.
 *
 * A plugin's descriptor records the interfaces it imports, by unit name
 * and digest. An import the session does not know yet is provided by the
 * first plugin on the search path that defines a unit of that name with
 * that very digest; that plugin is required first, recursively. An
 * import nobody provides is left to #load, which refuses the plugin with
 * OCaml's message. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "natml.h"
#include "top_directive.h"

/* A plugin found on the search path. */
typedef struct Package {
  const char *name; /* its file name without ".so" */
  const char *path;
  NatmlPluginInfo info;
  bool visiting; /* being required (cycles end here) */
} Package;

typedef struct Index {
  Package *pkgs;
  int n, cap;
} Index;

static bool has_so_suffix(const char *name) {
  size_t l = strlen(name);
  return l > 3 && strcmp(name + l - 3, ".so") == 0;
}

static void index_file(Index *ix, const char *path, const char *name) {
  size_t size;
  unsigned char *data = natml_read_file(path, &size);
  if (!data) return;
  Package p = {0};
  /* Files that are not plugins (or are damaged) are not packages. */
  if (natml_plugin_check(path, data, size, &p.info, NULL, 0) == NATML_CHECK_OK) {
    if (ix->n == ix->cap) {
      ix->cap = ix->cap ? 2 * ix->cap : 16;
      Package *np = realloc(ix->pkgs, sizeof *np * (size_t)ix->cap);
      if (!np) nml_fatal("out of memory");
      ix->pkgs = np;
    }
    p.name = strndup(name, strlen(name) - 3);
    p.path = strdup(path);
    if (!p.name || !p.path) nml_fatal("out of memory");
    ix->pkgs[ix->n++] = p;
  }
  free(data);
}

static Package *find_package(Index *ix, const char *name) {
  for (int i = 0; i < ix->n; i++)
    if (strcmp(ix->pkgs[i].name, name) == 0) return &ix->pkgs[i];
  return NULL;
}

/* Every plugin of the search path's directories, in search order; a
 * name already seen in an earlier directory hides later ones. */
static void index_path(Session *s, Index *ix) {
  for (int d = 0; d < s->load_path.len; d++) {
    const char *dir = s->load_path.items[d];
    DIR *dp = opendir(dir);
    if (!dp) continue;
    /* Sorted, so that #list and the choice among providers do not
     * depend on the directory's order. */
    PtrVec names = {0};
    Arena a;
    arena_init(&a);
    for (struct dirent *e; (e = readdir(dp));)
      if (has_so_suffix(e->d_name)) ptrvec_push(&a, &names, arena_strdup(&a, e->d_name));
    closedir(dp);
    for (int i = 1; i < names.len; i++)
      for (int j = i; j > 0 && strcmp(names.items[j - 1], names.items[j]) > 0; j--) {
        void *t = names.items[j];
        names.items[j] = names.items[j - 1];
        names.items[j - 1] = t;
      }
    Buf b;
    buf_init(&b);
    for (int i = 0; i < names.len; i++) {
      const char *n = names.items[i];
      if (find_package(ix, arena_strndup(&a, n, strlen(n) - 3))) continue;
      buf_clear(&b);
      buf_printf(&b, "%s/%s", dir, n);
      index_file(ix, b.data, n);
    }
    buf_free(&b);
    arena_free(&a);
  }
}

static void index_free(Index *ix) {
  for (int i = 0; i < ix->n; i++) {
    free((char *)ix->pkgs[i].name);
    free((char *)ix->pkgs[i].path);
    natml_plugin_info_free(&ix->pkgs[i].info);
  }
  free(ix->pkgs);
}

/* The package that defines unit `unit` with interface digest d. */
static Package *provider(Index *ix, const char *unit, const unsigned char *d) {
  for (int i = 0; i < ix->n; i++) {
    const NatmlPluginInfo *in = &ix->pkgs[i].info;
    for (int k = 0; k < in->nunits; k++)
      if (strcmp(in->units[k].name, unit) == 0 && memcmp(in->units[k].digest, d, NATML_DIGEST_SIZE) == 0)
        return &ix->pkgs[i];
  }
  return NULL;
}

static bool all_units_known(Session *s, const NatmlPluginInfo *info) {
  for (int k = 0; k < info->nunits; k++)
    if (!top_find_unit(s, info->units[k].name)) return false;
  return info->nunits > 0;
}

/* Loads the providers of info's unknown imports, then path itself.
 * announce: print "<file>: loaded" for each plugin loaded. */
static TopStatus load_with_imports(Session *s, Index *ix, const char *path, const NatmlPluginInfo *info,
                                   bool announce) {
  for (int i = 0; i < info->nimports; i++) {
    const NatmlPluginImport *im = &info->imports[i];
    if (top_find_unit(s, im->name)) continue;
    Package *p = provider(ix, im->name, im->digest);
    if (!p || p->visiting || all_units_known(s, &p->info)) continue;
    p->visiting = true;
    TopStatus st = load_with_imports(s, ix, p->path, &p->info, announce);
    p->visiting = false;
    if (st != TOP_OK) return st;
  }
  TopStatus st = top_load(s, path);
  if (st == TOP_OK && announce) fprintf(s->out, "%s: loaded\n", path);
  return st;
}

TopStatus top_dir_require(Session *s, Ctx *ctx, const TopDirArg *arg) {
  (void)ctx;
  Index ix = {0};
  index_path(s, &ix);
  Package *p = find_package(&ix, arg->text);
  TopStatus st = TOP_OK;
  if (!p) {
    fprintf(s->out, "No plugin named %s.so on the search path (#list shows those there are).\n", arg->text);
    st = TOP_ERROR;
  } else if (all_units_known(s, &p->info)) {
    /* Required already: nothing to do, as ocamlfind's #require. */
  } else {
    p->visiting = true;
    st = load_with_imports(s, &ix, p->path, &p->info, true);
  }
  index_free(&ix);
  return st;
}

TopStatus top_dir_load_rec(Session *s, Ctx *ctx, const TopDirArg *arg) {
  (void)ctx;
  const char *path = top_find_in_path(s, arg->text);
  size_t size;
  unsigned char *data = natml_read_file(path, &size);
  NatmlPluginInfo info = {0};
  if (!data || natml_plugin_check(path, data, size, &info, NULL, 0) != NATML_CHECK_OK) {
    free(data);
    return top_dir_done(top_load(s, path)); /* which says what is wrong with the file */
  }
  free(data);
  Index ix = {0};
  index_path(s, &ix);
  TopStatus st = load_with_imports(s, &ix, path, &info, false);
  index_free(&ix);
  natml_plugin_info_free(&info);
  return top_dir_done(st);
}

TopStatus top_dir_list(Session *s, Ctx *ctx, const TopDirArg *arg) {
  (void)ctx;
  (void)arg;
  Index ix = {0};
  index_path(s, &ix);
  int w = 0;
  for (int i = 0; i < ix.n; i++)
    if ((int)strlen(ix.pkgs[i].name) > w) w = (int)strlen(ix.pkgs[i].name);
  /* name, the units it defines, and whether the session has them. */
  for (int i = 0; i < ix.n; i++) {
    const Package *p = &ix.pkgs[i];
    fprintf(s->out, "%-*s  (", w, p->name);
    for (int k = 0; k < p->info.nunits; k++) fprintf(s->out, "%s%s", k ? ", " : "", p->info.units[k].name);
    fprintf(s->out, ")%s  %s\n", all_units_known(s, &p->info) ? " loaded" : "", p->path);
  }
  if (ix.n == 0) fputs("No plugins on the search path.\n", s->out);
  index_free(&ix);
  return TOP_OK;
}
