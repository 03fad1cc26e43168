// Routes incoming frames to request handlers. It checks the envelope (a JSON
// object with `type: "request"`, an integer `seq` and a string `command`),
// answers what cannot be handled (malformed JSON, an unknown command) with
// an error response, or with an `output` event when there is no request to
// answer, and hands the rest to the handler registered for the command. The
// session always goes on.
//
// It also enforces the protocol's order, as other adapters do: nothing but
// `disconnect` before `initialize`, one `initialize`, and nothing that needs
// the program before `launch` (each handler says what it needs). A server
// with a token (ServerOptions::token) serves nothing but `initialize` and
// `disconnect` until a `launch` or `attach` carries the token; a wrong or
// missing one is refused and ends the connection.
#pragma once

#include "Adapter.h"
#include "Handler/RequestHandler.h"
#include "MessageWriter.h"

#include "wasmscope/dap/Server.h"
#include "wasmscope/dap/Transport.h"

#include <map>
#include <memory>
#include <string>

namespace wasmscope::dap {

class Dispatcher {
public:
  Dispatcher(Adapter& adapter, ProtocolLog* log);

  void add(std::unique_ptr<BaseRequestHandler> handler);
  /// Handles one frame: a message, or a framing error to report.
  void handle(const Frame& frame);
  /// True after a `disconnect` was answered.
  bool finished() const { return m_adapter.disconnectRequested(); }

private:
  void handleMessage(const std::string& text);
  /// Why `command` cannot be served now, if it cannot.
  std::optional<RequestError> checkOrder(const std::string& command,
                                         const BaseRequestHandler& handler, const json& arguments);
  /// Tells the client about a message that cannot be answered by a
  /// response (no usable `seq`).
  void reportUnanswerable(const std::string& problem);

  Adapter& m_adapter;
  MessageWriter& m_writer;
  ProtocolLog* m_log;
  std::map<std::string, std::unique_ptr<BaseRequestHandler>, std::less<>> m_handlers;
};

/// Registers every handler under Handler/ (Handler/Handlers.cpp).
void addAllHandlers(Dispatcher& dispatcher, Adapter& adapter);

} // namespace wasmscope::dap
