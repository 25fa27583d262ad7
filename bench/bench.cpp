// bpf-litmus-bench [--runs 5] [--seconds 1] [--iterations N] [--slot-ns 100]
//                  [--capacity 65536] [--twins-seconds 5]
//
// For SB+pos, MP+pos and LB+pos of litmus/ (and SB+pos's P0 alone, a control
// without cross-CPU traffic), in every sync mode and location
// layout: iterations/s and weak outcomes/s of the BPF programs and of a
// native C++ mirror of each test (bench/native_mirror.hpp), median and range
// of --runs runs each, the ratio bpf/native of the medians and the median of
// the ratios of each pair of runs (BPF, then native), and how much of the
// hammering time both threads ran side by side. Then the TSO-forbidden twins
// (MP+pos, SB+fetchadds, CoRR+pos) long in every mode and layout: they must
// show no weak outcome on x86 (exit 1 if one does).
//
// Counted, for both, two ways: hammering time (RunResult::kernel_time: each
// launch from the first thread's start to the last one's end, as the threads
// note them, BPF with bpf_ktime_get_ns and native with clock_gettime, both
// CLOCK_MONOTONIC), and wall time (RunResult::wall_time: the runtime's loop,
// launches plus the workers' count and reset of instances between them and
// the scheduling around them, the same runner code for both). Not counted:
// parsing, compiling, loading, starting the worker threads.
#include <sys/utsname.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "codegen/codegen.hpp"
#include "litmus/parser.hpp"
#include "model/model.hpp"
#include "native_mirror.hpp"
#include "report/judgement.hpp"
#include "report/numbers.hpp"
#include "runtime/detail.hpp"

using namespace bpf_litmus;

using report::si;

namespace {

struct Settings {
  int runs = 5;
  double seconds = 1.0;
  std::uint64_t iterations = 0;
  std::uint64_t slot_ns = 100;
  std::uint32_t capacity = 0;  // 0: as many as fit in the default arena budget
  double twins_seconds = 5.0;
  // Cells to run, by test and sync mode name (empty: all; fewer for quick
  // A/B comparisons of builds).
  std::vector<std::string> tests;
  std::vector<std::string> syncs;
};

// Median and range of one figure over the runs.
struct Spread {
  std::vector<double> values;
  double median() const {
    std::vector<double> v = values;
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
  }
  double low() const { return values.empty() ? 0 : *std::min_element(values.begin(), values.end()); }
  double high() const { return values.empty() ? 0 : *std::max_element(values.begin(), values.end()); }
};

std::string spread_text(const Spread& s) { return si(s.median()) + " [" + si(s.low()) + "-" + si(s.high()) + "]"; }

const char* sync_name(codegen::SyncMode sync) {
  switch (sync) {
    case codegen::SyncMode::None: return "none";
    case codegen::SyncMode::Spin: return "spin";
    case codegen::SyncMode::Timebase: return "timebase";
  }
  return "?";
}
const char* layout_name(codegen::LocationLayout layout) {
  return layout == codegen::LocationLayout::SharedLine ? "shared" : "separate";
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

// A test compiled in one configuration and loaded, ready to hammer.
struct Prepared {
  litmus::Test test;
  codegen::CompiledTest compiled;
  std::optional<runtime::LoadedTest> loaded;
};

// Every cell of the tables: each test, sync mode and layout. SB+pos.P0 is
// SB+pos's first thread alone: the same program and memory with nothing
// contending for its lines, so that a gap between BPF and native with two
// threads can be told apart from one in the code each thread runs (its
// condition never holds: nothing writes y, so it has no weak outcome).
constexpr const char* kSoloName = "SB+pos.P0";
constexpr const char* kTests[] = {"SB+pos", "MP+pos", "LB+pos", kSoloName};
constexpr const char* kSoloText = R"(BPF SB+pos.P0
{ 0:r1=x; 0:r2=y; }
 P0                    ;
 *(u32 *)(r1 + 0) = 1  ;
 r5 = *(u32 *)(r2 + 0) ;
exists (0:r5=1)
)";
constexpr codegen::SyncMode kSyncModes[] = {codegen::SyncMode::None, codegen::SyncMode::Spin, codegen::SyncMode::Timebase};
constexpr codegen::LocationLayout kLayouts[] = {codegen::LocationLayout::SeparateLines,
                                                codegen::LocationLayout::SharedLine};
bool selected(const std::vector<std::string>& chosen, const std::string& name) {
  return chosen.empty() || std::find(chosen.begin(), chosen.end(), name) != chosen.end();
}

// litmus/NAME.litmus compiled and loaded, or nullopt with the reason on stderr.
std::optional<Prepared> prepare(const std::string& name, codegen::SyncMode sync, codegen::LocationLayout layout,
                                std::uint32_t capacity) {
  const auto failed = [&name](const std::string& why) {
    std::fprintf(stderr, "%s: %s\n", name.c_str(), why.c_str());
    return std::nullopt;
  };
  Prepared p;
  try {
    p.test = name == kSoloName ? litmus::parse_text(kSoloText, "bench: " + name)
                               : litmus::parse_file(std::string(BPF_LITMUS_CORPUS_DIR) + "/" + name + ".litmus");
  } catch (const std::exception& e) {
    return failed(e.what());
  }
  codegen::CodegenOptions options;
  options.sync = sync;
  options.layout = layout;
  options.capacity = capacity;
  options.loop = runtime::preferred_loop(runtime::probe_features());
  auto compiled = codegen::compile(p.test, options);
  if (const auto* error = std::get_if<codegen::CodegenError>(&compiled)) return failed(codegen::to_string(*error));
  p.compiled = std::move(std::get<codegen::CompiledTest>(compiled));
  auto loaded = runtime::load(p.compiled);
  if (!loaded) return failed(loaded.error().message);
  p.loaded.emplace(std::move(loaded.value()));
  return p;
}

// Instances whose final state satisfies the test's condition: for SB, MP
// and LB the one state SC forbids; for the twins the state x86-TSO forbids.
std::uint64_t weak_outcomes(const Prepared& p, const runtime::RunResult& result) {
  std::uint64_t weak = 0;
  for (const auto& [state, count] : report::decode_histogram(p.test, p.compiled, result.histogram)) {
    if (model::condition_holds(p.test, state)) weak += count;
  }
  return weak;
}

runtime::RunOptions run_options(const Settings& settings, double seconds) {
  runtime::RunOptions options;
  options.iterations = settings.iterations;
  options.time_budget = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
  options.slot_ns = settings.slot_ns;
  return options;
}

struct Figures {
  double rate = 0, weak_rate = 0;                // per second of wall time
  double hammer_rate = 0, hammer_weak_rate = 0;  // per second of hammering time
  double together = 0;                           // share of hammering time with both threads running
  std::uint64_t weak = 0;
};
std::optional<Figures> figures(const Prepared& p, const runtime::RunResult& result) {
  if (result.status != runtime::RunStatus::Completed) {
    std::fprintf(stderr, "%s: %s\n", p.test.name.c_str(), result.message.c_str());
    return std::nullopt;
  }
  const double wall = std::chrono::duration<double>(result.wall_time).count();
  const double hammering = std::chrono::duration<double>(result.kernel_time).count();
  const auto iterations = static_cast<double>(result.iterations);
  const std::uint64_t weak = weak_outcomes(p, result);
  return Figures{iterations / wall, static_cast<double>(weak) / wall, iterations / hammering,
                 static_cast<double>(weak) / hammering,
                 std::chrono::duration<double>(result.together_time).count() / hammering, weak};
}

// One implementation's figures in one cell, over the runs.
struct Spreads {
  Spread rate, weak, hammer_rate, hammer_weak, together;
  void add(const Figures& f) {
    rate.values.push_back(f.rate);
    weak.values.push_back(f.weak_rate);
    hammer_rate.values.push_back(f.hammer_rate);
    hammer_weak.values.push_back(f.hammer_weak_rate);
    together.values.push_back(f.together);
  }
};

struct Cell {
  std::string test;
  codegen::SyncMode sync;
  codegen::LocationLayout layout;
  Spreads bpf, native;
  // BPF/native iterations per second of each run and the native run right
  // after it: this VM's speed drifts between runs, and a pair shares it.
  Spread paired_hammer_ratio, paired_wall_ratio;
  void add(const Figures& b, const Figures& n) {
    bpf.add(b);
    native.add(n);
    paired_hammer_ratio.values.push_back(n.hammer_rate > 0 ? b.hammer_rate / n.hammer_rate : 0);
    paired_wall_ratio.values.push_back(n.rate > 0 ? b.rate / n.rate : 0);
  }
};

std::string ratio_text(double bpf, double native) {
  char text[16];
  if (native <= 0) return "-";
  std::snprintf(text, sizeof text, "%.2f", bpf / native);
  return text;
}

std::string paired_text(const Spread& s) {
  char text[48];
  std::snprintf(text, sizeof text, "%.2f [%.2f-%.2f]", s.median(), s.low(), s.high());
  return text;
}

std::string share_text(const Spread& s) {
  char text[16];
  std::snprintf(text, sizeof text, "%3.0f%%", 100 * s.median());
  return text;
}

void print_header(const char* what) {
  std::printf("\n%s\n%-9s %-9s %-9s | %-22s %-22s | %-22s %-22s | %5s %5s | %-17s | %s\n", what, "test", "sync",
              "layout", "BPF iter/s", "BPF weak/s", "native iter/s", "native weak/s", "iter", "weak", "paired iter",
              "together B/N");
}

void print_row(const Cell& cell, Spread Spreads::*rate, Spread Spreads::*weak, const Spread& paired) {
  std::printf("%-9s %-9s %-9s | %-22s %-22s | %-22s %-22s | %5s %5s | %-17s | %s %s\n", cell.test.c_str(),
              sync_name(cell.sync), layout_name(cell.layout), spread_text(cell.bpf.*rate).c_str(),
              spread_text(cell.bpf.*weak).c_str(), spread_text(cell.native.*rate).c_str(),
              spread_text(cell.native.*weak).c_str(),
              ratio_text((cell.bpf.*rate).median(), (cell.native.*rate).median()).c_str(),
              ratio_text((cell.bpf.*weak).median(), (cell.native.*weak).median()).c_str(), paired_text(paired).c_str(),
              share_text(cell.bpf.together).c_str(), share_text(cell.native.together).c_str());
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  CLI::App app{"bpf-litmus-bench: BPF programs against native C++ mirrors, per sync mode and layout"};
  app.add_option("--runs", settings.runs, "runs per cell (the median is printed)")->capture_default_str();
  app.add_option("--seconds", settings.seconds, "length of each run")->capture_default_str();
  app.add_option("--iterations", settings.iterations, "instances per run instead (0: by --seconds)")->capture_default_str();
  app.add_option("--slot-ns", settings.slot_ns, "timebase slot")->capture_default_str();
  app.add_option("--capacity", settings.capacity, "instances per arena (0: as many as fit in 64 MiB)")->capture_default_str();
  app.add_option("--twins-seconds", settings.twins_seconds, "run of each TSO-forbidden twin per mode and layout (0: skip)")
      ->capture_default_str();
  std::vector<std::string> sync_names;
  for (const codegen::SyncMode sync : kSyncModes) sync_names.emplace_back(sync_name(sync));
  app.add_option("--tests", settings.tests, "tests of the tables (default: all)")
      ->check(CLI::IsMember(std::vector<std::string>(std::begin(kTests), std::end(kTests))));
  app.add_option("--sync", settings.syncs, "sync modes of the tables (default: all)")->check(CLI::IsMember(sync_names));
  CLI11_PARSE(app, argc, argv);

  utsname uts{};
  uname(&uts);
  std::printf("bpf-litmus-bench: kernel %s, %d usable CPUs, loop %s; %d runs of %.1f s per cell "
              "(median [min-max]); load average at start %s\n",
              uts.release, runtime::choose_placement(1, {}).usable_cpus,
              std::string(codegen::loop_strategy_name(runtime::preferred_loop(runtime::probe_features()))).c_str(),
              settings.runs, settings.seconds, load_average().c_str());
  std::printf("Hammering time: each launch from the first thread's start to the last one's end, as the threads\n"
              "note them. Wall time: the runner's loop, launches plus counting and resetting instances between\n"
              "them and the scheduling around them. The same runner for both; not counted: parsing, compiling,\n"
              "loading, thread start-up. Cells run BPF and native alternately. iter, weak: BPF/native of the\n"
              "medians; paired iter: median [min-max] of each BPF run's rate over the native run's after it;\n"
              "together: median share of hammering time in which both threads ran, BPF and native.\n");

  std::vector<Cell> cells;
  bool all_ran = true;
  for (const char* name : kTests) {
    if (!selected(settings.tests, name)) continue;
    for (const codegen::SyncMode sync : kSyncModes) {
      if (!selected(settings.syncs, sync_name(sync))) continue;
      for (const codegen::LocationLayout layout : kLayouts) {
        auto prepared = prepare(name, sync, layout, settings.capacity);
        if (!prepared) return 2;
        Prepared& p = *prepared;
        const auto mirror = bench::native_mirror(p.test, p.compiled, *p.loaded);
        if (!mirror) {
          std::fprintf(stderr, "%s: no native mirror for this layout\n", name);
          return 2;
        }
        Cell cell{name, sync, layout, {}, {}, {}, {}};
        const runtime::RunOptions options = run_options(settings, settings.seconds);
        for (int run = 0; run < settings.runs; ++run) {  // alternate, so that load drifts hit both alike
          const auto bpf = figures(p, runtime::run(*p.loaded, options));
          const auto native = figures(p, runtime::detail::run_with(*p.loaded, options, *mirror));
          if (!bpf || !native) {
            all_ran = false;
            continue;
          }
          cell.add(*bpf, *native);
        }
        std::fprintf(stderr, "%s %s %s done\n", name, sync_name(sync), layout_name(layout));
        cells.push_back(std::move(cell));
      }
    }
  }
  print_header("Per second of hammering time:");
  for (const Cell& cell : cells) print_row(cell, &Spreads::hammer_rate, &Spreads::hammer_weak, cell.paired_hammer_ratio);
  print_header("Per second of wall time:");
  for (const Cell& cell : cells) print_row(cell, &Spreads::rate, &Spreads::weak, cell.paired_wall_ratio);
  const auto best = std::max_element(cells.begin(), cells.end(), [](const Cell& a, const Cell& b) {
    return (a.test == "SB+pos" ? a.bpf.weak.median() : -1) < (b.test == "SB+pos" ? b.bpf.weak.median() : -1);
  });
  if (best != cells.end() && best->test == "SB+pos") {
    std::printf("\nBest SB+pos weak outcomes per wall second (BPF): %s with sync %s, layout %s%s\n",
                si(best->bpf.weak.median()).c_str(), sync_name(best->sync), layout_name(best->layout),
                best->sync == codegen::SyncMode::Timebase ? (", slot " + std::to_string(settings.slot_ns) + " ns").c_str()
                                                          : "");
  }

  bool twin_weak = false;
  if (settings.twins_seconds > 0) {
    std::printf("\nTSO-forbidden twins, %.0f s per mode and layout (weak = the condition's state, x86-TSO forbids it):\n",
                settings.twins_seconds);
    for (const char* name : {"MP+pos", "SB+fetchadds", "CoRR+pos"}) {
      for (const codegen::SyncMode sync : kSyncModes) {
        for (const codegen::LocationLayout layout : kLayouts) {
          auto prepared = prepare(name, sync, layout, settings.capacity);
          if (!prepared) return 2;
          Prepared& p = *prepared;
          runtime::RunOptions options = run_options(settings, settings.twins_seconds);
          options.iterations = 0;
          const auto f = figures(p, runtime::run(*p.loaded, options));
          if (!f) {
            all_ran = false;
            continue;
          }
          twin_weak = twin_weak || f->weak != 0;
          std::printf("%-13s %-9s %-9s %14s iterations %6llu weak%s\n", name, sync_name(sync), layout_name(layout),
                      si(f->rate * settings.twins_seconds).c_str(), static_cast<unsigned long long>(f->weak),
                      f->weak != 0 ? "   !!! x86-TSO forbids this" : "");
          std::fflush(stdout);
        }
      }
    }
  }
  std::printf("\nLoad average at end: %s\n", load_average().c_str());
  return twin_weak ? 1 : all_ran ? 0 : 3;
}
