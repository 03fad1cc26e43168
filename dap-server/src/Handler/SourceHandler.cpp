// `source`: the text of a source file the client cannot read from its own
// disk (a frame's source with a sourceReference): the module's embedded
// copy (clang -gembed-source), or an error saying how to get one.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::SourceBody> SourceHandler::handle(const protocol::SourceArguments& args) {
  std::string path = args.source ? args.source->path : std::string();
  if (args.sourceReference <= 0 && path.empty())
    return failure("missing value at (root).sourceReference (or (root).source.path)");
  auto text = session().sourceText(args.sourceReference, path);
  if (!text.ok())
    return failure(text.error().message);
  protocol::SourceBody body;
  body.content = std::move(*text);
  body.mimeType = "text/x-c";
  return body;
}

} // namespace wasmscope::dap
