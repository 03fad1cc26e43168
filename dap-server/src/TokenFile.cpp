// Writing a server's access token to a file only its owner can read (see
// writeTokenFile in Server.h).
#include "wasmscope/dap/Server.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wasmscope::dap {

Result<void> writeTokenFile(const std::string& path, const std::string& token) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    return runtime::Error(runtime::ErrorCode::IoError,
                          "cannot write token file '" + path + "': " + std::strerror(errno));
  // An existing file keeps its mode through O_TRUNC: set it.
  std::string text = token + "\n";
  bool ok = ::fchmod(fd, 0600) == 0 &&
            ::write(fd, text.data(), text.size()) == ssize_t(text.size());
  ::close(fd);
  if (!ok)
    return runtime::Error(runtime::ErrorCode::IoError, "cannot write token file '" + path + "'");
  return {};
}

} // namespace wasmscope::dap
