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

/* Debugging dumps (-dparse -dir -dllvm -delf) and other settings. */
typedef struct TopOptions {
  bool noprompt; /* no "# " prompts */
  bool script;   /* script mode: nothing echoed, errors to stderr */
  bool dparse, dir, dllvm;
  bool dtimings;        /* print the time spent in each step at exit */
  const char *keep_dir; /* -delf DIR: keep each unit's .so there */
  int codegen_level;    /* machine codegen level for phrases (0 = fastest) */
  int opt_level;        /* IR pass pipeline before codegen (0 = none) */
  bool batch;           /* natmlc: no loading, no stdlib entries run */
} TopOptions;

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

/* Script mode: parses the whole file, then types and runs its items one
 * by one; errors and uncaught exceptions go to stderr. Returns the exit
 * status OCaml's `ocaml FILE` would have (0, or 2 on an error). */
int top_run_script(Session *s, const char *path);

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
