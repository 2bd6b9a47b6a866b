/* parse.h — the parser: tokens (lex.h) → the AST of ast.h, with OCaml
 * 4.13's grammar, precedences, locations and syntax-error messages. The
 * first part is the interface the toplevel and natmlc use; the second part
 * is shared by the parser's own files (parse.c, parse_expr.c,
 * parse_pattern.c, parse_type.c) and by nothing else.
 */
#ifndef NML_PARSE_H
#define NML_PARSE_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"
#include "lex.h"
#include "util.h"

/* ---- Interface ------------------------------------------------------------ */

/* Parses ctx->src[0..ctx->srclen) as one toplevel phrase: the text up to
 * and including its `;;` (anything after the `;;` is ignored). A phrase is
 * one expression, several structure items (`let a = 1 let b = 2;;`) or one
 * directive (`#use "f";;` → ITEM_DIRECTIVE). A phrase holding only blanks
 * and comments returns NULL with *nitems = 0; so does a lone `;;`. A phrase
 * that reaches the end of the text without its `;;` is a syntax error at the
 * end, as in OCaml. All nodes live in ctx->arena; errors unwind to
 * ctx->bail after recording their diagnostic. */
Item **parse_phrase(Ctx *ctx, int *nitems);

/* The toplevel's incremental form of parse_phrase. The line reader calls it
 * each time a line was added to ctx->src. It returns PHRASE_INCOMPLETE (no
 * diagnostic recorded) when the text so far is a correct prefix of a phrase
 * that needs more input, and at_eof is false; otherwise it behaves as
 * parse_phrase (PHRASE_OK, or unwinding to ctx->bail on an error, whose
 * location then tells the toplevel which line to discard the rest of, as
 * OCaml does). On PHRASE_OK *end is the offset just past the `;;`. */
typedef enum PhraseStatus { PHRASE_OK, PHRASE_INCOMPLETE } PhraseStatus;
PhraseStatus parse_phrase_partial(Ctx *ctx, bool at_eof, Item ***items, int *nitems, int *end);

/* Parses ctx->src as a whole .ml file: structure items with optional `;;`
 * separators, directives, and a first line starting with `#!` skipped.
 * Script mode parses the whole file before running any of it. */
Item **parse_implementation(Ctx *ctx, int *nitems);

/* Appends a readable, indented dump of items to out (-dparse, golden tests). */
void ast_print_items(Buf *out, Item **items, int n);
void ast_print_expr(Buf *out, const Expr *e);
void ast_print_pattern(Buf *out, const Pattern *p);
void ast_print_type(Buf *out, const TyExpr *t);

/* ---- Internal to the parser's files ------------------------------------- */

typedef struct Parser {
  Ctx *ctx;
  Arena *a;
  Lexer lx;
  Token tok;    /* the current token */
  Token la[16]; /* tokens after it, already scanned */
  int nla;
  Loc last;       /* location of the last token consumed */
  bool toplevel;  /* parsing a toplevel phrase (not a file) */
  bool partial;   /* set: reaching the end means "read more" */
  bool need_more; /* partial: unwound because the end was reached */
  /* The first literal error (out of range, unknown modifier): OCaml's typer
   * reports it, so the parser reports it once the phrase parsed. */
  const char *lit_error;
  Loc lit_error_loc;
} Parser;

/* Expression precedence levels, lowest first (parser.mly's %left/%right
 * list restricted to what binary and prefix operators need). */
enum {
  PREC_LESSMINUS = 1, /* <- (nonassoc) */
  PREC_COLONEQUAL,    /* := right */
  PREC_COMMA,         /* , */
  PREC_OR,            /* or || right */
  PREC_AND,           /* & && right */
  PREC_CMP,           /* = < > | & $ != … left */
  PREC_CONCAT,        /* @ ^ right */
  PREC_CONS,          /* :: right */
  PREC_ADD,           /* + - left */
  PREC_MUL,           /* * / % mod land lor lxor left */
  PREC_POW,           /* ** lsl lsr asr right */
  PREC_UMINUS,        /* - -. prefix */
  PREC_APP,           /* application, constructor application, assert */
  PREC_HASH,          /* #… left */
};

/* parse.c: token stream and errors. */
void p_next(Parser *p);
const Token *p_peek(Parser *p, int k); /* k >= 1: tokens after the current */
bool p_is(const Parser *p, TokKind k);
bool p_accept(Parser *p, TokKind k);
void p_expect(Parser *p, TokKind k);
__attribute__((noreturn)) void p_error(Parser *p);
__attribute__((noreturn)) void p_error_at(Parser *p, Loc loc);
__attribute__((noreturn)) void p_expecting(Parser *p, const char *what);
__attribute__((noreturn)) void p_not_expecting(Parser *p, Loc loc, const char *what);
/* Expects the closing bracket of a construct opened at open_loc; reports
 * "Syntax error: ')' expected" and "This '(' might be unmatched". */
void p_close(Parser *p, TokKind closer, Loc open_loc, const char *opener);
Loc loc_join(Loc a, Loc b);
Loc loc_ghost_empty(Loc at);
const char *p_tok_str(Parser *p, const Token *t); /* token text in the arena */
const char *p_ident(Parser *p);                   /* consumes a LIDENT, returns its name */
/* After `(module`: a package type, `S with type t = ...` (TE_PACKAGE). */
TyExpr *parse_package_type(Parser *p, Loc start);
const char *p_label_name(Parser *p); /* consumes a LABEL or OPTLABEL (`~l:`, `?l:`), returns l */
/* Reads `M.N.x`-style paths: consumes UIDENT (DOT UIDENT)* and, when
 * `last_lower`, a final DOT LIDENT; fills the path. */
Path p_mod_path(Parser *p);
/* mod_ext_longident: a module path through functor applications
 * (`Set.Make(String)`), every component in mods (see Path.apps). */
Path p_mod_ext_path(Parser *p);
/* A module type's path: `S`, `M.N.S`, or a lowercase name. */
Path p_modtype_path(Parser *p);
Path p_path_with_last(Parser *p, Path mods, const char *name, Loc end);
bool p_starts_operator(TokKind k); /* an infix/prefix operator token */
/* If the current token is an operator usable in `( op )`, returns its
 * identifier text ("+", "mod", "~-"), else NULL (nothing consumed). */
const char *p_operator_name(Parser *p);
/* Just after `(` where `( op )` may stand (val_ident): returns the operator
 * name, consuming it and `)`; or NULL, consuming nothing, when the
 * parenthesis holds something that `starts` accepts (an expression or a
 * pattern). Reports OCaml's "operator expected." for a token that can start
 * neither; returns "" after consuming a lone operator not followed by `)`,
 * so that the caller's p_close reports "')' expected". */
const char *p_paren_operator(Parser *p, bool (*starts)(TokKind));

/* parse_expr.c */
Expr *parse_seq_expr(Parser *p);
Expr *parse_expr(Parser *p, int min_prec);
bool p_starts_expr(TokKind k);
bool p_starts_simple_expr(TokKind k);
/* After `let`/`and`: one binding (pattern, parameters, constraint, body). */
Binding parse_let_binding(Parser *p, Loc start);
/* `let [rec] b1 and b2 ...` from the current `let`; returns the bindings. */
Binding *parse_let_bindings(Parser *p, int *n, bool *rec);
Const p_constant(Parser *p, bool negate);

/* parse_pattern.c */
Pattern *parse_pattern(Parser *p);
Pattern *parse_simple_pattern(Parser *p);
bool p_starts_simple_pattern(TokKind k);
bool p_starts_pattern(TokKind k);
Pattern *parse_match_pattern(Parser *p); /* pattern or `exception p` */

/* parse_type.c */
TyExpr *parse_core_type(Parser *p);
TyExpr *parse_simple_core_type(Parser *p);
TyExpr *parse_poly_type(Parser *p);
TyExpr *p_newtypes_to_vars(Parser *p, TyExpr *t, const char **names, int n);
bool p_starts_type(TokKind k);
/* After `type`; subst_ok: in a signature, where `type t := u` (a local
 * substitution) may stand. */
TypeDeclAst *parse_type_decls(Parser *p, int *n, bool subst_ok);
TypeDeclAst parse_type_decl_in_with(Parser *p); /* after `with type` */
ExnDecl *parse_exn_decl(Parser *p);             /* after `exception` */

/* parse.c: module language */
Item **parse_structure(Parser *p, int *n, bool top_file);
ModExpr *parse_module_expr(Parser *p);
ModType *parse_module_type(Parser *p);
/* After `module M`: functor parameters, optional `: S`, `= module_expr`. */
ModExpr *parse_module_binding_body(Parser *p, Loc start);

#endif
