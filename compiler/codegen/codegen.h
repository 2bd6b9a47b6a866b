/* codegen.h — the code generator's interface for the stages after it
 * (toplevel, driver): flat IR units (lower/ir.h, after closure.c) become
 * ELF relocatable objects in memory. It names no LLVM type and includes
 * no llvm-c header: LLVM stays inside compiler/codegen, whose own files
 * share cg.h.
 *
 * Ownership: the user creates and frees a CgSession; the bytes of an
 * object (CgObject) belong to codegen until cg_object_free; an error is
 * copied as text into the caller's CgError, so it has one owner and needs
 * no freeing (codegen frees LLVM's own messages with LLVMDisposeMessage).
 * Internal bugs (a module LLVM's verifier rejects) stop the process
 * through nml_fatal.
 */
#ifndef NML_CODEGEN_H
#define NML_CODEGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "arena.h"
#include "ir.h"

/* Code generation state reused across units: the LLVM context and the
 * target machine (creating them costs more than a small phrase's code). */
typedef struct CgSession CgSession;

/* Creates a session. codegen_level is the machine code generator's level
 * (0 = fast instruction selection, 3 = aggressive); opt_level the IR pass
 * pipeline run before it (0 = none, 1, 2). Stops the process with a
 * message if the host's target is not available. */
CgSession *cg_session_new(int codegen_level, int opt_level);
/* Frees a session; objects it emitted stay valid. */
void cg_session_free(CgSession *s);
/* Whether each unit's module goes through LLVM's verifier before
 * emission (a module it rejects is a bug: nml_fatal). On by default in
 * debug builds only; the unit tests turn it on. */
void cg_session_verify(CgSession *s, bool on);

/* An error: its message, written into the caller's buffer. */
#define CG_ERROR_MAX 512
typedef struct CgError {
  char msg[CG_ERROR_MAX];
} CgError;

/* An ELF relocatable object in memory (x86-64, PIC), ready for dl_link.
 * data and size are read-only; owner is codegen's. */
typedef struct CgObject {
  const unsigned char *data;
  size_t size;
  void *owner;
} CgObject;

/* Frees an object's bytes (a zeroed CgObject is fine). */
void cg_object_free(CgObject *obj);

/* Time spent in cg_unit_object, for the toplevel's -dtimings: building
 * the code from the IR, then the IR passes and machine code emission. */
typedef struct CgTimes {
  double build_ms;
  double emit_ms;
} CgTimes;

/* Compiles one unit into an object: the unit's entry is nml_entry_<name>
 * (cg.h states the ABI). When dump is not NULL the generated LLVM IR is
 * written to it first (-dllvm); then it is verified (cg_session_verify). Temporary data of
 * the IR side lives in a, which must outlive the call only. On success
 * fills *out and, when times is not NULL, adds the time spent to it;
 * returns false with a message in err when emission fails. */
bool cg_unit_object(CgSession *s, Arena *a, IrUnit *u, FILE *dump, CgObject *out, CgTimes *times,
                    CgError *err);

/* The support object linked into every host (natmlc -support): the apply
 * helpers nml_apply<N>, the partial application stubs nml_pap<R> and the
 * C entries nml_callback<N>. Returns false with a message in err when it
 * does not verify or cannot be emitted. */
bool cg_support_object(CgSession *s, CgObject *out, CgError *err);

/* A batch: units compiled one at a time, all emitted as one object (the
 * standard library, a plugin), so that calls between them are direct. */
typedef struct CgBatch CgBatch;

CgBatch *cg_batch_new(CgSession *s);
/* Compiles u and adds it to the batch (a as in cg_unit_object). Returns
 * false with a message in err when the unit cannot be linked with the
 * units before it; the batch is then only good for cg_batch_free. */
bool cg_batch_add(CgBatch *b, Arena *a, IrUnit *u, CgError *err);
/* Adds size read-only bytes under the exported symbol name (the plugin
 * descriptor). The batch must hold a unit already. */
void cg_batch_add_data(CgBatch *b, const char *name, const void *bytes, size_t size);
/* Emits everything added so far as one object. Returns false with a
 * message in err on failure (or when the batch holds nothing). */
bool cg_batch_emit(CgBatch *b, CgObject *out, CgError *err);
void cg_batch_free(CgBatch *b);

#endif
