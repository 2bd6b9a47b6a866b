/* elf_write.c — lay out and write the shared object image.
 *
 * The image has two PT_LOAD segments, the fewest ld.so accepts and the
 * cheapest in kernel mappings (see DESIGN.md, "Scale"):
 *   R+X: ELF and program headers, .hash, .dynsym, .dynstr, .rela.dyn,
 *        .text (call stubs at its end), .rodata
 *   RW:  .dynamic, .got, .data, .bss
 * plus PT_DYNAMIC and PT_GNU_STACK (non-executable stack). The RW segment
 * starts on the page after the R+X one at the same offset modulo the page
 * size, as mmap requires. Section headers follow, so readelf, objdump and
 * gdb can read the image.
 */
#include "dl_internal.h"

#include <stdlib.h>
#include <string.h>

/* Output section header indices. */
enum {
  SH_NULL,
  SH_HASH,
  SH_DYNSYM,
  SH_DYNSTR,
  SH_RELA,
  SH_TEXT,
  SH_RODATA,
  SH_DYNAMIC,
  SH_GOT,
  SH_DATA,
  SH_BSS,
  SH_SHSTRTAB,
  SH_COUNT
};

/* Section names, NUL-separated in .shstrtab order; name_off below holds
 * each one's offset. */
static const char shstrtab[] = "\0.hash\0.dynsym\0.dynstr\0.rela.dyn\0.text\0.rodata\0.dynamic\0.got"
                               "\0.data\0.bss\0.shstrtab";
static const uint32_t name_off[SH_COUNT] = {0, 1, 7, 15, 23, 33, 39, 47, 56, 61, 67, 72};

static const uint32_t out_shndx[DL_OUT_COUNT] = {SH_TEXT, SH_RODATA, SH_DATA, SH_BSS};

/* Program headers: LOAD (R+X), LOAD (RW), DYNAMIC, GNU_STACK. */
#define PHNUM 4
/* .dynamic: HASH STRTAB SYMTAB STRSZ SYMENT RELA RELASZ RELAENT RELACOUNT
 * NULL. */
#define NDYNAMIC 10

static uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

/* Exported: defined global or weak symbols with default or protected
 * visibility. Hidden ones stay private to the unit, as with ld. */
static bool exported(const DlLink *lk, uint32_t i) {
  const Elf64_Sym *y = &lk->obj.sym[i];
  int bind = ELF64_ST_BIND(y->st_info), type = ELF64_ST_TYPE(y->st_info);
  int vis = ELF64_ST_VISIBILITY(y->st_other);
  if (y->st_shndx == SHN_UNDEF || y->st_name == 0) return false;
  if (bind != STB_GLOBAL && bind != STB_WEAK) return false;
  if (vis != STV_DEFAULT && vis != STV_PROTECTED) return false;
  if (type == STT_SECTION || type == STT_FILE || type == STT_TLS) return false;
  if (y->st_shndx == SHN_ABS || y->st_shndx == SHN_COMMON) return true;
  return lk->obj.sec[y->st_shndx].out != DL_OUT_NONE;
}

bool elf_choose_dynsyms(DlLink *lk) {
  lk->dynsym = malloc(((size_t)lk->obj.nsym + 1) * sizeof *lk->dynsym);
  if (!lk->dynsym) return dl_fail(lk->err, "out of memory");
  lk->ndynsym = 1;
  lk->dynstrsz = 1;
  for (uint32_t i = 1; i < lk->obj.nsym; i++) {
    if (lk->si[i].kind != DL_SYM_DYNAMIC && !exported(lk, i)) continue;
    lk->si[i].dynidx = lk->ndynsym;
    lk->dynsym[lk->ndynsym++] = i;
    lk->dynstrsz += strlen(lk->obj.str + lk->obj.sym[i].st_name) + 1;
  }
  return true;
}

static uint64_t place(DlPlace *p, uint64_t off, uint64_t size, uint64_t align) {
  p->off = p->addr = align_up(off, align);
  p->size = size;
  p->align = align;
  return p->off + size;
}

/* SysV hash bucket count: about two symbols a chain. */
static uint32_t nbucket(const DlLink *lk) { return lk->ndynsym < 4 ? 1 : lk->ndynsym / 2 + 1; }

bool elf_layout(DlLink *lk) {
  uint64_t off = sizeof(Elf64_Ehdr) + PHNUM * sizeof(Elf64_Phdr);
  off = place(&lk->hash, off, 4ull * (2 + nbucket(lk) + lk->ndynsym), 8);
  off = place(&lk->dynsymtab, off, lk->ndynsym * sizeof(Elf64_Sym), 8);
  off = place(&lk->dynstr, off, lk->dynstrsz, 1);
  off = place(&lk->rela, off, ((uint64_t)lk->nrelative + lk->nsymbolic) * sizeof(Elf64_Rela), 8);
  DlPlace *text = &lk->out[DL_OUT_TEXT], *ro = &lk->out[DL_OUT_RODATA];
  uint64_t code = align_up(text->size, 8);
  off = place(text, off, code + (uint64_t)lk->nstub * DL_STUB_SIZE, text->align);
  place(&lk->stubs, text->off + code, (uint64_t)lk->nstub * DL_STUB_SIZE, 8);
  off = place(ro, off, ro->size, ro->align);
  lk->rx_end = off;

  /* The RW segment: file offset aligned for its contents, address on the
   * next page and congruent to the offset modulo the page size. */
  DlPlace *data = &lk->out[DL_OUT_DATA], *bss = &lk->out[DL_OUT_BSS];
  uint64_t rwalign = 8;
  if (data->align > rwalign) rwalign = data->align;
  if (bss->align > rwalign) rwalign = bss->align;
  lk->rw_off = align_up(off, rwalign);
  lk->rw_addr = align_up(lk->rx_end, DL_PAGE) + lk->rw_off % DL_PAGE;
  uint64_t delta = lk->rw_addr - lk->rw_off;
  off = place(&lk->dynamic, lk->rw_off, NDYNAMIC * sizeof(Elf64_Dyn), 8);
  off = place(&lk->got, off, 8ull * lk->ngot, 8);
  off = place(data, off, data->size, data->align);
  lk->rw_fend = off;
  lk->dynamic.addr += delta;
  lk->got.addr += delta;
  data->addr += delta;
  bss->off = lk->rw_fend;
  bss->addr = align_up(lk->rw_fend + delta, bss->align);
  lk->rw_vend = bss->addr + bss->size;

  off = place(&lk->shstr, off, sizeof shstrtab, 1);
  off = place(&lk->shdr, off, SH_COUNT * sizeof(Elf64_Shdr), 8);
  if (off > (1u << 31)) return dl_fail(lk->err, "object too large to link");
  lk->bufsize = off;
  lk->buf = calloc(1, lk->bufsize);
  if (!lk->buf) return dl_fail(lk->err, "out of memory");
  return true;
}

/* The ELF SysV hash function (System V ABI, "Hash Table"). */
uint32_t elf_sysv_hash(const char *name) {
  uint32_t h = 0;
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
    h = (h << 4) + *p;
    uint32_t g = h & 0xf0000000u;
    if (g) h ^= g >> 24;
    h &= ~g;
  }
  return h;
}

/* Writes .dynsym, .dynstr and .hash together: one pass over the chosen
 * symbols. */
static void write_dynsyms(DlLink *lk) {
  Elf64_Sym *ds = (Elf64_Sym *)(lk->buf + lk->dynsymtab.off);
  char *str = (char *)(lk->buf + lk->dynstr.off);
  uint32_t *hash = (uint32_t *)(lk->buf + lk->hash.off);
  uint32_t nb = nbucket(lk);
  hash[0] = nb;
  hash[1] = lk->ndynsym;
  uint32_t *bucket = hash + 2, *chain = hash + 2 + nb;
  size_t at = 1;
  for (uint32_t d = 1; d < lk->ndynsym; d++) {
    uint32_t i = lk->dynsym[d];
    const Elf64_Sym *y = &lk->obj.sym[i];
    const char *name = lk->obj.str + y->st_name;
    size_t len = strlen(name) + 1;
    memcpy(str + at, name, len);
    ds[d].st_name = (uint32_t)at;
    at += len;
    ds[d].st_info = y->st_info;
    ds[d].st_other = y->st_other;
    ds[d].st_size = y->st_size;
    if (lk->si[i].kind == DL_SYM_DYNAMIC) {
      ds[d].st_shndx = SHN_UNDEF;
    } else if (y->st_shndx == SHN_ABS) {
      ds[d].st_shndx = SHN_ABS;
      ds[d].st_value = y->st_value;
    } else {
      DlOut o = y->st_shndx == SHN_COMMON ? DL_OUT_BSS : lk->obj.sec[y->st_shndx].out;
      ds[d].st_shndx = (uint16_t)out_shndx[o];
      ds[d].st_value = dl_sym_address(lk, i);
      if (y->st_shndx == SHN_COMMON) ds[d].st_info = ELF64_ST_INFO(ELF64_ST_BIND(y->st_info), STT_OBJECT);
    }
    uint32_t b = elf_sysv_hash(name) % nb;
    chain[d] = bucket[b];
    bucket[b] = d;
  }
}

static void write_dynamic(DlLink *lk) {
  Elf64_Dyn *dyn = (Elf64_Dyn *)(lk->buf + lk->dynamic.off);
  int n = 0;
  dyn[n++] = (Elf64_Dyn){DT_HASH, {lk->hash.addr}};
  dyn[n++] = (Elf64_Dyn){DT_STRTAB, {lk->dynstr.addr}};
  dyn[n++] = (Elf64_Dyn){DT_SYMTAB, {lk->dynsymtab.addr}};
  dyn[n++] = (Elf64_Dyn){DT_STRSZ, {lk->dynstr.size}};
  dyn[n++] = (Elf64_Dyn){DT_SYMENT, {sizeof(Elf64_Sym)}};
  if (lk->rela.size) {
    dyn[n++] = (Elf64_Dyn){DT_RELA, {lk->rela.addr}};
    dyn[n++] = (Elf64_Dyn){DT_RELASZ, {lk->rela.size}};
    dyn[n++] = (Elf64_Dyn){DT_RELAENT, {sizeof(Elf64_Rela)}};
    dyn[n++] = (Elf64_Dyn){DT_RELACOUNT, {lk->nrelative}};
  }
  /* the rest stays zero: DT_NULL */
}

static void write_headers(DlLink *lk) {
  Elf64_Ehdr *eh = (Elf64_Ehdr *)lk->buf;
  memcpy(eh->e_ident, ELFMAG, SELFMAG);
  eh->e_ident[EI_CLASS] = ELFCLASS64;
  eh->e_ident[EI_DATA] = ELFDATA2LSB;
  eh->e_ident[EI_VERSION] = EV_CURRENT;
  eh->e_ident[EI_OSABI] = ELFOSABI_SYSV;
  eh->e_type = ET_DYN;
  eh->e_machine = EM_X86_64;
  eh->e_version = EV_CURRENT;
  eh->e_phoff = sizeof(Elf64_Ehdr);
  eh->e_shoff = lk->shdr.off;
  eh->e_ehsize = sizeof(Elf64_Ehdr);
  eh->e_phentsize = sizeof(Elf64_Phdr);
  eh->e_phnum = PHNUM;
  eh->e_shentsize = sizeof(Elf64_Shdr);
  eh->e_shnum = SH_COUNT;
  eh->e_shstrndx = SH_SHSTRTAB;

  Elf64_Phdr *ph = (Elf64_Phdr *)(lk->buf + sizeof(Elf64_Ehdr));
  ph[0] = (Elf64_Phdr){PT_LOAD, PF_R | PF_X, 0, 0, 0, lk->rx_end, lk->rx_end, DL_PAGE};
  ph[1] = (Elf64_Phdr){PT_LOAD,
                       PF_R | PF_W,
                       lk->rw_off,
                       lk->rw_addr,
                       lk->rw_addr,
                       lk->rw_fend - lk->rw_off,
                       lk->rw_vend - lk->rw_addr,
                       DL_PAGE};
  ph[2] = (Elf64_Phdr){PT_DYNAMIC,       PF_R | PF_W,      lk->dynamic.off,  lk->dynamic.addr,
                       lk->dynamic.addr, lk->dynamic.size, lk->dynamic.size, 8};
  ph[3] = (Elf64_Phdr){PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0, 16};
}

static void section_header(DlLink *lk, int i, uint32_t type, uint64_t flags, const DlPlace *p, uint32_t link,
                           uint32_t info, uint64_t entsize) {
  Elf64_Shdr *sh = (Elf64_Shdr *)(lk->buf + lk->shdr.off) + i;
  *sh = (Elf64_Shdr){name_off[i], type, flags, p->addr, p->off, p->size, link, info, p->align, entsize};
}

static void write_section_headers(DlLink *lk) {
  const uint64_t A = SHF_ALLOC, W = SHF_WRITE;
  section_header(lk, SH_HASH, SHT_HASH, A, &lk->hash, SH_DYNSYM, 0, 4);
  section_header(lk, SH_DYNSYM, SHT_DYNSYM, A, &lk->dynsymtab, SH_DYNSTR, 1, sizeof(Elf64_Sym));
  section_header(lk, SH_DYNSTR, SHT_STRTAB, A, &lk->dynstr, 0, 0, 0);
  section_header(lk, SH_RELA, SHT_RELA, A, &lk->rela, SH_DYNSYM, 0, sizeof(Elf64_Rela));
  section_header(lk, SH_TEXT, SHT_PROGBITS, A | SHF_EXECINSTR, &lk->out[DL_OUT_TEXT], 0, 0, 0);
  section_header(lk, SH_RODATA, SHT_PROGBITS, A, &lk->out[DL_OUT_RODATA], 0, 0, 0);
  section_header(lk, SH_DYNAMIC, SHT_DYNAMIC, A | W, &lk->dynamic, SH_DYNSTR, 0, sizeof(Elf64_Dyn));
  section_header(lk, SH_GOT, SHT_PROGBITS, A | W, &lk->got, 0, 0, 8);
  section_header(lk, SH_DATA, SHT_PROGBITS, A | W, &lk->out[DL_OUT_DATA], 0, 0, 0);
  section_header(lk, SH_BSS, SHT_NOBITS, A | W, &lk->out[DL_OUT_BSS], 0, 0, 0);
  DlPlace shs = lk->shstr;
  shs.addr = 0;
  section_header(lk, SH_SHSTRTAB, SHT_STRTAB, 0, &shs, 0, 0, 0);
}

/* Copies the kept input sections' bytes to their places. Padding in
 * .text is int3, so a stray jump traps and objdump stays in step. */
static void copy_sections(DlLink *lk) {
  const DlPlace *text = &lk->out[DL_OUT_TEXT];
  memset(lk->buf + text->off, 0xcc, text->size);
  for (uint32_t i = 1; i < lk->obj.nsec; i++) {
    const ElfSection *s = &lk->obj.sec[i];
    if (s->out == DL_OUT_NONE || s->out == DL_OUT_BSS || !s->size) continue;
    memcpy(lk->buf + lk->out[s->out].off + s->out_off, s->data, s->size);
  }
}

void elf_write(DlLink *lk) {
  copy_sections(lk);
  write_headers(lk);
  write_dynsyms(lk);
  write_dynamic(lk);
  memcpy(lk->buf + lk->shstr.off, shstrtab, sizeof shstrtab);
  write_section_headers(lk);
}
