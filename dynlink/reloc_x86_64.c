/* reloc_x86_64.c — the x86-64 relocation rules of dl_link.
 *
 * Two passes over the same relocations. dl_scan runs before layout: it
 * checks each entry, resolves the symbols referenced and decides what each
 * needs (a GOT slot, a call stub, a dynamic relocation, a writable home).
 * dl_apply runs once addresses are known and patches the image. Keeping
 * both decisions in one file, driven by the same predicates, is what keeps
 * the counts of the first pass equal to what the second one writes.
 *
 * Supported: NONE, 64, PC32, PLT32, PC64, GOTPCREL, GOTPCRELX,
 * REX_GOTPCRELX — everything LLVM emits for PIC small-code-model code.
 * Non-PIC (32, 32S), TLS and large-model relocations are rejected.
 */
#include "dl_internal.h"

#include <string.h>

/* Bytes a relocation type patches, or 0 for an unsupported type. */
static unsigned reloc_width(uint32_t type) {
  switch (type) {
  case R_X86_64_NONE: return 1; /* nothing is patched, but the offset must still be sane */
  case R_X86_64_PC32:
  case R_X86_64_PLT32:
  case R_X86_64_GOTPCREL:
  case R_X86_64_GOTPCRELX:
  case R_X86_64_REX_GOTPCRELX: return 4;
  case R_X86_64_64:
  case R_X86_64_PC64: return 8;
  default: return 0;
  }
}

static bool is_tls_reloc(uint32_t type) {
  switch (type) {
  case R_X86_64_DTPMOD64:
  case R_X86_64_DTPOFF64:
  case R_X86_64_TPOFF64:
  case R_X86_64_TLSGD:
  case R_X86_64_TLSLD:
  case R_X86_64_DTPOFF32:
  case R_X86_64_GOTTPOFF:
  case R_X86_64_TPOFF32:
  case R_X86_64_GOTPC32_TLSDESC:
  case R_X86_64_TLSDESC_CALL:
  case R_X86_64_TLSDESC: return true;
  default: return false;
  }
}

static const char *sym_name(const DlLink *lk, uint32_t i) {
  const Elf64_Sym *y = &lk->obj.sym[i];
  if (ELF64_ST_TYPE(y->st_info) == STT_SECTION && y->st_shndx < lk->obj.nsec)
    return lk->obj.sec[y->st_shndx].name;
  return lk->obj.str + y->st_name;
}

/* The message for a relocation type we do not handle, with the reason
 * where there is a usual one. */
static bool unsupported(const DlLink *lk, uint32_t type, const ElfSection *s, uint32_t sym) {
  const char *why = "";
  if (type == R_X86_64_32 || type == R_X86_64_32S)
    why = ": the object is not position-independent (compile with PIC)";
  else if (is_tls_reloc(type)) why = ": thread-local storage is not supported";
  return dl_fail(lk->err, "unsupported relocation type %u (%s) in %s against '%s'%s", type,
                 elf_reloc_name(type), s->name, sym_name(lk, sym), why);
}

/* GOTPCRELX marks a `mov foo@GOTPCREL(%rip), %reg` that a linker may turn
 * into `lea foo(%rip), %reg` when foo is local: no GOT slot, no dynamic
 * relocation, one memory load less. Only the mov form (opcode 0x8b) is
 * rewritten. Both passes call this with the same input, so they agree. */
static bool relaxable(const DlLink *lk, uint32_t type, uint32_t sym, const ElfSection *s, uint64_t off) {
  if (type != R_X86_64_GOTPCRELX && type != R_X86_64_REX_GOTPCRELX) return false;
  if (lk->si[sym].kind != DL_SYM_DEFINED || off < 2) return false;
  return s->data[off - 2] == 0x8b;
}

/* Makes sure symbol i can be referenced: resolves it on first use when
 * undefined; refuses symbols of sections the link drops. */
static bool reference(DlLink *lk, uint32_t i, const ElfSection *from) {
  DlSymInfo *si = &lk->si[i];
  if (si->kind == DL_SYM_UNSEEN) return dl_resolve_undefined(lk, i);
  const Elf64_Sym *y = &lk->obj.sym[i];
  if (si->kind == DL_SYM_DEFINED && y->st_shndx != SHN_COMMON && lk->obj.sec[y->st_shndx].out == DL_OUT_NONE)
    return dl_fail(lk->err, "%s refers to '%s' in discarded section %s", from->name, sym_name(lk, i),
                   lk->obj.sec[y->st_shndx].name);
  return true;
}

/* Decides what one relocation needs. */
static bool scan_one(DlLink *lk, ElfSection *s, const Elf64_Rela *r) {
  uint32_t type = (uint32_t)ELF64_R_TYPE(r->r_info);
  uint64_t symi = ELF64_R_SYM(r->r_info);
  if (symi >= lk->obj.nsym)
    return dl_fail(lk->err, "%s: relocation with bad symbol index %llu", s->name, (unsigned long long)symi);
  uint32_t sym = (uint32_t)symi;
  unsigned width = reloc_width(type);
  if (width == 0) return unsupported(lk, type, s, sym);
  if (r->r_offset > s->size || width > s->size - r->r_offset)
    return dl_fail(lk->err, "%s: relocation offset %#llx out of range", s->name,
                   (unsigned long long)r->r_offset);
  if (type == R_X86_64_NONE) return true;
  if (!reference(lk, sym, s)) return false;
  DlSymKind kind = lk->si[sym].kind;
  switch (type) {
  case R_X86_64_PC32:
  case R_X86_64_PC64:
    if (kind != DL_SYM_DEFINED)
      return dl_fail(lk->err,
                     "%s: PC-relative %s against external symbol '%s'"
                     " (the object is not position-independent)",
                     s->name, elf_reloc_name(type), sym_name(lk, sym));
    return true;
  case R_X86_64_PLT32:
    if (kind != DL_SYM_DEFINED) dl_need_stub(lk, sym);
    return true;
  case R_X86_64_GOTPCREL:
  case R_X86_64_GOTPCRELX:
  case R_X86_64_REX_GOTPCRELX:
    if (!relaxable(lk, type, sym, s, r->r_offset)) dl_need_got(lk, sym);
    return true;
  case R_X86_64_64:
    if (kind == DL_SYM_ABSOLUTE) return true; /* a constant: no fix-up */
    if (s->flags & SHF_EXECINSTR)
      return dl_fail(lk->err,
                     "%s: absolute address of '%s' in code needs a "
                     "text relocation (compile with PIC)",
                     s->name, sym_name(lk, sym));
    s->has_abs64 = true;
    if (kind == DL_SYM_DEFINED) lk->nrelative++;
    else lk->nsymbolic++;
    return true;
  default: return unsupported(lk, type, s, sym);
  }
}

/* The relocation table of section r, when its target is kept. */
static const Elf64_Rela *relocs_of(const DlLink *lk, const ElfSection *r, size_t *n, ElfSection **target) {
  if (r->type != SHT_RELA) return NULL;
  ElfSection *t = &lk->obj.sec[r->info];
  if (t->out == DL_OUT_NONE) return NULL; /* e.g. .rela.debug_info */
  *n = r->size / sizeof(Elf64_Rela);
  *target = t;
  return (const Elf64_Rela *)r->data;
}

bool dl_scan(DlLink *lk) {
  for (uint32_t i = 1; i < lk->obj.nsec; i++) {
    size_t n = 0;
    ElfSection *t = NULL;
    const Elf64_Rela *ra = relocs_of(lk, &lk->obj.sec[i], &n, &t);
    if (!ra || n == 0) continue;
    if (!t->data) return dl_fail(lk->err, "relocations against %s, which has no contents", t->name);
    for (size_t k = 0; k < n; k++)
      if (!scan_one(lk, t, &ra[k])) return false;
  }
  return true;
}

static bool put32(DlLink *lk, unsigned char *loc, int64_t v, const ElfSection *s, uint32_t type) {
  if (v != (int32_t)v) return dl_fail(lk->err, "%s: %s value out of range", s->name, elf_reloc_name(type));
  int32_t w = (int32_t)v;
  memcpy(loc, &w, 4);
  return true;
}

/* Patches one relocation (checked by scan_one). */
static bool apply_one(DlLink *lk, const ElfSection *s, const Elf64_Rela *r) {
  uint32_t type = (uint32_t)ELF64_R_TYPE(r->r_info);
  uint32_t sym = (uint32_t)ELF64_R_SYM(r->r_info);
  if (type == R_X86_64_NONE) return true;
  const DlPlace *o = &lk->out[s->out];
  uint64_t P = o->addr + s->out_off + r->r_offset;
  unsigned char *loc = lk->buf + o->off + s->out_off + r->r_offset;
  uint64_t A = (uint64_t)r->r_addend; /* modular arithmetic below */
  DlSymKind kind = lk->si[sym].kind;
  uint64_t S = kind == DL_SYM_DYNAMIC ? 0 : dl_sym_address(lk, sym);
  switch (type) {
  case R_X86_64_PLT32:
    if (kind != DL_SYM_DEFINED) S = dl_stub_address(lk, sym);
    return put32(lk, loc, (int64_t)(S + A - P), s, type);
  case R_X86_64_PC32: return put32(lk, loc, (int64_t)(S + A - P), s, type);
  case R_X86_64_PC64: {
    uint64_t v = S + A - P;
    memcpy(loc, &v, 8);
    return true;
  }
  case R_X86_64_GOTPCREL:
  case R_X86_64_GOTPCRELX:
  case R_X86_64_REX_GOTPCRELX:
    if (relaxable(lk, type, sym, s, r->r_offset)) {
      loc[-2] = 0x8d; /* mov -> lea */
      return put32(lk, loc, (int64_t)(S + A - P), s, type);
    }
    return put32(lk, loc, (int64_t)(dl_got_address(lk, sym) + A - P), s, type);
  case R_X86_64_64: {
    uint64_t v = S + A;
    memcpy(loc, &v, 8);
    if (kind == DL_SYM_DEFINED) dl_add_dynrel(lk, P, 0, R_X86_64_RELATIVE, (int64_t)v);
    else if (kind == DL_SYM_DYNAMIC) dl_add_dynrel(lk, P, lk->si[sym].dynidx, R_X86_64_64, r->r_addend);
    return true;
  }
  default: return unsupported(lk, type, s, sym); /* not reached: scan refused it */
  }
}

bool dl_apply(DlLink *lk) {
  for (uint32_t i = 1; i < lk->obj.nsec; i++) {
    size_t n = 0;
    ElfSection *t = NULL;
    const Elf64_Rela *ra = relocs_of(lk, &lk->obj.sec[i], &n, &t);
    for (size_t k = 0; ra && k < n; k++)
      if (!apply_one(lk, t, &ra[k])) return false;
  }
  return true;
}
