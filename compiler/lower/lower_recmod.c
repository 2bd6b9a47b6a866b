/* lower_recmod.c — lowering of `module rec` (after ty_recmod.c), the
 * equivalent of OCaml's CamlinternalMod.init_mod / update_mod. The
 * bodies reach one another's components through the variables the
 * typer gave the declared signatures (RecModule.rec_vals):
 *   - a safe module's functions are stubs made before any body runs:
 *     each reads a cell, raises Undefined_recursive_module while it is
 *     empty, and else calls what it holds; once the body has run, its
 *     functions go into the cells (a stub kept by then forwards, as
 *     OCaml's overwritten stub closure does);
 *   - an unsafe module's components are its body's own, bound once it
 *     has run; the typer ordered the bodies so that no unsafe module is
 *     used before.
 * Unsafe bodies run first, then the safe ones, each in the typer's order
 * (Translmod.eval_rec_bindings). */
#include <string.h>

#include "lower.h"

struct LowerRecVal {
  const ValueDesc *vd;
  int cell, stub;
};

static void add_recval(Lower *L, const ValueDesc *vd, int cell, int stub) {
  if (L->nrecvals == L->crecvals) {
    int cap = L->crecvals ? 2 * L->crecvals : 16;
    struct LowerRecVal *n = ARENA_ARRAY(L->a, struct LowerRecVal, cap);
    if (L->nrecvals) memcpy(n, L->recvals, sizeof *n * (size_t)L->nrecvals);
    L->recvals = n;
    L->crecvals = cap;
  }
  L->recvals[L->nrecvals++] = (struct LowerRecVal){vd, cell, stub};
}

/* Read at each use, as OCaml reads the field of the module's block: the
 * function itself once the body has run, the stub before. */
Ir *lower_recval_ref(Lower *L, ValueDesc *vd, Loc loc) {
  for (int i = 0; i < L->nrecvals; i++) {
    struct LowerRecVal *r = &L->recvals[i];
    if (r->vd != vd) continue;
    int g = lower_new_var(L);
    Ir *e = ir_let(
        L->a, g, ir_prim(L->a, P_FIELD0, 1, ir_var(L->a, r->cell)),
        ir_if(L->a, ir_prim(L->a, P_IS_INT, 1, ir_var(L->a, g)), ir_var(L->a, r->stub), ir_var(L->a, g)));
    e->loc = loc;
    return e;
  }
  return NULL;
}

/* fun x -> match !cell with (empty) -> raise … | f -> f x */
static Ir *stub(Lower *L, int cell, Loc loc) {
  IrFunc *f = ARENA_NEW(L->a, IrFunc);
  f->id = L->nfuncs++;
  f->name = "recmod_stub";
  f->self_var = -1;
  f->nparams = 1;
  f->params = ARENA_ARRAY(L->a, int, 1);
  f->params[0] = lower_new_var(L);
  int g = lower_new_var(L);
  Ir *call = ir_new(L->a, IR_APPLY);
  call->a = ir_var(L->a, g);
  call->args = ARENA_ARRAY(L->a, Ir *, 1);
  call->args[0] = ir_var(L->a, f->params[0]);
  call->nargs = 1;
  call->loc = loc;
  Ir *empty = ir_prim(L->a, P_IS_INT, 1, ir_var(L->a, g));
  f->body = ir_let(L->a, g, ir_prim(L->a, P_FIELD0, 1, ir_var(L->a, cell)),
                   ir_if(L->a, empty, lower_undefined_recursive_module(L, loc), call));
  Ir *e = ir_new(L->a, IR_FUN);
  e->func = f;
  e->loc = loc;
  return e;
}

Ir *lower_recmodule(Lower *L, Item *it, const char *prefix, Ir *body) {
  int n = it->nrecs;
  RecModule *recs = it->recs;
  int **cells = ARENA_ARRAY(L->a, int *, n), **stubs = ARENA_ARRAY(L->a, int *, n);
  for (int i = 0; i < n; i++) {
    cells[i] = ARENA_ARRAY(L->a, int, recs[i].nvals + 1);
    stubs[i] = ARENA_ARRAY(L->a, int, recs[i].nvals + 1);
    for (int k = 0; k < recs[i].nvals; k++) {
      cells[i][k] = lower_new_var(L);
      stubs[i][k] = lower_new_var(L);
      if (recs[i].safe) add_recval(L, recs[i].rec_vals[k], cells[i][k], stubs[i][k]);
    }
  }
  /* Built inside out: the modules' own variables for what their bodies
   * only named, once all is made; before, the safe bodies, each filling
   * its cells. */
  Ir *e = body;
  for (int i = n - 1; i >= 0; i--)
    for (int k = recs[i].nvals - 1; k >= 0; k--)
      if (recs[i].final_vals && recs[i].final_vals[k])
        e = ir_let(L->a, lower_var_of(L, recs[i].final_vals[k]),
                   lower_value_ref(L, recs[i].impl_vals[k], recs[i].mexpr->loc), e);
  for (int x = n - 1; x >= 0; x--) {
    RecModule *r = &recs[it->rec_order[x]];
    int i = it->rec_order[x];
    if (!r->safe) continue;
    for (int k = r->nvals - 1; k >= 0; k--) {
      /* A component that is its own stub (`= M`) leaves the cell empty:
       * calling it raises, as OCaml's update_mod leaves such a stub. */
      int v = lower_new_var(L);
      Ir *fill = ir_prim(L->a, P_SETFIELD0, 2, ir_var(L->a, cells[i][k]), ir_var(L->a, v));
      Ir *self = ir_prim(L->a, P_EQ, 2, ir_var(L->a, v), ir_var(L->a, stubs[i][k]));
      fill = ir_if(L->a, self, ir_unit(L->a), fill);
      e = ir_seq(L->a, ir_let(L->a, v, lower_value_ref(L, r->impl_vals[k], r->mexpr->loc), fill), e);
    }
    e = lower_bind_module(L, r->mexpr, arena_printf(L->a, "%s%s.", prefix, r->name), e);
  }
  for (int x = n - 1; x >= 0; x--) {
    RecModule *r = &recs[it->rec_order[x]];
    if (r->safe) continue;
    for (int k = r->nvals - 1; k >= 0; k--)
      if (r->rec_vals[k]->kind == VAL_LOCAL)
        e = ir_let(L->a, lower_var_of(L, r->rec_vals[k]), lower_value_ref(L, r->impl_vals[k], r->mexpr->loc),
                   e);
    e = lower_bind_module(L, r->mexpr, arena_printf(L->a, "%s%s.", prefix, r->name), e);
  }
  for (int i = n - 1; i >= 0; i--) {
    RecModule *r = &recs[i];
    if (!r->safe) continue;
    for (int k = r->nvals - 1; k >= 0; k--) {
      e = ir_let(L->a, stubs[i][k], stub(L, cells[i][k], r->mexpr->loc), e);
      e = ir_let(L->a, cells[i][k], ir_prim(L->a, P_MAKEMUTABLE, 1, ir_int(L->a, 0)), e);
    }
  }
  return e;
}
