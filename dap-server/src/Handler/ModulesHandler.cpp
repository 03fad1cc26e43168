// `modules`: the one wasm module, and whether it has DWARF.
#include "Handler/Handlers.h"

#include "wasmscope/symbols/Symbols.h"

namespace wasmscope::dap {

HandlerResult<protocol::ModulesBody> ModulesHandler::handle(const protocol::EmptyArguments&) {
  protocol::ModulesBody body;
  std::string path = session().modulePath();
  if (path.empty())
    return body;
  protocol::Module module;
  module.id = moduleId();
  module.path = path;
  size_t slash = path.find_last_of('/');
  module.name = slash == std::string::npos ? path : path.substr(slash + 1);
  const debugger::ModuleSymbols* symbols = session().symbols();
  module.symbolStatus = symbols && symbols->hasDwarf() ? "DWARF loaded" : "no DWARF (names only)";
  body.modules.push_back(std::move(module));
  return body;
}

} // namespace wasmscope::dap
