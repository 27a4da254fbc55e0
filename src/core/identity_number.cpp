#include "core/identity_number.hpp"

#include <chrono>

namespace hotline {

char CitizenIdCheckChar(std::string_view first17) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kCheck[] = "10X98765432";
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheck[sum % 11];
}

bool IsKnownProvinceCode(std::string_view p) {
  if (p.size() != 2 || p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9') return false;
  int code = (p[0] - '0') * 10 + (p[1] - '0');
  switch (code) {
    case 11:
    case 12:
    case 13:
    case 14:
    case 15:
    case 21:
    case 22:
    case 23:
    case 31:
    case 32:
    case 33:
    case 34:
    case 35:
    case 36:
    case 37:
    case 41:
    case 42:
    case 43:
    case 44:
    case 45:
    case 46:
    case 50:
    case 51:
    case 52:
    case 53:
    case 54:
    case 61:
    case 62:
    case 63:
    case 64:
    case 65:
    case 71:
    case 81:
    case 82:
      return true;
    default:
      return false;
  }
}

Result<CitizenId> ParseCitizenId(std::string_view text, std::optional<Date> today) {
  auto bad = [](const char* why) {
    return Error::InvalidArgument("invalid_citizen_id", std::string("身份证号码") + why);
  };
  if (text.size() != 18) return bad("应为 18 位");
  for (size_t i = 0; i < 17; ++i)
    if (text[i] < '0' || text[i] > '9') return bad("前 17 位应为数字");
  char last = text[17] == 'x' ? 'X' : text[17];
  if (!((last >= '0' && last <= '9') || last == 'X')) return bad("末位应为数字或 X");
  if (!IsKnownProvinceCode(text.substr(0, 2))) return bad("的地区码不正确");
  Date birth;
  std::string iso = std::string(text.substr(6, 4)) + "-" + std::string(text.substr(10, 2)) + "-" +
                    std::string(text.substr(12, 2));
  if (!ParseDate(iso, &birth)) return bad("的出生日期不正确");
  if (birth < std::chrono::sys_days(std::chrono::year(1900) / 1 / 1) || (today && birth > *today))
    return bad("的出生日期不正确");
  if (CitizenIdCheckChar(text.substr(0, 17)) != last) return bad("校验位不正确，请核对后重新输入");
  CitizenId id;
  id.number = std::string(text.substr(0, 17)) + last;
  id.region = std::string(text.substr(0, 6));
  id.birth_date = birth;
  id.male = (text[16] - '0') % 2 == 1;
  return id;
}

bool LuhnValid(std::string_view digits) {
  if (digits.size() < 2) return false;
  int sum = 0;
  bool twice = false;
  for (size_t i = digits.size(); i-- > 0;) {
    char c = digits[i];
    if (c < '0' || c > '9') return false;
    int d = c - '0';
    if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

char LuhnCheckDigit(std::string_view digits) {
  int sum = 0;
  bool twice = true;  // the digit left of the check digit is doubled
  for (size_t i = digits.size(); i-- > 0;) {
    int d = digits[i] - '0';
    if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    twice = !twice;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

}  // namespace hotline
