// `setVariable`: assign a C expression's value to a scalar, enum or pointer.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::SetVariableBody>
SetVariableHandler::handle(const protocol::SetVariableArguments& args) {
  auto container = m_adapter.sessionReference(args.variablesReference);
  if (!container.ok())
    return std::move(container).error();
  auto variable = session().setVariable(*container, args.name, args.value);
  if (!variable.ok())
    return failure(variable.error().message);
  protocol::SetVariableBody body;
  body.value = variable->value;
  body.type = variable->type;
  body.variablesReference = m_adapter.references().toClient(variable->variablesReference);
  if (variable->namedVariables)
    body.namedVariables = variable->namedVariables;
  if (variable->indexedVariables)
    body.indexedVariables = variable->indexedVariables;
  if (variable->memoryReference)
    body.memoryReference = protocol::formatMemoryReference(*variable->memoryReference);
  return body;
}

} // namespace wasmscope::dap
