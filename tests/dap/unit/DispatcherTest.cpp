// The server on an in-memory transport: requests routed to handlers,
// responses numbered and matched to their requests, and every kind of bad
// input answered with an error while the session goes on. With the wasm
// samples built, a short real session checks event ordering too.
#include "TestClient.h"

#include <filesystem>

using nlohmann::json;
using namespace wasmscope::dap;
using wasmscope::dap::test::TestClient;

namespace {

std::string sampleDir() {
#ifdef WASMSCOPE_SAMPLES_DIR
  return WASMSCOPE_SAMPLES_DIR;
#else
  return "";
#endif
}

} // namespace

TEST(Dispatcher, InitializeAdvertisesCapabilities) {
  TestClient client;
  json response =
      client.request("initialize", {{"adapterID", "wasmscope"}, {"linesStartAt1", true}});
  ASSERT_FALSE(response.is_null());
  EXPECT_EQ(response["success"], true);
  EXPECT_EQ(response["command"], "initialize");
  const json& body = response["body"];
  EXPECT_EQ(body["supportsConfigurationDoneRequest"], true);
  EXPECT_EQ(body["supportsConditionalBreakpoints"], true);
  EXPECT_EQ(body["supportsLogPoints"], true);
  EXPECT_EQ(body["exceptionBreakpointFilters"][0]["filter"], "trap");
  EXPECT_EQ(body["exceptionBreakpointFilters"][0]["default"], true);
  // Only true capabilities are listed.
  for (auto& [key, value] : body.items())
    if (value.is_boolean()) {
      EXPECT_TRUE(value.get<bool>()) << key;
    }
}

TEST(Dispatcher, UnknownCommandFailsAndTheSessionGoesOn) {
  TestClient client;
  client.initialize();
  json response = client.request("frobnicate", {{"x", 1}});
  EXPECT_EQ(response["success"], false);
  EXPECT_EQ(response["command"], "frobnicate");
  EXPECT_EQ(response["message"], "unsupported command 'frobnicate'");
  EXPECT_EQ(response["body"]["error"]["format"], "unsupported command 'frobnicate'");
  EXPECT_TRUE(client.alive());
}

TEST(Dispatcher, BadArgumentsNameThePath) {
  TestClient client;
  client.initialize();
  json response = client.request("launch", {{"stopOnEntry", true}});
  EXPECT_EQ(response["success"], false);
  EXPECT_EQ(response["message"], "missing value at (root).program");
  response = client.request("setBreakpoints",
                            {{"source", {{"path", "a.c"}}}, {"breakpoints", {{{"line", "x"}}}}});
  EXPECT_EQ(response["message"], "expected integer at (root).breakpoints[0].line");
  // No arguments at all: the required field is still named.
  response = client.request("setFunctionBreakpoints");
  EXPECT_EQ(response["message"], "missing value at (root).breakpoints");
  EXPECT_TRUE(client.alive());
}

TEST(Dispatcher, MalformedJsonWithASeqGetsAnErrorResponse) {
  TestClient client;
  client.initialize();
  client.sendRaw(frameMessage(R"({"seq": 7, "type": "request", "command": "threads", )"));
  json response = client.response(7);
  ASSERT_FALSE(response.is_null());
  EXPECT_EQ(response["success"], false);
  EXPECT_EQ(response["command"], "threads");
  EXPECT_NE(response["message"].get<std::string>().find("malformed JSON"), std::string::npos);
  EXPECT_TRUE(client.alive());
}

TEST(Dispatcher, UnanswerableMessagesBecomeOutput) {
  TestClient client;
  client.initialize();
  client.sendRaw(frameMessage("this is not json"));
  json output = client.event("output");
  ASSERT_FALSE(output.is_null());
  EXPECT_EQ(output["body"]["category"], "important");
  EXPECT_NE(output["body"]["output"].get<std::string>().find("malformed JSON"), std::string::npos);

  client.sendRaw(frameMessage(R"({"type": "request", "command": "threads"})"));
  output = client.event("output");
  ASSERT_FALSE(output.is_null());
  EXPECT_NE(output["body"]["output"].get<std::string>().find("(root).seq"), std::string::npos);

  client.sendRaw("Content-Length: nope\r\n\r\n");
  output = client.event("output");
  ASSERT_FALSE(output.is_null());
  EXPECT_NE(output["body"]["output"].get<std::string>().find("invalid Content-Length"),
            std::string::npos);

  EXPECT_TRUE(client.alive());
}

TEST(Dispatcher, EnvelopeErrors) {
  TestClient client;
  client.sendRaw(frameMessage(R"({"seq": 3, "type": "request"})"));
  json response = client.response(3);
  EXPECT_EQ(response["success"], false);
  EXPECT_EQ(response["message"], "missing value at (root).command");
  client.sendRaw(frameMessage(R"({"seq": 4, "type": "request", "command": 12})"));
  EXPECT_EQ(client.response(4)["message"], "expected string at (root).command");
  client.sendRaw(frameMessage(R"({"seq": 5, "type": "banana", "command": "threads"})"));
  EXPECT_EQ(client.response(5)["success"], false);
}

TEST(Dispatcher, SequenceNumbersIncreaseFromOne) {
  TestClient client;
  client.request("initialize", {{"adapterID", "x"}});
  client.request("threads"); // An error before launch, numbered all the same.
  client.request("nope");
  ASSERT_EQ(client.all().size(), 3u);
  for (size_t i = 0; i < client.all().size(); ++i)
    EXPECT_EQ(client.all()[i]["seq"], int64_t(i + 1));
}

TEST(Dispatcher, RequestsBeforeLaunchFailCleanly) {
  TestClient client;
  client.initialize();
  for (const char* command : {"configurationDone", "continue", "next", "stepIn", "stepOut"}) {
    json response = client.request(command, {{"threadId", 1}});
    EXPECT_EQ(response["success"], false) << command;
    EXPECT_FALSE(response["message"].get<std::string>().empty()) << command;
  }
  EXPECT_EQ(client.request("evaluate", {{"expression", "1+1"}})["success"], false);
  EXPECT_EQ(client.request("launch", {{"program", "/nonexistent/prog.wasm"}})["success"], false);
  EXPECT_EQ(client.request("threads")["message"],
            "'threads' before launch: no program is running (send 'launch' first)");
  EXPECT_TRUE(client.alive());
}

TEST(Dispatcher, DisconnectEndsTheSession) {
  auto transport = std::make_unique<MemoryTransport>();
  std::thread server([&] { serveClient(*transport, nullptr); });
  transport->pushInput(frameMessage(R"({"seq":1,"type":"request","command":"disconnect"})"));
  server.join(); // Returns without the input being closed.
  auto output = transport->takeOutput();
  ASSERT_EQ(output.size(), 1u);
  json response = json::parse(output.front());
  EXPECT_EQ(response["command"], "disconnect");
  EXPECT_EQ(response["success"], true);
}

TEST(Dispatcher, LaunchRespondsBeforeInitializedAndStopsOnEntry) {
  std::string program = sampleDir() + "/hello.O0.wasm";
  if (sampleDir().empty() || !std::filesystem::exists(program))
    GTEST_SKIP() << "wasm samples not built";
  TestClient client;
  client.request("initialize", {{"adapterID", "wasmscope"}});
  int64_t launchSeq = client.send("launch", {{"program", program}, {"stopOnEntry", true}});
  json initialized = client.event("initialized");
  ASSERT_FALSE(initialized.is_null());
  json launch = client.response(launchSeq);
  ASSERT_EQ(launch["success"], true) << launch.dump();
  EXPECT_LT(launch["seq"].get<int64_t>(), initialized["seq"].get<int64_t>());

  int64_t doneSeq = client.send("configurationDone");
  json stopped = client.event("stopped");
  ASSERT_FALSE(stopped.is_null());
  EXPECT_EQ(stopped["body"]["reason"], "entry");
  EXPECT_LT(client.response(doneSeq)["seq"].get<int64_t>(), stopped["seq"].get<int64_t>());

  int64_t continueSeq = client.send("continue", {{"threadId", 1}});
  json exited = client.event("exited");
  ASSERT_FALSE(exited.is_null());
  EXPECT_EQ(client.response(continueSeq)["success"], true);
  EXPECT_FALSE(client.event("terminated").is_null());
  EXPECT_EQ(client.request("disconnect")["success"], true);
}
