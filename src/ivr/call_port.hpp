// The port between the IVR engine and one telephone call (issue 13 §IVR flows). The IVR knows nothing of
// SIP or RTP: the voice module (src/voice/) adapts its voice::Call to this port in a thin adapter, and
// `hotline ivr simulate` and the tests implement it with a terminal or a recorder.
//
// Shape: the engine calls CallPort (commands to the call); the call delivers CallEvents (what happened) to
// the engine. Both sides run on the call's one executor (its strand): the adapter calls the engine's
// CallEvents methods there, and the engine calls CallPort there, so neither locks.
//
// Audio is 8 kHz mono signed 16-bit PCM. A segment carries its prompt id and the text it speaks beside the
// audio (for `ivr simulate`, the event log and the CDR's prompt sequence); the audio may be null where no
// audio is wanted (simulate), and the port then just reports the playback done.
//
// Personal data: the text of a segment may contain read-back values (a balance, a reference) but never a
// password digit (the engine never speaks them); adapters may log prompt ids, not texts.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace hotline::ivr {

// 8 kHz mono int16 samples; shared read-only between calls (a cached prompt plays in many calls at once).
using Audio = std::shared_ptr<const std::vector<int16_t>>;

struct Segment {
  Audio audio;            // may be null (text only: simulate, tests)
  std::string text;       // what is said, as written in the flow (after value substitution)
  std::string prompt_id;  // the flow's prompt id, "" for generated speech
};

// Why a call ended, as the call side reports it.
enum class EndReason { kCallerHangup, kEngineHangup, kTransferred, kMediaTimeout, kShutdown, kError };

// Commands to the call. Not thread-safe: call on the call's executor only.
class CallPort {
 public:
  virtual ~CallPort() = default;
  // Plays the segments one after another, replacing whatever plays now (whose OnPlaybackDone(true) is
  // then NOT delivered). `barge_in`: a digit stops the playback (OnPlaybackDone(interrupted=true) and
  // then OnDigit); otherwise digits are still delivered but the playback goes on.
  virtual void Play(std::vector<Segment> segments, bool barge_in) = 0;
  // Stops the playback; no OnPlaybackDone for it.
  virtual void StopPlayback() = 0;
  // Records the caller's audio into a WAV at `path` (8 kHz mono) for at most `max`; OnRecordingDone
  // follows when `max` is reached, on StopRecording, or when the caller hangs up.
  virtual void StartRecording(std::string path, std::chrono::seconds max) = 0;
  virtual void StopRecording() = 0;
  // Hands the call to the agents' queue (R-IVR-3, "0"). Returns false when there is no queue to hand it
  // to (until issue 13 part 2: always); the engine then offers a call-back request. On true the call has
  // left the IVR: the engine is done and expects only OnEnded.
  virtual bool TransferToAgents() = 0;
  // Ends the call; OnEnded(kEngineHangup) follows.
  virtual void Hangup() = 0;
};

// Events from the call, on the call's executor. Implemented by ivr::Engine.
class CallEvents {
 public:
  virtual ~CallEvents() = default;
  virtual void OnDigit(char digit) = 0;  // '0'–'9', '*', '#', 'A'–'D' (ignored)
  virtual void OnPlaybackDone(bool interrupted) = 0;
  virtual void OnRecordingDone(const std::string& path, std::chrono::milliseconds duration) = 0;
  virtual void OnEnded(EndReason reason) = 0;
};

}  // namespace hotline::ivr
