// `terminate`: end the guest; `exited` and `terminated` events follow once it
// has stopped. The request never waits for that: a guest blocked in a host
// call stops only when the call returns.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::NoBody> TerminateHandler::handle(const protocol::TerminateArguments&) {
  if (!m_adapter.launched())
    return protocol::NoBody{};
  if (auto ended = session().terminate(); !ended.ok())
    return failure(ended.error().message);
  return protocol::NoBody{};
}

} // namespace wasmscope::dap
