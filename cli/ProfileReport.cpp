// Text tables of a profile (ProfileReport.h).
#include "ProfileReport.h"

#include <algorithm>
#include <cstdio>

namespace wasmscope::cli {

using namespace wasmscope::profiler;

std::string groupDigits(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  return out;
}

namespace {

std::string percent(uint64_t part, uint64_t whole) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%5.1f%%", whole ? 100.0 * double(part) / double(whole) : 0.0);
  return buf;
}

std::string pad(const std::string &s, size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

std::string where(const Profile &p, FileId file, uint32_t line) {
  if (file == kNone)
    return "";
  return p.filePath(file) + (line ? ":" + std::to_string(line) : "");
}

std::string frameLabel(const Profile &p, FrameId f) {
  const Frame &frame = p.frames[f];
  std::string label = frame.name;
  if (frame.kind == FrameKind::Inlined)
    label += " [inlined]";
  std::string at = where(p, frame.file, frame.line);
  if (!at.empty())
    label += "  " + at;
  return label;
}

std::string nanos(uint64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f ms", double(ns) / 1e6);
  return buf;
}

} // namespace

void printProfileHeader(std::ostream &out, const Profile &p) {
  out << "module:       " << p.run.module << " (" << p.run.modulePath << ")\n";
  out << "entry:        " << p.run.entry;
  if (p.run.exitStatus)
    out << ", exit status " << *p.run.exitStatus;
  if (!p.run.trap.empty())
    out << ", trapped: " << p.run.trap;
  out << "\n";
  out << "instructions: " << groupDigits(p.totals.instructions) << " (exact)\n";
  out << "calls:        " << groupDigits(p.totals.calls) << " wasm, "
      << groupDigits(p.totals.hostCalls) << " host\n";
  if (p.run.wallTime)
    out << "wall time:    " << nanos(p.run.wallNanos) << " (" << nanos(p.totals.hostNanos)
        << " in host calls)\n";
}

void printTopFunctions(std::ostream &out, const Profile &p, size_t top) {
  uint64_t total = p.totals.instructions;
  out << "Top functions by self instructions:\n";
  out << pad("self", 16) << pad("self%", 8) << pad("total", 16) << pad("total%", 8)
      << pad("calls", 14) << "  function\n";
  size_t shown = 0;
  for (const FunctionStats *f : p.functionsBySelf()) {
    if (shown++ == top)
      break;
    out << pad(groupDigits(f->selfInstructions), 16) << pad(percent(f->selfInstructions, total), 8)
        << pad(groupDigits(f->totalInstructions), 16)
        << pad(percent(f->totalInstructions, total), 8)
        << pad(p.frames[f->frame].kind == FrameKind::Inlined ? "-" : groupDigits(f->calls), 14)
        << "  " << frameLabel(p, f->frame) << "\n";
  }
}

void printTopLines(std::ostream &out, const Profile &p, size_t top) {
  uint64_t total = p.totals.instructions;
  out << "Top source lines:\n";
  out << pad("instructions", 16) << pad("%", 8) << "  line (function)\n";
  size_t shown = 0;
  for (const Profile::FileLine &l : p.linesByInstructions()) {
    if (shown++ == top)
      break;
    std::string at = where(p, l.file, l.line);
    out << pad(groupDigits(l.instructions), 16) << pad(percent(l.instructions, total), 8) << "  "
        << (at.empty() ? "<no line>" : at) << " (" << p.frames[l.function].name << ")\n";
  }
}

void printCallTree(std::ostream &out, const Profile &p, size_t depth, size_t top) {
  uint64_t total = p.totals.instructions;
  auto children = p.childrenIndex();
  for (auto &list : children)
    std::stable_sort(list.begin(), list.end(), [&](StackId a, StackId b) {
      return p.stacks[a].totalInstructions > p.stacks[b].totalInstructions;
    });
  out << "Call tree (total instructions, calls; recursion folded):\n";
  struct Item {
    StackId id;
    size_t level;
  };
  std::vector<Item> work;
  for (auto it = children[kRootStack].rbegin(); it != children[kRootStack].rend(); ++it)
    work.push_back({*it, 0});
  // Keep only the first `top` children of each node.
  auto pushChildren = [&](StackId id, size_t level) {
    const auto &list = children[id];
    size_t n = std::min(list.size(), top);
    for (size_t i = n; i-- > 0;)
      work.push_back({list[i], level});
  };
  if (work.size() > top)
    work.erase(work.begin(), work.end() - long(top));
  while (!work.empty()) {
    Item item = work.back();
    work.pop_back();
    const StackNode &node = p.stacks[item.id];
    out << pad(groupDigits(node.totalInstructions), 16)
        << pad(percent(node.totalInstructions, total), 8) << pad(groupDigits(node.calls), 12)
        << "  " << std::string(item.level * 2, ' ') << frameLabel(p, node.frame) << "\n";
    if (item.level + 1 < depth)
      pushChildren(item.id, item.level + 1);
  }
}

void printHostCalls(std::ostream &out, const Profile &p, size_t top) {
  std::vector<const FunctionStats *> host;
  for (const FunctionStats &f : p.functions)
    if (p.frames[f.frame].kind == FrameKind::Host && f.calls)
      host.push_back(&f);
  if (host.empty())
    return;
  std::stable_sort(host.begin(), host.end(), [](const FunctionStats *a, const FunctionStats *b) {
    return a->calls > b->calls;
  });
  out << "Host calls" << (p.run.wallTime ? " (wall time, not exact)" : "") << ":\n";
  size_t shown = 0;
  for (const FunctionStats *f : host) {
    if (shown++ == top)
      break;
    out << pad(groupDigits(f->calls), 16) << "  " << p.frames[f->frame].name;
    if (p.run.wallTime)
      out << "  " << nanos(f->hostNanos);
    out << "\n";
  }
}

} // namespace wasmscope::cli
