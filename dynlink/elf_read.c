/* elf_read.c — parse and validate an ELF64 x86-64 relocatable object.
 *
 * First step of dl_link: every header, section, symbol and relocation table
 * field that a later step uses is range-checked here, once, so a corrupt
 * object ends in an error message and never in an out-of-bounds read.
 * The object stays where the caller put it; nothing is copied unless its
 * buffer is misaligned for the ELF structures.
 */
#include "dl_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool dl_fail(DlError *err, const char *fmt, ...) {
  if (err) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
  }
  return false;
}

static const char *const reloc_names[] = {
    "R_X86_64_NONE",
    "R_X86_64_64",
    "R_X86_64_PC32",
    "R_X86_64_GOT32",
    "R_X86_64_PLT32",
    "R_X86_64_COPY",
    "R_X86_64_GLOB_DAT",
    "R_X86_64_JUMP_SLOT",
    "R_X86_64_RELATIVE",
    "R_X86_64_GOTPCREL",
    "R_X86_64_32",
    "R_X86_64_32S",
    "R_X86_64_16",
    "R_X86_64_PC16",
    "R_X86_64_8",
    "R_X86_64_PC8",
    "R_X86_64_DTPMOD64",
    "R_X86_64_DTPOFF64",
    "R_X86_64_TPOFF64",
    "R_X86_64_TLSGD",
    "R_X86_64_TLSLD",
    "R_X86_64_DTPOFF32",
    "R_X86_64_GOTTPOFF",
    "R_X86_64_TPOFF32",
    "R_X86_64_PC64",
    "R_X86_64_GOTOFF64",
    "R_X86_64_GOTPC32",
    "R_X86_64_GOT64",
    "R_X86_64_GOTPCREL64",
    "R_X86_64_GOTPC64",
    "R_X86_64_GOTPLT64",
    "R_X86_64_PLTOFF64",
    "R_X86_64_SIZE32",
    "R_X86_64_SIZE64",
    "R_X86_64_GOTPC32_TLSDESC",
    "R_X86_64_TLSDESC_CALL",
    "R_X86_64_TLSDESC",
    "R_X86_64_IRELATIVE",
    "R_X86_64_RELATIVE64",
    "?",
    "?",
    "R_X86_64_GOTPCRELX",
    "R_X86_64_REX_GOTPCRELX",
};

const char *elf_reloc_name(uint32_t type) {
  if (type < sizeof reloc_names / sizeof reloc_names[0]) return reloc_names[type];
  return "?";
}

/* True when [off, off+len) lies inside a buffer of `size` bytes, without
 * overflowing. */
static bool in_bounds(uint64_t off, uint64_t len, uint64_t size) { return off <= size && len <= size - off; }

static bool is_pow2(uint64_t x) { return x && !(x & (x - 1)); }

/* Reads the file header and checks that this is an object we link. */
static bool check_header(const Elf64_Ehdr *eh, size_t size, DlError *err) {
  if (size < SELFMAG || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0) return dl_fail(err, "not an ELF file");
  if (size < sizeof(Elf64_Ehdr))
    return dl_fail(err, "truncated object (%zu bytes, no complete ELF header)", size);
  if (eh->e_ident[EI_CLASS] != ELFCLASS64) return dl_fail(err, "not a 64-bit ELF object");
  if (eh->e_ident[EI_DATA] != ELFDATA2LSB) return dl_fail(err, "not a little-endian ELF object");
  if (eh->e_type != ET_REL) return dl_fail(err, "not a relocatable object (ELF type %u)", eh->e_type);
  if (eh->e_machine != EM_X86_64) return dl_fail(err, "not an x86-64 object (machine %u)", eh->e_machine);
  if (eh->e_shentsize != sizeof(Elf64_Shdr))
    return dl_fail(err, "bad section header size %u", eh->e_shentsize);
  return true;
}

/* Locates the section header table, handling the extended numbering that
 * objects with 65280 or more sections use (count in section 0). */
static bool find_sections(ElfObject *obj, const Elf64_Ehdr *eh, const Elf64_Shdr **shdr, uint32_t *shstrndx,
                          DlError *err) {
  uint64_t n = eh->e_shnum;
  if (eh->e_shoff == 0 || eh->e_shoff % 8 != 0)
    return dl_fail(err, "bad section header offset %llu", (unsigned long long)eh->e_shoff);
  if (!in_bounds(eh->e_shoff, sizeof(Elf64_Shdr), obj->size))
    return dl_fail(err, "truncated object (section headers)");
  const Elf64_Shdr *sh = (const Elf64_Shdr *)(obj->base + eh->e_shoff);
  if (n == 0) n = sh[0].sh_size;
  if (n == 0 || n > UINT32_MAX / 2 || !in_bounds(eh->e_shoff, n * sizeof(Elf64_Shdr), obj->size))
    return dl_fail(err, "truncated object (section headers)");
  uint64_t strndx = eh->e_shstrndx;
  if (strndx == SHN_XINDEX) strndx = sh[0].sh_link;
  if (strndx >= n) return dl_fail(err, "bad section name table index");
  *shdr = sh;
  *shstrndx = (uint32_t)strndx;
  obj->nsec = (uint32_t)n;
  return true;
}

/* A string inside a string table section: checked to be NUL-terminated
 * within it. */
static const char *table_string(const ElfSection *tab, uint64_t off) {
  if (!tab->data || off >= tab->size) return NULL;
  if (!memchr(tab->data + off, 0, tab->size - off)) return NULL;
  return (const char *)tab->data + off;
}

/* Copies one section header into obj->sec[i], checking its extent and
 * alignment. Names come later, once every header has been checked. */
static bool read_section(ElfObject *obj, const Elf64_Shdr *sh, uint32_t i, DlError *err) {
  ElfSection *s = &obj->sec[i];
  s->type = sh->sh_type;
  s->flags = sh->sh_flags;
  s->size = sh->sh_size;
  s->link = sh->sh_link;
  s->info = sh->sh_info;
  s->align = sh->sh_addralign ? sh->sh_addralign : 1;
  s->out = DL_OUT_NONE;
  if (i == 0) {
    s->size = 0; /* section 0 may carry extended counts, not content */
    return true;
  }
  if (!is_pow2(s->align))
    return dl_fail(err, "section %u: bad alignment %llu", i, (unsigned long long)s->align);
  if (s->type != SHT_NOBITS && s->type != SHT_NULL) {
    if (!in_bounds(sh->sh_offset, sh->sh_size, obj->size))
      return dl_fail(err, "truncated object (section %u extends past the end)", i);
    s->data = obj->base + sh->sh_offset;
  }
  return true;
}

static bool name_sections(ElfObject *obj, const Elf64_Shdr *sh, uint32_t shstrndx, DlError *err) {
  const ElfSection *names = &obj->sec[shstrndx];
  if (names->type != SHT_STRTAB) return dl_fail(err, "section name table is not a string table");
  for (uint32_t i = 1; i < obj->nsec; i++) {
    obj->sec[i].name = table_string(names, sh[i].sh_name);
    if (!obj->sec[i].name) return dl_fail(err, "section %u: bad name offset", i);
  }
  obj->sec[0].name = "";
  return true;
}

/* Validates one symbol: its name and section index. */
static bool check_symbol(const ElfObject *obj, uint32_t i, DlError *err) {
  const Elf64_Sym *y = &obj->sym[i];
  if (y->st_name >= obj->strsz) return dl_fail(err, "symbol %u: bad name offset", i);
  uint16_t shn = y->st_shndx;
  if (shn == SHN_UNDEF || shn == SHN_ABS || shn == SHN_COMMON) return true;
  if (shn == SHN_XINDEX) return dl_fail(err, "symbol %u: extended section indices unsupported", i);
  if (shn >= obj->nsec) return dl_fail(err, "symbol %u: bad section index %u", i, shn);
  const ElfSection *s = &obj->sec[shn];
  if (ELF64_ST_TYPE(y->st_info) != STT_SECTION && y->st_value > s->size && (s->flags & SHF_ALLOC))
    return dl_fail(err, "symbol '%s' lies outside its section %s", obj->str + y->st_name, s->name);
  return true;
}

/* Finds the one symbol table, its string table, and checks every symbol. */
static bool read_symbols(ElfObject *obj, DlError *err) {
  uint32_t symtab = 0;
  for (uint32_t i = 1; i < obj->nsec; i++) {
    if (obj->sec[i].type != SHT_SYMTAB) continue;
    if (symtab) return dl_fail(err, "more than one symbol table");
    symtab = i;
  }
  if (!symtab) return dl_fail(err, "no symbol table");
  const ElfSection *s = &obj->sec[symtab];
  if ((uintptr_t)s->data % 8 != 0) return dl_fail(err, "misaligned symbol table");
  if (s->link == 0 || s->link >= obj->nsec || obj->sec[s->link].type != SHT_STRTAB)
    return dl_fail(err, "symbol table has no string table");
  const ElfSection *st = &obj->sec[s->link];
  if (st->size == 0 || st->data[st->size - 1] != 0)
    return dl_fail(err, "symbol string table is not NUL-terminated");
  obj->sym = (const Elf64_Sym *)s->data;
  obj->nsym = (uint32_t)(s->size / sizeof(Elf64_Sym));
  obj->str = (const char *)st->data;
  obj->strsz = st->size;
  if (obj->nsym == 0) return dl_fail(err, "empty symbol table");
  for (uint32_t i = 1; i < obj->nsym; i++)
    if (!check_symbol(obj, i, err)) return false;
  return true;
}

/* Checks relocation sections: that they point at our symbol table and a
 * real section, have the right entry size and are aligned. */
static bool check_relocs(ElfObject *obj, uint32_t symtab_link, DlError *err) {
  for (uint32_t i = 1; i < obj->nsec; i++) {
    const ElfSection *s = &obj->sec[i];
    if (s->type == SHT_REL)
      return dl_fail(err, "%s: SHT_REL relocations are not supported on x86-64", s->name);
    if (s->type != SHT_RELA) continue;
    if (s->info == 0 || s->info >= obj->nsec) return dl_fail(err, "%s: bad target section index", s->name);
    if (s->link != symtab_link) return dl_fail(err, "%s: relocations against another symbol table", s->name);
    if (s->size % sizeof(Elf64_Rela) != 0 || (uintptr_t)s->data % 8 != 0)
      return dl_fail(err, "%s: malformed relocation table", s->name);
  }
  return true;
}

/* Returns the index of the symbol table section (checked to exist). */
static uint32_t symtab_index(const ElfObject *obj) {
  for (uint32_t i = 1; i < obj->nsec; i++)
    if (obj->sec[i].type == SHT_SYMTAB) return i;
  return 0;
}

bool elf_read(ElfObject *obj, const void *data, size_t size, DlError *err) {
  memset(obj, 0, sizeof *obj);
  if (!data) return dl_fail(err, "not an ELF file");
  obj->base = data;
  obj->size = size;
  /* The ELF structures are read in place; a misaligned buffer would make
   * those reads undefined, so such input is copied once. */
  if ((uintptr_t)data % 8 != 0) {
    obj->copy = malloc(size ? size : 1);
    if (!obj->copy) return dl_fail(err, "out of memory");
    memcpy(obj->copy, data, size);
    obj->base = obj->copy;
  }
  const Elf64_Ehdr *eh = (const Elf64_Ehdr *)obj->base;
  const Elf64_Shdr *sh = NULL;
  uint32_t shstrndx = 0;
  if (!check_header(eh, size, err) || !find_sections(obj, eh, &sh, &shstrndx, err)) goto fail;
  obj->sec = calloc(obj->nsec, sizeof *obj->sec);
  if (!obj->sec) {
    dl_fail(err, "out of memory");
    goto fail;
  }
  for (uint32_t i = 0; i < obj->nsec; i++)
    if (!read_section(obj, &sh[i], i, err)) goto fail;
  if (!name_sections(obj, sh, shstrndx, err) || !read_symbols(obj, err) ||
      !check_relocs(obj, symtab_index(obj), err))
    goto fail;
  return true;
fail:
  elf_object_free(obj);
  return false;
}

void elf_object_free(ElfObject *obj) {
  free(obj->sec);
  free(obj->copy);
  memset(obj, 0, sizeof *obj);
}

/* ---- shared-object images (plugin files) ------------------------------ */

/* A plugin file is read as ld.so reads a shared object — program headers,
 * then the dynamic section, then the SysV hash table for the number of
 * symbols — but with every offset and count checked against the bytes
 * in hand, since the file may be damaged. */

static DlImageStatus image_fail(DlImageStatus st, DlError *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static DlImageStatus image_fail(DlImageStatus st, DlError *err, const char *fmt, ...) {
  if (err) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
  }
  return st;
}

uint64_t dl_image_offset(const DlImageView *v, uint64_t addr, uint64_t len) {
  for (int i = 0; i < v->nph; i++) {
    const Elf64_Phdr *p = &v->ph[i];
    if (p->p_type != PT_LOAD || addr < p->p_vaddr) continue;
    uint64_t rel = addr - p->p_vaddr;
    if (in_bounds(rel, len, p->p_filesz)) return p->p_offset + rel;
  }
  return DL_NO_OFFSET;
}

/* The ELF header and the program headers: PT_LOAD and PT_DYNAMIC
 * segments inside the file, loads in address order without overlap. */
static DlImageStatus image_segments(DlImageView *v, DlError *err) {
  const unsigned char *d = v->data;
  if ((uintptr_t)d % 8 != 0)
    return image_fail(DL_IMAGE_DAMAGED, err, "the file's bytes are not 8-byte aligned in memory");
  if (v->size < EI_NIDENT || memcmp(d, ELFMAG, SELFMAG) != 0)
    return image_fail(DL_IMAGE_FOREIGN, err, "not an ELF file");
  if (v->size < sizeof(Elf64_Ehdr)) return image_fail(DL_IMAGE_DAMAGED, err, "truncated ELF header");
  Elf64_Ehdr eh;
  memcpy(&eh, d, sizeof eh);
  if (d[EI_CLASS] != ELFCLASS64 || d[EI_DATA] != ELFDATA2LSB || eh.e_type != ET_DYN ||
      eh.e_machine != EM_X86_64)
    return image_fail(DL_IMAGE_FOREIGN, err, "not an x86-64 ELF shared object");
  if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 || eh.e_phnum > 64 || eh.e_phoff % 8 != 0 ||
      !in_bounds(eh.e_phoff, (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr), v->size))
    return image_fail(DL_IMAGE_DAMAGED, err, "bad program headers");
  v->ph = (const Elf64_Phdr *)(d + eh.e_phoff); /* 8-aligned, checked above */
  v->nph = eh.e_phnum;
  uint64_t last_end = 0;
  for (int i = 0; i < v->nph; i++) {
    const Elf64_Phdr *p = &v->ph[i];
    if (p->p_type != PT_LOAD && p->p_type != PT_DYNAMIC) continue;
    bool pow2 = p->p_align == 0 || is_pow2(p->p_align);
    if (!in_bounds(p->p_offset, p->p_filesz, v->size) || p->p_filesz > p->p_memsz ||
        p->p_memsz > (1ull << 31) || p->p_vaddr > (1ull << 40) || !pow2)
      return image_fail(DL_IMAGE_DAMAGED, err, "segment %d out of bounds", i);
    if (p->p_type != PT_LOAD) continue;
    if (p->p_align > 1 && (p->p_vaddr - p->p_offset) % p->p_align != 0)
      return image_fail(DL_IMAGE_DAMAGED, err, "segment %d misaligned", i);
    if (p->p_vaddr < last_end) return image_fail(DL_IMAGE_DAMAGED, err, "overlapping segments");
    last_end = p->p_vaddr + p->p_memsz;
  }
  return DL_IMAGE_OK;
}

/* The dynamic symbol table, found through PT_DYNAMIC as ld.so finds it;
 * its size comes from DT_HASH's chain count (dl_link always writes
 * DT_HASH, not only DT_GNU_HASH). */
static DlImageStatus image_dynsyms(DlImageView *v, DlError *err) {
  const Elf64_Phdr *dyn = NULL;
  for (int i = 0; i < v->nph; i++)
    if (v->ph[i].p_type == PT_DYNAMIC) dyn = &v->ph[i];
  if (!dyn) return image_fail(DL_IMAGE_FOREIGN, err, "no dynamic section");
  if (dyn->p_offset % 8 != 0) return image_fail(DL_IMAGE_DAMAGED, err, "misaligned dynamic section");
  const Elf64_Dyn *dt = (const Elf64_Dyn *)(v->data + dyn->p_offset);
  uint64_t n = dyn->p_filesz / sizeof(Elf64_Dyn);
  uint64_t symtab = 0, strtab = 0, strsz = 0, hash = 0;
  bool end = false;
  for (uint64_t i = 0; i < n && !end; i++) {
    switch (dt[i].d_tag) {
    case DT_NULL: end = true; break;
    case DT_SYMTAB: symtab = dt[i].d_un.d_ptr; break;
    case DT_STRTAB: strtab = dt[i].d_un.d_ptr; break;
    case DT_STRSZ: strsz = dt[i].d_un.d_val; break;
    case DT_HASH: hash = dt[i].d_un.d_ptr; break;
    default: break;
    }
  }
  if (!end) return image_fail(DL_IMAGE_DAMAGED, err, "unterminated dynamic section");
  if (!symtab || !strtab || !strsz || !hash)
    return image_fail(DL_IMAGE_FOREIGN, err, "no natml symbol tables");
  uint64_t hoff = dl_image_offset(v, hash, 8), toff = dl_image_offset(v, strtab, strsz);
  if (hoff == DL_NO_OFFSET || hoff % 4 || toff == DL_NO_OFFSET)
    return image_fail(DL_IMAGE_DAMAGED, err, "dynamic tables out of bounds");
  uint32_t nchain; /* DT_HASH: nbucket, nchain, ... in the host's byte order, as every ELF field */
  memcpy(&nchain, v->data + hoff + 4, sizeof nchain);
  uint64_t soff = dl_image_offset(v, symtab, (uint64_t)nchain * sizeof(Elf64_Sym));
  if (soff == DL_NO_OFFSET || soff % 8 || nchain == 0 || v->data[toff + strsz - 1] != 0)
    return image_fail(DL_IMAGE_DAMAGED, err, "dynamic symbol table out of bounds");
  v->sym = (const Elf64_Sym *)(v->data + soff);
  v->nsym = nchain;
  v->str = (const char *)v->data + toff;
  v->strsz = strsz;
  return DL_IMAGE_OK;
}

DlImageStatus dl_image_read(DlImageView *v, const unsigned char *data, size_t size, DlError *err) {
  memset(v, 0, sizeof *v);
  v->data = data;
  v->size = size;
  DlImageStatus st = image_segments(v, err);
  if (st == DL_IMAGE_OK) st = image_dynsyms(v, err);
  return st;
}

const Elf64_Sym *dl_image_symbol(const DlImageView *v, const char *name) {
  for (uint32_t i = 1; i < v->nsym; i++) {
    const Elf64_Sym *y = &v->sym[i];
    if (y->st_name < v->strsz && strcmp(v->str + y->st_name, name) == 0)
      return y->st_shndx == SHN_UNDEF ? NULL : y;
  }
  return NULL;
}
