/* ty_row_print.c — how a polymorphic variant type prints: Printtyp's
 * tree_of_row (fields sorted, absent ones dropped from closed rows, the
 * present tags after `>` when some are not, an abbreviation `[< t ]`
 * when the row still has its name) and Oprint's Otyp_variant layout.
 * ty_print.c calls it for TY_VARIANT nodes. */
#include <string.h>

#include "typecheck.h"

/* OCaml's namable_row: a row that has a name prints as it when its
 * undecided fields still say just what the name's definition says. */
static bool namable(TyNames *nm, RowDesc *r) {
  Typer *T = nm->T;
  if (!r->name || ty_same_decl(r->name, nm->hide_row_name)) return false;
  for (int i = 0; i < r->n; i++) {
    RfView v;
    ty_rf_view(T, r->fields[i], &v);
    if (v.kind != RF_EITHER) continue;
    if (!r->closed) return false;
    if (v.constant ? v.nargs != 0 : v.nargs != 1) return false;
  }
  return true;
}

/* The argument types of a field, each once (OCaml's normalize_type drops
 * the conjuncts that are the same type). */
static int distinct_args(RfView *v, Type **out) {
  int n = 0;
  for (int i = 0; i < v->nargs; i++) {
    bool dup = false;
    for (int k = 0; k < n && !dup; k++) dup = ty_repr(out[k]) == ty_repr(v->args[i]);
    if (!dup) out[n++] = v->args[i];
  }
  return n;
}

/* Prints t with the phrase's arena back in place: the printer's own
 * bookkeeping (names in inclusion errors) must outlive the scratch. */
static void call_pr(Fmt *f, TyNames *nm, TyPrFn pr, Type *t, Arena *outer) {
  Arena *scratch = nm->T->arena;
  nm->T->arena = outer;
  pr(f, nm, t);
  nm->T->arena = scratch;
}

static void pr_field(Fmt *f, TyNames *nm, const char *tag, RfView *v, TyPrFn pr, Arena *outer) {
  Typer *T = nm->T;
  Type **args = ARENA_ARRAY(T->arena, Type *, v->nargs + 1);
  int n = v->kind == RF_ABSENT ? 0 : distinct_args(v, args);
  bool amp = v->kind == RF_EITHER && v->constant && n > 0;
  fmt_open_box(f, FMT_HV, 2);
  fmt_string(f, "`");
  fmt_string(f, tag);
  if (amp) {
    fmt_string(f, " of");
    fmt_space(f);
    fmt_string(f, "&");
    fmt_space(f);
  } else if (n > 0) {
    fmt_string(f, " of");
    fmt_space(f);
  }
  for (int i = 0; i < n; i++) {
    call_pr(f, nm, pr, args[i], outer);
    if (i + 1 < n) {
      fmt_string(f, " &");
      fmt_space(f);
    }
  }
  fmt_close_box(f);
}

static void print_row(Fmt *f, TyNames *nm, Type *t, TyPrFn pr, bool non_gen, Arena *outer);

void ty_print_row(Fmt *f, TyNames *nm, Type *t, TyPrFn pr, bool non_gen) {
  /* Rows are read into the naming context's scratch arena: printing may
   * happen after the phrase arena is gone (interfaces). */
  Arena *saved = nm->T->arena;
  nm->T->arena = &nm->scratch;
  print_row(f, nm, t, pr, non_gen, saved);
  nm->T->arena = saved;
}

static void print_row(Fmt *f, TyNames *nm, Type *t, TyPrFn pr, bool non_gen, Arena *outer) {
  Typer *T = nm->T;
  RowDesc *r = ty_row_flatten(T, t);
  RfView *views = ARENA_ARRAY(T->arena, RfView, r->n + 1);
  const char **tags = ARENA_ARRAY(T->arena, const char *, r->n + 1);
  int n = 0, npresent = 0;
  for (int i = 0; i < r->n; i++) {
    ty_rf_view(T, r->fields[i], &views[n]);
    if (r->closed && views[n].kind == RF_ABSENT) continue;
    if (views[n].kind == RF_PRESENT) npresent++;
    tags[n++] = r->tags[i];
  }
  bool all_present = npresent == n;
  /* A private row prints as its type (OCaml's normalize_type, PR#7348). */
  Type *rv = ty_repr(r->more);
  bool args_known = rv->kind == TY_VAR && rv->decl &&
                    (rv->decl->nparams == 0 || (r->name && ty_same_decl(r->name, rv->decl)));
  /* (A declaration printed from a copy, e.g. after a `with`, is its own.) */
  bool own =
      args_known && nm->hide_row_name &&
      (ty_same_decl(rv->decl, nm->hide_row_name) || strcmp(rv->decl->name, nm->hide_row_name->name) == 0);
  if (r->fixed && args_known && !own) {
    Type priv = {0};
    priv.kind = TY_CONSTR;
    priv.decl = rv->decl;
    priv.path = rv->decl->path ? rv->decl->path : rv->decl->name;
    priv.id = -1;
    if (rv->decl->nparams) {
      priv.args = r->name_args;
      priv.nargs = r->nname_args;
    }
    call_pr(f, nm, pr, &priv, outer);
    return;
  }
  if (namable(nm, r) && r->closed && all_present) {
    Type named = {0};
    named.kind = TY_CONSTR;
    named.decl = r->name;
    named.args = r->name_args;
    named.nargs = r->nname_args;
    named.path = r->name_path;
    named.id = -1;
    call_pr(f, nm, pr, &named, outer);
    return;
  }
  if ((r->closed && all_present) || r->fixed) non_gen = false;
  if (non_gen) fmt_string(f, "_");
  fmt_open_box(f, FMT_HOV, 0);
  fmt_string(f, "[");
  fmt_string(f, r->closed ? (all_present ? " " : "< ") : (all_present ? "> " : "? "));
  fmt_open_box(f, FMT_HV, 0);
  fmt_open_box(f, FMT_HV, 0);
  if (namable(nm, r)) {
    Type named = {0};
    named.kind = TY_CONSTR;
    named.decl = r->name;
    named.args = r->name_args;
    named.nargs = r->nname_args;
    named.path = r->name_path;
    named.id = -1;
    call_pr(f, nm, pr, &named, outer);
  } else {
    for (int i = 0; i < n; i++) {
      if (i) {
        fmt_break(f, 1, -2);
        fmt_string(f, "| ");
      }
      pr_field(f, nm, tags[i], &views[i], pr, outer);
    }
  }
  fmt_close_box(f);
  if (!all_present && npresent > 0) {
    fmt_break(f, 1, -2);
    fmt_string(f, "> ");
    fmt_open_box(f, FMT_HOV, 0);
    bool first = true;
    for (int i = 0; i < n; i++) {
      if (views[i].kind != RF_PRESENT) continue;
      if (!first) fmt_space(f);
      first = false;
      fmt_string(f, "`");
      fmt_string(f, tags[i]);
    }
    fmt_close_box(f);
  }
  fmt_close_box(f);
  fmt_space(f);
  fmt_string(f, "]");
  fmt_close_box(f);
}
