/* test_fmt.c — unit tests of compiler/fmt.c, the Format engine: each test
 * prints through fmt_printf (or the box/break calls) and compares with what
 * OCaml 4.13.1's Stdlib.Format prints for the same directives.
 *
 * How the expectations were obtained: each case was run as
 *   let b = Buffer.create 16 in let f = Format.formatter_of_buffer b in
 *   Format.fprintf f "<the same format string>" <the same arguments>; ...
 * with `ocaml script.ml` (OCaml 4.13.1), and Buffer.contents b pasted here.
 * A fresh formatter has Format's defaults, as the toplevel's std_formatter:
 * margin 78, max_indent 68, unlimited boxes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fmt.h"

/* Expected: OCaml 4.13.1, Format.fprintf on Format.formatter_of_buffer
 * (default margin 78, max_indent 68); see the header comment. */
static void test_fmt_hov_fills_lines(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_printf(f, "@[<hov 2>%s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@]@.",
             "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda",
             "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon");
  fmt_flush(f);
  assert_string_equal(b.data ? b.data : "",
                      "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi\n"
                      "  omicron pi rho sigma tau upsilon\n");
  fmt_free(f);
  buf_free(&b);
}

/* Expected: OCaml 4.13.1, Format.fprintf on Format.formatter_of_buffer
 * (default margin 78, max_indent 68); see the header comment. */
static void test_fmt_hov_indent_after_text(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_printf(
      f,
      "@[<hov 4>let x =@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@]@.",
      "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
      "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon");
  fmt_flush(f);
  assert_string_equal(b.data ? b.data : "",
                      "let x = alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu\n"
                      "    xi omicron pi rho sigma tau upsilon\n");
  fmt_free(f);
  buf_free(&b);
}

/* Expected: OCaml 4.13.1, Format.fprintf on Format.formatter_of_buffer
 * (default margin 78, max_indent 68); see the header comment. */
static void test_fmt_hv_fits_stays_horizontal(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_printf(f, "@[<hv 2>%s@ %s@ %s@ %s@]@.", "alpha", "beta", "gamma", "delta");
  fmt_flush(f);
  assert_string_equal(b.data ? b.data : "", "alpha beta gamma delta\n");
  fmt_free(f);
  buf_free(&b);
}

/* Expected: OCaml 4.13.1, Format.fprintf on Format.formatter_of_buffer
 * (default margin 78, max_indent 68); see the header comment. */
static void test_fmt_hv_too_long_goes_vertical(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_printf(f, "@[<hv 2>%s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@]@.",
             "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda",
             "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon");
  fmt_flush(f);
  assert_string_equal(b.data ? b.data : "", "alpha\n"
                                            "  beta\n"
                                            "  gamma\n"
                                            "  delta\n"
                                            "  epsilon\n"
                                            "  zeta\n"
                                            "  eta\n"
                                            "  theta\n"
                                            "  iota\n"
                                            "  kappa\n"
                                            "  lambda\n"
                                            "  mu\n"
                                            "  nu\n"
                                            "  xi\n"
                                            "  omicron\n"
                                            "  pi\n"
                                            "  rho\n"
                                            "  sigma\n"
                                            "  tau\n"
                                            "  upsilon\n");
  fmt_free(f);
  buf_free(&b);
}

/* Expected: OCaml 4.13.1, Format.fprintf on Format.formatter_of_buffer
 * (default margin 78, max_indent 68); see the header comment. */
static void test_fmt_v_always_breaks(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_printf(f, "@[<v 3>%s@ %s@ %s@ %s@]@.", "alpha", "beta", "gamma", "delta");
  fmt_flush(f);
  assert_string_equal(b.data ? b.data : "", "alpha\n"
                                            "   beta\n"
                                            "   gamma\n"
                                            "   delta\n");
  fmt_free(f);
  buf_free(&b);
}

/* Expected: OCaml 4.13.1, Format.fprintf on Format.formatter_of_buffer
 * (default margin 78, max_indent 68); see the header comment. */
static void test_fmt_h_never_breaks(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_printf(f, "@[<h>%s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@]@.",
             "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda",
             "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon");
  fmt_flush(f);
  assert_string_equal(b.data ? b.data : "", "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda "
                                            "mu nu xi omicron pi rho sigma tau upsilon\n");
  fmt_free(f);
  buf_free(&b);
}

/* Expected: OCaml 4.13.1, Format.fprintf on Format.formatter_of_buffer
 * (default margin 78, max_indent 68); see the header comment. */
static void test_fmt_b_box_breaks_when_moving_left(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_printf(f,
             "@[<b 2>(%s@ @[<b 2>(%s@ %s@ %s)@]@ @[<b 2>(%s@ %s@ %s@ %s@ %s@ %s)@]@ %s@ %s@ %s@ %s@ %s)@]@.",
             "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda",
             "mu", "nu", "xi", "omicron");
  fmt_flush(f);
  assert_string_equal(b.data ? b.data : "",
                      "(alpha (beta gamma delta) (epsilon zeta eta theta iota kappa) lambda mu nu xi\n"
                      "  omicron)\n");
  fmt_free(f);
  buf_free(&b);
}

/* Expected: OCaml 4.13.1, Format.fprintf on Format.formatter_of_buffer
 * (default margin 78, max_indent 68); see the header comment. */
static void test_fmt_hov_vs_b_nested(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_printf(
      f,
      "@[<hov 2>(%s@ @[<hov 2>(%s@ %s@ %s)@]@ @[<hov 2>(%s@ %s@ %s@ %s@ %s@ %s)@]@ %s@ %s@ %s@ %s@ %s)@]@.",
      "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
      "nu", "xi", "omicron");
  fmt_flush(f);
  assert_string_equal(b.data ? b.data : "",
                      "(alpha (beta gamma delta) (epsilon zeta eta theta iota kappa) lambda mu nu xi\n"
                      "  omicron)\n");
  fmt_free(f);
  buf_free(&b);
}

/* Expected: OCaml 4.13.1, Format.fprintf on Format.formatter_of_buffer
 * (default margin 78, max_indent 68); see the header comment. */
static void test_fmt_break_offsets(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_printf(f, "@[<v 2>%s@;<1 4>%s@;<3 -1>%s@,%s@]@.", "alpha", "beta", "gamma", "delta");
  fmt_printf(f, "@[<hov 0>%s@;<5 2>%s@]@.", "x", "y");
  fmt_flush(f);
  assert_string_equal(b.data ? b.data : "", "alpha\n"
                                            "      beta\n"
                                            " gamma\n"
                                            "  delta\n"
                                            "x     y\n");
  fmt_free(f);
  buf_free(&b);
}

/* Expected: OCaml 4.13.1, Format.fprintf on Format.formatter_of_buffer
 * (default margin 78, max_indent 68); see the header comment. */
static void test_fmt_force_newline_in_hov(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_printf(f, "@[<hov 2>%s@ %s@\n%s@ %s@]@.", "alpha", "beta", "gamma", "delta");
  fmt_flush(f);
  assert_string_equal(b.data ? b.data : "", "alpha beta\n"
                                            "  gamma delta\n");
  fmt_free(f);
  buf_free(&b);
}

/* Expected: OCaml 4.13.1, Format.fprintf on Format.formatter_of_buffer
 * (default margin 78, max_indent 68); see the header comment. */
static void test_fmt_flush_newline_closes_boxes(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_printf(f, "@[<v 2>%s@ @[<hov 1>%s@ %s@.", "alpha", "beta", "gamma");
  fmt_printf(f, "%s@ %s@.", "delta", "epsilon");
  fmt_flush(f);
  assert_string_equal(b.data ? b.data : "", "alpha\n"
                                            "  beta gamma\n"
                                            "delta\n"
                                            "epsilon\n");
  fmt_free(f);
  buf_free(&b);
}

/* Expected: OCaml 4.13.1, Format.fprintf on Format.formatter_of_buffer
 * (default margin 78, max_indent 68); see the header comment. */
static void test_fmt_max_indent_rejects_box(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_printf(f, "@[<hov 2>%s@ %s@ %s@ %s@ %s@ %s@ @[<hov 2>%s@ %s@ %s@ %s@ %s@ %s@]@]@.", "abcdefghij",
             "abcdefghij", "abcdefghij", "abcdefghij", "abcdefghij", "abcdefghij", "aaaaaaaa", "bbbbbbbb",
             "cccccccc", "dddddddd", "eeeeeeee", "ffffffff");
  fmt_flush(f);
  assert_string_equal(b.data ? b.data : "",
                      "abcdefghij abcdefghij abcdefghij abcdefghij abcdefghij abcdefghij\n"
                      "  aaaaaaaa bbbbbbbb cccccccc dddddddd eeeeeeee ffffffff\n");
  fmt_free(f);
  buf_free(&b);
}

/* Expected: OCaml 4.13.1, Format.fprintf on Format.formatter_of_buffer
 * (default margin 78, max_indent 68); see the header comment. */
static void test_fmt_deep_nesting_max_indent(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_printf(f,
             "@[<2>(@[<2>(@[<2>(@[<2>(@[<2>(@[<2>(@[<2>(@[<2>(@[<2>(@[<2>(@[<2>(@[<2>(@[<2>(@[<2>(@[<2>(@[<2>"
             "(@[<2>(@[<2>(@[<2>(@[<2>(@[<2>(@[<2>(@[<2>(@[<2>(@[<2>(@[<2>(@[<2>(@[<2>(@[<2>(@[<2>(@[<2>(@[<"
             "2>(@[<2>(@[<2>(@[<2>(@[<2>(@[<2>(@[<2>(@[<2>(@[<2>(%s@ "
             "%s)@])@])@])@])@])@])@])@])@])@])@])@])@])@])@])@])@])@])@])@])@])@])@])@])@])@])@])@])@])@])@]"
             ")@])@])@])@])@])@])@])@])@]@.",
             "abcdefghij", "abcdefghij");
  fmt_flush(f);
  assert_string_equal(b.data ? b.data : "", "((((((((((((((((((((((((((((((((((((((((abcdefghij "
                                            "abcdefghij))))))))))))))))))))))))))))))))))))))))\n");
  fmt_free(f);
  buf_free(&b);
}

/* Expected: OCaml 4.13.1, Format.fprintf on Format.formatter_of_buffer
 * (default margin 78, max_indent 68); see the header comment. */
static void test_fmt_long_word_overflows_margin(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_printf(f, "@[<hov 2>%s@ %s@ %s@]@.", "x",
             "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy",
             "z");
  fmt_flush(f);
  assert_string_equal(
      b.data ? b.data : "",
      "x\n"
      "  yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\n"
      "  z\n");
  fmt_free(f);
  buf_free(&b);
}

/* Expected: OCaml 4.13.1, Format.fprintf on Format.formatter_of_buffer
 * (default margin 78, max_indent 68); see the header comment. */
static void test_fmt_set_margin_20(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_set_margin(f, 20);
  fmt_printf(f, "@[<hov 2>%s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@]@.", "alpha", "beta", "gamma",
             "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu");
  fmt_flush(f);
  assert_string_equal(b.data ? b.data : "", "alpha beta gamma\n"
                                            "  delta epsilon\n"
                                            "  zeta eta theta\n"
                                            "  iota kappa lambda\n"
                                            "  mu\n");
  fmt_free(f);
  buf_free(&b);
}

/* Expected: OCaml 4.13.1, Format.fprintf on Format.formatter_of_buffer
 * (default margin 78, max_indent 68); see the header comment. */
static void test_fmt_set_max_indent_10(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_set_margin(f, 40);
  fmt_set_max_indent(f, 10);
  fmt_printf(f, "@[<hov 2>%s@ @[<hov 2>%s@ @[<hov 2>%s@ %s@ %s@ %s@]@]@]@.", "alpha", "beta", "gamma",
             "delta", "epsilon", "zeta");
  fmt_flush(f);
  assert_string_equal(b.data ? b.data : "", "alpha beta gamma delta epsilon zeta\n");
  fmt_free(f);
  buf_free(&b);
}

/* Expected: OCaml 4.13.1, Format.fprintf on Format.formatter_of_buffer
 * (default margin 78, max_indent 68); see the header comment. */
static void test_fmt_max_boxes_ellipsis(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_set_max_boxes(f, 3);
  fmt_printf(f, "@[<1>[%s;@ @[<1>[%s;@ @[<1>[%s;@ %s]@]@]@]@ %s]@]@.", "alpha", "beta", "gamma", "delta",
             "epsilon");
  fmt_flush(f);
  assert_string_equal(b.data ? b.data : "", "[alpha; .\n"
                                            "epsilon]\n");
  fmt_free(f);
  buf_free(&b);
}

/* Expected: OCaml 4.13.1, Format.fprintf on Format.formatter_of_buffer
 * (default margin 78, max_indent 68); see the header comment. */
static void test_fmt_toplevel_eval_layout(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_printf(f,
             "@[- : %s@ =@ @[<1>[%s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ "
             "%s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ "
             "%s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ "
             "%s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s]@]@]@.",
             "int list", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15",
             "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31",
             "32", "33", "34", "35", "36", "37", "38", "39", "40", "41", "42", "43", "44", "45", "46", "47",
             "48", "49", "50", "51", "52", "53", "54", "55", "56", "57", "58", "59");
  fmt_flush(f);
  assert_string_equal(b.data ? b.data : "",
                      "- : int list =\n"
                      "[0; 1; 2; 3; 4; 5; 6; 7; 8; 9; 10; 11; 12; 13; 14; 15; 16; 17; 18; 19; 20;\n"
                      " 21; 22; 23; 24; 25; 26; 27; 28; 29; 30; 31; 32; 33; 34; 35; 36; 37; 38; 39;\n"
                      " 40; 41; 42; 43; 44; 45; 46; 47; 48; 49; 50; 51; 52; 53; 54; 55; 56; 57; 58;\n"
                      " 59]\n");
  fmt_free(f);
  buf_free(&b);
}

/* Expected: OCaml 4.13.1, Format.fprintf on Format.formatter_of_buffer
 * (default margin 78, max_indent 68); see the header comment. */
static void test_fmt_toplevel_val_layout(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_printf(f,
             "@[<v>@[<2>@[<2>val %s :@ %s@] =@ @[<1>[%s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ "
             "%s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ "
             "%s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ "
             "%s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s;@ %s]@]@]@]@.",
             "x", "int list", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14",
             "15", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30",
             "31", "32", "33", "34", "35", "36", "37", "38", "39", "40", "41", "42", "43", "44", "45", "46",
             "47", "48", "49", "50", "51", "52", "53", "54", "55", "56", "57", "58", "59");
  fmt_flush(f);
  assert_string_equal(b.data ? b.data : "",
                      "val x : int list =\n"
                      "  [0; 1; 2; 3; 4; 5; 6; 7; 8; 9; 10; 11; 12; 13; 14; 15; 16; 17; 18; 19; 20;\n"
                      "   21; 22; 23; 24; 25; 26; 27; 28; 29; 30; 31; 32; 33; 34; 35; 36; 37; 38;\n"
                      "   39; 40; 41; 42; 43; 44; 45; 46; 47; 48; 49; 50; 51; 52; 53; 54; 55; 56;\n"
                      "   57; 58; 59]\n");
  fmt_free(f);
  buf_free(&b);
}

/* Expected: OCaml 4.13.1, Format.fprintf on Format.formatter_of_buffer
 * (default margin 78, max_indent 68); see the header comment. */
static void test_fmt_ints_and_literals(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_printf(f, "@[x = %d,@ y = %d%%,@ @@z@]@.", 42, -7);
  fmt_flush(f);
  assert_string_equal(b.data ? b.data : "", "x = 42, y = -7%, @z\n");
  fmt_free(f);
  buf_free(&b);
}

/* Expected: OCaml 4.13.1, Format.fprintf on Format.formatter_of_buffer
 * (default margin 78, max_indent 68); see the header comment. */
static void test_fmt_flush_without_newline(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_printf(f, "@[<hov 2>%s@ %s@?", "alpha", "beta");
  fmt_printf(f, "%s@.", "!");
  fmt_flush(f);
  assert_string_equal(b.data ? b.data : "", "alpha beta!\n");
  fmt_free(f);
  buf_free(&b);
}

/* Expected: OCaml 4.13.1, Format.fprintf on Format.formatter_of_buffer
 * (default margin 78, max_indent 68); see the header comment. */
static void test_fmt_unknown_size_counts_as_infinite(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_printf(f, "@[<hov 0>%s@ @[<hov 0>%s@ %s@]@]@.",
             "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
             "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "c");
  fmt_flush(f);
  assert_string_equal(b.data ? b.data : "",
                      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
                      "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb c\n");
  fmt_free(f);
  buf_free(&b);
}

/* Expected: OCaml 4.13.1, Format.fprintf on Format.formatter_of_buffer
 * (default margin 78, max_indent 68); see the header comment. */
static void test_fmt_hv_inside_hov(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_printf(f, "@[<hov 2>%s@ @[<hv 2>%s@ %s@ %s@ %s@]@ %s@]@.", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
             "bbbbbbbbbbbbbbb", "ccccccccccccccc", "ddddddddddddddd", "eeeeeeeeeeeeeee", "f");
  fmt_flush(f);
  assert_string_equal(b.data ? b.data : "",
                      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
                      "  bbbbbbbbbbbbbbb ccccccccccccccc ddddddddddddddd eeeeeeeeeeeeeee f\n");
  fmt_free(f);
  buf_free(&b);
}

static void print_ints(Fmt *f, const void *arg) {
  const int *n = arg;
  for (int i = 0; i < *n; i++) {
    if (i > 0) fmt_printf(f, ";@ ");
    fmt_printf(f, "%d", i * 37);
  }
}

/* Expected: OCaml 4.13.1,
 *   let pr_ints f l = List.iteri (fun i x -> if i > 0 then
 *     Format.fprintf f ";@ "; Format.fprintf f "%d" x) l in
 *   Format.fprintf f "@[<hov 2>items:@ [@[<hov 0>%a@]]@ done@]@." pr_ints
 *     (List.init 40 (fun i -> i * 37)) */
static void test_fmt_percent_a_callback(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  int n = 40;
  fmt_printf(f, "@[<hov 2>items:@ [@[<hov 0>%a@]]@ done@]@.", print_ints, (const void *)&n);
  assert_string_equal(b.data, "items:\n"
                              "  [0; 37; 74; 111; 148; 185; 222; 259; 296; 333; 370; 407; 444; 481; 518;\n"
                              "   555; 592; 629; 666; 703; 740; 777; 814; 851; 888; 925; 962; 999; 1036;\n"
                              "   1073; 1110; 1147; 1184; 1221; 1258; 1295; 1332; 1369; 1406; 1443] done\n");
  fmt_free(f);
  buf_free(&b);
}

/* Expected: OCaml 4.13.1, the same calls through Format's functions:
 *   pp_open_hvbox f 1; pp_print_string f "("; ... 40 x ...; ","; space;
 *   pp_print_as f 3 "λλλ"; ","; pp_print_break f 2 3; ... 40 y ...;
 *   pp_print_cut f (); ")"; pp_close_box f (); pp_print_newline f () */
static void test_fmt_direct_calls_and_print_as(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_open_box(f, FMT_HV, 1);
  fmt_string(f, "(");
  fmt_string(f, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  fmt_string(f, ",");
  fmt_space(f);
  fmt_string_as(f, "\xce\xbb\xce\xbb\xce\xbb", 3);
  fmt_string(f, ",");
  fmt_break(f, 2, 3);
  fmt_string(f, "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy");
  fmt_cut(f);
  fmt_string(f, ")");
  fmt_close_box(f);
  fmt_flush_newline(f);
  assert_string_equal(b.data, "(xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx,\n"
                              " \xce\xbb\xce\xbb\xce\xbb,\n"
                              "    yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\n"
                              " )\n");
  fmt_free(f);
  buf_free(&b);
}

/* fmt_free flushes what is still queued, as at_exit flushes std_formatter. */
static void test_fmt_free_flushes_pending(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_printf(f, "@[<hov 2>pending@ text");
  fmt_free(f);
  assert_string_equal(b.data, "pending text");
  buf_free(&b);
}

/* A box opened past the right margin is printed (its size unknown,
 * counted as infinite) before anything of positive length follows it, so
 * it stays on the scan stack after leaving the queue; the queue then
 * empties and restarts, and closing the box must not reach back for the
 * printed token. Expected: OCaml 4.13.1,
 *   Format.fprintf f "%s@[<hov 2>%s@]@ after@." (String.make 80 'x') "" */
static void test_fmt_box_printed_before_its_close(void **state) {
  (void)state;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fmt_printf(f, "%s@[<hov 2>%s@]@ after@.",
             "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "");
  fmt_flush(f);
  assert_string_equal(b.data ? b.data : "",
                      "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
                      "\n"
                      "after\n");
  fmt_free(f);
  buf_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fmt_hov_fills_lines),
      cmocka_unit_test(test_fmt_hov_indent_after_text),
      cmocka_unit_test(test_fmt_hv_fits_stays_horizontal),
      cmocka_unit_test(test_fmt_hv_too_long_goes_vertical),
      cmocka_unit_test(test_fmt_v_always_breaks),
      cmocka_unit_test(test_fmt_h_never_breaks),
      cmocka_unit_test(test_fmt_b_box_breaks_when_moving_left),
      cmocka_unit_test(test_fmt_hov_vs_b_nested),
      cmocka_unit_test(test_fmt_break_offsets),
      cmocka_unit_test(test_fmt_force_newline_in_hov),
      cmocka_unit_test(test_fmt_flush_newline_closes_boxes),
      cmocka_unit_test(test_fmt_max_indent_rejects_box),
      cmocka_unit_test(test_fmt_deep_nesting_max_indent),
      cmocka_unit_test(test_fmt_long_word_overflows_margin),
      cmocka_unit_test(test_fmt_set_margin_20),
      cmocka_unit_test(test_fmt_set_max_indent_10),
      cmocka_unit_test(test_fmt_max_boxes_ellipsis),
      cmocka_unit_test(test_fmt_toplevel_eval_layout),
      cmocka_unit_test(test_fmt_toplevel_val_layout),
      cmocka_unit_test(test_fmt_ints_and_literals),
      cmocka_unit_test(test_fmt_flush_without_newline),
      cmocka_unit_test(test_fmt_unknown_size_counts_as_infinite),
      cmocka_unit_test(test_fmt_hv_inside_hov),
      cmocka_unit_test(test_fmt_percent_a_callback),
      cmocka_unit_test(test_fmt_direct_calls_and_print_as),
      cmocka_unit_test(test_fmt_free_flushes_pending),
      cmocka_unit_test(test_fmt_box_printed_before_its_close),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
