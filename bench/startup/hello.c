/* The start-up benchmark's guest: the smallest real WASI program. */
#include <stdio.h>

int main(void) {
  puts("hello, world");
  return 0;
}
