// `scopes`: the containers of a frame's variables.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::ScopesBody> ScopesHandler::handle(const protocol::ScopesArguments& args) {
  auto frame = m_adapter.sessionFrame(args.frameId);
  if (!frame.ok())
    return std::move(frame).error();
  auto scopes = session().scopes(*frame);
  if (!scopes.ok())
    return failure(scopes.error().message);
  protocol::ScopesBody body;
  for (const auto& scope : *scopes) {
    protocol::Scope out;
    out.name = scope.name;
    out.variablesReference = m_adapter.references().toClient(scope.variablesReference);
    out.expensive = scope.expensive;
    if (scope.namedVariables)
      out.namedVariables = scope.namedVariables;
    switch (scope.kind) {
    case debugger::FrameScopeKind::Locals:
      out.presentationHint = "locals";
      break;
    case debugger::FrameScopeKind::WasmLocals:
      out.presentationHint = "registers";
      break;
    case debugger::FrameScopeKind::Globals:
    case debugger::FrameScopeKind::WasmGlobals:
    case debugger::FrameScopeKind::OperandStack:
      break;
    }
    body.scopes.push_back(std::move(out));
  }
  return body;
}

} // namespace wasmscope::dap
