/* test_toplevel.c — unit tests of the toplevel's line editing over a
 * real session (the linked stdlib, phrases run, a plugin loaded): Tab
 * completion (top_complete.c) from a line and a cursor, and the history
 * file (top_edit.c): where it is, how a multi-line phrase is stored, and
 * its bound; directives: the dispatcher's messages and arguments, #show,
 * the printing limits and the user's printers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <editline/readline.h>

#include "natml_runtime.h"
#include "session.h"
#include "top_directive.h"
#include "top_edit.h"

static Session *session;
static char tmpdir[] = "/tmp/natml_test_toplevel_XXXXXX";

/* The candidates for line with the cursor at its end (or before the
 * first '|' in it), joined by spaces; *start gets where they go. */
static const char *complete(Arena *a, const char *line, int *start, const char **suffix) {
  const char *bar = strchr(line, '|');
  char *text = arena_strdup(a, line);
  int point = (int)strlen(line);
  if (bar) {
    point = (int)(bar - line);
    memmove(text + point, text + point + 1, strlen(text + point));
  }
  TopCompletion c;
  int n = top_complete(session, a, text, point, &c);
  if (start) *start = c.start;
  if (suffix) *suffix = c.suffix;
  Buf b;
  buf_init(&b);
  for (int i = 0; i < n; i++) {
    if (i) buf_putc(&b, ' ');
    buf_puts(&b, c.cands[i]);
  }
  const char *r = arena_strdup(a, b.data ? b.data : "");
  buf_free(&b);
  return r;
}

static void run(const char *phrase) { top_run_phrase(session, phrase, (int)strlen(phrase)); }

static void test_toplevel_complete_module_values(void **state) {
  Arena *a = *state;
  int start;
  assert_string_equal(complete(a, "List.fi", &start, NULL),
                      "filter filter_map filteri find find_all find_map find_opt");
  assert_int_equal(start, 5);
  /* Through Stdlib and an alias. */
  assert_string_equal(complete(a, "Stdlib.List.find_m", NULL, NULL), "find_map");
  run("module L = List;;");
  assert_string_equal(complete(a, "L.find_a", NULL, NULL), "find_all");
}

static void test_toplevel_complete_unique_suffix(void **state) {
  Arena *a = *state;
  const char *suffix;
  assert_string_equal(complete(a, "List.rev_ap", NULL, &suffix), "rev_append");
  assert_string_equal(suffix, " ");
  assert_string_equal(complete(a, "Hashtb", NULL, &suffix), "Hashtbl");
  assert_string_equal(suffix, ".");
  /* In the middle of the line, the word before the cursor. */
  int start;
  assert_string_equal(complete(a, "f (List.rev_ap| x) y", &start, NULL), "rev_append");
  assert_int_equal(start, 8);
}

static void test_toplevel_complete_session_values(void **state) {
  Arena *a = *state;
  assert_string_equal(complete(a, "my_co", NULL, NULL), "");
  run("let my_counter = 41;;");
  assert_string_equal(complete(a, "my_co", NULL, NULL), "my_counter");
  assert_string_equal(complete(a, "1 + my_co", NULL, NULL), "my_counter");
  /* A phrase that fails binds nothing. */
  run("let my_bad = 1 + \"x\";;");
  assert_string_equal(complete(a, "my_b", NULL, NULL), "");
}

static void test_toplevel_complete_keywords(void **state) {
  Arena *a = *state;
  assert_string_equal(complete(a, "matc", NULL, NULL), "match");
  /* Not after a module path. */
  assert_string_equal(complete(a, "List.matc", NULL, NULL), "");
}

static void test_toplevel_complete_constructors_and_modules(void **state) {
  Arena *a = *state;
  run("type shade = Scarlet | Sage;;");
  assert_string_equal(complete(a, "Some (Sc", NULL, NULL), "Scarlet");
  assert_string_equal(complete(a, "No", NULL, NULL), "None Not_found");
  run("module Deep = struct module Inner = struct type t = Kind_a | Kind_b let inner_v = 1 end end;;");
  assert_string_equal(complete(a, "Deep.In", NULL, NULL), "Inner");
  assert_string_equal(complete(a, "Deep.Inner.", NULL, NULL), "Kind_a Kind_b inner_v");
  assert_string_equal(complete(a, "Deep.Inner.K", NULL, NULL), "Kind_a Kind_b");
  assert_string_equal(complete(a, "Nowhere.x", NULL, NULL), "");
}

static void test_toplevel_complete_record_fields(void **state) {
  Arena *a = *state;
  run("type point = { px : int; py : int; label_q : string };;");
  run("let pt = { px = 1; py = 2; label_q = \"\" };;");
  assert_string_equal(complete(a, "pt.p", NULL, NULL), "px py");
  assert_string_equal(complete(a, "pt.la", NULL, NULL), "label_q");
  assert_string_equal(complete(a, "(Fun.id pt).la", NULL, NULL), "label_q");
  assert_string_equal(complete(a, "{ px = 1; p", NULL, NULL), "px py");
  assert_string_equal(complete(a, "{ pt with la", NULL, NULL), "label_q");
  /* Right after `{` a value may come (`{ pt with …}`). */
  assert_string_equal(complete(a, "{ pt", NULL, NULL), "pt");
  /* Not in a field's value. */
  assert_string_equal(complete(a, "{ px = label", NULL, NULL), "");
  run("module Rec = struct type r = { rfield : int } end;;");
  assert_string_equal(complete(a, "{ Rec.rf", NULL, NULL), "rfield");
  assert_string_equal(complete(a, "fun x -> x.Rec.rf", NULL, NULL), "rfield");
}

static void test_toplevel_complete_directives(void **state) {
  Arena *a = *state;
  const char *suffix;
  assert_string_equal(complete(a, "#us", NULL, NULL), "use use_output");
  assert_string_equal(complete(a, "#mod_u", NULL, &suffix), "mod_use");
  assert_string_equal(suffix, " ");
  assert_string_equal(complete(a, "  #qu", NULL, NULL), "quit");
  assert_string_equal(complete(a, "1;; #qu", NULL, NULL), "quit");
  int n = 0;
  while (top_directive_name(n)) n++;
  const char *all = complete(a, "#", NULL, NULL);
  int words = 1;
  for (const char *p = all; *p; p++) words += *p == ' ';
  assert_int_equal(words, n);
  /* `#` inside a phrase is not a directive. */
  assert_string_equal(complete(a, "x #us", NULL, NULL), "");
}

static void touch(const char *path) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fclose(f);
}

static void test_toplevel_complete_file_names(void **state) {
  Arena *a = *state;
  touch(arena_printf(a, "%s/alpha.ml", tmpdir));
  touch(arena_printf(a, "%s/beta.ml", tmpdir));
  touch(arena_printf(a, "%s/.hidden.ml", tmpdir));
  assert_int_equal(mkdir(arena_printf(a, "%s/alpine", tmpdir), 0700), 0);
  int start;
  const char *suffix;
  const char *line = arena_printf(a, "#use \"%s/al", tmpdir);
  assert_string_equal(complete(a, line, &start, NULL), "alpha.ml alpine/");
  assert_int_equal(start, (int)strlen(line) - 2);
  assert_string_equal(complete(a, arena_printf(a, "#use \"%s/be", tmpdir), NULL, &suffix), "beta.ml");
  assert_string_equal(suffix, "\"");
  assert_string_equal(complete(a, arena_printf(a, "#load \"%s/alpi", tmpdir), NULL, &suffix), "alpine/");
  assert_string_equal(suffix, "");
  assert_string_equal(complete(a, arena_printf(a, "#use \"%s/", tmpdir), NULL, NULL),
                      "alpha.ml alpine/ beta.ml");
  assert_string_equal(complete(a, arena_printf(a, "#use \"%s/.h", tmpdir), NULL, NULL), ".hidden.ml");
  /* #cd takes directories. */
  assert_string_equal(complete(a, arena_printf(a, "#cd \"%s/", tmpdir), NULL, NULL), "alpine/");
  /* No file names in other strings, none in comments. */
  assert_string_equal(complete(a, arena_printf(a, "print_string \"%s/al", tmpdir), NULL, NULL), "");
  assert_string_equal(complete(a, "#quit \"", NULL, NULL), "");
  assert_string_equal(complete(a, "#use \"a.ml\"", NULL, NULL), "");
  assert_string_equal(complete(a, "'a'", NULL, NULL), "");
  assert_string_equal(complete(a, "(* List.fi", NULL, NULL), "");
  assert_string_equal(complete(a, "\"a\" ^ (* x *) List.rev_ap", NULL, NULL), "rev_append");
}

static void test_toplevel_complete_sees_loaded_plugins(void **state) {
  Arena *a = *state;
  assert_string_equal(complete(a, "Myli", NULL, NULL), "");
  assert_int_equal(top_load(session, PLUGIN_DIR "/mylib.so"), TOP_OK);
  assert_string_equal(complete(a, "Myli", NULL, NULL), "Mylib");
  assert_string_equal(complete(a, "Mylib.do", NULL, NULL), "double");
}

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

/* ---- Directives (top_directive.c, top_show.c, top_printers.c) ---------- */

/* What the phrase prints on the session's standard output (its results
 * and its messages). */
static const char *output_of(Arena *a, const char *phrase) {
  char *text = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&text, &len);
  FILE *saved = session->out, *saved_msgs = session->msgs;
  session->out = session->msgs = mem;
  run(phrase);
  fflush(mem);
  session->out = saved;
  session->msgs = saved_msgs;
  fclose(mem);
  const char *r = arena_strdup(a, text ? text : "");
  free(text);
  return r;
}

static void test_toplevel_directive_dispatch(void **state) {
  Arena *a = *state;
  assert_string_equal(output_of(a, "#quitt;;"), "Unknown directive `quitt'.\nHint: Did you mean quit?\n");
  assert_string_equal(output_of(a, "#zzzzzzzz;;"), "Unknown directive `zzzzzzzz'.\n");
  assert_string_equal(output_of(a, "#use List;;"), "Wrong type of argument for directive `use'.\n");
  assert_string_equal(output_of(a, "#print_depth;;"),
                      "Wrong type of argument for directive `print_depth'.\n");
  assert_string_equal(output_of(a, "#print_depth 1l;;"),
                      "Wrong integer literal for directive `print_depth'.\n");
  assert_string_equal(
      output_of(a, "#print_depth 4611686018427387905;;"),
      "Integer literal exceeds the range of representable integers for directive `print_depth'.\n");
  /* 0x_ literals and underscores are integers too. */
  assert_string_equal(output_of(a, "#print_depth 0x1_0;;"), "");
  assert_int_equal(session->print_depth, 16);
  assert_string_equal(output_of(a, "#print_depth 100;;"), "");
}

static void test_toplevel_directive_print_limits(void **state) {
  Arena *a = *state;
  output_of(a, "#print_depth 1;;");
  assert_string_equal(output_of(a, "[[1]];;"), "- : int list list = [[...]]\n");
  output_of(a, "#print_depth 100;;");
  output_of(a, "#print_length 2;;");
  assert_string_equal(output_of(a, "[1; 2; 3];;"), "- : int list = [1; ...]\n");
  output_of(a, "#print_length 300;;");
}

static void test_toplevel_directive_show(void **state) {
  Arena *a = *state;
  assert_string_equal(output_of(a, "#show_val List.length;;"), "val length : 'a list -> int\n");
  assert_string_equal(output_of(a, "#show_val (+);;"), "external ( + ) : int -> int -> int = \"%addint\"\n");
  assert_string_equal(output_of(a, "#show_val nope_nope;;"), "Line 1:\nError: Unbound value nope_nope\n");
  assert_string_equal(output_of(a, "#show nope_nope;;"), "Unknown element.\n");
  run("module Shown = struct type t = A exception E end;;");
  assert_string_equal(output_of(a, "#show Shown.A;;"), "type Shown.t = A\n");
  assert_string_equal(output_of(a, "#show_exception Shown.E;;"), "exception E\n");
  assert_string_equal(output_of(a, "#show_module_type Shown;;"),
                      "Line 1:\nError: Unbound module type Shown\n"
                      "Hint: There is a module named Shown, but modules are not module types\n");
}

static void test_toplevel_directive_printers(void **state) {
  Arena *a = *state;
  run("type pt = P of int;;");
  run("let print_pt (P n) = print_string \"<P\"; print_int n; print_string \">\";;");
  assert_string_equal(output_of(a, "#install_printer print_pt;;"), "");
  assert_int_equal(session->printers.len, 1);
  /* The printer writes to ML's stdout (flushed before the report), so
   * the report itself holds nothing where the value was. */
  assert_string_equal(output_of(a, "[P 1];;"), "- : pt list = []\n");
  assert_string_equal(output_of(a, "#install_printer List.length;;"),
                      "List.length has a wrong type for a printing function.\n");
  assert_string_equal(output_of(a, "#remove_printer print_pt;;"), "");
  assert_int_equal(session->printers.len, 0);
  assert_string_equal(output_of(a, "#remove_printer print_pt;;"), "No printer named print_pt.\n");
  assert_string_equal(output_of(a, "[P 1];;"), "- : pt list = [P 1]\n");
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
      T(test_toplevel_complete_module_values),
      T(test_toplevel_complete_unique_suffix),
      T(test_toplevel_complete_session_values),
      T(test_toplevel_complete_keywords),
      T(test_toplevel_complete_constructors_and_modules),
      T(test_toplevel_complete_record_fields),
      T(test_toplevel_complete_directives),
      T(test_toplevel_complete_file_names),
      T(test_toplevel_complete_sees_loaded_plugins),
      T(test_toplevel_history_path),
      T(test_toplevel_history_file),
      T(test_toplevel_history_is_bounded),
      T(test_toplevel_directive_dispatch),
      T(test_toplevel_directive_print_limits),
      T(test_toplevel_directive_show),
      T(test_toplevel_directive_printers),
  };
#undef T
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  top_session_free(session);
  char cmd[sizeof tmpdir + 16];
  snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
  if (system(cmd) != 0) failed++;
  return failed;
}
