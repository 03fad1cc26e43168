/* tinylua.h: the public API of tinylua, a small Lua-like interpreter the
 * debugger tests run (several compile units, an opaque state type, a table
 * of C functions called through pointers, a character-class table).
 *
 * Like lua.h, this header declares tl_State but never defines it: the
 * library (tstate.h) does. A compile unit that includes only this header
 * (tbaselib.c, tmain.c) sees an incomplete struct in its debug info. */
#ifndef TINYLUA_H
#define TINYLUA_H

typedef struct tl_State tl_State;

/* A function callable from scripts: arguments on the stack, returns the
 * number of results it pushed. */
typedef int (*tl_CFunction)(tl_State *L);

typedef struct tl_Reg {
  const char *name;
  tl_CFunction func;
} tl_Reg;

tl_State *tl_newstate(void);
void tl_close(tl_State *L);

int tl_gettop(tl_State *L);
void tl_settop(tl_State *L, int idx);
void tl_pushinteger(tl_State *L, long long n);
void tl_pushstring(tl_State *L, const char *s);
int tl_isinteger(tl_State *L, int idx);
long long tl_tointeger(tl_State *L, int idx);
const char *tl_tostring(tl_State *L, int idx);

void tl_register(tl_State *L, const tl_Reg *funcs);
void tl_openbase(tl_State *L);

/* Runs a script: one call per line, "name arg arg ...", where an argument
 * is an integer or a word. "repeat N name args" calls N times. Returns the
 * number of calls made, or -1 on an unknown function. */
int tl_dostring(tl_State *L, const char *script);

#endif
