// `threads`: a WASI guest has one thread.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::ThreadsBody> ThreadsHandler::handle(const protocol::EmptyArguments&) {
  protocol::ThreadsBody body;
  for (const auto& thread : session().threads())
    body.threads.push_back({thread.id, thread.name.empty() ? "main" : thread.name});
  if (body.threads.empty())
    body.threads.push_back({debugger::kGuestThreadId, "main"});
  return body;
}

} // namespace wasmscope::dap
