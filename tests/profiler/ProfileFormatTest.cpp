// The profile model and its files: a hand-built profile written by every
// writer (checked against exact expected text where the format is text),
// the JSON round trip, the reader's errors on damaged input, and atomic
// writes.
#include "wasmscope/profiler/Formats.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace wasmscope::profiler::test {
namespace {

/// main -> work (inlines helper) -> wasi:fd_write, and main -> work again
/// on the same path. Instructions: main 10, work 20 of which helper 5.
Profile sampleProfile() {
  Profile p;
  p.run.module = "demo";
  p.run.modulePath = "demo.wasm";
  p.run.moduleSha256 = "00ff";
  p.run.commandLine = {"wasmscope", "profile", "demo.wasm"};
  p.run.entry = "_start";
  p.run.exitStatus = 0;
  p.files = {"/src/demo.c"};
  p.frames = {
      {FrameKind::Wasm, "main", 1, 0, 10, 100},
      {FrameKind::Wasm, "work", 2, 0, 20, 200},
      {FrameKind::Inlined, "helper", kNone, 0, 30, 0},
      {FrameKind::Host, "wasi:fd_write", 0, kNone, 0, 0},
  };
  p.lines = {
      {{{0, 0, 11}}, 10, 101},
      {{{1, 0, 21}}, 15, 201},
      {{{2, 0, 31}, {1, 0, 22}}, 5, 205},
  };
  p.stacks = {
      {kNone, kNone, 0, 0, 30, 0, {}},
      {0, 0, 1, 10, 30, 0, {{0, 10}}},
      {1, 1, 2, 20, 20, 0, {{1, 15}, {2, 5}}},
      {2, 3, 3, 0, 0, 0, {}},
  };
  p.functions = {{0, 1, 10, 30, 0}, {1, 2, 15, 20, 0}, {2, 0, 5, 5, 0}, {3, 3, 0, 0, 0}};
  p.totals = {30, 3, 3, 0};
  p.trace.enabled = true;
  p.trace.capacity = 4;
  p.trace.recorded = 6;
  p.trace.dropped = 2;
  p.trace.openAtStart = {0};
  p.trace.events = {{TraceEventKind::Enter, 1, 12, 0},
                    {TraceEventKind::Exit, 1, 22, 0},
                    {TraceEventKind::Enter, 1, 23, 0},
                    {TraceEventKind::Exit, 1, 30, 0}};
  return p;
}

TEST(ProfileFormatTest, SampleProfileIsConsistent) {
  Profile p = sampleProfile();
  EXPECT_EQ(p.validate(), "");
  EXPECT_EQ(p.stackFrames(2), (std::vector<FrameId>{0, 1}));
  auto bySelf = p.functionsBySelf();
  ASSERT_EQ(bySelf.size(), 4u);
  EXPECT_EQ(p.frames[bySelf[0]->frame].name, "work");
  auto lines = p.linesByInstructions();
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0].line, 21u);
  EXPECT_EQ(lines[0].instructions, 15u);

  Profile broken = p;
  broken.stacks[2].lines[0].second = 14;
  EXPECT_NE(broken.validate().find("do not add up"), std::string::npos);
  broken = p;
  broken.stacks[1].parent = 3;
  EXPECT_NE(broken.validate().find("parent"), std::string::npos);
}

TEST(ProfileFormatTest, JsonRoundTripsExactly) {
  Profile p = sampleProfile();
  p.extensions["futureSection"] = R"({"allocations":[]})";
  std::string text = writeJson(p);
  auto back = readJson(text);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(writeJson(*back), text);
  EXPECT_EQ(back->extensions.at("futureSection"), R"({"allocations":[]})");
  auto doc = nlohmann::json::parse(text);
  EXPECT_EQ(doc["format"], "wasmscope-profile");
  EXPECT_EQ(doc["version"], kProfileFormatVersion);
  EXPECT_EQ(doc["stacks"][2]["lines"][1][1], 5);
}

TEST(ProfileFormatTest, ReaderNamesWhatIsWrong) {
  std::string good = writeJson(sampleProfile());
  auto mutate = [&](auto change) {
    auto doc = nlohmann::json::parse(good);
    change(doc);
    return readJson(doc.dump());
  };
  struct Case {
    std::function<void(nlohmann::json &)> change;
    std::string expected;
  };
  std::vector<Case> cases = {
      {[](auto &d) { d["version"] = 99; }, "(root).version: version 99 is not supported"},
      {[](auto &d) { d["format"] = "other"; }, "(root).format"},
      {[](auto &d) { d["stacks"][2]["parent"] = 7; }, "stacks[2].parent: index 7 out of range"},
      {[](auto &d) { d["stacks"][3]["frame"] = 40; }, "stacks[3].frame: index 40 out of range"},
      {[](auto &d) { d["lines"][0]["chain"][0][0] = -1; }, "lines[0].chain[0][0]"},
      {[](auto &d) { d["frames"][1]["kind"] = "jit"; }, "frames[1].kind: unknown frame kind 'jit'"},
      {[](auto &d) { d["trace"]["events"][0][0] = "Q"; }, "trace.events[0][0]"},
      {[](auto &d) { d["totals"].erase("calls"); }, "totals.calls: missing"},
      {[](auto &d) { d["stacks"][2]["self"] = 19; }, "do not add up"},
  };
  for (const Case &c : cases) {
    auto r = mutate(c.change);
    ASSERT_FALSE(r.ok()) << c.expected;
    EXPECT_NE(r.error().message.find(c.expected), std::string::npos) << r.error().message;
  }
  EXPECT_FALSE(readJson("{").ok());
  EXPECT_FALSE(readJson("").ok());
  EXPECT_FALSE(readJson(good.substr(0, good.size() / 2)).ok());
}

TEST(ProfileFormatTest, CollapsedStacksExpandInlinedFrames) {
  EXPECT_EQ(writeCollapsed(sampleProfile()), "main 10\n"
                                             "main;work 15\n"
                                             "main;work;helper 5\n");
}

TEST(ProfileFormatTest, CallgrindHasSelfCostsAndInclusiveCalls) {
  std::string out = writeCallgrind(sampleProfile());
  EXPECT_NE(out.find("events: Instructions\n"), std::string::npos);
  EXPECT_NE(out.find("summary: 30\n"), std::string::npos);
  EXPECT_NE(out.find("fn=(1) main\n11 10\n"), std::string::npos) << out;
  // main calls work twice on one path, with work's inclusive cost.
  EXPECT_NE(out.find("cfn=(2) work\ncalls=2 20\n10 20\n"), std::string::npos) << out;
  // helper is a function of its own, with its own line.
  EXPECT_NE(out.find(" helper\n31 5\n"), std::string::npos) << out;
  EXPECT_NE(out.find("calls=3 0\n"), std::string::npos) << out;
}

TEST(ProfileFormatTest, SpeedscopeClosesWhatTheTraceLeftOpen) {
  auto doc = nlohmann::json::parse(writeSpeedscope(sampleProfile()));
  ASSERT_EQ(doc["profiles"].size(), 2u);
  const auto &sampled = doc["profiles"][0];
  EXPECT_EQ(sampled["type"], "sampled");
  EXPECT_EQ(sampled["endValue"], 30);
  EXPECT_EQ(sampled["samples"].size(), sampled["weights"].size());
  const auto &evented = doc["profiles"][1];
  EXPECT_EQ(evented["type"], "evented");
  const auto &events = evented["events"];
  // main open at the start of the kept window, closed at its end.
  EXPECT_EQ(events.front()["type"], "O");
  EXPECT_EQ(events.front()["frame"], 0);
  EXPECT_EQ(events.front()["at"], 12);
  EXPECT_EQ(events.back()["type"], "C");
  EXPECT_EQ(events.back()["frame"], 0);
  EXPECT_EQ(events.back()["at"], 30);
  EXPECT_EQ(events.size(), 6u);
}

TEST(ProfileFormatTest, PprofIsGzip) {
  auto bytes = writePprof(sampleProfile());
  ASSERT_TRUE(bytes.ok());
  ASSERT_GE(bytes->size(), 20u);
  EXPECT_EQ(uint8_t((*bytes)[0]), 0x1f);
  EXPECT_EQ(uint8_t((*bytes)[1]), 0x8b);
}

TEST(ProfileFormatTest, FormatsFromNamesAndExtensions) {
  EXPECT_EQ(formatForPath("out/prog.pb.gz"), OutputFormat::Pprof);
  EXPECT_EQ(formatForPath("callgrind.out.prog"), OutputFormat::Callgrind);
  EXPECT_EQ(formatForPath("dir/callgrind.out.1"), OutputFormat::Callgrind);
  EXPECT_EQ(formatForPath("x.speedscope.json"), OutputFormat::Speedscope);
  EXPECT_EQ(formatForPath("x.folded"), OutputFormat::Collapsed);
  EXPECT_EQ(formatForPath("x.json"), OutputFormat::Json);
  EXPECT_EQ(formatForPath("noextension"), OutputFormat::Json);
  EXPECT_EQ(parseFormat("speedscope"), OutputFormat::Speedscope);
  EXPECT_FALSE(parseFormat("svg"));
}

TEST(ProfileFormatTest, AtomicWriteReplacesWholeFilesOnly) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("wasmscope-atomic-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string path = (dir / "p.json").string();
  ASSERT_TRUE(writeFileAtomically(path, "first").ok());
  ASSERT_TRUE(writeFileAtomically(path, "second").ok());
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, "second");
  size_t files = 0;
  for (const auto &e : fs::directory_iterator(dir))
    ++files, (void)e;
  EXPECT_EQ(files, 1u) << "no temporary file is left behind";
  auto bad = writeFileAtomically((dir / "missing" / "p.json").string(), "x");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("cannot write"), std::string::npos);
  auto notJson = readProfileFile((dir / "nope.json").string());
  EXPECT_FALSE(notJson.ok());
  fs::remove_all(dir);
}

} // namespace
} // namespace wasmscope::profiler::test
