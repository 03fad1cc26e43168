// Serving a listening socket: one client at a time, each on a thread of its
// own, while this thread keeps accepting so that a second client is told
// at once why it is not served, instead of waiting unanswered in the
// backlog (see serveListener in Server.h).
#include "wasmscope/dap/Listener.h"
#include "wasmscope/dap/Server.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <thread>

namespace wasmscope::dap {

namespace {

/// How long a new client waits for the session before it to end before it
/// is refused.
constexpr std::chrono::milliseconds kWaitForTheLastSession{2000};

/// Tells a client that connected while another is served why it is not,
/// then closes: an `output` event at once, and an error response to its
/// first request if that comes within a second.
void refuse(FdTransport& client, const std::string& address, ProtocolLog* log) {
  std::string why = "another client is being served on " + address +
                    "; this adapter serves one client at a time";
  if (log)
    log->write("!!", "refused a second client: " + why);
  nlohmann::json event = {{"seq", 1},
                          {"type", "event"},
                          {"event", "output"},
                          {"body", {{"category", "important"}, {"output", "wasmscope dap: " + why + "\n"}}}};
  if (!client.write(event.dump()))
    return;
  std::optional<Frame> first = client.read(1000);
  if (first && first->kind == Frame::Kind::Message) {
    nlohmann::json request = nlohmann::json::parse(first->text, nullptr, false);
    if (request.is_object() && request.value("seq", nlohmann::json()).is_number_integer()) {
      nlohmann::json response = {{"seq", 2},
                                 {"type", "response"},
                                 {"request_seq", request["seq"]},
                                 {"command", request.value("command", nlohmann::json("unknown"))},
                                 {"success", false},
                                 {"message", why},
                                 {"body", {{"error", {{"id", 8}, {"format", why}, {"showUser", true}}}}}};
      if (!response["command"].is_string())
        response["command"] = "unknown";
      client.write(response.dump());
    }
  }
  client.closeGracefully(500);
}

} // namespace

Result<ClientEnd> serveListener(Listener& listener, ProtocolLog* log,
                                const ServerOptions& options) {
  std::atomic<bool> busy{false};
  std::atomic<bool> abandoned{false};
  std::thread worker;
  auto finish = [&](ClientEnd end) -> Result<ClientEnd> {
    if (worker.joinable())
      worker.join();
    return end;
  };
  for (;;) {
    if (abandoned)
      return finish(ClientEnd::GuestAbandoned);
    Result<std::unique_ptr<FdTransport>> accepted = listener.accept(200);
    if (!accepted.ok()) {
      (void)finish(ClientEnd::Finished);
      return std::move(accepted).error();
    }
    std::unique_ptr<FdTransport> client = std::move(*accepted);
    if (!client)
      continue;
    // A client that reconnects right after its `disconnect` may arrive while
    // its old session is still winding down: give that a moment first.
    auto deadline = std::chrono::steady_clock::now() + kWaitForTheLastSession;
    while (busy && !abandoned && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (abandoned)
      return finish(ClientEnd::GuestAbandoned);
    if (busy) {
      refuse(*client, listener.address(), log);
      continue;
    }
    if (worker.joinable())
      worker.join();
    busy = true;
    worker = std::thread([&, client = std::move(client)]() mutable {
      if (log)
        log->write("!!", "client connected");
      ClientEnd end = serveClient(*client, log, options);
      client.reset(); // Closes the connection.
      if (log)
        log->write("!!", "client disconnected");
      if (end == ClientEnd::GuestAbandoned)
        abandoned = true;
      busy = false;
    });
  }
}

} // namespace wasmscope::dap
