// path_open: opens a file or directory beneath one of the guest's directory
// fds, with the rights it asked for (never more than the directory lets it
// inherit). Resolution is confined by Sandbox.h.
#include "WasiPath.h"

#include <fcntl.h>
#include <sys/stat.h>

namespace wasmscope::runtime::wasi {

namespace {

/// Rights that need the host fd open for reading or for writing.
constexpr uint64_t kReadRights = rights::kFdRead | rights::kFdReaddir;
constexpr uint64_t kWriteRights = rights::kFdWrite | rights::kFdDatasync | rights::kFdAllocate |
                                  rights::kFdFilestatSetSize;

Errno pathOpen(WasiCall& c) {
  uint32_t fd = c.u32(0), dirflags = c.u32(1), pathPtr = c.u32(2), pathLen = c.u32(3);
  uint32_t oflags = c.u32(4), fdflags = c.u32(7), out = c.u32(8);
  uint64_t base = c.u64(5), inheriting = c.u64(6);

  auto dir = directoryEntry(c, fd, rights::kPathOpen);
  if (!dir.ok())
    return dir.error();
  FdEntry& parent = **dir;
  if (oflags & ~uint32_t(kOflagsAll) || fdflags & ~uint32_t(kFdflagsAll))
    return Errno::Inval;
  // A new fd can only have rights its directory hands down.
  if ((base & ~parent.rightsInheriting) || (inheriting & ~parent.rightsInheriting))
    return Errno::NotCapable;
  if ((oflags & kOflagCreat) && !(parent.rightsBase & rights::kPathCreateFile))
    return Errno::NotCapable;
  if ((oflags & kOflagTrunc) && !(parent.rightsBase & rights::kPathFilestatSetSize))
    return Errno::NotCapable;
  std::string path;
  WASI_TRY(guestPath(c, pathPtr, pathLen, path));
  if (!c.mem.check(out, 4))
    return Errno::Fault;

  bool wantsWrite = (base & kWriteRights) || (fdflags & kFdflagAppend);
  bool wantsRead = (base & kReadRights) != 0;
  int flags = O_NOCTTY;
  if (oflags & kOflagDirectory)
    flags |= O_RDONLY | O_DIRECTORY;
  else if (wantsWrite)
    flags |= wantsRead ? O_RDWR : O_WRONLY;
  else
    flags |= O_RDONLY;
  if (oflags & kOflagCreat)
    flags |= O_CREAT;
  if (oflags & kOflagExcl)
    flags |= O_EXCL;
  if (oflags & kOflagTrunc)
    flags |= O_TRUNC;
  if (fdflags & kFdflagAppend)
    flags |= O_APPEND;
  if (fdflags & kFdflagDsync)
    flags |= O_DSYNC;
  if (fdflags & kFdflagNonblock)
    flags |= O_NONBLOCK;
  if (fdflags & kFdflagRsync)
    flags |= O_RSYNC;
  if (fdflags & kFdflagSync)
    flags |= O_SYNC;

  auto opened = openBeneath(parent.host.get(), path, flags, 0666,
                            dirflags & kLookupSymlinkFollow);
  if (!opened.ok())
    return opened.error();
  struct stat st;
  if (::fstat(opened->get(), &st) != 0)
    return lastHostErrno();

  auto e = std::make_unique<FdEntry>();
  bool isDir = S_ISDIR(st.st_mode);
  e->kind = isDir ? FdKind::Directory : FdKind::File;
  e->type = fileTypeOf(st.st_mode);
  e->host = std::move(*opened);
  e->flags = uint16_t(fdflags);
  e->rightsBase = base & (isDir ? rights::kDirectory : rights::kRegularFile);
  e->rightsInheriting = inheriting;
  auto slot = c.wasi.allocate(std::move(e));
  if (!slot.ok())
    return slot.error();
  return c.mem.writeU32(out, *slot);
}

constexpr WasiFunctionDef kFunctions[] = {
    {"path_open", "iiiiiIIii", pathOpen},
};

} // namespace

std::span<const WasiFunctionDef> pathOpenFunctions() { return kFunctions; }

} // namespace wasmscope::runtime::wasi
