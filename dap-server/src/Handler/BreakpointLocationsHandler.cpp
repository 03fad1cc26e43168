// `breakpointLocations`: the lines of a range that have code.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::BreakpointLocationsBody>
BreakpointLocationsHandler::handle(const protocol::BreakpointLocationsArguments& args) {
  if (args.source.path.empty())
    return failure("missing value at (root).source.path");
  uint32_t line = m_adapter.lineFromClient(args.line);
  uint32_t endLine = args.endLine ? m_adapter.lineFromClient(*args.endLine) : 0;
  auto locations = session().breakpointLocations(args.source.path, line, endLine);
  if (!locations.ok())
    return failure(locations.error().message);
  protocol::BreakpointLocationsBody body;
  for (const auto& location : *locations) {
    protocol::BreakpointLocation item;
    item.line = uint32_t(std::max<int64_t>(0, m_adapter.lineToClient(location.line)));
    item.column = uint32_t(std::max<int64_t>(0, m_adapter.columnToClient(location.column)));
    body.breakpoints.push_back(item);
  }
  return body;
}

} // namespace wasmscope::dap
