// Host (Linux) errno values mapped to their WASI preview1 counterparts.
#include "WasiAbi.h"

#include <cerrno>

namespace wasmscope::runtime::wasi {

Errno fromHostErrno(int e) {
  switch (e) {
  case 0: return Errno::Success;
  case E2BIG: return Errno::TooBig;
  case EACCES: return Errno::Acces;
  case EADDRINUSE: return Errno::AddrInUse;
  case EADDRNOTAVAIL: return Errno::AddrNotAvail;
  case EAGAIN: return Errno::Again;
  case EALREADY: return Errno::Already;
  case EBADF: return Errno::BadF;
  case EBUSY: return Errno::Busy;
  case ECANCELED: return Errno::Canceled;
  case ECHILD: return Errno::Child;
  case ECONNABORTED: return Errno::ConnAborted;
  case ECONNREFUSED: return Errno::ConnRefused;
  case ECONNRESET: return Errno::ConnReset;
  case EDEADLK: return Errno::DeadLk;
  case EDQUOT: return Errno::DQuot;
  case EEXIST: return Errno::Exist;
  case EFAULT: return Errno::Fault;
  case EFBIG: return Errno::FBig;
  case EILSEQ: return Errno::IlSeq;
  case EINPROGRESS: return Errno::InProgress;
  case EINTR: return Errno::Intr;
  case EINVAL: return Errno::Inval;
  case EIO: return Errno::Io;
  case EISDIR: return Errno::IsDir;
  case ELOOP: return Errno::Loop;
  case EMFILE: return Errno::MFile;
  case EMLINK: return Errno::MLink;
  case ENAMETOOLONG: return Errno::NameTooLong;
  case ENFILE: return Errno::NFile;
  case ENOBUFS: return Errno::NoBufs;
  case ENODEV: return Errno::NoDev;
  case ENOENT: return Errno::NoEnt;
  case ENOMEM: return Errno::NoMem;
  case ENOSPC: return Errno::NoSpc;
  case ENOSYS: return Errno::NoSys;
  case ENOTCONN: return Errno::NotConn;
  case ENOTDIR: return Errno::NotDir;
  case ENOTEMPTY: return Errno::NotEmpty;
  case ENOTSOCK: return Errno::NotSock;
  case ENOTSUP: return Errno::NotSup; // == EOPNOTSUPP on Linux
  case ENOTTY: return Errno::NoTty;
  case ENXIO: return Errno::NxIo;
  case EOVERFLOW: return Errno::Overflow;
  case EPERM: return Errno::Perm;
  case EPIPE: return Errno::Pipe;
  case ERANGE: return Errno::Range;
  case EROFS: return Errno::RoFs;
  case ESPIPE: return Errno::SPipe;
  case ESRCH: return Errno::Srch;
  case ETIMEDOUT: return Errno::TimedOut;
  case ETXTBSY: return Errno::TxtBsy;
  // A resolution that would leave the sandbox (openat2 RESOLVE_BENEATH).
  case EXDEV: return Errno::XDev;
  default: return Errno::Io;
  }
}

Errno lastHostErrno() { return fromHostErrno(errno); }

} // namespace wasmscope::runtime::wasi
