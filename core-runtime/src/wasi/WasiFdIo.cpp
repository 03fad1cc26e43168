// Data transfer: fd_read, fd_write, fd_pread, fd_pwrite. Every iovec is
// checked against guest memory before any byte moves, so a bad pointer
// gives EFAULT with no input consumed and nothing written.
#include "WasiState.h"

#include <poll.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>

namespace wasmscope::runtime::wasi {

namespace {

/// Host iovecs for checked guest ranges: empty ones dropped, at most IOV_MAX,
/// and a total that fits the 32-bit count the guest gets back.
std::vector<iovec> hostIovecs(const GuestMemory& mem, const std::vector<GuestRange>& ranges) {
  std::vector<iovec> out;
  uint64_t total = 0;
  for (const GuestRange& r : ranges) {
    if (r.len == 0)
      continue;
    if (out.size() == IOV_MAX || total + r.len > uint64_t(INT32_MAX))
      break;
    out.push_back({mem.pointer(r.addr), r.len});
    total += r.len;
  }
  return out;
}

/// Delivers guest output of a Stdout or Stderr entry: to the capture
/// callback, or to the host's fd 1 or 2. A full pipe there must not make the
/// guest unstoppable: each chunk waits for room interruptibly and is at most
/// PIPE_BUF bytes, which a pipe with room takes without blocking.
Errno writeOutput(WasiCall& c, const FdEntry& e, std::string_view bytes) {
  int fd = e.kind == FdKind::Stdout ? 1 : 2;
  if (c.wasi.config.output) {
    c.wasi.config.output(fd, bytes);
    return Errno::Success;
  }
  // Files and devices such as /dev/null take what is written at once.
  bool interruptible = e.mayBlock && c.store && c.store->interruptFd() >= 0;
  while (!bytes.empty()) {
    if (interruptible)
      WASI_TRY(waitForFd(c, fd, POLLOUT));
    size_t chunk = interruptible ? std::min<size_t>(bytes.size(), PIPE_BUF) : bytes.size();
    ssize_t n = ::write(fd, bytes.data(), chunk);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN)
        continue;
      return lastHostErrno();
    }
    bytes.remove_prefix(size_t(n));
  }
  return Errno::Success;
}

/// The entry and host fd for a transfer in `direction` (kFdRead or kFdWrite).
ErrnoOr<FdEntry*> transferEntry(WasiCall& c, uint32_t fd, uint64_t direction, bool positioned) {
  FdEntry* e = c.wasi.entry(fd);
  if (!e)
    return Errno::BadF;
  if (e->kind == FdKind::Directory)
    return direction == rights::kFdRead ? Errno::IsDir : Errno::BadF;
  // Reading a write-only fd (or the reverse) is EBADF, as in POSIX.
  if (!(e->rightsBase & direction))
    return Errno::BadF;
  if (positioned) {
    if (e->isStdio())
      return Errno::SPipe;
    if (!(e->rightsBase & rights::kFdSeek))
      return Errno::NotCapable;
  }
  return e;
}

Errno readInto(WasiCall& c, bool positioned) {
  uint32_t fd = c.u32(0), iovs = c.u32(1), iovsLen = c.u32(2);
  uint64_t offset = positioned ? c.u64(3) : 0;
  uint32_t out = c.u32(positioned ? 4 : 3);
  auto e = transferEntry(c, fd, rights::kFdRead, positioned);
  if (!e.ok())
    return e.error();
  // Linux's readv and writev refuse more than IOV_MAX iovecs with EINVAL;
  // refusing them here also bounds what the host allocates.
  if (iovsLen > IOV_MAX)
    return Errno::Inval;
  std::vector<GuestRange> ranges;
  WASI_TRY(c.mem.readIovecs(iovs, iovsLen, ranges));
  if (!c.mem.check(out, 4))
    return Errno::Fault;
  if (positioned && offset > uint64_t(INT64_MAX))
    return Errno::Inval;
  int host = (*e)->isStdio() ? c.wasi.stdioHostFd(**e) : (*e)->host.get();
  std::vector<iovec> iov = hostIovecs(c.mem, ranges);
  ssize_t n = 0;
  // Stdin may be a pipe or terminal with nothing to read yet: wait for input
  // in a way a debugger's pause or terminate, or a timeout, can end.
  if (host >= 0 && !iov.empty() && (*e)->kind == FdKind::Stdin && (*e)->mayBlock)
    WASI_TRY(waitForFd(c, host, POLLIN));
  if (host >= 0 && !iov.empty()) {
    do
      n = positioned ? ::preadv(host, iov.data(), int(iov.size()), off_t(offset))
                     : ::readv(host, iov.data(), int(iov.size()));
    while (n < 0 && errno == EINTR);
    if (n < 0)
      return lastHostErrno();
    c.mem.wrote(ranges, uint64_t(n));
  }
  return c.mem.writeU32(out, uint32_t(n));
}

Errno writeFrom(WasiCall& c, bool positioned) {
  uint32_t fd = c.u32(0), iovs = c.u32(1), iovsLen = c.u32(2);
  uint64_t offset = positioned ? c.u64(3) : 0;
  uint32_t out = c.u32(positioned ? 4 : 3);
  auto e = transferEntry(c, fd, rights::kFdWrite, positioned);
  if (!e.ok())
    return e.error();
  // Linux's readv and writev refuse more than IOV_MAX iovecs with EINVAL;
  // refusing them here also bounds what the host allocates.
  if (iovsLen > IOV_MAX)
    return Errno::Inval;
  std::vector<GuestRange> ranges;
  WASI_TRY(c.mem.readIovecs(iovs, iovsLen, ranges));
  if (!c.mem.check(out, 4))
    return Errno::Fault;
  if (positioned && offset > uint64_t(INT64_MAX))
    return Errno::Inval;
  std::vector<iovec> iov = hostIovecs(c.mem, ranges);
  FdEntry& entry = **e;
  if (entry.kind == FdKind::Stdout || entry.kind == FdKind::Stderr) {
    uint32_t total = 0;
    for (const iovec& v : iov) {
      WASI_TRY(writeOutput(c, entry, {static_cast<const char*>(v.iov_base), v.iov_len}));
      total += uint32_t(v.iov_len);
    }
    return c.mem.writeU32(out, total);
  }
  ssize_t n = 0;
  if (!iov.empty()) {
    do
      n = positioned ? ::pwritev(entry.host.get(), iov.data(), int(iov.size()), off_t(offset))
                     : ::writev(entry.host.get(), iov.data(), int(iov.size()));
    while (n < 0 && errno == EINTR);
    if (n < 0)
      return lastHostErrno();
  }
  return c.mem.writeU32(out, uint32_t(n));
}

Errno fdRead(WasiCall& c) { return readInto(c, false); }
Errno fdPread(WasiCall& c) { return readInto(c, true); }
Errno fdWrite(WasiCall& c) { return writeFrom(c, false); }
Errno fdPwrite(WasiCall& c) { return writeFrom(c, true); }

constexpr WasiFunctionDef kFunctions[] = {
    {"fd_read", "iiii", fdRead},
    {"fd_pread", "iiiIi", fdPread},
    {"fd_write", "iiii", fdWrite},
    {"fd_pwrite", "iiiIi", fdPwrite},
};

} // namespace

std::span<const WasiFunctionDef> fdIoFunctions() { return kFunctions; }

} // namespace wasmscope::runtime::wasi
