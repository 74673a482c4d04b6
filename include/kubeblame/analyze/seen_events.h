// The audit events already counted, keyed by (auditID, stage) and shared by every worker: the
// first copy of an event is counted, a later copy is a duplicate (docs/duplicates.md).
// Thread-safe; exact up to a bound of distinct keys, then a sliding window.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "kubeblame/model/audit_event.h"

namespace kubeblame::analyze {

class SeenEvents {
 public:
  struct Limits {
    std::size_t stripes = 256;              // a power of two; one mutex each
    std::size_t generation_keys = 9216;     // keys per stripe and generation
  };
  // Input indexes are kept in 20 bits; later inputs share the last value (docs/duplicates.md).
  static constexpr unsigned kInputBits = 20;
  static constexpr std::uint32_t kLastInput = (1u << kInputBits) - 1;
  // With the default limits every key is remembered up to at least this many distinct keys.
  static constexpr std::uint64_t kExactKeys = std::uint64_t{1} << 22;  // 4,194,304

  SeenEvents() : SeenEvents(Limits{}) {}
  explicit SeenEvents(Limits limits);
  ~SeenEvents();
  SeenEvents(const SeenEvents&) = delete;
  SeenEvents& operator=(const SeenEvents&) = delete;

  // The 64-bit key of an event; only events with an auditID have one.
  static std::uint64_t key(std::string_view audit_id, model::Stage stage);
  // Remembers `key`, read from input `input`. A new key gives nullopt; a key already remembered
  // gives the input its first copy came from (at most kLastInput).
  std::optional<std::uint32_t> insert(std::uint64_t key, std::uint32_t input);
  // Starts loading the cache lines insert(key) will read, without waiting or locking: call it as
  // early as the key is known and do other work before insert().
  void prefetch(std::uint64_t key) const;

  // Whether keys were forgotten (the bound was passed and the window slid); call once the
  // writers are done.
  bool forgot() const;
  // Bytes held by the tables (slots only); call once the writers are done.
  std::size_t memory_bytes() const;
  const Limits& limits() const { return limits_; }

 private:
  // One generation of one stripe: open addressing with linear probing; 0 = an empty slot, else
  // fingerprint << kInputBits | input. Small tables live in `own`; a table that outgrows
  // kSmallSlots moves to its fixed region of an arena.
  struct Table {
    std::vector<std::uint64_t> own;
    std::uint64_t* slots = nullptr;
    std::size_t capacity = 0;
    std::size_t size = 0;
  };
  struct alignas(64) Stripe {
    std::mutex mutex;
    Table current;
    Table previous;
    bool forgot = false;
  };
  // Where each stripe's current table is, for prefetch() without the lock (a stale value only
  // prefetches the wrong line). Apart from the stripes: written only when a generation turns,
  // so these lines stay in every core's cache while the stripes' lines move between cores.
  struct Hint {
    std::atomic<const std::uint64_t*> slots{nullptr};
    std::atomic<std::size_t> capacity{0};
  };
  // Both generations of every stripe, in two arenas mapped lazily (pages are only backed once
  // written) and backed by huge pages where the kernel allows.
  struct Arena {
    std::uint64_t* slots = nullptr;
    std::size_t bytes = 0;
  };
  std::size_t stripe_index(std::uint64_t key) const;
  std::optional<std::uint32_t> find(const Table& table, std::uint64_t fingerprint) const;
  void add(Table& table, std::uint64_t fingerprint, std::uint32_t input) const;
  void make_room(std::size_t index);
  void move_table(Table& table, std::uint64_t* slots, std::size_t capacity) const;

  Limits limits_;
  unsigned stripe_shift_ = 64;  // key >> stripe_shift_ is the stripe (0 with one stripe)
  std::size_t capacity_ = 0;    // slots per arena table: generation_keys at a load of 3/4
  Arena arenas_[2];
  std::unique_ptr<Stripe[]> stripes_;
  std::unique_ptr<Hint[]> hints_;
};

}  // namespace kubeblame::analyze
