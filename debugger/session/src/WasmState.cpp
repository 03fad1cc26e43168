// The stop as wasm sees it, without source-level frames: the wasm call stack
// and each activation's locals, the instance's globals and the operand
// stack. The gdb-remote stub serves these to LLDB (qWasmCallStack,
// qWasmLocal, qWasmGlobal, qWasmStackValue), whose own DWARF evaluation
// then builds source frames and variables on top of them.
#include "SessionImpl.h"

#include <algorithm>

namespace wasmscope::debugger {

namespace {

Error noFrame(uint32_t frame, size_t count) {
  return Error(ErrorCode::InvalidArgument, "no wasm frame " + std::to_string(frame) + " (the stack has " +
                                               std::to_string(count) + ")");
}

} // namespace

Result<std::vector<WasmFrame>> Session::wasmFrames() const {
  std::lock_guard lock(m_impl->mutex);
  TRY(m_impl->requireStopped());
  const Session::Impl& s = *m_impl;
  std::vector<WasmFrame> out;
  for (size_t i = 0; i < s.snapshot->frames.size(); ++i) {
    const runtime::FrameInfo& info = s.snapshot->frames[i].info;
    WasmFrame f;
    f.funcIndex = info.funcIndex;
    f.address = info.wasmOffset;
    if (i > 0) {
      // A caller resumes at the wasm instruction after its call, where the
      // session's own step-out puts its return probe too.
      if (const runtime::CompiledFunction* cf = s.compiled->function(info.funcIndex)) {
        std::vector<uint32_t> offsets = cf->instructionOffsets();
        auto next = std::upper_bound(offsets.begin(), offsets.end(), info.wasmOffset);
        if (next != offsets.end())
          f.returnAddress = *next;
      }
    }
    out.push_back(f);
  }
  return out;
}

Result<runtime::Value> Session::wasmLocal(uint32_t frame, uint32_t index) const {
  std::lock_guard lock(m_impl->mutex);
  TRY(m_impl->requireStopped());
  const auto& frames = m_impl->snapshot->frames;
  if (frame >= frames.size())
    return noFrame(frame, frames.size());
  const runtime::FrameInfo& info = frames[frame].info;
  const runtime::CompiledFunction* cf = m_impl->compiled->function(info.funcIndex);
  if (!cf || !info.locals || index >= info.numLocals || index >= cf->localTypes.size())
    return Error(ErrorCode::InvalidArgument,
                 "wasm frame " + std::to_string(frame) + " has no local " + std::to_string(index) +
                     " (it has " + std::to_string(info.numLocals) + ")");
  return runtime::Value::fromSlot(cf->localTypes[index], info.locals[index].i64);
}

Result<runtime::Value> Session::wasmGlobal(uint32_t frame, uint32_t index) const {
  std::lock_guard lock(m_impl->mutex);
  TRY(m_impl->requireStopped());
  const auto& frames = m_impl->snapshot->frames;
  if (frame >= frames.size())
    return noFrame(frame, frames.size());
  runtime::Instance* inst = frames[frame].instance;
  if (!inst || index >= inst->numGlobals())
    return Error(ErrorCode::InvalidArgument,
                 "the module has no global " + std::to_string(index) + " (it has " +
                     std::to_string(inst ? inst->numGlobals() : 0) + ")");
  const runtime::GlobalInstance* g = inst->global(index);
  return runtime::Value::fromSlot(g->type.type, g->value);
}

Result<runtime::Value> Session::wasmStackValue(uint32_t frame, uint32_t index) const {
  std::lock_guard lock(m_impl->mutex);
  TRY(m_impl->requireStopped());
  const Session::Impl& s = *m_impl;
  const auto& frames = s.snapshot->frames;
  if (frame >= frames.size())
    return noFrame(frame, frames.size());
  std::vector<runtime::Value> stack;
  size_t usable = 0;
  if (frame == 0 && s.snapshot->hasOperandStack) {
    stack = s.snapshot->operandStack;
    usable = stack.size();
  } else {
    const ConcreteFrame& c = frames[frame];
    runtime::ProbeContext ctx{*s.store,
                              c.instance,
                              c.info.function,
                              c.info.funcIndex,
                              c.info.wasmOffset,
                              c.info.locals,
                              c.info.numLocals,
                              0};
    stack = ctx.operandStack();
    usable = stack.size();
    if (frame > 0) {
      // The callee's frame starts at the call's first argument and has
      // overwritten the arguments since.
      const runtime::FunctionInstance* callee = frames[frame - 1].info.function;
      size_t args = callee ? callee->type.params.size() : stack.size();
      usable = stack.size() >= args ? stack.size() - args : 0;
    }
  }
  if (index >= usable)
    return Error(ErrorCode::InvalidArgument,
                 "wasm frame " + std::to_string(frame) + " has no operand-stack entry " +
                     std::to_string(index) + " (it has " + std::to_string(usable) + ")");
  return stack[index];
}

Result<uint64_t> Session::memorySize() const {
  std::lock_guard lock(m_impl->mutex);
  if (m_impl->state == SessionState::Running)
    return Error(ErrorCode::InvalidArgument, "the guest is running");
  if (!m_impl->instance)
    return Error(ErrorCode::InvalidArgument, "no program is launched");
  const runtime::MemoryInstance* mem = m_impl->instance->memory(0);
  return mem ? mem->size : 0;
}

Result<void> Session::inspectStop(
    const std::function<void(std::span<const runtime::FrameInfo> frames)>& inspect) const {
  std::lock_guard lock(m_impl->mutex);
  TRY(m_impl->requireStopped());
  std::vector<runtime::FrameInfo> frames;
  frames.reserve(m_impl->snapshot->frames.size());
  for (const auto& f : m_impl->snapshot->frames)
    frames.push_back(f.info);
  inspect(frames);
  return runtime::success();
}

} // namespace wasmscope::debugger
