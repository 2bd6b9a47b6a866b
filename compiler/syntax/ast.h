/* ast.h — the abstract syntax tree produced by parse.c and annotated in
 * place by the type checker (ty_typer.c): every Expr and Pattern gets its
 * Type, every identifier its resolved ValueDesc, every constructor and
 * field its descriptor. Lowering (lower.c) reads the annotated tree.
 *
 * Sugar is removed by the parser where OCaml removes it: `[a; b]` and
 * `a :: b` are constructor applications of "::" and "[]"; `a.(i)` is
 * `Array.get a i`, `a.(i) <- v` is `Array.set a i v`, `s.[i]` is
 * `String.get s i`; `-e` is `~- e` and `-.e` is `~-. e` (negative literals
 * stay literals); `!r` and `r := v` are applications of `!` and `:=`;
 * infix operators are applications of their identifier (`( + ) a b`).
 * `fun a b -> e` keeps its parameter list (EXP_FUN) so that lowering can
 * build one function of arity 2.
 */
#ifndef NML_AST_H
#define NML_AST_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "loc.h"

typedef struct Type Type;             /* types.h */
typedef struct ValueDesc ValueDesc;   /* types.h */
typedef struct ConstrDesc ConstrDesc; /* types.h */
typedef struct FieldDesc FieldDesc;   /* types.h */
typedef struct TypeDecl TypeDecl;     /* types.h */
typedef struct ModuleDesc ModuleDesc; /* types.h */

/* A possibly qualified name: `x`, `List.map`, `M.N.t`. */
typedef struct PathApp PathApp;
typedef struct Path {
  const char **mods; /* module components, outermost first */
  int nmods;
  const char *name; /* last component */
  Loc loc;
  /* A type path through functor applications (`F(X).t`, OCaml's
   * mod_ext_longident): apps[i] lists the arguments applied to the
   * module mods[0..i] names, in order; apps is NULL when there is none. */
  PathApp **apps;
} Path;

struct PathApp {
  Path arg; /* a module path (every component in mods, name NULL) */
  PathApp *next;
};

/* ---- Constants ---------------------------------------------------------- */

typedef enum ConstKind { CONST_INT, CONST_CHAR, CONST_STRING, CONST_FLOAT } ConstKind;
typedef struct Const {
  ConstKind kind;
  int64_t i;     /* CONST_INT value (wrapped to 63 bits), CONST_CHAR code */
  double f;      /* CONST_FLOAT */
  const char *s; /* CONST_STRING bytes (may contain NULs), CONST_FLOAT text */
  int slen;      /* CONST_STRING length */
} Const;

/* Whether two constants are the same literal value (patterns). */
static inline bool ast_const_equal(const Const *a, const Const *b) {
  if (a->kind != b->kind) return false;
  switch (a->kind) {
  case CONST_INT:
  case CONST_CHAR: return a->i == b->i;
  case CONST_FLOAT: return a->f == b->f;
  case CONST_STRING: return a->slen == b->slen && memcmp(a->s, b->s, (size_t)a->slen) == 0;
  }
  return false;
}

/* ---- Labels -------------------------------------------------------------- */

/* The label of a function's parameter, of an argument and of an arrow
 * type (OCaml's arg_label): none, `~name` or `?name`. */
typedef enum LabelKind { LBL_NONE, LBL_LABELLED, LBL_OPTIONAL } LabelKind;
typedef struct ArgLabel {
  LabelKind kind;
  const char *name; /* NULL for LBL_NONE */
} ArgLabel;

/* Labels are the same when they have the same kind and name. */
static inline bool ast_label_equal(ArgLabel a, ArgLabel b) {
  return a.kind == b.kind && (a.kind == LBL_NONE || strcmp(a.name, b.name) == 0);
}

/* Labels have the same name (OCaml's label_name: "" for none). */
static inline bool ast_label_same_name(ArgLabel a, ArgLabel b) {
  if (a.kind == LBL_NONE || b.kind == LBL_NONE) return a.kind == b.kind;
  return strcmp(a.name, b.name) == 0;
}

/* ---- Type expressions (annotations, declarations) ------------------------ */

typedef enum TyExprKind {
  TE_VAR,
  TE_ANY,
  TE_ARROW,
  TE_TUPLE,
  TE_CONSTR,
  TE_PACKAGE,
  TE_ALIAS,
  TE_POLY,
  TE_VARIANT
} TyExprKind;
typedef struct TyExpr TyExpr;

/* One field of a polymorphic variant type: `A, `A of t, `A of & t1 & t2,
 * or a type whose tags it inherits (tag NULL). */
typedef struct TyRowField {
  const char *tag; /* without the backquote; NULL for an inherited type */
  TyExpr **args;   /* the conjuncts of `of a & b` */
  int nargs;
  bool amp;        /* `of & t`: the tag may also come without argument */
  TyExpr *inherit; /* tag NULL: the type inherited */
  Loc loc;
} TyRowField;

/* TE_VARIANT's kinds: [ ... ] exact, [> ... ] open, [< ... ] (with
 * `> tags` the ones that must be present). */
typedef enum RowKindAst { ROW_EXACT, ROW_OPEN, ROW_CLOSED } RowKindAst;
struct TyExpr {
  TyExprKind kind;
  Loc loc;
  const char *var; /* TE_VAR, TE_ALIAS: name without the quote */
  TyExpr *a, *b;   /* TE_ARROW: a -> b; TE_ALIAS: a as 'var; TE_POLY: the
                      type under `'a 'b.` */
  ArgLabel label;  /* TE_ARROW: `l:a -> b`, `?l:a -> b` (a as written:
                      the typer makes the argument `a option`) */
  TyExpr **items;  /* TE_TUPLE items; TE_CONSTR arguments; TE_PACKAGE
                      the types of its constraints */
  int nitems;
  Path path;              /* TE_CONSTR; TE_PACKAGE: the module type */
  const char **pkg_names; /* TE_PACKAGE: `with type t = ...` names ("t",
                             "M.t"), one per item */
  const char **poly_vars; /* TE_POLY: the universal variables `'a 'b.` */
  int npoly;
  TyRowField *rfields; /* TE_VARIANT */
  int nrfields;
  RowKindAst row_kind;  /* TE_VARIANT */
  const char **present; /* TE_VARIANT ROW_CLOSED: the tags after `>` */
  int npresent;
};

/* ---- Patterns ------------------------------------------------------------ */

typedef enum PatKind {
  PAT_ANY,        /* _ */
  PAT_VAR,        /* x */
  PAT_ALIAS,      /* p as x */
  PAT_CONST,      /* 1, 'a', "s", 1.5 */
  PAT_RANGE,      /* 'a'..'z' */
  PAT_TUPLE,      /* p1, p2 */
  PAT_CONSTRUCT,  /* C, C p, C (p1, p2), [], p :: q */
  PAT_RECORD,     /* { f = p; g; _ } */
  PAT_ARRAY,      /* [| p1; p2 |] */
  PAT_OR,         /* p | q */
  PAT_CONSTRAINT, /* (p : t) */
  PAT_EXCEPTION,  /* exception p (in match cases) */
  PAT_VARIANT,    /* `A, `A p: the tag in name, the argument in arg */
  PAT_TYPE,       /* #t: the tags of type t as an or-pattern (constr); the
                     typer makes it that or-pattern in place */
  PAT_UNPACK,     /* (module M : S): name M, tyexpr the package type or
                     NULL; the parser turns one that is a whole function
                     parameter or case pattern into a variable and a
                     `let module M = (val v)` around the body */
  PAT_OPEN,       /* M.(p), M.[…], M.[|…|], M.{…}: p (arg) with M opened
                     (module path in constr); the typer replaces the node
                     by p, typed */
} PatKind;

typedef struct Pattern Pattern;
typedef struct PatField {
  Path field;
  Pattern *pat;
  FieldDesc *desc; /* set by the typer */
} PatField;

struct Pattern {
  PatKind kind;
  Loc loc;
  const char *name; /* PAT_VAR, PAT_ALIAS */
  Loc name_loc;
  Const cst, cst2; /* PAT_CONST; PAT_RANGE from cst to cst2 */
  Pattern **items; /* PAT_TUPLE, PAT_ARRAY; PAT_CONSTRUCT arguments */
  int nitems;
  Path constr;      /* PAT_CONSTRUCT */
  Pattern *arg;     /* PAT_CONSTRUCT argument as written (one pattern,
                           a tuple for C (a, b)); PAT_ALIAS, PAT_CONSTRAINT,
                           PAT_EXCEPTION inner; PAT_OR left */
  Pattern *arg2;    /* PAT_OR right */
  PatField *fields; /* PAT_RECORD */
  int nfields;
  bool open;             /* PAT_RECORD ends with `; _` */
  TyExpr *tyexpr;        /* PAT_CONSTRAINT */
  const char **newtypes; /* PAT_CONSTRUCT `C (type a b) p`: names for the
                            constructor's existential types */
  int nnewtypes;
  /* Typer annotations. */
  Type *ty;
  ValueDesc *var;    /* PAT_VAR, PAT_ALIAS: the variable bound */
  ConstrDesc *cdesc; /* PAT_CONSTRUCT */
  Type *row_ty;      /* PAT_VARIANT: the variant type node of its row;
                        PAT_OR made of #t: the row of #t */
};

/* ---- Expressions --------------------------------------------------------- */

typedef enum ExprKind {
  EXP_CONST,       /* literal */
  EXP_IDENT,       /* x, List.map, ( + ) */
  EXP_CONSTRUCT,   /* C, C e, [], e :: f, true, false, () */
  EXP_APPLY,       /* f a b */
  EXP_FUN,         /* fun p1 p2 -> e */
  EXP_FUNCTION,    /* function cases */
  EXP_LET,         /* let [rec] bindings in body */
  EXP_MATCH,       /* match e with cases */
  EXP_TRY,         /* try e with cases */
  EXP_TUPLE,       /* a, b */
  EXP_IF,          /* if c then a [else b] */
  EXP_SEQ,         /* a; b */
  EXP_WHILE,       /* while c do body done */
  EXP_FOR,         /* for i = a to|downto b do body done */
  EXP_RECORD,      /* { f = e; ... } or { e with f = e; ... } */
  EXP_FIELD,       /* e.f */
  EXP_SETFIELD,    /* e.f <- v */
  EXP_ARRAY,       /* [| a; b |] */
  EXP_CONSTRAINT,  /* (e : t) */
  EXP_ASSERT,      /* assert e */
  EXP_UNREACHABLE, /* `p -> .`: a refutation case's body */
  EXP_LETOPEN,     /* let open M in e, M.(e) */
  EXP_LETEXN,      /* let exception E in e */
  EXP_LETMODULE,   /* let module M = me in e (added by the parser: name in
                     var, module expression in mexpr, body in a) */
  EXP_NEWTYPE,     /* fun (type t) -> e: a locally abstract type, its name
                     in var, the body in a */
  EXP_VARIANT,     /* `A, `A e: the tag in var, the argument in a */
  EXP_COERCE,      /* (e :> t), (e : t0 :> t): e in a, t in tyexpr, t0 in
                     tyexpr2 (or NULL) */
  EXP_PACK,        /* (module me : S): the module in mexpr, the package
                     type in tyexpr (or NULL); typed, mod is the signature
                     the module is packed as */
} ExprKind;

typedef struct Expr Expr;
typedef struct Case {
  Pattern *pat;
  Expr *guard; /* `when` guard or NULL */
  Expr *body;
} Case;

typedef struct Binding {
  Pattern *pat; /* `let f x y = e` is bound as pat=f, expr=fun x y -> e */
  Expr *expr;
  Loc loc; /* the whole binding */
} Binding;

typedef struct FieldExpr {
  Path field;
  Expr *expr;
  FieldDesc *desc; /* set by the typer */
} FieldExpr;

struct Expr {
  ExprKind kind;
  Loc loc;
  Const cst;       /* EXP_CONST */
  Path path;       /* EXP_IDENT, EXP_CONSTRUCT, EXP_FIELD/SETFIELD
                              field, EXP_LETOPEN module */
  Expr *a, *b, *c; /* sub-expressions: APPLY fn=a; FUN body=a;
                              LET body=a; MATCH/TRY scrutinee=a; IF a b c;
                              SEQ a b; WHILE a b; FOR lo=a hi=b body=c;
                              FIELD a; SETFIELD a.f <- b; CONSTRAINT a;
                              ASSERT a; RECORD with-base a (or NULL);
                              CONSTRUCT argument a (or NULL);
                              LETOPEN a; LETEXN a */
  Expr **args;     /* APPLY arguments; TUPLE and ARRAY items */
  int nargs;
  Pattern **params; /* FUN parameters */
  int nparams;
  ArgLabel *labels; /* FUN: each parameter's label; APPLY: each argument's
                       as written, then (typed) each parameter's, args in
                       the function's parameter order with NULL for an
                       omitted one; NULL when none is labelled */
  Expr **defaults;  /* FUN: the default of each `?(p = e)` parameter (or
                       NULL); the parameter pattern is then p, matched
                       against the unwrapped value */
  Case *cases;      /* FUNCTION, MATCH, TRY */
  int ncases;
  Binding *binds; /* LET */
  int nbinds;
  bool rec;          /* LET: let rec */
  bool downto;       /* FOR */
  const char *var;   /* FOR loop variable (NULL for `_`) */
  FieldExpr *fields; /* RECORD */
  int nfields;
  TyExpr *tyexpr;        /* CONSTRAINT, COERCE */
  TyExpr *tyexpr2;       /* COERCE: the source type, or NULL */
  struct ExnDecl *exn;   /* LETEXN */
  struct ModExpr *mexpr; /* LETMODULE: the module bound to var */
  /* Typer annotations. */
  Type *ty;
  ValueDesc *val;    /* IDENT: resolved value; FOR: loop variable */
  ConstrDesc *cdesc; /* CONSTRUCT; LETEXN: the exception */
  FieldDesc *fdesc;  /* FIELD, SETFIELD */
  ModuleDesc *mod;   /* LETOPEN */
};

/* ---- Declarations -------------------------------------------------------- */

typedef struct ConstrDecl {
  const char *name;
  Loc loc;
  TyExpr **args; /* `C of a * b` has two arguments */
  int nargs;
  TyExpr *ret; /* `C : args -> ret`: the GADT result type, else NULL */
} ConstrDecl;

typedef struct FieldDecl {
  const char *name;
  Loc loc;
  bool mutable_;
  TyExpr *ty;
} FieldDecl;

typedef enum TypeDeclKind { TDK_ABSTRACT, TDK_VARIANT, TDK_RECORD } TypeDeclKind;
typedef struct TypeDeclAst {
  const char *name;
  Loc loc;
  const char **params; /* 'a 'b without the quote */
  Loc *param_locs;
  int nparams;
  const char *variances; /* per parameter: '+', '-' or ' ' as annotated
                            (`type +'a t`), 'p', 'm' or '!' when injective
                            too (`+!`, `-!`, `!`); NULL when none is */
  TyExpr *manifest;      /* `type t = int`, or `type t = M.t = A | B`; NULL */
  TypeDeclKind kind;
  ConstrDecl *constrs;
  int nconstrs;
  FieldDecl *fields;
  int nfields;
  bool private_;
  bool destructive; /* `with type t := u`: t removed, replaced by u */
  bool nonrec;      /* type nonrec t = …: t is not in scope in its group */
  /* `constraint ty1 = ty2` clauses: cstrs[2i] = cstrs[2i+1], written at
   * cstr_locs[i] (from ty1 to the end of ty2). */
  TyExpr **cstrs;
  Loc *cstr_locs;
  int ncstrs;
  /* `with module M = N` (or := N): a with constraint on a module, the
   * constrained path in name, N in with_target. */
  bool with_module;
  Path with_target;
  /* `with module type P = mty` (or := mty); also a signature's local
   * `module type P := mty`: the module type in with_mty. */
  bool with_modtype;
  struct ModType *with_mty;
} TypeDeclAst;

typedef struct ExnDecl {
  const char *name;
  Loc loc;
  TyExpr **args;
  int nargs;
  Path rebind; /* exception E = F (rebind.name NULL otherwise) */
} ExnDecl;

/* ---- Module language ----------------------------------------------------- */

typedef struct ModExpr ModExpr;
typedef struct ModType ModType;
/* The kinds of a directive's argument, as OCaml's grammar has them. */
typedef enum DirArgKind { DIR_ARG_NONE, DIR_ARG_STRING, DIR_ARG_INT, DIR_ARG_IDENT, DIR_ARG_BOOL } DirArgKind;

typedef struct Item Item;
typedef struct SigItem SigItem;

typedef enum ModExprKind {
  MOD_STRUCT,
  MOD_IDENT,
  MOD_APPLY,
  MOD_FUNCTOR,
  MOD_CONSTRAINT,
  MOD_UNPACK
} ModExprKind;
struct ModExpr {
  ModExprKind kind;
  Loc loc;
  Item **items;
  int nitems;        /* MOD_STRUCT */
  Path path;         /* MOD_IDENT (whole path in mods+name) */
  ModExpr *fn, *arg; /* MOD_APPLY; MOD_CONSTRAINT fn=inner */
  const char *param;
  ModType *param_type;
  ModExpr *body;         /* MOD_FUNCTOR */
  ModType *mty;          /* MOD_CONSTRAINT */
  struct Expr *unpacked; /* MOD_UNPACK: (val e : S), e */
  TyExpr *pkg_type;      /* MOD_UNPACK: S as a package type, or NULL */
  ModuleDesc *md;        /* typer annotation: what it denotes */
};

typedef enum ModTypeKind { MTY_SIG, MTY_IDENT, MTY_FUNCTOR, MTY_WITH, MTY_TYPEOF } ModTypeKind;
struct ModType {
  ModTypeKind kind;
  Loc loc;
  SigItem **items;
  int nitems; /* MTY_SIG */
  Path path;  /* MTY_IDENT */
  const char *param;
  ModType *param_type, *body; /* MTY_FUNCTOR */
  ModType *base;              /* MTY_WITH: base with type ... */
  ModExpr *typeof_expr;       /* MTY_TYPEOF: module type of typeof_expr */
  TypeDeclAst *with_types;
  int nwith;
};

typedef enum SigItemKind {
  SIG_VALUE,
  SIG_TYPE,
  SIG_EXCEPTION,
  SIG_MODULE,
  SIG_MODTYPE,
  SIG_OPEN,
  SIG_INCLUDE,
  SIG_RECMODULE
} SigItemKind;
/* One binding of `module rec M : S = me and …` (or, in a signature,
 * `module rec M : S and …`): name, the declared type, the body (NULL in
 * a signature), and what the typer finds (ty_recmod.c) for lowering. */
typedef struct RecModule {
  const char *name;
  Loc loc;                       /* the binding, from its name */
  ModType *mty;                  /* S */
  ModExpr *mexpr;                /* me, without the constraint */
  struct ModuleDesc *md;         /* typer: the module, seen through S */
  struct ValueDesc **rec_vals;   /* typer: what the bodies use for S's
                                  run-time components (values, exceptions'
                                  blocks, functors) before they exist */
  struct ValueDesc **impl_vals;  /* typer: the components me defines, one
                                   per rec_vals */
  struct ValueDesc **final_vals; /* typer: per component, NULL, or the
                                    variable the module holds it in when me
                                    only names it (`= M`): bound once the
                                    group is made */
  int nvals;
  bool safe; /* typer: only functions: made first as stubs (OCaml's
                CamlinternalMod.init_mod), filled in after */
} RecModule;

struct SigItem {
  SigItemKind kind;
  Loc loc;
  const char *name;
  Loc name_loc; /* SIG_MODULE: where the name is */
  TyExpr *ty;   /* SIG_VALUE */
  const char **prims;
  int nprims; /* SIG_VALUE declared `external` */
  TypeDeclAst *types;
  int ntypes;   /* SIG_TYPE */
  ExnDecl *exn; /* SIG_EXCEPTION */
  ModType *mty; /* SIG_MODULE, SIG_MODTYPE, SIG_INCLUDE */
  Path path;    /* SIG_OPEN; SIG_MODULE alias (`module N = M`) */
  bool alias;   /* SIG_MODULE: `module N = M` */
  bool subst;   /* `module type P := mty`, `module N := P` (path in
                   path, every component in mods): local substitutions */
  RecModule *recs;
  int nrecs; /* SIG_RECMODULE */
};

/* ---- Structure items and toplevel phrases -------------------------------- */

typedef enum ItemKind {
  ITEM_VALUE,     /* let [rec] bindings */
  ITEM_EVAL,      /* an expression phrase */
  ITEM_TYPE,      /* type t = ... and u = ... */
  ITEM_EXCEPTION, /* exception E [of t] */
  ITEM_EXTERNAL,  /* external f : t = "prim" */
  ITEM_OPEN,      /* open M */
  ITEM_MODULE,    /* module M = ... */
  ITEM_RECMODULE, /* module rec M : S = ... and ... */
  ITEM_MODTYPE,   /* module type S = ... */
  ITEM_INCLUDE,   /* include M */
  ITEM_DIRECTIVE, /* #quit, #use "f", #load "f" (toplevel only) */
  ITEM_WARNING,   /* [@@@warning "spec"]: the warnings of what follows */
} ItemKind;

struct Item {
  ItemKind kind;
  Loc loc;
  Binding *binds;
  int nbinds;
  bool rec;   /* ITEM_VALUE */
  Expr *expr; /* ITEM_EVAL */
  TypeDeclAst *types;
  int ntypes;       /* ITEM_TYPE */
  ExnDecl *exn;     /* ITEM_EXCEPTION */
  const char *name; /* EXTERNAL, MODULE, MODTYPE, DIRECTIVE name */
  TyExpr *ty;       /* ITEM_EXTERNAL */
  const char **prims;
  int nprims;      /* ITEM_EXTERNAL primitive names */
  Path path;       /* ITEM_OPEN */
  ModExpr *mexpr;  /* ITEM_MODULE, ITEM_INCLUDE */
  bool is_open;    /* ITEM_INCLUDE of `open me` (me not a path): its
                          components are not the enclosing module's */
  ModType *mty;    /* ITEM_MODTYPE */
  RecModule *recs; /* ITEM_RECMODULE, in source order */
  int nrecs;
  int *rec_order;      /* typer: the order their bodies run in (OCaml's
                     Translmod.reorder_rec_bindings) */
  const char *dir_arg; /* ITEM_DIRECTIVE argument: a string's contents, or
                        * the source text of an int, identifier or bool */
  bool dir_has_arg;
  DirArgKind dir_kind; /* what dir_arg is */
  /* Typer annotations: the values an item binds, in signature order. */
  PtrVec bound; /* ValueDesc* */
};

#endif
