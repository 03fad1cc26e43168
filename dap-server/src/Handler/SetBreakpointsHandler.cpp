// `setBreakpoints`: the line breakpoints of one file, each answered verified
// (with the line it really stops on) or not (with the reason).
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::SetBreakpointsBody>
SetBreakpointsHandler::handle(const protocol::SetBreakpointsArguments& args) {
  if (args.source.path.empty())
    return failure(args.source.sourceReference
                       ? "breakpoints in sources without a path (sourceReference) are not supported"
                       : "missing value at (root).source.path");

  std::vector<debugger::SourceBreakpoint> requested;
  std::vector<int64_t> clientLines;
  if (!args.breakpoints.empty() || args.lines.empty()) {
    for (const auto& bp : args.breakpoints) {
      debugger::SourceBreakpoint item;
      item.line = m_adapter.lineFromClient(bp.line);
      item.column = bp.column ? uint32_t(std::max<int64_t>(0, *bp.column)) : 0;
      item.condition = bp.condition;
      item.hitCondition = bp.hitCondition;
      item.logMessage = bp.logMessage;
      requested.push_back(std::move(item));
      clientLines.push_back(bp.line);
    }
  } else {
    for (int64_t line : args.lines) {
      debugger::SourceBreakpoint item;
      item.line = m_adapter.lineFromClient(line);
      requested.push_back(std::move(item));
      clientLines.push_back(line);
    }
  }

  protocol::SetBreakpointsBody body;
  auto requestedSource = makeSource(args.source.path, args.source.name);
  if (m_adapter.noDebug()) {
    for (int64_t line : clientLines) {
      protocol::Breakpoint bp;
      bp.verified = false;
      bp.message = "breakpoints are off in a run without debugging";
      bp.source = requestedSource;
      bp.line = uint32_t(std::max<int64_t>(0, line));
      bp.reason = "failed";
      body.breakpoints.push_back(std::move(bp));
    }
    return body;
  }

  auto placed = m_adapter.shared() ? m_adapter.setSharedBreakpoints(args.source.path, requested)
                                    : session().setBreakpoints(args.source.path, requested);
  if (!placed.ok())
    return failure(placed.error().message);
  bool pending = !m_adapter.launched();
  for (size_t i = 0; i < placed->size(); ++i) {
    protocol::Breakpoint bp = toProtocol((*placed)[i], m_adapter, pending);
    if (!bp.source)
      bp.source = requestedSource;
    if (bp.line == 0 && i < clientLines.size())
      bp.line = uint32_t(std::max<int64_t>(0, clientLines[i]));
    body.breakpoints.push_back(std::move(bp));
  }
  return body;
}

} // namespace wasmscope::dap
