// The statistic the benchmark programs report for repeated runs: the
// median, which one run disturbed by the shared machine cannot move far.
#pragma once

#include <algorithm>
#include <vector>

namespace wasmscope::bench {

/// The median of `values` (the mean of the middle two for an even count);
/// 0 when there are none.
inline double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n == 0 ? 0 : n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

} // namespace wasmscope::bench
