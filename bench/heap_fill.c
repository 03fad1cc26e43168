/* heap_fill: fills about 64 MiB of linear memory with a linked structure
 * of 4 KiB heap blocks (each pointing at the next, the chain reachable from
 * a global; every eighth block's pointer dropped, so the leak check has
 * lost blocks and interior structure to classify), then exits. profile_bench
 * --memory times the leak check at exit on it: the goal is under 50 ms per
 * 64 MiB. usage: heap_fill [MiB] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct block {
  struct block *next;
  char payload[4096 - sizeof(struct block *)];
};

static struct block *head;

int main(int argc, char **argv) {
  long mib = argc > 1 ? atol(argv[1]) : 64;
  long count = mib * 1024 * 1024 / (long)sizeof(struct block);
  struct block *tail = 0;
  for (long i = 0; i < count; ++i) {
    struct block *b = malloc(sizeof *b);
    if (!b)
      break;
    memset(b->payload, (int)i, sizeof b->payload);
    b->next = 0;
    if (i % 8 == 7) /* lost: nothing points at it */
      continue;
    if (tail)
      tail->next = b;
    else
      head = b;
    tail = b;
  }
  printf("filled %ld blocks\n", count);
  return 0;
}
