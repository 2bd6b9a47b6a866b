/* value.h — the runtime representation of ML values, shared by the runtime,
 * the generated code's conventions (compiler/cg_*.c) and the value printer.
 *
 * Glossary (after OCaml's mlvalues.h):
 *   word    a 64-bit machine word.
 *   value   one word: either a tagged integer (n << 1 | 1) or a pointer to
 *           the first field of a heap block.
 *   block   a header word followed by its fields; a value points at field 0.
 *   header  the word just before field 0: wosize << 10 | color << 8 | tag.
 *   field   one word of a block (a value, or raw data for strings/floats).
 *   wosize  the number of fields of a block, not counting the header.
 *
 * Tags follow OCaml so that printing, compare and hash behave alike:
 * constructors with arguments, tuples, records and arrays use tags 0..245;
 * the rest are below. Constant constructors, unit, bool, char are integers.
 */
#ifndef NML_VALUE_H
#define NML_VALUE_H

#include <stdint.h>
#include <stddef.h>

typedef intptr_t value;
typedef uintptr_t header_t;
typedef uintptr_t mlsize_t;
typedef unsigned int tag_t;

#define Val_long(n)   ((value)(((uintptr_t)(intptr_t)(n) << 1)) + 1)
#define Long_val(v)   ((intptr_t)(v) >> 1)
#define Val_int(n)    Val_long(n)
#define Int_val(v)    ((int)Long_val(v))
#define Val_bool(b)   Val_int((b) != 0)
#define Bool_val(v)   Int_val(v)
#define Val_unit      Val_int(0)
#define Val_false     Val_int(0)
#define Val_true      Val_int(1)
#define Val_emptylist Val_int(0)
#define Val_none      Val_int(0)

#define Is_long(v)  (((v)&1) != 0)
#define Is_block(v) (((v)&1) == 0)

#define Hp_val(v)                ((header_t *)(v)-1)
#define Hd_val(v)                (*Hp_val(v))
#define Wosize_hd(h)             ((mlsize_t)((h) >> 10))
#define Tag_hd(h)                ((tag_t)((h)&0xFF))
#define Wosize_val(v)            Wosize_hd(Hd_val(v))
#define Tag_val(v)               Tag_hd(Hd_val(v))
#define Make_header(wosize, tag) (((header_t)(wosize) << 10) | (header_t)(tag))

#define Field(v, i)        (((value *)(v))[i])
#define Op_val(v)          ((value *)(v))
#define Bp_val(v)          ((char *)(v))
#define String_val(v)      ((const char *)(v))
#define Bytes_val(v)       ((unsigned char *)(v))
#define Double_val(v)      (*(double *)(v))
#define Double_field(v, i) (((double *)(v))[i])

/* Block tags, as in OCaml 4.13. */
#define No_scan_tag      251
#define Forward_tag      250
#define Infix_tag        249
#define Object_tag       248
#define Closure_tag      247
#define Lazy_tag         246
#define Abstract_tag     251
#define String_tag       252
#define Double_tag       253
#define Double_array_tag 254
#define Custom_tag       255

/* Closures: field 0 is the code pointer that takes exactly `arity`
 * arguments followed by the closure itself (the environment), field 1 is
 * the arity as a tagged integer, fields 2.. are the free variables. A
 * partial application is a closure of the same shape whose code is a
 * runtime "pap" stub; see compiler/cg_support.c. */
#define Closure_code(v)   ((void *)Field(v, 0))
#define Closure_arity(v)  Long_val(Field(v, 1))
#define Closure_env_start 2

/* The largest arity of a compiled ML function; longer parameter lists are
 * curried by the compiler. Apply helpers exist for 1..NML_MAX_ARITY. */
#define NML_MAX_ARITY 16

#endif
