/* cg_emit.c — the LLVM target machine of a session and object emission:
 * an LLVM module becomes an ELF relocatable object in memory
 * (LLVMTargetMachineEmitToMemoryBuffer), handed to dynlink. No file and
 * no external process is involved. */
#include "cg.h"

#include <llvm-c/Analysis.h>
#include <llvm-c/Target.h>
#include <llvm-c/Transforms/PassBuilder.h>
#include <stdlib.h>

CgSession *cg_session_new(int codegen_level, int opt_level) {
  CgSession *s = calloc(1, sizeof *s);
  if (!s) nml_fatal("out of memory");
  LLVMInitializeX86TargetInfo();
  LLVMInitializeX86Target();
  LLVMInitializeX86TargetMC();
  LLVMInitializeX86AsmPrinter();
  s->llctx = LLVMContextCreate();
  s->triple = LLVMGetDefaultTargetTriple();
  LLVMTargetRef target;
  char *err = NULL;
  if (LLVMGetTargetFromTriple(s->triple, &target, &err)) nml_fatal("LLVM target: %s", err);
  LLVMCodeGenOptLevel lvl = codegen_level <= 0   ? LLVMCodeGenLevelNone
                            : codegen_level == 1 ? LLVMCodeGenLevelLess
                            : codegen_level == 2 ? LLVMCodeGenLevelDefault
                                                 : LLVMCodeGenLevelAggressive;
  /* PIC: units are shared objects loaded anywhere. */
  s->tm = LLVMCreateTargetMachine(target, s->triple, "x86-64", "", lvl, LLVMRelocPIC, LLVMCodeModelDefault);
  s->layout = LLVMCreateTargetDataLayout(s->tm);
  s->opt_level = opt_level;
#ifndef NDEBUG
  s->verify = true;
#endif
  return s;
}

void cg_session_free(CgSession *s) {
  if (!s) return;
  LLVMDisposeTargetData(s->layout);
  LLVMDisposeTargetMachine(s->tm);
  LLVMDisposeMessage(s->triple);
  LLVMContextDispose(s->llctx);
  free(s);
}

bool cg_verify(LLVMModuleRef m, char **err) { return !LLVMVerifyModule(m, LLVMReturnStatusAction, err); }

/* The IR passes for optimised units. LLVM's default<On> pipelines include
 * tail-recursion elimination, which turns `1 + f (n - 1)` into a loop
 * with an accumulator: faster, but a deep non-tail recursion then never
 * overflows the stack, where OCaml's does (and programs catch
 * Stack_overflow). So the pipeline is spelled out without it. */
static const char *pipeline_o1 = "function(sroa,early-cse,simplifycfg,instcombine,simplifycfg)";
static const char *pipeline_o2 =
    "globalopt,ipsccp,"
    "cgscc(inline,function(sroa,early-cse<memssa>,simplifycfg,instcombine,"
    "jump-threading,correlated-propagation,simplifycfg,instcombine,reassociate,"
    "loop-mssa(licm),loop(indvars),gvn,sccp,bdce,instcombine,dse,adce,simplifycfg,"
    "instcombine)),globaldce";

bool cg_emit_object(CgSession *s, LLVMModuleRef m, LLVMMemoryBufferRef *out, char **err) {
  if (s->opt_level > 0) {
    LLVMPassBuilderOptionsRef opts = LLVMCreatePassBuilderOptions();
    LLVMErrorRef e = LLVMRunPasses(m, s->opt_level == 1 ? pipeline_o1 : pipeline_o2, s->tm, opts);
    if (!e && cg_lower_float_boxes(s, m)) e = LLVMRunPasses(m, "always-inline", s->tm, opts);
    LLVMDisposePassBuilderOptions(opts);
    if (e) {
      *err = LLVMGetErrorMessage(e);
      return false;
    }
  }
  return !LLVMTargetMachineEmitToMemoryBuffer(s->tm, m, LLVMObjectFile, err, out);
}
