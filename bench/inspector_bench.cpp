// Frame times of the inspector's memory views at scale: a synthetic memory
// profile with N live allocations (default 1,000,000) spread over a linear
// memory of M bytes (default 1 GiB), a tenth of them leaked, from a few
// hundred allocation sites, with a log of every allocation and as many
// frees. Renders F frames of the Memory (whole memory, then zoomed in on
// one block), Allocations and Heap timeline views headless (run it under
// Xvfb: xvfb-run -a build/bench/inspector_bench) and prints the mean and
// maximum frame time of each, whole (with OpenGL rendering and glFinish)
// and the views' CPU part. The goal is under 16 ms a frame.
//
//   inspector_bench [--blocks N] [--memory BYTES] [--frames F] [--size WxH]
#include "wasmscope/gui/FrameBench.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <string>

using namespace wasmscope;
using namespace wasmscope::profiler;

namespace {

/// A profile whose memory part looks like a long-running server's.
std::shared_ptr<const Profile> synthesize(uint64_t blocks, uint64_t memoryBytes, uint32_t sites) {
  Profile p;
  p.files = {"/src/server.c"};
  for (const char *name : {"__main_argc_argv", "malloc", "calloc"}) {
    Frame f;
    f.name = name;
    p.frames.push_back(f);
  }
  // Sites: main -> handler_i -> malloc (calloc for every third).
  MemoryProfile m;
  m.stacks.push_back({});
  m.stacks.push_back({0, 0, UINT32_MAX, 100});
  std::vector<AllocStackId> siteStacks;
  for (uint32_t s = 0; s < sites; ++s) {
    Frame f;
    f.name = "handler_" + std::to_string(s);
    f.file = 0;
    f.line = 10 + s;
    p.frames.push_back(f);
    LineStats line;
    line.chain = {{FrameId(p.frames.size() - 1), 0, 20 + s}};
    p.lines.push_back(line);
    m.stacks.push_back({1, uint32_t(p.frames.size() - 1), uint32_t(p.lines.size() - 1), 200 + s});
    m.stacks.push_back({AllocStackId(m.stacks.size() - 1), s % 3 ? 1u : 2u, UINT32_MAX, 0});
    siteStacks.push_back(AllocStackId(m.stacks.size() - 1));
  }
  std::mt19937_64 random(42);
  uint64_t heapBase = 1 << 20;
  uint64_t spacing = (memoryBytes - heapBase) / (blocks * 2); // A freed block between live ones.
  uint64_t time = 1000;
  std::map<std::pair<AllocStackId, int>, uint32_t> records;
  m.log.capacity = blocks * 3;
  for (uint64_t i = 0; i < blocks; ++i) {
    AllocStackId stack = siteStacks[random() % sites];
    uint32_t size = uint32_t(16 + random() % std::max<uint64_t>(1, spacing - 16));
    uint32_t address = uint32_t(heapBase + i * 2 * spacing);
    uint32_t freedAddress = address + uint32_t(spacing);
    HeapBlock live{address, size, stack, time, i * 2};
    m.log.events.push_back({HeapEventKind::Alloc, time++, address, size, stack});
    m.log.events.push_back({HeapEventKind::Alloc, time++, freedAddress, size, stack});
    m.log.events.push_back({HeapEventKind::Free, time++, freedAddress, size, stack});
    m.allocations += 2;
    m.frees += 1;
    m.allocatedBytes += 2 * uint64_t(size);
    CheckedBlock c;
    c.block = live;
    c.kind = random() % 10 == 0 ? LeakKind::DefinitelyLost : LeakKind::StillReachable;
    auto [it, fresh] = records.try_emplace({stack, int(c.kind)}, uint32_t(m.lossRecords.size()));
    if (fresh) {
      LossRecord r;
      r.kind = c.kind;
      r.stack = stack;
      m.lossRecords.push_back(r);
    }
    LossRecord &r = m.lossRecords[it->second];
    ++r.blocks;
    r.bytes += size;
    r.members.push_back(uint32_t(m.checked.size()));
    c.lossRecord = it->second;
    m.checked.push_back(c);
    m.peak.live.push_back(live);
    m.peak.bytes += size;
  }
  m.log.recorded = m.log.events.size();
  m.peak.blocks = blocks;
  m.peak.time = time - 1;
  m.endTime = m.exitTime = m.checkTime = time + 1000;
  m.leakChecked = true;
  for (uint32_t pages = 16; pages < memoryBytes / 65536; pages *= 2)
    m.grows.push_back({pages * 1000ull, pages, std::min<uint32_t>(pages, uint32_t(memoryBytes / 65536) - pages), false, siteStacks[0]});
  p.memory = std::move(m);
  return std::make_shared<const Profile>(std::move(p));
}

} // namespace

int main(int argc, char **argv) {
  uint64_t blocks = 1000000;
  uint64_t memoryBytes = uint64_t(1) << 30;
  gui::FrameBenchOptions options;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--blocks")
      blocks = std::strtoull(argv[i + 1], nullptr, 10);
    else if (flag == "--memory")
      memoryBytes = std::strtoull(argv[i + 1], nullptr, 10);
    else if (flag == "--frames")
      options.frames = std::atoi(argv[i + 1]);
    else if (flag == "--size")
      std::sscanf(argv[i + 1], "%dx%d", &options.width, &options.height);
    else {
      std::fprintf(stderr, "inspector_bench: unknown option %s\n", flag.c_str());
      return 2;
    }
  }
  if (blocks == 0 || memoryBytes < (uint64_t(4) << 20) || memoryBytes > (uint64_t(4) << 30) ||
      (memoryBytes - (1 << 20)) / (blocks * 2) < 24) {
    std::fprintf(stderr, "inspector_bench: --memory must be 4 MiB..4 GiB with room for the blocks\n");
    return 2;
  }
  auto started = std::chrono::steady_clock::now();
  auto profile = synthesize(blocks, memoryBytes, 300);
  double synthMs =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  MemoryLayout layout;
  layout.staticBegin = 1024;
  layout.staticEnd = 600 * 1024;
  layout.stackLimit = 600 * 1024;
  layout.stackBase = 1 << 20;
  options.zoomTo = profile->memory->checked[blocks / 2].block.address;
  auto times = gui::benchmarkFrames(profile, layout, options);
  if (!times.ok()) {
    std::fprintf(stderr, "inspector_bench: %s\n", times.error().message.c_str());
    return 1;
  }
  std::printf("inspector_bench: %llu live blocks (%llu events) over %.0f MiB, %dx%d, %d frames a view\n",
              (unsigned long long)blocks, (unsigned long long)profile->memory->log.events.size(),
              double(memoryBytes) / double(1 << 20), options.width, options.height, options.frames);
  std::printf("synthesis %.0f ms; view models built in %.0f ms (once per profile); a scrub "
              "(replay the live set, rebuild map and table) %.0f ms\n",
              synthMs, times->empty() ? 0.0 : (*times)[0].modelMs,
              times->empty() ? 0.0 : (*times)[0].scrubMs);
  std::printf("%-18s %10s %10s %12s %12s\n", "view", "mean ms", "max ms", "cpu mean ms", "cpu max ms");
  for (const gui::FrameTimes &t : *times)
    std::printf("%-18s %10.2f %10.2f %12.2f %12.2f\n", t.view.c_str(), t.meanMs, t.maxMs, t.meanCpuMs,
                t.maxCpuMs);
  return 0;
}
