// Screenshots of `wasmscope inspect --headless` on samples/request_handler,
// rendered under Xvfb by Mesa, checked pixel by pixel: each view is run
// through the real command line, writes a PNG and the rectangles its parts
// were drawn in (--layout), and the test looks for the colours the palette
// says should be there (the leaked blocks in the leak colour, the flame
// graph's entry function in its colour, the breakpoint's red dot, an empty
// view's text) and for their absence where nothing should be drawn.
#include "Palette.h"
#include "ViewContext.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <stb_image.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <sys/wait.h>

namespace wasmscope::gui {
namespace {

namespace fs = std::filesystem;

struct Rect {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  std::string text;
};

class Screenshot {
public:
  bool load(const std::string& path) {
    int channels = 0;
    m_pixels.reset(stbi_load(path.c_str(), &m_width, &m_height, &channels, 3));
    return m_pixels != nullptr;
  }
  int width() const { return m_width; }
  int height() const { return m_height; }
  Rgb at(int x, int y) const {
    const unsigned char* p = m_pixels.get() + (size_t(y) * size_t(m_width) + size_t(x)) * 3;
    return {p[0], p[1], p[2]};
  }
  /// Pixels within `tolerance` of `color` in `rect`.
  int count(const Rect& r, Rgb color, int tolerance = 3) const {
    int n = 0;
    for (int y = std::max(0, r.y0); y < std::min(m_height, r.y1); ++y)
      for (int x = std::max(0, r.x0); x < std::min(m_width, r.x1); ++x) {
        Rgb c = at(x, y);
        if (std::abs(c.r - color.r) <= tolerance && std::abs(c.g - color.g) <= tolerance &&
            std::abs(c.b - color.b) <= tolerance)
          ++n;
      }
    return n;
  }

private:
  struct Free {
    void operator()(unsigned char* p) const { stbi_image_free(p); }
  };
  std::unique_ptr<unsigned char, Free> m_pixels;
  int m_width = 0;
  int m_height = 0;
};

class PixelTest : public ::testing::Test {
protected:
  void SetUp() override {
    if (!fs::exists(WASMSCOPE_SAMPLES_DIR "/request_handler.O0.wasm"))
      GTEST_SKIP() << "wasm samples not built";
    if (std::system("command -v xvfb-run >/dev/null 2>&1") != 0)
      GTEST_SKIP() << "xvfb-run not installed";
    m_dir = fs::path(INSPECTOR_TEST_TMP) / ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::create_directories(m_dir);
  }

  /// Runs `wasmscope inspect --headless` with `args` under Xvfb; loads the
  /// screenshot and the layout. False (with the output) when it failed.
  bool inspect(const std::string& args) {
    std::string png = (m_dir / "shot.png").string();
    std::string layout = (m_dir / "layout.json").string();
    std::string log = (m_dir / "log.txt").string();
    fs::remove(png);
    std::string command = "xvfb-run -a " WASMSCOPE_BIN " inspect --headless --frames 3 --size 1280x800"
                          " --screenshot '" + png + "' --layout '" + layout + "' " + args +
                          " >'" + log + "' 2>&1";
    int status = std::system(command.c_str());
    std::ifstream logFile(log);
    m_output.assign(std::istreambuf_iterator<char>(logFile), {});
    if (status != 0 || !m_shot.load(png))
      return false;
    std::ifstream in(layout);
    nlohmann::json json = nlohmann::json::parse(in, nullptr, false);
    if (!json.is_object())
      return false;
    m_marks.clear();
    for (const auto& mark : json["marks"])
      m_marks.push_back({mark["name"].get<std::string>(),
                         Rect{int(mark["x0"].get<double>()), int(mark["y0"].get<double>()),
                              int(mark["x1"].get<double>()), int(mark["y1"].get<double>()),
                              mark["text"].get<std::string>()}});
    return true;
  }
  const Rect* mark(const std::string& name, const std::string& text = "") const {
    for (const auto& [n, rect] : m_marks)
      if (n == name && (text.empty() || rect.text == text))
        return &rect;
    return nullptr;
  }
  static std::string sample(const std::string& name) {
    return std::string(WASMSCOPE_SAMPLES_DIR) + "/" + name + ".O0.wasm";
  }

  fs::path m_dir;
  std::string m_output;
  Screenshot m_shot;
  std::vector<std::pair<std::string, Rect>> m_marks;
};

/// Pixels that belong to a flame graph: the palette's warm flame hues.
int flamePixels(const Screenshot& shot, const Rect& r) {
  int n = 0;
  for (int y = std::max(0, r.y0); y < std::min(shot.height(), r.y1); ++y)
    for (int x = std::max(0, r.x0); x < std::min(shot.width(), r.x1); ++x) {
      Rgb c = shot.at(x, y);
      if (c.r >= 195 && c.r > c.g + 20 && c.g > c.b)
        ++n;
    }
  return n;
}

TEST_F(PixelTest, ProfileViewDrawsTheFlameGraphOfTheRun) {
  ASSERT_TRUE(inspect("--view profile " + sample("request_handler") + " 60")) << m_output;
  const Rect* flame = mark("profile.flame");
  ASSERT_NE(flame, nullptr) << m_output;
  EXPECT_EQ(mark("empty"), nullptr);
  // `_start` spans the whole width in its colour, in one of the top rows
  // (under the runtime's frame for the command export).
  Rgb start = palette::flameColor(nameHash("_start"));
  Rect rows{flame->x0 + (flame->x1 - flame->x0) / 3, flame->y0 + 2, flame->x1 - 20, flame->y0 + 70, {}};
  EXPECT_GT(m_shot.count(rows, start), (rows.x1 - rows.x0) * 8) << "no _start bar";
  // Below it, the call paths: most of the upper rows are flame-coloured.
  Rect upper{flame->x0, flame->y0, flame->x1, flame->y0 + 60, {}};
  EXPECT_GT(flamePixels(m_shot, upper), (upper.x1 - upper.x0) * 30);
}

TEST_F(PixelTest, CallTraceViewDrawsTheCallsAndSourceViewTheHeat) {
  ASSERT_TRUE(inspect("--view calltrace " + sample("request_handler") + " 60")) << m_output;
  const Rect* chart = mark("calltrace.chart");
  ASSERT_NE(chart, nullptr) << m_output;
  Rect top{chart->x0, chart->y0, chart->x1, chart->y0 + 60, {}};
  EXPECT_GT(flamePixels(m_shot, top), (top.x1 - top.x0) * 20);

  ASSERT_TRUE(inspect("--view source " + sample("request_handler") + " 60")) << m_output;
  const Rect* heat = mark("source.heat");
  ASSERT_NE(heat, nullptr) << "no line with instructions in view";
  int hot = 0;
  for (int y = heat->y0 + 2; y < heat->y1 - 2; ++y)
    for (int x = heat->x0; x < heat->x0 + 4; ++x) {
      Rgb c = m_shot.at(x, y);
      // Between the cold and hot ends of the heat scale, not the background.
      hot += c.r >= palette::kHeatCold.r && c.b <= palette::kHeatCold.b + 3 && !(c == palette::kBackground);
    }
  EXPECT_GT(hot, 4);
}

TEST_F(PixelTest, ABreakpointStopsAndShowsInTheSourceAndDebugViews) {
  std::string source = std::string(WASMSCOPE_SOURCE_DIR) + "/samples/request_handler.c";
  ASSERT_TRUE(inspect("--view source --break request_handler.c:112 " + sample("request_handler")))
      << m_output;
  EXPECT_NE(m_output.find("stopped (breakpoint) in parse_request at request_handler.c:112"),
            std::string::npos)
      << m_output;
  const Rect* current = mark("source.current");
  ASSERT_NE(current, nullptr);
  EXPECT_GT(m_shot.count(*current, palette::kCurrentLine), (current->x1 - current->x0) * 4);
  const Rect* dot = mark("source.breakpoint", "112");
  ASSERT_NE(dot, nullptr);
  EXPECT_GT(m_shot.count(*dot, palette::kBreakpoint, 6), 10);

  ASSERT_TRUE(inspect("--view debug --break request_handler.c:112 " + sample("request_handler")))
      << m_output;
  ASSERT_NE(mark("debug.frames"), nullptr);
  ASSERT_NE(mark("debug.console"), nullptr);
  // The selected frame (parse_request) is highlighted in the frames list.
  const Rect* frames = mark("debug.frames");
  int highlighted = 0;
  for (int y = frames->y0; y < frames->y1; ++y) {
    Rgb c = m_shot.at(frames->x0 + 12, y);
    highlighted += c.b > c.r + 40 && c.b > 100; // ImGui's selection blue.
  }
  EXPECT_GT(highlighted, 8);
}

TEST_F(PixelTest, AnEmptyViewShowsItsEmptyState) {
  // A saved profile recorded without --trace: the call trace view is empty.
  std::string profile = (m_dir / "plain.profile.json").string();
  std::string command = WASMSCOPE_BIN " profile -o '" + profile + "' " + sample("request_handler") +
                        " 20 >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0);
  ASSERT_TRUE(inspect("--view calltrace '" + profile + "'")) << m_output;
  const Rect* empty = mark("empty");
  ASSERT_NE(empty, nullptr);
  EXPECT_EQ(empty->text, "No call trace");
  EXPECT_EQ(mark("calltrace.chart"), nullptr);
  // Its words are drawn (grey text, antialiased: pixels well above the
  // background towards the text colours), and nothing else is.
  int textPixels = 0;
  for (int y = std::max(0, empty->y0); y < std::min(m_shot.height(), empty->y1); ++y)
    for (int x = std::max(0, empty->x0); x < std::min(m_shot.width(), empty->x1); ++x) {
      Rgb c = m_shot.at(x, y);
      int hi = std::max({c.r, c.g, c.b}), lo = std::min({c.r, c.g, c.b});
      textPixels += hi - lo <= 16 && c.g >= palette::kBackground.g + 60;
    }
  EXPECT_GT(textPixels, 300);
  EXPECT_GT(m_shot.count(*empty, palette::kEmptyText, 2) + m_shot.count(*empty, palette::kText, 2), 20);
  EXPECT_EQ(flamePixels(m_shot, *empty), 0);
}

TEST_F(PixelTest, ModuleViewListsTheFunctions) {
  ASSERT_TRUE(inspect("--view module " + sample("request_handler"))) << m_output;
  const Rect* functions = mark("module.functions");
  ASSERT_NE(functions, nullptr);
  // Rows of text: many text-coloured pixels.
  EXPECT_GT(m_shot.count(*functions, palette::kText, 8), 2000);
}

TEST_F(PixelTest, MemoryViewsDrawTheLeaksOfALiveRun) {
  // Live with the heap profiler, to the end (default arguments: all three
  // leaks happen).
  ASSERT_TRUE(inspect("--memory --view memory " + sample("request_handler"))) << m_output;
  const Rect* map = mark("memory.map");
  ASSERT_NE(map, nullptr) << m_output;
  EXPECT_EQ(mark("empty"), nullptr);
  // The leaked blocks in the leak colour, data/bss and the stack in theirs;
  // nothing possibly lost in this program.
  EXPECT_GT(m_shot.count(*map, palette::kLeaked, 2), 20);
  EXPECT_GT(m_shot.count(*map, palette::kData, 2), 200);
  EXPECT_GT(m_shot.count(*map, palette::kStack, 2), 200);
  EXPECT_GT(m_shot.count(*map, palette::kFreed, 2), 20);
  EXPECT_EQ(m_shot.count(*map, palette::kPossible, 2), 0);
  // The hex view read the memory the run left.
  const Rect* hex = mark("memory.hex");
  ASSERT_NE(hex, nullptr);
  EXPECT_EQ(hex->text, "memory at exit");
}

TEST_F(PixelTest, AllocationsAndTimelineOfASavedMemoryProfile) {
  std::string profile = (m_dir / "memory.profile.json").string();
  std::string command = WASMSCOPE_BIN " profile --memory -o '" + profile + "' " +
                        sample("request_handler") + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0);
  ASSERT_TRUE(inspect("--view allocations '" + profile + "'")) << m_output;
  const Rect* table = mark("allocations.table");
  ASSERT_NE(table, nullptr) << m_output;
  EXPECT_GE(std::stoi(table->text), 3); // At least one record per leak.
  // The class column names the lost rows in the leak colour.
  EXPECT_GT(m_shot.count(*table, palette::kLeaked, 40), 60);

  ASSERT_TRUE(inspect("--view timeline '" + profile + "'")) << m_output;
  const Rect* plot = mark("timeline.plot");
  ASSERT_NE(plot, nullptr);
  EXPECT_GT(m_shot.count(*plot, palette::kTimelineFill, 2), 2000);
  const Rect* peak = mark("timeline.peak");
  ASSERT_NE(peak, nullptr);
  EXPECT_GT(m_shot.count(*peak, palette::kPeak, 8), 20);

  // The map of the saved profile, with a leaked block selected: drawn in
  // the selection colour, zoomed in on it.
  ASSERT_TRUE(inspect("--view memory '" + profile + "'")) << m_output;
  ASSERT_NE(mark("memory.map"), nullptr);
  int whole = std::stoi(mark("memory.map")->text);
  EXPECT_GT(m_shot.count(*mark("memory.map"), palette::kLeaked, 2), 20);
  EXPECT_EQ(mark("memory.hex")->text, "no contents");
  std::ifstream in(profile);
  nlohmann::json json = nlohmann::json::parse(in);
  std::string address;
  // Checked blocks are [[address, size, stack, time, serial], kind, ...];
  // kind 0 is definitely lost.
  for (const auto& c : json["memory"]["leakCheck"]["blocks"])
    if (c[1].get<int>() == 0) {
      address = std::to_string(c[0][0].get<uint64_t>());
      break;
    }
  ASSERT_FALSE(address.empty()) << "no definitely lost block in the profile";
  ASSERT_TRUE(inspect("--view memory --select " + address + " '" + profile + "'")) << m_output;
  const Rect* zoomed = mark("memory.map");
  ASSERT_NE(zoomed, nullptr);
  EXPECT_LT(std::stoi(zoomed->text), whole);
  EXPECT_GT(m_shot.count(*zoomed, palette::kSelected, 0), 16);
}

TEST_F(PixelTest, MemoryViewsShowTheirEmptyStateWithoutAMemoryProfile) {
  std::string profile = (m_dir / "plain.profile.json").string();
  std::string command = WASMSCOPE_BIN " profile -o '" + profile + "' " + sample("request_handler") +
                        " 20 >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0);
  for (const char* view : {"memory", "allocations", "timeline"}) {
    ASSERT_TRUE(inspect(std::string("--view ") + view + " '" + profile + "'")) << m_output;
    ASSERT_NE(mark("empty"), nullptr) << view;
    EXPECT_EQ(mark("memory.map"), nullptr);
    EXPECT_EQ(m_shot.count(*mark("empty"), palette::kLeaked, 2), 0);
  }
}

} // namespace
} // namespace wasmscope::gui
