// Line tables (DWARF 5 section 6.2): rows from LineProgram.cpp, file names
// from libdwarf, kept as LLDB keeps them (rows at one address collapse into
// the last; end-of-sequence rows are terminal entries), and the queries over
// them: address to line, line to breakpoint addresses, prologue size.
#include "DwarfLoader.h"
#include "LineProgram.h"

#include <dwarf.h>

#include <algorithm>

namespace wasmscope::debugger {

void DwarfLoader::readLineTable(Dwarf_Die cuDie, Unit &unit) {
  if (!unit.hasStmtList)
    return;
  Dwarf_Debug dbg = m_object.dbg();
  Dwarf_Error err = nullptr;
  CompileUnit &cu = m_impl.compileUnits[unit.index];

  std::vector<LineProgramRow> program;
  program.reserve(256);
  uint16_t version = 0;
  std::string error;
  uint64_t errorOffset = 0;
  bool ok = runLineProgram(m_object.section(".debug_line"), unit.stmtList, program, version, error,
                           errorOffset);
  if (!ok) {
    warn(".debug_line", errorOffset,
         error + " (line table of the unit at .debug_info+" + hexString(unit.dieOffset) + ")");
    if (version == 0)
      return;
  }
  unit.lineVersion = version;

  // File names through libdwarf, which joins include directories and
  // comp_dir. DWARF 5 numbers files from 0 (file 0 is the primary source),
  // DWARF 2-4 from 1.
  char **names = nullptr;
  Dwarf_Signed nameCount = 0;
  std::string tableError;
  LineStringSections strings{m_object.section(".debug_str").size(),
                             m_object.section(".debug_line_str").size(),
                             m_object.section(".debug_str"), m_object.section(".debug_line_str")};
  std::vector<std::string> embedded; // Sources in the table (clang -gembed-source).
  int rc = DW_DLV_NO_ENTRY;
  if (checkFileTable(m_object.section(".debug_line"), unit.stmtList, strings, tableError,
                     &embedded))
    rc = dwarf_srcfiles(cuDie, &names, &nameCount, &err);
  else // libdwarf leaks on some of these (see LineFileTable.cpp): not asked.
    warn(".debug_line", unit.stmtList, "file names unreadable: " + tableError);
  if (rc == DW_DLV_OK) {
    unit.fileMap.clear();
    if (version < 5)
      unit.fileMap.push_back(kNoFile);
    for (Dwarf_Signed i = 0; i < nameCount; ++i) {
      FileIndex f = m_impl.internFile(names[i] ? names[i] : "");
      unit.fileMap.push_back(f);
      if (version >= 5 && size_t(i) < embedded.size() && !embedded[size_t(i)].empty())
        m_impl.embeddedSources.try_emplace(f, std::move(embedded[size_t(i)]));
      if (std::find(cu.files.begin(), cu.files.end(), f) == cu.files.end())
        cu.files.push_back(f);
      dwarf_dealloc(dbg, names[i], DW_DLA_STRING);
    }
    dwarf_dealloc(dbg, names, DW_DLA_LIST);
  } else if (rc == DW_DLV_ERROR) {
    warn(".debug_line", unit.stmtList, "file names unreadable: " + m_object.takeError(err));
  }

  std::vector<LineRow> seq;
  bool seqValid = true;
  for (const LineProgramRow &p : program) {
    LineRow row;
    // Sequences of discarded code start at a linker tombstone; addresses
    // past the code section mark the whole sequence unusable.
    if (p.address == 0 || p.address > m_impl.codeSize ||
        (!seq.empty() && p.address < seq.back().address))
      seqValid = false;
    row.address = uint32_t(p.address);
    row.line = p.line;
    row.column = uint16_t(std::min<uint32_t>(p.column, 0xffff));
    row.file = unit.file(p.file);
    row.isStmt = p.isStmt;
    row.prologueEnd = p.prologueEnd;
    row.epilogueBegin = p.epilogueBegin;
    row.terminal = p.endSequence;
    row.cu = unit.index;
    if (!seq.empty() && seq.back().address == row.address) {
      // As LLDB does (LineTable::AppendLineEntryToSequence): a later row at
      // the same address replaces the earlier, and marks the prologue end
      // when both are in one file.
      row.prologueEnd = row.file == seq.back().file;
      seq.back() = row;
    } else {
      seq.push_back(row);
    }
    if (row.terminal) {
      if (seqValid && seq.size() >= 2)
        m_impl.pendingSequences.push_back(std::move(seq));
      seq = {};
      seqValid = true;
    }
  }
}

void ModuleSymbols::Impl::indexLines() {
  std::sort(pendingSequences.begin(), pendingSequences.end(),
            [](const auto &a, const auto &b) { return a.front().address < b.front().address; });
  rows.clear();
  size_t total = 0;
  for (const auto &seq : pendingSequences)
    total += seq.size();
  rows.reserve(total);
  uint32_t lastEnd = 0;
  for (auto &seq : pendingSequences) {
    if (seq.front().address < lastEnd)
      continue; // Overlaps an earlier sequence: keep the first.
    lastEnd = seq.back().address;
    rows.insert(rows.end(), seq.begin(), seq.end());
  }
  pendingSequences.clear();
  pendingSequences.shrink_to_fit();

  // Rows by (file, line, address). Rows are in address order, so sorting
  // (file, line, row index) keys also orders each line's rows by address.
  // Packed into one integer when they fit (they always do in practice).
  rowsByLine.clear();
  size_t count = 0;
  uint32_t maxFile = 0, maxLine = 0;
  for (const LineRow &r : rows) {
    if (r.terminal)
      continue;
    ++count;
    maxFile = std::max(maxFile, r.file == kNoFile ? 0u : r.file);
    maxLine = std::max(maxLine, r.line);
  }
  rowsByLine.reserve(count);
  if (maxFile < (1u << 16) && maxLine < (1u << 24) && rows.size() < (1u << 24)) {
    std::vector<uint64_t> keys;
    keys.reserve(count);
    for (size_t i = 0; i < rows.size(); ++i) {
      const LineRow &r = rows[i];
      if (!r.terminal)
        keys.push_back(uint64_t(r.file == kNoFile ? 0xffffu : r.file) << 48 |
                       uint64_t(r.line) << 24 | i);
    }
    std::sort(keys.begin(), keys.end());
    for (uint64_t k : keys)
      rowsByLine.push_back(uint32_t(k & 0xffffff));
  } else {
    std::vector<std::pair<uint64_t, uint32_t>> keyed;
    keyed.reserve(count);
    for (size_t i = 0; i < rows.size(); ++i)
      if (!rows[i].terminal)
        keyed.emplace_back(uint64_t(rows[i].file) << 32 | rows[i].line, uint32_t(i));
    std::sort(keyed.begin(), keyed.end());
    for (const auto &k : keyed)
      rowsByLine.push_back(k.second);
  }
}

int64_t ModuleSymbols::Impl::rowIndexAt(uint32_t address) const {
  auto it = std::upper_bound(rows.begin(), rows.end(), address,
                             [](uint32_t a, const LineRow &r) { return a < r.address; });
  if (it == rows.begin())
    return -1;
  --it;
  if (it->terminal)
    return -1;
  return it - rows.begin();
}

uint32_t ModuleSymbols::Impl::bodyAddressOf(const Function &function) const {
  // LLDB's Function::GetPrologueByteSize, so that breakpoints agree with it:
  // a prologue_end row within the first rows, else the first row with a
  // different line, else the end of the first row; then past line-0 rows.
  const uint32_t start = function.lowPc();
  const uint32_t end = function.ranges.empty() ? start : function.ranges.front().high;
  int64_t first = rowIndexAt(start);
  if (first < 0) {
    // low_pc covers the local declarations; an optimised function's line
    // table may begin only at its first instruction, after them.
    auto it = std::lower_bound(rows.begin(), rows.end(), start,
                               [](const LineRow &r, uint32_t a) { return r.address < a; });
    if (it == rows.end() || it->terminal || it->address >= end)
      return start;
    first = it - rows.begin();
  }
  const size_t firstIdx = size_t(first);
  const LineRow &firstRow = rows[firstIdx];
  uint64_t prologueEnd = UINT64_MAX;
  size_t prologueIdx = 0;
  if (firstRow.prologueEnd) {
    prologueEnd = firstRow.address;
    prologueIdx = firstIdx;
  } else {
    for (size_t i = firstIdx + 1; i < firstIdx + 6 && i < rows.size(); ++i) {
      if (rows[i].prologueEnd) {
        prologueEnd = rows[i].address;
        prologueIdx = i;
        break;
      }
    }
  }
  if (prologueEnd == UINT64_MAX) {
    for (size_t i = firstIdx + 1; i < firstIdx + 6 && i < rows.size(); ++i) {
      if (rows[i].line != firstRow.line) {
        prologueEnd = rows[i].address;
        prologueIdx = i;
        break;
      }
    }
    if (prologueEnd == UINT64_MAX) {
      prologueEnd = firstIdx + 1 < rows.size() ? rows[firstIdx + 1].address : firstRow.address;
      prologueIdx = firstIdx;
    }
  }
  // Skip the line-0 rows that follow.
  size_t nonZero = prologueIdx;
  while (nonZero < rows.size()) {
    if (rows[nonZero].line != 0)
      break;
    if (rows[nonZero].address >= end)
      break;
    ++nonZero;
  }
  uint64_t lineZeroEnd = UINT64_MAX;
  if (nonZero > prologueIdx && nonZero < rows.size())
    lineZeroEnd = rows[nonZero].address;
  uint64_t size = 0;
  if (start < prologueEnd && prologueEnd < end)
    size = prologueEnd - start;
  if (lineZeroEnd != UINT64_MAX && prologueEnd < lineZeroEnd && lineZeroEnd < end)
    size += lineZeroEnd - prologueEnd;
  return start + uint32_t(size);
}

std::optional<SourceLocation> ModuleSymbols::locationAt(uint32_t codeOffset) const {
  int64_t i = m_impl->rowIndexAt(codeOffset);
  if (i < 0)
    return std::nullopt;
  const auto &rows = m_impl->rows;
  const LineRow &r = rows[size_t(i)];
  SourceLocation loc;
  loc.address = r.address;
  loc.endAddress = size_t(i) + 1 < rows.size() ? rows[size_t(i) + 1].address : r.address;
  loc.file = r.file;
  loc.line = r.line;
  loc.column = r.column;
  loc.isStmt = r.isStmt;
  loc.prologueEnd = r.prologueEnd;
  loc.epilogueBegin = r.epilogueBegin;
  return loc;
}

const std::vector<SourceLocation> &ModuleSymbols::lineTable() const {
  // Built on first use: only tools that list every row want it.
  std::call_once(m_impl->locationsOnce, [&] {
    const auto &rows = m_impl->rows;
    auto &out = m_impl->locations;
    out.reserve(m_impl->rowsByLine.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      const LineRow &r = rows[i];
      if (r.terminal)
        continue;
      SourceLocation loc;
      loc.address = r.address;
      loc.endAddress = i + 1 < rows.size() ? rows[i + 1].address : r.address;
      loc.file = r.file;
      loc.line = r.line;
      loc.column = r.column;
      loc.isStmt = r.isStmt;
      loc.prologueEnd = r.prologueEnd;
      loc.epilogueBegin = r.epilogueBegin;
      out.push_back(loc);
    }
  });
  return m_impl->locations;
}

std::vector<uint32_t> ModuleSymbols::linesWithCode(FileIndex file) const {
  std::vector<uint32_t> out;
  const auto &rows = m_impl->rows;
  auto lo = std::lower_bound(m_impl->rowsByLine.begin(), m_impl->rowsByLine.end(), file,
                             [&](uint32_t i, FileIndex f) { return rows[i].file < f; });
  for (auto it = lo; it != m_impl->rowsByLine.end() && rows[*it].file == file; ++it) {
    const LineRow &r = rows[*it];
    if (r.line != 0 && (out.empty() || out.back() != r.line))
      out.push_back(r.line);
  }
  return out;
}

std::vector<uint32_t> ModuleSymbols::breakpointAddresses(std::string_view file, uint32_t line,
                                                         LineMatch *resolvedLine) const {
  // Mirrors LLDB's file:line resolution (BreakpointResolverFileLine and
  // BreakpointResolver::SetSCMatchesByLine): the requested line, or else the
  // nearest following line with rows; one location per innermost block (a
  // lexical block, an inlined call or the function), at its lowest address;
  // a location at a function's entry moves past the prologue; a moved line
  // is dropped where the function starts more than one line after the
  // requested one (the line was between functions).
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

  // The best line: `line` itself, or the smallest line after it with rows.
  uint32_t best = UINT32_MAX;
  FileIndex bestFile = kNoFile;
  for (FileIndex f : matching) {
    auto lo =
        std::lower_bound(m.rowsByLine.begin(), m.rowsByLine.end(), std::pair(f, line),
                         [&](uint32_t i, std::pair<FileIndex, uint32_t> key) {
                           const LineRow &r = m.rows[i];
                           return r.file != key.first ? r.file < key.first : r.line < key.second;
                         });
    if (lo != m.rowsByLine.end() && m.rows[*lo].file == f && m.rows[*lo].line < best) {
      best = m.rows[*lo].line;
      bestFile = f;
    }
  }
  if (best == UINT32_MAX)
    return {};
  if (resolvedLine)
    *resolvedLine = LineMatch{bestFile, line, best};

  struct Candidate {
    uint32_t address;
    const void *block;
  };
  std::vector<Candidate> candidates;
  for (FileIndex f : matching) {
    auto lo =
        std::lower_bound(m.rowsByLine.begin(), m.rowsByLine.end(), std::pair(f, best),
                         [&](uint32_t i, std::pair<FileIndex, uint32_t> key) {
                           const LineRow &r = m.rows[i];
                           return r.file != key.first ? r.file < key.first : r.line < key.second;
                         });
    for (auto it = lo; it != m.rowsByLine.end(); ++it) {
      const LineRow &r = m.rows[*it];
      if (r.file != f || r.line != best)
        break;
      const Function *fn = functionAt(r.address);
      const Scope *block = fn ? m.innermostScope(*fn, r.address) : nullptr;
      // Prune as LLDB's FilterContexts does, against the declaration of the
      // innermost inlined function or else the function.
      if (fn) {
        FileIndex declFile = fn->declFile;
        uint32_t declLine = fn->declLine;
        std::vector<InlinedFrame> chain = inlineChainAt(r.address);
        if (!chain.empty()) {
          declFile = chain.front().scope->declFile;
          declLine = chain.front().scope->declLine;
        }
        if (declFile == r.file && declLine > 1 && line < declLine - 1)
          continue;
      }
      candidates.push_back({r.address, block});
    }
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate &a, const Candidate &b) { return a.address < b.address; });
  std::vector<const void *> seenBlocks;
  std::vector<uint32_t> out;
  for (const Candidate &c : candidates) {
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
