/* array.c — primitives behind Array: creation, checked access, sub,
 * append, concat, blit and fill. natml has no flat float arrays: a float
 * element is always a boxed Double_tag block, so every array is a plain
 * block of tag 0 and zero-length arrays are the tag-0 atom.
 */
#include <string.h>
#include "rt_internal.h"

/* The longest array, as OCaml's Sys.max_array_length on 64-bit hosts. */
#define MAX_ARRAY_LENGTH (((mlsize_t)1 << 54) - 1)

static value alloc_array(mlsize_t len) { return nml_alloc(len, 0); }

value nml_array_make(value n, value init) {
  intptr_t len = Long_val(n);
  if (len < 0 || (mlsize_t)len > MAX_ARRAY_LENGTH) nml_invalid_argument("Array.make");
  if (len > NML_MAX_YOUNG_WOSIZE) return rt_alloc_old_filled((mlsize_t)len, init);
  value a = alloc_array((mlsize_t)len);
  for (intptr_t i = 0; i < len; i++) Field(a, i) = init;
  return a;
}

value nml_array_get(value a, value i) {
  intptr_t k = Long_val(i);
  if (k < 0 || (mlsize_t)k >= Wosize_val(a)) nml_array_bound_error();
  return Field(a, k);
}

value nml_array_set(value a, value i, value v) {
  intptr_t k = Long_val(i);
  if (k < 0 || (mlsize_t)k >= Wosize_val(a)) nml_array_bound_error();
  Field(a, k) = v;
  nml_write_barrier(&Field(a, k));
  return Val_unit;
}

/* Array.unsafe_sub a ofs len: bounds are checked by Array.sub in ML. */
value nml_array_sub(value a, value ofs, value len) {
  mlsize_t n = (mlsize_t)Long_val(len);
  value r = alloc_array(n);
  memcpy(Op_val(r), Op_val(a) + Long_val(ofs), n * sizeof(value));
  return r;
}

value nml_array_append(value a1, value a2) {
  mlsize_t n1 = Wosize_val(a1), n2 = Wosize_val(a2);
  if (n1 + n2 > MAX_ARRAY_LENGTH) nml_invalid_argument("Array.append");
  value r = alloc_array(n1 + n2);
  memcpy(Op_val(r), Op_val(a1), n1 * sizeof(value));
  memcpy(Op_val(r) + n1, Op_val(a2), n2 * sizeof(value));
  return r;
}

/* Array.concat of an ML list of arrays. */
value nml_array_concat(value list) {
  mlsize_t total = 0;
  for (value l = list; Is_block(l); l = Field(l, 1)) {
    total += Wosize_val(Field(l, 0));
    if (total > MAX_ARRAY_LENGTH) nml_invalid_argument("Array.concat");
  }
  value r = alloc_array(total);
  mlsize_t pos = 0;
  for (value l = list; Is_block(l); l = Field(l, 1)) {
    value a = Field(l, 0);
    memcpy(Op_val(r) + pos, Op_val(a), Wosize_val(a) * sizeof(value));
    pos += Wosize_val(a);
  }
  return r;
}

/* Array.unsafe_blit src soff dst doff len (overlapping allowed). */
value nml_array_blit(value src, value soff, value dst, value doff, value len) {
  memmove(Op_val(dst) + Long_val(doff), Op_val(src) + Long_val(soff), Long_val(len) * sizeof(value));
  nml_remember_block(dst);
  return Val_unit;
}

/* Array.unsafe_fill a ofs len v */
value nml_array_fill(value a, value ofs, value len, value v) {
  intptr_t o = Long_val(ofs), n = Long_val(len);
  for (intptr_t i = 0; i < n; i++) Field(a, o + i) = v;
  nml_remember_block(a);
  return Val_unit;
}
