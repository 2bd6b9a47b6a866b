/* env.c — the typer's environment (see env.h): a chained hash table whose
 * entry array doubles as the undo log, frozen copies for modules, `open`,
 * and OCaml's spelling suggestions for unbound names. */
#include "env.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static unsigned hash_name(EnvNs ns, const char *s) {
  unsigned h = 2166136261u ^ (unsigned)ns;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

Env *env_new(void) {
  Env *e = calloc(1, sizeof(Env));
  if (!e) nml_fatal("out of memory");
  e->nbuckets = 256;
  e->buckets = malloc(sizeof(int) * (size_t)e->nbuckets);
  if (!e->buckets) nml_fatal("out of memory");
  memset(e->buckets, -1, sizeof(int) * (size_t)e->nbuckets);
  return e;
}

void env_free(Env *e) {
  if (!e || e->frozen) return;
  free(e->entries);
  free(e->buckets);
  free(e);
}

/* Re-chains every entry in insertion order, so that each bucket again
 * lists newest first: shadowing and LIFO rollback survive the resize. */
static void rehash(Env *e, int nbuckets) {
  int *b = malloc(sizeof(int) * (size_t)nbuckets);
  if (!b) nml_fatal("out of memory");
  memset(b, -1, sizeof(int) * (size_t)nbuckets);
  for (int i = 0; i < e->len; i++) {
    unsigned k = e->entries[i].hash & (unsigned)(nbuckets - 1);
    e->entries[i].next = b[k];
    b[k] = i;
  }
  free(e->buckets);
  e->buckets = b;
  e->nbuckets = nbuckets;
}

void env_add(Env *e, EnvNs ns, const char *name, void *desc) {
  NML_ASSERT(!e->frozen);
  if (e->len == e->cap) {
    int cap = e->cap ? e->cap * 2 : 256;
    EnvEntry *n = realloc(e->entries, sizeof(EnvEntry) * (size_t)cap);
    if (!n) nml_fatal("out of memory");
    e->entries = n;
    e->cap = cap;
  }
  if (e->len >= e->nbuckets) rehash(e, e->nbuckets * 2);
  EnvEntry *en = &e->entries[e->len];
  en->name = name;
  en->ns = ns;
  en->hash = hash_name(ns, name);
  en->desc = desc;
  unsigned k = en->hash & (unsigned)(e->nbuckets - 1);
  en->next = e->buckets[k];
  e->buckets[k] = e->len++;
}

int env_find_index(const Env *e, EnvNs ns, const char *name) {
  if (!e || e->nbuckets == 0) return -1;
  unsigned h = hash_name(ns, name);
  for (int i = e->buckets[h & (unsigned)(e->nbuckets - 1)]; i >= 0; i = e->entries[i].next) {
    const EnvEntry *en = &e->entries[i];
    if (en->hash == h && en->ns == ns && strcmp(en->name, name) == 0) return i;
  }
  return -1;
}

int env_find_next(const Env *e, int index) {
  const EnvEntry *cur = &e->entries[index];
  for (int i = cur->next; i >= 0; i = e->entries[i].next) {
    const EnvEntry *en = &e->entries[i];
    if (en->hash == cur->hash && en->ns == cur->ns && strcmp(en->name, cur->name) == 0) return i;
  }
  return -1;
}

void *env_find(const Env *e, EnvNs ns, const char *name) {
  int i = env_find_index(e, ns, name);
  return i < 0 ? NULL : e->entries[i].desc;
}

/* Entries come off in reverse order, so each is the head of its bucket. */
void env_rollback(Env *e, int mark) {
  NML_ASSERT(!e->frozen && mark <= e->len);
  while (e->len > mark) {
    EnvEntry *en = &e->entries[--e->len];
    unsigned k = en->hash & (unsigned)(e->nbuckets - 1);
    NML_ASSERT(e->buckets[k] == e->len);
    e->buckets[k] = en->next;
  }
}

Env *env_freeze(Arena *a, const Env *e, int mark) {
  return env_freeze_entries(a, e->entries + mark, e->len - mark);
}

Env *env_freeze_entries(Arena *a, const EnvEntry *entries, int n) {
  Env *f = ARENA_NEW(a, Env);
  int nb = 8;
  while (nb < n) nb *= 2;
  f->frozen = true;
  f->len = f->cap = n;
  f->entries = ARENA_ARRAY(a, EnvEntry, n > 0 ? n : 1);
  f->nbuckets = nb;
  f->buckets = ARENA_ARRAY(a, int, nb);
  memset(f->buckets, -1, sizeof(int) * (size_t)nb);
  for (int i = 0; i < n; i++) {
    f->entries[i] = entries[i];
    unsigned k = f->entries[i].hash & (unsigned)(nb - 1);
    f->entries[i].next = f->buckets[k];
    f->buckets[k] = i;
  }
  return f;
}

void env_open(Env *e, const Env *src) {
  for (int i = 0; i < src->len; i++)
    env_add(e, src->entries[i].ns, src->entries[i].name, src->entries[i].desc);
}

void env_set_entry(Env *e, int index, const char *name, void *desc) {
  NML_ASSERT(index >= 0 && index < e->len);
  EnvEntry *en = &e->entries[index];
  NML_ASSERT(strcmp(en->name, name) == 0);
  en->name = name;
  en->desc = desc;
}

ModuleDesc *env_find_module_path(const Env *e, const char **mods, int nmods, int *missing) {
  ModuleDesc *m = NULL;
  for (int i = 0; i < nmods; i++) {
    m = env_find(i == 0 ? e : m->env, NS_MODULE, mods[i]);
    if (!m || (!m->env && i + 1 < nmods)) {
      if (missing) *missing = i;
      return NULL;
    }
  }
  return m;
}

/* ---- Spelling suggestions (OCaml's Misc.edit_distance / spellcheck) ---- */

static int min2(int a, int b) { return a < b ? a : b; }

int env_edit_distance(const char *a, const char *b, int cutoff) {
  int la = (int)strlen(a), lb = (int)strlen(b);
  int mx = la > lb ? la : lb;
  if (cutoff > mx) cutoff = mx;
  if (abs(la - lb) > cutoff) return cutoff + 1;
  int w = lb + 1;
  int *m = malloc(sizeof(int) * (size_t)(la + 1) * (size_t)w);
  if (!m) nml_fatal("out of memory");
  for (int i = 0; i < (la + 1) * w; i++) m[i] = cutoff + 1;
  m[0] = 0;
  for (int i = 1; i <= la; i++) m[i * w] = i;
  for (int j = 1; j <= lb; j++) m[j] = j;
  for (int i = 1; i <= la; i++) {
    int jlo = i - cutoff - 1 > 1 ? i - cutoff - 1 : 1;
    int jhi = min2(lb, i + cutoff + 1);
    for (int j = jlo; j <= jhi; j++) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int best = min2(1 + min2(m[(i - 1) * w + j], m[i * w + j - 1]), m[(i - 1) * w + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        best = min2(best, m[(i - 2) * w + j - 2] + cost);
      m[i * w + j] = best;
    }
  }
  int r = m[la * w + lb];
  free(m);
  return r > cutoff ? cutoff + 1 : r;
}

static int cmp_str(const void *x, const void *y) {
  return strcmp(*(const char *const *)x, *(const char *const *)y);
}

const char *env_spellcheck_names(Arena *a, const char *const *names, int nnames, const char *name) {
  size_t l = strlen(name);
  int cutoff = l <= 2 ? 0 : l <= 4 ? 1 : l <= 6 ? 2 : 3;
  int best = 1 << 30, n = 0;
  const char **choices = malloc(sizeof(char *) * (size_t)(nnames > 0 ? nnames : 1));
  if (!choices) nml_fatal("out of memory");
  for (int i = 0; i < nnames; i++) {
    int d = env_edit_distance(name, names[i], cutoff);
    if (d > cutoff || d > best) continue;
    if (d < best) {
      best = d;
      n = 0;
    }
    bool dup = false;
    for (int k = 0; k < n; k++)
      if (strcmp(choices[k], names[i]) == 0) dup = true;
    if (!dup) choices[n++] = names[i];
  }
  const char *res = NULL;
  if (n > 0) {
    qsort(choices, (size_t)n, sizeof(char *), cmp_str);
    Buf b;
    buf_init(&b);
    for (int k = 0; k < n; k++) {
      if (k > 0) buf_puts(&b, k == n - 1 ? " or " : ", ");
      buf_puts(&b, choices[k]);
    }
    res = arena_strdup(a, b.data);
    buf_free(&b);
  }
  free(choices);
  return res;
}

const char *env_spellcheck(Arena *a, const Env *e, EnvNs ns, const char *name) {
  /* Spelling suggestions only run on errors: scanning the whole
   * environment here costs nothing on the normal path. */
  const char **names = malloc(sizeof(char *) * (size_t)(e->len > 0 ? e->len : 1));
  if (!names) nml_fatal("out of memory");
  int n = 0;
  for (int i = 0; i < e->len; i++)
    if (e->entries[i].ns == ns) names[n++] = e->entries[i].name;
  const char *res = env_spellcheck_names(a, names, n, name);
  free(names);
  return res;
}
