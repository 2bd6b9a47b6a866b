/* parse.c — the parser's core: the token stream with lookahead, syntax
 * errors in OCaml 4.13's words, the entry points (toplevel phrases, whole
 * files), structure items and the module language. Expressions, patterns
 * and types live in parse_expr.c, parse_pattern.c and parse_type.c. The
 * parser is recursive descent with precedence climbing; every node gets
 * the span OCaml's parser gives it, since error messages quote them.
 */
#include "parse.h"

#include <string.h>

#include "arena.h"

/* ---- Token stream ------------------------------------------------------- */

/* Skips an attribute's payload, up to the bracket closing the one just
 * read; stops at the end of the input (the phrase is then incomplete). */
static void skip_attribute(Parser *p, Token *t) {
  int depth = 1;
  while (depth > 0) {
    lex_next(&p->lx, t);
    switch (t->kind) {
    case TOK_EOF: return;
    case TOK_LBRACKET:
    case TOK_LBRACKETBAR:
    case TOK_LBRACKETLESS:
    case TOK_LBRACKETGREATER:
    case TOK_LBRACKETAT:
    case TOK_LBRACKETATAT:
    case TOK_LBRACKETATATAT:
    case TOK_LBRACKETPERCENT:
    case TOK_LBRACKETPERCENTPERCENT: depth++; break;
    case TOK_RBRACKET:
    case TOK_BARRBRACKET:
    case TOK_GREATERRBRACKET: depth--; break;
    default: break;
    }
  }
}

/* `[%name ...]`: natml runs no preprocessor, so, as OCaml does without
 * one, the extension is refused. */
static void refuse_extension(Parser *p, Token *t) {
  Token n;
  lex_next(&p->lx, &n);
  if (n.kind != TOK_LIDENT && n.kind != TOK_UIDENT) {
    *t = n;
    return;
  }
  Loc loc = n.loc;
  Buf b;
  buf_init(&b);
  buf_printf(&b, "%.*s", n.len, n.text);
  for (;;) {
    Token d;
    Lexer save = p->lx;
    lex_next(&p->lx, &d);
    if (d.kind != TOK_DOT) {
      p->lx = save;
      break;
    }
    lex_next(&p->lx, &n);
    buf_printf(&b, ".%.*s", n.len, n.text);
    loc = loc_join(loc, n.loc);
  }
  const char *msg = arena_printf(p->a, "Uninterpreted extension '%s'.", b.data);
  buf_free(&b);
  if (p->ctx) ctx_error(p->ctx, loc, msg);
  t->kind = TOK_EOF;
}

/* `[@@@warning "spec"]` (or ocaml.warning) just read as far as `[@@@`:
 * made one WARNATTR token carrying the spec; false (nothing read) when
 * it is another attribute. */
static bool warning_attribute(Parser *p, Token *t) {
  Lexer save = p->lx;
  Token a, b;
  lex_next(&p->lx, &a);
  if (a.kind == TOK_LIDENT && a.len == 5 && memcmp(a.text, "ocaml", 5) == 0) {
    lex_next(&p->lx, &b);
    if (b.kind == TOK_DOT) lex_next(&p->lx, &a);
    else a.kind = TOK_EOF;
  }
  if (a.kind == TOK_LIDENT && a.len == 7 && memcmp(a.text, "warning", 7) == 0) {
    Token s, close;
    lex_next(&p->lx, &s);
    lex_next(&p->lx, &close);
    if (s.kind == TOK_STRING && close.kind == TOK_RBRACKET) {
      Loc start = t->loc;
      *t = s;
      t->kind = TOK_WARNATTR;
      t->loc = loc_join(start, close.loc);
      return true;
    }
  }
  p->lx = save;
  return false;
}

static void fetch(Parser *p, Token *t) {
  for (;;) {
    lex_next(&p->lx, t);
    switch (t->kind) {
    case TOK_LBRACKETATATAT:
      if (warning_attribute(p, t)) return;
      /* fall through */
    case TOK_LBRACKETAT:
    case TOK_LBRACKETATAT:
      /* Attributes change nothing natml does: ignored, as OCaml ignores
       * the ones it does not know. */
      skip_attribute(p, t);
      if (t->kind == TOK_EOF) return;
      continue;
    case TOK_LBRACKETPERCENT:
    case TOK_LBRACKETPERCENTPERCENT: refuse_extension(p, t); return;
    default: return;
    }
  }
}

void p_next(Parser *p) {
  p->last = p->tok.loc;
  if (p->nla > 0) {
    p->tok = p->la[0];
    for (int i = 1; i < p->nla; i++) p->la[i - 1] = p->la[i];
    p->nla--;
  } else {
    fetch(p, &p->tok);
  }
}

const Token *p_peek(Parser *p, int k) {
  NML_ASSERT(k >= 1 && k <= 16);
  while (p->nla < k) fetch(p, &p->la[p->nla++]);
  return &p->la[k - 1];
}

bool p_is(const Parser *p, TokKind k) { return p->tok.kind == k; }

bool p_accept(Parser *p, TokKind k) {
  if (p->tok.kind != k) return false;
  p_next(p);
  return true;
}

void p_expect(Parser *p, TokKind k) {
  if (p->tok.kind != k) p_error(p);
  p_next(p);
}

/* In the toplevel's incremental mode an error at the end of the text only
 * means the phrase is not complete yet: unwind without a diagnostic. */
static void check_incomplete(Parser *p) {
  if (p->partial && p->tok.kind == TOK_EOF) {
    p->need_more = true;
    ctx_bail(p->ctx);
  }
}

void p_error_at(Parser *p, Loc loc) {
  check_incomplete(p);
  ctx_error(p->ctx, loc, "Syntax error");
}

void p_error(Parser *p) { p_error_at(p, p->tok.loc); }

void p_expecting(Parser *p, const char *what) {
  check_incomplete(p);
  ctx_errorf(p->ctx, p->tok.loc, "Syntax error: %s expected.", what);
}

void p_not_expecting(Parser *p, Loc loc, const char *what) {
  check_incomplete(p);
  ctx_errorf(p->ctx, loc, "Syntax error: %s not expected.", what);
}

static const char *closer_text(TokKind k) {
  switch (k) {
  case TOK_RPAREN: return ")";
  case TOK_RBRACKET: return "]";
  case TOK_BARRBRACKET: return "|]";
  case TOK_RBRACE: return "}";
  case TOK_END: return "end";
  default: NML_UNREACHABLE();
  }
}

void p_close(Parser *p, TokKind closer, Loc open_loc, const char *opener) {
  if (p_accept(p, closer)) return;
  check_incomplete(p);
  Diag *d = ctx_add_diag(p->ctx, DIAG_ERROR, p->tok.loc,
                         arena_printf(p->a, "Syntax error: '%s' expected", closer_text(closer)));
  d->has_extra = true;
  d->extra_loc = open_loc;
  d->extra_text = arena_printf(p->a, "This '%s' might be unmatched", opener);
  ctx_bail(p->ctx);
}

Loc loc_join(Loc a, Loc b) { return (Loc){a.line1, a.col1, b.line2, b.col2, a.off1, b.off2}; }

Loc loc_ghost_empty(Loc at) { return (Loc){at.line2, at.col2, at.line2, at.col2, at.off2, at.off2}; }

const char *p_tok_str(Parser *p, const Token *t) { return arena_strndup(p->a, t->text, (size_t)t->len); }

const char *p_ident(Parser *p) {
  if (!p_is(p, TOK_LIDENT)) p_error(p);
  const char *s = p_tok_str(p, &p->tok);
  p_next(p);
  return s;
}

const char *p_label_name(Parser *p) {
  if (!p_is(p, TOK_LABEL) && !p_is(p, TOK_OPTLABEL)) p_error(p);
  const char *s = arena_strndup(p->a, p->tok.text + 1, (size_t)p->tok.len - 2);
  p_next(p);
  return s;
}

Path p_modtype_path(Parser *p) {
  Loc start = p->tok.loc;
  Path path = {0};
  if (p_is(p, TOK_LIDENT)) { /* a module type named in lowercase */
    path.name = p_ident(p);
    path.loc = start;
    return path;
  }
  /* Through functor applications: F(X).S. */
  path = p_mod_ext_path(p);
  if (p_accept(p, TOK_DOT)) {
    if (!p_is(p, TOK_LIDENT) && !p_is(p, TOK_UIDENT)) p_error(p);
    path.name = p_tok_str(p, &p->tok);
    p_next(p);
  } else {
    path.name = path.mods[--path.nmods];
  }
  path.loc = loc_join(start, p->last);
  return path;
}

Path p_path_with_last(Parser *p, Path mods, const char *name, Loc end) {
  (void)p;
  Path r = mods;
  r.name = name;
  r.loc = mods.nmods ? loc_join(mods.loc, end) : end;
  return r;
}

/* mod_longident: UIDENT (DOT UIDENT)*, stopping before a DOT that is not
 * followed by an UIDENT. Returned with every component in mods (name NULL). */
Path p_mod_path(Parser *p) {
  Path path = {0};
  const char *buf[32];
  const char **mods = buf;
  int n = 0, cap = 32;
  if (!p_is(p, TOK_UIDENT)) p_error(p);
  Loc start = p->tok.loc;
  for (;;) {
    if (n == cap) {
      const char **nm = ARENA_ARRAY(p->a, const char *, cap * 2);
      memcpy(nm, mods, sizeof(char *) * (size_t)n);
      mods = nm;
      cap *= 2;
    }
    mods[n++] = p_tok_str(p, &p->tok);
    p_next(p);
    if (!(p_is(p, TOK_DOT) && p_peek(p, 1)->kind == TOK_UIDENT)) break;
    p_next(p);
  }
  path.mods = ARENA_ARRAY(p->a, const char *, n);
  memcpy(path.mods, mods, sizeof(char *) * (size_t)n);
  path.nmods = n;
  path.loc = loc_join(start, p->last);
  return path;
}

bool p_starts_operator(TokKind k) {
  switch (k) {
  case TOK_PREFIXOP:
  case TOK_INFIXOP0:
  case TOK_INFIXOP1:
  case TOK_INFIXOP2:
  case TOK_INFIXOP3:
  case TOK_INFIXOP4:
  case TOK_HASHOP:
  case TOK_AMPERAMPER:
  case TOK_AMPERSAND:
  case TOK_BANG:
  case TOK_BARBAR:
  case TOK_COLONEQUAL:
  case TOK_EQUAL:
  case TOK_GREATER:
  case TOK_LESS:
  case TOK_MINUS:
  case TOK_MINUSDOT:
  case TOK_PERCENT:
  case TOK_PLUS:
  case TOK_PLUSDOT:
  case TOK_PLUSEQ:
  case TOK_STAR:
  case TOK_OR:
  case TOK_MOD:
  case TOK_LAND:
  case TOK_LOR:
  case TOK_LXOR:
  case TOK_LSL:
  case TOK_LSR:
  case TOK_ASR: return true;
  default: return false;
  }
}

const char *p_operator_name(Parser *p) {
  if (!p_starts_operator(p->tok.kind)) return NULL;
  const char *s = p_tok_str(p, &p->tok);
  p_next(p);
  return s;
}

const char *p_paren_operator(Parser *p, bool (*starts)(TokKind)) {
  TokKind k = p->tok.kind;
  if (p_starts_operator(k)) {
    TokKind k1 = p_peek(p, 1)->kind;
    if (k1 == TOK_RPAREN) {
      const char *op = p_operator_name(p);
      p_next(p);
      return op;
    }
    if (starts(k) && starts(k1)) return NULL;
    /* LPAREN operator error: unclosed "(" (the caller's p_close reports it). */
    p_next(p);
    return "";
  }
  if (k == TOK_RPAREN || k == TOK_COLONCOLON || starts(k)) return NULL;
  p_expecting(p, "operator");
}

/* ---- Module expressions ---------------------------------------------------- */

static ModExpr *new_mod(Parser *p, ModExprKind k, Loc loc) {
  ModExpr *m = ARENA_NEW(p->a, ModExpr);
  m->kind = k;
  m->loc = loc;
  return m;
}

static ModType *new_mty(Parser *p, ModTypeKind k, Loc loc) {
  ModType *m = ARENA_NEW(p->a, ModType);
  m->kind = k;
  m->loc = loc;
  return m;
}

/* functor_arg: LPAREN UIDENT COLON module_type RPAREN | LPAREN RPAREN */
static void parse_functor_arg(Parser *p, const char **name, ModType **mty) {
  Loc open = p->tok.loc;
  p_expect(p, TOK_LPAREN);
  if (p_accept(p, TOK_RPAREN)) { /* generative functor: no parameter */
    *name = NULL;
    *mty = NULL;
    return;
  }
  if (p_is(p, TOK_UNDERSCORE)) {
    p_next(p);
    *name = "_";
  } else {
    if (!p_is(p, TOK_UIDENT)) p_error(p);
    *name = p_tok_str(p, &p->tok);
    p_next(p);
  }
  p_expect(p, TOK_COLON);
  *mty = parse_module_type(p);
  (void)open;
  p_expect(p, TOK_RPAREN); /* no "')' expected" rule in OCaml's grammar here */
}

/* functor_args: functor_arg+, into names (const char *, NULL for `()`)
 * and mtys (ModType *) side by side; returns how many. */
static int parse_functor_args(Parser *p, PtrVec *names, PtrVec *mtys, PtrVec *starts) {
  do {
    const char *name;
    ModType *mty;
    if (starts) {
      Loc *l = ARENA_NEW(p->a, Loc);
      *l = p->tok.loc;
      ptrvec_push(p->a, starts, l);
    }
    parse_functor_arg(p, &name, &mty);
    ptrvec_push(p->a, names, (void *)name);
    ptrvec_push(p->a, mtys, mty);
  } while (p_is(p, TOK_LPAREN));
  return names->len;
}

/* simple_module_expr: STRUCT structure END | mod_longident
 *                   | LPAREN module_expr [COLON module_type] RPAREN
 * followed by applications: module_expr LPAREN module_expr RPAREN */
static ModExpr *parse_simple_module_expr(Parser *p) {
  Loc start = p->tok.loc;
  ModExpr *m;
  if (p_accept(p, TOK_STRUCT)) {
    m = new_mod(p, MOD_STRUCT, start);
    m->items = parse_structure(p, &m->nitems, false);
    p_close(p, TOK_END, start, "struct");
    m->loc = loc_join(start, p->last);
  } else if (p_is(p, TOK_UIDENT)) {
    Path path = p_mod_path(p);
    m = new_mod(p, MOD_IDENT, path.loc);
    /* The whole path is in mods; name repeats the last component. */
    m->path = path;
    m->path.name = path.mods[path.nmods - 1];
    m->path.nmods--;
  } else if (p_accept(p, TOK_LPAREN)) {
    if (p_accept(p, TOK_VAL)) { /* (val e [: S]) */
      m = new_mod(p, MOD_UNPACK, start);
      m->unpacked = parse_expr(p, PREC_LESSMINUS);
      if (p_accept(p, TOK_COLON)) {
        Loc ps = p->tok.loc;
        m->pkg_type = parse_package_type(p, ps);
      }
      p_close(p, TOK_RPAREN, start, "(");
      m->loc = loc_join(start, p->last);
      goto applications;
    }
    ModExpr *inner = parse_module_expr(p);
    if (p_accept(p, TOK_COLON)) {
      ModType *mt = parse_module_type(p);
      p_close(p, TOK_RPAREN, start, "(");
      m = new_mod(p, MOD_CONSTRAINT, loc_join(start, p->last));
      m->fn = inner;
      m->mty = mt;
    } else {
      p_close(p, TOK_RPAREN, start, "(");
      m = inner;
      m->loc = loc_join(start, p->last);
    }
  } else {
    p_error(p);
  }
applications:
  while (p_is(p, TOK_LPAREN)) {
    Loc open = p->tok.loc;
    p_next(p);
    ModExpr *arg;
    if (p_is(p, TOK_RPAREN)) { /* F () : generative application */
      arg = new_mod(p, MOD_STRUCT, loc_join(open, p->tok.loc));
    } else {
      arg = parse_module_expr(p);
    }
    p_close(p, TOK_RPAREN, open, "(");
    ModExpr *app = new_mod(p, MOD_APPLY, loc_join(m->loc, p->last));
    app->fn = m;
    app->arg = arg;
    m = app;
  }
  return m;
}

/* module_expr: FUNCTOR functor_args MINUSGREATER module_expr | simple_module_expr */
ModExpr *parse_module_expr(Parser *p) {
  if (p_accept(p, TOK_FUNCTOR)) {
    PtrVec names = {0}, mtys = {0}, starts = {0};
    int n = parse_functor_args(p, &names, &mtys, &starts);
    p_expect(p, TOK_MINUSGREATER);
    ModExpr *body = parse_module_expr(p);
    /* As OCaml's parser: each functor starts at its parameter. */
    for (int i = n - 1; i >= 0; i--) {
      ModExpr *f = new_mod(p, MOD_FUNCTOR, loc_join(*(Loc *)starts.items[i], body->loc));
      f->param = names.items[i];
      f->param_type = mtys.items[i];
      f->body = body;
      body = f;
    }
    return body;
  }
  return parse_simple_module_expr(p);
}

/* ---- Module types ---------------------------------------------------------- */

static SigItem **parse_signature(Parser *p, int *n);

/* module_type: SIG signature END | mty_longident | LPAREN module_type RPAREN
 *            | FUNCTOR functor_args MINUSGREATER module_type
 *            | module_type WITH constraints */
ModType *parse_module_type(Parser *p) {
  Loc start = p->tok.loc;
  ModType *m;
  if (p_accept(p, TOK_SIG)) {
    m = new_mty(p, MTY_SIG, start);
    m->items = parse_signature(p, &m->nitems);
    p_close(p, TOK_END, start, "sig");
    m->loc = loc_join(start, p->last);
  } else if (p_accept(p, TOK_FUNCTOR)) {
    PtrVec names = {0}, mtys = {0};
    int n = parse_functor_args(p, &names, &mtys, NULL);
    p_expect(p, TOK_MINUSGREATER);
    ModType *body = parse_module_type(p);
    for (int i = n - 1; i >= 0; i--) {
      ModType *f = new_mty(p, MTY_FUNCTOR, loc_join(start, body->loc));
      f->param = names.items[i];
      f->param_type = mtys.items[i];
      f->body = body;
      body = f;
    }
    return body;
  } else if (p_is(p, TOK_UIDENT) || p_is(p, TOK_LIDENT)) {
    Path path = p_modtype_path(p);
    m = new_mty(p, MTY_IDENT, path.loc);
    m->path = path;
  } else if (p_is(p, TOK_MODULE) && p_peek(p, 1)->kind == TOK_TYPE) { /* module type of me */
    p_next(p);
    p_next(p);
    p_expect(p, TOK_OF);
    m = new_mty(p, MTY_TYPEOF, start);
    m->typeof_expr = parse_module_expr(p);
    m->loc = loc_join(start, p->last);
  } else if (p_accept(p, TOK_LPAREN)) {
    m = parse_module_type(p);
    p_close(p, TOK_RPAREN, start, "(");
    m->loc = loc_join(start, p->last);
  } else {
    p_error(p);
  }
  while (p_is(p, TOK_WITH)) {
    p_next(p);
    ModType *w = new_mty(p, MTY_WITH, start);
    w->base = m;
    PtrVec decls = {0};
    do {
      TypeDeclAst *d = ARENA_NEW(p->a, TypeDeclAst);
      if (p_is(p, TOK_MODULE) && p_peek(p, 1)->kind == TOK_TYPE) {
        /* MODULE TYPE mty_longident (EQUAL | COLONEQUAL) module_type */
        Loc ws = p->tok.loc;
        p_next(p);
        p_next(p);
        Buf b;
        buf_init(&b);
        while (p_is(p, TOK_UIDENT) && p_peek(p, 1)->kind == TOK_DOT) {
          buf_printf(&b, "%s.", p_tok_str(p, &p->tok));
          p_next(p);
          p_next(p);
        }
        if (!p_is(p, TOK_UIDENT) && !p_is(p, TOK_LIDENT)) p_error(p);
        buf_puts(&b, p_tok_str(p, &p->tok));
        p_next(p);
        d->name = arena_strdup(p->a, b.data);
        buf_free(&b);
        if (!p_accept(p, TOK_EQUAL)) {
          p_expect(p, TOK_COLONEQUAL);
          d->destructive = true;
        }
        d->with_modtype = true;
        d->with_mty = parse_module_type(p);
        d->loc = loc_join(ws, p->last);
      } else if (p_accept(p, TOK_MODULE)) {
        /* MODULE mod_longident (EQUAL | COLONEQUAL) mod_ext_longident */
        Loc ws = p->last;
        Path path = p_mod_path(p);
        Buf b;
        buf_init(&b);
        for (int i = 0; i < path.nmods; i++) buf_printf(&b, "%s%s", i ? "." : "", path.mods[i]);
        d->name = arena_strdup(p->a, b.data);
        buf_free(&b);
        if (!p_accept(p, TOK_EQUAL)) {
          p_expect(p, TOK_COLONEQUAL);
          d->destructive = true;
        }
        d->with_module = true;
        d->with_target = p_mod_path(p);
        /* As a module expression's path: name repeats the last component. */
        d->with_target.name = d->with_target.mods[--d->with_target.nmods];
        d->loc = loc_join(ws, p->last);
      } else {
        p_expect(p, TOK_TYPE);
        *d = parse_type_decl_in_with(p);
      }
      ptrvec_push(p->a, &decls, d);
    } while (p_accept(p, TOK_AND));
    w->nwith = decls.len;
    w->with_types = ARENA_ARRAY(p->a, TypeDeclAst, decls.len);
    for (int i = 0; i < decls.len; i++) w->with_types[i] = *(TypeDeclAst *)decls.items[i];
    w->loc = loc_join(start, p->last);
    m = w;
  }
  /* module_type MINUSGREATER module_type: a functor type whose parameter
   * has no name, right-associative, looser than `with`. */
  if (p_accept(p, TOK_MINUSGREATER)) {
    ModType *body = parse_module_type(p);
    ModType *f = new_mty(p, MTY_FUNCTOR, loc_join(start, body->loc));
    f->param = "_";
    f->param_type = m;
    f->body = body;
    return f;
  }
  return m;
}

/* val_decl: VAL val_ident COLON core_type
 *         | EXTERNAL val_ident COLON core_type EQUAL STRING+ */
static bool starts_nothing(TokKind k) {
  (void)k;
  return false;
}

static const char *parse_val_name(Parser *p) {
  if (p_is(p, TOK_LIDENT)) return p_ident(p);
  if (p_is(p, TOK_LPAREN)) {
    Loc open = p->tok.loc;
    p_next(p);
    const char *op = p_paren_operator(p, starts_nothing);
    if (!op) p_error(p);
    if (!*op) p_close(p, TOK_RPAREN, open, "(");
    return op;
  }
  p_error(p);
}

static void parse_prims(Parser *p, const char ***prims, int *nprims) {
  p_expect(p, TOK_EQUAL);
  PtrVec v = {0};
  if (!p_is(p, TOK_STRING)) p_error(p);
  while (p_is(p, TOK_STRING)) {
    ptrvec_push(p->a, &v, (void *)p->tok.str);
    p_next(p);
  }
  *prims = (const char **)v.items;
  *nprims = v.len;
}

/* module_declaration_body: COLON module_type | functor_arg module_declaration_body */
static ModType *parse_module_decl_body(Parser *p, Loc start) {
  if (p_is(p, TOK_LPAREN)) {
    const char *name;
    ModType *arg;
    parse_functor_arg(p, &name, &arg);
    ModType *body = parse_module_decl_body(p, start);
    ModType *f = new_mty(p, MTY_FUNCTOR, loc_join(start, body->loc));
    f->param = name;
    f->param_type = arg;
    f->body = body;
    return f;
  }
  p_expect(p, TOK_COLON);
  return parse_module_type(p);
}

/* rec_module_bindings: UIDENT module_binding_body (AND UIDENT module_binding_body)*
 * in a structure, UIDENT module_declaration_body (AND …)* in a signature;
 * the current token follows `module rec`. A structure's binding needs a
 * module type (Typemod's "Recursive modules require an explicit module
 * type."). */
static RecModule *parse_rec_modules(Parser *p, Loc start, bool structure, int *n) {
  PtrVec v = {0};
  for (;;) {
    RecModule *r = ARENA_NEW(p->a, RecModule);
    if (!p_is(p, TOK_UIDENT) && !p_is(p, TOK_UNDERSCORE)) p_error(p);
    r->name = p_is(p, TOK_UNDERSCORE) ? "_" : p_tok_str(p, &p->tok);
    p_next(p);
    if (structure) {
      ModExpr *me = parse_module_binding_body(p, start);
      if (me->kind != MOD_CONSTRAINT) {
        Diag *d =
            ctx_add_diag(p->ctx, DIAG_ERROR, me->loc, "Recursive modules require an explicit module type.");
        (void)d;
        ctx_bail(p->ctx);
      }
      r->mty = me->mty;
      r->mexpr = me->fn;
    } else {
      r->mty = parse_module_decl_body(p, start);
    }
    r->loc = loc_join(start, p->last);
    ptrvec_push(p->a, &v, r);
    if (!p_is(p, TOK_AND)) break;
    start = p->tok.loc;
    p_next(p);
  }
  RecModule *rs = ARENA_ARRAY(p->a, RecModule, v.len);
  for (int i = 0; i < v.len; i++) rs[i] = *(RecModule *)v.items[i];
  *n = v.len;
  return rs;
}

/* signature_item: VAL … | EXTERNAL … | TYPE … | EXCEPTION … | MODULE …
 *               | MODULE TYPE … | OPEN … | INCLUDE … */
static SigItem *parse_sig_item(Parser *p) {
  Loc start = p->tok.loc;
  SigItem *s = ARENA_NEW(p->a, SigItem);
  switch (p->tok.kind) {
  case TOK_VAL:
  case TOK_EXTERNAL: {
    bool ext = p->tok.kind == TOK_EXTERNAL;
    p_next(p);
    s->kind = SIG_VALUE;
    s->name = parse_val_name(p);
    p_expect(p, TOK_COLON);
    s->ty = parse_core_type(p);
    if (ext) parse_prims(p, &s->prims, &s->nprims);
    break;
  }
  case TOK_TYPE:
    p_next(p);
    s->kind = SIG_TYPE;
    s->types = parse_type_decls(p, &s->ntypes, true);
    break;
  case TOK_EXCEPTION:
    p_next(p);
    s->kind = SIG_EXCEPTION;
    s->exn = parse_exn_decl(p);
    break;
  case TOK_MODULE:
    p_next(p);
    if (p_accept(p, TOK_REC)) {
      s->kind = SIG_RECMODULE;
      s->recs = parse_rec_modules(p, start, false, &s->nrecs);
    } else if (p_accept(p, TOK_TYPE)) {
      s->kind = SIG_MODTYPE;
      if (!p_is(p, TOK_UIDENT) && !p_is(p, TOK_LIDENT)) p_error(p);
      s->name = p_tok_str(p, &p->tok);
      p_next(p);
      if (p_accept(p, TOK_EQUAL)) s->mty = parse_module_type(p);
      else if (p_accept(p, TOK_COLONEQUAL)) { /* a local substitution */ s->mty = parse_module_type(p);
        s->subst = true;
      }
    } else {
      s->kind = SIG_MODULE;
      if (!p_is(p, TOK_UIDENT) && !p_is(p, TOK_UNDERSCORE)) p_error(p);
      s->name = p_is(p, TOK_UNDERSCORE) ? "_" : p_tok_str(p, &p->tok);
      s->name_loc = p->tok.loc;
      p_next(p);
      if (p_accept(p, TOK_COLONEQUAL)) { /* module N := P: a local substitution */
        s->path = p_mod_ext_path(p);
        s->subst = true;
        break;
      }
      if (p_accept(p, TOK_EQUAL)) { /* module N = M: an alias */
        Path path = p_mod_path(p);
        s->path = path;
        s->path.name = path.mods[--s->path.nmods];
        s->alias = true;
        break;
      }
      s->mty = parse_module_decl_body(p, start);
    }
    break;
  case TOK_OPEN: {
    p_next(p);
    s->kind = SIG_OPEN;
    /* open F(X): through applications, every component in mods. */
    Path path = p_mod_ext_path(p);
    s->path = path;
    if (!path.apps) s->path.name = path.mods[--s->path.nmods];
    break;
  }
  case TOK_INCLUDE:
    p_next(p);
    s->kind = SIG_INCLUDE;
    s->mty = parse_module_type(p);
    break;
  default: p_error(p);
  }
  s->loc = loc_join(start, p->last);
  return s;
}

/* signature: (signature_item | SEMISEMI)* */
static SigItem **parse_signature(Parser *p, int *n) {
  PtrVec v = {0};
  for (;;) {
    /* A signature's warning attributes change nothing natml checks. */
    if (p_accept(p, TOK_SEMISEMI) || p_accept(p, TOK_WARNATTR)) continue;
    switch (p->tok.kind) {
    case TOK_VAL:
    case TOK_EXTERNAL:
    case TOK_TYPE:
    case TOK_EXCEPTION:
    case TOK_MODULE:
    case TOK_OPEN:
    case TOK_INCLUDE: ptrvec_push(p->a, &v, parse_sig_item(p)); break;
    default: *n = v.len; return (SigItem **)v.items;
    }
  }
}

/* ---- Structure items ------------------------------------------------------- */

static Item *new_item(Parser *p, ItemKind k, Loc start) {
  Item *it = ARENA_NEW(p->a, Item);
  it->kind = k;
  it->loc = start;
  return it;
}

/* module_binding_body: EQUAL module_expr | COLON module_type EQUAL module_expr
 *                    | functor_arg module_binding_body */
ModExpr *parse_module_binding_body(Parser *p, Loc start) {
  if (p_is(p, TOK_LPAREN)) {
    const char *name;
    ModType *arg;
    parse_functor_arg(p, &name, &arg);
    ModExpr *body = parse_module_binding_body(p, start);
    ModExpr *f = new_mod(p, MOD_FUNCTOR, loc_join(start, body->loc));
    f->param = name;
    f->param_type = arg;
    f->body = body;
    return f;
  }
  if (p_accept(p, TOK_COLON)) {
    ModType *mt = parse_module_type(p);
    p_expect(p, TOK_EQUAL);
    ModExpr *me = parse_module_expr(p);
    ModExpr *c = new_mod(p, MOD_CONSTRAINT, loc_join(start, me->loc));
    c->fn = me;
    c->mty = mt;
    return c;
  }
  p_expect(p, TOK_EQUAL);
  return parse_module_expr(p);
}

/* toplevel_directive: HASH ident [STRING | INT | mod_longident | val_longident
 *                                 | LPAREN operator RPAREN | TRUE | FALSE] */
static Item *parse_directive(Parser *p) {
  Loc start = p->tok.loc;
  p_expect(p, TOK_HASH);
  Item *it = new_item(p, ITEM_DIRECTIVE, start);
  if (!p_is(p, TOK_LIDENT) && !p_is(p, TOK_UIDENT) && p->tok.kind < TOK_AND) p_error(p);
  it->name = p_tok_str(p, &p->tok);
  p_next(p);
  switch (p->tok.kind) {
  case TOK_STRING:
    it->dir_arg = p->tok.str;
    it->dir_has_arg = true;
    it->dir_kind = DIR_ARG_STRING;
    p_next(p);
    break;
  case TOK_INT:
  case TOK_LIDENT:
  case TOK_TRUE:
  case TOK_FALSE:
    it->dir_arg = p_tok_str(p, &p->tok);
    it->dir_has_arg = true;
    it->dir_kind = p->tok.kind == TOK_INT      ? DIR_ARG_INT
                   : p->tok.kind == TOK_LIDENT ? DIR_ARG_IDENT
                                               : DIR_ARG_BOOL;
    p_next(p);
    break;
  case TOK_LPAREN:
    /* An operator, kept as OCaml prints it: "( + )". */
    if (p_starts_operator(p_peek(p, 1)->kind) && p_peek(p, 2)->kind == TOK_RPAREN) {
      p_next(p);
      it->dir_arg = arena_printf(p->a, "( %s )", p_operator_name(p));
      it->dir_has_arg = true;
      it->dir_kind = DIR_ARG_IDENT;
      p_next(p);
    }
    break;
  case TOK_UIDENT: {
    Loc s = p->tok.loc;
    Path path = p_mod_path(p);
    if (p_is(p, TOK_DOT)) {
      p_next(p);
      if (!p_is(p, TOK_LIDENT)) p_error(p);
      p_next(p);
    }
    (void)path;
    it->dir_arg = arena_strndup(p->a, p->ctx->src + s.off1, (size_t)(p->last.off2 - s.off1));
    it->dir_has_arg = true;
    it->dir_kind = DIR_ARG_IDENT;
    break;
  }
  default: break;
  }
  it->loc = loc_join(start, p->last);
  return it;
}

/* structure_item: LET ext rec let_bindings | TYPE … | EXCEPTION … | EXTERNAL …
 *   | OPEN mod_longident | MODULE UIDENT module_binding_body
 *   | MODULE TYPE ident EQUAL module_type | INCLUDE module_expr
 * Returns NULL when the current token cannot start an item. When a `let`
 * turns out to be an expression (`let … in`), *let_expr gets its bindings
 * and the caller decides whether an expression may stand there. */
static Item *parse_structure_item(Parser *p, bool expr_ok) {
  Loc start = p->tok.loc;
  Item *it;
  switch (p->tok.kind) {
  case TOK_LET: {
    const Token *nx = p_peek(p, 1);
    if (nx->kind == TOK_OPEN || nx->kind == TOK_EXCEPTION || nx->kind == TOK_MODULE) {
      if (!expr_ok) p_error_at(p, nx->loc); /* not an item */
      return NULL;
    }
    it = new_item(p, ITEM_VALUE, start);
    it->binds = parse_let_bindings(p, &it->nbinds, &it->rec);
    if (p_is(p, TOK_IN)) {
      if (!expr_ok) p_error(p);
      /* `let … in e` at the start: an expression item. */
      p_next(p);
      Expr *body = parse_seq_expr(p);
      Expr *e = ARENA_NEW(p->a, Expr);
      e->kind = EXP_LET;
      e->loc = loc_join(start, body->loc);
      e->binds = it->binds;
      e->nbinds = it->nbinds;
      e->rec = it->rec;
      e->a = body;
      it->kind = ITEM_EVAL;
      it->binds = NULL;
      it->nbinds = 0;
      it->rec = false;
      it->expr = e;
      it->loc = e->loc;
      return it;
    }
    break;
  }
  case TOK_TYPE:
    p_next(p);
    it = new_item(p, ITEM_TYPE, start);
    it->types = parse_type_decls(p, &it->ntypes, false);
    break;
  case TOK_EXCEPTION:
    p_next(p);
    it = new_item(p, ITEM_EXCEPTION, start);
    it->exn = parse_exn_decl(p);
    break;
  case TOK_EXTERNAL:
    p_next(p);
    it = new_item(p, ITEM_EXTERNAL, start);
    it->name = parse_val_name(p);
    p_expect(p, TOK_COLON);
    it->ty = parse_core_type(p);
    parse_prims(p, &it->prims, &it->nprims);
    break;
  case TOK_OPEN: {
    p_next(p);
    p_accept(p, TOK_BANG);
    ModExpr *me = parse_module_expr(p);
    if (me->kind == MOD_IDENT) {
      it = new_item(p, ITEM_OPEN, start);
      it->path = me->path;
      break;
    }
    /* open struct ... end, open F(X): typed, run and printed as an
     * include, but not part of the enclosing signature. */
    it = new_item(p, ITEM_INCLUDE, start);
    it->mexpr = me;
    it->is_open = true;
    break;
  }
  case TOK_MODULE:
    p_next(p);
    if (p_accept(p, TOK_REC)) {
      it = new_item(p, ITEM_RECMODULE, start);
      it->recs = parse_rec_modules(p, start, true, &it->nrecs);
    } else if (p_accept(p, TOK_TYPE)) {
      it = new_item(p, ITEM_MODTYPE, start);
      if (!p_is(p, TOK_UIDENT) && !p_is(p, TOK_LIDENT)) p_error(p);
      it->name = p_tok_str(p, &p->tok);
      p_next(p);
      if (p_accept(p, TOK_EQUAL)) it->mty = parse_module_type(p);
    } else {
      it = new_item(p, ITEM_MODULE, start);
      if (p_is(p, TOK_UIDENT)) {
        it->name = p_tok_str(p, &p->tok);
      } else if (p_is(p, TOK_UNDERSCORE)) {
        it->name = "_";
      } else {
        p_error(p);
      }
      p_next(p);
      it->mexpr = parse_module_binding_body(p, start);
    }
    break;
  case TOK_INCLUDE:
    p_next(p);
    it = new_item(p, ITEM_INCLUDE, start);
    it->mexpr = parse_module_expr(p);
    break;
  case TOK_WARNATTR:
    it = new_item(p, ITEM_WARNING, start);
    it->name = arena_strndup(p->a, p->tok.str, (size_t)p->tok.slen);
    p_next(p);
    break;
  case TOK_VAL:
    /* OCaml parses `val x : t` here only to reject it. */
    p_next(p);
    parse_val_name(p);
    p_expect(p, TOK_COLON);
    parse_core_type(p);
    ctx_error(p->ctx, loc_join(start, p->last), "Value declarations are only allowed in signatures");
  default: return NULL;
  }
  it->loc = loc_join(start, p->last);
  return it;
}

static Item *eval_item(Parser *p) {
  Expr *e = parse_seq_expr(p);
  Item *it = new_item(p, ITEM_EVAL, e->loc);
  it->expr = e;
  return it;
}

/* structure: [seq_expr] structure_tail
 * structure_tail: SEMISEMI [seq_expr] structure_tail | structure_item structure_tail
 * In a file (top_file), directives may stand where items do. Stops at the
 * first token that can start neither (END, EOF) and leaves it. */
Item **parse_structure(Parser *p, int *n, bool top_file) {
  PtrVec v = {0};
  bool expr_ok = true;
  for (;;) {
    if (p_accept(p, TOK_SEMISEMI)) {
      expr_ok = true;
      continue;
    }
    if (top_file && p_is(p, TOK_HASH)) {
      ptrvec_push(p->a, &v, parse_directive(p));
      expr_ok = false;
      continue;
    }
    Item *it = parse_structure_item(p, expr_ok);
    if (!it && expr_ok && p_starts_expr(p->tok.kind)) it = eval_item(p);
    if (!it) break;
    ptrvec_push(p->a, &v, it);
    expr_ok = false;
  }
  *n = v.len;
  return (Item **)v.items;
}

/* ---- Entry points ------------------------------------------------------------ */

static void parser_init(Parser *p, Ctx *ctx) {
  memset(p, 0, sizeof *p);
  p->ctx = ctx;
  p->a = ctx->arena;
  lex_init(&p->lx, ctx, ctx->src, ctx->srclen);
}

/* Integer literals out of range are reported once the phrase parsed (the
 * real toplevel reports them when typing the phrase). */
static void check_overflow(Parser *p) {
  if (p->lit_error) ctx_error(p->ctx, p->lit_error_loc, p->lit_error);
}

/* toplevel_phrase: seq_expr SEMISEMI | structure_item* SEMISEMI
 *                | toplevel_directive SEMISEMI | EOF */
static Item **phrase(Parser *p, int *nitems, int *end) {
  p_next(p);
  *nitems = 0;
  *end = p->ctx->srclen;
  if (p_is(p, TOK_EOF)) {
    /* Only blanks and comments so far: OCaml's phrase goes on over them,
     * and its lines count in the phrase's locations. */
    check_incomplete(p);
    return NULL;
  }
  PtrVec v = {0};
  if (p_is(p, TOK_HASH)) {
    ptrvec_push(p->a, &v, parse_directive(p));
  } else {
    Item *it = parse_structure_item(p, true);
    if (it) {
      ptrvec_push(p->a, &v, it);
      if (it->kind != ITEM_EVAL) {
        while ((it = parse_structure_item(p, false))) ptrvec_push(p->a, &v, it);
      }
    } else if (p_starts_expr(p->tok.kind)) {
      ptrvec_push(p->a, &v, eval_item(p));
    }
  }
  if (!p_is(p, TOK_SEMISEMI)) p_error(p);
  *end = p->tok.loc.off2;
  check_overflow(p);
  *nitems = v.len;
  return (Item **)v.items;
}

Item **parse_phrase(Ctx *ctx, int *nitems) {
  Parser p;
  parser_init(&p, ctx);
  p.toplevel = true;
  int end;
  return phrase(&p, nitems, &end);
}

/* A phrase parsed under ctx_protect. */
typedef struct Partial {
  Parser *p;
  Item **items;
  int nitems, end;
} Partial;

static void partial_phrase(Ctx *ctx, void *arg) {
  (void)ctx;
  Partial *pp = arg;
  pp->items = phrase(pp->p, &pp->nitems, &pp->end);
}

PhraseStatus parse_phrase_partial(Ctx *ctx, bool at_eof, Item ***items, int *nitems, int *end) {
  Parser p;
  parser_init(&p, ctx);
  p.toplevel = true;
  if (at_eof) {
    *items = phrase(&p, nitems, end);
    return PHRASE_OK;
  }
  p.partial = true;
  p.lx.partial = true;
  Diag **tail = ctx->diags_tail;
  Partial pp = {&p, NULL, 0, 0};
  if (ctx_protect(ctx, partial_phrase, &pp)) {
    *items = pp.items;
    *nitems = pp.nitems;
    *end = pp.end;
    return PHRASE_OK;
  }
  /* A syntax error before the end goes on to the caller's boundary. */
  if (!p.need_more && !p.lx.hit_eof) ctx_bail(ctx);
  /* Drop warnings the lexer recorded on this attempt. */
  *tail = NULL;
  ctx->diags_tail = tail;
  *items = NULL;
  *nitems = 0;
  return PHRASE_INCOMPLETE;
}

Item **parse_implementation(Ctx *ctx, int *nitems) {
  Parser p;
  parser_init(&p, ctx);
  /* A first line `#!…` is skipped (shebang scripts). */
  if (ctx->srclen >= 2 && ctx->src[0] == '#' && ctx->src[1] == '!') {
    while (p.lx.pos < p.lx.len && p.lx.src[p.lx.pos] != '\n') p.lx.pos++;
  }
  p_next(&p);
  Item **items = parse_structure(&p, nitems, true);
  if (!p_is(&p, TOK_EOF)) p_error(&p);
  check_overflow(&p);
  return items;
}
