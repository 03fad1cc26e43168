// `stepOut`: run until the current function returns.
#include "Handler/Handlers.h"
#include "Handler/StepGranularity.h"

namespace wasmscope::dap {

HandlerResult<protocol::NoBody> StepOutHandler::handle(const protocol::StepArguments& args) {
  if (auto ok = m_adapter.checkThread(args.threadId); !ok.ok())
    return std::move(ok).error();
  if (auto stepped = session().stepOut(stepGranularity(args.granularity)); !stepped.ok())
    return failure(stepped.error().message);
  return protocol::NoBody{};
}

} // namespace wasmscope::dap
