// Envelope checks, request order, authentication and routing (see
// Dispatcher.h).
#include "Dispatcher.h"

#include <regex>

namespace wasmscope::dap {

using protocol::json;

namespace {

/// Best effort on text that is not valid JSON: a `"seq": N` and a
/// `"command": "..."` near the start, so that the client's pending request
/// still gets its (error) response instead of waiting forever.
void salvageEnvelope(const std::string& text, int64_t& seq, std::string& command) {
  std::string head = text.substr(0, 4096);
  static const std::regex seqPattern(R"re("seq"\s*:\s*([0-9]{1,9})\b)re");
  static const std::regex commandPattern(R"re("command"\s*:\s*"([A-Za-z_]{1,64})")re");
  std::smatch match;
  if (std::regex_search(head, match, seqPattern))
    seq = std::stoll(match[1].str());
  if (std::regex_search(head, match, commandPattern))
    command = match[1].str();
}

} // namespace

Dispatcher::Dispatcher(Adapter& adapter, ProtocolLog* log)
    : m_adapter(adapter), m_writer(adapter.writer()), m_log(log) {}

void Dispatcher::add(std::unique_ptr<BaseRequestHandler> handler) {
  std::string name(handler->command());
  m_handlers[std::move(name)] = std::move(handler);
}

void Dispatcher::reportUnanswerable(const std::string& problem) {
  if (m_log)
    m_log->write("!!", problem);
  protocol::OutputEventBody body;
  body.category = "important";
  body.output = "wasmscope dap: " + problem + "\n";
  m_writer.sendEvent("output", protocol::toJSON(body));
}

void Dispatcher::handle(const Frame& frame) {
  if (frame.kind == Frame::Kind::Malformed) {
    reportUnanswerable("dropped a malformed message: " + frame.text);
    return;
  }
  if (m_log)
    m_log->write("<--", frame.text);
  handleMessage(frame.text);
}

void Dispatcher::handleMessage(const std::string& text) {
  std::string parseError;
  std::optional<json> message = protocol::parseJsonText(text, parseError);
  if (!message) {
    int64_t seq = 0;
    std::string command;
    salvageEnvelope(text, seq, command);
    std::string problem = "malformed JSON: " + parseError;
    if (seq >= 1)
      m_writer.sendResponse(BaseRequestHandler::errorResponse(
          seq, command.empty() ? "unknown" : command, {ErrorId::MalformedRequest, problem}));
    else
      reportUnanswerable(problem);
    return;
  }

  // The envelope. Without a usable seq there is no way to answer.
  protocol::PathRoot root;
  protocol::Path path(root);
  protocol::ObjectReader envelope(*message, path);
  int64_t seq = 0;
  if (!envelope.map("seq", seq) || seq < 1 || seq > INT32_MAX) {
    reportUnanswerable(
        "ignored a message without a valid seq: " +
        (root.error.empty() ? "expected positive integer at (root).seq" : root.error));
    return;
  }
  std::string type;
  if (!envelope.map("type", type)) {
    m_writer.sendResponse(
        BaseRequestHandler::errorResponse(seq, "unknown", {ErrorId::MalformedRequest, root.error}));
    return;
  }
  if (type == "response" || type == "event")
    return; // Answers to reverse requests (we send none); events are not ours to get.
  std::string command;
  if (type != "request" || !envelope.map("command", command)) {
    std::string problem = root.error.empty()
                              ? "expected \"request\" at (root).type, got \"" + type + "\""
                              : root.error;
    m_writer.sendResponse(BaseRequestHandler::errorResponse(
        seq, command.empty() ? "unknown" : command, {ErrorId::MalformedRequest, problem}));
    return;
  }

  auto it = m_handlers.find(command);
  if (it == m_handlers.end()) {
    m_writer.sendResponse(BaseRequestHandler::errorResponse(
        seq, command, {ErrorId::UnknownCommand, "unsupported command '" + command + "'"}));
    return;
  }
  static const json kNull;
  auto found = message->find("arguments");
  const json& args = found == message->end() ? kNull : *found;
  if (std::optional<RequestError> refusal = checkOrder(command, *it->second, args)) {
    m_writer.sendResponse(BaseRequestHandler::errorResponse(seq, command, *refusal));
    return;
  }
  m_writer.beginRequest();
  json response = it->second->run(seq, args);
  m_writer.endRequest(std::move(response));
}

std::optional<RequestError> Dispatcher::checkOrder(const std::string& command,
                                                   const BaseRequestHandler& handler,
                                                   const json& arguments) {
  Precondition precondition = handler.precondition();
  if (command == "initialize" && m_adapter.initialized())
    return RequestError{ErrorId::WrongOrder,
                        "'initialize' was already received: a client initializes once", false};
  if (precondition == Precondition::None)
    return std::nullopt;
  if (!m_adapter.initialized())
    return RequestError{ErrorId::WrongOrder,
                        "'" + command + "' before initialize: send 'initialize' first", false};
  if (!m_adapter.authenticated()) {
    if (command != "launch" && command != "attach")
      return RequestError{ErrorId::NotAuthenticated,
                          "'" + command +
                              "' before authentication: this adapter needs its token in the "
                              "'launch' arguments first",
                          false};
    std::string token;
    if (arguments.is_object())
      if (auto t = arguments.find("token"); t != arguments.end() && t->is_string())
        token = t->get<std::string>();
    if (Result<void> ok = m_adapter.authenticate(token); !ok.ok()) {
      // No second guess on this connection.
      if (m_log)
        m_log->write("!!", "refused a client: " + ok.error().message);
      m_adapter.requestDisconnect();
      return RequestError{ErrorId::NotAuthenticated, ok.error().message, true};
    }
  }
  if (precondition == Precondition::Launch && !m_adapter.launched())
    return RequestError{ErrorId::WrongOrder,
                        "'" + command + "' before launch: no program is running (send 'launch' "
                                        "first)",
                        false};
  return std::nullopt;
}

} // namespace wasmscope::dap
