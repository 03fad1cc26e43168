// The inspector's model without a window: what each table lists and in
// which order, the flame-graph and call-trace layouts and what a position
// hits, source heat and gutter state, and the console's line handling.
#include "InspectorTestSupport.h"

#include "CallTraceModel.h"
#include "Console.h"
#include "FlameGraph.h"
#include "FunctionTable.h"
#include "InspectorModel.h"
#include "ModuleSummary.h"
#include "SourceModel.h"

#include <gtest/gtest.h>

#include <fstream>

namespace wasmscope::gui {
namespace {

using profiler::Profile;

/// main -> {parse (30 self), route -> {handle (50 self)}}, main 20 self.
Profile smallProfile() {
  Profile p;
  for (const char* name : {"main", "parse", "route", "handle"}) {
    profiler::Frame f;
    f.name = name;
    p.frames.push_back(f);
  }
  p.stacks.resize(5);
  p.stacks[1] = {profiler::kRootStack, 0, 1, 20, 100, 0, {}};
  p.stacks[2] = {1, 1, 3, 30, 30, 0, {}};
  p.stacks[3] = {1, 2, 2, 0, 50, 0, {}};
  p.stacks[4] = {3, 3, 2, 50, 50, 0, {}};
  p.stacks[0].totalInstructions = 100;
  p.functions = {{0, 1, 20, 100, 0}, {1, 3, 30, 30, 0}, {2, 2, 0, 50, 0}, {3, 2, 50, 50, 0}};
  p.totals.instructions = 100;
  return p;
}

TEST(FunctionTableTest, SortsByEveryColumnAndSearches) {
  FunctionTable table;
  table.build(smallProfile());
  ASSERT_EQ(table.rows().size(), 4u);
  auto names = [&](const std::vector<size_t>& order) {
    std::vector<std::string> out;
    for (size_t i : order)
      out.push_back(table.rows()[i].name);
    return out;
  };
  EXPECT_EQ(names(table.order(ProfileColumn::Self, true, "")),
            (std::vector<std::string>{"handle", "parse", "main", "route"}));
  EXPECT_EQ(names(table.order(ProfileColumn::Self, false, "")),
            (std::vector<std::string>{"route", "main", "parse", "handle"}));
  EXPECT_EQ(names(table.order(ProfileColumn::Total, true, "")),
            (std::vector<std::string>{"main", "handle", "route", "parse"}));
  EXPECT_EQ(names(table.order(ProfileColumn::Calls, true, "")),
            (std::vector<std::string>{"parse", "handle", "route", "main"}));
  EXPECT_EQ(names(table.order(ProfileColumn::Name, false, "")),
            (std::vector<std::string>{"handle", "main", "parse", "route"}));
  EXPECT_EQ(names(table.order(ProfileColumn::Self, true, "AR")),
            (std::vector<std::string>{"parse"}));
  EXPECT_EQ(table.rowOf(3), 3u);
  EXPECT_EQ(table.rowOf(99), FunctionTable::npos);
}

TEST(FunctionTableTest, FormatsNumbers) {
  EXPECT_EQ(groupDigits(0), "0");
  EXPECT_EQ(groupDigits(1234567), "1,234,567");
  EXPECT_EQ(shortCount(9999), "9999");
  EXPECT_EQ(shortCount(12345), "12 k");
  EXPECT_EQ(shortCount(3400000), "3.4 M");
  EXPECT_EQ(formatBytes(512), "512 B");
  EXPECT_EQ(formatBytes(65536), "64 KiB");
  EXPECT_EQ(formatAddress(0x1a2b), "0x00001a2b");
}

TEST(FlameGraphTest, LaysOutWidestFirstAndHits) {
  FlameGraph flame;
  flame.build(smallProfile());
  ASSERT_EQ(flame.nodes().size(), 5u);
  EXPECT_EQ(flame.totalWidth(), 100u);
  EXPECT_EQ(flame.maxDepth(), 3u);
  // main's callees: route (50) before parse (30), left to right.
  uint32_t main = flame.nodeOfStack(1), route = flame.nodeOfStack(3), parse = flame.nodeOfStack(2);
  EXPECT_EQ(flame.nodes()[main].start, 0u);
  EXPECT_EQ(flame.nodes()[route].start, 0u);
  EXPECT_EQ(flame.nodes()[parse].start, 50u);
  EXPECT_EQ(flame.nodes()[route].depth, 1u);
  // Hits: a position on the axis and a depth.
  EXPECT_EQ(flame.hit(60, 1), parse);
  EXPECT_EQ(flame.hit(10, 2), flame.nodeOfStack(4));
  EXPECT_EQ(flame.hit(90, 1), 0u); // main's own 20 instructions: no callee there.
  EXPECT_EQ(flame.hit(10, 5), 0u);
  auto path = flame.pathTo(flame.nodeOfStack(4));
  ASSERT_EQ(path.size(), 3u);
  EXPECT_EQ(path[0], main);
  EXPECT_EQ(path[1], route);
  // Narrow nodes are pruned with their subtrees; a range clips.
  auto all = flame.visible(0, 100, 0);
  EXPECT_EQ(all.size(), 4u);
  auto wide = flame.visible(0, 100, 40);
  EXPECT_EQ(wide.size(), 3u); // main, route, handle; parse (30) is too narrow.
  auto right = flame.visible(55, 100, 0);
  EXPECT_EQ(right.size(), 2u); // main and parse.
}

TEST(CallTraceModelTest, NestsCallsAndMergesNarrowOnes) {
  // main [0, 1000): parse x3 at 10.., then route [500, 900) -> handle [600, 700).
  Profile p = test::profileWithTrace(
      {"main", "parse", "route", "handle"},
      {{'E', 0, 0},   {'E', 1, 10},  {'X', 1, 12},  {'E', 1, 14},  {'X', 1, 16},
       {'E', 1, 18},  {'X', 1, 20},  {'E', 2, 500}, {'E', 3, 600}, {'X', 3, 700},
       {'X', 2, 900}, {'X', 0, 1000}});
  CallTraceModel trace;
  trace.build(p);
  ASSERT_EQ(trace.spans().size(), 6u);
  EXPECT_EQ(trace.depthCount(), 3u);
  EXPECT_EQ(trace.begin(), 0u);
  EXPECT_EQ(trace.end(), 1000u);
  // At one instruction per pixel every call is a run of its own...
  EXPECT_EQ(trace.runs(1, 0, 1000, 1.0).size(), 4u);
  // ...at 50 per pixel the three short parses merge into one run.
  auto runs = trace.runs(1, 0, 1000, 50.0);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].count, 3u);
  EXPECT_EQ(runs[0].start, 10u);
  EXPECT_EQ(runs[0].end, 20u);
  EXPECT_EQ(runs[1].count, 1u);
  // A range clips.
  EXPECT_EQ(trace.runs(1, 400, 1000, 1.0).size(), 1u);
  uint32_t handle = trace.hit(2, 650);
  ASSERT_NE(handle, UINT32_MAX);
  EXPECT_EQ(trace.spans()[handle].frame, 3u);
  EXPECT_EQ(trace.hit(2, 750), UINT32_MAX);
  auto stack = trace.stackOf(handle);
  ASSERT_EQ(stack.size(), 3u);
  EXPECT_EQ(trace.spans()[stack[0]].frame, 0u);
  EXPECT_EQ(trace.spans()[stack[1]].frame, 2u);
}

TEST(CallTraceModelTest, CallsOpenAtTheEdgesOfTheKeptTrace) {
  // The ring dropped main's entry: it is open at the start; route never exits.
  Profile p = test::profileWithTrace({"main", "route"}, {{'E', 1, 100}, {'X', 1, 200}, {'E', 1, 300}},
                                     {0});
  p.totals.instructions = 400;
  CallTraceModel trace;
  trace.build(p);
  ASSERT_EQ(trace.spans().size(), 3u);
  EXPECT_TRUE(trace.spans()[0].openAtStart);
  EXPECT_EQ(trace.spans()[0].start, 100u);
  EXPECT_EQ(trace.spans()[0].end, 400u);
  EXPECT_TRUE(trace.spans()[2].openAtEnd);
  EXPECT_EQ(trace.spans()[2].depth, 1u);
}

TEST(CallTraceModelTest, EmptyWithoutATrace) {
  CallTraceModel trace;
  trace.build(smallProfile());
  EXPECT_TRUE(trace.empty());
  EXPECT_TRUE(trace.runs(0, 0, 100, 1).empty());
}

TEST(SourceModelTest, ReadsTheFileExpandsTabsAndCountsLines) {
  std::string path = std::string(INSPECTOR_TEST_TMP) + "/tabs.c";
  {
    std::ofstream out(path);
    out << "int main(void) {\n\treturn 0;\r\n}";
  }
  SourceModel source;
  source.open(path);
  ASSERT_TRUE(source.loaded()) << source.error();
  EXPECT_EQ(source.lineCount(), 3u);
  EXPECT_EQ(source.line(2), "    return 0;");
  EXPECT_EQ(source.line(3), "}");
  EXPECT_EQ(source.line(4), "");

  // Heat: the innermost attribution of lines in this file.
  Profile p;
  p.files = {path, "/elsewhere/other.c"};
  profiler::Frame f;
  f.name = "main";
  p.frames.push_back(f);
  p.lines.push_back({{{0, 0, 2}}, 70, 0});
  p.lines.push_back({{{0, 0, 1}}, 30, 0});
  p.lines.push_back({{{0, 1, 2}}, 999, 0}); // Another file's line 2.
  source.setHeat(&p);
  EXPECT_EQ(source.heat(2), 70u);
  EXPECT_EQ(source.heat(1), 30u);
  EXPECT_EQ(source.maxHeat(), 70u);
  EXPECT_EQ(source.fileInstructions(), 100u);
  EXPECT_EQ(source.hottestLines(5), (std::vector<uint32_t>{2, 1}));
}

TEST(SourceModelTest, RefusesWhatIsNotARegularFile) {
  SourceModel source;
  source.open(INSPECTOR_TEST_TMP);
  EXPECT_FALSE(source.loaded());
  EXPECT_NE(source.error().find("not a regular file"), std::string::npos);
  source.open(std::string(INSPECTOR_TEST_TMP) + "/missing.c");
  EXPECT_NE(source.error().find("cannot open"), std::string::npos);
}

TEST(SourceModelTest, SamePathMatchesSuffixesAtSlashes) {
  EXPECT_TRUE(samePath("/src/request_handler.c", "request_handler.c"));
  EXPECT_TRUE(samePath("samples/x.c", "/w/samples/x.c"));
  EXPECT_FALSE(samePath("/src/my_request_handler.c", "request_handler.c"));
  EXPECT_FALSE(samePath("", "x.c"));
}

TEST(ConsoleTest, JoinsPartialWritesAndKeepsCategoriesApart) {
  Console console;
  console.append(debugger::OutputCategory::Stdout, "hel");
  console.append(debugger::OutputCategory::Stdout, "lo\nwor");
  console.append(debugger::OutputCategory::Stderr, "oops\n");
  console.append(debugger::OutputCategory::Stdout, "ld\n");
  ASSERT_EQ(console.lines().size(), 4u);
  EXPECT_EQ(console.lines()[0].text, "hello");
  EXPECT_EQ(console.lines()[1].text, "wor");
  EXPECT_EQ(console.lines()[2].text, "oops");
  EXPECT_EQ(console.lines()[2].category, debugger::OutputCategory::Stderr);
  EXPECT_EQ(console.lines()[3].text, "ld");
}

TEST(ConsoleTest, StaysWithinItsBudget) {
  Console console;
  std::string line(1 << 16, 'x');
  line += '\n';
  for (int i = 0; i < 200; ++i)
    console.append(debugger::OutputCategory::Stdout, line);
  EXPECT_LE(console.lines().size() * (1u << 16), kMaxConsoleBytes + (1u << 16));
  EXPECT_GT(console.droppedLines(), 0u);
}

TEST(ViewNamesTest, RoundTrip) {
  for (int i = 0; i < kViewCount; ++i)
    EXPECT_EQ(parseViewName(viewName(ViewId(i))), ViewId(i));
  EXPECT_FALSE(parseViewName("memmory"));
}

} // namespace
} // namespace wasmscope::gui
