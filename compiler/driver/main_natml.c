/* main_natml.c — natml, the toplevel, started as OCaml 4.13's `ocaml`
 * starts: the command line (cli.c), then the session; plugins named on
 * it (`natml lib.so FILE.ml`, like `ocaml lib.cmo FILE.ml`) load first,
 * in order; then either a script (`natml FILE.ml args`, `natml -stdin`)
 * runs, or the toplevel does: banner, -open, the init file, the loop. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "natml_runtime.h"

/* -open takes a module path: capitalised names joined by dots. OCaml's
 * parser rejects anything else with an exception nobody catches. */
static bool is_module_path(const char *s) {
  for (;;) {
    if (!(*s >= 'A' && *s <= 'Z')) return false;
    while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ||
           *s == '\'')
      s++;
    if (!*s) return true;
    if (*s++ != '.') return false;
  }
}

static bool open_modules(Session *s, const CliOptions *o) {
  for (int i = 0; i < o->nopens; i++) {
    if (!is_module_path(o->opens[i])) {
      fflush(stdout);
      fputs("Fatal error: exception Syntaxerr.Error(_)\n", stderr);
      return false;
    }
    if (top_open_module(s, o->opens[i]) != TOP_OK) return false;
  }
  return true;
}

/* The init file, as OCaml's toplevel reads it before its first prompt:
 * none with -noinit; -init's file, with a message when it is missing;
 * else the first of ./.ocamlinit, the XDG config file and ~/.ocamlinit. */
static void run_init_file(Session *s, const CliOptions *o) {
  if (o->noinit) return;
  if (o->init_file) {
    struct stat st;
    if (stat(o->init_file, &st) == 0) top_use_silently(s, o->init_file);
    else printf("Init file not found: \"%s\".\n", o->init_file);
    return;
  }
  char *found = cli_find_init_file(getenv("HOME"), getenv("XDG_CONFIG_HOME"));
  if (found) top_use_silently(s, found);
  free(found);
}

/* The toplevel: banner, -open, init file, then phrases until the end of
 * input or #quit. Returns the exit status. */
static int run_toplevel(Session *s, const CliOptions *o) {
  bool tty = isatty(0) && isatty(1);
  /* The terminal's character set, so that libedit passes UTF-8 input
   * through whole. Only LC_CTYPE: number formatting stays C's. */
  if (tty) setlocale(LC_CTYPE, "");
  /* ocaml prints its banner whether or not it talks to a terminal; natml
   * only at one. Every transcript test (ours, ../shared/conformance, the
   * OCaml testsuite driver) pipes `natml -noprompt` and expects no
   * banner, where ocaml is run with -no-version or its banner stripped. */
  if (tty && !o->noversion)
    printf("        natml version " NATML_VERSION " (OCaml " NATML_OCAML_VERSION " compatible)\n\n");
  if (!open_modules(s, o)) return 2;
  run_init_file(s, o);
  top_loop(s, stdin, tty);
  return 0;
}

int main(int argc, char **argv) {
  int anchor;
  nml_init(&anchor);
  CliOptions o;
  CliAction action = cli_parse(argc, argv, &o, stderr);
  int rc = 0;
  switch (action) {
  case CLI_RUN: break;
  case CLI_HELP: cli_help(stdout); break;
  case CLI_VERSION: puts(cli_version_line()); break;
  case CLI_VNUM: puts(NATML_VERSION); break;
  case CLI_ERROR: rc = 2; break;
  }
  if (action != CLI_RUN) {
    cli_free(&o);
    return rc;
  }
  cli_color_from_env(&o, getenv("OCAML_COLOR"), stderr);
  /* Sys.argv is computed when the stdlib starts: the script and its
   * arguments (from -stdin or `-` when they came first), as `ocaml FILE
   * args` gives them; the whole command line for the toplevel. */
  if (o.has_script) nml_sys_set_argv(argc - o.script_index, argv + o.script_index);
  else nml_sys_set_argv(argc, argv);
  if (o.has_script) {
    /* Scripts run once: their code is worth optimising. Measured on the
     * nine programs of ../shared/bench (scripts/bench_speed.sh, 2 cores,
     * median of 3): the IR pipeline at -O1 and -O2 (cg_emit.c) run
     * within 3% of each other on every program (allocation and the GC
     * dominate; float unboxing and inline allocation need only
     * early-cse/instcombine); -O2 costs ~2 ms more emission per unit (62
     * vs 45 ms for nbody's nine units). -O2 stays: the cost is small
     * against any run worth measuring, and its inliner and LICM pay off
     * on code the benchmarks do not cover (small helpers in loops). */
    o.top.script = true;
    o.top.codegen_level = 2;
    if (!o.top.opt_level) o.top.opt_level = 2;
  }
  Session *s = top_session_new(&o.top, nml_stdlib_units, nml_stdlib_nunits);
  if (!s) {
    cli_free(&o);
    return 2;
  }
  /* OCaml's toplevel library sets Sys.interactive as it starts; a script
   * sets it back to false, after the plugins' code has run. */
  top_set_interactive(s, true);
  /* -I: after the current directory, in command-line order. */
  for (int i = o.ninclude_dirs - 1; i >= 0; i--) top_add_directory(s, o.include_dirs[i], true);
  bool loaded = true;
  for (int i = 0; loaded && i < o.nplugins; i++) loaded = top_load(s, o.plugins[i]) == TOP_OK;
  if (!loaded) rc = 2;
  else if (!o.has_script) rc = run_toplevel(s, &o);
  else if (!open_modules(s, &o)) rc = 2;
  else rc = top_run_script(s, o.script);
  top_session_free(s);
  cli_free(&o);
  return rc;
}
