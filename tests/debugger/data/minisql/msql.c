/* msql.c: minisql's engine, written the way SQLite's amalgamation is: the
 * connection struct defined here, static helpers (a safety check, error
 * recording) that clang inlines into the API functions at -O2, a keyword
 * table, and rows kept in a fixed array. The markers in comments are named
 * by the debugger tests. */
#include "minisql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSQL_MAGIC_OPEN 0xa029a697u
#define MSQL_MAGIC_CLOSED 0x9f3c2d33u
#define MSQL_MAX_ROWS 64

typedef struct Row {
  char key[24];
  char value[40];
  int used;
} Row;

struct msql {
  unsigned magic;
  int errCode;
  int errByteOffset;
  const char *zErrMsg;
  char zName[16];
  int nEnter;
  int nChange;
  int nRow;
  Row aRow[MSQL_MAX_ROWS];
};

/* Statement keywords, in a table as SQLite's keyword hash. */
typedef enum { K_INSERT, K_SELECT, K_DELETE, K_COUNT, K_UNKNOWN } Keyword;
static const struct {
  const char *zName;
  Keyword kw;
} aKeyword[] = {
    {"insert", K_INSERT},
    {"select", K_SELECT},
    {"delete", K_DELETE},
    {"count", K_COUNT},
};

/* Never referenced: the linker drops it (its debug info keeps a tombstone). */
int msql_unused_statistics[8] = {1, 2, 3, 4, 5, 6, 7, 8};

static int nBadConnection;

__attribute__((noinline)) static void logBadConnection(const char *zType) {
  nBadConnection++;
  fprintf(stderr, "minisql: API call with %s database connection\n", zType);
}

static int msqlSafetyCheckOk(msql *db) {
  unsigned magic;
  if (db == 0) {
    logBadConnection("NULL");
    return 0;
  }
  magic = db->magic;
  if (magic != MSQL_MAGIC_OPEN) {
    logBadConnection("unopened");
    return 0;
  }
  return 1; /* @safety-last */
}

__attribute__((noinline)) static void msqlErrorFinish(msql *db, int err_code) {
  db->zErrMsg = err_code == MSQL_NOTFOUND ? "no such key" : "statement failed";
}

static void msqlError(msql *db, int err_code) {
  db->errCode = err_code; /* @error-body */
  if (err_code || db->zErrMsg)
    msqlErrorFinish(db, err_code);
  else
    db->errByteOffset = -1;
}

static inline Keyword keywordOf(const char *z, size_t n) {
  for (size_t i = 0; i < sizeof aKeyword / sizeof aKeyword[0]; i++)
    if (strlen(aKeyword[i].zName) == n && memcmp(aKeyword[i].zName, z, n) == 0)
      return aKeyword[i].kw;
  return K_UNKNOWN;
}

static Row *findRow(msql *db, const char *zKey) {
  for (int i = 0; i < db->nRow; i++)
    if (db->aRow[i].used && strcmp(db->aRow[i].key, zKey) == 0)
      return &db->aRow[i];
  return NULL;
}

static int emitRow(Row *p, msql_callback cb, void *arg) {
  char *values[2] = {p->key, p->value};
  char *names[2] = {"key", "value"};
  return cb ? cb(arg, 2, values, names) : 0;
}

int msql_open(const char *zName, msql **pdb) {
  msql *db = calloc(1, sizeof(msql));
  *pdb = db;
  if (!db)
    return MSQL_ERROR;
  db->magic = MSQL_MAGIC_OPEN;
  strncpy(db->zName, zName, sizeof db->zName - 1);
  return MSQL_OK;
}

int msql_close(msql *db) {
  if (!msqlSafetyCheckOk(db))
    return MSQL_MISUSE;
  db->magic = MSQL_MAGIC_CLOSED;
  free(db);
  return MSQL_OK;
}

const char *msql_errmsg(msql *db) {
  if (!msqlSafetyCheckOk(db))
    return "bad connection";
  return db->zErrMsg ? db->zErrMsg : "not an error";
}

static inline void msqlEnter(msql *db) {
  db->nEnter++; /* @enter-body */
}

int msql_changes(msql *db) {
  msqlEnter(db);
  msqlError(db, MSQL_OK); /* @changes-error */
  return db->nChange; /* @changes-return */
}

int msql_exec(msql *db, const char *zSql, msql_callback cb, void *arg) {
  int rc = MSQL_OK;
  char zKey[24], zValue[40];
  if (!msqlSafetyCheckOk(db)) return MSQL_MISUSE; /* @exec-safety */
  if (zSql == 0) zSql = ""; /* @exec-null */
  msqlError(db, MSQL_OK); /* @exec-error */
  db->zErrMsg = 0;
  size_t n = strcspn(zSql, " ");
  Keyword kw = keywordOf(zSql, n);
  const char *zArgs = zSql[n] ? zSql + n + 1 : "";
  zKey[0] = zValue[0] = '\0';
  sscanf(zArgs, "%23s %39[^\n]", zKey, zValue);
  switch (kw) {
  case K_INSERT: {
    Row *p = findRow(db, zKey);
    if (!p && db->nRow < MSQL_MAX_ROWS)
      p = &db->aRow[db->nRow++];
    if (!p) {
      rc = MSQL_ERROR;
      break;
    }
    strcpy(p->key, zKey);
    strcpy(p->value, zValue);
    p->used = 1;
    db->nChange++;
    break;
  }
  case K_SELECT:
    if (strcmp(zKey, "*") == 0) {
      for (int i = 0; i < db->nRow; i++)
        if (db->aRow[i].used && emitRow(&db->aRow[i], cb, arg))
          break;
    } else {
      Row *p = findRow(db, zKey);
      if (p)
        emitRow(p, cb, arg);
      else
        rc = MSQL_NOTFOUND;
    }
    break;
  case K_DELETE: {
    Row *p = findRow(db, zKey);
    if (p) {
      p->used = 0;
      db->nChange++;
    } else {
      rc = MSQL_NOTFOUND;
    }
    break;
  }
  case K_COUNT: {
    int count = 0;
    for (int i = 0; i < db->nRow; i++)
      count += db->aRow[i].used;
    char zCount[16];
    snprintf(zCount, sizeof zCount, "%d", count);
    char *values[1] = {zCount};
    char *names[1] = {"count"};
    if (cb)
      cb(arg, 1, values, names);
    break;
  }
  case K_UNKNOWN:
    rc = MSQL_ERROR;
    break;
  }
  if (rc != MSQL_OK)
    msqlError(db, rc);
  return rc;
}
