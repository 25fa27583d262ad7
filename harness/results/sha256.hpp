// SHA-256 (OpenSSL's EVP) as lowercase hex: what identifies a test's source
// in a result file, so that a resumed campaign or a comparison knows it is the
// same test.
#pragma once

#include <string>
#include <string_view>

namespace bpf_litmus::results {

[[nodiscard]] std::string sha256_hex(std::string_view bytes);

}  // namespace bpf_litmus::results
