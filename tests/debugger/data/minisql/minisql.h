/* minisql.h: the public API of minisql, a tiny SQLite-like store the
 * debugger tests drive through a shell (shell.c). As sqlite3.h does, it
 * declares the connection type without defining it: shell.c's debug info
 * has only the declaration; msql.c's has the definition. */
#ifndef MINISQL_H
#define MINISQL_H

typedef struct msql msql;

#define MSQL_OK 0
#define MSQL_ERROR 1
#define MSQL_NOTFOUND 12
#define MSQL_MISUSE 21

/* Called once per result row: `ncol` columns, their values and names. A
 * non-zero return stops the statement. */
typedef int (*msql_callback)(void *arg, int ncol, char **values, char **names);

int msql_open(const char *name, msql **pdb);
int msql_close(msql *db);
/* Runs one statement: "insert KEY VALUE", "select KEY", "select *",
 * "delete KEY", "count". */
int msql_exec(msql *db, const char *sql, msql_callback cb, void *arg);
const char *msql_errmsg(msql *db);
int msql_changes(msql *db);

#endif
