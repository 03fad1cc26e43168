// proc_exit, proc_raise, sched_yield, and the sock_* calls. This host hands
// the guest no sockets, so the socket calls only report EBADF for fds that
// are not open and ENOTSUP for the rest.
#include "WasiState.h"

#include <sched.h>

namespace wasmscope::runtime::wasi {

namespace {

/// Records the status; the host-function wrapper then unwinds the guest
/// with ErrorCode::ProcExit (returnsErrno is false).
Errno procExit(WasiCall& c) {
  c.wasi.exitCode = c.u32(0);
  return Errno::Success;
}

/// Signals have no meaning for a guest of this host.
Errno procRaise(WasiCall&) { return Errno::NoSys; }

Errno schedYield(WasiCall&) {
  ::sched_yield();
  return Errno::Success;
}

Errno noSockets(WasiCall& c) {
  return c.wasi.entry(c.u32(0)) ? Errno::NotSup : Errno::BadF;
}

constexpr WasiFunctionDef kFunctions[] = {
    {"proc_exit", "i", procExit, false},
    {"proc_raise", "i", procRaise},
    {"sched_yield", "", schedYield},
    {"sock_accept", "iii", noSockets},
    {"sock_recv", "iiiiii", noSockets},
    {"sock_send", "iiiii", noSockets},
    {"sock_shutdown", "ii", noSockets},
};

} // namespace

std::span<const WasiFunctionDef> procFunctions() { return kFunctions; }

} // namespace wasmscope::runtime::wasi
