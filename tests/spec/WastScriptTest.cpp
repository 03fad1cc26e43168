// Unit tests of the spec runner's own logic: parsing wast2json commands and
// values, the errors a malformed script gives, and the result-matching rules
// (NaN and reference patterns) the whole conformance count depends on.
#include "WastScript.h"

#include <gtest/gtest.h>

namespace wasmscope::spec {
namespace {

Outcome<WastScript> parse(const std::string& text) {
  return parseWastScript(text, "/suite/x/x.json");
}

TEST(WastScript, ParsesModuleAndAssertReturn) {
  auto s = parse(R"({"source_filename": "/a/b/i32.wast", "commands": [
    {"type": "module", "line": 3, "name": "$M", "filename": "i32.0.wasm"},
    {"type": "assert_return", "line": 7,
     "action": {"type": "invoke", "module": "$M", "field": "add",
                "args": [{"type": "i32", "value": "4294967295"}, {"type": "f64", "value": "9221120237041090560"}]},
     "expected": [{"type": "f32", "value": "nan:canonical"}, {"type": "externref", "value": "3"}]}]})");
  ASSERT_TRUE(s.ok()) << s.error();
  const WastScript& script = s.value();
  EXPECT_EQ(script.sourceName, "i32.wast");
  EXPECT_EQ(script.dir, "/suite/x");
  ASSERT_EQ(script.commands.size(), 2u);
  EXPECT_EQ(script.commands[0].type, CommandType::Module);
  EXPECT_EQ(script.commands[0].name, "$M");
  EXPECT_EQ(script.commands[0].filename, "i32.0.wasm");
  const Command& c = script.commands[1];
  EXPECT_EQ(c.type, CommandType::AssertReturn);
  EXPECT_EQ(c.line, 7u);
  ASSERT_TRUE(c.action.has_value());
  EXPECT_EQ(c.action->module, "$M");
  EXPECT_EQ(c.action->field, "add");
  ASSERT_EQ(c.action->args.size(), 2u);
  EXPECT_EQ(c.action->args[0].bits, 0xffffffffu);
  EXPECT_EQ(c.action->args[1].type, WastType::F64);
  EXPECT_EQ(c.action->args[1].bits, 0x7ff8000000000000ull);
  ASSERT_EQ(c.expected.size(), 2u);
  EXPECT_EQ(c.expected[0].kind, WastValue::Kind::CanonicalNan);
  EXPECT_EQ(c.expected[1].type, WastType::ExternRef);
  EXPECT_EQ(c.expected[1].bits, 3u);
}

TEST(WastScript, ParsesOtherCommands) {
  auto s = parse(R"({"commands": [
    {"type": "register", "line": 1, "as": "M"},
    {"type": "action", "line": 2, "action": {"type": "invoke", "field": "f", "args": []}, "expected": []},
    {"type": "assert_return", "line": 3, "action": {"type": "get", "field": "g"}, "expected": [{"type": "i32", "value": "1"}]},
    {"type": "assert_trap", "line": 4, "action": {"type": "invoke", "field": "f", "args": []}, "text": "unreachable", "expected": []},
    {"type": "assert_exhaustion", "line": 5, "action": {"type": "invoke", "field": "f", "args": []}, "text": "call stack exhausted", "expected": []},
    {"type": "assert_malformed", "line": 6, "filename": "x.1.wat", "text": "unknown operator", "module_type": "text"},
    {"type": "assert_invalid", "line": 7, "filename": "x.2.wasm", "text": "type mismatch", "module_type": "binary"},
    {"type": "assert_unlinkable", "line": 8, "filename": "x.3.wasm", "text": "unknown import", "module_type": "binary"},
    {"type": "assert_uninstantiable", "line": 9, "filename": "x.4.wasm", "text": "unreachable", "module_type": "binary"},
    {"type": "assert_trap", "line": 10, "filename": "x.5.wasm", "text": "unreachable", "module_type": "binary"}]})");
  ASSERT_TRUE(s.ok()) << s.error();
  const auto& c = s.value().commands;
  ASSERT_EQ(c.size(), 10u);
  EXPECT_EQ(s.value().sourceName, "x.wast"); // From the JSON name when absent.
  EXPECT_EQ(c[0].type, CommandType::Register);
  EXPECT_EQ(c[0].as, "M");
  EXPECT_TRUE(c[0].name.empty());
  EXPECT_EQ(c[1].type, CommandType::Action);
  EXPECT_EQ(c[2].action->type, Action::Type::Get);
  EXPECT_EQ(c[3].text, "unreachable");
  EXPECT_EQ(c[4].type, CommandType::AssertExhaustion);
  EXPECT_TRUE(c[5].textModule);
  EXPECT_FALSE(c[6].textModule);
  EXPECT_EQ(c[7].type, CommandType::AssertUnlinkable);
  EXPECT_EQ(c[8].type, CommandType::AssertUninstantiable);
  EXPECT_FALSE(c[9].action.has_value());
  EXPECT_EQ(c[9].filename, "x.5.wasm");
}

TEST(WastScript, ReferenceValues) {
  auto s = parse(R"({"commands": [{"type": "assert_return", "line": 1,
    "action": {"type": "invoke", "field": "f", "args": [{"type": "funcref", "value": "null"}]},
    "expected": [{"type": "funcref"}, {"type": "externref", "value": "null"}]}]})");
  ASSERT_TRUE(s.ok()) << s.error();
  const Command& c = s.value().commands[0];
  EXPECT_EQ(c.action->args[0].kind, WastValue::Kind::Null);
  EXPECT_EQ(c.expected[0].kind, WastValue::Kind::AnyRef);
  EXPECT_EQ(c.expected[1].kind, WastValue::Kind::Null);
}

TEST(WastScript, V128ValuesKeepTheirLanes) {
  auto s = parse(R"({"commands": [{"type": "assert_return", "line": 1,
    "action": {"type": "invoke", "field": "f",
               "args": [{"type": "v128", "lane_type": "i16", "value": ["1", "2", "3", "4", "5", "6", "7", "65535"]}]},
    "expected": [{"type": "v128", "lane_type": "f32", "value": ["1065353216", "nan:canonical", "0", "nan:arithmetic"]}]}]})");
  ASSERT_TRUE(s.ok()) << s.error();
  const Command& c = s.value().commands[0];
  const WastValue& arg = c.action->args[0];
  EXPECT_EQ(arg.type, WastType::V128);
  EXPECT_EQ(arg.laneBytes, 2);
  EXPECT_EQ(arg.bits, 0x0004000300020001ull); // Lane 0 in the lowest bytes.
  EXPECT_EQ(arg.high, 0xffff000700060005ull);
  EXPECT_EQ(arg.toString(), "v128:i16x8 {1, 2, 3, 4, 5, 6, 7, 65535}");
  const WastValue& e = c.expected[0];
  EXPECT_EQ(e.laneType, WastType::F32);
  ASSERT_EQ(e.lanes.size(), 4u);
  EXPECT_EQ(e.lanes[1], WastValue::Kind::CanonicalNan);
  EXPECT_EQ(e.lanes[3], WastValue::Kind::ArithmeticNan);
  EXPECT_EQ(e.toString(), "v128:f32x4 {1 (0x3f800000), nan:canonical, 0 (0x00000000), nan:arithmetic}");
}

TEST(WastScript, ErrorsNameTheField) {
  auto bad = [](const std::string& text) {
    auto s = parse(text);
    EXPECT_FALSE(s.ok());
    return s.ok() ? std::string() : s.error();
  };
  EXPECT_NE(bad("{").find("not valid JSON"), std::string::npos);
  EXPECT_NE(bad(R"({"x": 1})").find("(root).commands: missing value"), std::string::npos);
  EXPECT_NE(bad(R"({"commands": [{"type": "module", "line": "3", "filename": "a"}]})")
                .find("commands[0].line: expected an unsigned 32-bit number"),
            std::string::npos);
  EXPECT_NE(bad(R"({"commands": [{"type": "assert_return", "line": 1,
      "action": {"type": "invoke", "field": "f", "args": [{"type": "i32", "value": 5}]},
      "expected": []}]})")
                .find("commands[0].action.args[0].value: expected a string"),
            std::string::npos);
  EXPECT_NE(bad(R"({"commands": [{"type": "assert_return", "line": 1,
      "action": {"type": "invoke", "field": "f", "args": [{"type": "i32", "value": "4294967296"}]},
      "expected": []}]})")
                .find("bad i32 value"),
            std::string::npos);
  EXPECT_NE(bad(R"({"commands": [{"type": "assert_return", "line": 1,
      "action": {"type": "invoke", "field": "f", "args": [{"type": "i64", "value": "nan:canonical"}]},
      "expected": []}]})")
                .find("non-float"),
            std::string::npos);
  EXPECT_NE(bad(R"({"commands": [{"type": "assert_weird", "line": 1}]})").find("unknown command"),
            std::string::npos);
  EXPECT_NE(bad(R"([1, 2])").find("expected an object"), std::string::npos);
}

WastValue f32(uint32_t bits) { return WastValue::number(WastType::F32, bits); }
WastValue f64(uint64_t bits) { return WastValue::number(WastType::F64, bits); }

TEST(Matching, CanonicalNan) {
  WastValue want{WastType::F32, WastValue::Kind::CanonicalNan, 0};
  EXPECT_TRUE(matches(want, f32(0x7fc00000)));
  EXPECT_TRUE(matches(want, f32(0xffc00000))); // Either sign.
  EXPECT_FALSE(matches(want, f32(0x7fc00001))); // Payload beyond the quiet bit.
  EXPECT_FALSE(matches(want, f32(0x7f800001))); // Signalling.
  EXPECT_FALSE(matches(want, f32(0x7f800000))); // Infinity.
  EXPECT_FALSE(matches(want, f64(0x7ff8000000000000ull))); // Wrong type.
  WastValue want64{WastType::F64, WastValue::Kind::CanonicalNan, 0};
  EXPECT_TRUE(matches(want64, f64(0x7ff8000000000000ull)));
  EXPECT_TRUE(matches(want64, f64(0xfff8000000000000ull)));
  EXPECT_FALSE(matches(want64, f64(0x7ff8000000000001ull)));
}

TEST(Matching, ArithmeticNan) {
  WastValue want{WastType::F32, WastValue::Kind::ArithmeticNan, 0};
  EXPECT_TRUE(matches(want, f32(0x7fc00000)));
  EXPECT_TRUE(matches(want, f32(0xffc00123)));
  EXPECT_FALSE(matches(want, f32(0x7fa00000))); // Quiet bit clear.
  WastValue want64{WastType::F64, WastValue::Kind::ArithmeticNan, 0};
  EXPECT_TRUE(matches(want64, f64(0x7ffc000000000000ull)));
  EXPECT_FALSE(matches(want64, f64(0x7ff4000000000000ull)));
}

TEST(Matching, NumbersCompareBits) {
  EXPECT_TRUE(matches(f32(0x80000000), f32(0x80000000)));
  EXPECT_FALSE(matches(f32(0x80000000), f32(0))); // -0 is not +0.
  EXPECT_TRUE(matches(f64(0x7ff4000000000000ull), f64(0x7ff4000000000000ull)));
  EXPECT_FALSE(matches(WastValue::number(WastType::I32, 1), WastValue::number(WastType::I64, 1)));
}

TEST(Matching, References) {
  WastValue null = WastValue::null(WastType::ExternRef);
  WastValue ext3 = WastValue::number(WastType::ExternRef, 3);
  EXPECT_TRUE(matches(null, null));
  EXPECT_FALSE(matches(null, ext3));
  EXPECT_FALSE(matches(ext3, null));
  EXPECT_TRUE(matches(ext3, ext3));
  EXPECT_FALSE(matches(ext3, WastValue::number(WastType::ExternRef, 4)));
  EXPECT_TRUE(matches(WastValue::anyRef(WastType::ExternRef), ext3));
  // A funcref's identity is not visible to scripts: non-null matches non-null.
  WastValue func = WastValue::number(WastType::FuncRef, 0x1234);
  EXPECT_TRUE(matches(WastValue::anyRef(WastType::FuncRef), func));
  EXPECT_TRUE(matches(WastValue::number(WastType::FuncRef, 1), func));
  EXPECT_FALSE(matches(WastValue::null(WastType::FuncRef), func));
  EXPECT_FALSE(matches(WastValue::anyRef(WastType::FuncRef), WastValue::null(WastType::FuncRef)));
}

TEST(Matching, V128LanesInTheExpectedShape) {
  auto v128 = [](const char* laneType, std::vector<const char*> lanes) {
    std::string json = R"({"commands": [{"type": "action", "line": 1, "action": {"type": "invoke", "field": "f", "args": [{"type": "v128", "lane_type": ")";
    json += laneType;
    json += R"(", "value": [)";
    for (size_t i = 0; i < lanes.size(); ++i)
      json += std::string(i ? ", " : "") + "\"" + lanes[i] + "\"";
    json += "]}]}}]}";
    auto s = parse(json);
    EXPECT_TRUE(s.ok()) << s.error();
    return s.ok() ? s.value().commands[0].action->args[0] : WastValue{};
  };
  WastValue ints = v128("i32", {"1", "2", "3", "4"});
  // The same bytes written as i8 lanes match; one different byte does not.
  EXPECT_TRUE(matches(v128("i8", {"1", "0", "0", "0", "2", "0", "0", "0", "3", "0", "0", "0", "4", "0", "0", "0"}), ints));
  EXPECT_FALSE(matches(v128("i8", {"1", "0", "0", "0", "2", "0", "0", "0", "3", "0", "0", "0", "4", "0", "0", "1"}), ints));
  EXPECT_FALSE(matches(v128("i32", {"1", "2", "3", "5"}), ints));
  // NaN patterns apply per float lane; the other lanes compare bits.
  WastValue floats = v128("f32", {"2143289344", "2143289345", "1065353216", "4290772992"});
  EXPECT_TRUE(matches(v128("f32", {"nan:canonical", "nan:arithmetic", "1065353216", "nan:canonical"}), floats));
  EXPECT_FALSE(matches(v128("f32", {"nan:canonical", "nan:canonical", "1065353216", "nan:canonical"}), floats));
  EXPECT_FALSE(matches(v128("f32", {"nan:canonical", "nan:arithmetic", "1065353217", "nan:canonical"}), floats));
  EXPECT_FALSE(matches(v128("f32", {"nan:canonical", "nan:arithmetic", "nan:arithmetic", "nan:canonical"}), floats));
}

TEST(Formatting, Values) {
  EXPECT_EQ(WastValue::number(WastType::I32, 0xffffffff).toString(), "i32:4294967295 (-1)");
  EXPECT_EQ(WastValue::number(WastType::I64, 42).toString(), "i64:42");
  EXPECT_EQ(f32(0x3fc00000).toString(), "f32:1.5 (0x3fc00000)");
  EXPECT_EQ(f32(0xffc00000).toString(), "f32:-nan (0xffc00000)");
  EXPECT_EQ(WastValue::null(WastType::FuncRef).toString(), "funcref:null");
  EXPECT_EQ(toString({WastValue::number(WastType::I32, 1), WastValue::number(WastType::I32, 2)}),
            "(i32:1, i32:2)");
}

} // namespace
} // namespace wasmscope::spec
