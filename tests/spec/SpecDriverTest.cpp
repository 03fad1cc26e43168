// The spec driver must be able to fail: a small script converted by
// wast2json runs clean on the real engine, and each expectation changed in
// memory (a result, a v128 lane, a NaN pattern, the message of a rejection
// or of a trap) turns exactly that command into a failure.
#include "RuntimeEngine.h"
#include "SpecDriver.h"
#include "WastScript.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace wasmscope::spec {
namespace {

namespace fs = std::filesystem;

const char* kScript = R"(
(module
  (func (export "answer") (result i32) (i32.const 42))
  (func (export "add4") (param v128 v128) (result v128) (i32x4.add (local.get 0) (local.get 1)))
  (func (export "halves") (param f32) (result v128)
    (f32x4.div (f32x4.splat (local.get 0)) (v128.const f32x4 2 0 1 1)))
  (func (export "boom") (unreachable)))
(assert_return (invoke "answer") (i32.const 42))
(assert_return (invoke "add4" (v128.const i32x4 1 2 3 4) (v128.const i32x4 10 20 30 40))
               (v128.const i32x4 11 22 33 44))
(assert_return (invoke "halves" (f32.const 0)) (v128.const f32x4 0 nan:canonical 0 0))
(assert_trap (invoke "boom") "unreachable")
(assert_invalid (module (func (result i32) (i64.const 1))) "type mismatch")
)";

class SpecDriverTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() / ("wasmscope-driver-" + std::to_string(::getpid()));
    fs::create_directories(m_dir);
    std::ofstream(m_dir / "t.wast") << kScript;
    std::string cmd = std::string(WAST2JSON) + " " + (m_dir / "t.wast").string() + " -o " +
                      (m_dir / "t.json").string() + " 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    Outcome<WastScript> s = loadWastScript(m_dir / "t.json");
    ASSERT_TRUE(s.ok()) << s.error();
    m_script = s.value();
    ASSERT_EQ(m_script.commands.size(), 6u);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(m_dir, ec);
  }

  /// Runs `script` on a fresh engine; returns the counts and what it printed.
  ScriptCounts run(const WastScript& script, std::string* output = nullptr) {
    ScriptCounts counts;
    Outcome<std::unique_ptr<SpecEngine>> engine = createRuntimeEngine();
    EXPECT_TRUE(engine.ok());
    if (!engine.ok())
      return counts;
    char* buf = nullptr;
    size_t size = 0;
    std::FILE* out = open_memstream(&buf, &size);
    DriverOptions options;
    options.out = out;
    SpecDriver(*engine.value(), script, counts, options).run();
    std::fclose(out);
    if (output)
      *output = std::string(buf, size);
    std::free(buf);
    return counts;
  }

  Command& command(WastScript& s, CommandType type, size_t nth = 0) {
    for (Command& c : s.commands)
      if (c.type == type && nth-- == 0)
        return c;
    ADD_FAILURE() << "no such command";
    return s.commands.front();
  }

  fs::path m_dir;
  WastScript m_script;
};

TEST_F(SpecDriverTest, TheScriptPasses) {
  std::string out;
  ScriptCounts c = run(m_script, &out);
  EXPECT_EQ(c.passed, 6u) << out;
  EXPECT_EQ(c.failed, 0u) << out;
}

TEST_F(SpecDriverTest, AWrongResultFails) {
  WastScript s = m_script;
  command(s, CommandType::AssertReturn, 0).expected[0].bits = 43;
  std::string out;
  ScriptCounts c = run(s, &out);
  EXPECT_EQ(c.failed, 1u);
  EXPECT_NE(out.find("expected (i32:43), got (i32:42)"), std::string::npos) << out;
}

TEST_F(SpecDriverTest, AWrongV128LaneFails) {
  WastScript s = m_script;
  command(s, CommandType::AssertReturn, 1).expected[0].high += uint64_t(1) << 32; // lane 3: 45
  std::string out;
  ScriptCounts c = run(s, &out);
  EXPECT_EQ(c.failed, 1u);
  EXPECT_NE(out.find("got (v128:i32x4 {11, 22, 33, 44})"), std::string::npos) << out;
}

TEST_F(SpecDriverTest, ANaNPatternOnANumberFails) {
  WastScript s = m_script;
  // Lane 0 is 0/2 = 0, not a NaN.
  command(s, CommandType::AssertReturn, 2).expected[0].lanes[0] = WastValue::Kind::CanonicalNan;
  EXPECT_EQ(run(s).failed, 1u);
  // And lane 1 (0/0) is a NaN, not the bits 0.
  WastScript t = m_script;
  command(t, CommandType::AssertReturn, 2).expected[0].lanes[1] = WastValue::Kind::Bits;
  EXPECT_EQ(run(t).failed, 1u);
}

TEST_F(SpecDriverTest, ATrapOrRejectionWithAnotherMessageFails) {
  WastScript s = m_script;
  command(s, CommandType::AssertTrap).text = "integer divide by zero";
  std::string out;
  EXPECT_EQ(run(s, &out).failed, 1u);
  EXPECT_NE(out.find("trapped with the wrong message: expected \"integer divide by zero\""),
            std::string::npos)
      << out;
  WastScript t = m_script;
  command(t, CommandType::AssertInvalid).text = "unknown type";
  EXPECT_EQ(run(t, &out).failed, 1u);
  EXPECT_NE(out.find("rejected with the wrong message: expected \"unknown type\", got \"type "
                     "mismatch"),
            std::string::npos)
      << out;
}

} // namespace
} // namespace wasmscope::spec
