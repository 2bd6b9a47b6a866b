/* cg_object.c — codegen.h on top of cg.h: a unit's IR to an object in
 * memory (build the module, -dllvm dump, verify, emit), the support
 * object, and batches of units linked into one module before emission.
 * LLVM's modules, buffers and messages end here: what leaves is bytes and
 * text the caller owns or frees with cg_object_free. */
#include "cg.h"

#include <llvm-c/Linker.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Copies an LLVM message (or fallback when it is NULL) into err, prefixed
 * by what failed, and frees it with LLVM's function. */
static void set_error(CgError *err, const char *what, char *llvm_msg) {
  if (llvm_msg && llvm_msg[0]) snprintf(err->msg, sizeof err->msg, "%s: %s", what, llvm_msg);
  else snprintf(err->msg, sizeof err->msg, "%s", what);
  LLVMDisposeMessage(llvm_msg);
}

void cg_session_verify(CgSession *s, bool on) { s->verify = on; }

void cg_object_free(CgObject *obj) {
  if (obj->owner) LLVMDisposeMemoryBuffer(obj->owner);
  obj->owner = NULL;
  obj->data = NULL;
  obj->size = 0;
}

/* Emits m (left to the caller) into *out. */
static bool emit(CgSession *s, LLVMModuleRef m, CgObject *out, CgError *err) {
  LLVMMemoryBufferRef buf = NULL;
  char *msg = NULL;
  if (!cg_emit_object(s, m, &buf, &msg)) {
    set_error(err, "code generation failed", msg);
    return false;
  }
  out->data = (const unsigned char *)LLVMGetBufferStart(buf);
  out->size = LLVMGetBufferSize(buf);
  out->owner = buf;
  return true;
}

/* The module of one unit, dumped to dump (if any) and verified if the
 * session says so: a module LLVM rejects is a bug of codegen. */
static LLVMModuleRef unit_module(CgSession *s, Arena *a, IrUnit *u, FILE *dump) {
  LLVMModuleRef m = cg_unit(s, a, u);
  if (dump) {
    char *txt = LLVMPrintModuleToString(m);
    fputs(txt, dump);
    LLVMDisposeMessage(txt);
  }
  if (s->verify) {
    char *msg = NULL;
    if (!cg_verify(m, &msg)) nml_fatal("invalid LLVM module for %s: %s", u->name, msg);
    LLVMDisposeMessage(msg);
  }
  return m;
}

bool cg_unit_object(CgSession *s, Arena *a, IrUnit *u, FILE *dump, CgObject *out, CgTimes *times,
                    CgError *err) {
  double t0 = now_ms();
  LLVMModuleRef m = unit_module(s, a, u, dump);
  double t1 = now_ms();
  bool ok = emit(s, m, out, err);
  LLVMDisposeModule(m);
  if (times) {
    times->build_ms += t1 - t0;
    times->emit_ms += now_ms() - t1;
  }
  return ok;
}

bool cg_support_object(CgSession *s, CgObject *out, CgError *err) {
  LLVMModuleRef m = cg_support_module(s);
  char *msg = NULL;
  bool ok = cg_verify(m, &msg);
  if (!ok) set_error(err, "invalid support module", msg);
  else LLVMDisposeMessage(msg);
  ok = ok && emit(s, m, out, err);
  LLVMDisposeModule(m);
  return ok;
}

/* ---- Batches ------------------------------------------------------------ */

struct CgBatch {
  CgSession *sess;
  LLVMModuleRef mod; /* the units so far, linked; NULL before the first */
};

CgBatch *cg_batch_new(CgSession *s) {
  CgBatch *b = calloc(1, sizeof *b);
  if (!b) nml_fatal("out of memory");
  b->sess = s;
  return b;
}

bool cg_batch_add(CgBatch *b, Arena *a, IrUnit *u, CgError *err) {
  LLVMModuleRef m = unit_module(b->sess, a, u, NULL);
  if (!b->mod) {
    b->mod = m;
    return true;
  }
  /* LLVMLinkModules2 consumes m, linked or not. */
  if (LLVMLinkModules2(b->mod, m)) {
    snprintf(err->msg, sizeof err->msg, "cannot link unit %s", u->name);
    return false;
  }
  return true;
}

void cg_batch_add_data(CgBatch *b, const char *name, const void *bytes, size_t size) {
  NML_ASSERT(b->mod != NULL);
  LLVMContextRef ctx = LLVMGetModuleContext(b->mod);
  LLVMValueRef init = LLVMConstStringInContext(ctx, bytes, (unsigned)size, 1);
  LLVMValueRef g = LLVMAddGlobal(b->mod, LLVMTypeOf(init), name);
  LLVMSetInitializer(g, init);
  LLVMSetGlobalConstant(g, 1);
  LLVMSetAlignment(g, 8);
}

bool cg_batch_emit(CgBatch *b, CgObject *out, CgError *err) {
  if (!b->mod) {
    snprintf(err->msg, sizeof err->msg, "nothing to compile");
    return false;
  }
  return emit(b->sess, b->mod, out, err);
}

void cg_batch_free(CgBatch *b) {
  if (!b) return;
  if (b->mod) LLVMDisposeModule(b->mod);
  free(b);
}
