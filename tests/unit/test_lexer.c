/* test_lexer.c — unit tests of compiler/lex.c: token classes and values,
 * literals and escapes, comments, and OCaml 4.13's lexical errors (the
 * expected messages and locations were checked against the real `ocaml`).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lex.h"

typedef struct Fixture {
  Arena arena, perm;
  Ctx ctx;
  Lexer lx;
} Fixture;

static Fixture *fx_new(const char *src) {
  Fixture *f = test_calloc(1, sizeof *f);
  arena_init(&f->arena);
  arena_init(&f->perm);
  ctx_init(&f->ctx, &f->arena, &f->perm, src, (int)strlen(src));
  lex_init(&f->lx, &f->ctx, src, f->ctx.srclen);
  return f;
}

static void fx_free(Fixture *f) {
  arena_free(&f->arena);
  arena_free(&f->perm);
  test_free(f);
}

/* What lex_all lexes into: the token names, unless out is NULL. */
typedef struct LexAll {
  Lexer *lx;
  char *out;
  size_t cap;
} LexAll;

/* Lexes to the end (run under ctx_protect). */
static void lex_all(Ctx *ctx, void *arg) {
  (void)ctx;
  LexAll *la = arg;
  for (;;) {
    Token t;
    lex_next(la->lx, &t);
    if (t.kind == TOK_EOF) break;
    if (!la->out) continue;
    if (la->out[0]) strncat(la->out, " ", la->cap - strlen(la->out) - 1);
    strncat(la->out, lex_token_name(t.kind), la->cap - strlen(la->out) - 1);
  }
}

/* Lexes all of src; returns the kinds, space-separated token names. */
static void kinds(const char *src, char *out, size_t cap) {
  Fixture *f = fx_new(src);
  out[0] = 0;
  LexAll la = {&f->lx, out, cap};
  if (!ctx_protect(&f->ctx, lex_all, &la)) strncat(out, "ERROR", cap - strlen(out) - 1);
  fx_free(f);
}

/* Lexes src expecting an error; returns its text and location. */
static const char *lex_error_of(const char *src, Loc *loc) {
  static char text[256];
  Fixture *f = fx_new(src);
  text[0] = 0;
  LexAll la = {&f->lx, NULL, 0};
  if (ctx_protect(&f->ctx, lex_all, &la)) {
    fx_free(f);
    return "no error";
  }
  Diag *d = f->ctx.diags;
  while (d && d->sev != DIAG_ERROR) d = d->next;
  if (d) {
    strncpy(text, d->text, sizeof text - 1);
    *loc = d->loc;
  }
  fx_free(f);
  return text;
}

static void test_lexer_keywords_and_idents(void **state) {
  (void)state;
  char buf[512];
  kinds("let rec f x' _y _ Some M.x and as assert asr with", buf, sizeof buf);
  assert_string_equal(buf, "LET REC LIDENT LIDENT LIDENT UNDERSCORE UIDENT UIDENT DOT LIDENT "
                           "AND AS ASSERT ASR WITH");
}

/* Every keyword of tokens.def must be found by the bisection in lex.c. */
static void test_lexer_every_keyword(void **state) {
  (void)state;
  static const struct {
    const char *s;
    TokKind k;
  } kws[] = {
#define TOK(name, desc)
#define KW(name, spelling) {spelling, TOK_##name},
#include "tokens.def"
#undef TOK
#undef KW
  };
  for (size_t i = 0; i < sizeof kws / sizeof kws[0]; i++) {
    Fixture *f = fx_new(kws[i].s);
    Token t;
    lex_next(&f->lx, &t);
    assert_int_equal(t.kind, kws[i].k);
    fx_free(f);
  }
}

static void test_lexer_operators(void **state) {
  (void)state;
  char buf[512];
  kinds("+ +. - -. * ** / % = == <> < > <= >= != && & || | |> @@ @ ^ :: := <- -> ; ;; .. . , ! !r ~- #= +=",
        buf, sizeof buf);
  assert_string_equal(
      buf, "PLUS PLUSDOT MINUS MINUSDOT STAR INFIXOP4 INFIXOP3 PERCENT EQUAL INFIXOP0 INFIXOP0 LESS "
           "GREATER INFIXOP0 INFIXOP0 INFIXOP0 AMPERAMPER AMPERSAND BARBAR BAR INFIXOP0 INFIXOP1 "
           "INFIXOP1 INFIXOP1 COLONCOLON COLONEQUAL LESSMINUS MINUSGREATER SEMI SEMISEMI DOTDOT DOT "
           "COMMA BANG BANG LIDENT PREFIXOP HASHOP PLUSEQ");
  kinds("[| |] [ ] { } ( ) 'a", buf, sizeof buf);
  assert_string_equal(buf, "LBRACKETBAR BARRBRACKET LBRACKET RBRACKET LBRACE RBRACE LPAREN "
                           "RPAREN QUOTE LIDENT");
}

static void test_lexer_integer_literals(void **state) {
  (void)state;
  const char *src = "42 1_000 0x1F 0o17 0b101 4611686018427387903 4611686018427387904 "
                    "4611686018427387905 0x7fffffffffffffff";
  Fixture *f = fx_new(src);
  int64_t want[] = {42, 1000, 31, 15, 5, INT64_C(4611686018427387903), -INT64_C(4611686018427387903) - 1,
                    0,  -1};
  bool over[] = {false, false, false, false, false, false, false, true, false};
  for (int i = 0; i < 9; i++) {
    Token t;
    lex_next(&f->lx, &t);
    assert_int_equal(t.kind, TOK_INT);
    assert_int_equal(t.overflow, over[i]);
    if (!over[i]) assert_int_equal(t.ival, want[i]);
  }
  fx_free(f);
}

static void test_lexer_float_literals(void **state) {
  (void)state;
  Fixture *f = fx_new("1.5 1e3 2. 1_0.5e-1 0x1p4");
  double want[] = {1.5, 1000.0, 2.0, 1.05, 16.0};
  for (int i = 0; i < 5; i++) {
    Token t;
    lex_next(&f->lx, &t);
    assert_int_equal(t.kind, TOK_FLOAT);
    assert_true(t.fval == want[i]);
  }
  fx_free(f);
}

static void test_lexer_chars_and_escapes(void **state) {
  (void)state;
  Fixture *f = fx_new("'a' '\\n' '\\t' '\\\\' '\\'' '\\\"' '\\b' '\\r' '\\ ' '\\065' '\\x41' '\\o101'");
  int want[] = {'a', '\n', '\t', '\\', '\'', '"', '\b', '\r', ' ', 'A', 'A', 'A'};
  for (int i = 0; i < 12; i++) {
    Token t;
    lex_next(&f->lx, &t);
    assert_int_equal(t.kind, TOK_CHAR);
    assert_int_equal(t.ival, want[i]);
  }
  fx_free(f);
}

static void test_lexer_strings(void **state) {
  (void)state;
  Fixture *f = fx_new("\"a\\n\\065\\x42\\u{e9}\" \"ab\\\n    cd\" {|x\"y|} {id|a|}b|id} \"\\q\"");
  Token t;
  lex_next(&f->lx, &t);
  assert_int_equal(t.kind, TOK_STRING);
  assert_int_equal(t.slen, 6);
  assert_memory_equal(t.str, "a\nAB\xc3\xa9", 6);
  lex_next(&f->lx, &t);
  assert_string_equal(t.str, "abcd");
  lex_next(&f->lx, &t);
  assert_string_equal(t.str, "x\"y");
  lex_next(&f->lx, &t);
  assert_string_equal(t.str, "a|}b");
  lex_next(&f->lx, &t);
  assert_string_equal(t.str, "\\q");
  /* Warning 14 for the illegal backslash, at the two characters. */
  assert_non_null(f->ctx.diags);
  assert_int_equal(f->ctx.diags->warn_num, 14);
  assert_int_equal(f->ctx.diags->loc.line1, 2);
  assert_int_equal(f->ctx.diags->loc.col1, 30);
  assert_int_equal(f->ctx.diags->loc.col2, 32);
  fx_free(f);
}

static void test_lexer_comments(void **state) {
  (void)state;
  char buf[256];
  kinds("a (* x (* nested *) \"*)\" '\"' *) b", buf, sizeof buf);
  assert_string_equal(buf, "LIDENT LIDENT");
}

static void test_lexer_errors(void **state) {
  (void)state;
  Loc l;
  assert_string_equal(lex_error_of("let x = 1 \001", &l), "Illegal character (\\001)");
  assert_int_equal(l.col1, 10);
  assert_int_equal(l.col2, 11);
  assert_string_equal(lex_error_of("\"abc", &l), "String literal not terminated");
  assert_int_equal(l.col1, 0);
  assert_int_equal(l.col2, 1);
  assert_string_equal(lex_error_of("x (* abc", &l), "Comment not terminated");
  assert_int_equal(l.col1, 2);
  assert_int_equal(l.col2, 4);
  assert_string_equal(lex_error_of("'\\q'", &l), "Illegal backslash escape in string or character (\\q)");
  assert_int_equal(l.col2, 3);
  assert_string_equal(lex_error_of("\"\\999\"", &l),
                      "Illegal backslash escape in string or character (\\999): 999 is outside "
                      "the range of legal characters (0-255).");
  assert_string_equal(lex_error_of("12abc", &l), "Invalid literal 12abc");
  assert_string_equal(lex_error_of("(* \"abc *)", &l),
                      "This comment contains an unterminated string literal");
}

static void test_lexer_locations(void **state) {
  (void)state;
  Fixture *f = fx_new("let\n  x = \"a\nb\"");
  Token t;
  lex_next(&f->lx, &t);
  assert_int_equal(t.loc.line1, 1);
  lex_next(&f->lx, &t);
  assert_int_equal(t.loc.line1, 2);
  assert_int_equal(t.loc.col1, 2);
  assert_int_equal(t.loc.off1, 6);
  lex_next(&f->lx, &t);
  lex_next(&f->lx, &t);
  assert_int_equal(t.kind, TOK_STRING);
  assert_int_equal(t.loc.line1, 2);
  assert_int_equal(t.loc.line2, 3);
  assert_int_equal(t.loc.col2, 2);
  fx_free(f);
}

static void test_lexer_phrase_end(void **state) {
  (void)state;
  const char *s1 = "let x = \";;\" (* ;; *) in x;; let y";
  assert_int_equal(lex_phrase_end(s1, (int)strlen(s1)), 28);
  const char *s2 = "let x = 1";
  assert_int_equal(lex_phrase_end(s2, (int)strlen(s2)), -1);
  const char *s3 = "module M = struct let a = 1;; let b = 2 end;;";
  assert_int_equal(lex_phrase_end(s3, (int)strlen(s3)), (int)strlen(s3));
  const char *s4 = "(* open comment ;;";
  assert_int_equal(lex_phrase_end(s4, (int)strlen(s4)), -1);
  assert_true(lex_is_blank("  (* c *)\n", 10));
  assert_false(lex_is_blank(" x", 2));
  assert_false(lex_is_blank("(* c", 4));
  const char *s5 = "let = 1\n 5;; 6;;";
  assert_int_equal(lex_skip_phrase(s5, (int)strlen(s5), 4), 12);
  assert_int_equal(lex_skip_phrase(";;x", 3, 0), 2);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_lexer_keywords_and_idents),
      cmocka_unit_test(test_lexer_every_keyword),
      cmocka_unit_test(test_lexer_operators),
      cmocka_unit_test(test_lexer_integer_literals),
      cmocka_unit_test(test_lexer_float_literals),
      cmocka_unit_test(test_lexer_chars_and_escapes),
      cmocka_unit_test(test_lexer_strings),
      cmocka_unit_test(test_lexer_comments),
      cmocka_unit_test(test_lexer_errors),
      cmocka_unit_test(test_lexer_locations),
      cmocka_unit_test(test_lexer_phrase_end),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
