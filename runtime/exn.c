/* exn.c — exceptions: the predefined exception constructors, raising
 * through the chain of trap frames (O(1) nml_setjmp/nml_longjmp, see
 * the NmlTrap comment in natml_runtime.h), nml_run_trapped (how C code
 * enters ML), and the report of an uncaught exception in the format of
 * OCaml's runtime (printexc.c).
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gc/gc.h>
#include "rt_internal.h"

_Static_assert(offsetof(NmlTrap, jb) == NML_TRAP_JB_OFFSET, "generated code assumes the jmp_buf at offset 8");
_Static_assert(sizeof(jmp_buf) <= sizeof(((NmlTrap *)0)->jb), "NmlTrap.jb too small for this libc's jmp_buf");
_Static_assert(offsetof(struct __jmp_buf_tag, __mask_was_saved) == NML_TRAP_MAGIC_WORD * sizeof(uintptr_t),
               "glibc's jmp_buf layout changed: NML_TRAP_MAGIC_WORD");

/* natml's context save and restore (see NmlTrap in natml_runtime.h).
 * nml_setjmp(jb) returns 0; nml_longjmp(jb) resumes there returning 1,
 * or, for a context saved by generated code (llvm.eh.sjlj.setjmp),
 * at its resume block, which needs only the frame and stack pointers. */
#if defined(__x86_64__)
__asm__(".pushsection .text\n"
        ".globl nml_setjmp\n"
        ".type nml_setjmp, @function\n"
        "nml_setjmp:\n"
        "  movq %rbp, 0(%rdi)\n"
        "  movq (%rsp), %rax\n"
        "  movq %rax, 8(%rdi)\n"
        "  leaq 8(%rsp), %rax\n"
        "  movq %rax, 16(%rdi)\n"
        "  movq %rbx, 24(%rdi)\n"
        "  movq %r12, 32(%rdi)\n"
        "  movq %r13, 40(%rdi)\n"
        "  movq %r14, 48(%rdi)\n"
        "  movq %r15, 56(%rdi)\n"
        "  movl $0x6e6d6c6a, 64(%rdi)\n"
        "  xorl %eax, %eax\n"
        "  ret\n"
        ".size nml_setjmp, .-nml_setjmp\n"
        ".globl nml_longjmp\n"
        ".hidden nml_longjmp\n"
        ".type nml_longjmp, @function\n"
        "nml_longjmp:\n"
        "  movq 24(%rdi), %rbx\n"
        "  movq 32(%rdi), %r12\n"
        "  movq 40(%rdi), %r13\n"
        "  movq 48(%rdi), %r14\n"
        "  movq 56(%rdi), %r15\n"
        "  movq 0(%rdi), %rbp\n"
        "  movq 16(%rdi), %rsp\n"
        "  movl $1, %eax\n"
        "  jmpq *8(%rdi)\n"
        ".size nml_longjmp, .-nml_longjmp\n"
        ".popsection\n");
_Static_assert(NML_TRAP_MAGIC == 0x6e6d6c6a && NML_TRAP_MAGIC_WORD == 8,
               "nml_setjmp stores NML_TRAP_MAGIC at jb[NML_TRAP_MAGIC_WORD]");
__attribute__((visibility("hidden"))) NML_NORETURN void nml_longjmp(uintptr_t *jb);
#else
#error "natml's trap frames (nml_setjmp) are written for x86-64"
#endif

NmlTrap *nml_trap_top;
value nml_exn_bucket = Val_unit;

value nml_exn_Out_of_memory, nml_exn_Sys_error, nml_exn_Failure, nml_exn_Invalid_argument,
    nml_exn_End_of_file, nml_exn_Division_by_zero, nml_exn_Not_found, nml_exn_Match_failure,
    nml_exn_Stack_overflow, nml_exn_Sys_blocked_io, nml_exn_Assert_failure,
    nml_exn_Undefined_recursive_module, nml_exn_Exit, nml_exn_Break;

/* Exception ids, like OCaml's object ids: unique, increasing. */
static intptr_t next_exn_id = 1;

/* The constructor block is uncollectable: C globals and statically
 * compiled code refer to the predefined ones, and each is tiny. */
value nml_new_exception(const char *name) {
  value s = nml_copy_string(name);
  header_t *p = GC_malloc_uncollectable(3 * sizeof(value));
  if (p == NULL) abort();
  p[0] = Make_header(2, Object_tag);
  value c = (value)(p + 1);
  Field(c, 0) = s;
  Field(c, 1) = Val_long(next_exn_id++);
  nml_remember_block(c); /* an old block holding a young string */
  return c;
}

/* The stdlib declares Exit and Sys.Break in ML; it hands their
 * constructor blocks to the runtime so that the Break raised on Ctrl-C and
 * the Exit the runtime knows are the ones ML code catches. */
value nml_register_exn(value which, value exn) {
  const char *w = String_val(which);
  if (strcmp(w, "Exit") == 0) nml_exn_Exit = exn;
  else if (strcmp(w, "Break") == 0) nml_exn_Break = exn;
  return Val_unit;
}

/* The same for generated code, which has the name as an ML string. */
value nml_new_exception_ml(value name) { return nml_new_exception(String_val(name)); }

void rt_exn_init(void) {
  nml_exn_Out_of_memory = nml_new_exception("Out_of_memory");
  nml_exn_Sys_error = nml_new_exception("Sys_error");
  nml_exn_Failure = nml_new_exception("Failure");
  nml_exn_Invalid_argument = nml_new_exception("Invalid_argument");
  nml_exn_End_of_file = nml_new_exception("End_of_file");
  nml_exn_Division_by_zero = nml_new_exception("Division_by_zero");
  nml_exn_Not_found = nml_new_exception("Not_found");
  nml_exn_Match_failure = nml_new_exception("Match_failure");
  nml_exn_Stack_overflow = nml_new_exception("Stack_overflow");
  nml_exn_Sys_blocked_io = nml_new_exception("Sys_blocked_io");
  nml_exn_Assert_failure = nml_new_exception("Assert_failure");
  nml_exn_Undefined_recursive_module = nml_new_exception("Undefined_recursive_module");
  nml_exn_Exit = nml_new_exception("Stdlib.Exit");
  nml_exn_Break = nml_new_exception("Stdlib.Sys.Break");
  rt_register_global(&nml_exn_bucket);
}

/* Match_failure, Assert_failure and Undefined_recursive_module print their
 * tuple argument's fields directly, as OCaml's caml_format_exception does. */
static bool is_special_exception(value constr) {
  return constr == nml_exn_Match_failure || constr == nml_exn_Assert_failure ||
         constr == nml_exn_Undefined_recursive_module;
}

char *nml_format_exception(value exn) {
  RtBuf b = {0};
  if (Is_block(exn) && Tag_val(exn) == 0 && Wosize_val(exn) >= 1) {
    rt_buf_adds(&b, String_val(Field(Field(exn, 0), 0)));
    value bucket = exn;
    mlsize_t start = 1;
    if (Wosize_val(exn) == 2 && Is_block(Field(exn, 1)) && Tag_val(Field(exn, 1)) == 0 &&
        is_special_exception(Field(exn, 0))) {
      bucket = Field(exn, 1);
      start = 0;
    }
    rt_buf_adds(&b, "(");
    for (mlsize_t i = start; i < Wosize_val(bucket); i++) {
      if (i > start) rt_buf_adds(&b, ", ");
      value v = Field(bucket, i);
      if (Is_long(v)) {
        char num[32];
        snprintf(num, sizeof num, "%ld", (long)Long_val(v));
        rt_buf_adds(&b, num);
      } else if (Tag_val(v) == String_tag) {
        rt_buf_adds(&b, "\"");
        rt_buf_add(&b, String_val(v), nml_string_length(v));
        rt_buf_adds(&b, "\"");
      } else {
        rt_buf_adds(&b, "_");
      }
    }
    rt_buf_adds(&b, ")");
  } else if (Is_block(exn) && Tag_val(exn) == Object_tag) {
    rt_buf_adds(&b, String_val(Field(exn, 0)));
  } else {
    rt_buf_adds(&b, "_");
  }
  return b.data;
}

static NML_NORETURN void fatal_uncaught(value exn) {
  nml_flush_std();
  char *msg = nml_format_exception(exn);
  fprintf(stderr, "Fatal error: exception %s\n", msg);
  free(msg);
  fflush(stderr);
  exit(2);
}

void nml_raise(value exn) {
  NmlTrap *t = nml_trap_top;
  if (t == NULL) fatal_uncaught(exn);
  nml_trap_top = t->prev;
  nml_exn_bucket = exn;
  if ((uint32_t)t->jb[NML_TRAP_MAGIC_WORD] == NML_TRAP_MAGIC) nml_longjmp(t->jb);
  _longjmp(*(jmp_buf *)(void *)t->jb, 1);
}

bool nml_run_trapped_arg(value (*fn)(void *arg), void *arg, value *result, value *exn) {
  NmlTrap trap;
  trap.prev = nml_trap_top;
  nml_trap_top = &trap;
  if (nml_setjmp(trap.jb) == 0) {
    *result = fn(arg);
    nml_trap_top = trap.prev;
    return true;
  }
  /* nml_raise popped the frame. */
  *exn = nml_exn_bucket;
  return false;
}

typedef struct Entry {
  value (*entry)(void);
} Entry;

static value run_entry(void *arg) { return ((Entry *)arg)->entry(); }

bool nml_run_trapped(value (*entry)(void), value *result, value *exn) {
  Entry e = {entry};
  return nml_run_trapped_arg(run_entry, &e, result, exn);
}

void nml_raise_constant(value constr) { nml_raise(constr); }

void nml_raise_with_arg(value constr, value arg) {
  value e = nml_alloc(2, 0);
  Field(e, 0) = constr;
  Field(e, 1) = arg;
  nml_raise(e);
}

void nml_raise_with_string(value constr, const char *msg) {
  nml_raise_with_arg(constr, nml_copy_string(msg));
}

void nml_failwith(const char *msg) { nml_raise_with_string(nml_exn_Failure, msg); }

void nml_invalid_argument(const char *msg) { nml_raise_with_string(nml_exn_Invalid_argument, msg); }

void nml_raise_division_by_zero(void) { nml_raise_constant(nml_exn_Division_by_zero); }

void nml_raise_not_found(void) { nml_raise_constant(nml_exn_Not_found); }

void nml_array_bound_error(void) { nml_invalid_argument("index out of bounds"); }

void nml_raise_match_failure(value file, value line, value col) {
  nml_raise_with_arg(nml_exn_Match_failure, rt_tuple3(file, line, col));
}

void nml_raise_assert_failure(value file, value line, value col) {
  nml_raise_with_arg(nml_exn_Assert_failure, rt_tuple3(file, line, col));
}
