// `readMemory`: guest linear memory as base64. Bytes past the end of memory
// are reported as unreadable, not as an error.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

namespace {
/// Largest read served at once (the response must fit kMaxContentLength's
/// spirit; clients page through memory in far smaller chunks).
constexpr int64_t kMaxReadBytes = 4 * 1024 * 1024;
} // namespace

HandlerResult<protocol::ReadMemoryBody>
ReadMemoryHandler::handle(const protocol::ReadMemoryArguments& args) {
  auto base = protocol::parseMemoryReference(args.memoryReference);
  if (!base)
    return failure("expected an address such as \"0x1a2b\" at (root).memoryReference");
  if (args.count > kMaxReadBytes)
    return failure("count " + std::to_string(args.count) + " exceeds the limit of " +
                   std::to_string(kMaxReadBytes) + " bytes per readMemory request");
  if ((args.offset < 0 && uint64_t(-args.offset) > *base) ||
      (args.offset > 0 && *base > UINT64_MAX - uint64_t(args.offset)))
    return failure("address out of range: " + args.memoryReference + " + " +
                   std::to_string(args.offset));
  uint64_t address = *base + uint64_t(args.offset);
  auto read = session().readMemory(address, uint64_t(args.count));
  if (!read.ok())
    return failure(read.error().message);
  protocol::ReadMemoryBody body;
  body.address = protocol::formatMemoryReference(read->address);
  body.unreadableBytes = read->unreadableBytes;
  body.data = protocol::encodeBase64(read->data.data(), read->data.size());
  return body;
}

} // namespace wasmscope::dap
