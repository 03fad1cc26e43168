// Profiler::finish: turns the counters into a symbolicated Profile. Block
// counts times each block's instructions give exact per-line and per-path
// counts; DWARF (through the symbols library) names functions and lines and
// says what was inlined where; the name section and "func[N]" stand in where
// DWARF is missing. The fuel total checks the block counts.
#include "Collector.h"

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

/// Builds frames, files and lines, each interned once.
class Symbolizer {
public:
  Symbolizer(const CompiledModule &module, const ModuleSymbols *symbols, Profile &profile)
      : m_module(module), m_symbols(symbols), m_profile(profile) {}

  FileId file(debugger::FileIndex index) {
    if (!m_symbols || index == debugger::kNoFile)
      return kNone;
    auto [it, inserted] = m_files.try_emplace(index, uint32_t(m_profile.files.size()));
    if (inserted)
      m_profile.files.push_back(m_symbols->filePath(index));
    return it->second;
  }

  FrameId wasmFrame(FuncIndex index) {
    auto [it, inserted] = m_wasmFrames.try_emplace(index, kNone);
    if (!inserted)
      return it->second;
    Frame frame;
    frame.kind = FrameKind::Wasm;
    frame.funcIndex = index;
    const Module &m = m_module.module();
    const CompiledFunction *cf = m_module.function(index);
    if (cf)
      frame.address = cf->bodyOffset;
    const debugger::Function *fn =
        m_symbols && cf ? m_symbols->functionAt(cf->bodyOffset) : nullptr;
    if (fn && fn->fromDwarf && (fn->funcIndex == index || fn->funcIndex == kNoIndex)) {
      frame.name = fn->name;
      frame.file = file(fn->declFile);
      frame.line = fn->declLine;
    } else if (auto name = m.names.functionNames.find(index); name != m.names.functionNames.end()) {
      frame.name = debugger::demangle(name->second);
    }
    if (frame.name.empty())
      frame.name = "func[" + std::to_string(index) + "]";
    it->second = add(std::move(frame));
    return it->second;
  }

  FrameId hostFrame(const FunctionInstance *f, const Instance *instance) {
    auto [it, inserted] = m_hostFrames.try_emplace(f, kNone);
    if (!inserted)
      return it->second;
    Frame frame;
    frame.kind = FrameKind::Host;
    // Name it after the import it was linked to.
    const Module &m = m_module.module();
    uint32_t funcImport = 0;
    for (const Import &imp : m.imports) {
      if (imp.kind != ExternKind::Func)
        continue;
      if (instance && instance->function(funcImport) == f) {
        bool wasi = imp.module.rfind("wasi", 0) == 0;
        frame.name = (wasi ? std::string("wasi") : imp.module) + ":" + imp.name;
        frame.funcIndex = funcImport;
        break;
      }
      ++funcImport;
    }
    if (frame.name.empty())
      frame.name = "host:" + (f->name.empty() ? std::string("?") : f->name);
    it->second = add(std::move(frame));
    return it->second;
  }

  FrameId truncatedFrame() {
    if (m_truncated == kNone) {
      Frame frame;
      frame.kind = FrameKind::Truncated;
      frame.name = "[more call paths]";
      m_truncated = add(std::move(frame));
    }
    return m_truncated;
  }

  /// The line (with its inlining chain) of the instruction at `offset` in
  /// wasm function `func`.
  LineId line(FuncIndex func, uint32_t offset) {
    std::vector<SourceFrame> chain;
    FrameId physical = wasmFrame(func);
    std::optional<debugger::SourceLocation> loc;
    if (m_symbols)
      loc = m_symbols->locationAt(offset);
    FileId locFile = loc ? file(loc->file) : kNone;
    uint32_t locLine = loc ? loc->line : 0;
    std::vector<debugger::InlinedFrame> inlined;
    if (m_symbols && loc)
      inlined = m_symbols->inlineChainAt(offset);
    if (inlined.empty()) {
      chain.push_back({physical, locFile, locLine});
    } else {
      chain.push_back({inlinedFrame(inlined[0]), locFile, locLine});
      for (size_t i = 1; i < inlined.size(); ++i)
        chain.push_back(
            {inlinedFrame(inlined[i]), file(inlined[i - 1].callFile), inlined[i - 1].callLine});
      chain.push_back({physical, file(inlined.back().callFile), inlined.back().callLine});
    }
    auto [it, inserted] = m_lines.try_emplace(chain, uint32_t(m_profile.lines.size()));
    if (inserted) {
      LineStats stats;
      stats.chain = std::move(chain);
      stats.address = offset;
      m_profile.lines.push_back(std::move(stats));
    } else {
      m_profile.lines[it->second].address = std::min(m_profile.lines[it->second].address, offset);
    }
    return it->second;
  }

private:
  FrameId add(Frame frame) {
    m_profile.frames.push_back(std::move(frame));
    return FrameId(m_profile.frames.size() - 1);
  }

  FrameId inlinedFrame(const debugger::InlinedFrame &in) {
    FileId declFile = in.scope ? file(in.scope->declFile) : kNone;
    uint32_t declLine = in.scope ? in.scope->declLine : 0;
    auto key = std::make_tuple(in.name, declFile, declLine);
    auto [it, inserted] = m_inlinedFrames.try_emplace(key, kNone);
    if (inserted) {
      Frame frame;
      frame.kind = FrameKind::Inlined;
      frame.name = in.name.empty() ? "[inlined]" : in.name;
      frame.file = declFile;
      frame.line = declLine;
      it->second = add(std::move(frame));
    }
    return it->second;
  }

  const CompiledModule &m_module;
  const ModuleSymbols *m_symbols;
  Profile &m_profile;
  std::map<debugger::FileIndex, FileId> m_files;
  std::map<FuncIndex, FrameId> m_wasmFrames;
  std::map<const FunctionInstance *, FrameId> m_hostFrames;
  std::map<std::tuple<std::string, FileId, uint32_t>, FrameId> m_inlinedFrames;
  std::map<std::vector<SourceFrame>, LineId> m_lines;
  FrameId m_truncated = kNone;
};

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

Result<Profile> Profiler::finish(RunInfo run) {
  m_state->detach();
  return snapshot(std::move(run));
}

Result<Profile> Profiler::snapshot(RunInfo run) const {
  State &s = *m_state;
  Store &store = s.guest.store();
  const CompiledModule &module = s.module;
  const Module &m = module.module();

  Profile profile;
  run.module = s.guest.name();
  run.modulePath = s.guest.path();
  run.moduleSha256 = sha256Hex(m.bytes);
  run.wallTime = s.options.wallTime;
  if (s.options.wallTime)
    run.wallNanos = s.nowNanos();
  profile.run = std::move(run);

  std::vector<debugger::SymbolWarning> warnings;
  auto loaded = ModuleSymbols::load(m, &warnings);
  std::unique_ptr<ModuleSymbols> symbols = loaded.ok() ? std::move(loaded).value() : nullptr;
  Symbolizer sym(module, symbols.get(), profile);

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
  return profile;
}

} // namespace wasmscope::profiler
