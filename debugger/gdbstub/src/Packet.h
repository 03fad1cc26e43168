// The gdb-remote requests the stub understands, parsed from a packet's
// decoded payload into one typed struct. Parsing checks every number (hex
// digits only, no overflow, lengths capped) and every separator, so the
// handlers see only well-formed requests; anything else is an error with a
// message, which the stub answers with an error reply. Requests the stub
// does not know parse as Unsupported and get the empty reply, which the
// protocol defines as "not supported".
#pragma once

#include "wasmscope/runtime/Result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wasmscope::gdbstub {

using runtime::Error;
using runtime::ErrorCode;
using runtime::Result;

enum class RequestKind : uint8_t {
  Unsupported,        ///< Anything not below: the empty reply.
  StopReason,         ///< `?`
  Supported,          ///< `qSupported[:features]`
  StartNoAckMode,     ///< `QStartNoAckMode`
  EnableErrorStrings, ///< `QEnableErrorStrings`
  ThreadSuffixSupported, ///< `QThreadSuffixSupported`
  ListThreadsInStopReply, ///< `QListThreadsInStopReply`
  HostInfo,           ///< `qHostInfo`
  ProcessInfo,        ///< `qProcessInfo`
  CurrentThread,      ///< `qC`
  ThreadListFirst,    ///< `qfThreadInfo`
  ThreadListNext,     ///< `qsThreadInfo`
  Attached,           ///< `qAttached`
  RegisterInfo,       ///< `qRegisterInfo<n>`: `reg`
  ReadRegister,       ///< `p<n>`: `reg`
  ReadRegisters,      ///< `g`
  WriteRegister,      ///< `P<n>=<value>`: `reg`, `data`
  WriteRegisters,     ///< `G<values>`
  ThreadStopInfo,     ///< `qThreadStopInfo<tid>`: `thread`
  MemoryRegionInfo,   ///< `qMemoryRegionInfo[:addr]`: `address` (absent: support probe)
  ReadLibraries,      ///< `qXfer:libraries:read::<offset>,<length>`: `address`, `length`
  ReadMemory,         ///< `m<addr>,<len>`
  ReadMemoryBinary,   ///< `x<addr>,<len>`
  WriteMemory,        ///< `M<addr>,<len>:<hex>`: `data`
  WriteMemoryBinary,  ///< `X<addr>,<len>:<binary>`: `data`
  InsertPoint,        ///< `Z<type>,<addr>,<kind>`: `pointType`, `address`, `length`
  RemovePoint,        ///< `z<type>,<addr>,<kind>`
  ContinueQuery,      ///< `vCont?`
  Continue,           ///< `c`, `C<sig>`, `vCont;c`, `vCont;C<sig>`
  Step,               ///< `s`, `S<sig>`, `vCont;s`, `vCont;S<sig>`
  Kill,               ///< `k`, `vKill[;pid]`
  Detach,             ///< `D`, `D;<pid>`
  SetThread,          ///< `H<op><tid>`
  ThreadAlive,        ///< `T<tid>`: `thread`
  WatchpointSupportInfo, ///< `qWatchpointSupportInfo[:]`
  WasmCallStack,      ///< `qWasmCallStack[:<tid>]`
  WasmLocal,          ///< `qWasmLocal:<frame>;<index>`: `frame`, `index`
  WasmGlobal,         ///< `qWasmGlobal:<frame>;<index>`
  WasmStackValue,     ///< `qWasmStackValue:<frame>;<index>`
  Monitor,            ///< `qRcmd,<hex>`: `text` is the command
  GdbServerVersion,   ///< `qGDBServerVersion`
};

/// Z/z point types.
enum class PointType : uint8_t {
  Software = 0,    ///< Z0: a breakpoint.
  Hardware = 1,    ///< Z1: treated as a breakpoint.
  WriteWatch = 2,  ///< Z2
  ReadWatch = 3,   ///< Z3
  AccessWatch = 4, ///< Z4
};

struct Request {
  RequestKind kind = RequestKind::Unsupported;
  uint64_t address = 0;
  uint64_t length = 0;
  uint32_t reg = 0;
  uint32_t frame = 0;
  uint32_t index = 0;
  PointType pointType = PointType::Software;
  std::optional<uint64_t> thread;
  /// Signal to deliver on continue or step (C/S); ignored, as wasm has none.
  std::optional<uint8_t> signal;
  std::vector<uint8_t> data;
  std::string text;
};

/// The most bytes one memory read may ask for; a larger read is an error.
inline constexpr uint64_t kMaxMemoryRead = 1 << 20;

/// Parses one decoded payload. Errors (ErrorCode::InvalidArgument) say
/// what is malformed: "m: expected ',' after the address".
Result<Request> parseRequest(std::string_view payload);

// Hex helpers shared with the handlers.

/// Lower-case hex of `bytes`, two digits per byte.
std::string toHex(std::string_view bytes);
std::string toHex(const std::vector<uint8_t>& bytes);
/// `value` as a hex number without leading zeros ("4000000000000000").
std::string hexNumber(uint64_t value);
/// `value` as little-endian bytes in hex (a register or wasm value).
std::string toHexLittleEndian(uint64_t value, size_t bytes);
/// Decodes an even-length hex string; empty on a bad digit or odd length.
std::optional<std::vector<uint8_t>> fromHex(std::string_view hex);
/// Parses a hex number of at most 16 digits.
std::optional<uint64_t> parseHexNumber(std::string_view text);
/// Parses a decimal number that fits in 32 bits.
std::optional<uint32_t> parseDecimal(std::string_view text);

} // namespace wasmscope::gdbstub
