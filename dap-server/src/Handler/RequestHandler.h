// The base of every request handler. BaseRequestHandler::run is the one
// place where a request becomes a response: it parses the arguments into the
// handler's typed struct (a bad field gives "missing value at
// (root).threadId"), calls the handler, serialises its body, and maps every
// failure (argument errors, session errors, exceptions) to an error
// response. A handler is then a small `handle(const Args&)` function in its
// own file under Handler/.
#pragma once

#include "Adapter.h"
#include "Protocol/Json.h"
#include "Protocol/Requests.h"
#include "Protocol/Responses.h"

#include <string>
#include <string_view>

namespace wasmscope::dap {

using protocol::json;

/// Why a request failed, as the base class reports it.
struct RequestError {
  ErrorId id = ErrorId::RequestFailed;
  std::string message;
  /// Show it to the user (VS Code shows a notification).
  bool showUser = false;
};

/// A handler's outcome: a body or an error.
template <typename T> using HandlerResult = runtime::Result<T>;

/// What must have happened before a request can be served (the Dispatcher
/// refuses it otherwise, with a message saying what is missing).
enum class Precondition : uint8_t {
  None,       ///< Always served (`initialize`, `disconnect`).
  Initialize, ///< After `initialize` (`launch`, breakpoints set ahead of launch).
  Launch,     ///< After `launch`: it needs the program (`threads`, `next`, ...).
};

class BaseRequestHandler {
public:
  explicit BaseRequestHandler(Adapter& adapter) : m_adapter(adapter) {}
  virtual ~BaseRequestHandler() = default;

  /// The DAP command this handler serves ("stackTrace").
  virtual std::string_view command() const = 0;
  virtual Precondition precondition() const { return Precondition::Launch; }

  /// Runs one request (`seq`, `command`, `arguments` already checked) and
  /// returns the complete response, without `seq`. Never throws.
  json run(int64_t requestSeq, const json& arguments);

  /// An error response for `command`, with the protocol's ErrorResponse body.
  static json errorResponse(int64_t requestSeq, std::string_view command,
                            const RequestError& error);

protected:
  /// Parses and handles; a RequestError on failure.
  virtual bool execute(const json& arguments, json& body, RequestError& error) = 0;

  Adapter& m_adapter;
  debugger::Session& session() { return m_adapter.session(); }
};

/// A handler with typed arguments and body. `Body` needs a protocol::toJSON.
template <typename Args, typename Body> class RequestHandler : public BaseRequestHandler {
public:
  using BaseRequestHandler::BaseRequestHandler;

protected:
  virtual HandlerResult<Body> handle(const Args& args) = 0;

  bool execute(const json& arguments, json& body, RequestError& error) final {
    Args args{};
    // A request may leave `arguments` out; its required fields are then
    // reported as missing by name.
    const json& value = arguments.is_null() ? kEmptyObject : arguments;
    if (auto problem = protocol::parseInto(value, args)) {
      error = {ErrorId::InvalidArguments, *problem, false};
      return false;
    }
    HandlerResult<Body> result = handle(args);
    if (!result.ok()) {
      error = {ErrorId::RequestFailed, result.error().message, false};
      return false;
    }
    using protocol::toJSON;
    body = toJSON(result.value());
    return true;
  }

private:
  inline static const json kEmptyObject = json::object();
};

/// A failed handler result with `message`.
inline runtime::Error failure(std::string message) {
  return runtime::Error(runtime::ErrorCode::InvalidArgument, std::move(message));
}

} // namespace wasmscope::dap
