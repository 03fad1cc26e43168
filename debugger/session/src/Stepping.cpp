// Stepping at line and instruction granularity. While a step lasts, the
// runtime's global probe runs a hook before every instruction of the frame
// being stepped; a call that is to be stepped over switches it off and puts
// a one-shot local probe at the return address instead ("return probe"), so
// the callee runs at full speed. Line changes come from the line table
// (is_stmt rows only); functions without line info are stepped over, and
// entering a function with line info stops after its prologue.
//
// Semantics, as gdb and lldb do them:
//  - next: stop at the first is_stmt row of another line in this frame, or
//    in a caller once this frame returns (mid-line, at the return address);
//    callers without line info are stepped out of as well.
//  - stepIn: as next, but stop in a callee with line info, after its prologue;
//    a callee without line info is stepped over, with whatever it calls.
//  - stepOut: stop in the caller at the instruction after the call. Out of
//    an inlined call: at the first line outside it.
//  - Instruction granularity: one wasm instruction (next steps over calls).
//  - From code without line info (stop-on-entry in `_start`), next and
//    stepIn run to the first line with line info, wherever it is.
//
// Optimised code (-O2):
//  - Inlined calls are frames, told apart by identity (their DWARF scope),
//    not by depth: leaving one inlined call straight into the next one
//    inlined at the same depth is leaving the frame. next and stepOut run
//    through inlined callees of the stepped frame; stepIn stops in them.
//  - A return address with no line (clang's line 0 after a call) in a
//    function that has line info is not "a caller without line info": the
//    step goes on to that function's next statement (finishLineFrom).
//  - The interpreter fuses some wasm instructions into one (a compare and
//    its branch); a statement row starting at any of them counts as reached
//    (stepRowAt), so a step does not walk past a loop header.
//
// A line guard (startLineGuard) is not a step: after a breakpoint on a line
// with several locations, continuing watches the line as a step over would
// until it is left, so that its other locations do not report the same
// pass again.
#include "SessionImpl.h"

#include <algorithm>

namespace wasmscope::debugger {

void Session::Impl::setGlobalProbe(bool on) {
  if (on == step.globalOn)
    return;
  step.globalOn = on;
  if (on)
    store->setGlobalProbe([this](ProbeContext& ctx) { return onStepInstruction(ctx); });
  else
    store->setGlobalProbe({});
}

void Session::Impl::cancelStep() {
  if (step.returnProbe)
    removeProbe(*step.returnProbe);
  step.returnProbe.reset();
  setGlobalProbe(false);
  step.kind = ResumeKind::Continue;
  step.lineGuard = false;
}

void Session::Impl::startLineGuard(const ProbeContext& ctx, FileIndex file, uint32_t line) {
  step = {};
  step.kind = ResumeKind::Continue;
  step.lineGuard = true;
  step.startDepth = ctx.callDepth;
  step.startFunc = ctx.funcIndex;
  step.startOffset = ctx.wasmOffset;
  step.startHasLine = true;
  step.startFile = file;
  step.startLine = line;
  setGlobalProbe(true);
}

bool Session::Impl::onSteppedLine(const ProbeContext& ctx, FileIndex file, uint32_t line) const {
  bool lineStep =
      step.kind != ResumeKind::Continue && step.granularity != StepGranularity::Instruction;
  return (lineStep || step.lineGuard) && step.startHasLine && ctx.callDepth == step.startDepth &&
         file == step.startFile && line == step.startLine;
}

const SourceLocation* Session::Impl::rowAt(uint32_t offset) {
  if (step.rowValid && offset >= step.row.address && offset < step.row.endAddress)
    return &step.row;
  std::optional<SourceLocation> loc = symbols ? symbols->locationAt(offset) : std::nullopt;
  step.rowValid = loc.has_value();
  if (!loc)
    return nullptr;
  step.row = *loc;
  return &step.row;
}

const SourceLocation* Session::Impl::stepRowAt(const ProbeContext& ctx) {
  step.fusedRowUsed = false;
  const SourceLocation* row = rowAt(ctx.wasmOffset);
  // One internal instruction can stand for several wasm instructions (a
  // compare fused with its branch, constants folded into an operand), and
  // the global probe sees it once, at one of their offsets. A statement row
  // that starts at any of the others is reached here too, or a step would
  // walk past it (the `for` condition after a call returns, at -O2).
  const runtime::CompiledFunction* cf = ctx.function ? ctx.function->code : nullptr;
  if (!cf || (row && row->isStmt && row->line))
    return row;
  std::optional<uint32_t> pc = cf->pcAt(ctx.wasmOffset);
  if (!pc)
    return row;
  const auto& map = cf->wasmToPc;
  auto at = std::lower_bound(map.begin(), map.end(), ctx.wasmOffset,
                             [](const auto& e, uint32_t offset) { return e.first < offset; });
  auto lo = at, hi = at;
  while (lo != map.begin() && std::prev(lo)->second == *pc)
    --lo;
  while (hi != map.end() && hi->second == *pc)
    ++hi;
  for (auto it = lo; it != hi; ++it) {
    if (it->first == ctx.wasmOffset)
      continue;
    std::optional<SourceLocation> other = symbols->locationAt(it->first);
    if (other && other->isStmt && other->line && other->address == it->first) {
      step.fusedRow = *other;
      step.fusedRowUsed = true;
      return &step.fusedRow;
    }
  }
  return rowAt(ctx.wasmOffset);
}

void Session::Impl::inlineScopesAt(uint32_t offset, std::vector<const Scope*>& out) const {
  out.clear();
  if (!hasInlines)
    return;
  const Function* fn = symbols->functionAt(offset);
  if (!fn)
    return;
  const Scope* scope = &fn->scope;
  for (;;) {
    const Scope* next = nullptr;
    for (const Scope& child : scope->children)
      if (child.contains(offset)) {
        next = &child;
        break;
      }
    if (!next)
      return;
    if (next->kind == ScopeKind::Inlined)
      out.push_back(next);
    scope = next;
  }
}

bool Session::Impl::hasLineInfo(uint32_t offset) const {
  const Function* fn = symbols ? symbols->functionAt(offset) : nullptr;
  return fn && fn->fromDwarf;
}

void Session::Impl::finishLineFrom(const ProbeContext& ctx) {
  // As if the step had started here: a frame whose current line is "none".
  step.startDepth = ctx.callDepth;
  step.startFunc = ctx.funcIndex;
  step.startOffset = ctx.wasmOffset;
  step.startHasLine = true;
  step.startFile = kNoFile;
  step.startLine = 0;
  step.anyLine = true;
  if (step.kind == ResumeKind::StepOut)
    step.kind = ResumeKind::Next;
  inlineScopesAt(ctx.wasmOffset, step.startChain);
  step.startInline = step.startChain.size();
}

bool Session::Impl::installReturnProbe(const runtime::FrameInfo& caller, uint32_t targetDepth) {
  const runtime::CompiledFunction* cf = compiled->function(caller.funcIndex);
  if (!cf)
    return false;
  // The caller's offset is its call instruction; it resumes at the next one.
  std::vector<uint32_t> offsets = cf->instructionOffsets();
  auto it = std::upper_bound(offsets.begin(), offsets.end(), caller.wasmOffset);
  if (it == offsets.end())
    return false;
  auto id =
      addProbe(caller.funcIndex, *it, [this](ProbeContext& ctx) { return onStepReturn(ctx); });
  if (!id.ok())
    return false;
  step.returnProbe = *id;
  step.returnDepth = targetDepth;
  return true;
}

void Session::Impl::startStep(ResumeKind kind, StepGranularity granularity,
                              const ProbeContext& ctx) {
  step = {};
  step.kind = kind;
  // Without line info there are no lines to step by.
  step.granularity = symbols->hasDwarf() ? granularity : StepGranularity::Instruction;
  step.startDepth = ctx.callDepth;
  step.startFunc = ctx.funcIndex;
  step.startOffset = ctx.wasmOffset;
  if (const SourceLocation* row = rowAt(ctx.wasmOffset); row && row->line) {
    step.startHasLine = true;
    step.startFile = row->file;
    step.startLine = row->line;
  }
  inlineScopesAt(ctx.wasmOffset, step.startChain);
  step.startInline = step.startChain.size();
  if (kind == ResumeKind::StepOut) {
    if (granularity != StepGranularity::Instruction && step.startInline > 0) {
      setGlobalProbe(true);
      return;
    }
    std::vector<runtime::FrameInfo> frames = store->frames();
    if (frames.size() < 2 || !installReturnProbe(frames[1], ctx.callDepth - 1))
      step.kind = ResumeKind::Continue; // Nothing to return to: run on.
    return;
  }
  setGlobalProbe(true);
}

Session::Impl::StepDecision Session::Impl::decide(const ProbeContext& ctx) {
  uint32_t depth = ctx.callDepth;
  uint32_t offset = ctx.wasmOffset;
  if (step.granularity == StepGranularity::Instruction) {
    // One wasm instruction can be several internal ones: wait for the next
    // wasm offset (or another frame).
    bool moved = depth != step.startDepth || offset != step.startOffset;
    if (step.kind == ResumeKind::StepIn)
      return moved ? StepDecision::Stop : StepDecision::Continue;
    if (step.kind == ResumeKind::Next) {
      if (depth > step.startDepth)
        return StepDecision::StepOverCall;
      return moved ? StepDecision::Stop : StepDecision::Continue;
    }
    return StepDecision::Continue;
  }
  auto atStatement = [&](const SourceLocation* row) { return row && row->line && row->isStmt; };

  if (!step.startHasLine) {
    const SourceLocation* row = stepRowAt(ctx);
    if (!atStatement(row))
      return StepDecision::Continue;
    const Function* fn = symbols->functionAt(offset);
    if (fn && fn->fromDwarf && offset < fn->bodyAddress && fn->contains(fn->bodyAddress))
      return StepDecision::Continue; // In the prologue.
    return StepDecision::Stop;
  }

  if (depth > step.startDepth) {
    if (step.kind != ResumeKind::StepIn)
      return StepDecision::StepOverCall;
    const Function* fn = symbols->functionAt(offset);
    if (!fn || !fn->fromDwarf)
      return StepDecision::StepOverCall;
    if (offset < fn->bodyAddress && fn->contains(fn->bodyAddress))
      return StepDecision::Continue;
    return atStatement(stepRowAt(ctx)) ? StepDecision::Stop : StepDecision::Continue;
  }

  if (depth < step.startDepth) {
    const SourceLocation* row = stepRowAt(ctx);
    if (row && row->line)
      return StepDecision::Stop; // Returned into the middle of the caller's line.
    if (hasLineInfo(offset)) {
      // A return address with no line of its own (line 0, which clang puts
      // after calls at -O2) in a function that has lines: on to its next
      // statement, not out of it.
      finishLineFrom(ctx);
      return StepDecision::Continue;
    }
    return StepDecision::StepOut; // A caller without line info: on out of it.
  }

  const SourceLocation* row = stepRowAt(ctx);
  if (hasInlines) {
    // Inlined calls are frames: compare the chain here with the one the
    // step started in. `common` calls are still the same; past them the
    // step has left its frame (returned from inlined code) or is deeper
    // (in an inlined callee).
    std::vector<const Scope*>& chain = step.chain;
    inlineScopesAt(offset, chain);
    size_t common = 0;
    while (common < chain.size() && common < step.startChain.size() &&
           chain[common] == step.startChain[common])
      ++common;
    if (common < step.startChain.size()) {
      // Left the frame the step started in, into its caller at level
      // `common`, perhaps straight into another call inlined there.
      if (step.kind == ResumeKind::StepIn)
        return atStatement(row) ? StepDecision::Stop : StepDecision::Continue;
      return chain.size() == common && atStatement(row) ? StepDecision::Stop
                                                        : StepDecision::Continue;
    }
    if (chain.size() > step.startChain.size()) {
      // In a call inlined into the stepped frame: next and stepOut run
      // through it; stepIn stops at its first statement.
      if (step.kind == ResumeKind::StepIn)
        return atStatement(row) ? StepDecision::Stop : StepDecision::Continue;
      return StepDecision::Continue;
    }
    if (step.kind == ResumeKind::StepOut)
      return StepDecision::Continue; // Still in the inlined call being left.
  }
  if (!atStatement(row))
    return StepDecision::Continue;
  if (step.anyLine || row->line != step.startLine || row->file != step.startFile)
    return StepDecision::Stop;
  return StepDecision::Continue;
}

ProbeAction Session::Impl::onStepInstruction(ProbeContext& ctx) {
  if (terminateRequested)
    return ProbeAction::Stop;
  // The global probe runs first at each instruction: reaching it again means
  // the instruction the guest stopped at has run.
  skip.active = false;
  stepProbeCalls.fetch_add(1, std::memory_order_relaxed);
  if (step.lineGuard) {
    if (ctx.callDepth > step.startDepth) {
      // A call from the guarded line runs at full speed.
      std::vector<runtime::FrameInfo> frames = store->frames();
      if (frames.size() >= 2 && installReturnProbe(frames[1], ctx.callDepth - 1))
        setGlobalProbe(false);
      else
        cancelStep();
      return ProbeAction::Continue;
    }
    const SourceLocation* row = ctx.callDepth == step.startDepth ? rowAt(ctx.wasmOffset) : nullptr;
    if (ctx.callDepth < step.startDepth ||
        (row && row->line && (row->line != step.startLine || row->file != step.startFile)))
      cancelStep(); // The line is left: the guard is done.
    return ProbeAction::Continue;
  }
  switch (decide(ctx)) {
  case StepDecision::Continue:
    return ProbeAction::Continue;
  case StepDecision::Stop: {
    StoppedEvent e;
    e.reason = StopReason::Step;
    e.description = "Paused after step";
    // Stopped for a statement that starts under this fused instruction:
    // the stop is at that statement (what runs next includes it).
    if (step.fusedRowUsed)
      ctx.wasmOffset = step.fusedRow.address;
    return park(std::move(e), &ctx, StopSource::GlobalProbe);
  }
  case StepDecision::StepOverCall:
  case StepDecision::StepOut: {
    std::vector<runtime::FrameInfo> frames = store->frames();
    if (frames.size() >= 2 && installReturnProbe(frames[1], ctx.callDepth - 1))
      setGlobalProbe(false);
    else
      cancelStep(); // Nothing to return to: run on.
    return ProbeAction::Continue;
  }
  }
  return ProbeAction::Continue;
}

ProbeAction Session::Impl::onStepReturn(ProbeContext& ctx) {
  if (terminateRequested)
    return ProbeAction::Stop;
  if (!step.returnProbe || ctx.callDepth > step.returnDepth)
    return ProbeAction::Continue; // A deeper activation of the same code.
  ProbeId id = *step.returnProbe;
  step.returnProbe.reset();
  removeProbe(id);
  if (step.lineGuard) {
    // Back from a call made on the guarded line: guard on, or done.
    if (ctx.callDepth == step.startDepth)
      setGlobalProbe(true);
    else
      cancelStep();
    return ProbeAction::Continue;
  }
  StoppedEvent stopped;
  stopped.reason = StopReason::Step;
  stopped.description = "Paused after step";
  if (step.kind == ResumeKind::StepOut) {
    const SourceLocation* row = rowAt(ctx.wasmOffset);
    if (step.granularity == StepGranularity::Instruction || (row && row->line))
      return park(std::move(stopped), &ctx, StopSource::OtherProbe, id);
    if (hasLineInfo(ctx.wasmOffset)) {
      // The return address has no line (line 0 after a call at -O2), but
      // its function has lines: stop at its next statement, as LLDB does,
      // rather than taking it for a function without line info.
      finishLineFrom(ctx);
      setGlobalProbe(true);
      return ProbeAction::Continue;
    }
    // Returned into code without line info: on out of it too.
    std::vector<runtime::FrameInfo> frames = store->frames();
    if (frames.size() < 2 || !installReturnProbe(frames[1], ctx.callDepth - 1))
      cancelStep();
    return ProbeAction::Continue;
  }
  if (step.granularity == StepGranularity::Instruction)
    return park(std::move(stopped), &ctx, StopSource::OtherProbe, id);
  switch (decide(ctx)) {
  case StepDecision::Stop:
    if (step.fusedRowUsed)
      ctx.wasmOffset = step.fusedRow.address; // As in onStepInstruction.
    return park(std::move(stopped), &ctx, StopSource::OtherProbe, id);
  case StepDecision::StepOut: {
    std::vector<runtime::FrameInfo> frames = store->frames();
    if (frames.size() < 2 || !installReturnProbe(frames[1], ctx.callDepth - 1))
      cancelStep();
    return ProbeAction::Continue;
  }
  case StepDecision::StepOverCall:
  case StepDecision::Continue:
    setGlobalProbe(true);
    return ProbeAction::Continue;
  }
  return ProbeAction::Continue;
}

} // namespace wasmscope::debugger
