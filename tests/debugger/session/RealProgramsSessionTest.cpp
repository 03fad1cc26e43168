// Debugging programs built the way real ones are (tests/debugger/data/
// tinylua, Lua-like, and minisql, SQLite-like): several compile units, an
// opaque type defined in another unit, inlined static helpers at -O2,
// return addresses without a line of their own, lines with several
// locations, a character table, a function table, and source paths that
// differ between the build and the debugger. Each behaviour is checked at
// -O0 and -O2 where the optimisation matters.
#include "SessionTestSupport.h"

#include <algorithm>
#include <fcntl.h>
#include <fstream>
#include <unistd.h>

namespace wasmscope::debugger::test {
namespace {

std::string realPath(const std::string& program, const std::string& opt) {
  return std::string(SESSION_GUEST_DIR) + "/" + program + "." + opt + ".wasm";
}

std::string realSource(const std::string& file) {
  return std::string(SESSION_REAL_SOURCES) + "/" + file;
}

/// The line of `file` (under tests/debugger/data) holding `marker`.
uint32_t markerLine(const std::string& file, const std::string& marker) {
  std::ifstream in(realSource(file));
  std::string text;
  for (uint32_t n = 1; std::getline(in, text); ++n)
    if (text.find(marker) != std::string::npos)
      return n;
  ADD_FAILURE() << marker << " not in " << file;
  return 0;
}

/// Launches `program` at `opt` and runs to the breakpoint at `marker`.
void runTo(Driver& d, const std::string& program, const std::string& opt, const std::string& file,
           const std::string& marker, std::vector<std::string> args = {}) {
  d.launch(configFor(realPath(program, opt), std::move(args)), false);
  Breakpoint bp = d.breakAt(file, markerLine(file, marker));
  ASSERT_TRUE(bp.verified) << bp.message;
  ASSERT_TRUE(d.session.configurationDone().ok());
  ASSERT_TRUE(d.waitStop());
  ASSERT_TRUE(d.session.setBreakpoints(file, {}).ok());
}

std::string where(Driver& d) {
  StackFrame f = d.top();
  return f.name + ":" + std::to_string(f.line);
}

std::string stepped(Driver& d, Result<void> (Session::*command)(StepGranularity)) {
  Result<void> r = (d.session.*command)(StepGranularity::Line);
  if (!r.ok())
    return "<error: " + r.error().message + ">";
  std::optional<StoppedEvent> s = d.waitStop();
  if (!s)
    return "<ended>";
  return where(d);
}

class RealProgram : public ::testing::TestWithParam<const char*> {};
INSTANTIATE_TEST_SUITE_P(Builds, RealProgram, ::testing::Values("O0", "O2"));

// --------------------------------------------------------------- stepping --

TEST_P(RealProgram, StepOutOfACalleeStopsInItsCaller) {
  // tl_gettop is called from base_print; at -O2 the return address has no
  // line of its own (line 0). Stepping out stops in base_print, at the
  // call's line or the next statement, never further up in tl_precallC.
  std::string opt = GetParam();
  SKIP_WITHOUT(realPath("tinylua", opt));
  Driver d;
  runTo(d, "tinylua", opt, "tinylua/tstate.c", "@gettop-body");
  uint32_t call = markerLine("tinylua/tbaselib.c", "@print-gettop");
  std::string out = stepped(d, &Session::stepOut);
  EXPECT_EQ(out, "base_print:" + std::to_string(opt == "O0" ? call : call + 1));
}

TEST_P(RealProgram, NextOffTheEndOfACalleeStopsInItsCaller) {
  std::string opt = GetParam();
  SKIP_WITHOUT(realPath("tinylua", opt));
  Driver d;
  runTo(d, "tinylua", opt, "tinylua/tstate.c", "@gettop-body");
  std::string out;
  for (int i = 0; i < 3; ++i) { // The body, then `return n;` at -O0.
    out = stepped(d, &Session::next);
    if (out.rfind("tl_gettop:", 0) != 0)
      break;
  }
  EXPECT_EQ(out.substr(0, out.find(':')), "base_print") << out;
}

TEST_P(RealProgram, NextLeavingAnInlinedCallSkipsTheNextInlinedCall) {
  // msql_changes calls msqlEnter then msqlError; at -O2 both are inlined
  // and the first flows straight into the second. A `next` from
  // msqlEnter's body returns to msql_changes, stepping over msqlError.
  std::string opt = GetParam();
  SKIP_WITHOUT(realPath("minisql", opt));
  Driver d;
  LaunchConfig config = configFor(realPath("minisql", opt));
  d.launch(config, false);
  Breakpoint bp = d.breakAt("msql.c", markerLine("minisql/msql.c", "@enter-body"));
  ASSERT_TRUE(bp.verified) << bp.message;
  ASSERT_TRUE(d.session.configurationDone().ok());
  ASSERT_TRUE(d.waitStop());
  ASSERT_TRUE(d.session.setBreakpoints("msql.c", {}).ok());
  EXPECT_EQ(d.top().name, "msqlEnter");
  std::string out;
  for (int i = 0; i < 3; ++i) { // The body, then the closing brace at -O0.
    out = stepped(d, &Session::next);
    if (out.rfind("msqlEnter:", 0) != 0)
      break;
  }
  // -O0: back in msql_changes at the return address, the start of the
  // msqlError line; -O2: msqlError's inlined code is stepped over.
  uint32_t errorCall = markerLine("minisql/msql.c", "@changes-error");
  uint32_t ret = markerLine("minisql/msql.c", "@changes-return");
  EXPECT_EQ(out, "msql_changes:" + std::to_string(opt == "O0" ? errorCall : ret));
  Result<StackTrace> t = d.session.stackTrace();
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(t->frames.front().inlined) << t->frames.front().name;
}

TEST_P(RealProgram, StepInEntersAnInlinedCall) {
  // From msqlEnter, stepIn goes on into the next call (msqlError), inlined
  // or not: step in enters inlined frames, step over skips them.
  std::string opt = GetParam();
  SKIP_WITHOUT(realPath("minisql", opt));
  Driver d;
  d.launch(configFor(realPath("minisql", opt)), false);
  d.breakAt("msql.c", markerLine("minisql/msql.c", "@enter-body"));
  ASSERT_TRUE(d.session.configurationDone().ok());
  ASSERT_TRUE(d.waitStop());
  ASSERT_TRUE(d.session.setBreakpoints("msql.c", {}).ok());
  std::string out;
  for (int i = 0; i < 4 && out.rfind("msqlError:", 0) != 0; ++i)
    out = stepped(d, &Session::stepIn);
  // Its first statement; at -O2 its first line ran before msqlEnter's code.
  uint32_t body = markerLine("minisql/msql.c", "@error-body");
  StackFrame f = d.top();
  EXPECT_EQ(f.name, "msqlError") << out;
  EXPECT_TRUE(f.line == body || (opt == "O2" && f.line == body + 1)) << out;
  EXPECT_EQ(f.inlined, opt == "O2");
}

// ------------------------------------------------------------------ types --

TEST_P(RealProgram, AnOpaqueTypeIsCompletedFromAnotherUnit) {
  // tbaselib.c includes only tinylua.h: tl_State is declared there and
  // defined in tstate.c's unit.
  std::string opt = GetParam();
  SKIP_WITHOUT(realPath("tinylua", opt));
  Driver d;
  runTo(d, "tinylua", opt, "tinylua/tbaselib.c", "@print-newline");
  EXPECT_EQ(d.top().name, "base_print");
  Result<VariableNode> L = d.session.evaluate("L");
  ASSERT_TRUE(L.ok()) << L.error().message;
  EXPECT_EQ(L->type, "tl_State *");
  EXPECT_NE(L->variablesReference, 0);
  EXPECT_EQ(L->namedVariables, 11u);
  Result<std::vector<VariableNode>> members = d.session.variables(L->variablesReference);
  ASSERT_TRUE(members.ok()) << members.error().message;
  ASSERT_FALSE(members->empty());
  EXPECT_EQ(members->front().name, "top");
  EXPECT_EQ(d.eval("sizeof(*L)"), "1368");
  EXPECT_EQ(d.eval("sizeof(tl_State)"), "1368");
  EXPECT_EQ(d.eval("L->nlibs"), "1");
  EXPECT_EQ(d.eval("L->ci->func->tag"), "TV_STR");
}

TEST(RealProgramTypes, SizeofAnIncompleteTypeIsAnErrorNotZero) {
  SKIP_WITHOUT(realPath("tinylua", "O0"));
  Driver d;
  runTo(d, "tinylua", "O0", "tinylua/tmain.c", "@main-newstate");
  EXPECT_EQ(d.eval("tl_debug_hook"), "0x00000000");
  std::string size = d.eval("sizeof(*tl_debug_hook)");
  EXPECT_NE(size.find("incomplete"), std::string::npos) << size;
  size = d.eval("sizeof(struct tl_DebugHook)");
  EXPECT_NE(size.find("incomplete"), std::string::npos) << size;
}

TEST_P(RealProgram, StaticsTheLinkerRemovedAreNotListed) {
  std::string opt = GetParam();
  SKIP_WITHOUT(realPath("tinylua", opt));
  Driver d;
  runTo(d, "tinylua", opt, "tinylua/tmain.c", "@main-newstate");
  Result<StackTrace> t = d.session.stackTrace();
  ASSERT_TRUE(t.ok());
  Result<std::vector<FrameScope>> scopes = d.session.scopes(t->frames[0].id);
  ASSERT_TRUE(scopes.ok());
  std::vector<std::string> names;
  for (const FrameScope& s : *scopes) {
    if (s.kind != FrameScopeKind::Globals)
      continue;
    Result<std::vector<VariableNode>> globals = d.session.variables(s.variablesReference);
    ASSERT_TRUE(globals.ok());
    for (const VariableNode& v : *globals)
      names.push_back(v.name);
  }
  auto has = [&](const std::string& n) {
    return std::find(names.begin(), names.end(), n) != names.end();
  };
  EXPECT_TRUE(has("tl_ctype_"));
  EXPECT_TRUE(has("tl_debug_hook"));
  EXPECT_FALSE(has("tl_unused_counter"));
  EXPECT_FALSE(has("tl_unused_banner"));
  EXPECT_NE(d.eval("tl_unused_counter").find("no variable"), std::string::npos);
}

TEST_P(RealProgram, CharTablesAreArraysAndTextIsAString) {
  std::string opt = GetParam();
  SKIP_WITHOUT(realPath("tinylua", opt));
  Driver d;
  runTo(d, "tinylua", opt, "tinylua/tmain.c", "@main-newstate");
  std::string table = d.eval("tl_ctype_");
  EXPECT_EQ(table.rfind("[257] {0 '\\0', ", 0), 0u) << table;
  EXPECT_EQ(d.eval("tl_ctype_['0' + 1]"), "2 '\\x02'");
  EXPECT_EQ(d.eval("kDefaultScript"), "\"print hello 1 2\\nadd 1 2 3 4\\nprint done\\n\"");
}

TEST_P(RealProgram, MainAndFunctionsByName) {
  std::string opt = GetParam();
  SKIP_WITHOUT(realPath("tinylua", opt));
  Driver d;
  runTo(d, "tinylua", opt, "tinylua/tbaselib.c", "@print-newline");
  Result<StackTrace> t = d.session.stackTrace();
  ASSERT_TRUE(t.ok());
  bool sawMain = false;
  for (const StackFrame& f : t->frames) {
    EXPECT_NE(f.name, "__main_argc_argv");
    sawMain |= f.name == "main";
  }
  EXPECT_TRUE(sawMain);
  Result<VariableNode> fn = d.session.evaluate("tlV_execute");
  ASSERT_TRUE(fn.ok()) << fn.error().message;
  EXPECT_EQ(fn->type, "int (tl_State *, CallInfo *)");
  const Function* def = d.session.symbols()->findFunctions("tlV_execute").front();
  char address[32];
  std::snprintf(address, sizeof address, "0x%08x <tlV_execute>", def->lowPc());
  EXPECT_EQ(fn->value, address);
}

// --------------------------------------------------------- breakpoints ----

TEST_P(RealProgram, ALineWithSeveralLocationsStopsOncePerPass) {
  // `setivalue(ra, a); setivalue(ra + 1, b);` is two blocks on one line:
  // two locations. "add 1 2 3 4" pushes two pairs: two passes over it.
  std::string opt = GetParam();
  SKIP_WITHOUT(realPath("tinylua", opt));
  Driver d;
  d.launch(configFor(realPath("tinylua", opt), {"add 1 2 3 4"}), false);
  uint32_t line = markerLine("tinylua/tvm.c", "@pair-line");
  Breakpoint bp = d.breakAt("tvm.c", line);
  ASSERT_TRUE(bp.verified) << bp.message;
  EXPECT_GE(bp.addresses.size(), 2u);
  EXPECT_NE(bp.message.find("locations"), std::string::npos) << bp.message;
  Result<std::vector<BreakpointLocation>> locations = d.session.breakpointLocations("tvm.c", line);
  ASSERT_TRUE(locations.ok());
  EXPECT_GE(locations->size(), 2u);
  for (const BreakpointLocation& l : *locations) {
    EXPECT_EQ(l.line, line);
    EXPECT_GT(l.column, 0u);
  }
  ASSERT_TRUE(d.session.configurationDone().ok());
  int stops = 0;
  while (d.waitStop()) {
    ++stops;
    EXPECT_EQ(d.top().line, line);
    ASSERT_TRUE(d.session.resume().ok());
  }
  EXPECT_EQ(stops, 2);
  EXPECT_EQ(d.exitCode, 0u);
}

TEST_P(RealProgram, StepOverALineWithSeveralLocationsIsNotStoppedByItsOwnBreakpoint) {
  std::string opt = GetParam();
  SKIP_WITHOUT(realPath("tinylua", opt));
  Driver d;
  d.launch(configFor(realPath("tinylua", opt), {"add 1 2"}), false);
  uint32_t line = markerLine("tinylua/tvm.c", "@pair-line");
  d.breakAt("tvm.c", line);
  ASSERT_TRUE(d.session.configurationDone().ok());
  ASSERT_TRUE(d.waitStop());
  std::optional<StoppedEvent> s;
  ASSERT_TRUE(d.session.next().ok());
  s = d.waitStop();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->reason, StopReason::Step);
  EXPECT_NE(d.top().line, line);
}

// ------------------------------------------------------------ conditions --

TEST(RealProgramConditions, CompiledConditionsAndLogpointsAgreeWithTheTree) {
  // The same expressions as a condition (compiled at the breakpoint's
  // location) and in the debug console (the tree evaluator).
  SKIP_WITHOUT(realPath("tinylua", "O0"));
  Driver d;
  d.launch(configFor(realPath("tinylua", "O0"), {"add 5 6 7"}), false);
  uint32_t line = markerLine("tinylua/tbaselib.c", "@add-loop");
  SourceBreakpoint log = lineBreakpoint(
      line, "", "", "i={i} sum={sum} n={n} top={L != 0} neg={-i} shift={1 << i} cmp={sum >= 5}");
  ASSERT_TRUE(d.session.setBreakpoints("tbaselib.c", std::span(&log, 1)).ok());
  ASSERT_TRUE(d.session.configurationDone().ok());
  EXPECT_EQ(d.waitExit(), 0u);
  EXPECT_EQ(d.console, "i=1 sum=0 n=3 top=1 neg=-1 shift=2 cmp=0\n"
                       "i=2 sum=5 n=3 top=1 neg=-2 shift=4 cmp=1\n"
                       "i=3 sum=11 n=3 top=1 neg=-3 shift=8 cmp=1\n");
  SessionStats stats = d.session.stats();
  EXPECT_EQ(stats.treeConditionRuns, 0u);
  EXPECT_EQ(stats.compiledConditionRuns, 3u * 7u);
}

TEST(RealProgramConditions, AConditionOnAStructMemberThroughAPointer) {
  SKIP_WITHOUT(realPath("tinylua", "O0"));
  Driver d;
  d.launch(configFor(realPath("tinylua", "O0"), {"add 1 2 3 4 5"}), false);
  uint32_t line = markerLine("tinylua/tbaselib.c", "@add-loop");
  SourceBreakpoint bp = lineBreakpoint(line, "L->top[-1].u.i == 5 && i == 4");
  ASSERT_TRUE(d.session.setBreakpoints("tbaselib.c", std::span(&bp, 1)).ok());
  ASSERT_TRUE(d.session.configurationDone().ok());
  ASSERT_TRUE(d.waitStop());
  EXPECT_EQ(d.eval("i"), "4");
  EXPECT_EQ(d.eval("sum"), "6");
  EXPECT_EQ(d.session.stats().treeConditionRuns, 0u);
  ASSERT_TRUE(d.session.resume().ok());
  EXPECT_EQ(d.waitExit(), 0u);
}

// ----------------------------------------------------------------- paths --

TEST(RealProgramPaths, BreakpointPathsWithDotDotSymlinksAndAnotherBuildRoot) {
  SKIP_WITHOUT(realPath("tinylua", "O0"));
  namespace fs = std::filesystem;
  fs::path link = fs::temp_directory_path() / ("wasmscope-src-" + std::to_string(::getpid()));
  fs::remove(link);
  fs::create_directory_symlink(realSource("tinylua"), link);
  uint32_t line = markerLine("tinylua/tbaselib.c", "@print-gettop");
  std::string dotdot = realSource("tinylua/../tinylua/tbaselib.c");
  std::string viaLink = (link / "tbaselib.c").string();
  std::string elsewhere = "/home/someone/checkout/tinylua/tbaselib.c";
  for (const std::string& path : {dotdot, viaLink, elsewhere}) {
    Driver d;
    d.launch(configFor(realPath("tinylua", "O0")), false);
    SourceBreakpoint spec = lineBreakpoint(line);
    Result<std::vector<Breakpoint>> r = d.session.setBreakpoints(path, std::span(&spec, 1));
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->front().verified) << path << ": " << r->front().message;
    ASSERT_TRUE(d.session.configurationDone().ok());
    ASSERT_TRUE(d.waitStop()) << path;
    StackFrame f = d.top();
    EXPECT_EQ(f.line, line);
    // A frame shows the file as the client named it when the build path
    // is not the client's (a symlink, another checkout).
    if (path != dotdot)
      EXPECT_EQ(f.sourcePath, path);
    else
      EXPECT_EQ(f.sourcePath, realSource("tinylua/tbaselib.c"));
  }
  fs::remove(link);
}

TEST(RealProgramPaths, ASourceMapGivesLocalPaths) {
  SKIP_WITHOUT(realPath("tinylua", "O0"));
  Driver d;
  LaunchConfig config = configFor(realPath("tinylua", "O0"));
  config.sourceMap = {{std::string(SESSION_REAL_SOURCES), "/work/laptop/src"}};
  d.launch(config, false);
  uint32_t line = markerLine("tinylua/tbaselib.c", "@print-gettop");
  SourceBreakpoint spec = lineBreakpoint(line);
  Result<std::vector<Breakpoint>> r =
      d.session.setBreakpoints("/work/laptop/src/tinylua/tbaselib.c", std::span(&spec, 1));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->front().verified) << r->front().message;
  EXPECT_EQ(r->front().sourcePath, "/work/laptop/src/tinylua/tbaselib.c");
  ASSERT_TRUE(d.session.configurationDone().ok());
  ASSERT_TRUE(d.waitStop());
  Result<StackTrace> t = d.session.stackTrace();
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->frames[0].sourcePath, "/work/laptop/src/tinylua/tbaselib.c");
  EXPECT_EQ(t->frames[1].sourcePath, "/work/laptop/src/tinylua/tstate.c");
  // Not on this machine and not embedded: no text to offer, and why.
  EXPECT_EQ(t->frames[0].sourceReference, 0);
  Result<std::string> text = d.session.sourceText(0, "/work/laptop/src/tinylua/tbaselib.c");
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.error().message.find("-gembed-source"), std::string::npos);
}

// --------------------------------------------------------------- console --

TEST(RealProgramConsole, CompletionsAndSetExpression) {
  SKIP_WITHOUT(realPath("tinylua", "O0"));
  Driver d;
  runTo(d, "tinylua", "O0", "tinylua/tbaselib.c", "@print-newline");
  auto labels = [&](std::string_view text) {
    std::vector<std::string> out;
    Result<std::vector<CompletionItem>> items = d.session.completions(text, text.size());
    EXPECT_TRUE(items.ok());
    if (items.ok())
      for (const CompletionItem& item : *items)
        out.push_back(item.label);
    return out;
  };
  EXPECT_EQ(labels("L->st"), (std::vector<std::string>{"stack_last", "steps", "status", "stack"}));
  EXPECT_EQ(labels("L->ci->f"), (std::vector<std::string>{"func"}));
  EXPECT_EQ(labels("L->base_ci.n"), (std::vector<std::string>{"nresults"}));
  std::vector<std::string> names = labels("tl_");
  for (const char* want : {"tl_ctype_", "tl_gettop", "tl_debug_hook"})
    EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
  names = labels("n");
  EXPECT_NE(std::find(names.begin(), names.end(), "n"), names.end());

  ASSERT_EQ(d.eval("L->steps"), "0");
  Result<VariableNode> set = d.session.setExpression("L->steps", "L->steps + 40");
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ(set->value, "40");
  EXPECT_EQ(d.eval("L->steps"), "40");
  Result<VariableNode> bad = d.session.setExpression("L->base_ci", "1");
  EXPECT_FALSE(bad.ok());
  Result<VariableNode> computed = d.session.setExpression("n + 1", "3");
  EXPECT_FALSE(computed.ok());
}

// ---------------------------------------------------------------- output --

TEST(RealProgramOutput, ManySmallWritesBecomeFewEvents) {
  SKIP_WITHOUT(realPath("minisql", "O0"));
  // 2000 rows, each its own write (stdout unbuffered): the output arrives
  // complete, in order, in far fewer events.
  std::string input;
  for (int i = 0; i < 2000; ++i)
    input += "insert k" + std::to_string(i % 60) + " v" + std::to_string(i) + "\nselect k" +
             std::to_string(i % 60) + "\n";
  std::filesystem::path in =
      std::filesystem::temp_directory_path() / ("msql-in-" + std::to_string(::getpid()));
  std::ofstream(in) << input;
  int fd = ::open(in.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  Driver d;
  LaunchConfig config = configFor(realPath("minisql", "O0"), {"--unbuffered"});
  config.stdinFd = fd;
  d.launch(config);
  EXPECT_EQ(d.waitExit(), 0u);
  ::close(fd);
  std::filesystem::remove(in);
  size_t events = 0;
  for (const Event& e : d.events)
    if (auto o = e.as<OutputEvent>(); o && o->category == OutputCategory::Stdout)
      ++events;
  size_t lines = size_t(std::count(d.out.begin(), d.out.end(), '\n'));
  EXPECT_EQ(lines, 2000u + 1u);
  EXPECT_EQ(d.out.rfind("key=k0 value=v0\n", 0), 0u);
  EXPECT_NE(d.out.find("rows: 2000, changes: 2000\n"), std::string::npos);
  EXPECT_LT(events, 100u) << "one event per write";
}

} // namespace
} // namespace wasmscope::debugger::test
