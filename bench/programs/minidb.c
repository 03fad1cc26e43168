/* minidb: a small table store built the way SQLite's b-tree layer is: rows
 * live in 4 KiB pages of a B+tree keyed by row id, a secondary B+tree index
 * maps an email string to the row id, and a query loop runs point lookups,
 * index lookups, updates, range scans, a group-by and deletes over them.
 *
 * What it stresses: binary search through a comparator called by pointer,
 * memmove/memcpy of cells within pages on every insert and split, fixed-size
 * row copies, snprintf and string compares, FNV hashing of strings, and
 * pages reached through a page table (as a pager's cache would give them).
 *
 * Usage: minidb [small | ROWS]. Every query's answer goes into the checksum;
 * the program also checks its own invariants (every index entry leads to its
 * row, deleted rows are gone) and fails loudly if one does not hold. */
#include "program.h"

#define PAGE_SIZE 4096

/* ---- The pager: page numbers to page buffers ---- */

typedef struct {
  uint8_t** pages; /* pages[0] is unused: page number 0 means "none" */
  uint32_t count, capacity;
} Pager;

static uint32_t allocatePage(Pager* pager) {
  if (pager->count == pager->capacity) {
    pager->capacity = pager->capacity ? pager->capacity * 2 : 64;
    pager->pages = (uint8_t**)xrealloc(pager->pages, pager->capacity * sizeof(uint8_t*));
  }
  if (pager->count == 0)
    pager->pages[pager->count++] = NULL;
  uint8_t* page = (uint8_t*)xmalloc(PAGE_SIZE);
  memset(page, 0, PAGE_SIZE);
  pager->pages[pager->count] = page;
  return pager->count++;
}

/* ---- Page layout ----
 * A page starts with an 8-byte header. A leaf then holds `count` cells of
 * key then value; an inner page holds its leftmost child and `count` cells
 * of key then child, where cell i's child holds the keys >= key i. */

typedef struct {
  uint16_t count;
  uint8_t isLeaf;
  uint8_t unused;
  uint32_t next; /* leaves: the right sibling, for scans */
} PageHeader;

#define HEADER_SIZE 8
#define CHILD_SIZE 4

typedef int (*KeyCompare)(const void* a, const void* b);

typedef struct {
  Pager* pager;
  uint32_t root;
  uint32_t keySize, valueSize;
  uint32_t leafCapacity, innerCapacity;
  KeyCompare compare;
  uint32_t entries;
} BTree;

static PageHeader* header(BTree* tree, uint32_t page) {
  return (PageHeader*)tree->pager->pages[page];
}
static uint8_t* leafCell(BTree* tree, uint8_t* page, uint32_t i) {
  return page + HEADER_SIZE + i * (tree->keySize + tree->valueSize);
}
static uint8_t* innerCell(BTree* tree, uint8_t* page, uint32_t i) {
  return page + HEADER_SIZE + CHILD_SIZE + i * (tree->keySize + CHILD_SIZE);
}
static uint32_t innerChild(BTree* tree, uint8_t* page, uint32_t i) {
  uint32_t child;
  memcpy(&child, i == 0 ? page + HEADER_SIZE : innerCell(tree, page, i - 1) + tree->keySize,
         CHILD_SIZE);
  return child;
}

static void btreeInit(BTree* tree, Pager* pager, uint32_t keySize, uint32_t valueSize,
                      KeyCompare compare) {
  tree->pager = pager;
  tree->keySize = keySize;
  tree->valueSize = valueSize;
  tree->compare = compare;
  tree->leafCapacity = (PAGE_SIZE - HEADER_SIZE) / (keySize + valueSize);
  tree->innerCapacity = (PAGE_SIZE - HEADER_SIZE - CHILD_SIZE) / (keySize + CHILD_SIZE);
  tree->root = allocatePage(pager);
  header(tree, tree->root)->isLeaf = 1;
  tree->entries = 0;
}

/* The first cell index whose key is >= `key` (count if none), and whether it
 * is equal. */
OUT_OF_LINE static uint32_t searchLeaf(BTree* tree, uint8_t* page, const void* key, int* found) {
  uint32_t lo = 0, hi = ((PageHeader*)page)->count;
  *found = 0;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    int c = tree->compare(leafCell(tree, page, mid), key);
    if (c < 0) {
      lo = mid + 1;
    } else {
      if (c == 0)
        *found = 1;
      hi = mid;
    }
  }
  return lo;
}

/* Which child of an inner page holds `key`: the number of keys <= key. */
OUT_OF_LINE static uint32_t searchInner(BTree* tree, uint8_t* page, const void* key) {
  uint32_t lo = 0, hi = ((PageHeader*)page)->count;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if (tree->compare(innerCell(tree, page, mid), key) <= 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static uint32_t findLeaf(BTree* tree, const void* key) {
  uint32_t page = tree->root;
  while (!header(tree, page)->isLeaf)
    page = innerChild(tree, tree->pager->pages[page], searchInner(tree, tree->pager->pages[page], key));
  return page;
}

/* Copies the value stored under `key` into `value`; 0 if there is none. */
static int btreeGet(BTree* tree, const void* key, void* value) {
  uint8_t* page = tree->pager->pages[findLeaf(tree, key)];
  int found;
  uint32_t i = searchLeaf(tree, page, key, &found);
  if (!found)
    return 0;
  memcpy(value, leafCell(tree, page, i) + tree->keySize, tree->valueSize);
  return 1;
}

/* A split's result: the separator key and the new right page, for the parent. */
typedef struct {
  uint32_t rightPage;
  uint8_t separator[64];
} Split;

static int insertInto(BTree* tree, uint32_t pageNo, const void* key, const void* value, Split* split);

static int insertIntoLeaf(BTree* tree, uint32_t pageNo, const void* key, const void* value,
                          Split* split) {
  uint8_t* page = tree->pager->pages[pageNo];
  PageHeader* h = (PageHeader*)page;
  uint32_t cellSize = tree->keySize + tree->valueSize;
  int found;
  uint32_t at = searchLeaf(tree, page, key, &found);
  if (found) { /* an upsert: replace the value in place */
    memcpy(leafCell(tree, page, at) + tree->keySize, value, tree->valueSize);
    return 0;
  }
  ++tree->entries;
  if (h->count < tree->leafCapacity) {
    memmove(leafCell(tree, page, at + 1), leafCell(tree, page, at), (h->count - at) * cellSize);
    memcpy(leafCell(tree, page, at), key, tree->keySize);
    memcpy(leafCell(tree, page, at) + tree->keySize, value, tree->valueSize);
    ++h->count;
    return 0;
  }
  /* Split: the upper half moves to a new right sibling. */
  uint32_t rightNo = allocatePage(tree->pager);
  page = tree->pager->pages[pageNo]; /* the page table may have moved */
  h = (PageHeader*)page;
  uint8_t* right = tree->pager->pages[rightNo];
  PageHeader* rh = (PageHeader*)right;
  uint32_t keep = (h->count + 1) / 2;
  rh->isLeaf = 1;
  rh->count = (uint16_t)(h->count - keep);
  rh->next = h->next;
  h->next = rightNo;
  memcpy(leafCell(tree, right, 0), leafCell(tree, page, keep), rh->count * cellSize);
  h->count = (uint16_t)keep;
  uint8_t* target = page;
  if (at > keep) {
    target = right;
    at -= keep;
  }
  PageHeader* th = (PageHeader*)target;
  memmove(leafCell(tree, target, at + 1), leafCell(tree, target, at), (th->count - at) * cellSize);
  memcpy(leafCell(tree, target, at), key, tree->keySize);
  memcpy(leafCell(tree, target, at) + tree->keySize, value, tree->valueSize);
  ++th->count;
  split->rightPage = rightNo;
  memcpy(split->separator, leafCell(tree, right, 0), tree->keySize);
  return 1;
}

static int insertIntoInner(BTree* tree, uint32_t pageNo, const void* key, const void* value,
                           Split* split) {
  uint32_t childIndex = searchInner(tree, tree->pager->pages[pageNo], key);
  uint32_t child = innerChild(tree, tree->pager->pages[pageNo], childIndex);
  Split below;
  if (!insertInto(tree, child, key, value, &below))
    return 0;
  /* The child split: insert (separator, right page) after childIndex. */
  uint8_t* page = tree->pager->pages[pageNo];
  PageHeader* h = (PageHeader*)page;
  uint32_t cellSize = tree->keySize + CHILD_SIZE;
  if (h->count < tree->innerCapacity) {
    memmove(innerCell(tree, page, childIndex + 1), innerCell(tree, page, childIndex),
            (h->count - childIndex) * cellSize);
    memcpy(innerCell(tree, page, childIndex), below.separator, tree->keySize);
    memcpy(innerCell(tree, page, childIndex) + tree->keySize, &below.rightPage, CHILD_SIZE);
    ++h->count;
    return 0;
  }
  /* Split the inner page: build the full cell list in a scratch buffer, keep
   * the lower half, push the middle key up, move the upper half right. */
  uint32_t total = h->count + 1;
  uint8_t* scratch = (uint8_t*)xmalloc(total * cellSize);
  memcpy(scratch, innerCell(tree, page, 0), childIndex * cellSize);
  memcpy(scratch + childIndex * cellSize, below.separator, tree->keySize);
  memcpy(scratch + childIndex * cellSize + tree->keySize, &below.rightPage, CHILD_SIZE);
  memcpy(scratch + (childIndex + 1) * cellSize, innerCell(tree, page, childIndex),
         (h->count - childIndex) * cellSize);
  uint32_t rightNo = allocatePage(tree->pager);
  page = tree->pager->pages[pageNo];
  h = (PageHeader*)page;
  uint8_t* right = tree->pager->pages[rightNo];
  PageHeader* rh = (PageHeader*)right;
  uint32_t keep = total / 2; /* cells [0, keep) stay; cell keep goes up */
  h->count = (uint16_t)keep;
  memcpy(innerCell(tree, page, 0), scratch, keep * cellSize);
  uint8_t* middle = scratch + keep * cellSize;
  memcpy(split->separator, middle, tree->keySize);
  memcpy(right + HEADER_SIZE, middle + tree->keySize, CHILD_SIZE); /* its leftmost child */
  rh->isLeaf = 0;
  rh->count = (uint16_t)(total - keep - 1);
  memcpy(innerCell(tree, right, 0), middle + cellSize, rh->count * cellSize);
  split->rightPage = rightNo;
  free(scratch);
  return 1;
}

static int insertInto(BTree* tree, uint32_t pageNo, const void* key, const void* value, Split* split) {
  return header(tree, pageNo)->isLeaf ? insertIntoLeaf(tree, pageNo, key, value, split)
                                      : insertIntoInner(tree, pageNo, key, value, split);
}

static void btreePut(BTree* tree, const void* key, const void* value) {
  Split split;
  if (!insertInto(tree, tree->root, key, value, &split))
    return;
  uint32_t newRoot = allocatePage(tree->pager);
  uint8_t* page = tree->pager->pages[newRoot];
  PageHeader* h = (PageHeader*)page;
  h->isLeaf = 0;
  h->count = 1;
  memcpy(page + HEADER_SIZE, &tree->root, CHILD_SIZE);
  memcpy(innerCell(tree, page, 0), split.separator, tree->keySize);
  memcpy(innerCell(tree, page, 0) + tree->keySize, &split.rightPage, CHILD_SIZE);
  tree->root = newRoot;
}

/* Removes `key` from its leaf (pages are not merged, as SQLite leaves
 * freelist pages for a later vacuum); 0 if it was not there. */
static int btreeDelete(BTree* tree, const void* key) {
  uint8_t* page = tree->pager->pages[findLeaf(tree, key)];
  PageHeader* h = (PageHeader*)page;
  int found;
  uint32_t at = searchLeaf(tree, page, key, &found);
  if (!found)
    return 0;
  uint32_t cellSize = tree->keySize + tree->valueSize;
  memmove(leafCell(tree, page, at), leafCell(tree, page, at + 1), (h->count - at - 1) * cellSize);
  --h->count;
  --tree->entries;
  return 1;
}

/* A cursor over the leaves, from the first key >= a given key. */
typedef struct {
  BTree* tree;
  uint32_t page;
  uint32_t index;
} Cursor;

static void cursorSeek(Cursor* c, BTree* tree, const void* key) {
  int found;
  c->tree = tree;
  c->page = findLeaf(tree, key);
  c->index = searchLeaf(tree, tree->pager->pages[c->page], key, &found);
}

/* The current cell (key then value), or NULL at the end. */
static uint8_t* cursorCell(Cursor* c) {
  while (c->page) {
    uint8_t* page = c->tree->pager->pages[c->page];
    if (c->index < ((PageHeader*)page)->count)
      return leafCell(c->tree, page, c->index);
    c->page = ((PageHeader*)page)->next;
    c->index = 0;
  }
  return NULL;
}

/* ---- The schema: users(id, age, flags, balance, name, email, city) ---- */

typedef struct {
  uint32_t id;
  uint16_t age;
  uint16_t flags;
  int64_t balance;
  char name[32];
  char email[48];
  char city[24];
  uint32_t visits;
  uint32_t reserved;
} Row; /* 128 bytes on both targets */

#define EMAIL_SIZE 48

static int compareRowId(const void* a, const void* b) {
  uint64_t x, y;
  memcpy(&x, a, 8);
  memcpy(&y, b, 8);
  return x < y ? -1 : x > y;
}

static int compareEmail(const void* a, const void* b) {
  return strncmp((const char*)a, (const char*)b, EMAIL_SIZE);
}

static const char* const kFirstNames[] = {"ada", "alan", "grace", "edsger", "barbara", "donald",
                                          "ken", "dennis", "bjarne", "guido", "linus", "margaret",
                                          "john", "frances", "niklaus", "leslie"};
static const char* const kLastNames[] = {"lovelace", "turing", "hopper", "dijkstra", "liskov",
                                         "knuth", "thompson", "ritchie", "stroustrup", "rossum",
                                         "torvalds", "hamilton", "backus", "allen", "wirth",
                                         "lamport", "kay", "hoare"};
static const char* const kCities[] = {"Lisbon", "Oslo", "Kyoto", "Quito", "Nairobi", "Perth",
                                      "Reykjavik", "Montreal", "Tallinn", "Santiago", "Hanoi",
                                      "Cusco"};
#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static uint32_t mixId(uint32_t id) {
  uint32_t x = id * 0x9e3779b1u;
  return x ^ (x >> 15);
}

/* The email of row `id`, a pure function of it so queries can rebuild it. */
static void emailFor(uint32_t id, char email[EMAIL_SIZE]) {
  uint32_t h = mixId(id);
  memset(email, 0, EMAIL_SIZE);
  snprintf(email, EMAIL_SIZE, "%s.%s%u@mail%u.example", kFirstNames[h % COUNT_OF(kFirstNames)],
           kLastNames[(h >> 8) % COUNT_OF(kLastNames)], id, h % 7);
}

static void makeRow(uint32_t id, Rng* rng, Row* row) {
  uint32_t h = mixId(id);
  memset(row, 0, sizeof *row);
  row->id = id;
  row->age = (uint16_t)(18 + rngBelow(rng, 70));
  row->flags = (uint16_t)rngBelow(rng, 16);
  row->balance = (int64_t)rngBelow(rng, 2000000) - 500000;
  snprintf(row->name, sizeof row->name, "%s %s", kFirstNames[h % COUNT_OF(kFirstNames)],
           kLastNames[(h >> 8) % COUNT_OF(kLastNames)]);
  emailFor(id, row->email);
  strcpy(row->city, kCities[rngBelow(rng, COUNT_OF(kCities))]);
}

static uint64_t hashString(const char* s) {
  uint64_t h = CHECKSUM_INIT;
  while (*s)
    h = (h ^ (uint8_t)*s++) * 0x100000001b3ull;
  return h;
}

static void fail(const char* what, uint32_t id) {
  fprintf(stderr, "minidb: invariant broken: %s (row %u)\n", what, id);
  exit(1);
}

typedef struct {
  Pager pager;
  BTree users;   /* id -> Row */
  BTree byEmail; /* email -> id */
} Database;

static void insertUser(Database* db, const Row* row) {
  uint64_t key = row->id;
  btreePut(&db->users, &key, row);
  btreePut(&db->byEmail, row->email, &key);
}

/* ---- Queries ---- */

/* SELECT * FROM users WHERE id = ? */
static uint64_t queryById(Database* db, uint32_t id, uint64_t sum) {
  uint64_t key = id;
  Row row;
  if (!btreeGet(&db->users, &key, &row))
    return checksumMix(sum, 0xdead);
  if (row.id != id)
    fail("row id differs from its key", id);
  return checksumMix(checksumMix(sum, (uint64_t)row.balance), hashString(row.name) ^ row.age);
}

/* SELECT id, balance FROM users WHERE email = ? */
static uint64_t queryByEmail(Database* db, uint32_t id, uint64_t sum) {
  char email[EMAIL_SIZE];
  emailFor(id, email);
  uint64_t key;
  if (!btreeGet(&db->byEmail, email, &key))
    return checksumMix(sum, 0xbeef);
  Row row;
  if (!btreeGet(&db->users, &key, &row) || row.id != id || strcmp(row.email, email) != 0)
    fail("index entry does not lead to its row", id);
  return checksumMix(sum, (uint64_t)row.balance + key);
}

/* UPDATE users SET balance = balance + ?, visits = visits + 1 WHERE id = ? */
static int updateBalance(Database* db, uint32_t id, int64_t delta) {
  uint64_t key = id;
  Row row;
  if (!btreeGet(&db->users, &key, &row))
    return 0;
  row.balance += delta;
  row.visits += 1;
  btreePut(&db->users, &key, &row);
  return 1;
}

/* SELECT count(*), sum(balance) FROM users WHERE id BETWEEN lo AND hi AND city = ? */
static uint64_t queryRange(Database* db, uint32_t lo, uint32_t hi, const char* city, uint64_t sum) {
  uint64_t key = lo;
  Cursor c;
  cursorSeek(&c, &db->users, &key);
  uint32_t count = 0;
  int64_t total = 0;
  for (uint8_t* cell; (cell = cursorCell(&c)) != NULL; ++c.index) {
    Row row;
    memcpy(&row, cell + 8, sizeof row);
    if (row.id > hi)
      break;
    if (strcmp(row.city, city) == 0) {
      ++count;
      total += row.balance;
    }
  }
  return checksumMix(checksumMix(sum, count), (uint64_t)total);
}

/* SELECT city, count(*), sum(balance), max(age) FROM users GROUP BY city */
static uint64_t queryGroupByCity(Database* db, uint64_t sum) {
  struct Group {
    char city[24];
    uint32_t count;
    int64_t total;
    uint32_t maxAge;
    int used;
  } groups[32];
  memset(groups, 0, sizeof groups);
  uint64_t first = 0;
  Cursor c;
  cursorSeek(&c, &db->users, &first);
  for (uint8_t* cell; (cell = cursorCell(&c)) != NULL; ++c.index) {
    Row row;
    memcpy(&row, cell + 8, sizeof row);
    uint32_t slot = (uint32_t)hashString(row.city) & 31;
    while (groups[slot].used && strcmp(groups[slot].city, row.city) != 0)
      slot = (slot + 1) & 31;
    struct Group* g = &groups[slot];
    if (!g->used) {
      g->used = 1;
      strcpy(g->city, row.city);
    }
    ++g->count;
    g->total += row.balance;
    if (row.age > g->maxAge)
      g->maxAge = row.age;
  }
  /* In city order, so the result does not depend on the hash layout. */
  for (uint32_t k = 0; k < COUNT_OF(kCities); ++k) {
    for (uint32_t slot = 0; slot < 32; ++slot) {
      if (groups[slot].used && strcmp(groups[slot].city, kCities[k]) == 0) {
        sum = checksumMix(sum, groups[slot].count);
        sum = checksumMix(sum, (uint64_t)groups[slot].total);
        sum = checksumMix(sum, groups[slot].maxAge);
      }
    }
  }
  return sum;
}

int main(int argc, char** argv) {
  uint32_t rows = programSize(argc, argv, 90000, 3000);
  Database db;
  memset(&db, 0, sizeof db);
  btreeInit(&db.users, &db.pager, 8, sizeof(Row), compareRowId);
  btreeInit(&db.byEmail, &db.pager, EMAIL_SIZE, 8, compareEmail);
  Rng rng = {42};
  uint64_t sum = CHECKSUM_INIT;

  /* INSERT in a shuffled order: ids 1..rows, permuted by Fisher-Yates. */
  uint32_t* order = (uint32_t*)xmalloc(rows * sizeof(uint32_t));
  for (uint32_t i = 0; i < rows; ++i)
    order[i] = i + 1;
  for (uint32_t i = rows - 1; i > 0; --i) {
    uint32_t j = rngBelow(&rng, i + 1);
    uint32_t t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  for (uint32_t i = 0; i < rows; ++i) {
    Row row;
    makeRow(order[i], &rng, &row);
    insertUser(&db, &row);
  }
  free(order);
  if (db.users.entries != rows || db.byEmail.entries != rows)
    fail("entry count after the inserts", rows);

  /* The query loop: a mix like a small web service's. */
  uint32_t queries = rows * 3;
  for (uint32_t q = 0; q < queries; ++q) {
    uint32_t id = 1 + rngBelow(&rng, rows + rows / 16); /* some miss */
    switch (q % 8) {
    case 0:
    case 1:
    case 2: sum = queryById(&db, id, sum); break;
    case 3:
    case 4: sum = queryByEmail(&db, id, sum); break;
    case 5:
    case 6: sum = checksumMix(sum, (uint64_t)updateBalance(&db, id, (int64_t)(q % 1000) - 400)); break;
    default: {
      uint32_t span = 50 + rngBelow(&rng, 200);
      sum = queryRange(&db, id, id + span, kCities[q % COUNT_OF(kCities)], sum);
    }
    }
  }
  sum = queryGroupByCity(&db, sum);

  /* DELETE FROM users WHERE id % 7 = 3, through both trees. */
  uint32_t deleted = 0;
  for (uint32_t id = 3; id <= rows; id += 7) {
    uint64_t key = id;
    char email[EMAIL_SIZE];
    emailFor(id, email);
    if (!btreeDelete(&db.users, &key) || !btreeDelete(&db.byEmail, email))
      fail("delete of an existing row", id);
    ++deleted;
  }
  for (uint32_t id = 3; id <= rows; id += 7 * 13) {
    uint64_t key = id;
    Row row;
    if (btreeGet(&db.users, &key, &row))
      fail("a deleted row is still there", id);
  }
  sum = checksumMix(sum, deleted);
  sum = queryGroupByCity(&db, sum);
  sum = checksumMix(sum, db.users.entries);
  sum = checksumMix(sum, db.pager.count);

  for (uint32_t p = 1; p < db.pager.count; ++p)
    free(db.pager.pages[p]);
  free(db.pager.pages);
  printResult("minidb", rows, sum);
  return 0;
}
