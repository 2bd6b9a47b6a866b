/* top_edit.h — line editing at a terminal, natml's additions to OCaml's
 * toplevel (which has neither): Tab completion over the session's live
 * environment (top_complete.c) and the history kept across sessions
 * (top_edit.c, which also holds the libedit glue). Only the interactive
 * reader of top_loop.c uses them; nothing here prints anything a
 * non-interactive run would show. Internal to the toplevel. */
#ifndef NML_TOP_EDIT_H
#define NML_TOP_EDIT_H

#include "session.h"

/* What completion found for the word before the cursor: candidates that
 * replace line[start..point), sorted by strcmp and without duplicates,
 * and what to append when exactly one candidate is left ("" when the
 * candidate is complete as it is: a directory, which ends with '/'). */
typedef struct TopCompletion {
  int start;
  const char **cands; /* in the caller's arena */
  int n;
  const char *suffix; /* " " after a value, "." after a module, "\"" after a file */
} TopCompletion;

/* Completes the word that ends at line[point] (a byte offset; line is
 * the line being edited, NUL-terminated) from what the session has bound
 * so far: values and keywords, modules and constructors (capitalised
 * words), the components of a module path (`List.fi`), record fields
 * (after `expr.`, `{` or `;` in braces, `with`), directive names after a
 * leading `#`, and file names in the string argument of a directive
 * (`#use "`, `#load "`; directories only for #cd and #directory). Reads
 * the environment and the file system, changes nothing, prints nothing.
 * Returns the number of candidates; everything is allocated in a. */
int top_complete(Session *s, Arena *a, const char *line, int point, TopCompletion *out);

/* The history file: where it is, or NULL when history is off. It is
 * $NATML_HISTORY when that is set (empty: no history file), else
 * $XDG_STATE_HOME/natml/history, else ~/.local/state/natml/history.
 * Allocated in a. */
const char *top_history_path(Arena *a);

/* 1000 entries: a file of some tens of kilobytes, loaded at start in no
 * noticeable time; recalling phrases older than that is rare. */
enum { TOP_HISTORY_MAX = 1000 };

/* Line editing for the interactive reader. top_edit_begin installs
 * completion over s and loads the history file (creating its directory);
 * top_edit_add records a phrase the user entered, its lines joined by
 * newlines, in libedit's history and at once at the end of the file (a
 * crash loses nothing); top_edit_end trims the file to its last
 * TOP_HISTORY_MAX entries and uninstalls completion. One TopEdit at a
 * time: libedit's history and completion hook are process-wide. */
typedef struct TopEdit TopEdit;
TopEdit *top_edit_begin(Session *s);
void top_edit_add(TopEdit *ed, const char *phrase);
void top_edit_end(TopEdit *ed);

#endif
