/* tstate.c: tinylua's state and stack API (as Lua's lstate.c and lapi.c),
 * and tl_precallC, which calls a C function through its pointer (as Lua's
 * precallC). The markers in comments are named by the debugger tests. */
#include "tstate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Never referenced: the linker drops it, and its debug info keeps an
 * address tombstone. */
int tl_unused_counter = 42;
const char tl_unused_banner[] = "tinylua debug build";

tl_State *tl_newstate(void) {
  tl_State *L = calloc(1, sizeof(tl_State));
  if (!L)
    return NULL;
  L->top = L->stack;
  L->stack_last = L->stack + TL_STACK_SIZE - 1;
  L->base_ci.func = L->stack;
  L->base_ci.top = L->stack;
  L->ci = &L->base_ci;
  return L;
}

void tl_close(tl_State *L) {
  free(L);
}

static inline TValue *index2value(tl_State *L, int idx) {
  TValue *o = L->ci->func + idx;
  if (idx <= 0 || o >= L->top)
    return NULL;
  return o;
}

int tl_gettop(tl_State *L) {
  int n = (int)(L->top - (L->ci->func + 1)); /* @gettop-body */
  return n;
}

void tl_settop(tl_State *L, int idx) {
  TValue *newtop = L->ci->func + 1 + idx;
  while (L->top < newtop)
    (L->top++)->tag = TV_NIL;
  L->top = newtop;
}

static inline void checkstack(tl_State *L, int n) {
  if (L->top + n > L->stack_last) {
    fputs("tinylua: stack overflow\n", stderr);
    abort();
  }
}

void tl_pushinteger(tl_State *L, long long n) {
  checkstack(L, 1);
  setivalue(L->top, n);
  L->top++;
}

void tl_pushstring(tl_State *L, const char *s) {
  checkstack(L, 1);
  setsvalue(L->top, s);
  L->top++;
}

int tl_isinteger(tl_State *L, int idx) {
  TValue *o = index2value(L, idx);
  return o && o->tag == TV_INT;
}

long long tl_tointeger(tl_State *L, int idx) {
  TValue *o = index2value(L, idx);
  if (!o)
    return 0;
  if (o->tag == TV_INT)
    return o->u.i;
  if (o->tag == TV_STR)
    return atoll(o->u.s);
  return 0;
}

const char *tl_tostring(tl_State *L, int idx) {
  static char buf[32];
  TValue *o = index2value(L, idx);
  if (!o || o->tag == TV_NIL)
    return "nil";
  if (o->tag == TV_STR)
    return o->u.s;
  snprintf(buf, sizeof buf, "%lld", o->u.i);
  return buf;
}

void tl_register(tl_State *L, const tl_Reg *funcs) {
  if (L->nlibs < TL_MAX_LIBS)
    L->libs[L->nlibs++] = funcs;
}

static CallInfo *next_ci(tl_State *L) {
  if (L->ncalls >= TL_MAX_CALLS) {
    fputs("tinylua: calls nested too deeply\n", stderr);
    abort();
  }
  CallInfo *ci = &L->calls[L->ncalls++];
  ci->previous = L->ci;
  return ci;
}

static void finish_call(tl_State *L, CallInfo *ci, int nres) {
  TValue *res = ci->func;
  TValue *first = L->top - nres;
  for (int i = 0; i < nres; i++)
    res[i] = first[i];
  L->top = res + nres;
  L->ci = ci->previous;
  L->ncalls--;
}

int tl_precallC(tl_State *L, TValue *func, int nresults, tl_CFunction f) {
  CallInfo *ci = next_ci(L);
  ci->func = func;
  ci->top = L->top;
  ci->nresults = nresults;
  L->ci = ci;
  int n = (*f)(L); /* @precall-call */
  finish_call(L, ci, n); /* @precall-after */
  L->steps++;
  return n;
}
