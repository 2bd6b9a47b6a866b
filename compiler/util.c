/* util.c — internal-error reporting and the byte buffer (see util.h). */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nml_assert_fail(const char *what, const char *file, int line) {
  fprintf(stderr, "natml: internal error: %s (%s:%d)\n", what, file, line);
  abort();
}

void nml_fatal(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("natml: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  abort();
}

void buf_init(Buf *b) { b->data = NULL; b->len = b->cap = 0; }
void buf_free(Buf *b) { free(b->data); buf_init(b); }
void buf_clear(Buf *b) { b->len = 0; if (b->data) b->data[0] = 0; }

static void reserve(Buf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->len + extra + 1) cap *= 2;
  char *d = realloc(b->data, cap);
  if (!d) nml_fatal("out of memory");
  b->data = d;
  b->cap = cap;
}

void buf_add(Buf *b, const char *s, size_t n) {
  reserve(b, n);
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = 0;
}
void buf_puts(Buf *b, const char *s) { buf_add(b, s, strlen(s)); }
void buf_putc(Buf *b, char c) { buf_add(b, &c, 1); }

void buf_vprintf(Buf *b, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  reserve(b, (size_t)n);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
  va_end(ap2);
  b->len += (size_t)n;
}

void buf_printf(Buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(b, fmt, ap);
  va_end(ap);
}
