/* trace.c — the runtime's side of the toplevel's #trace. Generated code
 * and the support object reach the tracer through three entry points that
 * forward to a hook the toplevel installs (compiler/toplevel/top_trace.c):
 * nml_trace_call from the per-arity stubs a traced function's entry or
 * closure is redirected to, nml_trace_wrapped from the closures that
 * trace a function's functional result, nml_trace_partial from the apply
 * helpers when they build a partial application while something is
 * traced. The runtime knows nothing of types or printing; it holds the
 * hook and the count of traced closures that generated code reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include "rt_internal.h"

int64_t nml_trace_active;

static NmlTraceHook trace_hook;
static void *trace_hook_ctx;

void nml_set_trace_hook(NmlTraceHook hook, void *ctx) {
  trace_hook = hook;
  trace_hook_ctx = ctx;
}

/* Stubs run only after the toplevel redirected code to them, which it
 * does with its hook installed: reaching one without is a bug. */
static NmlTraceHook installed_hook(void) {
  if (trace_hook == NULL) {
    fputs("natml: a traced function was called with no tracer installed\n", stderr);
    abort();
  }
  return trace_hook;
}

value nml_trace_call(value clos, value *args, intptr_t nargs) {
  return installed_hook()(trace_hook_ctx, NML_TRACE_CALL, clos, args, nargs);
}

value nml_trace_wrapped(value wrapper, value arg) {
  return installed_hook()(trace_hook_ctx, NML_TRACE_WRAPPED, wrapper, &arg, 1);
}

/* Partial applications are built everywhere, traced or not: without a
 * hook (a host that never traces but counts) they stay what they are. */
value nml_trace_partial(value clos, value pap, intptr_t nargs) {
  if (trace_hook == NULL) return pap;
  return trace_hook(trace_hook_ctx, NML_TRACE_PARTIAL, clos, &pap, nargs);
}
