/* test_dynlink.c — unit tests for dynlink: in-memory .o -> .so linking,
 * loading under unique paths, the symbol table and bad input.
 *
 * The objects are made here by a small ELF writer (hand-assembled x86-64
 * code, sections, symbols, RELA entries), plus three objects LLVM 14 made
 * from one C file (clang -O0, clang -O2, llc -O0 without relocation
 * relaxation, as the LLVM C API emits), embedded as hex. readelf checks the
 * images' shape where it is installed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dl_internal.h"
#include "dynlink.h"

extern char **environ;

/* ---- a tiny ELF relocatable writer ------------------------------------ */

#define MAX_SECS  8
#define MAX_SYMS  32
#define MAX_RELS  32
#define SECSYM(s) (1000 + (s)) /* handle of section s's STT_SECTION symbol */

typedef struct {
  const char *name;
  uint32_t type;
  uint64_t flags, align;
  unsigned char data[256];
  size_t size;
} ObjSec;

typedef struct {
  const char *name;
  int sec; /* 1-based section, or SHN_UNDEF / SHN_ABS / SHN_COMMON */
  uint64_t value, size;
  unsigned char bind, type, other;
} ObjSym;

typedef struct {
  int sec, sym;
  uint64_t off;
  uint32_t type;
  int64_t addend;
} ObjRel;

typedef struct {
  ObjSec sec[MAX_SECS];
  int nsec;
  ObjSym sym[MAX_SYMS];
  int nsym;
  ObjRel rel[MAX_RELS];
  int nrel;
} Obj;

static int obj_section(Obj *o, const char *name, uint32_t type, uint64_t flags, uint64_t align,
                       const void *data, size_t size) {
  ObjSec *s = &o->sec[o->nsec++];
  assert_true(o->nsec <= MAX_SECS && size <= sizeof s->data);
  s->name = name;
  s->type = type;
  s->flags = flags;
  s->align = align;
  s->size = size;
  if (data) memcpy(s->data, data, size);
  return o->nsec;
}

static int obj_symbol(Obj *o, const char *name, int sec, uint64_t value, uint64_t size, int bind, int type) {
  assert_true(o->nsym < MAX_SYMS);
  o->sym[o->nsym] = (ObjSym){name, sec, value, size, (unsigned char)bind, (unsigned char)type, STV_DEFAULT};
  return o->nsym++;
}

static int obj_undef(Obj *o, const char *name) {
  return obj_symbol(o, name, SHN_UNDEF, 0, 0, STB_GLOBAL, STT_NOTYPE);
}

static void obj_rela(Obj *o, int sec, uint64_t off, uint32_t type, int sym, int64_t addend) {
  assert_true(o->nrel < MAX_RELS);
  o->rel[o->nrel++] = (ObjRel){sec, sym, off, type, addend};
}

static size_t put(unsigned char *buf, size_t at, const void *p, size_t n) {
  if (buf) memcpy(buf + at, p, n);
  return at + n;
}

static size_t align8(size_t v) { return (v + 7) & ~(size_t)7; }

/* Final symbol index of a handle: null, section symbols, locals, globals. */
static uint32_t sym_index(const Obj *o, int h) {
  if (h >= 1000) return (uint32_t)(h - 1000);
  uint32_t idx = 1 + (uint32_t)o->nsec;
  bool local = o->sym[h].bind == STB_LOCAL;
  for (int k = 0; k < o->nsym; k++) {
    bool kl = o->sym[k].bind == STB_LOCAL;
    if (!local && kl) idx++; /* every local precedes every global */
    else if (k < h && kl == local) idx++;
  }
  return idx;
}

static int nrels_of(const Obj *o, int sec) {
  int n = 0;
  for (int i = 0; i < o->nrel; i++) n += o->rel[i].sec == sec;
  return n;
}

/* Serializes o; returns a malloc'd buffer (aligned) and its size. */
static unsigned char *obj_build(const Obj *o, size_t *size_out) {
  unsigned char *buf = NULL;
  size_t size = 0;
  for (int pass = 0; pass < 2; pass++) {
    Elf64_Shdr sh[3 * MAX_SECS + 4];
    memset(sh, 0, sizeof sh);
    char shstr[512] = "", str[512] = "";
    size_t shstrsz = 1, strsz = 1;
    size_t at = sizeof(Elf64_Ehdr);
    int n = 1;
    for (int s = 0; s < o->nsec; s++, n++) {
      const ObjSec *os = &o->sec[s];
      at = (at + os->align - 1) & ~(os->align - 1);
      sh[n].sh_name = (uint32_t)shstrsz;
      shstrsz += (size_t)sprintf(shstr + shstrsz, "%s", os->name) + 1;
      sh[n] = (Elf64_Shdr){sh[n].sh_name, os->type, os->flags, 0, at, os->size, 0, 0, os->align, 0};
      if (os->type != SHT_NOBITS) at = put(buf, at, os->data, os->size);
    }
    int symtab = n + 0;
    for (int s = 1; s <= o->nsec; s++) symtab += nrels_of(o, s) > 0;
    for (int s = 1; s <= o->nsec; s++) {
      if (!nrels_of(o, s)) continue;
      at = align8(at);
      size_t start = at;
      for (int i = 0; i < o->nrel; i++) {
        const ObjRel *r = &o->rel[i];
        if (r->sec != s) continue;
        Elf64_Rela e = {r->off, ELF64_R_INFO(sym_index(o, r->sym), r->type), r->addend};
        at = put(buf, at, &e, sizeof e);
      }
      sh[n].sh_name = (uint32_t)shstrsz;
      shstrsz += (size_t)sprintf(shstr + shstrsz, ".rela%s", o->sec[s - 1].name) + 1;
      sh[n] = (Elf64_Shdr){sh[n].sh_name, SHT_RELA,         SHF_INFO_LINK, 0, start,
                           at - start,    (uint32_t)symtab, (uint32_t)s,   8, sizeof(Elf64_Rela)};
      n++;
    }
    /* symbols */
    at = align8(at);
    size_t symstart = at;
    Elf64_Sym null = {0};
    at = put(buf, at, &null, sizeof null);
    for (int s = 1; s <= o->nsec; s++) {
      Elf64_Sym y = {0, ELF64_ST_INFO(STB_LOCAL, STT_SECTION), 0, (uint16_t)s, 0, 0};
      at = put(buf, at, &y, sizeof y);
    }
    uint32_t nlocal = 1 + (uint32_t)o->nsec;
    for (int want = 0; want < 2; want++)
      for (int k = 0; k < o->nsym; k++) {
        const ObjSym *u = &o->sym[k];
        if ((u->bind != STB_LOCAL) != want) continue;
        if (!want) nlocal++;
        Elf64_Sym y = {(uint32_t)strsz, ELF64_ST_INFO(u->bind, u->type), u->other, (uint16_t)u->sec, u->value,
                       u->size};
        strsz += (size_t)sprintf(str + strsz, "%s", u->name) + 1;
        at = put(buf, at, &y, sizeof y);
      }
    sh[n] = (Elf64_Shdr){0, SHT_SYMTAB,       0, 0, symstart, at - symstart, (uint32_t)n + 1, nlocal,
                         8, sizeof(Elf64_Sym)};
    sh[n].sh_name = (uint32_t)shstrsz;
    shstrsz += (size_t)sprintf(shstr + shstrsz, ".symtab") + 1;
    n++;
    sh[n] = (Elf64_Shdr){(uint32_t)shstrsz, SHT_STRTAB, 0, 0, at, strsz, 0, 0, 1, 0};
    shstrsz += (size_t)sprintf(shstr + shstrsz, ".strtab") + 1;
    at = put(buf, at, str, strsz);
    n++;
    sh[n] = (Elf64_Shdr){(uint32_t)shstrsz, SHT_STRTAB, 0, 0, at, 0, 0, 0, 1, 0};
    shstrsz += (size_t)sprintf(shstr + shstrsz, ".shstrtab") + 1;
    sh[n].sh_size = shstrsz;
    at = put(buf, at, shstr, shstrsz);
    int shstrndx = n++;
    at = align8(at);
    size_t shoff = at;
    at = put(buf, at, sh, (size_t)n * sizeof(Elf64_Shdr));
    if (buf) {
      Elf64_Ehdr eh = {{0x7f, 'E', 'L', 'F', ELFCLASS64, ELFDATA2LSB, EV_CURRENT},
                       ET_REL,
                       EM_X86_64,
                       EV_CURRENT,
                       0,
                       0,
                       shoff,
                       0,
                       sizeof(Elf64_Ehdr),
                       0,
                       0,
                       sizeof(Elf64_Shdr),
                       (uint16_t)n,
                       (uint16_t)shstrndx};
      memcpy(buf, &eh, sizeof eh);
    } else {
      size = at;
      buf = calloc(1, size);
      assert_non_null(buf);
    }
  }
  *size_out = size;
  return buf;
}

static int text_section(Obj *o, const void *code, size_t n) {
  return obj_section(o, ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, 16, code, n);
}

static int func(Obj *o, const char *name, int sec, uint64_t off) {
  return obj_symbol(o, name, sec, off, 1, STB_GLOBAL, STT_FUNC);
}

/* ---- host side ---------------------------------------------------------- */

static long host_twice(long x) { return 2 * x; }
static long ext_value = 1000;
static long host_var = 77;

static DlContext *new_context(void) {
  DlError err = {{0}};
  DlContext *dl = dl_create(&err);
  if (!dl) fail_msg("dl_create: %s", err.msg);
  dl_define(dl, "host_twice", (void *)host_twice);
  dl_define(dl, "ext_value", &ext_value);
  dl_define(dl, "host_var", &host_var);
  return dl;
}

static DlUnit *link_load(DlContext *dl, const void *obj, size_t size) {
  DlError err = {{0}};
  DlImage img;
  if (!dl_link(dl, obj, size, DL_PREBIND, &img, &err)) fail_msg("dl_link: %s", err.msg);
  DlUnit *u = dl_load(dl, &img, &err);
  dl_image_free(&img);
  if (!u) fail_msg("dl_load: %s", err.msg);
  return u;
}

#define FN(u, name, type) ((type)dl_unit_symbol((u), (name)))

/* ---- objects made by LLVM 14 ---------------------------------------------- */

/* clang -fPIC -g0 -c of:
 *   extern long host_twice(long);
 *   extern long ext_value;
 *   long counter = 5;
 *   static const char *names[] = {"zero", "one", "two"};
 *   const char *fx_name(int i) { return names[i]; }
 *   long fx_use(long x) { counter++; return host_twice(x) + ext_value + counter; }
 * at -O0 and -O2, and llc -O0 --relax-elf-relocations=false of the -O0 IR.
 * They carry .eh_frame, .comment, .note.GNU-stack, .llvm_addrsig,
 * .rodata.str1.1, REX_GOTPCRELX or GOTPCREL, PLT32, PC32 and 64. */
static const char fixture_clang_O0[] =
    "7f454c4602010100000000000000000001003e0001000000000000000000000000000000"
    "0000000018040000000000000000000040000000000040000d000100554889e5897dfc48"
    "634dfc488d0500000000488b04c85dc30f1f840000000000554889e54883ec1048897df8"
    "488b0500000000488b084883c101488b0500000000488908488b7df8e800000000488b0d"
    "00000000480301488b0d000000004803014883c4105dc300000000000000000005000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000"
    "7a65726f006f6e650074776f000044656269616e20636c616e672076657273696f6e2031"
    "342e302e36000000000000001400000000000000017a5200017810011b0c070890010000"
    "1c0000001c000000000000001800000000410e108602430d06530c07080000001c000000"
    "3c000000000000004700000000410e108602430d0602420c070800000000000000000000"
    "00000000000000000000000000000000740000000400f1ff000000000000000000000000"
    "000000000000000003000200000000000000000000000000000000001500000001000400"
    "100000000000000018000000000000000000000003000400000000000000000000000000"
    "000000000000000003000600000000000000000000000000000000006100000012000200"
    "000000000000000018000000000000004b00000012000200200000000000000047000000"
    "000000001b00000011000400000000000000000008000000000000006900000010000000"
    "000000000000000000000000000000004100000010000000000000000000000000000000"
    "000000000e0000000000000002000000040000000c000000000000002f00000000000000"
    "2a00000008000000fcffffffffffffff3d000000000000002a00000008000000fcffffff"
    "ffffffff49000000000000000400000009000000fcffffffffffffff5000000000000000"
    "2a0000000a000000fcffffffffffffff5a000000000000002a00000008000000fcffffff"
    "ffffffff1000000000000000010000000500000000000000000000001800000000000000"
    "010000000500000005000000000000002000000000000000010000000500000009000000"
    "000000002000000000000000020000000200000000000000000000004000000000000000"
    "020000000200000020000000000000000908030a002e72656c612e74657874002e636f6d"
    "6d656e74006e616d657300636f756e746572002e6e6f74652e474e552d737461636b002e"
    "6c6c766d5f61646472736967006578745f76616c75650066785f757365002e72656c612e"
    "65685f6672616d650066785f6e616d6500686f73745f74776963650066782e63002e7374"
    "72746162002e73796d746162002e72656c612e64617461002e726f646174612e73747231"
    "2e3100000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000079000000"
    "03000000000000000000000000000000000000007403000000000000a300000000000000"
    "000000000000000001000000000000000000000000000000060000000100000006000000"
    "000000000000000000000000400000000000000067000000000000000000000000000000"
    "100000000000000000000000000000000100000004000000400000000000000000000000"
    "00000000680200000000000090000000000000000c000000020000000800000000000000"
    "18000000000000008e0000000100000003000000000000000000000000000000b0000000"
    "000000002800000000000000000000000000000010000000000000000000000000000000"
    "890000000400000040000000000000000000000000000000f80200000000000048000000"
    "000000000c00000004000000080000000000000018000000000000009400000001000000"
    "32000000000000000000000000000000d8000000000000000d0000000000000000000000"
    "00000000010000000000000001000000000000000c000000010000003000000000000000"
    "0000000000000000e5000000000000001d00000000000000000000000000000001000000"
    "000000000100000000000000230000000100000000000000000000000000000000000000"
    "020100000000000000000000000000000000000000000000010000000000000000000000"
    "000000005700000001000070020000000000000000000000000000000801000000000000"
    "580000000000000000000000000000000800000000000000000000000000000052000000"
    "040000004000000000000000000000000000000040030000000000003000000000000000"
    "0c000000090000000800000000000000180000000000000033000000034cff6f00000080"
    "000000000000000000000000700300000000000004000000000000000c00000000000000"
    "010000000000000000000000000000008100000002000000000000000000000000000000"
    "000000006001000000000000080100000000000001000000060000000800000000000000"
    "1800000000000000";
static const char fixture_clang_O2[] =
    "7f454c4602010100000000000000000001003e0001000000000000000000000000000000"
    "00000000d8030000000000000000000040000000000040000e0001004863c7488d0d0000"
    "0000486304814801c8c3662e0f1f8400000000000f1f400053488b1d0000000048830301"
    "e800000000488b0d000000004803014803035bc305000000000000000000000000000000"
    "000000007a65726f006f6e650074776f000044656269616e20636c616e67207665727369"
    "6f6e2031342e302e360000001400000000000000017a5200017810011b0c070890010000"
    "100000001c00000000000000120000000000000018000000300000000000000020000000"
    "00410e1083025e0e08000000000000000000000000000000000000000000000000000000"
    "770000000400f1ff00000000000000000000000000000000000000000300020000000000"
    "0000000000000000000000005b0000000100050000000000000000000c00000000000000"
    "000000000300050000000000000000000000000000000000a80000000100070005000000"
    "0000000004000000000000009f0000000100070009000000000000000400000000000000"
    "000000000300070000000000000000000000000000000000640000001200020000000000"
    "000000001200000000000000450000001200020020000000000000002000000000000000"
    "1500000011000400000000000000000008000000000000006c0000001000000000000000"
    "0000000000000000000000003b0000001000000000000000000000000000000000000000"
    "06000000000000000200000004000000fcffffffffffffff24000000000000002a000000"
    "0a000000fcffffffffffffff2d00000000000000040000000b000000fcffffffffffffff"
    "34000000000000002a0000000c000000fcffffffffffffff000000000000000002000000"
    "070000000000000000000000040000000000000002000000050000000400000000000000"
    "080000000000000002000000060000000800000000000000200000000000000002000000"
    "020000000000000000000000340000000000000002000000020000002000000000000000"
    "002e72656c612e74657874002e636f6d6d656e7400636f756e746572002e6e6f74652e47"
    "4e552d737461636b002e6c6c766d5f61646472736967006578745f76616c75650066785f"
    "757365002e72656c612e65685f6672616d650072656c7461626c652e66785f6e616d6500"
    "686f73745f74776963650066782e63002e737472746162002e73796d746162002e72656c"
    "612e726f64617461002e64617461002e4c2e7374722e32002e4c2e7374722e31002e726f"
    "646174612e737472312e3100000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000007c00000003000000000000000000000000000000000000001803000000000000"
    "c00000000000000000000000000000000100000000000000000000000000000006000000"
    "010000000600000000000000000000000000000040000000000000004000000000000000"
    "000000000000000010000000000000000000000000000000010000000400000040000000"
    "000000000000000000000000400200000000000060000000000000000d00000002000000"
    "080000000000000018000000000000009900000001000000030000000000000000000000"
    "000000008000000000000000080000000000000000000000000000000800000000000000"
    "000000000000000091000000010000000200000000000000000000000000000088000000"
    "000000000c00000000000000000000000000000004000000000000000000000000000000"
    "8c0000000400000040000000000000000000000000000000a00200000000000048000000"
    "000000000d0000000500000008000000000000001800000000000000b100000001000000"
    "3200000000000000000000000000000094000000000000000d0000000000000000000000"
    "00000000010000000000000001000000000000000c000000010000003000000000000000"
    "0000000000000000a1000000000000001d00000000000000000000000000000001000000"
    "0000000001000000000000001d0000000100000000000000000000000000000000000000"
    "be0000000000000000000000000000000000000000000000010000000000000000000000"
    "00000000510000000100007002000000000000000000000000000000c000000000000000"
    "48000000000000000000000000000000080000000000000000000000000000004c000000"
    "0400000040000000000000000000000000000000e8020000000000003000000000000000"
    "0d0000000a000000080000000000000018000000000000002d000000034cff6f00000080"
    "000000000000000000000000180300000000000000000000000000000d00000000000000"
    "010000000000000000000000000000008400000002000000000000000000000000000000"
    "000000000801000000000000380100000000000001000000080000000800000000000000"
    "1800000000000000";
static const char fixture_llc_O0_norelax[] =
    "7f454c4602010100000000000000000001003e0001000000000000000000000000000000"
    "0000000008040000000000000000000040000000000040000c000100554889e5897dfc48"
    "634dfc488d0500000000488b04c85dc30f1f840000000000554889e54883ec1048897df8"
    "488b0500000000488b084883c101488b0500000000488908488b7df8e800000000488b0d"
    "00000000480301488b0d000000004803014883c4105dc300000000000000000005000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000"
    "7a65726f006f6e650074776f000044656269616e20636c616e672076657273696f6e2031"
    "342e302e36000000000000001400000000000000017a5200017810011b0c070890010000"
    "1c0000001c000000000000001800000000410e108602430d06530c07080000001c000000"
    "3c000000000000004700000000410e108602430d0602420c070800000000000000000000"
    "00000000000000000000000000000000660000000400f1ff000000000000000000000000"
    "000000000000000003000200000000000000000000000000000000001500000001000400"
    "100000000000000018000000000000000000000003000400000000000000000000000000"
    "000000000000000003000600000000000000000000000000000000005300000012000200"
    "000000000000000018000000000000003d00000012000200200000000000000047000000"
    "000000001b00000011000400000000000000000008000000000000005b00000010000000"
    "000000000000000000000000000000003300000010000000000000000000000000000000"
    "000000000e0000000000000002000000040000000c000000000000002f00000000000000"
    "0900000008000000fcffffffffffffff3d000000000000000900000008000000fcffffff"
    "ffffffff49000000000000000400000009000000fcffffffffffffff5000000000000000"
    "090000000a000000fcffffffffffffff5a000000000000000900000008000000fcffffff"
    "ffffffff1000000000000000010000000500000000000000000000001800000000000000"
    "010000000500000005000000000000002000000000000000010000000500000009000000"
    "000000002000000000000000020000000200000000000000000000004000000000000000"
    "02000000020000002000000000000000002e72656c612e74657874002e636f6d6d656e74"
    "006e616d657300636f756e746572002e6e6f74652e474e552d737461636b006578745f76"
    "616c75650066785f757365002e72656c612e65685f6672616d650066785f6e616d650068"
    "6f73745f74776963650066782e63002e737472746162002e73796d746162002e72656c61"
    "2e64617461002e726f646174612e737472312e3100000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000006b00000003000000000000000000000000000000"
    "000000007003000000000000950000000000000000000000000000000100000000000000"
    "000000000000000006000000010000000600000000000000000000000000000040000000"
    "000000006700000000000000000000000000000010000000000000000000000000000000"
    "010000000400000040000000000000000000000000000000680200000000000090000000"
    "000000000b00000002000000080000000000000018000000000000008000000001000000"
    "03000000000000000000000000000000b000000000000000280000000000000000000000"
    "00000000100000000000000000000000000000007b000000040000004000000000000000"
    "0000000000000000f80200000000000048000000000000000b0000000400000008000000"
    "000000001800000000000000860000000100000032000000000000000000000000000000"
    "d8000000000000000d000000000000000000000000000000010000000000000001000000"
    "000000000c0000000100000030000000000000000000000000000000e500000000000000"
    "1d0000000000000000000000000000000100000000000000010000000000000023000000"
    "010000000000000000000000000000000000000002010000000000000000000000000000"
    "000000000000000001000000000000000000000000000000490000000100007002000000"
    "000000000000000000000000080100000000000058000000000000000000000000000000"
    "080000000000000000000000000000004400000004000000400000000000000000000000"
    "00000000400300000000000030000000000000000b000000090000000800000000000000"
    "180000000000000073000000020000000000000000000000000000000000000060010000"
    "000000000801000000000000010000000600000008000000000000001800000000000000";

static unsigned char *from_hex(const char *hex, size_t *size) {
  size_t n = strlen(hex) / 2;
  unsigned char *out = malloc(n);
  assert_non_null(out);
  for (size_t i = 0; i < n; i++) {
    unsigned v;
    sscanf(hex + 2 * i, "%2x", &v);
    out[i] = (unsigned char)v;
  }
  *size = n;
  return out;
}

/* ---- the main hand-made object --------------------------------------- */

/* .text, hand-assembled (offsets in the comments):
 *   00 call_host:    sub $8,%rsp; mov $21,%edi; call host_twice@PLT;
 *                    add $8,%rsp; ret
 *   13 load_ext:     mov ext_value@GOTPCREL(%rip),%rax; mov (%rax),%rax; ret
 *   1e get_msg:      lea .rodata+6(%rip),%rax; ret
 *   26 get_table:    lea table(%rip),%rax; ret
 *   2e bump:         mov counter@GOTPCREL(%rip),%rax; addq $1,(%rax);
 *                    mov (%rax),%rax; ret
 *   3d counter_addr: mov counter@GOTPCREL(%rip),%rax (REX_GOTPCRELX); ret
 *   45 msg_len:      lea .rodata(%rip),%rdi; jmp strlen@PLT */
static const unsigned char main_code[] = {
    0x48, 0x83, 0xec, 0x08, 0xbf, 0x15, 0x00, 0x00, 0x00, 0xe8, 0,    0,    0,    0,    0x48, 0x83, 0xc4,
    0x08, 0xc3, 0x48, 0x8b, 0x05, 0,    0,    0,    0,    0x48, 0x8b, 0x00, 0xc3, 0x48, 0x8d, 0x05, 0,
    0,    0,    0,    0xc3, 0x48, 0x8d, 0x05, 0,    0,    0,    0,    0xc3, 0x48, 0x8b, 0x05, 0,    0,
    0,    0,    0x48, 0x83, 0x00, 0x01, 0x48, 0x8b, 0x00, 0xc3, 0x48, 0x8b, 0x05, 0,    0,    0,    0,
    0xc3, 0x48, 0x8d, 0x3d, 0,    0,    0,    0,    0xe9, 0,    0,    0,    0,
};

static unsigned char *main_object(size_t *size) {
  Obj o = {0};
  int text = text_section(&o, main_code, sizeof main_code);
  int ro = obj_section(&o, ".rodata.str1.1", SHT_PROGBITS, SHF_ALLOC | SHF_MERGE | SHF_STRINGS, 1,
                       "hello\0world", 12);
  long data_init[4] = {0, 0, 0, 5};
  int data = obj_section(&o, ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 8, data_init, sizeof data_init);
  int bss = obj_section(&o, ".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, 16, NULL, 16);
  obj_section(&o, ".comment", SHT_PROGBITS, SHF_MERGE | SHF_STRINGS, 1, "natml test", 11);
  obj_section(&o, ".note.GNU-stack", SHT_PROGBITS, 0, 1, NULL, 0);
  func(&o, "call_host", text, 0x00);
  func(&o, "load_ext", text, 0x13);
  func(&o, "get_msg", text, 0x1e);
  func(&o, "get_table", text, 0x26);
  func(&o, "bump", text, 0x2e);
  func(&o, "counter_addr", text, 0x3d);
  func(&o, "msg_len", text, 0x45);
  int hidden = func(&o, "hidden_fn", text, 0x45);
  o.sym[hidden].other = STV_HIDDEN;
  int table = obj_symbol(&o, "table", data, 0, 24, STB_LOCAL, STT_OBJECT);
  int counter = obj_symbol(&o, "counter", data, 24, 8, STB_GLOBAL, STT_OBJECT);
  obj_symbol(&o, "zeros", bss, 0, 16, STB_GLOBAL, STT_OBJECT);
  int twice = obj_undef(&o, "host_twice");
  int ext = obj_undef(&o, "ext_value");
  int var = obj_undef(&o, "host_var");
  int strl = obj_undef(&o, "strlen");
  obj_rela(&o, text, 0x0a, R_X86_64_PLT32, twice, -4);
  obj_rela(&o, text, 0x16, R_X86_64_GOTPCREL, ext, -4);
  obj_rela(&o, text, 0x21, R_X86_64_PC32, SECSYM(ro), 2);
  obj_rela(&o, text, 0x29, R_X86_64_PC32, table, -4);
  obj_rela(&o, text, 0x31, R_X86_64_GOTPCREL, counter, -4);
  obj_rela(&o, text, 0x40, R_X86_64_REX_GOTPCRELX, counter, -4);
  obj_rela(&o, text, 0x48, R_X86_64_PC32, SECSYM(ro), -4);
  obj_rela(&o, text, 0x4d, R_X86_64_PLT32, strl, -4);
  obj_rela(&o, data, 0, R_X86_64_64, SECSYM(ro), 0);
  obj_rela(&o, data, 8, R_X86_64_64, var, 0);
  obj_rela(&o, data, 16, R_X86_64_64, strl, 0);
  return obj_build(&o, size);
}

/* An object whose one function returns k: `mov $k,%eax; ret`, exported as
 * `name`. */
static unsigned char *const_object(const char *name, int32_t k, size_t *size) {
  unsigned char code[6] = {0xb8, 0, 0, 0, 0, 0xc3};
  memcpy(code + 1, &k, 4);
  Obj o = {0};
  int text = text_section(&o, code, sizeof code);
  func(&o, name, text, 0);
  return obj_build(&o, size);
}

/* ---- readelf ------------------------------------------------------------- */

static bool have_readelf(void) { return system("readelf --version >/dev/null 2>&1") == 0; }

/* Writes img to a temporary file and returns what `readelf -W opts` says
 * about it (malloc'd). */
static char *readelf(const DlImage *img, const char *opts) {
  char path[] = "/tmp/natml-test-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, img->data, img->size), (ssize_t)img->size);
  close(fd);
  char cmd[256];
  snprintf(cmd, sizeof cmd, "readelf -W %s %s 2>&1", opts, path);
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  size_t cap = 1 << 16, n = 0;
  char *out = malloc(cap);
  size_t r;
  while ((r = fread(out + n, 1, cap - 1 - n, p)) > 0) n += r;
  out[n] = 0;
  pclose(p);
  unlink(path);
  return out;
}

static int count_lines_with(const char *text, const char *needle) {
  int n = 0;
  for (const char *p = text; (p = strstr(p, needle)) != NULL; p++) n++;
  return n;
}

/* ---- tests ---------------------------------------------------------------- */

static void test_dynlink_links_and_runs_hand_object(void **state) {
  (void)state;
  DlContext *dl = new_context();
  size_t size;
  unsigned char *obj = main_object(&size);
  DlUnit *u = link_load(dl, obj, size);
  free(obj);

  assert_int_equal(FN(u, "call_host", long (*)(void))(), 42);
  assert_int_equal(FN(u, "load_ext", long (*)(void))(), 1000);
  ext_value = 1234;
  assert_int_equal(FN(u, "load_ext", long (*)(void))(), 1234);
  assert_string_equal(FN(u, "get_msg", const char *(*)(void))(), "world");
  void **table = FN(u, "get_table", void **(*)(void))();
  assert_string_equal((const char *)table[0], "hello");
  assert_ptr_equal(table[1], &host_var);
  assert_ptr_equal(table[2], dlsym(RTLD_DEFAULT, "strlen"));
  long *counter = dl_unit_symbol(u, "counter");
  assert_non_null(counter);
  assert_int_equal(FN(u, "bump", long (*)(void))(), 6);
  assert_int_equal(FN(u, "bump", long (*)(void))(), 7);
  assert_int_equal(*counter, 7);
  /* the REX_GOTPCRELX load of a local symbol was relaxed to lea */
  unsigned char *code = dl_unit_symbol(u, "counter_addr");
  assert_int_equal(code[1], 0x8d);
  assert_ptr_equal(FN(u, "counter_addr", long *(*)(void))(), counter);
  assert_int_equal(FN(u, "msg_len", size_t(*)(void))(), 5);
  unsigned char *zeros = dl_unit_symbol(u, "zeros");
  assert_non_null(zeros);
  for (int i = 0; i < 16; i++) assert_int_equal(zeros[i], 0);
  assert_null(dl_unit_symbol(u, "hidden_fn"));
  assert_null(dl_unit_symbol(u, "table"));
  ext_value = 1000;
  dl_destroy(dl);
}

static void test_dynlink_registers_unit_symbols(void **state) {
  (void)state;
  DlContext *dl = new_context();
  size_t size;
  unsigned char *obj = main_object(&size);
  DlUnit *u = link_load(dl, obj, size);
  free(obj);
  assert_int_equal(dl_unit_count(dl), 1);
  assert_ptr_equal(dl_lookup(dl, "counter"), dl_unit_symbol(u, "counter"));
  assert_ptr_equal(dl_lookup(dl, "bump"), dl_unit_symbol(u, "bump"));
  assert_null(dl_lookup(dl, "hidden_fn"));
  assert_null(dl_lookup(dl, "no_such_symbol_anywhere_42"));
  dl_destroy(dl);
}

static void test_dynlink_image_shape_checked_by_readelf(void **state) {
  (void)state;
  if (!have_readelf()) skip();
  DlContext *dl = new_context();
  size_t size;
  unsigned char *obj = main_object(&size);
  DlImage img;
  DlError err = {{0}};
  assert_true(dl_link(dl, obj, size, DL_PREBIND, &img, &err));
  free(obj);

  char *segs = readelf(&img, "-l");
  assert_int_equal(count_lines_with(segs, "  LOAD "), 2);
  assert_int_equal(count_lines_with(segs, "DYNAMIC"), 1);
  assert_int_equal(count_lines_with(segs, "GNU_STACK"), 1);
  assert_null(strstr(segs, "Warning"));
  free(segs);
  char *dyn = readelf(&img, "-d");
  assert_null(strstr(dyn, "NEEDED"));
  assert_non_null(strstr(dyn, "(HASH)"));
  assert_non_null(strstr(dyn, "(RELACOUNT)"));
  free(dyn);
  char *syms = readelf(&img, "--dyn-syms");
  /* only the null entry is undefined */
  assert_int_equal(count_lines_with(syms, " UND "), 1);
  assert_non_null(strstr(syms, " call_host"));
  assert_null(strstr(syms, "hidden_fn"));
  free(syms);
  char *rel = readelf(&img, "-r");
  assert_int_equal(count_lines_with(rel, "R_X86_64_"), count_lines_with(rel, "R_X86_64_RELATIVE"));
  assert_true(count_lines_with(rel, "R_X86_64_RELATIVE") >= 2);
  free(rel);
  char *secs = readelf(&img, "-S");
  assert_non_null(strstr(secs, ".dynsym"));
  assert_non_null(strstr(secs, ".got"));
  assert_non_null(strstr(secs, ".shstrtab"));
  assert_null(strstr(secs, "Warning"));
  free(secs);
  dl_image_free(&img);
  dl_destroy(dl);
}

/* Unit B calls a function and reads a variable that unit A defines; the
 * context's table binds them, so B's image has no undefined symbols. */
static void test_dynlink_later_unit_uses_earlier_symbol(void **state) {
  (void)state;
  DlContext *dl = new_context();
  /* A: a_add: mov %rdi,%rax; add $100,%rax; ret. a_counter = 7 */
  static const unsigned char a_code[] = {0x48, 0x89, 0xf8, 0x48, 0x83, 0xc0, 0x64, 0xc3};
  long seven = 7;
  Obj a = {0};
  int at = text_section(&a, a_code, sizeof a_code);
  int ad = obj_section(&a, ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 8, &seven, 8);
  func(&a, "a_add", at, 0);
  obj_symbol(&a, "a_counter", ad, 0, 8, STB_GLOBAL, STT_OBJECT);
  size_t asize;
  unsigned char *aobj = obj_build(&a, &asize);
  link_load(dl, aobj, asize);
  free(aobj);

  /* B: b_fn: sub $8,%rsp; mov a_counter@GOTPCREL(%rip),%rax;
   *          mov (%rax),%rdi; call a_add@PLT; add $8,%rsp; ret */
  static const unsigned char b_code[] = {0x48, 0x83, 0xec, 0x08, 0x48, 0x8b, 0x05, 0,
                                         0,    0,    0,    0x48, 0x8b, 0x38, 0xe8, 0,
                                         0,    0,    0,    0x48, 0x83, 0xc4, 0x08, 0xc3};
  Obj b = {0};
  int bt = text_section(&b, b_code, sizeof b_code);
  func(&b, "b_fn", bt, 0);
  obj_rela(&b, bt, 7, R_X86_64_GOTPCREL, obj_undef(&b, "a_counter"), -4);
  obj_rela(&b, bt, 15, R_X86_64_PLT32, obj_undef(&b, "a_add"), -4);
  size_t bsize;
  unsigned char *bobj = obj_build(&b, &bsize);
  DlUnit *ub = link_load(dl, bobj, bsize);
  assert_int_equal(FN(ub, "b_fn", long (*)(void))(), 107);
  *(long *)dl_lookup(dl, "a_counter") = 8;
  assert_int_equal(FN(ub, "b_fn", long (*)(void))(), 108);
  if (have_readelf()) {
    DlImage img;
    DlError err = {{0}};
    assert_true(dl_link(dl, bobj, bsize, DL_PREBIND, &img, &err));
    char *syms = readelf(&img, "--dyn-syms");
    assert_int_equal(count_lines_with(syms, " UND "), 1);
    free(syms);
    dl_image_free(&img);
  }
  free(bobj);
  dl_destroy(dl);
}

/* 200 units define the same name: each load must map new code (a reused
 * path would hand back an earlier unit), and the table follows the last. */
static void test_dynlink_200_units_same_name_are_distinct(void **state) {
  (void)state;
  DlContext *dl = new_context();
  DlUnit *units[200];
  for (int k = 0; k < 200; k++) {
    size_t size;
    unsigned char *obj = const_object("same_name", k, &size);
    units[k] = link_load(dl, obj, size);
    free(obj);
  }
  for (int k = 0; k < 200; k++) assert_int_equal(FN(units[k], "same_name", int (*)(void))(), k);
  assert_int_equal(((int (*)(void))dl_lookup(dl, "same_name"))(), 199);
  assert_int_equal(dl_unit_count(dl), 200);
  dl_destroy(dl);
}

/* The memfd fallback: each unit keeps its descriptor open, so every
 * /proc/self/fd/N path is new and each load maps new code. */
static void test_dynlink_memfd_units_are_distinct(void **state) {
  (void)state;
  DlContext *dl = new_context();
  const char *dir = dl_load_dir(dl);
  char copy[4096] = "";
  if (dir) snprintf(copy, sizeof copy, "%s", dir);
  dl_use_memfd(dl);
  assert_null(dl_load_dir(dl));
  struct stat st;
  if (copy[0]) assert_int_equal(stat(copy, &st), -1);
  DlUnit *units[50];
  for (int k = 0; k < 50; k++) {
    size_t size;
    unsigned char *obj = const_object("memfd_fn", k, &size);
    units[k] = link_load(dl, obj, size);
    free(obj);
  }
  for (int k = 0; k < 50; k++) assert_int_equal(FN(units[k], "memfd_fn", int (*)(void))(), k);
  dl_destroy(dl);
}

static void test_dynlink_undefined_symbol_is_an_error(void **state) {
  (void)state;
  DlContext *dl = new_context();
  static const unsigned char code[] = {0xe9, 0, 0, 0, 0};
  Obj o = {0};
  int t = text_section(&o, code, sizeof code);
  func(&o, "f", t, 0);
  obj_rela(&o, t, 1, R_X86_64_PLT32, obj_undef(&o, "no_such_symbol_xyz"), -4);
  size_t size;
  unsigned char *obj = obj_build(&o, &size);
  DlImage img = {(unsigned char *)1, 1};
  DlError err = {{0}};
  assert_false(dl_link(dl, obj, size, DL_PREBIND, &img, &err));
  assert_string_equal(err.msg, "undefined symbol: no_such_symbol_xyz");
  assert_null(img.data);
  free(obj);
  dl_destroy(dl);
}

/* An unknown weak reference is 0, as ld makes it. */
static void test_dynlink_weak_undefined_is_null(void **state) {
  (void)state;
  DlContext *dl = new_context();
  /* mov weak@GOTPCREL(%rip),%rax; ret */
  static const unsigned char code[] = {0x48, 0x8b, 0x05, 0, 0, 0, 0, 0xc3};
  Obj o = {0};
  int t = text_section(&o, code, sizeof code);
  func(&o, "get_weak", t, 0);
  int w = obj_symbol(&o, "maybe_there_xyz", SHN_UNDEF, 0, 0, STB_WEAK, STT_NOTYPE);
  obj_rela(&o, t, 3, R_X86_64_GOTPCREL, w, -4);
  size_t size;
  unsigned char *obj = obj_build(&o, &size);
  DlUnit *u = link_load(dl, obj, size);
  assert_null(FN(u, "get_weak", void *(*)(void))());
  free(obj);
  dl_destroy(dl);
}

/* A COMMON symbol gets zeroed, aligned space in .bss; a read-only section
 * holding an absolute address is made writable so that it can be
 * relocated at load time. */
static void test_dynlink_common_symbol_and_relocated_rodata(void **state) {
  (void)state;
  DlContext *dl = new_context();
  /* get_common: mov common_var@GOTPCREL(%rip),%rax; ret */
  static const unsigned char code[] = {0x48, 0x8b, 0x05, 0, 0, 0, 0, 0xc3};
  Obj o = {0};
  int t = text_section(&o, code, sizeof code);
  int ro = obj_section(&o, ".rodata", SHT_PROGBITS, SHF_ALLOC, 8, NULL, 8);
  int fn = func(&o, "get_common", t, 0);
  obj_symbol(&o, "ro_ptr", ro, 0, 8, STB_GLOBAL, STT_OBJECT);
  int c = obj_symbol(&o, "common_var", SHN_COMMON, 64, 24, STB_GLOBAL, STT_OBJECT);
  obj_rela(&o, t, 3, R_X86_64_GOTPCREL, c, -4);
  obj_rela(&o, ro, 0, R_X86_64_64, fn, 0);
  size_t size;
  unsigned char *obj = obj_build(&o, &size);
  DlUnit *u = link_load(dl, obj, size);
  free(obj);
  unsigned char *var = FN(u, "get_common", unsigned char *(*)(void))();
  assert_ptr_equal(var, dl_unit_symbol(u, "common_var"));
  assert_int_equal((uintptr_t)var % 64, 0);
  for (int i = 0; i < 24; i++) assert_int_equal(var[i], 0);
  assert_ptr_equal(*(void **)dl_unit_symbol(u, "ro_ptr"), dl_unit_symbol(u, "get_common"));
  dl_destroy(dl);
}

static void test_dynlink_rejects_non_pic_relocation(void **state) {
  (void)state;
  DlContext *dl = new_context();
  /* mov $host_var,%eax; ret  (R_X86_64_32) */
  static const unsigned char code[] = {0xb8, 0, 0, 0, 0, 0xc3};
  Obj o = {0};
  int t = text_section(&o, code, sizeof code);
  func(&o, "f", t, 0);
  obj_rela(&o, t, 1, R_X86_64_32, obj_undef(&o, "host_var"), 0);
  size_t size;
  unsigned char *obj = obj_build(&o, &size);
  DlImage img;
  DlError err = {{0}};
  assert_false(dl_link(dl, obj, size, DL_PREBIND, &img, &err));
  assert_non_null(strstr(err.msg, "unsupported relocation type 10 (R_X86_64_32) in .text"));
  free(obj);
  dl_destroy(dl);
}

static void test_dynlink_rejects_non_elf_and_truncated(void **state) {
  (void)state;
  DlContext *dl = new_context();
  DlImage img;
  DlError err = {{0}};
  assert_false(dl_link(dl, "hello, world", 12, DL_PREBIND, &img, &err));
  assert_string_equal(err.msg, "not an ELF file");
  assert_false(dl_link(dl, "", 0, DL_PREBIND, &img, &err));
  assert_string_equal(err.msg, "not an ELF file");
  assert_false(dl_link(dl, NULL, 0, DL_PREBIND, &img, &err));
  size_t size;
  unsigned char *obj = main_object(&size);
  for (size_t n = 4; n < size; n++) {
    unsigned char *cut = malloc(n);
    memcpy(cut, obj, n);
    err.msg[0] = 0;
    assert_false(dl_link(dl, cut, n, DL_PREBIND, &img, &err));
    assert_true(err.msg[0] != 0);
    if (n < sizeof(Elf64_Ehdr) || n == size - 1) assert_non_null(strstr(err.msg, "truncated"));
    free(cut);
  }
  /* misaligned input is accepted (copied) */
  unsigned char *odd = malloc(size + 1);
  memcpy(odd + 1, obj, size);
  assert_true(dl_link(dl, odd + 1, size, DL_PREBIND, &img, &err));
  dl_image_free(&img);
  free(odd);
  free(obj);
  dl_destroy(dl);
}

/* Every single-bit corruption of an object, and random multi-byte ones,
 * must end in an image or an error — never a crash (run under valgrind or
 * the ASan build to make this bite). Results are not loaded. */
static void flip_bits_of(DlContext *dl, unsigned char *obj, size_t size) {
  unsigned char *bad = malloc(size);
  DlImage img;
  DlError err;
  int failures = 0;
  for (size_t i = 0; i < size; i++)
    for (int bit = 0; bit < 8; bit++) {
      memcpy(bad, obj, size);
      bad[i] ^= (unsigned char)(1u << bit);
      if (dl_link(dl, bad, size, DL_PREBIND, &img, &err)) dl_image_free(&img);
      else failures++;
    }
  uint32_t seed = 12345;
  for (int round = 0; round < 3000; round++) {
    memcpy(bad, obj, size);
    for (int k = 0; k < 4; k++) {
      seed = seed * 1103515245u + 12345u;
      bad[(seed >> 8) % size] = (unsigned char)(seed >> 24);
    }
    if (dl_link(dl, bad, size, DL_PREBIND, &img, &err)) dl_image_free(&img);
    else failures++;
  }
  assert_true(failures > 0);
  free(bad);
}

static void test_dynlink_survives_bit_flips(void **state) {
  (void)state;
  DlContext *dl = new_context();
  size_t size;
  unsigned char *obj = main_object(&size);
  flip_bits_of(dl, obj, size);
  free(obj);
  obj = from_hex(fixture_clang_O0, &size);
  flip_bits_of(dl, obj, size);
  free(obj);
  dl_destroy(dl);
}

/* Links the object o describes as a plugin would be (DL_DYNAMIC). */
static void link_plugin_image(Obj *o, DlImage *img) {
  size_t size;
  unsigned char *obj = obj_build(o, &size);
  DlError err = {{0}};
  if (!dl_link(NULL, obj, size, DL_DYNAMIC, img, &err)) fail_msg("dl_link: %s", err.msg);
  free(obj);
}

/* A DL_DYNAMIC image (a plugin) keeps its undefined symbols for ld.so and
 * loads with plain dlopen; no context is needed. */
static void test_dynlink_dynamic_mode_loads_with_dlopen(void **state) {
  (void)state;
  /* dyn_len: lea .rodata(%rip),%rdi; jmp strlen@PLT
   * dyn_env: mov environ@GOTPCREL(%rip),%rax; mov (%rax),%rax; ret */
  static const unsigned char code[] = {0x48, 0x8d, 0x3d, 0, 0, 0, 0, 0xe9, 0,    0,    0,   0,
                                       0x48, 0x8b, 0x05, 0, 0, 0, 0, 0x48, 0x8b, 0x00, 0xc3};
  Obj o = {0};
  int t = text_section(&o, code, sizeof code);
  int ro = obj_section(&o, ".rodata", SHT_PROGBITS, SHF_ALLOC, 1, "hello", 6);
  int d = obj_section(&o, ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 8, NULL, 8);
  func(&o, "dyn_len", t, 0);
  func(&o, "dyn_env", t, 12);
  obj_symbol(&o, "dyn_ptr", d, 0, 8, STB_GLOBAL, STT_OBJECT);
  int strl = obj_undef(&o, "strlen");
  obj_rela(&o, t, 3, R_X86_64_PC32, SECSYM(ro), -4);
  obj_rela(&o, t, 8, R_X86_64_PLT32, strl, -4);
  obj_rela(&o, t, 15, R_X86_64_GOTPCREL, obj_undef(&o, "environ"), -4);
  obj_rela(&o, d, 0, R_X86_64_64, strl, 0);
  DlImage img;
  link_plugin_image(&o, &img);

  char path[] = "/tmp/natml-plugin-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, img.data, img.size), (ssize_t)img.size);
  close(fd);
  void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  unlink(path);
  if (!h) fail_msg("dlopen: %s", dlerror());
  assert_int_equal(((size_t(*)(void))dlsym(h, "dyn_len"))(), 5);
  assert_ptr_equal(((char **(*)(void))dlsym(h, "dyn_env"))(), environ);
  assert_ptr_equal(*(void **)dlsym(h, "dyn_ptr"), dlsym(RTLD_DEFAULT, "strlen"));
  if (have_readelf()) {
    char *rel = readelf(&img, "-r");
    assert_non_null(strstr(rel, "R_X86_64_GLOB_DAT"));
    assert_non_null(strstr(rel, "R_X86_64_64 "));
    free(rel);
    char *syms = readelf(&img, "--dyn-syms");
    assert_non_null(strstr(syms, "UND strlen"));
    assert_non_null(strstr(syms, "UND environ"));
    free(syms);
  }
  dl_image_free(&img);
}

/* dl_image_read validates a linked shared object before anything maps
 * it (plugins are checked this way): it finds defined dynamic symbols and
 * their file offsets, calls a stranger's bytes foreign and a cut or
 * damaged image damaged, and never reads outside the buffer (ASan). */
static void test_dynlink_image_read_checks_before_mapping(void **state) {
  (void)state;
  Obj o = {0};
  int d = obj_section(&o, ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 8, "ABCDEFGHIJKLMNOP", 16);
  obj_symbol(&o, "img_word", d, 0, 8, STB_GLOBAL, STT_OBJECT);
  int strl = obj_undef(&o, "strlen");
  obj_rela(&o, d, 0, R_X86_64_64, strl, 0);
  obj_symbol(&o, "img_text", d, 8, 8, STB_GLOBAL, STT_OBJECT);
  DlImage img;
  DlError err = {{0}};
  link_plugin_image(&o, &img);

  DlImageView v;
  if (dl_image_read(&v, img.data, img.size, &err) != DL_IMAGE_OK) fail_msg("dl_image_read: %s", err.msg);
  const Elf64_Sym *word = dl_image_symbol(&v, "img_word");
  const Elf64_Sym *text = dl_image_symbol(&v, "img_text");
  assert_non_null(word);
  assert_non_null(text);
  assert_null(dl_image_symbol(&v, "strlen")); /* undefined: not the image's */
  assert_null(dl_image_symbol(&v, "img_none"));
  uint64_t off = dl_image_offset(&v, text->st_value, 4);
  assert_true(off != DL_NO_OFFSET);
  assert_memory_equal(img.data + off, "IJKL", 4); /* the word before is relocated */
  assert_true(dl_image_offset(&v, UINT64_MAX - 8, 4) == DL_NO_OFFSET);

  static const unsigned char hello[16] __attribute__((aligned(8))) = "hello, world";
  assert_int_equal(dl_image_read(&v, hello, sizeof hello, &err), DL_IMAGE_FOREIGN);
  assert_int_equal(dl_image_read(&v, img.data, 0, &err), DL_IMAGE_FOREIGN);
  /* Cut inside its program headers (bytes past the last segment, such as
   * section headers, are not read: a plugin's checksum covers those). */
  assert_int_equal(dl_image_read(&v, img.data, sizeof(Elf64_Ehdr) + 8, &err), DL_IMAGE_DAMAGED);
  /* Every byte flipped in turn: any status, but within the buffer. */
  unsigned char *bad = malloc(img.size);
  for (size_t i = 0; i < img.size; i++) {
    memcpy(bad, img.data, img.size);
    bad[i] ^= 0xff;
    if (dl_image_read(&v, bad, img.size, &err) == DL_IMAGE_OK) {
      dl_image_symbol(&v, "img_word");
      dl_image_offset(&v, text->st_value, 4);
    }
  }
  free(bad);
  dl_image_free(&img);
}

/* dl_load_file loads a plugin from disk and registers its symbols;
 * loading the same path again after the file changed maps the new code. */
static void test_dynlink_load_file_reloads_changed_plugin(void **state) {
  (void)state;
  DlContext *dl = new_context();
  char path[] = "/tmp/natml-plugin-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  for (int k = 1; k <= 2; k++) {
    size_t size;
    unsigned char *obj = const_object("plugin_version", k, &size);
    DlImage img;
    DlError err = {{0}};
    assert_true(dl_link(NULL, obj, size, DL_DYNAMIC, &img, &err));
    free(obj);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(img.data, 1, img.size, f), img.size);
    fclose(f);
    dl_image_free(&img);
    DlUnit *u = dl_load_file(dl, path, &err);
    if (!u) fail_msg("dl_load_file: %s", err.msg);
    assert_int_equal(FN(u, "plugin_version", int (*)(void))(), k);
    assert_int_equal(((int (*)(void))dl_lookup(dl, "plugin_version"))(), k);
  }
  DlError err = {{0}};
  assert_null(dl_load_file(dl, "/nonexistent/plugin.so", &err));
  assert_non_null(strstr(err.msg, "/nonexistent/plugin.so"));
  unlink(path);
  dl_destroy(dl);
}

static int count_entries(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return -1;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
  closedir(d);
  return n;
}

static void test_dynlink_destroy_removes_directory(void **state) {
  (void)state;
  DlContext *dl = new_context();
  const char *dir = dl_load_dir(dl);
  if (!dir) {
    dl_destroy(dl);
    skip(); /* memfd mode: no directory on this machine */
  }
  char copy[4096];
  snprintf(copy, sizeof copy, "%s", dir);
  struct stat st;
  assert_int_equal(stat(copy, &st), 0);
  assert_true(S_ISDIR(st.st_mode));
  assert_int_equal(st.st_mode & 0777, 0700);
  size_t size;
  unsigned char *obj = const_object("f", 1, &size);
  link_load(dl, obj, size);
  free(obj);
  assert_int_equal(count_entries(copy), 0); /* unlinked once loaded */
  dl_destroy(dl);
  assert_int_equal(stat(copy, &st), -1);
  assert_int_equal(errno, ENOENT);
}

/* A directory left by a session that was killed (its pid is gone) is
 * removed by the next session that loads from the same place. */
static void test_dynlink_create_sweeps_stale_directories(void **state) {
  (void)state;
  DlContext *probe = new_context();
  const char *dir = dl_load_dir(probe);
  if (!dir) {
    dl_destroy(probe);
    skip();
  }
  char parent[4096];
  snprintf(parent, sizeof parent, "%s", dir);
  *strrchr(parent, '/') = 0;
  dl_destroy(probe);
  /* Fork a child and let it exit: its pid is then certainly dead. */
  pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, NULL, 0);
  char stale[4200], file[4300];
  snprintf(stale, sizeof stale, "%s/natml-%ld-0-test", parent, (long)child);
  assert_int_equal(mkdir(stale, 0700), 0);
  snprintf(file, sizeof file, "%s/u0.so", stale);
  FILE *f = fopen(file, "w");
  assert_non_null(f);
  fclose(f);
  DlContext *dl = new_context();
  struct stat st;
  assert_int_equal(stat(stale, &st), -1);
  dl_destroy(dl);
}

static void test_dynlink_pick_dir_skips_unusable_candidates(void **state) {
  (void)state;
  char base[] = "/tmp/natml-pick-XXXXXX";
  assert_non_null(mkdtemp(base));
  char file[4200];
  snprintf(file, sizeof file, "%s/plain-file", base);
  FILE *f = fopen(file, "w");
  assert_non_null(f);
  fclose(f);
  const char *cands[] = {NULL, "", "/nonexistent/dir", file, base, "/tmp"};
  char out[4096];
  assert_true(dl_pick_dir(cands, 6, out, sizeof out));
  assert_int_equal(strncmp(out, base, strlen(base)), 0);
  assert_non_null(strstr(out, "/natml-"));
  struct stat st;
  assert_int_equal(stat(out, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0700);
  rmdir(out);
  const char *none[] = {NULL, "/nonexistent/dir", file};
  assert_false(dl_pick_dir(none, 3, out, sizeof out));
  /* a path too long for the buffer is skipped, not truncated */
  char tiny[8];
  assert_false(dl_pick_dir(cands + 4, 1, tiny, sizeof tiny));
  unlink(file);
  rmdir(base);
}

static void test_dynlink_keep_dir_writes_images(void **state) {
  (void)state;
  char keep[] = "/tmp/natml-keep-XXXXXX";
  assert_non_null(mkdtemp(keep));
  DlContext *dl = new_context();
  dl_set_keep_dir(dl, keep);
  for (int k = 0; k < 2; k++) {
    size_t size;
    unsigned char *obj = const_object("kept", k, &size);
    link_load(dl, obj, size);
    free(obj);
  }
  dl_set_keep_dir(dl, NULL);
  char path[4200];
  struct stat st;
  for (int k = 0; k < 2; k++) {
    snprintf(path, sizeof path, "%s/unit_%d.so", keep, k);
    assert_int_equal(stat(path, &st), 0);
    unlink(path);
  }
  dl_destroy(dl);
  assert_int_equal(rmdir(keep), 0);
}

static void test_dynlink_lookup_caches_host_and_redefines(void **state) {
  (void)state;
  DlContext *dl = new_context();
  void *p = dl_lookup(dl, "strlen");
  assert_ptr_equal(p, dlsym(RTLD_DEFAULT, "strlen"));
  assert_ptr_equal(dl_lookup(dl, "strlen"), p);
  dl_define(dl, "strlen", &host_var); /* a unit may shadow a host name */
  assert_ptr_equal(dl_lookup(dl, "strlen"), &host_var);
  char name[32];
  for (int i = 0; i < 5000; i++) {
    snprintf(name, sizeof name, "sym_%d", i);
    dl_define(dl, name, (void *)(uintptr_t)(i + 1));
  }
  for (int i = 0; i < 5000; i++) {
    snprintf(name, sizeof name, "sym_%d", i);
    assert_ptr_equal(dl_lookup(dl, name), (void *)(uintptr_t)(i + 1));
  }
  dl_destroy(dl);
}

static void check_llvm_fixture(const char *hex) {
  DlContext *dl = new_context();
  size_t size;
  unsigned char *obj = from_hex(hex, &size);
  DlUnit *u = link_load(dl, obj, size);
  free(obj);
  const char *(*name)(int) = FN(u, "fx_name", const char *(*)(int));
  long (*use)(long) = FN(u, "fx_use", long (*)(long));
  assert_non_null(name);
  assert_non_null(use);
  assert_string_equal(name(0), "zero");
  assert_string_equal(name(2), "two");
  /* counter 5 -> 6: 2*10 + 1000 + 6 */
  assert_int_equal(use(10), 1026);
  assert_int_equal(*(long *)dl_unit_symbol(u, "counter"), 6);
  assert_int_equal(use(0), 1007);
  dl_destroy(dl);
}

static void test_dynlink_links_clang_O0_object(void **state) {
  (void)state;
  check_llvm_fixture(fixture_clang_O0);
}

static void test_dynlink_links_clang_O2_object(void **state) {
  (void)state;
  check_llvm_fixture(fixture_clang_O2);
}

static void test_dynlink_links_llc_object_without_relaxation(void **state) {
  (void)state;
  check_llvm_fixture(fixture_llc_O0_norelax);
}

/* Not a pass/fail timing: prints the cost of linking a small object so a
 * regression is visible in the test log. */
static void test_dynlink_link_time_is_reported(void **state) {
  (void)state;
  DlContext *dl = new_context();
  size_t size;
  unsigned char *obj = from_hex(fixture_clang_O0, &size);
  DlImage img;
  DlError err;
  enum { N = 2000 };
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int i = 0; i < N; i++) {
    assert_true(dl_link(dl, obj, size, DL_PREBIND, &img, &err));
    dl_image_free(&img);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double us = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / 1e3 / N;
  printf("dl_link of a %zu-byte object: %.2f us\n", size, us);
  free(obj);
  dl_destroy(dl);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_dynlink_links_and_runs_hand_object),
      cmocka_unit_test(test_dynlink_registers_unit_symbols),
      cmocka_unit_test(test_dynlink_image_shape_checked_by_readelf),
      cmocka_unit_test(test_dynlink_later_unit_uses_earlier_symbol),
      cmocka_unit_test(test_dynlink_200_units_same_name_are_distinct),
      cmocka_unit_test(test_dynlink_memfd_units_are_distinct),
      cmocka_unit_test(test_dynlink_undefined_symbol_is_an_error),
      cmocka_unit_test(test_dynlink_weak_undefined_is_null),
      cmocka_unit_test(test_dynlink_common_symbol_and_relocated_rodata),
      cmocka_unit_test(test_dynlink_rejects_non_pic_relocation),
      cmocka_unit_test(test_dynlink_rejects_non_elf_and_truncated),
      cmocka_unit_test(test_dynlink_survives_bit_flips),
      cmocka_unit_test(test_dynlink_dynamic_mode_loads_with_dlopen),
      cmocka_unit_test(test_dynlink_load_file_reloads_changed_plugin),
      cmocka_unit_test(test_dynlink_destroy_removes_directory),
      cmocka_unit_test(test_dynlink_pick_dir_skips_unusable_candidates),
      cmocka_unit_test(test_dynlink_keep_dir_writes_images),
      cmocka_unit_test(test_dynlink_lookup_caches_host_and_redefines),
      cmocka_unit_test(test_dynlink_links_clang_O0_object),
      cmocka_unit_test(test_dynlink_links_clang_O2_object),
      cmocka_unit_test(test_dynlink_links_llc_object_without_relaxation),
      cmocka_unit_test(test_dynlink_link_time_is_reported),
      cmocka_unit_test(test_dynlink_image_read_checks_before_mapping),
      cmocka_unit_test(test_dynlink_create_sweeps_stale_directories),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
