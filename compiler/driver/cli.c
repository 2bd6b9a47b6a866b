/* cli.c — reading natml's command line (cli.h): the options of
 * options.def with OCaml's Arg rules and messages, plugins and the
 * script; OCAML_COLOR; -help's list; and where OCaml's toplevel looks for
 * its init file. main_natml.c acts on the result. */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"

typedef enum ArgKind { ARG_NONE, ARG_STRING, ARG_COLOR } ArgKind;

typedef enum OptId {
#define NML_OPTION(id, name, argument, doc) OPT_##id,
#include "options.def"
#undef NML_OPTION
} OptId;

typedef struct Spec {
  OptId id;
  const char *name;
  ArgKind arg;
  const char *doc;
} Spec;

static const Spec specs[] = {
#define NML_OPTION(id, name, argument, doc) {OPT_##id, name, ARG_##argument, doc},
#include "options.def"
#undef NML_OPTION
};

enum { NSPECS = sizeof specs / sizeof specs[0] };

static const Spec *find_spec(const char *name, size_t len) {
  for (int i = 0; i < NSPECS; i++)
    if (strlen(specs[i].name) == len && strncmp(specs[i].name, name, len) == 0) return &specs[i];
  return NULL;
}

/* ---- Messages ------------------------------------------------------------ */

/* OCaml's Arg errors: the program's name as invoked, the message, then
 * the usage lines, which name the program by its own name. */
static CliAction usage_error(FILE *err, const char *prog, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(err, "%s: ", prog);
  vfprintf(err, fmt, ap);
  va_end(ap);
  fputs(".\nUsage: natml <options> <files>\nTry 'natml --help' for more information.\n", err);
  return CLI_ERROR;
}

/* OCaml sets its colours up once, at its first message, from the
 * setting known then: a message printed while options are still being
 * read fixes them. */
static bool fix_colors(CliOptions *o) {
  if (!o->color_fixed) {
    o->color_fixed = true;
    o->top.color = top_color_wanted(o->top.color) ? TOP_COLOR_ALWAYS : TOP_COLOR_NEVER;
  }
  return o->top.color == TOP_COLOR_ALWAYS;
}

/* A message OCaml locates at "File "_none_", line 1:" (no source). */
static void print_none_message(CliOptions *o, FILE *err, DiagStyle style, const char *head,
                               const char *text) {
  bool color = fix_colors(o);
  Buf b;
  buf_init(&b);
  diag_styled(&b, color, DIAG_STYLE_LOC, "File \"_none_\", line 1");
  buf_puts(&b, ":\n");
  diag_styled(&b, color, style, head);
  buf_printf(&b, "%s\n", text);
  fputs(b.data, err);
  buf_free(&b);
}

/* ---- Reading argv -------------------------------------------------------- */

static bool is_plugin(const char *word) {
  size_t n = strlen(word);
  return n >= 3 && strcmp(word + n - 3, ".so") == 0;
}

/* A word that is no option: a plugin to load, or the script (whose
 * Sys.argv starts at argv[index]); returns true for the script, after
 * which nothing more is read. */
static bool file_word(CliOptions *o, const char *word, int index) {
  if (is_plugin(word)) {
    o->plugins[o->nplugins++] = word;
    return false;
  }
  o->has_script = true;
  o->script = word[0] ? word : NULL; /* "": standard input, as in ocaml */
  o->script_index = index;
  return true;
}

static bool parse_color(const char *s, TopColor *c) {
  if (strcmp(s, "auto") == 0) *c = TOP_COLOR_AUTO;
  else if (strcmp(s, "always") == 0) *c = TOP_COLOR_ALWAYS;
  else if (strcmp(s, "never") == 0) *c = TOP_COLOR_NEVER;
  else return false;
  return true;
}

/* -w / -warn-error: checked and applied to o->warnings now, as OCaml
 * does while it reads its options, and kept for the session. */
static bool warn_option(CliOptions *o, FILE *err, const char *spec, bool error) {
  char *alert;
  if (!warn_parse(&o->warnings, spec, error, &alert)) return false;
  if (alert) {
    Buf text;
    buf_init(&text);
    buf_printf(&text, " ocaml_deprecated_cli: %s", alert);
    print_none_message(o, err, DIAG_STYLE_WARNING, "Alert", text.data);
    buf_free(&text);
    free(alert);
  }
  o->warn_specs[o->nwarn_specs++] = (TopWarnSpec){spec, error};
  return true;
}

/* Acts on option sp, whose argument (if it takes one) is arg. Returns
 * CLI_RUN to go on reading. */
static CliAction act(CliOptions *o, FILE *err, const char *prog, const Spec *sp, const char *arg, int at) {
  TopOptions *t = &o->top;
  switch (sp->id) {
  case OPT_I: o->include_dirs[o->ninclude_dirs++] = arg; break;
  case OPT_INIT: o->init_file = arg; break;
  case OPT_LABELS: t->nolabels = false; break;
  case OPT_NOINIT: o->noinit = true; break;
  case OPT_NOLABELS: t->nolabels = true; break;
  case OPT_NOPROMPT: t->noprompt = true; break;
  case OPT_NOPROMPTCONT: t->nopromptcont = true; break;
  case OPT_OPEN: o->opens[o->nopens++] = arg; break;
  case OPT_PRINCIPAL: t->principal = true; break;
  case OPT_RECTYPES: t->rectypes = true; break;
  case OPT_STDIN:
    o->has_script = true;
    o->script = NULL;
    o->script_index = at;
    break;
  case OPT_UNSAFE: t->unsafe = true; break;
  case OPT_VERSION:
  case OPT_VERSION2: return CLI_VERSION;
  case OPT_NOVERSION: o->noversion = true; break;
  case OPT_VNUM: return CLI_VNUM;
  case OPT_W:
  case OPT_WARN_ERROR:
    if (!warn_option(o, err, arg, sp->id == OPT_WARN_ERROR))
      return usage_error(err, prog, "Ill-formed list of warnings");
    break;
  case OPT_FILE: file_word(o, arg, at); break;
  case OPT_END: break; /* handled by cli_parse */
  case OPT_COLOR: {
    TopColor c = TOP_COLOR_AUTO;
    parse_color(arg, &c);
    o->color_given = true;
    if (!o->color_fixed) t->color = c;
    break;
  }
  case OPT_DPARSE: t->dparse = true; break;
  case OPT_DIR: t->dir = true; break;
  case OPT_DLLVM: t->dllvm = true; break;
  case OPT_DTIMINGS: t->dtimings = true; break;
  case OPT_DELF: t->keep_dir = arg; break;
  case OPT_O0:
  case OPT_O1:
  case OPT_O2:
  case OPT_O3: t->opt_level = (int)(sp->id - OPT_O0); break;
  case OPT_HELP:
  case OPT_HELP2: return CLI_HELP;
  }
  return CLI_RUN;
}

/* One option word at argv[*i] (moving *i past its argument). */
static CliAction option_word(CliOptions *o, FILE *err, int argc, char **argv, int *i) {
  const char *prog = argv[0] ? argv[0] : "natml";
  const char *word = argv[*i], *follow = NULL;
  const Spec *sp = find_spec(word, strlen(word));
  if (!sp) {
    /* "-color=always": the option, then its argument after the '='. */
    const char *eq = strchr(word, '=');
    if (eq) sp = find_spec(word, (size_t)(eq - word));
    if (!sp) return usage_error(err, prog, "unknown option '%s'", word);
    follow = eq + 1;
  }
  int at = *i;
  const char *arg = NULL;
  if (sp->arg == ARG_NONE) {
    if (follow)
      return usage_error(err, prog, "wrong argument '%s'; option '%s' expects no argument", follow, word);
  } else if (follow) {
    arg = follow;
  } else if (*i + 1 < argc) {
    arg = argv[++*i];
  } else {
    return usage_error(err, prog, "option '%s' needs an argument", word);
  }
  TopColor c;
  if (sp->arg == ARG_COLOR && !parse_color(arg, &c))
    return usage_error(err, prog, "wrong argument '%s'; option '%s' expects one of: auto always never", arg,
                       word);
  return act(o, err, prog, sp, arg, at);
}

CliAction cli_parse(int argc, char **argv, CliOptions *o, FILE *err) {
  memset(o, 0, sizeof *o);
  size_t n = (size_t)(argc > 0 ? argc : 1);
  o->plugins = calloc(n, sizeof *o->plugins);
  o->include_dirs = calloc(n, sizeof *o->include_dirs);
  o->opens = calloc(n, sizeof *o->opens);
  o->warn_specs = calloc(n, sizeof *o->warn_specs);
  if (!o->plugins || !o->include_dirs || !o->opens || !o->warn_specs) nml_fatal("out of memory");
  o->top.warn_specs = o->warn_specs;
  warn_defaults(&o->warnings);
  for (int i = 1; i < argc && !o->has_script; i++) {
    const char *word = argv[i];
    if (strcmp(word, "--") == 0) {
      for (i++; i < argc && !file_word(o, argv[i], i); i++) {}
      break;
    }
    if (word[0] != '-') {
      file_word(o, word, i);
      continue;
    }
    CliAction a = option_word(o, err, argc, argv, &i);
    if (a != CLI_RUN) return a;
  }
  o->top.nwarn_specs = o->nwarn_specs;
  return CLI_RUN;
}

void cli_free(CliOptions *o) {
  free(o->plugins);
  free(o->include_dirs);
  free(o->opens);
  free(o->warn_specs);
  memset(o, 0, sizeof *o);
}

void cli_color_from_env(CliOptions *o, const char *env, FILE *err) {
  if (!env) return;
  TopColor c;
  if (parse_color(env, &c)) {
    if (!o->color_given && !o->color_fixed) o->top.color = c;
    return;
  }
  if (!o->warnings.active[46]) return;
  bool error = o->warnings.error[46];
  print_none_message(o, err, error ? DIAG_STYLE_ERROR : DIAG_STYLE_WARNING, error ? "Error" : "Warning",
                     error ? " (warning 46 [bad-env-variable]): illegal environment variable OCAML_COLOR : "
                             "expected \"auto\", \"always\" or \"never\""
                           : " 46 [bad-env-variable]: illegal environment variable OCAML_COLOR : expected "
                             "\"auto\", \"always\" or \"never\"");
}

/* ---- -help, -version ------------------------------------------------------ */

void cli_help(FILE *out) {
  fputs("Usage: natml <options> <files>\nOptions are:\n\n", out);
  for (int i = 0; i < NSPECS; i++) {
    const Spec *sp = &specs[i];
    if (sp->arg == ARG_COLOR) fprintf(out, "  %s {auto|always|never}%s\n", sp->name, sp->doc);
    else fprintf(out, "  %s %s\n", sp->name, sp->doc);
  }
}

const char *cli_version_line(void) {
  return "The natml toplevel, version " NATML_VERSION " (OCaml " NATML_OCAML_VERSION " compatible)";
}

/* ---- The init file -------------------------------------------------------- */

static bool exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

/* dir/name when that exists (a fresh string), else NULL. */
static char *existing_in(const char *dir, const char *name) {
  if (!dir || !*dir) return NULL;
  size_t n = strlen(dir) + strlen(name) + 2;
  char *path = malloc(n);
  if (!path) nml_fatal("out of memory");
  snprintf(path, n, "%s/%s", dir, name);
  if (exists(path)) return path;
  free(path);
  return NULL;
}

char *cli_find_init_file(const char *home, const char *xdg_config_home) {
  if (exists(".ocamlinit")) return strdup(".ocamlinit");
  bool has_home = home && *home;
  char *config = NULL;
  if (xdg_config_home && *xdg_config_home) {
    config = strdup(xdg_config_home);
  } else if (has_home) {
    config = malloc(strlen(home) + sizeof "/.config");
    if (config) sprintf(config, "%s/.config", home);
  }
  char *found = config ? existing_in(config, "ocaml/init.ml") : NULL;
  free(config);
  if (found) return found;
  return has_home ? existing_in(home, ".ocamlinit") : NULL;
}
