/* tbaselib.c: tinylua's base library (as Lua's lbaselib.c). It includes
 * only the public header, so tl_State is incomplete in this unit's debug
 * info; a debugger must find its definition in tstate.c's unit. */
#include "tinylua.h"

#include <stdio.h>
#include <string.h>

static int base_print(tl_State *L) {
  int n = tl_gettop(L); /* @print-gettop */
  for (int i = 1; i <= n; i++) {
    const char *s = tl_tostring(L, i);
    if (i > 1)
      fputs("\t", stdout);
    fputs(s, stdout);
  }
  fputs("\n", stdout); /* @print-newline */
  return 0;
}

static int base_add(tl_State *L) {
  long long sum = 0;
  int n = tl_gettop(L);
  for (int i = 1; i <= n; i++)
    sum += tl_tointeger(L, i); /* @add-loop */
  tl_pushinteger(L, sum);
  return 1;
}

static int base_len(tl_State *L) {
  const char *s = tl_tostring(L, 1);
  tl_pushinteger(L, (long long)strlen(s));
  return 1;
}

static int base_count(tl_State *L) {
  long long limit = tl_tointeger(L, 1);
  long long total = 0;
  for (long long i = 0; i < limit; i++)
    total += i & 7; /* @count-hot */
  tl_pushinteger(L, total);
  return 1;
}

static const tl_Reg base_funcs[] = {
    {"print", base_print},
    {"add", base_add},
    {"len", base_len},
    {"count", base_count},
    {NULL, NULL},
};

void tl_openbase(tl_State *L) {
  tl_register(L, base_funcs);
}
