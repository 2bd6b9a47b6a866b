/* top_trace.c — the toplevel's #trace, #untrace and #untrace_all, and the
 * tracer behind them, which prints `f <-- arg`, `f --> result` and
 * `f raises exn` lines as OCaml's bytecode toplevel does (its trace.ml),
 * for natml's native code.
 *
 * How a call reaches the tracer. OCaml's bytecode toplevel swaps the code
 * pointer of the traced closure; natml's recursive functions call
 * themselves, and functions of one phrase each other, directly, so a
 * swapped pointer would miss those calls. The functions of the
 * toplevel's units therefore start with a patchable entry (codegen.h):
 * #trace writes a jump there to nml_trace_stub<N> of the function's arity
 * (cg_support.c), which every call then reaches, direct, through a
 * closure or a partial application, and at -O0 (the toplevel's default)
 * self tail calls too, compiled as calls through the entry.
 * Functions without one (the stdlib's, a plugin's, partial applications)
 * get their closure's code pointer swapped for the stub instead, as in
 * OCaml: calls through the closure are traced, calls compiled as direct
 * calls inside the stdlib or the plugin are not.
 *
 * The stub hands the closure and the arguments to trace_hook (through the
 * runtime's nml_trace_call). The traced closure is found by identity, as
 * OCaml does: another closure sharing the patched code (a second
 * `make 2` of `let make n = fun x -> ...`) runs untraced. The tracer
 * prints, runs the body past the patched entry (or the closure's own code)
 * with the same closure through nml_trace_invoke, so that recursive calls
 * come back traced, and reports an exception under a trap frame of its
 * own before raising it again.
 *
 * Curried functions. OCaml's trace follows the function's type: one
 * argument per arrow, the result of the first application printed as
 * `f --> <fun>` and wrapped so that the next application prints as
 * `f* <-- ...`. A natml function of arity N is entered with its N
 * arguments at once; the tracer prints the lines each of OCaml's
 * applications would print, in the same order. A functional result beyond
 * the arity is wrapped as OCaml wraps it: a closure whose code is
 * nml_trace_wrap (see wrap_result for its fields). A partial application
 * of a traced closure (`let g = f 1`) is shown to the tracer by the apply
 * helper that builds it (NML_TRACE_PARTIAL): it prints OCaml's lines for
 * the arguments given and wraps the partial application, so that `g 2`
 * prints `f* <-- 2` and `f* --> 3`; the call of f's entry that completes
 * it then runs untraced (TopTrace.skip), as OCaml's completed partial
 * application runs the original code.
 *
 * Remaining differences with OCaml: in optimised units (script mode,
 * -O1, -O2) self tail calls, compiled as loops, and calls the optimiser
 * inlined are not traced; nor are calls inside the stdlib or a plugin
 * compiled as direct calls. A traced recursion takes more stack per
 * level than OCaml's bytecode (the stub's and the tracer's C frames), so
 * it overflows sooner (about 12,000 levels with an 8 MB stack).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "natml_runtime.h"
#include "printval.h"
#include "top_directive.h"

/* One arrow of a traced function's type: OCaml's trace prints one
 * argument per arrow. Steps live in the session arena and are never
 * freed: result wrappers refer to them after #untrace, as OCaml's keep
 * printing. */
typedef struct TraceStep {
  const char *name;       /* "f", then "f*", "f**" for the results' arrows */
  Type *arg, *res;        /* the parameter's and the result's types (session) */
  struct TraceStep *next; /* the result's arrow, or NULL when it is none */
} TraceStep;

/* A traced closure. */
typedef struct TraceFn {
  const char *name; /* as written in #trace: the trace lines' name */
  const char *path; /* OCaml's path of the value, without "Stdlib." */
  ValueDesc *vd;    /* the value traced: #untrace compares it and path */
  value *clos;      /* a GC root holding the closure (closures move) */
  int arity;
  unsigned char *entry;                /* patched entry, or NULL: code pointer swapped */
  unsigned char saved[CG_PATCH_BYTES]; /* the patched bytes before */
  value code;                          /* swapped: the closure's own code */
  value body;                          /* what runs the function untraced */
  TraceStep *steps;
} TraceFn;

/* A session's tracer (Session.trace), made by the first #trace. */
struct TopTrace {
  Session *s;
  TraceFn **fns; /* in the order traced */
  int n, cap;
  bool may_trace; /* false while a trace line prints (OCaml's may_trace) */
  /* The traced function whose next call completes a partial application
   * that a wrapper is applying: it runs untraced (see the top). */
  TraceFn *skip;
  Type *exn_ty; /* exn, for `f raises E` */
  /* The support object's code (cg_support.c), found by name. */
  void *stubs[NML_MAX_ARITY + 1];
  void *wrap;
  value (*invoke)(value code, value clos, value *args, intptr_t n);
  value (*apply1)(value f, value a);
};

static TraceFn *find_closure(TopTrace *t, value clos) {
  for (int i = 0; i < t->n; i++)
    if (*t->fns[i]->clos == clos) return t->fns[i];
  return NULL;
}

static TraceFn *find_entry(TopTrace *t, const void *entry) {
  for (int i = 0; i < t->n; i++)
    if (t->fns[i]->entry == entry) return t->fns[i];
  return NULL;
}

/* ---- Printing ----------------------------------------------------------- */

/* One trace line, "@[<2>NAME ARROW@ VALUE@]@." as OCaml prints it, on the
 * toplevel's output after what ML code wrote so far. */
static void print_line(TopTrace *t, const char *name, const char *arrow, value v, Type *ty) {
  Session *s = t->s;
  t->may_trace = false;
  nml_flush_std();
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  PvOptions o = top_printval_options(s);
  fmt_open_box(f, FMT_B, 2);
  fmt_string(f, name);
  fmt_string(f, " ");
  fmt_string(f, arrow);
  fmt_space(f);
  printval_print_value(f, v, ty, &o);
  fmt_close_box(f);
  fmt_flush_newline(f);
  fmt_free(f);
  fputs(b.data ? b.data : "", s->out);
  fflush(s->out);
  buf_free(&b);
  t->may_trace = true;
}

/* ---- The tracer --------------------------------------------------------- */

/* How to run what is traced: code with a closure and arguments (a traced
 * function's body), or a closure applied to one argument (a wrapper's
 * closure), which may be a partial application of the traced closure
 * partial_of (else unit). */
typedef struct Run {
  value code, clos;
  value *args;
  int nargs;
  value apply_to;   /* the wrapped closure, or 0 */
  value partial_of; /* see wrap_result */
} Run;

static value run(TopTrace *t, const Run *r) {
  if (r->apply_to) return t->apply1(r->apply_to, r->args[0]);
  return t->invoke(r->code, r->clos, r->args, r->nargs);
}

/* A closure tracing the functional result v by step st:
 * [nml_trace_wrap, arity 1, v, st, partial_of], st a tagged pointer (the
 * collectors see an integer), partial_of the traced closure of which v is
 * a partial application, or unit. */
static value wrap_result(TopTrace *t, value v, TraceStep *st, value partial_of) {
  value w = nml_alloc_young(5, Closure_tag);
  Field(w, 0) = (value)t->wrap;
  Field(w, 1) = Val_long(1);
  Field(w, 2) = v;
  Field(w, 3) = (value)((uintptr_t)st | 1);
  Field(w, 4) = partial_of;
  return w;
}

/* r and its tracer, for nml_run_trapped_arg. */
typedef struct Trapped {
  TopTrace *t;
  const Run *r;
} Trapped;

static value run_trapped_step(void *arg) {
  Trapped *tr = arg;
  return run(tr->t, tr->r);
}

/* Runs r in a trap frame: true with its result in *out, or false with
 * the exception it raised. */
static bool run_trapped(TopTrace *t, const Run *r, value *out) {
  Trapped tr = {t, r};
  return nml_run_trapped_arg(run_trapped_step, &tr, out, out);
}

/* Runs r after its last argument's line, under a trap frame: prints the
 * result (wrapped when it is a function) or the exception, raised again.
 * When r completes a partial application of a traced function, that
 * function's entry runs untraced (TopTrace.skip); when it does not (the
 * result is a partial application still), the result's wrapper stands
 * for a partial application too. */
static value run_traced(TopTrace *t, TraceStep *st, const Run *r) {
  TraceFn *saved = t->skip;
  TraceFn *skip = r->partial_of != Val_unit ? find_closure(t, r->partial_of) : NULL;
  if (skip) t->skip = skip;
  value res;
  bool ok = run_trapped(t, r, &res);
  bool pending = ok && skip && t->skip == skip;
  t->skip = saved;
  if (!ok) {
    value exn = res;
    print_line(t, st->name, "raises", exn, t->exn_ty);
    nml_raise(exn);
  }
  print_line(t, st->name, "-->", res, st->res);
  return st->next ? wrap_result(t, res, st->next, pending ? r->partial_of : Val_unit) : res;
}

/* A call of a traced function with its nargs arguments: the lines of the
 * nargs applications OCaml would see, then the body. */
static value trace_call(TopTrace *t, TraceFn *fn, value clos, value *args, int nargs) {
  Run r = {fn->body, clos, args, nargs, 0, Val_unit};
  TraceStep *st = fn->steps;
  for (int i = 0; i < nargs - 1; i++) {
    print_line(t, st->name, "<--", args[i], st->arg);
    /* What OCaml's application to one argument returns is a closure;
     * the type prints it, as <fun> (or <abstr>, <poly> when the type
     * hides the arrow: the rest then runs as OCaml's would, untraced). */
    print_line(t, st->name, "-->", clos, st->res);
    st = st->next;
    if (!st) return run(t, &r);
  }
  print_line(t, st->name, "<--", args[nargs - 1], st->arg);
  return run_traced(t, st, &r);
}

/* A wrapper w applied to args[0] (NML_TRACE_WRAPPED). */
static value trace_wrapped(TopTrace *t, value w, value *args) {
  TraceStep *st = (TraceStep *)(Field(w, 3) & ~(value)1);
  Run r = {0, 0, args, 1, Field(w, 2), Field(w, 4)};
  if (!t->may_trace) return run(t, &r);
  print_line(t, st->name, "<--", args[0], st->arg);
  return run_traced(t, st, &r);
}

/* The partial application pap of clos to nargs arguments
 * (NML_TRACE_PARTIAL): OCaml's lines for those applications, and pap
 * wrapped for the next one. */
static value trace_partial(TopTrace *t, value clos, value pap, int nargs) {
  TraceFn *fn = find_closure(t, clos);
  if (!fn || !t->may_trace) return pap;
  TraceStep *st = fn->steps;
  for (int i = 0; i < nargs; i++) {
    print_line(t, st->name, "<--", Field(pap, 3 + i), st->arg);
    print_line(t, st->name, "-->", pap, st->res);
    st = st->next;
    if (!st) return pap;
  }
  return wrap_result(t, pap, st, clos);
}

/* The runtime's hook (natml_runtime.h). */
static value trace_hook(void *ctx, NmlTraceEvent ev, value clos, value *args, intptr_t nargs) {
  TopTrace *t = ctx;
  if (ev == NML_TRACE_WRAPPED) return trace_wrapped(t, clos, args);
  if (ev == NML_TRACE_PARTIAL) return trace_partial(t, clos, args[0], (int)nargs);
  TraceFn *fn = find_closure(t, clos);
  if (!fn) {
    /* Another closure of a patched function's code: it runs untraced. */
    unsigned char *entry = (unsigned char *)Field(clos, 0);
    if (!find_entry(t, entry)) nml_fatal("natml: trace stub entered from untraced code");
    return t->invoke((value)(entry + CG_PATCH_ENTRY), clos, args, nargs);
  }
  if (fn == t->skip) {
    t->skip = NULL;
    return t->invoke(fn->body, clos, args, nargs);
  }
  if (!t->may_trace) return t->invoke(fn->body, clos, args, nargs);
  return trace_call(t, fn, clos, args, (int)nargs);
}

/* ---- Setting up --------------------------------------------------------- */

static void *support_symbol(Session *s, const char *name) {
  void *p = dl_lookup(s->dl, name);
  if (!p) nml_fatal("natml: the support code lacks %s", name);
  return p;
}

static TopTrace *tracer(Session *s) {
  if (s->trace) return s->trace;
  TopTrace *t = calloc(1, sizeof *t);
  if (!t) nml_fatal("out of memory");
  t->s = s;
  t->may_trace = true;
  for (int n = 1; n <= NML_MAX_ARITY; n++) {
    char name[32];
    snprintf(name, sizeof name, "nml_trace_stub%d", n);
    t->stubs[n] = support_symbol(s, name);
  }
  t->wrap = support_symbol(s, "nml_trace_wrap");
  void *invoke = support_symbol(s, "nml_trace_invoke"), *apply1 = support_symbol(s, "nml_callback1");
  memcpy(&t->invoke, &invoke, sizeof invoke);
  memcpy(&t->apply1, &apply1, sizeof apply1);
  nml_set_trace_hook(trace_hook, t);
  s->trace = t;
  return t;
}

/* The steps of type ty, named name, name*, name**...: its arrows after
 * expanding abbreviations, as OCaml's instrument_result walks them, in
 * the session arena. The typer works in the directive's phrase. */
static TraceStep *steps_of(Session *s, CopyMap *m, const char *name, Type *ty, int depth) {
  Typer *T = s->ty;
  Type *e = ty_expand_head(T, ty);
  if (e->kind != TY_ARROW || depth > 256) return NULL;
  TraceStep *st = ARENA_NEW(&s->perm, TraceStep);
  st->name = arena_strdup(&s->perm, name);
  st->arg = ty_copy_to_session(T, m, e->a);
  st->res = ty_copy_to_session(T, m, e->b);
  st->next = steps_of(s, m, arena_printf(T->arena, "%s*", name), e->b, depth + 1);
  return st;
}

/* Sends the closure's calls to the stub of its arity: through its entry
 * when it has a patchable one (or one already patched for another
 * closure of the same code), else through its code pointer. */
static bool redirect(TopTrace *t, TraceFn *fn) {
  value clos = *fn->clos;
  unsigned char *code = (unsigned char *)Field(clos, 0);
  TraceFn *other = find_entry(t, code);
  if (other) {
    fn->entry = code;
    memcpy(fn->saved, other->saved, CG_PATCH_BYTES);
  } else if (cg_patchable_entry(code)) {
    unsigned char jump[CG_PATCH_BYTES];
    cg_patch_jump(jump, t->stubs[fn->arity]);
    memcpy(fn->saved, code - CG_PATCH_PREFIX, CG_PATCH_BYTES);
    DlError err;
    if (!dl_patch_code(code - CG_PATCH_PREFIX, jump, CG_PATCH_BYTES, &err)) {
      fprintf(t->s->out, "natml: cannot trace %s: %s\n", fn->name, err.msg);
      return false;
    }
    fn->entry = code;
  } else {
    fn->code = (value)code;
    fn->body = (value)code;
    Field(clos, 0) = (value)t->stubs[fn->arity];
    nml_trace_active++;
    return true;
  }
  fn->body = (value)(code + CG_PATCH_ENTRY);
  nml_trace_active++;
  return true;
}

/* Undoes redirect (the entry's bytes come back when no other traced
 * closure shares it) and forgets fn. */
static void untrace(TopTrace *t, TraceFn *fn) {
  int at = 0;
  while (t->fns[at] != fn) at++;
  memmove(&t->fns[at], &t->fns[at + 1], sizeof *t->fns * (size_t)(t->n - at - 1));
  t->n--;
  if (t->skip == fn) t->skip = NULL;
  nml_trace_active--;
  if (!fn->entry) {
    Field(*fn->clos, 0) = fn->code;
  } else if (!find_entry(t, fn->entry)) {
    DlError err;
    if (!dl_patch_code(fn->entry - CG_PATCH_PREFIX, fn->saved, CG_PATCH_BYTES, &err))
      nml_fatal("natml: %s", err.msg);
  }
  nml_free_roots(fn->clos);
  free(fn);
}

void top_trace_free(Session *s) {
  TopTrace *t = s->trace;
  if (!t) return;
  while (t->n > 0) untrace(t, t->fns[t->n - 1]);
  nml_set_trace_hook(NULL, NULL);
  free(t->fns);
  free(t);
  s->trace = NULL;
}

/* ---- Names -------------------------------------------------------------- */

/* The value a directive names (its session copy), or NULL when it is
 * unbound. */
static ValueDesc *lookup_value(Session *s, const Path *p) {
  ValueDesc *vd = top_lookup_value(s, p);
  return vd ? ty_committed(vd) : NULL;
}

/* The module path (not an alias's) under which module md's environment
 * binds vd as name, searching depth levels of submodules. */
static const char *module_of(Arena *a, const Env *env, ValueDesc *vd, const char *name, int depth) {
  for (int i = env->len - 1; i >= 0; i--) {
    const EnvEntry *e = &env->entries[i];
    if (e->ns != NS_MODULE || env_find(env, NS_MODULE, e->name) != e->desc) continue;
    ModuleDesc *md = e->desc;
    if (md->is_alias || md->is_functor || !md->env) continue;
    ValueDesc *found = env_find(md->env, NS_VALUE, name);
    if (found && ty_committed(found) == vd) return md->path;
    if (depth > 0) {
      const char *sub = module_of(a, md->env, vd, name, depth - 1);
      if (sub) return sub;
    }
  }
  return NULL;
}

/* OCaml's path of the value p names, as its Printtyp prints it: a name
 * bound through `open M` is M.name; Stdlib's own prefix is dropped. */
static const char *value_path(Session *s, Arena *a, const Path *p, const char *text, ValueDesc *vd) {
  const char *path = text;
  if (!p->nmods) {
    const char *mod = module_of(a, ty_env(s->ty), vd, p->name, 2);
    if (mod) path = arena_printf(a, "%s.%s", mod, p->name);
  }
  if (strncmp(path, "Stdlib.", 7) == 0) path += 7;
  return arena_strdup(a, path);
}

/* ---- Directives --------------------------------------------------------- */

/* The closure a value names, or 0 when it is no function (OCaml checks
 * both the block and the type). */
static value closure_of(Session *s, ValueDesc *vd) {
  if (vd->kind != VAL_GLOBAL || !vd->symbol) return 0;
  value *slot = dl_lookup(s->dl, vd->symbol);
  if (!slot || !Is_block(*slot) || Tag_val(*slot) != Closure_tag) return 0;
  if (ty_expand_head(s->ty, vd->ty)->kind != TY_ARROW) return 0;
  return *slot;
}

TopStatus top_dir_trace(Session *s, Ctx *ctx, const TopDirArg *arg) {
  const char *name = arg->text;
  ValueDesc *vd = lookup_value(s, &arg->path);
  if (!vd) {
    fprintf(s->out, "Unbound value %s.\n", name);
    return TOP_OK;
  }
  if (vd->kind == VAL_PRIM) {
    fprintf(s->out, "%s is an external function and cannot be traced.\n", name);
    return TOP_OK;
  }
  ty_begin_phrase(s->ty, ctx); /* expansions allocate in the phrase */
  value clos = closure_of(s, vd);
  if (!clos) {
    ty_rollback(s->ty);
    fprintf(s->out, "%s is not a function.\n", name);
    return TOP_OK;
  }
  TopTrace *t = tracer(s);
  const char *path = value_path(s, ctx->arena, &arg->path, name, vd);
  TraceFn *old = find_closure(t, clos);
  if (old) {
    ty_rollback(s->ty);
    fprintf(s->out, "%s is already traced (under the name %s).\n", path, old->path);
    return TOP_OK;
  }
  TraceFn *fn = calloc(1, sizeof *fn);
  if (!fn) nml_fatal("out of memory");
  fn->name = arena_strdup(&s->perm, name);
  fn->path = arena_strdup(&s->perm, path);
  fn->vd = vd;
  fn->clos = nml_alloc_roots(1);
  *fn->clos = clos;
  fn->arity = (int)Closure_arity(clos);
  CopyMap *m = ty_copymap_new(s->ty);
  fn->steps = steps_of(s, m, name, vd->ty, 0);
  if (!t->exn_ty) t->exn_ty = ty_copy_to_session(s->ty, m, ty_predef(s->ty, TYB_EXN));
  ty_rollback(s->ty);
  if (!redirect(t, fn)) {
    nml_free_roots(fn->clos);
    free(fn);
    return TOP_ERROR;
  }
  if (t->n == t->cap) {
    t->cap = t->cap ? 2 * t->cap : 8;
    t->fns = realloc(t->fns, sizeof *t->fns * (size_t)t->cap);
    if (!t->fns) nml_fatal("out of memory");
  }
  t->fns[t->n++] = fn;
  fprintf(s->out, "%s is now traced.\n", name);
  return TOP_OK;
}

TopStatus top_dir_untrace(Session *s, Ctx *ctx, const TopDirArg *arg) {
  const char *name = arg->text;
  ValueDesc *vd = lookup_value(s, &arg->path);
  if (!vd) {
    fprintf(s->out, "Unbound value %s.\n", name);
    return TOP_OK;
  }
  TopTrace *t = s->trace;
  const char *path = value_path(s, ctx->arena, &arg->path, name, vd);
  for (int i = t ? t->n - 1 : -1; i >= 0; i--) {
    TraceFn *fn = t->fns[i];
    if (fn->vd == vd && strcmp(fn->path, path) == 0) {
      untrace(t, fn);
      fprintf(s->out, "%s is no longer traced.\n", name);
      return TOP_OK;
    }
  }
  fprintf(s->out, "%s was not traced.\n", name);
  return TOP_OK;
}

/* Newest first, as OCaml walks its list. */
TopStatus top_dir_untrace_all(Session *s, Ctx *ctx, const TopDirArg *arg) {
  (void)ctx;
  (void)arg;
  TopTrace *t = s->trace;
  while (t && t->n > 0) {
    TraceFn *fn = t->fns[t->n - 1];
    fprintf(s->out, "%s is no longer traced.\n", fn->path);
    untrace(t, fn);
  }
  return TOP_OK;
}
