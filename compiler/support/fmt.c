/* fmt.c — OCaml's Format engine in C (Oppen's algorithm as Stdlib.Format
 * implements it in 4.13): tokens wait in a queue until the size of the box
 * or break they belong to is known, a scan stack computes those sizes, and
 * a format stack of open boxes decides, token by token, where lines break.
 * Every message and value the toplevel prints goes through here.
 */
#include "fmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Format's "infinite" size: unknown sizes count as this much, so that a
 * pending box that cannot be measured yet behaves as if it did not fit. */
#define PP_INFINITY 1000000010L

/* FMT_FITS is Format's Pp_fits: a box found to fit on the line, whose
 * breaks are all printed as spaces. Users never open one. */
enum { FMT_FITS = FMT_B + 1 };

/* Format's tokens, less tabulations, tags and print_if_newline, which
 * natml never prints. */
typedef enum TokKind { TK_TEXT, TK_BREAK, TK_BEGIN, TK_END, TK_NEWLINE } TokKind;

/* One queue element: Format's pp_queue_elem. size is negative while
 * unknown; for a break or a box it becomes known once the scan stack has
 * seen what follows it. */
typedef struct Token {
  TokKind kind;
  long size;
  long length;     /* declared length, added to right_total */
  size_t text_off; /* TK_TEXT: bytes in the text pool */
  int text_len;
  int width;  /* TK_BREAK: spaces when it does not break */
  int offset; /* TK_BREAK: indent offset when it breaks */
  int indent; /* TK_BEGIN */
  int box;    /* TK_BEGIN: FmtBoxKind */
} Token;

/* A scan stack entry: right_total when the token was pushed, the token's
 * sequence number (-1 for the bottom sentinel) and its kind. A token can
 * leave the queue while its entry is still on the stack: a box printed
 * with its size unknown (counted as infinite) before anything of positive
 * length follows it keeps left_total from passing the entry's. The kind
 * lets set_size pop such an entry without reading the queue, where the
 * token's slot may already be reused or compacted away. */
typedef struct ScanElem {
  long left_total;
  long seq;
  TokKind kind;
} ScanElem;

typedef struct FormatElem {
  int box;
  int width;
} FormatElem;

struct Fmt {
  Buf *out;
  /* The queue: tokens with sequence numbers base+head .. base+len-1 live
   * in q[head..len). Sequence numbers never change, so the scan stack can
   * name queue elements across compactions. */
  Token *q;
  long qbase, qhead, qlen, qcap;
  Buf text; /* text of queued TK_TEXT tokens */
  ScanElem *scan;
  int nscan, capscan;
  FormatElem *fstack;
  int nfstack, capfstack;
  int margin, min_space_left, max_indent;
  long space_left;
  int current_indent;
  bool is_new_line;
  long left_total, right_total;
  int curr_depth, max_boxes;
  const char *ellipsis;
};

static void *xrealloc(void *p, size_t n) {
  void *r = realloc(p, n);
  if (!r) nml_fatal("out of memory");
  return r;
}

/* ---- Low-level output --------------------------------------------------- */

static void out_spaces(Fmt *f, long n) {
  for (; n > 0; n--) buf_putc(f->out, ' ');
}

static void format_text(Fmt *f, long size, const char *s, int len) {
  f->space_left -= size;
  buf_add(f->out, s, (size_t)len);
  f->is_new_line = false;
}

/* Breaks the line inside a box whose left edge is `width` columns before
 * the right margin; the new line starts at that edge plus offset, but
 * never further right than max_indent. */
static void break_new_line(Fmt *f, int offset, int width) {
  buf_putc(f->out, '\n');
  f->is_new_line = true;
  int indent = f->margin - width + offset;
  int real_indent = indent < f->max_indent ? indent : f->max_indent;
  f->current_indent = real_indent;
  f->space_left = f->margin - real_indent;
  out_spaces(f, real_indent);
}

static void break_same_line(Fmt *f, int width) {
  f->space_left -= width;
  out_spaces(f, width);
}

/* Opening a box past max_indent rejects it to the left by breaking the
 * enclosing box's line (Format's pp_force_break_line). */
static void force_break_line(Fmt *f) {
  if (f->nfstack == 0) {
    buf_putc(f->out, '\n');
    return;
  }
  FormatElem *top = &f->fstack[f->nfstack - 1];
  if (top->width > f->space_left && top->box != FMT_FITS && top->box != FMT_H)
    break_new_line(f, 0, top->width);
}

/* ---- The queue ---------------------------------------------------------- */

static Token *queue_at(Fmt *f, long seq) { return &f->q[seq - f->qbase]; }

static long enqueue(Fmt *f, Token t) {
  if (f->qhead == f->qlen) {
    /* Empty queue: restart at the front (enqueue_text drops old text). */
    f->qbase += f->qlen;
    f->qhead = f->qlen = 0;
  } else if (f->qlen == f->qcap && f->qhead > f->qcap / 2) {
    memmove(f->q, f->q + f->qhead, sizeof(Token) * (size_t)(f->qlen - f->qhead));
    f->qbase += f->qhead;
    f->qlen -= f->qhead;
    f->qhead = 0;
  }
  if (f->qlen == f->qcap) {
    f->qcap = f->qcap ? f->qcap * 2 : 64;
    f->q = xrealloc(f->q, sizeof(Token) * (size_t)f->qcap);
  }
  f->q[f->qlen] = t;
  f->right_total += t.length;
  return f->qbase + f->qlen++;
}

static void format_token(Fmt *f, long size, const Token *t) {
  switch (t->kind) {
  case TK_TEXT: format_text(f, size, f->text.data + t->text_off, t->text_len); break;
  case TK_BEGIN: {
    int insertion_point = f->margin - (int)f->space_left;
    if (insertion_point > f->max_indent) force_break_line(f);
    int width = (int)f->space_left - t->indent;
    int box = t->box;
    if (box != FMT_V && size <= f->space_left) box = FMT_FITS;
    if (f->nfstack == f->capfstack) {
      f->capfstack = f->capfstack ? f->capfstack * 2 : 16;
      f->fstack = xrealloc(f->fstack, sizeof(FormatElem) * (size_t)f->capfstack);
    }
    f->fstack[f->nfstack++] = (FormatElem){box, width};
    break;
  }
  case TK_END:
    if (f->nfstack > 0) f->nfstack--;
    break;
  case TK_NEWLINE:
    if (f->nfstack == 0) buf_putc(f->out, '\n');
    else break_new_line(f, 0, f->fstack[f->nfstack - 1].width);
    break;
  case TK_BREAK: {
    if (f->nfstack == 0) break;
    FormatElem *top = &f->fstack[f->nfstack - 1];
    switch (top->box) {
    case FMT_HOV:
      if (size > f->space_left) break_new_line(f, t->offset, top->width);
      else break_same_line(f, t->width);
      break;
    case FMT_B:
      /* A b box breaks only when the break is needed, or when breaking
       * moves the next line to the left of the current indentation. */
      if (f->is_new_line) break_same_line(f, t->width);
      else if (size > f->space_left) break_new_line(f, t->offset, top->width);
      else if (f->current_indent > f->margin - top->width + t->offset)
        break_new_line(f, t->offset, top->width);
      else break_same_line(f, t->width);
      break;
    case FMT_HV:
    case FMT_V: break_new_line(f, t->offset, top->width); break;
    default: /* FMT_FITS, FMT_H */ break_same_line(f, t->width); break;
    }
    break;
  }
  }
}

/* Prints tokens from the front of the queue while their size is known, or
 * while the material waiting is already wider than the line (then the
 * unknown size counts as infinite: the box cannot fit). */
static void advance_left(Fmt *f) {
  while (f->qhead < f->qlen) {
    Token *t = &f->q[f->qhead];
    long pending = f->right_total - f->left_total;
    if (!(t->size >= 0 || pending >= f->space_left)) return;
    Token tok = *t;
    f->qhead++;
    format_token(f, tok.size >= 0 ? tok.size : PP_INFINITY, &tok);
    f->left_total += tok.length;
  }
}

static void enqueue_advance(Fmt *f, Token t) {
  enqueue(f, t);
  advance_left(f);
}

/* ---- The scan stack ----------------------------------------------------- */

static void scan_push_raw(Fmt *f, long left_total, long seq, TokKind kind) {
  if (f->nscan == f->capscan) {
    f->capscan = f->capscan ? f->capscan * 2 : 16;
    f->scan = xrealloc(f->scan, sizeof(ScanElem) * (size_t)f->capscan);
  }
  f->scan[f->nscan++] = (ScanElem){left_total, seq, kind};
}

static void initialize_scan_stack(Fmt *f) {
  f->nscan = 0;
  scan_push_raw(f, -1, -1, TK_TEXT);
}

/* Sets the size of the break (is_break) or box (!is_break) on top of the
 * scan stack, now that right_total says how much material followed it.
 * An entry older than what was already printed empties the stack. A token
 * already printed only loses its entry: Format writes the size into the
 * dequeued element, where nothing reads it again. */
static void set_size(Fmt *f, bool is_break) {
  if (f->nscan == 0) return;
  ScanElem top = f->scan[f->nscan - 1];
  if (top.left_total < f->left_total) {
    initialize_scan_stack(f);
    return;
  }
  if (top.kind != (is_break ? TK_BREAK : TK_BEGIN)) return;
  f->nscan--;
  if (top.seq >= f->qbase + f->qhead) {
    Token *t = queue_at(f, top.seq);
    t->size = f->right_total + t->size;
  }
}

static void scan_push(Fmt *f, bool b, Token t) {
  long seq = enqueue(f, t);
  if (b) set_size(f, true);
  scan_push_raw(f, f->right_total, seq, t.kind);
}

/* ---- Boxes, text and breaks --------------------------------------------- */

static void enqueue_text(Fmt *f, const char *s, int len, int width);

static void open_box_gen(Fmt *f, int indent, int box) {
  f->curr_depth++;
  if (f->curr_depth < f->max_boxes) {
    Token t = {.kind = TK_BEGIN, .size = -f->right_total, .indent = indent, .box = box};
    scan_push(f, false, t);
  } else if (f->curr_depth == f->max_boxes) {
    /* The ellipsis is queued even though the depth is now too large for
     * ordinary text (Format's enqueue_string, not pp_print_string). */
    enqueue_text(f, f->ellipsis, (int)strlen(f->ellipsis), (int)strlen(f->ellipsis));
  }
}

static void rinit(Fmt *f) {
  f->left_total = f->right_total = 1;
  f->qbase += f->qlen;
  f->qhead = f->qlen = 0;
  buf_clear(&f->text);
  initialize_scan_stack(f);
  f->nfstack = 0;
  f->current_indent = 0;
  f->curr_depth = 0;
  f->space_left = f->margin;
  open_box_gen(f, 0, FMT_HOV); /* the system box around everything */
}

static void flush_queue(Fmt *f, bool newline) {
  while (f->curr_depth > 1) fmt_close_box(f);
  f->right_total = PP_INFINITY;
  advance_left(f);
  if (newline) buf_putc(f->out, '\n');
  rinit(f);
}

Fmt *fmt_new(Buf *out) {
  Fmt *f = calloc(1, sizeof *f);
  if (!f) nml_fatal("out of memory");
  f->out = out;
  buf_init(&f->text);
  f->margin = 78;
  f->min_space_left = 10;
  f->max_indent = f->margin - f->min_space_left;
  f->is_new_line = true;
  f->max_boxes = 1 << 30;
  f->ellipsis = ".";
  rinit(f);
  return f;
}

void fmt_free(Fmt *f) {
  if (!f) return;
  fmt_flush(f);
  free(f->q);
  free(f->scan);
  free(f->fstack);
  buf_free(&f->text);
  free(f);
}

/* Format's pp_set_min_space_left: max_indent follows, and pending
 * material is discarded (pp_rinit), exactly as in OCaml. */
static void set_min_space_left(Fmt *f, int n) {
  if (n < 1) return;
  if (n >= PP_INFINITY) n = (int)(PP_INFINITY - 1);
  f->min_space_left = n;
  f->max_indent = f->margin - n;
  rinit(f);
}

void fmt_set_max_indent(Fmt *f, int n) {
  if (n > 1) set_min_space_left(f, f->margin - n);
}

void fmt_set_margin(Fmt *f, int n) {
  if (n < 1) return;
  if (n >= PP_INFINITY) n = (int)(PP_INFINITY - 1);
  f->margin = n;
  int new_max_indent;
  if (f->max_indent <= f->margin) {
    new_max_indent = f->max_indent;
  } else {
    /* Keep min_space_left if possible, else half the margin. */
    new_max_indent = f->margin - f->min_space_left;
    if (new_max_indent < f->margin / 2) new_max_indent = f->margin / 2;
    if (new_max_indent < 1) new_max_indent = 1;
  }
  fmt_set_max_indent(f, new_max_indent);
}

void fmt_set_max_boxes(Fmt *f, int n) {
  if (n > 1) f->max_boxes = n;
}

void fmt_open_box(Fmt *f, FmtBoxKind kind, int indent) { open_box_gen(f, indent, (int)kind); }

void fmt_close_box(Fmt *f) {
  if (f->curr_depth <= 1) return; /* never close the system box */
  if (f->curr_depth < f->max_boxes) {
    Token t = {.kind = TK_END, .size = 0};
    enqueue(f, t);
    set_size(f, true);
    set_size(f, false);
  }
  f->curr_depth--;
}

void fmt_string_as(Fmt *f, const char *s, int width) { fmt_text_as(f, s, (int)strlen(s), width); }

void fmt_text_as(Fmt *f, const char *s, int len, int width) {
  if (f->curr_depth < f->max_boxes) enqueue_text(f, s, len, width);
}

static void enqueue_text(Fmt *f, const char *s, int len, int width) {
  if (f->qhead == f->qlen) buf_clear(&f->text);
  Token t = {.kind = TK_TEXT, .size = width, .length = width, .text_off = f->text.len, .text_len = len};
  buf_add(&f->text, s, (size_t)len);
  enqueue_advance(f, t);
}

void fmt_string(Fmt *f, const char *s) {
  int len = (int)strlen(s);
  fmt_text_as(f, s, len, len);
}

void fmt_string_len(Fmt *f, const char *s, int len) { fmt_text_as(f, s, len, len); }

void fmt_break(Fmt *f, int nspaces, int offset) {
  if (f->curr_depth >= f->max_boxes) return;
  Token t = {
      .kind = TK_BREAK, .size = -f->right_total, .length = nspaces, .width = nspaces, .offset = offset};
  scan_push(f, true, t);
}

void fmt_space(Fmt *f) { fmt_break(f, 1, 0); }
void fmt_cut(Fmt *f) { fmt_break(f, 0, 0); }

void fmt_force_newline(Fmt *f) {
  if (f->curr_depth >= f->max_boxes) return;
  Token t = {.kind = TK_NEWLINE, .size = 0};
  enqueue_advance(f, t);
}

void fmt_flush_newline(Fmt *f) { flush_queue(f, true); }
void fmt_flush(Fmt *f) { flush_queue(f, false); }

/* ---- fmt_printf --------------------------------------------------------- */

/* Parses the "<kind indent>" after "@[", as CamlinternalFormat does:
 * "" is a b box, "h" "v" "hv" "hov" "b" name the kinds. Returns the
 * position after '>' (or p unchanged when there is no valid spec). */
static const char *parse_box_spec(const char *p, FmtBoxKind *kind, int *indent) {
  *kind = FMT_B;
  *indent = 0;
  if (*p != '<') return p;
  const char *q = p + 1, *end = strchr(q, '>');
  if (!end) return p;
  while (q < end && *q == ' ') q++;
  const char *name = q;
  while (q < end && *q >= 'a' && *q <= 'z') q++;
  size_t n = (size_t)(q - name);
  if (n == 0 || (n == 1 && name[0] == 'b')) *kind = FMT_B;
  else if (n == 1 && name[0] == 'h') *kind = FMT_H;
  else if (n == 1 && name[0] == 'v') *kind = FMT_V;
  else if (n == 2 && !strncmp(name, "hv", 2)) *kind = FMT_HV;
  else if (n == 3 && !strncmp(name, "hov", 3)) *kind = FMT_HOV;
  else return p;
  while (q < end && *q == ' ') q++;
  if (q < end) *indent = (int)strtol(q, NULL, 10);
  return end + 1;
}

/* "@;<n o>": a break of n spaces, offset o (both optional). */
static const char *parse_break_spec(const char *p, int *n, int *o) {
  *n = 1;
  *o = 0;
  if (*p != '<') return p;
  const char *end = strchr(p, '>');
  if (!end) return p;
  char *q;
  long a = strtol(p + 1, &q, 10);
  if (q == p + 1) return p;
  *n = (int)a;
  if (q < end) *o = (int)strtol(q, NULL, 10);
  return end + 1;
}

/* Handles one "%..." conversion starting at p (just after '%'); returns
 * the position after it. Everything but %a and %% goes through vsnprintf
 * with the spec copied as written. */
static const char *printf_conv(Fmt *f, const char *p, va_list *ap) {
  if (*p == '%') {
    fmt_string(f, "%");
    return p + 1;
  }
  if (*p == 'a') {
    FmtPrinter pr = va_arg(*ap, FmtPrinter);
    const void *arg = va_arg(*ap, const void *);
    pr(f, arg);
    return p + 1;
  }
  const char *start = p;
  while (*p && strchr("-+ #0", *p)) p++;
  while (*p >= '0' && *p <= '9') p++;
  if (*p == '.') {
    p++;
    while (*p >= '0' && *p <= '9') p++;
  }
  int longs = 0;
  bool size_t_mod = false;
  while (*p == 'l' || *p == 'h' || *p == 'z') {
    if (*p == 'l') longs++;
    if (*p == 'z') size_t_mod = true;
    p++;
  }
  char conv = *p;
  if (!conv) return p;
  char spec[32];
  size_t n = (size_t)(p + 1 - start);
  if (n + 2 > sizeof spec) nml_fatal("fmt_printf: conversion too long");
  spec[0] = '%';
  memcpy(spec + 1, start, n);
  spec[n + 1] = 0;
  char small[128];
  char *s = small;
  int len;
  switch (conv) {
  case 's': {
    const char *str = va_arg(*ap, const char *);
    if (n == 1) { /* plain %s: no copy */
      fmt_string(f, str);
      return p + 1;
    }
    len = snprintf(NULL, 0, spec, str);
    if ((size_t)len >= sizeof small) s = xrealloc(NULL, (size_t)len + 1);
    snprintf(s, (size_t)len + 1, spec, str);
    break;
  }
  case 'c':
    small[0] = (char)va_arg(*ap, int);
    small[1] = 0;
    len = 1;
    break;
  case 'd':
  case 'i':
  case 'u':
  case 'x':
  case 'X':
  case 'o':
    if (size_t_mod) len = snprintf(small, sizeof small, spec, va_arg(*ap, size_t));
    else if (longs >= 2) len = snprintf(small, sizeof small, spec, va_arg(*ap, long long));
    else if (longs == 1) len = snprintf(small, sizeof small, spec, va_arg(*ap, long));
    else len = snprintf(small, sizeof small, spec, va_arg(*ap, int));
    break;
  case 'f':
  case 'F':
  case 'g':
  case 'G':
  case 'e':
  case 'E': len = snprintf(small, sizeof small, spec, va_arg(*ap, double)); break;
  case 'p': len = snprintf(small, sizeof small, spec, va_arg(*ap, void *)); break;
  default: nml_fatal("fmt_printf: unknown conversion %%%c", conv);
  }
  if (len >= (int)sizeof small && s == small) len = (int)sizeof small - 1;
  fmt_string_len(f, s, len);
  if (s != small) free(s);
  return p + 1;
}

/* Interprets "@" directives, returning the position after them. */
static const char *printf_at(Fmt *f, const char *p) {
  int n, o;
  FmtBoxKind kind;
  switch (*p) {
  case '[':
    p = parse_box_spec(p + 1, &kind, &n);
    fmt_open_box(f, kind, n);
    return p;
  case ']': fmt_close_box(f); return p + 1;
  case ',': fmt_cut(f); return p + 1;
  case ' ': fmt_space(f); return p + 1;
  case ';':
    p = parse_break_spec(p + 1, &n, &o);
    fmt_break(f, n, o);
    return p;
  case '.': fmt_flush_newline(f); return p + 1;
  case '?': fmt_flush(f); return p + 1;
  case '\n': fmt_force_newline(f); return p + 1;
  case '@': fmt_string(f, "@"); return p + 1;
  case '%': fmt_string(f, "%"); return p + 1;
  case '\0': fmt_string(f, "@"); return p;
  default: /* unknown: both characters print, as in OCaml */ fmt_string_len(f, p - 1, 2); return p + 1;
  }
}

void fmt_vprintf(Fmt *f, const char *fmt, va_list ap) {
  va_list aq;
  va_copy(aq, ap);
  const char *p = fmt;
  while (*p) {
    const char *lit = p;
    while (*p && *p != '@' && *p != '%') p++;
    if (p > lit) fmt_string_len(f, lit, (int)(p - lit));
    if (*p == '@') p = printf_at(f, p + 1);
    else if (*p == '%') p = printf_conv(f, p + 1, &aq);
  }
  va_end(aq);
}

void fmt_printf(Fmt *f, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fmt_vprintf(f, fmt, ap);
  va_end(ap);
}
