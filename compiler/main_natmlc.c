/* main_natmlc.c — natmlc, the batch compiler:
 *   natmlc -support -o support.o                     apply helpers
 *   natmlc -stdlib -c a.ml b.ml -o lib.o -embed units.c   the stdlib */
#include <stdio.h>
#include <string.h>

#include "compiler.h"
#include "natml_runtime.h"

static int usage(void) {
  fputs("usage: natmlc -support -o OUT.o\n"
        "       natmlc -stdlib -c FILE.ml... -o OUT.o -embed OUT.c\n",
        stderr);
  return 2;
}

int main(int argc, char **argv) {
  int anchor;
  nml_init(&anchor);
  const char *out = NULL, *embed = NULL;
  const char *files[256];
  int nfiles = 0;
  bool support = false, stdlib = false;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-support") == 0) support = true;
    else if (strcmp(argv[i], "-stdlib") == 0) stdlib = true;
    else if (strcmp(argv[i], "-c") == 0) continue;
    else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) out = argv[++i];
    else if (strcmp(argv[i], "-embed") == 0 && i + 1 < argc) embed = argv[++i];
    else if (argv[i][0] != '-' && nfiles < 256) files[nfiles++] = argv[i];
    else return usage();
  }
  if (support && out) return natmlc_support(out);
  if (stdlib && out && embed && nfiles > 0) return natmlc_stdlib(files, nfiles, out, embed);
  return usage();
}
