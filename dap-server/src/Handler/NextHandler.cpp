// `next`: step over, to the next line in this frame or a caller; calls run
// without stopping unless they hit a breakpoint.
#include "Handler/Handlers.h"
#include "Handler/StepGranularity.h"

namespace wasmscope::dap {

HandlerResult<protocol::NoBody> NextHandler::handle(const protocol::StepArguments& args) {
  if (auto ok = m_adapter.checkThread(args.threadId); !ok.ok())
    return std::move(ok).error();
  if (auto stepped = session().next(stepGranularity(args.granularity)); !stepped.ok())
    return failure(stepped.error().message);
  return protocol::NoBody{};
}

} // namespace wasmscope::dap
