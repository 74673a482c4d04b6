// De-duplication: which audit events were already counted.
//
// The same event read twice (one file given twice, AKSAudit and AKSAuditAdmin exports of one
// window, an archive and a Log Analytics export that overlap) is one event: same auditID, same
// stage. Copies land in different chunks and so in different workers, so the set is shared: every
// worker asks it before counting an event, and the first copy to ask is counted.
//
// Keys. An event's key is a 64-bit hash of (auditID, stage). The top log2(stripes) bits pick a
// stripe (256 by default), each with its own mutex, so two workers rarely wait for each other;
// the low 44 bits are the fingerprint kept in the slot, next to the index of the input the first
// copy came from (20 bits, so the warning can name both inputs): one 8-byte slot per key, in
// open-addressing tables with linear probing (home slot from the fingerprint's high bits).
// Identity is 8 + 44 = 52 bits: a new key is wrongly taken for a duplicate only when one of the n
// keys remembered in its stripe has the same fingerprint, probability at most n / 2^52 per event:
// 9.3e-10 at n = 2^22, and n^2 / 2^53 = 0.002 events wrongly dropped over a whole run of 2^22
// distinct keys.
//
// Bound and window. A stripe holds two generations of at most G keys (9,216). New keys go to the
// current one; when it is full it becomes the previous one and the old previous one is dropped.
// Nothing is forgotten until some stripe has seen 2G = 18,432 keys: with 2^22 keys a stripe gets
// 16,384 on average (binomial, sd 128), so reaching 18,432 is 16 sd away; the set is exact up to
// at least 2^22 = 4,194,304 distinct keys (about 4.7 million at perfect balance). Past that each
// stripe remembers its last G to 2G first-seen keys: together the most recent 2.36 to 4.7 million
// distinct keys, and a copy read further apart than that is counted again (forgot() says so).
//
// Memory. A table starts at 64 slots and doubles at a load of 3/4 up to 12,288 slots (G at 3/4),
// so 8 bytes / load = 10.7 to 21 bytes per key; at the bound, two full generations in every
// stripe: 2 x 256 x 12,288 x 8 B = 48 MiB.
#include "kubeblame/analyze/seen_events.h"

#include <algorithm>
#include <bit>

#include "kubeblame/analyze/string_interner.h"

namespace kubeblame::analyze {

namespace {

constexpr unsigned kFingerprintBits = 64 - SeenEvents::kInputBits;
constexpr std::uint64_t kFingerprintMask = (std::uint64_t{1} << kFingerprintBits) - 1;
constexpr std::size_t kInitialSlots = 64;

std::uint64_t fingerprint_of(std::uint64_t key) {
  std::uint64_t fingerprint = key & kFingerprintMask;
  return fingerprint != 0 ? fingerprint : 1;  // 0 marks an empty slot
}

// The home slot: the fingerprint's high 32 bits scaled to the capacity.
std::size_t home_slot(std::uint64_t fingerprint, std::size_t capacity) {
  return static_cast<std::size_t>(((fingerprint >> (kFingerprintBits - 32)) * capacity) >> 32);
}

}  // namespace

std::uint64_t SeenEvents::key(std::string_view audit_id, model::Stage stage) {
  std::uint64_t h = hash_bytes(audit_id) ^ ((static_cast<std::uint64_t>(stage) + 1) * 0x9E3779B97F4A7C15ull);
  // MurmurHash3's finalizer: every output bit depends on every input bit (stripe and fingerprint
  // come from opposite ends of the key).
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

SeenEvents::SeenEvents(Limits limits) : limits_(limits) {
  if (limits_.stripes == 0 || !std::has_single_bit(limits_.stripes)) limits_.stripes = 1;
  if (limits_.generation_keys == 0) limits_.generation_keys = 1;
  unsigned stripe_bits = static_cast<unsigned>(std::countr_zero(limits_.stripes));
  stripe_shift_ = 64 - stripe_bits;
  max_slots_ = (4 * limits_.generation_keys + 2) / 3;  // a load of at most 3/4
  stripes_ = std::make_unique<Stripe[]>(limits_.stripes);
}

SeenEvents::~SeenEvents() = default;

std::optional<std::uint32_t> SeenEvents::Table::find(std::uint64_t fingerprint) const {
  if (slots.empty()) return std::nullopt;
  std::size_t capacity = slots.size();
  for (std::size_t i = home_slot(fingerprint, capacity);; i = i + 1 == capacity ? 0 : i + 1) {
    std::uint64_t slot = slots[i];
    if (slot == 0) return std::nullopt;
    if ((slot >> kInputBits) == fingerprint) return static_cast<std::uint32_t>(slot & kLastInput);
  }
}

void SeenEvents::Table::add(std::uint64_t fingerprint, std::uint32_t input) {
  std::size_t capacity = slots.size();
  std::size_t i = home_slot(fingerprint, capacity);
  while (slots[i] != 0) i = i + 1 == capacity ? 0 : i + 1;
  slots[i] = (fingerprint << kInputBits) | std::min(input, kLastInput);
  ++size;
}

void SeenEvents::Table::resize(std::size_t capacity) {
  std::vector<std::uint64_t> old(capacity, 0);
  old.swap(slots);
  size = 0;
  for (std::uint64_t slot : old) {
    if (slot != 0) add(slot >> kInputBits, static_cast<std::uint32_t>(slot & kLastInput));
  }
}

// Before adding a key to the stripe's current table: grow it, or start a new generation.
void SeenEvents::make_room(Stripe& stripe) const {
  Table& current = stripe.current;
  if (current.size < limits_.generation_keys) {
    std::size_t capacity = current.slots.size();
    if (capacity == 0) {
      current.resize(std::min(kInitialSlots, max_slots_));
    } else if ((current.size + 1) * 4 > capacity * 3 && capacity < max_slots_) {
      current.resize(std::min(capacity * 2, max_slots_));
    }
    return;
  }
  // Full: it becomes the previous generation; the old previous one's storage is reused.
  stripe.forgot = stripe.forgot || stripe.previous.size > 0;
  std::swap(stripe.current, stripe.previous);
  if (current.slots.empty()) {
    current.resize(std::min(kInitialSlots, max_slots_));
  } else {
    std::fill(current.slots.begin(), current.slots.end(), 0);
    current.size = 0;
  }
}

std::optional<std::uint32_t> SeenEvents::insert(std::uint64_t key, std::uint32_t input) {
  Stripe& stripe = stripes_[stripe_shift_ >= 64 ? 0 : static_cast<std::size_t>(key >> stripe_shift_)];
  std::uint64_t fingerprint = fingerprint_of(key);
  std::lock_guard lock(stripe.mutex);
  if (auto first = stripe.current.find(fingerprint)) return first;
  if (auto first = stripe.previous.find(fingerprint)) return first;
  make_room(stripe);
  stripe.current.add(fingerprint, input);
  return std::nullopt;
}

bool SeenEvents::forgot() const {
  for (std::size_t i = 0; i < limits_.stripes; ++i) {
    if (stripes_[i].forgot) return true;
  }
  return false;
}

std::size_t SeenEvents::memory_bytes() const {
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < limits_.stripes; ++i) {
    bytes += (stripes_[i].current.slots.capacity() + stripes_[i].previous.slots.capacity()) *
             sizeof(std::uint64_t);
  }
  return bytes;
}

}  // namespace kubeblame::analyze
