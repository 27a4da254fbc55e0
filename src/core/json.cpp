// The JSON readers of core/json.hpp.
#include "core/json.hpp"

#include "core/text.hpp"

namespace hotline {
namespace {

Error InvalidJson(std::string message) { return Error::InvalidArgument("invalid_json", std::move(message)); }
Error InvalidField(std::string_view field, std::string_view what) {
  return Error::InvalidArgument("invalid_field", "字段 " + std::string(field) + " " + std::string(what));
}

// Deepest nesting of [ and { outside strings.
int NestingDepth(std::string_view s) {
  int depth = 0, max = 0;
  bool in_string = false, escape = false;
  for (char c : s) {
    if (in_string) {
      if (escape)
        escape = false;
      else if (c == '\\')
        escape = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"')
      in_string = true;
    else if (c == '[' || c == '{')
      max = std::max(max, ++depth);
    else if (c == ']' || c == '}')
      --depth;
  }
  return max;
}

}  // namespace

Result<nlohmann::json> ParseJsonObjectBytes(std::string_view bytes, int max_depth) {
  if (!IsValidUtf8(bytes)) return InvalidJson("请求体不是合法的 UTF-8 编码");
  if (NestingDepth(bytes) > max_depth) return InvalidJson("请求体 JSON 嵌套层数过多");
  auto json = nlohmann::json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return InvalidJson("请求体不是合法的 JSON，请检查引号、逗号和括号");
  if (!json.is_object()) return InvalidJson("请求体须为 JSON 对象 {…}");
  return json;
}

Result<std::string> RequiredString(const nlohmann::json& obj, std::string_view field, size_t max_chars) {
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return InvalidField(field, "是必填项");
  if (!it->is_string()) return InvalidField(field, "须为字符串");
  const auto& s = it->get_ref<const std::string&>();
  if (Utf8Length(s) > max_chars)
    return InvalidField(field, "过长（最多 " + std::to_string(max_chars) + " 个字符）");
  if (HasControlChars(s)) return InvalidField(field, "含有控制字符");
  return s;
}

Result<std::optional<std::string>> OptionalString(const nlohmann::json& obj, std::string_view field,
                                                  size_t max_chars) {
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return std::optional<std::string>();
  HOTLINE_ASSIGN_OR_RETURN(std::string s, RequiredString(obj, field, max_chars));
  return std::optional<std::string>(std::move(s));
}

Result<std::optional<bool>> OptionalBool(const nlohmann::json& obj, std::string_view field) {
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return std::optional<bool>();
  if (!it->is_boolean()) return InvalidField(field, "须为 true 或 false");
  return std::optional<bool>(it->get<bool>());
}

bool IsExplicitNull(const nlohmann::json& obj, std::string_view field) {
  auto it = obj.find(field);
  return it != obj.end() && it->is_null();
}

}  // namespace hotline
