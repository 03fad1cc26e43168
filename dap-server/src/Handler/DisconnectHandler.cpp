// `disconnect`: end the guest (it runs inside the adapter, so there is
// nothing to detach from) and then the client's session.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::NoBody> DisconnectHandler::handle(const protocol::DisconnectArguments&) {
  m_adapter.requestDisconnect();
  if (m_adapter.launched())
    (void)session().disconnect(); // Joins the guest thread; its last events follow the response.
  return protocol::NoBody{};
}

} // namespace wasmscope::dap
