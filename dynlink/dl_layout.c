/* dl_layout.c — merge the input's allocated sections into four outputs.
 *
 * Every SHF_ALLOC input section goes to .text, .rodata, .data or .bss by
 * its flags (so .text.*, .rodata.str*, .rodata.cst*, .data.rel.ro*,
 * .bss.* and COMDAT members need no name rules); .eh_frame is read-only
 * data. Metadata (.comment, .note.*, .llvm_addrsig, groups, debug info,
 * __patchable_function_entries) is dropped. Runs in two halves around the relocation scan: dl_select_sections
 * decides what is kept, dl_layout places it once the scan has found which
 * read-only sections carry absolute addresses and so must be writable.
 */
#include "dl_internal.h"

#include <string.h>

#ifndef SHF_EXCLUDE
#define SHF_EXCLUDE 0x80000000u
#endif

static uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

/* The output section an allocated input section belongs to by its flags. */
static DlOut output_of(const ElfSection *s) {
  if (s->type == SHT_NOBITS) return DL_OUT_BSS;
  if (s->flags & SHF_EXECINSTR) return DL_OUT_TEXT;
  if (s->flags & SHF_WRITE) return DL_OUT_DATA;
  return DL_OUT_RODATA;
}

/* Decides, for every input section, whether it is kept and where it goes
 * provisionally. Unsupported allocated sections are errors: silently
 * dropping them would produce code that misbehaves at run time. */
bool dl_select_sections(DlLink *lk) {
  ElfObject *obj = &lk->obj;
  for (uint32_t i = 1; i < obj->nsec; i++) {
    ElfSection *s = &obj->sec[i];
    s->out = DL_OUT_NONE;
    if (!(s->flags & SHF_ALLOC) || (s->flags & SHF_EXCLUDE)) continue;
    switch (s->type) {
    case SHT_PROGBITS:
      /* The table of patchable function entries LLVM writes for
       * "patchable-function-entry": metadata for a static linker; the
       * toplevel recognises those entries by their code (codegen.h). */
      if (strcmp(s->name, "__patchable_function_entries") == 0) continue;
      break;
    case SHT_NOBITS:
    case SHT_X86_64_UNWIND: break;
    case SHT_NOTE: /* .note.gnu.property and the like: not needed */ continue;
    case SHT_INIT_ARRAY:
    case SHT_FINI_ARRAY:
    case SHT_PREINIT_ARRAY:
      return dl_fail(lk->err,
                     "unsupported section %s: constructors and "
                     "destructors are not supported",
                     s->name);
    default: return dl_fail(lk->err, "unsupported section %s (type %#x)", s->name, s->type);
    }
    if (s->flags & SHF_TLS) return dl_fail(lk->err, "unsupported section %s: thread-local storage", s->name);
    if (s->align > DL_PAGE)
      return dl_fail(lk->err, "section %s: alignment %llu exceeds a page", s->name,
                     (unsigned long long)s->align);
    s->out = output_of(s);
  }
  return true;
}

/* Appends a piece of `size` bytes aligned to `align` to output o and
 * returns its offset there. */
static uint64_t append(DlPlace *o, uint64_t size, uint64_t align) {
  if (align > o->align) o->align = align;
  uint64_t off = align_up(o->size, align);
  o->size = off + size;
  return off;
}

/* COMMON symbols (C tentative definitions; LLVM emits them for `common`
 * linkage globals) get space at the end of .bss, st_value being their
 * alignment. Their offset is kept in the symbol's info until addresses
 * are known. */
static bool place_commons(DlLink *lk) {
  const ElfObject *obj = &lk->obj;
  for (uint32_t i = 1; i < obj->nsym; i++) {
    const Elf64_Sym *y = &obj->sym[i];
    if (y->st_shndx != SHN_COMMON) continue;
    uint64_t a = y->st_value ? y->st_value : 1;
    if ((a & (a - 1)) != 0 || a > DL_PAGE || y->st_size > (1u << 30))
      return dl_fail(lk->err, "common symbol '%s': bad size or alignment", obj->str + y->st_name);
    lk->si[i].value = append(&lk->out[DL_OUT_BSS], y->st_size, a);
  }
  return true;
}

bool dl_layout(DlLink *lk) {
  ElfObject *obj = &lk->obj;
  for (int o = 0; o < DL_OUT_COUNT; o++) {
    lk->out[o].size = 0;
    lk->out[o].align = 1;
  }
  lk->out[DL_OUT_TEXT].align = 16;
  for (uint32_t i = 1; i < obj->nsec; i++) {
    ElfSection *s = &obj->sec[i];
    if (s->out == DL_OUT_NONE) continue;
    /* A read-only section holding absolute addresses (a PIC object puts
     * those in .data.rel.ro, but hand-written or non-PIC-aware input may
     * not) needs dynamic relocations, so it must live in writable memory. */
    if (s->out == DL_OUT_RODATA && s->has_abs64) s->out = DL_OUT_DATA;
    s->out_off = append(&lk->out[s->out], s->size, s->align);
  }
  if (!place_commons(lk)) return false;
  for (int o = 0; o < DL_OUT_COUNT; o++)
    if (lk->out[o].size > (1u << 30)) return dl_fail(lk->err, "object too large to link");
  return true;
}
