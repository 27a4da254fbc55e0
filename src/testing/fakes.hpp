// Test support: the deterministic fakes of the core ports, in one include (issue 12 §6; STYLE.md habit 2:
// "each port has a real implementation and a fake for tests").
//  * FakeClock (core/clock.hpp): moves only when the test calls Advance(); Now() and Steady() move together.
//  * SeededRandom (core/random.hpp): a fixed seed gives the same bytes on every run and machine.
//  * SequenceRandom (here): bytes a test can predict by reading it — 0, 1, 2, … — for asserting exact
//    tokens, salts and ids.
// FakeClock and SeededRandom stay beside their ports in core/ because the ports' own tests and the demo
// tooling use them; this header is the one place tests include to get every fake.
#pragma once

#include <cstdint>
#include <cstring>
#include <mutex>

#include "core/clock.hpp"
#include "core/random.hpp"

namespace hotline::test {

using ::hotline::FakeClock;
using ::hotline::SeededRandom;

// Fills with consecutive byte values starting at `first` (wrapping at 256), continuing across calls:
// Fill(3) then Fill(2) gives 00 01 02, then 03 04. Thread-safe.
class SequenceRandom final : public Random {
 public:
  explicit SequenceRandom(uint8_t first = 0) : next_(first) {}
  void Fill(void* buf, size_t n) override {
    std::lock_guard lock(mu_);
    auto* out = static_cast<uint8_t*>(buf);
    for (size_t i = 0; i < n; ++i) out[i] = next_++;
  }

 private:
  std::mutex mu_;
  uint8_t next_;  // GUARDED_BY(mu_)
};

}  // namespace hotline::test
