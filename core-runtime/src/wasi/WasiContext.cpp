// WasiContext: the guest's configuration and fd table, and the host module
// "wasi_snapshot_preview1" built from every area's function table.
#include "WasiState.h"

#include "wasmscope/runtime/Instance.h"
#include "wasmscope/runtime/MemoryWatch.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wasmscope::runtime {

using namespace wasi;

namespace {

/// What a stdio stream is, as the guest sees it.
struct StdioKind {
  FileType type = FileType::Unknown;
  bool terminal = false;
};

/// A stdio stream's kind, as the host sees its fd: a regular file, a
/// character device (a terminal only when isatty() says so), a socket, or
/// Unknown for a pipe (WASI has no type for one). Deterministic runs see the
/// same: only clocks and random bytes are fixed there. Output a front end
/// captures (a debugger's console) is shown as a terminal, so that a guest
/// that asks buffers by line and its output arrives as it is printed. An
/// absent stdin reads like /dev/null.
StdioKind stdioKind(int hostFd, bool captured) {
  if (captured)
    return {FileType::CharacterDevice, true};
  if (hostFd < 0)
    return {FileType::CharacterDevice, false};
  struct stat st;
  if (::fstat(hostFd, &st) != 0)
    return {};
  FileType t = fileTypeOf(st.st_mode);
  if (t == FileType::CharacterDevice)
    return {t, ::isatty(hostFd) == 1};
  // Pipes and FIFOs have no WASI type of their own.
  return {t == FileType::RegularFile || t == FileType::SocketStream ? t : FileType::Unknown,
          false};
}

std::unique_ptr<FdEntry> makeStdio(FdKind kind, StdioKind what, uint64_t rights) {
  auto e = std::make_unique<FdEntry>();
  e->kind = kind;
  e->type = what.type;
  // wasi-libc's isatty() takes a character device without the seek and tell
  // rights for a terminal: a device that is not one (/dev/null) has them.
  // They only mark it; seeking a stdio stream still gives ESPIPE.
  if (what.type == FileType::CharacterDevice && !what.terminal)
    rights |= rights::kFdSeek | rights::kFdTell;
  e->rightsBase = rights;
  e->mayBlock = what.type == FileType::Unknown || what.type == FileType::SocketStream ||
                what.terminal;
  e->rightsInheriting = 0;
  return e;
}

FuncType typeOf(const WasiFunctionDef& def) {
  FuncType t;
  for (const char* p = def.params; *p; ++p)
    t.params.push_back(*p == 'I' ? ValType::I64 : ValType::I32);
  if (def.returnsErrno)
    t.results.push_back(ValType::I32);
  return t;
}

} // namespace

WasiContext::State::State(WasiConfig c) : config(std::move(c)), rng(config.seed) {
  fds.push_back(makeStdio(FdKind::Stdin, stdioKind(config.stdinFd, false), rights::kStdin));
  bool captured = bool(config.output);
  fds.push_back(makeStdio(FdKind::Stdout, stdioKind(1, captured), rights::kStdout));
  fds.push_back(makeStdio(FdKind::Stderr, stdioKind(2, captured), rights::kStdout));
}

FdEntry* WasiContext::State::entry(uint32_t fd) {
  return fd < fds.size() ? fds[fd].get() : nullptr;
}

ErrnoOr<FdEntry*> WasiContext::State::lookup(uint32_t fd, uint64_t required) {
  FdEntry* e = entry(fd);
  if (!e)
    return Errno::BadF;
  if ((e->rightsBase & required) != required)
    return Errno::NotCapable;
  return e;
}

ErrnoOr<uint32_t> WasiContext::State::allocate(std::unique_ptr<FdEntry> e) {
  for (uint32_t i = 0; i < fds.size(); ++i) {
    if (!fds[i]) {
      fds[i] = std::move(e);
      return i;
    }
  }
  if (fds.size() >= kMaxGuestFds)
    return Errno::MFile;
  fds.push_back(std::move(e));
  return uint32_t(fds.size() - 1);
}

int WasiContext::State::stdioHostFd(const FdEntry& e) const {
  switch (e.kind) {
  case FdKind::Stdin:
    return config.stdinFd;
  case FdKind::Stdout:
    return 1;
  case FdKind::Stderr:
    return 2;
  default:
    return -1;
  }
}

WasiContext::WasiContext(WasiConfig config)
    : m_state(std::make_unique<State>(std::move(config))) {}
WasiContext::~WasiContext() = default;
WasiContext::WasiContext(WasiContext&&) noexcept = default;
WasiContext& WasiContext::operator=(WasiContext&&) noexcept = default;

const WasiConfig& WasiContext::config() const { return m_state->config; }

std::optional<uint32_t> WasiContext::exitCode() const { return m_state->exitCode; }

Result<Instance*> WasiContext::instantiate(Store& store) {
  State& s = *m_state;
  if (s.instance)
    return Error(ErrorCode::InvalidArgument, "the WASI context is already instantiated");

  for (const WasiPreopen& p : s.config.preopens) {
    int fd = ::open(p.hostPath.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      int err = errno;
      s.fds.resize(3); // Back to stdio only, so that a retry starts afresh.
      return Error(ErrorCode::IoError, "cannot open preopened directory '" + p.hostPath +
                                           "': " + std::strerror(err));
    }
    auto e = std::make_unique<FdEntry>();
    e->kind = FdKind::Directory;
    e->host.reset(fd);
    e->type = FileType::Directory;
    e->rightsBase = rights::kDirectory;
    e->rightsInheriting = rights::kInheritable;
    e->preopenName = p.guestPath.empty() ? std::string(".") : p.guestPath;
    auto slot = s.allocate(std::move(e));
    if (!slot.ok())
      return Error(ErrorCode::InvalidArgument, "too many preopened directories");
  }

  HostModuleBuilder builder(store, std::string(kWasiModuleName));
  std::span<const WasiFunctionDef> tables[] = {
      argsFunctions(), clockFunctions(), randomFunctions(), fdFunctions(), fdIoFunctions(),
      fdDirFunctions(), pathFunctions(), pathOpenFunctions(), pollFunctions(), procFunctions()};
  State* state = &s;
  for (std::span<const WasiFunctionDef> table : tables) {
    for (const WasiFunctionDef& def : table) {
      WasiHandler handler = def.handler;
      bool returnsErrno = def.returnsErrno;
      builder.function(def.name, typeOf(def),
                       [state, handler, returnsErrno](HostCall& hc, const uint64_t* args,
                                                      uint64_t* results) -> Result<void> {
                         HostMemoryWrites writes(hc.store, hc.memory);
                         WasiCall call{*state,
                                       GuestMemory(hc.memory, writes.active() ? &writes : nullptr),
                                       args, &hc.store, {}};
                         Errno e = handler(call);
                         if (call.trap) // A wait ended by a stop (or a timeout).
                           return std::move(*call.trap);
                         // Watches see what the call wrote into guest memory.
                         TRY(writes.finish());
                         if (!returnsErrno) // proc_exit: unwind the guest.
                           return Error(ErrorCode::ProcExit,
                                        "guest exited with status " +
                                            std::to_string(state->exitCode.value_or(0)));
                         results[0] = uint16_t(e);
                         return success();
                       });
    }
  }
  TRY_ASSIGN(Instance * instance, builder.build());
  s.instance = instance;
  return instance;
}

Result<void> WasiContext::define(Store& store, Linker& linker) {
  if (!m_state->instance)
    TRY(instantiate(store));
  linker.defineInstance(std::string(kWasiModuleName), *m_state->instance);
  return success();
}

Result<uint32_t> WasiContext::runStart(Store& store, const Instance& instance) {
  if (m_state->exitCode) // proc_exit already ran, in the start function.
    return *m_state->exitCode;
  FunctionInstance* start = instance.findFunction("_start");
  if (!start)
    return Error(ErrorCode::InvalidArgument, "no exported function '_start'");
  auto r = store.invoke(*start, {});
  if (r.ok())
    return 0u;
  if (isProcExit(r.error()) && m_state->exitCode)
    return *m_state->exitCode;
  return std::move(r).error();
}

} // namespace wasmscope::runtime
