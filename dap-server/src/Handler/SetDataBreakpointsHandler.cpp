// `setDataBreakpoints`: replaces every data breakpoint. Each entry names the
// bytes to watch by a dataId from dataBreakpointInfo ("0x11a20/4") and stops
// on the accesses its accessType says (write when left out), with the
// condition and hit condition the session evaluates in the accessing frame.
#include "Handler/DataBreakpointId.h"
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::SetBreakpointsBody>
SetDataBreakpointsHandler::handle(const protocol::SetDataBreakpointsArguments& args) {
  std::vector<debugger::DataBreakpoint> requested;
  for (size_t i = 0; i < args.breakpoints.size(); ++i) {
    const auto& bp = args.breakpoints[i];
    std::string where = "(root).breakpoints[" + std::to_string(i) + "]";
    auto range = parseDataBreakpointId(bp.dataId);
    if (!range)
      return failure("expected a dataId such as \"0x1a2b/4\" (from dataBreakpointInfo) at " +
                     where + ".dataId, got \"" + bp.dataId + "\"");
    debugger::DataAccessType access = debugger::DataAccessType::Write;
    if (bp.accessType == "read")
      access = debugger::DataAccessType::Read;
    else if (bp.accessType == "readWrite")
      access = debugger::DataAccessType::ReadWrite;
    else if (!bp.accessType.empty() && bp.accessType != "write")
      return failure("expected \"read\", \"write\" or \"readWrite\" at " + where +
                     ".accessType, got \"" + bp.accessType + "\"");
    requested.push_back({range->first, range->second, access, bp.condition, bp.hitCondition});
  }
  if (m_adapter.noDebug())
    return breakpointsOff(requested.size());
  auto placed = session().setDataBreakpoints(requested);
  if (!placed.ok())
    return failure(placed.error().message);
  return toProtocol(*placed, m_adapter);
}

} // namespace wasmscope::dap
