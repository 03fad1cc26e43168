// The `profile` monitor command's backend (ProfileMonitor.h): a snapshot of
// the instruction profile, formatted as a small table.
#include "ProfileMonitor.h"

#include "HeapText.h"

#include "wasmscope/profiler/Profiler.h"

#include <cstdio>

namespace wasmscope::gdbstub {

namespace {

std::string row(const std::string& percent, const std::string& self, const std::string& total,
                const std::string& calls, const std::string& name) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "%7s %15s %15s %12s  ", percent.c_str(), self.c_str(),
                total.c_str(), calls.c_str());
  return buf + name + "\n";
}

profiler::RunInfo runInfo() {
  profiler::RunInfo run;
  run.entry = "_start";
  return run;
}

std::string format(const profiler::Profile& profile, size_t top, bool final) {
  const uint64_t all = profile.totals.instructions;
  std::string text = std::string(final ? "instructions (run over): " : "instructions so far: ") +
                     groupedNumber(all) + " in " + groupedNumber(profile.totals.calls) + " wasm calls and " +
                     groupedNumber(profile.totals.hostCalls) + " host calls\n";
  std::vector<const profiler::FunctionStats*> functions = profile.functionsBySelf();
  if (functions.empty())
    return text;
  text += "top functions by the instructions they executed themselves:\n";
  text += row("self", "self instrs", "total instrs", "calls", "function");
  for (size_t i = 0; i < functions.size() && i < top; ++i) {
    const profiler::FunctionStats& f = *functions[i];
    char percent[16];
    std::snprintf(percent, sizeof percent, "%.1f%%",
                  all ? 100.0 * double(f.selfInstructions) / double(all) : 0.0);
    bool inlined = profile.frames[f.frame].kind == profiler::FrameKind::Inlined;
    std::string name = profile.describeFrame(f.frame);
    if (inlined)
      name += " [inlined]";
    text += row(percent, groupedNumber(f.selfInstructions), groupedNumber(f.totalInstructions),
                inlined ? "-" : groupedNumber(f.calls), name);
  }
  if (functions.size() > top)
    text += "(" + std::to_string(functions.size() - top) + " more functions)\n";
  return text;
}

} // namespace

ProfileMonitor::ProfileMonitor() = default;
ProfileMonitor::~ProfileMonitor() = default;

runtime::Result<void> ProfileMonitor::attach(runtime::Guest& guest) {
  std::lock_guard lock(m_mutex);
  m_final.clear();
  TRY_ASSIGN(m_profiler, profiler::Profiler::attach(guest, profiler::ProfilerOptions{}));
  return {};
}

void ProfileMonitor::detach(runtime::Guest&) {
  std::lock_guard lock(m_mutex);
  if (!m_profiler)
    return;
  // The guest is about to go: keep the final figures for a client that
  // asks after the run (LLDB still connected to the exited process).
  auto profile = m_profiler->finish(runInfo());
  m_final = profile.ok() ? format(*profile, 10, true) : "profile: " + profile.error().message + "\n";
  m_profiler.reset();
}

runtime::Result<std::string> ProfileMonitor::summary(size_t top) const {
  std::lock_guard lock(m_mutex);
  if (!m_profiler) {
    if (!m_final.empty())
      return m_final;
    return runtime::Error(runtime::ErrorCode::InvalidArgument,
                          "profile: the profiler is not attached to a guest");
  }
  TRY_ASSIGN(profiler::Profile profile, m_profiler->snapshot(runInfo()));
  return format(profile, top, false);
}

} // namespace wasmscope::gdbstub
