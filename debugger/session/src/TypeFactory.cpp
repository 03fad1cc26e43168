// Synthetic C types for the evaluator (TypeFactory.h). Sizes are wasm32's:
// int and long 4 bytes, long long 8, pointers 4.
#include "TypeFactory.h"

namespace wasmscope::debugger {

Type* TypeFactory::make(TypeKind kind, std::string name, uint64_t size, BaseEncoding encoding) {
  Type& t = m_types.emplace_back();
  t.kind = kind;
  t.name = std::move(name);
  t.byteSize = size;
  t.encoding = encoding;
  return &t;
}

TypeFactory::TypeFactory() {
  struct Builtin {
    const char* spellings[4];
    uint64_t size;
    BaseEncoding encoding;
  };
  static constexpr Builtin kBuiltins[] = {
      {{"char", nullptr}, 1, BaseEncoding::SignedChar},
      {{"signed char", nullptr}, 1, BaseEncoding::SignedChar},
      {{"unsigned char", nullptr}, 1, BaseEncoding::UnsignedChar},
      {{"short", "short int", "signed short", nullptr}, 2, BaseEncoding::Signed},
      {{"unsigned short", "unsigned short int", nullptr}, 2, BaseEncoding::Unsigned},
      {{"int", "signed", "signed int", nullptr}, 4, BaseEncoding::Signed},
      {{"unsigned int", "unsigned", nullptr}, 4, BaseEncoding::Unsigned},
      {{"long", "long int", "signed long", nullptr}, 4, BaseEncoding::Signed},
      {{"unsigned long", "unsigned long int", nullptr}, 4, BaseEncoding::Unsigned},
      {{"long long", "long long int", "signed long long", nullptr}, 8, BaseEncoding::Signed},
      {{"unsigned long long", "unsigned long long int", nullptr}, 8, BaseEncoding::Unsigned},
      {{"float", nullptr}, 4, BaseEncoding::Float},
      {{"double", nullptr}, 8, BaseEncoding::Float},
      {{"long double", nullptr}, 16, BaseEncoding::Float},
      {{"_Bool", "bool", nullptr}, 1, BaseEncoding::Boolean},
  };
  for (const Builtin& b : kBuiltins) {
    Type* t = make(TypeKind::Base, b.spellings[0], b.size, b.encoding);
    for (const char* const* s = b.spellings; *s; ++s)
      m_builtins.emplace(*s, t);
  }
  m_void = make(TypeKind::Void, "void", 0, BaseEncoding::None);
  m_builtins.emplace("void", m_void);
  m_int = m_builtins.at("int");
  m_unsigned = m_builtins.at("unsigned int");
  m_longLong = m_builtins.at("long long");
  m_unsignedLongLong = m_builtins.at("unsigned long long");
  m_char = m_builtins.at("char");
  m_bool = m_builtins.at("_Bool");
  m_float = m_builtins.at("float");
  m_double = m_builtins.at("double");
  m_size = m_builtins.at("unsigned long");
  // Raw wasm value types, kept apart from the C spellings.
  const Type* i32 = make(TypeKind::Base, "i32", 4, BaseEncoding::Signed);
  const Type* i64 = make(TypeKind::Base, "i64", 8, BaseEncoding::Signed);
  const Type* f32 = make(TypeKind::Base, "f32", 4, BaseEncoding::Float);
  const Type* f64 = make(TypeKind::Base, "f64", 8, BaseEncoding::Float);
  // v128: one union of its lane shapes, so lanes expand like array elements.
  const Type* i8 = make(TypeKind::Base, "i8", 1, BaseEncoding::Signed);
  const Type* i16 = make(TypeKind::Base, "i16", 2, BaseEncoding::Signed);
  m_rawByte = make(TypeKind::Base, "u8", 1, BaseEncoding::Unsigned);
  Type* v128 = make(TypeKind::Union, "v128_lanes", 16, BaseEncoding::None);
  auto lanes = [&](const char* name, const Type* lane, uint64_t count) {
    Type* array = make(TypeKind::Array, "", 16, BaseEncoding::None);
    array->target = lane;
    array->dimensions.push_back({0, count});
    array->isVector = true;
    Member m;
    m.name = name;
    m.type = array;
    v128->members.push_back(m);
  };
  lanes("i8x16", i8, 16);
  lanes("i16x8", i16, 8);
  lanes("i32x4", i32, 4);
  lanes("i64x2", i64, 2);
  lanes("f32x4", f32, 4);
  lanes("f64x2", f64, 2);
  lanes("bytes", m_rawByte, 16);
  // Named "v128" (not "union ...") through a typedef, as wasm spells it.
  Type* named = make(TypeKind::Typedef, "v128", 16, BaseEncoding::None);
  named->target = v128;
  m_v128 = named;
}

const Type* TypeFactory::builtin(std::string_view spelling) const {
  auto it = m_builtins.find(spelling);
  return it == m_builtins.end() ? nullptr : it->second;
}

const Type* TypeFactory::wasmType(std::string_view name) const {
  if (name == "v128")
    return m_v128;
  for (const Type& t : m_types)
    if (t.name == name && (name == "i32" || name == "i64" || name == "f32" || name == "f64"))
      return &t;
  return nullptr;
}

const Type* TypeFactory::pointerTo(const Type* target) {
  auto it = m_pointers.find(target);
  if (it != m_pointers.end())
    return it->second;
  Type* t = make(TypeKind::Pointer, "", 4, BaseEncoding::None);
  t->target = target == m_void ? nullptr : target;
  m_pointers.emplace(target, t);
  return t;
}

const Type* TypeFactory::functionType(const Function& fn) {
  auto it = m_functions.find(&fn);
  if (it != m_functions.end())
    return it->second;
  Type* t = make(TypeKind::Subroutine, fn.displayName(), 0, BaseEncoding::None);
  t->target = fn.returnType;
  for (const Variable& v : fn.scope.variables)
    if (v.isParameter)
      t->parameters.push_back(v.type);
  m_functions.emplace(&fn, t);
  return t;
}

const Type* TypeFactory::elementType(const Type* array) {
  const Type* a = array ? array->stripped() : nullptr;
  if (!a || a->kind != TypeKind::Array)
    return nullptr;
  if (a->dimensions.size() <= 1)
    return a->target;
  auto it = m_subArrays.find(a);
  if (it != m_subArrays.end())
    return it->second;
  Type* t = make(TypeKind::Array, "", 0, BaseEncoding::None);
  t->target = a->target;
  t->dimensions.assign(a->dimensions.begin() + 1, a->dimensions.end());
  uint64_t size = a->target ? a->target->stripped()->byteSize : 0;
  for (const ArrayDimension& d : t->dimensions) {
    uint64_t count = d.count.value_or(0); // Saturating, as sizeOf() does.
    size = count && size > UINT64_MAX / count ? UINT64_MAX : size * count;
  }
  t->byteSize = size;
  m_subArrays.emplace(a, t);
  return t;
}

} // namespace wasmscope::debugger
