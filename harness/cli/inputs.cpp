#include "cli/inputs.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <stdexcept>

namespace bpf_litmus::cli {

std::vector<std::string> expand_litmus_inputs(const std::vector<std::string>& arguments) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const std::string& argument : arguments) {
    std::error_code error;
    if (!fs::is_directory(argument, error)) {
      if (!fs::exists(argument, error)) throw std::runtime_error(argument + ": no such file or directory");
      files.push_back(argument);
      continue;
    }
    std::vector<std::string> in_directory;
    for (const auto& entry : fs::directory_iterator(argument, error)) {
      if (entry.is_regular_file() && entry.path().extension() == ".litmus") in_directory.push_back(entry.path().string());
    }
    if (error) throw std::runtime_error(argument + ": " + error.message());
    std::sort(in_directory.begin(), in_directory.end());
    files.insert(files.end(), in_directory.begin(), in_directory.end());
  }
  return files;
}

std::optional<std::vector<std::string>> litmus_files_or_report(const std::vector<std::string>& arguments) {
  try {
    return expand_litmus_inputs(arguments);
  } catch (const std::exception& e) {
    std::cerr << e.what() << '\n';
    return std::nullopt;
  }
}

}  // namespace bpf_litmus::cli
