// Shared helpers of the symbols unit tests: loading the test modules built
// from data/ and a FrameAccess over plain vectors.
#pragma once

#include "wasmscope/runtime/Decoder.h"
#include "wasmscope/symbols/Symbols.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wasmscope::debugger::test {

/// A decoded module and its symbols, kept together (symbols point into it).
struct Loaded {
  std::unique_ptr<runtime::Module> module;
  std::unique_ptr<ModuleSymbols> symbols;
  std::vector<SymbolWarning> warnings;
};

/// Path of a module built from data/ ("structs.O0.wasm").
std::string dataPath(const std::string &name);
/// Path of a test source in data/ ("structs.c").
std::string sourcePath(const std::string &name);
std::vector<uint8_t> readFile(const std::string &path);
/// Decodes and loads; fails the current test (and returns empty) on error.
Loaded loadBytes(std::vector<uint8_t> bytes);
Loaded loadModule(const std::string &name);
/// 1-based line of the first line of `source` containing `text`.
uint32_t lineOf(const std::string &source, const std::string &text);

/// Rewrites a module's custom sections: `edit` gets each one's name and
/// contents and returns the new contents, or nullopt to drop the section.
std::vector<uint8_t> rewriteCustomSections(
    const std::vector<uint8_t> &bytes,
    const std::function<std::optional<std::vector<uint8_t>>(const std::string &name,
                                                            std::vector<uint8_t> contents)> &edit);

/// Frame state as plain maps; memory is a byte vector from address 0.
class FakeFrame : public FrameAccess {
public:
  std::map<uint32_t, uint64_t> locals, globals, stack;
  std::vector<uint8_t> memory;

  std::optional<uint64_t> local(uint32_t i) const override { return find(locals, i); }
  std::optional<uint64_t> global(uint32_t i) const override { return find(globals, i); }
  std::optional<uint64_t> operandStack(uint32_t i) const override { return find(stack, i); }
  bool readMemory(uint64_t address, std::span<uint8_t> out) const override;

private:
  static std::optional<uint64_t> find(const std::map<uint32_t, uint64_t> &m, uint32_t i) {
    auto it = m.find(i);
    return it == m.end() ? std::nullopt : std::optional<uint64_t>(it->second);
  }
};

} // namespace wasmscope::debugger::test
