// A WASI guest that runs file-system commands given as arguments, calling
// the preview1 imports directly (never wasi-libc's path emulation), and
// prints one line per command: the WASI errno, then any result. The sandbox
// tests drive it. Paths are relative to fd 3 unless `cd` chose another
// directory fd.
#include <wasi/api.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILE_RIGHTS                                                             \
  (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK |     \
   __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_FILESTAT_GET |                      \
   __WASI_RIGHTS_FD_FILESTAT_SET_SIZE | __WASI_RIGHTS_FD_SYNC)
#define READ_RIGHTS (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL)
#define DIR_RIGHTS                                                              \
  (__WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_PATH_OPEN |                         \
   __WASI_RIGHTS_PATH_CREATE_FILE | __WASI_RIGHTS_PATH_CREATE_DIRECTORY |       \
   __WASI_RIGHTS_PATH_FILESTAT_GET | __WASI_RIGHTS_PATH_UNLINK_FILE |           \
   __WASI_RIGHTS_PATH_REMOVE_DIRECTORY | __WASI_RIGHTS_PATH_RENAME_SOURCE |     \
   __WASI_RIGHTS_PATH_RENAME_TARGET | __WASI_RIGHTS_PATH_LINK_SOURCE |          \
   __WASI_RIGHTS_PATH_LINK_TARGET | __WASI_RIGHTS_PATH_SYMLINK |                \
   __WASI_RIGHTS_PATH_READLINK | __WASI_RIGHTS_FD_FILESTAT_GET |                \
   __WASI_RIGHTS_PATH_FILESTAT_SET_TIMES | __WASI_RIGHTS_PATH_FILESTAT_SET_SIZE)

static __wasi_fd_t base = 3;

static __wasi_lookupflags_t follow(int yes) {
  return yes ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0;
}

static void cmdRead(const char* path, int fol) {
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open(base, follow(fol), path, 0, READ_RIGHTS, 0, 0, &fd);
  if (e) {
    printf("%d\n", e);
    return;
  }
  char buf[512];
  __wasi_iovec_t iov = {(uint8_t*)buf, sizeof buf - 1};
  size_t n = 0;
  e = __wasi_fd_read(fd, &iov, 1, &n);
  buf[n] = 0;
  __wasi_fd_close(fd);
  printf("%d %s\n", e, buf);
}

static void cmdWrite(const char* path, const char* text, __wasi_oflags_t oflags, int fol,
                     __wasi_fdflags_t fdflags) {
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open(base, follow(fol), path, oflags, FILE_RIGHTS, 0, fdflags, &fd);
  if (e) {
    printf("%d\n", e);
    return;
  }
  __wasi_ciovec_t iov = {(const uint8_t*)text, strlen(text)};
  size_t n = 0;
  e = __wasi_fd_write(fd, &iov, 1, &n);
  __wasi_fd_close(fd);
  printf("%d %zu\n", e, n);
}

static void cmdStat(const char* path, int fol) {
  __wasi_filestat_t st;
  __wasi_errno_t e = __wasi_path_filestat_get(base, follow(fol), path, &st);
  if (e)
    printf("%d\n", e);
  else
    printf("0 type=%d size=%llu nlink=%llu\n", st.filetype, (unsigned long long)st.size,
           (unsigned long long)st.nlink);
}

static void cmdOpenDir(const char* path, int setBase) {
  __wasi_fdstat_t parent;
  __wasi_fd_fdstat_get(base, &parent);
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open(base, follow(1), path, __WASI_OFLAGS_DIRECTORY,
                                      DIR_RIGHTS, parent.fs_rights_inheriting, 0, &fd);
  if (e) {
    printf("%d\n", e);
    return;
  }
  if (setBase)
    base = fd;
  else
    __wasi_fd_close(fd);
  printf("0\n");
}

/// Lists a directory with a buffer of `size` bytes, restarting after a
/// truncated entry the way wasi-libc does; prints the names.
static void cmdList(const char* path, size_t size) {
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open(base, follow(1), path, __WASI_OFLAGS_DIRECTORY,
                                      __WASI_RIGHTS_FD_READDIR, 0, 0, &fd);
  if (e) {
    printf("%d\n", e);
    return;
  }
  char* buf = malloc(size);
  __wasi_dircookie_t cookie = 0;
  char names[2048] = "";
  int calls = 0;
  for (;;) {
    size_t used = 0;
    e = __wasi_fd_readdir(fd, (uint8_t*)buf, size, cookie, &used);
    ++calls;
    if (e || calls > 1000)
      break;
    size_t at = 0;
    int progressed = 0;
    while (at + sizeof(__wasi_dirent_t) <= used) {
      __wasi_dirent_t d;
      memcpy(&d, buf + at, sizeof d);
      if (at + sizeof d + d.d_namlen > used)
        break; // Truncated: read again from this entry.
      strncat(names, buf + at + sizeof d, d.d_namlen);
      strcat(names, d.d_type == __WASI_FILETYPE_DIRECTORY ? "/," : ",");
      at += sizeof d + d.d_namlen;
      cookie = d.d_next;
      progressed = 1;
    }
    if (used < size)
      break; // The end of the directory.
    if (!progressed) {
      e = __WASI_ERRNO_NOBUFS;
      break;
    }
  }
  free(buf);
  __wasi_fd_close(fd);
  printf("%d %s calls=%d\n", e, names, calls);
}

/// One fd_readdir call with a small buffer: bufused and the raw first header.
static void cmdListRaw(const char* path, size_t size) {
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open(base, follow(1), path, __WASI_OFLAGS_DIRECTORY,
                                      __WASI_RIGHTS_FD_READDIR, 0, 0, &fd);
  if (e) {
    printf("%d\n", e);
    return;
  }
  unsigned char buf[256];
  memset(buf, 0xee, sizeof buf);
  size_t used = 0;
  e = __wasi_fd_readdir(fd, buf, size, 0, &used);
  __wasi_fd_close(fd);
  unsigned long long next = 0;
  memcpy(&next, buf, 8);
  printf("%d used=%zu next=%llu guard=%d\n", e, used, next, buf[size]);
}

static void cmdReadlink(const char* path) {
  char buf[256];
  size_t n = 0;
  __wasi_errno_t e = __wasi_path_readlink(base, path, (uint8_t*)buf, sizeof buf - 1, &n);
  if (e) {
    printf("%d\n", e);
    return;
  }
  buf[n] = 0;
  printf("0 %s\n", buf);
}

/// write, seek, read, tell, set_size and filestat on one file.
static void cmdSeekTest(const char* path) {
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open(base, follow(1), path,
                                      __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, FILE_RIGHTS,
                                      0, 0, &fd);
  if (e) {
    printf("%d\n", e);
    return;
  }
  const char* text = "hello, sandbox";
  __wasi_ciovec_t out = {(const uint8_t*)text, strlen(text)};
  size_t n;
  __wasi_filesize_t pos, tell;
  char buf[32] = {0};
  __wasi_iovec_t in = {(uint8_t*)buf, 5};
  __wasi_fd_write(fd, &out, 1, &n);
  __wasi_fd_seek(fd, 7, __WASI_WHENCE_SET, &pos);
  __wasi_fd_read(fd, &in, 1, &n);
  __wasi_fd_tell(fd, &tell);
  char tail[8] = {0};
  __wasi_iovec_t in2 = {(uint8_t*)tail, 3};
  __wasi_filesize_t endPos;
  __wasi_fd_seek(fd, -3, __WASI_WHENCE_END, &endPos);
  size_t n2;
  __wasi_fd_read(fd, &in2, 1, &n2);
  char pbuf[8] = {0};
  __wasi_iovec_t pin = {(uint8_t*)pbuf, 4};
  size_t pn;
  __wasi_fd_pread(fd, &pin, 1, 0, &pn);
  __wasi_fd_filestat_set_size(fd, 5);
  __wasi_filestat_t st;
  __wasi_fd_filestat_get(fd, &st);
  __wasi_filesize_t bad;
  __wasi_errno_t badWhence = __wasi_fd_seek(fd, 0, 7, &bad);
  __wasi_fd_close(fd);
  printf("0 pos=%llu read=%s tell=%llu end=%llu tail=%s pread=%s size=%llu badwhence=%d\n",
         (unsigned long long)pos, buf, (unsigned long long)tell, (unsigned long long)endPos,
         tail, pbuf, (unsigned long long)st.size, badWhence);
}

static void cmdTouch(const char* path, int fol, unsigned long long secs) {
  __wasi_timestamp_t t = (__wasi_timestamp_t)secs * 1000000000ull;
  __wasi_errno_t e = __wasi_path_filestat_set_times(
      base, follow(fol), path, t, t, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM);
  printf("%d\n", e);
}

static void cmdStdin(void) {
  char buf[256];
  __wasi_iovec_t iov = {(uint8_t*)buf, sizeof buf - 1};
  size_t n = 0;
  __wasi_errno_t e = __wasi_fd_read(0, &iov, 1, &n);
  buf[e ? 0 : n] = 0;
  printf("%d %s\n", e, buf);
}

static void cmdFdstat(int fd) {
  __wasi_fdstat_t st;
  __wasi_errno_t e = __wasi_fd_fdstat_get(fd, &st);
  if (e) {
    printf("%d\n", e);
    return;
  }
  printf("0 type=%d read=%d write=%d seek=%d\n", st.fs_filetype,
         !!(st.fs_rights_base & __WASI_RIGHTS_FD_READ),
         !!(st.fs_rights_base & __WASI_RIGHTS_FD_WRITE),
         !!(st.fs_rights_base & __WASI_RIGHTS_FD_SEEK));
}

/// Rights: they can be dropped, never raised, and a dropped right is gone.
static void cmdRights(const char* path) {
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open(base, 0, path, 0, READ_RIGHTS, 0, 0, &fd);
  if (e) {
    printf("%d\n", e);
    return;
  }
  __wasi_filesize_t pos;
  size_t n;
  char buf[4];
  __wasi_ciovec_t out = {(const uint8_t*)"x", 1};
  __wasi_dirent_t* dirent = (__wasi_dirent_t*)buf;
  __wasi_prestat_t ps;
  __wasi_fd_t fd2;
  int raise = __wasi_fd_fdstat_set_rights(fd, READ_RIGHTS | __WASI_RIGHTS_FD_WRITE, 0);
  int drop = __wasi_fd_fdstat_set_rights(fd, __WASI_RIGHTS_FD_READ, 0);
  int seek = __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos);
  int write = __wasi_fd_write(fd, &out, 1, &n);
  int trunc = __wasi_fd_filestat_set_size(fd, 0);
  int readdir = __wasi_fd_readdir(fd, (uint8_t*)dirent, sizeof buf, 0, &n);
  int prestat = __wasi_fd_prestat_get(fd, &ps);
  int beyond = __wasi_path_open(base, 0, path, 0, 1ull << 40, 0, 0, &fd2);
  int seekStdout = __wasi_fd_seek(1, 0, __WASI_WHENCE_CUR, &pos);
  int tellStdin = __wasi_fd_tell(0, &pos);
  int bad = __wasi_path_open(base, 0, path, 0x10, READ_RIGHTS, 0, 0, &fd2);
  __wasi_fd_close(fd);
  printf("0 raise=%d drop=%d seek=%d write=%d trunc=%d readdir=%d prestat=%d beyond=%d "
         "seekstdout=%d tellstdin=%d badoflags=%d\n",
         raise, drop, seek, write, trunc, readdir, prestat, beyond, seekStdout, tellStdin, bad);
}

/// The remaining fd calls on a regular file.
static void cmdFileOps(const char* path) {
  __wasi_fd_t fd;
  __wasi_rights_t rights = FILE_RIGHTS | __WASI_RIGHTS_FD_ADVISE | __WASI_RIGHTS_FD_ALLOCATE |
                           __WASI_RIGHTS_FD_DATASYNC | __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS |
                           __WASI_RIGHTS_FD_FILESTAT_SET_TIMES;
  __wasi_errno_t e = __wasi_path_open(base, 0, path, __WASI_OFLAGS_CREAT, rights, 0, 0, &fd);
  if (e) {
    printf("%d\n", e);
    return;
  }
  int advise = __wasi_fd_advise(fd, 0, 10, __WASI_ADVICE_SEQUENTIAL);
  int badAdvice = __wasi_fd_advise(fd, 0, 10, 9);
  int allocate = __wasi_fd_allocate(fd, 0, 100);
  __wasi_filestat_t st;
  __wasi_fd_filestat_get(fd, &st);
  int datasync = __wasi_fd_datasync(fd);
  int sync = __wasi_fd_sync(fd);
  int times = __wasi_fd_filestat_set_times(fd, 5000000000ull, 6000000000ull,
                                           __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM);
  __wasi_filestat_t st2;
  __wasi_fd_filestat_get(fd, &st2);
  int badTimes = __wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW);
  int append = __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND);
  __wasi_fdstat_t fst;
  __wasi_fd_fdstat_get(fd, &fst);
  int syncFlag = __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_SYNC);
  __wasi_fd_close(fd);
  printf("0 advise=%d badadvice=%d allocate=%d size=%llu datasync=%d sync=%d times=%d mtim=%llu "
         "badtimes=%d append=%d flags=%d syncflag=%d\n",
         advise, badAdvice, allocate, (unsigned long long)st.size, datasync, sync, times,
         (unsigned long long)st2.mtim, badTimes, append, fst.fs_flags, syncFlag);
}

static void cmdPrestat(void) {
  for (__wasi_fd_t fd = 3;; ++fd) {
    __wasi_prestat_t ps;
    __wasi_errno_t e = __wasi_fd_prestat_get(fd, &ps);
    if (e) {
      printf("%d\n", e);
      return;
    }
    char name[256] = {0};
    __wasi_fd_prestat_dir_name(fd, (uint8_t*)name, ps.u.dir.pr_name_len);
    printf("fd%d=%s ", fd, name);
  }
}

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    char* w[4] = {0};
    int n = 0;
    for (char* t = strtok(argv[i], " "); t && n < 4; t = strtok(NULL, " "))
      w[n++] = t;
    const char* op = w[0] ? w[0] : "";
    const char* a = w[1] ? w[1] : "";
    const char* b = w[2] ? w[2] : "";
    if (!strcmp(op, "read")) cmdRead(a, 1);
    else if (!strcmp(op, "readnf")) cmdRead(a, 0);
    else if (!strcmp(op, "write")) cmdWrite(a, b, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, 1, 0);
    else if (!strcmp(op, "writenf")) cmdWrite(a, b, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, 0, 0);
    else if (!strcmp(op, "append")) cmdWrite(a, b, __WASI_OFLAGS_CREAT, 1, __WASI_FDFLAGS_APPEND);
    else if (!strcmp(op, "excl")) cmdWrite(a, b, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, 1, 0);
    else if (!strcmp(op, "mkdir")) printf("%d\n", __wasi_path_create_directory(base, a));
    else if (!strcmp(op, "rmdir")) printf("%d\n", __wasi_path_remove_directory(base, a));
    else if (!strcmp(op, "unlink")) printf("%d\n", __wasi_path_unlink_file(base, a));
    else if (!strcmp(op, "rename")) printf("%d\n", __wasi_path_rename(base, a, base, b));
    else if (!strcmp(op, "rename4")) printf("%d\n", __wasi_path_rename(base, a, 4, b));
    else if (!strcmp(op, "link")) printf("%d\n", __wasi_path_link(base, 0, a, base, b));
    else if (!strcmp(op, "linkf")) printf("%d\n", __wasi_path_link(base, follow(1), a, base, b));
    else if (!strcmp(op, "symlink")) printf("%d\n", __wasi_path_symlink(a, base, b));
    else if (!strcmp(op, "readlink")) cmdReadlink(a);
    else if (!strcmp(op, "stat")) cmdStat(a, 1);
    else if (!strcmp(op, "lstat")) cmdStat(a, 0);
    else if (!strcmp(op, "opendir")) cmdOpenDir(a, 0);
    else if (!strcmp(op, "cd")) cmdOpenDir(a, 1);
    else if (!strcmp(op, "ls")) cmdList(a, b[0] ? (size_t)atoi(b) : 4096);
    else if (!strcmp(op, "lsraw")) cmdListRaw(a, (size_t)atoi(b));
    else if (!strcmp(op, "seektest")) cmdSeekTest(a);
    else if (!strcmp(op, "touch")) cmdTouch(a, 1, strtoull(b, 0, 10));
    else if (!strcmp(op, "touchnf")) cmdTouch(a, 0, strtoull(b, 0, 10));
    else if (!strcmp(op, "prestat")) cmdPrestat();
    else if (!strcmp(op, "stdin")) cmdStdin();
    else if (!strcmp(op, "rights")) cmdRights(a);
    else if (!strcmp(op, "fileops")) cmdFileOps(a);
    else if (!strcmp(op, "fdstat")) cmdFdstat(atoi(a));
    else if (!strcmp(op, "close")) printf("%d\n", __wasi_fd_close(atoi(a)));
    else if (!strcmp(op, "renumber")) printf("%d\n", __wasi_fd_renumber(atoi(a), atoi(b)));
    else printf("unknown command %s\n", op);
  }
  return 0;
}
