/* ty_apply.c — functions and their applications, with labels (OCaml's
 * type_function, type_application and type_argument):
 *
 * - a parameter `~l:p` or `?l:p` makes an arrow with that label; `?l`
 *   parameters take an option, and `?(p = e)` matches p against the
 *   unwrapped value or e's (lowering reads Expr.defaults);
 * - an application takes each parameter's argument by label (labels
 *   commute), erases an optional parameter when a positional argument
 *   follows, abstracts over parameters given no argument, and, when every
 *   label is omitted from a full application, takes the arguments in
 *   order (warning 6);
 * - a function passed where a function without optional parameters is
 *   expected gets its leading optional parameters erased (warning 48).
 *
 * A typed application is left in the function's parameter order: args[i]
 * is the argument of parameter i (optional ones wrapped in Some or None),
 * or NULL when the parameter is abstracted; labels[i] is the parameter's
 * label; arguments past the known parameters follow in order. */
#include <string.h>

#include "parmatch.h"
#include "typecheck.h"

static const ArgLabel no_label = {LBL_NONE, NULL};

static ArgLabel label_at(const Expr *e, int i) { return e->labels ? e->labels[i] : no_label; }

/* Under -rectypes, whether the walk down a function type's arrows comes
 * back to t, as it does on a cyclic type (`'b -> 'a as 'a`) or when a
 * recursive abbreviation expands again (`type 'a v = 'a -> 'a v`: each
 * expansion of int v ends in a fresh int v); else records t. OCaml's
 * walks keep such a visited list. */
static bool arrow_seen(Typer *T, PtrVec *seen, Type *t) {
  if (!T->rectypes) return false;
  t = ty_repr(t);
  for (int i = 0; i < seen->len; i++)
    if (ty_same_node(seen->items[i], t)) return true;
  ptrvec_push(T->arena, seen, t);
  return false;
}

/* OCaml's list_labels: the labels of t's arrows, and whether the arrows
 * end in a type variable. */
static int list_labels(Typer *T, Type *t, ArgLabel *out, int max, bool *tvar) {
  int n = 0;
  PtrVec seen = {0};
  for (;;) {
    Type *h = ty_expand_head(T, t);
    if (h->kind != TY_ARROW || arrow_seen(T, &seen, t)) {
      *tvar = h->kind == TY_VAR;
      return n;
    }
    if (n < max) out[n] = h->label;
    n++;
    t = h->b;
  }
}

/* Whether t has a parameter labelled l (or may have one: ends in a
 * variable). */
static bool has_label(Typer *T, ArgLabel l, Type *t) {
  PtrVec seen = {0};
  for (;;) {
    Type *h = ty_expand_head(T, t);
    if (h->kind == TY_VAR) return true;
    if (h->kind != TY_ARROW || arrow_seen(T, &seen, t)) return false;
    if (ast_label_equal(h->label, l)) return true;
    t = h->b;
  }
}

static const char *label_string(Typer *T, ArgLabel l) {
  if (l.kind == LBL_NONE) return "";
  return l.kind == LBL_OPTIONAL ? arena_printf(T->arena, "?%s", l.name) : l.name;
}

/* ---- Functions ---------------------------------------------------------------- */

void ty_filter_arrow(Typer *T, Loc loc, Expr *e, Type *expected, ArgLabel l, Type **arg, Type **res) {
  Type *h = ty_expand_head(T, expected);
  if (h->kind == TY_ARROW) {
    if (!ast_label_equal(h->label, l) && !(T->classic && l.kind == LBL_NONE && h->label.kind != LBL_OPTIONAL))
      ty_error_abstract_wrong_label(T, loc, l, h);
    *arg = h->a;
    *res = h->b;
    return;
  }
  Type *a = ty_new_var(T), *b = ty_new_var(T);
  if (l.kind == LBL_OPTIONAL) a = ty_predef1(T, TYB_OPTION, a);
  if (h->kind != TY_VAR) ty_error_not_a_function_expected(T, loc, expected);
  if (!ty_unify(T, h, ty_new_arrow_l(T, l, a, b))) ty_error_expr_mismatch(T, loc, WHY_NONE, false, e);
  *arg = a;
  *res = b;
}

/* The location of `fun p -> ...` that starts at parameter i of e. */
static Loc param_loc(Expr *e, int i) {
  Loc loc = e->loc;
  if (i > 0) {
    loc.line1 = e->params[i]->loc.line1;
    loc.col1 = e->params[i]->loc.col1;
    loc.off1 = e->params[i]->loc.off1;
  }
  return loc;
}

/* OCaml's not_nolabel_function: every parameter of t is labelled, and t
 * does not end in a variable. */
static bool all_labelled(Typer *T, Type *t) {
  ArgLabel ls[64];
  bool tvar;
  int n = list_labels(T, t, ls, 64, &tvar);
  for (int i = 0; i < n && i < 64; i++)
    if (ls[i].kind == LBL_NONE) return false;
  return !tvar;
}

void ty_fun(Typer *T, Expr *e, Type *expected, ExpectWhy why) {
  int mark = env_mark(T->env), eq_mark = T->neqs, defs = 0;
  Type *cur = expected;
  Type **results = ARENA_ARRAY(T->arena, Type *, e->nparams);
  for (int i = 0; i < e->nparams; i++) {
    ArgLabel l = label_at(e, i);
    Type *arg, *res;
    ty_filter_arrow(T, param_loc(e, i), e, cur, l, &arg, &res);
    Type *pat_ty = arg;
    Expr *deflt = e->defaults ? e->defaults[i] : NULL;
    if (l.kind == LBL_OPTIONAL) {
      Type *tv = ty_new_var(T);
      if (!ty_unify(T, arg, ty_predef1(T, TYB_OPTION, tv))) NML_UNREACHABLE();
      if (deflt) pat_ty = tv;
    }
    PatVars pv = {0};
    /* fun p -> e is function p -> e: a parameter that may hold GADT
     * constructors is typed at a level of its own, and its equations
     * hold for the parameters after it and the body. */
    if (parmatch_has_constructor(e->params[i])) {
      ty_begin_def(T);
      defs++;
      int saved = T->pat_lev, saved_noex = T->no_existentials;
      T->pat_lev = T->level;
      T->no_existentials = NOEX_NONE;
      ty_pattern(T, e->params[i], pat_ty, &pv);
      ty_pressure_variants(T, &e->params[i], 1); /* a one-case match */
      T->pat_lev = saved;
      T->no_existentials = saved_noex;
    } else {
      ty_pattern(T, e->params[i], pat_ty, &pv);
      ty_pressure_variants(T, &e->params[i], 1); /* a one-case match */
    }
    /* The default sees the earlier parameters only. */
    if (deflt) ty_expr_expect(T, deflt, pat_ty, WHY_NONE);
    ty_bind_patvars(T, &pv);
    results[i] = res;
    cur = res;
  }
  ty_expr_expect(T, e->a, cur, why);
  env_rollback(T->env, mark);
  ty_gadt_undo(T, eq_mark);
  while (defs-- > 0) ty_end_def(T);
  e->ty = expected;
  /* fun p1 p2 -> e is fun p1 -> (fun p2 -> e): the inner function, from
   * its parameter to the end, is checked first. */
  for (int i = e->nparams - 1; i >= 0; i--) {
    if (label_at(e, i).kind == LBL_OPTIONAL && all_labelled(T, results[i]))
      ctx_warn(T->ctx, e->params[i]->loc, 16, "unerasable-optional-argument",
               "this optional argument cannot be erased.");
    parmatch_check_let(T->ctx, param_loc(e, i), e->params[i]);
  }
}

/* ---- Synthesized expressions ------------------------------------------------------ */

static Expr *new_typed(Typer *T, ExprKind k, Loc loc, Type *ty) {
  Expr *e = ARENA_NEW(T->arena, Expr);
  e->kind = k;
  e->loc = loc;
  e->ty = ty;
  return e;
}

/* Some arg or None, of type opt (an option type). */
static Expr *mk_option(Typer *T, Expr *arg, Type *opt, Loc loc) {
  TypeDecl *d = T->predef[TYB_OPTION];
  Expr *e = new_typed(T, EXP_CONSTRUCT, loc, opt);
  e->path.name = arg ? "Some" : "None";
  e->cdesc = d->constrs[arg ? 1 : 0];
  if (arg) {
    e->a = arg;
    e->args = ARENA_ARRAY(T->arena, Expr *, 1);
    e->args[0] = arg;
    e->nargs = 1;
  }
  return e;
}

static Expr *mk_var(Typer *T, ValueDesc *v, Loc loc) {
  Expr *e = new_typed(T, EXP_IDENT, loc, v->ty);
  e->path.name = v->name;
  e->val = v;
  return e;
}

static Pattern *mk_pvar(Typer *T, ValueDesc *v, Loc loc) {
  Pattern *p = ARENA_NEW(T->arena, Pattern);
  p->kind = PAT_VAR;
  p->loc = p->name_loc = loc;
  p->name = v->name;
  p->var = v;
  p->ty = v->ty;
  return p;
}

/* ---- Arguments: erasing optional parameters (type_argument) ----------------------- */

/* OCaml's is_inferred: expressions whose type is found without looking at
 * the expected one. */
static bool is_inferred(const Expr *e) {
  switch (e->kind) {
  case EXP_IDENT:
  case EXP_APPLY:
  case EXP_FIELD:
  case EXP_CONSTRAINT: return true;
  case EXP_SEQ: return is_inferred(e->b);
  case EXP_LETOPEN: return is_inferred(e->a);
  case EXP_IF: return e->c && is_inferred(e->b) && is_inferred(e->c);
  default: return false;
  }
}

static bool no_labels(Typer *T, Type *t) {
  ArgLabel ls[64];
  bool tvar;
  int n = list_labels(T, t, ls, 64, &tvar);
  for (int i = 0; i < n && i < 64; i++)
    if (ls[i].kind != LBL_NONE) return false;
  return !tvar;
}

/* Types arg against expected; returns the expression to use, which is
 * `let arg = arg in fun eta -> arg ?l:None .. eta` when arg is a function
 * whose leading optional parameters the expected type has not. */
static Expr *type_argument(Typer *T, Expr *arg, Type *expected) {
  Type *h = is_inferred(arg) ? ty_expand_head(T, expected) : NULL;
  if (!h || h->kind != TY_ARROW || h->label.kind != LBL_NONE) {
    ty_expr_expect(T, arg, expected, WHY_NONE);
    return arg;
  }
  bool safe_expect = no_labels(T, h->b);
  Type *fty = ty_expr(T, arg);
  int nopt = 0;
  bool simple_res = false;
  Type *t = fty;
  for (;;) {
    Type *th = ty_expand_head(T, t);
    if (th->kind == TY_ARROW && th->label.kind == LBL_OPTIONAL) {
      nopt++;
      t = th->b;
      continue;
    }
    if (th->kind == TY_ARROW && (th->label.kind == LBL_NONE || T->classic)) simple_res = no_labels(T, th->b);
    else if (th->kind != TY_VAR) nopt = 0;
    break;
  }
  if (nopt == 0 || !(simple_res || safe_expect)) {
    if (!ty_unify(T, fty, expected)) ty_error_expr_mismatch(T, arg->loc, WHY_NONE, false, arg);
    return arg;
  }
  /* t is the function left once the optional parameters are erased. */
  if (!ty_unify(T, t, expected)) {
    arg->ty = t;
    ty_error_expr_mismatch(T, arg->loc, WHY_NONE, false, arg);
  }
  Buf names;
  buf_init(&names);
  Loc loc = arg->loc;
  ValueDesc *f = ty_new_local(T, "arg", fty, loc);
  ValueDesc *eta = ty_new_local(T, "eta", h->a, loc);
  Expr *call = new_typed(T, EXP_APPLY, loc, h->b);
  call->a = mk_var(T, f, loc);
  call->nargs = nopt + 1;
  call->args = ARENA_ARRAY(T->arena, Expr *, nopt + 1);
  call->labels = ARENA_ARRAY(T->arena, ArgLabel, nopt + 1);
  t = fty;
  for (int i = 0; i < nopt; i++) {
    Type *th = ty_expand_head(T, t);
    call->args[i] = mk_option(T, NULL, th->a, loc);
    call->labels[i] = th->label;
    if (i) buf_puts(&names, ", ");
    buf_puts(&names, label_string(T, th->label));
    t = th->b;
  }
  call->args[nopt] = mk_var(T, eta, loc);
  call->labels[nopt] = no_label;
  char msg[512];
  snprintf(msg, sizeof msg, "implicit elimination of optional argument%s %s", nopt == 1 ? "" : "s",
           names.data);
  buf_free(&names);
  ctx_warn(T->ctx, loc, 48, "eliminated-optional-arguments", msg);
  Expr *fn = new_typed(T, EXP_FUN, loc, expected);
  fn->nparams = 1;
  fn->params = ARENA_ARRAY(T->arena, Pattern *, 1);
  fn->params[0] = mk_pvar(T, eta, loc);
  fn->a = call;
  Expr *let = new_typed(T, EXP_LET, loc, expected);
  let->nbinds = 1;
  let->binds = ARENA_ARRAY(T->arena, Binding, 1);
  let->binds[0] = (Binding){mk_pvar(T, f, loc), arg, loc};
  let->a = fn;
  return let;
}

/* ---- Applications (type_application) ------------------------------------------------ */

/* What an application gives parameter i, decided before the arguments are
 * typed (OCaml walks the function's type first). */
typedef enum SlotKind {
  SLOT_ARG,     /* the argument as is */
  SLOT_SOME,    /* the argument wrapped in Some (`~l:e` for `?l`) */
  SLOT_NONE,    /* an erased optional parameter */
  SLOT_OMITTED, /* no argument: the application abstracts over it */
  SLOT_UNKNOWN, /* past the known parameters */
} SlotKind;

typedef struct Slot {
  SlotKind kind;
  ArgLabel label; /* the parameter's */
  Expr *arg;
  Type *ty; /* the parameter's type (an option for ?l) */
} Slot;

typedef struct Apply {
  Typer *T;
  Expr *e;
  bool *used;
  Slot *slots;
  int nslots;
  ArgLabel *omitted; /* omitted parameters, for result types */
  Type **omitted_ty;
  int nomitted;
} Apply;

static void add_slot(Apply *A, SlotKind k, ArgLabel l, Expr *arg, Type *ty) {
  A->slots[A->nslots++] = (Slot){k, l, arg, ty};
  if (k == SLOT_OMITTED || k == SLOT_NONE) {
    A->omitted[A->nomitted] = l;
    A->omitted_ty[A->nomitted++] = ty;
  }
}

/* The first unused argument from index from, or -1. */
static int next_unused(Apply *A, int from) {
  for (int i = from; i < A->e->nargs; i++)
    if (!A->used[i]) return i;
  return -1;
}

static bool any_unused_unlabelled(Apply *A, int from) {
  for (int i = from; i < A->e->nargs; i++)
    if (!A->used[i] && label_at(A->e, i).kind == LBL_NONE) return true;
  return false;
}

/* The first unused argument with l's name (OCaml's extract_label). */
static int find_label(Apply *A, ArgLabel l, bool *commuted) {
  *commuted = false;
  for (int i = 0; i < A->e->nargs; i++) {
    if (A->used[i]) continue;
    if (ast_label_same_name(label_at(A->e, i), l)) return i;
    *commuted = true;
  }
  return -1;
}

/* Whether the application leaves out the labels of every parameter of a
 * function it applies fully (OCaml's ignore_labels): warning 6, and the
 * arguments are then taken in order. */
static bool labels_omitted(Typer *T, Expr *e, Type *fty) {
  ArgLabel ls[64];
  bool tvar;
  int n = list_labels(T, fty, ls, 64, &tvar);
  if (tvar || n > 64) return false;
  int nonopt = 0;
  bool labelled = false;
  for (int i = 0; i < n; i++) {
    if (ls[i].kind == LBL_OPTIONAL) continue;
    nonopt++;
    labelled |= ls[i].kind == LBL_LABELLED;
  }
  if (nonopt != e->nargs || !labelled) return false;
  for (int i = 0; i < e->nargs; i++)
    if (label_at(e, i).kind != LBL_NONE) return false;
  Buf b;
  buf_init(&b);
  int count = 0;
  for (int i = 0; i < n; i++) {
    if (ls[i].kind != LBL_LABELLED) continue;
    if (count++) buf_puts(&b, ", ");
    buf_puts(&b, ls[i].name);
  }
  char msg[512];
  if (count == 1)
    snprintf(msg, sizeof msg, "label %s was omitted in the application of this function.", b.data);
  else snprintf(msg, sizeof msg, "labels %s were omitted in the application of this function.", b.data);
  buf_free(&b);
  ctx_warn(T->ctx, e->a->loc, 6, "labels-omitted", msg);
  return true;
}

/* The type of what is left once omitted parameters are abstracted:
 * their arrows around t (OCaml's result_type). */
static Type *result_type(Apply *A, Type *t) {
  for (int i = A->nomitted - 1; i >= 0; i--) t = ty_new_arrow_l(A->T, A->omitted[i], A->omitted_ty[i], t);
  return t;
}

static Type *option_arg(Typer *T, Type *opt) {
  Type *h = ty_expand_head(T, opt);
  if (h->kind == TY_CONSTR && h->decl->builtin == TYB_OPTION) return h->args[0];
  Type *v = ty_new_var(T);
  if (!ty_unify(T, opt, ty_predef1(T, TYB_OPTION, v))) NML_UNREACHABLE();
  return v;
}

/* Walks the known parameters of the function type, deciding each one's
 * argument; returns what is left of the type. */
static Type *match_known(Apply *A, Type *fty, bool ignore) {
  Typer *T = A->T;
  Expr *e = A->e;
  Type *cur = fty;
  /* The arrows walked since an argument was last taken: a cyclic type
   * (-rectypes) that comes back to one takes no argument, and its
   * remaining arguments are left to match_unknown (OCaml loops there). */
  PtrVec idle = {0};
  for (;;) {
    if (next_unused(A, 0) < 0) return cur;
    Type *h = ty_expand_head(T, cur);
    if (h->kind != TY_ARROW || h->commu_unknown || arrow_seen(T, &idle, cur)) return cur;
    ArgLabel l = h->label;
    bool optional = l.kind == LBL_OPTIONAL;
    int j = -1;
    if (ignore) {
      int first = next_unused(A, 0);
      ArgLabel g = label_at(e, first);
      if (ast_label_same_name(l, g) || (!optional && g.kind == LBL_NONE)) {
        j = first;
      } else {
        bool later = false;
        for (int k = first + 1; k < e->nargs; k++)
          if (!A->used[k] && ast_label_same_name(label_at(e, k), l)) later = true;
        if (!(optional && !later && any_unused_unlabelled(A, 0)))
          ty_error_apply_wrong_label(T, e->args[first]->loc, g, h);
      }
    } else {
      bool commuted;
      j = find_label(A, l, &commuted);
      if (j >= 0 && !optional && label_at(e, j).kind == LBL_OPTIONAL) {
        char msg[256];
        snprintf(msg, sizeof msg, "the label %s is not optional.", label_string(T, l));
        ctx_warn(T->ctx, e->args[j]->loc, 43, "nonoptional-label", msg);
      }
    }
    if (j >= 0) {
      A->used[j] = true;
      idle.len = 0;
      bool wrap = optional && label_at(e, j).kind != LBL_OPTIONAL;
      add_slot(A, wrap ? SLOT_SOME : SLOT_ARG, l, e->args[j], h->a);
    } else if (optional && any_unused_unlabelled(A, 0)) {
      add_slot(A, SLOT_NONE, l, NULL, h->a);
    } else {
      add_slot(A, SLOT_OMITTED, l, NULL, h->a);
    }
    cur = h->b;
  }
}

/* The arguments past the known parameters: the function's type is then
 * a variable (made an arrow with each argument's label) or an arrow the
 * argument must match (OCaml's type_unknown_arg). */
static Type *match_unknown(Apply *A, Type *fty, Type *cur) {
  Typer *T = A->T;
  Expr *e = A->e;
  for (int j = next_unused(A, 0); j >= 0; j = next_unused(A, j + 1)) {
    ArgLabel g = label_at(e, j);
    Type *h = ty_expand_head(T, cur);
    Type *arg, *res;
    if (h->kind == TY_VAR) {
      arg = ty_new_var(T);
      res = ty_new_var(T);
      if (h->level >= arg->level && !(e->a->kind == EXP_IDENT && e->a->val && e->a->val->kind == VAL_PRIM &&
                                      strcmp(e->a->val->prim, "%identity") == 0))
        ctx_warn(T->ctx, e->args[j]->loc, 20, "ignored-extra-argument",
                 "this argument will not be used by the function.");
      Type *made = ty_new_arrow_l(T, g, arg, res);
      made->commu_unknown = true;
      if (!ty_unify(T, h, made)) ty_error_not_function(T, e->a->loc, fty);
    } else if (h->kind == TY_ARROW && (ast_label_equal(h->label, g) ||
                                       (T->classic && g.kind == LBL_NONE && h->label.kind != LBL_OPTIONAL))) {
      arg = h->a;
      res = h->b;
    } else {
      Type *rest = result_type(A, h);
      if (ty_expand_head(T, rest)->kind == TY_ARROW) {
        if (T->classic || !has_label(T, g, h)) ty_error_apply_wrong_label(T, e->args[j]->loc, g, rest);
        ty_error_incoherent_label_order(T, e->a->loc);
      }
      ty_error_not_function(T, e->a->loc, fty);
    }
    A->used[j] = true;
    add_slot(A, SLOT_UNKNOWN, g, e->args[j], arg);
    cur = res;
  }
  return cur;
}

static void apply_args(Typer *T, Expr *e, Type *fty);

/* The parameter types of t's arrows down to level (OCaml's lower_args). */
static void lower_params(Typer *T, Type *t, int level) {
  PtrVec seen = {0};
  for (int depth = 0; depth < 100000; depth++) {
    Type *h = ty_expand_head(T, t);
    if (h->kind != TY_ARROW || arrow_seen(T, &seen, t)) return;
    ty_limit_level(T, h->a, level);
    t = h->b;
  }
}

/* Whether t is `'a -> ('a -> 'b) -> 'b` (revapply) or `('a -> 'b) ->
 * 'a -> 'b` (apply), unlabelled (OCaml's check_apply_prim_type). */
static bool apply_prim_type(Type *t, bool rev) {
  t = ty_repr(t);
  if (t->kind != TY_ARROW || t->label.kind != LBL_NONE) return false;
  Type *r = ty_repr(t->b);
  if (r->kind != TY_ARROW || r->label.kind != LBL_NONE) return false;
  Type *f = ty_repr(rev ? r->a : t->a), *x = ty_repr(rev ? t->a : r->a), *res = ty_repr(r->b);
  if (f->kind != TY_ARROW || f->label.kind != LBL_NONE) return false;
  return x->kind == TY_VAR && res->kind == TY_VAR && x != res && ty_repr(f->a) == x && ty_repr(f->b) == res;
}

/* `x |> f` and `f @@ x`, the primitives %revapply and %apply applied to
 * an f whose type is inferred, are typed as `f x` (OCaml's type_expect on
 * Pexp_apply), which is also what they compute. */
static void direct_application(Typer *T, Expr *e) {
  Expr *fn = e->a;
  if (fn->kind != EXP_IDENT || e->nargs != 2) return;
  for (int i = 0; i < e->nargs; i++)
    if (e->labels && e->labels[i].kind != LBL_NONE) return;
  Env *scope = fn->path.nmods ? ty_lookup_module(T, &fn->path, false)->env : T->env;
  ValueDesc *v = scope ? env_find(scope, NS_VALUE, fn->path.name) : NULL;
  if (!v || v->kind != VAL_PRIM) return;
  bool rev = strcmp(v->prim, "%revapply") == 0;
  if (!rev && strcmp(v->prim, "%apply") != 0) return;
  Expr *f = e->args[rev ? 1 : 0], *x = e->args[rev ? 0 : 1];
  if (!is_inferred(f) || !apply_prim_type(v->ty, rev)) return;
  v->used = true;
  e->a = f;
  e->args[0] = x;
  e->nargs = 1;
}

void ty_apply(Typer *T, Expr *e, Type *expected, ExpectWhy why) {
  direct_application(T, e);
  Expr *fn = e->a;
  /* As in OCaml, the function is typed one level up and its parameters
   * brought down: a result variable left above the current level is one
   * no argument determines, and applying it further draws warning 20. */
  ty_begin_def(T);
  Type *fty = ty_expr(T, fn);
  ty_end_def(T);
  lower_params(T, fty, T->level);
  ty_begin_def(T);
  apply_args(T, e, fty);
  ty_end_def(T);
  ty_limit_level(T, fty, T->level);
  if (!ty_unify(T, e->ty, expected)) ty_error_expr_mismatch(T, e->loc, why, true, e);
}

static void apply_args(Typer *T, Expr *e, Type *fty) {
  Expr *fn = e->a;
  Apply A = {T, e, NULL, NULL, 0, NULL, NULL, 0};
  int max = e->nargs;
  /* A cyclic type (-rectypes) is gone round at most once per argument
   * (match_known), its arrows counted once. */
  PtrVec seen = {0};
  for (Type *t = fty;; max++) {
    Type *h = ty_expand_head(T, t);
    if (h->kind != TY_ARROW) break;
    if (arrow_seen(T, &seen, t)) {
      max = e->nargs + (max - e->nargs) * (e->nargs + 1);
      break;
    }
    t = h->b;
  }
  A.used = ARENA_ARRAY(T->arena, bool, e->nargs);
  A.slots = ARENA_ARRAY(T->arena, Slot, max + 1);
  A.omitted = ARENA_ARRAY(T->arena, ArgLabel, max + 1);
  A.omitted_ty = ARENA_ARRAY(T->arena, Type *, max + 1);
  bool ignore = T->classic || labels_omitted(T, e, fty);
  Type *cur = match_known(&A, fty, ignore);
  /* Erased parameters are no longer part of the result. */
  A.nomitted = 0;
  for (int i = 0; i < A.nslots; i++)
    if (A.slots[i].kind == SLOT_OMITTED) {
      A.omitted[A.nomitted] = A.slots[i].label;
      A.omitted_ty[A.nomitted++] = A.slots[i].ty;
    }
  cur = match_unknown(&A, fty, cur);
  /* The arguments are typed in parameter order, once the function's type
   * has been walked. */
  bool labelled = false;
  Expr **args = ARENA_ARRAY(T->arena, Expr *, A.nslots);
  ArgLabel *labels = ARENA_ARRAY(T->arena, ArgLabel, A.nslots);
  for (int i = 0; i < A.nslots; i++) {
    Slot *s = &A.slots[i];
    labels[i] = s->label;
    labelled |= s->label.kind != LBL_NONE || s->kind != SLOT_ARG;
    switch (s->kind) {
    case SLOT_ARG: args[i] = type_argument(T, s->arg, s->ty); break;
    case SLOT_SOME: {
      Expr *a = type_argument(T, s->arg, option_arg(T, s->ty));
      args[i] = mk_option(T, a, s->ty, s->arg->loc);
      break;
    }
    case SLOT_NONE: args[i] = mk_option(T, NULL, s->ty, e->loc); break;
    case SLOT_OMITTED: args[i] = NULL; break;
    case SLOT_UNKNOWN:
      ty_expr_expect(T, s->arg, s->ty, WHY_NONE);
      if (s->label.kind == LBL_OPTIONAL && !ty_unify(T, s->arg->ty, ty_predef1(T, TYB_OPTION, ty_new_var(T))))
        ty_error_expr_mismatch(T, s->arg->loc, WHY_NONE, false, s->arg);
      args[i] = s->arg;
      break;
    }
  }
  e->args = args;
  e->nargs = A.nslots;
  e->labels = labelled ? labels : NULL;
  if (e->nargs == 1 && args[0] && ty_is_prim(fn, "%ignore")) ty_check_partial_application(T, args[0], false);
  e->ty = result_type(&A, cur);
}
