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
  if (m_adapter.noDebug())
    return breakpointsOff(requested.size());
  auto placed = session().setInstructionBreakpoints(requested);
  if (!placed.ok())
    return failure(placed.error().message);
  return toProtocol(*placed, m_adapter);
}

} // namespace wasmscope::dap
