// Attachments of work orders (photos of a notice, a scanned letter, a recording excerpt).
//
// Why in the database rather than files under a data directory: an order and its attachments then commit
// together, back up together, survive kill -9 together (R-OPS-1) and export together to a successor
// (R-OPS-3), on SQLite and PostgreSQL alike. The bytes are stored base64-encoded in TEXT because the
// storage port's TEXT must be UTF-8 without NUL on both engines; attachments are capped
// (WorkOrderOptions::max_attachment_bytes, 5 MiB) so the 33 % overhead stays small.
#include <sodium.h>

#include "workorder/internal.hpp"
#include "workorder/state_machine.hpp"
#include "workorder/workorder_service.hpp"

namespace hotline::workorder {
namespace {

std::string Base64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

Result<std::string> FromBase64(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(),
                        nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return Error::Internal("stored attachment is not valid base64");
  out.resize(len);
  return out;
}

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : digest) out += kHex[b >> 4], out += kHex[b & 15];
  return out;
}

// "type/subtype" of token characters (RFC 9110 §8.3.1), parameters dropped; empty → octet-stream.
Result<std::string> NormalizeContentType(std::string_view type) {
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (type.empty()) return std::string("application/octet-stream");
  auto token = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("!#$&^_.+-").find(c) != std::string_view::npos;
  };
  size_t slash = type.find('/');
  bool ok = type.size() <= 100 && slash != std::string_view::npos && slash > 0 && slash + 1 < type.size();
  for (size_t i = 0; ok && i < type.size(); ++i) ok = i == slash || token(type[i]);
  if (!ok)
    return Error::InvalidArgument("invalid_field",
                                  "附件类型 content_type 须为 type/subtype，例如 image/jpeg");
  std::string out(type);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Result<Attachment> WorkOrderService::Attach(const org::Actor& actor, int64_t id, const NewAttachment& in) {
  HOTLINE_RETURN_IF_ERROR(internal::CheckLine("file_name", in.file_name, 1, 100));
  if (in.file_name.find_first_of("/\\") != std::string::npos || in.file_name == "." || in.file_name == "..")
    return Error::InvalidArgument("invalid_field", "附件名 file_name 不能含 / 或 \\");
  HOTLINE_ASSIGN_OR_RETURN(std::string content_type, NormalizeContentType(in.content_type));
  if (in.bytes.empty()) return Error::InvalidArgument("invalid_field", "附件内容为空：请选择要上传的文件");
  if (in.bytes.size() > options_.max_attachment_bytes)
    return Error{
        ErrorKind::kPayloadTooLarge, "attachment_too_large",
        "附件超过 " + std::to_string(options_.max_attachment_bytes >> 20) + " MiB：请压缩或拆分后再上传"};
  HOTLINE_ASSIGN_OR_RETURN(Context ctx, ContextOf(actor));
  HOTLINE_ASSIGN_OR_RETURN(Row row, LoadVisible(ctx, id));
  if (!ctx.AtCentre(row.order.org_id) || !actor.Has(org::Permission::kWorkOrderWrite) ||
      !HandlesOrders(actor))
    return internal::Forbidden("只有本中心的坐席、班长和承办部门可以上传附件");
  if (IsFinal(row.order.state)) return IllegalTransition(row.order.state, "attach", "上传附件");

  Attachment a{.order_id = id,
               .file_name = in.file_name,
               .content_type = content_type,
               .size = static_cast<int64_t>(in.bytes.size()),
               .sha256 = Sha256Hex(in.bytes),
               .uploaded_by = std::string(actor.name()),
               .uploaded_at = clock_.Now()};
  const std::string encoded = Base64(in.bytes);
  HOTLINE_RETURN_IF_ERROR(db_.Transaction([&](store::Session& s) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(auto n,
                             s.Query("SELECT COUNT(*) FROM workorder_attachments WHERE order_id = $1", {id}));
    if (n.rows[0][0].AsInt() >= options_.max_attachments_per_order)
      return Error::Conflict(
          "too_many_attachments",
          "每张工单最多 " + std::to_string(options_.max_attachments_per_order) + " 个附件");
    HOTLINE_ASSIGN_OR_RETURN(
        auto ins,
        s.Query("INSERT INTO workorder_attachments (order_id, file_name, content_type, size, sha256, "
                "data_base64, uploaded_by, uploaded_by_id, uploaded_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) "
                "RETURNING id",
                {id, a.file_name, a.content_type, a.size, a.sha256, encoded, a.uploaded_by,
                 actor.user_id() ? store::Value(*actor.user_id()) : store::Value(),
                 ToEpochMillis(a.uploaded_at)}));
    a.id = ins.rows[0][0].AsInt();
    HOTLINE_RETURN_IF_ERROR(s.Query(
        "INSERT INTO workorder_timeline (order_id, at, actor_id, actor, actor_name, action, from_state, "
        "to_state, "
        "note, detail) VALUES ($1,$2,$3,$4,$5,'attach',$6,$6,'',$7)",
        {id, ToEpochMillis(a.uploaded_at), actor.user_id() ? store::Value(*actor.user_id()) : store::Value(),
         a.uploaded_by, internal::DisplayName(actor), StateName(row.order.state),
         nlohmann::json{{"attachment_id", a.id}, {"file_name", a.file_name}, {"size", a.size}}.dump()}));
    // The audit entry carries no file name (it may name a person).
    return internal::AuditIn(audit_, s,
                             internal::AuditEntryOf(actor, row.order.org_path, row.order.org_code,
                                                    "workorder.attach", "workorder", std::to_string(id),
                                                    {{"number", row.order.number},
                                                     {"attachment_id", a.id},
                                                     {"size", a.size},
                                                     {"content_type", a.content_type}}));
  }));
  return a;
}

Result<AttachmentContent> WorkOrderService::ReadAttachment(const org::Actor& actor, int64_t id,
                                                           int64_t attachment_id) {
  HOTLINE_ASSIGN_OR_RETURN(Context ctx, ContextOf(actor));
  HOTLINE_ASSIGN_OR_RETURN(Row row, LoadVisible(ctx, id));
  HOTLINE_ASSIGN_OR_RETURN(
      auto r, db_.Query("SELECT file_name, content_type, size, sha256, uploaded_by, uploaded_at, "
                        "data_base64 FROM workorder_attachments WHERE id = $1 AND order_id = $2",
                        {attachment_id, id}));
  if (r.empty()) return Error::NotFound("没有找到该附件");
  const auto& x = r.rows[0];
  AttachmentContent out;
  out.meta = {.id = attachment_id,
              .order_id = id,
              .file_name = x[0].AsText(),
              .content_type = x[1].AsText(),
              .size = x[2].AsInt(),
              .sha256 = x[3].AsText(),
              .uploaded_by = x[4].AsText(),
              .uploaded_at = FromEpochMillis(x[5].AsInt())};
  HOTLINE_ASSIGN_OR_RETURN(out.bytes, FromBase64(x[6].AsText()));
  HOTLINE_RETURN_IF_ERROR(audit_.Append(internal::AuditEntryOf(
      actor, row.order.org_path, row.order.org_code, "workorder.attachment.read", "workorder",
      std::to_string(id), {{"number", row.order.number}, {"attachment_id", attachment_id}})));
  return out;
}

}  // namespace hotline::workorder
