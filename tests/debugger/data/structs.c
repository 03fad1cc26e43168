// Test input for the symbols library: structs, unions, enums, arrays,
// bitfields, typedefs, function pointers, lexical scopes and a trap.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum color { RED, GREEN = 5, BLUE = -1 };

typedef struct point {
  int x;
  int y;
} point_t;

struct flags {
  unsigned a : 3;
  unsigned b : 5;
  signed c : 7;
  uint8_t tail;
};

union number {
  int32_t i;
  float f;
  uint8_t bytes[4];
};

struct node {
  int value;
  struct node *next;
  const char *label;
  point_t pos;
  enum color color;
  double grid[2][3];
  int (*callback)(int);
  volatile int counter;
};

static int twice(int v) { return v * 2; }

struct node *make_list(int n) {
  struct node *head = NULL;
  for (int i = 0; i < n; ++i) {
    struct node *item = malloc(sizeof *item);
    item->value = i;
    item->next = head;
    item->label = "item";
    item->pos.x = i;
    item->pos.y = -i;
    item->color = (enum color)(i % 2 ? GREEN : BLUE);
    item->callback = twice;
    item->counter = 0;
    head = item;
  }
  return head;
}

int sum_list(const struct node *head) {
  int total = 0;
  while (head) {
    total += head->callback(head->value);
    head = head->next;
  }
  return total;
}

int scopes(int a) {
  int result = a;
  {
    int inner = a + 1;
    result += inner;
    {
      int inner2 = inner * 3;
      result -= inner2;
    }
  }
  if (a > 3) {
    int branch = a - 3;
    result *= branch;
  }
  return result;
}

int divide(int a, int b) {
  return a / b;
}

int main(int argc, char **argv) {
  struct flags fl = {1, 2, -3, 4};
  union number num;
  num.f = 1.5f;
  struct node *list = make_list(argc + 4);
  int total = sum_list(list);
  printf("%d %d %u %d\n", total, scopes(total), fl.b, num.i);
  if (argc > 5)
    return divide(total, argc - 6);
  return 0;
}
