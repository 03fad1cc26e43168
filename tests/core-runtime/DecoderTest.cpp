// Tests of the binary decoder (Decoder.cpp and friends) and of BinaryReader:
// malformed inputs with the exact error code and byte offset each must give,
// and a module using every section decoded field by field.
#include "BinaryReader.h"

#include "wasmscope/runtime/Decoder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wasmscope::runtime {
namespace {

using Bytes = std::vector<uint8_t>;

/// The 8-byte header, then `rest`.
Bytes module(std::initializer_list<uint8_t> rest) {
  static constexpr uint8_t kHeader[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  Bytes out(std::begin(kHeader), std::end(kHeader));
  for (uint8_t b : rest)
    out.push_back(b);
  return out;
}

// ---------------------------------------------------------------------------
// BinaryReader

TEST(BinaryReaderTest, UnsignedLeb) {
  Bytes b = {0xe5, 0x8e, 0x26,              // 624485
             0xff, 0xff, 0xff, 0xff, 0x0f,  // UINT32_MAX
             0x80, 0x80, 0x80, 0x80, 0x00}; // 0, padded to 5 bytes
  BinaryReader r(b);
  EXPECT_EQ(r.u32().value(), 624485u);
  EXPECT_EQ(r.u32().value(), UINT32_MAX);
  EXPECT_EQ(r.u32().value(), 0u);
  EXPECT_TRUE(r.atEnd());
}

TEST(BinaryReaderTest, SignedLeb) {
  Bytes b = {0x7f,                                                        // -1
             0x80, 0x80, 0x80, 0x80, 0x78,                                // INT32_MIN
             0xff, 0xff, 0xff, 0xff, 0x07,                                // INT32_MAX
             0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f}; // INT64_MIN
  BinaryReader r(b);
  EXPECT_EQ(r.s32().value(), -1);
  EXPECT_EQ(r.s32().value(), INT32_MIN);
  EXPECT_EQ(r.s32().value(), INT32_MAX);
  EXPECT_EQ(r.s64().value(), INT64_MIN);
  EXPECT_TRUE(r.atEnd());
}

TEST(BinaryReaderTest, LebErrors) {
  struct Case {
    const char* name;
    Bytes bytes;
    int bits; // 32 unsigned, -32 signed, 64, -64, 1, -33
    ErrorCode code;
    uint64_t offset;
  };
  // clang-format off
  const Case cases[] = {
      {"u32 six bytes", {0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 32,
       ErrorCode::IntegerRepresentationTooLong, 5},
      {"u32 unused bits", {0xff, 0xff, 0xff, 0xff, 0x1f}, 32, ErrorCode::IntegerTooLarge, 4},
      {"s32 unused bits disagree", {0xff, 0xff, 0xff, 0xff, 0x4f}, -32,
       ErrorCode::IntegerTooLarge, 4},
      {"s32 positive with sign bits", {0x80, 0x80, 0x80, 0x80, 0x70}, -32,
       ErrorCode::IntegerTooLarge, 4},
      {"s64 eleven bytes",
       {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, -64,
       ErrorCode::IntegerRepresentationTooLong, 10},
      {"s64 unused bits", {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x41}, -64,
       ErrorCode::IntegerTooLarge, 9},
      {"u64 unused bits", {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}, 64,
       ErrorCode::IntegerTooLarge, 9},
      {"u1 is 2", {0x02}, 1, ErrorCode::IntegerTooLarge, 0},
      {"u1 two bytes", {0x81, 0x00}, 1, ErrorCode::IntegerRepresentationTooLong, 1},
      {"s33 unused bits", {0x80, 0x80, 0x80, 0x80, 0x20}, -33, ErrorCode::IntegerTooLarge, 4},
      {"truncated", {0x80, 0x80}, 32, ErrorCode::UnexpectedEnd, 2},
  };
  // clang-format on
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    BinaryReader r(c.bytes);
    Error e;
    switch (c.bits) {
    case 32:
      e = r.u32().error();
      break;
    case -32:
      e = r.s32().error();
      break;
    case 64:
      e = r.u64().error();
      break;
    case -64:
      e = r.s64().error();
      break;
    case 1:
      e = r.u1().error();
      break;
    case -33:
      e = r.s33().error();
      break;
    }
    EXPECT_EQ(e.code, c.code);
    EXPECT_EQ(e.offset, c.offset);
  }
}

TEST(BinaryReaderTest, LengthIsCheckedAgainstBytesLeft) {
  Bytes b = {0x04, 'a', 'b', 'c'}; // length 4 counts its own byte: allowed, then short
  BinaryReader r(b);
  auto range = r.byteVector();
  ASSERT_FALSE(range.ok());
  EXPECT_EQ(range.error().code, ErrorCode::UnexpectedEnd);

  Bytes big = {0x05, 'a', 'b', 'c'}; // more than the bytes left
  BinaryReader r2(big);
  EXPECT_EQ(r2.length().error().code, ErrorCode::LengthOutOfBounds);
}

TEST(BinaryReaderTest, Utf8) {
  auto valid = [](Bytes b) { return isValidUtf8(b.data(), b.size()); };
  EXPECT_TRUE(valid({'a', 0xc2, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80}));
  EXPECT_FALSE(valid({0x80}));                   // lone continuation byte
  EXPECT_FALSE(valid({0xc0, 0x80}));             // overlong NUL
  EXPECT_FALSE(valid({0xe0, 0x80, 0x80}));       // overlong 3-byte form
  EXPECT_FALSE(valid({0xed, 0xa0, 0x80}));       // surrogate U+D800
  EXPECT_FALSE(valid({0xf4, 0x90, 0x80, 0x80})); // above U+10FFFF
  EXPECT_FALSE(valid({0xe2, 0x82}));             // truncated
  EXPECT_FALSE(valid({0xff}));
}

// ---------------------------------------------------------------------------
// Malformed modules

struct MalformedCase {
  const char* name;
  Bytes bytes;
  ErrorCode code;
  uint64_t offset;
};

class MalformedTest : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(MalformedTest, FailsWithCodeAndOffset) {
  const MalformedCase& c = GetParam();
  auto m = decodeModule(c.bytes);
  ASSERT_FALSE(m.ok()) << c.name << " decoded";
  EXPECT_EQ(m.error().code, c.code) << c.name << ": " << m.error().describe();
  EXPECT_EQ(m.error().offset, c.offset) << c.name << ": " << m.error().describe();
}

// clang-format off
const MalformedCase kMalformed[] = {
    {"empty", {}, ErrorCode::UnexpectedEnd, 0},
    {"truncated magic",
     {0x00, 0x61, 0x73}, // "\0as"
     ErrorCode::UnexpectedEnd, 3},
    {"bad magic",
     {0x61, 0x73, 0x6d, 0x00, // "asm\0"
      0x01, 0x00, 0x00, 0x00},
     ErrorCode::MagicHeaderNotDetected, 0},
    {"truncated version",
     {0x00, 0x61, 0x73, 0x6d, // magic
      0x01, 0x00},            // half a version
     ErrorCode::UnexpectedEnd, 6},
    {"bad version",
     {0x00, 0x61, 0x73, 0x6d, // magic
      0x02, 0x00, 0x00, 0x00}, // version 2
     ErrorCode::UnknownBinaryVersion, 4},
    {"section id 13", module({0x0d, // @8 no such section
                              0x00}),
     ErrorCode::MalformedSectionId, 8},
    {"section without size", module({0x00}), // @8 custom section id, then nothing
     ErrorCode::UnexpectedEnd, 9},
    {"LEB count too long",
     module({0x01,                               // @8 type section
             0x06,                               // @9 size 6
             0x80, 0x80, 0x80, 0x80, 0x80, 0x00}), // @10 count 0 in six bytes
     ErrorCode::IntegerRepresentationTooLong, 15},
    {"LEB limit too large",
     module({0x05,                         // @8 memory section
             0x07,                         // @9 size 7
             0x01,                         // @10 one memory
             0x00,                         // @11 no maximum
             0xff, 0xff, 0xff, 0xff, 0x1f}), // @12 min with bit 32 set
     ErrorCode::IntegerTooLarge, 16},
    {"signed LEB too large",
     module({0x06,                         // @8 global section
             0x0a,                         // @9 size 10
             0x01,                         // @10 one global
             0x7f, 0x00,                   // @11 i32, immutable
             0x41,                         // @13 i32.const
             0xff, 0xff, 0xff, 0xff, 0x4f, // @14 unused bits not a sign extension
             0x0b}),                       // @19 end
     ErrorCode::IntegerTooLarge, 18},
    {"section larger than the file",
     module({0x01,              // @8 type section
             0x07,              // @9 size 7, but 4 bytes follow
             0x02,              // @10 two types
             0x60, 0x00, 0x00}), // @11 [] -> []
     ErrorCode::LengthOutOfBounds, 9},
    {"section size mismatch",
     module({0x01,             // @8 type section
             0x07,             // @9 size 7
             0x01,             // @10 one type...
             0x60, 0x00, 0x00, // @11 [] -> []
             0x60, 0x00, 0x00}), // @14 ...but a second one within the size
     ErrorCode::SectionSizeMismatch, 10},
    {"count larger than the bytes left",
     module({0x03,              // @8 function section
             0x03,              // @9 size 3
             0x80, 0x80, 0x04}), // @10 65536 functions
     ErrorCode::LengthOutOfBounds, 10},
    {"vector short of its count",
     module({0x04,  // @8 table section
             0x01,  // @9 size 1
             0x01}), // @10 one table, none given
     ErrorCode::UnexpectedEnd, 11},
    {"function without code",
     module({0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // @8 type section: [] -> []
             0x03, 0x03, 0x02, 0x00, 0x00,       // @14 function section: 2 functions
             0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b}), // @19 code section: 1 body
     ErrorCode::FunctionAndCodeSectionInconsistent, 19},
    {"function section only",
     module({0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // @8 type section
             0x03, 0x02, 0x01, 0x00}),           // @14 function section: 1 function
     ErrorCode::FunctionAndCodeSectionInconsistent, 18},
    {"bad UTF-8 in an import name",
     module({0x02,       // @8 import section
             0x06,       // @9 size 6
             0x01,       // @10 one import
             0x01, 0xff, // @11 module name: one byte, 0xff
             0x00,       // @13 field name ""
             0x00, 0x00}), // @14 func, type 0
     ErrorCode::MalformedUtf8, 11},
    {"bad UTF-8 in a custom section name",
     module({0x00,         // @8 custom section
             0x03,         // @9 size 3
             0x02, 0xc0, 0x80}), // @10 overlong NUL
     ErrorCode::MalformedUtf8, 10},
    {"custom section name past its section",
     module({0x00,        // @8 custom section
             0x00,        // @9 size 0
             0x00}),      // @10 a name "" outside the section
     ErrorCode::UnexpectedEnd, 10},
    {"sections out of order",
     module({0x03, 0x01, 0x00,  // @8 function section, empty
             0x01, 0x01, 0x00}), // @11 type section after it
     ErrorCode::UnexpectedContentAfterLastSection, 11},
    {"duplicate section",
     module({0x01, 0x01, 0x00,  // @8 type section, empty
             0x01, 0x01, 0x00}), // @11 type section again
     ErrorCode::UnexpectedContentAfterLastSection, 11},
    {"data count after code",
     module({0x0a, 0x01, 0x00,  // @8 code section, empty
             0x0c, 0x01, 0x00}), // @11 data count: belongs before code
     ErrorCode::UnexpectedContentAfterLastSection, 11},
    {"data count without data",
     module({0x0c, 0x01, 0x01}), // @8 data count 1, no data section
     ErrorCode::DataCountAndDataSectionInconsistent, 11},
    {"data count differs",
     module({0x0c, 0x01, 0x02,       // @8 data count 2
             0x0b, 0x03, 0x01,       // @11 data section, one segment:
             0x01, 0x00}),           // @14 passive, empty
     ErrorCode::DataCountAndDataSectionInconsistent, 11},
    {"malformed import kind",
     module({0x02, 0x04, // @8 import section, size 4
             0x01,       // @10 one import
             0x00, 0x00, // @11 names "" ""
             0x04}),     // @13 kind 4
     ErrorCode::MalformedImportKind, 13},
    {"malformed export kind",
     module({0x07, 0x04, // @8 export section, size 4
             0x01,       // @10 one export
             0x00,       // @11 name ""
             0x04,       // @12 kind 4
             0x00}),     // @13 index 0
     ErrorCode::MalformedExportKind, 12},
    {"malformed mutability",
     module({0x06, 0x06, // @8 global section, size 6
             0x01,       // @10 one global
             0x7f, 0x02, // @11 i32, mutability 2
             0x41, 0x00, 0x0b}), // @13 i32.const 0 end
     ErrorCode::MalformedMutability, 12},
    {"malformed value type",
     module({0x01, 0x05, // @8 type section, size 5
             0x01,       // @10 one type
             0x60, 0x01, // @11 func, one param
             0x40,       // @13 not a value type
             0x00}),     // @14 no results
     ErrorCode::MalformedValueType, 13},
    {"malformed function type",
     module({0x01, 0x04, 0x01, // @8 type section, one type
             0x61,             // @11 not 0x60
             0x00, 0x00}),
     ErrorCode::MalformedFunctionType, 11},
    {"malformed reference type",
     module({0x04, 0x04, // @8 table section, size 4
             0x01,       // @10 one table
             0x7f,       // @11 i32 is not a reference type
             0x00, 0x00}), // @12 limits: min 0
     ErrorCode::MalformedReferenceType, 11},
    {"limits flag 2",
     module({0x05, 0x03, // @8 memory section
             0x01,       // @10 one memory
             0x02,       // @11 flag 2
             0x00}),
     ErrorCode::IntegerTooLarge, 11},
    {"too many locals",
     module({0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // @8 type section: [] -> []
             0x03, 0x02, 0x01, 0x00,             // @14 function section
             0x0a, 0x0e, 0x01,                   // @18 code section, one body
             0x0c,                               // @21 body size 12
             0x02,                               // @22 two local groups:
             0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, // @23 2^32-1 i32
             0x02, 0x7e,                         // @29 and 2 i64
             0x0b, 0x00, 0x0b}),                 // @31 (filler) end
     ErrorCode::TooManyLocals, 22},
    {"body without end at end of file",
     module({0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // @8 type section
             0x03, 0x02, 0x01, 0x00,             // @14 function section
             0x0a, 0x05, 0x01,                   // @18 code section, one body
             0x03,                               // @21 body size 3
             0x00,                               // @22 no locals
             0x41, 0x01}),                       // @23 i32.const 1, no end
     ErrorCode::UnexpectedEnd, 25},
    {"body without end, another follows",
     module({0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // @8 type section
             0x03, 0x03, 0x02, 0x00, 0x00,       // @14 function section: 2 functions
             0x0a, 0x07, 0x02,                   // @19 code section, two bodies
             0x02, 0x00, 0x01,                   // @22 body 0: nop, no end
             0x02, 0x00, 0x0b}),                 // @25 body 1
     ErrorCode::EndOpcodeExpected, 25},
    {"body size past the file",
     module({0x0a, 0x03, // @8 code section, size 3
             0x01,       // @10 one body
             0x02,       // @11 size 2
             0x00}),     // @12 one byte of the two
     ErrorCode::UnexpectedEnd, 13},
    {"constant expression with a non-constant instruction",
     module({0x06, 0x07, // @8 global section, size 7
             0x01,       // @10 one global
             0x7f, 0x00, // @11 i32, immutable
             0x41, 0x00, // @13 i32.const 0
             0x01,       // @15 nop
             0x0b}),     // @16 end
     ErrorCode::ConstantExpressionRequired, 15},
    {"empty constant expression",
     module({0x06, 0x04, 0x01, 0x7f, 0x00, // @8 global section: i32, immutable
             0x0b}),                       // @13 end straight away
     ErrorCode::TypeMismatch, 13},
    {"two-instruction constant expression",
     module({0x06, 0x08, 0x01, 0x7f, 0x00, // @8 global section: i32, immutable
             0x41, 0x00,                   // @13 i32.const 0
             0x41, 0x00,                   // @15 i32.const 0
             0x0b}),                       // @17 end
     ErrorCode::TypeMismatch, 13},
    {"illegal opcode in a constant expression",
     module({0x06, 0x06, 0x01, 0x7f, 0x00, // @8 global section: i32, immutable
             0xf3, 0x00,                   // @13 no such opcode
             0x0b}),
     ErrorCode::IllegalOpcode, 13},
    {"constant expression without end",
     module({0x06, 0x05, 0x01, 0x7f, 0x00, // @8 global section: i32, immutable
             0x41, 0x00}),                 // @13 i32.const 0, then the file ends
     ErrorCode::UnexpectedEnd, 15},
    {"malformed element kind",
     module({0x09, 0x04, // @8 element section, size 4
             0x01,       // @10 one segment
             0x01,       // @11 passive, with an element kind
             0x01,       // @12 kind 1 does not exist
             0x00}),     // @13 no items
     ErrorCode::MalformedElementKind, 12},
    {"element segment flags 8",
     module({0x09, 0x02, 0x01, // @8 element section, one segment
             0x08}),           // @11 flags 8
     ErrorCode::MalformedSegmentKind, 11},
    {"data segment flags 3",
     module({0x0b, 0x02, 0x01, // @8 data section, one segment
             0x03}),           // @11 flags 3
     ErrorCode::MalformedSegmentKind, 11},
    {"data bytes past the file",
     module({0x0b, 0x07, // @8 data section, size 7
             0x01,       // @10 one segment
             0x01,       // @11 passive
             0x05,       // @12 five bytes...
             0x61, 0x62, 0x63, 0x64}), // @13 ...four given
     ErrorCode::UnexpectedEnd, 17},
};
// clang-format on

INSTANTIATE_TEST_SUITE_P(Decoder, MalformedTest, ::testing::ValuesIn(kMalformed),
                         [](const ::testing::TestParamInfo<MalformedCase>& info) {
                           std::string name;
                           for (const char* p = info.param.name; *p; ++p)
                             name += std::isalnum(uint8_t(*p)) ? *p : '_';
                           return name;
                         });

TEST(DecoderTest, ErrorsUseTheSpecWording) {
  auto m = decodeModule(module({0x02, 0x04, 0x01, 0x00, 0x00, 0x04}));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().message, "malformed import kind");
  EXPECT_EQ(m.error().phase(), ErrorPhase::Decode);
  EXPECT_EQ(m.error().describe(), "malformed import kind at offset 0xd");

  auto e = decodeModule(module({0x0a, 0x03, 0x01, 0x02, 0x00}));
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "unexpected end of section or function");
}

// ---------------------------------------------------------------------------
// Well-formed modules

/// A module with one of every section; the comment gives each part's offset.
// clang-format off
const Bytes kFullModule = module({
    // @8 type section, 9 bytes of contents
    0x01, 0x09, 0x02,
    0x60, 0x01, 0x7f, 0x01, 0x7f, // @11 type 0: [i32] -> [i32]
    0x60, 0x00, 0x00,             // @16 type 1: [] -> []
    // @19 import section, 18 bytes
    0x02, 0x12, 0x02,
    0x03, 'e', 'n', 'v', 0x01, 'f', 0x00, 0x00,       // @22 env.f: func, type 0
    0x03, 'e', 'n', 'v', 0x01, 'g', 0x03, 0x7f, 0x00, // @30 env.g: global i32
    // @39 function section: functions 1 and 2 have types 0 and 1
    0x03, 0x03, 0x02, 0x00, 0x01,
    // @44 table section: funcref, min 2
    0x04, 0x04, 0x01, 0x70, 0x00, 0x02,
    // @50 memory section: min 1, max 2
    0x05, 0x04, 0x01, 0x01, 0x01, 0x02,
    // @56 global section: (mut i64) = 42
    0x06, 0x06, 0x01, 0x7e, 0x01, 0x42, 0x2a, 0x0b,
    // @64 export section, 13 bytes
    0x07, 0x0d, 0x02,
    0x03, 'r', 'u', 'n', 0x00, 0x01, // @67 "run": func 1
    0x03, 'm', 'e', 'm', 0x02, 0x00, // @73 "mem": memory 0
    // @79 start section: function 2
    0x08, 0x01, 0x02,
    // @82 element section: active, table 0, offset i32.const 0, funcs 1 and 2
    0x09, 0x08, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x02, 0x01, 0x02,
    // @92 data count section: 1
    0x0c, 0x01, 0x01,
    // @95 code section, contents at 97
    0x0a, 0x0b, 0x02,
    0x06, 0x01, 0x02, 0x7e, 0x20, 0x00, 0x0b, // @98 body: 2 x i64; local.get 0 end
    0x02, 0x00, 0x0b,                         // @105 body: no locals; end
    // @108 data section: active, memory 0, offset i32.const 8, "hi"
    0x0b, 0x08, 0x01, 0x00, 0x41, 0x08, 0x0b, 0x02, 'h', 'i',
    // @118 custom section "name", 25 bytes
    0x00, 0x19, 0x04, 'n', 'a', 'm', 'e',
    0x00, 0x02, 0x01, 'm',                         // @125 module name "m"
    0x01, 0x06, 0x01, 0x01, 0x03, 'r', 'u', 'n',   // @129 function 1 "run"
    0x02, 0x06, 0x01, 0x01, 0x01, 0x00, 0x01, 'x', // @137 function 1, local 0 "x"
    // @145 custom section "extra" with payload 01 02 03 at 153
    0x00, 0x09, 0x05, 'e', 'x', 't', 'r', 'a', 0x01, 0x02, 0x03,
});
// clang-format on

TEST(DecoderTest, FullModule) {
  auto r = decodeModule(kFullModule);
  ASSERT_TRUE(r.ok()) << r.error().describe();
  const Module& m = *r;
  EXPECT_EQ(m.bytes, kFullModule);

  ASSERT_EQ(m.types.size(), 2u);
  EXPECT_EQ(m.types[0].toString(), "[i32] -> [i32]");
  EXPECT_EQ(m.types[1].toString(), "[] -> []");

  ASSERT_EQ(m.imports.size(), 2u);
  EXPECT_EQ(m.imports[0].module, "env");
  EXPECT_EQ(m.imports[0].name, "f");
  EXPECT_EQ(m.imports[0].kind, ExternKind::Func);
  EXPECT_EQ(m.imports[0].byteOffset, 22u);
  EXPECT_EQ(m.imports[1].kind, ExternKind::Global);
  EXPECT_EQ(m.imports[1].global, (GlobalType{ValType::I32, false}));
  EXPECT_EQ(m.numImportedFuncs, 1u);
  EXPECT_EQ(m.numImportedGlobals, 1u);
  EXPECT_EQ(m.numImportedTables, 0u);

  EXPECT_EQ(m.functions, (std::vector<TypeIndex>{0, 1}));
  EXPECT_EQ(m.numFuncs(), 3u);
  EXPECT_EQ(m.funcTypeIndex(0), 0u);
  EXPECT_EQ(m.funcTypeIndex(2), 1u);

  ASSERT_EQ(m.tables.size(), 1u);
  EXPECT_EQ(m.tables[0].elemType, ValType::FuncRef);
  EXPECT_EQ(m.tables[0].limits, (Limits{2, std::nullopt}));
  ASSERT_EQ(m.memories.size(), 1u);
  EXPECT_EQ(m.memories[0].limits, (Limits{1, 2}));

  ASSERT_EQ(m.globals.size(), 1u);
  EXPECT_EQ(m.globals[0].type, (GlobalType{ValType::I64, true}));
  EXPECT_EQ(m.globals[0].init.kind, ConstExpr::Kind::I64);
  EXPECT_EQ(m.globals[0].init.bits, 42u);
  EXPECT_EQ(m.globals[0].init.offset, 61u);
  EXPECT_EQ(m.globalType(0), (GlobalType{ValType::I32, false}));
  EXPECT_EQ(m.globalType(1), (GlobalType{ValType::I64, true}));

  ASSERT_EQ(m.exports.size(), 2u);
  EXPECT_EQ(m.exports[0].name, "run");
  EXPECT_EQ(m.exports[0].kind, ExternKind::Func);
  EXPECT_EQ(m.exports[0].index, 1u);
  EXPECT_EQ(m.exports[1].name, "mem");
  EXPECT_EQ(m.exports[1].kind, ExternKind::Memory);
  EXPECT_EQ(m.exports[1].byteOffset, 73u);

  EXPECT_EQ(m.start, 2u);

  ASSERT_EQ(m.elems.size(), 1u);
  const ElemSegment& elem = m.elems[0];
  EXPECT_EQ(elem.mode, SegmentMode::Active);
  EXPECT_EQ(elem.table, 0u);
  EXPECT_EQ(elem.offset.kind, ConstExpr::Kind::I32);
  EXPECT_EQ(elem.elemType, ValType::FuncRef);
  ASSERT_EQ(elem.items.size(), 2u);
  EXPECT_EQ(elem.items[0].kind, ConstExpr::Kind::RefFunc);
  EXPECT_EQ(elem.items[0].bits, 1u);
  EXPECT_EQ(elem.items[1].bits, 2u);
  EXPECT_EQ(elem.byteOffset, 85u);

  EXPECT_EQ(m.dataCount, 1u);

  EXPECT_EQ(m.codeSectionOffset, 97u);
  ASSERT_EQ(m.codes.size(), 2u);
  const Code& c0 = m.codes[0];
  ASSERT_EQ(c0.locals.size(), 1u);
  EXPECT_EQ(c0.locals[0].count, 2u);
  EXPECT_EQ(c0.locals[0].type, ValType::I64);
  EXPECT_EQ(c0.totalLocals, 2u);
  EXPECT_EQ(c0.whole.begin, 98u);
  EXPECT_EQ(c0.whole.end, 105u);
  EXPECT_EQ(c0.body.begin, 102u);
  EXPECT_EQ(c0.body.end, 105u);
  EXPECT_EQ(m.bytes[c0.body.end - 1], 0x0b);
  const Code& c1 = m.codes[1];
  EXPECT_TRUE(c1.locals.empty());
  EXPECT_EQ(c1.whole.begin, 105u);
  EXPECT_EQ(c1.body.begin, 107u);
  EXPECT_EQ(c1.body.end, 108u);

  ASSERT_EQ(m.datas.size(), 1u);
  const DataSegment& data = m.datas[0];
  EXPECT_EQ(data.mode, SegmentMode::Active);
  EXPECT_EQ(data.offset.bits, 8u);
  EXPECT_EQ(data.bytes.begin, 116u);
  EXPECT_EQ(data.bytes.end, 118u);

  ASSERT_EQ(m.customSections.size(), 2u);
  EXPECT_EQ(m.customSections[0].name, "name");
  EXPECT_EQ(m.customSections[0].contents.begin, 125u);
  EXPECT_EQ(m.customSections[0].contents.end, 145u);
  const CustomSection* extra = m.findCustomSection("extra");
  ASSERT_NE(extra, nullptr);
  EXPECT_EQ(extra->contents.begin, 153u);
  EXPECT_EQ(extra->contents.end, 156u);
  EXPECT_EQ(m.findCustomSection("missing"), nullptr);

  EXPECT_EQ(m.names.moduleName, "m");
  EXPECT_EQ(m.functionName(1), "run");
  EXPECT_EQ(m.functionName(2), "");
  ASSERT_EQ(m.names.localNames.count(1), 1u);
  EXPECT_EQ(m.names.localNames.at(1).at(0), "x");

  // Every section, in file order.
  std::vector<uint8_t> ids;
  for (const SectionInfo& s : m.sections)
    ids.push_back(s.id);
  EXPECT_EQ(ids, (std::vector<uint8_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 10, 11, 0, 0}));
  EXPECT_EQ(m.sections[10].offset, 95u);
  EXPECT_EQ(m.sections[10].contents.begin, 97u);
  EXPECT_EQ(m.sections[10].contents.end, 108u);
}

TEST(DecoderTest, EmptyModule) {
  auto m = decodeModule(module({}));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->numFuncs(), 0u);
  EXPECT_TRUE(m->sections.empty());
}

TEST(DecoderTest, CustomSectionsAnywhere) {
  Bytes b = module({
      0x00, 0x02, 0x01, 'a',              // @8 custom "a", empty
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // @12 type section
      0x00, 0x04, 0x01, 'b',  0xaa, 0xbb, // @18 custom "b": aa bb at 22
      0x03, 0x01, 0x00,                   // @24 function section, empty
  });
  auto m = decodeModule(b);
  ASSERT_TRUE(m.ok()) << m.error().describe();
  ASSERT_EQ(m->customSections.size(), 2u);
  EXPECT_EQ(m->customSections[0].name, "a");
  EXPECT_EQ(m->customSections[0].contents.size(), 0u);
  EXPECT_EQ(m->customSections[1].name, "b");
  EXPECT_EQ(m->customSections[1].contents.begin, 22u);
  EXPECT_EQ(m->customSections[1].contents.end, 24u);
}

TEST(DecoderTest, MalformedNameSectionIsIgnored) {
  Bytes b = module({
      0x00, 0x0d, 0x04, 'n', 'a', 'm', 'e', // @8 custom "name", 13 bytes
      0x00, 0x02, 0x01, 'm',                // @15 module name "m"
      0x01, 0x05,                           // @19 function names, size 5...
      0x01, 0x00,                           // @21 ...one name for function 0
  });                                       //     but the section ends
  auto m = decodeModule(b);
  ASSERT_TRUE(m.ok()) << m.error().describe();
  EXPECT_FALSE(m->names.moduleName.has_value());
  EXPECT_TRUE(m->names.functionNames.empty());
  ASSERT_EQ(m->customSections.size(), 1u);

  Bytes bad = module({
      0x00, 0x09, 0x04, 'n', 'a', 'm', 'e', // @8 custom "name", 9 bytes
      0x00, 0x02, 0x01, 0xff,               // @15 module name with bad UTF-8
  });
  auto m2 = decodeModule(bad);
  ASSERT_TRUE(m2.ok()) << m2.error().describe();
  EXPECT_FALSE(m2->names.moduleName.has_value());
}

TEST(DecoderTest, ElementSegmentForms) {
  Bytes b = module({
      0x09, 0x1c, 0x05,                         // @8 element section, 5 segments
      0x01, 0x00, 0x01, 0x00,                   // @11 passive, funcref, [func 0]
      0x02, 0x01, 0x41, 0x03, 0x0b, 0x00, 0x00, // @15 active table 1, offset 3, funcref, []
      0x03, 0x00, 0x00,                         // @22 declarative, funcref, []
      0x05, 0x6f, 0x01, 0xd0, 0x6f, 0x0b,       // @25 passive externref [ref.null extern]
      0x06, 0x02, 0x23, 0x00, 0x0b, 0x70, 0x00, // @31 active table 2, global.get 0, funcref, []
  });
  auto m = decodeModule(b);
  ASSERT_TRUE(m.ok()) << m.error().describe();
  ASSERT_EQ(m->elems.size(), 5u);
  EXPECT_EQ(m->elems[0].mode, SegmentMode::Passive);
  EXPECT_EQ(m->elems[0].items.size(), 1u);
  EXPECT_EQ(m->elems[1].mode, SegmentMode::Active);
  EXPECT_EQ(m->elems[1].table, 1u);
  EXPECT_EQ(m->elems[1].offset.bits, 3u);
  EXPECT_EQ(m->elems[2].mode, SegmentMode::Declarative);
  EXPECT_EQ(m->elems[3].elemType, ValType::ExternRef);
  EXPECT_EQ(m->elems[3].items[0].kind, ConstExpr::Kind::RefNull);
  EXPECT_EQ(m->elems[3].items[0].refType, ValType::ExternRef);
  EXPECT_EQ(m->elems[4].table, 2u);
  EXPECT_EQ(m->elems[4].offset.kind, ConstExpr::Kind::GlobalGet);
}

TEST(DecoderTest, DataSegmentForms) {
  Bytes b = module({
      0x0b, 0x0f, 0x03,                   // @8 data section, 3 segments
      0x00, 0x41, 0x7f, 0x0b, 0x00,       // @11 active, memory 0, offset -1, ""
      0x01, 0x01, 0x7a,                   // @16 passive, "z"
      0x02, 0x00, 0x41, 0x01, 0x0b, 0x00, // @19 active, memory 0, offset 1, ""
  });
  auto m = decodeModule(b);
  ASSERT_TRUE(m.ok()) << m.error().describe();
  ASSERT_EQ(m->datas.size(), 3u);
  EXPECT_EQ(m->datas[0].offset.bits, 0xffffffffu);
  EXPECT_EQ(m->datas[1].mode, SegmentMode::Passive);
  EXPECT_EQ(m->datas[1].bytes.begin, 18u);
  EXPECT_EQ(m->datas[1].bytes.size(), 1u);
  EXPECT_EQ(m->datas[2].mode, SegmentMode::Active);
}

TEST(DecoderTest, ConstantExpressionKinds) {
  Bytes b = module({
      0x06, 0x1f, 0x04,                               // @8 global section, 4 globals
      0x7d, 0x00, 0x43, 0x00, 0x00, 0xc0, 0x3f, 0x0b, // @11 f32 1.5
      0x7c, 0x00, 0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x3f, 0x0b, // @19 f64 1.5
      0x70, 0x00, 0xd2, 0x07, 0x0b, // @31 funcref ref.func 7
      0x7e, 0x00, 0x42, 0x7f, 0x0b, // @36 i64 -1
  });
  auto m = decodeModule(b);
  ASSERT_TRUE(m.ok()) << m.error().describe();
  ASSERT_EQ(m->globals.size(), 4u);
  EXPECT_EQ(m->globals[0].init.kind, ConstExpr::Kind::F32);
  EXPECT_EQ(m->globals[0].init.bits, 0x3fc00000u);
  EXPECT_EQ(m->globals[1].init.kind, ConstExpr::Kind::F64);
  EXPECT_EQ(m->globals[1].init.bits, 0x3ff8000000000000ull);
  EXPECT_EQ(m->globals[2].init.kind, ConstExpr::Kind::RefFunc);
  EXPECT_EQ(m->globals[2].init.bits, 7u);
  EXPECT_EQ(m->globals[3].init.bits, ~uint64_t(0));
}

TEST(DecoderTest, LocalCountsMaySumToTheLimit) {
  Bytes b = module({
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // @8 type section
      0x03, 0x02, 0x01, 0x00,             // @14 function section
      0x0a, 0x0c, 0x01, 0x0a,             // @18 code section, body size 10
      0x02,                               // @22 two groups
      0xfe, 0xff, 0xff, 0xff, 0x0f, 0x7f, // @23 2^32-2 i32
      0x01, 0x7e,                         // @29 1 i64
      0x0b,                               // @31 end
  });
  auto m = decodeModule(b);
  ASSERT_TRUE(m.ok()) << m.error().describe();
  EXPECT_EQ(m->codes[0].totalLocals, uint64_t(UINT32_MAX));
}

TEST(DecoderTest, ManyFunctionsDecodeInLinearTime) {
  // 100000 functions of type [] -> []: a regression guard against quadratic
  // behaviour, fast enough to be a unit test.
  const uint32_t n = 100000;
  Bytes b = module({0x01, 0x04, 0x01, 0x60, 0x00, 0x00});
  auto leb = [&](Bytes& out, uint32_t v) {
    do {
      uint8_t byte = v & 0x7f;
      v >>= 7;
      out.push_back(byte | (v ? 0x80 : 0));
    } while (v);
  };
  Bytes funcs, code;
  leb(funcs, n);
  leb(code, n);
  for (uint32_t i = 0; i < n; ++i) {
    funcs.push_back(0x00);
    code.insert(code.end(), {0x02, 0x00, 0x0b});
  }
  b.push_back(0x03);
  leb(b, uint32_t(funcs.size()));
  b.insert(b.end(), funcs.begin(), funcs.end());
  b.push_back(0x0a);
  leb(b, uint32_t(code.size()));
  b.insert(b.end(), code.begin(), code.end());
  auto m = decodeModule(b);
  ASSERT_TRUE(m.ok()) << m.error().describe();
  EXPECT_EQ(m->codes.size(), n);
}

} // namespace
} // namespace wasmscope::runtime
