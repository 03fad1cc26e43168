// `disconnect`: end the guest (it runs inside the adapter, so there is
// nothing to detach from) and then the client's session. The response goes
// out at once: this only asks the guest to stop, and the server waits for it
// (bounded) after the loop ends, so a guest blocked in a host call cannot
// keep the client from its answer.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::NoBody> DisconnectHandler::handle(const protocol::DisconnectArguments&) {
  m_adapter.requestDisconnect();
  if (m_adapter.launched())
    (void)session().terminate(); // Never waits; its last events follow the response.
  return protocol::NoBody{};
}

} // namespace wasmscope::dap
