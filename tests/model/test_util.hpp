// Helpers for the model tests: tests written inline in herd7's BPF dialect.
#pragma once

#include <string>

#include "litmus/parser.hpp"
#include "model/model.hpp"

namespace bpf_litmus::model::testing {

inline litmus::Test parse(const std::string& text) { return litmus::parse_text(text, "inline.litmus"); }

inline Prediction predict_text(const std::string& text, ModelKind kind, const Limits& limits = {}) {
  return predict(parse(text), kind, limits);
}

// SB with `between` placed between each thread's write and read; P0 uses r5/r6 for it.
inline std::string store_buffering(const std::string& between0 = "", const std::string& between1 = "") {
  return "BPF SB\n"
         "{ 0:r1=x; 0:r3=y; 0:r5=t; 0:r6=0; 1:r1=x; 1:r3=y; 1:r5=u; 1:r6=0; 1:r0=9; }\n"
         " P0                    | P1                    ;\n"
         " *(u32 *)(r1 + 0) = 1  | *(u32 *)(r3 + 0) = 1  ;\n"
         " " + between0 + " | " + between1 + " ;\n"
         " r2 = *(u32 *)(r3 + 0) | r2 = *(u32 *)(r1 + 0) ;\n"
         "exists (0:r2=0 /\\ 1:r2=0)\n";
}

inline const std::string kMessagePassing =
    "BPF MP\n"
    "{ 0:r1=x; 0:r3=y; 1:r1=x; 1:r3=y; }\n"
    " P0                    | P1                    ;\n"
    " *(u32 *)(r1 + 0) = 1  | r2 = *(u32 *)(r3 + 0) ;\n"
    " *(u32 *)(r3 + 0) = 1  | r4 = *(u32 *)(r1 + 0) ;\n"
    "exists (1:r2=1 /\\ 1:r4=0)\n";

inline const std::string kLoadBuffering =
    "BPF LB\n"
    "{ 0:r1=x; 0:r3=y; 1:r1=x; 1:r3=y; }\n"
    " P0                    | P1                    ;\n"
    " r2 = *(u32 *)(r1 + 0) | r2 = *(u32 *)(r3 + 0) ;\n"
    " *(u32 *)(r3 + 0) = 1  | *(u32 *)(r1 + 0) = 1  ;\n"
    "exists (0:r2=1 /\\ 1:r2=1)\n";

}  // namespace bpf_litmus::model::testing
