/* Shared by the real-program benchmarks (bench/programs/). Each program is a
 * WASI command built from one C file against the C library (wasi-libc for
 * wasm32-wasi, glibc natively): it takes an optional size argument, does its
 * work deterministically, and prints exactly one line, "NAME SIZE CHECKSUM",
 * that must be identical natively, under wasmscope and under node.
 *
 * Nothing a program prints or folds into its checksum may depend on pointer
 * values, sizeof(long) or sizeof(size_t), which differ between the native
 * and the wasm32 build: checksums are over values and lengths only, held in
 * fixed-width integers. */
#ifndef WASMSCOPE_BENCH_PROGRAM_H
#define WASMSCOPE_BENCH_PROGRAM_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The size to run: the benchmark's when no argument is given, the checksum
 * test's for "small", or an explicit positive count. Anything else is a
 * usage error (exit status 2). */
static inline uint32_t programSize(int argc, char** argv, uint32_t benchSize, uint32_t smallSize) {
  if (argc < 2)
    return benchSize;
  if (strcmp(argv[1], "small") == 0)
    return smallSize;
  char* end = NULL;
  unsigned long value = strtoul(argv[1], &end, 10);
  if (*argv[1] == '\0' || *end != '\0' || value == 0 || value > 100000000ul) {
    fprintf(stderr, "%s: usage: %s [small | SIZE]  (SIZE from 1 to 100000000; default %u)\n",
            argv[0], argv[0], (unsigned)benchSize);
    exit(2);
  }
  return (uint32_t)value;
}

/* splitmix64: a small generator that gives the same sequence on every
 * target, so every run works on the same generated input. */
typedef struct {
  uint64_t state;
} Rng;

static inline uint64_t rngNext(Rng* rng) {
  uint64_t z = (rng->state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* A value in [0, bound), bound > 0. The slight modulo bias is irrelevant
 * here: only determinism matters. */
static inline uint32_t rngBelow(Rng* rng, uint32_t bound) {
  return (uint32_t)(rngNext(rng) % bound);
}

/* Folds a value into a running checksum (FNV-1a style over 64 bits). */
static inline uint64_t checksumMix(uint64_t sum, uint64_t value) {
  return (sum ^ value) * 0x100000001b3ull;
}

static inline uint64_t checksumBytes(uint64_t sum, const void* data, uint32_t length) {
  const unsigned char* p = (const unsigned char*)data;
  for (uint32_t i = 0; i < length; ++i)
    sum = (sum ^ p[i]) * 0x100000001b3ull;
  return sum;
}

#define CHECKSUM_INIT 0xcbf29ce484222325ull

/* The one line of output every runner must agree on. */
static inline void printResult(const char* name, uint32_t size, uint64_t checksum) {
  printf("%s %u %016llx\n", name, (unsigned)size, (unsigned long long)checksum);
}

/* malloc that ends the program on failure, as a real service would abort. */
static inline void* xmalloc(size_t size) {
  void* p = malloc(size);
  if (!p && size) {
    fprintf(stderr, "out of memory (%lu bytes)\n", (unsigned long)size);
    exit(1);
  }
  return p;
}

static inline void* xrealloc(void* old, size_t size) {
  void* p = realloc(old, size);
  if (!p && size) {
    fprintf(stderr, "out of memory (%lu bytes)\n", (unsigned long)size);
    exit(1);
  }
  return p;
}

static inline char* xstrdup(const char* s) {
  size_t n = strlen(s) + 1;
  char* p = (char*)xmalloc(n);
  memcpy(p, s, n);
  return p;
}

/* Real programs spread their helpers across translation units, so most
 * calls between them are real calls. Each program is one file here; this
 * marks the helpers that would live in another file of a real program, so
 * that -O2 keeps them as calls, as it would there. */
#define OUT_OF_LINE __attribute__((noinline))

#endif
