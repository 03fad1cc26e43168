// random_get: bytes from the kernel's getrandom(2), or in deterministic mode
// from xoshiro256** seeded with the configured seed.
#include "WasiState.h"

#include <sys/random.h>

#include <cerrno>

namespace wasmscope::runtime::wasi {

namespace {

uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

Errno randomGet(WasiCall& c) {
  uint32_t buf = c.u32(0), len = c.u32(1);
  bool ok;
  std::span<uint8_t> out = c.mem.bytes(buf, len, ok);
  if (!ok)
    return Errno::Fault;
  // Reported up front: every byte is written below unless the call fails,
  // and then the guest may not rely on the buffer anyway.
  c.mem.wrote(buf, len);
  if (c.wasi.config.deterministic) {
    c.wasi.rng.fill(out.data(), out.size());
    return Errno::Success;
  }
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::getrandom(out.data() + done, out.size() - done, 0);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return lastHostErrno();
    }
    done += size_t(n);
  }
  return Errno::Success;
}

constexpr WasiFunctionDef kFunctions[] = {
    {"random_get", "ii", randomGet},
};

} // namespace

SeededRandom::SeededRandom(uint64_t seed) {
  for (uint64_t& s : m_s)
    s = splitmix64(seed);
}

uint64_t SeededRandom::next() {
  uint64_t result = rotl(m_s[1] * 5, 7) * 9;
  uint64_t t = m_s[1] << 17;
  m_s[2] ^= m_s[0];
  m_s[3] ^= m_s[1];
  m_s[1] ^= m_s[2];
  m_s[0] ^= m_s[3];
  m_s[2] ^= t;
  m_s[3] = rotl(m_s[3], 45);
  return result;
}

void SeededRandom::fill(uint8_t* out, size_t len) {
  while (len) {
    uint64_t v = next();
    for (int i = 0; i < 8 && len; ++i, --len)
      *out++ = uint8_t(v >> (8 * i));
  }
}

std::span<const WasiFunctionDef> randomFunctions() { return kFunctions; }

} // namespace wasmscope::runtime::wasi
