// Maps the session's 64-bit frame ids and variables references onto the
// 31-bit positive integers DAP allows (`format: int32`). The session encodes
// a stop counter in its handles, so after a hundred or so stops they no
// longer fit; the adapter hands out small numbers instead. The table is
// cleared at every stop (the session's handles are invalid after a resume
// anyway), and numbers keep increasing across clears, so a stale client
// handle is reported as unknown rather than aliasing a new one.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace wasmscope::dap {

class HandleTable {
public:
  /// The client's number for `handle` (0 stays 0: "no children").
  int64_t toClient(int64_t handle) {
    if (handle == 0)
      return 0;
    std::lock_guard lock(m_mutex);
    auto [it, inserted] = m_toClient.try_emplace(handle, 0);
    if (inserted) {
      it->second = m_next;
      m_fromClient[m_next] = handle;
      m_next = m_next == INT32_MAX ? 1 : m_next + 1;
    }
    return it->second;
  }

  /// The session's handle for a client number, if it is current.
  std::optional<int64_t> fromClient(int64_t number) const {
    std::lock_guard lock(m_mutex);
    auto it = m_fromClient.find(number);
    if (it == m_fromClient.end())
      return std::nullopt;
    return it->second;
  }

  void clear() {
    std::lock_guard lock(m_mutex);
    m_toClient.clear();
    m_fromClient.clear();
  }

private:
  mutable std::mutex m_mutex;
  std::unordered_map<int64_t, int64_t> m_toClient;
  std::unordered_map<int64_t, int64_t> m_fromClient;
  int64_t m_next = 1;
};

} // namespace wasmscope::dap
