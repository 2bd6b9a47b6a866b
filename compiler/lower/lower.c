/* lower.c — lowering of the typed AST (after ty_typer.c) to the IR:
 * variables become IR variables bound once, functions IR_FUN literals
 * (closure.c flattens them), %-primitives inline operations specialised
 * by the argument types, constructors and records blocks, and each unit's
 * entry ends in the list of the values it binds. Patterns are lowered in
 * lower_match.c. */
#include "lower.h"
#include "parmatch.h"
#include "typecheck.h"

#include <string.h>

#include "natml_runtime.h"

/* ---- ValueDesc -> IR variable ---------------------------------------- */

int lower_new_var(Lower *L) { return L->unit->nvars++; }

static unsigned hash_ptr(const void *p) {
  uintptr_t x = (uintptr_t)p;
  x ^= x >> 17;
  x *= 0xed5ad4bbu;
  x ^= x >> 11;
  return (unsigned)x;
}

/* Variables are keyed on a value's session copy when it has one. Script
 * mode types and commits its items one at a time but compiles several as
 * one unit: an item binds its phrase descriptor, a later item refers to
 * the committed copy, and both must meet in one variable, so that calls
 * between the items are direct. Elsewhere a unit meets only one of the
 * two: the toplevel lowers before committing, natmlc after committing
 * all of the unit's values. */
int lower_var_of(Lower *L, ValueDesc *vd) {
  vd = ty_committed(vd);
  if (L->map_len * 2 >= L->map_cap) {
    int cap = L->map_cap ? L->map_cap * 2 : 64;
    LowerMapEntry *n = ARENA_ARRAY(L->a, LowerMapEntry, cap);
    for (int i = 0; i < L->map_cap; i++) {
      if (!L->map[i].key) continue;
      unsigned h = hash_ptr(L->map[i].key) & (unsigned)(cap - 1);
      while (n[h].key) h = (h + 1) & (unsigned)(cap - 1);
      n[h] = L->map[i];
    }
    L->map = n;
    L->map_cap = cap;
  }
  unsigned h = hash_ptr(vd) & (unsigned)(L->map_cap - 1);
  while (L->map[h].key) {
    if (L->map[h].key == vd) return L->map[h].var;
    h = (h + 1) & (unsigned)(L->map_cap - 1);
  }
  L->map[h].key = vd;
  L->map[h].var = lower_new_var(L);
  L->map_len++;
  return L->map[h].var;
}

int lower_new_label(Lower *L) { return ++L->nlabels; }

/* ---- Types that decide specialisation -------------------------------- */

/* Expands abbreviations to the head constructor's declaration. */
static TypeDecl *head_decl(Type *t) {
  for (int guard = 0; guard < 100; guard++) {
    t = ty_repr(t);
    if (t->kind != TY_CONSTR) return NULL;
    if (!t->decl->manifest || t->decl->nparams != 0) return t->decl;
    t = t->decl->manifest;
  }
  return NULL;
}

bool lower_is_immediate_type(Type *t) {
  TypeDecl *d = head_decl(t);
  if (!d) return false;
  if (d->builtin == TYB_INT || d->builtin == TYB_CHAR || d->builtin == TYB_BOOL || d->builtin == TYB_UNIT)
    return true;
  /* A variant with only constant constructors is an int at run time. */
  if (d->kind == TD_VARIANT && d->nconstrs > 0) {
    for (int i = 0; i < d->nconstrs; i++)
      if (!d->constrs[i]->constant) return false;
    return true;
  }
  return false;
}

bool lower_is_float_type(Type *t) {
  TypeDecl *d = head_decl(t);
  return d && d->builtin == TYB_FLOAT;
}

/* ---- Primitives ------------------------------------------------------- */

typedef struct Builtin {
  const char *name;
  int arity;
  IrPrim prim;
} Builtin;

static const Builtin builtins[] = {
#define NML_BUILTIN(name, arity, op) {name, arity, P_##op},
#include "prims.def"
};

static const Builtin *find_builtin(const char *name) {
  for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
    if (strcmp(builtins[i].name, name) == 0) return &builtins[i];
  return NULL;
}

/* Comparisons on immediates and floats compile inline. */
static IrPrim specialise(IrPrim p, Type *arg) {
  if (!arg) return p;
  bool imm = lower_is_immediate_type(arg), fl = lower_is_float_type(arg);
  if (!imm && !fl) return p;
  switch (p) {
  case P_EQUAL: return imm ? P_INT_EQ : P_FLOAT_EQ;
  case P_NOTEQUAL: return imm ? P_INT_NE : P_FLOAT_NE;
  case P_LESSTHAN: return imm ? P_INT_LT : P_FLOAT_LT;
  case P_GREATERTHAN: return imm ? P_INT_GT : P_FLOAT_GT;
  case P_LESSEQUAL: return imm ? P_INT_LE : P_FLOAT_LE;
  case P_GREATEREQUAL: return imm ? P_INT_GE : P_FLOAT_GE;
  case P_COMPARE: return imm ? P_INT_COMPARE : P_FLOAT_COMPARE;
  default: return p;
  }
}

static Ir *apply_ir(Lower *L, Ir *f, Ir **args, int n, Loc loc) {
  Ir *e = ir_new(L->a, IR_APPLY);
  e->a = f;
  e->args = args;
  e->nargs = n;
  e->loc = loc;
  return e;
}

/* A primitive applied to exactly its arity of lowered arguments; argtype
 * is the type of the first argument (for specialisation). */
static Ir *prim_call(Lower *L, ValueDesc *vd, Ir **args, Type *argtype, Loc loc) {
  const Builtin *b = vd->prim[0] == '%' ? find_builtin(vd->prim) : NULL;
  if (!b) {
    if (vd->prim[0] == '%') ctx_errorf(L->ctx, loc, "Unknown builtin primitive \"%s\"", vd->prim);
    Ir *c = ir_new(L->a, IR_CCALL);
    c->str = vd->prim;
    c->args = args;
    c->nargs = vd->prim_arity;
    c->loc = loc;
    return c;
  }
  switch (b->prim) {
  case P_SEQAND: return ir_if(L->a, args[0], args[1], ir_int(L->a, 0));
  case P_SEQOR: return ir_if(L->a, args[0], ir_int(L->a, 1), args[1]);
  case P_APPLY: return apply_ir(L, args[0], &args[1], 1, loc);
  case P_REVAPPLY: return apply_ir(L, args[1], &args[0], 1, loc);
  default: break;
  }
  Ir *e = ir_new(L->a, IR_PRIM);
  e->prim = specialise(b->prim, argtype);
  e->args = args;
  e->nargs = b->arity;
  e->loc = loc;
  return e;
}

/* A primitive used as a value: fun x1 .. xn -> prim x1 .. xn. */
static Ir *prim_closure(Lower *L, ValueDesc *vd, Loc loc) {
  int n = vd->prim_arity > 0 ? vd->prim_arity : 1;
  IrFunc *f = ARENA_NEW(L->a, IrFunc);
  f->id = L->nfuncs++;
  f->name = "prim";
  f->self_var = -1;
  f->nparams = n;
  f->params = ARENA_ARRAY(L->a, int, n);
  Ir **args = ARENA_ARRAY(L->a, Ir *, n);
  for (int i = 0; i < n; i++) {
    f->params[i] = lower_new_var(L);
    args[i] = ir_var(L->a, f->params[i]);
  }
  f->body = prim_call(L, vd, args, NULL, loc);
  Ir *e = ir_new(L->a, IR_FUN);
  e->func = f;
  e->loc = loc;
  return e;
}

Ir *lower_value_ref(Lower *L, ValueDesc *vd, Loc loc) {
  Ir *e;
  while (vd->origin) vd = vd->origin;
  switch (vd->kind) {
  case VAL_LOCAL:
    if (L->nrecvals && (e = lower_recval_ref(L, vd, loc))) return e;
    e = ir_var(L->a, lower_var_of(L, vd));
    break;
  case VAL_GLOBAL:
    e = ir_new(L->a, IR_GLOBAL);
    e->str = vd->symbol;
    break;
  case VAL_PRIM: return prim_closure(L, vd, loc);
  default: NML_UNREACHABLE();
  }
  e->loc = loc;
  return e;
}

/* ---- Functions --------------------------------------------------------- */

static IrFunc *new_func(Lower *L, const char *name, int nparams) {
  IrFunc *f = ARENA_NEW(L->a, IrFunc);
  f->id = L->nfuncs++;
  f->name = name;
  f->self_var = -1;
  f->nparams = nparams;
  f->params = ARENA_ARRAY(L->a, int, nparams > 0 ? nparams : 1);
  return f;
}

/* The location of `fun p -> ...` that starts at parameter p and ends
 * where loc ends. */
static Loc fun_loc(Pattern *p, Loc loc) {
  loc.line1 = p->loc.line1;
  loc.col1 = p->loc.col1;
  loc.off1 = p->loc.off1;
  return loc;
}

static bool is_var_param(Pattern *p) {
  while (p->kind == PAT_CONSTRAINT) p = p->arg;
  return p->kind == PAT_VAR;
}

/* fun x1 .. xn -> function cases, with variables for parameters, is one
 * function of n + 1 parameters (up to NML_MAX_ARITY), as in OCaml: `let
 * rec f acc = function ...` then takes both arguments in one call, not a
 * call returning a closure. Nothing is evaluated between the two, so
 * only the closures' identity, which is unobservable, differs. An inner
 * `fun y -> e` is left alone: OCaml merges it too, but there it is
 * usually written to be applied partially (`let compose f g = fun x ->
 * ...`), and a partial application (a closure built by nml_applyN,
 * called through nml_papN) costs more than the closure the outer
 * function returns. Returns the merged function or NULL. */
static Ir *lower_fun(Lower *L, Pattern **params, int nparams, Expr **defaults, Expr *body, Case *cases,
                     int ncases, const char *name, Loc loc);
static Ir *merge_curried(Lower *L, Pattern **params, int nparams, Expr **defaults, Expr *body,
                         const char *name) {
  Expr *in = body;
  while (in->kind == EXP_CONSTRAINT) in = in->a;
  if (in->kind != EXP_FUNCTION || nparams + 1 > NML_MAX_ARITY || defaults) return NULL;
  for (int i = 0; i < nparams; i++)
    if (!is_var_param(params[i])) return NULL;
  IrFunc *f = new_func(L, name ? name : "fun", nparams + 1);
  for (int i = 0; i < nparams; i++) {
    Pattern *p = params[i];
    while (p->kind == PAT_CONSTRAINT) p = p->arg;
    f->params[i] = lower_var_of(L, p->var);
  }
  f->params[nparams] = lower_new_var(L);
  f->body = lower_cases(L, f->params[nparams], in->cases, in->ncases, lower_match_failure(L, in->loc));
  Ir *e = ir_new(L->a, IR_FUN);
  e->func = f;
  e->loc = in->loc;
  return e;
}

/* A `?(p = d)` parameter's value: the option's contents, or d. As in
 * OCaml, defaults are computed when the function has all its arguments,
 * in parameter order. */
static Ir *default_value(Lower *L, int opt, Expr *deflt) {
  return ir_if(L->a, ir_prim(L->a, P_IS_INT, 1, ir_var(L->a, opt)), lower_expr(L, deflt),
               ir_prim_field(L->a, ir_var(L->a, opt), 0));
}

/* fun p1 .. pn -> body, as functions of at most NML_MAX_ARITY parameters. */
static Ir *lower_fun(Lower *L, Pattern **params, int nparams, Expr **defaults, Expr *body, Case *cases,
                     int ncases, const char *name, Loc loc) {
  if (!cases && nparams <= NML_MAX_ARITY) {
    Ir *merged = merge_curried(L, params, nparams, defaults, body, name);
    if (merged) return merged;
  }
  int n = nparams > NML_MAX_ARITY ? NML_MAX_ARITY : nparams;
  IrFunc *f = new_func(L, name ? name : "fun", cases ? 1 : n);
  Ir *b;
  if (cases) {
    f->params[0] = lower_new_var(L);
    b = lower_cases(L, f->params[0], cases, ncases, lower_match_failure(L, loc));
  } else {
    b = nparams > n ? lower_fun(L, params + n, nparams - n, defaults ? defaults + n : NULL, body, NULL, 0,
                                name, fun_loc(params[n], loc))
                    : lower_expr(L, body);
    for (int i = n - 1; i >= 0; i--) {
      Pattern *p = params[i];
      while (p->kind == PAT_CONSTRAINT) p = p->arg;
      if (defaults && defaults[i]) {
        f->params[i] = lower_new_var(L);
        int v = p->kind == PAT_VAR ? lower_var_of(L, p->var) : lower_new_var(L);
        Loc floc = i == 0 ? loc : fun_loc(params[i], loc);
        if (p->kind != PAT_VAR) b = lower_bind(L, params[i], v, b, lower_match_failure(L, floc));
        b = ir_let(L->a, v, default_value(L, f->params[i], defaults[i]), b);
      } else if (p->kind == PAT_VAR) {
        f->params[i] = lower_var_of(L, p->var);
      } else {
        f->params[i] = lower_new_var(L);
        /* fun p1 p2 -> e is fun p1 -> (fun p2 -> e): Match_failure points
         * at the function that starts with the parameter. */
        Loc floc = i == 0 ? loc : fun_loc(params[i], loc);
        b = lower_bind(L, params[i], f->params[i], b, lower_match_failure(L, floc));
      }
    }
  }
  f->body = b;
  Ir *e = ir_new(L->a, IR_FUN);
  e->func = f;
  e->loc = loc;
  return e;
}

static const char *binding_name(Binding *b) {
  Pattern *p = b->pat;
  while (p->kind == PAT_CONSTRAINT) p = p->arg;
  return p->kind == PAT_VAR ? p->name : NULL;
}

static Ir *lower_fun_expr(Lower *L, Expr *e, const char *name) {
  while (e->kind == EXP_CONSTRAINT || e->kind == EXP_NEWTYPE) e = e->a;
  if (e->kind == EXP_FUN)
    return lower_fun(L, e->params, e->nparams, e->defaults, e->a, NULL, 0, name, e->loc);
  if (e->kind == EXP_FUNCTION) return lower_fun(L, NULL, 1, NULL, NULL, e->cases, e->ncases, name, e->loc);
  return NULL;
}

/* let rec f = fun .. and g = fun ..: one IR_LETREC; each function knows
 * its own name as its closure. */
static Ir *lower_letrec(Lower *L, Binding *binds, int n, Ir *body, Loc loc) {
  Ir *e = ir_new(L->a, IR_LETREC);
  e->nvars = n;
  e->vars = ARENA_ARRAY(L->a, int, n);
  e->args = ARENA_ARRAY(L->a, Ir *, n);
  e->nargs = 0; /* args are the functions; printed and scanned via nvars */
  for (int i = 0; i < n; i++) {
    Pattern *p = binds[i].pat;
    while (p->kind == PAT_CONSTRAINT) p = p->arg;
    if (p->kind != PAT_VAR)
      ctx_error(L->ctx, binds[i].pat->loc, "Only variables are allowed as left-hand side of `let rec'");
    e->vars[i] = lower_var_of(L, p->var);
  }
  for (int i = 0; i < n; i++) {
    Ir *f = lower_fun_expr(L, binds[i].expr, binding_name(&binds[i]));
    if (!f)
      ctx_error(L->ctx, binds[i].expr->loc,
                "This kind of expression is not allowed as right-hand side of `let rec'");
    f->func->self_var = e->vars[i];
    e->args[i] = f;
  }
  e->nargs = n;
  e->a = body;
  e->loc = loc;
  return e;
}

/* let p1 = e1 and p2 = e2 in body: evaluate every right-hand side, then
 * bind. */
static Ir *lower_let(Lower *L, Binding *binds, int n, Ir *body, const Loc *fail_loc) {
  int vars[n];
  Ir *vals[n];
  for (int i = 0; i < n; i++) {
    const char *name = binding_name(&binds[i]);
    Ir *f = name ? lower_fun_expr(L, binds[i].expr, name) : NULL;
    vals[i] = f ? f : lower_expr(L, binds[i].expr);
    Pattern *p = binds[i].pat;
    while (p->kind == PAT_CONSTRAINT) p = p->arg;
    vars[i] = p->kind == PAT_VAR ? lower_var_of(L, p->var) : lower_new_var(L);
  }
  for (int i = n - 1; i >= 0; i--) {
    Pattern *p = binds[i].pat;
    while (p->kind == PAT_CONSTRAINT) p = p->arg;
    if (p->kind != PAT_VAR)
      body = lower_bind(L, binds[i].pat, vars[i], body,
                        lower_match_failure(L, fail_loc ? *fail_loc : binds[i].pat->loc));
  }
  for (int i = n - 1; i >= 0; i--) body = ir_let(L->a, vars[i], vals[i], body);
  return body;
}

/* ---- Expressions ------------------------------------------------------- */

static Ir *lower_const(Lower *L, Const *c) {
  switch (c->kind) {
  case CONST_INT: return ir_int(L->a, c->i);
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

static Ir *exn_constructor(Lower *L, ConstrDesc *cd, Loc loc) {
  NML_ASSERT(cd->exn_val);
  return lower_value_ref(L, cd->exn_val, loc);
}

static Ir *lower_construct(Lower *L, Expr *e) {
  ConstrDesc *cd = e->cdesc;
  NML_ASSERT(cd);
  if (cd->is_exn) {
    Ir *c = exn_constructor(L, cd, e->loc);
    if (cd->constant || !e->a) return c;
    int n = cd->nargs;
    Ir **fields = ARENA_ARRAY(L->a, Ir *, n + 1);
    fields[0] = c;
    if (n == 1) fields[1] = lower_expr(L, e->a);
    else
      for (int i = 0; i < n; i++) fields[i + 1] = lower_expr(L, e->a->args[i]);
    return ir_alloc(L->a, 0, n + 1, fields);
  }
  if (cd->constant) return ir_int(L->a, cd->tag);
  int n = cd->nargs;
  Ir **fields = ARENA_ARRAY(L->a, Ir *, n);
  if (n == 1) fields[0] = lower_expr(L, e->a);
  else
    for (int i = 0; i < n; i++) fields[i] = lower_expr(L, e->a->args[i]);
  return ir_alloc(L->a, cd->tag, n, fields);
}

/* lam, a variable or constant, or a new variable bound to it in *defs. */
static Ir *protect(Lower *L, Ir *lam, int *defs, Ir **vals, int *ndefs) {
  if (lam->kind == IR_VAR || lam->kind == IR_CONST) return lam;
  int v = lower_new_var(L);
  defs[*ndefs] = v;
  vals[(*ndefs)++] = lam;
  return ir_var(L->a, v);
}

/* An application that gives some parameters no argument (NULL in args):
 * a closure over them, built as OCaml's transl_apply does so that side
 * effects come in its order. The arguments before the first missing one
 * are applied at once (unless they are all optional ones), then the
 * function and the later arguments are bound, left to right, and the
 * closure takes the missing parameter and goes on with the rest. */
static Ir *apply_partial(Lower *L, Ir *lam, Ir **acc, bool *accopt, int nacc, Ir **rest, bool *restopt,
                         int nrest, Loc loc) {
  int i = 0;
  Ir **acc2 = ARENA_ARRAY(L->a, Ir *, nacc + nrest + 1);
  bool *opt2 = ARENA_ARRAY(L->a, bool, nacc + nrest + 1);
  if (nacc) {
    memcpy(acc2, acc, sizeof(Ir *) * (size_t)nacc);
    memcpy(opt2, accopt, sizeof(bool) * (size_t)nacc);
  }
  for (; i < nrest && rest[i]; i++) {
    acc2[nacc] = rest[i];
    opt2[nacc++] = restopt[i];
  }
  if (i == nrest) return nacc ? apply_ir(L, lam, acc2, nacc, loc) : lam;
  bool all_opt = true;
  for (int k = 0; k < nacc; k++) all_opt &= opt2[k];
  if (!all_opt) {
    Ir **now = ARENA_ARRAY(L->a, Ir *, nacc);
    memcpy(now, acc2, sizeof(Ir *) * (size_t)nacc);
    lam = apply_ir(L, lam, now, nacc, loc);
    nacc = 0;
  }
  int *defs = ARENA_ARRAY(L->a, int, nrest + 1);
  Ir **vals = ARENA_ARRAY(L->a, Ir *, nrest + 1);
  int ndefs = 0;
  Ir *handle = protect(L, lam, defs, vals, &ndefs);
  Ir **later = ARENA_ARRAY(L->a, Ir *, nrest);
  for (int k = i + 1; k < nrest; k++) later[k] = rest[k] ? protect(L, rest[k], defs, vals, &ndefs) : NULL;
  IrFunc *f = new_func(L, "partial", 1);
  f->params[0] = lower_new_var(L);
  acc2[nacc] = ir_var(L->a, f->params[0]);
  opt2[nacc] = restopt[i];
  f->body =
      apply_partial(L, handle, acc2, opt2, nacc + 1, later + i + 1, restopt + i + 1, nrest - i - 1, loc);
  Ir *r = ir_new(L->a, IR_FUN);
  r->func = f;
  r->loc = loc;
  for (int k = ndefs - 1; k >= 0; k--) r = ir_let(L->a, defs[k], vals[k], r);
  return r;
}

static Ir *lower_apply(Lower *L, Expr *e) {
  Expr *fn = e->a;
  while (fn->kind == EXP_CONSTRAINT) fn = fn->a;
  int n = e->nargs;
  Ir **args = ARENA_ARRAY(L->a, Ir *, n);
  bool partial = false;
  for (int i = 0; i < n; i++) {
    args[i] = e->args[i] ? lower_expr(L, e->args[i]) : NULL;
    partial |= !e->args[i];
  }
  if (partial) {
    bool *opt = ARENA_ARRAY(L->a, bool, n);
    for (int i = 0; i < n; i++) opt[i] = e->labels && e->labels[i].kind == LBL_OPTIONAL;
    return apply_partial(L, lower_expr(L, fn), NULL, NULL, 0, args, opt, n, e->loc);
  }
  if (fn->kind == EXP_IDENT && fn->val && fn->val->kind == VAL_PRIM && fn->val->prim_arity <= n &&
      fn->val->prim_arity > 0) {
    ValueDesc *vd = fn->val;
    Ir *r = prim_call(L, vd, args, e->args[0]->ty, e->loc);
    if (vd->prim_arity == n) return r;
    return apply_ir(L, r, args + vd->prim_arity, n - vd->prim_arity, e->loc);
  }
  return apply_ir(L, lower_expr(L, fn), args, n, e->loc);
}

Ir *lower_record_field(Lower *L, Ir *block, const TypeDecl *d, int index) {
  if (!d->float_record) return ir_prim_field(L->a, block, index);
  Ir *e = ir_prim(L->a, P_FLOATFIELD, 1, block);
  e->imm = index;
  return e;
}

/* Records are blocks of tag 0, or for records of floats only flat
 * Double_array_tag blocks (IR_ALLOC stores the floats unboxed). */
static Ir *lower_record(Lower *L, Expr *e) {
  NML_ASSERT(e->nfields > 0 && e->fields[0].desc);
  TypeDecl *d = e->fields[0].desc->decl;
  int n = d->nfields;
  int tag = d->float_record ? Double_array_tag : 0;
  Ir **fields = ARENA_ARRAY(L->a, Ir *, n);
  for (int i = 0; i < e->nfields; i++) fields[e->fields[i].desc->index] = lower_expr(L, e->fields[i].expr);
  if (!e->a) return ir_alloc(L->a, tag, n, fields);
  int base = lower_new_var(L);
  for (int i = 0; i < n; i++)
    if (!fields[i]) fields[i] = lower_record_field(L, ir_var(L->a, base), d, i);
  return ir_let(L->a, base, lower_expr(L, e->a), ir_alloc(L->a, tag, n, fields));
}

static Ir *location_tuple(Lower *L, Loc loc) {
  Ir **f = ARENA_ARRAY(L->a, Ir *, 3);
  f[0] = ir_new(L->a, IR_STRING);
  f[0]->str = L->file;
  f[0]->slen = (int)strlen(L->file);
  f[1] = ir_int(L->a, loc.line1);
  f[2] = ir_int(L->a, loc.col1);
  return ir_alloc(L->a, 0, 3, f);
}

static Ir *raise_with_location(Lower *L, const char *exn_sym, Loc loc) {
  Ir *c = ir_new(L->a, IR_GLOBAL);
  c->str = exn_sym;
  Ir **f = ARENA_ARRAY(L->a, Ir *, 2);
  f[0] = c;
  f[1] = location_tuple(L, loc);
  return ir_prim(L->a, P_RAISE, 1, ir_alloc(L->a, 0, 2, f));
}

Ir *lower_match_failure(Lower *L, Loc loc) { return raise_with_location(L, "nml_exn_Match_failure", loc); }

Ir *lower_undefined_recursive_module(Lower *L, Loc loc) {
  return raise_with_location(L, "nml_exn_Undefined_recursive_module", loc);
}

/* match e with cases. Cases `exception p` catch what evaluating e
 * raises: e runs in a try whose handler jumps out to them, so that the
 * value cases (and their bodies) run outside the try. */
static Ir *lower_match(Lower *L, Expr *e) {
  int nexn = 0;
  for (int i = 0; i < e->ncases; i++) nexn += e->cases[i].pat->kind == PAT_EXCEPTION;
  int v = lower_new_var(L);
  if (nexn == 0)
    return ir_let(L->a, v, lower_expr(L, e->a),
                  lower_cases(L, v, e->cases, e->ncases, lower_match_failure(L, e->loc)));
  Case *vals = ARENA_ARRAY(L->a, Case, e->ncases), *exns = ARENA_ARRAY(L->a, Case, e->ncases);
  int nv = 0, ne = 0;
  for (int i = 0; i < e->ncases; i++) {
    if (e->cases[i].pat->kind == PAT_EXCEPTION) {
      exns[ne] = e->cases[i];
      exns[ne++].pat = e->cases[i].pat->arg;
    } else {
      vals[nv++] = e->cases[i];
    }
  }
  int label = lower_new_label(L);
  int *x = ARENA_ARRAY(L->a, int, 1);
  x[0] = lower_new_var(L);
  Ir *t = ir_new(L->a, IR_TRY);
  t->a = lower_expr(L, e->a);
  t->var = lower_new_var(L);
  Ir *ex = ir_new(L->a, IR_EXIT);
  ex->imm = label;
  ex->nargs = 1;
  ex->args = ARENA_ARRAY(L->a, Ir *, 1);
  ex->args[0] = ir_var(L->a, t->var);
  t->b = ex;
  t->loc = e->loc;
  Ir *body = ir_let(L->a, v, t, lower_cases(L, v, vals, nv, lower_match_failure(L, e->loc)));
  Ir *reraise = ir_prim(L->a, P_RAISE, 1, ir_var(L->a, x[0]));
  Ir *c = ir_new(L->a, IR_CATCH);
  c->a = body;
  c->imm = label;
  c->vars = x;
  c->nvars = 1;
  c->b = lower_cases(L, x[0], exns, ne, reraise);
  return c;
}

static Ir *lower_try(Lower *L, Expr *e) {
  Ir *t = ir_new(L->a, IR_TRY);
  t->a = lower_expr(L, e->a);
  t->var = lower_new_var(L);
  Ir *reraise = ir_prim(L->a, P_RAISE, 1, ir_var(L->a, t->var));
  t->b = lower_cases(L, t->var, e->cases, e->ncases, reraise);
  t->loc = e->loc;
  return t;
}

Ir *lower_expr(Lower *L, Expr *e) {
  Ir *r = NULL;
  switch (e->kind) {
  case EXP_CONST: r = lower_const(L, &e->cst); break;
  case EXP_IDENT:
    NML_ASSERT(e->val);
    r = lower_value_ref(L, e->val, e->loc);
    break;
  case EXP_CONSTRUCT: r = lower_construct(L, e); break;
  case EXP_VARIANT: {
    Ir *tag = ir_int(L->a, ty_hash_variant(e->var));
    if (!e->a) return tag;
    Ir **f = ARENA_ARRAY(L->a, Ir *, 2);
    f[0] = tag;
    f[1] = lower_expr(L, e->a);
    r = ir_alloc(L->a, 0, 2, f);
    break;
  }
  case EXP_COERCE: return lower_expr(L, e->a);
  case EXP_APPLY: r = lower_apply(L, e); break;
  case EXP_PACK: r = lower_pack(L, e); break;
  case EXP_FUN: r = lower_fun(L, e->params, e->nparams, e->defaults, e->a, NULL, 0, NULL, e->loc); break;
  case EXP_FUNCTION: r = lower_fun(L, NULL, 1, NULL, NULL, e->cases, e->ncases, NULL, e->loc); break;
  case EXP_LET:
    r = e->rec ? lower_letrec(L, e->binds, e->nbinds, lower_expr(L, e->a), e->loc)
               : lower_let(L, e->binds, e->nbinds, lower_expr(L, e->a),
                           /* typed as a match (see parmatch.h) */
                           e->nbinds == 1 && parmatch_has_constructor(e->binds[0].pat) ? &e->loc : NULL);
    break;
  case EXP_MATCH: r = lower_match(L, e); break;
  case EXP_TRY: r = lower_try(L, e); break;
  case EXP_TUPLE: {
    Ir **f = ARENA_ARRAY(L->a, Ir *, e->nargs);
    for (int i = 0; i < e->nargs; i++) f[i] = lower_expr(L, e->args[i]);
    r = ir_alloc(L->a, 0, e->nargs, f);
    break;
  }
  case EXP_IF:
    r = ir_if(L->a, lower_expr(L, e->a), lower_expr(L, e->b), e->c ? lower_expr(L, e->c) : ir_unit(L->a));
    break;
  case EXP_SEQ: r = ir_seq(L->a, lower_expr(L, e->a), lower_expr(L, e->b)); break;
  case EXP_WHILE:
    r = ir_new(L->a, IR_WHILE);
    r->a = lower_expr(L, e->a);
    r->b = lower_expr(L, e->b);
    break;
  case EXP_FOR:
    r = ir_new(L->a, IR_FOR);
    r->var = e->val ? lower_var_of(L, e->val) : lower_new_var(L);
    r->a = lower_expr(L, e->a);
    r->b = lower_expr(L, e->b);
    r->c = lower_expr(L, e->c);
    r->downto = e->downto;
    break;
  case EXP_RECORD: r = lower_record(L, e); break;
  case EXP_FIELD: r = lower_record_field(L, lower_expr(L, e->a), e->fdesc->decl, e->fdesc->index); break;
  case EXP_SETFIELD:
    r = ir_prim(L->a, e->fdesc->decl->float_record ? P_SETFLOATFIELD : P_SETFIELD, 2, lower_expr(L, e->a),
                lower_expr(L, e->b));
    r->imm = e->fdesc->index;
    break;
  case EXP_ARRAY: {
    Ir **f = ARENA_ARRAY(L->a, Ir *, e->nargs > 0 ? e->nargs : 1);
    for (int i = 0; i < e->nargs; i++) f[i] = lower_expr(L, e->args[i]);
    r = ir_alloc(L->a, 0, e->nargs, f);
    break;
  }
  case EXP_CONSTRAINT: return lower_expr(L, e->a);
  case EXP_ASSERT: {
    Expr *c = e->a;
    bool is_false = c->kind == EXP_CONSTRUCT && c->cdesc && !c->cdesc->is_exn && c->cdesc->decl &&
                    c->cdesc->decl->builtin == TYB_BOOL && c->cdesc->tag == 0;
    Ir *fail = raise_with_location(L, "nml_exn_Assert_failure", e->loc);
    r = is_false ? fail : ir_if(L->a, lower_expr(L, c), ir_unit(L->a), fail);
    break;
  }
  case EXP_UNREACHABLE: /* refuted by the typer: never reached */
    r = raise_with_location(L, "nml_exn_Assert_failure", e->loc);
    break;
  case EXP_LETOPEN: return lower_expr(L, e->a);
  case EXP_LETEXN: r = lower_let_exception(L, e); break;
  case EXP_LETMODULE: r = lower_let_module(L, e); break;
  case EXP_NEWTYPE: r = lower_expr(L, e->a); break; /* types only */
  }
  r->loc = e->loc;
  return r;
}

/* ---- Units --------------------------------------------------------------- */

typedef struct Slots {
  const char *(*slot_symbol)(void *, ValueDesc *);
  void *arg;
} Slots;

/* The list of bound values, ending in `rest`, for one item. Externals are
 * not values at run time: they are left out (the toplevel skips them). */
static Ir *cons_values(Lower *L, Item *it, Ir *rest) {
  for (int i = it->bound.len - 1; i >= 0; i--) {
    ValueDesc *vd = it->bound.items[i];
    if (vd->kind == VAL_PRIM) continue;
    Ir **f = ARENA_ARRAY(L->a, Ir *, 2);
    f[0] = lower_value_ref(L, vd, it->loc);
    f[1] = rest;
    rest = ir_alloc(L->a, 0, 2, f);
  }
  return rest;
}

/* Stores the item's bound values into their global slots. */
static Ir *store_slots(Lower *L, Item *it, Slots *s, Ir *rest) {
  if (!s->slot_symbol) return rest;
  for (int i = it->bound.len - 1; i >= 0; i--) {
    ValueDesc *vd = it->bound.items[i];
    if (vd->kind == VAL_PRIM) continue;
    Ir *store = ir_new(L->a, IR_SETGLOBAL);
    store->str = s->slot_symbol(s->arg, vd);
    ptrvec_push(L->a, &L->unit->slots, (void *)store->str);
    store->a = lower_value_ref(L, vd, it->loc);
    rest = ir_seq(L->a, store, rest);
  }
  return rest;
}

/* Evaluates an item for the variables it binds, then body. */
Ir *lower_bind_item(Lower *L, Item *it, const char *prefix, Ir *body) {
  switch (it->kind) {
  case ITEM_VALUE:
    if (it->rec) return lower_letrec(L, it->binds, it->nbinds, body, it->loc);
    return lower_let(L, it->binds, it->nbinds, body, NULL);
  case ITEM_EVAL: return ir_seq(L->a, lower_expr(L, it->expr), body);
  case ITEM_EXCEPTION:
    /* The constructor block is made at run time; the item binds it. */
    for (int i = it->bound.len - 1; i >= 0; i--) {
      ValueDesc *vd = it->bound.items[i];
      if (vd->kind != VAL_LOCAL) continue;
      Ir *name = ir_new(L->a, IR_STRING);
      name->str = arena_printf(L->a, "%s%s", prefix, vd->name);
      name->slen = (int)strlen(name->str);
      body = ir_let(L->a, lower_var_of(L, vd), ir_ccall(L->a, "nml_new_exception_ml", 1, name), body);
    }
    return body;
  case ITEM_MODULE:
    return lower_bind_module(L, it->mexpr, arena_printf(L->a, "%s%s.", prefix, it->name), body);
  case ITEM_INCLUDE: return lower_bind_module(L, it->mexpr, prefix, body);
  case ITEM_RECMODULE: return lower_recmodule(L, it, prefix, body);
  default: return body;
  }
}

/* Lowers items: each binds its variables, then the list of the values
 * the items bind (an expression item contributes its value) is built. */
static Ir *lower_items(Lower *L, Item **items, int n, Slots *s) {
  if (n == 0) return ir_int(L->a, 0);
  Item *it = items[0];
  if (it->kind == ITEM_EVAL) {
    int v = lower_new_var(L);
    Ir **f = ARENA_ARRAY(L->a, Ir *, 2);
    f[0] = ir_var(L->a, v);
    f[1] = lower_items(L, items + 1, n - 1, s);
    return ir_let(L->a, v, lower_expr(L, it->expr), ir_alloc(L->a, 0, 2, f));
  }
  Ir *rest = store_slots(L, it, s, cons_values(L, it, lower_items(L, items + 1, n - 1, s)));
  return lower_bind_item(L, it, L->exn_prefix, rest);
}

IrUnit *lower_unit(Ctx *ctx, const char *unit_name, Item **items, int nitems, const char *file,
                   const char *(*slot_symbol)(void *, ValueDesc *), void *slot_arg, const char *exn_prefix) {
  Lower L = {0};
  L.exn_prefix = exn_prefix ? exn_prefix : "";
  L.ctx = ctx;
  L.a = ctx->arena;
  L.file = file;
  L.unit = ARENA_NEW(ctx->arena, IrUnit);
  L.unit->name = unit_name;
  Slots s = {slot_symbol, slot_arg};
  L.unit->entry = lower_items(&L, items, nitems, &s);
  return L.unit;
}
