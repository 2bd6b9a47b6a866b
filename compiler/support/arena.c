/* arena.c — bump allocator behind every compiler pass (see arena.h). */
#include "arena.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ArenaChunk {
  ArenaChunk *prev;
  size_t size, used;
  _Alignas(16) unsigned char data[];
};

#define CHUNK_MIN (64 * 1024)

void arena_init(Arena *a) {
  a->chunk = NULL;
  a->total = 0;
}

void arena_free(Arena *a) {
  ArenaChunk *c = a->chunk;
  while (c) {
    ArenaChunk *p = c->prev;
    free(c);
    c = p;
  }
  a->chunk = NULL;
  a->total = 0;
}

void *arena_alloc(Arena *a, size_t size) {
  size = (size + 15) & ~(size_t)15;
  ArenaChunk *c = a->chunk;
  if (!c || c->used + size > c->size) {
    size_t cap = size > CHUNK_MIN ? size : CHUNK_MIN;
    /* Grow chunks with the arena so that big sessions need few of them. */
    if (c && c->size * 2 > cap && c->size < 16 * CHUNK_MIN) cap = c->size * 2;
    ArenaChunk *n = malloc(sizeof(ArenaChunk) + cap);
    if (!n) nml_fatal("out of memory");
    n->prev = c;
    n->size = cap;
    n->used = 0;
    a->chunk = c = n;
  }
  void *p = c->data + c->used;
  c->used += size;
  a->total += size;
  memset(p, 0, size);
  return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n) {
  char *d = arena_alloc(a, n + 1);
  memcpy(d, s, n);
  d[n] = 0;
  return d;
}

char *arena_strdup(Arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

char *arena_printf(Arena *a, const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *d = arena_alloc(a, (size_t)n + 1);
  vsnprintf(d, (size_t)n + 1, fmt, ap2);
  va_end(ap2);
  return d;
}

void ptrvec_push(Arena *a, PtrVec *v, void *item) {
  if (v->len == v->cap) {
    int cap = v->cap ? v->cap * 2 : 4;
    void **n = ARENA_ARRAY(a, void *, cap);
    if (v->len) memcpy(n, v->items, sizeof(void *) * (size_t)v->len);
    v->items = n;
    v->cap = cap;
  }
  v->items[v->len++] = item;
}
