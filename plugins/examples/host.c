/* host.c — an example C program embedding natml (plugins/natml.h): it
 * links the runtime and the stdlib (no compiler, no LLVM), loads a plugin
 * made by `natmlc -shared counter.ml -o counter.so`, calls Counter.add
 * and Counter.describe, and, given a command that rebuilds the plugin,
 * runs it and hot-reloads the new file (loaded under a fresh name, so the
 * new code is mapped even though the path is the same).
 *
 *   usage: natml_host PLUGIN.so [REBUILD-COMMAND] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "natml.h"
#include "natml_runtime.h"

/* Calls Counter.describe () and prints the string it returns. */
static int describe(void) {
  value *f = natml_lookup("Counter.describe");
  value r, exn, unit = Val_unit;
  if (!f || !natml_call(*f, 1, &unit, &r, &exn)) {
    fprintf(stderr, "host: Counter.describe failed\n");
    return 1;
  }
  printf("%s\n", String_val(r));
  return 0;
}

/* Calls Counter.add n and prints the result. */
static int add(long n) {
  value *f = natml_lookup("Counter.add");
  value arg = Val_long(n), r, exn;
  if (!f || !natml_call(*f, 1, &arg, &r, &exn)) {
    fprintf(stderr, "host: Counter.add failed\n");
    return 1;
  }
  printf("add %ld -> %ld\n", n, Long_val(r));
  return 0;
}

int main(int argc, char **argv) {
  char err[600];
  if (argc < 2) {
    fprintf(stderr, "usage: natml_host PLUGIN.so [REBUILD-COMMAND]\n");
    return 2;
  }
  if (!natml_start(&argc, err, sizeof err)) {
    fprintf(stderr, "%s\n", err);
    return 2;
  }
  NatmlPlugin *p = natml_load(argv[1], false, err, sizeof err);
  if (!p) {
    fprintf(stderr, "%s\n", err);
    return 2;
  }
  printf("loaded %s: unit %s\n", argv[1], natml_plugin_unit_name(p, 0));
  value *version = natml_lookup("Counter.version");
  printf("Counter.version = %ld\n", version ? Long_val(*version) : -1L);
  if (add(5) || add(37) || describe()) return 1;
  /* Loading the same units again without reload is refused. */
  if (natml_load(argv[1], false, err, sizeof err)) return 1;
  printf("second load refused: %s\n", err);
  if (argc < 3) return 0;

  /* Hot reload: rebuild the plugin, load the new file over the old one. */
  fflush(stdout);
  if (system(argv[2]) != 0) {
    fprintf(stderr, "host: the rebuild command failed\n");
    return 1;
  }
  p = natml_load(argv[1], true, err, sizeof err);
  if (!p) {
    fprintf(stderr, "%s\n", err);
    return 2;
  }
  version = natml_lookup("Counter.version");
  printf("reloaded: Counter.version = %ld\n", version ? Long_val(*version) : -1L);
  if (add(1) || describe()) return 1;
  nml_flush_std();
  return 0;
}
