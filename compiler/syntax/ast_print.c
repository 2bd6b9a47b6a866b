/* ast_print.c — a readable dump of the parser's output for -dparse and the
 * parser's golden tests: one node per line, indented by depth, each with its
 * location as line:col-line:col. It prints the AST as parse.c built it
 * (sugar already removed), not typer annotations.
 */
#include <stdio.h>
#include <string.h>

#include "parse.h"

static void indent(Buf *b, int d) {
  for (int i = 0; i < d; i++) buf_puts(b, "  ");
}

static void put_loc(Buf *b, Loc l) { buf_printf(b, " (%d:%d-%d:%d)", l.line1, l.col1, l.line2, l.col2); }

static void put_path(Buf *b, const Path *p) {
  for (int i = 0; i < p->nmods; i++) buf_printf(b, "%s.", p->mods[i]);
  buf_puts(b, p->name ? p->name : "?");
}

static void put_string(Buf *b, const char *s, int n) {
  buf_putc(b, '"');
  for (int i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') buf_printf(b, "\\%c", c);
    else if (c == '\n') buf_puts(b, "\\n");
    else if (c < 32 || c >= 127) buf_printf(b, "\\%03d", c);
    else buf_putc(b, (char)c);
  }
  buf_putc(b, '"');
}

static void put_const(Buf *b, const Const *c) {
  switch (c->kind) {
  case CONST_INT: buf_printf(b, "%lld", (long long)c->i); break;
  case CONST_CHAR: buf_printf(b, "'\\%03d'", (int)c->i); break;
  case CONST_STRING: put_string(b, c->s, c->slen); break;
  case CONST_FLOAT: buf_printf(b, "%s", c->s); break;
  }
}

/* ---- Types ----------------------------------------------------------------- */

static void ty(Buf *b, const TyExpr *t) {
  switch (t->kind) {
  case TE_VAR: buf_printf(b, "'%s", t->var); break;
  case TE_VARIANT:
    buf_puts(b, t->row_kind == ROW_OPEN ? "[>" : t->row_kind == ROW_CLOSED ? "[<" : "[");
    for (int i = 0; i < t->nrfields; i++) {
      buf_puts(b, i ? " | " : " ");
      if (t->rfields[i].tag) buf_printf(b, "`%s", t->rfields[i].tag);
      else ty(b, t->rfields[i].inherit);
      for (int k = 0; k < t->rfields[i].nargs; k++) {
        buf_puts(b, k ? " & " : " of ");
        ty(b, t->rfields[i].args[k]);
      }
    }
    buf_puts(b, " ]");
    break;
  case TE_ANY: buf_puts(b, "_"); break;
  case TE_POLY:
    for (int i = 0; i < t->npoly; i++) buf_printf(b, "'%s ", t->poly_vars[i]);
    buf_puts(b, ". ");
    ty(b, t->a);
    break;
  case TE_ALIAS:
    buf_puts(b, "(");
    ty(b, t->a);
    buf_printf(b, " as '%s)", t->var);
    break;
  case TE_ARROW:
    buf_puts(b, "(");
    ty(b, t->a);
    buf_puts(b, " -> ");
    ty(b, t->b);
    buf_puts(b, ")");
    break;
  case TE_TUPLE:
    buf_puts(b, "(");
    for (int i = 0; i < t->nitems; i++) {
      if (i) buf_puts(b, " * ");
      ty(b, t->items[i]);
    }
    buf_puts(b, ")");
    break;
  case TE_CONSTR:
    if (t->nitems) {
      buf_puts(b, "(");
      for (int i = 0; i < t->nitems; i++) {
        if (i) buf_puts(b, ", ");
        ty(b, t->items[i]);
      }
      buf_puts(b, ") ");
    }
    put_path(b, &t->path);
    break;
  case TE_PACKAGE:
    buf_puts(b, "(module ");
    put_path(b, &t->path);
    for (int i = 0; i < t->nitems; i++) {
      buf_printf(b, " %s type %s = ", i ? "and" : "with", t->pkg_names[i]);
      ty(b, t->items[i]);
    }
    buf_puts(b, ")");
    break;
  }
}

void ast_print_type(Buf *out, const TyExpr *t) { ty(out, t); }

/* ---- Patterns --------------------------------------------------------------- */

static void pat(Buf *b, const Pattern *p, int d);

static void pat_kids(Buf *b, Pattern **ps, int n, int d) {
  for (int i = 0; i < n; i++) pat(b, ps[i], d);
}

static void pat(Buf *b, const Pattern *p, int d) {
  indent(b, d);
  switch (p->kind) {
  case PAT_ANY: buf_puts(b, "Pany"); break;
  case PAT_VAR: buf_printf(b, "Pvar %s", p->name); break;
  case PAT_VARIANT: buf_printf(b, "Pvariant `%s", p->name); break;
  case PAT_TYPE: buf_printf(b, "Ptype #%s", p->constr.name); break;
  case PAT_UNPACK: buf_printf(b, "Punpack %s", p->name); break;
  case PAT_ALIAS: buf_printf(b, "Palias %s", p->name); break;
  case PAT_CONST:
    buf_puts(b, "Pconst ");
    put_const(b, &p->cst);
    break;
  case PAT_RANGE:
    buf_puts(b, "Prange ");
    put_const(b, &p->cst);
    buf_puts(b, "..");
    put_const(b, &p->cst2);
    break;
  case PAT_TUPLE: buf_puts(b, "Ptuple"); break;
  case PAT_CONSTRUCT:
    buf_puts(b, "Pconstruct ");
    put_path(b, &p->constr);
    break;
  case PAT_RECORD: buf_printf(b, "Precord%s", p->open ? " open" : ""); break;
  case PAT_ARRAY: buf_puts(b, "Parray"); break;
  case PAT_OR: buf_puts(b, "Por"); break;
  case PAT_CONSTRAINT:
    buf_puts(b, "Pconstraint ");
    ty(b, p->tyexpr);
    break;
  case PAT_EXCEPTION: buf_puts(b, "Pexception"); break;
  case PAT_OPEN:
    buf_puts(b, "Popen ");
    put_path(b, &p->constr);
    break;
  }
  put_loc(b, p->loc);
  buf_putc(b, '\n');
  switch (p->kind) {
  case PAT_ALIAS:
  case PAT_CONSTRAINT:
  case PAT_OPEN:
  case PAT_EXCEPTION: pat(b, p->arg, d + 1); break;
  case PAT_CONSTRUCT:
  case PAT_VARIANT:
    if (p->arg) pat(b, p->arg, d + 1);
    break;
  case PAT_OR:
    pat(b, p->arg, d + 1);
    pat(b, p->arg2, d + 1);
    break;
  case PAT_TUPLE:
  case PAT_ARRAY: pat_kids(b, p->items, p->nitems, d + 1); break;
  case PAT_RECORD:
    for (int i = 0; i < p->nfields; i++) {
      indent(b, d + 1);
      put_path(b, &p->fields[i].field);
      buf_puts(b, " =\n");
      pat(b, p->fields[i].pat, d + 2);
    }
    break;
  default: break;
  }
}

void ast_print_pattern(Buf *out, const Pattern *p) { pat(out, p, 0); }

/* ---- Expressions ------------------------------------------------------------ */

static void expr(Buf *b, const Expr *e, int d);
static void modexpr(Buf *b, const ModExpr *m, int d);

static void cases(Buf *b, const Case *cs, int n, int d) {
  for (int i = 0; i < n; i++) {
    indent(b, d);
    buf_puts(b, "case\n");
    pat(b, cs[i].pat, d + 1);
    if (cs[i].guard) {
      indent(b, d + 1);
      buf_puts(b, "when\n");
      expr(b, cs[i].guard, d + 2);
    }
    expr(b, cs[i].body, d + 1);
  }
}

static void bindings(Buf *b, const Binding *bs, int n, int d) {
  for (int i = 0; i < n; i++) {
    indent(b, d);
    buf_puts(b, "binding");
    put_loc(b, bs[i].loc);
    buf_putc(b, '\n');
    pat(b, bs[i].pat, d + 1);
    expr(b, bs[i].expr, d + 1);
  }
}

static void exn_decl(Buf *b, const ExnDecl *x) {
  buf_printf(b, "%s", x->name);
  if (x->nargs) {
    buf_puts(b, " of ");
    for (int i = 0; i < x->nargs; i++) {
      if (i) buf_puts(b, " * ");
      ty(b, x->args[i]);
    }
  }
  if (x->rebind.name) {
    buf_puts(b, " = ");
    put_path(b, &x->rebind);
  }
}

/* By kind, so that the table follows ExprKind whatever its order. */
static const char *const expr_names[] = {
    [EXP_CONST] = "Pconst",
    [EXP_IDENT] = "Pident",
    [EXP_CONSTRUCT] = "Pconstruct",
    [EXP_APPLY] = "Papply",
    [EXP_FUN] = "Pfun",
    [EXP_FUNCTION] = "Pfunction",
    [EXP_LET] = "Plet",
    [EXP_MATCH] = "Pmatch",
    [EXP_TRY] = "Ptry",
    [EXP_TUPLE] = "Ptuple",
    [EXP_IF] = "Pif",
    [EXP_SEQ] = "Pseq",
    [EXP_WHILE] = "Pwhile",
    [EXP_FOR] = "Pfor",
    [EXP_RECORD] = "Precord",
    [EXP_FIELD] = "Pfield",
    [EXP_SETFIELD] = "Psetfield",
    [EXP_ARRAY] = "Parray",
    [EXP_CONSTRAINT] = "Pconstraint",
    [EXP_ASSERT] = "Passert",
    [EXP_UNREACHABLE] = "Punreachable",
    [EXP_LETOPEN] = "Pletopen",
    [EXP_LETEXN] = "Pletexception",
    [EXP_LETMODULE] = "Pletmodule",
    [EXP_NEWTYPE] = "Pnewtype",
    [EXP_VARIANT] = "Pvariant",
    [EXP_COERCE] = "Pcoerce",
    [EXP_PACK] = "Ppack",
};

static void expr(Buf *b, const Expr *e, int d) {
  indent(b, d);
  buf_puts(b, expr_names[e->kind]);
  switch (e->kind) {
  case EXP_CONST:
    buf_putc(b, ' ');
    put_const(b, &e->cst);
    break;
  case EXP_IDENT:
  case EXP_CONSTRUCT:
  case EXP_FIELD:
  case EXP_SETFIELD:
  case EXP_LETOPEN:
    buf_putc(b, ' ');
    put_path(b, &e->path);
    break;
  case EXP_LET:
    if (e->rec) buf_puts(b, " rec");
    break;
  case EXP_FOR: buf_printf(b, " %s %s", e->var ? e->var : "_", e->downto ? "downto" : "to"); break;
  case EXP_CONSTRAINT:
    buf_putc(b, ' ');
    ty(b, e->tyexpr);
    break;
  case EXP_VARIANT: buf_printf(b, " `%s", e->var); break;
  case EXP_COERCE:
    if (e->tyexpr2) {
      buf_putc(b, ' ');
      ty(b, e->tyexpr2);
    }
    buf_puts(b, " :> ");
    ty(b, e->tyexpr);
    break;
  case EXP_LETEXN:
    buf_putc(b, ' ');
    exn_decl(b, e->exn);
    break;
  case EXP_LETMODULE:
  case EXP_NEWTYPE: buf_printf(b, " %s", e->var); break;
  default: break;
  }
  put_loc(b, e->loc);
  buf_putc(b, '\n');
  switch (e->kind) {
  case EXP_APPLY:
    expr(b, e->a, d + 1);
    for (int i = 0; i < e->nargs; i++) expr(b, e->args[i], d + 1);
    break;
  case EXP_TUPLE:
  case EXP_ARRAY:
    for (int i = 0; i < e->nargs; i++) expr(b, e->args[i], d + 1);
    break;
  case EXP_FUN:
    for (int i = 0; i < e->nparams; i++) pat(b, e->params[i], d + 1);
    expr(b, e->a, d + 1);
    break;
  case EXP_FUNCTION: cases(b, e->cases, e->ncases, d + 1); break;
  case EXP_MATCH:
  case EXP_TRY:
    expr(b, e->a, d + 1);
    cases(b, e->cases, e->ncases, d + 1);
    break;
  case EXP_LET:
    bindings(b, e->binds, e->nbinds, d + 1);
    expr(b, e->a, d + 1);
    break;
  case EXP_IF:
  case EXP_SEQ:
  case EXP_WHILE:
  case EXP_FOR:
  case EXP_SETFIELD:
  case EXP_CONSTRUCT:
  case EXP_FIELD:
  case EXP_CONSTRAINT:
  case EXP_ASSERT:
  case EXP_UNREACHABLE:
  case EXP_LETOPEN:
  case EXP_LETEXN:
  case EXP_LETMODULE:
  case EXP_NEWTYPE:
  case EXP_VARIANT:
  case EXP_COERCE:
    if (e->mexpr) modexpr(b, e->mexpr, d + 1);
    if (e->a) expr(b, e->a, d + 1);
    if (e->b) expr(b, e->b, d + 1);
    if (e->c) expr(b, e->c, d + 1);
    break;
  case EXP_RECORD:
    if (e->a) {
      indent(b, d + 1);
      buf_puts(b, "with\n");
      expr(b, e->a, d + 2);
    }
    for (int i = 0; i < e->nfields; i++) {
      indent(b, d + 1);
      put_path(b, &e->fields[i].field);
      buf_puts(b, " =\n");
      expr(b, e->fields[i].expr, d + 2);
    }
    break;
  default: break;
  }
}

void ast_print_expr(Buf *out, const Expr *e) { expr(out, e, 0); }

/* ---- Declarations and modules ------------------------------------------------ */

static void type_decl(Buf *b, const TypeDeclAst *t, int d) {
  indent(b, d);
  buf_puts(b, "type ");
  for (int i = 0; i < t->nparams; i++) buf_printf(b, "'%s ", t->params[i]);
  buf_puts(b, t->name);
  if (t->private_) buf_puts(b, " private");
  if (t->manifest) {
    buf_puts(b, " = ");
    ty(b, t->manifest);
  }
  put_loc(b, t->loc);
  buf_putc(b, '\n');
  for (int i = 0; i < t->nconstrs; i++) {
    indent(b, d + 1);
    buf_printf(b, "| %s", t->constrs[i].name);
    for (int j = 0; j < t->constrs[i].nargs; j++) {
      buf_puts(b, j ? " * " : " of ");
      ty(b, t->constrs[i].args[j]);
    }
    if (t->constrs[i].ret) {
      buf_puts(b, " : ");
      ty(b, t->constrs[i].ret);
    }
    buf_putc(b, '\n');
  }
  for (int i = 0; i < t->nfields; i++) {
    indent(b, d + 1);
    buf_printf(b, "%s%s : ", t->fields[i].mutable_ ? "mutable " : "", t->fields[i].name);
    ty(b, t->fields[i].ty);
    buf_putc(b, '\n');
  }
}

static void items(Buf *b, Item **its, int n, int d);
static void modtype(Buf *b, const ModType *m, int d);

static void sig_items(Buf *b, SigItem **its, int n, int d) {
  for (int i = 0; i < n; i++) {
    const SigItem *s = its[i];
    switch (s->kind) {
    case SIG_VALUE:
      indent(b, d);
      buf_printf(b, "%s %s : ", s->nprims ? "external" : "val", s->name);
      ty(b, s->ty);
      for (int j = 0; j < s->nprims; j++) buf_printf(b, " \"%s\"", s->prims[j]);
      buf_putc(b, '\n');
      break;
    case SIG_TYPE:
      for (int j = 0; j < s->ntypes; j++) type_decl(b, &s->types[j], d);
      break;
    case SIG_EXCEPTION:
      indent(b, d);
      buf_puts(b, "exception ");
      exn_decl(b, s->exn);
      buf_putc(b, '\n');
      break;
    case SIG_MODULE:
    case SIG_MODTYPE:
    case SIG_INCLUDE:
      indent(b, d);
      buf_printf(b, "%s %s\n",
                 s->kind == SIG_MODULE    ? "module"
                 : s->kind == SIG_MODTYPE ? "module type"
                                          : "include",
                 s->name ? s->name : "");
      if (s->mty) modtype(b, s->mty, d + 1);
      break;
    case SIG_RECMODULE:
      for (int j = 0; j < s->nrecs; j++) {
        indent(b, d);
        buf_printf(b, "%s %s\n", j ? "and" : "module rec", s->recs[j].name);
        modtype(b, s->recs[j].mty, d + 1);
      }
      break;
    case SIG_OPEN:
      indent(b, d);
      buf_puts(b, "open ");
      put_path(b, &s->path);
      buf_putc(b, '\n');
      break;
    }
  }
}

static void modtype(Buf *b, const ModType *m, int d) {
  indent(b, d);
  switch (m->kind) {
  case MTY_SIG:
    buf_puts(b, "Msig");
    put_loc(b, m->loc);
    buf_putc(b, '\n');
    sig_items(b, m->items, m->nitems, d + 1);
    break;
  case MTY_IDENT:
    buf_puts(b, "Mty_ident ");
    put_path(b, &m->path);
    put_loc(b, m->loc);
    buf_putc(b, '\n');
    break;
  case MTY_FUNCTOR:
    buf_printf(b, "Mty_functor %s", m->param ? m->param : "()");
    put_loc(b, m->loc);
    buf_putc(b, '\n');
    if (m->param_type) modtype(b, m->param_type, d + 1);
    modtype(b, m->body, d + 1);
    break;
  case MTY_TYPEOF:
    buf_puts(b, "Mty_typeof");
    put_loc(b, m->loc);
    buf_putc(b, '\n');
    modexpr(b, m->typeof_expr, d + 1);
    break;
  case MTY_WITH:
    buf_puts(b, "Mty_with");
    put_loc(b, m->loc);
    buf_putc(b, '\n');
    modtype(b, m->base, d + 1);
    for (int i = 0; i < m->nwith; i++) type_decl(b, &m->with_types[i], d + 1);
    break;
  }
}

static void modexpr(Buf *b, const ModExpr *m, int d) {
  indent(b, d);
  switch (m->kind) {
  case MOD_STRUCT:
    buf_puts(b, "Mstruct");
    put_loc(b, m->loc);
    buf_putc(b, '\n');
    items(b, m->items, m->nitems, d + 1);
    break;
  case MOD_IDENT:
    buf_puts(b, "Mident ");
    put_path(b, &m->path);
    put_loc(b, m->loc);
    buf_putc(b, '\n');
    break;
  case MOD_APPLY:
    buf_puts(b, "Mapply");
    put_loc(b, m->loc);
    buf_putc(b, '\n');
    modexpr(b, m->fn, d + 1);
    modexpr(b, m->arg, d + 1);
    break;
  case MOD_FUNCTOR:
    buf_printf(b, "Mfunctor %s", m->param ? m->param : "()");
    put_loc(b, m->loc);
    buf_putc(b, '\n');
    if (m->param_type) modtype(b, m->param_type, d + 1);
    modexpr(b, m->body, d + 1);
    break;
  case MOD_CONSTRAINT:
    buf_puts(b, "Mconstraint");
    put_loc(b, m->loc);
    buf_putc(b, '\n');
    modexpr(b, m->fn, d + 1);
    modtype(b, m->mty, d + 1);
    break;
  case MOD_UNPACK:
    buf_puts(b, "Munpack");
    put_loc(b, m->loc);
    buf_putc(b, '\n');
    expr(b, m->unpacked, d + 1);
    break;
  }
}

static void items(Buf *b, Item **its, int n, int d) {
  for (int i = 0; i < n; i++) {
    const Item *it = its[i];
    indent(b, d);
    switch (it->kind) {
    case ITEM_VALUE:
      buf_printf(b, "Item_value%s", it->rec ? " rec" : "");
      put_loc(b, it->loc);
      buf_putc(b, '\n');
      bindings(b, it->binds, it->nbinds, d + 1);
      break;
    case ITEM_EVAL:
      buf_puts(b, "Item_eval");
      put_loc(b, it->loc);
      buf_putc(b, '\n');
      expr(b, it->expr, d + 1);
      break;
    case ITEM_TYPE:
      buf_puts(b, "Item_type");
      put_loc(b, it->loc);
      buf_putc(b, '\n');
      for (int j = 0; j < it->ntypes; j++) type_decl(b, &it->types[j], d + 1);
      break;
    case ITEM_EXCEPTION:
      buf_puts(b, "Item_exception ");
      exn_decl(b, it->exn);
      put_loc(b, it->loc);
      buf_putc(b, '\n');
      break;
    case ITEM_EXTERNAL:
      buf_printf(b, "Item_external %s : ", it->name);
      ty(b, it->ty);
      for (int j = 0; j < it->nprims; j++) buf_printf(b, " \"%s\"", it->prims[j]);
      put_loc(b, it->loc);
      buf_putc(b, '\n');
      break;
    case ITEM_OPEN:
      buf_puts(b, "Item_open ");
      put_path(b, &it->path);
      put_loc(b, it->loc);
      buf_putc(b, '\n');
      break;
    case ITEM_MODULE:
    case ITEM_INCLUDE:
      buf_printf(b, "%s %s", it->kind == ITEM_MODULE ? "Item_module" : "Item_include",
                 it->name ? it->name : "");
      put_loc(b, it->loc);
      buf_putc(b, '\n');
      modexpr(b, it->mexpr, d + 1);
      break;
    case ITEM_RECMODULE:
      buf_puts(b, "Item_recmodule");
      put_loc(b, it->loc);
      buf_putc(b, '\n');
      for (int j = 0; j < it->nrecs; j++) {
        indent(b, d + 1);
        buf_printf(b, "%s\n", it->recs[j].name);
        modtype(b, it->recs[j].mty, d + 2);
        modexpr(b, it->recs[j].mexpr, d + 2);
      }
      break;
    case ITEM_MODTYPE:
      buf_printf(b, "Item_modtype %s", it->name);
      put_loc(b, it->loc);
      buf_putc(b, '\n');
      if (it->mty) modtype(b, it->mty, d + 1);
      break;
    case ITEM_WARNING:
      buf_printf(b, "Item_warning \"%s\"", it->name);
      put_loc(b, it->loc);
      buf_putc(b, '\n');
      break;
    case ITEM_DIRECTIVE:
      buf_printf(b, "Item_directive #%s", it->name);
      if (it->dir_has_arg) {
        buf_putc(b, ' ');
        put_string(b, it->dir_arg, (int)strlen(it->dir_arg));
      }
      put_loc(b, it->loc);
      buf_putc(b, '\n');
      break;
    }
  }
}

void ast_print_items(Buf *out, Item **its, int n) { items(out, its, n, 0); }
