// `continue`: resume until a breakpoint, a trap, a pause or the exit.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::ContinueBody>
ContinueHandler::handle(const protocol::ThreadArguments& args) {
  if (auto ok = m_adapter.checkThread(args.threadId); !ok.ok())
    return std::move(ok).error();
  if (auto resumed = session().resume(); !resumed.ok())
    return failure(resumed.error().message);
  return protocol::ContinueBody{true};
}

} // namespace wasmscope::dap
