// `variables`: children of a scope, struct, array (paged) or pointer.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::VariablesBody>
VariablesHandler::handle(const protocol::VariablesArguments& args) {
  debugger::VariablesFilter filter = debugger::VariablesFilter::All;
  if (args.filter == "named")
    filter = debugger::VariablesFilter::Named;
  else if (args.filter == "indexed")
    filter = debugger::VariablesFilter::Indexed;
  auto reference = m_adapter.sessionReference(args.variablesReference);
  if (!reference.ok())
    return std::move(reference).error();
  auto children =
      session().variables(*reference, filter, uint32_t(std::min<int64_t>(args.start, UINT32_MAX)),
                          uint32_t(std::min<int64_t>(args.count, UINT32_MAX)));
  if (!children.ok())
    return failure(children.error().message);
  protocol::VariablesBody body;
  for (const auto& child : *children)
    body.variables.push_back(toProtocol(child, m_adapter));
  return body;
}

} // namespace wasmscope::dap
