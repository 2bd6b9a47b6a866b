/* ty_print.c — OCaml's type printer (printtyp.ml + oprint.ml): variable
 * naming per printed item, '_weakN for non-generalized variables, cyclic
 * types (-rectypes) as `('a -> 'b as 'a)`, the Format boxes oprint.ml
 * uses for types, type declarations, exceptions, values and module
 * signatures, so that line breaking matches OCaml's. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "typecheck.h"

void ty_names_init(TyNames *nm, Typer *T, bool scheme) {
  memset(nm, 0, sizeof *nm);
  nm->T = T;
  nm->scheme = scheme;
  arena_init(&nm->scratch);
}

void ty_names_done(TyNames *nm) { arena_free(&nm->scratch); }

static bool name_taken(TyNames *nm, const char *s) {
  for (int i = 0; i < nm->n; i++)
    if (strcmp(nm->names[i], s) == 0) return true;
  return false;
}

static bool name_reserved(TyNames *nm, const char *s) {
  for (int i = 0; i < nm->nreserved; i++)
    if (strcmp(nm->reserved[i], s) == 0) return true;
  return false;
}

/* Appends x to the scratch array *v of *n elements and capacity *cap. */
static void push_ptr(TyNames *nm, void ***v, int *n, int *cap, void *x) {
  if (*n == *cap) {
    int c = *cap ? *cap * 2 : 8;
    void **a = ARENA_ARRAY(&nm->scratch, void *, c);
    if (*n) memcpy(a, *v, sizeof(void *) * (size_t)*n);
    *v = a;
    *cap = c;
  }
  (*v)[(*n)++] = x;
}

static void add_name(TyNames *nm, Type *v, const char *s) {
  if (nm->n == nm->cap) {
    int cap = nm->cap ? nm->cap * 2 : 16;
    Type **vs = ARENA_ARRAY(&nm->scratch, Type *, cap);
    const char **ns = ARENA_ARRAY(&nm->scratch, const char *, cap);
    if (nm->n) {
      memcpy(vs, nm->vars, sizeof(Type *) * (size_t)nm->n);
      memcpy(ns, nm->names, sizeof(char *) * (size_t)nm->n);
    }
    nm->vars = vs;
    nm->names = ns;
    nm->cap = cap;
  }
  nm->vars[nm->n] = v;
  nm->names[nm->n++] = s;
}

/* OCaml's Printtyp.new_name: a..z, then a1..z1, ..., skipping names in
 * use and those of the named variables of the types being printed. */
static const char *fresh_name(TyNames *nm) {
  for (;;) {
    int c = nm->counter++;
    const char *s = c < 26 ? arena_printf(&nm->scratch, "%c", 'a' + c)
                           : arena_printf(&nm->scratch, "%c%d", 'a' + c % 26, c / 26);
    if (!name_taken(nm, s) && !name_reserved(nm, s)) return s;
  }
}

/* The printed name of variable v, without the quote. */
static const char *var_name(TyNames *nm, Type *v) {
  for (int i = 0; i < nm->n; i++)
    if (nm->vars[i] == v) return nm->names[i];
  const char *s;
  bool non_gen = nm->scheme && v->level != TY_GENERIC_LEVEL;
  if (v->weak_id) {
    s = arena_printf(&nm->scratch, "%sweak%d", nm->scheme ? "_" : "", v->weak_id);
  } else if (non_gen) {
    v->weak_id = ++nm->T->weak_counter;
    s = arena_printf(&nm->scratch, "_weak%d", v->weak_id);
  } else if (v->name && !name_taken(nm, v->name)) {
    s = v->name;
  } else {
    s = fresh_name(nm);
  }
  add_name(nm, v, s);
  return s;
}

/* Type paths print as the checker found them, except that `Stdlib.t`
 * prints as `t` when `t` still means the same type (OCaml's
 * non_shadowed_pervasive). */
static const char *type_path_raw(TyNames *nm, Type *t);

/* Rows are read (flattened) into the naming context's scratch arena:
 * printing may happen after the phrase arena is gone (interfaces). */
static Arena *use_scratch(TyNames *nm) {
  Arena *saved = nm->T->arena;
  nm->T->arena = &nm->scratch;
  return saved;
}

/* While an error is laid out, a bare name may be disambiguated (t/1). */
static const char *type_path(TyNames *nm, Type *t) {
  const char *p = type_path_raw(nm, t);
  if (nm->T->conflicts) p = ty_conflict_type(nm->T, p, t->decl);
  return p;
}

static const char *type_path_raw(TyNames *nm, Type *t) {
  const char *p = t->decl->path ? t->decl->path : t->path;
  const char *pre = nm->T->print_prefix;
  if (pre && !t->decl->path_whole) {
    /* Inside module M.N's signature, M.N.t and M.t print as t. */
    for (size_t len = strlen(pre); len > 0; len--) {
      if (pre[len - 1] != '.') continue;
      if (strncmp(p, pre, len) == 0) return p + len;
    }
  }
  if (!nm->T->print_full_paths && strncmp(p, "Stdlib.", 7) == 0 && !strchr(p + 7, '.')) {
    TypeDecl *d = env_find(nm->T->env, NS_TYPE, p + 7);
    if (!d || ty_same_decl(d, t->decl)) return p + 7;
  }
  return p;
}

static void pr_type(Fmt *f, TyNames *nm, Type *t);

static void pr_type1(Fmt *f, TyNames *nm, Type *t);

static void pr_simple(Fmt *f, TyNames *nm, Type *t);

/* The type as printed: the types of a `let module` whose scope has ended
 * print expanded (OCaml's nondep_type). The expansion is made once per
 * naming context, so that a cycle through it is the same nodes each time
 * round. */
static Type *view(TyNames *nm, Type *t) {
  t = ty_repr(t);
  if (t->kind == TY_VARIANT) {
    /* Nodes of one row are one type: the first met stands for all. */
    Arena *saved = use_scratch(nm);
    Type *px = ty_row_proxy(nm->T, t);
    nm->T->arena = saved;
    if (px == t) return t;
    for (int i = 0; i < nm->nviews; i += 2)
      if (nm->views[i] == px) return nm->views[i + 1];
    push_ptr(nm, (void ***)&nm->views, &nm->nviews, &nm->cviews, px);
    push_ptr(nm, (void ***)&nm->views, &nm->nviews, &nm->cviews, t);
    return t;
  }
  if (t->kind != TY_CONSTR || !t->decl->out_of_scope || !t->decl->manifest) return t;
  for (int i = 0; i < nm->nviews; i += 2)
    if (nm->views[i] == t) return nm->views[i + 1];
  Type *e = t;
  for (int guard = 0; guard < 100; guard++) {
    if (e->kind != TY_CONSTR || !e->decl->out_of_scope || !e->decl->manifest) break;
    e = ty_repr(ty_expand_once(nm->T, e));
  }
  push_ptr(nm, (void ***)&nm->views, &nm->nviews, &nm->cviews, t);
  push_ptr(nm, (void ***)&nm->views, &nm->nviews, &nm->cviews, e);
  return e;
}

/* ---- Cycles (Printtyp.mark_loops) ---------------------------------------- */

typedef struct MarkPath {
  Type *t;
  const struct MarkPath *up;
} MarkPath;

static bool is_aliased(TyNames *nm, Type *t) {
  for (int i = 0; i < nm->naliased; i++)
    if (nm->aliased[i] == t) return true;
  return false;
}

/* A node met again below itself is aliased; a variable is never (it
 * prints as itself anyway). Named variables reserve their names. The
 * walk follows every path, as OCaml's does, so that the same nodes are
 * aliased. */
static void mark_rec(TyNames *nm, Type *t, const MarkPath *path);

/* A row met twice is aliased, even off a cycle (`([> `A ] as 'a) -> 'a`);
 * its fields' types are walked once, or its name's arguments when it
 * prints as its name. */
static void mark_row(TyNames *nm, Type *t, const MarkPath *here) {
  Typer *T = nm->T;
  Arena *saved = use_scratch(nm);
  RowDesc *r = ty_row_flatten(T, t);
  T->arena = saved;
  bool stat = ty_row_static(T, r);
  for (int i = 0; i < nm->nrows; i++)
    if (nm->rows[i] == t) {
      if (nm->remark) return;
      if (!is_aliased(nm, t)) push_ptr(nm, (void ***)&nm->aliased, &nm->naliased, &nm->caliased, t);
      return;
    }
  if (!stat) push_ptr(nm, (void ***)&nm->rows, &nm->nrows, &nm->crows, t);
  if (r->name) {
    for (int i = 0; i < r->nname_args; i++) mark_rec(nm, r->name_args[i], here);
  }
  for (int i = 0; i < r->n; i++) {
    RfView v;
    saved = use_scratch(nm);
    ty_rf_view(T, r->fields[i], &v);
    T->arena = saved;
    for (int k = 0; k < v.nargs; k++) mark_rec(nm, v.args[k], here);
  }
}

static void mark_rec(TyNames *nm, Type *t, const MarkPath *path) {
  t = view(nm, t);
  if (t->kind == TY_VAR) {
    if (t->name && !name_reserved(nm, t->name))
      push_ptr(nm, (void ***)&nm->reserved, &nm->nreserved, &nm->creserved, (void *)t->name);
    return;
  }
  for (const MarkPath *p = path; p; p = p->up)
    if (p->t == t) {
      if (!is_aliased(nm, t)) push_ptr(nm, (void ***)&nm->aliased, &nm->naliased, &nm->caliased, t);
      return;
    }
  MarkPath here = {t, path};
  if (t->kind == TY_VARIANT) {
    mark_row(nm, t, &here);
    return;
  }
  if (t->kind == TY_ARROW) {
    mark_rec(nm, t->a, &here);
    mark_rec(nm, t->b, &here);
  } else {
    for (int i = 0; i < t->nargs; i++) mark_rec(nm, t->args[i], &here);
  }
}

void ty_names_mark(TyNames *nm, Type *t) {
  Type *r = ty_repr(t);
  nm->remark = false;
  for (int i = 0; i < nm->ntops; i++)
    if (nm->tops[i] == r) nm->remark = true;
  if (!nm->remark) push_ptr(nm, (void ***)&nm->tops, &nm->ntops, &nm->ctops, r);
  mark_rec(nm, t, NULL);
  nm->remark = false;
}

/* The name of an aliased node, if it has one yet. */
static const char *alias_name(TyNames *nm, Type *t) {
  if (!is_aliased(nm, t)) return NULL;
  for (int i = 0; i < nm->n; i++)
    if (nm->vars[i] == t) return nm->names[i];
  return NULL;
}

/* The first occurrence of an aliased node: `body as 'a`, the name chosen
 * before the body's variables are named, as Printtyp does. The body is
 * printed from a copy of the node, which is not aliased itself, so that
 * the occurrences inside it print as 'a. */
/* 'a, or ' a' for a name whose second character is a quote, which
 * would otherwise read as a character literal (Pprintast.tyvar). */
static void pr_tyvar(Fmt *f, const char *name) {
  fmt_string(f, strlen(name) >= 2 && name[1] == '\'' ? "' " : "'");
  fmt_string(f, name);
}

static void pr_alias(Fmt *f, TyNames *nm, Type *t) {
  const char *name = fresh_name(nm);
  add_name(nm, t, name);
  Type body = *t;
  fmt_open_box(f, FMT_B, 0);
  if (t->kind == TY_VARIANT) {
    /* A row prints from its node: a copy would stand for its proxy. */
    Arena *saved = use_scratch(nm);
    Type *px = ty_row_proxy(nm->T, t);
    nm->T->arena = saved;
    bool non_gen = nm->scheme && px->kind == TY_VAR && px->level != TY_GENERIC_LEVEL;
    ty_print_row(f, nm, t, pr_type, non_gen);
  } else {
    pr_type1(f, nm, &body);
  }
  fmt_space(f);
  fmt_string(f, "as ");
  pr_tyvar(f, name);
  fmt_close_box(f);
}

/* Oprint's print_out_type: the level where an alias needs no
 * parentheses. */
static void pr_type(Fmt *f, TyNames *nm, Type *t) {
  t = view(nm, t);
  if (is_aliased(nm, t) && !alias_name(nm, t)) pr_alias(f, nm, t);
  else pr_type1(f, nm, t);
}

static void pr_typlist(Fmt *f, TyNames *nm, Type **ts, int n, const char *sep, bool simple) {
  for (int i = 0; i < n; i++) {
    if (simple) pr_simple(f, nm, ts[i]);
    else pr_type(f, nm, ts[i]);
    if (i + 1 < n) {
      fmt_string(f, sep);
      fmt_space(f);
    }
  }
}

static void pr_typargs(Fmt *f, TyNames *nm, Type **ts, int n) {
  if (n == 0) return;
  if (n == 1) {
    pr_simple(f, nm, ts[0]);
  } else {
    fmt_open_box(f, FMT_B, 1);
    fmt_string(f, "(");
    pr_typlist(f, nm, ts, n, ",", false);
    fmt_string(f, ")");
    fmt_close_box(f);
  }
  fmt_space(f);
}

static void pr_simple(Fmt *f, TyNames *nm, Type *t) {
  t = view(nm, t);
  if (is_aliased(nm, t)) {
    const char *name = alias_name(nm, t);
    if (name) {
      pr_tyvar(f, name);
    } else {
      fmt_open_box(f, FMT_B, 1);
      fmt_string(f, "(");
      pr_alias(f, nm, t);
      fmt_string(f, ")");
      fmt_close_box(f);
    }
    return;
  }
  switch (t->kind) {
  case TY_VAR: pr_tyvar(f, var_name(nm, t)); return;
  case TY_CONSTR:
    fmt_open_box(f, FMT_B, 0);
    pr_typargs(f, nm, t->args, t->nargs);
    fmt_string(f, type_path(nm, t));
    fmt_close_box(f);
    return;
  case TY_PACKAGE:
    fmt_open_box(f, FMT_B, 1);
    fmt_string(f, "(module ");
    fmt_string(f, t->path);
    for (int i = 0; i < t->nargs; i++) {
      fmt_string(f, i ? " and type " : " with type ");
      fmt_string(f, t->pkg_names[i]);
      fmt_string(f, " = ");
      pr_type1(f, nm, t->args[i]);
    }
    fmt_string(f, ")");
    fmt_close_box(f);
    return;
  case TY_VARIANT: {
    Arena *saved = use_scratch(nm);
    Type *px = ty_row_proxy(nm->T, t);
    nm->T->arena = saved;
    bool non_gen = nm->scheme && px->kind == TY_VAR && px->level != TY_GENERIC_LEVEL;
    ty_print_row(f, nm, t, pr_type, non_gen);
    return;
  }
  case TY_ARROW:
  case TY_TUPLE:
    fmt_open_box(f, FMT_B, 1);
    fmt_string(f, "(");
    pr_type(f, nm, t);
    fmt_string(f, ")");
    fmt_close_box(f);
    return;
  }
}

static void pr_type2(Fmt *f, TyNames *nm, Type *t) {
  t = view(nm, t);
  if (t->kind == TY_TUPLE && !is_aliased(nm, t)) {
    fmt_open_box(f, FMT_B, 0);
    pr_typlist(f, nm, t->args, t->nargs, " *", true);
    fmt_close_box(f);
  } else {
    pr_simple(f, nm, t);
  }
}

static void pr_type1(Fmt *f, TyNames *nm, Type *t) {
  t = view(nm, t);
  if (t->kind == TY_ARROW && !is_aliased(nm, t)) {
    fmt_open_box(f, FMT_B, 0);
    if (t->label.kind != LBL_NONE) {
      if (t->label.kind == LBL_OPTIONAL) fmt_string(f, "?");
      fmt_string(f, t->label.name);
      fmt_string(f, ":");
    }
    Type *arg = t->a;
    if (t->label.kind == LBL_OPTIONAL) {
      /* ?l:t -> ...: the argument's type is t option. */
      Type *o = ty_repr(arg);
      if (o->kind == TY_CONSTR && o->decl->builtin == TYB_OPTION) arg = o->args[0];
      else arg = NULL;
    }
    if (arg) pr_type2(f, nm, arg);
    else fmt_string(f, "<hiding>");
    fmt_string(f, " ->");
    fmt_space(f);
    pr_type1(f, nm, t->b);
    fmt_close_box(f);
  } else {
    pr_type2(f, nm, t);
  }
}

void ty_fmt_type(Fmt *f, TyNames *nm, Type *t) {
  ty_names_mark(nm, t);
  pr_type(f, nm, t);
}

void ty_print_scheme(Fmt *f, Typer *T, Type *ty) {
  TyNames nm;
  ty_names_init(&nm, T, true);
  ty_fmt_type(f, &nm, ty);
  ty_names_done(&nm);
}

/* Operators print in parentheses: `val ( +! ) : ...`. */
static void pr_value_ident(Fmt *f, const char *name) {
  unsigned char c = (unsigned char)name[0];
  if (isalpha(c) || c == '_' || c >= 0x80) {
    fmt_string(f, name);
  } else {
    fmt_string(f, "( ");
    fmt_string(f, name);
    fmt_string(f, " )");
  }
}

void ty_print_val(Fmt *f, Typer *T, ValueDesc *v) {
  TyNames nm;
  ty_names_init(&nm, T, true);
  fmt_open_box(f, FMT_B, 2);
  fmt_string(f, v->kind == VAL_PRIM ? "external " : "val ");
  pr_value_ident(f, v->name);
  fmt_string(f, " :");
  fmt_space(f);
  ty_fmt_type(f, &nm, v->ty);
  if (v->kind == VAL_PRIM) {
    fmt_space(f);
    fmt_string(f, "= \"");
    fmt_string(f, v->prim);
    fmt_string(f, "\"");
  }
  fmt_close_box(f);
  ty_names_done(&nm);
}

/* ---- Declarations --------------------------------------------------------- */

/* `C : a * b -> r`: the constructor's variables are named afresh, the
 * result's first, the counter of fresh names going on (Printtyp's
 * tree_of_constructor), and the names in use come back after it. */
static void pr_gadt_constr(Fmt *f, TyNames *nm, ConstrDesc *c, const char *name) {
  int saved_n = nm->n;
  nm->n = 0;
  fmt_open_box(f, FMT_B, 2);
  fmt_string(f, name);
  fmt_string(f, " :");
  fmt_space(f);
  if (c->nargs) {
    pr_typlist(f, nm, c->args, c->nargs, " *", true);
    fmt_string(f, " -> ");
  }
  pr_simple(f, nm, c->res);
  fmt_close_box(f);
  nm->n = saved_n;
}

static void pr_constr(Fmt *f, TyNames *nm, ConstrDesc *c) {
  const char *gname = strcmp(c->name, "::") == 0 ? "(::)" : c->name;
  if (c->gadt) {
    pr_gadt_constr(f, nm, c, gname);
    return;
  }
  for (int i = 0; i < c->nargs; i++) ty_names_mark(nm, c->args[i]);
  const char *name = strcmp(c->name, "::") == 0 ? "(::)" : c->name;
  if (c->nargs == 0) {
    fmt_string(f, name);
    return;
  }
  fmt_open_box(f, FMT_B, 2);
  fmt_string(f, name);
  fmt_string(f, " of");
  fmt_space(f);
  pr_typlist(f, nm, c->args, c->nargs, " *", true);
  fmt_close_box(f);
}

static void pr_field(Fmt *f, TyNames *nm, FieldDesc *fd) {
  fmt_open_box(f, FMT_B, 2);
  if (fd->mutable_) fmt_string(f, "mutable ");
  fmt_string(f, fd->name);
  fmt_string(f, " :");
  fmt_space(f);
  if (fd->nuniv) {
    /* `'a 'b. t` (Oprint's Otyp_poly). */
    fmt_open_box(f, FMT_HOV, 2);
    for (int i = 0; i < fd->nuniv; i++) {
      if (i) fmt_string(f, " ");
      pr_type(f, nm, fd->univars[i]);
    }
    fmt_string(f, ".");
    fmt_space(f);
    pr_type(f, nm, fd->ty);
    fmt_close_box(f);
  } else {
    pr_type(f, nm, fd->ty);
  }
  fmt_close_box(f);
  fmt_string(f, ";");
}

/* A parameter as declared: abstract and private types show their
 * annotated variance (`type +'a t`), as Printtyp does for them. */
static void pr_param(Fmt *f, TyNames *nm, TypeDecl *d, int i) {
  bool abstr = (d->kind == TD_ABSTRACT && !d->manifest) || d->private_;
  /* A parameter constraints made a type shows its variance too (not a
   * repeated one, which filter_params wraps in a one-item tuple). */
  Type *p = ty_repr(d->params[i]);
  bool is_var = p->kind == TY_VAR || (p->kind == TY_TUPLE && p->nargs == 1);
  if ((abstr || !is_var) && d->variance) {
    unsigned char v = d->variance[i];
    bool co = v & (VAR_CO | VAR_INV), cn = v & (VAR_CONTRA | VAR_INV);
    if (!cn) fmt_string(f, "+");
    else if (!co) fmt_string(f, "-");
    if (v & VAR_INJ) fmt_string(f, "!");
  }
  /* `type _ t`: an anonymous parameter (Oprint's type_parameter). */
  if (p->kind == TY_VAR && !is_aliased(nm, p) &&
      ((p->name && strcmp(p->name, "_") == 0 && !(d->manifest && ty_occurs(p, d->manifest, 100))) ||
       strcmp(var_name(nm, p), "_") == 0)) {
    fmt_string(f, "_");
    return;
  }
  pr_simple(f, nm, d->params[i]);
}

void ty_print_constr(Fmt *f, Typer *T, ConstrDesc *c) {
  TyNames nm;
  ty_names_init(&nm, T, false);
  pr_constr(f, &nm, c);
  ty_names_done(&nm);
}

void ty_print_label(Fmt *f, Typer *T, FieldDesc *fd) {
  TyNames nm;
  ty_names_init(&nm, T, false);
  pr_field(f, &nm, fd);
  ty_names_done(&nm);
}

static void pr_type_defined(Fmt *f, TyNames *nm, TypeDecl *d) {
  if (d->nparams == 0) {
    fmt_string(f, d->name);
  } else if (d->nparams == 1) {
    fmt_open_box(f, FMT_B, 0);
    pr_param(f, nm, d, 0);
    fmt_space(f);
    fmt_string(f, d->name);
    fmt_close_box(f);
  } else {
    fmt_open_box(f, FMT_B, 0);
    fmt_string(f, "(");
    fmt_open_box(f, FMT_B, 0);
    for (int i = 0; i < d->nparams; i++) {
      if (i) {
        fmt_string(f, ",");
        fmt_space(f);
      }
      pr_param(f, nm, d, i);
    }
    fmt_string(f, ")");
    fmt_close_box(f);
    fmt_space(f);
    fmt_string(f, d->name);
    fmt_close_box(f);
  }
}

/* d with a parameter that repeats an earlier one (after constraints)
 * wrapped in a one-item tuple, which prints as its item: each parameter
 * then gets a name of its own (Printtyp.filter_params). */
static TypeDecl *filter_params(Typer *T, TypeDecl *d, Arena *a) {
  TypeDecl *c = NULL;
  for (int i = 0; i < d->nparams; i++) {
    Type *p = ty_repr(d->params[i]);
    bool dup = false;
    for (int k = 0; k < i && !dup; k++) dup = ty_repr(d->params[k]) == p;
    if (!dup) continue;
    if (!c) {
      c = ARENA_NEW(a, TypeDecl);
      *c = *d;
      c->params = ARENA_ARRAY(a, Type *, d->nparams);
      memcpy(c->params, d->params, sizeof(Type *) * (size_t)d->nparams);
    }
    Type *w = ARENA_NEW(a, Type);
    w->kind = TY_TUPLE;
    w->id = ++T->next_type_id;
    w->level = p->level;
    w->nargs = 1;
    w->args = ARENA_ARRAY(a, Type *, 1);
    w->args[0] = p;
    c->params[i] = w;
  }
  return c ? c : d;
}

void ty_print_type_decl(Fmt *f, Typer *T, TypeDecl *d, bool first) {
  TyNames nm;
  ty_names_init(&nm, T, false);
  d = filter_params(T, d, &nm.scratch);
  /* Parameters keep their declared names: reserve them first, then
   * mark the declaration's types (Printtyp.tree_of_type_decl). */
  for (int i = 0; i < d->nparams; i++) {
    Type *p = ty_repr(d->params[i]);
    /* A parameter an alias made a type (`type 'a t = 'a list as 'a`)
     * prints by its name, and its type as a constraint. */
    if (p->kind != TY_VAR && !is_aliased(&nm, p)) {
      push_ptr(&nm, (void ***)&nm.aliased, &nm.naliased, &nm.caliased, p);
      add_name(&nm, p, fresh_name(&nm));
    }
    var_name(&nm, p);
  }
  if (d->manifest) ty_names_mark(&nm, d->manifest);
  for (int i = 0; i < d->nconstrs; i++) {
    if (d->constrs[i]->gadt) ty_names_mark(&nm, d->constrs[i]->res);
    for (int k = 0; k < d->constrs[i]->nargs; k++) ty_names_mark(&nm, d->constrs[i]->args[k]);
  }
  for (int i = 0; i < d->nfields; i++) ty_names_mark(&nm, d->fields[i]->ty);
  fmt_open_box(f, FMT_B, 2);
  fmt_open_box(f, FMT_HV, 2);
  fmt_string(f, first ? (d->nonrec ? "type nonrec " : "type ") : "and ");
  pr_type_defined(f, &nm, d);
  bool has_kind = d->kind != TD_ABSTRACT;
  if (d->manifest && has_kind && !d->manifest_implied) {
    fmt_string(f, " =");
    fmt_space(f);
    pr_type(f, &nm, d->manifest);
  }
  const char *priv = d->private_ ? " private" : "";
  if (d->kind == TD_RECORD) {
    fmt_string(f, " =");
    fmt_string(f, priv);
    fmt_string(f, " {");
    for (int i = 0; i < d->nfields; i++) {
      fmt_space(f);
      pr_field(f, &nm, d->fields[i]);
    }
    fmt_break(f, 1, -2);
    fmt_string(f, "}");
  } else if (d->kind == TD_VARIANT) {
    fmt_string(f, " =");
    fmt_string(f, priv);
    fmt_break(f, 1, 2);
    if (d->nconstrs == 0) fmt_string(f, "|");
    for (int i = 0; i < d->nconstrs; i++) {
      if (i) {
        fmt_space(f);
        fmt_string(f, "| ");
      }
      pr_constr(f, &nm, d->constrs[i]);
    }
  } else if (d->manifest) {
    fmt_string(f, " =");
    fmt_string(f, priv);
    fmt_break(f, 1, 2);
    nm.hide_row_name = d;
    pr_type(f, &nm, d->manifest);
    nm.hide_row_name = NULL;
  }
  fmt_close_box(f);
  for (int i = 0; i < d->nparams; i++) {
    Type *p = ty_repr(d->params[i]);
    if (p->kind == TY_VAR) continue;
    Type body = *p; /* not aliased: prints as the type, not as its name */
    fmt_space(f);
    fmt_open_box(f, FMT_B, 2);
    fmt_string(f, "constraint ");
    pr_simple(f, &nm, p);
    fmt_string(f, " =");
    fmt_space(f);
    if (p->kind == TY_VARIANT) {
      /* A row prints from its node (see pr_alias). */
      Arena *saved = use_scratch(&nm);
      Type *px = ty_row_proxy(T, p);
      T->arena = saved;
      ty_print_row(f, &nm, p, pr_type, px->kind == TY_VAR && px->level != TY_GENERIC_LEVEL && nm.scheme);
    } else {
      pr_type(f, &nm, &body);
    }
    fmt_close_box(f);
  }
  fmt_close_box(f);
  ty_names_done(&nm);
}

void ty_print_exception(Fmt *f, Typer *T, ConstrDesc *cd) {
  TyNames nm;
  ty_names_init(&nm, T, false);
  fmt_open_box(f, FMT_B, 2);
  fmt_string(f, "exception ");
  pr_constr(f, &nm, cd);
  fmt_close_box(f);
  ty_names_done(&nm);
}

/* ---- Modules ------------------------------------------------------------------ */

static void pr_module_type(Fmt *f, Typer *T, ModuleDesc *md);

static void pr_sig_item(Fmt *f, Typer *T, ModItem *it, bool first_of_group) {
  switch (it->kind) {
  case MI_VALUE: ty_print_val(f, T, it->desc); break;
  case MI_TYPE: ty_print_type_decl(f, T, it->desc, first_of_group); break;
  case MI_EXCEPTION: ty_print_exception(f, T, it->desc); break;
  case MI_MODULE:
    ty_print_module_kw(f, T, it->desc, !it->rec_module ? "module " : first_of_group ? "module rec " : "and ");
    break;
  case MI_MODTYPE: ty_print_modtype(f, T, it->desc); break;
  }
}

static void pr_signature(Fmt *f, Typer *T, ModuleDesc *md) {
  if (md->nitems == 0) {
    fmt_string(f, "sig end");
    return;
  }
  fmt_open_box(f, FMT_HV, 2);
  fmt_string(f, "sig");
  for (int i = 0; i < md->nitems; i++) {
    fmt_space(f);
    bool first = i == 0 || md->items[i - 1].kind != md->items[i].kind || !md->items[i - 1].rec_next;
    if (T->conflicts) ty_conflict_enter_item(T, md, i);
    pr_sig_item(f, T, &md->items[i], first);
    if (T->conflicts) ty_conflict_leave_item(T);
  }
  fmt_break(f, 1, -2);
  fmt_string(f, "end");
  fmt_close_box(f);
}

/* A module type where only a simple one may stand (Oprint's
 * print_simple_out_module_type): a functor type in parentheses. */
static void pr_simple_mty(Fmt *f, Typer *T, ModuleDesc *md) {
  if (!md->sig_name && md->is_functor) {
    fmt_string(f, "(");
    pr_module_type(f, T, md);
    fmt_string(f, ")");
  } else {
    pr_module_type(f, T, md);
  }
}

static bool anonymous_param(const ModuleDesc *fn) { return fn->param && strcmp(fn->param, "_") == 0; }

/* Parameters ps[0..n) of a run of functors (Oprint's
 * print_out_functor_parameters): an anonymous one as `S ->`, the others
 * grouped as `functor (X : S) () (_ : T) ->` up to the trailing
 * anonymous ones. */
static void pr_functor_params(Fmt *f, Typer *T, ModuleDesc **ps, int n) {
  if (n == 0) return;
  if (anonymous_param(ps[0])) {
    pr_simple_mty(f, T, ps[0]->param_type);
    fmt_string(f, " ->");
    fmt_space(f);
    pr_functor_params(f, T, ps + 1, n - 1);
    return;
  }
  int args = n;
  while (args > 0 && anonymous_param(ps[args - 1])) args--;
  fmt_open_box(f, FMT_B, 2);
  fmt_string(f, "functor");
  for (int i = 0; i < args; i++) {
    fmt_space(f);
    if (!ps[i]->param) {
      fmt_string(f, "()");
      continue;
    }
    fmt_string(f, "(");
    fmt_string(f, ps[i]->param);
    fmt_string(f, " : ");
    pr_module_type(f, T, ps[i]->param_type);
    fmt_string(f, ")");
  }
  fmt_close_box(f);
  fmt_space(f);
  fmt_string(f, "->");
  fmt_space(f);
  pr_functor_params(f, T, ps + args, n - args);
}

/* A functor type as OCaml's Oprint lays it out (print_out_functor): its
 * parameters, then what is not a functor any more. */
static void pr_functor(Fmt *f, Typer *T, ModuleDesc *md) {
  int n = 0;
  for (ModuleDesc *m = md; m->is_functor && (m == md || !m->sig_name); m = m->result) n++;
  ModuleDesc **ps = malloc(sizeof *ps * (size_t)n);
  if (!ps) nml_fatal("out of memory");
  ModuleDesc *m = md;
  for (int i = 0; i < n; i++, m = m->result) ps[i] = m;
  fmt_open_box(f, FMT_B, 2);
  pr_functor_params(f, T, ps, n);
  pr_simple_mty(f, T, m);
  fmt_close_box(f);
  free(ps);
}

static void pr_module_type(Fmt *f, Typer *T, ModuleDesc *md) {
  if (md->sig_name) {
    fmt_string(f, T->conflicts && md->is_abstract ? ty_conflict_modtype(T, md->sig_name, md) : md->sig_name);
  } else if (md->is_functor) {
    pr_functor(f, T, md);
  } else {
    pr_signature(f, T, md);
  }
}

void ty_print_module_type(Fmt *f, Typer *T, ModuleDesc *md) { pr_module_type(f, T, md); }

void ty_print_module(Fmt *f, Typer *T, ModuleDesc *md) { ty_print_module_kw(f, T, md, "module "); }

void ty_print_module_kw(Fmt *f, Typer *T, ModuleDesc *md, const char *kw) {
  const char *saved = T->print_prefix;
  char *prefix = NULL;
  if (md->path && *md->path) {
    size_t n = strlen(md->path);
    prefix = malloc(n + 2);
    if (!prefix) nml_fatal("out of memory");
    memcpy(prefix, md->path, n);
    prefix[n] = '.';
    prefix[n + 1] = 0;
    T->print_prefix = prefix;
  }
  fmt_open_box(f, FMT_B, 2);
  fmt_string(f, kw);
  fmt_string(f, md->name);
  if (md->is_alias) {
    fmt_string(f, " =");
    fmt_space(f);
    fmt_string(f, md->alias_of);
  } else {
    fmt_string(f, " :");
    fmt_space(f);
    pr_module_type(f, T, md);
  }
  fmt_close_box(f);
  T->print_prefix = saved;
  free(prefix);
}

void ty_print_modtype(Fmt *f, Typer *T, ModuleDesc *md) {
  fmt_open_box(f, FMT_B, 2);
  fmt_string(f, "module type ");
  fmt_string(f, md->name);
  if (md->is_abstract) {
    /* `module type A`, or another name for one: `module type C = A`. */
    if (md->sig_name && strcmp(md->sig_name, md->name) != 0) {
      fmt_string(f, " =");
      fmt_space(f);
      fmt_string(f, md->sig_name);
    }
    fmt_close_box(f);
    return;
  }
  fmt_string(f, " =");
  fmt_space(f);
  if (md->body_name) { /* `module type T = S` */
    fmt_string(f, md->body_name);
    fmt_close_box(f);
    return;
  }
  /* The declaration shows the signature itself, not its own name. */
  const char *sn = md->sig_name;
  md->sig_name = NULL;
  pr_module_type(f, T, md);
  md->sig_name = sn;
  fmt_close_box(f);
}

/* ---- Strings for tests and dumps ------------------------------------------------ */

const char *ty_to_string(Typer *T, Type *t, bool scheme) {
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_set_margin(f, 1000000);
  TyNames nm;
  ty_names_init(&nm, T, scheme);
  ty_fmt_type(f, &nm, t);
  fmt_flush(f);
  fmt_free(f);
  const char *s = arena_strdup(T->arena, b.data ? b.data : "");
  buf_free(&b);
  ty_names_done(&nm);
  return s;
}
