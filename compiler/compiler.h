/* compiler.h — natml's compiler and toplevel, the public interface of
 * compiler/: a session that compiles phrases to native code and runs
 * them, the toplevel loop and script mode over it, and batch compilation
 * of units (natmlc).
 *
 * A session owns the type environment, the code generator's state, the
 * dynlink context and the toplevel's value slots. It is not thread-safe;
 * several sessions may exist in one process only one at a time (they
 * share the runtime's global state).
 */
#ifndef NML_COMPILER_H
#define NML_COMPILER_H

#include <stdbool.h>
#include <stdio.h>

#include "natml_runtime.h" /* NmlLinkedUnit */

/* -color: OCaml's three settings for coloured messages. */
typedef enum TopColor { TOP_COLOR_AUTO, TOP_COLOR_ALWAYS, TOP_COLOR_NEVER } TopColor;

/* One -w (error false) or -warn-error (error true) specification, in
 * OCaml's syntax ("+a-4@8", "-partial-match"). */
typedef struct TopWarnSpec {
  const char *spec;
  bool error;
} TopWarnSpec;

/* Debugging dumps (-dparse -dir -dllvm -delf) and other settings. A
 * zeroed TopOptions is natml's default session. */
typedef struct TopOptions {
  bool noprompt;     /* no prompts at all */
  bool nopromptcont; /* no "  " / "* " prompts on a phrase's later lines */
  bool script;       /* script mode: nothing echoed, errors to stderr */
  bool dparse, dir, dllvm;
  bool dtimings;        /* print the time spent in each step at exit */
  const char *keep_dir; /* -delf DIR: keep each unit's .so there */
  int codegen_level;    /* machine codegen level for phrases (0 = fastest) */
  int opt_level;        /* IR pass pipeline before codegen (0 = none) */
  bool batch;           /* natmlc: no loading, no stdlib entries run */
  TopColor color;       /* diagnostics in OCaml's colours (top_color_wanted) */
  /* -w and -warn-error, applied in this order over OCaml's defaults once
   * the stdlib is read (which they never concern). The caller has checked
   * them (an ill-formed one is ignored here). */
  const TopWarnSpec *warn_specs;
  int nwarn_specs;
  /* -rectypes: the typer allows cyclic types (ty_set_rectypes). */
  bool rectypes;
  /* OCaml's other typing and code options. nolabels is OCaml's classic
   * mode (ty_set_classic). The others are accepted and kept so that
   * command lines written for `ocaml` work, but not consulted yet:
   * natml's typer checks no principality (-principal), and compiled code
   * keeps every bounds check (-unsafe). */
  bool principal, nolabels, unsafe;
} TopOptions;

/* Whether messages get OCaml's colours under a -color setting: ALWAYS and
 * NEVER say so; AUTO is OCaml's heuristic, colours when standard error is
 * a terminal and TERM is set and not "dumb". */
bool top_color_wanted(TopColor setting);

typedef struct Session Session;

/* Creates a session: starts the runtime if needed, reads the interfaces
 * of the linked stdlib units and runs their entries (unless batch).
 * Returns NULL after printing a message on failure. */
Session *top_session_new(const TopOptions *opt, const NmlLinkedUnit *stdlib, int nstdlib);
void top_session_free(Session *s);

/* The result of running input. */
typedef enum TopStatus { TOP_OK, TOP_ERROR, TOP_QUIT } TopStatus;

/* Reads phrases from `in` until end of input or #quit, printing each
 * phrase's results (OCaml's toplevel). interactive: line editing and
 * history with libedit, prompts unless noprompt. */
TopStatus top_loop(Session *s, FILE *in, bool interactive);

/* Script mode: parses the whole file (standard input when path is NULL,
 * named "(stdin)" in messages, as `ocaml -stdin`), then types and runs
 * its items one by one; results are not printed, errors and uncaught
 * exceptions go to stderr. Sets Sys.interactive to false first, as OCaml
 * does for scripts. Returns the exit status OCaml's `ocaml FILE` would
 * have (0, or 2 on an error). */
int top_run_script(Session *s, const char *path);

/* An init file (.ocamlinit, -init FILE), as OCaml's toplevel runs it
 * before its first prompt: its phrases one at a time, their results not
 * printed, diagnostics and uncaught exceptions on standard output,
 * stopping at the first error. The file is found as #use finds it. */
TopStatus top_use_silently(Session *s, const char *path);

/* -open M: opens module path M (dotted) in the session before the first
 * phrase. When M is no module, prints OCaml's "File "command line", line
 * 1:" error (on stderr in script mode) and returns TOP_ERROR. */
TopStatus top_open_module(Session *s, const char *path);

/* Sets the stdlib's Sys.interactive: true for the toplevel's read loop,
 * false for scripts (top_run_script sets that itself). */
void top_set_interactive(Session *s, bool interactive);

/* Adds dir to the search path of #use and #load: first in
 * the search order, or last. "+name" names the folder name of natml's
 * plugin folder (OCaml's "+name" names a folder of its stdlib's). The
 * current directory is always searched before the path. */
void top_add_directory(Session *s, const char *dir, bool first);

/* Compiles phrase text (one phrase, up to its ";;") and runs it, printing
 * the results to stdout. */
TopStatus top_run_phrase(Session *s, const char *text, int len);

/* natmlc: the support object (apply helpers) and the standard library.
 * Return 0 on success, print a message and return 2 on failure. */
int natmlc_support(const char *out_obj);
int natmlc_stdlib(const char **files, int nfiles, const char *out_obj, const char *out_c);
/* natmlc -shared: compiles the .ml files, each a unit named after its
 * file, into one plugin written to out (plugins/natml.h), typed against
 * the linked stdlib and the plugins (.so files) among files, whose units
 * it may use. */
int natmlc_shared(const NmlLinkedUnit *stdlib, int nstdlib, const char **files, int nfiles, const char *out);

/* #load: checks the plugin at path, loads it and runs its units, adding
 * their interfaces to the environment (a message and TOP_ERROR on any
 * failure, with nothing loaded). */
TopStatus top_load(Session *s, const char *path);

#endif
