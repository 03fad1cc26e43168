/* tmain.c: the tinylua command (as Lua's lua.c): runs the script given as
 * arguments, one line per argument, or a default one. */
#include "tinylua.h"

#include <stdio.h>
#include <string.h>

/* A hook type no unit defines: its size is unknown everywhere. */
struct tl_DebugHook;
struct tl_DebugHook *tl_debug_hook;

static const char kDefaultScript[] = "print hello 1 2\n"
                                     "add 1 2 3 4\n"
                                     "print done\n";

int main(int argc, char **argv) {
  char script[512];
  script[0] = '\0';
  for (int i = 1; i < argc; i++) {
    strncat(script, argv[i], sizeof script - strlen(script) - 2);
    strcat(script, "\n");
  }
  tl_State *L = tl_newstate(); /* @main-newstate */
  if (tl_debug_hook)
    fputs("tinylua: a debug hook is set\n", stderr);
  tl_openbase(L);
  int calls = tl_dostring(L, argc > 1 ? script : kDefaultScript);
  printf("calls: %d\n", calls);
  tl_close(L);
  return calls < 0 ? 1 : 0;
}
