// Scopes, the variables tree, setVariable, evaluate and memory access while
// the guest is stopped. Each expandable node gets a reference into the
// stop's container table; the same scope or expression in the same frame
// gets the same reference for as long as the guest stays stopped.
#include "SessionImpl.h"

#include <cstring>

namespace wasmscope::debugger {

namespace {

/// A variable listed in a scope: its name, value and an expression for it.
struct NamedValue {
  std::string name;
  EvalValue value;
  std::string evaluateName;
};

Error staleReference(VariablesReference reference) {
  return Error(ErrorCode::InvalidArgument, "unknown variables reference " +
                                               std::to_string(reference) +
                                               " (references change when the guest runs)");
}

Error notLaunchedError() {
  return Error(ErrorCode::InvalidArgument, "no program is launched");
}

template <typename F> auto guardedCall(F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const std::exception& e) {
    return Error(ErrorCode::InvalidArgument, std::string("internal error: ") + e.what());
  }
}

std::vector<NamedValue> listScope(Session::Impl& s, size_t sourceFrame, FrameScopeKind kind,
                                  FrameEnv& env) {
  std::vector<NamedValue> out;
  const SourceFrame& f = s.sourceFrames()[sourceFrame];
  const ConcreteFrame& c = s.snapshot->frames[f.concrete];
  switch (kind) {
  case FrameScopeKind::Locals:
    if (s.symbols->hasDwarf())
      for (const Variable* v : s.symbols->variablesAt(c.info.wasmOffset, f.inlineDepth))
        out.push_back({v->name, env.locate(*v), v->name});
    break;
  case FrameScopeKind::WasmLocals: {
    const auto& names = s.compiled->module().names.localNames;
    auto fnNames = names.find(c.info.funcIndex);
    for (uint32_t i = 0; i < c.info.numLocals; ++i) {
      std::string expression = "$local" + std::to_string(i);
      Result<EvalValue> v = env.wasmName("local" + std::to_string(i));
      if (!v.ok())
        continue;
      std::string name = expression;
      if (fnNames != names.end())
        if (auto n = fnNames->second.find(i); n != fnNames->second.end())
          name += " (" + n->second + ")";
      out.push_back({name, std::move(*v), expression});
    }
    break;
  }
  case FrameScopeKind::Globals:
    for (const Variable& g : s.symbols->globalVariables())
      out.push_back({g.name, env.locate(g), g.name});
    break;
  case FrameScopeKind::WasmGlobals: {
    runtime::Instance* inst = c.instance ? c.instance : s.instance;
    for (uint32_t i = 0; inst && i < inst->numGlobals(); ++i) {
      Result<EvalValue> v = env.wasmName("global" + std::to_string(i));
      if (v.ok())
        out.push_back(
            {"$global" + std::to_string(i), std::move(*v), "$global" + std::to_string(i)});
    }
    break;
  }
  case FrameScopeKind::OperandStack:
    if (f.concrete == 0 && s.snapshot->hasOperandStack) {
      const auto& stack = s.snapshot->operandStack;
      for (size_t i = 0; i < stack.size(); ++i) {
        const Type* t = s.types->wasmType(runtime::valTypeName(stack[i].type));
        if (!t)
          continue;
        EvalValue v = EvalValue::ofBytes(t, {});
        for (size_t b = 0; b < sizeOf(t); ++b)
          v.bytes.push_back(uint8_t((b < 8 ? stack[i].bits : stack[i].high) >> (8 * (b % 8))));
        out.push_back({"[" + std::to_string(i) + "]", std::move(v), ""});
      }
    }
    break;
  }
  return out;
}

const char* scopeName(FrameScopeKind kind) {
  switch (kind) {
  case FrameScopeKind::Locals:
    return "Locals";
  case FrameScopeKind::WasmLocals:
    return "Wasm Locals";
  case FrameScopeKind::Globals:
    return "Globals";
  case FrameScopeKind::WasmGlobals:
    return "Wasm Globals";
  case FrameScopeKind::OperandStack:
    return "Operand Stack";
  }
  return "?";
}

} // namespace

VariablesReference Session::Impl::makeReference(Container c, const std::string& key) {
  StopSnapshot& s = *snapshot;
  if (!key.empty())
    if (auto it = s.containerKeys.find(key); it != s.containerKeys.end())
      return it->second;
  if (s.containers.size() >= 0xfffffe)
    return 0; // The handle space of one stop is full; the node shows unexpanded.
  s.containers.push_back(std::move(c));
  VariablesReference ref = makeHandle(s.epoch, s.containers.size() - 1);
  if (!key.empty())
    s.containerKeys.emplace(key, ref);
  return ref;
}

Result<const Container*> Session::Impl::container(VariablesReference reference) const {
  std::optional<size_t> index = handleIndex(reference, snapshot->epoch);
  if (!index || *index >= snapshot->containers.size())
    return staleReference(reference);
  return &snapshot->containers[*index];
}

VariableNode Session::Impl::toNode(const std::string& name, const EvalValue& value,
                                   size_t sourceFrame, const std::string& evaluateName,
                                   FrameEnv& env) {
  ValueFormatter formatter(env, *types);
  VariableNode n;
  n.name = name;
  n.value = formatter.format(value);
  n.type = typeName(value.type);
  n.evaluateName = evaluateName;
  ValueShape shape = formatter.shape(value);
  if (shape.expandable()) {
    Container c;
    c.kind = Container::Kind::Value;
    c.sourceFrame = sourceFrame;
    c.value = value;
    c.evaluateName = evaluateName;
    std::string key = evaluateName.empty() ? std::string()
                                           : "v" + std::to_string(sourceFrame) + ":" + evaluateName;
    n.variablesReference = makeReference(std::move(c), key);
    n.namedVariables = shape.named;
    n.indexedVariables = shape.indexed;
  }
  if (isPointer(value.type)) {
    Result<Scalar> p = loadScalar(env, *types, value);
    if (p.ok())
      n.memoryReference = p->bits;
  } else if (value.location == ValueLocation::Memory) {
    n.memoryReference = value.address;
  }
  return n;
}

Result<std::vector<FrameScope>> Session::scopes(FrameId frame) const {
  std::lock_guard lock(m_impl->mutex);
  return guardedCall([&]() -> Result<std::vector<FrameScope>> {
    Session::Impl& s = *m_impl;
    TRY(s.requireStopped());
    s.sourceFrames();
    TRY_ASSIGN(size_t index, s.sourceFrameIndex(frame));
    const SourceFrame& f = (*s.snapshot->sourceFrames)[index];
    const ConcreteFrame& c = s.snapshot->frames[f.concrete];
    std::vector<FrameScope> out;
    auto add = [&](FrameScopeKind kind, uint32_t count, bool expensive) {
      Container container;
      container.kind = Container::Kind::Scope;
      container.sourceFrame = index;
      container.scope = kind;
      FrameScope scope;
      scope.name = scopeName(kind);
      scope.kind = kind;
      scope.variablesReference = s.makeReference(
          std::move(container), "s" + std::to_string(index) + ":" + std::to_string(int(kind)));
      scope.namedVariables = count;
      scope.expensive = expensive;
      out.push_back(std::move(scope));
    };
    if (s.symbols->hasDwarf())
      add(FrameScopeKind::Locals,
          uint32_t(s.symbols->variablesAt(c.info.wasmOffset, f.inlineDepth).size()), false);
    add(FrameScopeKind::WasmLocals, c.info.numLocals, false);
    if (!s.symbols->globalVariables().empty())
      add(FrameScopeKind::Globals, uint32_t(s.symbols->globalVariables().size()), false);
    runtime::Instance* inst = c.instance ? c.instance : s.instance;
    add(FrameScopeKind::WasmGlobals, inst ? uint32_t(inst->numGlobals()) : 0, false);
    if (f.concrete == 0 && s.snapshot->hasOperandStack)
      add(FrameScopeKind::OperandStack, uint32_t(s.snapshot->operandStack.size()), false);
    return out;
  });
}

Result<std::vector<VariableNode>> Session::variables(VariablesReference reference,
                                                     VariablesFilter filter, uint32_t start,
                                                     uint32_t count) const {
  std::lock_guard lock(m_impl->mutex);
  return guardedCall([&]() -> Result<std::vector<VariableNode>> {
    Session::Impl& s = *m_impl;
    TRY(s.requireStopped());
    TRY_ASSIGN(const Container* found, s.container(reference));
    Container c = *found; // The table may grow below.
    std::unique_ptr<FrameEnv> env = s.frameEnv(c.sourceFrame);
    std::vector<VariableNode> out;
    if (c.kind == Container::Kind::Scope) {
      if (filter == VariablesFilter::Indexed)
        return out;
      std::vector<NamedValue> list = listScope(s, c.sourceFrame, c.scope, *env);
      size_t end = count ? std::min<size_t>(list.size(), size_t(start) + count) : list.size();
      for (size_t i = start; i < end; ++i)
        out.push_back(
            s.toNode(list[i].name, list[i].value, c.sourceFrame, list[i].evaluateName, *env));
      return out;
    }
    ValueFormatter formatter(*env, *s.types);
    bool isArrayValue = formatter.hasIndexedChildren(c.value);
    if ((filter == VariablesFilter::Named && isArrayValue) ||
        (filter == VariablesFilter::Indexed && !isArrayValue))
      return out;
    for (const ChildValue& child : formatter.children(c.value, start, count))
      out.push_back(s.toNode(child.name, child.value, c.sourceFrame,
                             c.evaluateName.empty()
                                 ? std::string()
                                 : ValueFormatter::childExpression(c.evaluateName, child),
                             *env));
    return out;
  });
}

Result<VariableNode> Session::setVariable(VariablesReference reference, std::string_view name,
                                          std::string_view value) {
  std::lock_guard lock(m_impl->mutex);
  return guardedCall([&]() -> Result<VariableNode> {
    Session::Impl& s = *m_impl;
    TRY(s.requireStopped());
    TRY_ASSIGN(const Container* found, s.container(reference));
    Container c = *found;
    std::unique_ptr<FrameEnv> env = s.frameEnv(c.sourceFrame);
    std::optional<NamedValue> target;
    if (c.kind == Container::Kind::Scope) {
      for (NamedValue& v : listScope(s, c.sourceFrame, c.scope, *env))
        if (v.name == name || v.evaluateName == name) {
          target = std::move(v);
          break;
        }
    } else {
      ValueFormatter formatter(*env, *s.types);
      for (ChildValue& child : formatter.children(c.value))
        if (child.name == name) {
          std::string expression = c.evaluateName.empty()
                                       ? std::string()
                                       : ValueFormatter::childExpression(c.evaluateName, child);
          target = NamedValue{child.name, std::move(child.value), expression};
          break;
        }
    }
    if (!target)
      return Error(ErrorCode::InvalidArgument,
                   "no variable named '" + std::string(name) + "' here");
    const Type* t = target->value.type;
    if (!isIntegral(t) && !isFloating(t) && !isPointer(t))
      return Error(ErrorCode::InvalidArgument,
                   "only numbers, enums, booleans and pointers can be set ('" + std::string(name) +
                       "' is '" + typeName(t) + "')");
    if (!target->value.isLvalue())
      return Error(ErrorCode::InvalidArgument,
                   "'" + std::string(name) +
                       "' is not stored anywhere it can be written (a computed value)");
    Evaluator evaluator(*env, *s.types);
    TRY_ASSIGN(EvalValue v, evaluator.evaluate(value));
    TRY_ASSIGN(Scalar scalar, loadScalar(*env, *s.types, v));
    TRY(storeScalar(*env, target->value, scalar));
    return s.toNode(target->name, target->value, c.sourceFrame, target->evaluateName, *env);
  });
}

Result<VariableNode> Session::evaluate(std::string_view expression, std::optional<FrameId> frame,
                                       EvaluateContext context) {
  std::lock_guard lock(m_impl->mutex);
  return guardedCall([&]() -> Result<VariableNode> {
    Session::Impl& s = *m_impl;
    TRY(s.requireStopped());
    const std::vector<SourceFrame>& frames = s.sourceFrames();
    if (frames.empty())
      return Error(ErrorCode::InvalidArgument, "there is no frame to evaluate in");
    size_t index = 0;
    if (frame) {
      TRY_ASSIGN(index, s.sourceFrameIndex(*frame));
    }
    std::unique_ptr<FrameEnv> env = s.frameEnv(index);
    Evaluator evaluator(*env, *s.types, context == EvaluateContext::Repl);
    TRY_ASSIGN(EvalValue v, evaluator.evaluate(expression));
    std::string text(expression);
    return s.toNode(text, v, index, text, *env);
  });
}

Result<VariableNode> Session::setExpression(std::string_view expression, std::string_view value,
                                            std::optional<FrameId> frame) {
  std::lock_guard lock(m_impl->mutex);
  return guardedCall([&]() -> Result<VariableNode> {
    Session::Impl& s = *m_impl;
    TRY(s.requireStopped());
    const std::vector<SourceFrame>& frames = s.sourceFrames();
    if (frames.empty())
      return Error(ErrorCode::InvalidArgument, "there is no frame to evaluate in");
    size_t index = 0;
    if (frame) {
      TRY_ASSIGN(index, s.sourceFrameIndex(*frame));
    }
    std::unique_ptr<FrameEnv> env = s.frameEnv(index);
    Evaluator evaluator(*env, *s.types);
    TRY_ASSIGN(EvalValue dest, evaluator.evaluate(expression));
    const Type* t = dest.type;
    if (!isIntegral(t) && !isFloating(t) && !isPointer(t))
      return Error(ErrorCode::InvalidArgument,
                   "only numbers, enums, booleans and pointers can be set ('" +
                       std::string(expression) + "' is '" + typeName(t) + "')");
    if (!dest.isLvalue())
      return Error(ErrorCode::InvalidArgument,
                   "'" + std::string(expression) +
                       "' is not stored anywhere it can be written (a computed value)");
    TRY_ASSIGN(EvalValue v, evaluator.evaluate(value));
    TRY_ASSIGN(Scalar scalar, loadScalar(*env, *s.types, v));
    TRY(storeScalar(*env, dest, scalar));
    std::string text(expression);
    return s.toNode(text, dest, index, text, *env);
  });
}

Result<MemoryRead> Session::readMemory(uint64_t address, uint64_t count) const {
  std::lock_guard lock(m_impl->mutex);
  Session::Impl& s = *m_impl;
  if (s.state == SessionState::Running)
    return Error(ErrorCode::InvalidArgument, "the guest is running");
  if (!s.instance)
    return notLaunchedError();
  runtime::MemoryInstance* mem = s.instance->memory(0);
  if (!mem)
    return Error(ErrorCode::InvalidArgument, "the module has no linear memory");
  constexpr uint64_t kMaxRead = 16u << 20;
  if (count > kMaxRead)
    return Error(ErrorCode::InvalidArgument,
                 "read of " + std::to_string(count) + " bytes is over the 16 MiB limit");
  MemoryRead out;
  out.address = address;
  uint64_t readable = address < mem->size ? std::min(count, mem->size - address) : 0;
  out.data.assign(mem->data + (readable ? address : 0),
                  mem->data + (readable ? address + readable : 0));
  out.unreadableBytes = count - readable;
  return out;
}

Result<uint64_t> Session::writeMemory(uint64_t address, std::span<const uint8_t> bytes) {
  std::lock_guard lock(m_impl->mutex);
  Session::Impl& s = *m_impl;
  if (s.state == SessionState::Running)
    return Error(ErrorCode::InvalidArgument, "the guest is running");
  if (!s.instance)
    return notLaunchedError();
  runtime::MemoryInstance* mem = s.instance->memory(0);
  if (!mem)
    return Error(ErrorCode::InvalidArgument, "the module has no linear memory");
  if (!mem->inBounds(address, bytes.size()))
    return Error(ErrorCode::OutOfBoundsMemoryAccess,
                 "write of " + std::to_string(bytes.size()) + " bytes at " + hexAddress(address) +
                     " is outside linear memory (" + std::to_string(mem->size) + " bytes)");
  if (!bytes.empty())
    std::memcpy(mem->data + address, bytes.data(), bytes.size());
  return uint64_t(bytes.size());
}

} // namespace wasmscope::debugger
