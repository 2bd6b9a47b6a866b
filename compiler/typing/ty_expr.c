/* ty_expr.c — typing of expressions (OCaml's type_expect): every
 * expression is checked against an expected type, which flows into
 * branches and constructor arguments so that errors land where OCaml puts
 * them; applications follow type_application (walk the function type
 * first, then type the arguments); let-bindings generalize with the
 * relaxed value restriction; sequences warn as OCaml does (5, 10, 21). */
#include <string.h>

#include "parmatch.h"
#include "typecheck.h"

static void unify_exp(Typer *T, Expr *e, Type *actual, Type *expected, ExpectWhy why) {
  if (!ty_unify(T, actual, expected)) ty_error_expr_mismatch(T, e->loc, why, true, e);
}

Type *ty_expr(Typer *T, Expr *e) {
  ty_expr_expect(T, e, ty_new_var(T), WHY_NONE);
  return e->ty;
}

/* ---- Lookups ------------------------------------------------------------------- */

static void path_buf(Buf *b, const Path *p) {
  for (int i = 0; i < p->nmods; i++) {
    if (i) buf_putc(b, '.');
    buf_puts(b, p->mods[i]);
    for (PathApp *a = p->apps ? p->apps[i] : NULL; a; a = a->next) {
      buf_putc(b, '(');
      path_buf(b, &a->arg);
      buf_putc(b, ')');
    }
  }
  if (p->name) {
    if (p->nmods) buf_putc(b, '.');
    buf_puts(b, p->name);
  }
}

const char *ty_path_string(Typer *T, const Path *p) {
  Buf b;
  buf_init(&b);
  path_buf(&b, p);
  const char *s = arena_strdup(T->arena, b.data);
  buf_free(&b);
  return s;
}

ModuleDesc *ty_lookup_module(Typer *T, const Path *p, bool whole) {
  if (p->apps) return ty_lookup_app_path(T, p);
  int n = p->nmods + (whole ? 1 : 0);
  const char **mods = p->mods;
  if (whole) {
    mods = ARENA_ARRAY(T->arena, const char *, n);
    for (int i = 0; i < p->nmods; i++) mods[i] = p->mods[i];
    mods[p->nmods] = p->name;
  }
  int missing = 0;
  ModuleDesc *m = env_find_module_path(T->env, mods, n, &missing);
  if (!m) {
    Path q = {mods, missing, mods[missing], p->loc, NULL};
    ty_error_unbound(T, p->loc, "module", NS_MODULE, &q);
  }
  return m;
}

ValueDesc *ty_lookup_value(Typer *T, const Path *p) {
  if (p->nmods) ty_recmod_note_use(T, p->mods[0]);
  Env *scope = p->nmods ? ty_lookup_module(T, p, false)->env : T->env;
  ValueDesc *v = scope ? env_find(scope, NS_VALUE, p->name) : NULL;
  if (!v) ty_error_unbound(T, p->loc, "value", NS_VALUE, p);
  v->used = true;
  return v;
}

/* ---- Statements and partial applications (warnings 5, 10, 21) --------------- */

static Loc final_subexpression(Expr *e) {
  while (e->kind == EXP_LET || e->kind == EXP_SEQ || e->kind == EXP_LETEXN)
    e = e->kind == EXP_SEQ ? e->b : e->a;
  return e->loc;
}

static void check_statement(Typer *T, Expr *e, Type *ty, bool statement) {
  if (!statement || ty->kind == TY_VAR || ty_is_constr(ty, TYB_UNIT)) return;
  ctx_warn(T->ctx, final_subexpression(e), 10, "non-unit-statement",
           "this expression should have type unit.");
}

static void check_partial(Typer *T, Expr *e, Type *ty, bool statement) {
  switch (e->kind) {
  case EXP_MATCH:
    for (int i = 0; i < e->ncases; i++) check_partial(T, e->cases[i].body, ty, statement);
    return;
  case EXP_TRY:
    check_partial(T, e->a, ty, statement);
    for (int i = 0; i < e->ncases; i++) check_partial(T, e->cases[i].body, ty, statement);
    return;
  case EXP_IF:
    if (!e->c) break;
    check_partial(T, e->b, ty, statement);
    check_partial(T, e->c, ty, statement);
    return;
  case EXP_LET:
  case EXP_LETOPEN:
  case EXP_LETEXN:
  case EXP_NEWTYPE: check_partial(T, e->a, ty, statement); return;
  case EXP_SEQ: check_partial(T, e->b, ty, statement); return;
  case EXP_APPLY:
    ctx_warn(T->ctx, e->loc, 5, "ignored-partial-application",
             "this function application is partial,\nmaybe some arguments are missing.");
    return;
  default: break;
  }
  check_statement(T, e, ty, statement);
}

void ty_check_partial_application(Typer *T, Expr *e, bool statement) {
  Type *ty = ty_expand_head(T, e->ty);
  if (ty->kind == TY_ARROW) check_partial(T, e, ty, statement);
  else check_statement(T, e, ty, statement);
}

/* OCaml's type_statement: any type is accepted, with warnings. */
static void type_statement(Typer *T, Expr *e) {
  ty_begin_def(T);
  Type *ty = ty_expr(T, e);
  ty_end_def(T);
  Type *h = ty_expand_head(T, ty);
  if (h->kind == TY_VAR && h->level > T->level && h->level != TY_GENERIC_LEVEL)
    ctx_warn(T->ctx, final_subexpression(e), 21, "nonreturning-statement",
             "this statement never returns (or has an unsound type.)");
  ty_check_partial_application(T, e, true);
  ty_limit_level(T, ty, T->level);
}

/* ---- Applications ---------------------------------------------------------------- */

bool ty_is_prim(const Expr *e, const char *prim) {
  return e->kind == EXP_IDENT && e->val && e->val->kind == VAL_PRIM && strcmp(e->val->prim, prim) == 0;
}

/* The cases of a match, function or try at loc; exhaustiveness is checked
 * (partial) for match and function, after the bodies, as OCaml does. */
static void type_cases(Typer *T, Case *cases, int n, Type *ty_arg, Type *ty_res, ExpectWhy why, Loc loc,
                       bool partial, bool match) {
  PatVars *pvs = ARENA_ARRAY(T->arena, PatVars, n + 1);
  /* Patterns with constructors may hold GADT ones: they are typed one
   * level in, the match's level, where their equations and existentials
   * live (OCaml's type_cases); each case keeps its equations for its
   * guard and body. */
  bool gadts = false;
  for (int i = 0; i < n; i++) gadts |= parmatch_has_constructor(cases[i].pat);
  if (gadts) ty_begin_def(T);
  GadtEqs **eqs = ARENA_ARRAY(T->arena, GadtEqs *, n + 1);
  int saved_noex = T->no_existentials;
  T->no_existentials = NOEX_NONE;
  CaseTyping ct = {gadts ? T->level : 0, eqs, match};
  ty_case_patterns(T, cases, n, ty_arg, pvs, &ct);
  T->no_existentials = saved_noex;
  for (int i = 0; i < n; i++) {
    int mark = env_mark(T->env), eq_mark = T->neqs;
    if (eqs[i]) ty_gadt_restore(T, eqs[i]);
    ty_bind_patvars(T, &pvs[i]);
    if (cases[i].guard) ty_expr_expect(T, cases[i].guard, ty_predef(T, TYB_BOOL), WHY_GUARD);
    ty_expr_expect(T, cases[i].body, ty_res, why);
    env_rollback(T->env, mark);
    ty_gadt_undo(T, eq_mark);
  }
  if (gadts) ty_end_def(T);
  bool values = !match;
  for (int i = 0; i < n && !values; i++) values = cases[i].pat->kind != PAT_EXCEPTION;
  if (!values) ty_error_text(T, loc, "None of the patterns in this 'match' expression match values.");
  ty_check_cases(T, loc, cases, n, partial, ty_arg);
}

/* ---- Constructors, records, fields ----------------------------------------------- */

static void split_exp_args(Typer *T, Expr *e, int arity) {
  Expr *a = e->a;
  if (!a) return; /* arguments already in args (or none) */
  if (a->kind == EXP_TUPLE && arity > 1) {
    e->args = a->args;
    e->nargs = a->nargs;
  } else {
    e->args = ARENA_ARRAY(T->arena, Expr *, 1);
    e->args[0] = a;
    e->nargs = 1;
  }
}

static void type_construct(Typer *T, Expr *e, Type *expected, ExpectWhy why) {
  ConstrDesc *c = ty_lookup_constr(T, &e->path, expected, false);
  e->cdesc = c;
  split_exp_args(T, e, c->nargs);
  if (e->nargs != c->nargs) ty_error_constr_arity(T, e->loc, e->path.name, c->nargs, e->nargs);
  Type **args = ARENA_ARRAY(T->arena, Type *, c->nargs + 1);
  Type *res = ty_instance_constr(T, c, args);
  e->ty = res;
  unify_exp(T, e, res, expected, why);
  for (int i = 0; i < c->nargs; i++) ty_expr_expect(T, e->args[i], args[i], WHY_NONE);
  if (c->decl && c->decl->private_) ty_error_private(T, e->loc, NULL, res);
}

static Type *decl_instance(Typer *T, TypeDecl *d, Type ***params_out) {
  Type **params = ARENA_ARRAY(T->arena, Type *, d->nparams + 1);
  for (int i = 0; i < d->nparams; i++) params[i] = ty_new_var(T);
  *params_out = params;
  const char *path = d->nfields ? d->fields[0]->res->path : d->name;
  return ty_new_constr(T, d, params, d->nparams, path);
}

static void type_record(Typer *T, Expr *e, Type *expected, ExpectWhy why) {
  Type *base_ty = e->a ? ty_expr(T, e->a) : NULL;
  const char **names = ARENA_ARRAY(T->arena, const char *, e->nfields + 1);
  for (int i = 0; i < e->nfields; i++) names[i] = e->fields[i].field.name;
  Type *hint = expected;
  if (base_ty && ty_expand_head(T, expected)->kind == TY_VAR) hint = base_ty;
  TypeDecl *d =
      ty_record_decl(T, &e->fields[0].field, names, e->nfields, hint, false, e->fields[0].field.loc);
  Type **params;
  Type *rec = decl_instance(T, d, &params);
  e->ty = rec;
  unify_exp(T, e, rec, expected, why);
  if (d->private_) ty_error_private(T, e->loc, NULL, rec);
  for (int i = 0; i < e->nfields; i++) {
    for (int k = 0; k < i; k++)
      if (strcmp(names[k], names[i]) == 0)
        ty_error_textf(T, e->loc, "The record field label %s is defined several times", names[i]);
    FieldDesc *f = ty_record_field(T, d, &e->fields[i].field);
    e->fields[i].desc = f;
    if (f->nuniv) ty_poly_field(T, e->fields[i].expr, d, params, f);
    else ty_expr_expect(T, e->fields[i].expr, ty_subst_params(T, d, params, f->ty), WHY_NONE);
  }
  if (base_ty) {
    /* Fields not overridden keep their type from the base record. */
    Type **bparams;
    Type *brec = decl_instance(T, d, &bparams);
    for (int j = 0; j < d->nfields; j++) {
      bool given = false;
      for (int i = 0; i < e->nfields; i++) given |= strcmp(names[i], d->fields[j]->name) == 0;
      if (!given)
        ty_unify(T, ty_subst_params(T, d, params, d->fields[j]->ty),
                 ty_subst_params(T, d, bparams, d->fields[j]->ty));
    }
    if (!ty_unify(T, base_ty, brec)) ty_error_expr_mismatch(T, e->a->loc, WHY_NONE, false, e->a);
    return;
  }
  Buf missing;
  buf_init(&missing);
  for (int j = 0; j < d->nfields; j++) {
    bool given = false;
    for (int i = 0; i < e->nfields; i++) given |= strcmp(names[i], d->fields[j]->name) == 0;
    if (!given) buf_printf(&missing, " %s", d->fields[j]->name);
  }
  if (missing.len) {
    const char *s = arena_strdup(T->arena, missing.data);
    buf_free(&missing);
    ty_error_textf(T, e->loc, "Some record fields are undefined:%s", s);
  }
  buf_free(&missing);
}

/* e.f and e.f <- v: the field is looked up in e's type when it is known. */
static FieldDesc *type_field_access(Typer *T, Expr *e, Type **field_ty) {
  Type *rty = ty_expr(T, e->a);
  Type *h = ty_expand_head(T, rty);
  FieldDesc *f = NULL;
  if (h->kind == TY_CONSTR && h->decl->kind == TD_RECORD && e->path.nmods == 0) {
    for (int i = 0; i < h->decl->nfields; i++)
      if (strcmp(h->decl->fields[i]->name, e->path.name) == 0) f = h->decl->fields[i];
    if (!f) ty_error_no_field(T, e->path.loc, rty, e->path.name, h->decl);
  } else {
    Env *scope = e->path.nmods ? ty_lookup_module(T, &e->path, false)->env : T->env;
    f = env_find(scope, NS_FIELD, e->path.name);
    if (!f) ty_error_unbound(T, e->path.loc, "record field", NS_FIELD, &e->path);
  }
  Type *rec = ty_instance_field(T, f, field_ty);
  if (!ty_unify(T, rty, rec)) ty_error_expr_mismatch(T, e->a->loc, WHY_NONE, false, e->a);
  e->fdesc = f;
  return f;
}

/* ---- let ---------------------------------------------------------------------- */

static bool mentions(const Expr *e, const char **names, int n);

static bool mentions_list(Expr **es, int k, const char **names, int n) {
  for (int i = 0; i < k; i++)
    if (mentions(es[i], names, n)) return true;
  return false;
}

/* Whether e refers to one of names (conservatively: shadowing ignored). */
static bool mentions(const Expr *e, const char **names, int n) {
  if (!e) return false;
  if (e->kind == EXP_IDENT && e->path.nmods == 0)
    for (int i = 0; i < n; i++)
      if (strcmp(e->path.name, names[i]) == 0) return true;
  if (mentions(e->a, names, n) || mentions(e->b, names, n) || mentions(e->c, names, n)) return true;
  if (mentions_list(e->args, e->nargs, names, n)) return true;
  for (int i = 0; i < e->ncases; i++)
    if (mentions(e->cases[i].guard, names, n) || mentions(e->cases[i].body, names, n)) return true;
  for (int i = 0; i < e->nbinds; i++)
    if (mentions(e->binds[i].expr, names, n)) return true;
  for (int i = 0; i < e->nfields; i++)
    if (mentions(e->fields[i].expr, names, n)) return true;
  return false;
}

/* OCaml's restriction on `let rec` right-hand sides, simplified: functions,
 * expressions not using the recursive names, and constructors, tuples,
 * records and arrays whose parts are such or bare names. */
static bool rec_rhs_ok(const Expr *e, const char **names, int n) {
  if (e->kind == EXP_FUN || e->kind == EXP_FUNCTION) return true;
  if (!mentions(e, names, n)) return true;
  switch (e->kind) {
  case EXP_CONSTRAINT:
  case EXP_NEWTYPE: return rec_rhs_ok(e->a, names, n);
  case EXP_CONSTRUCT:
    if (e->a) return e->a->kind == EXP_IDENT || rec_rhs_ok(e->a, names, n);
    /* fallthrough */
  case EXP_TUPLE:
  case EXP_ARRAY:
    for (int i = 0; i < e->nargs; i++)
      if (e->args[i]->kind != EXP_IDENT && !rec_rhs_ok(e->args[i], names, n)) return false;
    return true;
  case EXP_RECORD:
    if (e->a) return false;
    for (int i = 0; i < e->nfields; i++)
      if (e->fields[i].expr->kind != EXP_IDENT && !rec_rhs_ok(e->fields[i].expr, names, n)) return false;
    return true;
  default: return false;
  }
}

static void let_bindings(Typer *T, Binding *bs, int n, bool rec, PtrVec *bound, bool check, bool local);

void ty_let_bindings(Typer *T, Binding *bs, int n, bool rec, PtrVec *bound) {
  let_bindings(T, bs, n, rec, bound, true, false);
}

/* check: warn for refutable patterns at their location (not when the let
 * is typed as a match, see parmatch_has_constructor). */
static void let_bindings(Typer *T, Binding *bs, int n, bool rec, PtrVec *bound, bool check, bool local) {
  ty_begin_def(T);
  PatVars pv = {0};
  Type **ptys = ARENA_ARRAY(T->arena, Type *, n + 1);
  Type ***univars = ARENA_ARRAY(T->arena, Type **, n + 1);
  /* Existential types only in a local `let p = e in` (whose equations
   * stay in force for its body), as OCaml's type_let. */
  int saved_lev = T->pat_lev, saved_noex = T->no_existentials;
  T->no_existentials = !local ? NOEX_TOPLEVEL : rec ? NOEX_REC : n > 1 ? NOEX_GROUP : NOEX_NONE;
  T->pat_lev = 0; /* a let with a constructor is typed as a match */
  for (int i = 0; i < n; i++) {
    if (ty_poly_binding(&bs[i])) {
      ptys[i] = ty_poly_bind(T, &bs[i], &pv, &univars[i]);
      continue;
    }
    ptys[i] = ty_new_var(T);
    ty_pattern(T, bs[i].pat, ptys[i], &pv);
    ty_pressure_variants(T, &bs[i].pat, 1); /* as OCaml's type_let */
  }
  T->pat_lev = saved_lev;
  T->no_existentials = saved_noex;
  if (rec) ty_bind_patvars(T, &pv);
  /* OCaml adds "ghost" bindings of a non-recursive let of functions, for
   * its missing-rec hint (ty_error_unbound). */
  bool funs = !rec;
  for (int i = 0; i < n && funs; i++) funs = bs[i].expr->kind == EXP_FUN || bs[i].expr->kind == EXP_FUNCTION;
  struct GhostRec ghost = {pv.vars, pv.n, bs[0].loc.line1, T->ghost_rec};
  if (funs) T->ghost_rec = &ghost;
  for (int i = 0; i < n; i++) ty_expr_expect(T, bs[i].expr, ptys[i], WHY_NONE);
  if (funs) T->ghost_rec = ghost.up;
  if (rec) {
    const char **names = ARENA_ARRAY(T->arena, const char *, pv.n + 1);
    for (int i = 0; i < pv.n; i++) names[i] = pv.vars[i]->name;
    for (int i = 0; i < n; i++)
      if (!rec_rhs_ok(bs[i].expr, names, pv.n))
        ty_error_text(T, bs[i].expr->loc,
                      "This kind of expression is not allowed as right-hand side of `let rec'");
  }
  ty_end_def(T);
  for (int i = 0; i < n; i++) {
    if (!ty_nonexpansive(bs[i].expr)) ty_generalize_expansive(T, ptys[i]);
    ty_generalize(T, ptys[i]);
    if (univars[i]) ty_poly_check(T, &bs[i], ptys[i], univars[i]);
  }
  if (check)
    for (int i = 0; i < n; i++) parmatch_check_let(T->ctx, bs[i].pat->loc, bs[i].pat);
  if (!rec) ty_bind_patvars(T, &pv);
  if (bound)
    for (int i = 0; i < pv.n; i++) ptrvec_push(T->arena, bound, pv.vars[i]);
}

static bool nonexpansive_mod(const ModExpr *me);

/* A structure's items (OCaml's is_nonexpansive_mod): declarations, and
 * values and modules that are nonexpansive; a new exception is not. */
static bool nonexpansive_items(Item **items, int n) {
  for (int i = 0; i < n; i++) {
    const Item *it = items[i];
    switch (it->kind) {
    case ITEM_VALUE:
      for (int j = 0; j < it->nbinds; j++)
        if (!ty_nonexpansive(it->binds[j].expr)) return false;
      break;
    case ITEM_MODULE:
    case ITEM_INCLUDE:
      if (!nonexpansive_mod(it->mexpr)) return false;
      break;
    case ITEM_EXCEPTION:
    case ITEM_RECMODULE: return false;
    default: break; /* types, module types, externals, opens, evaluations */
    }
  }
  return true;
}

static bool nonexpansive_mod(const ModExpr *me) {
  switch (me->kind) {
  case MOD_IDENT:
  case MOD_FUNCTOR: return true;
  case MOD_CONSTRAINT: return nonexpansive_mod(me->fn);
  case MOD_STRUCT: return nonexpansive_items(me->items, me->nitems);
  case MOD_APPLY: return false;
  case MOD_UNPACK: return ty_nonexpansive(me->unpacked);
  }
  return false;
}

/* OCaml's is_nonexpansive: expressions whose evaluation creates no mutable
 * state may be generalized. */
bool ty_nonexpansive(const Expr *e) {
  switch (e->kind) {
  case EXP_CONST:
  case EXP_IDENT:
  case EXP_FUN:
  case EXP_FUNCTION: return true;
  case EXP_CONSTRUCT:
    if (e->a) return ty_nonexpansive(e->a);
    /* fallthrough */
  case EXP_TUPLE:
    for (int i = 0; i < e->nargs; i++)
      if (!ty_nonexpansive(e->args[i])) return false;
    return true;
  case EXP_ARRAY: return e->nargs == 0;
  case EXP_RECORD:
    if (e->a && !ty_nonexpansive(e->a)) return false;
    for (int i = 0; i < e->nfields; i++)
      if ((e->fields[i].desc && e->fields[i].desc->mutable_) || !ty_nonexpansive(e->fields[i].expr))
        return false;
    return true;
  case EXP_FIELD: return ty_nonexpansive(e->a);
  case EXP_IF: return ty_nonexpansive(e->b) && (!e->c || ty_nonexpansive(e->c));
  case EXP_SEQ: return ty_nonexpansive(e->b);
  case EXP_LET:
    for (int i = 0; i < e->nbinds; i++)
      if (!ty_nonexpansive(e->binds[i].expr)) return false;
    return ty_nonexpansive(e->a);
  case EXP_MATCH:
    if (!ty_nonexpansive(e->a)) return false;
    for (int i = 0; i < e->ncases; i++)
      if (e->cases[i].guard || e->cases[i].pat->kind == PAT_EXCEPTION || !ty_nonexpansive(e->cases[i].body))
        return false;
    return true;
  case EXP_VARIANT: return !e->a || ty_nonexpansive(e->a);
  case EXP_CONSTRAINT:
  case EXP_COERCE:
  case EXP_LETOPEN:
  case EXP_LETEXN:
  case EXP_NEWTYPE: return ty_nonexpansive(e->a);
  case EXP_LETMODULE: return nonexpansive_mod(e->mexpr) && ty_nonexpansive(e->a);
  case EXP_PACK: return nonexpansive_mod(e->mexpr);
  case EXP_APPLY:
    /* A typed application that abstracts over its first parameter only
     * builds a closure (the arguments are in parameter order, NULL for
     * parameters given none). */
    if (e->nargs > 0 && !e->args[0]) {
      if (!ty_nonexpansive(e->a)) return false;
      for (int i = 1; i < e->nargs; i++)
        if (e->args[i] && !ty_nonexpansive(e->args[i])) return false;
      return true;
    }
    return e->nargs == 1 &&
           (ty_is_prim(e->a, "%raise") || ty_is_prim(e->a, "%reraise") ||
            ty_is_prim(e->a, "%raise_notrace")) &&
           ty_nonexpansive(e->args[0]);
  default: return false;
  }
}

/* ---- The dispatcher -------------------------------------------------------------- */

static Type *const_type(Typer *T, const Const *c) {
  static const int tyb[] = {
      [CONST_INT] = TYB_INT, [CONST_CHAR] = TYB_CHAR, [CONST_STRING] = TYB_STRING, [CONST_FLOAT] = TYB_FLOAT};
  return ty_predef(T, tyb[c->kind]);
}

static void type_loop(Typer *T, Expr *e, Type *expected, ExpectWhy why) {
  Type *unit = ty_predef(T, TYB_UNIT);
  if (e->kind == EXP_WHILE) {
    ty_expr_expect(T, e->a, ty_predef(T, TYB_BOOL), WHY_WHILE_COND);
    type_statement(T, e->b);
  } else {
    ty_expr_expect(T, e->a, ty_predef(T, TYB_INT), WHY_FOR_START);
    ty_expr_expect(T, e->b, ty_predef(T, TYB_INT), WHY_FOR_STOP);
    int mark = env_mark(T->env);
    Loc l = e->loc;
    e->val = ty_new_local(T, e->var ? e->var : "_for", ty_predef(T, TYB_INT), l);
    if (e->var) env_add(T->env, NS_VALUE, e->var, e->val);
    type_statement(T, e->c);
    env_rollback(T->env, mark);
  }
  e->ty = unit;
  unify_exp(T, e, unit, expected, why);
}

static Type *replace_newtype_node(Typer *T, Type *t, TypeDecl *d, Type *v, int depth, CopyMap *memo);

/* t with every occurrence of the type constructor d replaced by v:
 * copies of the nodes above them, variables kept (OCaml's newtype
 * typing replaces the locally abstract type in the body's type).
 * memo (-rectypes only): each node's result, so that a cyclic type is
 * copied once, its cycles with it. */
static Type *replace_newtype(Typer *T, Type *t, TypeDecl *d, Type *v, int depth, CopyMap *memo) {
  t = ty_repr(t);
  if (!memo || t->kind == TY_VAR) return replace_newtype_node(T, t, d, v, depth, memo);
  Type *c = ty_copymap_get(memo, t);
  if (c) return c;
  Type *ph = ty_new_generic_var(T); /* stands for the result until it is made */
  ty_copymap_put(memo, t, ph);
  c = replace_newtype_node(T, t, d, v, depth, memo);
  ph->link = c;
  ty_copymap_put(memo, t, c);
  return c;
}

typedef struct NewtypeArg {
  TypeDecl *d;
  Type *v;
  int depth;
  CopyMap *memo;
} NewtypeArg;

static Type *replace_newtype_item(Typer *T, Type *t, void *arg) {
  NewtypeArg *a = arg;
  return replace_newtype(T, t, a->d, a->v, a->depth + 1, a->memo);
}

static Type *replace_newtype_node(Typer *T, Type *t, TypeDecl *d, Type *v, int depth, CopyMap *memo) {
  if (depth > 10000) return t;
  switch (t->kind) {
  case TY_VAR: return t;
  case TY_VARIANT: {
    NewtypeArg a = {d, v, depth, memo};
    return ty_row_map(T, t, replace_newtype_item, &a, NULL);
  }
  case TY_ARROW: {
    Type *a = replace_newtype(T, t->a, d, v, depth + 1, memo),
         *b = replace_newtype(T, t->b, d, v, depth + 1, memo);
    return a == t->a && b == t->b ? t : ty_copy_arrow(T, t, a, b);
  }
  case TY_TUPLE:
  case TY_PACKAGE:
  case TY_CONSTR: {
    if (t->kind == TY_CONSTR && t->decl == d) return v;
    /* An abbreviation of a module gone out of scope may stand for d. */
    if (t->kind == TY_CONSTR && t->decl->out_of_scope && t->decl->manifest)
      return replace_newtype(T, ty_expand_once(T, t), d, v, depth + 1, memo);
    Type **args = ARENA_ARRAY(T->arena, Type *, t->nargs + 1);
    bool changed = false;
    for (int i = 0; i < t->nargs; i++) {
      args[i] = replace_newtype(T, t->args[i], d, v, depth + 1, memo);
      changed |= args[i] != t->args[i];
    }
    if (!changed) return t;
    if (t->kind == TY_PACKAGE) return ty_new_package(T, t->pkg, t->path, t->pkg_names, args, t->nargs);
    return t->kind == TY_TUPLE ? ty_new_tuple(T, args, t->nargs)
                               : ty_new_constr(T, t->decl, args, t->nargs, t->path);
  }
  }
  return t;
}

/* fun (type t) -> e: e is typed with t a fresh abstract type, which its
 * type then gives up for a fresh variable. */
static void type_newtype(Typer *T, Expr *e, Type *expected, ExpectWhy why) {
  /* Scope 0: the escape of a newtype is found by replace_newtype below,
   * not by levels. */
  TypeDecl *d = ty_local_type(T, e->var, 0);
  d->loc = e->loc;
  int mark = env_mark(T->env);
  env_add(T->env, NS_TYPE, e->var, d);
  Type *body = ty_expr(T, e->a);
  env_rollback(T->env, mark);
  Type *v = ty_new_var(T);
  v->name = e->var; /* OCaml names it after the type: 't */
  e->ty = replace_newtype(T, body, d, v, 0, T->rectypes ? ty_copymap_new(T) : NULL);
  unify_exp(T, e, e->ty, expected, why);
}

void ty_expr_expect(Typer *T, Expr *e, Type *expected, ExpectWhy why) {
  switch (e->kind) {
  case EXP_CONST:
    if (e->cst.kind == CONST_STRING && ty_format_literal(T, e, expected)) return;
    e->ty = const_type(T, &e->cst);
    unify_exp(T, e, e->ty, expected, why);
    return;
  case EXP_IDENT:
    e->val = ty_lookup_value(T, &e->path);
    e->ty = ty_instance(T, e->val->ty);
    unify_exp(T, e, e->ty, expected, why);
    return;
  case EXP_CONSTRUCT: type_construct(T, e, expected, why); return;
  case EXP_APPLY: ty_apply(T, e, expected, why); return;
  case EXP_PACK:
    ty_pack(T, e, expected);
    unify_exp(T, e, e->ty, expected, why);
    return;
  case EXP_FUN: ty_fun(T, e, expected, why); return;
  case EXP_FUNCTION: {
    Type *arg, *res;
    ty_filter_arrow(T, e->loc, e, expected, (ArgLabel){LBL_NONE, NULL}, &arg, &res);
    type_cases(T, e->cases, e->ncases, arg, res, why, e->loc, true, false);
    e->ty = expected;
    return;
  }
  case EXP_LET: {
    /* OCaml types `let p = e in body` as `match e with p -> body` when p
     * may hold a GADT constructor (any constructor): nothing is
     * generalized, equations hold in the body, and the check covers the
     * whole let. */
    if (!e->rec && e->nbinds == 1 && parmatch_has_constructor(e->binds[0].pat)) {
      Expr *scrut = e->binds[0].expr;
      ty_begin_def(T);
      ty_expr(T, scrut);
      ty_end_def(T);
      ty_limit_level(T, scrut->ty, T->level);
      Case *c = ARENA_NEW(T->arena, Case);
      c->pat = e->binds[0].pat;
      c->body = e->a;
      type_cases(T, c, 1, scrut->ty, expected, why, e->loc, true, false);
      e->ty = e->a->ty;
      return;
    }
    int mark = env_mark(T->env);
    let_bindings(T, e->binds, e->nbinds, e->rec, NULL, true, true);
    ty_expr_expect(T, e->a, expected, why);
    env_rollback(T->env, mark);
    e->ty = e->a->ty;
    return;
  }
  case EXP_MATCH:
    ty_begin_def(T);
    ty_expr(T, e->a);
    ty_end_def(T);
    ty_limit_level(T, e->a->ty, T->level);
    type_cases(T, e->cases, e->ncases, e->a->ty, expected, why, e->loc, true, true);
    e->ty = expected;
    return;
  case EXP_TRY:
    ty_expr_expect(T, e->a, expected, why);
    type_cases(T, e->cases, e->ncases, ty_predef(T, TYB_EXN), expected, why, e->loc, false, false);
    e->ty = expected;
    return;
  case EXP_TUPLE: {
    Type **items = ARENA_ARRAY(T->arena, Type *, e->nargs);
    for (int i = 0; i < e->nargs; i++) items[i] = ty_new_var(T);
    e->ty = ty_new_tuple(T, items, e->nargs);
    unify_exp(T, e, e->ty, expected, why);
    for (int i = 0; i < e->nargs; i++) ty_expr_expect(T, e->args[i], items[i], WHY_NONE);
    return;
  }
  case EXP_IF:
    ty_expr_expect(T, e->a, ty_predef(T, TYB_BOOL), WHY_IF_COND);
    if (!e->c) {
      ty_expr_expect(T, e->b, ty_predef(T, TYB_UNIT), WHY_IF_NO_ELSE);
      e->ty = e->b->ty;
      unify_exp(T, e, e->ty, expected, why);
    } else {
      ty_expr_expect(T, e->b, expected, why);
      ty_expr_expect(T, e->c, expected, why);
      e->ty = expected;
    }
    return;
  case EXP_SEQ:
    type_statement(T, e->a);
    ty_expr_expect(T, e->b, expected, why);
    e->ty = e->b->ty;
    return;
  case EXP_WHILE:
  case EXP_FOR: type_loop(T, e, expected, why); return;
  case EXP_RECORD: type_record(T, e, expected, why); return;
  case EXP_FIELD: {
    Type *fty;
    type_field_access(T, e, &fty);
    e->ty = fty;
    unify_exp(T, e, fty, expected, why);
    return;
  }
  case EXP_SETFIELD: {
    Type *fty;
    FieldDesc *f = type_field_access(T, e, &fty);
    if (!f->mutable_) ty_error_textf(T, e->loc, "The record field %s is not mutable", f->name);
    if (f->decl->private_) ty_error_private(T, e->path.loc, ty_path_string(T, &e->path), e->a->ty);
    ty_expr_expect(T, e->b, fty, WHY_NONE);
    e->ty = ty_predef(T, TYB_UNIT);
    unify_exp(T, e, e->ty, expected, why);
    return;
  }
  case EXP_ARRAY: {
    Type *elt = ty_new_var(T);
    e->ty = ty_predef1(T, TYB_ARRAY, elt);
    unify_exp(T, e, e->ty, expected, why);
    for (int i = 0; i < e->nargs; i++) ty_expr_expect(T, e->args[i], elt, WHY_NONE);
    return;
  }
  case EXP_CONSTRAINT: {
    /* As OCaml's: the annotation's structure made generic, the
     * expression checked against one instance of it and typed as
     * another, around the same variables (see PAT_CONSTRAINT). */
    Type *t = ty_typexpr(T, e->tyexpr, T->annot);
    ty_generalize_structure(T, t);
    ty_expr_expect(T, e->a, ty_instance(T, t), WHY_NONE);
    e->ty = ty_instance(T, t);
    unify_exp(T, e, e->ty, expected, why);
    return;
  }
  case EXP_UNREACHABLE: e->ty = expected; return;
  case EXP_ASSERT: {
    ty_expr_expect(T, e->a, ty_predef(T, TYB_BOOL), WHY_ASSERT);
    bool is_false = e->a->kind == EXP_CONSTRUCT && strcmp(e->a->path.name, "false") == 0;
    e->ty = is_false ? ty_new_var(T) : ty_predef(T, TYB_UNIT);
    unify_exp(T, e, e->ty, expected, why);
    return;
  }
  case EXP_LETOPEN: {
    int mark = env_mark(T->env);
    e->mod = ty_lookup_module(T, &e->path, true);
    ty_open(T, &e->path);
    ty_expr_expect(T, e->a, expected, why);
    env_rollback(T->env, mark);
    e->ty = e->a->ty;
    return;
  }
  case EXP_LETMODULE: {
    int mark = env_mark(T->env);
    PtrVec *saved = T->bound;
    T->bound = NULL; /* the module's values are local to e */
    e->mod = ty_module_expr(T, e->mexpr, e->var);
    T->bound = saved;
    env_add(T->env, NS_MODULE, e->var, e->mod);
    ty_expr_expect(T, e->a, expected, why);
    env_rollback(T->env, mark);
    ty_module_out_of_scope(T, e->mod);
    e->ty = e->a->ty;
    return;
  }
  case EXP_LETEXN: {
    int mark = env_mark(T->env);
    e->cdesc = ty_exception_decl(T, e->exn);
    ty_expr_expect(T, e->a, expected, why);
    env_rollback(T->env, mark);
    e->ty = e->a->ty;
    return;
  }
  case EXP_NEWTYPE: type_newtype(T, e, expected, why); return;
  case EXP_VARIANT: ty_variant_expr(T, e, expected, why); return;
  case EXP_COERCE: ty_coerce(T, e, expected, why); return;
  }
  NML_UNREACHABLE();
}
