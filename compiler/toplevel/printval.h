/* printval.h — the toplevel's type-directed value printer (OCaml's
 * Genprintval and the value half of Oprint): given a runtime value and its
 * type, prints it exactly as OCaml 4.13's toplevel does, and lays out the
 * `val x : T = V`, `- : T = V` and `Exception: E.` lines around it.
 */
#ifndef NML_PRINTVAL_H
#define NML_PRINTVAL_H

#include <stdbool.h>

#include "fmt.h"
#include "types.h"
#include "value.h"

/* What the printer needs to know about the environment it prints in. Every
 * hook may be NULL. */
typedef struct PvOptions {
  /* Genprintval's limits: nesting depth (the toplevel's
   * max_printer_depth, 100) and the number of values printed (its
   * max_printer_steps, 300); past them values print as "...". They apply
   * when `limits` is set (#print_depth, #print_length), else the
   * defaults do. Strings longer than the steps left are truncated with
   * "... (* string length N; truncated *)". */
  bool limits;
  int max_depth;
  int max_steps;
  /* Finds the description of an exception constructor from its
   * constructor block (see natml_runtime.h), so that its arguments print
   * with their types. NULL, or a NULL result, prints the arguments
   * untyped as OCaml does for unknown exceptions: integers, strings and
   * floats as such, anything else as "_". */
  ConstrDesc *(*find_exn)(void *ctx, value constr_block);
  /* Decides whether a constructor, or the first field of a record, of the
   * type `ty` (a TY_CONSTR whose path is, e.g., "Vec.t") is printed with
   * its module path ("Vec.x"): OCaml qualifies when the bare name does not
   * resolve to that type in the current environment. The printed prefix is
   * ty->path up to its last dot. NULL never qualifies. */
  bool (*qualify)(void *ctx, Type *ty, const char *name, bool is_label);
  /* The user's printers (#install_printer), tried first at every value
   * within the limits: returns true when one printed v, of type ty, with
   * *text the text to show in its place. NULL when there are none. */
  bool (*custom)(void *ctx, Type *ty, value v, const char **text);
  void *ctx;
} PvOptions;

/* Prints the type of a binding (the type printer lives with the typer). */
typedef void (*PvTypePrinter)(Fmt *f, Type *ty, void *ctx);

/* Prints v, of type ty, as the toplevel prints a value: OCaml's outcome
 * tree for it, printed with Oprint's boxes. opt may be NULL. */
void printval_print_value(Fmt *f, value v, Type *ty, const PvOptions *opt);

/* One signature item with its value: "@[<2>@[<2>val NAME :@ TYPE@] =@
 * VALUE@]", operators parenthesised ("val ( + ) : ..."). The caller
 * separates items with fmt_space inside a "@[<v>" box (see
 * printval_print_bindings). */
void printval_print_val_item(Fmt *f, const char *name, Type *ty, value v, const PvOptions *opt,
                             PvTypePrinter print_type, void *type_ctx);

/* A binding the toplevel reports after a phrase. */
typedef struct PvBinding {
  const char *name;
  Type *ty;
  value v;
} PvBinding;

/* The whole report of a phrase that binds values only: the items, one a
 * line, in a vertical box, then a newline. Nothing when n is 0. */
void printval_print_bindings(Fmt *f, const PvBinding *items, int n, const PvOptions *opt,
                             PvTypePrinter print_type, void *type_ctx);

/* The report of an expression phrase: "@[- : TYPE@ =@ VALUE@]@.". */
void printval_print_eval(Fmt *f, Type *ty, value v, const PvOptions *opt, PvTypePrinter print_type,
                         void *type_ctx);

/* The report of an uncaught exception: "@[Exception:@ EXN.@]@.", or
 * OCaml's special lines for Stack_overflow, Out_of_memory and Sys.Break
 * ("Interrupted."). */
void printval_print_exception(Fmt *f, value exn, const PvOptions *opt);

/* Whether OCaml prints a value name in parentheses ("( + )", "( mod )"). */
bool printval_is_operator_name(const char *name);

#endif
