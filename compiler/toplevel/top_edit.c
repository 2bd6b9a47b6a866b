/* top_edit.c — line editing at a terminal through libedit's readline
 * interface, natml's additions to OCaml's toplevel: the history file
 * kept across sessions, and the glue that hands top_complete's
 * candidates to libedit's Tab. top_loop.c's interactive reader drives it.
 *
 * The history file holds one entry per line, the newest last; a phrase
 * typed over several lines is one entry, its newlines written `\n` and
 * its backslashes `\\`. In memory the entry keeps its newlines: libedit
 * shows a recalled phrase on as many lines and returns it whole. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <editline/readline.h>

#include "top_edit.h"

struct TopEdit {
  Session *s;
  char *path; /* the history file, or NULL */
  char *last; /* the newest entry, so that a repeat is not stored twice */
};

/* libedit's completion hook takes no argument: the TopEdit between
 * top_edit_begin and top_edit_end. */
static TopEdit *completing;

/* ---- The history file ---------------------------------------------------- */

const char *top_history_path(Arena *a) {
  const char *env = getenv("NATML_HISTORY");
  if (env) return *env ? arena_strdup(a, env) : NULL;
  /* The XDG base directory spec ignores relative paths. */
  const char *state = getenv("XDG_STATE_HOME");
  if (state && state[0] == '/') return arena_printf(a, "%s/natml/history", state);
  const char *home = getenv("HOME");
  if (home && *home) return arena_printf(a, "%s/.local/state/natml/history", home);
  return NULL;
}

/* mkdir -p of the directory part of path. */
static void make_parents(const char *path) {
  char *dir = strdup(path);
  if (!dir) return;
  for (char *p = dir + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) break;
    *p = '/';
  }
  free(dir);
}

static void encode(Buf *b, const char *entry) {
  for (const char *p = entry; *p; p++) {
    if (*p == '\n') buf_puts(b, "\\n");
    else if (*p == '\\') buf_puts(b, "\\\\");
    else buf_putc(b, *p);
  }
  buf_putc(b, '\n');
}

/* Decodes the line text[0..n) in place; returns it NUL-terminated. */
static char *decode(char *text, size_t n) {
  size_t j = 0;
  for (size_t i = 0; i < n; i++) {
    if (text[i] == '\\' && i + 1 < n) {
      i++;
      text[j++] = text[i] == 'n' ? '\n' : text[i];
    } else {
      text[j++] = text[i];
    }
  }
  text[j] = 0;
  return text;
}

/* The entries of the file, oldest first, decoded in the file's buffer
 * (*data, to free along with the array). Returns their number. */
static int read_entries(const char *path, char **data, char ***entries) {
  size_t len;
  *data = buf_read_file(path, &len);
  *entries = NULL;
  if (!*data) return 0;
  int n = 0;
  for (size_t i = 0; i < len; i++) n += (*data)[i] == '\n';
  *entries = malloc(sizeof **entries * (size_t)(n + 1));
  if (!*entries) return 0;
  n = 0;
  for (char *p = *data, *end = *data + len; p < end;) {
    char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
    if (l > 0) (*entries)[n++] = decode(p, l);
    p += l + 1;
  }
  return n;
}

/* Rewrites the file with its last TOP_HISTORY_MAX entries when it holds
 * more. It reads the file rather than memory, so that what another
 * session appended meanwhile stays; the new file replaces the old by a
 * rename, so that a crash leaves one or the other whole. */
static void trim_file(const char *path) {
  char *data, **entries;
  int n = read_entries(path, &data, &entries);
  if (n > TOP_HISTORY_MAX) {
    Buf b;
    buf_init(&b);
    for (int i = n - TOP_HISTORY_MAX; i < n; i++) encode(&b, entries[i]);
    Buf tmp;
    buf_init(&tmp);
    buf_printf(&tmp, "%s.%ld.tmp", path, (long)getpid());
    int fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      bool ok = write(fd, b.data, b.len) == (ssize_t)b.len;
      ok = close(fd) == 0 && ok;
      if (!ok || rename(tmp.data, path) != 0) unlink(tmp.data);
    }
    buf_free(&tmp);
    buf_free(&b);
  }
  free(entries);
  free(data);
}

/* Appends one entry in one write, so that sessions appending at once
 * interleave whole lines. */
static void append_entry(const char *path, const char *entry) {
  int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600);
  if (fd < 0) return;
  Buf b;
  buf_init(&b);
  encode(&b, entry);
  bool ok = write(fd, b.data, b.len) == (ssize_t)b.len;
  (void)ok; /* a full disk costs only history */
  close(fd);
  buf_free(&b);
}

static void remember(TopEdit *ed, const char *entry) {
  add_history(entry);
  free(ed->last);
  ed->last = strdup(entry);
}

static void load_history(TopEdit *ed) {
  make_parents(ed->path);
  trim_file(ed->path);
  char *data, **entries;
  int n = read_entries(ed->path, &data, &entries);
  for (int i = n > TOP_HISTORY_MAX ? n - TOP_HISTORY_MAX : 0; i < n; i++) remember(ed, entries[i]);
  free(entries);
  free(data);
}

/* ---- Completion ---------------------------------------------------------- *
 *
 * libedit's Tab (rl_complete, checked at a terminal under tmux): a
 * unique candidate replaces the word, followed by
 * rl_completion_append_character; several replace it with their common
 * prefix and beep, and a second Tab in a row lists them in columns,
 * sorted, asking "Display all N possibilities? (y or n)" first when there
 * are more than rl_completion_query_items (100), then redraws the line. */

/* libedit's word before the cursor ends at these characters: every
 * character that is not part of an OCaml identifier, so that `List.fi`
 * completes `fi` and the candidates list bare names. */
static const char word_breaks[] = " \t\n\"\\`@$><=;|&{}()[].,:#/~!?%^*+-";

/* The candidates as libedit takes them, relative to its word: the
 * common prefix first, then the candidates, NULL-terminated, each
 * malloc'd. libedit's word starts at `word`; top_complete's at c->start,
 * which differs inside file names holding a break character ("a.ml"):
 * the candidates are cut or extended to libedit's word. */
static char **to_matches(const char *line, int word, const TopCompletion *c) {
  char **m = calloc((size_t)c->n + 2, sizeof *m);
  if (!m) return NULL;
  for (int i = 0; i < c->n; i++) {
    const char *cand = c->cands[i];
    if (word >= c->start) m[i + 1] = strdup(cand + (word - c->start));
    else {
      size_t extra = (size_t)(c->start - word), l = strlen(cand);
      m[i + 1] = malloc(extra + l + 1);
      if (m[i + 1]) {
        memcpy(m[i + 1], line + word, extra);
        memcpy(m[i + 1] + extra, cand, l + 1);
      }
    }
    if (!m[i + 1]) nml_fatal("out of memory");
  }
  size_t common = strlen(m[1]);
  for (int i = 2; i <= c->n; i++) {
    size_t k = 0;
    while (k < common && m[i][k] == m[1][k]) k++;
    common = k;
  }
  m[0] = strndup(m[1], common);
  if (!m[0]) nml_fatal("out of memory");
  if (c->n == 1) { /* readline's convention for a unique match */
    free(m[1]);
    m[1] = NULL;
  }
  return m;
}

/* rl_attempted_completion_function. rl_line_buffer and rl_point (bytes)
 * are up to date when libedit calls it; text is libedit's word. */
static char **attempt_completion(const char *text, int start, int end) {
  (void)start; /* in characters, not bytes */
  (void)end;
  rl_attempted_completion_over = 1; /* no fallback to libedit's file names */
  rl_completion_append_character = 0;
  TopEdit *ed = completing;
  int word = rl_point - (int)strlen(text);
  if (!ed || !rl_line_buffer || word < 0) return NULL;
  Arena a;
  arena_init(&a);
  TopCompletion c;
  char **m = NULL;
  if (top_complete(ed->s, &a, rl_line_buffer, rl_point, &c) > 0 && c.start <= rl_point) {
    m = to_matches(rl_line_buffer, word, &c);
    /* Appended to a unique match; printed after each listed one too. */
    if (c.n == 1) rl_completion_append_character = (unsigned char)c.suffix[0];
  }
  arena_free(&a);
  return m;
}

/* ---- Set-up ------------------------------------------------------------- */

TopEdit *top_edit_begin(Session *s) {
  TopEdit *ed = calloc(1, sizeof *ed);
  if (!ed) nml_fatal("out of memory");
  ed->s = s;
  Arena a;
  arena_init(&a);
  const char *path = top_history_path(&a);
  if (path) ed->path = strdup(path);
  arena_free(&a);
  rl_readline_name = "natml"; /* for `natml:` lines in ~/.editrc */
  stifle_history(TOP_HISTORY_MAX);
  if (ed->path) load_history(ed);
  rl_basic_word_break_characters = word_breaks;
  rl_attempted_completion_function = attempt_completion;
  completing = ed;
  return ed;
}

void top_edit_add(TopEdit *ed, const char *phrase) {
  bool blank = true;
  for (const char *p = phrase; *p && blank; p++) blank = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
  if (blank || (ed->last && strcmp(ed->last, phrase) == 0)) return;
  remember(ed, phrase);
  if (ed->path) append_entry(ed->path, phrase);
}

void top_edit_end(TopEdit *ed) {
  if (!ed) return;
  if (ed->path) trim_file(ed->path);
  rl_attempted_completion_function = NULL;
  completing = NULL;
  free(ed->last);
  free(ed->path);
  free(ed);
}
