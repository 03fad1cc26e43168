// `loadedSources`: every source file the module's debug info names.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::LoadedSourcesBody>
LoadedSourcesHandler::handle(const protocol::EmptyArguments&) {
  protocol::LoadedSourcesBody body;
  for (const auto& source : session().sources())
    if (auto item = makeSource(source.path, source.name, source.sourceReference))
      body.sources.push_back(std::move(*item));
  return body;
}

} // namespace wasmscope::dap
