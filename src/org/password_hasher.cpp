#include "org/password_hasher.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/text.hpp"

namespace hotline::org {

Result<PasswordHasher> PasswordHasher::Create(const PasswordHasherOptions& options) {
  if (sodium_init() < 0) return Error::Internal("libsodium failed to initialise");
  if (options.secret_key.size() < 32)
    return Error::InvalidArgument("invalid_secret_key", "密钥文件太短：至少需要 32 字节随机数据");
  return PasswordHasher(options);
}

std::string PasswordHasher::Peppered(std::string_view secret) const {
  unsigned char out[32];
  // Keyed BLAKE2b; the key is cut to libsodium's maximum key length.
  size_t key_len = std::min(options_.secret_key.size(), size_t{crypto_generichash_KEYBYTES_MAX});
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                     reinterpret_cast<const unsigned char*>(options_.secret_key.data()), key_len);
  char hex[sizeof out * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return hex;
}

Result<std::string> PasswordHasher::Hash(std::string_view secret) const {
  std::string peppered = Peppered(secret);
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, peppered.data(), peppered.size(), options_.ops_limit,
                            options_.mem_limit_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return Error::Internal("argon2id: out of memory");
  return std::string(out);
}

bool PasswordHasher::Verify(std::string_view secret, const std::string& stored) const {
  if (stored.size() >= crypto_pwhash_STRBYTES) return false;
  std::string peppered = Peppered(secret);
  return crypto_pwhash_str_verify(stored.c_str(), peppered.data(), peppered.size()) == 0;
}

Result<std::string> LoadOrCreateSecretKey(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::stringstream ss;
    ss << in.rdbuf();
    std::string key = ss.str();
    if (key.size() < 32)
      return Error::InvalidArgument(
          "invalid_secret_key",
          "密钥文件 " + path + " 少于 32 字节：请恢复备份的密钥文件（丢失后所有密码需重置）");
    return key;
  }
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  unsigned char key[32];
  randombytes_buf(key, sizeof key);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0)
    return Error::Unavailable("无法创建密钥文件 " + path + "：请检查 security.secret_key_file 的目录权限");
  bool ok = ::write(fd, key, sizeof key) == static_cast<ssize_t>(sizeof key) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Error::Unavailable("写入密钥文件 " + path + " 失败");
  return std::string(reinterpret_cast<char*>(key), sizeof key);
}

Status ValidatePasswordPolicy(std::string_view password) {
  bool letter = false, digit = false;
  for (unsigned char c : password) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) letter = true;
    if (c >= '0' && c <= '9') digit = true;
  }
  size_t len = IsValidUtf8(password) ? Utf8Length(password) : 0;
  if (len < 8 || len > 128 || !letter || !digit || HasControlChars(password))
    return Error::InvalidArgument("invalid_field", "密码须为 8–128 个字符，并且至少包含一个字母和一个数字");
  return OkStatus();
}

}  // namespace hotline::org
