// `writeMemory`: base64 bytes into guest linear memory, all or nothing.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::WriteMemoryBody>
WriteMemoryHandler::handle(const protocol::WriteMemoryArguments& args) {
  auto base = protocol::parseMemoryReference(args.memoryReference);
  if (!base)
    return failure("expected an address such as \"0x1a2b\" at (root).memoryReference");
  auto bytes = protocol::decodeBase64(args.data);
  if (!bytes)
    return failure("expected base64 at (root).data");
  if ((args.offset < 0 && uint64_t(-args.offset) > *base) ||
      (args.offset > 0 && *base > UINT64_MAX - uint64_t(args.offset)))
    return failure("address out of range: " + args.memoryReference + " + " +
                   std::to_string(args.offset));
  auto written = session().writeMemory(*base + uint64_t(args.offset), *bytes);
  if (!written.ok())
    return failure(written.error().message);
  return protocol::WriteMemoryBody{*written};
}

} // namespace wasmscope::dap
