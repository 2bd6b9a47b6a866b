/* ir.h — natml's intermediate representation, between the typed AST and
 * code generation. A tree language over one-word values:
 *
 *   lower.c    typed AST   -> IR with nested IR_FUN literals
 *   closure.c  nested IR   -> flat functions (IrFunc) whose free variables
 *                             are explicit closure fields (IR_ENVFIELD),
 *                             function literals become IR_CLOSURE
 *   codegen    flat IR     -> ELF object in memory (codegen.h)
 *
 * Variables are immutable and identified by integer ids unique within a
 * unit. Every value is a machine word (runtime/value.h); ints are tagged.
 * Static exceptions (IR_CATCH / IR_EXIT, OCaml's staticcatch) give the
 * pattern-match compiler shared continuations.
 */
#ifndef NML_IR_H
#define NML_IR_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "ast.h"
#include "util.h"

/* Built-in operations, generated from prims.def's NML_PRIM_OP lines (the
 * %-primitives of externals and the compiler's own). */
typedef enum IrPrim {
#define NML_PRIM_OP(op, printed) P_##op,
#include "prims.def"
  P_COUNT
} IrPrim;

typedef enum IrKind {
  IR_CONST,     /* a word, already in value form (Val_int(3) = 7) */
  IR_FLOAT,     /* a float constant (boxed, static) */
  IR_STRING,    /* a string literal (static block) */
  IR_VAR,       /* a local variable */
  IR_GLOBAL,    /* the value in the slot named `str` */
  IR_SETGLOBAL, /* store a into the slot named `str`; yields unit */
  IR_LET,       /* let var = a in b */
  IR_LETREC,    /* let rec vars[i] = funs[i] (IR_FUN / IR_CLOSURE) in b */
  IR_FUN,       /* function literal (before closure conversion) */
  IR_CLOSURE,   /* closure of `func` capturing `args` (after conversion) */
  IR_ENVFIELD,  /* free variable `index` of the current function */
  IR_SELF,      /* the current function's closure */
  IR_APPLY,     /* a(args): unknown function, any number of arguments */
  IR_CALL,      /* direct call of `func` with args and closure a */
  IR_CCALL,     /* C function `sym` with args */
  IR_PRIM,      /* built-in operation `prim` on args */
  IR_ALLOC,     /* block of tag `index` with fields args; with tag
                    Double_array_tag (a flat float record) the args are
                    floats, stored unboxed */
  IR_IF,        /* if a (a tagged bool) then b else c */
  IR_SEQ,       /* a; b */
  IR_WHILE,     /* while a do b */
  IR_FOR,       /* for var = a to|downto b do c */
  IR_TRY,       /* try a with var -> b */
  IR_SWITCH,    /* on a: ints[i] -> cases[i], else default b */
  IR_CATCH,     /* catch a with label(vars) -> b */
  IR_EXIT,      /* jump to label with args */
  IR_UNREACHABLE,
} IrKind;

typedef struct IrFunc IrFunc;
typedef struct Ir Ir;

struct Ir {
  IrKind kind;
  int64_t imm;     /* IR_CONST word; IR_ALLOC tag; IR_FIELD index;
                         IR_ENVFIELD index; IR_CATCH/EXIT label */
  double f;        /* IR_FLOAT */
  const char *str; /* IR_STRING bytes; IR_GLOBAL, IR_CCALL symbol */
  int slen;        /* IR_STRING length */
  int var;         /* IR_VAR, IR_LET, IR_FOR, IR_TRY variable */
  IrPrim prim;     /* IR_PRIM */
  Ir *a, *b, *c;
  Ir **args; /* APPLY, CALL, CCALL, PRIM, ALLOC, CLOSURE, EXIT,
                         LETREC funs, SWITCH cases */
  int nargs;
  int *vars; /* LETREC vars, CATCH vars, FUN params */
  int nvars;
  int64_t *ints;   /* SWITCH case values (compared as words) */
  bool downto;     /* IR_FOR */
  bool switch_tag; /* IR_SWITCH: switch on the block tag, not the word */
  IrFunc *func;    /* IR_FUN, IR_CLOSURE, IR_CALL */
  Loc loc;
};

/* A function: after closure conversion, code that takes nparams
 * arguments and its own closure. */
struct IrFunc {
  int id;
  const char *name; /* for symbols and dumps: "f", "anon" */
  const char *sym;  /* its symbol, unique within the unit */
  int nparams;
  int *params; /* parameter variables */
  Ir *body;
  int *free; /* free variables, in closure field order */
  int nfree;
  int self_var; /* variable naming the function itself inside its
                           body (let rec), or -1 */
  void *cg;     /* codegen's handle on the function */
};

/* A compilation unit: lifted functions and the entry body, whose value
 * is the ML list of the values the unit binds. */
typedef struct IrUnit {
  const char *name; /* unit name, used in symbols */
  PtrVec funcs;     /* IrFunc* */
  Ir *entry;
  int nvars;    /* variable ids are 0..nvars-1 */
  PtrVec slots; /* const char*: value slots the unit defines */
  int nstatic;  /* static blocks codegen emitted (strings, floats) */
} IrUnit;

/* Builders (ir.c). */
Ir *ir_new(Arena *a, IrKind k);
Ir *ir_const(Arena *a, int64_t word);
Ir *ir_int(Arena *a, int64_t n); /* Val_long(n) */
Ir *ir_unit(Arena *a);
Ir *ir_var(Arena *a, int var);
Ir *ir_let(Arena *a, int var, Ir *e, Ir *body);
Ir *ir_seq(Arena *a, Ir *e1, Ir *e2);
Ir *ir_if(Arena *a, Ir *c, Ir *t, Ir *e);
Ir *ir_prim(Arena *a, IrPrim p, int nargs, ...);
Ir *ir_prim_field(Arena *a, Ir *block, int index);
Ir *ir_ccall(Arena *a, const char *sym, int nargs, ...);
Ir *ir_alloc(Arena *a, int tag, int nfields, Ir **fields);

const char *ir_prim_name(IrPrim p);
/* Prints a unit for -dir and golden tests. */
void ir_print_unit(Buf *out, const IrUnit *u);
void ir_print(Buf *out, const Ir *e, int indent);

/* closure.c: converts the nested functions of u->entry into u->funcs.
 * Returns false when a variable is used but never bound (a construct
 * lowering does not support). */
bool closure_convert(Arena *a, IrUnit *u);

#endif
