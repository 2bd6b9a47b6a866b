/* test_plugins.c — unit tests of plugins/ (natml.h): the digest, the
 * descriptor as natmlc writes it, the checks every plugin file passes
 * (not ELF, another ELF, every truncation, every single-bit flip, another
 * ABI version), and the embedding API loading the plugins the build made
 * with natmlc -shared (tests/plugins/): calls, plugins using plugins, and
 * every refusal, after which the process goes on. This executable links
 * no LLVM, like any C host.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <gc/gc.h>

#include "natml.h"
#include "natml_runtime.h"

#define P(name) PLUGIN_DIR "/" name

/* A local of main: the runtime's stack base. */
static void *stack_base;

/* ---- helpers -------------------------------------------------------------- */

static unsigned char *slurp(const char *path, size_t *size) {
  unsigned char *d = natml_read_file(path, size);
  assert_non_null(d);
  return d;
}

/* The offset of the descriptor in a plugin's bytes (its magic). */
static size_t descriptor_offset(const unsigned char *d, size_t size) {
  for (size_t i = 0; i + 8 <= size; i += 8)
    if (memcmp(d + i, NATML_PLUGIN_MAGIC, 8) == 0) return i;
  fail_msg("no descriptor");
  return 0;
}

static NatmlCheck check_bytes(const unsigned char *d, size_t size, char *err, size_t errsz) {
  NatmlPluginInfo info;
  /* An aligned copy, as natml_read_file would give. */
  unsigned char *copy = malloc(size ? size : 1);
  assert_non_null(copy);
  memcpy(copy, d, size);
  NatmlCheck c = natml_plugin_check("x.so", copy, size, &info, err, errsz);
  natml_plugin_info_free(&info);
  free(copy);
  return c;
}

static char *write_temp(const unsigned char *d, size_t size) {
  char *path = strdup("/tmp/natml-test-plugin-XXXXXX.so");
  int fd = mkstemps(path, 3);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, d, size), (ssize_t)size);
  close(fd);
  return path;
}

/* ---- format ------------------------------------------------------------------ */

static void test_plugins_digest(void **state) {
  (void)state;
  unsigned char d[NATML_DIGEST_SIZE], e[NATML_DIGEST_SIZE];
  char hex[33];
  natml_digest("", 0, d);
  natml_digest_hex(d, hex);
  /* FNV-1a-128's offset basis, little-endian. */
  assert_string_equal(hex, "8dc595627521b8624201bb072e27626c");
  natml_digest("val x : int", 11, d);
  natml_digest("val x : int ", 12, e);
  assert_memory_not_equal(d, e, sizeof d);
}

static void test_plugins_descriptor(void **state) {
  (void)state;
  size_t size;
  unsigned char *d = slurp(P("multi.so"), &size);
  NatmlPluginInfo info;
  char err[512];
  assert_int_equal(natml_plugin_check("multi.so", d, size, &info, err, sizeof err), NATML_CHECK_OK);
  assert_int_equal(info.abi, NATML_PLUGIN_ABI);
  assert_int_equal(info.nunits, 2);
  assert_string_equal(info.units[0].name, "Alpha");
  assert_string_equal(info.units[1].name, "Beta");
  assert_string_equal(info.units[0].entry, "nml_entry_Alpha");
  assert_int_equal(info.units[0].nvalues, 2);
  assert_string_equal(info.units[0].values[1].name, "greet");
  assert_non_null(strstr(info.units[1].source, "Alpha.greet"));
  bool has_list = false, has_alpha = false;
  for (int i = 0; i < info.nimports; i++) {
    has_list |= strcmp(info.imports[i].name, "List") == 0;
    has_alpha |= strcmp(info.imports[i].name, "Alpha") == 0;
  }
  assert_true(has_list);
  assert_false(has_alpha); /* units of the plugin itself are not imports */
  assert_true(info.nrw >= 1);
  natml_plugin_info_free(&info);
  free(d);
}

static void test_plugins_not_elf(void **state) {
  (void)state;
  char err[512];
  const char *text = "let double x = 2 * x\n";
  assert_int_equal(check_bytes((const unsigned char *)text, strlen(text), err, sizeof err),
                   NATML_CHECK_NOT_PLUGIN);
  assert_string_equal(err, "File x.so is not a natml plugin (not an ELF file).");
  assert_int_equal(check_bytes((const unsigned char *)"", 0, err, sizeof err), NATML_CHECK_NOT_PLUGIN);
  /* An ELF file that is no plugin: this very program. */
  size_t size;
  unsigned char *self = slurp("/proc/self/exe", &size);
  if (check_bytes(self, size, err, sizeof err) != NATML_CHECK_NOT_PLUGIN) fail_msg("%s", err);
  free(self);
}

static void test_plugins_every_truncation(void **state) {
  (void)state;
  size_t size;
  unsigned char *d = slurp(P("mylib.so"), &size);
  char err[512];
  for (size_t n = 0; n < size; n++) {
    NatmlCheck c = check_bytes(d, n, err, sizeof err);
    if (c == NATML_CHECK_OK) fail_msg("truncation to %zu bytes passed", n);
  }
  assert_int_equal(check_bytes(d, size, err, sizeof err), NATML_CHECK_OK);
  free(d);
}

static void test_plugins_every_bit_flip(void **state) {
  (void)state;
  size_t size;
  unsigned char *d = slurp(P("mylib.so"), &size);
  char err[512];
  NatmlPluginInfo info;
  for (size_t i = 0; i < size; i++) {
    for (int b = 0; b < 8; b++) {
      d[i] ^= (unsigned char)(1u << b);
      NatmlCheck c = natml_plugin_check("x.so", d, size, &info, err, sizeof err);
      natml_plugin_info_free(&info);
      if (c == NATML_CHECK_OK) fail_msg("flip of bit %d at %zu passed", b, i);
      d[i] ^= (unsigned char)(1u << b);
    }
  }
  free(d);
}

/* A plugin for another ABI version: the version field changed, the
 * checksum made right again (as a future natmlc would write it). */
static char *other_abi_plugin(void) {
  size_t size;
  unsigned char *d = slurp(P("mylib.so"), &size);
  size_t off = descriptor_offset(d, size);
  d[off + 8] = 7;
  char err[256];
  assert_true(natml_plugin_seal(d, size, err, sizeof err));
  char *path = write_temp(d, size);
  free(d);
  return path;
}

static void test_plugins_other_abi(void **state) {
  (void)state;
  char *path = other_abi_plugin();
  size_t size;
  unsigned char *d = slurp(path, &size);
  char err[512];
  assert_int_equal(check_bytes(d, size, err, sizeof err), NATML_CHECK_ABI);
  assert_string_equal(err, "File x.so was compiled for another version of natml (plugin ABI 7, "
                           "this natml loads ABI 2).");
  free(d);
  unlink(path);
  free(path);
}

/* ---- embedding API ------------------------------------------------------------ */

static void test_plugins_start(void **state) {
  (void)state;
  char err[512];
  assert_true(natml_start(stack_base, err, sizeof err));
}

static long call_int(const char *name, long arg) {
  value *f = natml_lookup(name);
  assert_non_null(f);
  value a = Val_long(arg), r, exn;
  assert_true(natml_call(*f, 1, &a, &r, &exn));
  return Long_val(r);
}

static void test_plugins_load_and_call(void **state) {
  (void)state;
  char err[512];
  NatmlPlugin *p = natml_load(P("mylib.so"), false, err, sizeof err);
  assert_non_null(p);
  assert_int_equal(natml_plugin_units(p), 1);
  assert_string_equal(natml_plugin_unit_name(p, 0), "Mylib");
  assert_int_equal(call_int("Mylib.double", 21), 42);
  assert_null(natml_lookup("Mylib.triple"));
  assert_null(natml_lookup("Nope.double"));
  /* Loaded twice: refused. */
  assert_null(natml_load(P("mylib.so"), false, err, sizeof err));
  assert_non_null(strstr(err, "the module `Mylib' is already loaded"));
  assert_int_equal(call_int("Mylib.double", 4), 8);
}

static void test_plugins_refusals(void **state) {
  (void)state;
  char err[512];
  assert_null(natml_load(P("nope.so"), false, err, sizeof err));
  assert_string_equal(err, "Cannot find file " P("nope.so") ".");
  /* Uses Geom, which is not loaded yet. */
  assert_null(natml_load(P("shapes.so"), false, err, sizeof err));
  assert_string_equal(err, "Error: Reference to undefined global `Geom'");
  /* Truncated and bit-flipped copies are refused before dlopen. */
  size_t size;
  unsigned char *d = slurp(P("geom.so"), &size);
  char *path = write_temp(d, size / 2);
  assert_null(natml_load(path, false, err, sizeof err));
  assert_non_null(strstr(err, "is a corrupted natml plugin"));
  unlink(path);
  free(path);
  for (size_t i = 0; i < size; i += 97) {
    d[i] ^= 0x10;
    path = write_temp(d, size);
    assert_null(natml_load(path, false, err, sizeof err));
    unlink(path);
    free(path);
    d[i] ^= 0x10;
  }
  free(d);
  path = other_abi_plugin();
  assert_null(natml_load(path, false, err, sizeof err));
  assert_non_null(strstr(err, "another version of natml"));
  unlink(path);
  free(path);
  /* A unit whose initialisation raises. */
  assert_null(natml_load(P("fails.so"), false, err, sizeof err));
  assert_non_null(strstr(err, "Failure(\"init failed\")"));
  assert_null(natml_lookup("Fails.x"));
}

static void test_plugins_plugin_uses_plugin(void **state) {
  (void)state;
  char err[512];
  assert_non_null(natml_load(P("geom.so"), false, err, sizeof err));
  /* Compiled against another Geom. */
  assert_null(natml_load(P("v2/shapes.so"), false, err, sizeof err));
  assert_string_equal(err,
                      "The files " P("v2/shapes.so") " and " P("geom.so") " disagree over interface Geom");
  NatmlPlugin *p = natml_load(P("shapes.so"), false, err, sizeof err);
  assert_non_null(p);
  value *total = natml_lookup("Shapes.total");
  value r, exn, unit = Val_unit;
  assert_true(natml_call(*total, 1, &unit, &r, &exn));
  assert_int_equal(Long_val(r), 16);
  value *far = natml_lookup("Shapes.far");
  assert_int_equal(Long_val(Field(*far, 0)), 10);
  assert_int_equal(Long_val(Field(*far, 1)), 14);
  /* Two units in one plugin, the second using the first. */
  assert_non_null(natml_load(P("multi.so"), false, err, sizeof err));
  assert_string_equal(String_val(*natml_lookup("Beta.message")), "hello alpha from beta");
}

static void test_plugins_reload(void **state) {
  (void)state;
  char err[512];
  /* v2/geom.so replaces Geom; plugins using the reloaded unit are then
   * refused, since they would bind to the first one's slots. */
  assert_non_null(natml_load(P("v2/geom.so"), true, err, sizeof err));
  value *origin = natml_lookup("Geom.origin");
  assert_int_equal(Wosize_val(*origin), 3);
  assert_null(natml_load(P("v2/shapes.so"), true, err, sizeof err));
  if (!strstr(err, "which was reloaded")) fail_msg("%s", err);
  /* Values the plugins' entries made are reachable only from their
   * slots: they survive collections while memory is reused around them. */
  for (int round = 0; round < 3; round++) {
    GC_gcollect();
    for (int i = 0; i < 100000; i++) nml_copy_string("garbage garbage garbage");
  }
  assert_string_equal(String_val(*natml_lookup("Beta.message")), "hello alpha from beta");
  value far = *natml_lookup("Shapes.far");
  assert_int_equal(Long_val(Field(far, 0)), 10);
  assert_int_equal(Wosize_val(*natml_lookup("Geom.origin")), 3);
  assert_int_equal(call_int("Mylib.double", 50), 100);
}

/* The toplevel refuses the same file with OCaml-style text and goes on. */
static void test_plugins_toplevel_other_abi(void **state) {
  (void)state;
  char *path = other_abi_plugin();
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "printf '#load \"%s\";;\\n1 + 1;;\\n' | %s -noprompt 2>&1", path, NATML_EXE);
  FILE *f = popen(cmd, "r");
  assert_non_null(f);
  char out[2048];
  size_t n = fread(out, 1, sizeof out - 1, f);
  out[n] = 0;
  assert_int_equal(pclose(f), 0);
  assert_non_null(strstr(out, "was compiled for another version of natml (plugin ABI 7"));
  assert_non_null(strstr(out, "- : int = 2"));
  unlink(path);
  free(path);
}

int main(void) {
  int anchor;
  stack_base = &anchor;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_plugins_digest),
      cmocka_unit_test(test_plugins_descriptor),
      cmocka_unit_test(test_plugins_not_elf),
      cmocka_unit_test(test_plugins_every_truncation),
      cmocka_unit_test(test_plugins_every_bit_flip),
      cmocka_unit_test(test_plugins_other_abi),
      /* These share the process's loaded plugins, in this order. */
      cmocka_unit_test(test_plugins_start),
      cmocka_unit_test(test_plugins_load_and_call),
      cmocka_unit_test(test_plugins_refusals),
      cmocka_unit_test(test_plugins_plugin_uses_plugin),
      cmocka_unit_test(test_plugins_reload),
      cmocka_unit_test(test_plugins_toplevel_other_abi),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
