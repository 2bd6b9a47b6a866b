/* compare.c — polymorphic comparison with OCaml's semantics (runtime/
 * compare.c): integers before blocks, blocks ordered by tag, then size,
 * then fields left to right; strings by bytes then length; floats by IEEE
 * order, with nan equal to itself and below everything in the total order
 * of `compare`. Fields still to visit go on an explicit stack, so long
 * lists do not recurse in C.
 */
#include <stdlib.h>
#include <string.h>
#include "rt_internal.h"

/* The result when a nan makes two values unordered (= < > all false). */
#define UNORDERED INTPTR_MIN

typedef struct CompareItem {
  value v1, v2;
  mlsize_t next, size; /* fields next..size-1 remain */
} CompareItem;

typedef struct CompareStack {
  CompareItem *items;
  size_t len, cap;
  CompareItem init[64];
} CompareStack;

static void stack_free(CompareStack *s) {
  if (s->items != s->init) free(s->items);
}

static void stack_push(CompareStack *s, value v1, value v2, mlsize_t size) {
  if (s->len == s->cap) {
    size_t cap = s->cap * 2;
    CompareItem *n = malloc(cap * sizeof *n);
    if (n == NULL) {
      stack_free(s);
      nml_raise_constant(nml_exn_Out_of_memory);
    }
    memcpy(n, s->items, s->len * sizeof *n);
    stack_free(s);
    s->items = n;
    s->cap = cap;
  }
  s->items[s->len++] = (CompareItem){v1, v2, 1, size};
}

static NML_NORETURN void compare_error(CompareStack *s, const char *msg) {
  stack_free(s);
  nml_invalid_argument(msg);
}

/* Compares two floats; total selects compare's order over IEEE's. */
static intptr_t compare_doubles(double d1, double d2, bool total) {
  if (d1 < d2) return -1;
  if (d1 > d2) return 1;
  if (d1 != d2) {
    if (!total) return UNORDERED;
    if (d1 == d1) return 1;  /* d2 is nan */
    if (d2 == d2) return -1; /* d1 is nan */
  }
  return 0;
}

/* Compares one pair of values without descending into fields; a block
 * pair whose fields need comparing is pushed on s. */
static intptr_t compare_one(CompareStack *s, value v1, value v2, bool total) {
  if (v1 == v2 && total) return 0;
  if (Is_long(v1)) {
    if (v1 == v2) return 0;
    if (Is_long(v2)) return Long_val(v1) - Long_val(v2);
    return -1;
  }
  if (Is_long(v2)) return 1;
  tag_t t1 = Tag_val(v1), t2 = Tag_val(v2);
  if (t1 == Infix_tag) t1 = Closure_tag;
  if (t2 == Infix_tag) t2 = Closure_tag;
  if (t1 != t2) return (intptr_t)t1 - (intptr_t)t2;
  switch (t1) {
  case String_tag: {
    if (v1 == v2) return 0;
    mlsize_t l1 = nml_string_length(v1), l2 = nml_string_length(v2);
    int r = memcmp(String_val(v1), String_val(v2), l1 <= l2 ? l1 : l2);
    if (r != 0) return r < 0 ? -1 : 1;
    return (intptr_t)l1 - (intptr_t)l2;
  }
  case Double_tag: return compare_doubles(Double_val(v1), Double_val(v2), total);
  case Double_array_tag: {
    mlsize_t n1 = Wosize_val(v1), n2 = Wosize_val(v2);
    if (n1 != n2) return (intptr_t)n1 - (intptr_t)n2;
    for (mlsize_t i = 0; i < n1; i++) {
      intptr_t r = compare_doubles(Double_field(v1, i), Double_field(v2, i), total);
      if (r != 0) return r;
    }
    return 0;
  }
  case Abstract_tag: compare_error(s, "compare: abstract value");
  case Closure_tag: compare_error(s, "compare: functional value");
  case Object_tag: {
    intptr_t o1 = Long_val(Field(v1, 1)), o2 = Long_val(Field(v2, 1));
    return o1 - o2;
  }
  case Custom_tag: compare_error(s, "compare: abstract value");
  default: {
    mlsize_t n1 = Wosize_val(v1), n2 = Wosize_val(v2);
    if (n1 != n2) return (intptr_t)n1 - (intptr_t)n2;
    if (n1 > 0) stack_push(s, v1, v2, n1);
    return 0;
  }
  }
}

static intptr_t compare_val(value v1, value v2, bool total) {
  CompareStack s;
  s.items = s.init;
  s.len = 0;
  s.cap = sizeof s.init / sizeof s.init[0];
  intptr_t r = compare_one(&s, v1, v2, total);
  while (r == 0 && s.len > 0) {
    CompareItem *it = &s.items[s.len - 1];
    /* Fields of a block go left to right; the first is taken at once,
     * the rest when the ones before them compared equal. */
    mlsize_t i = it->next - 1;
    value a = Field(it->v1, i), b = Field(it->v2, i);
    if (it->next == it->size) s.len--;
    else it->next++;
    r = compare_one(&s, a, b, total);
  }
  stack_free(&s);
  return r;
}

value nml_compare(value a, value b) {
  intptr_t r = compare_val(a, b, true);
  return Val_int(r < 0 ? -1 : r > 0 ? 1 : 0);
}

value nml_equal(value a, value b) { return Val_bool(compare_val(a, b, false) == 0); }

value nml_notequal(value a, value b) { return Val_bool(compare_val(a, b, false) != 0); }

value nml_lessthan(value a, value b) {
  intptr_t r = compare_val(a, b, false);
  return Val_bool(r < 0 && r != UNORDERED);
}

value nml_lessequal(value a, value b) {
  intptr_t r = compare_val(a, b, false);
  return Val_bool(r <= 0 && r != UNORDERED);
}

value nml_greaterthan(value a, value b) { return Val_bool(compare_val(a, b, false) > 0); }

value nml_greaterequal(value a, value b) { return Val_bool(compare_val(a, b, false) >= 0); }

/* Specialised comparisons behind String, Float and Int (caml_string_*). */
value nml_string_equal(value a, value b) {
  mlsize_t l1 = nml_string_length(a);
  return Val_bool(a == b || (l1 == nml_string_length(b) && memcmp(String_val(a), String_val(b), l1) == 0));
}

value nml_string_compare(value a, value b) {
  CompareStack s = {0};
  intptr_t r = compare_one(&s, a, b, true);
  return Val_int(r < 0 ? -1 : r > 0 ? 1 : 0);
}

value nml_float_compare(value a, value b) {
  intptr_t r = compare_doubles(Double_val(a), Double_val(b), true);
  return Val_int(r);
}
