/* coremix: a CoreMark-like mix of the small algorithms embedded and server
 * code spends its time in (our own code, following CoreMark's published
 * choice of workloads, not its source): linked-list search, reversal and
 * merge sort with a comparator called by pointer; integer matrix
 * operations; a state machine that classifies number tokens in a string;
 * and CRC-16 over every result.
 *
 * What it stresses: pointer chasing through list nodes, indirect calls,
 * 16-bit loads and multiply-accumulate loops, byte-at-a-time switch
 * dispatch, shifts and xors.
 *
 * Usage: coremix [small | ITERATIONS]. */
#include "program.h"

/* ---- CRC-16 (CCITT, bit by bit, as small firmware computes it) ---- */

static uint16_t crc16Byte(uint8_t byte, uint16_t crc) {
  for (int i = 0; i < 8; ++i) {
    uint16_t mix = (uint16_t)((crc ^ byte) & 1);
    crc >>= 1;
    if (mix)
      crc ^= 0x8408;
    byte >>= 1;
  }
  return crc;
}

static uint16_t crc16Word(uint16_t word, uint16_t crc) {
  crc = crc16Byte((uint8_t)word, crc);
  return crc16Byte((uint8_t)(word >> 8), crc);
}

static uint16_t crc16Dword(uint32_t value, uint16_t crc) {
  crc = crc16Word((uint16_t)value, crc);
  return crc16Word((uint16_t)(value >> 16), crc);
}

/* ---- The list ---- */

typedef struct ListNode {
  struct ListNode* next;
  int16_t value;
  int16_t index;
} ListNode;

typedef int (*NodeCompare)(const ListNode* a, const ListNode* b, void* context);

static int compareByIndex(const ListNode* a, const ListNode* b, void* context) {
  (void)context;
  return a->index - b->index;
}

/* Compares by a value derived from each node through the matrix or state
 * machine, as CoreMark's list sort does: expensive, data-dependent keys. */
static int16_t derivedKey(const ListNode* node, void* context);

static int compareByDerived(const ListNode* a, const ListNode* b, void* context) {
  return derivedKey(a, context) - derivedKey(b, context);
}

OUT_OF_LINE static ListNode* listFind(ListNode* list, int16_t value, int16_t index) {
  for (; list; list = list->next) {
    if (index >= 0 ? list->index == index : (list->value & 0xff) == (value & 0xff))
      return list;
  }
  return NULL;
}

OUT_OF_LINE static ListNode* listReverse(ListNode* list) {
  ListNode* reversed = NULL;
  while (list) {
    ListNode* next = list->next;
    list->next = reversed;
    reversed = list;
    list = next;
  }
  return reversed;
}

/* Bottom-up merge sort of a singly linked list (no recursion, no extra
 * memory), the comparator called through a pointer. */
OUT_OF_LINE static ListNode* listSort(ListNode* list, NodeCompare compare, void* context) {
  if (!list)
    return NULL;
  for (uint32_t width = 1;; width *= 2) {
    ListNode* p = list;
    ListNode* tail = NULL;
    list = NULL;
    uint32_t merges = 0;
    while (p) {
      ++merges;
      ListNode* q = p;
      uint32_t psize = 0;
      for (uint32_t i = 0; i < width && q; ++i) {
        ++psize;
        q = q->next;
      }
      uint32_t qsize = width;
      while (psize > 0 || (qsize > 0 && q)) {
        ListNode* e;
        if (psize == 0) {
          e = q, q = q->next, --qsize;
        } else if (qsize == 0 || !q || compare(p, q, context) <= 0) {
          e = p, p = p->next, --psize;
        } else {
          e = q, q = q->next, --qsize;
        }
        if (tail)
          tail->next = e;
        else
          list = e;
        tail = e;
      }
      p = q;
    }
    tail->next = NULL;
    if (merges <= 1)
      return list;
  }
}

/* ---- Matrices ---- */

typedef struct {
  uint32_t n;
  int16_t* a;
  int16_t* b;
  int32_t* c;
} Matrices;

static void matrixAddConst(uint32_t n, int16_t* a, int16_t value) {
  for (uint32_t i = 0; i < n * n; ++i)
    a[i] = (int16_t)(a[i] + value);
}

static void matrixMulConst(uint32_t n, int32_t* c, const int16_t* a, int16_t value) {
  for (uint32_t i = 0; i < n * n; ++i)
    c[i] = (int32_t)a[i] * value;
}

static void matrixMulVector(uint32_t n, int32_t* c, const int16_t* a, const int16_t* v) {
  for (uint32_t i = 0; i < n; ++i) {
    int32_t acc = 0;
    for (uint32_t j = 0; j < n; ++j)
      acc += (int32_t)a[i * n + j] * v[j];
    c[i] = acc;
  }
}

static void matrixMulMatrix(uint32_t n, int32_t* c, const int16_t* a, const int16_t* b) {
  for (uint32_t i = 0; i < n; ++i)
    for (uint32_t j = 0; j < n; ++j) {
      int32_t acc = 0;
      for (uint32_t k = 0; k < n; ++k)
        acc += (int32_t)a[i * n + k] * b[k * n + j];
      c[i * n + j] = acc;
    }
}

/* Multiplies, keeping a bit field of each product (as CoreMark's
 * matrix_mul_matrix_bitextract does with its own constants). */
static void matrixMulMatrixBits(uint32_t n, int32_t* c, const int16_t* a, const int16_t* b) {
  for (uint32_t i = 0; i < n; ++i)
    for (uint32_t j = 0; j < n; ++j) {
      int32_t acc = 0;
      for (uint32_t k = 0; k < n; ++k) {
        int32_t product = (int32_t)a[i * n + k] * b[k * n + j];
        acc += (product >> 3 & 0x1f) * (product >> 7 & 0x7f);
      }
      c[i * n + j] = acc;
    }
}

static int16_t matrixSummary(uint32_t n, const int32_t* c, int16_t clip) {
  int32_t total = 0, previous = 0;
  int16_t result = 0;
  for (uint32_t i = 0; i < n * n; ++i) {
    total += c[i];
    if (total > clip) {
      result = (int16_t)(result + 10);
      total = 0;
    } else {
      result = (int16_t)(result + (total > previous ? 1 : 0));
    }
    previous = total;
  }
  return result;
}

/* One round of matrix work seeded by `seed`; returns a CRC of the summaries. */
OUT_OF_LINE static uint16_t matrixRound(Matrices* m, int16_t seed, uint16_t crc) {
  uint32_t n = m->n;
  int16_t clip = (int16_t)(seed | 0xf000);
  matrixAddConst(n, m->a, seed);
  matrixMulConst(n, m->c, m->a, seed);
  crc = crc16Word((uint16_t)matrixSummary(n, m->c, clip), crc);
  matrixMulVector(n, m->c, m->a, m->b);
  crc = crc16Word((uint16_t)matrixSummary(n, m->c, clip), crc);
  matrixMulMatrix(n, m->c, m->a, m->b);
  crc = crc16Word((uint16_t)matrixSummary(n, m->c, clip), crc);
  matrixMulMatrixBits(n, m->c, m->a, m->b);
  crc = crc16Word((uint16_t)matrixSummary(n, m->c, clip), crc);
  matrixAddConst(n, m->a, (int16_t)-seed);
  return crc;
}

/* ---- The state machine: classify comma-separated number tokens ---- */

typedef enum { S_START, S_INVALID, S_S1, S_INT, S_FLOAT, S_EXP, S_S2, S_SCI, S_HEX0, S_HEX, S_COUNT } State;

static State nextState(State state, char c) {
  int digit = c >= '0' && c <= '9';
  switch (state) {
  case S_START:
    if (c == '0')
      return S_HEX0;
    if (digit)
      return S_INT;
    if (c == '+' || c == '-')
      return S_S1;
    if (c == '.')
      return S_FLOAT;
    return S_INVALID;
  case S_S1: return digit ? S_INT : c == '.' ? S_FLOAT : S_INVALID;
  case S_HEX0:
    if (c == 'x' || c == 'X')
      return S_HEX;
    return digit ? S_INT : c == '.' ? S_FLOAT : S_INVALID;
  case S_HEX: return digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ? S_HEX : S_INVALID;
  case S_INT: return digit ? S_INT : c == '.' ? S_FLOAT : (c == 'e' || c == 'E') ? S_EXP : S_INVALID;
  case S_FLOAT: return digit ? S_FLOAT : (c == 'e' || c == 'E') ? S_EXP : S_INVALID;
  case S_EXP: return c == '+' || c == '-' ? S_S2 : digit ? S_SCI : S_INVALID;
  case S_S2: return digit ? S_SCI : S_INVALID;
  case S_SCI: return digit ? S_SCI : S_INVALID;
  default: return S_INVALID;
  }
}

/* Runs the machine over every token of `text`, counting final states and
 * transitions. */
OUT_OF_LINE static uint16_t scanTokens(const char* text, uint32_t length, uint32_t* finals,
                                       uint32_t* transitions, uint16_t crc) {
  uint32_t i = 0;
  while (i < length) {
    State state = S_START;
    while (i < length && text[i] != ',') {
      State next = nextState(state, text[i]);
      if (next != state)
        ++transitions[next];
      state = next;
      ++i;
    }
    ++finals[state];
    ++i; /* the comma */
  }
  for (int s = 0; s < S_COUNT; ++s)
    crc = crc16Dword(finals[s] ^ transitions[s] << 8, crc);
  return crc;
}

static const char* const kTokens[] = {"5012", "1234", "-874", "+122", "35.54", ".1234", "-110.700",
                                      "+0.64400", "5.500e+3", "-.123e-2", "-87e+832", "+0.6e-12",
                                      "T0.3e-1F", "-T.T++Tq", "1T3.4e4z", "34.0e-T^", "0x1f",
                                      "0xBEEF", "0x", "00", "1e", "--1", "7.", "0.e5"};

typedef struct {
  Matrices* matrices;
  const char* text;
  uint32_t length;
} KeyContext;

/* The key of a node for the derived sort: its value mixed with a byte of
 * the token text that its index selects (cheap but data-dependent). */
static int16_t derivedKey(const ListNode* node, void* context) {
  KeyContext* k = (KeyContext*)context;
  uint32_t at = (uint32_t)(node->index * 7) % k->length;
  return (int16_t)((node->value & 0x7ff) * 4 + (k->text[at] & 3));
}

int main(int argc, char** argv) {
  uint32_t iterations = programSize(argc, argv, 4500, 60);
  Rng rng = {1234};

  /* The list: 600 nodes with pseudo-random values. */
  enum { LIST_NODES = 600 };
  ListNode* nodes = (ListNode*)xmalloc(LIST_NODES * sizeof(ListNode));
  ListNode* list = NULL;
  for (int i = LIST_NODES - 1; i >= 0; --i) {
    nodes[i].value = (int16_t)(rngNext(&rng) & 0x7fff);
    nodes[i].index = (int16_t)i;
    nodes[i].next = list;
    list = &nodes[i];
  }

  /* The matrices: 24x24, small values so products stay in range. */
  Matrices m;
  m.n = 24;
  m.a = (int16_t*)xmalloc(m.n * m.n * sizeof(int16_t));
  m.b = (int16_t*)xmalloc(m.n * m.n * sizeof(int16_t));
  m.c = (int32_t*)xmalloc(m.n * m.n * sizeof(int32_t));
  for (uint32_t i = 0; i < m.n * m.n; ++i) {
    m.a[i] = (int16_t)(rngBelow(&rng, 256) - 128);
    m.b[i] = (int16_t)(rngBelow(&rng, 64));
  }

  /* The token text: 1200 tokens joined by commas. */
  char* text = (char*)xmalloc(1200 * 10);
  uint32_t length = 0;
  for (int t = 0; t < 1200; ++t) {
    const char* token = kTokens[rngBelow(&rng, sizeof kTokens / sizeof kTokens[0])];
    uint32_t n = (uint32_t)strlen(token);
    memcpy(text + length, token, n);
    length += n;
    text[length++] = ',';
  }
  text[--length] = '\0';

  KeyContext context = {&m, text, length};
  uint16_t crc = 0;
  uint32_t finals[S_COUNT] = {0}, transitions[S_COUNT] = {0};
  for (uint32_t it = 0; it < iterations; ++it) {
    /* List: finds, a reversal, a sort by derived key and back by index. */
    uint32_t found = 0, missed = 0;
    for (int16_t q = 0; q < 24; ++q) {
      ListNode* hit = listFind(list, (int16_t)(it * 31 + q * 977), q & 1 ? -1 : (int16_t)(q * 23));
      if (hit) {
        ++found;
        crc = crc16Word((uint16_t)hit->value, crc);
      } else {
        ++missed;
      }
    }
    list = listReverse(list);
    list = listSort(list, compareByDerived, &context);
    crc = crc16Word((uint16_t)list->value, crc);
    list = listSort(list, compareByIndex, NULL);
    crc = crc16Dword(found << 16 | missed, crc);
    /* Matrices and the state machine. */
    crc = matrixRound(&m, (int16_t)(it & 0xff) | 1, crc);
    crc = scanTokens(text, length, finals, transitions, crc);
    /* Perturb the data so every iteration differs. */
    nodes[it % LIST_NODES].value = (int16_t)(nodes[it % LIST_NODES].value ^ crc);
    text[(it * 13) % length] = text[(it * 13) % length] == ',' ? ',' : kTokens[crc % 24][0];
  }
  uint64_t sum = CHECKSUM_INIT;
  sum = checksumMix(sum, crc);
  for (int s = 0; s < S_COUNT; ++s)
    sum = checksumMix(sum, finals[s] + ((uint64_t)transitions[s] << 32));
  for (ListNode* n = list; n; n = n->next)
    sum = checksumMix(sum, (uint16_t)n->value);
  free(nodes);
  free(m.a);
  free(m.b);
  free(m.c);
  free(text);
  printResult("coremix", iterations, sum);
  return 0;
}
