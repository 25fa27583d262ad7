#include "xarch/guest_report.hpp"

#include <cstring>
#include <stdexcept>

namespace bpf_litmus::xarch {
namespace {

// A primitive's name with its spaces as underscores: one word on the line.
std::string word_of(std::string_view text) {
  std::string word(text);
  for (char& c : word) {
    if (c == ' ') c = '_';
  }
  return word;
}

std::vector<std::uint8_t> from_hex(std::string_view text) {
  std::vector<std::uint8_t> bytes;
  if (text == "-") return bytes;
  if (text.size() % 2 != 0) throw std::runtime_error("odd-length hex");
  const auto digit = [](char c) -> unsigned {
    if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
    throw std::runtime_error(std::string("not a hex digit: ") + c);
  };
  for (std::size_t i = 0; i < text.size(); i += 2) {
    bytes.push_back(static_cast<std::uint8_t>(digit(text[i]) << 4 | digit(text[i + 1])));
  }
  return bytes;
}

// Splits off the first space-separated word of `rest`.
std::string_view next_word(std::string_view& rest) {
  const std::size_t space = rest.find(' ');
  const std::string_view word = rest.substr(0, space);
  rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
  return word;
}

const audit::BpfPrimitive& primitive_named(std::string_view word) {
  for (const audit::BpfPrimitive& primitive : audit::audited_primitives()) {
    if (word_of(audit::primitive_name(primitive)) == word) return primitive;
  }
  throw std::runtime_error("unknown primitive " + std::string(word));
}

std::string line(std::string_view kind, std::string_view rest) {
  return std::string(kLinePrefix) + std::string(kind) + (rest.empty() ? "" : " ") + std::string(rest);
}

}  // namespace

std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  if (bytes.empty()) return "-";
  std::string text;
  for (const std::uint8_t byte : bytes) {
    text += kDigits[byte >> 4];
    text += kDigits[byte & 15];
  }
  return text;
}

std::string format_begin() { return line("begin", "1"); }
std::string format_end() { return line("end", ""); }

std::string format_uname(std::string_view release, std::string_view version, std::string_view machine) {
  return line("uname", word_of(machine) + " " + word_of(release) + " " + std::string(version));
}

std::string format_sysctl(std::string_view name, int value) {
  return line("sysctl", std::string(name) + " " + std::to_string(value));
}

std::string format_cpuinfo(std::string_view text) { return line("cpuinfo", text); }

std::string format_emulation(bool emulated, std::string_view evidence) {
  return line("emulation", std::string(emulated ? "1 " : "0 ") + std::string(evidence));
}

std::string format_capture(const audit::JitCapture& capture) {
  return line("capture", word_of(audit::primitive_name(capture.primitive)) + " " + to_hex(capture.with_primitive) +
                             " " + to_hex(capture.without_primitive) + " " + capture.error);
}

std::string format_test(std::string_view name) { return line("test", word_of(name)); }

std::string format_program(const ProgramImage& program) {
  return line("program", std::to_string(program.thread) + " " + to_hex(program.image) + " " + program.error);
}

std::string format_guest_programs(const GuestPrograms& programs) {
  std::string text = "test " + word_of(programs.test) + "\nmemory " + std::to_string(programs.map_value_size) + "\n";
  for (const GuestProgram& program : programs.programs) {
    std::string relocations;
    for (const std::size_t index : program.map_fd_relocations) {
      relocations += (relocations.empty() ? "" : ",") + std::to_string(index);
    }
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(program.insns.data());
    text += "program " + std::to_string(program.thread) + " " + (relocations.empty() ? "-" : relocations) + " " +
            to_hex(std::span(bytes, program.insns.size() * sizeof(bpf_insn))) + "\n";
  }
  return text;
}

GuestPrograms parse_guest_programs(std::string_view text) {
  GuestPrograms programs;
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    std::string_view rest = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    const std::string_view kind = next_word(rest);
    if (kind == "test") {
      programs.test = rest;
    } else if (kind == "memory") {
      programs.map_value_size = std::stoull(std::string(rest));
    } else if (kind == "program") {
      GuestProgram& program = programs.programs.emplace_back();
      program.thread = std::stoi(std::string(next_word(rest)));
      std::string_view relocations = next_word(rest);
      while (relocations != "-" && !relocations.empty()) {
        const std::size_t comma = relocations.find(',');
        program.map_fd_relocations.push_back(std::stoul(std::string(relocations.substr(0, comma))));
        relocations = comma == std::string_view::npos ? std::string_view{} : relocations.substr(comma + 1);
      }
      const std::vector<std::uint8_t> bytes = from_hex(rest);
      if (bytes.size() % sizeof(bpf_insn) != 0) throw std::runtime_error("a program of partial instructions");
      program.insns.resize(bytes.size() / sizeof(bpf_insn));
      std::memcpy(program.insns.data(), bytes.data(), bytes.size());
      for (const std::size_t index : program.map_fd_relocations) {
        if (index >= program.insns.size()) throw std::runtime_error("a map relocation past the program's end");
      }
    } else if (!kind.empty()) {
      throw std::runtime_error("unknown line in a programs file: " + std::string(kind));
    }
  }
  return programs;
}

GuestReport parse_guest_report(std::string_view console) {
  GuestReport report;
  bool begun = false;
  while (!console.empty()) {
    const std::size_t newline = console.find('\n');
    std::string_view text = console.substr(0, newline);
    console = newline == std::string_view::npos ? std::string_view{} : console.substr(newline + 1);
    while (!text.empty() && (text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
    const std::size_t at = text.find(kLinePrefix);  // the console may put a kernel message before it
    if (at == std::string_view::npos) continue;
    std::string_view rest = text.substr(at + kLinePrefix.size());
    const std::string_view kind = next_word(rest);
    if (kind == "begin") {
      report = {};  // a guest that printed twice (rebooted): the last report counts
      begun = true;
      continue;
    }
    if (!begun) continue;
    try {
      if (kind == "uname") {
        report.machine = next_word(rest);
        report.release = next_word(rest);
        report.version = rest;
      } else if (kind == "sysctl") {
        const std::string_view name = next_word(rest);
        const int value = std::stoi(std::string(rest));
        if (name == "bpf_jit_enable") report.bpf_jit_enable = value;
        if (name == "bpf_jit_harden") report.bpf_jit_harden = value;
      } else if (kind == "emulation") {
        report.emulation_detected = next_word(rest) == "1" ? 1 : 0;
        report.emulation_evidence = rest;
      } else if (kind == "cpuinfo") {
        report.cpuinfo.emplace_back(rest);
      } else if (kind == "capture") {
        audit::JitCapture& capture = report.captures.emplace_back();
        capture.primitive = primitive_named(next_word(rest));
        capture.with_primitive = from_hex(next_word(rest));
        capture.without_primitive = from_hex(next_word(rest));
        capture.error = rest;
      } else if (kind == "test") {
        report.test = rest;
      } else if (kind == "program") {
        ProgramImage& program = report.programs.emplace_back();
        program.thread = std::stoi(std::string(next_word(rest)));
        program.image = from_hex(next_word(rest));
        program.error = rest;
      } else if (kind == "end") {
        report.complete = true;
      }
    } catch (const std::exception& e) {
      throw std::runtime_error("malformed guest line `" + std::string(text.substr(at)) + "`: " + e.what());
    }
  }
  if (!begun) throw std::runtime_error("no guest report in the console output (the guest never reached /init?)");
  return report;
}

}  // namespace bpf_litmus::xarch
