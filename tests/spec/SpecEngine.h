// The few callbacks through which the spec driver runs a script on an
// engine: compile, instantiate, register, invoke and get. The driver knows
// nothing else of the engine; RuntimeEngine.h adapts wasmscope's runtime.
#pragma once

#include "WastScript.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace wasmscope::spec {

/// Handles the engine hands out; the driver only stores and passes them back.
using CompiledId = uint32_t;
using InstanceId = uint32_t;

/// What a call did: returned values, or trapped with a message.
struct CallResult {
  bool trapped = false;
  std::string trap;               ///< The trap's message, when trapped.
  std::vector<WastValue> results; ///< Concrete values (Bits or Null), otherwise.
};

class SpecEngine {
public:
  virtual ~SpecEngine() = default;

  /// Decodes, validates and compiles a binary module. A failure is a
  /// rejection (malformed or invalid), with the engine's message.
  virtual Outcome<CompiledId> compile(std::span<const uint8_t> bytes) = 0;

  /// Links against the spectest module and everything registered so far,
  /// and instantiates (running the start function). A failure is a link
  /// error or a trap, with the engine's message.
  virtual Outcome<InstanceId> instantiate(CompiledId module) = 0;

  /// Makes the instance's exports importable under module name `as`.
  virtual Outcome<bool> registerAs(InstanceId instance, const std::string& as) = 0;

  /// Calls an exported function. A failure means the call could not be made
  /// (no such export, arguments of the wrong type); a trap is a CallResult.
  virtual Outcome<CallResult> invoke(InstanceId instance, const std::string& field,
                                     const std::vector<WastValue>& args) = 0;

  /// Reads an exported global.
  virtual Outcome<WastValue> get(InstanceId instance, const std::string& field) = 0;
};

} // namespace wasmscope::spec
