/* SHA-256 (FIPS 180-4) over a pseudo-random buffer, chained: 32-bit
 * rotates, shifts and adds, the integer ALU at full tilt. The kernel checks
 * itself against the standard "abc" test vector first and returns -1 on a
 * mismatch, so a wrong answer can never pass for a checksum. */
#include "kernel.h"

#define BUFFER_SIZE (64 * 1024)

static const u32 kRoundConstants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static const u32 kInitialHash[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                    0xa54ff53a, 0x510e527f, 0x9b05688c,
                                    0x1f83d9ab, 0x5be0cd19};

static u8 g_buffer[BUFFER_SIZE];

static inline u32 rotr(u32 x, int n) { return (x >> n) | (x << (32 - n)); }

static void compressBlock(u32 state[8], const u8* block) {
  u32 w[64];
  for (int i = 0; i < 16; ++i)
    w[i] = (u32)block[4 * i] << 24 | (u32)block[4 * i + 1] << 16 |
           (u32)block[4 * i + 2] << 8 | (u32)block[4 * i + 3];
  for (int i = 16; i < 64; ++i) {
    u32 s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    u32 s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  u32 a = state[0], b = state[1], c = state[2], d = state[3];
  u32 e = state[4], f = state[5], g = state[6], h = state[7];
  for (int i = 0; i < 64; ++i) {
    u32 s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
    u32 choose = (e & f) ^ (~e & g);
    u32 t1 = h + s1 + choose + kRoundConstants[i] + w[i];
    u32 s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
    u32 majority = (a & b) ^ (a & c) ^ (b & c);
    u32 t2 = s0 + majority;
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
  state[5] += f;
  state[6] += g;
  state[7] += h;
}

/* The digest of `data`, as eight big-endian words. */
static void sha256(const u8* data, u32 length, u32 digest[8]) {
  for (int i = 0; i < 8; ++i)
    digest[i] = kInitialHash[i];
  u32 done = 0;
  for (; length - done >= 64; done += 64)
    compressBlock(digest, data + done);
  /* Padding: 0x80, zeros, then the length in bits as a 64-bit big-endian. */
  u8 tail[128];
  u32 rest = length - done;
  for (u32 i = 0; i < 128; ++i)
    tail[i] = i < rest ? data[done + i] : 0;
  tail[rest] = 0x80;
  u32 tailLength = rest + 9 <= 64 ? 64 : 128;
  u64 bits = (u64)length * 8;
  for (int i = 0; i < 8; ++i)
    tail[tailLength - 1 - i] = (u8)(bits >> (8 * i));
  for (u32 off = 0; off < tailLength; off += 64)
    compressBlock(digest, tail + off);
}

static int selfTestPasses(void) {
  static const u8 kAbc[3] = {'a', 'b', 'c'};
  static const u32 kExpected[8] = {0xba7816bf, 0x8f01cfea, 0x414140de,
                                   0x5dae2223, 0xb00361a3, 0x96177a9c,
                                   0xb410ff61, 0xf20015ad};
  u32 digest[8];
  sha256(kAbc, 3, digest);
  for (int i = 0; i < 8; ++i)
    if (digest[i] != kExpected[i])
      return 0;
  return 1;
}

static long long kernel(int n) {
  if (!selfTestPasses())
    return -1;
  u32 seed = 0x9e3779b9u;
  for (u32 i = 0; i < BUFFER_SIZE; ++i)
    g_buffer[i] = (u8)(nextRandom(&seed) >> 24);
  u64 sum = 1469598103934665603ull;
  u32 digest[8];
  /* Each round hashes the whole buffer (less a few bytes, to exercise the
   * padding paths) and writes the digest back into it. */
  for (int round = 0; round < n; ++round) {
    u32 length = BUFFER_SIZE - (u32)(round % 61);
    sha256(g_buffer, length, digest);
    u32 at = ((u32)round * 32) % (BUFFER_SIZE - 32);
    for (int i = 0; i < 8; ++i) {
      g_buffer[at + 4 * i] = (u8)(digest[i] >> 24);
      g_buffer[at + 4 * i + 1] = (u8)(digest[i] >> 16);
      g_buffer[at + 4 * i + 2] = (u8)(digest[i] >> 8);
      g_buffer[at + 4 * i + 3] = (u8)digest[i];
      sum = mixChecksum(sum, digest[i]);
    }
  }
  return (long long)(sum >> 1);
}

KERNEL_ENTRY(600, 3)
