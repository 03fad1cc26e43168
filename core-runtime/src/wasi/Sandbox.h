// Path resolution that cannot leave a directory. Every guest path is
// resolved relative to one of the guest's directory fds, and no step of the
// resolution may climb above it: not by `..`, not by an absolute path, not
// through a symlink (absolute or relative, at any component). On Linux the
// kernel enforces this with openat2(2) RESOLVE_BENEATH; where openat2 is
// missing, a component-by-component walk with O_NOFOLLOW does the same.
//
// Operations on a final component (unlink, rmdir, rename, link, symlink,
// readlink, mkdir, utimes without following) open the *parent* beneath the
// directory and then call the *at syscall with a single name, which never
// follows a symlink there.
#pragma once

#include "UniqueFd.h"
#include "WasiAbi.h"

#include <sys/types.h>

#include <string>
#include <string_view>

namespace wasmscope::runtime::wasi {

/// Largest accepted guest path, in bytes (PATH_MAX less the terminator).
inline constexpr size_t kMaxPathLength = 4095;

/// Checks a guest path before any syscall sees it: ENOENT when empty, EINVAL
/// with a NUL byte, ENAMETOOLONG when too long, EILSEQ when not UTF-8, and
/// ENOTCAPABLE when absolute.
Errno checkGuestPath(std::string_view path);

/// Opens `path` beneath directory `root` with open(2) `flags` (O_CLOEXEC is
/// added). A final symlink is followed only with `followFinal`, and only to a
/// target beneath `root`. A resolution that would leave `root` fails with
/// ENOTCAPABLE.
ErrnoOr<UniqueFd> openBeneath(int root, const std::string& path, int flags, mode_t mode,
                              bool followFinal);

/// The directory holding a path's final component, and that component.
struct ParentDir {
  UniqueFd owned;            ///< Set when the parent is not `root` itself.
  int fd = -1;               ///< The parent directory (owned or root).
  std::string name;          ///< Final component: no '/', may be "." or "..".
  bool trailingSlash = false; ///< The path ended in '/': the target must be a directory.

  bool isDots() const { return name == "." || name == ".."; }
};

/// Opens the parent of `path` beneath `root` (following symlinks in the
/// leading components, confined like openBeneath).
ErrnoOr<ParentDir> openParentBeneath(int root, const std::string& path);

/// Whether a symlink target names something beneath the link's directory
/// whatever its components resolve to: relative, with no `..` component.
/// A lexical depth check is not enough: `..` after a component that is itself
/// a symlink climbs from wherever that link leads, so chained links could
/// point a host program walking the tree out of the preopen.
bool symlinkTargetCannotClimb(std::string_view target);

/// Resolution strategy; tests force the portable walk to cover it.
enum class ResolveMode { Auto, ManualWalk };
void setResolveMode(ResolveMode mode);

} // namespace wasmscope::runtime::wasi
