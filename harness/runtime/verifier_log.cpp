// Cuts a verifier log down to what explains a rejection: the instruction the
// verifier stopped at, a few lines before it, and its complaint.
#include <cctype>
#include <cstdlib>

#include "runtime/detail.hpp"

namespace bpf_litmus::runtime::detail {

namespace {

constexpr std::size_t kMaxExcerptLines = 16;

// "12: (61) r1 = *(u32 *)(r2 +0)": the index the line starts with, or -1.
int instruction_index(std::string_view line) {
  std::size_t digits = 0;
  while (digits < line.size() && std::isdigit(static_cast<unsigned char>(line[digits]))) ++digits;
  if (digits == 0 || digits > 7 || line.substr(digits, 3) != ": (") return -1;
  return std::atoi(std::string(line.substr(0, digits)).c_str());
}

// Statistics the verifier appends after its verdict.
bool is_trailer(std::string_view line) {
  return line.starts_with("processed ") || line.starts_with("verification time") ||
         line.starts_with("stack depth") || line.starts_with("max_states_per_insn");
}

}  // namespace

VerifierExcerpt verifier_excerpt(std::string_view log, int lines_before) {
  std::vector<std::string_view> lines;
  while (!log.empty()) {
    const std::size_t eol = log.find('\n');
    std::string_view line = log.substr(0, eol);
    log = eol == std::string_view::npos ? std::string_view{} : log.substr(eol + 1);
    if (!line.empty() && line.find_first_not_of(" \t") != std::string_view::npos) lines.push_back(line);
  }
  while (!lines.empty() && is_trailer(lines.back())) lines.pop_back();

  VerifierExcerpt excerpt;
  std::size_t first = lines.size() > 8 ? lines.size() - 8 : 0;
  for (std::size_t i = lines.size(); i-- > 0;) {
    if (const int index = instruction_index(lines[i]); index >= 0) {
      excerpt.failing_insn = index;
      first = i > static_cast<std::size_t>(lines_before) ? i - static_cast<std::size_t>(lines_before) : 0;
      break;
    }
  }
  if (lines.size() - first > kMaxExcerptLines) first = lines.size() - kMaxExcerptLines;
  for (std::size_t i = first; i < lines.size(); ++i) {
    excerpt.text.append(lines[i]);
    excerpt.text.push_back('\n');
  }
  return excerpt;
}

}  // namespace bpf_litmus::runtime::detail
