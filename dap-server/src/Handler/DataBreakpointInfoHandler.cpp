// `dataBreakpointInfo`: whether a variable, an expression or an address can
// be watched by a data breakpoint, and the dataId naming its bytes. A dataId
// is "<address>/<size>" ("0x11a20/4"): the bytes of linear memory the
// session's data breakpoint watches. Values that live outside linear memory
// (wasm locals and globals, values the compiler kept in registers) have no
// address; they answer dataId null with a description saying so.
#include "Handler/DataBreakpointId.h"
#include "Handler/Handlers.h"

#include <algorithm>
#include <charconv>

namespace wasmscope::dap {

namespace {

protocol::DataBreakpointInfoBody watchable(const std::string& what, uint64_t address,
                                           uint64_t size) {
  protocol::DataBreakpointInfoBody body;
  body.dataId = formatDataBreakpointId(address, size);
  body.description = what + " (" + std::to_string(size) + (size == 1 ? " byte" : " bytes") +
                     " at " + protocol::formatMemoryReference(address) + ")";
  body.accessTypes = {"write", "read", "readWrite"};
  return body;
}

protocol::DataBreakpointInfoBody unwatchable(std::string description) {
  protocol::DataBreakpointInfoBody body;
  body.description = std::move(description);
  return body;
}

std::optional<uint64_t> parseCount(const std::string& text) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

/// Whether a variable's memoryReference is the address it points at rather
/// than its own: C pointers ("Item *", "const char *const", "int (*)(int)")
/// and Rust references and raw pointers ("&str", "*const u8").
bool isPointerType(std::string_view type) {
  while (true) {
    while (!type.empty() && type.back() == ' ')
      type.remove_suffix(1);
    if (type.ends_with("const"))
      type.remove_suffix(5);
    else if (type.ends_with("volatile"))
      type.remove_suffix(8);
    else
      break;
  }
  return type.ends_with("*") || type.find("(*") != std::string_view::npos ||
         type.starts_with("&") || type.starts_with("*");
}

} // namespace

/// sizeof a type as the variables tree spells it. The expression parser
/// takes declarator-free type names; an array type ("char[32]",
/// "int[2][3]") is its element's size times the element count.
std::optional<uint64_t> DataBreakpointInfoHandler::sizeOfType(std::string_view type,
                                                             std::optional<int64_t> frame) {
  while (!type.empty() && type.back() == ' ')
    type.remove_suffix(1);
  if (type.ends_with("]")) {
    size_t open = type.rfind('[');
    if (open == std::string_view::npos)
      return std::nullopt;
    auto count = parseCount(std::string(type.substr(open + 1, type.size() - open - 2)));
    auto element = sizeOfType(type.substr(0, open), frame);
    if (!count || !element || (*element && *count > kMaxDataBreakpointSize / *element))
      return std::nullopt;
    return *count * *element;
  }
  auto bytes = session().evaluate("sizeof(" + std::string(type) + ")", frame,
                                  debugger::EvaluateContext::Watch);
  if (!bytes.ok())
    return std::nullopt;
  return parseCount(bytes->value);
}

HandlerResult<protocol::DataBreakpointInfoBody>
DataBreakpointInfoHandler::handle(const protocol::DataBreakpointInfoArguments& args) {
  if (args.bytes && (*args.bytes < 1 || *args.bytes > int64_t(kMaxDataBreakpointSize)))
    return failure("expected 1 to 4294967296 at (root).bytes, got " +
                   std::to_string(*args.bytes));
  if (args.asAddress) {
    auto address = protocol::parseMemoryReference(args.name);
    if (!address)
      return failure("expected an address such as \"0x1a2b\" or \"6688\" at (root).name, got \"" +
                     args.name + "\"");
    uint64_t size = uint64_t(args.bytes.value_or(1));
    return watchable(args.name, *address, size);
  }

  std::optional<debugger::FrameId> frame;
  if (args.frameId) {
    auto sessionFrame = m_adapter.sessionFrame(*args.frameId);
    if (!sessionFrame.ok())
      return std::move(sessionFrame).error();
    frame = *sessionFrame;
  }

  // The variable: a child of a container, or an expression in a frame.
  debugger::VariableNode node;
  bool fromContainer = args.variablesReference && *args.variablesReference != 0;
  if (fromContainer) {
    auto reference = m_adapter.sessionReference(*args.variablesReference);
    if (!reference.ok())
      return std::move(reference).error();
    auto children = session().variables(*reference);
    if (!children.ok())
      return failure(children.error().message);
    auto it = std::find_if(children->begin(), children->end(),
                           [&](const debugger::VariableNode& v) { return v.name == args.name; });
    if (it == children->end())
      return failure("no variable named '" + args.name + "' in variablesReference " +
                     std::to_string(*args.variablesReference));
    node = *it;
  } else {
    auto value = session().evaluate(args.name, frame, debugger::EvaluateContext::Watch);
    if (!value.ok())
      return unwatchable("cannot watch '" + args.name + "': " + value.error().message);
    node = *value;
  }

  // A variable's memoryReference is its own address, except for a pointer,
  // where it is the address the pointer holds.
  std::optional<uint64_t> address = node.memoryReference;
  // Its own address then comes from `&(expression)`. A container's child is
  // named by its evaluateName, evaluated in `frameId` (innermost when left
  // out, as the container's frame is not known here); the name must read the
  // same value there, or it names another variable.
  if (isPointerType(node.type)) {
    address.reset();
    std::string expression = fromContainer ? node.evaluateName : args.name;
    bool sameVariable = !expression.empty();
    if (sameVariable && fromContainer) {
      auto again = session().evaluate(expression, frame, debugger::EvaluateContext::Watch);
      sameVariable = again.ok() && again->value == node.value && again->type == node.type;
    }
    if (sameVariable) {
      auto own = session().evaluate("&(" + expression + ")", frame,
                                    debugger::EvaluateContext::Watch);
      if (own.ok() && own->memoryReference)
        address = own->memoryReference;
    }
    if (!address)
      return unwatchable("cannot find where pointer '" + args.name +
                         "' itself is stored from here; add the data breakpoint from the "
                         "variables of its own frame, or by address");
  }
  if (!address)
    return unwatchable("'" + args.name +
                       "' is not in linear memory (a wasm local, a wasm global or a value the "
                       "compiler keeps in a register has no address to watch)");

  uint64_t size = 0;
  if (args.bytes) {
    size = uint64_t(*args.bytes);
  } else {
    auto count = sizeOfType(node.type, frame);
    if (!count && !fromContainer) {
      auto bytes = session().evaluate("sizeof(" + args.name + ")", frame,
                                      debugger::EvaluateContext::Watch);
      if (bytes.ok())
        count = parseCount(bytes->value);
    }
    if (!count || *count == 0 || *count > kMaxDataBreakpointSize)
      return unwatchable("cannot tell the size of '" + args.name + "' (type '" + node.type +
                         "'); give `bytes`");
    size = *count;
  }
  return watchable(args.name, *address, size);
}

} // namespace wasmscope::dap
