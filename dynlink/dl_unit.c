/* dl_unit.c — what a loaded object defines, read from its mapped image.
 *
 * After dlopen, a unit's symbols are read from its own dynamic section
 * (found through dlinfo's link_map), not from the file: the same code then
 * serves dynlink's images and plugins written by any linker, with SysV
 * (.hash) or GNU (.gnu.hash) tables. dl_unit_symbol looks a name up in
 * that one object's hash table, which dlsym on a handle cannot promise
 * (it also searches the object's dependencies).
 */
#include "dl_internal.h"

#include <dlfcn.h>
#include <link.h>
#include <string.h>

/* ld.so rewrites the address entries of a writable .dynamic in place to
 * absolute addresses; a read-only one keeps image-relative ones. Values
 * below the load base can only be the latter. */
static const void *dyn_ptr(const DlUnit *u, ElfW(Addr) p) {
  if (p < u->base) p += u->base;
  return (const void *)p;
}

/* Symbol count from a GNU hash table: one past the highest symbol any
 * chain reaches (the table has no count of its own). */
static uint32_t gnu_hash_count(const uint32_t *gh) {
  uint32_t nbuckets = gh[0], symoffset = gh[1], bloom_words = gh[2];
  const uint32_t *buckets = gh + 4 + 2 * bloom_words; /* 64-bit bloom words */
  const uint32_t *chain = buckets + nbuckets;
  uint32_t max = 0;
  for (uint32_t b = 0; b < nbuckets; b++)
    if (buckets[b] > max) max = buckets[b];
  if (max < symoffset) return symoffset;
  while (!(chain[max - symoffset] & 1)) max++;
  return max + 1;
}

bool dl_unit_init(DlUnit *u, void *handle, DlError *err) {
  struct link_map *lm = NULL;
  memset(u, 0, sizeof *u);
  u->handle = handle;
  u->fd = -1;
  if (dlinfo(handle, RTLD_DI_LINKMAP, &lm) != 0 || !lm) return dl_fail(err, "dlinfo failed: %s", dlerror());
  u->base = lm->l_addr;
  const uint16_t *versym = NULL;
  for (const ElfW(Dyn) *d = lm->l_ld; d && d->d_tag != DT_NULL; d++) {
    switch (d->d_tag) {
    case DT_SYMTAB: u->symtab = dyn_ptr(u, d->d_un.d_ptr); break;
    case DT_STRTAB: u->strtab = dyn_ptr(u, d->d_un.d_ptr); break;
    case DT_STRSZ: u->strsz = d->d_un.d_val; break;
    case DT_HASH: u->hash = dyn_ptr(u, d->d_un.d_ptr); break;
    case DT_GNU_HASH: u->gnu_hash = dyn_ptr(u, d->d_un.d_ptr); break;
    case DT_VERSYM: versym = dyn_ptr(u, d->d_un.d_ptr); break;
    default: break;
    }
  }
  u->versym = versym;
  if (!u->symtab || !u->strtab) return true; /* defines nothing */
  if (u->hash) u->nsym = u->hash[1];
  else if (u->gnu_hash) u->nsym = gnu_hash_count(u->gnu_hash);
  return true;
}

/* Symbol i's name when it is a global definition lookups may see, else
 * NULL. Hidden symbol versions (name@VER without @@) are not. */
static const char *visible_name(const DlUnit *u, uint32_t i) {
  const ElfW(Sym) *y = &u->symtab[i];
  int bind = ELF64_ST_BIND(y->st_info), type = ELF64_ST_TYPE(y->st_info);
  if (y->st_shndx == SHN_UNDEF || y->st_name >= u->strsz) return NULL;
  if (bind != STB_GLOBAL && bind != STB_WEAK && bind != STB_GNU_UNIQUE) return NULL;
  if (type == STT_SECTION || type == STT_FILE || type == STT_TLS || type == STT_GNU_IFUNC) return NULL;
  if (u->versym && (u->versym[i] & 0x8000)) return NULL;
  return u->strtab + y->st_name;
}

static void *sym_addr(const DlUnit *u, uint32_t i) {
  const ElfW(Sym) *y = &u->symtab[i];
  if (y->st_shndx == SHN_ABS) return (void *)(uintptr_t)y->st_value;
  return (void *)(u->base + y->st_value);
}

bool dl_unit_each_symbol(const DlUnit *u, DlSymVisit fn, void *ud) {
  for (uint32_t i = 1; i < u->nsym; i++) {
    const char *name = visible_name(u, i);
    if (name && !fn(ud, name, sym_addr(u, i))) return false;
  }
  return true;
}

static uint32_t gnu_hash(const char *name) {
  uint32_t h = 5381;
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) h = h * 33 + *p;
  return h;
}

static bool matches(const DlUnit *u, uint32_t i, const char *name) {
  const char *n = i < u->nsym ? visible_name(u, i) : NULL;
  return n && strcmp(n, name) == 0;
}

static void *lookup_sysv(const DlUnit *u, const char *name) {
  uint32_t nbucket = u->hash[0];
  const uint32_t *bucket = u->hash + 2, *chain = bucket + nbucket;
  if (nbucket == 0) return NULL;
  for (uint32_t i = bucket[elf_sysv_hash(name) % nbucket]; i && i < u->nsym; i = chain[i])
    if (matches(u, i, name)) return sym_addr(u, i);
  return NULL;
}

static void *lookup_gnu(const DlUnit *u, const char *name) {
  const uint32_t *gh = u->gnu_hash;
  uint32_t nbuckets = gh[0], symoffset = gh[1], bloom_words = gh[2];
  const uint32_t *buckets = gh + 4 + 2 * bloom_words;
  const uint32_t *chain = buckets + nbuckets;
  if (nbuckets == 0) return NULL;
  uint32_t h = gnu_hash(name);
  uint32_t i = buckets[h % nbuckets];
  if (i < symoffset) return NULL;
  for (;; i++) {
    uint32_t h2 = chain[i - symoffset];
    if ((h | 1) == (h2 | 1) && matches(u, i, name)) return sym_addr(u, i);
    if (h2 & 1) return NULL;
  }
}

void *dl_unit_symbol(DlUnit *u, const char *name) {
  if (!u || !name || !u->symtab) return NULL;
  if (u->gnu_hash) return lookup_gnu(u, name);
  if (u->hash) return lookup_sysv(u, name);
  return NULL;
}
