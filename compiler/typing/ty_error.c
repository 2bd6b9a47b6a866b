/* ty_error.c — the type checker's error messages in OCaml 4.13's words and
 * Format layout (typecore.ml, typetexp.ml, printtyp.ml report_error):
 * every message is laid out by Fmt as if printed after "Error: " (column
 * 7), so that its line breaks and indentation match OCaml's, and then
 * handed to diag.c. All functions unwind to the phrase boundary. */
#include <stdarg.h>
#include <string.h>

#include "typecheck.h"

const char *ty_error_layout(Typer *T, TyMsgFn fn, void *arg) {
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_open_box(f, FMT_V, 0);
  fmt_string(f, "Error: ");
  fmt_open_box(f, FMT_B, 0);
  fn(f, arg);
  fmt_close_box(f);
  fmt_close_box(f);
  fmt_flush(f);
  fmt_free(f);
  const char *s = arena_strdup(T->arena, b.data && b.len >= 7 ? b.data + 7 : "");
  buf_free(&b);
  return s;
}

__attribute__((noreturn)) static void fail(Typer *T, Loc loc, const char *text, const char *hint) {
  Diag *d = ctx_add_diag(T->ctx, DIAG_ERROR, loc, text);
  d->hint = hint;
  ctx_bail(T->ctx);
}

void ty_error_text(Typer *T, Loc loc, const char *text) { fail(T, loc, text, NULL); }

void ty_error_textf(Typer *T, Loc loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Buf b;
  buf_init(&b);
  buf_vprintf(&b, fmt, ap);
  va_end(ap);
  const char *s = arena_strdup(T->arena, b.data);
  buf_free(&b);
  fail(T, loc, s, NULL);
}

/* ---- Unification errors (Printtyp.report_unification_error) ---------------- */

typedef struct UnifyMsg {
  Typer *T;
  const char *txt1, *txt2;
  ExpectWhy why;
  const char *intro; /* a line before the types, or NULL */
  TyUnifyPre pre;    /* prints in place of txt1 when set */
  void *pre_arg;
} UnifyMsg;

static const char *why_text(ExpectWhy w) {
  switch (w) {
  case WHY_NONE: return NULL;
  case WHY_IF_COND: return "the condition of an if-statement";
  case WHY_IF_NO_ELSE: return "the result of a conditional with no else branch";
  case WHY_WHILE_COND: return "the condition of a while-loop";
  case WHY_WHILE_BODY: return "the body of a while-loop";
  case WHY_FOR_START: return "a for-loop start index";
  case WHY_FOR_STOP: return "a for-loop stop index";
  case WHY_FOR_BODY: return "the body of a for-loop";
  case WHY_ASSERT: return "the condition of an assertion";
  case WHY_SEQ_LEFT: return "the left-hand side of a sequence";
  case WHY_GUARD: return "a when-guard";
  }
  return NULL;
}

/* `t` or, when t was expanded, `t = expansion`. */
static void pr_expansion(Fmt *f, TyNames *nm, Type *t, Type *e, bool show) {
  t = ty_repr(t);
  e = e ? ty_repr(e) : t;
  bool differs = show && e != t &&
                 !(t->kind == TY_CONSTR && e->kind == TY_CONSTR && strcmp(t->path, e->path) == 0) &&
                 !(t->kind == TY_CONSTR && e->kind == TY_VARIANT && ty_same_decl(e->row->name, t->decl));
  if (!differs) {
    ty_fmt_type(f, nm, t);
    return;
  }
  fmt_open_box(f, FMT_B, 2);
  ty_fmt_type(f, nm, t);
  fmt_space(f);
  fmt_string(f, "=");
  fmt_space(f);
  ty_fmt_type(f, nm, e);
  fmt_close_box(f);
}

/* An expansion is marked only when it differs (Printtyp's
 * prepare_expansion): a row marked twice would print aliased. */
static void mark_pair(TyNames *nm, TracePair *p, bool show) {
  ty_names_mark(nm, p->a);
  if (show && ty_repr(p->a_exp) != ty_repr(p->a)) ty_names_mark(nm, p->a_exp);
  ty_names_mark(nm, p->b);
  if (show && ty_repr(p->b_exp) != ty_repr(p->b)) ty_names_mark(nm, p->b_exp);
}

static bool expanded(TracePair *p) {
  Type *a = ty_repr(p->a), *ae = ty_repr(p->a_exp), *b = ty_repr(p->b), *be = ty_repr(p->b_exp);
  return a != ae || b != be;
}

static bool has_var(TracePair *p) {
  return ty_repr(p->a_exp)->kind == TY_VAR || ty_repr(p->b_exp)->kind == TY_VAR;
}

static bool is_unit(Typer *T, Type *t) { return ty_is_constr(ty_expand_head(T, t), TYB_UNIT); }

/* OCaml's explanation of a mismatch: from the innermost pair out, a
 * function of unit found where its result was expected, or the other way
 * round. */
static const char *unit_fun_hint(Typer *T) {
  UnifyErr *u = &T->uerr;
  for (int i = u->npairs - 1; i >= 0; i--) {
    Type *got = ty_repr(u->pairs[i].a_exp), *exp = ty_repr(u->pairs[i].b_exp);
    if (got->kind == TY_ARROW && is_unit(T, got->a) && ty_unifiable(T, got->b, exp))
      return "Hint: Did you forget to provide `()' as argument?";
    if (exp->kind == TY_ARROW && is_unit(T, exp->a) && ty_unifiable(T, got, exp->b))
      return "Hint: Did you forget to wrap the expression using `fun () ->'?";
  }
  return NULL;
}

/* OCaml's explanation of a row mismatch (Printtyp.explain_variant). */
void ty_explain_row(Fmt *f, UnifyErr *u) {
  if (u->row_err == ROWERR_NO_INTERSECTION) {
    fmt_cut(f);
    fmt_string(f, "These two variant types have no intersection");
  } else if (u->row_err == ROWERR_NO_TAGS) {
    fmt_cut(f);
    fmt_open_box(f, FMT_HOV, 0);
    fmt_string(f, u->row_second ? "The second" : "The first");
    fmt_string(f, " variant type does not allow tag(s)");
    fmt_space(f);
    fmt_open_box(f, FMT_HOV, 0);
    for (int i = 0; i < u->nrow_tags; i++) {
      if (i) {
        fmt_string(f, ",");
        fmt_space(f);
      }
      fmt_string(f, "`");
      fmt_string(f, u->row_tags[i]);
    }
    fmt_close_box(f);
    fmt_close_box(f);
  } else if (u->row_err == ROWERR_FIXED_TAGS || u->row_err == ROWERR_FIXED_CLOSE) {
    fmt_cut(f);
    fmt_open_box(f, FMT_HOV, 0);
    fmt_string(f, u->row_second ? "The second" : "The first");
    fmt_string(f, " variant type is private,");
    fmt_space(f);
    if (u->row_err == ROWERR_FIXED_CLOSE) {
      fmt_string(f, "it cannot be closed");
    } else {
      fmt_string(f, "it may not allow the tag(s) ");
      fmt_open_box(f, FMT_HOV, 0);
      for (int i = 0; i < u->nrow_tags; i++) {
        if (i) {
          fmt_string(f, ",");
          fmt_space(f);
        }
        fmt_string(f, "`");
        fmt_string(f, u->row_tags[i]);
      }
      fmt_close_box(f);
    }
    fmt_close_box(f);
  } else if (u->row_err == ROWERR_INCOMPATIBLE) {
    fmt_cut(f);
    fmt_string(f, "Types for tag `");
    fmt_string(f, u->row_tags[0]);
    fmt_string(f, " are incompatible");
  }
}

static void unify_msg(Fmt *f, void *arg) {
  UnifyMsg *m = arg;
  Typer *T = m->T;
  UnifyErr *u = &T->uerr;
  if (u->row_err == ROWERR_HASH) {
    fmt_open_box(f, FMT_B, 0);
    fmt_string(f, "Variant tags `");
    fmt_string(f, u->row_tags[0]);
    fmt_space(f);
    fmt_string(f, "and `");
    fmt_string(f, u->row_tags[1]);
    fmt_string(f, " have the same hash value.");
    fmt_space(f);
    fmt_string(f, "Change one of them.");
    fmt_close_box(f);
    return;
  }
  bool occurs = u->occ_var != NULL;
  const char *hint = occurs ? NULL : unit_fun_hint(T);
  /* OCaml's filter_trace: after the top pair, keep the expanded pairs and
   * the innermost one (unless it involves a variable or an explanation
   * follows). */
  int *keep = ARENA_ARRAY(T->arena, int, u->npairs), nkeep = 0;
  for (int i = 1; i < u->npairs; i++) {
    TracePair *p = &u->pairs[i];
    bool last = i == u->npairs - 1;
    if (last && has_var(p)) continue;
    if (expanded(p) || (last && !occurs && !hint && !u->row_err)) keep[nkeep++] = i;
  }
  TyNames nm;
  ty_names_init(&nm, T, false);
  TracePair *top = &u->pairs[0];
  /* Every type of the message is marked before any prints (Printtyp's
   * prepare_expansion, and the occurs check's type before them), so that
   * their variables' names and cycles are known to all of them. */
  if (occurs) ty_names_mark(&nm, u->occ_in);
  mark_pair(&nm, top, nkeep == 0);
  for (int k = 0; k < nkeep; k++) mark_pair(&nm, &u->pairs[keep[k]], true);
  fmt_open_box(f, FMT_V, 0);
  if (m->intro) {
    fmt_string(f, m->intro);
    fmt_space(f);
  }
  fmt_open_box(f, FMT_B, 0);
  if (m->pre) m->pre(f, &nm, m->pre_arg);
  else fmt_string(f, m->txt1);
  fmt_break(f, 1, 2);
  pr_expansion(f, &nm, top->a, top->a_exp, nkeep == 0);
  fmt_space(f);
  fmt_string(f, m->txt2);
  fmt_break(f, 1, 2);
  pr_expansion(f, &nm, top->b, top->b_exp, nkeep == 0);
  fmt_close_box(f);
  const char *why = why_text(m->why);
  if (why) {
    fmt_space(f);
    fmt_string(f, "because it is in ");
    fmt_string(f, why);
  }
  for (int k = 0; k < nkeep; k++) {
    TracePair *p = &u->pairs[keep[k]];
    fmt_cut(f);
    fmt_open_box(f, FMT_B, 0);
    fmt_string(f, "Type");
    fmt_break(f, 1, 2);
    pr_expansion(f, &nm, p->a, p->a_exp, true);
    fmt_space(f);
    fmt_string(f, "is not compatible with type");
    fmt_break(f, 1, 2);
    pr_expansion(f, &nm, p->b, p->b_exp, true);
    fmt_close_box(f);
    fmt_string(f, " ");
  }
  if (occurs) {
    /* OCaml names the variable and the type afresh here. */
    TyNames n1, n2;
    ty_names_init(&n1, T, false);
    ty_names_init(&n2, T, false);
    fmt_cut(f);
    fmt_open_box(f, FMT_HOV, 0);
    fmt_string(f, "The type variable ");
    ty_fmt_type(f, &n1, u->occ_var);
    fmt_string(f, " occurs inside");
    fmt_space(f);
    ty_fmt_type(f, &n2, u->occ_in);
    fmt_close_box(f);
    ty_names_done(&n1);
    ty_names_done(&n2);
  }
  if (u->escaped) {
    fmt_cut(f);
    fmt_open_box(f, FMT_B, 0);
    fmt_string(f, "The type constructor");
    fmt_break(f, 1, 2);
    fmt_string(f, u->escaped->path);
    fmt_space(f);
    fmt_string(f, "would escape its scope");
    fmt_close_box(f);
  } else if (u->ambiguous) {
    /* The instance as its equation gives it. */
    Type *t = ty_repr(u->ambiguous);
    if (t->kind == TY_CONSTR && t->decl->eq) t = ty_repr(t->decl->eq);
    TyNames n1;
    ty_names_init(&n1, T, false);
    fmt_string(f, " ");
    fmt_cut(f);
    fmt_open_box(f, FMT_HOV, 0);
    fmt_string(f, "This instance of ");
    ty_fmt_type(f, &n1, t);
    fmt_string(f, " is ambiguous:");
    fmt_space(f);
    fmt_string(f, "it would escape the scope of its equation");
    fmt_close_box(f);
    ty_names_done(&n1);
  }
  ty_explain_row(f, u);
  if (hint) {
    fmt_cut(f);
    fmt_string(f, hint);
  }
  fmt_close_box(f);
  ty_names_done(&nm);
}

void ty_error_unify(Typer *T, Loc loc, const char *txt1, const char *txt2, ExpectWhy why) {
  UnifyMsg m = {T, txt1, txt2, why, NULL, NULL, NULL};
  fail(T, loc, ty_error_layout(T, unify_msg, &m), NULL);
}

typedef struct PrivateMsg {
  Typer *T;
  const char *label;
  Type *ty;
} PrivateMsg;

static void private_msg(Fmt *f, void *arg) {
  PrivateMsg *m = arg;
  TyNames nm;
  ty_names_init(&nm, m->T, false);
  if (m->label) fmt_printf(f, "Cannot assign field %s of the private type ", m->label);
  else fmt_string(f, "Cannot create values of the private type ");
  ty_fmt_type(f, &nm, m->ty);
  ty_names_done(&nm);
}

void ty_error_private(Typer *T, Loc loc, const char *label, Type *ty) {
  PrivateMsg m = {T, label, ty};
  fail(T, loc, ty_error_layout(T, private_msg, &m), NULL);
}

typedef struct ExistMsg {
  Typer *T;
  const char **names;
  int n;
  Type *args;
} ExistMsg;

static void unbound_existentials_msg(Fmt *f, void *arg) {
  ExistMsg *m = arg;
  TyNames nm;
  ty_names_init(&nm, m->T, false);
  fmt_open_box(f, FMT_HOV, 2);
  fmt_string(f, "This type does not bind all existentials in the constructor:");
  fmt_space(f);
  fmt_open_box(f, FMT_B, 0);
  fmt_string(f, "type");
  for (int i = 0; i < m->n; i++) {
    fmt_string(f, " ");
    fmt_string(f, m->names[i]);
  }
  fmt_string(f, ".");
  fmt_space(f);
  ty_fmt_type(f, &nm, m->args);
  fmt_close_box(f);
  fmt_close_box(f);
  ty_names_done(&nm);
}

void ty_error_unbound_existentials(Typer *T, Loc loc, const char **names, int n, Type *args) {
  ExistMsg m = {T, names, n, args};
  fail(T, loc, ty_error_layout(T, unbound_existentials_msg, &m), NULL);
}

/* Typedecl's Constraint_failed: ty should have been an instance of
 * expected (a GADT constructor's result, a constraint). */
void ty_error_constraint_instance(Typer *T, Loc loc, Type *ty, Type *expected) {
  T->uerr = (UnifyErr){0};
  T->uerr.pairs = ARENA_ARRAY(T->arena, TracePair, 1);
  T->uerr.pairs[0] = (TracePair){ty, ty, expected, expected};
  T->uerr.npairs = T->uerr.cap = 1;
  UnifyMsg m = {
      T,    "Type", "should be an instance of", WHY_NONE, "Constraints are not satisfied in this type.",
      NULL, NULL};
  fail(T, loc, ty_error_layout(T, unify_msg, &m), NULL);
}

void ty_error_unify_head(Typer *T, Loc loc, const char *head, const char *txt1, const char *txt2) {
  UnifyMsg m = {T, txt1, txt2, WHY_NONE, head, NULL, NULL};
  fail(T, loc, ty_error_layout(T, unify_msg, &m), NULL);
}

void ty_error_unify_pre(Typer *T, Loc loc, TyUnifyPre pre, void *arg, const char *txt2) {
  UnifyMsg m = {T, NULL, txt2, WHY_NONE, NULL, pre, arg};
  fail(T, loc, ty_error_layout(T, unify_msg, &m), NULL);
}

void ty_error_expr_mismatch(Typer *T, Loc loc, ExpectWhy why, bool float_hint, const Expr *e) {
  UnifyMsg m = {T,   "This expression has type", "but an expression was expected of type", why, NULL, NULL,
                NULL};
  const char *text = ty_error_layout(T, unify_msg, &m);
  const char *hint = NULL;
  /* An integer literal where a float was expected: OCaml suggests `1.'. */
  if (float_hint && e && e->kind == EXP_CONST && e->cst.kind == CONST_INT) {
    UnifyErr *u = &T->uerr;
    Type *exp = ty_repr(u->pairs[u->npairs - 1].b_exp);
    if (ty_is_constr(exp, TYB_FLOAT))
      hint = arena_printf(T->arena, "Hint: Did you mean `%lld.'?", (long long)e->cst.i);
    else if (ty_is_constr(exp, TYB_INT32) || ty_is_constr(exp, TYB_INT64) || ty_is_constr(exp, TYB_NATIVEINT))
      hint = arena_printf(T->arena, "Hint: Did you mean `%lld%c'?", (long long)e->cst.i,
                          ty_is_constr(exp, TYB_INT32)   ? 'l'
                          : ty_is_constr(exp, TYB_INT64) ? 'L'
                                                         : 'n');
  }
  fail(T, loc, text, hint);
}

void ty_error_pattern_mismatch(Typer *T, Loc loc) {
  ty_error_unify(T, loc, "This pattern matches values of type",
                 "but a pattern was expected which matches values of type", WHY_NONE);
}

/* ---- Other messages --------------------------------------------------------- */

void ty_error_unbound(Typer *T, Loc loc, const char *what, EnvNs ns, const Path *p) {
  const char *full = ty_path_string(T, p);
  const Env *scope = T->env;
  if (p->nmods > 0) {
    ModuleDesc *md = env_find_module_path(T->env, p->mods, p->nmods, NULL);
    scope = md ? md->env : NULL;
  }
  const char *sugg = scope ? env_spellcheck(T->arena, scope, ns, p->name) : NULL;
  const char *text = sugg ? arena_printf(T->arena, "Unbound %s %s\nHint: Did you mean %s?", what, full, sugg)
                          : arena_printf(T->arena, "Unbound %s %s", what, full);
  if (ns == NS_VALUE && p->nmods == 0)
    for (struct GhostRec *g = T->ghost_rec; g; g = g->up)
      for (int i = 0; i < g->n; i++)
        if (strcmp(g->vars[i]->name, p->name) == 0) {
          text = arena_printf(
              T->arena,
              "%s\nHint: If this is a recursive definition,\nyou should add the 'rec' keyword on line %d",
              text, g->line);
          fail(T, loc, text, NULL);
        }
  fail(T, loc, text, NULL);
}

typedef struct TypeMsg {
  Typer *T;
  Type *ty;
  const char *s1, *s2;
  int n1, n2;
} TypeMsg;

static void not_function_msg(Fmt *f, void *arg) {
  TypeMsg *m = arg;
  TyNames nm;
  ty_names_init(&nm, m->T, false);
  bool arrow = ty_repr(m->ty)->kind == TY_ARROW;
  fmt_open_box(f, FMT_V, 0);
  fmt_open_box(f, FMT_B, 2);
  fmt_string(f, arrow ? "This function has type" : "This expression has type");
  fmt_space(f);
  ty_fmt_type(f, &nm, m->ty);
  fmt_close_box(f);
  fmt_space(f);
  if (arrow) {
    fmt_open_box(f, FMT_B, 0);
    fmt_string(f, "It is applied to too many arguments;");
    fmt_space(f);
    fmt_string(f, "maybe you forgot a `;'.");
    fmt_close_box(f);
  } else {
    fmt_string(f, "This is not a function; it cannot be applied.");
  }
  fmt_close_box(f);
  ty_names_done(&nm);
}

void ty_error_not_function(Typer *T, Loc loc, Type *fty) {
  TypeMsg m = {T, ty_expand_head(T, fty), NULL, NULL, 0, 0};
  fail(T, loc, ty_error_layout(T, not_function_msg, &m), NULL);
}

static void arity_msg(Fmt *f, void *arg) {
  TypeMsg *m = arg;
  fmt_open_box(f, FMT_B, 0);
  fmt_printf(f, "The %s %s", m->s2, m->s1);
  fmt_space(f);
  fmt_printf(f, "expects %d argument(s),", m->n1);
  fmt_space(f);
  fmt_printf(f, "but is %s to %d argument(s)", m->s2[0] == 'c' ? "applied here" : "here applied", m->n2);
  fmt_close_box(f);
}

void ty_error_constr_arity(Typer *T, Loc loc, const char *name, int expected, int got) {
  TypeMsg m = {T, NULL, name, "constructor", expected, got};
  fail(T, loc, ty_error_layout(T, arity_msg, &m), NULL);
}

void ty_error_type_arity(Typer *T, Loc loc, const char *name, int expected, int got) {
  TypeMsg m = {T, NULL, name, "type constructor", expected, got};
  fail(T, loc, ty_error_layout(T, arity_msg, &m), NULL);
}

static void wrong_name_msg(Fmt *f, void *arg) {
  TypeMsg *m = arg;
  TyNames nm;
  ty_names_init(&nm, m->T, false);
  Type *t = ty_repr(m->ty);
  fmt_open_box(f, FMT_B, 0);
  fmt_open_box(f, FMT_B, 2);
  fmt_string(f, m->s1);
  fmt_string(f, " type");
  fmt_space(f);
  ty_fmt_type(f, &nm, t);
  fmt_close_box(f);
  fmt_space(f);
  Type *e = ty_expand_head(m->T, t);
  const char *tpath = e->kind == TY_CONSTR ? e->path : "?";
  fmt_printf(f, "There is no %s %s within type %s", m->n1 ? "field" : "constructor", m->s2, tpath);
  fmt_close_box(f);
  ty_names_done(&nm);
}

static const char *valid_names_hint(Typer *T, TypeDecl *d, bool fields, const char *name) {
  if (!d) return NULL;
  Env *tmp = env_new();
  if (fields)
    for (int i = 0; i < d->nfields; i++) env_add(tmp, NS_FIELD, d->fields[i]->name, d->fields[i]);
  else
    for (int i = 0; i < d->nconstrs; i++) env_add(tmp, NS_CONSTR, d->constrs[i]->name, d->constrs[i]);
  const char *s = env_spellcheck(T->arena, tmp, fields ? NS_FIELD : NS_CONSTR, name);
  env_free(tmp);
  return s;
}

void ty_error_no_constr(Typer *T, Loc loc, bool pattern, Type *expected, const char *name) {
  TypeMsg m = {T,
               expected,
               pattern ? "This variant pattern is expected to have"
                       : "This variant expression is expected to have",
               name,
               0,
               0};
  const char *text = ty_error_layout(T, wrong_name_msg, &m);
  Type *e = ty_expand_head(T, expected);
  const char *s = valid_names_hint(T, e->kind == TY_CONSTR ? e->decl : NULL, false, name);
  if (s) text = arena_printf(T->arena, "%s\nHint: Did you mean %s?", text, s);
  fail(T, loc, text, NULL);
}

void ty_error_no_field(Typer *T, Loc loc, Type *ty, const char *name, TypeDecl *d) {
  /* The caller passes a prefix through d == NULL for patterns. */
  TypeMsg m = {T, ty, d ? "This expression has" : "This record pattern is expected to have", name, 1, 0};
  const char *text = ty_error_layout(T, wrong_name_msg, &m);
  Type *e = ty_expand_head(T, ty);
  const char *s = valid_names_hint(T, e->kind == TY_CONSTR ? e->decl : NULL, true, name);
  if (s) text = arena_printf(T->arena, "%s\nHint: Did you mean %s?", text, s);
  fail(T, loc, text, NULL);
}

static void not_expected_function_msg(Fmt *f, void *arg) {
  TypeMsg *m = arg;
  TyNames nm;
  ty_names_init(&nm, m->T, false);
  fmt_open_box(f, FMT_B, 0);
  fmt_string(f, "This expression should not be a function, the expected type is");
  fmt_space(f);
  ty_fmt_type(f, &nm, m->ty);
  fmt_close_box(f);
  ty_names_done(&nm);
}

void ty_error_not_a_function_expected(Typer *T, Loc loc, Type *expected) {
  TypeMsg m = {T, expected, NULL, NULL, 0, 0};
  fail(T, loc, ty_error_layout(T, not_expected_function_msg, &m), NULL);
}

/* ---- Labels ---------------------------------------------------------------- */

/* "~l", "?l" (OCaml's prefixed_label_name). */
static const char *prefixed_label(Typer *T, ArgLabel l) {
  return arena_printf(T->arena, "%s%s", l.kind == LBL_OPTIONAL ? "?" : "~", l.name);
}

typedef struct LabelMsg {
  Typer *T;
  Type *ty;
  ArgLabel label;
} LabelMsg;

static void wrong_label_msg(Fmt *f, void *arg) {
  LabelMsg *m = arg;
  TyNames nm;
  ty_names_init(&nm, m->T, false);
  fmt_open_box(f, FMT_V, 0);
  fmt_open_box(f, FMT_B, 2);
  fmt_string(f, "The function applied to this argument has type");
  fmt_space(f);
  ty_fmt_type(f, &nm, m->ty);
  /* OCaml's "@." here closes both boxes. */
  fmt_flush_newline(f);
  fmt_string(f, "This argument cannot be applied ");
  if (m->label.kind == LBL_NONE) fmt_string(f, "without label");
  else fmt_printf(f, "with label %s", prefixed_label(m->T, m->label));
  ty_names_done(&nm);
}

void ty_error_apply_wrong_label(Typer *T, Loc loc, ArgLabel given, Type *fty) {
  LabelMsg m = {T, fty, given};
  fail(T, loc, ty_error_layout(T, wrong_label_msg, &m), NULL);
}

static void abstract_wrong_label_msg(Fmt *f, void *arg) {
  LabelMsg *m = arg;
  TyNames nm;
  ty_names_init(&nm, m->T, false);
  fmt_open_box(f, FMT_V, 0);
  fmt_open_box(f, FMT_B, 2);
  fmt_string(f, "This function should have type");
  fmt_space(f);
  ty_fmt_type(f, &nm, m->ty);
  fmt_close_box(f);
  fmt_cut(f);
  if (m->label.kind == LBL_NONE) fmt_string(f, "but its first argument is not labelled");
  else fmt_printf(f, "but its first argument is labelled %s", prefixed_label(m->T, m->label));
  fmt_close_box(f);
  ty_names_done(&nm);
}

void ty_error_abstract_wrong_label(Typer *T, Loc loc, ArgLabel param, Type *expected) {
  LabelMsg m = {T, expected, param};
  fail(T, loc, ty_error_layout(T, abstract_wrong_label_msg, &m), NULL);
}

static void incoherent_order_msg(Fmt *f, void *arg) {
  (void)arg;
  fmt_open_box(f, FMT_B, 0);
  fmt_string(f, "This function is applied to arguments");
  fmt_space(f);
  fmt_string(f, "in an order different from other calls.");
  fmt_space(f);
  fmt_string(f, "This is only allowed when the real type is known.");
  fmt_close_box(f);
}

void ty_error_incoherent_label_order(Typer *T, Loc loc) {
  fail(T, loc, ty_error_layout(T, incoherent_order_msg, NULL), NULL);
}
