/* dl_got.c — GOT slots, call stubs and the dynamic relocation list.
 *
 * A symbol the object reaches through the GOT gets one 8-byte slot in
 * .got. A call to a symbol outside the object goes through an 8-byte stub
 * at the end of .text, `jmp *slot(%rip)` — no PLT, no lazy binding, since
 * units are loaded with RTLD_NOW and most slots are pre-bound constants.
 * What goes into a slot depends on the symbol: a pre-bound address as is,
 * a local address with a RELATIVE relocation, an external one with
 * GLOB_DAT. RELATIVE relocations come first so DT_RELACOUNT covers them.
 */
#include "dl_internal.h"

#include <string.h>

void dl_need_got(DlLink *lk, uint32_t i) {
  DlSymInfo *si = &lk->si[i];
  if (si->got >= 0) return;
  si->got = (int32_t)lk->ngot++;
  if (si->kind == DL_SYM_DEFINED) lk->nrelative++;
  else if (si->kind == DL_SYM_DYNAMIC) lk->nsymbolic++;
}

void dl_need_stub(DlLink *lk, uint32_t i) {
  DlSymInfo *si = &lk->si[i];
  if (si->stub >= 0) return;
  si->stub = (int32_t)lk->nstub++;
  dl_need_got(lk, i);
}

uint64_t dl_got_address(const DlLink *lk, uint32_t i) { return lk->got.addr + 8u * (uint64_t)lk->si[i].got; }

uint64_t dl_stub_address(const DlLink *lk, uint32_t i) {
  return lk->stubs.addr + DL_STUB_SIZE * (uint64_t)lk->si[i].stub;
}

void dl_add_dynrel(DlLink *lk, uint64_t where, uint32_t dynidx, uint32_t type, int64_t addend) {
  Elf64_Rela *rela = (Elf64_Rela *)(lk->buf + lk->rela.off);
  uint32_t k = type == R_X86_64_RELATIVE ? lk->irelative++ : lk->nrelative + lk->isymbolic++;
  rela[k].r_offset = where;
  rela[k].r_info = ELF64_R_INFO(dynidx, type);
  rela[k].r_addend = addend;
}

/* Writes `jmp *slot(%rip)` followed by a 2-byte nop (66 90). */
static void write_stub(DlLink *lk, uint32_t i) {
  uint64_t at = dl_stub_address(lk, i);
  unsigned char *p = lk->buf + lk->stubs.off + (at - lk->stubs.addr);
  int32_t disp = (int32_t)(int64_t)(dl_got_address(lk, i) - (at + 6));
  p[0] = 0xff;
  p[1] = 0x25;
  memcpy(p + 2, &disp, 4);
  p[6] = 0x66;
  p[7] = 0x90;
}

void dl_write_got(DlLink *lk) {
  uint64_t *got = (uint64_t *)(lk->buf + lk->got.off);
  for (uint32_t i = 0; i < lk->obj.nsym; i++) {
    const DlSymInfo *si = &lk->si[i];
    if (si->got < 0) continue;
    uint64_t where = dl_got_address(lk, i);
    switch (si->kind) {
    case DL_SYM_ABSOLUTE: got[si->got] = si->value; break;
    case DL_SYM_DEFINED:
      got[si->got] = dl_sym_address(lk, i);
      dl_add_dynrel(lk, where, 0, R_X86_64_RELATIVE, (int64_t)got[si->got]);
      break;
    case DL_SYM_DYNAMIC:
      got[si->got] = 0;
      dl_add_dynrel(lk, where, si->dynidx, R_X86_64_GLOB_DAT, 0);
      break;
    case DL_SYM_UNSEEN: break; /* not reached: a referenced symbol is resolved */
    }
    if (si->stub >= 0) write_stub(lk, i);
  }
}
