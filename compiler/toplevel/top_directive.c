/* top_directive.c — directives: the table (directives.def), the dispatcher
 * with OCaml's messages for unknown names and wrong arguments, #help, and
 * the directives that only set an option or the search path. */
#include "top_directive.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "env.h"

typedef struct TopDirective {
  const char *name;
  DirArgKind arg;
  TopDirFn fn;
  TopDirSection section;
  const char *doc;
} TopDirective;

#define DIR_ARG_KIND_NONE   DIR_ARG_NONE
#define DIR_ARG_KIND_STRING DIR_ARG_STRING
#define DIR_ARG_KIND_INT    DIR_ARG_INT
#define DIR_ARG_KIND_IDENT  DIR_ARG_IDENT
#define DIR_ARG_KIND_BOOL   DIR_ARG_BOOL

static const TopDirective directives[] = {
#define NML_DIRECTIVE(name, argument, handler, section, doc)                                                 \
  {#name, DIR_ARG_KIND_##argument, handler, TOP_DIR_##section, doc},
#include "directives.def"
#undef NML_DIRECTIVE
};

enum { NDIRECTIVES = sizeof directives / sizeof directives[0] };

const char *top_directive_name(int i) { return i >= 0 && i < NDIRECTIVES ? directives[i].name : NULL; }

static const TopDirective *find_directive(const char *name) {
  for (int i = 0; i < NDIRECTIVES; i++)
    if (strcmp(directives[i].name, name) == 0) return &directives[i];
  return NULL;
}

int top_directive_arg(const char *name) {
  const TopDirective *d = find_directive(name);
  return d ? (int)d->arg : -1;
}

/* "Unknown directive `quitt'." and OCaml's spelling hint. */
static TopStatus unknown(Session *s, Ctx *ctx, const char *name) {
  fprintf(s->msgs, "Unknown directive `%s'.", name);
  const char *names[NDIRECTIVES];
  for (int i = 0; i < NDIRECTIVES; i++) names[i] = directives[i].name;
  const char *hint = env_spellcheck_names(ctx->arena, names, NDIRECTIVES, name);
  if (hint) fprintf(s->msgs, "\nHint: Did you mean %s?", hint);
  fputc('\n', s->msgs);
  return TOP_ERROR;
}

/* An identifier argument split at its dots. */
static Path split_path(Arena *a, const char *text) {
  Path p = {0};
  size_t len = strlen(text);
  if (text[0] == '(' && len > 4) { /* "( op )": one name, dots and all */
    p.name = arena_strndup(a, text + 2, len - 4);
    return p;
  }
  int n = 1;
  for (const char *c = text; *c; c++) n += *c == '.';
  p.mods = ARENA_ARRAY(a, const char *, n);
  const char *start = text;
  for (const char *c = text;; c++) {
    if (*c == '.' || !*c) {
      const char *part = arena_strndup(a, start, (size_t)(c - start));
      if (!*c) {
        p.name = part;
        break;
      }
      p.mods[p.nmods++] = part;
      start = c + 1;
    }
  }
  return p;
}

TopStatus top_directive(Session *s, Ctx *ctx, Item *it) {
  const TopDirective *d = find_directive(it->name);
  if (!d) return unknown(s, ctx, it->name);
  TopDirArg arg = {it->dir_arg, 0, false, {0}};
  if (it->dir_kind != d->arg) {
    fprintf(s->msgs, "Wrong type of argument for directive `%s'.\n", d->name);
    return TOP_ERROR;
  }
  switch (d->arg) {
  case DIR_ARG_INT: {
    /* OCaml's integer literal forms; a suffixed literal (1l) is refused. */
    const char *t = it->dir_arg;
    char *end;
    errno = 0;
    size_t tl = strlen(t);
    char *digits = arena_strndup(ctx->arena, t, tl);
    int w = 0;
    for (size_t i = 0; i < tl; i++)
      if (t[i] != '_') digits[w++] = t[i];
    digits[w] = 0;
    int base = 10;
    const char *num = digits;
    if (num[0] == '0' && num[1] && strchr("xXoObB", num[1])) {
      base = num[1] == 'x' || num[1] == 'X' ? 16 : num[1] == 'o' || num[1] == 'O' ? 8 : 2;
      num += 2;
    }
    unsigned long long u = strtoull(num, &end, base);
    if (*end) {
      fprintf(s->msgs, "Wrong integer literal for directive `%s'.\n", d->name);
      return TOP_ERROR;
    }
    /* OCaml's int_of_string limits: decimal up to 2^62 (which is
     * min_int), other bases all 63 bits, which wrap. */
    unsigned long long limit = base == 10 ? 1ULL << 62 : (1ULL << 63) - 1;
    if (errno == ERANGE || u > limit) {
      fprintf(s->msgs, "Integer literal exceeds the range of representable integers for directive `%s'.\n",
              d->name);
      return TOP_ERROR;
    }
    arg.n = (long)(u << 1) >> 1; /* the 63-bit integer */
    break;
  }
  case DIR_ARG_BOOL: arg.b = strcmp(it->dir_arg, "true") == 0; break;
  case DIR_ARG_IDENT: arg.path = split_path(ctx->arena, it->dir_arg); break;
  default: break;
  }
  return d->fn(s, ctx, &arg);
}

void top_dir_error(Session *s, const char *fmt, ...) {
  Buf b;
  buf_init(&b);
  diag_styled(&b, s->color, DIAG_STYLE_LOC, "Line 1");
  buf_puts(&b, ":\n");
  diag_styled(&b, s->color, DIAG_STYLE_ERROR, "Error");
  buf_puts(&b, ": ");
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(&b, fmt, ap);
  va_end(ap);
  buf_putc(&b, '\n');
  fputs(b.data, s->msgs);
  buf_free(&b);
}

/* ---- #help -------------------------------------------------------------- */

static const char *const section_titles[TOP_DIR_NSECTIONS] = {
    "General", "Loading code", "Environment queries", "Pretty-printing", "Tracing", "Compiler options"};

static const char *const arg_names[] = {"", " <str>", " <int>", " <ident>", " <bool>"};

/* One directive, its documentation filled into the rest of the line
 * under an indentation of 2, as Format.pp_print_text fills it. */
static void help_entry(Fmt *f, const TopDirective *d) {
  fmt_open_box(f, FMT_HOV, 2);
  fmt_printf(f, "#%s%s", d->name, arg_names[d->arg]);
  fmt_force_newline(f);
  const char *w = d->doc;
  while (*w) {
    const char *e = strchr(w, ' ');
    if (!e) e = w + strlen(w);
    fmt_string_len(f, w, (int)(e - w));
    w = e;
    while (*w == ' ') w++;
    if (*w) fmt_space(f);
  }
  fmt_close_box(f);
  fmt_flush_newline(f);
}

TopStatus top_dir_help(Session *s, Ctx *ctx, const TopDirArg *arg) {
  (void)ctx;
  (void)arg;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  for (int sec = 0; sec < TOP_DIR_NSECTIONS; sec++) {
    bool any = false;
    for (int i = 0; i < NDIRECTIVES; i++) {
      if (directives[i].section != (TopDirSection)sec) continue;
      if (!any) fmt_printf(f, "%30s%s", "", section_titles[sec]);
      if (!any) fmt_flush_newline(f);
      any = true;
      help_entry(f, &directives[i]);
    }
    if (any) fmt_flush_newline(f);
  }
  fmt_free(f);
  fputs(b.data ? b.data : "", s->out);
  buf_free(&b);
  return TOP_OK;
}

/* ---- General and loading code ------------------------------------------- */

TopStatus top_dir_quit(Session *s, Ctx *ctx, const TopDirArg *arg) {
  (void)s;
  (void)ctx;
  (void)arg;
  return TOP_QUIT;
}

/* #use and #load report what went wrong and succeed all the same, as
 * OCaml's directives do: a script (or a #use'd file) goes on after them.
 * Only #quit in the file ends everything. */
TopStatus top_dir_use(Session *s, Ctx *ctx, const TopDirArg *arg) {
  (void)ctx;
  return top_dir_done(top_use_file(s, arg->text));
}

TopStatus top_dir_load(Session *s, Ctx *ctx, const TopDirArg *arg) {
  (void)ctx;
  const char *path = top_find_in_path(s, arg->text);
  if (path) top_load(s, path);
  else fprintf(s->msgs, "Cannot find file %s.\n", arg->text);
  return TOP_OK;
}

/* OCaml reports a failed chdir as the phrase's I/O error, located
 * nowhere ("Line 1:"). */
TopStatus top_dir_cd(Session *s, Ctx *ctx, const TopDirArg *arg) {
  (void)ctx;
  if (chdir(arg->text) == 0) return TOP_OK;
  top_dir_error(s, "I/O error: %s: %s", arg->text, strerror(errno));
  return TOP_ERROR;
}

TopStatus top_dir_directory(Session *s, Ctx *ctx, const TopDirArg *arg) {
  (void)ctx;
  top_add_directory(s, arg->text, true);
  return TOP_OK;
}

TopStatus top_dir_remove_directory(Session *s, Ctx *ctx, const TopDirArg *arg) {
  (void)ctx;
  top_remove_directory(s, arg->text);
  return TOP_OK;
}

TopStatus top_dir_show_dirs(Session *s, Ctx *ctx, const TopDirArg *arg) {
  (void)ctx;
  (void)arg;
  for (int i = 0; i < s->load_path.len; i++) fprintf(s->out, "%s\n", (const char *)s->load_path.items[i]);
  return TOP_OK;
}

/* ---- Compiler options ----------------------------------------------------- */

/* #warnings and #warn_error: OCaml's specification language
 * (warnings.h), for the phrases that follow. A malformed list and the
 * deprecated letter form get OCaml's messages, on standard output. */
static TopStatus set_warnings(Session *s, const char *spec, bool error) {
  char *alert;
  if (!warn_parse(&s->warnings, spec, error, &alert)) {
    fputs("Ill-formed list of warnings.\n", s->out);
    return TOP_OK;
  }
  if (alert) {
    Buf b;
    buf_init(&b);
    diag_styled(&b, s->color, DIAG_STYLE_LOC, "File \"_none_\", line 1");
    buf_puts(&b, ":\n");
    diag_styled(&b, s->color, DIAG_STYLE_WARNING, "Alert");
    buf_printf(&b, " ocaml_deprecated_cli: %s\n", alert);
    fputs(b.data, s->out);
    buf_free(&b);
    free(alert);
  }
  return TOP_OK;
}

TopStatus top_dir_warnings(Session *s, Ctx *ctx, const TopDirArg *arg) {
  (void)ctx;
  return set_warnings(s, arg->text, false);
}

TopStatus top_dir_warn_error(Session *s, Ctx *ctx, const TopDirArg *arg) {
  (void)ctx;
  return set_warnings(s, arg->text, true);
}

/* #rectypes: OCaml's -rectypes for the rest of the session. */
TopStatus top_dir_rectypes(Session *s, Ctx *ctx, const TopDirArg *arg) {
  (void)ctx;
  (void)arg;
  ty_set_rectypes(s->ty, true);
  return TOP_OK;
}

/* #labels false is OCaml's -nolabels mode. */
TopStatus top_dir_labels(Session *s, Ctx *ctx, const TopDirArg *arg) {
  (void)ctx;
  ty_set_classic(s->ty, !arg->b);
  return TOP_OK;
}

/* natml has no preprocessor stage: a phrase goes from the parser to the
 * typer. Saying so beats accepting a ppx that would never run. */
TopStatus top_dir_ppx(Session *s, Ctx *ctx, const TopDirArg *arg) {
  (void)ctx;
  fprintf(s->msgs, "Cannot use ppx %s: natml runs no preprocessors.\n", arg->text);
  return TOP_ERROR;
}
