/* Heap profiler test program: a known sequence of allocator calls through
 * every C entry point, a user allocator wrapping malloc, a peak of ten
 * blocks from one line, and one block never freed. The unit tests check the
 * profiler's counts, sizes, sites and peak against this source. */
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) void *my_alloc(size_t n) {
  return malloc(n); /* nested: counted once, at my_alloc with --allocator */
}

__attribute__((noinline)) void my_free(void *p) { free(p); }

static void *volatile sink;

int main(void) {
  void *blocks[10];
  for (int i = 0; i < 10; ++i)
    blocks[i] = malloc(16 * (i + 1)); /* HEAP_PEAK_LINE: 880 bytes live at the peak */
  for (int i = 0; i < 10; ++i)
    free(blocks[i]);
  int *c = calloc(25, 4);
  c = realloc(c, 200);
  void *al = aligned_alloc(64, 128);
  void *pm = 0;
  if (posix_memalign(&pm, 32, 48) != 0)
    return 1;
  void *u = my_alloc(40);
  memset(c, 1, 200);
  free(c);
  free(al);
  free(pm);
  my_free(u);
  sink = malloc(33); /* still reachable: a global points at it */
  sink = 0;          /* ...until here: definitely lost */
  return 0;
}
