// The leak check's scan (LeakCheck.h): memcheck's marking and clique
// passes over wasm32 linear memory. Candidate pointers are aligned 4-byte
// words in root ranges and live blocks, and the root values (globals,
// locals, operand slots); a candidate counts when it falls on a block's
// start or inside it. Everything stays inside `memory`: ranges and blocks
// are clipped to its size, so a corrupt heap view cannot read out of bounds.
#include "LeakCheck.h"

#include "wasmscope/runtime/Instance.h"

#include <algorithm>
#include <cstring>

namespace wasmscope::profiler {

namespace {

enum class Mark : uint8_t { Unreached, Possible, Reachable, Indirect };

class Scanner {
public:
  Scanner(std::span<const uint8_t> memory, const std::vector<HeapBlock> &blocks,
          const ScanRoots &roots, const ScanOptions &options)
      : m_memory(memory), m_blocks(blocks), m_roots(roots), m_options(options),
        m_marks(blocks.size()), m_heuristic(blocks.size(), LeakHeuristic::None),
        m_clique(blocks.size(), UINT32_MAX), m_indirect(blocks.size(), 0) {
    if (!blocks.empty()) {
      m_low = blocks.front().address;
      for (const HeapBlock &b : blocks)
        m_high = std::max<uint64_t>(m_high, uint64_t(b.address) + std::max<uint32_t>(b.size, 1));
    }
  }

  /// The block containing `address` (a zero-sized block contains its start).
  std::optional<uint32_t> blockAt(uint32_t address) const {
    // Most words are no pointers at all: one compare rejects them.
    if (address < m_low || address >= m_high)
      return std::nullopt;
    auto it = std::upper_bound(
        m_blocks.begin(), m_blocks.end(), address,
        [](uint32_t a, const HeapBlock &b) { return a < b.address; });
    if (it == m_blocks.begin())
      return std::nullopt;
    --it;
    uint64_t end = uint64_t(it->address) + std::max<uint32_t>(it->size, 1);
    if (address >= end)
      return std::nullopt;
    return uint32_t(it - m_blocks.begin());
  }

  /// Calls `f(location, value)` for each aligned word of [begin, end).
  template <typename F> void words(uint64_t begin, uint64_t end, F &&f) {
    end = std::min<uint64_t>(end, m_memory.size());
    begin = (begin + 3) & ~uint64_t(3);
    for (uint64_t at = begin; at + 4 <= end; at += 4) {
      uint32_t v;
      std::memcpy(&v, m_memory.data() + at, 4);
      f(uint32_t(at), v);
    }
  }

  uint32_t word(uint64_t address) const {
    if (address + 4 > m_memory.size())
      return 0;
    uint32_t v;
    std::memcpy(&v, m_memory.data() + address, 4);
    return v;
  }

  /// A vtable pointer: into read-only data (the data segments), aligned,
  /// at a first virtual function that is a non-null entry of the function
  /// table (in wasm a vtable holds table indices, not code addresses).
  bool isVtable(uint32_t value) const {
    if (!m_roots.functionTable || value == 0 || value % 4 != 0)
      return false;
    bool inData = false;
    for (const ScanRoots::Range &r : m_roots.readOnly)
      inData |= value >= r.begin && uint64_t(value) + 4 <= r.end;
    if (!inData)
      return false;
    uint32_t index = word(value);
    const std::vector<uint64_t> &elems = m_roots.functionTable->elems;
    return index != 0 && index < elems.size() && elems[index] != 0;
  }

  /// memcheck's --leak-check-heuristics (all on, its default): an interior
  /// pointer that a known layout explains counts as a start pointer.
  LeakHeuristic heuristicFor(const HeapBlock &block, uint32_t value) const {
    uint64_t offset = value - block.address;
    uint64_t size = block.size;
    // libstdc++'s reference-counted std::string: a pointer to the
    // characters after a header of length, capacity and reference count.
    if (offset == 3 * 4 && size >= 3 * 4 + 1) {
      uint32_t length = word(block.address), capacity = word(block.address + 4);
      if (length <= capacity && uint64_t(capacity) + 3 * 4 + 1 <= size)
        return LeakHeuristic::StdString;
    }
    // A block starting with the 64-bit length of what follows.
    if (offset == 8 && size >= 8) {
      uint64_t length = uint64_t(word(block.address)) | uint64_t(word(block.address + 4)) << 32;
      if (length == size - 8)
        return LeakHeuristic::Length64;
    }
    // new[] of objects with a destructor: the array cookie (the element
    // count, one size_t) then the elements, whose sizes divide the rest.
    if (offset == 4 && size > 4) {
      uint32_t count = word(block.address);
      if (count > 0 && (size - 4) % count == 0 && (size - 4) / count >= 1)
        return LeakHeuristic::NewArray;
    }
    // A pointer to a base-class subobject: a vtable pointer there and at the
    // start of the block (the most derived object's).
    if (offset % 4 == 0 && offset + 4 <= size && isVtable(word(value)) &&
        isVtable(word(block.address)))
      return LeakHeuristic::MultipleInheritance;
    return LeakHeuristic::None;
  }

  /// A pointer `value` seen from something `definite` (a root, or a block
  /// reachable by start pointers) or not.
  void markFrom(uint32_t value, bool definite) {
    std::optional<uint32_t> b = blockAt(value);
    if (!b)
      return;
    bool start = value == m_blocks[*b].address;
    LeakHeuristic heuristic = LeakHeuristic::None;
    if (definite && !start)
      heuristic = heuristicFor(m_blocks[*b], value);
    Mark want = definite && (start || heuristic != LeakHeuristic::None) ? Mark::Reachable
                                                                         : Mark::Possible;
    if (want == Mark::Reachable) {
      // Reached by a plain start pointer: no heuristic needed after all.
      if (m_marks[*b] == Mark::Reachable) {
        if (start)
          m_heuristic[*b] = LeakHeuristic::None;
        return;
      }
      m_heuristic[*b] = heuristic;
    }
    if (m_marks[*b] == Mark::Reachable || m_marks[*b] == want)
      return;
    m_marks[*b] = want;
    m_work.push_back(*b);
  }

  void markPhase(const ScanRoots &roots) {
    for (const ScanRoots::Range &r : roots.memory) {
      words(r.begin, r.end, [&](uint32_t, uint32_t v) { markFrom(v, true); });
      m_rootBytes += r.end > r.begin ? r.end - r.begin : 0;
    }
    for (const ScanRoots::Value &v : roots.values)
      markFrom(v.value, true);
    while (!m_work.empty()) {
      uint32_t b = m_work.back();
      m_work.pop_back();
      bool definite = m_marks[b] == Mark::Reachable;
      const HeapBlock &block = m_blocks[b];
      words(block.address, uint64_t(block.address) + block.size,
            [&](uint32_t, uint32_t v) { markFrom(v, definite); });
    }
  }

  /// Every unreached block, in address order, leads a clique of the
  /// unreached blocks it reaches; a leader reached by a later clique joins
  /// it with its own clique's bytes.
  void cliquePhase() {
    for (uint32_t leader = 0; leader < m_blocks.size(); ++leader) {
      if (m_marks[leader] != Mark::Unreached)
        continue;
      m_work.push_back(leader);
      while (!m_work.empty()) {
        uint32_t b = m_work.back();
        m_work.pop_back();
        const HeapBlock &block = m_blocks[b];
        words(block.address, uint64_t(block.address) + block.size, [&](uint32_t, uint32_t v) {
          std::optional<uint32_t> t = blockAt(v);
          if (!t || *t == leader || m_marks[*t] != Mark::Unreached)
            return;
          m_marks[*t] = Mark::Indirect;
          m_clique[*t] = leader;
          m_indirect[leader] += m_blocks[*t].size + m_indirect[*t];
          m_indirect[*t] = 0;
          m_work.push_back(*t);
        });
      }
    }
  }

  ScanOutcome finish(const ScanRoots &roots) {
    ScanOutcome out;
    out.blocks.resize(m_blocks.size());
    for (size_t i = 0; i < m_blocks.size(); ++i) {
      CheckedBlock &c = out.blocks[i];
      c.block = m_blocks[i];
      switch (m_marks[i]) {
      case Mark::Reachable:
        c.kind = LeakKind::StillReachable;
        c.heuristic = m_heuristic[i];
        break;
      case Mark::Possible: c.kind = LeakKind::PossiblyLost; break;
      case Mark::Indirect: {
        c.kind = LeakKind::IndirectlyLost;
        // A leader that joined a later clique: follow to the final leader.
        uint32_t leader = m_clique[i];
        for (size_t guard = 0; m_clique[leader] != UINT32_MAX && guard < m_blocks.size(); ++guard)
          leader = m_clique[leader];
        c.clique = leader;
        break;
      }
      case Mark::Unreached:
        c.kind = LeakKind::DefinitelyLost;
        c.indirectBytes = m_indirect[i];
        break;
      }
      out.blockBytesScanned += m_blocks[i].size;
    }
    // Who points at what: every candidate pointer into a block.
    auto add = [&](PointerRef ref) {
      if (out.references.size() < m_options.maxReferences)
        out.references.push_back(ref);
      else
        ++out.referencesDropped;
    };
    for (const ScanRoots::Range &r : roots.memory)
      words(r.begin, r.end, [&](uint32_t at, uint32_t v) {
        if (auto t = blockAt(v))
          add({*t, r.kind, UINT32_MAX, at, v});
      });
    for (const ScanRoots::Value &v : roots.values)
      if (auto t = blockAt(v.value))
        add({*t, v.kind, v.from, v.location, v.value});
    for (uint32_t b = 0; b < m_blocks.size(); ++b)
      words(m_blocks[b].address, uint64_t(m_blocks[b].address) + m_blocks[b].size,
            [&](uint32_t at, uint32_t v) {
              if (auto t = blockAt(v))
                add({*t, RootKind::Block, b, at, v});
            });
    std::stable_sort(out.references.begin(), out.references.end(),
                     [](const PointerRef &a, const PointerRef &b) { return a.target < b.target; });
    out.rootBytesScanned = m_rootBytes;
    return out;
  }

private:
  std::span<const uint8_t> m_memory;
  const std::vector<HeapBlock> &m_blocks;
  const ScanRoots &m_roots;
  const ScanOptions &m_options;
  std::vector<Mark> m_marks;
  std::vector<LeakHeuristic> m_heuristic; ///< Why a Reachable block is, if by a heuristic.
  std::vector<uint32_t> m_clique;
  std::vector<uint64_t> m_indirect;
  std::vector<uint32_t> m_work;
  uint64_t m_rootBytes = 0;
  uint64_t m_low = 0, m_high = 0; ///< Where blocks are: [m_low, m_high).
};

} // namespace

ScanOutcome scanHeap(std::span<const uint8_t> memory, const std::vector<HeapBlock> &blocks,
                     const ScanRoots &roots, const ScanOptions &options) {
  Scanner scanner(memory, blocks, roots, options);
  scanner.markPhase(roots);
  scanner.cliquePhase();
  return scanner.finish(roots);
}

std::vector<PointerRef> findPointers(std::span<const uint8_t> memory,
                                     const std::vector<HeapBlock> &blocks, const ScanRoots &roots,
                                     uint32_t begin, uint64_t end, const ScanOptions &options,
                                     uint64_t &dropped) {
  Scanner scanner(memory, blocks, roots, options);
  std::vector<PointerRef> out;
  dropped = 0;
  auto add = [&](uint32_t value, RootKind source, uint32_t from, uint32_t location) {
    if (value < begin || value >= end)
      return;
    if (out.size() >= options.maxReferences) {
      ++dropped;
      return;
    }
    out.push_back({scanner.blockAt(value).value_or(UINT32_MAX), source, from, location, value});
  };
  for (const ScanRoots::Range &r : roots.memory)
    scanner.words(r.begin, r.end, [&](uint32_t at, uint32_t v) { add(v, r.kind, UINT32_MAX, at); });
  for (const ScanRoots::Value &v : roots.values)
    add(v.value, v.kind, v.from, v.location);
  for (uint32_t b = 0; b < blocks.size(); ++b)
    scanner.words(blocks[b].address, uint64_t(blocks[b].address) + blocks[b].size,
                  [&](uint32_t at, uint32_t v) { add(v, RootKind::Block, b, at); });
  return out;
}

} // namespace wasmscope::profiler
