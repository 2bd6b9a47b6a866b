/* parse_expr.c — expressions: precedence climbing over OCaml 4.13's
 * operator table, the prefix constructs (let, match, fun, if, ...),
 * application and the simple expressions with their postfix `.` forms.
 * Sugar is removed here as ast.h describes (lists, a.(i), !r, -e, ops).
 */
#include "parse.h"

#include <string.h>

static Expr *parse_simple_expr(Parser *p, bool *is_constr);
static Expr *parse_expr_operand(Parser *p);
static bool starts_argument(TokKind k);
static Expr *parse_labeled_arg(Parser *p, ArgLabel *l);
static Expr *unpack_pattern(Parser *p, Pattern **pat, Expr *body);

static Expr *new_expr(Parser *p, ExprKind k, Loc loc) {
  Expr *e = ARENA_NEW(p->a, Expr);
  e->kind = k;
  e->loc = loc;
  return e;
}

static Expr *mk_ident(Parser *p, const char *name, Loc loc) {
  Expr *e = new_expr(p, EXP_IDENT, loc);
  e->path.name = name;
  e->path.loc = loc;
  return e;
}

static Expr *mk_qual_ident(Parser *p, const char *mod, const char *name, Loc loc) {
  Expr *e = mk_ident(p, name, loc);
  e->path.mods = ARENA_ARRAY(p->a, const char *, 1);
  e->path.mods[0] = mod;
  e->path.nmods = 1;
  return e;
}

static Expr *mk_apply(Parser *p, Expr *fn, Expr **args, int n, Loc loc) {
  Expr *e = new_expr(p, EXP_APPLY, loc);
  e->a = fn;
  e->args = args;
  e->nargs = n;
  return e;
}

static Expr *mk_apply2(Parser *p, Expr *fn, Expr *x, Expr *y, Loc loc) {
  Expr **args = ARENA_ARRAY(p->a, Expr *, 2);
  args[0] = x;
  args[1] = y;
  return mk_apply(p, fn, args, 2, loc);
}

static Expr *mk_construct(Parser *p, const char *name, Expr *arg, Loc loc) {
  Expr *e = new_expr(p, EXP_CONSTRUCT, loc);
  e->path.name = name;
  e->path.loc = loc;
  e->a = arg;
  return e;
}

/* `a :: b` is the constructor "::" applied to the pair (a, b). */
static Expr *mk_cons(Parser *p, Expr *hd, Expr *tl, Loc loc) {
  Expr *pair = new_expr(p, EXP_TUPLE, loc);
  pair->args = ARENA_ARRAY(p->a, Expr *, 2);
  pair->args[0] = hd;
  pair->args[1] = tl;
  pair->nargs = 2;
  return mk_construct(p, "::", pair, loc);
}

bool p_starts_simple_expr(TokKind k) {
  switch (k) {
  case TOK_INT:
  case TOK_FLOAT:
  case TOK_CHAR:
  case TOK_STRING:
  case TOK_LIDENT:
  case TOK_UIDENT:
  case TOK_LPAREN:
  case TOK_LBRACKET:
  case TOK_LBRACKETBAR:
  case TOK_LBRACE:
  case TOK_BEGIN:
  case TOK_PREFIXOP:
  case TOK_BANG:
  case TOK_TRUE:
  case TOK_BACKQUOTE:
  case TOK_FALSE: return true;
  default: return false;
  }
}

bool p_starts_expr(TokKind k) {
  switch (k) {
  case TOK_MINUS:
  case TOK_MINUSDOT:
  case TOK_PLUS:
  case TOK_PLUSDOT:
  case TOK_LET:
  case TOK_MATCH:
  case TOK_FUN:
  case TOK_FUNCTION:
  case TOK_TRY:
  case TOK_IF:
  case TOK_WHILE:
  case TOK_FOR:
  case TOK_ASSERT:
  case TOK_LAZY:
  case TOK_UNDERSCORE: /* only to report "wildcard "_" not expected." */ return true;
  default: return p_starts_simple_expr(k);
  }
}

/* ---- Constants ---------------------------------------------------------------- */

/* Records the phrase's first literal error (Parser.lit_error), reported
 * once the phrase has parsed, where OCaml's typer reports it. */
static void literal_error(Parser *p, Loc loc, const char *msg) {
  if (p->lit_error) return;
  p->lit_error = msg;
  p->lit_error_loc = loc;
}

/* constant, or signed_constant's MINUS INT | MINUS FLOAT with negate set
 * (patterns; the sign was consumed): the current token, consumed.
 * Expressions fold their sign in parse_expr instead. */
Const p_constant(Parser *p, bool negate) {
  Const c = {0};
  const Token *t = &p->tok;
  if (t->modifier) {
    char m = t->modifier;
    Loc l = negate ? loc_join(p->last, t->loc) : t->loc; /* the token includes m */
    if (t->kind == TOK_INT && (m == 'l' || m == 'L' || m == 'n'))
      literal_error(p, l, "Int32, Int64 and nativeint literals are not supported yet");
    else
      literal_error(p, l,
                    arena_printf(p->a, "Unknown modifier '%c' for literal %s%.*s", m, negate ? "-" : "",
                                 t->len, t->text));
  }
  switch (t->kind) {
  case TOK_INT:
    c.kind = CONST_INT;
    c.i = t->ival;
    if (negate) c.i = (int64_t)((uint64_t)(-(uint64_t)t->ival) << 1) >> 1;
    if (t->overflow)
      literal_error(p, negate ? loc_join(p->last, t->loc) : t->loc,
                    "Integer literal exceeds the range of representable integers of type int");
    break;
  case TOK_FLOAT:
    c.kind = CONST_FLOAT;
    c.f = negate ? -t->fval : t->fval;
    c.s = negate ? arena_printf(p->a, "-%.*s", t->len, t->text) : p_tok_str(p, t);
    break;
  case TOK_CHAR:
    c.kind = CONST_CHAR;
    c.i = t->ival;
    break;
  case TOK_STRING:
    c.kind = CONST_STRING;
    c.s = t->str;
    c.slen = t->slen;
    break;
  default: p_error(p);
  }
  p_next(p);
  return c;
}

/* ---- Binary operators ---------------------------------------------------------- */

/* Precedence of the current token as a binary operator, 0 if it is none;
 * *right tells right associativity. */
static int binop_prec(const Token *t, bool *right) {
  *right = false;
  switch (t->kind) {
  case TOK_LESSMINUS: *right = true; return PREC_LESSMINUS;
  case TOK_COLONEQUAL: *right = true; return PREC_COLONEQUAL;
  case TOK_COMMA: return PREC_COMMA;
  case TOK_OR:
  case TOK_BARBAR: *right = true; return PREC_OR;
  case TOK_AMPERSAND:
  case TOK_AMPERAMPER: *right = true; return PREC_AND;
  case TOK_INFIXOP0:
  case TOK_EQUAL:
  case TOK_LESS:
  case TOK_GREATER: return PREC_CMP;
  case TOK_INFIXOP1: *right = true; return PREC_CONCAT;
  case TOK_COLONCOLON: *right = true; return PREC_CONS;
  case TOK_INFIXOP2:
  case TOK_PLUS:
  case TOK_PLUSDOT:
  case TOK_MINUS:
  case TOK_MINUSDOT:
  case TOK_PLUSEQ: return PREC_ADD;
  case TOK_PERCENT:
  case TOK_INFIXOP3:
  case TOK_STAR:
  case TOK_MOD:
  case TOK_LAND:
  case TOK_LOR:
  case TOK_LXOR: return PREC_MUL;
  case TOK_INFIXOP4:
  case TOK_LSL:
  case TOK_LSR:
  case TOK_ASR: *right = true; return PREC_POW;
  case TOK_HASHOP: return PREC_HASH;
  default: return 0;
  }
}

static bool is_qual(const Expr *e, const char *mod, const char *name) {
  return e->kind == EXP_IDENT && e->path.nmods == 1 && strcmp(e->path.mods[0], mod) == 0 &&
         strcmp(e->path.name, name) == 0;
}

static bool isalpha_or_us(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }

/* The left sides `<-` accepts: e.f, e.(i), e.[i]. */
static bool assignable(const Expr *lhs) {
  return lhs->kind == EXP_FIELD || (lhs->kind == EXP_APPLY && lhs->nargs == 2 &&
                                    (is_qual(lhs->a, "Array", "get") || is_qual(lhs->a, "String", "get")));
}

/* expr LESSMINUS expr, where the left side is e.f, e.(i) or e.[i]. */
static Expr *mk_assign(Parser *p, Expr *lhs, Loc op_loc, Expr *rhs) {
  Loc loc = loc_join(lhs->loc, rhs->loc);
  if (lhs->kind == EXP_FIELD) {
    Expr *e = new_expr(p, EXP_SETFIELD, loc);
    e->a = lhs->a;
    e->path = lhs->path;
    e->b = rhs;
    return e;
  }
  if (lhs->kind == EXP_APPLY && lhs->nargs == 2 &&
      (is_qual(lhs->a, "Array", "get") || is_qual(lhs->a, "String", "get"))) {
    const char *mod = lhs->a->path.mods[0];
    Expr **args = ARENA_ARRAY(p->a, Expr *, 3);
    args[0] = lhs->args[0];
    args[1] = lhs->args[1];
    args[2] = rhs;
    return mk_apply(p, mk_qual_ident(p, mod, "set", loc), args, 3, loc);
  }
  /* `x <- e` is an instance-variable assignment in OCaml: no objects here. */
  p_error_at(p, op_loc);
}

/* expr: operand (binop expr)* with precedence climbing; min_prec bounds
 * the operators taken (PREC_LESSMINUS: all but `;`). */
Expr *parse_expr(Parser *p, int min_prec) {
  Expr *lhs;
  Loc start = p->tok.loc;
  switch (p->tok.kind) {
  case TOK_MINUS:
  case TOK_MINUSDOT:
  case TOK_PLUS:
  case TOK_PLUSDOT: {
    /* MINUS expr %prec prec_unary_minus; mkuminus/mkuplus fold a constant
     * operand into a signed literal. */
    TokKind k = p->tok.kind;
    p_next(p);
    Expr *arg = parse_expr(p, PREC_UMINUS);
    Loc loc = loc_join(start, arg->loc);
    if (arg->kind == EXP_CONST && arg->cst.kind == CONST_FLOAT) {
      if (k == TOK_MINUS || k == TOK_MINUSDOT) {
        arg->cst.f = -arg->cst.f;
        arg->cst.s = arg->cst.s[0] == '-' ? arg->cst.s + 1 : arena_printf(p->a, "-%s", arg->cst.s);
      }
      arg->loc = loc;
      lhs = arg;
    } else if (arg->kind == EXP_CONST && arg->cst.kind == CONST_INT && (k == TOK_MINUS || k == TOK_PLUS)) {
      if (k == TOK_MINUS) arg->cst.i = (int64_t)((uint64_t)(-(uint64_t)arg->cst.i) << 1) >> 1;
      arg->loc = loc;
      lhs = arg;
    } else {
      const char *name = k == TOK_MINUS ? "~-" : k == TOK_MINUSDOT ? "~-." : k == TOK_PLUS ? "~+" : "~+.";
      Expr **args = ARENA_ARRAY(p->a, Expr *, 1);
      args[0] = arg;
      lhs = mk_apply(p, mk_ident(p, name, start), args, 1, loc);
    }
    break;
  }
  default: lhs = parse_expr_operand(p);
  }
  for (;;) {
    bool right;
    int prec = binop_prec(&p->tok, &right);
    if (prec == 0 || prec < min_prec) break;
    Loc op_loc = p->tok.loc;
    TokKind k = p->tok.kind;
    if (k == TOK_COMMA) {
      PtrVec items = {0};
      ptrvec_push(p->a, &items, lhs);
      while (p_accept(p, TOK_COMMA)) ptrvec_push(p->a, &items, parse_expr(p, PREC_COMMA + 1));
      Expr *last = items.items[items.len - 1];
      Expr *t = new_expr(p, EXP_TUPLE, loc_join(lhs->loc, last->loc));
      t->args = (Expr **)items.items;
      t->nargs = items.len;
      lhs = t;
      continue;
    }
    /* `<-` after anything else is an error at `<-`, reported by whoever
     * expected something else there (so "')' expected" inside parens). */
    if (k == TOK_LESSMINUS && !assignable(lhs)) {
      /* label LESSMINUS expr: OCaml parses it as an instance-variable
       * assignment, which its typer rejects; natml has no objects, so the
       * parser reports what the typer would for a bound value. */
      if (lhs->kind == EXP_IDENT && lhs->path.nmods == 0 && lhs->loc.off1 == lhs->path.loc.off1 &&
          lhs->loc.off2 == lhs->path.loc.off2 && isalpha_or_us(lhs->path.name[0])) {
        p_next(p);
        Expr *rhs = parse_expr(p, PREC_LESSMINUS);
        ctx_errorf(p->ctx, loc_join(lhs->loc, rhs->loc), "The value %s is not an instance variable",
                   lhs->path.name);
      }
      break;
    }
    const char *op = p_tok_str(p, &p->tok);
    p_next(p);
    Expr *rhs = parse_expr(p, right ? prec : prec + 1);
    Loc loc = loc_join(lhs->loc, rhs->loc);
    if (k == TOK_LESSMINUS) lhs = mk_assign(p, lhs, op_loc, rhs);
    else if (k == TOK_COLONCOLON) lhs = mk_cons(p, lhs, rhs, loc);
    else lhs = mk_apply2(p, mk_ident(p, op, op_loc), lhs, rhs, loc);
  }
  return lhs;
}

/* seq_expr: expr | expr SEMI | expr SEMI seq_expr */
Expr *parse_seq_expr(Parser *p) {
  Expr *e = parse_expr(p, PREC_LESSMINUS);
  if (!p_is(p, TOK_SEMI)) return e;
  p_next(p);
  if (!p_starts_expr(p->tok.kind)) return e;
  Expr *rest = parse_seq_expr(p);
  Expr *s = new_expr(p, EXP_SEQ, loc_join(e->loc, rest->loc));
  s->a = e;
  s->b = rest;
  return s;
}

/* ---- Cases, bindings, prefix constructs ------------------------------------ */

/* match_cases: [BAR] match_case (BAR match_case)*
 * match_case: pattern [WHEN seq_expr] MINUSGREATER seq_expr */
static Case *parse_cases(Parser *p, int *n) {
  PtrVec v = {0};
  p_accept(p, TOK_BAR);
  do {
    Case *c = ARENA_NEW(p->a, Case);
    c->pat = parse_match_pattern(p);
    if (p_accept(p, TOK_WHEN)) c->guard = parse_seq_expr(p);
    p_expect(p, TOK_MINUSGREATER);
    if (!c->guard && p_is(p, TOK_DOT)) {
      /* `p -> .`: the case is refuted, its pattern must match nothing. */
      c->body = new_expr(p, EXP_UNREACHABLE, p->tok.loc);
      p_next(p);
    } else {
      c->body = parse_seq_expr(p);
    }
    c->body = unpack_pattern(p, &c->pat, c->body);
    ptrvec_push(p->a, &v, c);
  } while (p_accept(p, TOK_BAR));
  Case *cases = ARENA_ARRAY(p->a, Case, v.len);
  for (int i = 0; i < v.len; i++) cases[i] = *(Case *)v.items[i];
  *n = v.len;
  return cases;
}

/* A parameter of `fun` and of function bindings: a simple pattern with
 * its label and default, or one name of a `(type a b)` group. */
typedef struct Param {
  Pattern *pat;
  ArgLabel label;
  Expr *deflt; /* ?(p = e) */
  const char *newtype;
  Loc loc;
} Param;

static bool starts_param(TokKind k) {
  return p_starts_simple_pattern(k) || k == TOK_LABEL || k == TOK_OPTLABEL || k == TOK_TILDE ||
         k == TOK_QUESTION;
}

static Pattern *var_pattern(Parser *p, const char *name, Loc loc) {
  Pattern *v = ARENA_NEW(p->a, Pattern);
  v->kind = PAT_VAR;
  v->loc = v->name_loc = loc;
  v->name = name;
  return v;
}

static Pattern *constraint_pattern(Parser *p, Pattern *pat, TyExpr *ty, Loc loc) {
  Pattern *c = ARENA_NEW(p->a, Pattern);
  c->kind = PAT_CONSTRAINT;
  c->loc = loc;
  c->arg = pat;
  c->tyexpr = ty;
  return c;
}

/* label_var [COLON core_type], the label named after the variable. */
static Pattern *label_let_pattern(Parser *p, const char **name) {
  Loc start = p->tok.loc;
  *name = p_ident(p);
  Pattern *v = var_pattern(p, *name, start);
  if (!p_accept(p, TOK_COLON)) return v;
  TyExpr *ty = parse_core_type(p);
  return constraint_pattern(p, v, ty, loc_join(start, ty->loc));
}

/* labeled_simple_pattern of OCaml's grammar: `~x`, `~(x : t)`, `~l:p`,
 * `?x`, `?(x : t = e)`, `?l:p`, `?l:(p : t = e)` or a simple pattern. */
static void parse_labeled_param(Parser *p, Param *pr) {
  Loc start = p->tok.loc;
  const char *name;
  if (p_is(p, TOK_LABEL)) {
    pr->label = (ArgLabel){LBL_LABELLED, p_label_name(p)};
    pr->pat = parse_simple_pattern(p);
  } else if (p_is(p, TOK_TILDE)) {
    p_next(p);
    Loc open = p->tok.loc;
    if (p_accept(p, TOK_LPAREN)) {
      pr->pat = label_let_pattern(p, &name);
      p_close(p, TOK_RPAREN, open, "(");
    } else {
      pr->pat = label_let_pattern(p, &name);
    }
    pr->label = (ArgLabel){LBL_LABELLED, name};
  } else if (p_is(p, TOK_QUESTION) || p_is(p, TOK_OPTLABEL)) {
    bool named = p_is(p, TOK_OPTLABEL);
    name = named ? p_label_name(p) : (p_next(p), NULL);
    Loc open = p->tok.loc;
    if (p_accept(p, TOK_LPAREN)) {
      if (named) {
        pr->pat = parse_pattern(p);
        if (p_accept(p, TOK_COLON)) {
          TyExpr *ty = parse_core_type(p);
          pr->pat = constraint_pattern(p, pr->pat, ty, loc_join(pr->pat->loc, ty->loc));
        }
      } else {
        pr->pat = label_let_pattern(p, &name);
      }
      if (p_accept(p, TOK_EQUAL)) pr->deflt = parse_seq_expr(p);
      p_close(p, TOK_RPAREN, open, "(");
    } else if (named && p_is(p, TOK_UNDERSCORE)) {
      pr->pat = parse_simple_pattern(p);
    } else {
      Loc vloc = p->tok.loc;
      const char *v = p_ident(p);
      if (!name) name = v;
      pr->pat = var_pattern(p, v, vloc);
    }
    pr->label = (ArgLabel){LBL_OPTIONAL, name};
  } else {
    pr->pat = parse_simple_pattern(p);
  }
  pr->loc = loc_join(start, p->last);
}

/* parameter: simple_pattern | LPAREN TYPE LIDENT+ RPAREN */
static Param *parse_params(Parser *p, int *n) {
  PtrVec v = {0};
  for (;;) {
    if (p_is(p, TOK_LPAREN) && p_peek(p, 1)->kind == TOK_TYPE) {
      Loc start = p->tok.loc;
      p_next(p);
      p_next(p);
      do {
        Param *pr = ARENA_NEW(p->a, Param);
        pr->newtype = p_ident(p);
        pr->loc = loc_join(start, p->last);
        ptrvec_push(p->a, &v, pr);
      } while (p_is(p, TOK_LIDENT));
      p_expect(p, TOK_RPAREN);
      continue;
    }
    if (!starts_param(p->tok.kind)) break;
    Param *pr = ARENA_NEW(p->a, Param);
    parse_labeled_param(p, pr);
    ptrvec_push(p->a, &v, pr);
  }
  Param *ps = ARENA_ARRAY(p->a, Param, v.len + 1);
  for (int i = 0; i < v.len; i++) ps[i] = *(Param *)v.items[i];
  *n = v.len;
  return ps;
}

/* `fun (type t) -> e` as a node of its own, the body in a. */
static Expr *mk_newtype(Parser *p, const char *name, Expr *body, Loc loc) {
  Expr *e = new_expr(p, EXP_NEWTYPE, loc_join(loc, body->loc));
  e->var = name;
  e->a = body;
  return e;
}

/* A whole parameter or case pattern `(module M : S)` becomes a variable
 * of the package type, and the body `let module M = (val v) in body`. */
static Expr *unpack_pattern(Parser *p, Pattern **pat, Expr *body) {
  Pattern *q = *pat;
  if (q->kind != PAT_UNPACK) return body;
  Pattern *v = var_pattern(p, arena_printf(p->a, "*pkg%d*", q->loc.off1), q->loc);
  *pat = q->tyexpr ? constraint_pattern(p, v, q->tyexpr, q->loc) : v;
  if (strcmp(q->name, "_") == 0) return body;
  ModExpr *m = ARENA_NEW(p->a, ModExpr);
  m->kind = MOD_UNPACK;
  m->loc = q->loc;
  m->unpacked = mk_ident(p, v->name, q->loc);
  Expr *e = new_expr(p, EXP_LETMODULE, body->loc);
  e->var = q->name;
  e->mexpr = m;
  e->a = body;
  return e;
}

/* The function of params and body: consecutive patterns make one
 * EXP_FUN (one arity), each locally abstract type a node around what
 * follows it. */
static Expr *fun_of_params(Parser *p, Param *ps, int n, Expr *body) {
  int end = n;
  while (end > 0) {
    if (ps[end - 1].newtype) {
      body = mk_newtype(p, ps[end - 1].newtype, body, ps[end - 1].loc);
      end--;
      continue;
    }
    int start = end;
    while (start > 0 && !ps[start - 1].newtype) start--;
    for (int i = end - 1; i >= start; i--) body = unpack_pattern(p, &ps[i].pat, body);
    Expr *f = new_expr(p, EXP_FUN, loc_join(ps[start].loc, body->loc));
    f->nparams = end - start;
    f->params = ARENA_ARRAY(p->a, Pattern *, f->nparams);
    for (int i = start; i < end; i++) {
      f->params[i - start] = ps[i].pat;
      if (ps[i].label.kind == LBL_NONE) continue;
      if (!f->labels) {
        f->labels = ARENA_ARRAY(p->a, ArgLabel, f->nparams);
        f->defaults = ARENA_ARRAY(p->a, Expr *, f->nparams);
      }
      f->labels[i - start] = ps[i].label;
      f->defaults[i - start] = ps[i].deflt;
    }
    f->a = body;
    body = f;
    end = start;
  }
  return body;
}

static Expr *mk_constraint(Parser *p, Expr *e, TyExpr *t, Loc loc) {
  Expr *c = new_expr(p, EXP_CONSTRAINT, loc);
  c->a = e;
  c->tyexpr = t;
  return c;
}

static Pattern *constrain_pattern(Parser *p, Pattern *pat, TyExpr *ty, Loc loc) {
  Pattern *pc = ARENA_NEW(p->a, Pattern);
  pc->kind = PAT_CONSTRAINT;
  pc->loc = loc;
  pc->arg = pat;
  pc->tyexpr = ty;
  return pc;
}

/* let_binding_body: val_ident simple_pattern* [COLON core_type] EQUAL seq_expr
 *                 | pattern [COLON core_type] EQUAL seq_expr */
Binding parse_let_binding(Parser *p, Loc start) {
  Binding b = {0};
  bool named = false;
  const char *name = NULL;
  Loc name_loc = p->tok.loc;
  if (p_is(p, TOK_LIDENT)) {
    TokKind nk = p_peek(p, 1)->kind;
    if (nk == TOK_EQUAL || nk == TOK_COLON || starts_param(nk)) {
      named = true;
      name = p_ident(p);
    }
  } else if (p_is(p, TOK_LPAREN) && p_starts_operator(p_peek(p, 1)->kind) &&
             p_peek(p, 2)->kind == TOK_RPAREN) {
    TokKind nk = p_peek(p, 3)->kind;
    if (nk == TOK_EQUAL || nk == TOK_COLON || starts_param(nk)) {
      named = true;
      p_next(p);
      name = p_operator_name(p);
      p_next(p);
      name_loc = loc_join(name_loc, p->last);
    }
  }
  if (named) {
    Pattern *var = ARENA_NEW(p->a, Pattern);
    var->kind = PAT_VAR;
    var->loc = var->name_loc = name_loc;
    var->name = name;
    b.pat = var;
    int nparams;
    Param *params = parse_params(p, &nparams);
    TyExpr *ty = NULL;
    Loc cstart = p->tok.loc;
    /* let f : type a b. t = e is let f = fun (type a b) -> (e : t). */
    const char **newtypes = NULL;
    int nnewtypes = 0;
    Loc nt_loc = p->tok.loc;
    if (p_accept(p, TOK_COLON)) {
      if (p_accept(p, TOK_TYPE)) {
        PtrVec names = {0};
        do ptrvec_push(p->a, &names, (void *)p_ident(p));
        while (p_is(p, TOK_LIDENT));
        p_expect(p, TOK_DOT);
        newtypes = (const char **)names.items;
        nnewtypes = names.len;
        ty = parse_core_type(p);
        p_expect(p, TOK_EQUAL);
        Expr *body = mk_constraint(p, parse_seq_expr(p), ty, cstart);
        body->loc = loc_join(cstart, body->a->loc);
        body = fun_of_params(p, params, nparams, body);
        for (int i = nnewtypes - 1; i >= 0; i--) body = mk_newtype(p, newtypes[i], body, nt_loc);
        b.expr = body;
        b.loc = loc_join(start, p->last);
        /* ... and f has the polymorphic type 'a 'b. t (OCaml's
         * wrap_type_annotation), which recursive uses see. */
        TyExpr *poly = ARENA_NEW(p->a, TyExpr);
        poly->kind = TE_POLY;
        poly->loc = ty->loc;
        poly->poly_vars = newtypes;
        poly->npoly = nnewtypes;
        poly->a = p_newtypes_to_vars(p, ty, newtypes, nnewtypes);
        b.pat = constrain_pattern(p, var, poly, loc_join(name_loc, ty->loc));
        return b;
      }
      ty = nparams ? parse_core_type(p) : parse_poly_type(p);
      if (ty->kind == TE_POLY) {
        /* let f : 'a. t = e: only the name is constrained. */
        p_expect(p, TOK_EQUAL);
        b.pat = constrain_pattern(p, var, ty, loc_join(name_loc, ty->loc));
        b.expr = parse_seq_expr(p);
        b.loc = loc_join(start, b.expr->loc);
        return b;
      }
    }
    p_expect(p, TOK_EQUAL);
    Expr *body = parse_seq_expr(p);
    if (ty && nparams > 0) {
      body = mk_constraint(p, body, ty, loc_join(cstart, body->loc));
    } else if (ty) {
      /* let x : t = e: both the pattern and the expression are constrained. */
      b.pat = constrain_pattern(p, var, ty, loc_join(name_loc, ty->loc));
      body = mk_constraint(p, body, ty, loc_join(name_loc, body->loc));
    }
    if (nparams > 0) body = fun_of_params(p, params, nparams, body);
    b.expr = body;
  } else {
    b.pat = parse_pattern(p);
    if (p_accept(p, TOK_COLON)) {
      TyExpr *ty = parse_core_type(p);
      Pattern *pc = ARENA_NEW(p->a, Pattern);
      pc->kind = PAT_CONSTRAINT;
      pc->loc = loc_join(b.pat->loc, ty->loc);
      pc->arg = b.pat;
      pc->tyexpr = ty;
      b.pat = pc;
    }
    p_expect(p, TOK_EQUAL);
    b.expr = parse_seq_expr(p);
  }
  b.loc = loc_join(start, b.expr->loc);
  return b;
}

/* let_bindings: LET [REC] let_binding_body (AND let_binding_body)* */
Binding *parse_let_bindings(Parser *p, int *n, bool *rec) {
  Loc start = p->tok.loc;
  p_expect(p, TOK_LET);
  *rec = p_accept(p, TOK_REC);
  PtrVec v = {0};
  for (;;) {
    Binding *b = ARENA_NEW(p->a, Binding);
    *b = parse_let_binding(p, start);
    ptrvec_push(p->a, &v, b);
    if (!p_is(p, TOK_AND)) break;
    start = p->tok.loc;
    p_next(p);
  }
  Binding *bs = ARENA_ARRAY(p->a, Binding, v.len);
  for (int i = 0; i < v.len; i++) bs[i] = *(Binding *)v.items[i];
  *n = v.len;
  return bs;
}

/* LET OPEN [BANG] mod_longident IN seq_expr
 * | LET EXCEPTION constr_decl IN seq_expr
 * | LET MODULE UIDENT module_binding_body IN seq_expr
 * | let_bindings IN seq_expr */
static Expr *parse_let(Parser *p) {
  Loc start = p->tok.loc;
  TokKind nk = p_peek(p, 1)->kind;
  if (nk == TOK_OPEN) {
    p_next(p);
    p_next(p);
    p_accept(p, TOK_BANG);
    ModExpr *me = parse_module_expr(p);
    p_expect(p, TOK_IN);
    Expr *body = parse_seq_expr(p);
    Expr *e = new_expr(p, EXP_LETOPEN, loc_join(start, body->loc));
    e->a = body;
    if (me->kind == MOD_IDENT) {
      e->path = me->path;
      return e;
    }
    /* let open me in e: let module *open* = me in let open *open* in e */
    e->path.name = "*open*";
    e->path.loc = me->loc;
    Expr *lm = new_expr(p, EXP_LETMODULE, e->loc);
    lm->var = "*open*";
    lm->mexpr = me;
    lm->a = e;
    return lm;
  }
  if (nk == TOK_EXCEPTION) {
    p_next(p);
    p_next(p);
    ExnDecl *d = parse_exn_decl(p);
    p_expect(p, TOK_IN);
    Expr *body = parse_seq_expr(p);
    Expr *e = new_expr(p, EXP_LETEXN, loc_join(start, body->loc));
    e->exn = d;
    e->a = body;
    return e;
  }
  if (nk == TOK_MODULE) {
    /* LET MODULE UIDENT module_binding_body IN seq_expr */
    p_next(p);
    p_next(p);
    if (!p_is(p, TOK_UIDENT) && !p_is(p, TOK_UNDERSCORE)) p_error(p);
    Expr *e = new_expr(p, EXP_LETMODULE, start);
    e->var = p_is(p, TOK_UNDERSCORE) ? "_" : p_tok_str(p, &p->tok);
    p_next(p);
    e->mexpr = parse_module_binding_body(p, start);
    p_expect(p, TOK_IN);
    e->a = parse_seq_expr(p);
    e->loc = loc_join(start, e->a->loc);
    return e;
  }
  Expr *e = new_expr(p, EXP_LET, start);
  e->binds = parse_let_bindings(p, &e->nbinds, &e->rec);
  p_expect(p, TOK_IN);
  e->a = parse_seq_expr(p);
  e->loc = loc_join(start, e->a->loc);
  return e;
}

/* The operand of a binary operator: the prefix constructs (which extend as
 * far right as they can), assert, and application. */
static Expr *parse_expr_operand(Parser *p) {
  Loc start = p->tok.loc;
  Expr *e;
  switch (p->tok.kind) {
  case TOK_LET: return parse_let(p);
  case TOK_MATCH:
  case TOK_TRY: {
    /* MATCH seq_expr WITH match_cases | TRY seq_expr WITH match_cases */
    e = new_expr(p, p->tok.kind == TOK_MATCH ? EXP_MATCH : EXP_TRY, start);
    p_next(p);
    e->a = parse_seq_expr(p);
    p_expect(p, TOK_WITH);
    e->cases = parse_cases(p, &e->ncases);
    e->loc = loc_join(start, e->cases[e->ncases - 1].body->loc);
    return e;
  }
  case TOK_FUNCTION:
    /* FUNCTION match_cases */
    e = new_expr(p, EXP_FUNCTION, start);
    p_next(p);
    e->cases = parse_cases(p, &e->ncases);
    e->loc = loc_join(start, e->cases[e->ncases - 1].body->loc);
    return e;
  case TOK_FUN: {
    /* FUN simple_pattern+ [COLON core_type] MINUSGREATER seq_expr */
    p_next(p);
    int nparams;
    Param *params = parse_params(p, &nparams);
    if (nparams == 0) p_error(p);
    TyExpr *ty = NULL;
    Loc cstart = p->tok.loc;
    if (p_accept(p, TOK_COLON)) ty = parse_simple_core_type(p);
    p_expect(p, TOK_MINUSGREATER);
    Expr *body = parse_seq_expr(p);
    if (ty) body = mk_constraint(p, body, ty, loc_join(cstart, body->loc));
    e = fun_of_params(p, params, nparams, body);
    e->loc = loc_join(start, body->loc);
    return e;
  }
  case TOK_IF:
    /* IF seq_expr THEN expr [ELSE expr] */
    e = new_expr(p, EXP_IF, start);
    p_next(p);
    e->a = parse_seq_expr(p);
    p_expect(p, TOK_THEN);
    e->b = parse_expr(p, PREC_LESSMINUS);
    if (p_accept(p, TOK_ELSE)) e->c = parse_expr(p, PREC_LESSMINUS);
    e->loc = loc_join(start, p->last);
    return e;
  case TOK_WHILE:
    /* WHILE seq_expr DO seq_expr DONE */
    e = new_expr(p, EXP_WHILE, start);
    p_next(p);
    e->a = parse_seq_expr(p);
    p_expect(p, TOK_DO);
    e->b = parse_seq_expr(p);
    p_expect(p, TOK_DONE);
    e->loc = loc_join(start, p->last);
    return e;
  case TOK_FOR: {
    /* FOR pattern EQUAL seq_expr (TO | DOWNTO) seq_expr DO seq_expr DONE */
    e = new_expr(p, EXP_FOR, start);
    p_next(p);
    Pattern *v = parse_pattern(p);
    if (v->kind == PAT_VAR) e->var = v->name;
    else if (v->kind != PAT_ANY) p_error_at(p, v->loc);
    p_expect(p, TOK_EQUAL);
    e->a = parse_seq_expr(p);
    if (p_accept(p, TOK_DOWNTO)) e->downto = true;
    else p_expect(p, TOK_TO);
    e->b = parse_seq_expr(p);
    p_expect(p, TOK_DO);
    e->c = parse_seq_expr(p);
    p_expect(p, TOK_DONE);
    e->loc = loc_join(start, p->last);
    return e;
  }
  case TOK_ASSERT: {
    /* ASSERT simple_expr */
    p_next(p);
    bool is_constr;
    Expr *arg = parse_simple_expr(p, &is_constr);
    e = new_expr(p, EXP_ASSERT, loc_join(start, arg->loc));
    e->a = arg;
    return e;
  }
  case TOK_LAZY: /* lazy: not supported yet */ p_next(p); p_error(p);
  case TOK_UNDERSCORE: p_not_expecting(p, p->tok.loc, "wildcard \"_\"");
  default: break;
  }
  if (!p_starts_simple_expr(p->tok.kind)) p_error(p);
  /* simple_expr simple_expr+ (application) | constr_longident simple_expr */
  bool is_constr;
  Expr *head = parse_simple_expr(p, &is_constr);
  if (!p_starts_simple_expr(p->tok.kind) && !(starts_argument(p->tok.kind) && !is_constr)) return head;
  if (is_constr) {
    bool dummy;
    Expr *arg = parse_simple_expr(p, &dummy);
    head->a = arg;
    head->loc = loc_join(head->loc, arg->loc);
    return head;
  }
  PtrVec args = {0}, labels = {0};
  bool labelled = false;
  while (starts_argument(p->tok.kind)) {
    ArgLabel *l = ARENA_NEW(p->a, ArgLabel);
    ptrvec_push(p->a, &args, parse_labeled_arg(p, l));
    ptrvec_push(p->a, &labels, l);
    labelled |= l->kind != LBL_NONE;
  }
  e = mk_apply(p, head, (Expr **)args.items, args.len, loc_join(head->loc, p->last));
  if (labelled) {
    e->labels = ARENA_ARRAY(p->a, ArgLabel, args.len);
    for (int i = 0; i < args.len; i++) e->labels[i] = *(ArgLabel *)labels.items[i];
  }
  return e;
}

/* ---- Labelled arguments ------------------------------------------------------ */

static bool starts_argument(TokKind k) {
  return p_starts_simple_expr(k) || k == TOK_LABEL || k == TOK_OPTLABEL || k == TOK_TILDE ||
         k == TOK_QUESTION;
}

/* labeled_simple_expr of OCaml's grammar: `~l:e`, `~x`, `~(x : t)`,
 * `?l:e`, `?x` or a simple expression; the label goes to *l. */
static Expr *parse_labeled_arg(Parser *p, ArgLabel *l) {
  bool dummy;
  *l = (ArgLabel){LBL_NONE, NULL};
  if (p_is(p, TOK_LABEL) || p_is(p, TOK_OPTLABEL)) {
    LabelKind k = p_is(p, TOK_LABEL) ? LBL_LABELLED : LBL_OPTIONAL;
    *l = (ArgLabel){k, p_label_name(p)};
    return parse_simple_expr(p, &dummy);
  }
  if (p_is(p, TOK_TILDE) || p_is(p, TOK_QUESTION)) {
    LabelKind k = p_is(p, TOK_TILDE) ? LBL_LABELLED : LBL_OPTIONAL;
    p_next(p);
    Loc open = p->tok.loc;
    if (k == LBL_LABELLED && p_accept(p, TOK_LPAREN)) {
      Loc vloc = p->tok.loc;
      const char *name = p_ident(p);
      p_expect(p, TOK_COLON);
      TyExpr *ty = parse_core_type(p);
      p_close(p, TOK_RPAREN, open, "(");
      *l = (ArgLabel){k, name};
      return mk_constraint(p, mk_ident(p, name, vloc), ty, loc_join(open, p->last));
    }
    Loc vloc = p->tok.loc;
    const char *name = p_ident(p);
    *l = (ArgLabel){k, name};
    return mk_ident(p, name, vloc);
  }
  return parse_simple_expr(p, &dummy);
}

/* ---- Simple expressions ------------------------------------------------------ */

/* expr_semi_list: expr (SEMI expr)* [SEMI], items collected into v. */
static void parse_expr_semi_list(Parser *p, PtrVec *v) {
  do {
    if (!p_starts_expr(p->tok.kind)) {
      if (v->len > 0) return; /* after a trailing `;` */
      p_error(p);
    }
    ptrvec_push(p->a, v, parse_expr(p, PREC_LESSMINUS));
  } while (p_accept(p, TOK_SEMI));
}

/* LBRACKET expr_semi_list RBRACKET: nested "::" ending in "[]". */
static Expr *parse_list(Parser *p) {
  Loc open = p->tok.loc;
  p_next(p);
  if (p_accept(p, TOK_RBRACKET)) return mk_construct(p, "[]", NULL, loc_join(open, p->last));
  PtrVec v = {0};
  parse_expr_semi_list(p, &v);
  p_close(p, TOK_RBRACKET, open, "[");
  Loc close = p->last;
  Expr *tail = mk_construct(p, "[]", NULL, close);
  for (int i = v.len - 1; i >= 0; i--) {
    Expr *hd = v.items[i];
    tail = mk_cons(p, hd, tail, loc_join(i == 0 ? open : hd->loc, close));
  }
  return tail;
}

/* LBRACKETBAR [expr_semi_list] BARRBRACKET */
static Expr *parse_array(Parser *p) {
  Loc open = p->tok.loc;
  p_next(p);
  Expr *e = new_expr(p, EXP_ARRAY, open);
  if (!p_accept(p, TOK_BARRBRACKET)) {
    PtrVec v = {0};
    parse_expr_semi_list(p, &v);
    p_close(p, TOK_BARRBRACKET, open, "[|");
    e->args = (Expr **)v.items;
    e->nargs = v.len;
  }
  e->loc = loc_join(open, p->last);
  return e;
}

/* LBRACE record_expr_content RBRACE
 * record_expr_content: [simple_expr WITH] field [COLON core_type] [EQUAL expr]
 *                      (SEMI field …)* [SEMI] */
static Expr *parse_record(Parser *p) {
  Loc open = p->tok.loc;
  p_next(p);
  Expr *e = new_expr(p, EXP_RECORD, open);
  PtrVec fields = {0};
  bool first = true;
  for (;;) {
    if (!p_is(p, TOK_LIDENT) && !p_is(p, TOK_UIDENT) && !(first && p_starts_simple_expr(p->tok.kind)))
      p_error(p);
    Path label;
    if (first &&
        !(p_is(p, TOK_LIDENT) && (p_peek(p, 1)->kind == TOK_EQUAL || p_peek(p, 1)->kind == TOK_SEMI ||
                                  p_peek(p, 1)->kind == TOK_RBRACE || p_peek(p, 1)->kind == TOK_COLON))) {
      bool is_constr;
      Expr *x = parse_simple_expr(p, &is_constr);
      if (p_accept(p, TOK_WITH)) {
        e->a = x;
        first = false;
        continue;
      }
      if (x->kind != EXP_IDENT || x->loc.off1 != x->path.loc.off1 || x->loc.off2 != x->path.loc.off2)
        p_error(p);
      label = x->path;
    } else if (p_is(p, TOK_LIDENT)) {
      label = (Path){0};
      label.loc = p->tok.loc;
      label.name = p_ident(p);
    } else {
      Path mods = p_mod_path(p);
      p_expect(p, TOK_DOT);
      Loc end = p->tok.loc;
      const char *name = p_ident(p);
      label = p_path_with_last(p, mods, name, end);
    }
    first = false;
    FieldExpr *f = ARENA_NEW(p->a, FieldExpr);
    f->field = label;
    TyExpr *ty = NULL;
    if (p_accept(p, TOK_COLON)) ty = parse_core_type(p);
    if (p_accept(p, TOK_EQUAL)) {
      f->expr = parse_expr(p, PREC_LESSMINUS);
    } else {
      f->expr = mk_ident(p, label.name, label.loc);
    }
    if (ty) f->expr = mk_constraint(p, f->expr, ty, loc_join(label.loc, f->expr->loc));
    ptrvec_push(p->a, &fields, f);
    if (!p_accept(p, TOK_SEMI)) break;
    if (!p_is(p, TOK_LIDENT) && !p_is(p, TOK_UIDENT)) break;
  }
  p_close(p, TOK_RBRACE, open, "{");
  e->nfields = fields.len;
  e->fields = ARENA_ARRAY(p->a, FieldExpr, fields.len);
  for (int i = 0; i < fields.len; i++) e->fields[i] = *(FieldExpr *)fields.items[i];
  e->loc = loc_join(open, p->last);
  return e;
}

/* (e :> t), (e : t0 :> t), the closing parenthesis still to read. */
static Expr *mk_coerce(Parser *p, Expr *e, TyExpr *from, TyExpr *to, Loc open) {
  if (!p_is(p, TOK_RPAREN)) p_error(p);
  p_next(p);
  Expr *c = new_expr(p, EXP_COERCE, loc_join(open, p->last));
  c->a = e;
  c->tyexpr = to;
  c->tyexpr2 = from;
  return c;
}

/* LPAREN seq_expr [COLON core_type] [COLONGREATER core_type] RPAREN | LPAREN RPAREN
 * | LPAREN operator RPAREN */
static Expr *parse_paren(Parser *p, bool *is_constr) {
  Loc open = p->tok.loc;
  p_next(p);
  if (p_accept(p, TOK_RPAREN)) return mk_construct(p, "()", NULL, loc_join(open, p->last));
  if (p_accept(p, TOK_MODULE)) { /* (module me [: S]) */
    TokKind k = p->tok.kind;
    if (k != TOK_UIDENT && k != TOK_STRUCT && k != TOK_FUNCTOR && k != TOK_LPAREN)
      p_expecting(p, "module-expr");
    Expr *e = new_expr(p, EXP_PACK, open);
    e->mexpr = parse_module_expr(p);
    if (p_accept(p, TOK_COLON)) {
      Loc ps = p->tok.loc;
      e->tyexpr = parse_package_type(p, ps);
    }
    p_close(p, TOK_RPAREN, open, "(");
    e->loc = loc_join(open, p->last);
    return e;
  }
  const char *op = p_paren_operator(p, p_starts_expr);
  if (op && !*op) p_close(p, TOK_RPAREN, open, "(");
  if (op) return mk_ident(p, op, loc_join(open, p->last));
  if (p_is(p, TOK_COLONCOLON)) { /* (::) */
    p_next(p);
    p_expect(p, TOK_RPAREN);
    *is_constr = true;
    return mk_construct(p, "::", NULL, loc_join(open, p->last));
  }
  Expr *e = parse_seq_expr(p);
  if (p_accept(p, TOK_COLON)) {
    TyExpr *ty = parse_core_type(p);
    if (p_accept(p, TOK_COLONGREATER)) return mk_coerce(p, e, ty, parse_core_type(p), open);
    if (!p_is(p, TOK_RPAREN)) p_error(p);
    p_next(p);
    return mk_constraint(p, e, ty, loc_join(open, p->last));
  }
  if (p_accept(p, TOK_COLONGREATER)) return mk_coerce(p, e, NULL, parse_core_type(p), open);
  p_close(p, TOK_RPAREN, open, "(");
  e->loc = loc_join(open, p->last);
  return e;
}

/* After `M.` (path mods read): M.x, M.(op), M.(e), M.[…], M.[|…|], M.{…},
 * or a constructor M.C. */
static Expr *parse_after_module_path(Parser *p, Path mods, bool *is_constr) {
  Loc start = mods.loc;
  if (p_is(p, TOK_DOT)) {
    TokKind k1 = p_peek(p, 1)->kind;
    if (k1 == TOK_LIDENT) {
      p_next(p);
      Loc end = p->tok.loc;
      const char *name = p_ident(p);
      Expr *e = new_expr(p, EXP_IDENT, loc_join(start, end));
      e->path = p_path_with_last(p, mods, name, end);
      return e;
    }
    if (k1 == TOK_LPAREN || k1 == TOK_LBRACKET || k1 == TOK_LBRACKETBAR || k1 == TOK_LBRACE) {
      p_next(p);
      Expr *inner;
      if (k1 == TOK_LPAREN) {
        Loc open = p->tok.loc;
        p_next(p);
        const char *op = p_paren_operator(p, p_starts_expr);
        if (op && !*op) p_close(p, TOK_RPAREN, open, "(");
        if (op) {
          Expr *e = new_expr(p, EXP_IDENT, loc_join(start, p->last));
          e->path = p_path_with_last(p, mods, op, p->last);
          return e;
        }
        if (p_accept(p, TOK_RPAREN)) {
          inner = mk_construct(p, "()", NULL, loc_join(open, p->last));
        } else {
          inner = parse_seq_expr(p);
          p_close(p, TOK_RPAREN, open, "(");
        }
      } else if (p_is(p, TOK_LBRACKET)) {
        inner = parse_list(p);
      } else if (p_is(p, TOK_LBRACKETBAR)) {
        inner = parse_array(p);
      } else {
        inner = parse_record(p);
      }
      Expr *e = new_expr(p, EXP_LETOPEN, loc_join(start, p->last));
      e->path = mods;
      e->path.name = mods.mods[--e->path.nmods];
      e->a = inner;
      return e;
    }
    /* M. followed by anything else. */
    p_next(p);
    p_error(p);
  }
  if (p_is(p, TOK_DOTOP)) { /* M.%( … ): user indexing operators, unsupported */
    p_next(p);
    p_error(p);
  }
  Expr *e = new_expr(p, EXP_CONSTRUCT, start);
  e->path = mods;
  e->path.name = mods.mods[--e->path.nmods];
  *is_constr = true;
  return e;
}

/* simple_expr: constant | val_longident | constr_longident | (…) | begin … end
 *   | […] | [|…|] | {…} | PREFIXOP simple_expr | BANG simple_expr
 *   | simple_expr DOT label_longident | simple_expr DOT LPAREN seq_expr RPAREN
 *   | simple_expr DOT LBRACKET seq_expr RBRACKET */
static Expr *parse_simple_expr(Parser *p, bool *is_constr) {
  Loc start = p->tok.loc;
  Expr *e;
  *is_constr = false;
  switch (p->tok.kind) {
  case TOK_INT:
  case TOK_FLOAT:
  case TOK_CHAR:
  case TOK_STRING: {
    e = new_expr(p, EXP_CONST, start);
    e->cst = p_constant(p, false);
    break;
  }
  case TOK_LIDENT: e = mk_ident(p, p_ident(p), start); break;
  case TOK_UIDENT: {
    Path mods = p_mod_path(p);
    e = parse_after_module_path(p, mods, is_constr);
    if (*is_constr) return e;
    break;
  }
  case TOK_TRUE:
  case TOK_FALSE:
    e = mk_construct(p, p->tok.kind == TOK_TRUE ? "true" : "false", NULL, start);
    p_next(p);
    *is_constr = true;
    return e;
  case TOK_LPAREN:
    e = parse_paren(p, is_constr);
    if (*is_constr) return e;
    break;
  case TOK_BEGIN:
    p_next(p);
    if (p_accept(p, TOK_END)) {
      e = mk_construct(p, "()", NULL, loc_join(start, p->last));
    } else {
      e = parse_seq_expr(p);
      p_close(p, TOK_END, start, "begin");
      e->loc = loc_join(start, p->last);
    }
    break;
  case TOK_LBRACKET: e = parse_list(p); break;
  case TOK_LBRACKETBAR: e = parse_array(p); break;
  case TOK_LBRACE: e = parse_record(p); break;
  case TOK_BACKQUOTE:
    /* name_tag: `A (applied to an argument by the caller, as a constructor) */
    p_next(p);
    if (!p_is(p, TOK_UIDENT) && !p_is(p, TOK_LIDENT)) p_error(p);
    e = new_expr(p, EXP_VARIANT, start);
    e->var = p_tok_str(p, &p->tok);
    p_next(p);
    e->loc = loc_join(start, p->last);
    *is_constr = true;
    return e;
  case TOK_PREFIXOP:
  case TOK_BANG: {
    const char *op = p_tok_str(p, &p->tok);
    p_next(p);
    bool dummy;
    Expr *arg = parse_simple_expr(p, &dummy);
    Expr **args = ARENA_ARRAY(p->a, Expr *, 1);
    args[0] = arg;
    return mk_apply(p, mk_ident(p, op, start), args, 1, loc_join(start, arg->loc));
  }
  default: p_error(p);
  }
  /* Postfix forms bind tighter than anything else. */
  while (p_is(p, TOK_DOT)) {
    TokKind k1 = p_peek(p, 1)->kind;
    if (k1 == TOK_LIDENT) {
      p_next(p);
      Loc floc = p->tok.loc;
      Expr *f = new_expr(p, EXP_FIELD, loc_join(e->loc, floc));
      f->path.name = p_ident(p);
      f->path.loc = floc;
      f->a = e;
      e = f;
    } else if (k1 == TOK_UIDENT) {
      p_next(p);
      Path mods = p_mod_path(p);
      p_expect(p, TOK_DOT);
      Loc end = p->tok.loc;
      const char *name = p_ident(p);
      Expr *f = new_expr(p, EXP_FIELD, loc_join(e->loc, end));
      f->path = p_path_with_last(p, mods, name, end);
      f->a = e;
      e = f;
    } else if (k1 == TOK_LPAREN || k1 == TOK_LBRACKET) {
      bool arr = k1 == TOK_LPAREN;
      p_next(p);
      Loc open = p->tok.loc;
      p_next(p);
      Expr *idx = parse_seq_expr(p);
      p_close(p, arr ? TOK_RPAREN : TOK_RBRACKET, open, arr ? "(" : "[");
      Loc loc = loc_join(e->loc, p->last);
      e = mk_apply2(p, mk_qual_ident(p, arr ? "Array" : "String", "get", loc), e, idx, loc);
    } else {
      p_next(p);
      p_error(p);
    }
  }
  if (p_is(p, TOK_DOTOP)) { /* e.%( … ): user indexing operators, unsupported */
    p_next(p);
    p_error(p);
  }
  return e;
}
