/* session.h — the toplevel session's state and the phrase boundary,
 * shared by the files of the toplevel (top_session.c, top_phrase.c,
 * top_loop.c, top_plugin.c, top_print.c) and by natmlc_batch.c.
 * Internal to compiler/. */
#ifndef NML_SESSION_H
#define NML_SESSION_H

#include "codegen.h"
#include "compiler.h"
#include "diag.h"
#include "dynlink.h"
#include "printval.h"
#include "typecheck.h"

/* The steps of the phrase pipeline, for -dtimings. */
enum {
  TOP_PARSE,
  TOP_TYPE,
  TOP_LOWER,
  TOP_CODEGEN,
  TOP_EMIT,
  TOP_LINK,
  TOP_LOAD,
  TOP_RUN,
  TOP_PRINT,
  TOP_NSTEPS
};

/* A unit whose interface the session knows: a stdlib unit, or a unit
 * of a plugin that was loaded (or, in natmlc, named on the command line
 * or compiled). */
typedef struct TopUnit {
  const char *name;
  const char *file; /* where its interface came from (messages) */
  ModuleDesc *md;   /* its module in the environment */
  bool stdlib;      /* a unit of the linked standard library */
  bool has_digest;  /* digest computed (lazily: start-up is fast) */
  unsigned char digest[16];
} TopUnit;

struct Session {
  TopOptions opt;
  Arena perm; /* session arena: environment, interfaces */
  Typer *ty;
  CgSession *cg; /* code generation at the session's levels */
  DlContext *dl; /* NULL in batch mode */
  int unit_counter;
  value *slots; /* current slab of GC-scanned value slots */
  int slots_left;
  const char *file; /* "//toplevel//" or the script's path */
  FILE *out;        /* stdout: results, and the toplevel's messages */
  FILE *err;        /* stderr: dumps, and a script's messages */
  /* Where diagnostics, uncaught exceptions and directives' errors go:
   * out, or err while a script runs (OCaml's ppf for each). */
  FILE *msgs;
  /* Results ("val x : int = 1") are not printed: while a script or an
   * init file runs (OCaml's use_silently), #use'd files within them too. */
  bool silent;
  bool color; /* diagnostics in OCaml's colours */
  /* At a terminal (top_loop.c), OCaml's toplevel highlights a phrase's
   * diagnostic locations in the phrase itself, redrawn in place; it
   * counts the lines printed since the phrase was read to find it. */
  bool highlight;
  int lines_since_input;
  WarnSettings warnings;      /* which warnings are reported, and how */
  double step_ms[TOP_NSTEPS]; /* -dtimings: time spent in each step */
  TopUnit *units;             /* known units, in the order they came */
  int nunits, units_cap;
  /* Units of plugins whose initialisation raised: their code stays
   * mapped, its symbols first in the process's global scope, so plugins
   * using a unit of that name would bind to it and are refused. */
  PtrVec failed_units; /* const char * in perm */
  /* The search path (top_path.c), in search order: const char * in perm. */
  PtrVec load_path;
  /* How values print (top_printers.c): #print_depth, #print_length, and
   * the printers of #install_printer, the latest last. */
  int print_depth, print_length;
  PtrVec printers;
  /* The folder searched before it: NULL for the current directory (names
   * found there stay as given), or a script's folder ("." for "s.ml"). */
  const char *base_dir;
  /* #trace's tracer (top_trace.c), made by the first #trace; NULL before. */
  struct TopTrace *trace;
};

/* The search path (top_path.c). top_path_init adds NATML_PATH's
 * directories and the install prefix's plugin folder; -I and #directory
 * add theirs with top_add_directory (compiler.h), first in the search
 * order or last. top_find_in_path returns name itself when it has a
 * directory part or names a file of the current directory (base_dir/name
 * when base_dir is set and that file exists), else the first directory's
 * file of that name, else NULL: the caller says "Cannot find file NAME."
 * (OCaml's words) with the name it was given. */
void top_path_init(Session *s);
void top_remove_directory(Session *s, const char *dir);
const char *top_find_in_path(Session *s, const char *name);

/* Values (top_printers.c). The value a path names in the environment,
 * or NULL; the slot holding a value's run-time value, or NULL when it
 * has none (externals, values of batch compilation). */
ValueDesc *top_lookup_value(Session *s, const Path *p);
value *top_value_slot(Session *s, ValueDesc *vd);
/* The limits (#print_depth, #print_length) and the user's printers
 * (#install_printer), for top_printval_options. */
PvOptions top_printers_options(Session *s);

/* Timing of the pipeline's steps (-dtimings). */
double top_now_ms(void);
void top_print_timings(Session *s);

/* A fresh GC-scanned slot for a toplevel value, registered in dynlink
 * under a new symbol; returns the symbol. */
const char *top_new_slot(Session *s, value v);

/* The phrase boundary (top_phrase.c), written once on ctx_protect
 * (diag.h); every entry point goes through it: a toplevel phrase, each
 * item of a script or a #use file, #load, the stdlib's interfaces at
 * start-up, each unit natmlc compiles.
 *
 * A step of work at the boundary: compile errors unwind out of it. */
typedef TopStatus (*TopPhraseFn)(Session *s, Ctx *ctx, void *arg);
/* Runs fn in ctx. When it unwinds, rolls back what the typer declared
 * since the last ty_commit (ty_rollback), prints the diagnostics
 * (top_print_diags) and returns TOP_ERROR; otherwise returns fn's status.
 * Boundaries nest: each item of a #use file has its own, inside the
 * phrase that says #use. */
TopStatus top_protect(Session *s, Ctx *ctx, TopPhraseFn fn, void *arg);
/* A phrase of its own: a fresh phrase arena and Ctx over text[0..len)
 * (fn may set ctx->filename for messages), top_protect, then s->out
 * flushed and the arena dropped, on success and on error alike. */
TopStatus top_phrase(Session *s, const char *text, int len, TopPhraseFn fn, void *arg);

/* Types, compiles, runs and reports the items of one phrase (the pipeline
 * of top_phrase.c). Errors unwind to ctx->bail. */
TopStatus top_exec_items(Session *s, Ctx *ctx, Item **items, int n);
/* Script mode's second half of that pipeline: compiles items that were
 * typed and committed one at a time (ty_commit after each) as one unit,
 * runs it, and binds their values to slots. After an uncaught exception
 * nothing is rolled back: the script stops there. Compile errors unwind
 * to ctx->bail. */
TopStatus top_run_committed(Session *s, Ctx *ctx, Item **items, int n);

/* Lowers typed items into the flat IR of a unit named unit_name
 * (lowering, closure conversion), honouring -dir; codegen.h takes it from
 * there. slot_symbol names the slots of batch-compiled units (NULL in the
 * toplevel). Errors unwind to ctx->bail. */
IrUnit *top_lower_items(Session *s, Ctx *ctx, const char *unit_name, Item **items, int n,
                        const char *(*slot_symbol)(void *, ValueDesc *), void *slot_arg,
                        const char *exn_prefix);

/* Printing (top_print.c). */
void top_print_diags(Session *s, Ctx *ctx);
/* The value printer's options for the session's current environment
 * (how exceptions are found, when constructors are qualified) with its
 * limits and printers. */
PvOptions top_printval_options(Session *s);
void top_print_exception(Session *s, value exn);
void top_print_results(Session *s, Item **items, int n, value list);

/* Units (files compiled as modules): types a unit's items as the body of
 * module `name`, binds the module (and opens it when it is Stdlib), and
 * makes every value it binds a VAL_GLOBAL read from the slot symbol that
 * natmlc gives it. Returns the module item (its `bound` lists the
 * values). Errors unwind to ctx->bail. */
Item *top_declare_unit(Session *s, Ctx *ctx, const char *name, Item **items, int n);
/* The two halves of top_declare_unit, for plugins, whose units are
 * typed in one phrase and committed only once all of them loaded and ran:
 * top_type_unit types the items as module `name` in the current phrase;
 * top_bind_unit, after ty_commit, binds the unit's values to their slot
 * symbols and records the unit as known, its interface from `file`. */
Item *top_type_unit(Session *s, Ctx *ctx, const char *name, Item **items, int n);
void top_bind_unit(Session *s, Item *mod, const char *file);
/* The known unit called name, or NULL. */
TopUnit *top_find_unit(Session *s, const char *name);
/* The digest of a known unit's interface (iface.c), computed on first
 * use. */
const unsigned char *top_unit_digest(Session *s, TopUnit *u);
/* A unit module's values as a plugin descriptor lists them: (name, slot
 * symbol) for each value of its signature, in order, allocated in a.
 * Returns the count. */
int top_unit_values(Arena *a, ModuleDesc *md, const char ***names, const char ***symbols);
/* The symbol of value number index (in the module item's bound order)
 * of a batch-compiled unit. */
const char *top_unit_slot_symbol(Arena *a, const char *unit, int index, const char *name);
/* The prefix of exception names of a stdlib unit ("Stdlib.", "Stdlib.List."). */
const char *top_unit_exn_prefix(Arena *a, const char *unit);
/* "list.ml" -> "List". */
const char *top_unit_name_of_path(Arena *a, const char *path);

/* #trace (top_trace.c): the tracer's state, and its release with the
 * session (every traced function is untraced first). */
typedef struct TopTrace TopTrace;
void top_trace_free(Session *s);

/* Plugins (top_plugin.c). Checks the plugin file at path and declares
 * its units in the session; unless declare_only (natmlc reading a plugin
 * it compiles against), also loads it and runs its units' entries.
 * Prints an OCaml-style message and changes nothing on any failure. */
TopStatus top_plugin_load(Session *s, const char *path, bool declare_only);

#endif
