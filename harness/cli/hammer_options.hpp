// The `run` (and `campaign`) options that tune how tests are hammered
// (docs/throughput.md).
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "cli/pipeline.hpp"

namespace bpf_litmus::cli {

// Registers the options that tune how tests are hammered beyond --sync,
// --layout, --capacity and --slot-ns: --loop, --instance-stride, --permute,
// --placement, --cpus, --skew-ns, --seed, --stress, --auto. They land in
// `pipeline`; call resolve_hammer_options in the subcommand's callback.
struct HammerArguments {
  std::string loop = "auto";
};
void add_hammer_options(CLI::App& cmd, PipelineOptions& pipeline, HammerArguments& arguments);
// --sync spin|none|timebase and --layout separate|shared, by name.
void add_sync_option(CLI::App& cmd, codegen::SyncMode& sync);
void add_layout_option(CLI::App& cmd, codegen::LocationLayout& layout);
void resolve_hammer_options(const HammerArguments& arguments, PipelineOptions& pipeline);

}  // namespace bpf_litmus::cli
