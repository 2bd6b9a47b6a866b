/* dl_link.c — dl_link: one relocatable object in, one shared object out.
 *
 *   object bytes ─ elf_read ─▶ ElfObject (validated)
 *     ─ classify_symbols ─ dl_select_sections ─ dl_scan (resolve, GOT,
 *       stubs, counts) ─ dl_layout ─ elf_choose_dynsyms ─ elf_layout
 *     ─ elf_write ─ dl_write_got ─ dl_apply ─▶ DlImage
 *
 * Each step is one named function; all per-link memory hangs off one
 * DlLink and is released by link_free whatever step failed. The work is
 * linear in the object's size plus one table lookup per distinct
 * undefined symbol, independent of how many units are loaded.
 */
#include "dl_internal.h"

#include <stdlib.h>
#include <string.h>

bool dl_resolve_undefined(DlLink *lk, uint32_t i) {
  DlSymInfo *si = &lk->si[i];
  const Elf64_Sym *y = &lk->obj.sym[i];
  const char *name = lk->obj.str + y->st_name;
  int bind = ELF64_ST_BIND(y->st_info);
  if (bind == STB_LOCAL || !*name) return dl_fail(lk->err, "undefined local symbol %u '%s'", i, name);
  if (lk->mode == DL_DYNAMIC) {
    si->kind = DL_SYM_DYNAMIC;
    return true;
  }
  bool found = false;
  void *addr = lk->dl ? dl_lookup_found(lk->dl, name, &found) : NULL;
  if (!found && bind != STB_WEAK) return dl_fail(lk->err, "undefined symbol: %s", name);
  si->kind = DL_SYM_ABSOLUTE; /* an unknown weak symbol is 0, as with ld */
  si->value = (uint64_t)(uintptr_t)addr;
  return true;
}

uint64_t dl_sym_address(const DlLink *lk, uint32_t i) {
  const DlSymInfo *si = &lk->si[i];
  if (si->kind != DL_SYM_DEFINED) return si->value;
  const Elf64_Sym *y = &lk->obj.sym[i];
  if (y->st_shndx == SHN_COMMON) return lk->out[DL_OUT_BSS].addr + si->value;
  const ElfSection *s = &lk->obj.sec[y->st_shndx];
  return lk->out[s->out].addr + s->out_off + y->st_value;
}

/* Gives every symbol its kind as far as the object alone tells; undefined
 * ones wait for their first reference (dl_resolve_undefined), so symbols
 * nothing refers to cost no lookup. */
static bool classify_symbols(DlLink *lk) {
  lk->si = calloc(lk->obj.nsym, sizeof *lk->si);
  if (!lk->si) return dl_fail(lk->err, "out of memory");
  for (uint32_t i = 0; i < lk->obj.nsym; i++) {
    const Elf64_Sym *y = &lk->obj.sym[i];
    DlSymInfo *si = &lk->si[i];
    si->got = si->stub = -1;
    if (i == 0) {
      si->kind = DL_SYM_ABSOLUTE; /* "no symbol": the value 0 */
    } else if (y->st_shndx == SHN_UNDEF) {
      si->kind = DL_SYM_UNSEEN;
    } else if (y->st_shndx == SHN_ABS) {
      si->kind = DL_SYM_ABSOLUTE;
      si->value = y->st_value;
    } else {
      si->kind = DL_SYM_DEFINED;
    }
  }
  return true;
}

static void link_free(DlLink *lk) {
  elf_object_free(&lk->obj);
  free(lk->si);
  free(lk->dynsym);
  free(lk->buf);
}

bool dl_link(DlContext *dl, const void *obj, size_t size, DlLinkMode mode, DlImage *out, DlError *err) {
  DlLink lk;
  memset(&lk, 0, sizeof lk);
  lk.dl = dl;
  lk.mode = mode;
  lk.err = err;
  if (out) {
    out->data = NULL;
    out->size = 0;
  }
  if (!out) return dl_fail(err, "dl_link: no output image");
  if (mode == DL_PREBIND && !dl) return dl_fail(err, "dl_link: DL_PREBIND needs a context");
  bool ok = elf_read(&lk.obj, obj, size, err) && classify_symbols(&lk) && dl_select_sections(&lk) &&
            dl_scan(&lk) && dl_layout(&lk) && elf_choose_dynsyms(&lk) && elf_layout(&lk);
  if (ok) {
    elf_write(&lk);
    dl_write_got(&lk);
    ok = dl_apply(&lk);
  }
  if (ok) {
    out->data = lk.buf;
    out->size = lk.bufsize;
    lk.buf = NULL;
    if (dl) dl_keep_image(dl, out);
  }
  link_free(&lk);
  return ok;
}

void dl_image_free(DlImage *img) {
  if (!img) return;
  free(img->data);
  img->data = NULL;
  img->size = 0;
}
