// The instruction profile's part of finishProfile (Profiler::State::build). Block
// counts times each block's instructions give exact per-line and per-path
// counts; DWARF (through the symbols library) names functions and lines and
// says what was inlined where; the name section and "func[N]" stand in where
// DWARF is missing. The fuel total checks the block counts.
#include "Collector.h"
#include "Symbolizer.h"

#include "wasmscope/runtime/Store.h"
#include "wasmscope/symbols/Symbols.h"

#include <openssl/evp.h>

#include <algorithm>
#include <map>

namespace wasmscope::profiler {

using namespace wasmscope::runtime;
using debugger::ModuleSymbols;

std::string sha256Hex(const std::vector<uint8_t> &bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr))
    return {};
  static const char *kHex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

namespace {

/// Index of the block of `f` that charges the instruction at `offset`.
std::optional<size_t> blockOf(const CompiledFunction &f, uint32_t offset) {
  for (size_t b = 0; b < f.blocks.size(); ++b) {
    const CountedBlock &block = f.blocks[b];
    for (uint32_t i = block.first; i < block.first + block.cost; ++i)
      if (f.blockInstructions[i] == offset)
        return b;
  }
  return std::nullopt;
}

} // namespace

Result<void> Profiler::State::build(Profile &profile, Symbolizer &sym) {
  State &s = *this;
  Store &store = s.guest.store();
  const CompiledModule &module = s.module;

  // Frames for every node's key, in node order (deterministic).
  std::vector<FrameId> nodeFrame(s.nodes.size(), kNone);
  for (size_t n = 1; n < s.nodes.size(); ++n) {
    NodeKey key = s.nodes[n].key;
    if (key == kTruncatedKey)
      nodeFrame[n] = sym.truncatedFrame();
    else if (key >= kHostKeyBase)
      nodeFrame[n] = sym.hostFrame(s.hostFunctions[key - kHostKeyBase], s.instance);
    else
      nodeFrame[n] = sym.wasmFrame(key);
  }

  // Per block: its instructions grouped by line, computed once.
  std::map<uint32_t, std::vector<std::pair<LineId, uint64_t>>> blockLines;
  auto linesOfBlock = [&](const CompiledFunction &f, size_t b) -> const auto & {
    auto [it, inserted] = blockLines.try_emplace(f.firstBlock + uint32_t(b));
    if (inserted) {
      std::map<LineId, uint64_t> byLine;
      const CountedBlock &block = f.blocks[b];
      for (uint32_t i = block.first; i < block.first + block.cost; ++i)
        ++byLine[sym.line(f.index, f.blockInstructions[i])];
      it->second.assign(byLine.begin(), byLine.end());
    }
    return it->second;
  };

  profile.stacks.resize(s.nodes.size());
  uint64_t cutInstructions = 0;
  for (size_t n = 1; n < s.nodes.size(); ++n) {
    const State::Node &node = s.nodes[n];
    StackNode &out = profile.stacks[n];
    out.parent = node.parent;
    out.frame = nodeFrame[n];
    out.calls = node.calls;
    out.hostNanos = node.hostNanos;
    const CompiledFunction *f = node.key < kHostKeyBase ? module.function(node.key) : nullptr;
    if (!f)
      continue;
    std::map<LineId, uint64_t> byLine;
    for (size_t b = 0; b < node.counts.size(); ++b) {
      if (!node.counts[b])
        continue;
      for (const auto &[line, n2] : linesOfBlock(*f, b))
        byLine[line] += n2 * node.counts[b];
    }
    // A trap ended a block early: its instructions after the trapping one
    // were charged on entry but never ran.
    if (!s.fuelDenied)
      for (const State::Cut &cut : s.cuts) {
        if (cut.node != n || cut.func != node.key)
          continue;
        auto b = blockOf(*f, cut.offset);
        if (!b || !node.counts[*b])
          continue;
        const CountedBlock &block = f->blocks[*b];
        bool after = false;
        for (uint32_t i = block.first; i < block.first + block.cost; ++i) {
          if (after) {
            LineId line = sym.line(f->index, f->blockInstructions[i]);
            --byLine[line];
            ++cutInstructions;
          }
          after = after || f->blockInstructions[i] == cut.offset;
        }
      }
    for (const auto &[line, count] : byLine) {
      if (!count)
        continue;
      out.lines.emplace_back(line, count);
      out.selfInstructions += count;
      profile.lines[line].instructions += count;
    }
  }

  // Inclusive counts: children come after their parents.
  for (size_t n = s.nodes.size(); n-- > 1;) {
    StackNode &node = profile.stacks[n];
    node.totalInstructions += node.selfInstructions;
    if (node.parent != kNone)
      profile.stacks[node.parent].totalInstructions += node.totalInstructions;
  }
  profile.stacks[0].selfInstructions = 0;

  // Functions: physical frames from the paths, inlined ones from the lines.
  profile.functions.resize(profile.frames.size());
  for (size_t i = 0; i < profile.functions.size(); ++i)
    profile.functions[i].frame = FrameId(i);
  for (size_t n = 1; n < profile.stacks.size(); ++n) {
    const StackNode &node = profile.stacks[n];
    FunctionStats &fs = profile.functions[node.frame];
    fs.calls += node.calls;
    fs.totalInstructions += node.totalInstructions;
    fs.hostNanos += node.hostNanos;
    const Frame &frame = profile.frames[node.frame];
    if (frame.kind == FrameKind::Host) {
      profile.totals.hostCalls += node.calls;
      profile.totals.hostNanos += node.hostNanos;
    } else if (frame.kind == FrameKind::Wasm) {
      profile.totals.calls += node.calls;
    }
  }
  for (const LineStats &line : profile.lines) {
    profile.functions[line.function()].selfInstructions += line.instructions;
    profile.totals.instructions += line.instructions;
    // An inlined function's total: the lines it appears on (once each).
    std::vector<FrameId> seen;
    for (const SourceFrame &sf : line.chain) {
      if (profile.frames[sf.frame].kind != FrameKind::Inlined ||
          std::find(seen.begin(), seen.end(), sf.frame) != seen.end())
        continue;
      seen.push_back(sf.frame);
      profile.functions[sf.frame].totalInstructions += line.instructions;
    }
  }

  // The two counts must agree: fuel charged per block, and block counts
  // times block sizes (less what a trap cut short).
  uint64_t fuel = store.fuelConsumed();
  if (profile.totals.instructions + cutInstructions != fuel)
    return Error(ErrorCode::InvalidArgument,
                 "profiler: block counts (" + std::to_string(profile.totals.instructions) +
                     " instructions) disagree with fuel (" + std::to_string(fuel) + ")");

  // The trace, oldest event first, and what was open when it starts.
  if (!s.ring.empty()) {
    Trace &trace = profile.trace;
    trace.enabled = true;
    trace.capacity = s.ring.size();
    trace.recorded = s.recorded;
    uint64_t kept = std::min<uint64_t>(s.recorded, s.ring.size());
    trace.dropped = s.recorded - kept;
    auto frameOf = [&](NodeKey key) -> FrameId {
      if (key >= kHostKeyBase)
        return sym.hostFrame(s.hostFunctions[key - kHostKeyBase], s.instance);
      return sym.wasmFrame(key);
    };
    for (uint64_t i = s.recorded - kept; i < s.recorded; ++i) {
      const RawEvent &e = s.ring[size_t(i % s.ring.size())];
      trace.events.push_back({e.kind, frameOf(e.key), e.instructions, e.nanos});
    }
    // Replay backwards from the frames still open at the end.
    std::vector<FrameId> open;
    for (const State::Activation &a : s.stack)
      if (!a.foreign)
        open.push_back(nodeFrame[a.node]);
    for (size_t i = trace.events.size(); i-- > 0;) {
      const TraceEvent &e = trace.events[i];
      if (e.kind == TraceEventKind::Exit)
        open.push_back(e.frame);
      else if (!open.empty())
        open.pop_back();
    }
    trace.openAtStart = std::move(open);
    // Frames the trace added after functions were sized.
    while (profile.functions.size() < profile.frames.size())
      profile.functions.push_back({FrameId(profile.functions.size())});
  }
  return success();
}

} // namespace wasmscope::profiler
