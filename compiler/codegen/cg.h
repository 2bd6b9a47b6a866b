/* cg.h — LLVM code generation, internal to compiler/codegen (the other
 * stages see codegen.h only). The flat IR of a unit (after closure.c)
 * becomes one LLVM module (cg_llvm.c); cg_emit.c turns it into an ELF
 * relocatable object in memory; cg_object.c implements codegen.h on top.
 *
 * Conventions of generated code (the ABI that units, the stdlib and the
 * support code share):
 * - Every value is an i64. ML functions use LLVM's `tailcc` and take their
 *   arguments followed by their own closure; every call in tail position
 *   is a guaranteed tail call.
 * - Unknown calls go through nml_apply<N>(f, a1..aN) (tailcc), generated
 *   once by cg_support.c into the host; partial applications are closures
 *   whose code is nml_pap<R>.
 * - A unit's entry, `nml_entry_<unit>`, uses the C convention, takes no
 *   argument and returns the ML list of the values the unit binds.
 * - Each ML function's prologue compares the frame address with
 *   nml_stack_limit (Stack_overflow, Ctrl-C).
 */
#ifndef NML_CG_H
#define NML_CG_H

#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>

#include "codegen.h"
#include "ir.h"

/* Per-session LLVM state (codegen.h's CgSession), reused across phrases:
 * context and target machine. */
struct CgSession {
  LLVMContextRef llctx;
  LLVMTargetMachineRef tm; /* the session's codegen level */
  LLVMTargetDataRef layout;
  char *triple;   /* LLVM's string: LLVMDisposeMessage */
  int opt_level;  /* 0..2: IR passes before emission */
  bool verify;    /* verify each unit's module */
  bool patchable; /* ML functions of units get patchable entries (#trace) */
};

/* A float literal emitted as a static box, and its value. */
typedef struct CgFloatConst {
  LLVMValueRef boxed;
  double d;
} CgFloatConst;

/* Types and helpers shared by the cg_*.c files. */
typedef struct Cg {
  CgSession *sess;
  LLVMContextRef ctx;
  LLVMModuleRef mod;
  LLVMBuilderRef b;
  LLVMTypeRef i64, i32, i8, i1, f64, i8p, i64p, voidt;
  LLVMValueRef fn;         /* function being generated */
  LLVMValueRef self;       /* its closure parameter (NULL in the entry) */
  struct IrFunc *func;     /* the IR function being generated (NULL in the entry) */
  LLVMBasicBlockRef loop;  /* its body's head: self tail calls jump there */
  LLVMValueRef *loop_phis; /* the parameters, then the closure, at `loop` */
  bool in_entry;           /* generating the C-convention entry */
  LLVMValueRef *vars;      /* value of each IR variable */
  int nvars;
  struct CgLabel *labels; /* static-exception handlers in scope */
  int nstrings;           /* counter for private globals */
  bool copy_constants;    /* put string and float literals on the heap */
  CgFloatConst *fconsts;  /* float literals emitted, for cg_unbox_float (in arena) */
  int nfconsts, capfconsts;
  Arena *arena;
} Cg;

typedef struct CgLabel {
  int64_t id;
  LLVMBasicBlockRef block;
  LLVMValueRef *slots; /* allocas for the handler's variables */
  int nslots;
  struct CgLabel *next;
} CgLabel;

/* The runtime symbols generated code names, from runtime/abi.def:
 * CG_RT_nml_alloc and so on. */
typedef enum CgRuntimeSym {
#define NML_ABI_FN(sym, ret, params, arity, flags) CG_RT_##sym,
#define NML_ABI_VAR(sym, type)                     CG_RT_##sym,
#include "abi.def"
  CG_RT_COUNT
} CgRuntimeSym;

/* cg_llvm.c */
LLVMModuleRef cg_unit(CgSession *s, Arena *a, IrUnit *u);
LLVMValueRef cg_expr(Cg *cg, Ir *e, bool tail);
/* A runtime function of abi.def, declared on first use with its arity's
 * word parameters; cg_call_runtime calls one that returns. */
LLVMValueRef cg_runtime_fn(Cg *cg, CgRuntimeSym sym);
LLVMValueRef cg_call_runtime(Cg *cg, CgRuntimeSym sym, LLVMValueRef *args);
/* The address of a runtime variable of abi.def, declared on first use. */
LLVMValueRef cg_runtime_var(Cg *cg, CgRuntimeSym sym);
/* Calls the C function `name` (an external's primitive) on n words. */
LLVMValueRef cg_call_c(Cg *cg, const char *name, LLVMValueRef *args, int n);
LLVMValueRef cg_tagged_bool(Cg *cg, LLVMValueRef i1);
LLVMValueRef cg_load_field(Cg *cg, LLVMValueRef block, LLVMValueRef index_word);
LLVMValueRef cg_field_ptr(Cg *cg, LLVMValueRef block, int64_t i);
/* The address of double i of a Double_array_tag block. */
LLVMValueRef cg_float_field_ptr(Cg *cg, LLVMValueRef block, int64_t i);
LLVMValueRef cg_alloc(Cg *cg, int wosize, int tag);
void cg_write_barrier(Cg *cg, LLVMValueRef field_ptr, LLVMValueRef v);
LLVMValueRef cg_box_float(Cg *cg, LLVMValueRef d);
LLVMValueRef cg_unbox_float(Cg *cg, LLVMValueRef v);
LLVMTypeRef cg_ml_fn_type(Cg *cg, int nargs);
LLVMValueRef cg_global_value(Cg *cg, const char *sym);
void cg_stack_check(Cg *cg);
bool cg_terminated(Cg *cg);

/* cg_prim.c */
LLVMValueRef cg_prim(Cg *cg, Ir *e, LLVMValueRef *args);
/* A call of a float external that is a libm function, on unboxed
 * doubles; NULL when name is not one. */
LLVMValueRef cg_float_ccall(Cg *cg, const char *name, LLVMValueRef *args, int n);

/* cg_support.c: the apply helpers, pap stubs and trace stubs, emitted
 * once into the host (natmlc -support). */
LLVMModuleRef cg_support_module(CgSession *s);

/* cg_emit.c: runs the IR passes of the session's level, then emits an ELF
 * relocatable object. Returns false and sets *err (LLVM's message, to be
 * freed with LLVMDisposeMessage) on failure. Does not consume m. */
bool cg_emit_object(CgSession *s, LLVMModuleRef m, LLVMMemoryBufferRef *out, char **err);
/* cg_llvm.c: turns the pure float boxes left after optimisation into
 * allocations; true when the always-inline pass must then run. */
bool cg_lower_float_boxes(CgSession *s, LLVMModuleRef m);
/* Verifies a module (debug builds, and the support module always); *err
 * is LLVM's message, freed with LLVMDisposeMessage. */
bool cg_verify(LLVMModuleRef m, char **err);

#endif
