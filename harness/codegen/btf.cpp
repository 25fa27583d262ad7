#include "codegen/btf.hpp"

#include <linux/btf.h>

#include <string_view>

namespace bpf_litmus::codegen {
namespace {

constexpr std::uint32_t info(std::uint32_t kind, std::uint32_t vlen) { return (kind << 24) | vlen; }

void append(std::vector<std::uint8_t>& out, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  out.insert(out.end(), bytes, bytes + size);
}

void append_type(std::vector<std::uint8_t>& out, std::uint32_t name_off, std::uint32_t type_info,
                 std::uint32_t size_or_type) {
  btf_type type{};
  type.name_off = name_off;
  type.info = type_info;
  type.size = size_or_type;
  append(out, &type, sizeof type);
}

}  // namespace

std::vector<std::uint8_t> function_btf() {
  // Strings: offset 0 is the empty name.
  constexpr std::string_view kStrings("\0int\0entry\0instance\0", 20);
  constexpr std::uint32_t kInt = 1, kEntry = 5, kInstance = 11;

  std::vector<std::uint8_t> types;
  // [1] int: 32-bit signed
  append_type(types, kInt, info(BTF_KIND_INT, 0), 4);
  const std::uint32_t int_encoding = (BTF_INT_SIGNED << 24) | 32;
  append(types, &int_encoding, sizeof int_encoding);
  // [2] int (void)
  append_type(types, 0, info(BTF_KIND_FUNC_PROTO, 0), 1);
  // [3] entry, [4] instance: for FUNC the vlen field holds the linkage
  append_type(types, kEntry, info(BTF_KIND_FUNC, BTF_FUNC_GLOBAL), 2);
  append_type(types, kInstance, info(BTF_KIND_FUNC, BTF_FUNC_STATIC), 2);

  btf_header header{};
  header.magic = BTF_MAGIC;
  header.version = BTF_VERSION;
  header.hdr_len = sizeof header;
  header.type_off = 0;
  header.type_len = static_cast<std::uint32_t>(types.size());
  header.str_off = header.type_len;
  header.str_len = static_cast<std::uint32_t>(kStrings.size());

  std::vector<std::uint8_t> blob;
  append(blob, &header, sizeof header);
  append(blob, types.data(), types.size());
  append(blob, kStrings.data(), kStrings.size());
  return blob;
}

std::vector<bpf_func_info> function_info(std::uint32_t callback_insn) {
  return {bpf_func_info{0, kEntryFuncType}, bpf_func_info{callback_insn, kCallbackFuncType}};
}

}  // namespace bpf_litmus::codegen
