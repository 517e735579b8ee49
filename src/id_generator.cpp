#include "worker/id_generator.hpp"

#include <array>
#include <cstdint>
#include <random>

namespace worker {
namespace {

// xoshiro256** (Blackman & Vigna): fast, 256-bit state, seeded once per thread from the OS.
class Xoshiro256 {
 public:
  Xoshiro256() {
    std::random_device device;
    for (auto& word : state_) {
      word = (static_cast<std::uint64_t>(device()) << 32) ^ device();
    }
    if ((state_[0] | state_[1] | state_[2] | state_[3]) == 0) state_[0] = 1;
  }

  std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> state_{};
};

class UuidGenerator final : public IdGenerator {
 public:
  std::string generate() override {
    thread_local Xoshiro256 random;
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
