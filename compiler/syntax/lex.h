/* lex.h — the lexer: turns OCaml 4.13 source text into tokens on demand,
 * with OCaml's lexical errors ("Illegal character (\000)", "String literal
 * not terminated", ...). The token list itself lives in tokens.def. The
 * parser (parse*.c) pulls one token at a time so that a syntax error early
 * in a phrase is reported before a lexical error later in it, as in OCaml.
 */
#ifndef NML_LEX_H
#define NML_LEX_H

#include <stdbool.h>
#include <stdint.h>

#include "ast.h"
#include "diag.h"

typedef enum TokKind {
#define TOK(name, desc)    TOK_##name,
#define KW(name, spelling) TOK_##name,
#include "tokens.def"
#undef TOK
#undef KW
  TOK_COUNT
} TokKind;

/* One token. text/len is the token's source text (an operator's identity is
 * its text); literals carry their decoded value as well. */
typedef struct Token {
  TokKind kind;
  Loc loc;
  const char *text;
  int len;
  int64_t ival;    /* INT (wrapped to 63 bits), CHAR code */
  bool overflow;   /* INT: exceeds OCaml's int range (error on use) */
  char modifier;   /* INT/FLOAT: literal modifier letter (1L, 2n, 1x), or 0 */
  double fval;     /* FLOAT */
  const char *str; /* STRING: decoded bytes in the arena (NUL-ended) */
  int slen;        /* STRING: decoded length */
} Token;

/* The lexer's state. With ctx == NULL the lexer is quiet: errors set
 * `failed` and produce TOK_EOF instead of unwinding (lex_phrase_end). */
typedef struct Lexer {
  Ctx *ctx;
  const char *src;
  int len;
  int pos;
  int line;            /* 1-based line of pos */
  int line_start;      /* offset of the first byte of that line */
  bool failed;         /* quiet mode: a lexical error was met */
  bool hit_eof;        /* a comment or string ran into the end of input */
  bool eof_in_comment; /* ... a comment (or a string inside one) did */
  /* When set, reaching the end of input inside a comment or string sets
   * hit_eof and unwinds to ctx->bail with no diagnostic instead of
   * reporting an error: the toplevel reads more lines
   * (parse_phrase_partial). */
  bool partial;
} Lexer;

/* Starts lexing src[0..len). ctx may be NULL (quiet mode). */
void lex_init(Lexer *lx, Ctx *ctx, const char *src, int len);
/* Scans the next token into *t, skipping blanks and comments. At the end
 * returns TOK_EOF with an empty location at the end of the input. */
void lex_next(Lexer *lx, Token *t);
/* Name of a token kind for dumps ("LIDENT", "SEMISEMI", ...). */
const char *lex_token_name(TokKind k);

/* For the toplevel's line reader: the byte offset just past the first `;;`
 * token of src that lies outside comments and strings, or -1 if there is
 * none yet. Nesting of struct/sig ... end is followed so that a `;;` inside
 * `module M = struct ... end` does not end the phrase (OCaml's parser asks
 * for more input there). On a lexical error the offset just past the line
 * holding the error is returned, so that the parser reports it. */
int lex_phrase_end(const char *src, int len);
/* After an error in a toplevel phrase, OCaml skips the rest of the phrase:
 * tokens up to and including the next `;;` (lexical errors ignored), then
 * the rest of that line. from is the offset of the error's token
 * (Diag.loc.off1); when that token is itself `;;` nothing more is skipped.
 * Returns the offset just past the `;;` that ends the skipped phrase, or -1
 * when src holds no such `;;` yet (read more lines and call again). */
int lex_skip_phrase(const char *src, int len, int from);
/* True when src ends inside a comment: OCaml's toplevel prompts "* "
 * for the next line there, rather than "  ". */
bool lex_ends_in_comment(const char *src, int len);
/* True when src holds only blanks and complete comments (nothing for the
 * parser); an unterminated comment or string is not blank. */
bool lex_is_blank(const char *src, int len);

#endif
