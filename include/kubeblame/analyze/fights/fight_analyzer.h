// The fight detector's per-worker state: a write timeline per written object, kept small.
//
// Memory. Workers see records in no particular order, so everything kept is a function of the
// set of writes, never of their arrival order, and shards merge into the same state in any
// order:
//  - per object, exact totals: writes and 409 conflicts per writer, first/last write per writer;
//  - per object, the latest `max_writes_per_object` writes by (time, input, line, record in
//    line), from which flips, the pattern and steadiness are computed (a shard keeps its own
//    latest ones: the latest of the union are among them);
//  - per (object, writer, path), the last value (by the same order) of at most
//    `max_paths_per_writer` paths;
//  - an object written once is one 48-byte slot plus its name: the single write is stored
//    inline and nothing else is allocated; a second write takes a 24-byte pair slot (a pod's
//    create and delete); only a third write, a conflict or a body's fields allocate a detail.
// When the number of objects (or of field entries) passes its bound, objects are sampled by a
// 64-bit hash of (resource, namespace, name): level L keeps the objects whose hash has L
// leading zero bits. Levels only rise, and the final level is the smallest one under which the
// whole input fits, so the kept set is the same for any -j and chunk size.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kubeblame/analyze/analyzer.h"
#include "kubeblame/analyze/fights/body_flattener.h"
#include "kubeblame/analyze/fights/fights.h"
#include "kubeblame/analyze/string_interner.h"

namespace kubeblame::analyze {

// One successful write, ordered by (time, input, seq).
// seq = line << 24 | record-in-line << 4 | verb index (see write_verb()).
struct WriteRecord {
  model::TimeNs time = 0;
  std::uint64_t seq = 0;
  std::uint32_t input = 0;
  std::uint32_t writer = 0;  // id in FightAnalyzer::writers()
};

inline bool write_before(const WriteRecord& a, const WriteRecord& b) {
  if (a.time != b.time) return a.time < b.time;
  if (a.input != b.input) return a.input < b.input;
  return a.seq < b.seq;
}

struct WriterStats {
  std::uint32_t writer = 0;
  std::uint8_t verbs = 0;  // bit per verb (create, update, patch, delete, apply)
  std::uint64_t writes = 0;
  std::uint64_t conflicts = 0;
  model::TimeNs first = 0, last = 0;  // of successful writes (0 when none)
};

// The last value one writer set on one path.
struct FieldEntry {
  std::uint32_t writer = 0;
  std::uint8_t priority = 1;  // 0: the path came from a patch; 1: only from full objects
  std::uint64_t path_hash = 0;
  WriteRecord at;             // the write that set `value` (its writer field is unused)
  std::string path;
  std::string value;
};

struct ObjectDetail {
  std::vector<WriteRecord> window;
  std::vector<WriterStats> writers;
  std::vector<FieldEntry> fields;
  std::uint64_t conflicts = 0;
  std::uint32_t body_writes = 0;  // successful writes that carried a body (saturates)
  std::uint32_t too_big = 0;      // successful writes whose body was too big to be logged
  // "kind" of full-object bodies (the smallest if several), id in FightAnalyzer::strings().
  std::uint32_t object_kind = kNoKind;
  bool leader_lock = false;
  static constexpr std::uint32_t kNoKind = 0xffffffffu;
};

// Verbs that write, as stored in WriteRecord::seq's low 4 bits and WriterStats::verbs bits.
inline constexpr std::string_view kWriteVerbs[] = {"create", "update", "patch", "delete", "apply"};
inline unsigned write_verb(const WriteRecord& write) { return static_cast<unsigned>(write.seq & 0xF); }

struct ObjectState {
  std::uint32_t resource = 0;      // id in strings()
  std::uint32_t namespace_id = 0;  // id in strings()
  std::uint32_t name_offset = 0;   // into the name arena
  std::uint16_t name_length = 0;   // names are cut at kMaxNameLength bytes
  std::uint16_t flags = 0;         // kInlineBody, kPairBody
  // kNoDetail, kPairBit | index of the second write in the pair slots, or index into details.
  std::uint32_t detail = kNoDetail;
  std::uint32_t writes = 0;          // successful writes (saturates)
  WriteRecord only;                  // the first write while there is no detail
  static constexpr std::uint32_t kNoDetail = 0xffffffffu;
  static constexpr std::uint32_t kPairBit = 0x80000000u;
  static constexpr std::uint16_t kInlineBody = 1;  // the inline write carried a request body
  static constexpr std::uint16_t kPairBody = 2;    // the pair slot's write carried one
  bool has_detail() const { return detail != kNoDetail && !(detail & kPairBit); }
  bool has_pair() const { return detail != kNoDetail && (detail & kPairBit); }
  static constexpr std::size_t kMaxNameLength = 4096;
};

class FightAnalyzer : public AnalyzerOf<FightAnalyzer> {
 public:
  explicit FightAnalyzer(const FightOptions& options);
  ~FightAnalyzer() override;

  void on_event(const model::AuditEvent& event, bool counted, DimensionValues& values,
                const EventPosition& position) override;
  void on_log_line(const model::LogLine&, decode::Format, const EventPosition&) override {}
  bool reads_bodies() const override { return true; }
  void merge(FightAnalyzer& other);

  const FightOptions& options() const { return options_; }
  std::size_t object_count() const { return objects_.size(); }
  const ObjectState& object(std::size_t index) const { return objects_[index]; }
  // The detail of an object beyond two writes (or with conflicts or fields), else nullptr.
  const ObjectDetail* detail(const ObjectState& object) const {
    return object.has_detail() ? &details_[object.detail] : nullptr;
  }
  // A detail built from an object's one or two stored writes (for report thresholds that low).
  ObjectDetail materialize(const ObjectState& object) const;
  std::string_view name(const ObjectState& object) const;
  // The 64-bit hash objects are sampled by (same for every worker).
  std::uint64_t object_hash(const ObjectState& object) const;
  // False when the object's fields were sampled away (max_field_entries).
  bool fields_tracked(const ObjectState& object) const;
  const StringInterner& strings() const { return strings_; }
  // Writer ids: "fieldManager \x1f user \x1f agent" (fieldManager empty when absent).
  const StringInterner& writers() const { return writers_; }
  const FightExclusions& exclusions() const { return excluded_; }
  unsigned object_sample_level() const { return object_level_; }
  unsigned field_sample_level() const { return field_level_; }
  std::uint64_t field_entries() const { return field_entries_; }
  // Heap bytes held (objects, table, names, details, interners), for memory bounds.
  std::size_t memory_bytes() const;

 private:
  std::uint32_t find_or_add(std::uint32_t resource, std::uint32_t namespace_id,
                            std::string_view name, std::uint64_t hash);
  std::uint32_t store_name(std::string_view text);
  std::uint64_t sample_hash(std::uint32_t resource, std::uint32_t namespace_id,
                            std::string_view name) const;
  bool kept(std::uint64_t hash, unsigned level) const;
  ObjectDetail& ensure_detail(ObjectState& object);
  WriterStats& writer_stats(ObjectDetail& detail, std::uint32_t writer);
  void add_write(ObjectState& object, const WriteRecord& write, bool body);
  void add_conflict(ObjectState& object, std::uint32_t writer);
  void add_fields(ObjectState& object, std::uint64_t hash, const model::AuditEvent& event,
                  const WriteRecord& write, bool status_write);
  void add_field(ObjectDetail& detail, std::uint32_t writer, std::uint8_t priority,
                 const WriteRecord& at, std::string_view path, std::string_view value,
                 std::uint64_t path_hash);
  void trim_window(ObjectDetail& detail, std::size_t keep);
  void enforce_bounds();
  void resample_objects();
  void drop_fields_below_level();
  void rebuild_table();
  void merge_object(FightAnalyzer& other, const ObjectState& theirs,
                    const std::vector<std::uint32_t>& writer_map);

  static constexpr std::size_t kNameBlockBits = 20;
  static constexpr std::size_t kNameBlockBytes = std::size_t{1} << kNameBlockBits;
  static constexpr unsigned kMaxLevel = 63;  // sampling levels (leading zero bits of the hash)

  FightOptions options_;
  StringInterner strings_;   // resources, namespaces
  StringInterner writers_;
  std::vector<ObjectState> objects_;
  std::vector<std::uint32_t> slots_;  // object index + 1; 0 = empty
  // Names live in fixed blocks addressed by a global offset (block = offset >> 20); a name
  // never straddles two blocks.
  std::vector<std::unique_ptr<char[]>> name_blocks_;
  std::size_t name_bytes_ = 0;  // next free offset
  std::vector<ObjectDetail> details_;
  std::vector<WriteRecord> pairs_;  // second writes; a slot is left behind when it becomes a detail
  FightExclusions excluded_;
  std::uint64_t field_entries_ = 0;
  unsigned object_level_ = 0;
  unsigned field_level_ = 0;
  // Ordering of records that share one line (batches): the n-th record of the line.
  EventPosition last_position_{0xffffffffu, ~0ull};
  std::uint32_t record_in_line_ = 0;
  // Reused per event.
  std::string writer_key_;
  std::string resource_;
  BodyFlattener flattener_;
};

}  // namespace kubeblame::analyze
