/* warnings.c — warning specifications in OCaml's -w / -warn-error syntax:
 * a mnemonic name alone ("partial-match", "-partial-match"), or a list of
 * tokens — a letter (a predefined set; lowercase disables, uppercase
 * enables) or a number or range after a sign (+ enable, - disable,
 * @ enable as an error). The whole list is read before any of it
 * applies, so an ill-formed one changes nothing. */
#include "warnings.h"

#include <stdlib.h>
#include <string.h>

#include "fmt.h"

static const char *const names[WARN_LAST + 1] = {
    [0] = "",
#define NML_WARNING(n, name) [n] = name,
#include "warnings.def"
#undef NML_WARNING
};

const char *warn_name(int n) { return n >= 1 && n <= WARN_LAST ? names[n] : ""; }

static int number_of_name(const char *s) {
  if (!*s) return 0;
  for (int n = 1; n <= WARN_LAST; n++)
    if (strcmp(names[n], s) == 0) return n;
  return 0;
}

/* What a token does to the warnings it names. NONE: a letter without a
 * sign, whose case decides. */
typedef enum Modifier { MOD_NONE, MOD_SET, MOD_CLEAR, MOD_SET_ALL } Modifier;

typedef struct Token {
  Modifier mod;
  char letter; /* 0 for a number or range */
  int n1, n2;
} Token;

/* The warnings of a letter's predefined set (OCaml's Warnings.letter). */
static int letter_set(char lc, int *out) {
  static const struct {
    char c;
    signed char nums[13];
  } sets[] = {
      {'c', {1, 2}},
      {'d', {3}},
      {'e', {4}},
      {'f', {5}},
      {'k', {32, 33, 34, 35, 36, 37, 38, 39}},
      {'l', {6}},
      {'m', {7}},
      {'p', {8}},
      {'r', {9}},
      {'s', {10}},
      {'u', {11, 12}},
      {'v', {13}},
      {'x', {14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 30}},
      {'y', {26}},
      {'z', {27}},
  };
  int n = 0;
  if (lc == 'a') {
    for (int i = 1; i <= WARN_LAST; i++) out[n++] = i;
    return n;
  }
  for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++)
    if (sets[i].c == lc)
      for (int j = 0; j < 13 && sets[i].nums[j]; j++) out[n++] = sets[i].nums[j];
  return n;
}

static void apply(WarnSettings *w, bool error, Modifier mod, int n) {
  bool *flags = error ? w->error : w->active;
  switch (mod) {
  case MOD_SET: flags[n] = true; break;
  case MOD_CLEAR: flags[n] = false; break;
  case MOD_SET_ALL: w->active[n] = w->error[n] = true; break;
  case MOD_NONE: NML_UNREACHABLE();
  }
}

static void apply_token(WarnSettings *w, bool error, const Token *t) {
  if (!t->letter) {
    for (int n = t->n1; n <= t->n2 && n <= WARN_LAST; n++) apply(w, error, t->mod, n);
    return;
  }
  char lc = (char)(t->letter | 0x20);
  Modifier mod = t->mod != MOD_NONE ? t->mod : lc == t->letter ? MOD_CLEAR : MOD_SET;
  int nums[WARN_LAST];
  int k = letter_set(lc, nums);
  for (int i = 0; i < k; i++) apply(w, error, mod, nums[i]);
}

static bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Reads the digits at s[*i] (none reads as 0). */
static int read_num(const char *s, int *i) {
  long n = 0;
  while (is_digit(s[*i])) {
    if (n < 1000000) n = 10 * n + (s[*i] - '0');
    (*i)++;
  }
  return (int)n;
}

/* The list form: tokens into out (room for strlen(s) of them); returns
 * their count, or -1 when the list is ill-formed. */
static int tokenize(const char *s, Token *out) {
  int len = (int)strlen(s), i = 0, n = 0;
  while (i < len) {
    char c = s[i];
    if (is_letter(c)) {
      out[n++] = (Token){MOD_NONE, c, 0, 0};
      i++;
      continue;
    }
    Modifier mod = c == '+' ? MOD_SET : c == '-' ? MOD_CLEAR : c == '@' ? MOD_SET_ALL : MOD_NONE;
    if (mod == MOD_NONE || ++i >= len) return -1;
    if (is_letter(s[i])) {
      out[n++] = (Token){mod, s[i], 0, 0};
      i++;
    } else if (is_digit(s[i])) {
      int n1 = read_num(s, &i), n2 = n1;
      /* A range needs a digit position after its dots, as OCaml checks. */
      if (i + 2 < len && s[i] == '.' && s[i + 1] == '.') {
        i += 2;
        n2 = read_num(s, &i);
        if (n2 < n1) return -1;
      }
      out[n++] = (Token){mod, 0, n1, n2};
    } else {
      return -1;
    }
  }
  return n;
}

static void put_modifier(Buf *b, Modifier mod) {
  buf_putc(b, mod == MOD_SET_ALL ? '@' : mod == MOD_CLEAR ? '-' : '+');
}

/* OCaml's alert for unsigned letters: the last run of two or more of them
 * as the example, the whole list in its signed form, and a spelling hint
 * when some run is five letters or more (a misspelt name, likely). */
static char *letters_alert(const Token *t, int n) {
  int best_start = -1, best_len = 0, longest = 0;
  for (int i = 0; i < n;) {
    int j = i;
    while (j < n && t[j].letter && t[j].mod == MOD_NONE) j++;
    if (j - i >= 2) {
      best_start = i;
      best_len = j - i;
      if (j - i > longest) longest = j - i;
    }
    i = j > i ? j : i + 1;
  }
  if (best_start < 0) return NULL;
  Buf example, signed_form, out;
  buf_init(&example);
  buf_init(&signed_form);
  buf_init(&out);
  for (int i = 0; i < best_len; i++) buf_putc(&example, t[best_start + i].letter);
  for (int i = 0; i < n; i++) {
    if (!t[i].letter) {
      put_modifier(&signed_form, t[i].mod);
      buf_printf(&signed_form, t[i].n1 == t[i].n2 ? "%d" : "%d..%d", t[i].n1, t[i].n2);
    } else if (t[i].mod != MOD_NONE) {
      put_modifier(&signed_form, t[i].mod);
      buf_putc(&signed_form, t[i].letter);
    } else {
      buf_putc(&signed_form, (t[i].letter | 0x20) == t[i].letter ? '-' : '+');
      buf_putc(&signed_form, t[i].letter);
    }
  }
  Fmt *f = fmt_new(&out);
  fmt_printf(f,
             "@[<v>@[Setting a warning with a sequence of lowercase or uppercase letters,@ like '%s',@ is "
             "deprecated.@]@ @[Use the equivalent signed form:@ %s.@]@ @[Hint: Enabling or disabling a "
             "warning by its mnemonic name requires a + or - prefix.@]",
             example.data, signed_form.data);
  if (longest >= 5) fmt_printf(f, "@ @[Hint: Did you make a spelling mistake when using a mnemonic name?@]");
  fmt_printf(f, "@]");
  fmt_free(f);
  buf_free(&example);
  buf_free(&signed_form);
  return out.data;
}

bool warn_parse(WarnSettings *w, const char *spec, bool error, char **alert) {
  *alert = NULL;
  int n = number_of_name(spec);
  if (n) {
    apply(w, error, MOD_SET, n);
    return true;
  }
  if (spec[0] && (n = number_of_name(spec + 1)) != 0) {
    Modifier mod = spec[0] == '+'   ? MOD_SET
                   : spec[0] == '-' ? MOD_CLEAR
                   : spec[0] == '@' ? MOD_SET_ALL
                                    : MOD_NONE;
    if (mod != MOD_NONE) {
      apply(w, error, mod, n);
      return true;
    }
  }
  Token *tokens = malloc(sizeof *tokens * (strlen(spec) + 1));
  if (!tokens) nml_fatal("out of memory");
  int ntokens = tokenize(spec, tokens);
  if (ntokens < 0) {
    free(tokens);
    return false;
  }
  for (int i = 0; i < ntokens; i++) apply_token(w, error, &tokens[i]);
  *alert = letters_alert(tokens, ntokens);
  free(tokens);
  return true;
}

void warn_defaults(WarnSettings *w) {
  memset(w, 0, sizeof *w);
  for (int n = 1; n <= WARN_LAST; n++) w->active[n] = true;
  char *alert;
  bool ok = warn_parse(w, "+a-4-7-9-27-29-30-32..42-44-45-48-50-60-66..70", false, &alert);
  ok = ok && warn_parse(w, "-a+31", true, &alert);
  NML_ASSERT(ok && !alert);
}
