// Loader: checks a CompiledTest against the kernel's features, creates and
// maps its arena, patches the arena's fd into the programs and loads them.
#include <bpf/bpf.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <exception>
#include <limits>

#include "codegen/codegen.hpp"
#include "codegen/uapi_compat.hpp"
#include "runtime/detail.hpp"

namespace bpf_litmus::runtime {

namespace detail {

namespace {

constexpr std::uint8_t kLdImm64 = BPF_LD | BPF_DW | BPF_IMM;

Error bad_input(std::string message) { return Error{Error::Kind::BadInput, std::move(message)}; }

// Does [offset, offset + count * stride + tail) lie within `limit` bytes?
bool region_fits(std::uint64_t offset, std::uint64_t count, std::uint64_t stride, std::uint64_t tail,
                 std::uint64_t limit) {
  if (offset > limit || tail > limit - offset) return false;
  const std::uint64_t room = limit - offset - tail;
  return stride == 0 || count <= room / stride;
}

// "Unsupported: P0 statement 2 (16-bit load-acquire): kernel lacks load_acquire_u16"
Error unsupported(const codegen::ThreadProgram& program, std::size_t index, Feature feature) {
  Error error{Error::Kind::Unsupported, {}};
  error.thread = program.thread;
  std::string where = "P" + std::to_string(program.thread);
  if (index < program.source_statement.size() && program.source_statement[index] >= 0) {
    error.statement = program.source_statement[index];
    where += " statement " + std::to_string(error.statement);
  } else {
    where += " harness code";
  }
  error.message = "Unsupported: " + where + " (" + std::string(feature_construct(feature)) +
                  "): kernel lacks " + std::string(feature_name(feature));
  return error;
}

}  // namespace

std::optional<Error> check_layout(const codegen::CompiledTest& test) {
  const auto& layout = test.layout;
  const std::size_t threads = test.programs.size();
  if (threads == 0 || threads > static_cast<std::size_t>(codegen::kMaxThreads)) {
    return bad_input("a test needs 1 to " + std::to_string(codegen::kMaxThreads) + " threads, this one has " +
                     std::to_string(threads));
  }
  for (std::size_t t = 0; t < threads; ++t) {
    const auto& program = test.programs[t];
    if (program.thread != static_cast<int>(t) || program.insns.empty()) {
      return bad_input("program " + std::to_string(t) + " is empty or numbered " + std::to_string(program.thread));
    }
    for (std::size_t index : program.map_fd_relocations) {
      if (index + 1 >= program.insns.size() || program.insns[index].code != kLdImm64 ||
          program.insns[index].src_reg != BPF_PSEUDO_MAP_VALUE) {
        return bad_input("P" + std::to_string(t) + ": relocation " + std::to_string(index) +
                         " is not a map-value ld_imm64");
      }
    }
  }
  if (layout.guard_bytes % 64 != 0 || layout.map_value_size <= layout.guard_bytes ||
      layout.map_value_size > std::numeric_limits<std::uint32_t>::max()) {
    return bad_input("arena of " + std::to_string(layout.map_value_size) + " bytes with a " +
                     std::to_string(layout.guard_bytes) + "-byte guard is not usable");
  }
  const std::uint64_t room = layout.map_value_size - layout.guard_bytes;  // from arena offset 0
  const std::uint32_t capacity = layout.capacity;
  const std::uint64_t results_bytes = std::uint64_t{layout.results_per_instance} * 8;
  const bool fits =
      std::has_single_bit(capacity) && region_fits(0, 1, 0, sizeof(codegen::ControlBlock), room) &&
      region_fits(layout.barriers_offset, capacity, layout.barrier_stride, 0, room) &&
      region_fits(layout.instances_offset, capacity, layout.instance_stride, 0, room) &&
      layout.instance_stride % 8 == 0 && layout.instance_image.size() <= layout.instance_stride &&
      (layout.permutation_offset == 0 ||
       region_fits(layout.permutation_offset, capacity, sizeof(std::uint32_t), 0, room)) &&
      region_fits(layout.results_offset, threads, layout.results_thread_stride, 0, room) &&
      region_fits(0, capacity, results_bytes, 0, layout.results_thread_stride);
  if (!fits) return bad_input("the regions of the arena layout overlap its end or each other's strides");
  for (const auto& init : layout.address_inits) {
    // Within one aligned 8-byte word: the runtime patches whole words.
    if (init.offset + static_cast<std::uint64_t>(init.width) > layout.instance_image.size() ||
        init.offset % 8 + static_cast<std::uint32_t>(init.width) > 8 || init.target_offset >= layout.instance_stride) {
      return bad_input("an address initialiser lies outside the instance image");
    }
  }
  for (const auto& slot : test.observed) {
    const bool inside = slot.from_result
                            ? slot.thread >= 0 && static_cast<std::size_t>(slot.thread) < threads &&
                                  slot.result_index < layout.results_per_instance
                            : slot.location_offset + static_cast<std::uint64_t>(slot.width) <= layout.instance_stride;
    if (!inside) return bad_input("an observed slot lies outside the layout");
  }
  return std::nullopt;
}

std::optional<Error> check_supported(const codegen::CompiledTest& test, const Features& features) {
  // The instructions first: they say where a missing feature is needed.
  for (const auto& program : test.programs) {
    for (std::size_t i = 0; i < program.insns.size(); ++i) {
      const auto feature = codegen::feature_of(program.insns[i]);
      if (feature && !features.has(*feature)) return unsupported(program, i, *feature);
      if (program.insns[i].code == kLdImm64) ++i;  // skip the second slot
    }
  }
  for (Feature feature : test.required_features) {
    if (!features.has(feature)) {
      return Error{Error::Kind::Unsupported, "Unsupported: " + std::string(feature_construct(feature)) +
                                                 ": kernel lacks " + std::string(feature_name(feature))};
    }
  }
  if (!features.has(Feature::MmapableArray)) {
    return Error{Error::Kind::Unsupported, "Unsupported: test memory: kernel lacks mmapable_array"};
  }
  if (test.layout.map_value_size > features.max_arena_bytes && features.max_arena_bytes < kArenaProbeLimit) {
    return Error{Error::Kind::Unsupported, "Unsupported: test memory of " + std::to_string(test.layout.map_value_size) +
                                               " bytes: kernel maps at most " +
                                               std::to_string(features.max_arena_bytes)};
  }
  return std::nullopt;
}

ArenaMapping::~ArenaMapping() {
  if (addr != nullptr) munmap(addr, length);
}

}  // namespace detail

namespace {

Error system_error(std::string what, int err) {
  Error error{Error::Kind::System, std::move(what) + ": " + std::strerror(err)};
  error.err = err;
  return error;
}

Expected<std::shared_ptr<detail::ArenaMapping>> map_arena(const codegen::MemoryLayout& layout) {
  auto arena = std::make_shared<detail::ArenaMapping>();
  auto opts = detail::libbpf_opts<bpf_map_create_opts>();
  opts.map_flags = BPF_F_MMAPABLE;
  arena->map_fd = detail::UniqueFd(bpf_map_create(BPF_MAP_TYPE_ARRAY, "litmus_arena", 4,
                                                  static_cast<std::uint32_t>(layout.map_value_size), 1, &opts));
  if (arena->map_fd.get() < 0) return system_error("creating the arena map", errno);
  const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  const std::size_t length = (layout.map_value_size + page - 1) / page * page;
  void* addr = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_SHARED, arena->map_fd.get(), 0);
  if (addr == MAP_FAILED) return system_error("mapping the arena", errno);
  arena->addr = addr;
  arena->length = length;
  arena->guard_bytes = layout.guard_bytes;
  return arena;
}

// The first instruction of each test statement and harness block: where a
// listing of the native code starts a new block.
std::vector<std::uint32_t> statement_starts(const codegen::ThreadProgram& program) {
  std::vector<std::uint32_t> starts;
  const auto& insns = program.insns;
  for (std::size_t i = 0; i < insns.size(); ++i) {
    const bool new_statement = i == 0 || (i < program.source_statement.size() &&
                                          program.source_statement[i] != program.source_statement[i - 1]);
    const bool new_block = std::any_of(program.harness_blocks.begin(), program.harness_blocks.end(),
                                       [i](const codegen::HarnessBlock& b) { return b.first_insn == i; });
    if (new_statement || new_block) starts.push_back(static_cast<std::uint32_t>(i));
    if (insns[i].code == detail::kLdImm64) ++i;  // never the second slot
  }
  return starts;
}

std::vector<detail::SlotReader> slot_readers(const codegen::CompiledTest& test) {
  const auto& layout = test.layout;
  std::vector<detail::SlotReader> readers;
  for (const auto& slot : test.observed) {
    if (slot.from_result) {
      const std::uint64_t stride = std::uint64_t{layout.results_per_instance} * 8;
      readers.push_back({false,
                         layout.results_offset + static_cast<std::uint64_t>(slot.thread) * layout.results_thread_stride +
                             std::uint64_t{slot.result_index} * 8,
                         stride, 8});
    } else {
      readers.push_back({true, slot.location_offset, 0, static_cast<std::uint8_t>(slot.width)});
    }
  }
  return readers;
}

Expected<LoadedTest> load_checked(const codegen::CompiledTest& test, const LoadOptions& options) {
  if (auto error = detail::check_layout(test)) return *error;
  const Features& features = probe_features();
  if (!features.probe_error.empty()) return Error{Error::Kind::System, "cannot use BPF: " + features.probe_error};
  if (auto error = detail::check_supported(test, features)) return *error;

  auto arena = map_arena(test.layout);
  if (!arena) return arena.error();
  auto impl = std::make_unique<LoadedTest::Impl>();
  impl->name = test.name;
  impl->sync = test.sync;
  impl->layout = test.layout;
  impl->arena = std::move(arena.value());
  impl->observed = slot_readers(test);
  for (const auto& program : test.programs) {
    std::vector<bpf_insn> insns = program.insns;
    for (std::size_t index : program.map_fd_relocations) insns[index].imm = impl->arena->map_fd.get();
    const std::string prog_name = "litmus_p" + std::to_string(program.thread);
    std::string log;
    const auto line_starts = options.line_info ? statement_starts(program) : std::vector<std::uint32_t>{};
    const int fd =
        detail::load_syscall_program(insns, prog_name.c_str(), &log, options.keep_verifier_log, line_starts);
    if (fd < 0) {
      const auto excerpt = detail::verifier_excerpt(log);
      Error error{Error::Kind::Rejected, "the verifier rejected P" + std::to_string(program.thread) + " (" +
                                             std::strerror(-fd) + ")"};
      error.err = -fd;
      error.thread = program.thread;
      if (excerpt.failing_insn >= 0) {
        const auto at = static_cast<std::size_t>(excerpt.failing_insn);
        error.message += " at instruction " + std::to_string(at);
        if (at < program.source_statement.size() && program.source_statement[at] >= 0) {
          error.statement = program.source_statement[at];
          error.message += " (test statement " + std::to_string(error.statement) + ")";
        }
      }
      if (!excerpt.text.empty()) error.message += ":\n" + excerpt.text;
      return error;
    }
    impl->programs.emplace_back(fd);
    if (options.keep_verifier_log) impl->verifier_logs.push_back(std::move(log));
  }
  return LoadedTest(std::move(impl));
}

}  // namespace

Expected<LoadedTest> load(const codegen::CompiledTest& test, const LoadOptions& options) {
  try {
    return load_checked(test, options);
  } catch (const std::exception& e) {  // allocation failure: no exception crosses the API
    return Error{Error::Kind::System, std::string("loading ") + test.name + ": " + e.what()};
  }
}

LoadedTest::LoadedTest(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LoadedTest::LoadedTest(LoadedTest&&) noexcept = default;
LoadedTest& LoadedTest::operator=(LoadedTest&&) noexcept = default;
LoadedTest::~LoadedTest() = default;
const std::string& LoadedTest::name() const { return impl_->name; }
int LoadedTest::threads() const { return static_cast<int>(impl_->programs.size()); }
const std::string& LoadedTest::verifier_log(int thread) const {
  static const std::string none;
  const auto t = static_cast<std::size_t>(thread);
  return thread >= 0 && t < impl_->verifier_logs.size() ? impl_->verifier_logs[t] : none;
}

}  // namespace bpf_litmus::runtime
