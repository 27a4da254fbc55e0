// The call API the IVR plugs into (issue 13 §Media and §IVR; R-IVR-1/2). The telephony engine owns
// signalling and media; for every answered inbound call it asks the channel's CallHandlerFactory for a
// CallHandler and from then on reports what happens on the call to that handler, while the handler
// drives the call through the voice::Call it was given. The IVR engine (src/ivr/) is one such handler;
// the lead's adapter maps its flows onto this interface. Until then the channel ships the "line check"
// handler (docs/VOICE.md), which the IVR replaces.
//
// Audio is 8 kHz mono linear PCM, shared and immutable so that one rendered prompt serves every call
// that plays it without a copy.
//
// Threading: every call has its own strand (Call::executor()). All CallHandler methods are invoked on
// that strand, one at a time, never after OnEnded. Call methods are thread-safe: called from anywhere,
// they post to the strand; from the strand they take effect before the next media tick. A handler
// must not block (fund queries go through fund::AsyncFundService, completed on this strand).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::voice {

// 8 kHz mono linear PCM. Never empty when given to Play (an empty segment is skipped).
using Audio = std::shared_ptr<const std::vector<int16_t>>;

inline constexpr int kSampleRate = 8000;
inline constexpr int kSamplesPerTick = 160;  // one 20 ms media tick

// Where a digit came from (issue 13 §Media: RFC 4733 first, SIP INFO, in-band as the fallback).
enum class DigitSource { kRfc4733, kSipInfo, kInBand };
std::string_view DigitSourceName(DigitSource source);

// Why a call ended, for the CDR and the handler.
enum class EndReason {
  kCallerHangup,   // BYE from the caller
  kHandlerHangup,  // the handler called Hangup()
  kRtpTimeout,     // no RTP for [voice] rtp_timeout while the call was not on hold
  kShutdown,       // the server stopped (staged stop: calls are hung up before the deadline)
  kError,          // a signalling or media failure
};
std::string_view EndReasonName(EndReason reason);

class Call {
 public:
  virtual ~Call() = default;

  // Stable facts of the call (immutable: callable from any thread without posting).
  virtual const std::string& call_id() const = 0;             // the CDR's call_id (not the SIP Call-ID)
  virtual const std::string& center_code() const = 0;         // e.g. "GS-LZ": the trunk's or the area code's
  virtual const std::string& caller() const = 0;              // calling number as delivered ("" if withheld)
  virtual const std::string& called() const = 0;              // e.g. "12329"
  virtual boost::asio::any_io_executor executor() const = 0;  // the call's strand

  // Plays the segments one after another, replacing any playback in progress (which then reports
  // OnPlaybackDone(true)). With barge_in, a digit stops the playback (OnDigit comes first, then
  // OnPlaybackDone(true)); without, digits are still reported but the playback continues. When all
  // segments played: OnPlaybackDone(false). An empty list completes at once with OnPlaybackDone(false).
  virtual void Play(std::vector<Audio> segments, bool barge_in) = 0;
  // Stops the current playback (OnPlaybackDone(true)); nothing happens when none plays.
  virtual void StopPlayback() = 0;

  // Records what the caller says (the received leg, decoded to 8 kHz mono) into a WAV file at `path`,
  // at most max_duration long; playback may go on meanwhile (play-while-recording). Ends with
  // OnRecordingDone(path, duration) when max_duration is reached, on StopRecording(), or at hang-up.
  // One recording at a time: a second StartRecording stops the first. Never records while the IVR
  // collects a password (the handler's duty: R-IVR-2 keeps password digits out of recordings).
  virtual void StartRecording(std::string path, std::chrono::milliseconds max_duration) = 0;
  virtual void StopRecording() = 0;

  // Ends the call (BYE). OnEnded(kHandlerHangup) follows.
  virtual void Hangup() = 0;

  // A timer on the call's strand driven by the media clock (20 ms resolution): for inter-digit and
  // total timeouts. The callback runs on the strand unless cancelled or the call ended first. Returns
  // an id for CancelTimer. Timers die with the call.
  using TimerId = uint64_t;
  virtual TimerId StartTimer(std::chrono::milliseconds after, std::function<void()> callback) = 0;
  virtual void CancelTimer(TimerId id) = 0;
};

class CallHandler {
 public:
  virtual ~CallHandler() = default;
  // The call is answered and media flows: start the greeting here.
  virtual void OnStart() = 0;
  // One key. Handlers must never log it (it may be a password digit): log counts only.
  virtual void OnDigit(char digit, DigitSource source) = 0;
  virtual void OnPlaybackDone(bool interrupted) = 0;
  virtual void OnRecordingDone(const std::string& path, std::chrono::milliseconds duration) = 0;
  // The last callback. The Call stays valid until the handler is destroyed, but does nothing anymore.
  virtual void OnEnded(EndReason reason) = 0;
};

// Creates the handler of one call. Called on the call's strand right after the 200 OK is acknowledged;
// `call` outlives the handler. Thread-safe (called for many calls at once).
using CallHandlerFactory = std::function<std::unique_ptr<CallHandler>(std::shared_ptr<Call> call)>;

}  // namespace hotline::voice
