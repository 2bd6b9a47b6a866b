/* rt_internal.h — declarations shared by the runtime's files and private to
 * runtime/: the start-up hooks each file provides to nml_init, the
 * prototypes of every C primitive (generated from primitives.def), and a
 * few helpers. Nothing here is part of the ABI.
 */
#ifndef NML_RT_INTERNAL_H
#define NML_RT_INTERNAL_H

#include "natml_runtime.h"

/* Prototypes of all primitives: every argument and the result a value. */
#define RT_ARGS_1            value
#define RT_ARGS_2            value, value
#define RT_ARGS_3            value, value, value
#define RT_ARGS_4            value, value, value, value
#define RT_ARGS_5            value, value, value, value, value
#define NML_PRIM(sym, arity) NML_EXPORT value sym(RT_ARGS_##arity);
#include "primitives.def"
#undef NML_PRIM

/* Start-up hooks, called once by nml_init in this order. */
void rt_gc_init(void);
void rt_exn_init(void);
void rt_stack_init(void *stack_base);

/* Makes a C global holding a value a GC root: dynamically loaded objects'
 * data (and, with GC_no_dls, the runtime's own) are not scanned otherwise. */
void rt_register_global(value *slot);

/* The young generation (minor.c) and the old generation's small-block
 * allocator it promotes into (alloc.c). */
void rt_minor_init(void);
void rt_minor_root_table(value *p, size_t n); /* precise, updated */
void rt_minor_forget_table(value *p);
void rt_minor_global(value *slot);           /* precise, updated */
void rt_minor_ambiguous(void *lo, void *hi); /* conservative, pins */
/* An old block, header written, fields not initialised. */
value rt_alloc_old(mlsize_t wosize, tag_t tag);
/* A big old tag-0 block with every field init (Array.make): as OCaml's
 * caml_make_vect, a young init is first made old, so the block needs no
 * remembering. */
value rt_alloc_old_filled(mlsize_t wosize, value init);

/* Raises Sys.Break if a SIGINT arrived and is pending; used by blocking
 * I/O that an interrupt cut short (EINTR). */
void rt_poll_break(void);

/* Formats d with a printf conversion of the form %[flags][width][.prec]c
 * into a fresh ML string (Printf's and string_of_float's building block). */
value rt_format_double(const char *fmt, double d);

/* Allocates an ML tuple/block of n fields with tag 0 from the values. */
value rt_tuple2(value a, value b);
value rt_tuple3(value a, value b, value c);

/* A growable C buffer used to build messages. */
typedef struct RtBuf {
  char *data;
  size_t len, cap;
} RtBuf;
void rt_buf_add(RtBuf *b, const char *s, size_t n);
void rt_buf_adds(RtBuf *b, const char *s);

/* Addresses of everything abi.def lists (prims.c). */
extern const void *const nml_abi_symbols[];

#endif
