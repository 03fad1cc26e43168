// The wasi_snapshot_preview1 ABI: errno values, rights, flags, file types and
// the byte layouts of the structs the host writes into guest memory. Numbers
// and offsets are those of wasi-libc's <wasi/api.h> (generated from the
// preview1 witx), which asserts every size and offset.
#pragma once

#include <cstdint>
#include <utility>
#include <variant>

namespace wasmscope::runtime::wasi {

/// __wasi_errno_t. Only the values this host returns are named.
enum class Errno : uint16_t {
  Success = 0,
  TooBig = 1, // E2BIG
  Acces = 2,
  AddrInUse = 3,
  AddrNotAvail = 4,
  Again = 6,
  Already = 7,
  BadF = 8,
  Busy = 10,
  Canceled = 11,
  Child = 12,
  ConnAborted = 13,
  ConnRefused = 14,
  ConnReset = 15,
  DeadLk = 16,
  DQuot = 19,
  Exist = 20,
  Fault = 21,
  FBig = 22,
  IlSeq = 25,
  InProgress = 26,
  Intr = 27,
  Inval = 28,
  Io = 29,
  IsDir = 31,
  Loop = 32,
  MFile = 33,
  MLink = 34,
  NameTooLong = 37,
  NFile = 41,
  NoBufs = 42,
  NoDev = 43,
  NoEnt = 44,
  NoMem = 48,
  NoSpc = 51,
  NoSys = 52,
  NotConn = 53,
  NotDir = 54,
  NotEmpty = 55,
  NotSock = 57,
  NotSup = 58,
  NoTty = 59,
  NxIo = 60,
  Overflow = 61,
  Perm = 63,
  Pipe = 64,
  Range = 68,
  RoFs = 69,
  SPipe = 70,
  Srch = 71,
  TimedOut = 73,
  TxtBsy = 74,
  XDev = 75,
  NotCapable = 76,
};

/// Maps a host errno value to its WASI counterpart (EIO when there is none).
Errno fromHostErrno(int hostErrno);
/// fromHostErrno(errno), for the line after a failed syscall.
Errno lastHostErrno();

/// A value or a WASI errno: what the internal helpers return.
template <typename T> class ErrnoOr {
public:
  ErrnoOr(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
  ErrnoOr(Errno e) : m_v(std::in_place_index<1>, e) {}
  bool ok() const { return m_v.index() == 0; }
  T& value() { return std::get<0>(m_v); }
  T& operator*() { return value(); }
  T* operator->() { return &value(); }
  Errno error() const { return ok() ? Errno::Success : std::get<1>(m_v); }

private:
  std::variant<T, Errno> m_v;
};

/// Returns the errno of a failed ErrnoOr or Errno expression.
#define WASI_TRY(expr)                                                         \
  do {                                                                         \
    ::wasmscope::runtime::wasi::Errno _wasi_e = (expr);                        \
    if (_wasi_e != ::wasmscope::runtime::wasi::Errno::Success)                 \
      return _wasi_e;                                                          \
  } while (0)

// --- Clocks (__wasi_clockid_t). ---
inline constexpr uint32_t kClockRealtime = 0;
inline constexpr uint32_t kClockMonotonic = 1;
inline constexpr uint32_t kClockProcessCputime = 2;
inline constexpr uint32_t kClockThreadCputime = 3;

// --- Rights (__wasi_rights_t). ---
namespace rights {
inline constexpr uint64_t kFdDatasync = 1ull << 0;
inline constexpr uint64_t kFdRead = 1ull << 1;
inline constexpr uint64_t kFdSeek = 1ull << 2;
inline constexpr uint64_t kFdFdstatSetFlags = 1ull << 3;
inline constexpr uint64_t kFdSync = 1ull << 4;
inline constexpr uint64_t kFdTell = 1ull << 5;
inline constexpr uint64_t kFdWrite = 1ull << 6;
inline constexpr uint64_t kFdAdvise = 1ull << 7;
inline constexpr uint64_t kFdAllocate = 1ull << 8;
inline constexpr uint64_t kPathCreateDirectory = 1ull << 9;
inline constexpr uint64_t kPathCreateFile = 1ull << 10;
inline constexpr uint64_t kPathLinkSource = 1ull << 11;
inline constexpr uint64_t kPathLinkTarget = 1ull << 12;
inline constexpr uint64_t kPathOpen = 1ull << 13;
inline constexpr uint64_t kFdReaddir = 1ull << 14;
inline constexpr uint64_t kPathReadlink = 1ull << 15;
inline constexpr uint64_t kPathRenameSource = 1ull << 16;
inline constexpr uint64_t kPathRenameTarget = 1ull << 17;
inline constexpr uint64_t kPathFilestatGet = 1ull << 18;
inline constexpr uint64_t kPathFilestatSetSize = 1ull << 19;
inline constexpr uint64_t kPathFilestatSetTimes = 1ull << 20;
inline constexpr uint64_t kFdFilestatGet = 1ull << 21;
inline constexpr uint64_t kFdFilestatSetSize = 1ull << 22;
inline constexpr uint64_t kFdFilestatSetTimes = 1ull << 23;
inline constexpr uint64_t kPathSymlink = 1ull << 24;
inline constexpr uint64_t kPathRemoveDirectory = 1ull << 25;
inline constexpr uint64_t kPathUnlinkFile = 1ull << 26;
inline constexpr uint64_t kPollFdReadwrite = 1ull << 27;
inline constexpr uint64_t kSockShutdown = 1ull << 28;
inline constexpr uint64_t kSockAccept = 1ull << 29;
inline constexpr uint64_t kAll = (1ull << 30) - 1;

/// What an open regular file can be used for.
inline constexpr uint64_t kRegularFile =
    kFdDatasync | kFdRead | kFdSeek | kFdFdstatSetFlags | kFdSync | kFdTell | kFdWrite |
    kFdAdvise | kFdAllocate | kFdFilestatGet | kFdFilestatSetSize | kFdFilestatSetTimes |
    kPollFdReadwrite;
/// What an open directory can be used for (its own operations and paths beneath).
inline constexpr uint64_t kDirectory =
    kFdFdstatSetFlags | kFdSync | kFdDatasync | kPathCreateDirectory | kPathCreateFile |
    kPathLinkSource | kPathLinkTarget | kPathOpen | kFdReaddir | kPathReadlink |
    kPathRenameSource | kPathRenameTarget | kPathFilestatGet | kPathFilestatSetSize |
    kPathFilestatSetTimes | kFdFilestatGet | kFdFilestatSetTimes | kPathSymlink |
    kPathRemoveDirectory | kPathUnlinkFile;
/// What a file opened beneath a directory may inherit.
inline constexpr uint64_t kInheritable = kRegularFile | kDirectory;
/// A character stream such as stdin or stdout (never seekable).
inline constexpr uint64_t kStdin = kFdRead | kFdFdstatSetFlags | kFdFilestatGet | kPollFdReadwrite;
inline constexpr uint64_t kStdout = kFdWrite | kFdDatasync | kFdSync | kFdFdstatSetFlags |
                                    kFdFilestatGet | kPollFdReadwrite;
} // namespace rights

// --- File types (__wasi_filetype_t). ---
enum class FileType : uint8_t {
  Unknown = 0,
  BlockDevice = 1,
  CharacterDevice = 2,
  Directory = 3,
  RegularFile = 4,
  SocketDgram = 5,
  SocketStream = 6,
  SymbolicLink = 7,
};

// --- Flags. ---
inline constexpr uint16_t kFdflagAppend = 1 << 0;
inline constexpr uint16_t kFdflagDsync = 1 << 1;
inline constexpr uint16_t kFdflagNonblock = 1 << 2;
inline constexpr uint16_t kFdflagRsync = 1 << 3;
inline constexpr uint16_t kFdflagSync = 1 << 4;
inline constexpr uint16_t kFdflagsAll = 0x1f;

inline constexpr uint16_t kOflagCreat = 1 << 0;
inline constexpr uint16_t kOflagDirectory = 1 << 1;
inline constexpr uint16_t kOflagExcl = 1 << 2;
inline constexpr uint16_t kOflagTrunc = 1 << 3;
inline constexpr uint16_t kOflagsAll = 0xf;

inline constexpr uint32_t kLookupSymlinkFollow = 1 << 0;

inline constexpr uint16_t kFstflagAtim = 1 << 0;
inline constexpr uint16_t kFstflagAtimNow = 1 << 1;
inline constexpr uint16_t kFstflagMtim = 1 << 2;
inline constexpr uint16_t kFstflagMtimNow = 1 << 3;

inline constexpr uint8_t kWhenceSet = 0;
inline constexpr uint8_t kWhenceCur = 1;
inline constexpr uint8_t kWhenceEnd = 2;

inline constexpr uint8_t kAdviceMax = 5; ///< NORMAL .. NOREUSE

inline constexpr uint8_t kEventClock = 0;
inline constexpr uint8_t kEventFdRead = 1;
inline constexpr uint8_t kEventFdWrite = 2;
inline constexpr uint16_t kEventFdReadwriteHangup = 1 << 0;
inline constexpr uint16_t kSubclockAbstime = 1 << 0;

inline constexpr uint8_t kPreopenTypeDir = 0;

// --- Struct layouts: sizes and field offsets. ---
namespace layout {
inline constexpr uint32_t kIovecSize = 8; ///< buf u32 @0, buf_len u32 @4

inline constexpr uint32_t kFdstatSize = 24;
inline constexpr uint32_t kFdstatFiletype = 0;     ///< u8
inline constexpr uint32_t kFdstatFlags = 2;        ///< u16
inline constexpr uint32_t kFdstatRightsBase = 8;   ///< u64
inline constexpr uint32_t kFdstatRightsInherit = 16; ///< u64

inline constexpr uint32_t kFilestatSize = 64;
inline constexpr uint32_t kFilestatDev = 0;
inline constexpr uint32_t kFilestatIno = 8;
inline constexpr uint32_t kFilestatFiletype = 16; ///< u8
inline constexpr uint32_t kFilestatNlink = 24;
inline constexpr uint32_t kFilestatSizeField = 32;
inline constexpr uint32_t kFilestatAtim = 40;
inline constexpr uint32_t kFilestatMtim = 48;
inline constexpr uint32_t kFilestatCtim = 56;

inline constexpr uint32_t kPrestatSize = 8; ///< tag u8 @0, pr_name_len u32 @4
inline constexpr uint32_t kPrestatNameLen = 4;

inline constexpr uint32_t kDirentSize = 24; ///< Header; the name follows, unterminated.
inline constexpr uint32_t kDirentNext = 0;   ///< u64 cookie of the next entry
inline constexpr uint32_t kDirentIno = 8;    ///< u64
inline constexpr uint32_t kDirentNamlen = 16; ///< u32
inline constexpr uint32_t kDirentType = 20;  ///< u8

inline constexpr uint32_t kSubscriptionSize = 48;
inline constexpr uint32_t kSubUserdata = 0; ///< u64
inline constexpr uint32_t kSubTag = 8;      ///< u8
inline constexpr uint32_t kSubClockId = 16; ///< u32
inline constexpr uint32_t kSubClockTimeout = 24;   ///< u64
inline constexpr uint32_t kSubClockPrecision = 32; ///< u64
inline constexpr uint32_t kSubClockFlags = 40;     ///< u16
inline constexpr uint32_t kSubFd = 16;             ///< u32, for fd_read and fd_write

inline constexpr uint32_t kEventSize = 32;
inline constexpr uint32_t kEventUserdata = 0; ///< u64
inline constexpr uint32_t kEventError = 8;    ///< u16
inline constexpr uint32_t kEventType = 10;    ///< u8
inline constexpr uint32_t kEventNbytes = 16;  ///< u64
inline constexpr uint32_t kEventFlags = 24;   ///< u16
} // namespace layout

} // namespace wasmscope::runtime::wasi
