// `stepIn`: step into the function the line calls, if it has line info.
#include "Handler/Handlers.h"
#include "Handler/StepGranularity.h"

namespace wasmscope::dap {

HandlerResult<protocol::NoBody> StepInHandler::handle(const protocol::StepArguments& args) {
  if (auto ok = m_adapter.checkThread(args.threadId); !ok.ok())
    return std::move(ok).error();
  if (auto stepped = session().stepIn(stepGranularity(args.granularity)); !stepped.ok())
    return failure(stepped.error().message);
  return protocol::NoBody{};
}

} // namespace wasmscope::dap
