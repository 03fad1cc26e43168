// Translation between the spec driver's values and the runtime's, and the
// runtime calls behind each callback. Errors become messages: the driver
// compares them with the scripts' texts, which our error codes share.
#include "RuntimeEngine.h"

#include "SpectestModule.h"

#include "wasmscope/runtime/Compiler.h"
#include "wasmscope/runtime/Decoder.h"
#include "wasmscope/runtime/Store.h"

#include <vector>

namespace wasmscope::spec {

using namespace wasmscope::runtime;

namespace {

class RuntimeEngine final : public SpecEngine {
public:
  RuntimeEngine() = default;

  Result<void> init();
  Outcome<CompiledId> compile(std::span<const uint8_t> bytes) override;
  Outcome<InstanceId> instantiate(CompiledId module) override;
  Outcome<bool> registerAs(InstanceId instance, const std::string& as) override;
  Outcome<CallResult> invoke(InstanceId instance, const std::string& field,
                             const std::vector<WastValue>& args) override;
  Outcome<WastValue> get(InstanceId instance, const std::string& field) override;

private:
  Store m_store;
  Linker m_linker;
  std::vector<std::shared_ptr<const CompiledModule>> m_compiled;
  std::vector<Instance*> m_instances;
};

std::optional<ValType> toValType(WastType t) {
  switch (t) {
  case WastType::I32: return ValType::I32;
  case WastType::I64: return ValType::I64;
  case WastType::F32: return ValType::F32;
  case WastType::F64: return ValType::F64;
  case WastType::FuncRef: return ValType::FuncRef;
  case WastType::ExternRef: return ValType::ExternRef;
  case WastType::V128: return ValType::V128;
  }
  return std::nullopt;
}

WastType toWastType(ValType t) {
  switch (t) {
  case ValType::I32: return WastType::I32;
  case ValType::I64: return WastType::I64;
  case ValType::F32: return WastType::F32;
  case ValType::F64: return WastType::F64;
  case ValType::V128: return WastType::V128;
  case ValType::FuncRef: return WastType::FuncRef;
  case ValType::ExternRef: return WastType::ExternRef;
  }
  return WastType::I32;
}

Outcome<Value> toValue(const WastValue& v) {
  std::optional<ValType> type = toValType(v.type);
  if (!type)
    return Outcome<Value>::failure("unsupported argument type " +
                                   std::string(wastTypeName(v.type)));
  if (v.kind == WastValue::Kind::Null)
    return Value::nullRef(*type);
  if (v.kind != WastValue::Kind::Bits)
    return Outcome<Value>::failure("argument " + v.toString() + " is a pattern, not a value");
  switch (*type) {
  case ValType::ExternRef: return Value::externRef(v.bits);
  case ValType::FuncRef:
    return Outcome<Value>::failure("a non-null funcref argument cannot be expressed");
  case ValType::V128:
    for (WastValue::Kind lane : v.lanes)
      if (lane != WastValue::Kind::Bits)
        return Outcome<Value>::failure("argument " + v.toString() + " is a pattern, not a value");
    return Value::v128({v.bits, v.high});
  default: return Value{*type, v.bits};
  }
}

WastValue fromValue(const Value& v) {
  WastType type = toWastType(v.type);
  if (isRefType(v.type)) {
    if (v.isNull())
      return WastValue::null(type);
    // A funcref has no script-visible identity; an externref is the host
    // value it was made from.
    return WastValue::number(type, v.type == ValType::ExternRef ? v.asExtern() : v.bits);
  }
  WastValue out = WastValue::number(type, v.bits);
  out.high = v.high;
  return out;
}

Result<void> RuntimeEngine::init() {
  Result<Instance*> spectest = buildSpectestModule(m_store);
  if (!spectest)
    return std::move(spectest).error();
  m_linker.defineInstance("spectest", *spectest.value());
  return success();
}

Outcome<CompiledId> RuntimeEngine::compile(std::span<const uint8_t> bytes) {
  Result<Module> module = decodeModule(bytes);
  if (!module)
    return Outcome<CompiledId>::failure(module.error().describe());
  Result<std::shared_ptr<CompiledModule>> compiled = compileModule(std::move(module.value()));
  if (!compiled)
    return Outcome<CompiledId>::failure(compiled.error().describe());
  m_compiled.push_back(std::move(compiled.value()));
  return CompiledId(m_compiled.size() - 1);
}

Outcome<InstanceId> RuntimeEngine::instantiate(CompiledId module) {
  if (module >= m_compiled.size())
    return Outcome<InstanceId>::failure("no such compiled module");
  Result<Instance*> instance = m_store.instantiate(m_compiled[module], m_linker);
  if (!instance)
    return Outcome<InstanceId>::failure(instance.error().describe());
  m_instances.push_back(instance.value());
  return InstanceId(m_instances.size() - 1);
}

Outcome<bool> RuntimeEngine::registerAs(InstanceId instance, const std::string& as) {
  if (instance >= m_instances.size())
    return Outcome<bool>::failure("no such instance");
  m_linker.defineInstance(as, *m_instances[instance]);
  return true;
}

Outcome<CallResult> RuntimeEngine::invoke(InstanceId instance, const std::string& field,
                                          const std::vector<WastValue>& args) {
  if (instance >= m_instances.size())
    return Outcome<CallResult>::failure("no such instance");
  FunctionInstance* function = m_instances[instance]->findFunction(field);
  if (!function)
    return Outcome<CallResult>::failure("no exported function \"" + field + "\"");
  std::vector<Value> values;
  values.reserve(args.size());
  for (const WastValue& arg : args) {
    Outcome<Value> v = toValue(arg);
    if (!v)
      return Outcome<CallResult>::failure(v.error());
    values.push_back(v.value());
  }
  Result<std::vector<Value>> r = m_store.invoke(*function, values);
  CallResult result;
  if (!r) {
    const Error& error = r.error();
    // Out-of-bounds traps share their codes with instantiation errors, so
    // anything but a refused call counts as a trap.
    if (error.code == ErrorCode::InvalidArgument)
      return Outcome<CallResult>::failure("call failed: " + error.describe());
    result.trapped = true;
    result.trap = error.describe();
    return result;
  }
  for (const Value& v : r.value())
    result.results.push_back(fromValue(v));
  return result;
}

Outcome<WastValue> RuntimeEngine::get(InstanceId instance, const std::string& field) {
  if (instance >= m_instances.size())
    return Outcome<WastValue>::failure("no such instance");
  std::optional<Extern> ext = m_instances[instance]->findExport(field);
  if (!ext || ext->kind != ExternKind::Global)
    return Outcome<WastValue>::failure("no exported global \"" + field + "\"");
  return fromValue(ext->asGlobal()->get());
}

} // namespace

Outcome<std::unique_ptr<SpecEngine>> createRuntimeEngine() {
  auto engine = std::make_unique<RuntimeEngine>();
  Result<void> r = engine->init();
  if (!r)
    return Outcome<std::unique_ptr<SpecEngine>>::failure("cannot build the spectest module: " +
                                                        r.error().describe());
  return std::unique_ptr<SpecEngine>(std::move(engine));
}

} // namespace wasmscope::spec
