// `pause`: the running guest stops at its next function entry or loop
// iteration, and a `stopped` event with reason "pause" follows.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::NoBody> PauseHandler::handle(const protocol::ThreadArguments& args) {
  if (auto ok = m_adapter.checkThread(args.threadId); !ok.ok())
    return std::move(ok).error();
  if (auto paused = session().pause(); !paused.ok())
    return failure(paused.error().message);
  return protocol::NoBody{};
}

} // namespace wasmscope::dap
