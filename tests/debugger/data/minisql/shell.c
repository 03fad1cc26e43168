/* shell.c: minisql's command-line shell (as SQLite's shell.c): reads
 * statements from stdin, one per line, runs each, and prints the rows. It
 * includes only minisql.h, so `msql` is incomplete in this unit's debug
 * info. With "--unbuffered" every row is its own write. */
#include "minisql.h"

#include <stdio.h>
#include <string.h>

typedef struct ShellState {
  msql *db;
  int nRows;
  int echo;
  char zPrompt[8];
} ShellState;

static int shell_callback(void *pArg, int nCol, char **azVal, char **azCol) {
  ShellState *p = (ShellState *)pArg;
  for (int i = 0; i < nCol; i++)
    printf("%s%s=%s", i ? " " : "", azCol[i], azVal[i]); /* @callback-print */
  printf("\n");
  p->nRows++;
  return 0;
}

static int process_input(ShellState *p, FILE *in) {
  char zLine[128];
  int nErr = 0;
  while (fgets(zLine, sizeof zLine, in)) {
    zLine[strcspn(zLine, "\n")] = '\0';
    if (zLine[0] == '\0')
      continue;
    if (p->echo)
      printf("%s%s\n", p->zPrompt, zLine);
    int rc = msql_exec(p->db, zLine, shell_callback, p); /* @shell-exec */
    if (rc != MSQL_OK) {
      fprintf(stderr, "Error: %s (%d)\n", msql_errmsg(p->db), rc);
      nErr++;
    }
  }
  return nErr;
}

int main(int argc, char **argv) {
  ShellState data;
  memset(&data, 0, sizeof data);
  strcpy(data.zPrompt, "msql> ");
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--echo") == 0)
      data.echo = 1;
    else if (strcmp(argv[i], "--unbuffered") == 0)
      setvbuf(stdout, NULL, _IONBF, 0);
  }
  if (msql_open("main", &data.db) != MSQL_OK) { /* @main-open */
    fprintf(stderr, "cannot open database\n");
    return 1;
  }
  int nErr = process_input(&data, stdin);
  printf("rows: %d, changes: %d\n", data.nRows, msql_changes(data.db));
  msql_close(data.db);
  return nErr ? 1 : 0;
}
