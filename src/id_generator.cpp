#include "worker/id_generator.hpp"

#include <array>
#include <cstdint>
#include <random>

#include "random.hpp"

namespace worker {
namespace {

class UuidGenerator final : public IdGenerator {
 public:
  std::string generate() override {
    thread_local detail::Xoshiro256 random;
    std::uint64_t high = random.next();
    std::uint64_t low = random.next();
    high = (high & ~std::uint64_t{0xF000}) | 0x4000;                         // version 4
    low = (low & ~(std::uint64_t{0xC} << 60)) | (std::uint64_t{0x8} << 60);  // variant 10

    static constexpr char kHex[] = "0123456789abcdef";
    char id[36];
    char* out = id;
    for (int byte = 0; byte < 16; ++byte) {
      if (byte == 4 || byte == 6 || byte == 8 || byte == 10) *out++ = '-';
      const std::uint64_t word = byte < 8 ? high : low;
      const auto value = static_cast<unsigned>(word >> (56 - 8 * (byte % 8))) & 0xFF;
      *out++ = kHex[value >> 4];
      *out++ = kHex[value & 0xF];
    }
    return std::string(id, sizeof id);
  }
};

class FixedIdGenerator final : public IdGenerator {
 public:
  explicit FixedIdGenerator(std::string id) : id_(std::move(id)) {}
  std::string generate() override { return id_; }

 private:
  const std::string id_;
};

}  // namespace

std::shared_ptr<IdGenerator> make_uuid_generator() { return std::make_shared<UuidGenerator>(); }

std::shared_ptr<IdGenerator> make_fixed_id_generator(std::string id) {
  return std::make_shared<FixedIdGenerator>(std::move(id));
}

}  // namespace worker
