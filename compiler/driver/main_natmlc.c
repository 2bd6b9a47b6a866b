/* main_natmlc.c — natmlc, the batch compiler:
 *   natmlc -shared [dep.so...] a.ml b.ml -o lib.so   a plugin (units A, B)
 *   natmlc -support -o support.o                     apply helpers
 *   natmlc -stdlib -c a.ml b.ml -o lib.o -embed units.c   the stdlib
 * The build compiles the stdlib with natmlc_boot, this program without
 * the stdlib linked in; natmlc proper links the stdlib, whose interfaces
 * plugins are typed against (weak references tell the two apart). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler.h"
#include "natml_runtime.h"

/* natmlc_boot links no stdlib: the table is weak so that it is NULL there. */
extern const NmlLinkedUnit nml_stdlib_units[] __attribute__((weak));
extern const int nml_stdlib_nunits __attribute__((weak));

static int usage(void) {
  fputs("usage: natmlc -shared [PLUGIN.so...] FILE.ml... -o OUT.so\n"
        "       natmlc -support -o OUT.o\n"
        "       natmlc -stdlib -c FILE.ml... -o OUT.o -embed OUT.c\n",
        stderr);
  return 2;
}

int main(int argc, char **argv) {
  int anchor;
  nml_init(&anchor);
  const char *out = NULL, *embed = NULL;
  /* Files are arguments: argc bounds their number. */
  const char **files = malloc(sizeof *files * (size_t)argc);
  int nfiles = 0;
  if (!files) return 2;
  bool support = false, stdlib = false, shared = false;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-support") == 0) support = true;
    else if (strcmp(argv[i], "-stdlib") == 0) stdlib = true;
    else if (strcmp(argv[i], "-shared") == 0) shared = true;
    else if (strcmp(argv[i], "-c") == 0) continue;
    else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) out = argv[++i];
    else if (strcmp(argv[i], "-embed") == 0 && i + 1 < argc) embed = argv[++i];
    else if (argv[i][0] != '-') files[nfiles++] = argv[i];
    else {
      free(files);
      return usage();
    }
  }
  int rc;
  if (support && out) {
    rc = natmlc_support(out);
  } else if (stdlib && out && embed && nfiles > 0) {
    rc = natmlc_stdlib(files, nfiles, out, embed);
  } else if (shared && out && nfiles > 0 && !nml_stdlib_units) {
    fputs("natmlc: this build of natmlc has no standard library: use natmlc, not natmlc_boot\n", stderr);
    rc = 2;
  } else if (shared && out && nfiles > 0) {
    rc = natmlc_shared(nml_stdlib_units, nml_stdlib_nunits, files, nfiles, out);
  } else {
    rc = usage();
  }
  free(files);
  return rc;
}
