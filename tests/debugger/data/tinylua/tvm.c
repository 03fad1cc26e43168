/* tvm.c: tinylua's compiler and virtual machine (as Lua's lparser.c and
 * lvm.c, much reduced): a script line "name arg ..." becomes PUSH
 * instructions and a CALL; tlV_execute runs them, calling C functions
 * through tl_precallC. Static inline helpers are inlined at -O2; the
 * setivalue macros on one line give it several breakpoint locations. */
#include "tstate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { OP_PUSHINT, OP_PUSHPAIR, OP_PUSHSTR, OP_CALL, OP_REPEAT, OP_END } OpCode;

typedef struct Instruction {
  OpCode op;
  long long a, b;
  const char *s;
  tl_CFunction f;
} Instruction;

#define MAX_CODE 256
#define MAX_WORDS 64

static Instruction code[MAX_CODE];
static char words[MAX_WORDS][32];
static int nwords;

static inline int is_number(const char *w) {
  if (*w == '-')
    w++;
  if (!*w)
    return 0;
  for (; *w; w++)
    if (!tl_isdigit((unsigned char)*w))
      return 0;
  return 1;
}

static tl_CFunction find_function(tl_State *L, const char *name) {
  for (int i = 0; i < L->nlibs; i++)
    for (const tl_Reg *r = L->libs[i]; r->name; r++)
      if (strcmp(r->name, name) == 0)
        return r->func;
  return NULL;
}

static const char *save_word(const char *start, size_t len) {
  if (nwords >= MAX_WORDS || len >= sizeof words[0])
    return "?";
  memcpy(words[nwords], start, len);
  words[nwords][len] = '\0';
  return words[nwords++];
}

/* Splits one line into words; returns how many. */
static int split(const char *line, const char **out, int max) {
  int n = 0;
  const char *p = line;
  while (*p && n < max) {
    while (*p && tl_isspace((unsigned char)*p))
      p++;
    const char *start = p;
    while (*p && !tl_isspace((unsigned char)*p))
      p++;
    if (p > start)
      out[n++] = save_word(start, (size_t)(p - start));
  }
  return n;
}

static int compile_line(tl_State *L, const char *line, Instruction *pc) {
  const char *w[8];
  int n = split(line, w, 8);
  int k = 0;
  long long times = 1;
  if (n == 0)
    return 0;
  if (strcmp(w[0], "repeat") == 0 && n >= 3) {
    times = atoll(w[1]);
    w[0] = w[2];
    memmove(&w[1], &w[3], sizeof(w[0]) * (size_t)(n - 3));
    n -= 2;
  }
  tl_CFunction f = find_function(L, w[0]);
  if (!f)
    return -1;
  int i = 1;
  for (; i + 1 < n && is_number(w[i]) && is_number(w[i + 1]); i += 2)
    pc[k++] = (Instruction){OP_PUSHPAIR, atoll(w[i]), atoll(w[i + 1]), NULL, NULL};
  for (; i < n; i++)
    pc[k++] = is_number(w[i]) ? (Instruction){OP_PUSHINT, atoll(w[i]), 0, NULL, NULL}
                              : (Instruction){OP_PUSHSTR, 0, 0, w[i], NULL};
  pc[k++] = (Instruction){times > 1 ? OP_REPEAT : OP_CALL, n - 1, times, w[0], f};
  return k;
}

int tlV_execute(tl_State *L, CallInfo *ci) {
  int calls = 0;
  TValue *base = L->top;
  for (const Instruction *pc = code;; pc++) {
    TValue *ra = L->top;
    switch (pc->op) {
    case OP_PUSHINT:
      setivalue(ra, pc->a);
      L->top++;
      break;
    case OP_PUSHPAIR:
      setivalue(ra, pc->a); setivalue(ra + 1, pc->b); /* @pair-line */
      L->top += 2;
      break;
    case OP_PUSHSTR:
      setsvalue(ra, pc->s);
      L->top++;
      break;
    case OP_CALL:
    case OP_REPEAT: {
      TValue *func = L->top - pc->a - 1;
      for (long long t = 0; t < pc->b; t++) {
        L->top = func + 1 + pc->a;
        tl_precallC(L, func, 0, pc->f); /* @execute-call */
        calls++;
      }
      L->top = base;
      break;
    }
    case OP_END:
      (void)ci;
      return calls;
    }
  }
}

int tl_dostring(tl_State *L, const char *script) {
  int total = 0;
  const char *line = script;
  while (*line) {
    const char *end = strchr(line, '\n');
    size_t len = end ? (size_t)(end - line) : strlen(line);
    char buf[128];
    if (len >= sizeof buf)
      len = sizeof buf - 1;
    memcpy(buf, line, len);
    buf[len] = '\0';
    nwords = 0;
    tl_pushstring(L, "<function>"); /* the slot results go to */
    int k = compile_line(L, buf, code);
    if (k < 0) {
      fprintf(stderr, "tinylua: unknown function in '%s'\n", buf);
      return -1;
    }
    code[k].op = OP_END;
    int made = tlV_execute(L, L->ci); /* @dostring-execute */
    L->top--; /* the function slot */
    total += made;
    line = end ? end + 1 : line + len;
  }
  return total;
}
