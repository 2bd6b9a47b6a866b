/* parse_pattern.c — patterns: precedence climbing over `as` < `|` < `,` <
 * `::` < constructor application, and the simple patterns (constants and
 * ranges, lists, arrays, records, parenthesised and constrained patterns).
 * List sugar becomes "::"/"[]" constructors as in expressions.
 */
#include "parse.h"

#include <string.h>

enum { PPREC_AS = 1, PPREC_BAR, PPREC_COMMA, PPREC_CONS };

static Pattern *parse_pattern_prec(Parser *p, int min);
static Pattern *parse_pattern_operand(Parser *p);

static Pattern *new_pat(Parser *p, PatKind k, Loc loc) {
  Pattern *q = ARENA_NEW(p->a, Pattern);
  q->kind = k;
  q->loc = loc;
  return q;
}

/* A constructor pattern; items are the arguments (a tuple argument is
 * spread, as the typer wants them). */
static Pattern *mk_pconstruct(Parser *p, Path path, Pattern *arg, Loc loc) {
  Pattern *q = new_pat(p, PAT_CONSTRUCT, loc);
  q->constr = path;
  q->arg = arg;
  if (arg && arg->kind == PAT_TUPLE) {
    q->items = arg->items;
    q->nitems = arg->nitems;
  } else if (arg) {
    q->items = ARENA_ARRAY(p->a, Pattern *, 1);
    q->items[0] = arg;
    q->nitems = 1;
  }
  return q;
}

static Path simple_path(const char *name, Loc loc) {
  Path path = {0};
  path.name = name;
  path.loc = loc;
  return path;
}

static Pattern *mk_pcons(Parser *p, Pattern *hd, Pattern *tl, Loc loc) {
  Pattern *pair = new_pat(p, PAT_TUPLE, loc);
  pair->items = ARENA_ARRAY(p->a, Pattern *, 2);
  pair->items[0] = hd;
  pair->items[1] = tl;
  pair->nitems = 2;
  return mk_pconstruct(p, simple_path("::", loc), pair, loc);
}

bool p_starts_simple_pattern(TokKind k) {
  switch (k) {
  case TOK_LIDENT:
  case TOK_UNDERSCORE:
  case TOK_INT:
  case TOK_FLOAT:
  case TOK_CHAR:
  case TOK_STRING:
  case TOK_UIDENT:
  case TOK_TRUE:
  case TOK_FALSE:
  case TOK_LPAREN:
  case TOK_LBRACKET:
  case TOK_LBRACKETBAR:
  case TOK_LBRACE:
  case TOK_MINUS:
  case TOK_BACKQUOTE:
  case TOK_HASH:
  case TOK_PLUS: return true;
  default: return false;
  }
}

bool p_starts_pattern(TokKind k) { return p_starts_simple_pattern(k) || k == TOK_EXCEPTION; }

/* signed_constant [DOTDOT signed_constant] */
static Pattern *parse_const_pattern(Parser *p) {
  Loc start = p->tok.loc;
  bool neg = false;
  if (p_is(p, TOK_MINUS) || p_is(p, TOK_PLUS)) {
    neg = p_is(p, TOK_MINUS);
    p_next(p);
    if (!p_is(p, TOK_INT) && !p_is(p, TOK_FLOAT)) p_error(p);
  }
  Pattern *q = new_pat(p, PAT_CONST, start);
  q->cst = p_constant(p, neg);
  q->loc = loc_join(start, p->last);
  if (p_accept(p, TOK_DOTDOT)) {
    bool neg2 = false;
    if (p_is(p, TOK_MINUS) || p_is(p, TOK_PLUS)) {
      neg2 = p_is(p, TOK_MINUS);
      p_next(p);
      if (!p_is(p, TOK_INT) && !p_is(p, TOK_FLOAT)) p_error(p);
    }
    if (!p_is(p, TOK_INT) && !p_is(p, TOK_FLOAT) && !p_is(p, TOK_CHAR) && !p_is(p, TOK_STRING)) p_error(p);
    q->kind = PAT_RANGE;
    q->cst2 = p_constant(p, neg2);
    q->loc = loc_join(start, p->last);
  }
  return q;
}

/* pattern_semi_list: pattern (SEMI pattern)* [SEMI] */
static void parse_pattern_semi_list(Parser *p, PtrVec *v) {
  do {
    if (!p_starts_pattern(p->tok.kind)) {
      if (v->len > 0) return;
      p_error(p);
    }
    ptrvec_push(p->a, v, parse_pattern(p));
  } while (p_accept(p, TOK_SEMI));
}

/* LBRACE label [COLON core_type] [EQUAL pattern] (SEMI …)* [SEMI UNDERSCORE] [SEMI] RBRACE */
static Pattern *parse_record_pattern(Parser *p) {
  Loc open = p->tok.loc;
  p_next(p);
  Pattern *q = new_pat(p, PAT_RECORD, open);
  PtrVec fields = {0};
  for (;;) {
    if (p_is(p, TOK_UNDERSCORE) && fields.len > 0) {
      p_next(p);
      q->open = true;
      p_accept(p, TOK_SEMI);
      break;
    }
    Path label;
    if (p_is(p, TOK_LIDENT)) {
      label = simple_path(NULL, p->tok.loc);
      label.name = p_ident(p);
    } else if (p_is(p, TOK_UIDENT)) {
      Path mods = p_mod_path(p);
      p_expect(p, TOK_DOT);
      Loc end = p->tok.loc;
      const char *name = p_ident(p);
      label = p_path_with_last(p, mods, name, end);
    } else {
      p_error(p);
    }
    PatField *f = ARENA_NEW(p->a, PatField);
    f->field = label;
    TyExpr *ty = NULL;
    if (p_accept(p, TOK_COLON)) ty = parse_core_type(p);
    if (p_accept(p, TOK_EQUAL)) {
      f->pat = parse_pattern(p);
    } else {
      f->pat = new_pat(p, PAT_VAR, label.loc);
      f->pat->name = label.name;
      f->pat->name_loc = label.loc;
    }
    if (ty) {
      Pattern *c = new_pat(p, PAT_CONSTRAINT, loc_join(label.loc, ty->loc));
      c->arg = f->pat;
      c->tyexpr = ty;
      f->pat = c;
    }
    ptrvec_push(p->a, &fields, f);
    if (!p_accept(p, TOK_SEMI)) break;
    if (!p_is(p, TOK_LIDENT) && !p_is(p, TOK_UIDENT) && !p_is(p, TOK_UNDERSCORE)) break;
  }
  p_close(p, TOK_RBRACE, open, "{");
  q->nfields = fields.len;
  q->fields = ARENA_ARRAY(p->a, PatField, fields.len);
  for (int i = 0; i < fields.len; i++) q->fields[i] = *(PatField *)fields.items[i];
  q->loc = loc_join(open, p->last);
  return q;
}

/* simple_pattern: val_ident | UNDERSCORE | signed_constant [DOTDOT …]
 *   | constr_longident | LPAREN pattern [COLON core_type] RPAREN
 *   | LBRACKET pattern_semi_list RBRACKET | LBRACKETBAR … BARRBRACKET
 *   | LBRACE record_pattern RBRACE */
Pattern *parse_simple_pattern(Parser *p) {
  Loc start = p->tok.loc;
  Pattern *q;
  switch (p->tok.kind) {
  case TOK_LIDENT:
    q = new_pat(p, PAT_VAR, start);
    q->name = p_ident(p);
    q->name_loc = start;
    return q;
  case TOK_UNDERSCORE: p_next(p); return new_pat(p, PAT_ANY, start);
  case TOK_INT:
  case TOK_FLOAT:
  case TOK_CHAR:
  case TOK_STRING:
  case TOK_MINUS:
  case TOK_PLUS: return parse_const_pattern(p);
  case TOK_TRUE:
  case TOK_FALSE:
    q = mk_pconstruct(p, simple_path(p_is(p, TOK_TRUE) ? "true" : "false", start), NULL, start);
    p_next(p);
    return q;
  case TOK_UIDENT: {
    Path path = p_mod_path(p);
    if (p_is(p, TOK_DOT)) { /* M.(p), M.[…], M.[|…|], M.{…}: local opens */
      p_next(p);
      if (!p_is(p, TOK_LPAREN) && !p_is(p, TOK_LBRACKET) && !p_is(p, TOK_LBRACKETBAR) && !p_is(p, TOK_LBRACE))
        p_error(p);
      Pattern *inner = parse_simple_pattern(p);
      q = new_pat(p, PAT_OPEN, loc_join(start, inner->loc));
      q->constr = path;
      q->arg = inner;
      return q;
    }
    path.name = path.mods[--path.nmods];
    return mk_pconstruct(p, path, NULL, path.loc);
  }
  case TOK_LPAREN: {
    p_next(p);
    if (p_accept(p, TOK_RPAREN))
      return mk_pconstruct(p, simple_path("()", loc_join(start, p->last)), NULL, loc_join(start, p->last));
    if (p_accept(p, TOK_MODULE)) { /* (module M [: S]) */
      q = new_pat(p, PAT_UNPACK, start);
      q->name_loc = p->tok.loc;
      if (p_is(p, TOK_UNDERSCORE)) {
        p_next(p);
        q->name = "_";
      } else {
        if (!p_is(p, TOK_UIDENT)) p_error(p);
        q->name = p_tok_str(p, &p->tok);
        p_next(p);
      }
      if (p_accept(p, TOK_COLON)) {
        Loc ps = p->tok.loc;
        q->tyexpr = parse_package_type(p, ps);
      }
      p_close(p, TOK_RPAREN, start, "(");
      q->loc = loc_join(start, p->last);
      return q;
    }
    const char *op = p_paren_operator(p, p_starts_pattern);
    if (op && !*op) p_close(p, TOK_RPAREN, start, "(");
    if (op) {
      q = new_pat(p, PAT_VAR, start);
      q->name = op;
      q->loc = q->name_loc = loc_join(start, p->last);
      return q;
    }
    if (p_peek(p, 1)->kind == TOK_RPAREN && p_is(p, TOK_COLONCOLON)) {
      p_next(p);
      p_next(p);
      Loc l = loc_join(start, p->last);
      return mk_pconstruct(p, simple_path("::", l), NULL, l);
    }
    Pattern *inner = parse_pattern(p);
    if (p_accept(p, TOK_COLON)) {
      TyExpr *ty = parse_core_type(p);
      p_close(p, TOK_RPAREN, start, "(");
      q = new_pat(p, PAT_CONSTRAINT, loc_join(start, p->last));
      q->arg = inner;
      q->tyexpr = ty;
      return q;
    }
    p_close(p, TOK_RPAREN, start, "(");
    inner->loc = loc_join(start, p->last);
    return inner;
  }
  case TOK_LBRACKET: {
    p_next(p);
    if (p_accept(p, TOK_RBRACKET)) {
      Loc l = loc_join(start, p->last);
      return mk_pconstruct(p, simple_path("[]", l), NULL, l);
    }
    PtrVec v = {0};
    parse_pattern_semi_list(p, &v);
    p_close(p, TOK_RBRACKET, start, "[");
    Loc close = p->last;
    q = mk_pconstruct(p, simple_path("[]", close), NULL, close);
    for (int i = v.len - 1; i >= 0; i--) {
      Pattern *hd = v.items[i];
      q = mk_pcons(p, hd, q, loc_join(i == 0 ? start : hd->loc, close));
    }
    return q;
  }
  case TOK_LBRACKETBAR: {
    p_next(p);
    q = new_pat(p, PAT_ARRAY, start);
    if (!p_accept(p, TOK_BARRBRACKET)) {
      PtrVec v = {0};
      parse_pattern_semi_list(p, &v);
      p_close(p, TOK_BARRBRACKET, start, "[|");
      q->items = (Pattern **)v.items;
      q->nitems = v.len;
    }
    q->loc = loc_join(start, p->last);
    return q;
  }
  case TOK_LBRACE: return parse_record_pattern(p);
  case TOK_BACKQUOTE:
    /* name_tag */
    p_next(p);
    if (!p_is(p, TOK_UIDENT) && !p_is(p, TOK_LIDENT)) p_error(p);
    q = new_pat(p, PAT_VARIANT, start);
    q->name = p_tok_str(p, &p->tok);
    p_next(p);
    q->loc = loc_join(start, p->last);
    return q;
  case TOK_HASH: {
    /* HASH type_longident */
    p_next(p);
    q = new_pat(p, PAT_TYPE, start);
    if (p_is(p, TOK_LIDENT)) {
      q->constr.loc = p->tok.loc;
      q->constr.name = p_ident(p);
    } else {
      Path mods = p_mod_path(p);
      p_expect(p, TOK_DOT);
      Loc end = p->tok.loc;
      const char *name = p_ident(p);
      q->constr = p_path_with_last(p, mods, name, end);
    }
    q->loc = loc_join(start, p->last);
    return q;
  }
  default: p_error(p);
  }
}

/* The operand of the pattern operators: constructor application
 * (constr_longident simple_pattern), `exception p`, or a simple pattern. */
static Pattern *parse_pattern_operand(Parser *p) {
  Loc start = p->tok.loc;
  if (p_accept(p, TOK_EXCEPTION)) {
    Pattern *inner = parse_pattern_operand(p);
    Pattern *q = new_pat(p, PAT_EXCEPTION, loc_join(start, inner->loc));
    q->arg = inner;
    return q;
  }
  Pattern *q = parse_simple_pattern(p);
  /* constr_longident includes `()`, `[]` and `(::)`, as in OCaml. */
  bool constr = q->kind == PAT_CONSTRUCT && !q->arg && q->loc.off1 == q->constr.loc.off1 &&
                q->loc.off2 == q->constr.loc.off2;
  if (constr && (p_starts_simple_pattern(p->tok.kind) || p_is(p, TOK_EXCEPTION))) {
    /* `C (type a b) p`: names for C's existential types. */
    PtrVec names = {0};
    if (p_is(p, TOK_LPAREN) && p_peek(p, 1)->kind == TOK_TYPE) {
      p_next(p);
      p_next(p);
      do ptrvec_push(p->a, &names, (void *)p_ident(p));
      while (p_is(p, TOK_LIDENT));
      p_expect(p, TOK_RPAREN);
    }
    /* constr_longident pattern %prec prec_constr_appl: `C D x` is C (D x). */
    Pattern *arg = parse_pattern_operand(p);
    q = mk_pconstruct(p, q->constr, arg, loc_join(start, arg->loc));
    q->newtypes = (const char **)names.items;
    q->nnewtypes = names.len;
  } else if (q->kind == PAT_VARIANT && (p_starts_simple_pattern(p->tok.kind) || p_is(p, TOK_EXCEPTION))) {
    /* name_tag pattern %prec prec_constr_appl */
    q->arg = parse_pattern_operand(p);
    q->loc = loc_join(start, q->arg->loc);
  }
  return q;
}

/* pattern: pattern AS val_ident | pattern BAR pattern | pattern COMMA pattern
 *        | pattern COLONCOLON pattern | operand */
static Pattern *parse_pattern_prec(Parser *p, int min) {
  Pattern *lhs = parse_pattern_operand(p);
  for (;;) {
    if (p_is(p, TOK_AS) && min <= PPREC_AS) {
      p_next(p);
      if (!p_is(p, TOK_LIDENT)) p_expecting(p, "identifier");
      Pattern *q = new_pat(p, PAT_ALIAS, loc_join(lhs->loc, p->tok.loc));
      q->name_loc = p->tok.loc;
      q->name = p_ident(p);
      q->arg = lhs;
      lhs = q;
    } else if (p_is(p, TOK_BAR) && min <= PPREC_BAR) {
      p_next(p);
      if (!p_starts_pattern(p->tok.kind)) p_expecting(p, "pattern");
      Pattern *rhs = parse_pattern_prec(p, PPREC_BAR + 1);
      Pattern *q = new_pat(p, PAT_OR, loc_join(lhs->loc, rhs->loc));
      q->arg = lhs;
      q->arg2 = rhs;
      lhs = q;
    } else if (p_is(p, TOK_COMMA) && min <= PPREC_COMMA) {
      PtrVec v = {0};
      ptrvec_push(p->a, &v, lhs);
      while (p_accept(p, TOK_COMMA)) {
        if (!p_starts_pattern(p->tok.kind)) p_expecting(p, "pattern");
        ptrvec_push(p->a, &v, parse_pattern_prec(p, PPREC_COMMA + 1));
      }
      Pattern *last = v.items[v.len - 1];
      Pattern *q = new_pat(p, PAT_TUPLE, loc_join(lhs->loc, last->loc));
      q->items = (Pattern **)v.items;
      q->nitems = v.len;
      lhs = q;
    } else if (p_is(p, TOK_COLONCOLON) && min <= PPREC_CONS) {
      p_next(p);
      if (!p_starts_pattern(p->tok.kind)) p_expecting(p, "pattern");
      Pattern *rhs = parse_pattern_prec(p, PPREC_CONS);
      lhs = mk_pcons(p, lhs, rhs, loc_join(lhs->loc, rhs->loc));
    } else {
      return lhs;
    }
  }
}

Pattern *parse_pattern(Parser *p) {
  if (!p_starts_pattern(p->tok.kind)) p_error(p);
  return parse_pattern_prec(p, PPREC_AS);
}

Pattern *parse_match_pattern(Parser *p) { return parse_pattern(p); }
