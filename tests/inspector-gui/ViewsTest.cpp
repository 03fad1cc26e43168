// The views on Dear ImGui's null backend: no window system, a font atlas
// built in memory, frames driven by hand with simulated mouse input. Checks
// what each view shows (its empty state when it has no data, the parts it
// draws when it has) and what a click on it selects.
#include "InspectorTestSupport.h"

#include "InspectorWindow.h"

#include <algorithm>

#include <gtest/gtest.h>
#include <imgui.h>

namespace wasmscope::gui {
namespace {

const ImVec2 kSize(1400, 900);

/// An ImGui context with the null backend, for one test.
class NullBackend {
public:
  NullBackend() {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = kSize;
    io.DeltaTime = 1.0f / 60.0f;
    unsigned char* pixels = nullptr;
    int width = 0, height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
  }
  ~NullBackend() { ImGui::DestroyContext(); }

  /// One frame of the window, with the mouse at `mouse` (button down or not).
  void frame(InspectorWindow& window, ImVec2 mouse = ImVec2(-1, -1), bool down = false) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = mouse;
    io.MouseDown[0] = down;
    ImGui::NewFrame();
    window.draw(kSize);
    ImGui::Render();
  }
  /// A click at `at`: press, then release, a frame each, then one to settle.
  void click(InspectorWindow& window, ImVec2 at) {
    frame(window, at, false);
    frame(window, at, true);
    frame(window, at, false);
  }
};

const LayoutMark* findMark(const InspectorWindow& window, const std::string& name) {
  for (const LayoutMark& mark : window.marks())
    if (mark.name == name)
      return &mark;
  return nullptr;
}

/// main -> {route -> handle, parse}, with a call trace.
std::shared_ptr<const profiler::Profile> profileWithTrace() {
  profiler::Profile p = test::profileWithTrace(
      {"main", "parse", "route", "handle"},
      {{'E', 0, 0}, {'E', 2, 100}, {'E', 3, 200}, {'X', 3, 600}, {'X', 2, 700}, {'E', 1, 800},
       {'X', 1, 900}, {'X', 0, 1000}});
  p.stacks.resize(5);
  p.stacks[0].totalInstructions = 1000;
  p.stacks[1] = {profiler::kRootStack, 0, 1, 300, 1000, 0, {}};
  p.stacks[2] = {1, 2, 1, 200, 600, 0, {}};
  p.stacks[3] = {2, 3, 1, 400, 400, 0, {}};
  p.stacks[4] = {1, 1, 1, 100, 100, 0, {}};
  p.functions = {{0, 1, 300, 1000, 0}, {1, 1, 100, 100, 0}, {2, 1, 200, 600, 0},
                 {3, 1, 400, 400, 0}};
  p.totals.instructions = 1000;
  return std::make_shared<const profiler::Profile>(std::move(p));
}

TEST(ViewsTest, EveryViewShowsItsEmptyStateWithoutData) {
  NullBackend backend;
  InspectorModel model;
  InspectorWindow window(model, Fonts{});
  const char* expected[kViewCount] = {"No memory data", "No allocation data", "No heap timeline",
                                      "No call trace",  "No profile data",   "No source",
                                      "No live session", "No module"};
  for (int i = 0; i < kViewCount; ++i) {
    window.showView(ViewId(i));
    backend.frame(window);
    backend.frame(window);
    EXPECT_EQ(window.currentView(), ViewId(i));
    const LayoutMark* empty = findMark(window, "empty");
    ASSERT_NE(empty, nullptr) << viewName(ViewId(i));
    EXPECT_EQ(empty->text, expected[i]) << viewName(ViewId(i));
    EXPECT_GT(empty->max.y - empty->min.y, 300.0f); // It fills the view.
  }
}

TEST(ViewsTest, AClickOnTheFlameGraphSelectsThePathUnderIt) {
  NullBackend backend;
  InspectorModel model;
  model.setProfile(profileWithTrace());
  InspectorWindow window(model, Fonts{});
  window.showView(ViewId::Profile);
  backend.frame(window);
  backend.frame(window);
  const LayoutMark* flame = findMark(window, "profile.flame");
  ASSERT_NE(flame, nullptr);
  EXPECT_EQ(findMark(window, "empty"), nullptr);
  float rowHeight = ImGui::GetTextLineHeight() + 6.0f;
  float width = flame->max.x - flame->min.x;
  // Depth 1 at 30% of the axis is `route` ([0, 600), laid out first); at
  // 65%, `parse` ([600, 700)); at 85%, nothing (main's own instructions).
  ImVec2 at(flame->min.x + width * 0.3f, flame->min.y + rowHeight * 1.5f);
  backend.click(window, at);
  const FlameGraph& graph = model.flame();
  uint32_t selected = model.selection().flameNode;
  ASSERT_NE(selected, 0u);
  EXPECT_EQ(model.profile()->frames[graph.nodes()[selected].frame].name, "route");
  EXPECT_EQ(model.selection().function, 2u);
  backend.click(window, ImVec2(flame->min.x + width * 0.85f, at.y));
  EXPECT_EQ(model.selection().flameNode, selected); // A click on nothing keeps it.
  backend.click(window, ImVec2(flame->min.x + width * 0.65f, at.y));
  EXPECT_EQ(model.profile()->frames[graph.nodes()[model.selection().flameNode].frame].name, "parse");
  // The table lists every function, by self instructions (the default).
  ASSERT_EQ(window.profileView().order().size(), 4u);
  EXPECT_EQ(model.functions().rows()[window.profileView().order()[0]].name, "handle");
}

TEST(ViewsTest, AClickOnTheCallTraceSelectsTheCallAndItsStack) {
  NullBackend backend;
  InspectorModel model;
  model.setProfile(profileWithTrace());
  InspectorWindow window(model, Fonts{});
  window.showView(ViewId::CallTrace);
  backend.frame(window);
  backend.frame(window);
  const LayoutMark* chart = findMark(window, "calltrace.chart");
  ASSERT_NE(chart, nullptr);
  float rowHeight = ImGui::GetTextLineHeight() + 6.0f;
  float width = chart->max.x - chart->min.x;
  // Depth 2 at instruction 400 (of 0..1000) is `handle`, inside route.
  backend.click(window, ImVec2(chart->min.x + width * 0.4f, chart->min.y + rowHeight * 2.5f));
  uint32_t span = model.selection().traceSpan;
  ASSERT_NE(span, UINT32_MAX);
  EXPECT_EQ(model.trace().spans()[span].frame, 3u);
  auto stack = model.trace().stackOf(span);
  ASSERT_EQ(stack.size(), 3u);
  EXPECT_EQ(model.selection().function, 3u); // The function follows the call.
  // Below the deepest call: nothing new is selected.
  backend.click(window, ImVec2(chart->min.x + width * 0.9f, chart->min.y + rowHeight * 2.5f));
  EXPECT_EQ(model.selection().traceSpan, span);
}

TEST(ViewsTest, AClickOnALeakInTheMemoryMapSelectsItsBlockAndRow) {
  RunSnapshot run = test::requestHandlerMemoryRun();
  if (!run.profile)
    GTEST_SKIP() << "wasm samples not built " << run.error;
  ASSERT_TRUE(run.profile->memory && run.profile->memory->leakChecked);
  NullBackend backend;
  InspectorModel model;
  model.setProfile(run.profile);
  InspectorWindow window(model, Fonts{});
  window.showView(ViewId::Memory);
  backend.frame(window);
  backend.frame(window);
  const LayoutMark* map = findMark(window, "memory.map");
  ASSERT_NE(map, nullptr);
  EXPECT_EQ(findMark(window, "empty"), nullptr);
  const MemoryView& view = window.memoryView();
  uint64_t bpc = view.bytesPerCell();
  ASSERT_GT(bpc, 0u);
  EXPECT_EQ(bpc & (bpc - 1), 0u); // A power of two.
  size_t cols = size_t((map->max.x - map->min.x) / 4.0f);
  // The whole memory fits: the last byte's cell is in the strip.
  EXPECT_LE((model.memoryMap().size() - 1 - view.firstAddress()) / bpc / cols,
            size_t((map->max.y - map->min.y) / 4.0f));
  // The first definitely lost block of the program's own (not wasi-libc's
  // suppressed start-up ones), clicked in the middle of its cell.
  const profiler::MemoryProfile& m = *run.profile->memory;
  auto leak = std::find_if(m.checked.begin(), m.checked.end(), [&](const auto& c) {
    return c.kind == profiler::LeakKind::DefinitelyLost && !m.lossRecords[c.lossRecord].suppressed();
  });
  ASSERT_NE(leak, m.checked.end());
  size_t cell = size_t((leak->block.address - view.firstAddress()) / bpc);
  ImVec2 at(map->min.x + float(cell % cols) * 4.0f + 2.0f, map->min.y + float(cell / cols) * 4.0f + 2.0f);
  backend.click(window, at);
  ASSERT_TRUE(model.selection().address);
  auto selected = model.memoryMap().blockAt(*model.selection().address);
  ASSERT_TRUE(selected);
  // The block under the cursor, or one sharing its cell: a leaked one.
  EXPECT_EQ(model.memoryMap().blocks()[*selected].kind, MemoryKind::Leaked);
  EXPECT_LE(leak->block.address / bpc, (*model.selection().address + bpc) / bpc);
  ASSERT_TRUE(model.selection().allocationRow);
  AllocClass cls = model.allocations().rows()[*model.selection().allocationRow].cls;
  EXPECT_TRUE(cls == AllocClass::Definite || cls == AllocClass::Indirect);
  // The hex view shows no contents for a saved profile, and says so.
  backend.frame(window);
  const LayoutMark* hex = findMark(window, "memory.hex");
  ASSERT_NE(hex, nullptr);
  EXPECT_EQ(hex->text, "no contents");

  // The Allocations view: the selected row's stack, with its source line.
  window.showView(ViewId::Allocations);
  backend.frame(window);
  backend.frame(window);
  const LayoutMark* stack = findMark(window, "allocations.stack");
  ASSERT_NE(stack, nullptr);
  EXPECT_NE(stack->text.find("request_handler.c:"), std::string::npos) << stack->text;
  const LayoutMark* table = findMark(window, "allocations.table");
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(table->text, std::to_string(model.allocations().rows().size()));
  // Largest first by default.
  const auto& order = window.allocationsView().order();
  ASSERT_EQ(order.size(), model.allocations().rows().size());
  for (size_t i = 1; i < order.size(); ++i) {
    const auto& a = model.allocations().rows()[order[i - 1]];
    const auto& b = model.allocations().rows()[order[i]];
    EXPECT_GE(a.bytes + a.indirectBytes, b.bytes + b.indirectBytes);
  }

  // The Heap timeline: a click in the plot scrubs; the map follows.
  window.showView(ViewId::Timeline);
  backend.frame(window);
  backend.frame(window);
  const LayoutMark* plot = findMark(window, "timeline.plot");
  ASSERT_NE(plot, nullptr);
  ASSERT_NE(findMark(window, "timeline.peak"), nullptr);
  backend.click(window, ImVec2(plot->min.x + (plot->max.x - plot->min.x) * 0.5f,
                               plot->min.y + 20.0f));
  ASSERT_TRUE(model.timeline().scrubbed());
  uint64_t t = *model.timeline().scrubbed();
  uint64_t mid = (model.timeline().beginTime() + model.timeline().endTime()) / 2;
  EXPECT_NEAR(double(t), double(mid), double(model.timeline().endTime()) * 0.01);
  EXPECT_EQ(model.memoryMap().time(), t);
  EXPECT_EQ(model.memoryMap().totals()[int(MemoryKind::Live)], model.timeline().bytesAt(t));
  ASSERT_NE(findMark(window, "timeline.cursor"), nullptr);
}

TEST(ViewsTest, TheWheelZoomsTheMemoryMapAroundTheCursor) {
  RunSnapshot run = test::requestHandlerMemoryRun();
  if (!run.profile)
    GTEST_SKIP() << "wasm samples not built " << run.error;
  NullBackend backend;
  InspectorModel model;
  model.setProfile(run.profile);
  InspectorWindow window(model, Fonts{});
  window.showView(ViewId::Memory);
  backend.frame(window);
  backend.frame(window);
  const LayoutMark* map = findMark(window, "memory.map");
  ASSERT_NE(map, nullptr);
  const MemoryView& view = window.memoryView();
  size_t cols = size_t((map->max.x - map->min.x) / 4.0f);
  ImVec2 at(map->min.x + 4.0f * float(cols / 3) + 2.0f, map->min.y + 4.0f * 20 + 2.0f);
  auto addressAt = [&] {
    size_t cell = size_t((at.y - map->min.y) / 4.0f) * cols + size_t((at.x - map->min.x) / 4.0f);
    return view.firstAddress() + cell * view.bytesPerCell();
  };
  uint64_t before = view.bytesPerCell();
  uint64_t address = addressAt();
  for (int i = 0; i < 3; ++i) {
    ImGui::GetIO().MouseWheel = 1.0f;
    backend.frame(window, at);
  }
  backend.frame(window, at);
  EXPECT_EQ(view.bytesPerCell(), std::max<uint64_t>(1, before / 8));
  // The byte under the cursor stays under it (to within a row's alignment).
  uint64_t now = addressAt();
  EXPECT_LE(now > address ? now - address : address - now, before) << std::hex << address << " " << now;
  // Zooming out again stops at the whole memory.
  for (int i = 0; i < 10; ++i) {
    ImGui::GetIO().MouseWheel = -1.0f;
    backend.frame(window, at);
  }
  EXPECT_EQ(view.bytesPerCell(), before);
}

} // namespace
} // namespace wasmscope::gui
