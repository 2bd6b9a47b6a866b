/* io.c — channels and the standard output functions. An ML channel is an
 * Abstract_tag block whose one field is a C stdio FILE*, so ML output and
 * the toplevel's own printing share C's stdout buffer and interleave in
 * order. Channels flush where OCaml's do (print_endline, print_newline,
 * flush, exit); the toplevel calls nml_flush_std after each phrase.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rt_internal.h"

#define Channel_file(ch) (*(FILE **)Op_val(ch))

static value make_channel(FILE *f) {
  value ch = nml_alloc(1, Abstract_tag);
  Channel_file(ch) = f;
  return ch;
}

static NML_NORETURN void sys_error(const char *what) {
  RtBuf b = {0};
  if (what != NULL) {
    rt_buf_adds(&b, what);
    rt_buf_adds(&b, ": ");
  }
  rt_buf_adds(&b, strerror(errno));
  value msg = nml_copy_string(b.data);
  free(b.data);
  nml_raise_with_arg(nml_exn_Sys_error, msg);
}

static FILE *channel_file(value ch) {
  FILE *f = Channel_file(ch);
  if (f == NULL) {
    errno = EBADF;
    sys_error(NULL);
  }
  return f;
}

void nml_flush_std(void) {
  fflush(stdout);
  fflush(stderr);
}

value nml_io_stdin(value unit) {
  (void)unit;
  return make_channel(stdin);
}
value nml_io_stdout(value unit) {
  (void)unit;
  return make_channel(stdout);
}
value nml_io_stderr(value unit) {
  (void)unit;
  return make_channel(stderr);
}

static value open_channel(value name, const char *mode) {
  FILE *f = fopen(String_val(name), mode);
  if (f == NULL) sys_error(String_val(name));
  return make_channel(f);
}

value nml_io_open_out(value name) { return open_channel(name, "w"); }
value nml_io_open_out_append(value name) { return open_channel(name, "a"); }
value nml_io_open_in(value name) { return open_channel(name, "r"); }

static value close_channel(value ch) {
  FILE *f = Channel_file(ch);
  if (f == NULL) return Val_unit; /* closing twice is allowed */
  Channel_file(ch) = NULL;
  if (f == stdin || f == stdout || f == stderr) {
    fflush(f);
    return Val_unit;
  }
  if (fclose(f) != 0) sys_error(NULL);
  return Val_unit;
}

value nml_io_close_out(value ch) { return close_channel(ch); }
value nml_io_close_in(value ch) { return close_channel(ch); }

value nml_io_output_string(value ch, value s) {
  fwrite(String_val(s), 1, nml_string_length(s), channel_file(ch));
  return Val_unit;
}

/* output_substring ch s ofs len, bounds checked by the caller. */
value nml_io_output_substring(value ch, value s, value ofs, value len) {
  fwrite(String_val(s) + Long_val(ofs), 1, Long_val(len), channel_file(ch));
  return Val_unit;
}

value nml_io_output_char(value ch, value c) {
  putc((int)(Long_val(c) & 0xFF), channel_file(ch));
  return Val_unit;
}

value nml_io_flush(value ch) {
  FILE *f = Channel_file(ch);
  if (f != NULL) fflush(f);
  return Val_unit;
}

value nml_io_flush_all(value unit) {
  (void)unit;
  fflush(NULL);
  return Val_unit;
}

/* getc that turns an interrupted read into Sys.Break when one is pending. */
static int read_char(FILE *f) {
  for (;;) {
    int c = getc(f);
    if (c != EOF || !ferror(f) || errno != EINTR) return c;
    clearerr(f);
    rt_poll_break();
  }
}

value nml_io_input_char(value ch) {
  int c = read_char(channel_file(ch));
  if (c == EOF) nml_raise_constant(nml_exn_End_of_file);
  return Val_int(c);
}

/* Reads the next line without its '\n'; End_of_file at the end of input
 * when nothing was read. */
static value read_line_of(FILE *f) {
  RtBuf b = {0};
  int c;
  bool any = false;
  while ((c = read_char(f)) != EOF) {
    any = true;
    if (c == '\n') break;
    char k = (char)c;
    rt_buf_add(&b, &k, 1);
  }
  if (!any) nml_raise_constant(nml_exn_End_of_file);
  value r = nml_copy_string_len(b.data ? b.data : "", b.len);
  free(b.data);
  return r;
}

value nml_io_input_line(value ch) { return read_line_of(channel_file(ch)); }

/* input ch buf ofs len: reads up to len bytes, 0 at end of input. */
value nml_io_input(value ch, value buf, value ofs, value len) {
  FILE *f = channel_file(ch);
  intptr_t n = Long_val(len);
  if (n == 0) return Val_int(0);
  int c = read_char(f);
  if (c == EOF) return Val_int(0);
  unsigned char *p = Bytes_val(buf) + Long_val(ofs);
  p[0] = (unsigned char)c;
  intptr_t got = 1;
  /* Stop at a newline: what follows it may not have arrived yet. */
  while (got < n && c != '\n') {
    c = read_char(f);
    if (c == EOF) break;
    p[got++] = (unsigned char)c;
  }
  return Val_long(got);
}

/* The print_* and prerr_* functions of Stdlib, straight to C's streams. */
value nml_print_string(value s) {
  fwrite(String_val(s), 1, nml_string_length(s), stdout);
  return Val_unit;
}

value nml_print_char(value c) {
  putchar((int)(Long_val(c) & 0xFF));
  return Val_unit;
}

value nml_print_int(value n) {
  printf("%ld", (long)Long_val(n));
  return Val_unit;
}

value nml_print_float(value d) { return nml_print_string(nml_string_of_float(d)); }

value nml_print_endline(value s) {
  nml_print_string(s);
  putchar('\n');
  fflush(stdout);
  return Val_unit;
}

value nml_print_newline(value unit) {
  (void)unit;
  putchar('\n');
  fflush(stdout);
  return Val_unit;
}

value nml_prerr_string(value s) {
  fwrite(String_val(s), 1, nml_string_length(s), stderr);
  return Val_unit;
}

value nml_prerr_char(value c) {
  putc((int)(Long_val(c) & 0xFF), stderr);
  return Val_unit;
}

value nml_prerr_int(value n) {
  fprintf(stderr, "%ld", (long)Long_val(n));
  return Val_unit;
}

value nml_prerr_float(value d) { return nml_prerr_string(nml_string_of_float(d)); }

value nml_prerr_endline(value s) {
  nml_prerr_string(s);
  putc('\n', stderr);
  fflush(stderr);
  return Val_unit;
}

value nml_prerr_newline(value unit) {
  (void)unit;
  putc('\n', stderr);
  fflush(stderr);
  return Val_unit;
}

/* read_line: flushes stdout, then reads a line of stdin. */
value nml_read_line(value unit) {
  (void)unit;
  fflush(stdout);
  return read_line_of(stdin);
}
