// Typing a selected address from the stopped guest's variables (see
// TypedMemory.h).
#include "TypedMemory.h"

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace wasmscope::gui {

using namespace wasmscope::debugger;

namespace {

constexpr size_t kFramesSearched = 8;
constexpr size_t kMembersShown = 16;

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

/// The type without its top-level qualifiers ("FILE * volatile" -> "FILE *").
std::string unqualified(std::string type) {
  for (bool again = true; again;) {
    again = false;
    while (!type.empty() && type.back() == ' ')
      type.pop_back();
    for (const char* q : {"const", "volatile", "restrict"}) {
      std::string_view word(q);
      if (type.size() > word.size() && type.compare(type.size() - word.size(), word.size(), word) == 0 &&
          (type[type.size() - word.size() - 1] == ' ' || type[type.size() - word.size() - 1] == '*')) {
        type.resize(type.size() - word.size());
        again = true;
      }
    }
  }
  return type;
}

bool isPointer(const std::string& type) {
  std::string t = unqualified(type);
  return !t.empty() && t.back() == '*';
}

/// "struct node *" -> "struct node"; "" when not a data pointer.
std::string pointee(const std::string& type) {
  std::string t = unqualified(type);
  if (t.empty() || t.back() != '*')
    return "";
  std::string inner = t.substr(0, t.size() - 1);
  while (!inner.empty() && inner.back() == ' ')
    inner.pop_back();
  if (inner.empty() || inner == "void" || inner == "const void" ||
      inner.find('(') != std::string::npos) // Function pointers.
    return "";
  return inner;
}

TypedValue describe(Session& session, const VariableNode& node, std::string expression,
                    std::string via) {
  TypedValue out;
  out.expression = std::move(expression);
  out.type = node.type;
  out.value = node.value;
  out.via = std::move(via);
  if (node.variablesReference) {
    auto members = session.variables(node.variablesReference, VariablesFilter::All, 0,
                                     kMembersShown);
    if (members.ok())
      for (const VariableNode& m : *members)
        out.members.push_back({m.name, m.type, m.value});
  }
  return out;
}

} // namespace

std::optional<TypedValue> typedValueAt(Session& session, const std::vector<StackFrame>& frames,
                                       uint64_t address, std::optional<uint64_t> blockStart) {
  bool globalsSeen = false;
  for (size_t f = 0; f < frames.size() && f < kFramesSearched; ++f) {
    auto scopes = session.scopes(frames[f].id);
    if (!scopes.ok())
      continue;
    for (const FrameScope& scope : *scopes) {
      if (scope.kind != FrameScopeKind::Locals && scope.kind != FrameScopeKind::Globals)
        continue;
      if (scope.kind == FrameScopeKind::Globals) {
        if (globalsSeen)
          continue;
        globalsSeen = true;
      }
      auto vars = session.variables(scope.variablesReference);
      if (!vars.ok())
        continue;
      std::string where = scope.kind == FrameScopeKind::Globals ? "global"
                                                                : "local of " + frames[f].name;
      for (const VariableNode& v : *vars) {
        if (!v.memoryReference)
          continue;
        // A pointer variable holding the block's start: the block through
        // the pointer's type.
        std::string target = pointee(v.type);
        if (blockStart && !target.empty() && *v.memoryReference == *blockStart) {
          std::string expression = "*(" + target + " *)" + hex(*blockStart);
          auto read = session.evaluate(expression, frames[f].id, EvaluateContext::Watch);
          if (read.ok())
            return describe(session, *read, expression, "pointed at by " + v.name + " (" + where + ")");
          continue;
        }
        // A variable that lives in memory and covers the address (a
        // pointer's memoryReference is what it holds, not where it lives).
        if (isPointer(v.type) || blockStart || *v.memoryReference > address)
          continue;
        auto size = session.evaluate("sizeof(" + (v.evaluateName.empty() ? v.name : v.evaluateName) + ")",
                                     frames[f].id, EvaluateContext::Watch);
        if (!size.ok())
          continue;
        uint64_t bytes = std::strtoull(size->value.c_str(), nullptr, 0);
        if (bytes && address < *v.memoryReference + bytes)
          return describe(session, v, v.evaluateName.empty() ? v.name : v.evaluateName, where);
      }
    }
  }
  return std::nullopt;
}

} // namespace wasmscope::gui
