// `restart`: run the module again from the start, keeping the configuration
// and breakpoints. Clients do not repeat configurationDone after a restart,
// so the adapter does it.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::NoBody> RestartHandler::handle(const protocol::EmptyArguments&) {
  if (!m_adapter.launched())
    return failure("restart before launch");
  // Bounded: a guest blocked in a host call must not hang the request.
  if (auto restarted = session().restart(m_adapter.options().guestStopTimeout); !restarted.ok())
    return failure(restarted.error().message);
  m_adapter.rewindStdin();
  if (auto done = session().configurationDone(); !done.ok())
    return failure(done.error().message);
  return protocol::NoBody{};
}

} // namespace wasmscope::dap
