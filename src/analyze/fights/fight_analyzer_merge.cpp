// Fight detector state, the bounded parts: sampling objects and field entries when their
// bounds are passed, merging another worker's state, and the memory account. See
// fight_analyzer.h for why the sampled set does not depend on how records were split.
#include <algorithm>

#include "kubeblame/analyze/fights/fight_analyzer.h"

namespace kubeblame::analyze {

void FightAnalyzer::enforce_bounds() {
  if (objects_.size() > options_.max_objects) {
    while (object_level_ < kMaxLevel) {
      ++object_level_;
      std::size_t kept_count = 0;
      for (const ObjectState& object : objects_) {
        kept_count += kept(object_hash(object), object_level_) ? 1 : 0;
      }
      if (kept_count <= options_.max_objects) break;
    }
    resample_objects();
  }
  while (field_entries_ > options_.max_field_entries && field_level_ < kMaxLevel) {
    ++field_level_;
    drop_fields_below_level();
  }
}

void FightAnalyzer::resample_objects() {
  std::vector<ObjectState> objects;
  std::vector<ObjectDetail> details;
  std::vector<WriteRecord> pairs;
  std::vector<std::unique_ptr<char[]>> blocks;
  blocks.swap(name_blocks_);
  name_bytes_ = 0;
  field_entries_ = 0;
  for (ObjectState object : objects_) {
    const char* block = blocks[object.name_offset >> kNameBlockBits].get();
    std::string_view text(block + (object.name_offset & (kNameBlockBytes - 1)), object.name_length);
    if (!kept(sample_hash(object.resource, object.namespace_id, text), object_level_)) continue;
    object.name_offset = store_name(text);
    if (object.has_detail()) {
      details.push_back(std::move(details_[object.detail]));
      object.detail = static_cast<std::uint32_t>(details.size() - 1);
      field_entries_ += details.back().fields.size();
    } else if (object.has_pair()) {
      pairs.push_back(pairs_[object.detail & ~ObjectState::kPairBit]);
      object.detail = ObjectState::kPairBit | static_cast<std::uint32_t>(pairs.size() - 1);
    }
    objects.push_back(object);
  }
  objects_.swap(objects);
  details_.swap(details);
  pairs_.swap(pairs);
  rebuild_table();
}

void FightAnalyzer::drop_fields_below_level() {
  field_entries_ = 0;
  for (const ObjectState& object : objects_) {
    if (!object.has_detail()) continue;
    ObjectDetail& detail = details_[object.detail];
    if (!kept(object_hash(object), field_level_)) {
      detail.fields.clear();
      detail.fields.shrink_to_fit();
    }
    field_entries_ += detail.fields.size();
  }
}

void FightAnalyzer::merge_object(FightAnalyzer& other, const ObjectState& theirs,
                                 const std::vector<std::uint32_t>& writer_map) {
  std::uint32_t resource = strings_.intern(other.strings_.text(theirs.resource));
  std::uint32_t namespace_id = strings_.intern(other.strings_.text(theirs.namespace_id));
  std::string_view name_text = other.name(theirs);
  std::uint64_t hash = sample_hash(resource, namespace_id, name_text);
  if (!kept(hash, object_level_)) return;
  ObjectState& mine = objects_[find_or_add(resource, namespace_id, name_text, hash)];
  if (!theirs.has_detail()) {
    if (theirs.writes == 0) return;
    WriteRecord write = theirs.only;
    write.writer = writer_map[write.writer];
    add_write(mine, write, theirs.flags & ObjectState::kInlineBody);
    if (theirs.has_pair()) {
      write = other.pairs_[theirs.detail & ~ObjectState::kPairBit];
      write.writer = writer_map[write.writer];
      add_write(mine, write, theirs.flags & ObjectState::kPairBody);
    }
    return;
  }
  ObjectDetail& source = other.details_[theirs.detail];
  ObjectDetail& target = ensure_detail(mine);
  for (WriteRecord write : source.window) {
    write.writer = writer_map[write.writer];
    target.window.push_back(write);
  }
  trim_window(target, options_.max_writes_per_object);
  for (const WriterStats& stats : source.writers) {
    WriterStats& into = writer_stats(target, writer_map[stats.writer]);
    if (stats.writes > 0) {
      if (into.writes == 0 || stats.first < into.first) into.first = stats.first;
      if (into.writes == 0 || stats.last > into.last) into.last = stats.last;
    }
    into.writes += stats.writes;
    into.conflicts += stats.conflicts;
    into.verbs |= stats.verbs;
  }
  if (kept(hash, field_level_)) {
    for (const FieldEntry& entry : source.fields) {
      add_field(target, writer_map[entry.writer], entry.priority, entry.at, entry.path,
                entry.value, entry.path_hash);
    }
  }
  target.conflicts += source.conflicts;
  auto saturating = [](std::uint32_t a, std::uint32_t b) {
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(std::uint64_t{a} + b, 0xffffffffu));
  };
  target.body_writes = saturating(target.body_writes, source.body_writes);
  target.too_big = saturating(target.too_big, source.too_big);
  target.leader_lock = target.leader_lock || source.leader_lock;
  if (source.object_kind != ObjectDetail::kNoKind) {
    std::string_view kind = other.strings_.text(source.object_kind);
    if (target.object_kind == ObjectDetail::kNoKind || kind < strings_.text(target.object_kind)) {
      target.object_kind = strings_.intern(kind);
    }
  }
  std::uint64_t writes = std::uint64_t{mine.writes} + theirs.writes;
  mine.writes = static_cast<std::uint32_t>(std::min<std::uint64_t>(writes, 0xffffffffu));
}

void FightAnalyzer::merge(FightAnalyzer& other) {
  if (other.object_level_ > object_level_) {
    object_level_ = other.object_level_;
    resample_objects();
  }
  if (other.field_level_ > field_level_) {
    field_level_ = other.field_level_;
    drop_fields_below_level();
  }
  std::vector<std::uint32_t> writer_map(other.writers_.size());
  for (std::uint32_t id = 0; id < other.writers_.size(); ++id) {
    writer_map[id] = writers_.intern(other.writers_.text(id));
  }
  for (const ObjectState& theirs : other.objects_) merge_object(other, theirs, writer_map);
  field_entries_ = 0;
  for (const ObjectDetail& detail : details_) field_entries_ += detail.fields.size();
  excluded_.lease_writes += other.excluded_.lease_writes;
  excluded_.heartbeat_writes += other.excluded_.heartbeat_writes;
  excluded_.event_writes += other.excluded_.event_writes;
  excluded_.leader_lock_writes += other.excluded_.leader_lock_writes;
  for (std::size_t i = 0; i < kNormalWriteCount; ++i) {
    excluded_.normal_writes[i].writes += other.excluded_.normal_writes[i].writes;
    excluded_.normal_writes[i].objects += other.excluded_.normal_writes[i].objects;
  }
  enforce_bounds();
}

std::size_t FightAnalyzer::memory_bytes() const {
  std::size_t bytes = objects_.capacity() * sizeof(ObjectState) +
                      slots_.capacity() * sizeof(std::uint32_t) +
                      name_blocks_.size() * kNameBlockBytes +
                      details_.capacity() * sizeof(ObjectDetail) +
                      pairs_.capacity() * sizeof(WriteRecord) + strings_.memory_bytes() +
                      writers_.memory_bytes();
  for (const ObjectDetail& detail : details_) {
    bytes += detail.window.capacity() * sizeof(WriteRecord) +
             detail.writers.capacity() * sizeof(WriterStats) +
             detail.fields.capacity() * sizeof(FieldEntry);
    for (const FieldEntry& entry : detail.fields) {
      if (entry.path.capacity() > 15) bytes += entry.path.capacity();
      if (entry.value.capacity() > 15) bytes += entry.value.capacity();
    }
  }
  return bytes;
}

}  // namespace kubeblame::analyze
