// The callgrind format (Valgrind's callgrind profile data format, version
// 1), for KCachegrind, QCachegrind and callgrind_annotate. One event,
// Instructions. Self cost goes to the innermost function of each line (an
// inlined function is a function of its own, as in the other formats);
// calls carry the callee path's inclusive cost. Names and files use the
// format's "(id) name" compression.
#include "wasmscope/profiler/Formats.h"

#include <map>
#include <set>

namespace wasmscope::profiler {

namespace {

class Names {
public:
  /// "(id) name" the first time, "(id)" after.
  std::string operator()(const std::string &name) {
    auto [it, inserted] = m_ids.try_emplace(name, m_ids.size() + 1);
    std::string id = "(" + std::to_string(it->second) + ")";
    return inserted ? id + " " + name : id;
  }

private:
  std::map<std::string, size_t> m_ids;
};

std::string oneLine(std::string s) {
  for (char &c : s)
    if (c == '\n' || c == '\r')
      c = ' ';
  return s;
}

} // namespace

std::string writeCallgrind(const Profile &p) {
  std::string out = "# callgrind format\nversion: 1\ncreator: wasmscope\n";
  std::string cmd;
  for (const std::string &arg : p.run.commandLine)
    cmd += (cmd.empty() ? "" : " ") + arg;
  out += "cmd: " + oneLine(cmd.empty() ? p.run.modulePath : cmd) + "\n";
  out += "positions: line\nevents: Instructions\n";
  out += "summary: " + std::to_string(p.totals.instructions) + "\n\n";

  Names files, functions;
  auto fileOf = [&](FileId f) { return f == kNone ? std::string("???") : oneLine(p.filePath(f)); };

  // Self cost by function, file and line.
  std::map<FrameId, std::map<std::pair<std::string, uint32_t>, uint64_t>> self;
  for (const LineStats &l : p.lines)
    if (l.instructions)
      self[l.function()][{fileOf(l.file()), l.line()}] += l.instructions;
  // Calls by caller and callee function: count and inclusive cost.
  struct Call {
    uint64_t count = 0;
    uint64_t inclusive = 0;
  };
  std::map<FrameId, std::map<FrameId, Call>> calls;
  for (StackId id = 1; id < p.stacks.size(); ++id) {
    const StackNode &node = p.stacks[id];
    if (node.parent == kRootStack || node.parent == kNone)
      continue;
    Call &c = calls[p.stacks[node.parent].frame][node.frame];
    c.count += node.calls;
    c.inclusive += node.totalInstructions;
  }
  std::set<FrameId> all;
  for (const auto &[f, lines] : self)
    all.insert(f);
  for (const auto &[f, callees] : calls)
    all.insert(f);
  for (StackId id = 1; id < p.stacks.size(); ++id)
    all.insert(p.stacks[id].frame);

  for (FrameId f : all) {
    const Frame &frame = p.frames[f];
    std::string home = fileOf(frame.file);
    auto selfIt = self.find(f);
    if (frame.file == kNone && selfIt != self.end() && !selfIt->second.empty())
      home = selfIt->second.begin()->first.first;
    out += "fl=" + files(home) + "\n";
    out += "fn=" + functions(oneLine(frame.name)) + "\n";
    std::string current = home;
    bool wroteCost = false;
    if (selfIt != self.end())
      for (const auto &[where, cost] : selfIt->second) {
        if (where.first != current) {
          out += "fi=" + files(where.first) + "\n";
          current = where.first;
        }
        out += std::to_string(where.second) + " " + std::to_string(cost) + "\n";
        wroteCost = true;
      }
    if (!wroteCost)
      out += std::to_string(frame.line) + " 0\n";
    if (current != home)
      out += "fe=" + files(home) + "\n";
    if (auto it = calls.find(f); it != calls.end())
      for (const auto &[callee, c] : it->second) {
        const Frame &target = p.frames[callee];
        out += "cfi=" + files(fileOf(target.file)) + "\n";
        out += "cfn=" + functions(oneLine(target.name)) + "\n";
        out += "calls=" + std::to_string(c.count) + " " + std::to_string(target.line) + "\n";
        out += std::to_string(frame.line) + " " + std::to_string(c.inclusive) + "\n";
      }
    out += "\n";
  }
  out += "totals: " + std::to_string(p.totals.instructions) + "\n";
  return out;
}

} // namespace wasmscope::profiler
