// The memory monitor's backend (MemoryMonitor.h): the heap profiler's
// lifetime along the run, `leak_check` and `block_list`, and the stack text
// of HeapText.h. Wording follows memcheck's, so that people who read
// Valgrind's gdbserver replies read these without a legend.
#include "MemoryMonitor.h"

#include "HeapText.h"

#include "wasmscope/profiler/Profiler.h"
#include "wasmscope/runtime/Launch.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace wasmscope::gdbstub {

using namespace wasmscope::profiler;
using runtime::Error;
using runtime::ErrorCode;
using runtime::Result;

// --- Text pieces (HeapText.h) -------------------------------------------------------------

std::string groupedNumber(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  return out;
}

std::string memoryAddress(uint32_t address) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", address);
  return buf;
}

namespace {

std::string baseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string codeAddress(uint64_t codeBase, uint32_t offset) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%016llx", (unsigned long long)(codeBase + offset));
  return buf;
}

bool isMain(const std::string& name) {
  return name == "main" || name == "__main_argc_argv" || name == "__original_main";
}

/// One source frame of an allocation stack: its function and line.
struct StackFrameText {
  uint32_t offset = 0;
  std::string function;
  std::string file; ///< Full path; empty without DWARF.
  uint32_t line = 0;
};

/// The frames of stack `id`, innermost first; inlined calls are frames of
/// their own at the same address. The allocator is one frame, as memcheck
/// shows it: its inlined internals say nothing about the caller.
std::vector<StackFrameText> stackFrames(const Profile& p, AllocStackId id) {
  const MemoryProfile& m = *p.memory;
  std::vector<StackFrameText> out;
  std::vector<AllocStackId> path = m.stackPath(id);
  for (size_t i = path.size(); i-- > 0;) {
    const AllocStackNode& n = m.stacks[path[i]];
    std::string name = n.frame < p.frames.size() ? p.frames[n.frame].name : "?";
    if (i + 1 == path.size() || n.line == UINT32_MAX || n.line >= p.lines.size()) {
      out.push_back({n.address, name, "", 0});
      continue;
    }
    for (const SourceFrame& sf : p.lines[n.line].chain)
      out.push_back({n.address, sf.frame < p.frames.size() ? p.frames[sf.frame].name : name,
                     sf.file != kNone ? p.filePath(sf.file) : "", sf.line});
  }
  return out;
}

} // namespace

std::string allocationStack(const Profile& p, AllocStackId id, uint64_t codeBase,
                            const std::string& indent) {
  std::string text;
  std::vector<StackFrameText> frames = stackFrames(p, id);
  for (size_t i = 0; i < frames.size(); ++i) {
    const StackFrameText& f = frames[i];
    text += indent + (i == 0 ? "at " : "by ") + codeAddress(codeBase, f.offset) + ": " + f.function;
    if (!f.file.empty() && f.line)
      text += " (" + baseName(f.file) + ":" + std::to_string(f.line) + ")";
    text += "\n";
    if (isMain(f.function))
      break;
  }
  return text;
}

uint32_t lossRecordNumber(const MemoryProfile& m, uint32_t record, uint32_t* count) {
  uint32_t number = 0, shown = 0;
  for (uint32_t r = 0; r < m.lossRecords.size(); ++r) {
    if (m.lossRecords[r].suppressed())
      continue;
    ++shown;
    if (r == record)
      number = shown;
  }
  if (count)
    *count = shown;
  return number;
}

std::vector<uint32_t> lossRecordNumbers(const MemoryProfile& m) {
  std::vector<uint32_t> numbers(m.lossRecords.size(), 0);
  uint32_t shown = 0;
  for (uint32_t r = 0; r < m.lossRecords.size(); ++r)
    if (!m.lossRecords[r].suppressed())
      numbers[r] = ++shown;
  return numbers;
}

std::string blockDescription(const Profile& p, uint32_t block) {
  const MemoryProfile& m = *p.memory;
  const CheckedBlock& c = m.checked[block];
  std::string text = "a block of size " + groupedNumber(c.block.size) + " alloc'd (" +
                     leakKindName(c.kind);
  if (c.lossRecord != UINT32_MAX) {
    uint32_t count = 0;
    uint32_t number = lossRecordNumber(m, c.lossRecord, &count);
    if (number)
      text += ", loss record " + std::to_string(number) + " of " + std::to_string(count);
    else
      text += ", suppressed by " + m.lossRecords[c.lossRecord].suppressedBy;
  }
  return text + ")";
}

// --- leak_check's arguments -----------------------------------------------------------------

Result<LeakCheckRequest> parseLeakCheckRequest(std::string_view args) {
  LeakCheckRequest r;
  std::vector<std::string_view> words;
  for (size_t i = 0; i < args.size();) {
    size_t j = args.find_first_of(" \t", i);
    if (j == std::string_view::npos)
      j = args.size();
    if (j > i)
      words.push_back(args.substr(i, j - i));
    i = j + 1;
  }
  auto bad = [](std::string_view word, std::string_view why) {
    return Error(ErrorCode::InvalidArgument,
                 "leak_check: " + std::string(why) + " '" + std::string(word) +
                     "' (leak_check [full|summary] [definiteleak|possibleleak|reachable|kinds "
                     "K,..] [any|increased|changed|new] [limited N|unlimited])");
  };
  for (size_t i = 0; i < words.size(); ++i) {
    std::string_view w = words[i];
    if (w == "full") {
      r.full = true;
    } else if (w == "summary") {
      r.full = false;
    } else if (w == "definiteleak") {
      std::fill(std::begin(r.kinds), std::end(r.kinds), false);
      r.kinds[size_t(LeakKind::DefinitelyLost)] = true;
    } else if (w == "possibleleak") {
      std::fill(std::begin(r.kinds), std::end(r.kinds), false);
      r.kinds[size_t(LeakKind::DefinitelyLost)] = r.kinds[size_t(LeakKind::PossiblyLost)] = true;
    } else if (w == "reachable") {
      std::fill(std::begin(r.kinds), std::end(r.kinds), true);
    } else if (w == "kinds") {
      if (i + 1 == words.size())
        return bad(w, "a kind set must follow");
      std::string_view set = words[++i];
      std::fill(std::begin(r.kinds), std::end(r.kinds), false);
      if (set == "all") {
        std::fill(std::begin(r.kinds), std::end(r.kinds), true);
      } else if (set != "none") {
        for (size_t k = 0; k <= set.size();) {
          size_t comma = std::min(set.find(',', k), set.size());
          std::string_view kind = set.substr(k, comma - k);
          bool known = false;
          for (LeakKind lk : {LeakKind::DefinitelyLost, LeakKind::IndirectlyLost,
                              LeakKind::PossiblyLost, LeakKind::StillReachable})
            if (kind == leakKindToken(lk)) {
              r.kinds[size_t(lk)] = true;
              known = true;
            }
          if (!known)
            return bad(kind, "unknown leak kind (definite, indirect, possible, reachable)");
          k = comma + 1;
        }
      }
    } else if (w == "any") {
      r.delta = LeakCheckRequest::Delta::Any;
    } else if (w == "increased") {
      r.delta = LeakCheckRequest::Delta::Increased;
    } else if (w == "changed") {
      r.delta = LeakCheckRequest::Delta::Changed;
    } else if (w == "new") {
      r.delta = LeakCheckRequest::Delta::New;
    } else if (w == "unlimited") {
      r.limit.reset();
    } else if (w == "limited") {
      uint64_t n = 0;
      std::string_view digits = i + 1 < words.size() ? words[i + 1] : std::string_view();
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
      if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size())
        return bad(digits.empty() ? w : digits, "limited needs a number of records, not");
      r.limit = n;
      ++i;
    } else {
      return bad(w, "unknown argument");
    }
  }
  return r;
}

// --- The run -----------------------------------------------------------------------------

MemoryMonitor::MemoryMonitor(std::vector<profiler::AllocatorName> allocators)
    : m_allocators(std::move(allocators)) {}
MemoryMonitor::~MemoryMonitor() = default;

Result<void> MemoryMonitor::attach(runtime::Guest&) {
  // The heap profiler probes the allocator in the instance: instantiated().
  return runtime::success();
}

Result<void> MemoryMonitor::instantiated(runtime::Guest& guest) {
  std::lock_guard lock(m_mutex);
  m_final.reset();
  m_finalError.clear();
  m_lastCheck.reset();
  m_previous.clear();
  m_previousSummary.reset();
  HeapProfilerOptions options;
  options.allocators = m_allocators;
  auto heap = HeapProfiler::attach(guest, std::move(options));
  if (!heap.ok())
    return Error(heap.error().code, "--gdb-memory: the heap profiler cannot watch this module: " +
                                        heap.error().message);
  m_heap = std::move(*heap);
  m_guest = &guest;
  m_codeBase = 0x4000000000000000ull + guest.module()->module().codeSectionOffset;
  return runtime::success();
}

void MemoryMonitor::detach(runtime::Guest& guest) {
  std::lock_guard lock(m_mutex);
  if (!m_heap)
    return;
  // The guest is about to go: keep the leak check at exit for a client
  // that asks after the run (LLDB still connected to the exited process).
  RunInfo run;
  run.entry = "_start";
  auto profile = finishProfile(guest, std::move(run), nullptr, m_heap.get());
  if (profile.ok())
    m_final = std::move(*profile);
  else
    m_finalError = profile.error().message;
  m_heap.reset();
  m_guest = nullptr;
}

Result<Profile> MemoryMonitor::current(LiveFrames frames) {
  if (!frames || !m_heap) {
    if (m_final)
      return *m_final;
    return Error(ErrorCode::InvalidArgument,
                 m_finalError.empty() ? "the memory profiler is not attached to a guest"
                                      : "the leak check at exit failed: " + m_finalError);
  }
  RunInfo run;
  run.entry = "_start";
  TRY_ASSIGN(Profile profile, m_heap->snapshot(std::move(run), *frames));
  if (!profile.memory || !profile.memory->leakChecked)
    return Error(ErrorCode::InvalidArgument, "the memory profile has no leak check");
  return profile;
}

// --- leak_check ----------------------------------------------------------------------------

namespace {

/// "16 (+8)" when the previous value is known and the delta is asked for.
std::string withDelta(uint64_t now, std::optional<uint64_t> before) {
  std::string text = groupedNumber(now);
  if (!before)
    return text;
  int64_t d = int64_t(now) - int64_t(*before);
  return text + " (" + (d >= 0 ? "+" : "-") + groupedNumber(uint64_t(d >= 0 ? d : -d)) + ")";
}

/// "192 (+16) (64 direct, 128 indirect) bytes in 4 (+1) blocks are
/// definitely lost in loss record 1 of 10", memcheck's line.
std::string recordHeader(const MemoryProfile& m, uint32_t record, uint32_t number, uint32_t count,
                         std::optional<uint64_t> beforeBytes, std::optional<uint64_t> beforeBlocks) {
  const LossRecord& l = m.lossRecords[record];
  std::string text = withDelta(l.totalBytes(), beforeBytes);
  if (l.kind == LeakKind::DefinitelyLost && l.indirectBytes)
    text += " (" + groupedNumber(l.bytes) + " direct, " + groupedNumber(l.indirectBytes) +
            " indirect)";
  return text + " bytes in " + withDelta(l.blocks, beforeBlocks) + " blocks are " +
         leakKindName(l.kind) + " in loss record " +
         std::to_string(number) + " of " + std::to_string(count) +
         "\n";
}

} // namespace

Result<std::string> MemoryMonitor::leakCheck(std::string_view args, LiveFrames frames) {
  TRY_ASSIGN(LeakCheckRequest request, parseLeakCheckRequest(args));
  std::lock_guard lock(m_mutex);
  TRY_ASSIGN(Profile profile, current(frames));
  const MemoryProfile& m = *profile.memory;
  bool deltas = request.delta != LeakCheckRequest::Delta::Any && m_previousSummary.has_value();

  uint64_t blocks = m.checked.size(), bytes = 0;
  for (const CheckedBlock& c : m.checked)
    bytes += c.block.size;
  std::string text = std::string(frames ? "leak check at instruction " : "leak check at exit, instruction ") +
                     groupedNumber(m.checkTime) + ": " + groupedNumber(bytes) + " bytes in " +
                     groupedNumber(blocks) + " blocks not freed; scanned " +
                     groupedNumber(m.roots.staticBytes) + " bytes of static data, " +
                     groupedNumber(m.roots.shadowStackBytes) + " of stack, " +
                     groupedNumber(m.roots.slots) + " locals of " + groupedNumber(m.roots.frames) +
                     " frames, " + groupedNumber(m.roots.globals) + " globals\n";

  uint32_t count = 0;
  lossRecordNumber(m, 0, &count);
  std::vector<uint32_t> numbers = lossRecordNumbers(m);
  std::map<std::pair<uint8_t, uint32_t>, std::pair<uint64_t, uint64_t>> now;
  uint64_t shown = 0, matching = 0;
  for (uint32_t r = 0; r < m.lossRecords.size(); ++r) {
    const LossRecord& l = m.lossRecords[r];
    if (l.suppressed())
      continue;
    std::pair<uint8_t, uint32_t> key{uint8_t(l.kind), l.stack};
    now[key] = {l.totalBytes(), l.blocks};
    if (!request.full || !request.kinds[size_t(l.kind)])
      continue;
    auto before = m_previous.find(key);
    bool known = before != m_previous.end();
    switch (request.delta) {
    case LeakCheckRequest::Delta::Any: break;
    case LeakCheckRequest::Delta::Increased:
      if (known && l.totalBytes() <= before->second.first && l.blocks <= before->second.second)
        continue;
      break;
    case LeakCheckRequest::Delta::Changed:
      if (known && l.totalBytes() == before->second.first && l.blocks == before->second.second)
        continue;
      break;
    case LeakCheckRequest::Delta::New:
      if (known)
        continue;
      break;
    }
    ++matching;
    if (request.limit && shown >= *request.limit)
      continue;
    ++shown;
    std::optional<uint64_t> beforeBytes, beforeBlocks;
    if (deltas) {
      beforeBytes = known ? before->second.first : 0;
      beforeBlocks = known ? before->second.second : 0;
    }
    text += "\n" + recordHeader(m, r, numbers[r], count, beforeBytes, beforeBlocks);
    text += allocationStack(profile, l.stack, m_codeBase, "   ");
  }
  if (request.full) {
    if (matching > shown)
      text += "\n(" + groupedNumber(matching - shown) + " more loss records; limited " +
              groupedNumber(*request.limit) + ")\n";
    else if (!matching)
      text += "\nno loss records of the kinds asked for" +
              std::string(request.delta == LeakCheckRequest::Delta::Any ? "" : " that changed so") +
              "\n";
  }

  const LeakSummary& s = m.summary;
  static const char* kLabels[] = {"   definitely lost: ", "   indirectly lost: ",
                                  "     possibly lost: ", "   still reachable: "};
  text += "\nLEAK SUMMARY:\n";
  for (size_t k = 0; k < 4; ++k) {
    std::optional<uint64_t> beforeBytes, beforeBlocks;
    if (deltas) {
      beforeBytes = m_previousSummary->bytes[k];
      beforeBlocks = m_previousSummary->blocks[k];
    }
    text += kLabels[k] + withDelta(s.bytes[k], beforeBytes) + " bytes in " +
            withDelta(s.blocks[k], beforeBlocks) + " blocks\n";
  }
  text += "        suppressed: " + groupedNumber(s.suppressedBytes) + " bytes in " +
          groupedNumber(s.suppressedBlocks) + " blocks\n";
  if (request.full && !request.kinds[size_t(LeakKind::StillReachable)] &&
      s.blocks[size_t(LeakKind::StillReachable)])
    text += "Reachable blocks are not shown: `leak_check full reachable` lists them.\n";

  m_previous = std::move(now);
  m_previousSummary = s;
  m_lastCheck = std::move(profile);
  return text;
}

// --- block_list ----------------------------------------------------------------------------

namespace {

/// Does allocation stack `id` pass through `site`: "FILE:LINE" (a file's
/// base name or path suffix) or a function name?
bool stackHasSite(const Profile& p, AllocStackId id, std::string_view site) {
  size_t colon = site.rfind(':');
  std::optional<uint32_t> line;
  std::string_view file;
  if (colon != std::string_view::npos && colon + 1 < site.size()) {
    uint32_t n = 0;
    std::string_view digits = site.substr(colon + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec == std::errc() && end == digits.data() + digits.size()) {
      line = n;
      file = site.substr(0, colon);
    }
  }
  for (const StackFrameText& f : stackFrames(p, id)) {
    if (line) {
      if (f.line != *line || f.file.size() < file.size())
        continue;
      std::string_view path = f.file;
      if (path == file || (path.ends_with(file) && path[path.size() - file.size() - 1] == '/'))
        return true;
    } else if (f.function == site) {
      return true;
    }
  }
  return false;
}

} // namespace

Result<std::string> MemoryMonitor::blockList(std::string_view args, LiveFrames frames) {
  // RECORD|FROM..TO|SITE [limited N|unlimited]
  std::string_view what = args.substr(0, args.find_first_of(" \t"));
  std::string_view rest = args.substr(what.size());
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t'))
    rest.remove_prefix(1);
  std::optional<uint64_t> limit;
  if (rest.starts_with("limited")) {
    std::string_view digits = rest.substr(7);
    while (!digits.empty() && digits.front() == ' ')
      digits.remove_prefix(1);
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size())
      return Error(ErrorCode::InvalidArgument, "block_list: limited needs a number of blocks");
    limit = n;
  } else if (!rest.empty() && rest != "unlimited") {
    return Error(ErrorCode::InvalidArgument,
                 "usage: block_list RECORD|FROM..TO|FILE:LINE|FUNCTION [limited N]");
  }

  std::lock_guard lock(m_mutex);
  std::string text;
  if (!m_lastCheck) {
    TRY_ASSIGN(Profile profile, current(frames));
    m_lastCheck = std::move(profile);
    text += "(no leak_check before: ran one; its loss records are numbered as leak_check "
            "numbers them)\n";
  } else if (frames && m_heap && m_guest &&
             m_guest->store().fuelConsumed() != m_lastCheck->memory->checkTime) {
    text += "(from the last leak_check, at instruction " +
            groupedNumber(m_lastCheck->memory->checkTime) +
            "; the guest has run since: leak_check again for the blocks now)\n";
  }
  const Profile& p = *m_lastCheck;
  const MemoryProfile& m = *p.memory;
  uint32_t count = 0;
  lossRecordNumber(m, 0, &count);
  std::vector<uint32_t> numbers = lossRecordNumbers(m);
  // The records asked for, by index into m.lossRecords.
  std::vector<uint32_t> records;
  uint32_t from = 0, to = 0;
  size_t dots = what.find("..");
  auto number = [](std::string_view s, uint32_t& out) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return !s.empty() && ec == std::errc() && end == s.data() + s.size();
  };
  bool byNumber = dots != std::string_view::npos
                      ? number(what.substr(0, dots), from) && number(what.substr(dots + 2), to)
                      : number(what, from) && (to = from, true);
  if (byNumber) {
    if (from == 0 || to < from || to > count)
      return Error(ErrorCode::InvalidArgument,
                   "block_list: no loss record " + std::string(what) + " (the last leak_check has " +
                       std::to_string(count) + ", numbered from 1)");
    for (uint32_t r = 0; r < m.lossRecords.size(); ++r)
      if (numbers[r] >= from && numbers[r] <= to)
        records.push_back(r);
  } else {
    for (uint32_t r = 0; r < m.lossRecords.size(); ++r)
      if (!m.lossRecords[r].suppressed() && stackHasSite(p, m.lossRecords[r].stack, what))
        records.push_back(r);
    if (records.empty())
      return Error(ErrorCode::InvalidArgument,
                   "block_list: no loss record of the last leak_check was allocated at '" +
                       std::string(what) + "' (give FILE:LINE, a function, or a record number 1.." +
                       std::to_string(count) + ")");
  }

  // The blocks lost through each definitely lost block, found once.
  std::map<uint32_t, std::vector<uint32_t>> lostThrough;
  for (uint32_t i = 0; i < m.checked.size(); ++i)
    if (m.checked[i].kind == LeakKind::IndirectlyLost && m.checked[i].clique != UINT32_MAX)
      lostThrough[m.checked[i].clique].push_back(i);
  uint64_t listed = 0, more = 0;
  for (uint32_t r : records) {
    const LossRecord& l = m.lossRecords[r];
    text += recordHeader(m, r, numbers[r], count, std::nullopt, std::nullopt);
    text += allocationStack(p, l.stack, m_codeBase, "   ");
    for (uint32_t member : l.members) {
      if (limit && listed >= *limit) {
        ++more;
        continue;
      }
      ++listed;
      const CheckedBlock& c = m.checked[member];
      text += memoryAddress(c.block.address) + "[" + std::to_string(c.block.size) + "]\n";
      auto through = lostThrough.find(member);
      if (c.kind != LeakKind::DefinitelyLost || through == lostThrough.end())
        continue;
      for (uint32_t i : through->second) {
        const CheckedBlock& in = m.checked[i];
        text += "  " + memoryAddress(in.block.address) + "[" + std::to_string(in.block.size) +
                "] indirect loss record " +
                std::to_string(in.lossRecord == UINT32_MAX ? 0 : numbers[in.lossRecord]) +
                "\n";
      }
    }
  }
  if (more)
    text += "(" + groupedNumber(more) + " more blocks; limited " + groupedNumber(*limit) + ")\n";
  return text;
}

} // namespace wasmscope::gdbstub
