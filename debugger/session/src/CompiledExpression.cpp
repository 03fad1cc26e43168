// The expression compiler (CompiledExpression.h). Each syntax node becomes
// an Operand: its static type, a closure giving its scalar value, and, for
// an object in linear memory, a closure giving its address (what member
// access, indexing and `&` build on). Names are bound to the location their
// DWARF gives at the compiled pc.
#include "CompiledExpression.h"

#include <cstring>

namespace wasmscope::debugger {

namespace {

// DWARF operations the compiler recognises in a location (DWARF 5 7.7.1).
constexpr uint8_t kOpAddr = 0x03;
constexpr uint8_t kOpConstU = 0x10;
constexpr uint8_t kOpConstS = 0x11;
constexpr uint8_t kOpLit0 = 0x30;
constexpr uint8_t kOpLit31 = 0x4f;
constexpr uint8_t kOpFbreg = 0x91;
constexpr uint8_t kOpStackValue = 0x9f;

using Eval = CompiledExpression::Eval;
using AddressEval = std::function<Result<uint64_t>(const HitFrame&)>;

Error error(std::string message) {
  return Error(ErrorCode::InvalidArgument, std::move(message));
}

struct Operand {
  const Type* type = nullptr;
  Eval value;          ///< Set for scalars (and arrays, which decay to a pointer).
  AddressEval address; ///< Set for objects in linear memory.
};

Result<uint64_t> readMemory(const HitFrame& f, uint64_t address, uint64_t size) {
  const runtime::MemoryInstance* mem = f.memory;
  if (!mem || !mem->inBounds(address, size)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "cannot read memory at 0x%08llx",
                  static_cast<unsigned long long>(address));
    return error(buf);
  }
  uint64_t bits = 0;
  std::memcpy(&bits, mem->data + address, size); // Little-endian host and guest.
  return bits;
}

Scalar constant(const Type* type, uint64_t bits, Scalar::Kind kind) {
  Scalar s;
  s.type = type;
  s.kind = kind;
  s.bits = bits;
  return s;
}

class Compiler {
public:
  explicit Compiler(CompileScope& scope) : m_scope(scope), m_types(scope.types()) {}

  std::optional<Operand> compile(const expr::Node& node);

private:
  std::optional<Operand> identifier(const expr::Node& node);
  std::optional<Operand> variable(const Variable& v);
  std::optional<Operand> wasmName(const expr::Node& node);
  std::optional<Operand> member(const expr::Node& node);
  std::optional<Operand> index(const expr::Node& node);
  std::optional<Operand> unary(const expr::Node& node);
  std::optional<Operand> binary(const expr::Node& node);
  std::optional<Operand> conditional(const expr::Node& node);
  std::optional<Operand> cast(const expr::Node& node);
  std::optional<Operand> sizeOfType(const Type* type);
  const Type* resolveType(const expr::TypeName& name);

  /// An object of `type` at the address `address` gives.
  Operand inMemory(const Type* type, AddressEval address);
  /// A scalar of `type` held in the bits `read` gives.
  std::optional<Operand> fromBits(const Type* type,
                                  std::function<Result<uint64_t>(const HitFrame&)> read);
  /// A scalar of `type` (1 where a value matters, so `/` does not fail),
  /// for working out result types; arrays stand in as their pointers.
  std::optional<Scalar> standIn(const Type* type) {
    if (isArray(type))
      type = m_types.pointerTo(m_types.elementType(type));
    return scalarFromBits(type, 1);
  }
  Operand literal(const Scalar& s) {
    return Operand{s.type, [s](const HitFrame&) -> Result<Scalar> { return s; }, nullptr};
  }

  CompileScope& m_scope;
  TypeFactory& m_types;
};

Operand Compiler::inMemory(const Type* type, AddressEval address) {
  Operand out;
  out.type = type;
  out.address = address;
  const Type* t = strip(type);
  if (t && t->kind == TypeKind::Array) {
    // An array's value is a pointer to its first element.
    const Type* pointer = m_types.pointerTo(m_types.elementType(type));
    out.value = [address, pointer](const HitFrame& f) -> Result<Scalar> {
      TRY_ASSIGN(uint64_t a, address(f));
      return constant(pointer, a, Scalar::Kind::Pointer);
    };
    return out;
  }
  uint64_t size = sizeOf(t);
  if (scalarFromBits(type, 0) && size >= 1 && size <= 8) {
    out.value = [address, type, size](const HitFrame& f) -> Result<Scalar> {
      TRY_ASSIGN(uint64_t a, address(f));
      TRY_ASSIGN(uint64_t bits, readMemory(f, a, size));
      return *scalarFromBits(type, bits);
    };
  }
  return out;
}

std::optional<Operand> Compiler::fromBits(const Type* type,
                                          std::function<Result<uint64_t>(const HitFrame&)> read) {
  if (!scalarFromBits(type, 0) || sizeOf(type) > 8)
    return std::nullopt;
  Operand out;
  out.type = type;
  out.value = [read, type](const HitFrame& f) -> Result<Scalar> {
    TRY_ASSIGN(uint64_t bits, read(f));
    return *scalarFromBits(type, bits);
  };
  return out;
}

std::optional<Operand> Compiler::variable(const Variable& v) {
  const Type* type = v.type;
  if (!type)
    return std::nullopt;
  const DwarfExpression* e = v.expressionAt(m_scope.pc());
  if (!e || e->empty()) {
    if (!v.constValue || v.constValue->empty() || v.constValue->size() > 8 || (e && e->empty()))
      return std::nullopt; // Optimized out: the tree evaluator says so.
    uint64_t bits = 0;
    std::memcpy(&bits, v.constValue->data(), v.constValue->size());
    std::optional<Scalar> s = scalarFromBits(type, bits);
    return s ? std::optional(literal(*s)) : std::nullopt;
  }
  const DwarfExpression& ops = *e;
  auto wasmItem = [&](const DwarfOp& op) -> std::optional<std::pair<bool, uint32_t>> {
    // (isLocal, index) of a DW_OP_WASM_location naming a local or a global.
    if (op.opcode != kDwOpWasmLocation || op.operand2 > UINT32_MAX)
      return std::nullopt;
    if (op.operand1 == uint64_t(WasmLocationKind::Local))
      return std::pair{true, uint32_t(op.operand2)};
    if (op.operand1 == uint64_t(WasmLocationKind::Global) ||
        op.operand1 == uint64_t(WasmLocationKind::GlobalFixed))
      return std::pair{false, uint32_t(op.operand2)};
    return std::nullopt;
  };
  // The bits of wasm local or global `item`, masked to its type.
  auto itemReader = [&](std::pair<bool, uint32_t> item)
      -> std::optional<std::function<Result<uint64_t>(const HitFrame&)>> {
    auto [isLocal, index] = item;
    std::optional<uint64_t> mask = isLocal ? m_scope.localMask(index) : m_scope.globalMask(index);
    if (!mask)
      return std::nullopt;
    uint64_t m = *mask;
    if (isLocal)
      return [index, m](const HitFrame& f) -> Result<uint64_t> {
        if (!f.locals || index >= f.numLocals)
          return error("no wasm local " + std::to_string(index) + " in this frame");
        return f.local(index).i64 & m;
      };
    return [index, m](const HitFrame& f) -> Result<uint64_t> {
      if (!f.instance || index >= f.instance->numGlobals())
        return error("no wasm global " + std::to_string(index));
      return f.instance->global(index)->value & m;
    };
  };

  // `DW_OP_WASM_location k i, DW_OP_stack_value`: the value is the local or global.
  if (ops.size() == 2 && ops[1].opcode == kOpStackValue)
    if (auto item = wasmItem(ops[0])) {
      auto read = itemReader(*item);
      return read ? fromBits(type, *read) : std::nullopt;
    }
  // A constant: `DW_OP_constu/consts N` or `DW_OP_litN`, `DW_OP_stack_value`.
  if (ops.size() == 2 && ops[1].opcode == kOpStackValue &&
      (ops[0].opcode == kOpConstU || ops[0].opcode == kOpConstS ||
       (ops[0].opcode >= kOpLit0 && ops[0].opcode <= kOpLit31))) {
    uint64_t bits = ops[0].opcode >= kOpLit0 ? uint64_t(ops[0].opcode - kOpLit0) : ops[0].operand1;
    std::optional<Scalar> s = scalarFromBits(type, bits);
    return s ? std::optional(literal(*s)) : std::nullopt;
  }
  if (ops.size() != 1)
    return std::nullopt;
  const DwarfOp& op = ops[0];
  // `DW_OP_addr A`: a static.
  if (op.opcode == kOpAddr) {
    uint64_t address = op.operand1 & 0xffffffffu;
    return inMemory(type, [address](const HitFrame&) -> Result<uint64_t> { return address; });
  }
  // `DW_OP_WASM_location k i` alone: the local or global holds the address.
  if (auto item = wasmItem(op)) {
    auto read = itemReader(*item);
    if (!read)
      return std::nullopt;
    return inMemory(type, [r = *read](const HitFrame& f) -> Result<uint64_t> {
      TRY_ASSIGN(uint64_t base, r(f));
      return base & 0xffffffffu;
    });
  }
  // `DW_OP_fbreg N`, with the frame base in a local or a global.
  if (op.opcode == kOpFbreg && v.function) {
    const DwarfExpression& fb = v.function->frameBase;
    if (fb.size() != 2 || fb[1].opcode != kOpStackValue)
      return std::nullopt;
    auto item = wasmItem(fb[0]);
    auto read = item ? itemReader(*item) : std::nullopt;
    if (!read)
      return std::nullopt;
    uint64_t offset = op.operand1;
    return inMemory(type, [r = *read, offset](const HitFrame& f) -> Result<uint64_t> {
      TRY_ASSIGN(uint64_t base, r(f));
      return (base + offset) & 0xffffffffu; // wasm32 addresses, as the DWARF evaluator.
    });
  }
  return std::nullopt;
}

std::optional<Operand> Compiler::identifier(const expr::Node& node) {
  if (const Variable* v = m_scope.variable(node.name))
    return variable(*v);
  if (auto e = m_scope.enumerator(node.name)) {
    std::optional<Scalar> s = scalarFromBits(e->first, uint64_t(e->second));
    if (!s) {
      // An enum without a size: as the tree evaluator, an int-sized value.
      Scalar c = constant(e->first, uint64_t(e->second),
                          e->second < 0 ? Scalar::Kind::Signed : Scalar::Kind::Unsigned);
      return literal(c);
    }
    return literal(*s);
  }
  if (node.name == "true" || node.name == "false")
    return literal(constant(m_types.intType(), node.name == "true", Scalar::Kind::Signed));
  if (node.name == "NULL" || node.name == "nullptr")
    return literal(constant(m_types.pointerTo(m_types.voidType()), 0, Scalar::Kind::Pointer));
  return std::nullopt; // "no variable named ..." comes from the tree evaluator.
}

std::optional<Operand> Compiler::wasmName(const expr::Node& node) {
  auto number = [&](std::string_view prefix) -> std::optional<uint32_t> {
    std::string_view s = node.name;
    if (s.substr(0, prefix.size()) != prefix || s.size() == prefix.size() ||
        s.size() > prefix.size() + 9)
      return std::nullopt;
    uint32_t n = 0;
    for (char c : s.substr(prefix.size())) {
      if (c < '0' || c > '9')
        return std::nullopt;
      n = n * 10 + uint32_t(c - '0');
    }
    return n;
  };
  std::optional<uint32_t> local = number("local");
  std::optional<uint32_t> global = local ? std::nullopt : number("global");
  if (!local && !global)
    return std::nullopt;
  std::optional<uint64_t> mask = local ? m_scope.localMask(*local) : m_scope.globalMask(*global);
  if (!mask)
    return std::nullopt;
  // The wasm types by their slot width; floats are left to the tree.
  const Type* type = m_types.wasmType(*mask == 0xffffffffu ? "i32" : "i64");
  uint32_t index = local ? *local : *global;
  uint64_t m = *mask;
  if (local)
    return fromBits(type, [index, m](const HitFrame& f) -> Result<uint64_t> {
      if (!f.locals || index >= f.numLocals)
        return error("this frame has no wasm local " + std::to_string(index));
      return f.local(index).i64 & m;
    });
  return fromBits(type, [index, m](const HitFrame& f) -> Result<uint64_t> {
    if (!f.instance || index >= f.instance->numGlobals())
      return error("the module has no wasm global " + std::to_string(index));
    return f.instance->global(index)->value & m;
  });
}

std::optional<Operand> Compiler::member(const expr::Node& node) {
  std::optional<Operand> base = compile(*node.children[0]);
  if (!base)
    return std::nullopt;
  const Type* objectType = base->type;
  AddressEval objectAddress;
  if (isPointer(base->type)) {
    if (!base->value)
      return std::nullopt;
    objectType = strip(base->type)->target;
    objectAddress = [value = base->value](const HitFrame& f) -> Result<uint64_t> {
      TRY_ASSIGN(Scalar p, value(f));
      return p.bits;
    };
  } else {
    objectAddress = base->address;
  }
  const Type* t = strip(objectType);
  if (!objectAddress || !isAggregate(t) || t->isDeclaration)
    return std::nullopt;
  uint64_t offset = 0;
  const Member* m = findMemberOf(t, node.name, offset);
  if (!m || m->bitSize || !m->type)
    return std::nullopt;
  return inMemory(m->type, [objectAddress, offset](const HitFrame& f) -> Result<uint64_t> {
    TRY_ASSIGN(uint64_t a, objectAddress(f));
    return a + offset;
  });
}

std::optional<Operand> Compiler::index(const expr::Node& node) {
  std::optional<Operand> base = compile(*node.children[0]);
  std::optional<Operand> idx = compile(*node.children[1]);
  if (!base || !idx)
    return std::nullopt;
  if (!isArray(base->type) && !isPointer(base->type) &&
      (isArray(idx->type) || isPointer(idx->type)))
    std::swap(base, idx);
  if (!isIntegral(idx->type) || !idx->value)
    return std::nullopt;
  Eval i = idx->value;
  if (isArray(base->type)) {
    const Type* elem = m_types.elementType(base->type);
    uint64_t size = sizeOf(elem);
    if (!base->address || !elem)
      return std::nullopt;
    return inMemory(elem, [a = base->address, i, size](const HitFrame& f) -> Result<uint64_t> {
      TRY_ASSIGN(uint64_t address, a(f));
      TRY_ASSIGN(Scalar n, i(f));
      return address + n.bits * size;
    });
  }
  if (!isPointer(base->type) || !base->value)
    return std::nullopt;
  const Type* elem = strip(base->type)->target;
  uint64_t size = sizeOf(elem);
  if (!elem || size == 0)
    return std::nullopt;
  return inMemory(elem, [p = base->value, i, size](const HitFrame& f) -> Result<uint64_t> {
    TRY_ASSIGN(Scalar pointer, p(f));
    TRY_ASSIGN(Scalar n, i(f));
    return pointer.bits + n.bits * size;
  });
}

std::optional<Operand> Compiler::unary(const expr::Node& node) {
  std::optional<Operand> operand = compile(*node.children[0]);
  if (!operand)
    return std::nullopt;
  if (node.op == "&") {
    if (!operand->address)
      return std::nullopt;
    const Type* pointer = m_types.pointerTo(operand->type ? operand->type : m_types.voidType());
    Operand out;
    out.type = pointer;
    out.value = [a = operand->address, pointer](const HitFrame& f) -> Result<Scalar> {
      TRY_ASSIGN(uint64_t address, a(f));
      return constant(pointer, address, Scalar::Kind::Pointer);
    };
    return out;
  }
  if (node.op == "*") {
    if (isArray(operand->type)) {
      if (!operand->address)
        return std::nullopt;
      return inMemory(m_types.elementType(operand->type), operand->address);
    }
    const Type* target = isPointer(operand->type) ? strip(operand->type)->target : nullptr;
    const Type* t = strip(target);
    if (!t || t->kind == TypeKind::Void || t->kind == TypeKind::Subroutine || !operand->value)
      return std::nullopt;
    return inMemory(target, [p = operand->value](const HitFrame& f) -> Result<uint64_t> {
      TRY_ASSIGN(Scalar pointer, p(f));
      return pointer.bits;
    });
  }
  std::optional<UnaryOp> op = unaryOpOf(node.op);
  if (!op || !operand->value)
    return std::nullopt;
  const TypeFactory* types = &m_types;
  Operand out;
  std::optional<Scalar> stand = standIn(operand->type);
  Result<Scalar> typed =
      stand ? applyUnary(m_types, *op, *stand) : Result<Scalar>(error("no scalar operand"));
  if (!typed.ok())
    return std::nullopt;
  out.type = typed->type;
  out.value = [v = operand->value, op = *op, types](const HitFrame& f) -> Result<Scalar> {
    TRY_ASSIGN(Scalar s, v(f));
    return applyUnary(*types, op, s);
  };
  return out;
}

std::optional<Operand> Compiler::binary(const expr::Node& node) {
  std::optional<BinaryOp> op = binaryOpOf(node.op);
  std::optional<Operand> a = compile(*node.children[0]);
  std::optional<Operand> b = compile(*node.children[1]);
  if (!op || !a || !b || !a->value || !b->value)
    return std::nullopt;
  const TypeFactory* types = &m_types;
  Operand out;
  Eval x = a->value, y = b->value;
  if (*op == BinaryOp::LogicalAnd || *op == BinaryOp::LogicalOr) {
    bool isAnd = *op == BinaryOp::LogicalAnd;
    const Type* intType = m_types.intType();
    out.type = intType;
    out.value = [x, y, isAnd, intType](const HitFrame& f) -> Result<Scalar> {
      TRY_ASSIGN(Scalar l, x(f));
      bool lv = !l.isZero();
      if (isAnd != lv) // false && ..., true || ...: the right side is not evaluated.
        return constant(intType, lv ? 1 : 0, Scalar::Kind::Signed);
      TRY_ASSIGN(Scalar r, y(f));
      return constant(intType, r.isZero() ? 0 : 1, Scalar::Kind::Signed);
    };
    return out;
  }
  // The static result type: the operator applied to stand-in operands of
  // the operands' types.
  std::optional<Scalar> sa = standIn(a->type), sb = standIn(b->type);
  Result<Scalar> typed =
      sa && sb ? applyBinary(m_types, *op, *sa, *sb) : Result<Scalar>(error("no scalar operands"));
  if (!typed.ok())
    return std::nullopt;
  out.type = typed->type;
  out.value = [x, y, op = *op, types](const HitFrame& f) -> Result<Scalar> {
    TRY_ASSIGN(Scalar l, x(f));
    TRY_ASSIGN(Scalar r, y(f));
    return applyBinary(*types, op, l, r);
  };
  return out;
}

std::optional<Operand> Compiler::conditional(const expr::Node& node) {
  std::optional<Operand> c = compile(*node.children[0]);
  std::optional<Operand> x = compile(*node.children[1]);
  std::optional<Operand> y = compile(*node.children[2]);
  if (!c || !x || !y || !c->value || !x->value || !y->value)
    return std::nullopt;
  Operand out;
  out.type = x->type;
  out.value = [c = c->value, x = x->value, y = y->value](const HitFrame& f) -> Result<Scalar> {
    TRY_ASSIGN(Scalar s, c(f));
    return s.isZero() ? y(f) : x(f);
  };
  return out;
}

const Type* Compiler::resolveType(const expr::TypeName& name) {
  const Type* base = m_types.builtin(name.base);
  if (!base)
    base = m_scope.namedType(name.base);
  if (!base)
    return nullptr;
  for (uint32_t i = 0; i < name.pointerDepth; ++i)
    base = m_types.pointerTo(base);
  return base;
}

std::optional<Operand> Compiler::cast(const expr::Node& node) {
  const Type* target = resolveType(node.type);
  const Type* t = strip(target);
  if (!t || t->kind == TypeKind::Void || isAggregate(t) || isArray(t))
    return std::nullopt;
  std::optional<Operand> v = compile(*node.children[0]);
  if (!v || !v->value)
    return std::nullopt;
  Operand out;
  out.type = target;
  out.value = [value = v->value, target](const HitFrame& f) -> Result<Scalar> {
    TRY_ASSIGN(Scalar s, value(f));
    return convertScalar(s, target);
  };
  return out;
}

std::optional<Operand> Compiler::sizeOfType(const Type* type) {
  uint64_t size = sizeOf(type);
  if (!type || size == 0)
    return std::nullopt; // Incomplete or void: the tree evaluator explains.
  return literal(constant(m_types.sizeType(), size, Scalar::Kind::Unsigned));
}

std::optional<Operand> Compiler::compile(const expr::Node& node) {
  using expr::NodeKind;
  switch (node.kind) {
  case NodeKind::IntLiteral:
    return literal(constant(
        node.isLong ? (node.isUnsigned ? m_types.unsignedLongLongType() : m_types.longLongType())
                    : (node.isUnsigned ? m_types.unsignedType() : m_types.intType()),
        node.intValue, node.isUnsigned ? Scalar::Kind::Unsigned : Scalar::Kind::Signed));
  case NodeKind::FloatLiteral: {
    Scalar s;
    s.kind = Scalar::Kind::Float;
    s.f = node.isFloat32 ? double(float(node.floatValue)) : node.floatValue;
    s.type = node.isFloat32 ? m_types.floatType() : m_types.doubleType();
    return literal(s);
  }
  case NodeKind::CharLiteral:
    return literal(constant(m_types.charType(), uint64_t(int64_t(int8_t(node.intValue))),
                            Scalar::Kind::Signed));
  case NodeKind::Identifier:
    return identifier(node);
  case NodeKind::WasmName:
    return wasmName(node);
  case NodeKind::Member:
  case NodeKind::Arrow:
    return member(node);
  case NodeKind::Index:
    return index(node);
  case NodeKind::Unary:
    return unary(node);
  case NodeKind::Binary:
    return binary(node);
  case NodeKind::Conditional:
    return conditional(node);
  case NodeKind::Cast:
    return cast(node);
  case NodeKind::SizeofType:
    return sizeOfType(resolveType(node.type));
  case NodeKind::SizeofExpr: {
    // Objects only: the type of an arithmetic result is the tree's business.
    std::optional<Operand> v = compile(*node.children[0]);
    return v && (v->address || node.children[0]->kind == NodeKind::Identifier) ? sizeOfType(v->type)
                                                                               : std::nullopt;
  }
  case NodeKind::Assign:
    return std::nullopt; // Not in conditions; the tree evaluator refuses it.
  }
  return std::nullopt;
}

} // namespace

std::optional<CompiledExpression> CompiledExpression::compile(const expr::Node& tree,
                                                              CompileScope& scope) {
  Compiler compiler(scope);
  std::optional<Operand> op;
  try {
    op = compiler.compile(tree);
  } catch (const std::exception&) {
    return std::nullopt; // Out of memory while compiling: the tree still works.
  }
  if (!op || !op->value)
    return std::nullopt;
  return CompiledExpression(std::move(op->value), op->type);
}

bool HitEnvironment::readMemory(uint64_t address, std::span<uint8_t> out) {
  const runtime::MemoryInstance* mem = m_frame.memory;
  if (!mem || !mem->inBounds(address, out.size()))
    return false;
  if (!out.empty())
    std::memcpy(out.data(), mem->data + address, out.size());
  return true;
}

} // namespace wasmscope::debugger
