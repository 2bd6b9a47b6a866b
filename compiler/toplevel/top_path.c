/* top_path.c — the search path where #use, #load, #require and init
 * files find files whose names have no directory part: the directories
 * of #directory (the latest first), those of -I
 * (in command-line order), of the NATML_PATH variable (colon-separated),
 * and the plugin folder of the install prefix, in that order, after the
 * current directory — or, while a script runs, after the script's folder
 * instead (as OCaml's run_script sets its load path: a file found there
 * is named "./inc.ml" for a script "./s.ml"). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "top_directive.h"

#ifndef NML_PLUGIN_DIR
#error "NML_PLUGIN_DIR: the install prefix's plugin folder, set by CMake"
#endif

static void remove_at(PtrVec *v, int i) {
  memmove(&v->items[i], &v->items[i + 1], sizeof v->items[0] * (size_t)(v->len - i - 1));
  v->len--;
}

static int index_of(Session *s, const char *dir) {
  for (int i = 0; i < s->load_path.len; i++)
    if (strcmp(s->load_path.items[i], dir) == 0) return i;
  return -1;
}

/* "+name" is name in the plugin folder, as OCaml's "+name" is name in
 * its stdlib's folder (Misc.expand_directory). */
static const char *expand(Session *s, const char *dir) {
  return dir[0] == '+' ? arena_printf(&s->perm, "%s/%s", NML_PLUGIN_DIR, dir + 1) : dir;
}

void top_add_directory(Session *s, const char *dir, bool first) {
  dir = expand(s, dir);
  int i = index_of(s, dir);
  if (i >= 0) remove_at(&s->load_path, i);
  const char *copy = arena_strdup(&s->perm, dir);
  ptrvec_push(&s->perm, &s->load_path, (void *)copy);
  if (first) {
    PtrVec *v = &s->load_path;
    memmove(&v->items[1], &v->items[0], sizeof v->items[0] * (size_t)(v->len - 1));
    v->items[0] = (void *)copy;
  }
}

void top_remove_directory(Session *s, const char *dir) {
  int i = index_of(s, expand(s, dir));
  if (i >= 0) remove_at(&s->load_path, i);
}

void top_path_init(Session *s) {
  const char *env = getenv("NATML_PATH");
  if (env) {
    char *copy = arena_strdup(&s->perm, env);
    for (char *dir = strtok(copy, ":"); dir; dir = strtok(NULL, ":"))
      if (*dir) top_add_directory(s, dir, false);
  }
  top_add_directory(s, NML_PLUGIN_DIR, false);
}

static bool is_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* dir/name into b, as OCaml's Filename.concat writes it. */
static void concat(Buf *b, const char *dir, const char *name) {
  size_t n = strlen(dir);
  buf_clear(b);
  buf_printf(b, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
}

const char *top_find_in_path(Session *s, const char *name) {
  if (strchr(name, '/')) return name;
  if (!s->base_dir && is_file(name)) return name;
  Buf b;
  buf_init(&b);
  const char *found = NULL;
  if (s->base_dir) {
    concat(&b, s->base_dir, name);
    if (is_file(b.data)) found = arena_strdup(&s->perm, b.data);
  }
  for (int i = 0; i < s->load_path.len && !found; i++) {
    concat(&b, s->load_path.items[i], name);
    if (is_file(b.data)) found = arena_strdup(&s->perm, b.data);
  }
  buf_free(&b);
  return found;
}
