// Records for the results tests: small, complete, and differing where a test needs them to.
#pragma once

#include <string>

#include "results/record.hpp"

namespace bpf_litmus::results::testing {

inline MachineFingerprint fingerprint_of(const std::string& hostname, const std::string& release) {
  MachineFingerprint fingerprint;
  fingerprint.hostname = hostname;
  fingerprint.cpu = {"x86_64", "GenuineIntel", "Intel Xeon", "6", "85", "7", "0x5003604"};
  fingerprint.topology = {1, 1, 4, 8};
  fingerprint.kernel.release = release;
  fingerprint.kernel.version = "#1 SMP PREEMPT_DYNAMIC";
  fingerprint.kernel.bpf_jit_enable = 1;
  fingerprint.kernel.bpf_jit_harden = 0;
  fingerprint.id = fingerprint_id(fingerprint);
  return fingerprint;
}

inline CampaignHeader header_of(const MachineFingerprint& fingerprint) {
  CampaignHeader header;
  header.campaign_id = fingerprint.hostname + "-" + fingerprint.id + "-20250101T000000Z";
  header.started = "2025-01-01T00:00:00Z";
  header.fingerprint = fingerprint;
  header.command = {"bpf-litmus", "campaign", "litmus/"};
  header.inputs = {"litmus/"};
  header.tests_planned = 2;
  return header;
}

// SB+pos, its weak outcome seen `weak` times in `iterations`; `forbidden` more
// instances in a state the model forbids.
inline TestRecord sb_record(std::uint64_t weak, std::uint64_t iterations, std::uint64_t forbidden = 0) {
  TestRecord record;
  record.name = "SB+pos";
  record.file = "litmus/SB+pos.litmus";
  record.source_sha256 = std::string(64, 'a');
  record.started = "2025-01-01T00:00:01Z";
  record.status = "ran";
  record.kind = "Allowed";
  record.condition = "exists (0:r5=0 /\\ 1:r5=0)";
  ModelVerdict model;
  model.name = "bpf";
  model.predicted = true;
  model.observation = "Sometimes";
  model.allowed_states = {"0:r5=0; 1:r5=0;", "0:r5=0; 1:r5=1;", "0:r5=1; 1:r5=0;", "0:r5=1; 1:r5=1;"};
  model.positive = 1;
  model.negative = 3;
  record.model = model;
  record.histogram = {{"0:r5=0; 1:r5=0;", weak, true, "allowed", "", ""},
                      {"0:r5=1; 1:r5=1;", iterations - weak - forbidden, false, "allowed", "", ""}};
  if (forbidden > 0) {
    record.histogram.push_back({"0:r5=2; 1:r5=7;", forbidden, false, "forbidden", "Happens-before: a cycle", ""});
    record.forbidden_states = 1;
    record.forbidden_instances = forbidden;
  }
  record.positive = weak;
  record.negative = iterations - weak;
  record.validated = weak > 0;
  record.observation = weak == 0 ? "Never" : weak == iterations ? "Always" : "Sometimes";
  record.run.facts.iterations = iterations;
  record.run.facts.seconds = 2;
  record.run.facts.launches = 10;
  record.run.facts.sync = "spin";
  record.run.facts.placement = "P0:cpu0/core0/node0 P1:cpu1/core1/node0";
  record.run.layout = "separate";
  record.run.threads = {{0, 0, 0, 0}, {1, 1, 1, 0}};
  return record;
}

inline TestRecord skipped_record(const std::string& name, const std::string& why) {
  TestRecord record;
  record.name = name;
  record.file = "litmus/" + name + ".litmus";
  record.source_sha256 = std::string(64, 'b');
  record.started = "2025-01-01T00:00:02Z";
  record.status = "skipped";
  record.message = why;
  record.kind = "Allowed";
  record.observation = "Never";
  return record;
}

}  // namespace bpf_litmus::results::testing
