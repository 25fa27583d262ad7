#include "cli/hammer_options.hpp"

#include <map>

namespace bpf_litmus::cli {

void add_hammer_options(CLI::App& cmd, PipelineOptions& pipeline, HammerArguments& arguments) {
  cmd.add_option("--loop", arguments.loop,
                 "instance loop: may_goto (Linux 6.9), bpf_loop (5.17), or auto: may_goto when the kernel has it")
      ->check(CLI::IsMember({"auto", "may_goto", "bpf_loop"}))
      ->capture_default_str();
  cmd.add_option("--instance-stride", pipeline.codegen.instance_stride,
                 "bytes from one instance's memory to the next (a multiple of 64; 0: as tight as the layout allows)")
      ->capture_default_str();
  cmd.add_flag("--permute", pipeline.codegen.permute_instances,
               "give instances their memory in a random order (per run, from --seed)");
  const std::map<std::string, runtime::PlacementPolicy> policies{{"cores", runtime::PlacementPolicy::DistinctCores},
                                                                  {"smt", runtime::PlacementPolicy::SmtSiblings},
                                                                  {"numa", runtime::PlacementPolicy::DistinctNuma}};
  cmd.add_option("--placement", pipeline.run.placement.policy,
                 "threads on distinct cores, on SMT siblings of one core first, or spread over NUMA nodes")
      ->transform(CLI::CheckedTransformer(policies));
  const std::map<std::string, runtime::CpuAssignment> assignments{{"fixed", runtime::CpuAssignment::Fixed},
                                                                   {"rotate", runtime::CpuAssignment::Rotate},
                                                                   {"shuffle", runtime::CpuAssignment::Shuffle}};
  cmd.add_option("--cpus", pipeline.run.cpu_assignment,
                 "which thread gets which of the placement's CPUs: fixed, or rotated or shuffled between launches")
      ->transform(CLI::CheckedTransformer(assignments));
  cmd.add_option("--skew-ns", pipeline.run.skew_ns,
                 "timebase: shift each thread's start by a random 0..N ns, drawn anew each launch")
      ->capture_default_str();
  cmd.add_option("--seed", pipeline.run.seed, "seed of the permutation, shuffles and skews (0: from the clock)")
      ->capture_default_str();
  cmd.add_option("--stress", pipeline.run.stress_threads,
                 "memory-stress threads on CPUs the test does not use (none start without spare CPUs)")
      ->capture_default_str();
  cmd.add_flag("--auto", pipeline.auto_select,
               "try every sync mode and layout briefly, then spend the rest of --time on the one with the most "
               "weak outcomes per second");
}

void add_sync_option(CLI::App& cmd, codegen::SyncMode& sync) {
  const std::map<std::string, codegen::SyncMode> modes{
      {"spin", codegen::SyncMode::Spin}, {"none", codegen::SyncMode::None}, {"timebase", codegen::SyncMode::Timebase}};
  cmd.add_option("--sync", sync, "how the threads of an instance start together")
      ->transform(CLI::CheckedTransformer(modes))
      ->capture_default_str();
}

void add_layout_option(CLI::App& cmd, codegen::LocationLayout& layout) {
  const std::map<std::string, codegen::LocationLayout> layouts{{"separate", codegen::LocationLayout::SeparateLines},
                                                               {"shared", codegen::LocationLayout::SharedLine}};
  cmd.add_option("--layout", layout, "locations on separate cache lines or one shared line")
      ->transform(CLI::CheckedTransformer(layouts));
}

void resolve_hammer_options(const HammerArguments& arguments, PipelineOptions& pipeline) {
  pipeline.loop_from_kernel = arguments.loop == "auto";
  if (!pipeline.loop_from_kernel) {
    pipeline.codegen.loop = arguments.loop == "bpf_loop" ? codegen::LoopStrategy::BpfLoop : codegen::LoopStrategy::MayGoto;
  }
}

}  // namespace bpf_litmus::cli
