/* ir.c — IR node builders and the IR printer behind -dir (see ir.h). The
 * printer's output is stable so that golden tests can compare it. */
#include "ir.h"

#include <stdarg.h>
#include <string.h>

Ir *ir_new(Arena *a, IrKind k) {
  Ir *e = ARENA_NEW(a, Ir);
  e->kind = k;
  e->var = -1;
  return e;
}

Ir *ir_const(Arena *a, int64_t word) {
  Ir *e = ir_new(a, IR_CONST);
  e->imm = word;
  return e;
}

Ir *ir_int(Arena *a, int64_t n) { return ir_const(a, (int64_t)((uint64_t)n << 1) + 1); }
Ir *ir_unit(Arena *a) { return ir_int(a, 0); }

Ir *ir_var(Arena *a, int var) {
  Ir *e = ir_new(a, IR_VAR);
  e->var = var;
  return e;
}

Ir *ir_let(Arena *a, int var, Ir *val, Ir *body) {
  Ir *e = ir_new(a, IR_LET);
  e->var = var;
  e->a = val;
  e->b = body;
  return e;
}

Ir *ir_seq(Arena *a, Ir *e1, Ir *e2) {
  Ir *e = ir_new(a, IR_SEQ);
  e->a = e1;
  e->b = e2;
  return e;
}

Ir *ir_if(Arena *a, Ir *c, Ir *t, Ir *f) {
  Ir *e = ir_new(a, IR_IF);
  e->a = c;
  e->b = t;
  e->c = f;
  return e;
}

static Ir **collect(Arena *a, int n, va_list ap) {
  Ir **args = ARENA_ARRAY(a, Ir *, n > 0 ? n : 1);
  for (int i = 0; i < n; i++) args[i] = va_arg(ap, Ir *);
  return args;
}

Ir *ir_prim(Arena *a, IrPrim p, int nargs, ...) {
  Ir *e = ir_new(a, IR_PRIM);
  e->prim = p;
  va_list ap;
  va_start(ap, nargs);
  e->args = collect(a, nargs, ap);
  va_end(ap);
  e->nargs = nargs;
  return e;
}

Ir *ir_prim_field(Arena *a, Ir *block, int index) {
  Ir *e = ir_prim(a, P_FIELD, 1, block);
  e->imm = index;
  return e;
}

Ir *ir_ccall(Arena *a, const char *sym, int nargs, ...) {
  Ir *e = ir_new(a, IR_CCALL);
  e->str = sym;
  va_list ap;
  va_start(ap, nargs);
  e->args = collect(a, nargs, ap);
  va_end(ap);
  e->nargs = nargs;
  return e;
}

Ir *ir_alloc(Arena *a, int tag, int nfields, Ir **fields) {
  Ir *e = ir_new(a, IR_ALLOC);
  e->imm = tag;
  e->args = fields;
  e->nargs = nfields;
  return e;
}

static const char *const prim_names[P_COUNT] = {
#define NML_PRIM_OP(op, printed) [P_##op] = printed,
#include "prims.def"
};

const char *ir_prim_name(IrPrim p) { return p < P_COUNT && prim_names[p] ? prim_names[p] : "?"; }

static void nl(Buf *out, int indent) {
  buf_putc(out, '\n');
  for (int i = 0; i < indent; i++) buf_putc(out, ' ');
}

static void print_list(Buf *out, Ir **xs, int n, int indent) {
  for (int i = 0; i < n; i++) {
    buf_putc(out, ' ');
    ir_print(out, xs[i], indent);
  }
}

void ir_print(Buf *out, const Ir *e, int ind) {
  switch (e->kind) {
  case IR_CONST:
    if (e->imm & 1) buf_printf(out, "%lld", (long long)(e->imm >> 1));
    else buf_printf(out, "word:%lld", (long long)e->imm);
    break;
  case IR_FLOAT: buf_printf(out, "%.17g", e->f); break;
  case IR_STRING:
    buf_putc(out, '"');
    for (int i = 0; i < e->slen; i++) {
      unsigned char c = (unsigned char)e->str[i];
      if (c == '"' || c == '\\') buf_printf(out, "\\%c", c);
      else if (c < 32 || c > 126) buf_printf(out, "\\%03d", c);
      else buf_putc(out, (char)c);
    }
    buf_putc(out, '"');
    break;
  case IR_VAR: buf_printf(out, "v%d", e->var); break;
  case IR_GLOBAL: buf_printf(out, "(global %s)", e->str); break;
  case IR_SETGLOBAL:
    buf_printf(out, "(setglobal %s ", e->str);
    ir_print(out, e->a, ind + 2);
    buf_putc(out, ')');
    break;
  case IR_LET:
    buf_printf(out, "(let v%d ", e->var);
    ir_print(out, e->a, ind + 2);
    nl(out, ind);
    ir_print(out, e->b, ind);
    buf_putc(out, ')');
    break;
  case IR_LETREC:
    buf_puts(out, "(letrec");
    for (int i = 0; i < e->nvars; i++) {
      nl(out, ind + 2);
      buf_printf(out, "v%d ", e->vars[i]);
      ir_print(out, e->args[i], ind + 4);
    }
    nl(out, ind);
    ir_print(out, e->a, ind);
    buf_putc(out, ')');
    break;
  case IR_FUN:
    buf_printf(out, "(fun %s", e->func->name);
    for (int i = 0; i < e->func->nparams; i++) buf_printf(out, " v%d", e->func->params[i]);
    buf_puts(out, " ->");
    nl(out, ind + 2);
    ir_print(out, e->func->body, ind + 2);
    buf_putc(out, ')');
    break;
  case IR_CLOSURE:
    buf_printf(out, "(closure %s", e->func->sym);
    print_list(out, e->args, e->nargs, ind + 2);
    buf_putc(out, ')');
    break;
  case IR_ENVFIELD: buf_printf(out, "env.%lld", (long long)e->imm); break;
  case IR_SELF: buf_puts(out, "self"); break;
  case IR_APPLY:
    buf_puts(out, "(apply ");
    ir_print(out, e->a, ind + 2);
    print_list(out, e->args, e->nargs, ind + 2);
    buf_putc(out, ')');
    break;
  case IR_CALL:
    buf_printf(out, "(call %s", e->func->sym);
    print_list(out, e->args, e->nargs, ind + 2);
    buf_puts(out, " env=");
    ir_print(out, e->a, ind + 2);
    buf_putc(out, ')');
    break;
  case IR_CCALL:
    buf_printf(out, "(ccall %s", e->str);
    print_list(out, e->args, e->nargs, ind + 2);
    buf_putc(out, ')');
    break;
  case IR_PRIM:
    buf_printf(out, "(%s", ir_prim_name(e->prim));
    if (e->prim == P_FIELD || e->prim == P_SETFIELD || e->prim == P_FLOATFIELD || e->prim == P_SETFLOATFIELD)
      buf_printf(out, " %lld", (long long)e->imm);
    print_list(out, e->args, e->nargs, ind + 2);
    buf_putc(out, ')');
    break;
  case IR_ALLOC:
    buf_printf(out, "(block tag=%lld", (long long)e->imm);
    print_list(out, e->args, e->nargs, ind + 2);
    buf_putc(out, ')');
    break;
  case IR_IF:
    buf_puts(out, "(if ");
    ir_print(out, e->a, ind + 4);
    nl(out, ind + 2);
    ir_print(out, e->b, ind + 2);
    nl(out, ind + 2);
    ir_print(out, e->c, ind + 2);
    buf_putc(out, ')');
    break;
  case IR_SEQ:
    buf_puts(out, "(seq ");
    ir_print(out, e->a, ind + 2);
    nl(out, ind + 2);
    ir_print(out, e->b, ind + 2);
    buf_putc(out, ')');
    break;
  case IR_WHILE:
    buf_puts(out, "(while ");
    ir_print(out, e->a, ind + 2);
    nl(out, ind + 2);
    ir_print(out, e->b, ind + 2);
    buf_putc(out, ')');
    break;
  case IR_FOR:
    buf_printf(out, "(for v%d ", e->var);
    ir_print(out, e->a, ind + 2);
    buf_puts(out, e->downto ? " downto " : " to ");
    ir_print(out, e->b, ind + 2);
    nl(out, ind + 2);
    ir_print(out, e->c, ind + 2);
    buf_putc(out, ')');
    break;
  case IR_TRY:
    buf_puts(out, "(try ");
    ir_print(out, e->a, ind + 2);
    nl(out, ind);
    buf_printf(out, "with v%d ->", e->var);
    nl(out, ind + 2);
    ir_print(out, e->b, ind + 2);
    buf_putc(out, ')');
    break;
  case IR_SWITCH:
    buf_puts(out, e->switch_tag ? "(switch-tag " : "(switch ");
    ir_print(out, e->a, ind + 2);
    for (int i = 0; i < e->nargs; i++) {
      nl(out, ind + 2);
      buf_printf(out, "case %lld: ", (long long)e->ints[i]);
      ir_print(out, e->args[i], ind + 4);
    }
    if (e->b) {
      nl(out, ind + 2);
      buf_puts(out, "default: ");
      ir_print(out, e->b, ind + 4);
    }
    buf_putc(out, ')');
    break;
  case IR_CATCH:
    buf_puts(out, "(catch ");
    ir_print(out, e->a, ind + 2);
    nl(out, ind);
    buf_printf(out, "with (%lld", (long long)e->imm);
    for (int i = 0; i < e->nvars; i++) buf_printf(out, " v%d", e->vars[i]);
    buf_puts(out, ") ->");
    nl(out, ind + 2);
    ir_print(out, e->b, ind + 2);
    buf_putc(out, ')');
    break;
  case IR_EXIT:
    buf_printf(out, "(exit %lld", (long long)e->imm);
    print_list(out, e->args, e->nargs, ind + 2);
    buf_putc(out, ')');
    break;
  case IR_UNREACHABLE: buf_puts(out, "unreachable"); break;
  }
}

void ir_print_unit(Buf *out, const IrUnit *u) {
  for (int i = 0; i < u->funcs.len; i++) {
    IrFunc *f = u->funcs.items[i];
    buf_printf(out, "(function %s", f->sym);
    for (int j = 0; j < f->nparams; j++) buf_printf(out, " v%d", f->params[j]);
    if (f->nfree) {
      buf_puts(out, " [env");
      for (int j = 0; j < f->nfree; j++) buf_printf(out, " v%d", f->free[j]);
      buf_putc(out, ']');
    }
    nl(out, 2);
    ir_print(out, f->body, 2);
    buf_puts(out, ")\n");
  }
  buf_puts(out, "(entry");
  nl(out, 2);
  ir_print(out, u->entry, 2);
  buf_puts(out, ")\n");
}
