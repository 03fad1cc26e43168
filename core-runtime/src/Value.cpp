// Text form of a typed value ("i32:42", "f64:1.5", "funcref:null") for
// messages, traces and the command-line tool. Floats print in the shortest
// form that reads back to the same bits; NaNs show their payload.
#include "wasmscope/runtime/Value.h"

#include "wasmscope/runtime/Instance.h"

#include <bit>
#include <charconv>
#include <cinttypes>
#include <cmath>
#include <cstdio>

namespace wasmscope::runtime {

namespace {

template <typename F> std::string floatText(F value, uint64_t mantissaBits, bool negative) {
  if (std::isnan(value)) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%snan:0x%" PRIx64, negative ? "-" : "", mantissaBits);
    return buf;
  }
  if (std::isinf(value))
    return negative ? "-inf" : "inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  if (ec != std::errc())
    return "?";
  return std::string(buf, end);
}

} // namespace

const char* v128ShapeName(V128Shape shape) {
  switch (shape) {
  case V128Shape::I8x16: return "i8x16";
  case V128Shape::I16x8: return "i16x8";
  case V128Shape::I32x4: return "i32x4";
  case V128Shape::I64x2: return "i64x2";
  case V128Shape::F32x4: return "f32x4";
  case V128Shape::F64x2: return "f64x2";
  }
  return "?";
}

std::string v128Text(V128 v, V128Shape shape) {
  uint8_t bytes[16];
  std::memcpy(bytes, &v.lo, 8);
  std::memcpy(bytes + 8, &v.hi, 8);
  std::string out = std::string(v128ShapeName(shape)) + " {";
  auto lane = [&](auto sample, int i) {
    decltype(sample) x;
    std::memcpy(&x, bytes + i * sizeof x, sizeof x);
    return x;
  };
  int lanes = 0;
  switch (shape) {
  case V128Shape::I8x16: lanes = 16; break;
  case V128Shape::I16x8: lanes = 8; break;
  case V128Shape::I32x4:
  case V128Shape::F32x4: lanes = 4; break;
  case V128Shape::I64x2:
  case V128Shape::F64x2: lanes = 2; break;
  }
  for (int i = 0; i < lanes; ++i) {
    if (i)
      out += ", ";
    switch (shape) {
    case V128Shape::I8x16: out += std::to_string(lane(int8_t(), i)); break;
    case V128Shape::I16x8: out += std::to_string(lane(int16_t(), i)); break;
    case V128Shape::I32x4: out += std::to_string(lane(int32_t(), i)); break;
    case V128Shape::I64x2: out += std::to_string(lane(int64_t(), i)); break;
    case V128Shape::F32x4: {
      uint32_t b = lane(uint32_t(), i);
      out += floatText(std::bit_cast<float>(b), b & 0x7fffffu, (b >> 31) != 0);
      break;
    }
    case V128Shape::F64x2: {
      uint64_t b = lane(uint64_t(), i);
      out += floatText(std::bit_cast<double>(b), b & 0xfffffffffffffull, (b >> 63) != 0);
      break;
    }
    }
  }
  return out + "}";
}

std::string Value::toString() const {
  std::string prefix = std::string(valTypeName(type)) + ":";
  switch (type) {
  case ValType::I32:
    return prefix + std::to_string(int32_t(asI32()));
  case ValType::I64:
    return prefix + std::to_string(int64_t(asI64()));
  case ValType::F32: {
    uint32_t b = uint32_t(bits);
    return prefix + floatText(asF32(), b & 0x7fffffu, (b >> 31) != 0);
  }
  case ValType::F64:
    return prefix + floatText(asF64(), bits & 0xfffffffffffffull, (bits >> 63) != 0);
  case ValType::V128:
    return prefix + v128Text(asV128(), V128Shape::I32x4);
  case ValType::FuncRef: {
    if (isNull())
      return prefix + "null";
    const FunctionInstance* f = asFunc();
    return prefix + (f->name.empty() ? std::string("<anonymous>") : f->name);
  }
  case ValType::ExternRef:
    if (isNull())
      return prefix + "null";
    return prefix + std::to_string(asExtern());
  }
  return prefix + "?";
}

} // namespace wasmscope::runtime
