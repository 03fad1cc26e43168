/* Quicksort of pseudo-random 32-bit ints (median of three, Hoare partition,
 * insertion sort below a cutoff, recursion on the smaller side only):
 * unpredictable branches, i32 loads and stores, and calls. */
#include "kernel.h"

#define MAX_COUNT (4 * 1024 * 1024)
#define INSERTION_CUTOFF 16

static int g_data[MAX_COUNT];

static void insertionSort(int* a, int lo, int hi) {
  for (int i = lo + 1; i <= hi; ++i) {
    int v = a[i];
    int j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      --j;
    }
    a[j + 1] = v;
  }
}

static inline void swap(int* a, int i, int j) {
  int t = a[i];
  a[i] = a[j];
  a[j] = t;
}

static void quickSort(int* a, int lo, int hi) {
  while (hi - lo > INSERTION_CUTOFF) {
    int mid = lo + (hi - lo) / 2;
    if (a[mid] < a[lo])
      swap(a, mid, lo);
    if (a[hi] < a[lo])
      swap(a, hi, lo);
    if (a[hi] < a[mid])
      swap(a, hi, mid);
    int pivot = a[mid];
    int i = lo - 1, j = hi + 1;
    for (;;) {
      do
        ++i;
      while (a[i] < pivot);
      do
        --j;
      while (a[j] > pivot);
      if (i >= j)
        break;
      swap(a, i, j);
    }
    if (j - lo < hi - j) {
      quickSort(a, lo, j);
      lo = j + 1;
    } else {
      quickSort(a, j + 1, hi);
      hi = j;
    }
  }
  insertionSort(a, lo, hi);
}

static long long kernel(int n) {
  if (n > MAX_COUNT)
    n = MAX_COUNT;
  u32 seed = 2463534242u;
  for (int i = 0; i < n; ++i)
    g_data[i] = (int)nextRandom(&seed);
  quickSort(g_data, 0, n - 1);
  u64 sum = 1469598103934665603ull;
  for (int i = 1; i < n; ++i)
    if (g_data[i - 1] > g_data[i])
      return -1;
  int step = n / 4096 + 1;
  for (int i = 0; i < n; i += step)
    sum = mixChecksum(sum, (u32)g_data[i]);
  return (long long)(sum >> 1);
}

KERNEL_ENTRY(2000000, 20000)
