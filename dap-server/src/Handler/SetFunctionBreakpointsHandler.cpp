// `setFunctionBreakpoints`: break after the prologue of functions by name.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::SetBreakpointsBody>
SetFunctionBreakpointsHandler::handle(const protocol::SetFunctionBreakpointsArguments& args) {
  if (m_adapter.noDebug())
    return breakpointsOff(args.breakpoints.size());
  std::vector<debugger::FunctionBreakpoint> requested;
  for (const auto& bp : args.breakpoints)
    requested.push_back({bp.name, bp.condition, bp.hitCondition});
  auto placed = session().setFunctionBreakpoints(requested);
  if (!placed.ok())
    return failure(placed.error().message);
  return toProtocol(*placed, m_adapter);
}

} // namespace wasmscope::dap
