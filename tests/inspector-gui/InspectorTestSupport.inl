// Template definitions for InspectorTestSupport.h.
#include <thread>

namespace wasmscope::gui::test {

template <typename T>
std::optional<debugger::Event> waitFor(LiveRun& run, std::chrono::milliseconds timeout,
                                       std::vector<debugger::Event>* skipped) {
  static thread_local std::vector<debugger::Event> backlog;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    for (auto& event : run.takeEvents())
      backlog.push_back(std::move(event));
    while (!backlog.empty()) {
      debugger::Event event = std::move(backlog.front());
      backlog.erase(backlog.begin());
      if (event.is<T>())
        return event;
      if (skipped)
        skipped->push_back(std::move(event));
    }
    if (std::chrono::steady_clock::now() > deadline)
      return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

} // namespace wasmscope::gui::test
