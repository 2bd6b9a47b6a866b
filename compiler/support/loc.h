/* loc.h — a span of source text: what every diagnostic points at and
 * every syntax tree node carries. */
#ifndef NML_LOC_H
#define NML_LOC_H

/* A source span. Lines are 1-based and count from the start of the text
 * handed to the lexer (the phrase in the toplevel); columns are 0-based
 * byte offsets within their line; offsets are byte offsets in the text. */
typedef struct Loc {
  int line1, col1, line2, col2;
  int off1, off2;
} Loc;

#endif
