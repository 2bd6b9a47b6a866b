/* test_cli.c — unit tests of compiler/driver/cli.c, natml's command line:
 * argv to options and an action, OCaml's Arg messages, OCAML_COLOR, the
 * -help layout and where the init file is looked for. Expected messages
 * are what OCaml 4.13.1's `ocaml` prints for the same words (run with
 * 2>&1), its program name replaced by natml's ("natml: unknown option
 * '-foo'." where ocaml says "/usr/bin/ocaml: unknown option '-foo'.").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli.h"

/* What cli_parse printed, and its action. */
typedef struct Parsed {
  CliOptions o;
  CliAction action;
  char *err;
} Parsed;

static Parsed parse_words(int n, const char **words) {
  Parsed p;
  size_t len;
  FILE *err = open_memstream(&p.err, &len);
  assert_non_null(err);
  p.action = cli_parse(n, (char **)words, &p.o, err);
  fclose(err);
  return p;
}

#define PARSE(...)                                                                                           \
  parse_words((int)(sizeof((const char *[]){"natml", __VA_ARGS__}) / sizeof(const char *)),                  \
              (const char *[]){"natml", __VA_ARGS__})

static void done(Parsed *p) {
  cli_free(&p->o);
  free(p->err);
}

#define USAGE "Usage: natml <options> <files>\nTry 'natml --help' for more information.\n"

static void test_cli_errors_are_ocamls(void **state) {
  (void)state;
  static const struct {
    const char *words[3];
    int n;
    const char *message;
  } cases[] = {
      {{"-foo"}, 1, "natml: unknown option '-foo'.\n" USAGE},
      {{"-I"}, 1, "natml: option '-I' needs an argument.\n" USAGE},
      {{"-"}, 1, "natml: option '-' needs an argument.\n" USAGE},
      {{"-noinit=x"}, 1, "natml: wrong argument 'x'; option '-noinit=x' expects no argument.\n" USAGE},
      {{"-color", "foo"},
       2,
       "natml: wrong argument 'foo'; option '-color' expects one of: auto always never.\n" USAGE},
      {{"-color=foo"},
       1,
       "natml: wrong argument 'foo'; option '-color=foo' expects one of: auto always never.\n" USAGE},
      {{"-w", "8"}, 2, "natml: Ill-formed list of warnings.\n" USAGE},
      {{"-warn-error", "+3..1"}, 2, "natml: Ill-formed list of warnings.\n" USAGE},
      {{"-foo=bar"}, 1, "natml: unknown option '-foo=bar'.\n" USAGE},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *words[4] = {"natml", cases[i].words[0], cases[i].words[1], cases[i].words[2]};
    Parsed p = parse_words(cases[i].n + 1, words);
    assert_int_equal(p.action, CLI_ERROR);
    assert_string_equal(p.err, cases[i].message);
    done(&p);
  }
}

static void test_cli_help_and_version_act_at_once(void **state) {
  (void)state;
  Parsed p = PARSE("-noprompt", "-help", "-foo");
  assert_int_equal(p.action, CLI_HELP);
  assert_string_equal(p.err, "");
  done(&p);
  p = PARSE("--help");
  assert_int_equal(p.action, CLI_HELP);
  done(&p);
  p = PARSE("-version", "-foo");
  assert_int_equal(p.action, CLI_VERSION);
  done(&p);
  p = PARSE("--version");
  assert_int_equal(p.action, CLI_VERSION);
  done(&p);
  p = PARSE("-vnum");
  assert_int_equal(p.action, CLI_VNUM);
  done(&p);
  p = PARSE("-foo", "-version");
  assert_int_equal(p.action, CLI_ERROR);
  done(&p);
  assert_string_equal(cli_version_line(), "The natml toplevel, version 0.1 (OCaml 4.13 compatible)");
}

static void test_cli_flags_and_arguments(void **state) {
  (void)state;
  Parsed p = PARSE("-noprompt", "-nopromptcont", "-noinit", "-no-version", "-rectypes", "-principal",
                   "-nolabels", "-unsafe", "-init", "my.ml", "-open", "List", "-open=Float.Array", "-dparse",
                   "-dir", "-dllvm", "-dtimings", "-delf", "out", "-O1");
  assert_int_equal(p.action, CLI_RUN);
  assert_string_equal(p.err, "");
  const TopOptions *t = &p.o.top;
  assert_true(t->noprompt && t->nopromptcont && t->rectypes && t->principal && t->nolabels && t->unsafe);
  assert_true(t->dparse && t->dir && t->dllvm && t->dtimings);
  assert_string_equal(t->keep_dir, "out");
  assert_int_equal(t->opt_level, 1);
  assert_true(p.o.noinit && p.o.noversion);
  assert_string_equal(p.o.init_file, "my.ml");
  assert_int_equal(p.o.nopens, 2);
  assert_string_equal(p.o.opens[0], "List");
  assert_string_equal(p.o.opens[1], "Float.Array");
  assert_false(p.o.has_script);
  done(&p);
  p = PARSE("-nolabels", "-labels");
  assert_false(p.o.top.nolabels);
  done(&p);
}

static void test_cli_include_dirs_in_order(void **state) {
  (void)state;
  Parsed p = PARSE("-I", "a", "-I=b", "-I", "+threads");
  assert_int_equal(p.o.ninclude_dirs, 3);
  assert_string_equal(p.o.include_dirs[0], "a");
  assert_string_equal(p.o.include_dirs[1], "b");
  assert_string_equal(p.o.include_dirs[2], "+threads");
  done(&p);
}

/* Sys.argv starts at the script's name, or at the -stdin or `-` before
 * it: `ocaml - av.ml x` gives [|"-"; "av.ml"; "x"|]. */
static void test_cli_plugins_script_and_arguments(void **state) {
  (void)state;
  Parsed p = PARSE("-noprompt", "a.so", "b.so", "s.ml", "-foo", "c.so");
  assert_int_equal(p.action, CLI_RUN);
  assert_int_equal(p.o.nplugins, 2);
  assert_string_equal(p.o.plugins[0], "a.so");
  assert_string_equal(p.o.plugins[1], "b.so");
  assert_true(p.o.has_script);
  assert_string_equal(p.o.script, "s.ml");
  assert_int_equal(p.o.script_index, 4);
  done(&p);
  p = PARSE("-stdin", "x", "-y");
  assert_true(p.o.has_script);
  assert_null(p.o.script);
  assert_int_equal(p.o.script_index, 1);
  done(&p);
  p = PARSE("", "x"); /* ocaml "" reads the script from standard input */
  assert_true(p.o.has_script);
  assert_null(p.o.script);
  assert_int_equal(p.o.script_index, 1);
  done(&p);
  p = PARSE("-", "-odd.ml", "x");
  assert_string_equal(p.o.script, "-odd.ml");
  assert_int_equal(p.o.script_index, 1);
  done(&p);
  p = PARSE("-", "lib.so", "s.ml");
  assert_int_equal(p.o.nplugins, 1);
  assert_string_equal(p.o.script, "s.ml");
  assert_int_equal(p.o.script_index, 3);
  done(&p);
  /* natml's `--` (ocaml 4.13 refuses it): every later word is a file. */
  p = PARSE("-noprompt", "--", "-x.so", "-s.ml", "-y");
  assert_int_equal(p.action, CLI_RUN);
  assert_int_equal(p.o.nplugins, 1);
  assert_string_equal(p.o.plugins[0], "-x.so");
  assert_string_equal(p.o.script, "-s.ml");
  assert_int_equal(p.o.script_index, 4);
  done(&p);
  p = PARSE("--");
  assert_int_equal(p.action, CLI_RUN);
  assert_false(p.o.has_script);
  done(&p);
}

static void test_cli_warning_specs_kept_in_order(void **state) {
  (void)state;
  Parsed p = PARSE("-w", "-8", "-warn-error", "+10", "-w=@11");
  assert_int_equal(p.action, CLI_RUN);
  assert_int_equal(p.o.top.nwarn_specs, 3);
  assert_ptr_equal(p.o.top.warn_specs, p.o.warn_specs);
  assert_string_equal(p.o.warn_specs[0].spec, "-8");
  assert_false(p.o.warn_specs[0].error);
  assert_string_equal(p.o.warn_specs[1].spec, "+10");
  assert_true(p.o.warn_specs[1].error);
  assert_false(p.o.warnings.active[8]);
  assert_true(p.o.warnings.error[10] && p.o.warnings.active[11] && p.o.warnings.error[11]);
  done(&p);
}

/* ocaml -color=always -w zz: the alert in colour; ocaml -w zz
 * -color=always: the alert fixed the colours before -color was read. */
static void test_cli_alert_fixes_colours(void **state) {
  (void)state;
  Parsed p = PARSE("-color=always", "-w", "zz", "-color", "never");
  assert_int_equal(p.action, CLI_RUN);
  assert_string_equal(p.err, "\x1b[1mFile \"_none_\", line 1\x1b[0m:\n"
                             "\x1b[1;35mAlert\x1b[0m ocaml_deprecated_cli: Setting a warning with a sequence "
                             "of lowercase or uppercase letters,\n"
                             "like 'zz', is deprecated.\n"
                             "Use the equivalent signed form: -z-z.\n"
                             "Hint: Enabling or disabling a warning by its mnemonic name requires a + or - "
                             "prefix.\n");
  assert_true(p.o.color_fixed);
  assert_int_equal(p.o.top.color, TOP_COLOR_ALWAYS);
  cli_color_from_env(&p.o, "never", stderr);
  assert_int_equal(p.o.top.color, TOP_COLOR_ALWAYS);
  done(&p);
  p = PARSE("-color=never", "-w", "zz", "-color=always");
  assert_int_equal(p.o.top.color, TOP_COLOR_NEVER);
  done(&p);
}

/* OCAML_COLOR: read unless -color was given; a bad value draws warning
 * 46 (ocaml: OCAML_COLOR=x ocaml -noprompt < /dev/null). */
static void test_cli_ocaml_color_variable(void **state) {
  (void)state;
  Parsed p = PARSE("-noprompt");
  cli_color_from_env(&p.o, "always", stderr);
  assert_int_equal(p.o.top.color, TOP_COLOR_ALWAYS);
  done(&p);
  p = PARSE("-color", "never");
  cli_color_from_env(&p.o, "always", stderr);
  assert_int_equal(p.o.top.color, TOP_COLOR_NEVER);
  done(&p);
  p = PARSE("-color", "never");
  char *text;
  size_t len;
  FILE *err = open_memstream(&text, &len);
  cli_color_from_env(&p.o, "x", err);
  fclose(err);
  assert_string_equal(text, "File \"_none_\", line 1:\nWarning 46 [bad-env-variable]: illegal environment "
                            "variable OCAML_COLOR : expected \"auto\", \"always\" or \"never\"\n");
  free(text);
  done(&p);
  p = PARSE("-w", "-46");
  err = open_memstream(&text, &len);
  cli_color_from_env(&p.o, "x", err);
  fclose(err);
  assert_string_equal(text, "");
  free(text);
  done(&p);
}

static void test_cli_help_layout(void **state) {
  (void)state;
  char *text;
  size_t len;
  FILE *out = open_memstream(&text, &len);
  cli_help(out);
  fclose(out);
  const char *head = "Usage: natml <options> <files>\nOptions are:\n\n  -I <dir>  ";
  assert_memory_equal(text, head, strlen(head));
  assert_non_null(strstr(text, "\n  -init <file>  Load <file> instead of the default init file\n"));
  assert_non_null(strstr(text, "\n  -noinit  Do not load any init file\n"));
  assert_non_null(strstr(text, "\n  -color {auto|always|never}  "));
  assert_non_null(strstr(text, "\n  - <file>  Treat <file> as a file name (even if it starts with `-')\n"));
  static const char *const names[] = {"-open <module>", "-stdin",      "-w <list>",   "-warn-error <list>",
                                      "-rectypes",      "-principal",  "-labels",     "-nolabels",
                                      "-unsafe",        "-no-version", "-noprompt",   "-nopromptcont",
                                      "-vnum",          "-version",    "-dparse",     "-dir",
                                      "-dllvm",         "-dtimings",   "-delf <dir>", "-O3"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    char line[64];
    snprintf(line, sizeof line, "\n  %s  ", names[i]);
    assert_non_null(strstr(text, line));
  }
  const char *tail = "  -help  Display this list of options\n  --help  Display this list of options\n";
  assert_string_equal(text + len - strlen(tail), tail);
  free(text);
}

/* OCaml 4.13's order: ./.ocamlinit, XDG_CONFIG_HOME/ocaml/init.ml (or
 * HOME/.config/ocaml/init.ml when XDG_CONFIG_HOME is unset or empty),
 * HOME/.ocamlinit. */
static void touch(const char *path) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fclose(f);
}

static void test_cli_init_file_search(void **state) {
  (void)state;
  char tmpl[] = "/tmp/natml_cli_XXXXXX";
  char *root = mkdtemp(tmpl);
  assert_non_null(root);
  char cwd[4096], home[4200], xdg[4200], path[4400];
  assert_non_null(getcwd(cwd, sizeof cwd));
  snprintf(home, sizeof home, "%s/home", root);
  snprintf(xdg, sizeof xdg, "%s/xdg", root);
  mkdir(home, 0700);
  mkdir(xdg, 0700);
  assert_int_equal(chdir(root), 0);
  assert_null(cli_find_init_file(home, NULL));
  assert_null(cli_find_init_file(NULL, NULL));
  snprintf(path, sizeof path, "%s/.ocamlinit", home);
  touch(path);
  char *found = cli_find_init_file(home, xdg);
  assert_string_equal(found, path);
  free(found);
  snprintf(path, sizeof path, "%s/.config", home);
  mkdir(path, 0700);
  snprintf(path, sizeof path, "%s/.config/ocaml", home);
  mkdir(path, 0700);
  snprintf(path, sizeof path, "%s/.config/ocaml/init.ml", home);
  touch(path);
  found = cli_find_init_file(home, "");
  assert_string_equal(found, path);
  free(found);
  found = cli_find_init_file(home, xdg); /* XDG set, without the file: HOME/.ocamlinit */
  snprintf(path, sizeof path, "%s/.ocamlinit", home);
  assert_string_equal(found, path);
  free(found);
  snprintf(path, sizeof path, "%s/ocaml", xdg);
  mkdir(path, 0700);
  snprintf(path, sizeof path, "%s/ocaml/init.ml", xdg);
  touch(path);
  found = cli_find_init_file(home, xdg);
  assert_string_equal(found, path);
  free(found);
  touch(".ocamlinit");
  found = cli_find_init_file(home, xdg);
  assert_string_equal(found, ".ocamlinit");
  free(found);
  assert_int_equal(chdir(cwd), 0);
  char cmd[4400];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
  assert_int_equal(system(cmd), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cli_errors_are_ocamls),
      cmocka_unit_test(test_cli_help_and_version_act_at_once),
      cmocka_unit_test(test_cli_flags_and_arguments),
      cmocka_unit_test(test_cli_include_dirs_in_order),
      cmocka_unit_test(test_cli_plugins_script_and_arguments),
      cmocka_unit_test(test_cli_warning_specs_kept_in_order),
      cmocka_unit_test(test_cli_alert_fixes_colours),
      cmocka_unit_test(test_cli_ocaml_color_variable),
      cmocka_unit_test(test_cli_help_layout),
      cmocka_unit_test(test_cli_init_file_search),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
