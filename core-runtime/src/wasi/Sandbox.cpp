// Confined path resolution beneath a directory fd: openat2(2) with
// RESOLVE_BENEATH where the kernel has it, else a manual walk. See Sandbox.h.
#include "Sandbox.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <deque>
#include <vector>

namespace wasmscope::runtime::wasi {

namespace {

/// Symlinks followed in one resolution before ELOOP, as Linux allows.
constexpr int kMaxSymlinks = 40;

std::atomic<bool> gForceManual{false};
std::atomic<bool> gNoOpenat2{false};

bool isValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    uint8_t c = uint8_t(s[i]);
    size_t n;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      n = 1;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (s.size() - i - 1 < n)
      return false;
    for (size_t k = 1; k <= n; ++k) {
      uint8_t cc = uint8_t(s[i + k]);
      if ((cc & 0xc0) != 0x80)
        return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    // Overlong forms, surrogates and values past U+10FFFF.
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
      return false;
    i += n + 1;
  }
  return true;
}

std::deque<std::string> splitComponents(std::string_view path) {
  std::deque<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      out.emplace_back(path.substr(start));
      break;
    }
    out.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

/// The target of symlink `name` in `dir`; false when it is no symlink.
bool readLink(int dir, const char* name, std::string& out) {
  std::vector<char> buf(256);
  for (;;) {
    ssize_t n = ::readlinkat(dir, name, buf.data(), buf.size());
    if (n < 0)
      return false;
    if (size_t(n) < buf.size()) {
      out.assign(buf.data(), size_t(n));
      return true;
    }
    if (buf.size() > 65536)
      return false;
    buf.resize(buf.size() * 2);
  }
}

int retryOpenat(int dir, const char* name, int flags, mode_t mode) {
  int fd;
  do
    fd = ::openat(dir, name, flags | O_CLOEXEC, mode);
  while (fd < 0 && errno == EINTR);
  return fd;
}

/// The portable resolution: one component at a time, never following a
/// symlink in the kernel. Directories entered are kept on a stack, so `..`
/// pops it instead of asking the file system, and popping past the root is
/// refused. A symlink's target is spliced into the remaining components
/// (relative to the directory holding it); an absolute target is refused.
ErrnoOr<UniqueFd> walkBeneath(int root, std::string_view path, int flags, mode_t mode,
                              bool followFinal) {
  std::vector<UniqueFd> stack;
  auto cur = [&] { return stack.empty() ? root : stack.back().get(); };
  std::deque<std::string> comps = splitComponents(path);
  int links = 0;
  auto splice = [&](const std::string& target) -> Errno {
    if (++links > kMaxSymlinks)
      return Errno::Loop;
    if (target.empty())
      return Errno::NoEnt;
    if (target[0] == '/')
      return Errno::NotCapable;
    std::deque<std::string> t = splitComponents(target);
    comps.insert(comps.begin(), t.begin(), t.end());
    return Errno::Success;
  };

  while (!comps.empty()) {
    std::string c = std::move(comps.front());
    comps.pop_front();
    bool last = comps.empty();
    if (c.empty() || c == ".") {
      if (!last)
        continue;
      c = ".";
    } else if (c == "..") {
      if (stack.empty())
        return Errno::NotCapable;
      stack.pop_back();
      if (!last)
        continue;
      c = ".";
    }
    if (!last) {
      int fd = retryOpenat(cur(), c.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW, 0);
      if (fd >= 0) {
        stack.emplace_back(fd);
        continue;
      }
      int err = errno;
      std::string target;
      if ((err == ENOTDIR || err == ELOOP) && readLink(cur(), c.c_str(), target)) {
        WASI_TRY(splice(target));
        continue;
      }
      return fromHostErrno(err);
    }
    int fd = retryOpenat(cur(), c.c_str(), flags | O_NOFOLLOW, mode);
    if (fd >= 0) {
      UniqueFd owned(fd);
      if (followFinal && (flags & O_PATH)) {
        // O_PATH | O_NOFOLLOW opens a symlink itself: follow it here.
        struct stat st;
        if (::fstat(fd, &st) == 0 && S_ISLNK(st.st_mode)) {
          std::string target;
          if (!readLink(cur(), c.c_str(), target))
            return lastHostErrno();
          WASI_TRY(splice(target));
          continue;
        }
      }
      return owned;
    }
    int err = errno;
    std::string target;
    if (followFinal && (err == ELOOP || err == ENOTDIR) && readLink(cur(), c.c_str(), target)) {
      WASI_TRY(splice(target));
      continue;
    }
    return fromHostErrno(err);
  }
  return Errno::NoEnt; // Unreachable: splitComponents never yields nothing.
}

ErrnoOr<UniqueFd> openat2Beneath(int root, const std::string& path, int flags, mode_t mode,
                                 bool followFinal, bool& unsupported) {
  struct open_how how = {};
  how.flags = uint64_t(flags | O_CLOEXEC | (followFinal ? 0 : O_NOFOLLOW));
  // O_TMPFILE includes O_DIRECTORY's bit: test it whole. openat2 insists
  // on a zero mode unless a file may be created.
  bool creates = (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
  how.mode = creates ? mode : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  for (int attempt = 0; attempt < 16; ++attempt) {
    long fd = ::syscall(SYS_openat2, root, path.c_str(), &how, sizeof how);
    if (fd >= 0)
      return UniqueFd(int(fd));
    // EAGAIN: a concurrent rename raced with `..` resolution; retry.
    if (errno == EAGAIN || errno == EINTR)
      continue;
    if (errno == ENOSYS) {
      unsupported = true;
      return Errno::NoSys;
    }
    if (errno == EXDEV)
      return Errno::NotCapable;
    return lastHostErrno();
  }
  return Errno::Again;
}

} // namespace

void setResolveMode(ResolveMode mode) { gForceManual = mode == ResolveMode::ManualWalk; }

Errno checkGuestPath(std::string_view path) {
  if (path.empty())
    return Errno::NoEnt;
  if (path.find('\0') != std::string_view::npos)
    return Errno::Inval;
  if (path.size() > kMaxPathLength)
    return Errno::NameTooLong;
  if (!isValidUtf8(path))
    return Errno::IlSeq;
  if (path[0] == '/')
    return Errno::NotCapable;
  return Errno::Success;
}

ErrnoOr<UniqueFd> openBeneath(int root, const std::string& path, int flags, mode_t mode,
                              bool followFinal) {
  WASI_TRY(checkGuestPath(path));
  if (!gForceManual && !gNoOpenat2) {
    bool unsupported = false;
    auto r = openat2Beneath(root, path, flags, mode, followFinal, unsupported);
    if (!unsupported)
      return r;
    gNoOpenat2 = true;
  }
  return walkBeneath(root, path, flags, mode, followFinal);
}

ErrnoOr<ParentDir> openParentBeneath(int root, const std::string& path) {
  WASI_TRY(checkGuestPath(path));
  ParentDir parent;
  size_t end = path.size();
  while (end > 0 && path[end - 1] == '/')
    --end;
  parent.trailingSlash = end < path.size();
  size_t slash = path.rfind('/', end == 0 ? 0 : end - 1);
  if (slash == std::string::npos || slash >= end) {
    parent.fd = root;
    parent.name = path.substr(0, end);
    return parent;
  }
  parent.name = path.substr(slash + 1, end - slash - 1);
  // "a//b": the parent path "a/" resolves like "a".
  auto dir = openBeneath(root, path.substr(0, slash + 1), O_PATH | O_DIRECTORY, 0, true);
  if (!dir.ok())
    return dir.error();
  parent.owned = std::move(*dir);
  parent.fd = parent.owned.get();
  return parent;
}

bool symlinkTargetCannotClimb(std::string_view target) {
  if (!target.empty() && target[0] == '/')
    return false;
  for (const std::string& c : splitComponents(target))
    if (c == "..")
      return false;
  return true;
}

} // namespace wasmscope::runtime::wasi
