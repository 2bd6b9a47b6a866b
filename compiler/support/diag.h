/* diag.h — diagnostics as data (location, severity, text) and the one
 * printer that writes them in OCaml 4.13's exact format:
 *
 *   Line 1, characters 8-9:
 *   1 | let x = 1 + "a";;
 *               ^^^
 *   Error: This expression has type string but an expression was expected of type
 *            int
 *
 * Errors unwind with longjmp (ctx_error) to the innermost ctx_protect,
 * the compiler's one setjmp; the toplevel's phrase boundary (session.h)
 * is built on it. Warnings are collected and printed before the phrase's
 * results; the settings in ctx->warnings (warnings.h, OCaml's -w and
 * -warn-error) decide which are reported, and which as errors.
 *
 * With colour on, the printer adds OCaml's ANSI styles (its Misc.Color):
 * the location line in bold, "Error" and the carets under an error in
 * bold red, "Warning" and the carets under a warning in bold magenta.
 */
#ifndef NML_DIAG_H
#define NML_DIAG_H

#include <setjmp.h>
#include <stdbool.h>

#include "arena.h"
#include "loc.h"
#include "util.h"
#include "warnings.h"

typedef enum DiagSeverity { DIAG_ERROR, DIAG_WARNING } DiagSeverity;

typedef struct Diag Diag;
struct Diag {
  DiagSeverity sev;
  Loc loc;
  bool has_loc;
  /* The location line alone, without characters or excerpt: OCaml's
   * "File \"command line\", line 1:" for what no source text holds. */
  bool loc_line_only;
  bool warn_error;       /* a warning reported as an error (-warn-error) */
  int warn_num;          /* warnings: 8 */
  const char *warn_name; /* warnings: "partial-match" */
  /* The message after "Error: " or "Warning 8 [partial-match]: ", already
   * laid out (it may contain newlines and its own indentation). */
  const char *text;
  /* An optional second location with its own text, printed after the
   * main message (e.g. "  This '(' might be unmatched"). */
  bool has_extra;
  Loc extra_loc;
  const char *extra_text;
  /* Further located sub-messages, printed in turn after the extra one
   * (each uses its own extra_loc and extra_text): OCaml's list of
   * sub-messages, as for an unsafe cycle of recursive modules. */
  struct Diag *more;
  /* A sub-message printed on its own line after the main message, indented
   * by two spaces (e.g. "Hint: Did you mean `1.'?"). */
  const char *hint;
  Diag *next;
};

/* The compilation context passed to every pass: no global compiler state.
 * One Ctx per phrase (or per compilation unit in batch mode). */
typedef struct Ctx {
  Arena *arena;    /* the phrase arena: dropped after the phrase */
  Arena *perm;     /* the session arena: lives as long as the session */
  const char *src; /* the phrase text (locations index into it) */
  int srclen;
  const char *filename; /* NULL in the toplevel; the script path otherwise */
  int line_offset;      /* added to lines when printing with a filename */
  Diag *diags, **diags_tail;
  jmp_buf *bail; /* where ctx_error unwinds to; set by ctx_protect */
  /* Which warnings are reported, and which as errors; NULL reports every
   * warning, none as an error. */
  WarnSettings *warnings; /* (changed by [@@@warning] items) */
  int fatal_warnings;     /* warnings reported as errors so far: the phrase fails */
} Ctx;

/* Starts ctx over the text src[0..len), with a the phrase arena and perm
 * the session arena: no diagnostics yet, and no boundary until
 * ctx_protect sets one. */
void ctx_init(Ctx *ctx, Arena *a, Arena *perm, const char *src, int len);
/* Forgets the diagnostics recorded so far (their memory stays in the
 * arena). */
void ctx_clear_diags(Ctx *ctx);

/* Runs fn(ctx, arg) protected: the compiler's one setjmp (Lua's
 * luaD_rawrunprotected). Returns true when fn returned, false when it
 * unwound with ctx_error or ctx_bail; its diagnostics then stay in ctx
 * for the caller to print. ctx->bail is restored either way, so calls
 * nest: an inner caller may clean up and pass the error on outwards with
 * ctx_bail. The caller's locals need no `volatile`: the jump lands in
 * ctx_protect's own frame. Nothing is rolled back here; the toplevel's
 * phrase boundary (top_protect) adds that. */
bool ctx_protect(Ctx *ctx, void (*fn)(Ctx *ctx, void *arg), void *arg);

/* Reports an error at loc and unwinds to ctx->bail. text is copied. */
__attribute__((noreturn)) void ctx_error(Ctx *ctx, Loc loc, const char *text);
__attribute__((noreturn, format(printf, 3, 4))) void ctx_errorf(Ctx *ctx, Loc loc, const char *fmt, ...);
/* Reports an error with no location ("Error: ..."). */
__attribute__((noreturn)) void ctx_error_noloc(Ctx *ctx, const char *text);
/* Adds a diagnostic without unwinding; returns it so the caller can fill
 * the optional parts (extra location, hint) before it is printed. */
Diag *ctx_add_diag(Ctx *ctx, DiagSeverity sev, Loc loc, const char *text);
/* Unwinds after the caller filled in a diagnostic added with ctx_add_diag. */
__attribute__((noreturn)) void ctx_bail(Ctx *ctx);
/* Records warning num unless ctx->warnings has it inactive; it does not
 * unwind. A warning that ctx->warnings makes an error is recorded as one
 * and counted in ctx->fatal_warnings: the caller fails the phrase once it
 * is typed, as OCaml does (ctx_check_fatal). */
void ctx_warn(Ctx *ctx, Loc loc, int num, const char *name, const char *text);
/* Unwinds when a warning was reported as an error (OCaml's
 * Warnings.check_fatal); the count starts over. */
void ctx_check_fatal(Ctx *ctx);

/* Appends one diagnostic in OCaml's format to out, with OCaml's colours
 * when color is set. */
void diag_print(Buf *out, const Ctx *ctx, const Diag *d, bool color);
/* The same without the main location's line and excerpt: the toplevel
 * at a terminal highlights the location in the echoed phrase instead, as
 * OCaml's does. */
void diag_print_highlighted(Buf *out, const Ctx *ctx, const Diag *d, bool color);
/* Appends every diagnostic of ctx in order, then clears the list. */
void diag_flush(Buf *out, Ctx *ctx, bool color);

/* OCaml's message styles, for messages printed outside a Ctx. */
typedef enum DiagStyle { DIAG_STYLE_LOC, DIAG_STYLE_ERROR, DIAG_STYLE_WARNING } DiagStyle;
/* Appends text, wrapped in style's ANSI codes when color is set. */
void diag_styled(Buf *out, bool color, DiagStyle style, const char *text);

#endif
