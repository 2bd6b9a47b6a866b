/* diag.c — diagnostics: recording errors and warnings while a phrase is
 * compiled (warnings as the session's settings say), unwinding on errors
 * to the one protected call (ctx_protect), and printing them in OCaml
 * 4.13's format (location line, source excerpt with carets or dotted
 * multi-line excerpt, then "Error: ..." / "Warning N [name]: ..."), in
 * OCaml's colours when asked. */
#include "diag.h"

#include <stdio.h>
#include <string.h>

Diag *ctx_add_diag(Ctx *ctx, DiagSeverity sev, Loc loc, const char *text) {
  Diag *d = ARENA_NEW(ctx->arena, Diag);
  d->sev = sev;
  d->loc = loc;
  d->has_loc = true;
  d->text = arena_strdup(ctx->arena, text);
  *ctx->diags_tail = d;
  ctx->diags_tail = &d->next;
  return d;
}

void ctx_init(Ctx *ctx, Arena *a, Arena *perm, const char *src, int len) {
  memset(ctx, 0, sizeof *ctx);
  ctx->arena = a;
  ctx->perm = perm;
  ctx->src = src;
  ctx->srclen = len;
  ctx->diags_tail = &ctx->diags;
}

void ctx_clear_diags(Ctx *ctx) {
  ctx->diags = NULL;
  ctx->diags_tail = &ctx->diags;
}

bool ctx_protect(Ctx *ctx, void (*fn)(Ctx *ctx, void *arg), void *arg) {
  jmp_buf here, *outer = ctx->bail;
  ctx->bail = &here;
  if (setjmp(here) != 0) {
    ctx->bail = outer;
    return false;
  }
  fn(ctx, arg);
  ctx->bail = outer;
  return true;
}

void ctx_bail(Ctx *ctx) {
  NML_ASSERT(ctx->bail != NULL);
  longjmp(*ctx->bail, 1);
}

void ctx_error(Ctx *ctx, Loc loc, const char *text) {
  ctx_add_diag(ctx, DIAG_ERROR, loc, text);
  ctx_bail(ctx);
}

void ctx_errorf(Ctx *ctx, Loc loc, const char *fmt, ...) {
  Buf b;
  buf_init(&b);
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(&b, fmt, ap);
  va_end(ap);
  ctx_add_diag(ctx, DIAG_ERROR, loc, b.data);
  buf_free(&b);
  ctx_bail(ctx);
}

void ctx_error_noloc(Ctx *ctx, const char *text) {
  Loc none = {0};
  Diag *d = ctx_add_diag(ctx, DIAG_ERROR, none, text);
  d->has_loc = false;
  ctx_bail(ctx);
}

void ctx_warn(Ctx *ctx, Loc loc, int num, const char *name, const char *text) {
  const WarnSettings *w = ctx->warnings;
  bool known = num >= 1 && num <= WARN_LAST;
  if (w && known && !w->active[num]) return;
  Diag *d = ctx_add_diag(ctx, DIAG_WARNING, loc, text);
  d->warn_num = num;
  d->warn_name = name;
  if (w && known && w->error[num]) {
    d->warn_error = true;
    ctx->fatal_warnings++;
  }
}

void ctx_check_fatal(Ctx *ctx) {
  if (ctx->fatal_warnings == 0) return;
  ctx->fatal_warnings = 0;
  ctx_bail(ctx);
}

/* OCaml's styles (Misc.Color's defaults) as ANSI sequences. */
static const char *const style_codes[] = {
    [DIAG_STYLE_LOC] = "\x1b[1m",
    [DIAG_STYLE_ERROR] = "\x1b[1;31m",
    [DIAG_STYLE_WARNING] = "\x1b[1;35m",
};

void diag_styled(Buf *out, bool color, DiagStyle style, const char *text) {
  if (color) buf_puts(out, style_codes[style]);
  buf_puts(out, text);
  if (color) buf_puts(out, "\x1b[0m");
}

/* The text of line `line` (1-based) of the source, without its newline. */
static const char *line_start(const Ctx *ctx, int line, int *len) {
  const char *p = ctx->src, *end = ctx->src + ctx->srclen;
  for (int l = 1; l < line && p < end; l++) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) {
      p = end;
      break;
    }
    p = nl + 1;
  }
  const char *nl = memchr(p, '\n', (size_t)(end - p));
  *len = (int)((nl ? nl : end) - p);
  return p;
}

static int digits(int n) {
  int d = 1;
  while (n >= 10) {
    n /= 10;
    d++;
  }
  return d;
}

/* The source excerpt under the location line: one line with carets under
 * the span, or every line of a multi-line span with the parts outside it
 * replaced by dots (OCaml's Location.highlight_quote). */
static void print_excerpt(Buf *out, const Ctx *ctx, Loc loc, bool color, DiagStyle style) {
  /* OCaml shows no excerpt for an empty location (the end of input). */
  if (!ctx->src || loc.line1 <= 0 || loc.off1 >= ctx->srclen || loc.off1 == loc.off2) return;
  int w = digits(loc.line2);
  if (loc.line1 == loc.line2) {
    int len;
    const char *s = line_start(ctx, loc.line1, &len);
    buf_printf(out, "%*d | %.*s\n", w, loc.line1, len, s);
    buf_printf(out, "%*s   ", w, "");
    for (int i = 0; i < loc.col1; i++) buf_putc(out, i < len && s[i] == '\t' ? '\t' : ' ');
    int n = loc.col2 - loc.col1;
    if (n < 1) n = 1;
    Buf carets;
    buf_init(&carets);
    for (int i = 0; i < n; i++) buf_putc(&carets, '^');
    diag_styled(out, color, style, carets.data);
    buf_free(&carets);
    buf_putc(out, '\n');
    return;
  }
  /* Multi-line excerpts have no colours in OCaml either. Past ten lines
   * the middle ones give way to "..." (Misc.pp_two_columns). */
  int nlines = loc.line2 - loc.line1 + 1, skip_from = -1, skip_to = -1;
  if (nlines > 10) {
    skip_from = loc.line1 + 5;
    skip_to = loc.line2 - 4;
  }
  for (int l = loc.line1; l <= loc.line2; l++) {
    if (l == skip_from) buf_puts(out, "...\n");
    if (l >= skip_from && l <= skip_to) continue;
    int len;
    const char *s = line_start(ctx, l, &len);
    buf_printf(out, "%*d | ", w, l);
    for (int i = 0; i < len; i++) {
      bool before = l == loc.line1 && i < loc.col1;
      bool after = l == loc.line2 && i >= loc.col2;
      buf_putc(out, before || after ? '.' : s[i]);
    }
    buf_putc(out, '\n');
  }
}

/* "File "f", line 3, characters 4-9" (batch and script mode: lines
 * counted in the file), "Line 3, characters 4-9" (the toplevel's phrase),
 * or the file and line alone. */
static void print_loc_line(Buf *out, const Ctx *ctx, Loc loc, bool line_only, bool color) {
  Buf b;
  buf_init(&b);
  int l1 = loc.line1, l2 = loc.line2;
  if (ctx->filename) {
    l1 += ctx->line_offset;
    l2 += ctx->line_offset;
    buf_printf(&b, "File \"%s\", ", ctx->filename);
  }
  const char *word = ctx->filename ? (l1 == l2 ? "line" : "lines") : (l1 == l2 ? "Line" : "Lines");
  buf_printf(&b, "%s %d", word, l1);
  if (l1 != l2) buf_printf(&b, "-%d", l2);
  if (!line_only) buf_printf(&b, ", characters %d-%d", loc.col1, loc.col2);
  diag_styled(out, color, DIAG_STYLE_LOC, b.data);
  buf_puts(out, ":\n");
  buf_free(&b);
}

/* A diagnostic, its main location shown (show_loc) or left to the
 * caller, who highlighted it in the echoed input. */
static void print_diag(Buf *out, const Ctx *ctx, const Diag *d, bool color, bool show_loc) {
  bool error = d->sev == DIAG_ERROR || d->warn_error;
  DiagStyle style = error ? DIAG_STYLE_ERROR : DIAG_STYLE_WARNING;
  if (d->has_loc && show_loc) {
    print_loc_line(out, ctx, d->loc, d->loc_line_only, color);
    if (!d->loc_line_only) print_excerpt(out, ctx, d->loc, color, style);
  }
  diag_styled(out, color, style, error ? "Error" : "Warning");
  if (d->sev == DIAG_ERROR) buf_printf(out, ": %s\n", d->text);
  else if (d->warn_error) buf_printf(out, " (warning %d [%s]): %s\n", d->warn_num, d->warn_name, d->text);
  else buf_printf(out, " %d [%s]: %s\n", d->warn_num, d->warn_name, d->text);
  for (const Diag *e = d; e; e = e->more) {
    if (!e->has_extra) continue;
    print_loc_line(out, ctx, e->extra_loc, false, color);
    print_excerpt(out, ctx, e->extra_loc, color, style);
    buf_printf(out, "  %s\n", e->extra_text);
  }
  if (d->hint) buf_printf(out, "  %s\n", d->hint);
}

void diag_print(Buf *out, const Ctx *ctx, const Diag *d, bool color) { print_diag(out, ctx, d, color, true); }

void diag_print_highlighted(Buf *out, const Ctx *ctx, const Diag *d, bool color) {
  print_diag(out, ctx, d, color, false);
}

void diag_flush(Buf *out, Ctx *ctx, bool color) {
  for (Diag *d = ctx->diags; d; d = d->next) diag_print(out, ctx, d, color);
  ctx_clear_diags(ctx);
}
