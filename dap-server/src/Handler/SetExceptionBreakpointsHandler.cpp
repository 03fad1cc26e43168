// `setExceptionBreakpoints`: the one filter, "trap".
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::NoBody>
SetExceptionBreakpointsHandler::handle(const protocol::SetExceptionBreakpointsArguments& args) {
  debugger::ExceptionFilters filters;
  auto accept = [&](const std::string& id, const std::string& where) -> runtime::Result<void> {
    if (id != debugger::kTrapFilterId)
      return failure("unknown exception filter '" + id + "' at " + where + " (the filter is \"" +
                     std::string(debugger::kTrapFilterId) + "\")");
    filters.traps = true;
    return runtime::success();
  };
  for (size_t i = 0; i < args.filters.size(); ++i)
    if (auto ok = accept(args.filters[i], "(root).filters[" + std::to_string(i) + "]"); !ok.ok())
      return std::move(ok).error();
  for (size_t i = 0; i < args.filterOptions.size(); ++i)
    if (auto ok = accept(args.filterOptions[i].filterId,
                         "(root).filterOptions[" + std::to_string(i) + "].filterId");
        !ok.ok())
      return std::move(ok).error();
  if (m_adapter.noDebug())
    filters.traps = false;
  if (auto set = session().setExceptionBreakpoints(filters); !set.ok())
    return failure(set.error().message);
  return protocol::NoBody{};
}

} // namespace wasmscope::dap
