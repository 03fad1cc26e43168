// Line, function and instruction breakpoints, with conditions, hit counts
// and log messages. Each breakpoint resolves to code offsets through the
// symbols (line table, function entries after the prologue); each distinct
// location gets one runtime local probe, shared by the breakpoints there, so
// a breakpoint costs nothing until the guest reaches it. Conditions and log
// messages are parsed when the breakpoint is resolved (a malformed one leaves
// it unverified, with the parser's message) and evaluated in the probe, on
// the guest thread.
#include "SessionImpl.h"

#include <algorithm>
#include <charconv>
#include <set>
#include <tuple>
#include <type_traits>

namespace wasmscope::debugger {

namespace {

/// Appends a plain integer (not a char, bool or enum, which the formatter
/// spells) as the formatter would; false for anything else. Logpoints in
/// hot loops mostly print integers.
bool appendPlainInteger(std::string& out, const Scalar& value) {
  const Type* t = strip(value.type);
  if ((value.kind != Scalar::Kind::Signed && value.kind != Scalar::Kind::Unsigned) || !t ||
      t->kind != TypeKind::Base || isCharType(t) || t->encoding == BaseEncoding::Boolean)
    return false;
  char buffer[24];
  std::to_chars_result r = value.kind == Scalar::Kind::Signed
                               ? std::to_chars(buffer, buffer + sizeof buffer, value.asSigned())
                               : std::to_chars(buffer, buffer + sizeof buffer, value.bits);
  out.append(buffer, r.ptr);
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(uint8_t(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(uint8_t(s.back())))
    s.remove_suffix(1);
  return s;
}

template <typename F> auto guardedCall(F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const std::exception& e) {
    return Error(ErrorCode::InvalidArgument, std::string("internal error: ") + e.what());
  }
}

} // namespace

// ----------------------------------------------------------- hit counts ----

bool HitCondition::matches(uint64_t hits) const {
  switch (op) {
  case Op::Always:
    return true;
  case Op::Eq:
    return hits == n;
  case Op::Gt:
    return hits > n;
  case Op::Ge:
    return hits >= n;
  case Op::Lt:
    return hits < n;
  case Op::Le:
    return hits <= n;
  case Op::Mod:
    return n != 0 && hits % n == 0;
  }
  return true;
}

Result<HitCondition> HitCondition::parse(std::string_view text) {
  HitCondition c;
  std::string_view s = trim(text);
  if (s.empty())
    return c;
  static constexpr std::pair<std::string_view, Op> kOps[] = {
      {">=", Op::Ge}, {"<=", Op::Le}, {"==", Op::Eq}, {">", Op::Gt},
      {"<", Op::Lt},  {"%", Op::Mod}, {"=", Op::Eq}};
  c.op = Op::Eq;
  for (auto [spelling, op] : kOps)
    if (s.substr(0, spelling.size()) == spelling) {
      c.op = op;
      s = trim(s.substr(spelling.size()));
      break;
    }
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), c.n);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || (c.op == Op::Mod && c.n == 0))
    return Error(ErrorCode::InvalidArgument,
                 "invalid hit condition '" + std::string(text) +
                     "': use N (the Nth hit), ==N, >N, >=N, <N, <=N or %N (every Nth hit)");
  return c;
}

// ------------------------------------------------------------ resolving ----

void Session::Impl::resolveBreakpoint(BreakpointRecord& r) {
  ++breakpointsVersion;
  Breakpoint& b = r.resolved;
  b = Breakpoint{};
  b.id = r.id;
  r.locations.clear();
  // The function with an instruction at `address`. A function's DWARF entry
  // (DW_AT_low_pc) is its local declarations, no instruction: a breakpoint
  // there (LLDB 22 puts a call-site breakpoint there when the inlined call
  // starts the function) goes on the first instruction.
  auto funcAt = [&](uint32_t& address) -> std::optional<FuncIndex> {
    const runtime::CompiledFunction* cf = compiled->functionAt(address);
    if (!cf)
      if (const Function* fn = symbols->functionAt(address);
          fn && fn->lowPc() == address && fn->funcIndex != runtime::kNoIndex)
        if ((cf = compiled->function(fn->funcIndex)) && address < cf->bodyOffset)
          address = cf->bodyOffset;
    if (!cf || !cf->pcAt(address))
      return std::nullopt;
    return cf->index;
  };
  auto locate = [&](uint32_t address) {
    if (std::optional<SourceLocation> loc = symbols->locationAt(address); loc && loc->line) {
      if (b.sourcePath.empty() || r.kind != BreakpointKind::Line)
        b.sourcePath = sourcePaths->localPath(loc->file);
      if (r.kind != BreakpointKind::Line) {
        b.line = loc->line;
        b.column = loc->column;
      }
    }
  };
  switch (r.kind) {
  case BreakpointKind::Line: {
    b.sourcePath = r.requestPath;
    b.line = r.requestLine;
    if (!symbols->hasDwarf()) {
      b.message = "the module has no debug info (DWARF): line breakpoints cannot be placed";
      return;
    }
    std::optional<FileIndex> file = sourcePaths->find(r.requestPath);
    if (!file) {
      b.message = "'" + r.requestPath + "' is not a source file of this module";
      return;
    }
    LineMatch match;
    std::vector<uint32_t> addresses =
        symbols->breakpointAddresses(symbols->filePath(*file), r.requestLine, &match);
    b.sourcePath = sourcePaths->localPath(match.file != kNoFile ? match.file : *file);
    if (addresses.empty()) {
      b.message = "no code at or after line " + std::to_string(r.requestLine);
      return;
    }
    b.line = match.line;
    // Report the line the guest really stops on: a function's opening line
    // resolves past the prologue, to its first body line.
    if (std::optional<SourceLocation> loc = symbols->locationAt(addresses.front());
        loc && loc->line && loc->file == match.file) {
      b.line = loc->line;
      b.column = loc->column;
    }
    if (b.line != r.requestLine)
      b.message =
          "moved from line " + std::to_string(r.requestLine) + " to line " + std::to_string(b.line);
    for (uint32_t a : addresses)
      if (std::optional<FuncIndex> f = funcAt(a)) {
        r.locations.push_back({*f, a});
        b.addresses.push_back(a);
      }
    if (b.addresses.size() > 1) {
      // DAP gives a breakpoint one line and column: name the others here
      // (breakpointLocations lists them all).
      std::string columns;
      for (uint32_t a : b.addresses)
        if (std::optional<SourceLocation> loc = symbols->locationAt(a); loc && loc->column)
          columns += (columns.empty() ? "" : ", ") + std::to_string(loc->column);
      std::string note = std::to_string(b.addresses.size()) + " locations" +
                         (columns.empty() ? "" : " (columns " + columns + ")");
      b.message = b.message.empty() ? note : b.message + "; " + note;
    }
    break;
  }
  case BreakpointKind::Function: {
    std::vector<const Function*> functions = symbols->findFunctions(trim(r.functionName));
    if (functions.empty()) {
      b.message = "no function named '" + r.functionName + "'";
      return;
    }
    for (const Function* fn : functions) {
      uint32_t address = fn->fromDwarf ? fn->bodyAddress : fn->lowPc();
      std::optional<FuncIndex> f = funcAt(address);
      if (!f)
        continue;
      r.locations.push_back({*f, address});
      b.addresses.push_back(address);
      if (b.line == 0)
        locate(address);
    }
    break;
  }
  case BreakpointKind::Instruction: {
    uint32_t address = r.instructionAddress;
    if (std::optional<FuncIndex> f = funcAt(address)) {
      r.locations.push_back({*f, address});
      b.addresses.push_back(address);
      locate(address);
    } else {
      b.message = "no instruction starts at code offset " + hexAddress(address);
    }
    break;
  }
  case BreakpointKind::Data: {
    constexpr uint64_t kSpace = uint64_t(1) << 32;
    if (!instance || !instance->memory(0)) {
      b.message = "the module has no linear memory to watch";
      return;
    }
    if (r.dataSize == 0 || r.dataAddress >= kSpace || r.dataSize > kSpace - r.dataAddress) {
      b.message = "cannot watch " + std::to_string(r.dataSize) + " bytes at " +
                  hexAddress(r.dataAddress) + ": outside the 4 GiB of a wasm32 memory";
      return;
    }
    b.message = std::string(dataAccessTypeName(r.dataAccess)) + " of " +
                std::to_string(r.dataSize) + " bytes at " + hexAddress(r.dataAddress);
    break;
  }
  }
  if (r.hitConditionError) {
    b.message = *r.hitConditionError;
    r.locations.clear();
    return;
  }
  if (Result<void> parsed = parseBreakpointExpressions(r); !parsed.ok()) {
    b.message = parsed.error().message;
    r.locations.clear();
    return;
  }
  b.verified = !r.locations.empty() || r.kind == BreakpointKind::Data;
  if (!b.verified && b.message.empty())
    b.message = "no code to place the breakpoint on";
}

void Session::Impl::applyBreakpoints() {
  breakpointsDirty = false;
  if (!store || !compiled)
    return;
  applyDataBreakpoints();
  std::map<ProbeLocation, std::vector<BreakpointId>> desired;
  for (const auto& [id, record] : breakpoints)
    for (const ProbeLocation& loc : record.locations)
      desired[loc].push_back(id);
  for (auto it = locationProbes.begin(); it != locationProbes.end();) {
    if (!desired.count(it->first)) {
      removeProbe(it->second.probe);
      it = locationProbes.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& [loc, ids] : desired) {
    auto it = locationProbes.find(loc);
    if (it == locationProbes.end()) {
      // The node is made first: the hook keeps a pointer to it, stable
      // until the probe is removed with it.
      it = locationProbes.emplace(loc, LocationProbe{}).first;
      ProbeLocation where = loc;
      LocationProbe* lp = &it->second;
      auto probe = addProbe(loc.first, loc.second, [this, where, lp](ProbeContext& ctx) {
        return onBreakpointProbe(ctx, where, lp);
      });
      if (!probe.ok()) {
        locationProbes.erase(it);
        continue;
      }
      it->second.probe = *probe;
    }
    LocationProbe& lp = it->second;
    lp.breakpoints = std::move(ids);
    lp.plan.clear();
    for (BreakpointId id : lp.breakpoints)
      if (auto rec = breakpoints.find(id); rec != breakpoints.end())
        lp.plan.push_back(planAt(rec->second, loc));
    lp.file = kNoFile;
    lp.line = 0;
    if (std::optional<SourceLocation> row = symbols->locationAt(loc.second); row && row->line) {
      lp.file = row->file;
      lp.line = row->line;
    }
  }
  // A line breakpoint with several locations in one function (a macro, a
  // loop header) stops once per pass over the line: its probes know it.
  std::map<std::tuple<FuncIndex, FileIndex, uint32_t>, int> perLine;
  for (const auto& [loc, lp] : locationProbes)
    if (lp.line)
      ++perLine[{loc.first, lp.file, lp.line}];
  for (auto& [loc, lp] : locationProbes)
    lp.sharesLine = lp.line && perLine[{loc.first, lp.file, lp.line}] > 1;
}

void Session::Impl::scheduleApplyBreakpoints() {
  breakpointsDirty = true;
  switch (state) {
  case SessionState::Configuring:
  case SessionState::Stopped:
    applyBreakpoints();
    break;
  case SessionState::Running:
    requestAttention(Attention::ApplyBreakpoints);
    break;
  default:
    break; // Applied at launch.
  }
}

bool Session::Impl::hasBreakpointProbeAt(FuncIndex func, uint32_t pc, ProbeId after) const {
  const runtime::CompiledFunction* cf = compiled->function(func);
  if (!cf)
    return false;
  for (const auto& [loc, probe] : locationProbes)
    if (loc.first == func && cf->pcAt(loc.second) == pc && (after == 0 || probe.probe > after))
      return true;
  return false;
}

Result<void> Session::Impl::parseBreakpointExpressions(BreakpointRecord& r) {
  r.conditionTree.reset();
  r.logPieces.clear();
  // A typedef name makes `(T)x` a cast, unless a variable of that name is
  // visible where the breakpoint stops (as in C, the variable wins there).
  expr::IsTypeName isTypeName = [&](std::string_view name) {
    const Type* t = symbols ? symbols->findType(name) : nullptr;
    if (!t || t->kind != TypeKind::Typedef)
      return false;
    for (const ProbeLocation& location : r.locations)
      for (const Variable* v : symbols->variablesAt(location.second))
        if (v->name == name)
          return false;
    for (const Variable& g : symbols->globalVariables())
      if (g.name == name)
        return false;
    return true;
  };
  if (!r.condition.empty()) {
    TRY_ASSIGN(r.conditionTree, parseCondition(r.condition, isTypeName));
  }
  if (!r.logMessage.empty()) {
    TRY_ASSIGN(r.logPieces, parseLogMessage(r.logMessage, isTypeName));
  }
  return {};
}

ProbeAction Session::Impl::onBreakpointProbe(ProbeContext& ctx, ProbeLocation where,
                                             LocationProbe* lp) {
  // The hot path: a hit whose condition is false takes no lock and
  // allocates nothing. The plan is only rebuilt on this thread (or while
  // the guest runs no wasm), so reading it here needs no lock.
  if (terminateRequested)
    return ProbeAction::Stop;
  breakpointProbeHits.fetch_add(1, std::memory_order_relaxed);
  std::unique_lock lock(mutex, std::defer_lock);
  if (breakpointsDirty.load(std::memory_order_acquire)) {
    lock.lock();
    if (breakpointsDirty)
      applyBreakpoints();
    // This location may be gone now (its probe, and the closure that called
    // here, with it): look it up again rather than trust `lp`.
    auto it = locationProbes.find(where);
    if (it == locationProbes.end())
      return ProbeAction::Continue;
    lp = &it->second;
  }
  if (skip.active) {
    const runtime::CompiledFunction* cf = compiled->function(ctx.funcIndex);
    std::optional<uint32_t> pc = cf ? cf->pcAt(ctx.wasmOffset) : std::nullopt;
    bool same = pc && skip.matches(ctx.funcIndex, *pc, ctx.callDepth, ctx.wasmOffset);
    skip.active = false;
    if (same)
      return ProbeAction::Continue; // Already reported as the stop we resume from.
  }
  // Another location of the line being stepped over, or of the line just
  // stopped on: the same pass over the line, not a new hit.
  bool samePass = lp->sharesLine && onSteppedLine(ctx, lp->file, lp->line);
  ProbeId probe = lp->probe;
  HitFrame hit{ctx.locals, ctx.numLocals, ctx.instance,
               ctx.instance ? ctx.instance->memory(0) : nullptr, ctx.localSlots};
  std::unique_ptr<FrameEnv> env;
  auto frame = [&]() -> FrameEnv& {
    if (!env) {
      ConcreteFrame c;
      c.info.function = ctx.function;
      c.info.funcIndex = ctx.funcIndex;
      c.info.wasmOffset = ctx.wasmOffset;
      c.info.locals = ctx.locals;
      c.info.numLocals = ctx.numLocals;
      c.info.localSlots = ctx.localSlots;
      c.instance = ctx.instance;
      env = std::make_unique<FrameEnv>(*this, c, 0, nullptr, &ctx);
    }
    return *env;
  };
  bool flushed = false;
  bool counted = false; // A line breakpoint here counted a hit.
  StoppedEvent stopped;
  for (const LocationBreakpoint& b : lp->plan) {
    if (samePass && b.kind == BreakpointKind::Line)
      continue;
    if (b.conditionTree) {
      Result<bool> holds = false;
      if (b.condition) {
        compiledConditionRuns.fetch_add(1, std::memory_order_relaxed);
        Result<Scalar> value = b.condition->evaluate(hit);
        holds = value.ok() ? Result<bool>(!value->isZero()) : Result<bool>(value.error());
      } else {
        if (!lock.owns_lock())
          lock.lock();
        treeConditionRuns.fetch_add(1, std::memory_order_relaxed);
        holds = conditionHolds(*b.conditionTree, frame(), *types);
      }
      if (holds.ok() && !*holds)
        continue;
      if (!holds.ok()) {
        if (!lock.owns_lock())
          lock.lock();
        flushed |= output(OutputCategory::Console,
                          "breakpoint " + std::to_string(b.id) + ": condition '" + b.conditionText +
                              "' cannot be evaluated (" + holds.error().message + "); stopping\n");
      }
    }
    uint64_t hits = b.hits->fetch_add(1, std::memory_order_relaxed) + 1;
    counted |= b.kind == BreakpointKind::Line;
    if (!b.hitCondition.matches(hits))
      continue;
    if (b.isLog) {
      if (!lock.owns_lock())
        lock.lock();
      std::string text;
      HitEnvironment hitEnv(hit);
      for (size_t i = 0; i < b.logPieces.size(); ++i) {
        const LogPiece& piece = b.logPieces[i];
        if (!piece.expression) {
          text += piece.text;
        } else if (i < b.logCompiled.size() && b.logCompiled[i]) {
          compiledConditionRuns.fetch_add(1, std::memory_order_relaxed);
          Result<Scalar> value = b.logCompiled[i]->evaluate(hit);
          if (!value.ok())
            text += "<error: " + value.error().message + ">";
          else if (!appendPlainInteger(text, *value))
            text += ValueFormatter(hitEnv, *types).format(scalarValue(*value));
        } else {
          treeConditionRuns.fetch_add(1, std::memory_order_relaxed);
          text += formatLogMessage({piece}, frame(), *types);
        }
      }
      text += '\n';
      flushed |= output(OutputCategory::Console, text, b.sourcePath, b.line);
      continue;
    }
    if (stopped.hitBreakpointIds.empty())
      stopped.reason = b.kind == BreakpointKind::Function      ? StopReason::FunctionBreakpoint
                       : b.kind == BreakpointKind::Instruction ? StopReason::InstructionBreakpoint
                                                               : StopReason::Breakpoint;
    stopped.hitBreakpointIds.push_back(b.id);
  }
  bool sharesLine = lp->sharesLine;
  FileIndex file = lp->file;
  uint32_t line = lp->line;
  if (lock.owns_lock())
    lock.unlock();
  if (flushed)
    deliver();
  if (stopped.hitBreakpointIds.empty()) {
    // A logpoint (or a count) on a line with several locations: the rest
    // of this pass over the line is the same hit.
    if (counted && sharesLine && step.kind == ResumeKind::Continue && !step.lineGuard)
      startLineGuard(ctx, file, line);
    return ProbeAction::Continue;
  }
  stopped.description =
      stopped.reason == StopReason::FunctionBreakpoint      ? "Paused on function breakpoint"
      : stopped.reason == StopReason::InstructionBreakpoint ? "Paused on instruction breakpoint"
                                                            : "Paused on breakpoint";
  if (sharesLine && stopped.reason == StopReason::Breakpoint)
    guardAfterStop = std::pair{file, line};
  // Nothing of `lp` is touched after this: applying breakpoints while
  // parked may remove this probe.
  return park(std::move(stopped), &ctx, StopSource::BreakpointProbe, probe);
}

// -------------------------------------------------------------- the API ----

namespace {

/// Takes out the records of `kind` for which `same` holds, keyed for reuse.
template <typename Key, typename KeyOf>
std::multimap<Key, BreakpointRecord>
takeRecords(std::map<BreakpointId, BreakpointRecord>& all, BreakpointKind kind, KeyOf keyOf,
            const std::function<bool(const BreakpointRecord&)>& select) {
  std::multimap<Key, BreakpointRecord> out;
  for (auto it = all.begin(); it != all.end();) {
    if (it->second.kind == kind && select(it->second)) {
      out.emplace(keyOf(it->second), std::move(it->second));
      it = all.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

/// Gives `rec` the id and hit count of the old breakpoint at `key`, if the
/// client sent it again, so ids stay stable across updates; else a new id.
template <typename Key>
void takeIdentity(Session::Impl& s, std::multimap<Key, BreakpointRecord>& old,
                  const std::type_identity_t<Key>& key, BreakpointRecord& rec) {
  if (auto it = old.find(key); it != old.end()) {
    rec.id = it->second.id;
    rec.hits = it->second.hits; // The counter itself: probes may be counting on it.
    old.erase(it);
  } else {
    rec.id = s.nextBreakpointId++;
  }
}

constexpr const char* kPending = "pending: placed when the program is launched";

/// Parses a new record's condition and hit condition, then resolves it now,
/// or records `pending` until the program is launched.
void prepareRecord(Session::Impl& s, BreakpointRecord& rec, std::string_view condition,
                   const std::string& hitCondition, Breakpoint pending) {
  rec.condition = std::string(trim(condition));
  rec.hitConditionText = hitCondition;
  Result<HitCondition> hc = HitCondition::parse(hitCondition);
  if (hc.ok())
    rec.hitCondition = *hc;
  else
    rec.hitConditionError = hc.error().message;
  if (s.symbols) {
    s.resolveBreakpoint(rec);
    rec.resolvedOnce = true;
  } else {
    rec.resolved = std::move(pending);
    if (rec.hitConditionError)
      rec.resolved.message = *rec.hitConditionError;
  }
}

} // namespace

Result<std::vector<Breakpoint>>
Session::setBreakpoints(std::string_view sourcePath, std::span<const SourceBreakpoint> requested) {
  std::vector<Breakpoint> out;
  Result<void> r = guardedCall([&]() -> Result<void> {
    std::lock_guard lock(m_impl->mutex);
    Session::Impl& s = *m_impl;
    std::string path(sourcePath);
    auto old = takeRecords<uint32_t>(
        s.breakpoints, BreakpointKind::Line,
        [](const BreakpointRecord& r) { return r.requestLine; },
        [&](const BreakpointRecord& r) { return r.requestPath == path; });
    for (const SourceBreakpoint& spec : requested) {
      BreakpointRecord rec;
      takeIdentity(s, old, spec.line, rec);
      rec.kind = BreakpointKind::Line;
      rec.requestPath = path;
      rec.requestLine = spec.line;
      rec.logMessage = spec.logMessage;
      prepareRecord(s, rec, spec.condition, spec.hitCondition,
                    Breakpoint{rec.id, false, kPending, path, spec.line, 0, {}});
      out.push_back(rec.resolved);
      s.breakpoints[rec.id] = std::move(rec);
    }
    ++s.breakpointsVersion;
    s.scheduleApplyBreakpoints();
    return {};
  });
  if (!r.ok())
    return std::move(r).error();
  return out;
}

Result<std::vector<Breakpoint>>
Session::setFunctionBreakpoints(std::span<const FunctionBreakpoint> requested) {
  std::vector<Breakpoint> out;
  Result<void> r = guardedCall([&]() -> Result<void> {
    std::lock_guard lock(m_impl->mutex);
    Session::Impl& s = *m_impl;
    auto old = takeRecords<std::string>(
        s.breakpoints, BreakpointKind::Function,
        [](const BreakpointRecord& r) { return r.functionName; },
        [](const BreakpointRecord&) { return true; });
    for (const FunctionBreakpoint& spec : requested) {
      BreakpointRecord rec;
      takeIdentity(s, old, spec.name, rec);
      rec.kind = BreakpointKind::Function;
      rec.functionName = spec.name;
      prepareRecord(s, rec, spec.condition, spec.hitCondition,
                    Breakpoint{rec.id, false, kPending, "", 0, 0, {}});
      out.push_back(rec.resolved);
      s.breakpoints[rec.id] = std::move(rec);
    }
    ++s.breakpointsVersion;
    s.scheduleApplyBreakpoints();
    return {};
  });
  if (!r.ok())
    return std::move(r).error();
  return out;
}

Result<std::vector<Breakpoint>>
Session::setInstructionBreakpoints(std::span<const InstructionBreakpoint> requested) {
  std::vector<Breakpoint> out;
  Result<void> r = guardedCall([&]() -> Result<void> {
    std::lock_guard lock(m_impl->mutex);
    Session::Impl& s = *m_impl;
    auto old = takeRecords<uint32_t>(
        s.breakpoints, BreakpointKind::Instruction,
        [](const BreakpointRecord& r) { return r.instructionAddress; },
        [](const BreakpointRecord&) { return true; });
    for (const InstructionBreakpoint& spec : requested) {
      BreakpointRecord rec;
      uint32_t address = uint32_t(int64_t(spec.address) + spec.offset);
      takeIdentity(s, old, address, rec);
      rec.kind = BreakpointKind::Instruction;
      rec.instructionAddress = address;
      prepareRecord(s, rec, spec.condition, spec.hitCondition,
                    Breakpoint{rec.id, false, kPending, "", 0, 0, {}});
      out.push_back(rec.resolved);
      s.breakpoints[rec.id] = std::move(rec);
    }
    ++s.breakpointsVersion;
    s.scheduleApplyBreakpoints();
    return {};
  });
  if (!r.ok())
    return std::move(r).error();
  return out;
}

Result<std::vector<Breakpoint>>
Session::setDataBreakpoints(std::span<const DataBreakpoint> requested) {
  std::vector<Breakpoint> out;
  Result<void> r = guardedCall([&]() -> Result<void> {
    std::lock_guard lock(m_impl->mutex);
    Session::Impl& s = *m_impl;
    using Key = std::tuple<uint64_t, uint64_t, DataAccessType>;
    auto old = takeRecords<Key>(
        s.breakpoints, BreakpointKind::Data,
        [](const BreakpointRecord& r) { return Key{r.dataAddress, r.dataSize, r.dataAccess}; },
        [](const BreakpointRecord&) { return true; });
    for (const DataBreakpoint& spec : requested) {
      BreakpointRecord rec;
      takeIdentity(s, old, Key{spec.address, spec.size, spec.accessType}, rec);
      rec.kind = BreakpointKind::Data;
      rec.dataAddress = spec.address;
      rec.dataSize = spec.size;
      rec.dataAccess = spec.accessType;
      prepareRecord(s, rec, spec.condition, spec.hitCondition,
                    Breakpoint{rec.id, false, kPending, "", 0, 0, {}});
      out.push_back(rec.resolved);
      s.breakpoints[rec.id] = std::move(rec);
    }
    s.scheduleApplyBreakpoints();
    return {};
  });
  if (!r.ok())
    return std::move(r).error();
  return out;
}

Result<void> Session::setExceptionBreakpoints(const ExceptionFilters& filters) {
  std::lock_guard lock(m_impl->mutex);
  m_impl->exceptionFilters = filters;
  return {};
}

std::vector<LineBreakpointInfo> Session::lineBreakpoints() const {
  std::lock_guard lock(m_impl->mutex);
  std::vector<LineBreakpointInfo> out;
  for (const auto& [id, record] : m_impl->breakpoints) {
    if (record.kind != BreakpointKind::Line)
      continue;
    LineBreakpointInfo info;
    info.requestPath = record.requestPath;
    info.request.line = record.requestLine;
    info.request.condition = record.condition;
    info.request.hitCondition = record.hitConditionText;
    info.request.logMessage = record.logMessage;
    info.placed = record.resolved;
    out.push_back(std::move(info));
  }
  return out;
}

uint64_t Session::breakpointsVersion() const {
  std::lock_guard lock(m_impl->mutex);
  return m_impl->breakpointsVersion;
}

Result<std::vector<BreakpointLocation>>
Session::breakpointLocations(std::string_view sourcePath, uint32_t line, uint32_t endLine) const {
  std::lock_guard lock(m_impl->mutex);
  return guardedCall([&]() -> Result<std::vector<BreakpointLocation>> {
    const ModuleSymbols* symbols = m_impl->symbols.get();
    if (!symbols)
      return Error(ErrorCode::InvalidArgument, "no program is launched");
    std::optional<FileIndex> file = m_impl->sourcePaths->find(sourcePath);
    if (!file)
      return std::vector<BreakpointLocation>{};
    uint32_t last = endLine ? endLine : line;
    std::vector<BreakpointLocation> out;
    const std::string& path = symbols->filePath(*file);
    for (uint32_t l : symbols->linesWithCode(*file)) {
      if (l < line || l > last)
        continue;
      // Every place the line's breakpoint stops (a macro, a loop header and
      // inlined copies give several), by column.
      LineMatch match;
      std::set<uint32_t> columns;
      for (uint32_t address : symbols->breakpointAddresses(path, l, &match))
        if (std::optional<SourceLocation> loc = symbols->locationAt(address);
            loc && loc->line == l && loc->file == *file && match.line == l)
          columns.insert(loc->column);
      if (columns.empty())
        out.push_back({l, 0});
      for (uint32_t column : columns)
        out.push_back({l, column});
    }
    return out;
  });
}

} // namespace wasmscope::debugger
