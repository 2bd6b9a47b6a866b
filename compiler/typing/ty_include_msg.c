/* ty_include_msg.c — OCaml 4.13's messages for signature matching
 * failures (Includemod_errorprinter, Includecore.report_type_mismatch,
 * Typedecl's Definition_mismatch, Typemod's With_mismatch): the tree
 * ty_include.c builds (ty_include.h), linearised into messages with
 * their contexts, functor parameter lists and shorthands, and "..." for
 * module types too big to print. */
#include <stdio.h>
#include <string.h>

#include "ty_include.h"

/* ---- Elision of big module types ------------------------------------------------ */

/* OCaml prints "..." for a pair of module types whose marshalled size
 * exceeds Clflags.error_size, 500 bytes (Includemod_errorprinter's
 * is_big). These estimate that size from the module types' shapes:
 * bytes per component and per type node, measured on OCaml 4.13.1's
 * own Types values (a type variable is shared after its first use). */
typedef struct SizeCtx {
  Type **vars;
  int n, cap;
  Arena *a;
} SizeCtx;

static int size_type(SizeCtx *s, Type *t, int depth) {
  t = ty_repr(t);
  if (depth > 100) return 0;
  /* A node met again is a back-reference for Marshal, as variables are
   * (cyclic types under -rectypes). */
  if (t->kind != TY_VAR) {
    for (int i = 0; i < s->n; i++)
      if (s->vars[i] == t) return 3;
  }
  if (t->kind != TY_VAR && depth > 0) {
    if (s->n == s->cap) {
      int cap = s->cap ? s->cap * 2 : 16;
      Type **v = ARENA_ARRAY(s->a, Type *, cap);
      if (s->n) memcpy(v, s->vars, sizeof *v * (size_t)s->n);
      s->vars = v;
      s->cap = cap;
    }
    s->vars[s->n++] = t;
  }
  switch (t->kind) {
  case TY_VAR:
    for (int i = 0; i < s->n; i++)
      if (s->vars[i] == t) return 3;
    if (s->n == s->cap) {
      int cap = s->cap ? s->cap * 2 : 16;
      Type **v = ARENA_ARRAY(s->a, Type *, cap);
      if (s->n) memcpy(v, s->vars, sizeof *v * (size_t)s->n);
      s->vars = v;
      s->cap = cap;
    }
    s->vars[s->n++] = t;
    return 18;
  case TY_ARROW: return 12 + size_type(s, t->a, depth + 1) + size_type(s, t->b, depth + 1);
  case TY_VARIANT: return 18 + 4 * t->row->n;
  case TY_TUPLE:
  case TY_PACKAGE:
  case TY_CONSTR: {
    int n = t->kind == TY_TUPLE ? 10 : 18;
    for (int i = 0; i < t->nargs; i++) n += 1 + size_type(s, t->args[i], depth + 1);
    return n;
  }
  }
  return 0;
}

static int size_mty(SizeCtx *s, ModuleDesc *md, int depth);

static int size_item(SizeCtx *s, ModItem *it, int depth) {
  int n = (int)strlen(it->name);
  switch (it->kind) {
  case MI_VALUE: {
    ValueDesc *v = it->desc;
    return 33 + n + size_type(s, v->ty, 0) + (v->kind == VAL_PRIM ? 11 : 0);
  }
  case MI_TYPE: {
    TypeDecl *d = it->desc;
    n += d->kind == TD_ABSTRACT ? 48 : d->kind == TD_VARIANT ? 40 : 47;
    for (int i = 0; i < d->nparams; i++) n += 1 + size_type(s, d->params[i], 0);
    if (ty_incl_own_manifest(d)) n += 3 + size_type(s, d->manifest, 0);
    for (int i = 0; i < d->nconstrs; i++) {
      n += 30 + (int)strlen(d->constrs[i]->name);
      for (int k = 0; k < d->constrs[i]->nargs; k++) n += 1 + size_type(s, d->constrs[i]->args[k], 0);
    }
    for (int i = 0; i < d->nfields; i++)
      n += 30 + (int)strlen(d->fields[i]->name) + size_type(s, d->fields[i]->ty, 0);
    return n;
  }
  case MI_EXCEPTION: {
    ConstrDesc *c = it->desc;
    n += 45;
    for (int k = 0; k < c->nargs; k++) n += 1 + size_type(s, c->args[k], 0);
    return n;
  }
  case MI_MODULE: {
    ModuleDesc *m = it->desc;
    if (m->is_alias && m->alias_of) return 20 + n + (int)strlen(m->alias_of);
    return 33 + n + size_mty(s, m, depth + 1);
  }
  case MI_MODTYPE: {
    ModuleDesc *m = it->desc;
    if (m->is_abstract) return 40 + n;
    ModuleDesc body = *m;
    body.sig_name = m->body_name;
    return 40 + n + size_mty(s, &body, depth + 1);
  }
  }
  return 0;
}

static int size_mty(SizeCtx *s, ModuleDesc *md, int depth) {
  if (depth > 50) return 0;
  if (md->sig_name) return 8 + (int)strlen(md->sig_name);
  if (md->is_functor)
    return 12 + (md->param ? (int)strlen(md->param) : 0) + size_mty(s, md->param_type, depth + 1) +
           size_mty(s, md->result, depth + 1);
  int n = 2;
  for (int i = 0; i < md->nitems; i++) n += 1 + size_item(s, &md->items[i], depth);
  return n;
}

static bool is_big(Typer *T, ModuleDesc *a, ModuleDesc *b, int extra) {
  SizeCtx s = {NULL, 0, 0, T->arena};
  int n = 37 + extra + size_mty(&s, a, 0);
  s.n = 0; /* the two sides share no variables */
  return n + size_mty(&s, b, 0) > 500;
}

typedef struct Printer {
  Typer *T;
  Fmt *f;
  bool started; /* a message was printed: the next one starts a line */
} Printer;

/* ---- Messages (Includemod_errorprinter) --------------------------------------- */

/* Where a message applies: the submodules (and module types) it is in. */
typedef struct MsgCtx {
  const char **names;
  bool *modtype;
  int n;
} MsgCtx;

static void with_prefix(Printer *p, const char *prefix, void (*fn)(Printer *, void *), void *arg) {
  const char *saved = p->T->print_prefix;
  char *buf = prefix ? (char *)arena_printf(p->T->arena, "%s.", prefix) : NULL;
  p->T->print_prefix = buf;
  fn(p, arg);
  p->T->print_prefix = saved;
}

static void pr_mty(Printer *p, void *md) { ty_print_module_type(p->f, p->T, md); }

/* Context.context: `module N : ...`, `module type S = ...`, each inner
 * one within `sig ... end`, down to `<here>`. */
static void pr_ctx_mty(Printer *p, MsgCtx *c, int i);

static void pr_ctx_items(Printer *p, MsgCtx *c, int i) {
  if (i == c->n) {
    fmt_string(p->f, "<here>");
    return;
  }
  fmt_open_box(p->f, FMT_B, 2);
  fmt_string(p->f, c->modtype[i] ? "module type " : "module ");
  fmt_string(p->f, c->names[i]);
  fmt_string(p->f, c->modtype[i] ? " =" : " :");
  fmt_space(p->f);
  pr_ctx_mty(p, c, i + 1);
  fmt_close_box(p->f);
}

static void pr_ctx_mty(Printer *p, MsgCtx *c, int i) {
  if (i == c->n) {
    fmt_string(p->f, "<here>");
    return;
  }
  fmt_open_box(p->f, FMT_B, 2);
  fmt_string(p->f, "sig");
  fmt_space(p->f);
  pr_ctx_items(p, c, i);
  fmt_break(p->f, 1, -2);
  fmt_string(p->f, "end");
  fmt_close_box(p->f);
}

/* "In module N.O:" or "At position module type S = <here>", then a break. */
static void pr_context(Printer *p, MsgCtx *c) {
  if (c->n == 0) return;
  bool all_modules = true;
  for (int i = 0; i < c->n; i++) all_modules &= !c->modtype[i];
  if (all_modules) {
    fmt_string(p->f, "In module ");
    for (int i = 0; i < c->n; i++) {
      if (i) fmt_string(p->f, ".");
      fmt_string(p->f, c->names[i]);
    }
    fmt_string(p->f, ":");
  } else {
    fmt_open_box(p->f, FMT_HV, 2);
    fmt_string(p->f, "At position");
    fmt_space(p->f);
    pr_ctx_items(p, c, 0);
    fmt_close_box(p->f);
  }
  fmt_space(p->f);
}

static void msg_start(Printer *p, MsgCtx *c) {
  if (p->started) fmt_space(p->f);
  p->started = true;
  if (c) pr_context(p, c);
}

static void pr_modules(Printer *p, MtyDiff *d, bool eqmode) {
  fmt_open_box(p->f, FMT_HV, 2);
  fmt_string(p->f, eqmode ? "Module types do not match:" : "Modules do not match:");
  fmt_space(p->f);
  with_prefix(p, ty_incl_prefix(d->got), pr_mty, d->got);
  fmt_break(p->f, 1, -2);
  fmt_string(p->f, eqmode ? "is not equal to" : "is not included in");
  fmt_space(p->f);
  with_prefix(p, ty_incl_prefix(d->expected), pr_mty, d->expected);
  fmt_close_box(p->f);
}

static void pr_missing(Printer *p, ModItem *it) {
  fmt_printf(p->f, "The %s `%s' is required but not provided", ty_incl_kind_word(it->kind), it->name);
}

static void pr_val(Printer *p, void *v) { ty_print_val(p->f, p->T, v); }
static void pr_decl(Printer *p, void *d) { ty_print_type_decl(p->f, p->T, d, true); }

static void pr_exn_ext(Printer *p, void *c) {
  /* `type exn += E of int`, as Oprint shows an extension constructor */
  fmt_open_box(p->f, FMT_HV, 2);
  fmt_string(p->f, "type exn +=");
  fmt_break(p->f, 1, 2);
  ty_print_constr(p->f, p->T, c);
  fmt_close_box(p->f);
}

static void pr_constr(Printer *p, void *c) { ty_print_constr(p->f, p->T, c); }
static void pr_label(Printer *p, void *fd) { ty_print_label(p->f, p->T, fd); }

/* "Constructors do not match: ... is not compatible with: ... why" */
static void pr_compat(Printer *p, ItemDiff *d, const char *what, void (*pr)(Printer *, void *), void *a,
                      void *b, const char *why) {
  fmt_open_box(p->f, FMT_HV, 0);
  fmt_string(p->f, what);
  fmt_break(p->f, 1, 2);
  with_prefix(p, d->got_prefix, pr, a);
  fmt_space(p->f);
  fmt_string(p->f, "is not compatible with:");
  fmt_break(p->f, 1, 2);
  with_prefix(p, d->expected_prefix, pr, b);
  fmt_space(p->f);
  if (!why) return; /* the caller says why and closes the box */
  fmt_string(p->f, why);
  fmt_close_box(p->f);
}

/* How Includecore.report_type_mismatch names the two declarations. */
typedef struct TmWords {
  const char *first, *second, *decl;
} TmWords;

static const TmWords sig_words = {"the first", "the second", "declaration"};

static const char *ordinal(const TmWords *w, bool first) { return first ? w->first : w->second; }

/* "The first is mutable and the second is not." */
static void pr_mutability(Fmt *f, const TmWords *w, bool first) {
  const char *a = ordinal(w, first), *b = ordinal(w, !first);
  fmt_printf(f, "%c%s is mutable and %s is not.", a[0] - 'a' + 'A', a + 1, b);
}

/* Includecore.report_type_mismatch */
static void pr_type_mismatch(Printer *p, ItemDiff *d, const TmWords *w) {
  TypeMismatch *tm = &d->tm;
  Fmt *f = p->f;
  switch (tm->kind) {
  case TM_MANIFEST: return;
  case TM_CONSTRAINT:
    fmt_space(f);
    fmt_string(f, "Their constraints differ.");
    return;
  case TM_ARITY:
    fmt_space(f);
    fmt_string(f, "They have different arities.");
    return;
  case TM_PRIVACY:
    fmt_space(f);
    fmt_string(f, "A private type would be revealed.");
    return;
  case TM_KIND:
    fmt_space(f);
    fmt_string(f, "Their kinds differ.");
    return;
  case TM_VARIANCE:
    fmt_space(f);
    fmt_string(f, "Their variances do not agree.");
    return;
  case TM_CONSTR:
    fmt_space(f);
    pr_compat(p, d, "Constructors do not match:", pr_constr, tm->c1, tm->c2,
              tm->sub == TMS_ARITY ? "They have different arities." : "The types are not equal.");
    return;
  case TM_CONSTR_NAMES:
    fmt_space(f);
    fmt_printf(f, "Constructors number %d have different names, %s and %s.", tm->n, tm->name1, tm->name2);
    return;
  case TM_CONSTR_MISSING:
    fmt_space(f);
    fmt_printf(f, "The constructor %s is only present in %s %s.", tm->name1, ordinal(w, tm->first), w->decl);
    return;
  case TM_FIELD:
    fmt_space(f);
    pr_compat(p, d, "Fields do not match:", pr_label, tm->f1, tm->f2,
              tm->sub == TMS_TYPES ? "The types are not equal." : NULL);
    if (tm->sub == TMS_MUTABLE) pr_mutability(f, w, tm->first);
    fmt_close_box(f);
    return;
  case TM_FIELD_NAMES:
    fmt_space(f);
    fmt_open_box(f, FMT_HV, 0);
    fmt_printf(f, "Fields number %d have different names, %s and %s.", tm->n, tm->name1, tm->name2);
    fmt_close_box(f);
    return;
  case TM_FIELD_MISSING:
    fmt_space(f);
    fmt_open_box(f, FMT_HV, 0);
    fmt_printf(f, "The field %s is only present in %s %s.", tm->name1, ordinal(w, tm->first), w->decl);
    fmt_close_box(f);
    return;
  case TM_FLOAT_REPR:
    fmt_space(f);
    fmt_open_box(f, FMT_HV, 0);
    fmt_printf(f, "Their internal representations differ:@ %s %s uses unboxed float representation.",
               ordinal(w, tm->first), w->decl);
    fmt_close_box(f);
    return;
  }
}

/* "Values do not match: ... is not included in ..." and its kin. */
static void pr_core(Printer *p, ItemDiff *d) {
  Fmt *f = p->f;
  switch (d->kind) {
  case MI_VALUE:
    fmt_open_box(f, FMT_HV, 2);
    fmt_string(f, "Values do not match:");
    fmt_space(f);
    with_prefix(p, d->got_prefix, pr_val, d->got);
    fmt_break(f, 1, -2);
    fmt_string(f, "is not included in");
    fmt_space(f);
    with_prefix(p, d->expected_prefix, pr_val, d->expected);
    fmt_close_box(f);
    ty_conflict_hints(p->T, p->f);
    return;
  case MI_TYPE:
  case MI_EXCEPTION: {
    bool exn = d->kind == MI_EXCEPTION;
    fmt_open_box(f, FMT_V, 0);
    fmt_open_box(f, FMT_HV, 0);
    fmt_string(f, exn ? "Extension declarations do not match:" : "Type declarations do not match:");
    fmt_break(f, 1, 2);
    with_prefix(p, d->got_prefix, exn ? pr_exn_ext : pr_decl, d->got);
    fmt_space(f);
    fmt_string(f, "is not included in");
    fmt_break(f, 1, 2);
    with_prefix(p, d->expected_prefix, exn ? pr_exn_ext : pr_decl, d->expected);
    fmt_close_box(f);
    pr_type_mismatch(p, d, &sig_words);
    ty_conflict_hints(p->T, p->f);
    fmt_close_box(f);
    return;
  }
  default: return;
  }
}

static void pr_module_type_diff(Printer *p, MtyDiff *d, MsgCtx *c, bool eqmode, bool tok);

static void ctx_push(Typer *T, MsgCtx *c, const char *name, bool modtype) {
  const char **n = ARENA_ARRAY(T->arena, const char *, c->n + 1);
  bool *m = ARENA_ARRAY(T->arena, bool, c->n + 1);
  if (c->n) {
    memcpy(n, c->names, sizeof *n * (size_t)c->n);
    memcpy(m, c->modtype, sizeof *m * (size_t)c->n);
  }
  n[c->n] = name;
  m[c->n] = modtype;
  c->names = n;
  c->modtype = m;
  c->n++;
}

static void pr_modtype_decl_item(Printer *p, void *md) { ty_print_modtype(p->f, p->T, md); }

/* One incompatible component (Includemod_errorprinter.sigitem); tok:
 * whether details are wanted (OCaml's expansion_token). */
static void pr_item_diff(Printer *p, ItemDiff *d, MsgCtx *c, bool tok) {
  switch (d->kind) {
  case MI_MODULE: {
    MsgCtx sub = *c;
    ctx_push(p->T, &sub, d->name, false);
    pr_module_type_diff(p, d->mty, &sub, false, tok);
    return;
  }
  case MI_MODTYPE: {
    if (is_big(p->T, ty_incl_modtype_body(p->T, d->got), ty_incl_modtype_body(p->T, d->expected), 40)) {
      msg_start(p, NULL);
      fmt_string(p->f, "...");
    } else {
      msg_start(p, c);
      fmt_open_box(p->f, FMT_HV, 2);
      fmt_string(p->f, "Module type declarations do not match:");
      fmt_space(p->f);
      with_prefix(p, d->got_prefix, pr_modtype_decl_item, d->got);
      fmt_break(p->f, 1, -2);
      fmt_string(p->f, "does not match");
      fmt_space(p->f);
      with_prefix(p, d->expected_prefix, pr_modtype_decl_item, d->expected);
      fmt_close_box(p->f);
    }
    MsgCtx sub = *c;
    ctx_push(p->T, &sub, d->name, true);
    switch (d->mtd) {
    case MTD_NOT_LESS:
      msg_start(p, NULL);
      fmt_string(p->f, "The first module type is not included in the second");
      break;
    case MTD_NOT_GREATER:
      msg_start(p, NULL);
      fmt_string(p->f, "The second module type is not included in the first");
      break;
    case MTD_INCOMPARABLE: break;
    case MTD_PERMUTATION:
      msg_start(p, &sub);
      fmt_open_box(p->f, FMT_HV, 2);
      fmt_string(p->f, "Illegal permutation of runtime components in a module type.");
      fmt_space(p->f);
      fmt_open_box(p->f, FMT_B, 0);
      fmt_string(p->f, "For example,");
      fmt_space(p->f);
      if (*d->perm_where) fmt_printf(p->f, "in module %s,", d->perm_where);
      fmt_close_box(p->f);
      fmt_space(p->f);
      fmt_open_box(p->f, FMT_B, 0);
      fmt_printf(p->f,
                 "the %s@ and the %s are not in the same order@ in the expected and actual module types.",
                 d->perm1, d->perm2);
      fmt_close_box(p->f);
      fmt_close_box(p->f);
      return;
    }
    pr_module_type_diff(p, d->mty, &sub, true, tok);
    return;
  }
  default:
    msg_start(p, c);
    pr_core(p, d);
    return;
  }
}

/* ---- Functor parameters in messages (Functor_suberror) ---- */

/* A parameter's module type is shown by a shorthand ($S1, $T2) in the
 * parameter lists when it is a signature or a functor type, and spelled
 * out in the explanation of its position. */
typedef struct Shorthand {
  FParam *param; /* NULL: `()` */
  char name[16]; /* "$S1"; "" when the module type is shown itself */
} Shorthand;

static Shorthand shorthand(FParam *param, bool got, int pos) {
  Shorthand sh = {param, ""};
  if (param && param->name) {
    ModuleDesc *m = param->mty;
    bool original = m->sig_name || (!m->is_functor && m->nitems == 0) || m->is_abstract;
    if (!original) snprintf(sh.name, sizeof sh.name, "%s%d", got ? "$S" : "$T", pos);
  }
  return sh;
}

static bool anonymous(const char *name) { return strcmp(name, "_") == 0; }

static void pr_short(Printer *p, Shorthand *sh) {
  if (*sh->name) fmt_string(p->f, sh->name);
  else with_prefix(p, ty_incl_prefix(sh->param->mty), pr_mty, sh->param->mty);
}

/* With_shorthand.qualified_param */
static void pr_qualified_param(Printer *p, Shorthand *sh) {
  if (!sh->param || !sh->param->name) {
    fmt_string(p->f, "()");
  } else if (anonymous(sh->param->name)) {
    ModuleDesc *m = sh->param->mty;
    if (!*sh->name && !m->sig_name && !m->is_functor && !m->is_abstract && m->nitems == 0)
      fmt_string(p->f, "(sig end)");
    else pr_short(p, sh);
  } else {
    fmt_printf(p->f, "(%s : ", sh->param->name);
    pr_short(p, sh);
    fmt_string(p->f, ")");
  }
}

/* With_shorthand.definition: `$S1 = sig ... end`, or the module type. */
static void pr_definition(Printer *p, Shorthand *sh) {
  if (!sh->param || !sh->param->name) {
    fmt_string(p->f, "()");
    return;
  }
  if (*sh->name) {
    fmt_string(p->f, sh->name);
    fmt_space(p->f);
    fmt_string(p->f, "=");
    fmt_space(p->f);
  }
  with_prefix(p, ty_incl_prefix(sh->param->mty), pr_mty, sh->param->mty);
}

/* With_shorthand.param */
static void pr_param_short(Printer *p, Shorthand *sh) {
  if (!sh->param || !sh->param->name) fmt_string(p->f, "()");
  else pr_short(p, sh);
}

static void pr_mty_symptom(Printer *p, MtyDiff *d, MsgCtx *c, bool tok);

/* subcase_list: a mismatch's explanations, if it has any, in a box two
 * columns left of the current one. */
static void pr_subcases(Printer *p, MtyDiff *mismatch, bool tok) {
  bool hint = false;
  if (mismatch->sym == SYM_CORE && !(hint = ty_conflict_core_hint(p->T))) return;
  if (mismatch->sym == SYM_SIG && mismatch->nmissing && !tok) return;
  Printer sub = {p->T, p->f, false};
  MsgCtx none = {0};
  fmt_break(p->f, 1, -2);
  fmt_open_box(p->f, FMT_B, 0);
  if (hint) ty_conflict_hints(sub.T, sub.f);
  else pr_mty_symptom(&sub, mismatch, &none, tok);
  fmt_close_box(p->f);
}

/* What one step of the parameters' edit script says. */
static void pr_param_change(Printer *p, Change *ch, int pos, bool tok) {
  Shorthand g = shorthand(ch->got, true, pos), e = shorthand(ch->expected, false, pos);
  Fmt *f = p->f;
  switch (ch->kind) {
  case CH_INSERT:
  case CH_DELETE:
    fmt_string(f, ch->kind == CH_INSERT ? "An argument appears to be missing with module type"
                                        : "An extra argument is provided of module type");
    fmt_break(f, 1, 2);
    fmt_open_box(f, FMT_B, 0);
    pr_definition(p, ch->kind == CH_INSERT ? &e : &g);
    fmt_close_box(f);
    return;
  case CH_KEEP:
    fmt_string(f, "Module types ");
    pr_param_short(p, &g);
    fmt_string(f, " and ");
    pr_param_short(p, &e);
    fmt_string(f, " match");
    return;
  case CH_CHANGE:
    if (!ch->mismatch) {
      fmt_string(f, ch->got->name ? "The functor was expected to be generative at this position"
                                  : "The functor was expected to be applicative at this position");
      return;
    }
    fmt_string(f, "Module types do not match:");
    fmt_space(f);
    fmt_open_box(f, FMT_B, 0);
    pr_definition(p, &g);
    fmt_close_box(f);
    fmt_break(f, 1, -2);
    fmt_string(f, "does not include");
    fmt_space(f);
    fmt_open_box(f, FMT_B, 0);
    pr_definition(p, &e);
    fmt_close_box(f);
    pr_subcases(p, ch->mismatch, tok);
    return;
  }
}

static void pr_param_list(Printer *p, MtyDiff *d, bool got) {
  bool first = true;
  for (int i = 0; i < d->nchanges; i++) {
    Change *ch = &d->changes[i];
    if (got ? ch->kind == CH_INSERT : ch->kind == CH_DELETE) continue;
    if (!first) fmt_space(p->f);
    first = false;
    Shorthand sh = shorthand(got ? ch->got : ch->expected, got, i + 1);
    pr_qualified_param(p, &sh);
  }
}

/* Includemod_errorprinter.functor_params: the parameter lists, then what
 * each step of the edit script says (the first one that is no match in
 * detail, later ones briefly). */
static void pr_functor_params(Printer *p, MtyDiff *d, MsgCtx *c, bool tok) {
  Fmt *f = p->f;
  msg_start(p, c);
  fmt_open_box(f, FMT_HV, 2);
  fmt_string(f, "Modules do not match:");
  fmt_space(f);
  fmt_open_box(f, FMT_B, 0);
  fmt_string(f, "functor");
  fmt_space(f);
  pr_param_list(p, d, true);
  fmt_space(f);
  fmt_string(f, "-> ...");
  fmt_close_box(f);
  fmt_break(f, 1, -2);
  fmt_string(f, "is not included in");
  fmt_space(f);
  fmt_open_box(f, FMT_B, 0);
  fmt_string(f, "functor");
  fmt_space(f);
  pr_param_list(p, d, false);
  fmt_space(f);
  fmt_string(f, "-> ...");
  fmt_close_box(f);
  fmt_close_box(f);
  if (!tok) return;
  bool detail = true;
  for (int i = 0; i < d->nchanges; i++) {
    msg_start(p, NULL);
    if (d->nchanges > 1) fmt_printf(f, "%d. ", i + 1);
    fmt_open_box(f, FMT_HV, 2);
    pr_param_change(p, &d->changes[i], i + 1, detail);
    fmt_close_box(f);
    if (d->changes[i].kind != CH_KEEP) detail = false;
  }
}

/* ---- Module type mismatches (module_type, module_type_symptom) ---- */

static void pr_mty_symptom(Printer *p, MtyDiff *d, MsgCtx *c, bool tok) {
  switch (d->sym) {
  case SYM_CORE:
    if (ty_conflict_core_hint(p->T)) ty_conflict_hints(p->T, p->f);
    return;
  case SYM_SIG:
    if (d->nmissing) {
      /* OCaml lists them last first, the context with the first, then
       * reverses its messages: the context ends up before the last. */
      if (!tok) return;
      for (int i = 0; i < d->nmissing; i++) {
        msg_start(p, i == d->nmissing - 1 ? c : NULL);
        pr_missing(p, d->missing[i]);
      }
      return;
    }
    ty_conflict_enter_level(p->T, d->got, d->expected);
    pr_item_diff(p, d->item, c, tok);
    ty_conflict_leave_level(p->T);
    return;
  case SYM_FUNCTOR_PARAMS: pr_functor_params(p, d, c, tok); return;
  case SYM_FUNCTOR_RESULT: pr_module_type_diff(p, d->result, c, false, tok); return;
  }
}

static void pr_module_type_diff(Printer *p, MtyDiff *d, MsgCtx *c, bool eqmode, bool tok) {
  if (d->sym == SYM_FUNCTOR_PARAMS) {
    pr_functor_params(p, d, c, tok);
    return;
  }
  if (is_big(p->T, d->got, d->expected, 0)) {
    msg_start(p, NULL);
    fmt_string(p->f, "...");
  } else {
    msg_start(p, c);
    pr_modules(p, d, eqmode);
  }
  pr_mty_symptom(p, d, c, tok);
}

typedef struct TopMsg {
  Typer *T;
  MtyDiff *d;
  bool functor_arg;
} TopMsg;

/* Typemod's "Signature mismatch:" and its messages, one a line. */
static void signature_mismatch_msg(Fmt *f, void *arg) {
  TopMsg *m = arg;
  Printer p = {m->T, f, false};
  MsgCtx none = {0};
  if (m->functor_arg) {
    /* A functor's argument (Includemod_errorprinter.App.single_diff):
     * the explanations in a box two columns left of "Modules". */
    fmt_string(f, "Modules do not match:");
    fmt_space(f);
    fmt_open_box(f, FMT_B, 0);
    with_prefix(&p, ty_incl_prefix(m->d->got), pr_mty, m->d->got);
    fmt_close_box(f);
    fmt_break(f, 1, -2);
    fmt_string(f, "is not included in");
    fmt_space(f);
    fmt_open_box(f, FMT_B, 0);
    with_prefix(&p, ty_incl_prefix(m->d->expected), pr_mty, m->d->expected);
    fmt_close_box(f);
    if (m->d->sym != SYM_CORE) {
      fmt_break(f, 1, -2);
      fmt_open_box(f, FMT_B, 0);
      pr_mty_symptom(&p, m->d, &none, true);
      fmt_close_box(f);
    }
    return;
  }
  fmt_open_box(f, FMT_V, 0);
  fmt_string(f, "Signature mismatch:");
  p.started = true;
  pr_module_type_diff(&p, m->d, &none, false, true);
  fmt_close_box(f);
}

/* ---- Functor applications (Includemod_errorprinter.report_apply_error) ---- */

/* Whether module type md is shown itself among parameters and arguments
 * rather than by a shorthand (With_shorthand.modtype). */
static bool shown_itself(ModuleDesc *md) {
  return md->sig_name || md->is_abstract || (!md->is_functor && md->nitems == 0);
}

/* A module type as an argument shows it: a module path's strengthened. */
static void pr_arg_mty(Printer *p, FParam *a) {
  with_prefix(p, ty_incl_prefix(a->mty), pr_mty, ty_incl_strengthen(p->T, a->mty, ty_incl_arg_path(a)));
}

/* With_shorthand.arg: the path, `()`, or the structure's shorthand. */
static void pr_app_arg(Printer *p, FParam *a, const char *shorthand) {
  if (!a->name) fmt_string(p->f, "()");
  else if (*a->name) fmt_string(p->f, a->name);
  else if (shorthand) fmt_string(p->f, shorthand);
  else pr_arg_mty(p, a);
}

/* With_shorthand.definition_of_argument */
static void pr_app_definition(Printer *p, FParam *a, const char *shorthand) {
  if (!a->name) {
    fmt_string(p->f, "()");
    return;
  }
  const char *label = *a->name ? a->name : shorthand;
  if (label) {
    fmt_string(p->f, label);
    fmt_space(p->f);
    fmt_string(p->f, ":");
    fmt_space(p->f);
  }
  pr_arg_mty(p, a);
}

typedef struct ApplyMsg {
  Typer *T;
  Change *changes;
  int n;
} ApplyMsg;

static const char *app_got_short(Typer *T, Change *ch, int pos) {
  if (!ch->got || !ch->got->name || *ch->got->name || shown_itself(ch->got->mty)) return NULL;
  return ch->kind == CH_DELETE ? "..." : arena_printf(T->arena, "$S%d", pos);
}

static Shorthand app_expected_short(Change *ch, int pos) {
  Shorthand sh = shorthand(ch->expected, false, pos);
  if (ch->kind == CH_KEEP && *sh.name) strcpy(sh.name, "...");
  return sh;
}

/* One step of an application's edit script (functor_app_diff). */
static void pr_app_change(Printer *p, Change *ch, int pos, bool tok) {
  Fmt *f = p->f;
  const char *gs = app_got_short(p->T, ch, pos);
  Shorthand e = shorthand(ch->expected, false, pos);
  switch (ch->kind) {
  case CH_INSERT:
    fmt_string(f, "An argument appears to be missing with module type");
    fmt_break(f, 1, 2);
    fmt_open_box(f, FMT_B, 0);
    pr_definition(p, &e);
    fmt_close_box(f);
    return;
  case CH_DELETE:
    fmt_string(f, "The following extra argument is provided");
    fmt_break(f, 1, 2);
    fmt_open_box(f, FMT_B, 0);
    pr_app_definition(p, ch->got, gs);
    fmt_close_box(f);
    return;
  case CH_KEEP:
    fmt_string(f, "Module ");
    pr_app_arg(p, ch->got, gs);
    fmt_string(f, " matches the expected module type");
    if (ch->expected->name && shown_itself(ch->expected->mty)) {
      fmt_string(f, " ");
      with_prefix(p, ty_incl_prefix(ch->expected->mty), pr_mty, ch->expected->mty);
    }
    return;
  case CH_CHANGE:
    if (!ch->mismatch) {
      fmt_string(f, ch->got->name ? "The functor was expected to be generative at this position"
                                  : "The functor was expected to be applicative at this position");
      return;
    }
    fmt_string(f, "Modules do not match:");
    fmt_space(f);
    fmt_open_box(f, FMT_B, 0);
    pr_app_definition(p, ch->got, gs);
    fmt_close_box(f);
    fmt_break(f, 1, -2);
    fmt_string(f, "is not included in");
    fmt_space(f);
    fmt_open_box(f, FMT_B, 0);
    pr_definition(p, &e);
    fmt_close_box(f);
    pr_subcases(p, ch->mismatch, tok);
    return;
  }
}

/* "The functor application is ill-typed." with its arguments and the
 * functor's parameters, then one line per step. */
static void apply_msg(Fmt *f, void *arg) {
  ApplyMsg *m = arg;
  Printer p = {m->T, f, false};
  fmt_open_box(f, FMT_V, 0);
  fmt_open_box(f, FMT_HV, 0);
  fmt_string(f, "The functor application is ill-typed.");
  fmt_space(f);
  fmt_string(f, "These arguments:");
  fmt_break(f, 1, 2);
  fmt_open_box(f, FMT_B, 0);
  bool first = true;
  for (int i = 0; i < m->n; i++) {
    Change *ch = &m->changes[i];
    if (ch->kind == CH_INSERT) continue;
    if (!first) fmt_space(f);
    first = false;
    pr_app_arg(&p, ch->got, app_got_short(m->T, ch, i + 1));
  }
  fmt_close_box(f);
  fmt_space(f);
  fmt_string(f, "do not match these parameters:");
  fmt_break(f, 1, 2);
  fmt_open_box(f, FMT_B, 0);
  fmt_string(f, "functor");
  fmt_space(f);
  first = true;
  for (int i = 0; i < m->n; i++) {
    Change *ch = &m->changes[i];
    if (ch->kind == CH_DELETE) continue;
    if (!first) fmt_space(f);
    first = false;
    Shorthand sh = app_expected_short(ch, i + 1);
    pr_qualified_param(&p, &sh);
  }
  fmt_space(f);
  fmt_string(f, "-> ...");
  fmt_close_box(f);
  fmt_close_box(f);
  bool detail = true;
  for (int i = 0; i < m->n; i++) {
    fmt_cut(f);
    if (m->n > 1) fmt_printf(f, "%d. ", i + 1);
    fmt_open_box(f, FMT_HV, 2);
    pr_app_change(&p, &m->changes[i], i + 1, detail);
    fmt_close_box(f);
    if (m->changes[i].kind != CH_KEEP) detail = false;
  }
  fmt_close_box(f);
}

static const TmWords reexport_words = {"the original", "this", "definition"};

typedef struct ReexportMsg {
  Typer *T;
  Type *ty;
  ItemDiff *d;
} ReexportMsg;

static void reexport_msg(Fmt *f, void *arg) {
  ReexportMsg *m = arg;
  fmt_open_box(f, FMT_V, 0);
  fmt_open_box(f, FMT_HOV, 0);
  fmt_string(f, "This variant or record definition");
  fmt_space(f);
  fmt_string(f, "does not match that of type");
  fmt_break(f, 1, 2);
  TyNames nm;
  ty_names_init(&nm, m->T, false);
  ty_fmt_type(f, &nm, m->ty);
  ty_names_done(&nm);
  fmt_close_box(f);
  if (m->d) {
    Printer p = {m->T, f, true};
    pr_type_mismatch(&p, m->d, &reexport_words);
  }
  fmt_close_box(f);
}

typedef struct WithMsg {
  Typer *T;
  const char *lid;
  ItemDiff *d;
} WithMsg;

static void with_msg(Fmt *f, void *arg) {
  WithMsg *m = arg;
  fmt_open_box(f, FMT_V, 0);
  fmt_open_box(f, FMT_B, 0);
  fmt_printf(f,
             "In this `with' constraint, the new definition of %s@ does not match its original definition@ "
             "in the constrained signature:",
             m->lid);
  fmt_close_box(f);
  fmt_space(f);
  Printer p = {m->T, f, true};
  pr_core(&p, m->d);
  fmt_close_box(f);
}

/* ---- Reports ---------------------------------------------------------------------- */

void ty_incl_report(Typer *T, Loc loc, MtyDiff *d, bool functor_arg) {
  TopMsg m = {T, d, functor_arg};
  ty_error_text(T, loc, ty_conflict_layout(T, signature_mismatch_msg, &m));
}

void ty_incl_report_apply(Typer *T, Loc loc, Change *script, int n) {
  if (n == 1 && script[0].kind == CH_CHANGE) {
    Change *ch = &script[0];
    if (!ch->mismatch)
      ty_error_text(T, loc,
                    ch->got->name ? "The functor was expected to be generative at this position"
                                  : "The functor was expected to be applicative at this position");
    ty_incl_report(T, loc, ch->mismatch, true);
  }
  ApplyMsg m = {T, script, n};
  ty_error_text(T, loc, ty_conflict_layout(T, apply_msg, &m));
}

void ty_incl_report_reexport(Typer *T, Loc loc, Type *ty, ItemDiff *d) {
  ReexportMsg m = {T, ty, d};
  ty_error_text(T, loc, ty_error_layout(T, reexport_msg, &m));
}

void ty_incl_report_with(Typer *T, Loc loc, const char *lid, ItemDiff *d) {
  WithMsg m = {T, lid, d};
  ty_error_text(T, loc, ty_conflict_layout(T, with_msg, &m));
}
