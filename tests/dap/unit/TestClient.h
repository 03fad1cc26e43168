// A DAP client for the unit tests: it talks to serveClient() over a
// MemoryTransport, with the server on a thread of its own, and keeps every
// message the adapter sends so that tests can wait for one.
#pragma once

#include "wasmscope/dap/Server.h"
#include "wasmscope/dap/Transport.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <thread>
#include <vector>

namespace wasmscope::dap::test {

using nlohmann::json;

class TestClient {
public:
  explicit TestClient(ServerOptions options = {})
      : m_server([this, options] {
          m_end = serveClient(m_transport, nullptr, options);
          m_finished = true;
        }) {}
  ~TestClient() {
    m_transport.closeInput();
    m_server.join();
  }

  void sendRaw(const std::string& bytes) { m_transport.pushInput(bytes); }

  int64_t send(const std::string& command, json arguments = nullptr) {
    int64_t seq = m_nextSeq++;
    json request = {{"seq", seq}, {"type", "request"}, {"command", command}};
    if (!arguments.is_null())
      request["arguments"] = std::move(arguments);
    sendRaw(frameMessage(request.dump()));
    return seq;
  }

  /// Waits for the first message (not yet consumed) that matches.
  json waitFor(const std::function<bool(const json&)>& match, int timeoutMs = 10000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    for (;;) {
      for (auto it = m_pending.begin(); it != m_pending.end(); ++it) {
        if (match(*it)) {
          json found = *it;
          m_pending.erase(it);
          return found;
        }
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0)
        return nullptr;
      m_transport.waitForOutput(1, int(std::min<int64_t>(left.count(), 50)));
      for (auto& text : m_transport.takeOutput()) {
        json message = json::parse(text);
        m_all.push_back(message);
        m_pending.push_back(std::move(message));
      }
    }
  }

  json response(int64_t seq, int timeoutMs = 10000) {
    return waitFor(
        [&](const json& m) { return m["type"] == "response" && m["request_seq"] == seq; },
        timeoutMs);
  }
  json event(const std::string& name, int timeoutMs = 10000) {
    return waitFor([&](const json& m) { return m["type"] == "event" && m["event"] == name; },
                   timeoutMs);
  }
  /// The next `output` event whose text contains `text`.
  json output(const std::string& text, int timeoutMs = 10000) {
    return waitFor(
        [&](const json& m) {
          return m["type"] == "event" && m["event"] == "output" &&
                 m["body"]["output"].get<std::string>().find(text) != std::string::npos;
        },
        timeoutMs);
  }
  json request(const std::string& command, json arguments = nullptr) {
    return response(send(command, std::move(arguments)));
  }
  /// `initialize`, which every other request but `disconnect` needs first.
  void initialize() {
    ASSERT_EQ(request("initialize", {{"adapterID", "wasmscope"}})["success"], true);
  }
  /// Whether the adapter still serves a request that needs no program
  /// (after initialize).
  bool alive() {
    return request("setExceptionBreakpoints", {{"filters", json::array()}})["success"] == true;
  }
  /// Every message received so far, in arrival order.
  const std::vector<json>& all() const { return m_all; }

  /// Whether serveClient has returned (the adapter ended the session).
  bool finished() const { return m_finished; }
  /// Waits up to `timeoutMs` for serveClient to return; how it ended.
  std::optional<ClientEnd> waitFinished(int timeoutMs) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (!m_finished && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return m_finished ? std::optional<ClientEnd>(m_end) : std::nullopt;
  }

private:
  MemoryTransport m_transport;
  int64_t m_nextSeq = 1;
  std::vector<json> m_pending;
  std::vector<json> m_all;
  ClientEnd m_end = ClientEnd::Finished;
  std::atomic<bool> m_finished{false};
  std::thread m_server; // Last: it uses the members above.
};

} // namespace wasmscope::dap::test
