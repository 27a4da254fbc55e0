#include "web/json_body.hpp"

namespace hotline::web {

Result<nlohmann::json> ParseJsonObject(const Request& request) {
  std::string_view type = request.Header("content-type");
  if (!type.empty() && type.substr(0, 16) != "application/json")
    return Error{ErrorKind::kInvalidArgument, "unsupported_media_type", "请求体须为 application/json"};
  return ParseJsonObjectBytes(request.body);
}

}  // namespace hotline::web
