/* closure.c — closure conversion: the nested function literals (IR_FUN)
 * that lower.c produces become flat functions in the unit, each taking
 * its parameters and its own closure; references to variables of
 * enclosing functions become closure fields (IR_ENVFIELD), and
 * applications of a known function with exactly its arity become direct
 * calls (IR_CALL). Relies on lower.c binding every variable exactly once
 * in a unit. */
#include "ir.h"

#include <string.h>

typedef struct ClState {
  Arena *arena;
  IrUnit *unit;
  IrFunc **owner; /* function that binds each variable (NULL: entry) */
  IrFunc **known; /* function a variable is bound to, if any */
  IrFunc **stack; /* enclosing functions, innermost last */
  bool *bound;    /* variables with a binding site */
  bool *used;     /* variables referenced */
  int depth, cap;
  int nfuncs;
} ClState;

static void push_fun(ClState *st, IrFunc *f) {
  if (st->depth == st->cap) {
    int cap = st->cap ? st->cap * 2 : 16;
    IrFunc **n = ARENA_ARRAY(st->arena, IrFunc *, cap);
    if (st->depth) memcpy(n, st->stack, sizeof(IrFunc *) * (size_t)st->depth);
    st->stack = n;
    st->cap = cap;
  }
  st->stack[st->depth++] = f;
}

static IrFunc *current(ClState *st) { return st->depth ? st->stack[st->depth - 1] : NULL; }

static void bind(ClState *st, int v) {
  NML_ASSERT(v >= 0 && v < st->unit->nvars);
  st->owner[v] = current(st);
  st->bound[v] = true;
}

static void add_free(ClState *st, IrFunc *f, int v) {
  for (int i = 0; i < f->nfree; i++)
    if (f->free[i] == v) return;
  /* Grow by copying: free lists are short. */
  int *n = ARENA_ARRAY(st->arena, int, f->nfree + 1);
  if (f->nfree) memcpy(n, f->free, sizeof(int) * (size_t)f->nfree);
  n[f->nfree++] = v;
  f->free = n;
}

/* A reference to v from the current function: v is free in every function
 * between here and the one that binds it (a function's own name inside
 * its body is not free: it is the closure itself). */
static void reference(ClState *st, int v) {
  st->used[v] = true;
  IrFunc *own = st->owner[v];
  for (int i = st->depth - 1; i >= 0; i--) {
    IrFunc *f = st->stack[i];
    if (f == own) return;
    if (f->self_var == v) return;
    add_free(st, f, v);
  }
}

static void scan(ClState *st, Ir *e);

static void scan_fun(ClState *st, IrFunc *f) {
  push_fun(st, f);
  for (int i = 0; i < f->nparams; i++) bind(st, f->params[i]);
  scan(st, f->body);
  st->depth--;
}

/* Pass 1: variable owners, known functions and free-variable lists. */
static void scan(ClState *st, Ir *e) {
  switch (e->kind) {
  case IR_VAR: reference(st, e->var); return;
  case IR_LET:
    scan(st, e->a);
    bind(st, e->var);
    if (e->a->kind == IR_FUN) st->known[e->var] = e->a->func;
    scan(st, e->b);
    return;
  case IR_LETREC:
    for (int i = 0; i < e->nvars; i++) {
      bind(st, e->vars[i]);
      if (e->args[i]->kind == IR_FUN) st->known[e->vars[i]] = e->args[i]->func;
    }
    for (int i = 0; i < e->nvars; i++) scan(st, e->args[i]);
    scan(st, e->a);
    return;
  case IR_FUN: scan_fun(st, e->func); return;
  case IR_FOR:
    scan(st, e->a);
    scan(st, e->b);
    bind(st, e->var);
    scan(st, e->c);
    return;
  case IR_TRY:
    scan(st, e->a);
    bind(st, e->var);
    scan(st, e->b);
    return;
  case IR_CATCH:
    scan(st, e->a);
    for (int i = 0; i < e->nvars; i++) bind(st, e->vars[i]);
    scan(st, e->b);
    return;
  default:
    if (e->a) scan(st, e->a);
    if (e->b) scan(st, e->b);
    if (e->c) scan(st, e->c);
    for (int i = 0; i < e->nargs; i++) scan(st, e->args[i]);
    return;
  }
}

static int env_index(IrFunc *f, int v) {
  for (int i = 0; i < f->nfree; i++)
    if (f->free[i] == v) return i;
  return -1;
}

/* How the current function reaches variable v. */
static Ir *access(ClState *st, int v, Loc loc) {
  IrFunc *f = current(st);
  Ir *r;
  if (!f || st->owner[v] == f) {
    r = ir_var(st->arena, v);
  } else if (f->self_var == v) {
    r = ir_new(st->arena, IR_SELF);
  } else {
    int i = env_index(f, v);
    NML_ASSERT(i >= 0);
    r = ir_new(st->arena, IR_ENVFIELD);
    r->imm = i;
  }
  r->loc = loc;
  return r;
}

static Ir *rewrite(ClState *st, Ir *e);

/* Lifts a function literal into the unit and returns the closure that
 * captures its free variables as seen from the enclosing function. */
static Ir *lift(ClState *st, IrFunc *f, Loc loc) {
  f->sym = arena_printf(st->arena, "nml_%s_%s_%d", st->unit->name, f->name, st->nfuncs++);
  push_fun(st, f);
  f->body = rewrite(st, f->body);
  st->depth--;
  ptrvec_push(st->arena, &st->unit->funcs, f);
  Ir *c = ir_new(st->arena, IR_CLOSURE);
  c->func = f;
  c->loc = loc;
  c->nargs = f->nfree;
  c->args = ARENA_ARRAY(st->arena, Ir *, f->nfree ? f->nfree : 1);
  for (int i = 0; i < f->nfree; i++) c->args[i] = access(st, f->free[i], loc);
  return c;
}

/* Pass 2: rewrite variable references and lift functions. */
static Ir *rewrite(ClState *st, Ir *e) {
  switch (e->kind) {
  case IR_VAR: return access(st, e->var, e->loc);
  case IR_FUN: return lift(st, e->func, e->loc);
  case IR_LETREC:
    for (int i = 0; i < e->nvars; i++) e->args[i] = rewrite(st, e->args[i]);
    e->a = rewrite(st, e->a);
    return e;
  case IR_APPLY:
    if (e->a->kind == IR_VAR && e->a->var >= 0) {
      IrFunc *f = st->known[e->a->var];
      if (f && f->nparams == e->nargs) {
        Ir *c = ir_new(st->arena, IR_CALL);
        c->func = f;
        c->loc = e->loc;
        c->args = e->args;
        c->nargs = e->nargs;
        c->a = rewrite(st, e->a);
        for (int i = 0; i < c->nargs; i++) c->args[i] = rewrite(st, c->args[i]);
        return c;
      }
    }
    break;
  default: break;
  }
  if (e->a) e->a = rewrite(st, e->a);
  if (e->b) e->b = rewrite(st, e->b);
  if (e->c) e->c = rewrite(st, e->c);
  for (int i = 0; i < e->nargs; i++) e->args[i] = rewrite(st, e->args[i]);
  return e;
}

bool closure_convert(Arena *a, IrUnit *u) {
  ClState st = {0};
  st.arena = a;
  st.unit = u;
  int n = u->nvars ? u->nvars : 1;
  st.owner = ARENA_ARRAY(a, IrFunc *, n);
  st.known = ARENA_ARRAY(a, IrFunc *, n);
  st.bound = ARENA_ARRAY(a, bool, n);
  st.used = ARENA_ARRAY(a, bool, n);
  scan(&st, u->entry);
  NML_ASSERT(st.depth == 0);
  /* A variable used but never bound means lowering met a construct it
   * does not handle yet: refuse the unit rather than miscompile it. */
  for (int v = 0; v < u->nvars; v++)
    if (st.used[v] && !st.bound[v]) return false;
  u->entry = rewrite(&st, u->entry);
  return true;
}
