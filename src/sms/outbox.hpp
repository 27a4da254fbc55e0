// The durable outbound SMS queue (issue 15 "Durable outbound queue", R-SMS-2, R-SMS-5): every message the
// centre sends — verification codes, on-demand replies, event pushes, campaign messages, operators' test
// messages — is a row of sms_messages before any carrier sees it.
//
// Lifecycle (R-SMS-5 statuses, each with its time):
//   queued ──(push outside the window)──> held_for_window ──(window opens)──> queued
//   queued ──Claim──> (handed: in memory of a transport) ──Accepted──> submitted ──receipt──> delivered
//                                                        ├─Rejected─> failed (carrier code, reason)
//                                                        └─Transient─> queued again, after a backoff
//   queued / held / handed past expires_at ──> expired
// A message is accepted once: Enqueue with the same idempotency key returns the existing message (one
// event, one campaign recipient, one API request never makes two messages). A message is never lost:
// every state is a committed row. A message is never sent twice by this process: Claim marks it handed
// in the same transaction that selects it, and a second Claim does not see it. After a crash a message
// that was handed and has no recorded outcome is handed again (RecoverHanded at start): if the carrier
// had accepted it before the crash, the carrier may deliver it twice — the one duplicate the design
// cannot rule out (docs/SMS.md "Delivery guarantees").
//
// Priorities (issue 15): verification codes (0) > on-demand replies (1) > event pushes (2) > campaigns (3);
// test messages sent by an operator (`hotline sms send`) rank with replies and are never held.
//
// Tables (module "sms", kSmsMigrations): sms_messages (one row per message), sms_parts (the carrier's id of
// each part, for matching receipts).
// Thread-safety: every method may be called from any thread (the Database is thread-safe; each method is
// one transaction). Methods block on the database: call them on the blocking executor.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "carrier/transport.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

namespace hotline::sms {

extern const store::ModuleMigrations kSmsMigrations;

enum class MessageKind { kCode, kReply, kTest, kEvent, kCampaign };
// "code", "reply", "test", "event", "campaign"
std::string_view MessageKindName(MessageKind kind);
bool ParseMessageKind(std::string_view name, MessageKind* out);
// The queue order: 0 codes, 1 replies and test messages, 2 event pushes, 3 campaigns.
int PriorityOf(MessageKind kind);
// Event pushes and campaign messages are push messages: held outside the push window (R-SMS-2).
bool IsPush(MessageKind kind);

enum class MessageStatus { kQueued, kHeldForWindow, kSubmitted, kDelivered, kFailed, kExpired };
// "queued", "held_for_window", "submitted", "delivered", "failed", "expired"
std::string_view MessageStatusName(MessageStatus status);
bool ParseMessageStatus(std::string_view name, MessageStatus* out);

struct NewMessage {
  int64_t centre_id = 0;
  MessageKind kind = MessageKind::kReply;
  std::string idempotency_key;  // non-empty, ≤ 200 bytes; unique over all messages
  std::string destination;      // 11-digit national mobile number
  std::string text;             // valid UTF-8, non-empty, ≤ 1000 characters, signature included
  std::string content_type;     // the subscription's content type for pushes ("账户信息"), else empty
  int64_t campaign_id = 0;      // 0 when not part of a campaign
  TimePoint not_before{};       // not handed before this (zero: now)
  TimePoint expires_at{};       // expired after this; REQUIRES: non-zero
};

struct Message {
  int64_t id = 0;
  int64_t centre_id = 0;
  MessageKind kind = MessageKind::kReply;
  int priority = 1;
  MessageStatus status = MessageStatus::kQueued;
  bool handed = false;  // handed to a transport and not yet answered (shown as queued)
  std::string idempotency_key, destination, text, content_type;
  int64_t campaign_id = 0;
  int parts = 0;         // billed parts (carrier's count once submitted, else carrier::PartCount)
  int64_t cost_fen = 0;  // parts × the carrier's price, once submitted
  int attempts = 0;      // how many times it was handed to a transport
  std::string carrier;   // the carrier that took it
  std::vector<std::string> carrier_ids;
  int carrier_code = 0;  // the carrier's status code of a failure
  std::string reason;    // why it failed or expired
  TimePoint created_at{}, next_attempt_at{}, expires_at{};
  std::optional<TimePoint> held_at, submitted_at, done_at;  // done: delivered, failed or expired
};

struct EnqueueResult {
  int64_t id = 0;
  bool created = false;  // false: the idempotency key was already known (the existing message's id)
};

// How the queue waits before handing a transiently failed message again.
struct RetryPolicy {
  std::chrono::milliseconds initial{5'000};
  std::chrono::milliseconds max{300'000};
};

class Outbox {
 public:
  Outbox(store::Database& db, const Clock& clock, RetryPolicy retry = {});

  // Validates and stores one message (status queued). Errors: invalid_field (bad number, empty or invalid
  // text, missing key or expiry). Idempotent by key (see EnqueueResult).
  Result<EnqueueResult> Enqueue(const NewMessage& message);
  // Stores many messages in one transaction with prepared-style bulk inserts (campaigns); a message whose
  // key is known is skipped. Returns how many were created. REQUIRES: each passes the Enqueue checks
  // (validated first; the first bad one fails the whole batch with invalid_field naming its index).
  Result<int64_t> EnqueueBatch(const std::vector<NewMessage>& messages);

  // Marks expired every message not yet submitted whose expiry has passed (also handed ones: a transport
  // that answers later finds it expired and its outcome is ignored). Returns how many.
  Result<int64_t> ExpireDue();
  // While the push window is closed: marks held_for_window every queued, due push message. Returns how many.
  Result<int64_t> HoldPushes();
  // Takes up to `limit` due messages in priority order (then oldest first) and marks them handed, in one
  // transaction; push messages (queued or held) only when `window_open`. Increments attempts.
  Result<std::vector<Message>> Claim(int limit, bool window_open);
  // After a restart: every handed message without an outcome becomes claimable again. Returns how many.
  Result<int64_t> RecoverHanded();

  // Records what the carrier said to a handed message. kAccepted → submitted (parts, cost, carrier ids);
  // kRejected → failed; kTransient → queued again after the retry backoff (or expired when that is past
  // the expiry). An outcome for a message that is no longer handed (expired meanwhile) is ignored.
  Status RecordOutcome(int64_t id, std::string_view carrier, int64_t price_per_part_fen,
                       const carrier::SubmitOutcome& outcome);
  // Matches a delivery receipt to its part by (carrier, carrier id). The message becomes delivered when
  // every part is delivered, failed (error code, status word) when any part is not. Unknown ids: NotFound.
  Status RecordReceipt(const carrier::DeliveryReceipt& receipt);

  // Errors: NotFound.
  Result<Message> Get(int64_t id) const;
  Result<std::optional<Message>> FindByKey(std::string_view idempotency_key) const;
  struct Filter {
    std::optional<MessageStatus> status;
    std::string destination;  // exact number, or empty for all
    int64_t campaign_id = 0;  // 0: any
    int limit = 100;
  };
  Result<std::vector<Message>> List(const Filter& filter) const;
  // Messages per status (for a campaign's progress, or all when campaign_id is 0).
  Result<std::vector<std::pair<MessageStatus, int64_t>>> CountByStatus(int64_t campaign_id = 0) const;

 private:
  store::Database& db_;
  const Clock& clock_;
  RetryPolicy retry_;
};

// Errors: invalid_field when `number` is not an 11-digit national mobile number starting with 1.
Status CheckMobile(std::string_view number);

}  // namespace hotline::sms
