#include "report/numbers.hpp"

#include <cstdio>

namespace bpf_litmus::report {

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string si(double value) {
  const char* suffix = "";
  if (value >= 1e9) {
    value /= 1e9;
    suffix = "G";
  } else if (value >= 1e6) {
    value /= 1e6;
    suffix = "M";
  } else if (value >= 1e3) {
    value /= 1e3;
    suffix = "k";
  }
  const int decimals = *suffix == '\0' || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return fixed(value, decimals) + suffix;
}

}  // namespace bpf_litmus::report
