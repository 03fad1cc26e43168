// Memory watches: the probe kind behind data breakpoints (watchpoints). A
// watch names a byte range of one linear memory and the accesses it cares
// about; its hook runs on every access that touches the range, with the
// bytes of the overlap before and after. While no watch exists the
// interpreter runs its ordinary dispatch tables and pays nothing; with one,
// loads, stores and the bulk memory instructions dispatch to handlers that
// test the access against the watched ranges first (a bounds pair rejects
// most accesses in two compares). Host functions that write guest memory
// (WASI's fd_read, random_get, the result words of every call) report their
// writes through HostMemoryWrites, so those trigger write watches too.
#pragma once

#include "wasmscope/runtime/Probes.h"
#include "wasmscope/runtime/Result.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

namespace wasmscope::runtime {

struct MemoryInstance;
class Store;

/// Which accesses a watch reports. The values are bit masks.
enum class WatchAccess : uint8_t {
  Read = 1,
  Write = 2,
  ReadWrite = 3,
};
/// "read", "write", "readWrite" (the DAP spelling).
const char* watchAccessName(WatchAccess access);

using WatchId = uint64_t;

/// Where an access came from.
enum class AccessSource : uint8_t {
  Instruction, ///< A load or store instruction.
  Bulk,        ///< memory.copy, memory.fill or memory.init.
  Host,        ///< A host function (WASI) writing guest memory.
};

/// One access that touched a watched range, as the watch's hook sees it.
/// The spans are valid only during the hook call.
struct MemoryAccess {
  WatchId watch = 0;
  WatchAccess kind = WatchAccess::Read; ///< Read or Write: what the access did.
  AccessSource source = AccessSource::Instruction;
  /// The part of the watched range the access touched.
  uint64_t address = 0;
  uint64_t size = 0;
  /// The whole access (a 4-byte store, a 1 MiB memory.fill, a read(2)).
  uint64_t accessAddress = 0;
  uint64_t accessSize = 0;
  /// The touched bytes before and after the access. For a read both hold
  /// the bytes read.
  std::span<const uint8_t> oldBytes;
  std::span<const uint8_t> newBytes;
};

/// Runs on the guest thread after a write (so memory already holds the new
/// bytes) or before a read. `ctx` is the wasm frame doing the access (for a
/// host write: the frame calling the host function, at the call). Stop ends
/// the guest with ErrorCode::Interrupted, as a local probe's Stop does.
using WatchHook = std::function<ProbeAction(ProbeContext& ctx, const MemoryAccess& access)>;

/// The watched ranges of a store. The interpreter reads `lo`/`hi` inline to
/// reject accesses that touch no watched range; everything else is out of
/// line.
class MemoryWatchSet {
public:
  struct Watch {
    WatchId id = 0;
    const MemoryInstance* memory = nullptr;
    uint64_t begin = 0;
    uint64_t end = 0; ///< Exclusive.
    WatchAccess access = WatchAccess::Write;
    std::shared_ptr<WatchHook> hook;
  };

  bool empty() const { return m_watches.empty(); }
  const std::vector<Watch>& watches() const { return m_watches; }
  /// Whether [address, address + size) may touch a watched range: false is
  /// exact, true needs matching().
  bool mayTouch(uint64_t address, uint64_t size) const {
    return address < m_hi && address + size > m_lo;
  }
  /// The bounds of all watched ranges, [lo, hi) (empty when lo >= hi), for
  /// the interpreter to keep in registers between changes.
  uint64_t lo() const { return m_lo; }
  uint64_t hi() const { return m_hi; }
  /// The watches of `memory` whose range [address, address + size) touches
  /// and whose access mask includes `kind`, in the order they were added.
  std::vector<const Watch*> matching(const MemoryInstance* memory, uint64_t address,
                                     uint64_t size, WatchAccess kind) const;
  /// Whether any watch of `memory` reports writes.
  bool watchesWrites(const MemoryInstance* memory) const;

  WatchId add(const MemoryInstance* memory, uint64_t begin, uint64_t end, WatchAccess access,
              WatchHook hook);
  bool remove(WatchId id);

  /// Bumped on every add and remove, so a walk over matching() can tell
  /// that a hook changed the set.
  uint64_t generation() const { return m_generation; }

private:
  void updateBounds();

  std::vector<Watch> m_watches;
  uint64_t m_lo = UINT64_MAX;
  uint64_t m_hi = 0;
  WatchId m_nextId = 1;
  uint64_t m_generation = 0;
};

/// Collects the guest-memory writes of one host function call and reports
/// those that touch write watches when the call ends. Cheap when nothing is
/// watched: active() is false and record() returns at once.
class HostMemoryWrites {
public:
  /// Snapshots the watched bytes of `memory` (which may be null).
  HostMemoryWrites(Store& store, MemoryInstance* memory);
  HostMemoryWrites(const HostMemoryWrites&) = delete;
  HostMemoryWrites& operator=(const HostMemoryWrites&) = delete;

  bool active() const { return m_active; }
  /// The host wrote [address, address + size) of the memory.
  void record(uint64_t address, uint64_t size);
  /// Runs the hooks of the watches the recorded writes touched, in the order
  /// of the writes. Fails with ErrorCode::Interrupted when a hook said Stop.
  Result<void> finish();

private:
  struct Snapshot {
    WatchId id;
    uint64_t begin;
    std::vector<uint8_t> bytes;
  };
  struct Write {
    uint64_t address;
    uint64_t size;
  };
  Store& m_store;
  MemoryInstance* m_memory;
  bool m_active = false;
  std::vector<Snapshot> m_snapshots;
  std::vector<Write> m_writes;
};

} // namespace wasmscope::runtime
