/* main_natml.c — natml, the toplevel: `natml` (interactive or from
 * standard input), `natml -noprompt`, and script mode `natml FILE.ml`.
 * Plugins named before the script (`natml lib.so FILE.ml`, like `ocaml
 * lib.cmo FILE.ml`) are loaded first, in order. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compiler.h"
#include "natml_runtime.h"

static int usage(void) {
  fputs("usage: natml [-noprompt] [-dparse] [-dir] [-dllvm] [-delf DIR] [-O0..3] [PLUGIN.so...] "
        "[FILE.ml]\n",
        stderr);
  return 2;
}

int main(int argc, char **argv) {
  int anchor;
  nml_init(&anchor);
  TopOptions opt = {0};
  const char *script = NULL;
  int script_index = 0;
  /* Plugins are arguments: argc bounds their number. */
  const char **plugins = malloc(sizeof *plugins * (size_t)argc);
  int nplugins = 0;
  if (!plugins) return 2;
  for (int i = 1; i < argc && !script; i++) {
    const char *a = argv[i];
    if (strcmp(a, "-noprompt") == 0) opt.noprompt = true;
    else if (strcmp(a, "-dparse") == 0) opt.dparse = true;
    else if (strcmp(a, "-dir") == 0) opt.dir = true;
    else if (strcmp(a, "-dllvm") == 0) opt.dllvm = true;
    else if (strcmp(a, "-dtimings") == 0) opt.dtimings = true;
    else if (strcmp(a, "-delf") == 0 && i + 1 < argc) opt.keep_dir = argv[++i];
    else if (a[0] == '-' && a[1] == 'O' && a[2] >= '0' && a[2] <= '3' && !a[3]) opt.opt_level = a[2] - '0';
    else if (strcmp(a, "-no-version") == 0 || strcmp(a, "-noinit") == 0) continue;
    else if (a[0] != '-' && strlen(a) > 3 && strcmp(a + strlen(a) - 3, ".so") == 0) plugins[nplugins++] = a;
    else if (a[0] != '-') {
      script = a;
      script_index = i;
    } else {
      free(plugins);
      return usage();
    }
  }
  /* Sys.argv is computed when the stdlib starts: the script and its
   * arguments, as `ocaml FILE args` gives them; the toplevel alone sees
   * its own name. */
  if (script) nml_sys_set_argv(argc - script_index, argv + script_index);
  else nml_sys_set_argv(1, argv);
  if (script) {
    /* Scripts run once: their code is worth optimising. Measured on the
     * nine programs of ../shared/bench (scripts/bench_speed.sh, 2 cores,
     * median of 3): the IR pipeline at -O1 and -O2 (cg_emit.c) run
     * within 3% of each other on every program (allocation and the GC
     * dominate; float unboxing and inline allocation need only
     * early-cse/instcombine); -O2 costs ~2 ms more emission per unit (62
     * vs 45 ms for nbody's nine units). -O2 stays: the cost is small
     * against any run worth measuring, and its inliner and LICM pay off
     * on code the benchmarks do not cover (small helpers in loops). */
    opt.script = true;
    opt.codegen_level = 2;
    if (!opt.opt_level) opt.opt_level = 2;
  }
  Session *s = top_session_new(&opt, nml_stdlib_units, nml_stdlib_nunits);
  bool loaded = s != NULL;
  for (int i = 0; loaded && i < nplugins; i++) loaded = top_load(s, plugins[i]) == TOP_OK;
  free(plugins);
  if (!loaded) {
    if (s) top_session_free(s);
    return 2;
  }
  int rc;
  if (script) {
    rc = top_run_script(s, script);
  } else {
    bool tty = isatty(0) && isatty(1);
    /* The terminal's character set, so that libedit passes UTF-8 input
     * through whole. Only LC_CTYPE: number formatting stays C's. */
    if (tty) setlocale(LC_CTYPE, "");
    if (tty && !opt.noprompt) printf("        natml version 0.1 (OCaml 4.13 compatible)\n\n");
    top_loop(s, stdin, tty);
    rc = 0;
  }
  top_session_free(s);
  return rc;
}
