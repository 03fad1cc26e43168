// Helpers of the profiler tests (ProfilerTestSupport.h).
#include "ProfilerTestSupport.h"

#include "wasmscope/runtime/Store.h"
#include "wasmscope/runtime/Wasi.h"

#include <algorithm>
#include <filesystem>

namespace wasmscope::profiler::test {

using namespace wasmscope::runtime;
namespace fs = std::filesystem;

std::string programPath(const std::string &name, const std::string &opt) {
  return std::string(PROFILER_TEST_PROGRAMS) + "/" + name + "." + opt + ".wasm";
}

std::vector<TestModule> allModules() {
  std::vector<TestModule> out;
  auto add = [&](const std::string &dir, const std::string &prefix,
                 std::optional<std::string> invoke) {
    if (dir.empty() || !fs::is_directory(dir))
      return;
    std::vector<std::string> names;
    for (const auto &entry : fs::directory_iterator(dir))
      if (entry.path().extension() == ".wasm")
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    for (const std::string &n : names)
      out.push_back({prefix + n, dir + "/" + n, invoke, {}});
  };
  add(PROFILER_SAMPLES_DIR, "", std::nullopt);
  add(PROFILER_KERNELS_DIR, "kernel ", std::string("run_small"));
  add(PROFILER_TEST_PROGRAMS, "test program ", std::nullopt);
  // The real-program benchmarks, each at a size that runs for a moment
  // (tens of millions of instructions; scriptvm's smallest is 417 million).
  static const std::pair<const char*, const char*> kProgramSizes[] = {
      {"coremix", "4"}, {"jsondom", "1"},   {"lzhuff", "8"},
      {"minidb", "300"}, {"reqserver", "300"}, {"scriptvm", "1"}};
  for (const auto& [name, size] : kProgramSizes) {
    std::string path = std::string(PROFILER_BENCH_PROGRAMS) + "/" + name + ".wasm";
    if (fs::exists(path))
      out.push_back({std::string("benchmark ") + name, path, std::nullopt, {size}});
  }
  return out;
}

ProfiledRun profileModule(const TestModule &module, ProfilerOptions options,
                          std::function<void(Guest &)> beforeRun) {
  ProfiledRun result;
  LaunchSpec spec;
  spec.modulePath = module.path;
  spec.countBlocks = true;
  spec.deterministic = true;
  spec.stdinFd = -1;
  spec.args = module.args;
  spec.output = [&](int fd, std::string_view bytes) {
    if (fd == 1)
      result.stdoutText.append(bytes);
  };
  auto guest = loadGuest(std::move(spec));
  if (!guest.ok()) {
    result.profile = guest.error();
    return result;
  }
  auto profiler = Profiler::attach(**guest, std::move(options));
  if (!profiler.ok()) {
    result.profile = profiler.error();
    return result;
  }
  if (beforeRun)
    beforeRun(**guest);
  auto instance = (*guest)->instantiate();
  if (instance.ok()) {
    FunctionInstance *entry = (*instance)->findFunction(module.invoke.value_or("_start"));
    if (!entry) {
      result.runError = "no entry";
    } else {
      auto r = (*guest)->store().invoke(*entry, {});
      if (!r.ok() && !isProcExit(r.error()))
        result.runError = r.error().describe();
    }
  } else if (!isProcExit(instance.error())) {
    result.runError = instance.error().describe();
  }
  (*guest)->store().setGlobalProbe({});
  RunInfo run;
  run.entry = module.invoke.value_or("_start");
  result.profile = (*profiler)->finish(std::move(run));
  return result;
}

} // namespace wasmscope::profiler::test
