/* warnings.h — which of OCaml's warnings are active and which are
 * errors, and the specifications that change them: OCaml's -w and
 * -warn-error syntax ("+a-4-7..9@8", letters, mnemonic names), parsed
 * and applied as OCaml 4.13's Warnings.parse_options does. The driver
 * checks a specification once at start-up; the session applies it; and
 * ctx_warn (diag.h) consults the result for every warning.
 */
#ifndef NML_WARNINGS_H
#define NML_WARNINGS_H

#include <stdbool.h>

/* The highest warning number OCaml 4.13 knows (its last_warning_number). */
#define WARN_LAST 70

/* Warning n is reported when active[n], and reported as an error
 * ("Error (warning 8 [partial-match]): ...") when error[n] too. Index 0
 * is unused, as in OCaml's arrays. */
typedef struct WarnSettings {
  bool active[WARN_LAST + 1];
  bool error[WARN_LAST + 1];
} WarnSettings;

/* OCaml's defaults: -w +a-4-7-9-27-29-30-32..42-44-45-48-50-60-66..70
 * -warn-error -a+31. */
void warn_defaults(WarnSettings *w);

/* Applies one specification to w's active set (error false, -w) or its
 * error set (error true, -warn-error); "@n" sets both. Returns false and
 * leaves w unchanged when spec is ill-formed (OCaml's "Ill-formed list of
 * warnings"). A well-formed spec that uses unsigned letters ("zz", which
 * OCaml deprecates) sets *alert to the text of OCaml's
 * ocaml_deprecated_cli alert, laid out as OCaml lays it out (free it
 * with free); otherwise *alert is NULL. */
bool warn_parse(WarnSettings *w, const char *spec, bool error, char **alert);

/* The mnemonic name of warning n ("partial-match"), "" when it has none
 * or n is out of range. */
const char *warn_name(int n);

#endif
