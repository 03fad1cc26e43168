// `evaluate`: C expressions for watches, hovers, the debug console and
// "copy value".
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::EvaluateBody>
EvaluateHandler::handle(const protocol::EvaluateArguments& args) {
  debugger::EvaluateContext context = debugger::EvaluateContext::Repl;
  if (args.context == "watch")
    context = debugger::EvaluateContext::Watch;
  else if (args.context == "hover")
    context = debugger::EvaluateContext::Hover;
  else if (args.context == "clipboard" || args.context == "variables")
    context = debugger::EvaluateContext::Clipboard;
  std::optional<debugger::FrameId> frame;
  if (args.frameId) {
    auto sessionFrame = m_adapter.sessionFrame(*args.frameId);
    if (!sessionFrame.ok())
      return std::move(sessionFrame).error();
    frame = *sessionFrame;
  }
  auto value = session().evaluate(args.expression, frame, context);
  if (!value.ok())
    return failure(value.error().message);
  protocol::EvaluateBody body;
  body.result = value->value;
  body.type = value->type;
  body.variablesReference = m_adapter.references().toClient(value->variablesReference);
  if (value->namedVariables)
    body.namedVariables = value->namedVariables;
  if (value->indexedVariables)
    body.indexedVariables = value->indexedVariables;
  if (value->memoryReference)
    body.memoryReference = protocol::formatMemoryReference(*value->memoryReference);
  return body;
}

} // namespace wasmscope::dap
