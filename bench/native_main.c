/* Native driver for one benchmark kernel: calls run(), or run_small() when
 * given the argument "small", and prints the checksum, exactly as
 * `wasmscope run --invoke run K.wasm` and run_node.mjs print theirs. */
#include <stdio.h>
#include <string.h>

long long run(void);
long long run_small(void);

int main(int argc, char** argv) {
  int small = argc > 1 && strcmp(argv[1], "small") == 0;
  long long checksum = small ? run_small() : run();
  printf("%lld\n", checksum);
  return 0;
}
