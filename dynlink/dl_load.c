/* dl_load.c — the context: load directory, dlopen of images and plugins,
 * the symbol table's public face.
 *
 * glibc's dlopen answers a path it has seen with the object already loaded
 * under it, so every image is written under a name never used before in
 * the process: u<N>.so in a fresh 0700 directory on an exec-allowed
 * filesystem, unlinked as soon as it is mapped; or, when no such directory
 * exists, a memfd whose /proc/self/fd/N path stays unique because the fd
 * stays open for as long as the process runs.
 */
#include "dl_internal.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010u /* Linux 6.3: ask for an executable memfd */
#endif

/* What the exit handler needs to remove a directory the program left
 * behind. It is owned by the handler (glibc's on_exit list), which frees
 * it; dl_destroy only marks it dead. This keeps dynlink free of global
 * state while still leaving nothing on disk after exit(). */
typedef struct ExitGuard {
  bool live;
  pid_t pid; /* a forked child's exit must not remove our directory */
  char path[];
} ExitGuard;

struct DlContext {
  DlSymtab syms;
  DlUnit *units, *last_unit;
  size_t nunits;
  char *dir; /* load directory; NULL once in memfd mode */
  ExitGuard *guard;
  bool memfd;
  bool nofile_raised;
  unsigned long long next_name; /* u<N>.so */
  unsigned long long next_kept; /* unit_N.so in keep_dir */
  char *keep_dir;
};

/* ---- directories ------------------------------------------------------ */

static unsigned long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

/* A candidate fits when it is a directory we may create entries in, on a
 * writable filesystem that does not forbid mapping files executable. */
static bool usable_dir(const char *dir) {
  struct statvfs vfs;
  struct stat st;
  if (statvfs(dir, &vfs) != 0 || (vfs.f_flag & (ST_NOEXEC | ST_RDONLY))) return false;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) return false;
  return access(dir, W_OK | X_OK) == 0;
}

bool dl_pick_dir(const char *const *candidates, size_t n, char *out, size_t outsz) {
  for (size_t i = 0; i < n; i++) {
    const char *c = candidates[i];
    if (!c || !*c || !usable_dir(c)) continue;
    /* pid and time in the name keep a later context of this process from
     * ever getting the same directory name, hence the same unit paths. */
    int len = snprintf(out, outsz, "%s/natml-%ld-%llx-XXXXXX", c, (long)getpid(), now_ns());
    if (len < 0 || (size_t)len >= outsz) continue;
    if (mkdtemp(out)) return true; /* mkdtemp creates it 0700 */
  }
  if (outsz) out[0] = 0;
  return false;
}

/* Removes dir and the files in it (units unlinked late by a crash, or
 * nothing). */
static void remove_dir(const char *dir) {
  DIR *d = opendir(dir);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
      if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) unlinkat(dirfd(d), e->d_name, 0);
    closedir(d);
  }
  rmdir(dir);
}

static void exit_cleanup(int status, void *arg) {
  (void)status;
  ExitGuard *g = arg;
  if (g->live && g->pid == getpid()) remove_dir(g->path);
  free(g);
}

/* Arms the exit-time removal of the context's directory. */
static void guard_dir(DlContext *dl) {
  size_t len = strlen(dl->dir) + 1;
  ExitGuard *g = malloc(sizeof *g + len);
  if (!g) return;
  g->live = true;
  g->pid = getpid();
  memcpy(g->path, dl->dir, len);
  if (on_exit(exit_cleanup, g) != 0) {
    free(g);
    return;
  }
  dl->guard = g;
}

/* Leaves directory mode for good: memfds from now on. */
static void drop_dir(DlContext *dl) {
  if (dl->dir) remove_dir(dl->dir);
  if (dl->guard) dl->guard->live = false;
  dl->guard = NULL;
  free(dl->dir);
  dl->dir = NULL;
}

/* Memfd units keep a descriptor each: allow as many as the hard limit. */
static void raise_nofile(DlContext *dl) {
  struct rlimit rl;
  if (dl->nofile_raised) return;
  dl->nofile_raised = true;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

void dl_use_memfd(DlContext *dl) {
  drop_dir(dl);
  dl->memfd = true;
  raise_nofile(dl);
}

/* Removes the load directories that sessions killed before their exit
 * handler ran left in parent (natml-<pid>-... of a process that no longer
 * exists and that we own), so that nothing piles up on disk. */
static void sweep_stale(const char *parent) {
  DIR *d = opendir(parent);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    long pid;
    char rest[2];
    if (sscanf(e->d_name, "natml-%ld-%1s", &pid, rest) != 2 || pid <= 0) continue;
    if (pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue;
    char path[PATH_MAX];
    struct stat st;
    if (snprintf(path, sizeof path, "%s/%s", parent, e->d_name) >= (int)sizeof path) continue;
    if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid()) continue;
    remove_dir(path);
  }
  closedir(d);
}

DlContext *dl_create(DlError *err) {
  DlContext *dl = calloc(1, sizeof *dl);
  if (!dl) {
    dl_fail(err, "out of memory");
    return NULL;
  }
  dl_symtab_init(&dl->syms);
  const char *candidates[] = {getenv("XDG_RUNTIME_DIR"), "/dev/shm", getenv("TMPDIR"), "/tmp"};
  char path[PATH_MAX];
  if (dl_pick_dir(candidates, sizeof candidates / sizeof candidates[0], path, sizeof path) &&
      (dl->dir = strdup(path)) != NULL) {
    guard_dir(dl);
    char *slash = strrchr(path, '/');
    if (slash) {
      *slash = 0;
      sweep_stale(path);
    }
  } else {
    if (path[0]) rmdir(path);
    dl_use_memfd(dl);
  }
  return dl;
}

void dl_destroy(DlContext *dl) {
  if (!dl) return;
  drop_dir(dl);
  /* Units stay mapped; a memfd unit's descriptor stays open too, since
   * closing it would let a later memfd reuse the path of mapped code. */
  for (DlUnit *u = dl->units, *next; u; u = next) {
    next = u->next;
    free(u);
  }
  dl_symtab_free(&dl->syms);
  free(dl->keep_dir);
  free(dl);
}

const char *dl_load_dir(const DlContext *dl) { return dl->dir; }

/* ---- symbols ------------------------------------------------------------ */

void dl_define(DlContext *dl, const char *name, void *addr) {
  if (dl && name) dl_symtab_put(&dl->syms, name, addr);
}

void *dl_lookup_found(DlContext *dl, const char *name, bool *found) {
  void *addr = dl_symtab_get(&dl->syms, name, found);
  if (*found) return addr;
  addr = dlsym(RTLD_DEFAULT, name);
  if (!addr) return NULL;
  *found = true;
  dl_symtab_put(&dl->syms, name, addr); /* cache: next time one probe */
  return addr;
}

void *dl_lookup(DlContext *dl, const char *name) {
  bool found;
  if (!dl || !name) return NULL;
  return dl_lookup_found(dl, name, &found);
}

size_t dl_unit_count(const DlContext *dl) { return dl ? dl->nunits : 0; }

/* ---- writing and opening images ----------------------------------------- */

static bool write_all(int fd, const unsigned char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= (size_t)w;
  }
  return true;
}

static bool write_file(const char *path, const void *data, size_t size, int flags) {
  int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0700);
  if (fd < 0) return false;
  bool ok = write_all(fd, data, size);
  return close(fd) == 0 && ok;
}

static void *open_failed(DlError *err, const char *what) {
  const char *msg = dlerror();
  dl_fail(err, "%s: %s", what, msg ? msg : "unknown error");
  return NULL;
}

/* Writes the image as a fresh file in the load directory, dlopens and
 * unlinks it. */
static void *open_in_dir(DlContext *dl, const void *data, size_t size, int mode, DlError *err) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/u%llu.so", dl->dir, dl->next_name++);
  if (!write_file(path, data, size, O_EXCL)) {
    int e = errno;
    unlink(path);
    dl_fail(err, "cannot write %s: %s", path, strerror(e));
    return NULL;
  }
  void *h = dlopen(path, mode);
  if (!h) open_failed(err, "dlopen failed");
  unlink(path);
  return h;
}

static int make_memfd(void) {
  int fd = memfd_create("natml-unit", MFD_CLOEXEC | MFD_EXEC);
  if (fd < 0 && errno == EINVAL) /* kernels before 6.3 know no MFD_EXEC */
    fd = memfd_create("natml-unit", MFD_CLOEXEC);
  return fd;
}

/* Writes the image into a new memfd and dlopens it by its /proc path; on
 * success *fd_out keeps the descriptor, which must stay open. */
static void *open_memfd(const void *data, size_t size, int mode, int *fd_out, DlError *err) {
  int fd = make_memfd();
  if (fd < 0) {
    dl_fail(err, "memfd_create failed: %s", strerror(errno));
    return NULL;
  }
  if (!write_all(fd, data, size)) {
    dl_fail(err, "cannot write memfd: %s", strerror(errno));
    close(fd);
    return NULL;
  }
  char path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  void *h = dlopen(path, mode);
  if (!h) {
    open_failed(err, "dlopen failed");
    close(fd);
    return NULL;
  }
  *fd_out = fd;
  return h;
}

/* Loads an image from the directory or a memfd. When the directory fails
 * (an exec restriction statvfs cannot see, or the directory removed
 * behind our back) and a memfd succeeds, the context switches to memfds
 * for good. */
static void *open_image(DlContext *dl, const void *data, size_t size, int mode, int *fd_out, DlError *err) {
  *fd_out = -1;
  if (dl->memfd) return open_memfd(data, size, mode, fd_out, err);
  void *h = open_in_dir(dl, data, size, mode, err);
  if (h) return h;
  DlError ignored;
  h = open_memfd(data, size, mode, fd_out, &ignored);
  if (h) dl_use_memfd(dl);
  return h;
}

/* ---- units --------------------------------------------------------------- */

static bool define_visit(void *ud, const char *name, void *addr) {
  return dl_symtab_put(&((DlContext *)ud)->syms, name, addr);
}

/* Records a freshly opened object as a unit and registers its symbols. */
static DlUnit *add_unit(DlContext *dl, void *handle, int fd, DlError *err) {
  DlUnit *u = malloc(sizeof *u);
  if (!u) {
    dl_fail(err, "out of memory");
  } else if (!dl_unit_init(u, handle, err)) {
    free(u);
    u = NULL;
  } else if (!dl_unit_each_symbol(u, define_visit, dl)) {
    dl_fail(err, "out of memory");
    free(u);
    u = NULL;
  }
  if (!u) {
    dlclose(handle);
    if (fd >= 0) close(fd);
    return NULL;
  }
  u->fd = fd;
  u->next = NULL;
  u->prev = dl->last_unit;
  if (dl->last_unit) dl->last_unit->next = u;
  else dl->units = u;
  dl->last_unit = u;
  dl->nunits++;
  return u;
}

DlUnit *dl_load(DlContext *dl, const DlImage *img, DlError *err) {
  if (!dl || !img || !img->data) {
    dl_fail(err, "dl_load: no image");
    return NULL;
  }
  int fd;
  /* RTLD_LOCAL: units reach each other through the context's table, and
   * keeping them out of the global scope keeps every later dlopen's symbol
   * lookups from walking them. */
  void *h = open_image(dl, img->data, img->size, RTLD_NOW | RTLD_LOCAL, &fd, err);
  return h ? add_unit(dl, h, fd, err) : NULL;
}

/* Reads a whole file into memory. */
static unsigned char *read_file(const char *path, size_t *size, DlError *err) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  unsigned char *buf = NULL;
  if (fd < 0 || fstat(fd, &st) != 0) goto fail;
  if (!S_ISREG(st.st_mode)) {
    errno = EINVAL;
    goto fail;
  }
  buf = malloc(st.st_size ? (size_t)st.st_size : 1);
  if (!buf) goto fail;
  size_t got = 0;
  while (got < (size_t)st.st_size) {
    ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) goto fail;
    got += (size_t)r;
  }
  close(fd);
  *size = got;
  return buf;
fail:
  dl_fail(err, "cannot read %s: %s", path, strerror(errno ? errno : EIO));
  free(buf);
  if (fd >= 0) close(fd);
  return NULL;
}

DlUnit *dl_load_file(DlContext *dl, const char *path, DlError *err) {
  if (!dl || !path) {
    dl_fail(err, "dl_load_file: no path");
    return NULL;
  }
  /* The plugin is loaded from a private copy under a fresh name, so that
   * loading the same path again after it changed (a reload) maps the new
   * code instead of returning the old handle. RTLD_GLOBAL lets plugins
   * written with DL_DYNAMIC bind to each other's symbols. */
  size_t size = 0;
  errno = 0;
  unsigned char *data = read_file(path, &size, err);
  if (!data) return NULL;
  DlImage img = {data, size};
  DlUnit *u = dl_load_shared(dl, &img, err);
  free(data);
  if (!u) {
    char msg[DL_ERROR_MAX];
    snprintf(msg, sizeof msg, "%s", err ? err->msg : "");
    dl_fail(err, "cannot load %s: %s", path, msg);
  }
  return u;
}

DlUnit *dl_load_shared(DlContext *dl, const DlImage *img, DlError *err) {
  if (!dl || !img || !img->data) {
    dl_fail(err, "dl_load_shared: no image");
    return NULL;
  }
  int fd;
  void *h = open_image(dl, img->data, img->size, RTLD_NOW | RTLD_GLOBAL, &fd, err);
  return h ? add_unit(dl, h, fd, err) : NULL;
}

/* ---- debugging ------------------------------------------------------------ */

void dl_set_keep_dir(DlContext *dl, const char *dir) {
  if (!dl) return;
  free(dl->keep_dir);
  dl->keep_dir = dir ? strdup(dir) : NULL;
}

void dl_keep_image(DlContext *dl, const DlImage *img) {
  if (!dl->keep_dir) return;
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/unit_%llu.so", dl->keep_dir, dl->next_kept++);
  write_file(path, img->data, img->size, O_TRUNC);
}

static bool undefine_visit(void *ud, const char *name, void *addr) {
  dl_symtab_remove(&((DlContext *)ud)->syms, name, addr);
  return true;
}

void dl_unload(DlContext *dl, DlUnit *u) {
  dl_unit_each_symbol(u, undefine_visit, dl);
  if (u->prev) u->prev->next = u->next;
  else dl->units = u->next;
  if (u->next) u->next->prev = u->prev;
  else dl->last_unit = u->prev;
  dl->nunits--;
  dlclose(u->handle);
  /* Once the object is gone its /proc/self/fd path may be reused. */
  if (u->fd >= 0) close(u->fd);
  free(u);
}

/* ---- Patching loaded code ------------------------------------------------ */

bool dl_patch_code(void *addr, const void *bytes, size_t n, DlError *err) {
  long pagesize = sysconf(_SC_PAGESIZE);
  uintptr_t lo = (uintptr_t)addr & ~(uintptr_t)(pagesize - 1);
  size_t len = (uintptr_t)addr + n - lo;
  if (mprotect((void *)lo, len, PROT_READ | PROT_WRITE) != 0)
    return dl_fail(err, "cannot make code at %p writable: %s", addr, strerror(errno));
  memcpy(addr, bytes, n);
  if (mprotect((void *)lo, len, PROT_READ | PROT_EXEC) != 0)
    return dl_fail(err, "cannot make code at %p executable again: %s", addr, strerror(errno));
  __builtin___clear_cache((char *)addr, (char *)addr + n);
  return true;
}
