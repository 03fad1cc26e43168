// What interp_bench runs: each workload's command lines for the three
// runners (native, wasmscope, node), at the benchmark's size and at the
// small size the checksum tests use. Two sets: "programs" (WASI commands
// that behave like real services, bench/programs/) and "kernels" (tiny C
// kernels without libc, bench/kernels/).
#pragma once

#include <string>
#include <vector>

namespace wasmscope::bench {

enum class RunnerKind { Native, Wasmscope, Node };

struct Workload {
  std::string set;  ///< "programs" or "kernels".
  std::string name;
  /// The command for `runner`, at the small size if `small`.
  std::vector<std::string> command(RunnerKind runner, bool small) const;
};

/// The names of the sets, in the order they are reported.
const std::vector<std::string>& workloadSets();
/// Every workload of `set`, in a fixed order; empty for an unknown set.
std::vector<Workload> workloadsOf(const std::string& set);
/// The node executable baked in at build time, or empty if there is none.
std::string nodePath();
/// wasmscope's path, for the report.
std::string wasmscopePath();

} // namespace wasmscope::bench
