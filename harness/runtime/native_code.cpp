// Reading back what the JIT made of a loaded test's programs: the image
// through the same bpf(2) call the JIT audit uses (audit/bpf_syscall.hpp),
// and where each line-info instruction landed in it.
#include <bpf/bpf.h>
#include <bpf/btf.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>

#include "audit/bpf_syscall.hpp"
#include "runtime/detail.hpp"

namespace bpf_litmus::runtime {
namespace {

Error system_error(const std::string& what) {
  return Error{Error::Kind::System, what + ": " + std::strerror(errno), errno};
}

Expected<int> program_fd(LoadedTest& test, int thread) {
  auto& programs = test.impl().programs;
  if (thread < 0 || static_cast<std::size_t>(thread) >= programs.size()) {
    return Error{Error::Kind::BadInput, "no thread P" + std::to_string(thread)};
  }
  return programs[static_cast<std::size_t>(thread)].get();
}

struct BtfDeleter {
  void operator()(btf* object) const { btf__free(object); }
};

}  // namespace

Expected<std::vector<std::uint8_t>> jited_image(LoadedTest& test, int thread) {
  const auto fd = program_fd(test, thread);
  if (!fd) return fd.error();
  std::vector<std::uint8_t> image;
  if (!audit::sys::jited_image(fd.value(), image)) return system_error("reading the JIT image");
  return image;
}

Expected<std::vector<JitedLine>> jited_line_offsets(LoadedTest& test, int thread) {
  const auto fd = program_fd(test, thread);
  if (!fd) return fd.error();
  // First the counts, then the arrays.
  bpf_prog_info info{};
  std::uint32_t length = sizeof info;
  if (bpf_obj_get_info_by_fd(fd.value(), &info, &length) != 0) return system_error("reading the program's info");
  if (info.nr_line_info == 0 || info.nr_jited_line_info != info.nr_line_info) {
    return Error{Error::Kind::BadInput, "the program has no line info (load it with LoadOptions::line_info)"};
  }
  std::vector<bpf_line_info> lines(info.nr_line_info);
  std::vector<std::uint64_t> addresses(info.nr_jited_line_info);
  std::vector<std::uint64_t> function_starts(info.nr_jited_ksyms);
  std::vector<std::uint32_t> function_lengths(info.nr_jited_func_lens);
  const std::uint32_t btf_id = info.btf_id;
  info = {};
  info.nr_line_info = static_cast<std::uint32_t>(lines.size());
  info.line_info_rec_size = sizeof(bpf_line_info);
  info.line_info = reinterpret_cast<std::uintptr_t>(lines.data());
  info.nr_jited_line_info = static_cast<std::uint32_t>(addresses.size());
  info.jited_line_info_rec_size = sizeof(std::uint64_t);
  info.jited_line_info = reinterpret_cast<std::uintptr_t>(addresses.data());
  info.nr_jited_ksyms = static_cast<std::uint32_t>(function_starts.size());
  info.jited_ksyms = reinterpret_cast<std::uintptr_t>(function_starts.data());
  info.nr_jited_func_lens = static_cast<std::uint32_t>(function_lengths.size());
  info.jited_func_lens = reinterpret_cast<std::uintptr_t>(function_lengths.data());
  length = sizeof info;
  if (bpf_obj_get_info_by_fd(fd.value(), &info, &length) != 0) return system_error("reading the program's line info");
  if (function_starts.empty() || function_starts.front() == 0) {
    return Error{Error::Kind::Unsupported, "the kernel hides JIT addresses (kptr_restrict; run as root)"};
  }
  const std::unique_ptr<btf, BtfDeleter> strings(btf__load_from_kernel_by_id(btf_id));
  if (!strings) return system_error("reading the program's BTF");

  std::vector<JitedLine> result;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    // The line's text is "insn N": N is the instruction index as compiled.
    const char* text = btf__name_by_offset(strings.get(), lines[i].line_off);
    const std::string_view line = text != nullptr ? text : "";
    std::uint32_t insn = 0;
    if (!line.starts_with("insn ") ||
        std::from_chars(line.data() + 5, line.data() + line.size(), insn).ec != std::errc{}) {
      continue;  // not one of ours
    }
    // Images of the functions follow each other in jited_prog_insns.
    std::uint64_t base = 0;
    for (std::size_t f = 0; f < function_starts.size() && f < function_lengths.size(); ++f) {
      const std::uint64_t start = function_starts[f];
      if (addresses[i] >= start && addresses[i] < start + function_lengths[f]) {
        result.push_back({insn, static_cast<std::uint32_t>(base + (addresses[i] - start))});
        break;
      }
      base += function_lengths[f];
    }
  }
  return result;
}

}  // namespace bpf_litmus::runtime
