/* reqserver: the request loop of a small HTTP service, allocation-heavy the
 * way real servers are. Requests come from a generated buffer (as if read
 * from a socket): each is parsed into a malloc'd request (method, path,
 * query parameters, a header list grown with realloc, a body copy), routed
 * through a table of handlers, and answered into a response buffer grown
 * with realloc. GETs go through an LRU cache of rendered pages (a chained
 * hash table plus a doubly linked recency list, capacity-bounded, evicting
 * and freeing); POST/PUT/DELETE change a record store that invalidates the
 * cache; sessions are created and expired. Everything a request allocates
 * is freed when it is answered.
 *
 * What it stresses: malloc/realloc/free of sizes from 8 bytes to 16 KiB,
 * strdup, string scanning and compares, snprintf, hashing, pointer-linked
 * structures. The profiler's memory view is meant to be tried on it.
 *
 * Usage: reqserver [small | REQUESTS]. */
#include "program.h"

#include <stdarg.h>

/* ---- Growable byte buffers ---- */

typedef struct {
  char* data;
  uint32_t length, capacity;
} Buffer;

static void bufferAppend(Buffer* b, const char* s, uint32_t n) {
  if (b->length + n + 1 > b->capacity) {
    uint32_t capacity = b->capacity ? b->capacity : 64;
    while (capacity < b->length + n + 1)
      capacity = capacity * 3 / 2 + 16;
    b->data = (char*)xrealloc(b->data, capacity);
    b->capacity = capacity;
  }
  memcpy(b->data + b->length, s, n);
  b->length += n;
  b->data[b->length] = '\0';
}

static void bufferString(Buffer* b, const char* s) { bufferAppend(b, s, (uint32_t)strlen(s)); }

static void bufferPrintf(Buffer* b, const char* format, ...) __attribute__((format(printf, 2, 3)));
static void bufferPrintf(Buffer* b, const char* format, ...) {
  char text[256];
  va_list args;
  va_start(args, format);
  int n = vsnprintf(text, sizeof text, format, args);
  va_end(args);
  bufferAppend(b, text, (uint32_t)(n < (int)sizeof text ? n : (int)sizeof text - 1));
}

static uint32_t hashString(const char* s) {
  uint32_t h = 2166136261u;
  while (*s)
    h = (h ^ (uint8_t)*s++) * 16777619u;
  return h;
}

/* ---- Requests ---- */

typedef struct {
  char* name;
  char* value;
} Header;

typedef struct {
  char* method;
  char* path;
  Header* params; /* the query string, decoded */
  uint32_t paramCount;
  Header* headers;
  uint32_t headerCount, headerCapacity;
  char* body;
  uint32_t bodyLength;
} Request;

static char* copyRange(const char* start, const char* end) {
  uint32_t n = (uint32_t)(end - start);
  char* s = (char*)xmalloc(n + 1);
  memcpy(s, start, n);
  s[n] = '\0';
  return s;
}

/* Decodes %XX and '+' in place. */
static void urlDecode(char* s) {
  char* out = s;
  for (; *s; ++s) {
    if (*s == '+') {
      *out++ = ' ';
    } else if (*s == '%' && s[1] && s[2]) {
      char hex[3] = {s[1], s[2], 0};
      *out++ = (char)strtol(hex, NULL, 16);
      s += 2;
    } else {
      *out++ = *s;
    }
  }
  *out = '\0';
}

static void parseQuery(Request* r, const char* query) {
  uint32_t count = 1;
  for (const char* p = query; *p; ++p)
    count += *p == '&';
  r->params = (Header*)xmalloc(count * sizeof(Header));
  r->paramCount = 0;
  const char* p = query;
  while (*p) {
    const char* amp = strchr(p, '&');
    const char* end = amp ? amp : p + strlen(p);
    const char* eq = memchr(p, '=', (size_t)(end - p));
    Header* h = &r->params[r->paramCount++];
    h->name = copyRange(p, eq ? eq : end);
    h->value = eq ? copyRange(eq + 1, end) : xstrdup("");
    urlDecode(h->value);
    p = amp ? amp + 1 : end;
  }
}

/* Parses one request at `*cursor`; advances it past the request. Returns
 * NULL at the end of the input. */
OUT_OF_LINE static Request* parseRequest(const char** cursor) {
  const char* p = *cursor;
  if (!*p)
    return NULL;
  Request* r = (Request*)xmalloc(sizeof(Request));
  memset(r, 0, sizeof *r);
  const char* space = strchr(p, ' ');
  const char* lineEnd = strstr(p, "\r\n");
  if (!space || !lineEnd || space > lineEnd) {
    fprintf(stderr, "reqserver: malformed request line\n");
    exit(1);
  }
  r->method = copyRange(p, space);
  const char* target = space + 1;
  const char* targetEnd = strchr(target, ' ');
  const char* question = memchr(target, '?', (size_t)(targetEnd - target));
  r->path = copyRange(target, question ? question : targetEnd);
  if (question) {
    char* query = copyRange(question + 1, targetEnd);
    parseQuery(r, query);
    free(query);
  }
  p = lineEnd + 2;
  uint32_t contentLength = 0;
  while (p[0] != '\r') { /* headers up to the empty line */
    const char* colon = strchr(p, ':');
    const char* end = strstr(p, "\r\n");
    if (r->headerCount == r->headerCapacity) {
      r->headerCapacity = r->headerCapacity ? r->headerCapacity * 2 : 4;
      r->headers = (Header*)xrealloc(r->headers, r->headerCapacity * sizeof(Header));
    }
    Header* h = &r->headers[r->headerCount++];
    h->name = copyRange(p, colon);
    const char* value = colon + 1;
    while (*value == ' ')
      ++value;
    h->value = copyRange(value, end);
    if (strcasecmp(h->name, "Content-Length") == 0)
      contentLength = (uint32_t)strtoul(h->value, NULL, 10);
    p = end + 2;
  }
  p += 2;
  if (contentLength) {
    r->body = copyRange(p, p + contentLength);
    r->bodyLength = contentLength;
    p += contentLength;
  }
  *cursor = p;
  return r;
}

static void freeRequest(Request* r) {
  for (uint32_t i = 0; i < r->paramCount; ++i) {
    free(r->params[i].name);
    free(r->params[i].value);
  }
  for (uint32_t i = 0; i < r->headerCount; ++i) {
    free(r->headers[i].name);
    free(r->headers[i].value);
  }
  free(r->params);
  free(r->headers);
  free(r->method);
  free(r->path);
  free(r->body);
  free(r);
}

static const char* requestParam(const Request* r, const char* name) {
  for (uint32_t i = 0; i < r->paramCount; ++i)
    if (strcmp(r->params[i].name, name) == 0)
      return r->params[i].value;
  return NULL;
}

static const char* requestHeader(const Request* r, const char* name) {
  for (uint32_t i = 0; i < r->headerCount; ++i)
    if (strcasecmp(r->headers[i].name, name) == 0)
      return r->headers[i].value;
  return NULL;
}

/* ---- The LRU cache of rendered pages ---- */

typedef struct CacheEntry {
  char* key;
  char* page;
  uint32_t pageLength;
  struct CacheEntry* chain;            /* next in the hash bucket */
  struct CacheEntry *newer, *older;    /* the recency list */
} CacheEntry;

#define CACHE_BUCKETS 1024

typedef struct {
  CacheEntry* buckets[CACHE_BUCKETS];
  CacheEntry *newest, *oldest;
  uint32_t count, capacity;
  uint32_t hits, misses, evictions;
} Cache;

static void unlinkRecency(Cache* c, CacheEntry* e) {
  if (e->newer)
    e->newer->older = e->older;
  else
    c->newest = e->older;
  if (e->older)
    e->older->newer = e->newer;
  else
    c->oldest = e->newer;
  e->newer = e->older = NULL;
}

static void linkNewest(Cache* c, CacheEntry* e) {
  e->older = c->newest;
  e->newer = NULL;
  if (c->newest)
    c->newest->newer = e;
  c->newest = e;
  if (!c->oldest)
    c->oldest = e;
}

static void removeEntry(Cache* c, CacheEntry* e) {
  CacheEntry** link = &c->buckets[hashString(e->key) % CACHE_BUCKETS];
  while (*link != e)
    link = &(*link)->chain;
  *link = e->chain;
  unlinkRecency(c, e);
  free(e->key);
  free(e->page);
  free(e);
  --c->count;
}

OUT_OF_LINE static CacheEntry* cacheGet(Cache* c, const char* key) {
  for (CacheEntry* e = c->buckets[hashString(key) % CACHE_BUCKETS]; e; e = e->chain) {
    if (strcmp(e->key, key) == 0) {
      unlinkRecency(c, e);
      linkNewest(c, e);
      ++c->hits;
      return e;
    }
  }
  ++c->misses;
  return NULL;
}

/* Takes ownership of `page`. */
OUT_OF_LINE static void cachePut(Cache* c, const char* key, char* page, uint32_t pageLength) {
  while (c->count >= c->capacity) {
    ++c->evictions;
    removeEntry(c, c->oldest);
  }
  CacheEntry* e = (CacheEntry*)xmalloc(sizeof(CacheEntry));
  e->key = xstrdup(key);
  e->page = page;
  e->pageLength = pageLength;
  uint32_t b = hashString(key) % CACHE_BUCKETS;
  e->chain = c->buckets[b];
  c->buckets[b] = e;
  linkNewest(c, e);
  ++c->count;
}

static void cacheInvalidate(Cache* c, const char* key) {
  for (CacheEntry* e = c->buckets[hashString(key) % CACHE_BUCKETS]; e; e = e->chain) {
    if (strcmp(e->key, key) == 0) {
      removeEntry(c, e);
      return;
    }
  }
}

/* ---- The record store and sessions ---- */

#define MAX_ITEMS 4096

typedef struct {
  char* title;
  char* description; /* grows and shrinks with PUTs */
  uint32_t version;
} Item;

typedef struct Session {
  struct Session* next;
  char* token;
  char* user;
  uint32_t expires;
  uint32_t requests;
} Session;

typedef struct {
  Cache cache;
  Item* items[MAX_ITEMS];
  Session* sessions;
  uint32_t sessionCount;
  uint32_t clock;
  uint64_t checksum;
} Server;

typedef int (*Handler)(Server* s, const Request* r, Buffer* body);

/* Renders an item page: a response body whose size depends on the item. */
static char* renderItem(Server* s, uint32_t id, uint32_t* length) {
  Buffer page = {0};
  Item* item = s->items[id];
  bufferPrintf(&page, "<html><head><title>item %u</title></head><body>\n", id);
  if (item) {
    bufferString(&page, "<h1>");
    bufferString(&page, item->title);
    bufferPrintf(&page, "</h1><p>version %u</p>\n<div>", item->version);
    bufferString(&page, item->description);
    bufferString(&page, "</div>\n");
  }
  uint32_t related = 2 + id % 23;
  bufferString(&page, "<ul>\n");
  for (uint32_t i = 0; i < related; ++i)
    bufferPrintf(&page, "<li><a href=\"/items/%u\">related item %u</a></li>\n",
                 (id * 31 + i * 7) % MAX_ITEMS, i);
  bufferString(&page, "</ul></body></html>\n");
  *length = page.length;
  return page.data;
}

static int parseItemId(const Request* r, uint32_t* id) {
  const char* p = r->path + strlen("/items/");
  char* end = NULL;
  unsigned long v = strtoul(p, &end, 10);
  if (end == p || *end != '\0' || v >= MAX_ITEMS)
    return 0;
  *id = (uint32_t)v;
  return 1;
}

static int handleGetItem(Server* s, const Request* r, Buffer* body) {
  uint32_t id;
  if (!parseItemId(r, &id))
    return 404;
  CacheEntry* hit = cacheGet(&s->cache, r->path);
  if (hit) {
    bufferAppend(body, hit->page, hit->pageLength);
    return 200;
  }
  uint32_t length;
  char* page = renderItem(s, id, &length);
  bufferAppend(body, page, length);
  cachePut(&s->cache, r->path, page, length);
  return 200;
}

/* Form fields of a POST or PUT body: title=...&description=... */
static char* formField(const Request* r, const char* name) {
  if (!r->body)
    return NULL;
  uint32_t n = (uint32_t)strlen(name);
  const char* p = r->body;
  while (p && *p) {
    if (strncmp(p, name, n) == 0 && p[n] == '=') {
      const char* end = strchr(p, '&');
      char* value = copyRange(p + n + 1, end ? end : p + strlen(p));
      urlDecode(value);
      return value;
    }
    p = strchr(p, '&');
    if (p)
      ++p;
  }
  return NULL;
}

static int handleWriteItem(Server* s, const Request* r, Buffer* body) {
  uint32_t id;
  if (!parseItemId(r, &id))
    return 404;
  char* title = formField(r, "title");
  char* description = formField(r, "description");
  if (!title || !description) {
    free(title);
    free(description);
    return 400;
  }
  Item* item = s->items[id];
  int created = !item;
  if (created) {
    item = (Item*)xmalloc(sizeof(Item));
    item->title = title;
    item->description = description;
    item->version = 1;
    s->items[id] = item;
  } else {
    free(item->title);
    item->title = title;
    /* A PUT appends to the description, a POST replaces it. */
    if (strcmp(r->method, "PUT") == 0 && strlen(item->description) < 8192) {
      size_t old = strlen(item->description), extra = strlen(description);
      item->description = (char*)xrealloc(item->description, old + extra + 2);
      item->description[old] = ' ';
      memcpy(item->description + old + 1, description, extra + 1);
      free(description);
    } else {
      free(item->description);
      item->description = description;
    }
    ++item->version;
  }
  cacheInvalidate(&s->cache, r->path);
  bufferPrintf(body, "{\"id\": %u, \"version\": %u}\n", id, item->version);
  return created ? 201 : 200;
}

static int handleDeleteItem(Server* s, const Request* r, Buffer* body) {
  uint32_t id;
  if (!parseItemId(r, &id) || !s->items[id])
    return 404;
  free(s->items[id]->title);
  free(s->items[id]->description);
  free(s->items[id]);
  s->items[id] = NULL;
  cacheInvalidate(&s->cache, r->path);
  bufferString(body, "{}\n");
  return 204;
}

static int handleSearch(Server* s, const Request* r, Buffer* body) {
  const char* q = requestParam(r, "q");
  const char* limitText = requestParam(r, "limit");
  uint32_t limit = limitText ? (uint32_t)strtoul(limitText, NULL, 10) : 10;
  if (!q)
    return 400;
  uint32_t found = 0;
  bufferString(body, "[");
  /* A bounded scan from a start derived from the query, like an index probe. */
  uint32_t start = hashString(q) % MAX_ITEMS;
  for (uint32_t k = 0; k < 256 && found < limit; ++k) {
    Item* item = s->items[(start + k) % MAX_ITEMS];
    if (item && strstr(item->title, q)) {
      bufferPrintf(body, "%s{\"id\": %u, \"title\": \"%s\"}", found ? ", " : "",
                   (start + k) % MAX_ITEMS, item->title);
      ++found;
    }
  }
  bufferString(body, "]\n");
  return 200;
}

static int handleLogin(Server* s, const Request* r, Buffer* body) {
  char* user = formField(r, "user");
  if (!user)
    return 400;
  Session* session = (Session*)xmalloc(sizeof(Session));
  char token[32];
  snprintf(token, sizeof token, "t%08x%04x", hashString(user) ^ s->clock, s->sessionCount & 0xffff);
  session->token = xstrdup(token);
  session->user = user;
  session->expires = s->clock + 200 + hashString(token) % 800;
  session->requests = 0;
  session->next = s->sessions;
  s->sessions = session;
  ++s->sessionCount;
  bufferPrintf(body, "{\"token\": \"%s\"}\n", token);
  return 200;
}

/* Drops expired sessions (run every so many requests, as a timer would). */
static void expireSessions(Server* s) {
  Session** link = &s->sessions;
  while (*link) {
    Session* session = *link;
    if (session->expires <= s->clock) {
      *link = session->next;
      s->checksum = checksumMix(s->checksum, session->requests);
      free(session->token);
      free(session->user);
      free(session);
      --s->sessionCount;
    } else {
      link = &session->next;
    }
  }
}

static void touchSession(Server* s, const Request* r) {
  const char* cookie = requestHeader(r, "Cookie");
  if (!cookie || strncmp(cookie, "session=", 8) != 0)
    return;
  for (Session* session = s->sessions; session; session = session->next)
    if (strcmp(session->token + 1, cookie + 8 + 1) == 0) {
      ++session->requests;
      return;
    }
}

typedef struct {
  const char* method;
  const char* prefix;
  Handler handler;
} Route;

static const Route kRoutes[] = {
    {"GET", "/items/", handleGetItem},     {"POST", "/items/", handleWriteItem},
    {"PUT", "/items/", handleWriteItem},   {"DELETE", "/items/", handleDeleteItem},
    {"GET", "/search", handleSearch},      {"POST", "/login", handleLogin},
};

OUT_OF_LINE static void serve(Server* s, const Request* r, Buffer* response) {
  Buffer body = {0};
  int status = 404;
  for (size_t i = 0; i < sizeof kRoutes / sizeof kRoutes[0]; ++i) {
    if (strcmp(r->method, kRoutes[i].method) == 0 &&
        strncmp(r->path, kRoutes[i].prefix, strlen(kRoutes[i].prefix)) == 0) {
      status = kRoutes[i].handler(s, r, &body);
      break;
    }
  }
  touchSession(s, r);
  response->length = 0;
  bufferPrintf(response, "HTTP/1.1 %d %s\r\n", status, status < 300 ? "OK" : "Error");
  bufferPrintf(response, "Content-Length: %u\r\nContent-Type: %s\r\nServer: reqserver\r\n\r\n",
               body.length, r->path[1] == 'i' ? "text/html" : "application/json");
  if (body.length)
    bufferAppend(response, body.data, body.length);
  free(body.data);
}

/* ---- The generated traffic ---- */

static const char* const kWords[] = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot",
                                     "golf", "hotel", "india", "juliet", "kilo", "lima"};

static void generateTraffic(Buffer* in, Rng* rng, uint32_t requests) {
  for (uint32_t i = 0; i < requests; ++i) {
    uint32_t kind = rngBelow(rng, 100);
    uint32_t id = rngBelow(rng, 64) < 48 ? rngBelow(rng, 300) : rngBelow(rng, MAX_ITEMS);
    Buffer form = {0};
    const char* method = "GET";
    char target[160];
    if (kind < 62) {
      snprintf(target, sizeof target, "/items/%u", id);
    } else if (kind < 72) {
      snprintf(target, sizeof target, "/search?q=%s&limit=%u&lang=en%%2Dus", kWords[rngBelow(rng, 12)],
               1 + rngBelow(rng, 20));
    } else if (kind < 95) {
      method = kind < 84 ? "POST" : kind < 92 ? "PUT" : "DELETE";
      snprintf(target, sizeof target, "/items/%u", id);
      if (method[0] != 'D') {
        bufferPrintf(&form, "title=%s+%s+%u&description=", kWords[rngBelow(rng, 12)],
                     kWords[rngBelow(rng, 12)], id);
        uint32_t words = 1 + rngBelow(rng, rngBelow(rng, 4) ? 12 : 300);
        for (uint32_t w = 0; w < words; ++w)
          bufferPrintf(&form, "%s%s", w ? "+" : "", kWords[rngBelow(rng, 12)]);
      }
    } else {
      method = "POST";
      snprintf(target, sizeof target, "/login");
      bufferPrintf(&form, "user=%s%u&password=secret%%21", kWords[rngBelow(rng, 12)], rngBelow(rng, 1000));
    }
    bufferPrintf(in, "%s %s HTTP/1.1\r\nHost: service.example\r\n", method, target);
    bufferPrintf(in, "User-Agent: bench-client/%u.%u\r\nAccept: */*\r\n", rngBelow(rng, 5), rngBelow(rng, 10));
    uint32_t extra = rngBelow(rng, 6);
    for (uint32_t h = 0; h < extra; ++h)
      bufferPrintf(in, "X-Trace-%u: %016llx%08x\r\n", h, (unsigned long long)rngNext(rng), rngBelow(rng, 1u << 30));
    if (rngBelow(rng, 3) == 0)
      bufferPrintf(in, "Cookie: session=t%08x%04x\r\n", (uint32_t)rngNext(rng), rngBelow(rng, 64));
    if (form.length)
      bufferPrintf(in, "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %u\r\n", form.length);
    bufferString(in, "\r\n");
    if (form.length)
      bufferAppend(in, form.data, form.length);
    free(form.data);
  }
}

int main(int argc, char** argv) {
  uint32_t requests = programSize(argc, argv, 40000, 3000);
  Rng rng = {99};
  Buffer traffic = {0};
  generateTraffic(&traffic, &rng, requests);

  Server* s = (Server*)xmalloc(sizeof(Server));
  memset(s, 0, sizeof *s);
  s->cache.capacity = 256;
  s->checksum = CHECKSUM_INIT;
  Buffer response = {0};
  const char* cursor = traffic.data;
  uint32_t served = 0;
  for (Request* r; (r = parseRequest(&cursor)) != NULL; ++served) {
    ++s->clock;
    serve(s, r, &response);
    s->checksum = checksumBytes(s->checksum, response.data, response.length < 64 ? response.length : 64);
    s->checksum = checksumMix(s->checksum, response.length);
    freeRequest(r);
    if (s->clock % 128 == 0)
      expireSessions(s);
  }
  if (served != requests) {
    fprintf(stderr, "reqserver: parsed %u requests, generated %u\n", served, requests);
    return 1;
  }
  uint64_t sum = s->checksum;
  sum = checksumMix(sum, s->cache.hits);
  sum = checksumMix(sum, s->cache.misses);
  sum = checksumMix(sum, s->cache.evictions);
  sum = checksumMix(sum, s->sessionCount);
  /* Shut down: free everything still held. */
  while (s->cache.oldest)
    removeEntry(&s->cache, s->cache.oldest);
  s->clock = UINT32_MAX;
  expireSessions(s);
  for (uint32_t i = 0; i < MAX_ITEMS; ++i) {
    if (s->items[i]) {
      sum = checksumMix(sum, s->items[i]->version);
      free(s->items[i]->title);
      free(s->items[i]->description);
      free(s->items[i]);
    }
  }
  free(s);
  free(response.data);
  free(traffic.data);
  printResult("reqserver", requests, sum);
  return 0;
}
