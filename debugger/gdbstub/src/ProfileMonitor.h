// The backend of the `profile` monitor command: the instruction profiler
// (profiler/) watching the run the stub serves, attached through the
// session's RunObserver hook as the inspector attaches its profiler, and a
// short text summary of what it has counted so far, for the LLDB console.
#pragma once

#include "wasmscope/session/Session.h"

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>

namespace wasmscope::profiler {
class Profiler;
}

namespace wasmscope::gdbstub {

/// Owns an instruction profiler for each run of the launch. Put it in
/// LaunchConfig::observers with LaunchConfig::countBlocks set.
class ProfileMonitor final : public debugger::RunObserver {
public:
  ProfileMonitor();
  ~ProfileMonitor() override;
  ProfileMonitor(const ProfileMonitor&) = delete;
  ProfileMonitor& operator=(const ProfileMonitor&) = delete;

  runtime::Result<void> attach(runtime::Guest& guest) override;
  void detach(runtime::Guest& guest) override;

  /// Instructions executed so far and the `top` functions by the
  /// instructions they executed themselves. Only while the guest is stopped
  /// (the caller checks; Profiler::snapshot's rule), or after the run, when
  /// it answers from the final profile.
  runtime::Result<std::string> summary(size_t top = 10) const;

private:
  mutable std::mutex m_mutex;
  std::unique_ptr<profiler::Profiler> m_profiler;
  /// The summary of the finished run, once the guest is gone.
  std::string m_final;
};

} // namespace wasmscope::gdbstub
