/* top_loop.c — the toplevel's input side: reading phrases line by line
 * (libedit for terminals, with top_edit.c's history and completion; plain
 * reads otherwise) with OCaml's prompts, OCaml's recovery after a syntax
 * error (the rest of the offending line is dropped), #use, #mod_use,
 * #use_output and init files (top_directive.c runs directives), -open,
 * and script mode (`natml FILE.ml`, `natml -stdin`), which parses the
 * whole file first, then types its items one by one and runs them in
 * batches. */
#include <editline/readline.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "natml_runtime.h"
#include "parse.h"
#include "session.h"
#include "top_directive.h"
#include "top_edit.h"

/* ---- Reading lines ------------------------------------------------------ */

typedef struct Reader {
  FILE *in;
  bool interactive;
  bool prompts;      /* "# " before a phrase (not -noprompt) */
  bool cont_prompts; /* "  " or "* " on its later lines (not -nopromptcont) */
  char *line;
  size_t cap;
  TopEdit *edit; /* interactive: history and completion */
  Buf entry;     /* interactive: the lines of the phrase, for the history */
} Reader;

/* Set by the SIGINT handler while the interactive reader waits. */
static volatile sig_atomic_t prompt_interrupted;

static void on_prompt_sigint(int sig) {
  (void)sig;
  prompt_interrupted = 1;
}

/* readline with Ctrl-C dropping the line instead of ending the session:
 * our handler, installed without SA_RESTART, makes libedit's read fail
 * with EINTR, so readline returns and the flag says why. libedit's own
 * signal handling is off (rl_catch_signals), so it re-raises nothing. */
static char *read_interruptible(const char *prompt, bool *interrupted) {
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = on_prompt_sigint;
  prompt_interrupted = 0;
  sigaction(SIGINT, &sa, &old);
  char *line = readline(prompt);
  sigaction(SIGINT, &old, NULL);
  *interrupted = prompt_interrupted;
  if (*interrupted) {
    free(line);
    return NULL;
  }
  return line;
}

/* What read_line found. */
typedef enum ReadStatus { READ_LINE, READ_EOF, READ_INTERRUPTED } ReadStatus;

/* OCaml's prompts: "# " for a phrase's first line, then "  ", or "* "
 * while a comment is open. pending: the phrase's text so far. */
static const char *prompt_for(const Reader *r, const Buf *pending, bool continuation) {
  if (!r->prompts) return "";
  if (!continuation) return "# ";
  if (!r->cont_prompts) return "";
  return lex_ends_in_comment(pending->data, (int)pending->len) ? "* " : "  ";
}

/* Reads one line including its newline into r->line. */
static ReadStatus read_line(Reader *r, const char *prompt) {
  if (r->interactive) {
    free(r->line);
    bool interrupted;
    r->line = read_interruptible(prompt, &interrupted);
    if (interrupted) return READ_INTERRUPTED;
    if (!r->line) return READ_EOF;
    if (r->entry.len) buf_putc(&r->entry, '\n');
    buf_puts(&r->entry, r->line);
    size_t n = strlen(r->line);
    char *l = realloc(r->line, n + 2);
    if (!l) nml_fatal("out of memory");
    l[n] = '\n';
    l[n + 1] = 0;
    r->line = l;
    return READ_LINE;
  }
  if (*prompt) {
    fputs(prompt, stdout);
    fflush(stdout);
  }
  ssize_t n = getline(&r->line, &r->cap, r->in);
  return n < 0 ? READ_EOF : READ_LINE;
}

/* ---- Phrases ----------------------------------------------------------- */

/* As OCaml's toplevel does, `let _ = e` alone is run as the expression
 * e, printed `- : t = v`. */
static void eval_alone(Item *it) {
  if (it->kind == ITEM_VALUE && !it->rec && it->nbinds == 1 && it->binds[0].pat->kind == PAT_ANY) {
    it->kind = ITEM_EVAL;
    it->expr = it->binds[0].expr;
    it->nbinds = 0;
  }
}

static void dump_parse(Session *s, Item **items, int n) {
  if (!s->opt.dparse) return;
  Buf b;
  buf_init(&b);
  ast_print_items(&b, items, n);
  fputs(b.data ? b.data : "", s->err);
  buf_free(&b);
}

/* Runs parsed items; a directive must be alone in its phrase. */
static TopStatus exec_phrase(Session *s, Ctx *ctx, Item **items, int n) {
  if (n == 1 && items[0]->kind == ITEM_DIRECTIVE) return top_directive(s, ctx, items[0]);
  if (n == 1) eval_alone(items[0]);
  dump_parse(s, items, n);
  return top_exec_items(s, ctx, items, n);
}

/* Parses and runs the phrase in ctx->src (at the boundary). */
static TopStatus run_text(Session *s, Ctx *ctx, void *arg) {
  (void)arg;
  int n;
  Item **items = parse_phrase(ctx, &n);
  return exec_phrase(s, ctx, items, n);
}

TopStatus top_run_phrase(Session *s, const char *text, int len) {
  return top_phrase(s, text, len, run_text, NULL);
}

/* Input state between lines: the text of the phrase being read, and after
 * a syntax error the offset from which OCaml skips to the next `;;`. */
typedef struct Pending {
  Buf text;
  bool skipping;
  int skip_from;
} Pending;

/* After a syntax error OCaml skips the tokens up to the next `;;` (reading
 * more lines if needed) and drops the rest of that line. */
static void skip_phrase(Pending *p, bool at_eof) {
  int end = lex_skip_phrase(p->text.data, (int)p->text.len, p->skip_from);
  if (end < 0 && !at_eof) {
    p->skipping = true;
    return;
  }
  p->skipping = false;
  buf_clear(&p->text);
}

/* One attempt at the pending text, at the boundary: how it went. */
typedef struct Step {
  Pending *p;
  bool at_eof;
  bool incomplete;   /* a correct prefix of a phrase: read more */
  bool syntax_error; /* skip from p->skip_from */
  Item **items;
  int n;
} Step;

static void parse_pending(Ctx *ctx, void *arg) {
  Step *st = arg;
  int end;
  if (parse_phrase_partial(ctx, st->at_eof, &st->items, &st->n, &end) == PHRASE_INCOMPLETE)
    st->incomplete = true;
}

/* Parses the pending text and runs the phrase once it is complete. A
 * syntax error notes where OCaml skips from, then goes on to the
 * boundary, which prints it. */
static TopStatus step_phrase(Session *s, Ctx *ctx, void *arg) {
  Step *st = arg;
  double t0 = top_now_ms();
  if (!ctx_protect(ctx, parse_pending, st)) {
    Pending *p = st->p;
    p->skip_from = ctx->diags && ctx->diags->has_loc ? ctx->diags->loc.off1 : (int)p->text.len;
    st->syntax_error = true;
    ctx_bail(ctx);
  }
  s->step_ms[TOP_PARSE] += top_now_ms() - t0;
  if (st->incomplete || st->n == 0) return TOP_OK;
  return exec_phrase(s, ctx, st->items, st->n);
}

/* Parses what is pending; runs the phrase once it is complete. *empty
 * tells whether the text held no phrase at all (blanks and comments). */
static TopStatus step(Session *s, Pending *p, bool at_eof, bool *empty) {
  Step st = {p, at_eof, false, false, NULL, 0};
  TopStatus r = top_phrase(s, p->text.data, (int)p->text.len, step_phrase, &st);
  *empty = !st.incomplete && !st.syntax_error && st.n == 0 && r == TOP_OK;
  if (st.incomplete) return TOP_OK;
  if (st.syntax_error) {
    skip_phrase(p, at_eof);
    return TOP_ERROR;
  }
  buf_clear(&p->text); /* the rest of the `;;` line is dropped */
  return r;
}

/* A phrase is done (run, refused, or skipped after a syntax error): its
 * lines become one history entry, so that Up recalls it whole. */
static void phrase_read(Reader *r) {
  if (!r->edit) return;
  if (r->entry.len) top_edit_add(r->edit, r->entry.data);
  buf_clear(&r->entry);
}

TopStatus top_loop(Session *s, FILE *in, bool interactive) {
  Reader r = {in, interactive, !s->opt.noprompt, !s->opt.nopromptcont, NULL, 0, NULL, {0}};
  buf_init(&r.entry);
  rl_catch_signals = 0; /* read_interruptible handles SIGINT */
  /* After rl_catch_signals: loading the history starts libedit. */
  if (interactive) r.edit = top_edit_begin(s);
  /* Diagnostics point into the phrase on the screen, as OCaml's do at a
   * terminal (top_print.c). Only when the phrase was typed there: OCaml
   * also redraws piped input it never echoed. */
  const char *term = getenv("TERM");
  s->highlight = interactive && isatty(STDOUT_FILENO) && term && *term && strcmp(term, "dumb") != 0;
  Pending p = {0};
  buf_init(&p.text);
  TopStatus result = TOP_OK;
  bool at_eof = false, echoed_eof = false;
  while (!at_eof) {
    ReadStatus rs = read_line(&r, prompt_for(&r, &p.text, p.text.len > 0 && !p.skipping));
    if (rs == READ_INTERRUPTED) {
      /* As ocaml: the phrase being typed is dropped, the session goes on. */
      fputs("^CInterrupted.\n", s->out); /* the terminal echoes no ^C in raw mode */
      fflush(s->out);
      buf_clear(&p.text);
      p.skipping = false;
      buf_clear(&r.entry); /* an interrupted phrase is not kept */
      continue;
    }
    if (rs == READ_LINE) buf_puts(&p.text, r.line);
    else at_eof = true;
    if (p.text.len == 0) continue;
    if (p.skipping) {
      skip_phrase(&p, at_eof);
      if (!p.skipping) phrase_read(&r);
      continue;
    }
    /* OCaml's reader echoes a newline whenever it meets the end of input:
     * a phrase still open there gets one before its error, and one more
     * when the next read meets the end again, unless the text was only
     * blanks and comments, which end the session at once. */
    s->lines_since_input = 0;
    if (at_eof) {
      fputc('\n', s->out);
      s->lines_since_input++;
    }
    bool empty;
    TopStatus st = step(s, &p, at_eof, &empty);
    if (p.text.len == 0 && !p.skipping) phrase_read(&r);
    if (at_eof && empty) echoed_eof = true;
    if (st == TOP_QUIT) {
      result = TOP_QUIT;
      break;
    }
    if (st == TOP_ERROR) result = TOP_ERROR;
  }
  /* OCaml's toplevel ends its output with a newline at end of input. */
  if (at_eof && !echoed_eof) fputc('\n', s->out);
  fflush(s->out);
  buf_free(&p.text);
  top_edit_end(r.edit);
  buf_free(&r.entry);
  free(r.line);
  return result;
}

/* ---- Files: #use and script mode ---------------------------------------- */

/* OCaml names a script "./name" in its messages when its path is
 * implicit (Filename.is_implicit). */
static const char *script_prefix(const char *path) {
  bool implicit = path[0] != '/' && strncmp(path, "./", 2) != 0 && strncmp(path, "../", 3) != 0;
  return implicit ? "./" : "";
}

static TopStatus exec_item(Session *s, Ctx *ctx, void *arg) { return exec_phrase(s, ctx, (Item **)arg, 1); }

/* #use: each item is a phrase of its own, as if typed at the prompt. */
static TopStatus use_items(Session *s, Ctx *ctx, Item **items, int n) {
  TopStatus st = TOP_OK;
  for (int i = 0; st == TOP_OK && i < n; i++) {
    st = top_protect(s, ctx, exec_item, &items[i]);
    fflush(s->out);
  }
  return st;
}

/* Script mode types items one at a time, as `ocaml FILE.ml` does, but
 * compiles consecutive items as one unit, so that calls between them
 * are direct calls the optimiser can inline. Pending items run as late as
 * possible, and as early as OCaml's output order needs: before a
 * diagnostic is printed (it must follow the effects of the items before
 * its item), before a directive, and at the end of the file. Standard
 * output is flushed after each batch rather than after each item. */
typedef struct Batch {
  Item **items; /* typed and committed, not run yet; in the file's arena */
  int n, cap;
} Batch;

/* Bounds a unit's size: the entry nests one level per item, and the
 * passes after lowering recurse over it. */
enum { BATCH_MAX = 256 };

/* Items that declare constructors, labels or modules run the batch
 * before them: should the batch raise, the printer of the exception
 * looks names up in the environment, which must not hold these yet. */
static bool starts_batch(const Item *it) {
  switch (it->kind) {
  case ITEM_TYPE:
  case ITEM_EXCEPTION:
  case ITEM_OPEN:
  case ITEM_MODULE:
  case ITEM_RECMODULE:
  case ITEM_INCLUDE: return true;
  default: return false;
  }
}

/* Items after which the batch runs at once. An exception's constructor
 * must be in its slot before anything can raise it: the printer finds
 * its type there. A module's values must be globals before a later item
 * is typed: seeing a module through a signature copies its values, and
 * a copy of a value still bound in the batch would name no variable of
 * the unit. */
static bool ends_batch(const Item *it) {
  return it->kind == ITEM_EXCEPTION || it->kind == ITEM_MODULE || it->kind == ITEM_RECMODULE ||
         it->kind == ITEM_INCLUDE;
}

/* Committed items to run as one unit (under ctx_protect). */
typedef struct Units {
  Session *s;
  Item **items;
  int n;
  TopStatus st;
} Units;

static void run_committed(Ctx *ctx, void *arg) {
  Units *u = arg;
  u->st = top_run_committed(u->s, ctx, u->items, u->n);
}

/* Runs items as one unit. A compile error belongs to one of them and
 * must show after the items before it ran, as it would have in OCaml
 * (let rec's restrictions are type errors there): the items then run
 * one unit each. Prints errors itself; never unwinds. The items are
 * committed: there is nothing to roll back. */
static TopStatus run_units(Session *s, Ctx *ctx, Item **items, int n) {
  Units u = {s, items, n, TOP_OK};
  if (ctx_protect(ctx, run_committed, &u)) return u.st;
  if (n == 1) {
    top_print_diags(s, ctx);
    return TOP_ERROR;
  }
  ctx_clear_diags(ctx); /* the item's own unit reports it again */
  for (int i = 0; i < n; i++) {
    TopStatus st = run_units(s, ctx, &items[i], 1);
    if (st != TOP_OK) return st;
  }
  return TOP_OK;
}

static TopStatus run_batch(Session *s, Ctx *ctx, Batch *b) {
  int n = b->n;
  b->n = 0;
  TopStatus st = n ? run_units(s, ctx, b->items, n) : TOP_OK;
  fflush(s->out);
  return st;
}

/* Runs the batch before the diagnostics of the item just typed, which
 * are held back meanwhile; if the batch fails, they are dropped: OCaml
 * would have stopped before typing the item. */
static TopStatus run_batch_first(Session *s, Ctx *ctx, Batch *b) {
  Diag *diags = ctx->diags, **tail = ctx->diags_tail;
  ctx_clear_diags(ctx);
  TopStatus st = run_batch(s, ctx, b);
  if (st != TOP_OK) {
    ctx_clear_diags(ctx);
    return st;
  }
  ctx->diags = diags;
  ctx->diags_tail = tail;
  return TOP_OK;
}

static void batch_push(Arena *a, Batch *b, Item *it) {
  if (b->n == b->cap) {
    int cap = b->cap ? 2 * b->cap : 16;
    Item **items = ARENA_ARRAY(a, Item *, cap);
    if (b->n) memcpy(items, b->items, sizeof *items * (size_t)b->n);
    b->items = items;
    b->cap = cap;
  }
  b->items[b->n++] = it;
}

/* Script mode's state across items: the batch, and the item at hand. */
typedef struct Script {
  Session *s;
  Batch batch;
  Item *it;
} Script;

static void type_committed(Ctx *ctx, void *arg) {
  Script *sc = arg;
  ty_begin_phrase(sc->s->ty, ctx);
  ty_item(sc->s->ty, sc->it);
  ctx_check_fatal(ctx);
  ty_commit(sc->s->ty);
}

/* Types the item and commits it. A type error must show after the items
 * before it ran, as in OCaml: the batch runs first, then the error goes
 * on to the boundary (dropped if the batch failed). */
static void type_script_item(Session *s, Ctx *ctx, Script *sc) {
  double t0 = top_now_ms();
  bool ok = ctx_protect(ctx, type_committed, sc);
  s->step_ms[TOP_TYPE] += top_now_ms() - t0;
  if (ok) return;
  ty_rollback(s->ty);
  run_batch_first(s, ctx, &sc->batch);
  ctx_bail(ctx);
}

/* Types one item (committing it) and adds it to the batch, at the
 * boundary. */
static TopStatus script_item(Session *s, Ctx *ctx, void *arg) {
  Script *sc = arg;
  Batch *b = &sc->batch;
  Item *it = sc->it;
  if (it->kind == ITEM_DIRECTIVE || starts_batch(it)) {
    TopStatus st = run_batch(s, ctx, b);
    if (st != TOP_OK) return st;
    if (it->kind == ITEM_DIRECTIVE) return exec_phrase(s, ctx, &it, 1);
  }
  eval_alone(it);
  dump_parse(s, &it, 1);
  type_script_item(s, ctx, sc);
  if (ctx->diags) { /* its warnings, and lexer warnings of the file */
    TopStatus st = run_batch_first(s, ctx, b);
    if (st != TOP_OK) return st;
    top_print_diags(s, ctx);
  }
  batch_push(ctx->arena, b, it);
  return ends_batch(it) || b->n == BATCH_MAX ? run_batch(s, ctx, b) : TOP_OK;
}

static TopStatus script_items(Session *s, Ctx *ctx, Item **items, int n) {
  Script sc = {s, {0}, NULL};
  TopStatus st = TOP_OK;
  for (int i = 0; st == TOP_OK && i < n; i++) {
    sc.it = items[i];
    st = top_protect(s, ctx, script_item, &sc);
  }
  if (st == TOP_OK) st = run_batch(s, ctx, &sc.batch);
  return st;
}

/* How run_file runs a file's items. */
typedef enum FileMode {
  FILE_USE,     /* #use: one phrase at a time, as if typed at the prompt */
  FILE_MOD_USE, /* #mod_use: as one phrase, the body of a module */
  FILE_INIT,    /* an init file: as #use, its results not printed */
  FILE_SCRIPT,  /* a script: silently, messages to stderr, in batches */
} FileMode;

/* A file to run at the boundary: path NULL is standard input. */
typedef struct File {
  const char *path;
  FileMode mode;
} File;

/* The file's name in messages: a script's implicit path gains "./" (as
 * OCaml's run_script makes it explicit); #use and init files keep the
 * name they were found under, and a command's output is
 * "(command-output)". */
static const char *file_display_name(Arena *a, const File *f) {
  if (!f->path) return "(stdin)";
  if (f->mode != FILE_SCRIPT) return f->path;
  return arena_printf(a, "%s%s", script_prefix(f->path), f->path);
}

/* #mod_use: the file's items as `module Name = struct … end`, Name from
 * the file's name, as one phrase. */
static TopStatus use_as_module(Session *s, Ctx *ctx, const char *path, Item **items, int n) {
  ModExpr *me = ARENA_NEW(ctx->arena, ModExpr);
  me->kind = MOD_STRUCT;
  me->items = items;
  me->nitems = n;
  Item *mod = ARENA_NEW(ctx->arena, Item);
  mod->kind = ITEM_MODULE;
  mod->name = top_unit_name_of_path(ctx->arena, path);
  mod->mexpr = me;
  return top_exec_items(s, ctx, &mod, 1);
}

/* Parses the whole file, then types and runs its items. */
static TopStatus file_items(Session *s, Ctx *ctx, void *arg) {
  File *f = arg;
  ctx->filename = file_display_name(ctx->arena, f);
  s->file = ctx->filename;
  int n;
  Item **items = parse_implementation(ctx, &n);
  switch (f->mode) {
  case FILE_SCRIPT: return script_items(s, ctx, items, n);
  case FILE_MOD_USE: return use_as_module(s, ctx, f->path, items, n);
  default: return use_items(s, ctx, items, n);
  }
}

/* Parses a whole text, then types and runs its items: one phrase at a
 * time for #use and init files, in batches for a script. Where messages
 * go and whether results print are the session's, changed for the file's
 * duration (a #use inside a script or an init file is silent too). */
static TopStatus run_source(Session *s, const char *path, const char *text, size_t len, FileMode mode) {
  File f = {path, mode};
  const char *saved_file = s->file;
  FILE *saved_msgs = s->msgs;
  bool saved_silent = s->silent;
  if (mode == FILE_SCRIPT) s->msgs = s->err;
  s->silent = s->silent || mode == FILE_INIT || mode == FILE_SCRIPT;
  TopStatus st = top_phrase(s, text, (int)len, file_items, &f);
  s->file = saved_file;
  s->msgs = saved_msgs;
  s->silent = saved_silent;
  return st;
}

static TopStatus run_file(Session *s, const char *path, FileMode mode) {
  size_t len;
  char *text = path ? buf_read_file(path, &len) : buf_read_stream(stdin, &len);
  if (!text) {
    FILE *msgs = mode == FILE_SCRIPT ? s->err : s->msgs;
    fprintf(msgs, "Cannot find file %s%s.\n", mode == FILE_SCRIPT ? script_prefix(path) : "", path);
    return TOP_ERROR;
  }
  TopStatus st = run_source(s, path, text, len, mode);
  free(text);
  return st;
}

/* A file found on the search path; OCaml's message when it is not. */
static TopStatus run_found_file(Session *s, const char *name, FileMode mode) {
  const char *path = top_find_in_path(s, name);
  if (path) return run_file(s, path, mode);
  fprintf(s->msgs, "Cannot find file %s.\n", name);
  return TOP_ERROR;
}

TopStatus top_use_file(Session *s, const char *name) { return run_found_file(s, name, FILE_USE); }

TopStatus top_use_silently(Session *s, const char *name) { return run_found_file(s, name, FILE_INIT); }

TopStatus top_dir_mod_use(Session *s, Ctx *ctx, const TopDirArg *arg) {
  (void)ctx;
  return top_dir_done(run_found_file(s, arg->text, FILE_MOD_USE));
}

/* #use_output: the command's standard output, read as a #use file named
 * "(command-output)", once the command succeeded. */
TopStatus top_dir_use_output(Session *s, Ctx *ctx, const TopDirArg *arg) {
  (void)ctx;
  fflush(s->out);
  nml_flush_std();
  FILE *p = popen(arg->text, "r");
  if (!p) {
    fprintf(s->out, "Command exited with code 127.\n");
    return TOP_OK;
  }
  Buf b;
  buf_init(&b);
  char chunk[4096];
  for (size_t n; (n = fread(chunk, 1, sizeof chunk, p)) > 0;) buf_add(&b, chunk, n);
  int status = pclose(p);
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  TopStatus st = TOP_OK;
  if (code != 0) fprintf(s->out, "Command exited with code %d.\n", code);
  else st = run_source(s, "(command-output)", b.data ? b.data : "", b.len, FILE_USE);
  buf_free(&b);
  return top_dir_done(st);
}

int top_run_script(Session *s, const char *path) {
  top_set_interactive(s, false);
  /* #use and #load search the script's folder where the toplevel
   * searches the current directory (OCaml's Filename.dirname). */
  const char *slash = path ? strrchr(path, '/') : NULL;
  if (!slash) s->base_dir = ".";
  else if (slash == path) s->base_dir = "/";
  else s->base_dir = arena_strndup(&s->perm, path, (size_t)(slash - path));
  TopStatus st = run_file(s, path, FILE_SCRIPT);
  nml_flush_std();
  fflush(s->out);
  return st == TOP_ERROR ? 2 : 0;
}

/* ---- -open ------------------------------------------------------------- */

/* The open phrase, typed and run (under ctx_protect). */
typedef struct Opening {
  Session *s;
  TopStatus st;
} Opening;

static void open_items(Ctx *ctx, void *arg) {
  Opening *o = arg;
  int n;
  Item **items = parse_phrase(ctx, &n);
  o->st = top_exec_items(o->s, ctx, items, n);
}

/* Opens the module at the boundary. OCaml reports a module it cannot
 * open at "File "command line", line 1:", with neither characters nor
 * excerpt: the diagnostics are moved there before they are printed. */
static TopStatus open_module(Session *s, Ctx *ctx, void *arg) {
  (void)arg;
  ctx->filename = "command line";
  Opening o = {s, TOP_OK};
  if (ctx_protect(ctx, open_items, &o)) return o.st;
  for (Diag *d = ctx->diags; d; d = d->next) {
    d->loc_line_only = true;
    d->loc.line1 = d->loc.line2 = 1;
    d->has_extra = false;
  }
  ctx_bail(ctx);
}

TopStatus top_open_module(Session *s, const char *path) {
  Buf b;
  buf_init(&b);
  buf_printf(&b, "open %s;;", path);
  TopStatus st = top_phrase(s, b.data, (int)b.len, open_module, NULL);
  buf_free(&b);
  return st;
}
