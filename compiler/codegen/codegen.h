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

/* Patchable entries, for the toplevel's #trace. When on, every ML
 * function of the units the session compiles starts with a two-byte NOP
 * at its entry, preceded by CG_PATCH_PREFIX bytes of NOPs that no call
 * runs (LLVM's "patchable-function-entry" and "-prefix", the layout of
 * Linux's and Windows' hot patching). The toplevel may overwrite those
 * bytes with cg_patch_jump's: an absolute jump to a trace stub in the
 * prefix and a short jump back to it at the entry, so that every call
 * reaches the stub: through closures, direct calls and recursive ones
 * alike. The body proper starts right after the entry's NOP. At opt
 * level 0 a self tail call, otherwise a jump back to the body's head,
 * leaves through the entry too (cg_llvm.c: self_tail_call). Off by
 * default: natmlc's units and the support code have none. An untraced
 * call pays one NOP (tests/bench: no difference measurable). */
void cg_session_patchable(CgSession *s, bool on);

/* The prefix: room for `movabs $target, %r11; jmp *%r11` (r11 carries no
 * argument in the ML calling convention). The entry: room for a `jmp`
 * back to it (rel8). */
#define CG_PATCH_PREFIX 13
#define CG_PATCH_ENTRY  2
#define CG_PATCH_BYTES  (CG_PATCH_PREFIX + CG_PATCH_ENTRY)

/* Whether code (a closure's code pointer) is a patchable entry: NOP
 * instructions filling exactly CG_PATCH_ENTRY bytes there, and exactly
 * CG_PATCH_PREFIX bytes before it. Code compiled without one starts with
 * its prologue (push %rbp), and then nothing before it is read. */
bool cg_patchable_entry(const void *code);

/* The bytes to write over [code - CG_PATCH_PREFIX, code + CG_PATCH_ENTRY)
 * of a patchable entry so that its calls jump to target with their
 * arguments in place (target: an ML function of the same arity). The
 * function's body stays at code + CG_PATCH_ENTRY. */
void cg_patch_jump(unsigned char out[CG_PATCH_BYTES], const void *target);

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
 * helpers nml_apply<N>, the partial application stubs nml_pap<R>, the
 * C entries nml_callback<N> and the trace stubs (cg_support.c). Returns false with a message in err when it
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
