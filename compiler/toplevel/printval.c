/* printval.c — the toplevel's value printer, in two steps as in OCaml:
 * build an outcome tree from the value and its type (Genprintval: the
 * depth and step limits, "<poly>", "<fun>", "<abstr>", cycles), then print
 * the tree with Oprint's boxes and its Ellipsis rule. The toplevel calls it
 * after running a phrase's unit; see printval.h.
 */
#include "printval.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "natml_runtime.h"

#define PV_DEFAULT_DEPTH 100
#define PV_DEFAULT_STEPS 300

/* ---- Outcome trees (Outcometree.out_value) ------------------------------ */

typedef enum OvKind {
  OV_INT,
  OV_INT32,
  OV_INT64,
  OV_NATIVEINT,
  OV_FLOAT,
  OV_CHAR,
  OV_STRING,
  OV_BYTES,
  OV_LIST,
  OV_ARRAY,
  OV_TUPLE,
  OV_CONSTR,
  OV_RECORD,
  OV_STUFF,
  OV_ELLIPSIS,
} OvKind;

typedef struct OutVal OutVal;
struct OutVal {
  OvKind kind;
  long i;        /* ints, chars */
  double d;      /* OV_FLOAT */
  const char *s; /* strings (not NUL-terminated), OV_STUFF text */
  size_t len;
  long maxlen;              /* strings: printed prefix length */
  const char *prefix;       /* OV_CONSTR: module path with its dot, or NULL */
  const char *name;         /* OV_CONSTR name */
  bool variant;             /* OV_CONSTR: a polymorphic variant tag (`A) */
  OutVal **items;           /* list/array/tuple items, constructor arguments,
                             record field values */
  const char **labels;      /* OV_RECORD: field names */
  const char *label_prefix; /* OV_RECORD: qualifier of the first field */
  int n;
};

/* A type variable bound to a type argument, itself read under its own
 * substitution: how declaration bodies are instantiated without copying
 * types (Genprintval's instantiate_type). */
typedef struct Subst Subst;
struct Subst {
  Type *param;
  Type *arg;
  const Subst *arg_env;
  const Subst *next;
};

/* State of one outval_of_value call. */
typedef struct Builder {
  Arena *arena;
  const PvOptions *opt;
  long steps;
  /* Blocks being printed, for "<cycle>" (Genprintval's nested_values). */
  value *nested;
  int nnested, capnested;
} Builder;

static OutVal *ov_new(Builder *b, OvKind kind) {
  OutVal *o = ARENA_NEW(b->arena, OutVal);
  o->kind = kind;
  return o;
}

static OutVal *ov_stuff(Builder *b, const char *s) {
  OutVal *o = ov_new(b, OV_STUFF);
  o->s = s;
  o->len = strlen(s);
  return o;
}

static OutVal **ov_items(PtrVec *v) { return (OutVal **)v->items; }

/* Follows links and substitutions until ty is not a substituted
 * variable; *env becomes the substitution that applies to the result. */
static Type *resolve(Type *ty, const Subst **env) {
  for (;;) {
    ty = ty_repr(ty);
    if (ty->kind != TY_VAR) return ty;
    const Subst *s = *env;
    while (s && ty_repr(s->param) != ty) s = s->next;
    if (!s) return ty;
    ty = s->arg;
    *env = s->arg_env;
  }
}

/* Binds the variables of param (a parameter, which constraints may have
 * made a type: `constraint 'a = 'b list`) to the parts of arg they
 * stand for, onto s. */
static const Subst *bind_param(Builder *b, Type *param, Type *arg, const Subst *env, const Subst *s,
                               int depth) {
  param = ty_repr(param);
  if (param->kind == TY_VAR) {
    Subst *n = ARENA_NEW(b->arena, Subst);
    n->param = param;
    n->arg = arg;
    n->arg_env = env;
    n->next = s;
    return n;
  }
  arg = resolve(arg, &env);
  if (depth > 50 || arg->kind != param->kind) return s;
  if (param->kind == TY_ARROW) {
    s = bind_param(b, param->a, arg->a, env, s, depth + 1);
    return bind_param(b, param->b, arg->b, env, s, depth + 1);
  }
  for (int i = 0; i < param->nargs && i < arg->nargs; i++)
    s = bind_param(b, param->args[i], arg->args[i], env, s, depth + 1);
  return s;
}

/* The substitution mapping decl's parameters to the arguments of ty. */
static const Subst *bind_params(Builder *b, TypeDecl *decl, Type *ty, const Subst *env) {
  const Subst *s = NULL;
  for (int i = 0; i < decl->nparams && i < ty->nargs; i++)
    s = bind_param(b, decl->params[i], ty->args[i], env, s, 0);
  return s;
}

static bool bound_in(const Subst *s, Type *v) {
  for (; s; s = s->next)
    if (ty_repr(s->param) == v) return true;
  return false;
}

/* A GADT constructor's result pat (its own variables) matched against
 * the value's type ty (under env): each variable of pat is bound to the
 * part of ty it stands for, as Genprintval unifies the constructor's
 * result with the type. Variables left unbound (existentials) print as
 * <poly>. */
static const Subst *match_res(Builder *b, Type *pat, Type *ty, const Subst *env, const Subst *s, int depth) {
  pat = ty_repr(pat);
  if (depth > 100) return s;
  if (pat->kind == TY_VAR) {
    if (bound_in(s, pat)) return s;
    Subst *n = ARENA_NEW(b->arena, Subst);
    n->param = pat;
    n->arg = ty;
    n->arg_env = env;
    n->next = s;
    return n;
  }
  ty = resolve(ty, &env);
  if (pat->kind != ty->kind) return s;
  if (pat->kind == TY_ARROW) {
    s = match_res(b, pat->a, ty->a, env, s, depth + 1);
    return match_res(b, pat->b, ty->b, env, s, depth + 1);
  }
  if (pat->kind == TY_CONSTR && pat->decl != ty->decl && pat->decl->stamp != ty->decl->stamp) return s;
  for (int i = 0; i < pat->nargs && i < ty->nargs; i++)
    s = match_res(b, pat->args[i], ty->args[i], env, s, depth + 1);
  return s;
}

static bool is_nested(Builder *b, value v) {
  for (int i = 0; i < b->nnested; i++)
    if (b->nested[i] == v) return true;
  return false;
}

static void push_nested(Builder *b, value v) {
  if (b->nnested == b->capnested) {
    int cap = b->capnested ? b->capnested * 2 : 64;
    value *n = ARENA_ARRAY(b->arena, value, cap);
    if (b->nnested) memcpy(n, b->nested, sizeof(value) * (size_t)b->nnested);
    b->nested = n;
    b->capnested = cap;
  }
  b->nested[b->nnested++] = v;
}

/* Removes v, the most recent occurrence (nesting is LIFO). */
static void pop_nested(Builder *b, value v) {
  for (int i = b->nnested - 1; i >= 0; i--)
    if (b->nested[i] == v) {
      memmove(b->nested + i, b->nested + i + 1, sizeof(value) * (size_t)(b->nnested - i - 1));
      b->nnested--;
      return;
    }
}

static OutVal *tree_of_val(Builder *b, int depth, value v, Type *ty, const Subst *env);

/* The nodes above the one substituted (see substituted). */
typedef struct TyAbove {
  const Type *ty;
  const struct TyAbove *up;
} TyAbove;

/* ty with env applied throughout, for the user's printers, which match
 * whole types (shares ty when nothing needs substituting). A cyclic type
 * (-rectypes) is left as it is where it comes back to itself. */
static Type *substituted_rec(Builder *b, Type *ty, const Subst *env, int depth, const TyAbove *above) {
  ty = resolve(ty, &env);
  if (!env || depth > 100) return ty;
  for (const TyAbove *p = above; p; p = p->up)
    if (p->ty == ty) return ty;
  TyAbove here = {ty, above};
  Type *a = NULL, *bb = NULL, **args = NULL;
  bool changed = false;
  switch (ty->kind) {
  case TY_VAR:
  case TY_VARIANT: return ty; /* the user's printers see rows as they are */
  case TY_ARROW:
    a = substituted_rec(b, ty->a, env, depth + 1, &here);
    bb = substituted_rec(b, ty->b, env, depth + 1, &here);
    changed = a != ty->a || bb != ty->b;
    break;
  case TY_TUPLE:
  case TY_CONSTR:
  case TY_PACKAGE:
    args = ARENA_ARRAY(b->arena, Type *, ty->nargs + 1);
    for (int i = 0; i < ty->nargs; i++) {
      args[i] = substituted_rec(b, ty->args[i], env, depth + 1, &here);
      changed |= args[i] != ty->args[i];
    }
    break;
  }
  if (!changed) return ty;
  Type *t = ARENA_NEW(b->arena, Type);
  *t = *ty;
  t->a = a;
  t->b = bb;
  if (args) t->args = args;
  return t;
}

static Type *substituted(Builder *b, Type *ty, const Subst *env) {
  return substituted_rec(b, ty, env, 0, NULL);
}

/* Genprintval's `nest`: a block already being printed is a cycle. */
static OutVal *nest(Builder *b, int depth, value v, Type *ty, const Subst *env) {
  if (!Is_block(v)) return tree_of_val(b, depth, v, ty, env);
  if (is_nested(b, v)) return ov_stuff(b, "<cycle>");
  push_nested(b, v);
  OutVal *o = tree_of_val(b, depth, v, ty, env);
  pop_nested(b, v);
  return o;
}

static bool out_of_budget(Builder *b, int depth) { return b->steps < 0 || depth < 0; }

/* Lists: one step per element, the list's own depth for the spine, and a
 * "..." element once the steps run out (Genprintval's tree_of_conses). */
static OutVal *tree_of_list(Builder *b, int depth, value v, Type *elt, const Subst *env) {
  PtrVec items = {0};
  value cell = v;
  int pushed = 0;
  for (;;) {
    if (out_of_budget(b, depth)) {
      ptrvec_push(b->arena, &items, ov_new(b, OV_ELLIPSIS));
      break;
    }
    if (!Is_block(cell)) break;
    ptrvec_push(b->arena, &items, nest(b, depth - 1, Field(cell, 0), elt, env));
    value next = Field(cell, 1);
    if (Is_block(next)) {
      if (is_nested(b, next)) {
        ptrvec_push(b->arena, &items, ov_stuff(b, "<cycle>"));
        break;
      }
      push_nested(b, next);
      pushed++;
    }
    cell = next;
  }
  /* The spine cells stay "being printed" until the whole list is done,
   * as in the recursive original. */
  b->nnested -= pushed;
  OutVal *o = ov_new(b, OV_LIST);
  o->items = ov_items(&items);
  o->n = items.len;
  return o;
}

static OutVal *tree_of_array(Builder *b, int depth, value v, Type *elt, const Subst *env) {
  OutVal *o = ov_new(b, OV_ARRAY);
  mlsize_t len = Wosize_val(v);
  PtrVec items = {0};
  for (mlsize_t i = 0;; i++) {
    if (out_of_budget(b, depth)) {
      ptrvec_push(b->arena, &items, ov_new(b, OV_ELLIPSIS));
      break;
    }
    if (i >= len) break;
    ptrvec_push(b->arena, &items, nest(b, depth - 1, Field(v, i), elt, env));
  }
  o->items = ov_items(&items);
  o->n = items.len;
  return o;
}

/* The fields start..start+n-1 of v, typed by tys (tuples, constructor and
 * exception arguments). */
static OutVal **tree_of_fields(Builder *b, int depth, value v, int start, Type **tys, int n,
                               const Subst *env) {
  OutVal **items = ARENA_ARRAY(b->arena, OutVal *, n > 0 ? n : 1);
  for (int i = 0; i < n; i++) items[i] = nest(b, depth - 1, Field(v, start + i), tys[i], env);
  return items;
}

static const char *qualifier(Builder *b, Type *ty, const char *name, bool is_label) {
  const PvOptions *opt = b->opt;
  /* The path as the type printer shows it (the declaration's, once its
   * module is closed). */
  const char *path = ty->decl && ty->decl->path ? ty->decl->path : ty->path;
  if (!opt || !opt->qualify || !path) return NULL;
  const char *dot = strrchr(path, '.');
  if (!dot || !opt->qualify(opt->ctx, ty, name, is_label)) return NULL;
  return arena_strndup(b->arena, path, (size_t)(dot + 1 - path));
}

static OutVal *tree_of_variant(Builder *b, int depth, value v, Type *ty, const Subst *env) {
  TypeDecl *decl = ty->decl;
  ConstrDesc *cd = NULL;
  for (int i = 0; i < decl->nconstrs && !cd; i++) {
    ConstrDesc *c = decl->constrs[i];
    if (Is_block(v) ? (!c->constant && c->tag == (int)Tag_val(v)) : (c->constant && c->tag == Long_val(v)))
      cd = c;
  }
  if (!cd) return ov_stuff(b, "<unknown constructor>");
  const Subst *params = cd->gadt ? match_res(b, cd->res, ty, env, NULL, 0) : bind_params(b, decl, ty, env);
  OutVal *o = ov_new(b, OV_CONSTR);
  o->prefix = qualifier(b, ty, cd->name, false);
  o->name = cd->name;
  o->n = cd->constant ? 0 : cd->nargs;
  o->items = tree_of_fields(b, depth, v, 0, cd->args, o->n, params);
  return o;
}

static OutVal *tree_of_record(Builder *b, int depth, value v, Type *ty, const Subst *env) {
  TypeDecl *decl = ty->decl;
  const Subst *params = bind_params(b, decl, ty, env);
  OutVal *o = ov_new(b, OV_RECORD);
  o->n = decl->nfields;
  o->labels = ARENA_ARRAY(b->arena, const char *, o->n > 0 ? o->n : 1);
  o->items = ARENA_ARRAY(b->arena, OutVal *, o->n > 0 ? o->n : 1);
  for (int i = 0; i < o->n; i++) {
    FieldDesc *fd = decl->fields[i];
    if (i == 0) o->label_prefix = qualifier(b, ty, fd->name, true);
    o->labels[i] = fd->name;
    /* A record of floats only holds its doubles inline: print each
     * through a box of its own, which takes the same steps. */
    value f = decl->float_record ? nml_copy_double(((double *)v)[i]) : Field(v, i);
    o->items[i] = nest(b, depth - 1, f, fd->ty, params);
  }
  return o;
}

/* OCaml's outval_of_untyped_exception: arguments without their types. */
static OutVal *untyped_exception(Builder *b, value bucket) {
  OutVal *o = ov_new(b, OV_CONSTR);
  if (Tag_val(bucket) != 0) {
    o->name = String_val(Field(bucket, 0));
    return o;
  }
  o->name = String_val(Field(Field(bucket, 0), 0));
  value args = bucket;
  mlsize_t start = 1;
  /* These three carry one tuple, printed as if it were the arguments. */
  if ((!strcmp(o->name, "Match_failure") || !strcmp(o->name, "Assert_failure") ||
       !strcmp(o->name, "Undefined_recursive_module")) &&
      Wosize_val(bucket) == 2 && Is_block(Field(bucket, 1)) && Tag_val(Field(bucket, 1)) == 0) {
    args = Field(bucket, 1);
    start = 0;
  }
  mlsize_t size = Wosize_val(args);
  o->n = size > start ? (int)(size - start) : 0;
  o->items = ARENA_ARRAY(b->arena, OutVal *, o->n > 0 ? o->n : 1);
  for (int i = 0; i < o->n; i++) {
    value a = Field(args, start + (mlsize_t)i);
    OutVal *it;
    if (Is_long(a)) {
      it = ov_new(b, OV_INT);
      it->i = Long_val(a);
    } else if (Tag_val(a) == String_tag) {
      it = ov_new(b, OV_STRING);
      it->s = String_val(a);
      it->len = nml_string_length(a);
      it->maxlen = (long)it->len;
    } else if (Tag_val(a) == Double_tag) {
      it = ov_new(b, OV_FLOAT);
      it->d = Double_val(a);
    } else {
      it = ov_new(b, OV_CONSTR);
      it->name = "_";
    }
    o->items[i] = it;
  }
  return o;
}

/* Exceptions (and other extensible types): typed when the caller knows
 * the constructor, else untyped (exn) or "<extension>". */
static OutVal *tree_of_extension(Builder *b, int depth, value bucket, bool is_exn) {
  value slot = Tag_val(bucket) != 0 ? bucket : Field(bucket, 0);
  const PvOptions *opt = b->opt;
  ConstrDesc *cd = opt && opt->find_exn ? opt->find_exn(opt->ctx, slot) : NULL;
  if (cd) {
    OutVal *o = ov_new(b, OV_CONSTR);
    o->name = String_val(Field(slot, 0));
    o->n = slot == bucket ? 0 : cd->nargs;
    o->items = tree_of_fields(b, depth, bucket, 1, cd->args, o->n, NULL);
    return o;
  }
  if (is_exn) return untyped_exception(b, bucket);
  return ov_stuff(b, "<extension>");
}

/* int32, int64 and nativeint: OCaml's custom block, whose payload follows
 * the operations pointer (an int32 in the word's first four bytes), or a
 * tagged integer should the runtime choose to unbox them. */
static long boxed_int(value v, bool is_int32) {
  if (Is_long(v)) return Long_val(v);
  if (is_int32) {
    int32_t n;
    memcpy(&n, &Field(v, 1), sizeof n);
    return n;
  }
  return (long)Field(v, 1);
}

static OutVal *tree_of_string(Builder *b, value v, OvKind kind) {
  OutVal *o = ov_new(b, kind);
  o->s = String_val(v);
  o->len = nml_string_length(v);
  o->maxlen = b->steps;
  return o;
}

static OutVal *tree_of_builtin(Builder *b, int depth, value v, Type *ty, const Subst *env) {
  OutVal *o;
  switch (ty->decl->builtin) {
  case TYB_INT:
  case TYB_CHAR:
    o = ov_new(b, ty->decl->builtin == TYB_INT ? OV_INT : OV_CHAR);
    o->i = Long_val(v);
    return o;
  case TYB_INT32:
  case TYB_INT64:
  case TYB_NATIVEINT:
    o = ov_new(b, ty->decl->builtin == TYB_INT32   ? OV_INT32
                  : ty->decl->builtin == TYB_INT64 ? OV_INT64
                                                   : OV_NATIVEINT);
    o->i = boxed_int(v, ty->decl->builtin == TYB_INT32);
    return o;
  case TYB_FLOAT:
    o = ov_new(b, OV_FLOAT);
    o->d = Double_val(v);
    return o;
  case TYB_STRING: return tree_of_string(b, v, OV_STRING);
  case TYB_BYTES: return tree_of_string(b, v, OV_BYTES);
  case TYB_BOOL:
  case TYB_UNIT:
    o = ov_new(b, OV_CONSTR);
    o->name = ty->decl->builtin == TYB_UNIT ? "()" : Long_val(v) ? "true" : "false";
    return o;
  case TYB_LIST:
    if (!Is_block(v)) return ov_new(b, OV_LIST);
    return tree_of_list(b, depth, v, ty->args[0], env);
  case TYB_ARRAY:
    if (Wosize_val(v) == 0) return ov_new(b, OV_ARRAY);
    return tree_of_array(b, depth, v, ty->args[0], env);
  case TYB_OPTION:
    o = ov_new(b, OV_CONSTR);
    if (Is_long(v)) {
      o->name = "None";
    } else {
      o->name = "Some";
      o->n = 1;
      o->items = tree_of_fields(b, depth, v, 0, ty->args, 1, env);
    }
    return o;
  case TYB_LAZY: {
    if (Is_block(v) && Tag_val(v) == Lazy_tag) return ov_stuff(b, "<lazy>");
    bool forward = Is_block(v) && Tag_val(v) == Forward_tag;
    o = ov_new(b, OV_CONSTR);
    o->name = "lazy";
    o->n = 1;
    o->items = ARENA_NEW(b->arena, OutVal *);
    o->items[0] =
        forward ? nest(b, depth, Field(v, 0), ty->args[0], env) : tree_of_val(b, depth, v, ty->args[0], env);
    return o;
  }
  case TYB_EXN: return tree_of_extension(b, depth, v, true);
  case TYB_EXTENSIBLE: return tree_of_extension(b, depth, v, false);
  default: /* format strings and anything else predefined */ return ov_stuff(b, "<abstr>");
  }
}

/* Expands abbreviations at the head of ty (a TY_CONSTR). */
static Type *expand_head(Builder *b, Type *ty, const Subst **env) {
  for (;;) {
    ty = resolve(ty, env);
    TypeDecl *d = ty->kind == TY_CONSTR ? ty->decl : NULL;
    if (!d || d->builtin || d->kind != TD_ABSTRACT || !d->manifest) return ty;
    *env = bind_params(b, d, ty, *env);
    ty = d->manifest;
  }
}

/* Genprintval tries its printers for int, float, char, int32, int64 and
 * nativeint before it looks at definitions, and they match through
 * abbreviations: such a value takes one step however it is named. */
static bool is_number_type(Type *ty) {
  if (ty->kind != TY_CONSTR || !ty->decl) return false;
  switch (ty->decl->builtin) {
  case TYB_INT:
  case TYB_FLOAT:
  case TYB_CHAR:
  case TYB_INT32:
  case TYB_INT64:
  case TYB_NATIVEINT: return true;
  default: return false;
  }
}

/* A polymorphic variant (Genprintval's Tvariant case): the tag whose
 * hash the value holds, found among the row's fields. */
static OutVal *tree_of_polyvariant(Builder *b, int depth, value v, Type *ty, const Subst *env) {
  long tag = Is_block(v) ? Long_val(Field(v, 0)) : Long_val(v);
  for (Type *x = ty_repr(ty); x->kind == TY_VARIANT; x = ty_repr(x->row->more)) {
    RowDesc *r = x->row;
    for (int i = 0; i < r->n; i++) {
      if (ty_hash_variant(r->tags[i]) != tag) continue;
      Type *arg = NULL;
      RowField *last = r->fields[i];
      for (RowField *g = r->fields[i]; g; g = g->link) {
        if (!arg && g->nargs) arg = g->args[0];
        last = g;
      }
      if (Is_block(v) && (!arg || last->kind == RF_ABSENT)) continue;
      OutVal *o = ov_new(b, OV_CONSTR);
      o->name = arena_printf(b->arena, "`%s", r->tags[i]);
      o->variant = true;
      if (Is_block(v)) {
        o->n = 1;
        o->items = ARENA_NEW(b->arena, OutVal *);
        o->items[0] = nest(b, depth - 1, Field(v, 1), arg, env);
      }
      return o;
    }
  }
  return ov_stuff(b, "<variant>");
}

/* Genprintval's tree_of_val: one step per value, "..." past the limits. */
static OutVal *tree_of_val(Builder *b, int depth, value v, Type *ty, const Subst *env) {
  b->steps--;
  if (out_of_budget(b, depth)) return ov_new(b, OV_ELLIPSIS);
  ty = resolve(ty, &env);
  if (b->opt && b->opt->custom) {
    const char *text;
    if (b->opt->custom(b->opt->ctx, substituted(b, ty, env), v, &text)) return ov_stuff(b, text);
  }
  switch (ty->kind) {
  case TY_VAR: return ov_stuff(b, "<poly>");
  case TY_ARROW: return ov_stuff(b, "<fun>");
  case TY_PACKAGE: return ov_stuff(b, "<module>");
  case TY_VARIANT: return tree_of_polyvariant(b, depth, v, ty, env);
  case TY_TUPLE: {
    OutVal *o = ov_new(b, OV_TUPLE);
    o->n = ty->nargs;
    o->items = tree_of_fields(b, depth, v, 0, ty->args, ty->nargs, env);
    return o;
  }
  case TY_CONSTR: break;
  }
  const Subst *head_env = env;
  Type *head = expand_head(b, ty, &head_env);
  if (is_number_type(head)) return tree_of_builtin(b, depth, v, head, head_env);
  TypeDecl *decl = ty->decl;
  if (!decl) return ov_stuff(b, "<abstr>");
  if (decl->builtin) return tree_of_builtin(b, depth, v, ty, env);
  switch (decl->kind) {
  case TD_ABSTRACT:
    if (!decl->manifest) return ov_stuff(b, "<abstr>");
    /* An abbreviation: print its body, which takes one more step. */
    return tree_of_val(b, depth, v, decl->manifest, bind_params(b, decl, ty, env));
  case TD_VARIANT: return tree_of_variant(b, depth, v, ty, env);
  case TD_RECORD: return tree_of_record(b, depth, v, ty, env);
  }
  NML_UNREACHABLE();
}

/* ---- Printing outcome trees (Oprint.print_out_value) -------------------- */

/* The printing functions return false when they hit "...": OCaml raises
 * Ellipsis there, leaving boxes open and skipping the rest of the format,
 * up to the nearest `cautious`, which prints "...". Returning early
 * reproduces those unbalanced boxes and hence OCaml's line breaks. */

static bool print_tree_1(Fmt *f, const OutVal *o);

static void print_ident(Fmt *f, const char *prefix, const char *name) {
  if (prefix) fmt_string(f, prefix);
  fmt_string(f, strcmp(name, "::") == 0 ? "(::)" : name);
}

static void print_tree_list(Fmt *f, OutVal **items, int n, const char *sep) {
  for (int i = 0; i < n; i++) {
    if (i > 0) {
      fmt_string(f, sep);
      fmt_space(f);
    }
    if (!print_tree_1(f, items[i])) {
      fmt_string(f, "...");
      return;
    }
  }
}

static void print_fields(Fmt *f, const OutVal *o) {
  for (int i = 0; i < o->n; i++) {
    if (i > 0) {
      fmt_string(f, ";");
      fmt_space(f);
    }
    fmt_open_box(f, FMT_B, 1);
    print_ident(f, i == 0 ? o->label_prefix : NULL, o->labels[i]);
    fmt_space(f);
    fmt_string(f, "=");
    fmt_space(f);
    if (!print_tree_1(f, o->items[i])) fmt_string(f, "...");
    fmt_close_box(f);
  }
}

/* Char.escaped, as %C prints it (bytes above 126 as \ddd). */
static void char_escaped(Buf *out, unsigned char c) {
  switch (c) {
  case '\'': buf_puts(out, "\\'"); return;
  case '\\': buf_puts(out, "\\\\"); return;
  case '\n': buf_puts(out, "\\n"); return;
  case '\t': buf_puts(out, "\\t"); return;
  case '\r': buf_puts(out, "\\r"); return;
  case '\b': buf_puts(out, "\\b"); return;
  default:
    if (c >= ' ' && c <= '~') buf_putc(out, (char)c);
    else buf_printf(out, "\\%03d", c);
  }
}

/* String.escaped (for %S, used for bytes) when high_raw is false; Oprint's
 * escape_string (for strings) when it is true: that one leaves bytes
 * above 127 alone so that UTF-8 text stays readable. */
static void string_escaped(Buf *out, const char *s, size_t len, bool high_raw) {
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"') buf_puts(out, "\\\"");
    else if (c == '\'') buf_putc(out, '\'');
    else if (c >= 128 && high_raw) buf_putc(out, (char)c);
    else char_escaped(out, c);
  }
}

static void print_string_tree(Fmt *f, const OutVal *o) {
  size_t n = o->len;
  if ((long)n > o->maxlen) n = o->maxlen < 0 ? 0 : (size_t)o->maxlen;
  Buf s;
  buf_init(&s);
  if (o->kind == OV_BYTES) buf_puts(&s, "Bytes.of_string ");
  buf_putc(&s, '"');
  string_escaped(&s, o->s, n, o->kind == OV_STRING);
  buf_putc(&s, '"');
  fmt_string_len(f, s.data, (int)s.len);
  buf_free(&s);
  if ((long)o->len > o->maxlen) fmt_printf(f, "... (* string length %zu; truncated *)", o->len);
}

static void print_float(Fmt *f, double d) {
  char buf[32];
  nml_format_float_repr(d, buf);
  fmt_string(f, buf);
}

static const char *int_suffix(OvKind k) {
  return k == OV_INT32 ? "l" : k == OV_INT64 ? "L" : k == OV_NATIVEINT ? "n" : "";
}

static bool print_simple_tree(Fmt *f, const OutVal *o) {
  switch (o->kind) {
  case OV_INT:
  case OV_INT32:
  case OV_INT64:
  case OV_NATIVEINT: fmt_printf(f, "%ld%s", o->i, int_suffix(o->kind)); return true;
  case OV_FLOAT: print_float(f, o->d); return true;
  case OV_CHAR: {
    Buf s;
    buf_init(&s);
    buf_putc(&s, '\'');
    char_escaped(&s, (unsigned char)o->i);
    buf_putc(&s, '\'');
    fmt_string(f, s.data);
    buf_free(&s);
    return true;
  }
  case OV_STRING:
  case OV_BYTES: print_string_tree(f, o); return true;
  case OV_LIST:
  case OV_ARRAY:
  case OV_TUPLE: {
    const char *open = o->kind == OV_LIST ? "[" : o->kind == OV_ARRAY ? "[|" : "(";
    const char *close = o->kind == OV_LIST ? "]" : o->kind == OV_ARRAY ? "|]" : ")";
    fmt_open_box(f, FMT_B, o->kind == OV_ARRAY ? 2 : 1);
    fmt_string(f, open);
    print_tree_list(f, o->items, o->n, o->kind == OV_TUPLE ? "," : ";");
    fmt_string(f, close);
    fmt_close_box(f);
    return true;
  }
  case OV_STUFF: fmt_string_len(f, o->s, (int)o->len); return true;
  case OV_RECORD:
    fmt_open_box(f, FMT_B, 1);
    fmt_string(f, "{");
    print_fields(f, o);
    fmt_string(f, "}");
    fmt_close_box(f);
    return true;
  case OV_ELLIPSIS: return false;
  case OV_CONSTR:
    if (o->n == 0) {
      print_ident(f, o->prefix, o->name);
      return true;
    }
    /* A constructor with arguments as an argument: parenthesised. */
    fmt_open_box(f, FMT_B, 1);
    fmt_string(f, "(");
    if (!print_tree_1(f, o)) fmt_string(f, "...");
    fmt_string(f, ")");
    fmt_close_box(f);
    return true;
  }
  NML_UNREACHABLE();
}

/* A constructor's single argument: negative numbers and bytes get
 * parentheses ("Some (-1)", "Some (Bytes.of_string \"a\")"). */
static bool print_constr_param(Fmt *f, const OutVal *o) {
  bool neg;
  switch (o->kind) {
  case OV_INT:
  case OV_INT32:
  case OV_INT64:
  case OV_NATIVEINT: neg = o->i < 0; break;
  case OV_FLOAT: neg = o->d < 0.0 || (o->d == 0.0 && signbit(o->d)); break;
  case OV_BYTES: neg = true; break;
  default: return print_simple_tree(f, o);
  }
  if (neg) fmt_string(f, "(");
  print_simple_tree(f, o);
  if (neg) fmt_string(f, ")");
  return true;
}

static bool print_tree_1(Fmt *f, const OutVal *o) {
  if (o->kind != OV_CONSTR || o->n == 0) return print_simple_tree(f, o);
  fmt_open_box(f, FMT_B, o->variant ? 2 : 1);
  print_ident(f, o->prefix, o->name);
  fmt_space(f);
  if (o->n == 1) {
    if (!print_constr_param(f, o->items[0])) return false;
  } else {
    fmt_string(f, "(");
    print_tree_list(f, o->items, o->n, ",");
    fmt_string(f, ")");
  }
  fmt_close_box(f);
  return true;
}

/* ---- Entry points -------------------------------------------------------- */

typedef struct ValueArg {
  value v;
  Type *ty;
  const PvOptions *opt;
} ValueArg;

void printval_print_value(Fmt *f, value v, Type *ty, const PvOptions *opt) {
  Arena arena;
  arena_init(&arena);
  Builder b = {.arena = &arena, .opt = opt};
  int depth = opt && opt->limits ? opt->max_depth : PV_DEFAULT_DEPTH;
  b.steps = opt && opt->limits ? opt->max_steps : PV_DEFAULT_STEPS;
  OutVal *o = nest(&b, depth, v, ty, NULL);
  if (!print_tree_1(f, o)) fmt_string(f, "...");
  arena_free(&arena);
}

static void value_printer(Fmt *f, const void *arg) {
  const ValueArg *a = arg;
  printval_print_value(f, a->v, a->ty, a->opt);
}

typedef struct TypeArg {
  Type *ty;
  PvTypePrinter print;
  void *ctx;
} TypeArg;

static void type_printer(Fmt *f, const void *arg) {
  const TypeArg *a = arg;
  a->print(f, a->ty, a->ctx);
}

/* Oprint's is_ident_char: letters, digits, '_', '\'' and Latin-1 letters. */
static bool is_ident_char(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || (c >= 192 && c <= 214) ||
         (c >= 216 && c <= 246) || c >= 248 || c == '\'' || (c >= '0' && c <= '9');
}

bool printval_is_operator_name(const char *name) {
  static const char *const kw[] = {"or", "mod", "land", "lor", "lxor", "lsl", "lsr", "asr"};
  for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
    if (!strcmp(name, kw[i])) return true;
  for (const char *p = name; *p; p++)
    if (!is_ident_char((unsigned char)*p)) return true;
  return false;
}

void printval_print_val_item(Fmt *f, const char *name, Type *ty, value v, const PvOptions *opt,
                             PvTypePrinter print_type, void *type_ctx) {
  TypeArg ta = {ty, print_type, type_ctx};
  ValueArg va = {v, ty, opt};
  const char *fmt = printval_is_operator_name(name) ? "@[<2>@[<2>val ( %s ) :@ %a@] =@ %a@]"
                                                    : "@[<2>@[<2>val %s :@ %a@] =@ %a@]";
  fmt_printf(f, fmt, name, type_printer, (const void *)&ta, value_printer, (const void *)&va);
}

void printval_print_bindings(Fmt *f, const PvBinding *items, int n, const PvOptions *opt,
                             PvTypePrinter print_type, void *type_ctx) {
  if (n == 0) return;
  fmt_open_box(f, FMT_V, 0);
  for (int i = 0; i < n; i++) {
    if (i > 0) fmt_space(f);
    printval_print_val_item(f, items[i].name, items[i].ty, items[i].v, opt, print_type, type_ctx);
  }
  fmt_close_box(f);
  fmt_flush_newline(f);
}

void printval_print_eval(Fmt *f, Type *ty, value v, const PvOptions *opt, PvTypePrinter print_type,
                         void *type_ctx) {
  TypeArg ta = {ty, print_type, type_ctx};
  ValueArg va = {v, ty, opt};
  fmt_printf(f, "@[- : %a@ =@ %a@]@.", type_printer, (const void *)&ta, value_printer, (const void *)&va);
}

static void exn_printer(Fmt *f, const void *arg) {
  const ValueArg *a = arg;
  Arena arena;
  arena_init(&arena);
  Builder b = {.arena = &arena, .opt = a->opt};
  int depth = a->opt && a->opt->limits ? a->opt->max_depth : PV_DEFAULT_DEPTH;
  b.steps = a->opt && a->opt->limits ? a->opt->max_steps : PV_DEFAULT_STEPS;
  /* outval_of_value on type exn: one step and a nest for the bucket. */
  b.steps--;
  push_nested(&b, a->v);
  OutVal *o = tree_of_extension(&b, depth, a->v, true);
  if (!print_tree_1(f, o)) fmt_string(f, "...");
  arena_free(&arena);
}

void printval_print_exception(Fmt *f, value exn, const PvOptions *opt) {
  value slot = Tag_val(exn) != 0 ? exn : Field(exn, 0);
  if (slot == nml_exn_Break) {
    fmt_printf(f, "Interrupted.@.");
  } else if (slot == nml_exn_Out_of_memory) {
    fmt_printf(f, "Out of memory during evaluation.@.");
  } else if (slot == nml_exn_Stack_overflow) {
    fmt_printf(f, "Stack overflow during evaluation (looping recursion?).@.");
  } else {
    ValueArg va = {exn, NULL, opt};
    fmt_printf(f, "@[Exception:@ %a.@]@.", exn_printer, (const void *)&va);
  }
}
