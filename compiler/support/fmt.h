/* fmt.h — a pretty-printing engine with OCaml's Format semantics (Oppen's
 * algorithm: boxes h/v/hv/hov/b, break hints, margin 78, max indent 68),
 * so that natml's messages and values break lines exactly where OCaml
 * 4.13's toplevel does. Used by the type printer, the error messages and
 * the value printer.
 *
 * fmt_printf accepts OCaml's Format directives inside the format string,
 * so messages can be written as OCaml writes them:
 *   @[  open a box: "@[" (b, indent 0), "@[<hov 2>", "@[<v 0>", "@[<hv>", "@[<h>"
 *   @]  close a box          @,  cut (break 0 0)      @   space (break 1 0)
 *   @;  break 1 0, or "@;<n o>" break n o              @.  flush + newline
 *   @\n force a newline      @@  a literal @           %%  a literal %
 *   %s %d %i %c %ld %lld %u %x %g and %.Nf as in C
 *   %a  takes two arguments: void (*)(Fmt *, const void *), const void *
 */
#ifndef NML_FMT_H
#define NML_FMT_H

#include "util.h"

typedef struct Fmt Fmt;

typedef enum FmtBoxKind { FMT_H, FMT_V, FMT_HV, FMT_HOV, FMT_B } FmtBoxKind;

/* Creates a formatter appending to out, with Format's defaults, which the
 * toplevel's std_formatter keeps: margin 78, max_indent 68. */
Fmt *fmt_new(Buf *out);
/* Flushes what is pending and frees the formatter (not the buffer). */
void fmt_free(Fmt *f);
void fmt_set_margin(Fmt *f, int margin);
void fmt_set_max_indent(Fmt *f, int max_indent);
/* Limits the number of boxes open at once (Format's max_boxes, 2^30 by
 * default); deeper boxes print as the ellipsis ".". */
void fmt_set_max_boxes(Fmt *f, int n);

void fmt_open_box(Fmt *f, FmtBoxKind kind, int indent);
void fmt_close_box(Fmt *f);
void fmt_string(Fmt *f, const char *s);
void fmt_string_len(Fmt *f, const char *s, int len);
/* A string of the given display width (for multi-byte text). */
void fmt_string_as(Fmt *f, const char *s, int width);
/* len bytes of s, counted as width columns (Format's pp_print_as). */
void fmt_text_as(Fmt *f, const char *s, int len, int width);
void fmt_break(Fmt *f, int nspaces, int offset);
void fmt_space(Fmt *f);
void fmt_cut(Fmt *f);
void fmt_force_newline(Fmt *f);
/* Closes all boxes, prints what is pending and a newline (Format's "@."). */
void fmt_flush_newline(Fmt *f);
/* Closes all boxes and prints what is pending, no newline (Format's
 * print_flush / "@?"). */
void fmt_flush(Fmt *f);

typedef void (*FmtPrinter)(Fmt *f, const void *arg);
/* Formats with the directives above; %a's printer is an FmtPrinter. */
void fmt_printf(Fmt *f, const char *fmt, ...);
void fmt_vprintf(Fmt *f, const char *fmt, va_list ap);

#endif
