/* dl_symtab.c — the context's symbol table: name -> address.
 *
 * Every unit's exported symbols land here, and every undefined symbol of
 * a new unit is looked up here, so its cost per lookup must not grow with
 * the session: open addressing with linear probing over a power-of-two
 * array kept at most half full, FNV-1a hashes stored beside the entries so
 * probes compare strings only on a hash match. The table owns its names.
 */
#include "dl_internal.h"

#include <stdlib.h>
#include <string.h>

#define MIN_CAPACITY 64

/* FNV-1a, 32 bits: short identifiers hash fast and spread well. */
static uint32_t hash_name(const char *s) {
  uint32_t h = 2166136261u;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    h ^= *p;
    h *= 16777619u;
  }
  return h;
}

void dl_symtab_init(DlSymtab *t) {
  t->slots = NULL;
  t->cap = 0;
  t->count = 0;
}

void dl_symtab_free(DlSymtab *t) {
  for (size_t i = 0; i < t->cap; i++) free(t->slots[i].name);
  free(t->slots);
  dl_symtab_init(t);
}

/* The slot holding name, or the empty slot where it would go. */
static DlSymEntry *find_slot(DlSymEntry *slots, size_t cap, const char *name, uint32_t h) {
  size_t mask = cap - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    DlSymEntry *e = &slots[i];
    if (!e->name) return e;
    if (e->hash == h && strcmp(e->name, name) == 0) return e;
  }
}

/* Doubles the capacity (or allocates the first array) and re-inserts. */
static bool grow(DlSymtab *t) {
  size_t cap = t->cap ? t->cap * 2 : MIN_CAPACITY;
  DlSymEntry *slots = calloc(cap, sizeof *slots);
  if (!slots) return false;
  for (size_t i = 0; i < t->cap; i++) {
    DlSymEntry *e = &t->slots[i];
    if (e->name) *find_slot(slots, cap, e->name, e->hash) = *e;
  }
  free(t->slots);
  t->slots = slots;
  t->cap = cap;
  return true;
}

bool dl_symtab_put(DlSymtab *t, const char *name, void *addr) {
  if ((t->count + 1) * 2 > t->cap && !grow(t)) return false;
  uint32_t h = hash_name(name);
  DlSymEntry *e = find_slot(t->slots, t->cap, name, h);
  if (!e->name) {
    size_t len = strlen(name) + 1;
    char *copy = malloc(len);
    if (!copy) return false;
    memcpy(copy, name, len);
    e->name = copy;
    e->hash = h;
    t->count++;
  }
  e->addr = addr;
  return true;
}

void *dl_symtab_get(const DlSymtab *t, const char *name, bool *found) {
  *found = false;
  if (t->count == 0) return NULL;
  const DlSymEntry *e = find_slot(t->slots, t->cap, name, hash_name(name));
  if (!e->name) return NULL;
  *found = true;
  return e->addr;
}

/* Backward-shift deletion keeps every probe sequence unbroken without
 * tombstones, so lookups stay as fast after many removals. */
void dl_symtab_remove(DlSymtab *t, const char *name, void *addr) {
  if (t->count == 0) return;
  DlSymEntry *e = find_slot(t->slots, t->cap, name, hash_name(name));
  if (!e->name || e->addr != addr) return;
  free(e->name);
  size_t mask = t->cap - 1, hole = (size_t)(e - t->slots);
  e->name = NULL;
  t->count--;
  for (size_t i = (hole + 1) & mask; t->slots[i].name; i = (i + 1) & mask) {
    size_t home = t->slots[i].hash & mask;
    /* Move entry i into the hole unless its home lies cyclically in
     * (hole, i]. */
    bool stays = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
    if (stays) continue;
    t->slots[hole] = t->slots[i];
    t->slots[i].name = NULL;
    hole = i;
  }
}
