// Shared helpers of the WASI tests: loading a test guest (built from
// tests/core-runtime/wasi/ into WASI_TEST_GUEST_DIR), running it under a
// WasiContext with captured output, and temporary directory trees with a
// snapshot that shows whether anything in them changed.
#pragma once

#include "wasmscope/runtime/Compiler.h"
#include "wasmscope/runtime/Store.h"
#include "wasmscope/runtime/Wasi.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#ifndef WASI_TEST_GUEST_DIR
#define WASI_TEST_GUEST_DIR ""
#endif

namespace wasmscope::runtime::wasitest {

namespace fs = std::filesystem;

inline std::string guestPath(const std::string& name) {
  return std::string(WASI_TEST_GUEST_DIR) + "/" + name + ".wasm";
}

inline bool guestAvailable(const std::string& name) { return fs::exists(guestPath(name)); }

#define SKIP_WITHOUT_GUEST(name)                                                          \
  do {                                                                                    \
    if (!::wasmscope::runtime::wasitest::guestAvailable(name))                            \
      GTEST_SKIP() << "test guest " << name << ".wasm not built (wat2wasm or clang-19 missing)"; \
  } while (0)

/// One guest instance under WASI, with stdout and stderr captured.
class WasiGuest {
public:
  WasiGuest(const std::string& name, WasiConfig config) {
    config.output = [this](int fd, std::string_view bytes) {
      (fd == 1 ? out : err).append(bytes);
    };
    if (config.args.empty())
      config.args.push_back(name);
    m_context = std::make_unique<WasiContext>(std::move(config));
    std::ifstream in(guestPath(name), std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
    auto module = loadModule(bytes);
    if (!module.ok()) {
      loadError = "load: " + module.error().describe();
      return;
    }
    Linker linker;
    if (auto r = m_context->define(store, linker); !r.ok()) {
      loadError = "wasi: " + r.error().describe();
      return;
    }
    auto inst = store.instantiate(*module, linker, name);
    if (!inst.ok()) {
      loadError = "instantiate: " + inst.error().describe();
      return;
    }
    instance = *inst;
  }

  bool ok() const { return instance != nullptr; }
  WasiContext& context() { return *m_context; }

  /// Runs _start; the exit status, or the error text prefixed with "error: ".
  Result<uint32_t> run() { return m_context->runStart(store, *instance); }

  /// Invokes an export taking nothing and returning an i32 errno.
  Result<uint32_t> call(const std::string& name) {
    FunctionInstance* f = instance->findFunction(name);
    if (!f)
      return Error(ErrorCode::InvalidArgument, "no export " + name);
    auto r = store.invoke(*f, {});
    if (!r.ok())
      return std::move(r).error();
    if (r->empty())
      return 0u;
    return (*r)[0].asI32();
  }

  Store store;
  Instance* instance = nullptr;
  std::string loadError;
  std::string out;
  std::string err;

private:
  std::unique_ptr<WasiContext> m_context;
};

/// A fresh directory under the system temp dir, removed with its contents.
class TempDir {
public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "wasmscope-wasi-XXXXXX").string();
    char* made = ::mkdtemp(tmpl.data());
    if (made)
      m_path = made;
  }
  ~TempDir() {
    std::error_code ec;
    if (!m_path.empty())
      fs::remove_all(m_path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return m_path; }

private:
  fs::path m_path;
};

inline void writeFile(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

inline std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Everything observable about a tree, without following symlinks: each
/// entry's type, size, link count, mtime and ctime in ns, and its contents
/// or link target. Two equal snapshots mean nothing was read-modified,
/// created, removed, renamed, linked or touched.
inline std::map<std::string, std::string> snapshotTree(const fs::path& root) {
  std::map<std::string, std::string> out;
  auto describe = [](const fs::path& p) {
    struct stat st;
    if (::lstat(p.c_str(), &st) != 0)
      return std::string("missing");
    std::ostringstream s;
    s << "mode=" << std::oct << st.st_mode << std::dec << " size=" << st.st_size
      << " nlink=" << st.st_nlink << " mtime=" << st.st_mtim.tv_sec << "." << st.st_mtim.tv_nsec
      << " ctime=" << st.st_ctim.tv_sec << "." << st.st_ctim.tv_nsec;
    if (S_ISREG(st.st_mode)) {
      std::ifstream in(p, std::ios::binary);
      s << " data=" << in.rdbuf();
    } else if (S_ISLNK(st.st_mode)) {
      s << " target=" << fs::read_symlink(p).string();
    }
    return s.str();
  };
  out["."] = describe(root);
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it)
    out[fs::relative(it->path(), root).string()] = describe(it->path());
  return out;
}

/// Splits guest output into lines.
inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    out.push_back(line);
  return out;
}

} // namespace wasmscope::runtime::wasitest
