/* cli.h — natml's command line, read as OCaml 4.13's `ocaml` reads its
 * own (its Arg module's rules): options in order, an option's argument
 * the next word or what follows '=' in the same word, plugins (.so, in
 * place of ocaml's .cmo/.cma) to load first, and then the script, after
 * which every word is the script's argument. cli_parse turns argv into
 * options and one action and prints nothing but its errors, so that it
 * is unit-tested (tests/unit/test_cli.c); main_natml.c acts on them.
 * Internal to the driver.
 */
#ifndef NML_CLI_H
#define NML_CLI_H

#include <stdio.h>

#include "compiler.h"
#include "warnings.h"

/* natml's version, and the OCaml it follows. */
#define NATML_VERSION       "0.1"
#define NATML_OCAML_VERSION "4.13"

/* What main does once the command line is read. */
typedef enum CliAction {
  CLI_RUN,     /* start the toplevel, or run the script */
  CLI_HELP,    /* -help, --help: print cli_help's list, exit 0 */
  CLI_VERSION, /* -version, --version: print cli_version_line, exit 0 */
  CLI_VNUM,    /* -vnum: print NATML_VERSION alone, exit 0 */
  CLI_ERROR,   /* a message was printed: exit 2 */
} CliAction;

typedef struct CliOptions {
  TopOptions top;       /* top.warn_specs is warn_specs below */
  const char **plugins; /* .so files to load first, in order */
  int nplugins;
  const char **include_dirs; /* -I, in command-line order */
  int ninclude_dirs;
  const char **opens; /* -open, in command-line order */
  int nopens;
  TopWarnSpec *warn_specs; /* -w and -warn-error, in command-line order */
  int nwarn_specs;
  WarnSettings warnings; /* OCaml's defaults with warn_specs applied */
  const char *init_file; /* -init FILE, or NULL */
  bool noinit;           /* -noinit */
  bool noversion;        /* -no-version: no banner */
  bool color_given;      /* -color was given: OCAML_COLOR is not read */
  /* A message printed while the command line was read fixed the colours
   * (OCaml sets them up once, at its first message): top.color is
   * ALWAYS or NEVER and no later setting changes it. */
  bool color_fixed;
  bool has_script;    /* a script runs: script, or standard input */
  const char *script; /* its path; NULL with has_script: standard input (-stdin, or "") */
  /* Where the script's Sys.argv starts in argv: the script's name, or
   * the -stdin or `-` before it, as `ocaml` gives them. */
  int script_index;
} CliOptions;

/* Reads argv into *o (zeroed first) and returns the action. Errors are
 * printed to err in OCaml's words with argv[0] as the program's name
 * ("natml: unknown option '-foo'." and the usage lines), as are the
 * alerts of deprecated warning specifications (which do not stop). Free
 * *o with cli_free whatever the action. */
CliAction cli_parse(int argc, char **argv, CliOptions *o, FILE *err);
void cli_free(CliOptions *o);

/* OCAML_COLOR's value (NULL when unset): the colour setting unless
 * -color gave one; a value other than auto, always or never draws OCaml's
 * warning 46 on err (when -w leaves it active). */
void cli_color_from_env(CliOptions *o, const char *env, FILE *err);

/* The list of options in OCaml's -help layout. */
void cli_help(FILE *out);
/* "The natml toplevel, version 0.1 (OCaml 4.13 compatible)" (ocaml's
 * -version says "The OCaml toplevel, version 4.13.1"), no newline. */
const char *cli_version_line(void);

/* The init file OCaml 4.13's toplevel would read with these HOME and
 * XDG_CONFIG_HOME values (NULL or "" when unset): ./.ocamlinit, else
 * init.ml in the ocaml folder of XDG_CONFIG_HOME (of HOME/.config when
 * that is unset), else HOME/.ocamlinit; NULL when none exists. Free the
 * result with free. */
char *cli_find_init_file(const char *home, const char *xdg_config_home);

#endif
