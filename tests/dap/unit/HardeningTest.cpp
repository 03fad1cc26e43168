// The adapter against hostile or careless clients: requests in the wrong
// order, a server that needs a token, a header block that must not swallow
// the next request, input that ends mid-message, and ending a session whose
// guest is stuck in a host call (disconnect and terminate are answered at
// once; the wait for the guest is bounded). Saved hostile inputs in
// tests/regression/dap/ are replayed through the fuzzer's harness.
#include "DapHarness.h"
#include "TestClient.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include <sys/stat.h>

using nlohmann::json;
using namespace wasmscope::dap;
using wasmscope::dap::test::TestClient;

namespace {

std::string blockingGuest() {
  return std::string(DAP_TEST_GUEST_DIR) + "/blocking.wasm";
}

std::string error(const json& response) {
  return response.is_null() ? "<no response>" : response.value("message", "<no message>");
}

} // namespace

// ------------------------------------------------------------- order ----

TEST(RequestOrder, NothingButDisconnectBeforeInitialize) {
  TestClient client;
  EXPECT_EQ(error(client.request("launch", {{"program", "/x.wasm"}})),
            "'launch' before initialize: send 'initialize' first");
  EXPECT_EQ(error(client.request("attach", json::object())),
            "'attach' before initialize: send 'initialize' first");
  EXPECT_EQ(error(client.request("setBreakpoints", {{"source", {{"path", "a.c"}}}})),
            "'setBreakpoints' before initialize: send 'initialize' first");
  json wrongOrder = client.request("threads");
  EXPECT_EQ(wrongOrder["success"], false);
  EXPECT_EQ(wrongOrder["body"]["error"]["id"], 6);
  client.initialize(); // Still possible after all that.
  EXPECT_TRUE(client.alive());
}

TEST(RequestOrder, ASecondInitializeIsRefused) {
  TestClient client;
  client.initialize();
  json again = client.request("initialize", {{"adapterID", "wasmscope"}});
  EXPECT_EQ(again["success"], false);
  EXPECT_EQ(error(again), "'initialize' was already received: a client initializes once");
  EXPECT_TRUE(client.alive());
}

TEST(RequestOrder, RequestsThatNeedTheProgramComeAfterLaunch) {
  TestClient client;
  client.initialize();
  for (const char* command : {"threads", "stackTrace", "scopes", "variables", "evaluate",
                              "continue", "next", "pause", "readMemory", "restart",
                              "configurationDone", "loadedSources", "modules"})
    EXPECT_EQ(error(client.request(command, {{"threadId", 1}})),
              std::string("'") + command + "' before launch: no program is running (send "
                                           "'launch' first)");
  // Breakpoints may be set ahead of launch; terminate and disconnect are
  // always answered.
  EXPECT_EQ(client.request("setBreakpoints", {{"source", {{"path", "a.c"}}},
                                              {"breakpoints", {{{"line", 3}}}}})["success"],
            true);
  EXPECT_EQ(client.request("terminate")["success"], true);
  EXPECT_EQ(client.request("disconnect")["success"], true);
}

TEST(RequestOrder, AttachIsRefusedClearly) {
  TestClient client;
  client.initialize();
  EXPECT_EQ(error(client.request("attach", {{"port", 1234}})),
            "nothing to attach to: `wasmscope dap` runs the module it is given in a \"launch\" "
            "request; to attach, start the program with `wasmscope run --debug-port PORT` (or "
            "--debug-socket PATH) and connect there");
}

TEST(RequestOrder, LaunchOfWhatIsNotAModuleFileIsRefusedAtOnce) {
  TestClient client;
  client.initialize();
  auto dir = std::filesystem::temp_directory_path() / "dap-order-fifo";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::string fifo = (dir / "fifo").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Reading a FIFO that nobody writes would block the request thread.
  EXPECT_EQ(error(client.request("launch", {{"program", fifo}})),
            "cannot read '" + fifo + "': it is a FIFO (named pipe), not a regular file");
  EXPECT_EQ(error(client.request("launch", {{"program", dir.string()}})),
            "cannot read '" + dir.string() + "': it is a directory");
  EXPECT_EQ(error(client.request("launch", {{"program", "/dev/zero"}})),
            "cannot read '/dev/zero': it is a device, not a regular file");
  // A stdin file that is a FIFO opens without waiting for a writer; a
  // directory is refused.
  EXPECT_EQ(error(client.request("launch", {{"program", "/nonexistent.wasm"}, {"stdin", fifo}}))
                .rfind("cannot open '/nonexistent.wasm'", 0),
            0u);
  EXPECT_EQ(error(client.request("launch", {{"program", fifo}, {"stdin", dir.string()}})),
            "stdin file '" + dir.string() + "' is a directory");
  std::filesystem::remove_all(dir);
  EXPECT_TRUE(client.alive());
}

// ------------------------------------------------------------ tokens ----

TEST(Token, RequestsBeforeTheTokenAreRefused) {
  ServerOptions options;
  options.token = "0123456789abcdef0123456789abcdef";
  TestClient client(options);
  client.initialize(); // Allowed: it reveals nothing and runs nothing.
  json refused = client.request("setBreakpoints", {{"source", {{"path", "a.c"}}}});
  EXPECT_EQ(refused["body"]["error"]["id"], 7);
  EXPECT_EQ(error(refused), "'setBreakpoints' before authentication: this adapter needs its "
                            "token in the 'launch' arguments first");
  EXPECT_FALSE(client.finished());
}

TEST(Token, AWrongTokenIsRefusedAndTheConnectionClosed) {
  ServerOptions options;
  options.token = "0123456789abcdef0123456789abcdef";
  TestClient client(options);
  client.initialize();
  json refused = client.request(
      "launch", {{"program", "/nonexistent.wasm"}, {"token", "0123456789abcdef0123456789abcdee"}});
  EXPECT_EQ(error(refused), "wrong token (the connection is closed)");
  EXPECT_EQ(refused["body"]["error"]["showUser"], true);
  EXPECT_TRUE(client.waitFinished(5000)); // Without the client closing its side.
}

TEST(Token, AMissingTokenIsRefusedAndTheConnectionClosed) {
  ServerOptions options;
  options.token = "0123456789abcdef0123456789abcdef";
  TestClient client(options);
  client.initialize();
  json refused = client.request("launch", {{"program", "/nonexistent.wasm"}});
  EXPECT_NE(error(refused).find("this adapter needs a token"), std::string::npos) << refused;
  EXPECT_TRUE(client.waitFinished(5000));
}

TEST(Token, TheRightTokenLetsTheClientIn) {
  ServerOptions options;
  options.token = "0123456789abcdef0123456789abcdef";
  TestClient client(options);
  client.initialize();
  json launch = client.request("launch", {{"program", "/nonexistent.wasm"},
                                          {"token", "0123456789abcdef0123456789abcdef"}});
  // Past the token: the launch itself fails on the missing file.
  EXPECT_EQ(error(launch).rfind("cannot open '/nonexistent.wasm'", 0), 0u) << launch;
  EXPECT_TRUE(client.alive());
  EXPECT_FALSE(client.finished());
}

TEST(Token, TokensAreRandom) {
  auto a = makeToken(), b = makeToken();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 32u);
  EXPECT_NE(*a, *b);
}

// ------------------------------------------------------------ framing ---

TEST(HostileFraming, ABadHeaderBlockDoesNotSwallowTheNextRequest) {
  // Two Content-Length headers in one block, then a valid request: the
  // block is dropped whole, and the request after it arrives intact.
  TestClient client;
  client.initialize();
  client.sendRaw("Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}");
  int64_t seq = client.send("setExceptionBreakpoints", {{"filters", json::array()}});
  json report = client.output("conflicting Content-Length headers");
  ASSERT_FALSE(report.is_null());
  EXPECT_EQ(report["body"]["category"], "important");
  json response = client.response(seq);
  ASSERT_FALSE(response.is_null()) << "the request after the bad block was lost";
  EXPECT_EQ(response["success"], true) << response;
}

TEST(HostileFraming, InputEndingInsideAMessageIsReported) {
  MemoryTransport transport;
  transport.pushInput(frameMessage("{}") + "Content-Length: 50\r\n\r\n{\"seq\":");
  transport.closeInput();
  auto first = transport.read();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->kind, Frame::Kind::Message);
  auto partial = transport.read();
  ASSERT_TRUE(partial);
  EXPECT_EQ(partial->kind, Frame::Kind::Malformed);
  EXPECT_EQ(partial->text, "the input ended inside a message: 7 of its 50 body bytes arrived");
  EXPECT_FALSE(transport.read());
}

TEST(HostileFraming, InputEndingInsideAHeaderIsReported) {
  MessageFramer framer;
  framer.feed("Content-Len");
  EXPECT_FALSE(framer.next());
  auto frame = framer.finish();
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->text, "the input ended inside a message header: 'Content-Len'");
  EXPECT_FALSE(framer.finish()); // Reset: nothing more to report.
}

// ------------------------------------------- a guest stuck in a host call --

class StuckGuest : public ::testing::Test {
protected:
  void SetUp() override {
    if (!std::filesystem::exists(blockingGuest()))
      GTEST_SKIP() << blockingGuest() << " is not built (needs clang-19 and wasi-libc)";
  }

  /// Launches the blocking guest and waits until it is in its sleep.
  void startBlocked(TestClient& client) {
    client.initialize();
    ASSERT_EQ(client.request("launch", {{"program", blockingGuest()}})["success"], true);
    ASSERT_EQ(client.request("configurationDone")["success"], true);
    ASSERT_FALSE(client.output("blocking in sleep").is_null());
  }

  static ServerOptions shortTimeout() {
    ServerOptions options;
    options.guestStopTimeout = std::chrono::milliseconds(300);
    return options;
  }
};

TEST_F(StuckGuest, DisconnectIsAnsweredAtOnceAndTheWaitIsBounded) {
  TestClient client(shortTimeout());
  startBlocked(client);
  auto sent = std::chrono::steady_clock::now();
  json response = client.response(client.send("disconnect"), 2000);
  ASSERT_FALSE(response.is_null()) << "disconnect was not answered while the guest sleeps";
  EXPECT_EQ(response["success"], true);
  EXPECT_LT(std::chrono::steady_clock::now() - sent, std::chrono::seconds(1));
  // The server gives the guest up after the timeout and says so.
  std::optional<ClientEnd> end = client.waitFinished(5000);
  ASSERT_TRUE(end) << "serveClient waited for the guest without bound";
  if (*end == ClientEnd::GuestAbandoned) {
    EXPECT_FALSE(client.output("the guest did not stop within 300 ms").is_null());
  }
}

TEST_F(StuckGuest, TerminateIsAnsweredAtOnce) {
  TestClient client(shortTimeout());
  startBlocked(client);
  auto sent = std::chrono::steady_clock::now();
  json response = client.response(client.send("terminate"), 2000);
  ASSERT_FALSE(response.is_null());
  EXPECT_EQ(response["success"], true);
  EXPECT_LT(std::chrono::steady_clock::now() - sent, std::chrono::seconds(1));
  // And the session still serves requests.
  EXPECT_FALSE(client.request("threads").is_null());
}

TEST_F(StuckGuest, RestartGivesUpAfterTheTimeout) {
  TestClient client(shortTimeout());
  startBlocked(client);
  auto sent = std::chrono::steady_clock::now();
  json response = client.response(client.send("restart"), 5000);
  ASSERT_FALSE(response.is_null()) << "restart waited for the guest without bound";
  if (response["success"] == false) {
    EXPECT_EQ(error(response), "the guest did not stop within 300 ms (it is blocked in a host "
                               "call, such as a sleep or a read)");
  }
  EXPECT_LT(std::chrono::steady_clock::now() - sent, std::chrono::seconds(3));
}

// --------------------------------------------------- saved hostile input --

TEST(HostileRegression, SavedDapInputsAreAllAnswered) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(WASMSCOPE_SOURCE_DIR) / "tests/regression/dap";
  size_t files = 0, requests = 0, answered = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() == ".md")
      continue;
    SCOPED_TRACE(entry.path().string());
    std::ifstream in(entry.path(), std::ios::binary);
    std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), {}};
    auto summary = fuzz::runUntrustedDapStream(bytes);
    EXPECT_FALSE(summary.hung);
    for (const std::string& problem : summary.shapeErrors)
      ADD_FAILURE() << problem;
    EXPECT_EQ(summary.answeredRequests, summary.answerableRequests);
    ++files;
    requests += summary.answerableRequests;
    answered += summary.answeredRequests;
  }
  EXPECT_GE(files, 3u);
  std::printf("replayed %zu saved DAP inputs: %zu requests, %zu answered\n", files, requests,
              answered);
}
