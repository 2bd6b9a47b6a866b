/* str.c — primitives on strings and bytes behind String and Bytes: creation,
 * blits, fills, checked access, sub and concatenation. Strings keep OCaml's
 * layout (see nml_alloc_string); length is a compiler built-in.
 */
#include <string.h>
#include "rt_internal.h"

/* The longest string a block can hold, as OCaml's Sys.max_string_length. */
#define MAX_STRING_LENGTH (((mlsize_t)1 << 54) * sizeof(value) - 1)

value nml_bytes_create(value n) {
  intptr_t len = Long_val(n);
  if (len < 0 || (mlsize_t)len > MAX_STRING_LENGTH) nml_invalid_argument("Bytes.create");
  return nml_alloc_string((mlsize_t)len);
}

/* Bytes.unsafe_fill b ofs len c */
value nml_bytes_fill(value b, value ofs, value len, value c) {
  memset(Bytes_val(b) + Long_val(ofs), (int)Long_val(c), Long_val(len));
  return Val_unit;
}

/* Bytes.unsafe_blit / unsafe_blit_string: src soff dst doff len. */
value nml_bytes_blit(value src, value soff, value dst, value doff, value len) {
  memmove(Bytes_val(dst) + Long_val(doff), Bytes_val(src) + Long_val(soff), Long_val(len));
  return Val_unit;
}

value nml_string_blit(value src, value soff, value dst, value doff, value len) {
  return nml_bytes_blit(src, soff, dst, doff, len);
}

value nml_string_get(value s, value i) {
  intptr_t k = Long_val(i);
  if (k < 0 || (mlsize_t)k >= nml_string_length(s)) nml_array_bound_error();
  return Val_int(Bytes_val(s)[k]);
}

value nml_bytes_get(value b, value i) { return nml_string_get(b, i); }

value nml_bytes_set(value b, value i, value c) {
  intptr_t k = Long_val(i);
  if (k < 0 || (mlsize_t)k >= nml_string_length(b)) nml_array_bound_error();
  Bytes_val(b)[k] = (unsigned char)Long_val(c);
  return Val_unit;
}

/* String.sub and Bytes.sub, checked as OCaml's. */
value nml_string_sub(value s, value ofs, value len) {
  intptr_t o = Long_val(ofs), l = Long_val(len);
  intptr_t n = (intptr_t)nml_string_length(s);
  if (o < 0 || l < 0 || o > n - l) nml_invalid_argument("String.sub / Bytes.sub");
  return nml_copy_string_len(String_val(s) + o, (size_t)l);
}

value nml_bytes_sub(value b, value ofs, value len) { return nml_string_sub(b, ofs, len); }

/* A fresh copy: Bytes.of_string, Bytes.to_string, Bytes.copy. */
value nml_string_copy(value s) { return nml_copy_string_len(String_val(s), nml_string_length(s)); }

value nml_string_concat(value a, value b) {
  mlsize_t la = nml_string_length(a), lb = nml_string_length(b);
  value r = nml_alloc_string(la + lb);
  memcpy(Bytes_val(r), String_val(a), la);
  memcpy(Bytes_val(r) + la, String_val(b), lb);
  return r;
}

/* Stdlib.string_of_bool, and bool_of_string raising Invalid_argument. */
value nml_string_of_bool(value b) { return nml_copy_string(Bool_val(b) ? "true" : "false"); }
