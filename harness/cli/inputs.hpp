// Turning command-line arguments into the litmus files to process.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace bpf_litmus::cli {

// Each argument as given when it is a file; the `.litmus` files directly in
// it, sorted by name, when it is a directory. Throws std::runtime_error
// naming an argument that is neither.
[[nodiscard]] std::vector<std::string> expand_litmus_inputs(const std::vector<std::string>& arguments);
// The same for a subcommand: the error on stderr and nullopt (exit status 2)
// instead of an exception.
[[nodiscard]] std::optional<std::vector<std::string>> litmus_files_or_report(const std::vector<std::string>& arguments);

}  // namespace bpf_litmus::cli
