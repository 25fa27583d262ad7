#include "results/record.hpp"

#include <ctime>

namespace bpf_litmus::results {
namespace {

using nlohmann::json;

// Reading a record tolerates missing fields (files from older versions): each
// takes its default.
template <typename T>
T field(const json& object, const char* key, T fallback = T{}) {
  const auto it = object.find(key);
  return it == object.end() || it->is_null() ? fallback : it->get<T>();
}

}  // namespace

void to_json(json& out, const StateCount& state) {
  out = {{"state", state.state},
         {"count", state.count},
         {"satisfies_condition", state.satisfies_condition},
         {"verdict", state.verdict}};
  if (!state.why_forbidden.empty()) out["why_forbidden"] = state.why_forbidden;
  if (!state.why_outside.empty()) out["why_outside"] = state.why_outside;
}

void from_json(const json& in, StateCount& state) {
  state.state = field<std::string>(in, "state");
  state.count = field<std::uint64_t>(in, "count");
  state.satisfies_condition = field<bool>(in, "satisfies_condition");
  state.verdict = field<std::string>(in, "verdict", "allowed");
  state.why_forbidden = field<std::string>(in, "why_forbidden");
  state.why_outside = field<std::string>(in, "why_outside");
}

void to_json(json& out, const ModelVerdict& model) {
  out = {{"name", model.name}, {"predicted", model.predicted}};
  if (model.predicted) {
    out["observation"] = model.observation;
    out["allowed_states"] = model.allowed_states;
    out["positive"] = model.positive;
    out["negative"] = model.negative;
  } else {
    out["note"] = model.note;
  }
}

void from_json(const json& in, ModelVerdict& model) {
  model.name = field<std::string>(in, "name");
  model.predicted = field<bool>(in, "predicted");
  model.observation = field<std::string>(in, "observation");
  model.allowed_states = field<std::vector<std::string>>(in, "allowed_states");
  model.positive = field<std::uint64_t>(in, "positive");
  model.negative = field<std::uint64_t>(in, "negative");
  model.note = field<std::string>(in, "note");
}

// The one place that says how a run is stored: a field added to
// report::RunFacts or RunRecord gets a line here and in from_json below.
void to_json(json& out, const RunRecord& run) {
  const report::RunFacts& facts = run.facts;
  json threads = json::array();
  for (const ThreadPlacement& thread : run.threads) {
    threads.push_back(
        {{"thread", thread.thread}, {"cpu", thread.cpu}, {"core", thread.core}, {"numa_node", thread.numa_node}});
  }
  out = {{"iterations", facts.iterations},
         {"seconds", facts.seconds},
         {"launches", facts.launches},
         {"unsynchronised", facts.unsynchronised},
         {"sync", facts.sync},
         {"layout", run.layout},
         {"placement", {{"description", facts.placement}, {"oversubscribed", run.oversubscribed}, {"threads", threads}}},
         {"machine", facts.machine},
         {"status_note", facts.status_note}};
  if (run.throughput) out["throughput"] = *run.throughput;
}

void from_json(const json& in, RunRecord& run) {
  report::RunFacts& facts = run.facts;
  facts.iterations = field<std::uint64_t>(in, "iterations");
  facts.seconds = field<double>(in, "seconds");
  facts.launches = field<std::uint64_t>(in, "launches");
  facts.unsynchronised = field<std::uint64_t>(in, "unsynchronised");
  facts.sync = field<std::string>(in, "sync");
  run.layout = field<std::string>(in, "layout");
  const json placement = field<json>(in, "placement", json::object());
  facts.placement = field<std::string>(placement, "description");
  run.oversubscribed = field<bool>(placement, "oversubscribed");
  run.threads.clear();
  for (const json& thread : field<json>(placement, "threads", json::array())) {
    run.threads.push_back({field<int>(thread, "thread"), field<int>(thread, "cpu", -1), field<int>(thread, "core", -1),
                           field<int>(thread, "numa_node", -1)});
  }
  facts.machine = field<std::string>(in, "machine");
  facts.status_note = field<std::string>(in, "status_note");
  run.throughput.reset();
  if (in.contains("throughput")) run.throughput = in.at("throughput").get<runtime::Throughput>();
}

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

void to_json(json& out, const CampaignOptions& options) {
  out = {{"time_per_test", options.time_per_test}, {"iterations", options.iterations},
         {"sync", options.sync},                   {"layout", options.layout},
         {"model", options.model},                 {"oversubscribe", options.oversubscribe},
         {"auto", options.auto_select}};
}

void from_json(const json& in, CampaignOptions& options) {
  const CampaignOptions defaults;
  options.time_per_test = field<double>(in, "time_per_test", defaults.time_per_test);
  options.iterations = field<std::uint64_t>(in, "iterations", defaults.iterations);
  options.sync = field<std::string>(in, "sync", defaults.sync);
  options.layout = field<std::string>(in, "layout", defaults.layout);
  options.model = field<std::string>(in, "model", defaults.model);
  options.oversubscribe = field<bool>(in, "oversubscribe", defaults.oversubscribe);
  options.auto_select = field<bool>(in, "auto", defaults.auto_select);
}

void to_json(json& out, const CampaignHeader& header) {
  out = {{"record", "campaign"},
         {"format", kFormatName},
         {"schema_version", kSchemaVersion},
         {"campaign_id", header.campaign_id},
         {"started", header.started},
         {"fingerprint", header.fingerprint},
         {"command", header.command},
         {"inputs", header.inputs},
         {"options", header.options},
         {"tests_planned", header.tests_planned}};
}

void from_json(const json& in, CampaignHeader& header) {
  header.campaign_id = field<std::string>(in, "campaign_id");
  header.started = field<std::string>(in, "started");
  header.fingerprint = field<MachineFingerprint>(in, "fingerprint");
  header.command = field<std::vector<std::string>>(in, "command");
  header.inputs = field<std::vector<std::string>>(in, "inputs");
  header.options = field<CampaignOptions>(in, "options");
  header.tests_planned = field<std::uint64_t>(in, "tests_planned");
}

void to_json(json& out, const ResumeRecord& resume) {
  out = {{"record", "resume"},
         {"resumed", resume.resumed},
         {"fingerprint_id", resume.fingerprint_id},
         {"command", resume.command},
         {"options", resume.options},
         {"tests_planned", resume.tests_planned}};
}

void from_json(const json& in, ResumeRecord& resume) {
  resume.resumed = field<std::string>(in, "resumed");
  resume.fingerprint_id = field<std::string>(in, "fingerprint_id");
  resume.command = field<std::vector<std::string>>(in, "command");
  resume.options = field<CampaignOptions>(in, "options");
  resume.tests_planned = field<std::uint64_t>(in, "tests_planned");
}

void to_json(json& out, const EndRecord& end) {
  out = {{"record", "end"}, {"finished", end.finished}, {"status", end.status}, {"tests_recorded", end.tests_recorded}};
}

void from_json(const json& in, EndRecord& end) {
  end.finished = field<std::string>(in, "finished");
  end.status = field<std::string>(in, "status");
  end.tests_recorded = field<std::uint64_t>(in, "tests_recorded");
}

void to_json(json& out, const TestRecord& test) {
  out = {{"record", "test"},
         {"name", test.name},
         {"file", test.file},
         {"source_sha256", test.source_sha256},
         {"started", test.started},
         {"status", test.status},
         {"message", test.message},
         {"kind", test.kind},
         {"condition", test.condition},
         {"model", test.model ? json(*test.model) : json(nullptr)},
         {"observed",
          {{"observation", test.observation},
           {"validated", test.validated},
           {"positive", test.positive},
           {"negative", test.negative},
           {"forbidden_states", test.forbidden_states},
           {"forbidden_instances", test.forbidden_instances},
           {"outside_model_states", test.outside_model_states},
           {"outside_model_instances", test.outside_model_instances},
           {"histogram", test.histogram}}},
         {"run", test.run}};
}

void from_json(const json& in, TestRecord& test) {
  test.name = field<std::string>(in, "name");
  test.file = field<std::string>(in, "file");
  test.source_sha256 = field<std::string>(in, "source_sha256");
  test.started = field<std::string>(in, "started");
  test.status = field<std::string>(in, "status");
  test.message = field<std::string>(in, "message");
  test.kind = field<std::string>(in, "kind");
  test.condition = field<std::string>(in, "condition");
  test.model = in.contains("model") && !in.at("model").is_null() ? std::optional(in.at("model").get<ModelVerdict>())
                                                                  : std::nullopt;
  const json observed = field<json>(in, "observed", json::object());
  test.observation = field<std::string>(observed, "observation");
  test.validated = field<bool>(observed, "validated");
  test.positive = field<std::uint64_t>(observed, "positive");
  test.negative = field<std::uint64_t>(observed, "negative");
  test.forbidden_states = field<std::uint64_t>(observed, "forbidden_states");
  test.forbidden_instances = field<std::uint64_t>(observed, "forbidden_instances");
  test.outside_model_states = field<std::uint64_t>(observed, "outside_model_states");
  test.outside_model_instances = field<std::uint64_t>(observed, "outside_model_instances");
  test.histogram = field<std::vector<StateCount>>(observed, "histogram");
  test.run = field<RunRecord>(in, "run");
}

void to_json(json& out, const AuditRecord& audit) {
  out = {{"record", "audit"}, {"started", audit.started}, {"isa", audit.isa}, {"audit", audit.audit}};
  if (!audit.guest_cpuinfo.empty()) out["guest_cpuinfo"] = audit.guest_cpuinfo;
}

void from_json(const json& in, AuditRecord& audit) {
  audit.started = field<std::string>(in, "started");
  audit.isa = field<std::string>(in, "isa");
  audit.audit = field<json>(in, "audit", json::object());
  audit.guest_cpuinfo = field<std::vector<std::string>>(in, "guest_cpuinfo");
}

}  // namespace bpf_litmus::results

// runtime's throughput record, found by nlohmann's lookup in its own namespace.
namespace bpf_litmus::runtime {

using nlohmann::json;

void to_json(json& out, const HammerConfig& config) {
  out = {{"loop", config.loop},
         {"sync", config.sync},
         {"layout", config.layout},
         {"capacity", config.capacity},
         {"instance_stride", config.instance_stride},
         {"permuted", config.permuted},
         {"placement", config.placement},
         {"cpu_assignment", config.cpu_assignment},
         {"slot_ns", config.slot_ns},
         {"skew_ns", config.skew_ns},
         {"stress_threads", config.stress_threads}};
}

void from_json(const json& in, HammerConfig& config) {
  config.loop = results::field<std::string>(in, "loop");
  config.sync = results::field<std::string>(in, "sync");
  config.layout = results::field<std::string>(in, "layout");
  config.capacity = results::field<std::uint32_t>(in, "capacity");
  config.instance_stride = results::field<std::uint32_t>(in, "instance_stride");
  config.permuted = results::field<bool>(in, "permuted");
  config.placement = results::field<std::string>(in, "placement");
  config.cpu_assignment = results::field<std::string>(in, "cpu_assignment");
  config.slot_ns = results::field<std::uint64_t>(in, "slot_ns");
  config.skew_ns = results::field<std::uint64_t>(in, "skew_ns");
  config.stress_threads = results::field<int>(in, "stress_threads");
}

void to_json(json& out, const HammerRates& rates) {
  out = {{"iterations", rates.iterations},
         {"seconds", rates.seconds},
         {"weak", rates.weak},
         {"iterations_per_second", rates.iterations_per_second()},
         {"weak_per_second", rates.weak_per_second()},
         {"hammering_seconds", rates.hammering_seconds},
         {"together_seconds", rates.together_seconds},
         {"together_share", rates.together_share()}};
}

void from_json(const json& in, HammerRates& rates) {
  rates.iterations = results::field<std::uint64_t>(in, "iterations");
  rates.seconds = results::field<double>(in, "seconds");
  rates.weak = results::field<std::uint64_t>(in, "weak");
  rates.hammering_seconds = results::field<double>(in, "hammering_seconds");
  rates.together_seconds = results::field<double>(in, "together_seconds");
}

void to_json(json& out, const Throughput& throughput) {
  json trials = json::array();
  for (const auto& trial : throughput.trials) {
    trials.push_back({{"config", trial.config}, {"rates", trial.rates}, {"status", trial.status}});
  }
  out = {{"config", throughput.config}, {"rates", throughput.rates}, {"seed", throughput.seed},
         {"weak_basis", throughput.weak_basis}, {"trials", trials}};
  if (!throughput.stress_note.empty()) out["stress_note"] = throughput.stress_note;
}

void from_json(const json& in, Throughput& throughput) {
  throughput.config = results::field<HammerConfig>(in, "config");
  throughput.rates = results::field<HammerRates>(in, "rates");
  throughput.seed = results::field<std::uint64_t>(in, "seed");
  throughput.weak_basis = results::field<std::string>(in, "weak_basis");
  throughput.trials.clear();
  for (const json& trial : results::field<json>(in, "trials", json::array())) {
    throughput.trials.push_back({results::field<HammerConfig>(trial, "config"),
                                 results::field<HammerRates>(trial, "rates"), results::field<std::string>(trial, "status")});
  }
  throughput.stress_note = results::field<std::string>(in, "stress_note");
}

}  // namespace bpf_litmus::runtime
