/* plg_format.c — the plugin file format: digests, the descriptor's
 * encoding, and the checks a plugin file passes before dlopen sees it.
 *
 * natmlc encodes the descriptor (natml_plugin_encode), links the plugin
 * and seals it (natml_plugin_seal: the whole-file checksum); every loader
 * runs natml_plugin_check on the file's bytes first. The check trusts
 * nothing it reads: dynlink's image reader (dl_image_read) bounds-checks
 * the ELF headers, the dynamic section and the symbol table, this file
 * the descriptor, so that a damaged file is refused rather than read out
 * of bounds, and the checksum then proves that the file is byte for byte
 * what natmlc wrote.
 */
#include "natml.h"

#include "dynlink.h"
#include "natml_runtime.h"

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

/* ---- Reading ------------------------------------------------------------------ */

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

/* Reads the file as a shared object (dynlink's bounds-checked reader)
 * and finds the descriptor symbol: its address, file offset and size. */
static NatmlCheck find_descriptor(DlImageView *v, const unsigned char *data, size_t size, uint64_t *vaddr,
                                  uint64_t *off, uint64_t *dsize, char *why, size_t whysz) {
  DlError derr;
  switch (dl_image_read(v, data, size, &derr)) {
  case DL_IMAGE_OK: break;
  case DL_IMAGE_FOREIGN: set_err(why, whysz, "%s", derr.msg); return NATML_CHECK_NOT_PLUGIN;
  case DL_IMAGE_DAMAGED: set_err(why, whysz, "%s", derr.msg); return NATML_CHECK_CORRUPT;
  }
  const Elf64_Sym *y = dl_image_symbol(v, NATML_PLUGIN_SYMBOL);
  if (!y || y->st_size < NATML_DESC_HEADER) {
    set_err(why, whysz, "no plugin descriptor");
    return NATML_CHECK_NOT_PLUGIN;
  }
  uint64_t o = dl_image_offset(v, y->st_value, y->st_size);
  if (o == DL_NO_OFFSET) {
    set_err(why, whysz, "descriptor out of bounds");
    return NATML_CHECK_CORRUPT;
  }
  *vaddr = y->st_value;
  *off = o;
  *dsize = y->st_size;
  return NATML_CHECK_OK;
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
static void record_rw(const DlImageView *v, NatmlPluginInfo *info) {
  for (int i = 0; i < v->nph && info->nrw < 4; i++) {
    const Elf64_Phdr *p = &v->ph[i];
    if (p->p_type != PT_LOAD || !(p->p_flags & PF_W) || p->p_memsz == 0) continue;
    info->rw_addr[info->nrw] = p->p_vaddr;
    info->rw_size[info->nrw] = p->p_memsz;
    info->nrw++;
  }
}

NatmlCheck natml_plugin_check(const char *name, const unsigned char *data, size_t size, NatmlPluginInfo *info,
                              char *err, size_t errsz) {
  memset(info, 0, sizeof *info);
  char why[DL_ERROR_MAX] = "";
  DlImageView view;
  uint64_t vaddr = 0, off = 0, dsize = 0;
  NatmlCheck c = find_descriptor(&view, data, size, &vaddr, &off, &dsize, why, sizeof why);
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
        record_rw(&view, info);
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
  DlImageView view;
  uint64_t vaddr, off, dsize;
  char why[DL_ERROR_MAX] = "";
  if (find_descriptor(&view, image, size, &vaddr, &off, &dsize, why, sizeof why) != NATML_CHECK_OK) {
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
