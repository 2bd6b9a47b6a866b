/* session.h — the toplevel session's state, shared by the files of the
 * toplevel (session.c, toplevel.c, top_loop.c, top_print.c, batch.c).
 * Internal to compiler/. */
#ifndef NML_SESSION_H
#define NML_SESSION_H

#include "cg.h"
#include "compiler.h"
#include "diag.h"
#include "dynlink.h"
#include "typecheck.h"

/* The steps of the phrase pipeline, for -dtimings. */
enum { TOP_PARSE, TOP_TYPE, TOP_LOWER, TOP_CODEGEN, TOP_EMIT, TOP_LINK, TOP_LOAD, TOP_RUN,
       TOP_PRINT, TOP_NSTEPS };

struct Session {
  TopOptions opt;
  Arena perm;             /* session arena: environment, interfaces */
  Typer *ty;
  CgSession cg;
  DlContext *dl;          /* NULL in batch mode */
  int unit_counter;
  value *slots;           /* current slab of GC-scanned value slots */
  int slots_left;
  const char *file;       /* "//toplevel//" or the script's path */
  FILE *out;              /* stdout; stderr for diagnostics in scripts */
  FILE *err;
  double step_ms[TOP_NSTEPS]; /* -dtimings: time spent in each step */
};

/* Timing of the pipeline's steps (-dtimings). */
double top_now_ms(void);
void top_print_timings(Session *s);

/* A fresh GC-scanned slot for a toplevel value, registered in dynlink
 * under a new symbol; returns the symbol. */
const char *top_new_slot(Session *s, value v);

/* Runs a unit entry inside a trap frame. Returns true with its result, or
 * false with the exception it raised. */
bool top_run_entry(value (*entry)(void), value *result, value *exn);

/* Types, compiles, runs and reports the items of one phrase (the pipeline
 * of toplevel.c). Errors unwind to ctx->bail, which the caller set. */
TopStatus top_exec_items(Session *s, Ctx *ctx, Item **items, int n);

/* Sets up a phrase context over text. */
void top_ctx_init(Session *s, Ctx *ctx, Arena *arena, const char *text, int len);

/* Compiles items into an LLVM module named after unit_name (lowering,
 * closure conversion, codegen), honouring -dir/-dllvm. */
LLVMModuleRef top_compile_items(Session *s, Ctx *ctx, const char *unit_name, Item **items,
                                int n, const char *(*slot_symbol)(void *, ValueDesc *),
                                void *slot_arg, const char *exn_prefix, bool *releasable);

/* Printing (top_print.c). */
void top_print_diags(Session *s, Ctx *ctx);
void top_print_exception(Session *s, value exn);
void top_print_results(Session *s, Item **items, int n, value list);

#endif

/* Units (files compiled as modules): types a unit's items as the body of
 * module `name`, binds the module (and opens it when it is Stdlib), and
 * makes every value it binds a VAL_GLOBAL read from the slot symbol that
 * natmlc gives it. Returns the module item (its `bound` lists the
 * values). Errors unwind to ctx->bail. */
Item *top_declare_unit(Session *s, Ctx *ctx, const char *name, Item **items, int n);
/* The symbol of value number index (in the module item's bound order)
 * of a batch-compiled unit. */
const char *top_unit_slot_symbol(Arena *a, const char *unit, int index, const char *name);
/* The prefix of exception names of a stdlib unit ("Stdlib.", "Stdlib.List."). */
const char *top_unit_exn_prefix(Arena *a, const char *unit);
/* "list.ml" -> "List". */
const char *top_unit_name_of_path(Arena *a, const char *path);
