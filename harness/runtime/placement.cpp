// Placement: which CPU runs which test thread, from hwloc's view of the
// machine restricted to the CPUs this process may use.
#include <hwloc.h>
#include <sched.h>

#include <algorithm>
#include <exception>
#include <map>
#include <memory>
#include <tuple>

#include "runtime/runtime.hpp"

namespace bpf_litmus::runtime {

namespace {

struct UsableCpu {
  CpuSlot slot;
  int sibling_rank = 0;  // position among the usable CPUs of its core
  int core_rank = 0;     // position of its core among the usable cores of its NUMA node
};

struct BitmapDeleter {
  void operator()(hwloc_bitmap_s* bitmap) const { hwloc_bitmap_free(bitmap); }
};
using Bitmap = std::unique_ptr<hwloc_bitmap_s, BitmapDeleter>;

// The machine's topology, loaded once per process: loading is slow, and
// hwloc's x86 backend (left out) would migrate the caller onto every CPU to
// run CPUID, waiting behind whatever program occupies one.
class Machine {
 public:
  Machine() {
    if (hwloc_topology_init(&topology_) != 0) {
      topology_ = nullptr;
      return;
    }
    hwloc_topology_set_components(topology_, HWLOC_TOPOLOGY_COMPONENTS_FLAG_BLACKLIST, "x86");
    loaded_ = hwloc_topology_load(topology_) == 0;
  }
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;
  ~Machine() {
    if (topology_ != nullptr) hwloc_topology_destroy(topology_);
  }
  // Null when hwloc could not read the machine. Read-only use is thread-safe.
  hwloc_topology_t topology() const { return loaded_ ? topology_ : nullptr; }

 private:
  hwloc_topology_t topology_ = nullptr;
  bool loaded_ = false;
};

// Usable CPUs in hwloc's order (by core, then by hardware thread).
std::vector<UsableCpu> usable_cpus() {
  static const Machine machine;
  const hwloc_topology_t topology = machine.topology();
  if (topology == nullptr) return {};

  // Allowed by the cgroup (hwloc's allowed set) and by our affinity mask, read now.
  Bitmap usable(hwloc_bitmap_dup(hwloc_topology_get_allowed_cpuset(topology)));
  Bitmap bound(hwloc_bitmap_alloc());
  if (!usable || !bound) return {};
  if (hwloc_get_cpubind(topology, bound.get(), HWLOC_CPUBIND_PROCESS) == 0) {
    hwloc_bitmap_and(usable.get(), usable.get(), bound.get());
  }

  std::vector<UsableCpu> cpus;
  std::map<int, int> siblings_seen;            // core -> usable CPUs met so far
  std::map<int, std::map<int, int>> core_rank;  // node -> core -> rank
  for (hwloc_obj_t pu = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_PU, nullptr); pu != nullptr;
       pu = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_PU, pu)) {
    if (!hwloc_bitmap_isset(usable.get(), pu->os_index)) continue;
    UsableCpu cpu;
    cpu.slot.cpu = static_cast<int>(pu->os_index);
    const hwloc_obj_t core = hwloc_get_ancestor_obj_by_type(topology, HWLOC_OBJ_CORE, pu);
    cpu.slot.core = core != nullptr ? static_cast<int>(core->logical_index) : cpu.slot.cpu;
    cpu.slot.numa_node = pu->nodeset != nullptr ? hwloc_bitmap_first(pu->nodeset) : 0;
    cpu.sibling_rank = siblings_seen[cpu.slot.core]++;
    auto& ranks = core_rank[cpu.slot.numa_node];
    cpu.core_rank = ranks.try_emplace(cpu.slot.core, static_cast<int>(ranks.size())).first->second;
    cpus.push_back(cpu);
  }
  return cpus;
}

// Orders CPUs so that the first N are the policy's choice for N threads.
void order_for(PlacementPolicy policy, std::vector<UsableCpu>& cpus) {
  auto key = [policy](const UsableCpu& c) {
    switch (policy) {
      case PlacementPolicy::SmtSiblings:
        return std::make_tuple(c.slot.core, c.sibling_rank, 0);
      case PlacementPolicy::DistinctNuma:
        return std::make_tuple(c.sibling_rank, c.core_rank, c.slot.numa_node);
      case PlacementPolicy::DistinctCores:
        break;
    }
    return std::make_tuple(c.sibling_rank, c.slot.core, 0);
  };
  std::stable_sort(cpus.begin(), cpus.end(), [&key](const UsableCpu& a, const UsableCpu& b) { return key(a) < key(b); });
}

}  // namespace

std::string_view placement_policy_name(PlacementPolicy policy) {
  switch (policy) {
    case PlacementPolicy::DistinctCores: return "cores";
    case PlacementPolicy::SmtSiblings: return "smt";
    case PlacementPolicy::DistinctNuma: return "numa";
  }
  return "cores";
}

std::string Placement::describe() const {
  std::string text;
  for (std::size_t t = 0; t < slots.size(); ++t) {
    if (!text.empty()) text += ' ';
    text += "P" + std::to_string(t) + ":cpu" + std::to_string(slots[t].cpu) + "/core" + std::to_string(slots[t].core) +
            "/node" + std::to_string(slots[t].numa_node);
  }
  if (oversubscribed) text += " (oversubscribed)";
  return text;
}

Placement choose_placement(int threads, const PlacementOptions& options) {
  Placement placement;
  std::vector<UsableCpu> cpus;
  try {
    cpus = usable_cpus();
  } catch (const std::exception& e) {  // allocation failure: no exception crosses the API
    placement.skip_reason = std::string("reading the CPU topology: ") + e.what();
    return placement;
  }
  placement.usable_cpus = static_cast<int>(cpus.size());
  if (cpus.empty()) {
    placement.skip_reason = "hwloc found no CPU this process may use";
    return placement;
  }
  if (threads < 1) {
    placement.skip_reason = "a test needs at least one thread";
    return placement;
  }
  const auto count = static_cast<std::size_t>(threads);
  if (count > cpus.size() && !options.oversubscribe) {
    placement.skip_reason = std::to_string(threads) + " threads but only " + std::to_string(cpus.size()) +
                            " usable CPUs (oversubscribe to let threads share CPUs)";
    return placement;
  }
  order_for(options.policy, cpus);
  placement.oversubscribed = count > cpus.size();
  for (std::size_t t = 0; t < count; ++t) placement.slots.push_back(cpus[t % cpus.size()].slot);
  return placement;
}

}  // namespace bpf_litmus::runtime
