// Reading back what the JIT made of a loaded test's programs, through the
// same bpf(2) call the JIT audit uses (audit/bpf_syscall.hpp).
#include <cerrno>
#include <cstring>

#include "audit/bpf_syscall.hpp"
#include "runtime/detail.hpp"

namespace bpf_litmus::runtime {

Expected<std::vector<std::uint8_t>> jited_image(LoadedTest& test, int thread) {
  auto& programs = test.impl().programs;
  if (thread < 0 || static_cast<std::size_t>(thread) >= programs.size()) {
    return Error{Error::Kind::BadInput, "no thread P" + std::to_string(thread)};
  }
  std::vector<std::uint8_t> image;
  if (!audit::sys::jited_image(programs[static_cast<std::size_t>(thread)].get(), image)) {
    return Error{Error::Kind::System, std::string("reading the JIT image: ") + std::strerror(errno), errno};
  }
  return image;
}

}  // namespace bpf_litmus::runtime
