/* lower_match.c — lowering of patterns: let/fun destructuring and match,
 * function and try cases. Cases are tried in order; each pattern becomes
 * a chain of tests on the subject and its parts that binds the pattern's
 * variables or jumps to the next case (IR_CATCH / IR_EXIT). Or-patterns
 * join their branches through a shared handler that binds the variables.
 * (A decision-tree compiler with exhaustiveness analysis replaces the
 * test chains in a later step.) */
#include "lower.h"

#include <string.h>

#include "natml_runtime.h"

static Ir *exit_to(Lower *L, int label) {
  Ir *e = ir_new(L->a, IR_EXIT);
  e->imm = label;
  return e;
}

static Ir *catch_(Lower *L, Ir *body, int label, int *vars, int nvars, Ir *handler) {
  Ir *e = ir_new(L->a, IR_CATCH);
  e->a = body;
  e->imm = label;
  e->vars = vars;
  e->nvars = nvars;
  e->b = handler;
  return e;
}

static Ir *test(Lower *L, Ir *cond, Ir *k, int fail) { return ir_if(L->a, cond, k, exit_to(L, fail)); }

static Ir *field_let(Lower *L, int subj, int index, int *out_var) {
  *out_var = lower_new_var(L);
  return ir_prim_field(L->a, ir_var(L->a, subj), index);
}

static Ir *pat(Lower *L, Pattern *p, int subj, Ir *k, int fail);

/* Matches items[i] against field base+i of subj, for every i, then k. */
static Ir *pat_fields(Lower *L, Pattern **items, int n, int base, int subj, Ir *k, int fail) {
  int vars[n > 0 ? n : 1];
  Ir *vals[n > 0 ? n : 1];
  for (int i = 0; i < n; i++) vals[i] = field_let(L, subj, base + i, &vars[i]);
  for (int i = n - 1; i >= 0; i--) k = pat(L, items[i], vars[i], k, fail);
  for (int i = n - 1; i >= 0; i--) k = ir_let(L->a, vars[i], vals[i], k);
  return k;
}

static Ir *const_ir(Lower *L, Const *c) {
  switch (c->kind) {
  case CONST_INT:
  case CONST_CHAR: return ir_int(L->a, c->i);
  case CONST_STRING: {
    Ir *e = ir_new(L->a, IR_STRING);
    e->str = c->s;
    e->slen = c->slen;
    return e;
  }
  case CONST_FLOAT: {
    Ir *e = ir_new(L->a, IR_FLOAT);
    e->f = c->f;
    return e;
  }
  }
  NML_UNREACHABLE();
}

static Ir *const_eq(Lower *L, Const *c, int subj) {
  Ir *x = ir_var(L->a, subj), *y = const_ir(L, c);
  switch (c->kind) {
  case CONST_INT:
  case CONST_CHAR: return ir_prim(L->a, P_INT_EQ, 2, x, y);
  case CONST_FLOAT: return ir_prim(L->a, P_FLOAT_EQ, 2, x, y);
  case CONST_STRING: return ir_prim(L->a, P_EQUAL, 2, x, y);
  }
  NML_UNREACHABLE();
}

/* Collects the variables a pattern binds, as IR variables. */
static void pat_vars(Lower *L, Pattern *p, PtrVec *out) {
  if (!p) return;
  switch (p->kind) {
  case PAT_VAR: ptrvec_push(L->a, out, p->var); return;
  case PAT_ALIAS: ptrvec_push(L->a, out, p->var); pat_vars(L, p->arg, out); return;
  case PAT_OR: pat_vars(L, p->arg, out); return; /* both sides bind the same */
  case PAT_RECORD:
    for (int i = 0; i < p->nfields; i++) pat_vars(L, p->fields[i].pat, out);
    return;
  default:
    pat_vars(L, p->arg, out);
    for (int i = 0; i < p->nitems; i++) pat_vars(L, p->items[i], out);
    return;
  }
}

static Ir *exit_with_vars(Lower *L, int label, int *vars, int n) {
  Ir *e = exit_to(L, label);
  e->nargs = n;
  e->args = ARENA_ARRAY(L->a, Ir *, n > 0 ? n : 1);
  for (int i = 0; i < n; i++) e->args[i] = ir_var(L->a, vars[i]);
  return e;
}

static Ir *pat_or(Lower *L, Pattern *p, int subj, Ir *k, int fail) {
  PtrVec vds = {0};
  pat_vars(L, p, &vds);
  int n = vds.len;
  int *vars = ARENA_ARRAY(L->a, int, n > 0 ? n : 1);
  for (int i = 0; i < n; i++) vars[i] = lower_var_of(L, vds.items[i]);
  int ok = lower_new_label(L), right = lower_new_label(L);
  Ir *left = pat(L, p->arg, subj, exit_with_vars(L, ok, vars, n), right);
  Ir *rightm = pat(L, p->arg2, subj, exit_with_vars(L, ok, vars, n), fail);
  return catch_(L, catch_(L, left, right, NULL, 0, rightm), ok, vars, n, k);
}

static Ir *pat_construct(Lower *L, Pattern *p, int subj, Ir *k, int fail) {
  ConstrDesc *cd = p->cdesc;
  NML_ASSERT(cd);
  Ir *x = ir_var(L->a, subj);
  Pattern *arg = p->arg;
  Pattern **items = &arg;
  int n = cd->nargs;
  if (arg && n > 1) {
    /* C (p1, p2) matches the constructor's arguments one by one; `C _`
     * matches them all. */
    if (arg->kind == PAT_TUPLE) items = arg->items;
    else items = NULL;
  }
  if (cd->is_exn) {
    Ir *c = lower_value_ref(L, cd->exn_val, p->loc);
    if (cd->constant) return test(L, ir_prim(L->a, P_EQ, 2, x, c), k, fail);
    Ir *body = (arg && items) ? pat_fields(L, items, n, 1, subj, k, fail) : k;
    Ir *same = ir_prim(L->a, P_EQ, 2, ir_prim_field(L->a, ir_var(L->a, subj), 0), c);
    Ir *istag0 = ir_prim(L->a, P_INT_EQ, 2, ir_prim(L->a, P_TAG, 1, ir_var(L->a, subj)), ir_int(L->a, 0));
    return test(L, istag0, test(L, same, body, fail), fail);
  }
  if (cd->constant) return test(L, ir_prim(L->a, P_INT_EQ, 2, x, ir_int(L->a, cd->tag)), k, fail);
  Ir *body = (arg && items) ? pat_fields(L, items, n, 0, subj, k, fail) : k;
  Ir *tag_ok = ir_prim(L->a, P_INT_EQ, 2, ir_prim(L->a, P_TAG, 1, ir_var(L->a, subj)), ir_int(L->a, cd->tag));
  if (cd->nconsts == 0 && cd->nblocks == 1) return body;
  body = cd->nblocks == 1 ? body : test(L, tag_ok, body, fail);
  if (cd->nconsts == 0) return body;
  Ir *isblock = ir_prim(L->a, P_BOOLNOT, 1, ir_prim(L->a, P_IS_INT, 1, ir_var(L->a, subj)));
  return test(L, isblock, body, fail);
}

static Ir *pat(Lower *L, Pattern *p, int subj, Ir *k, int fail) {
  switch (p->kind) {
  case PAT_ANY: return k;
  case PAT_VAR: return ir_let(L->a, lower_var_of(L, p->var), ir_var(L->a, subj), k);
  case PAT_ALIAS:
    return ir_let(L->a, lower_var_of(L, p->var), ir_var(L->a, subj), pat(L, p->arg, subj, k, fail));
  case PAT_CONSTRAINT: return pat(L, p->arg, subj, k, fail);
  case PAT_CONST: return test(L, const_eq(L, &p->cst, subj), k, fail);
  case PAT_RANGE: {
    Ir *ge = ir_prim(L->a, P_INT_GE, 2, ir_var(L->a, subj), ir_int(L->a, p->cst.i));
    Ir *le = ir_prim(L->a, P_INT_LE, 2, ir_var(L->a, subj), ir_int(L->a, p->cst2.i));
    return test(L, ge, test(L, le, k, fail), fail);
  }
  case PAT_TUPLE: return pat_fields(L, p->items, p->nitems, 0, subj, k, fail);
  case PAT_ARRAY: {
    Ir *len = ir_prim(L->a, P_BLOCK_SIZE, 1, ir_var(L->a, subj));
    Ir *ok = ir_prim(L->a, P_INT_EQ, 2, len, ir_int(L->a, p->nitems));
    return test(L, ok, pat_fields(L, p->items, p->nitems, 0, subj, k, fail), fail);
  }
  case PAT_RECORD: {
    for (int i = p->nfields - 1; i >= 0; i--) {
      int v = lower_new_var(L);
      k = ir_let(L->a, v, ir_prim_field(L->a, ir_var(L->a, subj), p->fields[i].desc->index),
                 pat(L, p->fields[i].pat, v, k, fail));
    }
    return k;
  }
  case PAT_CONSTRUCT: return pat_construct(L, p, subj, k, fail);
  case PAT_OR: return pat_or(L, p, subj, k, fail);
  case PAT_EXCEPTION:
    ctx_error(L->ctx, p->loc, "exception patterns are not supported yet");
  }
  NML_UNREACHABLE();
}

Ir *lower_cases(Lower *L, int subject, Case *cases, int ncases, Ir *on_fail) {
  Ir *result = on_fail;
  for (int i = ncases - 1; i >= 0; i--) {
    int next = lower_new_label(L);
    Ir *body = lower_expr(L, cases[i].body);
    if (cases[i].guard) body = ir_if(L->a, lower_expr(L, cases[i].guard), body, exit_to(L, next));
    result = catch_(L, pat(L, cases[i].pat, subject, body, next), next, NULL, 0, result);
  }
  return result;
}

Ir *lower_bind(Lower *L, Pattern *p, int subject, Ir *body, Ir *on_fail) {
  int fail = lower_new_label(L);
  return catch_(L, pat(L, p, subject, body, fail), fail, NULL, 0, on_fail);
}
