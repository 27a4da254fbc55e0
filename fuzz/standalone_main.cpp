// Runs a libFuzzer target without libFuzzer (g++ builds, CI): every file named on the command line,
// every file in a directory named, then `--random N` pseudo-random mutations of those inputs
// (deterministic seed). It only proves "no crash, no sanitizer report" on that set; real fuzzing
// uses the clang `fuzz` preset (docs/TESTING.md).
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  std::vector<std::string> inputs;
  long random_runs = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--random") == 0 && i + 1 < argc) {
      random_runs = std::atol(argv[++i]);
      continue;
    }
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(argv[i])) {
      for (auto& e : std::filesystem::directory_iterator(argv[i]))
        if (e.is_regular_file()) files.push_back(e.path());
    } else {
      files.emplace_back(argv[i]);
    }
    for (auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      inputs.push_back(ss.str());
    }
  }
  for (const auto& s : inputs) LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  std::mt19937_64 rng(12329);
  const char kTokens[] = "{}[]\":,=\n\\ \x00\xff\xe5\x85\xb0#'.-0123456789aztrufalsenull";
  for (long n = 0; n < random_runs; ++n) {
    std::string s = inputs.empty() ? std::string() : inputs[rng() % inputs.size()];
    int edits = 1 + rng() % 8;
    for (int e = 0; e < edits; ++e) {
      size_t pos = s.empty() ? 0 : rng() % (s.size() + 1);
      switch (rng() % 4) {
        case 0:
          s.insert(pos, 1, kTokens[rng() % (sizeof kTokens - 1)]);
          break;
        case 1:
          if (!s.empty() && pos < s.size()) s.erase(pos, 1 + rng() % 4);
          break;
        case 2:
          if (pos < s.size()) s[pos] = static_cast<char>(rng());
          break;
        case 3:
          if (!s.empty()) s.insert(pos, s.substr(rng() % s.size(), 1 + rng() % 16));
          break;
      }
    }
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  }
  std::printf("%zu corpus inputs and %ld mutations ran without a crash\n", inputs.size(), random_runs);
  return 0;
}
