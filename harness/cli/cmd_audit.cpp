// `bpf-litmus audit [--json]`: load one small program per BPF access and
// ordering primitive, read back what this kernel's JIT made of it, and judge
// the native code against what the BPF model requires (docs/audit.md).
// Exits 1 when a primitive's code is WEAKER than the model (or uses an
// instruction the ordering table does not know).
#include <sys/utsname.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "audit/audit.hpp"
#include "cli/commands.hpp"

namespace bpf_litmus::cli {

void add_audit_command(CLI::App& app, int* status) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("audit", "check the kernel JIT's code for every BPF ordering primitive");
  cmd->add_flag("--json", *json, "print the audit as JSON");
  cmd->callback([json, status] {
    const auto isa = audit::host_isa();
    if (!isa) {
      std::cerr << "bpf-litmus audit: the ordering table covers x86-64 and arm64, not this machine\n";
      *status = kExitRuntimeFailure;
      return;
    }
    std::vector<audit::AuditRow> rows;
    for (const auto& capture : audit::capture_jit_images(audit::audited_primitives())) {
      rows.push_back(audit::judge_capture(*isa, capture));
    }
    utsname uts{};
    const std::string kernel = uname(&uts) == 0 ? uts.release : "unknown";
    if (*json) {
      nlohmann::json out = audit::audit_json(rows);
      out["kernel"] = kernel;
      out["isa"] = audit::isa_name(*isa);
      std::cout << out.dump(2) << '\n';
    } else {
      std::cout << "JIT audit: " << audit::isa_name(*isa) << ", kernel " << kernel << "\n\n"
                << audit::format_audit(rows);
    }
    std::size_t judged = 0;
    bool weaker = false;
    for (const auto& row : rows) {
      judged += row.verdict != audit::AuditVerdict::NotRun;
      weaker = weaker || row.verdict == audit::AuditVerdict::Weaker || row.verdict == audit::AuditVerdict::Unknown;
    }
    *status = weaker ? kExitForbiddenObserved : judged == 0 ? kExitRuntimeFailure : kExitOk;
  });
}

}  // namespace bpf_litmus::cli
