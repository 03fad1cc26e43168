// Format names and file extensions, dispatch to the writers, atomic writes
// and reading saved profiles.
#include "wasmscope/profiler/Formats.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace wasmscope::profiler {

using runtime::Error;
using runtime::ErrorCode;

std::optional<OutputFormat> parseFormat(std::string_view name) {
  if (name == "json")
    return OutputFormat::Json;
  if (name == "pprof")
    return OutputFormat::Pprof;
  if (name == "callgrind")
    return OutputFormat::Callgrind;
  if (name == "speedscope")
    return OutputFormat::Speedscope;
  if (name == "collapsed")
    return OutputFormat::Collapsed;
  if (name == "dhat")
    return OutputFormat::Dhat;
  return std::nullopt;
}

const char *formatName(OutputFormat format) {
  switch (format) {
  case OutputFormat::Json:
    return "json";
  case OutputFormat::Pprof:
    return "pprof";
  case OutputFormat::Callgrind:
    return "callgrind";
  case OutputFormat::Speedscope:
    return "speedscope";
  case OutputFormat::Collapsed:
    return "collapsed";
  case OutputFormat::Dhat:
    return "dhat";
  }
  return "json";
}

OutputFormat formatForPath(std::string_view path) {
  std::string_view name = path.substr(
      path.find_last_of('/') == std::string_view::npos ? 0 : path.find_last_of('/') + 1);
  auto endsWith = [&](std::string_view suffix) {
    return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
  };
  if (endsWith(".pb.gz") || endsWith(".pprof") || endsWith(".pb"))
    return OutputFormat::Pprof;
  if (name.rfind("callgrind.out", 0) == 0 || endsWith(".callgrind"))
    return OutputFormat::Callgrind;
  if (endsWith(".speedscope.json") || endsWith(".speedscope"))
    return OutputFormat::Speedscope;
  if (endsWith(".collapsed") || endsWith(".folded"))
    return OutputFormat::Collapsed;
  if (name.rfind("dhat.out", 0) == 0 || endsWith(".dhat.json") || endsWith(".dhat"))
    return OutputFormat::Dhat;
  return OutputFormat::Json;
}

Result<std::string> writeProfile(const Profile &profile, OutputFormat format) {
  switch (format) {
  case OutputFormat::Json:
    return writeJson(profile);
  case OutputFormat::Pprof:
    return writePprof(profile);
  case OutputFormat::Callgrind:
    return writeCallgrind(profile);
  case OutputFormat::Speedscope:
    return writeSpeedscope(profile);
  case OutputFormat::Collapsed:
    return writeCollapsed(profile);
  case OutputFormat::Dhat:
    return writeDhat(profile);
  }
  return writeJson(profile);
}

Result<void> writeFileAtomically(const std::string &path, std::string_view bytes) {
  namespace fs = std::filesystem;
  fs::path target(path);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string templ = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
  std::vector<char> name(templ.begin(), templ.end());
  name.push_back('\0');
  int fd = mkstemp(name.data());
  if (fd < 0)
    return Error(ErrorCode::IoError, "cannot write '" + path + "': " + std::strerror(errno));
  auto cleanup = [&](const std::string &why) {
    int e = errno;
    ::close(fd);
    ::unlink(name.data());
    return Error(ErrorCode::IoError,
                 "cannot write '" + path + "': " + why + ": " + std::strerror(e));
  };
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return cleanup("write failed");
    }
    done += size_t(n);
  }
  // Readable like any file the user creates (mkstemp makes it 0600).
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  if (::fsync(fd) != 0)
    return cleanup("fsync failed");
  if (::close(fd) != 0) {
    ::unlink(name.data());
    return Error(ErrorCode::IoError, "cannot write '" + path + "': close failed");
  }
  if (::rename(name.data(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(name.data());
    return Error(ErrorCode::IoError, "cannot write '" + path + "': " + std::strerror(e));
  }
  return runtime::success();
}

Result<Profile> readProfileFile(const std::string &path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return Error(ErrorCode::IoError, "cannot open '" + path + "': " + std::strerror(errno));
  if (!S_ISREG(st.st_mode))
    return Error(ErrorCode::IoError, "cannot read '" + path + "': not a regular file");
  constexpr off_t kMaxProfileBytes = off_t(4) << 30;
  if (st.st_size > kMaxProfileBytes)
    return Error(ErrorCode::IoError, "cannot read '" + path + "': larger than 4 GiB");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Error(ErrorCode::IoError, "cannot open '" + path + "': " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  std::string data = text.str();
  if (data.size() >= 2 && uint8_t(data[0]) == 0x1f && uint8_t(data[1]) == 0x8b)
    return Error(ErrorCode::InvalidArgument,
                 path + ": a gzip file (pprof?); only wasmscope's JSON profiles can be read back");
  auto profile = readJson(data);
  if (!profile.ok())
    return Error(ErrorCode::InvalidArgument, path + ": " + profile.error().message);
  return profile;
}

} // namespace wasmscope::profiler
