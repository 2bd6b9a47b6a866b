/* cg_patch.c — the machine code of patchable entries (codegen.h): which
 * bytes LLVM puts at the start of a function compiled with
 * "patchable-function-entry", and the jump the toplevel's #trace writes
 * over them. Codegen owns this knowledge because it chose to emit the
 * entries; writing the bytes into mapped code is dynlink's job. x86-64. */
#include "cg.h"

#include <string.h>

void cg_session_patchable(CgSession *s, bool on) { s->patchable = on; }

/* The length of the NOP instruction at p (at most end - p bytes), or 0.
 * LLVM pads with the multi-byte NOPs Intel recommends: `90` and
 * `0f 1f /0` with any addressing form, behind operand-size (66) and
 * segment (2e) prefixes. */
static int nop_length(const unsigned char *p, const unsigned char *end) {
  const unsigned char *q = p;
  while (q < end && (*q == 0x66 || *q == 0x2e)) q++;
  if (q < end && *q == 0x90) return (int)(q + 1 - p);
  if (end - q < 3 || q[0] != 0x0f || q[1] != 0x1f) return 0;
  unsigned modrm = q[2];
  if (((modrm >> 3) & 7) != 0) return 0; /* nopl is 0f 1f /0 */
  q += 3;
  unsigned mod = modrm >> 6, rm = modrm & 7;
  if (mod != 3 && rm == 4) q++; /* SIB byte */
  if (mod == 1) q += 1;
  else if (mod == 2 || (mod == 0 && rm == 5)) q += 4;
  return q <= end ? (int)(q - p) : 0;
}

/* Whether [p, p + n) holds NOP instructions that end exactly at p + n. */
static bool nops(const unsigned char *p, int n) {
  const unsigned char *end = p + n;
  while (p < end) {
    int len = nop_length(p, end);
    if (len == 0) return false;
    p += len;
  }
  return true;
}

bool cg_patchable_entry(const void *code) {
  const unsigned char *p = code;
  return nops(p, CG_PATCH_ENTRY) && nops(p - CG_PATCH_PREFIX, CG_PATCH_PREFIX);
}

void cg_patch_jump(unsigned char out[CG_PATCH_BYTES], const void *target) {
  uint64_t t = (uint64_t)(uintptr_t)target;
  out[0] = 0x49; /* movabs $t, %r11 */
  out[1] = 0xbb;
  memcpy(out + 2, &t, 8);
  out[10] = 0x41; /* jmp *%r11 */
  out[11] = 0xff;
  out[12] = 0xe3;
  out[13] = 0xeb; /* jmp back over the prefix: rel8 = -(2 + 13) */
  out[14] = (unsigned char)(-(CG_PATCH_ENTRY + CG_PATCH_PREFIX));
}
