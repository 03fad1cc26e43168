// A WASI guest that exits with the status given as its first argument
// (through proc_exit), or returns 0 from main when given none.
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  printf("exiting\n");
  if (argc > 1)
    exit(atoi(argv[1]));
  return 0;
}
