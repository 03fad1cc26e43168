// A typed WebAssembly value as the embedding API passes it. Inside the
// interpreter values are untyped 64-bit slots; this is the boundary form.
#pragma once

#include "wasmscope/runtime/Types.h"

#include <cstdint>
#include <cstring>
#include <string>

namespace wasmscope::runtime {

struct FunctionInstance;

/// One raw 64-bit interpreter slot. i32 and f32 live in the low 32 bits.
union Slot {
  uint32_t i32;
  uint64_t i64;
  float f32;
  double f64;
  void* ref;
};
static_assert(sizeof(Slot) == 8);

/// Reference encoding in a slot: a funcref is a FunctionInstance* (null is 0);
/// an externref is the host's value plus one (null is 0).
struct Value {
  ValType type = ValType::I32;
  uint64_t bits = 0;

  static Value i32(uint32_t v) { return {ValType::I32, v}; }
  static Value i64(uint64_t v) { return {ValType::I64, v}; }
  static Value f32(float v) {
    uint32_t b;
    std::memcpy(&b, &v, 4);
    return {ValType::F32, b};
  }
  static Value f64(double v) {
    uint64_t b;
    std::memcpy(&b, &v, 8);
    return {ValType::F64, b};
  }
  static Value f32Bits(uint32_t b) { return {ValType::F32, b}; }
  static Value f64Bits(uint64_t b) { return {ValType::F64, b}; }
  static Value funcRef(const FunctionInstance* f) {
    return {ValType::FuncRef, reinterpret_cast<uint64_t>(f)};
  }
  /// An externref carrying host value `v` (never null).
  static Value externRef(uint64_t v) { return {ValType::ExternRef, v + 1}; }
  static Value nullRef(ValType t) { return {t, 0}; }

  uint32_t asI32() const { return uint32_t(bits); }
  uint64_t asI64() const { return bits; }
  float asF32() const {
    uint32_t b = uint32_t(bits);
    float f;
    std::memcpy(&f, &b, 4);
    return f;
  }
  double asF64() const {
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
  }
  bool isNull() const { return bits == 0; }
  const FunctionInstance* asFunc() const {
    return reinterpret_cast<const FunctionInstance*>(bits);
  }
  uint64_t asExtern() const { return bits - 1; }

  /// Raw slot contents, for passing to and from the interpreter.
  uint64_t toSlot() const { return type == ValType::I32 || type == ValType::F32 ? uint32_t(bits) : bits; }
  static Value fromSlot(ValType t, uint64_t s) {
    return {t, t == ValType::I32 || t == ValType::F32 ? uint32_t(s) : s};
  }
  /// "i32:42", "f64:1.5", "funcref:null" for messages and the CLI.
  std::string toString() const;
};

} // namespace wasmscope::runtime
