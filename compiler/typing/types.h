/* types.h — the type checker's data: types, type declarations,
 * constructor/field/value descriptors and modules. Produced by the
 * typing passes (ty_*.c, env*.c), read by lowering (lower*.c), the value
 * printer (printval.c) and the toplevel.
 *
 * Invariants:
 * - A TY_VAR with a non-NULL link stands for its link; always look at
 *   types through ty_repr(). (Under -rectypes unification links other
 *   nodes too, as OCaml does, and ty_repr follows those links alike.)
 * - Generalized variables have level TY_GENERIC_LEVEL; a value's type in
 *   the environment is its type scheme (instantiate before use).
 * - Types reachable from the session environment live in the session
 *   arena (Type.session set); a phrase that binds such a (weak) variable
 *   to a phrase-arena type must copy the binding into the session arena
 *   when it commits (ty_commit in typecheck.h).
 * - Under -rectypes a variable may be linked to a type that contains it:
 *   the graph of types then has cycles (always through a variable's
 *   link). Every walk over types must terminate on them: it marks the
 *   nodes it visits (Type.mark), memoises what it builds per node, or
 *   keeps the path it is on.
 */
#ifndef NML_TYPES_H
#define NML_TYPES_H

#include <stdbool.h>

#include "ast.h"

#define TY_GENERIC_LEVEL 100000000

typedef enum TypeKind { TY_VAR, TY_ARROW, TY_TUPLE, TY_CONSTR, TY_PACKAGE, TY_VARIANT } TypeKind;

/* A polymorphic variant's row (OCaml's row_desc): its tags with their
 * fields, sorted by tag, and the row variable `more`. `more` is a TY_VAR;
 * once a unification adds tags to the row, it is linked to another
 * TY_VARIANT holding them (and its own `more`): the row is the chain, and
 * ty_row_flatten (ty_row.c) reads it whole. Rows are never changed in
 * place: only `more` and RF_EITHER fields get links. */
typedef enum RowFieldKind { RF_PRESENT, RF_EITHER, RF_ABSENT } RowFieldKind;
typedef struct RowField RowField;
struct RowField {
  RowFieldKind kind;
  RowField *link; /* RF_EITHER settled by unification: what it became
                     (OCaml's Reither reference); follow with ty_rf_repr */
  Type **args;    /* RF_PRESENT: the argument (nargs 0 or 1); RF_EITHER:
                     the conjunction of argument types (`A of a & b) */
  int nargs;
  bool constant; /* RF_EITHER: the tag may also come without argument */
  bool matched;  /* RF_EITHER: from a pattern (OCaml's third field) */
  bool session;  /* lives in the session arena */
};
typedef struct RowDesc {
  const char **tags; /* sorted by strcmp */
  RowField **fields;
  int n;
  Type *more;     /* the row variable (see above) */
  bool closed;    /* no tag but these: [< ...] or [ ... ] */
  bool fixed;     /* a private row or a rigid one: `more` stays as it is */
  TypeDecl *name; /* printed as this abbreviation (#t, or t for a
                       declared row), with name_args, or NULL */
  Type **name_args;
  int nname_args;
  const char *name_path;
} RowDesc;

struct Type {
  TypeKind kind;
  int level;          /* TY_VAR: binding level; generic = TY_GENERIC_LEVEL */
  int id;             /* unique stamp */
  unsigned mark;      /* the stamp of the last walk that visited this node
                         (ty_new_mark in typecheck.h); fills the padding */
  Type *link;         /* what it was unified with, or NULL: a variable, or
                         under -rectypes any node (ty_unify.c) */
  const char *name;   /* TY_VAR: user-written name ('a), or NULL */
  int weak_id;        /* TY_VAR: N of '_weakN once printed as weak, else 0 */
  bool session;       /* lives in the session arena */
  int birth;          /* the level it was made at, lowered when an older
                         variable takes it (OCaml's level of a node) */
  int scope;          /* the level of the GADT equation its expansion went
                         through, else 0: an older variable cannot take
                         it (the instance would be ambiguous) */
  Type *a, *b;        /* TY_ARROW: a -> b */
  ArgLabel label;     /* TY_ARROW: `l:a -> b`, `?l:a -> b` (a is then an
                       option type, printed without its `option`) */
  bool commu_unknown; /* TY_ARROW made up by an application of a function
                       of unknown type: its labels do not commute until it
                       meets a known arrow (OCaml's Cunknown commutation) */
  Type **args;        /* TY_TUPLE items; TY_CONSTR arguments; TY_PACKAGE
                         the types its constraints give */
  int nargs;
  TypeDecl *decl;   /* TY_CONSTR; TY_VAR: the private row type whose row
                       variable it is (ty_row_decl), or NULL */
  const char *path; /* TY_CONSTR: the name as printed ("int",
                           "String.t", "M.t"), as the checker found it;
                           TY_PACKAGE: the module type's */
  /* TY_PACKAGE: `(module S with type t = ...)`: the module type S (two
   * packages are the same type when their module types are the same
   * declaration) and the names of the constrained types, one per arg. */
  struct ModuleDesc *pkg;
  const char **pkg_names;
  RowDesc *row; /* TY_VARIANT */
};

/* A type constructor: predefined (int, list, option, ...) or declared. */
typedef enum TypeDeclKindT { TD_ABSTRACT, TD_VARIANT, TD_RECORD } TypeDeclKindT;
struct TypeDecl {
  const char *name; /* "t" */
  const char *path; /* how it prints: "t", "M.t", "String.t" (set when
                           the module defining it is closed) */
  int stamp;        /* unique, distinguishes redefinitions */
  int time;         /* Typer.next_type_id when declared: a weak type
                       variable older than the type cannot stand for it
                       (OCaml's scope check); 0 for predefined ones */
  Type **params;    /* the parameter variables */
  int nparams;
  TypeDeclKindT kind;
  Type *manifest;       /* abbreviation `type t = int * int`, else NULL */
  ConstrDesc **constrs; /* TD_VARIANT, in declaration order */
  int nconstrs;
  FieldDesc **fields; /* TD_RECORD, in declaration order */
  int nfields;
  bool float_record;       /* all fields float: the fields are stored unboxed,
                           in a Double_array_tag block as OCaml does */
  int builtin;             /* a TYB_* code for predefined types, else 0 */
  bool private_;           /* `type t = private ...` */
  bool nonrec;             /* declared `type nonrec t = ...` (printed so) */
  bool manifest_implied;   /* a signature's variant or record made equal to
                              the implementation's by ascription: the
                              manifest is not printed, as OCaml's
                              strengthening is not */
  unsigned char *variance; /* per parameter: VAR_CO covariant use, VAR_CONTRA
                           contravariant use, 4 invariant use; computed when
                           the declaration is typed (ty_compute_variance in
                           ty_unify.c); NULL when never computed, as for
                           predefined types (see ty_param_covariant) */
  bool variance_busy;      /* being computed (recursive types) */
  bool session;            /* lives in the session arena */
  bool path_whole;         /* path prints as it is, never shortened by
                              Typer.print_prefix (a strengthened `P.t`) */
  bool out_of_scope;       /* declared by a `let module` whose scope has
                           ended: printed expanded when it has a manifest */
  Loc loc;                 /* where it was declared */
  /* GADTs (ty_gadt.c). */
  bool local;   /* a locally abstract type (`type a`), an existential of
                   a pattern (`$C_'a`) or a type made for a variable an
                   equation needed (`$'a`): OCaml's type_is_newtype */
  int scope;    /* local: the level it was made at; a variable of a lower
                   level cannot stand for a type that mentions it */
  Type *eq;     /* the equation a GADT match put in force for this
                   abstract type (`a = int` in a branch), else NULL */
  int eq_scope; /* eq: the level of the match that made it */
};

/* TypeDecl.variance flags: how a parameter is used by the definition;
 * VAR_INJ: declared injective (`type !'a t`). */
enum { VAR_CO = 1, VAR_CONTRA = 2, VAR_INV = 4, VAR_INJ = 8 };

/* Predefined type constructors, known to the printer and lowering. */
enum {
  TYB_NONE,
  TYB_INT,
  TYB_CHAR,
  TYB_STRING,
  TYB_BYTES,
  TYB_FLOAT,
  TYB_BOOL,
  TYB_UNIT,
  TYB_EXN,
  TYB_ARRAY,
  TYB_LIST,
  TYB_OPTION,
  TYB_REF_UNUSED,
  TYB_INT32,
  TYB_INT64,
  TYB_NATIVEINT,
  TYB_FORMAT,
  TYB_LAZY,
  TYB_EXTENSIBLE,
};

/* A variant constructor or an exception constructor. Representation:
 * constant constructors are the integers 0.. in declaration order among
 * constant ones; constructors with arguments are blocks with tags 0.. in
 * declaration order among non-constant ones, holding their arguments.
 * Exceptions: see natml_runtime.h. */
struct ConstrDesc {
  const char *name;
  TypeDecl *decl; /* the variant type; NULL for exceptions */
  Type *res;      /* the constructed type (with decl params) */
  Type **args;    /* argument types */
  int nargs;
  int tag;              /* constant: integer value; else block tag */
  bool constant;        /* no arguments */
  int nconsts, nblocks; /* how many constant / non-constant constructors */
  bool is_exn;
  bool gadt; /* declared `C : args -> res`: res is its own
                           instance of the type, and variables of args
                           that res lacks are existential */
  /* Exceptions: where the constructor block lives at run time. */
  ValueDesc *exn_val;   /* the value holding the constructor block */
  const char *exn_path; /* printed name: "Not_found", "Stdlib.Exit", "M.E" */
  bool session;         /* lives in the session arena */
};

struct FieldDesc {
  const char *name;
  TypeDecl *decl; /* the record type */
  int index;      /* field position */
  bool mutable_;
  Type *ty;       /* field type (with decl params) */
  Type *res;      /* the record type (with decl params) */
  Type **univars; /* `f : 'a 'b. t`: its universal variables, generic in
                     ty like the parameters, but each use of the field has
                     its own instance of them; NULL for other fields */
  int nuniv;
  bool session; /* lives in the session arena */
};

/* How a value is reached at run time. */
typedef enum ValueKind {
  VAL_LOCAL,  /* bound in the current phrase / unit: an IR variable */
  VAL_GLOBAL, /* a slot in memory named by `symbol` (earlier phrases,
                  stdlib and plugin units) */
  VAL_PRIM,   /* an `external`: C function `prim` (or %-primitive) */
} ValueKind;

struct ValueDesc {
  const char *name;
  Type *ty; /* its type scheme */
  ValueKind kind;
  int id;             /* VAL_LOCAL: unique within the phrase */
  const char *symbol; /* VAL_GLOBAL: symbol of the slot holding it */
  const char *prim;   /* VAL_PRIM: "nml_print_string" or "%addint" */
  int prim_arity;     /* VAL_PRIM: arity from its declared type */
  Loc loc;            /* where it was bound */
  bool used;          /* for unused-variable warnings */
  bool session;       /* lives in the session arena */
  /* Set on a phrase-arena descriptor by ty_commit: its session copy (the
   * one the environment holds from then on). */
  ValueDesc *committed;
  /* A value seen through a signature (`module M : S = N`): the value it
   * is at run time, with another type; NULL otherwise. */
  ValueDesc *origin;
};

/* One component of a signature, in source order (for printing
 * `sig val x : int type t end` and for signature matching). */
typedef enum ModItemKind { MI_VALUE, MI_TYPE, MI_EXCEPTION, MI_MODULE, MI_MODTYPE } ModItemKind;
typedef struct ModItem {
  ModItemKind kind;
  const char *name;
  void *desc;      /* ValueDesc, TypeDecl, ConstrDesc (exception),
                           ModuleDesc (module, module type) */
  bool rec_next;   /* MI_TYPE, MI_MODULE: the next item continues an `and`
                      group */
  bool rec_module; /* MI_MODULE: declared by `module rec` (printed so) */
} ModItem;

/* A module (structure), a module type (signature) or a functor in the
 * environment. */
struct ModuleDesc {
  const char *name;
  const char *path; /* "List", "M.N" */
  struct Env *env;  /* its components (NULL for functors) */
  bool is_alias;    /* module L = List */
  const char *alias_of;
  bool session;   /* lives in the session arena */
  ModItem *items; /* its signature in order, shadowed items removed */
  int nitems;
  const char *sig_name;  /* printed instead of the items when the module was
                           ascribed a named module type (`module M : S`) */
  const char *body_name; /* a module type declaration whose body names
                            another (`module type T = S`): that name, which
                            the declaration prints as its body */
  /* An abstract module type (`module type A`), or a module of that type:
   * no component is known, and only a module of the same abstract type
   * matches it. */
  bool is_abstract;
  int abstract_stamp; /* which abstract module type: copies keep it */
  /* Functors: functor (param : param_type) -> result. The result's types
   * that mention param's types are substituted at application. */
  bool is_functor;
  const char *param;
  struct ModuleDesc *param_type;
  struct ModuleDesc *result;
  int stamp_lo, stamp_hi; /* type stamps created by the body: fresh per
                             application (generative) */
  /* Identity for applicative functors (ty_apppath.c): aliases share
   * it, 0 until first needed. */
  int id;
  Loc loc;         /* a signature's module: its declaration (0 elsewhere) */
  ValueDesc *fval; /* functors: the value holding the functor's closure
                           at run time (see lower_mod.c for the layout of
                           module blocks) */
};

/* Whether a signature item has a field in its module's block at run
 * time. A structure that is passed to or returned from a functor is a
 * block holding, in the order of its signature's items, its values (not
 * externals: those stay primitives), its exceptions' constructor blocks
 * and its submodules (blocks, or closures for functors). */
static inline bool mod_item_has_field(const ModItem *it) {
  switch (it->kind) {
  case MI_VALUE: return ((const ValueDesc *)it->desc)->kind != VAL_PRIM;
  case MI_EXCEPTION:
  case MI_MODULE: return true;
  default: return false;
  }
}

/* OCaml's hash_variant: the 31-bit integer a polymorphic variant tag is
 * at run time. A constant tag `A is that immediate integer; `A v is a
 * block of tag 0 and size 2 holding it and v (ty_row.c). */
long ty_hash_variant(const char *tag);

/* Follows variable links. */
Type *ty_repr(Type *t);

#endif
