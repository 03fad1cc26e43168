// The fd family except data transfer and readdir: fd_close, fd_renumber,
// fd_seek, fd_tell, fd_fdstat_*, fd_filestat_*, fd_advise, fd_allocate,
// fd_sync, fd_datasync, fd_prestat_get and fd_prestat_dir_name; plus the
// filestat helpers the path family shares.
#include "WasiState.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace wasmscope::runtime::wasi {

namespace {

constexpr uint64_t kNanos = 1000000000ull;

uint64_t nanosOf(const timespec& ts) {
  if (ts.tv_sec < 0)
    return 0;
  return uint64_t(ts.tv_sec) * kNanos + uint64_t(ts.tv_nsec);
}

Errno fdClose(WasiCall& c) {
  uint32_t fd = c.u32(0);
  if (!c.wasi.entry(fd))
    return Errno::BadF;
  c.wasi.fds[fd].reset(); // Closes an owned host fd; stdio host fds stay open.
  while (!c.wasi.fds.empty() && !c.wasi.fds.back())
    c.wasi.fds.pop_back();
  return Errno::Success;
}

Errno fdRenumber(WasiCall& c) {
  uint32_t from = c.u32(0), to = c.u32(1);
  if (!c.wasi.entry(from) || !c.wasi.entry(to))
    return Errno::BadF;
  if (from == to)
    return Errno::Success;
  c.wasi.fds[to] = std::move(c.wasi.fds[from]);
  while (!c.wasi.fds.empty() && !c.wasi.fds.back())
    c.wasi.fds.pop_back();
  return Errno::Success;
}

Errno fdSeek(WasiCall& c) {
  uint32_t fd = c.u32(0), out = c.u32(3);
  int64_t offset = int64_t(c.u64(1));
  uint32_t whence = c.u32(2);
  FdEntry* e = c.wasi.entry(fd);
  if (!e)
    return Errno::BadF;
  if (e->isStdio())
    return Errno::SPipe;
  uint64_t need = (offset == 0 && whence == kWhenceCur) ? rights::kFdTell : rights::kFdSeek;
  if ((e->rightsBase & need) == 0)
    return Errno::NotCapable;
  int how;
  switch (whence) {
  case kWhenceSet:
    how = SEEK_SET;
    break;
  case kWhenceCur:
    how = SEEK_CUR;
    break;
  case kWhenceEnd:
    how = SEEK_END;
    break;
  default:
    return Errno::Inval;
  }
  if (!c.mem.check(out, 8))
    return Errno::Fault;
  off_t pos = ::lseek(e->host.get(), offset, how);
  if (pos < 0)
    return lastHostErrno();
  return c.mem.writeU64(out, uint64_t(pos));
}

Errno fdTell(WasiCall& c) {
  uint32_t fd = c.u32(0), out = c.u32(1);
  FdEntry* e = c.wasi.entry(fd);
  if (!e)
    return Errno::BadF;
  if (e->isStdio())
    return Errno::SPipe;
  if (!(e->rightsBase & rights::kFdTell))
    return Errno::NotCapable;
  if (!c.mem.check(out, 8))
    return Errno::Fault;
  off_t pos = ::lseek(e->host.get(), 0, SEEK_CUR);
  if (pos < 0)
    return lastHostErrno();
  return c.mem.writeU64(out, uint64_t(pos));
}

Errno fdFdstatGet(WasiCall& c) {
  uint32_t fd = c.u32(0), out = c.u32(1);
  FdEntry* e = c.wasi.entry(fd);
  if (!e)
    return Errno::BadF;
  if (!c.mem.check(out, layout::kFdstatSize))
    return Errno::Fault;
  WASI_TRY(c.mem.zero(out, layout::kFdstatSize));
  WASI_TRY(c.mem.writeU8(out + layout::kFdstatFiletype, uint8_t(e->type)));
  WASI_TRY(c.mem.writeU16(out + layout::kFdstatFlags, e->flags));
  WASI_TRY(c.mem.writeU64(out + layout::kFdstatRightsBase, e->rightsBase));
  return c.mem.writeU64(out + layout::kFdstatRightsInherit, e->rightsInheriting);
}

Errno fdFdstatSetFlags(WasiCall& c) {
  uint32_t fd = c.u32(0);
  uint32_t flags = c.u32(1);
  auto e = c.wasi.lookup(fd, rights::kFdFdstatSetFlags);
  if (!e.ok())
    return e.error();
  if (flags & ~uint32_t(kFdflagsAll))
    return Errno::Inval;
  FdEntry& entry = **e;
  // Linux cannot change the synchronous-I/O flags of an open file.
  constexpr uint16_t kSyncFlags = kFdflagDsync | kFdflagRsync | kFdflagSync;
  if ((flags & kSyncFlags) != (entry.flags & kSyncFlags))
    return Errno::NotSup;
  if (!entry.isStdio()) {
    // Stdio flags are only recorded: the host's own fds 0-2 stay as they are.
    int hostFlags = ::fcntl(entry.host.get(), F_GETFL);
    if (hostFlags < 0)
      return lastHostErrno();
    hostFlags &= ~(O_APPEND | O_NONBLOCK);
    if (flags & kFdflagAppend)
      hostFlags |= O_APPEND;
    if (flags & kFdflagNonblock)
      hostFlags |= O_NONBLOCK;
    if (::fcntl(entry.host.get(), F_SETFL, hostFlags) != 0)
      return lastHostErrno();
  }
  entry.flags = uint16_t(flags);
  return Errno::Success;
}

Errno fdFdstatSetRights(WasiCall& c) {
  uint32_t fd = c.u32(0);
  uint64_t base = c.u64(1), inheriting = c.u64(2);
  FdEntry* e = c.wasi.entry(fd);
  if (!e)
    return Errno::BadF;
  // Rights can only be dropped.
  if ((base & ~e->rightsBase) || (inheriting & ~e->rightsInheriting))
    return Errno::NotCapable;
  e->rightsBase = base;
  e->rightsInheriting = inheriting;
  return Errno::Success;
}

Errno fdFilestatGet(WasiCall& c) {
  uint32_t fd = c.u32(0), out = c.u32(1);
  auto e = c.wasi.lookup(fd, rights::kFdFilestatGet);
  if (!e.ok())
    return e.error();
  if (!c.mem.check(out, layout::kFilestatSize))
    return Errno::Fault;
  FdEntry& entry = **e;
  if (entry.isStdio()) {
    // Stdio is presented as a stream; nothing about the host's fds leaks.
    WASI_TRY(c.mem.zero(out, layout::kFilestatSize));
    WASI_TRY(c.mem.writeU8(out + layout::kFilestatFiletype, uint8_t(entry.type)));
    return c.mem.writeU64(out + layout::kFilestatNlink, 1);
  }
  struct stat st;
  if (::fstat(entry.host.get(), &st) != 0)
    return lastHostErrno();
  return writeFilestat(c.mem, out, st);
}

Errno fdFilestatSetSize(WasiCall& c) {
  uint32_t fd = c.u32(0);
  uint64_t size = c.u64(1);
  auto e = c.wasi.lookup(fd, rights::kFdFilestatSetSize);
  if (!e.ok())
    return e.error();
  if (size > uint64_t(INT64_MAX))
    return Errno::Inval;
  if (::ftruncate((*e)->host.get(), off_t(size)) != 0)
    return lastHostErrno();
  return Errno::Success;
}

Errno fdFilestatSetTimes(WasiCall& c) {
  uint32_t fd = c.u32(0);
  uint64_t atim = c.u64(1), mtim = c.u64(2);
  uint16_t flags = uint16_t(c.u32(3));
  if (c.u32(3) > 0xffff)
    return Errno::Inval;
  auto e = c.wasi.lookup(fd, rights::kFdFilestatSetTimes);
  if (!e.ok())
    return e.error();
  timespec times[2];
  WASI_TRY(timesFromFlags(atim, mtim, flags, times));
  if ((*e)->isStdio())
    return Errno::Success;
  if (::futimens((*e)->host.get(), times) != 0)
    return lastHostErrno();
  return Errno::Success;
}

Errno fdAdvise(WasiCall& c) {
  uint32_t fd = c.u32(0), advice = c.u32(3);
  uint64_t offset = c.u64(1), len = c.u64(2);
  auto e = c.wasi.lookup(fd, rights::kFdAdvise);
  if (!e.ok())
    return e.error();
  if (advice > kAdviceMax || offset > uint64_t(INT64_MAX) || len > uint64_t(INT64_MAX))
    return Errno::Inval;
  if ((*e)->isStdio())
    return Errno::SPipe;
  static constexpr int kHostAdvice[] = {POSIX_FADV_NORMAL,   POSIX_FADV_SEQUENTIAL,
                                        POSIX_FADV_RANDOM,   POSIX_FADV_WILLNEED,
                                        POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
  int r = ::posix_fadvise((*e)->host.get(), off_t(offset), off_t(len), kHostAdvice[advice]);
  return fromHostErrno(r);
}

Errno fdAllocate(WasiCall& c) {
  uint32_t fd = c.u32(0);
  uint64_t offset = c.u64(1), len = c.u64(2);
  auto e = c.wasi.lookup(fd, rights::kFdAllocate);
  if (!e.ok())
    return e.error();
  if (offset > uint64_t(INT64_MAX) || len > uint64_t(INT64_MAX) - offset)
    return Errno::FBig;
  if (len == 0)
    return Errno::Inval;
  int r;
  do
    r = ::posix_fallocate((*e)->host.get(), off_t(offset), off_t(len));
  while (r == EINTR);
  return fromHostErrno(r);
}

Errno syncWith(WasiCall& c, uint64_t right, int (*sync)(int)) {
  auto e = c.wasi.lookup(c.u32(0), right);
  if (!e.ok())
    return e.error();
  if ((*e)->isStdio())
    return Errno::Success; // Nothing is buffered on this side.
  if (sync((*e)->host.get()) != 0)
    return lastHostErrno();
  return Errno::Success;
}

Errno fdSync(WasiCall& c) { return syncWith(c, rights::kFdSync, ::fsync); }
Errno fdDatasync(WasiCall& c) { return syncWith(c, rights::kFdDatasync, ::fdatasync); }

Errno fdPrestatGet(WasiCall& c) {
  uint32_t fd = c.u32(0), out = c.u32(1);
  FdEntry* e = c.wasi.entry(fd);
  // wasi-libc probes fds from 3 up until EBADF: anything not preopened is EBADF.
  if (!e || !e->preopenName)
    return Errno::BadF;
  if (!c.mem.check(out, layout::kPrestatSize))
    return Errno::Fault;
  WASI_TRY(c.mem.zero(out, layout::kPrestatSize));
  WASI_TRY(c.mem.writeU8(out, kPreopenTypeDir));
  return c.mem.writeU32(out + layout::kPrestatNameLen, uint32_t(e->preopenName->size()));
}

Errno fdPrestatDirName(WasiCall& c) {
  uint32_t fd = c.u32(0), out = c.u32(1), len = c.u32(2);
  FdEntry* e = c.wasi.entry(fd);
  if (!e || !e->preopenName)
    return Errno::BadF;
  const std::string& name = *e->preopenName;
  if (len < name.size())
    return Errno::NameTooLong;
  return c.mem.writeBytes(out, name);
}

constexpr WasiFunctionDef kFunctions[] = {
    {"fd_advise", "iIIi", fdAdvise},
    {"fd_allocate", "iII", fdAllocate},
    {"fd_close", "i", fdClose},
    {"fd_datasync", "i", fdDatasync},
    {"fd_fdstat_get", "ii", fdFdstatGet},
    {"fd_fdstat_set_flags", "ii", fdFdstatSetFlags},
    {"fd_fdstat_set_rights", "iII", fdFdstatSetRights},
    {"fd_filestat_get", "ii", fdFilestatGet},
    {"fd_filestat_set_size", "iI", fdFilestatSetSize},
    {"fd_filestat_set_times", "iIIi", fdFilestatSetTimes},
    {"fd_prestat_get", "ii", fdPrestatGet},
    {"fd_prestat_dir_name", "iii", fdPrestatDirName},
    {"fd_renumber", "ii", fdRenumber},
    {"fd_seek", "iIii", fdSeek},
    {"fd_sync", "i", fdSync},
    {"fd_tell", "ii", fdTell},
};

} // namespace

FileType fileTypeOf(uint32_t mode) {
  switch (mode & S_IFMT) {
  case S_IFREG:
    return FileType::RegularFile;
  case S_IFDIR:
    return FileType::Directory;
  case S_IFCHR:
    return FileType::CharacterDevice;
  case S_IFBLK:
    return FileType::BlockDevice;
  case S_IFLNK:
    return FileType::SymbolicLink;
  case S_IFSOCK:
    return FileType::SocketStream;
  default:
    return FileType::Unknown;
  }
}

Errno writeFilestat(const GuestMemory& mem, uint64_t addr, const struct ::stat& st) {
  if (!mem.check(addr, layout::kFilestatSize))
    return Errno::Fault;
  WASI_TRY(mem.zero(addr, layout::kFilestatSize));
  WASI_TRY(mem.writeU64(addr + layout::kFilestatDev, uint64_t(st.st_dev)));
  WASI_TRY(mem.writeU64(addr + layout::kFilestatIno, uint64_t(st.st_ino)));
  WASI_TRY(mem.writeU8(addr + layout::kFilestatFiletype, uint8_t(fileTypeOf(st.st_mode))));
  WASI_TRY(mem.writeU64(addr + layout::kFilestatNlink, uint64_t(st.st_nlink)));
  WASI_TRY(mem.writeU64(addr + layout::kFilestatSizeField, uint64_t(st.st_size)));
  WASI_TRY(mem.writeU64(addr + layout::kFilestatAtim, nanosOf(st.st_atim)));
  WASI_TRY(mem.writeU64(addr + layout::kFilestatMtim, nanosOf(st.st_mtim)));
  return mem.writeU64(addr + layout::kFilestatCtim, nanosOf(st.st_ctim));
}

Errno timesFromFlags(uint64_t atim, uint64_t mtim, uint16_t flags, struct ::timespec out[2]) {
  constexpr uint16_t kKnown = kFstflagAtim | kFstflagAtimNow | kFstflagMtim | kFstflagMtimNow;
  if ((flags & ~kKnown) || ((flags & kFstflagAtim) && (flags & kFstflagAtimNow)) ||
      ((flags & kFstflagMtim) && (flags & kFstflagMtimNow)))
    return Errno::Inval;
  auto one = [](uint64_t t, bool set, bool now, timespec& ts) {
    if (now) {
      ts.tv_sec = 0;
      ts.tv_nsec = UTIME_NOW;
    } else if (set) {
      ts.tv_sec = time_t(t / kNanos);
      ts.tv_nsec = long(t % kNanos);
    } else {
      ts.tv_sec = 0;
      ts.tv_nsec = UTIME_OMIT;
    }
  };
  one(atim, flags & kFstflagAtim, flags & kFstflagAtimNow, out[0]);
  one(mtim, flags & kFstflagMtim, flags & kFstflagMtimNow, out[1]);
  return Errno::Success;
}

std::span<const WasiFunctionDef> fdFunctions() { return kFunctions; }

} // namespace wasmscope::runtime::wasi
