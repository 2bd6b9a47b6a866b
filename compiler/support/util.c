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

void buf_init(Buf *b) {
  b->data = NULL;
  b->len = b->cap = 0;
}
void buf_free(Buf *b) {
  free(b->data);
  buf_init(b);
}
void buf_clear(Buf *b) {
  b->len = 0;
  if (b->data) b->data[0] = 0;
}

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

void buf_caml_string(Buf *b, const char *s, int n) {
  buf_putc(b, '"');
  for (int i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
    case '"': buf_puts(b, "\\\""); break;
    case '\\': buf_puts(b, "\\\\"); break;
    case '\n': buf_puts(b, "\\n"); break;
    case '\t': buf_puts(b, "\\t"); break;
    case '\r': buf_puts(b, "\\r"); break;
    case '\b': buf_puts(b, "\\b"); break;
    default:
      if (c >= 32 && c <= 126) buf_putc(b, (char)c);
      else buf_printf(b, "\\%03d", c);
    }
  }
  buf_putc(b, '"');
}

char *buf_read_stream(FILE *f, size_t *len) {
  Buf b;
  buf_init(&b);
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_add(&b, chunk, n);
  if (!b.data) buf_puts(&b, "");
  *len = b.len;
  return b.data;
}

char *buf_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *text = buf_read_stream(f, len);
  fclose(f);
  return text;
}
