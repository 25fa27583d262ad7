// The BTF a program with a callback needs: the verifier accepts a
// BPF_PSEUDO_FUNC reference (bpf_loop's callback) only in a program loaded
// with func_info whose entry for the callback is a static function.
#pragma once

#include <linux/bpf.h>

#include <cstdint>
#include <vector>

namespace bpf_litmus::codegen {

// BTF type ids in function_btf(): the entry (global) and the instance callback (static).
inline constexpr std::uint32_t kEntryFuncType = 3;
inline constexpr std::uint32_t kCallbackFuncType = 4;

// Raw BTF (header, types, strings) declaring `int entry(void)` and `static int instance(void)`.
[[nodiscard]] std::vector<std::uint8_t> function_btf();

// func_info for a program whose callback starts at insn `callback_insn`.
[[nodiscard]] std::vector<bpf_func_info> function_info(std::uint32_t callback_insn);

}  // namespace bpf_litmus::codegen
