/* top_directive.h — the toplevel's directives (`#name arg;;`): their
 * table (directives.def), the dispatcher, and the handlers, which live in
 * the file of what they act on. Internal to the toplevel. */
#ifndef NML_TOP_DIRECTIVE_H
#define NML_TOP_DIRECTIVE_H

#include "session.h"

/* #help's sections, in the order it prints them. */
typedef enum TopDirSection {
  TOP_DIR_GENERAL,
  TOP_DIR_RUN,
  TOP_DIR_ENV,
  TOP_DIR_PRINT,
  TOP_DIR_TRACE,
  TOP_DIR_OPTIONS,
  TOP_DIR_NSECTIONS
} TopDirSection;

/* A directive's argument, checked against the kind the table gives. */
typedef struct TopDirArg {
  const char *text; /* a string's contents; an identifier as written */
  long n;           /* INT */
  bool b;           /* BOOL */
  Path path;        /* IDENT: text split at its dots */
} TopDirArg;

/* Runs a directive: prints what OCaml's directive prints. ctx is the
 * directive's phrase (its arena, its boundary: errors may unwind). */
typedef TopStatus (*TopDirFn)(Session *s, Ctx *ctx, const TopDirArg *arg);

#define NML_DIRECTIVE(name, argument, handler, section, doc)                                                 \
  TopStatus handler(Session *, Ctx *, const TopDirArg *);
#include "directives.def"
#undef NML_DIRECTIVE

/* Runs the directive item it (top_loop.c): looks it up, checks its
 * argument, calls its handler; unknown names and wrong arguments get
 * OCaml's messages. */
TopStatus top_directive(Session *s, Ctx *ctx, Item *it);

/* The names of the directives, for completion: the i-th, or NULL past
 * the last. */
const char *top_directive_name(int i);

/* An error of a directive that OCaml reports located nowhere:
 * "Line 1:\nError: TEXT". */
__attribute__((format(printf, 2, 3))) void top_dir_error(Session *s, const char *fmt, ...);

/* #use (top_loop.c). */
TopStatus top_use_file(Session *s, const char *path);

#endif
