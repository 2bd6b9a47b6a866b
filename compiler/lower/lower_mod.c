/* lower_mod.c — lowering of the module language (beside lower.c, after
 * ty_module.c). Plain structures bind their items as variables of the
 * unit, so their values are reached directly. Only where a module is a
 * run-time value does it become a block (layout: mod_item_has_field in
 * types.h): a functor is a closure from its argument's block to its
 * result's block; an application builds the argument's block coerced to
 * the parameter's signature (fields picked by name), calls, and unpacks
 * the result into the fresh variables the typer made for it. Also
 * `let module` and `let exception`. */
#include <string.h>

#include "env.h"
#include "lower.h"

/* The block of an already-bound module, from its components' variables
 * and globals, or a functor's closure. */
static Ir *module_value(Lower *L, ModuleDesc *md, Loc loc) {
  if (md->is_functor) {
    NML_ASSERT(md->fval);
    return lower_value_ref(L, md->fval, loc);
  }
  Ir **fields = ARENA_ARRAY(L->a, Ir *, md->nitems + 1);
  int n = 0;
  for (int i = 0; i < md->nitems; i++) {
    ModItem *it = &md->items[i];
    if (!mod_item_has_field(it)) continue;
    if (it->kind == MI_VALUE) fields[n++] = lower_value_ref(L, it->desc, loc);
    else if (it->kind == MI_EXCEPTION)
      fields[n++] = lower_value_ref(L, ((ConstrDesc *)it->desc)->exn_val, loc);
    else fields[n++] = module_value(L, it->desc, loc);
  }
  return n ? ir_alloc(L->a, 0, n, fields) : ir_unit(L->a);
}

/* The block of impl seen through signature sig (a functor's parameter):
 * sig's fields in sig's order, each taken from impl by name. */
static Ir *coerce(Lower *L, ModuleDesc *impl, ModuleDesc *sig, Loc loc) {
  if (impl->is_functor || sig->is_functor || !impl->env) return module_value(L, impl, loc);
  Ir **fields = ARENA_ARRAY(L->a, Ir *, sig->nitems + 1);
  int n = 0;
  for (int i = 0; i < sig->nitems; i++) {
    ModItem *it = &sig->items[i];
    if (!mod_item_has_field(it)) continue;
    if (it->kind == MI_VALUE) {
      ValueDesc *v = env_find(impl->env, NS_VALUE, it->name);
      NML_ASSERT(v);
      fields[n++] = lower_value_ref(L, v, loc);
    } else if (it->kind == MI_EXCEPTION) {
      ConstrDesc *c = env_find(impl->env, NS_CONSTR, it->name);
      NML_ASSERT(c && c->exn_val);
      fields[n++] = lower_value_ref(L, c->exn_val, loc);
    } else {
      ModuleDesc *sub = env_find(impl->env, NS_MODULE, it->name);
      NML_ASSERT(sub);
      fields[n++] = coerce(L, sub, it->desc, loc);
    }
  }
  return n ? ir_alloc(L->a, 0, n, fields) : ir_unit(L->a);
}

/* Binds md's components (module_value's layout) to the fields of the
 * block in variable v, then body. */
static Ir *unpack(Lower *L, ModuleDesc *md, int v, Ir *body) {
  if (md->is_functor) {
    NML_ASSERT(md->fval);
    return ir_let(L->a, lower_var_of(L, md->fval), ir_var(L->a, v), body);
  }
  int n = 0;
  for (int i = 0; i < md->nitems; i++) n += mod_item_has_field(&md->items[i]);
  for (int i = md->nitems - 1; i >= 0; i--) {
    ModItem *it = &md->items[i];
    if (!mod_item_has_field(it)) continue;
    Ir *field = ir_prim_field(L->a, ir_var(L->a, v), --n);
    ValueDesc *vd = it->kind == MI_VALUE       ? it->desc
                    : it->kind == MI_EXCEPTION ? ((ConstrDesc *)it->desc)->exn_val
                                               : NULL;
    if (vd) {
      if (vd->kind == VAL_LOCAL) body = ir_let(L->a, lower_var_of(L, vd), field, body);
    } else {
      int w = lower_new_var(L);
      body = ir_let(L->a, w, field, unpack(L, it->desc, w, body));
    }
  }
  return body;
}

/* functor (X : S) -> body: a closure of one parameter, the argument's
 * block. Exceptions of the body are named "F(X).E" at run time, as
 * OCaml names them. */
static Ir *functor_closure(Lower *L, ModExpr *me, const char *prefix) {
  ModuleDesc *md = me->md;
  IrFunc *f = ARENA_NEW(L->a, IrFunc);
  f->id = L->nfuncs++;
  f->name = "functor";
  f->self_var = -1;
  f->nparams = 1;
  f->params = ARENA_ARRAY(L->a, int, 1);
  f->params[0] = lower_new_var(L);
  size_t len = strlen(prefix);
  const char *body_prefix =
      arena_printf(L->a, "%.*s(%s).", (int)(len && prefix[len - 1] == '.' ? len - 1 : len), prefix,
                   me->param ? me->param : "");
  Ir *result = lower_bind_module(L, me->body, body_prefix, module_value(L, me->body->md, me->loc));
  f->body = unpack(L, md->param_type, f->params[0], result);
  Ir *e = ir_new(L->a, IR_FUN);
  e->func = f;
  e->loc = me->loc;
  return e;
}

Ir *lower_bind_module(Lower *L, ModExpr *me, const char *prefix, Ir *body) {
  NML_ASSERT(me->md);
  switch (me->kind) {
  case MOD_STRUCT:
    for (int i = me->nitems - 1; i >= 0; i--) body = lower_bind_item(L, me->items[i], prefix, body);
    return body;
  case MOD_IDENT: return body; /* its components are bound already */
  case MOD_CONSTRAINT: return lower_bind_module(L, me->fn, prefix, body);
  case MOD_UNPACK: {
    int v = lower_new_var(L);
    return ir_let(L->a, v, lower_expr(L, me->unpacked), unpack(L, me->md, v, body));
  }
  case MOD_FUNCTOR: return ir_let(L->a, lower_var_of(L, me->md->fval), functor_closure(L, me, prefix), body);
  case MOD_APPLY: {
    ModuleDesc *f = me->fn->md;
    NML_ASSERT(f->is_functor);
    int v = lower_new_var(L);
    Ir **args = ARENA_ARRAY(L->a, Ir *, 1);
    args[0] = coerce(L, me->arg->md, f->param_type, me->loc);
    Ir *call = ir_new(L->a, IR_APPLY);
    call->a = module_value(L, f, me->loc);
    call->args = args;
    call->nargs = 1;
    call->loc = me->loc;
    body = ir_let(L->a, v, call, unpack(L, me->md, v, body));
    body = lower_bind_module(L, me->arg, prefix, body);
    return lower_bind_module(L, me->fn, prefix, body);
  }
  }
  NML_UNREACHABLE();
}

Ir *lower_pack(Lower *L, Expr *e) {
  return lower_bind_module(L, e->mexpr, "", coerce(L, e->mexpr->md, e->mod, e->loc));
}

/* let module M = me in e. */
Ir *lower_let_module(Lower *L, Expr *e) { return lower_bind_module(L, e->mexpr, "", lower_expr(L, e->a)); }

/* let exception E in e: a fresh constructor block each time. */
Ir *lower_let_exception(Lower *L, Expr *e) {
  Ir *body = lower_expr(L, e->a);
  ConstrDesc *c = e->cdesc;
  if (!c || !c->exn_val || e->exn->rebind.name) return body;
  Ir *name = ir_new(L->a, IR_STRING);
  name->str = c->name;
  name->slen = (int)strlen(c->name);
  return ir_let(L->a, lower_var_of(L, c->exn_val), ir_ccall(L->a, "nml_new_exception_ml", 1, name), body);
}
