// Fight detector, collection side: which writes count, who the writer is, and the bounded
// per-object state (see fight_analyzer.h for why every piece is order-independent).
//
// A write counts when it is a counted request with a write verb on a named object and either
// succeeded (2xx) or failed with 409 Conflict (a create's 409 only when the reason is Conflict:
// AlreadyExists is not a fight). Subresources are objects of their own (pods/status), except
// `scale`, which writes the main object's spec.replicas (an HPA and a GitOps tool fighting over
// replicas write deployments/scale and deployments). Normal traffic is counted and left out:
// events, leases (leader election renewals, node heartbeats), kubelet status heartbeats
// (nodes/status and pods/status by system:node:*), and virtual subresources that store nothing
// (token, eviction, proxy, exec, attach, portforward, log).
#include "kubeblame/analyze/fights/fight_analyzer.h"

#include <algorithm>
#include <cstring>

#include "kubeblame/analyze/dimension.h"

namespace kubeblame::analyze {

namespace {

constexpr std::uint32_t kMaxRecordInLine = (1u << 20) - 1;
constexpr char kWriterSeparator = '\x1f';

// Index into kWriteVerbs, or -1 when the verb does not write.
int verb_index(std::string_view verb) {
  for (std::size_t i = 0; i < std::size(kWriteVerbs); ++i) {
    if (kWriteVerbs[i] == verb) return static_cast<int>(i);
  }
  return -1;
}

bool is_virtual_subresource(std::string_view subresource) {
  return subresource == "token" || subresource == "eviction" || subresource == "proxy" ||
         subresource == "exec" || subresource == "attach" || subresource == "portforward" ||
         subresource == "log";
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The URL-decoded value of the fieldManager query parameter, into `out` ("" when absent).
void field_manager(std::string_view uri, std::string& out) {
  out.clear();
  std::size_t query = uri.find('?');
  if (query == std::string_view::npos) return;
  std::string_view rest = uri.substr(query + 1);
  while (!rest.empty()) {
    std::size_t amp = rest.find('&');
    std::string_view param = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    constexpr std::string_view kKey = "fieldManager=";
    if (param.substr(0, kKey.size()) != kKey) continue;
    std::string_view value = param.substr(kKey.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (value[i] == '%' && i + 2 < value.size() && hex_value(value[i + 1]) >= 0 &&
          hex_value(value[i + 2]) >= 0) {
        out += static_cast<char>(hex_value(value[i + 1]) * 16 + hex_value(value[i + 2]));
        i += 2;
      } else {
        out += value[i] == '+' ? ' ' : value[i];
      }
    }
    return;
  }
}

std::uint64_t mix(std::uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 33);
}

// A request body worth counting as "bodies available": a JSON object or array.
bool has_body(std::string_view body) {
  std::size_t i = body.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && (body[i] == '{' || body[i] == '[');
}

}  // namespace

FightAnalyzer::FightAnalyzer(const FightOptions& options)
    : options_(options), slots_(64, 0) {
  options_.max_writes_per_object = std::max<std::size_t>(options_.max_writes_per_object, 2);
  options_.max_objects = std::max<std::size_t>(options_.max_objects, 1);
  options_.max_paths_per_writer = std::max<std::size_t>(options_.max_paths_per_writer, 1);
}

FightAnalyzer::~FightAnalyzer() = default;

std::string_view FightAnalyzer::name(const ObjectState& object) const {
  const char* block = name_blocks_[object.name_offset >> kNameBlockBits].get();
  return {block + (object.name_offset & (kNameBlockBytes - 1)), object.name_length};
}

std::uint64_t FightAnalyzer::sample_hash(std::uint32_t resource, std::uint32_t namespace_id,
                                         std::string_view name_text) const {
  std::uint64_t h = strings_.hash(resource);
  h = mix(h ^ (strings_.hash(namespace_id) * 0x9e3779b97f4a7c15ull));
  return mix(h ^ hash_bytes(name_text));
}

std::uint64_t FightAnalyzer::object_hash(const ObjectState& object) const {
  return sample_hash(object.resource, object.namespace_id, name(object));
}

bool FightAnalyzer::fields_tracked(const ObjectState& object) const {
  return kept(object_hash(object), field_level_);
}

bool FightAnalyzer::kept(std::uint64_t hash, unsigned level) const {
  return level == 0 || (hash >> (64 - level)) == 0;
}

std::uint32_t FightAnalyzer::store_name(std::string_view text) {
  std::size_t offset = name_bytes_;
  std::size_t in_block = offset & (kNameBlockBytes - 1);
  // A new block when the name does not fit, and also when the last block was filled exactly:
  // then the offset already points at a block that does not exist yet (this crashed a merge
  // when a worker's names happened to end on a block boundary).
  if ((offset >> kNameBlockBits) >= name_blocks_.size() || in_block + text.size() > kNameBlockBytes) {
    offset = name_blocks_.size() << kNameBlockBits;
    name_blocks_.push_back(std::make_unique<char[]>(kNameBlockBytes));
    in_block = 0;
  }
  if (!text.empty()) {
    std::memcpy(name_blocks_[offset >> kNameBlockBits].get() + in_block, text.data(), text.size());
  }
  name_bytes_ = offset + text.size();
  return static_cast<std::uint32_t>(offset);
}

std::uint32_t FightAnalyzer::find_or_add(std::uint32_t resource, std::uint32_t namespace_id,
                                         std::string_view name_text, std::uint64_t hash) {
  std::size_t mask = slots_.size() - 1;
  std::size_t i = hash & mask;
  while (slots_[i] != 0) {
    const ObjectState& candidate = objects_[slots_[i] - 1];
    if (candidate.resource == resource && candidate.namespace_id == namespace_id &&
        name(candidate) == name_text) {
      return slots_[i] - 1;
    }
    i = (i + 1) & mask;
  }
  ObjectState object;
  object.resource = resource;
  object.namespace_id = namespace_id;
  object.name_offset = store_name(name_text);
  object.name_length = static_cast<std::uint16_t>(name_text.size());
  objects_.push_back(object);
  auto index = static_cast<std::uint32_t>(objects_.size() - 1);
  slots_[i] = index + 1;
  if (objects_.size() * 2 > slots_.size()) rebuild_table();
  return index;
}

void FightAnalyzer::rebuild_table() {
  std::size_t size = 64;
  while (size < objects_.size() * 2 + 2) size *= 2;
  slots_.assign(size, 0);
  std::size_t mask = size - 1;
  for (std::uint32_t index = 0; index < objects_.size(); ++index) {
    std::size_t i = object_hash(objects_[index]) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = index + 1;
  }
}

namespace {

void add_stored_write(ObjectDetail& detail, const WriteRecord& write, bool body) {
  detail.window.push_back(write);
  WriterStats* stats = nullptr;
  for (WriterStats& candidate : detail.writers) {
    if (candidate.writer == write.writer) stats = &candidate;
  }
  if (stats == nullptr) {
    stats = &detail.writers.emplace_back();
    stats->writer = write.writer;
  }
  stats->verbs |= static_cast<std::uint8_t>(1u << write_verb(write));
  stats->first = stats->writes == 0 ? write.time : std::min(stats->first, write.time);
  stats->last = stats->writes == 0 ? write.time : std::max(stats->last, write.time);
  ++stats->writes;
  if (body && detail.body_writes != 0xffffffffu) ++detail.body_writes;
}

}  // namespace

ObjectDetail FightAnalyzer::materialize(const ObjectState& object) const {
  if (object.has_detail()) return details_[object.detail];
  ObjectDetail detail;
  if (object.writes >= 1) add_stored_write(detail, object.only, object.flags & ObjectState::kInlineBody);
  if (object.has_pair()) {
    add_stored_write(detail, pairs_[object.detail & ~ObjectState::kPairBit],
                     object.flags & ObjectState::kPairBody);
  }
  return detail;
}

ObjectDetail& FightAnalyzer::ensure_detail(ObjectState& object) {
  if (object.has_detail()) return details_[object.detail];
  ObjectDetail detail = materialize(object);
  object.detail = static_cast<std::uint32_t>(details_.size());
  return details_.emplace_back(std::move(detail));
}

WriterStats& FightAnalyzer::writer_stats(ObjectDetail& detail, std::uint32_t writer) {
  for (WriterStats& stats : detail.writers) {
    if (stats.writer == writer) return stats;
  }
  WriterStats& stats = detail.writers.emplace_back();
  stats.writer = writer;
  return stats;
}

void FightAnalyzer::trim_window(ObjectDetail& detail, std::size_t keep) {
  if (detail.window.size() <= keep) return;
  auto later = [](const WriteRecord& a, const WriteRecord& b) { return write_before(b, a); };
  std::nth_element(detail.window.begin(), detail.window.begin() + static_cast<std::ptrdiff_t>(keep),
                   detail.window.end(), later);
  detail.window.resize(keep);
}

void FightAnalyzer::add_write(ObjectState& object, const WriteRecord& write, bool body) {
  if (object.writes == 0 && object.detail == ObjectState::kNoDetail) {
    object.only = write;
    object.writes = 1;
    if (body) object.flags |= ObjectState::kInlineBody;
    return;
  }
  if (object.writes == 1 && object.detail == ObjectState::kNoDetail &&
      pairs_.size() < ObjectState::kPairBit - 1) {
    object.detail = ObjectState::kPairBit | static_cast<std::uint32_t>(pairs_.size());
    pairs_.push_back(write);
    object.writes = 2;
    if (body) object.flags |= ObjectState::kPairBody;
    return;
  }
  ObjectDetail& detail = ensure_detail(object);
  add_stored_write(detail, write, body);
  if (detail.window.size() >= 2 * options_.max_writes_per_object) {
    trim_window(detail, options_.max_writes_per_object);
  }
  if (object.writes != 0xffffffffu) ++object.writes;
}

void FightAnalyzer::add_conflict(ObjectState& object, std::uint32_t writer) {
  ObjectDetail& detail = ensure_detail(object);
  ++detail.conflicts;
  ++writer_stats(detail, writer).conflicts;
}

void FightAnalyzer::add_field(ObjectDetail& detail, std::uint32_t writer, std::uint8_t priority,
                              const WriteRecord& at, std::string_view path,
                              std::string_view value, std::uint64_t path_hash) {
  FieldEntry* worst = nullptr;
  std::size_t count = 0;
  for (FieldEntry& entry : detail.fields) {
    if (entry.writer != writer) continue;
    if (entry.path_hash == path_hash && entry.path == path) {
      entry.priority = std::min(entry.priority, priority);
      if (write_before(entry.at, at)) {
        entry.at = at;
        entry.value.assign(value);
      }
      return;
    }
    ++count;
    if (worst == nullptr || std::tie(worst->priority, worst->path) < std::tie(entry.priority, entry.path)) {
      worst = &entry;
    }
  }
  if (count < options_.max_paths_per_writer) {
    FieldEntry& entry = detail.fields.emplace_back();
    entry.writer = writer;
    entry.priority = priority;
    entry.path_hash = path_hash;
    entry.at = at;
    entry.path.assign(path);
    entry.value.assign(value);
    ++field_entries_;
    return;
  }
  // Keep the writer's max_paths_per_writer smallest (priority, path): a set function.
  if (priority < worst->priority || (priority == worst->priority && path < std::string_view(worst->path))) {
    worst->priority = priority;
    worst->path_hash = path_hash;
    worst->at = at;
    worst->path.assign(path);
    worst->value.assign(value);
  }
}

void FightAnalyzer::add_fields(ObjectState& object, std::uint64_t hash,
                               const model::AuditEvent& event, const WriteRecord& write,
                               bool status_write) {
  unsigned verb = write_verb(write);
  if (kWriteVerbs[verb] != "update" && kWriteVerbs[verb] != "patch" &&
      kWriteVerbs[verb] != "apply") {
    return;  // a create sets the initial state; a delete's body is DeleteOptions
  }
  if (!kept(hash, field_level_)) return;
  FlattenOptions flatten;
  flatten.status_write = status_write;
  flatten.max_value_length = options_.max_value_length;
  std::uint8_t priority = kWriteVerbs[verb] == "update" ? 1 : 0;
  ObjectDetail& detail = ensure_detail(object);
  struct Sink : LeafSink {
    FightAnalyzer* self;
    ObjectDetail* detail;
    const WriteRecord* write;
    std::uint8_t priority;
    void on_leaf(std::string_view path, std::string_view value) override {
      self->add_field(*detail, write->writer, priority, *write, path, value, hash_bytes(path));
    }
  } sink;
  sink.self = this;
  sink.detail = &detail;
  sink.write = &write;
  sink.priority = priority;
  FlattenResult result = flattener_.flatten(event.request_object, flatten, sink);
  if (result.leader_lock) detail.leader_lock = true;
  if (!result.object_kind.empty() && event.object_ref.subresource.empty() &&
      (detail.object_kind == ObjectDetail::kNoKind ||
       result.object_kind < strings_.text(detail.object_kind))) {
    detail.object_kind = strings_.intern(result.object_kind);
  }
}

void FightAnalyzer::on_event(const model::AuditEvent& event, bool counted,
                             DimensionValues& values, const EventPosition& position) {
  if (position == last_position_) {
    if (record_in_line_ < kMaxRecordInLine) ++record_in_line_;
  } else {
    last_position_ = position;
    record_in_line_ = 0;
  }
  if (!counted) return;
  int verb = verb_index(event.verb);
  if (verb < 0) return;
  const model::ObjectRef& ref = event.object_ref;
  if (!event.has_object_ref || ref.resource.empty() || ref.name.empty()) return;
  bool success = event.code >= 200 && event.code < 300;
  bool conflict = event.code == 409 && (verb != 0 || event.reason == "Conflict");
  if (!success && !conflict) return;
  if (is_virtual_subresource(ref.subresource)) return;

  bool core = ref.api_group.empty();
  if (ref.resource == "events" && (core || ref.api_group == "events.k8s.io")) {
    if (success) ++excluded_.event_writes;
    return;
  }
  if (ref.resource == "leases" && ref.api_group == "coordination.k8s.io") {
    if (success) ++excluded_.lease_writes;
    return;
  }
  if (ref.subresource == "status" && core && (ref.resource == "nodes" || ref.resource == "pods") &&
      event.username.substr(0, 12) == "system:node:") {
    if (success) ++excluded_.heartbeat_writes;
    return;
  }

  resource_.assign(ref.resource);
  if (!core) {
    resource_ += '.';
    resource_ += ref.api_group;
  }
  if (!ref.subresource.empty() && ref.subresource != "scale") {
    resource_ += '/';
    resource_ += ref.subresource;
  }
  std::string_view name_text = ref.name.substr(0, ObjectState::kMaxNameLength);
  std::uint32_t resource = strings_.intern(resource_);
  std::uint32_t namespace_id = strings_.intern(values.get(Dimension::kNamespace));
  std::uint64_t hash = sample_hash(resource, namespace_id, name_text);
  if (!kept(hash, object_level_)) return;

  field_manager(event.request_uri, writer_key_);
  writer_key_ += kWriterSeparator;
  writer_key_ += values.get(Dimension::kUser);
  writer_key_ += kWriterSeparator;
  writer_key_ += values.get(Dimension::kAgent);
  WriteRecord write;
  write.time = model::event_time(event);
  write.input = position.input;
  write.seq = (position.line << 24) | (std::uint64_t{record_in_line_} << 4) |
              static_cast<std::uint64_t>(verb);
  write.writer = writers_.intern(writer_key_);

  std::uint32_t index = find_or_add(resource, namespace_id, name_text, hash);
  ObjectState& object = objects_[index];
  if (success) {
    add_write(object, write, has_body(event.request_object));
    if (event.request_object_too_big) {
      ObjectDetail& detail = ensure_detail(object);
      if (detail.too_big != 0xffffffffu) ++detail.too_big;
    } else if (has_body(event.request_object)) {
      add_fields(object, hash, event, write, ref.subresource == "status");
    }
  } else {
    add_conflict(object, write.writer);
  }
  if (objects_.size() > options_.max_objects || field_entries_ > options_.max_field_entries) {
    enforce_bounds();
  }
}

AnalyzerFactory fight_analyzer_factory(FightOptions options) {
  return [options]() -> std::unique_ptr<Analyzer> { return std::make_unique<FightAnalyzer>(options); };
}

}  // namespace kubeblame::analyze
