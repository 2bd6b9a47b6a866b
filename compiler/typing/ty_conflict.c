/* ty_conflict.c — names in inclusion errors that stand for several
 * declarations, printed t/1 and t/2 with OCaml's hint, as
 * Printtyp.Naming_context and Printtyp.Conflicts do. The type printer
 * (ty_print.c) asks it for each name while Typer.conflicts is set; the
 * inclusion messages (ty_include_msg.c) lay themselves out through it
 * and say where signatures are explained and hints go. */
#include <string.h>

#include "ty_include.h"

/* A message may show two types (or abstract module types) of one name:
 * OCaml then prints them t/1 and t/2, numbering first the one the name
 * means where the message is printed, and adds a hint. Its printer
 * registers each name as the type trees are built, renaming earlier
 * occurrences when a conflict appears, and prints afterwards; here a
 * first pass registers (output discarded), a second prints each
 * occurrence as the first pass left it. The naming state starts afresh
 * for each signature whose components are explained (whose own
 * components are then in scope), and each item of a signature being
 * printed sees the state as it was before it. */
enum { NSP_TYPE, NSP_MODULE, NSP_MODTYPE }; /* in OCaml's order */

typedef struct OutName {
  const char *text;
} OutName;

typedef struct NameEntry {
  int ns;
  const char *name;
  long id; /* while unique: the one declaration, printed as out */
  OutName *out;
  bool need; /* several: ids[k] prints as name/hids[k] */
  long *ids;
  int *hids;
  int nids;
} NameEntry;

/* A signature whose components are explained, against what was expected. */
typedef struct Level {
  ModuleDesc *got, *expected;
} Level;

typedef struct Frame {
  ModuleDesc *sig; /* a signature being printed, at item `item` */
  int item;
  NameEntry *saved;
  int nsaved;
} Frame;

struct NameConflicts {
  Typer *T;
  bool replay; /* second pass */
  PtrVec outs; /* first pass: each request's OutName, in order */
  int next;    /* second pass: the next request */
  NameEntry *map;
  int n, cap;
  PtrVec levels; /* MtyDiffs whose components are explained, outermost first */
  Frame *frames;
  int nframes, cframes;
  const char **expl_unique, **expl_root; /* conflicts to explain */
  int *expl_ns;
  int nexpl, cexpl;
  PtrVec core_hints; /* first pass: whether conflicts existed at each
                        module type symptom (then explained there) */
  int next_core;
  bool hinted; /* the explanation was printed */
};

static ModItem *find_named(ModuleDesc *md, ModItemKind kind, const char *name, int upto) {
  if (!md || md->is_functor) return NULL;
  for (int i = (upto < md->nitems ? upto : md->nitems) - 1; i >= 0; i--)
    if (md->items[i].kind == kind && strcmp(md->items[i].name, name) == 0) return &md->items[i];
  return NULL;
}

/* The implementation's declaration that d, of the expected signature
 * or one of its submodules, stands for (OCaml substitutes it), or d. */
static TypeDecl *expected_to_got(ModuleDesc *expected, ModuleDesc *got, TypeDecl *d, int depth) {
  if (!expected || !got || expected->is_functor || got->is_functor || depth > 20) return d;
  for (int i = 0; i < expected->nitems; i++) {
    ModItem *e = &expected->items[i];
    if (e->kind == MI_TYPE && ty_same_decl(e->desc, d)) {
      ModItem *g = find_named(got, MI_TYPE, e->name, 1 << 30);
      return g ? g->desc : d;
    }
    if (e->kind == MI_MODULE) {
      ModItem *g = find_named(got, MI_MODULE, e->name, 1 << 30);
      TypeDecl *m = g ? expected_to_got(e->desc, g->desc, d, depth + 1) : d;
      if (m != d) return m;
    }
  }
  return d;
}

/* What a declaration is, for naming. */
static TypeDecl *canonical_decl(NameConflicts *c, TypeDecl *d) {
  for (int i = c->levels.len - 1; i >= 0; i--) {
    Level *l = c->levels.items[i];
    d = expected_to_got(l->expected, l->got, d, 0);
  }
  return d;
}

static long type_identity(NameConflicts *c, TypeDecl *d) { return canonical_decl(c, d)->stamp; }

static long modtype_identity(ModuleDesc *md) {
  return md->is_abstract ? md->abstract_stamp : -(long)(((unsigned long)(size_t)md) >> 3);
}

/* What the bare name means where it is printed: the earlier items of
 * the signatures being printed (not the names their current items
 * define), the implementation's components at each level, the session. */
/* The module a bare module name means where it is printed, or NULL. */
static ModuleDesc *env_module(NameConflicts *c, const char *name) {
  for (int i = c->nframes - 1; i >= 0; i--) {
    ModItem *it = find_named(c->frames[i].sig, MI_MODULE, name, c->frames[i].item);
    if (it) return it->desc;
  }
  for (int i = c->levels.len - 1; i >= 0; i--) {
    ModItem *it = find_named(((Level *)c->levels.items[i])->got, MI_MODULE, name, 1 << 30);
    if (it) return it->desc;
  }
  return env_find(c->T->env, NS_MODULE, name);
}

/* A module, for naming: the one a name means in scope is itself (1);
 * any other of that name is another (2). */
enum { MOD_IN_SCOPE = 1, MOD_OTHER = 2 };

/* Whether type path rest (`t`, `N.t`) in module m is d. */
static bool module_has(NameConflicts *c, ModuleDesc *m, const char *rest, TypeDecl *d) {
  for (const char *dot; m && (dot = strchr(rest, '.')); rest = dot + 1) {
    if (m->is_functor || !m->env) return false;
    m = env_find(m->env, NS_MODULE, arena_strndup(c->T->arena, rest, (size_t)(dot - rest)));
  }
  if (!m || m->is_functor || !m->env) return false;
  TypeDecl *t = env_find(m->env, NS_TYPE, rest);
  return t && ty_same_decl(canonical_decl(c, t), canonical_decl(c, d));
}

static long env_identity(NameConflicts *c, int ns, const char *name) {
  if (ns == NSP_MODULE) return env_module(c, name) ? MOD_IN_SCOPE : 0;
  ModItemKind kind = ns == NSP_TYPE ? MI_TYPE : MI_MODTYPE;
  for (int i = 0; i < c->nframes; i++) {
    ModItem *it = &c->frames[i].sig->items[c->frames[i].item];
    for (int k = c->frames[i].item; k < c->frames[i].sig->nitems; k++) {
      it = &c->frames[i].sig->items[k];
      if (it->kind == kind && strcmp(it->name, name) == 0) return 0;
      if (it->kind != MI_TYPE || !it->rec_next) break;
    }
  }
  for (int i = c->nframes - 1; i >= 0; i--) {
    ModItem *it = find_named(c->frames[i].sig, kind, name, c->frames[i].item);
    if (it) return ns == NSP_TYPE ? type_identity(c, it->desc) : modtype_identity(it->desc);
  }
  for (int i = c->levels.len - 1; i >= 0; i--) {
    ModItem *it = find_named(((Level *)c->levels.items[i])->got, kind, name, 1 << 30);
    if (it) return ns == NSP_TYPE ? ((TypeDecl *)it->desc)->stamp : modtype_identity(it->desc);
  }
  void *d = env_find(c->T->env, ns == NSP_TYPE ? NS_TYPE : NS_MODTYPE, name);
  if (!d) return 0;
  return ns == NSP_TYPE ? ((TypeDecl *)d)->stamp : modtype_identity(d);
}

static OutName *out_name(NameConflicts *c, const char *text) {
  OutName *o = ARENA_NEW(c->T->arena, OutName);
  o->text = text;
  return o;
}

static void explain(NameConflicts *c, int ns, const char *name, int hid) {
  const char *u = arena_printf(c->T->arena, "%s/%d", name, hid);
  for (int i = 0; i < c->nexpl; i++)
    if (c->expl_ns[i] == ns && strcmp(c->expl_unique[i], u) == 0) return;
  if (c->nexpl == c->cexpl) {
    int cap = c->cexpl ? c->cexpl * 2 : 8;
    const char **un = ARENA_ARRAY(c->T->arena, const char *, cap),
               **ro = ARENA_ARRAY(c->T->arena, const char *, cap);
    int *nsv = ARENA_ARRAY(c->T->arena, int, cap);
    if (c->nexpl) {
      memcpy(un, c->expl_unique, sizeof *un * (size_t)c->nexpl);
      memcpy(ro, c->expl_root, sizeof *ro * (size_t)c->nexpl);
      memcpy(nsv, c->expl_ns, sizeof *nsv * (size_t)c->nexpl);
    }
    c->expl_unique = un;
    c->expl_root = ro;
    c->expl_ns = nsv;
    c->cexpl = cap;
  }
  c->expl_unique[c->nexpl] = u;
  c->expl_root[c->nexpl] = name;
  c->expl_ns[c->nexpl++] = ns;
}

static int entry_hid(NameConflicts *c, NameEntry *e, long id) {
  int max = 0;
  for (int k = 0; k < e->nids; k++) {
    if (e->ids[k] == id) return e->hids[k];
    if (e->hids[k] > max) max = e->hids[k];
  }
  long *ids = ARENA_ARRAY(c->T->arena, long, e->nids + 1);
  int *hids = ARENA_ARRAY(c->T->arena, int, e->nids + 1);
  if (e->nids) {
    memcpy(ids, e->ids, sizeof *ids * (size_t)e->nids);
    memcpy(hids, e->hids, sizeof *hids * (size_t)e->nids);
  }
  ids[e->nids] = id;
  hids[e->nids] = max + 1;
  e->ids = ids;
  e->hids = hids;
  return hids[e->nids++];
}

/* Naming_context.ident_name_simple */
static OutName *name_simple(NameConflicts *c, int ns, const char *name, long id) {
  NameEntry *e = NULL;
  for (int i = 0; i < c->n && !e; i++)
    if (c->map[i].ns == ns && strcmp(c->map[i].name, name) == 0) e = &c->map[i];
  if (!e) {
    if (c->n == c->cap) {
      int cap = c->cap ? c->cap * 2 : 16;
      NameEntry *m = ARENA_ARRAY(c->T->arena, NameEntry, cap);
      if (c->n) memcpy(m, c->map, sizeof *m * (size_t)c->n);
      c->map = m;
      c->cap = cap;
    }
    e = &c->map[c->n++];
    *e = (NameEntry){ns, name, id, out_name(c, name), false, NULL, NULL, 0};
    return e->out;
  }
  if (!e->need) {
    if (e->id == id) return e->out;
    int h0 = entry_hid(c, e, e->id), h = entry_hid(c, e, id);
    e->out->text = arena_printf(c->T->arena, "%s/%d", name, h0);
    explain(c, ns, name, h);
    explain(c, ns, name, h0);
    e->need = true;
    return out_name(c, arena_printf(c->T->arena, "%s/%d", name, h));
  }
  int h = entry_hid(c, e, id);
  explain(c, ns, name, h);
  return out_name(c, arena_printf(c->T->arena, "%s/%d", name, h));
}

static const char *conflict_name(Typer *T, int ns, const char *name, long id) {
  NameConflicts *c = T->conflicts;
  if (c->replay) return c->next < c->outs.len ? ((OutName *)c->outs.items[c->next++])->text : name;
  long env_id = env_identity(c, ns, name);
  if (env_id) name_simple(c, ns, name, env_id);
  OutName *o = name_simple(c, ns, name, id);
  ptrvec_push(T->arena, &c->outs, o);
  return o->text;
}

const char *ty_conflict_type(Typer *T, const char *path, TypeDecl *d) {
  NameConflicts *c = T->conflicts;
  const char *dot = strchr(path, '.');
  if (!dot) return conflict_name(T, NSP_TYPE, path, c->replay ? 0 : type_identity(c, d));
  /* M.t: M names a module. */
  const char *head = arena_strndup(T->arena, path, (size_t)(dot - path));
  long id = 0;
  if (!c->replay) {
    ModuleDesc *m = env_module(c, head);
    id = m && module_has(c, m, dot + 1, d) ? MOD_IN_SCOPE : MOD_OTHER;
  }
  const char *h = conflict_name(T, NSP_MODULE, head, id);
  return h == head || strcmp(h, head) == 0 ? path : arena_printf(T->arena, "%s%s", h, dot);
}

const char *ty_conflict_modtype(Typer *T, const char *name, ModuleDesc *md) {
  return conflict_name(T, NSP_MODTYPE, name, modtype_identity(md));
}

void ty_conflict_enter_item(Typer *T, ModuleDesc *sig, int item) {
  NameConflicts *c = T->conflicts;
  if (c->replay) return;
  if (c->nframes == c->cframes) {
    int cap = c->cframes ? c->cframes * 2 : 8;
    Frame *f = ARENA_ARRAY(T->arena, Frame, cap);
    if (c->nframes) memcpy(f, c->frames, sizeof *f * (size_t)c->nframes);
    c->frames = f;
    c->cframes = cap;
  }
  /* Naming_context.with_ctx: the item's names do not outlive it. */
  NameEntry *saved = ARENA_ARRAY(T->arena, NameEntry, c->n + 1);
  if (c->n) memcpy(saved, c->map, sizeof *saved * (size_t)c->n);
  c->frames[c->nframes++] = (Frame){sig, item, saved, c->n};
}

void ty_conflict_leave_item(Typer *T) {
  NameConflicts *c = T->conflicts;
  if (c->replay || c->nframes == 0) return;
  Frame *f = &c->frames[--c->nframes];
  c->map = f->saved;
  c->n = c->cap = f->nsaved;
  if (c->cap == 0) c->map = NULL;
}

/* Explaining the components of d: its implementation's are in scope,
 * the naming starts afresh (Printtyp.wrap_printing_env). */
void ty_conflict_enter_level(Typer *T, ModuleDesc *got, ModuleDesc *expected) {
  NameConflicts *c = T->conflicts;
  if (!c || c->replay) return;
  Level *l = ARENA_NEW(T->arena, Level);
  *l = (Level){got, expected};
  ptrvec_push(T->arena, &c->levels, l);
  c->n = 0;
}

void ty_conflict_leave_level(Typer *T) {
  NameConflicts *c = T->conflicts;
  if (c && !c->replay && c->levels.len) c->levels.len--;
}

/* Printtyp.Conflicts.print_explanations: once, after the first message
 * that explains, when names were disambiguated. */
void ty_conflict_hints(Typer *T, Fmt *f) {
  NameConflicts *c = T->conflicts;
  if (!c || !c->replay || c->hinted || c->nexpl == 0) return;
  c->hinted = true;
  /* The distinct names of each namespace, sorted. */
  typedef struct Key {
    int ns, expl;
  } Key;
  Key *keys = ARENA_ARRAY(T->arena, Key, c->nexpl);
  int nk = 0;
  for (int i = 0; i < c->nexpl; i++) {
    int k = 0;
    while (k < nk &&
           !(keys[k].ns == c->expl_ns[i] && strcmp(c->expl_root[keys[k].expl], c->expl_root[i]) == 0))
      k++;
    if (k == nk) keys[nk++] = (Key){c->expl_ns[i], i};
  }
  for (int a = 1; a < nk; a++)
    for (int b = a; b > 0; b--) {
      Key *x = &keys[b - 1], *y = &keys[b];
      int cmp = x->ns != y->ns ? x->ns - y->ns : strcmp(c->expl_root[x->expl], c->expl_root[y->expl]);
      if (cmp <= 0) break;
      Key t = *x;
      *x = *y;
      *y = t;
    }
  for (int ns = NSP_TYPE; ns <= NSP_MODTYPE; ns++) {
    int first = -1, count = 0;
    for (int k = 0; k < nk; k++)
      if (keys[k].ns == ns) {
        if (first < 0) first = k;
        count++;
      }
    if (!count) continue;
    const char *what = ns == NSP_TYPE ? "type" : ns == NSP_MODULE ? "module" : "module type";
    fmt_space(f);
    fmt_open_box(f, FMT_B, 2);
    if (count == 1) {
      fmt_printf(f, "Hint: The %s %s has been defined multiple times@ in@ this@ toplevel@ session.@ ", what,
                 c->expl_root[keys[first].expl]);
      fmt_printf(f,
                 "Some toplevel values still refer to@ old@ versions@ of@ this@ %s.@ Did you try to "
                 "redefine them?",
                 what);
    } else {
      fmt_printf(f, "Hint: The %ss ", what);
      bool sep = false;
      for (int k = 0; k < nk; k++) {
        if (keys[k].ns != ns) continue;
        if (sep) fmt_printf(f, " and@ ");
        sep = true;
        fmt_string(f, c->expl_root[keys[k].expl]);
      }
      fmt_printf(f, " have been defined multiple times@ in@ this@ toplevel@ session.@ ");
      fmt_printf(f,
                 "Some toplevel values still refer to@ old@ versions@ of@ those@ %ss.@ Did you try to "
                 "redefine them?",
                 what);
    }
    fmt_close_box(f);
  }
}

/* Whether a module type symptom with nothing more to say explains the
 * conflicts: when there were some when OCaml built it. Asked once per
 * symptom, in printing order. */
bool ty_conflict_core_hint(Typer *T) {
  NameConflicts *c = T->conflicts;
  if (!c) return false;
  if (!c->replay) {
    ptrvec_push(T->arena, &c->core_hints, c->nexpl ? (void *)1 : NULL);
    return c->nexpl > 0;
  }
  return c->next_core < c->core_hints.len && c->core_hints.items[c->next_core++];
}

const char *ty_conflict_layout(Typer *T, TyMsgFn fn, void *arg) {
  NameConflicts *c = ARENA_NEW(T->arena, NameConflicts);
  c->T = T;
  NameConflicts *saved = T->conflicts;
  T->conflicts = c;
  Buf b;
  buf_init(&b);
  Fmt *f = fmt_new(&b);
  fn(f, arg);
  fmt_flush(f);
  fmt_free(f);
  buf_free(&b);
  c->replay = true;
  const char *s = ty_error_layout(T, fn, arg);
  T->conflicts = saved;
  return s;
}
