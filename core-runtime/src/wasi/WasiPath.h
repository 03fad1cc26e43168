// Helpers shared by the path family (WasiPath.cpp, WasiPathOpen.cpp).
#pragma once

#include "Sandbox.h"
#include "WasiState.h"

#include <string>

namespace wasmscope::runtime::wasi {

/// The directory fd a path is relative to: EBADF when `fd` is not open,
/// ENOTDIR when it is no directory, ENOTCAPABLE without `required`.
ErrnoOr<FdEntry*> directoryEntry(WasiCall& c, uint32_t fd, uint64_t required);

/// Copies the guest path at [ptr, ptr + len): EFAULT out of bounds,
/// ENAMETOOLONG beyond kMaxPathLength.
Errno guestPath(WasiCall& c, uint32_t ptr, uint32_t len, std::string& out);

/// For operations whose final component is "." or "..": ENOTCAPABLE when
/// `path` itself leads out of `root`, its resolution error if it fails, and
/// `otherwise` when it names a directory beneath `root`.
Errno dotsError(int root, const std::string& path, Errno otherwise);

} // namespace wasmscope::runtime::wasi
