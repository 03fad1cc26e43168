// The path family except path_open: directories, links, renames, unlink,
// readlink and path filestat. Each opens the parent directory beneath the
// guest's directory fd (Sandbox.h) and applies the *at syscall to a single
// final name, which the kernel never follows; operations that do follow a
// final symlink resolve it with openBeneath first and act on the result.
#include "WasiPath.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace wasmscope::runtime::wasi {

ErrnoOr<FdEntry*> directoryEntry(WasiCall& c, uint32_t fd, uint64_t required) {
  FdEntry* e = c.wasi.entry(fd);
  if (!e)
    return Errno::BadF;
  if (e->kind != FdKind::Directory)
    return Errno::NotDir;
  if ((e->rightsBase & required) != required)
    return Errno::NotCapable;
  return e;
}

Errno guestPath(WasiCall& c, uint32_t ptr, uint32_t len, std::string& out) {
  if (!c.mem.check(ptr, len))
    return Errno::Fault;
  if (len > kMaxPathLength)
    return Errno::NameTooLong;
  return c.mem.readString(ptr, len, out);
}

Errno dotsError(int root, const std::string& path, Errno otherwise) {
  auto r = openBeneath(root, path, O_PATH | O_DIRECTORY, 0, true);
  return r.ok() ? otherwise : r.error();
}

namespace {

/// The /proc path of an O_PATH fd, for syscalls without AT_EMPTY_PATH. The
/// fd was resolved beneath the sandbox, so following its magic link is safe.
std::string procPath(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

/// Whether `name` in `dir` is a directory (not following a final symlink).
ErrnoOr<bool> isDirectory(int dir, const std::string& name) {
  struct stat st;
  if (::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
    return lastHostErrno();
  return S_ISDIR(st.st_mode);
}

/// Reads the path argument at (ptrArg, lenArg) and opens its parent beneath
/// the directory entry `dir`.
ErrnoOr<ParentDir> parentOf(WasiCall& c, FdEntry& dir, uint32_t ptr, uint32_t len,
                            std::string& path) {
  Errno e = guestPath(c, ptr, len, path);
  if (e != Errno::Success)
    return e;
  return openParentBeneath(dir.host.get(), path);
}

Errno pathCreateDirectory(WasiCall& c) {
  auto dir = directoryEntry(c, c.u32(0), rights::kPathCreateDirectory);
  if (!dir.ok())
    return dir.error();
  std::string path;
  auto parent = parentOf(c, **dir, c.u32(1), c.u32(2), path);
  if (!parent.ok())
    return parent.error();
  if (parent->isDots())
    return dotsError((*dir)->host.get(), path, Errno::Exist);
  if (::mkdirat(parent->fd, parent->name.c_str(), 0777) != 0)
    return lastHostErrno();
  return Errno::Success;
}

Errno pathRemoveDirectory(WasiCall& c) {
  auto dir = directoryEntry(c, c.u32(0), rights::kPathRemoveDirectory);
  if (!dir.ok())
    return dir.error();
  std::string path;
  auto parent = parentOf(c, **dir, c.u32(1), c.u32(2), path);
  if (!parent.ok())
    return parent.error();
  if (parent->isDots())
    return dotsError((*dir)->host.get(), path,
                     parent->name == "." ? Errno::Inval : Errno::NotEmpty);
  if (::unlinkat(parent->fd, parent->name.c_str(), AT_REMOVEDIR) != 0)
    return lastHostErrno();
  return Errno::Success;
}

Errno pathUnlinkFile(WasiCall& c) {
  auto dir = directoryEntry(c, c.u32(0), rights::kPathUnlinkFile);
  if (!dir.ok())
    return dir.error();
  std::string path;
  auto parent = parentOf(c, **dir, c.u32(1), c.u32(2), path);
  if (!parent.ok())
    return parent.error();
  if (parent->isDots())
    return dotsError((*dir)->host.get(), path, Errno::IsDir);
  if (parent->trailingSlash) {
    // "name/" names a directory, which unlink_file never removes.
    auto isDir = isDirectory(parent->fd, parent->name);
    if (!isDir.ok())
      return isDir.error();
    return *isDir ? Errno::IsDir : Errno::NotDir;
  }
  if (::unlinkat(parent->fd, parent->name.c_str(), 0) != 0)
    return lastHostErrno();
  return Errno::Success;
}

Errno pathFilestatGet(WasiCall& c) {
  uint32_t flags = c.u32(1), out = c.u32(4);
  auto dir = directoryEntry(c, c.u32(0), rights::kPathFilestatGet);
  if (!dir.ok())
    return dir.error();
  std::string path;
  WASI_TRY(guestPath(c, c.u32(2), c.u32(3), path));
  if (!c.mem.check(out, layout::kFilestatSize))
    return Errno::Fault;
  // O_PATH | O_NOFOLLOW opens a final symlink itself, so fstat describes it.
  auto target = openBeneath((*dir)->host.get(), path, O_PATH, 0, flags & kLookupSymlinkFollow);
  if (!target.ok())
    return target.error();
  struct stat st;
  if (::fstat(target->get(), &st) != 0)
    return lastHostErrno();
  return writeFilestat(c.mem, out, st);
}

Errno setTimesOnFd(int fd, const timespec times[2]) {
  if (::utimensat(fd, "", times, AT_EMPTY_PATH) == 0)
    return Errno::Success;
  if (errno != EINVAL && errno != EBADF && errno != ENOENT)
    return lastHostErrno();
  if (::utimensat(AT_FDCWD, procPath(fd).c_str(), times, 0) != 0)
    return lastHostErrno();
  return Errno::Success;
}

Errno pathFilestatSetTimes(WasiCall& c) {
  uint32_t flags = c.u32(1);
  uint64_t atim = c.u64(4), mtim = c.u64(5);
  uint32_t fst = c.u32(6);
  auto dir = directoryEntry(c, c.u32(0), rights::kPathFilestatSetTimes);
  if (!dir.ok())
    return dir.error();
  if (fst > 0xffff)
    return Errno::Inval;
  timespec times[2];
  WASI_TRY(timesFromFlags(atim, mtim, uint16_t(fst), times));
  std::string path;
  auto parent = parentOf(c, **dir, c.u32(2), c.u32(3), path);
  if (!parent.ok())
    return parent.error();
  bool follow = flags & kLookupSymlinkFollow;
  if (!follow && !parent->isDots() && !parent->trailingSlash) {
    // One name in a directory beneath the root, not followed.
    if (::utimensat(parent->fd, parent->name.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0)
      return lastHostErrno();
    return Errno::Success;
  }
  auto target = openBeneath((*dir)->host.get(), path, O_PATH, 0, true);
  if (!target.ok())
    return target.error();
  return setTimesOnFd(target->get(), times);
}

Errno pathLink(WasiCall& c) {
  uint32_t oldFlags = c.u32(1);
  auto oldDir = directoryEntry(c, c.u32(0), rights::kPathLinkSource);
  if (!oldDir.ok())
    return oldDir.error();
  auto newDir = directoryEntry(c, c.u32(4), rights::kPathLinkTarget);
  if (!newDir.ok())
    return newDir.error();
  std::string oldPath, newPath;
  WASI_TRY(guestPath(c, c.u32(2), c.u32(3), oldPath));
  auto newParent = parentOf(c, **newDir, c.u32(5), c.u32(6), newPath);
  if (!newParent.ok())
    return newParent.error();
  if (newParent->isDots())
    return dotsError((*newDir)->host.get(), newPath, Errno::Exist);

  if (oldFlags & kLookupSymlinkFollow) {
    // Resolve the source (following symlinks, confined) and link what it names.
    auto source = openBeneath((*oldDir)->host.get(), oldPath, O_PATH, 0, true);
    if (!source.ok())
      return source.error();
    struct stat st;
    if (::fstat(source->get(), &st) != 0)
      return lastHostErrno();
    if (S_ISDIR(st.st_mode))
      return Errno::Perm;
    if (newParent->trailingSlash)
      return Errno::NotDir;
    if (::linkat(source->get(), "", newParent->fd, newParent->name.c_str(), AT_EMPTY_PATH) == 0)
      return Errno::Success;
    // AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH on older kernels.
    if (errno != ENOENT && errno != EPERM && errno != EINVAL)
      return lastHostErrno();
    if (::linkat(AT_FDCWD, procPath(source->get()).c_str(), newParent->fd,
                 newParent->name.c_str(), AT_SYMLINK_FOLLOW) != 0)
      return lastHostErrno();
    return Errno::Success;
  }

  auto oldParent = openParentBeneath((*oldDir)->host.get(), oldPath);
  if (!oldParent.ok())
    return oldParent.error();
  if (oldParent->isDots())
    return dotsError((*oldDir)->host.get(), oldPath, Errno::Perm);
  if (oldParent->trailingSlash || newParent->trailingSlash) {
    auto isDir = isDirectory(oldParent->fd, oldParent->name);
    if (!isDir.ok())
      return isDir.error();
    return *isDir ? Errno::Perm : Errno::NotDir;
  }
  if (::linkat(oldParent->fd, oldParent->name.c_str(), newParent->fd, newParent->name.c_str(),
               0) != 0)
    return lastHostErrno();
  return Errno::Success;
}

Errno pathReadlink(WasiCall& c) {
  uint32_t buf = c.u32(3), bufLen = c.u32(4), usedPtr = c.u32(5);
  auto dir = directoryEntry(c, c.u32(0), rights::kPathReadlink);
  if (!dir.ok())
    return dir.error();
  std::string path;
  auto parent = parentOf(c, **dir, c.u32(1), c.u32(2), path);
  if (!parent.ok())
    return parent.error();
  if (!c.mem.check(buf, bufLen) || !c.mem.check(usedPtr, 4))
    return Errno::Fault;
  if (parent->isDots() || parent->trailingSlash)
    return dotsError((*dir)->host.get(), path, Errno::Inval);
  std::string target(4096, '\0');
  for (;;) {
    ssize_t n = ::readlinkat(parent->fd, parent->name.c_str(), target.data(), target.size());
    if (n < 0)
      return lastHostErrno();
    if (size_t(n) < target.size()) {
      target.resize(size_t(n));
      break;
    }
    if (target.size() >= 65536)
      return Errno::NameTooLong;
    target.resize(target.size() * 2);
  }
  // A buffer too small gets the target truncated, as readlink(2) does.
  uint32_t n = uint32_t(std::min<size_t>(target.size(), bufLen));
  WASI_TRY(c.mem.writeBytes(buf, std::string_view(target).substr(0, n)));
  return c.mem.writeU32(usedPtr, n);
}

Errno pathRename(WasiCall& c) {
  auto oldDir = directoryEntry(c, c.u32(0), rights::kPathRenameSource);
  if (!oldDir.ok())
    return oldDir.error();
  auto newDir = directoryEntry(c, c.u32(3), rights::kPathRenameTarget);
  if (!newDir.ok())
    return newDir.error();
  std::string oldPath, newPath;
  auto oldParent = parentOf(c, **oldDir, c.u32(1), c.u32(2), oldPath);
  if (!oldParent.ok())
    return oldParent.error();
  auto newParent = parentOf(c, **newDir, c.u32(4), c.u32(5), newPath);
  if (!newParent.ok())
    return newParent.error();
  if (oldParent->isDots())
    return dotsError((*oldDir)->host.get(), oldPath, Errno::Busy);
  if (newParent->isDots())
    return dotsError((*newDir)->host.get(), newPath, Errno::Busy);
  if (oldParent->trailingSlash || newParent->trailingSlash) {
    // Trailing slashes require the source to be a directory.
    auto isDir = isDirectory(oldParent->fd, oldParent->name);
    if (!isDir.ok())
      return isDir.error();
    if (!*isDir)
      return Errno::NotDir;
  }
  if (::renameat(oldParent->fd, oldParent->name.c_str(), newParent->fd,
                 newParent->name.c_str()) != 0)
    return lastHostErrno();
  return Errno::Success;
}

Errno pathSymlink(WasiCall& c) {
  // (old_path, old_path_len, fd, new_path, new_path_len)
  auto dir = directoryEntry(c, c.u32(2), rights::kPathSymlink);
  if (!dir.ok())
    return dir.error();
  std::string target, path;
  WASI_TRY(guestPath(c, c.u32(0), c.u32(1), target));
  auto parent = parentOf(c, **dir, c.u32(3), c.u32(4), path);
  if (!parent.ok())
    return parent.error();
  // A symlink whose target is absolute or has a `..` component is never
  // created, with EPERM as in other runtimes: the guest is confined however
  // it resolves links, but host programs that walk the preopen later (tar,
  // rm -r, an artifact upload) are not. A lexical depth check would not do:
  // `..` after a component that is itself a link climbs from where it leads.
  if (!target.empty() && !symlinkTargetCannotClimb(target))
    return Errno::Perm;
  WASI_TRY(checkGuestPath(target));
  if (parent->isDots())
    return dotsError((*dir)->host.get(), path, Errno::Exist);
  if (parent->trailingSlash)
    return Errno::NoEnt;
  if (::symlinkat(target.c_str(), parent->fd, parent->name.c_str()) != 0)
    return lastHostErrno();
  return Errno::Success;
}

constexpr WasiFunctionDef kFunctions[] = {
    {"path_create_directory", "iii", pathCreateDirectory},
    {"path_filestat_get", "iiiii", pathFilestatGet},
    {"path_filestat_set_times", "iiiiIIi", pathFilestatSetTimes},
    {"path_link", "iiiiiii", pathLink},
    {"path_readlink", "iiiiii", pathReadlink},
    {"path_remove_directory", "iii", pathRemoveDirectory},
    {"path_rename", "iiiiii", pathRename},
    {"path_symlink", "iiiii", pathSymlink},
    {"path_unlink_file", "iii", pathUnlinkFile},
};

} // namespace

std::span<const WasiFunctionDef> pathFunctions() { return kFunctions; }

} // namespace wasmscope::runtime::wasi
