// The plan a breakpoint probe runs at one location: the breakpoint's
// condition and log message compiled for that location's code offset
// (CompiledExpression.h), with names bound to where the debug info says the
// variables live there. Built by applyBreakpoints under the session's lock;
// a condition that does not compile keeps its syntax tree, evaluated at
// each hit as before.
#include "SessionImpl.h"

namespace wasmscope::debugger {

namespace {

/// Names as a frame at `pc` (innermost inlined frame) sees them: the same
/// lookup order as FrameEnv::variable, locals innermost first, then
/// globals, then enumerators.
class LocationScope final : public CompileScope {
public:
  LocationScope(Session::Impl& session, ProbeLocation location)
      : m_session(session), m_pc(location.second),
        m_function(session.compiled->function(location.first)) {
    if (session.symbols->hasDwarf())
      m_locals = session.symbols->variablesAt(m_pc, 0);
  }

  uint32_t pc() const override { return m_pc; }

  const Variable* variable(std::string_view name) override {
    for (auto it = m_locals.rbegin(); it != m_locals.rend(); ++it)
      if ((*it)->name == name)
        return *it;
    if (m_session.symbols->hasDwarf())
      for (const Variable& g : m_session.symbols->globalVariables())
        if (g.name == name)
          return &g;
    return nullptr;
  }

  std::optional<std::pair<const Type*, int64_t>> enumerator(std::string_view name) override {
    if (!m_session.symbols->hasDwarf())
      return std::nullopt;
    const auto& enums = m_session.enumeratorMap();
    auto it = enums.find(name);
    if (it == enums.end())
      return std::nullopt;
    return it->second;
  }

  const Type* namedType(std::string_view name) override {
    return m_session.symbols->findType(name);
  }

  std::optional<uint64_t> localMask(uint32_t index) override {
    if (!m_function || index >= m_function->localTypes.size())
      return std::nullopt;
    return maskOf(m_function->localTypes[index]);
  }

  std::optional<uint64_t> globalMask(uint32_t index) override {
    runtime::Instance* inst = m_session.instance;
    if (!inst || index >= inst->numGlobals())
      return std::nullopt;
    return maskOf(inst->global(index)->type.type);
  }

  TypeFactory& types() override { return *m_session.types; }

private:
  static std::optional<uint64_t> maskOf(runtime::ValType type) {
    switch (type) {
    case runtime::ValType::I32:
    case runtime::ValType::F32:
      return 0xffffffffull;
    case runtime::ValType::I64:
    case runtime::ValType::F64:
      return ~uint64_t(0);
    default:
      return std::nullopt; // References and vectors hold no C value.
    }
  }

  Session::Impl& m_session;
  uint32_t m_pc;
  const runtime::CompiledFunction* m_function;
  std::vector<const Variable*> m_locals;
};

} // namespace

LocationBreakpoint Session::Impl::planAt(const BreakpointRecord& record, ProbeLocation location) {
  LocationBreakpoint b;
  b.id = record.id;
  b.kind = record.kind;
  b.hits = record.hits;
  b.hitCondition = record.hitCondition;
  b.conditionText = record.condition;
  b.conditionTree = record.conditionTree;
  b.isLog = !record.logMessage.empty();
  b.logPieces = record.logPieces;
  b.sourcePath = record.resolved.sourcePath;
  b.line = record.resolved.line;
  LocationScope scope(*this, location);
  if (b.conditionTree)
    b.condition = CompiledExpression::compile(*b.conditionTree, scope);
  for (const LogPiece& piece : b.logPieces)
    b.logCompiled.push_back(piece.expression ? CompiledExpression::compile(*piece.expression, scope)
                                             : std::nullopt);
  return b;
}

} // namespace wasmscope::debugger
