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

/* Checks the typed cases of a match, function or try whose whole
 * expression is at loc. When check_partial (match and function, not try),
 * warns 8 at loc if the cases without guards miss a value; then warns 11
 * at each case that can never match and 12 at each unused alternative of
 * an or-pattern. A match's `exception p` cases are checked apart from its
 * value cases, and only for redundancy. */
void parmatch_check_cases(Ctx *ctx, Loc loc, Case *cases, int ncases, bool check_partial);

/* The two halves of parmatch_check_cases: warning 8, then 11 and 12. */
void parmatch_check_partial(Ctx *ctx, Loc loc, Case *cases, int ncases, bool check_partial);
void parmatch_check_unused(Ctx *ctx, Case *cases, int ncases);

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
