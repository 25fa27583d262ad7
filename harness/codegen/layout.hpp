// Where everything lives in the arena (see MemoryLayout in compiled_test.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "codegen/compiled_test.hpp"
#include "litmus/ast.hpp"

namespace bpf_litmus::codegen {

// Bytes before arena offset 0 and after its end: an access is at a masked
// offset plus an s16 instruction offset, plus up to 8 bytes. Page-sized so
// that arena offset 0 is page aligned in the (page-aligned) map value.
inline constexpr std::uint32_t kGuardBytes = 36864;
// The verifier rejects pointer arithmetic with a variable part of 512 MiB or
// more (BPF_MAX_VAR_OFF): the masked part of every address stays below it.
inline constexpr std::uint64_t kMaxArenaBytes = 1ull << 29;
inline constexpr std::uint32_t kCacheLine = 64;
// Adjacent-line prefetchers fetch lines in 128-byte pairs: harness words that
// threads write concurrently (consecutive instances' barrier words) go this
// far apart, or the pair ping-pongs between cores.
inline constexpr std::uint32_t kPrefetchPair = 2 * kCacheLine;

// The layout for `test` with `results_per_instance` u64 words per thread and
// instance, and `widths` from location_widths; or why it cannot be built.
[[nodiscard]] std::variant<MemoryLayout, std::string> plan_layout(const litmus::Test& test,
                                                                  const CodegenOptions& options,
                                                                  std::uint32_t results_per_instance,
                                                                  const std::vector<litmus::Width>& widths);

}  // namespace bpf_litmus::codegen
