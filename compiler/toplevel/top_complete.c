/* top_complete.c — Tab completion for the interactive toplevel: from the
 * line being edited and the cursor, the words that may stand there,
 * read from the session's environment as it is now (what the phrases so
 * far bound, the stdlib, plugins just loaded), from the directive table,
 * or from the file system inside a directive's string. A light scan of
 * the line finds the context (string, comment, braces, phrase start);
 * nothing is parsed or typed. top_edit.c hands the result to libedit. */
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "top_directive.h"
#include "top_edit.h"

/* What a candidate is, for the text appended after a unique one. */
enum { CK_VALUE = 1, CK_MODULE = 2, CK_OTHER = 4, CK_FILE = 8, CK_DIR = 16 };

typedef struct Cand {
  const char *name;
  int kinds; /* CK_* of everything that has this name */
} Cand;

/* Candidates being collected: all start with prefix. */
typedef struct Cands {
  Arena *a;
  const char *prefix;
  size_t plen;
  Cand *items;
  int len, cap;
} Cands;

static void add(Cands *c, const char *name, int kind) {
  if (strncmp(name, c->prefix, c->plen) != 0) return;
  if (c->len == c->cap) {
    int cap = c->cap ? 2 * c->cap : 64;
    Cand *items = ARENA_ARRAY(c->a, Cand, cap);
    if (c->len) memcpy(items, c->items, sizeof *items * (size_t)c->len);
    c->items = items;
    c->cap = cap;
  }
  c->items[c->len++] = (Cand){name, kind};
}

static bool is_ident_char(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '\'';
}
static bool is_upper(int c) { return c >= 'A' && c <= 'Z'; }

/* A name one can type as a word: not an operator, not `()` or `[]`. */
static bool is_word(const char *name) {
  if (!(isalpha((unsigned char)name[0]) || name[0] == '_')) return false;
  for (const char *p = name; *p; p++)
    if (!is_ident_char((unsigned char)*p)) return false;
  return true;
}

/* The names of namespace ns in e; uppercase or lowercase ones only when
 * case is 'A' or 'a' (constructors include `true` and `false`, which the
 * keywords supply). */
static void add_env(Cands *c, const Env *e, EnvNs ns, int kind, char letter_case) {
  if (!e) return;
  for (int i = 0; i < e->len; i++) {
    const EnvEntry *en = &e->entries[i];
    if (en->ns != ns || !is_word(en->name)) continue;
    if (letter_case == 'A' && !is_upper((unsigned char)en->name[0])) continue;
    if (letter_case == 'a' && is_upper((unsigned char)en->name[0])) continue;
    add(c, en->name, kind);
  }
}

static const char *const keywords[] = {
#define TOK(name, desc)
#define KW(name, spelling) spelling,
#include "tokens.def"
#undef TOK
#undef KW
};

static void add_keywords(Cands *c) {
  for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++) add(c, keywords[i], CK_OTHER);
}

static void add_directives(Cands *c) {
  for (int i = 0; top_directive_name(i); i++) add(c, top_directive_name(i), CK_OTHER);
}

/* ---- Files --------------------------------------------------------------- */

static bool is_directory(const char *dir, const char *name, Arena *a) {
  struct stat st;
  return stat(arena_printf(a, "%s/%s", dir, name), &st) == 0 && S_ISDIR(st.st_mode);
}

/* The entries of directory dir (as the user wrote it, "" for the current
 * one) that start with the prefix; directories end with '/'. Hidden
 * files only when the prefix asks for them. */
static void add_files(Cands *c, const char *dir, bool dirs_only) {
  const char *path = *dir ? dir : ".";
  if (dir[0] == '~' && dir[1] == '/' && getenv("HOME"))
    path = arena_printf(c->a, "%s%s", getenv("HOME"), dir + 1);
  DIR *d = opendir(path);
  if (!d) return;
  for (struct dirent *de; (de = readdir(d));) {
    const char *name = de->d_name;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) continue;
    if (name[0] == '.' && c->prefix[0] != '.') continue;
    if (strncmp(name, c->prefix, c->plen) != 0) continue;
    if (is_directory(path, name, c->a)) add(c, arena_printf(c->a, "%s/", name), CK_DIR);
    else if (!dirs_only) add(c, arena_strdup(c->a, name), CK_FILE);
  }
  closedir(d);
}

/* ---- The context of the cursor ------------------------------------------- */

enum { MAX_DEPTH = 64 };

/* What a scan of the line up to the cursor found. */
typedef struct Scan {
  int phrase; /* where the phrase being typed starts (after `;;`) */
  int string; /* the opening quote of the string holding the cursor, or -1 */
  bool inert; /* the cursor is in a comment or a quoted string {|…|} */
  int depth;  /* unclosed brackets, at most MAX_DEPTH recorded */
  int brackets[MAX_DEPTH];
} Scan;

/* Skips a string literal starting at line[i] (its quote); returns the
 * offset after its closing quote, or -1 when it is still open at end. */
static int skip_string(const char *line, int i, int end) {
  for (i++; i < end; i++) {
    if (line[i] == '\\') i++;
    else if (line[i] == '"') return i + 1;
  }
  return -1;
}

static void scan_line(const char *line, int end, Scan *sc) {
  *sc = (Scan){0, -1, false, 0, {0}};
  int comments = 0;
  for (int i = 0; i < end;) {
    char ch = line[i], next = i + 1 < end ? line[i + 1] : 0;
    if (ch == '(' && next == '*') {
      comments++;
      i += 2;
    } else if (comments > 0) {
      if (ch == '*' && next == ')') comments--;
      i += ch == '*' && next == ')' ? 2 : 1;
    } else if (ch == '"') {
      int j = skip_string(line, i, end);
      if (j < 0) {
        sc->string = i;
        return;
      }
      i = j;
    } else if (ch == '{' && next == '|') {
      const char *close = strstr(line + i + 2, "|}");
      if (!close || close + 2 > line + end) {
        sc->inert = true;
        return;
      }
      i = (int)(close - line) + 2;
    } else if (ch == '\'' && (next == '\\' || (i + 2 < end && line[i + 2] == '\''))) {
      /* A character literal ('x', '\n'); otherwise the quote of 'a or x'. */
      const char *close = strchr(line + i + 2, '\'');
      i = close && close < line + end ? (int)(close - line) + 1 : end;
    } else if (ch == ';' && next == ';') {
      sc->phrase = i + 2;
      sc->depth = 0;
      i += 2;
    } else {
      if (ch == '(' || ch == '[' || ch == '{') {
        if (sc->depth < MAX_DEPTH) sc->brackets[sc->depth] = i;
        sc->depth++;
      } else if ((ch == ')' || ch == ']' || ch == '}') && sc->depth > 0) {
        sc->depth--;
      }
      i++;
    }
  }
  sc->inert = comments > 0;
}

static bool blank(const char *line, int from, int to) {
  for (int i = from; i < to; i++)
    if (!isspace((unsigned char)line[i])) return false;
  return true;
}

/* Where a record's field may be named: in braces, right after `{`, `;`
 * or `with`. *first says it is right after `{`, where `{ r with` may
 * name a value instead. */
static bool field_position(const char *line, const Scan *sc, int at, bool *first) {
  int top = sc->depth - 1;
  if (top < 0 || top >= MAX_DEPTH || line[sc->brackets[top]] != '{') return false;
  int q = at;
  while (q > 0 && isspace((unsigned char)line[q - 1])) q--;
  *first = q > 0 && line[q - 1] == '{';
  if (q > 0 && (line[q - 1] == '{' || line[q - 1] == ';')) return true;
  return q >= 4 && strncmp(line + q - 4, "with", 4) == 0 &&
         (q == 4 || !is_ident_char((unsigned char)line[q - 5]));
}

/* ---- Completion ---------------------------------------------------------- */

/* File names inside the string of `#name "…`, if that directive takes
 * a string: the name part after the last '/' is completed in its
 * directory, and for #use and #load, whose files are also looked for
 * along the search path, in the search path's directories too. */
static bool complete_file(Session *s, const char *line, const Scan *sc, int point, Cands *c, int *start) {
  int i = sc->phrase;
  while (i < sc->string && isspace((unsigned char)line[i])) i++;
  if (i >= sc->string || line[i] != '#') return false;
  int name = ++i;
  while (i < sc->string && is_ident_char((unsigned char)line[i])) i++;
  if (!blank(line, i, sc->string)) return false;
  const char *dname = arena_strndup(c->a, line + name, (size_t)(i - name));
  if (top_directive_arg(dname) != DIR_ARG_STRING) return false;
  bool dirs_only =
      strcmp(dname, "cd") == 0 || strcmp(dname, "directory") == 0 || strcmp(dname, "remove_directory") == 0;
  const char *text = line + sc->string + 1;
  const char *slash = NULL;
  for (const char *p = text; p < line + point; p++)
    if (*p == '/') slash = p;
  *start = slash ? (int)(slash + 1 - line) : sc->string + 1;
  c->prefix = arena_strndup(c->a, line + *start, (size_t)(point - *start));
  c->plen = strlen(c->prefix);
  const char *dir = slash ? arena_strndup(c->a, text, (size_t)(slash + 1 - text)) : "";
  add_files(c, dir, dirs_only);
  if (!slash && (strcmp(dname, "use") == 0 || strcmp(dname, "load") == 0))
    for (int k = 0; k < s->load_path.len; k++)
      add_files(c, arena_printf(c->a, "%s/", (char *)s->load_path.items[k]), false);
  return true;
}

/* The module named by the path components mods[0..n), or NULL. */
static const Env *module_env(Session *s, const char **mods, int n) {
  if (n == 0) return ty_env(s->ty);
  ModuleDesc *md = env_find_module_path(ty_env(s->ty), mods, n, NULL);
  return md ? md->env : NULL;
}

/* A word, maybe after a dotted path: the components before the word
 * (`List.` in `List.fi`, `r.` in `r.fi`) say where to look. */
static void complete_word(Session *s, const char *line, const Scan *sc, int start, Cands *c) {
  /* The components of the path, backwards from the word. */
  const char *comps[32];
  int ncomps = 0, p = start;
  while (p > 0 && line[p - 1] == '.' && ncomps < 32) {
    int q = p - 1;
    while (q > 0 && is_ident_char((unsigned char)line[q - 1])) q--;
    if (q == p - 1) break;
    comps[ncomps++] = arena_strndup(c->a, line + q, (size_t)(p - 1 - q));
    p = q;
  }
  for (int i = 0; i < ncomps / 2; i++) {
    const char *t = comps[i];
    comps[i] = comps[ncomps - 1 - i];
    comps[ncomps - 1 - i] = t;
  }
  if (ncomps > 0 && isdigit((unsigned char)comps[0][0])) return; /* a number: 1.5 */
  bool upper = is_upper((unsigned char)c->prefix[0]), lower = c->plen > 0 && !upper;
  /* After a value (`r.`, `r.M.`, `(e).`): a field, maybe module-qualified. */
  int last_lower = -1;
  for (int i = 0; i < ncomps; i++)
    if (!is_upper((unsigned char)comps[i][0])) last_lower = i;
  bool after_value = last_lower >= 0 || (p > 0 && line[p - 1] == '.' && p >= 2 && strchr(")]}", line[p - 2]));
  const char **mods = comps + last_lower + 1;
  int nmods = ncomps - last_lower - 1;
  const Env *e = module_env(s, mods, nmods);
  if (!e) return;
  if (after_value) {
    if (!lower) add_env(c, e, NS_MODULE, CK_MODULE, 0);
    if (!upper) add_env(c, e, NS_FIELD, CK_OTHER, 0);
    return;
  }
  bool first = false;
  if (field_position(line, sc, p, &first)) {
    if (!lower) add_env(c, e, NS_MODULE, CK_MODULE, 0);
    if (!upper) add_env(c, e, NS_FIELD, CK_OTHER, 0);
    if (!upper && first && nmods == 0) add_env(c, e, NS_VALUE, CK_VALUE, 0);
    return;
  }
  if (!lower) {
    add_env(c, e, NS_MODULE, CK_MODULE, 0);
    add_env(c, e, NS_CONSTR, CK_OTHER, 'A');
  }
  if (!upper) {
    add_env(c, e, NS_VALUE, CK_VALUE, 0);
    if (nmods == 0) add_keywords(c);
  }
}

static int compare_cands(const void *x, const void *y) {
  return strcmp(((const Cand *)x)->name, ((const Cand *)y)->name);
}

/* Sorts the candidates, merges duplicates, and says what follows a
 * unique one. */
static void finish(Cands *c, int start, TopCompletion *out) {
  if (c->len > 1) qsort(c->items, (size_t)c->len, sizeof *c->items, compare_cands);
  int n = 0;
  for (int i = 0; i < c->len; i++) {
    if (n > 0 && strcmp(c->items[n - 1].name, c->items[i].name) == 0)
      c->items[n - 1].kinds |= c->items[i].kinds;
    else c->items[n++] = c->items[i];
  }
  out->start = start;
  out->n = n;
  out->cands = ARENA_ARRAY(c->a, const char *, n > 0 ? n : 1);
  for (int i = 0; i < n; i++) out->cands[i] = c->items[i].name;
  out->suffix = "";
  if (n == 1) {
    int k = c->items[0].kinds;
    out->suffix = k == CK_MODULE ? "." : k == CK_FILE ? "\"" : k == CK_DIR ? "" : " ";
  }
}

int top_complete(Session *s, Arena *a, const char *line, int point, TopCompletion *out) {
  int len = (int)strlen(line);
  if (point < 0 || point > len) point = len;
  Cands c = {a, "", 0, NULL, 0, 0};
  *out = (TopCompletion){point, NULL, 0, ""};
  Scan sc;
  scan_line(line, point, &sc);
  if (sc.inert) return 0;
  int start = point;
  if (sc.string >= 0) {
    if (!complete_file(s, line, &sc, point, &c, &start)) return 0;
    finish(&c, start, out);
    return out->n;
  }
  while (start > 0 && is_ident_char((unsigned char)line[start - 1])) start--;
  if (start < point && isdigit((unsigned char)line[start])) return 0;
  /* Right after a string or a character literal no word starts. */
  if (start == point && start > 0 && (line[start - 1] == '"' || line[start - 1] == '\'')) return 0;
  c.prefix = arena_strndup(a, line + start, (size_t)(point - start));
  c.plen = strlen(c.prefix);
  if (start > 0 && line[start - 1] == '#' && blank(line, sc.phrase, start - 1)) add_directives(&c);
  else complete_word(s, line, &sc, start, &c);
  finish(&c, start, out);
  return out->n;
}
