// Errors as values: what the runtime returns instead of throwing.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace bpf_litmus::runtime {

struct Error {
  enum class Kind : unsigned char {
    Unsupported,  // the test needs something this kernel does not offer
    Rejected,     // the verifier refused a program (message holds its log lines)
    System,       // a system call failed (err holds the errno)
    BadInput,     // the compiled test is inconsistent (sizes, offsets)
  };
  Kind kind = Kind::System;
  std::string message;  // Unsupported: "Unsupported: <construct>: <missing kernel feature>"
  int err = 0;          // positive errno, when a system call failed
  int thread = -1;      // the test thread concerned, when there is one
  int statement = -1;   // its statement index (litmus::Thread::code), when known
};

// A T or the Error explaining why there is none.
template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : state_(std::move(value)) {}           // NOLINT: implicit by design
  Expected(Error error) : state_(std::move(error)) {}       // NOLINT
  bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  T& value() { return std::get<0>(state_); }
  const T& value() const { return std::get<0>(state_); }
  T* operator->() { return &value(); }
  T& operator*() { return value(); }
  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

}  // namespace bpf_litmus::runtime
