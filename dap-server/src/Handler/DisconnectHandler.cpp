// `disconnect`: end the guest (it runs inside the adapter, so there is
// nothing to detach from) and then the client's session. A client attached
// to a shared session leaves it running unless it sets terminateDebuggee. The response goes
// out at once: this only asks the guest to stop, and the server waits for it
// (bounded) after the loop ends, so a guest blocked in a host call cannot
// keep the client from its answer.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::NoBody> DisconnectHandler::handle(const protocol::DisconnectArguments& args) {
  m_adapter.requestDisconnect();
  // A shared session goes on with its owner, unless the client asks to end it.
  if (m_adapter.shared()) {
    if (m_adapter.launched() && args.terminateDebuggee.value_or(false))
      (void)session().terminate();
    return protocol::NoBody{};
  }
  if (m_adapter.launched())
    (void)session().terminate(); // Never waits; its last events follow the response.
  return protocol::NoBody{};
}

} // namespace wasmscope::dap
