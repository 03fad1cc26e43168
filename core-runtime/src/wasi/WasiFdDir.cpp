// fd_readdir: a directory's entries as a stream of dirents (24-byte header,
// then the unterminated name), resumable at any entry's cookie. The listing
// is a snapshot taken when reading starts at cookie 0, ordered "." and ".."
// first and then by name, so that a listing is the same on every run.
#include "WasiState.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>

namespace wasmscope::runtime::wasi {

namespace {

FileType typeOfDirent(int dirFd, const struct dirent& d) {
  switch (d.d_type) {
  case DT_REG:
    return FileType::RegularFile;
  case DT_DIR:
    return FileType::Directory;
  case DT_LNK:
    return FileType::SymbolicLink;
  case DT_CHR:
    return FileType::CharacterDevice;
  case DT_BLK:
    return FileType::BlockDevice;
  case DT_SOCK:
    return FileType::SocketStream;
  case DT_FIFO:
    return FileType::Unknown;
  default: {
    // The name is one component of this directory: stat it without following.
    struct stat st;
    if (::fstatat(dirFd, d.d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
      return FileType::Unknown;
    return fileTypeOf(st.st_mode);
  }
  }
}

Errno takeSnapshot(FdEntry& e) {
  // A fresh open description, so the listing never disturbs e's offset.
  int fd = ::openat(e.host.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return lastHostErrno();
  DIR* dir = ::fdopendir(fd);
  if (!dir) {
    Errno err = lastHostErrno();
    ::close(fd);
    return err;
  }
  std::vector<DirEntry> entries;
  while (struct dirent* d = ::readdir(dir))
    entries.push_back({d->d_name, uint64_t(d->d_ino), typeOfDirent(::dirfd(dir), *d)});
  ::closedir(dir);
  auto rank = [](const std::string& n) { return n == "." ? 0 : n == ".." ? 1 : 2; };
  std::sort(entries.begin(), entries.end(), [&](const DirEntry& a, const DirEntry& b) {
    int ra = rank(a.name), rb = rank(b.name);
    return ra != rb ? ra < rb : a.name < b.name;
  });
  e.dirSnapshot = std::move(entries);
  e.hasSnapshot = true;
  return Errno::Success;
}

Errno fdReaddir(WasiCall& c) {
  uint32_t fd = c.u32(0), buf = c.u32(1), bufLen = c.u32(2), usedPtr = c.u32(4);
  uint64_t cookie = c.u64(3);
  FdEntry* e = c.wasi.entry(fd);
  if (!e)
    return Errno::BadF;
  if (e->kind != FdKind::Directory)
    return Errno::NotDir;
  if (!(e->rightsBase & rights::kFdReaddir))
    return Errno::NotCapable;
  if (!c.mem.check(buf, bufLen) || !c.mem.check(usedPtr, 4))
    return Errno::Fault;
  if (cookie == 0 || !e->hasSnapshot)
    WASI_TRY(takeSnapshot(*e));

  // Entries are written whole while they fit; the first that does not is
  // written truncated to fill the buffer, which tells the guest (bufused ==
  // buf_len) to read again from the last whole entry's d_next.
  uint64_t used = 0;
  uint8_t header[layout::kDirentSize];
  for (uint64_t i = cookie; i < e->dirSnapshot.size() && used < bufLen; ++i) {
    const DirEntry& d = e->dirSnapshot[i];
    std::memset(header, 0, sizeof header);
    uint64_t next = i + 1;
    uint64_t ino = d.ino;
    uint32_t namlen = uint32_t(d.name.size());
    for (int b = 0; b < 8; ++b) {
      header[layout::kDirentNext + b] = uint8_t(next >> (8 * b));
      header[layout::kDirentIno + b] = uint8_t(ino >> (8 * b));
    }
    for (int b = 0; b < 4; ++b)
      header[layout::kDirentNamlen + b] = uint8_t(namlen >> (8 * b));
    header[layout::kDirentType] = uint8_t(d.type);
    uint64_t room = bufLen - used;
    uint64_t n = std::min<uint64_t>(room, sizeof header);
    WASI_TRY(c.mem.writeBytes(buf + used, std::span<const uint8_t>(header, size_t(n))));
    used += n;
    room -= n;
    uint64_t m = std::min<uint64_t>(room, d.name.size());
    WASI_TRY(c.mem.writeBytes(buf + used, std::string_view(d.name).substr(0, size_t(m))));
    used += m;
  }
  return c.mem.writeU32(usedPtr, uint32_t(used));
}

constexpr WasiFunctionDef kFunctions[] = {
    {"fd_readdir", "iiiIi", fdReaddir},
};

} // namespace

std::span<const WasiFunctionDef> fdDirFunctions() { return kFunctions; }

} // namespace wasmscope::runtime::wasi
