// Every malformed input gets one precise `file:line:col: expected ..., got ...`.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "test_util.hpp"

namespace bpf_litmus::litmus {
namespace {

using test_support::parse_error_of;

// A two-thread test with the given rows (line 4 onwards) and condition.
std::string two_threads(std::string_view rows, std::string_view condition = "exists (0:r1=1)") {
  return "BPF t\n{ 0:r1=x; 1:r1=y; }\n P0 | P1 ;\n" + std::string(rows) + std::string(condition) +
         "\n";
}

// One thread whose single row (line 4) is cell.
std::string one_cell(std::string_view cell) {
  return "BPF t\n{ 0:r1=x; }\n P0 ;\n" + std::string(cell) + " ;\nexists (0:r1=1)\n";
}

TEST(Errors, EmptyInput) {
  EXPECT_EQ(parse_error_of(""), "t.litmus:1:1: expected 'BPF', got end of file");
}

TEST(Errors, WrongArchitecture) {
  EXPECT_EQ(parse_error_of("AArch64 t\n{}\n"), "t.litmus:1:1: expected 'BPF', got 'AArch64'");
}

TEST(Errors, MissingTestName) {
  EXPECT_EQ(parse_error_of("BPF {}"), "t.litmus:1:5: expected a test name, got '{'");
  EXPECT_EQ(parse_error_of("BPF \nt\n{}"), "t.litmus:1:5: expected a test name, got end of line");
}

TEST(Errors, MissingInitBlock) {
  EXPECT_EQ(parse_error_of("BPF t\n P0 ;\n"),
            "t.litmus:2:2: expected '{' starting the initial state, got 'P0'");
}

TEST(Errors, MissingSemicolonInInit) {
  EXPECT_EQ(parse_error_of("BPF t\n{ 0:r1=x 0:r2=y; }\n"),
            "t.litmus:2:10: expected ';' or '}', got '0'");
}

TEST(Errors, MissingSemicolonAtEndOfRow) {
  EXPECT_EQ(parse_error_of(two_threads(" r1 = 1 | r1 = 2\n")),
            "t.litmus:5:1: expected '|' or ';', got 'exists'");
}

TEST(Errors, MissingCloseParenthesis) {
  EXPECT_EQ(parse_error_of(one_cell(" r1 = *(u32 *)(r1 + 0;")),
            "t.litmus:4:22: expected ')', got ';'");
}

TEST(Errors, BadWidth) {
  EXPECT_EQ(parse_error_of(one_cell(" r2 = *(u7 *)(r1 + 0)")),
            "t.litmus:4:9: expected a width u8, u16, u32 or u64, got 'u7'");
}

TEST(Errors, UnknownInstruction) {
  EXPECT_EQ(parse_error_of(one_cell(" call 5")),
            "t.litmus:4:2: expected an instruction or a label, got 'call'");
}

TEST(Errors, UnknownAtomicName) {
  EXPECT_EQ(parse_error_of(one_cell(" r2 = atomic_fetch_sub((u32 *)(r1 + 0), r2)")),
            "t.litmus:4:7: expected a register, a number, a load or an atomic operation, "
            "got 'atomic_fetch_sub'");
}

TEST(Errors, UndefinedLabel) {
  EXPECT_EQ(parse_error_of(two_threads(" goto L9 | L9: ;\n")),
            "t.litmus:4:7: expected a label defined in P0, got 'L9'");
}

TEST(Errors, DuplicateLabel) {
  EXPECT_EQ(parse_error_of(two_threads(" L: | ;\n L: | ;\n")),
            "t.litmus:5:2: expected a new label (L is already defined at 4:2), got 'L'");
}

TEST(Errors, TooManyCellsInRow) {
  EXPECT_EQ(parse_error_of(two_threads(" r1 = 1 | r1 = 2 | r1 = 3 ;\n")),
            "t.litmus:4:18: expected ';' ending this row of 2 cells (one per thread), got '|'");
}

TEST(Errors, TooFewCellsInRow) {
  EXPECT_EQ(parse_error_of(two_threads(" r1 = 1 ;\n")),
            "t.litmus:4:9: expected 2 cells in this row (one per thread), got 1");
}

TEST(Errors, ThreadsOutOfOrder) {
  EXPECT_EQ(parse_error_of("BPF t\n{}\n P0 | P2 ;\n"), "t.litmus:3:7: expected 'P1', got 'P2'");
}

TEST(Errors, UnterminatedComment) {
  EXPECT_EQ(parse_error_of("BPF t\n(* one (* two *)\n{}\n"),
            "t.litmus:2:1: expected '*)' closing this comment, got end of file");
}

TEST(Errors, CommentsNestedTooDeep) {
  std::string text = "BPF t\n";
  for (int i = 0; i < 65; ++i) text += "(*";
  EXPECT_EQ(parse_error_of(text),
            "t.litmus:2:129: expected comments nested at most 64 deep, got deeper nesting");
}

TEST(Errors, UnterminatedDocString) {
  EXPECT_EQ(parse_error_of("BPF t \"doc\n{}\n"),
            "t.litmus:1:7: expected '\"' closing this string, got end of file");
}

TEST(Errors, RegisterR11) {
  EXPECT_EQ(parse_error_of(one_cell(" r11 = 1")),
            "t.litmus:4:2: expected a register r0..r10 or fp, got 'r11'");
  EXPECT_EQ(parse_error_of(one_cell(" r1 = r11")),
            "t.litmus:4:7: expected a register r0..r10 or fp, got 'r11'");
  EXPECT_EQ(parse_error_of("BPF t\n{ 0:r11=1; }\n"),
            "t.litmus:2:5: expected a register r0..r10 or fp, got 'r11'");
}

TEST(Errors, AtomicOnU16) {
  EXPECT_EQ(parse_error_of(one_cell(" lock *(u16 *)(r1 + 0) += r2")),
            "t.litmus:4:9: expected u32 or u64 (the widths of BPF atomics), got 'u16'");
  EXPECT_EQ(parse_error_of(one_cell(" r2 = atomic_fetch_or((u8 *)(r1 + 0), r2)")),
            "t.litmus:4:24: expected u32 or u64 (the widths of BPF atomics), got 'u8'");
}

TEST(Errors, LockWithSubtraction) {
  EXPECT_EQ(parse_error_of(one_cell(" lock *(u32 *)(r1 + 0) -= r2")),
            "t.litmus:4:24: expected '+=', '&=', '|=' or '^=' (the atomic operations), got '-='");
}

TEST(Errors, NumberOverflowsSixtyFourBits) {
  EXPECT_EQ(parse_error_of("BPF t\n{ 0:r1=99999999999999999999; }\n"),
            "t.litmus:2:8: expected a value in -9223372036854775808..9223372036854775807, got "
            "'99999999999999999999'");
}

TEST(Errors, ImmediateOutOfS32) {
  EXPECT_EQ(parse_error_of(one_cell(" r1 += 2147483648")),
            "t.litmus:4:8: expected an immediate in -2147483648..2147483647, got '2147483648'");
  EXPECT_EQ(parse_error_of(one_cell(" *(u32 *)(r1 + 0) = -2147483649")),
            "t.litmus:4:21: expected an immediate in -2147483648..2147483647, got '-2147483649'");
}

TEST(Errors, OffsetOutOfS16) {
  EXPECT_EQ(parse_error_of(one_cell(" r2 = *(u32 *)(r1 + 32768)")),
            "t.litmus:4:19: expected an offset in -32768..32767, got '+32768'");
}

TEST(Errors, MalformedNumber) {
  EXPECT_EQ(parse_error_of(one_cell(" r1 = 12ab")),
            "t.litmus:4:7: expected an immediate, got '12ab'");
}

TEST(Errors, ConditionNamesMissingThread) {
  EXPECT_EQ(parse_error_of(two_threads(" r1 = 1 | r1 = 2 ;\n", "exists (5:r0=1)")),
            "t.litmus:5:9: expected a thread number 0..1, got '5'");
  EXPECT_EQ(parse_error_of(two_threads(" r1 = 1 | r1 = 2 ;\n", "locations [P5:r0]\n")),
            "t.litmus:5:12: expected a thread number 0..1, got 'P5'");
}

TEST(Errors, InitNamesMissingThread) {
  EXPECT_EQ(parse_error_of("BPF t\n{ 0:r1=x; 2:r1=y; }\n P0 | P1 ;\n r1 = 1 | r1 = 2 ;\n"),
            "t.litmus:2:11: expected a thread number 0..1, got '2'");
}

TEST(Errors, RegisterInitialisedTwice) {
  EXPECT_EQ(parse_error_of("BPF t\n{ 0:r1=x; 0:r1=y; }\n"),
            "t.litmus:2:11: expected one initial value per register (this one is set at 2:3), "
            "got a second");
}

TEST(Errors, LocationDeclaredTwice) {
  EXPECT_EQ(parse_error_of("BPF t\n{ int x=1;\n x=2; }\n"),
            "t.litmus:3:2: expected one declaration per location (x is declared at 2:7), got a "
            "second");
}

TEST(Errors, BadComparison) {
  EXPECT_EQ(parse_error_of(one_cell(" if r1 > 0 goto L")),
            "t.litmus:4:8: expected a comparison '==', '!=', '<' or '>=', got '>'");
}

TEST(Errors, UnsupportedConstraint) {
  EXPECT_EQ(parse_error_of(two_threads(" r1 = 1 | r1 = 2 ;\n", "filter (0:r1=1)")),
            "t.litmus:5:1: expected 'exists', '~exists', 'forall' or end of file, got 'filter'");
}

TEST(Errors, GarbageAfterCondition) {
  EXPECT_EQ(parse_error_of(two_threads(" r1 = 1 | r1 = 2 ;\n", "exists (0:r1=1) junk")),
            "t.litmus:5:17: expected end of file, got 'junk'");
}

TEST(Errors, UnbalancedConditionParenthesis) {
  EXPECT_EQ(parse_error_of(two_threads(" r1 = 1 | r1 = 2 ;\n", "exists ((0:r1=1)")),
            "t.litmus:6:1: expected ')', got end of file");
}

TEST(Errors, ConditionsNestedTooDeep) {
  EXPECT_EQ(parse_error_of(two_threads(" r1 = 1 | r1 = 2 ;\n", "exists " + std::string(65, '~'))),
            "t.litmus:5:72: expected conditions nested at most 64 deep, got deeper nesting");
}

TEST(Errors, NulAndNonUtf8Bytes) {
  EXPECT_EQ(parse_error_of(std::string("BPF t\n{ 0:r1=x;\0 }\n", 18)),
            "t.litmus:2:10: expected a location or a register such as 0:r1, got byte 0x00");
  EXPECT_EQ(parse_error_of(one_cell(" r1 = \xff")),
            "t.litmus:4:7: expected a register, a number, a load or an atomic operation, got "
            "byte 0xff");
}

TEST(Errors, EndOfFileInsideInstruction) {
  EXPECT_EQ(parse_error_of("BPF t\n{}\n P0 ;\n r1 = *(u32"),
            "t.litmus:4:12: expected '*', got end of file");
}

TEST(Errors, NoRows) {
  EXPECT_EQ(parse_error_of("BPF t\n{}\n P0 ;\nexists (0:r1=1)\n"),
            "t.litmus:4:1: expected a row of instructions, got 'exists'");
}

TEST(Errors, ParseErrorFields) {
  try {
    (void)parse_text(one_cell(" r1 = r11"), "f.litmus");
    FAIL() << "no error";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.file, "f.litmus");
    EXPECT_EQ(e.line, 4u);
    EXPECT_EQ(e.col, 7u);
    EXPECT_EQ(e.message, "expected a register r0..r10 or fp, got 'r11'");
  }
}

TEST(Errors, UnreadableFile) {
  const std::string missing = "/nonexistent/dir/t.litmus";
  try {
    (void)parse_file(missing);
    FAIL() << "no error";
  } catch (const ParseError& e) {
    EXPECT_EQ(std::string(e.what()),
              missing + ":0:0: expected a readable file, got No such file or directory");
    EXPECT_EQ(e.line, 0u);
  }
  const std::string directory = std::filesystem::temp_directory_path().string();
  try {
    (void)parse_file(directory);
    FAIL() << "no error";
  } catch (const ParseError& e) {
    EXPECT_EQ(std::string(e.what()),
              directory + ":0:0: expected a readable file, got Is a directory");
  }
}

TEST(Errors, InputTooLarge) {
  EXPECT_EQ(parse_error_of(std::string(kMaxInputBytes + 1, ' ')),
            "t.litmus:1:1: expected at most 1048576 bytes, got 1048577");
}

}  // namespace
}  // namespace bpf_litmus::litmus
