/* natml.h — natml's plugin format and its embedding API, the public
 * interface of plugins/ (library natml_plugins, which links no LLVM).
 *
 * A plugin is an ordinary ELF shared object written by `natmlc -shared`
 * (dynlink's own linker in DL_DYNAMIC mode: runtime and stdlib symbols stay
 * dynamic and are resolved by the process that loads it). It holds one or
 * more units (a.ml becomes unit A) and one read-only symbol,
 * nml_plugin_descriptor, that says what it holds. The descriptor is plain
 * bytes, little-endian, with no relocations, so that it can be read and
 * checked in the file before anything is mapped:
 *
 *   offset  size  field
 *        0     8  magic "NMLPLUG\0"
 *        8     4  plugin ABI version (NATML_PLUGIN_ABI)
 *       12     4  total size of the descriptor in bytes
 *       16    16  checksum: FNV-1a-128 over the whole file, these 16 bytes
 *                 counted as zero
 *       32     4  number of units U
 *       36     4  number of imports I
 *       40        U units:   str name, 16-byte interface digest,
 *                            str entry symbol, str source (the unit's
 *                            serialized interface: its text, which the
 *                            loader re-types and checks against the
 *                            digest), u32 V, V × (str value name,
 *                            str slot symbol)
 *                 I imports: str unit name, 16-byte interface digest
 *   where str is a u32 length, the bytes and a NUL.
 *
 * An interface digest is FNV-1a-128 over the canonical text of the unit's
 * signature (compiler/iface.c). Imports are the interfaces the plugin was
 * compiled against: every stdlib unit and the units of the plugins named
 * on natmlc's command line. A loader refuses a plugin whose imports are
 * not loaded with exactly those digests.
 *
 * Checks happen on the file's bytes in memory, before dlopen sees them
 * (dlopen of a damaged file can crash the process): the ELF structure is
 * walked with every offset bounds-checked, the descriptor found through
 * the dynamic symbol table, its magic and version compared, and the
 * whole-file checksum verified, so that a truncated or bit-flipped plugin
 * is refused. The very bytes that were checked are then loaded.
 *
 * Value slots: each unit stores the values it binds in words of the
 * plugin's writable segment. The collector does not scan loaded objects
 * (see natml_runtime.h), so a loader registers the plugin's writable
 * segments as roots before it runs the units' entries.
 */
#ifndef NATML_H
#define NATML_H

#include <stdbool.h>
#include <stddef.h>

#include "value.h"

#define NATML_EXPORT __attribute__((visibility("default")))

/* ---- The plugin format ------------------------------------------------- */

#define NATML_PLUGIN_MAGIC "NMLPLUG"
/* 2: generated code bump-allocates in the nursery and calls the write
 * barrier (runtime/minor.c). */
#define NATML_PLUGIN_ABI    2u
#define NATML_PLUGIN_SYMBOL "nml_plugin_descriptor"
#define NATML_DIGEST_SIZE   16
/* Bytes before the first unit record; the checksum sits at offset 16. */
#define NATML_DESC_HEADER       40u
#define NATML_DESC_CHECKSUM_OFF 16u

/* A value a unit binds at its top level and the symbol of its slot. */
typedef struct NatmlPluginValue {
  const char *name;
  const char *symbol;
} NatmlPluginValue;

/* One unit of a plugin. Strings are NUL-terminated; source_len excludes
 * the NUL. */
typedef struct NatmlPluginUnit {
  const char *name;
  unsigned char digest[NATML_DIGEST_SIZE];
  const char *entry;
  const char *source;
  size_t source_len;
  int nvalues;
  NatmlPluginValue *values;
} NatmlPluginUnit;

/* An interface the plugin was compiled against. */
typedef struct NatmlPluginImport {
  const char *name;
  unsigned char digest[NATML_DIGEST_SIZE];
} NatmlPluginImport;

/* What a checked plugin file holds. Filled by natml_plugin_check (which
 * allocates; free with natml_plugin_info_free) or by natmlc before it
 * encodes a descriptor (then owned by natmlc). */
typedef struct NatmlPluginInfo {
  unsigned abi;
  int nunits;
  NatmlPluginUnit *units;
  int nimports;
  NatmlPluginImport *imports;
  /* Set by natml_plugin_check: the descriptor's address in the file's
   * address space (its st_value), and the writable PT_LOAD segments
   * (address and size in memory, relative to the load base), which a
   * loader registers as GC roots. */
  size_t desc_vaddr;
  int nrw;
  size_t rw_addr[4], rw_size[4];
  unsigned char *owned; /* the decoded descriptor's copy, or NULL */
} NatmlPluginInfo;

/* Why a file was refused. */
typedef enum NatmlCheck {
  NATML_CHECK_OK,
  NATML_CHECK_NOT_PLUGIN, /* not ELF, or an ELF file with no descriptor */
  NATML_CHECK_CORRUPT,    /* truncated, damaged, or checksum mismatch */
  NATML_CHECK_ABI,        /* a plugin for another ABI version */
} NatmlCheck;

/* Computes the 16-byte FNV-1a-128 digest of n bytes. */
NATML_EXPORT void natml_digest(const void *data, size_t n, unsigned char out[NATML_DIGEST_SIZE]);

/* Writes a digest as 32 lowercase hex digits and a NUL into out. */
NATML_EXPORT void natml_digest_hex(const unsigned char d[NATML_DIGEST_SIZE], char out[33]);

/* Reads a whole file into memory (malloc'd, freed by the caller). Returns
 * NULL, with errno set, when it cannot be opened or read. */
NATML_EXPORT unsigned char *natml_read_file(const char *path, size_t *size);

/* Checks the bytes of a plugin file as described at the top of this file
 * and decodes its descriptor into info. On success, info's strings point
 * into a private copy of the descriptor, so data may be freed. On failure
 * it writes OCaml-style text naming the file as `name` into err (errsz
 * bytes, may be 0) and returns the reason; info is then empty. data
 * must be 8-byte aligned (as malloc returns it). */
NATML_EXPORT NatmlCheck natml_plugin_check(const char *name, const unsigned char *data, size_t size,
                                           NatmlPluginInfo *info, char *err, size_t errsz);

/* Registers a loaded plugin's writable segments (its value slots) as GC
 * roots; descriptor is the address at which its nml_plugin_descriptor
 * was loaded. Call it before running the plugin's entries. */
NATML_EXPORT void natml_plugin_register_roots(const NatmlPluginInfo *info, const void *descriptor);

/* Frees what natml_plugin_check allocated in info. */
NATML_EXPORT void natml_plugin_info_free(NatmlPluginInfo *info);

/* Encodes info's units and imports as descriptor bytes (checksum zero);
 * returns a malloc'd buffer of *size bytes, a multiple of 8. */
NATML_EXPORT unsigned char *natml_plugin_encode(const NatmlPluginInfo *info, size_t *size);

/* Writes the checksum into the descriptor of a freshly linked plugin
 * image. Returns false (with a message in err) if the image has no
 * well-formed descriptor. */
NATML_EXPORT bool natml_plugin_seal(unsigned char *image, size_t size, char *err, size_t errsz);

/* ---- Acceptance: the rules every natml loader applies -------------------
 *
 * After natml_plugin_check, a loader compares the plugin with what it has
 * loaded: its units must be new (unless a reload may replace them), and
 * every interface it imports must be loaded, initialised, not reloaded,
 * and have the digest the plugin was compiled against. The toplevel's
 * #load and natml_load both ask plg_accept, so both refuse the same
 * plugins with the same words. These plg_ declarations serve natml's own
 * loaders and are not exported to dlopen'd code. */

/* What a loader knows about the unit of a given name. */
typedef struct PlgLoadedUnit {
  bool loaded;      /* a unit of this name is loaded and found by name */
  bool replaceable; /* a plugin's unit, which natml_load's reload may replace */
  bool reloaded;    /* it replaced an earlier unit of its name */
  bool failed;      /* a unit of this name was loaded and its initialisation raised */
  const char *file; /* the file it came from, as messages name it */
  bool has_digest;  /* digest is known (else no plugin can agree with it) */
  unsigned char digest[NATML_DIGEST_SIZE];
} PlgLoadedUnit;

/* Fills *out (zeroed by the caller) for the unit called name; env is the
 * loader's own state. */
typedef void PlgLookup(void *env, const char *name, PlgLoadedUnit *out);

/* Why plg_accept refused a plugin. */
typedef enum PlgRefusalKind {
  PLG_ACCEPTED,
  PLG_REFUSED_LOADED,          /* one of its units is loaded already */
  PLG_REFUSED_FAILED_IMPORT,   /* it uses a unit whose initialisation raised */
  PLG_REFUSED_UNDEFINED,       /* it uses a unit that is not loaded */
  PLG_REFUSED_RELOADED_IMPORT, /* it uses a unit that a reload replaced */
  PLG_REFUSED_DISAGREE,        /* it was compiled against another interface */
} PlgRefusalKind;

/* A refusal: its kind, the unit concerned (a string of the plugin's
 * info), for PLG_REFUSED_DISAGREE the file the loaded unit came from, and
 * the message as OCaml words it, on one line without a newline. A
 * printer with a pretty-printer may lay out PLG_REFUSED_DISAGREE as
 * OCaml's Topdirs does from unit and other. */
typedef struct PlgRefusal {
  PlgRefusalKind kind;
  const char *unit;
  char other[256];
  char text[768];
} PlgRefusal;

/* Checks the plugin at path, described by info, against the units that
 * lookup reports, in order: each of its units (refused when loaded,
 * unless reload and replaceable), then each import (failed, not loaded,
 * reloaded, digest). Returns true, or false with the first refusal in
 * *why. */
bool plg_accept(const char *path, const NatmlPluginInfo *info, bool reload, PlgLookup *lookup, void *env,
                PlgRefusal *why);

/* ---- Embedding: a C program that loads plugins --------------------------
 *
 * A host links natml_plugins, natml_stdlib and natml_runtime (whole, and
 * exporting their symbols: -rdynamic, as CMake's ENABLE_EXPORTS does),
 * since plugins bind to the runtime's and the stdlib's symbols by name.
 * It needs no LLVM. One thread; one set of loaded plugins per process. */

/* A plugin loaded by natml_load. */
typedef struct NatmlPlugin NatmlPlugin;

/* Starts the runtime (stack_base: the address of a local in main) and
 * runs the standard library's initialisation. Call it once, before the
 * other functions. Returns false with a message in err on failure. */
NATML_EXPORT bool natml_start(void *stack_base, char *err, size_t errsz);

/* Loads the plugin at path: checks the file (structure, descriptor,
 * checksum, ABI version), checks that every interface it imports is
 * loaded with the digest it was compiled against, and that none of its
 * units is loaded already, then maps the checked bytes under a fresh
 * name, registers its value slots with the collector and runs its units'
 * entries in order. A plugin may use the units of plugins loaded before
 * it. With reload, units that are already loaded are replaced instead
 * of refused (hot reload): later lookups find the new values, while
 * plugins loaded earlier keep using the old code. A reloaded unit cannot
 * be used by plugins loaded after it (they would bind, through the
 * process's global symbol scope, to the first version's slots): such a
 * plugin is refused. Returns NULL with an OCaml-style message in err when
 * anything fails; nothing is then loaded, and nothing has run unless a
 * unit's initialisation raised (the message then names the exception). */
NATML_EXPORT NatmlPlugin *natml_load(const char *path, bool reload, char *err, size_t errsz);

/* Finds the value bound to "Unit.name" by the most recently loaded
 * plugin that defines Unit and returns the address of its slot (read it
 * afresh after each call into ML code), or NULL when there is none. */
NATML_EXPORT value *natml_lookup(const char *qualified_name);

/* Applies the closure f to nargs (1 to 4) arguments through the runtime's
 * nml_callbackN, inside a trap frame. Returns true with the result in
 * *result, or false with the exception raised in *exn (Val_unit when f
 * is not a closure or nargs is out of range). */
NATML_EXPORT bool natml_call(value f, int nargs, const value *args, value *result, value *exn);

/* The number of units the plugin holds and the name of unit i. */
NATML_EXPORT int natml_plugin_units(const NatmlPlugin *p);
NATML_EXPORT const char *natml_plugin_unit_name(const NatmlPlugin *p, int i);

#endif
