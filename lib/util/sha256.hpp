#pragma once
// SHA-256 through OpenSSL's EVP interface. The digest is fetched once and the
// context reused, which matters when hashing millions of short keys.

#include <openssl/evp.h>

#include <array>
#include <string>
#include <string_view>

namespace haul {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  using Digest = std::array<unsigned char, 32>;
  // The 32-byte digest of `data`.
  Digest digest(std::string_view data);
  // Lower-case hex digest of `data`.
  std::string hex(std::string_view data);
  // Incremental hashing of data too large to hold at once (a file):
  // begin(), update() per piece, finish().
  void begin();
  void update(std::string_view data);
  Digest finish();
  static std::string to_hex(const Digest& digest);

 private:
  EVP_MD* md_;
  EVP_MD_CTX* ctx_;
};

}  // namespace haul
