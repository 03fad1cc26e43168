// `configurationDone`: breakpoints are in; the guest may run. Attached to a
// shared session, the run is its owner's; a stop in progress is reported.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::NoBody> ConfigurationDoneHandler::handle(const protocol::EmptyArguments&) {
  if (!m_adapter.launched())
    return failure("configurationDone before launch");
  if (m_adapter.shared()) {
    // The owner started the run (or starts it); a client that attaches to a
    // stopped program hears where it stopped.
    if (session().state() == debugger::SessionState::Configuring)
      (void)session().configurationDone();
    if (auto stop = session().currentStop())
      m_adapter.onSessionEvent(debugger::Event{*stop});
    return protocol::NoBody{};
  }
  if (auto done = session().configurationDone(); !done.ok())
    return failure(done.error().message);
  return protocol::NoBody{};
}

} // namespace wasmscope::dap
