#include "sms/outbox.hpp"

#include <algorithm>

#include "carrier/segmenter.hpp"
#include "core/text.hpp"

namespace hotline::sms {
namespace {

constexpr store::Migration kMigrations[] = {
    {1, "sms messages and parts (the durable outbound queue)", R"sql(
CREATE TABLE sms_messages (
  id {{ID}},
  centre_id BIGINT NOT NULL,
  kind TEXT NOT NULL,
  priority BIGINT NOT NULL,
  status TEXT NOT NULL,
  handed BIGINT NOT NULL DEFAULT 0,
  idem_key TEXT NOT NULL UNIQUE,
  destination TEXT NOT NULL,
  body TEXT NOT NULL,
  content_type TEXT NOT NULL DEFAULT '',
  campaign_id BIGINT NOT NULL DEFAULT 0,
  parts BIGINT NOT NULL,
  cost_fen BIGINT NOT NULL DEFAULT 0,
  attempts BIGINT NOT NULL DEFAULT 0,
  carrier TEXT NOT NULL DEFAULT '',
  carrier_ids TEXT NOT NULL DEFAULT '',
  carrier_code BIGINT NOT NULL DEFAULT 0,
  reason TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  held_at BIGINT,
  submitted_at BIGINT,
  done_at BIGINT
);
CREATE INDEX sms_messages_due ON sms_messages (status, priority, next_attempt_at, id);
CREATE INDEX sms_messages_destination ON sms_messages (destination, id);
CREATE INDEX sms_messages_campaign ON sms_messages (campaign_id, status);
CREATE TABLE sms_parts (
  carrier TEXT NOT NULL,
  carrier_id TEXT NOT NULL,
  message_id BIGINT NOT NULL,
  part BIGINT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  PRIMARY KEY (carrier, carrier_id)
);
CREATE INDEX sms_parts_message ON sms_parts (message_id);
)sql"},
};

constexpr const char* kColumns =
    "id, centre_id, kind, priority, status, handed, idem_key, destination, body, content_type, campaign_id, "
    "parts, cost_fen, attempts, carrier, carrier_ids, carrier_code, reason, created_at, next_attempt_at, "
    "expires_at, held_at, submitted_at, done_at";

template <typename T>
Status ToStatus(Result<T> r) {
  if (!r.ok()) return r.take_error();
  return OkStatus();
}

std::optional<TimePoint> OptTime(const store::Value& v) {
  if (v.is_null()) return std::nullopt;
  return FromEpochMillis(v.AsInt());
}

std::vector<std::string> SplitIds(const std::string& joined) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < joined.size()) {
    size_t comma = joined.find(',', start);
    if (comma == std::string::npos) comma = joined.size();
    out.push_back(joined.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

Message RowToMessage(const store::QueryResult& r, size_t i) {
  const auto& row = r.rows[i];
  Message m;
  m.id = row[0].AsInt();
  m.centre_id = row[1].AsInt();
  ParseMessageKind(row[2].AsText(), &m.kind);
  m.priority = static_cast<int>(row[3].AsInt());
  ParseMessageStatus(row[4].AsText(), &m.status);
  m.handed = row[5].AsInt() != 0;
  m.idempotency_key = row[6].AsText();
  m.destination = row[7].AsText();
  m.text = row[8].AsText();
  m.content_type = row[9].AsText();
  m.campaign_id = row[10].AsInt();
  m.parts = static_cast<int>(row[11].AsInt());
  m.cost_fen = row[12].AsInt();
  m.attempts = static_cast<int>(row[13].AsInt());
  m.carrier = row[14].AsText();
  m.carrier_ids = SplitIds(row[15].AsText());
  m.carrier_code = static_cast<int>(row[16].AsInt());
  m.reason = row[17].AsText();
  m.created_at = FromEpochMillis(row[18].AsInt());
  m.next_attempt_at = FromEpochMillis(row[19].AsInt());
  m.expires_at = FromEpochMillis(row[20].AsInt());
  m.held_at = OptTime(row[21]);
  m.submitted_at = OptTime(row[22]);
  m.done_at = OptTime(row[23]);
  return m;
}

Status CheckNew(const NewMessage& m) {
  if (m.idempotency_key.empty() || m.idempotency_key.size() > 200 || !IsValidUtf8(m.idempotency_key)) {
    return Error::InvalidArgument("invalid_field", "idempotency_key must be 1–200 bytes of UTF-8");
  }
  HOTLINE_RETURN_IF_ERROR(CheckMobile(m.destination));
  if (m.text.empty() || !IsValidUtf8(m.text) || Utf8Length(m.text) > 1000 ||
      m.text.find('\0') != std::string::npos) {
    return Error::InvalidArgument("invalid_field", "text must be 1–1000 characters of UTF-8");
  }
  if (!IsValidUtf8(m.content_type))
    return Error::InvalidArgument("invalid_field", "content_type is not UTF-8");
  if (m.expires_at == TimePoint{}) return Error::InvalidArgument("invalid_field", "expires_at is required");
  return OkStatus();
}

}  // namespace

const store::ModuleMigrations kSmsMigrations{"sms", kMigrations};

std::string_view MessageKindName(MessageKind kind) {
  switch (kind) {
    case MessageKind::kCode:
      return "code";
    case MessageKind::kReply:
      return "reply";
    case MessageKind::kTest:
      return "test";
    case MessageKind::kEvent:
      return "event";
    case MessageKind::kCampaign:
      return "campaign";
  }
  return "reply";
}

bool ParseMessageKind(std::string_view name, MessageKind* out) {
  for (MessageKind k : {MessageKind::kCode, MessageKind::kReply, MessageKind::kTest, MessageKind::kEvent,
                        MessageKind::kCampaign}) {
    if (MessageKindName(k) == name) {
      *out = k;
      return true;
    }
  }
  return false;
}

int PriorityOf(MessageKind kind) {
  switch (kind) {
    case MessageKind::kCode:
      return 0;
    case MessageKind::kReply:
    case MessageKind::kTest:
      return 1;
    case MessageKind::kEvent:
      return 2;
    case MessageKind::kCampaign:
      return 3;
  }
  return 1;
}

bool IsPush(MessageKind kind) { return kind == MessageKind::kEvent || kind == MessageKind::kCampaign; }

std::string_view MessageStatusName(MessageStatus status) {
  switch (status) {
    case MessageStatus::kQueued:
      return "queued";
    case MessageStatus::kHeldForWindow:
      return "held_for_window";
    case MessageStatus::kSubmitted:
      return "submitted";
    case MessageStatus::kDelivered:
      return "delivered";
    case MessageStatus::kFailed:
      return "failed";
    case MessageStatus::kExpired:
      return "expired";
  }
  return "queued";
}

bool ParseMessageStatus(std::string_view name, MessageStatus* out) {
  for (MessageStatus s : {MessageStatus::kQueued, MessageStatus::kHeldForWindow, MessageStatus::kSubmitted,
                          MessageStatus::kDelivered, MessageStatus::kFailed, MessageStatus::kExpired}) {
    if (MessageStatusName(s) == name) {
      *out = s;
      return true;
    }
  }
  return false;
}

Status CheckMobile(std::string_view number) {
  bool ok = number.size() == 11 && number[0] == '1' &&
            std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!ok) return Error::InvalidArgument("invalid_field", "destination must be an 11-digit mobile number");
  return OkStatus();
}

Outbox::Outbox(store::Database& db, const Clock& clock, RetryPolicy retry)
    : db_(db), clock_(clock), retry_(retry) {}

Result<EnqueueResult> Outbox::Enqueue(const NewMessage& m) {
  HOTLINE_RETURN_IF_ERROR(CheckNew(m));
  const int64_t now = ToEpochMillis(clock_.Now());
  const int64_t due = m.not_before == TimePoint{} ? now : std::max(now, ToEpochMillis(m.not_before));
  EnqueueResult out;
  HOTLINE_RETURN_IF_ERROR(db_.Transaction([&](store::Session& s) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(
        auto r,
        s.Query("INSERT INTO sms_messages (centre_id, kind, priority, status, idem_key, destination, body, "
                "content_type, campaign_id, parts, created_at, next_attempt_at, expires_at) VALUES "
                "($1, $2, $3, 'queued', $4, $5, $6, $7, $8, $9, $10, $11, $12) "
                "ON CONFLICT (idem_key) DO NOTHING RETURNING id",
                {m.centre_id, std::string(MessageKindName(m.kind)), PriorityOf(m.kind), m.idempotency_key,
                 m.destination, m.text, m.content_type, m.campaign_id, carrier::PartCount(m.text), now, due,
                 ToEpochMillis(m.expires_at)}));
    if (!r.empty()) {
      out = {r.rows[0][0].AsInt(), true};
      return OkStatus();
    }
    HOTLINE_ASSIGN_OR_RETURN(auto e,
                             s.Query("SELECT id FROM sms_messages WHERE idem_key = $1", {m.idempotency_key}));
    if (e.empty()) return Error::Internal("sms message vanished after conflict");
    out = {e.rows[0][0].AsInt(), false};
    return OkStatus();
  }));
  return out;
}

Result<int64_t> Outbox::EnqueueBatch(const std::vector<NewMessage>& messages) {
  for (size_t i = 0; i < messages.size(); ++i) {
    Status st = CheckNew(messages[i]);
    if (!st.ok()) {
      return Error::InvalidArgument("invalid_field",
                                    "message " + std::to_string(i) + ": " + st.error().message);
    }
  }
  const int64_t now = ToEpochMillis(clock_.Now());
  int64_t created = 0;
  // Multi-row INSERTs of kRows rows: one statement per 64 messages keeps the parameter count (13 × 64)
  // under SQLite's limit and the round trips to PostgreSQL few.
  constexpr size_t kRows = 64;
  constexpr size_t kCols = 13;
  HOTLINE_RETURN_IF_ERROR(db_.Transaction([&](store::Session& s) -> Status {
    std::vector<std::string> kinds, parts, keep;  // owned text the ParamRefs borrow
    std::vector<store::ParamRef> params;
    std::string sql;
    for (size_t start = 0; start < messages.size(); start += kRows) {
      const size_t n = std::min(kRows, messages.size() - start);
      sql =
          "INSERT INTO sms_messages (centre_id, kind, priority, status, idem_key, destination, body, "
          "content_type, "
          "campaign_id, parts, created_at, next_attempt_at, expires_at, handed) VALUES ";
      params.clear();
      for (size_t j = 0; j < n; ++j) {
        const NewMessage& m = messages[start + j];
        if (j) sql += ", ";
        sql += "(";
        for (size_t c = 0; c < kCols; ++c) {
          sql += (c ? ", $" : "$") + std::to_string(j * kCols + c + 1);
        }
        sql += ", 0)";
        const int64_t due = m.not_before == TimePoint{} ? now : std::max(now, ToEpochMillis(m.not_before));
        params.emplace_back(m.centre_id);
        params.emplace_back(MessageKindName(m.kind));
        params.emplace_back(int64_t{PriorityOf(m.kind)});
        params.emplace_back(std::string_view("queued"));
        params.emplace_back(std::string_view(m.idempotency_key));
        params.emplace_back(std::string_view(m.destination));
        params.emplace_back(std::string_view(m.text));
        params.emplace_back(std::string_view(m.content_type));
        params.emplace_back(m.campaign_id);
        params.emplace_back(int64_t{carrier::PartCount(m.text)});
        params.emplace_back(now);
        params.emplace_back(due);
        params.emplace_back(ToEpochMillis(m.expires_at));
      }
      sql += " ON CONFLICT (idem_key) DO NOTHING";
      HOTLINE_ASSIGN_OR_RETURN(auto r, s.Exec(sql, params));
      created += r.changed;
    }
    return OkStatus();
  }));
  return created;
}

Result<int64_t> Outbox::ExpireDue() {
  const int64_t now = ToEpochMillis(clock_.Now());
  HOTLINE_ASSIGN_OR_RETURN(auto r,
                           db_.Query("UPDATE sms_messages SET status = 'expired', handed = 0, done_at = $1, "
                                     "reason = 'expired before it could be submitted' "
                                     "WHERE status IN ('queued', 'held_for_window') AND expires_at <= $1",
                                     {now}));
  return r.affected_rows;
}

Result<int64_t> Outbox::HoldPushes() {
  const int64_t now = ToEpochMillis(clock_.Now());
  HOTLINE_ASSIGN_OR_RETURN(auto r,
                           db_.Query("UPDATE sms_messages SET status = 'held_for_window', held_at = $1 "
                                     "WHERE status = 'queued' AND handed = 0 AND priority >= 2 "
                                     "AND next_attempt_at <= $1",
                                     {now}));
  return r.affected_rows;
}

Result<std::vector<Message>> Outbox::Claim(int limit, bool window_open) {
  std::vector<Message> out;
  if (limit <= 0) return out;
  const int64_t now = ToEpochMillis(clock_.Now());
  HOTLINE_RETURN_IF_ERROR(db_.Transaction([&](store::Session& s) -> Status {
    out.clear();
    std::string sql =
        std::string("SELECT ") + kColumns +
        " FROM sms_messages WHERE handed = 0 AND next_attempt_at <= $1 AND expires_at > $1 AND ";
    sql += window_open ? "status IN ('queued', 'held_for_window')" : "status = 'queued' AND priority < 2";
    sql += " ORDER BY priority, next_attempt_at, id LIMIT $2";
    HOTLINE_ASSIGN_OR_RETURN(auto r, s.Query(sql, {now, int64_t{limit}}));
    for (size_t i = 0; i < r.size(); ++i) {
      Message m = RowToMessage(r, i);
      HOTLINE_RETURN_IF_ERROR(
          s.Query("UPDATE sms_messages SET handed = 1, status = 'queued', attempts = attempts + 1 "
                  "WHERE id = $1",
                  {m.id}));
      m.handed = true;
      m.status = MessageStatus::kQueued;
      ++m.attempts;
      out.push_back(std::move(m));
    }
    return OkStatus();
  }));
  return out;
}

Result<int64_t> Outbox::RecoverHanded() {
  HOTLINE_ASSIGN_OR_RETURN(auto r, db_.Query("UPDATE sms_messages SET handed = 0 WHERE handed = 1", {}));
  return r.affected_rows;
}

Status Outbox::RecordOutcome(int64_t id, std::string_view carrier_name, int64_t price_per_part_fen,
                             const carrier::SubmitOutcome& outcome) {
  const int64_t now = ToEpochMillis(clock_.Now());
  return db_.Transaction([&](store::Session& s) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(auto r, s.Query("SELECT attempts, expires_at, parts FROM sms_messages "
                                             "WHERE id = $1 AND handed = 1 AND status = 'queued'",
                                             {id}));
    if (r.empty()) return OkStatus();  // expired meanwhile, or recorded already
    const int64_t attempts = r.rows[0][0].AsInt();
    const int64_t expires_at = r.rows[0][1].AsInt();
    switch (outcome.kind) {
      case carrier::SubmitOutcome::Kind::kAccepted: {
        const int64_t parts = outcome.parts > 0 ? outcome.parts : r.rows[0][2].AsInt();
        std::string joined;
        for (size_t i = 0; i < outcome.carrier_ids.size(); ++i) {
          if (i) joined += ',';
          joined += outcome.carrier_ids[i];
        }
        HOTLINE_RETURN_IF_ERROR(s.Query(
            "UPDATE sms_messages SET status = 'submitted', handed = 0, submitted_at = $2, parts = $3, "
            "cost_fen = $4, carrier = $5, carrier_ids = $6, carrier_code = 0, reason = '' WHERE id = $1",
            {id, now, parts, parts * price_per_part_fen, std::string(carrier_name), joined}));
        for (size_t i = 0; i < outcome.carrier_ids.size(); ++i) {
          HOTLINE_RETURN_IF_ERROR(
              s.Query("INSERT INTO sms_parts (carrier, carrier_id, message_id, part) "
                      "VALUES ($1, $2, $3, $4) ON CONFLICT (carrier, carrier_id) DO UPDATE "
                      "SET message_id = excluded.message_id, part = excluded.part, "
                      "state = 'pending'",
                      {std::string(carrier_name), outcome.carrier_ids[i], id, static_cast<int64_t>(i + 1)}));
        }
        return OkStatus();
      }
      case carrier::SubmitOutcome::Kind::kRejected:
        return ToStatus(
            s.Query("UPDATE sms_messages SET status = 'failed', handed = 0, done_at = $2, carrier = $3, "
                    "carrier_code = $4, reason = $5 WHERE id = $1",
                    {id, now, std::string(carrier_name), outcome.carrier_code, outcome.reason}));
      case carrier::SubmitOutcome::Kind::kTransient: {
        // Exponential backoff from the attempt count, capped.
        int64_t delay = retry_.initial.count();
        for (int64_t a = 1; a < attempts && delay < retry_.max.count(); ++a) delay *= 2;
        delay = std::min<int64_t>(delay, retry_.max.count());
        const int64_t next = now + delay;
        if (next >= expires_at) {
          return ToStatus(s.Query(
              "UPDATE sms_messages SET status = 'expired', handed = 0, done_at = $2, carrier_code = $3, "
              "reason = $4 WHERE id = $1",
              {id, now, outcome.carrier_code, "expired while retrying: " + outcome.reason}));
        }
        return ToStatus(s.Query(
            "UPDATE sms_messages SET handed = 0, next_attempt_at = $2, carrier_code = $3, reason = $4 "
            "WHERE id = $1",
            {id, next, outcome.carrier_code, outcome.reason}));
      }
    }
    return OkStatus();
  });
}

Status Outbox::RecordReceipt(const carrier::DeliveryReceipt& receipt) {
  const int64_t done = ToEpochMillis(receipt.done_at == TimePoint{} ? clock_.Now() : receipt.done_at);
  return db_.Transaction([&](store::Session& s) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(
        auto p,
        s.Query("UPDATE sms_parts SET state = $3 WHERE carrier = $1 AND carrier_id = $2 "
                "RETURNING message_id",
                {receipt.carrier, receipt.carrier_id, receipt.delivered ? "delivered" : "undelivered"}));
    if (p.empty()) return Error::NotFound("no SMS part with that carrier id");
    const int64_t id = p.rows[0][0].AsInt();
    if (!receipt.delivered) {
      return ToStatus(
          s.Query("UPDATE sms_messages SET status = 'failed', done_at = $2, carrier_code = $3, reason = $4 "
                  "WHERE id = $1 AND status = 'submitted'",
                  {id, done, receipt.error_code, "receipt " + receipt.status}));
    }
    HOTLINE_ASSIGN_OR_RETURN(auto left, s.Query("SELECT COUNT(*) FROM sms_parts WHERE message_id = $1 "
                                                "AND state <> 'delivered'",
                                                {id}));
    if (left.rows[0][0].AsInt() > 0) return OkStatus();
    return ToStatus(s.Query(
        "UPDATE sms_messages SET status = 'delivered', done_at = $2 WHERE id = $1 AND status = 'submitted'",
        {id, done}));
  });
}

Result<Message> Outbox::Get(int64_t id) const {
  HOTLINE_ASSIGN_OR_RETURN(
      auto r, db_.Query(std::string("SELECT ") + kColumns + " FROM sms_messages WHERE id = $1", {id}));
  if (r.empty()) return Error::NotFound("no SMS message " + std::to_string(id));
  return RowToMessage(r, 0);
}

Result<std::optional<Message>> Outbox::FindByKey(std::string_view key) const {
  HOTLINE_ASSIGN_OR_RETURN(
      auto r, db_.Query(std::string("SELECT ") + kColumns + " FROM sms_messages WHERE idem_key = $1", {key}));
  if (r.empty()) return std::optional<Message>();
  return std::optional<Message>(RowToMessage(r, 0));
}

Result<std::vector<Message>> Outbox::List(const Filter& f) const {
  std::string sql = std::string("SELECT ") + kColumns + " FROM sms_messages WHERE 1 = 1";
  store::Params params;
  if (f.status) {
    params.emplace_back(std::string(MessageStatusName(*f.status)));
    sql += " AND status = $" + std::to_string(params.size());
  }
  if (!f.destination.empty()) {
    params.emplace_back(f.destination);
    sql += " AND destination = $" + std::to_string(params.size());
  }
  if (f.campaign_id) {
    params.emplace_back(f.campaign_id);
    sql += " AND campaign_id = $" + std::to_string(params.size());
  }
  params.emplace_back(int64_t{std::clamp(f.limit, 1, 1000)});
  sql += " ORDER BY priority, id LIMIT $" + std::to_string(params.size());
  HOTLINE_ASSIGN_OR_RETURN(auto r, db_.Query(sql, params));
  std::vector<Message> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(RowToMessage(r, i));
  return out;
}

Result<std::vector<std::pair<MessageStatus, int64_t>>> Outbox::CountByStatus(int64_t campaign_id) const {
  HOTLINE_ASSIGN_OR_RETURN(
      auto r, campaign_id ? db_.Query("SELECT status, COUNT(*) FROM sms_messages "
                                      "WHERE campaign_id = $1 GROUP BY status",
                                      {campaign_id})
                          : db_.Query("SELECT status, COUNT(*) FROM sms_messages GROUP BY status", {}));
  std::vector<std::pair<MessageStatus, int64_t>> out;
  for (const auto& row : r.rows) {
    MessageStatus st;
    if (ParseMessageStatus(row[0].AsText(), &st)) out.emplace_back(st, row[1].AsInt());
  }
  return out;
}

}  // namespace hotline::sms
