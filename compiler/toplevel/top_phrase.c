/* top_phrase.c — the phrase pipeline, step by step. One phrase:
 *
 *   text ── parse.c ──▶ items ── typecheck (ty_item) ──▶ annotated items
 *        ── lower.c ──▶ IR ── closure.c ──▶ flat IR
 *        ── cg_unit_object (codegen.h) ──▶ ELF .o in memory
 *        ── dl_link ──▶ .so image in memory ── dl_load (fresh path, dlopen)
 *        ──▶ unit ── run its entry (nml_run_trapped) ──▶ ML list of bound
 *        values ── commit, slots, print (top_print.c)
 *
 * Phrases that bind no value and evaluate nothing (type declarations,
 * externals, opens, exceptions alone) make no unit at all. Every error
 * unwinds to the phrase boundary (top_protect, on ctx_protect), where
 * the environment is rolled back: the session loses nothing. Every entry
 * point runs its work there: phrases and files (top_loop.c), #load
 * (top_plugin.c), the stdlib at start-up (top_session.c), natmlc's units.
 * Script mode types items one at a time and hands consecutive ones to
 * top_run_committed as one unit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lower.h"
#include "natml_runtime.h"
#include "parse.h"
#include "session.h"

/* ---- The phrase boundary ------------------------------------------------ */

/* A TopPhraseFn run under ctx_protect. */
typedef struct Protected {
  Session *s;
  TopPhraseFn fn;
  void *arg;
  TopStatus st;
} Protected;

static void run_protected(Ctx *ctx, void *arg) {
  Protected *p = arg;
  p->st = p->fn(p->s, ctx, p->arg);
}

TopStatus top_protect(Session *s, Ctx *ctx, TopPhraseFn fn, void *arg) {
  Protected p = {s, fn, arg, TOP_OK};
  if (ctx_protect(ctx, run_protected, &p)) return p.st;
  ty_rollback(s->ty);
  top_print_diags(s, ctx);
  return TOP_ERROR;
}

TopStatus top_phrase(Session *s, const char *text, int len, TopPhraseFn fn, void *arg) {
  Arena arena;
  arena_init(&arena);
  Ctx ctx;
  ctx_init(&ctx, &arena, &s->perm, text, len);
  ctx.warnings = &s->warnings;
  TopStatus st = top_protect(s, &ctx, fn, arg);
  fflush(s->out);
  arena_free(&arena);
  return st;
}

/* ---- The pipeline ------------------------------------------------------- */

const char *top_new_slot(Session *s, value v) {
  if (s->slots_left == 0) {
    /* Slots live in memory the collector scans; they are never freed:
     * later units are linked against their addresses. */
    s->slots = nml_alloc_roots(1024);
    s->slots_left = 1024;
  }
  value *slot = s->slots++;
  s->slots_left--;
  *slot = v;
  char name[48];
  snprintf(name, sizeof name, "nml_top_%p", (void *)slot);
  dl_define(s->dl, name, slot);
  return arena_strdup(&s->perm, name);
}

static void dump(Session *s, const char *title, Buf *b) {
  (void)title;
  fputs(b->data ? b->data : "", s->err);
  fflush(s->err);
}

IrUnit *top_lower_items(Session *s, Ctx *ctx, const char *unit_name, Item **items, int n,
                        const char *(*slot_symbol)(void *, ValueDesc *), void *slot_arg,
                        const char *exn_prefix) {
  double t0 = top_now_ms();
  IrUnit *u = lower_unit(ctx, unit_name, items, n, s->file, slot_symbol, slot_arg, exn_prefix);
  if (!closure_convert(ctx->arena, u))
    ctx_error_noloc(ctx, "natml: this phrase uses a construct that natml cannot compile yet");
  s->step_ms[TOP_LOWER] += top_now_ms() - t0;
  if (s->opt.dir) {
    Buf b;
    buf_init(&b);
    ir_print_unit(&b, u);
    dump(s, "ir", &b);
    buf_free(&b);
  }
  return u;
}

/* Whether the items need code to run: anything binding or computing a
 * value. Exceptions alone are made by the toplevel itself. */
static bool needs_unit(Item **items, int n) {
  for (int i = 0; i < n; i++) {
    switch (items[i]->kind) {
    case ITEM_VALUE:
    case ITEM_EVAL:
    case ITEM_MODULE:
    case ITEM_RECMODULE:
    case ITEM_INCLUDE: return true;
    default: break;
    }
  }
  return false;
}

/* Compiles and loads a unit; returns its entry. Errors unwind. */
static value (*load_unit(Session *s, Ctx *ctx, Item **items, int n, DlUnit **unit, bool *releasable))(void) {
  char name[32];
  snprintf(name, sizeof name, "t%d", ++s->unit_counter);
  IrUnit *u = top_lower_items(s, ctx, arena_strdup(ctx->arena, name), items, n, NULL, NULL, "");
  CgObject obj = {0};
  CgTimes times = {0};
  CgError cerr;
  bool ok = cg_unit_object(s->cg, ctx->arena, u, s->opt.dllvm ? s->err : NULL, &obj, &times, &cerr);
  s->step_ms[TOP_CODEGEN] += times.build_ms;
  s->step_ms[TOP_EMIT] += times.emit_ms;
  if (!ok) ctx_error_noloc(ctx, cerr.msg);
  /* A unit with no functions and no static data leaves nothing behind
   * that its values could point to: it can be released once run. */
  *releasable = u->funcs.len == 0 && u->nstatic == 0;
  double t1 = top_now_ms();
  DlImage img;
  DlError derr;
  bool linked = dl_link(s->dl, obj.data, obj.size, DL_PREBIND, &img, &derr);
  cg_object_free(&obj);
  double t2 = top_now_ms();
  s->step_ms[TOP_LINK] += t2 - t1;
  if (!linked) ctx_error_noloc(ctx, arena_printf(ctx->arena, "natml: cannot link phrase: %s", derr.msg));
  DlUnit *du = dl_load(s->dl, &img, &derr);
  dl_image_free(&img);
  s->step_ms[TOP_LOAD] += top_now_ms() - t2;
  if (!du) ctx_error_noloc(ctx, arena_printf(ctx->arena, "natml: cannot load phrase: %s", derr.msg));
  char entry_name[48];
  snprintf(entry_name, sizeof entry_name, "nml_entry_%s", name);
  void *entry = dl_unit_symbol(du, entry_name);
  NML_ASSERT(entry != NULL);
  *unit = du;
  value (*fn)(void);
  memcpy(&fn, &entry, sizeof fn);
  return fn;
}

/* Exceptions declared by a phrase that makes no unit: the toplevel makes
 * their constructor blocks and slots itself. */
static value exceptions_list(Item **items, int n) {
  value list = Val_emptylist;
  for (int i = n - 1; i >= 0; i--) {
    if (items[i]->kind != ITEM_EXCEPTION) continue;
    for (int j = items[i]->bound.len - 1; j >= 0; j--) {
      ValueDesc *vd = items[i]->bound.items[j];
      list = nml_cons(nml_new_exception(vd->name), list);
    }
  }
  return list;
}

/* A unit's outcome: the list of the values it binds, or the exception it
 * raised; the unit itself, released after the report when releasable. */
typedef struct Outcome {
  value list, exn;
  DlUnit *unit;
  bool releasable;
} Outcome;

/* Compiles and runs typed items (or makes their exceptions when they need
 * no code). Returns false when the unit raised. Compile errors unwind. */
static bool run_items(Session *s, Ctx *ctx, Item **items, int n, Outcome *o) {
  o->unit = NULL;
  o->releasable = false;
  if (!needs_unit(items, n)) {
    o->list = exceptions_list(items, n);
    return true;
  }
  value (*entry)(void) = load_unit(s, ctx, items, n, &o->unit, &o->releasable);
  nml_catch_break(true);
  double t1 = top_now_ms();
  bool ok = nml_run_trapped(entry, &o->list, &o->exn);
  nml_flush_std();
  s->step_ms[TOP_RUN] += top_now_ms() - t1;
  return ok;
}

/* Prints the exception a unit raised and drops the unit. The toplevel
 * rolls back what the phrase declared first, as OCaml does; a script
 * stops here, so its batches have nothing to roll back. */
static TopStatus report_exception(Session *s, Outcome *o) {
  top_print_exception(s, o->exn);
  if (o->releasable) dl_unload(s->dl, o->unit);
  return TOP_ERROR;
}

/* Binds the values to slots and prints them (after ty_commit). */
static TopStatus report_results(Session *s, Item **items, int n, Outcome *o) {
  double t2 = top_now_ms();
  top_print_results(s, items, n, o->list);
  double t3 = top_now_ms();
  s->step_ms[TOP_PRINT] += t3 - t2;
  if (o->releasable) {
    dl_unload(s->dl, o->unit);
    s->step_ms[TOP_LOAD] += top_now_ms() - t3;
  }
  return TOP_OK;
}

TopStatus top_exec_items(Session *s, Ctx *ctx, Item **items, int n) {
  double t0 = top_now_ms();
  ty_begin_phrase(s->ty, ctx);
  ty_items(s->ty, items, n);
  s->step_ms[TOP_TYPE] += top_now_ms() - t0;
  ctx_check_fatal(ctx);    /* a warning -warn-error makes an error stops the phrase here */
  top_print_diags(s, ctx); /* warnings come before the results */
  Outcome o;
  if (!run_items(s, ctx, items, n, &o)) {
    ty_rollback(s->ty);
    return report_exception(s, &o);
  }
  ty_commit(s->ty);
  return report_results(s, items, n, &o);
}

TopStatus top_run_committed(Session *s, Ctx *ctx, Item **items, int n) {
  Outcome o;
  if (!run_items(s, ctx, items, n, &o)) return report_exception(s, &o);
  return report_results(s, items, n, &o);
}
