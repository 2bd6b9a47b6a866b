/* diag.c — diagnostics: recording errors and warnings while a phrase is
 * compiled, unwinding on errors to the one protected call (ctx_protect),
 * and printing them in OCaml 4.13's format (location line, source excerpt
 * with carets or dotted multi-line excerpt, then "Error: ..." /
 * "Warning N [name]: ..."). */
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
  Diag *d = ctx_add_diag(ctx, DIAG_WARNING, loc, text);
  d->warn_num = num;
  d->warn_name = name;
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
static void print_excerpt(Buf *out, const Ctx *ctx, Loc loc) {
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
    for (int i = 0; i < n; i++) buf_putc(out, '^');
    buf_putc(out, '\n');
    return;
  }
  for (int l = loc.line1; l <= loc.line2; l++) {
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

static void print_loc_line(Buf *out, const Ctx *ctx, Loc loc) {
  if (ctx->filename) {
    /* Batch and script mode: OCaml's "File" form, lines counted in the
     * file. */
    if (loc.line1 == loc.line2)
      buf_printf(out, "File \"%s\", line %d, characters %d-%d:\n", ctx->filename,
                 loc.line1 + ctx->line_offset, loc.col1, loc.col2);
    else
      buf_printf(out, "File \"%s\", lines %d-%d, characters %d-%d:\n", ctx->filename,
                 loc.line1 + ctx->line_offset, loc.line2 + ctx->line_offset, loc.col1, loc.col2);
  } else if (loc.line1 == loc.line2) {
    buf_printf(out, "Line %d, characters %d-%d:\n", loc.line1, loc.col1, loc.col2);
  } else {
    buf_printf(out, "Lines %d-%d, characters %d-%d:\n", loc.line1, loc.line2, loc.col1, loc.col2);
  }
}

void diag_print(Buf *out, const Ctx *ctx, const Diag *d) {
  if (d->has_loc) {
    print_loc_line(out, ctx, d->loc);
    print_excerpt(out, ctx, d->loc);
  }
  if (d->sev == DIAG_ERROR) buf_printf(out, "Error: %s\n", d->text);
  else buf_printf(out, "Warning %d [%s]: %s\n", d->warn_num, d->warn_name, d->text);
  if (d->has_extra) {
    print_loc_line(out, ctx, d->extra_loc);
    print_excerpt(out, ctx, d->extra_loc);
    buf_printf(out, "  %s\n", d->extra_text);
  }
  if (d->hint) buf_printf(out, "  %s\n", d->hint);
}

void diag_flush(Buf *out, Ctx *ctx) {
  for (Diag *d = ctx->diags; d; d = d->next) diag_print(out, ctx, d);
  ctx_clear_diags(ctx);
}
