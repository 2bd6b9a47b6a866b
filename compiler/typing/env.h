/* env.h — the type checker's environment: six namespaces (values, types,
 * constructors, fields, modules, module types) in one hash table whose
 * buckets chain newer bindings in front of the ones they shadow, with an
 * undo log so that local scopes and failed phrases roll back in time
 * proportional to what they added, never to the session size.
 *
 * Two kinds of Env share this code:
 * - the mutable session environment (env_new): entries in malloc'd storage,
 *   grown by env_add, shrunk by env_rollback to a mark;
 * - frozen module environments (env_freeze): the components of a structure
 *   or signature, built once in an arena and never changed.
 *
 * Invariant: the entries of the session env below the last commit mark
 * point to names and descriptors in the session arena (ctx->perm); entries
 * added by the current phrase may point into the phrase arena until
 * ty_commit (typecheck.h) copies them.
 */
#ifndef NML_ENV_H
#define NML_ENV_H

#include <stdbool.h>

#include "arena.h"
#include "types.h"

typedef enum EnvNs { NS_VALUE, NS_TYPE, NS_CONSTR, NS_FIELD, NS_MODULE, NS_MODTYPE, NS_COUNT } EnvNs;

typedef struct EnvEntry {
  const char *name;
  unsigned hash;
  EnvNs ns;
  void *desc; /* ValueDesc, TypeDecl, ConstrDesc, FieldDesc, ModuleDesc
                      (modules and module types) according to ns */
  int next;   /* index of the next (older) entry in the bucket, or -1 */
} EnvEntry;

typedef struct Env Env;
struct Env {
  EnvEntry *entries; /* in insertion order: this is also the undo log */
  int len, cap;
  int *buckets; /* heads (newest entry), -1 when empty */
  int nbuckets; /* a power of two */
  bool frozen;  /* arena-allocated module environment */
};

/* Creates an empty mutable environment (C heap); env_free releases it. */
Env *env_new(void);
void env_free(Env *e);

/* Binds name in ns, shadowing earlier bindings of the same name. */
void env_add(Env *e, EnvNs ns, const char *name, void *desc);
/* The newest binding of name in ns, or NULL. */
void *env_find(const Env *e, EnvNs ns, const char *name);
/* The entry index of the newest binding (or -1); env_find_next walks to
 * the bindings it shadows (for type-directed disambiguation). */
int env_find_index(const Env *e, EnvNs ns, const char *name);
int env_find_next(const Env *e, int index);

/* A mark is the number of entries; rolling back removes every binding
 * added after the mark. */
static inline int env_mark(const Env *e) { return e->len; }
void env_rollback(Env *e, int mark);

/* Builds a frozen environment in arena a from the entries of e added
 * since mark (later bindings shadow earlier ones, as in e). */
Env *env_freeze(Arena *a, const Env *e, int mark);
/* The same from a list of entries (later ones shadow earlier ones). */
Env *env_freeze_entries(Arena *a, const EnvEntry *entries, int n);

/* Copies every entry of src (a module's components) into e, in order:
 * this is `open M`. */
void env_open(Env *e, const Env *src);

/* Replaces the descriptor of entry index (used by commit to point entries
 * at their session copies). */
void env_set_entry(Env *e, int index, const char *name, void *desc);

/* Looks up a dotted path's module prefix: mods[0..nmods) from e. Returns
 * NULL and sets *missing to the index of the first unbound component. */
ModuleDesc *env_find_module_path(const Env *e, const char **mods, int nmods, int *missing);

/* The predefined environment (env_predef.c): OCaml's built-in types,
 * constructors and exceptions, allocated in perm. *next_stamp is advanced
 * past the stamps it uses. */
Env *env_initial(Arena *perm, int *next_stamp);

/* Edit distance as OCaml's Misc.edit_distance with a cutoff; returns
 * cutoff+1 when the distance exceeds it. */
int env_edit_distance(const char *a, const char *b, int cutoff);
/* OCaml's Misc.spellcheck over the names bound in ns: the names closest to
 * name within the allowed distance, as "x", "x or y", "x, y or z" in arena
 * a, or NULL when there are none. */
const char *env_spellcheck(Arena *a, const Env *e, EnvNs ns, const char *name);
/* The same over a list of names (the toplevel's directives). */
const char *env_spellcheck_names(Arena *a, const char *const *names, int n, const char *name);

#endif
