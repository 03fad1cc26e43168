// Heap profiler tests: the allocator interception (every C entry point,
// nested calls counted once, user-named allocators), the exact peak, the
// log and its replay, and the leak check's memcheck classes, on test
// programs whose allocations are known from their source.
#include "ProfilerTestSupport.h"
#include "WatUtil.h"

#include "wasmscope/profiler/Formats.h"
#include "wasmscope/profiler/HeapProfiler.h"
#include "wasmscope/runtime/Store.h"
#include "wasmscope/runtime/Wasi.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <unistd.h>
#include <optional>
#include <set>
#include <fstream>

namespace wasmscope::profiler::test {
namespace {

using namespace wasmscope::runtime;

struct HeapRun {
  Result<Profile> profile = Error(ErrorCode::InvalidArgument, "not run");
};

HeapRun runWithHeap(const std::string &path, HeapProfilerOptions options,
                    bool instructions = false) {
  HeapRun out;
  LaunchSpec spec;
  spec.modulePath = path;
  spec.countBlocks = true;
  spec.deterministic = true;
  spec.stdinFd = -1;
  spec.output = [](int, std::string_view) {};
  auto guest = loadGuest(std::move(spec));
  if (!guest.ok()) {
    out.profile = guest.error();
    return out;
  }
  std::unique_ptr<Profiler> profiler;
  if (instructions) {
    auto p = Profiler::attach(**guest, {});
    if (!p.ok()) {
      out.profile = p.error();
      return out;
    }
    profiler = std::move(*p);
  }
  auto instance = (*guest)->instantiate();
  if (!instance.ok()) {
    out.profile = instance.error();
    return out;
  }
  auto heap = HeapProfiler::attach(**guest, std::move(options));
  if (!heap.ok()) {
    out.profile = heap.error();
    return out;
  }
  auto status = (*guest)->runStart();
  if (!status.ok()) {
    out.profile = status.error();
    return out;
  }
  RunInfo run;
  run.entry = "_start";
  out.profile = finishProfile(**guest, std::move(run), profiler.get(), heap->get());
  return out;
}

bool haveProgram(const std::string &name) {
  return std::filesystem::exists(programPath(name, "O0"));
}

/// The source line a marker comment is on.
uint32_t lineOf(const std::string &program, const std::string &marker) {
  std::ifstream in(std::string(PROFILER_TEST_PROGRAMS_SRC) + "/" + program + ".c");
  std::string text;
  for (uint32_t n = 1; std::getline(in, text); ++n)
    if (text.find(marker) != std::string::npos)
      return n;
  return 0;
}

/// Does allocation stack `id` pass through source line `line` of a frame
/// named `function`?
bool stackHasLine(const Profile &p, AllocStackId id, const std::string &function, uint32_t line) {
  const MemoryProfile &m = *p.memory;
  for (AllocStackId s : m.stackPath(id)) {
    const AllocStackNode &n = m.stacks[s];
    if (n.line == UINT32_MAX)
      continue;
    for (const SourceFrame &f : p.lines[n.line].chain)
      if (p.frames[f.frame].name == function && f.line == line)
        return true;
  }
  return false;
}

bool stackHasFunction(const Profile &p, AllocStackId id, const std::string &function) {
  for (AllocStackId s : p.memory->stackPath(id))
    if (p.frames[p.memory->stacks[s].frame].name == function)
      return true;
  return false;
}

TEST(HeapProfiler, InterceptsEveryCEntryPointWithExactSizes) {
  if (!haveProgram("heap_events"))
    GTEST_SKIP() << "test programs not built";
  HeapRun run = runWithHeap(programPath("heap_events", "O0"), {});
  ASSERT_TRUE(run.profile.ok()) << run.profile.error().describe();
  const Profile &p = *run.profile;
  ASSERT_TRUE(p.memory);
  const MemoryProfile &m = *p.memory;
  EXPECT_EQ(m.validate(p.frames.size(), p.lines.size()), "");
  std::set<std::string> roles;
  for (const InterceptedFunction &f : m.intercepted)
    roles.insert(allocFunctionName(f.role));
  for (const char *r : {"malloc", "calloc", "realloc", "free", "aligned_alloc", "posix_memalign"})
    EXPECT_TRUE(roles.count(r)) << r;

  // main's own allocations, in program order, with their sizes.
  std::vector<uint32_t> sizes;
  std::vector<uint32_t> frees;
  for (const HeapEvent &e : m.log.events) {
    if (!stackHasFunction(p, e.stack, "main"))
      continue;
    (e.kind == HeapEventKind::Alloc ? sizes : frees).push_back(e.size);
  }
  std::vector<uint32_t> expected = {16, 32, 48, 64, 80, 96, 112, 128, 144, 160,
                                    100, 200, 128, 48, 40, 33};
  EXPECT_EQ(sizes, expected);
  // The ten loop blocks, the calloc block (moved or not, realloc frees it),
  // then c, al, pm, u.
  EXPECT_EQ(frees.size(), 15u);

  // The peak: exactly the ten blocks of the loop's line live at once.
  uint32_t peakLine = lineOf("heap_events", "HEAP_PEAK_LINE");
  ASSERT_NE(peakLine, 0u);
  uint64_t loopBlocks = 0, loopBytes = 0;
  for (const HeapBlock &b : m.peak.live)
    if (stackHasLine(p, b.stack, "main", peakLine)) {
      ++loopBlocks;
      loopBytes += b.size;
    }
  EXPECT_EQ(loopBlocks, 10u);
  EXPECT_EQ(loopBytes, 880u);
  uint64_t peakSum = 0;
  for (const HeapBlock &b : m.peak.live)
    peakSum += b.size;
  EXPECT_EQ(peakSum, m.peak.bytes);
  EXPECT_EQ(m.peak.live.size(), m.peak.blocks);
  // The replayed live set at the peak's instruction is the peak.
  auto at = m.liveAt(m.peak.time);
  ASSERT_TRUE(at);
  EXPECT_EQ(at->size(), m.peak.live.size());
  // The timeline's largest point is the peak.
  uint64_t top = 0;
  for (const auto &pt : m.timeline(0))
    top = std::max(top, pt.bytes);
  EXPECT_EQ(top, m.peak.bytes);
  EXPECT_TRUE(m.errors.empty());
}

TEST(HeapProfiler, UserAllocatorCountsNestedMallocOnce) {
  if (!haveProgram("heap_events"))
    GTEST_SKIP() << "test programs not built";
  HeapProfilerOptions options;
  auto named = parseAllocatorName("my_alloc=malloc");
  ASSERT_TRUE(named.ok());
  options.allocators.push_back(*named);
  options.allocators.push_back(*parseAllocatorName("my_free=free"));
  HeapRun run = runWithHeap(programPath("heap_events", "O0"), options);
  ASSERT_TRUE(run.profile.ok()) << run.profile.error().describe();
  const Profile &p = *run.profile;
  const MemoryProfile &m = *p.memory;
  // The 40-byte block is allocated once, and its innermost frame is my_alloc.
  int forty = 0;
  for (const HeapEvent &e : m.log.events)
    if (e.kind == HeapEventKind::Alloc && e.size == 40 && stackHasFunction(p, e.stack, "main")) {
      ++forty;
      EXPECT_EQ(p.frames[m.stacks[e.stack].frame].name, "my_alloc");
    }
  EXPECT_EQ(forty, 1);
  EXPECT_FALSE(parseAllocatorName("my_alloc").ok());
  EXPECT_FALSE(parseAllocatorName("my_alloc=bogus").ok());
}

TEST(HeapProfiler, UnknownUserAllocatorIsAnError) {
  if (!haveProgram("heap_events"))
    GTEST_SKIP() << "test programs not built";
  HeapProfilerOptions options;
  options.allocators.push_back(*parseAllocatorName("no_such_function=malloc"));
  HeapRun run = runWithHeap(programPath("heap_events", "O0"), options);
  ASSERT_FALSE(run.profile.ok());
  EXPECT_NE(run.profile.error().message.find("no_such_function"), std::string::npos);
}

TEST(HeapProfiler, WorksWithTheInstructionProfileAndAgreesOnTime) {
  if (!haveProgram("heap_events"))
    GTEST_SKIP() << "test programs not built";
  HeapRun run = runWithHeap(programPath("heap_events", "O0"), {}, true);
  ASSERT_TRUE(run.profile.ok()) << run.profile.error().describe();
  const Profile &p = *run.profile;
  EXPECT_EQ(p.validate(), "");
  ASSERT_TRUE(p.memory);
  EXPECT_EQ(p.memory->endTime, p.totals.instructions);
  for (const HeapEvent &e : p.memory->log.events)
    EXPECT_LE(e.time, p.totals.instructions);
}

TEST(HeapProfiler, BoundedLogKeepsThePeakAndTheLiveSet) {
  if (!haveProgram("heap_events"))
    GTEST_SKIP() << "test programs not built";
  HeapRun full = runWithHeap(programPath("heap_events", "O0"), {});
  HeapProfilerOptions small;
  small.maxEvents = 4;
  HeapRun bounded = runWithHeap(programPath("heap_events", "O0"), small);
  ASSERT_TRUE(full.profile.ok() && bounded.profile.ok());
  const MemoryProfile &a = *full.profile->memory, &b = *bounded.profile->memory;
  EXPECT_GT(b.log.folded, 0u);
  EXPECT_LE(b.log.events.size(), 4u);
  EXPECT_EQ(a.peak.bytes, b.peak.bytes);
  EXPECT_EQ(a.peak.time, b.peak.time);
  ASSERT_EQ(a.peak.live.size(), b.peak.live.size());
  for (size_t i = 0; i < a.peak.live.size(); ++i) {
    EXPECT_EQ(a.peak.live[i].address, b.peak.live[i].address);
    EXPECT_EQ(a.peak.live[i].size, b.peak.live[i].size);
  }
  auto endA = a.liveAt(a.endTime), endB = b.liveAt(b.endTime);
  ASSERT_TRUE(endA && endB);
  EXPECT_EQ(endA->size(), endB->size());
}

TEST(HeapProfiler, LeakCheckClassifiesLikeMemcheck) {
  if (!haveProgram("leak_classes"))
    GTEST_SKIP() << "test programs not built";
  HeapRun run = runWithHeap(programPath("leak_classes", "O0"), {});
  ASSERT_TRUE(run.profile.ok()) << run.profile.error().describe();
  const Profile &p = *run.profile;
  const MemoryProfile &m = *p.memory;
  ASSERT_TRUE(m.leakChecked);
  EXPECT_EQ(m.validate(p.frames.size(), p.lines.size()), "");
  const LeakSummary &s = m.summary;
  auto kind = [](LeakKind k) { return size_t(k); };
  // 3 x 24 buffers, the 64-byte realloc block, the list head (8 bytes).
  EXPECT_EQ(s.blocks[kind(LeakKind::DefinitelyLost)], 5u);
  EXPECT_EQ(s.bytes[kind(LeakKind::DefinitelyLost)], 3u * 24 + 64 + 8);
  EXPECT_EQ(s.blocks[kind(LeakKind::IndirectlyLost)], 3u);
  EXPECT_EQ(s.bytes[kind(LeakKind::IndirectlyLost)], 24u);
  EXPECT_EQ(s.blocks[kind(LeakKind::PossiblyLost)], 1u);
  EXPECT_EQ(s.bytes[kind(LeakKind::PossiblyLost)], 100u);
  EXPECT_EQ(s.blocks[kind(LeakKind::StillReachable)], 2u);
  EXPECT_EQ(s.bytes[kind(LeakKind::StillReachable)], 16u);
  // Records by site: the three buffers are one record at their line.
  uint32_t bufferLine = lineOf("leak_classes", "DEFINITE_BUFFER");
  bool found = false;
  for (const LossRecord &r : m.lossRecords)
    if (r.kind == LeakKind::DefinitelyLost && stackHasLine(p, r.stack, "lose_buffers", bufferLine)) {
      found = true;
      EXPECT_EQ(r.blocks, 3u);
      EXPECT_EQ(r.bytes, 72u);
    }
  EXPECT_TRUE(found);
  // The list head's record carries its three nodes as indirect bytes.
  uint32_t nodeLine = lineOf("leak_classes", "LIST_NODE");
  found = false;
  for (const LossRecord &r : m.lossRecords)
    if (r.kind == LeakKind::DefinitelyLost && stackHasLine(p, r.stack, "make_list", nodeLine)) {
      found = true;
      EXPECT_EQ(r.blocks, 1u);
      EXPECT_EQ(r.indirectBytes, 24u);
    }
  EXPECT_TRUE(found);
  // Who points at the possibly lost block: the global `interior`, 10 bytes in.
  for (uint32_t i = 0; i < m.checked.size(); ++i)
    if (m.checked[i].kind == LeakKind::PossiblyLost) {
      auto refs = m.pointersTo(i);
      ASSERT_EQ(refs.size(), 1u);
      EXPECT_EQ(refs[0]->source, RootKind::StaticData);
      EXPECT_EQ(refs[0]->value, m.checked[i].block.address + 10);
    }
}

// DHAT's count: the realloc of the calloc'd block is one more block of 200
// bytes at the calloc's site, none at the realloc's; the same figures with a
// log folded down to four events; the file parses with DHAT's fields.
TEST(HeapProfiler, DhatChargesReallocsToTheBlocksSite) {
  if (!haveProgram("heap_events"))
    GTEST_SKIP() << "test programs not built";
  HeapRun full = runWithHeap(programPath("heap_events", "O0"), {});
  HeapProfilerOptions small;
  small.maxEvents = 4;
  HeapRun bounded = runWithHeap(programPath("heap_events", "O0"), small);
  ASSERT_TRUE(full.profile.ok() && bounded.profile.ok());
  const Profile &p = *full.profile;
  const MemoryProfile &m = *p.memory;
  const AllocSite *callocSite = nullptr, *reallocSite = nullptr;
  for (const AllocSite &s : m.sites) {
    const InterceptedFunction *f = nullptr;
    AllocStackId top = m.stackPath(s.stack).back();
    for (const InterceptedFunction &i : m.intercepted)
      if (p.frames[m.stacks[top].frame].funcIndex == i.funcIndex)
        f = &i;
    ASSERT_TRUE(f);
    if (f->role == AllocFunction::Calloc)
      callocSite = &s;
    if (f->role == AllocFunction::Realloc)
      reallocSite = &s;
  }
  ASSERT_TRUE(callocSite && reallocSite);
  EXPECT_EQ(callocSite->allocations, 1u);
  EXPECT_EQ(callocSite->dhat.blocks, 2u);
  EXPECT_EQ(callocSite->dhat.bytes, 100u + 200u);
  EXPECT_EQ(callocSite->dhat.maxBytes, 200u);
  EXPECT_EQ(reallocSite->allocations, 1u);
  EXPECT_EQ(reallocSite->dhat.blocks, 0u);
  // The peak (ten blocks, 880 bytes) is reached once: DHAT's t-gmax is it.
  EXPECT_EQ(m.peak.lastTime, m.peak.time);
  uint64_t peakBytes = 0, endBytes = 0, liveAtEnd = 0;
  for (const AllocSite &s : m.sites) {
    peakBytes += s.dhat.peakBytes;
    endBytes += s.dhat.endBytes;
    liveAtEnd += s.liveAtEndBytes;
  }
  EXPECT_EQ(peakBytes, m.peak.bytes);
  EXPECT_EQ(endBytes, liveAtEnd); // The 33-byte block, and wasi-libc's start-up blocks.
  EXPECT_GE(endBytes, 33u);
  const MemoryProfile &b = *bounded.profile->memory;
  EXPECT_GT(b.log.folded, 0u);
  ASSERT_EQ(b.sites.size(), m.sites.size());
  for (size_t i = 0; i < m.sites.size(); ++i)
    EXPECT_EQ(b.sites[i].dhat, m.sites[i].dhat) << "site " << i;

  auto text = writeDhat(p);
  ASSERT_TRUE(text.ok()) << text.error().describe();
  auto j = nlohmann::json::parse(*text);
  for (const char *field : {"dhatFileVersion", "mode", "verb", "bklt", "bkacc", "tu", "Mtu",
                            "tuth", "cmd", "pid", "te", "tg", "pps", "ftbl"})
    EXPECT_TRUE(j.contains(field)) << field;
  EXPECT_EQ(j["dhatFileVersion"], 2);
  EXPECT_EQ(j["tu"], "instrs");
  EXPECT_EQ(j["ftbl"][0], "[root]");
  EXPECT_EQ(j["tg"], m.peak.lastTime);
  uint64_t withBlocks = 0;
  for (const AllocSite &s : m.sites)
    withBlocks += s.dhat.blocks > 0;
  EXPECT_EQ(j["pps"].size(), withBlocks);
  for (const auto &pp : j["pps"])
    for (const auto &f : pp["fs"])
      EXPECT_LT(f.get<size_t>(), j["ftbl"].size());
  Profile noHeap = p;
  noHeap.memory.reset();
  EXPECT_FALSE(writeDhat(noHeap).ok());
}

// A leak check while the guest is stopped inside a call: the only pointer to
// the block is on the caller's operand stack (malloc's result, pushed and
// not yet stored), so it is a root and the block still reachable; once the
// caller dropped it, the check at the end finds it definitely lost.
TEST(HeapProfiler, CallersOperandStackIsARoot) {
  namespace fs = std::filesystem;
  std::vector<uint8_t> bytes = runtime::test::watToWasm(R"(
    (module
      (memory 1)
      (global $next (mut i32) (i32.const 1024))
      (func $malloc (export "malloc") (param $n i32) (result i32) (local $p i32)
        global.get $next
        local.set $p
        global.get $next
        local.get $n
        i32.add
        i32.const 64
        i32.add
        global.set $next
        local.get $p)
      (func $free (export "free") (param i32))
      (func $check_here (param i32) (result i32) local.get 0)
      (func $main (export "main")
        i32.const 16
        call $malloc
        i32.const 7
        call $check_here
        drop
        drop))
  )");
  ASSERT_FALSE(bytes.empty());
  std::string path =
      (fs::temp_directory_path() / ("wasmscope-operands-" + std::to_string(::getpid()) + ".wasm"))
          .string();
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char *>(bytes.data()), long(bytes.size()));
  LaunchSpec spec;
  spec.modulePath = path;
  spec.countBlocks = true;
  auto guest = loadGuest(spec);
  ASSERT_TRUE(guest.ok()) << guest.error().describe();
  ASSERT_TRUE((*guest)->instantiate().ok());
  HeapProfilerOptions options;
  options.defaultSuppressions = false;
  auto heap = HeapProfiler::attach(**guest, std::move(options));
  ASSERT_TRUE(heap.ok()) << heap.error().describe();
  Instance &instance = *(*guest)->instance();
  FuncIndex checkHere = UINT32_MAX;
  for (const auto &[f, name] : instance.module()->module().names.functionNames)
    if (name == "check_here")
      checkHere = f;
  ASSERT_NE(checkHere, UINT32_MAX);
  Store &store = (*guest)->store();
  std::optional<MemoryProfile> during;
  auto probe = store.addLocalProbe(instance, checkHere,
                                   instance.module()->function(checkHere)->bodyOffset,
                                   [&](ProbeContext &) {
                                     auto check = (*heap)->checkNow(store.frames());
                                     EXPECT_TRUE(check.ok());
                                     if (check.ok())
                                       during = std::move(*check);
                                     return ProbeAction::Continue;
                                   });
  ASSERT_TRUE(probe.ok());
  ASSERT_TRUE(store.invoke(*instance.findFunction("main"), {}).ok());
  fs::remove(path);
  ASSERT_TRUE(during);
  ASSERT_EQ(during->checked.size(), 1u);
  EXPECT_EQ(during->checked[0].block.address, 1024u);
  EXPECT_EQ(during->checked[0].kind, LeakKind::StillReachable);
  bool fromOperands = false;
  for (const PointerRef &r : during->references)
    fromOperands |= r.source == RootKind::OperandStack && r.from == 1 && r.value == 1024;
  EXPECT_TRUE(fromOperands) << "no reference from the caller's (frame 1) operand stack";
  auto after = (*heap)->checkNow({});
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->checked.size(), 1u);
  EXPECT_EQ(after->checked[0].kind, LeakKind::DefinitelyLost);
}

TEST(HeapProfiler, MemorySectionRoundTripsThroughJson) {
  if (!haveProgram("leak_classes"))
    GTEST_SKIP() << "test programs not built";
  HeapRun run = runWithHeap(programPath("leak_classes", "O0"), {}, true);
  ASSERT_TRUE(run.profile.ok()) << run.profile.error().describe();
  std::string text = writeJson(*run.profile);
  auto back = readJson(text);
  ASSERT_TRUE(back.ok()) << back.error().describe();
  ASSERT_TRUE(back->memory);
  EXPECT_EQ(writeJson(*back), text);
  EXPECT_EQ(back->memory->lossRecords.size(), run.profile->memory->lossRecords.size());
  // A stack index out of range is refused, naming the memory section.
  std::string bad = text;
  size_t at = bad.find("\"stack\": ");
  ASSERT_NE(at, std::string::npos);
  bad.insert(at + 9, "9999");
  auto refused = readJson(bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("memory"), std::string::npos) << refused.error().message;
}

TEST(HeapProfiler, SuppressionsHideLossRecords) {
  if (!haveProgram("leak_classes"))
    GTEST_SKIP() << "test programs not built";
  HeapProfilerOptions options;
  ASSERT_TRUE(options.suppressions.add("leak:lose_buffers\n", "test").ok());
  HeapRun run = runWithHeap(programPath("leak_classes", "O0"), options);
  ASSERT_TRUE(run.profile.ok()) << run.profile.error().describe();
  const LeakSummary &s = run.profile->memory->summary;
  EXPECT_EQ(s.blocks[size_t(LeakKind::DefinitelyLost)], 2u);
  EXPECT_GE(s.suppressedBlocks, 3u);
}

} // namespace
} // namespace wasmscope::profiler::test
