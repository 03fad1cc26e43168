// Decoding and validation of SIMD function bodies and constant expressions,
// built byte by byte (wat2wasm checks lanes and types itself, so it could
// not produce these), and the precedence and wording rules the strict spec
// driver holds us to: a malformed body anywhere wins over an invalid one
// earlier, and the messages of select, data.drop and lane errors.
#include "wasmscope/runtime/Compiler.h"
#include "wasmscope/runtime/Decoder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wasmscope::runtime {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes section(uint8_t id, const Bytes& contents) {
  Bytes out{id, uint8_t(contents.size())}; // Every section here is < 128 bytes.
  out.insert(out.end(), contents.begin(), contents.end());
  return out;
}

/// A module of functions of type [] -> `results`, one per body, with one page
/// of memory. `extra` sections are placed after the code section (data) or,
/// with `beforeCode`, between the memory and code sections (globals).
Bytes module(const std::vector<Bytes>& bodies, Bytes results = {}, Bytes beforeCode = {},
             Bytes afterCode = {}) {
  Bytes m{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  Bytes type{0x01, 0x60, 0x00, uint8_t(results.size())};
  type.insert(type.end(), results.begin(), results.end());
  Bytes funcs{uint8_t(bodies.size())};
  funcs.insert(funcs.end(), bodies.size(), 0x00);
  Bytes code{uint8_t(bodies.size())};
  for (const Bytes& b : bodies) {
    code.push_back(uint8_t(b.size() + 1)); // body size: locals count + body
    code.push_back(0x00);                  // no locals
    code.insert(code.end(), b.begin(), b.end());
  }
  for (const Bytes& s : {section(1, type), section(3, funcs), section(5, {0x01, 0x00, 0x01}),
                         beforeCode, section(10, code), afterCode})
    m.insert(m.end(), s.begin(), s.end());
  return m;
}

/// The error compiling `bytes` gives, or "accepted".
std::string outcome(const Bytes& bytes) {
  auto m = loadModule(bytes);
  return m.ok() ? "accepted" : m.error().describe();
}

bool startsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

const Bytes kZeros16 = Bytes(16, 0x00);

Bytes v128Const() {
  Bytes b{0xfd, 0x0c}; // v128.const
  b.insert(b.end(), kZeros16.begin(), kZeros16.end());
  return b;
}
Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts)
    out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(SimdValidation, WellFormedBodiesAreAccepted) {
  // v128.const; i32x4.extract_lane 3; end
  EXPECT_EQ(outcome(module({concat({v128Const(), {0xfd, 0x1b, 0x03, 0x0b}})}, {0x7f})), "accepted");
  // i32.const 0; v128.const; v128.store16_lane align=1 offset=0 lane 7; end
  EXPECT_EQ(outcome(module({concat({{0x41, 0x00}, v128Const(), {0xfd, 0x59, 0x01, 0x00, 0x07, 0x0b}})})),
            "accepted");
}

TEST(SimdValidation, LaneIndicesAreChecked) {
  // v128.const; i8x16.extract_lane_u 16; end
  std::string e = outcome(module({concat({v128Const(), {0xfd, 0x16, 0x10, 0x0b}})}, {0x7f}));
  EXPECT_TRUE(startsWith(e, "invalid lane index")) << e;
  // v128.const; i64x2.replace_lane 2 with an i64; end
  e = outcome(module({concat({v128Const(), {0x42, 0x00, 0xfd, 0x1e, 0x02, 0x0b}})}, {0x7b}));
  EXPECT_TRUE(startsWith(e, "invalid lane index")) << e;
  // v128.const; v128.const; i8x16.shuffle with a lane 32; end
  Bytes shuffle{0xfd, 0x0d};
  for (int i = 0; i < 16; ++i)
    shuffle.push_back(i == 9 ? 32 : uint8_t(i));
  e = outcome(module({concat({v128Const(), v128Const(), shuffle, {0x0b}})}, {0x7b}));
  EXPECT_TRUE(startsWith(e, "invalid lane index")) << e;
  // i32.const 0; v128.const; v128.load64_lane align=3 offset=0 lane 2; end
  e = outcome(module({concat({{0x41, 0x00}, v128Const(), {0xfd, 0x57, 0x03, 0x00, 0x02, 0x0b}})}, {0x7b}));
  EXPECT_TRUE(startsWith(e, "invalid lane index")) << e;
  // v128.load8_splat with align=1 (2 bytes > 1): alignment, not the lane.
  e = outcome(module({{0x41, 0x00, 0xfd, 0x07, 0x01, 0x00, 0x1a, 0x0b}}));
  EXPECT_TRUE(startsWith(e, "alignment must not be larger than natural")) << e;
}

TEST(SimdValidation, OperandTypesAndUnknownOpcodes) {
  // i32.const 1; i32.const 1; i32x4.add; end
  std::string e = outcome(module({{0x41, 0x01, 0x41, 0x01, 0xfd, 0xae, 0x01, 0x0b}}, {0x7b}));
  EXPECT_TRUE(startsWith(e, "type mismatch")) << e;
  // v128.const; i32.const 1; i8x16.shl gives a v128, not an i32; end
  e = outcome(module({concat({v128Const(), {0x41, 0x01, 0xfd, 0x6b, 0x0b}})}, {0x7f}));
  EXPECT_TRUE(startsWith(e, "type mismatch")) << e;
  // 0xfd 154 is not an instruction (i16x8 has no 154).
  e = outcome(module({{0xfd, 0x9a, 0x01, 0x0b}}));
  EXPECT_TRUE(startsWith(e, "illegal opcode")) << e;
}

TEST(SimdValidation, V128ConstantExpressions) {
  // global v128 = v128.const 1..16: valid.
  Bytes global{0x01, 0x7b, 0x00, 0xfd, 0x0c};
  for (int i = 1; i <= 16; ++i)
    global.push_back(uint8_t(i));
  global.push_back(0x0b);
  auto m = decodeModule(module({{0x0b}}, {}, section(6, global)));
  ASSERT_TRUE(m.ok()) << m.error().describe();
  EXPECT_EQ(m->globals[0].init.kind, ConstExpr::Kind::V128);
  EXPECT_EQ(m->globals[0].init.bits, 0x0807060504030201ull);
  EXPECT_EQ(m->globals[0].init.high, 0x100f0e0d0c0b0a09ull);
  EXPECT_EQ(outcome(module({{0x0b}}, {}, section(6, global))), "accepted");
  // An i32 global initialised with a v128 constant.
  global[1] = 0x7f;
  EXPECT_TRUE(startsWith(outcome(module({{0x0b}}, {}, section(6, global))), "type mismatch"));
  // Other SIMD instructions are not constant.
  Bytes splat{0x01, 0x7b, 0x00, 0x41, 0x00, 0xfd, 0x11, 0x0b}; // i32.const 0; i32x4.splat
  EXPECT_TRUE(startsWith(outcome(module({{0x0b}}, {}, section(6, splat))),
                         "constant expression required"));
}

TEST(Precedence, AMalformedBodyWinsOverAnEarlierInvalidOne) {
  Bytes invalid{0x41, 0x00, 0x42, 0x00, 0x6a, 0x1a, 0x0b}; // i32.const; i64.const; i32.add
  Bytes malformed{0x01, 0xff, 0x0b};                        // nop; 0xff is no opcode
  std::string e = outcome(module({invalid, malformed}));
  EXPECT_TRUE(startsWith(e, "illegal opcode 0xff")) << e;
  EXPECT_NE(e.find("(function 1)"), std::string::npos) << e;
  // Within one body: a type index past the end is invalid, but the block
  // never ends before the body does (binary.wast's br_table count case).
  Bytes unended{0x02, 0x40, 0x02, 0x0b, 0x0b}; // block; block (type 11); end; end
  e = outcome(module({unended}));
  EXPECT_TRUE(startsWith(e, "unexpected end")) << e;
  // Invalid everywhere but malformed nowhere: the validation error stays.
  e = outcome(module({invalid, {0x01, 0x0b}}));
  EXPECT_TRUE(startsWith(e, "type mismatch")) << e;
  EXPECT_NE(e.find("(function 0)"), std::string::npos) << e;
  // A malformed SIMD immediate (a lane byte missing at the body's end).
  e = outcome(module({invalid, concat({v128Const(), {0xfd, 0x15}})}));
  EXPECT_TRUE(startsWith(e, "unexpected end")) << e;
}

TEST(Wording, SelectDataDropAndLanesNameTheSpecsFault) {
  // nop; nop; i32.const 1; select: as wast2json writes `select (result)`,
  // and as `(select (nop) (nop) (i32.const 1))` is written; the spec tests
  // expect "invalid result arity" for one and "type mismatch" for the other.
  std::string e = outcome(module({{0x01, 0x01, 0x41, 0x01, 0x1b, 0x0b}}));
  EXPECT_TRUE(startsWith(e, "type mismatch")) << e;
  EXPECT_NE(e.find("invalid result arity"), std::string::npos) << e;
  // select (result) with zero types, written as such.
  e = outcome(module({{0x41, 0x00, 0x41, 0x00, 0x41, 0x01, 0x1c, 0x00, 0x0b}}));
  EXPECT_TRUE(startsWith(e, "invalid result arity")) << e;
  // One operand below the condition is an ordinary type mismatch.
  e = outcome(module({{0x41, 0x00, 0x41, 0x01, 0x1b, 0x1a, 0x0b}}));
  EXPECT_TRUE(startsWith(e, "type mismatch")) << e;
  EXPECT_EQ(e.find("arity"), std::string::npos) << e;
  // data.drop 0 with no data at all: the segment is unknown...
  e = outcome(module({{0xfc, 0x09, 0x00, 0x0b}}));
  EXPECT_TRUE(startsWith(e, "unknown data segment")) << e;
  // ...but with a data segment and no data count section, the section is missing.
  Bytes data{0x01, 0x01, 0x00}; // one passive segment of no bytes
  e = outcome(module({{0xfc, 0x09, 0x00, 0x0b}}, {}, {}, section(11, data)));
  EXPECT_TRUE(startsWith(e, "data count section required")) << e;
}

} // namespace
} // namespace wasmscope::runtime
