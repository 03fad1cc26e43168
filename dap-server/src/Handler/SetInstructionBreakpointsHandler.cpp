// `setInstructionBreakpoints`: breakpoints at code offsets, as stack frames'
// instructionPointerReference gives them.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::SetBreakpointsBody>
SetInstructionBreakpointsHandler::handle(const protocol::SetInstructionBreakpointsArguments& args) {
  std::vector<debugger::InstructionBreakpoint> requested;
  for (size_t i = 0; i < args.breakpoints.size(); ++i) {
    const auto& bp = args.breakpoints[i];
    auto address = protocol::parseMemoryReference(bp.instructionReference);
    if (!address || *address > UINT32_MAX || bp.offset < INT32_MIN || bp.offset > INT32_MAX)
      return failure("expected a code offset such as \"0x1a2b\" at (root).breakpoints[" +
                     std::to_string(i) + "].instructionReference");
    requested.push_back({uint32_t(*address), int32_t(bp.offset), bp.condition, bp.hitCondition});
  }
  protocol::SetBreakpointsBody body;
  if (m_adapter.noDebug()) {
    for (size_t i = 0; i < requested.size(); ++i)
      body.breakpoints.push_back({std::nullopt, false,
                                  "breakpoints are off in a run without debugging", std::nullopt, 0,
                                  0, "", "failed"});
    return body;
  }
  auto placed = session().setInstructionBreakpoints(requested);
  if (!placed.ok())
    return failure(placed.error().message);
  bool pending = !m_adapter.launched();
  for (const auto& bp : *placed)
    body.breakpoints.push_back(toProtocol(bp, m_adapter, pending));
  return body;
}

} // namespace wasmscope::dap
