// `attach`: refused. The guest runs inside the adapter's own runtime, which
// `launch` starts; there is no separately started runtime to attach to.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::NoBody> AttachHandler::handle(const protocol::EmptyArguments&) {
  return failure("attach is not supported: wasmscope runs the module in its own runtime; use a "
                 "\"launch\" configuration");
}

} // namespace wasmscope::dap
