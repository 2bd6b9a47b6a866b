/* prims.c — the table of every C primitive, generated from primitives.def,
 * so that a host finds primitives by name even when the runtime is linked
 * statically and their symbols are not exported dynamically; and the
 * addresses of the ABI generated code names (abi.def).
 */
#include <string.h>
#include "rt_internal.h"

const NmlPrimEntry nml_prim_table[] = {
#define NML_PRIM(sym, arity) {#sym, (void *)sym, arity},
#include "primitives.def"
#undef NML_PRIM
    {NULL, NULL, 0}};

/* The address of everything abi.def lists: a runtime that lacks one of
 * them fails to link, not the first unit that calls it. */
const void *const nml_abi_symbols[] = {
#define NML_ABI_FN(sym, ret, params, arity, flags) (const void *)sym,
#define NML_ABI_VAR(sym, type)                     (const void *)&sym,
#include "abi.def"
};

const size_t nml_prim_count = sizeof nml_prim_table / sizeof nml_prim_table[0] - 1;

const NmlPrimEntry *nml_prim_lookup(const char *name) {
  for (size_t i = 0; i < nml_prim_count; i++)
    if (strcmp(nml_prim_table[i].name, name) == 0) return &nml_prim_table[i];
  return NULL;
}
