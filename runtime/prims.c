/* prims.c — the table of every C primitive, generated from primitives.def,
 * so that a host finds primitives by name even when the runtime is linked
 * statically and their symbols are not exported dynamically.
 */
#include <string.h>
#include "rt_internal.h"

const NmlPrimEntry nml_prim_table[] = {
#define NML_PRIM(sym, arity) {#sym, (void *)sym, arity},
#include "primitives.def"
#undef NML_PRIM
    {NULL, NULL, 0}};

const size_t nml_prim_count =
    sizeof nml_prim_table / sizeof nml_prim_table[0] - 1;

const NmlPrimEntry *nml_prim_lookup(const char *name) {
  for (size_t i = 0; i < nml_prim_count; i++)
    if (strcmp(nml_prim_table[i].name, name) == 0) return &nml_prim_table[i];
  return NULL;
}
