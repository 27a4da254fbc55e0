// The flow-file parser and validator (R-IVR-1): the shipped national menu loads; every kind of mistake is
// reported as FILE:LINE: message; an overlay adds levels below the second only; reload swaps atomically.
#include "ivr/flow.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace hotline::ivr {
namespace {

using ::testing::HasSubstr;

const std::string kNational = std::string(HOTLINE_SOURCE_DIR) + "/config/ivr/national.toml";

// A minimal sound flow to break in each test.
constexpr const char* kSmall = R"(
[flow]
start = "main"
agent = "bye"
retry_prompt = "p"
invalid_prompt = "p"
busy_prompt = "p"
[prompt.p]
text = "请按键"
[node.main]
type = "menu"
level = 1
prompt = "p"
choices = { "1" = "bye" }
[node.bye]
type = "hangup"
prompt = "p"
)";

std::vector<std::string> Errors(const std::string& text) {
  FlowErrors errors;
  auto flow = ParseFlow(text, "t.toml", &errors);
  EXPECT_EQ(flow.ok(), errors.ok());
  return errors.messages;
}

TEST(FlowTest, TheNationalMenuLoadsWithTheGuidelinesFirstLevel) {
  FlowErrors errors;
  auto flow = LoadFlow(kNational, "", &errors);
  ASSERT_TRUE(flow.ok()) << errors.Joined();
  const Node* main = flow->Find("main");
  ASSERT_NE(main, nullptr);
  EXPECT_EQ(main->level, 1);
  EXPECT_EQ(main->choices.at("1"), "personal");
  EXPECT_EQ(main->choices.at("2"), "unit");
  EXPECT_EQ(main->choices.at("3"), "guide");
  EXPECT_EQ(main->choices.at("4"), "booking");
  EXPECT_EQ(flow->agent, "agent");  // 0 from any menu
  for (const char* l2 : {"personal", "unit", "guide", "booking"}) EXPECT_EQ(flow->Find(l2)->level, 2) << l2;
}

TEST(FlowTest, ASmallFlowIsSound) { EXPECT_TRUE(Errors(kSmall).empty()); }

TEST(FlowTest, SyntaxErrorsCarryTheLine) {
  auto e = Errors("[flow]\nstart = \n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_THAT(e[0], HasSubstr("t.toml:2:"));
}

TEST(FlowTest, UnknownNodeIsReportedAtTheReferringNode) {
  std::string text = kSmall;
  text.replace(text.find("\"1\" = \"bye\""), 11, "\"1\" = \"nowhere\"");
  auto e = Errors(text);
  ASSERT_FALSE(e.empty());
  EXPECT_THAT(e[0], HasSubstr("t.toml:10: node 'main': unknown node 'nowhere'"));
}

TEST(FlowTest, UnreachableNode) {
  auto e = Errors(std::string(kSmall) + "[node.lost]\ntype = \"hangup\"\nprompt = \"p\"\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_THAT(e[0], HasSubstr("t.toml:18: node 'lost' is unreachable"));
}

TEST(FlowTest, LoopWithoutInput) {
  std::string text = std::string(kSmall) +
                     "[node.a]\ntype = \"play\"\nprompt = \"p\"\nnext = \"b\"\n"
                     "[node.b]\ntype = \"hours\"\nopen = \"a\"\nclosed = \"bye\"\n";
  text.replace(text.find("\"1\" = \"bye\""), 11, "\"1\" = \"a\"");
  auto e = Errors(text);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_THAT(e[0], HasSubstr("loop without input"));
}

TEST(FlowTest, MissingPrompt) {
  std::string text = kSmall;
  text.replace(text.find("prompt = \"p\"\nchoices"), 12, "prompt = \"q\"");
  auto e = Errors(text);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_THAT(e[0], HasSubstr("t.toml:10: node 'main': prompt: missing prompt 'q'"));
}

TEST(FlowTest, BadValuesAndUnknownKeys) {
  EXPECT_THAT(Errors(std::string(kSmall) + "[node.c]\ntype = \"collect\"\nprompt = \"p\"\nvar = \"x\"\n"
                                           "min_length = 4\nmax_length = 2\nnext = \"bye\"\n"),
              testing::Contains(HasSubstr("min_length is above max_length")));
  EXPECT_THAT(Errors(std::string(kSmall) + "[node.v]\ntype = \"voicemail\"\nmax_seconds = 120\n"),
              testing::Contains(HasSubstr("t.toml:20: 'max_seconds' = 120 is out of range 5–60")));
  EXPECT_THAT(Errors(std::string(kSmall) + "[node.x]\ntype = \"teleport\"\n"),
              testing::Contains(HasSubstr("t.toml:19: unknown node type 'teleport'")));
  EXPECT_THAT(Errors(std::string(kSmall) + "[node.y]\ntype = \"play\"\ncolour = 1\n"),
              testing::Contains(HasSubstr("t.toml:20: unknown key 'colour' for a play node")));
  std::string bad_key = kSmall;
  bad_key.replace(bad_key.find("\"1\" = \"bye\""), 11, "\"*\" = \"bye\"");
  EXPECT_THAT(Errors(bad_key), testing::Contains(HasSubstr("menu key '*' must be one digit")));
  EXPECT_THAT(
      Errors(std::string(kSmall) + "[node.t]\ntype = \"time\"\notherwise = \"bye\"\n"
                                   "ranges = [{ from = \"18:00\", until = \"08:00\", next = \"bye\" }]\n"),
      testing::Contains(HasSubstr("a time range must end after it starts")));
}

TEST(FlowTest, AnOverlayAddsLevelsBelowTheSecondOnly) {
  std::string base = kSmall;
  base.replace(base.find("choices = { \"1\" = \"bye\" }"), 25, "choices = { \"1\" = \"sub\" }");
  base += "[node.sub]\ntype = \"menu\"\nlevel = 2\nprompt = \"p\"\nchoices = { \"1\" = \"bye\" }\n";
  FlowErrors errors;
  auto ok = ParseFlow(base, "base.toml", &errors,
                      std::pair<std::string_view, std::string_view>{
                          "[extend.sub]\nchoices = { \"2\" = \"lz\" }\n"
                          "[prompt.lz]\ntext = \"兰州市住房公积金管理中心特色业务。\"\n"
                          "[node.lz]\ntype = \"play\"\nlevel = 3\nprompt = \"lz\"\nnext = \"sub\"\n",
                          "GS-LZ.toml"});
  ASSERT_TRUE(ok.ok()) << errors.Joined();
  EXPECT_EQ(ok->Find("sub")->choices.at("2"), "lz");

  FlowErrors e2;
  auto bad = ParseFlow(base, "base.toml", &e2,
                       std::pair<std::string_view, std::string_view>{
                           "[node.main]\ntype = \"hangup\"\nprompt = \"p\"\n", "GS-LZ.toml"});
  EXPECT_FALSE(bad.ok());
  EXPECT_THAT(e2.Joined(), HasSubstr("GS-LZ.toml:1: node 'main' is a national level-1 node"));
  FlowErrors e3;
  bad = ParseFlow(base, "base.toml", &e3,
                  std::pair<std::string_view, std::string_view>{
                      "[extend.sub]\nchoices = { \"1\" = \"bye\" }\n", "GS-LZ.toml"});
  EXPECT_THAT(e3.Joined(), HasSubstr("GS-LZ.toml:2: key 1 of national menu 'sub' is taken"));
}

TEST(FlowTest, ReloadSwapsAtomicallyAndKeepsTheOldFlowOnError) {
  auto dir = std::filesystem::temp_directory_path() / ("ivr_flow_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = (dir / "flow.toml").string();
  std::ofstream(path) << kSmall;
  FlowLibrary lib({.base = path});
  ASSERT_TRUE(lib.Reload().ok());
  auto first = lib.For("GS-LZ");
  ASSERT_NE(first, nullptr);
  std::ofstream(path) << "[flow]\nstart = 1\n";
  EXPECT_FALSE(lib.Reload().ok());
  EXPECT_EQ(lib.For("GS-LZ"), first);  // the flow in use stays
  std::string changed = kSmall;
  changed.replace(changed.find("请按键"), std::string("请按键").size(), "新的提示");
  std::ofstream(path) << changed;
  ASSERT_TRUE(lib.Reload().ok());
  EXPECT_NE(lib.For("GS-LZ"), first);
  EXPECT_EQ(lib.For("GS-LZ")->FindPrompt("p")->text, "新的提示");
  EXPECT_EQ(first->FindPrompt("p")->text, "请按键");  // a call in progress keeps its flow
  std::filesystem::remove_all(dir);
}

TEST(FlowTest, TemplatesFillOnlyNamedValues) {
  EXPECT_EQ(FillTemplate("余额为{balance}。{unknown}", {{"balance", "一百元"}}), "余额为一百元。");
  EXPECT_EQ(FillTemplate("{unclosed", {}), "{unclosed");
}

}  // namespace
}  // namespace hotline::ivr
