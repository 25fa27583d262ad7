// The cross-architecture audit without QEMU: the guest report protocol, the
// judgement of real guest consoles captured under QEMU (fixtures/, from
// scripts/xarch-audit), the riscv64 decoder, and the audit table.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <unistd.h>

#include "audit/audit.hpp"
#include "audit/riscv_disasm.hpp"
#include "results/audit_table.hpp"
#include "xarch/emulation.hpp"
#include "xarch/guest_report.hpp"
#include "xarch/host_import.hpp"

namespace bpf_litmus::xarch {
namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(BPF_LITMUS_XARCH_FIXTURES) + "/" + name, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_TRUE(in) << name;
  return text.str();
}

// Primitive name -> its judged row, for a fixture console.
std::map<std::string, audit::AuditRow> judged(const std::string& name, audit::Isa expected_isa) {
  const GuestReport report = parse_guest_report(fixture(name));
  EXPECT_TRUE(report.complete);
  EXPECT_EQ(report.emulation_detected, 1) << "under TCG, `run` must see emulation: " << report.emulation_evidence;
  EXPECT_EQ(isa_of_machine(report.machine), expected_isa);
  EXPECT_EQ(report.captures.size(), audit::audited_primitives().size());
  std::map<std::string, audit::AuditRow> rows;
  for (audit::AuditRow& row : judge_guest(report, expected_isa)) rows[audit::primitive_name(row.primitive)] = row;
  return rows;
}

std::string code(const audit::AuditRow& row) {
  std::string text;
  for (const audit::NativeInsn& insn : row.native) text += (text.empty() ? "" : "; ") + insn.text();
  return text;
}

void expect_no_weaker(const std::map<std::string, audit::AuditRow>& rows) {
  for (const auto& [name, row] : rows) {
    EXPECT_NE(row.verdict, audit::AuditVerdict::Weaker) << name << ": " << code(row);
    EXPECT_NE(row.verdict, audit::AuditVerdict::Unknown) << name << ": " << code(row);
  }
}

TEST(GuestReport, RoundTripsThroughAConsoleWithKernelNoise) {
  audit::JitCapture ok{{audit::BpfOp::Xchg, 8, true}, {0xd5, 0x03, 0x3b, 0xbf}, {0x1f, 0x20}, ""};
  audit::JitCapture refused{{audit::BpfOp::LoadAcquire, 1, false}, {}, {}, "not loaded: Invalid argument: bad insn"};
  const std::string console = "[    0.1] booting\r\n" + format_begin() + "\r\n" +
                              format_uname("6.1.0-50-arm64", "#1 SMP Debian 6.1.176-1", "aarch64") +
                              "\n[    1.2] random: crng init done\n" + format_sysctl("bpf_jit_enable", 1) + "\n" +
                              format_emulation(true, "a QEMU fw-cfg node") + "\n" + "[ 1.3] noise " +
                              format_capture(ok) + "\n" + format_capture(refused) + "\n" + format_end() + "\n";
  const GuestReport report = parse_guest_report(console);
  EXPECT_TRUE(report.complete);
  EXPECT_EQ(report.machine, "aarch64");
  EXPECT_EQ(report.release, "6.1.0-50-arm64");
  EXPECT_EQ(report.version, "#1 SMP Debian 6.1.176-1");
  EXPECT_EQ(report.bpf_jit_enable, 1);
  EXPECT_EQ(report.emulation_detected, 1);
  ASSERT_EQ(report.captures.size(), 2u);
  EXPECT_EQ(report.captures[0].primitive, ok.primitive);
  EXPECT_EQ(report.captures[0].with_primitive, ok.with_primitive);
  EXPECT_EQ(report.captures[0].without_primitive, ok.without_primitive);
  EXPECT_EQ(report.captures[1].primitive, refused.primitive);
  EXPECT_TRUE(report.captures[1].with_primitive.empty());
  EXPECT_EQ(report.captures[1].error, refused.error);
}

TEST(GuestReport, AGuestThatDiedIsIncompleteAndGarbageIsAnError) {
  EXPECT_FALSE(parse_guest_report(format_begin() + "\n" + format_uname("r", "v", "riscv64") + "\n").complete);
  EXPECT_THROW((void)parse_guest_report("Kernel panic - not syncing: no init found\n"), std::runtime_error);
  EXPECT_THROW((void)parse_guest_report(format_begin() + "\n@bpf-litmus capture xchg_64 zz - \n"), std::runtime_error);
}

TEST(GuestPrograms, RoundTrip) {
  GuestPrograms programs{"MP+pos", 4096, {{0, {bpf_insn{0x18, 1, 2, 0, 7}, bpf_insn{}, bpf_insn{0x95, 0, 0, 0, 0}}, {0}},
                                          {1, {bpf_insn{0x95, 0, 0, 0, 0}}, {}}}};
  const GuestPrograms back = parse_guest_programs(format_guest_programs(programs));
  EXPECT_EQ(back.test, "MP+pos");
  EXPECT_EQ(back.map_value_size, 4096u);
  ASSERT_EQ(back.programs.size(), 2u);
  EXPECT_EQ(back.programs[0].map_fd_relocations, std::vector<std::size_t>{0});
  ASSERT_EQ(back.programs[0].insns.size(), 3u);
  EXPECT_EQ(back.programs[0].insns[0].imm, 7);
  EXPECT_EQ(back.programs[0].insns[0].src_reg, 2);
  EXPECT_TRUE(back.programs[1].map_fd_relocations.empty());
  EXPECT_THROW((void)parse_guest_programs("program 0 5 9500000000000000\n"), std::runtime_error);  // relocation past the end
}

TEST(GuestConsoles, Arm64LseUsesFullyOrderedAtomics) {
  const auto rows = judged("arm64-7.2-max.console", audit::Isa::Arm64);
  expect_no_weaker(rows);
  EXPECT_EQ(code(rows.at("atomic_fetch_add u64")), "ldaddal x1, x1, [x0]");
  EXPECT_EQ(code(rows.at("cmpxchg_64")).substr(0, 5), "casal");
  EXPECT_EQ(code(rows.at("lock add u32")), "stadd w1, [x0]");
  EXPECT_EQ(code(rows.at("load_acquire u32")), "ldar w1, [x0]");
  EXPECT_EQ(code(rows.at("store_release u16")), "stlrh w1, [x0]");
  EXPECT_EQ(rows.at("atomic_fetch_add u64").verdict, audit::AuditVerdict::Equal);
}

TEST(GuestConsoles, Arm64WithoutLseUsesExclusiveLoopsAndDmb) {
  const auto rows = judged("arm64-6.12-cortex-a57.console", audit::Isa::Arm64);
  expect_no_weaker(rows);
  const std::string fetch_add = code(rows.at("atomic_fetch_add u64"));
  EXPECT_NE(fetch_add.find("ldxr"), std::string::npos) << fetch_add;
  EXPECT_NE(fetch_add.find("stlxr"), std::string::npos) << fetch_add;
  EXPECT_TRUE(fetch_add.ends_with("dmb ish")) << fetch_add;
  EXPECT_EQ(rows.at("atomic_fetch_add u64").given, (audit::Ordering{true, true, true}));
  // 6.12 predates load-acquire/store-release: refused, with the verifier's reason
  EXPECT_EQ(rows.at("load_acquire u8").verdict, audit::AuditVerdict::NotRun);
}

TEST(GuestConsoles, Riscv64AmosAndLrScLoop) {
  const auto rows = judged("riscv64-7.2-rv64.console", audit::Isa::Riscv64);
  expect_no_weaker(rows);
  EXPECT_EQ(code(rows.at("atomic_fetch_add u64")), "amoadd.d.aqrl a1,a1,(a0)");
  EXPECT_EQ(code(rows.at("lock add u32")), "amoadd.w zero,a1,(a0)");
  EXPECT_EQ(code(rows.at("load_acquire u64")), "ld a1,0(a0); fence r,rw");
  EXPECT_EQ(code(rows.at("store_release u32")), "fence rw,w; sw a1,0(a0)");
  const std::string cmpxchg = code(rows.at("cmpxchg_64"));
  EXPECT_NE(cmpxchg.find("lr.d a5,(a0)"), std::string::npos) << cmpxchg;
  EXPECT_NE(cmpxchg.find("sc.d.rl"), std::string::npos) << cmpxchg;
  EXPECT_TRUE(cmpxchg.ends_with("fence rw,rw")) << cmpxchg;
}

TEST(GuestConsoles, Ppc64FetchAtomicsAreBracketedBySync) {
  const auto rows = judged("ppc64el-6.1-power9.console", audit::Isa::Ppc64);
  expect_no_weaker(rows);
  const std::string fetch_add = code(rows.at("atomic_fetch_add u32"));
  EXPECT_NE(fetch_add.find("sync 0; lwarx"), std::string::npos) << fetch_add;
  EXPECT_NE(fetch_add.find("stwcx."), std::string::npos) << fetch_add;
  EXPECT_EQ(rows.at("atomic_fetch_add u32").verdict, audit::AuditVerdict::Equal);
  EXPECT_EQ(rows.at("lock add u64").given, (audit::Ordering{false, false, true}));
}

TEST(GuestConsoles, S390xDebianKernelsHaveNoJit) {
  const GuestReport report = parse_guest_report(fixture("s390x-7.2-max.console"));
  EXPECT_EQ(report.bpf_jit_enable, -1);
  EXPECT_EQ(report.emulation_detected, 1) << report.emulation_evidence;
  for (const audit::AuditRow& row : judge_guest(report, audit::Isa::S390x)) {
    EXPECT_EQ(row.verdict, audit::AuditVerdict::NotRun);
    EXPECT_NE(row.note.find("no BPF JIT"), std::string::npos) << row.note;
  }
}

TEST(RiscvDecoder, DecodesTheAtomicsFencesAndCompressedForms) {
  const std::vector<std::uint8_t> code = {
      0xaf, 0x35, 0xb5, 0x06,  // amoadd.d.aqrl a1,a1,(a0)
      0xaf, 0x27, 0x05, 0x10,  // lr.w a5,(a0)
      0x2f, 0x2e, 0xb5, 0x1a,  // sc.w.rl t3,a1,(a0)
      0x0f, 0x00, 0x30, 0x03,  // fence rw,rw
      0x0f, 0x00, 0x30, 0x02,  // fence r,rw
      0x0f, 0x00, 0x10, 0x03,  // fence rw,w
      0xaf, 0x35, 0xb5, 0x2e,  // amocas.d.aqrl a1,a1,(a0) (Zacas)
      0x8c, 0x61,              // c.ld a1,0(a1)
      0x2e, 0x85,              // c.mv a0,a1
  };
  const std::vector<audit::NativeInsn> insns = audit::disassemble_riscv64(code);
  std::vector<std::string> texts;
  for (const auto& insn : insns) texts.push_back(insn.text());
  EXPECT_EQ(texts, (std::vector<std::string>{"amoadd.d.aqrl a1,a1,(a0)", "lr.w a5,(a0)", "sc.w.rl t3,a1,(a0)",
                                             "fence rw,rw", "fence r,rw", "fence rw,w", "amocas.d.aqrl a1,a1,(a0)",
                                             "ld a1,0(a1)", "mv a0,a1"}));
  EXPECT_EQ(insns[0].memory, audit::MemoryOperand::NotFirst);
  EXPECT_EQ(insns[3].memory, audit::MemoryOperand::None);
  EXPECT_EQ(insns[7].memory, audit::MemoryOperand::NotFirst);
  EXPECT_EQ(audit::find_isa_ordering_row(audit::Isa::Riscv64, "amocas.d.aqrl", "", audit::MemoryOperand::NotFirst)->id,
            "riscv.amo-full");
}

TEST(OrderingTable, LightweightAndReleaseFences) {
  const auto* lwsync = &audit::isa_ordering_row("ppc.lwsync");
  const auto* load = &audit::isa_ordering_row("ppc.load");
  const auto* store = &audit::isa_ordering_row("ppc.store");
  EXPECT_EQ(audit::compose(std::vector{load, lwsync}), audit::kAcquire);    // load; lwsync
  EXPECT_EQ(audit::compose(std::vector{lwsync, store}), audit::kRelease);   // lwsync; store
  EXPECT_EQ(audit::compose(std::vector{lwsync, load}), audit::kPlain);      // lwsync does not order store->load
  const auto* release = &audit::isa_ordering_row("riscv.fence-release");
  EXPECT_EQ(audit::compose(std::vector{release, &audit::isa_ordering_row("riscv.store")}), audit::kRelease);
  EXPECT_EQ(audit::compose(std::vector{release, &audit::isa_ordering_row("riscv.load")}), audit::kPlain);
}

TEST(Emulation, ThisMachineIsNotEmulated) {
  const EmulationCheck check = detect_emulation();
  EXPECT_FALSE(check.emulated) << check.evidence;
  EXPECT_FALSE(check.evidence.empty());
}

TEST(AuditTable, WeakerCellsStandOutAndColumnsCarryTheEmulator) {
  const auto dir = std::filesystem::temp_directory_path() / ("xarch-table-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const GuestReport report = parse_guest_report(fixture("arm64-7.2-max.console"));
  std::vector<audit::AuditRow> rows = judge_guest(report, audit::Isa::Arm64);
  rows[0].verdict = audit::AuditVerdict::Weaker;  // as a JIT bug would show
  const results::MachineFingerprint fingerprint =
      guest_fingerprint(report, "qemu-system-aarch64 -M virt -cpu max,pauth-impdef=on (TCG)");
  EXPECT_TRUE(fingerprint.emulated);
  EXPECT_EQ(fingerprint.cpu.model_name, "max");
  const std::string path = results::write_audit_result(
      dir.string(), fingerprint, {"bpf-litmus", "audit"}, {},
      results::AuditRecord{results::utc_timestamp(), "arm64", audit::audit_json(rows), report.cpuinfo});
  const results::ResultFile file = results::read_result_file(path);
  ASSERT_EQ(file.audits.size(), 1u);
  EXPECT_EQ(file.campaign_status(), "completed");
  EXPECT_TRUE(file.header.fingerprint.emulated);
  const results::AuditTable table = results::audit_table({file});
  ASSERT_EQ(table.columns.size(), 1u);
  EXPECT_EQ(table.columns[0].label, "arm64 · 7.2.13+deb14-arm64 · max");
  const std::string markdown = results::render_audit_markdown(table);
  EXPECT_NE(markdown.find("| load u8 | **ldrb w1, [x0] — WEAKER** |"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("ldaddal x1, x1, [x0] — equal"), std::string::npos);
  EXPECT_NE(markdown.find("1 cells WEAKER"), std::string::npos);
  EXPECT_NE(results::render_audit_html(table).find("class=\"weaker\""), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bpf_litmus::xarch
