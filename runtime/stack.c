/* stack.c — the stack limit checked by every ML function's prologue, and
 * SIGINT handling. One check serves both Stack_overflow and Ctrl-C: the
 * SIGINT handler moves nml_stack_limit to the top of the address space so
 * that the next prologue check fails and nml_stack_check_failed raises
 * Sys.Break (Poly/ML's way).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include "rt_internal.h"

/* Room left below the limit for C code called from ML (primitives, the
 * collector's marking, printf) and for the raise itself. */
#define STACK_MARGIN (256 * 1024)
/* The kernel keeps this gap between a growing stack and the mapping below. */
#define STACK_GUARD_GAP (1024 * 1024)
#define DEFAULT_STACK   (8 * 1024 * 1024)

char *nml_stack_limit;
/* The limit proper, to which nml_stack_limit returns after an interrupt. */
static char *real_limit;
static volatile sig_atomic_t break_pending;

/* Finds the [lo, hi) of the mapping holding addr and the end of the mapping
 * below it, from /proc/self/maps. Returns false when that fails. */
static bool find_stack_mapping(uintptr_t addr, uintptr_t *hi_out, uintptr_t *below_out) {
  FILE *f = fopen("/proc/self/maps", "r");
  if (f == NULL) return false;
  char line[512];
  uintptr_t prev_hi = 0;
  bool found = false;
  while (fgets(line, sizeof line, f)) {
    unsigned long lo, hi;
    if (sscanf(line, "%lx-%lx", &lo, &hi) != 2) continue;
    if (addr >= lo && addr < hi) {
      *hi_out = hi;
      *below_out = prev_hi;
      found = true;
      break;
    }
    prev_hi = hi;
  }
  fclose(f);
  return found;
}

/* The lowest address the stack may reach: the top of its mapping minus
 * RLIMIT_STACK, and never into the gap above the mapping below it. */
static char *compute_limit(void *stack_base) {
  uintptr_t base = (uintptr_t)stack_base;
  uintptr_t top = base, below = 0;
  find_stack_mapping(base, &top, &below);
  struct rlimit rl;
  uintptr_t size = DEFAULT_STACK;
  if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) size = rl.rlim_cur;
  uintptr_t lowest = top > size ? top - size : 0;
  if (below != 0 && lowest < below + STACK_GUARD_GAP) lowest = below + STACK_GUARD_GAP;
  return (char *)(lowest + STACK_MARGIN);
}

void rt_stack_init(void *stack_base) {
  char here;
  if (stack_base == NULL) stack_base = &here;
  real_limit = compute_limit(stack_base);
  nml_stack_limit = real_limit;
}

static void on_sigint(int sig) {
  (void)sig;
  break_pending = 1;
  nml_stack_limit = (char *)UINTPTR_MAX;
}

void nml_catch_break(bool on) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sigemptyset(&sa.sa_mask);
  /* No SA_RESTART: a blocking read returns EINTR and polls for Break. */
  sa.sa_handler = on ? on_sigint : SIG_DFL;
  sigaction(SIGINT, &sa, NULL);
  if (!on) {
    break_pending = 0;
    nml_stack_limit = real_limit;
  }
}

void rt_poll_break(void) {
  if (break_pending) {
    /* Limit first: an interrupt in between leaves a spurious trap, which
     * nml_stack_check_failed recognises, never a lost one. */
    nml_stack_limit = real_limit;
    break_pending = 0;
    nml_raise_constant(nml_exn_Break);
  }
}

void nml_stack_check_failed(void) {
  rt_poll_break();
  char here;
  if ((char *)&here >= real_limit) {
    /* A late interrupt moved the limit after rt_poll_break looked: put it
     * back, then look once more. */
    nml_stack_limit = real_limit;
    rt_poll_break();
    return;
  }
  nml_raise_constant(nml_exn_Stack_overflow);
}

value nml_sys_catch_break(value on) {
  nml_catch_break(Bool_val(on));
  return Val_unit;
}
