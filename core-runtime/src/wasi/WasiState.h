// The state behind the WASI host functions (the fd table, clocks, random
// source, exit status) and the table format each area file uses to declare
// its functions.
#pragma once

#include "GuestMemory.h"
#include "UniqueFd.h"
#include "WasiAbi.h"

#include "wasmscope/runtime/Wasi.h"

#include <poll.h>
#include <sys/stat.h>
#include <time.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace wasmscope::runtime::wasi {

/// What a guest fd stands for.
enum class FdKind : uint8_t { Stdin, Stdout, Stderr, File, Directory };

/// One directory entry as fd_readdir reports it.
struct DirEntry {
  std::string name;
  uint64_t ino = 0;
  FileType type = FileType::Unknown;
};

/// One slot of the guest's fd table.
struct FdEntry {
  FdKind kind = FdKind::File;
  UniqueFd host; ///< Owned host fd (files and directories).
  FileType type = FileType::Unknown;
  uint16_t flags = 0; ///< fdflags
  uint64_t rightsBase = 0;
  uint64_t rightsInheriting = 0;
  std::optional<std::string> preopenName; ///< Set for preopened directories.
  /// A stdio stream whose host fd can keep a read or write waiting (a pipe,
  /// a socket, a terminal): waits on it go through poll, interruptibly.
  bool mayBlock = false;
  /// fd_readdir's snapshot of the directory, taken at cookie 0.
  std::vector<DirEntry> dirSnapshot;
  bool hasSnapshot = false;

  bool isStdio() const { return kind == FdKind::Stdin || kind == FdKind::Stdout || kind == FdKind::Stderr; }
};

/// Most guest fds open at once; path_open beyond gives EMFILE.
inline constexpr uint32_t kMaxGuestFds = 1024;

/// A small deterministic generator (xoshiro256**) for seeded random_get.
class SeededRandom {
public:
  explicit SeededRandom(uint64_t seed);
  uint64_t next();
  void fill(uint8_t* out, size_t len);

private:
  uint64_t m_s[4];
};

} // namespace wasmscope::runtime::wasi

namespace wasmscope::runtime {

struct WasiContext::State {
  explicit State(WasiConfig c);

  WasiConfig config;
  std::vector<std::unique_ptr<wasi::FdEntry>> fds; ///< Indexed by guest fd; null when free.
  std::optional<uint32_t> exitCode;
  Instance* instance = nullptr;

  // Deterministic mode: the fake clock (ns since the run began) and seeded bytes.
  uint64_t fakeNanos = 0;
  wasi::SeededRandom rng;

  /// The entry for guest fd `fd`, or null when it is not open.
  wasi::FdEntry* entry(uint32_t fd);
  /// Looks `fd` up and checks it holds every right in `required`: EBADF when
  /// not open, ENOTCAPABLE when a right is missing.
  wasi::ErrnoOr<wasi::FdEntry*> lookup(uint32_t fd, uint64_t required);
  /// Puts `e` in the lowest free slot; EMFILE when the table is full.
  wasi::ErrnoOr<uint32_t> allocate(std::unique_ptr<wasi::FdEntry> e);

  /// Host fd a stdio entry reads or writes, or -1.
  int stdioHostFd(const wasi::FdEntry& e) const;

  /// Reads `clock` now (fake in deterministic mode; reading advances it).
  wasi::ErrnoOr<uint64_t> now(uint32_t clock);
};

} // namespace wasmscope::runtime

namespace wasmscope::runtime::wasi {

using State = WasiContext::State;

/// What a WASI function receives: the state, the caller's memory and the raw
/// argument slots (i32 in the low 32 bits).
struct WasiCall {
  State& wasi;
  GuestMemory mem;
  const uint64_t* args;
  /// The calling guest's store, whose interrupts end or pause a wait.
  Store* store = nullptr;
  /// Set when a wait was interrupted by a stop: the guest traps at the call
  /// with this error, whatever errno the handler returns.
  std::optional<Error> trap;

  uint32_t u32(size_t i) const { return uint32_t(args[i]); }
  uint64_t u64(size_t i) const { return args[i]; }
};

/// ppoll(2) on `fds` for at most `timeoutNs` (-1: no limit) that the guest's
/// store can interrupt (WasiWait.cpp): the number of ready fds (0 on
/// timeout), or an errno; EINTR with `c.trap` set when a stop ended it.
/// After a pause the wait goes on until its original deadline.
ErrnoOr<int> waitInterruptibly(WasiCall& c, std::vector<pollfd>& fds, int64_t timeoutNs);
/// Waits until host `fd` has `events` (POLLIN, POLLOUT) before a read or
/// write that would block, interruptibly; at once when the store cannot be
/// interrupted. EINTR with `c.trap` set when a stop ended the wait.
Errno waitForFd(WasiCall& c, int fd, short events);

using WasiHandler = Errno (*)(WasiCall& call);

/// One WASI import. `params` spells the wasm parameter types, 'i' for i32
/// and 'I' for i64; every function returns an errno (i32) unless
/// `returnsErrno` is false (proc_exit).
struct WasiFunctionDef {
  const char* name;
  const char* params;
  WasiHandler handler;
  bool returnsErrno = true;
};

// Each area file lists its functions.
std::span<const WasiFunctionDef> argsFunctions();  // WasiArgs.cpp
std::span<const WasiFunctionDef> clockFunctions(); // WasiClock.cpp
std::span<const WasiFunctionDef> randomFunctions(); // WasiRandom.cpp
std::span<const WasiFunctionDef> fdFunctions();    // WasiFd.cpp
std::span<const WasiFunctionDef> fdIoFunctions();  // WasiFdIo.cpp
std::span<const WasiFunctionDef> fdDirFunctions(); // WasiFdDir.cpp
std::span<const WasiFunctionDef> pathFunctions();  // WasiPath.cpp
std::span<const WasiFunctionDef> pathOpenFunctions(); // WasiPathOpen.cpp
std::span<const WasiFunctionDef> pollFunctions();  // WasiPoll.cpp
std::span<const WasiFunctionDef> procFunctions();  // WasiProc.cpp

/// Filestat from a host stat, written at `addr` (64 bytes).
Errno writeFilestat(const GuestMemory& mem, uint64_t addr, const struct ::stat& st);
FileType fileTypeOf(uint32_t hostMode);
/// Host timespec from a WASI timestamp and flags for one of atim/mtim.
Errno timesFromFlags(uint64_t atim, uint64_t mtim, uint16_t fstFlags, struct ::timespec out[2]);

} // namespace wasmscope::runtime::wasi
