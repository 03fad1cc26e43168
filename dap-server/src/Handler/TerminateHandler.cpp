// `terminate`: end the guest; `exited` and `terminated` events follow.
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
