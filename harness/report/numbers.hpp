// Numbers as bpf-litmus prints them: fixed decimals, and rates and counts
// read at a glance.
#pragma once

#include <string>

namespace bpf_litmus::report {

// printf's "%.*f".
[[nodiscard]] std::string fixed(double value, int decimals);
// Three significant digits and a k/M/G suffix: "12.3M", "456k", "1.07G", "789".
[[nodiscard]] std::string si(double value);

}  // namespace bpf_litmus::report
