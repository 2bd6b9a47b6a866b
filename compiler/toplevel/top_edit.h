/* top_edit.h — line editing at a terminal, natml's addition to OCaml's
 * toplevel (which has none): the history kept across sessions
 * (top_edit.c, which also holds the libedit glue). Only the interactive
 * reader of top_loop.c uses it; nothing here prints anything a
 * non-interactive run would show. Internal to the toplevel. */
#ifndef NML_TOP_EDIT_H
#define NML_TOP_EDIT_H

#include "session.h"

/* The history file: where it is, or NULL when history is off. It is
 * $NATML_HISTORY when that is set (empty: no history file), else
 * $XDG_STATE_HOME/natml/history, else ~/.local/state/natml/history.
 * Allocated in a. */
const char *top_history_path(Arena *a);

/* 1000 entries: a file of some tens of kilobytes, loaded at start in no
 * noticeable time; recalling phrases older than that is rare. */
enum { TOP_HISTORY_MAX = 1000 };

/* Line editing for the interactive reader. top_edit_begin loads the
 * history file (creating its directory); top_edit_add records a phrase
 * the user entered, its lines joined by newlines, in libedit's history
 * and at once at the end of the file (a crash loses nothing);
 * top_edit_end trims the file to its last TOP_HISTORY_MAX entries. One
 * TopEdit at a time: libedit's history is process-wide. */
typedef struct TopEdit TopEdit;
TopEdit *top_edit_begin(Session *s);
void top_edit_add(TopEdit *ed, const char *phrase);
void top_edit_end(TopEdit *ed);

#endif
