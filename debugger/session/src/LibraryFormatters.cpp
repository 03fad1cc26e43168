// Standard-library formatters (LibraryFormatters.h). Each family reads the
// members libc++ 19 and Rust's std name in their debug info, found through
// bases and anonymous unions as the evaluator finds `a.b`; a member that is
// missing or unreadable makes view() give nullopt, and the value shows as
// its plain members.
#include "LibraryFormatters.h"

#include "ValueFormatter.h"

#include <algorithm>

namespace wasmscope::debugger {

namespace {

/// "std::__2::vector<int>" -> "std::vector<int>": libc++'s inline ABI
/// namespace (`__1`, `__2`, ...) left out.
std::string withoutAbiNamespace(std::string_view name) {
  std::string out(name);
  if (out.starts_with("std::__") && out.size() > 8) {
    size_t end = out.find("::", 7);
    if (end != std::string::npos && end > 7 &&
        std::all_of(out.begin() + 7, out.begin() + long(end), [](char c) { return c >= '0' && c <= '9'; }))
      out.erase(5, end - 3);
  }
  return out;
}

/// The first template argument of "a::b<X, Y>" as spelled ("X"), or "".
std::string firstTemplateArgument(std::string_view name) {
  size_t open = name.find('<');
  if (open == std::string_view::npos)
    return {};
  int depth = 0;
  for (size_t i = open + 1; i < name.size(); ++i) {
    char c = name[i];
    if (c == '<' || c == '(')
      ++depth;
    else if ((c == '>' || c == ')') && depth > 0)
      --depth;
    else if ((c == ',' || c == '>') && depth == 0)
      return std::string(name.substr(open + 1, i - open - 1));
  }
  return {};
}

/// The abi namespace spelled in `name` ("std::__2::"), for building node type names.
std::string abiPrefix(std::string_view name) {
  size_t end = name.find("::", 5);
  if (name.starts_with("std::__") && end != std::string_view::npos)
    return std::string(name.substr(0, end + 2));
  return "std::";
}

} // namespace

LibraryFormatters::Family LibraryFormatters::familyOf(const Type* type) const {
  const Type* t = strip(type);
  if (!t || !isAggregate(t) || t->isDeclaration)
    return Family::None;
  const std::string name = withoutAbiNamespace(t->qualifiedName);
  if (name.starts_with("std::basic_string<char,"))
    return Family::CxxString;
  if (name.starts_with("std::vector<") && !name.starts_with("std::vector<bool,"))
    return Family::CxxVector;
  if (name.starts_with("std::map<") || name.starts_with("std::multimap<") ||
      name.starts_with("std::set<") || name.starts_with("std::multiset<"))
    return Family::CxxMap;
  if (name.starts_with("std::unordered_map<") || name.starts_with("std::unordered_multimap<") ||
      name.starts_with("std::unordered_set<") || name.starts_with("std::unordered_multiset<"))
    return Family::CxxUnorderedMap;
  if (name.starts_with("std::optional<"))
    return Family::CxxOptional;
  if (name.starts_with("std::unique_ptr<") && name.find("[]") == std::string::npos)
    return Family::CxxUniquePtr;
  if (name.starts_with("std::shared_ptr<"))
    return Family::CxxSharedPtr;
  if (name == "alloc::string::String")
    return Family::RustString;
  if (name == "&str" || name == "&mut str")
    return Family::RustStr;
  if (name.starts_with("&[") || name.starts_with("&mut ["))
    return Family::RustSlice;
  if (name.starts_with("alloc::vec::Vec<"))
    return Family::RustVec;
  return Family::None;
}

Result<EvalValue> LibraryFormatters::member(const EvalValue& value, std::string_view name) {
  return memberOf(m_env, m_types, value, name);
}

Result<uint64_t> LibraryFormatters::integer(const EvalValue& value) {
  TRY_ASSIGN(Scalar s, loadScalar(m_env, m_types, value));
  if (s.kind == Scalar::Kind::Float)
    return Error(ErrorCode::InvalidArgument, "a count that is a floating-point number");
  return s.bits;
}

Result<uint64_t> LibraryFormatters::integerMember(const EvalValue& value, std::string_view name) {
  TRY_ASSIGN(EvalValue m, member(value, name));
  return integer(m);
}

Result<EvalValue> LibraryFormatters::rustPointer(EvalValue value) {
  for (int i = 0; i < 6 && !isPointer(value.type); ++i) {
    TRY_ASSIGN(value, member(value, "pointer"));
  }
  if (!isPointer(value.type))
    return Error(ErrorCode::InvalidArgument, "no pointer inside Rust's Unique/NonNull");
  return value;
}

Result<std::string> LibraryFormatters::text(uint64_t address, uint64_t length) {
  uint64_t shown = std::min<uint64_t>(length, ValueFormatter::kMaxString);
  std::vector<uint8_t> bytes(shown);
  if (shown && !m_env.readMemory(address, bytes))
    return Error(ErrorCode::InvalidArgument, "unreadable string at " + hexAddress(address));
  return quoteString(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
                     shown < length);
}

Result<LibraryFormatters::Contiguous> LibraryFormatters::contiguous(const EvalValue& value,
                                                                   Family family) {
  Contiguous out;
  EvalValue data;
  if (family == Family::CxxVector) {
    TRY_ASSIGN(data, member(value, "__begin_"));
    TRY_ASSIGN(EvalValue end, member(value, "__end_"));
    TRY_ASSIGN(uint64_t endAddress, integer(end));
    TRY_ASSIGN(out.data, integer(data));
    out.element = strip(strip(data.type)->target);
    uint64_t size = sizeOf(out.element);
    if (!isPointer(data.type) || size == 0 || endAddress < out.data)
      return Error(ErrorCode::InvalidArgument, "not a vector");
    out.length = (endAddress - out.data) / size;
    out.dataExpression = ".__begin_";
    return out;
  }
  if (family == Family::RustStr || family == Family::RustSlice) {
    TRY_ASSIGN(data, member(value, "data_ptr"));
    TRY_ASSIGN(out.length, integerMember(value, "length"));
    out.dataExpression = ".data_ptr";
  } else { // RustVec, or the Vec<u8> of a RustString
    EvalValue vec = value;
    if (family == Family::RustString) {
      TRY_ASSIGN(vec, member(value, "vec"));
    }
    TRY_ASSIGN(EvalValue buf, member(vec, "buf"));
    TRY_ASSIGN(EvalValue ptr, member(buf, "ptr"));
    TRY_ASSIGN(data, rustPointer(ptr));
    TRY_ASSIGN(out.length, integerMember(vec, "len"));
  }
  if (!isPointer(data.type))
    return Error(ErrorCode::InvalidArgument, "no data pointer");
  TRY_ASSIGN(out.data, integer(data));
  out.element = strip(strip(data.type)->target);
  if (!out.element || sizeOf(out.element) == 0)
    return Error(ErrorCode::InvalidArgument, "elements of unknown size");
  return out;
}

const Type* LibraryFormatters::mapNodeType(const EvalValue& value, Family family) {
  bool tree = family == Family::CxxMap;
  Result<EvalValue> table = member(value, tree ? "__tree_" : "__table_");
  if (!table.ok())
    return nullptr;
  const Type* t = strip(table->type);
  std::string element = firstTemplateArgument(t ? t->qualifiedName : std::string());
  if (element.empty())
    return nullptr;
  std::string prefix = abiPrefix(t->qualifiedName);
  return m_env.namedType(prefix + (tree ? "__tree_node<" : "__hash_node<") + element +
                         ", void *>");
}

Result<std::vector<uint64_t>> LibraryFormatters::mapNodes(const EvalValue& value, Family family,
                                                          uint64_t limit) {
  std::vector<uint64_t> nodes;
  const Type* nodeType = mapNodeType(value, family);
  if (!nodeType)
    return Error(ErrorCode::InvalidArgument, "no node type for this container");
  auto field = [&](uint64_t node, std::string_view name) -> Result<uint64_t> {
    return integerMember(EvalValue::memory(nodeType, node), name);
  };
  limit = std::min(limit, kMaxWalk);
  if (family == Family::CxxUnorderedMap) {
    TRY_ASSIGN(EvalValue table, member(value, "__table_"));
    TRY_ASSIGN(EvalValue first, member(table, "__p1_"));
    TRY_ASSIGN(EvalValue anchor, member(first, "__value_"));
    TRY_ASSIGN(uint64_t node, integerMember(anchor, "__next_"));
    while (node != 0 && nodes.size() < limit) {
      nodes.push_back(node);
      TRY_ASSIGN(node, field(node, "__next_"));
    }
    return nodes;
  }
  TRY_ASSIGN(EvalValue tree, member(value, "__tree_"));
  TRY_ASSIGN(uint64_t node, integerMember(tree, "__begin_node_"));
  TRY_ASSIGN(EvalValue endPair, member(tree, "__pair1_"));
  TRY_ASSIGN(EvalValue endNode, member(endPair, "__value_"));
  if (endNode.location != ValueLocation::Memory)
    return Error(ErrorCode::InvalidArgument, "a map not in memory");
  const uint64_t end = endNode.address;
  // In-order successor: the leftmost node of the right subtree, else the
  // first ancestor reached from its left subtree.
  while (node != end && node != 0 && nodes.size() < limit) {
    nodes.push_back(node);
    TRY_ASSIGN(uint64_t right, field(node, "__right_"));
    if (right != 0) {
      node = right;
      for (uint64_t steps = 0; steps < kMaxWalk; ++steps) {
        TRY_ASSIGN(uint64_t left, field(node, "__left_"));
        if (left == 0)
          break;
        node = left;
      }
      continue;
    }
    // No right subtree: climb until coming up out of a left subtree.
    uint64_t child = node;
    for (uint64_t steps = 0;; ++steps) {
      if (steps >= kMaxWalk)
        return Error(ErrorCode::InvalidArgument, "a map whose nodes loop");
      TRY_ASSIGN(uint64_t parent, field(child, "__parent_"));
      if (parent == 0)
        return Error(ErrorCode::InvalidArgument, "a map node without a parent");
      TRY_ASSIGN(uint64_t parentLeft, field(parent, "__left_"));
      if (parentLeft == child) {
        node = parent;
        break;
      }
      child = parent;
    }
  }
  return nodes;
}

std::optional<LibraryView> LibraryFormatters::view(const EvalValue& value) {
  Family family = familyOf(value.type);
  if (family == Family::None || value.location == ValueLocation::OptimizedOut)
    return std::nullopt;
  LibraryView out;
  switch (family) {
  case Family::CxxString: {
    Result<EvalValue> pair = member(value, "__r_");
    if (!pair.ok())
      return std::nullopt;
    Result<EvalValue> rep = member(*pair, "__value_");
    Result<EvalValue> shortForm = rep.ok() ? member(*rep, "__s") : rep;
    Result<uint64_t> isLong = shortForm.ok() ? integerMember(*shortForm, "__is_long_")
                                             : Result<uint64_t>(shortForm.error());
    if (!isLong.ok())
      return std::nullopt;
    Result<std::string> shown = Error(ErrorCode::InvalidArgument, "");
    if (*isLong) {
      Result<EvalValue> longForm = member(*rep, "__l");
      Result<uint64_t> size = longForm.ok() ? integerMember(*longForm, "__size_")
                                            : Result<uint64_t>(longForm.error());
      Result<uint64_t> data = longForm.ok() ? integerMember(*longForm, "__data_")
                                            : Result<uint64_t>(longForm.error());
      if (!size.ok() || !data.ok())
        return std::nullopt;
      shown = text(*data, *size);
    } else {
      Result<uint64_t> size = integerMember(*shortForm, "__size_");
      Result<EvalValue> data = member(*shortForm, "__data_");
      if (!size.ok() || !data.ok() || data->location != ValueLocation::Memory)
        return std::nullopt;
      shown = text(data->address, std::min<uint64_t>(*size, sizeOf(data->type)));
    }
    out.kind = LibraryView::Kind::String;
    out.summary = shown.ok() ? *shown : "<" + shown.error().message + ">";
    return out;
  }
  case Family::RustString:
  case Family::RustStr: {
    Result<Contiguous> c = contiguous(value, family);
    if (!c.ok())
      return std::nullopt;
    Result<std::string> shown = text(c->data, c->length);
    out.kind = LibraryView::Kind::String;
    out.summary = shown.ok() ? *shown : "<" + shown.error().message + ">";
    return out;
  }
  case Family::CxxVector:
  case Family::RustVec:
  case Family::RustSlice: {
    Result<Contiguous> c = contiguous(value, family);
    if (!c.ok())
      return std::nullopt;
    out.kind = LibraryView::Kind::Sequence;
    out.count = c->length;
    out.summary = "size=" + std::to_string(c->length);
    return out;
  }
  case Family::CxxMap:
  case Family::CxxUnorderedMap: {
    bool tree = family == Family::CxxMap;
    Result<EvalValue> inner = member(value, tree ? "__tree_" : "__table_");
    Result<EvalValue> pair = inner.ok() ? member(*inner, tree ? "__pair3_" : "__p2_") : inner;
    Result<uint64_t> size =
        pair.ok() ? integerMember(*pair, "__value_") : Result<uint64_t>(pair.error());
    if (!size.ok() || !mapNodeType(value, family))
      return std::nullopt;
    out.kind = LibraryView::Kind::Sequence;
    out.count = std::min(*size, kMaxWalk);
    out.summary = "size=" + std::to_string(*size);
    return out;
  }
  case Family::CxxOptional: {
    Result<uint64_t> engaged = integerMember(value, "__engaged_");
    if (!engaged.ok())
      return std::nullopt;
    if (!*engaged) {
      out.summary = "nullopt";
      return out;
    }
    Result<EvalValue> held = member(value, "__val_");
    if (!held.ok())
      return std::nullopt;
    out.kind = LibraryView::Kind::Wraps;
    out.target = std::move(*held);
    return out;
  }
  case Family::CxxUniquePtr:
  case Family::CxxSharedPtr: {
    Result<EvalValue> pointer = member(value, "__ptr_");
    if (pointer.ok() && !isPointer(pointer->type))
      pointer = member(*pointer, "__value_");
    if (!pointer.ok() || !isPointer(pointer->type))
      return std::nullopt;
    out.kind = LibraryView::Kind::Wraps;
    out.target = std::move(*pointer);
    if (family == Family::CxxSharedPtr) {
      Result<EvalValue> control = member(value, "__cntrl_");
      Result<uint64_t> controlAddress = control.ok() ? integer(*control) : Result<uint64_t>(control.error());
      if (!controlAddress.ok())
        return std::nullopt;
      if (*controlAddress) {
        // libc++ counts owners beyond the first: use_count() is one more.
        Result<uint64_t> strong = integerMember(*control, "__shared_owners_");
        Result<uint64_t> weak = integerMember(*control, "__shared_weak_owners_");
        if (!strong.ok() || !weak.ok()) {
          // The control block's class is defined inside libc++ (built
          // without debug info), so modules usually only declare it. Its
          // layout is fixed by libc++'s ABI: a vtable pointer, then the
          // owner count, then the weak owner count (4-byte longs on wasm32).
          uint8_t counts[8];
          if (!m_env.readMemory(*controlAddress + 4, counts))
            return std::nullopt;
          auto word = [&](int at) {
            return int32_t(uint32_t(counts[at]) | uint32_t(counts[at + 1]) << 8 |
                           uint32_t(counts[at + 2]) << 16 | uint32_t(counts[at + 3]) << 24);
          };
          strong = uint64_t(int64_t(word(0)));
          weak = uint64_t(int64_t(word(4)));
        }
        out.summary = " strong=" + std::to_string(int64_t(*strong) + 1) +
                      " weak=" + std::to_string(int64_t(*weak) + 1);
      }
    }
    return out;
  }
  case Family::None:
    break;
  }
  return std::nullopt;
}

std::vector<LibraryElement> LibraryFormatters::elements(const EvalValue& value, uint64_t start,
                                                        uint64_t count) {
  std::vector<LibraryElement> out;
  Family family = familyOf(value.type);
  if (family == Family::CxxVector || family == Family::RustVec || family == Family::RustSlice) {
    Result<Contiguous> c = contiguous(value, family);
    if (!c.ok())
      return out;
    uint64_t size = sizeOf(c->element);
    for (uint64_t i = start; i < c->length && out.size() < count; ++i) {
      LibraryElement e;
      e.name = "[" + std::to_string(i) + "]";
      e.value = EvalValue::memory(c->element, c->data + i * size);
      if (!c->dataExpression.empty())
        e.expressionSuffix = c->dataExpression + "[" + std::to_string(i) + "]";
      out.push_back(std::move(e));
    }
    return out;
  }
  if (family == Family::CxxMap || family == Family::CxxUnorderedMap) {
    const Type* nodeType = mapNodeType(value, family);
    Result<std::vector<uint64_t>> nodes = mapNodes(value, family, start + count);
    if (!nodeType || !nodes.ok())
      return out;
    for (uint64_t i = start; i < nodes->size(); ++i) {
      Result<EvalValue> held = member(EvalValue::memory(nodeType, (*nodes)[i]), "__value_");
      if (!held.ok())
        break;
      // Maps keep a key-value pair inside a __value_type / __hash_value_type.
      if (Result<EvalValue> pair = member(*held, "__cc_"); pair.ok())
        held = std::move(pair);
      LibraryElement e;
      e.name = "[" + std::to_string(i) + "]";
      e.value = std::move(*held);
      out.push_back(std::move(e));
    }
  }
  return out;
}

} // namespace wasmscope::debugger
