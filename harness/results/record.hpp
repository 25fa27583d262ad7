// The records of a result file (docs/results.md, docs/result-schema.json):
// one JSON object per line, told apart by "record":
//   "campaign"  first line: format, schema version, machine fingerprint, options
//   "test"      one per test run (a test run again later supersedes it)
//   "resume"    a campaign continued by `campaign --resume`
//   "end"       the campaign finished or was interrupted
//   "audit"     the JIT audit of the fingerprint's kernel (`bpf-litmus audit
//               --record`), in place of test records
// Readers skip record kinds they do not know.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/litmus7_log.hpp"
#include "results/fingerprint.hpp"
#include "runtime/throughput.hpp"

namespace bpf_litmus::results {

inline constexpr std::string_view kFormatName = "bpf-litmus-results";
// Bumped when a field changes meaning or disappears; new fields keep it.
inline constexpr int kSchemaVersion = 1;

// How a campaign runs each test (the options of `bpf-litmus campaign`).
struct CampaignOptions {
  double time_per_test = 0;     // seconds; 0: no time budget
  std::uint64_t iterations = 0;  // 0: until the time budget
  std::string sync = "spin";
  std::string layout = "separate";
  std::string model = "bpf";     // "none": judged against no model
  bool oversubscribe = false;
  bool auto_select = false;      // --auto: trials of every sync mode and layout, then the best
};

struct CampaignHeader {
  std::string campaign_id;  // also the file's name, less `.jsonl`
  std::string started;      // UTC, ISO 8601
  MachineFingerprint fingerprint;
  std::vector<std::string> command;  // the command line
  std::vector<std::string> inputs;   // files and directories as given
  CampaignOptions options;
  std::uint64_t tests_planned = 0;
};

struct ResumeRecord {
  std::string resumed;  // UTC, ISO 8601
  std::string fingerprint_id;
  std::vector<std::string> command;
  CampaignOptions options;
  std::uint64_t tests_planned = 0;
};

struct EndRecord {
  std::string finished;  // UTC, ISO 8601
  std::string status;    // "completed", "interrupted"
  std::uint64_t tests_recorded = 0;
};

// The model's verdict on the test, or why there is none.
struct ModelVerdict {
  std::string name;          // "bpf", "sc", "tso"
  bool predicted = false;    // false: see note
  std::string observation;   // "Never", "Sometimes", "Always"
  std::vector<std::string> allowed_states;  // herd7's state lines, in herd7's order
  std::uint64_t positive = 0;  // allowed executions satisfying the condition's proposition
  std::uint64_t negative = 0;
  std::string note;            // why there is no prediction
};

// One final state seen on the machine.
struct StateCount {
  std::string state;  // herd7's spelling: `0:r5=0; 1:r5=0;`
  std::uint64_t count = 0;
  bool satisfies_condition = false;  // litmus7's `*>`
  // The model's verdict (report::Verdict): "allowed" (also when no model
  // judged), "forbidden", or "outside_model" (an execution herd7 drops as
  // undefined may end in it: the model says nothing).
  std::string verdict = "allowed";
  std::string why_forbidden;  // the model's explanation, when asked for
  std::string why_outside;    // why the state is outside the model

  [[nodiscard]] bool forbidden() const { return verdict == "forbidden"; }
};

struct ThreadPlacement {
  int thread = 0;
  int cpu = -1;
  int core = -1;
  int numa_node = -1;
};

// How the test ran: report::RunFacts (what the log prints) plus what a
// comparison needs structured.
struct RunRecord {
  report::RunFacts facts;
  std::string layout;  // "separate", "shared"
  bool oversubscribed = false;
  std::vector<ThreadPlacement> threads;
  // How the test was hammered and how fast; --auto's trials (docs/throughput.md).
  // None when it never reached the runtime.
  std::optional<runtime::Throughput> throughput;
};

struct TestRecord {
  std::string name;           // as herd7 prints it
  std::string file;           // as the campaign was given it
  std::string source_sha256;  // of the file's bytes
  std::string started;        // UTC, ISO 8601
  std::string status;         // "ran", "stopped", "skipped", "unsupported", "bad_input", "rejected", "failed"
  std::string message;        // why, for every status but "ran"
  std::string kind;           // "Allowed" (exists), "Forbidden" (~exists), "Required" (forall)
  std::string condition;      // herd7's spelling, quantifier included
  std::optional<ModelVerdict> model;  // none: judged against no model
  // What the machine showed.
  std::vector<StateCount> histogram;  // in herd7's state order
  std::uint64_t positive = 0;  // instances satisfying the proposition: the weak outcomes of an `exists` test
  std::uint64_t negative = 0;
  bool validated = false;      // the quantified condition holds on what was seen
  std::string observation;     // "Never", "Sometimes", "Always"
  std::uint64_t forbidden_states = 0;     // states seen that the model forbids
  std::uint64_t forbidden_instances = 0;  // instances that ended in one
  std::uint64_t outside_model_states = 0;
  std::uint64_t outside_model_instances = 0;
  RunRecord run;

  [[nodiscard]] bool has_histogram() const { return status == "ran" || status == "stopped" || status == "failed"; }
};

// The JIT audit of one kernel: what `bpf-litmus audit --json` prints (audit::audit_json:
// per primitive its native code, the ordering it gives and needs, the verdict;
// the ordering table rows used, with citations), kept as it is.
struct AuditRecord {
  std::string started;  // UTC, ISO 8601
  std::string isa;      // "arm64"
  nlohmann::json audit;
  std::vector<std::string> guest_cpuinfo;  // emulated: the guest's /proc/cpuinfo lines naming its CPU
};

// "2025-01-31T12:00:00Z" for now, or for a given time.
[[nodiscard]] std::string utc_timestamp();

void to_json(nlohmann::json& json, const StateCount& state);
void from_json(const nlohmann::json& json, StateCount& state);
void to_json(nlohmann::json& json, const ModelVerdict& model);
void from_json(const nlohmann::json& json, ModelVerdict& model);
void to_json(nlohmann::json& json, const RunRecord& run);
void from_json(const nlohmann::json& json, RunRecord& run);
void to_json(nlohmann::json& json, const CampaignOptions& options);
void from_json(const nlohmann::json& json, CampaignOptions& options);
void to_json(nlohmann::json& json, const CampaignHeader& header);
void from_json(const nlohmann::json& json, CampaignHeader& header);
void to_json(nlohmann::json& json, const ResumeRecord& resume);
void from_json(const nlohmann::json& json, ResumeRecord& resume);
void to_json(nlohmann::json& json, const EndRecord& end);
void from_json(const nlohmann::json& json, EndRecord& end);
void to_json(nlohmann::json& json, const TestRecord& test);
void from_json(const nlohmann::json& json, TestRecord& test);
void to_json(nlohmann::json& json, const AuditRecord& audit);
void from_json(const nlohmann::json& json, AuditRecord& audit);

}  // namespace bpf_litmus::results

namespace bpf_litmus::runtime {

void to_json(nlohmann::json& json, const HammerConfig& config);
void from_json(const nlohmann::json& json, HammerConfig& config);
void to_json(nlohmann::json& json, const HammerRates& rates);
void from_json(const nlohmann::json& json, HammerRates& rates);
void to_json(nlohmann::json& json, const Throughput& throughput);
void from_json(const nlohmann::json& json, Throughput& throughput);

}  // namespace bpf_litmus::runtime
