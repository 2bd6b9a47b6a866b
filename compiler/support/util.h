/* util.h — small helpers shared by the compiler's files: fatal internal
 * errors with file and line, and a growable byte buffer. */
#ifndef NML_UTIL_H
#define NML_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Internal bugs: print file and line, abort. Never for user errors. */
#define NML_ASSERT(c)     ((c) ? (void)0 : nml_assert_fail(#c, __FILE__, __LINE__))
#define NML_UNREACHABLE() nml_assert_fail("unreachable", __FILE__, __LINE__)
__attribute__((noreturn)) void nml_assert_fail(const char *what, const char *file, int line);
__attribute__((noreturn, format(printf, 1, 2))) void nml_fatal(const char *fmt, ...);

/* A growable, NUL-terminated byte buffer on the C heap. */
typedef struct Buf {
  char *data;
  size_t len, cap;
} Buf;
void buf_init(Buf *b);
void buf_free(Buf *b);
void buf_clear(Buf *b);
void buf_add(Buf *b, const char *s, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_putc(Buf *b, char c);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(Buf *b, const char *fmt, va_list ap);
/* Appends s[0..n) in double quotes, escaped as OCaml's String.escaped does
 * (\" \\ \n \t \r \b, other non-printable bytes as \ddd). */
void buf_caml_string(Buf *b, const char *s, int n);
/* Reads the whole file at path into a fresh NUL-terminated buffer (its
 * length in *len), to be freed with free; NULL if it cannot be opened. */
char *buf_read_file(const char *path, size_t *len);
/* The same for what remains of an open stream (standard input). */
char *buf_read_stream(FILE *f, size_t *len);

#endif
