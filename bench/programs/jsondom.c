/* jsondom: a JSON parser and serializer built like cJSON or the JSON layer
 * of a web service: a generated document (records with nested objects,
 * arrays, escaped strings, integers and decimals) is parsed into a tree of
 * malloc'd nodes, walked and queried, serialized back into a growing buffer,
 * parsed again and compared node by node, serialized again and compared
 * byte for byte, and freed.
 *
 * What it stresses: byte-at-a-time scanning with unpredictable branches,
 * recursion, many small mallocs and frees and realloc'd growing buffers,
 * strtod and snprintf("%.17g"), memcpy of short strings, linear key search
 * in objects with memcmp.
 *
 * Usage: jsondom [small | RECORDS] (records per document; 8 documents). */
#include "program.h"

/* ---- A growing string buffer ---- */

typedef struct {
  char* data;
  uint32_t length, capacity;
} Buffer;

OUT_OF_LINE static void bufferReserve(Buffer* b, uint32_t extra) {
  if (b->length + extra + 1 <= b->capacity)
    return;
  uint32_t capacity = b->capacity ? b->capacity : 256;
  while (capacity < b->length + extra + 1)
    capacity *= 2;
  b->data = (char*)xrealloc(b->data, capacity);
  b->capacity = capacity;
}

static void bufferAppend(Buffer* b, const char* s, uint32_t n) {
  bufferReserve(b, n);
  memcpy(b->data + b->length, s, n);
  b->length += n;
  b->data[b->length] = '\0';
}

static void bufferChar(Buffer* b, char c) {
  bufferReserve(b, 1);
  b->data[b->length++] = c;
  b->data[b->length] = '\0';
}

static void bufferPrintf(Buffer* b, const char* format, ...) __attribute__((format(printf, 2, 3)));

#include <stdarg.h>
static void bufferPrintf(Buffer* b, const char* format, ...) {
  char text[128];
  va_list args;
  va_start(args, format);
  int n = vsnprintf(text, sizeof text, format, args);
  va_end(args);
  bufferAppend(b, text, (uint32_t)n);
}

/* ---- The DOM ---- */

typedef enum { J_NULL, J_FALSE, J_TRUE, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT } JsonType;

struct JsonValue;

typedef struct {
  char* key;
  uint32_t keyLength;
  struct JsonValue* value;
} JsonMember;

typedef struct JsonValue {
  JsonType type;
  union {
    double number;
    struct {
      char* chars;
      uint32_t length;
    } string;
    struct {
      struct JsonValue** items;
      uint32_t count, capacity;
    } array;
    struct {
      JsonMember* members;
      uint32_t count, capacity;
    } object;
  } as;
} JsonValue;

static JsonValue* newValue(JsonType type) {
  JsonValue* v = (JsonValue*)xmalloc(sizeof(JsonValue));
  memset(v, 0, sizeof *v);
  v->type = type;
  return v;
}

OUT_OF_LINE static void freeValue(JsonValue* v) {
  switch (v->type) {
  case J_STRING: free(v->as.string.chars); break;
  case J_ARRAY:
    for (uint32_t i = 0; i < v->as.array.count; ++i)
      freeValue(v->as.array.items[i]);
    free(v->as.array.items);
    break;
  case J_OBJECT:
    for (uint32_t i = 0; i < v->as.object.count; ++i) {
      free(v->as.object.members[i].key);
      freeValue(v->as.object.members[i].value);
    }
    free(v->as.object.members);
    break;
  default: break;
  }
  free(v);
}

static void arrayPush(JsonValue* array, JsonValue* item) {
  if (array->as.array.count == array->as.array.capacity) {
    array->as.array.capacity = array->as.array.capacity ? array->as.array.capacity * 2 : 4;
    array->as.array.items = (JsonValue**)xrealloc(array->as.array.items,
                                                  array->as.array.capacity * sizeof(JsonValue*));
  }
  array->as.array.items[array->as.array.count++] = item;
}

static void objectPush(JsonValue* object, char* key, uint32_t keyLength, JsonValue* value) {
  if (object->as.object.count == object->as.object.capacity) {
    object->as.object.capacity = object->as.object.capacity ? object->as.object.capacity * 2 : 4;
    object->as.object.members = (JsonMember*)xrealloc(
        object->as.object.members, object->as.object.capacity * sizeof(JsonMember));
  }
  JsonMember* m = &object->as.object.members[object->as.object.count++];
  m->key = key;
  m->keyLength = keyLength;
  m->value = value;
}

/* The member named `key`, by linear search as cJSON does; NULL if absent. */
OUT_OF_LINE static JsonValue* objectGet(const JsonValue* object, const char* key) {
  if (!object || object->type != J_OBJECT)
    return NULL;
  uint32_t n = (uint32_t)strlen(key);
  for (uint32_t i = 0; i < object->as.object.count; ++i) {
    const JsonMember* m = &object->as.object.members[i];
    if (m->keyLength == n && memcmp(m->key, key, n) == 0)
      return m->value;
  }
  return NULL;
}

/* ---- The parser ---- */

typedef struct {
  const char* text;
  uint32_t pos, length;
  uint32_t depth;
} Parser;

static void parseError(Parser* p, const char* what) {
  fprintf(stderr, "jsondom: parse error at byte %u: %s\n", p->pos, what);
  exit(1);
}

static void skipSpace(Parser* p) {
  while (p->pos < p->length) {
    char c = p->text[p->pos];
    if (c != ' ' && c != '\n' && c != '\t' && c != '\r')
      break;
    ++p->pos;
  }
}

static uint32_t hexDigit(Parser* p, char c) {
  if (c >= '0' && c <= '9')
    return (uint32_t)(c - '0');
  if (c >= 'a' && c <= 'f')
    return (uint32_t)(c - 'a' + 10);
  if (c >= 'A' && c <= 'F')
    return (uint32_t)(c - 'A' + 10);
  parseError(p, "bad \\u escape");
  return 0;
}

/* A string's contents, unescaped (\uXXXX to UTF-8), as a malloc'd buffer. */
OUT_OF_LINE static char* parseString(Parser* p, uint32_t* length) {
  if (p->text[p->pos] != '"')
    parseError(p, "expected a string");
  ++p->pos;
  /* First pass: find the end, so one allocation is enough. */
  uint32_t end = p->pos;
  while (end < p->length && p->text[end] != '"')
    end += p->text[end] == '\\' ? 2 : 1;
  if (end >= p->length)
    parseError(p, "unterminated string");
  char* out = (char*)xmalloc(end - p->pos + 1);
  uint32_t n = 0;
  while (p->pos < end) {
    char c = p->text[p->pos++];
    if (c != '\\') {
      out[n++] = c;
      continue;
    }
    char e = p->text[p->pos++];
    switch (e) {
    case '"': out[n++] = '"'; break;
    case '\\': out[n++] = '\\'; break;
    case '/': out[n++] = '/'; break;
    case 'b': out[n++] = '\b'; break;
    case 'f': out[n++] = '\f'; break;
    case 'n': out[n++] = '\n'; break;
    case 'r': out[n++] = '\r'; break;
    case 't': out[n++] = '\t'; break;
    case 'u': {
      if (p->pos + 4 > end)
        parseError(p, "short \\u escape");
      uint32_t cp = 0;
      for (int i = 0; i < 4; ++i)
        cp = cp << 4 | hexDigit(p, p->text[p->pos++]);
      if (cp < 0x80) {
        out[n++] = (char)cp;
      } else if (cp < 0x800) {
        out[n++] = (char)(0xc0 | cp >> 6);
        out[n++] = (char)(0x80 | (cp & 0x3f));
      } else {
        out[n++] = (char)(0xe0 | cp >> 12);
        out[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[n++] = (char)(0x80 | (cp & 0x3f));
      }
      break;
    }
    default: parseError(p, "bad escape");
    }
  }
  ++p->pos; /* the closing quote */
  out[n] = '\0';
  *length = n;
  return out;
}

static JsonValue* parseValue(Parser* p);

static JsonValue* parseNumber(Parser* p) {
  const char* start = p->text + p->pos;
  char* end = NULL;
  double d = strtod(start, &end);
  if (end == start)
    parseError(p, "bad number");
  p->pos += (uint32_t)(end - start);
  JsonValue* v = newValue(J_NUMBER);
  v->as.number = d;
  return v;
}

static JsonValue* parseArray(Parser* p) {
  JsonValue* array = newValue(J_ARRAY);
  ++p->pos;
  skipSpace(p);
  if (p->text[p->pos] == ']') {
    ++p->pos;
    return array;
  }
  for (;;) {
    arrayPush(array, parseValue(p));
    skipSpace(p);
    char c = p->text[p->pos++];
    if (c == ']')
      return array;
    if (c != ',')
      parseError(p, "expected , or ]");
  }
}

static JsonValue* parseObject(Parser* p) {
  JsonValue* object = newValue(J_OBJECT);
  ++p->pos;
  skipSpace(p);
  if (p->text[p->pos] == '}') {
    ++p->pos;
    return object;
  }
  for (;;) {
    skipSpace(p);
    uint32_t keyLength;
    char* key = parseString(p, &keyLength);
    skipSpace(p);
    if (p->text[p->pos++] != ':')
      parseError(p, "expected :");
    objectPush(object, key, keyLength, parseValue(p));
    skipSpace(p);
    char c = p->text[p->pos++];
    if (c == '}')
      return object;
    if (c != ',')
      parseError(p, "expected , or }");
  }
}

static int matchWord(Parser* p, const char* word) {
  uint32_t n = (uint32_t)strlen(word);
  if (p->pos + n > p->length || memcmp(p->text + p->pos, word, n) != 0)
    return 0;
  p->pos += n;
  return 1;
}

static JsonValue* parseValue(Parser* p) {
  skipSpace(p);
  if (p->pos >= p->length)
    parseError(p, "unexpected end");
  if (++p->depth > 512)
    parseError(p, "nesting too deep");
  JsonValue* v;
  char c = p->text[p->pos];
  if (c == '{') {
    v = parseObject(p);
  } else if (c == '[') {
    v = parseArray(p);
  } else if (c == '"') {
    v = newValue(J_STRING);
    v->as.string.chars = parseString(p, &v->as.string.length);
  } else if (c == '-' || (c >= '0' && c <= '9')) {
    v = parseNumber(p);
  } else if (matchWord(p, "true")) {
    v = newValue(J_TRUE);
  } else if (matchWord(p, "false")) {
    v = newValue(J_FALSE);
  } else if (matchWord(p, "null")) {
    v = newValue(J_NULL);
  } else {
    parseError(p, "unexpected character");
    v = NULL;
  }
  --p->depth;
  return v;
}

static JsonValue* parseDocument(const char* text, uint32_t length) {
  Parser p = {text, 0, length, 0};
  JsonValue* v = parseValue(&p);
  skipSpace(&p);
  if (p.pos != length)
    parseError(&p, "trailing characters");
  return v;
}

/* ---- The serializer ---- */

static void writeString(Buffer* b, const char* s, uint32_t n) {
  static const char kHex[] = "0123456789abcdef";
  bufferReserve(b, n + 2);
  bufferChar(b, '"');
  uint32_t runStart = 0;
  for (uint32_t i = 0; i < n; ++i) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\')
      continue;
    bufferAppend(b, s + runStart, i - runStart); /* the plain run before it */
    runStart = i + 1;
    switch (c) {
    case '"': bufferAppend(b, "\\\"", 2); break;
    case '\\': bufferAppend(b, "\\\\", 2); break;
    case '\n': bufferAppend(b, "\\n", 2); break;
    case '\t': bufferAppend(b, "\\t", 2); break;
    case '\r': bufferAppend(b, "\\r", 2); break;
    default: {
      char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
      bufferAppend(b, esc, 6);
    }
    }
  }
  bufferAppend(b, s + runStart, n - runStart);
  bufferChar(b, '"');
}

OUT_OF_LINE static void writeNumber(Buffer* b, double d) {
  if (d == (double)(int64_t)d && d > -1e15 && d < 1e15)
    bufferPrintf(b, "%lld", (long long)d);
  else
    bufferPrintf(b, "%.17g", d);
}

static void serialize(Buffer* b, const JsonValue* v) {
  switch (v->type) {
  case J_NULL: bufferAppend(b, "null", 4); break;
  case J_FALSE: bufferAppend(b, "false", 5); break;
  case J_TRUE: bufferAppend(b, "true", 4); break;
  case J_NUMBER: writeNumber(b, v->as.number); break;
  case J_STRING: writeString(b, v->as.string.chars, v->as.string.length); break;
  case J_ARRAY:
    bufferChar(b, '[');
    for (uint32_t i = 0; i < v->as.array.count; ++i) {
      if (i)
        bufferChar(b, ',');
      serialize(b, v->as.array.items[i]);
    }
    bufferChar(b, ']');
    break;
  case J_OBJECT:
    bufferChar(b, '{');
    for (uint32_t i = 0; i < v->as.object.count; ++i) {
      const JsonMember* m = &v->as.object.members[i];
      if (i)
        bufferChar(b, ',');
      writeString(b, m->key, m->keyLength);
      bufferChar(b, ':');
      serialize(b, m->value);
    }
    bufferChar(b, '}');
    break;
  }
}

/* ---- Walking and comparing ---- */

static uint64_t doubleBits(double d) {
  uint64_t bits;
  memcpy(&bits, &d, sizeof bits);
  return bits;
}

typedef struct {
  uint32_t nodes, strings, maxDepth;
  double numberSum;
  uint64_t stringHash;
} WalkStats;

OUT_OF_LINE static void walk(const JsonValue* v, uint32_t depth, WalkStats* s) {
  ++s->nodes;
  if (depth > s->maxDepth)
    s->maxDepth = depth;
  switch (v->type) {
  case J_NUMBER: s->numberSum += v->as.number; break;
  case J_STRING:
    ++s->strings;
    s->stringHash = checksumBytes(s->stringHash, v->as.string.chars, v->as.string.length);
    break;
  case J_ARRAY:
    for (uint32_t i = 0; i < v->as.array.count; ++i)
      walk(v->as.array.items[i], depth + 1, s);
    break;
  case J_OBJECT:
    for (uint32_t i = 0; i < v->as.object.count; ++i) {
      s->stringHash = checksumBytes(s->stringHash, v->as.object.members[i].key,
                                    v->as.object.members[i].keyLength);
      walk(v->as.object.members[i].value, depth + 1, s);
    }
    break;
  default: break;
  }
}

static int equalValues(const JsonValue* a, const JsonValue* b) {
  if (a->type != b->type)
    return 0;
  switch (a->type) {
  case J_NUMBER: return doubleBits(a->as.number) == doubleBits(b->as.number);
  case J_STRING:
    return a->as.string.length == b->as.string.length &&
           memcmp(a->as.string.chars, b->as.string.chars, a->as.string.length) == 0;
  case J_ARRAY:
    if (a->as.array.count != b->as.array.count)
      return 0;
    for (uint32_t i = 0; i < a->as.array.count; ++i)
      if (!equalValues(a->as.array.items[i], b->as.array.items[i]))
        return 0;
    return 1;
  case J_OBJECT:
    if (a->as.object.count != b->as.object.count)
      return 0;
    for (uint32_t i = 0; i < a->as.object.count; ++i) {
      const JsonMember* x = &a->as.object.members[i];
      const JsonMember* y = &b->as.object.members[i];
      if (x->keyLength != y->keyLength || memcmp(x->key, y->key, x->keyLength) != 0 ||
          !equalValues(x->value, y->value))
        return 0;
    }
    return 1;
  default: return 1;
  }
}

/* ---- The generated document ---- */

static const char* const kNotes[] = {
    "plain note", "quoted \\\"text\\\" inside", "tab\\tand\\nnewline", "caf\\u00e9 cr\\u00e8me",
    "path C:\\\\tmp\\\\x", "snowman \\u2603 here", "a/b/c", "long note with several words in it"};

static void generateDocument(Buffer* b, Rng* rng, uint32_t records) {
  bufferAppend(b, "{\"version\": 3, \"generator\": \"wasmscope bench\", \"records\": [\n", 60);
  for (uint32_t r = 0; r < records; ++r) {
    if (r)
      bufferAppend(b, ",\n", 2);
    uint32_t id = rngBelow(rng, 1000000);
    bufferPrintf(b, "  {\"id\": %u, \"name\": \"user %u\", \"active\": %s, \"score\": %d.%03u,", id,
                 id % 9973, rngBelow(rng, 2) ? "true" : "false", (int)rngBelow(rng, 2000) - 1000,
                 rngBelow(rng, 1000));
    bufferAppend(b, " \"tags\": [", 10);
    uint32_t tags = rngBelow(rng, 5);
    for (uint32_t t = 0; t < tags; ++t)
      bufferPrintf(b, "%s\"tag%u\"", t ? ", " : "", rngBelow(rng, 40));
    bufferPrintf(b, "], \"address\": {\"street\": \"%u Main St\", \"zip\": \"%05u\", "
                    "\"geo\": [%d.%06u, %d.%06u]},",
                 rngBelow(rng, 999) + 1, rngBelow(rng, 100000), (int)rngBelow(rng, 180) - 90,
                 rngBelow(rng, 1000000), (int)rngBelow(rng, 360) - 180, rngBelow(rng, 1000000));
    bufferAppend(b, " \"history\": [", 13);
    uint32_t events = 1 + rngBelow(rng, 6);
    for (uint32_t e = 0; e < events; ++e)
      bufferPrintf(b, "%s{\"ts\": %u, \"amount\": %d.%02u, \"note\": \"%s\"}", e ? ", " : "",
                   1600000000u + rngBelow(rng, 100000000), (int)rngBelow(rng, 20000) - 10000,
                   rngBelow(rng, 100), kNotes[rngBelow(rng, 8)]);
    bufferPrintf(b, "], \"extra\": %s}", rngBelow(rng, 3) ? "null" : "{\"nested\": [[1, 2], [3, [4, [5]]]]}");
  }
  bufferAppend(b, "\n]}\n", 4);
}

/* A query over the DOM: the sum of amounts of active users' history. */
static double sumActiveAmounts(const JsonValue* doc) {
  const JsonValue* records = objectGet(doc, "records");
  double total = 0;
  for (uint32_t i = 0; records && i < records->as.array.count; ++i) {
    const JsonValue* rec = records->as.array.items[i];
    const JsonValue* active = objectGet(rec, "active");
    if (!active || active->type != J_TRUE)
      continue;
    const JsonValue* history = objectGet(rec, "history");
    for (uint32_t e = 0; history && e < history->as.array.count; ++e) {
      const JsonValue* amount = objectGet(history->as.array.items[e], "amount");
      if (amount && amount->type == J_NUMBER)
        total += amount->as.number;
    }
  }
  return total;
}

int main(int argc, char** argv) {
  uint32_t records = programSize(argc, argv, 2000, 60);
  Rng rng = {2024};
  uint64_t sum = CHECKSUM_INIT;
  for (int doc = 0; doc < 8; ++doc) {
    Buffer source = {0};
    generateDocument(&source, &rng, records + (uint32_t)doc * 7);
    JsonValue* tree = parseDocument(source.data, source.length);

    WalkStats stats = {0, 0, 0, 0.0, CHECKSUM_INIT};
    walk(tree, 0, &stats);
    sum = checksumMix(sum, stats.nodes);
    sum = checksumMix(sum, stats.strings);
    sum = checksumMix(sum, stats.maxDepth);
    sum = checksumMix(sum, doubleBits(stats.numberSum));
    sum = checksumMix(sum, stats.stringHash);
    sum = checksumMix(sum, doubleBits(sumActiveAmounts(tree)));

    Buffer out = {0};
    serialize(&out, tree);
    JsonValue* again = parseDocument(out.data, out.length);
    if (!equalValues(tree, again)) {
      fprintf(stderr, "jsondom: document %d changed in a serialize/parse round trip\n", doc);
      return 1;
    }
    Buffer out2 = {0};
    serialize(&out2, again);
    if (out2.length != out.length || memcmp(out.data, out2.data, out.length) != 0) {
      fprintf(stderr, "jsondom: document %d serialized differently the second time\n", doc);
      return 1;
    }
    sum = checksumMix(sum, source.length);
    sum = checksumMix(sum, out.length);
    sum = checksumBytes(sum, out.data, out.length < 4096 ? out.length : 4096);
    freeValue(tree);
    freeValue(again);
    free(source.data);
    free(out.data);
    free(out2.data);
  }
  printResult("jsondom", records, sum);
  return 0;
}
