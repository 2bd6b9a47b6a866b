/* lower.h — lowering of the typed AST to the IR (lower.c, lower_match.c).
 * Internal to compiler/. */
#ifndef NML_LOWER_H
#define NML_LOWER_H

#include "diag.h"
#include "ir.h"
#include "types.h"

/* Lowers the items of a phrase or unit into an IrUnit whose entry
 * evaluates the items in order and returns the ML list of the values
 * they bind: for each item, the ValueDescs of item->bound in order, and
 * for an expression item (ITEM_EVAL) its value. `file` names the source
 * in Match_failure and Assert_failure ("//toplevel//" in the toplevel).
 * If slot_symbol is non-NULL, the entry also stores each bound value into
 * the global named slot_symbol(vd) (batch-compiled units own their
 * slots, listed in IrUnit.slots for codegen to define). Exceptions the
 * items declare are named exn_prefix + name at run time. */
IrUnit *lower_unit(Ctx *ctx, const char *unit_name, Item **items, int nitems, const char *file,
                   const char *(*slot_symbol)(void *, ValueDesc *), void *slot_arg, const char *exn_prefix);

/* Internal: the lowering state shared by lower.c and lower_match.c. */
typedef struct LowerMapEntry {
  const void *key;
  int var;
} LowerMapEntry;

typedef struct Lower {
  Ctx *ctx;
  Arena *a;
  IrUnit *unit;
  LowerMapEntry *map; /* ValueDesc* -> IR variable */
  int map_cap, map_len;
  int nlabels;
  int nfuncs;
  const char *file;
  const char *exn_prefix; /* "Stdlib." for exceptions of the stdlib */
  /* The functions of safe recursive modules (lower_recmod.c): each
   * ValueDesc the bodies use, with its cell and stub variables. */
  struct LowerRecVal *recvals;
  int nrecvals, crecvals;
} Lower;

int lower_new_var(Lower *L);
int lower_var_of(Lower *L, ValueDesc *vd); /* creates on first use */
Ir *lower_expr(Lower *L, Expr *e);
Ir *lower_value_ref(Lower *L, ValueDesc *vd, Loc loc);
/* Matches `subject` (a variable) against the cases in order; when none
 * matches, evaluates `on_fail` (Match_failure or re-raise). */
Ir *lower_cases(Lower *L, int subject, Case *cases, int ncases, Ir *on_fail);
/* Binds the variables of an irrefutable-by-typing pattern (let, fun
 * parameters) to parts of `subject`, then evaluates body; a refutable
 * pattern that fails evaluates on_fail. */
Ir *lower_bind(Lower *L, Pattern *p, int subject, Ir *body, Ir *on_fail);
Ir *lower_match_failure(Lower *L, Loc loc);
/* raise Undefined_recursive_module at loc. */
Ir *lower_undefined_recursive_module(Lower *L, Loc loc);
/* lower_recmod.c: module rec M1 : S1 = me1 and …, then body. */
Ir *lower_recmodule(Lower *L, Item *it, const char *prefix, Ir *body);
/* A use of vd when it is such a function: what its cell holds once
 * filled, its stub before; NULL for any other value. */
Ir *lower_recval_ref(Lower *L, ValueDesc *vd, Loc loc);
/* Evaluates an item (a structure's or a unit's) for the variables it
 * binds, then body; exceptions it declares are named prefix + name. */
Ir *lower_bind_item(Lower *L, Item *it, const char *prefix, Ir *body);
/* lower_mod.c: evaluates a module expression for the variables its
 * components are bound to (me->md's descriptors), then body. */
Ir *lower_bind_module(Lower *L, ModExpr *me, const char *prefix, Ir *body);
Ir *lower_let_module(Lower *L, Expr *e);
/* (module me : S): me's block seen through S. */
Ir *lower_pack(Lower *L, Expr *e);
Ir *lower_let_exception(Lower *L, Expr *e);
int lower_new_label(Lower *L);
bool lower_is_immediate_type(Type *t);
bool lower_is_float_type(Type *t);
/* Field `index` of a record of type d: a word, or for a record of floats
 * only (d->float_record, OCaml's Double_array_tag layout with the
 * doubles inline) a boxed float. */
Ir *lower_record_field(Lower *L, Ir *block, const TypeDecl *d, int index);

#endif
