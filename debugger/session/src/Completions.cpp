// Completions for the debug console (DAP completions): after `.` or `->`,
// the members of the expression before it, evaluated in the frame; else the
// names the frame can see (locals, globals, functions, enumerators) that
// start with the word at the cursor.
#include "SessionImpl.h"

#include <set>

namespace wasmscope::debugger {

namespace {

bool isWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

/// Where the postfix expression ending at `end` starts (`p->next[2].x`,
/// `(*q)`), going back over names, `.`, `->` and balanced brackets.
size_t expressionStart(std::string_view text, size_t end) {
  int depth = 0;
  size_t i = end;
  while (i > 0) {
    char c = text[i - 1];
    if (c == ')' || c == ']') {
      ++depth;
    } else if (c == '(' || c == '[') {
      if (depth == 0)
        break;
      --depth;
    } else if (depth == 0 && !isWordChar(c) && c != '.' && c != ' ') {
      if (c == '>' && i >= 2 && text[i - 2] == '-') {
        i -= 2;
        continue;
      }
      break;
    }
    --i;
  }
  while (i < end && text[i] == ' ')
    ++i;
  return i;
}

/// Members of an aggregate, anonymous members' members as its own.
void addMembers(const Type* type, std::string_view prefix, std::vector<CompletionItem>& out,
                std::set<std::string>& seen, int depth) {
  const Type* t = strip(type);
  if (!t || depth > 8 || !isAggregate(t) || t->isDeclaration)
    return;
  for (const Member& m : t->members) {
    if (m.isStatic)
      continue;
    if (m.name.empty() || m.isBaseClass) {
      addMembers(m.type, prefix, out, seen, depth + 1);
      continue;
    }
    if (m.name.compare(0, prefix.size(), prefix) == 0 && seen.insert(m.name).second)
      out.push_back({m.name, "field", typeName(m.type)});
  }
}

constexpr size_t kMaxCompletions = 500;

} // namespace

Result<std::vector<CompletionItem>> Session::completions(std::string_view text, size_t cursor,
                                                         std::optional<FrameId> frame) {
  std::lock_guard lock(m_impl->mutex);
  try {
    Session::Impl& s = *m_impl;
    TRY(s.requireStopped());
    const std::vector<SourceFrame>& frames = s.sourceFrames();
    if (frames.empty())
      return Error(ErrorCode::InvalidArgument, "there is no frame to complete in");
    size_t index = 0;
    if (frame) {
      TRY_ASSIGN(index, s.sourceFrameIndex(*frame));
    }
    cursor = std::min(cursor, text.size());
    size_t wordStart = cursor;
    while (wordStart > 0 && isWordChar(text[wordStart - 1]))
      --wordStart;
    std::string_view prefix = text.substr(wordStart, cursor - wordStart);
    size_t op = wordStart;
    while (op > 0 && text[op - 1] == ' ')
      --op;
    std::vector<CompletionItem> out;
    std::set<std::string> seen;
    std::unique_ptr<FrameEnv> env = s.frameEnv(index);

    bool dot = op >= 1 && text[op - 1] == '.';
    bool arrow = op >= 2 && text[op - 1] == '>' && text[op - 2] == '-';
    if (dot || arrow) {
      size_t baseEnd = op - (dot ? 1 : 2);
      std::string_view base = text.substr(0, baseEnd);
      base = base.substr(expressionStart(text, baseEnd));
      Evaluator evaluator(*env, *s.types);
      Result<EvalValue> value = evaluator.evaluate(base);
      if (!value.ok())
        return out; // Nothing to complete on; not an error for a console.
      const Type* t = value->type;
      if (isPointer(t))
        t = strip(t)->target;
      addMembers(t, prefix, out, seen, 0);
      return out;
    }

    auto add = [&](const std::string& name, const char* kind, const std::string& detail) {
      if (out.size() < kMaxCompletions && !name.empty() &&
          name.compare(0, prefix.size(), prefix) == 0 && seen.insert(name).second)
        out.push_back({name, kind, detail});
    };
    const SourceFrame& f = frames[index];
    const ConcreteFrame& c = s.snapshot->frames[f.concrete];
    if (s.symbols->hasDwarf()) {
      std::vector<const Variable*> locals =
          s.symbols->variablesAt(c.info.wasmOffset, f.inlineDepth);
      for (auto it = locals.rbegin(); it != locals.rend(); ++it)
        add((*it)->name, "variable", typeName((*it)->type));
      for (const Variable& g : s.symbols->globalVariables())
        add(g.name, "variable", typeName(g.type));
      for (const auto& fn : s.symbols->functions())
        if (fn->fromDwarf)
          add(fn->displayName(), "function", typeName(s.types->functionType(*fn)));
      for (const auto& [name, value] : s.enumeratorMap())
        add(name, "enum", typeName(value.first));
    }
    return out;
  } catch (const std::exception& e) {
    return Error(ErrorCode::InvalidArgument, std::string("internal error: ") + e.what());
  }
}

} // namespace wasmscope::debugger
