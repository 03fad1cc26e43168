// Leak-check test program for memcheck's interior-pointer heuristics: blocks
// that only an interior pointer reaches, but whose layout explains it, are
// "still reachable via heuristic" (newarray: new[] of objects with a
// destructor, pointed to past the array cookie; multipleinheritance: a
// pointer to a second base's subobject), while an interior pointer no
// heuristic explains leaves its block possibly lost. The Valgrind oracle
// (valgrind_oracle.py) runs it natively under memcheck and under wasmscope.
#include <cstdio>
#include <cstring>
#include <new>
#include <string>

struct Item {
  int id = 0;
  ~Item() { std::printf("~Item %d\n", id); }
};

struct Named {
  virtual ~Named() {}
  int a = 1;
};
struct Counted {
  virtual ~Counted() {}
  int count = 2;
};
struct Both : Named, Counted {
  int c = 3;
};

Item *g_items;     // past the cookie: newarray
Counted *g_second; // the Counted subobject of a Both: multipleinheritance
std::string *g_text;
char *g_middle;    // 10 bytes into a character buffer: possibly lost

int main() {
  g_items = new Item[5];       // HEURISTIC_NEWARRAY
  g_second = new Both;         // HEURISTIC_MULTIPLE
  g_text = new std::string(100, 'x');
  char *buffer = new char[64]; // HEURISTIC_NONE
  std::memset(buffer, 'y', 64);
  g_middle = buffer + 10;
  std::printf("%d %d %zu %c\n", g_items[0].id, g_second->count, g_text->size(), *g_middle);
  return 0;
}
