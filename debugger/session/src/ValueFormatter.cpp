// Value summaries and children (ValueFormatter.h). Summaries are bounded:
// strings stop at 256 bytes, aggregate previews at about 100 characters, and
// nesting at two levels, so a view of a large structure stays cheap.
#include "ValueFormatter.h"

#include "LibraryFormatters.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstring>

namespace wasmscope::debugger {

namespace {

constexpr size_t kPreviewChars = 100;

std::string formatDouble(double d, bool isFloat32) {
  char buf[64];
  std::to_chars_result r = isFloat32 ? std::to_chars(buf, buf + sizeof buf, float(d))
                                     : std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, r.ptr);
}

std::string charLiteral(uint8_t c) {
  switch (c) {
  case 0:
    return "'\\0'";
  case '\n':
    return "'\\n'";
  case '\t':
    return "'\\t'";
  case '\r':
    return "'\\r'";
  case '\'':
    return "'\\''";
  case '\\':
    return "'\\\\'";
  default:
    break;
  }
  if (c < 0x20 || c >= 0x7f) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "'\\x%02x'", c);
    return buf;
  }
  return std::string("'") + char(c) + "'";
}

} // namespace

std::string hexAddress(uint64_t address) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%08llx", static_cast<unsigned long long>(address));
  return buf;
}

std::string quoteString(std::string_view bytes, bool truncated) {
  std::string out = "\"";
  for (char ch : bytes) {
    uint8_t c = uint8_t(ch);
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\r':
      out += "\\r";
      break;
    default:
      if (c < 0x20 || c >= 0x7f) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", c);
        out += buf;
      } else {
        out += char(c);
      }
    }
  }
  out += "\"";
  if (truncated)
    out += "...";
  return out;
}

std::optional<std::string> ValueFormatter::readCString(uint64_t address, size_t max) {
  std::string out;
  uint8_t chunk[64];
  while (out.size() < max) {
    size_t n = std::min(sizeof chunk, max - out.size());
    // Read byte by byte near the end of memory so a string that ends there
    // still shows.
    if (!m_env.readMemory(address + out.size(), std::span<uint8_t>(chunk, n))) {
      size_t i = 0;
      for (; i < n; ++i) {
        if (!m_env.readMemory(address + out.size(), std::span<uint8_t>(chunk, 1)))
          return out.empty() ? std::nullopt : std::optional(quoteString(out, true));
        if (chunk[0] == 0)
          return quoteString(out, false);
        out += char(chunk[0]);
      }
      continue;
    }
    for (size_t i = 0; i < n; ++i) {
      if (chunk[i] == 0)
        return quoteString(out, false);
      out += char(chunk[i]);
    }
  }
  return quoteString(out, true);
}

std::string ValueFormatter::formatScalar(const Scalar& s, const Type* type, bool hex) {
  const Type* t = strip(type);
  char buf[64];
  if (t == m_types.rawByteType()) {
    std::snprintf(buf, sizeof buf, "0x%02x", unsigned(s.bits & 0xff));
    return buf;
  }
  switch (s.kind) {
  case Scalar::Kind::Float:
    return formatDouble(s.f, sizeOf(t) == 4);
  case Scalar::Kind::Pointer: {
    std::string out = hexAddress(s.bits);
    const Type* target = t ? strip(t->target) : nullptr;
    if (target && isCharType(target) && s.bits != 0) {
      if (auto str = readCString(s.bits, kMaxString))
        out += " " + *str;
      else
        out += " <unreadable>";
    }
    return out;
  }
  default:
    break;
  }
  if (t && t->kind == TypeKind::Base && t->encoding == BaseEncoding::Boolean)
    return s.bits ? "true" : "false";
  if (t && t->kind == TypeKind::Enum) {
    for (const Enumerator& e : t->enumerators)
      if (uint64_t(e.value) == s.bits ||
          (!isSignedType(t) && (uint64_t(e.value) & 0xffffffffu) == (s.bits & 0xffffffffu)))
        return e.name;
    // Not one enumerator: show it as flags when every bit is named.
    uint64_t rest = s.bits;
    std::string flags;
    for (const Enumerator& e : t->enumerators) {
      uint64_t v = uint64_t(e.value);
      if (v && (v & (v - 1)) == 0 && (rest & v)) {
        flags += (flags.empty() ? "" : " | ") + e.name;
        rest &= ~v;
      }
    }
    if (!flags.empty() && rest == 0)
      return "(" + flags + ")";
  }
  if (hex) {
    uint64_t size = std::max<uint64_t>(sizeOf(t), 1);
    uint64_t bits = size >= 8 ? s.bits : s.bits & ((uint64_t(1) << (size * 8)) - 1);
    std::snprintf(buf, sizeof buf, "0x%0*llx", int(size * 2),
                  static_cast<unsigned long long>(bits));
    return buf;
  }
  std::string out =
      s.kind == Scalar::Kind::Signed ? std::to_string(s.asSigned()) : std::to_string(s.bits);
  if (isCharType(t))
    out += " " + charLiteral(uint8_t(s.bits));
  return out;
}

std::string ValueFormatter::formatInner(const EvalValue& value, int depth, bool hex) {
  if (value.location == ValueLocation::OptimizedOut)
    return "<optimized out>";
  const Type* t = strip(value.type);
  if (!t)
    return "<no type>";
  if (t == strip(m_types.v128Type()) || (t->kind == TypeKind::Array && t->isVector))
    return formatVector(value);
  if (isAggregate(t))
    if (std::optional<LibraryView> view = LibraryFormatters(m_env, m_types).view(value)) {
      if (view->kind == LibraryView::Kind::Wraps)
        return formatInner(view->target, depth, hex) + view->summary;
      return view->summary;
    }
  if (isAggregate(t))
    return formatAggregate(value, depth);
  if (t->kind == TypeKind::Array)
    return formatArray(value, depth);
  if (t->kind == TypeKind::Subroutine) {
    // A function named in an expression: its code address and name.
    if (value.location == ValueLocation::Bytes && value.bytes.size() >= 4) {
      uint64_t address = 0;
      for (size_t i = 0; i < 4; ++i)
        address |= uint64_t(value.bytes[i]) << (8 * i);
      return hexAddress(address) + (t->name.empty() ? "" : " <" + t->name + ">");
    }
    return "<function>";
  }
  if (t->kind == TypeKind::Void)
    return "<void>";
  Result<Scalar> s = loadScalar(m_env, m_types, value);
  if (!s.ok())
    return "<" + s.error().message + ">";
  return formatScalar(*s, value.type, hex);
}

std::string ValueFormatter::format(const EvalValue& value, bool hex) {
  return formatInner(value, 0, hex);
}

std::string ValueFormatter::formatAggregate(const EvalValue& value, int depth) {
  const Type* t = strip(value.type);
  if (t->isDeclaration)
    return "<incomplete type>";
  if (depth >= 2)
    return "{...}";
  std::string out = "{";
  bool first = true;
  for (const ChildValue& c : children(value)) {
    std::string item = c.name + "=" + formatInner(c.value, depth + 1, false);
    if (!first)
      out += ", ";
    first = false;
    out += item;
    if (out.size() > kPreviewChars) {
      out += ", ...";
      break;
    }
  }
  return out + "}";
}

std::string ValueFormatter::formatArray(const EvalValue& value, int depth) {
  const Type* t = strip(value.type);
  const Type* elem = m_types.elementType(value.type);
  bool known = !t->dimensions.empty() && t->dimensions[0].count.has_value();
  uint64_t total = known ? *t->dimensions[0].count : 0;
  if (isCharType(elem) && t->dimensions.size() == 1) {
    // Text up to a NUL reads as a string; a table of bytes (Lua's 257-byte
    // character classes start with 0) reads as the array it is.
    uint64_t n = std::min<uint64_t>(known ? total : kMaxString, kMaxString);
    Result<std::vector<uint8_t>> bytes = loadBytes(m_env, value, n);
    if (!bytes.ok())
      return "<" + bytes.error().message + ">";
    auto printable = [](uint8_t b) {
      return (b >= 0x20 && b != 0x7f) || b == '\n' || b == '\t' || b == '\r';
    };
    std::string s;
    bool terminated = false, text = true;
    for (uint8_t b : *bytes) {
      if (b == 0) {
        terminated = true;
        break;
      }
      text = text && printable(b);
      s += char(b);
    }
    bool allZero = std::all_of(bytes->begin(), bytes->end(), [](uint8_t b) { return b == 0; });
    if (text && (!s.empty() || allZero))
      return quoteString(s, !terminated && total > n);
  }
  std::string prefix = known ? "[" + std::to_string(total) + "] " : "[] ";
  if (!known)
    return prefix + "{...}";
  if (depth >= 2)
    return prefix + "{...}";
  std::string out = prefix + "{";
  uint64_t shown = 0;
  for (const ChildValue& c : children(value, 0, 32)) {
    if (shown++)
      out += ", ";
    out += formatInner(c.value, depth + 1, false);
    if (out.size() > kPreviewChars)
      break;
  }
  if (shown < total)
    out += ", ...";
  return out + "}";
}

std::string ValueFormatter::formatVector(const EvalValue& value) {
  const Type* t = strip(value.type);
  Result<std::vector<uint8_t>> bytes = loadBytes(m_env, value);
  if (!bytes.ok())
    return "<" + bytes.error().message + ">";
  if (t == strip(m_types.v128Type()) && bytes->size() == 16) {
    runtime::V128 v;
    std::memcpy(&v.lo, bytes->data(), 8);
    std::memcpy(&v.hi, bytes->data() + 8, 8);
    return runtime::v128Text(v, runtime::V128Shape::I32x4);
  }
  const Type* elem = m_types.elementType(value.type);
  uint64_t size = sizeOf(elem);
  if (t->dimensions.empty() || !t->dimensions[0].count || size == 0 || size > 8)
    return "<vector of unknown shape>";
  uint64_t count = *t->dimensions[0].count;
  std::string out;
  if (strip(elem) == m_types.rawByteType()) {
    char buf[4];
    for (uint64_t i = 0; i < bytes->size(); ++i) {
      std::snprintf(buf, sizeof buf, i ? " %02x" : "%02x", (*bytes)[i]);
      out += buf;
    }
    return out;
  }
  // The lane shape, as wasm spells it, then each lane as its C type reads.
  out = (isFloating(elem) ? "f" : "i") + std::to_string(size * 8) + "x" + std::to_string(count) + " {";
  for (uint64_t i = 0; i < count; ++i) {
    if (i)
      out += ", ";
    std::vector<uint8_t> lane(bytes->begin() + std::min<uint64_t>(i * size, bytes->size()),
                              bytes->begin() + std::min<uint64_t>((i + 1) * size, bytes->size()));
    Result<Scalar> s = loadScalar(m_env, m_types, EvalValue::ofBytes(elem, std::move(lane)));
    if (!s.ok()) {
      out += "?";
      continue;
    }
    if (s->kind == Scalar::Kind::Float)
      out += formatDouble(s->f, size == 4);
    else
      out += s->kind == Scalar::Kind::Signed ? std::to_string(s->asSigned()) : std::to_string(s->bits);
  }
  return out + "}";
}

ValueShape ValueFormatter::shape(const EvalValue& value) {
  ValueShape s;
  if (value.location == ValueLocation::OptimizedOut)
    return s;
  const Type* t = strip(value.type);
  if (!t)
    return s;
  if (isAggregate(t)) {
    if (t->isDeclaration)
      return s;
    if (std::optional<LibraryView> view = LibraryFormatters(m_env, m_types).view(value)) {
      if (view->kind == LibraryView::Kind::Wraps)
        return shape(view->target);
      if (view->kind == LibraryView::Kind::Sequence)
        s.indexed = uint32_t(std::min<uint64_t>(view->count, UINT32_MAX));
      return s;
    }
    for (const Member& m : t->members)
      s.named += !m.isStatic;
    return s;
  }
  if (t->kind == TypeKind::Array) {
    if (!t->dimensions.empty() && t->dimensions[0].count)
      s.indexed = uint32_t(std::min<uint64_t>(*t->dimensions[0].count, UINT32_MAX));
    return s;
  }
  if (isPointer(t)) {
    const Type* target = strip(t->target);
    if (!target || target->kind == TypeKind::Void || target->kind == TypeKind::Subroutine ||
        isCharType(target))
      return s;
    Result<Scalar> p = loadScalar(m_env, m_types, value);
    if (!p.ok() || p->bits == 0)
      return s;
    if (isAggregate(target)) {
      if (target->isDeclaration)
        return s;
      for (const Member& m : target->members)
        s.named += !m.isStatic;
    } else {
      s.named = 1;
    }
  }
  return s;
}

std::vector<ChildValue> ValueFormatter::children(const EvalValue& value, uint32_t start,
                                                 uint32_t count) {
  std::vector<ChildValue> out;
  if (value.location == ValueLocation::OptimizedOut)
    return out;
  const Type* t = strip(value.type);
  if (!t)
    return out;
  if (count == 0)
    count = kMaxChildren;

  auto addMembers = [&](const EvalValue& object, ChildAccess access) {
    const Type* ot = strip(object.type);
    uint32_t index = 0;
    for (const Member& m : ot->members) {
      if (m.isStatic)
        continue;
      if (index++ < start)
        continue;
      if (out.size() >= count)
        break;
      ChildValue c;
      c.access = access;
      c.name = m.name.empty() ? (m.isBaseClass ? typeName(m.type) : "<anonymous>") : m.name;
      c.member = m.name;
      Result<EvalValue> v = subValue(m_env, object, m.type, m.byteOffset);
      if (!v.ok())
        continue;
      c.value = std::move(*v);
      if (m.bitSize) {
        c.value.bitSize = m.bitSize;
        c.value.bitOffset = m.bitOffset;
        if (c.value.location == ValueLocation::Memory) {
          c.value.address += m.bitOffset / 8;
          c.value.bitOffset %= 8;
        } else if (c.value.location == ValueLocation::Bytes) {
          Result<std::vector<uint8_t>> whole = loadBytes(m_env, object);
          if (whole.ok()) {
            uint64_t from = m.byteOffset + m.bitOffset / 8;
            c.value.bytes.assign(8, 0);
            for (size_t i = 0; i < 8 && from + i < whole->size(); ++i)
              c.value.bytes[i] = (*whole)[from + i];
            c.value.bitOffset %= 8;
          }
        }
      }
      out.push_back(std::move(c));
    }
  };

  if (isAggregate(t)) {
    if (t->isDeclaration)
      return out;
    LibraryFormatters library(m_env, m_types);
    if (std::optional<LibraryView> view = library.view(value)) {
      if (view->kind == LibraryView::Kind::Wraps) {
        out = children(view->target, start, count);
        // Their expressions go through what the value wraps, which only
        // the library's own members reach: leave them without one.
        for (ChildValue& c : out) {
          c.access = ChildAccess::Suffix;
          c.member.clear();
        }
      } else if (view->kind == LibraryView::Kind::Sequence) {
        for (LibraryElement& e : library.elements(value, start, count)) {
          ChildValue c;
          c.name = std::move(e.name);
          c.value = std::move(e.value);
          c.access = ChildAccess::Suffix;
          c.member = std::move(e.expressionSuffix);
          out.push_back(std::move(c));
        }
      }
      return out;
    }
    addMembers(value, ChildAccess::Member);
    return out;
  }
  if (t->kind == TypeKind::Array) {
    if (t->dimensions.empty() || !t->dimensions[0].count)
      return out;
    uint64_t n = *t->dimensions[0].count;
    const Type* elem = m_types.elementType(value.type);
    uint64_t size = sizeOf(elem);
    for (uint64_t i = start; i < n && out.size() < count; ++i) {
      Result<EvalValue> v = subValue(m_env, value, elem, i * size);
      if (!v.ok())
        break;
      ChildValue c;
      c.access = ChildAccess::Index;
      c.member = std::to_string(int64_t(i) + t->dimensions[0].lowerBound);
      c.name = "[" + c.member + "]";
      c.value = std::move(*v);
      out.push_back(std::move(c));
    }
    return out;
  }
  if (isPointer(t) && shape(value).expandable()) {
    Result<EvalValue> target = dereference(m_env, m_types, value);
    if (!target.ok())
      return out;
    if (isAggregate(target->type)) {
      addMembers(*target, ChildAccess::Arrow);
    } else if (start == 0) {
      ChildValue c;
      c.access = ChildAccess::Deref;
      c.name = "*";
      c.value = std::move(*target);
      out.push_back(std::move(c));
    }
  }
  return out;
}

bool ValueFormatter::hasIndexedChildren(const EvalValue& value) {
  if (isArray(value.type))
    return true;
  if (!isAggregate(strip(value.type)))
    return false;
  std::optional<LibraryView> view = LibraryFormatters(m_env, m_types).view(value);
  return view && view->kind == LibraryView::Kind::Sequence;
}

std::string ValueFormatter::childExpression(const std::string& parent, const ChildValue& child) {
  // A postfix chain ("a.b[2]->c") needs no parentheses; anything else does.
  bool simple = !parent.empty();
  for (size_t i = 0; i < parent.size(); ++i) {
    char c = parent[i];
    if (c == '-' && i + 1 < parent.size() && parent[i + 1] == '>') {
      ++i;
      continue;
    }
    if (!(std::isalnum(uint8_t(c)) || c == '_' || c == '.' || c == '[' || c == ']' || c == '$'))
      simple = false;
  }
  // "a->b" is a postfix chain and needs no parentheses; "*p" does.
  std::string p = simple ? parent : "(" + parent + ")";
  switch (child.access) {
  case ChildAccess::Member:
    return child.member.empty() ? p : p + "." + child.member;
  case ChildAccess::Arrow:
    return child.member.empty() ? "*" + p : p + "->" + child.member;
  case ChildAccess::Index:
    return p + "[" + child.member + "]";
  case ChildAccess::Deref:
    return "*" + p;
  case ChildAccess::Suffix:
    return child.member.empty() ? std::string() : p + child.member;
  }
  return parent;
}

} // namespace wasmscope::debugger
