// DWARF expressions: decoding (DWARF 5 section 7.7.1, plus the WebAssembly
// DW_OP_WASM_location of the tool-conventions' Debugging.md), printing in
// llvm-dwarfdump's spelling, and evaluation against a live frame (sections
// 2.5 and 2.6: memory, register-like wasm locations, implicit values,
// pieces, branches). The expression is untrusted: operations per expression,
// the stack, frame-base nesting and the operations executed (branches can
// loop) are all bounded, each with its own error.
#include "wasmscope/symbols/Symbols.h"

#include "ByteReader.h"

#include <dwarf.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>

namespace wasmscope::debugger {
namespace {

using runtime::Error;
using runtime::ErrorCode;

Error dwarfError(std::string message) {
  return Error(ErrorCode::InvalidArgument, "DWARF expression: " + message);
}

/// Bound on operations per expression and on the evaluation stack.
constexpr size_t kMaxOps = 4096;
constexpr size_t kMaxStack = 1024;

const char *opName(uint8_t op) {
  switch (op) {
  case DW_OP_addr:
    return "DW_OP_addr";
  case DW_OP_deref:
    return "DW_OP_deref";
  case DW_OP_const1u:
    return "DW_OP_const1u";
  case DW_OP_const1s:
    return "DW_OP_const1s";
  case DW_OP_const2u:
    return "DW_OP_const2u";
  case DW_OP_const2s:
    return "DW_OP_const2s";
  case DW_OP_const4u:
    return "DW_OP_const4u";
  case DW_OP_const4s:
    return "DW_OP_const4s";
  case DW_OP_const8u:
    return "DW_OP_const8u";
  case DW_OP_const8s:
    return "DW_OP_const8s";
  case DW_OP_constu:
    return "DW_OP_constu";
  case DW_OP_consts:
    return "DW_OP_consts";
  case DW_OP_dup:
    return "DW_OP_dup";
  case DW_OP_drop:
    return "DW_OP_drop";
  case DW_OP_over:
    return "DW_OP_over";
  case DW_OP_pick:
    return "DW_OP_pick";
  case DW_OP_swap:
    return "DW_OP_swap";
  case DW_OP_rot:
    return "DW_OP_rot";
  case DW_OP_xderef:
    return "DW_OP_xderef";
  case DW_OP_abs:
    return "DW_OP_abs";
  case DW_OP_and:
    return "DW_OP_and";
  case DW_OP_div:
    return "DW_OP_div";
  case DW_OP_minus:
    return "DW_OP_minus";
  case DW_OP_mod:
    return "DW_OP_mod";
  case DW_OP_mul:
    return "DW_OP_mul";
  case DW_OP_neg:
    return "DW_OP_neg";
  case DW_OP_not:
    return "DW_OP_not";
  case DW_OP_or:
    return "DW_OP_or";
  case DW_OP_plus:
    return "DW_OP_plus";
  case DW_OP_plus_uconst:
    return "DW_OP_plus_uconst";
  case DW_OP_shl:
    return "DW_OP_shl";
  case DW_OP_shr:
    return "DW_OP_shr";
  case DW_OP_shra:
    return "DW_OP_shra";
  case DW_OP_xor:
    return "DW_OP_xor";
  case DW_OP_bra:
    return "DW_OP_bra";
  case DW_OP_eq:
    return "DW_OP_eq";
  case DW_OP_ge:
    return "DW_OP_ge";
  case DW_OP_gt:
    return "DW_OP_gt";
  case DW_OP_le:
    return "DW_OP_le";
  case DW_OP_lt:
    return "DW_OP_lt";
  case DW_OP_ne:
    return "DW_OP_ne";
  case DW_OP_skip:
    return "DW_OP_skip";
  case DW_OP_regx:
    return "DW_OP_regx";
  case DW_OP_fbreg:
    return "DW_OP_fbreg";
  case DW_OP_bregx:
    return "DW_OP_bregx";
  case DW_OP_piece:
    return "DW_OP_piece";
  case DW_OP_deref_size:
    return "DW_OP_deref_size";
  case DW_OP_xderef_size:
    return "DW_OP_xderef_size";
  case DW_OP_nop:
    return "DW_OP_nop";
  case DW_OP_push_object_address:
    return "DW_OP_push_object_address";
  case DW_OP_call2:
    return "DW_OP_call2";
  case DW_OP_call4:
    return "DW_OP_call4";
  case DW_OP_call_ref:
    return "DW_OP_call_ref";
  case DW_OP_form_tls_address:
    return "DW_OP_form_tls_address";
  case DW_OP_call_frame_cfa:
    return "DW_OP_call_frame_cfa";
  case DW_OP_bit_piece:
    return "DW_OP_bit_piece";
  case DW_OP_implicit_value:
    return "DW_OP_implicit_value";
  case DW_OP_stack_value:
    return "DW_OP_stack_value";
  case DW_OP_implicit_pointer:
    return "DW_OP_implicit_pointer";
  case DW_OP_addrx:
    return "DW_OP_addrx";
  case DW_OP_constx:
    return "DW_OP_constx";
  case DW_OP_entry_value:
    return "DW_OP_entry_value";
  case DW_OP_const_type:
    return "DW_OP_const_type";
  case DW_OP_regval_type:
    return "DW_OP_regval_type";
  case DW_OP_deref_type:
    return "DW_OP_deref_type";
  case DW_OP_xderef_type:
    return "DW_OP_xderef_type";
  case DW_OP_convert:
    return "DW_OP_convert";
  case DW_OP_reinterpret:
    return "DW_OP_reinterpret";
  case DW_OP_GNU_push_tls_address:
    return "DW_OP_GNU_push_tls_address";
  case DW_OP_GNU_entry_value:
    return "DW_OP_GNU_entry_value";
  case kDwOpWasmLocation:
    return "DW_OP_WASM_location";
  default:
    return nullptr;
  }
}

} // namespace

Result<DwarfExpression> decodeExpression(std::span<const uint8_t> bytes, uint8_t addressSize,
                                         uint8_t offsetSize) {
  DwarfExpression ops;
  ByteReader r(bytes);
  while (!r.atEnd()) {
    if (ops.size() >= kMaxOps)
      return dwarfError("too many operations");
    size_t at = r.position();
    DwarfOp op;
    op.opcode = r.u8();
    const uint8_t c = op.opcode;
    if (c >= DW_OP_lit0 && c <= DW_OP_lit31) {
    } else if (c >= DW_OP_reg0 && c <= DW_OP_reg31) {
    } else if (c >= DW_OP_breg0 && c <= DW_OP_breg31) {
      op.operand1 = uint64_t(r.sleb());
    } else {
      switch (c) {
      case DW_OP_addr:
        op.operand1 = r.fixed(addressSize);
        break;
      case DW_OP_const1u:
        op.operand1 = r.u8();
        break;
      case DW_OP_const1s:
        op.operand1 = uint64_t(int64_t(int8_t(r.u8())));
        break;
      case DW_OP_const2u:
        op.operand1 = r.u16();
        break;
      case DW_OP_const2s:
        op.operand1 = uint64_t(int64_t(int16_t(r.u16())));
        break;
      case DW_OP_const4u:
        op.operand1 = r.u32();
        break;
      case DW_OP_const4s:
        op.operand1 = uint64_t(int64_t(int32_t(r.u32())));
        break;
      case DW_OP_const8u:
      case DW_OP_const8s:
        op.operand1 = r.u64();
        break;
      case DW_OP_constu:
      case DW_OP_plus_uconst:
      case DW_OP_regx:
      case DW_OP_piece:
      case DW_OP_addrx:
      case DW_OP_constx:
      case DW_OP_convert:
      case DW_OP_reinterpret:
        op.operand1 = r.uleb();
        break;
      case DW_OP_consts:
      case DW_OP_fbreg:
        op.operand1 = uint64_t(r.sleb());
        break;
      case DW_OP_pick:
      case DW_OP_deref_size:
      case DW_OP_xderef_size:
        op.operand1 = r.u8();
        break;
      case DW_OP_skip:
      case DW_OP_bra:
        op.operand1 = uint64_t(int64_t(int16_t(r.u16())));
        break;
      case DW_OP_call2:
        op.operand1 = r.u16();
        break;
      case DW_OP_call4:
        op.operand1 = r.u32();
        break;
      case DW_OP_call_ref:
        op.operand1 = r.fixed(offsetSize);
        break;
      case DW_OP_bregx:
        op.operand1 = r.uleb();
        op.operand2 = uint64_t(r.sleb());
        break;
      case DW_OP_bit_piece:
        op.operand1 = r.uleb();
        op.operand2 = r.uleb();
        break;
      case DW_OP_implicit_value:
      case DW_OP_entry_value:
      case DW_OP_GNU_entry_value: {
        op.operand1 = r.uleb();
        auto b = r.bytes(op.operand1);
        op.block.assign(b.begin(), b.end());
        break;
      }
      case DW_OP_implicit_pointer:
        op.operand1 = r.fixed(offsetSize);
        op.operand2 = uint64_t(r.sleb());
        break;
      case DW_OP_const_type: {
        op.operand1 = r.uleb();
        uint8_t size = r.u8();
        auto b = r.bytes(size);
        op.block.assign(b.begin(), b.end());
        break;
      }
      case DW_OP_regval_type:
        op.operand1 = r.uleb();
        op.operand2 = r.uleb();
        break;
      case DW_OP_deref_type:
      case DW_OP_xderef_type:
        op.operand1 = r.u8();
        op.operand2 = r.uleb();
        break;
      case kDwOpWasmLocation:
        // Kind, then the index: a ULEB, except for kind 3 (a global index
        // with a relocation), which is a fixed 4-byte value.
        op.operand1 = r.uleb();
        op.operand2 = op.operand1 == uint64_t(WasmLocationKind::GlobalFixed) ? r.u32() : r.uleb();
        if (op.operand1 > 4)
          return dwarfError("unknown DW_OP_WASM_location kind " + std::to_string(op.operand1));
        break;
      default:
        if (!opName(c)) {
          char buf[64];
          std::snprintf(buf, sizeof buf, "unknown operation 0x%02x at byte %zu", c, at);
          return dwarfError(buf);
        }
        break; // No operands.
      }
    }
    if (r.failed())
      return dwarfError("truncated operation " + std::string(opName(c) ? opName(c) : "?") +
                        " at byte " + std::to_string(at));
    op.offset = uint32_t(at);
    op.size = uint32_t(r.position() - at);
    ops.push_back(std::move(op));
  }
  return ops;
}

std::string formatExpression(const DwarfExpression &expression) {
  std::string out;
  char buf[96];
  for (const DwarfOp &op : expression) {
    if (!out.empty())
      out += ", ";
    const uint8_t c = op.opcode;
    if (c >= DW_OP_lit0 && c <= DW_OP_lit31) {
      out += "DW_OP_lit" + std::to_string(c - DW_OP_lit0);
      continue;
    }
    if (c >= DW_OP_reg0 && c <= DW_OP_reg31) {
      out += "DW_OP_reg" + std::to_string(c - DW_OP_reg0);
      continue;
    }
    if (c >= DW_OP_breg0 && c <= DW_OP_breg31) {
      std::snprintf(buf, sizeof buf, "DW_OP_breg%d %+" PRId64, c - DW_OP_breg0,
                    int64_t(op.operand1));
      out += buf;
      continue;
    }
    const char *name = opName(c);
    out += name ? name : "DW_OP_unknown";
    switch (c) {
    case DW_OP_consts:
    case DW_OP_const1s:
    case DW_OP_const2s:
    case DW_OP_const4s:
    case DW_OP_const8s:
      std::snprintf(buf, sizeof buf, " %+" PRId64, int64_t(op.operand1));
      out += buf;
      break;
    case DW_OP_fbreg:
    case DW_OP_skip:
    case DW_OP_bra:
      std::snprintf(buf, sizeof buf, " %+" PRId64, int64_t(op.operand1));
      out += buf;
      break;
    case kDwOpWasmLocation:
    case DW_OP_bit_piece:
    case DW_OP_regval_type:
    case DW_OP_deref_type:
      std::snprintf(buf, sizeof buf, " 0x%" PRIx64 " 0x%" PRIx64, op.operand1, op.operand2);
      out += buf;
      break;
    case DW_OP_bregx:
      std::snprintf(buf, sizeof buf, " 0x%" PRIx64 " %+" PRId64, op.operand1, int64_t(op.operand2));
      out += buf;
      break;
    case DW_OP_implicit_value:
    case DW_OP_entry_value:
    case DW_OP_GNU_entry_value:
      std::snprintf(buf, sizeof buf, " 0x%" PRIx64, op.operand1);
      out += buf;
      for (uint8_t b : op.block) {
        std::snprintf(buf, sizeof buf, " 0x%02x", b);
        out += buf;
      }
      break;
    case DW_OP_addr:
    case DW_OP_const1u:
    case DW_OP_const2u:
    case DW_OP_const4u:
    case DW_OP_const8u:
    case DW_OP_constu:
    case DW_OP_plus_uconst:
    case DW_OP_regx:
    case DW_OP_piece:
    case DW_OP_addrx:
    case DW_OP_constx:
    case DW_OP_pick:
    case DW_OP_deref_size:
    case DW_OP_xderef_size:
    case DW_OP_call2:
    case DW_OP_call4:
    case DW_OP_call_ref:
    case DW_OP_convert:
    case DW_OP_reinterpret:
    case DW_OP_const_type:
      std::snprintf(buf, sizeof buf, " 0x%" PRIx64, op.operand1);
      out += buf;
      break;
    default:
      break;
    }
  }
  return out;
}

namespace {

class Evaluator {
public:
  /// `steps` counts the operations executed, shared with the evaluation of
  /// the frame base (kMaxExpressionSteps in all).
  Evaluator(const DwarfExpression &ops, const DwarfExpression *frameBase, const FrameAccess &frame,
            int depth, size_t &steps)
      : m_ops(ops), m_frameBase(frameBase), m_frame(frame), m_depth(depth), m_steps(steps) {}

  Result<VariableLocation> run();

private:
  Result<void> push(uint64_t v) {
    if (m_stack.size() >= kMaxStack)
      return dwarfError("stack overflow");
    m_stack.push_back(v);
    return runtime::success();
  }
  Result<uint64_t> pop() {
    if (m_stack.empty())
      return dwarfError("stack underflow");
    uint64_t v = m_stack.back();
    m_stack.pop_back();
    return v;
  }
  Result<uint64_t> wasmValue(uint64_t kind, uint64_t index);
  Result<uint64_t> frameBaseValue();
  Result<uint64_t> readMemory(uint64_t address, unsigned size);
  /// Closes the current piece: what the stack or a register-like location
  /// says, then resets for the next piece.
  Result<VariableLocation> finishPiece();
  /// The index of the operation DW_OP_skip/DW_OP_bra at `i` branches to
  /// (m_ops.size() for the end of the expression).
  Result<size_t> branchTarget(size_t i) const;

  const DwarfExpression &m_ops;
  const DwarfExpression *m_frameBase;
  const FrameAccess &m_frame;
  int m_depth;
  size_t &m_steps;
  std::vector<uint64_t> m_stack;
  std::optional<VariableLocation> m_current; // Register-like or implicit location.
  bool m_stackValue = false;
};

Result<uint64_t> Evaluator::wasmValue(uint64_t kind, uint64_t index) {
  std::optional<uint64_t> v;
  const char *what = "local";
  switch (WasmLocationKind(kind)) {
  case WasmLocationKind::Local:
    v = m_frame.local(uint32_t(index));
    break;
  case WasmLocationKind::Global:
  case WasmLocationKind::GlobalFixed:
    what = "global";
    v = m_frame.global(uint32_t(index));
    break;
  case WasmLocationKind::OperandStack:
    what = "operand stack entry";
    v = m_frame.operandStack(uint32_t(index));
    break;
  default:
    v = kind == 4 ? m_frame.local(uint32_t(index)) : std::nullopt;
    break;
  }
  if (!v)
    return dwarfError(std::string("wasm ") + what + " " + std::to_string(index) +
                      " is not available");
  return *v;
}

Result<uint64_t> Evaluator::frameBaseValue() {
  if (!m_frameBase || m_frameBase->empty())
    return dwarfError("DW_OP_fbreg without a frame base");
  if (m_depth > 4)
    return dwarfError("frame base refers to itself");
  Evaluator inner(*m_frameBase, nullptr, m_frame, m_depth + 1, m_steps);
  TRY_ASSIGN(VariableLocation base, inner.run());
  switch (base.kind) {
  case LocationKind::Memory:
    return base.address;
  case LocationKind::Value:
    return base.value;
  case LocationKind::WasmLocal:
    return wasmValue(uint64_t(WasmLocationKind::Local), base.index);
  case LocationKind::WasmGlobal:
    return wasmValue(uint64_t(WasmLocationKind::Global), base.index);
  case LocationKind::WasmOperandStack:
    return wasmValue(uint64_t(WasmLocationKind::OperandStack), base.index);
  default:
    return dwarfError("unusable frame base");
  }
}

Result<uint64_t> Evaluator::readMemory(uint64_t address, unsigned size) {
  uint8_t buf[8] = {};
  if (size == 0 || size > 8 || !m_frame.readMemory(address, std::span<uint8_t>(buf, size)))
    return dwarfError("cannot read memory at " + std::to_string(address));
  uint64_t v = 0;
  for (unsigned i = 0; i < size; ++i)
    v |= uint64_t(buf[i]) << (8 * i);
  return v;
}

Result<VariableLocation> Evaluator::finishPiece() {
  VariableLocation loc;
  if (m_current) {
    loc = std::move(*m_current);
  } else if (!m_stack.empty()) {
    if (m_stackValue) {
      loc.kind = LocationKind::Value;
      loc.value = m_stack.back();
    } else {
      loc.kind = LocationKind::Memory;
      loc.address = m_stack.back() & 0xffffffffu; // wasm32 linear memory
    }
  } else {
    loc.kind = LocationKind::OptimizedOut;
  }
  m_current.reset();
  m_stack.clear();
  m_stackValue = false;
  return loc;
}

Result<size_t> Evaluator::branchTarget(size_t i) const {
  const DwarfOp &op = m_ops[i];
  // DWARF 5 section 2.5.1.5: the 2-byte signed operand is the number of
  // bytes to skip from the end of this operation.
  int64_t target = int64_t(op.offset) + int64_t(op.size) + int64_t(op.operand1);
  const DwarfOp &last = m_ops.back();
  int64_t end = int64_t(last.offset) + int64_t(last.size);
  if (target == end)
    return m_ops.size();
  auto it = std::lower_bound(m_ops.begin(), m_ops.end(), target,
                             [](const DwarfOp &o, int64_t at) { return int64_t(o.offset) < at; });
  if (target < 0 || target > end || it == m_ops.end() || int64_t(it->offset) != target)
    return dwarfError(std::string(opName(op.opcode)) + " at byte " + std::to_string(op.offset) +
                      " branches to byte " + std::to_string(target) +
                      ", which does not start an operation");
  return size_t(it - m_ops.begin());
}

Result<VariableLocation> Evaluator::run() {
  std::vector<VariableLocation> pieces;
  const size_t n = m_ops.size();
  for (size_t i = 0; i < n; ++i) {
    if (++m_steps > kMaxExpressionSteps)
      return dwarfError("more than " + std::to_string(kMaxExpressionSteps) +
                        " operations executed (a DW_OP_skip/DW_OP_bra loop?)");
    const DwarfOp &op = m_ops[i];
    const uint8_t c = op.opcode;
    if (c >= DW_OP_lit0 && c <= DW_OP_lit31) {
      TRY(push(c - DW_OP_lit0));
      continue;
    }
    if ((c >= DW_OP_reg0 && c <= DW_OP_reg31) || (c >= DW_OP_breg0 && c <= DW_OP_breg31) ||
        c == DW_OP_regx || c == DW_OP_bregx)
      return dwarfError("machine registers do not exist in wasm");
    switch (c) {
    case kDwOpWasmLocation: {
      // `DW_OP_WASM_location k i, DW_OP_stack_value` ending the expression or
      // piece: the variable's value is that wasm local/global/stack entry,
      // reported as such so a debugger can also write it. Otherwise the op
      // pushes the entry's value (without stack_value that value is then an
      // address, as for LLVM's TI_LOCAL_INDIRECT and frame bases).
      bool stackValueNext = i + 1 < n && m_ops[i + 1].opcode == DW_OP_stack_value;
      bool endsPiece = i + 2 >= n || m_ops[i + 2].opcode == DW_OP_piece;
      if (stackValueNext && endsPiece && m_stack.empty()) {
        VariableLocation loc;
        switch (WasmLocationKind(op.operand1)) {
        case WasmLocationKind::Local:
          loc.kind = LocationKind::WasmLocal;
          break;
        case WasmLocationKind::Global:
        case WasmLocationKind::GlobalFixed:
          loc.kind = LocationKind::WasmGlobal;
          break;
        case WasmLocationKind::OperandStack:
          loc.kind = LocationKind::WasmOperandStack;
          break;
        default:
          loc.kind = LocationKind::WasmLocal;
          break;
        }
        loc.index = uint32_t(op.operand2);
        m_current = std::move(loc);
        ++i; // The stack_value.
        break;
      }
      TRY_ASSIGN(uint64_t v, wasmValue(op.operand1, op.operand2));
      TRY(push(v));
      break;
    }
    case DW_OP_addr:
    case DW_OP_const1u:
    case DW_OP_const1s:
    case DW_OP_const2u:
    case DW_OP_const2s:
    case DW_OP_const4u:
    case DW_OP_const4s:
    case DW_OP_const8u:
    case DW_OP_const8s:
    case DW_OP_constu:
    case DW_OP_consts:
      TRY(push(op.operand1));
      break;
    case DW_OP_fbreg: {
      TRY_ASSIGN(uint64_t base, frameBaseValue());
      TRY(push((base + op.operand1) & 0xffffffffu));
      break;
    }
    case DW_OP_dup: {
      TRY_ASSIGN(uint64_t a, pop());
      TRY(push(a));
      TRY(push(a));
      break;
    }
    case DW_OP_drop: {
      TRY_ASSIGN(uint64_t a, pop());
      (void)a;
      break;
    }
    case DW_OP_over:
    case DW_OP_pick: {
      size_t k = c == DW_OP_over ? 1 : size_t(op.operand1);
      if (k >= m_stack.size())
        return dwarfError("pick beyond the stack");
      TRY(push(m_stack[m_stack.size() - 1 - k]));
      break;
    }
    case DW_OP_swap: {
      if (m_stack.size() < 2)
        return dwarfError("stack underflow");
      std::swap(m_stack[m_stack.size() - 1], m_stack[m_stack.size() - 2]);
      break;
    }
    case DW_OP_rot: {
      if (m_stack.size() < 3)
        return dwarfError("stack underflow");
      size_t s = m_stack.size();
      uint64_t top = m_stack[s - 1];
      m_stack[s - 1] = m_stack[s - 2];
      m_stack[s - 2] = m_stack[s - 3];
      m_stack[s - 3] = top;
      break;
    }
    case DW_OP_deref:
    case DW_OP_deref_size: {
      TRY_ASSIGN(uint64_t a, pop());
      unsigned size = c == DW_OP_deref ? 4 : unsigned(op.operand1);
      TRY_ASSIGN(uint64_t v, readMemory(a, size));
      TRY(push(v));
      break;
    }
    case DW_OP_abs:
    case DW_OP_neg:
    case DW_OP_not: {
      TRY_ASSIGN(uint64_t a, pop());
      int64_t s = int64_t(a);
      TRY(push(c == DW_OP_abs ? (s < 0 ? 0 - a : a) : c == DW_OP_neg ? 0 - a : ~a));
      break;
    }
    case DW_OP_plus_uconst: {
      TRY_ASSIGN(uint64_t a, pop());
      TRY(push(a + op.operand1));
      break;
    }
    case DW_OP_and:
    case DW_OP_div:
    case DW_OP_minus:
    case DW_OP_mod:
    case DW_OP_mul:
    case DW_OP_or:
    case DW_OP_plus:
    case DW_OP_shl:
    case DW_OP_shr:
    case DW_OP_shra:
    case DW_OP_xor:
    case DW_OP_eq:
    case DW_OP_ge:
    case DW_OP_gt:
    case DW_OP_le:
    case DW_OP_lt:
    case DW_OP_ne: {
      TRY_ASSIGN(uint64_t b, pop());
      TRY_ASSIGN(uint64_t a, pop());
      int64_t sa = int64_t(a), sb = int64_t(b);
      uint64_t r = 0;
      switch (c) {
      case DW_OP_and:
        r = a & b;
        break;
      case DW_OP_div:
        if (sb == 0)
          return dwarfError("division by zero");
        r = (sa == INT64_MIN && sb == -1) ? a : uint64_t(sa / sb);
        break;
      case DW_OP_minus:
        r = a - b;
        break;
      case DW_OP_mod:
        if (b == 0)
          return dwarfError("division by zero");
        r = a % b;
        break;
      case DW_OP_mul:
        r = a * b;
        break;
      case DW_OP_or:
        r = a | b;
        break;
      case DW_OP_plus:
        r = a + b;
        break;
      case DW_OP_shl:
        r = b >= 64 ? 0 : a << b;
        break;
      case DW_OP_shr:
        r = b >= 64 ? 0 : a >> b;
        break;
      case DW_OP_shra:
        r = uint64_t(b >= 64 ? (sa < 0 ? -1 : 0) : sa >> b);
        break;
      case DW_OP_xor:
        r = a ^ b;
        break;
      case DW_OP_eq:
        r = sa == sb;
        break;
      case DW_OP_ge:
        r = sa >= sb;
        break;
      case DW_OP_gt:
        r = sa > sb;
        break;
      case DW_OP_le:
        r = sa <= sb;
        break;
      case DW_OP_lt:
        r = sa < sb;
        break;
      case DW_OP_ne:
        r = sa != sb;
        break;
      }
      TRY(push(r));
      break;
    }
    case DW_OP_skip:
    case DW_OP_bra: {
      bool taken = true;
      if (c == DW_OP_bra) {
        TRY_ASSIGN(uint64_t condition, pop());
        taken = condition != 0;
      }
      if (taken) {
        TRY_ASSIGN(size_t target, branchTarget(i));
        i = target - 1; // The loop's ++i lands on the target.
      }
      break;
    }
    case DW_OP_nop:
      break;
    case DW_OP_stack_value:
      m_stackValue = true;
      break;
    case DW_OP_implicit_value: {
      VariableLocation loc;
      loc.kind = LocationKind::ImplicitBytes;
      loc.bytes = op.block;
      m_current = std::move(loc);
      break;
    }
    case DW_OP_piece: {
      TRY_ASSIGN(VariableLocation piece, finishPiece());
      piece.pieceSize = uint32_t(op.operand1);
      pieces.push_back(std::move(piece));
      break;
    }
    case DW_OP_GNU_push_tls_address:
    case DW_OP_form_tls_address:
      return dwarfError("thread-local variables are not supported");
    case DW_OP_entry_value:
    case DW_OP_GNU_entry_value:
      return dwarfError("entry values are not available");
    default: {
      const char *name = opName(c);
      return dwarfError(std::string(name ? name : "operation") + " is not supported");
    }
    }
  }
  if (pieces.empty())
    return finishPiece();
  if (m_current || !m_stack.empty()) {
    TRY_ASSIGN(VariableLocation tail, finishPiece());
    pieces.push_back(std::move(tail));
  }
  VariableLocation composite;
  composite.kind = LocationKind::Composite;
  composite.pieces = std::move(pieces);
  return composite;
}

} // namespace

Result<VariableLocation> evaluateExpression(const DwarfExpression &expression,
                                            const DwarfExpression *frameBase,
                                            const FrameAccess &frame) {
  if (expression.empty()) {
    VariableLocation loc;
    loc.kind = LocationKind::OptimizedOut;
    return loc;
  }
  size_t steps = 0;
  Evaluator e(expression, frameBase, frame, 0, steps);
  return e.run();
}

} // namespace wasmscope::debugger
