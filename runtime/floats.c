/* floats.c — float primitives: parsing, formatting (string_of_float and the
 * toplevel's round-trip repr), classification and libm functions. Floats
 * are boxed Double_tag blocks in and out, as everywhere in the C calling
 * convention of primitives.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rt_internal.h"

value rt_format_double(const char *fmt, double d) {
  char buf[64];
  int len = snprintf(buf, sizeof buf, fmt, d);
  if (len < 0) len = 0;
  if ((size_t)len < sizeof buf) return nml_copy_string_len(buf, (size_t)len);
  char *big = malloc((size_t)len + 1);
  if (big == NULL) nml_raise_constant(nml_exn_Out_of_memory);
  snprintf(big, (size_t)len + 1, fmt, d);
  value r = nml_copy_string_len(big, (size_t)len);
  free(big);
  return r;
}

/* Printf's float conversions: fmt is "%[flags][width][.prec]c", c in
 * f F e E g G a A. */
value nml_format_float(value fmt, value d) { return rt_format_double(String_val(fmt), Double_val(d)); }

/* Appends "." when s has only digits and '-', as Stdlib.valid_float_lexem. */
static void add_dot_if_int(char *s) {
  for (char *p = s; *p; p++)
    if (!((*p >= '0' && *p <= '9') || *p == '-')) return;
  strcat(s, ".");
}

value nml_string_of_float(value d) {
  char buf[40];
  snprintf(buf, sizeof buf - 1, "%.12g", Double_val(d));
  add_dot_if_int(buf);
  return nml_copy_string(buf);
}

void nml_format_float_repr(double d, char *buf) {
  if (isnan(d)) {
    strcpy(buf, "nan");
    return;
  }
  if (isinf(d)) {
    strcpy(buf, d < 0 ? "neg_infinity" : "infinity");
    return;
  }
  static const char *const fmts[] = {"%.12g", "%.15g", "%.18g"};
  for (int i = 0; i < 3; i++) {
    snprintf(buf, 31, fmts[i], d);
    if (i == 2 || strtod(buf, NULL) == d) break;
  }
  add_dot_if_int(buf);
}

value nml_float_repr(value d) {
  char buf[32];
  nml_format_float_repr(Double_val(d), buf);
  return nml_copy_string(buf);
}

/* Reads a float as OCaml does: '_' ignored, strtod's syntax (decimal, hex,
 * nan, inf), nothing left over; Failure "float_of_string" otherwise. */
value nml_float_of_string(value s) {
  size_t len = nml_string_length(s);
  char small[64];
  char *buf = len < sizeof small ? small : malloc(len + 1);
  if (buf == NULL) nml_raise_constant(nml_exn_Out_of_memory);
  char *dst = buf;
  for (size_t i = 0; i < len; i++)
    if (String_val(s)[i] != '_') *dst++ = String_val(s)[i];
  *dst = '\0';
  char *end;
  double d = strtod(buf, &end);
  bool ok = dst != buf && end == dst;
  if (buf != small) free(buf);
  if (!ok) nml_failwith("float_of_string");
  return nml_copy_double(d);
}

/* Stdlib.fpclass: FP_normal, FP_subnormal, FP_zero, FP_infinite, FP_nan. */
value nml_float_classify(value d) {
  switch (fpclassify(Double_val(d))) {
  case FP_NORMAL: return Val_int(0);
  case FP_SUBNORMAL: return Val_int(1);
  case FP_ZERO: return Val_int(2);
  case FP_INFINITE: return Val_int(3);
  default: return Val_int(4);
  }
}

value nml_float_frexp(value d) {
  int e;
  double m = frexp(Double_val(d), &e);
  return rt_tuple2(nml_copy_double(m), Val_int(e));
}

value nml_float_ldexp(value d, value e) {
  intptr_t n = Long_val(e);
  if (n > INT32_MAX) n = INT32_MAX;
  if (n < INT32_MIN) n = INT32_MIN;
  return nml_copy_double(ldexp(Double_val(d), (int)n));
}

/* modf x = (fractional part, integral part). */
value nml_float_modf(value d) {
  double i;
  double f = modf(Double_val(d), &i);
  return rt_tuple2(nml_copy_double(f), nml_copy_double(i));
}

value nml_float_sign_bit(value d) { return Val_bool(signbit(Double_val(d))); }

value nml_float_fma(value a, value b, value c) {
  return nml_copy_double(fma(Double_val(a), Double_val(b), Double_val(c)));
}

/* The libm functions of one and two arguments. */
#define FLOAT_FN1(name, fn)                                                                                  \
  value nml_float_##name(value d) { return nml_copy_double(fn(Double_val(d))); }
#define FLOAT_FN2(name, fn)                                                                                  \
  value nml_float_##name(value a, value b) { return nml_copy_double(fn(Double_val(a), Double_val(b))); }
FLOAT_FN1(sqrt, sqrt)
FLOAT_FN1(cbrt, cbrt)
FLOAT_FN1(exp, exp)
FLOAT_FN1(exp2, exp2)
FLOAT_FN1(log, log)
FLOAT_FN1(log10, log10)
FLOAT_FN1(log2, log2)
FLOAT_FN1(expm1, expm1)
FLOAT_FN1(log1p, log1p)
FLOAT_FN1(cos, cos)
FLOAT_FN1(sin, sin)
FLOAT_FN1(tan, tan)
FLOAT_FN1(acos, acos)
FLOAT_FN1(asin, asin)
FLOAT_FN1(atan, atan)
FLOAT_FN1(cosh, cosh)
FLOAT_FN1(sinh, sinh)
FLOAT_FN1(tanh, tanh)
FLOAT_FN1(acosh, acosh)
FLOAT_FN1(asinh, asinh)
FLOAT_FN1(atanh, atanh)
FLOAT_FN1(erf, erf)
FLOAT_FN1(erfc, erfc)
FLOAT_FN1(trunc, trunc)
FLOAT_FN1(round, round)
FLOAT_FN1(ceil, ceil)
FLOAT_FN1(floor, floor)
FLOAT_FN2(atan2, atan2)
FLOAT_FN2(hypot, hypot)
FLOAT_FN2(pow, pow)
FLOAT_FN2(fmod, fmod)
FLOAT_FN2(copysign, copysign)
FLOAT_FN2(nextafter, nextafter)
