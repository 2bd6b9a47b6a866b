/* alloc.c — the one allocation interface (nml_alloc and friends) over the
 * Boehm collector, start-up (nml_init) and root registration. Blocks are a
 * header word followed by the fields; a value points at field 0, so the GC
 * is told that pointers displaced by one header word keep a block alive.
 */
#include <gc/gc.h>
#include <gc/gc_inline.h>
#include <gc/gc_mark.h>
#include <link.h>
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include "rt_internal.h"

/* Zero-size blocks ("atoms"), one per tag as in OCaml: a value points just
 * past its header, so atom t's header is atoms[t] and its value is
 * &atoms[t + 1]. Never collected, never written. */
static header_t atoms[257];

/* Small enough that a program with little live data reuses memory that
 * is still in the cache (8 MB measured slower than 2-4 MB, before the
 * nursery). */
#define INITIAL_HEAP (4 * 1024 * 1024)

static NML_NORETURN void out_of_memory(void) { nml_raise_constant(nml_exn_Out_of_memory); }

static void add_roots_range(uintptr_t lo, uintptr_t hi) {
  if (lo < hi) GC_add_roots((void *)lo, (void *)hi);
}

/* Registers the writable PT_LOAD segments of one loaded object, less its
 * PT_GNU_RELRO part: that is read-only once relocated (vtables, GOT,
 * constant tables) and never holds a heap pointer, and in a host that
 * links LLVM it is megabytes that every collection would scan. */
static void register_object_data(struct dl_phdr_info *info) {
  uintptr_t rlo = 0, rhi = 0;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type == PT_GNU_RELRO) {
      rlo = info->dlpi_addr + ph->p_vaddr;
      rhi = rlo + ph->p_memsz;
    }
  }
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W)) continue;
    uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;
    if (rhi <= lo || rlo >= hi) {
      add_roots_range(lo, hi);
    } else {
      add_roots_range(lo, rlo);
      add_roots_range(rhi, hi);
    }
  }
}

/* dl_iterate_phdr callback: the main executable comes first (empty name);
 * the object holding this file's code is found by address. */
static int register_cb(struct dl_phdr_info *info, size_t size, void *data) {
  (void)size;
  uintptr_t self = (uintptr_t)data;
  bool is_main = info->dlpi_name == NULL || info->dlpi_name[0] == '\0';
  bool is_self = false;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
    if (ph->p_type == PT_LOAD && self >= lo && self < lo + ph->p_memsz) is_self = true;
  }
  if (is_main || is_self) register_object_data(info);
  return 0;
}

#define NML_FREELISTS 32
static void *nml_freelist[NML_FREELISTS];
static unsigned nml_kind;
static void drop_freelists(void);

void rt_gc_init(void) {
  /* Units are dlopen'd by the thousand: never scan their data segments.
   * With dls off Boehm scans no static data at all, so the main program's
   * and the runtime's own data are registered explicitly below. */
  GC_set_no_dls(1);
  GC_INIT();
  GC_register_displacement(sizeof(header_t));
  /* Boehm starts with a heap of a few pages and collects every ~100 KB of
   * allocation while the live set is small; ML allocates fast, so start
   * bigger unless the user chose (GC_INITIAL_HEAP_SIZE). */
  if (getenv("GC_INITIAL_HEAP_SIZE") == NULL) GC_expand_hp(INITIAL_HEAP);
  /* Boehm's default divisor (3) collects once a third of the heap is
   * allocated; 1 lets the heap grow to about twice what survives between
   * collections. The nursery (minor.c) absorbs short-lived blocks, so the
   * old generation only sees promotions: 2 measured within a few percent
   * of 1 in time on ../shared/bench with a third less memory on
   * binary_trees (103 vs 150 MB RSS). */
  if (getenv("GC_FREE_SPACE_DIVISOR") == NULL) GC_set_free_space_divisor(2);
  GC_add_roots(nml_freelist, nml_freelist + NML_FREELISTS);
  /* Scanned, but not cleared: see alloc_old_small. */
  if (!nml_kind) nml_kind = GC_new_kind(GC_new_free_list(), GC_DS_LENGTH, 1, 0);
  GC_set_start_callback(drop_freelists);
  for (tag_t t = 0; t < 256; t++) atoms[t] = Make_header(0, t);
  static bool registered;
  if (!registered) {
    registered = true;
    dl_iterate_phdr(register_cb, (void *)(uintptr_t)&rt_gc_init);
  }
  rt_minor_init();
}

void rt_register_global(value *slot) {
  GC_add_roots(slot, slot + 1);
  rt_minor_global(slot);
}

void nml_register_roots(void *start, void *end) {
  GC_add_roots(start, end);
  rt_minor_ambiguous(start, end);
}

void nml_init(void *stack_base) {
  static bool done;
  if (done) return;
  done = true;
  rt_gc_init();
  rt_exn_init();
  rt_stack_init(stack_base);
}

/* Free lists of small scanned blocks of the old generation (where minor
 * collections promote to), refilled a batch at a time with
 * GC_generic_malloc_many: popping one is a few instructions and no call,
 * where GC_malloc pays a call, a thread-local lookup and a lock-free
 * check. Blocks on a list stay reachable through the array (a root) and
 * their link words. Boxed floats come from these lists too, so they are
 * scanned (conservatively, as raw words).
 *
 * The blocks are of a kind of our own that Boehm does not clear when it
 * sweeps them into a batch: every allocation stores all its fields before
 * the next one, so clearing would be wasted work (it was most of the cost
 * of refilling). A listed block may then still hold stale words from its
 * previous life, which a collection would scan and keep alive; so each
 * collection starts by dropping every list (drop_freelists): the blocks
 * on them become garbage like any other, and no listed block is ever
 * scanned. A block just popped is filled (by the minor collector's copy)
 * before the next allocation, the only place a collection can start. */
static void drop_freelists(void) {
  for (int i = 0; i < NML_FREELISTS; i++) nml_freelist[i] = NULL;
}

static value alloc_old_small(mlsize_t wosize, tag_t tag) {
  void **fl = &nml_freelist[wosize];
  if (*fl == NULL) {
    /* The size must be a whole number of granules, counting the extra
     * byte Boehm adds when it recognises interior pointers (as GC_malloc
     * would for the same block). */
    size_t bytes = (wosize + 1) * sizeof(value) + (size_t)GC_get_all_interior_pointers();
    bytes = (bytes + GC_GRANULE_BYTES - 1) & ~(size_t)(GC_GRANULE_BYTES - 1);
    GC_generic_malloc_many(bytes, (int)nml_kind, fl);
    if (*fl == NULL) out_of_memory();
  }
  header_t *p = *fl;
  *fl = *(void **)p;
  p[0] = Make_header(wosize, tag);
  return (value)(p + 1);
}

value rt_alloc_old(mlsize_t wosize, tag_t tag) {
  if (wosize < NML_FREELISTS && (tag < No_scan_tag || tag == Double_tag)) return alloc_old_small(wosize, tag);
  header_t *p = tag < No_scan_tag ? GC_malloc((wosize + 1) * sizeof(value))
                                  : GC_malloc_atomic((wosize + 1) * sizeof(value));
  if (p == NULL) out_of_memory();
  p[0] = Make_header(wosize, tag);
  return (value)(p + 1);
}

value rt_alloc_old_filled(mlsize_t wosize, value init) {
  if (nml_is_young(init)) nml_minor_collection(); /* pins init's chunk: old now */
  if (wosize > ((mlsize_t)1 << 40)) out_of_memory();
  value v = rt_alloc_old(wosize, 0);
  for (mlsize_t i = 0; i < wosize; i++) Field(v, i) = init;
  return v;
}

value nml_alloc(mlsize_t wosize, tag_t tag) {
  if (wosize == 0) return (value)&atoms[tag + 1];
  if (wosize > ((mlsize_t)1 << 40)) out_of_memory();
  bool young = wosize <= NML_MAX_YOUNG_WOSIZE;
  value v = young ? nml_alloc_young(wosize, tag) : rt_alloc_old(wosize, tag);
  if (tag < No_scan_tag) {
    for (mlsize_t i = 0; i < wosize; i++) Field(v, i) = Val_unit;
    /* Born old: whatever young values its fields get before the next
     * minor collection are found from the remembered list. */
    if (!young) nml_remember_block(v);
  }
  return v;
}

value nml_alloc_string(mlsize_t len) {
  mlsize_t wosize = (len + sizeof(value)) / sizeof(value);
  if (len > ((mlsize_t)1 << 43)) out_of_memory();
  header_t *p;
  if (wosize <= NML_MAX_YOUNG_WOSIZE) {
    p = (header_t *)nml_alloc_young(wosize, String_tag) - 1;
  } else {
    p = GC_malloc_atomic((wosize + 1) * sizeof(value));
    if (p == NULL) out_of_memory();
    p[0] = Make_header(wosize, String_tag);
  }
  char *b = (char *)(p + 1);
  size_t bytes = wosize * sizeof(value);
  memset(b, 0, bytes);
  b[bytes - 1] = (char)(bytes - 1 - len);
  return (value)b;
}

value nml_copy_string_len(const char *s, size_t len) {
  value v = nml_alloc_string(len);
  memcpy(Bytes_val(v), s, len);
  return v;
}

value nml_copy_string(const char *s) { return nml_copy_string_len(s, strlen(s)); }

value nml_copy_double(double d) {
  value v = nml_alloc(1, Double_tag);
  Double_val(v) = d;
  return v;
}

mlsize_t nml_string_length(value s) {
  mlsize_t bytes = Wosize_val(s) * sizeof(value) - 1;
  return bytes - (unsigned char)Bp_val(s)[bytes];
}

value *nml_alloc_roots(size_t n) {
  value *p = GC_malloc_uncollectable((n ? n : 1) * sizeof(value));
  if (p == NULL) out_of_memory();
  for (size_t i = 0; i < n; i++) p[i] = Val_unit;
  rt_minor_root_table(p, n);
  return p;
}

void nml_free_roots(value *p) {
  rt_minor_forget_table(p);
  GC_free(p);
}

value nml_cons(value hd, value tl) {
  value c = nml_alloc(2, 0);
  Field(c, 0) = hd;
  Field(c, 1) = tl;
  return c;
}

value rt_tuple2(value a, value b) {
  value t = nml_alloc(2, 0);
  Field(t, 0) = a;
  Field(t, 1) = b;
  return t;
}

value rt_tuple3(value a, value b, value c) {
  value t = nml_alloc(3, 0);
  Field(t, 0) = a;
  Field(t, 1) = b;
  Field(t, 2) = c;
  return t;
}

void rt_buf_add(RtBuf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 64;
    while (cap < b->len + n + 1) cap *= 2;
    char *d = realloc(b->data, cap);
    if (d == NULL) abort();
    b->data = d;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void rt_buf_adds(RtBuf *b, const char *s) { rt_buf_add(b, s, strlen(s)); }
