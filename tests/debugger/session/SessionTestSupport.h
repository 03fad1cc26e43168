// Helpers for the session tests: where the guests are, and a driver that
// reads a Session's event queue with timeouts and keeps what it saw.
#pragma once

#include "wasmscope/session/Session.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace wasmscope::debugger::test {

/// Path of a sample (`samples/NAME.c` built as NAME.O0.wasm / NAME.O2.wasm).
inline std::string samplePath(const std::string& name, const std::string& opt = "O0") {
  return std::string(SESSION_SAMPLES_DIR) + "/" + name + "." + opt + ".wasm";
}
/// Path of data/steps.c built at -O0 or -O2.
inline std::string stepsPath(const std::string& opt = "O0") {
  return std::string(SESSION_GUEST_DIR) + "/steps." + opt + ".wasm";
}
/// Path of data/vectors.c (SIMD, -msimd128) built at -O0 or -O2.
inline std::string vectorsPath(const std::string& opt = "O0") {
  return std::string(SESSION_GUEST_DIR) + "/vectors." + opt + ".wasm";
}
inline bool exists(const std::string& path) {
  return std::filesystem::exists(path);
}

#define SKIP_WITHOUT(path)                                                                         \
  do {                                                                                             \
    if (!::wasmscope::debugger::test::exists(path))                                                \
      GTEST_SKIP() << (path) << " is not built (needs clang-19 and wasi-libc)";                    \
  } while (0)

/// Line numbers in data/steps.c.
namespace steps {
inline constexpr uint32_t kAddBody = 10; // int sum = a + b;
inline constexpr uint32_t kAddReturn = 11;
inline constexpr uint32_t kTwiceBody = 15; // int r = add(v, v);
inline constexpr uint32_t kTwiceReturn = 16;
inline constexpr uint32_t kSpinLoop = 23;
inline constexpr uint32_t kMainFirst = 28; // int total = 0;
inline constexpr uint32_t kForLine = 29;
inline constexpr uint32_t kLoopBody = 30; // total += twice(i);
inline constexpr uint32_t kPoint = 31;
inline constexpr uint32_t kPointer = 32;
inline constexpr uint32_t kWord = 33;
inline constexpr uint32_t kUpdate = 34; // pp->y += total;
inline constexpr uint32_t kSpinCheck = 35;
inline constexpr uint32_t kAbort = 38;
inline constexpr uint32_t kPrintf = 39;
} // namespace steps

/// Drives a session through its event queue.
class Driver {
public:
  static constexpr std::chrono::milliseconds kTimeout{20000};

  Session session;
  std::string out; ///< Guest stdout so far.
  std::string err; ///< Guest stderr so far.
  std::string console;
  std::optional<uint32_t> exitCode;
  bool terminated = false;
  std::vector<Event> events;

  /// Launches and (unless `configure` is false) sends configurationDone.
  void launch(LaunchConfig config, bool configure = true) {
    Result<void> r = session.launch(config);
    ASSERT_TRUE(r.ok()) << r.error().message;
    if (configure) {
      Result<void> c = session.configurationDone();
      ASSERT_TRUE(c.ok()) << c.error().message;
    }
  }

  /// The next Stopped event; nullopt when the guest ends (or on timeout).
  std::optional<StoppedEvent> waitStop(std::chrono::milliseconds timeout = kTimeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!terminated) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0)
        return std::nullopt;
      std::optional<Event> e = session.waitEvent(left);
      if (!e)
        return std::nullopt;
      if (auto s = take(*e))
        return s;
    }
    return std::nullopt;
  }

  /// Reads events until Terminated; returns the exit code.
  std::optional<uint32_t> waitExit(std::chrono::milliseconds timeout = kTimeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!terminated) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0)
        break;
      std::optional<Event> e = session.waitEvent(left);
      if (!e)
        break;
      (void)take(*e);
    }
    return exitCode;
  }

  /// The innermost frame of the current stop.
  StackFrame top() {
    Result<StackTrace> t = session.stackTrace(0, 1);
    EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
    if (!t.ok() || t->frames.empty())
      return {};
    return t->frames[0];
  }

  /// Evaluates in the innermost frame; "<error: ...>" on failure.
  std::string eval(const std::string& expression, std::optional<FrameId> frame = {}) {
    Result<VariableNode> v = session.evaluate(expression, frame);
    return v.ok() ? v->value : "<error: " + v.error().message + ">";
  }

  /// Sets a line breakpoint and checks it is verified on `line`.
  Breakpoint breakAt(const std::string& file, uint32_t line, SourceBreakpoint spec = {}) {
    spec.line = line;
    Result<std::vector<Breakpoint>> r = session.setBreakpoints(file, std::span(&spec, 1));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    if (!r.ok() || r->empty())
      return {};
    return r->front();
  }

private:
  std::optional<StoppedEvent> take(const Event& e) {
    events.push_back(e);
    if (auto o = e.as<OutputEvent>()) {
      (o->category == OutputCategory::Stdout   ? out
       : o->category == OutputCategory::Stderr ? err
                                               : console) += o->text;
    } else if (auto x = e.as<ExitedEvent>()) {
      exitCode = x->exitCode;
    } else if (e.is<TerminatedEvent>()) {
      terminated = true;
    } else if (auto s = e.as<StoppedEvent>()) {
      return *s;
    }
    return std::nullopt;
  }
};

inline SourceBreakpoint lineBreakpoint(uint32_t line, std::string condition = {},
                                       std::string hitCondition = {}, std::string logMessage = {}) {
  SourceBreakpoint s;
  s.line = line;
  s.condition = std::move(condition);
  s.hitCondition = std::move(hitCondition);
  s.logMessage = std::move(logMessage);
  return s;
}

inline FunctionBreakpoint functionBreakpoint(std::string name, std::string hitCondition = {}) {
  FunctionBreakpoint f;
  f.name = std::move(name);
  f.hitCondition = std::move(hitCondition);
  return f;
}

inline ExceptionFilters trapFilter() {
  ExceptionFilters f;
  f.traps = true;
  return f;
}

inline LaunchConfig configFor(const std::string& path, std::vector<std::string> args = {}) {
  LaunchConfig c;
  c.modulePath = path;
  c.args = std::move(args);
  return c;
}

} // namespace wasmscope::debugger::test
