/* lex.c — the lexer, first stage of the phrase pipeline (text → tokens →
 * parse.c). It follows OCaml 4.13's lexer.mll rule by rule: longest match,
 * operator families by first character, nested comments that skip strings
 * and character literals, and the same error messages and locations.
 */
#include "lex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "util.h"

static const char *const token_names[] = {
#define TOK(name, desc)    #name,
#define KW(name, spelling) #name,
#include "tokens.def"
#undef TOK
#undef KW
};

const char *lex_token_name(TokKind k) { return token_names[k]; }

/* Keywords, sorted by spelling for binary search. */
typedef struct Keyword {
  const char *s;
  TokKind k;
} Keyword;
static const Keyword keywords[] = {
#define TOK(name, desc)
#define KW(name, spelling) {spelling, TOK_##name},
#include "tokens.def"
#undef TOK
#undef KW
};
#define NKEYWORDS ((int)(sizeof keywords / sizeof keywords[0]))

static TokKind keyword_kind(const char *s, int n, TokKind dflt) {
  int lo = 0, hi = NKEYWORDS - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    const char *k = keywords[mid].s;
    int c = strncmp(k, s, (size_t)n);
    if (c == 0 && k[n] != 0) c = 1;
    if (c == 0) return keywords[mid].k;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return dflt;
}

void lex_init(Lexer *lx, Ctx *ctx, const char *src, int len) {
  memset(lx, 0, sizeof *lx);
  lx->ctx = ctx;
  lx->src = src;
  lx->len = len;
  lx->line = 1;
}

/* ---- Positions and errors ------------------------------------------------ */

typedef struct Pos {
  int line, col, off;
} Pos;

static Pos here(const Lexer *lx) { return (Pos){lx->line, lx->pos - lx->line_start, lx->pos}; }

static Loc span(Pos a, Pos b) { return (Loc){a.line, a.col, b.line, b.col, a.off, b.off}; }

static int peekc(const Lexer *lx, int k) {
  int p = lx->pos + k;
  return p < lx->len ? (unsigned char)lx->src[p] : -1;
}

/* Advances one byte, following newlines. */
static void advance(Lexer *lx) {
  if (lx->src[lx->pos] == '\n') {
    lx->line++;
    lx->line_start = lx->pos + 1;
  }
  lx->pos++;
}

/* Unwinds with an error (or, quiet, marks failure and stops at the end). */
static void lex_error(Lexer *lx, Loc loc, const char *msg) {
  if (lx->ctx) ctx_error(lx->ctx, loc, msg);
  lx->failed = true;
}

/* Reaching the end inside a comment or string: more input may come. */
static void lex_eof_inside(Lexer *lx) {
  lx->hit_eof = true;
  if (lx->partial) ctx_bail(lx->ctx);
}

/* The same, inside a comment (the toplevel then prompts "* "). */
static void comment_eof_inside(Lexer *lx) {
  lx->eof_in_comment = true;
  lex_eof_inside(lx);
}

static bool is_ident_char(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '\'';
}
static bool is_symbol_char(int c) { return c != -1 && c != 0 && strchr("!$%&*+-./:<=>?@^|~", c) != NULL; }
static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_hex(int c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static int hex_val(int c) { return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10; }

/* ---- Escapes (shared by strings and character literals) ------------------ */

/* Appends the UTF-8 encoding of u to out; returns the bytes written. */
static int utf8_encode(char *out, unsigned u) {
  if (u < 0x80) {
    out[0] = (char)u;
    return 1;
  }
  if (u < 0x800) {
    out[0] = (char)(0xC0 | (u >> 6));
    out[1] = (char)(0x80 | (u & 0x3F));
    return 2;
  }
  if (u < 0x10000) {
    out[0] = (char)(0xE0 | (u >> 12));
    out[1] = (char)(0x80 | ((u >> 6) & 0x3F));
    out[2] = (char)(0x80 | (u & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (u >> 18));
  out[1] = (char)(0x80 | ((u >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((u >> 6) & 0x3F));
  out[3] = (char)(0x80 | (u & 0x3F));
  return 4;
}

static int simple_escape(int c) {
  switch (c) {
  case '\\': return '\\';
  case '\'': return '\'';
  case '"': return '"';
  case 'n': return '\n';
  case 't': return '\t';
  case 'b': return '\b';
  case 'r': return '\r';
  case ' ': return ' ';
  default: return -1;
  }
}

static void illegal_escape(Lexer *lx, Loc loc, const char *lexeme, int n, const char *reason) {
  char msg[200];
  if (reason)
    snprintf(msg, sizeof msg, "Illegal backslash escape in string or character (%.*s): %s", n, lexeme,
             reason);
  else snprintf(msg, sizeof msg, "Illegal backslash escape in string or character (%.*s)", n, lexeme);
  lex_error(lx, loc, msg);
}

/* ---- Strings -------------------------------------------------------------- */

/* Scans a "..." string whose opening quote is at lx->pos. Decodes it into
 * t->str when t is not NULL (in comments it is only skipped). Returns false
 * when the input ends first (the caller reports it). */
static bool scan_string(Lexer *lx, Token *t, bool in_comment) {
  char *out = NULL;
  int n = 0;
  if (t && lx->ctx) {
    /* The decoded bytes are never more than the raw ones up to the quote. */
    int k = lx->pos + 1;
    while (k < lx->len && lx->src[k] != '"') k += lx->src[k] == '\\' ? 2 : 1;
    out = arena_alloc(lx->ctx->arena, (size_t)(k - lx->pos) + 1);
  }
  advance(lx); /* opening quote */
  for (;;) {
    int c = peekc(lx, 0);
    if (c == -1) return false;
    if (c == '"') {
      advance(lx);
      break;
    }
    if (c != '\\') {
      if (out) out[n] = (char)c;
      n++;
      advance(lx);
      continue;
    }
    Pos esc = here(lx);
    int d = peekc(lx, 1);
    if (d == '\n' || (d == '\r' && peekc(lx, 2) == '\n')) {
      /* Backslash-newline: skip the newline and the next line's blanks. */
      advance(lx);
      while (peekc(lx, 0) == '\r') advance(lx);
      advance(lx);
      while (peekc(lx, 0) == ' ' || peekc(lx, 0) == '\t') advance(lx);
      continue;
    }
    int e = simple_escape(d);
    if (e >= 0) {
      if (out) out[n] = (char)e;
      n++;
      advance(lx);
      advance(lx);
      continue;
    }
    if (is_digit(d) && is_digit(peekc(lx, 2)) && is_digit(peekc(lx, 3))) {
      int v = (d - '0') * 100 + (peekc(lx, 2) - '0') * 10 + (peekc(lx, 3) - '0');
      for (int i = 0; i < 4; i++) advance(lx);
      if (v > 255 && !in_comment) {
        char why[100];
        snprintf(why, sizeof why, "%d is outside the range of legal characters (0-255).", v);
        illegal_escape(lx, span(esc, here(lx)), lx->src + esc.off, 4, why);
        return true;
      }
      if (out) out[n] = (char)v;
      n++;
      continue;
    }
    if (d == 'o' && peekc(lx, 2) >= '0' && peekc(lx, 2) <= '7' && peekc(lx, 3) >= '0' &&
        peekc(lx, 3) <= '7' && peekc(lx, 4) >= '0' && peekc(lx, 4) <= '7') {
      int v = (peekc(lx, 2) - '0') * 64 + (peekc(lx, 3) - '0') * 8 + (peekc(lx, 4) - '0');
      for (int i = 0; i < 5; i++) advance(lx);
      if (v > 255 && !in_comment) {
        char why[100];
        snprintf(why, sizeof why, "o%o (=%d) is outside the range of legal characters (0-255).", v, v);
        illegal_escape(lx, span(esc, here(lx)), lx->src + esc.off, 5, why);
        return true;
      }
      if (out) out[n] = (char)v;
      n++;
      continue;
    }
    if (d == 'x' && is_hex(peekc(lx, 2)) && is_hex(peekc(lx, 3))) {
      int v = hex_val(peekc(lx, 2)) * 16 + hex_val(peekc(lx, 3));
      for (int i = 0; i < 4; i++) advance(lx);
      if (out) out[n] = (char)v;
      n++;
      continue;
    }
    if (d == 'u' && peekc(lx, 2) == '{' && is_hex(peekc(lx, 3))) {
      int k = 3;
      while (is_hex(peekc(lx, k))) k++;
      if (peekc(lx, k) == '}') {
        int ndig = k - 3;
        unsigned long v = 0;
        for (int i = 3; i < k; i++) v = v * 16 + (unsigned)hex_val(peekc(lx, i));
        for (int i = 0; i <= k; i++) advance(lx);
        if (in_comment) continue;
        char why[100];
        if (ndig > 6) {
          snprintf(why, sizeof why, "too many digits, expected 1 to 6 hexadecimal digits");
          illegal_escape(lx, span(esc, here(lx)), lx->src + esc.off, lx->pos - esc.off, why);
          return true;
        }
        if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
          snprintf(why, sizeof why, "%lX is not a Unicode scalar value", v);
          illegal_escape(lx, span(esc, here(lx)), lx->src + esc.off, lx->pos - esc.off, why);
          return true;
        }
        if (out) n += utf8_encode(out + n, (unsigned)v);
        else n += 4;
        continue;
      }
    }
    /* Any other backslash is kept with the character after it (warning 14). */
    if (d == -1) {
      advance(lx);
      continue;
    }
    advance(lx);
    advance(lx);
    if (!in_comment && lx->ctx && t)
      ctx_warn(lx->ctx, span(esc, here(lx)), 14, "illegal-backslash", "illegal backslash escape in string.");
    if (out) {
      out[n] = '\\';
      out[n + 1] = (char)d;
    }
    n += 2;
  }
  if (t) {
    t->str = out ? out : "";
    t->slen = out ? n : 0;
    if (out) out[n] = 0;
  }
  return true;
}

/* If a quoted string {id|...|id} starts at lx->pos, returns the length of
 * its opening delimiter (id plus 2), else 0. */
static int quoted_string_open(const Lexer *lx) {
  int k = 1;
  while (peekc(lx, k) == '_' || (peekc(lx, k) >= 'a' && peekc(lx, k) <= 'z')) k++;
  return peekc(lx, k) == '|' ? k + 1 : 0;
}

/* Scans {id|...|id}; returns false when the input ends first. */
static bool scan_quoted_string(Lexer *lx, Token *t, int open) {
  const char *id = lx->src + lx->pos + 1;
  int idlen = open - 2;
  for (int i = 0; i < open; i++) advance(lx);
  int start = lx->pos;
  for (;;) {
    if (lx->pos >= lx->len) return false;
    if (lx->src[lx->pos] == '|' && lx->pos + idlen + 1 < lx->len &&
        memcmp(lx->src + lx->pos + 1, id, (size_t)idlen) == 0 && lx->src[lx->pos + 1 + idlen] == '}') {
      if (t) {
        t->slen = lx->pos - start;
        t->str = lx->ctx ? arena_strndup(lx->ctx->arena, lx->src + start, (size_t)t->slen) : "";
      }
      for (int i = 0; i < idlen + 2; i++) advance(lx);
      return true;
    }
    advance(lx);
  }
}

/* ---- Comments -------------------------------------------------------------- */

/* Length of a character literal starting at lx->pos (a quote), 0 if none:
 * comments skip them so that '"' does not open a string. */
static int char_literal_len(const Lexer *lx) {
  int c1 = peekc(lx, 1);
  if (c1 == -1) return 0;
  if (c1 == '\\') {
    int c2 = peekc(lx, 2);
    if (simple_escape(c2) >= 0 && peekc(lx, 3) == '\'') return 4;
    if (is_digit(c2) && is_digit(peekc(lx, 3)) && is_digit(peekc(lx, 4)) && peekc(lx, 5) == '\'') return 6;
    if (c2 == 'o' && is_digit(peekc(lx, 3)) && is_digit(peekc(lx, 4)) && is_digit(peekc(lx, 5)) &&
        peekc(lx, 6) == '\'')
      return 7;
    if (c2 == 'x' && is_hex(peekc(lx, 3)) && is_hex(peekc(lx, 4)) && peekc(lx, 5) == '\'') return 6;
    return 0;
  }
  if (c1 == '\n' && peekc(lx, 2) == '\'') return 3;
  if (c1 != '\'' && c1 != '\r' && peekc(lx, 2) == '\'') return 3;
  return 0;
}

/* The starts of the comments still open, innermost last. Past the first
 * 64 they move to the phrase arena, so that an unterminated comment is
 * reported at the innermost one however deep the nesting; in quiet mode
 * (no context, no report) only the depth matters. */
typedef struct CommentStarts {
  Pos small[64];
  Pos *items;
  int cap;
} CommentStarts;

static void push_start(Lexer *lx, CommentStarts *cs, int depth, Pos p) {
  if (depth == cs->cap && lx->ctx) {
    Pos *more = ARENA_ARRAY(lx->ctx->arena, Pos, cs->cap * 2);
    memcpy(more, cs->items, sizeof(Pos) * (size_t)cs->cap);
    cs->items = more;
    cs->cap *= 2;
  }
  if (depth < cs->cap) cs->items[depth] = p;
}

static Pos innermost_start(const CommentStarts *cs, int depth) {
  return cs->items[depth - 1 < cs->cap ? depth - 1 : cs->cap - 1];
}

/* Skips a comment whose `(*` is at lx->pos, with nesting. OCaml reports an
 * unterminated comment at the innermost comment still open. */
static void skip_comment(Lexer *lx) {
  CommentStarts starts;
  starts.items = starts.small;
  starts.cap = 64;
  int depth = 0;
  push_start(lx, &starts, depth++, here(lx));
  advance(lx);
  advance(lx);
  while (depth > 0) {
    int c = peekc(lx, 0);
    if (c == -1) {
      comment_eof_inside(lx);
      Pos s = innermost_start(&starts, depth);
      Pos e = s;
      e.col += 2;
      e.off += 2;
      lex_error(lx, span(s, e), "Comment not terminated");
      return;
    }
    if (c == '(' && peekc(lx, 1) == '*') {
      push_start(lx, &starts, depth++, here(lx));
      advance(lx);
      advance(lx);
    } else if (c == '*' && peekc(lx, 1) == ')') {
      depth--;
      advance(lx);
      advance(lx);
    } else if (c == '"') {
      Pos sq = here(lx);
      if (!scan_string(lx, NULL, true)) {
        comment_eof_inside(lx);
        Pos s = innermost_start(&starts, depth);
        Pos e = s;
        e.col += 2;
        e.off += 2;
        if (lx->ctx) {
          Diag *d = ctx_add_diag(lx->ctx, DIAG_ERROR, span(s, e),
                                 "This comment contains an unterminated string literal");
          Pos qe = sq;
          qe.col++;
          qe.off++;
          d->has_extra = true;
          d->extra_loc = span(sq, qe);
          d->extra_text = "String literal begins here";
          ctx_bail(lx->ctx);
        }
        lx->failed = true;
        return;
      }
    } else if (c == '{' && quoted_string_open(lx)) {
      if (!scan_quoted_string(lx, NULL, quoted_string_open(lx))) {
        comment_eof_inside(lx);
        Pos s = innermost_start(&starts, depth);
        Pos e = s;
        e.col += 2;
        e.off += 2;
        lex_error(lx, span(s, e), "This comment contains an unterminated string literal");
        return;
      }
    } else if (c == '\'') {
      int n = char_literal_len(lx);
      if (n == 0) n = 1;
      for (int i = 0; i < n; i++) advance(lx);
    } else if (is_ident_char(c)) {
      while (is_ident_char(peekc(lx, 0))) advance(lx);
    } else {
      advance(lx);
    }
  }
}

/* ---- Numbers ---------------------------------------------------------------- */

/* Converts an integer literal (no sign) with OCaml's limits: decimal up to
 * 2^62 (min_int's magnitude), other bases up to 2^63-1, wrapped to 63 bits. */
static void int_value(Token *t, const char *s, int n) {
  int base = 10, i = 0;
  if (n > 1 && s[0] == '0') {
    int c = s[1] | 0x20;
    if (c == 'x') base = 16, i = 2;
    else if (c == 'o') base = 8, i = 2;
    else if (c == 'b') base = 2, i = 2;
  }
  uint64_t limit = base == 10 ? (uint64_t)1 << 62 : ((uint64_t)1 << 63) - 1;
  uint64_t v = 0;
  bool over = false;
  for (; i < n; i++) {
    if (s[i] == '_') continue;
    uint64_t d = (uint64_t)hex_val((unsigned char)s[i]);
    if (v > (limit - d) / (uint64_t)base) over = true;
    else v = v * (uint64_t)base + d;
  }
  t->overflow = over;
  /* Wrap to 63 bits, sign-extended. */
  t->ival = (int64_t)(v << 1) >> 1;
}

static void scan_number(Lexer *lx, Token *t, Pos start) {
  const char *s = lx->src + lx->pos;
  int k = 0;
  bool is_float = false;
  bool hex = s[0] == '0' && (peekc(lx, 1) | 0x20) == 'x' && is_hex(peekc(lx, 2));
  bool oct = s[0] == '0' && (peekc(lx, 1) | 0x20) == 'o' && peekc(lx, 2) >= '0' && peekc(lx, 2) <= '7';
  bool bin = s[0] == '0' && (peekc(lx, 1) | 0x20) == 'b' && (peekc(lx, 2) == '0' || peekc(lx, 2) == '1');
  if (hex) {
    k = 3;
    while (is_hex(peekc(lx, k)) || peekc(lx, k) == '_') k++;
    if (peekc(lx, k) == '.') {
      is_float = true;
      k++;
      while (is_hex(peekc(lx, k)) || peekc(lx, k) == '_') k++;
    }
    if ((peekc(lx, k) | 0x20) == 'p') {
      int j = k + 1;
      if (peekc(lx, j) == '+' || peekc(lx, j) == '-') j++;
      if (is_digit(peekc(lx, j))) {
        is_float = true;
        k = j;
        while (is_digit(peekc(lx, k)) || peekc(lx, k) == '_') k++;
      }
    }
  } else if (oct || bin) {
    k = 3;
    while (
        (oct ? (peekc(lx, k) >= '0' && peekc(lx, k) <= '7') : (peekc(lx, k) == '0' || peekc(lx, k) == '1')) ||
        peekc(lx, k) == '_')
      k++;
  } else {
    while (is_digit(peekc(lx, k)) || peekc(lx, k) == '_') k++;
    if (peekc(lx, k) == '.') {
      is_float = true;
      k++;
      while (is_digit(peekc(lx, k)) || peekc(lx, k) == '_') k++;
    }
    if ((peekc(lx, k) | 0x20) == 'e') {
      int j = k + 1;
      if (peekc(lx, j) == '+' || peekc(lx, j) == '-') j++;
      if (is_digit(peekc(lx, j))) {
        is_float = true;
        k = j;
        while (is_digit(peekc(lx, k)) || peekc(lx, k) == '_') k++;
      }
    }
  }
  int numlen = k;
  /* One modifier letter g-z/G-Z may follow (1L, 2n); more identifier
   * characters make the literal invalid. */
  int m = peekc(lx, k);
  char modifier = 0;
  if (((m >= 'g' && m <= 'z') || (m >= 'G' && m <= 'Z')) && !is_ident_char(peekc(lx, k + 1))) {
    modifier = (char)m;
  } else if (is_ident_char(m)) {
    while (is_ident_char(peekc(lx, k))) k++;
    for (int i = 0; i < k; i++) advance(lx);
    char msg[160];
    snprintf(msg, sizeof msg, "Invalid literal %.*s", k > 100 ? 100 : k, s);
    lex_error(lx, span(start, here(lx)), msg);
    t->kind = TOK_EOF;
    return;
  }
  for (int i = 0; i < numlen + (modifier != 0); i++) advance(lx);
  t->text = s;
  t->len = numlen;
  t->modifier = modifier;
  if (is_float) {
    /* The digits without underscores; a literal of any length is read in
     * full, as OCaml does. */
    char small[128];
    char *buf = numlen < (int)sizeof small ? small : malloc((size_t)numlen + 1);
    if (!buf) nml_fatal("out of memory");
    int blen = 0;
    for (int i = 0; i < numlen; i++)
      if (s[i] != '_') buf[blen++] = s[i];
    buf[blen] = 0;
    t->kind = TOK_FLOAT;
    t->fval = strtod(buf, NULL);
    if (buf != small) free(buf);
  } else {
    t->kind = TOK_INT;
    int_value(t, s, numlen);
  }
}

/* ---- Character literals ----------------------------------------------------- */

/* At a quote: a character literal (returns true, fills t) or a lone QUOTE. */
static bool scan_char(Lexer *lx, Token *t, Pos start) {
  int c1 = peekc(lx, 1);
  if (c1 == '\\') {
    int c2 = peekc(lx, 2);
    int n = char_literal_len(lx);
    if (n == 0) {
      if (c2 == -1) return false;
      char esc[3] = {'\\', (char)c2, 0};
      for (int i = 0; i < 3; i++) advance(lx);
      illegal_escape(lx, span(start, here(lx)), esc, 2, NULL);
      t->kind = TOK_EOF;
      return true;
    }
    int v;
    if (simple_escape(c2) >= 0) v = simple_escape(c2);
    else if (c2 == 'x') v = hex_val(peekc(lx, 3)) * 16 + hex_val(peekc(lx, 4));
    else if (c2 == 'o') v = (peekc(lx, 3) - '0') * 64 + (peekc(lx, 4) - '0') * 8 + (peekc(lx, 5) - '0');
    else v = (c2 - '0') * 100 + (peekc(lx, 3) - '0') * 10 + (peekc(lx, 4) - '0');
    const char *lexeme = lx->src + lx->pos;
    for (int i = 0; i < n; i++) advance(lx);
    if (v > 255) {
      char why[100];
      if (c2 == 'o')
        snprintf(why, sizeof why, "o%o (=%d) is outside the range of legal characters (0-255).", v, v);
      else snprintf(why, sizeof why, "%d is outside the range of legal characters (0-255).", v);
      illegal_escape(lx, span(start, here(lx)), lexeme, n, why);
      t->kind = TOK_EOF;
      return true;
    }
    t->kind = TOK_CHAR;
    t->ival = v;
    return true;
  }
  int n = char_literal_len(lx);
  if (n == 0) return false;
  t->kind = TOK_CHAR;
  t->ival = (unsigned char)lx->src[lx->pos + 1];
  for (int i = 0; i < n; i++) advance(lx);
  return true;
}

/* ---- Labels ------------------------------------------------------------- */

/* The length of `~name:` or `?name:` at lx->pos (no blanks inside, as in
 * OCaml's lexer), or 0 when the text there is not one. */
static int label_len(Lexer *lx) {
  int c = peekc(lx, 1);
  if (!((c >= 'a' && c <= 'z') || c == '_')) return 0;
  int n = 2;
  while (is_ident_char(peekc(lx, n))) n++;
  return peekc(lx, n) == ':' ? n + 1 : 0;
}

static void scan_label(Lexer *lx, Token *t, Pos start, TokKind k) {
  int n = label_len(lx);
  const char *name = lx->src + lx->pos + 1;
  for (int i = 0; i < n; i++) advance(lx);
  t->kind = k;
  if (keyword_kind(name, n - 2, TOK_LIDENT) != TOK_LIDENT) {
    char msg[160];
    snprintf(msg, sizeof msg, "%.*s is a keyword, it cannot be used as label name", n - 2, name);
    lex_error(lx, span(start, here(lx)), msg);
    t->kind = TOK_EOF;
  }
}

/* ---- Operators ----------------------------------------------------------- */

/* Fixed-spelling symbols that are not operator families. */
static TokKind fixed_symbol(const char *s, int n) {
  static const struct {
    const char *s;
    TokKind k;
  } tab[] = {
      {"&&", TOK_AMPERAMPER},   {"&", TOK_AMPERSAND},     {"!", TOK_BANG},        {"|", TOK_BAR},
      {"||", TOK_BARBAR},       {":", TOK_COLON},         {"::", TOK_COLONCOLON}, {":=", TOK_COLONEQUAL},
      {":>", TOK_COLONGREATER}, {".", TOK_DOT},           {"..", TOK_DOTDOT},     {"=", TOK_EQUAL},
      {">", TOK_GREATER},       {"<", TOK_LESS},          {"<-", TOK_LESSMINUS},  {"-", TOK_MINUS},
      {"-.", TOK_MINUSDOT},     {"->", TOK_MINUSGREATER}, {"%", TOK_PERCENT},     {"+", TOK_PLUS},
      {"+.", TOK_PLUSDOT},      {"+=", TOK_PLUSEQ},       {"?", TOK_QUESTION},    {"*", TOK_STAR},
      {"~", TOK_TILDE},         {"!=", TOK_INFIXOP0},
  };
  for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
    if ((int)strlen(tab[i].s) == n && memcmp(tab[i].s, s, (size_t)n) == 0) return tab[i].k;
  return TOK_COUNT;
}

/* Scans an operator at lx->pos: the longest run of symbol characters,
 * classified as lexer.mll does. */
static void scan_operator(Lexer *lx, Token *t) {
  const char *s = lx->src + lx->pos;
  int n = 1;
  int c0 = (unsigned char)s[0];
  /* `.` and `:` only start the fixed tokens listed above. */
  if (c0 == '.') {
    /* ".." or "." or DOTOP: "." dotsymbolchar symbolchar* */
    int c1 = peekc(lx, 1);
    if (c1 == '.') {
      n = 2;
    } else if (c1 > 0 && strchr("!$%&*+-/:=>?@^|", c1)) {
      n = 2;
      while (is_symbol_char(peekc(lx, n))) n++;
      for (int i = 0; i < n; i++) advance(lx);
      t->kind = TOK_DOTOP;
      return;
    }
  } else if (c0 == ':') {
    int c1 = peekc(lx, 1);
    n = (c1 == ':' || c1 == '=' || c1 == '>') ? 2 : 1;
  } else {
    while (is_symbol_char(peekc(lx, n)) ||
           ((c0 == '!' || c0 == '~' || c0 == '?' || c0 == '#') && peekc(lx, n) == '#'))
      n++;
  }
  TokKind k = fixed_symbol(s, n);
  if (k == TOK_COUNT) {
    switch (c0) {
    case '!':
    case '~':
    case '?': k = TOK_PREFIXOP; break;
    case '=':
    case '<':
    case '>':
    case '|':
    case '&':
    case '$': k = TOK_INFIXOP0; break;
    case '@':
    case '^': k = TOK_INFIXOP1; break;
    case '+':
    case '-': k = TOK_INFIXOP2; break;
    case '*': k = (n > 1 && s[1] == '*') ? TOK_INFIXOP4 : TOK_INFIXOP3; break;
    case '/':
    case '%': k = TOK_INFIXOP3; break;
    case '#': k = TOK_HASHOP; break;
    default: NML_UNREACHABLE();
    }
  }
  Pos start = here(lx);
  for (int i = 0; i < n; i++) advance(lx);
  t->kind = k;
  if (k == TOK_STAR && peekc(lx, 0) == ')' && lx->ctx) {
    Pos e = here(lx);
    e.col++;
    e.off++;
    ctx_warn(lx->ctx, span(start, e), 2, "comment-not-end", "this is not the end of a comment.");
  }
}

/* ---- The main scanner ------------------------------------------------------- */

static void illegal_char(Lexer *lx, Pos start, int c) {
  char msg[64];
  switch (c) {
  case '\n': snprintf(msg, sizeof msg, "Illegal character (\\n)"); break;
  case '\t': snprintf(msg, sizeof msg, "Illegal character (\\t)"); break;
  case '\r': snprintf(msg, sizeof msg, "Illegal character (\\r)"); break;
  case '\b': snprintf(msg, sizeof msg, "Illegal character (\\b)"); break;
  case '\\': snprintf(msg, sizeof msg, "Illegal character (\\\\)"); break;
  default:
    if (c >= 32 && c < 127) snprintf(msg, sizeof msg, "Illegal character (%c)", c);
    else snprintf(msg, sizeof msg, "Illegal character (\\%03d)", c);
  }
  advance(lx);
  lex_error(lx, span(start, here(lx)), msg);
}

/* Skips blanks, newlines and comments. */
static void skip_blanks(Lexer *lx) {
  for (;;) {
    int c = peekc(lx, 0);
    if (c == ' ' || c == '\t' || c == '\f' || c == '\n') {
      advance(lx);
    } else if (c == '\r' && (peekc(lx, 1) == '\n' || peekc(lx, 1) == '\r')) {
      advance(lx);
    } else if (c == '(' && peekc(lx, 1) == '*') {
      if (peekc(lx, 2) == ')' && lx->ctx) {
        Pos s = here(lx), e = s;
        e.col += 3;
        e.off += 3;
        ctx_warn(lx->ctx, span(s, e), 1, "comment-start",
                 "this `(*' is the start of a comment.\n"
                 "Hint: Did you forget spaces when writing the infix operator `( * )'?");
      }
      skip_comment(lx);
      if (lx->failed) return;
    } else {
      return;
    }
  }
}

void lex_next(Lexer *lx, Token *t) {
  memset(t, 0, sizeof *t);
  skip_blanks(lx);
  Pos start = here(lx);
  t->text = lx->src + lx->pos;
  int c = peekc(lx, 0);
  if (c == -1 || lx->failed) {
    t->kind = TOK_EOF;
    t->loc = span(start, start);
    t->len = 0;
    return;
  }
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
    int n = 1;
    while (is_ident_char(peekc(lx, n))) n++;
    for (int i = 0; i < n; i++) advance(lx);
    if (c == '_' && n == 1) t->kind = TOK_UNDERSCORE;
    else if (c >= 'A' && c <= 'Z') t->kind = TOK_UIDENT;
    else t->kind = keyword_kind(t->text, n, TOK_LIDENT);
    /* Binding operators: "let" or "and" kwdopchar dotsymbolchar*. */
    if ((t->kind == TOK_LET || t->kind == TOK_AND) && peekc(lx, 0) > 0 &&
        strchr("$&*+-/<=>@^|", peekc(lx, 0))) {
      int m = 1;
      while (peekc(lx, m) > 0 && strchr("!$%&*+-/:=>?@^|", peekc(lx, m))) m++;
      for (int i = 0; i < m; i++) advance(lx);
      t->kind = t->kind == TOK_LET ? TOK_LETOP : TOK_ANDOP;
    }
  } else if (is_digit(c)) {
    scan_number(lx, t, start);
  } else if (c == '"') {
    t->kind = TOK_STRING;
    if (!scan_string(lx, t, false)) {
      lex_eof_inside(lx);
      Pos e = start;
      e.col++;
      e.off++;
      lex_error(lx, span(start, e), "String literal not terminated");
      t->kind = TOK_EOF;
    }
  } else if (c == '{' && quoted_string_open(lx)) {
    t->kind = TOK_STRING;
    if (!scan_quoted_string(lx, t, quoted_string_open(lx))) {
      lex_eof_inside(lx);
      Pos e = start;
      e.col++;
      e.off++;
      lex_error(lx, span(start, e), "String literal not terminated");
      t->kind = TOK_EOF;
    }
  } else if (c == '\'') {
    if (!scan_char(lx, t, start)) {
      advance(lx);
      t->kind = TOK_QUOTE;
    }
  } else {
    int c1 = peekc(lx, 1);
    TokKind k = TOK_COUNT;
    int n = 1;
    switch (c) {
    case '(': k = TOK_LPAREN; break;
    case ')': k = TOK_RPAREN; break;
    case ',': k = TOK_COMMA; break;
    case '`': k = TOK_BACKQUOTE; break;
    case '{': k = c1 == '<' ? (n = 2, TOK_LBRACELESS) : TOK_LBRACE; break;
    case '}': k = TOK_RBRACE; break;
    case ']': k = TOK_RBRACKET; break;
    case '[':
      if (c1 == '|') k = TOK_LBRACKETBAR, n = 2;
      else if (c1 == '<') k = TOK_LBRACKETLESS, n = 2;
      else if (c1 == '>') k = TOK_LBRACKETGREATER, n = 2;
      else k = TOK_LBRACKET;
      break;
    case ';': k = c1 == ';' ? (n = 2, TOK_SEMISEMI) : TOK_SEMI; break;
    case '|':
      if (c1 == ']') k = TOK_BARRBRACKET, n = 2;
      break;
    case '>':
      if (c1 == ']') k = TOK_GREATERRBRACKET, n = 2;
      else if (c1 == '}') k = TOK_GREATERRBRACE, n = 2;
      break;
    case '#':
      if (!is_symbol_char(c1) && c1 != '#') k = TOK_HASH;
      break;
    default: break;
    }
    if (k != TOK_COUNT) {
      for (int i = 0; i < n; i++) advance(lx);
      t->kind = k;
    } else if ((c == '~' || c == '?') && label_len(lx)) {
      scan_label(lx, t, start, c == '~' ? TOK_LABEL : TOK_OPTLABEL);
    } else if (is_symbol_char(c) || c == '#') {
      scan_operator(lx, t);
    } else {
      illegal_char(lx, start, c);
      t->kind = TOK_EOF;
    }
  }
  t->len = lx->pos - start.off;
  t->loc = span(start, here(lx));
}

/* ---- Phrase boundaries for the line reader -------------------------------- */

int lex_phrase_end(const char *src, int len) {
  Lexer lx;
  lex_init(&lx, NULL, src, len);
  /* Openers of `end`: 1 for struct/sig (where `;;` is allowed), 0 for
   * begin/object (where it is an error the parser reports at once). */
  Buf stack;
  buf_init(&stack);
  int end = -1;
  for (;;) {
    Token t;
    lex_next(&lx, &t);
    if (lx.failed) {
      if (!lx.hit_eof) {
        const char *nl = memchr(src + t.loc.off1, '\n', (size_t)(len - t.loc.off1));
        end = nl ? (int)(nl - src) + 1 : len;
      }
      break;
    }
    if (t.kind == TOK_EOF) break;
    if (t.kind == TOK_STRUCT || t.kind == TOK_SIG) buf_putc(&stack, 1);
    else if (t.kind == TOK_BEGIN || t.kind == TOK_OBJECT) buf_putc(&stack, 0);
    else if (t.kind == TOK_END && stack.len > 0) stack.data[--stack.len] = 0;
    else if (t.kind == TOK_SEMISEMI && (stack.len == 0 || stack.data[stack.len - 1] == 0)) {
      end = t.loc.off2;
      break;
    }
  }
  buf_free(&stack);
  return end;
}

int lex_skip_phrase(const char *src, int len, int from) {
  if (from + 1 < len && src[from] == ';' && src[from + 1] == ';') return from + 2;
  Lexer lx;
  lex_init(&lx, NULL, src, len);
  lx.pos = from;
  for (;;) {
    Token t;
    lex_next(&lx, &t);
    if (lx.failed) {
      if (lx.hit_eof || lx.pos >= len) return -1;
      lx.failed = false; /* OCaml's skip_phrase ignores lexical errors */
      continue;
    }
    if (t.kind == TOK_EOF) return -1;
    if (t.kind == TOK_SEMISEMI && t.loc.off1 > from) return t.loc.off2;
  }
}

bool lex_ends_in_comment(const char *src, int len) {
  Lexer lx;
  lex_init(&lx, NULL, src, len);
  Token t;
  do lex_next(&lx, &t);
  while (!lx.failed && t.kind != TOK_EOF);
  return lx.eof_in_comment;
}

bool lex_is_blank(const char *src, int len) {
  Lexer lx;
  lex_init(&lx, NULL, src, len);
  Token t;
  lex_next(&lx, &t);
  return t.kind == TOK_EOF && !lx.failed;
}
