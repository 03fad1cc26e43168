// `setFunctionBreakpoints`: break after the prologue of functions by name.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::SetBreakpointsBody>
SetFunctionBreakpointsHandler::handle(const protocol::SetFunctionBreakpointsArguments& args) {
  protocol::SetBreakpointsBody body;
  if (m_adapter.noDebug()) {
    for (size_t i = 0; i < args.breakpoints.size(); ++i)
      body.breakpoints.push_back({std::nullopt, false,
                                  "breakpoints are off in a run without debugging", std::nullopt, 0,
                                  0, "", "failed"});
    return body;
  }
  std::vector<debugger::FunctionBreakpoint> requested;
  for (const auto& bp : args.breakpoints)
    requested.push_back({bp.name, bp.condition, bp.hitCondition});
  auto placed = session().setFunctionBreakpoints(requested);
  if (!placed.ok())
    return failure(placed.error().message);
  bool pending = !m_adapter.launched();
  for (const auto& bp : *placed)
    body.breakpoints.push_back(toProtocol(bp, m_adapter, pending));
  return body;
}

} // namespace wasmscope::dap
