/* plg_format.c — the plugin file format: digests, the descriptor's
 * encoding, and the checks a plugin file passes before dlopen sees it.
 *
 * natmlc encodes the descriptor (natml_plugin_encode), links the plugin
 * and seals it (natml_plugin_seal: the whole-file checksum); every loader
 * runs natml_plugin_check on the file's bytes first. The check trusts
 * nothing it reads: every offset, count and string of the ELF headers,
 * the dynamic section, the symbol table and the descriptor is
 * bounds-checked, so that a damaged file is refused rather than read out
 * of bounds, and the checksum then proves that the file is byte for byte
 * what natmlc wrote.
 */
#include "natml.h"
#include "natml_runtime.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- Digests ------------------------------------------------------------ */

typedef unsigned __int128 u128;

/* FNV-1a with 128-bit state: simple, fast enough for plugins of a few
 * megabytes, and well spread for detecting accidental damage. */
#define FNV128_BASIS (((u128)0x6c62272e07bb0142ull << 64) | 0x62b821756295c58dull)
#define FNV128_PRIME (((u128)0x0000000001000000ull << 64) | 0x000000000000013Bull)

static u128 fnv_add(u128 h, const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= FNV128_PRIME;
  }
  return h;
}

static void fnv_out(u128 h, unsigned char out[NATML_DIGEST_SIZE]) {
  for (int i = 0; i < NATML_DIGEST_SIZE; i++) out[i] = (unsigned char)(h >> (8 * i));
}

void natml_digest(const void *data, size_t n, unsigned char out[NATML_DIGEST_SIZE]) {
  fnv_out(fnv_add(FNV128_BASIS, data, n), out);
}

void natml_digest_hex(const unsigned char d[NATML_DIGEST_SIZE], char out[33]) {
  static const char hex[] = "0123456789abcdef";
  for (int i = 0; i < NATML_DIGEST_SIZE; i++) {
    out[2 * i] = hex[d[i] >> 4];
    out[2 * i + 1] = hex[d[i] & 15];
  }
  out[32] = 0;
}

/* The file checksum: the digest of the file with the 16 checksum bytes
 * (at offset `at`) counted as zero. */
static void file_checksum(const unsigned char *data, size_t size, size_t at,
                          unsigned char out[NATML_DIGEST_SIZE]) {
  static const unsigned char zero[NATML_DIGEST_SIZE];
  u128 h = fnv_add(FNV128_BASIS, data, at);
  h = fnv_add(h, zero, sizeof zero);
  h = fnv_add(h, data + at + NATML_DIGEST_SIZE, size - at - NATML_DIGEST_SIZE);
  fnv_out(h, out);
}

/* ---- Files --------------------------------------------------------------- */

unsigned char *natml_read_file(const char *path, size_t *size) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  struct stat st;
  unsigned char *buf = NULL;
  if (fstat(fd, &st) != 0) goto fail;
  if (!S_ISREG(st.st_mode)) {
    errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
    goto fail;
  }
  buf = malloc(st.st_size ? (size_t)st.st_size : 1);
  if (!buf) goto fail;
  size_t got = 0;
  while (got < (size_t)st.st_size) {
    ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) goto fail;
    if (r == 0) break; /* the file shrank: what was read is checked */
    got += (size_t)r;
  }
  close(fd);
  *size = got;
  return buf;
fail:;
  int e = errno;
  free(buf);
  close(fd);
  errno = e;
  return NULL;
}

/* ---- Reading with bounds ---------------------------------------------------- */

static void set_err(char *err, size_t errsz, const char *fmt, ...) {
  if (!err || errsz == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errsz, fmt, ap);
  va_end(ap);
}

static uint32_t rd32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}

/* Whether [off, off + len) lies inside [0, size), without overflow. */
static bool in_range(uint64_t off, uint64_t len, uint64_t size) {
  return off <= size && len <= size - off;
}

/* The validated shape of the file: its program headers. */
typedef struct Image {
  const unsigned char *data;
  size_t size;
  const Elf64_Phdr *ph;
  int nph;
} Image;

/* The file offset of `len` bytes at address addr, when one PT_LOAD
 * segment maps them all from the file; else (uint64_t)-1. */
static uint64_t addr_to_off(const Image *im, uint64_t addr, uint64_t len) {
  for (int i = 0; i < im->nph; i++) {
    const Elf64_Phdr *p = &im->ph[i];
    if (p->p_type != PT_LOAD || addr < p->p_vaddr) continue;
    uint64_t rel = addr - p->p_vaddr;
    if (in_range(rel, len, p->p_filesz)) return p->p_offset + rel;
  }
  return (uint64_t)-1;
}

/* Checks the ELF header and the program headers. */
static NatmlCheck check_elf(Image *im, char *why, size_t whysz) {
  const unsigned char *d = im->data;
  if ((uintptr_t)d % 8 != 0) {
    set_err(why, whysz, "the file's bytes are not 8-byte aligned in memory");
    return NATML_CHECK_CORRUPT;
  }
  if (im->size < EI_NIDENT || memcmp(d, ELFMAG, SELFMAG) != 0) {
    set_err(why, whysz, "not an ELF file");
    return NATML_CHECK_NOT_PLUGIN;
  }
  if (im->size < sizeof(Elf64_Ehdr)) {
    set_err(why, whysz, "truncated ELF header");
    return NATML_CHECK_CORRUPT;
  }
  Elf64_Ehdr eh;
  memcpy(&eh, d, sizeof eh);
  if (d[EI_CLASS] != ELFCLASS64 || d[EI_DATA] != ELFDATA2LSB || eh.e_type != ET_DYN ||
      eh.e_machine != EM_X86_64) {
    set_err(why, whysz, "not an x86-64 ELF shared object");
    return NATML_CHECK_NOT_PLUGIN;
  }
  if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 || eh.e_phnum > 64 ||
      eh.e_phoff % 8 != 0 ||
      !in_range(eh.e_phoff, (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr), im->size)) {
    set_err(why, whysz, "bad program headers");
    return NATML_CHECK_CORRUPT;
  }
  im->ph = (const Elf64_Phdr *)(d + eh.e_phoff); /* malloc'd data: 8-aligned */
  im->nph = eh.e_phnum;
  uint64_t last_end = 0;
  for (int i = 0; i < im->nph; i++) {
    const Elf64_Phdr *p = &im->ph[i];
    if (p->p_type != PT_LOAD && p->p_type != PT_DYNAMIC) continue;
    bool pow2 = p->p_align == 0 || (p->p_align & (p->p_align - 1)) == 0;
    if (!in_range(p->p_offset, p->p_filesz, im->size) || p->p_filesz > p->p_memsz ||
        p->p_memsz > (1ull << 31) || p->p_vaddr > (1ull << 40) || !pow2) {
      set_err(why, whysz, "segment %d out of bounds", i);
      return NATML_CHECK_CORRUPT;
    }
    if (p->p_type != PT_LOAD) continue;
    if (p->p_align > 1 && (p->p_vaddr - p->p_offset) % p->p_align != 0) {
      set_err(why, whysz, "segment %d misaligned", i);
      return NATML_CHECK_CORRUPT;
    }
    if (p->p_vaddr < last_end) {
      set_err(why, whysz, "overlapping segments");
      return NATML_CHECK_CORRUPT;
    }
    last_end = p->p_vaddr + p->p_memsz;
  }
  return NATML_CHECK_OK;
}

/* The dynamic symbol table, found as ld.so finds it. */
typedef struct DynSyms {
  const Elf64_Sym *sym;
  uint32_t nsym;
  const char *str;
  uint64_t strsz;
} DynSyms;

static NatmlCheck find_dynsyms(const Image *im, DynSyms *ds, char *why, size_t whysz) {
  const Elf64_Phdr *dyn = NULL;
  for (int i = 0; i < im->nph; i++)
    if (im->ph[i].p_type == PT_DYNAMIC) dyn = &im->ph[i];
  if (!dyn) {
    set_err(why, whysz, "no dynamic section");
    return NATML_CHECK_NOT_PLUGIN;
  }
  if (dyn->p_offset % 8 != 0) {
    set_err(why, whysz, "misaligned dynamic section");
    return NATML_CHECK_CORRUPT;
  }
  const Elf64_Dyn *dt = (const Elf64_Dyn *)(im->data + dyn->p_offset);
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
  if (!end) {
    set_err(why, whysz, "unterminated dynamic section");
    return NATML_CHECK_CORRUPT;
  }
  if (!symtab || !strtab || !strsz || !hash) {
    /* natmlc always writes these (DT_HASH, not only DT_GNU_HASH). */
    set_err(why, whysz, "no natml symbol tables");
    return NATML_CHECK_NOT_PLUGIN;
  }
  uint64_t hoff = addr_to_off(im, hash, 8), soff, toff = addr_to_off(im, strtab, strsz);
  if (hoff == (uint64_t)-1 || hoff % 4 || toff == (uint64_t)-1) {
    set_err(why, whysz, "dynamic tables out of bounds");
    return NATML_CHECK_CORRUPT;
  }
  uint32_t nchain = rd32(im->data + hoff + 4);
  soff = addr_to_off(im, symtab, (uint64_t)nchain * sizeof(Elf64_Sym));
  if (soff == (uint64_t)-1 || soff % 8 || nchain == 0 || im->data[toff + strsz - 1] != 0) {
    set_err(why, whysz, "dynamic symbol table out of bounds");
    return NATML_CHECK_CORRUPT;
  }
  ds->sym = (const Elf64_Sym *)(im->data + soff);
  ds->nsym = nchain;
  ds->str = (const char *)im->data + toff;
  ds->strsz = strsz;
  return NATML_CHECK_OK;
}

/* Finds the descriptor symbol; fills its address and file offset. */
static NatmlCheck find_descriptor(const Image *im, const DynSyms *ds, uint64_t *vaddr,
                                  uint64_t *off, uint64_t *size, char *why, size_t whysz) {
  for (uint32_t i = 1; i < ds->nsym; i++) {
    const Elf64_Sym *y = &ds->sym[i];
    if (y->st_name >= ds->strsz || strcmp(ds->str + y->st_name, NATML_PLUGIN_SYMBOL) != 0)
      continue;
    if (y->st_shndx == SHN_UNDEF || y->st_size < NATML_DESC_HEADER) break;
    uint64_t o = addr_to_off(im, y->st_value, y->st_size);
    if (o == (uint64_t)-1) {
      set_err(why, whysz, "descriptor out of bounds");
      return NATML_CHECK_CORRUPT;
    }
    *vaddr = y->st_value;
    *off = o;
    *size = y->st_size;
    return NATML_CHECK_OK;
  }
  set_err(why, whysz, "no plugin descriptor");
  return NATML_CHECK_NOT_PLUGIN;
}

/* ---- Decoding the descriptor -------------------------------------------------- */

typedef struct Reader {
  unsigned char *p;
  size_t left;
  bool ok;
} Reader;

static uint32_t take32(Reader *r) {
  if (r->left < 4) {
    r->ok = false;
    return 0;
  }
  uint32_t v = rd32(r->p);
  r->p += 4;
  r->left -= 4;
  return v;
}

static const char *take_str(Reader *r, size_t *len) {
  uint32_t n = take32(r);
  if (!r->ok || r->left < (size_t)n + 1 || r->p[n] != 0) {
    r->ok = false;
    return "";
  }
  const char *s = (const char *)r->p;
  r->p += n + 1;
  r->left -= n + 1;
  if (len) *len = n;
  return s;
}

static void take_digest(Reader *r, unsigned char out[NATML_DIGEST_SIZE]) {
  if (r->left < NATML_DIGEST_SIZE) {
    r->ok = false;
    memset(out, 0, NATML_DIGEST_SIZE);
    return;
  }
  memcpy(out, r->p, NATML_DIGEST_SIZE);
  r->p += NATML_DIGEST_SIZE;
  r->left -= NATML_DIGEST_SIZE;
}

/* Decodes the records after the header; counts are bounded by the bytes
 * left, so a damaged count cannot make the arrays huge. */
static bool decode(NatmlPluginInfo *info, unsigned char *desc, size_t size) {
  Reader r = {desc + NATML_DESC_HEADER, size - NATML_DESC_HEADER, true};
  uint32_t nunits = rd32(desc + 32), nimports = rd32(desc + 36);
  if (nunits == 0 || nunits > r.left / 8 || nimports > r.left / 8) return false;
  info->units = calloc(nunits, sizeof *info->units);
  info->imports = calloc(nimports ? nimports : 1, sizeof *info->imports);
  if (!info->units || !info->imports) return false;
  info->nunits = (int)nunits;
  info->nimports = (int)nimports;
  for (uint32_t i = 0; i < nunits && r.ok; i++) {
    NatmlPluginUnit *u = &info->units[i];
    u->name = take_str(&r, NULL);
    take_digest(&r, u->digest);
    u->entry = take_str(&r, NULL);
    u->source = take_str(&r, &u->source_len);
    uint32_t nv = take32(&r);
    if (!r.ok || nv > r.left / 10) return false;
    u->values = calloc(nv ? nv : 1, sizeof *u->values);
    if (!u->values) return false;
    u->nvalues = (int)nv;
    for (uint32_t j = 0; j < nv && r.ok; j++) {
      u->values[j].name = take_str(&r, NULL);
      u->values[j].symbol = take_str(&r, NULL);
    }
  }
  for (uint32_t i = 0; i < nimports && r.ok; i++) {
    info->imports[i].name = take_str(&r, NULL);
    take_digest(&r, info->imports[i].digest);
  }
  return r.ok;
}

void natml_plugin_info_free(NatmlPluginInfo *info) {
  if (!info) return;
  if (info->owned) {
    for (int i = 0; i < info->nunits; i++) free(info->units[i].values);
    free(info->units);
    free(info->imports);
    free(info->owned);
  }
  memset(info, 0, sizeof *info);
}

/* The writable PT_LOAD segments, for the loader's GC roots. */
static void record_rw(const Image *im, NatmlPluginInfo *info) {
  for (int i = 0; i < im->nph && info->nrw < 4; i++) {
    const Elf64_Phdr *p = &im->ph[i];
    if (p->p_type != PT_LOAD || !(p->p_flags & PF_W) || p->p_memsz == 0) continue;
    info->rw_addr[info->nrw] = p->p_vaddr;
    info->rw_size[info->nrw] = p->p_memsz;
    info->nrw++;
  }
}

NatmlCheck natml_plugin_check(const char *name, const unsigned char *data, size_t size,
                              NatmlPluginInfo *info, char *err, size_t errsz) {
  memset(info, 0, sizeof *info);
  char why[160] = "";
  Image im = {data, size, NULL, 0};
  DynSyms ds;
  uint64_t vaddr = 0, off = 0, dsize = 0;
  NatmlCheck c = check_elf(&im, why, sizeof why);
  if (c == NATML_CHECK_OK) c = find_dynsyms(&im, &ds, why, sizeof why);
  if (c == NATML_CHECK_OK) c = find_descriptor(&im, &ds, &vaddr, &off, &dsize, why, sizeof why);
  const unsigned char *desc = data + off;
  if (c == NATML_CHECK_OK && memcmp(desc, NATML_PLUGIN_MAGIC, 8) != 0) {
    set_err(why, sizeof why, "bad descriptor magic");
    c = NATML_CHECK_NOT_PLUGIN;
  }
  if (c == NATML_CHECK_NOT_PLUGIN) {
    set_err(err, errsz, "File %s is not a natml plugin (%s).", name, why);
    return c;
  }
  if (c == NATML_CHECK_OK && rd32(desc + 8) != NATML_PLUGIN_ABI) {
    set_err(err, errsz,
            "File %s was compiled for another version of natml (plugin ABI %u, this natml "
            "loads ABI %u).",
            name, rd32(desc + 8), NATML_PLUGIN_ABI);
    return NATML_CHECK_ABI;
  }
  if (c == NATML_CHECK_OK) {
    unsigned char sum[NATML_DIGEST_SIZE];
    uint32_t dlen = rd32(desc + 12);
    file_checksum(data, size, off + NATML_DESC_CHECKSUM_OFF, sum);
    if (dlen < NATML_DESC_HEADER || dlen > dsize) {
      set_err(why, sizeof why, "bad descriptor size");
      c = NATML_CHECK_CORRUPT;
    } else if (memcmp(sum, desc + NATML_DESC_CHECKSUM_OFF, NATML_DIGEST_SIZE) != 0) {
      set_err(why, sizeof why, "checksum mismatch");
      c = NATML_CHECK_CORRUPT;
    } else {
      info->owned = malloc(dlen);
      if (!info->owned) {
        set_err(err, errsz, "Out of memory while reading %s.", name);
        return NATML_CHECK_CORRUPT;
      }
      memcpy(info->owned, desc, dlen);
      info->abi = NATML_PLUGIN_ABI;
      info->desc_vaddr = vaddr;
      if (!decode(info, info->owned, dlen)) {
        natml_plugin_info_free(info);
        set_err(why, sizeof why, "malformed descriptor");
        c = NATML_CHECK_CORRUPT;
      } else {
        record_rw(&im, info);
      }
    }
  }
  if (c != NATML_CHECK_OK) set_err(err, errsz, "File %s is a corrupted natml plugin (%s).", name, why);
  return c;
}

/* ---- Writing ------------------------------------------------------------------ */

typedef struct Out {
  unsigned char *p;
  size_t len, cap;
  bool ok;
} Out;

static void put(Out *o, const void *p, size_t n) {
  if (!o->ok) return;
  if (o->len + n > o->cap) {
    size_t cap = o->cap ? o->cap : 256;
    while (cap < o->len + n) cap *= 2;
    unsigned char *q = realloc(o->p, cap);
    if (!q) {
      o->ok = false;
      return;
    }
    o->p = q;
    o->cap = cap;
  }
  memcpy(o->p + o->len, p, n);
  o->len += n;
}

static void put32(Out *o, uint32_t v) {
  unsigned char b[4];
  wr32(b, v);
  put(o, b, 4);
}

static void put_str(Out *o, const char *s, size_t n) {
  put32(o, (uint32_t)n);
  put(o, s, n);
  put(o, "", 1);
}

unsigned char *natml_plugin_encode(const NatmlPluginInfo *info, size_t *size) {
  Out o = {NULL, 0, 0, true};
  static const unsigned char zero[NATML_DIGEST_SIZE];
  put(&o, NATML_PLUGIN_MAGIC, 8);
  put32(&o, NATML_PLUGIN_ABI);
  put32(&o, 0); /* size, patched below */
  put(&o, zero, sizeof zero);
  put32(&o, (uint32_t)info->nunits);
  put32(&o, (uint32_t)info->nimports);
  for (int i = 0; i < info->nunits; i++) {
    const NatmlPluginUnit *u = &info->units[i];
    put_str(&o, u->name, strlen(u->name));
    put(&o, u->digest, NATML_DIGEST_SIZE);
    put_str(&o, u->entry, strlen(u->entry));
    put_str(&o, u->source, u->source_len);
    put32(&o, (uint32_t)u->nvalues);
    for (int j = 0; j < u->nvalues; j++) {
      put_str(&o, u->values[j].name, strlen(u->values[j].name));
      put_str(&o, u->values[j].symbol, strlen(u->values[j].symbol));
    }
  }
  for (int i = 0; i < info->nimports; i++) {
    put_str(&o, info->imports[i].name, strlen(info->imports[i].name));
    put(&o, info->imports[i].digest, NATML_DIGEST_SIZE);
  }
  while (o.len % 8) put(&o, "", 1);
  if (!o.ok) {
    free(o.p);
    return NULL;
  }
  wr32(o.p + 12, (uint32_t)o.len);
  *size = o.len;
  return o.p;
}

bool natml_plugin_seal(unsigned char *image, size_t size, char *err, size_t errsz) {
  Image im = {image, size, NULL, 0};
  DynSyms ds;
  uint64_t vaddr, off, dsize;
  char why[160] = "";
  if (check_elf(&im, why, sizeof why) != NATML_CHECK_OK ||
      find_dynsyms(&im, &ds, why, sizeof why) != NATML_CHECK_OK ||
      find_descriptor(&im, &ds, &vaddr, &off, &dsize, why, sizeof why) != NATML_CHECK_OK) {
    set_err(err, errsz, "cannot seal the plugin: %s", why);
    return false;
  }
  unsigned char sum[NATML_DIGEST_SIZE];
  memset(image + off + NATML_DESC_CHECKSUM_OFF, 0, NATML_DIGEST_SIZE);
  file_checksum(image, size, off + NATML_DESC_CHECKSUM_OFF, sum);
  memcpy(image + off + NATML_DESC_CHECKSUM_OFF, sum, NATML_DIGEST_SIZE);
  return true;
}

void natml_plugin_register_roots(const NatmlPluginInfo *info, const void *descriptor) {
  uintptr_t base = (uintptr_t)descriptor - info->desc_vaddr;
  for (int i = 0; i < info->nrw; i++) {
    char *lo = (char *)(base + info->rw_addr[i]);
    nml_register_roots(lo, lo + info->rw_size[i]);
  }
}
