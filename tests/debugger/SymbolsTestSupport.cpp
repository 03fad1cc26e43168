// Helpers for the symbols unit tests (see SymbolsTestSupport.h).
#include "SymbolsTestSupport.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>

namespace wasmscope::debugger::test {

std::string dataPath(const std::string &name) {
  return std::string(SYMBOLS_TEST_DATA) + "/" + name;
}
std::string sourcePath(const std::string &name) {
  return std::string(SYMBOLS_TEST_SOURCES) + "/" + name;
}

std::vector<uint8_t> readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), {});
}

Loaded loadBytes(std::vector<uint8_t> bytes) {
  Loaded out;
  auto decoded = runtime::decodeModule(bytes);
  if (!decoded) {
    ADD_FAILURE() << "decode failed: " << decoded.error().describe();
    return out;
  }
  out.module = std::make_unique<runtime::Module>(std::move(decoded).value());
  auto symbols = ModuleSymbols::load(*out.module, &out.warnings);
  if (!symbols) {
    ADD_FAILURE() << "load failed: " << symbols.error().describe();
    return out;
  }
  out.symbols = std::move(symbols).value();
  return out;
}

Loaded loadModule(const std::string &name) {
  auto bytes = readFile(dataPath(name));
  if (bytes.empty()) {
    ADD_FAILURE() << "missing test module " << dataPath(name);
    return {};
  }
  return loadBytes(std::move(bytes));
}

uint32_t lineOf(const std::string &source, const std::string &text) {
  std::ifstream in(sourcePath(source));
  std::string line;
  for (uint32_t n = 1; std::getline(in, line); ++n)
    if (line.find(text) != std::string::npos)
      return n;
  ADD_FAILURE() << "'" << text << "' not in " << source;
  return 0;
}

namespace {

void putUleb(std::vector<uint8_t> &out, uint64_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    out.push_back(uint8_t(b | (v ? 0x80 : 0)));
  } while (v);
}

uint64_t getUleb(const std::vector<uint8_t> &in, size_t &pos) {
  uint64_t v = 0;
  for (unsigned shift = 0; pos < in.size(); shift += 7) {
    uint8_t b = in[pos++];
    v |= uint64_t(b & 0x7f) << shift;
    if (!(b & 0x80))
      break;
  }
  return v;
}

} // namespace

std::vector<uint8_t> rewriteCustomSections(
    const std::vector<uint8_t> &bytes,
    const std::function<std::optional<std::vector<uint8_t>>(const std::string &name,
                                                            std::vector<uint8_t> contents)> &edit) {
  // The module header (magic, version), then sections: id, size, contents
  // (spec 5.5.2); a custom section's contents start with its name.
  std::vector<uint8_t> out(bytes.begin(), bytes.begin() + 8);
  size_t pos = 8;
  while (pos < bytes.size()) {
    uint8_t id = bytes[pos++];
    uint64_t size = getUleb(bytes, pos);
    size_t end = pos + size_t(size);
    if (id != 0) {
      out.push_back(id);
      putUleb(out, size);
      out.insert(out.end(), bytes.begin() + long(pos), bytes.begin() + long(end));
    } else {
      size_t p = pos;
      uint64_t nameLen = getUleb(bytes, p);
      std::string name(bytes.begin() + long(p), bytes.begin() + long(p + nameLen));
      p += nameLen;
      auto contents =
          edit(name, std::vector<uint8_t>(bytes.begin() + long(p), bytes.begin() + long(end)));
      if (contents) {
        std::vector<uint8_t> body;
        putUleb(body, name.size());
        body.insert(body.end(), name.begin(), name.end());
        body.insert(body.end(), contents->begin(), contents->end());
        out.push_back(0);
        putUleb(out, body.size());
        out.insert(out.end(), body.begin(), body.end());
      }
    }
    pos = end;
  }
  return out;
}

bool FakeFrame::readMemory(uint64_t address, std::span<uint8_t> out) const {
  if (address > memory.size() || memory.size() - address < out.size())
    return false;
  std::memcpy(out.data(), memory.data() + address, out.size());
  return true;
}

} // namespace wasmscope::debugger::test
