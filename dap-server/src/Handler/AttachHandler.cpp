// `attach`: to a session another front end owns and has launched (the
// inspector's, or a `wasmscope run --debug-port` process's, served with
// SharedSessionServer); `initialized` follows, and the client hears of the
// breakpoints already set. A running guest is not stopped: it stops when a
// breakpoint the client sets is hit or the client pauses it. An adapter with
// a session of its own refuses: the guest runs inside it, which `launch`
// starts, so there is no separately started runtime to attach to.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::NoBody> AttachHandler::handle(const protocol::EmptyArguments&) {
  if (!m_adapter.shared())
    return failure("nothing to attach to: `wasmscope dap` runs the module it is given in a "
                   "\"launch\" request; to attach, start the program with `wasmscope run "
                   "--debug-port PORT` (or --debug-socket PATH) and connect there");
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
