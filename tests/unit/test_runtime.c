/* test_runtime.c — unit tests of the runtime (runtime/): allocation and
 * the collector, string layout, polymorphic compare and hash, raising
 * through trap frames, number formatting and parsing, the stack check.
 */
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "natml_runtime.h"

/* Prototypes of the primitives, from the runtime's one list. */
#define ARGS_1               value
#define ARGS_2               value, value
#define ARGS_3               value, value, value
#define ARGS_4               value, value, value, value
#define ARGS_5               value, value, value, value, value
#define NML_PRIM(sym, arity) value sym(ARGS_##arity);
#include "primitives.def"
#undef NML_PRIM

/* ---- helpers -------------------------------------------------------------- */

static value str(const char *s) { return nml_copy_string(s); }
static value dbl(double d) { return nml_copy_double(d); }

static value tuple(int n, ...) {
  va_list ap;
  va_start(ap, n);
  value t = nml_alloc((mlsize_t)n, 0);
  for (int i = 0; i < n; i++) Field(t, i) = va_arg(ap, value);
  va_end(ap);
  return t;
}

/* The ML list [lo; lo+1; ...; hi-1]. */
static value int_list(long lo, long hi) {
  value l = Val_emptylist;
  for (long i = hi - 1; i >= lo; i--) l = nml_cons(Val_long(i), l);
  return l;
}

static long cmp(value a, value b) { return Long_val(nml_compare(a, b)); }
static bool eq(value a, value b) { return Bool_val(nml_equal(a, b)); }
static bool lt(value a, value b) { return Bool_val(nml_lessthan(a, b)); }

static long rss_kib(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  long pages = 0, resident = 0;
  if (f) {
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    fclose(f);
  }
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* Runs f(arg) inside a trap frame, as generated code enters a `try`.
 * Returns the exception raised, or 0 when f returned normally. */
static value catch_exn(void (*f)(void *), void *arg) {
  NmlTrap trap;
  trap.prev = nml_trap_top;
  nml_trap_top = &trap;
  if (nml_setjmp(trap.jb) == 0) {
    f(arg);
    nml_trap_top = trap.prev;
    return 0;
  }
  return nml_exn_bucket;
}

/* The constructor of an exception value (constant or with arguments). */
static value exn_constr(value e) { return Tag_val(e) == Object_tag ? e : Field(e, 0); }

/* ---- allocation ----------------------------------------------------------- */

static void test_runtime_alloc_basic(void **state) {
  (void)state;
  value b = nml_alloc(3, 7);
  assert_int_equal(Wosize_val(b), 3);
  assert_int_equal(Tag_val(b), 7);
  for (int i = 0; i < 3; i++) assert_true(Field(b, i) == Val_unit);
  value atom = nml_alloc(0, 0);
  assert_int_equal(Wosize_val(atom), 0);
  assert_int_equal(Tag_val(atom), 0);
  assert_true(nml_alloc(0, 0) == atom);
  assert_int_equal(Tag_val(nml_alloc(0, 5)), 5);
  assert_int_equal(Tag_val(nml_alloc(0, 255)), 255);
  value d = nml_copy_double(2.5);
  assert_int_equal(Tag_val(d), Double_tag);
  assert_true(Double_val(d) == 2.5);
  value c = nml_cons(Val_int(1), Val_emptylist);
  assert_true(Field(c, 0) == Val_int(1) && Field(c, 1) == Val_emptylist);
}

/* Allocates many times the live heap: the collector must keep RSS bounded
 * while a live list, reachable only from the C stack, survives intact. */
static void test_runtime_alloc_gc_stress(void **state) {
  (void)state;
  value keep = int_list(0, 10000);
  long before = rss_kib();
  for (int round = 0; round < 2000; round++) {
    value l = int_list(0, 5000); /* 5000 cons cells, ~160 KB each round */
    assert_true(Long_val(Field(l, 0)) == 0);
    value s = nml_alloc_string(1000);
    Bytes_val(s)[999] = 'x';
  }
  long after = rss_kib();
  /* ~320 MB allocated in all; the live data is well under 1 MB. */
  assert_true(after - before < 64 * 1024);
  long n = 0;
  for (value l = keep; Is_block(l); l = Field(l, 1), n++) assert_true(Long_val(Field(l, 0)) == n);
  assert_int_equal(n, 10000);
}

/* nml_alloc_young, the slow path of generated code's inline allocation:
 * right header, and a chain of blocks held only by a precise root (a
 * nml_alloc_roots table) survives many minor collections intact, moved
 * out of the nursery, with garbage of many sizes allocated in between. */
static void test_runtime_minor_promotes(void **state) {
  (void)state;
  value *root = nml_alloc_roots(1);
  uint64_t before = nml_minor_collections();
  for (long i = 0; i < 200000; i++) {
    value b = nml_alloc_young(3, 7);
    Field(b, 0) = root[0];
    Field(b, 1) = Val_long(i);
    Field(b, 2) = Val_long(-i);
    root[0] = b;
    for (mlsize_t w = 1; w < 40; w += 5) {
      value g = nml_alloc_young(w, 0);
      for (mlsize_t k = 0; k < w; k++) Field(g, k) = Val_long(k);
    }
  }
  nml_minor_collection();
  assert_true(nml_minor_collections() > before + 10);
  long n = 200000;
  for (value b = root[0]; Is_block(b); b = Field(b, 0)) {
    n--;
    assert_false(nml_is_young(b));
    assert_int_equal(Wosize_val(b), 3);
    assert_int_equal(Tag_val(b), 7);
    assert_true(Long_val(Field(b, 1)) == n && Long_val(Field(b, 2)) == -n);
  }
  assert_int_equal(n, 0);
  nml_free_roots(root);
  value d = nml_copy_double(2.5);
  assert_int_equal(Tag_val(d), Double_tag);
  assert_true(Double_val(d) == 2.5);
}

/* Stores a fresh young list into field i of an old block, through the
 * barrier; noinline so that no register or stack slot of the caller keeps
 * the list (it must be found from the old block alone). */
__attribute__((noinline)) static void store_young(value old, mlsize_t i, long len) {
  Field(old, i) = int_list(0, len);
  nml_write_barrier(&Field(old, i));
}

/* The write barrier: young values reachable only from an old block
 * survive minor collections and are promoted; Array.blit's bulk
 * remembering does the same for a whole block. */
static void test_runtime_minor_barrier(void **state) {
  (void)state;
  value *root = nml_alloc_roots(1);
  root[0] = nml_alloc(NML_MAX_YOUNG_WOSIZE + 10, 0); /* born old */
  value old = root[0];
  assert_false(nml_is_young(old));
  for (mlsize_t i = 0; i < 50; i++) {
    store_young(old, i, 1000);
    for (int k = 0; k < 20000; k++) nml_alloc(3, 0);
  }
  nml_minor_collection();
  for (mlsize_t i = 0; i < 50; i++) {
    long n = 0;
    for (value l = Field(old, i); Is_block(l); l = Field(l, 1), n++) {
      assert_false(nml_is_young(l));
      assert_true(Long_val(Field(l, 0)) == n);
    }
    assert_int_equal(n, 1000);
  }
  value src = nml_array_make(Val_long(4), int_list(0, 10));
  nml_array_blit(src, Val_long(0), old, Val_long(100), Val_long(4));
  src = Val_unit;
  for (int k = 0; k < 200000; k++) nml_alloc(3, 0);
  assert_int_equal(Long_val(Field(Field(Field(old, 103), 1), 0)), 1);
  nml_free_roots(root);
}

/* A block caught by a minor collection before its fields are stored
 * (generated code may allocate between a block's allocation and its
 * stores): its stale words must not be taken for pointers. */
static void test_runtime_minor_half_made_block(void **state) {
  (void)state;
  for (int round = 0; round < 50; round++) {
    value chain = Val_emptylist;
    for (int i = 0; i < 3000; i++) chain = nml_cons(Val_long(i), chain);
    value half = nml_alloc_young(8, 0); /* stale fields: old nursery words */
    nml_minor_collection();
    for (int k = 0; k < 8; k++) Field(half, k) = Val_long(k);
    nml_minor_collection();
    assert_true(Long_val(Field(half, 7)) == 7);
    assert_true(Long_val(Field(chain, 0)) == 2999);
  }
}

static void test_runtime_alloc_roots_survive(void **state) {
  (void)state;
  value *roots = nml_alloc_roots(4);
  roots[0] = str("rooted");
  for (int i = 0; i < 200000; i++) nml_alloc(4, 0);
  assert_string_equal(String_val(roots[0]), "rooted");
  nml_free_roots(roots);
}

/* ---- strings -------------------------------------------------------------- */

static void test_runtime_string_layout(void **state) {
  (void)state;
  for (mlsize_t len = 0; len < 40; len++) {
    value s = nml_alloc_string(len);
    mlsize_t wosize = (len + 8) / 8;
    assert_int_equal(Tag_val(s), String_tag);
    assert_int_equal(Wosize_val(s), wosize);
    assert_int_equal((unsigned char)Bp_val(s)[wosize * 8 - 1], wosize * 8 - 1 - len);
    assert_int_equal(Bp_val(s)[len], 0);
    assert_int_equal(nml_string_length(s), len);
  }
  value h = nml_copy_string("hello");
  assert_string_equal(String_val(h), "hello");
  assert_int_equal(Wosize_val(h), 1);
  assert_int_equal((unsigned char)Bp_val(h)[7], 2);
  value s = nml_copy_string_len("a\0b", 3);
  assert_int_equal(nml_string_length(s), 3);
  assert_string_equal(String_val(nml_string_concat(str("ab"), str("cd"))), "abcd");
  assert_string_equal(String_val(nml_string_sub(str("hello"), Val_int(1), Val_int(3))), "ell");
}

static void sub_out_of_range(void *arg) {
  (void)arg;
  nml_string_sub(str("abc"), Val_int(2), Val_int(2));
}

static void test_runtime_string_sub_checks(void **state) {
  (void)state;
  value e = catch_exn(sub_out_of_range, NULL);
  assert_true(e != 0 && exn_constr(e) == nml_exn_Invalid_argument);
  assert_string_equal(String_val(Field(e, 1)), "String.sub / Bytes.sub");
}

/* ---- compare -------------------------------------------------------------- */

static void test_runtime_compare_scalars(void **state) {
  (void)state;
  assert_int_equal(cmp(Val_int(1), Val_int(2)), -1);
  assert_int_equal(cmp(Val_int(2), Val_int(2)), 0);
  assert_int_equal(cmp(Val_long(-5), Val_int(3)), -1);
  assert_int_equal(cmp(str("abc"), str("abd")), -1);
  assert_int_equal(cmp(str("ab"), str("abc")), -1);
  assert_int_equal(cmp(str("b"), str("abc")), 1);
  assert_int_equal(cmp(str(""), str("")), 0);
  assert_int_equal(cmp(dbl(1.0), dbl(2.0)), -1);
  assert_int_equal(cmp(dbl(-0.0), dbl(0.0)), 0);
  /* Constant constructors (ints) sort before blocks. */
  assert_int_equal(cmp(Val_int(100), tuple(1, Val_int(0))), -1);
}

static void test_runtime_compare_nan(void **state) {
  (void)state;
  value nan1 = dbl(NAN), nan2 = dbl(NAN), one = dbl(1.0);
  assert_int_equal(cmp(nan1, nan2), 0);
  assert_int_equal(cmp(nan1, nan1), 0);
  assert_int_equal(cmp(nan1, one), -1);
  assert_int_equal(cmp(one, nan1), 1);
  assert_int_equal(cmp(nan1, dbl(-INFINITY)), -1);
  assert_false(eq(nan1, nan1));
  assert_false(eq(nan1, nan2));
  assert_true(Bool_val(nml_notequal(nan1, nan1)));
  assert_false(lt(nan1, one));
  assert_false(lt(one, nan1));
  assert_false(Bool_val(nml_lessequal(nan1, nan1)));
  assert_false(Bool_val(nml_greaterequal(nan1, nan1)));
  assert_false(Bool_val(nml_greaterthan(nan1, one)));
  /* Inside structures too. */
  value t = tuple(2, Val_int(1), nan1);
  assert_false(eq(t, t));
  assert_int_equal(cmp(t, t), 0);
  assert_int_equal(Long_val(nml_float_compare(nan1, one)), -1);
}

static void test_runtime_compare_structures(void **state) {
  (void)state;
  value a = tuple(2, Val_int(1), str("x"));
  value b = tuple(2, Val_int(1), str("y"));
  assert_int_equal(cmp(a, b), -1);
  assert_true(eq(a, tuple(2, Val_int(1), str("x"))));
  /* Nested: [[1]; [2; 3]] vs [[1]; [2; 4]]. */
  value l1 = nml_cons(int_list(1, 2), nml_cons(int_list(2, 4), Val_emptylist));
  value l2 = nml_cons(int_list(1, 2),
                      nml_cons(nml_cons(Val_int(2), nml_cons(Val_int(4), Val_emptylist)), Val_emptylist));
  assert_int_equal(cmp(l1, l2), -1);
  assert_int_equal(cmp(l2, l1), 1);
  /* Shorter list first: [] is an int, below any cons. */
  assert_int_equal(cmp(int_list(0, 3), int_list(0, 4)), -1);
  /* Tags before sizes: Some-like tag 0 vs tag 1 constructor. */
  value c0 = nml_alloc(2, 0), c1 = nml_alloc(1, 1);
  assert_int_equal(cmp(c0, c1), -1);
  /* Sizes before fields. */
  assert_int_equal(cmp(tuple(1, Val_int(9)), tuple(2, Val_int(0), Val_int(0))), -1);
  /* A long list compares without deep C recursion. */
  value big1 = int_list(0, 1000000), big2 = int_list(0, 1000000);
  assert_int_equal(cmp(big1, big2), 0);
  assert_true(eq(big1, big2));
  Field(big2, 0) = Val_int(-1);
  assert_int_equal(cmp(big1, big2), 1);
  /* Exceptions compare by identity. */
  assert_int_equal(cmp(nml_exn_Not_found, nml_exn_Not_found), 0);
  assert_true(cmp(nml_exn_Not_found, nml_exn_Failure) != 0);
}

static value closure_arg;
static void compare_closures(void *arg) {
  (void)arg;
  nml_equal(closure_arg, closure_arg);
}

static void test_runtime_compare_functional_value(void **state) {
  (void)state;
  value clo = nml_alloc(2, Closure_tag);
  Field(clo, 0) = (value)(void *)&compare_closures;
  Field(clo, 1) = Val_int(1);
  closure_arg = tuple(2, Val_int(1), clo);
  value e = catch_exn(compare_closures, NULL);
  assert_true(e != 0 && exn_constr(e) == nml_exn_Invalid_argument);
  assert_string_equal(String_val(Field(e, 1)), "compare: functional value");
  /* compare, unlike =, finds a value physically equal to itself at once. */
  assert_int_equal(cmp(clo, clo), 0);
}

/* ---- hash ----------------------------------------------------------------- */

static long hash(value v) { return Long_val(nml_hashtbl_hash(Val_int(10), Val_int(100), Val_int(0), v)); }

/* Expected values computed once with OCaml 4.13.1's toplevel, e.g.
 *   ocaml: Printf.printf "%d\n" (Hashtbl.hash (1, "a", 2.5))
 * (script: Hashtbl.hash / seeded_hash / hash_param over each input). */
static void test_runtime_hash_matches_ocaml(void **state) {
  (void)state;
  assert_int_equal(hash(Val_int(0)), 129913994);
  assert_int_equal(hash(Val_int(1)), 883721435);
  assert_int_equal(hash(Val_int(-1)), 911466517);
  assert_int_equal(hash(Val_int(42)), 395478795);
  assert_int_equal(hash(Val_long(INTPTR_MAX >> 1)), 952257787);
  assert_int_equal(hash(Val_long(INTPTR_MIN >> 1)), 69827754);
  assert_int_equal(hash(str("")), 0);
  assert_int_equal(hash(str("a")), 721651713);
  assert_int_equal(hash(str("abc")), 767105082);
  assert_int_equal(hash(str("hello world")), 1053319576);
  assert_int_equal(hash(dbl(0.0)), 256347020);
  assert_int_equal(hash(dbl(-0.0)), 256347020);
  assert_int_equal(hash(dbl(1.5)), 819188451);
  assert_int_equal(hash(dbl(NAN)), 841516429);
  assert_int_equal(hash(dbl(INFINITY)), 602560251);
  assert_int_equal(hash(tuple(2, Val_int(1), Val_int(2))), 1014741498);
  assert_int_equal(hash(tuple(3, Val_int(1), str("a"), dbl(2.5))), 936102592);
  assert_int_equal(hash(int_list(1, 4)), 794519639);
  assert_int_equal(hash(tuple(1, Val_int(3))), 771557183); /* Some 3 */
  assert_int_equal(hash(Val_true), 883721435);
  assert_int_equal(hash(Val_int('a')), 791031830);
  assert_int_equal(hash(Val_emptylist), 129913994);
  assert_int_equal(hash(int_list(0, 100)), 182325193);
  value ll = nml_cons(int_list(1, 2), nml_cons(int_list(2, 4), Val_emptylist));
  assert_int_equal(hash(ll), 344427802);
  assert_int_equal(hash(tuple(2, Val_int(1), Val_int(2))), 1014741498);
  assert_int_equal(Long_val(nml_hashtbl_hash(Val_int(10), Val_int(100), Val_int(7), str("abc"))), 194831480);
  assert_int_equal(Long_val(nml_hashtbl_hash(Val_int(5), Val_int(5), Val_int(0), int_list(0, 100))),
                   449577207);
}

/* ---- exceptions ----------------------------------------------------------- */

static void raise_failure(void *msg) { nml_failwith((const char *)msg); }

/* A frame whose context glibc's _setjmp saved (as C hosts written before
 * nml_setjmp do) still catches: nml_raise tells the two apart. */
static void test_runtime_raise_glibc_trap(void **state) {
  (void)state;
  NmlTrap *saved = nml_trap_top;
  NmlTrap trap;
  memset(&trap, 0xff, sizeof trap);
  trap.prev = nml_trap_top;
  nml_trap_top = &trap;
  if (_setjmp(*(jmp_buf *)(void *)trap.jb) == 0) { nml_raise_not_found(); }
  assert_ptr_equal(nml_trap_top, saved);
  assert_true(nml_exn_bucket == nml_exn_Not_found);
}

/* An inner try catches; the outer one is untouched; then the outer one
 * catches a raise made after the inner frame was popped. */
static void test_runtime_raise_nested_traps(void **state) {
  (void)state;
  NmlTrap *saved = nml_trap_top;
  NmlTrap outer, inner;
  volatile int stage = 0;
  outer.prev = nml_trap_top;
  nml_trap_top = &outer;
  if (nml_setjmp(outer.jb) == 0) {
    inner.prev = nml_trap_top;
    nml_trap_top = &inner;
    if (nml_setjmp(inner.jb) == 0) {
      stage = 1;
      nml_raise_not_found();
    } else {
      /* The raise popped the inner frame. */
      assert_ptr_equal(nml_trap_top, &outer);
      assert_true(nml_exn_bucket == nml_exn_Not_found);
      assert_int_equal(stage, 1);
      stage = 2;
    }
    nml_failwith("boom");
  } else {
    assert_int_equal(stage, 2);
    assert_ptr_equal(nml_trap_top, saved);
    value e = nml_exn_bucket;
    assert_true(Field(e, 0) == nml_exn_Failure);
    assert_string_equal(String_val(Field(e, 1)), "boom");
  }
  /* A try left normally pops its frame. */
  value e = catch_exn(raise_failure, "x");
  assert_true(e != 0);
  assert_ptr_equal(nml_trap_top, saved);
}

static void test_runtime_exception_format(void **state) {
  (void)state;
  char *s = nml_format_exception(nml_exn_Not_found);
  assert_string_equal(s, "Not_found");
  free(s);
  value e = tuple(2, nml_exn_Failure, str("boom"));
  s = nml_format_exception(e);
  assert_string_equal(s, "Failure(\"boom\")");
  free(s);
  e = tuple(2, nml_exn_Match_failure, tuple(3, str("f.ml"), Val_int(3), Val_int(7)));
  s = nml_format_exception(e);
  assert_string_equal(s, "Match_failure(\"f.ml\", 3, 7)");
  free(s);
  value my = nml_new_exception("Mine");
  e = tuple(3, my, Val_int(1), dbl(2.0));
  s = nml_format_exception(e);
  assert_string_equal(s, "Mine(1, _)");
  free(s);
  assert_string_equal(String_val(Field(nml_exn_Exit, 0)), "Stdlib.Exit");
  assert_string_equal(String_val(Field(nml_exn_Break, 0)), "Stdlib.Sys.Break");
}

/* An uncaught exception prints OCaml's fatal error and exits with 2. */
static void test_runtime_uncaught_exception_exits(void **state) {
  (void)state;
  int fds[2];
  assert_int_equal(pipe(fds), 0);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 2);
    nml_trap_top = NULL;
    nml_invalid_argument("index out of bounds");
  }
  close(fds[1]);
  char buf[256] = {0};
  ssize_t n = read(fds[0], buf, sizeof buf - 1);
  close(fds[0]);
  int status;
  waitpid(pid, &status, 0);
  assert_true(n > 0);
  assert_string_equal(buf, "Fatal error: exception Invalid_argument(\"index out of bounds\")\n");
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 2);
}

/* ---- numbers -------------------------------------------------------------- */

static void check_repr(double d, const char *expected) {
  char buf[32];
  nml_format_float_repr(d, buf);
  assert_string_equal(buf, expected);
}

static void test_runtime_float_format(void **state) {
  (void)state;
  check_repr(1.0, "1.");
  check_repr(0.1, "0.1");
  check_repr(1e20, "1e+20");
  check_repr(NAN, "nan");
  check_repr(INFINITY, "infinity");
  check_repr(-INFINITY, "neg_infinity");
  check_repr(-0.0, "-0.");
  check_repr(0.1 + 0.2, "0.300000000000000044");
  check_repr(4.94065645841e-324, "4.94065645841e-324");
  check_repr(123456789.0, "123456789.");
  /* string_of_float is %.12g plus "." (OCaml's valid_float_lexem). */
  assert_string_equal(String_val(nml_string_of_float(dbl(0.333333333333))), "0.333333333333");
  assert_string_equal(String_val(nml_string_of_float(dbl(1.0 / 3))), "0.333333333333");
  assert_string_equal(String_val(nml_string_of_float(dbl(5.0))), "5.");
  assert_string_equal(String_val(nml_string_of_float(dbl(INFINITY))), "inf");
  assert_string_equal(String_val(nml_string_of_float(dbl(-0.0))), "-0.");
  assert_string_equal(String_val(nml_format_float(str("%.3f"), dbl(3.14159))), "3.142");
  assert_true(Double_val(nml_float_of_string(str("1_000.5"))) == 1000.5);
  assert_true(Double_val(nml_float_of_string(str("0x1p4"))) == 16.0);
  assert_int_equal(Long_val(nml_float_classify(dbl(0.0))), 2);
  assert_int_equal(Long_val(nml_float_classify(dbl(NAN))), 4);
  assert_int_equal(Long_val(nml_float_classify(dbl(1e-310))), 1);
}

static value parse_result;
static void parse_int(void *s) { parse_result = nml_int_of_string(str((const char *)s)); }

/* The int for s, or LONG_MIN when int_of_string fails with its Failure. */
static long int_of(const char *s) {
  value e = catch_exn(parse_int, (void *)s);
  if (e == 0) return Long_val(parse_result);
  assert_true(exn_constr(e) == nml_exn_Failure);
  assert_string_equal(String_val(Field(e, 1)), "int_of_string");
  return LONG_MIN;
}

static void test_runtime_int_of_string(void **state) {
  (void)state;
  assert_int_equal(int_of("0"), 0);
  assert_int_equal(int_of("-42"), -42);
  assert_int_equal(int_of("+7"), 7);
  assert_int_equal(int_of("1_000_"), 1000);
  assert_int_equal(int_of("0x1F"), 31);
  assert_int_equal(int_of("0X1f"), 31);
  assert_int_equal(int_of("-0b101"), -5);
  assert_int_equal(int_of("0o17"), 15);
  assert_int_equal(int_of("0u99"), 99);
  assert_int_equal(int_of("4611686018427387903"), 4611686018427387903L);
  assert_int_equal(int_of("-4611686018427387904"), -4611686018427387904L);
  assert_int_equal(int_of("4611686018427387904"), LONG_MIN);
  assert_int_equal(int_of("0x7fffffffffffffff"), -1);
  assert_int_equal(int_of("0x3fffffffffffffff"), 4611686018427387903L);
  assert_int_equal(int_of("0x8000000000000000"), LONG_MIN);
  assert_int_equal(int_of(""), LONG_MIN);
  assert_int_equal(int_of("-"), LONG_MIN);
  assert_int_equal(int_of("_1"), LONG_MIN);
  assert_int_equal(int_of("12a"), LONG_MIN);
  assert_int_equal(int_of(" 1"), LONG_MIN);
  assert_int_equal(int_of("0x"), LONG_MIN);
  assert_int_equal(int_of("0b2"), LONG_MIN);
  assert_string_equal(String_val(nml_string_of_int(Val_long(-123))), "-123");
  assert_string_equal(String_val(nml_format_int(str("%x"), Val_int(-1))), "7fffffffffffffff");
  assert_string_equal(String_val(nml_format_int(str("%05d"), Val_int(42))), "00042");
}

/* ---- stack check ---------------------------------------------------------- */

/* The deepest frame deep() reached, to check that the limit is near the
 * real end of the stack rather than far above it. */
static char *deepest;
static volatile long depth_cap = LONG_MAX;

/* A recursive C function that checks the limit as an ML prologue does. */
static long __attribute__((noinline)) deep(long n) {
  char frame[64];
  char *sp = (char *)__builtin_frame_address(0);
  if (sp < nml_stack_limit) nml_stack_check_failed();
  deepest = sp;
  frame[n % 64] = (char)n;
  if (n >= depth_cap) return 0;
  long r = deep(n + 1);
  /* The barrier keeps optimising compilers from turning the recursion
   * into a loop (the frame must stay live across the call). */
  __asm__ volatile("" : : "r"(frame) : "memory");
  return r + frame[(n + 1) % 64];
}

static void run_deep(void *arg) {
  (void)arg;
  deep(0);
}

static void test_runtime_stack_overflow(void **state) {
  (void)state;
  char here;
  value e = catch_exn(run_deep, NULL);
  assert_true(e == nml_exn_Stack_overflow);
  /* Several MiB of the default 8 MiB stack were usable. */
  assert_true(&here - deepest > 4 * 1024 * 1024);
  /* And again: the limit is unchanged. */
  e = catch_exn(run_deep, NULL);
  assert_true(e == nml_exn_Stack_overflow);
}

static void prologue_once(void *arg) {
  (void)arg;
  if ((char *)__builtin_frame_address(0) < nml_stack_limit) nml_stack_check_failed();
}

static void test_runtime_sigint_raises_break(void **state) {
  (void)state;
  char *limit = nml_stack_limit;
  nml_catch_break(true);
  raise(SIGINT);
  assert_true(nml_stack_limit == (char *)UINTPTR_MAX);
  value e = catch_exn(prologue_once, NULL);
  assert_true(e == nml_exn_Break);
  assert_true(nml_stack_limit == limit);
  assert_true(catch_exn(prologue_once, NULL) == 0);
  nml_catch_break(false);
}

/* ---- primitive table ------------------------------------------------------ */

static void test_runtime_prim_table(void **state) {
  (void)state;
  const NmlPrimEntry *p = nml_prim_lookup("nml_string_sub");
  assert_non_null(p);
  assert_ptr_equal(p->addr, (void *)nml_string_sub);
  assert_int_equal(p->arity, 3);
  assert_null(nml_prim_lookup("nml_no_such_primitive"));
  assert_null(nml_prim_table[nml_prim_count].name);
}

static void test_runtime_array_prims(void **state) {
  (void)state;
  value a = nml_array_make(Val_int(5), Val_int(7));
  assert_int_equal(Wosize_val(a), 5);
  nml_array_set(a, Val_int(2), Val_int(9));
  value b = nml_array_append(a, nml_array_sub(a, Val_int(1), Val_int(2)));
  assert_int_equal(Wosize_val(b), 7);
  assert_true(Field(b, 6) == Val_int(9));
  value c = nml_array_concat(nml_cons(a, nml_cons(b, Val_emptylist)));
  assert_int_equal(Wosize_val(c), 12);
  assert_int_equal(Wosize_val(nml_array_make(Val_int(0), Val_unit)), 0);
}

int main(void) {
  int base;
  nml_init(&base);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_runtime_alloc_basic),
      cmocka_unit_test(test_runtime_alloc_gc_stress),
      cmocka_unit_test(test_runtime_minor_promotes),
      cmocka_unit_test(test_runtime_minor_barrier),
      cmocka_unit_test(test_runtime_minor_half_made_block),
      cmocka_unit_test(test_runtime_alloc_roots_survive),
      cmocka_unit_test(test_runtime_string_layout),
      cmocka_unit_test(test_runtime_string_sub_checks),
      cmocka_unit_test(test_runtime_compare_scalars),
      cmocka_unit_test(test_runtime_compare_nan),
      cmocka_unit_test(test_runtime_compare_structures),
      cmocka_unit_test(test_runtime_compare_functional_value),
      cmocka_unit_test(test_runtime_hash_matches_ocaml),
      cmocka_unit_test(test_runtime_raise_nested_traps),
      cmocka_unit_test(test_runtime_raise_glibc_trap),
      cmocka_unit_test(test_runtime_exception_format),
      cmocka_unit_test(test_runtime_uncaught_exception_exits),
      cmocka_unit_test(test_runtime_float_format),
      cmocka_unit_test(test_runtime_int_of_string),
      cmocka_unit_test(test_runtime_stack_overflow),
      cmocka_unit_test(test_runtime_sigint_raises_break),
      cmocka_unit_test(test_runtime_prim_table),
      cmocka_unit_test(test_runtime_array_prims),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
