/* typecheck.h — the type checker: Hindley–Milner with levels (Rémy's
 * generalization), let-polymorphism with OCaml's relaxed value
 * restriction, type-directed disambiguation of constructors and fields,
 * and OCaml 4.13's error messages. It annotates the AST in place (ast.h)
 * and extends the session environment (env.h).
 *
 * How the toplevel drives it, one phrase at a time:
 *
 *   Typer *T = ty_new(perm);                  once per session
 *   under ctx_protect (diag.h), errors unwinding out of it:
 *     ty_begin_phrase(T, ctx);                marks the environment
 *     for each item: ty_item(T, item);        annotates, binds, fills item->bound
 *     ... lower, codegen, run ...
 *     ty_commit(T);                           copies what survives to ctx->perm
 *     for each ValueDesc *v in item->bound:   make it a global slot
 *       ty_rebind_global(T, v, symbol);
 *   on an error: ty_rollback(T);              the environment loses nothing
 *
 * (The toplevel's phrase boundary, top_protect, does exactly this.)
 *
 * Printing (all through fmt.h, OCaml's Format layout):
 *   ty_print_val(f, T, v)        `val x : int -> int`
 *   ty_print_scheme(f, T, ty)    a type alone, e.g. after "- : "
 *   ty_print_type_decls(f, T, item), ty_print_exception(f, T, cd),
 *   ty_print_module(f, T, md), ty_print_modtype(f, T, md)
 *   ty_print_item(f, T, item)   the whole signature of a declaration item
 *
 * The second half of this header is for the typer's own files.
 */
#ifndef NML_TYPECHECK_H
#define NML_TYPECHECK_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"
#include "env.h"
#include "fmt.h"
#include "types.h"

typedef struct Typer Typer;

/* Creates the typer of one session: the initial environment (env_predef.c)
 * with the session arena perm. */
Typer *ty_new(Arena *perm);
void ty_free(Typer *T);
/* The session environment (for the toplevel's lookups and the stdlib
 * loader, which may env_add modules and env_open them). */
Env *ty_env(Typer *T);
/* OCaml's -rectypes (also the #rectypes directive): from now on the
 * occurs check lets a variable stand for a type that contains it, so
 * that `fun x -> x x` gets the cyclic type ('a -> 'b as 'a) -> 'b, and
 * type abbreviations may be recursive through a type constructor
 * (`type t = t list`). There is no way back, as in OCaml. */
void ty_set_rectypes(Typer *T, bool on);
/* OCaml's -nolabels (classic) mode: on, labels other than optional ones
 * are ignored when types meet, and applications take their arguments in
 * order. #labels and -labels/-nolabels set it. */
void ty_set_classic(Typer *T, bool classic);

/* Starts a phrase typed in ctx (errors unwind to ctx->bail). */
void ty_begin_phrase(Typer *T, Ctx *ctx);
/* Types one structure item against the current environment, annotates it,
 * binds what it defines and records in item->bound the ValueDescs it binds
 * in OCaml's signature order (VAL_LOCAL with unique ids; for `exception E`
 * the value holding E's constructor block; for modules, every value of the
 * module, depth first). Warnings go to ctx. */
void ty_item(Typer *T, Item *item);
/* The items of one phrase, in turn: a phrase is one structure, whose
 * types, modules, module types and exceptions must have distinct names
 * (OCaml's "Multiple definition" error). */
void ty_items(Typer *T, Item **items, int n);
/* Keeps the phrase: copies everything the phrase added to the environment
 * (descriptors, types, weak variables it bound) into the session arena.
 * After it, the phrase arena may be dropped. */
void ty_commit(Typer *T);
/* Drops the phrase: removes its bindings and undoes the links it made in
 * session-level (weak) type variables. */
void ty_rollback(Typer *T);
/* After ty_commit: makes the session copy of v (a ValueDesc from
 * item->bound) a VAL_GLOBAL read from symbol. Returns the session copy. */
ValueDesc *ty_rebind_global(Typer *T, ValueDesc *v, const char *symbol);
/* The session copy of a committed phrase descriptor (v itself if it is
 * already a session one). */
ValueDesc *ty_committed(ValueDesc *v);

/* Printing, in OCaml's layout. Variables are named 'a, 'b... per printed
 * item; non-generalized variables print as '_weakN, N taken from the
 * session counter the first time and kept in Type.weak_id. */
void ty_print_scheme(Fmt *f, Typer *T, Type *ty);
void ty_print_val(Fmt *f, Typer *T, ValueDesc *v);
/* `type t = ...` (first) or `and t = ...` (later ones of a group). */
void ty_print_type_decl(Fmt *f, Typer *T, TypeDecl *d, bool first);
void ty_print_exception(Fmt *f, Typer *T, ConstrDesc *cd);
/* `module M : sig ... end`, `module L = List`, `module type S = sig ... end` */
void ty_print_module(Fmt *f, Typer *T, ModuleDesc *md);
/* The same with another keyword than "module ": "module rec ", "and ". */
void ty_print_module_kw(Fmt *f, Typer *T, ModuleDesc *md, const char *kw);
void ty_print_modtype(Fmt *f, Typer *T, ModuleDesc *md);
/* A module type alone: `sig ... end`, a functor type, or its name. */
void ty_print_module_type(Fmt *f, Typer *T, ModuleDesc *md);
/* A constructor `A of int` and a record field `mutable x : int;`, as in
 * OCaml's inclusion errors. */
void ty_print_constr(Fmt *f, Typer *T, ConstrDesc *c);
void ty_print_label(Fmt *f, Typer *T, FieldDesc *fd);
/* What the toplevel prints for a non-value item (type, exception, module,
 * module type); nothing for open/external... external prints its val. */
void ty_print_item(Fmt *f, Typer *T, Item *item);

/* ======================================================================
 * Internal: shared by env.c, env_predef.c, ty_unify.c, ty_print.c, ty_error.c,
 * ty_expr.c, ty_pattern.c, ty_decl.c, ty_module.c, ty_typer.c.
 * ====================================================================== */

/* Session-level variables linked during a phrase: restored on rollback,
 * their links copied to the session arena on commit. */
typedef struct TrailEntry {
  Type *var; /* or NULL for a row field's link: */
  Type *old_link;
  int old_level;
  const char *old_name;
  RowField *field; /* the RF_EITHER field whose link changed */
  RowField *old_flink;
} TrailEntry;

/* One step of a failed unification, outermost first: the two types as
 * found and their head expansions (equal when nothing expanded). */
typedef struct TracePair {
  Type *a, *a_exp, *b, *b_exp;
} TracePair;

/* Why two variant rows do not unify (OCaml's Errortrace.variant). */
typedef enum RowErr {
  ROWERR_NONE,
  ROWERR_NO_INTERSECTION, /* These two variant types have no intersection */
  ROWERR_NO_TAGS,         /* The first/second variant type does not allow tag(s) */
  ROWERR_INCOMPATIBLE,    /* Types for tag `A are incompatible */
  ROWERR_FIXED_CLOSE,     /* The first/second variant type is bound to ... */
  ROWERR_FIXED_TAGS,
  ROWERR_HASH, /* two tags with one hash: the whole message (typecore's Variant_tags) */
} RowErr;

typedef struct UnifyErr {
  TracePair *pairs;
  int npairs, cap;
  Type *occ_var, *occ_in; /* occurs-check failure: var occurs inside type */
  TypeDecl *escaped;      /* a local type met by a variable older than it
                             (OCaml's Escape (Constructor p)) */
  Type *ambiguous;        /* a type that went through a GADT equation, met
                             by a variable older than the equation
                             (Escape (Equation t)) */
  RowErr row_err;         /* a row mismatch explains the failure */
  bool row_second;        /* ...of the second type (else the first) */
  const char **row_tags;  /* the tags it is about */
  int nrow_tags;
  Type *row_fixed_by; /* ROWERR_FIXED_*: the row variable's type */
  int row_inner;      /* pairs pushed below the row mismatch, dropped */
} UnifyErr;

/* Why an expression is expected to have a type (OCaml's explanations). */
typedef enum ExpectWhy {
  WHY_NONE,
  WHY_IF_COND,
  WHY_IF_NO_ELSE,
  WHY_WHILE_COND,
  WHY_WHILE_BODY,
  WHY_FOR_START,
  WHY_FOR_STOP,
  WHY_FOR_BODY,
  WHY_ASSERT,
  WHY_SEQ_LEFT,
  WHY_GUARD,
} ExpectWhy;

struct Typer {
  Arena *perm;
  Env *env;
  Ctx *ctx;     /* the current phrase */
  Arena *arena; /* ctx->arena */
  int level;    /* current binding level */
  int next_type_id;
  int next_local_id; /* VAL_LOCAL ids, unique in the session */
  int next_stamp;    /* TypeDecl stamps */
  int weak_counter;  /* last N used for '_weakN */
  int phrase_mark;   /* env mark at ty_begin_phrase */
  TrailEntry *trail;
  int ntrail, ctrail;
  UnifyErr uerr;
  TypeDecl *predef[TYB_EXTENSIBLE + 1]; /* by TYB_* code */
  const char *mod_prefix;               /* "M.N." while typing module M.N's body, else "" */
  PtrVec *bound;                        /* where ty_item records bound values */
  struct TyVarScope *annot;             /* 'a names of annotations in the current item */
  const char *print_prefix;             /* "M.N." while printing module M.N's
                               signature: its own types print unqualified */
  bool print_full_paths;                /* canonical interface text (iface.c): Stdlib.t
                             stays Stdlib.t whatever the environment */
  bool rectypes;                        /* -rectypes: cyclic types allowed (ty_set_rectypes) */
  unsigned next_mark;                   /* last stamp given to a walk (ty_new_mark) */
  Type **upairs;                        /* -rectypes: the pairs of nodes unified by the current
                                           ty_unify, two entries a pair (ty_unify.c) */
  int nupairs, cupairs;
  /* Names a non-recursive `let` of functions binds, while its bodies are
   * typed: an unbound one gets OCaml's missing-`rec` hint. */
  struct GhostRec {
    ValueDesc **vars;
    int n;
    int line; /* of the first binding */
    struct GhostRec *up;
  } * ghost_rec;
  bool trail_all; /* in ty_unifiable: every change is trailed, to be undone */
  bool classic;   /* OCaml's -nolabels (#labels false): non-optional labels
                   are ignored when types meet and applications take their
                   arguments in order */
  /* GADTs (ty_gadt.c). */
  int gadt_lev;   /* while unification may add equations (OCaml's pattern
                   mode): their level, else 0 */
  TypeDecl **eqs; /* the declarations whose equation (TypeDecl.eq) is
                        in force, in the order they were made */
  int neqs, ceqs;
  int pat_lev;                 /* while the pattern of a match (or a parameter) is
                  typed: its level, where the type of a GADT constructor
                  may add equations; else 0 */
  bool exn_pat_ok;             /* the pattern about to be typed may be `exception p` */
  int no_existentials;         /* NOEX_*: why a pattern being typed may not
                                      introduce existential types, or 0 */
  struct ReifiedName *reified; /* `$'a`, `$C_'a` names given in this item, for
                                   numbering repeats (get_new_abstract_name) */
  /* Applicative functors (ty_apppath.c): module identities, and the
   * applications and their abstract types met so far in the session;
   * those from apps_mark on are the current phrase's. */
  int next_mod_id;
  /* While the bodies of a `module rec` group are typed: its modules, and
   * which of them the current body uses (ty_recmod.c). */
  struct RecDeps *recdeps;
  /* While the type items of a recursive module's body are typed: the
   * module's declared signature, whose types they are (ty_recmod.c). */
  ModuleDesc *rec_anchor;
  /* While the module-level items of an applicative functor's body are
   * typed: what creates fresh types is refused there (Typemod's
   * funct_body). */
  bool funct_body;
  struct AppMemo *apps;
  int napps, capps, apps_mark;
  /* Checks of matches on polymorphic variants left to the end of the
   * phrase's item, when their rows are settled (OCaml's delayed checks):
   * struct DelayedCases* (ty_row_expr.c). */
  PtrVec delayed;
  int item_depth;                  /* ty_item calls under way */
  struct NameConflicts *conflicts; /* while an inclusion error is laid out:
                           names standing for several declarations print
                           disambiguated (ty_conflict.c) */
};

/* ty_unify.c: type construction, unification, levels, instances. */
/* A stamp for one walk over a type graph: the walk sets Type.mark to it
 * on each node it enters and skips a node that already has it, so that
 * it ends on cyclic types (-rectypes). Walks that use marks must not
 * nest: an inner walk would overwrite the outer one's marks. */
unsigned ty_new_mark(Typer *T);
/* Whether contractive: a variant, a record, an extensible type or a
 * predefined abstract type, which a recursive type may go through (OCaml's
 * Ctype.is_contractive); an abbreviation or a user's abstract type may
 * stand for a variable. */
bool ty_decl_contractive(const TypeDecl *d);
/* Whether x and y (not variables) are the same type at a glance: one
 * node, or nodes of one kind, constructor and label over the same nodes,
 * as the copies a recursive abbreviation's expansions make of it are. */
bool ty_same_node(Type *x, Type *y);
Type *ty_new_var(Typer *T);
Type *ty_new_generic_var(Typer *T);
Type *ty_new_arrow(Typer *T, Type *a, Type *b);
Type *ty_new_arrow_l(Typer *T, ArgLabel label, Type *a, Type *b); /* labelled */
Type *ty_copy_arrow(Typer *T, Type *t, Type *a, Type *b);         /* t's label, a -> b */
Type *ty_new_tuple(Typer *T, Type **items, int n);
Type *ty_new_constr(Typer *T, TypeDecl *d, Type **args, int nargs, const char *path);
/* (module S with type n1 = a1 ...): names sorted, as OCaml keeps them. */
Type *ty_new_package(Typer *T, ModuleDesc *mty, const char *path, const char **names, Type **args, int nargs);
bool ty_same_package(const Type *a, const Type *b);
Type *ty_predef(Typer *T, int tyb);             /* int, bool, ... */
Type *ty_predef1(Typer *T, int tyb, Type *arg); /* 'a list, 'a array ... */
bool ty_same_decl(const TypeDecl *a, const TypeDecl *b);
bool ty_is_constr(Type *t, int tyb);
/* Unifies; on failure returns false with T->uerr filled (a is the type
 * found, b the one expected). */
bool ty_unify(Typer *T, Type *a, Type *b);
/* Whether a and b unify; undoes what unifying them did, and leaves
 * T->uerr as it was (OCaml's snapshot/backtrack around unify). */
bool ty_unifiable(Typer *T, Type *a, Type *b);
/* Whether arrows with these labels unify: the same label, or in classic
 * mode (-nolabels) any two that are not optional. */
bool ty_labels_compatible(Typer *T, ArgLabel a, ArgLabel b);
/* Expands abbreviations at the head (type t = int list -> int list). */
Type *ty_expand_head(Typer *T, Type *t);

/* Whether the variable v occurs in t, rows included, looking at most
 * max_depth nodes down (rows may be cyclic). */
bool ty_occurs(Type *v, Type *t, int max_depth);
/* The node of inst, an instance of scheme (the same shape), that stands
 * for scheme's variable v, or NULL when v is not in scheme. */
Type *ty_instance_of(Type *scheme, Type *inst, Type *v);

/* ty_gadt.c: local abstract types, GADT equations and existentials. */
enum { NOEX_NONE, NOEX_TOPLEVEL, NOEX_GROUP, NOEX_REC };
/* A fresh abstract type local to the level scope (newtype, existential). */
TypeDecl *ty_local_type(Typer *T, const char *name, int scope);
/* Whether a GADT match may give d an equation (OCaml's is_instantiable). */
bool ty_gadt_instantiable(const TypeDecl *d);
/* The existential variables of a constructor (of its generic types):
 * variables of its arguments that its result lacks. */
int ty_constr_existentials(Typer *T, ConstrDesc *c, Type ***out);
/* `$C_'a`, the name an existential of c gets in a pattern. */
const char *ty_existential_name(Typer *T, ConstrDesc *c, Type *ex);
/* An instance of c for a pattern: its existentials are fresh abstract
 * types of the given scope. */
Type *ty_gadt_instance_constr(Typer *T, ConstrDesc *c, Type **args, int scope);
/* An instance of c whose existentials stay variables (to be named by
 * `C (type a) ...`): sets *res, and *ex to those variables; their count. */
int ty_gadt_instance_named(Typer *T, ConstrDesc *c, Type **args, Type **res, Type ***ex);
/* Makes t's variables abstract types (false: one would escape). */
bool ty_gadt_reify(Typer *T, Type *t);
/* Puts the equation d = dest in force (at level T->gadt_lev). */
void ty_gadt_add_eq(Typer *T, TypeDecl *d, Type *dest);
/* Whether a and b may be equal, as far as a pattern can tell. */
bool ty_gadt_compatible(Typer *T, Type *a, Type *b, int depth);
/* The equations made since mark (T->neqs then), taken out of force and
 * kept; restore puts them back in force; undo drops them. */
typedef struct GadtEqs GadtEqs;
GadtEqs *ty_gadt_save(Typer *T, int mark);
void ty_gadt_restore(Typer *T, GadtEqs *s);
void ty_gadt_undo(Typer *T, int mark);
/* The exhaustiveness and redundancy checks of typed cases (parmatch.h),
 * with the counter-examples typed at ty_arg when GADTs are involved. */
void ty_check_cases(Typer *T, Loc loc, Case *cases, int n, bool partial, Type *ty_arg);
/* One expansion step, or NULL when t is not an abbreviation. */
Type *ty_expand_once(Typer *T, Type *t);
/* Whether ty is an instance of scheme (OCaml's Ctype.moregeneral):
 * scheme's generic variables may stand for any type, each for the same
 * one throughout; ty's variables stand for themselves. Binds nothing. */
bool ty_moregeneral(Typer *T, Type *scheme, Type *ty);
/* Copies t replacing generic variables by fresh ones at T->level. */
Type *ty_instance(Typer *T, Type *t);
/* Instances of a constructor or field: result and arguments sharing one
 * substitution of the declaration's parameters. */
Type *ty_instance_constr(Typer *T, ConstrDesc *cd, Type **args_out);
Type *ty_instance_field(Typer *T, FieldDesc *fd, Type **field_ty);
/* Copies d's parameters, and body when body_out is not NULL, with fresh
 * variables for their generic ones, as one instance. */
Type **ty_instance_params(Typer *T, TypeDecl *d, Type *body, Type **body_out);
/* Substitutes a declaration's parameters by args in t (abbreviations). */
Type *ty_subst_params(Typer *T, TypeDecl *d, Type **args, Type *t);
/* The same, other generic variables kept generic: the type scheme of a
 * polymorphic record field at given parameters. */
Type *ty_subst_params_only(Typer *T, TypeDecl *d, Type **args, Type *t);
void ty_begin_def(Typer *T);
void ty_end_def(Typer *T);
/* Generalizes the variables above T->level. */
void ty_generalize(Typer *T, Type *t);
/* OCaml's generalize_structure for a type just built from an annotation:
 * its own compound nodes (not what its variables are bound to) are
 * marked generic, so that each instance copies them around the same,
 * shared, variables. */
void ty_generalize_structure(Typer *T, Type *t);
/* OCaml's relaxed value restriction: variables in non-covariant positions
 * are kept at the current level before ty_generalize. */
void ty_generalize_expansive(Typer *T, Type *t);
/* Lowers every variable of t to level (used for session types). */
void ty_limit_level(Typer *T, Type *t, int level);
/* Deep copy into the session arena (memoised for one commit through map). */
typedef struct CopyMap CopyMap;
Type *ty_copy_to_session(Typer *T, CopyMap *map, Type *t);
RowField *ty_copy_field_to_session(Typer *T, CopyMap *map, RowField *f);
CopyMap *ty_copymap_new(Typer *T);
void ty_trail_undo(Typer *T, int mark);
void ty_trail_commit(Typer *T, CopyMap *m);
void *ty_copymap_get(CopyMap *m, const void *key);
void ty_copymap_put(CopyMap *m, const void *key, void *val);
/* Computes decl->variance-style flags: whether parameter i of d occurs
 * only covariantly. */
bool ty_param_covariant(TypeDecl *d, int i);
void ty_compute_variance(Typer *T, TypeDecl *d);

/* ty_row.c: polymorphic variant rows (see RowDesc in types.h). */
/* A field as it stands after following its links: the kind and flags of
 * the last field of the chain, the argument types of all of them
 * (OCaml's row_field_repr); last is the field to link to settle it. */
typedef struct RfView {
  RowFieldKind kind;
  Type **args;
  int nargs;
  bool constant, matched;
  RowField *last;
} RfView;
RowField *ty_rf_new(Typer *T, RowFieldKind k, Type **args, int nargs, bool constant, bool matched);
void ty_rf_view(Typer *T, RowField *f, RfView *v);
/* Settles RF_EITHER field f (a view's last) as to (trailed). */
void ty_rf_set(Typer *T, RowField *f, RowField *to);
/* The whole row of a TY_VARIANT node (t repr'd): the fields of its chain,
 * sorted, the last row variable, and the flags of the chain's end. */
RowDesc *ty_row_flatten(Typer *T, Type *t);
/* Whether closed and every field present or absent (OCaml's static_row). */
bool ty_row_static(Typer *T, RowDesc *r);
/* The field of tag in r, or NULL. */
RowField *ty_row_field(RowDesc *r, const char *tag);
Type *ty_new_variant(Typer *T, RowDesc *r);
RowDesc *ty_row_new(Typer *T, int n);
/* Sorts r's fields by tag (builders add them in any order). */
void ty_row_sort(RowDesc *r);
/* The node that stands for a variant type when it is named or aliased:
 * its row variable unless the row is static (OCaml's proxy). */
Type *ty_row_proxy(Typer *T, Type *t);
/* A copy of variant t with fn applied to the types it holds (fields'
 * arguments, its name's arguments) and decl_fn (if any) to its name's
 * declaration; the row variable is kept. t itself when nothing changes. */
Type *ty_row_map(Typer *T, Type *t, Type *(*fn)(Typer *, Type *, void *), void *arg,
                 TypeDecl *(*decl_fn)(Typer *, TypeDecl *, void *));
/* Calls fn on each type a row holds: its fields' arguments, its row
 * variable and its name's arguments, through the chain of rows. */
void ty_row_iter(Typer *T, Type *t, void (*fn)(Typer *, Type *, void *), void *arg);
/* A row into the session arena (ty_copy_to_session's part for rows). */
RowDesc *ty_copy_row_to_session(Typer *T, CopyMap *m, RowDesc *r);
/* Unifies two TY_VARIANT nodes' rows (OCaml's unify_row). */
bool ty_unify_row(Typer *T, Type *a, Type *b);
/* A polymorphic variant type expression ([ `A | `B of t ], [> ...],
 * [< ... > ...], [ t | `C ]). */
struct TyVarScope;
Type *ty_row_typexpr(Typer *T, TyExpr *te, struct TyVarScope *sc);
/* Names a declared static row after its declaration d, and fixes a
 * private row's variable (d->manifest's row is replaced). */
void ty_row_decl(Typer *T, TypeDecl *d);
/* Refuses a declaration whose row variable is none of its parameters
 * (`type t = [> `A ]`), with OCaml's Unbound_type_var message at loc. */
void ty_row_check_bound(Typer *T, TypeDecl *d, Loc loc);
/* A private row type is a new type: its parameters are injective. */
void ty_row_decl_injective(TypeDecl *d);
/* Closes an open row as OCaml's Parmatch.close_variant: the tags that are
 * not matched explicitly become absent. */
void ty_row_close(Typer *T, Type *t);
/* After a pattern's typing (OCaml's finalize_variant): in an open row,
 * tag's undecided field becomes present. */
void ty_row_finalize_tag(Typer *T, Type *t, const char *tag);
/* Internals of ty_unify.c that rows use. */
bool ty_unify_rec(Typer *T, Type *a, Type *b);
void ty_link(Typer *T, Type *v, Type *t);
void ty_trail_field(Typer *T, RowField *f);
/* ty_row_print.c: prints a TY_VARIANT node (Printtyp's tree_of_row and
 * Oprint's Otyp_variant); pr prints a type in full, non_gen says whether
 * its row variable is a weak one. */
struct TyNames;
typedef void (*TyPrFn)(Fmt *f, struct TyNames *nm, Type *t);
void ty_print_row(Fmt *f, struct TyNames *nm, Type *t, TyPrFn pr, bool non_gen);
/* ty_row_expr.c: `A e, `A p, #t; the closing of the rows a match's
 * patterns leave open, and the settling of their fields. */
void ty_variant_expr(Typer *T, Expr *e, Type *expected, ExpectWhy why);
struct PatVars;
void ty_pat_variant(Typer *T, Pattern *p, Type *expected, struct PatVars *pv);
void ty_pat_type(Typer *T, Pattern *p, Type *expected, struct PatVars *pv);
void ty_pressure_variants(Typer *T, Pattern **pats, int n);
/* Types the patterns of a match's cases against ty_arg (pvs[i] gets the
 * variables of case i), as OCaml's type_cases: when they match variant
 * tags and ty_arg has undecided fields, each pattern meets its own copy
 * of ty_arg with those rows opened, and ty_arg once the rows the
 * patterns make are closed. */
/* How the patterns of a match are typed (ty_case_patterns): lev, the
 * level of its GADT equations (0: none), whose equations each case
 * saves in eqs[i]; match: `exception p` cases are allowed. */
typedef struct CaseTyping {
  int lev;
  struct GadtEqs **eqs;
  bool match;
} CaseTyping;
void ty_case_patterns(Typer *T, Case *cases, int n, Type *ty_arg, struct PatVars *pvs, CaseTyping *ct);
/* Leaves the check of a match's cases for unused ones and tags their
 * types exclude to the end of the item when they match tags (true);
 * false: the caller checks them now. */
bool ty_delay_unused_cases(Typer *T, Case *cases, int n);
/* Runs the delayed checks (at the end of a toplevel item). */
void ty_run_delayed(Typer *T);
/* The type of `p as x`'s x (OCaml's build_as_type): expected, except
 * that the tags p matches make an open row of their own. */
Type *ty_as_type(Typer *T, Pattern *p, Type *expected);
/* ty_coerce.c: (e :> t) and (e : t0 :> t). */
void ty_coerce(Typer *T, Expr *e, Type *expected, ExpectWhy why);

/* ty_conflict.c: while Typer.conflicts is set (an inclusion error is
 * being laid out), the printer hands it each bare type name and abstract
 * module type name it prints, which come back as OCaml's
 * Printtyp.Naming_context would print them (t, or t/1 and t/2 when
 * the message shows several types named t), and says which item of a
 * signature it is printing (whose earlier items are in scope). */
typedef struct NameConflicts NameConflicts;
const char *ty_conflict_type(Typer *T, const char *path, TypeDecl *d);
const char *ty_conflict_modtype(Typer *T, const char *name, ModuleDesc *md);
void ty_conflict_enter_item(Typer *T, ModuleDesc *sig, int item);
void ty_conflict_leave_item(Typer *T);

/* ty_print.c: the naming context shared by the types of one message. */
typedef struct TyNames {
  Typer *T;
  Arena scratch; /* names live here: printing may happen after the
                     phrase arena is gone; ty_names_done frees it */
  Type **vars;   /* named nodes: variables, and the aliased nodes below once
                    printed */
  const char **names;
  int n, cap;
  int counter;
  bool scheme; /* non-generic variables print as '_weakN */
  /* Printtyp's mark_loops (ty_names_mark): the nodes met again below
   * themselves, which print as `... as 'a` where first met and as 'a
   * inside; and the names of named variables, which fresh names skip. */
  Type **aliased;
  int naliased, caliased;
  const char **reserved;
  int nreserved, creserved;
  Type **views; /* pairs: a type and how it prints (see view) */
  int nviews, cviews;
  Type **rows; /* the non-static rows met by the marking walk, by proxy:
                  met again, they are aliased (Printtyp's visited_objects) */
  int nrows, crows;
  Type **tops; /* the types ty_names_mark walked: marking one again (as
                  ty_fmt_type does) changes nothing */
  int ntops, ctops;
  bool remark;             /* marking one of tops again */
  TypeDecl *hide_row_name; /* the declaration being printed: its own row
                              prints in full, not as its name */
} TyNames;
void ty_names_init(TyNames *nm, Typer *T, bool scheme);
void ty_names_done(TyNames *nm);
/* Prepares t for printing in nm: finds its cycles and the names of its
 * variables (Printtyp.mark_loops). ty_fmt_type does it; a message marks
 * all its types first when their names must not depend on the order in
 * which they print. */
void ty_names_mark(TyNames *nm, Type *t);
/* Prints t (Oprint's out_type: an alias needs no parentheses). */
void ty_fmt_type(Fmt *f, TyNames *nm, Type *t);
/* Prints a type into an arena string (no line breaking), for tests and
 * dumps. */
const char *ty_to_string(Typer *T, Type *t, bool scheme);

/* ty_error.c: OCaml 4.13's messages. All of them unwind. */
__attribute__((noreturn)) void ty_error_unify(Typer *T, Loc loc, const char *txt1, const char *txt2,
                                              ExpectWhy why);
/* The same report under a first line of its own (head). */
__attribute__((noreturn)) void ty_error_unify_head(Typer *T, Loc loc, const char *head, const char *txt1,
                                                   const char *txt2);
__attribute__((noreturn)) void ty_error_expr_mismatch(Typer *T, Loc loc, ExpectWhy why, bool float_hint,
                                                      const Expr *e);
__attribute__((noreturn)) void ty_error_pattern_mismatch(Typer *T, Loc loc);
__attribute__((noreturn)) void ty_error_constraint_instance(Typer *T, Loc loc, Type *ty, Type *expected);
/* A value of a private type built (label NULL) or its field assigned. */
__attribute__((noreturn)) void ty_error_private(Typer *T, Loc loc, const char *label, Type *ty);
/* `C (type a) (p : t)` whose t leaves an existential of C unnamed. */
__attribute__((noreturn)) void ty_error_unbound_existentials(Typer *T, Loc loc, const char **names, int n,
                                                             Type *args);
__attribute__((noreturn)) void ty_error_unbound(Typer *T, Loc loc, const char *what, EnvNs ns, const Path *p);
__attribute__((noreturn)) void ty_error_not_function(Typer *T, Loc loc, Type *fty);
/* Labels (OCaml's Apply_wrong_label, Abstract_wrong_label and
 * Incoherent_label_order). */
__attribute__((noreturn)) void ty_error_apply_wrong_label(Typer *T, Loc loc, ArgLabel given, Type *fty);
__attribute__((noreturn)) void ty_error_abstract_wrong_label(Typer *T, Loc loc, ArgLabel param,
                                                             Type *expected);
__attribute__((noreturn)) void ty_error_incoherent_label_order(Typer *T, Loc loc);
__attribute__((noreturn)) void ty_error_constr_arity(Typer *T, Loc loc, const char *name, int expected,
                                                     int got);
__attribute__((noreturn)) void ty_error_not_a_function_expected(Typer *T, Loc loc, Type *expected);
__attribute__((noreturn)) void ty_error_type_arity(Typer *T, Loc loc, const char *name, int expected,
                                                   int got);
__attribute__((noreturn)) void ty_error_no_constr(Typer *T, Loc loc, bool pattern, Type *expected,
                                                  const char *name);
__attribute__((noreturn)) void ty_error_no_field(Typer *T, Loc loc, Type *ty, const char *name, TypeDecl *d);
__attribute__((noreturn)) void ty_error_text(Typer *T, Loc loc, const char *text);
__attribute__((noreturn, format(printf, 3, 4))) void ty_error_textf(Typer *T, Loc loc, const char *fmt, ...);
void ty_explain_row(Fmt *f, UnifyErr *u);
/* ty_error_unify with the text before the first type printed by pre, in
 * the message's naming context (a coercion's failure names its target). */
typedef void (*TyUnifyPre)(Fmt *f, struct TyNames *nm, void *arg);
__attribute__((noreturn)) void ty_error_unify_pre(Typer *T, Loc loc, TyUnifyPre pre, void *arg,
                                                  const char *txt2);
/* Lays out a message with Fmt as OCaml does after "Error: " (column 7). */
typedef void (*TyMsgFn)(Fmt *f, void *arg);
const char *ty_error_layout(Typer *T, TyMsgFn fn, void *arg);

/* ty_pattern.c */
typedef struct PatVars { /* variables bound by a pattern, in order */
  ValueDesc **vars;
  Pattern **pats; /* the PAT_VAR / PAT_ALIAS node binding each */
  int n, cap;
  TypeDecl **types; /* types named by `C (type a) p`, in scope after it */
  int ntypes;
} PatVars;
/* Types p against expected, collecting its variables in pv (not yet added
 * to the environment). */
void ty_pattern(Typer *T, Pattern *p, Type *expected, PatVars *pv);
/* The pattern of a case: in a match (match), `exception p` is allowed. */
void ty_case_pattern(Typer *T, Pattern *p, Type *expected, PatVars *pv, bool match);
void ty_bind_patvars(Typer *T, PatVars *pv);
ValueDesc *ty_new_local(Typer *T, const char *name, Type *ty, Loc loc);
/* Constructor lookup, by the expected type when it is a known variant. */
ConstrDesc *ty_lookup_constr(Typer *T, const Path *p, Type *expected, bool pattern);
/* The record type of fields names[0..n) (first is the first field's path). */
TypeDecl *ty_record_decl(Typer *T, Path *first, const char **names, int n, Type *expected, bool pattern,
                         Loc loc);
FieldDesc *ty_record_field(Typer *T, TypeDecl *d, Path *p);

/* ty_expr.c */
void ty_expr_expect(Typer *T, Expr *e, Type *expected, ExpectWhy why);
bool ty_is_prim(const Expr *e, const char *prim); /* an identifier bound to that primitive */
/* Warnings 5 and 10 on an expression whose value is dropped. */
void ty_check_partial_application(Typer *T, Expr *e, bool statement);
/* ty_apply.c: functions and applications, with labels. */
void ty_fun(Typer *T, Expr *e, Type *expected, ExpectWhy why);
void ty_apply(Typer *T, Expr *e, Type *expected, ExpectWhy why);
/* The parameter and result types of expected as the type of a function
 * (e, at loc) whose parameter has label l (OCaml's filter_arrow). */
void ty_filter_arrow(Typer *T, Loc loc, Expr *e, Type *expected, ArgLabel l, Type **arg, Type **res);
Type *ty_expr(Typer *T, Expr *e);
/* let [rec] bindings: types them, generalizes, binds in the environment. */
void ty_let_bindings(Typer *T, Binding *bs, int n, bool rec, PtrVec *bound);
bool ty_nonexpansive(const Expr *e);
/* Looks up a value / constructor / field / type by path; errors unwind. */
ValueDesc *ty_lookup_value(Typer *T, const Path *p);
TypeDecl *ty_lookup_type(Typer *T, const Path *p, const char **printed);
ModuleDesc *ty_lookup_module(Typer *T, const Path *p, bool whole);
const char *ty_path_string(Typer *T, const Path *p);

/* ty_format.c: a string literal expected to be a format (its expected type
 * expands to CamlinternalFormatBasics.format6) gets its format type; false
 * (nothing done) when expected is no format type. Errors unwind. */
bool ty_format_literal(Typer *T, Expr *e, Type *expected);

/* ty_decl.c: type expressions and declarations. */
typedef struct TyVarScope { /* 'a names in an annotation or declaration */
  const char **names;
  Type **vars;
  int n, cap;
  bool closed; /* declarations: unknown 'a is an error */
} TyVarScope;
Type *ty_typexpr(Typer *T, TyExpr *te, TyVarScope *sc);
/* Binds name to a fresh variable in sc, shadowing any earlier binding. */
Type *ty_scope_bind(Typer *T, TyVarScope *sc, const char *name);

/* ty_poly.c: explicitly polymorphic annotations of let-bound names
 * (`let f : 'a. t = e`, `let f : type a. t = e`). */
/* The type under `'a 'b.`, its universal variables fresh variables
 * (stored in *vars when vars is not NULL), seen only inside it. */
Type *ty_poly_type(Typer *T, TyExpr *te, TyVarScope *sc, Type ***vars);
/* Whether the binding's pattern is a name with such an annotation. */
bool ty_poly_binding(const Binding *b);
/* Binds the name of b (see ty_poly_binding) to the annotation's type
 * scheme in pv and returns an instance of it for the expression. */
Type *ty_poly_bind(Typer *T, Binding *b, PatVars *pv, Type ***univars);
/* After generalization: the expression's type ty must have kept the
 * universal variables distinct and general, or the definition is less
 * general than its annotation (an error). */
void ty_poly_check(Typer *T, Binding *b, Type *ty, Type **univars);
/* The value arg of the polymorphic field f (`f : 'a. t`) in a record of
 * type d at params: it must be as general as the field. */
void ty_poly_field(Typer *T, Expr *arg, TypeDecl *d, Type **params, FieldDesc *f);
void ty_type_decls(Typer *T, Item *item);
/* Gives an abstract or private declaration the variances its parameters
 * are annotated with (TypeDeclAst.variances, or NULL). */
void ty_declared_variance(TypeDecl *d, const char *variances);
/* A signature's local substitutions (type t := u and …): each u is typed
 * where the group is not yet declared, then each t is declared as an
 * abbreviation of its u, returned in out (n of them), for the
 * signature to replace. */
void ty_type_substs(Typer *T, TypeDeclAst *types, int n, TypeDecl **out);
ConstrDesc *ty_exception_decl(Typer *T, ExnDecl *ed);
/* ty_constraint.c: `constraint 'a = ty` in declarations. Whether d's
 * parameters are no longer distinct variables; types and unifies a's
 * constraints in d's parameter scope (OCaml's "The type constraints are
 * not consistent" error); checks that args (written arg_exprs) are an
 * instance of d's parameters ("should be an instance of type"); expands
 * t (d's body) for args, unifying them with its parameters' instance. */
bool ty_decl_constrained(const TypeDecl *d);
void ty_decl_constraints(Typer *T, TypeDeclAst *a, TyVarScope *sc);
void ty_check_constrained_use(Typer *T, TypeDecl *d, Type **args, TyExpr **arg_exprs);
Type *ty_expand_constrained(Typer *T, TypeDecl *d, Type **args, Type *t);
/* A destructive substitution (`type 'a t := body`, typed as d) whose
 * parameters constraints made types is refused, unless body is a type
 * constructor applied to the parameters (OCaml's error, at loc). */
void ty_check_subst_params(Typer *T, TypeDecl *d, const TypeDeclAst *a, Loc loc);
/* Whether a's definition is its type constructor applied to its own
 * parameters in order (Typemod.type_decl_is_alias). */
bool ty_subst_is_alias(const TypeDeclAst *a);
/* ty_decl_check.c: the checks of a group of declarations ds[0..n), once
 * their types are built, with OCaml's messages at locs[i]: abbreviations
 * well-founded (`type t = t` is cyclic; `type t = t list` too, unless
 * -rectypes), recursive abbreviations regular. Errors unwind. */
void ty_check_decl_group(Typer *T, TypeDecl **ds, const Loc *locs, int n);
/* The same for the declared types of recursive modules, whose
 * abbreviations are walked from their bodies only
 * (Typedecl.check_recmod_typedecl). */
void ty_check_recmod_decls(Typer *T, TypeDecl **ds, const Loc *locs, int n);
void ty_external(Typer *T, Item *item);

/* ty_module.c */
ModuleDesc *ty_module_expr(Typer *T, ModExpr *me, const char *name);
/* Marks the type declarations of a `let module` as out of scope. */
void ty_module_out_of_scope(Typer *T, ModuleDesc *md);
ModuleDesc *ty_module_type(Typer *T, ModType *mt, const char *name);
void ty_module_item(Typer *T, Item *item);
void ty_modtype_item(Typer *T, Item *item);
void ty_open(Typer *T, const Path *p);
void ty_include(Typer *T, Item *item);
/* First-class modules: the type (module S with type t = u), and
 * (module me : S) packed (e->ty the package, e->mod its signature). */
Type *ty_package_type(Typer *T, TyExpr *te, struct TyVarScope *sc);
void ty_pack(Typer *T, Expr *e, Type *expected);

/* ty_recmod.c: recursive modules (OCaml's Typemod for `module rec` and
 * Translmod's check of their evaluation). A structure's group: each
 * module's type, then its body checked against it with all of them in
 * scope, their evaluation order found, or OCaml's "Cannot safely
 * evaluate" error; a signature's group; a use of a module by a body
 * being typed (head: the first component of a path), which orders the
 * bodies. */
void ty_recmodule_item(Typer *T, Item *item);
void ty_recmodule_sig(Typer *T, SigItem *si);
void ty_recmod_note_use(Typer *T, const char *head);
/* Declarations ds[0..n) of a recursive module's body are the types of
 * the same names its signature declares (Typemod's anchored
 * enrich_typedecl): given those as manifests where they fit. */
void ty_recmod_enrich(Typer *T, TypeDecl **ds, int n);
/* ty_module.c, for ty_recmod.c: prefixes the paths of md's declarations
 * newer than stamp_lo with name. ty_ascribe.c: impl seen through sig
 * (ascription, checked); whether a module expression's values are its
 * own. */
void ty_close_module(Typer *T, ModuleDesc *md, const char *name, int stamp_lo);
ModuleDesc *ty_ascribe(Typer *T, ModuleDesc *impl, ModuleDesc *sig, Loc loc, bool owned);
bool ty_owns_values(ModExpr *me);

/* ty_module.c: substitutions of type declarations, for fresh copies of
 * signatures (each module of a named module type gets its own abstract
 * types) and for functor applications; copy_fresh copies md with fresh
 * declarations for its own types (and those mapped in ds already). */
typedef struct DeclSubst {
  CopyMap *decls;  /* old TypeDecl -> new TypeDecl */
  CopyMap *types;  /* memo for types */
  CopyMap *expand; /* old TypeDecl (no parameters) -> the type it becomes,
                       or NULL */
} DeclSubst;
ModuleDesc *ty_copy_fresh(Typer *T, DeclSubst *ds, ModuleDesc *md, const char *name, bool fresh_values);
/* ty_with.c: md constrained by one `with type`, `with module` or `with
 * module type` (a), the module type being typed as name. */
ModuleDesc *ty_with_type(Typer *T, ModuleDesc *md, TypeDeclAst *a, Loc loc, const char *name);
/* ty_with.c: `S with module type P = mty` (or := mty) on md.
 * Also what a module of type md would bring new types (Mtype.contains_type:
 * abstract or generative ones, module types), and OCaml's error for such
 * a module made inside an applicative functor's body. */
ModuleDesc *ty_with_modtype(Typer *T, ModuleDesc *md, TypeDeclAst *a, Loc loc);
bool ty_mty_contains_type(ModuleDesc *md);
__attribute__((noreturn)) void ty_error_fresh_types(Typer *T, Loc loc);

/* ty_apppath.c: applicative functors. A module's identity (given on
 * first need; aliases copy it); the identity of f applied to arg; the
 * abstract types of r, the result of application app printed name,
 * made the application's own (`F(X).t`), the same for every application
 * of f to arg (OCaml's strengthening of applications): whether some
 * was. ty_lookup_app_path resolves a module path through applications
 * (`Set.Make(String)`), with OCaml's errors for what cannot be applied.
 * Commit and rollback keep the memo in step with the environment. */
int ty_module_id(Typer *T, ModuleDesc *md);
int ty_app_id(Typer *T, int f, int arg);
bool ty_app_strengthen(Typer *T, ModuleDesc *r, int app, const char *name);
ModuleDesc *ty_lookup_app_path(Typer *T, const Path *p);
void ty_app_commit(Typer *T, CopyMap *map);
/* f applied to arg, a structure (no path to name its types by): OCaml's
 * error at loc when f's result needs a type of the parameter that arg
 * defines with no manifest to expand it to. */
void ty_check_nondep(Typer *T, ModuleDesc *f, ModuleDesc *arg, Loc loc);
void ty_app_rollback(Typer *T);
/* ty_module.c: the signature of functor f applied to arg (a path's
 * module), its types and paths under name, no values bound. */
ModuleDesc *ty_apply_sig(Typer *T, ModuleDesc *f, ModuleDesc *arg, const char *name);
/* ty_include.c: signature matching. Checks that impl matches sig (every
 * component of sig provided by impl with a compatible declaration); a
 * module alias (`= A`) is seen through its path, as OCaml strengthens
 * it. Binds weak type variables of impl's values that sig makes more
 * precise. On failure reports OCaml's "Signature mismatch" error (for a
 * functor's argument, its "Modules do not match") at loc and unwinds. */
void ty_include_check(Typer *T, ModuleDesc *impl, ModuleDesc *sig, Loc loc, bool functor_arg);
/* Whether impl matches sig (binding weak variables as ty_include_check). */
bool ty_include_matches(Typer *T, ModuleDesc *impl, ModuleDesc *sig);
/* Reports OCaml's error for an application of functor f (its type) to
 * args[0..nargs) that fails (Includemod's Apply_error): names[i] is the
 * path argument i is written as, "" for a structure, NULL for `()`. */
__attribute__((noreturn)) void ty_include_apply_error(Typer *T, Loc loc, ModuleDesc *f, const char **names,
                                                      ModuleDesc **args, int nargs);
/* Checks that variant or record d, declared as re-exporting another type
 * (`type t = M.t = A | B`, d->manifest), has that type's definition;
 * reports OCaml's "This variant or record definition does not match"
 * error at loc otherwise. */
void ty_include_reexport(Typer *T, TypeDecl *d, Loc loc);
/* Checks that newdecl, what `with type lid = ...` makes of decl, is
 * included in decl; reports OCaml's "In this `with' constraint" error at
 * loc otherwise. */
void ty_include_with(Typer *T, TypeDecl *newdecl, TypeDecl *decl, const char *lid, Loc loc);

/* ty_typer.c: commit helpers used by modules too. */
TypeDecl *ty_copy_decl(Typer *T, CopyMap *m, TypeDecl *d);
ModuleDesc *ty_copy_module(Typer *T, CopyMap *m, ModuleDesc *md);

#endif
