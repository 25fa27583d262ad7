// Reading back what the JIT made of a loaded program.
#include <bpf/bpf.h>

#include <cerrno>
#include <cstring>

#include "runtime/detail.hpp"

namespace bpf_litmus::runtime {

Expected<std::vector<std::uint8_t>> jited_image(int program_fd) {
  // First ask for the length, then for the bytes.
  bpf_prog_info info{};
  std::uint32_t info_len = sizeof info;
  if (bpf_obj_get_info_by_fd(program_fd, &info, &info_len) != 0) {
    return Error{Error::Kind::System, std::string("reading the program's info: ") + std::strerror(errno), errno};
  }
  std::vector<std::uint8_t> image(info.jited_prog_len);
  if (image.empty()) return image;
  const std::uint32_t length = info.jited_prog_len;
  info = {};
  info.jited_prog_len = length;
  info.jited_prog_insns = reinterpret_cast<std::uintptr_t>(image.data());
  info_len = sizeof info;
  if (bpf_obj_get_info_by_fd(program_fd, &info, &info_len) != 0) {
    return Error{Error::Kind::System, std::string("reading the JIT image: ") + std::strerror(errno), errno};
  }
  if (info.jited_prog_len < length) image.resize(info.jited_prog_len);
  return image;
}

Expected<std::vector<std::uint8_t>> jited_image(LoadedTest& test, int thread) {
  auto& programs = test.impl().programs;
  if (thread < 0 || static_cast<std::size_t>(thread) >= programs.size()) {
    return Error{Error::Kind::BadInput, "no thread P" + std::to_string(thread)};
  }
  return jited_image(programs[static_cast<std::size_t>(thread)].get());
}

}  // namespace bpf_litmus::runtime
