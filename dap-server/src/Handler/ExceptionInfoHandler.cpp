// `exceptionInfo`: the trap the guest stopped on (VS Code shows it in the
// editor beside the trapping line).
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::ExceptionInfoBody>
ExceptionInfoHandler::handle(const protocol::ExceptionInfoArguments& args) {
  if (auto ok = m_adapter.checkThread(args.threadId); !ok.ok())
    return std::move(ok).error();
  auto trap = m_adapter.lastException();
  if (!trap)
    return failure("the guest has not stopped on a trap");
  protocol::ExceptionInfoBody body;
  body.exceptionId = "trap";
  body.description = trap->text.empty() ? trap->description : trap->text;
  body.breakMode = "always";
  return body;
}

} // namespace wasmscope::dap
