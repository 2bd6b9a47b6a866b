/* dynlink.h — natml's in-process linker and loader for x86-64 ELF.
 *
 * Pipeline position: codegen hands an ELF relocatable object (in memory) to
 * dl_link, which writes a shared object image in memory (two PT_LOAD
 * segments, every known symbol pre-bound); dl_load maps it with dlopen
 * under a path never used before in the process and registers its exported
 * symbols in the context's symbol table, so later units resolve against
 * them without glibc's symbol lookup.
 *
 * dynlink knows nothing of ML types: it deals in symbol names and addresses.
 */
#ifndef NML_DYNLINK_H
#define NML_DYNLINK_H

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One linker/loader session: the symbol table (name -> address), the list
 * of loaded units and the private directory units are loaded from. */
typedef struct DlContext DlContext;

/* A loaded unit (one dlopen'd shared object). */
typedef struct DlUnit DlUnit;

/* A shared object image in memory, owned by the caller (free with
 * dl_image_free). */
typedef struct DlImage {
  unsigned char *data;
  size_t size;
} DlImage;

/* Errors are reported as text in a caller-supplied buffer. */
#define DL_ERROR_MAX 512
typedef struct DlError {
  char msg[DL_ERROR_MAX];
} DlError;

/* Creates a context. Chooses the load directory: a fresh 0700 directory on
 * a filesystem that allows execution ($XDG_RUNTIME_DIR, /dev/shm, $TMPDIR,
 * /tmp, in that order, skipping noexec mounts), or memfds when none fits.
 * Returns NULL and fills err on failure. */
DlContext *dl_create(DlError *err);

/* Removes the load directory and frees the context's memory. Loaded units
 * stay mapped (their code may still be referenced). */
void dl_destroy(DlContext *dl);

/* Defines (or redefines) a symbol in the context's table. Later links bind
 * references to `name` to `addr` directly. The name is copied. */
void dl_define(DlContext *dl, const char *name, void *addr);

/* Looks a symbol up: the context's table first, then the host process
 * (dlsym(RTLD_DEFAULT)), caching what the host provides. NULL when
 * unknown. */
void *dl_lookup(DlContext *dl, const char *name);

/* How dl_link treats undefined symbols. */
typedef enum DlLinkMode {
  /* For loading into this process: every undefined symbol must be known to
   * dl_lookup and is written into the image as an absolute address, so the
   * image has no dynamic symbol references and is valid only here. */
  DL_PREBIND,
  /* For a plugin file: undefined symbols stay dynamic (.dynsym entries,
   * GLOB_DAT / R_X86_64_64 relocations) for the loading process's dynamic
   * linker to resolve, like `ld -shared`. dl may be NULL. */
  DL_DYNAMIC,
} DlLinkMode;

/* Links one ELF64 x86-64 relocatable object into a shared object image
 * with two PT_LOAD segments (R+X, RW). Defined global symbols are exported
 * and bound locally (like -Bsymbolic). Returns false and fills err on a
 * malformed object, an unsupported relocation or (DL_PREBIND) an
 * undefined symbol. */
bool dl_link(DlContext *dl, const void *obj, size_t size, DlLinkMode mode, DlImage *out, DlError *err);

/* Frees an image's memory. */
void dl_image_free(DlImage *img);

/* Loads an image under a fresh, never reused path, then unlinks it, and
 * registers every global symbol it defines in the table. Returns NULL and
 * fills err when dlopen fails. */
DlUnit *dl_load(DlContext *dl, const DlImage *img, DlError *err);

/* Loads a shared object file from disk (a plugin) with dlopen and registers
 * its global symbols. Returns NULL and fills err on failure. */
DlUnit *dl_load_file(DlContext *dl, const char *path, DlError *err);

/* Loads a plugin image already in memory (its bytes checked by the
 * caller) like dl_load_file: under a fresh path, RTLD_GLOBAL, its global
 * symbols registered. Loading the checked bytes themselves, not the file
 * again, leaves no window for the file to change in between. */
DlUnit *dl_load_shared(DlContext *dl, const DlImage *img, DlError *err);

/* Releases a unit that nothing refers to any more (no code, no static
 * data of it reachable): removes the symbols it registered (those not
 * redefined since) and dlcloses it, so that the process's count of loaded
 * objects, and with it glibc's per-dlopen cost, stays low. */
void dl_unload(DlContext *dl, DlUnit *u);

/* Overwrites n bytes of loaded code at addr (the toplevel's #trace
 * patching a function's entry): the pages holding them are made writable
 * and not executable for the copy, then read-only and executable again,
 * so that no page is ever writable and executable at once. Nothing may
 * run the bytes meanwhile (single-threaded: the caller is not inside
 * them). Returns false and fills err when mprotect refuses. */
bool dl_patch_code(void *addr, const void *bytes, size_t n, DlError *err);

/* The address of a symbol defined by a loaded unit, or NULL. */
void *dl_unit_symbol(DlUnit *u, const char *name);

/* Number of units currently loaded through this context. */
size_t dl_unit_count(const DlContext *dl);

/* ---- Reading a shared object image (a plugin file) ----------------------
 *
 * Before a plugin file is loaded, its bytes are read as ld.so would read
 * them, with every offset and count bounds-checked so that a damaged file
 * is refused rather than read out of bounds (plugins/plg_format.c). The
 * view points into the caller's bytes and is valid as long as they are. */

/* What dl_image_read makes of a file. */
typedef enum DlImageStatus {
  DL_IMAGE_OK,
  DL_IMAGE_FOREIGN, /* not an x86-64 ELF shared object with the tables dl_link writes */
  DL_IMAGE_DAMAGED, /* such a file, truncated or damaged */
} DlImageStatus;

/* A validated shared object image: its program headers (PT_LOAD and
 * PT_DYNAMIC entries lie inside the file, loads in address order) and its
 * dynamic symbol table (entries inside the file, names NUL-terminated
 * inside str; each st_name still needs comparing with strsz). */
typedef struct DlImageView {
  const unsigned char *data;
  size_t size;
  const Elf64_Phdr *ph;
  int nph;
  const Elf64_Sym *sym;
  uint32_t nsym;
  const char *str;
  uint64_t strsz;
} DlImageView;

/* dl_image_offset's answer when no PT_LOAD segment holds the bytes. */
#define DL_NO_OFFSET UINT64_MAX

/* Validates size bytes at data (8-byte aligned, as malloc returns them)
 * as a shared object and fills v; on failure writes why in err (for
 * messages: "not an ELF file", "segment 0 out of bounds", ...). */
DlImageStatus dl_image_read(DlImageView *v, const unsigned char *data, size_t size, DlError *err);

/* The defined dynamic symbol called name, or NULL. */
const Elf64_Sym *dl_image_symbol(const DlImageView *v, const char *name);

/* The file offset of the len bytes at address addr, when one PT_LOAD
 * segment maps them all from the file; else DL_NO_OFFSET. */
uint64_t dl_image_offset(const DlImageView *v, uint64_t addr, uint64_t len);

/* When set (to a directory), every linked image is also written there as
 * unit_N.so for inspection (the -delf debugging flag). NULL turns it off. */
void dl_set_keep_dir(DlContext *dl, const char *dir);

#endif
