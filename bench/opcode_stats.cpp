// opcode_stats: which internal instructions the interpreter executes most on
// real programs, and which pairs of them follow each other most, so that
// superinstructions can be chosen from measured pair frequencies.
//
// It runs each WASI command with the runtime's global probe set: the probe
// fires before every internal instruction with its function and the wasm
// offset it was compiled from. The compiled code's listing (disassemble())
// maps offsets back to internal instructions. Several internal instructions
// can share one wasm offset (a call preceded by the copies of deferred
// operands, say); they run in order, so the tool tells them apart by
// remembering, per call depth, which one ran last. A check counts every
// step where a non-branching instruction was not followed by its successor
// in the code; it must print 0, or the attribution is wrong.
//
// A pair is counted when the second instruction directly follows the first
// in the code and execution fell through to it (a branch not taken
// included): exactly the sequences a superinstruction could replace.
// The interpreter itself is unchanged; probing slows it down many times.
#include "wasmscope/runtime/Compiler.h"
#include "wasmscope/runtime/Launch.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace wasmscope::bench {
namespace {

using namespace wasmscope::runtime;

constexpr const char* kUsage =
    "usage: opcode_stats [--top N] MODULE[:ARG] [MODULE[:ARG]...]\n"
    "\n"
    "Runs each WASI command (with the one optional argument ARG) under the\n"
    "interpreter with a global probe, and prints, as Markdown, the most frequent\n"
    "internal instructions and fall-through pairs of each, then overall (each\n"
    "program weighted equally). --top N: rows per table (default 40).\n"
    "Exit status: 0 done, 1 a program failed or attribution was inconsistent, 2 usage.\n";

/// One internal instruction of a compiled function.
struct Instruction {
  uint32_t op = 0;     ///< Index into the name table.
  uint32_t pc = 0;
  uint32_t nextPc = 0; ///< pc of the instruction after it in the code.
  bool transfersControl = false;
};

/// Lookup from a wasm offset to the internal instructions compiled from it.
struct FunctionMap {
  uint32_t bodyOffset = 0;
  std::vector<Instruction> instructions;
  std::vector<uint32_t> firstAt;   ///< By offset - bodyOffset: index of the first, or UINT32_MAX.
  std::vector<uint16_t> groupSize; ///< How many instructions share that offset.
};

/// Interned names of internal instructions.
class OpNames {
public:
  uint32_t intern(const std::string& name) {
    auto [it, added] = m_ids.try_emplace(name, uint32_t(m_names.size()));
    if (added)
      m_names.push_back(name);
    return it->second;
  }
  const std::string& name(uint32_t id) const { return m_names[id]; }
  size_t size() const { return m_names.size(); }

private:
  std::unordered_map<std::string, uint32_t> m_ids;
  std::vector<std::string> m_names;
};

bool transfersControl(const std::string& name) {
  auto starts = [&](const char* prefix) { return name.rfind(prefix, 0) == 0; };
  return starts("Br") || starts("br_") || starts("Return") || starts("Call") ||
         starts("Unreachable");
}

/// Builds the offset-to-instruction map of one function from its listing.
FunctionMap mapFunction(const CompiledFunction& function, OpNames& names) {
  FunctionMap map;
  map.bodyOffset = function.bodyOffset;
  std::istringstream listing(disassemble(function));
  std::string line;
  std::getline(listing, line); // the "; function N" header
  while (std::getline(listing, line)) {
    unsigned pc = 0, offset = 0;
    char name[96] = {0};
    if (std::sscanf(line.c_str(), "%u @0x%x %95s", &pc, &offset, name) != 3)
      continue;
    const char* plain = name[0] == '*' ? name + 1 : name; // a probe marker
    Instruction ins;
    ins.op = names.intern(plain);
    ins.pc = pc;
    ins.transfersControl = transfersControl(plain);
    if (!map.instructions.empty())
      map.instructions.back().nextPc = pc;
    map.instructions.push_back(ins);
  }
  if (!map.instructions.empty())
    map.instructions.back().nextPc = uint32_t(function.code.size());
  uint32_t span = function.bodyEnd > function.bodyOffset ? function.bodyEnd - function.bodyOffset : 0;
  map.firstAt.assign(span + 1, UINT32_MAX);
  map.groupSize.assign(span + 1, 0);
  for (uint32_t i = 0; i < map.instructions.size(); ++i) {
    uint32_t rel = function.wasmOffsetAt(map.instructions[i].pc) - function.bodyOffset;
    if (rel > span)
      continue;
    if (map.firstAt[rel] == UINT32_MAX)
      map.firstAt[rel] = i;
    ++map.groupSize[rel];
  }
  return map;
}

/// Counts of one program's run.
struct Counts {
  std::string label;
  std::string output;
  uint64_t total = 0;
  uint64_t pairsTotal = 0;
  uint64_t inconsistent = 0;
  std::vector<uint64_t> ops;
  std::map<std::pair<uint32_t, uint32_t>, uint64_t> pairs;
};

/// The probe's state: what ran last at each call depth.
class Recorder {
public:
  Recorder(std::vector<FunctionMap>& maps, uint32_t importedFunctions, size_t numOps)
      : m_maps(maps), m_imported(importedFunctions), m_numOps(numOps),
        m_ops(numOps, 0), m_pairs(numOps * numOps, 0) {}

  void record(FuncIndex func, uint32_t wasmOffset, uint32_t depth) {
    FunctionMap& map = m_maps[func - m_imported];
    uint32_t rel = wasmOffset - map.bodyOffset;
    uint32_t first = rel < map.firstAt.size() ? map.firstAt[rel] : UINT32_MAX;
    if (first == UINT32_MAX) { // no instruction of the listing starts there
      ++m_inconsistent;
      ++m_total;
      return;
    }
    if (depth >= m_last.size())
      m_last.resize(depth + 1);
    Last& last = m_last[depth];
    // A deeper depth than the previous event's is a new activation; the same
    // or a shallower one continues the activation that ran there before.
    bool continues = depth <= m_previousDepth && last.valid && last.func == func;
    uint32_t index = first;
    if (continues && map.groupSize[rel] > 1 && last.index >= first &&
        last.index + 1 < first + map.groupSize[rel])
      index = last.index + 1;
    const Instruction& current = map.instructions[index];
    ++m_ops[current.op];
    ++m_total;
    if (continues) {
      const Instruction& previous = map.instructions[last.index];
      if (current.pc == previous.nextPc) {
        ++m_pairs[size_t(previous.op) * m_numOps + current.op];
        ++m_pairsTotal;
      } else if (!previous.transfersControl) {
        ++m_inconsistent;
      }
    }
    last = {true, func, index};
    m_previousDepth = depth;
  }

  void finish(Counts& counts) const {
    counts.total = m_total;
    counts.pairsTotal = m_pairsTotal;
    counts.inconsistent = m_inconsistent;
    counts.ops = m_ops;
    for (size_t i = 0; i < m_pairs.size(); ++i)
      if (m_pairs[i])
        counts.pairs[{uint32_t(i / m_numOps), uint32_t(i % m_numOps)}] = m_pairs[i];
  }

private:
  struct Last {
    bool valid = false;
    FuncIndex func = 0;
    uint32_t index = 0;
  };
  std::vector<FunctionMap>& m_maps;
  uint32_t m_imported;
  size_t m_numOps;
  std::vector<uint64_t> m_ops;
  std::vector<uint64_t> m_pairs;
  std::vector<Last> m_last;
  uint32_t m_previousDepth = 0;
  uint64_t m_total = 0, m_pairsTotal = 0, m_inconsistent = 0;
};

/// Runs one WASI command with the probe set, launched as `wasmscope run`
/// launches it. Returns an error message, or an empty string on success.
std::string runProgram(const std::string& path, const std::vector<std::string>& args,
                       OpNames& names, Counts& counts) {
  LaunchSpec spec;
  spec.modulePath = path;
  spec.args = args;
  spec.stdinFd = -1;
  spec.output = [&](int fd, std::string_view text) {
    if (fd == 1)
      counts.output.append(text);
    else
      std::cerr.write(text.data(), std::streamsize(text.size()));
  };
  auto launched = launchGuest(std::move(spec));
  if (!launched)
    return launched.error().describe();
  Guest& guest = **launched;
  const CompiledModule& module = *guest.module();

  std::vector<FunctionMap> maps;
  for (const CompiledFunction& function : module.functions())
    maps.push_back(mapFunction(function, names));
  // The name table has grown with this program's code; size the recorder after it.
  Recorder recorder(maps, module.module().numImportedFuncs, names.size());
  guest.store().setGlobalProbe([&](ProbeContext& ctx) {
    recorder.record(ctx.funcIndex, ctx.wasmOffset, ctx.callDepth);
    return ProbeAction::Continue;
  });
  auto status = guest.runStart();
  guest.store().setGlobalProbe({});
  if (!status)
    return path + ": " + status.error().describe();
  if (*status != 0)
    return path + ": exited with status " + std::to_string(*status);
  recorder.finish(counts);
  return {};
}

struct Row {
  std::string what;
  double share; ///< Fraction of the total.
  uint64_t count;
};

void printTable(const char* heading, const std::vector<Row>& rows, size_t top, bool withCounts) {
  std::printf("\n%s\n\n| # | instruction%s | share |%s\n|---|---|---|%s\n", heading,
              "", withCounts ? " count |" : "", withCounts ? "---|" : "");
  double cumulative = 0;
  for (size_t i = 0; i < rows.size() && i < top; ++i) {
    cumulative += rows[i].share;
    if (withCounts)
      std::printf("| %zu | `%s` | %.2f%% | %llu |\n", i + 1, rows[i].what.c_str(),
                  100 * rows[i].share, (unsigned long long)rows[i].count);
    else
      std::printf("| %zu | `%s` | %.2f%% |\n", i + 1, rows[i].what.c_str(), 100 * rows[i].share);
  }
  std::printf("\n(the %zu rows: %.1f%% of the total)\n", std::min(top, rows.size()), 100 * cumulative);
}

std::vector<Row> sortedRows(std::vector<Row> rows) {
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return a.share != b.share ? a.share > b.share : a.what < b.what;
  });
  return rows;
}

std::string pairName(const OpNames& names, std::pair<uint32_t, uint32_t> pair) {
  return names.name(pair.first) + " → " + names.name(pair.second);
}

} // namespace
} // namespace wasmscope::bench

int main(int argc, char** argv) {
  using namespace wasmscope::bench;
  size_t top = 40;
  std::vector<std::string> items;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (arg == "--top") {
      char* end = nullptr;
      long n = i + 1 < argc ? std::strtol(argv[++i], &end, 10) : 0;
      if (!end || *end != '\0' || n < 1 || n > 10000) {
        std::cerr << "opcode_stats: --top needs a count from 1 to 10000\n";
        return 2;
      }
      top = size_t(n);
    } else if (!arg.empty() && arg[0] == '-') {
      std::cerr << "opcode_stats: unknown option '" << arg << "'\n" << kUsage;
      return 2;
    } else {
      items.push_back(arg);
    }
  }
  if (items.empty()) {
    std::cerr << kUsage;
    return 2;
  }

  OpNames names;
  std::vector<Counts> runs;
  int status = 0;
  for (const std::string& item : items) {
    size_t colon = item.rfind(':');
    std::string path = colon == std::string::npos ? item : item.substr(0, colon);
    std::vector<std::string> args;
    if (colon != std::string::npos)
      args.push_back(item.substr(colon + 1));
    Counts counts;
    counts.label = item.substr(item.find_last_of('/') + 1);
    std::cerr << "opcode_stats: running " << item << " ...\n";
    std::string error = runProgram(path, args, names, counts);
    if (!error.empty()) {
      std::cerr << "opcode_stats: " << error << "\n";
      status = 1;
      continue;
    }
    if (counts.inconsistent) {
      std::cerr << "opcode_stats: " << item << ": " << counts.inconsistent
                << " steps could not be attributed consistently\n";
      status = 1;
    }
    runs.push_back(std::move(counts));
  }

  std::map<std::string, double> overallOps, overallPairs;
  for (const Counts& run : runs) {
    std::string output = run.output.substr(0, run.output.find('\n'));
    std::printf("\n## %s\n\nOutput `%s`; %llu internal instructions executed, %llu fall-through "
                "pairs, %llu unattributable steps.\n",
                run.label.c_str(), output.c_str(), (unsigned long long)run.total,
                (unsigned long long)run.pairsTotal, (unsigned long long)run.inconsistent);
    std::vector<Row> ops, pairs;
    for (size_t op = 0; op < run.ops.size(); ++op) {
      if (!run.ops[op])
        continue;
      double share = double(run.ops[op]) / double(run.total);
      ops.push_back({names.name(uint32_t(op)), share, run.ops[op]});
      overallOps[names.name(uint32_t(op))] += share / double(runs.size());
    }
    for (const auto& [pair, count] : run.pairs) {
      double share = double(count) / double(run.total);
      pairs.push_back({pairName(names, pair), share, count});
      overallPairs[pairName(names, pair)] += share / double(runs.size());
    }
    printTable("Instructions (share of all executed):", sortedRows(ops), top, true);
    printTable("Fall-through pairs (share of all executed instructions):", sortedRows(pairs), top,
               true);
  }
  if (runs.size() > 1) {
    std::printf("\n## Overall (each program weighted equally)\n");
    std::vector<Row> ops, pairs;
    for (const auto& [name, share] : overallOps)
      ops.push_back({name, share, 0});
    for (const auto& [name, share] : overallPairs)
      pairs.push_back({name, share, 0});
    printTable("Instructions:", sortedRows(ops), top, false);
    printTable("Fall-through pairs:", sortedRows(pairs), top, false);
  }
  return status;
}
