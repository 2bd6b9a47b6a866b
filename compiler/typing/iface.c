/* iface.c — a unit's interface as canonical text, and its digest.
 *
 * The text is what the toplevel would print for the unit's module, laid
 * out on one line (no margin), so it names every value, type, constructor,
 * field, exception, submodule and module type with its full type. Digests
 * of it are what plugins compare: a plugin compiled against interface X
 * loads only where X's text is the same. The loader re-types a plugin
 * unit's source and compares the digest of what it gets with the one
 * natmlc recorded, so a re-typing that would differ is refused too. */
#include <string.h>

#include "fmt.h"
#include "iface.h"
#include "natml.h"

void iface_text(Buf *out, Typer *T, ModuleDesc *md) {
  Fmt *f = fmt_new(out);
  fmt_set_margin(f, 1 << 28);
  fmt_set_max_indent(f, (1 << 28) - 1);
  bool saved = T->print_full_paths;
  T->print_full_paths = true;
  ty_print_module(f, T, md);
  T->print_full_paths = saved;
  fmt_flush(f);
  fmt_free(f);
}

bool iface_digest(Typer *T, ModuleDesc *md, unsigned char out[IFACE_DIGEST_SIZE]) {
  Buf b;
  buf_init(&b);
  iface_text(&b, T, md);
  const char *text = b.data ? b.data : "";
  bool ok = strstr(text, "'_weak") == NULL;
  natml_digest(text, strlen(text), out);
  buf_free(&b);
  return ok;
}
