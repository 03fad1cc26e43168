// Hostile input to the session: expressions nested past any sane depth
// (which once overflowed the host stack), breakpoint conditions and log
// messages that do not parse (reported when the breakpoint is set), type
// graphs that loop (as hostile DWARF can describe them), and a guest stuck
// in a host call when the session ends. Saved hostile expressions in
// tests/regression/expressions/ are replayed through the fuzzer's harness.
#include "ExpressionHarness.h"
#include "SessionTestSupport.h"

#include "Evaluator.h"
#include "TypeFactory.h"
#include "ValueFormatter.h"
#include "wasmscope/session/Expression.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

namespace wasmscope::debugger::test {
namespace {

std::string nested(size_t depth, const std::string& inner = "1") {
  return std::string(depth, '(') + inner + std::string(depth, ')');
}

std::string parseError(const std::string& text) {
  auto r = expr::parse(text);
  return r.ok() ? "parsed" : r.error().message;
}

// ---------------------------------------------------------- the parser ----

TEST(ExpressionNesting, DeepParenthesesAreAnErrorNotACrash) {
  // 1945 levels killed the adapter with SIGSEGV before the limit existed.
  // The 257th '(' opens one level too many; the error points just past it.
  EXPECT_EQ(parseError(nested(1945)), "expression nested too deeply (more than 256 levels) at "
                                      "column 258");
  EXPECT_EQ(parseError(nested(2047, "i")).rfind("expression nested too deeply", 0), 0u);
  // Deep, but within the limit, still parses (and evaluates).
  EXPECT_EQ(parseError(nested(200)), "parsed");
}

TEST(ExpressionNesting, EveryKindOfNestingIsBounded) {
  for (const std::string& text :
       {std::string(3000, '-') + "1", std::string(3000, '!') + "x",
        [] {
          std::string s;
          for (int i = 0; i < 700; ++i)
            s += "(int)";
          return s + "x";
        }(),
        [] {
          std::string s;
          for (int i = 0; i < 1000; ++i)
            s += "1?";
          s += "1";
          for (int i = 0; i < 1000; ++i)
            s += ":0";
          return s;
        }(),
        [] {
          std::string s = "x";
          for (int i = 0; i < 1300; ++i)
            s += "=x";
          return s;
        }(),
        [] {
          std::string s = "a";
          for (int i = 0; i < 1300; ++i)
            s += "[0]";
          return s;
        }(),
        [] {
          std::string s = "1";
          for (int i = 0; i < 2000; ++i)
            s += "+1";
          return s;
        }()}) {
    EXPECT_EQ(parseError(text).rfind("expression nested too deeply", 0), 0u)
        << text.substr(0, 40);
  }
}

TEST(ExpressionNesting, TreesWithinTheLimitEvaluate) {
  std::string sum = "1";
  for (int i = 0; i < 200; ++i)
    sum += "+1";
  EmptyEnvironment env;
  TypeFactory types;
  Evaluator evaluator(env, types);
  Result<EvalValue> v = evaluator.evaluate(sum);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(ValueFormatter(env, types).format(*v), "201");
}

// ---------------------------------------------------- hostile types ----

TEST(HostileTypes, CyclesInTheTypeGraphEnd) {
  // An enum whose underlying type is a typedef of the enum, and an array
  // whose element type is the array itself: both can be written in DWARF.
  Type loopEnum;
  loopEnum.kind = TypeKind::Enum;
  loopEnum.name = "loop";
  Type alias;
  alias.kind = TypeKind::Typedef;
  alias.name = "loop_t";
  alias.target = &loopEnum;
  loopEnum.target = &alias;
  EXPECT_FALSE(isSignedType(&loopEnum));
  EXPECT_EQ(sizeOf(&loopEnum), 0u);

  Type selfArray;
  selfArray.kind = TypeKind::Array;
  selfArray.target = &selfArray;
  selfArray.dimensions = {{0, uint64_t(1) << 40}};
  EXPECT_EQ(sizeOf(&selfArray), 0u);
  EXPECT_FALSE(selfArray.displayName().empty());

  Type a, b;
  a.kind = b.kind = TypeKind::Typedef;
  a.name = "a_t";
  b.name = "b_t";
  a.target = &b;
  b.target = &a;
  EXPECT_EQ(a.stripped()->kind, TypeKind::Typedef); // Gave up, did not loop.
  EXPECT_FALSE(isIntegral(&a));
}

TEST(HostileTypes, ArraySizesSaturateInsteadOfWrapping) {
  Type byte;
  byte.kind = TypeKind::Base;
  byte.byteSize = 1;
  byte.encoding = BaseEncoding::Unsigned;
  Type array;
  array.kind = TypeKind::Array;
  array.target = &byte;
  // 2^33 * 2^33 elements would wrap to 0 in 64 bits.
  array.dimensions = {{0, uint64_t(1) << 33}, {0, uint64_t(1) << 33}};
  EXPECT_EQ(sizeOf(&array), UINT64_MAX);
}

TEST(HostileTypes, AStructThatIsItsOwnAnonymousMemberIsSearchedBoundedly) {
  Type i32;
  i32.kind = TypeKind::Base;
  i32.byteSize = 4;
  i32.encoding = BaseEncoding::Signed;
  Type self;
  self.kind = TypeKind::Struct;
  self.name = "self";
  self.byteSize = 8;
  Member x;
  x.name = "x";
  x.type = &i32;
  Member anonymous;
  anonymous.type = &self;
  anonymous.byteOffset = 4;
  self.members = {x, anonymous, anonymous};
  EmptyEnvironment env;
  TypeFactory types;
  EvalValue value = EvalValue::ofBytes(&self, std::vector<uint8_t>(8, 0));
  Result<EvalValue> found = memberOf(env, types, value, "x");
  ASSERT_TRUE(found.ok()) << found.error().message;
  // Without a budget this search branches twice per level, 2^64 times.
  Result<EvalValue> missing = memberOf(env, types, value, "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "'struct self' has too many nested anonymous members to search for 'nope'");
}

TEST(HostileTypes, SelfReferentialFunctionTypesSpellQuickly) {
  // int (*)(f *, f *, f *) where f is this function type: every level of the
  // spelling branches three ways.
  Type i32;
  i32.kind = TypeKind::Base;
  i32.name = i32.qualifiedName = "int";
  i32.byteSize = 4;
  Type fn;
  fn.kind = TypeKind::Subroutine;
  fn.target = &i32;
  Type fnPtr;
  fnPtr.kind = TypeKind::Pointer;
  fnPtr.target = &fn;
  fn.parameters = {&fnPtr, &fnPtr, &fnPtr};
  auto start = std::chrono::steady_clock::now();
  std::string name = fnPtr.displayName();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_NE(name.find("..."), std::string::npos);
  EXPECT_LT(name.size(), 10000u);
}

// ------------------------------------------------- the saved inputs ----

TEST(HostileRegression, SavedExpressionsEvaluateOrFailCleanly) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(WASMSCOPE_SOURCE_DIR) / "tests/regression/expressions";
  std::map<std::string, std::string> results;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".txt")
      continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string text{std::istreambuf_iterator<char>(in), {}};
    auto summary = fuzz::runUntrustedExpression(text);
    EXPECT_FALSE(summary.value.empty()) << entry.path();
    results[entry.path().filename().string()] = summary.value;
  }
  EXPECT_GE(results.size(), 20u);
  EXPECT_EQ(results["nested-parens-1945.txt"].rfind("expression nested too deeply", 0), 0u);
  EXPECT_EQ(results["nested-condition-2047.txt"].rfind("expression nested too deeply", 0), 0u);
  EXPECT_EQ(results["left-chain-2000.txt"].rfind("expression nested too deeply", 0), 0u);
  EXPECT_EQ(results["self-anonymous-member-found.txt"], "0 : int");
  EXPECT_EQ(results["self-anonymous-member.txt"],
            "'struct self' has too many nested anonymous members to search for 'nope'");
  EXPECT_EQ(results["ring-list.txt"], "{value=10, next=0x00000110, label=0x00000800 \"hello\", "
                                      "flags=-3, mode=5} : struct node");
  // An array that contains itself has no size: an error, never 0.
  EXPECT_NE(results["self-array-size.txt"].find("has no size"), std::string::npos)
      << results["self-array-size.txt"];
}

// ------------------------------------------- breakpoints on a real guest --

TEST(HostileBreakpoints, ANestedConditionIsReportedWhenSet) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  d.launch(configFor(stepsPath()), false);
  Breakpoint b = d.breakAt("steps.c", steps::kLoopBody, lineBreakpoint(0, nested(2047, "i")));
  EXPECT_FALSE(b.verified);
  EXPECT_EQ(b.message.rfind("invalid condition '((((", 0), 0u) << b.message;
  EXPECT_NE(b.message.find("expression nested too deeply (more than 256 levels)"),
            std::string::npos)
      << b.message;
  ASSERT_TRUE(d.session.configurationDone().ok());
  EXPECT_EQ(d.waitExit(), 7u); // It never stops, nor crashes.
}

TEST(HostileBreakpoints, AMalformedConditionOrLogMessageIsUnverified) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  d.launch(configFor(stepsPath()), false);
  Breakpoint cond = d.breakAt("steps.c", steps::kLoopBody, lineBreakpoint(0, "i +"));
  EXPECT_FALSE(cond.verified);
  EXPECT_EQ(cond.message,
            "invalid condition 'i +': expected an expression at column 4, found end of input");
  Breakpoint log = d.breakAt("steps.c", steps::kAddBody, lineBreakpoint(0, "", "", "a={a->}"));
  EXPECT_FALSE(log.verified);
  EXPECT_EQ(log.message, "invalid expression '{a->}' in the log message: expected a member name "
                         "after '->' at column 4, found end of input");
  ASSERT_TRUE(d.session.configurationDone().ok());
  EXPECT_EQ(d.waitExit(), 7u);
  EXPECT_EQ(d.console.find("a="), std::string::npos); // The logpoint never logged.
}

TEST(HostileBreakpoints, AMalformedConditionSetBeforeLaunchIsReportedAtLaunch) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  SourceBreakpoint spec = lineBreakpoint(steps::kLoopBody, "i ==");
  Result<std::vector<Breakpoint>> pending = d.session.setBreakpoints("steps.c", std::span(&spec, 1));
  ASSERT_TRUE(pending.ok());
  EXPECT_FALSE((*pending)[0].verified); // Pending: typedef names need the symbols.
  d.launch(configFor(stepsPath()));
  EXPECT_EQ(d.waitExit(), 7u);
  bool reported = false;
  for (const Event& e : d.events)
    if (auto changed = e.as<BreakpointChangedEvent>()) {
      EXPECT_FALSE(changed->breakpoint.verified);
      EXPECT_EQ(changed->breakpoint.message,
                "invalid condition 'i ==': expected an expression at column 5, found end of "
                "input");
      reported = true;
    }
  EXPECT_TRUE(reported);
}

TEST(HostileBreakpoints, ParsedConditionsStillSelectTheirHits) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  d.launch(configFor(stepsPath()), false);
  Breakpoint b = d.breakAt("steps.c", steps::kLoopBody,
                           lineBreakpoint(0, nested(100, "i") + " == 3", "", ""));
  ASSERT_TRUE(b.verified) << b.message;
  ASSERT_TRUE(d.session.configurationDone().ok());
  ASSERT_TRUE(d.waitStop());
  EXPECT_EQ(d.eval("i"), "3");
  // Evaluate refuses the same nesting that crashed it.
  EXPECT_EQ(d.eval(nested(1945)).rfind("<error: expression nested too deeply", 0), 0u);
  ASSERT_TRUE(d.session.resume().ok());
  EXPECT_EQ(d.waitExit(), 7u);
}

// ------------------------------------------- a guest stuck in a host call --

TEST(StuckGuestSession, DisconnectGivesUpAfterItsTimeout) {
  std::string guest = std::string(SESSION_GUEST_DIR) + "/blocking.wasm";
  SKIP_WITHOUT(guest);
  auto session = std::make_unique<Driver>();
  session->launch(configFor(guest));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (session->out.find("blocking in sleep") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline)
    (void)session->waitStop(std::chrono::milliseconds(50));
  ASSERT_NE(session->out.find("blocking in sleep"), std::string::npos);
  auto start = std::chrono::steady_clock::now();
  Result<void> r = session->session.disconnect(std::chrono::milliseconds(300));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  if (!r.ok()) {
    EXPECT_EQ(r.error().message, "the guest did not stop within 300 ms (it is blocked in a host "
                                 "call, such as a sleep or a read)");
  }
  // Destroying the session must not wait for the sleeping guest either.
  start = std::chrono::steady_clock::now();
  session.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

} // namespace
} // namespace wasmscope::debugger::test
