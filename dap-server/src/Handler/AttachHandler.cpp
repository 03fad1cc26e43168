// `attach`: to a session another front end owns and has launched (the
// inspector's, served with SharedSessionServer); `initialized` follows, and
// the client hears of the breakpoints already set. An adapter with a session
// of its own refuses: the guest runs inside it, which `launch` starts, so
// there is no separately started runtime to attach to.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::NoBody> AttachHandler::handle(const protocol::EmptyArguments&) {
  if (!m_adapter.shared())
    return failure("attach is not supported: wasmscope runs the module in its own runtime; use a "
                   "\"launch\" configuration");
  if (m_adapter.launched())
    return failure("already attached");
  // The owner's event handler reaches the client once this is set.
  m_adapter.setLaunched();
  // Held by the writer until this response is out.
  m_adapter.writer().sendEvent("initialized");
  m_adapter.syncBreakpoints();
  return protocol::NoBody{};
}

} // namespace wasmscope::dap
