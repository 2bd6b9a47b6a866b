/* ty_include.h — what signature matching (ty_include.c) hands to its
 * error messages (ty_include_msg.c): how a module type fails to match
 * another, as a tree after OCaml's Includemod.Error, linearised into
 * messages as Includemod_errorprinter does. Private to typing/. */
#ifndef NML_TY_INCLUDE_H
#define NML_TY_INCLUDE_H

#include "typecheck.h"

/* ---- Type declarations ---- */

typedef enum TmKind {
  TM_ARITY,
  TM_CONSTRAINT, /* a re-exported type's parameters are not its own */
  TM_PRIVACY,
  TM_KIND,
  TM_MANIFEST, /* nothing more is said */
  TM_VARIANCE,
  TM_CONSTR,         /* constructors c1, c2 differ: sub */
  TM_CONSTR_NAMES,   /* constructors number n have different names */
  TM_CONSTR_MISSING, /* name only present in the first (first) or second */
  TM_FIELD,          /* fields f1, f2 differ: sub */
  TM_FIELD_NAMES,
  TM_FIELD_MISSING,
  TM_FLOAT_REPR, /* only the first (first) or second uses unboxed floats */
} TmKind;

typedef enum TmSub { TMS_TYPES, TMS_ARITY, TMS_MUTABLE } TmSub;

typedef struct TypeMismatch {
  TmKind kind;
  TmSub sub;
  int n;
  bool first;
  ConstrDesc *c1, *c2;
  FieldDesc *f1, *f2;
  const char *name1, *name2;
} TypeMismatch;

/* ---- Module types ---- */

typedef struct MtyDiff MtyDiff;

/* How a module type fails to match (Includemod.Error.module_type_symptom). */
typedef enum SymKind {
  SYM_CORE,           /* abstract module types, nothing more to say */
  SYM_SIG,            /* missing or incompatible components */
  SYM_FUNCTOR_PARAMS, /* the functors' parameters differ */
  SYM_FUNCTOR_RESULT, /* the functors' results do not match */
} SymKind;

/* A functor's parameter: named (`_` for an anonymous one) or the `()` of
 * a generative functor (name NULL). */
typedef struct FParam {
  const char *name;
  ModuleDesc *mty;
} FParam;

/* One step of the edit script between two functors' parameter lists
 * (OCaml's Diffing.change): a parameter kept (it matches), changed (it
 * does not, or one functor is generative there and the other not),
 * inserted in the expected list or deleted from the implementation's. */
typedef enum ChangeKind { CH_KEEP, CH_CHANGE, CH_INSERT, CH_DELETE } ChangeKind;
typedef struct Change {
  ChangeKind kind;
  FParam *got, *expected;
  MtyDiff *mismatch; /* CH_CHANGE of two named parameters */
} Change;

/* How a module type declaration fails to match its expected one. */
typedef enum MtdKind { MTD_NOT_LESS, MTD_NOT_GREATER, MTD_INCOMPARABLE, MTD_PERMUTATION } MtdKind;

typedef struct ItemDiff {
  ModItemKind kind;
  const char *name;
  void *got, *expected;                     /* ValueDesc, TypeDecl, ConstrDesc, ModuleDesc */
  const char *got_prefix, *expected_prefix; /* their modules' paths */
  TypeMismatch tm;                          /* MI_TYPE, MI_EXCEPTION */
  MtyDiff *mty;                             /* MI_MODULE, MI_MODTYPE */
  MtdKind mtd;                              /* MI_MODTYPE */
  const char *perm1, *perm2;                /* MTD_PERMUTATION: `value "x"` */
  const char *perm_where;                   /* MTD_PERMUTATION: "N.O", or "" */
} ItemDiff;

struct MtyDiff {
  ModuleDesc *got, *expected; /* as shown (got strengthened) */
  SymKind sym;
  ModItem **missing; /* SYM_SIG: expected components not provided */
  int nmissing;
  ItemDiff *item;  /* SYM_SIG: the first incompatible one */
  Change *changes; /* SYM_FUNCTOR_PARAMS: the edit script */
  int nchanges;
  MtyDiff *result; /* SYM_FUNCTOR_RESULT */
};

/* A manifest as the comparison sees it: the one a signature implied for
 * a re-exported variant is not the declaration's own. */
static inline Type *ty_incl_own_manifest(TypeDecl *d) { return d->manifest_implied ? NULL : d->manifest; }

/* The path a module's own types print under ("M" for M.t), or NULL. */
static inline const char *ty_incl_prefix(ModuleDesc *md) {
  return md && md->path && *md->path ? md->path : NULL;
}

/* The path a module argument is known by (strengthening its types), or NULL. */
static inline const char *ty_incl_arg_path(FParam *a) {
  return a->mty->is_alias && a->mty->alias_of ? a->mty->alias_of : NULL;
}

static inline const char *ty_incl_kind_word(ModItemKind k) {
  switch (k) {
  case MI_VALUE: return "value";
  case MI_TYPE: return "type";
  case MI_EXCEPTION: return "exception";
  case MI_MODULE: return "module";
  case MI_MODTYPE: return "module type";
  }
  return "";
}

/* md as a module known by path shows it (Mtype.strengthen). */
ModuleDesc *ty_incl_strengthen(Typer *T, ModuleDesc *md, const char *path);
/* A module type declaration's body, shown as a signature or as the name
 * it gives. */
ModuleDesc *ty_incl_modtype_body(Typer *T, ModuleDesc *md);

/* ty_conflict.c: the names a message shows (see also ty_conflict_type in
 * typecheck.h). Lays out an error message twice: a first pass finds the
 * names to disambiguate, the second prints. */
const char *ty_conflict_layout(Typer *T, TyMsgFn fn, void *arg);
/* The components of got, matched against expected, are being explained:
 * the naming starts afresh with got's components in scope. */
void ty_conflict_enter_level(Typer *T, ModuleDesc *got, ModuleDesc *expected);
void ty_conflict_leave_level(Typer *T);
/* Prints the hint about names disambiguated so far, once. */
void ty_conflict_hints(Typer *T, Fmt *f);
/* Whether a module type symptom with nothing more to say explains the
 * conflicts (there were some when OCaml built it); asked once per
 * symptom, in printing order. */
bool ty_conflict_core_hint(Typer *T);

/* ty_include_msg.c: the messages; each reports at loc and unwinds.
 * A signature mismatch ("Signature mismatch:", or for a functor's
 * argument the single "Modules do not match"). */
__attribute__((noreturn)) void ty_incl_report(Typer *T, Loc loc, MtyDiff *d, bool functor_arg);
/* A functor application: the edit script from its arguments to its
 * parameters (trailing insertions dropped). */
__attribute__((noreturn)) void ty_incl_report_apply(Typer *T, Loc loc, Change *script, int n);
/* A re-exported variant or record that differs from type ty's (d NULL
 * when ty is no type constructor). */
__attribute__((noreturn)) void ty_incl_report_reexport(Typer *T, Loc loc, Type *ty, ItemDiff *d);
/* A with constraint whose new definition of lid is not included in the
 * declaration it constrains. */
__attribute__((noreturn)) void ty_incl_report_with(Typer *T, Loc loc, const char *lid, ItemDiff *d);

#endif
