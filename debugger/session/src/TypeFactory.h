// Types the evaluator makes up: literals' and arithmetic results' C types
// (int, unsigned long long, double ...), pointers for `&x`, sub-arrays of a
// multi-dimensional array, and the raw wasm types of `$local3`. They are
// symbols::Type nodes like the DWARF ones, owned here, so that values and
// formatting treat both alike.
#pragma once

#include "wasmscope/symbols/Symbols.h"

#include <deque>
#include <map>
#include <string_view>
#include <vector>

namespace wasmscope::debugger {

class TypeFactory {
public:
  TypeFactory();
  TypeFactory(const TypeFactory&) = delete;
  TypeFactory& operator=(const TypeFactory&) = delete;

  const Type* voidType() const { return m_void; }
  const Type* intType() const { return m_int; }
  const Type* unsignedType() const { return m_unsigned; }
  const Type* longLongType() const { return m_longLong; }
  const Type* unsignedLongLongType() const { return m_unsignedLongLong; }
  const Type* charType() const { return m_char; }
  const Type* boolType() const { return m_bool; }
  const Type* floatType() const { return m_float; }
  const Type* doubleType() const { return m_double; }
  /// size_t on wasm32: "unsigned long", 4 bytes.
  const Type* sizeType() const { return m_size; }

  /// A C base type by its spelling ("int", "unsigned char", "long long",
  /// "unsigned", "double", "_Bool", "void"), or nullptr when it is not one.
  const Type* builtin(std::string_view spelling) const;
  /// The wasm value types "i32", "i64", "f32", "f64" and "v128".
  const Type* wasmType(std::string_view name) const;
  /// The type of wasm v128 values ("v128"): a typedef of a union of its
  /// lane views, members i8x16, i16x8, i32x4, i64x2, f32x4, f64x2 (arrays of
  /// lanes) and bytes.
  const Type* v128Type() const { return m_v128; }
  /// The element type of v128's `bytes` member, shown in hex.
  const Type* rawByteType() const { return m_rawByte; }

  /// `T *` (4 bytes, wasm32), one node per T.
  const Type* pointerTo(const Type* target);
  /// The type of function `fn` ("int (lua_State *, CallInfo *)"), named
  /// after it, one node per function.
  const Type* functionType(const Function& fn);
  /// The element type of `array` (stripped of typedefs): for a
  /// multi-dimensional array, the array of its remaining dimensions.
  const Type* elementType(const Type* array);

private:
  Type* make(TypeKind kind, std::string name, uint64_t size, BaseEncoding encoding);

  std::deque<Type> m_types;
  std::map<std::string, const Type*, std::less<>> m_builtins;
  std::map<const Type*, const Type*> m_pointers;
  std::map<const Type*, const Type*> m_subArrays;
  std::map<const Function*, const Type*> m_functions;
  const Type* m_void;
  const Type* m_int;
  const Type* m_unsigned;
  const Type* m_longLong;
  const Type* m_unsignedLongLong;
  const Type* m_char;
  const Type* m_bool;
  const Type* m_float;
  const Type* m_double;
  const Type* m_size;
  const Type* m_v128;
  const Type* m_rawByte;
};

} // namespace wasmscope::debugger
