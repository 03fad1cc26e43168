// A live run as the inspector hosts it, on samples/request_handler: the
// session's run is profiled by observers, snapshots are published at stops
// and at the end, the model follows the session, and breakpoints set from
// the Source view's gutter keep another front end's breakpoints.
#include "InspectorTestSupport.h"

#include "InspectorModel.h"
#include "SourceModel.h"

#include "wasmscope/profiler/Formats.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace wasmscope::gui {
namespace {

using namespace std::chrono_literals;
using namespace wasmscope::debugger;

class LiveRunTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_module = test::samplePath("request_handler");
    if (m_module.empty())
      GTEST_SKIP() << "wasm samples not built";
  }

  LiveOptions options(std::vector<std::string> args = {"40"}) {
    LiveOptions o;
    o.config.modulePath = m_module;
    o.config.args = std::move(args);
    o.traceEvents = 100000;
    return o;
  }

  /// Runs the model's update until `done` or a timeout.
  template <typename F> bool updateUntil(InspectorModel& model, F done) {
    auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
      model.update();
      if (done())
        return true;
      std::this_thread::sleep_for(5ms);
    }
    return false;
  }

  std::string m_module;
};

TEST_F(LiveRunTest, TheEndOfTheRunPublishesTheWholeProfile) {
  LiveRun run;
  ASSERT_TRUE(run.launch(options()).ok());
  EXPECT_EQ(run.latest().profile, nullptr);
  ASSERT_TRUE(run.start().ok());
  std::vector<Event> skipped;
  auto exited = test::waitFor<ExitedEvent>(run, 30s, &skipped);
  ASSERT_TRUE(exited);
  EXPECT_EQ(exited->as<ExitedEvent>()->exitCode, 0u);
  RunSnapshot snapshot = run.latest();
  ASSERT_TRUE(snapshot.profile) << snapshot.error;
  EXPECT_TRUE(snapshot.final);
  const profiler::Profile& profile = *snapshot.profile;
  EXPECT_EQ(profile.validate(), "");
  EXPECT_GT(profile.totals.instructions, 10000u);
  bool parse = false;
  for (const auto& stats : profile.functions)
    if (profile.frames[stats.frame].name == "parse_request") {
      parse = true;
      EXPECT_EQ(stats.calls, 40u); // One per request.
    }
  EXPECT_TRUE(parse);
  EXPECT_TRUE(profile.trace.enabled);
  EXPECT_GT(profile.trace.events.size(), 100u);
  // The guest's output came as events.
  bool output = false;
  for (const Event& e : skipped)
    if (const auto* o = e.as<OutputEvent>(); o && o->text.find("handled 40 requests") != std::string::npos)
      output = true;
  EXPECT_TRUE(output);
}

TEST_F(LiveRunTest, AStopPublishesTheProfileSoFar) {
  LiveRun run;
  ASSERT_TRUE(run.launch(options()).ok());
  SourceBreakpoint bp;
  bp.line = 346; // The summary printf, after the request loop.
  auto placed = run.session().setBreakpoints(test::sampleSource("request_handler"), {&bp, 1});
  ASSERT_TRUE(placed.ok());
  ASSERT_TRUE(run.start().ok());
  auto stopped = test::waitFor<StoppedEvent>(run, 30s);
  ASSERT_TRUE(stopped);
  RunSnapshot atStop = run.latest();
  ASSERT_TRUE(atStop.profile) << atStop.error;
  EXPECT_FALSE(atStop.final);
  uint64_t soFar = atStop.profile->totals.instructions;
  EXPECT_GT(soFar, 0u);
  ASSERT_TRUE(run.session().resume().ok());
  ASSERT_TRUE(test::waitFor<ExitedEvent>(run, 30s));
  RunSnapshot atEnd = run.latest();
  ASSERT_TRUE(atEnd.profile);
  EXPECT_TRUE(atEnd.final);
  // The end adds the summary and the table's teardown.
  EXPECT_GT(atEnd.profile->totals.instructions, soFar);
  EXPECT_GT(atEnd.version, atStop.version);
}

TEST_F(LiveRunTest, TheHeapProfilerAndBreakpointsShareARun) {
  // --memory: the heap profiler's probes on malloc and free and a
  // breakpoint in parse_request (which calls copy_string's malloc) both
  // fire. A stop publishes the heap so far (with a leak check of the
  // stopped guest) and the hex view reads the stopped guest; the end has the
  // same leaks as a run without the stop.
  LiveRun run;
  LiveOptions o = options({});
  o.memory = true;
  ASSERT_TRUE(run.launch(std::move(o)).ok());
  SourceBreakpoint bp;
  bp.line = 112;
  ASSERT_TRUE(run.session().setBreakpoints(test::sampleSource("request_handler"), {&bp, 1}).ok());
  InspectorModel model;
  model.attachLive(run);
  ASSERT_TRUE(run.start().ok());
  ASSERT_TRUE(updateUntil(model, [&] { return model.debug().state() == SessionState::Stopped; }));
  RunSnapshot atStop = run.latest();
  ASSERT_TRUE(atStop.profile) << atStop.error;
  ASSERT_TRUE(atStop.profile->memory);
  // With a leak check of the stopped guest (its frames' locals are roots).
  EXPECT_TRUE(atStop.profile->memory->leakChecked);
  EXPECT_GT(atStop.profile->memory->allocations, 0u);
  ASSERT_FALSE(model.memoryMap().empty());
  EXPECT_TRUE(model.memoryMap().leakChecked());
  ASSERT_FALSE(model.memoryMap().blocks().empty());
  // A live block's bytes, read from the parked guest; the user table's
  // buckets are calloc'ed, so the first live block is readable.
  uint32_t address = model.memoryMap().blocks().front().block.address;
  MemoryBytes bytes = model.readMemory(address, 8);
  EXPECT_EQ(bytes.source, "stopped guest");
  EXPECT_EQ(bytes.data.size(), 8u);

  ASSERT_TRUE(run.session().setBreakpoints(test::sampleSource("request_handler"), {}).ok());
  ASSERT_TRUE(run.session().resume().ok());
  ASSERT_TRUE(updateUntil(model, [&] { return model.debug().state() == SessionState::Exited; }));
  RunSnapshot atEnd = run.latest();
  ASSERT_TRUE(atEnd.profile && atEnd.profile->memory) << atEnd.error;
  EXPECT_TRUE(atEnd.profile->memory->leakChecked);
  RunSnapshot plain = test::requestHandlerMemoryRun();
  ASSERT_TRUE(plain.profile && plain.profile->memory);
  const profiler::MemoryProfile& a = *atEnd.profile->memory;
  const profiler::MemoryProfile& b = *plain.profile->memory;
  EXPECT_EQ(a.allocations, b.allocations);
  EXPECT_EQ(a.peak.bytes, b.peak.bytes);
  for (int k = 0; k < 4; ++k)
    EXPECT_EQ(a.summary.bytes[k], b.summary.bytes[k]) << k;
  EXPECT_GT(a.summary.bytes[0], 0u);
  // The model follows: the map now has the leak check's classes.
  EXPECT_TRUE(model.memoryMap().leakChecked());
  EXPECT_GT(model.memoryMap().totals()[int(MemoryKind::Leaked)], 0u);
}

TEST_F(LiveRunTest, ASelectedHeapBlockIsTypedThroughThePointerToIt) {
  // Stopped in add_user after its malloc: the block `user` points at reads
  // as a User with its members; a static reads as itself.
  LiveRun run;
  LiveOptions o = options({});
  o.memory = true;
  ASSERT_TRUE(run.launch(std::move(o)).ok());
  SourceBreakpoint bp;
  bp.line = 208; // user->next = ...: id and name are set.
  ASSERT_TRUE(run.session().setBreakpoints(test::sampleSource("request_handler"), {&bp, 1}).ok());
  InspectorModel model;
  model.attachLive(run);
  ASSERT_TRUE(run.start().ok());
  ASSERT_TRUE(updateUntil(model, [&] { return model.debug().state() == SessionState::Stopped; }));
  auto user = run.session().evaluate("user", std::nullopt, EvaluateContext::Watch);
  ASSERT_TRUE(user.ok() && user->memoryReference);
  uint64_t block = *user->memoryReference;
  ASSERT_TRUE(model.memoryMap().blockAt(block)) << "the User block is not in the heap so far";
  model.selectAddress(block + 4);
  const std::optional<TypedValue>& typed = model.selectedTypedValue();
  ASSERT_TRUE(typed);
  EXPECT_NE(typed->expression.find("User"), std::string::npos) << typed->expression;
  EXPECT_NE(typed->via.find("pointed at by user"), std::string::npos) << typed->via;
  bool id = false, name = false;
  for (const TypedMember& m : typed->members) {
    id |= m.name == "id";
    name |= m.name == "name" && m.value.find('"') != std::string::npos;
  }
  EXPECT_TRUE(id && name);
  // A static: g_seed, found by its address and size, read as itself.
  auto seed = run.session().evaluate("&g_seed", std::nullopt, EvaluateContext::Watch);
  ASSERT_TRUE(seed.ok() && seed->memoryReference);
  model.selectAddress(*seed->memoryReference + 2);
  const std::optional<TypedValue>& global = model.selectedTypedValue();
  ASSERT_TRUE(global);
  EXPECT_EQ(global->expression, "g_seed");
  EXPECT_EQ(global->type, "unsigned int");
  EXPECT_EQ(global->via, "global");
  // Address 0 holds no variable (a pointer holding 0 must not count).
  model.selectAddress(0);
  EXPECT_FALSE(model.selectedTypedValue()) << model.selectedTypedValue()->expression << " "
                                           << model.selectedTypedValue()->type << " "
                                           << model.selectedTypedValue()->via;
  ASSERT_TRUE(run.session().setBreakpoints(test::sampleSource("request_handler"), {}).ok());
  ASSERT_TRUE(run.session().resume().ok());
  ASSERT_TRUE(updateUntil(model, [&] { return model.debug().state() == SessionState::Exited; }));
  // After the run there is no guest to ask.
  model.selectAddress(block);
  EXPECT_FALSE(model.selectedTypedValue());
}

TEST_F(LiveRunTest, BreakpointsSetWhileStoppedOnEntryStopTheProfiledRun) {
  // Breakpoints placed while the guest is parked at its entry (as a DAP
  // client attaching to the inspector does) land in code that is also
  // counting blocks for the profiler.
  LiveRun run;
  LiveOptions o = options({"200"});
  o.config.stopOnEntry = true;
  ASSERT_TRUE(run.launch(std::move(o)).ok());
  ASSERT_TRUE(run.start().ok());
  ASSERT_TRUE(test::waitFor<StoppedEvent>(run, 30s));
  SourceBreakpoint bps[2];
  bps[0].line = 112; // parse_request's copy of the method.
  bps[1].line = 221; // delete_user's free.
  auto placed = run.session().setBreakpoints(test::sampleSource("request_handler"), bps);
  ASSERT_TRUE(placed.ok());
  ASSERT_TRUE((*placed)[0].verified && (*placed)[1].verified);
  for (uint32_t line : {112u, 221u}) {
    ASSERT_TRUE(run.session().resume().ok());
    auto stopped = test::waitFor<StoppedEvent>(run, 30s);
    ASSERT_TRUE(stopped) << "no stop at line " << line;
    auto frames = run.session().stackTrace(0, 1);
    ASSERT_TRUE(frames.ok());
    ASSERT_FALSE(frames->frames.empty());
    EXPECT_EQ(frames->frames[0].line, line);
    // Each breakpoint is taken once before moving to the other line.
    SourceBreakpoint rest = bps[1];
    if (line == 112u) {
      ASSERT_TRUE(run.session().setBreakpoints(test::sampleSource("request_handler"), {&rest, 1}).ok());
    }
  }
  ASSERT_TRUE(run.session().setBreakpoints(test::sampleSource("request_handler"), {}).ok());
  ASSERT_TRUE(run.session().resume().ok());
  ASSERT_TRUE(test::waitFor<ExitedEvent>(run, 30s));
  ASSERT_TRUE(run.latest().final);
}

TEST_F(LiveRunTest, TheModelFollowsTheSessionAndShowsWhereItStopped) {
  LiveRun run;
  ASSERT_TRUE(run.launch(options()).ok());
  InspectorModel model;
  model.attachLive(run);
  model.update();
  ASSERT_NE(model.module(), nullptr);
  // Set from the gutter, as a click does.
  model.showSource(test::sampleSource("request_handler"), 0);
  auto set = model.toggleBreakpoint(112);
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_TRUE(*set);
  ASSERT_NE(model.source().breakpointAt(112), nullptr);
  EXPECT_TRUE(model.source().breakpointAt(112)->verified);
  ASSERT_TRUE(run.start().ok());
  ASSERT_TRUE(updateUntil(model, [&] { return model.debug().state() == SessionState::Stopped; }));
  EXPECT_EQ(model.debug().summary(), "stopped (breakpoint) in parse_request at request_handler.c:112");
  EXPECT_EQ(model.currentLine(), 112u);
  ASSERT_FALSE(model.debug().frames().empty());
  EXPECT_EQ(model.debug().frames()[0].name, "parse_request");
  ASSERT_NE(model.profile(), nullptr);
  EXPECT_FALSE(model.profileFinal());
  // The locals of the selected frame.
  bool sawLine = false;
  for (const FrameScope& scope : model.debug().scopes())
    if (scope.kind == FrameScopeKind::Locals)
      for (const VariableNode& v : model.debug().children(*model.session(), scope.variablesReference))
        sawLine = sawLine || v.name == "line";
  EXPECT_TRUE(sawLine);
  // Selecting the caller shows its line.
  ASSERT_GE(model.debug().frames().size(), 2u);
  model.selectStackFrame(1);
  EXPECT_EQ(model.debug().frames()[1].name, "main");
  EXPECT_EQ(model.currentLine(), model.debug().frames()[1].line);
  // Clearing the breakpoint from the gutter; the run then ends.
  auto cleared = model.toggleBreakpoint(112);
  ASSERT_TRUE(cleared.ok());
  EXPECT_FALSE(*cleared);
  EXPECT_EQ(model.source().breakpointAt(112), nullptr);
  ASSERT_TRUE(model.session()->resume().ok());
  ASSERT_TRUE(updateUntil(model, [&] { return model.debug().state() == SessionState::Exited; }));
  EXPECT_EQ(model.debug().summary(), "exited with status 0");
  EXPECT_TRUE(model.profileFinal());
  // Console: the access log.
  bool logged = false;
  for (const ConsoleLine& line : model.console().lines())
    logged = logged || line.text.find("handled 40 requests") != std::string::npos;
  EXPECT_TRUE(logged);
}

TEST_F(LiveRunTest, TheGutterKeepsAnotherFrontEndsBreakpoints) {
  LiveRun run;
  ASSERT_TRUE(run.launch(options()).ok());
  Session& session = run.session();
  // A DAP client set a conditional breakpoint under its own spelling of the path.
  std::string clientPath = test::sampleSource("request_handler");
  SourceBreakpoint client;
  client.line = 221;
  client.condition = "id > 3";
  ASSERT_TRUE(session.setBreakpoints(clientPath, {&client, 1}).ok());
  // The gutter adds one on the DWARF path of the same file...
  const ModuleSymbols* symbols = session.symbols();
  auto file = symbols->findFile("request_handler.c");
  ASSERT_TRUE(file);
  std::string dwarfPath = symbols->filePath(*file);
  ASSERT_TRUE(toggleBreakpoint(session, dwarfPath, 112).ok());
  auto all = session.lineBreakpoints();
  ASSERT_EQ(all.size(), 2u);
  for (const auto& info : all) {
    if (info.placed.line == 221) {
      EXPECT_EQ(info.request.condition, "id > 3");
      EXPECT_EQ(info.requestPath, clientPath);
    }
  }
  // ...clearing it leaves the client's, condition and all.
  ASSERT_TRUE(toggleBreakpoint(session, dwarfPath, 112).ok());
  all = session.lineBreakpoints();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].placed.line, 221u);
  EXPECT_EQ(all[0].request.condition, "id > 3");
  // And clearing the client's from the gutter works too.
  ASSERT_TRUE(toggleBreakpoint(session, dwarfPath, 221).ok());
  EXPECT_TRUE(session.lineBreakpoints().empty());
}

TEST_F(LiveRunTest, ASavedProfileOpensWithItsModuleWhenUnchanged) {
  LiveRun run;
  ASSERT_TRUE(run.launch(options()).ok());
  ASSERT_TRUE(run.start().ok());
  ASSERT_TRUE(test::waitFor<ExitedEvent>(run, 30s));
  auto profile = run.latest().profile;
  ASSERT_TRUE(profile);
  std::string path = std::string(INSPECTOR_TEST_TMP) + "/saved.profile.json";
  ASSERT_TRUE(profiler::writeFileAtomically(path, profiler::writeJson(*profile)).ok());

  InspectorModel model;
  ASSERT_TRUE(model.openProfile(path).ok());
  ASSERT_NE(model.profile(), nullptr);
  EXPECT_TRUE(model.profileFinal());
  EXPECT_EQ(model.profile()->totals.instructions, profile->totals.instructions);
  ASSERT_NE(model.module(), nullptr) << "the module at " << profile->run.modulePath;
  EXPECT_FALSE(model.functions().rows().empty());
  EXPECT_FALSE(model.trace().empty());
  // The hottest file opens by itself.
  EXPECT_TRUE(samePath(model.source().path(), "request_handler.c")) << model.source().path();
  EXPECT_GT(model.source().maxHeat(), 0u);
  EXPECT_TRUE(model.source().hasCode(112));
  EXPECT_FALSE(model.toggleBreakpoint(112).ok()); // No program to break in.

  // A module that changed since is not used: its lines would lie.
  std::string copy = std::string(INSPECTOR_TEST_TMP) + "/changed.wasm";
  std::filesystem::copy_file(m_module, copy, std::filesystem::copy_options::overwrite_existing);
  {
    std::ofstream out(copy, std::ios::app | std::ios::binary);
    out.put('\0'); // One more byte: a different SHA-256.
  }
  profiler::Profile moved = *profile;
  moved.run.modulePath = copy;
  std::string movedPath = std::string(INSPECTOR_TEST_TMP) + "/moved.profile.json";
  ASSERT_TRUE(profiler::writeFileAtomically(movedPath, profiler::writeJson(moved)).ok());
  InspectorModel other;
  ASSERT_TRUE(other.openProfile(movedPath).ok());
  EXPECT_EQ(other.module(), nullptr);
}

TEST_F(LiveRunTest, ModuleSummaryListsSectionsAndNamesFunctions) {
  LiveRun run;
  ASSERT_TRUE(run.launch(options()).ok());
  InspectorModel model;
  model.attachLive(run);
  model.update();
  const ModuleSummary* module = model.module();
  ASSERT_NE(module, nullptr);
  auto hasSection = [&](const std::string& name) {
    for (const auto& s : module->sections)
      if (s.name == name)
        return true;
    return false;
  };
  EXPECT_TRUE(hasSection("code"));
  EXPECT_TRUE(hasSection("custom .debug_info"));
  EXPECT_GT(module->debugBytes, 0u);
  bool fdWrite = false;
  for (const auto& import : module->imports)
    fdWrite = fdWrite || (import.name == "fd_write" && import.kind == "func");
  EXPECT_TRUE(fdWrite);
  bool start = false;
  for (const auto& e : module->exports)
    start = start || e.name == "_start";
  EXPECT_TRUE(start);
  // Functions: names and declarations from DWARF; filtered and sorted.
  auto order = module->functionOrder(FunctionColumn::Size, false, "parse_req");
  ASSERT_EQ(order.size(), 1u);
  const FunctionRow& parse = module->functions[order[0]];
  EXPECT_EQ(parse.name, "parse_request");
  EXPECT_GT(parse.codeSize, 0u);
  EXPECT_TRUE(samePath(parse.sourceFile, "request_handler.c"));
  EXPECT_GT(parse.sourceLine, 100u);
  auto bySize = module->functionOrder(FunctionColumn::Size, false, "");
  ASSERT_GE(bySize.size(), 2u);
  EXPECT_GE(module->functions[bySize[0]].codeSize, module->functions[bySize[1]].codeSize);
}

} // namespace
} // namespace wasmscope::gui
