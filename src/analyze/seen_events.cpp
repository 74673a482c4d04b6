// De-duplication: which audit events were already counted.
//
// The same event read twice (one file given twice, AKSAudit and AKSAuditAdmin exports of one
// window, an archive and a Log Analytics export that overlap) is one event: same auditID, same
// stage. Copies land in different chunks and so in different workers, so the set is shared: every
// worker asks it before counting an event, and the first copy to ask is counted (the pipeline
// makes that the copy in the earliest input: pipeline/run.cpp, InputBarrier).
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
// Memory and cost. A stripe's table starts at 16 slots and doubles at a load of 3/4 in its own
// memory up to 1,024 slots (2 MiB for all stripes, so small inputs cost little); then it moves to
// its fixed region (12,288 slots: G at 3/4) of an arena mapped lazily with huge pages, 24 MiB
// for all stripes; a new generation takes the region of the other arena. At the bound both
// arenas are in use: 2 x 256 x 12,288 x 8 B = 48 MiB, 12 bytes per key. Nearly all of the cost
// is one cache miss per event on the slot (the slots are hit at random); with 4 KiB pages it was
// also a TLB miss. The shard prefetches the slot as soon as it has the key and looks it up after
// computing the event's group keys; docs/duplicates.md has the measurements.
#include "kubeblame/analyze/seen_events.h"

#include <sys/mman.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <new>

#include "kubeblame/analyze/string_interner.h"

namespace kubeblame::analyze {

namespace {

constexpr unsigned kFingerprintBits = 64 - SeenEvents::kInputBits;
constexpr std::uint64_t kFingerprintMask = (std::uint64_t{1} << kFingerprintBits) - 1;
constexpr std::size_t kInitialSlots = 16;
constexpr std::size_t kSmallSlots = 1024;  // per stripe: 2 MiB in all before the arenas

std::uint64_t fingerprint_of(std::uint64_t key) {
  std::uint64_t fingerprint = key & kFingerprintMask;
  return fingerprint != 0 ? fingerprint : 1;  // 0 marks an empty slot
}

// The home slot: the fingerprint's high 32 bits scaled to the capacity.
std::size_t home_slot(std::uint64_t fingerprint, std::size_t capacity) {
  return static_cast<std::size_t>(((fingerprint >> (kFingerprintBits - 32)) * capacity) >> 32);
}

// Zeroed, lazily backed memory; huge pages where the kernel allows (transparent huge pages in
// "madvise" mode): the slots are hit at random, and with 4 KiB pages nearly every lookup also
// missed the TLB (a page walk, costlier still in a virtual machine).
std::uint64_t* map_zeroed(std::size_t bytes) {
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  ::madvise(p, bytes, MADV_HUGEPAGE);  // best effort
  return static_cast<std::uint64_t*>(p);
}

}  // namespace

std::uint64_t SeenEvents::key(std::string_view audit_id, model::Stage stage) {
  std::uint64_t stage_bits = (static_cast<std::uint64_t>(stage) + 1) * 0x9E3779B97F4A7C15ull;
  std::uint64_t h = hash_bytes(audit_id) ^ stage_bits;
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
  capacity_ = (4 * limits_.generation_keys + 2) / 3;  // a load of at most 3/4
  for (Arena& arena : arenas_) {
    arena.bytes = limits_.stripes * capacity_ * sizeof(std::uint64_t);
    arena.slots = map_zeroed(arena.bytes);
  }
  stripes_ = std::make_unique<Stripe[]>(limits_.stripes);
  hints_ = std::make_unique<Hint[]>(limits_.stripes);
}

SeenEvents::~SeenEvents() {
  for (Arena& arena : arenas_) ::munmap(arena.slots, arena.bytes);
}

std::size_t SeenEvents::stripe_index(std::uint64_t key) const {
  return stripe_shift_ >= 64 ? 0 : static_cast<std::size_t>(key >> stripe_shift_);
}

std::optional<std::uint32_t> SeenEvents::find(const Table& table, std::uint64_t fingerprint) const {
  if (table.size == 0) return std::nullopt;
  std::size_t capacity = table.capacity;
  for (std::size_t i = home_slot(fingerprint, capacity);; i = i + 1 == capacity ? 0 : i + 1) {
    std::uint64_t slot = table.slots[i];
    if (slot == 0) return std::nullopt;
    if ((slot >> kInputBits) == fingerprint) return static_cast<std::uint32_t>(slot & kLastInput);
  }
}

void SeenEvents::add(Table& table, std::uint64_t fingerprint, std::uint32_t input) const {
  std::size_t capacity = table.capacity;
  std::size_t i = home_slot(fingerprint, capacity);
  while (table.slots[i] != 0) i = i + 1 == capacity ? 0 : i + 1;
  table.slots[i] = (fingerprint << kInputBits) | std::min(input, kLastInput);
  ++table.size;
}

// Rehashes `table` into `slots` (zeroed, `capacity` of them).
void SeenEvents::move_table(Table& table, std::uint64_t* slots, std::size_t capacity) const {
  Table moved;
  moved.slots = slots;
  moved.capacity = capacity;
  for (std::size_t i = 0; i < table.capacity; ++i) {
    std::uint64_t slot = table.slots[i];
    if (slot != 0) add(moved, slot >> kInputBits, static_cast<std::uint32_t>(slot & kLastInput));
  }
  table = std::move(moved);
}

// Before adding a key to stripe `index`'s current table: grow it (in its own memory up to
// kSmallSlots, then into its region of the first arena), or, when it is full, make it the previous
// generation and start a new one in the other arena's region (the old previous keys are lost).
void SeenEvents::make_room(std::size_t index) {
  Stripe& stripe = stripes_[index];
  Table& current = stripe.current;
  std::size_t capacity = current.capacity;
  if (current.size == limits_.generation_keys) {
    stripe.forgot = stripe.forgot || stripe.previous.size > 0;
    std::uint64_t* free_region = stripe.previous.slots;
    std::swap(stripe.current, stripe.previous);
    if (free_region == nullptr) free_region = arenas_[1].slots + index * capacity_;
    std::memset(free_region, 0, capacity_ * sizeof(std::uint64_t));
    current = Table{{}, free_region, capacity_, 0};
  } else if (capacity == 0 && kInitialSlots < capacity_) {
    current.own.assign(kInitialSlots, 0);
    current.slots = current.own.data();
    current.capacity = kInitialSlots;
  } else if (capacity == 0) {
    current = Table{{}, arenas_[0].slots + index * capacity_, capacity_, 0};
  } else if ((current.size + 1) * 4 > capacity * 3 && capacity < capacity_) {
    if (capacity * 2 <= kSmallSlots && capacity * 2 < capacity_) {
      Table grown;
      grown.own.assign(capacity * 2, 0);
      move_table(current, grown.own.data(), grown.own.size());
      current.own = std::move(grown.own);
    } else {
      move_table(current, arenas_[0].slots + index * capacity_, capacity_);
    }
  } else {
    return;
  }
  hints_[index].slots.store(current.slots, std::memory_order_relaxed);
  hints_[index].capacity.store(current.capacity, std::memory_order_relaxed);
}

void SeenEvents::prefetch(std::uint64_t key) const {
  std::size_t index = stripe_index(key);
  __builtin_prefetch(&stripes_[index], 1);  // the mutex, to be written
  const std::uint64_t* slots = hints_[index].slots.load(std::memory_order_relaxed);
  std::size_t capacity = hints_[index].capacity.load(std::memory_order_relaxed);
  if (slots != nullptr) __builtin_prefetch(slots + home_slot(fingerprint_of(key), capacity), 1);
}

std::optional<std::uint32_t> SeenEvents::insert(std::uint64_t key, std::uint32_t input) {
  std::size_t index = stripe_index(key);
  Stripe& stripe = stripes_[index];
  std::uint64_t fingerprint = fingerprint_of(key);
  std::lock_guard lock(stripe.mutex);
  if (auto first = find(stripe.current, fingerprint)) return first;
  if (auto first = find(stripe.previous, fingerprint)) return first;
  make_room(index);
  add(stripe.current, fingerprint, input);
  return std::nullopt;
}

bool SeenEvents::forgot() const {
  for (std::size_t i = 0; i < limits_.stripes; ++i) {
    if (stripes_[i].forgot) return true;
  }
  return false;
}

// Small tables' own memory, plus each arena once a table moved there (a huge page is backed
// whole, and keys fall in every stripe: an arena in use is all resident in practice).
std::size_t SeenEvents::memory_bytes() const {
  std::size_t bytes = 0;
  bool arena[2] = {false, false};
  for (std::size_t i = 0; i < limits_.stripes; ++i) {
    for (const Table* table : {&stripes_[i].current, &stripes_[i].previous}) {
      bytes += table->own.capacity() * sizeof(std::uint64_t);
      for (int a = 0; a < 2; ++a) {
        std::uint64_t* base = arenas_[a].slots + i * capacity_;
        arena[a] = arena[a] || (table->slots == base && table->own.empty());
      }
    }
  }
  return bytes + (arena[0] ? arenas_[0].bytes : 0) + (arena[1] ? arenas_[1].bytes : 0);
}

}  // namespace kubeblame::analyze
