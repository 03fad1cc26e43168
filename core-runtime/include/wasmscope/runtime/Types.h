// WebAssembly types (spec 2.3) as the decoder produces them and the
// validator, compiler and store consume them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wasmscope::runtime {

/// Value types, with their binary encodings (spec 5.3.1).
enum class ValType : uint8_t {
  I32 = 0x7f,
  I64 = 0x7e,
  F32 = 0x7d,
  F64 = 0x7c,
  V128 = 0x7b,
  FuncRef = 0x70,
  ExternRef = 0x6f,
};

inline bool isRefType(ValType t) {
  return t == ValType::FuncRef || t == ValType::ExternRef;
}
inline bool isNumType(ValType t) { return !isRefType(t) && t != ValType::V128; }
const char* valTypeName(ValType t);

/// Frame slots (64 bits each) a value of type `t` occupies: two for a v128,
/// one for everything else.
inline uint32_t slotCount(ValType t) { return t == ValType::V128 ? 2 : 1; }
/// Slots a sequence of values occupies, laid out one after another.
inline uint32_t slotCount(const std::vector<ValType>& types) {
  uint32_t n = 0;
  for (ValType t : types)
    n += slotCount(t);
  return n;
}

using TypeIndex = uint32_t;
using FuncIndex = uint32_t;
using TableIndex = uint32_t;
using MemIndex = uint32_t;
using GlobalIndex = uint32_t;
using LocalIndex = uint32_t;
using LabelIndex = uint32_t;
using ElemIndex = uint32_t;
using DataIndex = uint32_t;

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType&) const = default;
  /// "[i32 i32] -> [i64]" for messages.
  std::string toString() const;
};

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool operator==(const Limits&) const = default;
};

struct TableType {
  ValType elemType = ValType::FuncRef;
  Limits limits;
};

struct MemoryType {
  Limits limits; ///< In 64 KiB pages.
};

struct GlobalType {
  ValType type = ValType::I32;
  bool isMutable = false;
  bool operator==(const GlobalType&) const = default;
};

enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3 };
const char* externKindName(ExternKind k);

inline constexpr uint32_t kPageSize = 65536;
inline constexpr uint32_t kMaxPages = 65536; ///< 4 GiB of 32-bit memory.
inline constexpr uint32_t kMaxTableSize = UINT32_MAX;

} // namespace wasmscope::runtime
