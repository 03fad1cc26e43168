// Protocol structs (dap-server/src/Protocol/): argument parsing with the
// path of the first bad field in the error, and bodies serialised with
// optional members left out.
#include "Protocol/Json.h"
#include "Protocol/Requests.h"
#include "Protocol/Responses.h"
#include "Protocol/Types.h"

#include <gtest/gtest.h>

using namespace wasmscope::dap::protocol;

namespace {

template <typename T> std::string parseError(const char* text) {
  T out{};
  auto error = parseInto(json::parse(text), out);
  return error ? *error : std::string("(no error)");
}

template <typename T> T parseOk(const char* text) {
  T out{};
  auto error = parseInto(json::parse(text), out);
  EXPECT_FALSE(error) << *error;
  return out;
}

} // namespace

TEST(Arguments, MissingRequiredField) {
  EXPECT_EQ(parseError<StackTraceArguments>("{}"), "missing value at (root).threadId");
  EXPECT_EQ(parseError<ScopesArguments>("{}"), "missing value at (root).frameId");
  EXPECT_EQ(parseError<LaunchArguments>("{\"args\": []}"), "missing value at (root).program");
}

TEST(Arguments, WrongType) {
  EXPECT_EQ(parseError<StackTraceArguments>(R"({"threadId": "one"})"),
            "expected integer at (root).threadId");
  EXPECT_EQ(parseError<StackTraceArguments>(R"({"threadId": 1.5})"),
            "expected integer at (root).threadId");
  EXPECT_EQ(parseError<LaunchArguments>(R"({"program": "a.wasm", "stopOnEntry": "yes"})"),
            "expected boolean at (root).stopOnEntry");
  EXPECT_EQ(parseError<LaunchArguments>(R"({"program": "a.wasm", "args": "x"})"),
            "expected array at (root).args");
  EXPECT_EQ(parseError<StackTraceArguments>("[]"), "expected object at (root)");
}

TEST(Arguments, NestedPaths) {
  EXPECT_EQ(parseError<SetBreakpointsArguments>(
                R"({"source": {"path": "a.c"}, "breakpoints": [{"line": 3}, {"column": 2}]})"),
            "missing value at (root).breakpoints[1].line");
  EXPECT_EQ(parseError<SetBreakpointsArguments>(R"({"source": {"path": 7}, "breakpoints": []})"),
            "expected string at (root).source.path");
  EXPECT_EQ(parseError<LaunchArguments>(R"({"program": "a.wasm", "args": ["a", 2]})"),
            "expected string at (root).args[1]");
  EXPECT_EQ(parseError<LaunchArguments>(R"({"program": "a.wasm", "env": {"HOME": 3}})"),
            "expected string at (root).env.HOME");
  EXPECT_EQ(parseError<SetFunctionBreakpointsArguments>(R"({"breakpoints": [{"name": "f"}, {}]})"),
            "missing value at (root).breakpoints[1].name");
}

TEST(Arguments, RangeChecks) {
  EXPECT_EQ(parseError<ScopesArguments>(R"({"frameId": "x"})"),
            "expected integer at (root).frameId");
  EXPECT_EQ(parseError<LaunchArguments>(R"({"program": "a.wasm", "fuel": -1})"),
            "expected non-negative integer at (root).fuel");
  EXPECT_EQ(parseError<LaunchArguments>(R"({"program": "a.wasm", "maxCallDepth": 5000000000})"),
            "expected 32-bit unsigned integer at (root).maxCallDepth");
  EXPECT_EQ(parseError<StepArguments>(R"({"threadId": 1, "granularity": "word"})"),
            "expected \"statement\", \"line\" or \"instruction\" at (root).granularity");
  EXPECT_EQ(parseError<ReadMemoryArguments>(R"({"memoryReference": "0x10", "count": -4})"),
            "expected non-negative integer at (root).count");
}

TEST(Arguments, NullCountsAsAbsentAndUnknownFieldsAreIgnored) {
  auto args = parseOk<LaunchArguments>(
      R"({"program": "a.wasm", "cwd": null, "type": "wasmscope", "__configurationTarget": 5})");
  EXPECT_EQ(args.program, "a.wasm");
  EXPECT_TRUE(args.cwd.empty());
  EXPECT_EQ(parseError<StackTraceArguments>(R"({"threadId": null})"),
            "missing value at (root).threadId");
}

TEST(Arguments, IntegralDoublesAreIntegers) {
  auto args = parseOk<StackTraceArguments>(R"({"threadId": 1.0, "levels": 20})");
  EXPECT_EQ(args.threadId, 1);
  EXPECT_EQ(args.levels, 20);
}

TEST(Arguments, LaunchConfiguration) {
  auto args = parseOk<LaunchArguments>(R"({
    "program": "build/samples/hello.O0.wasm",
    "args": ["alpha", "two words"],
    "env": {"GREETING": "hi", "UNSET": null},
    "cwd": "/tmp",
    "dirs": ["/tmp/hello::/sandbox", "/data", {"host": "/srv", "guest": "/srv2"}],
    "stopOnEntry": true,
    "fuel": 1000000,
    "maxMemory": "64MiB",
    "maxCallDepth": 5000,
    "deterministic": true
  })");
  EXPECT_EQ(args.args.size(), 2u);
  ASSERT_EQ(args.env.size(), 1u);
  EXPECT_EQ(args.env[0], std::make_pair(std::string("GREETING"), std::string("hi")));
  ASSERT_EQ(args.dirs.size(), 3u);
  EXPECT_EQ(args.dirs[0].host, "/tmp/hello");
  EXPECT_EQ(args.dirs[0].guest, "/sandbox");
  EXPECT_EQ(args.dirs[1].host, "/data");
  EXPECT_EQ(args.dirs[1].guest, "");
  EXPECT_EQ(args.dirs[2].guest, "/srv2");
  EXPECT_TRUE(args.stopOnEntry);
  EXPECT_EQ(args.fuel, 1000000u);
  ASSERT_TRUE(args.maxMemory);
  EXPECT_EQ(args.maxMemory->bytes, 64u << 20);
  EXPECT_EQ(args.maxCallDepth, 5000u);
  EXPECT_TRUE(args.deterministic);
}

TEST(Arguments, ByteSizes) {
  EXPECT_EQ(parseOk<LaunchArguments>(R"({"program": "p", "maxMemory": 65536})").maxMemory->bytes,
            65536u);
  EXPECT_EQ(parseOk<LaunchArguments>(R"({"program": "p", "maxMemory": "1G"})").maxMemory->bytes,
            1u << 30);
  EXPECT_EQ(parseOk<LaunchArguments>(R"({"program": "p", "maxMemory": "16 KiB"})").maxMemory->bytes,
            16u << 10);
  EXPECT_NE(parseError<LaunchArguments>(R"({"program": "p", "maxMemory": "lots"})")
                .find("at (root).maxMemory"),
            std::string::npos);
}

TEST(Arguments, EmptyArgumentsAcceptNullAndObjects) {
  EmptyArguments out;
  EXPECT_FALSE(parseInto(json(nullptr), out));
  EXPECT_FALSE(parseInto(json::object(), out));
  EXPECT_EQ(*parseInto(json(3), out), "expected object at (root)");
}

TEST(Json, DepthIsBoundedBeforeParsing) {
  std::string error;
  std::string deep(10000, '[');
  EXPECT_FALSE(parseJsonText(deep, error));
  EXPECT_NE(error.find("nested deeper"), std::string::npos) << error;
  // Brackets inside strings do not count.
  std::string inString = "{\"a\": \"" + std::string(1000, '[') + "\"}";
  EXPECT_TRUE(parseJsonText(inString, error)) << error;
}

TEST(Json, ParseErrorsSayWhere) {
  std::string error;
  EXPECT_FALSE(parseJsonText(R"({"seq": 1, "type": )", error));
  EXPECT_NE(error.find("invalid JSON at byte"), std::string::npos) << error;
}

TEST(Bodies, OptionalMembersAreLeftOut) {
  StackFrame frame;
  frame.id = 3;
  frame.name = "strlen @ 0x0004a0";
  json out = toJSON(frame);
  EXPECT_EQ(out, json::parse(R"({"id": 3, "name": "strlen @ 0x0004a0", "line": 0, "column": 0})"));
  frame.source = Source{"list.c", "/src/list.c"};
  frame.line = 12;
  frame.column = 5;
  out = toJSON(frame);
  EXPECT_EQ(out["source"], json::parse(R"({"name": "list.c", "path": "/src/list.c"})"));
}

TEST(Bodies, CapabilitiesListOnlyWhatIsTrue) {
  Capabilities caps;
  caps.supportsConfigurationDoneRequest = true;
  caps.exceptionBreakpointFilters.push_back({"trap", "Wasm traps", "", true});
  json out = toJSON(caps);
  EXPECT_EQ(out, json::parse(R"({"supportsConfigurationDoneRequest": true,
      "exceptionBreakpointFilters": [{"filter": "trap", "label": "Wasm traps", "default": true}]})"));
}

TEST(Bodies, IdsAreClampedToInt32) {
  Variable variable;
  variable.name = "x";
  variable.value = "1";
  variable.variablesReference = int64_t(1) << 40;
  EXPECT_EQ(toJSON(variable)["variablesReference"], INT32_MAX);
}

TEST(Bodies, BreakpointsAndEvents) {
  Breakpoint bp;
  bp.id = 4;
  bp.verified = false;
  bp.message = "no code at or after line 400";
  bp.reason = "failed";
  EXPECT_EQ(toJSON(bp), json::parse(R"({"id": 4, "verified": false,
      "message": "no code at or after line 400", "reason": "failed"})"));
  StoppedEventBody stopped;
  stopped.reason = "exception";
  stopped.threadId = 1;
  stopped.text = "out of bounds memory access";
  json event = toJSON(stopped);
  EXPECT_EQ(event["reason"], "exception");
  EXPECT_EQ(event["text"], "out of bounds memory access");
  EXPECT_FALSE(event.contains("hitBreakpointIds"));
}

TEST(Encoding, Base64RoundTrips) {
  for (size_t size = 0; size < 10; ++size) {
    std::vector<uint8_t> bytes(size);
    for (size_t i = 0; i < size; ++i)
      bytes[i] = uint8_t(i * 37 + 200);
    std::string text = encodeBase64(bytes.data(), bytes.size());
    auto back = decodeBase64(text);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, bytes);
  }
  EXPECT_EQ(encodeBase64(reinterpret_cast<const uint8_t*>("Man"), 3), "TWFu");
  EXPECT_FALSE(decodeBase64("not base64!"));
}

TEST(Encoding, MemoryReferences) {
  EXPECT_EQ(parseMemoryReference("0x10"), 16u);
  EXPECT_EQ(parseMemoryReference("4096"), 4096u);
  EXPECT_FALSE(parseMemoryReference("0x"));
  EXPECT_FALSE(parseMemoryReference("12ab"));
  EXPECT_FALSE(parseMemoryReference("0x1ffffffffffffffff"));
  EXPECT_EQ(formatMemoryReference(0x11a20), "0x00011a20");
}
