/* parse_type.c — type expressions (`'a`, `int list`, `(int, string)
 * Hashtbl.t`, `a * b -> c`), type declarations (aliases, variants, records,
 * re-exported definitions `type t = M.t = A | B`, `and` groups), exception
 * declarations, and the `with type` constraints of module types.
 */
#include "parse.h"

#include <string.h>

static TyExpr *new_ty(Parser *p, TyExprKind k, Loc loc) {
  TyExpr *t = ARENA_NEW(p->a, TyExpr);
  t->kind = k;
  t->loc = loc;
  return t;
}

bool p_starts_type(TokKind k) {
  return k == TOK_QUOTE || k == TOK_UNDERSCORE || k == TOK_LIDENT || k == TOK_UIDENT || k == TOK_LPAREN ||
         k == TOK_LBRACKET || k == TOK_LBRACKETGREATER || k == TOK_LBRACKETLESS;
}

/* mod_ext_longident: UIDENT | mod_ext_longident DOT UIDENT
 *   | mod_ext_longident LPAREN mod_ext_longident RPAREN
 * Returned with every component in mods (name NULL). */
Path p_mod_ext_path(Parser *p) {
  PtrVec mods = {0};
  PtrVec apps = {0};
  bool any = false;
  if (!p_is(p, TOK_UIDENT)) p_error(p);
  Loc start = p->tok.loc;
  for (;;) {
    ptrvec_push(p->a, &mods, (void *)p_tok_str(p, &p->tok));
    p_next(p);
    PathApp *first = NULL, **tail = &first;
    while (p_is(p, TOK_LPAREN) && p_peek(p, 1)->kind == TOK_UIDENT) {
      p_next(p);
      PathApp *a = ARENA_NEW(p->a, PathApp);
      a->arg = p_mod_ext_path(p);
      p_expect(p, TOK_RPAREN);
      *tail = a;
      tail = &a->next;
      any = true;
    }
    ptrvec_push(p->a, &apps, first);
    if (!(p_is(p, TOK_DOT) && p_peek(p, 1)->kind == TOK_UIDENT)) break;
    p_next(p);
  }
  Path path = {0};
  path.nmods = mods.len;
  path.mods = ARENA_ARRAY(p->a, const char *, mods.len);
  for (int i = 0; i < mods.len; i++) path.mods[i] = mods.items[i];
  if (any) {
    path.apps = ARENA_ARRAY(p->a, PathApp *, mods.len);
    for (int i = 0; i < mods.len; i++) path.apps[i] = apps.items[i];
  }
  path.loc = loc_join(start, p->last);
  return path;
}

/* type_longident: LIDENT | mod_ext_longident DOT LIDENT */
static Path parse_type_longident(Parser *p) {
  if (p_is(p, TOK_LIDENT)) {
    Path path = {0};
    path.loc = p->tok.loc;
    path.name = p_ident(p);
    return path;
  }
  Path mods = p_mod_ext_path(p);
  p_expect(p, TOK_DOT);
  Loc end = p->tok.loc;
  const char *name = p_ident(p);
  return p_path_with_last(p, mods, name, end);
}

/* QUOTE ident */
static const char *parse_type_var(Parser *p, Loc *loc) {
  Loc start = p->tok.loc;
  p_expect(p, TOK_QUOTE);
  if (!p_is(p, TOK_LIDENT) && !p_is(p, TOK_UIDENT)) p_error(p);
  const char *name = p_tok_str(p, &p->tok);
  p_next(p);
  *loc = loc_join(start, p->last);
  return name;
}

static TyExpr *mk_constr(Parser *p, Path path, TyExpr **args, int n, Loc start) {
  TyExpr *t = new_ty(p, TE_CONSTR, loc_join(start, path.loc));
  t->path = path;
  t->items = args;
  t->nitems = n;
  return t;
}

/* name_tag: BACKQUOTE ident */
static const char *parse_name_tag(Parser *p) {
  p_expect(p, TOK_BACKQUOTE);
  if (!p_is(p, TOK_UIDENT) && !p_is(p, TOK_LIDENT)) p_error(p);
  const char *tag = p_tok_str(p, &p->tok);
  p_next(p);
  return tag;
}

/* row_field: tag_field | simple_core_type
 * tag_field: name_tag [OF [AMPERSAND] core_type (AMPERSAND core_type)*] */
static TyRowField parse_row_field(Parser *p) {
  TyRowField f = {0};
  Loc start = p->tok.loc;
  if (!p_is(p, TOK_BACKQUOTE)) {
    f.inherit = parse_simple_core_type(p);
    f.loc = f.inherit->loc;
    return f;
  }
  f.tag = parse_name_tag(p);
  if (p_accept(p, TOK_OF)) {
    f.amp = p_accept(p, TOK_AMPERSAND);
    PtrVec v = {0};
    do ptrvec_push(p->a, &v, parse_core_type(p));
    while (p_accept(p, TOK_AMPERSAND));
    f.args = (TyExpr **)v.items;
    f.nargs = v.len;
  }
  f.loc = loc_join(start, p->last);
  return f;
}

/* The variant types, after their opening bracket:
 *   LBRACKET [BAR] row_field (BAR row_field)* RBRACKET
 *   LBRACKETGREATER [[BAR] row_field (BAR row_field)*] RBRACKET
 *   LBRACKETLESS [BAR] row_field (BAR row_field)* [GREATER name_tag+] RBRACKET */
static TyExpr *parse_variant_type(Parser *p, Loc start, RowKindAst kind) {
  TyExpr *t = new_ty(p, TE_VARIANT, start);
  t->row_kind = kind;
  PtrVec v = {0};
  if (!(kind == ROW_OPEN && p_is(p, TOK_RBRACKET))) {
    p_accept(p, TOK_BAR);
    do {
      TyRowField *f = ARENA_NEW(p->a, TyRowField);
      *f = parse_row_field(p);
      ptrvec_push(p->a, &v, f);
    } while (p_accept(p, TOK_BAR));
  }
  t->nrfields = v.len;
  t->rfields = ARENA_ARRAY(p->a, TyRowField, v.len + 1);
  for (int i = 0; i < v.len; i++) t->rfields[i] = *(TyRowField *)v.items[i];
  if (kind == ROW_CLOSED && p_accept(p, TOK_GREATER)) {
    PtrVec tags = {0};
    do ptrvec_push(p->a, &tags, (void *)parse_name_tag(p));
    while (p_is(p, TOK_BACKQUOTE));
    t->present = (const char **)tags.items;
    t->npresent = tags.len;
  }
  p_close(p, TOK_RBRACKET, start, "[");
  t->loc = loc_join(start, p->last);
  return t;
}

/* simple_core_type: QUOTE ident | UNDERSCORE | type_longident
 *   | LPAREN core_type RPAREN | LPAREN core_type (COMMA core_type)+ RPAREN type_longident
 * followed by postfix applications: simple_core_type type_longident */
TyExpr *parse_simple_core_type(Parser *p) {
  Loc start = p->tok.loc;
  TyExpr *t;
  switch (p->tok.kind) {
  case TOK_QUOTE: {
    Loc l;
    const char *v = parse_type_var(p, &l);
    t = new_ty(p, TE_VAR, l);
    t->var = v;
    break;
  }
  case TOK_UNDERSCORE:
    p_next(p);
    t = new_ty(p, TE_ANY, start);
    break;
  case TOK_LBRACKET:
  case TOK_LBRACKETGREATER:
  case TOK_LBRACKETLESS: {
    TokKind k = p->tok.kind;
    p_next(p);
    t = parse_variant_type(p, start,
                           k == TOK_LBRACKET          ? ROW_EXACT
                           : k == TOK_LBRACKETGREATER ? ROW_OPEN
                                                      : ROW_CLOSED);
    break;
  }
  case TOK_LIDENT:
  case TOK_UIDENT: t = mk_constr(p, parse_type_longident(p), NULL, 0, start); break;
  case TOK_LPAREN: {
    p_next(p);
    if (p_accept(p, TOK_MODULE)) {
      t = parse_package_type(p, start);
      p_close(p, TOK_RPAREN, start, "(");
      t->loc = loc_join(start, p->last);
      break;
    }
    TyExpr *first = parse_core_type(p);
    if (p_is(p, TOK_COMMA)) {
      PtrVec v = {0};
      ptrvec_push(p->a, &v, first);
      while (p_accept(p, TOK_COMMA)) ptrvec_push(p->a, &v, parse_core_type(p));
      p_expect(p, TOK_RPAREN);
      if (!p_is(p, TOK_LIDENT) && !p_is(p, TOK_UIDENT)) p_error(p);
      t = mk_constr(p, parse_type_longident(p), (TyExpr **)v.items, v.len, start);
    } else {
      p_expect(p, TOK_RPAREN);
      t = first;
    }
    break;
  }
  default: p_error(p);
  }
  while (p_is(p, TOK_LIDENT) || p_is(p, TOK_UIDENT)) {
    TyExpr **args = ARENA_ARRAY(p->a, TyExpr *, 1);
    args[0] = t;
    t = mk_constr(p, parse_type_longident(p), args, 1, t->loc);
  }
  return t;
}

/* package_type: mty_longident [WITH TYPE name EQUAL core_type
 *               (AND TYPE name EQUAL core_type)*], after `(module`. */
TyExpr *parse_package_type(Parser *p, Loc start) {
  if (!p_is(p, TOK_UIDENT) && !p_is(p, TOK_LIDENT)) p_error(p);
  Path path = p_modtype_path(p);
  TyExpr *t = new_ty(p, TE_PACKAGE, loc_join(start, p->last));
  t->path = path;
  if (!p_accept(p, TOK_WITH)) return t;
  PtrVec names = {0}, types = {0};
  do {
    p_expect(p, TOK_TYPE);
    Buf b;
    buf_init(&b);
    while (p_is(p, TOK_UIDENT)) {
      buf_puts(&b, p_tok_str(p, &p->tok));
      p_next(p);
      p_expect(p, TOK_DOT);
      buf_putc(&b, '.');
    }
    buf_puts(&b, p_ident(p));
    ptrvec_push(p->a, &names, arena_strdup(p->a, b.data));
    buf_free(&b);
    p_expect(p, TOK_EQUAL);
    ptrvec_push(p->a, &types, parse_core_type(p));
  } while (p_accept(p, TOK_AND));
  t->pkg_names = (const char **)names.items;
  t->items = (TyExpr **)types.items;
  t->nitems = names.len;
  t->loc = loc_join(start, p->last);
  return t;
}

/* tuple_type: simple_core_type (STAR simple_core_type)* */
static TyExpr *parse_tuple_type(Parser *p) {
  TyExpr *t = parse_simple_core_type(p);
  if (!p_is(p, TOK_STAR)) return t;
  PtrVec v = {0};
  ptrvec_push(p->a, &v, t);
  while (p_accept(p, TOK_STAR)) ptrvec_push(p->a, &v, parse_simple_core_type(p));
  /* Up to the last token: a parenthesized last item's `)` included. */
  TyExpr *tu = new_ty(p, TE_TUPLE, loc_join(t->loc, p->last));
  tu->items = (TyExpr **)v.items;
  tu->nitems = v.len;
  return tu;
}

static TyExpr *parse_arrow_type(Parser *p);

/* poly_type: (QUOTE ident)+ DOT core_type | core_type — the annotation of
 * a let-bound name, `let f : 'a. 'a -> 'a = ...`. */
TyExpr *parse_poly_type(Parser *p) {
  int k = 0; /* tokens of `'a 'b` seen ahead */
#define AT(i) ((i) == 0 ? &p->tok : p_peek(p, (i)))
  while (k + 2 < 16 && AT(k)->kind == TOK_QUOTE &&
         (AT(k + 1)->kind == TOK_LIDENT || AT(k + 1)->kind == TOK_UIDENT))
    k += 2;
  bool poly = k > 0 && AT(k)->kind == TOK_DOT;
#undef AT
  if (!poly) return parse_core_type(p);
  Loc start = p->tok.loc;
  PtrVec vars = {0};
  while (p_is(p, TOK_QUOTE)) {
    Loc l;
    ptrvec_push(p->a, &vars, (void *)parse_type_var(p, &l));
  }
  p_expect(p, TOK_DOT);
  TyExpr *body = parse_core_type(p);
  TyExpr *t = new_ty(p, TE_POLY, loc_join(start, body->loc));
  t->poly_vars = (const char **)vars.items;
  t->npoly = vars.len;
  t->a = body;
  return t;
}

/* A copy of t where the locally abstract types names[] (`type a b.`) are
 * the type variables of the same names: the polymorphic type that `let
 * f : type a. t = e` gives f. */
TyExpr *p_newtypes_to_vars(Parser *p, TyExpr *t, const char **names, int n) {
  if (!t) return NULL;
  TyExpr *c = ARENA_NEW(p->a, TyExpr);
  *c = *t;
  if (t->kind == TE_CONSTR && t->path.nmods == 0 && t->nitems == 0) {
    for (int i = 0; i < n; i++)
      if (strcmp(t->path.name, names[i]) == 0) {
        c->kind = TE_VAR;
        c->var = names[i];
        return c;
      }
  }
  c->a = p_newtypes_to_vars(p, t->a, names, n);
  c->b = p_newtypes_to_vars(p, t->b, names, n);
  if (t->nitems) {
    c->items = ARENA_ARRAY(p->a, TyExpr *, t->nitems);
    for (int i = 0; i < t->nitems; i++) c->items[i] = p_newtypes_to_vars(p, t->items[i], names, n);
  }
  return c;
}

/* core_type: arrow_type (AS QUOTE ident)* */
TyExpr *parse_core_type(Parser *p) {
  TyExpr *t = parse_arrow_type(p);
  while (p_accept(p, TOK_AS)) {
    Loc l;
    const char *v = parse_type_var(p, &l);
    TyExpr *al = new_ty(p, TE_ALIAS, loc_join(t->loc, l));
    al->a = t;
    al->var = v;
    t = al;
  }
  return t;
}

/* arrow_type: [label COLON] tuple_type [MINUSGREATER arrow_type] */
static TyExpr *parse_arrow_type(Parser *p) {
  Loc start = p->tok.loc;
  ArgLabel label = {LBL_NONE, NULL};
  if (p_is(p, TOK_LIDENT) && p_peek(p, 1)->kind == TOK_COLON) {
    label = (ArgLabel){LBL_LABELLED, p_ident(p)};
    p_next(p);
  } else if (p_is(p, TOK_QUESTION) && p_peek(p, 1)->kind == TOK_LIDENT && p_peek(p, 2)->kind == TOK_COLON) {
    p_next(p);
    label = (ArgLabel){LBL_OPTIONAL, p_ident(p)};
    p_next(p);
  } else if (p_is(p, TOK_OPTLABEL)) {
    label = (ArgLabel){LBL_OPTIONAL, p_label_name(p)};
  }
  TyExpr *t = parse_tuple_type(p);
  if (label.kind != LBL_NONE) p_expect(p, TOK_MINUSGREATER);
  else if (!p_accept(p, TOK_MINUSGREATER)) return t;
  TyExpr *r = parse_arrow_type(p);
  TyExpr *a = new_ty(p, TE_ARROW, loc_join(label.kind != LBL_NONE ? start : t->loc, r->loc));
  a->label = label;
  a->a = t;
  a->b = r;
  return a;
}

/* ---- Declarations ----------------------------------------------------------- */

/* type_parameters: QUOTE ident | LPAREN QUOTE ident (COMMA QUOTE ident)* RPAREN | ε */
static bool is_variance(const Token *t) {
  if (t->kind == TOK_PLUS || t->kind == TOK_MINUS || t->kind == TOK_BANG) return true;
  return (t->kind == TOK_PREFIXOP || t->kind == TOK_INFIXOP2) && t->len == 2 &&
         (memcmp(t->text, "+!", 2) == 0 || memcmp(t->text, "-!", 2) == 0 || memcmp(t->text, "!+", 2) == 0 ||
          memcmp(t->text, "!-", 2) == 0);
}

/* A parameter's variance annotation as TypeDeclAst.variances has it. */
static char parse_variance(Parser *p) {
  if (!is_variance(&p->tok)) return ' ';
  char v = ' ';
  bool injective = false;
  for (int i = 0; i < p->tok.len; i++) {
    if (p->tok.text[i] == '+' || p->tok.text[i] == '-') v = p->tok.text[i];
    if (p->tok.text[i] == '!') injective = true;
  }
  p_next(p);
  if (!injective) return v;
  return v == '+' ? 'p' : v == '-' ? 'm' : '!';
}

/* type_parameter: [variance] (QUOTE ident | UNDERSCORE) */
static void parse_type_param(Parser *p, PtrVec *v, Buf *variances, PtrVec *locs) {
  Loc l = p->tok.loc;
  buf_putc(variances, parse_variance(p));
  if (p_is(p, TOK_UNDERSCORE)) {
    l = p->tok.loc;
    p_next(p);
    ptrvec_push(p->a, v, (void *)"_");
  } else {
    ptrvec_push(p->a, v, (void *)parse_type_var(p, &l));
  }
  Loc *lp = ARENA_NEW(p->a, Loc);
  *lp = l;
  ptrvec_push(p->a, locs, lp);
}

static void parse_type_params(Parser *p, TypeDeclAst *d) {
  PtrVec v = {0}, locs = {0};
  Buf variances;
  buf_init(&variances);
  if (is_variance(&p->tok) || p_is(p, TOK_UNDERSCORE) || p_is(p, TOK_QUOTE)) {
    parse_type_param(p, &v, &variances, &locs);
  } else if (p_is(p, TOK_LPAREN)) {
    p_next(p);
    do parse_type_param(p, &v, &variances, &locs);
    while (p_accept(p, TOK_COMMA));
    p_expect(p, TOK_RPAREN);
  }
  d->params = (const char **)v.items;
  d->nparams = v.len;
  d->param_locs = ARENA_ARRAY(p->a, Loc, v.len + 1);
  for (int i = 0; i < v.len; i++) d->param_locs[i] = *(Loc *)locs.items[i];
  d->variances = v.len ? arena_strndup(p->a, variances.data, (size_t)variances.len) : NULL;
  buf_free(&variances);
}

/* constructor_arguments: simple_core_type (STAR simple_core_type)* */
static void parse_constr_args(Parser *p, TyExpr ***args, int *n) {
  PtrVec v = {0};
  do ptrvec_push(p->a, &v, parse_simple_core_type(p));
  while (p_accept(p, TOK_STAR));
  *args = (TyExpr **)v.items;
  *n = v.len;
}

/* constructor_declarations: [BAR] constr (BAR constr)*; constr: UIDENT [OF args] */
static void parse_variant(Parser *p, TypeDeclAst *d) {
  PtrVec v = {0};
  bool first = true;
  for (;;) {
    Loc start = p->tok.loc;
    bool bar = p_accept(p, TOK_BAR);
    if (!bar && !first) break;
    /* `type t = |`: a variant without constructors. */
    if (first && bar && !p_is(p, TOK_UIDENT) && !p_is(p, TOK_TRUE) && !p_is(p, TOK_FALSE) &&
        !p_is(p, TOK_LBRACKET) && !p_is(p, TOK_LPAREN))
      break;
    first = false;
    ConstrDecl *c = ARENA_NEW(p->a, ConstrDecl);
    if (p_is(p, TOK_UIDENT) || p_is(p, TOK_TRUE) || p_is(p, TOK_FALSE)) {
      c->name = p_tok_str(p, &p->tok);
      p_next(p);
    } else if (p_accept(p, TOK_LBRACKET)) {
      p_expect(p, TOK_RBRACKET);
      c->name = "[]";
    } else if (p_accept(p, TOK_LPAREN)) {
      if (p_accept(p, TOK_COLONCOLON)) {
        c->name = "::";
      } else {
        c->name = "()";
      }
      p_expect(p, TOK_RPAREN);
    } else {
      p_error(p);
    }
    if (p_accept(p, TOK_OF)) {
      parse_constr_args(p, &c->args, &c->nargs);
    } else if (p_accept(p, TOK_COLON)) {
      /* `C : a * b -> r` or `C : r`: arguments are atomic types, so the
       * first of them may turn out to be the result. */
      parse_constr_args(p, &c->args, &c->nargs);
      if (p_accept(p, TOK_MINUSGREATER)) {
        c->ret = parse_simple_core_type(p);
      } else if (c->nargs == 1) {
        c->ret = c->args[0];
        c->args = NULL;
        c->nargs = 0;
      } else {
        p_error(p);
      }
    }
    c->loc = loc_join(start, p->last);
    ptrvec_push(p->a, &v, c);
  }
  d->kind = TDK_VARIANT;
  d->nconstrs = v.len;
  d->constrs = ARENA_ARRAY(p->a, ConstrDecl, v.len);
  for (int i = 0; i < v.len; i++) d->constrs[i] = *(ConstrDecl *)v.items[i];
}

/* LBRACE label_declaration (SEMI label_declaration)* [SEMI] RBRACE
 * label_declaration: [MUTABLE] LIDENT COLON core_type */
static void parse_record_decl(Parser *p, TypeDeclAst *d) {
  Loc open = p->tok.loc;
  p_expect(p, TOK_LBRACE);
  PtrVec v = {0};
  do {
    if (p_is(p, TOK_RBRACE) && v.len > 0) break;
    Loc start = p->tok.loc;
    FieldDecl *f = ARENA_NEW(p->a, FieldDecl);
    f->mutable_ = p_accept(p, TOK_MUTABLE);
    f->name = p_ident(p);
    p_expect(p, TOK_COLON);
    f->ty = parse_poly_type(p); /* `f : 'a. 'a -> 'a`: polymorphic */
    f->loc = loc_join(start, p_is(p, TOK_SEMI) ? p->tok.loc : p->last);
    ptrvec_push(p->a, &v, f);
  } while (p_accept(p, TOK_SEMI));
  /* No "'}' expected" here: OCaml's grammar has no error rule for it. */
  (void)open;
  p_expect(p, TOK_RBRACE);
  d->kind = TDK_RECORD;
  d->nfields = v.len;
  d->fields = ARENA_ARRAY(p->a, FieldDecl, v.len);
  for (int i = 0; i < v.len; i++) d->fields[i] = *(FieldDecl *)v.items[i];
}

/* type_kind: [PRIVATE] (constructor_declarations | record) */
static bool parse_type_repr(Parser *p, TypeDeclAst *d) {
  bool priv = p_is(p, TOK_PRIVATE);
  TokKind k = priv ? p_peek(p, 1)->kind : p->tok.kind;
  TokKind k1 = (priv ? p_peek(p, 2) : p_peek(p, 1))->kind;
  /* Constructors named [], (::), (), true and false, as the predefined
   * types' re-exports declare them (type 'a t = 'a list = [] | (::) …). */
  bool constr = k == TOK_BAR || k == TOK_LBRACE || (k == TOK_UIDENT && k1 != TOK_DOT && k1 != TOK_LPAREN) ||
                (k == TOK_LBRACKET && k1 == TOK_RBRACKET) ||
                (k == TOK_LPAREN && (k1 == TOK_COLONCOLON || k1 == TOK_RPAREN)) || k == TOK_TRUE ||
                k == TOK_FALSE;
  if (!constr) return false;
  if (priv) {
    p_next(p);
    d->private_ = true;
  }
  if (p_is(p, TOK_LBRACE)) parse_record_decl(p, d);
  else parse_variant(p, d);
  return true;
}

/* constraints: (CONSTRAINT core_type EQUAL core_type)* */
static void parse_type_constraints(Parser *p, TypeDeclAst *d) {
  PtrVec tys = {0};
  PtrVec locs = {0};
  while (p_accept(p, TOK_CONSTRAINT)) {
    Loc *l = ARENA_NEW(p->a, Loc);
    *l = p->tok.loc;
    ptrvec_push(p->a, &tys, parse_core_type(p));
    p_expect(p, TOK_EQUAL);
    ptrvec_push(p->a, &tys, parse_core_type(p));
    *l = loc_join(*l, p->last);
    ptrvec_push(p->a, &locs, l);
  }
  if (!locs.len) return;
  d->ncstrs = locs.len;
  d->cstrs = ARENA_ARRAY(p->a, TyExpr *, tys.len);
  d->cstr_locs = ARENA_ARRAY(p->a, Loc, locs.len);
  for (int i = 0; i < tys.len; i++) d->cstrs[i] = tys.items[i];
  for (int i = 0; i < locs.len; i++) d->cstr_locs[i] = *(Loc *)locs.items[i];
}

/* type_declaration: type_parameters LIDENT [EQUAL type_kind | EQUAL [PRIVATE] core_type
 *                   [EQUAL type_kind]] constraints */
static void parse_type_decl(Parser *p, TypeDeclAst *d, Loc start, bool subst_ok) {
  parse_type_params(p, d);
  if (p_is(p, TOK_UIDENT)) { /* type M.t += …: extensible types, unsupported */
    p_mod_path(p);
    p_expect(p, TOK_DOT);
    p_ident(p);
    p_error(p);
  }
  d->name = p_ident(p);
  d->kind = TDK_ABSTRACT;
  if (subst_ok && p_accept(p, TOK_COLONEQUAL)) {
    /* A signature's local substitution: type t := u. */
    d->destructive = true;
    d->manifest = parse_core_type(p);
  } else if (p_accept(p, TOK_EQUAL)) {
    if (!parse_type_repr(p, d)) {
      if (p_accept(p, TOK_PRIVATE)) d->private_ = true;
      d->manifest = parse_core_type(p);
      if (p_accept(p, TOK_EQUAL)) {
        if (!parse_type_repr(p, d)) p_error(p);
      }
    }
  }
  parse_type_constraints(p, d);
  d->loc = loc_join(start, p->last);
}

/* type_declarations: [NONREC] type_declaration (AND type_declaration)*; the
 * current token follows `type`. */
TypeDeclAst *parse_type_decls(Parser *p, int *n, bool subst_ok) {
  PtrVec v = {0};
  Loc start = p->last; /* the `type` keyword */
  bool nonrec = p_accept(p, TOK_NONREC);
  for (;;) {
    TypeDeclAst *d = ARENA_NEW(p->a, TypeDeclAst);
    parse_type_decl(p, d, start, subst_ok);
    d->nonrec = nonrec;
    ptrvec_push(p->a, &v, d);
    if (!p_is(p, TOK_AND)) break;
    start = p->tok.loc;
    p_next(p);
  }
  TypeDeclAst *ds = ARENA_ARRAY(p->a, TypeDeclAst, v.len);
  for (int i = 0; i < v.len; i++) ds[i] = *(TypeDeclAst *)v.items[i];
  *n = v.len;
  return ds;
}

/* with_constraint: TYPE type_parameters label_longident (EQUAL | COLONEQUAL)
 *                  [PRIVATE] core_type; the current token follows `type`. */
TypeDeclAst parse_type_decl_in_with(Parser *p) {
  TypeDeclAst d = {0};
  Loc start = p->last;
  parse_type_params(p, &d);
  Path path = parse_type_longident(p);
  if (path.nmods == 0) {
    d.name = path.name;
  } else {
    Buf b;
    buf_init(&b);
    for (int i = 0; i < path.nmods; i++) buf_printf(&b, "%s.", path.mods[i]);
    buf_puts(&b, path.name);
    d.name = arena_strdup(p->a, b.data);
    buf_free(&b);
  }
  if (!p_accept(p, TOK_EQUAL)) {
    p_expect(p, TOK_COLONEQUAL);
    d.destructive = true;
  }
  if (p_accept(p, TOK_PRIVATE)) d.private_ = true;
  d.manifest = parse_core_type(p);
  d.kind = TDK_ABSTRACT;
  d.loc = loc_join(start, p->last);
  return d;
}

/* exception_declaration: UIDENT [OF constructor_arguments] | UIDENT EQUAL constr_longident;
 * the current token follows `exception`. */
ExnDecl *parse_exn_decl(Parser *p) {
  ExnDecl *d = ARENA_NEW(p->a, ExnDecl);
  Loc start = p->tok.loc;
  if (!p_is(p, TOK_UIDENT)) p_error(p);
  d->name = p_tok_str(p, &p->tok);
  p_next(p);
  if (p_accept(p, TOK_OF)) {
    parse_constr_args(p, &d->args, &d->nargs);
  } else if (p_accept(p, TOK_EQUAL)) {
    Path path = p_mod_path(p);
    path.name = path.mods[--path.nmods];
    d->rebind = path;
  }
  d->loc = loc_join(start, p->last);
  return d;
}
