// The type graph (DWARF 5 section 5): base, pointer, reference, struct,
// class, union, array, enum, typedef, qualifiers and function types, built
// from type DIEs as the walk meets them; plus C spelling and lookup by name.
#include "DwarfLoader.h"

#include <dwarf.h>

#include <algorithm>
#include <cctype>
#include <functional>

namespace wasmscope::debugger {
namespace {

BaseEncoding encodingOf(uint64_t ate) {
  switch (ate) {
  case DW_ATE_address:
    return BaseEncoding::Address;
  case DW_ATE_boolean:
    return BaseEncoding::Boolean;
  case DW_ATE_float:
    return BaseEncoding::Float;
  case DW_ATE_signed:
    return BaseEncoding::Signed;
  case DW_ATE_signed_char:
    return BaseEncoding::SignedChar;
  case DW_ATE_unsigned:
    return BaseEncoding::Unsigned;
  case DW_ATE_unsigned_char:
    return BaseEncoding::UnsignedChar;
  case DW_ATE_UTF:
    return BaseEncoding::Utf;
  case 0:
    return BaseEncoding::None;
  default:
    return BaseEncoding::Other;
  }
}

/// DW_AT_data_member_location as a byte offset: a constant, or the
/// DWARF 2 form `DW_OP_plus_uconst N` / `DW_OP_constu N`.
uint64_t memberOffset(const ListOrExpr &loc) {
  if (!loc.present)
    return 0;
  if (!loc.isExpr)
    return loc.value;
  auto ops = decodeExpression(loc.expr);
  if (ops && ops->size() == 1 &&
      ((*ops)[0].opcode == DW_OP_plus_uconst || (*ops)[0].opcode == DW_OP_constu))
    return (*ops)[0].operand1;
  return 0;
}

} // namespace

TypeSlot *ModuleSymbols::Impl::slotAt(uint64_t dieOffset) {
  if (TypeSlot *found = typeByOffset.find(dieOffset))
    return found;
  TypeSlot &slot = types.emplace_back();
  slot.type.dieOffset = dieOffset;
  typeByOffset.insert(dieOffset, &slot);
  return &slot;
}

bool DwarfLoader::visitType(Dwarf_Die die, DieAttrs &a, const Context &ctx, int depth) {
  TypeKind kind;
  switch (a.tag) {
  case DW_TAG_base_type:
    kind = TypeKind::Base;
    break;
  case DW_TAG_pointer_type:
    kind = TypeKind::Pointer;
    break;
  case DW_TAG_reference_type:
    kind = TypeKind::Reference;
    break;
  case DW_TAG_rvalue_reference_type:
    kind = TypeKind::RValueReference;
    break;
  case DW_TAG_ptr_to_member_type:
    kind = TypeKind::PointerToMember;
    break;
  case DW_TAG_structure_type:
    kind = TypeKind::Struct;
    break;
  case DW_TAG_class_type:
    kind = TypeKind::Class;
    break;
  case DW_TAG_union_type:
    kind = TypeKind::Union;
    break;
  case DW_TAG_array_type:
    kind = TypeKind::Array;
    break;
  case DW_TAG_enumeration_type:
    kind = TypeKind::Enum;
    break;
  case DW_TAG_typedef:
    kind = TypeKind::Typedef;
    break;
  case DW_TAG_const_type:
    kind = TypeKind::Const;
    break;
  case DW_TAG_volatile_type:
    kind = TypeKind::Volatile;
    break;
  case DW_TAG_restrict_type:
    kind = TypeKind::Restrict;
    break;
  case DW_TAG_atomic_type:
    kind = TypeKind::Atomic;
    break;
  case DW_TAG_subroutine_type:
    kind = TypeKind::Subroutine;
    break;
  case DW_TAG_unspecified_type:
    kind = TypeKind::Unspecified;
    break;
  default:
    return false;
  }
  TypeSlot *slot = m_impl.slotAt(a.offset);
  Type &t = slot->type;
  slot->filled = true;
  t.kind = kind;
  t.name = a.name ? a.name : "";
  t.byteSize = a.hasByteSize ? a.byteSize : 0;
  if ((kind == TypeKind::Pointer || kind == TypeKind::Reference ||
       kind == TypeKind::RValueReference) &&
      !a.hasByteSize)
    t.byteSize = m_unit.ctx.addressSize;
  t.encoding = encodingOf(a.encoding);
  t.target = a.type ? m_impl.typeAt(a.type) : nullptr;
  t.isDeclaration = a.declaration;
  t.isVector = kind == TypeKind::Array && a.vector;
  t.qualifiedName = t.name.empty() || ctx.prefix.empty() ? t.name : ctx.prefix + t.name;

  switch (kind) {
  case TypeKind::Struct:
  case TypeKind::Class:
  case TypeKind::Union:
  case TypeKind::Enum:
  case TypeKind::Array:
  case TypeKind::Subroutine: {
    Context c;
    c.parentType = &t;
    c.prefix = ctx.prefix;
    if (kind != TypeKind::Array && kind != TypeKind::Subroutine)
      c.prefix += (t.name.empty() ? std::string("(anonymous)") : t.name) + "::";
    c.declOnly = true;
    walkChildren(die, c, depth + 1);
    break;
  }
  default:
    break;
  }
  return true;
}

void DwarfLoader::visitTypeChild(DieAttrs &a, const Context &ctx) {
  Type &parent = *ctx.parentType;
  switch (a.tag) {
  case DW_TAG_member:
  case DW_TAG_inheritance:
  case DW_TAG_variable: {
    Member m;
    m.name = a.name ? a.name : "";
    m.type = a.type ? m_impl.typeAt(a.type) : nullptr;
    m.isBaseClass = a.tag == DW_TAG_inheritance;
    m.isStatic = a.tag == DW_TAG_variable || (a.declaration && a.external);
    m.byteOffset = memberOffset(a.memberLocation);
    if (a.hasBitSize) {
      m.bitSize = uint32_t(a.bitSize);
      uint64_t totalBits = 0;
      if (a.hasDataBitOffset) {
        totalBits = a.dataBitOffset;
      } else if (a.hasBitOffset) {
        // DWARF 2/3 counts from the most significant bit of a storage unit
        // of DW_AT_byte_size bytes; wasm is little-endian.
        uint64_t unitBits = (a.hasByteSize ? a.byteSize : 4) * 8;
        totalBits = m.byteOffset * 8 + unitBits - a.bitOffset - a.bitSize;
      } else {
        totalBits = m.byteOffset * 8;
      }
      m.byteOffset = totalBits / 8;
      m.bitOffset = uint32_t(totalBits % 8);
    }
    if (parent.kind == TypeKind::Struct || parent.kind == TypeKind::Class ||
        parent.kind == TypeKind::Union)
      parent.members.push_back(std::move(m));
    break;
  }
  case DW_TAG_enumerator: {
    Enumerator e;
    e.name = a.name ? a.name : "";
    e.value = int64_t(a.constValue);
    parent.enumerators.push_back(std::move(e));
    break;
  }
  case DW_TAG_subrange_type: {
    ArrayDimension d;
    d.lowerBound = a.hasLowerBound ? a.lowerBound : 0;
    if (a.hasCount)
      d.count = a.count;
    else if (a.hasUpperBound && a.upperBound >= d.lowerBound)
      d.count = uint64_t(a.upperBound - d.lowerBound + 1);
    if (parent.kind == TypeKind::Array)
      parent.dimensions.push_back(d);
    break;
  }
  case DW_TAG_formal_parameter:
    if (parent.kind == TypeKind::Subroutine)
      parent.parameters.push_back(a.type ? m_impl.typeAt(a.type) : nullptr);
    break;
  case DW_TAG_unspecified_parameters:
    parent.variadic = true;
    break;
  default:
    break;
  }
}

void ModuleSymbols::Impl::completeDeclarations() {
  // C headers declare a struct that one unit defines (`typedef struct
  // lua_State lua_State;`): every other unit's debug info has only the
  // declaration. As LLDB and gdb do, a declaration stands for a definition
  // of the same kind and name anywhere in the module, so references to it
  // are pointed at the definition.
  auto keyOf = [](const Type &t) {
    return std::to_string(int(t.kind == TypeKind::Class ? TypeKind::Struct : t.kind)) + ":" +
           t.qualifiedName;
  };
  auto completable = [](const Type &t) {
    return (t.kind == TypeKind::Struct || t.kind == TypeKind::Class || t.kind == TypeKind::Union ||
            t.kind == TypeKind::Enum) &&
           !t.qualifiedName.empty();
  };
  std::unordered_map<std::string, const Type *> definitions;
  bool anyDeclaration = false;
  for (const TypeSlot &slot : types) {
    if (!completable(slot.type))
      continue;
    if (slot.type.isDeclaration)
      anyDeclaration = true;
    else
      definitions.emplace(keyOf(slot.type), &slot.type); // The first one wins, as in gdb.
  }
  if (!anyDeclaration)
    return;
  std::unordered_map<const Type *, const Type *> definitionOf;
  for (const TypeSlot &slot : types)
    if (slot.type.isDeclaration && completable(slot.type))
      if (auto it = definitions.find(keyOf(slot.type)); it != definitions.end())
        definitionOf.emplace(&slot.type, it->second);
  if (definitionOf.empty())
    return;
  auto complete = [&](const Type *&t) {
    if (t)
      if (auto it = definitionOf.find(t); it != definitionOf.end())
        t = it->second;
  };
  for (TypeSlot &slot : types) {
    complete(slot.type.target);
    for (Member &m : slot.type.members)
      complete(m.type);
    for (const Type *&p : slot.type.parameters)
      complete(p);
  }
  // Scopes nest as deep as the DIE walk allowed (bounded there).
  std::function<void(Scope &)> completeScope = [&](Scope &scope) {
    for (Variable &v : scope.variables)
      complete(v.type);
    for (Scope &child : scope.children)
      completeScope(child);
  };
  for (auto &fn : functions) {
    complete(fn->returnType);
    completeScope(fn->scope);
  }
  for (Variable &v : globals)
    complete(v.type);
}

void ModuleSymbols::Impl::indexTypes() {
  completeDeclarations();
  // Sizes DWARF leaves implicit: arrays, and aliases of sized types.
  std::function<uint64_t(Type *, int)> sizeOf = [&](Type *t, int depth) -> uint64_t {
    if (!t || depth > 64)
      return 0;
    if (t->byteSize)
      return t->byteSize;
    switch (t->kind) {
    case TypeKind::Typedef:
    case TypeKind::Const:
    case TypeKind::Volatile:
    case TypeKind::Restrict:
    case TypeKind::Atomic:
    case TypeKind::Enum:
      t->byteSize = sizeOf(const_cast<Type *>(t->target), depth + 1);
      break;
    case TypeKind::Array: {
      uint64_t n = sizeOf(const_cast<Type *>(t->target), depth + 1);
      for (const ArrayDimension &d : t->dimensions) {
        // Saturate: hostile counts must not wrap to a small, plausible size.
        uint64_t count = d.count.value_or(0);
        n = count && n > UINT64_MAX / count ? UINT64_MAX : n * count;
      }
      t->byteSize = n;
      break;
    }
    default:
      break;
    }
    return t->byteSize;
  };
  typesByName.reserve(types.size() / 4);
  for (TypeSlot &slot : types) {
    sizeOf(&slot.type, 0);
    if (!slot.type.name.empty()) {
      typesByName[slot.type.name].push_back(&slot.type);
      if (slot.type.qualifiedName != slot.type.name)
        typesByName[slot.type.qualifiedName].push_back(&slot.type);
    }
    for (Member &m : slot.type.members)
      if (m.isBaseClass && m.name.empty() && m.type)
        m.name = m.type->name;
  }
}

const Type *Type::stripped() const {
  const Type *t = this;
  for (int guard = 0; guard < 64 && t; ++guard) {
    switch (t->kind) {
    case TypeKind::Typedef:
    case TypeKind::Const:
    case TypeKind::Volatile:
    case TypeKind::Restrict:
    case TypeKind::Atomic:
      if (!t->target)
        return t;
      t = t->target;
      break;
    default:
      return t;
    }
  }
  return t;
}

namespace {

/// Bounds on spelling one type. The graph comes from untrusted DWARF: a
/// chain of thousands of pointers, a typedef cycle, or a function type whose
/// parameters are pointers to itself (which branches at every level) would
/// otherwise recurse without end or take exponential time. Past either
/// bound the rest is spelled "...".
constexpr int kMaxSpellDepth = 32;
constexpr int kMaxSpellNodes = 256;

/// C declarator spelling: `inner` is what is already built around the
/// declared name (e.g. "*" or "(*)[3]"). `budget` counts down the nodes
/// visited in the whole spelling.
std::string spell(const Type *t, const std::string &inner, int depth, int &budget) {
  auto join = [](const std::string &base, const std::string &in) {
    if (in.empty())
      return base;
    if (in[0] == '[' || in[0] == '(')
      return base + " " + in;
    return base + " " + in;
  };
  if (depth > kMaxSpellDepth || --budget < 0)
    return join("...", inner);
  if (!t)
    return join("void", inner);
  switch (t->kind) {
  case TypeKind::Void:
    return join("void", inner);
  case TypeKind::Base:
  case TypeKind::Typedef:
  case TypeKind::Unspecified:
    return join(t->qualifiedName.empty() ? (t->name.empty() ? "<unnamed>" : t->name)
                                         : t->qualifiedName,
                inner);
  case TypeKind::Struct:
  case TypeKind::Class:
  case TypeKind::Union:
  case TypeKind::Enum: {
    const char *keyword = t->kind == TypeKind::Struct  ? "struct "
                          : t->kind == TypeKind::Class ? "class "
                          : t->kind == TypeKind::Union ? "union "
                                                       : "enum ";
    const std::string &name = t->qualifiedName.empty() ? t->name : t->qualifiedName;
    return join(keyword + (name.empty() ? std::string("(anonymous)") : name), inner);
  }
  case TypeKind::Pointer:
  case TypeKind::Reference:
  case TypeKind::RValueReference:
  case TypeKind::PointerToMember: {
    std::string sigil = t->kind == TypeKind::Pointer           ? "*"
                        : t->kind == TypeKind::Reference       ? "&"
                        : t->kind == TypeKind::RValueReference ? "&&"
                                                               : "::*";
    std::string in = sigil;
    if (!inner.empty())
      in += (std::isalpha(static_cast<unsigned char>(inner[0])) ? " " : "") + inner;
    const Type *target = t->target;
    if (target && (target->kind == TypeKind::Array || target->kind == TypeKind::Subroutine))
      in = "(" + in + ")";
    return spell(target, in, depth + 1, budget);
  }
  case TypeKind::Const:
  case TypeKind::Volatile:
  case TypeKind::Restrict:
  case TypeKind::Atomic: {
    const char *q = t->kind == TypeKind::Const      ? "const"
                    : t->kind == TypeKind::Volatile ? "volatile"
                    : t->kind == TypeKind::Restrict ? "restrict"
                                                    : "_Atomic";
    const Type *target = t->target;
    if (target && (target->kind == TypeKind::Pointer || target->kind == TypeKind::Reference ||
                   target->kind == TypeKind::RValueReference))
      return spell(target, std::string(q) + (inner.empty() ? "" : " " + inner), depth + 1,
                   budget);
    return std::string(q) + " " + spell(target, inner, depth + 1, budget);
  }
  case TypeKind::Array: {
    std::string in = inner;
    for (const ArrayDimension &d : t->dimensions) {
      if (--budget < 0) {
        in += "[...]";
        break;
      }
      in += d.count ? "[" + std::to_string(*d.count) + "]" : "[]";
    }
    if (t->dimensions.empty())
      in += "[]";
    return spell(t->target, in, depth + 1, budget);
  }
  case TypeKind::Subroutine: {
    std::string params;
    for (size_t i = 0; i < t->parameters.size(); ++i) {
      if (i)
        params += ", ";
      if (budget < 0) {
        params += "...";
        break;
      }
      params += spell(t->parameters[i], "", depth + 1, budget);
    }
    if (t->variadic)
      params += t->parameters.empty() ? "..." : ", ...";
    if (params.empty())
      params = "void";
    return spell(t->target, inner + "(" + params + ")", depth + 1, budget);
  }
  }
  return join("?", inner);
}

} // namespace

std::string Type::displayName() const {
  int budget = kMaxSpellNodes;
  std::string s = spell(this, "", 0, budget);
  // "int (*)(int)" rather than "int (*) (int)"; "int [4]" -> "int[4]".
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ' ' && i + 1 < s.size() &&
        (s[i + 1] == '[' || (s[i + 1] == '(' && i > 0 && s[i - 1] == ')')))
      continue;
    out += s[i];
  }
  return out;
}

const Type *ModuleSymbols::findType(std::string_view name) const {
  std::optional<TypeKind> want;
  auto strip = [&](std::string_view keyword, TypeKind kind) {
    if (name.substr(0, keyword.size()) == keyword) {
      name.remove_prefix(keyword.size());
      want = kind;
    }
  };
  strip("struct ", TypeKind::Struct);
  strip("class ", TypeKind::Class);
  strip("union ", TypeKind::Union);
  strip("enum ", TypeKind::Enum);
  auto it = m_impl->typesByName.find(std::string(name));
  if (it == m_impl->typesByName.end())
    return nullptr;
  const Type *fallback = nullptr;
  for (const Type *t : it->second) {
    bool kindOk = !want || t->kind == *want ||
                  (*want == TypeKind::Struct && t->kind == TypeKind::Class) ||
                  (*want == TypeKind::Class && t->kind == TypeKind::Struct);
    if (!kindOk)
      continue;
    if (!t->isDeclaration)
      return t;
    if (!fallback)
      fallback = t;
  }
  return fallback;
}

std::vector<const Type *> ModuleSymbols::types() const {
  std::vector<const Type *> out;
  out.reserve(m_impl->types.size());
  for (const TypeSlot &slot : m_impl->types)
    out.push_back(&slot.type);
  std::sort(out.begin(), out.end(),
            [](const Type *a, const Type *b) { return a->dieOffset < b->dieOffset; });
  return out;
}

} // namespace wasmscope::debugger
