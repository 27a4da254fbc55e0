// Prompt audio (issue 13 §Prompts): espeak-ng synthesis at 8 kHz with speech energy, the disk cache, a
// dropped-in recording at another rate replacing the synthesis, and the voice talent's CSV.
#include "ivr/prompts.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <filesystem>

namespace hotline::ivr {
namespace {

double Rms(const std::vector<int16_t>& pcm) {
  double sum = 0;
  for (int16_t s : pcm) sum += static_cast<double>(s) * s;
  return pcm.empty() ? 0 : std::sqrt(sum / pcm.size());
}

TEST(PromptsTest, SynthesisIsSpeechAt8kHzAndCachedOnDisk) {
  auto dir = std::filesystem::temp_directory_path() / ("ivr_prompts_" + std::to_string(::getpid()));
  PromptCache cache({.cache_dir = (dir / "cache").string()});
  auto a = cache.Synthesise("您好，欢迎致电12329住房公积金热线。");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_GT((*a)->size(), 8000u);   // more than a second at 8 kHz
  EXPECT_LT((*a)->size(), 80000u);  // less than ten
  EXPECT_GT(Rms(**a), 300.0);       // speech energy, not silence
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir / "cache"), {}), 1);
  PromptCache again({.cache_dir = (dir / "cache").string()});
  auto b = again.Synthesise("您好，欢迎致电12329住房公积金热线。");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(**a, **b);  // read back from the disk cache
  std::filesystem::remove_all(dir);
}

TEST(PromptsTest, ARecordingReplacesTheSynthesis) {
  auto dir = std::filesystem::temp_directory_path() / ("ivr_rec_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  // One second of a 440 Hz tone, 16 kHz stereo.
  SF_INFO info{.frames = 0, .samplerate = 16000, .channels = 2, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
  SNDFILE* f = sf_open((dir / "welcome.wav").c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr);
  std::vector<short> frames(32000);
  for (int i = 0; i < 16000; ++i)
    frames[2 * i] = frames[2 * i + 1] = static_cast<short>(8000 * std::sin(i * 0.1727));
  sf_writef_short(f, frames.data(), 16000);
  sf_close(f);
  PromptCache cache({.prompt_dir = dir.string()});
  auto a = cache.ForPrompt(Prompt{.id = "welcome", .text = "您好"});
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_NEAR(static_cast<double>((*a)->size()), 8000.0, 50.0);  // 1 s at 8 kHz mono
  std::filesystem::remove_all(dir);
}

TEST(PromptsTest, TheCsvForAVoiceTalent) {
  Flow flow;
  flow.prompts["welcome"] = Prompt{.id = "welcome", .text = "您好，欢迎"};
  flow.prompts["balance"] = Prompt{.id = "balance", .text = "余额为{balance}"};
  EXPECT_EQ(PromptsCsv(flow),
            "\xEF\xBB\xBFid,text,recording,dynamic\r\nbalance,余额为{balance},balance.wav,yes\r\n"
            "welcome,您好，欢迎,welcome.wav,no\r\n");
}

}  // namespace
}  // namespace hotline::ivr
