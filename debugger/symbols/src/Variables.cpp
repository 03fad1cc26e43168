// Variables in scope at an address (per source frame, inlined frames
// included) and the evaluation of their locations against a live frame.
#include "SymbolsImpl.h"

#include <algorithm>

namespace wasmscope::debugger {

const DwarfExpression *Variable::expressionAt(uint32_t pc) const {
  for (const LocationEntry &e : location)
    if (e.always || e.range.contains(pc))
      return &e.expression;
  return nullptr;
}

std::vector<const Variable *> ModuleSymbols::variablesAt(uint32_t codeOffset,
                                                         uint32_t inlineDepth) const {
  std::vector<const Variable *> out;
  const Function *fn = functionAt(codeOffset);
  if (!fn)
    return out;
  // The chain of scopes containing the address, outermost first.
  std::vector<const Scope *> chain{&fn->scope};
  for (;;) {
    const Scope *next = nullptr;
    for (const Scope &child : chain.back()->children)
      if (child.contains(codeOffset)) {
        next = &child;
        break;
      }
    if (!next)
      break;
    chain.push_back(next);
  }
  // Frame boundaries: the function, then each inlined call.
  std::vector<size_t> frameStarts{0};
  for (size_t i = 1; i < chain.size(); ++i)
    if (chain[i]->kind == ScopeKind::Inlined)
      frameStarts.push_back(i);
  // inlineDepth 0 is the innermost frame.
  if (inlineDepth >= frameStarts.size())
    return out;
  size_t frame = frameStarts.size() - 1 - inlineDepth;
  size_t begin = frameStarts[frame];
  size_t end = frame + 1 < frameStarts.size() ? frameStarts[frame + 1] : chain.size();

  for (const Variable &v : chain[begin]->variables)
    if (v.isParameter)
      out.push_back(&v);
  for (size_t i = begin; i < end; ++i)
    for (const Variable &v : chain[i]->variables)
      if (!v.isParameter)
        out.push_back(&v);
  // Drop outer variables shadowed by an inner one of the same name.
  std::vector<const Variable *> kept;
  for (size_t i = 0; i < out.size(); ++i) {
    bool shadowed = false;
    if (!out[i]->name.empty())
      for (size_t j = i + 1; j < out.size() && !shadowed; ++j)
        shadowed = out[j]->name == out[i]->name;
    if (!shadowed)
      kept.push_back(out[i]);
  }
  return kept;
}

Result<VariableLocation> ModuleSymbols::evaluateLocation(const Variable &variable, uint32_t pc,
                                                         const FrameAccess &frame) const {
  const DwarfExpression *expr = variable.expressionAt(pc);
  if (!expr || expr->empty()) {
    VariableLocation loc;
    if (variable.constValue) {
      loc.kind = LocationKind::ImplicitBytes;
      loc.bytes = *variable.constValue;
      if (variable.type && variable.type->byteSize && loc.bytes.size() > variable.type->byteSize)
        loc.bytes.resize(size_t(variable.type->byteSize));
    } else {
      loc.kind = LocationKind::OptimizedOut;
    }
    return loc;
  }
  const DwarfExpression *frameBase = variable.function && !variable.function->frameBase.empty()
                                         ? &variable.function->frameBase
                                         : nullptr;
  return evaluateExpression(*expr, frameBase, frame);
}

} // namespace wasmscope::debugger
