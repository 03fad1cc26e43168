// `setExpression`: assign a C expression's value to an lvalue expression
// (a watch such as `p->count` or `table[3]`), scalars, enums and pointers.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::SetVariableBody>
SetExpressionHandler::handle(const protocol::SetExpressionArguments& args) {
  std::optional<debugger::FrameId> frame;
  if (args.frameId) {
    auto sessionFrame = m_adapter.sessionFrame(*args.frameId);
    if (!sessionFrame.ok())
      return std::move(sessionFrame).error();
    frame = *sessionFrame;
  }
  auto variable = session().setExpression(args.expression, args.value, frame);
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
