/* dl_internal.h — dynlink's private types and cross-file functions.
 *
 * One link (dl_link.c) runs these steps over a DlLink: elf_read parses and
 * validates the input object, dl_resolve classifies its symbols, dl_scan
 * (reloc_x86_64.c) finds which symbols need GOT slots, stubs and dynamic
 * relocations, dl_layout assigns input sections to output sections,
 * elf_write lays out and writes the image, dl_apply patches relocations.
 * Loading (dl_load.c) and the symbol table (dl_symtab.c) sit beside it.
 *
 * Invariants: every offset and index taken from the input is checked once
 * before any step uses it — headers, sections and symbols in elf_read,
 * relocation entries in dl_scan — so later steps index the input without
 * re-checking. A DlLink owns every buffer it allocates, and dl_link
 * releases them on success and on error alike.
 * Nothing here is thread-safe: one context is used by one thread at a time.
 */
#ifndef NML_DL_INTERNAL_H
#define NML_DL_INTERNAL_H

#include "dynlink.h"

#include <elf.h>
#include <stdarg.h>

#ifndef SHT_X86_64_UNWIND
#define SHT_X86_64_UNWIND 0x70000001
#endif
#ifndef SHT_LLVM_ADDRSIG
#define SHT_LLVM_ADDRSIG 0x6fff4c03
#endif
#ifndef R_X86_64_GOTPCRELX
#define R_X86_64_GOTPCRELX 41
#endif
#ifndef R_X86_64_REX_GOTPCRELX
#define R_X86_64_REX_GOTPCRELX 42
#endif

/* Page size the output's segments are congruent to (x86-64 maximum for
 * ld.so's purposes; larger kernel pages would need 64 KiB here). */
#define DL_PAGE 0x1000u

/* Bytes of one call stub: `jmp *slot(%rip)` (6 bytes) and a 2-byte nop. */
#define DL_STUB_SIZE 8u

/* ---- errors ---------------------------------------------------------- */

/* Formats a message into err (which may be NULL) and returns false, so
 * that failing steps can `return dl_fail(err, ...)`. */
bool dl_fail(DlError *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- the input object (elf_read.c) ------------------------------------ */

/* Output sections the input's allocated sections are merged into. */
typedef enum DlOut {
  DL_OUT_NONE = -1, /* dropped: not allocated, or metadata */
  DL_OUT_TEXT,
  DL_OUT_RODATA,
  DL_OUT_DATA,
  DL_OUT_BSS,
  DL_OUT_COUNT
} DlOut;

/* One input section, validated: `data` covers `size` bytes of the input
 * (NULL for SHT_NOBITS), `align` is a power of two no larger than DL_PAGE. */
typedef struct ElfSection {
  const char *name;
  const unsigned char *data;
  uint64_t size, flags, align;
  uint32_t type, link, info;
  DlOut out;        /* set by dl_select_sections, final after dl_layout */
  bool has_abs64;   /* target of R_X86_64_64 relocations (set by dl_scan) */
  uint64_t out_off; /* offset inside its output section (dl_layout) */
} ElfSection;

/* A validated relocatable object. Symbols' names and section indices and
 * RELA sections' link/info fields are known to be in range. */
typedef struct ElfObject {
  const unsigned char *base;
  size_t size;
  unsigned char *copy; /* aligned private copy when the input was not */
  ElfSection *sec;
  uint32_t nsec;
  const Elf64_Sym *sym;
  uint32_t nsym;
  const char *str; /* symbol names, NUL-terminated at str[strsz-1] */
  size_t strsz;
} ElfObject;

/* Parses and validates `data` as an ELF64 little-endian x86-64 ET_REL
 * object. On failure frees what it allocated and fills err. */
bool elf_read(ElfObject *obj, const void *data, size_t size, DlError *err);
void elf_object_free(ElfObject *obj);

/* The name of a relocation type for messages ("R_X86_64_PC32"), or "?". */
const char *elf_reloc_name(uint32_t type);

/* ---- one link --------------------------------------------------------- */

/* How a symbol's address is known. */
typedef enum DlSymKind {
  DL_SYM_UNSEEN,   /* undefined and not referenced yet: not resolved */
  DL_SYM_DEFINED,  /* in one of the object's kept sections */
  DL_SYM_ABSOLUTE, /* SHN_ABS, or pre-bound to an address of this process */
  DL_SYM_DYNAMIC,  /* undefined, left to the dynamic linker (DL_DYNAMIC) */
} DlSymKind;

/* What the link knows about input symbol i (index as in the input). */
typedef struct DlSymInfo {
  DlSymKind kind;
  uint64_t value;  /* DEFINED: image address (after layout); ABSOLUTE */
  int32_t got;     /* GOT slot index, or -1 */
  int32_t stub;    /* call stub index, or -1 */
  uint32_t dynidx; /* .dynsym index, 0 when not in .dynsym */
} DlSymInfo;

/* Where each part of the output lives: file offset and virtual address
 * (they differ only in the RW segment). */
typedef struct DlPlace {
  uint64_t off, addr, size, align;
} DlPlace;

typedef struct DlLink {
  DlContext *dl; /* may be NULL in DL_DYNAMIC mode */
  DlLinkMode mode;
  DlError *err;
  ElfObject obj;
  DlSymInfo *si; /* obj.nsym entries */
  uint32_t ngot, nstub;
  uint32_t *dynsym; /* input index of each .dynsym entry; [0] unused */
  uint32_t ndynsym; /* entries including the null one */
  size_t dynstrsz;
  uint32_t nrelative; /* RELATIVE dynamic relocations */
  uint32_t nsymbolic; /* GLOB_DAT and R_X86_64_64 dynamic relocations */
  DlPlace out[DL_OUT_COUNT];
  /* set by elf_write's layout */
  DlPlace hash, dynsymtab, dynstr, rela, stubs, dynamic, got, shstr, shdr;
  uint64_t rx_end, rw_off, rw_addr, rw_fend, rw_vend;
  unsigned char *buf; /* the image */
  size_t bufsize;
  uint32_t irelative, isymbolic; /* relocations written so far */
} DlLink;

/* dl_link.c: resolves an undefined symbol on its first reference. */
bool dl_resolve_undefined(DlLink *lk, uint32_t i);
/* The address symbol i stands for once laid out (DEFINED or ABSOLUTE). */
uint64_t dl_sym_address(const DlLink *lk, uint32_t i);

/* reloc_x86_64.c: checks every relocation of the kept sections (symbol
 * index, offset and width in range: dl_apply relies on it), resolves
 * the symbols they name and assigns GOT slots and stubs (through dl_got.c),
 * marks sections that need to be writable, counts dynamic relocations. */
bool dl_scan(DlLink *lk);
/* reloc_x86_64.c: patches the laid-out image and writes dynamic
 * relocations. */
bool dl_apply(DlLink *lk);

/* dl_layout.c: decides which input sections are kept and their provisional
 * output section (before dl_scan), then places every kept section in its
 * final output section and COMMON symbols in .bss (after dl_scan). */
bool dl_select_sections(DlLink *lk);
bool dl_layout(DlLink *lk);

/* dl_got.c: GOT slots and stubs. */
void dl_need_got(DlLink *lk, uint32_t i);
void dl_need_stub(DlLink *lk, uint32_t i);
uint64_t dl_got_address(const DlLink *lk, uint32_t i);
uint64_t dl_stub_address(const DlLink *lk, uint32_t i);
/* Fills GOT slots (and their dynamic relocations) and writes the stubs. */
void dl_write_got(DlLink *lk);
/* Appends one dynamic relocation: RELATIVE ones first, then symbolic. */
void dl_add_dynrel(DlLink *lk, uint64_t where, uint32_t dynidx, uint32_t type, int64_t addend);

/* elf_write.c: chooses the .dynsym entries, lays out the image, allocates
 * it and writes headers, .hash, .dynsym, .dynstr, .dynamic and section
 * contents; relocations come after (dl_apply). */
bool elf_choose_dynsyms(DlLink *lk);
/* The System V ABI's ELF hash of a symbol name (.hash buckets). */
uint32_t elf_sysv_hash(const char *name);
bool elf_layout(DlLink *lk);
void elf_write(DlLink *lk);

/* ---- symbol table (dl_symtab.c) --------------------------------------- */

typedef struct DlSymEntry {
  char *name; /* owned */
  void *addr;
  uint32_t hash;
} DlSymEntry;

/* Open addressing with linear probing, capacity a power of two, at most
 * half full. */
typedef struct DlSymtab {
  DlSymEntry *slots;
  size_t cap, count;
} DlSymtab;

void dl_symtab_init(DlSymtab *t);
void dl_symtab_free(DlSymtab *t);
/* Inserts or replaces; returns false when out of memory. */
bool dl_symtab_put(DlSymtab *t, const char *name, void *addr);
/* Finds name; *found tells whether it is there (addr may be NULL). */
void *dl_symtab_get(const DlSymtab *t, const char *name, bool *found);
/* Removes name if it is still bound to addr (a later definition stays). */
void dl_symtab_remove(DlSymtab *t, const char *name, void *addr);

/* ---- loaded objects (dl_unit.c) ---------------------------------------- */

struct DlUnit {
  void *handle;
  uintptr_t base;          /* link_map l_addr */
  const Elf64_Sym *symtab; /* the object's .dynsym, mapped */
  const char *strtab;
  size_t strsz;
  const uint32_t *hash;     /* DT_HASH, or NULL */
  const uint32_t *gnu_hash; /* DT_GNU_HASH, or NULL */
  const uint16_t *versym;   /* DT_VERSYM, or NULL */
  uint32_t nsym;
  int fd; /* memfd kept open (path uniqueness), or -1 */
  DlUnit *next, *prev;
};

/* Reads a dlopen'd object's dynamic section (via dlinfo) into u. */
bool dl_unit_init(DlUnit *u, void *handle, DlError *err);
/* Calls fn for every global symbol u defines. */
typedef bool (*DlSymVisit)(void *ud, const char *name, void *addr);
bool dl_unit_each_symbol(const DlUnit *u, DlSymVisit fn, void *ud);

/* ---- load directory (dl_load.c) --------------------------------------- */

/* Tries candidates in order (NULL and empty entries are skipped) and
 * creates a fresh 0700 directory in the first one that is a writable
 * directory on a filesystem not mounted noexec. Writes its path into out
 * and returns true; false when none fits. */
bool dl_pick_dir(const char *const *candidates, size_t n, char *out, size_t outsz);

/* Switches the context to loading through memfds for good, removing its
 * directory: the fallback dl_create and dl_load take by themselves,
 * exposed so that tests can exercise it on machines with a usable
 * directory. */
void dl_use_memfd(DlContext *dl);

/* The context's load directory, or NULL when it loads through memfds. */
const char *dl_load_dir(const DlContext *dl);

/* Looks name up like dl_lookup, telling a symbol whose address is NULL
 * from an unknown one. */
void *dl_lookup_found(DlContext *dl, const char *name, bool *found);

/* Writes img to the keep directory as unit_N.so when one is set; a
 * debugging aid, so failures are ignored. */
void dl_keep_image(DlContext *dl, const DlImage *img);

#endif
