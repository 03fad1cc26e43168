// `configurationDone`: breakpoints are in; the guest may run.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::NoBody> ConfigurationDoneHandler::handle(const protocol::EmptyArguments&) {
  if (!m_adapter.launched())
    return failure("configurationDone before launch");
  if (auto done = session().configurationDone(); !done.ok())
    return failure(done.error().message);
  return protocol::NoBody{};
}

} // namespace wasmscope::dap
