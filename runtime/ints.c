/* ints.c — integer conversions behind int_of_string, string_of_int and
 * Printf's integer conversions, with OCaml's rules (runtime/ints.c):
 * optional sign, 0x 0o 0b 0u prefixes, '_' separators after the first
 * digit, and Failure "int_of_string" on anything else or on overflow.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rt_internal.h"

static int parse_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

static const char *parse_sign_and_base(const char *p, int *base, bool *signedness, int *sign) {
  *sign = 1;
  if (*p == '-') {
    *sign = -1;
    p++;
  } else if (*p == '+') {
    p++;
  }
  *base = 10;
  *signedness = true;
  if (*p == '0') {
    switch (p[1]) {
    case 'x':
    case 'X':
      *base = 16;
      *signedness = false;
      p += 2;
      break;
    case 'o':
    case 'O':
      *base = 8;
      *signedness = false;
      p += 2;
      break;
    case 'b':
    case 'B':
      *base = 2;
      *signedness = false;
      p += 2;
      break;
    case 'u':
    case 'U':
      *signedness = false;
      p += 2;
      break;
    default: break;
    }
  }
  return p;
}

/* Parses an integer of nbits bits (63 for int), as caml's parse_intnat. */
static intptr_t parse_intnat(value s, int nbits, const char *errmsg) {
  const char *start = String_val(s);
  const char *end = start + nml_string_length(s);
  int base, sign;
  bool signedness;
  const char *p = parse_sign_and_base(start, &base, &signedness, &sign);
  uintptr_t threshold = UINTPTR_MAX / base;
  int d = parse_digit(*p);
  if (d < 0 || d >= base) nml_failwith(errmsg);
  uintptr_t res = d;
  for (p++;; p++) {
    char c = *p;
    if (c == '_') continue;
    d = parse_digit(c);
    if (d < 0 || d >= base) break;
    if (res > threshold) nml_failwith(errmsg);
    res = base * res + d;
    if (res < (uintptr_t)d) nml_failwith(errmsg);
  }
  if (p != end) nml_failwith(errmsg);
  if (signedness) {
    if (sign < 0) {
      if (res > (uintptr_t)1 << (nbits - 1)) nml_failwith(errmsg);
    } else {
      if (res >= (uintptr_t)1 << (nbits - 1)) nml_failwith(errmsg);
    }
  } else {
    if (nbits < 64 && res >= (uintptr_t)1 << nbits) nml_failwith(errmsg);
  }
  return sign < 0 ? -(intptr_t)res : (intptr_t)res;
}

value nml_int_of_string(value s) { return Val_long(parse_intnat(s, 63, "int_of_string")); }

value nml_string_of_int(value n) {
  char buf[32];
  int len = snprintf(buf, sizeof buf, "%ld", (long)Long_val(n));
  return nml_copy_string_len(buf, (size_t)len);
}

/* Printf's integer conversions: fmt is "%[flags][width][.prec]c" with c in
 * d i u x X o; the argument is an int, printed as a long. */
value nml_format_int(value fmt, value n) {
  size_t flen = nml_string_length(fmt);
  if (flen == 2 && String_val(fmt)[1] == 'd') return nml_string_of_int(n);
  char *f = malloc(flen + 2);
  if (f == NULL) nml_raise_constant(nml_exn_Out_of_memory);
  memcpy(f, String_val(fmt), flen - 1);
  f[flen - 1] = 'l';
  f[flen] = String_val(fmt)[flen - 1];
  f[flen + 1] = '\0';
  /* Unsigned conversions see the 63 bits of the int, as OCaml's. */
  char conv = String_val(fmt)[flen - 1];
  long arg = (conv == 'u' || conv == 'x' || conv == 'X' || conv == 'o') ? (long)((uintptr_t)n >> 1)
                                                                        : (long)Long_val(n);
  int len = snprintf(NULL, 0, f, arg);
  value r = nml_alloc_string((mlsize_t)(len < 0 ? 0 : len));
  char *tmp = malloc((size_t)len + 1);
  if (tmp != NULL) {
    snprintf(tmp, (size_t)len + 1, f, arg);
    memcpy(Bytes_val(r), tmp, (size_t)len);
    free(tmp);
  }
  free(f);
  return r;
}
