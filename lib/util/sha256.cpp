#include "util/sha256.hpp"

#include <stdexcept>

namespace haul {

Sha256::Sha256() : md_(EVP_MD_fetch(nullptr, "SHA256", nullptr)), ctx_(EVP_MD_CTX_new()) {
  if (!md_ || !ctx_) throw std::runtime_error("OpenSSL: SHA-256 is not available");
}

Sha256::~Sha256() {
  EVP_MD_CTX_free(ctx_);
  EVP_MD_free(md_);
}

Sha256::Digest Sha256::digest(std::string_view data) {
  begin();
  update(data);
  return finish();
}

void Sha256::begin() {
  if (EVP_DigestInit_ex(ctx_, md_, nullptr) != 1) throw std::runtime_error("OpenSSL: SHA-256 failed");
}

void Sha256::update(std::string_view data) {
  if (EVP_DigestUpdate(ctx_, data.data(), data.size()) != 1) {
    throw std::runtime_error("OpenSSL: SHA-256 failed");
  }
}

Sha256::Digest Sha256::finish() {
  Digest digest;
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx_, digest.data(), &length) != 1 || length != digest.size()) {
    throw std::runtime_error("OpenSSL: SHA-256 failed");
  }
  return digest;
}

std::string Sha256::hex(std::string_view data) { return to_hex(digest(data)); }

std::string Sha256::to_hex(const Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(digest.size() * 2, '0');
  for (std::size_t i = 0; i < digest.size(); ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  return out;
}

}  // namespace haul
