// Runs one spec test script on an engine, command by command, and counts
// what passed, failed and was skipped. Each failure prints one diagnostic
// line, "i32.wast:45: assert_return: invoke "add" (...): expected ..., got ...".
#pragma once

#include "SpecEngine.h"
#include "WastScript.h"

#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wasmscope::spec {

/// Per-script counters. Plain data, so that a forked child can update them
/// in shared memory and the parent can still read them after a crash.
struct ScriptCounts {
  static constexpr size_t kCommandTypes = size_t(CommandType::AssertUninstantiable) + 1;

  uint64_t passed = 0;
  uint64_t failed = 0;
  uint64_t skipped = 0;
  /// The same, by command type (module, assert_return, assert_trap, ...).
  uint64_t passedByType[kCommandTypes] = {};
  uint64_t failedByType[kCommandTypes] = {};
  uint64_t skippedByType[kCommandTypes] = {};
  uint64_t commandsDone = 0; ///< Commands finished, whatever their outcome.
  uint32_t currentLine = 0;  ///< Line of the command running now.
  uint32_t currentCommand = 0;
};

struct DriverOptions {
  std::FILE* out = stdout;
};

class SpecDriver {
public:
  SpecDriver(SpecEngine& engine, const WastScript& script, ScriptCounts& counts,
             DriverOptions options = {});

  /// Runs every command of the script.
  void run();

private:
  /// How one command went: passed, failed (with a diagnostic), or skipped.
  struct Verdict {
    enum class Kind : uint8_t { Pass, Fail, Skip, Dependent };
    Kind kind = Kind::Pass;
    std::string message;

    static Verdict pass() { return {}; }
    static Verdict fail(std::string m) { return {Kind::Fail, std::move(m)}; }
    static Verdict skip() { return {Kind::Skip, {}}; }
    /// Failed only because the module it uses failed to load; counted
    /// against that module instead of printed.
    static Verdict dependent() { return {Kind::Dependent, {}}; }
  };

  /// A module defined by a `module` command, which may have failed to load.
  struct ModuleSlot {
    std::optional<InstanceId> instance;
    uint32_t line = 0;
    uint64_t dependentFailures = 0;
  };

  Verdict runCommand(const Command& command);
  Verdict runModule(const Command& command);
  Verdict runRegister(const Command& command);
  Verdict runAssertReturn(const Command& command);
  Verdict runAssertTrap(const Command& command);
  Verdict runRejected(const Command& command);
  Verdict runUnlinkable(const Command& command);

  /// The slot an action or register names (empty: the current module).
  /// Sets `failure` when there is none, or when it failed to load.
  ModuleSlot* findModule(const std::string& name, Verdict& failure);
  /// Runs an action; `failure` is set when it could not be run at all.
  std::optional<CallResult> runAction(const Action& action, Verdict& failure);
  /// Reads and compiles a command's module file.
  Outcome<CompiledId> compileFile(const Command& command);
  /// Passes if the engine's error or trap message contains the script's
  /// text (the spec's wording, which our messages start with or quote), and
  /// fails naming both otherwise: a rejection for the wrong reason is a failure.
  Verdict checkMessage(const Command& command, const std::string& what,
                       const std::string& actual);
  void report(const Command& command, const std::string& message);

  SpecEngine& m_engine;
  const WastScript& m_script;
  ScriptCounts& m_counts;
  DriverOptions m_options;
  std::vector<ModuleSlot> m_modules;
  std::map<std::string, size_t> m_named;
  std::optional<size_t> m_current;
};

} // namespace wasmscope::spec
