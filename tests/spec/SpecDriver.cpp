// The spec test semantics, command by command: which outcome each assertion
// wants, how results are compared, and what a failed module means for the
// commands after it. Error and trap messages are compared too: a module
// rejected, or a call trapped, for another reason than the script's fails.
#include "SpecDriver.h"

#include <exception>

namespace wasmscope::spec {

SpecDriver::SpecDriver(SpecEngine& engine, const WastScript& script, ScriptCounts& counts,
                       DriverOptions options)
    : m_engine(engine), m_script(script), m_counts(counts), m_options(options) {}

void SpecDriver::run() {
  for (size_t i = 0; i < m_script.commands.size(); ++i) {
    const Command& command = m_script.commands[i];
    m_counts.currentLine = command.line;
    m_counts.currentCommand = uint32_t(i);
    Verdict verdict;
    try {
      verdict = runCommand(command);
    } catch (const std::exception& e) {
      // Engine bugs must not end the run; the command fails instead.
      verdict = Verdict::fail(std::string("exception: ") + e.what());
    }
    size_t type = size_t(command.type);
    switch (verdict.kind) {
    case Verdict::Kind::Pass:
      ++m_counts.passed;
      ++m_counts.passedByType[type];
      break;
    case Verdict::Kind::Skip:
      ++m_counts.skipped;
      ++m_counts.skippedByType[type];
      break;
    case Verdict::Kind::Dependent:
      ++m_counts.failed;
      ++m_counts.failedByType[type];
      break;
    case Verdict::Kind::Fail:
      ++m_counts.failed;
      ++m_counts.failedByType[type];
      report(command, verdict.message);
      break;
    }
    ++m_counts.commandsDone;
  }
  for (const ModuleSlot& slot : m_modules)
    if (slot.dependentFailures > 0) {
      std::fprintf(m_options.out,
                   "%s:%u: %llu later commands failed because this module failed to load\n",
                   m_script.sourceName.c_str(), slot.line,
                   static_cast<unsigned long long>(slot.dependentFailures));
      std::fflush(m_options.out);
    }
}

void SpecDriver::report(const Command& command, const std::string& message) {
  std::fprintf(m_options.out, "%s:%u: %s: %s\n", m_script.sourceName.c_str(), command.line,
               commandTypeName(command.type), message.c_str());
  // Flushed per line, so a crash later on loses no diagnostics.
  std::fflush(m_options.out);
}

SpecDriver::Verdict SpecDriver::checkMessage(const Command& command, const std::string& what,
                                             const std::string& actual) {
  if (command.text.empty() || actual.find(command.text) != std::string::npos)
    return Verdict::pass();
  return Verdict::fail(what + ": expected \"" + command.text + "\", got \"" + actual + "\"");
}

SpecDriver::Verdict SpecDriver::runCommand(const Command& command) {
  switch (command.type) {
  case CommandType::Module: return runModule(command);
  case CommandType::Register: return runRegister(command);
  case CommandType::Action: {
    Verdict failure;
    std::optional<CallResult> r = runAction(*command.action, failure);
    if (!r)
      return failure;
    if (r->trapped)
      return Verdict::fail(command.action->describe() + ": trapped: " + r->trap);
    return Verdict::pass();
  }
  case CommandType::AssertReturn: return runAssertReturn(command);
  case CommandType::AssertTrap:
  case CommandType::AssertExhaustion: return runAssertTrap(command);
  case CommandType::AssertInvalid:
  case CommandType::AssertMalformed: return runRejected(command);
  case CommandType::AssertUnlinkable:
  case CommandType::AssertUninstantiable: return runUnlinkable(command);
  }
  return Verdict::fail("unknown command");
}

Outcome<CompiledId> SpecDriver::compileFile(const Command& command) {
  Outcome<std::vector<uint8_t>> bytes = readModuleFile(m_script, command.filename);
  if (!bytes)
    return Outcome<CompiledId>::failure(bytes.error());
  return m_engine.compile(bytes.value());
}

SpecDriver::Verdict SpecDriver::runModule(const Command& command) {
  // The slot exists even if loading fails, so later commands against the
  // module are counted against it rather than run against an older one.
  m_modules.push_back(ModuleSlot{std::nullopt, command.line, 0});
  size_t index = m_modules.size() - 1;
  m_current = index;
  if (!command.name.empty())
    m_named[command.name] = index;

  if (command.textModule)
    return Verdict::fail("text modules are not supported");
  Outcome<CompiledId> compiled = compileFile(command);
  if (!compiled)
    return Verdict::fail(command.filename + ": rejected: " + compiled.error());
  Outcome<InstanceId> instance = m_engine.instantiate(compiled.value());
  if (!instance)
    return Verdict::fail(command.filename + ": instantiation failed: " + instance.error());
  m_modules[index].instance = instance.value();
  return Verdict::pass();
}

SpecDriver::ModuleSlot* SpecDriver::findModule(const std::string& name, Verdict& failure) {
  ModuleSlot* slot = nullptr;
  if (name.empty()) {
    if (!m_current) {
      failure = Verdict::fail("no module defined");
      return nullptr;
    }
    slot = &m_modules[*m_current];
  } else {
    auto it = m_named.find(name);
    if (it == m_named.end()) {
      failure = Verdict::fail("unknown module " + name);
      return nullptr;
    }
    slot = &m_modules[it->second];
  }
  if (!slot->instance) {
    ++slot->dependentFailures;
    failure = Verdict::dependent();
    return nullptr;
  }
  return slot;
}

SpecDriver::Verdict SpecDriver::runRegister(const Command& command) {
  Verdict failure;
  ModuleSlot* slot = findModule(command.name, failure);
  if (!slot)
    return failure;
  Outcome<bool> r = m_engine.registerAs(*slot->instance, command.as);
  if (!r)
    return Verdict::fail("register \"" + command.as + "\": " + r.error());
  return Verdict::pass();
}

std::optional<CallResult> SpecDriver::runAction(const Action& action, Verdict& failure) {
  ModuleSlot* slot = findModule(action.module, failure);
  if (!slot)
    return std::nullopt;
  if (action.type == Action::Type::Get) {
    Outcome<WastValue> v = m_engine.get(*slot->instance, action.field);
    if (!v) {
      failure = Verdict::fail(action.describe() + ": " + v.error());
      return std::nullopt;
    }
    CallResult r;
    r.results.push_back(v.value());
    return r;
  }
  Outcome<CallResult> r = m_engine.invoke(*slot->instance, action.field, action.args);
  if (!r) {
    failure = Verdict::fail(action.describe() + ": " + r.error());
    return std::nullopt;
  }
  return std::move(r.value());
}

SpecDriver::Verdict SpecDriver::runAssertReturn(const Command& command) {
  Verdict failure;
  std::optional<CallResult> r = runAction(*command.action, failure);
  if (!r)
    return failure;
  std::string what = command.action->describe() + ": expected " + toString(command.expected);
  if (r->trapped)
    return Verdict::fail(what + ", got trap \"" + r->trap + "\"");
  bool ok = r->results.size() == command.expected.size();
  for (size_t i = 0; ok && i < r->results.size(); ++i)
    ok = matches(command.expected[i], r->results[i]);
  if (!ok) {
    // Show a v128 in the lane shape the script wrote its expectation in.
    std::vector<WastValue> shown = r->results;
    for (size_t i = 0; i < shown.size() && i < command.expected.size(); ++i)
      if (shown[i].type == WastType::V128 && command.expected[i].type == WastType::V128) {
        shown[i].laneType = command.expected[i].laneType;
        shown[i].laneBytes = command.expected[i].laneBytes;
      }
    return Verdict::fail(what + ", got " + toString(shown));
  }
  return Verdict::pass();
}

SpecDriver::Verdict SpecDriver::runAssertTrap(const Command& command) {
  // `(assert_trap (module ...))`: the start function or a segment traps.
  if (!command.action)
    return runUnlinkable(command);
  Verdict failure;
  std::optional<CallResult> r = runAction(*command.action, failure);
  if (!r)
    return failure;
  std::string expectedText = command.text;
  if (command.type == CommandType::AssertExhaustion && expectedText.empty())
    expectedText = "call stack exhausted";
  if (!r->trapped)
    return Verdict::fail(command.action->describe() + ": expected trap \"" + expectedText +
                         "\", got " + toString(r->results));
  // Exhaustion must be our call-depth trap, not some other trap that
  // happened to fire first (a host stack overflow guard, a memory limit).
  if (command.type == CommandType::AssertExhaustion &&
      r->trap.find("call stack exhausted") == std::string::npos)
    return Verdict::fail(command.action->describe() +
                         ": expected trap \"call stack exhausted\", got trap \"" + r->trap +
                         "\"");
  return checkMessage(command, command.action->describe() + ": trapped with the wrong message",
                      r->trap);
}

SpecDriver::Verdict SpecDriver::runRejected(const Command& command) {
  // We have no text-format parser; `(module quote ...)` cases are skipped.
  if (command.textModule)
    return Verdict::skip();
  Outcome<CompiledId> compiled = compileFile(command);
  if (compiled)
    return Verdict::fail(command.filename + ": module was accepted; expected \"" + command.text +
                         "\"");
  return checkMessage(command, command.filename + ": rejected with the wrong message",
                      compiled.error());
}

SpecDriver::Verdict SpecDriver::runUnlinkable(const Command& command) {
  if (command.textModule)
    return Verdict::skip();
  Outcome<CompiledId> compiled = compileFile(command);
  if (!compiled)
    return Verdict::fail(command.filename + ": module should be valid, but was rejected: " +
                         compiled.error());
  Outcome<InstanceId> instance = m_engine.instantiate(compiled.value());
  if (instance)
    return Verdict::fail(command.filename + ": module was instantiated; expected \"" +
                         command.text + "\"");
  return checkMessage(command, command.filename + ": failed to instantiate with the wrong message",
                      instance.error());
}

} // namespace wasmscope::spec
