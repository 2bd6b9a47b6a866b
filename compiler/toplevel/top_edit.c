/* top_edit.c — line editing at a terminal through libedit's readline
 * interface, natml's addition to OCaml's toplevel: the history file
 * kept across sessions. top_loop.c's interactive reader drives it.
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
  free(ed->last);
  free(ed->path);
  free(ed);
}
