// Where a file:line breakpoint stops (ModuleSymbols::breakpointAddresses),
// resolved as LLDB 22 resolves it, because LLDB is the oracle
// (tests/debugger/LldbOracle.cpp): CompileUnit::ResolveSymbolContext per
// compile unit, then BreakpointResolver::SetSCMatchesByLine across them.
//
//  1. Per unit, the requested line, or else the nearest following line with
//     rows in the unit.
//  2. When the line moved, the requested line may still be the call line of
//     functions inlined there (a call line often has no rows of its own:
//     every instruction of `list = make_list(n)` belongs to make_list). The
//     function holding the unit's first row of the moved-to line is
//     searched for inlined calls on the requested line; each becomes a
//     location at the start of the inlined code (its lowest range), and the
//     unit's moved rows are dropped. Stopping at the inlined call beats
//     skipping the line; LLDB 20 added this, and docs/Symbols.md says where
//     the start of the inlined code is not where it is entered.
//  3. Across units, only the smallest resulting line is kept; one location
//     per innermost block (the lowest address), a function's entry moved
//     past its prologue, and a line more than one line before the
//     declaration of the function (or inlined function) it lands in is
//     dropped (LLDB's FilterContexts: a blank line between functions).
#include "SymbolsImpl.h"

#include <algorithm>
#include <map>

namespace wasmscope::debugger {

namespace {

struct Candidate {
  uint32_t address;
  const void *block; ///< One location per block: the lowest address.
  uint32_t line;
};

} // namespace

std::vector<uint32_t> ModuleSymbols::breakpointAddresses(std::string_view file, uint32_t line,
                                                         LineMatch *resolvedLine) const {
  if (resolvedLine)
    *resolvedLine = LineMatch{kNoFile, line, 0};
  const Impl &m = *m_impl;
  std::vector<FileIndex> matching;
  std::string spec = normalizePath(std::string(file));
  if (spec.empty())
    return {};
  for (FileIndex i = 0; i < m.files.size(); ++i) {
    const std::string &p = m.files[i].path;
    bool match = p == spec || (p.size() > spec.size() &&
                               p.compare(p.size() - spec.size(), spec.size(), spec) == 0 &&
                               (p[p.size() - spec.size() - 1] == '/' || spec.front() == '/'));
    if (match)
      matching.push_back(i);
  }
  if (matching.empty())
    return {};
  auto isMatching = [&](FileIndex f) {
    return std::find(matching.begin(), matching.end(), f) != matching.end();
  };
  auto rowsFrom = [&](FileIndex f, uint32_t fromLine) {
    return std::lower_bound(m.rowsByLine.begin(), m.rowsByLine.end(), std::pair(f, fromLine),
                            [&](uint32_t i, std::pair<FileIndex, uint32_t> key) {
                              const LineRow &r = m.rows[i];
                              return r.file != key.first ? r.file < key.first
                                                         : r.line < key.second;
                            });
  };

  // 1. Per compile unit: the best line, and its first row in address order.
  struct UnitMatch {
    uint32_t line = UINT32_MAX;
    uint32_t firstRow = UINT32_MAX;
  };
  std::map<uint32_t, UnitMatch> units;
  for (FileIndex f : matching)
    for (auto it = rowsFrom(f, line); it != m.rowsByLine.end() && m.rows[*it].file == f; ++it) {
      const LineRow &r = m.rows[*it];
      UnitMatch &u = units[r.cu];
      if (r.line < u.line || (r.line == u.line && *it < u.firstRow)) {
        u.line = r.line;
        u.firstRow = *it;
      }
    }
  if (units.empty())
    return {};

  // The declaration a location is checked against (FilterContexts): the
  // innermost inlined function's at `at`, else the function's.
  auto declaredAfter = [&](const Function &fn, uint32_t at, FileIndex rowFile) {
    FileIndex declFile = fn.declFile;
    uint32_t declLine = fn.declLine;
    std::vector<InlinedFrame> chain = inlineChainAt(at);
    if (!chain.empty()) {
      declFile = chain.front().scope->declFile;
      declLine = chain.front().scope->declLine;
    }
    return declFile == rowFile && declLine > 1 && line < declLine - 1;
  };

  std::vector<Candidate> candidates;
  auto addRows = [&](uint32_t cu, uint32_t rowLine) {
    for (FileIndex f : matching)
      for (auto it = rowsFrom(f, rowLine); it != m.rowsByLine.end(); ++it) {
        const LineRow &r = m.rows[*it];
        if (r.file != f || r.line != rowLine)
          break;
        if (r.cu != cu)
          continue;
        const Function *fn = functionAt(r.address);
        if (fn && declaredAfter(*fn, r.address, r.file))
          continue;
        candidates.push_back({r.address, fn ? m.innermostScope(*fn, r.address) : nullptr, rowLine});
      }
  };

  for (const auto &[cu, u] : units) {
    if (u.line == line) {
      addRows(cu, line);
      continue;
    }
    // 2. The line moved: inlined calls on the requested line, searched in
    // the function holding the unit's first row of the moved-to line.
    size_t before = candidates.size();
    if (const Function *fn = functionAt(m.rows[u.firstRow].address)) {
      std::vector<std::pair<const Scope *, const Scope *>> stack{{&fn->scope, nullptr}};
      while (!stack.empty()) {
        auto [scope, parent] = stack.back();
        stack.pop_back();
        if (scope->kind == ScopeKind::Inlined && parent && scope->callLine == line &&
            isMatching(scope->callFile) && !scope->ranges.empty() && !parent->ranges.empty()) {
          // LLDB files the call under the block holding its parent's start.
          uint32_t parentStart = parent == &fn->scope ? fn->lowPc() : parent->ranges.front().low;
          int64_t row = m.rowIndexAt(parentStart);
          FileIndex rowFile = row >= 0 ? m.rows[size_t(row)].file : kNoFile;
          if (!declaredAfter(*fn, parentStart, rowFile))
            candidates.push_back(
                {scope->ranges.front().low, m.innermostScope(*fn, parentStart), line});
        }
        for (auto child = scope->children.rbegin(); child != scope->children.rend(); ++child)
          stack.push_back({&*child, scope});
      }
    }
    if (candidates.size() == before)
      addRows(cu, u.line);
  }

  // 3. The smallest line wins; then one location per block. When every
  // location was filtered out, the line reported is the one LLDB tried.
  uint32_t best = UINT32_MAX;
  for (const Candidate &c : candidates)
    best = std::min(best, c.line);
  uint32_t reported = best;
  FileIndex reportedFile = kNoFile;
  for (const auto &[cu, u] : units) {
    if (best == UINT32_MAX)
      reported = std::min(reported, u.line);
    if (reportedFile == kNoFile || u.line == reported)
      reportedFile = m.rows[u.firstRow].file;
  }
  if (resolvedLine)
    *resolvedLine = LineMatch{reportedFile, line, reported};
  if (best == UINT32_MAX)
    return {};
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate &a, const Candidate &b) { return a.address < b.address; });
  std::vector<const void *> seenBlocks;
  std::vector<uint32_t> out;
  for (const Candidate &c : candidates) {
    if (c.line != best)
      continue;
    if (std::find(seenBlocks.begin(), seenBlocks.end(), c.block) != seenBlocks.end())
      continue;
    seenBlocks.push_back(c.block);
    uint32_t address = c.address;
    if (const Function *fn = functionAt(address); fn && fn->lowPc() == address)
      address = fn->bodyAddress;
    out.push_back(address);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

} // namespace wasmscope::debugger
