// See ExpressionHarness.h.
#include "ExpressionHarness.h"

#include "Evaluator.h"
#include "TypeFactory.h"
#include "ValueFormatter.h"

#include <cstring>
#include <deque>
#include <map>

namespace wasmscope::debugger::fuzz {

namespace {

/// The fake frame's types and variables, built once.
class FakeProgram {
public:
  static constexpr uint64_t kMemorySize = 64 * 1024;
  static constexpr uint64_t kList = 0x100;   ///< Three `struct node`s, in a ring.
  static constexpr uint64_t kGrid = 0x400;   ///< int[4][4]
  static constexpr uint64_t kText = 0x800;   ///< "hello"
  static constexpr uint64_t kSelf = 0xc00;   ///< struct self
  static constexpr uint64_t kCycle = 0x1000; ///< a value of the typedef cycle
  static constexpr uint64_t kDeep = 0x1100;  ///< the head of the deep chain

  FakeProgram() {
    const Type* i32 = add(base("int", 4, BaseEncoding::Signed));
    const Type* u8 = add(base("unsigned char", 1, BaseEncoding::UnsignedChar));
    const Type* ch = add(base("char", 1, BaseEncoding::SignedChar));

    Type* node = add(aggregate(TypeKind::Struct, "node", 16));
    Type* nodePtr = add(pointer(node));
    node->members = {member("value", i32, 0), member("next", nodePtr, 4),
                     member("label", add(pointer(ch)), 8), bitfield("flags", i32, 12, 3, 0),
                     bitfield("mode", i32, 12, 5, 3)};
    Type* nodeT = add(typedefOf("node_t", node));

    Type* row = add(arrayOf(i32, {4}));
    Type* grid = add(arrayOf(row, {4}));
    Type* flat = add(arrayOf(i32, {4, 4}));

    // typedef a_t b_t; typedef b_t a_t;
    Type* a = add(typedefOf("a_t", nullptr));
    Type* b = add(typedefOf("b_t", a));
    a->target = b;

    // An enum whose underlying type leads back to the enum itself.
    Type* loopEnum = add(aggregate(TypeKind::Enum, "loop", 0));
    loopEnum->target = add(typedefOf("loop_t", loopEnum));
    loopEnum->enumerators = {{"ONE", 1}, {"TWO", 2}};

    // struct self { int x; struct self; } (the member is anonymous), twice.
    Type* self = add(aggregate(TypeKind::Struct, "self", 8));
    self->members = {member("x", i32, 0), member("", self, 4), member("", self, 4)};

    // An array whose element is itself, with a huge count.
    Type* selfArray = add(arrayOf(nullptr, {uint64_t(1) << 40}));
    selfArray->target = selfArray;

    // int (*)(f *, f *) where f is this very function type.
    Type* fn = add(aggregate(TypeKind::Subroutine, "", 0));
    Type* fnPtr = add(pointer(fn));
    fn->target = i32;
    fn->parameters = {fnPtr, fnPtr, fnPtr};

    // int ****...* 3000 levels deep.
    const Type* deep = i32;
    for (int i = 0; i < 3000; ++i)
      deep = add(pointer(deep));

    types = {{"node_t", nodeT}, {"struct node", node}, {"a_t", a},    {"b_t", b},
             {"enum loop", loopEnum}, {"struct self", self}, {"loop_t", loopEnum->target}};
    variables = {
        {"x", EvalValue::ofBytes(i32, {42, 0, 0, 0})},
        {"c", EvalValue::ofBytes(u8, {'A'})},
        {"head", EvalValue::memory(nodePtr, 0x80)},
        {"list", EvalValue::memory(node, kList)},
        {"grid", EvalValue::memory(grid, kGrid)},
        {"flat", EvalValue::memory(flat, kGrid)},
        {"text", EvalValue::memory(add(arrayOf(ch, {6})), kText)},
        {"cyc", EvalValue::memory(a, kCycle)},
        {"en", EvalValue::ofBytes(loopEnum, {2, 0, 0, 0})},
        {"self", EvalValue::memory(self, kSelf)},
        {"huge", EvalValue::memory(selfArray, 0)},
        {"fp", EvalValue::ofBytes(fnPtr, {0x10, 0, 0, 0})},
        {"deep", EvalValue::memory(deep, kDeep)},
    };

    memory.assign(kMemorySize, 0);
    put32(0x80, kList);
    for (uint64_t i = 0; i < 3; ++i) {
      uint64_t at = kList + i * 16;
      put32(at, uint32_t(10 * (i + 1)));
      put32(at + 4, uint32_t(kList + ((i + 1) % 3) * 16)); // The last points to the first.
      put32(at + 8, uint32_t(kText));
      put32(at + 12, uint32_t(0x2d));
    }
    for (uint32_t i = 0; i < 16; ++i)
      put32(kGrid + 4 * i, i * i);
    std::memcpy(memory.data() + kText, "hello", 6);
    // The deep chain: each level points at the next word.
    for (uint64_t i = 0; i < 3000; ++i)
      put32(kDeep + 4 * i, uint32_t(kDeep + 4 * (i + 1)));
  }

  std::deque<Type> storage;
  std::map<std::string, const Type*, std::less<>> types;
  std::map<std::string, EvalValue, std::less<>> variables;
  std::vector<uint8_t> memory;

private:
  Type* add(Type t) { return &storage.emplace_back(std::move(t)); }
  static Type base(const char* name, uint64_t size, BaseEncoding encoding) {
    Type t;
    t.kind = TypeKind::Base;
    t.name = t.qualifiedName = name;
    t.byteSize = size;
    t.encoding = encoding;
    return t;
  }
  static Type aggregate(TypeKind kind, const char* name, uint64_t size) {
    Type t;
    t.kind = kind;
    t.name = t.qualifiedName = name;
    t.byteSize = size;
    return t;
  }
  static Type pointer(const Type* target) {
    Type t;
    t.kind = TypeKind::Pointer;
    t.byteSize = 4;
    t.target = target;
    return t;
  }
  static Type typedefOf(const char* name, const Type* target) {
    Type t;
    t.kind = TypeKind::Typedef;
    t.name = t.qualifiedName = name;
    t.target = target;
    return t;
  }
  static Type arrayOf(const Type* element, std::vector<uint64_t> counts) {
    Type t;
    t.kind = TypeKind::Array;
    t.target = element;
    for (uint64_t n : counts)
      t.dimensions.push_back({0, n});
    return t;
  }
  static Member member(const char* name, const Type* type, uint64_t offset) {
    Member m;
    m.name = name;
    m.type = type;
    m.byteOffset = offset;
    return m;
  }
  static Member bitfield(const char* name, const Type* type, uint64_t offset, uint32_t bits,
                         uint32_t bit) {
    Member m = member(name, type, offset);
    m.bitSize = bits;
    m.bitOffset = bit;
    return m;
  }
  void put32(uint64_t at, uint32_t v) { std::memcpy(memory.data() + at, &v, 4); }
};

const FakeProgram& program() {
  static const FakeProgram p;
  return p;
}

/// One evaluation's view of the fake program, with its own copy of memory
/// (assignments change it) and wasm locals and globals.
class FakeFrame final : public EvalEnvironment {
public:
  explicit FakeFrame(const FakeProgram& p) : m_program(p), m_memory(p.memory) {}

  Result<EvalValue> variable(std::string_view name) override {
    auto it = m_program.variables.find(name);
    if (it == m_program.variables.end())
      return Error(ErrorCode::InvalidArgument, "no variable named '" + std::string(name) + "'");
    return it->second;
  }
  Result<EvalValue> wasmName(std::string_view name) override {
    if (name == "local0" || name == "global0") {
      EvalValue v;
      v.type = m_types.wasmType("i32");
      v.location = name == "local0" ? ValueLocation::WasmLocal : ValueLocation::WasmGlobal;
      return v;
    }
    return Error(ErrorCode::InvalidArgument, "no wasm local or global named '$" +
                                                 std::string(name) + "'");
  }
  const Type* namedType(std::string_view name) override {
    auto it = m_program.types.find(name);
    return it == m_program.types.end() ? nullptr : it->second;
  }
  bool readMemory(uint64_t address, std::span<uint8_t> out) override {
    if (address > m_memory.size() || out.size() > m_memory.size() - address)
      return false;
    if (!out.empty())
      std::memcpy(out.data(), m_memory.data() + address, out.size());
    return true;
  }
  bool writeMemory(uint64_t address, std::span<const uint8_t> bytes) override {
    if (address > m_memory.size() || bytes.size() > m_memory.size() - address)
      return false;
    if (!bytes.empty())
      std::memcpy(m_memory.data() + address, bytes.data(), bytes.size());
    return true;
  }
  std::optional<runtime::Value> readWasmLocal(uint32_t index) override {
    return index == 0 ? std::optional(runtime::Value::i64(m_local)) : std::nullopt;
  }
  std::optional<runtime::Value> readWasmGlobal(uint32_t index) override {
    return index == 0 ? std::optional(runtime::Value::i64(m_global)) : std::nullopt;
  }
  bool writeWasmLocal(uint32_t index, uint64_t bits) override {
    return index == 0 && (m_local = bits, true);
  }
  bool writeWasmGlobal(uint32_t index, uint64_t bits) override {
    return index == 0 && (m_global = bits, true);
  }

  TypeFactory& types() { return m_types; }

private:
  const FakeProgram& m_program;
  std::vector<uint8_t> m_memory;
  TypeFactory m_types;
  uint64_t m_local = 7;
  uint64_t m_global = 0x80;
};

} // namespace

ExpressionRunSummary runUntrustedExpression(std::string_view text) {
  ExpressionRunSummary summary;
  FakeFrame frame(program());
  Evaluator evaluator(frame, frame.types(), /*allowAssignment=*/true);
  auto tree = evaluator.parse(text);
  if (!tree.ok()) {
    summary.value = tree.error().message;
    return summary;
  }
  summary.parsed = true;
  (void)expr::toString(**tree);
  auto value = evaluator.evaluate(**tree);
  if (!value.ok()) {
    summary.value = value.error().message;
    return summary;
  }
  summary.evaluated = true;
  // As the variables view would show it: the summary, the type's name, and
  // two levels of children.
  ValueFormatter formatter(frame, frame.types());
  summary.value = formatter.format(*value) + " : " + typeName(value->type);
  (void)formatter.format(*value, /*hex=*/true);
  for (const ChildValue& child : formatter.children(*value, 0, 64)) {
    (void)formatter.format(child.value);
    (void)ValueFormatter::childExpression(std::string(text), child);
    for (const ChildValue& grandchild : formatter.children(child.value, 0, 16))
      (void)formatter.format(grandchild.value);
  }
  return summary;
}

} // namespace wasmscope::debugger::fuzz
