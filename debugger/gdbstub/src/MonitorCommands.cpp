// The monitor command table and its handlers (see MonitorCommands.h), and
// the stub's qRcmd request: the answer goes to the client as console output
// (`O` packets), then OK or an error.
#include "MonitorCommands.h"

#include "Stub.h"

#include <charconv>
#include <optional>

namespace wasmscope::gdbstub {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

MonitorResult fromResult(const runtime::Result<std::string>& r) {
  if (!r.ok())
    return {false, r.error().message + "\n"};
  std::string text = *r;
  if (!text.empty() && text.back() != '\n')
    text += '\n';
  return {true, text};
}

MonitorResult unavailable(std::string_view command, std::string_view why) {
  return {false, std::string(command) + ": not available: " + std::string(why) + "\n"};
}

constexpr std::string_view kNoMemoryProfiler =
    "needs the memory profiler: start `wasmscope run` with --gdb-memory (it intercepts the "
    "guest's allocator; the guest runs slower)";

/// A number in decimal or 0x-hex that fits 32 bits.
std::optional<uint32_t> parseU32(std::string_view digits) {
  int base = 10;
  if (digits.substr(0, 2) == "0x" || digits.substr(0, 2) == "0X") {
    digits.remove_prefix(2);
    base = 16;
  }
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
      value >= (uint64_t(1) << 32))
    return std::nullopt;
  return uint32_t(value);
}

} // namespace

const std::vector<MonitorCommands::Command>& MonitorCommands::commands() {
  static const std::vector<Command> kCommands = {
      {"help", "help", "list the monitor commands", &MonitorCommands::help},
      {"profile", "profile",
       "instructions executed so far and the functions that executed the most",
       &MonitorCommands::profile},
      {"leak_check",
       "leak_check [full|summary] [definiteleak|possibleleak|reachable|kinds K,..] "
       "[any|increased|changed|new] [limited N|unlimited]",
       "unfreed heap blocks now, classified as memcheck does (definitely, indirectly, possibly "
       "lost, still reachable), as numbered loss records with their allocation stacks",
       &MonitorCommands::leakCheck},
      {"block_list", "block_list RECORD|FROM..TO|FILE:LINE|FUNCTION [limited N]",
       "the blocks of loss records of the last leak_check, by number or by allocation site",
       &MonitorCommands::blockList},
      {"who_points_at", "who_points_at ADDR [LEN]",
       "where pointers into [ADDR, ADDR+LEN) are held: static data, the stack, wasm locals and "
       "globals, heap blocks (ADDR and LEN decimal or 0x-hex; LEN 1 by default)",
       &MonitorCommands::whoPointsAt},
  };
  return kCommands;
}

MonitorResult MonitorCommands::run(std::string_view line) const {
  line = trim(line);
  size_t space = line.find_first_of(" \t");
  std::string_view name = line.substr(0, space);
  std::string_view args = space == std::string_view::npos ? std::string_view() : trim(line.substr(space));
  if (name.empty())
    return {false, "no monitor command given; `help` lists them\n"};
  for (const Command& c : commands())
    if (c.name == name)
      return (this->*c.handler)(args);
  return {false, "unknown monitor command '" + std::string(name) + "'; `help` lists them\n"};
}

MonitorResult MonitorCommands::help(std::string_view) const {
  std::string text = "wasmscope monitor commands:\n";
  for (const Command& c : commands())
    text += "  " + std::string(c.usage) + "\n      " + std::string(c.help) + "\n";
  return {true, text};
}

MonitorResult MonitorCommands::profile(std::string_view args) const {
  if (!args.empty())
    return {false, "profile takes no arguments\n"};
  if (!m_backends.profile)
    return unavailable("profile", "needs the instruction profiler: start `wasmscope run` with "
                                  "--gdb-profile (block counters; the guest runs slower)");
  return fromResult(m_backends.profile());
}

MonitorResult MonitorCommands::leakCheck(std::string_view args) const {
  if (!m_backends.leakCheck)
    return unavailable("leak_check", kNoMemoryProfiler);
  return fromResult(m_backends.leakCheck(args));
}

MonitorResult MonitorCommands::blockList(std::string_view args) const {
  if (args.empty())
    return {false, "usage: block_list RECORD|FROM..TO|FILE:LINE|FUNCTION [limited N]\n"};
  if (!m_backends.blockList)
    return unavailable("block_list", kNoMemoryProfiler);
  return fromResult(m_backends.blockList(args));
}

MonitorResult MonitorCommands::whoPointsAt(std::string_view args) const {
  constexpr std::string_view kUsage =
      "usage: who_points_at ADDR [LEN] (an address in linear memory and a length, decimal or "
      "0x-hex)\n";
  size_t space = args.find_first_of(" \t");
  std::optional<uint32_t> address = parseU32(args.substr(0, space));
  std::optional<uint32_t> length = uint32_t(1);
  if (space != std::string_view::npos)
    length = parseU32(trim(args.substr(space)));
  if (!address || !length || *length == 0)
    return {false, std::string(kUsage)};
  if (!m_backends.whoPointsAt)
    return unavailable("who_points_at", kNoMemoryProfiler);
  return fromResult(m_backends.whoPointsAt(*address, *length));
}

// --- The qRcmd request ------------------------------------------------------------------

Reply GdbStub::monitor(const std::string& command) {
  MonitorResult result = m_monitor->run(command);
  Reply r;
  // Console output in pieces that fit a packet comfortably.
  constexpr size_t kChunk = 4096;
  for (size_t i = 0; i < result.text.size(); i += kChunk)
    r.output.push_back("O" + toHex(std::string_view(result.text).substr(i, kChunk)));
  r.payload = result.ok ? "OK" : errorReply(0x0e, result.text);
  return r;
}

void GdbStub::setMonitorBackends(MonitorBackends backends) {
  m_monitor = std::make_unique<MonitorCommands>(std::move(backends));
}

} // namespace wasmscope::gdbstub
