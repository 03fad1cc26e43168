/* lzhuff: a deflate-style compressor and decompressor, as zlib and gzip
 * are built: LZ77 matching over a 32 KiB window with hash chains and lazy
 * evaluation, then per-block canonical Huffman codes (deflate's length and
 * distance code tables) written LSB-first by a bit writer; the decoder uses
 * a 10-bit lookup table with a canonical fallback for longer codes. The
 * round trip is verified byte for byte.
 *
 * What it stresses: byte loads and compares in the match loop, hash-chain
 * pointer chasing through 16-bit-indexed arrays, shifts and masks in the bit
 * writer and reader, table lookups, and overlapping byte copies.
 *
 * The container format is our own (code lengths stored as plain 4-bit
 * fields), not deflate's. Usage: lzhuff [small | KIB] (input size in KiB). */
#include "program.h"

/* ---- Input: text-like data with repeats at every distance ---- */

static const char* const kWords[] = {
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be",
    "by", "on", "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have",
    "an", "had", "they", "you", "were", "their", "one", "all", "we", "can", "her", "has",
    "there", "been", "if", "more", "when", "will", "would", "who", "so", "no", "request",
    "server", "memory", "function", "module", "instance", "table", "value", "stack", "frame",
    "breakpoint", "profile", "compile", "decode", "validate", "interpreter", "dispatch",
    "allocation", "pointer", "offset", "section", "export", "import", "global", "thread"};
#define WORD_COUNT (sizeof(kWords) / sizeof(kWords[0]))

static uint32_t generateInput(uint8_t* out, uint32_t size, Rng* rng) {
  uint32_t n = 0, line = 0;
  while (n < size) {
    char text[160];
    int len;
    if (rngBelow(rng, 4) == 0) { /* a log line */
      len = snprintf(text, sizeof text, "%08u INFO worker-%u handled /api/v%u/items/%u in %u us\n",
                     line * 37u, rngBelow(rng, 8), 1 + rngBelow(rng, 2), rngBelow(rng, 5000),
                     rngBelow(rng, 900) + 100);
    } else { /* a sentence of Zipf-like words */
      len = 0;
      uint32_t words = 4 + rngBelow(rng, 12);
      for (uint32_t w = 0; w < words; ++w) {
        uint32_t r = rngBelow(rng, WORD_COUNT);
        uint32_t index = r * rngBelow(rng, WORD_COUNT) / WORD_COUNT;
        len += snprintf(text + len, sizeof text - len, w ? " %s" : "%s", kWords[index]);
      }
      len += snprintf(text + len, sizeof text - len, ".\n");
    }
    ++line;
    for (int i = 0; i < len && n < size; ++i)
      out[n++] = (uint8_t)text[i];
  }
  return n;
}

/* ---- Deflate's symbol tables ---- */

#define NUM_LITLEN 286
#define NUM_DIST 30
#define END_OF_BLOCK 256
#define MAX_BITS 15

static const uint16_t kLengthBase[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                         31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t kLengthExtra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                         2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t kDistBase[30] = {1,   2,   3,   4,   5,   7,    9,    13,   17,   25,
                                       33,  49,  65,  97,  129, 193,  257,  385,  513,  769,
                                       1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t kDistExtra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

static uint32_t lengthCode(uint32_t length) {
  uint32_t code = 0;
  while (code < 28 && kLengthBase[code + 1] <= length)
    ++code;
  return code;
}

static uint32_t distCode(uint32_t dist) {
  uint32_t lo = 0, hi = 29;
  while (lo < hi) { /* the last code whose base is <= dist */
    uint32_t mid = (lo + hi + 1) / 2;
    if (kDistBase[mid] <= dist)
      lo = mid;
    else
      hi = mid - 1;
  }
  return lo;
}

/* ---- Bit I/O, LSB first ---- */

typedef struct {
  uint8_t* out;
  uint32_t size, capacity;
  uint64_t bits;
  uint32_t count;
} BitWriter;

OUT_OF_LINE static void putBits(BitWriter* w, uint32_t value, uint32_t n) {
  w->bits |= (uint64_t)value << w->count;
  w->count += n;
  while (w->count >= 8) {
    if (w->size == w->capacity) {
      w->capacity *= 2;
      w->out = (uint8_t*)xrealloc(w->out, w->capacity);
    }
    w->out[w->size++] = (uint8_t)w->bits;
    w->bits >>= 8;
    w->count -= 8;
  }
}

static void flushBits(BitWriter* w) {
  if (w->count)
    putBits(w, 0, 8 - w->count);
}

typedef struct {
  const uint8_t* in;
  uint32_t size, pos;
  uint64_t bits;
  uint32_t count;
} BitReader;

static void refill(BitReader* r) {
  while (r->count <= 56) {
    uint64_t byte = r->pos < r->size ? r->in[r->pos] : 0;
    ++r->pos;
    r->bits |= byte << r->count;
    r->count += 8;
  }
}

static uint32_t getBits(BitReader* r, uint32_t n) {
  if (r->count < n)
    refill(r);
  uint32_t v = (uint32_t)(r->bits & ((1ull << n) - 1));
  r->bits >>= n;
  r->count -= n;
  return v;
}

/* ---- Huffman code construction ---- */

typedef struct {
  uint32_t weight;
  int32_t left, right; /* children; -1 for leaves */
  uint32_t symbol;
} HuffNode;

/* Heap of node indices ordered by weight (then index, for determinism). */
static int heapLess(const HuffNode* nodes, int32_t a, int32_t b) {
  return nodes[a].weight < nodes[b].weight || (nodes[a].weight == nodes[b].weight && a < b);
}

static void heapPush(int32_t* heap, uint32_t* n, const HuffNode* nodes, int32_t v) {
  uint32_t i = (*n)++;
  while (i > 0 && heapLess(nodes, v, heap[(i - 1) / 2])) {
    heap[i] = heap[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  heap[i] = v;
}

static int32_t heapPop(int32_t* heap, uint32_t* n, const HuffNode* nodes) {
  int32_t top = heap[0], last = heap[--*n];
  uint32_t i = 0;
  for (;;) {
    uint32_t child = 2 * i + 1;
    if (child >= *n)
      break;
    if (child + 1 < *n && heapLess(nodes, heap[child + 1], heap[child]))
      ++child;
    if (!heapLess(nodes, heap[child], last))
      break;
    heap[i] = heap[child];
    i = child;
  }
  if (*n)
    heap[i] = last;
  return top;
}

static void assignDepths(const HuffNode* nodes, int32_t node, uint32_t depth, uint8_t* lengths,
                         uint32_t* maxDepth) {
  if (nodes[node].left < 0) {
    lengths[nodes[node].symbol] = (uint8_t)(depth ? depth : 1);
    if (depth > *maxDepth)
      *maxDepth = depth;
    return;
  }
  assignDepths(nodes, nodes[node].left, depth + 1, lengths, maxDepth);
  assignDepths(nodes, nodes[node].right, depth + 1, lengths, maxDepth);
}

/* Code lengths for `freq`, at most MAX_BITS: if the tree is too deep, the
 * frequencies are flattened and the tree built again. */
OUT_OF_LINE static void buildLengths(const uint32_t* freq, uint32_t count, uint8_t* lengths) {
  HuffNode nodes[2 * NUM_LITLEN];
  int32_t heap[NUM_LITLEN];
  uint32_t weights[NUM_LITLEN];
  for (uint32_t s = 0; s < count; ++s)
    weights[s] = freq[s];
  for (;;) {
    uint32_t numNodes = 0, heapSize = 0;
    memset(lengths, 0, count);
    for (uint32_t s = 0; s < count; ++s) {
      if (weights[s]) {
        nodes[numNodes] = (HuffNode){weights[s], -1, -1, s};
        heapPush(heap, &heapSize, nodes, (int32_t)numNodes++);
      }
    }
    if (heapSize == 0)
      return;
    while (heapSize > 1) {
      int32_t a = heapPop(heap, &heapSize, nodes);
      int32_t b = heapPop(heap, &heapSize, nodes);
      nodes[numNodes] = (HuffNode){nodes[a].weight + nodes[b].weight, a, b, 0};
      heapPush(heap, &heapSize, nodes, (int32_t)numNodes++);
    }
    uint32_t maxDepth = 0;
    assignDepths(nodes, heap[0], 0, lengths, &maxDepth);
    if (maxDepth <= MAX_BITS)
      return;
    for (uint32_t s = 0; s < count; ++s)
      if (weights[s])
        weights[s] = (weights[s] + 1) / 2;
  }
}

/* Canonical codes from lengths, bit-reversed for LSB-first output. */
static void buildCodes(const uint8_t* lengths, uint32_t count, uint16_t* codes) {
  uint32_t blCount[MAX_BITS + 1] = {0}, nextCode[MAX_BITS + 1] = {0};
  for (uint32_t s = 0; s < count; ++s)
    ++blCount[lengths[s]];
  blCount[0] = 0;
  for (uint32_t bits = 1, code = 0; bits <= MAX_BITS; ++bits) {
    code = (code + blCount[bits - 1]) << 1;
    nextCode[bits] = code;
  }
  for (uint32_t s = 0; s < count; ++s) {
    uint32_t len = lengths[s];
    if (!len)
      continue;
    uint32_t code = nextCode[len]++, reversed = 0;
    for (uint32_t i = 0; i < len; ++i)
      reversed |= ((code >> i) & 1u) << (len - 1 - i);
    codes[s] = (uint16_t)reversed;
  }
}

/* ---- The compressor ---- */

#define WINDOW_BITS 15
#define WINDOW_SIZE (1u << WINDOW_BITS)
#define WINDOW_MASK (WINDOW_SIZE - 1)
#define HASH_BITS 15
#define HASH_SIZE (1u << HASH_BITS)
#define MIN_MATCH 3
#define MAX_MATCH 258
#define MAX_CHAIN 48
#define NICE_LENGTH 128
#define BLOCK_TOKENS 16384

typedef struct {
  uint16_t litlen; /* literal byte, or match length */
  uint16_t dist;   /* 0 for a literal */
} Token;

typedef struct {
  const uint8_t* in;
  uint32_t size;
  int32_t head[HASH_SIZE];
  int32_t prev[WINDOW_SIZE];
  Token tokens[BLOCK_TOKENS];
  uint32_t tokenCount;
  BitWriter out;
} Compressor;

static uint32_t hash3(const uint8_t* p) {
  uint32_t v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
  return (v * 2654435761u) >> (32 - HASH_BITS);
}

static void insertHash(Compressor* c, uint32_t pos) {
  if (pos + MIN_MATCH > c->size)
    return;
  uint32_t h = hash3(c->in + pos);
  c->prev[pos & WINDOW_MASK] = c->head[h];
  c->head[h] = (int32_t)pos;
}

/* The longest match for `pos` along its hash chain (insertHash(pos) not yet
 * done); its length (0 if < MIN_MATCH) and distance. */
OUT_OF_LINE static uint32_t longestMatch(Compressor* c, uint32_t pos, uint32_t* distance) {
  uint32_t best = 0, limit = c->size - pos < MAX_MATCH ? c->size - pos : MAX_MATCH;
  if (limit < MIN_MATCH)
    return 0;
  int32_t candidate = c->head[hash3(c->in + pos)];
  const uint8_t* here = c->in + pos;
  for (uint32_t chain = 0; candidate >= 0 && chain < MAX_CHAIN; ++chain) {
    uint32_t dist = pos - (uint32_t)candidate;
    if (dist > WINDOW_SIZE - 1)
      break;
    const uint8_t* there = c->in + candidate;
    if (there[best] == here[best] && there[0] == here[0]) {
      uint32_t len = 0;
      while (len < limit && there[len] == here[len])
        ++len;
      if (len > best) {
        best = len;
        *distance = dist;
        if (len >= NICE_LENGTH || len == limit)
          break;
      }
    }
    candidate = c->prev[candidate & WINDOW_MASK];
  }
  return best >= MIN_MATCH ? best : 0;
}

static void writeBlock(Compressor* c, int last) {
  uint32_t litFreq[NUM_LITLEN] = {0}, distFreq[NUM_DIST] = {0};
  for (uint32_t i = 0; i < c->tokenCount; ++i) {
    Token t = c->tokens[i];
    if (t.dist == 0) {
      ++litFreq[t.litlen];
    } else {
      ++litFreq[257 + lengthCode(t.litlen)];
      ++distFreq[distCode(t.dist)];
    }
  }
  ++litFreq[END_OF_BLOCK];
  uint8_t litLengths[NUM_LITLEN], distLengths[NUM_DIST];
  uint16_t litCodes[NUM_LITLEN] = {0}, distCodes[NUM_DIST] = {0};
  buildLengths(litFreq, NUM_LITLEN, litLengths);
  buildLengths(distFreq, NUM_DIST, distLengths);
  buildCodes(litLengths, NUM_LITLEN, litCodes);
  buildCodes(distLengths, NUM_DIST, distCodes);

  BitWriter* w = &c->out;
  putBits(w, (uint32_t)last, 1);
  for (uint32_t s = 0; s < NUM_LITLEN; ++s)
    putBits(w, litLengths[s], 4);
  for (uint32_t s = 0; s < NUM_DIST; ++s)
    putBits(w, distLengths[s], 4);
  for (uint32_t i = 0; i < c->tokenCount; ++i) {
    Token t = c->tokens[i];
    if (t.dist == 0) {
      putBits(w, litCodes[t.litlen], litLengths[t.litlen]);
      continue;
    }
    uint32_t lc = lengthCode(t.litlen), dc = distCode(t.dist);
    putBits(w, litCodes[257 + lc], litLengths[257 + lc]);
    if (kLengthExtra[lc])
      putBits(w, t.litlen - kLengthBase[lc], kLengthExtra[lc]);
    putBits(w, distCodes[dc], distLengths[dc]);
    if (kDistExtra[dc])
      putBits(w, t.dist - kDistBase[dc], kDistExtra[dc]);
  }
  putBits(w, litCodes[END_OF_BLOCK], litLengths[END_OF_BLOCK]);
  c->tokenCount = 0;
}

static void emitToken(Compressor* c, uint32_t litlen, uint32_t dist) {
  c->tokens[c->tokenCount].litlen = (uint16_t)litlen;
  c->tokens[c->tokenCount].dist = (uint16_t)dist;
  if (++c->tokenCount == BLOCK_TOKENS)
    writeBlock(c, 0);
}

/* Compresses `in` into a malloc'd buffer; returns its size. */
static uint32_t compress(Compressor* c, const uint8_t* in, uint32_t size, uint8_t** result) {
  c->in = in;
  c->size = size;
  c->tokenCount = 0;
  memset(c->head, 0xff, sizeof c->head);
  c->out.capacity = 4096;
  c->out.out = (uint8_t*)xmalloc(c->out.capacity);
  c->out.size = 0;
  c->out.bits = 0;
  c->out.count = 0;
  uint32_t pos = 0;
  /* Lazy matching: a match is taken only if the next position has no longer one. */
  uint32_t prevLength = 0, prevDist = 0;
  int havePrev = 0;
  while (pos < size) {
    uint32_t dist = 0;
    uint32_t length = longestMatch(c, pos, &dist);
    insertHash(c, pos);
    if (havePrev) {
      if (length > prevLength) {
        emitToken(c, in[pos - 1], 0); /* the previous byte as a literal */
        prevLength = length;
        prevDist = dist;
        ++pos;
        continue;
      }
      emitToken(c, prevLength, prevDist);
      /* Positions inside the match still go into the hash chains. */
      for (uint32_t p = pos + 1; p < pos - 1 + prevLength; ++p)
        insertHash(c, p);
      pos = pos - 1 + prevLength;
      havePrev = 0;
      continue;
    }
    if (length) {
      havePrev = 1;
      prevLength = length;
      prevDist = dist;
    } else {
      emitToken(c, in[pos], 0);
    }
    ++pos;
  }
  if (havePrev)
    emitToken(c, prevLength, prevDist);
  writeBlock(c, 1);
  flushBits(&c->out);
  *result = c->out.out;
  return c->out.size;
}

/* ---- The decompressor ---- */

#define FAST_BITS 10

typedef struct {
  uint16_t fast[1u << FAST_BITS]; /* symbol << 4 | length, 0 if longer */
  uint16_t count[MAX_BITS + 1];   /* canonical fallback: codes per length */
  uint16_t symbols[NUM_LITLEN];   /* symbols in canonical order */
} Decoder;

static void buildDecoder(Decoder* d, const uint8_t* lengths, uint32_t n) {
  uint16_t codes[NUM_LITLEN] = {0};
  buildCodes(lengths, n, codes);
  memset(d->fast, 0, sizeof d->fast);
  memset(d->count, 0, sizeof d->count);
  for (uint32_t s = 0; s < n; ++s)
    ++d->count[lengths[s]];
  d->count[0] = 0;
  uint16_t offsets[MAX_BITS + 2] = {0};
  for (uint32_t len = 1; len <= MAX_BITS; ++len)
    offsets[len + 1] = (uint16_t)(offsets[len] + d->count[len]);
  for (uint32_t s = 0; s < n; ++s) {
    uint32_t len = lengths[s];
    if (!len)
      continue;
    d->symbols[offsets[len]++] = (uint16_t)s;
    if (len <= FAST_BITS)
      for (uint32_t fill = codes[s]; fill < (1u << FAST_BITS); fill += 1u << len)
        d->fast[fill] = (uint16_t)(s << 4 | len);
  }
}

OUT_OF_LINE static uint32_t decodeSymbol(BitReader* r, const Decoder* d) {
  if (r->count < MAX_BITS)
    refill(r);
  uint16_t entry = d->fast[r->bits & ((1u << FAST_BITS) - 1)];
  if (entry) {
    r->bits >>= entry & 15;
    r->count -= entry & 15;
    return entry >> 4;
  }
  /* Canonical decoding one bit at a time, as puff does. */
  int32_t code = 0, first = 0, index = 0;
  for (uint32_t len = 1; len <= MAX_BITS; ++len) {
    code |= (int32_t)getBits(r, 1);
    int32_t count = d->count[len];
    if (code - count < first)
      return d->symbols[index + (code - first)];
    index += count;
    first = (first + count) << 1;
    code <<= 1;
  }
  fprintf(stderr, "lzhuff: corrupt stream (bad code)\n");
  exit(1);
}

static uint32_t decompress(const uint8_t* in, uint32_t size, uint8_t* out, uint32_t capacity) {
  BitReader r = {in, size, 0, 0, 0};
  Decoder* lit = (Decoder*)xmalloc(sizeof(Decoder));
  Decoder* dist = (Decoder*)xmalloc(sizeof(Decoder));
  uint32_t n = 0;
  int last = 0;
  while (!last) {
    last = (int)getBits(&r, 1);
    uint8_t litLengths[NUM_LITLEN], distLengths[NUM_DIST];
    for (uint32_t s = 0; s < NUM_LITLEN; ++s)
      litLengths[s] = (uint8_t)getBits(&r, 4);
    for (uint32_t s = 0; s < NUM_DIST; ++s)
      distLengths[s] = (uint8_t)getBits(&r, 4);
    buildDecoder(lit, litLengths, NUM_LITLEN);
    buildDecoder(dist, distLengths, NUM_DIST);
    for (;;) {
      uint32_t sym = decodeSymbol(&r, lit);
      if (sym < 256) {
        if (n == capacity)
          goto corrupt;
        out[n++] = (uint8_t)sym;
        continue;
      }
      if (sym == END_OF_BLOCK)
        break;
      uint32_t lc = sym - 257;
      if (lc >= 29)
        goto corrupt;
      uint32_t length = kLengthBase[lc] + getBits(&r, kLengthExtra[lc]);
      uint32_t dc = decodeSymbol(&r, dist);
      if (dc >= NUM_DIST)
        goto corrupt;
      uint32_t d = kDistBase[dc] + getBits(&r, kDistExtra[dc]);
      if (d > n || length > capacity - n)
        goto corrupt;
      for (uint32_t i = 0; i < length; ++i, ++n) /* may overlap: byte by byte */
        out[n] = out[n - d];
    }
  }
  free(lit);
  free(dist);
  return n;
corrupt:
  fprintf(stderr, "lzhuff: corrupt stream at output byte %u\n", n);
  exit(1);
}

/* ---- CRC-32 (the zlib polynomial), table-driven ---- */

static uint32_t gCrcTable[256];

static void initCrc(void) {
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k)
      c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    gCrcTable[i] = c;
  }
}

static uint32_t crc32(const uint8_t* p, uint32_t n) {
  uint32_t c = 0xffffffffu;
  for (uint32_t i = 0; i < n; ++i)
    c = gCrcTable[(c ^ p[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

int main(int argc, char** argv) {
  uint32_t kib = programSize(argc, argv, 4096, 96);
  uint32_t size = kib * 1024;
  initCrc();
  Rng rng = {7};
  uint8_t* input = (uint8_t*)xmalloc(size);
  generateInput(input, size, &rng);

  Compressor* c = (Compressor*)xmalloc(sizeof(Compressor));
  uint64_t sum = CHECKSUM_INIT;
  /* Two passes over differently sized pieces, as a server compressing
   * responses of many sizes would. */
  uint32_t pieceSizes[2] = {size, size / 8 + 1};
  for (int pass = 0; pass < 2; ++pass) {
    uint32_t piece = pieceSizes[pass];
    for (uint32_t at = 0; at < size; at += piece) {
      uint32_t n = size - at < piece ? size - at : piece;
      uint8_t* packed = NULL;
      uint32_t packedSize = compress(c, input + at, n, &packed);
      uint8_t* unpacked = (uint8_t*)xmalloc(n);
      uint32_t unpackedSize = decompress(packed, packedSize, unpacked, n);
      if (unpackedSize != n || memcmp(unpacked, input + at, n) != 0) {
        fprintf(stderr, "lzhuff: round trip failed at offset %u (%u of %u bytes back)\n", at,
                unpackedSize, n);
        return 1;
      }
      sum = checksumMix(sum, packedSize);
      sum = checksumMix(sum, crc32(packed, packedSize));
      sum = checksumMix(sum, crc32(unpacked, unpackedSize));
      free(packed);
      free(unpacked);
    }
  }
  free(c);
  free(input);
  printResult("lzhuff", kib, sum);
  return 0;
}
