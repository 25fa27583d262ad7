// The header and the init block.
#include <gtest/gtest.h>

#include <string>

#include "test_util.hpp"

namespace bpf_litmus::litmus {
namespace {

litmus::Test with_init(std::string_view init) {
  return parse_text("BPF t\n{" + std::string(init) + "}\n P0 | P1 ;\n r2 = 1 | r2 = 2 ;\n",
                    "t.litmus");
}

const Location& location_named(const litmus::Test& test, std::string_view name) {
  for (const Location& location : test.locations) {
    if (location.name == name) return location;
  }
  throw std::runtime_error("no location " + std::string(name));
}

TEST(Header, NameDocAndFile) {
  const litmus::Test test =
      parse_text("BPF C-LB+a.b/c[1]_2 \"some doc\"\n{}\n P0 ;\n r1 = 1 ;\n", "dir/t.litmus");
  EXPECT_EQ(test.arch, "BPF");
  EXPECT_EQ(test.name, "C-LB+a.b/c[1]_2");
  EXPECT_EQ(test.doc, "some doc");
  EXPECT_EQ(test.file, "dir/t.litmus");
}

TEST(Header, InfoLinesTexnameAndNoDoc) {
  const litmus::Test test = parse_text(
      "BPF t (tex) ;\nHash=abc123\nCycle = Rfe PodRR Fre\n{}\n P0 ;\n r1 = 1 ;\n", "t.litmus");
  EXPECT_EQ(test.name, "t");
  EXPECT_FALSE(test.doc.has_value());
}

TEST(Header, CommentsAnywhereNestedAndVerbatim) {
  const litmus::Test test = parse_text(
      "(* a *) BPF t\n(* b (* nested *) c *)\n{ (*i*) 0:r1=x; }\n P0 ;\n r1 = (*x*) 1 ;\n"
      "exists (* e *) (0:r1=1)\n",
      "t.litmus");
  EXPECT_EQ(test.comments,
            (std::vector<std::string>{"(* a *)", "(* b (* nested *) c *)", "(*i*)", "(*x*)",
                                      "(* e *)"}));
}

TEST(Header, CrlfTabsAndNoFinalNewline) {
  const litmus::Test test =
      parse_text("BPF t\r\n{\t0:r1=x;\r\n}\r\n\tP0\t;\r\n\tr1 = 1\t;\r\nexists (0:r1=1)", "t.litmus");
  EXPECT_EQ(test.threads.at(0).code.size(), 1u);
  EXPECT_EQ(test.register_inits.at(0).pos.line, 2u);
  EXPECT_EQ(test.register_inits.at(0).pos.col, 3u);
}

TEST(Init, RegisterInitialisations) {
  const litmus::Test test = with_init(" 0:r1=x; 0:r6=-10; 1:r2 = 0x1F; P1:fp=7; 1:r3 ");
  ASSERT_EQ(test.register_inits.size(), 5u);
  const RegisterInit& address = test.register_inits[0];
  EXPECT_EQ(address.thread, 0);
  EXPECT_EQ(address.reg, 1);
  EXPECT_TRUE(address.value.is_address);
  EXPECT_EQ(address.value.location, "x");
  EXPECT_EQ(address.pos.line, 2u);
  EXPECT_EQ(address.pos.col, 3u);
  EXPECT_EQ(test.register_inits[1].value.integer, -10);
  EXPECT_EQ(test.register_inits[2].value.integer, 31);
  EXPECT_EQ(test.register_inits[3].thread, 1);
  EXPECT_EQ(test.register_inits[3].reg, 10);
  EXPECT_EQ(test.register_inits[4].value.integer, 0);
  ASSERT_EQ(test.locations.size(), 1u);
  EXPECT_EQ(test.locations[0].name, "x");
  EXPECT_EQ(test.locations[0].pos.col, 8u);
}

TEST(Init, MemoryDeclarations) {
  const litmus::Test test = with_init("int x=3; int y; z=1; u64 w=0; uint64_t v; int a = u; [b]=2;");
  EXPECT_EQ(location_named(test, "x").type, "int");
  EXPECT_EQ(location_named(test, "x").init.integer, 3);
  EXPECT_EQ(location_named(test, "y").type, "int");
  EXPECT_EQ(location_named(test, "y").init.integer, 0);
  EXPECT_FALSE(location_named(test, "z").type.has_value());
  EXPECT_EQ(location_named(test, "z").init.integer, 1);
  EXPECT_EQ(location_named(test, "w").type, "u64");
  EXPECT_EQ(location_named(test, "v").type, "uint64_t");
  EXPECT_TRUE(location_named(test, "a").init.is_address);
  EXPECT_EQ(location_named(test, "a").init.location, "u");
  EXPECT_FALSE(location_named(test, "u").type.has_value());
  EXPECT_EQ(location_named(test, "b").init.integer, 2);
}

TEST(Init, PointerTypesAndAmpersand) {
  const litmus::Test test = with_init("int* p = &x; int *q;");
  EXPECT_EQ(location_named(test, "p").type, "int*");
  EXPECT_EQ(location_named(test, "p").init.location, "x");
  EXPECT_EQ(location_named(test, "q").type, "int*");
}

TEST(Init, SemicolonsAsHerdAllows) {
  EXPECT_TRUE(with_init("").register_inits.empty());
  EXPECT_TRUE(with_init(";").register_inits.empty());
  EXPECT_EQ(with_init("0:r1=1").register_inits.size(), 1u);
  EXPECT_EQ(with_init("0:r1=1;").register_inits.size(), 1u);
  EXPECT_EQ(with_init("0:r1=1;;1:r1=2;").register_inits.size(), 2u);
}

TEST(Init, ExtremeValues) {
  const litmus::Test test = with_init("0:r1=9223372036854775807; 0:r2=-9223372036854775808;");
  EXPECT_EQ(test.register_inits[0].value.integer, INT64_MAX);
  EXPECT_EQ(test.register_inits[1].value.integer, INT64_MIN);
}

}  // namespace
}  // namespace bpf_litmus::litmus
