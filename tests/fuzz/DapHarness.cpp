// See DapHarness.h.
#include "DapHarness.h"

#include "wasmscope/dap/Server.h"
#include "wasmscope/dap/Transport.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <future>
#include <set>
#include <string_view>
#include <thread>

namespace wasmscope::dap::fuzz {

namespace {

using nlohmann::json;

struct SentRequest {
  int64_t seq = 0;
  std::string command;
};

/// The requests a client sent that the adapter must answer, in order: every
/// frame that is a JSON object with type "request" and a seq in [1, 2^31)
/// (the dispatcher answers each of them, if only with an error).
std::vector<SentRequest> answerable(std::string_view bytes) {
  std::vector<SentRequest> out;
  MessageFramer framer;
  framer.feed(bytes);
  while (auto frame = framer.next()) {
    if (frame->kind != Frame::Kind::Message)
      continue;
    json message = json::parse(frame->text, nullptr, false);
    if (!message.is_object())
      continue;
    auto seq = message.find("seq");
    auto type = message.find("type");
    if (seq == message.end() || !seq->is_number_integer() || type == message.end() ||
        *type != "request")
      continue;
    int64_t value = seq->get<int64_t>();
    auto command = message.find("command");
    if (value >= 1 && value <= INT32_MAX)
      out.push_back({value, command != message.end() && command->is_string()
                                ? command->get<std::string>()
                                : std::string()});
  }
  return out;
}

void checkShape(const json& m, int64_t expectedSeq, std::vector<std::string>& errors) {
  std::string text = m.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 200);
  if (!m.is_object()) {
    errors.push_back("not an object: " + text);
    return;
  }
  if (!m.contains("seq") || !m["seq"].is_number_integer() || m["seq"] != expectedSeq)
    errors.push_back("seq is not " + std::to_string(expectedSeq) + ": " + text);
  std::string type = m.value("type", "");
  if (type == "response") {
    if (!m.contains("request_seq") || !m["request_seq"].is_number_integer())
      errors.push_back("response without request_seq: " + text);
    if (!m.contains("command") || !m["command"].is_string())
      errors.push_back("response without command: " + text);
    if (!m.contains("success") || !m["success"].is_boolean())
      errors.push_back("response without success: " + text);
    else if (!m["success"].get<bool>() &&
             (!m.contains("message") || !m["message"].is_string() ||
              m["message"].get<std::string>().empty()))
      errors.push_back("error response without a message: " + text);
  } else if (type == "event") {
    if (!m.contains("event") || !m["event"].is_string())
      errors.push_back("event without a name: " + text);
    if (m.value("event", "") == "output" &&
        (!m.contains("body") || !m["body"].contains("output") || !m["body"]["output"].is_string()))
      errors.push_back("output event without output: " + text);
  } else {
    errors.push_back("neither response nor event: " + text);
  }
}

} // namespace

DapRunSummary runUntrustedDapStream(std::span<const uint8_t> bytes) {
  DapRunSummary summary;
  std::string_view input(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  auto transport = std::make_shared<MemoryTransport>();
  transport->pushInput(input);
  transport->closeInput();
  ServerOptions options;
  options.guestStopTimeout = std::chrono::milliseconds(2000);
  // On its own thread, so that a hang is reported rather than waited out.
  std::packaged_task<void()> task([transport, options] { serveClient(*transport, nullptr, options); });
  std::future<void> done = task.get_future();
  std::thread server(std::move(task));
  if (done.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
    summary.hung = true;
    server.detach();
    return summary;
  }
  server.join();

  std::vector<json> messages;
  int64_t seq = 1;
  for (const std::string& text : transport->takeOutput()) {
    json message = json::parse(text, nullptr, false);
    if (message.is_discarded()) {
      summary.shapeErrors.push_back("not JSON: " + text.substr(0, 200));
      ++seq;
      continue;
    }
    checkShape(message, seq++, summary.shapeErrors);
    if (message.value("type", "") == "response")
      ++summary.responses;
    else
      ++summary.events;
    messages.push_back(std::move(message));
  }

  // Which requests had to be answered: all of them up to a `disconnect`
  // that succeeded (the adapter reads nothing after it).
  std::vector<SentRequest> sent = answerable(input);
  std::multiset<int64_t> succeededDisconnects;
  std::multiset<int64_t> answers;
  for (const json& m : messages) {
    if (m.value("type", "") != "response" || !m.contains("request_seq") ||
        !m["request_seq"].is_number_integer())
      continue;
    int64_t requestSeq = m["request_seq"].get<int64_t>();
    answers.insert(requestSeq);
    if (m.value("command", json()) == "disconnect" && m.value("success", json()) == true)
      succeededDisconnects.insert(requestSeq);
  }
  for (const SentRequest& request : sent) {
    ++summary.answerableRequests;
    if (auto it = answers.find(request.seq); it != answers.end()) {
      answers.erase(it);
      ++summary.answeredRequests;
    }
    if (request.command == "disconnect" && succeededDisconnects.count(request.seq))
      break;
  }
  return summary;
}

} // namespace wasmscope::dap::fuzz
