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
    std::string id(36, '-');
    int nibble = 0;
    for (std::size_t i = 0; i < id.size(); ++i) {
      if (i == 8 || i == 13 || i == 18 || i == 23) continue;
      const std::uint64_t word = nibble < 16 ? high : low;
      const int shift = 60 - 4 * (nibble % 16);
      id[i] = kHex[(word >> shift) & 0xF];
      ++nibble;
    }
    return id;
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
