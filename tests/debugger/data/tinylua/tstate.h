/* tstate.h: tinylua's internal structures (as Lua's lstate.h and
 * lobject.h): the definition of tl_State that tinylua.h only declares,
 * tagged values and call records, and the value macros, which declare a
 * block-local pointer as Lua's setivalue does (so one source line holding
 * two of them has several breakpoint locations). */
#ifndef TSTATE_H
#define TSTATE_H

#include "tinylua.h"

typedef enum { TV_NIL, TV_INT, TV_STR } tl_Tag;

typedef struct TValue {
  tl_Tag tag;
  union {
    long long i;
    const char *s;
  } u;
} TValue;

typedef struct CallInfo {
  TValue *func; /* the function slot; arguments follow it */
  TValue *top;
  struct CallInfo *previous;
  int nresults;
} CallInfo;

#define TL_STACK_SIZE 64
#define TL_MAX_CALLS 16
#define TL_MAX_LIBS 8

struct tl_State {
  TValue *top;        /* first free slot */
  TValue *stack_last; /* last usable slot */
  CallInfo *ci;       /* the running call */
  CallInfo base_ci;
  CallInfo calls[TL_MAX_CALLS];
  int ncalls;
  const tl_Reg *libs[TL_MAX_LIBS];
  int nlibs;
  long long steps;
  char status;
  TValue stack[TL_STACK_SIZE];
};

#define setivalue(obj, x)                                                      \
  {                                                                            \
    TValue *io_ = (obj);                                                       \
    io_->u.i = (x);                                                            \
    io_->tag = TV_INT;                                                         \
  }
#define setsvalue(obj, x)                                                      \
  {                                                                            \
    TValue *io_ = (obj);                                                       \
    io_->u.s = (x);                                                            \
    io_->tag = TV_STR;                                                         \
  }

/* Character classes (tctype.c), indexed by c + 1 so that -1 (end of
 * input) has a slot, as Lua's luai_ctype_. */
extern const unsigned char tl_ctype_[257];
#define TL_ALPHA 1
#define TL_DIGIT 2
#define TL_SPACE 4
#define tl_isdigit(c) (tl_ctype_[(c) + 1] & TL_DIGIT)
#define tl_isspace(c) (tl_ctype_[(c) + 1] & TL_SPACE)
#define tl_isalpha(c) (tl_ctype_[(c) + 1] & TL_ALPHA)

int tl_precallC(tl_State *L, TValue *func, int nresults, tl_CFunction f);
int tlV_execute(tl_State *L, CallInfo *ci);

#endif
