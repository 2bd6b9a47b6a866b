/* cg_prim.c — inline code for the built-in primitives (IR_PRIM) on tagged
 * values: integer arithmetic on n << 1 | 1 words, boxed floats,
 * specialised and generic comparisons, fields, strings and arrays with
 * their bounds checks. Generic operations call the runtime. */
#include "cg.h"

#include <string.h>

#include "natml_runtime.h"

static LLVMValueRef c64(Cg *cg, long long n) { return LLVMConstInt(cg->i64, (unsigned long long)n, 1); }

static LLVMValueRef untag(Cg *cg, LLVMValueRef v) { return LLVMBuildAShr(cg->b, v, c64(cg, 1), ""); }
static LLVMValueRef tag(Cg *cg, LLVMValueRef n) {
  return LLVMBuildOr(cg->b, LLVMBuildShl(cg->b, n, c64(cg, 1), ""), c64(cg, 1), "");
}

/* Branches to a noreturn runtime call when `fail` holds. */
static void check(Cg *cg, LLVMValueRef fail, CgRuntimeSym raiser) {
  LLVMBasicBlockRef bad = LLVMAppendBasicBlockInContext(cg->ctx, cg->fn, "fail");
  LLVMBasicBlockRef ok = LLVMAppendBasicBlockInContext(cg->ctx, cg->fn, "ok");
  LLVMBuildCondBr(cg->b, fail, bad, ok);
  LLVMPositionBuilderAtEnd(cg->b, bad);
  LLVMValueRef f = cg_runtime_fn(cg, raiser);
  LLVMBuildCall2(cg->b, LLVMGlobalGetValueType(f), f, NULL, 0, "");
  LLVMBuildUnreachable(cg->b);
  LLVMPositionBuilderAtEnd(cg->b, ok);
}

static LLVMValueRef header(Cg *cg, LLVMValueRef block) { return cg_load_field(cg, block, c64(cg, -1)); }

static LLVMValueRef wosize(Cg *cg, LLVMValueRef block) {
  return LLVMBuildLShr(cg->b, header(cg, block), c64(cg, 10), "");
}

/* Byte length of a string: wosize * 8 - 1 - last byte. */
static LLVMValueRef string_length(Cg *cg, LLVMValueRef s) {
  LLVMValueRef nbytes = LLVMBuildShl(cg->b, wosize(cg, s), c64(cg, 3), "");
  LLVMValueRef lastp = LLVMBuildIntToPtr(
      cg->b, LLVMBuildAdd(cg->b, s, LLVMBuildSub(cg->b, nbytes, c64(cg, 1), ""), ""), cg->i8p, "");
  LLVMValueRef last = LLVMBuildZExt(cg->b, LLVMBuildLoad2(cg->b, cg->i8, lastp, ""), cg->i64, "");
  return LLVMBuildSub(cg->b, LLVMBuildSub(cg->b, nbytes, c64(cg, 1), ""), last, "");
}

static LLVMValueRef byte_ptr(Cg *cg, LLVMValueRef s, LLVMValueRef idx) {
  return LLVMBuildIntToPtr(cg->b, LLVMBuildAdd(cg->b, s, idx, ""), cg->i8p, "");
}

static void bounds(Cg *cg, LLVMValueRef idx_untagged, LLVMValueRef len) {
  check(cg, LLVMBuildICmp(cg->b, LLVMIntUGE, idx_untagged, len, ""), CG_RT_nml_array_bound_error);
}

static LLVMValueRef icmp(Cg *cg, LLVMIntPredicate p, LLVMValueRef a, LLVMValueRef b) {
  return cg_tagged_bool(cg, LLVMBuildICmp(cg->b, p, a, b, ""));
}

static LLVMValueRef fcmp(Cg *cg, LLVMRealPredicate p, LLVMValueRef a, LLVMValueRef b) {
  return cg_tagged_bool(cg, LLVMBuildFCmp(cg->b, p, cg_unbox_float(cg, a), cg_unbox_float(cg, b), ""));
}

static LLVMValueRef float_op(Cg *cg, LLVMOpcode op, LLVMValueRef a, LLVMValueRef b) {
  LLVMValueRef r = LLVMBuildBinOp(cg->b, op, cg_unbox_float(cg, a), cg_unbox_float(cg, b), "");
  return cg_box_float(cg, r);
}

static LLVMValueRef intrinsic1(Cg *cg, const char *name, LLVMTypeRef ret, LLVMTypeRef arg, LLVMValueRef x) {
  unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
  LLVMTypeRef tys[2] = {ret, arg};
  /* fabs is overloaded on one type, fptosi.sat on two. */
  LLVMValueRef f = LLVMGetIntrinsicDeclaration(cg->mod, id, tys, ret == arg ? 1 : 2);
  return LLVMBuildCall2(cg->b, LLVMGlobalGetValueType(f), f, &x, 1, "");
}

static LLVMValueRef int_compare(Cg *cg, LLVMValueRef a, LLVMValueRef b) {
  LLVMValueRef gt = LLVMBuildZExt(cg->b, LLVMBuildICmp(cg->b, LLVMIntSGT, a, b, ""), cg->i64, "");
  LLVMValueRef lt = LLVMBuildZExt(cg->b, LLVMBuildICmp(cg->b, LLVMIntSLT, a, b, ""), cg->i64, "");
  return tag(cg, LLVMBuildSub(cg->b, gt, lt, ""));
}

/* A polymorphic comparison (pred, or compare when pred is 0): when both
 * operands are immediate it is the comparison of the tagged words, done
 * inline; otherwise the runtime walks the blocks. Optimised code only;
 * -O0 calls the runtime directly. */
static LLVMValueRef poly_compare(Cg *cg, LLVMIntPredicate pred, CgRuntimeSym rt, LLVMValueRef *a) {
  if (cg->sess->opt_level == 0) return cg_call_runtime(cg, rt, a);
  LLVMBuilderRef b = cg->b;
  LLVMValueRef both = LLVMBuildAnd(b, LLVMBuildAnd(b, a[0], a[1], ""), c64(cg, 1), "");
  LLVMBasicBlockRef fast = LLVMAppendBasicBlockInContext(cg->ctx, cg->fn, "imm");
  LLVMBasicBlockRef slow = LLVMAppendBasicBlockInContext(cg->ctx, cg->fn, "poly");
  LLVMBasicBlockRef join = LLVMAppendBasicBlockInContext(cg->ctx, cg->fn, "compared");
  LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntNE, both, c64(cg, 0), ""), fast, slow);
  LLVMPositionBuilderAtEnd(b, fast);
  LLVMValueRef v1 = pred ? icmp(cg, pred, a[0], a[1]) : int_compare(cg, a[0], a[1]);
  LLVMBuildBr(b, join);
  LLVMPositionBuilderAtEnd(b, slow);
  LLVMValueRef v2 = cg_call_runtime(cg, rt, a);
  LLVMBuildBr(b, join);
  LLVMPositionBuilderAtEnd(b, join);
  LLVMValueRef phi = LLVMBuildPhi(b, cg->i64, "");
  LLVMValueRef vals[2] = {v1, v2};
  LLVMBasicBlockRef from[2] = {fast, slow};
  LLVMAddIncoming(phi, vals, from, 2);
  return phi;
}

static LLVMValueRef shift_amount(Cg *cg, LLVMValueRef b) {
  return LLVMBuildAnd(cg->b, untag(cg, b), c64(cg, 63), "");
}

LLVMValueRef cg_prim(Cg *cg, Ir *e, LLVMValueRef *a) {
  LLVMBuilderRef b = cg->b;
  switch (e->prim) {
  case P_IDENTITY: return a[0];
  case P_IGNORE: return c64(cg, 1);
  case P_ADDINT: return LLVMBuildSub(b, LLVMBuildAdd(b, a[0], a[1], ""), c64(cg, 1), "");
  case P_SUBINT: return LLVMBuildAdd(b, LLVMBuildSub(b, a[0], a[1], ""), c64(cg, 1), "");
  case P_MULINT:
    return LLVMBuildAdd(b, LLVMBuildMul(b, LLVMBuildSub(b, a[0], c64(cg, 1), ""), untag(cg, a[1]), ""),
                        c64(cg, 1), "");
  case P_DIVINT:
  case P_MODINT: {
    check(cg, LLVMBuildICmp(b, LLVMIntEQ, a[1], c64(cg, 1), ""), CG_RT_nml_raise_division_by_zero);
    /* Untagged operands have 63 significant bits, so min_int / -1 does
     * not overflow i64; retagging wraps it as OCaml does. */
    LLVMValueRef x = untag(cg, a[0]), y = untag(cg, a[1]);
    LLVMValueRef r = e->prim == P_DIVINT ? LLVMBuildSDiv(b, x, y, "") : LLVMBuildSRem(b, x, y, "");
    return tag(cg, r);
  }
  case P_NEGINT: return LLVMBuildSub(b, c64(cg, 2), a[0], "");
  case P_SUCCINT: return LLVMBuildAdd(b, a[0], c64(cg, 2), "");
  case P_PREDINT: return LLVMBuildSub(b, a[0], c64(cg, 2), "");
  case P_ANDINT: return LLVMBuildAnd(b, a[0], a[1], "");
  case P_ORINT: return LLVMBuildOr(b, a[0], a[1], "");
  case P_XORINT: return LLVMBuildOr(b, LLVMBuildXor(b, a[0], a[1], ""), c64(cg, 1), "");
  case P_LSLINT:
    return LLVMBuildAdd(b, LLVMBuildShl(b, LLVMBuildSub(b, a[0], c64(cg, 1), ""), shift_amount(cg, a[1]), ""),
                        c64(cg, 1), "");
  case P_LSRINT: return LLVMBuildOr(b, LLVMBuildLShr(b, a[0], shift_amount(cg, a[1]), ""), c64(cg, 1), "");
  case P_ASRINT: return LLVMBuildOr(b, LLVMBuildAShr(b, a[0], shift_amount(cg, a[1]), ""), c64(cg, 1), "");
  case P_ADDFLOAT: return float_op(cg, LLVMFAdd, a[0], a[1]);
  case P_SUBFLOAT: return float_op(cg, LLVMFSub, a[0], a[1]);
  case P_MULFLOAT: return float_op(cg, LLVMFMul, a[0], a[1]);
  case P_DIVFLOAT: return float_op(cg, LLVMFDiv, a[0], a[1]);
  case P_NEGFLOAT: return cg_box_float(cg, LLVMBuildFNeg(b, cg_unbox_float(cg, a[0]), ""));
  case P_ABSFLOAT:
    return cg_box_float(cg, intrinsic1(cg, "llvm.fabs", cg->f64, cg->f64, cg_unbox_float(cg, a[0])));
  case P_FLOATOFINT: return cg_box_float(cg, LLVMBuildSIToFP(b, untag(cg, a[0]), cg->f64, ""));
  case P_INTOFFLOAT:
    return tag(cg, intrinsic1(cg, "llvm.fptosi.sat", cg->i64, cg->f64, cg_unbox_float(cg, a[0])));
  case P_EQUAL: return poly_compare(cg, LLVMIntEQ, CG_RT_nml_equal, a);
  case P_NOTEQUAL: return poly_compare(cg, LLVMIntNE, CG_RT_nml_notequal, a);
  case P_LESSTHAN: return poly_compare(cg, LLVMIntSLT, CG_RT_nml_lessthan, a);
  case P_GREATERTHAN: return poly_compare(cg, LLVMIntSGT, CG_RT_nml_greaterthan, a);
  case P_LESSEQUAL: return poly_compare(cg, LLVMIntSLE, CG_RT_nml_lessequal, a);
  case P_GREATEREQUAL: return poly_compare(cg, LLVMIntSGE, CG_RT_nml_greaterequal, a);
  case P_COMPARE: return poly_compare(cg, 0, CG_RT_nml_compare, a);
  case P_FLOAT_COMPARE: return cg_call_runtime(cg, CG_RT_nml_compare, a);
  case P_INT_EQ:
  case P_EQ: return icmp(cg, LLVMIntEQ, a[0], a[1]);
  case P_INT_NE:
  case P_NOTEQ: return icmp(cg, LLVMIntNE, a[0], a[1]);
  case P_INT_LT: return icmp(cg, LLVMIntSLT, a[0], a[1]);
  case P_INT_GT: return icmp(cg, LLVMIntSGT, a[0], a[1]);
  case P_INT_LE: return icmp(cg, LLVMIntSLE, a[0], a[1]);
  case P_INT_GE: return icmp(cg, LLVMIntSGE, a[0], a[1]);
  case P_INT_COMPARE: return int_compare(cg, a[0], a[1]);
  case P_FLOAT_EQ: return fcmp(cg, LLVMRealOEQ, a[0], a[1]);
  case P_FLOAT_NE: return fcmp(cg, LLVMRealUNE, a[0], a[1]);
  case P_FLOAT_LT: return fcmp(cg, LLVMRealOLT, a[0], a[1]);
  case P_FLOAT_GT: return fcmp(cg, LLVMRealOGT, a[0], a[1]);
  case P_FLOAT_LE: return fcmp(cg, LLVMRealOLE, a[0], a[1]);
  case P_FLOAT_GE: return fcmp(cg, LLVMRealOGE, a[0], a[1]);
  case P_BOOLNOT: return LLVMBuildSub(b, c64(cg, 4), a[0], "");
  case P_MAKEMUTABLE: {
    LLVMValueRef blk = cg_alloc(cg, 1, 0);
    LLVMBuildStore(b, a[0], cg_field_ptr(cg, blk, 0));
    return blk;
  }
  case P_FIELD0: return LLVMBuildLoad2(b, cg->i64, cg_field_ptr(cg, a[0], 0), "");
  case P_FIELD1: return LLVMBuildLoad2(b, cg->i64, cg_field_ptr(cg, a[0], 1), "");
  case P_FIELD: return LLVMBuildLoad2(b, cg->i64, cg_field_ptr(cg, a[0], e->imm), "");
  case P_FLOATFIELD:
    return cg_box_float(cg, LLVMBuildLoad2(b, cg->f64, cg_float_field_ptr(cg, a[0], e->imm), ""));
  case P_SETFLOATFIELD:
    LLVMBuildStore(b, cg_unbox_float(cg, a[1]), cg_float_field_ptr(cg, a[0], e->imm));
    return c64(cg, 1);
  case P_SETFIELD0:
  case P_SETFIELD: {
    LLVMValueRef p = cg_field_ptr(cg, a[0], e->prim == P_SETFIELD ? e->imm : 0);
    LLVMBuildStore(b, a[1], p);
    cg_write_barrier(cg, p, a[1]);
    return c64(cg, 1);
  }
  case P_INCR:
  case P_DECR: {
    LLVMValueRef p = cg_field_ptr(cg, a[0], 0);
    LLVMValueRef v = LLVMBuildLoad2(b, cg->i64, p, "");
    v = e->prim == P_INCR ? LLVMBuildAdd(b, v, c64(cg, 2), "") : LLVMBuildSub(b, v, c64(cg, 2), "");
    LLVMBuildStore(b, v, p);
    return c64(cg, 1);
  }
  case P_STRING_LENGTH: return tag(cg, string_length(cg, a[0]));
  case P_STRING_GET:
  case P_STRING_UNSAFE_GET: {
    LLVMValueRef i = untag(cg, a[1]);
    if (e->prim == P_STRING_GET) bounds(cg, i, string_length(cg, a[0]));
    LLVMValueRef c = LLVMBuildLoad2(b, cg->i8, byte_ptr(cg, a[0], i), "");
    return tag(cg, LLVMBuildZExt(b, c, cg->i64, ""));
  }
  case P_BYTES_SET:
  case P_BYTES_UNSAFE_SET: {
    LLVMValueRef i = untag(cg, a[1]);
    if (e->prim == P_BYTES_SET) bounds(cg, i, string_length(cg, a[0]));
    LLVMBuildStore(b, LLVMBuildTrunc(b, untag(cg, a[2]), cg->i8, ""), byte_ptr(cg, a[0], i));
    return c64(cg, 1);
  }
  case P_ARRAY_LENGTH: return tag(cg, wosize(cg, a[0]));
  case P_ARRAY_GET:
  case P_ARRAY_UNSAFE_GET: {
    LLVMValueRef i = untag(cg, a[1]);
    if (e->prim == P_ARRAY_GET) bounds(cg, i, wosize(cg, a[0]));
    return cg_load_field(cg, a[0], i);
  }
  case P_ARRAY_SET:
  case P_ARRAY_UNSAFE_SET: {
    LLVMValueRef i = untag(cg, a[1]);
    if (e->prim == P_ARRAY_SET) bounds(cg, i, wosize(cg, a[0]));
    LLVMValueRef p = LLVMBuildIntToPtr(b, a[0], cg->i64p, "");
    LLVMValueRef fp = LLVMBuildGEP2(b, cg->i64, p, &i, 1, "");
    LLVMBuildStore(b, a[2], fp);
    cg_write_barrier(cg, fp, a[2]);
    return c64(cg, 1);
  }
  case P_TAG: return tag(cg, LLVMBuildAnd(b, header(cg, a[0]), c64(cg, 0xFF), ""));
  case P_IS_INT: return tag(cg, LLVMBuildAnd(b, a[0], c64(cg, 1), ""));
  case P_BLOCK_SIZE: return tag(cg, wosize(cg, a[0]));
  case P_SEQAND:
  case P_SEQOR:
  case P_RAISE:
  case P_APPLY:
  case P_REVAPPLY:
  case P_COUNT: break;
  }
  NML_UNREACHABLE();
}

/* The stdlib's float externals that are plain libm functions
 * (runtime/floats.c): called on unboxed doubles, so that with
 * cg_unbox_float the argument and result stay in registers. Those LLVM
 * has an intrinsic for become instructions (sqrtsd, roundsd). */
static const struct {
  const char *prim, *intrinsic, *libm;
  int nargs;
} float_fns[] = {
    {"nml_float_sqrt", "llvm.sqrt", NULL, 1},   {"nml_float_floor", "llvm.floor", NULL, 1},
    {"nml_float_ceil", "llvm.ceil", NULL, 1},   {"nml_float_trunc", "llvm.trunc", NULL, 1},
    {"nml_float_round", "llvm.round", NULL, 1}, {"nml_float_exp", NULL, "exp", 1},
    {"nml_float_log", NULL, "log", 1},          {"nml_float_cos", NULL, "cos", 1},
    {"nml_float_sin", NULL, "sin", 1},          {"nml_float_tan", NULL, "tan", 1},
    {"nml_float_atan", NULL, "atan", 1},        {"nml_float_atan2", NULL, "atan2", 2},
    {"nml_float_pow", NULL, "pow", 2},          {"nml_float_hypot", NULL, "hypot", 2},
};

LLVMValueRef cg_float_ccall(Cg *cg, const char *name, LLVMValueRef *args, int n) {
  for (size_t i = 0; i < sizeof float_fns / sizeof float_fns[0]; i++) {
    if (float_fns[i].nargs != n || strcmp(float_fns[i].prim, name) != 0) continue;
    LLVMValueRef d[2];
    for (int k = 0; k < n; k++) d[k] = cg_unbox_float(cg, args[k]);
    if (float_fns[i].intrinsic)
      return cg_box_float(cg, intrinsic1(cg, float_fns[i].intrinsic, cg->f64, cg->f64, d[0]));
    LLVMValueRef f = LLVMGetNamedFunction(cg->mod, float_fns[i].libm);
    if (!f) {
      LLVMTypeRef ps[2] = {cg->f64, cg->f64};
      f = LLVMAddFunction(cg->mod, float_fns[i].libm, LLVMFunctionType(cg->f64, ps, (unsigned)n, 0));
    }
    return cg_box_float(cg, LLVMBuildCall2(cg->b, LLVMGlobalGetValueType(f), f, d, (unsigned)n, ""));
  }
  return NULL;
}
