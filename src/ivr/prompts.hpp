// Prompt audio (issue 13 §Prompts): every prompt is text plus an optional recording. A recording in the
// prompt folder (named by the prompt's `recording`, else "<prompt id>.wav"; any rate and channels) is
// converted once to 8 kHz mono with libsndfile + libsamplerate; without one the text is synthesised with
// espeak-ng (voice cmn-latn-pinyin, after SpeakableText), resampled from 22050 Hz to 8 kHz and cached on
// disk as raw int16 under cache_dir/<hash of voice+text>.pcm. Dynamic texts are synthesised per call.
// Thread-safety: PromptCache is thread-safe (espeak-ng is not: one synthesis at a time, under a mutex).
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "core/result.hpp"
#include "ivr/call_port.hpp"
#include "ivr/flow.hpp"

namespace hotline::ivr {

struct PromptCacheOptions {
  std::string prompt_dir;  // recordings dropped in by the centre ("" = none)
  std::string cache_dir;   // synthesised audio ("" = memory only)
  std::string voice = "cmn-latn-pinyin";
};

class PromptCache {
 public:
  explicit PromptCache(PromptCacheOptions options) : options_(std::move(options)) {}
  // The audio of a static prompt: recording, else cached synthesis, else synthesised now and cached.
  Result<Audio> ForPrompt(const Prompt& prompt);
  // Synthesises `text` (SpeakableText first). Blocking: call off the call's thread.
  Result<Audio> Synthesise(const std::string& text);
  // The cache key of a text: hex of a hash of voice and text.
  std::string Key(const std::string& text) const;

 private:
  Result<Audio> LoadRecording(const std::string& path);
  PromptCacheOptions options_;
  std::mutex mutex_;
  std::map<std::string, Audio> memory_;  // GUARDED_BY(mutex_)
};

// The CSV of prompt texts for a voice talent: id,text,recording,dynamic (RFC 4180 quoting, UTF-8 BOM).
std::string PromptsCsv(const Flow& flow);

}  // namespace hotline::ivr
