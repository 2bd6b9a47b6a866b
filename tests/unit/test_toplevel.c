/* test_toplevel.c — unit tests of the toplevel's line editing over a
 * real session (the linked stdlib): the history file (top_edit.c):
 * where it is, how a multi-line phrase is stored, and its bound. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <editline/readline.h>

#include "natml_runtime.h"
#include "session.h"
#include "top_edit.h"

static Session *session;
static char tmpdir[] = "/tmp/natml_test_toplevel_XXXXXX";

static void test_toplevel_history_path(void **state) {
  Arena *a = *state;
  setenv("NATML_HISTORY", "", 1);
  assert_null(top_history_path(a));
  setenv("NATML_HISTORY", "/some/file", 1);
  assert_string_equal(top_history_path(a), "/some/file");
  unsetenv("NATML_HISTORY");
  setenv("HOME", "/home/u", 1);
  setenv("XDG_STATE_HOME", "/state", 1);
  assert_string_equal(top_history_path(a), "/state/natml/history");
  setenv("XDG_STATE_HOME", "relative", 1); /* ignored, as the spec says */
  assert_string_equal(top_history_path(a), "/home/u/.local/state/natml/history");
  unsetenv("XDG_STATE_HOME");
  assert_string_equal(top_history_path(a), "/home/u/.local/state/natml/history");
}

static char *read_all(const char *path) {
  size_t len;
  char *text = buf_read_file(path, &len);
  assert_non_null(text);
  return text;
}

static void test_toplevel_history_file(void **state) {
  Arena *a = *state;
  const char *path = arena_printf(a, "%s/state/natml/history", tmpdir);
  setenv("NATML_HISTORY", path, 1);
  TopEdit *ed = top_edit_begin(session); /* creates the directory */
  top_edit_add(ed, "let x =\n  1;;");
  top_edit_add(ed, "let x =\n  1;;"); /* a repeat is stored once */
  top_edit_add(ed, "  \n");           /* blank lines are not stored */
  top_edit_add(ed, "\"a\\\\b\";;");
  char *text = read_all(path); /* written at once, before the end */
  assert_string_equal(text, "let x =\\n  1;;\n\"a\\\\\\\\b\";;\n");
  free(text);
  top_edit_end(ed);
  /* A second session recalls the entries, the phrase whole. */
  clear_history();
  ed = top_edit_begin(session);
  assert_int_equal(history_length, 2);
  assert_string_equal(history_get(history_base)->line, "let x =\n  1;;");
  assert_string_equal(history_get(history_base + 1)->line, "\"a\\\\b\";;");
  top_edit_end(ed);
  clear_history();
  unsetenv("NATML_HISTORY");
}

static void test_toplevel_history_is_bounded(void **state) {
  Arena *a = *state;
  const char *path = arena_printf(a, "%s/long_history", tmpdir);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  for (int i = 0; i < TOP_HISTORY_MAX + 50; i++) fprintf(f, "%d;;\n", i);
  fclose(f);
  setenv("NATML_HISTORY", path, 1);
  TopEdit *ed = top_edit_begin(session);
  assert_int_equal(history_length, TOP_HISTORY_MAX);
  assert_string_equal(history_get(history_base)->line, "50;;");
  for (int i = 0; i < 10; i++) top_edit_add(ed, arena_printf(a, "new %d;;", i));
  assert_int_equal(history_length, TOP_HISTORY_MAX);
  top_edit_end(ed);
  char *text = read_all(path);
  int lines = 0;
  for (char *p = text; *p; p++) lines += *p == '\n';
  assert_int_equal(lines, TOP_HISTORY_MAX);
  assert_true(strncmp(text, "60;;\n", 5) == 0);
  assert_non_null(strstr(text, "new 9;;\n"));
  free(text);
  clear_history();
  unsetenv("NATML_HISTORY");
}

static int setup(void **state) {
  Arena *a = malloc(sizeof *a);
  arena_init(a);
  *state = a;
  return 0;
}

static int teardown(void **state) {
  arena_free(*state);
  free(*state);
  return 0;
}

int main(void) {
  int anchor;
  nml_init(&anchor);
  if (!mkdtemp(tmpdir)) return 1;
  TopOptions opt = {0};
  opt.noprompt = true;
  session = top_session_new(&opt, nml_stdlib_units, nml_stdlib_nunits);
  if (!session) return 1;
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_toplevel_history_path),
      T(test_toplevel_history_file),
      T(test_toplevel_history_is_bounded),
  };
#undef T
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  top_session_free(session);
  char cmd[sizeof tmpdir + 16];
  snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
  if (system(cmd) != 0) failed++;
  return failed;
}
