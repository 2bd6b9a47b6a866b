/* minor.c — the young generation. Small blocks are bump-allocated in a
 * nursery of chunks; a minor collection copies the survivors into the
 * Boehm heap (the old generation) and empties the nursery, so short-lived
 * blocks cost a pointer decrement and are never seen by Boehm's marker.
 *
 * Roots. Machine stack and registers are scanned conservatively: a word
 * pointing anywhere into a young block pins that block (mostly-copying,
 * as Bartlett's collector). A chunk holding pinned blocks is retired to
 * the old generation (it is an ordinary Boehm object, kept alive by any
 * pointer into it, scanned conservatively) once everything else in it has
 * been copied out and wiped, and a fresh chunk takes its place. So nothing
 * a C or ML frame can see ever moves, and derived pointers and spilled
 * registers stay valid. Every other reference into the nursery is precise and is
 * updated when its target moves: fields of old blocks recorded by the
 * write barrier (nml_write_barrier, nml_remember_block), the slots of
 * nml_alloc_roots tables, rt_register_global slots, and the fields of the
 * blocks in pinned chunks. nml_register_roots ranges are scanned
 * conservatively like the stack (plugins' data segments hold slots and
 * other words).
 *
 * Blocks in a pinned chunk may have been caught half-initialised (LLVM may
 * sink an allocation between another allocation and its stores), so a
 * field there counts only if it points at the start of a block; chunks
 * are walked (headers are written as soon as space is taken) to know
 * where blocks start.
 */
#include <gc/gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rt_internal.h"

/* Small enough that a chunk retired for a few pinned blocks wastes
 * little; measured against 4, 8 and 64 KB on ../shared/bench. */
#define DEFAULT_CHUNK (16 * 1024)
/* 128 chunks of 16 KB: 2 MB, OCaml's default minor heap (256 K words). */
#define DEFAULT_NURSERY (2 * 1024 * 1024)
#define MAX_CHUNKS      4096
#define MIN_CHUNK       4096
/* A forwarded block keeps its header's size, with both colour bits set;
 * field 0 holds the address of the copy. A pinned block has the low
 * colour bit set during a collection. */
#define FORWARD_BITS    ((header_t)0x300)
#define PIN_BIT         ((header_t)0x100)
#define Is_forwarded(h) (((h)&FORWARD_BITS) == FORWARD_BITS)
#define Is_pinned(h)    (((h)&FORWARD_BITS) == PIN_BIT)

typedef struct Chunk {
  char *base, *end;
  char *low;        /* blocks occupy [low, end): allocation goes down */
  bool pinned;      /* holds pinned blocks (this collection) */
  uint64_t *starts; /* block-start bitmap, one bit per word, when built */
  bool starts_built;
} Chunk;

char *nml_young_ptr;
char *nml_young_limit;

static Chunk chunks[MAX_CHUNKS];
/* Chunk bases, a root for Boehm: live chunks must not be collected. */
static void *chunk_roots[MAX_CHUNKS];
static int nchunks, cur;
static size_t chunk_bytes;
static int by_addr[MAX_CHUNKS]; /* chunk indices sorted by base */
static uintptr_t young_lo, young_hi;

/* Remembered fields (addresses in old blocks) and whole blocks. Both
 * live in uncollectable memory, so Boehm keeps what they point at alive
 * until the next minor collection reads them. */
typedef struct RootVec {
  void **items;
  size_t len, cap;
} RootVec;
static RootVec ssb, remembered, root_tables, global_slots, ambiguous;
static size_t ssb_limit = 64 * 1024;

/* Promoted blocks whose fields are still to scan (plain malloc: each is
 * reachable from its forwarding pointer in a live chunk). */
static value *work;
static size_t nwork, work_cap;

static uintptr_t stack_top;
static bool in_minor;
static uint64_t minor_count;

static NML_NORETURN void minor_fatal(const char *what) {
  fprintf(stderr, "natml: fatal error: %s\n", what);
  abort();
}

static void vec_push(RootVec *v, void *p, bool uncollectable) {
  if (v->len == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 256;
    void **n = uncollectable ? GC_malloc_uncollectable(cap * sizeof *n) : malloc(cap * sizeof *n);
    if (n == NULL) minor_fatal("out of memory (minor heap tables)");
    if (v->len) memcpy(n, v->items, v->len * sizeof *n);
    if (uncollectable) GC_free(v->items);
    else free(v->items);
    v->items = n;
    v->cap = cap;
  }
  v->items[v->len++] = p;
}

/* ---- Chunks --------------------------------------------------------------- */

static void sort_chunks(void) {
  for (int i = 0; i < nchunks; i++) by_addr[i] = i;
  for (int i = 1; i < nchunks; i++) { /* few chunks, rarely re-sorted */
    int k = by_addr[i], j = i - 1;
    while (j >= 0 && chunks[by_addr[j]].base > chunks[k].base) {
      by_addr[j + 1] = by_addr[j];
      j--;
    }
    by_addr[j + 1] = k;
  }
  young_lo = (uintptr_t)chunks[by_addr[0]].base;
  young_hi = (uintptr_t)chunks[by_addr[nchunks - 1]].end;
}

static Chunk *chunk_of(uintptr_t a) {
  if (a < young_lo || a >= young_hi) return NULL;
  int lo = 0, hi = nchunks - 1;
  while (lo < hi) { /* the last chunk whose base is <= a */
    int mid = (lo + hi + 1) / 2;
    if ((uintptr_t)chunks[by_addr[mid]].base <= a) lo = mid;
    else hi = mid - 1;
  }
  Chunk *c = &chunks[by_addr[lo]];
  return a >= (uintptr_t)c->base && a < (uintptr_t)c->end ? c : NULL;
}

static void new_chunk(Chunk *c) {
  /* Plain GC_malloc: scanned, and any interior pointer keeps a retired
   * chunk alive (not the _ignore_off_page variant). */
  char *b = GC_malloc(chunk_bytes);
  if (b == NULL) minor_fatal("out of memory (minor heap)");
  c->base = b;
  c->end = b + chunk_bytes;
  c->low = c->end;
  c->pinned = false;
  c->starts_built = false;
  chunk_roots[c - chunks] = b;
}

static void use_chunk(int i) {
  cur = i;
  nml_young_ptr = chunks[i].low;
  nml_young_limit = chunks[i].base;
}

void rt_minor_init(void) {
  size_t nursery = DEFAULT_NURSERY;
  chunk_bytes = DEFAULT_CHUNK;
  /* NATML_NURSERY=bytes: a small nursery makes minor collections
   * frequent, which the tests use to shake out missing barriers. */
  const char *env = getenv("NATML_NURSERY");
  if (env && atol(env) > 0) {
    nursery = (size_t)atol(env);
    if (nursery < 2 * MIN_CHUNK) nursery = 2 * MIN_CHUNK;
    chunk_bytes = nursery / 4 < DEFAULT_CHUNK ? nursery / 4 : DEFAULT_CHUNK;
    if (chunk_bytes < MIN_CHUNK) chunk_bytes = MIN_CHUNK;
    chunk_bytes &= ~(size_t)7;
  }
  nchunks = (int)(nursery / chunk_bytes);
  if (nchunks > MAX_CHUNKS) nchunks = MAX_CHUNKS;
  GC_add_roots(chunk_roots, chunk_roots + MAX_CHUNKS);
  for (int i = 0; i < nchunks; i++) new_chunk(&chunks[i]);
  sort_chunks();
  use_chunk(0);
  struct GC_stack_base sb;
  if (GC_get_stack_base(&sb) == GC_SUCCESS) stack_top = (uintptr_t)sb.mem_base;
}

void rt_minor_set_stack_top(void *top) {
  if ((uintptr_t)top > stack_top) stack_top = (uintptr_t)top;
}

bool nml_is_young(value v) { return Is_block(v) && chunk_of((uintptr_t)v) != NULL; }

/* ---- Registration of roots -------------------------------------------------- */

void rt_minor_root_table(value *p, size_t n) {
  vec_push(&root_tables, p, false);
  vec_push(&root_tables, (void *)(uintptr_t)n, false);
}

void rt_minor_forget_table(value *p) {
  for (size_t i = 0; i < root_tables.len; i += 2) {
    if (root_tables.items[i] == p) {
      root_tables.items[i] = root_tables.items[root_tables.len - 2];
      root_tables.items[i + 1] = root_tables.items[root_tables.len - 1];
      root_tables.len -= 2;
      return;
    }
  }
}

void rt_minor_global(value *slot) { vec_push(&global_slots, slot, false); }

void rt_minor_ambiguous(void *lo, void *hi) {
  vec_push(&ambiguous, lo, false);
  vec_push(&ambiguous, hi, false);
}

/* ---- Barrier ---------------------------------------------------------------- */

void nml_write_barrier(value *field) {
  value v = *field;
  if (Is_long(v) || (uintptr_t)v < young_lo || (uintptr_t)v >= young_hi) return;
  if (chunk_of((uintptr_t)v) == NULL || chunk_of((uintptr_t)field) != NULL) return;
  vec_push(&ssb, field, true);
  if (ssb.len >= ssb_limit && !in_minor) nml_minor_collection();
}

/* Words of remembered blocks since the last minor collection: the list
 * keeps its blocks alive for Boehm, so past a bound a minor collection
 * empties it (a loop making big arrays must not keep them all). */
static size_t remembered_words;
#define REMEMBERED_WORDS_MAX (256 * 1024)

void nml_remember_block(value b) {
  if (Is_long(b) || chunk_of((uintptr_t)b) != NULL) return;
  vec_push(&remembered, (void *)b, true);
  remembered_words += Wosize_val(b);
  if (remembered_words > REMEMBERED_WORDS_MAX && !in_minor) nml_minor_collection();
}

/* ---- Allocation --------------------------------------------------------------- */

value nml_alloc_young(mlsize_t wosize, tag_t tag) {
  size_t bytes = (wosize + 1) * sizeof(value);
  for (;;) {
    char *p = nml_young_ptr - bytes;
    if (p >= nml_young_limit && p < nml_young_ptr) {
      nml_young_ptr = p;
      *(header_t *)p = Make_header(wosize, tag);
      return (value)(p + sizeof(header_t));
    }
    chunks[cur].low = nml_young_ptr;
    if (cur + 1 < nchunks) use_chunk(cur + 1);
    else nml_minor_collection();
  }
}

/* ---- The collection --------------------------------------------------------------- */

static void build_starts(Chunk *c) {
  size_t words = (size_t)(c->end - c->base) / sizeof(value);
  size_t n = (words + 63) / 64;
  if (c->starts == NULL) {
    c->starts = malloc(((size_t)DEFAULT_CHUNK / sizeof(value) + 63) / 64 * sizeof(uint64_t));
    if (c->starts == NULL) minor_fatal("out of memory (minor heap)");
  }
  memset(c->starts, 0, n * sizeof(uint64_t));
  for (char *p = c->low; p < c->end;) {
    size_t w = (size_t)(p - c->base) / sizeof(value);
    c->starts[w / 64] |= (uint64_t)1 << (w % 64);
    p += (Wosize_hd(*(header_t *)p) + 1) * sizeof(value);
  }
  c->starts_built = true;
}

/* Whether v is the value of a block allocated in chunk c. */
static bool is_block_start(Chunk *c, value v) {
  uintptr_t a = (uintptr_t)v;
  if (a < (uintptr_t)c->low + sizeof(header_t) || a >= (uintptr_t)c->end) return false;
  if ((a - (uintptr_t)c->base) % sizeof(value) != 0) return false;
  if (!c->starts_built) build_starts(c);
  size_t w = (size_t)((char *)v - sizeof(header_t) - c->base) / sizeof(value);
  return (c->starts[w / 64] >> (w % 64)) & 1;
}

static value promote(value v) {
  header_t h = Hd_val(v);
  if (Is_forwarded(h)) return Field(v, 0);
  if (Is_pinned(h)) return v;
  mlsize_t n = Wosize_hd(h);
  tag_t tag = Tag_hd(h);
  value copy = rt_alloc_old(n, tag);
  memcpy((void *)copy, (void *)v, n * sizeof(value));
  Hd_val(v) = h | FORWARD_BITS;
  Field(v, 0) = copy;
  if (tag < No_scan_tag) {
    if (nwork == work_cap) {
      work_cap = work_cap ? work_cap * 2 : 1024;
      work = realloc(work, work_cap * sizeof *work);
      if (work == NULL) minor_fatal("out of memory during a minor collection");
    }
    work[nwork++] = copy;
  }
  return copy;
}

/* A precise reference: moves its target out of the nursery unless it is
 * pinned. */
static inline value evacuate(value v) {
  if (Is_long(v) || (uintptr_t)v < young_lo || (uintptr_t)v >= young_hi) return v;
  if (chunk_of((uintptr_t)v) == NULL) return v;
  return promote(v);
}

/* A field of a pinned block: only a real block start counts. */
static inline value evacuate_checked(value v) {
  if (Is_long(v) || (uintptr_t)v < young_lo || (uintptr_t)v >= young_hi) return v;
  Chunk *c = chunk_of((uintptr_t)v);
  if (c == NULL || !is_block_start(c, v)) return v;
  return promote(v);
}

static void scan_fields(value b, bool checked) {
  header_t h = Hd_val(b) & ~FORWARD_BITS;
  if (Tag_hd(h) >= No_scan_tag) return;
  mlsize_t n = Wosize_hd(h);
  for (mlsize_t i = 0; i < n; i++) {
    value f = Field(b, i);
    value g = checked ? evacuate_checked(f) : evacuate(f);
    if (g != f) Field(b, i) = g;
  }
}

/* Pins the block of chunk c that contains address a, if any. */
static void pin_address(Chunk *c, uintptr_t a) {
  if (a < (uintptr_t)c->low) return; /* free space */
  if (!c->starts_built) build_starts(c);
  size_t w = (a - (uintptr_t)c->base) / sizeof(value);
  size_t k = w / 64;
  uint64_t bits = c->starts[k] & (w % 64 == 63 ? ~(uint64_t)0 : (((uint64_t)1 << (w % 64 + 1)) - 1));
  while (bits == 0) { /* the nearest block start at or below a */
    if (k == 0) return;
    bits = c->starts[--k];
  }
  size_t start = k * 64 + 63 - (size_t)__builtin_clzll(bits);
  header_t *hp = (header_t *)(c->base + start * sizeof(value));
  if (a >= (uintptr_t)(hp + 1 + Wosize_hd(*hp)) || Is_pinned(*hp)) return;
  *hp |= PIN_BIT;
  c->pinned = true;
}

/* Reads every word of [lo, hi): the machine stack, with its ASan redzones
 * and dead frames, and registered ranges, so AddressSanitizer must not
 * check these loads. */
__attribute__((no_sanitize_address)) static void pin_range(uintptr_t lo, uintptr_t hi) {
  lo = (lo + sizeof(value) - 1) & ~(uintptr_t)(sizeof(value) - 1);
  for (uintptr_t p = lo; p + sizeof(value) <= hi; p += sizeof(value)) {
    uintptr_t w = *(uintptr_t *)p;
    if (w < young_lo || w >= young_hi) continue;
    Chunk *c = chunk_of(w);
    if (c) pin_address(c, w);
  }
}

/* Callee-saved registers may hold values of the frames above: spill them
 * where the stack scan sees them (glibc's setjmp mangles rbp). */
__attribute__((noinline)) static void pin_stack_and_registers(void) {
  uintptr_t regs[6];
#if defined(__x86_64__)
  __asm__ volatile("movq %%rbx, 0(%0)\n\tmovq %%rbp, 8(%0)\n\tmovq %%r12, 16(%0)\n\t"
                   "movq %%r13, 24(%0)\n\tmovq %%r14, 32(%0)\n\tmovq %%r15, 40(%0)"
                   :
                   : "r"(regs)
                   : "memory");
#else
#error "the minor collector's register spill is written for x86-64"
#endif
  pin_range((uintptr_t)regs, stack_top);
}

void nml_minor_collection(void) {
  if (in_minor) minor_fatal("minor collection re-entered");
  in_minor = true;
  minor_count++;
  chunks[cur].low = nml_young_ptr;

  pin_stack_and_registers();
  for (size_t i = 0; i < ambiguous.len; i += 2)
    pin_range((uintptr_t)ambiguous.items[i], (uintptr_t)ambiguous.items[i + 1]);

  for (int i = 0; i < nchunks; i++) {
    Chunk *c = &chunks[i];
    if (!c->pinned) continue;
    for (char *p = c->low; p < c->end;) {
      header_t h = *(header_t *)p;
      if (Is_pinned(h)) scan_fields((value)(p + sizeof(header_t)), true);
      p += (Wosize_hd(h) + 1) * sizeof(value);
    }
  }
  for (size_t i = 0; i < root_tables.len; i += 2) {
    value *t = root_tables.items[i];
    size_t n = (size_t)(uintptr_t)root_tables.items[i + 1];
    for (size_t k = 0; k < n; k++) t[k] = evacuate(t[k]);
  }
  for (size_t i = 0; i < global_slots.len; i++) {
    value *s = global_slots.items[i];
    *s = evacuate(*s);
  }
  for (size_t i = 0; i < ssb.len; i++) {
    value *f = ssb.items[i];
    if (chunk_of((uintptr_t)f) != NULL) continue; /* a young block's field */
    *f = evacuate(*f);
  }
  for (size_t i = 0; i < remembered.len; i++) scan_fields((value)remembered.items[i], false);
  while (nwork > 0) scan_fields(work[--nwork], false);

  /* Chunks with pinned blocks become old: the rest of the heap may now
   * point into them. Everything else in them (copied-out husks, dead
   * blocks, free space) is wiped so that Boehm, which scans the chunk as
   * one conservative object, finds no stale pointers in it. */
  bool resort = false;
  for (int i = 0; i < nchunks; i++) {
    Chunk *c = &chunks[i];
    if (c->pinned) {
      memset(c->base, 0, (size_t)(c->low - c->base));
      for (char *p = c->low; p < c->end;) {
        header_t *hp = (header_t *)p;
        header_t h = *hp;
        p += (Wosize_hd(h) + 1) * sizeof(value);
        if (Is_pinned(h)) *hp = h & ~FORWARD_BITS;
        else memset(hp, 0, (size_t)(p - (char *)hp));
      }
      new_chunk(c);
      resort = true;
    }
    c->low = c->end;
    c->starts_built = false;
  }
  if (resort) sort_chunks();
  /* Cleared, not just emptied: Boehm scans the whole array. */
  if (ssb.len) memset(ssb.items, 0, ssb.len * sizeof *ssb.items);
  if (remembered.len) memset(remembered.items, 0, remembered.len * sizeof *remembered.items);
  ssb.len = 0;
  remembered.len = 0;
  remembered_words = 0;
  use_chunk(0);
  in_minor = false;
}

uint64_t nml_minor_collections(void) { return minor_count; }
