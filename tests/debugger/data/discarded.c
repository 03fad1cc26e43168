// Test input: code and data the linker removes. wasm-ld drops functions and
// data nothing refers to; their debug info stays, with tombstone addresses.
// The struct of a discarded function's static table is still referred to
// from unit level (clang puts the table's array type there).
#include <stdio.h>

int discarded_counter = 7; // Never referred to: removed.
static const char kept_banner[] = "kept";
int kept_total;

int discarded_function(int k) {
  static const struct {
    const char *name;
    int value;
  } table[] = {{"a", 1}, {"b", 2}};
  struct local {
    int x, y;
  } l = {k, k};
  return l.x + table[k & 1].value;
}

int main(void) {
  kept_total += (int)sizeof kept_banner;
  printf("%s %d\n", kept_banner, kept_total);
  return 0;
}
