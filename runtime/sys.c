/* sys.c — primitives behind Stdlib.exit and Sys: exiting, the program's
 * arguments, environment, time and files.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include "rt_internal.h"

static int saved_argc;
static char **saved_argv;

void nml_sys_set_argv(int argc, char **argv) {
  saved_argc = argc;
  saved_argv = argv;
}

/* Flushes C's streams and exits (Stdlib.exit runs at_exit first in ML). */
value nml_sys_exit(value code) {
  fflush(NULL);
  exit((int)Long_val(code));
}

/* Sys.argv: a fresh array of the strings given to nml_sys_set_argv. */
value nml_sys_argv(value unit) {
  (void)unit;
  value a = nml_alloc((mlsize_t)saved_argc, 0);
  for (int i = 0; i < saved_argc; i++) {
    value s = nml_copy_string(saved_argv[i]);
    Field(a, i) = s;
  }
  return a;
}

value nml_sys_getenv(value name) {
  const char *v = getenv(String_val(name));
  if (v == NULL) nml_raise_not_found();
  return nml_copy_string(v);
}

/* Sys.time: processor time used by the program, in seconds. */
value nml_sys_time(value unit) {
  (void)unit;
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double t = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
  return nml_copy_double(t);
}

/* Unix.gettimeofday's clock, for benchmarks and Random's seeding. */
value nml_sys_gettimeofday(value unit) {
  (void)unit;
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return nml_copy_double(tv.tv_sec + tv.tv_usec / 1e6);
}

value nml_sys_file_exists(value name) {
  struct stat st;
  return Val_bool(stat(String_val(name), &st) == 0);
}

static NML_NORETURN void sys_error_path(value name) {
  RtBuf b = {0};
  rt_buf_add(&b, String_val(name), nml_string_length(name));
  rt_buf_adds(&b, ": ");
  rt_buf_adds(&b, strerror(errno));
  value msg = nml_copy_string(b.data);
  free(b.data);
  nml_raise_with_arg(nml_exn_Sys_error, msg);
}

value nml_sys_remove(value name) {
  if (remove(String_val(name)) != 0) sys_error_path(name);
  return Val_unit;
}

value nml_sys_rename(value from, value to) {
  if (rename(String_val(from), String_val(to)) != 0) sys_error_path(from);
  return Val_unit;
}

value nml_sys_command(value cmd) {
  fflush(NULL);
  int r = system(String_val(cmd));
  if (r == -1) sys_error_path(cmd);
  return Val_int(WIFEXITED(r) ? WEXITSTATUS(r) : 255);
}
