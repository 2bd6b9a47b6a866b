/* parmatch.h — exhaustiveness and redundancy of pattern matching (OCaml's
 * Parmatch): warnings 8 [partial-match], 11 [redundant-case] and 12
 * [redundant-subpat], with OCaml 4.13's choice and syntax of
 * counter-examples. The typer calls it where OCaml does: after the cases
 * of a match, function or try (or a let binding) are typed, so that the
 * warnings come before the phrase's `val` lines. Internal to compiler/.
 */
#ifndef NML_PARMATCH_H
#define NML_PARMATCH_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"

/* How the checks type a counter-example when the cases have GADT
 * constructors (OCaml's partial_pred): a candidate value that cannot have
 * the matched type is no counter-example. Every function answers in
 * the typer's pattern mode, where equations may be added; mark and undo
 * take back what was done since the mark. Provided by the typer. */
typedef struct PmMark {
  int trail, eqs;
} PmMark;
typedef struct PmTyper {
  void *cl;
  Type *ty; /* the matched type */
  PmMark (*mark)(void *cl);
  void (*undo)(void *cl, PmMark m);
  /* Whether c can build a value of type ty; its argument types in args. */
  bool (*constr)(void *cl, ConstrDesc *c, Type *ty, Type **args);
  /* Whether ty can be a tuple of n items; their types in items. */
  bool (*tuple)(void *cl, Type *ty, int n, Type **items);
  /* Whether ty can be fields[0]'s record type; the fields' types. */
  bool (*record)(void *cl, Type *ty, FieldDesc **fields, int n, Type **tys);
  /* How a wildcard of type ty is exploded to be checked (OCaml's
   * pats_of_type): PM_EMPTY (a variant without constructors),
   * PM_CONSTRS (*decl's constructors: all GADT ones, or at most one),
   * PM_TUPLE (*n items), PM_RECORD (*decl's fields), else PM_ANY. */
  int (*shape)(void *cl, Type *ty, TypeDecl **decl, int *n);
  /* Whether cases the types make unreachable are looked for (warning
   * 56, refutation cases): the cases have GADT constructors or `-> .`. */
  bool unreachable;
  /* Set by the checks: a refutation case (`p -> .`) that some value
   * reaches, with OCaml's message, for the typer to report. */
  const char *err;
  Loc err_loc;
} PmTyper;
enum { PM_ANY, PM_EMPTY, PM_CONSTRS, PM_TUPLE, PM_RECORD };

/* Checks the typed cases of a match, function or try whose whole
 * expression is at loc. When check_partial (match and function, not try),
 * warns 8 at loc if the cases without guards miss a value; then warns 11
 * at each case that can never match and 12 at each unused alternative of
 * an or-pattern. A match's `exception p` cases are checked apart from its
 * value cases, and only for redundancy. */
void parmatch_check_cases(Ctx *ctx, Loc loc, Case *cases, int ncases, bool check_partial, PmTyper *ty);

/* Whether the patterns have a GADT constructor (so that the checks need
 * a PmTyper). */
bool parmatch_has_gadt(const Pattern *p);

/* The two halves of parmatch_check_cases: warning 8, then 11 and 12. */
void parmatch_check_partial(Ctx *ctx, Loc loc, Case *cases, int ncases, bool check_partial, PmTyper *ty);
void parmatch_check_unused(Ctx *ctx, Case *cases, int ncases, PmTyper *ty);

/* Checks a typed `let p = e` binding: warning 8 at loc when p is
 * refutable. */
void parmatch_check_let(Ctx *ctx, Loc loc, Pattern *p);

/* Whether p mentions a constructor. OCaml 4.13 types `let p = e in body`
 * with one such binding as `match e with p -> body`: its warning and its
 * Match_failure then point at the whole let expression. */
bool parmatch_has_constructor(const Pattern *p);

/* OCaml's pressure_variants over the typed patterns pats[0..n) of a
 * match's cases: calls close(arg, row) for each polymorphic variant row
 * (a PAT_VARIANT's row_ty) that the cases match completely without a
 * catch-all, so that the typer closes it. */
void parmatch_pressure_variants(Arena *a, Pattern **pats, int n, void (*close)(void *arg, Type *row),
                                void *arg);

/* The counter-example OCaml prints for the typed patterns pats[0..n) of
 * unguarded cases, or NULL when they are exhaustive. For tests. */
const char *parmatch_counter_example(Arena *a, Pattern **pats, int n);

#endif
