/* arena.h — bump allocation for the compiler's passes. A phrase's AST,
 * types, IR and diagnostics live in one arena dropped when the phrase is
 * done; what survives (environment entries) is copied into the session
 * arena by one explicit function (see env.h). */
#ifndef NML_ARENA_H
#define NML_ARENA_H

#include <stddef.h>

typedef struct ArenaChunk ArenaChunk;
typedef struct Arena {
  ArenaChunk *chunk; /* current chunk, linked to older ones */
  size_t total;      /* bytes handed out, for statistics */
} Arena;

void arena_init(Arena *a);
/* Frees every chunk; the arena can be reused after arena_init. */
void arena_free(Arena *a);
/* Returns zeroed memory aligned to 16 bytes. Never returns NULL (aborts on
 * out of memory). */
void *arena_alloc(Arena *a, size_t size);
char *arena_strdup(Arena *a, const char *s);
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A growable array of pointers in an arena (old storage is abandoned to the
 * arena when it grows). */
typedef struct PtrVec {
  void **items;
  int len, cap;
} PtrVec;
void ptrvec_push(Arena *a, PtrVec *v, void *item);

#define ARENA_NEW(a, T)      ((T *)arena_alloc((a), sizeof(T)))
#define ARENA_ARRAY(a, T, n) ((T *)arena_alloc((a), sizeof(T) * (size_t)(n)))

#endif
