// Data breakpoints (Session::setDataBreakpoints, on the runtime's memory
// watches) and the wasm-level view of a stop (wasmFrames, wasmLocal,
// wasmGlobal, wasmStackValue, memorySize) that the gdb-remote stub serves.
#include "SessionTestSupport.h"

#include <cstring>

namespace wasmscope::debugger::test {
namespace {

DataBreakpoint dataBreakpoint(uint64_t address, uint64_t size, DataAccessType access,
                              std::string condition = {}, std::string hitCondition = {}) {
  DataBreakpoint d;
  d.address = address;
  d.size = size;
  d.accessType = access;
  d.condition = std::move(condition);
  d.hitCondition = std::move(hitCondition);
  return d;
}

uint64_t addressOf(Driver& d, const std::string& expression) {
  Result<VariableNode> v = d.session.evaluate(expression);
  EXPECT_TRUE(v.ok()) << expression;
  if (!v.ok())
    return 0;
  return std::stoull(v->value, nullptr, 16);
}

uint32_t u32(const std::vector<uint8_t>& bytes) {
  uint32_t v = 0;
  std::memcpy(&v, bytes.data(), std::min<size_t>(bytes.size(), 4));
  return v;
}

TEST(DataBreakpointSession, WriteStopsAfterTheStoreWithOldAndNewValues) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  d.breakAt("steps.c", steps::kUpdate);
  d.launch(configFor(stepsPath()));
  ASSERT_TRUE(d.waitStop());
  uint64_t y = addressOf(d, "&p.y");
  ASSERT_NE(y, 0u);
  DataBreakpoint spec = dataBreakpoint(y, 4, DataAccessType::Write);
  auto placed = d.session.setDataBreakpoints(std::span(&spec, 1));
  ASSERT_TRUE(placed.ok());
  ASSERT_EQ(placed->size(), 1u);
  EXPECT_TRUE((*placed)[0].verified) << (*placed)[0].message;
  ASSERT_TRUE(d.session.setBreakpoints("steps.c", {}).ok());
  ASSERT_TRUE(d.session.resume().ok());

  std::optional<StoppedEvent> stop = d.waitStop();
  ASSERT_TRUE(stop);
  EXPECT_EQ(stop->reason, StopReason::DataBreakpoint);
  EXPECT_STREQ(stopReasonName(stop->reason), "data breakpoint");
  ASSERT_EQ(stop->hitBreakpointIds, std::vector<BreakpointId>{(*placed)[0].id});
  ASSERT_TRUE(stop->dataAccess);
  const DataAccess& a = *stop->dataAccess;
  EXPECT_EQ(a.access, DataAccessType::Write);
  EXPECT_EQ(a.address, y);
  EXPECT_EQ(a.size, 4u);
  EXPECT_EQ(a.source, "instruction");
  EXPECT_EQ(u32(a.oldBytes), 4u);  // p.y before: 4
  EXPECT_EQ(u32(a.newBytes), 24u); // plus total, 20
  EXPECT_NE(stop->description.find("0x00000004 -> 0x00000018"), std::string::npos)
      << stop->description;
  // The guest is parked just after the store, in main at line 34.
  EXPECT_EQ(d.top().line, steps::kUpdate);
  EXPECT_EQ(d.eval("p.y"), "24");
  // No more writes to p.y: the guest runs to its end.
  ASSERT_TRUE(d.session.resume().ok());
  EXPECT_EQ(d.waitExit(), 7u);
}

TEST(DataBreakpointSession, ReadsHitConditionsAndConditions) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  d.breakAt("steps.c", steps::kForLine);
  d.launch(configFor(stepsPath()));
  ASSERT_TRUE(d.waitStop());
  uint64_t total = addressOf(d, "&total");
  ASSERT_TRUE(d.session.setBreakpoints("steps.c", {}).ok());

  // `total += twice(i)` reads total each iteration; stop on the 3rd read.
  DataBreakpoint reads = dataBreakpoint(total, 4, DataAccessType::Read, "", "3");
  ASSERT_TRUE(d.session.setDataBreakpoints(std::span(&reads, 1)).ok());
  ASSERT_TRUE(d.session.resume().ok());
  std::optional<StoppedEvent> stop = d.waitStop();
  ASSERT_TRUE(stop && stop->dataAccess);
  EXPECT_EQ(stop->dataAccess->access, DataAccessType::Read);
  EXPECT_EQ(stop->dataAccess->oldBytes, stop->dataAccess->newBytes);
  EXPECT_EQ(d.eval("i"), "2");

  // Writes where the condition holds only: total reaches 12 at i == 3.
  DataBreakpoint writes = dataBreakpoint(total, 4, DataAccessType::Write, "total == 12");
  auto placed = d.session.setDataBreakpoints(std::span(&writes, 1));
  ASSERT_TRUE(placed.ok());
  ASSERT_TRUE(d.session.resume().ok());
  stop = d.waitStop();
  ASSERT_TRUE(stop && stop->dataAccess);
  EXPECT_EQ(u32(stop->dataAccess->newBytes), 12u);
  EXPECT_EQ(u32(stop->dataAccess->oldBytes), 6u);
  EXPECT_EQ(d.eval("i"), "3");

  // Removing every data breakpoint: the guest runs to its end.
  ASSERT_TRUE(d.session.setDataBreakpoints({}).ok());
  ASSERT_TRUE(d.session.resume().ok());
  EXPECT_EQ(d.waitExit(), 7u);
}

TEST(DataBreakpointSession, SetBeforeLaunchAndInvalidRanges) {
  SKIP_WITHOUT(samplePath("compute"));
  Driver d;
  // g_bodies[0].vx of compute.c, set before launch: resolved at launch.
  std::vector<DataBreakpoint> specs = {dataBreakpoint(0, 0, DataAccessType::Write),
                                       dataBreakpoint(0xfffffffe, 4, DataAccessType::Write)};
  auto pending = d.session.setDataBreakpoints(specs);
  ASSERT_TRUE(pending.ok());
  EXPECT_FALSE((*pending)[0].verified);
  EXPECT_NE((*pending)[0].message.find("pending"), std::string::npos);
  d.launch(configFor(samplePath("compute"), {"8", "1"}));
  EXPECT_EQ(d.waitExit(), 0u) << "invalid data breakpoints never stop";
  bool sawChanges = false;
  for (const Event& e : d.events)
    if (auto c = e.as<BreakpointChangedEvent>()) {
      sawChanges = true;
      EXPECT_FALSE(c->breakpoint.verified);
      EXPECT_NE(c->breakpoint.message.find("cannot watch"), std::string::npos)
          << c->breakpoint.message;
    }
  EXPECT_TRUE(sawChanges);
}

TEST(DataBreakpointSession, WasiWritesStopToo) {
  SKIP_WITHOUT(samplePath("hello"));
  std::string dir = std::filesystem::temp_directory_path() / "wasmscope-databp-hello";
  std::filesystem::create_directories(dir);
  Driver d;
  d.breakAt("hello.c", 61); // fread into read_file's buffer
  LaunchConfig config = configFor(samplePath("hello"), {"x"});
  config.preopens.push_back(PreopenDir::parse(dir + "::/sandbox"));
  d.launch(config);
  ASSERT_TRUE(d.waitStop());
  uint64_t buffer = addressOf(d, "buffer");
  ASSERT_TRUE(d.session.setBreakpoints("hello.c", {}).ok());
  DataBreakpoint spec = dataBreakpoint(buffer, 4, DataAccessType::Write);
  ASSERT_TRUE(d.session.setDataBreakpoints(std::span(&spec, 1)).ok());
  ASSERT_TRUE(d.session.resume().ok());
  std::optional<StoppedEvent> stop = d.waitStop();
  ASSERT_TRUE(stop && stop->dataAccess);
  EXPECT_EQ(stop->dataAccess->source, "host call");
  EXPECT_EQ(std::string(stop->dataAccess->newBytes.begin(), stop->dataAccess->newBytes.end()), "Hell");
  EXPECT_NE(stop->description.find("by a WASI call"), std::string::npos);
  ASSERT_TRUE(d.session.setDataBreakpoints({}).ok());
  ASSERT_TRUE(d.session.resume().ok());
  EXPECT_EQ(d.waitExit(), 0u);
  std::filesystem::remove_all(dir);
}

TEST(WasmStateSession, FramesLocalsGlobalsAndOperandStack) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  d.breakAt("steps.c", steps::kAddBody);
  d.launch(configFor(stepsPath()));
  ASSERT_TRUE(d.waitStop());
  // The guest is stopped in add(0, 0), called by twice(0), called by main.
  Result<std::vector<WasmFrame>> frames = d.session.wasmFrames();
  ASSERT_TRUE(frames.ok());
  ASSERT_GE(frames->size(), 3u);
  EXPECT_FALSE((*frames)[0].returnAddress);
  for (size_t i = 1; i < frames->size(); ++i) {
    ASSERT_TRUE((*frames)[i].returnAddress) << i;
    EXPECT_GT(*(*frames)[i].returnAddress, (*frames)[i].address);
  }
  Result<StackTrace> trace = d.session.stackTrace();
  ASSERT_TRUE(trace.ok());
  EXPECT_EQ((*frames)[0].address, trace->frames[0].address);
  EXPECT_EQ((*frames)[0].funcIndex, trace->frames[0].funcIndex);

  // At -O0 add's parameters are wasm locals 0 and 1.
  Result<runtime::Value> a = d.session.wasmLocal(0, 0);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->type, runtime::ValType::I32);
  EXPECT_EQ(std::to_string(a->asI32()), d.eval("a"));
  EXPECT_FALSE(d.session.wasmLocal(0, 100000).ok());
  EXPECT_FALSE(d.session.wasmLocal(99, 0).ok());
  // Global 0 is the shadow stack pointer, below the top of memory.
  Result<runtime::Value> sp = d.session.wasmGlobal(0, 0);
  ASSERT_TRUE(sp.ok());
  Result<uint64_t> memory = d.session.memorySize();
  ASSERT_TRUE(memory.ok());
  EXPECT_EQ(*memory % 65536, 0u);
  EXPECT_GT(sp->asI32(), 0u);
  EXPECT_LT(sp->asI32(), *memory);
  EXPECT_FALSE(d.session.wasmGlobal(0, 100000).ok());
  EXPECT_FALSE(d.session.wasmStackValue(0, 100000).ok());
  EXPECT_FALSE(d.session.wasmStackValue(42, 0).ok());

  ASSERT_TRUE(d.session.setBreakpoints("steps.c", {}).ok());
  ASSERT_TRUE(d.session.resume().ok());
  EXPECT_EQ(d.waitExit(), 7u);
  // Not stopped any more: no frames, no values.
  EXPECT_FALSE(d.session.wasmFrames().ok());
  EXPECT_FALSE(d.session.wasmLocal(0, 0).ok());
}

} // namespace
} // namespace wasmscope::debugger::test
