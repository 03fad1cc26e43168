// The memory views' models on samples/request_handler run live with the
// heap profiler (LiveRun with `memory`): its three leaks are leaked ranges
// of the memory map and definitely lost rows of the allocations model with
// their malloc sites; the timeline's peak is the profile's exact peak; a
// scrub replays the live set the profile recorded. Plus the map's
// precedence, page summary and cells on a memory built by hand.
#include "InspectorTestSupport.h"

#include "AllocationsModel.h"
#include "HeapTimeline.h"
#include "InspectorModel.h"
#include "MemoryMap.h"

#include "wasmscope/profiler/Formats.h"
#include "wasmscope/runtime/Decoder.h"
#include "wasmscope/runtime/Launch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <set>

namespace wasmscope::gui {
namespace {

using profiler::HeapBlock;

class MemoryModelTest : public ::testing::Test {
protected:
  void SetUp() override {
    if (test::samplePath("request_handler").empty())
      GTEST_SKIP() << "wasm samples not built";
    m_run = test::requestHandlerMemoryRun();
    ASSERT_TRUE(m_run.profile) << m_run.error;
    ASSERT_TRUE(m_run.profile->memory) << "no memory profile";
    auto bytes = runtime::readModuleFile(test::samplePath("request_handler"));
    ASSERT_TRUE(bytes.ok());
    auto module = runtime::decodeModule(*bytes);
    ASSERT_TRUE(module.ok());
    m_layout = profiler::memoryLayout(*module);
    m_initialPages = module->memories.empty() ? 0 : module->memories[0].limits.min;
  }
  const profiler::Profile& profile() const { return *m_run.profile; }
  const profiler::MemoryProfile& memory() const { return *m_run.profile->memory; }

  RunSnapshot m_run;
  profiler::MemoryLayout m_layout;
  uint64_t m_initialPages = 0;
};

TEST_F(MemoryModelTest, TheLeaksAreLeakedRangesOfTheMap) {
  const profiler::MemoryProfile& m = memory();
  ASSERT_TRUE(m.leakChecked);
  MemoryMap map;
  map.build(profile(), m_layout, std::nullopt, 0, m_initialPages);
  ASSERT_FALSE(map.empty());
  EXPECT_TRUE(map.leakChecked());
  EXPECT_EQ(map.size() % MemoryMap::kPageBytes, 0u);
  uint64_t lost = 0;
  for (const profiler::CheckedBlock& c : m.checked) {
    MemoryKind expected = memoryKindOf(c.kind);
    for (uint64_t a : {uint64_t(c.block.address), uint64_t(c.block.address) + c.block.size - 1})
      EXPECT_EQ(map.kindAt(a), expected) << std::hex << a;
    auto at = map.blockAt(c.block.address + c.block.size / 2);
    ASSERT_TRUE(at);
    EXPECT_EQ(map.blocks()[*at].block.address, c.block.address);
    if (c.kind == profiler::LeakKind::DefinitelyLost || c.kind == profiler::LeakKind::IndirectlyLost)
      lost += c.block.size;
  }
  // Leaked bytes: exactly the definitely and indirectly lost ones
  // (suppressed blocks are still lost blocks in memory).
  EXPECT_GT(lost, 0u);
  EXPECT_EQ(map.totals()[int(MemoryKind::Leaked)], lost);
  // Data, bss and the stack where the module's layout puts them.
  EXPECT_EQ(map.kindAt(m_layout.staticBegin), MemoryKind::Data);
  ASSERT_GT(m_layout.stackBase, m_layout.stackLimit);
  EXPECT_EQ(map.kindAt(m_layout.stackBase - 1), MemoryKind::Stack);
  // Freed: a block of the log that is not live at the end.
  std::set<uint32_t> liveAtEnd;
  for (const auto& c : m.checked)
    liveAtEnd.insert(c.block.address);
  size_t freedSeen = 0;
  for (const profiler::HeapEvent& e : m.log.events)
    if (e.kind == profiler::HeapEventKind::Free && !map.blockAt(e.address)) {
      EXPECT_EQ(map.kindAt(e.address), MemoryKind::Freed) << std::hex << e.address;
      ++freedSeen;
    }
  EXPECT_GT(freedSeen, 10u);
  // The summary adds up to the totals, and to the memory's size.
  std::array<uint64_t, kMemoryKindCount> sums{};
  uint64_t all = 0;
  for (size_t g = 0; g < map.granuleCount(); ++g)
    for (int k = 0; k < kMemoryKindCount; ++k) {
      sums[k] += map.granule(g)[k];
      all += map.granule(g)[k];
    }
  for (int k = 0; k < kMemoryKindCount; ++k)
    EXPECT_EQ(sums[k], map.totals()[k]) << palette::memoryKindName(MemoryKind(k));
  EXPECT_EQ(all, map.size());
  // Whole pages a cell: the page holding a leak is drawn leaked.
  std::vector<MemoryKind> cells(map.size() / MemoryMap::kPageBytes);
  map.cells(0, MemoryMap::kPageBytes, cells);
  for (const auto& c : m.checked)
    if (c.kind == profiler::LeakKind::DefinitelyLost) {
      EXPECT_EQ(cells[c.block.address / MemoryMap::kPageBytes], MemoryKind::Leaked);
    }
}

TEST_F(MemoryModelTest, TheLeaksAreDefinitelyLostRowsWithTheirMallocSites) {
  AllocationsModel allocations;
  allocations.build(profile());
  ASSERT_TRUE(allocations.leakChecked());
  std::vector<std::string> definite;
  for (size_t r = 0; r < allocations.rows().size(); ++r) {
    const AllocationRow& row = allocations.rows()[r];
    EXPECT_EQ(row.members.size(), row.blocks);
    if (row.cls != AllocClass::Definite)
      continue;
    std::string stack;
    for (const AllocFrame& f : allocations.stack(r))
      stack += f.text() + "\n";
    definite.push_back(stack);
  }
  auto has = [&](const std::string& a, const std::string& b) {
    return std::any_of(definite.begin(), definite.end(), [&](const std::string& s) {
      return s.find(a) != std::string::npos && s.find(b) != std::string::npos;
    });
  };
  std::string all;
  for (const auto& s : definite)
    all += s + "--\n";
  // Leak 1: parse_request's method copy; leak 2: the 404 response; leak 3:
  // the user name add_user copied.
  EXPECT_TRUE(has("copy_string (request_handler.c:101)", "parse_request (request_handler.c:112)"))
      << all;
  EXPECT_TRUE(has("calloc", "response_new (request_handler.c:156)")) << all;
  EXPECT_TRUE(has("copy_string (request_handler.c:101)", "add_user (request_handler.c:207)")) << all;
  // Every reported row's site names the caller of the allocator with its
  // line; wasi-libc's start-up allocations are there, suppressed.
  size_t suppressed = 0;
  for (const AllocationRow& row : allocations.rows()) {
    if (!row.suppressedBy.empty()) {
      suppressed += row.blocks;
      continue;
    }
    EXPECT_NE(row.site.find("request_handler.c:"), std::string::npos) << row.site;
  }
  EXPECT_EQ(suppressed, allocations.suppressed());
  EXPECT_EQ(suppressed, memory().summary.suppressedBlocks);

  // The filter keeps rows whose stack has the text; the sort orders.
  auto filtered = allocations.order(AllocColumn::Bytes, true, "ADD_USER");
  ASSERT_FALSE(filtered.empty());
  EXPECT_LT(filtered.size(), allocations.rows().size());
  for (size_t i : filtered)
    EXPECT_NE(allocations.rows()[i].search.find("add_user"), std::string::npos);
  auto byBlocks = allocations.order(AllocColumn::Blocks, false, "");
  ASSERT_EQ(byBlocks.size(), allocations.rows().size());
  for (size_t i = 1; i < byBlocks.size(); ++i)
    EXPECT_LE(allocations.rows()[byBlocks[i - 1]].blocks, allocations.rows()[byBlocks[i]].blocks);

  // An indirectly lost block (a response's body) is pointed at by the
  // definitely lost response that owns it.
  bool checkedOne = false;
  for (const AllocationRow& row : allocations.rows()) {
    if (row.cls != AllocClass::Indirect)
      continue;
    std::vector<PointerLine> pointers = allocations.pointersTo(row.members[0].checked);
    ASSERT_FALSE(pointers.empty());
    ASSERT_TRUE(pointers[0].fromBlock);
    EXPECT_NE(memory().checked[*pointers[0].fromBlock].kind, profiler::LeakKind::StillReachable);
    EXPECT_NE(pointers[0].from.find("block 0x"), std::string::npos) << pointers[0].from;
    checkedOne = true;
  }
  EXPECT_TRUE(checkedOne);
  // find() locates a block's row from any of its bytes.
  const AllocationRow& first = allocations.rows()[0];
  auto found = allocations.find(first.members.back().block.address + first.members.back().block.size - 1);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->first, 0u);
  EXPECT_EQ(found->second, first.members.size() - 1);
}

TEST_F(MemoryModelTest, TheTimelinePeakIsTheExactPeakAndAScrubReplaysTheLiveSet) {
  const profiler::MemoryProfile& m = memory();
  HeapTimeline timeline;
  timeline.build(profile());
  ASSERT_FALSE(timeline.empty());
  uint64_t highest = 0;
  for (const auto& p : timeline.points())
    highest = std::max(highest, p.bytes);
  EXPECT_EQ(highest, m.peak.bytes);
  EXPECT_EQ(timeline.bytesAt(m.peak.time), m.peak.bytes);
  EXPECT_LT(timeline.bytesAt(m.peak.time - 1), m.peak.bytes); // The first such instruction.
  // The live set at the peak, replayed from the log, is the one the
  // profiler recorded at the peak.
  timeline.scrub(m.peak.time);
  ASSERT_EQ(timeline.liveSet().size(), m.peak.live.size());
  for (size_t i = 0; i < m.peak.live.size(); ++i) {
    EXPECT_EQ(timeline.liveSet()[i].address, m.peak.live[i].address);
    EXPECT_EQ(timeline.liveSet()[i].size, m.peak.live[i].size);
    EXPECT_EQ(timeline.liveSet()[i].serial, m.peak.live[i].serial);
  }
  EXPECT_EQ(timeline.liveBytes(), m.peak.bytes);
  // At the end it is the set the leak check saw.
  timeline.scrub(m.endTime);
  ASSERT_EQ(timeline.liveSet().size(), m.checked.size());
  for (size_t i = 0; i < m.checked.size(); ++i)
    EXPECT_EQ(timeline.liveSet()[i].serial, m.checked[i].block.serial);

  // The model ties the views together: a scrub shows the peak's live set
  // in the map and the allocations table.
  InspectorModel model;
  model.setProfile(m_run.profile);
  model.scrubTo(m.peak.time);
  EXPECT_EQ(model.memoryMap().time(), m.peak.time);
  EXPECT_EQ(model.memoryMap().totals()[int(MemoryKind::Live)], m.peak.bytes);
  EXPECT_EQ(model.memoryMap().totals()[int(MemoryKind::Leaked)], 0u);
  uint64_t tableBytes = 0, tableBlocks = 0;
  for (const AllocationRow& row : model.allocations().rows()) {
    EXPECT_EQ(row.cls, AllocClass::Live);
    tableBytes += row.bytes;
    tableBlocks += row.blocks;
  }
  EXPECT_EQ(tableBytes, m.peak.bytes);
  EXPECT_EQ(tableBlocks, m.peak.blocks);
  model.clearScrub();
  EXPECT_FALSE(model.memoryMap().time());
  EXPECT_GT(model.memoryMap().totals()[int(MemoryKind::Leaked)], 0u);
}

TEST_F(MemoryModelTest, ASavedProfileShowsTheLayoutAndALiveRunTheBytes) {
  // Saved: the module named by the profile gives data, bss and the stack;
  // no contents.
  profiler::Profile copy = profile();
  copy.run.modulePath = test::samplePath("request_handler");
  std::string path = std::string(INSPECTOR_TEST_TMP) + "/rh-memory.profile.json";
  ASSERT_TRUE(profiler::writeFileAtomically(path, profiler::writeJson(copy)).ok());
  InspectorModel saved;
  ASSERT_TRUE(saved.openProfile(path).ok());
  ASSERT_TRUE(saved.memoryLayout());
  EXPECT_EQ(saved.memoryMap().kindAt(m_layout.staticBegin), MemoryKind::Data);
  EXPECT_TRUE(saved.readMemory(m_layout.staticBegin, 16).source.empty());
  // Selecting an address selects its block's row.
  const profiler::CheckedBlock& leak = memory().checked.front();
  saved.selectAddress(leak.block.address + 1);
  ASSERT_TRUE(saved.selection().allocationRow);
  const AllocationRow& row = saved.allocations().rows()[*saved.selection().allocationRow];
  EXPECT_EQ(row.members[*saved.selection().allocationBlock].block.address, leak.block.address);

  // Live: the final snapshot kept linear memory at exit.
  ASSERT_TRUE(m_run.memoryImage);
  EXPECT_EQ(m_run.memoryImage->size() % MemoryMap::kPageBytes, 0u);
  // A leaked response (calloc'ed, status code first) holds its status.
  bool sawStatus = false;
  for (const profiler::CheckedBlock& c : memory().checked) {
    if (c.kind != profiler::LeakKind::DefinitelyLost || c.block.size < 4)
      continue;
    uint32_t word = 0;
    std::memcpy(&word, m_run.memoryImage->data() + c.block.address, 4);
    sawStatus |= word == 404;
  }
  EXPECT_TRUE(sawStatus) << "no leaked 404 response in the memory at exit";
}

TEST(MemoryMapTest, PrecedenceCellsAndLookups) {
  // 3 pages: data [1024, 4096), stack [8192, 65536), a freed range and
  // blocks, one leaked, in page 1; page 2 unused.
  profiler::MemoryLayout layout;
  layout.staticBegin = 1024;
  layout.staticEnd = 4096;
  layout.stackLimit = 8192;
  layout.stackBase = 65536;
  std::vector<MapBlock> blocks = {
      {HeapBlock{70000, 100, 0, 0, 0}, MemoryKind::Live, UINT32_MAX},
      {HeapBlock{70100, 16, 0, 0, 1}, MemoryKind::Leaked, UINT32_MAX},
      {HeapBlock{80000, 64, 0, 0, 2}, MemoryKind::Possible, UINT32_MAX},
  };
  MemoryMap map;
  map.build(blocks, {{69000, 70200}, {90000, 90010}}, layout, 3 * MemoryMap::kPageBytes);
  EXPECT_EQ(map.kindAt(0), MemoryKind::Unused);
  EXPECT_EQ(map.kindAt(1024), MemoryKind::Data);
  EXPECT_EQ(map.kindAt(4095), MemoryKind::Data);
  EXPECT_EQ(map.kindAt(4096), MemoryKind::Unused);
  EXPECT_EQ(map.kindAt(65535), MemoryKind::Stack);
  EXPECT_EQ(map.kindAt(69000), MemoryKind::Freed);
  EXPECT_EQ(map.kindAt(70000), MemoryKind::Live);
  EXPECT_EQ(map.kindAt(70100), MemoryKind::Leaked);
  EXPECT_EQ(map.kindAt(70116), MemoryKind::Freed);
  EXPECT_EQ(map.kindAt(70200), MemoryKind::Unused);
  EXPECT_EQ(map.kindAt(90005), MemoryKind::Freed);
  EXPECT_EQ(map.kindAt(200000), MemoryKind::Unused);
  EXPECT_EQ(map.blockAt(70099), 0u);
  EXPECT_EQ(map.blockAt(70100), 1u);
  EXPECT_FALSE(map.blockAt(70116));
  // A cell over both the live and the leaked block: the leaked one wins.
  EXPECT_EQ(map.blockIn(69990, 70200), 1u);
  EXPECT_EQ(map.totals()[int(MemoryKind::Leaked)], 16u);
  EXPECT_EQ(map.totals()[int(MemoryKind::Freed)], 1200u - 116u + 10u);
  // Page cells: page 0 has stack, page 1 a leak, page 2 nothing.
  std::vector<MemoryKind> pages(3);
  map.cells(0, MemoryMap::kPageBytes, pages);
  EXPECT_EQ(pages, (std::vector<MemoryKind>{MemoryKind::Stack, MemoryKind::Leaked, MemoryKind::Unused}));
  // Fine cells: 16 bytes each from 70080: live, then 16 leaked bytes span
  // cells 1-2 (70096..70111, 70112..70127) with the most important kind.
  std::vector<MemoryKind> fine(4);
  map.cells(70080, 16, fine);
  EXPECT_EQ(fine, (std::vector<MemoryKind>{MemoryKind::Live, MemoryKind::Leaked, MemoryKind::Leaked,
                                           MemoryKind::Freed}));
  // Byte cells.
  std::vector<MemoryKind> bytes(3);
  map.cells(70099, 1, bytes);
  EXPECT_EQ(bytes, (std::vector<MemoryKind>{MemoryKind::Live, MemoryKind::Leaked, MemoryKind::Leaked}));
}

TEST(MemoryMapTest, AProfileClaimingTooMuchIsCutToAWasm32Memory) {
  // A saved profile is untrusted: a grow to 2^32 + 16 pages and a block at
  // the top of the address space must not make the map allocate terabytes.
  profiler::Profile p;
  profiler::MemoryProfile m;
  m.stacks.push_back({});
  m.grows.push_back({10, 16, UINT32_MAX, false, 0});
  m.log.events.push_back({profiler::HeapEventKind::Alloc, 5, 0xfffffff0u, 0xffffffffu, 0});
  m.endTime = 20;
  p.memory = std::move(m);
  MemoryMap map;
  map.build(p, std::nullopt);
  EXPECT_EQ(map.size(), MemoryMap::kMaxMemoryBytes);
  EXPECT_EQ(map.kindAt(0xfffffff8u), MemoryKind::Live);
  EXPECT_EQ(map.totals()[int(MemoryKind::Live)], 16u);
  // Blocks handed in out of order are sorted for the lookups.
  MemoryMap unsorted;
  unsorted.build({{HeapBlock{5000, 10, 0, 0, 1}, MemoryKind::Live, UINT32_MAX},
                  {HeapBlock{100, 10, 0, 0, 0}, MemoryKind::Leaked, UINT32_MAX}},
                 {}, std::nullopt, MemoryMap::kPageBytes);
  EXPECT_EQ(unsorted.kindAt(105), MemoryKind::Leaked);
  ASSERT_TRUE(unsorted.blockAt(5005));
  EXPECT_EQ(unsorted.blocks()[*unsorted.blockAt(5005)].block.address, 5000u);
}

} // namespace
} // namespace wasmscope::gui
