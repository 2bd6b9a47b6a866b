/* cg.h — LLVM code generation (internal to compiler/). The flat IR of a
 * unit (after closure.c) becomes one LLVM module; cg_emit turns it into an
 * ELF relocatable object in memory.
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

#include "ir.h"

/* Per-session LLVM state, reused across phrases: context and target
 * machines (creating them costs more than a small phrase's codegen). */
typedef struct CgSession {
  LLVMContextRef llctx;
  LLVMTargetMachineRef tm;        /* the toplevel's level (-O0 by default) */
  LLVMTargetDataRef layout;
  char *triple;
  int opt_level;                  /* 0..3: IR passes default<On> before emit */
} CgSession;

/* Creates the session state; codegen_level is the LLVM codegen level
 * (0 = FastISel) and opt_level the IR pass pipeline to run (0 = none). */
void cg_session_init(CgSession *s, int codegen_level, int opt_level);
void cg_session_free(CgSession *s);

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
  LLVMValueRef fn;          /* function being generated */
  LLVMValueRef self;        /* its closure parameter (NULL in the entry) */
  struct IrFunc *func;      /* the IR function being generated (NULL in the entry) */
  LLVMBasicBlockRef loop;   /* its body's head: self tail calls jump there */
  LLVMValueRef *loop_phis;  /* the parameters, then the closure, at `loop` */
  bool in_entry;            /* generating the C-convention entry */
  LLVMValueRef *vars;       /* value of each IR variable */
  int nvars;
  struct CgLabel *labels;   /* static-exception handlers in scope */
  int nstrings;             /* counter for private globals */
  bool copy_constants;      /* put string and float literals on the heap */
  CgFloatConst *fconsts;    /* float literals emitted, for cg_unbox_float (in arena) */
  int nfconsts, capfconsts;
  Arena *arena;
} Cg;

typedef struct CgLabel {
  int64_t id;
  LLVMBasicBlockRef block;
  LLVMValueRef *slots;      /* allocas for the handler's variables */
  int nslots;
  struct CgLabel *next;
} CgLabel;

/* cg_llvm.c */
LLVMModuleRef cg_unit(CgSession *s, Arena *a, IrUnit *u);
LLVMValueRef cg_expr(Cg *cg, Ir *e, bool tail);
LLVMValueRef cg_runtime_fn(Cg *cg, const char *name, int nargs, bool noreturn);
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

/* cg_support.c: the apply helpers and pap stubs, emitted once into the
 * host (natmlc -support). */
LLVMModuleRef cg_support_module(CgSession *s);

/* cg_emit.c: runs the IR passes of the session's level, then emits an ELF
 * relocatable object. Returns false and sets *err (LLVM's message, to be
 * freed with LLVMDisposeMessage) on failure. */
bool cg_emit_object(CgSession *s, LLVMModuleRef m, LLVMMemoryBufferRef *out, char **err);
/* cg_llvm.c: turns the pure float boxes left after optimisation into
 * allocations; true when the always-inline pass must then run. */
bool cg_lower_float_boxes(CgSession *s, LLVMModuleRef m);
/* Verifies a module (debug builds and -dllvm). */
bool cg_verify(LLVMModuleRef m, char **err);

#endif
