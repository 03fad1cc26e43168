/* tctype.c: the character-class table, as Lua's lctype.c: 257 bytes, the
 * first for end of input (-1), so it starts with a zero byte and is no
 * string. */
#include "tstate.h"

#define A TL_ALPHA
#define D TL_DIGIT
#define S TL_SPACE

const unsigned char tl_ctype_[257] = {
    0, /* -1: end of input */
    /* 0x00 - 0x0f */
    0, 0, 0, 0, 0, 0, 0, 0, 0, S, S, S, S, S, 0, 0,
    /* 0x10 - 0x1f */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* 0x20 - 0x2f */
    S, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* 0x30 - 0x3f */
    D, D, D, D, D, D, D, D, D, D, 0, 0, 0, 0, 0, 0,
    /* 0x40 - 0x4f */
    0, A, A, A, A, A, A, A, A, A, A, A, A, A, A, A,
    /* 0x50 - 0x5f */
    A, A, A, A, A, A, A, A, A, A, A, 0, 0, 0, 0, A,
    /* 0x60 - 0x6f */
    0, A, A, A, A, A, A, A, A, A, A, A, A, A, A, A,
    /* 0x70 - 0x7f */
    A, A, A, A, A, A, A, A, A, A, A, 0, 0, 0, 0, 0,
    /* 0x80 - 0xff: not classified */
};
