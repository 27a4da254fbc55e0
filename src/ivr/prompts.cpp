// PromptCache (prompts.hpp).
#include "ivr/prompts.hpp"

#include <espeak-ng/speak_lib.h>
#include <fmt/format.h>
#include <samplerate.h>
#include <sndfile.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "ivr/speech_text.hpp"

namespace hotline::ivr {
namespace {

std::mutex espeak_mutex;                     // espeak-ng has global state: one synthesis at a time
bool espeak_ready = false;                   // GUARDED_BY(espeak_mutex)
int espeak_rate = 22050;                     // GUARDED_BY(espeak_mutex)
std::vector<int16_t>* espeak_out = nullptr;  // GUARDED_BY(espeak_mutex)

int Collect(short* wav, int n, espeak_EVENT*) {
  if (wav && espeak_out) espeak_out->insert(espeak_out->end(), wav, wav + n);
  return 0;
}

std::vector<int16_t> Resample(const std::vector<float>& in, int rate) {
  if (in.empty()) return {};
  const double ratio = 8000.0 / rate;
  std::vector<float> out(static_cast<size_t>(in.size() * ratio) + 16);
  SRC_DATA d{};
  d.data_in = in.data();
  d.input_frames = static_cast<long>(in.size());
  d.data_out = out.data();
  d.output_frames = static_cast<long>(out.size());
  d.src_ratio = ratio;
  if (src_simple(&d, SRC_SINC_MEDIUM_QUALITY, 1) != 0) return {};
  std::vector<int16_t> pcm(static_cast<size_t>(d.output_frames_gen));
  for (size_t i = 0; i < pcm.size(); ++i) {
    float v = std::clamp(out[i], -1.0f, 1.0f);
    pcm[i] = static_cast<int16_t>(v * 32767.0f);
  }
  return pcm;
}

std::string Csv(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::string PromptCache::Key(const std::string& text) const {
  // FNV-1a 64 over voice and text: stable across runs and builds (a cache key, not a secret).
  uint64_t h = 1469598103934665603ULL;
  for (char c : options_.voice + '\n' + text) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return fmt::format("{:016x}", h);
}

Result<Audio> PromptCache::LoadRecording(const std::string& path) {
  SF_INFO info{};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  if (!f) return Error::InvalidArgument("bad_recording", "无法读取录音 " + path);
  std::vector<float> frames(static_cast<size_t>(info.frames) * info.channels);
  sf_readf_float(f, frames.data(), info.frames);
  sf_close(f);
  std::vector<float> mono(static_cast<size_t>(info.frames));
  for (sf_count_t i = 0; i < info.frames; ++i) {
    float sum = 0;
    for (int c = 0; c < info.channels; ++c) sum += frames[static_cast<size_t>(i * info.channels + c)];
    mono[static_cast<size_t>(i)] = sum / static_cast<float>(info.channels);
  }
  return std::make_shared<const std::vector<int16_t>>(Resample(mono, info.samplerate));
}

Result<Audio> PromptCache::Synthesise(const std::string& text) {
  const std::string spoken = SpeakableText(text);
  const std::string key = Key(spoken);
  {
    std::lock_guard lock(mutex_);
    if (auto it = memory_.find(key); it != memory_.end()) return it->second;
  }
  namespace fs = std::filesystem;
  const std::string cached =
      options_.cache_dir.empty() ? "" : (fs::path(options_.cache_dir) / (key + ".pcm")).string();
  if (!cached.empty() && fs::exists(cached)) {
    std::ifstream in(cached, std::ios::binary);
    std::vector<int16_t> pcm(fs::file_size(cached) / 2);
    in.read(reinterpret_cast<char*>(pcm.data()), static_cast<std::streamsize>(pcm.size() * 2));
    Audio a = std::make_shared<const std::vector<int16_t>>(std::move(pcm));
    std::lock_guard lock(mutex_);
    return memory_[key] = a;
  }
  std::vector<int16_t> raw;
  {
    std::lock_guard lock(espeak_mutex);
    if (!espeak_ready) {
      espeak_rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, 0);
      if (espeak_rate <= 0) return Error::Unavailable("espeak-ng 初始化失败");
      espeak_SetSynthCallback(Collect);
      espeak_ready = true;
    }
    if (espeak_SetVoiceByName(options_.voice.c_str()) != EE_OK) {
      return Error::Unavailable("espeak-ng 没有语音 " + options_.voice);
    }
    espeak_out = &raw;
    espeak_Synth(spoken.c_str(), spoken.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, nullptr);
    espeak_Synchronize();
    espeak_out = nullptr;
  }
  std::vector<float> f(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) f[i] = raw[i] / 32768.0f;
  auto pcm = Resample(f, espeak_rate);
  if (!cached.empty()) {
    fs::create_directories(options_.cache_dir);
    std::ofstream out(cached + ".tmp", std::ios::binary);
    out.write(reinterpret_cast<const char*>(pcm.data()), static_cast<std::streamsize>(pcm.size() * 2));
    out.close();
    fs::rename(cached + ".tmp", cached);  // atomic: a half-written file is never read as a prompt
  }
  Audio a = std::make_shared<const std::vector<int16_t>>(std::move(pcm));
  std::lock_guard lock(mutex_);
  return memory_[key] = a;
}

Result<Audio> PromptCache::ForPrompt(const Prompt& prompt) {
  namespace fs = std::filesystem;
  if (!options_.prompt_dir.empty()) {
    fs::path rec =
        fs::path(options_.prompt_dir) / (prompt.recording.empty() ? prompt.id + ".wav" : prompt.recording);
    if (fs::exists(rec)) return LoadRecording(rec.string());
  }
  return Synthesise(prompt.text);
}

std::string PromptsCsv(const Flow& flow) {
  std::string out = "\xEF\xBB\xBFid,text,recording,dynamic\r\n";
  for (const auto& [id, p] : flow.prompts) {
    out += Csv(id) + "," + Csv(p.text) + "," + Csv(p.recording.empty() ? id + ".wav" : p.recording) + "," +
           (p.dynamic() ? "yes" : "no") + "\r\n";
  }
  return out;
}

}  // namespace hotline::ivr
