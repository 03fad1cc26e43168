// Monitor commands (`qRcmd`, LLDB's `process plugin packet monitor CMD`), in
// the spirit of Valgrind's gdbserver: `profile`, `leak_check`,
// `block_list RECORD|SITE`, `who_points_at ADDR [LEN]`, and `help`. Each command is one
// small handler in a table; the data comes from backends the server plugs
// in (the profilers), and a command whose backend is absent says so and
// what would provide it, rather than answering with made-up figures.
#pragma once

#include "wasmscope/runtime/Result.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace wasmscope::gdbstub {

/// What answers the monitor commands. Each may be empty: the command then
/// reports that it is not available and why.
struct MonitorBackends {
  /// Instructions executed so far and the top functions (instruction profile).
  std::function<runtime::Result<std::string>()> profile;
  /// Unfreed blocks classified as memcheck does (memory profiler), with
  /// leak_check's arguments as given ("full reachable").
  std::function<runtime::Result<std::string>(std::string_view args)> leakCheck;
  /// The blocks of loss records: block_list's arguments as given ("3",
  /// "2..4", "request_handler.c:101", "copy_string", "limited 5").
  std::function<runtime::Result<std::string>(std::string_view args)> blockList;
  /// Where pointers into [address, address + length) are held.
  std::function<runtime::Result<std::string>(uint32_t address, uint32_t length)> whoPointsAt;
};

/// The result of one command: text for the user, and whether it succeeded.
struct MonitorResult {
  bool ok = true;
  std::string text;
};

class MonitorCommands {
public:
  MonitorCommands() = default;
  explicit MonitorCommands(MonitorBackends backends) : m_backends(std::move(backends)) {}

  /// Runs `line` ("who_points_at 0x1234"). Unknown commands and bad
  /// arguments fail with a message naming the valid forms.
  MonitorResult run(std::string_view line) const;

  struct Command {
    std::string_view name;
    std::string_view usage;
    std::string_view help;
    MonitorResult (MonitorCommands::*handler)(std::string_view args) const;
  };
  /// The command table, for `help` and the docs.
  static const std::vector<Command>& commands();

private:
  MonitorResult help(std::string_view args) const;
  MonitorResult profile(std::string_view args) const;
  MonitorResult leakCheck(std::string_view args) const;
  MonitorResult blockList(std::string_view args) const;
  MonitorResult whoPointsAt(std::string_view args) const;

  MonitorBackends m_backends;
};

} // namespace wasmscope::gdbstub
