/* cg_support.c — the support code every unit shares, generated once at
 * build time (natmlc -support) and linked into the host:
 *   nml_apply<N>(f, a1..aN)   unknown application with OCaml's semantics:
 *                             exact, partial (builds a pap), or over-
 *                             application (calls, then applies the rest)
 *   nml_pap<R>(b1..bR, pap)   code of a partial application missing R
 *                             arguments: calls the original function
 *   nml_callback<N>(f, ...)   C-convention entry for C code calling a
 *                             closure
 *   nml_trace_stub<N>(a1..aN, clos), nml_trace_wrap(a, w),
 *   nml_trace_invoke(code, clos, args, n)
 *                             the toplevel's #trace: what traced code is
 *                             redirected to, and how the tracer runs the
 *                             code it traces (see gen_trace_stub)
 * Partial application blocks: [nml_pap<R>, R, original closure, args...]. */
#include "cg.h"

#include <stdio.h>
#include <string.h>

#include "natml_runtime.h"

#define NML_TAILCC 18

static LLVMValueRef c64(Cg *cg, long long n) { return LLVMConstInt(cg->i64, (unsigned long long)n, 1); }

static LLVMValueRef ml_function(Cg *cg, const char *name, int nargs) {
  LLVMValueRef f = LLVMGetNamedFunction(cg->mod, name);
  if (f) return f;
  f = LLVMAddFunction(cg->mod, name, cg_ml_fn_type(cg, nargs));
  LLVMSetFunctionCallConv(f, NML_TAILCC);
  return f;
}

static LLVMValueRef apply_fn(Cg *cg, int n) {
  char name[32];
  snprintf(name, sizeof name, "nml_apply%d", n);
  return ml_function(cg, name, n);
}

static LLVMValueRef pap_fn(Cg *cg, int r) {
  char name[32];
  snprintf(name, sizeof name, "nml_pap%d", r);
  return ml_function(cg, name, r);
}

static LLVMValueRef load_field(Cg *cg, LLVMValueRef blk, int i) {
  return LLVMBuildLoad2(cg->b, cg->i64, cg_field_ptr(cg, blk, i), "");
}

/* Calls closure code (a word) with args followed by the closure. */
static LLVMValueRef call_code(Cg *cg, LLVMValueRef code, LLVMValueRef *args, int n, bool tail) {
  LLVMTypeRef ft = cg_ml_fn_type(cg, n - 1);
  LLVMValueRef fp = LLVMBuildIntToPtr(cg->b, code, LLVMPointerType(ft, 0), "");
  LLVMValueRef call = LLVMBuildCall2(cg->b, ft, fp, args, (unsigned)n, "");
  LLVMSetInstructionCallConv(call, NML_TAILCC);
  if (tail) LLVMSetTailCall(call, 1);
  return call;
}

static LLVMValueRef call_ml(Cg *cg, LLVMValueRef fn, LLVMValueRef *args, int n, bool tail) {
  LLVMValueRef call = LLVMBuildCall2(cg->b, LLVMGlobalGetValueType(fn), fn, args, (unsigned)n, "");
  LLVMSetInstructionCallConv(call, NML_TAILCC);
  if (tail) LLVMSetTailCall(call, 1);
  return call;
}

static void gen_apply(Cg *cg, int n, LLVMValueRef pap_table) {
  LLVMValueRef fn = apply_fn(cg, n);
  cg->fn = fn;
  LLVMPositionBuilderAtEnd(cg->b, LLVMAppendBasicBlockInContext(cg->ctx, fn, "entry"));
  LLVMValueRef f = LLVMGetParam(fn, 0);
  LLVMValueRef args[NML_MAX_ARITY + 1];
  for (int i = 0; i < n; i++) args[i] = LLVMGetParam(fn, (unsigned)i + 1);
  LLVMValueRef arity = load_field(cg, f, 1);
  LLVMValueRef code = load_field(cg, f, 0);
  LLVMBasicBlockRef partial = LLVMAppendBasicBlockInContext(cg->ctx, fn, "partial");
  LLVMValueRef sw = LLVMBuildSwitch(cg->b, arity, partial, (unsigned)n);

  /* Exact application. */
  LLVMBasicBlockRef exact = LLVMAppendBasicBlockInContext(cg->ctx, fn, "exact");
  LLVMAddCase(sw, c64(cg, 2 * n + 1), exact);
  LLVMPositionBuilderAtEnd(cg->b, exact);
  args[n] = f;
  LLVMBuildRet(cg->b, call_code(cg, code, args, n + 1, true));

  /* Over-application: call with the first k, apply the result to the rest. */
  for (int k = 1; k < n; k++) {
    LLVMBasicBlockRef bb = LLVMAppendBasicBlockInContext(cg->ctx, fn, "over");
    LLVMAddCase(sw, c64(cg, 2 * k + 1), bb);
    LLVMPositionBuilderAtEnd(cg->b, bb);
    LLVMValueRef first[NML_MAX_ARITY + 1];
    for (int i = 0; i < k; i++) first[i] = args[i];
    first[k] = f;
    LLVMValueRef r = call_code(cg, code, first, k + 1, false);
    LLVMValueRef rest[NML_MAX_ARITY + 1];
    rest[0] = r;
    for (int i = k; i < n; i++) rest[i - k + 1] = args[i];
    LLVMBuildRet(cg->b, call_ml(cg, apply_fn(cg, n - k), rest, n - k + 1, true));
  }

  /* Partial application: arity > n. */
  LLVMPositionBuilderAtEnd(cg->b, partial);
  LLVMValueRef blk = cg_alloc(cg, 3 + n, Closure_tag);
  LLVMValueRef remaining = LLVMBuildSub(cg->b, LLVMBuildAShr(cg->b, arity, c64(cg, 1), ""), c64(cg, n), "");
  LLVMTypeRef tt = LLVMArrayType(cg->i64, NML_MAX_ARITY);
  LLVMValueRef idx[2] = {c64(cg, 0), remaining};
  LLVMValueRef pap_code = LLVMBuildLoad2(cg->b, cg->i64, LLVMBuildGEP2(cg->b, tt, pap_table, idx, 2, ""), "");
  LLVMBuildStore(cg->b, pap_code, cg_field_ptr(cg, blk, 0));
  LLVMBuildStore(cg->b, LLVMBuildOr(cg->b, LLVMBuildShl(cg->b, remaining, c64(cg, 1), ""), c64(cg, 1), ""),
                 cg_field_ptr(cg, blk, 1));
  LLVMBuildStore(cg->b, f, cg_field_ptr(cg, blk, 2));
  for (int i = 0; i < n; i++) LLVMBuildStore(cg->b, args[i], cg_field_ptr(cg, blk, 3 + i));
  /* While something is traced, the tracer sees the partial application
   * (OCaml's trace prints it when it is made, not when it completes). */
  LLVMValueRef active = LLVMBuildLoad2(cg->b, cg->i64, cg_runtime_var(cg, CG_RT_nml_trace_active), "");
  LLVMBasicBlockRef traced = LLVMAppendBasicBlockInContext(cg->ctx, fn, "traced");
  LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(cg->ctx, fn, "built");
  LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntNE, active, c64(cg, 0), ""), traced, done);
  LLVMPositionBuilderAtEnd(cg->b, traced);
  LLVMValueRef targs[3] = {f, blk, c64(cg, n)};
  LLVMBuildRet(cg->b, cg_call_runtime(cg, CG_RT_nml_trace_partial, targs));
  LLVMPositionBuilderAtEnd(cg->b, done);
  LLVMBuildRet(cg->b, blk);
}

static void gen_pap(Cg *cg, int r) {
  LLVMValueRef fn = pap_fn(cg, r);
  cg->fn = fn;
  LLVMPositionBuilderAtEnd(cg->b, LLVMAppendBasicBlockInContext(cg->ctx, fn, "entry"));
  LLVMValueRef env = LLVMGetParam(fn, (unsigned)r);
  LLVMValueRef orig = load_field(cg, env, 2);
  LLVMValueRef hd = LLVMBuildLoad2(cg->b, cg->i64, cg_field_ptr(cg, env, -1), "");
  LLVMValueRef nheld = LLVMBuildSub(cg->b, LLVMBuildLShr(cg->b, hd, c64(cg, 10), ""), c64(cg, 3), "");
  LLVMBasicBlockRef bad = LLVMAppendBasicBlockInContext(cg->ctx, fn, "bad");
  LLVMValueRef sw = LLVMBuildSwitch(cg->b, nheld, bad, (unsigned)(NML_MAX_ARITY - r));
  for (int k = 1; k + r <= NML_MAX_ARITY; k++) {
    LLVMBasicBlockRef bb = LLVMAppendBasicBlockInContext(cg->ctx, fn, "held");
    LLVMAddCase(sw, c64(cg, k), bb);
    LLVMPositionBuilderAtEnd(cg->b, bb);
    LLVMValueRef args[NML_MAX_ARITY + 1];
    for (int i = 0; i < k; i++) args[i] = load_field(cg, env, 3 + i);
    for (int i = 0; i < r; i++) args[k + i] = LLVMGetParam(fn, (unsigned)i);
    args[k + r] = orig;
    LLVMBuildRet(cg->b, call_code(cg, load_field(cg, orig, 0), args, k + r + 1, true));
  }
  LLVMPositionBuilderAtEnd(cg->b, bad);
  LLVMBuildUnreachable(cg->b);
}

static void gen_callback(Cg *cg, int n) {
  char name[32];
  snprintf(name, sizeof name, "nml_callback%d", n);
  LLVMTypeRef params[NML_MAX_ARITY + 1];
  for (int i = 0; i <= n; i++) params[i] = cg->i64;
  LLVMValueRef fn = LLVMAddFunction(cg->mod, name, LLVMFunctionType(cg->i64, params, (unsigned)n + 1, 0));
  cg->fn = fn;
  LLVMPositionBuilderAtEnd(cg->b, LLVMAppendBasicBlockInContext(cg->ctx, fn, "entry"));
  LLVMValueRef args[NML_MAX_ARITY + 1];
  for (int i = 0; i <= n; i++) args[i] = LLVMGetParam(fn, (unsigned)i);
  LLVMBuildRet(cg->b, call_ml(cg, apply_fn(cg, n), args, n + 1, false));
}

/* The trace stubs. A traced function's patched entry jumps, or its
 * closure's code pointer leads, to nml_trace_stub<N> of its arity, entered
 * exactly as the function would be: it stores the arguments in a stack
 * array (where the collectors see them) and hands them with the closure
 * to the runtime's nml_trace_call, which forwards to the toplevel's
 * tracer. nml_trace_wrap is the code of the closures that trace a
 * function's functional result (the closure in its field 2). */
static void gen_trace_stub(Cg *cg, int n) {
  char name[32];
  snprintf(name, sizeof name, "nml_trace_stub%d", n);
  LLVMValueRef fn = ml_function(cg, name, n);
  cg->fn = fn;
  LLVMPositionBuilderAtEnd(cg->b, LLVMAppendBasicBlockInContext(cg->ctx, fn, "entry"));
  LLVMValueRef arr = LLVMBuildArrayAlloca(cg->b, cg->i64, c64(cg, n), "args");
  for (int i = 0; i < n; i++) {
    LLVMValueRef idx = c64(cg, i);
    LLVMBuildStore(cg->b, LLVMGetParam(fn, (unsigned)i), LLVMBuildGEP2(cg->b, cg->i64, arr, &idx, 1, ""));
  }
  LLVMValueRef args[3] = {LLVMGetParam(fn, (unsigned)n), LLVMBuildPtrToInt(cg->b, arr, cg->i64, ""),
                          c64(cg, n)};
  LLVMBuildRet(cg->b, cg_call_runtime(cg, CG_RT_nml_trace_call, args));
}

static void gen_trace_wrap(Cg *cg) {
  LLVMValueRef fn = ml_function(cg, "nml_trace_wrap", 1);
  cg->fn = fn;
  LLVMPositionBuilderAtEnd(cg->b, LLVMAppendBasicBlockInContext(cg->ctx, fn, "entry"));
  LLVMValueRef args[2] = {LLVMGetParam(fn, 1), LLVMGetParam(fn, 0)};
  LLVMBuildRet(cg->b, cg_call_runtime(cg, CG_RT_nml_trace_wrapped, args));
}

/* value nml_trace_invoke(code, clos, value *args, n): C code's call of ML
 * code of arity n at a given address, such as a traced function's body
 * past its patched entry, with the closure it was entered with (so that
 * its own recursive calls stay traced). */
static void gen_trace_invoke(Cg *cg) {
  LLVMTypeRef params[4] = {cg->i64, cg->i64, cg->i64, cg->i64};
  LLVMValueRef fn = LLVMAddFunction(cg->mod, "nml_trace_invoke", LLVMFunctionType(cg->i64, params, 4, 0));
  cg->fn = fn;
  LLVMPositionBuilderAtEnd(cg->b, LLVMAppendBasicBlockInContext(cg->ctx, fn, "entry"));
  LLVMValueRef code = LLVMGetParam(fn, 0), clos = LLVMGetParam(fn, 1);
  LLVMValueRef arr = LLVMBuildIntToPtr(cg->b, LLVMGetParam(fn, 2), cg->i64p, "");
  LLVMBasicBlockRef bad = LLVMAppendBasicBlockInContext(cg->ctx, fn, "bad");
  LLVMValueRef sw = LLVMBuildSwitch(cg->b, LLVMGetParam(fn, 3), bad, NML_MAX_ARITY);
  for (int n = 1; n <= NML_MAX_ARITY; n++) {
    LLVMBasicBlockRef bb = LLVMAppendBasicBlockInContext(cg->ctx, fn, "arity");
    LLVMAddCase(sw, c64(cg, n), bb);
    LLVMPositionBuilderAtEnd(cg->b, bb);
    LLVMValueRef args[NML_MAX_ARITY + 1];
    for (int i = 0; i < n; i++) {
      LLVMValueRef idx = c64(cg, i);
      args[i] = LLVMBuildLoad2(cg->b, cg->i64, LLVMBuildGEP2(cg->b, cg->i64, arr, &idx, 1, ""), "");
    }
    args[n] = clos;
    LLVMBuildRet(cg->b, call_code(cg, code, args, n + 1, false));
  }
  LLVMPositionBuilderAtEnd(cg->b, bad);
  LLVMBuildUnreachable(cg->b);
}

LLVMModuleRef cg_support_module(CgSession *s) {
  Cg cg;
  memset(&cg, 0, sizeof cg);
  cg.sess = s;
  cg.ctx = s->llctx;
  cg.mod = LLVMModuleCreateWithNameInContext("nml_support", s->llctx);
  LLVMSetTarget(cg.mod, s->triple);
  char *dl = LLVMCopyStringRepOfTargetData(s->layout);
  LLVMSetDataLayout(cg.mod, dl);
  LLVMDisposeMessage(dl);
  cg.b = LLVMCreateBuilderInContext(s->llctx);
  cg.i64 = LLVMInt64TypeInContext(s->llctx);
  cg.i32 = LLVMInt32TypeInContext(s->llctx);
  cg.i8 = LLVMInt8TypeInContext(s->llctx);
  cg.f64 = LLVMDoubleTypeInContext(s->llctx);
  cg.voidt = LLVMVoidTypeInContext(s->llctx);
  cg.i8p = LLVMPointerType(cg.i8, 0);
  cg.i64p = LLVMPointerType(cg.i64, 0);

  /* nml_pap_table[R] = code of nml_pap<R> (entry 0 unused). */
  LLVMValueRef entries[NML_MAX_ARITY];
  entries[0] = c64(&cg, 0);
  for (int r = 1; r < NML_MAX_ARITY; r++) entries[r] = LLVMConstPtrToInt(pap_fn(&cg, r), cg.i64);
  LLVMTypeRef tt = LLVMArrayType(cg.i64, NML_MAX_ARITY);
  LLVMValueRef table = LLVMAddGlobal(cg.mod, tt, "nml_pap_table");
  LLVMSetInitializer(table, LLVMConstArray(cg.i64, entries, NML_MAX_ARITY));
  LLVMSetGlobalConstant(table, 1);
  LLVMSetLinkage(table, LLVMInternalLinkage);

  for (int n = 1; n <= NML_MAX_ARITY; n++) gen_apply(&cg, n, table);
  for (int r = 1; r < NML_MAX_ARITY; r++) gen_pap(&cg, r);
  for (int n = 1; n <= NML_MAX_ARITY; n++) gen_callback(&cg, n);
  for (int n = 1; n <= NML_MAX_ARITY; n++) gen_trace_stub(&cg, n);
  gen_trace_wrap(&cg);
  gen_trace_invoke(&cg);
  LLVMDisposeBuilder(cg.b);
  return cg.mod;
}
