/* iface.h — the interfaces of units (stdlib units, plugin units): their
 * canonical text and digest, which plugins record for the units they
 * define and for the units they were compiled against
 * (plugins/natml.h). Internal to compiler/. */
#ifndef NML_IFACE_H
#define NML_IFACE_H

#include <stdbool.h>

#include "typecheck.h"
#include "util.h"

#define IFACE_DIGEST_SIZE 16

/* Appends the canonical text of module md's signature to out: the
 * toplevel's `module M : sig ... end` on one line, every path and type
 * printed in full. Two units have the same interface exactly when their
 * texts are equal. */
void iface_text(Buf *out, Typer *T, ModuleDesc *md);

/* The digest of md's canonical text. Returns false when the signature
 * holds a weak type variable ('_weak1): such a unit has no interface
 * that other code could be compiled against. */
bool iface_digest(Typer *T, ModuleDesc *md, unsigned char out[IFACE_DIGEST_SIZE]);

#endif
