// DAP's stepping granularity names to the session's.
#pragma once

#include "wasmscope/session/Session.h"

#include <string>

namespace wasmscope::dap {

inline debugger::StepGranularity stepGranularity(const std::string& name) {
  if (name == "instruction")
    return debugger::StepGranularity::Instruction;
  if (name == "line")
    return debugger::StepGranularity::Line;
  return debugger::StepGranularity::Statement;
}

} // namespace wasmscope::dap
