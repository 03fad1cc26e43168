// Reading a module file safely. A path from a user or a DAP client may name
// anything: a directory, a FIFO that blocks forever, /dev/zero that never
// ends, a file that changes while read. Only regular files are read, with a
// size cap, to exactly their size at open time.
#include "wasmscope/runtime/Launch.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wasmscope::runtime {

namespace {

Error ioError(const std::string& path, const std::string& reason) {
  return Error(ErrorCode::IoError, "cannot read '" + path + "': " + reason);
}

std::string fileKind(mode_t mode) {
  if (S_ISDIR(mode))
    return "it is a directory";
  if (S_ISFIFO(mode))
    return "it is a FIFO (named pipe), not a regular file";
  if (S_ISSOCK(mode))
    return "it is a socket, not a regular file";
  if (S_ISCHR(mode) || S_ISBLK(mode))
    return "it is a device, not a regular file";
  return "it is not a regular file";
}

/// Closes the descriptor on every path out.
struct FdCloser {
  int fd;
  ~FdCloser() { ::close(fd); }
};

} // namespace

Result<std::vector<uint8_t>> readModuleFile(const std::string& path, uint64_t maxBytes) {
  if (path.empty())
    return Error(ErrorCode::InvalidArgument, "no module path given");
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    int err = errno;
    return Error(ErrorCode::IoError, "cannot open '" + path + "': " + std::strerror(err));
  }
  FdCloser closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    return ioError(path, std::strerror(errno));
  if (!S_ISREG(st.st_mode))
    return ioError(path, fileKind(st.st_mode));
  uint64_t size = uint64_t(st.st_size);
  if (size > maxBytes)
    return ioError(path, "it is " + std::to_string(size) + " bytes, more than the " +
                             std::to_string(maxBytes) + "-byte limit for a module");

  std::vector<uint8_t> bytes(size);
  uint64_t done = 0;
  while (done < size) {
    ssize_t n = ::read(fd, bytes.data() + done, size - done);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN)
        continue;
      return ioError(path, std::strerror(errno));
    }
    if (n == 0)
      return ioError(path, "it shrank while being read (" + std::to_string(done) + " of " +
                               std::to_string(size) + " bytes)");
    done += uint64_t(n);
  }
  return bytes;
}

} // namespace wasmscope::runtime
