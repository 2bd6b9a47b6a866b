/* cg_llvm.c — LLVM code generation for the flat IR of one unit (after
 * closure.c): each lifted function becomes a tailcc function of its
 * parameters and its closure, the unit's entry a C-convention function
 * returning the list of bound values. Expressions in tail position end in
 * a guaranteed tail call or a return; see cg.h for the ABI. */
#include "cg.h"

#include <stdio.h>
#include <string.h>

#include "natml_runtime.h"

#define NML_TAILCC 18 /* llvm::CallingConv::Tail; not in LLVM 14's C enum */

static LLVMAttributeRef enum_attr(Cg *cg, const char *name) {
  unsigned kind = LLVMGetEnumAttributeKindForName(name, strlen(name));
  return LLVMCreateEnumAttribute(cg->ctx, kind, 0);
}

LLVMTypeRef cg_ml_fn_type(Cg *cg, int nargs) {
  LLVMTypeRef params[NML_MAX_ARITY + 1];
  NML_ASSERT(nargs <= NML_MAX_ARITY);
  for (int i = 0; i <= nargs; i++) params[i] = cg->i64;
  return LLVMFunctionType(cg->i64, params, (unsigned)nargs + 1, 0);
}

/* A C function taking and returning words. */
static LLVMValueRef c_fn(Cg *cg, const char *name, int nargs, bool noreturn) {
  LLVMValueRef f = LLVMGetNamedFunction(cg->mod, name);
  if (f) return f;
  LLVMTypeRef params[16];
  NML_ASSERT(nargs <= 16);
  for (int i = 0; i < nargs; i++) params[i] = cg->i64;
  LLVMTypeRef ret = noreturn ? cg->voidt : cg->i64;
  f = LLVMAddFunction(cg->mod, name, LLVMFunctionType(ret, params, (unsigned)nargs, 0));
  if (noreturn) LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex, enum_attr(cg, "noreturn"));
  return f;
}

/* abi.def's symbols as codegen sees them: name, arity and flags. */
static const struct {
  const char *name;
  int arity; /* -1: a variable */
  bool noreturn;
} runtime_syms[CG_RT_COUNT] = {
#define NML_ABI_FN(sym, ret, params, arity, flags) [CG_RT_##sym] = {#sym, arity, flags == NML_ABI_NORETURN},
#define NML_ABI_VAR(sym, type)                     [CG_RT_##sym] = {#sym, -1, false},
#include "abi.def"
};

LLVMValueRef cg_runtime_fn(Cg *cg, CgRuntimeSym sym) {
  NML_ASSERT(sym < CG_RT_COUNT && runtime_syms[sym].arity >= 0);
  return c_fn(cg, runtime_syms[sym].name, runtime_syms[sym].arity, runtime_syms[sym].noreturn);
}

LLVMValueRef cg_call_runtime(Cg *cg, CgRuntimeSym sym, LLVMValueRef *args) {
  LLVMValueRef f = cg_runtime_fn(cg, sym);
  return LLVMBuildCall2(cg->b, LLVMGlobalGetValueType(f), f, args, (unsigned)runtime_syms[sym].arity, "");
}

LLVMValueRef cg_call_c(Cg *cg, const char *name, LLVMValueRef *args, int n) {
  LLVMValueRef f = c_fn(cg, name, n, false);
  return LLVMBuildCall2(cg->b, LLVMGlobalGetValueType(f), f, args, (unsigned)n, "");
}

/* Calls a noreturn runtime function and ends the block. */
static void call_noreturn(Cg *cg, CgRuntimeSym sym, LLVMValueRef *args) {
  LLVMValueRef f = cg_runtime_fn(cg, sym);
  LLVMBuildCall2(cg->b, LLVMGlobalGetValueType(f), f, args, (unsigned)runtime_syms[sym].arity, "");
  LLVMBuildUnreachable(cg->b);
}

bool cg_terminated(Cg *cg) {
  LLVMBasicBlockRef bb = LLVMGetInsertBlock(cg->b);
  return LLVMGetBasicBlockTerminator(bb) != NULL;
}

LLVMValueRef cg_tagged_bool(Cg *cg, LLVMValueRef i1) {
  LLVMValueRef z = LLVMBuildZExt(cg->b, i1, cg->i64, "");
  return LLVMBuildOr(cg->b, LLVMBuildShl(cg->b, z, LLVMConstInt(cg->i64, 1, 0), ""),
                     LLVMConstInt(cg->i64, 1, 0), "");
}

LLVMValueRef cg_field_ptr(Cg *cg, LLVMValueRef block, int64_t i) {
  LLVMValueRef p = LLVMBuildIntToPtr(cg->b, block, cg->i64p, "");
  LLVMValueRef idx = LLVMConstInt(cg->i64, (unsigned long long)i, 1);
  return LLVMBuildGEP2(cg->b, cg->i64, p, &idx, 1, "");
}

LLVMValueRef cg_float_field_ptr(Cg *cg, LLVMValueRef block, int64_t i) {
  LLVMValueRef p = LLVMBuildIntToPtr(cg->b, block, LLVMPointerType(cg->f64, 0), "");
  LLVMValueRef idx = LLVMConstInt(cg->i64, (unsigned long long)i, 1);
  return LLVMBuildGEP2(cg->b, cg->f64, p, &idx, 1, "");
}

LLVMValueRef cg_load_field(Cg *cg, LLVMValueRef block, LLVMValueRef index) {
  LLVMValueRef p = LLVMBuildIntToPtr(cg->b, block, cg->i64p, "");
  return LLVMBuildLoad2(cg->b, cg->i64, LLVMBuildGEP2(cg->b, cg->i64, p, &index, 1, ""), "");
}

static LLVMValueRef extern_global(Cg *cg, const char *sym);
static LLVMValueRef runtime_global(Cg *cg, CgRuntimeSym sym);

/* Bump-allocates a block of wosize fields in the nursery inline, calling
 * nml_alloc_young (cold) when the chunk is full; see natml_runtime.h. The
 * fields are not initialised: every caller stores all of them before the
 * next allocation (a block caught half-made by a minor collection is
 * pinned, and its stale fields are recognised as such). */
static LLVMValueRef alloc_inline(Cg *cg, LLVMValueRef args[2], int wosize, header_t hd) {
  LLVMValueRef slow_fn = LLVMGetNamedFunction(cg->mod, runtime_syms[CG_RT_nml_alloc_young].name);
  if (!slow_fn) {
    slow_fn = cg_runtime_fn(cg, CG_RT_nml_alloc_young);
    LLVMAddAttributeAtIndex(slow_fn, LLVMAttributeFunctionIndex, enum_attr(cg, "cold"));
    LLVMAddAttributeAtIndex(slow_fn, LLVMAttributeFunctionIndex, enum_attr(cg, "noinline"));
  }
  LLVMValueRef ptr_g = runtime_global(cg, CG_RT_nml_young_ptr);
  LLVMValueRef ptr = LLVMBuildLoad2(cg->b, cg->i64, ptr_g, "yp");
  LLVMValueRef limit = LLVMBuildLoad2(cg->b, cg->i64, runtime_global(cg, CG_RT_nml_young_limit), "yl");
  LLVMValueRef np =
      LLVMBuildSub(cg->b, ptr, LLVMConstInt(cg->i64, (unsigned long long)(wosize + 1) * 8, 0), "");
  LLVMBasicBlockRef fast = LLVMAppendBasicBlockInContext(cg->ctx, cg->fn, "alloc");
  LLVMBasicBlockRef slow = LLVMAppendBasicBlockInContext(cg->ctx, cg->fn, "minor");
  LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(cg->ctx, cg->fn, "allocated");
  LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntULT, np, limit, ""), slow, fast);
  LLVMPositionBuilderAtEnd(cg->b, fast);
  LLVMBuildStore(cg->b, np, ptr_g);
  LLVMBuildStore(cg->b, LLVMConstInt(cg->i64, hd, 0), LLVMBuildIntToPtr(cg->b, np, cg->i64p, ""));
  LLVMValueRef vfast = LLVMBuildAdd(cg->b, np, LLVMConstInt(cg->i64, 8, 0), "");
  LLVMBuildBr(cg->b, done);
  LLVMPositionBuilderAtEnd(cg->b, slow);
  LLVMValueRef vslow = LLVMBuildCall2(cg->b, LLVMGlobalGetValueType(slow_fn), slow_fn, args, 2, "");
  LLVMBuildBr(cg->b, done);
  LLVMPositionBuilderAtEnd(cg->b, done);
  LLVMValueRef phi = LLVMBuildPhi(cg->b, cg->i64, "blk");
  LLVMValueRef vals[2] = {vfast, vslow};
  LLVMBasicBlockRef from[2] = {fast, slow};
  LLVMAddIncoming(phi, vals, from, 2);
  return phi;
}

/* A block whose fields the caller stores right away (before any other
 * allocation). Young blocks are bump-allocated inline in optimised code,
 * through nml_alloc_young at -O0 where code size and emission time matter
 * more; bigger ones come from nml_alloc (old, fields initialised). */
LLVMValueRef cg_alloc(Cg *cg, int wosize, int tag) {
  LLVMValueRef args[2] = {LLVMConstInt(cg->i64, (unsigned long long)wosize, 0),
                          LLVMConstInt(cg->i64, (unsigned long long)tag, 0)};
  bool young = wosize > 0 && wosize <= NML_MAX_YOUNG_WOSIZE;
  if (!young) return cg_call_runtime(cg, CG_RT_nml_alloc, args);
  if (cg->sess->opt_level > 0) return alloc_inline(cg, args, wosize, Make_header(wosize, tag));
  return cg_call_runtime(cg, CG_RT_nml_alloc_young, args);
}

/* The write barrier after storing v at address p (an i64 pointer) of a
 * block or slot that may be old: only pointers need recording. */
void cg_write_barrier(Cg *cg, LLVMValueRef p, LLVMValueRef v) {
  if (LLVMIsAConstantInt(v)) return;
  /* Declared by hand: its parameter is a pointer and it returns nothing. */
  const char *name = runtime_syms[CG_RT_nml_write_barrier].name;
  LLVMValueRef fn = LLVMGetNamedFunction(cg->mod, name);
  if (!fn) {
    LLVMTypeRef params[1] = {cg->i64p};
    fn = LLVMAddFunction(cg->mod, name, LLVMFunctionType(cg->voidt, params, 1, 0));
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, enum_attr(cg, "nounwind"));
  }
  LLVMBasicBlockRef rec = LLVMAppendBasicBlockInContext(cg->ctx, cg->fn, "barrier");
  LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(cg->ctx, cg->fn, "stored");
  LLVMValueRef is_ptr =
      LLVMBuildICmp(cg->b, LLVMIntEQ, LLVMBuildAnd(cg->b, v, LLVMConstInt(cg->i64, 1, 0), ""),
                    LLVMConstInt(cg->i64, 0, 0), "");
  LLVMBuildCondBr(cg->b, is_ptr, rec, done);
  LLVMPositionBuilderAtEnd(cg->b, rec);
  LLVMBuildCall2(cg->b, LLVMGlobalGetValueType(fn), fn, &p, 1, "");
  LLVMBuildBr(cg->b, done);
  LLVMPositionBuilderAtEnd(cg->b, done);
}

static LLVMValueRef box_now(Cg *cg, LLVMValueRef d) {
  LLVMValueRef blk = cg_alloc(cg, 1, Double_tag);
  LLVMValueRef p = LLVMBuildIntToPtr(cg->b, blk, LLVMPointerType(cg->f64, 0), "");
  LLVMBuildStore(cg->b, d, p);
  return blk;
}

/* Float unboxing. In optimised code a boxed float is first a call to
 * CG_BOX_FN, declared pure (readnone): cg_unbox_float of such a call is
 * its operand, so float arithmetic chains stay in registers; the
 * optimiser deletes boxes nobody uses, merges equal ones and hoists them
 * out of loops (boxes are immutable and their identity is unobservable,
 * as in OCaml). cg_lower_float_boxes then turns the calls that survive
 * into real allocations. Units that copy their constants (released after
 * their entry runs) box directly. */
#define CG_BOX_FN "nml_box_float_pure"

static LLVMValueRef box_fn(Cg *cg) {
  LLVMValueRef f = LLVMGetNamedFunction(cg->mod, CG_BOX_FN);
  if (f) return f;
  LLVMTypeRef p = cg->f64;
  f = LLVMAddFunction(cg->mod, CG_BOX_FN, LLVMFunctionType(cg->i64, &p, 1, 0));
  /* A declaration until cg_lower_float_boxes gives it a body (the
   * verifier rejects an internal declaration); internal from then on. */
  LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex, enum_attr(cg, "readnone"));
  LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex, enum_attr(cg, "nounwind"));
  LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex, enum_attr(cg, "willreturn"));
  LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex, enum_attr(cg, "noinline"));
  return f;
}

LLVMValueRef cg_box_float(Cg *cg, LLVMValueRef d) {
  if (cg->sess->opt_level == 0 || cg->copy_constants) return box_now(cg, d);
  LLVMValueRef f = box_fn(cg);
  return LLVMBuildCall2(cg->b, LLVMGlobalGetValueType(f), f, &d, 1, "");
}

/* Float literals are static blocks; remembered so that unboxing one
 * yields the constant. */
static LLVMValueRef known_float_const(Cg *cg, LLVMValueRef v) {
  for (int i = 0; i < cg->nfconsts; i++)
    if (cg->fconsts[i].boxed == v) return LLVMConstReal(cg->f64, cg->fconsts[i].d);
  return NULL;
}

LLVMValueRef cg_unbox_float(Cg *cg, LLVMValueRef v) {
  if (LLVMIsACallInst(v) && LLVMGetCalledValue(v) == LLVMGetNamedFunction(cg->mod, CG_BOX_FN))
    return LLVMGetOperand(v, 0);
  LLVMValueRef k = LLVMIsConstant(v) ? known_float_const(cg, v) : NULL;
  if (k) return k;
  LLVMValueRef p = LLVMBuildIntToPtr(cg->b, v, LLVMPointerType(cg->f64, 0), "");
  return LLVMBuildLoad2(cg->b, cg->f64, p, "");
}

/* Gives CG_BOX_FN its body, an inline allocation, and lets the
 * always-inline pass put it at every call left after optimisation.
 * Returns whether the module has such calls. */
bool cg_lower_float_boxes(CgSession *s, LLVMModuleRef m) {
  LLVMValueRef f = LLVMGetNamedFunction(m, CG_BOX_FN);
  if (!f) return false;
  if (!LLVMGetFirstUse(f)) {
    LLVMDeleteFunction(f);
    return false;
  }
  Cg cg;
  memset(&cg, 0, sizeof cg);
  cg.sess = s;
  cg.ctx = s->llctx;
  cg.mod = m;
  cg.b = LLVMCreateBuilderInContext(s->llctx);
  cg.i64 = LLVMInt64TypeInContext(s->llctx);
  cg.i32 = LLVMInt32TypeInContext(s->llctx);
  cg.f64 = LLVMDoubleTypeInContext(s->llctx);
  cg.voidt = LLVMVoidTypeInContext(s->llctx);
  cg.i64p = LLVMPointerType(cg.i64, 0);
  cg.fn = f;
  const char *drop[] = {"readnone", "willreturn", "noinline"};
  for (int i = 0; i < 3; i++)
    LLVMRemoveEnumAttributeAtIndex(f, LLVMAttributeFunctionIndex,
                                   LLVMGetEnumAttributeKindForName(drop[i], strlen(drop[i])));
  LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex, enum_attr(&cg, "alwaysinline"));
  LLVMPositionBuilderAtEnd(cg.b, LLVMAppendBasicBlockInContext(cg.ctx, f, "entry"));
  LLVMBuildRet(cg.b, box_now(&cg, LLVMGetParam(f, 0)));
  LLVMDisposeBuilder(cg.b);
  LLVMSetLinkage(f, LLVMInternalLinkage);
  return true;
}

/* The address of an external word-sized global (a value slot or a runtime
 * variable), declared on first use. */
static LLVMValueRef extern_global(Cg *cg, const char *sym) {
  LLVMValueRef g = LLVMGetNamedGlobal(cg->mod, sym);
  if (!g) g = LLVMAddGlobal(cg->mod, cg->i64, sym);
  return g;
}

static LLVMValueRef runtime_global(Cg *cg, CgRuntimeSym sym) {
  NML_ASSERT(sym < CG_RT_COUNT && runtime_syms[sym].arity < 0);
  return extern_global(cg, runtime_syms[sym].name);
}

LLVMValueRef cg_runtime_var(Cg *cg, CgRuntimeSym sym) { return runtime_global(cg, sym); }

LLVMValueRef cg_global_value(Cg *cg, const char *sym) {
  return LLVMBuildLoad2(cg->b, cg->i64, extern_global(cg, sym), "");
}

/* A static block in read-only data: a header word then `bytes`; returns
 * the value (address of field 0) as a constant expression. */
static LLVMValueRef static_block(Cg *cg, header_t hd, const void *bytes, size_t nbytes) {
  size_t nwords = nbytes / 8;
  LLVMValueRef words[nwords + 1];
  words[0] = LLVMConstInt(cg->i64, hd, 0);
  for (size_t i = 0; i < nwords; i++) {
    uint64_t w;
    memcpy(&w, (const char *)bytes + i * 8, 8);
    words[i + 1] = LLVMConstInt(cg->i64, w, 0);
  }
  LLVMTypeRef at = LLVMArrayType(cg->i64, (unsigned)nwords + 1);
  char name[32];
  snprintf(name, sizeof name, "nml_const_%d", cg->nstrings++);
  LLVMValueRef g = LLVMAddGlobal(cg->mod, at, name);
  LLVMSetInitializer(g, LLVMConstArray(cg->i64, words, (unsigned)nwords + 1));
  LLVMSetGlobalConstant(g, 1);
  LLVMSetLinkage(g, LLVMPrivateLinkage);
  LLVMSetAlignment(g, 8);
  LLVMValueRef idx[2] = {LLVMConstInt(cg->i32, 0, 0), LLVMConstInt(cg->i32, 1, 0)};
  LLVMValueRef field0 = LLVMConstInBoundsGEP2(at, g, idx, 2);
  return LLVMConstPtrToInt(field0, cg->i64);
}

static LLVMValueRef static_string(Cg *cg, const char *s, int len) {
  size_t wosize = ((size_t)len + 8) / 8;
  size_t nbytes = wosize * 8;
  unsigned char buf[nbytes];
  memset(buf, 0, nbytes);
  memcpy(buf, s, (size_t)len);
  buf[nbytes - 1] = (unsigned char)(nbytes - 1 - (size_t)len);
  return static_block(cg, Make_header(wosize, String_tag), buf, nbytes);
}

static LLVMValueRef static_float(Cg *cg, double d) {
  LLVMValueRef v = static_block(cg, Make_header(1, Double_tag), &d, 8);
  if (cg->nfconsts == cg->capfconsts) {
    int cap = cg->capfconsts ? cg->capfconsts * 2 : 64;
    CgFloatConst *nf = ARENA_ARRAY(cg->arena, CgFloatConst, cap);
    if (cg->nfconsts) memcpy(nf, cg->fconsts, sizeof(CgFloatConst) * (size_t)cg->nfconsts);
    cg->fconsts = nf;
    cg->capfconsts = cap;
  }
  cg->fconsts[cg->nfconsts++] = (CgFloatConst){v, d};
  return v;
}

/* Returns from the current function with v (tail position). */
static LLVMValueRef ret(Cg *cg, LLVMValueRef v) {
  if (v && !cg_terminated(cg)) LLVMBuildRet(cg->b, v);
  return NULL;
}

static LLVMBasicBlockRef new_block(Cg *cg, const char *name) {
  return LLVMAppendBasicBlockInContext(cg->ctx, cg->fn, name);
}

/* Evaluates args right to left, as OCaml does. Returns false when one of
 * them does not return (raise). */
static bool eval_args(Cg *cg, Ir **args, int n, LLVMValueRef *out) {
  for (int i = n - 1; i >= 0; i--) {
    out[i] = cg_expr(cg, args[i], false);
    if (!out[i]) return false;
  }
  return true;
}

static LLVMValueRef finish_call(Cg *cg, LLVMValueRef call, bool tail) {
  LLVMSetInstructionCallConv(call, NML_TAILCC);
  if (tail && !cg->in_entry) {
    LLVMSetTailCall(call, 1);
    return ret(cg, call);
  }
  return call;
}

static LLVMValueRef apply_helper(Cg *cg, int n) {
  char name[32];
  snprintf(name, sizeof name, "nml_apply%d", n);
  LLVMValueRef f = LLVMGetNamedFunction(cg->mod, name);
  if (!f) {
    LLVMTypeRef params[NML_MAX_ARITY + 1];
    for (int i = 0; i <= n; i++) params[i] = cg->i64;
    f = LLVMAddFunction(cg->mod, name, LLVMFunctionType(cg->i64, params, (unsigned)n + 1, 0));
    LLVMSetFunctionCallConv(f, NML_TAILCC);
  }
  return f;
}

/* The C-convention twin of nml_apply<n> (cg_support.c). The entry, which
 * cannot tail-call, uses it: LLVM's fast instruction selector handles C
 * calls but not tailcc ones, and the entry is the bulk of most phrases. */
static LLVMValueRef callback_helper(Cg *cg, int n) {
  char name[32];
  snprintf(name, sizeof name, "nml_callback%d", n);
  return c_fn(cg, name, n + 1, false);
}

/* f a1 .. an when f's arity is not known: the common case, a closure of
 * arity n, calls its code directly; any other goes to nml_apply<n>. In
 * tail position both calls are tail calls. */
static LLVMValueRef apply_checked(Cg *cg, LLVMValueRef fv, LLVMValueRef *args, int n, bool tail) {
  LLVMValueRef helper = apply_helper(cg, n);
  LLVMValueRef cargs[NML_MAX_ARITY + 1];
  LLVMValueRef arity = LLVMBuildLoad2(cg->b, cg->i64, cg_field_ptr(cg, fv, 1), "arity");
  LLVMBasicBlockRef bexact = new_block(cg, "exact"), bgen = new_block(cg, "apply");
  LLVMBuildCondBr(cg->b,
                  LLVMBuildICmp(cg->b, LLVMIntEQ, arity, LLVMConstInt(cg->i64, (uint64_t)n * 2 + 1, 0), ""),
                  bexact, bgen);
  LLVMPositionBuilderAtEnd(cg->b, bexact);
  for (int i = 0; i < n; i++) cargs[i] = args[i];
  cargs[n] = fv;
  LLVMTypeRef ft = cg_ml_fn_type(cg, n);
  LLVMValueRef code = LLVMBuildLoad2(cg->b, cg->i64, cg_field_ptr(cg, fv, 0), "code");
  LLVMValueRef cp = LLVMBuildIntToPtr(cg->b, code, LLVMPointerType(ft, 0), "");
  LLVMValueRef v1 = finish_call(cg, LLVMBuildCall2(cg->b, ft, cp, cargs, (unsigned)n + 1, ""), tail);
  LLVMBasicBlockRef e1 = LLVMGetInsertBlock(cg->b);
  LLVMPositionBuilderAtEnd(cg->b, bgen);
  cargs[0] = fv;
  for (int i = 0; i < n; i++) cargs[i + 1] = args[i];
  LLVMValueRef v2 = finish_call(
      cg, LLVMBuildCall2(cg->b, LLVMGlobalGetValueType(helper), helper, cargs, (unsigned)n + 1, ""), tail);
  if (tail) return NULL;
  LLVMBasicBlockRef e2 = LLVMGetInsertBlock(cg->b);
  LLVMBasicBlockRef join = new_block(cg, "applied");
  LLVMBuildBr(cg->b, join);
  LLVMPositionBuilderAtEnd(cg->b, e1);
  LLVMBuildBr(cg->b, join);
  LLVMPositionBuilderAtEnd(cg->b, join);
  LLVMValueRef phi = LLVMBuildPhi(cg->b, cg->i64, "");
  LLVMValueRef vals[2] = {v1, v2};
  LLVMBasicBlockRef from[2] = {e1, e2};
  LLVMAddIncoming(phi, vals, from, 2);
  return phi;
}

/* f a1 .. an through the apply helpers; more than NML_MAX_ARITY arguments
 * are applied in chunks. */
static LLVMValueRef gen_apply(Cg *cg, LLVMValueRef fv, LLVMValueRef *args, int n, bool tail) {
  /* Optimised code checks the arity inline, in the entry too (a tailcc
   * call from it is fine for the SelectionDAG selector; only FastISel at
   * -O0 needs the C-convention callbacks). */
  if (n <= NML_MAX_ARITY && cg->sess->opt_level > 0) return apply_checked(cg, fv, args, n, tail);
  while (n > 0) {
    int k = n > NML_MAX_ARITY ? NML_MAX_ARITY : n;
    if (cg->in_entry) {
      LLVMValueRef f = callback_helper(cg, k);
      LLVMValueRef cargs[NML_MAX_ARITY + 1];
      cargs[0] = fv;
      for (int i = 0; i < k; i++) cargs[i + 1] = args[i];
      fv = LLVMBuildCall2(cg->b, LLVMGlobalGetValueType(f), f, cargs, (unsigned)k + 1, "");
      args += k;
      n -= k;
      continue;
    }
    LLVMValueRef f = apply_helper(cg, k);
    LLVMValueRef cargs[NML_MAX_ARITY + 1];
    cargs[0] = fv;
    for (int i = 0; i < k; i++) cargs[i + 1] = args[i];
    LLVMValueRef call = LLVMBuildCall2(cg->b, LLVMGlobalGetValueType(f), f, cargs, (unsigned)k + 1, "");
    args += k;
    n -= k;
    if (n == 0) return finish_call(cg, call, tail);
    LLVMSetInstructionCallConv(call, NML_TAILCC);
    fv = call;
  }
  return fv;
}

static LLVMValueRef gen_closure_block(Cg *cg, IrFunc *f) {
  LLVMValueRef blk = cg_alloc(cg, Closure_env_start + f->nfree, Closure_tag);
  LLVMValueRef code = LLVMBuildPtrToInt(cg->b, (LLVMValueRef)f->cg, cg->i64, "");
  LLVMBuildStore(cg->b, code, cg_field_ptr(cg, blk, 0));
  LLVMBuildStore(cg->b, LLVMConstInt(cg->i64, (uint64_t)f->nparams * 2 + 1, 0), cg_field_ptr(cg, blk, 1));
  return blk;
}

static bool fill_closure(Cg *cg, LLVMValueRef blk, Ir *c) {
  for (int i = 0; i < c->nargs; i++) {
    LLVMValueRef v = cg_expr(cg, c->args[i], false);
    if (!v) return false;
    LLVMBuildStore(cg->b, v, cg_field_ptr(cg, blk, Closure_env_start + i));
  }
  return true;
}

static LLVMValueRef gen_if(Cg *cg, Ir *e, bool tail) {
  LLVMValueRef c = cg_expr(cg, e->a, false);
  if (!c) return NULL;
  LLVMValueRef cond = LLVMBuildICmp(cg->b, LLVMIntNE, c, LLVMConstInt(cg->i64, 1, 0), "");
  LLVMBasicBlockRef bt = new_block(cg, "then"), bf = new_block(cg, "else");
  LLVMBuildCondBr(cg->b, cond, bt, bf);
  LLVMPositionBuilderAtEnd(cg->b, bt);
  LLVMValueRef vt = cg_expr(cg, e->b, tail);
  LLVMBasicBlockRef et = LLVMGetInsertBlock(cg->b);
  LLVMPositionBuilderAtEnd(cg->b, bf);
  LLVMValueRef vf = e->c ? cg_expr(cg, e->c, tail) : LLVMConstInt(cg->i64, 1, 0);
  if (tail && !cg->in_entry) {
    ret(cg, vf);
    return NULL;
  }
  LLVMBasicBlockRef ef = LLVMGetInsertBlock(cg->b);
  if (!vt && !vf) return NULL;
  LLVMBasicBlockRef join = new_block(cg, "endif");
  if (vt) {
    LLVMPositionBuilderAtEnd(cg->b, et);
    LLVMBuildBr(cg->b, join);
  }
  if (vf) {
    LLVMPositionBuilderAtEnd(cg->b, ef);
    LLVMBuildBr(cg->b, join);
  }
  LLVMPositionBuilderAtEnd(cg->b, join);
  if (!vt) return vf;
  if (!vf) return vt;
  LLVMValueRef phi = LLVMBuildPhi(cg->b, cg->i64, "");
  LLVMValueRef vals[2] = {vt, vf};
  LLVMBasicBlockRef blocks[2] = {et, ef};
  LLVMAddIncoming(phi, vals, blocks, 2);
  return phi;
}

static LLVMValueRef gen_while(Cg *cg, Ir *e) {
  LLVMBasicBlockRef head = new_block(cg, "while"), body = new_block(cg, "do"), done = new_block(cg, "done");
  LLVMBuildBr(cg->b, head);
  LLVMPositionBuilderAtEnd(cg->b, head);
  LLVMValueRef c = cg_expr(cg, e->a, false);
  if (c) {
    LLVMValueRef cond = LLVMBuildICmp(cg->b, LLVMIntNE, c, LLVMConstInt(cg->i64, 1, 0), "");
    LLVMBuildCondBr(cg->b, cond, body, done);
  }
  LLVMPositionBuilderAtEnd(cg->b, body);
  if (cg_expr(cg, e->b, false)) {
    cg_stack_check(cg); /* a poll point on the back edge, for Ctrl-C */
    LLVMBuildBr(cg->b, head);
  }
  LLVMPositionBuilderAtEnd(cg->b, done);
  return LLVMConstInt(cg->i64, 1, 0);
}

static LLVMValueRef gen_for(Cg *cg, Ir *e) {
  LLVMValueRef lo = cg_expr(cg, e->a, false);
  if (!lo) return NULL;
  LLVMValueRef hi = cg_expr(cg, e->b, false);
  if (!hi) return NULL;
  LLVMBasicBlockRef pre = LLVMGetInsertBlock(cg->b);
  LLVMBasicBlockRef head = new_block(cg, "for"), body = new_block(cg, "body"), done = new_block(cg, "endfor");
  LLVMBuildBr(cg->b, head);
  LLVMPositionBuilderAtEnd(cg->b, head);
  LLVMValueRef i = LLVMBuildPhi(cg->b, cg->i64, "i");
  LLVMAddIncoming(i, &lo, &pre, 1);
  LLVMValueRef cond = LLVMBuildICmp(cg->b, e->downto ? LLVMIntSGE : LLVMIntSLE, i, hi, "");
  LLVMBuildCondBr(cg->b, cond, body, done);
  LLVMPositionBuilderAtEnd(cg->b, body);
  cg->vars[e->var] = i;
  if (cg_expr(cg, e->c, false)) {
    cg_stack_check(cg);
    /* Stop before stepping past hi so that max_int bounds terminate. */
    LLVMBasicBlockRef step = new_block(cg, "step");
    LLVMValueRef last = LLVMBuildICmp(cg->b, LLVMIntEQ, i, hi, "");
    LLVMBuildCondBr(cg->b, last, done, step);
    LLVMPositionBuilderAtEnd(cg->b, step);
    LLVMValueRef next = e->downto ? LLVMBuildSub(cg->b, i, LLVMConstInt(cg->i64, 2, 0), "")
                                  : LLVMBuildAdd(cg->b, i, LLVMConstInt(cg->i64, 2, 0), "");
    LLVMBuildBr(cg->b, head);
    LLVMAddIncoming(i, &next, &step, 1);
  }
  LLVMPositionBuilderAtEnd(cg->b, done);
  return LLVMConstInt(cg->i64, 1, 0);
}

/* An LLVM intrinsic's declaration, overloaded on types. */
static LLVMValueRef intrinsic(Cg *cg, const char *name, LLVMTypeRef *types, int ntypes) {
  unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
  NML_ASSERT(id != 0);
  return LLVMGetIntrinsicDeclaration(cg->mod, id, types, (size_t)ntypes);
}

/* try body with var -> handler: a trap frame on the stack, linked into
 * nml_trap_top, and a context saved with llvm.eh.sjlj.setjmp; see
 * natml_runtime.h. */
static LLVMValueRef gen_try(Cg *cg, Ir *e, bool tail) {
  LLVMTypeRef trap_t = LLVMArrayType(cg->i64, (unsigned)NML_TRAP_WORDS);
  LLVMBasicBlockRef cur = LLVMGetInsertBlock(cg->b);
  /* The alloca goes in the entry block so the frame size is fixed. */
  LLVMBasicBlockRef entry = LLVMGetEntryBasicBlock(cg->fn);
  LLVMValueRef first = LLVMGetFirstInstruction(entry);
  if (first) LLVMPositionBuilderBefore(cg->b, first);
  else LLVMPositionBuilderAtEnd(cg->b, entry);
  LLVMValueRef trap = LLVMBuildAlloca(cg->b, trap_t, "trap");
  LLVMSetAlignment(trap, 16);
  LLVMPositionBuilderAtEnd(cg->b, cur);

  LLVMValueRef top = runtime_global(cg, CG_RT_nml_trap_top);
  LLVMValueRef trap_word = LLVMBuildPtrToInt(cg->b, trap, cg->i64, "");
  LLVMValueRef prev = LLVMBuildLoad2(cg->b, cg->i64, top, "");
  LLVMValueRef trap_p = LLVMBuildIntToPtr(cg->b, trap_word, cg->i64p, "");
  LLVMBuildStore(cg->b, prev, trap_p);
  LLVMBuildStore(cg->b, trap_word, top);
  /* The context (natml_runtime.h): frame and stack pointers, the magic
   * word, then llvm.eh.sjlj.setjmp stores the resume address. */
  LLVMValueRef jbw = LLVMBuildAdd(cg->b, trap_word, LLVMConstInt(cg->i64, NML_TRAP_JB_OFFSET, 0), "");
  LLVMValueRef jb = LLVMBuildIntToPtr(cg->b, jbw, cg->i8p, "");
  LLVMTypeRef i8pt[1] = {cg->i8p};
  LLVMValueRef fa = intrinsic(cg, "llvm.frameaddress", i8pt, 1);
  LLVMValueRef zero = LLVMConstInt(cg->i32, 0, 0);
  LLVMValueRef fp = LLVMBuildCall2(cg->b, LLVMGlobalGetValueType(fa), fa, &zero, 1, "");
  LLVMBuildStore(cg->b, LLVMBuildPtrToInt(cg->b, fp, cg->i64, ""), cg_field_ptr(cg, jbw, 0));
  LLVMValueRef ss = intrinsic(cg, "llvm.stacksave", NULL, 0);
  LLVMValueRef sp = LLVMBuildCall2(cg->b, LLVMGlobalGetValueType(ss), ss, NULL, 0, "");
  LLVMBuildStore(cg->b, LLVMBuildPtrToInt(cg->b, sp, cg->i64, ""), cg_field_ptr(cg, jbw, 2));
  LLVMBuildStore(cg->b, LLVMConstInt(cg->i64, NML_TRAP_MAGIC, 0), cg_field_ptr(cg, jbw, NML_TRAP_MAGIC_WORD));
  LLVMValueRef sj = intrinsic(cg, "llvm.eh.sjlj.setjmp", NULL, 0);
  LLVMValueRef r = LLVMBuildCall2(cg->b, LLVMGlobalGetValueType(sj), sj, &jb, 1, "");
  LLVMBasicBlockRef bbody = new_block(cg, "try"), bhandler = new_block(cg, "with");
  LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, r, LLVMConstInt(cg->i32, 0, 0), ""), bbody,
                  bhandler);

  LLVMPositionBuilderAtEnd(cg->b, bbody);
  LLVMValueRef vb = cg_expr(cg, e->a, false);
  LLVMBasicBlockRef eb = NULL;
  if (vb) {
    LLVMValueRef saved = LLVMBuildLoad2(cg->b, cg->i64, trap_p, "");
    LLVMBuildStore(cg->b, saved, top);
    if (tail && !cg->in_entry) ret(cg, vb);
    eb = LLVMGetInsertBlock(cg->b);
  }
  LLVMPositionBuilderAtEnd(cg->b, bhandler);
  cg->vars[e->var] = LLVMBuildLoad2(cg->b, cg->i64, runtime_global(cg, CG_RT_nml_exn_bucket), "exn");
  /* Calls in the handler are not made tail calls: the frame holds the
   * setjmp buffer, which LLVM keeps conservative about. */
  LLVMValueRef vh = cg_expr(cg, e->b, false);
  if (tail && !cg->in_entry) return ret(cg, vh);
  LLVMBasicBlockRef eh = vh ? LLVMGetInsertBlock(cg->b) : NULL;
  if (!vb && !vh) return NULL;
  LLVMBasicBlockRef join = new_block(cg, "endtry");
  if (vb) {
    LLVMPositionBuilderAtEnd(cg->b, eb);
    LLVMBuildBr(cg->b, join);
  }
  if (vh) {
    LLVMPositionBuilderAtEnd(cg->b, eh);
    LLVMBuildBr(cg->b, join);
  }
  LLVMPositionBuilderAtEnd(cg->b, join);
  if (!vb) return vh;
  if (!vh) return vb;
  LLVMValueRef phi = LLVMBuildPhi(cg->b, cg->i64, "");
  LLVMValueRef vals[2] = {vb, vh};
  LLVMBasicBlockRef blocks[2] = {eb, eh};
  LLVMAddIncoming(phi, vals, blocks, 2);
  return phi;
}

/* Joins the values of several branches: a phi in a fresh block. */
typedef struct Join {
  LLVMValueRef vals[64];
  LLVMBasicBlockRef blocks[64];
  int n;
  LLVMValueRef *xvals;
  LLVMBasicBlockRef *xblocks;
  int cap;
} Join;

static void join_add(Cg *cg, Join *j, LLVMValueRef v) {
  if (!v || cg_terminated(cg)) return;
  if (j->n == j->cap) {
    int cap = j->cap ? j->cap * 2 : 128;
    LLVMValueRef *nv = ARENA_ARRAY(cg->arena, LLVMValueRef, cap);
    LLVMBasicBlockRef *nb = ARENA_ARRAY(cg->arena, LLVMBasicBlockRef, cap);
    for (int i = 0; i < j->n; i++) {
      nv[i] = j->xvals ? j->xvals[i] : j->vals[i];
      nb[i] = j->xblocks ? j->xblocks[i] : j->blocks[i];
    }
    j->xvals = nv;
    j->xblocks = nb;
    j->cap = cap;
  }
  LLVMValueRef *vs = j->xvals ? j->xvals : j->vals;
  LLVMBasicBlockRef *bs = j->xblocks ? j->xblocks : j->blocks;
  vs[j->n] = v;
  bs[j->n] = LLVMGetInsertBlock(cg->b);
  j->n++;
}

static LLVMValueRef join_finish(Cg *cg, Join *j) {
  if (j->n == 0) return NULL;
  LLVMValueRef *vs = j->xvals ? j->xvals : j->vals;
  LLVMBasicBlockRef *bs = j->xblocks ? j->xblocks : j->blocks;
  LLVMBasicBlockRef join = new_block(cg, "join");
  for (int i = 0; i < j->n; i++) {
    LLVMPositionBuilderAtEnd(cg->b, bs[i]);
    LLVMBuildBr(cg->b, join);
  }
  LLVMPositionBuilderAtEnd(cg->b, join);
  LLVMValueRef phi = LLVMBuildPhi(cg->b, cg->i64, "");
  LLVMAddIncoming(phi, vs, bs, (unsigned)j->n);
  return phi;
}

static void join_init(Join *j) {
  j->n = 0;
  j->cap = 64;
  j->xvals = NULL;
  j->xblocks = NULL;
}

static LLVMValueRef gen_switch(Cg *cg, Ir *e, bool tail) {
  LLVMValueRef v = cg_expr(cg, e->a, false);
  if (!v) return NULL;
  LLVMValueRef key = v;
  if (e->switch_tag) {
    LLVMValueRef hd = cg_load_field(cg, v, LLVMConstInt(cg->i64, (unsigned long long)-1, 1));
    key = LLVMBuildAnd(cg->b, hd, LLVMConstInt(cg->i64, 0xFF, 0), "tag");
  }
  LLVMBasicBlockRef def = new_block(cg, "default");
  LLVMValueRef sw = LLVMBuildSwitch(cg->b, key, def, (unsigned)e->nargs);
  Join j;
  join_init(&j);
  for (int i = 0; i < e->nargs; i++) {
    LLVMBasicBlockRef bb = new_block(cg, "case");
    LLVMAddCase(sw, LLVMConstInt(cg->i64, (unsigned long long)e->ints[i], 1), bb);
    LLVMPositionBuilderAtEnd(cg->b, bb);
    join_add(cg, &j, cg_expr(cg, e->args[i], tail));
  }
  LLVMPositionBuilderAtEnd(cg->b, def);
  if (e->b) join_add(cg, &j, cg_expr(cg, e->b, tail));
  else LLVMBuildUnreachable(cg->b);
  return join_finish(cg, &j);
}

static LLVMValueRef alloca_in_entry(Cg *cg, const char *name) {
  LLVMBasicBlockRef cur = LLVMGetInsertBlock(cg->b);
  LLVMBasicBlockRef entry = LLVMGetEntryBasicBlock(cg->fn);
  LLVMValueRef first = LLVMGetFirstInstruction(entry);
  if (first) LLVMPositionBuilderBefore(cg->b, first);
  else LLVMPositionBuilderAtEnd(cg->b, entry);
  LLVMValueRef a = LLVMBuildAlloca(cg->b, cg->i64, name);
  LLVMPositionBuilderAtEnd(cg->b, cur);
  return a;
}

static LLVMValueRef gen_catch(Cg *cg, Ir *e, bool tail) {
  CgLabel lab = {0};
  lab.id = e->imm;
  lab.block = new_block(cg, "handler");
  lab.nslots = e->nvars;
  lab.slots = ARENA_ARRAY(cg->arena, LLVMValueRef, e->nvars ? e->nvars : 1);
  for (int i = 0; i < e->nvars; i++) lab.slots[i] = alloca_in_entry(cg, "exitarg");
  lab.next = cg->labels;
  cg->labels = &lab;
  Join j;
  join_init(&j);
  join_add(cg, &j, cg_expr(cg, e->a, tail));
  cg->labels = lab.next;
  LLVMPositionBuilderAtEnd(cg->b, lab.block);
  for (int i = 0; i < e->nvars; i++) cg->vars[e->vars[i]] = LLVMBuildLoad2(cg->b, cg->i64, lab.slots[i], "");
  join_add(cg, &j, cg_expr(cg, e->b, tail));
  return join_finish(cg, &j);
}

static LLVMValueRef gen_exit(Cg *cg, Ir *e) {
  CgLabel *l = cg->labels;
  while (l && l->id != e->imm) l = l->next;
  NML_ASSERT(l != NULL);
  LLVMValueRef vals[e->nargs > 0 ? e->nargs : 1];
  if (!eval_args(cg, e->args, e->nargs, vals)) return NULL;
  for (int i = 0; i < e->nargs; i++) LLVMBuildStore(cg->b, vals[i], l->slots[i]);
  LLVMBuildBr(cg->b, l->block);
  return NULL;
}

/* A self tail call: a jump back to the body's head (gen_function). The
 * patchable functions of unoptimised units (the toplevel's default) make
 * it a real tail call through their entry instead, so that #trace sees
 * each call of a tail-recursive function as OCaml's closures show it:
 * at -O0, where every value goes through the stack anyway, that costs
 * nothing measurable (closures.ml, nqueens.ml of tests/bench within
 * noise), where testing a "something is traced" flag before the jump
 * back cost closures.ml 12 % (7-10 % on tak and nqueens at -O2). In
 * optimised units the loop stays, and #trace does not see self tail
 * calls, as it does not see calls the optimiser inlined. */
static LLVMValueRef self_tail_call(Cg *cg, LLVMValueRef fn, LLVMValueRef *args, int nargs) {
  if (cg->sess->patchable && cg->sess->opt_level == 0)
    return finish_call(
        cg, LLVMBuildCall2(cg->b, LLVMGlobalGetValueType(fn), fn, args, (unsigned)nargs + 1, ""), true);
  LLVMBasicBlockRef here = LLVMGetInsertBlock(cg->b);
  for (int i = 0; i <= nargs; i++) LLVMAddIncoming(cg->loop_phis[i], &args[i], &here, 1);
  LLVMBuildBr(cg->b, cg->loop);
  return NULL;
}

/* Generates e; in tail position it returns from the function itself and
 * yields NULL. NULL also means that control does not continue (raise). */
LLVMValueRef cg_expr(Cg *cg, Ir *e, bool tail) {
  LLVMValueRef v = NULL;
  switch (e->kind) {
  case IR_CONST: v = LLVMConstInt(cg->i64, (unsigned long long)e->imm, 1); break;
  case IR_FLOAT:
    v = cg->copy_constants ? cg_box_float(cg, LLVMConstReal(cg->f64, e->f)) : static_float(cg, e->f);
    break;
  case IR_STRING:
    v = static_string(cg, e->str, e->slen);
    if (cg->copy_constants) {
      LLVMValueRef args[2] = {v, LLVMConstInt(cg->i64, (unsigned long long)e->slen, 0)};
      v = cg_call_runtime(cg, CG_RT_nml_copy_string_len, args);
    }
    break;
  case IR_VAR:
    NML_ASSERT(e->var >= 0 && e->var < cg->nvars && cg->vars[e->var]);
    v = cg->vars[e->var];
    break;
  case IR_GLOBAL: v = cg_global_value(cg, e->str); break;
  case IR_SETGLOBAL: {
    LLVMValueRef x = cg_expr(cg, e->a, false);
    if (!x) return NULL;
    LLVMValueRef slot = extern_global(cg, e->str);
    LLVMBuildStore(cg->b, x, slot);
    cg_write_barrier(cg, slot, x);
    v = LLVMConstInt(cg->i64, 1, 0);
    break;
  }
  case IR_LET: {
    LLVMValueRef x = cg_expr(cg, e->a, false);
    if (!x) return NULL;
    cg->vars[e->var] = x;
    return cg_expr(cg, e->b, tail);
  }
  case IR_LETREC: {
    LLVMValueRef blocks[e->nvars];
    for (int i = 0; i < e->nvars; i++) {
      NML_ASSERT(e->args[i]->kind == IR_CLOSURE);
      blocks[i] = gen_closure_block(cg, e->args[i]->func);
      cg->vars[e->vars[i]] = blocks[i];
    }
    for (int i = 0; i < e->nvars; i++)
      if (!fill_closure(cg, blocks[i], e->args[i])) return NULL;
    return cg_expr(cg, e->a, tail);
  }
  case IR_CLOSURE: {
    LLVMValueRef blk = gen_closure_block(cg, e->func);
    if (!fill_closure(cg, blk, e)) return NULL;
    v = blk;
    break;
  }
  case IR_ENVFIELD: {
    NML_ASSERT(cg->self);
    v = LLVMBuildLoad2(cg->b, cg->i64, cg_field_ptr(cg, cg->self, Closure_env_start + e->imm), "");
    break;
  }
  case IR_SELF:
    NML_ASSERT(cg->self);
    v = cg->self;
    break;
  case IR_APPLY: {
    LLVMValueRef args[e->nargs];
    if (!eval_args(cg, e->args, e->nargs, args)) return NULL;
    LLVMValueRef f = cg_expr(cg, e->a, false);
    if (!f) return NULL;
    return gen_apply(cg, f, args, e->nargs, tail);
  }
  case IR_CALL: {
    LLVMValueRef args[e->nargs + 1];
    if (!eval_args(cg, e->args, e->nargs, args)) return NULL;
    LLVMValueRef env = cg_expr(cg, e->a, false);
    if (!env) return NULL;
    args[e->nargs] = env;
    LLVMValueRef fn = e->func->cg;
    if (tail && !cg->in_entry && e->func == cg->func && cg->loop && e->nargs == cg->func->nparams)
      return self_tail_call(cg, fn, args, e->nargs);
    LLVMValueRef call =
        LLVMBuildCall2(cg->b, LLVMGlobalGetValueType(fn), fn, args, (unsigned)e->nargs + 1, "");
    return finish_call(cg, call, tail);
  }
  case IR_CCALL: {
    LLVMValueRef args[e->nargs > 0 ? e->nargs : 1];
    if (!eval_args(cg, e->args, e->nargs, args)) return NULL;
    v = cg_float_ccall(cg, e->str, args, e->nargs);
    if (!v) v = cg_call_c(cg, e->str, args, e->nargs);
    break;
  }
  case IR_PRIM: {
    if (e->prim == P_RAISE) {
      LLVMValueRef x = cg_expr(cg, e->args[0], false);
      if (!x) return NULL;
      call_noreturn(cg, CG_RT_nml_raise, &x);
      return NULL;
    }
    LLVMValueRef args[e->nargs > 0 ? e->nargs : 1];
    if (!eval_args(cg, e->args, e->nargs, args)) return NULL;
    v = cg_prim(cg, e, args);
    break;
  }
  case IR_ALLOC: {
    LLVMValueRef vals[e->nargs > 0 ? e->nargs : 1];
    if (!eval_args(cg, e->args, e->nargs, vals)) return NULL;
    LLVMValueRef blk = cg_alloc(cg, e->nargs, (int)e->imm);
    if (e->imm == Double_array_tag) {
      /* A flat float record: the doubles themselves. */
      for (int i = 0; i < e->nargs; i++)
        LLVMBuildStore(cg->b, cg_unbox_float(cg, vals[i]), cg_float_field_ptr(cg, blk, i));
    } else {
      for (int i = 0; i < e->nargs; i++) LLVMBuildStore(cg->b, vals[i], cg_field_ptr(cg, blk, i));
    }
    v = blk;
    break;
  }
  case IR_IF: return gen_if(cg, e, tail);
  case IR_SEQ:
    if (!cg_expr(cg, e->a, false)) return NULL;
    return cg_expr(cg, e->b, tail);
  case IR_WHILE: v = gen_while(cg, e); break;
  case IR_FOR: v = gen_for(cg, e); break;
  case IR_TRY: return gen_try(cg, e, tail);
  case IR_SWITCH: return gen_switch(cg, e, tail);
  case IR_CATCH: return gen_catch(cg, e, tail);
  case IR_EXIT: return gen_exit(cg, e);
  case IR_UNREACHABLE: LLVMBuildUnreachable(cg->b); return NULL;
  case IR_FUN: NML_UNREACHABLE();
  }
  if (v && cg_terminated(cg)) return NULL;
  if (tail && !cg->in_entry) return ret(cg, v);
  return v;
}

void cg_stack_check(Cg *cg) {
  LLVMTypeRef ptypes[1] = {cg->i8p};
  const char *nm = "llvm.frameaddress";
  unsigned id = LLVMLookupIntrinsicID(nm, strlen(nm));
  LLVMValueRef fa = LLVMGetIntrinsicDeclaration(cg->mod, id, ptypes, 1);
  LLVMValueRef zero = LLVMConstInt(cg->i32, 0, 0);
  LLVMValueRef frame = LLVMBuildCall2(cg->b, LLVMGlobalGetValueType(fa), fa, &zero, 1, "");
  LLVMValueRef sp = LLVMBuildPtrToInt(cg->b, frame, cg->i64, "");
  /* Volatile: the SIGINT handler moves the limit behind the code's back,
   * and a loop's poll must see it (the optimiser may not hoist it). */
  LLVMValueRef limit = LLVMBuildLoad2(cg->b, cg->i64, runtime_global(cg, CG_RT_nml_stack_limit), "");
  LLVMSetVolatile(limit, 1);
  LLVMValueRef below = LLVMBuildICmp(cg->b, LLVMIntULT, sp, limit, "");
  LLVMBasicBlockRef slow = new_block(cg, "stack_check"), ok = new_block(cg, "ok");
  LLVMBuildCondBr(cg->b, below, slow, ok);
  LLVMPositionBuilderAtEnd(cg->b, slow);
  /* Declared by hand: it returns nothing (but may return). */
  const char *name = runtime_syms[CG_RT_nml_stack_check_failed].name;
  LLVMValueRef f = LLVMGetNamedFunction(cg->mod, name);
  if (!f) {
    f = LLVMAddFunction(cg->mod, name, LLVMFunctionType(cg->voidt, NULL, 0, 0));
    LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex, enum_attr(cg, "cold"));
  }
  LLVMBuildCall2(cg->b, LLVMGlobalGetValueType(f), f, NULL, 0, "");
  LLVMBuildBr(cg->b, ok);
  LLVMPositionBuilderAtEnd(cg->b, ok);
}

static void init_cg(Cg *cg, CgSession *s, Arena *a, const char *name) {
  memset(cg, 0, sizeof *cg);
  cg->sess = s;
  cg->arena = a;
  cg->ctx = s->llctx;
  cg->mod = LLVMModuleCreateWithNameInContext(name, s->llctx);
  LLVMSetTarget(cg->mod, s->triple);
  char *dl = LLVMCopyStringRepOfTargetData(s->layout);
  LLVMSetDataLayout(cg->mod, dl);
  LLVMDisposeMessage(dl);
  cg->b = LLVMCreateBuilderInContext(s->llctx);
  cg->i64 = LLVMInt64TypeInContext(s->llctx);
  cg->i32 = LLVMInt32TypeInContext(s->llctx);
  cg->i8 = LLVMInt8TypeInContext(s->llctx);
  cg->i1 = LLVMInt1TypeInContext(s->llctx);
  cg->f64 = LLVMDoubleTypeInContext(s->llctx);
  cg->voidt = LLVMVoidTypeInContext(s->llctx);
  cg->i8p = LLVMPointerType(cg->i8, 0);
  cg->i64p = LLVMPointerType(cg->i64, 0);
}

/* Attributes every ML function gets: a frame pointer keeps backtraces
 * usable in gdb and perf; nounwind because exceptions are longjmps. */
static void ml_fn_attrs(Cg *cg, LLVMValueRef f) {
  LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex, enum_attr(cg, "nounwind"));
  LLVMAttributeRef fp = LLVMCreateStringAttribute(cg->ctx, "frame-pointer", 13, "all", 3);
  LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex, fp);
}

/* codegen.h: room for #trace's jumps, before and at the entry. */
static void patchable_entry(Cg *cg, LLVMValueRef f) {
  static const struct {
    const char *attr;
    int bytes;
  } parts[2] = {{"patchable-function-prefix", CG_PATCH_PREFIX}, {"patchable-function-entry", CG_PATCH_ENTRY}};
  for (int i = 0; i < 2; i++) {
    char n[8];
    snprintf(n, sizeof n, "%d", parts[i].bytes);
    LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex,
                            LLVMCreateStringAttribute(cg->ctx, parts[i].attr, (unsigned)strlen(parts[i].attr),
                                                      n, (unsigned)strlen(n)));
  }
}

static void gen_function(Cg *cg, IrFunc *f) {
  cg->fn = f->cg;
  cg->in_entry = false;
  cg->labels = NULL;
  LLVMBasicBlockRef entry = new_block(cg, "entry");
  LLVMPositionBuilderAtEnd(cg->b, entry);
  /* A self tail call is a jump back to the body's head, whose phis take
   * the new arguments (and closure), as OCaml compiles it: no frame is
   * torn down and rebuilt. The head keeps the stack check, which is also
   * the loop's poll for Ctrl-C. (LLVM's tailcallelim would do this, but
   * it also turns non-tail recursion into loops, so it is kept out.) */
  cg->func = f;
  cg->loop = new_block(cg, "self");
  cg->loop_phis = ARENA_ARRAY(cg->arena, LLVMValueRef, f->nparams + 1);
  LLVMBuildBr(cg->b, cg->loop);
  LLVMPositionBuilderAtEnd(cg->b, cg->loop);
  for (int i = 0; i <= f->nparams; i++) {
    LLVMValueRef p = LLVMGetParam(cg->fn, (unsigned)i);
    cg->loop_phis[i] = LLVMBuildPhi(cg->b, cg->i64, "");
    LLVMAddIncoming(cg->loop_phis[i], &p, &entry, 1);
  }
  for (int i = 0; i < f->nparams; i++) cg->vars[f->params[i]] = cg->loop_phis[i];
  cg->self = cg->loop_phis[f->nparams];
  cg_stack_check(cg);
  LLVMValueRef v = cg_expr(cg, f->body, true);
  if (v) ret(cg, v);
  if (!cg_terminated(cg)) LLVMBuildUnreachable(cg->b);
}

LLVMModuleRef cg_unit(CgSession *s, Arena *a, IrUnit *u) {
  Cg cg;
  init_cg(&cg, s, a, u->name);
  cg.nvars = u->nvars;
  cg.vars = ARENA_ARRAY(a, LLVMValueRef, u->nvars ? u->nvars : 1);
  /* A unit without functions runs its entry once: literals it copies to
   * the heap leave nothing pointing into it, so it can be released. */
  cg.copy_constants = u->funcs.len == 0 && u->slots.len == 0;
  /* Value slots a batch-compiled unit owns: zero words in .bss, exported
   * so that later units and the toplevel bind to them. */
  for (int i = 0; i < u->slots.len; i++) {
    const char *sym = u->slots.items[i];
    if (LLVMGetNamedGlobal(cg.mod, sym)) continue;
    LLVMValueRef g = LLVMAddGlobal(cg.mod, cg.i64, sym);
    LLVMSetInitializer(g, LLVMConstInt(cg.i64, 1, 0));
  }
  /* Declare every function first: closures and direct calls refer to
   * functions defined later in the module. */
  for (int i = 0; i < u->funcs.len; i++) {
    IrFunc *f = u->funcs.items[i];
    LLVMValueRef fn = LLVMAddFunction(cg.mod, f->sym, cg_ml_fn_type(&cg, f->nparams));
    LLVMSetFunctionCallConv(fn, NML_TAILCC);
    LLVMSetLinkage(fn, LLVMInternalLinkage);
    ml_fn_attrs(&cg, fn);
    if (s->patchable) patchable_entry(&cg, fn);
    f->cg = fn;
  }
  for (int i = 0; i < u->funcs.len; i++) gen_function(&cg, u->funcs.items[i]);

  char *entry_name = arena_printf(a, "nml_entry_%s", u->name);
  cg.fn = LLVMAddFunction(cg.mod, entry_name, LLVMFunctionType(cg.i64, NULL, 0, 0));
  ml_fn_attrs(&cg, cg.fn);
  cg.self = NULL;
  cg.func = NULL;
  cg.loop = NULL;
  cg.in_entry = true;
  cg.labels = NULL;
  LLVMPositionBuilderAtEnd(cg.b, new_block(&cg, "entry"));
  LLVMValueRef v = cg_expr(&cg, u->entry, false);
  if (v) LLVMBuildRet(cg.b, v);
  else if (!cg_terminated(&cg)) LLVMBuildUnreachable(cg.b);
  LLVMDisposeBuilder(cg.b);
  u->nstatic = cg.copy_constants ? 0 : cg.nstrings;
  return cg.mod;
}
