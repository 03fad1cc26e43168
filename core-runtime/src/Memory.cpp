// Linear memories and tables (spec 4.2.8, 4.2.9). A memory reserves address
// space for its largest size once and commits pages as it grows, so its base
// address is stable for the interpreter and for a debugger's views.
#include "wasmscope/runtime/Instance.h"

#include <sys/mman.h>

#include <algorithm>

namespace wasmscope::runtime {

Result<std::unique_ptr<MemoryInstance>> MemoryInstance::create(const MemoryType& type,
                                                               uint64_t limitPages) {
  auto m = std::make_unique<MemoryInstance>();
  m->type = type;
  uint64_t typeMax = std::min<uint64_t>(type.limits.max.value_or(kMaxPages), kMaxPages);
  if (type.limits.min > typeMax)
    return Error(ErrorCode::MemorySizeTooLarge);
  if (type.limits.min > limitPages)
    return Error(ErrorCode::MemoryLimitExceeded);
  m->maxPages = std::min(typeMax, limitPages);
  m->reserved = m->maxPages * kPageSize;
  if (m->reserved) {
    void* p = mmap(nullptr, m->reserved, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
      return Error(ErrorCode::MemoryLimitExceeded, "memory limit exceeded: cannot reserve address space");
    m->data = static_cast<uint8_t*>(p);
  }
  if (m->grow(type.limits.min) < 0)
    return Error(ErrorCode::MemoryLimitExceeded, "memory limit exceeded: cannot commit initial pages");
  return m;
}

MemoryInstance::~MemoryInstance() {
  if (data)
    munmap(data, reserved);
}

int64_t MemoryInstance::grow(uint64_t delta) {
  uint64_t old = pages();
  if (delta > maxPages - old)
    return -1;
  if (delta == 0)
    return int64_t(old);
  uint64_t newSize = (old + delta) * kPageSize;
  if (mprotect(data + size, newSize - size, PROT_READ | PROT_WRITE) != 0)
    return -1;
  size = newSize;
  return int64_t(old);
}

int64_t TableInstance::grow(uint64_t delta, uint64_t init) {
  // The store's table-element limit (Store::growTable) bounds what the host
  // allocates; here only the type's maximum applies.
  uint64_t old = elems.size();
  uint64_t max = std::min<uint64_t>(type.limits.max.value_or(kMaxTableSize), kMaxTableSize);
  if (delta > max - old)
    return -1;
  elems.resize(old + delta, init);
  return int64_t(old);
}

} // namespace wasmscope::runtime
