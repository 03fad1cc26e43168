// The C expression evaluator (Evaluator.h). Integer arithmetic follows C11
// 6.3.1 with wasm32 sizes: operands narrower than int are promoted to int,
// then the wider (or, at equal width, the unsigned) type wins. Results wrap
// to their type's width; division by zero is an error, not a trap.
#include "Evaluator.h"
#include "TypeNames.h"

#include "LibraryFormatters.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace wasmscope::debugger {

namespace {

Error evalError(std::string message) {
  return Error(ErrorCode::InvalidArgument, std::move(message));
}

/// Keeps the low `size` bytes, sign- or zero-extending to 64 bits.
uint64_t normalize(uint64_t bits, uint64_t size, bool isSigned) {
  if (size >= 8 || size == 0)
    return bits;
  unsigned width = unsigned(size * 8);
  uint64_t mask = (uint64_t(1) << width) - 1;
  bits &= mask;
  if (isSigned && (bits >> (width - 1)) & 1)
    bits |= ~mask;
  return bits;
}

uint64_t toLittleEndian(std::span<const uint8_t> bytes) {
  uint64_t v = 0;
  for (size_t i = 0; i < bytes.size() && i < 8; ++i)
    v |= uint64_t(bytes[i]) << (8 * i);
  return v;
}

std::vector<uint8_t> fromLittleEndian(uint64_t bits, uint64_t size) {
  std::vector<uint8_t> out(size);
  for (uint64_t i = 0; i < size && i < 8; ++i)
    out[i] = uint8_t(bits >> (8 * i));
  return out;
}

/// Integer value of a double, saturating instead of overflowing.
uint64_t doubleToBits(double d, bool toSigned) {
  if (std::isnan(d))
    return 0;
  if (toSigned) {
    if (d <= -9223372036854775808.0)
      return uint64_t(std::numeric_limits<int64_t>::min());
    if (d >= 9223372036854775807.0)
      return uint64_t(std::numeric_limits<int64_t>::max());
    return uint64_t(int64_t(d));
  }
  if (d <= 0)
    return d <= -1 ? uint64_t(int64_t(std::max(d, -9223372036854775808.0))) : 0;
  if (d >= 18446744073709551615.0)
    return std::numeric_limits<uint64_t>::max();
  return uint64_t(d);
}

double scalarToDouble(const Scalar& s) {
  switch (s.kind) {
  case Scalar::Kind::Float:
    return s.f;
  case Scalar::Kind::Signed:
    return double(int64_t(s.bits));
  default:
    return double(s.bits);
  }
}

} // namespace

// --- Types ------------------------------------------------------------------------

const Type* strip(const Type* type) {
  return type ? type->stripped() : nullptr;
}

bool isIntegral(const Type* type) {
  const Type* t = strip(type);
  if (!t)
    return false;
  if (t->kind == TypeKind::Enum)
    return true;
  if (t->kind != TypeKind::Base)
    return false;
  return t->encoding != BaseEncoding::Float && t->encoding != BaseEncoding::None &&
         t->encoding != BaseEncoding::Other;
}

bool isFloating(const Type* type) {
  const Type* t = strip(type);
  return t && t->kind == TypeKind::Base && t->encoding == BaseEncoding::Float;
}

bool isPointer(const Type* type) {
  const Type* t = strip(type);
  return t && (t->kind == TypeKind::Pointer || t->kind == TypeKind::Reference ||
               t->kind == TypeKind::RValueReference);
}

bool isArray(const Type* type) {
  const Type* t = strip(type);
  return t && t->kind == TypeKind::Array;
}

bool isAggregate(const Type* type) {
  const Type* t = strip(type);
  return t &&
         (t->kind == TypeKind::Struct || t->kind == TypeKind::Class || t->kind == TypeKind::Union);
}

namespace {

/// Type graphs come from the module's DWARF, which is untrusted: an enum
/// whose underlying type leads back to itself, an array whose element is
/// itself, a struct with itself as an anonymous member. Every walk below
/// stops after this many steps down the graph instead of recursing forever.
constexpr int kMaxTypeDepth = 64;

bool isSignedTypeAt(const Type* type, int depth) {
  const Type* t = strip(type);
  if (!t || depth > kMaxTypeDepth)
    return false;
  if (t->kind == TypeKind::Enum) {
    if (t->target)
      return isSignedTypeAt(t->target, depth + 1);
    for (const Enumerator& e : t->enumerators)
      if (e.value < 0)
        return true;
    return false;
  }
  return t->kind == TypeKind::Base &&
         (t->encoding == BaseEncoding::Signed || t->encoding == BaseEncoding::SignedChar ||
          t->encoding == BaseEncoding::Float);
}

uint64_t sizeOfAt(const Type* type, int depth) {
  const Type* t = strip(type);
  if (!t || depth > kMaxTypeDepth)
    return 0;
  if (t->byteSize)
    return t->byteSize;
  switch (t->kind) {
  case TypeKind::Pointer:
  case TypeKind::Reference:
  case TypeKind::RValueReference:
    return 4;
  case TypeKind::Enum:
    return t->target ? sizeOfAt(t->target, depth + 1) : 4;
  case TypeKind::Array: {
    uint64_t n = sizeOfAt(t->target, depth + 1);
    for (const ArrayDimension& d : t->dimensions) {
      uint64_t count = d.count.value_or(0);
      // Saturate: a hostile count must not wrap to a small, plausible size.
      n = count && n > UINT64_MAX / count ? UINT64_MAX : n * count;
    }
    return n;
  }
  default:
    return 0;
  }
}

} // namespace

bool isSignedType(const Type* type) {
  return isSignedTypeAt(type, 0);
}

bool isCharType(const Type* type) {
  const Type* t = strip(type);
  if (!t || t->kind != TypeKind::Base || t->byteSize != 1)
    return false;
  return t->encoding == BaseEncoding::SignedChar || t->encoding == BaseEncoding::UnsignedChar ||
         (t->encoding == BaseEncoding::Utf);
}

uint64_t sizeOf(const Type* type) {
  return sizeOfAt(type, 0);
}

Result<uint64_t> knownSize(const Type* type) {
  const Type* t = strip(type);
  uint64_t size = sizeOf(type);
  if (size)
    return size;
  // Never 0 for a type whose size is unknown: that is no size at all.
  if (!t || t->kind == TypeKind::Void)
    return evalError("'void' has no size");
  if (t->kind == TypeKind::Subroutine)
    return evalError("a function has no size ('" + typeName(type) + "')");
  if (t->isDeclaration || isAggregate(t) || t->kind == TypeKind::Enum)
    return evalError("'" + typeName(type) +
                     "' is incomplete (declared, never defined in this module): its size is "
                     "unknown");
  if (t->kind == TypeKind::Array)
    return evalError("'" + typeName(type) + "' has no size (an array of unknown length)");
  return evalError("the size of '" + typeName(type) + "' is unknown");
}

std::string typeName(const Type* type) {
  if (!type)
    return "void";
  std::string s = readableTypeName(type->displayName());
  if (s.empty())
    return "<anonymous type>";
  // C++'s library types as C++ code names them: "std::vector<int>", not
  // "class std::vector<int>" (C's "struct node" keeps its keyword).
  for (std::string_view keyword : {"class std::", "struct std::"})
    if (s.starts_with(keyword))
      return s.substr(keyword.size() - 5);
  return s;
}

// --- Values -----------------------------------------------------------------------

Result<EvalValue> EmptyEnvironment::variable(std::string_view name) {
  return evalError("no variable named '" + std::string(name) + "'");
}

Result<EvalValue> EmptyEnvironment::wasmName(std::string_view name) {
  return evalError("no wasm local or global named '$" + std::string(name) + "'");
}

Result<std::vector<uint8_t>> loadBytes(EvalEnvironment& env, const EvalValue& value,
                                       std::optional<uint64_t> size) {
  uint64_t n = size.value_or(sizeOf(value.type));
  if (n > kMaxValueBytes)
    return evalError("value too large to read (" + std::to_string(n) + " bytes)");
  switch (value.location) {
  case ValueLocation::Memory: {
    std::vector<uint8_t> out(n);
    if (!env.readMemory(value.address, out)) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "cannot read memory at 0x%08llx",
                    static_cast<unsigned long long>(value.address));
      return evalError(buf);
    }
    return out;
  }
  case ValueLocation::WasmLocal:
  case ValueLocation::WasmGlobal: {
    bool local = value.location == ValueLocation::WasmLocal;
    std::optional<runtime::Value> v =
        local ? env.readWasmLocal(value.index) : env.readWasmGlobal(value.index);
    if (!v)
      return evalError(std::string("no wasm ") + (local ? "local " : "global ") +
                       std::to_string(value.index) + " in this frame");
    // Narrower values read zero-extended to the slot's 8 bytes; a v128 has 16.
    bool vector = v->type == runtime::ValType::V128;
    if (n > (vector ? 16u : 8u))
      return evalError("a value of " + std::to_string(n) + " bytes cannot live in a wasm " +
                       (local ? "local" : "global") + " of type " + runtime::valTypeName(v->type));
    std::vector<uint8_t> out = fromLittleEndian(v->bits, std::min<uint64_t>(n, 8));
    if (n > 8) {
      std::vector<uint8_t> high = fromLittleEndian(v->high, n - 8);
      out.insert(out.end(), high.begin(), high.end());
    }
    return out;
  }
  case ValueLocation::Bytes: {
    std::vector<uint8_t> out = value.bytes;
    out.resize(n, 0);
    return out;
  }
  case ValueLocation::OptimizedOut:
    return evalError("value is optimized out");
  }
  return evalError("value has no location");
}

Result<Scalar> loadScalar(EvalEnvironment& env, TypeFactory& types, const EvalValue& value) {
  const Type* t = strip(value.type);
  if (!t)
    return evalError("value has no type");
  Scalar s;
  s.type = value.type;
  if (t->kind == TypeKind::Array) {
    if (value.location != ValueLocation::Memory)
      return evalError("array '" + typeName(value.type) + "' is not in linear memory");
    s.kind = Scalar::Kind::Pointer;
    s.bits = value.address;
    s.type = types.pointerTo(types.elementType(value.type));
    return s;
  }
  if (isAggregate(t))
    return evalError("'" + typeName(value.type) + "' is not a scalar");
  if (t->kind == TypeKind::Void)
    return evalError("'void' has no value");
  if (t->kind == TypeKind::Subroutine)
    return evalError("a function is not a value");
  uint64_t size = sizeOf(t);
  if (size == 0 || size > 8) {
    if (isFloating(t))
      return evalError("'" + typeName(value.type) + "' (" + std::to_string(size) +
                       " bytes) is not supported");
    return evalError("'" + typeName(value.type) + "' is not a scalar");
  }
  uint64_t bits = 0;
  if (value.bitSize) {
    uint64_t span = (value.bitOffset + value.bitSize + 7) / 8;
    TRY_ASSIGN(auto bytes, loadBytes(env, value, std::min<uint64_t>(span, 8)));
    bits = toLittleEndian(bytes) >> value.bitOffset;
    if (value.bitSize < 64)
      bits &= (uint64_t(1) << value.bitSize) - 1;
    if (isSignedType(t) && value.bitSize < 64 && (bits >> (value.bitSize - 1)) & 1)
      bits |= ~((uint64_t(1) << value.bitSize) - 1);
  } else {
    TRY_ASSIGN(auto bytes, loadBytes(env, value, size));
    bits = toLittleEndian(bytes);
  }
  if (isFloating(t)) {
    s.kind = Scalar::Kind::Float;
    if (size == 4) {
      float f;
      uint32_t b = uint32_t(bits);
      std::memcpy(&f, &b, 4);
      s.f = f;
    } else {
      std::memcpy(&s.f, &bits, 8);
    }
    return s;
  }
  if (isPointer(t)) {
    s.kind = Scalar::Kind::Pointer;
    s.bits = normalize(bits, size, false);
    return s;
  }
  bool isSigned = isSignedType(t);
  s.kind = isSigned ? Scalar::Kind::Signed : Scalar::Kind::Unsigned;
  s.bits = value.bitSize ? bits : normalize(bits, size, isSigned);
  if (t->kind == TypeKind::Base && t->encoding == BaseEncoding::Boolean)
    s.bits = s.bits != 0;
  return s;
}

std::optional<Scalar> scalarFromBits(const Type* type, uint64_t bits) {
  const Type* t = strip(type);
  if (!t || t->kind == TypeKind::Array || isAggregate(t) || t->kind == TypeKind::Void ||
      t->kind == TypeKind::Subroutine)
    return std::nullopt;
  uint64_t size = sizeOf(t);
  if (size == 0 || size > 8)
    return std::nullopt;
  Scalar s;
  s.type = type;
  if (isFloating(t)) {
    s.kind = Scalar::Kind::Float;
    if (size == 4) {
      float f;
      uint32_t b = uint32_t(bits);
      std::memcpy(&f, &b, 4);
      s.f = f;
    } else if (size == 8) {
      std::memcpy(&s.f, &bits, 8);
    } else {
      return std::nullopt;
    }
    return s;
  }
  if (isPointer(t)) {
    s.kind = Scalar::Kind::Pointer;
    s.bits = normalize(bits, size, false);
    return s;
  }
  bool isSigned = isSignedType(t);
  s.kind = isSigned ? Scalar::Kind::Signed : Scalar::Kind::Unsigned;
  s.bits = normalize(bits, size, isSigned);
  if (t->kind == TypeKind::Base && t->encoding == BaseEncoding::Boolean)
    s.bits = s.bits != 0;
  return s;
}

Result<Scalar> convertScalar(const Scalar& value, const Type* target) {
  const Type* t = strip(target);
  if (!t)
    return evalError("cannot convert to an unknown type");
  Scalar out;
  out.type = target;
  if (isFloating(t)) {
    if (value.kind == Scalar::Kind::Pointer)
      return evalError("cannot convert a pointer to '" + typeName(target) + "'");
    out.kind = Scalar::Kind::Float;
    out.f = scalarToDouble(value);
    if (sizeOf(t) == 4)
      out.f = double(float(out.f));
    return out;
  }
  if (isPointer(t)) {
    if (value.kind == Scalar::Kind::Float)
      return evalError("cannot convert a floating-point value to '" + typeName(target) + "'");
    out.kind = Scalar::Kind::Pointer;
    out.bits = normalize(value.bits, sizeOf(t), false);
    return out;
  }
  if (isIntegral(t)) {
    uint64_t size = sizeOf(t);
    bool isSigned = isSignedType(t);
    out.kind = isSigned ? Scalar::Kind::Signed : Scalar::Kind::Unsigned;
    if (t->kind == TypeKind::Base && t->encoding == BaseEncoding::Boolean) {
      out.bits = value.isZero() ? 0 : 1;
      return out;
    }
    uint64_t bits =
        value.kind == Scalar::Kind::Float ? doubleToBits(value.f, isSigned) : value.bits;
    out.bits = normalize(bits, size, isSigned);
    return out;
  }
  return evalError("cannot convert a scalar to '" + typeName(target) + "'");
}

EvalValue scalarValue(const Scalar& scalar) {
  uint64_t size = sizeOf(scalar.type);
  if (size == 0 || size > 8)
    size = 8;
  uint64_t bits = scalar.bits;
  if (scalar.kind == Scalar::Kind::Float) {
    if (size == 4) {
      float f = float(scalar.f);
      uint32_t b;
      std::memcpy(&b, &f, 4);
      bits = b;
    } else {
      std::memcpy(&bits, &scalar.f, 8);
    }
  }
  return EvalValue::ofBytes(scalar.type, fromLittleEndian(bits, size));
}

Result<void> storeScalar(EvalEnvironment& env, const EvalValue& dest, const Scalar& scalar) {
  if (!dest.isLvalue())
    return evalError("cannot assign to a value that is not in memory, a local or a global");
  TRY_ASSIGN(Scalar converted, convertScalar(scalar, dest.type));
  EvalValue encoded = scalarValue(converted);
  uint64_t size = sizeOf(dest.type);
  uint64_t bits = toLittleEndian(encoded.bytes);
  if (dest.bitSize) {
    uint64_t span = std::min<uint64_t>((dest.bitOffset + dest.bitSize + 7) / 8, 8);
    TRY_ASSIGN(auto old, loadBytes(env, dest, span));
    uint64_t word = toLittleEndian(old);
    uint64_t mask = (dest.bitSize >= 64 ? ~uint64_t(0) : ((uint64_t(1) << dest.bitSize) - 1))
                    << dest.bitOffset;
    word = (word & ~mask) | ((bits << dest.bitOffset) & mask);
    std::vector<uint8_t> bytes = fromLittleEndian(word, span);
    if (dest.location != ValueLocation::Memory)
      return evalError("cannot assign to a bitfield outside linear memory");
    if (!env.writeMemory(dest.address, bytes))
      return evalError("cannot write memory at that address");
    return {};
  }
  switch (dest.location) {
  case ValueLocation::Memory: {
    std::vector<uint8_t> bytes = fromLittleEndian(bits, size);
    if (!env.writeMemory(dest.address, bytes))
      return evalError("cannot write memory at that address");
    return {};
  }
  case ValueLocation::WasmLocal:
  case ValueLocation::WasmGlobal: {
    // Widen to the whole slot, so an i32 local holding a char reads back right.
    uint64_t slot = converted.kind == Scalar::Kind::Float ? bits : converted.bits;
    bool ok = dest.location == ValueLocation::WasmLocal ? env.writeWasmLocal(dest.index, slot)
                                                        : env.writeWasmGlobal(dest.index, slot);
    if (!ok)
      return evalError("cannot write that wasm local or global");
    return {};
  }
  default:
    return evalError("not assignable");
  }
}

Result<EvalValue> subValue(EvalEnvironment& env, const EvalValue& base, const Type* type,
                           uint64_t byteOffset) {
  EvalValue out;
  out.type = type;
  switch (base.location) {
  case ValueLocation::Memory:
    out.location = ValueLocation::Memory;
    out.address = base.address + byteOffset;
    return out;
  case ValueLocation::OptimizedOut:
    out.location = ValueLocation::OptimizedOut;
    return out;
  default: {
    TRY_ASSIGN(auto whole, loadBytes(env, base));
    uint64_t size = sizeOf(type);
    std::vector<uint8_t> part(size, 0);
    for (uint64_t i = 0; i < size && byteOffset + i < whole.size(); ++i)
      part[i] = whole[byteOffset + i];
    out.location = ValueLocation::Bytes;
    out.bytes = std::move(part);
    return out;
  }
  }
}

Result<EvalValue> dereference(EvalEnvironment& env, TypeFactory& types, const EvalValue& pointer) {
  const Type* t = strip(pointer.type);
  if (t && t->kind == TypeKind::Array)
    return subValue(env, pointer, types.elementType(pointer.type), 0);
  if (!isPointer(t))
    return evalError("cannot dereference a value of type '" + typeName(pointer.type) + "'");
  const Type* target = t->target;
  if (!target || strip(target)->kind == TypeKind::Void)
    return evalError("cannot dereference a 'void *'");
  if (strip(target)->kind == TypeKind::Subroutine)
    return evalError("cannot dereference a function pointer");
  TRY_ASSIGN(Scalar p, loadScalar(env, types, pointer));
  return EvalValue::memory(target, p.bits);
}

namespace {

/// Members findMember may look at in one search: a struct whose anonymous
/// members are of its own type would otherwise branch without end.
constexpr int kMaxMemberVisits = 100000;

/// Finds `name` among the members of `t`, descending into anonymous members
/// and base classes; adds the offsets on the way. `budget` counts down the
/// members examined.
const Member* findMember(const Type* t, std::string_view name, uint64_t& offset, int depth,
                         int& budget) {
  t = strip(t);
  if (!t || depth > kMaxTypeDepth)
    return nullptr;
  for (const Member& m : t->members) {
    if (--budget < 0)
      return nullptr;
    if (!m.isStatic && m.name == name)
      return &m;
  }
  for (const Member& m : t->members) {
    if (m.isStatic || !(m.name.empty() || m.isBaseClass))
      continue;
    uint64_t inner = 0;
    if (const Member* found = findMember(m.type, name, inner, depth + 1, budget)) {
      offset += m.byteOffset + inner;
      return found;
    }
    if (budget < 0)
      return nullptr;
  }
  return nullptr;
}

} // namespace

const Member* findMemberOf(const Type* aggregate, std::string_view name, uint64_t& offset) {
  uint64_t inner = 0;
  int budget = kMaxMemberVisits;
  const Member* m = findMember(aggregate, name, inner, 0, budget);
  if (!m)
    return nullptr;
  offset = inner + m->byteOffset;
  return m;
}

Result<EvalValue> memberOf(EvalEnvironment& env, TypeFactory& types, const EvalValue& base,
                           std::string_view name) {
  EvalValue object = base;
  if (isPointer(base.type)) {
    TRY_ASSIGN(object, dereference(env, types, base));
  }
  const Type* t = strip(object.type);
  if (!isAggregate(t))
    return evalError("'" + typeName(object.type) +
                     "' is not a struct or union, so it has no member '" + std::string(name) + "'");
  if (t->isDeclaration)
    return evalError("'" + typeName(object.type) + "' is incomplete (declared, never defined)");
  uint64_t offset = 0;
  int budget = kMaxMemberVisits;
  const Member* m = findMember(t, name, offset, 0, budget);
  if (!m && budget < 0)
    return evalError("'" + typeName(object.type) +
                     "' has too many nested anonymous members to "
                     "search for '" +
                     std::string(name) + "'");
  if (!m)
    return evalError("'" + typeName(object.type) + "' has no member named '" + std::string(name) +
                     "'");
  offset += m->byteOffset;
  TRY_ASSIGN(EvalValue v, subValue(env, object, m->type, offset));
  if (m->bitSize) {
    // Keep the bytes that hold the bitfield; a value in bytes keeps its slice.
    v.bitSize = m->bitSize;
    v.bitOffset = m->bitOffset;
    if (v.location == ValueLocation::Memory) {
      v.address += v.bitOffset / 8;
      v.bitOffset %= 8;
    } else if (v.location == ValueLocation::Bytes) {
      TRY_ASSIGN(auto whole, loadBytes(env, object));
      uint64_t start = offset + m->bitOffset / 8;
      v.bytes.assign(8, 0);
      for (size_t i = 0; i < 8 && start + i < whole.size(); ++i)
        v.bytes[i] = whole[start + i];
      v.bitOffset %= 8;
    }
  }
  return v;
}

// --- The evaluator -------------------------------------------------------------------

Result<std::unique_ptr<expr::Node>> Evaluator::parse(std::string_view text) {
  return expr::parse(text, [this](std::string_view name) {
    const Type* t = m_env.namedType(name);
    // A variable of the same name wins, as in C's scoping for the common cases.
    return t && t->kind == TypeKind::Typedef && !m_env.variable(name).ok();
  });
}

Result<EvalValue> Evaluator::evaluate(std::string_view text) {
  TRY_ASSIGN(auto node, parse(text));
  return evaluate(*node);
}

Result<Scalar> Evaluator::scalarOf(const expr::Node& node) {
  TRY_ASSIGN(EvalValue v, evaluate(node));
  return loadScalar(m_env, m_types, v);
}

Result<const Type*> Evaluator::resolveType(const expr::TypeName& name) {
  const Type* base = m_types.builtin(name.base);
  if (!base)
    base = m_env.namedType(name.base);
  if (!base)
    return evalError("unknown type '" + name.base + "'");
  for (uint32_t i = 0; i < name.pointerDepth; ++i)
    base = m_types.pointerTo(base);
  return base;
}

Result<EvalValue> Evaluator::index(const EvalValue& base, int64_t i) {
  const Type* t = strip(base.type);
  if (t && t->kind == TypeKind::Array) {
    const Type* elem = m_types.elementType(base.type);
    uint64_t size = sizeOf(elem);
    if (base.location == ValueLocation::Memory)
      return EvalValue::memory(elem, base.address + uint64_t(i) * size);
    if (t->dimensions.size() == 1 && t->dimensions[0].count && i >= 0 &&
        uint64_t(i) >= *t->dimensions[0].count)
      return evalError("index " + std::to_string(i) + " is out of bounds for '" +
                       typeName(base.type) + "'");
    if (i < 0)
      return evalError("negative index into an array that is not in memory");
    return subValue(m_env, base, elem, uint64_t(i) * size);
  }
  if (isPointer(t)) {
    TRY_ASSIGN(EvalValue target, dereference(m_env, m_types, base));
    uint64_t size = sizeOf(target.type);
    if (size == 0)
      return evalError("cannot index a pointer to an incomplete type");
    target.address += uint64_t(i) * size;
    return target;
  }
  // std::vector, Rust's Vec and slices index their elements, std::map and
  // the like their i-th element in iteration order (as LLDB's `v[i]`).
  LibraryFormatters library(m_env, m_types);
  if (std::optional<LibraryView> view = library.view(base);
      view && view->kind == LibraryView::Kind::Sequence) {
    if (i < 0 || uint64_t(i) >= view->count)
      return evalError("index " + std::to_string(i) + " is out of range for '" +
                       typeName(base.type) + "' of " + view->summary);
    std::vector<LibraryElement> element = library.elements(base, uint64_t(i), 1);
    if (element.empty())
      return evalError("element " + std::to_string(i) + " of '" + typeName(base.type) +
                       "' cannot be read");
    return std::move(element.front().value);
  }
  return evalError("cannot index a value of type '" + typeName(base.type) + "'");
}

Result<EvalValue> Evaluator::evaluate(const expr::Node& node) {
  using expr::NodeKind;
  switch (node.kind) {
  case NodeKind::IntLiteral: {
    Scalar s;
    s.bits = node.intValue;
    s.kind = node.isUnsigned ? Scalar::Kind::Unsigned : Scalar::Kind::Signed;
    s.type = node.isLong
                 ? (node.isUnsigned ? m_types.unsignedLongLongType() : m_types.longLongType())
                 : (node.isUnsigned ? m_types.unsignedType() : m_types.intType());
    return scalarValue(s);
  }
  case NodeKind::FloatLiteral: {
    Scalar s;
    s.kind = Scalar::Kind::Float;
    s.f = node.isFloat32 ? double(float(node.floatValue)) : node.floatValue;
    s.type = node.isFloat32 ? m_types.floatType() : m_types.doubleType();
    return scalarValue(s);
  }
  case NodeKind::CharLiteral: {
    Scalar s;
    s.kind = Scalar::Kind::Signed;
    s.bits = normalize(node.intValue, 1, true);
    s.type = m_types.charType();
    return scalarValue(s);
  }
  case NodeKind::Identifier: {
    Result<EvalValue> v = m_env.variable(node.name);
    if (v.ok())
      return v;
    Scalar s;
    s.type = m_types.intType();
    if (node.name == "true" || node.name == "false") {
      s.bits = node.name == "true";
      return scalarValue(s);
    }
    if (node.name == "NULL" || node.name == "nullptr") {
      s.kind = Scalar::Kind::Pointer;
      s.type = m_types.pointerTo(m_types.voidType());
      return scalarValue(s);
    }
    return v;
  }
  case NodeKind::WasmName:
    return m_env.wasmName(node.name);
  case NodeKind::Member:
  case NodeKind::Arrow: {
    TRY_ASSIGN(EvalValue base, evaluate(*node.children[0]));
    return memberOf(m_env, m_types, base, node.name);
  }
  case NodeKind::Index:
    return evalIndex(node);
  case NodeKind::Unary:
    return evalUnary(node);
  case NodeKind::Binary:
    return evalBinary(node);
  case NodeKind::Conditional: {
    TRY_ASSIGN(Scalar c, scalarOf(*node.children[0]));
    return evaluate(*node.children[c.isZero() ? 2 : 1]);
  }
  case NodeKind::Cast:
    return evalCast(node);
  case NodeKind::SizeofType: {
    TRY_ASSIGN(const Type* t, resolveType(node.type));
    Scalar s;
    s.kind = Scalar::Kind::Unsigned;
    TRY_ASSIGN(s.bits, knownSize(t));
    s.type = m_types.sizeType();
    return scalarValue(s);
  }
  case NodeKind::SizeofExpr: {
    TRY_ASSIGN(EvalValue v, evaluate(*node.children[0]));
    Scalar s;
    s.kind = Scalar::Kind::Unsigned;
    TRY_ASSIGN(s.bits, knownSize(v.type));
    s.type = m_types.sizeType();
    return scalarValue(s);
  }
  case NodeKind::Assign:
    return evalAssign(node);
  }
  return evalError("unsupported expression");
}

Result<EvalValue> Evaluator::evalIndex(const expr::Node& node) {
  TRY_ASSIGN(EvalValue base, evaluate(*node.children[0]));
  TRY_ASSIGN(EvalValue idxValue, evaluate(*node.children[1]));
  // C allows i[a] as well as a[i].
  if (!isArray(base.type) && !isPointer(base.type) &&
      (isArray(idxValue.type) || isPointer(idxValue.type)))
    std::swap(base, idxValue);
  if (!isIntegral(idxValue.type))
    return evalError("array subscript is not an integer (it is '" + typeName(idxValue.type) + "')");
  TRY_ASSIGN(Scalar i, loadScalar(m_env, m_types, idxValue));
  return index(base, int64_t(i.bits));
}

Result<EvalValue> Evaluator::evalCast(const expr::Node& node) {
  TRY_ASSIGN(const Type* target, resolveType(node.type));
  if (strip(target)->kind == TypeKind::Void)
    return evalError("cannot cast to 'void'");
  TRY_ASSIGN(EvalValue v, evaluate(*node.children[0]));
  if (isAggregate(target) || isArray(target))
    return evalError("cannot cast to '" + typeName(target) + "'");
  TRY_ASSIGN(Scalar s, loadScalar(m_env, m_types, v));
  TRY_ASSIGN(Scalar c, convertScalar(s, target));
  return scalarValue(c);
}

Result<EvalValue> Evaluator::evalAssign(const expr::Node& node) {
  if (!m_allowAssignment)
    return evalError("assignment is only allowed in the debug console");
  TRY_ASSIGN(EvalValue dest, evaluate(*node.children[0]));
  if (!dest.isLvalue())
    return evalError("the left side of '=' is not assignable");
  if (!isIntegral(dest.type) && !isFloating(dest.type) && !isPointer(dest.type))
    return evalError("cannot assign to a value of type '" + typeName(dest.type) + "'");
  TRY_ASSIGN(Scalar value, scalarOf(*node.children[1]));
  TRY(storeScalar(m_env, dest, value));
  return dest;
}

Result<EvalValue> Evaluator::evalUnary(const expr::Node& node) {
  const std::string& op = node.op;
  if (op == "&") {
    TRY_ASSIGN(EvalValue v, evaluate(*node.children[0]));
    if (v.bitSize)
      return evalError("cannot take the address of a bitfield");
    if (v.location != ValueLocation::Memory)
      return evalError(std::string("cannot take the address of '") +
                       expr::toString(*node.children[0]) + "': it is " +
                       (v.location == ValueLocation::WasmLocal      ? "in a wasm local"
                        : v.location == ValueLocation::WasmGlobal   ? "in a wasm global"
                        : v.location == ValueLocation::OptimizedOut ? "optimized out"
                                                                    : "not in memory"));
    Scalar s;
    s.kind = Scalar::Kind::Pointer;
    s.bits = v.address;
    s.type = m_types.pointerTo(v.type ? v.type : m_types.voidType());
    return scalarValue(s);
  }
  if (op == "*") {
    TRY_ASSIGN(EvalValue v, evaluate(*node.children[0]));
    return dereference(m_env, m_types, v);
  }
  std::optional<UnaryOp> unary = unaryOpOf(op);
  if (!unary)
    return evalError("unknown operator '" + op + "'");
  TRY_ASSIGN(Scalar s, scalarOf(*node.children[0]));
  TRY_ASSIGN(Scalar r, applyUnary(m_types, *unary, s));
  return scalarValue(r);
}

std::optional<UnaryOp> unaryOpOf(std::string_view spelling) {
  if (spelling == "-")
    return UnaryOp::Negate;
  if (spelling == "+")
    return UnaryOp::Plus;
  if (spelling == "!")
    return UnaryOp::Not;
  if (spelling == "~")
    return UnaryOp::Complement;
  return std::nullopt;
}

Result<Scalar> applyUnary(const TypeFactory& types, UnaryOp op, const Scalar& s) {
  const char* spelling = op == UnaryOp::Negate ? "-"
                         : op == UnaryOp::Plus ? "+"
                         : op == UnaryOp::Not  ? "!"
                                               : "~";
  if (op == UnaryOp::Not) {
    Scalar r;
    r.type = types.intType();
    r.bits = s.isZero() ? 1 : 0;
    return r;
  }
  if (s.kind == Scalar::Kind::Pointer)
    return evalError(std::string("invalid operand to unary '") + spelling + "': '" +
                     typeName(s.type) + "'");
  if (s.kind == Scalar::Kind::Float) {
    if (op == UnaryOp::Complement)
      return evalError("invalid operand to '~': '" + typeName(s.type) + "'");
    Scalar r = s;
    if (op == UnaryOp::Negate)
      r.f = -s.f;
    if (sizeOf(r.type) != 4)
      r.type = types.doubleType();
    return r;
  }
  // Integer promotion.
  const Type* promoted = sizeOf(s.type) < 4 ? types.intType() : s.type;
  TRY_ASSIGN(Scalar p, convertScalar(s, promoted));
  Scalar r = p;
  if (op == UnaryOp::Negate)
    r.bits = uint64_t(0) - p.bits;
  else if (op == UnaryOp::Complement)
    r.bits = ~p.bits;
  return convertScalar(r, promoted);
}

namespace {

/// The type of `a op b` for two arithmetic scalars (C11 6.3.1.8, wasm32 sizes).
const Type* commonType(const TypeFactory& types, const Scalar& a, const Scalar& b) {
  if (a.kind == Scalar::Kind::Float || b.kind == Scalar::Kind::Float) {
    bool bothFloat32 = (a.kind != Scalar::Kind::Float || sizeOf(a.type) == 4) &&
                       (b.kind != Scalar::Kind::Float || sizeOf(b.type) == 4);
    return bothFloat32 ? types.floatType() : types.doubleType();
  }
  auto rank = [](const Scalar& s) { return std::max<uint64_t>(sizeOf(s.type), 4); };
  auto isUnsigned = [](const Scalar& s) {
    return s.kind == Scalar::Kind::Unsigned && sizeOf(s.type) >= 4;
  };
  uint64_t ra = rank(a), rb = rank(b);
  bool u;
  uint64_t size = std::max(ra, rb);
  if (ra == rb)
    u = isUnsigned(a) || isUnsigned(b);
  else
    u = ra > rb ? isUnsigned(a) : isUnsigned(b);
  if (size >= 8)
    return u ? types.unsignedLongLongType() : types.longLongType();
  return u ? types.unsignedType() : types.intType();
}

} // namespace

std::optional<BinaryOp> binaryOpOf(std::string_view spelling) {
  static constexpr std::pair<std::string_view, BinaryOp> kOps[] = {
      {"*", BinaryOp::Mul},   {"/", BinaryOp::Div},         {"%", BinaryOp::Rem},
      {"+", BinaryOp::Add},   {"-", BinaryOp::Sub},         {"<<", BinaryOp::Shl},
      {">>", BinaryOp::Shr},  {"<", BinaryOp::Lt},          {"<=", BinaryOp::Le},
      {">", BinaryOp::Gt},    {">=", BinaryOp::Ge},         {"==", BinaryOp::Eq},
      {"!=", BinaryOp::Ne},   {"&", BinaryOp::BitAnd},      {"^", BinaryOp::BitXor},
      {"|", BinaryOp::BitOr}, {"&&", BinaryOp::LogicalAnd}, {"||", BinaryOp::LogicalOr}};
  for (auto [text, op] : kOps)
    if (text == spelling)
      return op;
  return std::nullopt;
}

const char* binaryOpSpelling(BinaryOp op) {
  switch (op) {
  case BinaryOp::Mul:
    return "*";
  case BinaryOp::Div:
    return "/";
  case BinaryOp::Rem:
    return "%";
  case BinaryOp::Add:
    return "+";
  case BinaryOp::Sub:
    return "-";
  case BinaryOp::Shl:
    return "<<";
  case BinaryOp::Shr:
    return ">>";
  case BinaryOp::Lt:
    return "<";
  case BinaryOp::Le:
    return "<=";
  case BinaryOp::Gt:
    return ">";
  case BinaryOp::Ge:
    return ">=";
  case BinaryOp::Eq:
    return "==";
  case BinaryOp::Ne:
    return "!=";
  case BinaryOp::BitAnd:
    return "&";
  case BinaryOp::BitXor:
    return "^";
  case BinaryOp::BitOr:
    return "|";
  case BinaryOp::LogicalAnd:
    return "&&";
  case BinaryOp::LogicalOr:
    return "||";
  }
  return "?";
}

Result<EvalValue> Evaluator::evalBinary(const expr::Node& node) {
  std::optional<BinaryOp> op = binaryOpOf(node.op);
  if (!op)
    return evalError("unknown operator '" + node.op + "'");
  if (*op == BinaryOp::LogicalAnd || *op == BinaryOp::LogicalOr) {
    Scalar r;
    r.type = m_types.intType();
    TRY_ASSIGN(Scalar a, scalarOf(*node.children[0]));
    bool av = !a.isZero();
    if ((*op == BinaryOp::LogicalAnd && !av) || (*op == BinaryOp::LogicalOr && av)) {
      r.bits = av ? 1 : 0;
      return scalarValue(r);
    }
    TRY_ASSIGN(Scalar b, scalarOf(*node.children[1]));
    r.bits = b.isZero() ? 0 : 1;
    return scalarValue(r);
  }
  TRY_ASSIGN(Scalar a, scalarOf(*node.children[0]));
  TRY_ASSIGN(Scalar b, scalarOf(*node.children[1]));
  TRY_ASSIGN(Scalar r, applyBinary(m_types, *op, a, b));
  return scalarValue(r);
}

Result<Scalar> applyBinary(const TypeFactory& types, BinaryOp binary, const Scalar& a,
                           const Scalar& b) {
  // `op` spells the operator in messages only; decisions use the enum.
  const std::string_view op = binaryOpSpelling(binary);
  Scalar r;
  r.type = types.intType();
  if (binary == BinaryOp::LogicalAnd || binary == BinaryOp::LogicalOr) {
    r.bits = binary == BinaryOp::LogicalAnd ? (!a.isZero() && !b.isZero())
                                            : (!a.isZero() || !b.isZero());
    return r;
  }
  bool aPtr = a.kind == Scalar::Kind::Pointer, bPtr = b.kind == Scalar::Kind::Pointer;
  bool isCompare = binary == BinaryOp::Eq || binary == BinaryOp::Ne || binary == BinaryOp::Lt ||
                   binary == BinaryOp::Le || binary == BinaryOp::Gt || binary == BinaryOp::Ge;
  if (aPtr || bPtr) {
    if (isCompare) {
      if (a.kind == Scalar::Kind::Float || b.kind == Scalar::Kind::Float)
        return evalError("cannot compare a pointer with a floating-point value");
      uint64_t x = a.bits & 0xffffffffu, y = b.bits & 0xffffffffu;
      bool v = binary == BinaryOp::Eq   ? x == y
               : binary == BinaryOp::Ne ? x != y
               : binary == BinaryOp::Lt ? x < y
               : binary == BinaryOp::Le ? x <= y
               : binary == BinaryOp::Gt ? x > y
                                        : x >= y;
      r.bits = v;
      return r;
    }
    auto elemSize = [](const Scalar& p) -> uint64_t {
      const Type* t = strip(p.type);
      uint64_t n = t && t->target ? sizeOf(t->target) : 1;
      return n ? n : 1;
    };
    if (binary == BinaryOp::Add && aPtr != bPtr) {
      const Scalar& p = aPtr ? a : b;
      const Scalar& n = aPtr ? b : a;
      if (n.kind == Scalar::Kind::Float)
        return evalError("cannot add a floating-point value to a pointer");
      Scalar out = p;
      out.bits = (p.bits + n.bits * elemSize(p)) & 0xffffffffu;
      return out;
    }
    if (binary == BinaryOp::Sub && aPtr && !bPtr) {
      if (b.kind == Scalar::Kind::Float)
        return evalError("cannot subtract a floating-point value from a pointer");
      Scalar out = a;
      out.bits = (a.bits - b.bits * elemSize(a)) & 0xffffffffu;
      return out;
    }
    if (binary == BinaryOp::Sub && aPtr && bPtr) {
      int64_t diff = int64_t(int32_t(uint32_t(a.bits - b.bits)));
      r.type = types.builtin("long");
      r.bits = uint64_t(diff / int64_t(elemSize(a)));
      return convertScalar(r, r.type);
    }
    return evalError("invalid operands to '" + std::string(op) + "': '" + typeName(a.type) +
                     "' and '" + typeName(b.type) + "'");
  }

  if (binary == BinaryOp::Shl || binary == BinaryOp::Shr) {
    if (a.kind == Scalar::Kind::Float || b.kind == Scalar::Kind::Float)
      return evalError("invalid operands to '" + std::string(op) + "': shifts need integers");
    const Type* t = sizeOf(a.type) < 4 ? types.intType() : a.type;
    TRY_ASSIGN(Scalar x, convertScalar(a, t));
    uint64_t width = sizeOf(t) * 8;
    int64_t count = b.kind == Scalar::Kind::Signed ? b.asSigned() : int64_t(b.bits);
    if (count < 0 || uint64_t(count) >= width)
      return evalError("shift count " + std::to_string(count) + " is out of range for '" +
                       typeName(t) + "'");
    Scalar out = x;
    if (binary == BinaryOp::Shl)
      out.bits = x.bits << count;
    else
      out.bits = x.kind == Scalar::Kind::Signed ? uint64_t(x.asSigned() >> count) : x.bits >> count;
    return convertScalar(out, t);
  }

  const Type* common = commonType(types, a, b);
  TRY_ASSIGN(Scalar x, convertScalar(a, common));
  TRY_ASSIGN(Scalar y, convertScalar(b, common));

  if (isCompare) {
    bool v;
    if (x.kind == Scalar::Kind::Float)
      v = binary == BinaryOp::Eq   ? x.f == y.f
          : binary == BinaryOp::Ne ? x.f != y.f
          : binary == BinaryOp::Lt ? x.f < y.f
          : binary == BinaryOp::Le ? x.f <= y.f
          : binary == BinaryOp::Gt ? x.f > y.f
                                   : x.f >= y.f;
    else if (x.kind == Scalar::Kind::Signed)
      v = binary == BinaryOp::Eq   ? x.asSigned() == y.asSigned()
          : binary == BinaryOp::Ne ? x.asSigned() != y.asSigned()
          : binary == BinaryOp::Lt ? x.asSigned() < y.asSigned()
          : binary == BinaryOp::Le ? x.asSigned() <= y.asSigned()
          : binary == BinaryOp::Gt ? x.asSigned() > y.asSigned()
                                   : x.asSigned() >= y.asSigned();
    else
      v = binary == BinaryOp::Eq   ? x.bits == y.bits
          : binary == BinaryOp::Ne ? x.bits != y.bits
          : binary == BinaryOp::Lt ? x.bits < y.bits
          : binary == BinaryOp::Le ? x.bits <= y.bits
          : binary == BinaryOp::Gt ? x.bits > y.bits
                                   : x.bits >= y.bits;
    r.bits = v;
    return r;
  }

  Scalar out = x;
  if (x.kind == Scalar::Kind::Float) {
    if (binary == BinaryOp::Add)
      out.f = x.f + y.f;
    else if (binary == BinaryOp::Sub)
      out.f = x.f - y.f;
    else if (binary == BinaryOp::Mul)
      out.f = x.f * y.f;
    else if (binary == BinaryOp::Div)
      out.f = x.f / y.f;
    else
      return evalError("invalid operands to '" + std::string(op) + "': '" + typeName(a.type) +
                       "' and '" + typeName(b.type) + "'");
    return convertScalar(out, common);
  }
  bool isSigned = x.kind == Scalar::Kind::Signed;
  if (binary == BinaryOp::Add)
    out.bits = x.bits + y.bits;
  else if (binary == BinaryOp::Sub)
    out.bits = x.bits - y.bits;
  else if (binary == BinaryOp::Mul)
    out.bits = x.bits * y.bits;
  else if (binary == BinaryOp::Div || binary == BinaryOp::Rem) {
    if (y.bits == 0)
      return evalError("division by zero");
    uint64_t size = sizeOf(common);
    int64_t minValue = size >= 8 ? std::numeric_limits<int64_t>::min() : int64_t(INT32_MIN);
    if (isSigned && x.asSigned() == minValue && y.asSigned() == -1)
      out.bits = binary == BinaryOp::Div ? x.bits : 0; // Wraps, as the hardware would.
    else if (isSigned)
      out.bits = uint64_t(binary == BinaryOp::Div ? x.asSigned() / y.asSigned()
                                                  : x.asSigned() % y.asSigned());
    else
      out.bits = binary == BinaryOp::Div ? x.bits / y.bits : x.bits % y.bits;
  } else if (binary == BinaryOp::BitAnd)
    out.bits = x.bits & y.bits;
  else if (binary == BinaryOp::BitOr)
    out.bits = x.bits | y.bits;
  else if (binary == BinaryOp::BitXor)
    out.bits = x.bits ^ y.bits;
  else
    return evalError("unknown operator '" + std::string(op) + "'");
  return convertScalar(out, common);
}

} // namespace wasmscope::debugger
