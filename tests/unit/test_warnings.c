/* test_warnings.c — unit tests of compiler/support/warnings.c: warning
 * specifications in OCaml's -w / -warn-error syntax. The expectations
 * follow OCaml 4.13.1's Warnings.parse_options (utils/warnings.ml): what
 * each token sets, which lists are ill-formed (ocaml then says "Ill-formed
 * list of warnings" and exits 2), and the deprecation alert's text, which
 * was copied from `ocaml -w zz` and `ocaml -w Pz` (stderr).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "warnings.h"

/* Applies spec to OCaml's defaults; fails the test on an alert unless
 * alert_out takes it. */
static bool parse(WarnSettings *w, const char *spec, bool error, char **alert_out) {
  warn_defaults(w);
  char *alert = NULL;
  bool ok = warn_parse(w, spec, error, &alert);
  if (alert_out) *alert_out = alert;
  else {
    assert_null(alert);
    free(alert);
  }
  return ok;
}

static void test_warnings_defaults_are_ocamls(void **state) {
  (void)state;
  WarnSettings w;
  warn_defaults(&w);
  assert_true(w.active[1] && w.active[8] && w.active[26] && w.active[31] && w.active[43]);
  assert_false(w.active[4] || w.active[7] || w.active[9] || w.active[27] || w.active[29] || w.active[30]);
  for (int n = 32; n <= 42; n++) assert_false(w.active[n]);
  assert_false(w.active[44] || w.active[45] || w.active[48] || w.active[50] || w.active[60]);
  for (int n = 66; n <= 70; n++) assert_false(w.active[n]);
  for (int n = 1; n <= WARN_LAST; n++) assert_int_equal(w.error[n], n == 31);
}

static void test_warnings_numbers_and_ranges(void **state) {
  (void)state;
  WarnSettings w;
  assert_true(parse(&w, "-8..10+4", false, NULL));
  assert_false(w.active[8] || w.active[9] || w.active[10]);
  assert_true(w.active[4] && w.active[11]);
  assert_true(parse(&w, "@8", false, NULL));
  assert_true(w.active[8] && w.error[8]);
  assert_true(parse(&w, "+1000-0..200", false, NULL)); /* past 70: nothing */
  for (int n = 1; n <= WARN_LAST; n++) assert_false(w.active[n]);
  assert_true(parse(&w, "+a", true, NULL)); /* -warn-error +a */
  for (int n = 1; n <= WARN_LAST; n++) assert_true(w.error[n]);
  assert_true(parse(&w, "", false, NULL));
}

static void test_warnings_letters(void **state) {
  (void)state;
  WarnSettings w;
  assert_true(parse(&w, "-a+P", false, NULL)); /* an uppercase letter enables its set */
  for (int n = 1; n <= WARN_LAST; n++) assert_int_equal(w.active[n], n == 8);
  assert_true(parse(&w, "u", false, NULL)); /* a lowercase one disables it */
  assert_false(w.active[11] || w.active[12]);
  assert_true(parse(&w, "+x", false, NULL));
  assert_true(w.active[14] && w.active[24] && w.active[30]); /* 30 was off by default */
  assert_false(w.active[29]);                                /* not in x: still off */
  assert_true(parse(&w, "-k", false, NULL));
  for (int n = 32; n <= 39; n++) assert_false(w.active[n]);
}

static void test_warnings_names(void **state) {
  (void)state;
  WarnSettings w;
  assert_true(parse(&w, "-partial-match", false, NULL));
  assert_false(w.active[8]);
  assert_true(parse(&w, "unused-var-strict", false, NULL)); /* a name alone enables */
  assert_true(w.active[27]);
  assert_true(parse(&w, "@non-unit-statement", false, NULL));
  assert_true(w.active[10] && w.error[10]);
  assert_string_equal(warn_name(8), "partial-match");
  assert_string_equal(warn_name(3), "");
  assert_string_equal(warn_name(71), "");
}

static void test_warnings_ill_formed_changes_nothing(void **state) {
  (void)state;
  static const char *const bad[] = {"8", "+", "-", "+3..1", "+3..", "+3..x", "+a-", "a+b-*", "1000", "+-8"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    WarnSettings w, before;
    warn_defaults(&before);
    assert_false(parse(&w, bad[i], false, NULL));
    assert_memory_equal(&w, &before, sizeof w);
  }
}

/* ocaml -w zz (4.13.1), the alert's text after "Alert ocaml_deprecated_cli: ". */
static void test_warnings_unsigned_letters_alert(void **state) {
  (void)state;
  WarnSettings w;
  char *alert;
  assert_true(parse(&w, "zz", false, &alert));
  assert_string_equal(alert, "Setting a warning with a sequence of lowercase or uppercase letters,\n"
                             "like 'zz', is deprecated.\n"
                             "Use the equivalent signed form: -z-z.\n"
                             "Hint: Enabling or disabling a warning by its mnemonic name requires a + or - "
                             "prefix.");
  free(alert);
  assert_true(parse(&w, "Pz+3..5abcde", false, &alert));
  assert_string_equal(alert, "Setting a warning with a sequence of lowercase or uppercase letters,\n"
                             "like 'abcde', is deprecated.\n"
                             "Use the equivalent signed form: +P-z+3..5-a-b-c-d-e.\n"
                             "Hint: Enabling or disabling a warning by its mnemonic name requires a + or - "
                             "prefix.\n"
                             "Hint: Did you make a spelling mistake when using a mnemonic name?");
  free(alert);
  assert_true(parse(&w, "+a-b", false, &alert)); /* signed letters: no alert */
  assert_null(alert);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_warnings_defaults_are_ocamls),
      cmocka_unit_test(test_warnings_numbers_and_ranges),
      cmocka_unit_test(test_warnings_letters),
      cmocka_unit_test(test_warnings_names),
      cmocka_unit_test(test_warnings_ill_formed_changes_nothing),
      cmocka_unit_test(test_warnings_unsigned_letters_alert),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
