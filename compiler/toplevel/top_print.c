/* top_print.c — what the toplevel prints after a phrase: diagnostics,
 * `val x : t = v` and `- : t = v` lines, type and exception declarations,
 * and uncaught exceptions, in OCaml's layout (through fmt.c/printval.c).
 * Also binds each value the phrase defines to a fresh slot: printing
 * walks the unit's value list, so binding and reporting go together. */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "natml_runtime.h"
#include "session.h"

bool top_color_wanted(TopColor setting) {
  if (setting != TOP_COLOR_AUTO) return setting == TOP_COLOR_ALWAYS;
  /* OCaml asks about standard error even for what goes to standard
   * output (Misc.Color.should_enable_color). */
  const char *term = getenv("TERM");
  return term && *term && strcmp(term, "dumb") != 0 && isatty(2);
}

/* ---- Highlighting at a terminal ------------------------------------------
 * OCaml's toplevel, writing to a terminal, shows where a diagnostic of
 * the phrase just typed points by redrawing the phrase in place, the
 * location underlined, instead of printing the location's line and an
 * excerpt (Location.highlight_terminfo): the cursor goes up over the
 * phrase and what was printed after it, the phrase is printed again
 * behind its prompts, and the cursor comes back down. Phrases taller
 * than the screen are left alone. */

static int terminal_rows(void) {
  struct winsize ws;
  return ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 ? ws.ws_row : 24;
}

static int count_lines(const char *text, size_t len) {
  int n = 0;
  for (size_t i = 0; i < len; i++) n += text[i] == '\n';
  return n;
}

/* Redraws the phrase ctx->src with the spans [starts[i], ends[i])
 * underlined; false when it does not fit on the screen. */
static bool highlight_phrase(Session *s, const Ctx *ctx, const Diag *d) {
  int lines = s->lines_since_input + count_lines(ctx->src, (size_t)ctx->srclen);
  if (lines >= terminal_rows() - 2) return false;
  Loc locs[2];
  int nlocs = 0;
  if (d->has_loc && !d->loc_line_only) locs[nlocs++] = d->loc;
  if (d->has_extra) locs[nlocs++] = d->extra_loc;
  FILE *out = s->msgs;
  fflush(out);
  if (lines >= 1) fprintf(out, "\033[%dA", lines);
  fputs("# ", out);
  bool bol = false;
  for (int pos = 0; pos < ctx->srclen; pos++) {
    if (bol) fputs("  ", out);
    for (int i = 0; i < nlocs; i++) {
      if (pos == locs[i].off1) fputs("\033[4m", out);
      if (pos == locs[i].off2) fputs("\033[0m", out);
    }
    fputc(ctx->src[pos], out);
    bol = ctx->src[pos] == '\n';
  }
  fputs("\033[0m", out);
  if (s->lines_since_input >= 1) fprintf(out, "\033[%dB", s->lines_since_input);
  fflush(out);
  return true;
}

void top_print_diags(Session *s, Ctx *ctx) {
  if (!ctx->diags) return;
  Buf b;
  buf_init(&b);
  /* The phrase typed at the prompt, not a #use'd file's. */
  bool phrase = s->highlight && !ctx->filename;
  for (Diag *d = ctx->diags; d; d = d->next) {
    buf_clear(&b);
    if (phrase && d->has_loc && highlight_phrase(s, ctx, d)) diag_print_highlighted(&b, ctx, d, s->color);
    else diag_print(&b, ctx, d, s->color);
    fputs(b.data ? b.data : "", s->msgs);
    s->lines_since_input += count_lines(b.data ? b.data : "", b.len);
  }
  ctx_clear_diags(ctx);
  buf_free(&b);
}

static void print_type_cb(Fmt *f, Type *ty, void *arg) { ty_print_scheme(f, (Typer *)arg, ty); }

/* Finds an exception's description from its constructor block the way
 * OCaml's printer does: by the name stored in the block, looked up in the
 * current environment, checked to denote this very block. */
static ConstrDesc *find_exn(void *arg, value block) {
  Session *s = arg;
  const char *full = String_val(Field(block, 0));
  const char *dot = strrchr(full, '.');
  Env *env = ty_env(s->ty);
  const Env *scope = env;
  if (dot) {
    /* The module path, split at its dots: as long and deep as written. */
    char *buf = strndup(full, (size_t)(dot - full));
    int nmods = 1;
    for (const char *p = full; p < dot; p++) nmods += *p == '.';
    const char **mods = malloc(sizeof *mods * (size_t)nmods);
    if (!buf || !mods) nml_fatal("out of memory");
    nmods = 0;
    for (char *p = buf; p;) {
      mods[nmods++] = p;
      p = strchr(p, '.');
      if (p) *p++ = 0;
    }
    int missing;
    ModuleDesc *md = env_find_module_path(env, mods, nmods, &missing);
    free(mods);
    free(buf);
    if (!md || !md->env) return NULL;
    scope = md->env;
  }
  ConstrDesc *cd = env_find(scope, NS_CONSTR, dot ? dot + 1 : full);
  if (!cd || !cd->is_exn || !cd->exn_val) return NULL;
  ValueDesc *vd = cd->exn_val;
  if (vd->kind != VAL_GLOBAL) return NULL;
  value *slot = dl_lookup(s->dl, vd->symbol);
  return slot && *slot == block ? cd : NULL;
}

/* OCaml qualifies a constructor or a record's first label with its
 * type's module path when the bare name does not denote that type's
 * constructor or label in the current environment (genprintval's
 * tree_of_qualified). */
static bool qualify(void *arg, Type *ty, const char *name, bool is_label) {
  Session *s = arg;
  Env *env = ty_env(s->ty);
  if (is_label) {
    FieldDesc *fd = env_find(env, NS_FIELD, name);
    return !fd || !ty_same_decl(fd->decl, ty->decl);
  }
  ConstrDesc *cd = env_find(env, NS_CONSTR, name);
  return !cd || cd->is_exn || !cd->decl || !ty_same_decl(cd->decl, ty->decl);
}

PvOptions top_printval_options(Session *s) {
  PvOptions o = top_printers_options(s);
  o.find_exn = find_exn;
  o.qualify = qualify;
  return o;
}

void top_print_exception(Session *s, value exn) {
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  PvOptions o = top_printval_options(s);
  printval_print_exception(f, exn, &o);
  fmt_free(f);
  fputs(b.data ? b.data : "", s->msgs);
  buf_free(&b);
}

/* `include me` and `open struct ... end`: each component of the included
 * signature in order, as OCaml's toplevel reports them, values with their
 * values (bs: the item's bound values). */
static void print_include(Fmt *f, Session *s, Item *it, PvBinding *bs, int nb, PvOptions *o) {
  ModuleDesc *md = it->mexpr->md;
  if (!md) return;
  Env *env = ty_env(s->ty);
  for (int k = 0; k < md->nitems; k++) {
    ModItem *mi = &md->items[k];
    switch (mi->kind) {
    case MI_VALUE: {
      bool found = false;
      for (int j = 0; j < nb && !found; j++)
        if (it->bound.items[j] == mi->desc) {
          printval_print_bindings(f, &bs[j], 1, o, print_type_cb, s->ty);
          found = true;
        }
      /* `include M`: M's values are globals of earlier phrases. */
      ValueDesc *vd = mi->desc;
      value *slot = found ? NULL : top_value_slot(s, vd);
      if (slot) {
        PvBinding b = {mi->name, vd->ty, *slot};
        printval_print_bindings(f, &b, 1, o, print_type_cb, s->ty);
      }
      break;
    }
    case MI_TYPE: {
      TypeDecl *d = env_find(env, NS_TYPE, mi->name);
      if (d) ty_print_type_decl(f, s->ty, d, true);
      fmt_flush_newline(f);
      break;
    }
    case MI_EXCEPTION: {
      ConstrDesc *c = env_find(env, NS_CONSTR, mi->name);
      if (c) ty_print_exception(f, s->ty, c);
      fmt_flush_newline(f);
      break;
    }
    case MI_MODULE: {
      ModuleDesc *m = env_find(env, NS_MODULE, mi->name);
      if (m) ty_print_module(f, s->ty, m);
      fmt_flush_newline(f);
      break;
    }
    case MI_MODTYPE: {
      ModuleDesc *m = env_find(env, NS_MODTYPE, mi->name);
      if (m) ty_print_modtype(f, s->ty, m);
      fmt_flush_newline(f);
      break;
    }
    }
  }
}

/* Binds the values of items to slots (walking the unit's list) and
 * prints the phrase's report. */
void top_print_results(Session *s, Item **items, int n, value list) {
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  PvOptions o = top_printval_options(s);
  for (int i = 0; i < n; i++) {
    Item *it = items[i];
    if (it->kind == ITEM_EVAL) {
      NML_ASSERT(Is_block(list));
      value v = Field(list, 0);
      list = Field(list, 1);
      if (!s->silent) printval_print_eval(f, it->expr->ty, v, &o, print_type_cb, s->ty);
      continue;
    }
    int nb = it->bound.len;
    PvBinding *bs = calloc((size_t)(nb > 0 ? nb : 1), sizeof(PvBinding));
    for (int j = 0; j < nb; j++) {
      ValueDesc *bd = it->bound.items[j];
      if (bd->kind == VAL_PRIM) { /* an external: no run-time value */
        bs[j].name = bd->name;
        bs[j].ty = ty_committed(bd)->ty;
        bs[j].v = Val_unit;
        continue;
      }
      NML_ASSERT(Is_block(list));
      value v = Field(list, 0);
      list = Field(list, 1);
      ValueDesc *vd = ty_rebind_global(s->ty, it->bound.items[j], top_new_slot(s, v));
      bs[j].name = vd->name;
      bs[j].ty = vd->ty;
      bs[j].v = v;
    }
    if (!s->silent) {
      if (it->kind == ITEM_VALUE) printval_print_bindings(f, bs, nb, &o, print_type_cb, s->ty);
      else if (it->kind == ITEM_INCLUDE) print_include(f, s, it, bs, nb, &o);
      else {
        ty_print_item(f, s->ty, it);
        fmt_flush(f);
      }
    }
    free(bs);
  }
  fmt_free(f);
  nml_flush_std(); /* what the user's printers wrote comes first */
  fputs(b.data ? b.data : "", s->out);
  buf_free(&b);
}
